// The value answers of the read API: observations of a layer, the time series of an area, the
// profile of an area (GET /api/observations, /api/timeseries, /api/profile).
import type { ParamValue } from '../codes/index.ts';
import type { DisclosureMark, ValueStatus } from '../vocabulary.ts';
import type { IndicatorMeta } from './indicators.ts';
import type { AreaRef, LayerVersionRef } from './layers.ts';

/** One area's value; `reason` says why no value is shown, or how an estimate was made. */
export interface AreaValueOut {
  area: string;
  name: string;
  value: number | null;
  base: number | null;
  status: ValueStatus;
  reason?: string;
  /** The reason's registered code and parameters (src/contracts/codes), when the server wrote it; none for a text stored with the data. */
  reasonCode?: string;
  reasonParams?: Record<string, ParamValue>;
  computed: boolean;
  rank: number | null;
  /** Set for a value the caller may see although disclosure control protects it (owners, the sealed office): why. */
  disclosure?: DisclosureMark;
}

export interface ObservationsAnswer {
  indicator: IndicatorMeta;
  layer: { key: string; name: string; kind: string; version: LayerVersionRef };
  period: { key: string; type: string; start: string; end: string };
  referenceDate: string;
  unit: string;
  source: string | null;
  filter: Record<string, string>;
  values: AreaValueOut[];
  city: {
    value: number | null;
    base: number | null;
    status: ValueStatus;
    reason?: string;
    reasonCode?: string;
    reasonParams?: Record<string, ParamValue>;
    disclosure?: DisclosureMark;
  };
}

interface TimeSeriesPoint {
  period: string;
  periodType: string;
  referenceDate: string;
  value: number | null;
  base: number | null;
  status: ValueStatus;
  reason?: string;
  /** The reason's registered code and parameters (src/contracts/codes), when the server wrote it; none for a text stored with the data. */
  reasonCode?: string;
  reasonParams?: Record<string, ParamValue>;
  /** Boundary version of the layer used for this point. */
  versionValidFrom: string | null;
  /** True when the boundary version differs from the previous point's (a break in the series). */
  boundaryChange: boolean;
  /** The area's name in that version, or null when the code does not exist in that version. */
  areaName: string | null;
  disclosure?: DisclosureMark;
}

export interface TimeSeriesAnswer {
  indicator: IndicatorMeta;
  layer: { key: string; name: string };
  area: string;
  filter: Record<string, string>;
  unit: string;
  source: string | null;
  points: TimeSeriesPoint[];
}

export interface ProfileEntry {
  indicator: IndicatorMeta;
  period: string | null;
  referenceDate: string | null;
  value: number | null;
  base: number | null;
  status: ValueStatus;
  reason?: string;
  /** The reason's registered code and parameters (src/contracts/codes), when the server wrote it; none for a text stored with the data. */
  reasonCode?: string;
  reasonParams?: Record<string, ParamValue>;
  cityValue: number | null;
  /** The status of the city's value (its total on this layer): p, s, or why it is not shown. */
  cityStatus: ValueStatus;
  parentValue: number | null;
  /** The status of the parent area's value; null without a parent area. */
  parentStatus: ValueStatus | null;
  rank: number | null;
  rankOf: number;
  trend: { period: string; value: number | null; status: ValueStatus; disclosure?: DisclosureMark }[];
  disclosure?: DisclosureMark;
}

export interface ProfileAnswer {
  layer: { key: string; name: string; version: LayerVersionRef };
  area: {
    code: string;
    name: string;
    parent: AreaRef | null;
    children: AreaRef[];
    /** Areas of the same layer version sharing a boundary. */
    neighbours: AreaRef[];
  };
  themes: { theme: string; entries: ProfileEntry[] }[];
}
