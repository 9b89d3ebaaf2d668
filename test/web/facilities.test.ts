// Facilities, supply versus need and estimates in the browser (web/src/lib/facilities.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { estimateMethods, type Status } from '../../src/contracts/format.ts';
import {
  categoryStyle,
  defaultNeed,
  facilityRows,
  markerPath,
  MIN_NEED,
  needChoices,
  needFromParams,
  needToParams,
  ratioStatus,
  splitPeriods,
  supplyRows,
  supplyTotal,
  CATEGORY_SHAPES,
  type FacilityFeature,
  type FacilitySet,
} from '../../web/src/lib/facilities.ts';

const set = (key: string): FacilitySet => ({
  key,
  name: key,
  owner: null,
  confidentiality: 'public',
  period: '2024-12-31',
  referenceDate: '2024-12-31',
  facilities: 0,
  capacity: null,
  withoutCapacity: 0,
  categories: [],
  indicators: { count: `${key}_anzahl`, places: `${key}_plaetze`, dimension: null },
  layers: [],
  file: null,
  updatedAt: '',
});

describe('the need in the URL', () => {
  it('need=INDICATOR and need_DIMENSION=MEMBER', () => {
    assert.deepEqual(needFromParams({ need: 'einwohner', need_altersgruppe: 'unter6', layer: 'stadtteil' }), {
      indicator: 'einwohner',
      filter: { altersgruppe: 'unter6' },
    });
    assert.equal(needFromParams({ need: 'Einwohner!' }), null);
    assert.equal(needFromParams({}), null);
    assert.deepEqual(
      needToParams({ indicator: 'einwohner_3_6', filter: {} }, { need: 'einwohner', need_altersgruppe: 'unter6' }),
      { need_altersgruppe: null, need: 'einwohner_3_6' },
    );
    assert.deepEqual(needToParams({ indicator: 'einwohner', filter: { altersgruppe: '6_10' } }), {
      need: 'einwohner',
      need_altersgruppe: '6_10',
    });
  });
  it('defaults to children under 6; supply indicators are no need', () => {
    const inds = [
      { key: 'kitas_plaetze', type: 'count', dimensions: [], themes: ['Infrastruktur'] },
      { key: 'einwohner', type: 'count', dimensions: ['altersgruppe'], themes: ['Bevölkerung'] },
      { key: 'anteil_unter6', type: 'ratio', dimensions: [], themes: ['Bevölkerung'] },
    ];
    assert.deepEqual(defaultNeed(inds), { indicator: 'einwohner', filter: { altersgruppe: 'unter6' } });
    assert.deepEqual(defaultNeed([{ key: 'bev', type: 'count', dimensions: [], themes: ['Bevölkerung'] }]), {
      indicator: 'bev',
      filter: {},
    });
    assert.equal(defaultNeed([]), null);
    assert.deepEqual(
      needChoices(inds, [set('kitas')]).map((i) => i.key),
      ['einwohner'],
    );
  });
});

