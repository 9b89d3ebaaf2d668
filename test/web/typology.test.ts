// Typologies in the browser (web/src/lib/typology.ts): the definition as URL parameters and as the
// compact request body (checked against the server's schema), checks, colours of the types, the
// suggested number of types, and the reading of a comparison (checked against the server's
// cross table).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULTS,
  TYPE_COLORS,
  ariVerdict,
  bestMatches,
  checkTypology,
  compactTypology,
  contrastRatio,
  defaultIndicators,
  definitionFromParams,
  definitionParams,
  formatExclusions,
  isClusterable,
  matchedShare,
  normalizeTypology,
  parseExclusions,
  pickTypologyPeriod,
  suggestK,
  textOn,
  typeColor,
  typesOfLineage,
  type TypologyDefinition,
} from '../../web/src/lib/typology.ts';
import { parseTypologyDefinition } from '../../src/core/stats/typology-definition.ts';
import { crossTable, adjustedRandIndex } from '../../src/core/stats/typology.ts';
import { formatRoute, parseRoute, withParams } from '../../web/src/router.ts';

const base: TypologyDefinition = {
  key: 'sozialraum',
  name: 'Sozialraumtypen',
  layer: 'stadtteil',
  period: '2024-12-31',
  indicators: ['arbeitslose_anteil', 'kinderarmut_anteil', 'anteil_65plus'],
  method: 'ward',
  k: 4,
  sd: 'population',
  seed: 1,
  nstart: 10,
  exclude: [],
};

describe('the definition in the URL', () => {
  it('round-trips through readable parameters, defaults left out', () => {
    const def: TypologyDefinition = {
      ...base,
      method: 'kmeans',
      k: 5,
      seed: 7,
      exclude: [{ code: '0101', reason: 'Ausreißer; zu klein: 80 % leer' }],
    };
    const r = withParams({ view: 'typologie', params: {} }, definitionParams(def));
    const url = formatRoute(r);
    assert.match(url, /^\/typologie\?/);
    assert.match(url, /indicators=arbeitslose_anteil,kinderarmut_anteil,anteil_65plus/);
    assert.match(url, /method=kmeans/);
    assert.doesNotMatch(url, /nstart=|sd=/, 'defaults are not written');
    const back = parseRoute(url.split('?')[0], `?${url.split('?')[1]}`);
    assert.deepEqual(definitionFromParams(back.params), def);
  });
  it('fills what is missing or malformed with the defaults', () => {
    const d = definitionFromParams({
      layer: 'block',
      period: '2024-12-31',
      indicators: 'a,b,a',
      k: 'viele',
      method: 'x',
      key: 'Böse Taste',
      seed: '1.5',
    });
    assert.deepEqual(d.indicators, ['a', 'b']);
    assert.equal(d.k, DEFAULTS.k);
    assert.equal(d.method, 'ward');
    assert.equal(d.key, DEFAULTS.key);
    assert.equal(d.seed, DEFAULTS.seed);
    assert.deepEqual(d.exclude, []);
    assert.equal(definitionFromParams({ k: '51' }).k, DEFAULTS.k);
  });
  it('a second definition (prefix v) takes what it does not say from the first', () => {
    const d = definitionFromParams(
      { ...(definitionParams(base) as Record<string, string>), vmethod: 'kmeans', vk: '3' },
      base,
      'v',
    );
    assert.deepEqual({ ...d }, { ...base, method: 'kmeans', k: 3 });
  });
  it('exclusions keep semicolons, colons and percent signs in their reasons', () => {
    const xs = [
      { code: '0101', reason: 'a; b: 5 %' },
      { code: '0202', reason: '%3B' },
    ];
    assert.deepEqual(parseExclusions(formatExclusions(xs)), xs);
    assert.deepEqual(parseExclusions('0101:x;kaputt;:y;0101:doppelt'), [{ code: '0101', reason: 'x' }]);
  });
});

describe('the request body', () => {
  it('is accepted by the server schema and means the same definition (defaults agree)', () => {
    for (const def of [
      base,
      {
        ...base,
        method: 'kmeans' as const,
        seed: 3,
        nstart: 25,
        sd: 'sample' as const,
        exclude: [{ code: '0101', reason: 'Ausreißer' }],
      },
      { ...base, method: 'kmeans' as const },
    ]) {
      const body = compactTypology(def);
      const parsed = parseTypologyDefinition(body);
      assert.deepEqual(normalizeTypology(parsed), def);
    }
    assert.deepEqual(Object.keys(compactTypology(base)), [
      'key',
      'name',
      'layer',
      'period',
      'indicators',
      'method',
      'k',
    ]);
  });
  it('a stored definition (lineage) becomes a complete one; junk gives null', () => {
    assert.deepEqual(
      normalizeTypology({
        key: 'x',
        name: 'X',
        layer: 'stadtteil',
        period: '2024-12-31',
        indicators: ['a', 'b'],
        k: 3,
      }),
      { ...base, key: 'x', name: 'X', indicators: ['a', 'b'], k: 3 },
    );
    assert.equal(normalizeTypology({ layer: 'stadtteil' }), null);
    assert.equal(normalizeTypology('x'), null);
  });
});

describe('checks before asking the server', () => {
  it('names the field of each problem', () => {
    assert.deepEqual(checkTypology(base), []);
    const p = checkTypology({ ...base, key: '9x', name: ' ', indicators: ['a'], period: '', k: 1 });
    assert.deepEqual(
      p.map((x) => x.field),
      ['key', 'name', 'indicators', 'period', 'k'],
    );
    assert.deepEqual(checkTypology({ ...base, k: 6, exclude: [{ code: 'a', reason: 'r' }] }, { areas: 7 }), [
      { code: 'kAreas', field: 'k', n: 6 },
    ]);
    assert.deepEqual(checkTypology({ ...base, k: 5 }, { areas: 7 }), []);
  });
});

