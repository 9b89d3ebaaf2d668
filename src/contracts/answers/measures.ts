// Answers about measures (Maßnahmen): the gaps between need and running measures (GET /api/measures/gaps).
import type { AreaMeasures, Coverage } from '../../core/measures.ts';

export interface GapRow extends AreaMeasures {
  needLabel: string | null;
}

export interface NeedAnswer {
  layer: string;
  at: string;
  need: { indicator: string | null; period: string | null; classes: string[]; priority: string | null };
  targetGroup: { code: string; population: string | null; period: string | null } | null;
  /** The high-need areas ranked by need (gaps: runningMeasures 0). */
  rows: GapRow[];
  coverage: Coverage;
  overlaps: GapRow[];
}
