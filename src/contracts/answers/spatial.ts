// Answers of the spatial routes: crosswalks, congruence of two layers, reallocation of values to
// another layer (GET /api/crosswalk, /api/congruence, POST /api/reallocate).
import type { Coded } from '../codes/index.ts';
import type { Crosswalk } from '../../core/geo/crosswalk.ts';
import type { Congruence } from '../../core/geo/congruence.ts';

/** What population weights rest on (fields per source). */
export interface PopulationBasisInfo {
  source: 'finer-layer' | 'address-points';
  /** finer-layer: the count indicator, its layer and period. */
  indicator?: string;
  layer?: string;
  period?: string;
  /** address-points: the register version used. */
  register?: { validFrom: string; validUntil: string | null };
  /** address-points: each point weighted by its residents, or 1 per address (dwelling proxy). */
  counted?: 'residents' | 'addresses';
  /** address-points: points lying in a from-area with a weight > 0 (the points used). */
  points?: number;
  /** address-points with residents: Σ residents of the points used. */
  residents?: number;
  /** address-points: points outside every from-area (no weight), and addresses without coordinates (not usable). */
  outsideFrom?: number;
  withoutCoordinates?: number;
  /** From-areas without population (no resident, no address point) that fall back to area weights. */
  fallbackAreas: string[];
}

export interface CrosswalkAnswer {
  from: { layer: string; validFrom: string | null };
  to: { layer: string; validFrom: string | null };
  basis: string;
  population?: PopulationBasisInfo;
  crosswalk: Crosswalk;
}

export interface ReallocatedPeriod {
  period: string;
  /** From-areas with data. */
  sourceAreas: number;
  /** To-areas receiving values. */
  targetAreas: number;
  /** Observations written (to-areas × breakdown members). */
  observations: number;
  /** Σ of the carried input values, Σ of the output values, Σ of values that found no to-area. */
  input: number;
  output: number;
  lost: number;
  /** From-areas lying wholly outside the to-layer (their values are lost). */
  lostAreas: string[];
  /** To-area values withheld (null) because a source value was suppressed or missing. */
  withheld: number;
  /** Crosswalk basis used for this period (population weights are taken per period). */
  basis: string;
}

export interface ReallocateResult {
  indicator: string;
  from: { layer: string; validFrom: string | null; validTo: string | null };
  to: { layer: string; validFrom: string | null; validTo: string | null };
  weights: 'area' | 'population';
  rounding: 'largest-remainder' | 'none';
  /** The reason stored with every value (for the first period). */
  reason: string;
  periods: ReallocatedPeriod[];
  inserted: number;
  updated: number;
  unchanged: number;
  /** Coarser areas whose value is now computed from the estimates (same value, status estimated). */
  warnings: string[];
  /** The same as codes, in the same order. */
  warningCodes: Coded[];
  /** Notes of the crosswalks (uncovered parts, fallback to area weights …). */
  notes: string[];
  /** The same as codes, in the same order. */
  noteCodes: Coded[];
  dryRun: boolean;
  batchId: number | null;
}

/** GET /api/congruence: the two layers (a: from, b: to), the basis of the weights, and the scores. */
export interface CongruenceAnswer {
  a: CrosswalkAnswer['from'];
  b: CrosswalkAnswer['to'];
  basis: string;
  population?: PopulationBasisInfo;
  congruence: Congruence;
}
