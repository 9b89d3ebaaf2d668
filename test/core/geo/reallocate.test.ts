import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaWeights, type Crosswalk } from '../../../src/core/geo/crosswalk.ts';
import type { OverlayArea } from '../../../src/core/geo/overlay.ts';
import { largestRemainder, reallocateCounts, reallocateRatios } from '../../../src/core/geo/reallocate.ts';
import { generateMusterstadt } from '../../../src/demo/musterstadt.ts';
import type { Ring } from '../../../src/core/geo/types.ts';

const rect = (x0: number, y0: number, x1: number, y1: number): Ring => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];
const area = (code: string, r: Ring): OverlayArea => ({ code, geometry: { type: 'Polygon', coordinates: [r] } });

// Old: A | B (2 + 2 wide); new: x | y | z (1 + 2 + 1 wide): x = ½A, y = ½A + ½B, z = ½B.
const oldLayer = [area('A', rect(0, 0, 2, 1)), area('B', rect(2, 0, 4, 1))];
const newLayer = [area('x', rect(0, 0, 1, 1)), area('y', rect(1, 0, 3, 1)), area('z', rect(3, 0, 4, 1))];
const cw = areaWeights(oldLayer, newLayer, { coordinates: 'planar' });

test('counts are split by weight; the total is preserved; results are estimates with their method', () => {
  const r = reallocateCounts(cw, [
    { code: 'A', value: 100 },
    { code: 'B', value: 51 },
  ]);
  assert.deepEqual(
    r.values.map((v) => [v.code, v.value]),
    [
      ['x', 50],
      ['y', 75.5],
      ['z', 25.5],
    ],
  );
  assert.ok(r.values.every((v) => v.estimate === true && v.method === 'crosswalk-area' && v.completeness === 1));
  assert.deepEqual(
    r.values.map((v) => v.sources),
    [1, 2, 1],
  );
  assert.equal(r.totals.input, 151);
  assert.equal(r.totals.output, 151);
  assert.equal(r.totals.lost, 0);
});

test('largest-remainder rounding: integers whose total is exact', () => {
  const r = reallocateCounts(
    cw,
    [
      { code: 'A', value: 101 },
      { code: 'B', value: 51 },
    ],
    { rounding: 'largest-remainder' },
  );
  // Unrounded 50.5 / 76 / 25.5 → the single unit left after flooring goes to the larger of the tied remainders.
  assert.deepEqual(
    r.values.map((v) => v.value),
    [51, 76, 25],
  );
  assert.equal(r.totals.output, 152);
  // Many areas with thirds: the total stays exact and every value within 1 of its estimate.
  const items = Array.from({ length: 30 }, (_, i) => ({
    code: `c${String(i).padStart(2, '0')}`,
    value: (i % 3) + 1 / 3,
  }));
  const before = items.map((i) => i.value as number);
  largestRemainder(items);
  assert.equal(
    items.reduce((s, i) => s + (i.value as number), 0),
    Math.round(before.reduce((s, v) => s + v, 0)),
  );
  items.forEach((i, k) => assert.ok(Number.isInteger(i.value) && Math.abs((i.value as number) - before[k]) < 1));
});

test('a real boundary change: 24 → 38 neighbourhoods keeps every total exactly with rounding', () => {
  const city = generateMusterstadt({ scale: 1 });
  const layer = city.layers.find((l) => l.key === 'stadtteil')!;
  const [oldV, newV] = layer.versions;
  const w = areaWeights(oldV.areas, newV.areas);
  const values = oldV.areas.map((a, i) => ({ code: a.code, value: 1000 + 37 * i }));
  const total = values.reduce((s, v) => s + v.value, 0);
  const real = reallocateCounts(w, values);
  assert.ok(Math.abs(real.totals.output - total) < 1e-6, `${real.totals.output} vs ${total}`);
  const int = reallocateCounts(w, values, { rounding: 'largest-remainder' });
  assert.equal(int.totals.output, total);
  int.values.forEach((v, k) => assert.ok(Math.abs((v.value as number) - (real.values[k].value as number)) < 1));
});

test('ratios are rebuilt from split numerators and denominators, never averaged', () => {
  const r = reallocateRatios(
    cw,
    [
      { code: 'A', numerator: 10, denominator: 100 }, // 10 %
      { code: 'B', numerator: 90, denominator: 300 }, // 30 %
    ],
    { factor: 100 },
  );
  const y = r.values.find((v) => v.code === 'y')!;
  // ½A + ½B: (5 + 45) / (50 + 150) = 25 %, not the mean 20 %.
  assert.equal(y.numerator, 50);
  assert.equal(y.denominator, 200);
  assert.equal(y.value, 25);
  assert.equal(r.values.find((v) => v.code === 'x')!.value, 10);
  assert.equal(r.totals.numerator.output, 100);
  assert.equal(r.totals.denominator.output, 400);
  const zero = reallocateRatios(cw, [
    { code: 'A', numerator: 0, denominator: 0 },
    { code: 'B', numerator: 1, denominator: 2 },
  ]);
  assert.equal(zero.values[0].value, null);
  assert.equal(zero.values[0].reason, 'zero-denominator');
});

test('missing sources: null by default, partial on request; unknown codes are reported as lost', () => {
  const r = reallocateCounts(cw, [
    { code: 'A', value: 100 },
    { code: 'B', value: null },
    { code: 'Q', value: 7 },
  ]);
  assert.deepEqual(
    r.values.map((v) => [v.code, v.value, v.reason ?? null]),
    [
      ['x', 50, null],
      ['y', null, 'incomplete-sources'],
      ['z', null, 'incomplete-sources'],
    ],
  );
  assert.equal(r.totals.lost, 7);
  assert.deepEqual(r.totals.lostCodes, ['Q']);
  const p = reallocateCounts(
    cw,
    [
      { code: 'A', value: 100 },
      { code: 'B', value: null },
    ],
    { missing: 'partial' },
  );
  const y = p.values.find((v) => v.code === 'y')!;
  assert.equal(y.value, 50);
  assert.equal(y.completeness, 0.5);
  assert.equal(p.values.find((v) => v.code === 'z')!.value, null);
  assert.throws(
    () =>
      reallocateCounts(cw, [
        { code: 'A', value: 1 },
        { code: 'A', value: 2 },
      ]),
    /more than once/,
  );
});

test('a to-area without sources gets null; mixed bases are named', () => {
  const partial: Crosswalk = { ...cw, to: [...cw.to, { code: 'w', measure: 1, covered: 0, uncoveredShare: 1 }] };
  const r = reallocateCounts(partial, [
    { code: 'A', value: 1 },
    { code: 'B', value: 1 },
  ]);
  assert.equal(r.values.at(-1)!.value, null);
  assert.equal(r.values.at(-1)!.reason, 'no-sources');
  const mixed: Crosswalk = {
    ...cw,
    basis: 'population',
    from: cw.from.map((a, i) => ({ ...a, basis: i === 0 ? 'population' : 'area' })),
  };
  assert.equal(reallocateCounts(mixed, []).values[0].method, 'crosswalk-mixed');
});
