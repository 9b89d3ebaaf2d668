// Small exact building blocks shared by the index, sensitivity and cluster code: means and standard
// deviations (two-pass, in input order, so results are reproducible to the last bit), R's type-7
// quantile, average ranks, and an index sort on Float64Array keys.

export type SdKind = 'population' | 'sample';

export type Num = number | null | undefined;

/** A value that counts as missing: null, undefined or NaN (typed arrays carry NaN for missing). */
export function isMissing(v: Num): v is null | undefined {
  return v === null || v === undefined || Number.isNaN(v);
}

/** Arithmetic mean of `xs[0..n)` (summed in order). */
export function mean(xs: ArrayLike<number>, n = xs.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  return s / n;
}

/**
 * Standard deviation around a given mean, two-pass: population divides the sum of squared deviations
 * by n, sample by n − 1 (R's sd()). Returns NaN for a sample sd of fewer than 2 values.
 */
export function sdAround(xs: ArrayLike<number>, m: number, kind: SdKind, n = xs.length): number {
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i] - m;
    ss += d * d;
  }
  const denom = kind === 'population' ? n : n - 1;
  return denom > 0 ? Math.sqrt(ss / denom) : NaN;
}

/**
 * Quantile of an ascending sorted array, R's default type 7:
 * h = (n − 1)·p; q = (1 − f)·x[lo] + f·x[hi] with lo = ⌊h⌋, hi = ⌈h⌉, f = h − lo (as quantile.default computes it).
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number, n = sorted.length): number {
  if (n === 0) return NaN;
  const index = (n - 1) * p;
  const lo = Math.floor(index);
  const hi = Math.ceil(index);
  const qlo = sorted[lo];
  const f = index - lo;
  if (f > 0 && sorted[hi] !== qlo) return (1 - f) * qlo + f * sorted[hi];
  return qlo;
}

/** First position in `sorted[0..n)` whose value is ≥ v (ascending order). */
function lowerBound(sorted: ArrayLike<number>, v: number, n = sorted.length): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position in `sorted[0..n)` whose value is > v (ascending order). */
export function upperBound(sorted: ArrayLike<number>, v: number, n = sorted.length): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Average (mid) ranks, 1-based, as R's rank(x, ties.method = "average"): tied values share the mean of
 * the ranks they occupy. Uses a native numeric sort of a Float64Array copy plus binary search.
 */
export function averageRanks(xs: ArrayLike<number>): Float64Array {
  const n = xs.length;
  const sorted = Float64Array.from(xs).sort();
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lo = lowerBound(sorted, xs[i], n);
    const hi = upperBound(sorted, xs[i], n);
    out[i] = (lo + 1 + hi) / 2;
  }
  return out;
}
