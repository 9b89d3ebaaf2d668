// Class breaks for choropleth maps: natural breaks (Jenks, computed optimally with ckmeans),
// quantiles, equal intervals and manual breaks; plus sequential and diverging colour schemes.
// Pure functions, unit-tested in test/core/stats/classify.test.ts.
//
// Breaks are the *inner* thresholds t1 < t2 < … < t(k-1): class 0 holds values < t1, class i
// holds t(i) ≤ v < t(i+1), the last class v ≥ t(k-1). A legend shows [min, t1), [t1, t2), … [t(k-1), max].

export type Method = 'jenks' | 'quantile' | 'equal' | 'manual';
export const METHODS: Method[] = ['jenks', 'quantile', 'equal', 'manual'];

function finiteSorted(values: readonly (number | null | undefined)[]): number[] {
  const out: number[] = [];
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
  return out.sort((a, b) => a - b);
}

function uniqueSorted(xs: number[]): number[] {
  const out: number[] = [];
  for (const x of xs) if (!out.length || out[out.length - 1] !== x) out.push(x);
  return out;
}

/**
 * Optimal 1-D k-means (Wang & Song's Ckmeans.1d.dp): splits sorted values into at most k groups
 * minimising the within-group sum of squared deviations — the exact "natural breaks" that Jenks'
 * iterative method approximates. Returns the groups (each sorted, in order).
 */
export function ckmeans(values: readonly number[], k: number): number[][] {
  const x = finiteSorted(values);
  const n = x.length;
  if (n === 0) return [];
  const distinct = uniqueSorted(x).length;
  k = Math.max(1, Math.min(Math.floor(k), distinct));
  if (k === 1) return [x];
  // Prefix sums for O(1) within-cluster cost of x[j..i].
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  const shift = x[Math.floor(n / 2)];
  for (let i = 0; i < n; i++) {
    const v = x[i] - shift;
    s1[i + 1] = s1[i] + v;
    s2[i + 1] = s2[i] + v * v;
  }
  const cost = (j: number, i: number): number => {
    const m = i - j + 1;
    const a = s1[i + 1] - s1[j];
    return s2[i + 1] - s2[j] - (a * a) / m;
  };
  // D[c][i]: minimal cost of putting x[0..i] into c+1 clusters; B: start index of the last cluster.
  const D: Float64Array[] = [];
  const B: Int32Array[] = [];
  for (let c = 0; c < k; c++) {
    D.push(new Float64Array(n));
    B.push(new Int32Array(n));
  }
  for (let i = 0; i < n; i++) {
    D[0][i] = cost(0, i);
    B[0][i] = 0;
  }
  for (let c = 1; c < k; c++) {
    for (let i = c; i < n; i++) {
      let best = Infinity;
      let arg = c;
      // The last cluster starts at j (c ≤ j ≤ i); monotonicity of optimal j lets us start from the previous row's argmin.
      const jStart = Math.max(c, i > c ? B[c][i - 1] : c);
      for (let j = jStart; j <= i; j++) {
        const v = D[c - 1][j - 1] + cost(j, i);
        if (v < best) {
          best = v;
          arg = j;
        }
      }
      D[c][i] = best;
      B[c][i] = arg;
    }
  }
  const groups: number[][] = [];
  let end = n - 1;
  for (let c = k - 1; c >= 0; c--) {
    const start = B[c][end];
    groups.unshift(x.slice(start, end + 1));
    end = start - 1;
    if (end < 0) break;
  }
  return groups.filter((g) => g.length > 0);
}

/** Natural breaks: the first value of each ckmeans group after the first. */
export function jenksBreaks(values: readonly (number | null | undefined)[], k: number): number[] {
  const groups = ckmeans(finiteSorted(values), k);
  return groups.slice(1).map((g) => g[0]);
}

/** Quantile breaks: each class holds about the same number of areas. */
export function quantileBreaks(values: readonly (number | null | undefined)[], k: number): number[] {
  const x = finiteSorted(values);
  if (x.length === 0 || k < 2) return [];
  const out: number[] = [];
  for (let i = 1; i < k; i++) {
    // Type-7 quantile (as in R and d3.quantileSorted).
    const h = (x.length - 1) * (i / k);
    const lo = Math.floor(h);
    const q = x[lo] + (x[Math.min(lo + 1, x.length - 1)] - x[lo]) * (h - lo);
    out.push(q);
  }
  return normalizeBreaks(out, x[0], x[x.length - 1]);
}

