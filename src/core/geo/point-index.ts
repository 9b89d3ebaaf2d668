// Point-in-polygon for many points against the polygons of one layer: a prepared index, built
// once per layer, answering "which area contains (x, y)?" in well under a microsecond. Pure: no I/O.
//
// Rule for points on a border (docs/decisions/0004-point-on-border.md): a point belongs to the
// area that lies immediately east of it; on an east–west border, to the area immediately north.
// Formally the point (x, y) is classified as if it were (x + ε, y + ε²) for an infinitesimal ε:
// a crossing-number test with a rightward ray, half-open in y (an edge counts when
// ylo ≤ y < yhi) and strict in x (a point exactly on an edge does not count that edge), decided
// by the exact orientation predicate of predicates.ts. Since the perturbed point lies on no
// boundary, it is inside exactly one area of a partition, whatever the precision of the
// coordinates — two areas sharing an edge evaluate the same exact predicate on it. A point in no
// area gets -1; where areas overlap (invalid layers), the one with the lowest index wins.
//
// Structure (docs/methods-spatial.md):
// - a uniform cell grid over the layer's extent. A cell that no boundary touches (tested
//   conservatively, with a margin that covers every rounding of the cell lookup) holds its answer
//   directly; the few cells that a boundary crosses hold the sorted list of candidate areas;
// - per area, its edges in horizontal bands (typed arrays), so the exact crossing test of one
//   candidate looks at a handful of edges instead of the whole ring.
// `PointIndex.build(…, { grid: false })` replaces the grid by a flatbush search over the areas'
// bounding boxes (the textbook set-up; kept for comparison in the benchmark).

import Flatbush from 'flatbush';
import { orient2d } from './predicates.ts';
import type { AreaGeometry, BBox } from './types.ts';

export interface PointIndexOptions {
  /** Use the cell grid (default). false: flatbush over area bounding boxes instead. */
  grid?: boolean;
  /** Target number of grid cells; default 4 × the number of edges, between 4,096 and 4,194,304. */
  cells?: number;
  /** Target number of edges per band of an area's edge index; default 4. */
  edgesPerBand?: number;
}

export interface PointIndexStats {
  areas: number;
  edges: number;
  gridColumns: number;
  gridRows: number;
  /** Cells crossed by a boundary; points there need exact tests of candidate areas. */
  mixedCells: number;
  /** Mean number of candidate areas in a mixed cell. */
  candidatesPerMixedCell: number;
  bands: number;
  buildMs: number;
}

/** Growable typed array of doubles. */
class F64List {
  a: Float64Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Float64Array(cap);
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  view(): Float64Array {
    return this.a.subarray(0, this.n);
  }
}

const polygonsOf = (geom: AreaGeometry) => (geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates);

export class PointIndex {
  /** Number of areas (the length of the geometry list the index was built from). */
  readonly size: number;
  /** Extent of all vertices, [minX, minY, maxX, maxY]; null for a layer without geometry. */
  readonly bbox: BBox | null;
  private readonly stats_: PointIndexStats;

  // Per area: bounding box, bands.
  private readonly aMinX: Float64Array;
  private readonly aMinY: Float64Array;
  private readonly aMaxX: Float64Array;
  private readonly aMaxY: Float64Array;
  private readonly aInvBand: Float64Array;
  private readonly aBands: Int32Array;
  private readonly aBandBase: Int32Array;
  /** Start of each band's edges in `edges` (in edges); one extra entry per area closes its last band. */
  private readonly bandStart: Int32Array;
  /** [xlo, ylo, xhi, yhi] per edge and band, ylo < yhi (horizontal edges never count for the ray). */
  private readonly edges: Float64Array;

