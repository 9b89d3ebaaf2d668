// Class breaks and colour schemes of the atlas and the reports (src/core/stats/classify.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ckmeans,
  jenksBreaks,
  quantileBreaks,
  equalIntervalBreaks,
  parseManualBreaks,
  formatBreaksParam,
  computeBreaks,
  classOf,
  classCounts,
  withCenter,
  buildScheme,
  sequentialColors,
  divergingColors,
  contrastRatio,
  textColorOn,
} from '../../../src/core/stats/classify.ts';

/** Brute force: the minimal within-group sum of squares over all splits into k groups. */
function bestSse(x: number[], k: number): number {
  const sse = (g: number[]) => {
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    return g.reduce((a, b) => a + (b - m) ** 2, 0);
  };
  const n = x.length;
  let best = Infinity;
  const rec = (start: number, left: number, acc: number) => {
    if (left === 1) {
      best = Math.min(best, acc + sse(x.slice(start)));
      return;
    }
    for (let end = start + 1; end <= n - left + 1; end++) rec(end, left - 1, acc + sse(x.slice(start, end)));
  };
  rec(0, k, 0);
  return best;
}

function sseOf(groups: number[][]): number {
  return groups.reduce((acc, g) => {
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    return acc + g.reduce((a, b) => a + (b - m) ** 2, 0);
  }, 0);
}

describe('natural breaks (ckmeans)', () => {
  it('finds the obvious clusters', () => {
    const g = ckmeans([1, 2, 3, 10, 11, 12, 30, 31], 3);
    assert.deepEqual(g, [
      [1, 2, 3],
      [10, 11, 12],
      [30, 31],
    ]);
    assert.deepEqual(jenksBreaks([12, 1, 31, 2, 10, 3, 11, 30], 3), [10, 30]);
  });

  it('is optimal (same SSE as brute force) on random data', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 100;
    for (let trial = 0; trial < 25; trial++) {
      const x = Array.from({ length: 9 + (trial % 5) }, rnd).sort((a, b) => a - b);
      for (const k of [2, 3, 4]) {
        const got = sseOf(ckmeans(x, k));
        assert.ok(Math.abs(got - bestSse(x, k)) < 1e-6, `trial ${trial}, k=${k}: ${got} vs ${bestSse(x, k)}`);
      }
    }
  });

  it('copes with fewer distinct values than classes, nulls and empty input', () => {
    assert.deepEqual(ckmeans([5, 5, 5, 7], 5), [[5, 5, 5], [7]]);
    assert.deepEqual(jenksBreaks([null, 4, undefined, 4, Number.NaN], 3), []);
    assert.deepEqual(ckmeans([], 3), []);
    assert.deepEqual(jenksBreaks([], 3), []);
  });

  it('handles 500 values quickly', () => {
    const x = Array.from({ length: 500 }, (_, i) => Math.sin(i) * 50 + i / 10);
    const t0 = performance.now();
    const b = jenksBreaks(x, 7);
    assert.equal(b.length, 6);
    assert.ok(performance.now() - t0 < 500);
    for (let i = 1; i < b.length; i++) assert.ok(b[i] > b[i - 1]);
  });
});

describe('quantiles and equal intervals', () => {
  it('quantile breaks split the areas evenly', () => {
    const x = Array.from({ length: 100 }, (_, i) => i + 1);
    const b = quantileBreaks(x, 4);
    assert.deepEqual(b, [25.75, 50.5, 75.25]);
    assert.deepEqual(classCounts(x, b), [25, 25, 25, 25]);
  });
  it('drops duplicate quantiles of skewed data', () => {
    const b = quantileBreaks([0, 0, 0, 0, 0, 0, 0, 1, 2, 3], 5);
    for (let i = 1; i < b.length; i++) assert.ok(b[i] > b[i - 1]);
    assert.ok(!b.includes(0), 'a break at the minimum would leave the first class empty');
  });
  it('equal intervals', () => {
    assert.deepEqual(equalIntervalBreaks([0, 3, 10], 5), [2, 4, 6, 8]);
    assert.deepEqual(equalIntervalBreaks([4, 4], 3), []);
    assert.deepEqual(equalIntervalBreaks([], 3), []);
  });
});

describe('manual breaks', () => {
  it('reads German and English numbers, sorted and distinct', () => {
    assert.deepEqual(parseManualBreaks('10; 5 7,5 ;7.5'), { breaks: [5, 7.5, 10] });
    assert.deepEqual(parseManualBreaks('1.234,5; 2.000'), { breaks: [1234.5, 2000] });
    assert.deepEqual(parseManualBreaks('-2,5;0'), { breaks: [-2.5, 0] });
  });
  it('rejects what is not a number', () => {
    assert.deepEqual(parseManualBreaks('   '), { error: 'empty' });
    assert.deepEqual(parseManualBreaks('5; zehn'), { error: 'number' });
    assert.deepEqual(parseManualBreaks('5;1e'), { error: 'number' });
  });
  it('round-trips through the URL parameter', () => {
    const p = formatBreaksParam([5, 7.5, 10]);
    assert.equal(p, '5;7.5;10');
    assert.deepEqual(parseManualBreaks(p), { breaks: [5, 7.5, 10] });
    assert.deepEqual(computeBreaks('manual', [1, 2, 3], 5, [2]), [2]);
  });
});

