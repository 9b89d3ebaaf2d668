import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gaugeLevel, cockpitSchema } from '../../src/core/cockpit.ts';
import { neighbours } from '../../src/core/geo/adjacency.ts';

test('gauge levels follow the polarity', () => {
  const t = { amber: 85, red: 95 };
  assert.deepEqual(
    [80, 85, 94.9, 95, 120].map((v) => gaugeLevel(v, t, 'higher_is_worse')),
    ['green', 'amber', 'amber', 'red', 'red'],
  );
  const b = { amber: 90, red: 80 };
  assert.deepEqual(
    [70, 80, 89, 90, 99].map((v) => gaugeLevel(v, b, 'higher_is_better')),
    ['red', 'amber', 'amber', 'green', 'green'],
  );
});

test('cockpit tiles are validated', () => {
  assert.equal(
    cockpitSchema.safeParse({ tiles: [{ id: 'a', type: 'gauge', indicator: 'x', layer: 'y' }] }).success,
    false,
    'a gauge needs thresholds',
  );
  assert.equal(
    cockpitSchema.safeParse({
      tiles: [
        { id: 'a', type: 'map', indicator: 'x', layer: 'y' },
        { id: 'a', type: 'map', indicator: 'x', layer: 'y' },
      ],
    }).success,
    false,
    'ids are unique',
  );
  assert.equal(
    cockpitSchema.safeParse({ tiles: [{ id: 'a', type: 'figure', indicator: 'x', layer: 'y', area: '0' }] }).success,
    true,
  );
});

test('neighbours share boundary vertices', () => {
  const sq = (x: number, y: number) => ({
    type: 'Polygon' as const,
    coordinates: [
      [
        [x, y],
        [x + 1, y],
        [x + 1, y + 1],
        [x, y + 1],
        [x, y],
      ],
    ],
  });
  const n = neighbours([
    { code: 'a', geometry: sq(0, 0) },
    { code: 'b', geometry: sq(1, 0) },
    { code: 'c', geometry: sq(5, 5) },
    { code: 'd', geometry: null },
  ]);
  assert.deepEqual([...n.get('a')!], ['b']);
  assert.deepEqual([...n.get('b')!], ['a']);
  assert.equal(n.get('c')!.size, 0);
  assert.equal(n.get('d')!.size, 0);
});
