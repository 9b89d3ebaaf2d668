// The answer of a sealed run (CLI, POST /api/sealed/run): shared by the service and the web app,
// so the two cannot drift apart. Types only.
import type { MatchMethod, UnmatchedReason } from '../address/matcher.ts';
import type { UnassignableReason } from './count.ts';
import type { Problem } from '../problems.ts';
import type { IndicatorDisclosureAnswer } from '../../contracts/answers/index.ts';

/** An address that could not be assigned: shown to the sealed office once, never stored. */
export interface UnassignedAddress {
  line: number;
  address: string;
  reason: UnmatchedReason | 'ambiguous' | 'outside-areas' | 'empty';
  message: string | null;
  suggestion: string | null;
}

export interface SealedCount {
  layer: string;
  code: string;
  members: Record<string, string>;
  value: number;
}

export interface SealedRunResult {
  file: string;
  sha256: string;
  definition: { key: string; version: number | null; newVersion: boolean };
  indicator: string;
  /** The count indicator of the unassignable records (null when no layer takes them: see warnings). */
  unassignableIndicator: string | null;
  unassignableLayer: { layer: string; code: string } | null;
  period: string;
  referenceDate: string;
  register: { versionId: number; validFrom: string; addresses: number } | null;
  records: number;
  assigned: number;
  unassignable: Record<UnassignableReason, number>;
  unassignedShare: number;
  maxUnassignedShare: number | null;
  /** Set when the share exceeded the threshold: nothing was stored. */
  refused: { share: number; max: number } | null;
  match: {
    matched: number;
    byMethod: Record<MatchMethod, number>;
    ambiguous: number;
    ambiguousSameArea: number;
    unmatched: number;
    byReason: Partial<Record<UnmatchedReason, number>>;
  } | null;
  layers: { layer: string; primary: boolean; areas: number; counted: number; outside: number }[];
  combinations: Record<string, string>[];
  /** Counts per area and member combination (every area of every storage layer, zeros included). */
  counts: SealedCount[];
  /** Streets not in the register, most frequent first (all of them here; stored: those named by at least minFrequency records). */
  unknownStreets: { street: string; count: number; suggestion?: string }[];
  /** Ephemeral: the addresses not assigned, for the sealed office's eyes only (at most UNMATCHED_SHOWN). */
  unmatched: UnassignedAddress[];
  unmatchedTotal: number;
  warnings: Problem[];
  dryRun: boolean;
  batchId: number | null;
  /**
   * Dry run: the disclosure pattern the counts would get (the answer of
   * GET /api/indicators/{key}/disclosure?cells=all); null without a rule, or when not computed.
   */
  disclosure: IndicatorDisclosureAnswer | null;
  seconds: number;
}
