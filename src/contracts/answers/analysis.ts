// Answers of the analysis routes: composite indices and typologies (POST /api/analysis/index,
// /api/analysis/index/sensitivity, /api/analysis/typology, /api/analysis/typology/compare, and
// saving them). Definitions and results are core's types: core computes them, the answer carries
// them as they are.
import type { ParamValue } from '../codes/index.ts';
import type { IndexDefinition } from '../../core/stats/index-definition.ts';
import type { IndexResult } from '../../core/stats/composite.ts';
import type { TypologyDefinition } from '../../core/stats/typology-definition.ts';
import type { clusterDiagnostics } from '../../core/stats/cluster.ts';
import type { CrossTable, MergedTypology } from '../../core/stats/typology.ts';

export interface IndexAnswer {
  definition: IndexDefinition;
  period: string;
  /** The period each input was read for (differs from `period` where a component names its own). */
  componentPeriods: Record<string, string>;
  result: IndexResult;
}

export interface SavedIndex {
  key: string;
  version: number;
  newVersion: boolean;
  period: string;
  indicators: { score: string; class: string | null };
  areas: number;
  scored: number;
  confidentiality: string;
}

export interface TypologyAnswer {
  definition: TypologyDefinition;
  /** `excluded`: why an area has no type (English); `missing`: the indicators it has no value for, when that is why. */
  rows: {
    area: string;
    type: number | null;
    excluded: string | null;
    missing?: string[];
    excludedCode?: string;
    excludedParams?: Record<string, ParamValue>;
  }[];
  types: { type: number; n: number; description: string; means: Record<string, number> }[];
  diagnostics: ReturnType<typeof clusterDiagnostics>;
}

export interface TypologyComparison {
  a: { key: string; layer: string; period: string };
  b: { key: string; layer: string; period: string };
  areas: number;
  adjustedRandIndex: number;
  crossTable: CrossTable;
  merged: MergedTypology;
}

/** POST /api/analysis/typology/save: the derived categorical indicator `<key>_typ` written. */
export interface SavedTypologyAnswer {
  key: string;
  indicator: string;
  period: string;
  areas: number;
  types: number;
}
