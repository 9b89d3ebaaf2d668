// Composite index definitions in the browser (issue #5): the templates applied to the data, the compact form
// kept in the URL (a permalink of the whole definition), client-side checks that name the field,
// class colours, score bins for the histogram and the component breakdown ("why is this area red?").
// Pure functions, unit-tested in test/web/indexdef.test.ts. The server validates again
// (src/core/stats/index-definition.ts); its rules and defaults are mirrored here.
import type { IndexDefinitionInput } from '../../../src/core/stats/index-definition.ts';

type Direction = 1 | -1;
type SdKind = 'population' | 'sample';
type ClosedSide = 'left' | 'right' | 'centre';

interface IndexComponent {
  indicator: string;
  weight: number;
  direction: Direction;
  name?: string;
  /** Own period of the input: "within" (the latest one ending within the index's period) or a period key. */
  period?: string;
}

export type Transform = { method: 'zscore'; sd?: SdKind } | { method: 'minmax' } | { method: 'percentile' };

export type Classes =
  | {
      method: 'thresholds' | 'manual';
      breaks: number[];
      labels: string[];
      closed?: ClosedSide;
      centre?: number;
      tolerance?: number;
    }
  | { method: 'quantiles'; n: number; labels?: string[]; closed?: ClosedSide; centre?: number; tolerance?: number };

interface Exclusions {
  minBase?: { indicator: string; min: number };
  areas?: { code: string; reason: string }[];
}

export interface IndexDefinition {
  key: string;
  name: string;
  description?: string;
  version?: number;
  layer: string;
  period: string;
  change?: { from: string };
  components: IndexComponent[];
  transform?: Transform;
  combine?: 'sum' | 'mean';
  restandardize?: boolean | { sd: SdKind };
  classes?: Classes;
  exclude?: Exclusions;
  missing?: 'exclude' | 'mean';
}

// ---------------------------------------------------------------------------------------------
// Defaults (as the server fills them) and the compact form for the URL

function defaultClosed(c: Classes): ClosedSide {
  return c.method === 'thresholds' ? 'centre' : 'right';
}

/**
 * The shipped templates as the form edits them: the server sends them as written (its input
 * shape), where a component without a weight has the weight 1. The form's definition type is
 * still its own declaration of core's (src/core/stats/index-definition.ts); until the two are one,
 * the server's templates (written in code, checked by its tests) are taken as the form's type.
 */
export function templateDefinitions(templates: Record<string, IndexDefinitionInput>): Record<string, IndexDefinition> {
  return Object.fromEntries(
    Object.entries(templates).map(([k, d]) => [
      k,
      { ...d, components: d.components.map((c) => ({ ...c, weight: c.weight ?? 1 })) } as IndexDefinition,
    ]),
  );
}

/** Fills the defaults the server would fill, so that the form always has a value to show. */
export function normalizeDefinition(d: IndexDefinition): IndexDefinition {
  const transform: Transform = d.transform
    ? d.transform.method === 'zscore'
      ? { method: 'zscore', sd: d.transform.sd ?? 'population' }
      : { method: d.transform.method }
    : { method: 'zscore', sd: 'population' };
  const out: IndexDefinition = {
    key: d.key,
    name: d.name,
    ...(d.description ? { description: d.description } : {}),
    layer: d.layer,
    period: d.period,
    ...(d.change ? { change: { from: d.change.from } } : {}),
    components: d.components.map((c) => ({
      indicator: c.indicator,
      weight: c.weight ?? 1,
      direction: c.direction === -1 ? -1 : 1,
      ...(c.name ? { name: c.name } : {}),
      ...(c.period ? { period: c.period } : {}),
    })),
    transform,
    combine: d.combine ?? 'sum',
    restandardize: d.restandardize ?? false,
    ...(d.classes
      ? { classes: { ...d.classes, closed: d.classes.closed ?? defaultClosed(d.classes) } as Classes }
      : {}),
    exclude: {
      ...(d.exclude?.minBase ? { minBase: { ...d.exclude.minBase } } : {}),
      areas: (d.exclude?.areas ?? []).map((a) => ({ ...a })),
    },
    missing: d.missing ?? 'exclude',
  };
  return out;
}