describe('defaults from the catalogue', () => {
  const cat = [
    { key: 'einwohner', type: 'count', layers: ['stadtteil', 'block'], periods: ['2023-12-31', '2024-12-31'] },
    { key: 'arbeitslose_anteil', type: 'ratio', layers: ['stadtteil', 'block'], periods: ['2023-12-31', '2024-12-31'] },
    { key: 'kinderarmut_anteil', type: 'ratio', layers: ['stadtteil'], periods: ['2024-12-31'] },
    { key: 'anteil_65plus', type: 'ratio', periods: ['2022-12-31', '2024-12-31'] },
    { key: 'seu_quote', type: 'ratio', layers: ['grundschulbezirk'], periods: ['2024'] },
    { key: 'alt_typ', type: 'value', layers: ['stadtteil'], periods: ['2024-12-31'], lineage: { kind: 'typology' } },
    { key: 'status_klasse', type: 'value', layers: ['stadtteil'], periods: ['2024-12-31'], lineage: { kind: 'index' } },
  ];
  it('prefers the documented example, else the first shares with values on the layer', () => {
    assert.deepEqual(defaultIndicators(cat, 'stadtteil'), [
      'arbeitslose_anteil',
      'kinderarmut_anteil',
      'anteil_65plus',
    ]);
    assert.deepEqual(defaultIndicators(cat, 'grundschulbezirk'), ['anteil_65plus', 'seu_quote']);
    assert.equal(isClusterable(cat[5]), false, 'a saved typology is categorical');
    assert.equal(isClusterable(cat[6]), false, 'so are index classes');
  });
  it('the latest period all chosen indicators share, keeping the current one when possible', () => {
    const periodsOf = (k: string) => cat.find((i) => i.key === k)?.periods;
    assert.equal(pickTypologyPeriod(['arbeitslose_anteil', 'anteil_65plus'], periodsOf), '2024-12-31');
    assert.equal(pickTypologyPeriod(['arbeitslose_anteil', 'einwohner'], periodsOf, '2023-12-31'), '2023-12-31');
    assert.equal(
      pickTypologyPeriod(['arbeitslose_anteil', 'kinderarmut_anteil'], periodsOf, '2023-12-31'),
      '2024-12-31',
    );
    assert.equal(pickTypologyPeriod(['seu_quote', 'kinderarmut_anteil'], periodsOf), '');
  });
});

describe('colours of the types', () => {
  it('nine distinct colours, repeated beyond nine', () => {
    assert.equal(new Set(TYPE_COLORS.map((c) => c.toLowerCase())).size, 9);
    assert.equal(typeColor(1), TYPE_COLORS[0]);
    assert.equal(typeColor(10), TYPE_COLORS[0]);
  });
  it('the type number on an area is readable (≥ 4.5:1) on every colour', () => {
    for (const c of TYPE_COLORS)
      assert.ok(
        contrastRatio(c, textOn(c)) >= 4.5,
        `${c} with ${textOn(c)}: ${contrastRatio(c, textOn(c)).toFixed(2)}`,
      );
    assert.equal(textOn('#ffffff'), '#131525');
    assert.equal(textOn('#000000'), '#ffffff');
    assert.equal(contrastRatio('#000000', '#ffffff').toFixed(0), '21');
  });
});

describe('choosing the number of types', () => {
  it('suggests the k with the highest average silhouette (ties: fewer types)', () => {
    const rows = [
      { k: 2, withinss: 100, explained: 0.4, silhouette: 0.31, height: 9 },
      { k: 3, withinss: 70, explained: 0.58, silhouette: 0.42, height: 6 },
      { k: 4, withinss: 55, explained: 0.67, silhouette: 0.42, height: 3 },
      { k: 5, withinss: 50, explained: 0.7, silhouette: 0.3, height: 2 },
    ];
    assert.equal(suggestK(rows), 3);
    assert.equal(suggestK([]), null);
  });
});

describe('reading a comparison', () => {
  const a = [1, 1, 1, 1, 2, 2, 2, 3, 3, 3];
  const b = [2, 2, 2, 1, 1, 1, 1, 3, 3, null];
  it('best match of each type and the share on the matched diagonal, from the server cross table', () => {
    const t = crossTable(a, b);
    assert.deepEqual(bestMatches(t), [
      { a: 1, b: 2, n: 3, share: 0.75 },
      { a: 2, b: 1, n: 3, share: 1 },
      { a: 3, b: 3, n: 2, share: 1 },
    ]);
    assert.equal(matchedShare(t), 8 / 9);
  });
  it('words for the adjusted Rand index', () => {
    assert.equal(ariVerdict(adjustedRandIndex(a, a)), 'identical');
    assert.equal(ariVerdict(0.7), 'similar');
    assert.equal(ariVerdict(0.4), 'partial');
    assert.equal(ariVerdict(0.15), 'weak');
    assert.equal(ariVerdict(0.02), 'none');
    assert.equal(ariVerdict(-0.1), 'none');
  });
});

describe('saved typologies in the atlas', () => {
  it('the types of a typology indicator come from its lineage; other indicators have none', () => {
    const lineage = {
      kind: 'typology',
      definition: { key: 'x' },
      types: [{ type: 2, n: 5, description: 'b' }, { type: 1, n: 3, description: 'a' }, { n: 1 }],
    };
    assert.deepEqual(typesOfLineage(lineage), [
      { type: 1, description: 'a' },
      { type: 2, description: 'b' },
    ]);
    assert.equal(typesOfLineage({ kind: 'index', labels: ['hoch'] }), null);
    assert.equal(typesOfLineage(null), null);
  });
});
