// Typologies (issue #5): type profiles, generated plain-German descriptions, comparison of two
// typologies (cross table, adjusted Rand index) and their integration into one.
// Rules are documented in docs/methods-indices.md.
import { toMatrix, type Matrix } from './cluster.ts';

export type TypeLabel = number | string;

/** Deterministic order of type labels: numbers ascending, then strings in code-unit order. */
function compareLabels(a: TypeLabel, b: TypeLabel): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function distinct(xs: readonly (TypeLabel | null | undefined)[]): TypeLabel[] {
  const s = new Set<TypeLabel>();
  for (const x of xs) if (x !== null && x !== undefined) s.add(x);
  return [...s].sort(compareLabels);
}

export interface TypeProfile {
  type: TypeLabel;
  n: number;
  /** Mean of each (standardised) indicator over the type's areas, in column order. */
  means: number[];
}

/**
 * Mean profile of each type: the mean of every standardised indicator over the areas of the type.
 * With z-scores, a mean of +1 says "one standard deviation above the average area". Areas without a
 * type (null) are left out. Types are listed in label order.
 */
export function typeProfiles(x: Matrix, types: readonly (TypeLabel | null | undefined)[]): TypeProfile[] {
  const { n, p, data } = toMatrix(x);
  if (types.length !== n) throw new RangeError(`${types.length} types for ${n} areas`);
  return distinct(types).map((type) => {
    const means = new Array<number>(p).fill(0);
    let cnt = 0;
    for (let i = 0; i < n; i++) {
      if (types[i] !== type) continue;
      cnt++;
      for (let j = 0; j < p; j++) means[j] += data[i * p + j];
    }
    for (let j = 0; j < p; j++) means[j] /= cnt;
    return { type, n: cnt, means };
  });
}

export interface DescribeOptions {
  /** Minimum |mean| (in standard deviations) for an indicator to be named (default 0.5). */
  threshold?: number;
  /** At most this many indicators per side (default 3). */
  maxItems?: number;
  /** Append the mean, e.g. "Kinderarmut (+1,2)" (default false). */
  withValues?: boolean;
}

function de(x: number): string {
  const s = Math.abs(x).toFixed(1).replace('.', ',');
  return (x < 0 ? '−' : '+') + s;
}

/**
 * Plain-German description of a type profile from its most distinctive indicators: those whose mean
 * is at least `threshold` standard deviations above (überdurchschnittlich) or below
 * (unterdurchschnittlich) the average, strongest first (ties in indicator order), at most `maxItems`
 * per side. E.g. "überdurchschnittlich: Kinderarmut, Arbeitslosigkeit; unterdurchschnittlich: Anteil 65+".
 */
export function describeProfile(
  means: readonly number[],
  names: readonly string[],
  options: DescribeOptions = {},
): string {
  if (names.length !== means.length)
    throw new RangeError(`${names.length} indicator names for ${means.length} profile values`);
  const threshold = options.threshold ?? 0.5;
  const maxItems = options.maxItems ?? 3;
  const order = means.map((_, j) => j).sort((a, b) => Math.abs(means[b]) - Math.abs(means[a]) || a - b);
  const item = (j: number) => (options.withValues ? `${names[j]} (${de(means[j])})` : names[j]);
  const above = order
    .filter((j) => means[j] >= threshold)
    .slice(0, maxItems)
    .map(item);
  const below = order
    .filter((j) => means[j] <= -threshold)
    .slice(0, maxItems)
    .map(item);
  const parts: string[] = [];
  if (above.length) parts.push(`überdurchschnittlich: ${above.join(', ')}`);
  if (below.length) parts.push(`unterdurchschnittlich: ${below.join(', ')}`);
  return parts.length ? parts.join('; ') : 'durchschnittlich in allen Merkmalen';
}

/** Profiles with their generated descriptions. */
export function describeTypes(
  x: Matrix,
  types: readonly (TypeLabel | null | undefined)[],
  names: readonly string[],
  options: DescribeOptions = {},
): (TypeProfile & { description: string })[] {
  return typeProfiles(x, types).map((pr) => ({ ...pr, description: describeProfile(pr.means, names, options) }));
}

// ---------------------------------------------------------------------------------------------
// Comparing two typologies

