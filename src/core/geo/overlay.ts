// Crosswalks between two layers (or two boundary versions of one layer): for every from-area the
// share of its surface — or of its population — that lies in each to-area, and the congruence of
// the two layers. Pure: no I/O. Methods: docs/methods-spatial.md.
//
// Area weights come from an exact overlay by boundary integration rather than by clipping every
// pair of polygons: the area of A ∩ B is the shoelace sum over the boundary of A ∩ B, which consists
// of the pieces of A's edges lying in B, the pieces of B's edges lying in A, and the stretches
// where both boundaries run together in the same direction. So every edge of both layers is split
// at its intersections with the other layer's edges (flatbush finds the candidate edges; exact
// orientation tests classify crossings, touches and shared stretches), and every piece is
// attributed by one point-in-polygon lookup of its midpoint in the other layer's PointIndex.
// One pass over all edges yields the whole matrix A_i ∩ B_j. Topology is computed in the input
// coordinates; the shoelace terms use an equal-area projection of the piece ends (lon/lat:
// Lambert's cylindrical projection of the authalic sphere, whose shoelace area equals
// geodesicAreaM2 of geometry.ts), so measures are m².

import { AUTHALIC_RADIUS, sinAuthalic } from './geometry.ts';
import Flatbush from 'flatbush';
import { ringArea } from './geometry.ts';
import { PointIndex } from './point-index.ts';
import { orient2d } from './predicates.ts';
import type { AreaGeometry, Ring } from './types.ts';
import { coded, englishText, type Coded } from '../../contracts/codes/index.ts';

export interface OverlayArea {
  code: string;
  geometry: AreaGeometry | null;
}

