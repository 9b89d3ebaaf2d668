// Index definitions in the browser (web/src/lib/indexdef.ts): templates, the compact URL form,
// checks, class colours, score bins and the component breakdown. Where the server has the same
// rule (src/core/stats), the browser's version is checked against it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyTemplate,
  checkDefinition,
  classColors,
  commonPeriods,
  compactDefinition,
  contributionRows,
  decodeDefinition,
  earlierPeriod,
  encodeDefinition,
  formatNumberList,
  isShaky,
  mainDriver,
  niceStep,
  normalizeDefinition,
  parseDecimal,
  parseExclusion,
  parseLabels,
  parseNumberList,
  scoreBins,
  type IndexDefinition,
} from '../../web/src/lib/indexdef.ts';
import { INDEX_TEMPLATES } from '../../src/core/stats/templates.ts';

// The browser gets the templates from GET /api/analysis/templates, i.e. these.
const TEMPLATES = INDEX_TEMPLATES as unknown as Record<string, IndexDefinition>;
import { parseIndexDefinition } from '../../src/core/stats/index-definition.ts';
import { computeIndex } from '../../src/core/stats/composite.ts';

const ISSUE_EXAMPLE: IndexDefinition = {
  key: 'status',
  name: 'Statusindex',
  layer: 'planungsraum',
  period: '2020-12-31',
  components: [
    { indicator: 'arbeitslose_anteil', weight: 1, direction: 1 },
    { indicator: 'transferbezug_anteil', weight: 1, direction: 1 },
    { indicator: 'kinderarmut_anteil', weight: 1, direction: 1 },
  ],
  transform: { method: 'zscore', sd: 'population' },
  combine: 'sum',
  restandardize: true,
  classes: { method: 'thresholds', breaks: [-1, 1, 1.5], labels: ['hoch', 'mittel', 'niedrig', 'sehr niedrig'] },
  exclude: { minBase: { indicator: 'einwohner', min: 300 }, areas: [{ code: '10100205', reason: 'Ausreißer' }] },
};

describe('templates', () => {
  it('a template with inputs of their own period ("within") takes its period from the others', () => {
    const periods: Record<string, string[]> = {
      seu_kita_dauer: ['2022/23', '2023/24'],
      sprachfoerderbedarf_anteil: ['2022/23', '2023/24'],
      kinderarmut_anteil: ['2023-12-31'],
      hze_quote: ['2023-12-31'],
    };
    const b = applyTemplate(TEMPLATES.bildungsteilhabe, {
      layers: ['grundschulbezirk'],
      fallbackLayer: 'grundschulbezirk',
      periodsOf: (k: string) => periods[k],
    });
    assert.equal(b.period, '2023/24');
    assert.deepEqual(
      decodeDefinition(encodeDefinition(b)),
      { def: normalizeDefinition(b) },
      'component periods survive the permalink',
    );
    assert.equal(normalizeDefinition(b).components[0].period, 'within');
  });
  it('are applied to the data at hand: layer, latest common period, comparison period', () => {
    const periods: Record<string, string[]> = {
      arbeitslose_anteil: ['2018-12-31', '2020-12-31', '2022-12-31', '2023-12-31', '2024-12-31'],
      transferbezug_anteil: ['2020-12-31', '2022-12-31', '2023-12-31', '2024-12-31'],
      kinderarmut_anteil: ['2020-12-31', '2022-12-31', '2023-12-31', '2024-12-31', '2025-12-31'],
    };
    const o = { layers: ['stadtteil', 'block'], fallbackLayer: 'stadtteil', periodsOf: (k: string) => periods[k] };
    const s = applyTemplate(TEMPLATES.status, o);
    assert.equal(s.layer, 'stadtteil', 'planungsraum does not exist here');
    assert.equal(s.period, '2024-12-31', 'the latest period every input has');
    assert.equal(applyTemplate(TEMPLATES.status, { ...o, layer: 'block' }).layer, 'block');
    const d = applyTemplate(TEMPLATES.dynamik, o);
    assert.deepEqual(d.change, { from: '2022-12-31' }, 'two years earlier');
    assert.equal(TEMPLATES.status.layer, 'planungsraum', 'the template itself is unchanged');
  });
  it('common periods and earlier periods', () => {
    assert.deepEqual(
      commonPeriods(['a', 'b', 'x'], (k) => ({ a: ['2021', '2022', '2023'], b: ['2022', '2023', '2024'] })[k]),
      ['2022', '2023'],
    );
    assert.deepEqual(
      commonPeriods([], () => undefined),
      [],
    );
    assert.equal(earlierPeriod(['2020-12-31', '2022-12-31', '2024-12-31'], '2024-12-31', 2), '2022-12-31');
    assert.equal(
      earlierPeriod(['2021-12-31', '2023-12-31', '2024-12-31'], '2024-12-31', 2),
      '2021-12-31',
      'else the period that many steps back',
    );
    assert.equal(earlierPeriod(['2023/24', '2024/25'], '2024/25', 2), '2023/24');
  });
});

