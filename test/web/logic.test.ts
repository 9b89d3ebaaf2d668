// Map keyboard navigation, warning gauges, table sorting/filtering and map drawing (web/src/lib).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextInDirection, keyDirection } from '../../web/src/lib/mapnav.ts';
import { gaugeLevel, gaugeRange, gaugeBands, gaugeAngle, thresholdsValid, arcPath } from '../../web/src/lib/gauge.ts';
import { sortRows, compareValues, matchesQuery, parseSort, formatSort } from '../../web/src/lib/table.ts';
import { project, bboxOf, neighboursOf, growBBox } from '../../src/core/geo/draw.ts';

describe('map keyboard navigation', () => {
  // 3 × 3 grid, codes rc
  const pts = [0, 1, 2].flatMap((r) => [0, 1, 2].map((c) => ({ code: `${r}${c}`, cx: c * 10, cy: r * 10 })));
  it('moves to the neighbour in the arrow’s direction', () => {
    assert.equal(nextInDirection(pts, '11', 'right'), '12');
    assert.equal(nextInDirection(pts, '11', 'left'), '10');
    assert.equal(nextInDirection(pts, '11', 'up'), '01');
    assert.equal(nextInDirection(pts, '11', 'down'), '21');
  });
  it('stays put at the edge', () => {
    assert.equal(nextInDirection(pts, '12', 'right'), null);
    assert.equal(nextInDirection(pts, '00', 'up'), null);
  });
  it('prefers straight over diagonal neighbours', () => {
    const p = [
      { code: 'a', cx: 0, cy: 0 },
      { code: 'b', cx: 10, cy: 9 },
      { code: 'c', cx: 14, cy: 0 },
    ];
    assert.equal(nextInDirection(p, 'a', 'right'), 'c');
  });
  it('keys', () => {
    assert.equal(keyDirection('ArrowUp'), 'up');
    assert.equal(keyDirection('a'), null);
  });
});

describe('warning gauges', () => {
  const th = { amber: 85, red: 95 };
  it('higher is worse (and neutral): green below amber, amber from amber, red from red', () => {
    assert.equal(gaugeLevel(84.9, th, 'higher_is_worse'), 'green');
    assert.equal(gaugeLevel(85, th, 'higher_is_worse'), 'amber');
    assert.equal(gaugeLevel(95, th, 'higher_is_worse'), 'red');
    assert.equal(gaugeLevel(90, th, 'neutral'), 'amber');
  });
  it('higher is better: red below red, amber below amber, green otherwise', () => {
    const t = { amber: 90, red: 80 };
    assert.equal(gaugeLevel(79, t, 'higher_is_better'), 'red');
    assert.equal(gaugeLevel(80, t, 'higher_is_better'), 'amber');
    assert.equal(gaugeLevel(90, t, 'higher_is_better'), 'green');
  });
  it('threshold order depends on polarity', () => {
    assert.ok(thresholdsValid({ amber: 85, red: 95 }, 'higher_is_worse'));
    assert.ok(!thresholdsValid({ amber: 95, red: 85 }, 'higher_is_worse'));
    assert.ok(thresholdsValid({ amber: 90, red: 80 }, 'higher_is_better'));
    assert.ok(!thresholdsValid({ amber: Number.NaN, red: 80 }, 'higher_is_better'));
  });
  it('dial range and bands', () => {
    assert.deepEqual(gaugeRange(86, th, '%'), [0, 100]);
    assert.deepEqual(gaugeRange(180, { amber: 100, red: 150 }, 'Personen'), [0, 250]);
    const bands = gaugeBands([0, 100], th, 'higher_is_worse');
    assert.deepEqual(
      bands.map((b) => b.level),
      ['green', 'amber', 'red'],
    );
    assert.deepEqual(
      bands.map((b) => [b.from, b.to]),
      [
        [0, 85],
        [85, 95],
        [95, 100],
      ],
    );
    assert.deepEqual(
      gaugeBands([0, 100], { amber: 90, red: 80 }, 'higher_is_better').map((b) => b.level),
      ['red', 'amber', 'green'],
    );
  });
  it('needle angle is clamped to the dial', () => {
    assert.equal(gaugeAngle(0, [0, 100]), 0);
    assert.equal(gaugeAngle(50, [0, 100]), Math.PI / 2);
    assert.equal(gaugeAngle(500, [0, 100]), Math.PI);
    assert.match(
      arcPath(120, 120, 70, 100, 0, Math.PI / 2),
      /^M20 120A100 100 0 0 1 120 20L120 50A70 70 0 0 0 50 120Z$/,
    );
  });
});

