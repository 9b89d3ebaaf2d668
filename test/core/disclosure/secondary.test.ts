import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit } from '../../../src/core/disclosure/audit.ts';
import { protect } from '../../../src/core/disclosure/secondary.ts';
import type { LinkedTables, Pattern } from '../../../src/core/disclosure/model.ts';
import { SeededRandom } from '../../../src/core/stats/random.ts';
import { grid, areasByMembers, shuffled } from './fixtures.ts';

const rule = { minFrequency: 3 };
const secondaryIds = (p: Pattern) =>
  [...p.entries()]
    .filter(([, s]) => s === 'secondary')
    .map(([id]) => id)
    .sort();

test('2×3 table with margins and one primary: one row partner, one column partner and their corner', async () => {
  const t = grid([
    [1, 8, 9],
    [7, 6, 4],
  ]);
  const r = await protect(t, rule);
  assert.equal(r.primary, 1);
  // Cheapest rectangle (cost = value + 1): r0c2 (9), r1c0 (7), r1c2 (4) = 23 against 24 via column 1.
  assert.deepEqual(secondaryIds(r.pattern), ['r0c2', 'r1c0', 'r1c2']);
  assert.equal(r.secondaryValue, 20);
  const a = await audit(t, r.pattern, rule);
  assert.equal(a.safe, true);
  const p = a.intervals.find((x) => x.id === 'r0c0')!;
  assert.deepEqual([p.min, p.max], [0, 8]);
});

test('one-level hierarchy: a lone suppressed child is recomputable from parent minus siblings, so a sibling goes too', async () => {
  const t: LinkedTables = {
    cells: [
      { id: 'P', value: 37, frequency: 37 },
      { id: 'b1', value: 2, frequency: 2 },
      { id: 'b2', value: 10, frequency: 10 },
      { id: 'b3', value: 5, frequency: 5 },
      { id: 'b4', value: 20, frequency: 20 },
    ],
    equations: [{ total: 'P', parts: ['b1', 'b2', 'b3', 'b4'] }],
  };
  const alone = await audit(t, new Map([['b1', 'primary']]), rule);
  assert.deepEqual([alone.intervals[0].min, alone.intervals[0].max, alone.safe], [2, 2, false]);
  const r = await protect(t, rule);
  assert.deepEqual(secondaryIds(r.pattern), ['b3']);
  const a = await audit(t, r.pattern, rule);
  assert.equal(a.safe, true);
  assert.deepEqual([a.intervals[0].id, a.intervals[0].min, a.intervals[0].max], ['b1', 0, 7]);
});

test('two non-nested layers over the same blocks: protecting within one layer is undone by differencing the other', async () => {
  // Blocks B0..B3; layer A: A0 = B0+B1, A1 = B2+B3; layer C: C0 = B1+B2, C1 = B0+B3; both sum to the city.
  const B = [1, 6, 7, 9];
  const cell = (id: string, v: number) => ({ id, value: v, frequency: v });
  const t: LinkedTables = {
    cells: [
      ...B.map((v, i) => cell(`B${i}`, v)),
      cell('A0', 7),
      cell('A1', 16),
      cell('C0', 13),
      cell('C1', 10),
      cell('city', 23),
    ],
    equations: [
      { total: 'A0', parts: ['B0', 'B1'] },
      { total: 'A1', parts: ['B2', 'B3'] },
      { total: 'C0', parts: ['B1', 'B2'] },
      { total: 'C1', parts: ['B0', 'B3'] },
      { total: 'city', parts: ['A0', 'A1'] },
      { total: 'city', parts: ['C0', 'C1'] },
    ],
  };
  // Safe in layer A alone (B0 and B1 withheld, A0 published) — but C0 − B2 gives B1, then A0 − B1 gives B0.
  const layerA = await audit(
    t,
    new Map([
      ['B0', 'primary'],
      ['B1', 'secondary'],
    ]),
    rule,
  );
  assert.equal(layerA.safe, false);
  assert.deepEqual([layerA.intervals[0].min, layerA.intervals[0].max], [1, 1]);
  const r = await protect(t, rule);
  const a = await audit(t, r.pattern, rule);
  assert.equal(a.safe, true);
  assert.ok(a.intervals.find((x) => x.id === 'B0')!.max - a.intervals.find((x) => x.id === 'B0')!.min >= 3);
});

