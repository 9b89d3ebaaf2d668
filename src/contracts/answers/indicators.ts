// Answers about indicators: the catalogue (GET /api/indicators, /api/indicators/{key}) and the
// disclosure pattern of an indicator (GET /api/indicators/{key}/disclosure).
import type { Confidentiality, DisclosureMark, IndicatorType, Polarity } from '../vocabulary.ts';

/** The effective disclosure rule of an indicator (its own or its department's). */
export interface DisclosureRuleOut {
  minFrequency: number;
  protectionWidth?: number;
  dominance?: { n?: number; k?: number; p?: number };
  /** Who gets protected values: the public only, or everyone except the owning department and the sealed office. */
  protect: 'public' | 'all-but-owner';
  /** Where the rule comes from. */
  from: 'indicator' | 'department';
}

/** Numerator or denominator of a derived ratio: another indicator, optionally restricted to breakdown members. */
interface ComponentRefOut {
  indicator: string;
  filter?: Record<string, string>;
}

/** Where a derived indicator comes from: a saved composite index (`kind: "index"`) or typology (`kind: "typology"`). */
export interface Lineage {
  kind: string;
  /** Key of the index definition (kind "index"); the whole definition for a typology. */
  definition?: unknown;
  version?: number;
  inputs?: string[];
  period?: string;
  layer?: string;
  labels?: string[] | null;
  [more: string]: unknown;
}

export interface IndicatorMeta {
  key: string;
  name: string;
  description: string | null;
  unit: string;
  type: IndicatorType;
  dimensions: string[];
  numerator: ComponentRefOut | null;
  denominator: ComponentRefOut | null;
  scale: number;
  polarity: Polarity;
  source: string | null;
  owner: string | null;
  /** The owning department's name (Fachbereich) for people; null when it has none besides its key. */
  ownerName: string | null;
  confidentiality: Confidentiality;
  periodicity: string | null;
  minBase: number | null;
  methodology: string | null;
  themes: string[];
  decimals: number | null;
  draft: boolean;
  /** Departments besides the owner that may read restricted data. */
  departments: string[];
  lineage: Lineage | null;
  /** Disclosure control (Geheimhaltung): the effective rule, or null when none applies. */
  disclosure?: DisclosureRuleOut | null;
}

export interface IndicatorInfo extends IndicatorMeta {
  periods: string[];
  /** Layers with values for this indicator (where it is stored, and coarser layers above). */
  layers: string[];
}

export interface IndicatorDetail extends IndicatorInfo {
  dimensionMembers: Record<string, { key: string; name: string }[]>;
}

/** The disclosure pattern of one indicator (or one component of a derived ratio) and period. */
export interface DisclosureReport {
  indicator: string;
  period: string;
  rule: DisclosureRuleOut;
  cells: number;
  equations: number;
  primary: number;
  secondary: number;
  secondaryValue: number;
  worlds: { date: string }[];
  notes: string[];
  seconds: number;
  audit?: {
    safe: boolean;
    programs: number;
    components: number;
    /** Every withheld cell: its interval for an attacker and the width required. */
    intervals: {
      cell: string;
      id: string;
      suppression: DisclosureMark;
      value: number;
      min: number;
      max: number;
      required: number;
      safe: boolean;
    }[];
  };
}

/** GET /api/indicators/{key}/disclosure: one report per component the values follow. */
export interface IndicatorDisclosureAnswer {
  indicator: string;
  period: string;
  reports: DisclosureReport[];
}
