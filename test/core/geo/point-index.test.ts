import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NaiveLayer, PointIndex, naiveAssign } from '../../../src/core/geo/point-index.ts';
import { orient2d, orient2dExact } from '../../../src/core/geo/predicates.ts';
import { Rng } from '../../../src/demo/random.ts';
import type { AreaGeometry, Ring } from '../../../src/core/geo/types.ts';

const BERLIN = path.resolve('../shared/data/berlin');
const berlinMissing = existsSync(BERLIN) ? false : `real Berlin data not found: folder ${BERLIN} is missing`;

const rect = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const poly = (...rings: Ring[]): AreaGeometry => ({ type: 'Polygon', coordinates: rings });

function loadGeometries(file: string): AreaGeometry[] {
  return JSON.parse(readFileSync(path.join(BERLIN, file), 'utf8')).features.map(
    (f: { geometry: AreaGeometry }) => f.geometry,
  );
}

function randomPoints(bbox: number[], n: number, seed: number): { xs: Float64Array; ys: Float64Array } {
  const rng = new Rng(seed);
  const xs = new Float64Array(n),
    ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = bbox[0] + (bbox[2] - bbox[0]) * rng.next();
    ys[i] = bbox[1] + (bbox[3] - bbox[1]) * rng.next();
  }
  return { xs, ys };
}

test('orient2d is exact where the float determinant is not', () => {
  assert.equal(orient2d(0, 0, 1, 0, 0.5, 1), 1);
  assert.equal(orient2d(0, 0, 1, 0, 0.5, -1), -1);
  assert.equal(orient2d(0, 0, 1, 1, 0.5, 0.5), 0);
  // Near-collinear points where the naive determinant has the wrong sign or says 0.
  const a = [0.5, 0.5],
    b = [12, 12],
    c = [24, 24];
  for (let i = 0; i < 64; i++) {
    const x = a[0] + i * 2 ** -52;
    const exact = orient2dExact(x, a[1], b[0], b[1], c[0], c[1]);
    assert.equal(orient2d(x, a[1], b[0], b[1], c[0], c[1]), exact);
  }
  assert.equal(orient2dExact(0.1, 0.1, 0.3, 0.3, 0.2, 0.2), orient2d(0.1, 0.1, 0.3, 0.3, 0.2, 0.2));
});

test('Berlin district regions: index and naive loop agree on 200,000 random points', { skip: berlinMissing }, () => {
  const geoms = loadGeometries('bezirksregionen-bis-2020.geojson');
  assert.equal(geoms.length, 138);
  const index = PointIndex.build(geoms);
  const tree = PointIndex.build(geoms, { grid: false });
  const naive = new NaiveLayer(geoms);
  const { xs, ys } = randomPoints(index.bbox!, 200_000, 7);
  const a = index.assignMany(xs, ys, new Int32Array(xs.length));
  const b = naive.assignMany(xs, ys, new Int32Array(xs.length));
  const c = tree.assignMany(xs, ys, new Int32Array(xs.length));
  let inside = 0;
  for (let i = 0; i < xs.length; i++) {
    assert.equal(a[i], b[i], `point ${i} (${xs[i]}, ${ys[i]})`);
    assert.equal(c[i], b[i]);
    if (a[i] >= 0) inside++;
  }
  // Berlin fills about half of its bounding box; every region gets points.
  assert.ok(inside > 80_000 && inside < 130_000, `inside ${inside}`);
  assert.equal(new Set(a).size, 139);
  const s = index.stats();
  assert.equal(s.areas, 138);
  assert.ok(s.mixedCells > 0 && s.mixedCells < s.gridColumns * s.gridRows);
});

test('Berlin forecast areas in projected metres (EPSG:25833): index and naive agree', { skip: berlinMissing }, () => {
  const geoms = loadGeometries('prognoseraeume-2021-epsg25833.geojson');
  const index = PointIndex.build(geoms);
  const naive = new NaiveLayer(geoms);
  const { xs, ys } = randomPoints(index.bbox!, 50_000, 11);
  for (let i = 0; i < xs.length; i++) assert.equal(index.assign(xs[i], ys[i]), naive.assign(xs[i], ys[i]));
});

