// Geometry helpers for area (polygon) geometries: bounding boxes, transformation, areas,
// validity checks and containment shares. Pure: no I/O.

import Flatbush from 'flatbush';
import { intersection } from 'polyclip-ts';
import type { AreaGeometry, BBox, MultiPolygonGeometry, Position, Ring } from './types.ts';

type Polygon = Ring[];

const polygonsOf = (geom: AreaGeometry): Polygon[] => (geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates);

export function bboxOf(geom: AreaGeometry): BBox {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const poly of polygonsOf(geom))
    for (const ring of poly)
      for (const p of ring) {
        const x = p[0],
          y = p[1];
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
  return [minX, minY, maxX, maxY];
}

/** Union of two boxes; start from [Infinity, Infinity, -Infinity, -Infinity] to accumulate. */
export function mergeBBox(a: BBox, b: BBox): BBox {
  return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];
}

export function toMultiPolygon(geom: AreaGeometry): MultiPolygonGeometry {
  return geom.type === 'MultiPolygon' ? geom : { type: 'MultiPolygon', coordinates: [geom.coordinates] };
}

function mapRings(geom: AreaGeometry, f: (ring: Ring, polygon: number, ringIndex: number) => Ring): AreaGeometry {
  if (geom.type === 'Polygon') return { type: 'Polygon', coordinates: geom.coordinates.map((r, i) => f(r, 0, i)) };
  return { type: 'MultiPolygon', coordinates: geom.coordinates.map((poly, pi) => poly.map((r, i) => f(r, pi, i))) };
}

/** Applies `transform` to every position; extra dimensions (Z, M) are dropped. */
export function transformGeometry(
  geom: AreaGeometry,
  transform: (x: number, y: number) => [number, number],
): AreaGeometry {
  return mapRings(geom, (ring) => ring.map((p) => transform(p[0], p[1])));
}

const samePosition = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];

/** Returns the geometry with every unclosed ring closed by repeating its first position. */
export function closeRings(geom: AreaGeometry): AreaGeometry {
  return mapRings(geom, (ring) =>
    ring.length > 0 && !samePosition(ring[0], ring[ring.length - 1]) ? [...ring, [ring[0][0], ring[0][1]]] : ring,
  );
}

/**
 * Signed shoelace area of a ring (positive = counter-clockwise with y up). Works for closed and
 * unclosed rings alike, as the closing edge is implied. Coordinates are shifted to the first
 * vertex to keep precision with large projected values.
 */
export function ringArea(ring: Ring): number {
  const n = ring.length;
  if (n < 3) return 0;
  const x0 = ring[0][0],
    y0 = ring[0][1];
  let sum = 0;
  for (let i = 1; i < n - 1; i++) {
    sum += (ring[i][0] - x0) * (ring[i + 1][1] - y0) - (ring[i + 1][0] - x0) * (ring[i][1] - y0);
  }
  return sum / 2;
}

/** Planar area in squared coordinate units: outer rings count, holes subtract; orientation-independent. */
export function planarArea(geom: AreaGeometry): number {
  let total = 0;
  for (const poly of polygonsOf(geom))
    poly.forEach((ring, i) => (total += i === 0 ? Math.abs(ringArea(ring)) : -Math.abs(ringArea(ring))));
  return total;
}

// Exact-area mapping of the WGS84 ellipsoid onto a sphere: geodetic latitude → authalic latitude,
// radius R_q. The spherical-excess sum on that sphere then gives ellipsoidal areas (to ~1e-6 for
// municipal-sized polygons); using geodetic latitudes on a sphere directly would be ~0.3 % off.
const WGS84_A = 6_378_137;
const WGS84_E = Math.sqrt((1 / 298.257223563) * (2 - 1 / 298.257223563));
const RAD = Math.PI / 180;
const qOf = (phi: number) => {
  const s = Math.sin(phi),
    e = WGS84_E;
  return (1 - e * e) * (s / (1 - e * e * s * s) - (1 / (2 * e)) * Math.log((1 - e * s) / (1 + e * s)));
};
const Q_POLE = qOf(Math.PI / 2);
/** Radius of the sphere with the WGS84 ellipsoid's surface area. */
export const AUTHALIC_RADIUS = WGS84_A * Math.sqrt(Q_POLE / 2);
/** sin of the authalic latitude for a geodetic latitude in degrees. */
export const sinAuthalic = (latDeg: number) => qOf(latDeg * RAD) / Q_POLE;

