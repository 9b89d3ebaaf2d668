// Geometry of groups of lattice cells as GeoJSON MultiPolygons (WGS84 lon/lat).

import type { MultiPolygonGeometry, Position } from '../core/geo/types.ts';
import { areaCentroid, traceBoundary, type DirectedEdge, type Lattice } from './lattice.ts';

/**
 * Returns a function from a group of lattice cells to its MultiPolygon in lon/lat, rounded to
 * 7 decimals (about 1 cm). Coordinates are transformed once per vertex and per edge and copied
 * into every ring that uses them, so shared boundaries are identical number for number.
 * Outer rings are counter-clockwise and holes clockwise (RFC 7946); polygons are ordered by
 * decreasing area, each hole attached to the smallest outer ring that contains it.
 */
export function geometryBuilder(
  lattice: Lattice,
  toLonLat: (x: number, y: number) => [number, number],
): (cells: ArrayLike<number>) => MultiPolygonGeometry {
  const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
  const vLon = new Float64Array(lattice.vertexX.length).fill(NaN);
  const vLat = new Float64Array(lattice.vertexX.length).fill(NaN);
  const edgeLL: (Float64Array | undefined)[] = new Array(lattice.edgeFrom.length);
  const project = (x: number, y: number): [number, number] => {
    const [lon, lat] = toLonLat(x, y);
    return [round7(lon), round7(lat)];
  };
  const vertex = (v: number) => {
    if (Number.isNaN(vLon[v])) [vLon[v], vLat[v]] = project(lattice.vertexX[v], lattice.vertexY[v]);
  };
  const interior = (e: number): Float64Array => {
    let ll = edgeLL[e];
    if (!ll) {
      const xy = lattice.edgeInterior[e];
      ll = new Float64Array(xy.length);
      for (let i = 0; i < xy.length; i += 2) [ll[i], ll[i + 1]] = project(xy[i], xy[i + 1]);
      edgeLL[e] = ll;
    }
    return ll;
  };
  const ringFlat = (ring: DirectedEdge[]): number[] => {
    const out: number[] = [];
    for (const { edge, dir } of ring) {
      const start = dir === 1 ? lattice.edgeFrom[edge] : lattice.edgeTo[edge];
      vertex(start);
      out.push(vLon[start], vLat[start]);
      const pts = interior(edge);
      const m = pts.length / 2;
      for (let i = 0; i < m; i++) {
        const q = dir === 1 ? i : m - 1 - i;
        out.push(pts[q * 2], pts[q * 2 + 1]);
      }
    }
    return out;
  };
  const toRing = (flat: number[]): Position[] => {
    const ring: Position[] = [];
    for (let i = 0; i < flat.length; i += 2) ring.push([flat[i], flat[i + 1]]);
    ring.push([flat[0], flat[1]]);
    return ring;
  };
  return (cells) => {
    const rings = traceBoundary(lattice, cells).map(ringFlat);
    const outers: { flat: number[]; area: number; holes: number[][] }[] = [];
    const holes: number[][] = [];
    for (const flat of rings) {
      const [a] = areaCentroid(flat);
      if (a > 0) outers.push({ flat, area: a, holes: [] });
      else holes.push(flat);
    }
    outers.sort((p, q) => q.area - p.area);
    for (const h of holes) {
      let target = outers[0];
      if (outers.length > 1) {
        // The smallest outer ring that contains the hole.
        for (let i = outers.length - 1; i >= 0; i--) {
          if (pointInRing(h[0], h[1], outers[i].flat)) {
            target = outers[i];
            break;
          }
        }
      }
      target.holes.push(h);
    }
    return { type: 'MultiPolygon', coordinates: outers.map((o) => [toRing(o.flat), ...o.holes.map(toRing)]) };
  };
}

function pointInRing(x: number, y: number, flat: number[]): boolean {
  let inside = false;
  const n = flat.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = flat[i * 2];
    const yi = flat[i * 2 + 1];
    const xj = flat[j * 2];
    const yj = flat[j * 2 + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
