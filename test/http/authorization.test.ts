// The authorisation matrix: every role × every data endpoint × every confidentiality level,
// against the real server and database — and the negative cases: forged and expired sessions,
// CSRF, tokens of disabled users, brute force, and stewards importing into foreign departments.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import {
  addDistrictsAndDepartments,
  addUsers,
  EXPECTED_BY_LEVEL,
  PASSWORD,
  signInAll,
  WHO,
  type Who,
} from '../helpers/roles.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { addUser, createToken, disableUser } from '../../src/services/users.ts';
import { saveCockpit } from '../../src/services/cockpit.ts';
import { buildServer } from '../../src/http/server.ts';

// Expected answer of a data endpoint per indicator and caller: 200, 401 or 404 (existence secret).
const EXPECTED: Record<string, Record<Who, number>> = {
  ...EXPECTED_BY_LEVEL,
  res_shared: {
    anonymous: 404,
    admin: 404,
    steward_jugend: 200,
    steward_soziales: 200,
    analyst: 404,
    viewer: 404,
    viewer_jugend: 200,
  },
  draft_j: {
    anonymous: 404,
    admin: 200,
    steward_jugend: 200,
    steward_soziales: 404,
    analyst: 404,
    viewer: 404,
    viewer_jugend: 404,
  },
  // A derived ratio is at least as restricted as its most restricted input.
  ratio_res: {
    anonymous: 404,
    admin: 404,
    steward_jugend: 200,
    steward_soziales: 404,
    analyst: 404,
    viewer: 404,
    viewer_jugend: 200,
  },
};