describe('classes', () => {
  it('classOf: a value equal to a break belongs to the upper class', () => {
    const b = [10, 20, 30];
    assert.equal(classOf(5, b), 0);
    assert.equal(classOf(10, b), 1);
    assert.equal(classOf(19.99, b), 1);
    assert.equal(classOf(30, b), 3);
    assert.equal(classOf(1e9, b), 3);
    assert.equal(classOf(7, []), 0);
  });
  it('classCounts ignores missing values (never counted as zero)', () => {
    assert.deepEqual(classCounts([1, null, 15, undefined, 25, Number.NaN], [10, 20]), [1, 1, 1]);
  });
});

describe('colour schemes', () => {
  it('sequential colours get darker', () => {
    const c = sequentialColors(5);
    assert.equal(c.length, 5);
    const lum = c.map((x) => contrastRatio(x, '#000000'));
    for (let i = 1; i < lum.length; i++) assert.ok(lum[i] < lum[i - 1]);
  });
  it('diverging around the city value: the city is a break, worse is red', () => {
    const values = [1, 2, 3, 4, 6, 7, 8, 9];
    const s = buildScheme(values, { method: 'equal', k: 4, polarity: 'higher_is_worse', center: 5 });
    assert.ok(s.diverging);
    assert.ok(s.breaks.includes(5));
    assert.equal(s.colors.length, s.breaks.length + 1);
    const above = s.colors[classOf(9, s.breaks)];
    const below = s.colors[classOf(1, s.breaks)];
    assert.ok(parseInt(above.slice(1, 3), 16) > parseInt(above.slice(5, 7), 16), `above the city is reddish: ${above}`);
    assert.ok(parseInt(below.slice(5, 7), 16) > parseInt(below.slice(1, 3), 16), `below the city is bluish: ${below}`);
    const better = buildScheme(values, { method: 'equal', k: 4, polarity: 'higher_is_better', center: 5 });
    assert.equal(better.colors[classOf(1, better.breaks)], above, 'reversed for higher is better');
  });
  it('neutral indicators and missing city values get a sequential scheme', () => {
    assert.equal(buildScheme([1, 2, 3], { method: 'jenks', k: 3, polarity: 'neutral', center: 2 }).diverging, false);
    assert.equal(
      buildScheme([1, 2, 3], { method: 'jenks', k: 3, polarity: 'higher_is_worse', center: null }).diverging,
      false,
    );
  });
  it('withCenter when the city lies outside the values', () => {
    assert.deepEqual(withCenter([3], 0, 1, 5), { breaks: [3], centerClass: 0 });
    assert.deepEqual(withCenter([3], 9, 1, 5), { breaks: [3], centerClass: 2 });
    assert.deepEqual(withCenter([2, 4], 3, 1, 5), { breaks: [2, 3, 4], centerClass: 2 });
  });
  it('diverging colours', () => {
    assert.equal(divergingColors(2, 3, 'higher_is_worse').length, 5);
    assert.deepEqual(divergingColors(0, 0, 'higher_is_worse'), []);
  });
  it('contrast helpers (WCAG formula)', () => {
    assert.equal(Math.round(contrastRatio('#ffffff', '#000000')), 21);
    assert.equal(textColorOn('#08306b'), '#ffffff');
    assert.equal(textColorOn('#eff3ff'), '#000000');
  });
});

describe('no slivers or empty classes around the city value (issue 15, item 9)', () => {
  it('keeps k classes and drops the computed break nearest to the city value', async () => {
    const { dropSlivers, buildScheme, classCounts } = await import('../../../src/core/stats/classify.ts');
    assert.deepEqual(dropSlivers([2, 4, 4.2, 6], 4.2, [1, 2, 3, 4, 5, 6, 7], 4), [2, 4.2, 6]);
    // an empty class next to the city value goes
    assert.deepEqual(dropSlivers([2, 3, 3.5], 3, [1, 1.5, 2.5, 3.8, 4], 9), [2, 3]);
    const values = [8.5, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 19.5, 20, 21, 22, 24, 26, 30, 35, 40.2, 40.5, 41];
    for (const method of ['jenks', 'quantile', 'equal'] as const) {
      const s = buildScheme(values, { method, k: 5, polarity: 'higher_is_worse', center: 20.3 });
      assert.ok(s.breaks.includes(20.3), `${method}: the city value is a break`);
      assert.ok(s.breaks.length + 1 <= 5, `${method}: ${s.breaks.length + 1} classes`);
      assert.ok(
        classCounts(values, s.breaks).every((n) => n > 0),
        `${method}: no empty class ${s.breaks}`,
      );
      assert.equal(s.colors.length, s.breaks.length + 1);
    }
  });
});