  // Grid.
  private readonly useGrid: boolean;
  private readonly X0: number;
  private readonly Y0: number;
  private readonly X1: number;
  private readonly Y1: number;
  private readonly gx: number;
  private readonly gy: number;
  private readonly invCw: number;
  private readonly invCh: number;
  /** ≥ 0 area, -1 none, ≤ -2: mixed cell number (-2 - v) into candStart/cand. */
  private readonly cell: Int32Array;
  private readonly candStart: Int32Array;
  private readonly cand: Int32Array;

  // Alternative candidate filter.
  private readonly tree: Flatbush | null;

  private constructor(
    geometries: readonly (AreaGeometry | null | undefined)[],
    o: PointIndexOptions,
    prepared?: PreparedParts,
  ) {
    if (prepared) {
      // From toBytes(): the same fields in the same order as a build, so instances share one shape.
      const [size, X0, Y0, X1, Y1, gx, gy, invCw, invCh] = prepared.scalars;
      const [aMinX, aMinY, aMaxX, aMaxY, aInvBand, aBands, aBandBase, bandStart, edges, cell, candStart, cand] =
        prepared.arrays;
      this.size = size;
      this.useGrid = true;
      this.aMinX = aMinX as Float64Array;
      this.aMinY = aMinY as Float64Array;
      this.aMaxX = aMaxX as Float64Array;
      this.aMaxY = aMaxY as Float64Array;
      this.aInvBand = aInvBand as Float64Array;
      this.aBands = aBands as Int32Array;
      this.aBandBase = aBandBase as Int32Array;
      this.bandStart = bandStart as Int32Array;
      this.edges = edges as Float64Array;
      this.bbox = [X0, Y0, X1, Y1];
      this.X0 = X0;
      this.Y0 = Y0;
      this.X1 = X1;
      this.Y1 = Y1;
      this.tree = null;
      this.gx = gx;
      this.gy = gy;
      this.invCw = invCw;
      this.invCh = invCh;
      this.cell = cell as Int32Array;
      this.candStart = candStart as Int32Array;
      this.cand = cand as Int32Array;
      this.stats_ = { ...prepared.stats, buildMs: 0 };
      return;
    }
    const t0 = performance.now();
    const n = geometries.length;
    this.size = n;
    this.useGrid = o.grid !== false;
    this.aMinX = new Float64Array(n).fill(Infinity);
    this.aMinY = new Float64Array(n).fill(Infinity);
    this.aMaxX = new Float64Array(n).fill(-Infinity);
    this.aMaxY = new Float64Array(n).fill(-Infinity);
    this.aInvBand = new Float64Array(n);
    this.aBands = new Int32Array(n);
    this.aBandBase = new Int32Array(n);

    // 1. All edges, per area: [ax, ay, bx, by] as digitised (zero-length ones dropped).
    const raw = new F64List(1 << 14);
    const areaEdgeStart = new Int32Array(n + 1);
    for (let a = 0; a < n; a++) {
      areaEdgeStart[a] = raw.n / 4;
      const g = geometries[a];
      if (!g) continue;
      for (const poly of polygonsOf(g))
        for (const ring of poly) {
          const m = ring.length;
          for (let i = 0; i < m; i++) {
            const p = ring[i],
              q = ring[i + 1 === m ? 0 : i + 1];
            const x1 = +p[0],
              y1 = +p[1],
              x2 = +q[0],
              y2 = +q[1];
            if (!(Number.isFinite(x1) && Number.isFinite(y1) && Number.isFinite(x2) && Number.isFinite(y2))) continue;
            if (x1 < this.aMinX[a]) this.aMinX[a] = x1;
            if (x1 > this.aMaxX[a]) this.aMaxX[a] = x1;
            if (y1 < this.aMinY[a]) this.aMinY[a] = y1;
            if (y1 > this.aMaxY[a]) this.aMaxY[a] = y1;
            if (x1 === x2 && y1 === y2) continue;
            (raw.push(x1), raw.push(y1), raw.push(x2), raw.push(y2));
          }
        }
    }
    areaEdgeStart[n] = raw.n / 4;
    const E = raw.view();
    const edgeCount = E.length / 4;

    // 2. Per area, the non-horizontal edges in bands of equal height (normalised lo → hi in y).
    const perBand = Math.max(1, o.edgesPerBand ?? 4);
    let totalBands = 0;
    for (let a = 0; a < n; a++) {
      const ne = areaEdgeStart[a + 1] - areaEdgeStart[a];
      const bands = ne === 0 ? 1 : Math.max(1, Math.min(4096, Math.ceil(ne / perBand)));
      this.aBands[a] = bands;
      this.aBandBase[a] = totalBands + a; // each area has bands + 1 offsets
      totalBands += bands;
    }
    const bandStart = new Int32Array(totalBands + n + 1);
    // Margin: covers the rounding of the band lookup (relative 1e-15 of the coordinates).
    const counts = new Int32Array(totalBands + n + 1);
    const bandRange = (a: number, ylo: number, yhi: number, h: number, inv: number): [number, number] => {
      const m = h * 1e-9 + 64 * EPS * Math.max(Math.abs(ylo), Math.abs(yhi));
      const bands = this.aBands[a];
      let b0 = Math.floor((ylo - m - this.aMinY[a]) * inv),
        b1 = Math.floor((yhi + m - this.aMinY[a]) * inv);
      if (b0 < 0) b0 = 0;
      if (b1 > bands - 1) b1 = bands - 1;
      return [b0, b1];
    };
    const heights = new Float64Array(n);
    for (let a = 0; a < n; a++) {
      const h = (this.aMaxY[a] - this.aMinY[a]) / this.aBands[a];
      heights[a] = h > 0 ? h : 1;
      this.aInvBand[a] = h > 0 ? 1 / h : 0;
    }
    const forEachEdgeBand = (f: (a: number, e: number, band: number) => void) => {
      for (let a = 0; a < n; a++) {
        for (let e = areaEdgeStart[a]; e < areaEdgeStart[a + 1]; e++) {
          const y1 = E[e * 4 + 1],
            y2 = E[e * 4 + 3];
          if (y1 === y2) continue;
          const [b0, b1] = bandRange(a, Math.min(y1, y2), Math.max(y1, y2), heights[a], this.aInvBand[a]);
          for (let b = b0; b <= b1; b++) f(a, e, b);
        }
      }
    };
    forEachEdgeBand((a, _e, b) => counts[this.aBandBase[a] + b]++);
    let acc = 0;
    for (let i = 0; i < counts.length; i++) {
      bandStart[i] = acc;
      acc += counts[i];
    }
    const fill = new Int32Array(bandStart);
    const edges = new Float64Array(acc * 4);
    forEachEdgeBand((a, e, b) => {
      const k = fill[this.aBandBase[a] + b]++ * 4;
      const x1 = E[e * 4],
        y1 = E[e * 4 + 1],
        x2 = E[e * 4 + 2],
        y2 = E[e * 4 + 3];
      // Normalised so that both areas sharing an edge evaluate the identical predicate.
      if (y1 < y2) ((edges[k] = x1), (edges[k + 1] = y1), (edges[k + 2] = x2), (edges[k + 3] = y2));
      else ((edges[k] = x2), (edges[k + 1] = y2), (edges[k + 2] = x1), (edges[k + 3] = y1));
    });
    this.bandStart = bandStart;
    this.edges = edges;

    // 3. Layer extent.
    let X0 = Infinity,
      Y0 = Infinity,
      X1 = -Infinity,
      Y1 = -Infinity;
    for (let a = 0; a < n; a++) {
      if (this.aMinX[a] > this.aMaxX[a]) continue;
      X0 = Math.min(X0, this.aMinX[a]);
      Y0 = Math.min(Y0, this.aMinY[a]);
      X1 = Math.max(X1, this.aMaxX[a]);
      Y1 = Math.max(Y1, this.aMaxY[a]);
    }
    const empty = !(X0 <= X1);
    this.bbox = empty ? null : [X0, Y0, X1, Y1];
    this.X0 = X0;
    this.Y0 = Y0;
    this.X1 = X1;
    this.Y1 = Y1;

    let gx = 1,
      gy = 1,
      mixed = 0,
      candTotal = 0;
    let cell: Int32Array = new Int32Array(1).fill(-1);
    let candStart: Int32Array = new Int32Array(1);
    let cand: Int32Array = new Int32Array(0);
    this.tree = null;
    if (!empty && this.useGrid) {
      const W = Math.max(X1 - X0, 1e-300),
        H = Math.max(Y1 - Y0, 1e-300);
      const target = Math.round(Math.min(4_194_304, Math.max(4096, o.cells ?? 4 * edgeCount)));
      const size = Math.sqrt((W * H) / target);
      gx = Math.max(1, Math.min(8192, Math.ceil(W / size)));
      gy = Math.max(1, Math.min(8192, Math.ceil(H / size)));
      const cw = W / gx,
        ch = H / gy;
      const built = buildGrid(n, E, areaEdgeStart, this.aMinY, this.aMaxY, X0, Y0, cw, ch, gx, gy);
      cell = built.cell;
      candStart = built.candStart;
      cand = built.cand;
      mixed = candStart.length - 1;
      candTotal = cand.length;
    } else if (!empty) {
      const tree = new Flatbush(Math.max(1, n));
      for (let a = 0; a < n; a++) {
        if (this.aMinX[a] > this.aMaxX[a]) tree.add(Infinity, Infinity, Infinity, Infinity);
        else tree.add(this.aMinX[a], this.aMinY[a], this.aMaxX[a], this.aMaxY[a]);
      }
      tree.finish();
      this.tree = tree;
    }
    this.gx = gx;
    this.gy = gy;
    this.invCw = empty ? 0 : gx / Math.max(X1 - X0, 1e-300);
    this.invCh = empty ? 0 : gy / Math.max(Y1 - Y0, 1e-300);
    this.cell = cell;
    this.candStart = candStart;
    this.cand = cand;
    this.stats_ = {
      areas: n,
      edges: edgeCount,
      gridColumns: this.useGrid ? gx : 0,
      gridRows: this.useGrid ? gy : 0,
      mixedCells: mixed,
      candidatesPerMixedCell: mixed ? candTotal / mixed : 0,
      bands: totalBands,
      buildMs: performance.now() - t0,
    };
  }

