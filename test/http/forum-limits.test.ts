// The youth forum's rate limits across server processes: two servers (each with its own
// connection pool, as separate processes would have) on one PostgreSQL schema count proposals and
// supports of a client together; the client is an HMAC of its address with a secret that is not
// in the database. The canary: after the requests no address appears in any table, the counter
// is not a plain hash of the address, and expired counters are deleted.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { square } from '../helpers/files.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { insertDepartment } from '../../src/store/accounts.ts';
import { importAreaRecords } from '../../src/services/areas.ts';
import { createForum, generateCodes, recordTopic } from '../../src/services/forum.ts';
import { buildServer } from '../../src/http/server.ts';

const engine = engines.find((e) => e.name === 'postgres')!;
const SECRET = 'a test secret of the forum, not in the database';
const IP_A = '198.51.100.23';
const IP_B = '198.51.100.24';

describe('youth forum rate limits on two servers [postgres]', engineGate(engine), () => {
  let dbA: Database;
  let dbB: Database;
  let a: FastifyInstance;
  let b: FastifyInstance;
  let topic = 0;
  let codes: string[] = [];
  const schema = `test_${randomBytes(6).toString('hex')}`;

  before(async () => {
    await (await openEngine(engine)).close();
    dbA = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL!, schema });
    const { migrate } = await import('../../src/store/migrate.ts');
    await migrate(dbA);
    dbB = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL!, schema });
    await insertDepartment(dbA, 'jugend', 'Jugendamt');
    await importAreaRecords(
      dbA,
      {
        crs: 'EPSG:4326',
        problems: [],
        records: [{ code: '01', name: 'Nord', parentCode: null, geometry: square(8, 50, 0.01), properties: {} }],
      },
      { layer: 'stadtteil' },
    );
    await createForum(dbA, SYSTEM, {
      key: 'nord',
      name: 'Forum Nord',
      layer: 'stadtteil',
      area: '01',
      department: 'jugend',
    });
    topic = (
      await recordTopic(dbA, SYSTEM, { forum: 'nord', title: 'Skatepark', raisedBy: 'forum', raisedOn: '2026-02-01' })
    ).id;
    codes = (await generateCodes(dbA, SYSTEM, 'nord', 10, 'Schule')).codes;
    const forum = { proposalsPerClient: 4, supportsPerClient: 3, rateLimitSecret: SECRET };
    a = await buildServer(dbA, { trustProxy: true, forum });
    b = await buildServer(dbB, { trustProxy: true, forum });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await dbA?.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await dbA?.close();
    await dbB?.close();
  });

  const propose = (app: FastifyInstance, ip: string, title: string) =>
    app.inject({
      method: 'POST',
      url: '/api/forum/topics',
      headers: { 'x-forwarded-for': ip },
      payload: { forum: 'nord', title },
    });
  const support = (app: FastifyInstance, ip: string, code: string) =>
    app.inject({
      method: 'POST',
      url: `/api/forum/topics/${topic}/support`,
      headers: { 'x-forwarded-for': ip },
      payload: { code },
    });

  test('proposals: 4 per client in all, whichever server takes them; another client is not limited', async () => {
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await propose(i % 2 ? b : a, IP_A, `Idee ${i}`)).statusCode);
    assert.deepEqual(statuses, [201, 201, 201, 201, 429, 429]);
    const refused = await propose(a, IP_A, 'noch eine');
    assert.ok(Number(refused.headers['retry-after']) > 0 && Number(refused.headers['retry-after']) <= 600);
    assert.equal((await propose(b, IP_B, 'Andere')).statusCode, 201);
  });

  test('supports: 3 per client across both servers, also when sent at once', async () => {
    const rs = await Promise.all(codes.slice(0, 6).map((c, i) => support(i % 2 ? b : a, IP_A, c)));
    const ok = rs.filter((r) => r.statusCode === 200).length;
    assert.equal(ok, 3, rs.map((r) => r.statusCode).join(','));
    assert.equal(rs.filter((r) => r.statusCode === 429).length, 3);
  });

  test('the canary: no address in any table; the counter is keyed (not a plain hash); expired counters are deleted', async () => {
    const { rows: tables } = await dbA.query<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    );
    let everything = '';
    for (const { t } of tables)
      everything += JSON.stringify((await dbA.query(`SELECT * FROM "${t.replace(/"/g, '')}"`)).rows);
    assert.ok(everything.includes('Skatepark'), 'the dump holds the data (the check works)');
    for (const ip of [IP_A, IP_B]) {
      assert.ok(!everything.includes(ip), `${ip} is stored somewhere`);
      for (const enc of ['hex', 'base64', 'base64url'] as const)
        assert.ok(
          !everything.includes(createHash('sha256').update(ip).digest(enc)),
          `a plain SHA-256 of ${ip} (${enc}) is stored`,
        );
    }
    const { rows } = await dbA.query<{ scope: string; n: number }>(
      `SELECT scope, count(*)::int AS n FROM forum_rate_counter GROUP BY scope ORDER BY scope`,
    );
    assert.deepEqual(
      rows,
      [
        { scope: 'proposal', n: 2 },
        { scope: 'support', n: 1 },
      ],
      'one counter per client and scope, nothing else',
    );
    const cols = (
      await dbA.query<{ c: string }>(
        `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'forum_rate_counter' ORDER BY ordinal_position`,
      )
    ).rows.map((r) => r.c);
    assert.deepEqual(
      cols,
      ['scope', 'client_key', 'window_start', 'hits'],
      'counters only: no topic, no support, no address',
    );

    // A window passed: the counters are gone with the next request, and the client may again.
    await dbA.query(`UPDATE forum_rate_counter SET window_start = now() - interval '11 minutes'`);
    assert.equal((await propose(b, IP_A, 'Neue Idee')).statusCode, 201);
    const left = (
      await dbA.query<{ scope: string; hits: number }>(`SELECT scope, hits FROM forum_rate_counter ORDER BY scope`)
    ).rows;
    assert.deepEqual(left, [{ scope: 'proposal', hits: 1 }], 'expired counters deleted, a new window begun');
  });
});

describe('youth forum rate limits without a shared secret', () => {
  test('a secret shorter than 16 characters is refused at start', async () => {
    const db = await openDatabase({ memory: true });
    try {
      const { migrate } = await import('../../src/store/migrate.ts');
      await migrate(db);
      await assert.rejects(buildServer(db, { forum: { rateLimitSecret: 'short' } }), /at least 16 characters/);
    } finally {
      await db.close();
    }
  });
});