function sphericalRingArea(ring: Ring): number {
  const n = ring.length;
  if (n < 3) return 0;
  let total = 0;
  // Σ (λ(i+1) − λ(i−1)) · sin β(i) over the cycle (the formula d3-geo/turf use, on the authalic sphere).
  for (let i = 0; i < n; i++) {
    const prev = ring[(i - 1 + n) % n],
      cur = ring[i],
      next = ring[(i + 1) % n];
    total += (next[0] - prev[0]) * RAD * sinAuthalic(cur[1]);
  }
  return (Math.abs(total) * AUTHALIC_RADIUS * AUTHALIC_RADIUS) / 2;
}

/** Area in m² of a WGS84 lon/lat geometry (spherical excess on the authalic sphere); holes subtract. */
export function geodesicAreaM2(geom: AreaGeometry): number {
  let total = 0;
  for (const poly of polygonsOf(geom))
    poly.forEach((ring, i) => {
      // A closed ring repeats its first vertex; the formula wants each vertex once.
      const r = ring.length > 1 && samePosition(ring[0], ring[ring.length - 1]) ? ring.slice(0, -1) : ring;
      total += i === 0 ? sphericalRingArea(r) : -sphericalRingArea(r);
    });
  return total;
}

/** Orients rings as RFC 7946 recommends: outer rings counter-clockwise, holes clockwise. */
export function rewind(geom: AreaGeometry): AreaGeometry {
  return mapRings(geom, (ring, _p, i) => {
    const a = ringArea(ring);
    return (i === 0 ? a < 0 : a > 0) ? [...ring].reverse() : ring;
  });
}

// ---------------------------------------------------------------------------------------------
// Validation

export interface GeometryIssue {
  /** error: the geometry is unusable as an area; warning: usable, but not clean. */
  severity: 'error' | 'warning';
  /** ring-not-closed, too-few-positions, non-finite-coordinate, zero-area, self-intersection, self-touch, polygons-overlap, hole-outside-shell, more-issues */
  code: string;
  reason: string;
  hint?: string;
  /** Where, in the geometry's coordinates (for a user to find the spot in a GIS). */
  at?: [number, number];
  /** 1-based polygon and ring (ring 1 = outer ring) the issue concerns. */
  polygon?: number;
  ring?: number;
}

export interface ValidateOptions {
  /**
   * Distance in coordinate units below which a vertex counts as lying on a segment. Pass the
   * coordinate grid (e.g. 1e-7 for rounded lon/lat) so that rounding, which moves vertices by up
   * to half a grid step, cannot turn a touch into a reported crossing. Default 0 (exact).
   */
  tolerance?: number;
  /** Stop after this many issues; a final "more-issues" entry says so. Default 20. */
  maxIssues?: number;
}

const ringLabel = (poly: number, ring: number, multi: boolean) =>
  `${multi ? `polygon ${poly + 1}, ` : ''}${ring === 0 ? 'outer ring' : `hole ${ring}`}`;
const fmtPoint = (p: readonly number[]) => `${+p[0].toPrecision(10)} ${+p[1].toPrecision(10)}`;

/**
 * Checks a polygon geometry for the defects that break areas, maps and point-in-polygon lookups:
 * - ring-not-closed (an error, decision 0012; closeRings() exists for callers that repair),
 *   too-few-positions (< 4 with closure),
 *   non-finite-coordinate, zero-area rings;
 * - self-intersection: a ring crossing or running back over itself (spikes included), or two
 *   rings of one polygon crossing or sharing a stretch of boundary; a ring touching itself at a
 *   point is only a warning (self-touch), and holes may touch other rings at single points;
 * - polygons-overlap: two polygons of a MultiPolygon crossing each other;
 * - hole-outside-shell.
 * Ring orientation is not checked (RFC 7946 says not to reject on it). Segment pairs are found with
 * a flatbush index over the segment boxes, so rings with 100,000 vertices take well under a second.
 */
