// The HTTP API against a real database: shapes of the answers, OpenAPI, and 4xx (never 500)
// for bad requests.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { buildServer } from '../../src/http/server.ts';
import ExcelJS from 'exceljs';
import { addUser, prepareSetup } from '../../src/services/users.ts';
import { SYSTEM } from '../../src/core/access.ts';

for (const engine of engines) {
  describe(`HTTP API [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let app: FastifyInstance;
    const tmp = tempDir();
    before(async () => {
      db = await openEngine(engine);
      await importAreas(
        db,
        tmp.file(
          'st.geojson',
          featureCollection([
            { code: '01100101', name: 'Stülerstraße', geometry: square(13.35, 52.5, 0.01) },
            { code: '01100102', name: 'Großer Tiergarten', geometry: square(13.36, 52.5, 0.01) },
          ]),
        ),
        { layer: 'planungsraum', layerName: 'Planungsräume' },
      );
      await importCatalogue(db, [
        {
          key: 'einwohner',
          name: 'Einwohner',
          unit: 'Personen',
          type: 'count',
          dimensions: ['altersgruppe'],
          source: 'Melderegister',
          confidentiality: 'public',
          themes: ['Bevölkerung'],
        },
        {
          key: 'anteil_unter6',
          name: 'Anteil unter 6',
          unit: '%',
          type: 'ratio',
          numerator: { indicator: 'einwohner', filter: { altersgruppe: 'unter6' } },
          denominator: { indicator: 'einwohner' },
          scale: 100,
          minBase: 300,
          confidentiality: 'public',
          themes: ['Bevölkerung'],
        },
      ]);
      await importObservations(
        db,
        tmp.file(
          'ew.csv',
          '\uFEFFindicator;area;period;altersgruppe;value\r\neinwohner;01100101;30.06.2022;unter6;169,0\r\neinwohner;01100101;30.06.2022;rest;3334\r\neinwohner;01100102;30.06.2022;unter6;10\r\neinwohner;01100102;30.06.2022;rest;90\r\n',
        ),
      );
      app = await buildServer(db);
    });
    after(async () => {
      await app?.close();
      await db?.close();
      tmp.cleanup();
    });

    test('areas as GeoJSON with code and name in the properties', async () => {
      const r = await app.inject({ url: '/api/layers/planungsraum/areas' });
      assert.equal(r.statusCode, 200);
      assert.match(String(r.headers['content-type']), /geo\+json/);
      const fc = r.json();
      assert.equal(fc.type, 'FeatureCollection');
      assert.deepEqual(
        fc.features.map((f: { properties: { code: string; name: string } }) => [f.properties.code, f.properties.name]),
        [
          ['01100101', 'Stülerstraße'],
          ['01100102', 'Großer Tiergarten'],
        ],
      );
      assert.equal(fc.features[0].geometry.type, 'Polygon');
    });

    test('observations: one value object per area with area, value, base and status', async () => {
      const r = await app.inject({
        url: '/api/observations?indicator=anteil_unter6&layer=planungsraum&period=2022-06-30',
      });
      assert.equal(r.statusCode, 200);
      const body = r.json();
      assert.equal(body.unit, '%');
      assert.equal(body.referenceDate, '2022-06-30');
      assert.deepEqual(
        body.values.map((v: { area: string; value: number | null; base: number; status: string }) => [
          v.area,
          v.value === null ? null : Math.round(v.value * 1000) / 1000,
          v.base,
          v.status,
        ]),
        [
          ['01100101', 4.824, 3503, 'final'],
          ['01100102', null, 100, 'below_min_base'],
        ],
      );
      const f = await app.inject({
        url: '/api/observations?indicator=einwohner&layer=planungsraum&altersgruppe=unter6',
      });
      assert.deepEqual(
        f.json().values.map((v: { value: number }) => v.value),
        [169, 10],
      );
      const csv = await app.inject({ url: '/api/observations?indicator=einwohner&layer=planungsraum&format=csv' });
      assert.equal(csv.statusCode, 200);
      assert.match(csv.body, /^\uFEFFIndikator;Schlüssel;Gebiet;Zeitraum;Wert;Einheit;Basis;Status/);
      assert.match(csv.body, /einwohner;01100101;Stülerstraße;2022-06-30;3503;Personen;/);
      const xlsx = await app.inject({
        url: '/api/observations?indicator=anteil_unter6&layer=planungsraum&format=xlsx',
      });
      assert.equal(xlsx.statusCode, 200);
      assert.match(String(xlsx.headers['content-disposition']), /anteil_unter6_planungsraum_2022-06-30\.xlsx/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('Daten')!;
      assert.equal(sheet.getCell('A2').value, '01100101');
      assert.equal(sheet.getCell('C2').value, 4.8, 'rounded to the indicator’s decimals (issue 15, item 7)');
      assert.equal(sheet.getCell('E3').value, 'unter Mindestbasis');
      assert.ok(wb.getWorksheet('Metadaten'));
    });

    test('time series and profile', async () => {
      const ts = await app.inject({ url: '/api/timeseries?indicator=einwohner&layer=planungsraum&area=01100101' });
      assert.equal(ts.statusCode, 200);
      assert.deepEqual(
        ts.json().points.map((p: { period: string; value: number }) => [p.period, p.value]),
        [['2022-06-30', 3503]],
      );
      const pr = await app.inject({ url: '/api/layers/planungsraum/areas/01100101/profile' });
      assert.equal(pr.statusCode, 200);
      assert.equal(pr.json().area.name, 'Stülerstraße');
    });

    test('OpenAPI 3 document describes the endpoints', async () => {
      const r = await app.inject({ url: '/api/openapi.json' });
      assert.equal(r.statusCode, 200);
      const doc = r.json();
      assert.match(doc.openapi, /^3\./);
      for (const p of [
        '/api/layers',
        '/api/layers/{layer}/areas',
        '/api/indicators',
        '/api/observations',
        '/api/timeseries',
        '/api/layers/{layer}/areas/{area}/profile',
      ]) {
        assert.ok(doc.paths[p], `missing ${p}`);
      }
    });

    test('invalid requests get 4xx with a message, never 500', async () => {
      const cases: [string, number][] = [
        ['/api/observations', 400],
        ['/api/observations?indicator=einwohner', 400],
        ['/api/observations?indicator=EINWOHNER;drop&layer=planungsraum', 400],
        ['/api/observations?indicator=nope&layer=planungsraum', 404],
        ['/api/observations?indicator=einwohner&layer=nope', 404],
        ['/api/observations?indicator=einwohner&layer=planungsraum&period=gestern', 400],
        ['/api/observations?indicator=einwohner&layer=planungsraum&period=1999', 404],
        ['/api/observations?indicator=einwohner&layer=planungsraum&geschlecht=w', 400],
        ['/api/observations?indicator=einwohner&layer=planungsraum&altersgruppe=unter6&altersgruppe=rest', 400],
        ['/api/observations?indicator=anteil_unter6&layer=planungsraum&altersgruppe=unter6', 400],
        ['/api/timeseries?indicator=einwohner&layer=planungsraum&area=999', 404],
        ['/api/layers/nope/areas', 404],
        ['/api/layers/planungsraum/areas?at=soon', 400],
        ['/api/layers/planungsraum/areas?at=1900-01-01', 200],
        ['/api/layers/planungsraum/areas/xx/profile', 404],
        ['/api/indicators/nope', 404],
        ['/api/nothing', 404],
      ];
      for (const [url, status] of cases) {
        const r = await app.inject({ url });
        assert.equal(r.statusCode, status, `${url} → ${r.statusCode} ${r.body}`);
        if (status >= 400) assert.ok(r.json().message, `${url} has a message`);
      }
    });

    test('error answers add the registered code and its parameters to the English message', async () => {
      const cases: [string, string, Record<string, string>, string][] = [
        [
          '/api/observations?indicator=nope&layer=planungsraum',
          'indicator-not-found',
          { indicator: 'nope' },
          'The indicator "nope" does not exist.',
        ],
        [
          '/api/observations?indicator=einwohner&layer=nope',
          'layer-not-found',
          { layer: 'nope' },
          'The layer "nope" does not exist.',
        ],
        [
          '/api/observations?indicator=einwohner&layer=planungsraum&period=1999',
          'period-without-data',
          { period: '1999' },
          'There is no data for the period 1999.',
        ],
        [
          '/api/timeseries?indicator=einwohner&layer=planungsraum&area=999',
          'area-not-found',
          { area: '999', layer: 'planungsraum' },
          'The area 999 does not exist in layer "planungsraum".',
        ],
        [
          '/api/nothing',
          'no-such-resource',
          { method: 'GET', path: '/api/nothing' },
          'No such resource: GET /api/nothing',
        ],
      ];
      for (const [url, code, params, message] of cases) {
        const body = (await app.inject({ url })).json();
        assert.deepEqual(
          { code: body.code, params: body.params, message: body.message },
          { code, params, message },
          url,
        );
        assert.ok(body.error, url);
      }
      const wrong = await app.inject({
        url: '/api/auth/login',
        method: 'POST',
        payload: { user: 'nobody', password: 'not the password' },
      });
      assert.equal(wrong.statusCode, 401);
      assert.deepEqual(wrong.json(), {
        error: 'Unauthorized',
        message: 'Wrong user name or password.',
        code: 'wrong-credentials',
        params: {},
      });
    });

    test('the cockpit configuration is read, validated and saved', async () => {
      assert.deepEqual((await app.inject({ url: '/api/cockpit' })).json(), { tiles: [] });
      await addUser(db, SYSTEM, { name: 'ana', role: 'analyst', password: 'a long enough password' });
      const login = await app.inject({
        url: '/api/auth/login',
        method: 'POST',
        payload: { user: 'ana', password: 'a long enough password' },
      });
      assert.equal(login.statusCode, 200);
      const cookie = String(login.headers['set-cookie']).split(';')[0];
      const headers = { cookie, 'x-csrf-token': login.json().csrfToken };
      const tiles = [
        {
          id: 'g',
          type: 'gauge',
          indicator: 'anteil_unter6',
          layer: 'planungsraum',
          area: '01100101',
          thresholds: { amber: 5, red: 8 },
        },
      ];
      assert.equal(
        (await app.inject({ url: '/api/cockpit', method: 'PUT', payload: { tiles } })).statusCode,
        401,
        'not signed in',
      );
      const ok = await app.inject({ url: '/api/cockpit', method: 'PUT', payload: { tiles }, headers });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual((await app.inject({ url: '/api/cockpit' })).json(), { tiles });
      const bad = await app.inject({
        url: '/api/cockpit',
        method: 'PUT',
        payload: { tiles: [{ ...tiles[0], indicator: 'nope' }] },
        headers,
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().message, /"nope" does not exist/);
      const noThresholds = await app.inject({
        url: '/api/cockpit',
        method: 'PUT',
        payload: { tiles: [{ id: 'g', type: 'gauge', indicator: 'anteil_unter6', layer: 'planungsraum' }] },
        headers,
      });
      assert.equal(noThresholds.statusCode, 400);
      const junk = await app.inject({
        url: '/api/cockpit',
        method: 'PUT',
        payload: 'not json',
        headers: { ...headers, 'content-type': 'application/json' },
      });
      assert.equal(junk.statusCode, 400);
      assert.deepEqual(
        (await app.inject({ url: '/api/cockpit' })).json(),
        { tiles },
        'a rejected save changes nothing',
      );

      // A measures tile: a field of action and target group of the vocabulary, a need on a layer.
      const measures = {
        id: 'm',
        type: 'measures',
        field: 'jugend',
        targetGroup: 'kinder_6_10',
        need: 'anteil_unter6',
        layer: 'planungsraum',
        classes: ['1', '2'],
      };
      const withMeasures = await app.inject({
        url: '/api/cockpit',
        method: 'PUT',
        payload: { tiles: [...tiles, measures] },
        headers,
      });
      assert.equal(withMeasures.statusCode, 200, withMeasures.body);
      assert.deepEqual((await app.inject({ url: '/api/cockpit' })).json(), { tiles: [...tiles, measures] });
      for (const [tile, column, pattern] of [
        [{ ...measures, field: 'fussball' }, 'tiles.0.field', /not a field of action/],
        [{ ...measures, targetGroup: 'alle_kinder' }, 'tiles.0.targetGroup', /not a target group/],
        [{ ...measures, need: 'nope' }, 'tiles.0.need', /"nope" does not exist/],
        [{ ...measures, need: 'priority:nirgends' }, 'tiles.0.need', /no priority areas "nirgends"/],
        [{ ...measures, layer: undefined }, 'tiles.0.layer', /give "layer"/],
        [{ ...measures, need: undefined }, 'tiles.0.classes', /give "need"/],
        [{ ...measures, indicator: 'anteil_unter6' }, 'tiles.0', /indicator/],
      ] as const) {
        const r = await app.inject({ url: '/api/cockpit', method: 'PUT', payload: { tiles: [tile] }, headers });
        assert.equal(r.statusCode, 400, JSON.stringify(tile));
        assert.match(r.json().message, pattern);
        assert.ok(
          r.json().problems.some((x: { column?: string }) => x.column === column),
          `${column}: ${r.body}`,
        );
      }
      assert.deepEqual(
        (await app.inject({ url: '/api/cockpit' })).json(),
        { tiles: [...tiles, measures] },
        'a rejected save changes nothing',
      );
    });

    test('the first admin is created once with the setup secret printed on first start', async () => {
      const secret = await prepareSetup(db);
      assert.ok(secret);
      const body = { token: secret, user: 'chefin', password: 'ein langes Passwort 123' };
      assert.equal(
        (await app.inject({ url: '/api/setup', method: 'POST', payload: { ...body, token: 'guessed' } })).statusCode,
        404,
      );
      assert.equal(
        (await app.inject({ url: '/api/setup', method: 'POST', payload: { ...body, password: 'kurz' } })).statusCode,
        400,
      );
      const ok = await app.inject({ url: '/api/setup', method: 'POST', payload: body });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().user.role, 'admin');
      assert.equal(
        (await app.inject({ url: '/api/setup', method: 'POST', payload: { ...body, user: 'zweiter' } })).statusCode,
        404,
        'the link works once',
      );
      assert.equal(await prepareSetup(db), undefined, 'no new link once an admin exists');
      const login = await app.inject({
        url: '/api/auth/login',
        method: 'POST',
        payload: { user: 'chefin', password: body.password },
      });
      assert.equal(login.statusCode, 200);
    });

    test('security headers are set', async () => {
      const r = await app.inject({ url: '/api/layers' });
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
      assert.match(String(r.headers['content-security-policy']), /frame-ancestors 'none'/);
    });
  });
}