test('Berlin: points on shared borders belong to exactly one region', { skip: berlinMissing }, () => {
  const geoms = loadGeometries('bezirksregionen-bis-2020.geojson');
  const index = PointIndex.build(geoms);
  // Shared edges: present in two regions in opposite directions.
  const owner = new Map<string, number>();
  geoms.forEach((g, a) => {
    for (const p of g.type === 'Polygon' ? [g.coordinates] : g.coordinates)
      for (const r of p)
        for (let i = 0; i + 1 < r.length; i++) owner.set(`${r[i][0]},${r[i][1]},${r[i + 1][0]},${r[i + 1][1]}`, a);
  });
  const rng = new Rng(3);
  let tested = 0;
  for (const [k, a] of owner) {
    const [x1, y1, x2, y2] = k.split(',').map(Number);
    const b = owner.get(`${x2},${y2},${x1},${y1}`);
    if (b === undefined || tested > 3000 || rng.next() > 0.2) continue;
    tested++;
    // Exactly a vertex, and a point on the segment (as exactly as floating point allows).
    const t = 0.05 + 0.9 * rng.next();
    for (const [x, y] of [
      [x1, y1],
      [x1 + t * (x2 - x1), y1 + t * (y2 - y1)],
    ]) {
      const claims = geoms.map((_, c) => c).filter((c) => index.contains(c, x, y));
      // A vertex may lie on Berlin's outline (then ≤ 1); a point inside a shared edge has two regions around it.
      if (x !== x1) assert.equal(claims.length, 1, `(${x}, ${y}) between regions ${a} and ${b}: claimed by ${claims}`);
      else assert.ok(claims.length <= 1);
      assert.equal(index.assign(x, y), claims.length ? claims[0] : -1);
      if (x !== x1) assert.ok(claims[0] === a || claims[0] === b);
    }
  }
  assert.ok(tested > 1000);
});

test('a grid partition: the border rule gives the area east (then north) of the point', () => {
  // 10 × 10 unit squares, area index = row * 10 + col.
  const geoms: AreaGeometry[] = [];
  for (let r = 0; r < 10; r++) for (let c = 0; c < 10; c++) geoms.push(poly(rect(c, r, c + 1, r + 1)));
  const index = PointIndex.build(geoms);
  const tree = PointIndex.build(geoms, { grid: false });
  for (let x = 0; x <= 10; x += 0.5)
    for (let y = 0; y <= 10; y += 0.5) {
      const expected = x >= 10 || y >= 10 ? -1 : Math.floor(y) * 10 + Math.floor(x);
      assert.equal(index.assign(x, y), expected, `(${x}, ${y})`);
      assert.equal(tree.assign(x, y), expected);
      // Not on a border: the naive loop agrees.
      if (x % 1 !== 0 && y % 1 !== 0) assert.equal(naiveAssign(geoms, x, y), expected);
    }
  assert.equal(index.assign(-0.1, 5), -1);
  assert.equal(index.assign(5, 10.1), -1);
  assert.equal(index.assign(NaN, 5), -1);
});

test('a diagonal border: points on it go to the triangle east of them, for every representable point', () => {
  // A quadrilateral cut by a diagonal whose coordinates are not representable in binary.
  const lower: AreaGeometry = poly([
    [0.1, 0.2],
    [0.7, 0.2],
    [0.7, 0.9],
    [0.1, 0.2],
  ]);
  const upper: AreaGeometry = poly([
    [0.1, 0.2],
    [0.7, 0.9],
    [0.1, 0.9],
    [0.1, 0.2],
  ]);
  const index = PointIndex.build([upper, lower]);
  const rng = new Rng(5);
  const seen = { on: 0, left: 0, right: 0 };
  for (let i = 0; i < 5000; i++) {
    const t = rng.next();
    const x = 0.1 + t * 0.6,
      y = 0.2 + t * 0.7; // on the diagonal up to rounding
    const claims = [0, 1].filter((a) => index.contains(a, x, y));
    assert.equal(claims.length, 1, `(${x}, ${y})`);
    const side = orient2d(0.1, 0.2, 0.7, 0.9, x, y);
    seen[side > 0 ? 'left' : side < 0 ? 'right' : 'on']++;
    // Exactly on the line: east of it is the lower triangle; otherwise the side decides.
    assert.equal(claims[0], side > 0 ? 0 : 1);
    assert.equal(index.assign(x, y), claims[0]);
  }
  assert.ok(seen.left > 0 && seen.right > 0, JSON.stringify(seen));
  // A diagonal y = x: every such point lies exactly on it, and goes east, to the lower triangle.
  const lo2: AreaGeometry = poly([
    [0.1, 0.1],
    [0.7, 0.1],
    [0.7, 0.7],
    [0.1, 0.1],
  ]);
  const up2: AreaGeometry = poly([
    [0.1, 0.1],
    [0.7, 0.7],
    [0.1, 0.7],
    [0.1, 0.1],
  ]);
  const index2 = PointIndex.build([up2, lo2]);
  for (let i = 0; i < 1000; i++) {
    const v = 0.1 + rng.next() * 0.6;
    assert.equal(orient2d(0.1, 0.1, 0.7, 0.7, v, v), 0);
    assert.equal(index2.assign(v, v), 1);
    assert.equal(index2.contains(0, v, v), false);
  }
});

