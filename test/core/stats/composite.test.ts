import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  changes,
  changesAll,
  classify,
  classOf,
  combinedStatusDynamics,
  computeIndex,
  type IndexData,
} from '../../../src/core/stats/composite.ts';
import type { IndexDefinitionInput } from '../../../src/core/stats/index-definition.ts';
import { DYNAMICS_TEMPLATE } from '../../../src/core/stats/templates.ts';
import { InputRejected } from '../../../src/core/problems.ts';
import { ISSUE_EXAMPLE } from './fixtures.ts';

const close = (a: number | null, b: number, tol = 1e-12, what = '') => {
  assert.ok(a !== null && Math.abs(a - b) <= tol, `${what} ${a} vs ${b}`);
};

// Eight valid planning areas a1…a8 chosen so that every step can be done by hand:
//   arbeitslose_anteil   2 4 4 4 5 5 7 9          mean 5,  population sd 2 → z −1.5 −.5 −.5 −.5 0 0 1 2
//   transferbezug_anteil 17 17 17 17 23 23 23 23  mean 20, sd 3           → z −1 −1 −1 −1 1 1 1 1
//   kinderarmut_anteil   10 8 10 10 10 10 12 10   mean 10, sd 1           → z 0 −2 0 0 0 0 2 0
//   sum                  −2.5 −3.5 −1.5 −1.5 1 1 4 3: mean 0, Σs² = 50, population sd √(50/8) = 2.5
//   restandardised       −1 −1.4 −0.6 −0.6 0.4 0.4 1.6 1.2
//   classes (<−1 hoch, −1…1 mittel, >1…1.5 niedrig, >1.5 sehr niedrig): a1 = −1 exactly → mittel.
// Plus three areas that must not enter any mean or sd, each with extreme values:
//   "klein" (250 inhabitants < 300), "10100205" (named outlier), "luecke" (missing kinderarmut_anteil).
const AREAS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'klein', '10100205', 'luecke'];
const DATA: IndexData = {
  areas: AREAS,
  values: {
    arbeitslose_anteil: [2, 4, 4, 4, 5, 5, 7, 9, 90, 80, 70],
    transferbezug_anteil: [17, 17, 17, 17, 23, 23, 23, 23, 60, 50, 40],
    kinderarmut_anteil: [10, 8, 10, 10, 10, 10, 12, 10, 99, 98, null],
    einwohner: [300, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 250, 4000, 4000],
  },
};
const EXPECTED_SCORES = [-1, -1.4, -0.6, -0.6, 0.4, 0.4, 1.6, 1.2];

test('the issue’s status index by hand: z-scores, sum, restandardisation, thresholds, exclusions', () => {
  const r = computeIndex(ISSUE_EXAMPLE, DATA);
  assert.equal(r.key, 'status');
  r.rows.slice(0, 8).forEach((row, i) => close(row.score, EXPECTED_SCORES[i], 1e-12, row.area));
  assert.equal(r.rows[0].score, -1); // exactly: every step is exact in binary floating point
  assert.deepEqual(
    r.rows.map((x) => x.class),
    [2, 1, 2, 2, 2, 2, 4, 3, null, null, null],
  );
  assert.deepEqual(
    r.rows.map((x) => x.label),
    ['mittel', 'hoch', 'mittel', 'mittel', 'mittel', 'mittel', 'sehr niedrig', 'niedrig', null, null, null],
  );
  assert.deepEqual(
    r.rows.map((x) => x.rank),
    [7, 8, 5, 5, 3, 3, 1, 2, null, null, null],
  );
  assert.deepEqual(
    r.rows.map((x) => x.excluded),
    [
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      'base einwohner 250 < 300',
      'Ausreißer',
      'missing value for kinderarmut_anteil',
    ],
  );
  for (const row of r.rows.slice(8)) assert.deepEqual([row.score, row.rawScore, row.contributions], [null, null, null]);

  // Contributions explain the score: weight × direction × z, summing to the raw score.
  assert.deepEqual(r.rows[6].contributions, { arbeitslose_anteil: 1, transferbezug_anteil: 1, kinderarmut_anteil: 2 });
  assert.equal(r.rows[6].rawScore, 4);
  for (const row of r.rows.slice(0, 8)) {
    const sum = Object.values(row.contributions!).reduce((a, b) => a + b, 0);
    close(sum, row.rawScore!, 1e-12);
  }

  // The statistics are those of the eight valid areas only.
  assert.equal(r.stats.nValid, 8);
  assert.equal(r.stats.nExcluded, 3);
  assert.deepEqual(
    r.stats.components.map((c) => [c.indicator, c.mean, c.sd, c.min, c.max, c.nObserved]),
    [
      ['arbeitslose_anteil', 5, 2, 2, 9, 8],
      ['transferbezug_anteil', 20, 3, 17, 23, 8],
      ['kinderarmut_anteil', 10, 1, 8, 12, 8],
    ],
  );
  assert.deepEqual(r.stats.combined, { mean: 0, sd: 2.5, sdKind: 'population' });
  assert.equal(r.stats.restandardized, 'population');
  assert.deepEqual(r.stats.breaks, [-1, 1, 1.5]);
  assert.deepEqual(r.stats.classCounts, [1, 5, 1, 1]);
  assert.deepEqual(r.warnings, []);
});