export function validateGeometry(geom: AreaGeometry, options: ValidateOptions = {}): GeometryIssue[] {
  const tol = options.tolerance ?? 0;
  const maxIssues = options.maxIssues ?? 20;
  const issues: GeometryIssue[] = [];
  let dropped = 0;
  const add = (issue: GeometryIssue) => {
    if (issues.length < maxIssues) issues.push(issue);
    else dropped++;
  };
  const polys = polygonsOf(geom);
  const multi = geom.type === 'MultiPolygon';
  if (polys.length === 0) add({ severity: 'error', code: 'too-few-positions', reason: 'geometry has no polygons' });

  // Per-ring checks; rings that fail them are left out of the intersection tests.
  const usable: boolean[][] = polys.map((poly, pi) => {
    if (!Array.isArray(poly) || poly.length === 0) {
      add({
        severity: 'error',
        code: 'too-few-positions',
        reason: `${multi ? `polygon ${pi + 1}` : 'polygon'} has no rings`,
        polygon: pi + 1,
      });
      return [];
    }
    return poly.map((ring, ri) => {
      const label = ringLabel(pi, ri, multi);
      const where = { polygon: pi + 1, ring: ri + 1 };
      const bad = ring.findIndex((p) => !Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1]));
      if (bad >= 0) {
        add({
          severity: 'error',
          code: 'non-finite-coordinate',
          reason: `${label}: position ${bad + 1} is not a pair of finite numbers`,
          ...where,
        });
        return false;
      }
      const closed = ring.length > 0 && samePosition(ring[0], ring[ring.length - 1]);
      if (ring.length > 0 && !closed) {
        // An error, not a repair (decision 0012): a ring that does not end where it starts is often
        // a boundary cut off by a broken export, and closing it would invent an edge.
        add({
          severity: 'error',
          code: 'ring-not-closed',
          reason: `${label} is not closed (it starts at ${fmtPoint(ring[0])} and ends at ${fmtPoint(ring[ring.length - 1])})`,
          hint: 'Rings (GeoJSON and shapefile alike) repeat their first position at the end; export the layer again, or repair it in the GIS (QGIS: "Fix geometries").',
          at: [ring[0][0], ring[0][1]],
          ...where,
        });
      }
      if (ring.length + (closed ? 0 : 1) < 4) {
        add({
          severity: 'error',
          code: 'too-few-positions',
          reason: `${label} has ${ring.length} position(s); a ring needs at least 4 (3 corners plus the closing position)`,
          ...where,
        });
        return false;
      }
      if (collinear(ring)) {
        add({
          severity: 'error',
          code: 'zero-area',
          reason: `${label} has zero area (all positions on one line or point)`,
          at: [ring[0][0], ring[0][1]],
          ...where,
        });
        return false;
      }
      return true;
    });
  });

  checkIntersections(polys, usable, tol, multi, add);

  // Holes must lie inside their shell. Crossing holes were reported above; for the rest one vertex
  // that is not on the shell's boundary decides.
  polys.forEach((poly, pi) => {
    if (!usable[pi]?.[0]) return;
    for (let ri = 1; ri < poly.length; ri++) {
      if (!usable[pi][ri]) continue;
      const hole = poly[ri];
      for (let k = 0; k < Math.min(hole.length, 16); k++) {
        const where = pointInRing(hole[k], poly[0], tol);
        if (where === 0) continue;
        if (where < 0) {
          add({
            severity: 'error',
            code: 'hole-outside-shell',
            reason: `${ringLabel(pi, ri, multi)} lies outside the outer ring`,
            hint: 'A separate area must be its own polygon (MultiPolygon), not a hole.',
            at: [hole[k][0], hole[k][1]],
            polygon: pi + 1,
            ring: ri + 1,
          });
        }
        break;
      }
    }
  });

  if (dropped > 0)
    issues.push({
      severity: issues.some((i) => i.severity === 'error') ? 'error' : 'warning',
      code: 'more-issues',
      reason: `${dropped} further geometry issue(s) not listed`,
    });
  return issues;
}

/**
 * True if all positions lie on one line (or point): such a ring has no area at all. (A zero signed
 * area alone is not enough: a symmetric bow-tie has it too, and is reported as a crossing.)
 */
function collinear(ring: Ring): boolean {
  const [ax, ay] = ring[0];
  let far = ring[0],
    d2 = 0;
  for (const p of ring) {
    const d = (p[0] - ax) ** 2 + (p[1] - ay) ** 2;
    if (d > d2) ((d2 = d), (far = p));
  }
  if (d2 === 0) return true;
  const len = Math.sqrt(d2);
  for (const p of ring) {
    // Distance from the line through the first and the farthest position, relative to its length.
    const dist = Math.abs((far[0] - ax) * (p[1] - ay) - (far[1] - ay) * (p[0] - ax)) / len;
    if (dist > 1e-12 * len) return false;
  }
  return true;
}

