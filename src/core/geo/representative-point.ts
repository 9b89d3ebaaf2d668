// A point inside an area (for assigning fine areas as a whole to coarser ones). Pure: no I/O.

import { ringArea } from './geometry.ts';
import { polygonsOf } from './overlay.ts';
import { PointIndex } from './point-index.ts';
import type { AreaGeometry, Ring } from './types.ts';

/**
 * A point inside each geometry (null geometry → NaN): the centroid of its largest part when that
 * lies inside, else the middle of the widest interior stretch of a horizontal line through the
 * part. Used to assign fine areas as a whole.
 */
export function representativePoints(geometries: readonly (AreaGeometry | null)[]): {
  xs: Float64Array;
  ys: Float64Array;
} {
  const xs = new Float64Array(geometries.length).fill(NaN),
    ys = new Float64Array(geometries.length).fill(NaN);
  geometries.forEach((g, k) => {
    if (!g) return;
    const p = representativePoint(g);
    if (p) ((xs[k] = p[0]), (ys[k] = p[1]));
  });
  return { xs, ys };
}

export function representativePoint(g: AreaGeometry): [number, number] | null {
  let best: Ring[] | null = null,
    bestArea = 0;
  for (const poly of polygonsOf(g)) {
    const a = poly.reduce((s, r, i) => s + (i === 0 ? Math.abs(ringArea(r)) : -Math.abs(ringArea(r))), 0);
    if (a > bestArea) ((bestArea = a), (best = poly));
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
      if (cuts[c + 1] - cuts[c] > w) ((w = cuts[c + 1] - cuts[c]), (bx = (cuts[c] + cuts[c + 1]) / 2));
    }
    if (w > 0 && index.assign(bx, y) === 0) return [bx, y];
  }
  return null;
}
