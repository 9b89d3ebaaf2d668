// Crosswalks between two layers (or two boundary versions of one layer): for every from-area the
// share of its surface (from the exact overlay in overlay.ts) or of its population (points counted
// in areas) that lies in each to-area; and population weights with area weights where an area has
// no population. Pure: no I/O. Methods: docs/methods-spatial.md.

import { coded, englishText, type Coded } from '../../contracts/codes/index.ts';
import { overlayAreas, type AreaWeightOptions, type OverlayArea } from './overlay.ts';
import { PointIndex } from './point-index.ts';
import { representativePoints } from './representative-point.ts';
import type { AreaGeometry } from './types.ts';

interface CrosswalkPair {
  from: string;
  to: string;
  /** m² (area basis) or persons/addresses (population basis) of from ∩ to. */
  measure: number;
  /** Share of the from-area's covered measure lying in the to-area; sums to 1 per from-area. */
  weight: number;
}

export interface CrosswalkArea {
  code: string;
  /** Total measure of the area (m², or persons). */
  measure: number;
  /** Measure shared with the other layer (kept pairs only). */
  covered: number;
  /** 1 − covered / measure: the part lying in no area of the other layer (or dropped as sliver). */
  uncoveredShare: number;
  /** Basis the weights of this from-area rest on (differs from the crosswalk's after withFallback). */
  basis?: CrosswalkBasis;
}

export type CrosswalkBasis = 'area' | 'population';

export interface Crosswalk {
  basis: CrosswalkBasis;
  /** m² (area), persons (population), or addresses (address points counted once each: a dwelling proxy). */
  unit: 'm²' | 'persons' | 'addresses';
  /** Pairs with measure > 0, grouped by from-area (input order), largest weight first. */
  pairs: CrosswalkPair[];
  from: CrosswalkArea[];
  to: CrosswalkArea[];
  /** Remarks in English (as before codes); `noteCodes` holds the same, one code each, in the same order. */
  notes: string[];
  noteCodes: Coded[];
}

/** Notes as codes, their English texts beside them (Crosswalk.notes and noteCodes). */
class Notes {
  readonly codes: Coded[] = [];
  constructor(from: readonly Coded[] = []) {
    this.codes.push(...from);
  }
  push(c: Coded): void {
    this.codes.push(c);
  }
  get texts(): string[] {
    return this.codes.map(englishText);
  }
}

function checkCodes(areas: readonly { code: string }[], label: string): void {
  const seen = new Set<string>();
  for (const a of areas) {
    if (seen.has(a.code)) throw new Error(`${label}: area code "${a.code}" occurs more than once`);
    seen.add(a.code);
  }
}

/** Builds the crosswalk from a joint measure matrix (from-index → to-index → measure). */
function fromMatrix(
  basis: CrosswalkBasis,
  from: readonly { code: string }[],
  to: readonly { code: string }[],
  matrix: Map<number, number>[],
  fromTotal: ArrayLike<number>,
  toTotal: ArrayLike<number>,
  minShare: number,
  notes: Notes,
): Crosswalk {
  const pairs: CrosswalkPair[] = [];
  const toCovered = new Float64Array(to.length);
  let dropped = 0;
  const fromOut: CrosswalkArea[] = from.map((a, i) => {
    const total = fromTotal[i];
    const kept: [number, number][] = [];
    for (const [j, m] of matrix[i]) {
      // Boundary integration leaves float noise of ~1e-12 relative on pairs that only touch.
      if (!(m > Math.max(0, total) * Math.max(minShare, 1e-12))) {
        if (m > 0 && minShare > 0) dropped++;
        continue;
      }
      kept.push([j, m]);
    }
    kept.sort((p, q) => q[1] - p[1] || p[0] - q[0]);
    const covered = kept.reduce((s, [, m]) => s + m, 0);
    for (const [j, m] of kept) {
      pairs.push({ from: a.code, to: to[j].code, measure: m, weight: m / covered });
      toCovered[j] += m;
    }
    return { code: a.code, measure: total, covered, uncoveredShare: total > 0 ? Math.max(0, 1 - covered / total) : 0 };
  });
  if (dropped) notes.push(coded('note-pairs-dropped', { n: dropped, min: minShare }));
  const toOut: CrosswalkArea[] = to.map((a, j) => ({
    code: a.code,
    measure: toTotal[j],
    covered: toCovered[j],
    uncoveredShare: toTotal[j] > 0 ? Math.max(0, 1 - toCovered[j] / toTotal[j]) : 0,
  }));
  return {
    basis,
    unit: basis === 'area' ? 'm²' : 'persons',
    pairs,
    from: fromOut,
    to: toOut,
    notes: notes.texts,
    noteCodes: notes.codes,
  };
}