/** 1 inside, -1 outside, 0 on the boundary (within tol). Even-odd rule. */
export function pointInRing(p: Position, ring: Ring, tol = 0): number {
  const x = p[0],
    y = p[1];
  let inside = false;
  for (let i = 0, n = ring.length, j = n - 1; i < n; j = i++) {
    const xi = ring[i][0],
      yi = ring[i][1],
      xj = ring[j][0],
      yj = ring[j][1];
    if (distanceToSegmentSq(x, y, xi, yi, xj, yj) <= tol * tol) return 0;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside ? 1 : -1;
}

function distanceToSegmentSq(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax,
    dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = Math.max(0, Math.min(1, t));
  const ex = ax + t * dx - px,
    ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

/**
 * Side of c relative to the line a→b: 1 left, -1 right, 0 on it. "On it" includes float noise and
 * anything closer than tol to the line, so that near-degenerate configurations are reported as
 * touches rather than as crossings.
 */
function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, tol: number): number {
  const l = (bx - ax) * (cy - ay),
    r = (by - ay) * (cx - ax);
  const det = l - r;
  const bound = Math.max(1e-14 * (Math.abs(l) + Math.abs(r)), tol > 0 ? tol * Math.hypot(bx - ax, by - ay) : 0);
  return det > bound ? 1 : det < -bound ? -1 : 0;
}

type Contact = { kind: 'cross' | 'overlap' | 'touch'; at: [number, number] };

/** Classifies how two segments meet (null: they do not). */
function segmentContact(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
  tol: number,
): Contact | null {
  const o1 = orient(ax, ay, bx, by, cx, cy, tol),
    o2 = orient(ax, ay, bx, by, dx, dy, tol);
  if (o1 !== 0 && o1 === o2) return null;
  const o3 = orient(cx, cy, dx, dy, ax, ay, tol),
    o4 = orient(cx, cy, dx, dy, bx, by, tol);
  if (o3 !== 0 && o3 === o4) return null;
  if (o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0) {
    // Proper crossing: compute the point for the message.
    const den = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx);
    const t = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / den;
    return { kind: 'cross', at: [ax + t * (bx - ax), ay + t * (by - ay)] };
  }
  if (o1 === 0 && o2 === 0) {
    // Collinear (within tolerance): project onto the segment a→b and compare the parameter ranges.
    const vx = bx - ax,
      vy = by - ay;
    const len2 = vx * vx + vy * vy;
    const tc = ((cx - ax) * vx + (cy - ay) * vy) / len2,
      td = ((dx - ax) * vx + (dy - ay) * vy) / len2;
    const lo = Math.max(0, Math.min(tc, td)),
      hi = Math.min(1, Math.max(tc, td));
    const eps = tol > 0 ? tol / Math.sqrt(len2) : 1e-12;
    if (hi - lo > eps) return { kind: 'overlap', at: [ax + ((lo + hi) / 2) * vx, ay + ((lo + hi) / 2) * vy] };
    if (hi - lo >= -eps) return { kind: 'touch', at: [ax + lo * vx, ay + lo * vy] };
    return null;
  }
  // An endpoint lies on the other segment's line: a touch if it is within that segment.
  const near = (px: number, py: number, sx: number, sy: number, ex: number, ey: number) =>
    distanceToSegmentSq(px, py, sx, sy, ex, ey) <= Math.max(tol * tol, 1e-24 * ((ex - sx) ** 2 + (ey - sy) ** 2));
  if (o1 === 0 && near(cx, cy, ax, ay, bx, by)) return { kind: 'touch', at: [cx, cy] };
  if (o2 === 0 && near(dx, dy, ax, ay, bx, by)) return { kind: 'touch', at: [dx, dy] };
  if (o3 === 0 && near(ax, ay, cx, cy, dx, dy)) return { kind: 'touch', at: [ax, ay] };
  if (o4 === 0 && near(bx, by, cx, cy, dx, dy)) return { kind: 'touch', at: [bx, by] };
  return null;
}

