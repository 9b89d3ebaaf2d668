// OGC API – Features (issue 19) over HTTP against a real server process: the landing page and
// its links, conformance, the OpenAPI document, collections, paging, bbox and bbox-crs, crs,
// datetime picking a boundary version, who sees which collection, disclosure control, and
// bad parameters (400 with a message naming the parameter, never 500).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startOgcServer, BLOCKS, type OgcServer } from '../helpers/ogc-server.ts';
import { SERVED_CRS, CRS84, toCrs, fromCrs, crsLabel } from '../../src/core/ogc.ts';
import { makeTransform } from '../../src/core/geo/crs.ts';

const EPSG = (n: number) => `http://www.opengis.net/def/crs/EPSG/0/${n}`;

interface Feature {
  id: string;
  properties: Record<string, unknown>;
  geometry: { type: string; coordinates: number[][][] };
}
interface Page {
  numberMatched: number;
  numberReturned: number;
  links: { rel: string; href: string; type: string }[];
  features: Feature[];
}

describe('OGC API – Features over HTTP', () => {
  let server: OgcServer;
  let base: string;
  const get = (path: string, token?: string) =>
    fetch(path.startsWith('http') ? path : `${base}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
  const json = async (path: string, token?: string) => {
    const r = await get(path, token);
    const body = await r.text();
    assert.equal(r.status, 200, `${path}: ${body}`);
    return JSON.parse(body);
  };

  before(async () => {
    server = await startOgcServer();
    base = `${server.base}/ogc`;
  });
  after(async () => {
    await server?.stop();
  });

  test('the landing page links the API definition, the conformance classes and the collections', async () => {
    for (const path of ['', '/', '?f=json']) {
      const r = await get(path);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
      const landing = await r.json();
      const rel = (name: string) => landing.links.find((l: { rel: string }) => l.rel === name);
      assert.equal(rel('service-desc').type, 'application/vnd.oai.openapi+json;version=3.0');
      assert.equal(rel('service-desc').href, `${base}/api`);
      assert.equal(rel('conformance').href, `${base}/conformance`);
      assert.equal(rel('data').href, `${base}/collections`);
      assert.equal(rel('data').type, 'application/json');
      assert.ok(rel('self'));
    }
    const conf = await json('/conformance');
    for (const c of [
      'ogcapi-features-1/1.0/conf/core',
      'ogcapi-features-1/1.0/conf/geojson',
      'ogcapi-features-1/1.0/conf/oas30',
      'ogcapi-features-2/1.0/conf/crs',
    ]) {
      assert.ok(conf.conformsTo.includes(`http://www.opengis.net/spec/${c}`), c);
    }
    const api = await get('/api');
    assert.equal(api.headers.get('content-type'), 'application/vnd.oai.openapi+json;version=3.0');
    const doc = await api.json();
    assert.match(doc.openapi, /^3\.0\./);
    const limit = doc.paths['/collections/{collectionId}/items'].get.parameters.find(
      (p: { name: string }) => p.name === 'limit',
    );
    assert.deepEqual([limit.schema.default, limit.schema.maximum, limit.schema.minimum], [100, 10000, 1]);
  });

  test('collections: every layer, every boundary version and the public indicators, each with its CRSs', async () => {
    const list = await json('/collections');
    const ids = list.collections.map((c: { id: string }) => c.id);
    assert.deepEqual(ids, [
      'bezirk',
      'bezirk-initial',
      'bezirk-2022-01-01',
      'block',
      'block-initial',
      'einwohner.block',
    ]);
    for (const c of list.collections) {
      assert.deepEqual(c.crs, [...SERVED_CRS], c.id);
      assert.equal(c.crs[0], CRS84);
      for (const n of [25832, 25833, 31467, 3857]) assert.ok(c.crs.includes(EPSG(n)), `${c.id} offers EPSG:${n}`);
      assert.equal(c.storageCrs, CRS84);
      const items = c.links.find((l: { rel: string }) => l.rel === 'items');
      assert.equal(items.type, 'application/geo+json');
      assert.equal(items.href, `${base}/collections/${c.id}/items`);
      assert.equal(c.extent.spatial.crs, CRS84);
    }
    const one = await json('/collections/bezirk-initial');
    assert.deepEqual(one.extent.spatial.bbox, [[15, 52, 15.2, 52.1]]);
    assert.deepEqual(one.extent.temporal.interval, [[null, '2022-01-01T00:00:00Z']]);
    const ind = await json('/collections/einwohner.block');
    assert.deepEqual(ind.indicator.periods, ['2023', '2024']);
    assert.equal(ind.indicator.unit, 'Personen');
  });

  test('paging: numberMatched, numberReturned and next links through every feature', async () => {
    let url: string | undefined = '/collections/block/items?limit=10';
    const seen: string[] = [];
    let pages = 0;
    while (url) {
      const r = await get(url);
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /^application\/geo\+json/);
      assert.equal(r.headers.get('content-crs'), `<${CRS84}>`);
      const page = (await r.json()) as Page;
      assert.equal(page.numberMatched, BLOCKS);
      assert.equal(page.numberReturned, page.features.length);
      seen.push(...page.features.map((f) => f.id));
      pages++;
      const next = page.links.find((l) => l.rel === 'next');
      if (next) assert.equal(next.type, 'application/geo+json');
      url = next?.href;
    }
    assert.equal(pages, 3);
    assert.equal(new Set(seen).size, BLOCKS);
    const all = (await json('/collections/block/items')) as Page;
    assert.equal(all.numberReturned, BLOCKS, 'the default limit (100) covers the layer');
    assert.ok(!all.links.some((l) => l.rel === 'next'));
    const last = (await json('/collections/block/items?limit=10&offset=20')) as Page;
    assert.equal(last.numberReturned, 5);
    assert.ok(last.links.some((l) => l.rel === 'prev'));
    const single = await get('/collections/block/items/B07');
    assert.equal(single.status, 200);
    const f = await single.json();
    assert.equal(f.id, 'B07');
    assert.equal(f.properties.name, 'Block 7');
    assert.ok(f.links.some((l: { rel: string }) => l.rel === 'collection'));
  });

  test('bbox in CRS84 and in EPSG:25833 (bbox-crs) selects the features whose box it meets', async () => {
    const ids = async (q: string) => ((await json(`/collections/block/items?${q}`)) as Page).features.map((f) => f.id);
    assert.deepEqual(await ids('bbox=15.001,52.001,15.019,52.019'), ['B01']);
    assert.deepEqual(await ids('bbox=15.03,52.001,15.05,52.019'), ['B02', 'B03']);
    const m = await json('/collections/block/items?bbox=15.001,52.001,15.019,52.019&limit=1');
    assert.equal(m.numberMatched, 1);
    // Inside B01, in metres of UTM zone 33.
    assert.deepEqual(await ids(`bbox=500400,5761600,501000,5762600&bbox-crs=${encodeURIComponent(EPSG(25833))}`), [
      'B01',
    ]);
    assert.deepEqual(await ids('bbox=500400,5761600,501000,5762600&bbox-crs=EPSG:25833'), ['B01']);
    // Gauss-Krüger zone 3 is northing first: the box is given as N,E,N,E.
    const [n, e] = toCrs(EPSG(31467))(15.01, 52.01);
    assert.deepEqual(
      await ids(`bbox=${n - 100},${e - 100},${n + 100},${e + 100}&bbox-crs=${encodeURIComponent(EPSG(31467))}`),
      ['B01'],
    );
    assert.deepEqual(await ids('bbox=8,50,8.1,50.1'), []);
  });

  test('crs: coordinates in EPSG:25833 (a known point), in axis order for EPSG:31467, with Content-Crs', async () => {
    const r = await get(`/collections/block/items/B01?crs=${encodeURIComponent(EPSG(25833))}`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-crs'), `<${EPSG(25833)}>`);
    const f = await r.json();
    // lon 15, lat 52 lies on zone 33's central meridian: E 500000, N 5761038.21.
    assert.deepEqual(f.geometry.coordinates[0][0], [500000, 5761038.21]);
    assert.equal(f.crs.properties.name, 'urn:ogc:def:crs:EPSG::25833');
    for (const n of [25832, 3857, 31467]) {
      const page = await get(`/collections/bezirk/items?crs=${encodeURIComponent(EPSG(n))}&limit=1`);
      assert.equal(page.headers.get('content-crs'), `<${EPSG(n)}>`);
      const [x, y] = ((await page.json()) as Page).features[0].geometry.coordinates[0][0];
      if (n === 31467) assert.ok(x > 5_700_000 && y > 3_000_000 && y < 4_000_000, `northing first: ${x}, ${y}`);
      else assert.ok(x < y, `easting first: ${x}, ${y}`);
    }
    const wgs = ((await json('/collections/block/items?limit=1')) as Page).features[0];
    assert.deepEqual(wgs.geometry.coordinates[0][0], [15, 52]);
  });

  test('the output transforms agree with the import transforms of core/geo/crs.ts', () => {
    for (const uri of SERVED_CRS) {
      if (uri === CRS84) continue;
      const forward = toCrs(uri);
      const back = fromCrs(uri);
      const importTransform = makeTransform(crsLabel(uri));
      for (const [lon, lat] of [
        [6.1, 47.4],
        [9.99, 53.55],
        [13.4, 52.5],
        [15, 52],
      ]) {
        const [a, b] = forward(lon, lat);
        const [lon2, lat2] = back(a, b);
        assert.ok(Math.abs(lon2 - lon) < 1e-6 && Math.abs(lat2 - lat) < 1e-6, `${uri} round trip`);
        // core/geo/crs.ts takes easting, northing.
        const [lon3, lat3] = uri === EPSG(31467) ? importTransform(b, a) : importTransform(a, b);
        assert.ok(
          Math.abs(lon3 - lon) < 1e-6 && Math.abs(lat3 - lat) < 1e-6,
          `${uri}: ${lon3},${lat3} vs ${lon},${lat}`,
        );
      }
    }
  });

  test('datetime picks the boundary version valid then', async () => {
    const ids = async (path: string) => ((await json(path)) as Page).features.map((f) => f.id);
    assert.deepEqual(await ids('/collections/bezirk/items'), ['01', '02', '03']);
    assert.deepEqual(await ids('/collections/bezirk/items?datetime=2021-06-01'), ['01', '02']);
    assert.deepEqual(await ids('/collections/bezirk/items?datetime=2021-12-31T23:59:59Z'), ['01', '02']);
    assert.deepEqual(await ids('/collections/bezirk/items?datetime=2022-01-01'), ['01', '02', '03']);
    assert.deepEqual(await ids('/collections/bezirk-initial/items'), ['01', '02']);
    assert.deepEqual(await ids('/collections/bezirk-initial/items?datetime=2023-01-01'), []);
    assert.deepEqual(await ids('/collections/bezirk-2022-01-01/items?datetime=2023-01-01'), ['01', '02', '03']);
    const old = await json('/collections/bezirk/items?datetime=2021-06-01');
    assert.equal(old.features[0].properties.valid_to, '2022-01-01');
    assert.equal((await get('/collections/bezirk/items/03?datetime=2021-06-01')).status, 404);
    assert.equal((await get('/collections/bezirk/items/03?datetime=2022-06-01')).status, 200);
  });

  test('access: public anonymous, internal with a token, restricted invisible to others (404)', async () => {
    const ids = async (token?: string) =>
      (await json('/collections', token)).collections.map((c: { id: string }) => c.id);
    const anonymous = await ids();
    assert.ok(!anonymous.includes('intern_faelle.bezirk') && !anonymous.includes('geheim_faelle.bezirk'));
    const viewer = await ids(server.tokens.viewer);
    assert.ok(viewer.includes('intern_faelle.bezirk'));
    assert.ok(!viewer.includes('geheim_faelle.bezirk'));
    const jugend = await ids(server.tokens.jugend);
    assert.ok(jugend.includes('intern_faelle.bezirk') && jugend.includes('geheim_faelle.bezirk'));

    for (const path of ['/collections/intern_faelle.bezirk', '/collections/intern_faelle.bezirk/items']) {
      const r = await get(path);
      assert.equal(r.status, 401, path);
      assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer/);
      assert.equal((await get(path, server.tokens.viewer)).status, 200);
    }
    const internal = (await json('/collections/intern_faelle.bezirk/items', server.tokens.viewer)) as Page;
    assert.deepEqual(
      internal.features.map((f) => f.properties.value),
      [5, 7, 9],
    );

    const missing = await (await get('/collections/nichts_da.bezirk')).json();
    for (const token of [undefined, server.tokens.viewer]) {
      for (const path of [
        '/collections/geheim_faelle.bezirk',
        '/collections/geheim_faelle.bezirk/items',
        '/collections/geheim_faelle.bezirk/items/01',
      ]) {
        const r = await get(path, token);
        assert.equal(r.status, 404, `${path} ${token ? 'viewer' : 'anonymous'}`);
        const body = await r.json();
        assert.equal(
          body.message.replace('geheim_faelle', 'nichts_da'),
          missing.message,
          'a restricted collection looks like one that does not exist',
        );
      }
    }
    const reads = async () =>
      (await json(`${server.base}/api/audit?actor=jugend&action=read`, server.tokens.admin)).entries.length as number;
    const before = await reads();
    await json('/collections', server.tokens.jugend);
    await json('/collections/geheim_faelle.bezirk', server.tokens.jugend);
    const secret = (await json('/collections/geheim_faelle.bezirk/items', server.tokens.jugend)) as Page;
    assert.deepEqual(
      secret.features.map((f) => f.properties.value),
      [4, 6, 8],
    );
    assert.equal((await reads()) - before, 1, 'reading the restricted values is in the audit trail, once');
    assert.equal((await get('/collections/nichts_da/items')).status, 404);
    assert.equal((await get('/collections/block-1999-01-01/items')).status, 404);
    // An id longer than the router's limit for a path parameter still reaches the service.
    const long = `${'a'.repeat(70)}.${'b'.repeat(70)}`;
    assert.equal(
      (await (await get(`/collections/${long}/items`)).json()).message,
      `The collection "${long}" does not exist.`,
    );
    // Unknown paths under the prefix: JSON 404s, not the web app.
    for (const path of [
      '/nothing',
      `/collections/${'a'.repeat(400)}`,
      `/collections/${'a'.repeat(400)}/items`,
      '/collections/block/things',
      '/collections/block/items/B01/more',
    ]) {
      const r = await get(path);
      assert.equal(r.status, 404, path);
      assert.match(r.headers.get('content-type') ?? '', /^application\/json/, path);
    }
  });

  test('disclosure control: suppressed values never reach the public; signed-in readers see them marked', async () => {
    const r = await get('/collections/einwohner.block/items?period=2024');
    const text = await r.text();
    const page = JSON.parse(text) as Page;
    const by = new Map(page.features.map((f) => [f.id, f.properties]));
    for (const [code, value] of Object.entries(server.protectedValues)) {
      const p = by.get(code)!;
      assert.equal(p.value, null, `${code} reached the public`);
      assert.equal(p.base, null);
      assert.equal(p.status, 'suppressed');
      assert.equal(p.symbol, '.');
      assert.notEqual(value, null);
    }
    const suppressed = page.features.filter((f) => f.properties.status === 'suppressed').map((f) => f.id);
    assert.ok(suppressed.length >= 2);
    // Nothing in the public answer reveals a suppressed block's value (the rest are 13 and up).
    assert.ok(page.features.every((f) => f.properties.value === null || (f.properties.value as number) >= 13));
    assert.match(text, /"value":13\.0/, 'values are written as decimals');
    for (const code of suppressed) {
      const one = await (await get(`/collections/einwohner.block/items/${code}?period=2024`)).json();
      assert.equal(one.properties.value, null);
    }
    const signedIn = (await json('/collections/einwohner.block/items?period=2024', server.tokens.viewer)) as Page;
    const b01 = signedIn.features.find((f) => f.id === 'B01')!.properties;
    assert.equal(b01.value, 1);
    assert.equal(b01.disclosure, 'primary');
    const p2023 = (await json('/collections/einwohner.block/items?period=2023&limit=1')) as Page;
    assert.equal(p2023.features[0].properties.value, 101);
    assert.equal(p2023.features[0].properties.unit, 'Personen');
    assert.equal(p2023.features[0].properties.period, '2023');
    // period (and datetime) are accepted where they mean nothing: GDAL repeats OAPIF:…/ogc?period=… on every request.
    assert.equal((await get('/collections?period=2023&datetime=2021-01-01')).status, 200);
    assert.equal((await get('/collections/block?period=2023')).status, 200);
    assert.equal(((await json('/collections/block/items?period=2023')) as Page).numberMatched, BLOCKS);
    const latest = (await json('/collections/einwohner.block/items?limit=1')) as Page;
    assert.equal(latest.features[0].properties.period, '2024', 'the latest period by default');
  });

  test('larger answers are compressed for clients that accept it, with the same content', async () => {
    const path = `${base}/collections/einwohner.block/items?period=2024`;
    const plain = await fetch(path, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(plain.headers.get('content-encoding'), null);
    const expected = await plain.json();
    for (const token of [undefined, server.tokens.viewer]) {
      for (const encoding of ['gzip', 'br', 'gzip']) {
        const r = await fetch(path, {
          headers: { 'accept-encoding': encoding, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('content-encoding'), encoding);
        assert.equal(r.headers.get('content-crs'), `<${CRS84}>`);
        const body = await r.json();
        if (!token) assert.deepEqual({ ...body, timeStamp: 0 }, { ...expected, timeStamp: 0 }, encoding);
        else
          assert.equal(
            body.features.find((f: Feature) => f.id === 'B01').properties.value,
            1,
            'the signed-in answer is not the public one',
          );
      }
    }
  });

  test('bad parameters: 400 with a message naming the parameter, never 500', async () => {
    const cases: [string, RegExp][] = [
      ['/collections/block/items?limit=0', /limit/],
      ['/collections/block/items?limit=abc', /limit/],
      ['/collections/block/items?limit=10001', /limit/],
      ['/collections/block/items?limit=1&limit=2', /limit/],
      ['/collections/block/items?offset=-1', /offset/],
      ['/collections/block/items?bbox=1,2,3', /bbox/],
      ['/collections/block/items?bbox=a,b,c,d', /bbox/],
      ['/collections/block/items?bbox=15,53,15.1,52', /bbox/],
      ['/collections/block/items?bbox=500000,5761000,501000,5762000', /bbox-crs/],
      ['/collections/block/items?bbox-crs=EPSG:25833', /bbox-crs/],
      ['/collections/block/items?bbox=1,2,3,4&bbox-crs=EPSG:9999', /bbox-crs/],
      ['/collections/block/items?crs=EPSG:4326', /crs/],
      ['/collections/block/items?crs=nonsense', /crs/],
      ['/collections/block/items?datetime=2021-13-01', /datetime/],
      ['/collections/block/items?datetime=2021-01-01/2022-01-01', /datetime/],
      ['/collections/block/items?datetime=yesterday', /datetime/],
      ['/collections/block/items?datetime=2021-06-01T25:00:00Z', /datetime/],
      ['/collections/block/items?foo=1', /foo/],
      ['/collections?period=xyz', /period/],
      ['/collections?datetime=2021-13-01', /datetime/],
      ['/collections/einwohner.block/items?period=xyz', /period/],
      ['/collections/einwohner.block/items?period=1999', /period/],
      ['/collections/block/items?f=html', /\bf\b/],
      ['/collections/block/items/B01?limit=3', /limit/],
      ['/collections?bbox=1,2,3,4', /bbox/],
      ['/collections/block?crs=EPSG:25832', /crs/],
      ['/collections/block/items/%E0%A4%A', /percent-encoding|not a valid url/],
    ];
    for (const [path, mention] of cases) {
      const r = await get(path);
      const body = await r.text();
      assert.equal(r.status, 400, `${path}: ${r.status} ${body}`);
      const message = JSON.parse(body).message as string;
      assert.match(message, mention, `${path}: ${message}`);
    }
  });
});