export interface CrosswalkPair {
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

export interface AreaWeightOptions {
  /** 'lonlat' (default): WGS84 degrees, measures in m². 'planar': projected metres as given. */
  coordinates?: 'lonlat' | 'planar';
  /**
   * Pairs whose measure is below this share of the from-area are dropped (slivers from boundaries
   * digitised twice) and the from-area's weights renormalised; default 0 (keep all).
   */
  minShare?: number;
  /** Prebuilt point indexes of the two layers (same order as the area lists). */
  fromIndex?: PointIndex;
  toIndex?: PointIndex;
}

// ---------------------------------------------------------------------------------------------
// Equal-area projection (authalic sphere, as geodesicAreaM2)

const RAD = Math.PI / 180;

type Projection = (x: number, y: number) => [number, number];

function equalAreaProjection(lon0: number, lat0: number): Projection {
  const y0 = sinAuthalic(lat0);
  return (x, y) => [AUTHALIC_RADIUS * (x - lon0) * RAD, AUTHALIC_RADIUS * (sinAuthalic(y) - y0)];
}

// ---------------------------------------------------------------------------------------------
// Edges

interface EdgeSet {
  /** [x1, y1, x2, y2] directed with the area's interior on the left. */
  xy: Float64Array;
  area: Int32Array;
  count: number;
}

const polygonsOf = (g: AreaGeometry) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

function collectEdges(areas: readonly OverlayArea[]): EdgeSet {
  let cap = 0;
  for (const a of areas) if (a.geometry) for (const p of polygonsOf(a.geometry)) for (const r of p) cap += r.length;
  const xy = new Float64Array(cap * 4);
  const area = new Int32Array(cap);
  let n = 0;
  areas.forEach((a, ai) => {
    if (!a.geometry) return;
    for (const poly of polygonsOf(a.geometry)) {
      poly.forEach((ring: Ring, ri) => {
        const m = ring.length;
        if (m < 3) return;
        // Outer rings counter-clockwise, holes clockwise: the interior is always on the left.
        const signed = ringArea(ring);
        if (signed === 0) return;
        const reverse = ri === 0 ? signed < 0 : signed > 0;
        for (let k = 0; k < m; k++) {
          const i = reverse ? m - 1 - k : k,
            j = reverse ? (i === 0 ? m - 1 : i - 1) : i + 1 === m ? 0 : i + 1;
          const x1 = +ring[i][0],
            y1 = +ring[i][1],
            x2 = +ring[j][0],
            y2 = +ring[j][1];
          if (x1 === x2 && y1 === y2) continue;
          xy[n * 4] = x1;
          xy[n * 4 + 1] = y1;
          xy[n * 4 + 2] = x2;
          xy[n * 4 + 3] = y2;
          area[n] = ai;
          n++;
        }
      });
    }
  });
  return { xy, area, count: n };
}

/** Growable parallel lists of split points and shared stretches, per edge. */
class Splits {
  edge: number[] = [];
  s: number[] = [];
  x: number[] = [];
  y: number[] = [];
  add(edge: number, s: number, x: number, y: number): void {
    this.edge.push(edge);
    this.s.push(s);
    this.x.push(x);
    this.y.push(y);
  }
}
class Stretches {
  edge: number[] = [];
  s0: number[] = [];
  s1: number[] = [];
  other: number[] = [];
  same: boolean[] = [];
  add(edge: number, s0: number, s1: number, other: number, same: boolean): void {
    this.edge.push(edge);
    this.s0.push(Math.min(s0, s1));
    this.s1.push(Math.max(s0, s1));
    this.other.push(other);
    this.same.push(same);
  }
}

/** Position of (x, y) along edge e as a parameter 0..1, measured on the edge's dominant axis. */
function param(E: Float64Array, e: number, x: number, y: number): number {
  const x1 = E[e * 4],
    y1 = E[e * 4 + 1],
    x2 = E[e * 4 + 2],
    y2 = E[e * 4 + 3];
  return Math.abs(x2 - x1) >= Math.abs(y2 - y1) ? (x - x1) / (x2 - x1) : (y - y1) / (y2 - y1);
}
function axisOf(E: Float64Array, e: number): 0 | 1 {
  return Math.abs(E[e * 4 + 2] - E[e * 4]) >= Math.abs(E[e * 4 + 3] - E[e * 4 + 1]) ? 0 : 1;
}

/**
 * The joint measure matrix M[i][j] = area(from_i ∩ to_j) by boundary integration; see the header.
 * Returns per from-area a map to-index → m² (or planar units²), and the total areas.
 */
export function overlayAreas(
  from: readonly OverlayArea[],
  to: readonly OverlayArea[],
  options: Pick<AreaWeightOptions, 'coordinates' | 'fromIndex' | 'toIndex'> = {},
): { matrix: Map<number, number>[]; fromArea: Float64Array; toArea: Float64Array } {
  const F = collectEdges(from),
    T = collectEdges(to);
  const fromIndex = options.fromIndex ?? PointIndex.build(from.map((a) => a.geometry));
  const toIndex = options.toIndex ?? PointIndex.build(to.map((a) => a.geometry));
  const fxy = F.xy,
    txy = T.xy;

  // Projection for the shoelace terms.
  let project: Projection;
  {
    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    for (const E of [F, T])
      for (let k = 0; k < E.count * 4; k += 2) {
        const x = E.xy[k],
          y = E.xy[k + 1];
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    const cx = Number.isFinite(minX) ? (minX + maxX) / 2 : 0,
      cy = Number.isFinite(minY) ? (minY + maxY) / 2 : 0;
    project = options.coordinates === 'planar' ? (x, y) => [x - cx, y - cy] : equalAreaProjection(cx, cy);
  }
  const term = (x1: number, y1: number, x2: number, y2: number) => {
    const [px, py] = project(x1, y1),
      [qx, qy] = project(x2, y2);
    return (px * qy - qx * py) / 2;
  };

  const fSplits = new Splits(),
    tSplits = new Splits();
  const fStretch = new Stretches(),
    tStretch = new Stretches();

  if (F.count > 0 && T.count > 0) {
    const tree = new Flatbush(T.count);
    for (let e = 0; e < T.count; e++) {
      const k = e * 4;
      tree.add(Math.min(txy[k], txy[k + 2]), Math.min(txy[k + 1], txy[k + 3]), Math.max(txy[k], txy[k + 2]), Math.max(txy[k + 1], txy[k + 3]));
    }
    tree.finish();
    for (let f = 0; f < F.count; f++) {
      const k = f * 4;
      const ax = fxy[k],
        ay = fxy[k + 1],
        bx = fxy[k + 2],
        by = fxy[k + 3];
      const fAxis = axisOf(fxy, f);
      tree.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by), (t) => {
        const j = t * 4;
        const cx = txy[j],
          cy = txy[j + 1],
          dx = txy[j + 2],
          dy = txy[j + 3];
        const o1 = orient2d(ax, ay, bx, by, cx, cy),
          o2 = orient2d(ax, ay, bx, by, dx, dy);
        if (o1 !== 0 && o1 === o2) return false;
        const o3 = orient2d(cx, cy, dx, dy, ax, ay),
          o4 = orient2d(cx, cy, dx, dy, bx, by);
        if (o3 !== 0 && o3 === o4) return false;
        const tAxis = axisOf(txy, t);
        // u: coordinate along an axis; strictly between two values (exact for collinear points).
        const between = (v: number, p: number, q: number) => (p < q ? p < v && v < q : q < v && v < p);
        if (o1 === 0 && o2 === 0) {
          // Collinear: a shared stretch if the segments overlap in more than a point.
          const fa = fAxis ? ay : ax,
            fb = fAxis ? by : bx,
            ta = fAxis ? cy : cx,
            tb = fAxis ? dy : dx;
          const lo = Math.max(Math.min(fa, fb), Math.min(ta, tb)),
            hi = Math.min(Math.max(fa, fb), Math.max(ta, tb));
          if (!(lo < hi)) return false;
          const same = fb - fa > 0 === tb - ta > 0;
          if (between(ta, fa, fb)) fSplits.add(f, param(fxy, f, cx, cy), cx, cy);
          if (between(tb, fa, fb)) fSplits.add(f, param(fxy, f, dx, dy), dx, dy);
          fStretch.add(f, (lo - fa) / (fb - fa), (hi - fa) / (fb - fa), T.area[t], same);
          const ua = tAxis ? ay : ax,
            ub = tAxis ? by : bx,
            uc = tAxis ? cy : cx,
            ud = tAxis ? dy : dx;
          if (between(ua, uc, ud)) tSplits.add(t, param(txy, t, ax, ay), ax, ay);
          if (between(ub, uc, ud)) tSplits.add(t, param(txy, t, bx, by), bx, by);
          const lo2 = Math.max(Math.min(uc, ud), Math.min(ua, ub)),
            hi2 = Math.min(Math.max(uc, ud), Math.max(ua, ub));
          tStretch.add(t, (lo2 - uc) / (ud - uc), (hi2 - uc) / (ud - uc), F.area[f], same);
          return false;
        }
        if (o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0) {
          // Proper crossing: one computed point, used for both edges.
          const den = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx);
          const s = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / den;
          const px = ax + s * (bx - ax),
            py = ay + s * (by - ay);
          const sf = param(fxy, f, px, py),
            st = param(txy, t, px, py);
          if (sf > 0 && sf < 1) fSplits.add(f, sf, px, py);
          if (st > 0 && st < 1) tSplits.add(t, st, px, py);
          return false;
        }
        // Touches: an end of one segment on the interior of the other.
        const fa = fAxis ? ay : ax,
          fb = fAxis ? by : bx;
        if (o1 === 0 && between(fAxis ? cy : cx, fa, fb)) fSplits.add(f, param(fxy, f, cx, cy), cx, cy);
        if (o2 === 0 && between(fAxis ? dy : dx, fa, fb)) fSplits.add(f, param(fxy, f, dx, dy), dx, dy);
        const uc = tAxis ? cy : cx,
          ud = tAxis ? dy : dx;
        if (o3 === 0 && between(tAxis ? ay : ax, uc, ud)) tSplits.add(t, param(txy, t, ax, ay), ax, ay);
        if (o4 === 0 && between(tAxis ? by : bx, uc, ud)) tSplits.add(t, param(txy, t, bx, by), bx, by);
        return false;
      });
    }
  }

  const matrix: Map<number, number>[] = from.map(() => new Map());
  const add = (i: number, j: number, v: number) => {
    const m = matrix[i];
    m.set(j, (m.get(j) ?? 0) + v);
  };

  // Walks the pieces of every edge of one layer and attributes their shoelace terms.
  const walk = (
    E: EdgeSet,
    splits: Splits,
    stretches: Stretches,
    attribute: (edgeArea: number, midX: number, midY: number, stretchOther: number, inStretch: boolean, sameStretch: boolean, v: number) => void,
  ) => {
    const order = Array.from(splits.edge.keys()).sort((p, q) => splits.edge[p] - splits.edge[q] || splits.s[p] - splits.s[q]);
    const sOrder = Array.from(stretches.edge.keys()).sort((p, q) => stretches.edge[p] - stretches.edge[q]);
    let sp = 0,
      st = 0;
    const xs: number[] = [],
      ys: number[] = [],
      ss: number[] = [];
    for (let e = 0; e < E.count; e++) {
      const k = e * 4;
      xs.length = ys.length = ss.length = 0;
      xs.push(E.xy[k]);
      ys.push(E.xy[k + 1]);
      ss.push(0);
      while (sp < order.length && splits.edge[order[sp]] === e) {
        const q = order[sp++];
        if (splits.s[q] === ss[ss.length - 1] || (splits.x[q] === xs[xs.length - 1] && splits.y[q] === ys[ys.length - 1])) continue;
        xs.push(splits.x[q]);
        ys.push(splits.y[q]);
        ss.push(splits.s[q]);
      }
      xs.push(E.xy[k + 2]);
      ys.push(E.xy[k + 3]);
      ss.push(1);
      const st0 = st;
      while (st < sOrder.length && stretches.edge[sOrder[st]] === e) st++;
      for (let p = 0; p + 1 < xs.length; p++) {
        const x1 = xs[p],
          y1 = ys[p],
          x2 = xs[p + 1],
          y2 = ys[p + 1];
        if (x1 === x2 && y1 === y2) continue;
        const sm = (ss[p] + ss[p + 1]) / 2;
        let inStretch = false,
          same = false,
          other = -1;
        for (let q = st0; q < st; q++) {
          const r = sOrder[q];
          if (stretches.s0[r] <= sm && sm <= stretches.s1[r]) {
            inStretch = true;
            if (stretches.same[r] && !same) (same = true), (other = stretches.other[r]);
          }
        }
        attribute(E.area[e], (x1 + x2) / 2, (y1 + y2) / 2, other, inStretch, same, term(x1, y1, x2, y2));
      }
    }
  };

  // Pieces of from-edges: the to-area on their left (= containing them, or sharing the stretch).
  walk(F, fSplits, fStretch, (i, mx, my, other, inStretch, same, v) => {
    const j = inStretch ? (same ? other : -1) : toIndex.assign(mx, my);
    if (j >= 0) add(i, j, v);
  });
  // Pieces of to-edges strictly inside a from-area (shared stretches were counted above).
  walk(T, tSplits, tStretch, (j, mx, my, _other, inStretch, _same, v) => {
    if (inStretch) return;
    const i = fromIndex.assign(mx, my);
    if (i >= 0) add(i, j, v);
  });

  const areaOf = (E: EdgeSet, n: number) => {
    const out = new Float64Array(n);
    for (let e = 0; e < E.count; e++) out[E.area[e]] += term(E.xy[e * 4], E.xy[e * 4 + 1], E.xy[e * 4 + 2], E.xy[e * 4 + 3]);
    return out;
  };
  return { matrix, fromArea: areaOf(F, from.length), toArea: areaOf(T, to.length) };
}

