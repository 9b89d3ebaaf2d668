// Key facts of an area profile in plain German (web/src/lib/facts.ts; issue #15, item 2).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keyFact, isKeyFact, shortName, periodShort, spineOf, spinePos } from '../../web/src/lib/facts.ts';
import type { ProfileEntry } from '../../src/contracts/answers/index.ts';
import type { IndicatorType, Polarity } from '../../src/contracts/vocabulary.ts';

function entry(
  o: Partial<ProfileEntry> & {
    key: string;
    polarity?: Polarity;
    type?: IndicatorType;
    unit?: string;
    name?: string;
    numerator?: string;
  },
): ProfileEntry {
  return {
    indicator: {
      key: o.key,
      name: o.name ?? o.key,
      description: null,
      unit: o.unit ?? '%',
      type: o.type ?? 'ratio',
      dimensions: [],
      numerator: o.numerator ? { indicator: o.numerator } : null,
      denominator: null,
      scale: 100,
      polarity: o.polarity ?? 'higher_is_worse',
      source: 'BA',
      owner: null,
      ownerName: null,
      confidentiality: 'public',
      periodicity: 'yearly',
      minBase: null,
      methodology: null,
      themes: ['Soziales'],
      decimals: o.type === 'count' ? 0 : 1,
      draft: false,
      departments: [],
      lineage: null,
    },
    period: o.period ?? '2024-12-31',
    referenceDate: '2024-12-31',
    value: o.value ?? null,
    base: null,
    status: o.status ?? 'final',
    cityValue: o.cityValue ?? null,
    cityStatus: o.cityStatus ?? 'final',
    parentValue: null,
    parentStatus: null,
    rank: 1,
    rankOf: 38,
    trend: o.trend ?? [],
  };
}

describe('key facts', () => {
  const count = entry({ key: 'kinder_arm', type: 'count', unit: 'Kinder', value: 257, status: 'provisional' });
  const poverty = entry({
    key: 'kinderarmut_anteil',
    name: 'Kinderarmut (SGB-II-Quote unter 15 Jahren)',
    numerator: 'kinder_arm',
    value: 26.6,
    status: 'provisional',
    cityValue: 19.0,
    trend: [
      { period: '2021-12-31', value: 24.04, status: 'final' },
      { period: '2024-12-31', value: 26.6, status: 'provisional' },
    ],
  });
  it('states value, count, multiple of the city and the change, judged by polarity', () => {
    const f = keyFact(poverty, [poverty, count], 'de');
    assert.equal(f.name, 'Kinderarmut');
    assert.equal(f.value, '26,6\u00a0%\u00a0p');
    assert.equal(f.count, '257\u00a0Kinder\u00a0p');
    assert.equal(f.ratio, '1,4');
    assert.equal(f.level, 'worse');
    assert.deepEqual(f.trend, { dir: 'up', since: '2021', from: '24,0\u00a0%', judgement: 'worse' });
  });
  it('higher is better turns the judgement round; near the city is "about like the city"', () => {
    const kita = entry({
      key: 'kita',
      polarity: 'higher_is_better',
      value: 30,
      cityValue: 40,
      trend: [
        { period: '2020/21', value: 35, status: 'final' },
        { period: '2024/25', value: 30, status: 'final' },
      ],
    });
    const f = keyFact(kita, [kita], 'de');
    assert.equal(f.level, 'worse');
    assert.deepEqual(f.trend, { dir: 'down', since: '2020/21', from: '35,0\u00a0%', judgement: 'worse' });
    const near = keyFact(entry({ key: 'x', value: 5.8, cityValue: 5.7 }), [], 'de');
    assert.equal(near.level, 'same');
  });
  it('only rates with a polarity and a value are key facts', () => {
    assert.equal(isKeyFact(poverty), true);
    assert.equal(isKeyFact(count), false);
    assert.equal(isKeyFact(entry({ key: 'n', polarity: 'neutral', value: 3 })), false);
    assert.equal(isKeyFact(entry({ key: 's', value: null, status: 'suppressed' })), false);
  });
  it('short names, periods and spines', () => {
    assert.equal(shortName('Anteil der Kinder unter 6 Jahren'), 'Anteil der Kinder unter 6 Jahren');
    assert.equal(periodShort('2021-12-31', 'de'), '2021');
    assert.equal(periodShort('2021-06-30', 'de'), '30.06.2021');
    const s = spineOf([4, 1, null, 3, 2, 5])!;
    assert.deepEqual([s.min, s.q1, s.median, s.q3, s.max, s.n], [1, 2, 3, 4, 5, 5]);
    assert.equal(spinePos(s, 3), 0.5);
    assert.equal(spinePos(s, 9), 1);
    assert.equal(spineOf([null]), null);
  });
});