/** The definition without the fields that equal the server's defaults (short permalinks). */
export function compactDefinition(d: IndexDefinition): IndexDefinition {
  const n = normalizeDefinition(d);
  const out: IndexDefinition = { key: n.key, name: n.name, layer: n.layer, period: n.period, components: n.components };
  if (n.description) out.description = n.description;
  if (n.change) out.change = n.change;
  out.components = n.components.map((c) => {
    const x: IndexComponent = { indicator: c.indicator, weight: c.weight, direction: c.direction };
    if (c.name) x.name = c.name;
    if (c.period) x.period = c.period;
    return x;
  });
  if (!(n.transform?.method === 'zscore' && n.transform.sd === 'population')) out.transform = n.transform;
  if (n.combine !== 'sum') out.combine = n.combine;
  if (n.restandardize !== false) out.restandardize = n.restandardize;
  if (n.classes) {
    const c = { ...n.classes } as Classes & { closed?: ClosedSide; centre?: number; tolerance?: number };
    if (c.closed === defaultClosed(c)) delete c.closed;
    if (c.centre === 0) delete c.centre;
    if (c.tolerance === 1e-9) delete c.tolerance;
    out.classes = c;
  }
  const ex: Exclusions = {};
  if (n.exclude?.minBase) ex.minBase = n.exclude.minBase;
  if (n.exclude?.areas?.length) ex.areas = n.exclude.areas;
  if (ex.minBase || ex.areas) out.exclude = ex;
  if (n.missing !== 'exclude') out.missing = n.missing;
  return out;
}

/** For the `def` URL parameter: compact JSON. */
export function encodeDefinition(d: IndexDefinition): string {
  return JSON.stringify(compactDefinition(d));
}

/** Reads the `def` URL parameter; a damaged link gives an error instead of a broken form. */
export function decodeDefinition(text: string | undefined): { def: IndexDefinition } | { error: string } {
  if (!text) return { error: 'empty' };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { error: 'json' };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { error: 'shape' };
  const o = v as Record<string, unknown>;
  if (typeof o.layer !== 'string' || typeof o.period !== 'string' || !Array.isArray(o.components))
    return { error: 'shape' };
  const components: IndexComponent[] = [];
  for (const c of o.components as unknown[]) {
    if (!c || typeof c !== 'object') return { error: 'shape' };
    const x = c as Record<string, unknown>;
    if (typeof x.indicator !== 'string') return { error: 'shape' };
    components.push({
      indicator: x.indicator,
      weight: typeof x.weight === 'number' ? x.weight : 1,
      direction: x.direction === -1 ? -1 : 1,
      ...(typeof x.name === 'string' ? { name: x.name } : {}),
      ...(typeof x.period === 'string' && x.period ? { period: x.period } : {}),
    });
  }
  const def = {
    ...(o as unknown as IndexDefinition),
    key: typeof o.key === 'string' ? o.key : 'index',
    name: typeof o.name === 'string' ? o.name : 'Index',
    components,
  };
  return { def: normalizeDefinition(def) };
}

// ---------------------------------------------------------------------------------------------
// Checks in the browser (the same rules as the server, with the field they concern)

export interface DefinitionProblem {
  /** Dotted path as the server names it: "key", "components.1.weight", "classes.labels", … */
  field: string;
  code:
    | 'key'
    | 'name'
    | 'noComponents'
    | 'duplicate'
    | 'weight'
    | 'breaks'
    | 'labels'
    | 'quantiles'
    | 'minBase'
    | 'reason'
    | 'duplicateArea'
    | 'changeFrom';
  /** Numbers for the message, e.g. how many labels are needed. */
  expected?: number;
  got?: number;
}

const KEY_PATTERN = /^[a-z][a-z0-9_]*$/;

