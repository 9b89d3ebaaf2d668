import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clusterDiagnostics,
  copheneticCorrelation,
  cutree,
  kmeans,
  silhouette,
  standardize,
  wardD2,
  withinSS,
} from '../../../src/core/stats/cluster.ts';
import { adjustedRandIndex } from '../../../src/core/stats/typology.ts';
import { SeededRandom } from '../../../src/core/stats/random.ts';
import {
  PUBLISHED_SCALED_KMEANS4,
  PUBLISHED_SCALED_WARD,
  USARRESTS,
  USARRESTS_WARD_D2_CUTREE4,
  USARRESTS_WARD_D2_HEIGHT,
  USARRESTS_WARD_D2_MERGE,
} from './usarrests.ts';

const close = (a: number, b: number, tol: number, what = '') =>
  assert.ok(Math.abs(a - b) <= tol, `${what} ${a} vs ${b} (tolerance ${tol})`);

test('ward.D2 on 5 points on a line: heights by hand, R merge matrix, order and cutree', () => {
  // Values 0, 1, 3, 6, 10. ward.D2 criterion d²(A, B) = 2|A||B|/(|A|+|B|)·(c_A − c_B)²:
  //   {0}+{1}: 1 → height 1;  {0,1}+{3}: 4/3·(3 − 0.5)² = 25/3;  {6}+{10}: 16 → height 4;
  //   {0,1,3}+{6,10}: 12/5·(8 − 4/3)² = 320/3.
  const t = wardD2([[0], [1], [3], [6], [10]]);
  assert.deepEqual(t.merge, [
    [-1, -2],
    [-3, 1],
    [-4, -5],
    [2, 3],
  ]);
  const expected = [1, Math.sqrt(25 / 3), 4, Math.sqrt(320 / 3)];
  t.height.forEach((h, i) => close(h, expected[i], 1e-12, `height ${i + 1}`));
  assert.deepEqual(t.order, [3, 1, 2, 4, 5]);
  assert.deepEqual(cutree(t, 2), [1, 1, 1, 2, 2]);
  assert.deepEqual(cutree(t, 3), [1, 1, 1, 2, 3]);
  assert.deepEqual(cutree(t, 1), [1, 1, 1, 1, 1]);
  assert.deepEqual(cutree(t, 5), [1, 2, 3, 4, 5]);
});

test('ward.D2: R numbering when the input order is scrambled (6, 0, 10, 1, 3)', () => {
  const t = wardD2([[6], [0], [10], [1], [3]]);
  assert.deepEqual(t.merge, [
    [-2, -4],
    [-5, 1],
    [-1, -3],
    [2, 3],
  ]);
  // Groups are numbered by first appearance: observation 1 (value 6) is in group 1.
  assert.deepEqual(cutree(t, 2), [1, 2, 1, 2, 2]);
});

test('hclust(dist(USArrests), "ward.D2"): all 49 merge heights to 1e-9, merge matrix, cutree(4)', () => {
  const t = wardD2(USARRESTS);
  assert.equal(t.height.length, 49);
  t.height.forEach((h, i) => close(h, USARRESTS_WARD_D2_HEIGHT[i], 1e-9, `height ${i + 1}`));
  assert.deepEqual(t.merge, USARRESTS_WARD_D2_MERGE);
  assert.deepEqual(cutree(t, 4), USARRESTS_WARD_D2_CUTREE4);
  // order is a permutation that R's hcass2 would give: every merged cluster is contiguous in it.
  assert.deepEqual(
    [...t.order].sort((a, b) => a - b),
    Array.from({ length: 50 }, (_, i) => i + 1),
  );
});

test('hclust(dist(scale(USArrests)), "ward.D2"): published group sizes and cophenetic correlation', () => {
  const z = standardize(USARRESTS, 'sample').data; // R's scale() uses the sample sd
  const t = wardD2(z);
  const groups = cutree(t, 4);
  const sizes = [0, 0, 0, 0];
  for (const g of groups) sizes[g - 1]++;
  assert.deepEqual(sizes, PUBLISHED_SCALED_WARD.sizes);
  close(copheneticCorrelation(z, t), PUBLISHED_SCALED_WARD.copheneticCorrelation, 5e-8, 'cophenetic correlation');
});

