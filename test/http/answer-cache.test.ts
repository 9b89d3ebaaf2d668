// Prepared answers: anonymous reads are served as the same bytes with an ETag (304 on match,
// gzip and Brotli on request) until the next import batch, and never after it; signed-in reads
// always reach the services.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { buildServer } from '../../src/http/server.ts';
import { AnswerCache, chooseEncoding } from '../../src/http/answer-cache.ts';
import type { Snapshot } from '../../src/services/snapshot.ts';

test('Accept-Encoding: Brotli before gzip, q=0 refuses', () => {
  assert.equal(chooseEncoding('gzip, deflate, br'), 'br');
  assert.equal(chooseEncoding('gzip'), 'gzip');
  assert.equal(chooseEncoding('br;q=0, gzip;q=0.5'), 'gzip');
  assert.equal(chooseEncoding('identity'), undefined);
  assert.equal(chooseEncoding(undefined), undefined);
});

test('the least recently used answer goes first when the cache is full; compressed forms count', () => {
  const cache = new AnswerCache({ maxBytes: 4000 });
  const snap = {} as Snapshot;
  const entry = (key: string) => ({
    key,
    snapshot: snap,
    body: Buffer.alloc(900, 0x61),
    etag: `"${key}"`,
    type: 'application/json',
  });
  for (const k of ['a', 'b', 'c', 'd']) cache.put(entry(k));
  assert.ok(cache.get('a', snap), 'a is used again');
  cache.put(entry('e'));
  assert.equal(cache.get('b', snap), undefined, 'b, least recently used, went');
  assert.ok(cache.get('a', snap));
  assert.equal(cache.get('a', {} as Snapshot), undefined, 'an answer of another snapshot is never served');
});

for (const engine of engines) {
  describe(`prepared answers [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let app: FastifyInstance;
    const tmp = tempDir();
    const OBS = '/api/observations?indicator=einwohner&layer=planungsraum';
    before(async () => {
      db = await openEngine(engine);
      await importAreas(
        db,
        tmp.file(
          'pr.geojson',
          featureCollection(
            Array.from({ length: 30 }, (_, i) => ({
              code: String(1000 + i),
              name: `Raum ${i}`,
              geometry: square(13 + i * 0.01, 52.5, 0.01),
            })),
          ),
        ),
        { layer: 'planungsraum' },
      );
      await importCatalogue(db, [
        {
          key: 'einwohner',
          name: 'Einwohner',
          unit: 'Personen',
          type: 'count',
          source: 'Melderegister',
          confidentiality: 'public',
        },
      ]);
      await importObservations(
        db,
        tmp.file(
          'ew.csv',
          'indicator;area;period;value\neinwohner;1000;2022-12-31;100\neinwohner;1001;2022-12-31;200\n',
        ),
      );
      app = await buildServer(db);
    });
    after(async () => {
      await app?.close();
      await db?.close();
      tmp.cleanup();
    });

    test('the same bytes and ETag again; 304 for a matching If-None-Match', async () => {
      const a = await app.inject({ url: OBS });
      const b = await app.inject({ url: OBS });
      assert.equal(a.statusCode, 200);
      assert.equal(a.body, b.body);
      assert.ok(a.headers.etag);
      assert.equal(a.headers.etag, b.headers.etag);
      assert.equal(b.headers['cache-control'], 'private, no-cache');
      assert.match(String(b.headers['content-type']), /application\/json/);
      const c = await app.inject({ url: OBS, headers: { 'if-none-match': String(a.headers.etag) } });
      assert.equal(c.statusCode, 304);
      assert.equal(c.body, '');
    });

    test('compressed on request, the same content', async () => {
      const plain = await app.inject({ url: '/api/layers/planungsraum/areas' });
      const gz = await app.inject({ url: '/api/layers/planungsraum/areas', headers: { 'accept-encoding': 'gzip' } });
      const br = await app.inject({
        url: '/api/layers/planungsraum/areas',
        headers: { 'accept-encoding': 'br, gzip' },
      });
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.equal(br.headers['content-encoding'], 'br');
      assert.match(String(br.headers['content-type']), /geo\+json/);
      assert.equal(gunzipSync(gz.rawPayload).toString(), plain.body);
      assert.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body);
      // Asked again: the prepared forms.
      const again = await app.inject({ url: '/api/layers/planungsraum/areas', headers: { 'accept-encoding': 'gzip' } });
      assert.equal(gunzipSync(again.rawPayload).toString(), plain.body);
    });

    test('an import ends every prepared answer: the next request sees the new data', async () => {
      const before = await app.inject({ url: OBS });
      assert.equal(before.json().values.find((v: { area: string }) => v.area === '1000').value, 100);
      await importObservations(db, tmp.file('ew2.csv', 'indicator;area;period;value\neinwohner;1000;2022-12-31;150\n'));
      const after = await app.inject({ url: OBS });
      assert.equal(after.json().values.find((v: { area: string }) => v.area === '1000').value, 150);
      assert.notEqual(after.headers.etag, before.headers.etag);
      const stale = await app.inject({ url: OBS, headers: { 'if-none-match': String(before.headers.etag) } });
      assert.equal(stale.statusCode, 200, 'an old ETag does not match the new answer');
      // A new layer changes the layer list and its areas.
      await importAreas(
        db,
        tmp.file('bz.geojson', featureCollection([{ code: '1', name: 'Bezirk', geometry: square(13, 52.5, 0.3) }])),
        { layer: 'bezirk' },
      );
      const layers = await app.inject({ url: '/api/layers' });
      assert.ok(layers.json().layers.some((l: { key: string }) => l.key === 'bezirk'));
    });

    test('a dry run and a rejected import keep the data and the answers right', async () => {
      const a = await app.inject({ url: OBS });
      await importObservations(
        db,
        tmp.file('dry.csv', 'indicator;area;period;value\neinwohner;1000;2022-12-31;999\n'),
        { dryRun: true },
      );
      await importObservations(
        db,
        tmp.file('bad.csv', 'indicator;area;period;value\neinwohner;1000;2022-12-31;viele\n'),
      ).catch(() => undefined);
      const b = await app.inject({ url: OBS });
      assert.equal(b.body, a.body);
    });

    test('errors are not kept as answers', async () => {
      const r1 = await app.inject({ url: '/api/observations?indicator=nichtda&layer=planungsraum' });
      assert.equal(r1.statusCode, 404);
      assert.equal(r1.headers.etag, undefined);
      assert.equal(r1.headers['cache-control'], 'private, no-store');
    });
  });
}
