// The JSON answers of the read API (observations, time series, profiles, layers, indicators).
// The services build them and the web app reads them with these same types, so the two cannot
// drift apart. Types only: the web app imports this file, so it must not import anything that
// needs Node.js.
import type { ParamValue } from '../contracts/codes/index.ts';

/** Why a value is shown or not: flags for shown values, reasons for values that are not. */
export type ValueStatus = 'final' | 'provisional' | 'estimated' | 'suppressed' | 'missing' | 'below_min_base';

/**
 * Official statistical symbols (Zeichenerklärung of the statistical offices) a value of each status
 * carries in tables, maps and exports, on the server and in the web app alike.
 */
export const STATUS_SYMBOLS: Record<ValueStatus, string> = { final: '', provisional: 'p', estimated: 's', suppressed: '.', below_min_base: '/', missing: '…' };

/** Why a value is (or would be) withheld by disclosure control (Geheimhaltung). */
export type DisclosureMark = 'primary' | 'secondary';

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

export type ConfidentialityLevel = 'public' | 'internal' | 'restricted';

/** Numerator or denominator of a derived ratio: another indicator, optionally restricted to breakdown members. */
export interface ComponentRefOut {
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
  type: string;
  dimensions: string[];
  numerator: ComponentRefOut | null;
  denominator: ComponentRefOut | null;
  scale: number;
  polarity: string;
  source: string | null;
  owner: string | null;
  /** The owning department's name (Fachbereich) for people; null when it has none besides its key. */
  ownerName: string | null;
  confidentiality: string;
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

export interface LayerInfo {
  key: string;
  name: string;
  kind: string;
  parentLayer: string | null;
  versions: { validFrom: string | null; validTo: string | null; areas: number; sourceCrs: string | null }[];
}

export interface LayerVersionRef {
  validFrom: string | null;
  validTo: string | null;
}

/** The areas of a layer version as GeoJSON; `G` is the geometry type the reader works with. */
export interface AreaFeatureCollection<G = unknown> {
  type: 'FeatureCollection';
  layer: { key: string; name: string; kind: string; version: LayerVersionRef };
  features: {
    type: 'Feature';
    id: string;
    bbox?: [number, number, number, number];
    properties: { code: string; name: string; parent: string | null };
    geometry: G | null;
  }[];
}

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
  city: { value: number | null; base: number | null; status: ValueStatus; reason?: string; reasonCode?: string; reasonParams?: Record<string, ParamValue>; disclosure?: DisclosureMark };
}

export interface TimeSeriesPoint {
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

export interface AreaRef {
  layer: string;
  code: string;
  name: string;
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
  parentValue: number | null;
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

// Facilities (GET /api/facilities/sets, GET /api/facilities)

export interface FacilityCategory {
  key: string;
  name: string;
  facilities: number;
  /** Σ capacity of the category; null when no facility of it has a capacity. */
  capacity: number | null;
}

export interface FacilitySetInfo {
  key: string;
  name: string;
  /** Owning department. */
  owner: string | null;
  /** Confidentiality (that of its supply indicators). */
  confidentiality: ConfidentialityLevel;
  /** Reference date of the list (period key) and its last day. */
  period: string | null;
  referenceDate: string | null;
  facilities: number;
  /** Σ capacity; null when the set has no capacity column. */
  capacity: number | null;
  /** Facilities without a capacity (with a capacity column). */
  withoutCapacity: number;
  /** Categories (empty without a category column). */
  categories: FacilityCategory[];
  /** The supply indicators: number of facilities, Σ places (null without capacity), category breakdown dimension. */
  indicators: { count: string | null; places: string | null; dimension: string | null };
  /** Layers for which the facilities carry an area code. */
  layers: string[];
  file: string | null;
  updatedAt: string;
}

export interface FacilityFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    id: number;
    set: string;
    name: string | null;
    category: string | null;
    categoryKey: string | null;
    capacity: number | null;
    /** Area code per layer key (boundary version valid on the set's reference date). */
    codes: Record<string, string>;
    /** Every column of the imported file (raw values). */
    attributes: Record<string, string | number | null>;
  };
}

export interface FacilityCollection {
  type: 'FeatureCollection';
  /** The sets the features come from. */
  sets: { key: string; name: string; period: string | null; confidentiality: ConfidentialityLevel }[];
  filter: { set: string | null; category: string | null; layer: string | null; area: string | null; bbox: [number, number, number, number] | null };
  count: number;
  features: FacilityFeature[];
}

/** An area found by the place search (GET /api/places, src/services/place-search.ts). */
export interface PlaceArea {
  layer: string;
  layerName: string;
  code: string;
  name: string;
}

/** A street of the address register with the areas its addresses lie in. */
export interface PlaceStreet {
  street: string;
  areas: PlaceArea[];
}

export interface PlaceSearchAnswer {
  q: string;
  areas: PlaceArea[];
  streets: PlaceStreet[];
  /** Whether either list was cut at 20 entries. */
  more: { areas: boolean; streets: boolean };
  /** The register version the streets come from; null when there is no address register (search by area name only). */
  register: { validFrom: string } | null;
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
    intervals: { cell: string; id: string; suppression: DisclosureMark; value: number; min: number; max: number; required: number; safe: boolean }[];
  };
}

/** GET /api/indicators/{key}/disclosure: one report per component the values follow. */
export interface IndicatorDisclosureAnswer {
  indicator: string;
  period: string;
  reports: DisclosureReport[];
}

/** An API token as listed to its holder and to administrators: never the token itself, only its prefix. */
export interface TokenInfo {
  id: number;
  user: string;
  name: string;
  /** The first characters of the token, to recognise it. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revoked: boolean;
}