  /** Builds the index for a layer; the result of assign() is the position in `geometries`. */
  static build(geometries: readonly (AreaGeometry | null | undefined)[], options: PointIndexOptions = {}): PointIndex {
    return new PointIndex(geometries, options);
  }

  stats(): PointIndexStats {
    return { ...this.stats_ };
  }

  /**
   * The prepared index as bytes, for a cache of prepared layers (store/point-index-cache.ts):
   * reading them back is far cheaper than reading the polygons and building again. Null for an
   * index that is not worth keeping (no geometry, or the flatbush variant).
   */
  toBytes(): Uint8Array | null {
    if (!this.useGrid || !this.bbox) return null;
    const arrays = [
      this.aMinX,
      this.aMinY,
      this.aMaxX,
      this.aMaxY,
      this.aInvBand,
      this.aBands,
      this.aBandBase,
      this.bandStart,
      this.edges,
      this.cell,
      this.candStart,
      this.cand,
    ];
    const { buildMs: _, ...stats } = this.stats_;
    const head = new TextEncoder().encode(
      JSON.stringify({ stats, arrays: arrays.map((a) => [a instanceof Float64Array ? 'f64' : 'i32', a.length]) }),
    );
    const headBytes = align8(16 + head.length);
    let total = headBytes + 9 * 8;
    for (const a of arrays) total += align8(a.byteLength);
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);
    view.setUint32(0, BYTES_MAGIC, true);
    view.setUint32(4, BYTES_FORMAT, true);
    view.setUint32(8, head.length, true);
    out.set(head, 16);
    let at = headBytes;
    new Float64Array(out.buffer, at, 9).set([
      this.size,
      this.X0,
      this.Y0,
      this.X1,
      this.Y1,
      this.gx,
      this.gy,
      this.invCw,
      this.invCh,
    ]);
    at += 9 * 8;
    for (const a of arrays) {
      out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
      at += align8(a.byteLength);
    }
    return out;
  }

  /**
   * The index that toBytes() wrote; it answers exactly as the index built from the polygons.
   * Null when the bytes are of another format version (an older cache entry) or damaged.
   */
  static fromBytes(bytes: Uint8Array): PointIndex | null {
    if (bytes.byteLength < 16) return null;
    // Aligned copies: typed arrays over the bytes need offsets that are multiples of 8.
    const buf = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    if (view.getUint32(0, true) !== BYTES_MAGIC || view.getUint32(4, true) !== BYTES_FORMAT) return null;
    const headLength = view.getUint32(8, true);
    if (16 + headLength > buf.byteLength) return null;
    let head: { stats: Omit<PointIndexStats, 'buildMs'>; arrays: ['f64' | 'i32', number][] };
    try {
      head = JSON.parse(new TextDecoder().decode(buf.subarray(16, 16 + headLength)));
    } catch {
      return null;
    }
    if (!Array.isArray(head.arrays) || head.arrays.length !== 12) return null;
    let at = align8(16 + headLength);
    if (at + 9 * 8 > buf.byteLength) return null;
    const scalars = Array.from(new Float64Array(buf.buffer, buf.byteOffset + at, 9));
    at += 9 * 8;
    const arrays: (Float64Array | Int32Array)[] = [];
    for (const [type, length] of head.arrays) {
      const bytesOf = length * (type === 'f64' ? 8 : 4);
      if (!Number.isInteger(length) || length < 0 || at + bytesOf > buf.byteLength) return null;
      arrays.push(
        type === 'f64'
          ? new Float64Array(buf.buffer, buf.byteOffset + at, length)
          : new Int32Array(buf.buffer, buf.byteOffset + at, length),
      );
      at += align8(bytesOf);
    }
    return new PointIndex([], {}, { scalars, arrays, stats: head.stats });
  }

  /**
   * Exact test of one area under the border rule: true if (x + ε, y + ε²) lies inside area `a`
   * (even–odd over all its rings, so holes and MultiPolygons are handled).
   */
  contains(a: number, x: number, y: number): boolean {
    if (!(x >= this.aMinX[a] && x < this.aMaxX[a] && y >= this.aMinY[a] && y < this.aMaxY[a])) return false;
    let b = ((y - this.aMinY[a]) * this.aInvBand[a]) | 0;
    const bands = this.aBands[a];
    if (b >= bands) b = bands - 1;
    const base = this.aBandBase[a] + b;
    const E = this.edges;
    let inside = false;
    for (let k = this.bandStart[base] * 4, end = this.bandStart[base + 1] * 4; k < end; k += 4) {
      const ylo = E[k + 1];
      if (y < ylo) continue;
      const yhi = E[k + 3];
      if (y >= yhi) continue;
      const xlo = E[k],
        xhi = E[k + 2];
      // Strictly left of both ends: crossed; strictly right of both: not; else the exact test.
      if (x < xlo && x < xhi) inside = !inside;
      else if ((x <= xlo || x <= xhi) && orient2d(xlo, ylo, xhi, yhi, x, y) > 0) inside = !inside;
    }
    return inside;
  }

  /** Index of the area containing the point under the border rule, or -1. */
  assign(x: number, y: number): number {
    if (!(x >= this.X0 && x < this.X1 && y >= this.Y0 && y < this.Y1)) return -1;
    if (!this.useGrid) return this.assignByTree(x, y);
    let c = ((x - this.X0) * this.invCw) | 0;
    if (c >= this.gx) c = this.gx - 1;
    let r = ((y - this.Y0) * this.invCh) | 0;
    if (r >= this.gy) r = this.gy - 1;
    const v = this.cell[r * this.gx + c];
    if (v >= -1) return v;
    const m = -2 - v;
    const cand = this.cand;
    for (let k = this.candStart[m], end = this.candStart[m + 1]; k < end; k++) {
      const a = cand[k];
      if (this.contains(a, x, y)) return a;
    }
    return -1;
  }

  /** assign() for every point; out[i] = area index or -1. */
  assignMany(xs: ArrayLike<number>, ys: ArrayLike<number>, out: Int32Array): Int32Array {
    const len = xs.length;
    if (ys.length !== len || out.length < len)
      throw new RangeError('assignMany: xs, ys and out must have the same length');
    for (let i = 0; i < len; i++) out[i] = this.assign(xs[i], ys[i]);
    return out;
  }

  private assignByTree(x: number, y: number): number {
    let best = -1;
    // flatbush returns the candidates in tree order; the lowest index among the containing wins.
    this.tree!.search(x, y, x, y, (a) => {
      if ((best < 0 || a < best) && this.contains(a, x, y)) best = a;
      return false;
    });
    return best;
  }
}

