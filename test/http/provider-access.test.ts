// [postgres] A provider administrator reads a tenant's data only when that tenant has granted it:
// without a grant no token; the tenant's administrator grants viewer or analyst until a day at
// most 90 days ahead (no one else may); the provider API then gives a day's API token of that
// tenant only, with the granted role; revoking ends the token at once; everything is audited in
// the tenant's trail.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildTenantServer } from '../../src/http/tenant-server.ts';
import type { Tenants } from '../../src/store/tenants.ts';
import { addProviderAdmin } from '../../src/services/provider.ts';
import { tempDir } from '../helpers/files.ts';
import { PASSWORD } from '../helpers/roles.ts';
import { tenantGate, openTenants, uniqueKey, dropTenants, fillSmallCity } from '../helpers/tenants.ts';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe('provider access to a tenant’s data [postgres]', tenantGate(), () => {
  let t: Tenants;
  let app: FastifyInstance;
  const tmp = tempDir();
  const a = uniqueKey('ga');
  const b = uniqueKey('gb');
  const admin = `ops-${randomBytes(4).toString('hex')}`;
  const password = `provider ${randomBytes(8).toString('hex')}`;
  const provider = { cookie: '', csrf: '' };

  const signIn = async (key: string, user: string) => {
    const r = await app.inject({
      method: 'POST',
      url: `/t/${key}/api/auth/login`,
      payload: { user, password: PASSWORD },
    });
    assert.equal(r.statusCode, 200, r.body);
    return { cookie: String(r.headers['set-cookie']).split(';')[0], 'x-csrf-token': r.json().csrfToken as string };
  };
  const takeToken = (key: string) =>
    app.inject({
      method: 'POST',
      url: `/provider/api/tenants/${key}/access-token`,
      headers: { cookie: provider.cookie, 'x-csrf-token': provider.csrf },
    });
  const indicators = async (key: string, token?: string) =>
    app.inject({ url: `/t/${key}/api/indicators`, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const trail = async (key: string, headers: Record<string, string>) =>
    (await app.inject({ url: `/t/${key}/api/audit?limit=1000`, headers })).json();

  before(async () => {
    t = await openTenants();
    await t.add({ key: a, name: 'Stadt A' }, (db) => fillSmallCity(db, tmp, 'MARKERA', 1000));
    await t.add({ key: b, name: 'Gemeinde B' }, (db) => fillSmallCity(db, tmp, 'MARKERB', 5000));
    await addProviderAdmin(t, admin, password);
    app = await buildTenantServer(t, { mode: 'path' }, { recheckMs: 0, loginAttemptsPerAddress: 1000 });
    const r = await app.inject({ method: 'POST', url: '/provider/api/login', payload: { user: admin, password } });
    assert.equal(r.statusCode, 200, r.body);
    provider.cookie = String(r.headers['set-cookie']).split(';')[0];
    provider.csrf = r.json().csrfToken;
  });
  after(async () => {
    await app?.close();
    if (t) {
      await dropTenants(t, [a, b]);
      await t.shared.query('DELETE FROM provider_session WHERE admin = $1', [admin]);
      await t.shared.query('DELETE FROM provider_admin WHERE name = $1', [admin]);
      await t.close();
    }
    tmp.cleanup();
  });

  test('without a grant: no token, and the refusal is in the tenant’s trail', async () => {
    const r = await takeToken(a);
    assert.equal(r.statusCode, 403, r.body);
    assert.match(r.json().message, /has not granted/);
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: `/provider/api/tenants/${a}/access-token`,
          headers: { cookie: provider.cookie },
        })
      ).statusCode,
      403,
      'no CSRF token',
    );
    assert.equal(
      (await app.inject({ method: 'POST', url: `/provider/api/tenants/${a}/access-token` })).statusCode,
      401,
      'not signed in',
    );
  });

  test('only the tenant’s administrators grant; only reading roles; at most 90 days', async () => {
    const viewer = await signIn(a, 'viewer');
    const put = (headers: Record<string, string>, payload: object) =>
      app.inject({ method: 'PUT', url: `/t/${a}/api/provider-access/${admin}`, headers, payload });
    assert.equal((await put(viewer, { role: 'viewer', until: day(7) })).statusCode, 403);
    assert.equal((await put({}, { role: 'viewer', until: day(7) })).statusCode, 401);
    const adminA = await signIn(a, 'admin');
    for (const bad of [
      { role: 'admin', until: day(7) },
      { role: 'viewer', until: day(91) },
      { role: 'viewer', until: day(-1) },
      { role: 'viewer', until: '31.12.2026' },
    ]) {
      const r = await put(adminA, bad);
      assert.equal(r.statusCode, 400, JSON.stringify(bad));
    }
    const r = await put(adminA, { role: 'viewer', until: day(7) });
    assert.equal(r.statusCode, 200, r.body);
    assert.deepEqual(
      { ...r.json().grant, grantedAt: undefined },
      { admin, role: 'viewer', until: day(7), grantedBy: 'admin', grantedAt: undefined, current: true },
    );
  });

  test('with the grant: a day’s token of that tenant only, reading as the granted role', async () => {
    const r = await takeToken(a);
    assert.equal(r.statusCode, 201, r.body);
    const got = r.json();
    assert.equal(got.tenant, a);
    assert.equal(got.user, `provider.${admin}`);
    assert.equal(got.role, 'viewer');
    assert.match(got.token, /^km_/);
    const own = await indicators(a, got.token);
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /intern_markera/, 'internal indicators, as a signed-in viewer sees them');
    assert.doesNotMatch((await indicators(a)).body, /intern_markera/, 'not for anonymous callers');
    assert.equal((await indicators(b, got.token)).statusCode, 401, 'the token means nothing to another tenant');
    assert.equal((await takeToken(b)).statusCode, 403, 'B has granted nothing');
    // A reading role: no administration with the token.
    assert.equal(
      (await app.inject({ url: `/t/${a}/api/users`, headers: { authorization: `Bearer ${got.token}` } })).statusCode,
      403,
    );
  });

  test('revoking ends the token at once; grant, token and revoke are audited', async () => {
    const { token } = (await takeToken(a)).json();
    assert.equal((await indicators(a, token)).statusCode, 200);
    const adminA = await signIn(a, 'admin');
    assert.equal(
      (await app.inject({ method: 'DELETE', url: `/t/${a}/api/provider-access/${admin}`, headers: adminA })).statusCode,
      200,
    );
    assert.equal((await indicators(a, token)).statusCode, 401);
    assert.equal((await takeToken(a)).statusCode, 403);
    assert.equal(
      (await app.inject({ method: 'DELETE', url: `/t/${a}/api/provider-access/${admin}`, headers: adminA })).statusCode,
      404,
    );
    const actions = (await trail(a, adminA)).entries.map((e: { action: string }) => e.action);
    for (const action of [
      'provider-access.refused',
      'provider-access.grant',
      'provider-access.token',
      'provider-access.revoke',
    ])
      assert.ok(actions.includes(action), `${action} in ${actions}`);
    // A new grant enables the same account again.
    assert.equal(
      (
        await app.inject({
          method: 'PUT',
          url: `/t/${a}/api/provider-access/${admin}`,
          headers: adminA,
          payload: { role: 'analyst', until: day(1) },
        })
      ).statusCode,
      200,
    );
    const again = (await takeToken(a)).json();
    assert.equal(again.role, 'analyst');
    assert.equal((await indicators(a, again.token)).statusCode, 200);
  });
});
