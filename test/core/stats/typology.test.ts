import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  adjustedRandIndex,
  crossTable,
  describeProfile,
  describeTypes,
  mergeTypologies,
  typeProfiles,
} from '../../../src/core/stats/typology.ts';
import { SeededRandom } from '../../../src/core/stats/random.ts';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('adjusted Rand index: identical partitions, relabelled, and hand-computed examples', () => {
  assert.equal(adjustedRandIndex([1, 1, 2, 2, 3], [1, 1, 2, 2, 3]), 1);
  assert.equal(adjustedRandIndex([1, 1, 2, 2, 3], ['b', 'b', 'a', 'a', 'c']), 1);
  // [0,0,1,1] vs [0,0,1,2]: Σ C(nij,2) = 1, Σ C(ai,2) = 2, Σ C(bj,2) = 1, C(4,2) = 6:
  //   E = 2·1/6 = 1/3, max = 3/2 → (1 − 1/3)/(3/2 − 1/3) = 4/7.
  close(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]), 4 / 7);
  // [0,0,0,1,1,1] vs [0,0,1,1,2,2]: index 2, rows 6, columns 3, C(6,2) = 15:
  //   E = 18/15 = 1.2, max = 4.5 → 0.8/3.3 = 8/33 (also the example in scikit-learn's user guide, 0.24).
  close(adjustedRandIndex([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 8 / 33);
  // One cluster vs all singletons: no agreement beyond chance.
  assert.equal(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3]), 0);
  // Both trivial in the same way: identical.
  assert.equal(adjustedRandIndex([5, 5, 5], [1, 1, 1]), 1);
  // Symmetric; can be negative.
  close(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1]), 4 / 7);
  assert.ok(adjustedRandIndex([1, 1, 2, 2], [1, 2, 1, 2]) < 0);
  // Areas without a type in either typology are left out.
  assert.equal(adjustedRandIndex([1, 1, 2, 2, null], [1, 1, 2, 2, 7]), 1);
});

/** ARI from the four pair counts (Hubert & Arabie's pair-counting form), computed over all pairs. */
function pairCountAri(a: number[], b: number[]): number {
  let n11 = 0;
  let n10 = 0;
  let n01 = 0;
  let n00 = 0;
  for (let i = 0; i < a.length; i++)
    for (let j = i + 1; j < a.length; j++) {
      const sa = a[i] === a[j];
      const sb = b[i] === b[j];
      if (sa && sb) n11++;
      else if (sa) n10++;
      else if (sb) n01++;
      else n00++;
    }
  return (2 * (n00 * n11 - n01 * n10)) / ((n00 + n01) * (n01 + n11) + (n00 + n10) * (n10 + n11));
}

test('adjusted Rand index equals the pair-counting formula on random partitions', () => {
  const rng = new SeededRandom(5);
  for (let rep = 0; rep < 20; rep++) {
    const n = 30 + rep;
    const a = Array.from({ length: n }, () => rng.int(4));
    const b = a.map((x) => (rng.next() < 0.6 ? x : rng.int(5)));
    close(adjustedRandIndex(a, b), pairCountAri(a, b), 1e-12);
  }
});

test('cross table with totals; untyped areas are counted as skipped', () => {
  const t = crossTable([1, 1, 2, 2, 2, null], ['x', 'y', 'y', 'y', 'x', 'x']);
  assert.deepEqual(t.rows, [1, 2]);
  assert.deepEqual(t.cols, ['x', 'y']);
  assert.deepEqual(t.counts, [
    [1, 1],
    [1, 2],
  ]);
  assert.deepEqual([t.rowTotals, t.colTotals, t.n, t.skipped], [[2, 3], [2, 3], 5, 1]);
  assert.throws(() => crossTable([1], [1, 2]), /cover 1 and 2 areas/);
});