function checkIntersections(
  polys: Polygon[],
  usable: boolean[][],
  tol: number,
  multi: boolean,
  report: (i: GeometryIssue) => void,
): void {
  // Touch warnings are noise next to an error for the same ring (a spike also touches itself), so
  // they are held back until the errors are known.
  const found: GeometryIssue[] = [];
  const add = (i: GeometryIssue) => found.push(i);
  try {
    findContacts(polys, usable, tol, multi, add);
  } finally {
    const broken = new Set(found.filter((i) => i.severity === 'error').map((i) => `${i.polygon}/${i.ring}`));
    for (const i of found) if (i.severity === 'error' || !broken.has(`${i.polygon}/${i.ring}`)) report(i);
  }
}

function findContacts(
  polys: Polygon[],
  usable: boolean[][],
  tol: number,
  multi: boolean,
  add: (i: GeometryIssue) => void,
): void {
  // Flatten all segments of usable rings (zero-length ones dropped: repeated vertices are harmless).
  let count = 0;
  polys.forEach((poly, pi) => poly.forEach((ring, ri) => usable[pi]?.[ri] && (count += ring.length)));
  if (count === 0) return;
  const coords = new Float64Array(count * 4);
  const polyOf = new Int32Array(count),
    ringOf = new Int32Array(count),
    seqOf = new Int32Array(count),
    ringSize = new Int32Array(count);
  let n = 0;
  polys.forEach((poly, pi) =>
    poly.forEach((ring, ri) => {
      if (!usable[pi]?.[ri]) return;
      const start = n;
      const m = ring.length;
      // Iterate the cycle, so an unclosed ring gets its implied closing segment.
      for (let i = 0; i < m; i++) {
        const a = ring[i],
          b = ring[(i + 1) % m];
        if (a[0] === b[0] && a[1] === b[1]) continue;
        coords[n * 4] = a[0];
        coords[n * 4 + 1] = a[1];
        coords[n * 4 + 2] = b[0];
        coords[n * 4 + 3] = b[1];
        polyOf[n] = pi;
        ringOf[n] = ri;
        seqOf[n] = n - start;
        n++;
      }
      ringSize.fill(n - start, start, n);
    }),
  );
  if (n === 0) return;
  const index = new Flatbush(n);
  for (let i = 0; i < n; i++) {
    const ax = coords[i * 4],
      ay = coords[i * 4 + 1],
      bx = coords[i * 4 + 2],
      by = coords[i * 4 + 3];
    index.add(Math.min(ax, bx) - tol, Math.min(ay, by) - tol, Math.max(ax, bx) + tol, Math.max(ay, by) + tol);
  }
  index.finish();

  // Ring pairs already reported, so that one defect produces one message, not one per segment.
  const reported = new Set<string>();
  // Touch points between different rings: a hole may touch another ring at one point only.
  const touches = new Map<string, Set<string>>();
  for (let i = 0; i < n; i++) {
    const ax = coords[i * 4],
      ay = coords[i * 4 + 1],
      bx = coords[i * 4 + 2],
      by = coords[i * 4 + 3];
    index.search(
      Math.min(ax, bx) - tol,
      Math.min(ay, by) - tol,
      Math.max(ax, bx) + tol,
      Math.max(ay, by) + tol,
      (j) => {
        if (j <= i) return false;
        const sameRing = polyOf[i] === polyOf[j] && ringOf[i] === ringOf[j];
        const adjacent =
          sameRing && (Math.abs(seqOf[i] - seqOf[j]) === 1 || Math.abs(seqOf[i] - seqOf[j]) === ringSize[i] - 1);
        const cx = coords[j * 4],
          cy = coords[j * 4 + 1],
          dx = coords[j * 4 + 2],
          dy = coords[j * 4 + 3];
        const c = segmentContact(ax, ay, bx, by, cx, cy, dx, dy, tol);
        if (!c) return false;
        // The tolerance turns grid-level crossings into touches; it must not invent touches where
        // the segments merely pass close to each other.
        if (c.kind === 'touch' && tol > 0 && !segmentContact(ax, ay, bx, by, cx, cy, dx, dy, 0)) return false;
        // Neighbours always share their common vertex; only running back over each other counts.
        if (adjacent && c.kind !== 'overlap') return false;
        const key = `${polyOf[i]}/${ringOf[i]}|${polyOf[j]}/${ringOf[j]}|${c.kind === 'touch' ? 't' : 'x'}`;
        const labelI = ringLabel(polyOf[i], ringOf[i], multi),
          labelJ = ringLabel(polyOf[j], ringOf[j], multi);
        const where = { polygon: polyOf[i] + 1, ring: ringOf[i] + 1, at: c.at };
        if (sameRing) {
          if (reported.has(key)) return false;
          reported.add(key);
          if (c.kind === 'touch') {
            add({
              severity: 'warning',
              code: 'self-touch',
              reason: `${labelI} touches itself at ${fmtPoint(c.at)}`,
              ...where,
            });
          } else {
            add({
              severity: 'error',
              code: 'self-intersection',
              reason:
                c.kind === 'cross'
                  ? `${labelI} crosses itself at ${fmtPoint(c.at)}`
                  : `${labelI} runs back over itself (spike or doubled edge) at ${fmtPoint(c.at)}`,
              hint: 'Repair the geometry in a GIS (e.g. QGIS "Fix geometries" or ST_MakeValid).',
              ...where,
            });
          }
        } else if (polyOf[i] === polyOf[j]) {
          if (c.kind === 'touch') {
            // One touch point per ring pair is allowed (OGC); more would cut the interior apart, but
            // one point reached via several segments is still the same point.
            const set = touches.get(key) ?? new Set<string>();
            set.add(fmtPoint(c.at));
            touches.set(key, set);
            return false;
          }
          if (reported.has(key)) return false;
          reported.add(key);
          add({
            severity: 'error',
            code: 'self-intersection',
            reason:
              c.kind === 'cross'
                ? `${labelI} and ${labelJ.replace(/^polygon \d+, /, '')} cross at ${fmtPoint(c.at)}`
                : `${labelI} and ${labelJ.replace(/^polygon \d+, /, '')} share a stretch of boundary at ${fmtPoint(c.at)}`,
            hint: 'Repair the geometry in a GIS (e.g. QGIS "Fix geometries" or ST_MakeValid).',
            ...where,
          });
        } else if (c.kind === 'cross') {
          // Parts of a MultiPolygon may touch and even share edges in real data; crossing means they overlap.
          const pairKey = `${polyOf[i]}|${polyOf[j]}`;
          if (reported.has(pairKey)) return false;
          reported.add(pairKey);
          add({
            severity: 'error',
            code: 'polygons-overlap',
            reason: `polygons ${polyOf[i] + 1} and ${polyOf[j] + 1} of the MultiPolygon overlap (boundaries cross at ${fmtPoint(c.at)})`,
            hint: 'Dissolve the parts into one polygon in a GIS.',
            ...where,
          });
        }
        return false;
      },
    );
  }
  for (const [key, points] of touches) {
    if (points.size < 2) continue;
    const [a, b] = key.split('|').map((s) => s.split('/').map(Number));
    add({
      severity: 'warning',
      code: 'rings-touch',
      reason: `${ringLabel(a[0], a[1], multi)} and ${ringLabel(b[0], b[1], false)} touch at ${points.size} points (${[...points].slice(0, 3).join(', ')}${points.size > 3 ? ', …' : ''})`,
      polygon: a[0] + 1,
      ring: a[1] + 1,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Containment

type ClipRing = [number, number][];

/**
 * Share (0..1) of the child's area that lies inside the parent, for lon/lat geometries. x is
 * scaled by cos(latitude) first so that the share is not distorted by the degree grid. Returns NaN
 * when the child has no area. Callers judge with a tolerance (e.g. ≥ 0.99 = inside), as adjacent
 * layers digitised separately differ by slivers.
 */
export function coveredShare(child: AreaGeometry, parent: AreaGeometry): number {
  const cb = bboxOf(child),
    pb = bboxOf(parent);
  if (cb[0] > pb[2] || cb[2] < pb[0] || cb[1] > pb[3] || cb[3] < pb[1]) return 0;
  const k = Math.cos((((cb[1] + cb[3]) / 2) * Math.PI) / 180);
  const scaled = (g: AreaGeometry): ClipRing[][] =>
    polygonsOf(g).map((poly) => poly.map((ring) => ring.map((p): [number, number] => [p[0] * k, p[1]])));
  const c = scaled(child);
  const childArea = planarArea({ type: 'MultiPolygon', coordinates: c });
  // Relative to the extent, so float noise of a degenerate child does not count as area.
  if (!(childArea > 1e-12 * ((cb[2] - cb[0]) ** 2 + (cb[3] - cb[1]) ** 2))) return NaN;
  const inter = intersection(c, scaled(parent));
  const share = planarArea({ type: 'MultiPolygon', coordinates: inter }) / childArea;
  return Math.max(0, Math.min(1, share));
}
