// [postgres] Tenant isolation tested as an attacker would: tenant A (the demo city) holds a
// session and an API token; tenant B (a small town) holds data, users and a department whose
// names carry a random marker, all of it internal. Thousands of generated requests with A's
// credentials — every route of B's API, reached through crafted prefixes, dot segments, encoded
// slashes, Host and forwarding headers, query parameters naming B's schema — must never return
// one byte of B's markers; A's users cannot sign in to B; nothing of B changes.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildTenantServer } from '../../src/http/tenant-server.ts';
import type { Tenants } from '../../src/store/tenants.ts';
import type { Database } from '../../src/store/db.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { addDepartment, addUser, createToken } from '../../src/services/users.ts';
import { saveCockpit } from '../../src/services/cockpit.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';
import { importAreas } from '../../src/services/areas.ts';
import { tenantGate, openTenants, uniqueKey, dropTenants } from '../helpers/tenants.ts';

const MARK = `mkb${randomBytes(5).toString('hex')}`;
/** A value only B holds, in an internal indicator. */
const MARK_VALUE = '8675309417';
interface Raw {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  payload?: unknown;
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

/**
 * Sends the request target exactly as written (no client normalises dot segments, encoded
 * slashes or backslashes here, as an attacker's client would not), to the app's real listener.
 */
function send(
  app: FastifyInstance,
  o: Raw,
): Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }> {
  const port = (app.server.address() as AddressInfo).port;
  const body = o.payload === undefined ? undefined : JSON.stringify(o.payload);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: o.method ?? 'GET',
        path: o.url,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...o.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            statusCode: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const A_PASSWORD = `a-${randomBytes(9).toString('hex')}`;
const B_PASSWORD = `b-${randomBytes(9).toString('hex')}`;

async function fillB(db: Database, tmp: ReturnType<typeof tempDir>): Promise<void> {
  await importAreas(
    db,
    tmp.file(
      'b.geojson',
      featureCollection([
        { code: '01', name: 'Nord', geometry: square(8, 50, 0.1) },
        { code: '02', name: 'Süd', geometry: square(8.1, 50, 0.1) },
      ]),
    ),
    { layer: 'bezirk' },
  );
  await addDepartment(db, SYSTEM, 'amt_b', `Amt ${MARK}`);
  await addDepartment(db, SYSTEM, 'statistik', 'Statistikstelle');
  await importCatalogue(db, [
    {
      key: 'einwohner',
      name: 'Einwohner',
      unit: 'Personen',
      type: 'count',
      owner: 'statistik',
      confidentiality: 'public',
    },
    {
      key: 'intern_b',
      name: `Intern ${MARK}`,
      unit: 'Fälle',
      type: 'count',
      owner: 'amt_b',
      confidentiality: 'internal',
      description: `Nur ${MARK}`,
    },
    {
      key: 'geheim_b',
      name: `Geheim ${MARK}`,
      unit: 'Fälle',
      type: 'count',
      owner: 'amt_b',
      confidentiality: 'restricted',
    },
  ]);
  const rows = [
    'indicator;area;period;value',
    'einwohner;01;2023;4100',
    'einwohner;02;2023;4200',
    `intern_b;01;2023;${MARK_VALUE}`,
    'intern_b;02;2023;17',
    `geheim_b;01;2023;${MARK_VALUE}`,
  ];
  await importObservations(db, tmp.file('b.csv', rows.join('\n')), { principal: SYSTEM });
  await saveCockpit(
    db,
    { tiles: [{ id: 'tile_b', type: 'map', title: `Kachel ${MARK}`, indicator: 'intern_b', layer: 'bezirk' }] },
    SYSTEM,
  );
  await addUser(db, SYSTEM, { name: 'b_admin', role: 'admin', password: B_PASSWORD, displayName: `Admin ${MARK}` });
  await addUser(db, SYSTEM, { name: 'admin', role: 'admin', password: B_PASSWORD });
}

describe('tenant isolation against an attacker [postgres]', tenantGate(), () => {
  let t: Tenants;
  let pathApp: FastifyInstance;
  let hostApp: FastifyInstance;
  const tmp = tempDir();
  const A = uniqueKey('ia');
  const B = uniqueKey('ib');
  const aAuth: Record<string, Record<string, string>> = {};
  let bCookie = '';

  before(async () => {
    t = await openTenants();
    await t.add({ key: A, name: 'Musterstadt' }, async (db) => {
      await loadDemo(db, { dailyUntil: '2024-12-31' });
      await addUser(db, SYSTEM, { name: 'admin', role: 'admin', password: A_PASSWORD });
      await addUser(db, SYSTEM, { name: 'a_only', role: 'admin', password: A_PASSWORD });
    });
    await t.add({ key: B, name: 'Kleinstadt' }, (db) => fillB(db, tmp));
    pathApp = await buildTenantServer(t, { mode: 'path' }, { recheckMs: 60_000, loginAttemptsPerAddress: 100_000 });
    hostApp = await buildTenantServer(
      t,
      { mode: 'host', pattern: '{key}.km.test' },
      { recheckMs: 60_000, loginAttemptsPerAddress: 100_000 },
    );
    await pathApp.listen({ port: 0, host: '127.0.0.1' });
    await hostApp.listen({ port: 0, host: '127.0.0.1' });
    const login = await pathApp.inject({
      url: `/t/${A}/api/auth/login`,
      method: 'POST',
      payload: { user: 'admin', password: A_PASSWORD },
    });
    assert.equal(login.statusCode, 200, login.body);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const token = (await createToken(t.database((await t.require(A))!), SYSTEM, { user: 'admin', name: 'attack' }))
      .token;
    aAuth.session = { cookie, 'x-csrf-token': login.json().csrfToken };
    aAuth.token = { authorization: `Bearer ${token}` };
    aAuth.both = { ...aAuth.session, ...aAuth.token };
    const bl = await pathApp.inject({
      url: `/t/${B}/api/auth/login`,
      method: 'POST',
      payload: { user: 'b_admin', password: B_PASSWORD },
    });
    assert.equal(bl.statusCode, 200, bl.body);
    bCookie = String(bl.headers['set-cookie']).split(';')[0];
  });
  after(async () => {
    agent.destroy();
    await pathApp?.close();
    await hostApp?.close();
    if (t) {
      await dropTenants(t, [A, B]);
      await t.close();
    }
    tmp.cleanup();
  });

  const leaks = (r: { body: string; headers: Record<string, unknown> }): boolean => {
    const text = (r.body + JSON.stringify(r.headers)).toLowerCase();
    return text.includes(MARK) || text.includes(MARK_VALUE);
  };

  test('the markers are there for B’s own admin (the check below can see a leak)', async () => {
    const r = await send(pathApp, { url: `/t/${B}/api/indicators`, headers: { cookie: bCookie } });
    assert.ok(leaks(r), 'B’s admin sees B’s internal indicator');
    const o = await send(pathApp, {
      url: `/t/${B}/api/observations?indicator=intern_b&layer=bezirk`,
      headers: { cookie: bCookie },
    });
    assert.ok(leaks(o), o.body);
  });

  test('A’s users cannot sign in to B', async () => {
    for (const app of [pathApp, hostApp]) {
      for (const user of ['admin', 'a_only']) {
        const r = await send(app, {
          url: app === pathApp ? `/t/${B}/api/auth/login` : '/api/auth/login',
          method: 'POST',
          headers: app === hostApp ? { host: `${B}.km.test` } : {},
          payload: { user, password: A_PASSWORD },
        });
        assert.equal(r.statusCode, 401, `${user}: ${r.body}`);
        assert.doesNotMatch(String(r.headers['set-cookie'] ?? ''), /km_session=[^;]/);
      }
    }
  });

  test('at least 2,000 generated requests with A’s credentials return nothing of B', async () => {
    const spec = (await pathApp.inject({ url: `/t/${B}/api/openapi.json` })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const fill = (p: string) =>
      p
        .replace(/\{layer\}/g, 'bezirk')
        .replace(/\{area\}/g, '01')
        .replace(/\{collectionId\}/g, 'bezirk')
        .replace(/\{[a-zA-Z]+\}/g, 'intern_b');
    const paths = new Set<string>();
    for (const [p, methods] of Object.entries(spec.paths)) {
      if (!('get' in methods)) continue;
      const filled = fill(p);
      paths.add(filled);
      paths.add(`${filled}?indicator=intern_b&layer=bezirk&area=01`);
    }
    for (const extra of [
      '/api/users',
      '/api/departments',
      '/api/audit',
      '/api/tokens',
      '/api/cockpit',
      '/catalog',
      '/ogc/collections',
    ])
      paths.add(extra);
    assert.ok(paths.size >= 60, `B's API has ${paths.size} GET paths`);
    const encB = [...B].map((ch) => `%${ch.charCodeAt(0).toString(16)}`).join('');
    const crafted: ((p: string) => { url: string; headers?: Record<string, string> })[] = [
      (p) => ({ url: `/t/${B}${p}` }),
      (p) => ({ url: `/t/${A}/../${B}${p}` }),
      (p) => ({ url: `/t/${A}/%2e%2e/${B}${p}` }),
      (p) => ({ url: `/t/${A}%2F..%2F${B}${p}` }),
      (p) => ({ url: `/t/${A}/..%2F${B}${p}` }),
      (p) => ({ url: `/t/${encB}${p}` }),
      (p) => ({ url: `/t/${A}//t/${B}${p}` }),
      (p) => ({ url: `/T/${B.toUpperCase()}${p}` }),
      (p) => ({ url: `/t/${A}${p}${p.includes('?') ? '&' : '?'}tenant=${B}&schema=t_${B}&search_path=t_${B}` }),
      (p) => ({
        url: `/t/${A}${p}`,
        headers: {
          host: `${B}.km.test`,
          'x-forwarded-host': `${B}.km.test`,
          'x-tenant': B,
          'x-original-url': `/t/${B}${p}`,
          'x-rewrite-url': `/t/${B}${p}`,
        },
      }),
      (p) => ({ url: `/t/${A}\\..\\${B}${p}` }),
      (p) => ({ url: `/t/${A};/../${B}${p}` }),
    ];
    const hostCrafted: ((p: string) => { url: string; headers?: Record<string, string> })[] = [
      (p) => ({ url: p, headers: { host: `${B}.km.test` } }),
      (p) => ({ url: `/t/${B}${p}`, headers: { host: `${A}.km.test` } }),
      (p) => ({
        url: p,
        headers: { host: `${A}.km.test`, 'x-forwarded-host': `${B}.km.test`, forwarded: `host=${B}.km.test` },
      }),
      (p) => ({ url: p, headers: { host: `${A}.km.test.${B}.km.test` } }),
      (p) => ({ url: `http://${B}.km.test${p}`, headers: { host: `${A}.km.test` } }),
    ];
    const requests: { app: FastifyInstance; o: Raw; label: string }[] = [];
    for (const p of paths) {
      for (const [who, headers] of Object.entries(aAuth)) {
        for (const c of crafted) {
          const x = c(p);
          requests.push({
            app: pathApp,
            o: { url: x.url, headers: { ...headers, ...x.headers } },
            label: `${who} path ${x.url}`,
          });
        }
        for (const c of hostCrafted.slice(0, who === 'both' ? hostCrafted.length : 2)) {
          const x = c(p);
          requests.push({
            app: hostApp,
            o: { url: x.url, headers: { ...headers, ...x.headers } },
            label: `${who} host ${x.headers?.host} ${x.url}`,
          });
        }
      }
    }
    // Writes with A's session and CSRF token towards B: none may succeed, none may echo B.
    for (const c of crafted) {
      for (const [method, url, payload] of [
        ['PUT', '/api/cockpit', { tiles: [] }],
        ['POST', '/api/users', { name: 'intruder', role: 'admin', password: A_PASSWORD }],
        ['POST', '/api/tokens', { user: 'b_admin', name: 'x' }],
        ['POST', '/api/auth/login', { user: 'b_admin', password: A_PASSWORD }],
      ] as const) {
        const x = c(url);
        requests.push({
          app: pathApp,
          o: { method, url: x.url, headers: { ...aAuth.session, ...x.headers }, payload },
          label: `write ${method} ${x.url}`,
        });
      }
    }
    assert.ok(requests.length >= 2000, `${requests.length} requests`);

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < requests.length; i += 8) {
      await Promise.all(
        requests.slice(i, i + 8).map(async ({ app, o, label }) => {
          const r = await send(app, o);
          statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
          if (leaks(r)) failures.push(`${label} → ${r.statusCode}: ${r.body.slice(0, 200)}`);
          if (r.statusCode >= 500 && r.statusCode !== 503)
            failures.push(`${label} → ${r.statusCode}: ${r.body.slice(0, 200)}`);
        }),
      );
    }
    assert.deepEqual(
      failures.slice(0, 20),
      [],
      `${failures.length} of ${requests.length} requests leaked (statuses ${JSON.stringify([...statuses])})`,
    );
    // The attack did reach B (anonymously: 401/404 on what is not public, 200 on what is).
    assert.ok((statuses.get(200) ?? 0) > 100 && (statuses.get(401) ?? 0) > 50, JSON.stringify([...statuses]));
  });

  test('B is unchanged: its cockpit, users and tokens', async () => {
    const cockpit = await pathApp.inject({ url: `/t/${B}/api/cockpit`, headers: { cookie: bCookie } });
    assert.match(cockpit.body, new RegExp(`Kachel ${MARK}`));
    const db = t.database((await t.require(B))!);
    const users = (await db.query<{ name: string }>('SELECT name FROM app_user ORDER BY name')).rows.map((r) => r.name);
    assert.deepEqual(users, ['admin', 'b_admin']);
    assert.equal((await db.query('SELECT 1 FROM api_token')).rows.length, 0);
  });
});
