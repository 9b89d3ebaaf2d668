import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildLattice, traceBoundary } from '../../src/demo/lattice.ts';
import { geometryBuilder } from '../../src/demo/geometry.ts';
import { growRegions, isConnected, members, pickSeeds, allocate } from '../../src/demo/regions.ts';
import { Rng, binomial, splitInteger } from '../../src/demo/random.ts';
import type { Position } from '../../src/core/geo/types.ts';

const lattice = buildLattice({ seed: 42, cells: 80, cellWidth: 700, warpLength: 4000, subdivisions: 3 });
// Identity "projection" (metres, shifted to small positive numbers).
const geo = geometryBuilder(lattice, (x, y) => [x / 1e5 + 8, y / 1e5 + 51]);

function signedArea(ring: Position[]): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return a / 2;
}

test('cells are counter-clockwise, share their edges, and have 1..6 neighbours', () => {
  assert.equal(lattice.cellCount, 80);
  for (let k = 0; k < lattice.cellCount; k++) {
    assert.ok(lattice.area[k] > 0);
    const nb = lattice.neighbours[k];
    assert.ok(nb.length >= 1 && nb.length <= 6);
    for (const o of nb) assert.ok(lattice.neighbours[o].includes(k), 'adjacency is symmetric');
  }
  assert.ok(
    isConnected(
      Array.from({ length: lattice.cellCount }, (_, k) => k),
      lattice.neighbours,
    ),
  );
});

test('a ring of cells around another produces an outer ring and a clockwise hole', () => {
  const inner = Array.from({ length: lattice.cellCount }, (_, k) => k).find((k) => lattice.neighbours[k].length === 6);
  assert.ok(inner !== undefined, 'an interior cell exists');
  const ring = lattice.neighbours[inner];
  assert.equal(traceBoundary(lattice, ring).length, 2);
  const g = geo(ring);
  assert.equal(g.coordinates.length, 1, 'one polygon');
  assert.equal(g.coordinates[0].length, 2, 'with one hole');
  const [outer, hole] = g.coordinates[0];
  assert.ok(signedArea(outer) > 0, 'outer ring counter-clockwise');
  assert.ok(signedArea(hole) < 0, 'hole clockwise');
  // The hole is exactly the inner cell, reversed.
  const cell = geo([inner]).coordinates[0][0];
  assert.ok(Math.abs(signedArea(hole) + signedArea(cell)) < 1e-12);
  assert.deepEqual(new Set(hole.map((p) => `${p[0]},${p[1]}`)), new Set(cell.map((p) => `${p[0]},${p[1]}`)));
  // Filling the hole gives one ring whose area is the sum of the parts.
  const full = geo([...ring, inner]);
  assert.equal(full.coordinates[0].length, 1);
  const parts = [...ring, inner].reduce((s, k) => s + signedArea(geo([k]).coordinates[0][0]), 0);
  assert.ok(Math.abs(signedArea(full.coordinates[0][0]) - parts) < 1e-9 * parts);
});

test('two separate groups give two polygons', () => {
  const a = 0;
  const far = Array.from({ length: lattice.cellCount }, (_, k) => k).filter(
    (k) => k !== a && !lattice.neighbours[a].includes(k),
  )[10];
  const g = geo([a, far]);
  assert.equal(g.coordinates.length, 2);
  for (const poly of g.coordinates) assert.ok(signedArea(poly[0]) > 0);
});

test('region growing gives contiguous groups covering all cells', () => {
  const cells = Array.from({ length: lattice.cellCount }, (_, k) => k);
  const pos = { x: lattice.centroidX, y: lattice.centroidY };
  const seeds = pickSeeds(cells, 7, pos, new Rng(1));
  assert.equal(new Set(seeds).size, 7);
  const assign = growRegions(
    lattice.cellCount,
    cells,
    seeds,
    lattice.neighbours,
    new Float64Array(lattice.cellCount).fill(1),
    pos,
    5,
  );
  const groups = members(assign, 7);
  assert.equal(
    groups.reduce((s, g) => s + g.length, 0),
    lattice.cellCount,
  );
  for (const g of groups) assert.ok(isConnected(g, lattice.neighbours));
  // Balanced by weight: no group is more than three times another.
  const sizes = groups.map((g) => g.length);
  assert.ok(Math.max(...sizes) <= 3 * Math.min(...sizes), `sizes ${sizes}`);
});

test('random helpers are deterministic and consistent', () => {
  const a = new Rng(7);
  const b = new Rng(7);
  for (let i = 0; i < 100; i++) assert.equal(a.next(), b.next());
  const r = new Rng(3);
  for (let i = 0; i < 1000; i++) {
    const n = r.int(200);
    const k = binomial(n, r.next(), r);
    assert.ok(Number.isInteger(k) && k >= 0 && k <= n);
  }
  const parts = splitInteger(1001, [1, 2, 3.5, 0]);
  assert.equal(
    parts.reduce((s: number, x: number) => s + x, 0),
    1001,
  );
  assert.equal(parts[3], 0);
  const alloc = allocate(10, [1, 1, 8], [5, 5, 5]);
  assert.equal(
    alloc.reduce((s, x) => s + x, 0),
    10,
  );
  assert.equal(alloc[2], 5, 'capped');
});