test('excluded areas do not enter means and sds: the same scores as without them', () => {
  const only = computeIndex(
    { ...ISSUE_EXAMPLE, exclude: { areas: [] } },
    {
      areas: AREAS.slice(0, 8),
      values: Object.fromEntries(Object.entries(DATA.values).map(([k, v]) => [k, Array.from(v).slice(0, 8)])),
    },
  );
  const full = computeIndex(ISSUE_EXAMPLE, DATA);
  assert.deepEqual(
    only.rows.map((x) => x.score),
    full.rows.slice(0, 8).map((x) => x.score),
  );
});

test('sample standard deviation: every z-score shrinks by √(7/8), the restandardised score too', () => {
  const r = computeIndex({ ...ISSUE_EXAMPLE, transform: { method: 'zscore', sd: 'sample' } }, DATA);
  r.rows.slice(0, 8).forEach((row, i) => close(row.score, EXPECTED_SCORES[i] * Math.sqrt(7 / 8), 1e-12, row.area));
  close(r.stats.components[0].sd, Math.sqrt(32 / 7));
  assert.equal(r.stats.restandardized, 'sample');
  close(r.stats.combined.sd, 2.5, 1e-12);
});

test('missing = "mean": the mean of the valid areas is imputed (z = 0) and noted; the area is scored', () => {
  const values = {
    ...DATA.values,
    arbeitslose_anteil: [2, 4, 4, 4, 5, 5, 7, 9, 90, 80, 5],
    transferbezug_anteil: [17, 17, 17, 17, 23, 23, 23, 23, 60, 50, 20],
  };
  const r = computeIndex({ ...ISSUE_EXAMPLE, missing: 'mean' }, { areas: AREAS, values });
  const luecke = r.rows[10];
  assert.equal(luecke.excluded, null);
  assert.deepEqual(luecke.imputed, ['kinderarmut_anteil']);
  assert.deepEqual(luecke.contributions, { arbeitslose_anteil: 0, transferbezug_anteil: 0, kinderarmut_anteil: 0 });
  // Nine valid areas now: arbeitslose mean (40 + 5)/9 = 5, population sd √(32/9); transferbezug mean 20,
  // sd √(72/9); kinderarmut keeps its 8 observed values (mean 10, sd 1) and 1 imputed.
  const [a, b, c] = r.stats.components;
  close(a.sd, Math.sqrt(32 / 9));
  close(b.sd, Math.sqrt(8));
  assert.deepEqual([c.nObserved, c.nImputed, c.mean, c.sd], [8, 1, 10, 1]);
  const A = [2, 4, 4, 4, 5, 5, 7, 9, 5].map((x) => (x - 5) / Math.sqrt(32 / 9));
  const B = [17, 17, 17, 17, 23, 23, 23, 23, 20].map((x) => (x - 20) / Math.sqrt(8));
  const C = [0, -2, 0, 0, 0, 0, 2, 0, 0];
  const raw = A.map((x, i) => x + B[i] + C[i]);
  const sd = Math.sqrt(raw.reduce((s, x) => s + x * x, 0) / 9); // mean is 0
  const got = r.rows.filter((x) => x.score !== null).map((x) => x.score!);
  raw.forEach((x, i) => close(got[i], x / sd, 1e-12));
});

