// Facilities and supply versus need in the browser (issue #6, view "Einrichtungen"): the answers
// of GET /api/facilities/sets and /api/facilities, the need indicator in the URL, supply rows per
// area (facilities, places, need, places per 100), the facility table rows and category colours.
// Pure functions, unit-tested in test/web/facilities.test.ts.
import type { Status } from '../../../src/contracts/format.ts';
import type { FacilityFeature, FacilitySetInfo } from '../../../src/contracts/answers/index.ts';

export type { FacilityCollection, FacilityFeature } from '../../../src/contracts/answers/index.ts';
export type FacilitySet = FacilitySetInfo;

/** The need indicator: a count indicator and breakdown members (e.g. einwohner, altersgruppe=unter6). */
export interface NeedRef {
  indicator: string;
  filter: Record<string, string>;
}

/** URL parameters of the need: `need=einwohner&need_altersgruppe=unter6`. */
export function needFromParams(params: Record<string, string>): NeedRef | null {
  const indicator = params.need;
  if (!indicator || !/^[a-z][a-z0-9_]*$/.test(indicator)) return null;
  const filter: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (k.startsWith('need_') && k.length > 5 && v) filter[k.slice(5)] = v;
  return { indicator, filter };
}

export function needToParams(
  need: NeedRef | null,
  previous: Record<string, string> = {},
): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const k of Object.keys(previous)) if (k.startsWith('need_')) out[k] = null;
  out.need = need?.indicator ?? null;
  if (need) for (const [d, m] of Object.entries(need.filter)) out[`need_${d}`] = m;
  return out;
}

/**
 * The default need: children under 6 (einwohner, altersgruppe=unter6) when the catalogue has
 * them, else the first population count.
 */
export function defaultNeed(
  indicators: readonly { key: string; type: string; dimensions: string[]; themes: string[] }[],
): NeedRef | null {
  const e = indicators.find((i) => i.key === 'einwohner' && i.type === 'count');
  if (e)
    return { indicator: 'einwohner', filter: e.dimensions.includes('altersgruppe') ? { altersgruppe: 'unter6' } : {} };
  const pop = indicators.find((i) => i.type === 'count' && i.themes.includes('Bevölkerung'));
  return pop ? { indicator: pop.key, filter: {} } : null;
}

/** Count indicators that can stand for need: every count except the supply indicators of facility sets. */
export function needChoices<T extends { key: string; type: string }>(
  indicators: readonly T[],
  sets: readonly FacilitySet[],
): T[] {
  const supply = new Set(
    sets.flatMap((s) => [s.indicators.count, s.indicators.places]).filter((k): k is string => !!k),
  );
  return indicators.filter((i) => i.type === 'count' && !supply.has(i.key));
}

export interface Value {
  area: string;
  value: number | null;
  status: Status;
}

export interface SupplyRow {
  code: string;
  name: string;
  facilities: number | null;
  places: number | null;
  placesStatus: Status;
  need: number | null;
  needStatus: Status;
  /** Places (or facilities, without capacities) per 100 of the need. */
  ratio: number | null;
  ratioStatus: Status;
}

const HAS_VALUE: Status[] = ['final', 'provisional', 'estimated'];
const has = (v: Value | undefined): v is Value & { value: number } =>
  !!v && v.value !== null && HAS_VALUE.includes(v.status);

/** Below this need (e.g. fewer than 20 children) a ratio per 100 is not shown: it would say little. */
export const MIN_NEED = 20;

/** The status of a ratio from the statuses of its parts: no value wins, then estimated, then provisional. */
export function ratioStatus(supply: Value | undefined, need: Value | undefined, minNeed = MIN_NEED): Status {
  if (!supply || !need) return 'missing';
  for (const s of ['suppressed', 'below_min_base', 'missing'] as Status[])
    if (need.status === s || supply.status === s) return s;
  if (need.value === null || supply.value === null) return 'missing';
  if (need.value < minNeed) return 'below_min_base';
  if (need.status === 'estimated' || supply.status === 'estimated') return 'estimated';
  if (need.status === 'provisional' || supply.status === 'provisional') return 'provisional';
  return 'final';
}

/**
 * One row per area: facilities, places, need and places per 100 of the need (Σ places / need ×
 * 100 of the area — never an average). Without capacities the ratio counts facilities.
 */