// ---------------------------------------------------------------------------------------------
// Crosswalks

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
  const toOut: CrosswalkArea[] = to.map((a, j) => ({ code: a.code, measure: toTotal[j], covered: toCovered[j], uncoveredShare: toTotal[j] > 0 ? Math.max(0, 1 - toCovered[j] / toTotal[j]) : 0 }));
  return { basis, unit: basis === 'area' ? 'm²' : 'persons', pairs, from: fromOut, to: toOut, notes: notes.texts, noteCodes: notes.codes };
}

/**
 * Area weights: for each from-area the share of its surface in each to-area (weights of a
 * from-area sum to 1 over the part covered by the to-layer; the rest is reported as uncovered).
 * Layers are expected to be partitions (no overlaps within a layer); boundaries shared exactly
 * produce no slivers.
 */
export function areaWeights(from: readonly OverlayArea[], to: readonly OverlayArea[], options: AreaWeightOptions = {}): Crosswalk {
  checkCodes(from, 'from layer');
  checkCodes(to, 'to layer');
  const { matrix, fromArea, toArea } = overlayAreas(from, to, options);
  const notes = new Notes();
  // Σ_j |A ∩ B_j| may exceed |A| slightly by float noise, substantially only if the to-layer overlaps itself.
  from.forEach((a, i) => {
    let s = 0;
    for (const m of matrix[i].values()) s += m;
    if (s > fromArea[i] * (1 + 1e-6) + 1e-9) notes.push(coded('note-overlap-counted-twice', { area: a.code, share: ((s / fromArea[i] - 1) * 100).toFixed(3) }));
  });
  return fromMatrix('area', from, to, matrix, fromArea, toArea, options.minShare ?? 0, notes);
}

