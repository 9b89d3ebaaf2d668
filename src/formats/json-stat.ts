// JSON-stat 2.0 datasets (https://json-stat.org/full/) from the answers of the read API: the same
// ObservationsAnswer and TimeSeriesAnswer the JSON routes send, turned into a cube in one pass
// over their values — no I/O, no clock (the caller passes `updated`), so the JSON-stat answer
// shows exactly what the JSON answer shows, with the same disclosure masking.
//
// Layout (docs/decisions/0024-json-stat.md): the dimensions are the indicator (role metric, one
// category carrying the unit), one single-category dimension per breakdown member of the filter,
// the period (role time) and the area (role geo). Observations: one period, every area of the
// answer in its order plus the city total as category "_T"; time series: one area, every period.
// The varying dimension is the last in `id`, so `value` lists the cells in the answer's order.
import type { ObservationsAnswer, TimeSeriesAnswer, IndicatorMeta } from '../contracts/answers/index.ts';
import type { ValueStatus, DisclosureMark } from '../contracts/vocabulary.ts';
import { STATUS_SYMBOLS, SYMBOL_LEGEND, reasonIn, type ReasonFields, type ReasonLang } from '../core/reasons.ts';
import { parsePeriod, formatPeriodGerman } from '../core/periods.ts';

/** The category id of the city total: "_T", the SDMX cross-domain code for "total". */
export const CITY_TOTAL = '_T';

interface JsonStatCategory {
  index: string[];
  /** Left out when there are no categories: the schema wants at least one label. */
  label?: Record<string, string>;
  note?: Record<string, string[]>;
  unit?: Record<string, { label: string; symbol?: string; decimals: number; position?: 'start' | 'end' }>;
}

interface JsonStatDimension {
  label: string;
  category: JsonStatCategory;
}

interface JsonStatLink {
  type: string;
  href: string;
  label?: string;
}

export interface JsonStatDataset {
  version: '2.0';
  class: 'dataset';
  label: string;
  source?: string;
  updated?: string;
  id: string[];
  size: number[];
  role: { time: string[]; geo: string[]; metric: string[] };
  dimension: Record<string, JsonStatDimension>;
  value: (number | null)[];
  /** The data symbol of each value (null: none, a final value), aligned with `value`. */
  status?: (string | null)[];
  note?: string[];
  link?: Record<string, JsonStatLink[]>;
  extension: Record<string, unknown>;
}

export interface JsonStatOptions {
  /** Language of the labels and notes (default German, as the CSV export). */
  lang?: ReasonLang;
  /** When the answer was computed (ISO 8601); left out when not given. */
  updated?: string;
  /** Link to this answer (`self`) and to the same data as CSV (`alternate`), as the caller's URLs. */
  self?: string;
  csv?: string;
}

const TEXTS = {
  de: {
    indicator: 'Indikator',
    period: 'Zeitraum',
    total: 'Gesamtstadt',
    boundaryChange: 'Gebietsstandsänderung ab {period}: Gebietsstand ab {validFrom}',
    since: 'jeher',
  },
  en: {
    indicator: 'Indicator',
    period: 'Period',
    total: 'Whole city',
    boundaryChange: 'Boundary change from {period}: boundaries valid from {validFrom}',
    since: 'ever',
  },
} as const;

/** Fixed dimension ids; a breakdown dimension of the same name is prefixed so ids stay unique. */
const FIXED = new Set(['indicator', 'period', 'area']);
const breakdownId = (dim: string): string => (FIXED.has(dim) ? `breakdown_${dim}` : dim);

/** A value as the cube holds it: withheld and missing values are null, never 0. */
function cellValue(value: number | null | undefined, status: ValueStatus): number | null {
  if (status === 'suppressed' || status === 'missing' || status === 'below_min_base') return null;
  return value === undefined || value === null || !Number.isFinite(value) ? null : value;
}

/** The unit's decimals: the indicator's, else as the web app shows values (0 when all are whole, else 1). */
function unitDecimals(meta: IndicatorMeta, values: (number | null)[]): number {
  if (meta.decimals !== null && meta.decimals !== undefined) return Math.max(0, Math.min(6, meta.decimals));
  return values.every((v) => v === null || Number.isInteger(v)) ? 0 : 1;
}

function periodLabel(key: string, lang: ReasonLang): string {
  const p = parsePeriod(key);
  return p && lang === 'de' ? formatPeriodGerman(p) : key;
}

function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => params[k] ?? m);
}

