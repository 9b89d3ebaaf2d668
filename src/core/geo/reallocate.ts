// Carrying values from one layer (or boundary version) to another by a crosswalk. Pure: no I/O.
//
// - Counts are split by weight: value_j = Σ_i w_ij · value_i. As the weights of every from-area
//   sum to 1, the total is preserved (up to float rounding); with rounding 'largest-remainder' the
//   results are integers whose total equals the rounded input total exactly (Hare–Niemeyer).
// - Ratios are rebuilt from split numerators and denominators, never averaged:
//   ratio_j = Σ_i w_ij · num_i / Σ_i w_ij · den_i × factor.
// - Every result is an estimate and says so, with the method (the crosswalk's basis), how many
//   source areas contributed and how complete its sources were.
// Methods: docs/methods-spatial.md.

import type { Crosswalk, CrosswalkBasis } from './crosswalk.ts';

type ReallocationMethod = 'crosswalk-area' | 'crosswalk-population' | 'crosswalk-mixed';

export interface CountInput {
  code: string;
  /** null: not available (suppressed, missing). */
  value: number | null;
}

export interface RatioInput {
  code: string;
  numerator: number | null;
  denominator: number | null;
}

export interface ReallocateOptions {
  /** 'none' (default): real numbers. 'largest-remainder': integers with an exact total. */
  rounding?: 'none' | 'largest-remainder';
  /**
   * A to-area receiving weight from a from-area without a value:
   * 'null' (default): its value is null (incomplete); 'partial': computed from the available
   * sources, with `completeness` < 1.
   */
  missing?: 'null' | 'partial';
}

export interface Estimate {
  code: string;
  value: number | null;
  estimate: true;
  method: ReallocationMethod;
  /** From-areas contributing (with weight > 0). */
  sources: number;
  /** Share of the incoming weight whose source value was available (1 = complete). */
  completeness: number;
  /** Why value is null. */
  reason?: 'no-sources' | 'incomplete-sources' | 'zero-denominator';
}

export interface RatioEstimate extends Estimate {
  numerator: number | null;
  denominator: number | null;
}

export interface ReallocationTotals {
  /** Σ of the input values of from-areas in the crosswalk. */
  input: number;
  /** Σ of the output values (non-null). */
  output: number;
  /** Σ of input values of codes the crosswalk does not know, or whose from-area has no pairs. */
  lost: number;
  /** Codes of input values that could not be carried (unknown or uncovered). */
  lostCodes: string[];
}

function methodOf(cw: Crosswalk): ReallocationMethod {
  const bases = new Set<CrosswalkBasis>(cw.from.map((a) => a.basis ?? cw.basis));
  if (bases.size > 1) return 'crosswalk-mixed';
  return cw.basis === 'area' ? 'crosswalk-area' : 'crosswalk-population';
}

interface Incoming {
  sources: number;
  weightAll: number;
  weightAvailable: number;
  sums: number[];
}

/** Accumulates Σ w · v per to-area for several value columns at once. */
function accumulate(
  cw: Crosswalk,
  columns: number,
  get: (code: string) => (number | null)[] | undefined,
): Map<string, Incoming> {
  const incoming = new Map<string, Incoming>(
    cw.to.map((t) => [t.code, { sources: 0, weightAll: 0, weightAvailable: 0, sums: new Array(columns).fill(0) }]),
  );
  for (const p of cw.pairs) {
    if (!(p.weight > 0)) continue;
    const inc = incoming.get(p.to)!;
    inc.sources++;
    inc.weightAll += p.weight;
    const v = get(p.from);
    if (!v || v.some((x) => x === null || !Number.isFinite(x))) continue;
    inc.weightAvailable += p.weight;
    for (let c = 0; c < columns; c++) inc.sums[c] += p.weight * (v[c] as number);
  }
  return incoming;
}

function inputTotals(cw: Crosswalk, codes: string[], values: (number | null)[][], columns: number) {
  const carried = new Set<string>();
  for (const p of cw.pairs) if (p.weight > 0) carried.add(p.from);
  const input = new Array(columns).fill(0),
    lost = new Array(columns).fill(0);
  const lostCodes: string[] = [];
  codes.forEach((code, k) => {
    const v = values[k];
    if (v.some((x) => x === null || !Number.isFinite(x))) return;
    if (carried.has(code)) v.forEach((x, c) => (input[c] += x as number));
    else {
      v.forEach((x, c) => (lost[c] += x as number));
      lostCodes.push(code);
    }
  });
  return { input, lost, lostCodes };
}

/**
 * Splits counts by the crosswalk's weights. Returns one estimate per to-area (in the crosswalk's
 * to-order) and the totals, so that callers can show that nothing was lost.
 */
