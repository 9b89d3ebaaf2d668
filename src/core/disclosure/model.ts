// The shared model of disclosure control (Geheimhaltung): the published cells of one indicator and
// period, the additive relations an attacker knows between them, and the rule that protects them.
// Pure: the service that builds a model from the database (services/disclosure.ts) and the
// algorithms that protect and audit it (core/disclosure/*.ts) meet only through these types.

/** Why a cell is withheld. Primary: it reveals too few cases itself. Secondary: it would let a primary be recomputed. */
export type Suppression = 'primary' | 'secondary';

/** Why a cell is primary. */
export type PrimaryReason = 'frequency' | 'dominance' | 'delivered';

/**
 * One published cell: a count (or a magnitude with its contributors) of one area on one layer
 * version for one combination of breakdown members (a member or the total per dimension).
 * `id` is opaque to the algorithms; the service chooses it (e.g. "<layerVersionId>|<code>|<membersKey>").
 */
export interface Cell {
  id: string;
  /** The true value, >= 0. */
  value: number;
  /** Number of cases (persons, units) behind the value; for counts the value itself. */
  frequency: number;
  /** Largest contributions, descending (magnitude data only, for the dominance rule). */
  largest?: number[];
  /** Delivered already suppressed ("." in the source file): primary whatever its value. */
  delivered?: boolean;
  /** Cost of suppressing it secondarily (information loss); default: the value + 1. */
  cost?: number;
  /** Must never be suppressed secondarily (e.g. the city total), when avoidable. */
  keep?: boolean;
}

/** An additive relation the attacker knows: value(total) = sum of value(parts). */
export interface Equation {
  total: string;
  parts: string[];
}

/** The linked tables of one indicator and period: every cell published on any path, and every relation between them. */
export interface LinkedTables {
  cells: Cell[];
  equations: Equation[];
}

interface DominanceRule {
  /** (n,k) rule: the n largest contributors hold more than k % of the value. */
  n?: number;
  k?: number;
  /** p % rule: the value less the two largest contributions is less than p % of the largest. */
  p?: number;
}

export interface DisclosureRule {
  /** Cells with 1 … minFrequency−1 cases are primary; zeros are shown. */
  minFrequency: number;
  /** Required width of the attacker's interval for each primary cell; default minFrequency. */
  protectionWidth?: number;
  dominance?: DominanceRule;
}

/** The suppression pattern: every withheld cell and why. Cells not in the map are published. */
export type Pattern = Map<string, Suppression>;

/** For one withheld cell: the interval an attacker can derive from everything published. */
export interface AuditInterval {
  id: string;
  suppression: Suppression;
  min: number;
  max: number;
  /** Width required (primary cells); 0 for secondary cells. */
  required: number;
  safe: boolean;
  /**
   * Absent or true: min and max are the attacker's exact bounds. false (audit with
   * { exact: false }): [min, max] is an interval of values the attacker cannot exclude, proved by
   * feasible solutions; the exact bounds lie outside it (so a safe verdict holds all the more).
   */
  exact?: boolean;
}

export interface AuditResult {
  safe: boolean;
  intervals: AuditInterval[];
  /** Linear programs solved, and their connected components (for the record). */
  programs: number;
  components: number;
}

/*
 * Functions implemented in core/disclosure (signatures both sides code against):
 *   primaryCells(t: LinkedTables, rule: DisclosureRule): Map<string, PrimaryReason>
 *   protect(t: LinkedTables, rule: DisclosureRule): { pattern: Pattern; primary: number; secondary: number; secondaryValue: number }
 *   audit(t: LinkedTables, pattern: Pattern, rule: DisclosureRule, options?: { exact?: boolean }): Promise<AuditResult>
 *     (exact: true by default; exact: false proves safety faster and gives inner intervals, see AuditInterval.exact)
 *   optimalSecondary(t, rule, limits) — exact model for small tables (information-loss check)
 * protect() is synchronous or async as its implementation needs (highs loads asynchronously);
 * the service awaits it either way.
 */