export function checkDefinition(d: IndexDefinition): DefinitionProblem[] {
  const out: DefinitionProblem[] = [];
  if (!KEY_PATTERN.test(d.key) || d.key.length > 90) out.push({ field: 'key', code: 'key' });
  if (!d.name.trim()) out.push({ field: 'name', code: 'name' });
  if (!d.components.length) out.push({ field: 'components', code: 'noComponents' });
  const seen = new Set<string>();
  d.components.forEach((c, i) => {
    if (seen.has(c.indicator)) out.push({ field: `components.${i}.indicator`, code: 'duplicate' });
    seen.add(c.indicator);
    if (!(Number.isFinite(c.weight) && c.weight > 0)) out.push({ field: `components.${i}.weight`, code: 'weight' });
  });
  const c = d.classes;
  if (c) {
    if (c.method === 'quantiles') {
      if (!Number.isInteger(c.n) || c.n < 2 || c.n > 100) out.push({ field: 'classes.n', code: 'quantiles' });
      else if (c.labels && c.labels.length && c.labels.length !== c.n)
        out.push({ field: 'classes.labels', code: 'labels', expected: c.n, got: c.labels.length });
    } else {
      const b = c.breaks;
      const increasing = b.every((x, i) => Number.isFinite(x) && (i === 0 || x > b[i - 1]));
      if (!b.length || !increasing) out.push({ field: 'classes.breaks', code: 'breaks' });
      else if (c.labels.length !== b.length + 1)
        out.push({ field: 'classes.labels', code: 'labels', expected: b.length + 1, got: c.labels.length });
    }
  }
  const mb = d.exclude?.minBase;
  if (mb && (!KEY_PATTERN.test(mb.indicator) || !Number.isFinite(mb.min)))
    out.push({ field: 'exclude.minBase', code: 'minBase' });
  const codes = new Set<string>();
  (d.exclude?.areas ?? []).forEach((a, i) => {
    if (!a.reason.trim()) out.push({ field: `exclude.areas.${i}.reason`, code: 'reason' });
    if (codes.has(a.code)) out.push({ field: `exclude.areas.${i}.code`, code: 'duplicateArea' });
    codes.add(a.code);
  });
  if (d.change && (!d.change.from || d.change.from >= d.period)) out.push({ field: 'change.from', code: 'changeFrom' });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Templates applied to the data at hand

/** Periods in which every one of the indicators has data, oldest first. */
export function commonPeriods(
  keys: readonly string[],
  periodsOf: (key: string) => readonly string[] | undefined,
): string[] {
  let common: string[] | null = null;
  for (const k of keys) {
    const ps = periodsOf(k);
    if (!ps) continue; // unknown here (e.g. not readable): the server will say so
    common = common === null ? [...ps] : common.filter((p) => ps.includes(p));
  }
  return (common ?? []).sort();
}

/**
 * A template made ready for this database: its layer if the database has it, otherwise the
 * given fallback; the latest period in which all inputs have data; for a dynamics index the
 * comparison period two years (or as many periods as available) earlier.
 */
export function applyTemplate(
  tpl: IndexDefinition,
  o: {
    layers: readonly string[];
    fallbackLayer: string;
    periodsOf: (key: string) => readonly string[] | undefined;
    layer?: string;
  },
): IndexDefinition {
  const d = normalizeDefinition(structuredClone(tpl));
  d.layer =
    o.layer && o.layers.includes(o.layer) ? o.layer : o.layers.includes(tpl.layer) ? tpl.layer : o.fallbackLayer;
  // Inputs with their own period ("within" or fixed) do not decide the index's period.
  const periods = commonPeriods(
    d.components.filter((c) => !c.period).map((c) => c.indicator),
    o.periodsOf,
  );
  if (periods.length) d.period = periods[periods.length - 1];
  if (d.change && periods.length > 1) d.change = { from: earlierPeriod(periods, d.period, 2) };
  return d;
}

/** The period `years` years before `period` if it is in the list, else the earliest one before it. */
export function earlierPeriod(periods: readonly string[], period: string, years: number): string {
  const m = /^(\d{4})(.*)$/.exec(period);
  if (m) {
    const want = `${Number(m[1]) - years}${m[2]}`;
    if (periods.includes(want)) return want;
  }
  const before = periods.filter((p) => p < period).sort();
  return before.length ? before[Math.max(0, before.length - years)] : period;
}

// ---------------------------------------------------------------------------------------------
// Number lists typed by people

/** "−1; 1; 1,5" (German or English decimals, Unicode minus) → [-1, 1, 1.5]; null when a part is not a number. */
export function parseNumberList(text: string): number[] | null {
  const parts = text
    .split(/[;|]|\s+(?=[-−+\d])/)
    .map((s) => s.trim())
    .filter(Boolean);
  const out: number[] = [];
  for (const p of parts) {
    const n = parseDecimal(p);
    if (n === null) return null;
    out.push(n);
  }
  return out;
}

/** One number as people type it: "1,5", "1.5", "−1", "1.234,5". */
export function parseDecimal(text: string): number | null {
  let s = text.trim().replace(/[−–]/g, '-').replace(/\s/g, '');
  if (!s) return null;
  if (/^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
  else s = s.replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/** [-1, 1, 1.5] → "−1; 1; 1,5" (de) or "−1; 1; 1.5" (en). */
export function formatNumberList(xs: readonly number[], lang: 'de' | 'en'): string {
  return xs.map((x) => formatPlain(x, lang)).join('; ');
}

export function formatPlain(x: number, lang: 'de' | 'en'): string {
  const s = String(Number(x.toPrecision(12)));
  return (lang === 'de' ? s.replace('.', ',') : s).replace(/^-/, '−');
}

/** "hoch; mittel; niedrig" → ["hoch", "mittel", "niedrig"] (empty parts dropped). */
export function parseLabels(text: string): string[] {
  return text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
}

// ---------------------------------------------------------------------------------------------
// Classes, colours and bins

const BLUES = ['#2166ac', '#4393c3', '#92c5de', '#d1e5f0']; // strong → light
const REDS = ['#fddbc7', '#f4a582', '#d6604d', '#b2182b']; // light → strong
const NEUTRAL = '#e8e4d8';
/** Which steps of a 4-step ramp to use for n classes (spread out, so that neighbours differ). */
const STEPS: Record<number, number[]> = { 1: [1], 2: [0, 2], 3: [0, 1, 2], 4: [0, 1, 2, 3] };

function hexToRgb(h: string): number[] {
  const n = parseInt(h.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
function mixHex(a: string, b: string, t: number): string {
  const x = hexToRgb(a);
  const y = hexToRgb(b);
  return (
    '#' +
    x
      .map((v, i) =>
        Math.round(v + (y[i] - v) * t)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
}

/** n colours of a ramp, strongest at the end far from the centre. */
function sample(ramp: readonly string[], n: number, strongFirst: boolean): string[] {
  if (n <= 0) return [];
  let out: string[];
  const ordered = strongFirst ? ramp : [...ramp].reverse(); // strong → light
  if (n <= 4) out = STEPS[n].map((i) => ordered[i]);
  else
    out = Array.from({ length: n }, (_, i) => {
      const t = (i / (n - 1)) * (ordered.length - 1);
      const j = Math.min(ordered.length - 2, Math.floor(t));
      return mixHex(ordered[j], ordered[j + 1], t - j);
    });
  return strongFirst ? out : out.reverse();
}

/**
 * Colours of the index classes, ordered by score (class 1 = lowest score). A higher score means
 * more need in every template (direction +1 = more need), so classes wholly above the centre are
 * red, those wholly below blue, and a class around the centre (e.g. "mittel" from −1 to +1)
 * neutral. Without known breaks the classes split into a blue and a red half.
 */
export function classColors(k: number, breaks: readonly number[] | null, centre = 0): string[] {
  if (k <= 0) return [];
  if (k === 1) return [NEUTRAL];
  let below = 0;
  let middle = 0;
  if (breaks && breaks.length === k - 1) {
    for (let i = 0; i < k; i++) {
      const lo = i === 0 ? -Infinity : breaks[i - 1];
      const hi = i === k - 1 ? Infinity : breaks[i];
      if (hi <= centre) below++;
      else if (lo < centre) middle++;
    }
  } else {
    below = Math.floor(k / 2);
    middle = k % 2;
  }
  const above = k - below - middle;
  return [...sample(BLUES, below, true), ...(middle ? [NEUTRAL] : []), ...sample(REDS, above, false)];
}

export interface Bin {
  x0: number;
  x1: number;
  n: number;
}

/** A "nice" step (1, 2, 2.5 or 5 × 10^k) close to `raw`. */
export function niceStep(raw: number): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  const f = raw / p;
  const m = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
  return m * p;
}

/**
 * Histogram bins of equal, nicely rounded width covering all values (about `target` bins);
 * a value on a bin edge belongs to the bin above it, the maximum to the last bin.
 */
export function scoreBins(values: readonly number[], target = 12): Bin[] {
  const x = values.filter((v) => Number.isFinite(v));
  if (!x.length) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of x) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return [{ x0: min - 0.5, x1: max + 0.5, n: x.length }];
  const step = niceStep((max - min) / target);
  const start = Math.floor(min / step + 1e-9) * step;
  const count = Math.max(1, Math.ceil((max - start) / step - 1e-9));
  const bins: Bin[] = Array.from({ length: count }, (_, i) => ({
    x0: round(start + i * step),
    x1: round(start + (i + 1) * step),
    n: 0,
  }));
  for (const v of x) {
    let i = Math.floor((v - start) / step + 1e-9);
    if (i >= count) i = count - 1;
    if (i < 0) i = 0;
    bins[i].n++;
  }
  return bins;
}

function round(x: number): number {
  return Number(x.toPrecision(12));
}

/** A classification is shaky when an area keeps its class in fewer than this share of runs. */
export const SHAKY_BELOW = 0.8;

export function isShaky(keepShare: number | null | undefined): boolean {
  return typeof keepShare === 'number' && keepShare < SHAKY_BELOW;
}

// ---------------------------------------------------------------------------------------------
// Why is this area red? The contributions of the components.

export interface ContributionRow {
  indicator: string;
  name: string;
  weight: number;
  direction: Direction;
  /** weight × direction (÷ Σweight for "mean"). */
  coefficient: number;
  /** The transformed (e.g. z-standardised) value of the input. */
  standardized: number | null;
  /** coefficient × standardized: its share of the raw score. */
  contribution: number;
}

/**
 * The contributions of one area in the order of the definition's components, with the
 * transformed value recovered from contribution ÷ coefficient, and their sum (the raw score).
 */
export function contributionRows(
  def: IndexDefinition,
  contributions: Record<string, number>,
  names: (key: string) => string | undefined,
): { rows: ContributionRow[]; sum: number } {
  const total = def.components.reduce((s, c) => s + (c.weight ?? 1), 0);
  const mean = (def.combine ?? 'sum') === 'mean';
  let sum = 0;
  const rows = def.components
    .filter((c) => typeof contributions[c.indicator] === 'number')
    .map((c) => {
      const coefficient = ((c.weight ?? 1) * c.direction) / (mean && total > 0 ? total : 1);
      const contribution = contributions[c.indicator];
      sum += contribution;
      return {
        indicator: c.indicator,
        name: c.name ?? names(c.indicator) ?? c.indicator,
        weight: c.weight ?? 1,
        direction: c.direction,
        coefficient,
        standardized: coefficient !== 0 ? contribution / coefficient : null,
        contribution,
      };
    });
  return { rows, sum };
}

/** The component that pushes the score up the most (the main reason for a high score), if any pushes it up. */
export function mainDriver(rows: readonly ContributionRow[]): ContributionRow | null {
  let best: ContributionRow | null = null;
  for (const r of rows) if (r.contribution > 0 && (!best || r.contribution > best.contribution)) best = r;
  return best;
}

// ---------------------------------------------------------------------------------------------
// Reasons for an exclusion, as the server words them (English), made translatable.

export type Exclusion =
  | { kind: 'base'; indicator: string; value: number; min: number }
  | { kind: 'missingBase'; indicator: string }
  | { kind: 'missingValues'; indicators: string[] }
  | { kind: 'named'; reason: string };

export function parseExclusion(reason: string): Exclusion {
  let m = /^base ([a-z][a-z0-9_]*) (-?[\d.e+-]+) < (-?[\d.e+-]+)$/.exec(reason);
  if (m) return { kind: 'base', indicator: m[1], value: Number(m[2]), min: Number(m[3]) };
  m = /^missing base ([a-z][a-z0-9_]*)$/.exec(reason);
  if (m) return { kind: 'missingBase', indicator: m[1] };
  m = /^missing values? for (.+)$/.exec(reason);
  if (m) return { kind: 'missingValues', indicators: m[1].split(/,\s*/) };
  return { kind: 'named', reason };
}