describe('the definition in the URL', () => {
  it('compact form drops exactly the server’s defaults', () => {
    const c = compactDefinition(ISSUE_EXAMPLE);
    assert.equal(c.transform, undefined);
    assert.equal(c.combine, undefined);
    assert.equal(c.restandardize, true);
    assert.deepEqual(c.classes, {
      method: 'thresholds',
      breaks: [-1, 1, 1.5],
      labels: ['hoch', 'mittel', 'niedrig', 'sehr niedrig'],
    });
    // The server reads the compact form as the full one.
    assert.deepEqual(parseIndexDefinition(c), parseIndexDefinition(ISSUE_EXAMPLE));
    for (const k of Object.keys(TEMPLATES))
      assert.deepEqual(parseIndexDefinition(compactDefinition(TEMPLATES[k])), parseIndexDefinition(TEMPLATES[k]), k);
  });
  it('keeps non-default choices', () => {
    const d: IndexDefinition = {
      ...ISSUE_EXAMPLE,
      transform: { method: 'zscore', sd: 'sample' },
      combine: 'mean',
      missing: 'mean',
      classes: { method: 'manual', breaks: [0], labels: ['a', 'b'], closed: 'left' },
    };
    const back = decodeDefinition(encodeDefinition(d));
    assert.ok('def' in back);
    assert.deepEqual(parseIndexDefinition(back.def), parseIndexDefinition(d));
  });
  it('round-trips through the URL parameter', () => {
    const text = encodeDefinition(ISSUE_EXAMPLE);
    const url = new URLSearchParams({ def: text }).toString();
    const r = decodeDefinition(new URLSearchParams(url).get('def') ?? '');
    assert.ok('def' in r);
    assert.deepEqual(r.def, normalizeDefinition(ISSUE_EXAMPLE));
    assert.ok(url.length < 2000, `short enough for any browser and server (${url.length})`);
  });
  it('a damaged link gives an error, not a broken form', () => {
    assert.deepEqual(decodeDefinition(undefined), { error: 'empty' });
    assert.deepEqual(decodeDefinition('{"key":"x",'), { error: 'json' });
    assert.deepEqual(decodeDefinition('[1,2]'), { error: 'shape' });
    assert.deepEqual(decodeDefinition('{"layer":"a","period":"2020"}'), { error: 'shape' });
    assert.deepEqual(decodeDefinition('{"layer":"a","period":"2020","components":[7]}'), { error: 'shape' });
    const r = decodeDefinition('{"layer":"a","period":"2020","components":[{"indicator":"x"}]}');
    assert.ok(
      'def' in r && r.def.components[0].weight === 1 && r.def.components[0].direction === 1 && r.def.key === 'index',
    );
  });
});