for (const engine of engines) {
  describe(`authorisation [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let app: FastifyInstance;
    const tmp = tempDir();
    const headers: Record<string, Record<string, string>> = { anonymous: {} };
    const csrf: Record<string, string> = {};
    const tokens: Record<string, string> = {};

    before(async () => {
      db = await openEngine(engine);
      await addDistrictsAndDepartments(db, tmp);
      const ind = (key: string, confidentiality: string, owner: string, extra: object = {}) => ({
        key,
        name: key,
        unit: 'Fälle',
        type: 'count',
        owner,
        confidentiality,
        ...extra,
      });
      await importCatalogue(db, [
        ind('pub', 'public', 'statistik'),
        ind('int', 'internal', 'soziales'),
        ind('res', 'restricted', 'jugend'),
        ind('res_shared', 'restricted', 'jugend', { departments: ['soziales'] }),
        ind('draft_j', 'public', 'jugend', { draft: true }),
        {
          key: 'ratio_res',
          name: 'ratio',
          unit: '%',
          type: 'ratio',
          numerator: { indicator: 'res' },
          denominator: { indicator: 'pub' },
          scale: 100,
          owner: 'jugend',
          confidentiality: 'public',
        },
      ]);
      const rows = [
        'indicator;area;period;value',
        ...Object.keys(EXPECTED)
          .filter((k) => k !== 'ratio_res')
          .flatMap((k) => [`${k};01;2023;10`, `${k};02;2023;20`]),
      ];
      await importObservations(db, tmp.file('o.csv', rows.join('\n')));
      await saveCockpit(
        db,
        { tiles: Object.keys(EXPECTED).map((k) => ({ id: k, type: 'map', indicator: k, layer: 'bezirk' })) },
        SYSTEM,
      );
      await addUsers(db);
      app = await buildServer(db, { loginAttemptsPerAddress: 1000 });
      const signedIn = await signInAll(app);
      Object.assign(headers, signedIn.headers);
      Object.assign(csrf, signedIn.csrf);
      tokens.steward_jugend = (await createToken(db, SYSTEM, { user: 'steward_jugend', name: 'nightly' })).token;
      tokens.steward_soziales = (await createToken(db, SYSTEM, { user: 'steward_soziales', name: 'nightly' })).token;
    });
    after(async () => {
      await app?.close();
      await db?.close();
      tmp.cleanup();
    });

    test('data endpoints answer 200, 401 or 404 per role and confidentiality', async () => {
      const failures: string[] = [];
      for (const [key, byWho] of Object.entries(EXPECTED)) {
        for (const who of WHO) {
          const expect = byWho[who];
          const endpoints = [
            `/api/observations?indicator=${key}&layer=bezirk`,
            `/api/observations?indicator=${key}&layer=bezirk&format=csv`,
            `/api/observations?indicator=${key}&layer=bezirk&format=xlsx`,
            `/api/timeseries?indicator=${key}&layer=bezirk&area=01`,
            `/api/indicators/${key}`,
          ];
          for (const url of endpoints) {
            const r = await app.inject({ url, headers: headers[who] });
            if (r.statusCode !== expect) failures.push(`${who} ${url}: ${r.statusCode}, expected ${expect}`);
            if (r.statusCode === 404 && !/does not exist/.test(r.json().message))
              failures.push(`${who} ${url}: the 404 must look like a missing indicator`);
          }
          // Lists leave out what the caller may not read.
          const visible = expect === 200;
          const list = (await app.inject({ url: '/api/indicators', headers: headers[who] }))
            .json()
            .indicators.map((i: { key: string }) => i.key);
          if (list.includes(key) !== visible)
            failures.push(`${who} /api/indicators lists ${key}: ${list.includes(key)}`);
          const profile = (
            await app.inject({ url: '/api/layers/bezirk/areas/01/profile', headers: headers[who] })
          ).json();
          const inProfile = profile.themes
            .flatMap((t: { entries: { indicator: { key: string } }[] }) => t.entries.map((e) => e.indicator.key))
            .includes(key);
          if (inProfile !== visible) failures.push(`${who} profile shows ${key}: ${inProfile}`);
          const cockpit = (await app.inject({ url: '/api/cockpit', headers: headers[who] }))
            .json()
            .tiles.map((t: { indicator: string }) => t.indicator);
          if (cockpit.includes(key) !== visible) failures.push(`${who} cockpit shows ${key}: ${cockpit.includes(key)}`);
        }
      }
      assert.deepEqual(failures, []);
    });

    test('an API token acts with its user’s rights', async () => {
      const auth = (t: string) => ({ authorization: `Bearer ${t}` });
      assert.equal(
        (
          await app.inject({
            url: '/api/observations?indicator=res&layer=bezirk',
            headers: auth(tokens.steward_jugend),
          })
        ).statusCode,
        200,
      );
      assert.equal(
        (
          await app.inject({
            url: '/api/observations?indicator=res&layer=bezirk',
            headers: auth(tokens.steward_soziales),
          })
        ).statusCode,
        404,
      );
      assert.equal(
        (await app.inject({ url: '/api/observations?indicator=pub&layer=bezirk', headers: auth('km_forged') }))
          .statusCode,
        401,
      );
    });

    test('forged and expired sessions count as not signed in', async () => {
      assert.equal(
        (
          await app.inject({
            url: '/api/observations?indicator=int&layer=bezirk',
            headers: { cookie: 'km_session=forged-value' },
          })
        ).statusCode,
        401,
      );
      const r = await app.inject({
        url: '/api/auth/login',
        method: 'POST',
        payload: { user: 'viewer', password: PASSWORD },
      });
      const cookie = String(r.headers['set-cookie']).split(';')[0];
      assert.equal(
        (await app.inject({ url: '/api/observations?indicator=int&layer=bezirk', headers: { cookie } })).statusCode,
        200,
      );
      await db.query(`UPDATE user_session SET expires_at = now() - interval '1 minute' WHERE csrf_token = $1`, [
        r.json().csrfToken,
      ]);
      assert.equal(
        (await app.inject({ url: '/api/observations?indicator=int&layer=bezirk', headers: { cookie } })).statusCode,
        401,
      );
      assert.match(String(r.headers['set-cookie']), /HttpOnly/);
      assert.match(String(r.headers['set-cookie']), /SameSite=Lax/);
    });

    test('state-changing requests with a session need the CSRF token', async () => {
      const body = { tiles: [] };
      assert.equal(
        (await app.inject({ url: '/api/cockpit', method: 'PUT', payload: body, headers: headers.analyst })).statusCode,
        403,
      );
      const wrongToken = await app.inject({
        url: '/api/cockpit',
        method: 'PUT',
        payload: body,
        headers: { ...headers.analyst, 'x-csrf-token': 'wrong' },
      });
      assert.equal(wrongToken.statusCode, 403);
      assert.deepEqual(
        { code: wrongToken.json().code, message: wrongToken.json().message },
        { code: 'csrf-token', message: 'Missing or wrong CSRF token (header X-CSRF-Token).' },
      );
      assert.equal(
        (
          await app.inject({
            url: '/api/cockpit',
            method: 'PUT',
            payload: body,
            headers: { ...headers.viewer, 'x-csrf-token': csrf.viewer },
          })
        ).statusCode,
        403,
        'viewers do not configure the cockpit',
      );
      const ok = await app.inject({
        url: '/api/cockpit',
        method: 'PUT',
        payload: { tiles: [{ id: 'p', type: 'map', indicator: 'pub', layer: 'bezirk' }] },
        headers: { ...headers.analyst, 'x-csrf-token': csrf.analyst },
      });
      assert.equal(ok.statusCode, 200, ok.body);
    });

    test('stewards import only their own department’s data; all or nothing', async () => {
      const post = (token: string, file: string, csv: string) =>
        app.inject({
          url: `/api/imports/observations?file=${file}`,
          method: 'POST',
          payload: csv,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        });
      const foreign = await post(
        tokens.steward_soziales,
        'res.csv',
        'indicator;area;period;value\nint;01;2024;1\nres;01;2024;5\n',
      );
      assert.equal(foreign.statusCode, 403, foreign.body);
      assert.match(foreign.json().message, /res \(owner jugend\)/);
      const own = await post(tokens.steward_jugend, 'res.csv', 'indicator;area;period;value\nres;01;2024;5\n');
      assert.equal(own.statusCode, 200, own.body);
      assert.equal(own.json().inserted, 1);
      const ints = await app.inject({
        url: '/api/timeseries?indicator=int&layer=bezirk&area=01',
        headers: headers.admin,
      });
      assert.deepEqual(
        ints.json().points.map((p: { period: string }) => p.period),
        ['2023'],
        'the refused file changed nothing',
      );
      const anonymousImport = await app.inject({
        url: '/api/imports/observations?file=x.csv',
        method: 'POST',
        payload: 'a',
        headers: { 'content-type': 'text/csv' },
      });
      assert.equal(anonymousImport.statusCode, 401);
      assert.deepEqual(
        { code: anonymousImport.json().code, message: anonymousImport.json().message },
        { code: 'upload-sign-in', message: 'This needs a signed-in user or an API token.' },
      );
      const cat = await app.inject({
        url: '/api/imports/indicators',
        method: 'POST',
        payload: [
          { key: 'res', name: 'mine now', unit: 'x', type: 'count', owner: 'soziales', confidentiality: 'public' },
        ],
        headers: { authorization: `Bearer ${tokens.steward_soziales}` },
      });
      assert.equal(cat.statusCode, 403, 'a steward cannot take over another department’s indicator');
      const areas = await app.inject({
        url: '/api/imports/areas?file=a.csv&layer=x',
        method: 'POST',
        payload: 'code;name\n1;a\n',
        headers: { authorization: `Bearer ${tokens.steward_jugend}`, 'content-type': 'text/csv' },
      });
      assert.equal(areas.statusCode, 403, 'the spatial structure belongs to the statistics office');
    });

    test('a disabled user’s sessions and tokens stop working', async () => {
      await addUser(db, SYSTEM, { name: 'leaver', role: 'analyst', password: PASSWORD });
      const t = await createToken(db, SYSTEM, { user: 'leaver', name: 'job' });
      const r = await app.inject({
        url: '/api/auth/login',
        method: 'POST',
        payload: { user: 'leaver', password: PASSWORD },
      });
      const cookie = String(r.headers['set-cookie']).split(';')[0];
      await disableUser(db, SYSTEM, 'leaver');
      assert.equal(
        (
          await app.inject({
            url: '/api/observations?indicator=int&layer=bezirk',
            headers: { authorization: `Bearer ${t.token}` },
          })
        ).statusCode,
        401,
      );
      assert.equal(
        (await app.inject({ url: '/api/observations?indicator=int&layer=bezirk', headers: { cookie } })).statusCode,
        401,
      );
      assert.equal(
        (await app.inject({ url: '/api/auth/login', method: 'POST', payload: { user: 'leaver', password: PASSWORD } }))
          .statusCode,
        401,
      );
    });

    test('brute force: the account locks after five failures, even for the right password', async () => {
      await addUser(db, SYSTEM, { name: 'target', role: 'viewer', password: PASSWORD });
      for (let i = 0; i < 5; i++) {
        const r = await app.inject({
          url: '/api/auth/login',
          method: 'POST',
          payload: { user: 'target', password: `wrong ${i}` },
        });
        assert.equal(r.statusCode, 401);
      }
      const locked = await app.inject({
        url: '/api/auth/login',
        method: 'POST',
        payload: { user: 'target', password: PASSWORD },
      });
      assert.equal(locked.statusCode, 429);
      assert.ok(Number(locked.headers['retry-after']) > 0);
      // With a database server the attempts per address are counted in the database, shared by
      // every server on it (decision 0036): start this address's window afresh.
      if (db.kind === 'server') await db.query('DELETE FROM login_attempt');
      const limited = await buildServer(db, { loginAttemptsPerAddress: 3 });
      try {
        const codes = [];
        for (let i = 0; i < 4; i++)
          codes.push(
            (
              await limited.inject({
                url: '/api/auth/login',
                method: 'POST',
                payload: { user: 'nobody', password: 'x' },
              })
            ).statusCode,
          );
        assert.deepEqual(codes, [401, 401, 401, 429]);
      } finally {
        await limited.close();
      }
    });

    test('the audit trail records imports, rights and restricted reads; only admins read it; it is append-only', async () => {
      assert.equal((await app.inject({ url: '/api/audit', headers: headers.analyst })).statusCode, 403);
      assert.equal((await app.inject({ url: '/api/audit' })).statusCode, 401);
      const r = await app.inject({ url: '/api/audit?limit=1000', headers: headers.admin });
      assert.equal(r.statusCode, 200);
      const entries: { actor: string; action: string; objectKey: string | null; importBatchId: number | null }[] =
        r.json().entries;
      assert.ok(
        entries.some((e) => e.action === 'read' && e.actor === 'steward_jugend' && e.objectKey === 'res'),
        'restricted reads',
      );
      assert.ok(
        entries.some((e) => e.action === 'observations.import' && e.actor === 'steward_jugend' && e.importBatchId),
        'imports with their batch',
      );
      assert.ok(
        entries.some((e) => e.action === 'user.add' && e.objectKey === 'viewer'),
        'user changes',
      );
      assert.ok(entries.some((e) => e.action === 'user.disable' && e.objectKey === 'leaver'));
      assert.ok(entries.some((e) => e.action === 'login.failed' && e.objectKey === 'target'));
      assert.ok(!entries.some((e) => e.action === 'read' && e.objectKey === 'pub'), 'public reads are not logged');
      const csv = await app.inject({ url: '/api/audit?format=csv', headers: headers.admin });
      assert.match(csv.body, /^\uFEFFid;at;actor;action/);
      await assert.rejects(() => db.query(`UPDATE audit_log SET actor = 'someone else'`), /append-only/);
      await assert.rejects(() => db.query(`DELETE FROM audit_log`), /append-only/);
    });
  });
}