describe('changes', () => {
  it('a percentage changes in percentage points; other units stay', async () => {
    const { formatChange } = await import('../../src/contracts/format.ts');
    const { changeJudgement } = await import('../../web/src/lib/facts.ts');
    assert.equal(formatChange(0.6, 1, '%', 'de'), '0,6\u00a0Prozentpunkte');
    assert.equal(formatChange(1, 1, '%', 'de'), '1,0\u00a0Prozentpunkt');
    assert.equal(formatChange(0.6, 1, '%', 'en'), '0.6\u00a0percentage points');
    assert.equal(formatChange(1234, 0, 'Personen', 'de'), '1.234\u00a0Personen');
    assert.equal(changeJudgement(0.6, 'higher_is_worse'), 'worse');
    assert.equal(changeJudgement(0.6, 'higher_is_better'), 'better');
    assert.equal(changeJudgement(0.6, 'neutral'), 'none');
  });
});

describe('axis ticks', () => {
  it('cover the range with steps the decimals can write, from 0 when asked', async () => {
    const { axisTicks, formatNumber } = await import('../../src/contracts/format.ts');
    assert.deepEqual(axisTicks(0, 7.9, 5, 1), [0, 2, 4, 6, 8]);
    assert.deepEqual(axisTicks(0, 3, 8, 0), [0, 1, 2, 3], 'a count gets whole numbers');
    assert.deepEqual(axisTicks(0, 299985, 4, 0), [0, 100000, 200000, 300000]);
    assert.deepEqual(axisTicks(87, 99, 5, 1), [85, 87.5, 90, 92.5, 95, 97.5, 100]);
    for (const [lo, hi, n, d] of [
      [0, 1.3, 6, 1],
      [0, 12, 5, 0],
      [3.3, 7.9, 4, 1],
      [0, 0.8, 6, 0],
    ] as const) {
      const ticks = axisTicks(lo, hi, n, d);
      const labels = ticks.map((v) => formatNumber(v, d, 'de'));
      assert.equal(new Set(labels).size, labels.length, labels.join(' '));
      assert.ok(ticks[0] <= lo && ticks[ticks.length - 1] >= hi);
    }
  });
});

describe('cases', () => {
  it('layer names in the dative after "nach"', async () => {
    const { dativePlural } = await import('../../src/contracts/format.ts');
    assert.equal(dativePlural('Stadtteile'), 'Stadtteilen');
    assert.equal(dativePlural('Statistische Blöcke'), 'Statistischen Blöcken');
    assert.equal(dativePlural('Grundschulbezirke'), 'Grundschulbezirken');
    assert.equal(dativePlural('Wahlbezirke'), 'Wahlbezirken');
    assert.equal(dativePlural('Planungsräumen'), 'Planungsräumen');
    assert.equal(dativePlural('Stadtteile', 'en'), 'Stadtteile');
  });
});

describe('stale gauges', () => {
  it('daily data older than a day (with a day of grace) are not current', async () => {
    const { isStale } = await import('../../web/src/lib/gauge.ts');
    const now = new Date(2026, 11, 2, 10, 0);
    assert.equal(isStale('2026-12-01', 'daily', now), false);
    assert.equal(isStale('2026-11-30', 'daily', now), false);
    assert.equal(isStale('2026-11-29', 'daily', now), true);
    assert.equal(isStale('2026-11-20', 'weekly', now), true);
    assert.equal(isStale('2024-12-31', 'yearly', now), false);
  });
});