export function supplyRows(
  areas: readonly { code: string; name: string }[],
  counts: readonly Value[],
  places: readonly Value[] | null,
  need: readonly Value[] | null,
  minNeed = MIN_NEED,
): SupplyRow[] {
  const byCode = (xs: readonly Value[] | null) => new Map((xs ?? []).map((v) => [v.area, v]));
  const c = byCode(counts);
  const p = byCode(places);
  const n = byCode(need);
  return areas.map((a) => {
    const count = c.get(a.code);
    const supply = places ? p.get(a.code) : count;
    const nv = n.get(a.code);
    const status = need ? ratioStatus(supply, nv, minNeed) : 'missing';
    const ratio =
      HAS_VALUE.includes(status) && has(supply) && has(nv) && nv.value > 0 ? (supply.value / nv.value) * 100 : null;
    return {
      code: a.code,
      name: a.name,
      facilities: has(count) ? count.value : null,
      places: places ? (has(supply) ? supply.value : null) : null,
      placesStatus: places ? (supply?.status ?? 'missing') : 'missing',
      need: has(nv) ? nv.value : null,
      needStatus: nv?.status ?? 'missing',
      ratio,
      ratioStatus: ratio === null && HAS_VALUE.includes(status) ? 'missing' : status,
    };
  });
}

/** The totals over all areas (the city), with the ratio of the sums. */
export function supplyTotal(rows: readonly SupplyRow[]): {
  facilities: number;
  places: number | null;
  need: number | null;
  ratio: number | null;
} {
  const sum = (f: (r: SupplyRow) => number | null) =>
    rows.some((r) => f(r) === null) ? null : rows.reduce((t, r) => t + (f(r) ?? 0), 0);
  const facilities = rows.reduce((t, r) => t + (r.facilities ?? 0), 0);
  const places = sum((r) => r.places);
  const need = sum((r) => r.need);
  const supply = places ?? (rows.some((r) => r.placesStatus !== 'missing') ? null : facilities);
  return { facilities, places, need, ratio: supply !== null && need ? (supply / need) * 100 : null };
}

export interface FacilityRow {
  id: number;
  name: string;
  category: string;
  categoryKey: string;
  capacity: number | null;
  area: string | null;
  areaName: string;
  lon: number;
  lat: number;
}

/** Table rows of the facilities, with the name of their area in the chosen layer. */
export function facilityRows(
  features: readonly FacilityFeature[],
  layer: string,
  areaNames: ReadonlyMap<string, string>,
  unnamed = '–',
): FacilityRow[] {
  return features.map((f) => {
    const code = f.properties.codes[layer] ?? null;
    return {
      id: f.id,
      name: f.properties.name ?? unnamed,
      category: f.properties.category ?? '',
      categoryKey: f.properties.categoryKey ?? '',
      capacity: f.properties.capacity,
      area: code,
      areaName: code ? (areaNames.get(code) ?? code) : '',
      lon: f.geometry.coordinates[0],
      lat: f.geometry.coordinates[1],
    };
  });
}

/** Colours and marker shapes of the categories (shape too, so that colour is not the only signal). */
const CATEGORY_COLORS = ['#1f5fa8', '#c4501b', '#2f8a4c', '#8a3fa0', '#a06a00', '#0f8a8a', '#b8336a', '#5d6b00'];
export const CATEGORY_SHAPES = ['circle', 'square', 'triangle', 'diamond'] as const;
export type MarkerShape = (typeof CATEGORY_SHAPES)[number];

export function categoryStyle(
  categories: readonly { key: string }[],
  key: string,
): { color: string; shape: MarkerShape } {
  const i = Math.max(
    0,
    categories.findIndex((c) => c.key === key),
  );
  return { color: CATEGORY_COLORS[i % CATEGORY_COLORS.length], shape: CATEGORY_SHAPES[i % CATEGORY_SHAPES.length] };
}

/** SVG path of a marker of radius r at (x, y). */
export function markerPath(shape: MarkerShape, x: number, y: number, r: number): string {
  const f = (n: number) => Math.round(n * 10) / 10;
  switch (shape) {
    case 'square':
      return `M${f(x - r * 0.85)},${f(y - r * 0.85)}h${f(r * 1.7)}v${f(r * 1.7)}h${f(-r * 1.7)}Z`;
    case 'triangle':
      return `M${f(x)},${f(y - r * 1.1)}L${f(x + r)},${f(y + r * 0.75)}L${f(x - r)},${f(y + r * 0.75)}Z`;
    case 'diamond':
      return `M${f(x)},${f(y - r * 1.15)}L${f(x + r * 1.15)},${f(y)}L${f(x)},${f(y + r * 1.15)}L${f(x - r * 1.15)},${f(y)}Z`;
    default:
      return `M${f(x - r)},${f(y)}a${f(r)},${f(r)} 0 1,0 ${f(2 * r)},0a${f(r)},${f(r)} 0 1,0 ${f(-2 * r)},0Z`;
  }
}

/** Periods typed by the user ("31.12.2019; 31.12.2020") for POST /api/reallocate, which reads every supported form. */
export function splitPeriods(text: string): string[] {
  return text
    .split(/[;,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
