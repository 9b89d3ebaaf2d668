// Planar drawing of area shapes (WGS84 lon/lat from our API) into SVG path strings with d3-geo.
// A city is small, so an equirectangular projection scaled by cos(latitude) at the centre is
// accurate enough, and being planar it does not depend on ring winding order (d3's spherical
// projections treat counter-clockwise GeoJSON rings as "everything but the area").
import { geoPath, geoTransform } from 'd3-geo';

export type BBox = [number, number, number, number];

export interface Shape {
  code: string;
  name: string;
  geometry: GeoJSON.Geometry | null;
  bbox?: BBox;
}

interface Projected {
  code: string;
  name: string;
  d: string;
  /** Planar centroid in SVG coordinates (for labels and keyboard navigation). */
  cx: number;
  cy: number;
  /** Bounds in SVG coordinates. */
  bounds: [[number, number], [number, number]];
}

export interface Drawing {
  width: number;
  height: number;
  shapes: Projected[];
  /** Lon/lat → SVG coordinates. */
  point: (lon: number, lat: number) => [number, number];
  /** SVG coordinates → lon/lat (where a click on the map points to). */
  invert: (x: number, y: number) => [number, number];
}

function eachPosition(g: GeoJSON.Geometry | null, f: (x: number, y: number) => void): void {
  if (!g) return;
  switch (g.type) {
    case 'Point':
      f(g.coordinates[0], g.coordinates[1]);
      break;
    case 'MultiPoint':
    case 'LineString':
      for (const p of g.coordinates) f(p[0], p[1]);
      break;
    case 'MultiLineString':
    case 'Polygon':
      for (const r of g.coordinates) for (const p of r) f(p[0], p[1]);
      break;
    case 'MultiPolygon':
      for (const poly of g.coordinates) for (const r of poly) for (const p of r) f(p[0], p[1]);
      break;
    case 'GeometryCollection':
      for (const x of g.geometries) eachPosition(x, f);
      break;
  }
}

export function bboxOf(shapes: readonly Shape[]): BBox | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const s of shapes) {
    if (s.bbox) {
      x0 = Math.min(x0, s.bbox[0]);
      y0 = Math.min(y0, s.bbox[1]);
      x1 = Math.max(x1, s.bbox[2]);
      y1 = Math.max(y1, s.bbox[3]);
    } else {
      eachPosition(s.geometry, (x, y) => {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      });
    }
  }
  return Number.isFinite(x0) ? [x0, y0, x1, y1] : null;
}

/**
 * Projects shapes into a width × (fitting height) box with `pad` pixels of margin. `extent`
 * (lon/lat) decides what fills the box; by default the shapes' own extent.
 */
export function project(
  shapes: readonly Shape[],
  o: { width: number; pad?: number; extent?: BBox | null; height?: number },
): Drawing {
  const pad = o.pad ?? 4;
  const box = o.extent ?? bboxOf(shapes);
  if (!box)
    return {
      width: o.width,
      height: o.height ?? o.width * 0.75,
      shapes: [],
      point: () => [0, 0],
      invert: () => [0, 0],
    };
  const [x0, y0, x1, y1] = box;
  const kx = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
  const dx = Math.max(1e-9, (x1 - x0) * kx);
  const dy = Math.max(1e-9, y1 - y0);
  const innerW = o.width - 2 * pad;
  let scale = innerW / dx;
  let height = o.height ?? Math.round(dy * scale + 2 * pad);
  if (o.height) scale = Math.min(scale, (o.height - 2 * pad) / dy);
  height = Math.max(height, 2 * pad + 1);
  const ox = pad + (innerW - dx * scale) / 2;
  const oy = pad + (height - 2 * pad - dy * scale) / 2;
  const tx = (lon: number) => ox + (lon - x0) * kx * scale;
  const ty = (lat: number) => oy + (y1 - lat) * scale;
  const transform = geoTransform({
    point(this: { stream: { point(x: number, y: number): void } }, x: number, y: number) {
      this.stream.point(tx(x), ty(y));
    },
  });
  const path = geoPath(transform).digits(1);
  const out: Projected[] = [];
  for (const s of shapes) {
    if (!s.geometry) continue;
    const f = s.geometry as GeoJSON.GeometryObject;
    const d = path(f) ?? '';
    if (!d) continue;
    const [cx, cy] = path.centroid(f);
    out.push({ code: s.code, name: s.name, d, cx, cy, bounds: path.bounds(f) as [[number, number], [number, number]] });
  }
  return {
    width: o.width,
    height,
    shapes: out,
    point: (lon, lat) => [tx(lon), ty(lat)],
    invert: (x, y) => [x0 + (x - ox) / (kx * scale), y1 - (y - oy) / scale],
  };
}

/** A lon/lat box grown by a factor around its centre (to show an area with its surroundings). */
export function growBBox(b: BBox, factor: number): BBox {
  const cx = (b[0] + b[2]) / 2;
  const cy = (b[1] + b[3]) / 2;
  const hw = ((b[2] - b[0]) / 2) * factor;
  const hh = ((b[3] - b[1]) / 2) * factor;
  return [cx - hw, cy - hh, cx + hw, cy + hh];
}

/**
 * Neighbours of an area: areas whose outline shares a vertex with it (the demo city's and most
 * official boundary files are topologically clean). Used when the API gives no neighbour list.
 */
export function neighboursOf(code: string, shapes: readonly Shape[], digits = 6): string[] {
  const me = shapes.find((s) => s.code === code);
  if (!me?.geometry) return [];
  const key = (x: number, y: number) => `${x.toFixed(digits)},${y.toFixed(digits)}`;
  const mine = new Set<string>();
  eachPosition(me.geometry, (x, y) => mine.add(key(x, y)));
  const mb = bboxOf([me]);
  const eps = 1e-6;
  const out: string[] = [];
  for (const s of shapes) {
    if (s.code === code || !s.geometry) continue;
    const b = bboxOf([s]);
    if (!b || !mb || b[0] > mb[2] + eps || b[2] < mb[0] - eps || b[1] > mb[3] + eps || b[3] < mb[1] - eps) continue;
    let shared = false;
    eachPosition(s.geometry, (x, y) => {
      if (!shared && mine.has(key(x, y))) shared = true;
    });
    if (shared) out.push(s.code);
  }
  return out;
}
