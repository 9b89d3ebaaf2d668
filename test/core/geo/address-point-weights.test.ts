// Population weights from address points as the address register gives them: without resident
// counts every address counts once (a dwelling proxy); points on borders follow the border rule
// in both layers; points outside the from-layer get no weight; empty from-areas fall back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaWeights, populationWeights, withFallback } from '../../../src/core/geo/crosswalk.ts';
import { congruence } from '../../../src/core/geo/congruence.ts';
import type { OverlayArea } from '../../../src/core/geo/overlay.ts';

const box = (code: string, x0: number, y0: number, x1: number, y1: number): OverlayArea => ({
  code,
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
        [x0, y0],
      ],
    ],
  },
});

test('address points without counts: one per address; border rule; outside points; fallback', () => {
  const from = [box('A', 0, 0, 2, 2), box('B', 2, 0, 4, 2), box('C', 4, 0, 6, 2)];
  const to = [box('x', 0, 0, 1, 2), box('y', 1, 0, 6, 2)];
  // (1, 1) lies on the x|y border: east → y. (2, 0.5) lies on the A|B border: east → B. (9, 1) lies outside.
  const xs = [0.5, 0.5, 0.7, 1, 1.5, 2, 3, 9];
  const ys = [1, 1.5, 0.2, 1, 1, 0.5, 1, 1];
  const cw = populationWeights(from, to, { kind: 'points', xs, ys });
  assert.deepEqual(
    cw.pairs.map((p) => [p.from, p.to, p.measure, p.weight]),
    [
      ['A', 'x', 3, 0.6],
      ['A', 'y', 2, 0.4],
      ['B', 'y', 2, 1],
    ],
  );
  assert.deepEqual(
    cw.from.map((a) => [a.code, a.measure]),
    [
      ['A', 5],
      ['B', 2],
      ['C', 0],
    ],
  );
  assert.ok(cw.notes.some((n) => /1 lies outside every from-area/.test(n)));
  // C has no address point: area weights, recorded per area; its pairs carry no measure.
  const both = withFallback(cw, areaWeights(from, to, { coordinates: 'planar' }));
  assert.deepEqual(
    both.from.map((a) => [a.code, a.basis]),
    [
      ['A', 'population'],
      ['B', 'population'],
      ['C', 'area'],
    ],
  );
  assert.deepEqual(
    both.pairs.filter((p) => p.from === 'C').map((p) => [p.to, p.weight, p.measure]),
    [['y', 1, 0]],
  );
  // Congruence by addresses leaves the measureless fallback pairs out (as the service does).
  const c = congruence({ ...both, pairs: both.pairs.filter((p) => p.measure > 0) });
  assert.deepEqual(
    c.forward.areas.find((a) => a.code === 'C'),
    { code: 'C', best: null, share: 0, reverseShare: 0 },
  );
  assert.equal(c.forward.score, (3 + 2) / 7);
});