describe('supply versus need per area', () => {
  const areas = [
    { code: '01', name: 'Altstadt' },
    { code: '02', name: 'Nordstadt' },
    { code: '03', name: 'Hafen' },
    { code: '04', name: 'Wald' },
  ];
  const counts = [
    { area: '01', value: 3, status: 'final' as const },
    { area: '02', value: 1, status: 'final' as const },
    { area: '03', value: 0, status: 'final' as const },
    { area: '04', value: 0, status: 'final' as const },
  ];
  const places = [
    { area: '01', value: 180, status: 'final' as const },
    { area: '02', value: null, status: 'missing' as const },
    { area: '03', value: 0, status: 'final' as const },
    { area: '04', value: 0, status: 'final' as const },
  ];
  const need = [
    { area: '01', value: 240, status: 'final' as const },
    { area: '02', value: 100, status: 'estimated' as const },
    { area: '03', value: null, status: 'suppressed' as const },
    { area: '04', value: 5, status: 'final' as const },
  ];
  it('places per 100 of the need, with the status of the parts', () => {
    const rows = supplyRows(areas, counts, places, need);
    assert.deepEqual(
      rows.map((r) => [r.code, r.facilities, r.places, r.need, r.ratio, r.ratioStatus]),
      [
        ['01', 3, 180, 240, 75, 'final'],
        ['02', 1, null, 100, null, 'missing'],
        ['03', 0, 0, null, null, 'suppressed'],
        ['04', 0, 0, 5, null, 'below_min_base'],
      ],
    );
  });
  it('without capacities the ratio counts facilities; without need there is none', () => {
    const rows = supplyRows(areas, counts, null, need);
    assert.equal(rows[0].ratio, 1.25);
    assert.equal(rows[0].places, null);
    assert.ok(supplyRows(areas, counts, places, null).every((r) => r.ratio === null && r.ratioStatus === 'missing'));
  });
  it('ratio status: no value first, then estimated, then provisional; a small need is below the minimum', () => {
    const v = (value: number | null, status: 'final' | 'estimated' | 'provisional' | 'suppressed' | 'missing') => ({
      area: 'x',
      value,
      status,
    });
    assert.equal(ratioStatus(v(10, 'final'), v(100, 'estimated')), 'estimated');
    assert.equal(ratioStatus(v(10, 'provisional'), v(100, 'final')), 'provisional');
    assert.equal(ratioStatus(v(10, 'estimated'), v(null, 'suppressed')), 'suppressed');
    assert.equal(ratioStatus(v(10, 'final'), v(MIN_NEED - 1, 'final')), 'below_min_base');
    assert.equal(ratioStatus(undefined, v(100, 'final')), 'missing');
  });
  it('the city total is the ratio of the sums, never a mean of ratios', () => {
    const rows = supplyRows(
      areas.slice(0, 1).concat({ code: '05', name: 'Neu' }),
      [counts[0], { area: '05', value: 1, status: 'final' }],
      [places[0], { area: '05', value: 20, status: 'final' }],
      [need[0], { area: '05', value: 160, status: 'final' }],
    );
    const total = supplyTotal(rows);
    assert.deepEqual(total, { facilities: 4, places: 200, need: 400, ratio: 50 });
    assert.notEqual(total.ratio, (rows[0].ratio! + rows[1].ratio!) / 2);
    assert.equal(
      supplyTotal(supplyRows(areas, counts, places, need)).places,
      null,
      'a missing part makes the sum unknown',
    );
  });
});

describe('facility rows, markers and notes', () => {
  const f = (id: number, name: string | null, codes: Record<string, string>): FacilityFeature => ({
    type: 'Feature',
    id,
    geometry: { type: 'Point', coordinates: [8.7, 51.4] },
    properties: {
      id,
      set: 'kitas',
      name,
      category: 'städtisch',
      categoryKey: 'staedtisch',
      capacity: id * 10,
      codes,
      attributes: {},
    },
  });
  it('rows carry the area name of the chosen layer', () => {
    const rows = facilityRows(
      [f(1, 'Kita A', { stadtteil: '0101' }), f(2, null, {})],
      'stadtteil',
      new Map([['0101', 'Altstadt']]),
      '(ohne Name)',
    );
    assert.deepEqual(
      rows.map((r) => [r.id, r.name, r.area, r.areaName, r.capacity]),
      [
        [1, 'Kita A', '0101', 'Altstadt', 10],
        [2, '(ohne Name)', null, '', 20],
      ],
    );
  });
  it('each category has its own colour and shape; markers are closed paths', () => {
    const cats = [{ key: 'a' }, { key: 'b' }, { key: 'c' }];
    const styles = cats.map((c) => categoryStyle(cats, c.key));
    assert.equal(new Set(styles.map((s) => s.color)).size, 3);
    assert.equal(new Set(styles.map((s) => s.shape)).size, 3);
    assert.deepEqual(categoryStyle(cats, 'unknown'), styles[0]);
    for (const shape of CATEGORY_SHAPES) assert.match(markerPath(shape, 10, 10, 5), /^M[\d.,]+.*Z$/);
  });
  it('estimate notes list each method once', () => {
    const series = [
      {
        points: [
          { status: 'estimated' as const, reason: 'umgeschlüsselt nach Flächenanteilen' },
          { status: 'final' as const },
        ],
      },
      {
        points: [
          { status: 'estimated' as const, reason: 'umgeschlüsselt nach Flächenanteilen' },
          { status: 'estimated' as const },
        ],
      },
    ];
    assert.deepEqual(estimateMethods(series.flatMap((s): { status: Status; reason?: string }[] => s.points)), [
      'umgeschlüsselt nach Flächenanteilen',
    ]);
  });
  it('periods typed for a reallocation', () => {
    assert.deepEqual(splitPeriods(' 31.12.2019; 31.12.2020 ,2018 '), ['31.12.2019', '31.12.2020', '2018']);
    assert.deepEqual(splitPeriods(''), []);
  });
});
