// The congruence of two layers: how far each area of one lies in a single area of the other
// (from a crosswalk). Pure: no I/O. Methods: docs/methods-spatial.md.

import type { Crosswalk, CrosswalkArea, CrosswalkBasis } from './crosswalk.ts';

interface CongruenceArea {
  code: string;
  /** Counterpart sharing the largest measure; null if the area shares nothing. */
  best: string | null;
  /** Share of this area's measure lying in the best counterpart. */
  share: number;
  /** Share of the best counterpart's measure lying in this area. */
  reverseShare: number;
}

export interface CongruenceDirection {
  areas: CongruenceArea[];
  /** Measure-weighted mean of the best shares: Σ max_j M_ij / Σ M_i. */
  score: number;
}

export interface Congruence {
  basis: CrosswalkBasis;
  /** From the from-layer's point of view. */
  forward: CongruenceDirection;
  /** From the to-layer's point of view. */
  backward: CongruenceDirection;
  /** Both directions together: (Σ_i max_j M_ij + Σ_j max_i M_ij) / (Σ_i M_i + Σ_j M_j); 1 = identical layers. */
  score: number;
}

/**
 * How well two layers match: for every area its best counterpart and the share of its measure
 * (surface or population) they share, in both directions, and overall scores. Uses the joint
 * measures of the crosswalk (pairs[].measure) and the area totals (uncovered parts count as not
 * shared).
 */
export function congruence(cw: Crosswalk): Congruence {
  const direction = (
    own: CrosswalkArea[],
    other: CrosswalkArea[],
    pairs: { a: string; b: string; m: number }[],
  ): { dir: CongruenceDirection; sumBest: number; sumTotal: number } => {
    const best = new Map<string, { b: string; m: number }>();
    for (const p of pairs) {
      const cur = best.get(p.a);
      if (!cur || p.m > cur.m || (p.m === cur.m && p.b < cur.b)) best.set(p.a, { b: p.b, m: p.m });
    }
    const otherMeasure = new Map(other.map((o) => [o.code, o.measure]));
    let sumBest = 0,
      sumTotal = 0;
    const areas = own.map((a) => {
      const b = best.get(a.code);
      const total = a.measure;
      sumTotal += Math.max(0, total);
      if (!b || !(total > 0)) return { code: a.code, best: b?.b ?? null, share: 0, reverseShare: 0 };
      sumBest += b.m;
      const om = otherMeasure.get(b.b) ?? 0;
      return {
        code: a.code,
        best: b.b,
        share: Math.min(1, b.m / total),
        reverseShare: om > 0 ? Math.min(1, b.m / om) : 0,
      };
    });
    return { dir: { areas, score: sumTotal > 0 ? Math.min(1, sumBest / sumTotal) : 0 }, sumBest, sumTotal };
  };
  if (cw.pairs.some((p) => p.measure === 0 && p.weight > 0))
    throw new Error('congruence needs joint measures; this crosswalk carries fallback weights without measures');
  const fw = direction(
    cw.from,
    cw.to,
    cw.pairs.map((p) => ({ a: p.from, b: p.to, m: p.measure })),
  );
  const bw = direction(
    cw.to,
    cw.from,
    cw.pairs.map((p) => ({ a: p.to, b: p.from, m: p.measure })),
  );
  const total = fw.sumTotal + bw.sumTotal;
  return {
    basis: cw.basis,
    forward: fw.dir,
    backward: bw.dir,
    score: total > 0 ? Math.min(1, (fw.sumBest + bw.sumBest) / total) : 0,
  };
}