/** R's hclust algorithm written plainly: global minimum of the Lance–Williams matrix, the cluster kept in the lower slot. */
function naiveWardD2(x: number[][]): { merge: [number, number][]; height: number[] } {
  const n = x.length;
  const d: number[][] = x.map((a) => x.map((b) => a.reduce((s, v, k) => s + (v - b[k]) ** 2, 0)));
  const size = new Array(n).fill(1);
  const alive = new Array(n).fill(true);
  const label = Array.from({ length: n }, (_, i) => -(i + 1));
  const merge: [number, number][] = [];
  const height: number[] = [];
  for (let s = 1; s < n; s++) {
    let best = Infinity;
    let bi = -1;
    let bj = -1;
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++) if (alive[i] && alive[j] && d[i][j] < best) [best, bi, bj] = [d[i][j], i, j];
    const [a, b] = [label[bi], label[bj]];
    merge.push(
      a < 0 && b < 0 ? [a, b] : a < 0 || b < 0 ? [Math.min(a, b), Math.max(a, b)] : [Math.min(a, b), Math.max(a, b)],
    );
    height.push(Math.sqrt(best));
    for (let k = 0; k < n; k++) {
      if (!alive[k] || k === bi || k === bj) continue;
      const v =
        ((size[bi] + size[k]) * d[k][bi] + (size[bj] + size[k]) * d[k][bj] - size[k] * best) /
        (size[bi] + size[bj] + size[k]);
      d[k][bi] = d[bi][k] = v;
    }
    size[bi] += size[bj];
    alive[bj] = false;
    label[bi] = s;
  }
  return { merge, height };
}

test('the nearest-neighbour chain gives the merges of R’s global-minimum algorithm (random data)', () => {
  const rng = new SeededRandom(7);
  for (let rep = 0; rep < 5; rep++) {
    const x = Array.from({ length: 40 + rep * 7 }, () => [rng.next() * 10, rng.next() * 3, rng.next()]);
    const t = wardD2(x);
    const ref = naiveWardD2(x);
    assert.deepEqual(t.merge, ref.merge);
    t.height.forEach((h, i) => close(h, ref.height[i], 1e-9 * Math.max(1, ref.height[i])));
  }
});

test('ward.D2 with ties and duplicate points: heights as R, a valid tree', () => {
  const x = [[0], [0], [0], [1], [1], [5], [5], [5], [9]];
  const t = wardD2(x);
  const ref = naiveWardD2(x);
  t.height.forEach((h, i) => close(h, ref.height[i], 1e-12));
  // Every merge refers only to earlier merges.
  t.merge.forEach(([a, b], s) => {
    for (const e of [a, b]) if (e > 0) assert.ok(e <= s, `merge ${s + 1} refers to ${e}`);
  });
  assert.deepEqual(cutree(t, 4), [1, 1, 1, 2, 2, 3, 3, 3, 4]);
});

test('standardize: population or sample sd; a constant column is an error naming it', () => {
  const s = standardize([[1], [2], [3], [4]], 'population');
  close(s.sd[0], Math.sqrt(1.25), 1e-15);
  close(s.data[0][0], -1.5 / Math.sqrt(1.25), 1e-15);
  const r = standardize([[1], [2], [3], [4]], 'sample');
  close(r.sd[0], Math.sqrt(5 / 3), 1e-15);
  assert.throws(
    () =>
      standardize(
        [
          [2, 1],
          [3, 1],
        ],
        'population',
        ['a', 'konstant'],
      ),
    /column konstant: the standard deviation is 0/,
  );
});

test('kmeans(scale(USArrests), 4, nstart = 25): the published R partition and within-SS', () => {
  const z = standardize(USARRESTS, 'sample').data;
  const km = kmeans(z, 4, { nstart: 25, seed: 1 });
  assert.equal(adjustedRandIndex(km.cluster, PUBLISHED_SCALED_KMEANS4.cluster), 1);
  const sortedW = [...km.withinss].sort((a, b) => a - b);
  const sortedPublished = [...PUBLISHED_SCALED_KMEANS4.withinss].sort((a, b) => a - b);
  sortedW.forEach((w, i) => close(w, sortedPublished[i], 5e-7, 'withinss'));
  assert.deepEqual(
    [...km.size].sort((a, b) => a - b),
    [...PUBLISHED_SCALED_KMEANS4.sizes].sort((a, b) => a - b),
  );
  close(km.betweenss / km.totss, PUBLISHED_SCALED_KMEANS4.betweenOverTotal, 5e-4, 'between/total');
  close(km.totss, 4 * 49, 1e-9, 'totss of standardised data'); // (n − 1)·p
  assert.equal(km.cluster[0], 1); // numbered by first appearance
  // Deterministic: the same seed gives the same result; Lloyd alone also finds it with 25 starts.
  assert.deepEqual(kmeans(z, 4, { nstart: 25, seed: 1 }), km);
  assert.equal(
    adjustedRandIndex(
      kmeans(z, 4, { nstart: 25, seed: 1, algorithm: 'lloyd' }).cluster,
      PUBLISHED_SCALED_KMEANS4.cluster,
    ),
    1,
  );
});