test('min–max and percentile transforms, weighted mean, direction −1', () => {
  const base: IndexDefinitionInput = { ...ISSUE_EXAMPLE, restandardize: false, classes: undefined };
  const mm = computeIndex({ ...base, transform: { method: 'minmax' } }, DATA);
  // a7: (7 − 2)/7 + (23 − 17)/6 + (12 − 8)/4
  close(mm.rows[6].score, 5 / 7 + 1 + 1);
  assert.equal(mm.rows[6].class, null);
  const weighted = computeIndex(
    {
      ...base,
      transform: { method: 'minmax' },
      combine: 'mean',
      components: [
        { indicator: 'arbeitslose_anteil', weight: 2, direction: 1 },
        { indicator: 'transferbezug_anteil', weight: 1, direction: 1 },
        { indicator: 'kinderarmut_anteil', weight: 1, direction: -1 },
      ],
    },
    DATA,
  );
  close(weighted.rows[6].score, (2 * (5 / 7) + 1 - 1) / 4);
  close(weighted.rows[6].contributions!.kinderarmut_anteil, -1 / 4);
  close(weighted.stats.components[0].coefficient, 0.5);
  // Percentile rank (average rank − 1)/(n − 1). With arbeitslose_anteil alone "luecke" (70) is valid too:
  // 2 4 4 4 5 5 7 9 70 → ranks 1, 3, 3, 3, 5.5, 5.5, 7, 8, 9 over n = 9.
  const pr = computeIndex(
    {
      ...base,
      transform: { method: 'percentile' },
      components: [{ indicator: 'arbeitslose_anteil', weight: 1, direction: 1 }],
    },
    DATA,
  );
  assert.deepEqual(
    pr.rows.map((x) => x.score),
    [0, 2 / 8, 2 / 8, 2 / 8, 4.5 / 8, 4.5 / 8, 6 / 8, 7 / 8, null, null, 1],
  );
});

test('a standard deviation of 0 is a clear error naming the indicator', () => {
  const values = { ...DATA.values, kinderarmut_anteil: [3, 3, 3, 3, 3, 3, 3, 3, 99, 98, null] };
  assert.throws(
    () => computeIndex(ISSUE_EXAMPLE, { areas: AREAS, values }),
    (e: unknown) =>
      e instanceof InputRejected &&
      /component "kinderarmut_anteil": the standard deviation across the 8 valid areas is 0 \(every value is 3\)/.test(
        e.message,
      ),
  );
  assert.throws(
    () => computeIndex({ ...ISSUE_EXAMPLE, transform: { method: 'minmax' } }, { areas: AREAS, values }),
    /min–max scaling is undefined/,
  );
  // Two indicators that cancel exactly leave nothing to restandardise.
  const twin = { areas: ['a', 'b', 'c'], values: { x: [1, 2, 3], y: [1, 2, 3] } };
  const def: IndexDefinitionInput = {
    key: 'k',
    name: 'K',
    layer: 'l',
    period: 'p',
    components: [
      { indicator: 'x', direction: 1 },
      { indicator: 'y', direction: -1 },
    ],
    restandardize: true,
  };
  assert.throws(() => computeIndex(def, twin), /combined score has standard deviation 0/);
});