describe('checks in the browser', () => {
  const codes = (d: IndexDefinition) => checkDefinition(d).map((p) => `${p.field}:${p.code}`);
  it('accepts the issue’s example and the templates', () => {
    assert.deepEqual(checkDefinition(ISSUE_EXAMPLE), []);
    for (const k of Object.keys(TEMPLATES)) assert.deepEqual(checkDefinition(normalizeDefinition(TEMPLATES[k])), [], k);
  });
  it('names the field of each problem, as the server does', () => {
    const bad: IndexDefinition = {
      ...ISSUE_EXAMPLE,
      key: 'Status',
      components: [
        { indicator: 'a', weight: 0, direction: 1 },
        { indicator: 'a', weight: 1, direction: -1 },
      ],
      classes: { method: 'thresholds', breaks: [1, 1], labels: ['x'] },
      exclude: {
        areas: [
          { code: '1', reason: '' },
          { code: '1', reason: 'y' },
        ],
      },
    };
    assert.deepEqual(
      codes(bad).sort(),
      [
        'key:key',
        'components.1.indicator:duplicate',
        'components.0.weight:weight',
        'classes.breaks:breaks',
        'exclude.areas.0.reason:reason',
        'exclude.areas.1.code:duplicateArea',
      ].sort(),
    );
    // The server refuses it too, naming the same fields.
    assert.throws(
      () => parseIndexDefinition(bad),
      (e: Error & { problems?: { column?: string }[] }) => {
        const cols = (e.problems ?? []).map((p) => p.column);
        for (const f of [
          'key',
          'components.1.indicator',
          'components.0.weight',
          'classes.breaks',
          'exclude.areas.0.reason',
          'exclude.areas.1.code',
        ])
          assert.ok(cols.includes(f), `${f} in ${cols.join(',')}`);
        return true;
      },
    );
  });
  it('label counts', () => {
    assert.deepEqual(
      checkDefinition({ ...ISSUE_EXAMPLE, classes: { method: 'thresholds', breaks: [-1, 1], labels: ['a', 'b'] } }),
      [{ field: 'classes.labels', code: 'labels', expected: 3, got: 2 }],
    );
    assert.deepEqual(codes({ ...ISSUE_EXAMPLE, classes: { method: 'quantiles', n: 4, labels: ['a'] } }), [
      'classes.labels:labels',
    ]);
    assert.deepEqual(
      codes({ ...ISSUE_EXAMPLE, classes: { method: 'quantiles', n: 4 } }),
      [],
      'quantiles need no labels',
    );
    assert.deepEqual(codes({ ...ISSUE_EXAMPLE, classes: { method: 'quantiles', n: 1 } }), ['classes.n:quantiles']);
    assert.deepEqual(codes({ ...ISSUE_EXAMPLE, components: [] }), ['components:noComponents']);
    assert.deepEqual(codes({ ...ISSUE_EXAMPLE, change: { from: '2021-12-31' } }), ['change.from:changeFrom']);
  });
});

describe('typed numbers and lists', () => {
  it('German and English decimals, Unicode minus', () => {
    assert.deepEqual(parseNumberList('−1; 1; 1,5'), [-1, 1, 1.5]);
    assert.deepEqual(parseNumberList('-1;1;1.5'), [-1, 1, 1.5]);
    assert.deepEqual(parseNumberList('5 7,5 10'), [5, 7.5, 10]);
    assert.deepEqual(parseNumberList('1.234,5'), [1234.5]);
    assert.equal(parseNumberList('eins; 2'), null);
    assert.equal(parseDecimal(''), null);
    assert.equal(parseDecimal('1,'), 1);
    assert.equal(parseDecimal('–0,25'), -0.25);
    assert.equal(parseDecimal('1e3'), 1000);
  });
  it('formats lists as people write them', () => {
    assert.equal(formatNumberList([-1, 1, 1.5], 'de'), '−1; 1; 1,5');
    assert.equal(formatNumberList([0.1 + 0.2], 'en'), '0.3');
  });
  it('labels', () => {
    assert.deepEqual(parseLabels(' hoch; mittel ;; niedrig; '), ['hoch', 'mittel', 'niedrig']);
  });
});