/**
 * Area weights: for each from-area the share of its surface in each to-area (weights of a
 * from-area sum to 1 over the part covered by the to-layer; the rest is reported as uncovered).
 * Layers are expected to be partitions (no overlaps within a layer); boundaries shared exactly
 * produce no slivers.
 */
export function areaWeights(
  from: readonly OverlayArea[],
  to: readonly OverlayArea[],
  options: AreaWeightOptions = {},
): Crosswalk {
  checkCodes(from, 'from layer');
  checkCodes(to, 'to layer');
  const { matrix, fromArea, toArea } = overlayAreas(from, to, options);
  const notes = new Notes();
  // Σ_j |A ∩ B_j| may exceed |A| slightly by float noise, substantially only if the to-layer overlaps itself.
  from.forEach((a, i) => {
    let s = 0;
    for (const m of matrix[i].values()) s += m;
    if (s > fromArea[i] * (1 + 1e-6) + 1e-9)
      notes.push(
        coded('note-overlap-counted-twice', { area: a.code, share: ((s / fromArea[i] - 1) * 100).toFixed(3) }),
      );
  });
  return fromMatrix('area', from, to, matrix, fromArea, toArea, options.minShare ?? 0, notes);
}

/** Points with counts (address points with residents, centroids of fine areas …). */
interface WeightedPoints {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  /** Population (or any count) per point; default 1 each. */
  counts?: ArrayLike<number>;
}

export type PopulationSource =
  | ({ kind: 'points' } & WeightedPoints)
  /** Fine areas (e.g. blocks) with population: assigned by a representative point inside each. */
  | { kind: 'areas'; areas: readonly { geometry: AreaGeometry | null; population: number }[] }
  /** Fine areas already carrying the codes of both layers (e.g. blocks nesting in both versions). */
  | { kind: 'assigned'; rows: readonly { from: string; to: string; population: number }[] };

export interface PopulationWeightOptions {
  fromIndex?: PointIndex;
  toIndex?: PointIndex;
  minShare?: number;
  /** What the points count, for the notes: residents (default) or address points. */
  counting?: 'population' | 'address points';
}

/**
 * Population weights: the share of each from-area's population living in each to-area, from
 * points with counts, from fine areas with population (each assigned as a whole by a point inside
 * it — exact when the fine areas nest in both layers), or from rows already carrying both codes.
 * From-areas without population get no pairs (see withFallback).
 */