test('data problems: unknown indicator, wrong length, duplicate areas, missing base, unknown excluded area', () => {
  assert.throws(
    () => computeIndex(ISSUE_EXAMPLE, { areas: AREAS, values: { arbeitslose_anteil: DATA.values.arbeitslose_anteil } }),
    /no values for component "transferbezug_anteil"/,
  );
  assert.throws(
    () => computeIndex(ISSUE_EXAMPLE, { areas: AREAS.slice(1), values: DATA.values }),
    /has 11 entries for 10 areas/,
  );
  assert.throws(
    () => computeIndex(ISSUE_EXAMPLE, { areas: [...AREAS.slice(0, 10), 'a1'], values: DATA.values }),
    /area "a1" occurs twice/,
  );
  const { einwohner: _drop, ...noBase } = DATA.values;
  assert.throws(
    () => computeIndex(ISSUE_EXAMPLE, { areas: AREAS, values: noBase }),
    /exclude.minBase needs the base "einwohner"/,
  );
  const r = computeIndex(ISSUE_EXAMPLE, {
    ...DATA,
    base: [null, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 250, 4000, 4000],
  });
  assert.equal(r.rows[0].excluded, 'missing base einwohner');
  const w = computeIndex({ ...ISSUE_EXAMPLE, exclude: { areas: [{ code: 'gibtsnicht', reason: 'Test' }] } }, DATA);
  assert.deepEqual(w.warnings, ['excluded area "gibtsnicht" (Test) is not in the data']);
  assert.throws(
    () =>
      computeIndex(ISSUE_EXAMPLE, {
        areas: AREAS,
        values: { ...DATA.values, arbeitslose_anteil: [1, 2, 3, 4, 5, 6, 7, Infinity, 1, 1, 1] },
      }),
    /not a finite number/,
  );
});

test('classify: which class a value on a break falls into (centre, right, left) and the tolerance', () => {
  const mss = {
    method: 'thresholds' as const,
    breaks: [-1, 1, 1.5],
    labels: ['hoch', 'mittel', 'niedrig', 'sehr niedrig'],
  };
  const xs = [-1.0000001, -1, 0, 1, 1.0000001, 1.5, 1.6, null];
  // "below −1 hoch, −1 to 1 mittel, above 1 up to 1.5 niedrig, above 1.5 sehr niedrig"
  assert.deepEqual(classify(xs, mss).label, [
    'hoch',
    'mittel',
    'mittel',
    'mittel',
    'niedrig',
    'niedrig',
    'sehr niedrig',
    null,
  ]);
  assert.deepEqual(classify(xs, { ...mss, closed: 'right' }).class, [1, 1, 2, 2, 3, 3, 4, null]);
  assert.deepEqual(classify(xs, { ...mss, closed: 'left' }).class, [1, 2, 2, 3, 3, 4, 4, null]);
  // Floating-point noise on a break is absorbed by the default tolerance (1e-9) …
  assert.equal(classOf(1 + 1e-12, [-1, 1, 1.5], 'centre', 0, 1e-9), 2);
  // … unless the tolerance is set to 0.
  assert.deepEqual(classify([1 + 1e-12], { ...mss, tolerance: 0 }).class, [3]);
  // A break exactly at the centre goes to the class below it.
  assert.deepEqual(classify([0], { method: 'thresholds', breaks: [0], labels: ['a', 'b'] }).class, [1]);
  assert.deepEqual(classify([0], { method: 'thresholds', breaks: [0], labels: ['a', 'b'], centre: -5 }).class, [1]);
  assert.deepEqual(classify([0], { method: 'thresholds', breaks: [0], labels: ['a', 'b'], centre: 5 }).class, [2]);
});