export interface CrossTable {
  rows: TypeLabel[];
  cols: TypeLabel[];
  /** counts[r][c]: areas of type rows[r] in typology a and cols[c] in typology b. */
  counts: number[][];
  rowTotals: number[];
  colTotals: number[];
  n: number;
  /** Areas left out because either typology gives them no type. */
  skipped: number;
}

/** Cross table of two typologies over the same areas (in the same order). */
export function crossTable(
  a: readonly (TypeLabel | null | undefined)[],
  b: readonly (TypeLabel | null | undefined)[],
): CrossTable {
  if (a.length !== b.length) throw new RangeError(`the typologies cover ${a.length} and ${b.length} areas`);
  const rows = distinct(a);
  const cols = distinct(b);
  const ri = new Map(rows.map((r, i) => [r, i]));
  const ci = new Map(cols.map((c, i) => [c, i]));
  const counts = rows.map(() => new Array<number>(cols.length).fill(0));
  const rowTotals = new Array<number>(rows.length).fill(0);
  const colTotals = new Array<number>(cols.length).fill(0);
  let n = 0;
  let skipped = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === null || x === undefined || y === null || y === undefined) {
      skipped++;
      continue;
    }
    const r = ri.get(x)!;
    const c = ci.get(y)!;
    counts[r][c]++;
    rowTotals[r]++;
    colTotals[c]++;
    n++;
  }
  return { rows, cols, counts, rowTotals, colTotals, n, skipped };
}

const pairs = (m: number) => (m * (m - 1)) / 2;

/**
 * Adjusted Rand index (Hubert & Arabie 1985) over the areas typed in both:
 * ARI = (Σ C(nᵢⱼ,2) − E) / (½[Σ C(aᵢ,2) + Σ C(bⱼ,2)] − E), E = Σ C(aᵢ,2) · Σ C(bⱼ,2) / C(n,2).
 * 1 for identical partitions (also the degenerate case where both are one cluster or all singletons),
 * about 0 for independent ones; it can be negative. As R's mclust::adjustedRandIndex.
 */
export function adjustedRandIndex(
  a: readonly (TypeLabel | null | undefined)[],
  b: readonly (TypeLabel | null | undefined)[],
): number {
  const t = crossTable(a, b);
  if (t.n < 2) throw new RangeError(`the adjusted Rand index needs at least 2 areas typed in both, got ${t.n}`);
  let index = 0;
  for (const row of t.counts) for (const c of row) index += pairs(c);
  let sa = 0;
  for (const r of t.rowTotals) sa += pairs(r);
  let sb = 0;
  for (const c of t.colTotals) sb += pairs(c);
  const expected = (sa * sb) / pairs(t.n);
  const max = (sa + sb) / 2;
  if (max === expected) return 1;
  return (index - expected) / (max - expected);
}

// ---------------------------------------------------------------------------------------------
// Integrating two typologies

export interface MergeOptions {
  /** Standardised indicators of the areas (rows aligned with a and b): needed to place sparse combinations. */
  data?: Matrix;
  /** Combinations with fewer areas are sparse and merged into the nearest type (default max(2, round(5 % of n))). */
  minSize?: number;
  /** Explicit integration: "a|b" → target type for every combination that occurs (no rule applied). */
  mapping?: Readonly<Record<string, TypeLabel>>;
}

interface MergedType {
  type: number;
  label: string;
  n: number;
  /** The combinations "a|b" that make up this type. */
  combinations: string[];
}

export interface MergedTypology {
  /** Integrated type of each area, 1…K (null where either typology gives no type). */
  type: (number | null)[];
  types: MergedType[];
  /** Every combination that occurs, with its size, whether it was sparse, and the type it went to. */
  combinations: { key: string; a: TypeLabel; b: TypeLabel; n: number; sparse: boolean; type: number }[];
}

/**
 * Integrates two typologies into one. Without a mapping: cross-classify (each occurring combination
 * a × b is a candidate type, in the order of a, then b); combinations with fewer than `minSize` areas
 * are sparse, and each sparse combination as a whole joins the non-sparse combination whose mean
 * profile (in `data`) is nearest to its own (squared Euclidean distance; ties: the earlier
 * combination). If every combination is sparse, the largest one is kept. The kept combinations are
 * numbered 1…K in order. With a mapping, every occurring combination "a|b" must be mapped; the targets
 * are numbered 1…K in label order.
 */
