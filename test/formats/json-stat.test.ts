// The JSON-stat 2.0 writer on hand-made answers, read back with jsonstat-toolkit (the reference
// reader of the format): value count = product of the sizes, every value round-trips by area and
// period, withheld values are null with their symbol, unit and source are there.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import JSONstat from 'jsonstat-toolkit';
import { observationsToJsonStat, timeSeriesToJsonStat, CITY_TOTAL } from '../../src/formats/json-stat.ts';
import type { IndicatorMeta, ObservationsAnswer, TimeSeriesAnswer } from '../../src/contracts/answers/index.ts';
import { assertJsonStatShape } from '../helpers/json-stat-shape.ts';
import { reasonFields } from '../../src/core/reasons.ts';
import { coded } from '../../src/contracts/codes/index.ts';

const META: IndicatorMeta = {
  key: 'anteil_unter6',
  name: 'Anteil unter 6-Jähriger',
  description: 'Kinder unter 6 Jahren je 100 Einwohner',
  unit: '%',
  type: 'ratio',
  dimensions: [],
  numerator: null,
  denominator: null,
  scale: 100,
  polarity: 'neutral',
  source: 'Melderegister',
  owner: null,
  ownerName: null,
  confidentiality: 'public',
  periodicity: null,
  minBase: 300,
  methodology: null,
  themes: [],
  decimals: 1,
  draft: false,
  departments: [],
  lineage: null,
};

function observations(codes = ['0101', '0102', '0103', '0104', '0105']): ObservationsAnswer {
  return {
    indicator: META,
    layer: {
      key: 'stadtteil',
      name: 'Stadtteile',
      kind: 'hierarchical',
      version: { validFrom: '2021-01-01', validTo: null },
    },
    period: { key: '2024-12-31', type: 'date', start: '2024-12-31', end: '2024-12-31' },
    referenceDate: '2024-12-31',
    unit: '%',
    source: 'Melderegister',
    filter: { geschlecht: 'w' },
    values: [
      { area: codes[0], name: 'Altstadt', value: 4.8245, base: 3503, status: 'final', computed: true, rank: 1 },
      { area: codes[1], name: 'Nordviertel', value: 0, base: 900, status: 'final', computed: true, rank: 3 },
      {
        area: codes[2],
        name: 'Südhang',
        value: null,
        base: null,
        status: 'suppressed',
        ...reasonFields(coded('reason-disclosure-withheld')),
        computed: true,
        rank: null,
      },
      {
        area: codes[3],
        name: 'Hafen',
        value: null,
        base: 100,
        status: 'below_min_base',
        ...reasonFields(coded('reason-below-min-base', { base: 100, min: 300 })),
        computed: true,
        rank: null,
      },
      { area: codes[4], name: 'Ostend', value: 3.2, base: 1200, status: 'provisional', computed: false, rank: 2 },
    ],
    city: { value: 4.1, base: 5703, status: 'final' },
  };
}

const SERIES: TimeSeriesAnswer = {
  indicator: META,
  layer: { key: 'stadtteil', name: 'Stadtteile' },
  area: '0101',
  filter: {},
  unit: '%',
  source: 'Melderegister',
  points: [
    {
      period: '2019-12-31',
      periodType: 'date',
      referenceDate: '2019-12-31',
      value: 5.1,
      base: 3400,
      status: 'final',
      versionValidFrom: null,
      boundaryChange: false,
      areaName: 'Altstadt alt',
    },
    {
      period: '2020-12-31',
      periodType: 'date',
      referenceDate: '2020-12-31',
      value: null,
      base: null,
      status: 'suppressed',
      ...reasonFields(coded('reason-suppressed')),
      versionValidFrom: null,
      boundaryChange: false,
      areaName: 'Altstadt alt',
    },
    {
      period: '2021-12-31',
      periodType: 'date',
      referenceDate: '2021-12-31',
      value: 4.9,
      base: 3450,
      status: 'estimated',
      versionValidFrom: '2021-01-01',
      boundaryChange: true,
      areaName: 'Altstadt',
    },
  ],
};

const product = (size: number[]) => size.reduce((a, b) => a * b, 1);

