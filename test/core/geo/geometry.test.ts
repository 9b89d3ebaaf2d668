import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bboxOf,
  closeRings,
  coveredShare,
  geodesicAreaM2,
  planarArea,
  ringArea,
  rewind,
  toMultiPolygon,
  transformGeometry,
  validateGeometry,
} from '../../../src/core/geo/geometry.ts';
import type { AreaGeometry, Ring } from '../../../src/core/geo/types.ts';

const square = (x: number, y: number, d: number): Ring => [
  [x, y],
  [x + d, y],
  [x + d, y + d],
  [x, y + d],
  [x, y],
];
const polygon = (...rings: Ring[]): AreaGeometry => ({ type: 'Polygon', coordinates: rings });
const codes = (g: AreaGeometry) => validateGeometry(g).map((i) => i.code);
const errors = (g: AreaGeometry) => validateGeometry(g).filter((i) => i.severity === 'error');

test('bbox, MultiPolygon conversion and transformation', () => {
  const g = polygon(square(1, 2, 3));
  assert.deepEqual(bboxOf(g), [1, 2, 4, 5]);
  assert.deepEqual(toMultiPolygon(g), { type: 'MultiPolygon', coordinates: [[square(1, 2, 3)]] });
  assert.deepEqual(
    transformGeometry(g, (x, y) => [x * 2, y + 1]),
    polygon([
      [2, 3],
      [8, 3],
      [8, 6],
      [2, 6],
      [2, 3],
    ]),
  );
  const t = transformGeometry({ type: 'MultiPolygon', coordinates: [[square(0, 0, 1)]] }, (x, y) => [x + 10, y]);
  assert.deepEqual(bboxOf(t), [10, 0, 11, 1]);
});

test('areas: shoelace with holes subtracting, geodesic area of a degree cell', () => {
  assert.equal(ringArea(square(0, 0, 2)), 4);
  assert.equal(ringArea([...square(0, 0, 2)].reverse()), -4);
  assert.equal(planarArea(polygon(square(0, 0, 10), square(2, 2, 2))), 96);
  assert.equal(planarArea({ type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [square(5, 5, 2)]] }), 5);
  // Reference: closed-form area of an ellipsoidal lat/lon cell on WGS84.
  assert.ok(Math.abs(geodesicAreaM2(polygon(square(0, 0, 1))) / 12_308_463_893.975 - 1) < 1e-9);
  assert.ok(Math.abs(geodesicAreaM2(polygon(square(13, 52, 1))) / 7_556_735_896.471 - 1) < 1e-9);
});

test('rewind orients outer rings counter-clockwise and holes clockwise', () => {
  const g = rewind(polygon([...square(0, 0, 10)].reverse(), square(2, 2, 2)));
  assert.ok(g.type === 'Polygon' && ringArea(g.coordinates[0]) > 0 && ringArea(g.coordinates[1]) < 0);
});

test('a square with a hole is valid', () => {
  assert.deepEqual(validateGeometry(polygon(square(0, 0, 10), [...square(2, 2, 2)].reverse())), []);
});

test('a bow-tie is self-intersecting, with the crossing point', () => {
  const bowTie = polygon([
    [0, 0],
    [2, 2],
    [2, 0],
    [0, 2],
    [0, 0],
  ]);
  const issues = validateGeometry(bowTie);
  assert.equal(issues.length, 1);
  assert.equal(issues[0].code, 'self-intersection');
  assert.equal(issues[0].severity, 'error');
  assert.deepEqual(issues[0].at, [1, 1]);
});

test('a spike (a ring running back over itself) is a self-intersection', () => {
  const spike = polygon([
    [0, 0],
    [4, 0],
    [4, 4],
    [4, 6],
    [4, 5],
    [0, 4],
    [0, 0],
  ]);
  assert.deepEqual(codes(spike), ['self-intersection']);
});

test('a ring touching itself at a vertex is only a warning; repeated vertices are fine', () => {
  // Figure-eight through (2,2) without crossing: two triangles meeting at one point.
  const touching = polygon([
    [0, 0],
    [2, 2],
    [4, 0],
    [4, 4],
    [2, 2],
    [0, 4],
    [0, 0],
  ]);
  const issues = validateGeometry(touching);
  assert.deepEqual(
    issues.map((i) => [i.code, i.severity]),
    [['self-touch', 'warning']],
  );
  const repeated = polygon([
    [0, 0],
    [1, 0],
    [1, 0],
    [1, 1],
    [0, 1],
    [0, 0],
  ]);
  assert.deepEqual(validateGeometry(repeated), []);
});

test('holes: outside the shell, crossing the shell, touching the shell at one point', () => {
  assert.deepEqual(codes(polygon(square(0, 0, 10), square(20, 20, 2))), ['hole-outside-shell']);
  assert.deepEqual(codes(polygon(square(0, 0, 10), square(8, 8, 4))), ['self-intersection']);
  const touchingHole = polygon(square(0, 0, 10), [
    [0, 5],
    [3, 4],
    [3, 6],
    [0, 5],
  ]);
  assert.deepEqual(validateGeometry(touchingHole), []);
  // A hole sharing an edge with the shell is a notch drawn the wrong way.
  assert.deepEqual(codes(polygon(square(0, 0, 10), square(0, 2, 2))), ['self-intersection']);
});