/** Equal intervals between the minimum and the maximum. */
export function equalIntervalBreaks(values: readonly (number | null | undefined)[], k: number): number[] {
  const x = finiteSorted(values);
  if (x.length === 0 || k < 2) return [];
  const min = x[0];
  const max = x[x.length - 1];
  if (min === max) return [];
  const out: number[] = [];
  for (let i = 1; i < k; i++) out.push(min + ((max - min) * i) / k);
  return out;
}

/**
 * Manual breaks from user text: numbers separated by ";" or whitespace, German ("12,5") or
 * English ("12.5") decimals. Returns the sorted distinct numbers, or an error message key.
 */
export function parseManualBreaks(text: string): { breaks: number[] } | { error: string } {
  const parts = text
    .split(/[;\s|]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (!parts.length) return { error: 'empty' };
  const out: number[] = [];
  for (const p of parts) {
    let s = p;
    // "1.234,5" → 1234.5; "12,5" → 12.5; "12.5" → 12.5
    if (/^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, '').replace(',', '.');
    else s = s.replace(',', '.');
    const v = Number(s);
    if (!/^-?\d*\.?\d+(e-?\d+)?$/i.test(s) || !Number.isFinite(v)) return { error: 'number' };
    out.push(v);
  }
  return { breaks: uniqueSorted(out.sort((a, b) => a - b)) };
}

/** Breaks as a URL parameter value: "10;20,5;30" with a decimal point ("10;20.5;30"). */
export function formatBreaksParam(breaks: readonly number[]): string {
  return breaks.map((b) => String(b)).join(';');
}

/** Drops breaks that are not strictly increasing or that coincide with the minimum (empty classes). */
function normalizeBreaks(b: number[], min: number, max: number): number[] {
  const out: number[] = [];
  for (const v of b) {
    if (v <= min || v > max) continue;
    if (out.length && v <= out[out.length - 1]) continue;
    out.push(v);
  }
  return out;
}

export function computeBreaks(
  method: Method,
  values: readonly (number | null | undefined)[],
  k: number,
  manual: readonly number[] = [],
): number[] {
  switch (method) {
    case 'jenks':
      return jenksBreaks(values, k);
    case 'quantile':
      return quantileBreaks(values, k);
    case 'equal':
      return equalIntervalBreaks(values, k);
    case 'manual':
      return [...manual];
  }
}

/** Class index of a value (0 … breaks.length). */
export function classOf(value: number, breaks: readonly number[]): number {
  // Binary search: number of breaks ≤ value.
  let lo = 0;
  let hi = breaks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (breaks[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of values in each class. */
export function classCounts(values: readonly (number | null | undefined)[], breaks: readonly number[]): number[] {
  const counts = new Array(breaks.length + 1).fill(0);
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) counts[classOf(v, breaks)]++;
  return counts;
}

/**
 * After the city value became a break: keeps the number of classes asked for by dropping the
 * computed break nearest to the city value (it would leave a sliver beside it), and drops breaks
 * that leave a class without any area — never the city value itself (issue #15, item 9).
 * `sorted` are the values in ascending order.
 */
export function dropSlivers(breaks: readonly number[], center: number, sorted: readonly number[], k: number): number[] {
  let b = [...breaks];
  const isCenter = (v: number) => v === center;
  while (b.length + 1 > Math.max(2, k) && b.some((v) => !isCenter(v))) {
    let best = -1;
    for (let i = 0; i < b.length; i++)
      if (!isCenter(b[i]) && (best < 0 || Math.abs(b[i] - center) < Math.abs(b[best] - center))) best = i;
    b.splice(best, 1);
  }
  for (let guard = 0; guard < 20; guard++) {
    const counts = classCounts(sorted, b);
    const empty = counts.findIndex((n) => n === 0);
    if (empty < 0) break;
    // an empty class lies between b[empty-1] and b[empty]: drop the bound that is not the center
    const lower = empty - 1;
    const upper = empty;
    const drop = upper < b.length && !isCenter(b[upper]) ? upper : lower >= 0 && !isCenter(b[lower]) ? lower : -1;
    if (drop < 0) break;
    b.splice(drop, 1);
  }
  return b;
}

/**
 * Inserts the city value as a break (for a diverging scheme around it) and returns the breaks
 * plus the index of the first class at or above the city value.
 */
export function withCenter(
  breaks: readonly number[],
  center: number,
  min: number,
  max: number,
): { breaks: number[]; centerClass: number } {
  const inside = center > min && center <= max;
  const b = breaks.filter((x) => x !== center);
  if (inside) b.push(center);
  b.sort((x, y) => x - y);
  if (center > max) return { breaks: b, centerClass: b.length + 1 };
  return { breaks: b, centerClass: classOf(center, b) };
}

// ---------------------------------------------------------------------------------------------
// Colours

export type Polarity = 'higher_is_better' | 'higher_is_worse' | 'neutral' | string;

function hex(c: [number, number, number]): string {
  return (
    '#' +
    c
      .map((v) =>
        Math.round(Math.max(0, Math.min(255, v)))
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')
  );
}
function rgb(h: string): [number, number, number] {
  const n = parseInt(h.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
function mix(a: string, b: string, t: number): string {
  const x = rgb(a);
  const y = rgb(b);
  return hex([x[0] + (y[0] - x[0]) * t, x[1] + (y[1] - x[1]) * t, x[2] + (y[2] - x[2]) * t]);
}

/** Sequential blues (ColorBrewer "Blues" end points, interpolated through its mid tone). */
export function sequentialColors(k: number): string[] {
  const stops = ['#eff3ff', '#9ecae1', '#4292c6', '#08306b'];
  if (k <= 1) return ['#4292c6'];
  const out: string[] = [];
  for (let i = 0; i < k; i++) {
    const t = (i / (k - 1)) * (stops.length - 1);
    const j = Math.min(stops.length - 2, Math.floor(t));
    out.push(mix(stops[j], stops[j + 1], t - j));
  }
  return out;
}

const GOOD = ['#d1e5f0', '#2166ac']; // light → strong blue
const BAD = ['#fddbc7', '#b2182b']; // light → strong red

function ramp(from: string, to: string, n: number): string[] {
  if (n <= 0) return [];
  if (n === 1) return [mix(from, to, 0.5)];
  return Array.from({ length: n }, (_, i) => mix(from, to, i / (n - 1)));
}

/**
 * Diverging colours around the city value: `below` classes under it, `above` classes at or above
 * it, darker further away. For "higher is worse" the classes above the city are red and those
 * below blue; for "higher is better" the other way round.
 */
export function divergingColors(below: number, above: number, polarity: Polarity): string[] {
  const upIsBad = polarity !== 'higher_is_better';
  const lower = ramp(...((upIsBad ? GOOD : BAD) as [string, string]), below).reverse();
  const upper = ramp(...((upIsBad ? BAD : GOOD) as [string, string]), above);
  return [...lower, ...upper];
}

export interface Scheme {
  breaks: number[];
  colors: string[];
  /** Index of the first class at or above the city value in a diverging scheme. */
  centerClass?: number;
  diverging: boolean;
}

/**
 * Breaks and colours for a map: a diverging scheme around the city value for indicators with a
 * polarity (higher is better / worse), a sequential one otherwise.
 */
export function buildScheme(
  values: readonly (number | null | undefined)[],
  o: { method: Method; k: number; manual?: number[]; polarity?: Polarity; center?: number | null },
): Scheme {
  const x = finiteSorted(values);
  let breaks = computeBreaks(o.method, x, o.k, o.manual);
  const diverging =
    (o.polarity === 'higher_is_better' || o.polarity === 'higher_is_worse') &&
    typeof o.center === 'number' &&
    Number.isFinite(o.center) &&
    x.length > 0;
  if (!diverging) return { breaks, colors: sequentialColors(breaks.length + 1), diverging: false };
  const min = x[0];
  const max = x[x.length - 1];
  const c = withCenter(breaks, o.center!, min, max);
  breaks = o.method === 'manual' ? c.breaks : dropSlivers(c.breaks, o.center!, x, o.k);
  const classes = breaks.length + 1;
  const below = Math.max(0, Math.min(classes, o.center! > max ? breaks.length + 1 : classOf(o.center!, breaks)));
  return { breaks, colors: divergingColors(below, classes - below, o.polarity!), centerClass: below, diverging: true };
}

/** Relative luminance and contrast (WCAG) — used to pick black or white text on a fill. */
function luminance(h: string): number {
  const [r, g, b] = rgb(h).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
export function contrastRatio(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
export function textColorOn(fill: string): string {
  return contrastRatio(fill, '#000000') >= contrastRatio(fill, '#ffffff') ? '#000000' : '#ffffff';
}