describe('class colours', () => {
  it('blue below the centre, neutral across it, red above (MSS breaks)', () => {
    const c = classColors(4, [-1, 1, 1.5]);
    assert.equal(c.length, 4);
    assert.match(c[0], /^#(2166ac|4393c3)$/);
    assert.equal(c[1], '#e8e4d8');
    assert.deepEqual(c.slice(2), ['#f4a582', '#b2182b']);
  });
  it('a break exactly at the centre: no neutral class', () => {
    const c = classColors(4, [-1, 0, 1]);
    assert.ok(!c.includes('#e8e4d8'));
    assert.deepEqual(c.slice(0, 2), ['#2166ac', '#92c5de']);
  });
  it('quintiles around zero, and without breaks halves', () => {
    assert.equal(classColors(5, [-0.8, -0.3, 0.3, 0.8])[2], '#e8e4d8');
    assert.equal(classColors(5, null)[2], '#e8e4d8');
    assert.equal(new Set(classColors(9, null)).size, 9, 'distinct colours for many classes');
    assert.deepEqual(classColors(0, null), []);
    assert.deepEqual(classColors(1, null), ['#e8e4d8']);
  });
});

describe('score bins', () => {
  it('nice steps', () => {
    assert.equal(niceStep(0.23), 0.25);
    assert.equal(niceStep(0.4), 0.5);
    assert.equal(niceStep(7), 10);
    assert.equal(niceStep(1.5), 2);
  });
  it('cover every value once; the maximum lands in the last bin', () => {
    const xs = [-1.4, -1, -0.2, 0, 0.3, 1, 1.5, 2.46];
    const bins = scoreBins(xs, 8);
    assert.equal(
      bins.reduce((s, b) => s + b.n, 0),
      xs.length,
    );
    assert.ok(bins[0].x0 <= -1.4 && bins[bins.length - 1].x1 >= 2.46);
    for (let i = 1; i < bins.length; i++) assert.equal(bins[i].x0, bins[i - 1].x1);
    const exact = scoreBins([0, 0.5, 1], 2);
    assert.deepEqual(
      exact.map((b) => b.n),
      [1, 2],
    );
    assert.deepEqual(scoreBins([]), []);
    assert.deepEqual(scoreBins([2, 2]), [{ x0: 1.5, x1: 2.5, n: 2 }]);
  });
});

describe('why is this area red?', () => {
  it('contributions recover the standardised values and add up to the raw score (checked with the server’s computation)', () => {
    const def = parseIndexDefinition({
      ...ISSUE_EXAMPLE,
      exclude: { areas: [] },
      components: [ISSUE_EXAMPLE.components[0], { ...ISSUE_EXAMPLE.components[1], weight: 2, direction: -1 }],
    }) as unknown as IndexDefinition;
    const data = {
      areas: ['a', 'b', 'c', 'd'],
      values: { arbeitslose_anteil: [1, 2, 3, 10], transferbezug_anteil: [5, 3, 8, 1] },
    };
    const r = computeIndex(def as never, data);
    const row = r.rows.find((x) => x.area === 'd')!;
    const { rows, sum } = contributionRows(def, row.contributions!, (k) => ({ arbeitslose_anteil: 'Arbeitslose' })[k]);
    assert.equal(rows[0].name, 'Arbeitslose');
    assert.equal(rows[1].name, 'transferbezug_anteil');
    assert.equal(rows[1].coefficient, -2);
    assert.ok(Math.abs(sum - row.rawScore!) < 1e-12);
    // z-score of area d for arbeitslose (population sd)
    const m = (1 + 2 + 3 + 10) / 4;
    const sd = Math.sqrt([1, 2, 3, 10].reduce((s, x) => s + (x - m) ** 2, 0) / 4);
    assert.ok(Math.abs(rows[0].standardized! - (10 - m) / sd) < 1e-12);
    // A low transfer share with direction −1 and weight 2 pushes the score up most here.
    assert.ok(rows[1].contribution > rows[0].contribution && rows[0].contribution > 0);
    assert.equal(mainDriver(rows)?.indicator, 'transferbezug_anteil');
  });
  it('mean combination divides by the sum of the weights', () => {
    const def: IndexDefinition = {
      ...ISSUE_EXAMPLE,
      combine: 'mean',
      components: [
        { indicator: 'a', weight: 1, direction: 1 },
        { indicator: 'b', weight: 3, direction: 1 },
      ],
    };
    const { rows } = contributionRows(def, { a: 0.5, b: -0.75 }, () => undefined);
    assert.deepEqual(
      rows.map((r) => r.coefficient),
      [0.25, 0.75],
    );
    assert.deepEqual(
      rows.map((r) => r.standardized),
      [2, -1],
    );
    assert.equal(mainDriver(rows)?.indicator, 'a');
    assert.equal(mainDriver([{ ...rows[1] }]), null, 'nothing pushes the score up');
  });
  it('reasons for exclusions become translatable', () => {
    assert.deepEqual(parseExclusion('base einwohner 120 < 300'), {
      kind: 'base',
      indicator: 'einwohner',
      value: 120,
      min: 300,
    });
    assert.deepEqual(parseExclusion('missing base einwohner'), { kind: 'missingBase', indicator: 'einwohner' });
    assert.deepEqual(parseExclusion('missing values for a, b'), { kind: 'missingValues', indicators: ['a', 'b'] });
    assert.deepEqual(parseExclusion('missing value for a'), { kind: 'missingValues', indicators: ['a'] });
    assert.deepEqual(parseExclusion('Ausreißer'), { kind: 'named', reason: 'Ausreißer' });
  });
  it('shaky below 80 %', () => {
    assert.equal(isShaky(0.79), true);
    assert.equal(isShaky(0.8), false);
    assert.equal(isShaky(null), false);
  });
});
