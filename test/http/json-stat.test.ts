// format=json-stat on /api/observations and /api/timeseries, on the demo city, read with
// jsonstat-toolkit: the cube has one value per cell, every value equals the JSON answer's, a
// withheld value is null with its symbol, rights and bad input answer as on the JSON route.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import JSONstat, { type JsonStatInstance } from 'jsonstat-toolkit';
import type { Database } from '../../src/store/db.ts';
import type { ObservationsAnswer, TimeSeriesAnswer } from '../../src/contracts/answers/index.ts';
import { ANONYMOUS, SYSTEM } from '../../src/core/access.ts';
import { addUser } from '../../src/services/users.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { exportObservations } from '../../src/services/export.ts';
import { buildServer } from '../../src/http/server.ts';
import { assertJsonStatShape } from '../helpers/json-stat-shape.ts';

const product = (size: number[]) => size.reduce((a, b) => a * b, 1);
const PASSWORD = 'correct horse battery staple';

for (const engine of engines) {
  describe(`JSON-stat answers [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let app: FastifyInstance;
    before(async () => {
      db = await openEngine(engine);
      await loadDemo(db);
      await addUser(db, SYSTEM, { name: 'owner', role: 'steward', department: 'soziales', password: PASSWORD });
      app = await buildServer(db);
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    /** The JSON answer and the JSON-stat answer of the same query, the latter read by the toolkit. */
    async function both<T>(
      path: string,
      query: string,
    ): Promise<{ json: T; ds: JsonStatInstance; raw: Record<string, unknown> }> {
      const j = await app.inject({ url: `${path}?${query}` });
      assert.equal(j.statusCode, 200, j.body);
      const s = await app.inject({ url: `${path}?${query}&format=json-stat` });
      assert.equal(s.statusCode, 200, s.body);
      assert.match(String(s.headers['content-type']), /^application\/json/);
      const raw = s.json();
      assertJsonStatShape(raw);
      assert.equal(raw.version, '2.0');
      assert.equal(raw.class, 'dataset');
      const ds = JSONstat(raw);
      assert.equal(ds.class, 'dataset');
      assert.equal(ds.value.length, product(ds.size), 'value count = product of the dimension sizes');
      assert.equal(ds.n, product(ds.size));
      assert.deepEqual(ds.id, raw.id);
      return { json: j.json() as T, ds, raw };
    }

    test('observations with a breakdown filter: every value round-trips by area and period', async () => {
      const { json, ds, raw } = await both<ObservationsAnswer>(
        '/api/observations',
        'indicator=einwohner&layer=stadtteil&geschlecht=w',
      );
      assert.ok(json.values.length > 20);
      assert.deepEqual(ds.size, [1, 1, 1, json.values.length + 1]);
      assert.deepEqual(
        ds.Dimension({ role: 'geo' }).map((d) => d.label),
        [json.layer.name],
      );
      for (const v of json.values) {
        const cell = ds.Data({ indicator: 'einwohner', geschlecht: 'w', period: json.period.key, area: v.area });
        assert.equal(cell?.value, v.value, v.area);
        assert.equal(typeof ds.Dimension('area')!.id[0], 'string');
      }
      // Area codes in the answer's order, then the city total.
      assert.deepEqual(ds.Dimension('area')!.id, [...json.values.map((v) => v.area), '_T']);
      assert.equal(ds.Data({ area: '_T' })!.value, json.city.value);
      // Unit, source, reference date, filter and boundary version.
      assert.equal(ds.Dimension('indicator')!.Category('einwohner')!.unit!.label, json.unit);
      assert.equal(ds.source, json.source);
      assert.ok(json.source);
      const ext = ds.extension!;
      assert.equal(ext.source, json.source);
      assert.equal(ext.unit, json.unit);
      assert.equal(ext.referenceDate, json.referenceDate);
      assert.equal(ext.periodType, json.period.type);
      assert.deepEqual(ext.filter, { geschlecht: 'w' });
      assert.deepEqual(ext.boundaries, json.layer.version);
      // Links stay on this origin: the anonymous answer is kept by request target alone.
      const link = raw.link as Record<string, { href: string }[]>;
      assert.match(link.self[0].href, /^\/api\/observations\?.*format=json-stat/);
      assert.match(link.alternate[0].href, /^\/api\/observations\?.*format=csv/);
      assert.ok(!JSON.stringify(link).includes('localhost'));
      assert.equal((await app.inject({ url: link.alternate[0].href })).statusCode, 200);
    });

    test('withheld values are null with their symbol, never 0, exactly where the JSON answer has none', async () => {
      const { json, ds } = await both<ObservationsAnswer>(
        '/api/observations',
        'indicator=transferbezug_unter15&layer=block&period=2024-12-31',
      );
      const withheld = json.values.filter((v) => v.status === 'suppressed');
      assert.ok(withheld.length >= 3, `the demo withholds blocks from the public (${withheld.length})`);
      for (const v of withheld) {
        assert.deepEqual(ds.Data({ area: v.area }), { value: null, status: '.' }, v.area);
      }
      const codes = ds.extension!.statusCode as string[];
      json.values.forEach((v, i) => {
        assert.equal(codes[i], v.status);
        assert.equal(ds.value[i], v.value, v.area);
      });
      assert.ok(!('disclosure' in ds.extension!), 'the public is not told primary or secondary');
      assert.ok(
        ds.note!.some((n) => n.startsWith('. ')),
        'the legend explains the symbol',
      );
    });

    test('the owning department sees protected values, marked in extension.disclosure as in the JSON', async () => {
      const login = await app.inject({
        url: '/api/auth/login',
        method: 'POST',
        payload: { user: 'owner', password: PASSWORD },
      });
      assert.equal(login.statusCode, 200, login.body);
      const headers = { cookie: String(login.headers['set-cookie']).split(';')[0] };
      const url = '/api/observations?indicator=transferbezug_unter15&layer=block&period=2024-12-31';
      const json = (await app.inject({ url, headers })).json() as ObservationsAnswer;
      const s = await app.inject({ url: `${url}&format=json-stat`, headers });
      assert.equal(s.statusCode, 200);
      assertJsonStatShape(s.json());
      const ds = JSONstat(s.json());
      const marked = json.values.filter((v) => v.disclosure);
      assert.ok(marked.length >= 3, `the owner sees protected blocks (${marked.length})`);
      const disclosure = ds.extension!.disclosure as (string | null)[];
      json.values.forEach((v, i) => {
        assert.equal(ds.value[i], v.value, v.area);
        assert.equal(disclosure[i], v.disclosure ?? null, v.area);
      });
    });

    test('time series: one area, every period, boundary changes noted', async () => {
      const { json, ds } = await both<TimeSeriesAnswer>(
        '/api/timeseries',
        'indicator=einwohner&layer=stadtteil&area=0101',
      );
      assert.ok(json.points.length >= 5);
      assert.deepEqual(ds.size, [1, 1, json.points.length]);
      assert.deepEqual(
        ds.Dimension('period')!.id,
        json.points.map((p) => p.period),
      );
      assert.equal(ds.Dimension('period')!.role, 'time');
      for (const p of json.points) assert.equal(ds.Data({ area: '0101', period: p.period })?.value, p.value, p.period);
      assert.deepEqual(
        ds.extension!.boundaryChange,
        json.points.map((p) => p.boundaryChange),
      );
      const breaks = json.points.filter((p) => p.boundaryChange).length;
      assert.ok(breaks >= 1, "the demo city's Stadtteile change their boundaries once");
      assert.equal(ds.note!.filter((n) => n.startsWith('Gebietsstandsänderung')).length, breaks);
      const en = JSONstat(
        (
          await app.inject({
            url: '/api/timeseries?indicator=einwohner&layer=stadtteil&area=0101&format=json-stat&lang=en',
          })
        ).json(),
      );
      assert.equal(en.Dimension('period')!.label, 'Period');
      assert.deepEqual(en.value, ds.value);
      const bezirk = await both<TimeSeriesAnswer>(
        '/api/timeseries',
        'indicator=arbeitslose_anteil&layer=stadtbezirk&area=03',
      );
      for (const p of bezirk.json.points) assert.equal(bezirk.ds.Data({ period: p.period })?.value, p.value);
      assert.equal(bezirk.ds.Dimension('indicator')!.Category('arbeitslose_anteil')!.unit!.label, bezirk.json.unit);
    });

    test('rights: internal and restricted indicators answer as the JSON route does', async () => {
      for (const q of ['indicator=hze_faelle&layer=stadtteil', 'indicator=grundsicherung_alter&layer=stadtteil']) {
        const j = await app.inject({ url: `/api/observations?${q}` });
        const s = await app.inject({ url: `/api/observations?${q}&format=json-stat` });
        assert.ok([401, 403, 404].includes(j.statusCode), `${q}: ${j.statusCode}`);
        assert.equal(s.statusCode, j.statusCode, q);
        assert.equal(s.json().message, j.json().message);
        const tj = await app.inject({ url: `/api/timeseries?${q}&area=0101` });
        const ts = await app.inject({ url: `/api/timeseries?${q}&area=0101&format=json-stat` });
        assert.equal(ts.statusCode, tj.statusCode, q);
        assert.ok([401, 403, 404].includes(ts.statusCode));
      }
    });

    test('a bad format is a 400 with a problem, on both routes', async () => {
      for (const url of [
        '/api/observations?indicator=einwohner&layer=stadtteil&format=jsonstat',
        '/api/timeseries?indicator=einwohner&layer=stadtteil&area=0101&format=csv',
        '/api/timeseries?indicator=einwohner&layer=stadtteil&area=0101&lang=fr',
      ]) {
        const r = await app.inject({ url });
        assert.equal(r.statusCode, 400, url);
        assert.ok(r.json().message, url);
      }
    });

    test('the answer cache keeps json and json-stat apart by query string', async () => {
      const url = '/api/observations?indicator=anteil_unter6&layer=stadtbezirk&format=json-stat';
      const first = await app.inject({ url });
      const again = await app.inject({ url });
      const plain = await app.inject({ url: '/api/observations?indicator=anteil_unter6&layer=stadtbezirk' });
      assert.equal(again.body, first.body);
      assert.equal(again.headers.etag, first.headers.etag);
      assert.match(String(again.headers['content-type']), /^application\/json/);
      assert.equal(again.json().class, 'dataset');
      assert.equal(plain.json().class, undefined);
      assert.notEqual(plain.headers.etag, first.headers.etag);
      const cond = await app.inject({ url, headers: { 'if-none-match': String(first.headers.etag) } });
      assert.equal(cond.statusCode, 304);
    });

    test('the export service (CLI: export observations --format json-stat) writes the same cube', async () => {
      const text = String(
        await exportObservations(
          db,
          { indicator: 'einwohner', layer: 'stadtteil', filter: { geschlecht: 'w' } },
          ANONYMOUS,
          'json-stat',
        ),
      );
      const ds = JSONstat(JSON.parse(text));
      const http = JSONstat(
        (
          await app.inject({
            url: '/api/observations?indicator=einwohner&layer=stadtteil&geschlecht=w&format=json-stat',
          })
        ).json(),
      );
      assert.deepEqual(ds.value, http.value);
      assert.deepEqual(ds.id, http.id);
    });
  });
}