export function reallocateCounts(
  cw: Crosswalk,
  values: readonly CountInput[],
  options: ReallocateOptions = {},
): { values: Estimate[]; totals: ReallocationTotals } {
  const byCode = new Map<string, (number | null)[]>();
  for (const v of values) {
    if (byCode.has(v.code)) throw new Error(`reallocateCounts: code "${v.code}" occurs more than once`);
    byCode.set(v.code, [v.value]);
  }
  const incoming = accumulate(cw, 1, (c) => byCode.get(c));
  const method = methodOf(cw);
  const missing = options.missing ?? 'null';
  const out: Estimate[] = cw.to.map((t) => {
    const inc = incoming.get(t.code)!;
    const completeness = inc.weightAll > 0 ? Math.min(1, inc.weightAvailable / inc.weightAll) : 0;
    const base = { code: t.code, estimate: true as const, method, sources: inc.sources, completeness };
    if (inc.sources === 0) return { ...base, value: null, reason: 'no-sources' as const };
    if (inc.weightAvailable < inc.weightAll * (1 - 1e-12) && (missing === 'null' || inc.weightAvailable === 0))
      return { ...base, value: null, reason: 'incomplete-sources' as const };
    return { ...base, value: inc.sums[0] };
  });
  if (options.rounding === 'largest-remainder') largestRemainder(out);
  const t = inputTotals(cw, [...byCode.keys()], [...byCode.values()], 1);
  const output = out.reduce((s, e) => s + (e.value ?? 0), 0);
  return { values: out, totals: { input: t.input[0], output, lost: t.lost[0], lostCodes: t.lostCodes } };
}

/**
 * Rounds the non-null values to integers so that their total equals the rounded total of the
 * unrounded values (Hare–Niemeyer / largest remainder): every value is floored, and the units
 * missing to the total go to the largest remainders (ties: larger value, then code).
 */
export function largestRemainder<T extends { code: string; value: number | null }>(items: T[]): T[] {
  const live = items.filter((e) => e.value !== null && Number.isFinite(e.value));
  const total = Math.round(live.reduce((s, e) => s + (e.value as number), 0));
  const floors = live.map((e) => Math.floor((e.value as number) + 1e-9));
  let rest = total - floors.reduce((s, f) => s + f, 0);
  const order = live
    .map((e, k) => ({ k, r: (e.value as number) - floors[k], v: e.value as number, code: e.code }))
    .sort((a, b) => b.r - a.r || b.v - a.v || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  for (let q = 0; rest > 0 && order.length > 0; q = (q + 1) % order.length, rest--) floors[order[q].k]++;
  for (let q = order.length - 1; rest < 0 && order.length > 0; q = (q - 1 + order.length) % order.length, rest++)
    floors[order[q].k]--;
  live.forEach((e, k) => (e.value = floors[k]));
  return items;
}

/**
 * Rebuilds ratios on the to-layer from split numerators and denominators:
 * value = Σ w·num / Σ w·den × factor (default 1; 100 for percentages). Ratios are never averaged.
 */
export function reallocateRatios(
  cw: Crosswalk,
  values: readonly RatioInput[],
  options: { factor?: number; missing?: 'null' | 'partial' } = {},
): { values: RatioEstimate[]; totals: { numerator: ReallocationTotals; denominator: ReallocationTotals } } {
  const factor = options.factor ?? 1;
  const byCode = new Map<string, (number | null)[]>();
  for (const v of values) {
    if (byCode.has(v.code)) throw new Error(`reallocateRatios: code "${v.code}" occurs more than once`);
    byCode.set(v.code, [v.numerator, v.denominator]);
  }
  const incoming = accumulate(cw, 2, (c) => byCode.get(c));
  const method = methodOf(cw);
  const missing = options.missing ?? 'null';
  const out: RatioEstimate[] = cw.to.map((t) => {
    const inc = incoming.get(t.code)!;
    const completeness = inc.weightAll > 0 ? Math.min(1, inc.weightAvailable / inc.weightAll) : 0;
    const base = { code: t.code, estimate: true as const, method, sources: inc.sources, completeness };
    if (inc.sources === 0)
      return { ...base, value: null, numerator: null, denominator: null, reason: 'no-sources' as const };
    if (inc.weightAvailable < inc.weightAll * (1 - 1e-12) && (missing === 'null' || inc.weightAvailable === 0))
      return { ...base, value: null, numerator: null, denominator: null, reason: 'incomplete-sources' as const };
    const [num, den] = inc.sums;
    if (den === 0)
      return { ...base, value: null, numerator: num, denominator: den, reason: 'zero-denominator' as const };
    return { ...base, value: (num / den) * factor, numerator: num, denominator: den };
  });
  const t = inputTotals(cw, [...byCode.keys()], [...byCode.values()], 2);
  const sum = (c: 'numerator' | 'denominator') => out.reduce((s, e) => s + (e[c] ?? 0), 0);
  return {
    values: out,
    totals: {
      numerator: { input: t.input[0], output: sum('numerator'), lost: t.lost[0], lostCodes: t.lostCodes },
      denominator: { input: t.input[1], output: sum('denominator'), lost: t.lost[1], lostCodes: t.lostCodes },
    },
  };
}