/** Points with counts (address points with residents, centroids of fine areas …). */
export interface WeightedPoints {
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
export function populationWeights(from: readonly OverlayArea[], to: readonly OverlayArea[], source: PopulationSource, options: PopulationWeightOptions = {}): Crosswalk {
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
    for (let k = 0; k < pts.xs.length; k++) put(fromIndex.assign(pts.xs[k], pts.ys[k]), toIndex.assign(pts.xs[k], pts.ys[k]), pts.counts ? pts.counts[k] : 1);
  }
  const points = options.counting === 'address points';
  if (outsideFrom > 0) notes.push(coded(points ? 'note-points-outside-from' : 'note-population-outside-from', { n: round(outsideFrom) }));
  if (outsideTo > 0) notes.push(coded(points ? 'note-points-outside-to' : 'note-population-outside-to', { n: round(outsideTo) }));
  if (unknown > 0) notes.push(coded('note-unknown-codes', { n: unknown }));
  if (negative > 0) notes.push(coded('note-negative-ignored', { n: negative }));
  return fromMatrix('population', from, to, matrix, fromTotal, toTotal, options.minShare ?? 0, notes);
}

const round = (v: number) => Math.round(v * 100) / 100;

const BASIS_PHRASE = { area: 'phrase-basis-area', population: 'phrase-basis-population' } as const satisfies Record<CrosswalkBasis, string>;

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
    return { code: a.code, measure: a.measure, covered: a.covered, uncoveredShare: f.uncoveredShare, basis: fallback.basis };
  });
  const notes = new Notes(primary.noteCodes);
  if (used) notes.push(coded('note-fallback-weights', { n: used, basis: coded(BASIS_PHRASE[primary.basis]), fallback: coded(BASIS_PHRASE[fallback.basis]) }));
  return { ...primary, pairs, from, notes: notes.texts, noteCodes: notes.codes };
}

