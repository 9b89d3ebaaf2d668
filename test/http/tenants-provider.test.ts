// [postgres] Provider administrators: created on the command line, signed in at /provider/api/
// where no tenant is named; they list, add, suspend and resume tenants and reach no tenant's
// data; their sessions mean nothing to a tenant, and a tenant's session nothing to them.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildTenantServer } from '../../src/http/tenant-server.ts';
import type { Tenants } from '../../src/store/tenants.ts';
import { tempDir } from '../helpers/files.ts';
import { PASSWORD } from '../helpers/roles.ts';
import { tenantGate, openTenants, uniqueKey, dropTenants, fillSmallCity } from '../helpers/tenants.ts';

describe('provider administrators [postgres]', tenantGate(), () => {
  let t: Tenants;
  let app: FastifyInstance;
  let hostApp: FastifyInstance;
  const tmp = tempDir();
  const a = uniqueKey('pa');
  const added = uniqueKey('pn');
  const admin = `prov-${randomBytes(4).toString('hex')}`;
  const password = `provider ${randomBytes(8).toString('hex')}`;
  let cookie = '';
  let csrf = '';

  before(async () => {
    t = await openTenants();
    await t.add({ key: a, name: 'Stadt A' }, (db) => fillSmallCity(db, tmp, 'MARKERA', 1000));
    const r = spawnSync(process.execPath, ['bin/kommunalmonitor.mjs', 'tenants', 'admins', 'add', admin], {
      input: `${password}\n`,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Created provider administrator "${admin}"`));
    app = await buildTenantServer(t, { mode: 'path' }, { recheckMs: 0, loginAttemptsPerAddress: 1000 });
    hostApp = await buildTenantServer(
      t,
      { mode: 'host', pattern: '{key}.km.test' },
      { recheckMs: 0, loginAttemptsPerAddress: 1000 },
    );
  });
  after(async () => {
    await app?.close();
    await hostApp?.close();
    if (t) {
      await dropTenants(t, [a, added]);
      await t.shared.query('DELETE FROM provider_session WHERE admin = $1', [admin]);
      await t.shared.query('DELETE FROM provider_admin WHERE name = $1', [admin]);
      await t.close();
    }
    tmp.cleanup();
  });

  test('sign-in: wrong password refused, right one gives a cookie for /provider/ only', async () => {
    let r = await app.inject({
      method: 'POST',
      url: '/provider/api/login',
      payload: { user: admin, password: 'wrong password here' },
    });
    assert.equal(r.statusCode, 401);
    r = await app.inject({ method: 'POST', url: '/provider/api/login', payload: { user: 'nobody', password } });
    assert.equal(r.statusCode, 401);
    r = await app.inject({ method: 'POST', url: '/provider/api/login', payload: { user: admin, password } });
    assert.equal(r.statusCode, 200, r.body);
    const set = String(r.headers['set-cookie']);
    assert.match(set, /Path=\/provider\/; HttpOnly; SameSite=Strict/);
    cookie = set.split(';')[0];
    csrf = r.json().csrfToken;
    assert.equal((await app.inject({ url: '/provider/api/me', headers: { cookie } })).json().name, admin);
    assert.equal((await app.inject({ url: '/provider/api/me' })).statusCode, 401);
    assert.equal((await app.inject({ url: '/provider/api/nothing', headers: { cookie } })).statusCode, 404);
  });

  test('the directory: list, add (with CSRF token), suspend and resume', async () => {
    let r = await app.inject({ url: '/provider/api/tenants', headers: { cookie } });
    assert.equal(r.statusCode, 200);
    const listed = r.json().tenants as { key: string; served: boolean }[];
    assert.ok(listed.some((x) => x.key === a && x.served));
    assert.doesNotMatch(r.body, /MARKERA|markera/i, 'no tenant data in the directory');
    r = await app.inject({
      method: 'POST',
      url: '/provider/api/tenants',
      headers: { cookie },
      payload: { key: added, name: 'Neue Gemeinde' },
    });
    assert.equal(r.statusCode, 403, 'a change needs the CSRF token');
    r = await app.inject({
      method: 'POST',
      url: '/provider/api/tenants',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { key: added, name: 'Neue Gemeinde', officialKey: '06440003' },
    });
    assert.equal(r.statusCode, 201, r.body);
    assert.equal((await app.inject({ url: `/t/${added}/api/indicators` })).statusCode, 200);
    r = await app.inject({
      method: 'POST',
      url: '/provider/api/tenants',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { key: 'Bad_Key', name: 'x' },
    });
    assert.equal(r.statusCode, 400);
    r = await app.inject({
      method: 'POST',
      url: `/provider/api/tenants/${added}/suspend`,
      headers: { cookie, 'x-csrf-token': csrf },
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal((await app.inject({ url: `/t/${added}/api/indicators` })).statusCode, 503);
    r = await app.inject({
      method: 'POST',
      url: `/provider/api/tenants/${added}/resume`,
      headers: { cookie, 'x-csrf-token': csrf },
    });
    assert.equal((await app.inject({ url: `/t/${added}/api/indicators` })).statusCode, 200);
  });

  test('provider and tenant sessions do not cross; the provider API is not inside a tenant', async () => {
    // A provider session is nobody in a tenant.
    let r = await app.inject({ url: `/t/${a}/api/auth/me`, headers: { cookie } });
    assert.equal(r.json().user, null);
    assert.equal(
      (await app.inject({ url: `/t/${a}/api/indicators/intern_markera`, headers: { cookie } })).statusCode,
      401,
    );
    // A tenant admin's session is nobody to the provider API.
    const login = await app.inject({
      method: 'POST',
      url: `/t/${a}/api/auth/login`,
      payload: { user: 'admin', password: PASSWORD },
    });
    const tenantCookie = String(login.headers['set-cookie']).split(';')[0];
    assert.equal(
      (await app.inject({ url: '/provider/api/tenants', headers: { cookie: tenantCookie } })).statusCode,
      401,
    );
    // A tenant admin cannot sign in as provider with the tenant's credentials.
    assert.equal(
      (await app.inject({ method: 'POST', url: '/provider/api/login', payload: { user: 'admin', password: PASSWORD } }))
        .statusCode,
      401,
    );
    // Under a tenant's prefix or host, /provider/ is that tenant's path (none): no provider API.
    assert.equal((await app.inject({ url: `/t/${a}/provider/api/tenants`, headers: { cookie } })).statusCode, 404);
    r = await hostApp.inject({ url: '/provider/api/tenants', headers: { cookie, host: `${a}.km.test` } });
    assert.notEqual(r.statusCode, 200);
    r = await hostApp.inject({ url: '/provider/api/tenants', headers: { cookie, host: 'admin.example.org' } });
    assert.equal(r.statusCode, 200, 'on a host that is no tenant the provider API answers');
  });

  test('the provider API can be turned off', async () => {
    const off = await buildTenantServer(t, { mode: 'path' }, { providerApi: false });
    try {
      const r = await off.inject({ method: 'POST', url: '/provider/api/login', payload: { user: admin, password } });
      assert.equal(r.statusCode, 404);
    } finally {
      await off.close();
    }
  });

  test('signing out ends the session; a disabled administrator cannot sign in', async () => {
    let r = await app.inject({
      method: 'POST',
      url: '/provider/api/logout',
      headers: { cookie, 'x-csrf-token': csrf },
    });
    assert.equal(r.statusCode, 200);
    assert.equal((await app.inject({ url: '/provider/api/me', headers: { cookie } })).statusCode, 401);
    const d = spawnSync(process.execPath, ['bin/kommunalmonitor.mjs', 'tenants', 'admins', 'disable', admin], {
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL },
    });
    assert.equal(d.status, 0, d.stderr);
    r = await app.inject({ method: 'POST', url: '/provider/api/login', payload: { user: admin, password } });
    assert.equal(r.statusCode, 401);
  });
});
