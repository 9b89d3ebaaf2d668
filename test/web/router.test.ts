// View state in the URL: parsing and formatting permalinks (web/src/router.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseRoute,
  formatRoute,
  withParams,
  listParam,
  joinList,
  filterFromParams,
  dropFilters,
  parseZoom,
  formatZoom,
} from '../../web/src/router.ts';

describe('routes', () => {
  it('view from the path, state from the query string', () => {
    const r = parseRoute('/atlas', '?indicator=anteil_unter6&layer=stadtteil&period=2024-12-31&geschlecht=w');
    assert.equal(r.view, 'atlas');
    assert.deepEqual(r.params, {
      indicator: 'anteil_unter6',
      layer: 'stadtteil',
      period: '2024-12-31',
      geschlecht: 'w',
    });
  });
  it('the root is the start page, old atlas links at the root open the atlas, unknown paths "Seite nicht gefunden" (issue 15, items 11 and 12)', () => {
    assert.equal(parseRoute('/', '').view, 'start');
    assert.equal(parseRoute('/', '?lang=en').view, 'start');
    assert.deepEqual(parseRoute('/', '?indicator=kinderarmut_anteil&layer=stadtteil'), {
      view: 'atlas',
      params: { indicator: 'kinderarmut_anteil', layer: 'stadtteil' },
    });
    assert.equal(formatRoute({ view: 'start', params: { lang: 'en' } }), '/?lang=en');
    assert.equal(formatRoute({ view: 'start', params: {} }), '/');
    assert.equal(parseRoute('/gibtsnicht/x', '').view, 'nichtgefunden');
    assert.equal(parseRoute('/profil/', '?area=0101').view, 'profil');
  });
  it('formats a stable, readable permalink', () => {
    const href = formatRoute({
      view: 'atlas',
      params: { zoom: '2,10,5', geschlecht: 'w', period: '2023/24', indicator: 'x', lang: 'en', breaks: '5;7.5' },
    });
    assert.equal(href, '/atlas?lang=en&indicator=x&period=2023/24&breaks=5;7.5&zoom=2,10,5&geschlecht=w');
  });
  it('round-trips', () => {
    const params = {
      indicator: 'einwohner',
      layer: 'stadtbezirk',
      areas: '01,02',
      altersgruppe: '65_80',
      q: 'Alt stadt',
      sort: 'value:desc',
    };
    const href = formatRoute({ view: 'zeitreihe', params });
    const [path, search] = href.split('?');
    assert.deepEqual(parseRoute(path, `?${search}`), { view: 'zeitreihe', params });
  });
  it('withParams changes, adds and removes parameters', () => {
    const r = { view: 'atlas' as const, params: { indicator: 'a', period: '2020', zoom: '2,0,0' } };
    assert.deepEqual(withParams(r, { period: '2021', zoom: null, layer: 'block' }), {
      view: 'atlas',
      params: { indicator: 'a', period: '2021', layer: 'block' },
    });
    assert.deepEqual(withParams(r, { area: '0101' }, 'profil').view, 'profil');
    assert.deepEqual(r.params.period, '2020', 'the original route is unchanged');
  });
  it('empty parameters are dropped', () => {
    assert.equal(formatRoute({ view: 'cockpit', params: { edit: '' } }), '/cockpit');
    assert.deepEqual(parseRoute('/atlas', '?q=&k=5').params, { k: '5' });
  });
});

describe('parameter helpers', () => {
  it('lists', () => {
    assert.deepEqual(listParam('0101, 0102,,0101'), ['0101', '0102']);
    assert.deepEqual(listParam(undefined), []);
    assert.equal(joinList(['a', 'b', 'a']), 'a,b');
  });
  it('dimension filters are the indicator’s own dimensions only', () => {
    const p = { indicator: 'einwohner', altersgruppe: '65_80', geschlecht: 'w', layer: 'x' };
    assert.deepEqual(filterFromParams(p, ['altersgruppe']), { altersgruppe: '65_80' });
    assert.deepEqual(dropFilters(p, ['altersgruppe', 'geschlecht', 'schulform'], ['geschlecht']), {
      indicator: 'einwohner',
      geschlecht: 'w',
      layer: 'x',
    });
  });
  it('zoom', () => {
    assert.deepEqual(parseZoom('2.5,-100,40.25'), { k: 2.5, x: -100, y: 40.25 });
    assert.equal(parseZoom('0,1,1'), null);
    assert.equal(parseZoom('a,b,c'), null);
    assert.equal(parseZoom(undefined), null);
    assert.equal(formatZoom({ k: 2.123456, x: -10.04, y: 3 }), '2.123,-10,3');
  });
});

describe('views of issues #4–#6', () => {
  it('index builder, congruence, administration and account have their own paths', () => {
    for (const v of ['index', 'kongruenz', 'verwaltung', 'konto'] as const)
      assert.equal(parseRoute(`/${v}`, '').view, v);
    assert.equal(parseRoute('/index.html', '').view, 'start');
  });
  it('the index definition comes last in a permalink and survives the round trip', () => {
    const def = JSON.stringify({
      key: 'status',
      layer: 'block',
      period: '2024-12-31',
      components: [{ indicator: 'a', weight: 1, direction: -1 }],
    });
    const href = formatRoute({ view: 'index', params: { def, area: '01010001', sens: '1', lang: 'en' } });
    assert.match(href, /^\/index\?lang=en&area=01010001&sens=1&def=/);
    const [path, search] = href.split('?');
    assert.equal(parseRoute(path, `?${search}`).params.def, def);
  });
  it('congruence references keep the @ of a boundary version', () => {
    const href = formatRoute({
      view: 'kongruenz',
      params: { b: 'stadtteil@2020-12-31', a: 'wahlbezirk', weights: 'area' },
    });
    assert.equal(href, '/kongruenz?a=wahlbezirk&b=stadtteil@2020-12-31&weights=area');
    assert.equal(parseRoute('/kongruenz', href.split('?')[1]).params.b, 'stadtteil@2020-12-31');
  });
});