export function populationWeights(
  from: readonly OverlayArea[],
  to: readonly OverlayArea[],
  source: PopulationSource,
  options: PopulationWeightOptions = {},
): Crosswalk {
  checkCodes(from, 'from layer');
  checkCodes(to, 'to layer');
  const matrix: Map<number, number>[] = from.map(() => new Map());
  const fromTotal = new Float64Array(from.length),
    toTotal = new Float64Array(to.length);
  const notes = new Notes();
  let outsideFrom = 0,
    outsideTo = 0,
    unknown = 0,
    negative = 0;
  const put = (i: number, j: number, c: number) => {
    if (!(c > 0)) {
      if (c < 0) negative++;
      return;
    }
    if (i >= 0) fromTotal[i] += c;
    else outsideFrom += c;
    if (j >= 0) toTotal[j] += c;
    else outsideTo += c;
    if (i >= 0 && j >= 0) matrix[i].set(j, (matrix[i].get(j) ?? 0) + c);
  };
  if (source.kind === 'assigned') {
    const fi = new Map(from.map((a, i) => [a.code, i])),
      ti = new Map(to.map((a, j) => [a.code, j]));
    for (const r of source.rows) {
      const i = fi.get(r.from) ?? -1,
        j = ti.get(r.to) ?? -1;
      if ((i < 0 && r.from !== '') || (j < 0 && r.to !== '')) unknown++;
      put(i, j, r.population);
    }
  } else {
    let pts: WeightedPoints;
    if (source.kind === 'areas') {
      const rp = representativePoints(source.areas.map((a) => a.geometry));
      pts = { xs: rp.xs, ys: rp.ys, counts: source.areas.map((a) => a.population) };
    } else pts = source;
    const fromIndex = options.fromIndex ?? PointIndex.build(from.map((a) => a.geometry));
    const toIndex = options.toIndex ?? PointIndex.build(to.map((a) => a.geometry));
    for (let k = 0; k < pts.xs.length; k++)
      put(fromIndex.assign(pts.xs[k], pts.ys[k]), toIndex.assign(pts.xs[k], pts.ys[k]), pts.counts ? pts.counts[k] : 1);
  }
  const points = options.counting === 'address points';
  if (outsideFrom > 0)
    notes.push(coded(points ? 'note-points-outside-from' : 'note-population-outside-from', { n: round(outsideFrom) }));
  if (outsideTo > 0)
    notes.push(coded(points ? 'note-points-outside-to' : 'note-population-outside-to', { n: round(outsideTo) }));
  if (unknown > 0) notes.push(coded('note-unknown-codes', { n: unknown }));
  if (negative > 0) notes.push(coded('note-negative-ignored', { n: negative }));
  return fromMatrix('population', from, to, matrix, fromTotal, toTotal, options.minShare ?? 0, notes);
}

const round = (v: number) => Math.round(v * 100) / 100;

const BASIS_PHRASE = { area: 'phrase-basis-area', population: 'phrase-basis-population' } as const satisfies Record<
  CrosswalkBasis,
  string
>;

/**
 * Population weights where a from-area has population, area weights where it has none
 * (uninhabited parks, industrial estates): every from-area gets weights summing to 1. The basis of
 * each from-area is recorded in `from[].basis`.
 */
export function withFallback(primary: Crosswalk, fallback: Crosswalk): Crosswalk {
  const byFrom = new Map<string, CrosswalkPair[]>();
  for (const p of primary.pairs) (byFrom.get(p.from) ?? byFrom.set(p.from, []).get(p.from)!).push(p);
  const fbFrom = new Map<string, CrosswalkPair[]>();
  for (const p of fallback.pairs) (fbFrom.get(p.from) ?? fbFrom.set(p.from, []).get(p.from)!).push(p);
  const fbArea = new Map(fallback.from.map((a) => [a.code, a]));
  const pairs: CrosswalkPair[] = [];
  let used = 0;
  const from = primary.from.map((a) => {
    const own = byFrom.get(a.code);
    if (own?.length) {
      pairs.push(...own);
      return { ...a, basis: primary.basis };
    }
    const fb = fbFrom.get(a.code);
    if (!fb?.length) return { ...a, basis: primary.basis };
    used++;
    pairs.push(...fb.map((p) => ({ ...p, measure: 0 })));
    const f = fbArea.get(a.code)!;
    return {
      code: a.code,
      measure: a.measure,
      covered: a.covered,
      uncoveredShare: f.uncoveredShare,
      basis: fallback.basis,
    };
  });
  const notes = new Notes(primary.noteCodes);
  if (used)
    notes.push(
      coded('note-fallback-weights', {
        n: used,
        basis: coded(BASIS_PHRASE[primary.basis]),
        fallback: coded(BASIS_PHRASE[fallback.basis]),
      }),
    );
  return { ...primary, pairs, from, notes: notes.texts, noteCodes: notes.codes };
}