/** Rows of the cube's varying dimension, collected in one pass. */
interface Cells {
  value: (number | null)[];
  status: (string | null)[];
  codes: ValueStatus[];
  base: (number | null)[];
  reason: (string | null)[];
  disclosure: (DisclosureMark | null)[];
  notes: Record<string, string[]>;
}

function newCells(): Cells {
  return { value: [], status: [], codes: [], base: [], reason: [], disclosure: [], notes: {} };
}

function addCell(
  c: Cells,
  id: string,
  v: { value: number | null; base: number | null; status: ValueStatus; disclosure?: DisclosureMark } & ReasonFields,
  lang: ReasonLang,
): void {
  c.value.push(cellValue(v.value, v.status));
  c.status.push(STATUS_SYMBOLS[v.status] || null);
  c.codes.push(v.status);
  c.base.push(v.base ?? null);
  c.reason.push(v.reason ?? null);
  c.disclosure.push(v.disclosure ?? null);
  if (v.reason) c.notes[id] = [reasonIn(lang, v)!];
}

/** The legend lines (Zeichenerklärung) of the symbols that occur. */
function legend(symbols: (string | null)[], lang: ReasonLang): string[] {
  const used = new Set(symbols.filter((s): s is string => !!s));
  return SYMBOL_LEGEND[lang].filter(([s]) => used.has(s)).map(([s, meaning]) => `${s} ${meaning}`);
}

function metricDimension(
  meta: IndicatorMeta,
  unit: string,
  values: (number | null)[],
  lang: ReasonLang,
): JsonStatDimension {
  // A short sign (%, €, km²) is the unit's symbol; a word (Personen) is its label only.
  const symbol = unit && unit.length <= 3 ? unit : undefined;
  return {
    label: TEXTS[lang].indicator,
    category: {
      index: [meta.key],
      label: { [meta.key]: meta.name },
      unit: {
        [meta.key]: {
          label: unit,
          ...(symbol ? { symbol } : {}),
          decimals: unitDecimals(meta, values),
          position: 'end',
        },
      },
    },
  };
}

function breakdownDimensions(filter: Record<string, string>): [string, JsonStatDimension][] {
  return Object.keys(filter).map((dim) => [
    breakdownId(dim),
    { label: dim, category: { index: [filter[dim]], label: { [filter[dim]]: filter[dim] } } },
  ]);
}

function links(o: JsonStatOptions): Record<string, JsonStatLink[]> | undefined {
  const l: Record<string, JsonStatLink[]> = {};
  if (o.self) l.self = [{ type: 'application/json', href: o.self }];
  if (o.csv) l.alternate = [{ type: 'text/csv', href: o.csv, label: 'CSV' }];
  return Object.keys(l).length ? l : undefined;
}

function perValueExtension(c: Cells): Record<string, unknown> {
  return {
    // The platform's own status codes: the symbols follow the Zeichenerklärung, where "." also
    // means "unknown"; the codes say which it is.
    statusCode: c.codes,
    base: c.base,
    reason: c.reason,
    ...(c.disclosure.some((d) => d !== null) ? { disclosure: c.disclosure } : {}),
  };
}

function assemble(
  head: { label: string; source: string | null; o: JsonStatOptions; notes: string[] },
  dims: [string, JsonStatDimension][],
  roles: JsonStatDataset['role'],
  c: Cells,
  extension: Record<string, unknown>,
): JsonStatDataset {
  const dimension: Record<string, JsonStatDimension> = {};
  for (const [id, d] of dims) dimension[id] = d;
  const link = links(head.o);
  // The spec wants the notes unique (a description may repeat as the methodology).
  const note = [...new Set([...head.notes, ...legend(c.status, head.o.lang ?? 'de')])];
  return {
    version: '2.0',
    class: 'dataset',
    label: head.label,
    ...(head.source ? { source: head.source } : {}),
    ...(head.o.updated ? { updated: head.o.updated } : {}),
    id: dims.map(([id]) => id),
    size: dims.map(([, d]) => d.category.index.length),
    role: roles,
    dimension,
    value: c.value,
    ...(c.status.some((s) => s !== null) ? { status: c.status } : {}),
    ...(note.length ? { note } : {}),
    ...(link ? { link } : {}),
    extension: { ...extension, ...perValueExtension(c) },
  };
}

function describe(meta: IndicatorMeta): string[] {
  return [meta.description, meta.methodology].filter((s): s is string => !!s);
}

