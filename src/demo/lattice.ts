// The geometric skeleton of the demo city: a jittered "brick" lattice of cells (statistical
// blocks) in projected metres, with organic shared edges, an irregular outline, and the tracing
// of the outline of any group of cells.
//
// Topology. Cell (i, j) of row j spans doubled-x units 2i+o .. 2i+o+2 (o = row parity) and rows
// j .. j+1; its six vertices, counter-clockwise, are BL, BM, BR, TR, TM, TL. Rows are shifted by
// half a cell, so every lattice vertex touches exactly three cells (a hexagonal topology). That
// has two useful consequences: cells touching at a vertex always share an edge (so "connected"
// has one meaning), and the boundary of any group of cells never pinches (each boundary vertex
// has exactly one incoming and one outgoing boundary edge), so rings can be traced without
// ambiguity and are always simple.
//
// Shared coordinates. Vertex positions and the interior points of each edge are computed once,
// keyed by the vertex or edge, and every ring that uses them copies the same numbers (the interior
// points reversed when a ring runs against the edge's canonical direction). Unions traced from the
// cells therefore nest exactly: no floating-point clipping is ever done.
//
// Shape. Vertices are jittered, the whole lattice is bent by a smooth wave displacement and then
// scaled radially (small blocks in the centre, large ones outside); edges get a few wiggled
// interior points. Wiggles are damped where two edges meet at a sharp angle, so that no two edges
// ever cross (verified for 200 seeds at scale 1 and a few at other scales; the tests sweep seeds 1 to 3).

import { clamp, unitHash } from './random.ts';

export interface LatticeOptions {
  seed: number;
  /** Number of cells to keep (the city's statistical blocks). */
  cells: number;
  /** Cell width in metres before the radial warp. */
  cellWidth: number;
  /** Radial warp length in metres: cells near the centre shrink to ~0.6×, far out grow to ~1.4×. */
  warpLength: number;
  /** Interior points per edge. */
  subdivisions: number;
}

export interface Lattice {
  /** Number of kept cells; cells are numbered 0..cellCount-1 from north-west to south-east. */
  cellCount: number;
  /** Six vertex ids per cell, counter-clockwise. */
  cellVertices: Int32Array;
  /** Six edge ids per cell; edge k runs from vertex k to vertex k+1 of the cell. */
  cellEdges: Int32Array;
  /** +1 when the cell's edge k runs in the edge's canonical direction, -1 otherwise. */
  cellEdgeDir: Int8Array;
  /** Canonical endpoints of each edge (from < to). */
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /** Two cells per edge (-1 when the other side is outside the city). */
  edgeCells: Int32Array;
  /** Interior points of each edge, canonical direction, projected metres, flat [x0, y0, x1, y1, ...]. */
  edgeInterior: Float64Array[];
  /** Projected metres per vertex id (only for vertices of kept cells; NaN otherwise). */
  vertexX: Float64Array;
  vertexY: Float64Array;
  /** Per cell: area-weighted centroid (projected metres, relative to the city centre) and area in m². */
  centroidX: Float64Array;
  centroidY: Float64Array;
  area: Float64Array;
  /** Edge-neighbours of each cell. */
  neighbours: number[][];
  /** Radius (m) of the disc with the city's area, for normalised coordinates. */
  radius: number;
}

const SQRT3_2 = Math.sqrt(3) / 2;