describe('JSON-stat 2.0 writer', () => {
  test('observations: a dataset the toolkit reads, one value per area and the city total', () => {
    const a = observations();
    assertJsonStatShape(
      observationsToJsonStat(a, { updated: '2026-12-02T18:00:00.000Z', self: '/a', csv: '/b' }) as unknown as Record<
        string,
        unknown
      >,
    );
    const ds = JSONstat(
      observationsToJsonStat(a, {
        updated: '2026-12-02T18:00:00.000Z',
        self: '/api/observations?indicator=anteil_unter6&layer=stadtteil&format=json-stat',
        csv: '/api/observations?indicator=anteil_unter6&layer=stadtteil&format=csv',
      }),
    );
    assert.equal(ds.class, 'dataset');
    assert.deepEqual(ds.id, ['indicator', 'geschlecht', 'period', 'area']);
    assert.deepEqual(ds.size, [1, 1, 1, 6]);
    assert.equal(ds.n, product(ds.size));
    assert.equal(ds.value.length, product(ds.size));
    // The toolkit adds the remaining dimensions as role "classification".
    assert.deepEqual(
      { time: ds.role!.time, geo: ds.role!.geo, metric: ds.role!.metric },
      { time: ['period'], geo: ['area'], metric: ['indicator'] },
    );
    for (const v of a.values) {
      const cell = ds.Data({ indicator: 'anteil_unter6', geschlecht: 'w', period: '2024-12-31', area: v.area })!;
      assert.equal(cell.value, v.value, v.area);
      assert.equal(ds.Dimension('area')!.Category(v.area)!.label, v.name);
    }
    assert.equal(ds.Data({ area: CITY_TOTAL })!.value, 4.1);
    assert.equal(ds.Dimension('area')!.Category(CITY_TOTAL)!.label, 'Gesamtstadt');
    // A zero stays a zero; a withheld value is null with its symbol, never 0.
    assert.deepEqual(ds.Data({ area: '0102' }), { value: 0, status: null });
    assert.deepEqual(ds.Data({ area: '0103' }), { value: null, status: '.' });
    assert.deepEqual(ds.Data({ area: '0104' }), { value: null, status: '/' });
    assert.deepEqual(ds.Data({ area: '0105' }), { value: 3.2, status: 'p' });
    assert.deepEqual(ds.Dimension('area')!.Category('0103')!.note, ['geheim gehalten (Geheimhaltung)']);
    // Unit and source.
    assert.deepEqual(ds.Dimension('indicator')!.Category('anteil_unter6')!.unit, {
      label: '%',
      symbol: '%',
      decimals: 1,
      position: 'end',
    });
    assert.equal(ds.source, 'Melderegister');
    assert.equal(ds.updated, '2026-12-02T18:00:00.000Z');
    assert.equal(ds.link!.self[0].href, '/api/observations?indicator=anteil_unter6&layer=stadtteil&format=json-stat');
    assert.equal(ds.link!.alternate[0].type, 'text/csv');
    const ext = ds.extension!;
    assert.equal(ext.referenceDate, '2024-12-31');
    assert.equal(ext.periodType, 'date');
    assert.equal(ext.unit, '%');
    assert.equal(ext.source, 'Melderegister');
    assert.deepEqual(ext.filter, { geschlecht: 'w' });
    assert.deepEqual(ext.boundaries, { validFrom: '2021-01-01', validTo: null });
    assert.deepEqual(ext.statusCode, ['final', 'final', 'suppressed', 'below_min_base', 'provisional', 'final']);
    assert.deepEqual(ext.base, [3503, 900, null, 100, 1200, 5703]);
    // The legend names the symbols that occur, and only those.
    assert.ok(ds.note!.some((n) => n.startsWith('. ')));
    assert.ok(ds.note!.some((n) => n.startsWith('p ')));
    assert.ok(!ds.note!.some((n) => n.startsWith('s ')));
  });

  test('the city total keeps a code of its own when an area is called "_T"', () => {
    assertJsonStatShape(
      observationsToJsonStat(observations(['_T', '0102', '0103', '0104', '0105'])) as unknown as Record<
        string,
        unknown
      >,
    );
    const ds = JSONstat(observationsToJsonStat(observations(['_T', '0102', '0103', '0104', '0105'])));
    assert.equal(ds.Data({ area: '_T' })!.value, 4.8245);
    assert.equal(ds.extension!.total, '__T');
    assert.equal(ds.Data({ area: '__T' })!.value, 4.1);
  });

  test('a description repeated as methodology is one note', () => {
    const a = observations();
    a.indicator = { ...META, methodology: META.description };
    assertJsonStatShape(observationsToJsonStat(a) as unknown as Record<string, unknown>);
  });

  test('a withheld value is null even if an answer carried a number with it', () => {
    const a = observations();
    a.values[2] = { ...a.values[2], value: 7 };
    const out = observationsToJsonStat(a);
    assert.equal(out.value[2], null);
  });

  test('English labels with lang=en; no status member when every value is final', () => {
    const a = observations();
    a.values = a.values.filter((v) => v.status === 'final');
    const out = observationsToJsonStat(a, { lang: 'en' });
    assertJsonStatShape(out as unknown as Record<string, unknown>);
    assert.equal(out.status, undefined);
    assert.equal(out.dimension.area.category.label?.[CITY_TOTAL], 'Whole city');
    assert.equal(out.dimension.period.label, 'Period');
    assert.equal(out.dimension.period.category.label?.['2024-12-31'], '2024-12-31');
    assert.equal(observationsToJsonStat(a).dimension.period.category.label?.['2024-12-31'], '31.12.2024');
  });

  test('a unit word is a label without a symbol; decimals from the values when the indicator has none', () => {
    const a = observations();
    a.indicator = { ...META, key: 'einwohner', name: 'Einwohner', decimals: null };
    a.unit = 'Personen';
    a.values = a.values.map((v) => ({ ...v, value: v.value === null ? null : Math.round(v.value) }));
    a.city = { value: 9, base: null, status: 'final' };
    const unit = observationsToJsonStat(a).dimension.indicator.category.unit!.einwohner;
    assert.deepEqual(unit, { label: 'Personen', decimals: 0, position: 'end' });
  });

  test('time series: one area, every period, boundary breaks in note and extension', () => {
    assertJsonStatShape(timeSeriesToJsonStat(SERIES) as unknown as Record<string, unknown>);
    const ds = JSONstat(timeSeriesToJsonStat(SERIES));
    assert.deepEqual(ds.id, ['indicator', 'area', 'period']);
    assert.deepEqual(ds.size, [1, 1, 3]);
    assert.equal(ds.value.length, product(ds.size));
    for (const p of SERIES.points) assert.equal(ds.Data({ area: '0101', period: p.period })!.value, p.value, p.period);
    assert.deepEqual(ds.Data({ period: '2020-12-31' }), { value: null, status: '.' });
    assert.equal(ds.Data({ period: '2021-12-31' })!.status, 's');
    assert.equal(ds.Dimension('area')!.Category('0101')!.label, 'Altstadt');
    assert.equal(ds.Dimension('period')!.role, 'time');
    assert.ok(
      ds.note!.some((n) => n.includes('Gebietsstandsänderung ab 31.12.2021') && n.includes('2021-01-01')),
      String(ds.note),
    );
    assert.deepEqual(ds.extension!.boundaryChange, [false, false, true]);
    assert.deepEqual(ds.extension!.boundaries, [null, null, '2021-01-01']);
    assert.deepEqual(ds.extension!.referenceDate, ['2019-12-31', '2020-12-31', '2021-12-31']);
    assert.equal(ds.Dimension('indicator')!.Category('anteil_unter6')!.unit!.decimals, 1);
  });

  test('a time series without points is an empty cube, still valid', () => {
    const out = timeSeriesToJsonStat({ ...SERIES, points: [] });
    assertJsonStatShape(out as unknown as Record<string, unknown>);
    assert.deepEqual(out.size, [1, 1, 0]);
    assert.deepEqual(out.value, []);
  });

  test('a breakdown dimension named like a fixed one gets a prefix', () => {
    const a = observations();
    a.filter = { area: 'innen' };
    const out = observationsToJsonStat(a);
    assertJsonStatShape(out as unknown as Record<string, unknown>);
    assert.deepEqual(out.id, ['indicator', 'breakdown_area', 'period', 'area']);
    assert.equal(new Set(out.id).size, out.id.length);
  });
});
