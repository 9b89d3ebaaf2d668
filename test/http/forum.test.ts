// The youth forum's routes: the public flow without an account (propose → moderation →
// published → support with a code, replay 409), staff routes behind sign-in, bad input as 400
// (never a 500), rate limits as 429, and the privacy canary: after requests with a marked
// client address and user agent, neither appears in any table of the database nor in the
// request log, and no body text reaches the log.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { square } from '../helpers/files.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { insertDepartment } from '../../src/store/accounts.ts';
import { importAreaRecords } from '../../src/services/areas.ts';
import { addUser, createToken } from '../../src/services/users.ts';
import { createForum } from '../../src/services/forum.ts';
import { buildServer } from '../../src/http/server.ts';

const CANARY_IP = '203.0.113.77';
const CANARY_UA = 'CanaryBrowser/9.9 (kanarienvogel)';
const CANARY_TEXT = 'Kanarienvogel-Baumhaus';

for (const engine of engines) {
  describe(`youth forum routes [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let app: FastifyInstance;
    let token = '';
    const log: string[] = [];
    const staff = () => ({ authorization: `Bearer ${token}` });
    before(async () => {
      db = await openEngine(engine);
      await insertDepartment(db, 'jugend', 'Jugendamt');
      await importAreaRecords(
        db,
        {
          crs: 'EPSG:4326',
          problems: [],
          records: ['01', '02'].map((c, i) => ({
            code: c,
            name: `Stadtteil ${c}`,
            parentCode: null,
            geometry: square(i * 0.01, 0, 0.01),
            properties: {},
          })),
        },
        { layer: 'stadtteil' },
      );
      await createForum(db, SYSTEM, {
        key: 'nord',
        name: 'Forum Nord',
        layer: 'stadtteil',
        area: '01',
        department: 'jugend',
      });
      await addUser(db, SYSTEM, {
        name: 'jana',
        role: 'steward',
        department: 'jugend',
        password: 'ein langes Passwort 123',
      });
      token = (await createToken(db, SYSTEM, { user: 'jana', name: 'test' })).token;
      app = await buildServer(db, {
        logger: true,
        logStream: { write: (l: string) => void log.push(l) },
        trustProxy: true,
        forum: { proposalsPerClient: 3 },
      });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    test('public flow: propose, moderate, support once per code', async () => {
      const canary = { 'x-forwarded-for': CANARY_IP, 'user-agent': CANARY_UA };
      const p = await app.inject({
        method: 'POST',
        url: '/api/forum/topics',
        headers: canary,
        payload: { forum: 'nord', title: `Ein ${CANARY_TEXT}`, description: 'Im Park, bitte.' },
      });
      assert.equal(p.statusCode, 201, p.body);
      const id = p.json().id;
      assert.equal(
        (await app.inject({ url: `/api/forum/topics/${id}` })).statusCode,
        404,
        'not public before moderation',
      );
      assert.equal((await app.inject({ url: '/api/forum/queue?forum=nord' })).statusCode, 401);
      const q = await app.inject({ url: '/api/forum/queue?forum=nord', headers: staff() });
      assert.deepEqual(
        q.json().topics.map((t: { id: number }) => t.id),
        [id],
      );
      const m = await app.inject({
        method: 'POST',
        url: `/api/forum/topics/${id}/moderate`,
        headers: staff(),
        payload: { decision: 'publish', department: 'jugend' },
      });
      assert.equal(m.statusCode, 200, m.body);
      const codes = await app.inject({
        method: 'POST',
        url: '/api/forum/forums/nord/codes',
        headers: staff(),
        payload: { count: 3, label: 'Schule' },
      });
      assert.equal(codes.statusCode, 201, codes.body);
      const [code] = codes.json().codes as string[];
      const s1 = await app.inject({
        method: 'POST',
        url: `/api/forum/topics/${id}/support`,
        headers: canary,
        payload: { code, ageBand: '15_17' },
      });
      assert.equal(s1.statusCode, 200, s1.body);
      assert.equal(s1.json().supports, null, 'one support is not shown');
      const s2 = await app.inject({
        method: 'POST',
        url: `/api/forum/topics/${id}/support`,
        headers: canary,
        payload: { code },
      });
      assert.equal(s2.statusCode, 409, 'replay refused');
      const list = await app.inject({ url: '/api/forum/topics?forum=nord' });
      assert.equal(list.json().topics[0].supports, null);
      const a = await app.inject({
        method: 'POST',
        url: `/api/forum/topics/${id}/answer`,
        headers: staff(),
        payload: { status: 'abgelehnt', text: 'Nein.' },
      });
      assert.equal(a.statusCode, 400, 'a refusal without reasons');
      const acc = await app.inject({ url: '/api/forum/accountability' });
      assert.equal(acc.statusCode, 200);
      assert.equal(acc.json().total.topics, 1);

      // The canary: nothing of the client is stored anywhere, and the log has no address, agent or text.
      const { rows: tables } = await db.query<{ t: string }>(
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
      );
      let everything = '';
      for (const { t } of tables)
        everything += JSON.stringify((await db.query(`SELECT * FROM "${t.replace(/"/g, '')}"`)).rows);
      assert.ok(everything.includes(CANARY_TEXT), 'the dump does contain the topic text (the check works)');
      assert.ok(!everything.includes(CANARY_IP), 'the client address is stored somewhere');
      assert.ok(
        !everything.includes(CANARY_UA) && !everything.includes('kanarienvogel)'),
        'the user agent is stored somewhere',
      );
      const logged = log.join('');
      assert.ok(logged.includes('/api/forum/queue'), 'staff routes are logged (the log works)');
      assert.ok(!logged.includes(CANARY_IP), 'the client address is in the request log');
      assert.ok(!logged.includes(CANARY_TEXT), 'body text is in the request log');
    });

    test('bad input is 400, unknown things 404, never 500', async () => {
      for (const [method, url, payload] of [
        ['POST', '/api/forum/topics', { forum: 'nord' }],
        ['POST', '/api/forum/topics', { forum: 'nord', title: 'x', extra: 1 }],
        ['POST', '/api/forum/topics', { forum: 'nord', title: 'Mail: a@b.de' }],
        ['POST', '/api/forum/topics/1/support', { code: 'x' }],
        ['POST', '/api/forum/topics/1/support', { code: 'ABCDE-FGHJK', ageBand: 'uralt' }],
        ['GET', '/api/forum/topics/abc', undefined],
        ['GET', '/api/forum/topics?forum=NORD!', undefined],
      ] as const) {
        const r = await app.inject({ method, url, payload, headers: { 'x-forwarded-for': '198.51.100.1' } });
        assert.equal(r.statusCode, 400, `${method} ${url} ${JSON.stringify(payload)}: ${r.body}`);
      }
      assert.equal((await app.inject({ url: '/api/forum/topics/999999' })).statusCode, 404);
      assert.equal(
        (
          await app.inject({
            method: 'POST',
            url: '/api/forum/topics/999999/support',
            payload: { code: 'ABCDE-FGHJK' },
          })
        ).statusCode,
        404,
      );
      assert.equal((await app.inject({ url: '/api/forum/topics?forum=gibtsnicht' })).statusCode, 404);
      const bad = await app.inject({
        method: 'POST',
        url: '/api/forum/staff/topics',
        headers: staff(),
        payload: { forum: 'nord', title: 'x', raisedBy: 'forum', raisedOn: '2026-02-31' },
      });
      assert.equal(bad.statusCode, 400, bad.body);
    });

    test('import over HTTP: a CONSUL answer as the body, mapped geozone, anonymous 401', async () => {
      const body = readFileSync(new URL('../fixtures/forum/consul-graphql.json', import.meta.url), 'utf8');
      assert.equal(
        (
          await app.inject({
            method: 'POST',
            url: '/api/forum/import?platform=consul',
            payload: body,
            headers: { 'content-type': 'application/json' },
          })
        ).statusCode,
        401,
      );
      const m = await app.inject({
        method: 'POST',
        url: '/api/forum/source-areas',
        headers: staff(),
        payload: { platform: 'consul', sourceArea: '3', forum: 'nord' },
      });
      assert.equal(m.statusCode, 204, m.body);
      const r = await app.inject({
        method: 'POST',
        url: '/api/forum/import?platform=consul&baseUrl=https://consul.example.org',
        payload: body,
        headers: { ...staff(), 'content-type': 'application/json' },
      });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().inserted, 1);
      const again = await app.inject({
        method: 'POST',
        url: '/api/forum/import?platform=consul',
        payload: body,
        headers: { ...staff(), 'content-type': 'application/json' },
      });
      assert.equal(again.json().inserted, 0);
      assert.equal(
        (
          await app.inject({
            method: 'POST',
            url: '/api/forum/import?platform=other',
            payload: body,
            headers: { ...staff(), 'content-type': 'application/json' },
          })
        ).statusCode,
        400,
      );
    });

    test('a topic’s point over HTTP: inside its area saved, outside 400, anonymous 401; links may name a report block; both in the OpenAPI document', async () => {
      const rec = await app.inject({
        method: 'POST',
        url: '/api/forum/staff/topics',
        headers: staff(),
        payload: { forum: 'nord', title: 'Bank am Teich', raisedBy: 'forum', raisedOn: '2026-02-01' },
      });
      assert.equal(rec.statusCode, 201, rec.body);
      const id = rec.json().id;
      const put = (point: unknown, headers = staff()) =>
        app.inject({ method: 'PUT', url: `/api/forum/topics/${id}/point`, headers, payload: { point } });
      assert.equal((await put({ x: 0.005, y: 0.005 }, {} as ReturnType<typeof staff>)).statusCode, 401);
      const ok = await put({ x: 0.005, y: 0.005 });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual([ok.json().x, ok.json().y], [0.005, 0.005]);
      const outside = await put({ x: 0.015, y: 0.005 });
      assert.equal(outside.statusCode, 400);
      assert.ok(
        outside.json().problems.some((p: { code: string }) => p.code === 'point-outside-area'),
        outside.body,
      );
      assert.equal((await put({ x: 'a', y: 1 })).statusCode, 400);
      assert.equal((await put({ x: 181, y: 1 })).statusCode, 400);
      assert.deepEqual((await app.inject({ url: `/api/forum/topics/${id}` })).json().point, { x: 0.005, y: 0.005 });
      assert.equal((await put(null)).json().x, null);
      const link = await app.inject({
        method: 'PUT',
        url: `/api/forum/topics/${id}/links`,
        headers: staff(),
        payload: { links: [{ kind: 'report', ref: 'gibtsnicht', block: 'b1' }] },
      });
      assert.equal(link.statusCode, 400);
      assert.match(link.body, /no report/);
      const doc = (await app.inject({ url: '/api/openapi.json' })).json();
      assert.ok(doc.paths['/api/forum/topics/{id}/point']?.put, 'the point route is documented');
      assert.ok(doc.paths['/api/forum/topics/{id}/links'].put.requestBody, 'the links route is documented');
    });

    test('proposals are rate limited per client', async () => {
      const h = { 'x-forwarded-for': '192.0.2.5' };
      for (let i = 0; i < 3; i++)
        assert.equal(
          (
            await app.inject({
              method: 'POST',
              url: '/api/forum/topics',
              headers: h,
              payload: { forum: 'nord', title: `Idee ${i}` },
            })
          ).statusCode,
          201,
        );
      const r = await app.inject({
        method: 'POST',
        url: '/api/forum/topics',
        headers: h,
        payload: { forum: 'nord', title: 'Idee 4' },
      });
      assert.equal(r.statusCode, 429);
      assert.ok(Number(r.headers['retry-after']) > 0);
      assert.equal(
        (
          await app.inject({
            method: 'POST',
            url: '/api/forum/topics',
            headers: { 'x-forwarded-for': '192.0.2.6' },
            payload: { forum: 'nord', title: 'Andere' },
          })
        ).statusCode,
        201,
        'another client is not limited',
      );
    });
  });
}