function filterText(filter: Record<string, string>): string {
  const parts = Object.keys(filter).map((k) => `${k}=${filter[k]}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** An observations answer (every area of a layer, one period) as a JSON-stat 2.0 dataset. */
export function observationsToJsonStat(a: ObservationsAnswer, o: JsonStatOptions = {}): JsonStatDataset {
  const lang = o.lang ?? 'de';
  const T = TEXTS[lang];
  const c = newCells();
  const index: string[] = [];
  const label: Record<string, string> = {};
  for (const v of a.values) {
    index.push(v.area);
    label[v.area] = v.name;
    addCell(c, v.area, v, lang);
  }
  // The city total is a category of its own; should a real area carry the code, the total gets another.
  let total = CITY_TOTAL;
  while (Object.prototype.hasOwnProperty.call(label, total)) total = `_${total}`;
  index.push(total);
  label[total] = T.total;
  addCell(c, total, a.city, lang);
  const area: JsonStatDimension = {
    label: a.layer.name,
    category: { index, label, ...(Object.keys(c.notes).length ? { note: c.notes } : {}) },
  };
  const period: JsonStatDimension = {
    label: T.period,
    category: { index: [a.period.key], label: { [a.period.key]: periodLabel(a.period.key, lang) } },
  };
  const dims: [string, JsonStatDimension][] = [
    ['indicator', metricDimension(a.indicator, a.unit, c.value, lang)],
    ...breakdownDimensions(a.filter),
    ['period', period],
    ['area', area],
  ];
  return assemble(
    {
      label: `${a.indicator.name}${filterText(a.filter)}, ${a.layer.name}, ${periodLabel(a.period.key, lang)}`,
      source: a.source,
      o,
      notes: describe(a.indicator),
    },
    dims,
    { time: ['period'], geo: ['area'], metric: ['indicator'] },
    c,
    {
      indicator: a.indicator.key,
      source: a.source,
      referenceDate: a.referenceDate,
      period: { key: a.period.key, type: a.period.type, start: a.period.start, end: a.period.end },
      periodType: a.period.type,
      unit: a.unit,
      filter: a.filter,
      layer: { key: a.layer.key, name: a.layer.name, kind: a.layer.kind },
      boundaries: { validFrom: a.layer.version.validFrom, validTo: a.layer.version.validTo },
      total,
      confidentiality: a.indicator.confidentiality,
      minBase: a.indicator.minBase,
    },
  );
}

/** A time series answer (one area, every period) as a JSON-stat 2.0 dataset. */
export function timeSeriesToJsonStat(a: TimeSeriesAnswer, o: JsonStatOptions = {}): JsonStatDataset {
  const lang = o.lang ?? 'de';
  const T = TEXTS[lang];
  const c = newCells();
  const index: string[] = [];
  const label: Record<string, string> = {};
  const breaks: string[] = [];
  for (const p of a.points) {
    index.push(p.period);
    label[p.period] = periodLabel(p.period, lang);
    addCell(c, p.period, p, lang);
    if (p.boundaryChange)
      breaks.push(
        fill(T.boundaryChange, { period: periodLabel(p.period, lang), validFrom: p.versionValidFrom ?? T.since }),
      );
  }
  // The area's name in the latest boundary version that has it.
  const areaName = [...a.points].reverse().find((p) => p.areaName)?.areaName ?? a.area;
  const area: JsonStatDimension = { label: a.layer.name, category: { index: [a.area], label: { [a.area]: areaName } } };
  const period: JsonStatDimension = {
    label: T.period,
    category: { index, ...(index.length ? { label } : {}), ...(Object.keys(c.notes).length ? { note: c.notes } : {}) },
  };
  const dims: [string, JsonStatDimension][] = [
    ['indicator', metricDimension(a.indicator, a.unit, c.value, lang)],
    ...breakdownDimensions(a.filter),
    ['area', area],
    ['period', period],
  ];
  return assemble(
    {
      label: `${a.indicator.name}${filterText(a.filter)}, ${areaName} (${a.layer.name})`,
      source: a.source,
      o,
      notes: [...describe(a.indicator), ...breaks],
    },
    dims,
    { time: ['period'], geo: ['area'], metric: ['indicator'] },
    c,
    {
      indicator: a.indicator.key,
      source: a.source,
      unit: a.unit,
      filter: a.filter,
      layer: { key: a.layer.key, name: a.layer.name },
      area: a.area,
      confidentiality: a.indicator.confidentiality,
      minBase: a.indicator.minBase,
      // Per value, aligned with `value`: each point's reference date, period type and boundary version.
      referenceDate: a.points.map((p) => p.referenceDate),
      periodType: a.points.map((p) => p.periodType),
      boundaries: a.points.map((p) => p.versionValidFrom),
      boundaryChange: a.points.map((p) => p.boundaryChange),
    },
  );
}