test('totals over members: areas × members with a hierarchy and an overlay, audited as a whole', async () => {
  const t = areasByMembers(new SeededRandom(7), 8, 3, 2, 3);
  const r = await protect(t, rule);
  assert.ok(r.primary > 0 && r.secondary > 0, `primary ${r.primary}, secondary ${r.secondary}`);
  const a = await audit(t, r.pattern, rule);
  assert.equal(a.safe, true);
  assert.ok(!r.pattern.has('city|T'), 'the city total (keep) stays published');
});

test('random tables: every pattern passes the exact audit, and the pattern does not depend on the order of cells and equations', async () => {
  for (let seed = 1; seed <= 12; seed++) {
    const rand = new SeededRandom(seed);
    const cols = 2 + rand.int(4);
    const t =
      seed % 2
        ? grid(
            Array.from({ length: 2 + rand.int(4) }, () =>
              Array.from({ length: cols }, () => (rand.next() < 0.25 ? 1 + rand.int(2) : rand.int(30))),
            ),
          )
        : areasByMembers(rand, 4 + rand.int(8), 2 + rand.int(2), rand.int(3), 1 + rand.int(3));
    const r = await protect(t, rule);
    const a = await audit(t, r.pattern, rule);
    assert.equal(a.safe, true, `seed ${seed}: ${JSON.stringify(a.intervals.filter((x) => !x.safe))}`);
    const again = await protect(shuffled(t, seed * 31), rule);
    assert.deepEqual(
      [...again.pattern.entries()].sort(),
      [...r.pattern.entries()].sort(),
      `seed ${seed}: order changed the pattern`,
    );
  }
});

test('a deviation proves nothing unless it keeps every equation and non-negativity (verify)', async () => {
  const { indexTables } = await import('../../../src/core/disclosure/tables.ts');
  const { verifyDeviation: verify } = await import('../../../src/core/disclosure/certificates.ts');
  const t = grid([
    [1, 8],
    [7, 6],
  ]);
  const ix = indexTables(t);
  const at = (entries: [string, number][]) => new Map(entries.map(([id, d]) => [ix.index.get(id)!, d]));
  // The rectangle: r0c0 up by 3, its row and column partners down, the corner up; margins unchanged.
  assert.equal(
    verify(
      ix,
      at([
        ['r0c0', 3],
        ['r0c1', -3],
        ['r1c0', -3],
        ['r1c1', 3],
      ]),
    ),
    true,
  );
  assert.equal(
    verify(
      ix,
      at([
        ['r0c0', 3],
        ['r0c1', -3],
        ['r1c0', -3],
      ]),
    ),
    false,
    'an equation broken',
  );
  assert.equal(
    verify(
      ix,
      at([
        ['r0c0', -3],
        ['r0c1', 3],
        ['r1c0', 3],
        ['r1c1', -3],
      ]),
    ),
    false,
    'r0c0 would be negative',
  );
});

test('large tables: the batched deviation programs prove every primary, and the audit agrees', async () => {
  const t = areasByMembers(new SeededRandom(11), 60, 8, 6, 3);
  const r = await protect(t, rule);
  assert.ok(r.primary > 20, `primary ${r.primary}`);
  const a = await audit(t, r.pattern, rule);
  assert.equal(a.safe, true, JSON.stringify(a.intervals.filter((x) => !x.safe).slice(0, 3)));
  const again = await protect(shuffled(t, 5), rule);
  assert.deepEqual([...again.pattern.entries()].sort(), [...r.pattern.entries()].sort());
});