test('kmeans with given centres follows R’s Lloyd iterations step by step', () => {
  // 1, 2, 3, 10, 11, 12 from centres 1 and 2: (1 | 2 3 10 11 12) → centres 1, 7.6 → (1 2 3 | 10 11 12) →
  // centres 2, 11 → no change: 3 iterations as R counts them.
  const r = kmeans([[1], [2], [3], [10], [11], [12]], 2, { centers: [[1], [2]], algorithm: 'lloyd' });
  assert.deepEqual(r.cluster, [1, 1, 1, 2, 2, 2]);
  assert.deepEqual(r.centers, [[2], [11]]);
  assert.deepEqual(r.withinss, [2, 2]);
  assert.equal(r.iter, 3);
  assert.equal(r.converged, true);
  assert.equal(r.totss, 2 * (5.5 ** 2 + 4.5 ** 2 + 3.5 ** 2)); // around the mean 6.5
});

test('kmeans recovers three well-separated groups; an empty cluster from given centres is an error', () => {
  const rng = new SeededRandom(3);
  const truth: number[] = [];
  const x: number[][] = [];
  for (let i = 0; i < 90; i++) {
    const g = i % 3;
    truth.push(g + 1);
    x.push([g * 10 + rng.next(), (g === 1 ? 10 : 0) + rng.next()]);
  }
  const r = kmeans(x, 3, { seed: 9 });
  assert.equal(adjustedRandIndex(r.cluster, truth), 1);
  assert.deepEqual(r.cluster.slice(0, 3), [1, 2, 3]);
  assert.throws(() => kmeans([[0], [1], [2]], 2, { centers: [[1], [100]] }), /empty cluster/);
});

test('silhouette by hand; singletons get 0', () => {
  const s = silhouette([[0], [1], [10], [11]], [1, 1, 2, 2]);
  close(s.widths[0], 9.5 / 10.5, 1e-15);
  close(s.widths[1], 8.5 / 9.5, 1e-15);
  close(s.average, (9.5 / 10.5 + 8.5 / 9.5) / 2, 1e-15);
  const t = silhouette([[0], [1], [10]], [1, 1, 2]);
  assert.equal(t.widths[2], 0);
});

test('diagnostics: within-SS falls with k, silhouette peaks at the true k, Ward heights are the next merges', () => {
  const rng = new SeededRandom(11);
  const x: number[][] = [];
  for (let i = 0; i < 120; i++) {
    const g = i % 4;
    x.push([(g % 2) * 8 + rng.next() * 2, Math.floor(g / 2) * 8 + rng.next() * 2]);
  }
  const tree = wardD2(x);
  const rows = clusterDiagnostics(x, { method: 'ward', kMin: 2, kMax: 6, tree });
  assert.deepEqual(
    rows.map((r) => r.k),
    [2, 3, 4, 5, 6],
  );
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i].withinss < rows[i - 1].withinss);
  const best = rows.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
  assert.equal(best.k, 4);
  assert.equal(rows[2].height, tree.height[120 - 4]);
  close(rows[2].withinss, withinSS(x, cutree(tree, 4)).total, 1e-9);
  const km = clusterDiagnostics(x, { method: 'kmeans', kMin: 2, kMax: 5, seed: 2 });
  assert.equal(km.reduce((a, b) => (b.silhouette > a.silhouette ? b : a)).k, 4);
  assert.equal(km[0].height, null);
});

test('Ward of 1,000 areas is fast (smoke test of the O(n²) chain)', () => {
  const rng = new SeededRandom(1);
  const n = 1000;
  const p = 6;
  const data = new Float64Array(n * p);
  for (let i = 0; i < data.length; i++) data[i] = rng.next();
  const t0 = performance.now();
  const t = wardD2({ n, p, data });
  const ms = performance.now() - t0;
  assert.equal(t.height.length, n - 1);
  for (let i = 1; i < n - 1; i++) assert.ok(t.height[i] >= t.height[i - 1]);
  assert.ok(ms < 3000, `${ms} ms`);
});