test('type profiles and generated German descriptions', () => {
  const names = ['Kinderarmut', 'Arbeitslosigkeit', 'Anteil 65+', 'Wohndauer'];
  const x = [
    [1.5, 0.8, -0.9, 0.1],
    [1.1, 0.6, -0.7, -0.1],
    [-0.5, -0.3, 0.6, 0.2],
    [-0.7, -0.3, 0.4, 0.0],
    [0.1, 0.2, 0.0, -0.1],
  ];
  const types = [1, 1, 2, 2, 3];
  const p = typeProfiles(x, types);
  assert.deepEqual(
    p.map((t) => [t.type, t.n]),
    [
      [1, 2],
      [2, 2],
      [3, 1],
    ],
  );
  close(p[0].means[0], 1.3);
  close(p[0].means[2], -0.8);
  assert.equal(
    describeProfile(p[0].means, names),
    'überdurchschnittlich: Kinderarmut, Arbeitslosigkeit; unterdurchschnittlich: Anteil 65+',
  );
  assert.equal(
    describeProfile(p[1].means, names),
    'überdurchschnittlich: Anteil 65+; unterdurchschnittlich: Kinderarmut',
  ); // means −0.6, −0.3, 0.5, 0.1
  assert.equal(describeProfile(p[2].means, names), 'durchschnittlich in allen Merkmalen');
  assert.equal(
    describeProfile(p[0].means, names, { maxItems: 1, withValues: true }),
    'überdurchschnittlich: Kinderarmut (+1,3); unterdurchschnittlich: Anteil 65+ (−0,8)',
  );
  assert.equal(describeProfile(p[0].means, names, { threshold: 1 }), 'überdurchschnittlich: Kinderarmut');
  const d = describeTypes(x, types, names);
  assert.equal(d[0].description, describeProfile(p[0].means, names));
  assert.throws(() => describeProfile([1], ['a', 'b']), /2 indicator names for 1 profile values/);
});

test('merging two typologies: cross-classify, merge sparse combinations into the nearest type by profile', () => {
  // Combinations 1|x (3 areas), 1|y (1), 2|y (5), 2|x (1); minSize 2 → 1|y and 2|x are sparse.
  // Profiles on one indicator: 1|x ≈ 0, 2|y ≈ 5; 1|y at 0.2 joins 1|x, 2|x at 4.5 joins 2|y.
  const a = [1, 1, 1, 1, 2, 2, 2, 2, 2, 2];
  const b = ['x', 'x', 'x', 'y', 'y', 'y', 'y', 'y', 'y', 'x'];
  const data = [[0], [0.1], [-0.1], [0.2], [5], [5.1], [4.9], [5], [5], [4.5]];
  const m = mergeTypologies(a, b, { data, minSize: 2 });
  assert.deepEqual(m.type, [1, 1, 1, 1, 2, 2, 2, 2, 2, 2]);
  assert.deepEqual(m.types, [
    { type: 1, label: '1 × x', n: 4, combinations: ['1|x', '1|y'] },
    { type: 2, label: '2 × y', n: 6, combinations: ['2|x', '2|y'] },
  ]);
  assert.deepEqual(
    m.combinations.map((c) => [c.key, c.n, c.sparse, c.type]),
    [
      ['1|x', 3, false, 1],
      ['1|y', 1, true, 1],
      ['2|x', 1, true, 2],
      ['2|y', 5, false, 2],
    ],
  );
  // Without sparse combinations nothing needs the data; every combination is a type.
  const full = mergeTypologies(a, b, { minSize: 1 });
  assert.equal(full.types.length, 4);
  assert.throws(() => mergeTypologies(a, b, { minSize: 2 }), /`data`/);
});

test('merging with an explicit mapping', () => {
  const a = [1, 1, 2, 2, null];
  const b = ['x', 'y', 'x', 'y', 'x'];
  const m = mergeTypologies(a, b, { mapping: { '1|x': 'A', '1|y': 'A', '2|x': 'B', '2|y': 'A' } });
  assert.deepEqual(m.type, [1, 1, 2, 1, null]);
  assert.deepEqual(
    m.types.map((t) => [t.label, t.n]),
    [
      ['A', 3],
      ['B', 1],
    ],
  );
  assert.throws(
    () => mergeTypologies(a, b, { mapping: { '1|x': 'A' } }),
    /no target for the combination\(s\) 1\|y, 2\|x, 2\|y/,
  );
});