/** Builds the lattice: chooses the kept cells and computes all shared coordinates. */
export function buildLattice(opt: LatticeOptions): Lattice {
  const { seed, cellWidth: W } = opt;
  const H = W * SQRT3_2;
  const target = Math.max(7, Math.round(opt.cells));
  // Candidate lattice: about 3.5 times the needed area, so even a lobed outline fits inside.
  const cellArea = W * H;
  const latticeRadius = Math.sqrt((3.5 * target * cellArea) / Math.PI) * 1.1 + 2 * W;
  const I = Math.ceil(latticeRadius / W) + 1;
  const J = Math.ceil(latticeRadius / H) + 1;
  const nI = 2 * I + 1;
  const nJ = 2 * J + 1;
  // Vertex ids: doubled x in [-2I, 2I + 3], row y in [-J, J + 1].
  const stride = 4 * I + 4;
  const vid = (x2: number, y: number) => (y + J) * stride + (x2 + 2 * I);
  const vertexCount = (2 * J + 2) * stride;

  // Warp: a smooth wavy displacement (rows and columns bend) followed by a radial scaling
  // (small cells in the centre, large ones outside). Both are diffeomorphisms (the displacement's
  // gradient stays well below 1), so the lattice stays valid.
  const warpL = opt.warpLength;
  const waves = [0, 1, 2, 3].map((k) => ({
    phase: unitHash(seed, 41, k) * 2 * Math.PI,
    freq: (2 * Math.PI) / (W * (4 + 3 * unitHash(seed, 42, k))),
  }));
  const amp = 0.3;
  const warp = (x0: number, y0: number): [number, number] => {
    const x =
      x0 +
      (amp / waves[0].freq) * Math.sin(waves[0].freq * y0 + waves[0].phase) +
      (amp / waves[1].freq) * Math.sin(waves[1].freq * (x0 + y0) * 0.7 + waves[1].phase);
    const y =
      y0 +
      (amp / waves[2].freq) * Math.sin(waves[2].freq * x0 + waves[2].phase) +
      (amp / waves[3].freq) * Math.sin(waves[3].freq * (x0 - y0) * 0.7 + waves[3].phase);
    const r = Math.hypot(x, y);
    const f = 0.45 + (1.0 * r) / (r + warpL);
    return [x * f, y * f];
  };

  // Jittered, warped vertex positions, computed on demand.
  const vertexX = new Float64Array(vertexCount).fill(NaN);
  const vertexY = new Float64Array(vertexCount).fill(NaN);
  const jitterX = 0.2 * W;
  const jitterY = 0.22 * H;
  const unwarped = (id: number): [number, number] => {
    const y = Math.floor(id / stride) - J;
    const x2 = (id % stride) - 2 * I;
    const jx = (unitHash(seed, 11, id) - 0.5) * 2 * jitterX;
    const jy = (unitHash(seed, 12, id) - 0.5) * 2 * jitterY;
    return [(x2 * W) / 2 + jx, y * H + jy];
  };
  const position = (id: number) => {
    if (Number.isNaN(vertexX[id])) {
      const [ux, uy] = unwarped(id);
      const [x, y] = warp(ux, uy);
      vertexX[id] = x;
      vertexY[id] = y;
    }
  };

  const rowOffset = (j: number) => ((j % 2) + 2) % 2;
  const candidateVertices = (i: number, j: number): number[] => {
    const x = 2 * i + rowOffset(j);
    return [vid(x, j), vid(x + 1, j), vid(x + 2, j), vid(x + 2, j + 1), vid(x + 1, j + 1), vid(x, j + 1)];
  };

  // Candidate cells with their warped centres.
  const candCount = nI * nJ;
  const candCx = new Float64Array(candCount);
  const candCy = new Float64Array(candCount);
  const candI = (c: number) => (c % nI) - I;
  const candJ = (c: number) => Math.floor(c / nI) - J;
  for (let c = 0; c < candCount; c++) {
    let sx = 0;
    let sy = 0;
    for (const v of candidateVertices(candI(c), candJ(c))) {
      position(v);
      sx += vertexX[v];
      sy += vertexY[v];
    }
    candCx[c] = sx / 6;
    candCy[c] = sy / 6;
  }

  // Candidate adjacency via shared edges (edge key = smaller vertex id * vertexCount + larger).
  const edgeOwners = new Map<number, number[]>();
  const edgeKey = (a: number, b: number) => (a < b ? a * vertexCount + b : b * vertexCount + a);
  for (let c = 0; c < candCount; c++) {
    const vs = candidateVertices(candI(c), candJ(c));
    for (let k = 0; k < 6; k++) {
      const key = edgeKey(vs[k], vs[(k + 1) % 6]);
      const owners = edgeOwners.get(key);
      if (owners) owners.push(c);
      else edgeOwners.set(key, [c]);
    }
  }
  const candNeighbours = (c: number): number[] => {
    const vs = candidateVertices(candI(c), candJ(c));
    const out: number[] = [];
    for (let k = 0; k < 6; k++) {
      for (const o of edgeOwners.get(edgeKey(vs[k], vs[(k + 1) % 6]))!) if (o !== c) out.push(o);
    }
    return out;
  };

  // Irregular outline: a lobed "radius" per direction; keep the cells closest in that metric.
  const phase = [0, 1, 2, 3].map((k) => unitHash(seed, 21, k) * 2 * Math.PI);
  const lobes = (theta: number) =>
    1 +
    0.17 * Math.sin(2 * theta + phase[0]) +
    0.1 * Math.sin(3 * theta + phase[1]) +
    0.06 * Math.sin(5 * theta + phase[2]) +
    0.03 * Math.sin(7 * theta + phase[3]);
  const order = Array.from({ length: candCount }, (_, c) => c);
  const dist = new Float64Array(candCount);
  for (let c = 0; c < candCount; c++) {
    const theta = Math.atan2(candCy[c], candCx[c]);
    dist[c] = Math.hypot(candCx[c], candCy[c]) / lobes(theta) + unitHash(seed, 22, c) * 0.02 * W;
  }
  order.sort((a, b) => dist[a] - dist[b] || a - b);
  const selected = new Uint8Array(candCount);
  for (let k = 0; k < target; k++) selected[order[k]] = 1;

  // Keep only the component of the most central cell.
  const keep = new Uint8Array(candCount);
  {
    const stack = [order[0]];
    keep[order[0]] = 1;
    while (stack.length) {
      const c = stack.pop()!;
      for (const o of candNeighbours(c)) {
        if (selected[o] && !keep[o]) {
          keep[o] = 1;
          stack.push(o);
        }
      }
    }
  }
  // Fill enclosed holes: every unkept cell not reachable from the candidate lattice's rim joins.
  {
    const outside = new Uint8Array(candCount);
    const stack: number[] = [];
    for (let c = 0; c < candCount; c++) {
      const i = candI(c);
      const j = candJ(c);
      if ((i === -I || i === I || j === -J || j === J) && !keep[c]) {
        outside[c] = 1;
        stack.push(c);
      }
    }
    while (stack.length) {
      const c = stack.pop()!;
      for (const o of candNeighbours(c)) {
        if (!keep[o] && !outside[o]) {
          outside[o] = 1;
          stack.push(o);
        }
      }
    }
    for (let c = 0; c < candCount; c++) if (!keep[c] && !outside[c]) keep[c] = 1;
  }

  // Number kept cells from north-west to south-east (rows from the top, then west to east).
  const kept: number[] = [];
  for (let j = J; j >= -J; j--)
    for (let i = -I; i <= I; i++) {
      const c = (j + J) * nI + (i + I);
      if (keep[c]) kept.push(c);
    }
  const cellCount = kept.length;
  const cellIndex = new Map<number, number>();
  kept.forEach((c, k) => cellIndex.set(c, k));

  // Edges of kept cells, with canonical direction and wiggled interior points.
  const edgeIds = new Map<number, number>();
  const edgeFromL: number[] = [];
  const edgeToL: number[] = [];
  const edgeCellsL: number[] = [];
  const edgeInterior: Float64Array[] = [];
  const cellVertices = new Int32Array(cellCount * 6);
  const cellEdges = new Int32Array(cellCount * 6);
  const cellEdgeDir = new Int8Array(cellCount * 6);
  const sub = Math.max(0, Math.round(opt.subdivisions));
  // Every vertex has three edges. Where the edge (v, w) meets one of the other two edges at v at
  // a sharp angle, wiggles could make the two cross, so the wiggle is damped: full above 50°,
  // none below 15°.
  const vertexNeighbours = (v: number): number[] => {
    const y = Math.floor(v / stride) - J;
    const x2 = (v % stride) - 2 * I;
    const up = (((x2 - rowOffset(y)) % 2) + 2) % 2 === 0;
    return [vid(x2 - 1, y), vid(x2 + 1, y), up ? vid(x2, y + 1) : vid(x2, y - 1)];
  };
  const cornerRoom = (v: number, w: number): number => {
    position(v);
    position(w);
    const ax = vertexX[w] - vertexX[v];
    const ay = vertexY[w] - vertexY[v];
    let room = 1;
    for (const u of vertexNeighbours(v)) {
      if (u === w || u < 0 || u >= vertexCount) continue;
      position(u);
      const bx = vertexX[u] - vertexX[v];
      const by = vertexY[u] - vertexY[v];
      const angle = Math.abs(Math.atan2(ax * by - ay * bx, ax * bx + ay * by));
      room = Math.min(room, clamp((angle - Math.PI / 12) / ((35 * Math.PI) / 180), 0, 1));
    }
    return room;
  };
  for (let k = 0; k < cellCount; k++) {
    const c = kept[k];
    const vs = candidateVertices(candI(c), candJ(c));
    for (let e = 0; e < 6; e++) {
      const a = vs[e];
      const b = vs[(e + 1) % 6];
      cellVertices[k * 6 + e] = a;
      const key = edgeKey(a, b);
      let id = edgeIds.get(key);
      if (id === undefined) {
        id = edgeFromL.length;
        edgeIds.set(key, id);
        const from = Math.min(a, b);
        const to = Math.max(a, b);
        edgeFromL.push(from);
        edgeToL.push(to);
        edgeCellsL.push(k, -1);
        const calm = Math.min(cornerRoom(from, to), cornerRoom(to, from));
        edgeInterior.push(wiggle(seed, from, to, unwarped(from), unwarped(to), sub, warp, calm));
      } else {
        edgeCellsL[id * 2 + 1] = k;
      }
      cellEdges[k * 6 + e] = id;
      cellEdgeDir[k * 6 + e] = a < b ? 1 : -1;
    }
  }

  const lattice: Lattice = {
    cellCount,
    cellVertices,
    cellEdges,
    cellEdgeDir,
    edgeFrom: Int32Array.from(edgeFromL),
    edgeTo: Int32Array.from(edgeToL),
    edgeCells: Int32Array.from(edgeCellsL),
    edgeInterior,
    vertexX,
    vertexY,
    centroidX: new Float64Array(cellCount),
    centroidY: new Float64Array(cellCount),
    area: new Float64Array(cellCount),
    neighbours: [],
    radius: 0,
  };

  // Neighbours, areas and centroids of the kept cells.
  let totalArea = 0;
  for (let k = 0; k < cellCount; k++) {
    const nb: number[] = [];
    for (let e = 0; e < 6; e++) {
      const id = cellEdges[k * 6 + e];
      const o = edgeCellsL[id * 2] === k ? edgeCellsL[id * 2 + 1] : edgeCellsL[id * 2];
      if (o >= 0 && !nb.includes(o)) nb.push(o);
    }
    lattice.neighbours.push(nb);
    const ring = cellRingXY(lattice, k);
    const [a, cx, cy] = areaCentroid(ring);
    lattice.area[k] = a;
    lattice.centroidX[k] = cx;
    lattice.centroidY[k] = cy;
    totalArea += a;
  }
  lattice.radius = Math.sqrt(totalArea / Math.PI);
  return lattice;
}