describe('table sorting and filtering', () => {
  const rows = [
    { name: 'Übersee', v: 3 as number | null },
    { name: 'Altstadt', v: null },
    { name: 'Oststadt', v: 10 },
    { name: 'altstadt-Nord', v: 1 },
  ];
  it('numbers numerically, missing values last in both directions', () => {
    assert.deepEqual(
      sortRows(rows, { key: 'v', dir: 'asc' }, (r) => r.v).map((r) => r.v),
      [1, 3, 10, null],
    );
    assert.deepEqual(
      sortRows(rows, { key: 'v', dir: 'desc' }, (r) => r.v).map((r) => r.v),
      [10, 3, 1, null],
    );
  });
  it('text with German collation', () => {
    assert.deepEqual(
      sortRows(rows, { key: 'name', dir: 'asc' }, (r) => r.name).map((r) => r.name),
      ['Altstadt', 'altstadt-Nord', 'Oststadt', 'Übersee'],
    );
    assert.equal(compareValues('0102', '0101', 'asc') > 0, true);
  });
  it('filter matches every word, ignoring case and accents', () => {
    assert.ok(matchesQuery('uber', ['Übersee', '0101']));
    assert.ok(matchesQuery('alt 01', ['Altstadt', '0101']));
    assert.ok(!matchesQuery('alt 02', ['Altstadt', '0101']));
    assert.ok(matchesQuery('  ', ['x']));
  });
  it('sort parameter', () => {
    assert.deepEqual(parseSort('value:desc', ['value'], { key: 'area', dir: 'asc' }), { key: 'value', dir: 'desc' });
    assert.deepEqual(parseSort('evil:desc', ['value'], { key: 'area', dir: 'asc' }), { key: 'area', dir: 'asc' });
    assert.equal(formatSort({ key: 'rank', dir: 'asc' }), 'rank:asc');
  });
});

describe('map drawing', () => {
  const square = (x: number, y: number, code: string) => ({
    code,
    name: code,
    // counter-clockwise exterior ring, as RFC 7946 GeoJSON has it
    geometry: {
      type: 'Polygon' as const,
      coordinates: [
        [
          [x, y],
          [x + 0.01, y],
          [x + 0.01, y + 0.01],
          [x, y + 0.01],
          [x, y],
        ],
      ],
    },
  });
  const shapes = [square(8.7, 51.45, 'a'), square(8.71, 51.45, 'b'), square(8.73, 51.45, 'c')];
  it('fits the shapes into the box, north up, regardless of winding', () => {
    const d = project(shapes, { width: 400, pad: 0 });
    assert.equal(d.shapes.length, 3);
    const a = d.shapes[0];
    assert.ok(a.bounds[0][0] >= -0.01 && a.bounds[1][0] <= 400.01);
    assert.ok(a.bounds[1][0] - a.bounds[0][0] < 200, 'a small square, not the whole world');
    // one degree of longitude is shorter than one of latitude at 51°N
    assert.ok(d.height < 400 && d.height > 40);
    const [, yTop] = d.point(8.7, 51.46);
    const [, yBottom] = d.point(8.7, 51.45);
    assert.ok(yTop < yBottom, 'north is up');
  });
  it('bbox, growth and neighbours by shared vertices', () => {
    assert.deepEqual(
      bboxOf(shapes)?.map((v) => Math.round(v * 1000) / 1000),
      [8.7, 51.45, 8.74, 51.46],
    );
    assert.deepEqual(growBBox([0, 0, 2, 2], 2), [-1, -1, 3, 3]);
    assert.deepEqual(neighboursOf('a', shapes), ['b']);
    assert.deepEqual(neighboursOf('c', shapes), []);
  });
});

it('an indicator opens on a layer where it has values', async () => {
  const { layerWithData } = await import('../../web/src/lib/layers.ts');
  const layers = [
    {
      key: 'gesamtstadt',
      name: 'Gesamtstadt',
      kind: 'hierarchical',
      parentLayer: null,
      versions: [{ validFrom: null, validTo: null, areas: 1, sourceCrs: null }],
    },
    {
      key: 'stadtteil',
      name: 'Stadtteile',
      kind: 'hierarchical',
      parentLayer: 'gesamtstadt',
      versions: [{ validFrom: null, validTo: null, areas: 38, sourceCrs: null }],
    },
    {
      key: 'grundschulbezirk',
      name: 'Grundschulbezirke',
      kind: 'overlay',
      parentLayer: null,
      versions: [{ validFrom: null, validTo: null, areas: 45, sourceCrs: null }],
    },
  ];
  const ind = (layersWithValues: string[]) => ({
    key: 'x',
    name: 'x',
    description: null,
    unit: '%',
    type: 'ratio' as const,
    dimensions: [],
    scale: 1,
    polarity: 'neutral' as const,
    source: null,
    owner: null,
    ownerName: null,
    confidentiality: 'public' as const,
    periodicity: null,
    minBase: null,
    methodology: null,
    themes: [],
    decimals: null,
    numerator: null,
    denominator: null,
    draft: false,
    departments: [],
    lineage: null,
    periods: [],
    layers: layersWithValues,
  });
  assert.equal(layerWithData(layers, ind(['grundschulbezirk']), 'stadtteil'), 'grundschulbezirk');
  assert.equal(layerWithData(layers, ind(['gesamtstadt', 'stadtteil']), 'stadtteil'), 'stadtteil');
  assert.equal(layerWithData(layers, ind(['gesamtstadt', 'stadtteil', 'grundschulbezirk']), 'block'), 'stadtteil');
});
