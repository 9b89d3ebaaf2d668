import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { intersection } from 'polyclip-ts';
import { areaWeights, populationWeights, withFallback, type Crosswalk } from '../../../src/core/geo/crosswalk.ts';
import { congruence } from '../../../src/core/geo/congruence.ts';
import { overlayAreas, type OverlayArea } from '../../../src/core/geo/overlay.ts';
import { representativePoint, representativePoints } from '../../../src/core/geo/representative-point.ts';
import { geodesicAreaM2 } from '../../../src/core/geo/geometry.ts';
import { PointIndex } from '../../../src/core/geo/point-index.ts';
import { generateMusterstadt } from '../../../src/demo/musterstadt.ts';
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
const area = (code: string, ...rings: Ring[]): OverlayArea => ({
  code,
  geometry: { type: 'Polygon', coordinates: rings },
});
const planar = { coordinates: 'planar' as const };
const close = (a: number, b: number, tol = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} ≠ ${b}`);

function weightsOf(cw: Crosswalk): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const p of cw.pairs) (out[p.from] ??= {})[p.to] = p.weight;
  return out;
}
function assertSumsToOne(cw: Crosswalk): void {
  const sums = new Map<string, number>();
  for (const p of cw.pairs) sums.set(p.from, (sums.get(p.from) ?? 0) + p.weight);
  for (const [code, s] of sums) (close(s, 1, 1e-12), void code);
}

function loadBerlin(file: string): OverlayArea[] {
  return JSON.parse(readFileSync(path.join(BERLIN, file), 'utf8')).features.map(
    (f: { properties: { id: string }; geometry: AreaGeometry }) => ({
      code: String(f.properties.id),
      geometry: f.geometry,
    }),
  );
}

test('a split area: known shares; weights sum to 1', () => {
  const from = [area('A', rect(0, 0, 3, 1)), area('B', rect(3, 0, 4, 1))];
  const to = [area('x', rect(0, 0, 1, 1)), area('y', rect(1, 0, 4, 1))];
  const cw = areaWeights(from, to, planar);
  assert.deepEqual(weightsOf(cw), { A: { y: 2 / 3, x: 1 / 3 }, B: { y: 1 } });
  assert.equal(cw.basis, 'area');
  assert.deepEqual(
    cw.pairs.map((p) => [p.from, p.to, p.measure]),
    [
      ['A', 'y', 2],
      ['A', 'x', 1],
      ['B', 'y', 1],
    ],
  );
  assert.deepEqual(
    cw.from.map((a) => [a.code, a.measure, a.uncoveredShare]),
    [
      ['A', 3, 0],
      ['B', 1, 0],
    ],
  );
  assert.deepEqual(
    cw.to.map((a) => [a.code, a.measure, a.covered]),
    [
      ['x', 1, 1],
      ['y', 3, 3],
    ],
  );
  assertSumsToOne(cw);
});

test('crossing boundaries, holes, islands and partial cover', () => {
  // A 4×4 square with a 2×2 hole; the to-layer: a triangle cut by a diagonal, and the island in the hole.
  const from = [area('F', rect(0, 0, 4, 4), rect(1, 1, 3, 3)), area('G', rect(4, 0, 6, 4))];
  const to = [
    area(
      'lower',
      [
        [0, 0],
        [6, 0],
        [0, 6],
        [0, 0],
      ],
      rect(1, 1, 3, 3),
    ),
    area('upper', [
      [6, 0],
      [6, 6],
      [0, 6],
      [6, 0],
    ]),
    area('island', rect(1, 1, 3, 3)),
  ];
  const { matrix, fromArea, toArea } = overlayAreas(from, to, planar);
  close(fromArea[0], 12);
  close(toArea[0], 14);
  // F ∩ lower: the triangle x + y < 6 within F minus the hole: 16 − 2 (corner beyond the diagonal) − 4 (hole, entirely below it).
  close(matrix[0].get(0)!, 10);
  close(matrix[0].get(1)!, 2);
  assert.equal(matrix[0].has(2), false, 'the island lies in the hole');
  close(matrix[1].get(0)!, 2);
  close(matrix[1].get(1)!, 6);
  // Only half of a from-area covered: uncovered share reported, weights renormalised.
  const half = areaWeights([area('H', rect(0, 0, 2, 1))], [area('left', rect(0, 0, 1, 1))], planar);
  assert.deepEqual(weightsOf(half), { H: { left: 1 } });
  close(half.from[0].uncoveredShare, 0.5);
  // A from-area touching the to-area only along an edge gets no pair.
  const touch = areaWeights(
    [area('T', rect(0, 0, 1, 1))],
    [area('n', rect(1, 0, 2, 1)), area('s', rect(0, -1, 1, 0))],
    planar,
  );
  assert.equal(touch.pairs.length, 0);
  assert.equal(touch.from[0].uncoveredShare, 1);
});

test('identical layers give the identity crosswalk; congruence 1', () => {
  const city = generateMusterstadt({ scale: 0.5 });
  const blocks = city.layers.find((l) => l.key === 'block')!.versions[0].areas;
  const cw = areaWeights(blocks, blocks);
  assert.equal(cw.pairs.length, blocks.length);
  for (const p of cw.pairs) {
    assert.equal(p.from, p.to);
    assert.equal(p.weight, 1);
  }
  blocks.forEach((b, i) => close(cw.from[i].measure, geodesicAreaM2(b.geometry), 1e-9));
  const c = congruence(cw);
  assert.equal(c.score, 1);
  assert.equal(c.forward.score, 1);
  assert.ok(c.forward.areas.every((a, i) => a.best === blocks[i].code && a.share === 1 && a.reverseShare === 1));
});

test('nested layers: blocks → neighbourhoods is a pure assignment, the reverse is not', () => {
  const city = generateMusterstadt({ scale: 0.5 });
  const blocks = city.layers.find((l) => l.key === 'block')!.versions[0].areas;
  const districts = city.layers.find((l) => l.key === 'stadtteil')!.versions[0].areas;
  const cw = areaWeights(blocks, districts);
  const byCode = new Map(blocks.map((b) => [b.code, b]));
  assert.equal(cw.pairs.length, blocks.length, 'every block lies in exactly one neighbourhood');
  for (const p of cw.pairs) {
    assert.equal(p.weight, 1);
    assert.equal(byCode.get(p.from)!.parentCode, p.to);
  }
  const c = congruence(cw);
  close(c.forward.score, 1, 1e-9);
  assert.ok(c.backward.score < 0.3);
  // The area of a neighbourhood is the sum of its blocks' areas.
  for (const d of cw.to) close(d.covered, d.measure, 1e-9);
});

test(
  'Berlin: district regions → forecast areas agrees with polyclip-ts and geodesic areas',
  { skip: berlinMissing },
  () => {
    const bzr = loadBerlin('bezirksregionen-bis-2020.geojson');
    const pr = loadBerlin('prognoseraeume-2021.geojson');
    const cw = areaWeights(bzr, pr);
    assertSumsToOne(cw);
    bzr.forEach((b, i) => close(cw.from[i].measure, geodesicAreaM2(b.geometry!), 1e-9));
    // Both layers cover Berlin: uncovered only where the two versions' outlines differ (< 0.1 %).
    assert.ok(cw.from.every((a) => a.uncoveredShare < 1e-3));
    // Independent check of a sample of pairs by clipping.
    const g = (l: OverlayArea[], code: string) => l.find((a) => a.code === code)!.geometry!;
    const sample = cw.pairs.filter((p) => p.weight > 0.001).filter((_, k) => k % 25 === 0);
    assert.ok(sample.length >= 5);
    for (const p of sample) {
      const clip = intersection(g(bzr, p.from).coordinates as never, g(pr, p.to).coordinates as never);
      const expected = geodesicAreaM2({ type: 'MultiPolygon', coordinates: clip as never });
      assert.ok(
        Math.abs(p.measure - expected) < 1e-9 * cw.from.find((a) => a.code === p.from)!.measure,
        `${p.from}→${p.to}: ${p.measure} vs ${expected}`,
      );
    }
    // Each region lies essentially in one forecast area (the LOR hierarchy), by its code prefix mostly.
    const c = congruence(cw);
    assert.ok(c.forward.score > 0.98, `forward ${c.forward.score}`);
  },
);

test('population weights from points, fine areas and assigned rows; fallback to area weights', () => {
  const from = [area('A', rect(0, 0, 2, 2)), area('B', rect(2, 0, 4, 2))];
  const to = [area('x', rect(0, 0, 1, 2)), area('y', rect(1, 0, 4, 2))];
  const points = populationWeights(from, to, {
    kind: 'points',
    xs: [0.5, 1.5, 1.5, 3, 9],
    ys: [1, 1, 1.5, 1, 1],
    counts: [10, 20, 10, 0, 5],
  });
  assert.equal(points.basis, 'population');
  assert.deepEqual(weightsOf(points), { A: { y: 30 / 40, x: 10 / 40 } });
  assert.deepEqual(
    points.from.map((a) => [a.code, a.measure]),
    [
      ['A', 40],
      ['B', 0],
    ],
  );
  assert.ok(points.notes.some((n) => /outside every from-area/.test(n)));
  const fine = populationWeights(from, to, {
    kind: 'areas',
    areas: [
      { geometry: { type: 'Polygon', coordinates: [rect(0, 0, 1, 2)] }, population: 100 },
      { geometry: { type: 'Polygon', coordinates: [rect(1, 0, 2, 2)] }, population: 300 },
      { geometry: { type: 'Polygon', coordinates: [rect(2, 0, 4, 2)] }, population: 50 },
    ],
  });
  assert.deepEqual(weightsOf(fine), { A: { y: 0.75, x: 0.25 }, B: { y: 1 } });
  const rows = populationWeights(from, to, {
    kind: 'assigned',
    rows: [
      { from: 'A', to: 'x', population: 1 },
      { from: 'A', to: 'y', population: 3 },
      { from: 'Z', to: 'y', population: 3 },
    ],
  });
  assert.deepEqual(weightsOf(rows), { A: { y: 0.75, x: 0.25 } });
  assert.ok(rows.notes.some((n) => /not in the layers/.test(n)));
  // B has no population: it takes its area weights.
  const both = withFallback(points, areaWeights(from, to, planar));
  assert.deepEqual(weightsOf(both), { A: { y: 0.75, x: 0.25 }, B: { y: 1 } });
  assert.deepEqual(
    both.from.map((a) => a.basis),
    ['population', 'area'],
  );
  assert.throws(() => congruence(both), /joint measures/);
  // Congruence by population: A's population is 75 % in y; y's population is all in A.
  const c = congruence(points);
  assert.deepEqual(c.forward.areas[0], { code: 'A', best: 'y', share: 0.75, reverseShare: 1 });
  close(c.backward.score, 1);
  close(c.score, (30 + 10 + 30) / (40 + 40));
});

test('representative points lie inside concave shapes and parts', () => {
  // A U shape whose centroid lies in the notch.
  const u: AreaGeometry = {
    type: 'Polygon',
    coordinates: [
      [
        [0, 0],
        [3, 0],
        [3, 3],
        [2, 3],
        [2, 1],
        [1, 1],
        [1, 3],
        [0, 3],
        [0, 0],
      ],
    ],
  };
  const p = representativePoint(u)!;
  assert.equal(PointIndex.build([u]).assign(p[0], p[1]), 0);
  const ring: AreaGeometry = { type: 'Polygon', coordinates: [rect(0, 0, 10, 10), rect(1, 1, 9, 9)] };
  const q = representativePoint(ring)!;
  assert.equal(PointIndex.build([ring]).assign(q[0], q[1]), 0);
  const pts = representativePoints([u, null]);
  assert.ok(Number.isNaN(pts.xs[1]));
});

test('duplicate codes are rejected', () => {
  assert.throws(
    () => areaWeights([area('A', rect(0, 0, 1, 1)), area('A', rect(1, 0, 2, 1))], [], planar),
    /more than once/,
  );
});
