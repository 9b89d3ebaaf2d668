// The JSON answers of the comparison between municipalities (/api/comparison/…). Types only: the
// web app imports this file, so it must not import anything that needs Node.js.
import type { Polarity, ValueStatus } from '../vocabulary.ts';

/** The comparison's standard indicators use the catalogue's polarities. */
export type ComparisonPolarity = Polarity;
export type ComparisonLevel = 'territory' | 'district';
/** The statuses a published value can have (missing values are not published). */
export type PublishedStatus = Exclude<ValueStatus, 'missing'>;

/** A standard indicator of the shared catalogue. */
export interface StandardIndicator {
  key: string;
  nameDe: string;
  nameEn: string;
  unit: string;
  type: 'count' | 'ratio' | 'value';
  definition: string;
  /** What the definition follows, e.g. "Wegweiser Kommune" or "KOSIS". */
  basis: string;
  polarity: ComparisonPolarity;
  decimals: number;
}

export interface StandardsAnswer {
  standards: (StandardIndicator & { municipalities: number })[];
}

interface MunicipalityOut {
  key: string;
  name: string;
  officialKey: string | null;
  /** The municipality whose app answers. */
  own: boolean;
  /** Standard keys it has published. */
  standards: string[];
  districtsLayer: string | null;
  publishedAt: string | null;
}

export interface MunicipalitiesAnswer {
  own: string;
  municipalities: MunicipalityOut[];
}

export interface ComparisonPoint {
  referenceDate: string;
  period: string;
  value: number | null;
  status: PublishedStatus;
  source: string | null;
}

export interface CompareAnswer {
  own: string;
  level: 'territory';
  standards: StandardIndicator[];
  municipalities: { key: string; name: string; own: boolean }[];
  /** One series per municipality and standard indicator that has published points. */
  series: { standard: string; municipality: string; points: ComparisonPoint[] }[];
}

export interface SimilarAnswer {
  own: string;
  /** Why nothing could be compared, when nothing could. */
  reason?: { code: 'own-not-published' | 'no-common-period'; params?: Record<string, string> };
  method: {
    code: 'z-euclidean';
    /** The reference date compared: the latest one at which the own municipality and at least one other have every indicator. */
    referenceDate: string | null;
    indicators: string[];
    /** Indicators left out because every municipality has the same value (sd 0). */
    constant: string[];
    /** Municipalities with a value of every indicator at that date (the ones standardised over). */
    compared: number;
    sd: 'population';
  };
  ownValues?: Record<string, number>;
  similar: { key: string; name: string; distance: number; values: Record<string, number>; z: Record<string, number> }[];
}

interface RankingRow {
  key: string;
  name: string;
  own: boolean;
  areaCode: string;
  areaName: string;
  value: number | null;
  status: PublishedStatus;
  /** Competition rank (1, 2, 2, 4): equal values share a rank; null for values not shown. */
  rank: number | null;
  /** How many others share the rank. */
  tied: number;
  period: string;
  source: string | null;
}

export interface RankingAnswer {
  own: string;
  standard: StandardIndicator;
  level: ComparisonLevel;
  referenceDate: string | null;
  /** Highest value first, whatever the polarity (which the answer states with the standard). */
  order: 'descending';
  referenceDates: string[];
  rows: RankingRow[];
}