test('holes, islands and MultiPolygons', () => {
  const ring = poly(rect(0, 0, 10, 10), rect(3, 3, 7, 7)); // with a hole
  const island = poly(rect(3, 3, 7, 7));
  const multi: AreaGeometry = {
    type: 'MultiPolygon',
    coordinates: [[rect(20, 0, 22, 2)], [rect(30, 0, 32, 2), rect(30.5, 0.5, 31, 1)]],
  };
  const index = PointIndex.build([ring, island, multi, null]);
  assert.equal(index.assign(1, 1), 0);
  assert.equal(index.assign(5, 5), 1);
  assert.equal(index.assign(3, 5), 1, 'the hole border belongs to the area east of it: the island');
  assert.equal(index.assign(7, 5), 0, 'east of the island: the ring');
  assert.equal(index.assign(21, 1), 2);
  assert.equal(index.assign(31.5, 1.5), 2);
  assert.equal(index.assign(30.7, 0.7), -1, 'in the hole of the second part');
  assert.equal(index.assign(25, 1), -1);
  assert.equal(index.size, 4);
  const xs = Float64Array.from([1, 5, 21, 25]),
    ys = Float64Array.from([1, 5, 1, 1]);
  assert.deepEqual([...index.assignMany(xs, ys, new Int32Array(4))], [0, 1, 2, -1]);
});

test('overlapping areas (an invalid layer): the lowest index wins, with or without the grid', () => {
  const geoms = [poly(rect(0, 0, 4, 4)), poly(rect(2, 2, 6, 6)), poly(rect(1, 1, 3, 3))];
  for (const index of [PointIndex.build(geoms), PointIndex.build(geoms, { grid: false })]) {
    assert.equal(index.assign(2.5, 2.5), 0);
    assert.equal(index.assign(5, 5), 1);
    assert.equal(index.assign(3.5, 3.5), 0);
  }
  assert.equal(PointIndex.build([]).assign(0, 0), -1);
  assert.equal(PointIndex.build([null]).bbox, null);
});

test('unclosed rings and repeated vertices are accepted', () => {
  const open: AreaGeometry = poly([
    [0, 0],
    [2, 0],
    [2, 0],
    [2, 2],
    [0, 2],
  ]);
  const index = PointIndex.build([open]);
  assert.equal(index.assign(1, 1), 0);
  assert.equal(index.assign(3, 1), -1);
});

test(
  'an index read back from its bytes answers exactly as the index built from the polygons',
  { skip: berlinMissing },
  () => {
    const geoms = loadGeometries('bezirksregionen-bis-2020.geojson');
    const built = PointIndex.build(geoms);
    const bytes = built.toBytes();
    assert.ok(bytes);
    // Also from bytes at an offset that is not a multiple of 8 (as a database driver may hand them over).
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    for (const source of [bytes, shifted.subarray(3)]) {
      const read = PointIndex.fromBytes(source);
      assert.ok(read);
      assert.deepEqual(read.bbox, built.bbox);
      assert.equal(read.size, 138);
      const { buildMs: _a, ...readStats } = read.stats();
      const { buildMs: _b, ...builtStats } = built.stats();
      assert.deepEqual(readStats, builtStats);
      const { xs, ys } = randomPoints(built.bbox!, 100_000, 19);
      const a = built.assignMany(xs, ys, new Int32Array(xs.length));
      const b = read.assignMany(xs, ys, new Int32Array(xs.length));
      assert.deepEqual(b, a);
      // Points exactly on vertices follow the same border rule.
      for (const g of geoms.slice(0, 20))
        for (const p of g.type === 'Polygon' ? [g.coordinates] : g.coordinates)
          for (const [x, y] of p[0]) assert.equal(read.assign(x, y), built.assign(x, y));
    }
  },
);

test('bytes of another format, damaged bytes and indexes without geometry are refused, not misread', () => {
  const index = PointIndex.build([poly(rect(0, 0, 1, 1)), poly(rect(1, 0, 2, 1))]);
  const bytes = index.toBytes()!;
  assert.equal(PointIndex.fromBytes(bytes)!.assign(1.5, 0.5), 1);
  const otherFormat = bytes.slice();
  otherFormat[4] ^= 0xff;
  assert.equal(PointIndex.fromBytes(otherFormat), null);
  assert.equal(PointIndex.fromBytes(bytes.subarray(0, bytes.length - 8)), null);
  assert.equal(PointIndex.fromBytes(new Uint8Array(8)), null);
  assert.equal(PointIndex.build([null]).toBytes(), null);
  assert.equal(PointIndex.build([poly(rect(0, 0, 1, 1))], { grid: false }).toBytes(), null);
});