const EPS = 2 ** -52;

/** "KMPI" and the layout of toBytes(); a change of the index's structure needs a new format. */
const BYTES_MAGIC = 0x49504d4b;
export const POINT_INDEX_BYTES_FORMAT = 1;
const BYTES_FORMAT = POINT_INDEX_BYTES_FORMAT;
const align8 = (n: number) => (n + 7) & ~7;

interface PreparedParts {
  scalars: number[];
  arrays: (Float64Array | Int32Array)[];
  stats: Omit<PointIndexStats, 'buildMs'>;
}

/**
 * The grid: every cell that an edge (with a margin) touches becomes mixed, with the touching
 * areas and those containing the whole cell as candidates; every other cell holds the area (or -1)
 * that contains its centre, found by a scanline per row of cell centres.
 */
function buildGrid(
  n: number,
  E: Float64Array,
  areaEdgeStart: Int32Array,
  aMinY: Float64Array,
  aMaxY: Float64Array,
  X0: number,
  Y0: number,
  cw: number,
  ch: number,
  gx: number,
  gy: number,
): { cell: Int32Array; candStart: Int32Array; cand: Int32Array } {
  const cells = gx * gy;
  const touched = new Uint8Array(cells);
  const pairs = new F64List(1 << 16);
  const scale = Math.max(Math.abs(X0), Math.abs(Y0), Math.abs(X0 + cw * gx), Math.abs(Y0 + ch * gy));
  // Far more than any rounding of the cell lookup or of the x of an edge at a given y.
  const mx = cw * 1e-6 + 256 * EPS * scale,
    my = ch * 1e-6 + 256 * EPS * scale;
  const clampC = (c: number) => (c < 0 ? 0 : c >= gx ? gx - 1 : c);
  const clampR = (r: number) => (r < 0 ? 0 : r >= gy ? gy - 1 : r);

  // Edges → touched cells (row by row along the edge).
  for (let a = 0; a < n; a++) {
    for (let e = areaEdgeStart[a]; e < areaEdgeStart[a + 1]; e++) {
      const x1 = E[e * 4],
        y1 = E[e * 4 + 1],
        x2 = E[e * 4 + 2],
        y2 = E[e * 4 + 3];
      const ylo = Math.min(y1, y2),
        yhi = Math.max(y1, y2);
      const r0 = clampR(Math.floor((ylo - my - Y0) / ch)),
        r1 = clampR(Math.floor((yhi + my - Y0) / ch));
      for (let r = r0; r <= r1; r++) {
        // The part of the edge within the row's y-range (widened by the margin).
        const lo = Math.max(ylo, Y0 + r * ch - my),
          hi = Math.min(yhi, Y0 + (r + 1) * ch + my);
        let xa: number, xb: number;
        if (y1 === y2) ((xa = Math.min(x1, x2)), (xb = Math.max(x1, x2)));
        else {
          const ta = (lo - y1) / (y2 - y1),
            tb = (hi - y1) / (y2 - y1);
          const pa = x1 + (x2 - x1) * Math.min(1, Math.max(0, ta)),
            pb = x1 + (x2 - x1) * Math.min(1, Math.max(0, tb));
          ((xa = Math.min(pa, pb)), (xb = Math.max(pa, pb)));
        }
        const c0 = clampC(Math.floor((xa - mx - X0) / cw)),
          c1 = clampC(Math.floor((xb + mx - X0) / cw));
        for (let c = c0; c <= c1; c++) {
          const k = r * gx + c;
          touched[k] = 1;
          pairs.push(k * n + a);
        }
      }
    }
  }

  // Scanline at each row's centre: cells whose centre is inside an area.
  const cell = new Int32Array(cells).fill(-1);
  const xsBuf = new F64List(256);
  for (let a = 0; a < n; a++) {
    if (!(aMinY[a] <= aMaxY[a])) continue;
    const r0 = clampR(Math.floor((aMinY[a] - Y0) / ch)),
      r1 = clampR(Math.floor((aMaxY[a] - Y0) / ch));
    const rows = r1 - r0 + 1;
    // Counting sort of the crossings by row.
    const count = new Int32Array(rows + 1);
    const rowsOf = (e: number): [number, number] => {
      const y1 = E[e * 4 + 1],
        y2 = E[e * 4 + 3];
      const ylo = Math.min(y1, y2),
        yhi = Math.max(y1, y2);
      // Rows whose centre yc satisfies ylo ≤ yc < yhi.
      let ra = Math.ceil((ylo - Y0) / ch - 0.5),
        rb = Math.ceil((yhi - Y0) / ch - 0.5) - 1;
      while (ra > 0 && Y0 + (ra - 0.5) * ch >= ylo) ra--;
      while (Y0 + (ra + 0.5) * ch < ylo) ra++;
      while (Y0 + (rb + 1.5) * ch < yhi) rb++;
      while (rb >= ra && Y0 + (rb + 0.5) * ch >= yhi) rb--;
      return [Math.max(ra, r0), Math.min(rb, r1)];
    };
    for (let e = areaEdgeStart[a]; e < areaEdgeStart[a + 1]; e++) {
      if (E[e * 4 + 1] === E[e * 4 + 3]) continue;
      const [ra, rb] = rowsOf(e);
      for (let r = ra; r <= rb; r++) count[r - r0 + 1]++;
    }
    for (let i = 0; i < rows; i++) count[i + 1] += count[i];
    xsBuf.n = 0;
    for (let i = 0; i < count[rows]; i++) xsBuf.push(0);
    const xs = xsBuf.view();
    const pos = count.slice(0, rows);
    for (let e = areaEdgeStart[a]; e < areaEdgeStart[a + 1]; e++) {
      const x1 = E[e * 4],
        y1 = E[e * 4 + 1],
        x2 = E[e * 4 + 2],
        y2 = E[e * 4 + 3];
      if (y1 === y2) continue;
      const [ra, rb] = rowsOf(e);
      for (let r = ra; r <= rb; r++) {
        const yc = Y0 + (r + 0.5) * ch;
        xs[pos[r - r0]++] = x1 + ((x2 - x1) * (yc - y1)) / (y2 - y1);
      }
    }
    for (let i = 0; i < rows; i++) {
      const row = xs.subarray(count[i], count[i + 1]);
      row.sort();
      const r = r0 + i;
      for (let j = 0; j + 1 < row.length; j += 2) {
        // Cells whose centre xc satisfies row[j] ≤ xc < row[j + 1].
        const ca = Math.max(0, Math.ceil((row[j] - X0) / cw - 0.5)),
          cb = Math.min(gx - 1, Math.ceil((row[j + 1] - X0) / cw - 0.5) - 1);
        for (let c = ca; c <= cb; c++) {
          const k = r * gx + c;
          if (touched[k]) pairs.push(k * n + a);
          else if (cell[k] === -1) cell[k] = a; // areas in ascending order: the lowest wins
        }
      }
    }
  }

  // Mixed cells: sorted, de-duplicated candidate lists.
  const P = pairs.view();
  P.sort();
  let mixed = 0,
    candCount = 0;
  for (let i = 0; i < P.length; i++) {
    if (i > 0 && P[i] === P[i - 1]) continue;
    candCount++;
    const k = Math.floor(P[i] / n);
    if (i === 0 || Math.floor(P[i - 1] / n) !== k) mixed++;
  }
  const candStart = new Int32Array(mixed + 1);
  const cand = new Int32Array(candCount);
  let m = -1,
    j = 0,
    prevCell = -1;
  for (let i = 0; i < P.length; i++) {
    if (i > 0 && P[i] === P[i - 1]) continue;
    const k = Math.floor(P[i] / n),
      a = P[i] - k * n;
    if (k !== prevCell) {
      m++;
      candStart[m] = j;
      cell[k] = -2 - m;
      prevCell = k;
    }
    cand[j++] = a;
  }
  candStart[mixed] = j;
  return { cell, candStart, cand };
}