test('classify: quantiles are R’s type 7 (1…10 → quartile breaks 3.25, 5.5, 7.75), manual breaks', () => {
  const q = classify([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { method: 'quantiles', n: 4 });
  assert.deepEqual(q.breaks, [3.25, 5.5, 7.75]);
  assert.deepEqual(q.class, [1, 1, 1, 2, 2, 3, 3, 4, 4, 4]);
  assert.deepEqual(q.label.slice(0, 1), ['Q1']);
  assert.deepEqual(q.counts, [3, 2, 2, 3]);
  const m = classify([5, 10, 15], { method: 'manual', breaks: [10], labels: ['bis 10', 'über 10'] });
  assert.deepEqual(m.label, ['bis 10', 'bis 10', 'über 10']);
  assert.throws(
    () => classify([1], { method: 'manual', breaks: [10], labels: ['a'] }),
    /classes.labels|labels: needs 2 labels/,
  );
});

test('dynamics: two-year changes in percentage points through the same machinery; the status/dynamics matrix', () => {
  assert.deepEqual(changes([10, null, 5, 7.5], [8, 3, null, 7.5]), [2, null, null, 0]);
  const t = { x: [10, 12], y: [1, 2] };
  assert.deepEqual(changesAll(t, { x: [9, 12], y: [1, 1], z: [0, 0] }), { x: [1, 0], y: [0, 1] });
  assert.throws(() => changesAll(t, { x: [1, 1] }), /"y" has no values/);

  // Two years earlier every area had the mean values 5, 20 and 10 %, so the changes are the status
  // data above minus a constant: the same z-scores and scores, now classified with −1 / +1.
  const earlier: Record<string, number[]> = {
    arbeitslose_anteil: Array(8).fill(5),
    transferbezug_anteil: Array(8).fill(20),
    kinderarmut_anteil: Array(8).fill(10),
  };
  const now: Record<string, number[]> = Object.fromEntries(
    Object.keys(earlier).map((k) => [k, Array.from(DATA.values[k]).slice(0, 8) as number[]]),
  );
  const delta = changesAll(now, earlier);
  const dyn = computeIndex(DYNAMICS_TEMPLATE, {
    areas: AREAS.slice(0, 8),
    values: { ...delta, einwohner: Array(8).fill(1000) },
  });
  assert.deepEqual(
    dyn.rows.map((r) => r.label),
    ['stabil', 'positiv', 'stabil', 'stabil', 'stabil', 'stabil', 'negativ', 'negativ'],
  );
  const status = computeIndex(ISSUE_EXAMPLE, DATA);
  assert.equal(combinedStatusDynamics(status.rows[1].class, dyn.rows[1].class), 'hoch/positiv');
  assert.equal(combinedStatusDynamics(status.rows[6].class, dyn.rows[6].class), 'sehr niedrig/negativ');
  assert.equal(combinedStatusDynamics(status.rows[0].class, dyn.rows[0].class), 'mittel/stabil');
  assert.equal(combinedStatusDynamics(status.rows[8].class, 2), null);
  assert.throws(() => combinedStatusDynamics(5, 1), /status class must be 1…4/);
  assert.throws(() => combinedStatusDynamics(1, 4), /dynamics class must be 1…3/);
});

test('deterministic and fast: 15,000 areas × 30 indicators', () => {
  const n = 15000;
  const m = 30;
  let s = 1;
  const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296;
  const values: Record<string, number[]> = {};
  for (let j = 0; j < m; j++) values[`i${j}`] = Array.from({ length: n }, () => rnd() * 40);
  const def: IndexDefinitionInput = {
    key: 'big',
    name: 'Big',
    layer: 'l',
    period: 'p',
    components: Object.keys(values).map((k) => ({ indicator: k, direction: 1 })),
    restandardize: true,
    classes: { method: 'quantiles', n: 5 },
  };
  const data = { areas: Array.from({ length: n }, (_, i) => `b${i}`), values };
  const a = computeIndex(def, data);
  const t0 = performance.now();
  const b = computeIndex(def, data);
  const ms = performance.now() - t0;
  assert.deepEqual(a, b);
  assert.deepEqual(b.stats.classCounts, [3000, 3000, 3000, 3000, 3000]);
  assert.ok(ms < 1500, `${ms} ms`); // the benchmark measures the ≤ 200 ms target; this only guards against regressions
});