// ---------------------------------------------------------------------------------------------
// Representative points

/**
 * A point inside each geometry (null geometry → NaN): the centroid of its largest part when that
 * lies inside, else the middle of the widest interior stretch of a horizontal line through the
 * part. Used to assign fine areas as a whole.
 */
export function representativePoints(geometries: readonly (AreaGeometry | null)[]): { xs: Float64Array; ys: Float64Array } {
  const xs = new Float64Array(geometries.length).fill(NaN),
    ys = new Float64Array(geometries.length).fill(NaN);
  geometries.forEach((g, k) => {
    if (!g) return;
    const p = representativePoint(g);
    if (p) (xs[k] = p[0]), (ys[k] = p[1]);
  });
  return { xs, ys };
}

export function representativePoint(g: AreaGeometry): [number, number] | null {
  let best: Ring[] | null = null,
    bestArea = 0;
  for (const poly of polygonsOf(g)) {
    const a = poly.reduce((s, r, i) => s + (i === 0 ? Math.abs(ringArea(r)) : -Math.abs(ringArea(r))), 0);
    if (a > bestArea) (bestArea = a), (best = poly);
  }
  if (!best) return null;
  const index = PointIndex.build([{ type: 'Polygon', coordinates: best }]);
  // Area-weighted centroid of the rings (holes subtract).
  let cx = 0,
    cy = 0,
    total = 0;
  best.forEach((ring, ri) => {
    const x0 = ring[0][0],
      y0 = ring[0][1];
    let a = 0,
      sx = 0,
      sy = 0;
    for (let i = 1; i + 1 < ring.length; i++) {
      const x1 = ring[i][0] - x0,
        y1 = ring[i][1] - y0,
        x2 = ring[i + 1][0] - x0,
        y2 = ring[i + 1][1] - y0;
      const c = x1 * y2 - x2 * y1;
      a += c;
      sx += (x1 + x2) * c;
      sy += (y1 + y2) * c;
    }
    const sign = (ri === 0) === a > 0 ? 1 : -1; // outer counts positive, holes negative
    if (a !== 0) {
      cx += sign * (sx / 3 + x0 * a);
      cy += sign * (sy / 3 + y0 * a);
      total += sign * a;
    }
  });
  if (total !== 0) {
    const px = cx / total,
      py = cy / total;
    if (index.assign(px, py) === 0) return [px, py];
  }
  // Widest interior stretch on a horizontal line between two distinct vertex heights near the middle.
  const ysAll = [...new Set(best.flatMap((r) => r.map((p) => p[1])))].sort((a, b) => a - b);
  const mid = (ysAll[0] + ysAll[ysAll.length - 1]) / 2;
  let k = ysAll.findIndex((y) => y >= mid);
  if (k <= 0) k = 1;
  const candidates = [k, k - 1, k + 1, 1, ysAll.length - 1].filter((i) => i >= 1 && i < ysAll.length);
  for (const i of candidates) {
    const y = (ysAll[i - 1] + ysAll[i]) / 2;
    const cuts: number[] = [];
    for (const ring of best)
      for (let a = 0, m = ring.length, b = m - 1; a < m; b = a++) {
        const y1 = ring[a][1],
          y2 = ring[b][1];
        if (y1 > y !== y2 > y) cuts.push(ring[a][0] + ((ring[b][0] - ring[a][0]) * (y - y1)) / (y2 - y1));
      }
    cuts.sort((a, b) => a - b);
    let bx = NaN,
      w = -1;
    for (let c = 0; c + 1 < cuts.length; c += 2) {
      if (cuts[c + 1] - cuts[c] > w) (w = cuts[c + 1] - cuts[c]), (bx = (cuts[c] + cuts[c + 1]) / 2);
    }
    if (w > 0 && index.assign(bx, y) === 0) return [bx, y];
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Congruence

export interface CongruenceArea {
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
  const direction = (own: CrosswalkArea[], other: CrosswalkArea[], pairs: { a: string; b: string; m: number }[]): { dir: CongruenceDirection; sumBest: number; sumTotal: number } => {
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
      return { code: a.code, best: b.b, share: Math.min(1, b.m / total), reverseShare: om > 0 ? Math.min(1, b.m / om) : 0 };
    });
    return { dir: { areas, score: sumTotal > 0 ? Math.min(1, sumBest / sumTotal) : 0 }, sumBest, sumTotal };
  };
  if (cw.pairs.some((p) => p.measure === 0 && p.weight > 0)) throw new Error('congruence needs joint measures; this crosswalk carries fallback weights without measures');
  const fw = direction(cw.from, cw.to, cw.pairs.map((p) => ({ a: p.from, b: p.to, m: p.measure })));
  const bw = direction(cw.to, cw.from, cw.pairs.map((p) => ({ a: p.to, b: p.from, m: p.measure })));
  const total = fw.sumTotal + bw.sumTotal;
  return { basis: cw.basis, forward: fw.dir, backward: bw.dir, score: total > 0 ? Math.min(1, (fw.sumBest + bw.sumBest) / total) : 0 };
}