/** Interior points of an edge: a gentle bend plus small kinks, tapering to zero at both ends, damped by `calm` (0..1). */
function wiggle(
  seed: number,
  from: number,
  to: number,
  a: [number, number],
  b: [number, number],
  sub: number,
  warp: (x: number, y: number) => [number, number],
  calm: number,
): Float64Array {
  const out = new Float64Array(sub * 2);
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = Math.hypot(dx, dy);
  const nx = -dy / len;
  const ny = dx / len;
  const bend = (unitHash(seed, 31, from, to) - 0.5) * 2 * 0.09 * len * calm;
  for (let m = 1; m <= sub; m++) {
    const t0 = m / (sub + 1);
    const t = clamp(t0 + (unitHash(seed, 32, from, to, m) - 0.5) * (0.5 / (sub + 1)), 0.02, 0.98);
    const taper = Math.sin(Math.PI * t);
    const kink = (unitHash(seed, 33, from, to, m) - 0.5) * 2 * 0.05 * len * calm;
    const off = taper * bend + taper * kink;
    const [x, y] = warp(a[0] + dx * t + nx * off, a[1] + dy * t + ny * off);
    out[(m - 1) * 2] = x;
    out[(m - 1) * 2 + 1] = y;
  }
  return out;
}

/** A directed boundary edge: the lattice edge id and the direction of travel (+1 canonical). */
export interface DirectedEdge {
  edge: number;
  dir: 1 | -1;
}