export function mergeTypologies(
  a: readonly (TypeLabel | null | undefined)[],
  b: readonly (TypeLabel | null | undefined)[],
  options: MergeOptions = {},
): MergedTypology {
  if (a.length !== b.length) throw new RangeError(`the typologies cover ${a.length} and ${b.length} areas`);
  const N = a.length;
  const t = crossTable(a, b);
  type Combo = { key: string; a: TypeLabel; b: TypeLabel; n: number; sparse: boolean; type: number };
  const combos: Combo[] = [];
  const comboIndex = new Map<string, number>();
  t.rows.forEach((ra, r) =>
    t.cols.forEach((cb, c) => {
      if (t.counts[r][c] === 0) return;
      const key = `${ra}|${cb}`;
      comboIndex.set(key, combos.length);
      combos.push({ key, a: ra, b: cb, n: t.counts[r][c], sparse: false, type: 0 });
    }),
  );
  const keyOf = (i: number): string | null =>
    a[i] === null || a[i] === undefined || b[i] === null || b[i] === undefined ? null : `${a[i]}|${b[i]}`;

  let types: MergedType[];
  if (options.mapping) {
    const mapping = options.mapping;
    const unmapped = combos.filter((c) => !(c.key in mapping)).map((c) => c.key);
    if (unmapped.length) throw new RangeError(`mapping: no target for the combination(s) ${unmapped.join(', ')}`);
    const targets = distinct(combos.map((c) => mapping[c.key]));
    const num = new Map(targets.map((x, i) => [x, i + 1]));
    types = targets.map((x, i) => ({ type: i + 1, label: String(x), n: 0, combinations: [] }));
    for (const c of combos) {
      c.type = num.get(mapping[c.key])!;
      types[c.type - 1].n += c.n;
      types[c.type - 1].combinations.push(c.key);
    }
  } else {
    const minSize = options.minSize ?? Math.max(2, Math.round(0.05 * t.n));
    for (const c of combos) c.sparse = c.n < minSize;
    if (combos.length && combos.every((c) => c.sparse)) {
      let big = combos[0];
      for (const c of combos) if (c.n > big.n) big = c;
      big.sparse = false;
    }
    const kept = combos.filter((c) => !c.sparse);
    kept.forEach((c, i) => (c.type = i + 1));
    if (kept.length < combos.length) {
      if (!options.data)
        throw new RangeError(
          'mergeTypologies: sparse combinations are merged by profile distance, so `data` (the standardised indicators) is needed',
        );
      const { n, p, data } = toMatrix(options.data);
      if (n !== N) throw new RangeError(`data has ${n} rows for ${N} areas`);
      const prof = combos.map(() => new Float64Array(p));
      for (let i = 0; i < N; i++) {
        const k = keyOf(i);
        if (k === null) continue;
        const pr = prof[comboIndex.get(k)!];
        for (let j = 0; j < p; j++) pr[j] += data[i * p + j];
      }
      combos.forEach((c, ci) => {
        for (let j = 0; j < p; j++) prof[ci][j] /= c.n;
      });
      combos.forEach((c, ci) => {
        if (!c.sparse) return;
        let best = Infinity;
        for (const k of kept) {
          const pk = prof[comboIndex.get(k.key)!];
          let d = 0;
          for (let j = 0; j < p; j++) {
            const diff = prof[ci][j] - pk[j];
            d += diff * diff;
          }
          if (d < best) {
            best = d;
            c.type = k.type;
          }
        }
      });
    }
    types = kept.map((c) => ({ type: c.type, label: `${c.a} × ${c.b}`, n: 0, combinations: [] }));
    for (const c of combos) {
      types[c.type - 1].n += c.n;
      types[c.type - 1].combinations.push(c.key);
    }
  }

  const type: (number | null)[] = new Array(N);
  for (let i = 0; i < N; i++) {
    const k = keyOf(i);
    type[i] = k === null ? null : combos[comboIndex.get(k)!].type;
  }
  return { type, types, combinations: combos };
}