test('MultiPolygon parts may touch or share an edge, but not overlap', () => {
  assert.deepEqual(validateGeometry({ type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [square(1, 0, 1)]] }), []);
  assert.deepEqual(codes({ type: 'MultiPolygon', coordinates: [[square(0, 0, 2)], [square(1, 1, 2)]] }), [
    'polygons-overlap',
  ]);
});

test('unclosed rings, too few positions, non-finite coordinates, zero area', () => {
  const open = polygon(square(0, 0, 1).slice(0, 4));
  assert.deepEqual(
    validateGeometry(open).map((i) => [i.code, i.severity]),
    [['ring-not-closed', 'error']],
  );
  assert.deepEqual(validateGeometry(closeRings(open)), []);
  assert.deepEqual(closeRings(open), polygon(square(0, 0, 1)));

  assert.deepEqual(
    codes(
      polygon([
        [0, 0],
        [1, 0],
        [0, 0],
      ]),
    ),
    ['too-few-positions'],
  );
  assert.deepEqual(
    codes(
      polygon([
        [0, 0],
        [1, 0],
        [1, NaN],
        [0, 1],
        [0, 0],
      ]),
    ),
    ['non-finite-coordinate'],
  );
  assert.deepEqual(
    codes(
      polygon([
        [0, 0],
        [1, 1],
        [2, 2],
        [0, 0],
      ]),
    ),
    ['zero-area'],
  );
});

test('tolerance turns grid-level crossings into touches, but does not invent touches', () => {
  // Vertex (2, 2e-8) pokes 2e-8 across the bottom edge of the outer ring: a rounding artefact.
  const poke = polygon([
    [0, 0],
    [4, 0],
    [4, 4],
    [2, 4],
    [2, -2e-8],
    [1.9, 4],
    [0, 4],
    [0, 0],
  ]);
  assert.equal(errors(poke).length, 1);
  assert.deepEqual(
    validateGeometry(poke, { tolerance: 1e-7 }).map((i) => i.code),
    ['self-touch'],
  );
  // A narrow passage 5e-8 wide: no contact at all.
  const narrow = polygon([
    [0, 0],
    [4, 0],
    [4, 4],
    [2, 4],
    [2, 5e-8],
    [1.9, 4],
    [0, 4],
    [0, 0],
  ]);
  assert.deepEqual(validateGeometry(narrow, { tolerance: 1e-7 }), []);
});

test('validation of a 50,000-vertex ring is fast and finds a single defect', () => {
  const n = 50_000;
  const ring: Ring = [];
  for (let i = 0; i < n; i++) {
    const a = (i / n) * 2 * Math.PI;
    const r = 1 + 0.05 * Math.sin(a * 200);
    ring.push([13.4 + 0.1 * r * Math.cos(a), 52.5 + 0.06 * r * Math.sin(a)]);
  }
  ring.push(ring[0]);
  let t = performance.now();
  assert.deepEqual(validateGeometry(polygon(ring), { tolerance: 1e-7 }), []);
  const ms = performance.now() - t;
  assert.ok(ms < 3000, `took ${ms.toFixed(0)} ms`);
  // Swap two neighbouring vertices: a tiny bow-tie somewhere in the ring.
  const broken = ring.map((p) => [...p]);
  [broken[20_000], broken[20_001]] = [broken[20_001], broken[20_000]];
  t = performance.now();
  const issues = validateGeometry(polygon(broken), { tolerance: 1e-7 });
  assert.deepEqual(
    issues.map((i) => i.code),
    ['self-intersection'],
  );
  assert.ok(performance.now() - t < 3000);
});

test('the number of issues is capped', () => {
  const holes = Array.from({ length: 30 }, (_, i) => square(20 + i * 2, 20, 1));
  const issues = validateGeometry(polygon(square(0, 0, 10), ...holes), { maxIssues: 5 });
  assert.deepEqual(
    issues.map((i) => i.code),
    [
      'hole-outside-shell',
      'hole-outside-shell',
      'hole-outside-shell',
      'hole-outside-shell',
      'hole-outside-shell',
      'more-issues',
    ],
  );
  assert.match(issues[5].reason, /25 further/);
});

test('coveredShare: inside, half overlapping, disjoint', () => {
  const parent = polygon(square(13, 52, 1));
  assert.ok(Math.abs(coveredShare(polygon(square(13.2, 52.2, 0.2)), parent) - 1) < 1e-9);
  assert.ok(Math.abs(coveredShare(polygon(square(13.9, 52.2, 0.2)), parent) - 0.5) < 1e-9);
  assert.equal(coveredShare(polygon(square(15, 52.2, 0.2)), parent), 0);
  // The hole of the parent is not inside it.
  const withHole = polygon(square(13, 52, 1), [...square(13.2, 52.2, 0.2)].reverse());
  assert.ok(coveredShare(polygon(square(13.2, 52.2, 0.2)), withHole) < 1e-9);
  assert.ok(
    Number.isNaN(
      coveredShare(
        polygon([
          [13, 52],
          [13.5, 52.5],
          [14, 53],
          [13, 52],
        ]),
        parent,
      ),
    ),
  );
});