/**
 * The boundary rings of a group of cells as sequences of directed lattice edges. Edges shared by
 * two cells of the group cancel; what remains forms simple closed rings. Because cells are
 * counter-clockwise, outer rings come out counter-clockwise and hole rings clockwise.
 * Rings are returned in a deterministic order (by their smallest start vertex id).
 */
export function traceBoundary(lattice: Lattice, cells: ArrayLike<number>): DirectedEdge[][] {
  const inGroup = new Set<number>();
  for (let i = 0; i < cells.length; i++) inGroup.add(cells[i]);
  const next = new Map<number, DirectedEdge>();
  const starts: number[] = [];
  for (const k of inGroup) {
    for (let e = 0; e < 6; e++) {
      const id = lattice.cellEdges[k * 6 + e];
      const c0 = lattice.edgeCells[id * 2];
      const c1 = lattice.edgeCells[id * 2 + 1];
      const other = c0 === k ? c1 : c0;
      if (other >= 0 && inGroup.has(other)) continue;
      const dir = lattice.cellEdgeDir[k * 6 + e] as 1 | -1;
      const start = dir === 1 ? lattice.edgeFrom[id] : lattice.edgeTo[id];
      if (next.has(start))
        throw new Error(`boundary pinches at vertex ${start}; the lattice must have degree-3 vertices`);
      next.set(start, { edge: id, dir });
      starts.push(start);
    }
  }
  starts.sort((a, b) => a - b);
  const used = new Set<number>();
  const rings: DirectedEdge[][] = [];
  for (const s of starts) {
    if (used.has(s)) continue;
    const ring: DirectedEdge[] = [];
    let v = s;
    while (!used.has(v)) {
      used.add(v);
      const de = next.get(v);
      if (!de) throw new Error(`boundary is not closed at vertex ${v}`);
      ring.push(de);
      v = de.dir === 1 ? lattice.edgeTo[de.edge] : lattice.edgeFrom[de.edge];
    }
    if (v !== s) throw new Error(`boundary ring does not close at vertex ${s}`);
    rings.push(ring);
  }
  return rings;
}