// ---------------------------------------------------------------------------------------------
// The naive peer and test oracle

/**
 * A naive loop over all polygons: bounding-box check, then the textbook even–odd crossing test
 * over every ring (W. R. Franklin's PNPOLY). No index, no exact predicates; the first area (in
 * input order) containing the point wins. Agrees with PointIndex for every point not on a border.
 */
export class NaiveLayer {
  private readonly geometries: readonly (AreaGeometry | null | undefined)[];
  private readonly boxes: Float64Array;

  constructor(geometries: readonly (AreaGeometry | null | undefined)[]) {
    this.geometries = geometries;
    this.boxes = new Float64Array(geometries.length * 4);
    geometries.forEach((g, a) => {
      let minX = Infinity,
        minY = Infinity,
        maxX = -Infinity,
        maxY = -Infinity;
      if (g)
        for (const poly of polygonsOf(g))
          for (const ring of poly)
            for (const p of ring) {
              if (p[0] < minX) minX = p[0];
              if (p[0] > maxX) maxX = p[0];
              if (p[1] < minY) minY = p[1];
              if (p[1] > maxY) maxY = p[1];
            }
      this.boxes.set([minX, minY, maxX, maxY], a * 4);
    });
  }

  assign(x: number, y: number): number {
    const B = this.boxes;
    for (let a = 0; a < this.geometries.length; a++) {
      if (x < B[a * 4] || x > B[a * 4 + 2] || y < B[a * 4 + 1] || y > B[a * 4 + 3]) continue;
      const g = this.geometries[a]!;
      let inside = false;
      for (const poly of polygonsOf(g))
        for (const ring of poly) {
          for (let i = 0, m = ring.length, j = m - 1; i < m; j = i++) {
            const xi = ring[i][0],
              yi = ring[i][1],
              xj = ring[j][0],
              yj = ring[j][1];
            if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
          }
        }
      if (inside) return a;
    }
    return -1;
  }

  assignMany(xs: ArrayLike<number>, ys: ArrayLike<number>, out: Int32Array): Int32Array {
    for (let i = 0; i < xs.length; i++) out[i] = this.assign(xs[i], ys[i]);
    return out;
  }
}

/** One-off naive assignment (see NaiveLayer); for many points build a NaiveLayer once. */
export function naiveAssign(geometries: readonly (AreaGeometry | null | undefined)[], x: number, y: number): number {
  return new NaiveLayer(geometries).assign(x, y);
}
