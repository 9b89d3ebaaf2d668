// Several application servers on one database (behind a load balancer): what one server does,
// the other sees at its next request — an import ends the other's prepared answers, wrong
// passwords lock the account everywhere, a new indicator shows in the other's OGC API, the sign-in limit per address is one for all, and a
// session started on one server works on the other. Each server has its own connection pool, as
// separate processes would.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { addUser } from '../../src/services/users.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { buildServer } from '../../src/http/server.ts';

const PASSWORD = 'correct horse battery staple';
const engine = engines.find((e) => e.name === 'postgres')!;

describe('two servers on one database [postgres]', engineGate(engine), () => {
  let dbA: Database;
  let dbB: Database;
  let a: FastifyInstance;
  let b: FastifyInstance;
  const tmp = tempDir();
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const OBS = '/api/observations?indicator=einwohner&layer=bezirk&period=2022';

  before(async () => {
    // The engine helper checks the component; both servers then open the same schema.
    await (await openEngine(engine)).close();
    dbA = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL!, schema });
    const { migrate } = await import('../../src/store/migrate.ts');
    await migrate(dbA);
    dbB = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL!, schema });
    await importAreas(
      dbA,
      tmp.file(
        'b.geojson',
        featureCollection([
          { code: '01', name: 'Nord', geometry: square(8, 50, 0.1) },
          { code: '02', name: 'Süd', geometry: square(8.1, 50, 0.1) },
        ]),
      ),
      { layer: 'bezirk' },
    );
    await importCatalogue(dbA, [
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
      dbA,
      tmp.file('ew.csv', 'indicator;area;period;value\neinwohner;01;2022;100\neinwohner;02;2022;200\n'),
    );
    for (const name of ['anna', 'target']) await addUser(dbA, SYSTEM, { name, role: 'admin', password: PASSWORD });
    a = await buildServer(dbA, { loginAttemptsPerAddress: 12 });
    b = await buildServer(dbB, { loginAttemptsPerAddress: 12 });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await dbA?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await dbA?.close();
    await dbB?.close();
    tmp.cleanup();
  });

  const signIn = async (app: FastifyInstance, user: string, password = PASSWORD) => {
    const r = await app.inject({ url: '/api/auth/login', method: 'POST', payload: { user, password } });
    return {
      status: r.statusCode,
      cookie: String(r.headers['set-cookie'] ?? '').split(';')[0],
      csrf: r.statusCode === 200 ? (r.json().csrfToken as string) : '',
    };
  };

  test('a session started on A works on B, CSRF token included; signing out on B ends it on A', async () => {
    const s = await signIn(a, 'anna');
    assert.equal(s.status, 200);
    const me = await b.inject({ url: '/api/auth/me', headers: { cookie: s.cookie } });
    assert.equal(me.json().user.name, 'anna');
    assert.equal(me.json().csrfToken, s.csrf);
    const out = await b.inject({
      url: '/api/auth/logout',
      method: 'POST',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
    });
    assert.equal(out.statusCode, 200);
    assert.equal((await a.inject({ url: '/api/auth/me', headers: { cookie: s.cookie } })).json().user, null);
  });

  test('an import through A ends the answer B has prepared', async () => {
    const first = await b.inject({ url: OBS });
    assert.equal(first.statusCode, 200);
    const again = await b.inject({ url: OBS });
    assert.equal(again.headers.etag, first.headers.etag, 'B serves its prepared answer');
    assert.deepEqual(
      first.json().values.map((v: { value: number }) => v.value),
      [100, 200],
    );
    const s = await signIn(a, 'anna');
    const imported = await a.inject({
      url: '/api/imports/observations?file=ew.csv',
      method: 'POST',
      payload: 'indicator;area;period;value\neinwohner;01;2022;111\neinwohner;02;2022;222\n',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'text/csv' },
    });
    assert.equal(imported.statusCode, 200, imported.body);
    const after = await b.inject({ url: OBS, headers: { 'if-none-match': String(first.headers.etag) } });
    assert.equal(after.statusCode, 200, 'the old ETag no longer matches');
    assert.deepEqual(
      after.json().values.map((v: { value: number }) => v.value),
      [111, 222],
    );
    // The catalogue's periods follow too (the snapshot behind both).
    const ind = await b.inject({ url: '/api/indicators/einwohner' });
    assert.equal(ind.statusCode, 200);
  });

  test('a new indicator imported through A appears in the OGC API of B', async () => {
    const ids = async () =>
      ((await b.inject({ url: '/ogc/collections' })).json().collections as { id: string }[]).map((c) => c.id);
    assert.ok((await ids()).includes('einwohner.bezirk'));
    assert.ok(!(await ids()).includes('haushalte.bezirk'));
    await importCatalogue(dbA, [
      {
        key: 'haushalte',
        name: 'Haushalte',
        unit: 'Haushalte',
        type: 'count',
        source: 'Melderegister',
        confidentiality: 'public',
      },
    ]);
    await importObservations(
      dbA,
      tmp.file('hh.csv', 'indicator;area;period;value\nhaushalte;01;2022;50\nhaushalte;02;2022;90\n'),
    );
    assert.ok((await ids()).includes('haushalte.bezirk'), 'B answers from the new state');
    const items = await b.inject({ url: '/ogc/collections/haushalte.bezirk/items' });
    assert.equal(items.statusCode, 200, items.body);
  });

  test('five wrong passwords through A lock the account on B', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await signIn(a, 'target', `wrong ${i}`)).status, 401);
    const onB = await signIn(b, 'target');
    assert.equal(onB.status, 429, 'locked on B as well, even for the right password');
  });

  test('the sign-in limit per address counts the attempts on every server', async () => {
    await dbA.query('DELETE FROM login_attempt');
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await signIn(i % 2 ? a : b, 'nobody', 'x')).status);
    assert.deepEqual(new Set(codes), new Set([401]), '12 attempts, 6 on each server: within the limit');
    assert.equal((await signIn(a, 'nobody', 'x')).status, 429, 'the 13th is refused on A');
    assert.equal((await signIn(b, 'nobody', 'x')).status, 429, 'and on B');
  });
});
