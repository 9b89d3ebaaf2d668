// The exact overlay of two layers (or two boundary versions of one layer): the measure (m²) of
// every intersection A_i ∩ B_j, from which crosswalk.ts builds area weights. Pure: no I/O.
// Methods: docs/methods-spatial.md.
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

export interface OverlayArea {
  code: string;
  geometry: AreaGeometry | null;
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

export const polygonsOf = (g: AreaGeometry) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);

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
      tree.add(
        Math.min(txy[k], txy[k + 2]),
        Math.min(txy[k + 1], txy[k + 3]),
        Math.max(txy[k], txy[k + 2]),
        Math.max(txy[k + 1], txy[k + 3]),
      );
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
    attribute: (
      edgeArea: number,
      midX: number,
      midY: number,
      stretchOther: number,
      inStretch: boolean,
      sameStretch: boolean,
      v: number,
    ) => void,
  ) => {
    const order = Array.from(splits.edge.keys()).sort(
      (p, q) => splits.edge[p] - splits.edge[q] || splits.s[p] - splits.s[q],
    );
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
        if (
          splits.s[q] === ss[ss.length - 1] ||
          (splits.x[q] === xs[xs.length - 1] && splits.y[q] === ys[ys.length - 1])
        )
          continue;
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
            if (stretches.same[r] && !same) ((same = true), (other = stretches.other[r]));
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
    for (let e = 0; e < E.count; e++)
      out[E.area[e]] += term(E.xy[e * 4], E.xy[e * 4 + 1], E.xy[e * 4 + 2], E.xy[e * 4 + 3]);
    return out;
  };
  return { matrix, fromArea: areaOf(F, from.length), toArea: areaOf(T, to.length) };
}