/** Projected coordinates of one cell's ring (not closed), for areas and centroids. */
function cellRingXY(lattice: Lattice, k: number): number[] {
  const ring: DirectedEdge[] = [];
  for (let e = 0; e < 6; e++)
    ring.push({ edge: lattice.cellEdges[k * 6 + e], dir: lattice.cellEdgeDir[k * 6 + e] as 1 | -1 });
  return ringXY(lattice, ring);
}

/** Flat projected coordinates [x0, y0, x1, y1, ...] of a traced ring (not closed). */
function ringXY(lattice: Lattice, ring: DirectedEdge[]): number[] {
  const out: number[] = [];
  for (const { edge, dir } of ring) {
    const start = dir === 1 ? lattice.edgeFrom[edge] : lattice.edgeTo[edge];
    out.push(lattice.vertexX[start], lattice.vertexY[start]);
    const pts = lattice.edgeInterior[edge];
    const n = pts.length / 2;
    for (let m = 0; m < n; m++) {
      const q = dir === 1 ? m : n - 1 - m;
      out.push(pts[q * 2], pts[q * 2 + 1]);
    }
  }
  return out;
}

/** Signed area (counter-clockwise positive) and centroid of a flat, unclosed ring. */
export function areaCentroid(flat: ArrayLike<number>): [number, number, number] {
  const n = flat.length / 2;
  let a = 0;
  let cx = 0;
  let cy = 0;
  // Shift to the first point for numerical stability.
  const x0 = flat[0];
  const y0 = flat[1];
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const xi = flat[i * 2] - x0;
    const yi = flat[i * 2 + 1] - y0;
    const xj = flat[j * 2] - x0;
    const yj = flat[j * 2 + 1] - y0;
    const cross = xi * yj - xj * yi;
    a += cross;
    cx += (xi + xj) * cross;
    cy += (yi + yj) * cross;
  }
  a /= 2;
  if (a === 0) return [0, x0, y0];
  return [a, cx / (6 * a) + x0, cy / (6 * a) + y0];
}
