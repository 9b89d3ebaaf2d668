// [postgres] OpenID Connect per tenant (decision 0039): each tenant signs in through the provider
// in its own settings, with its callback and state cookie under /t/{key}/ and its sign-ins in
// flight in its own schema, so a sign-in started at tenant A never completes at tenant B.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildTenantServer } from '../../src/http/tenant-server.ts';
import type { Tenants } from '../../src/store/tenants.ts';
import type { Database } from '../../src/store/db.ts';
import {
  checkOidcSettings,
  readOidcSettings,
  removeOidcSettings,
  saveOidcSettings,
} from '../../src/services/oidc-settings.ts';
import { InputRejected } from '../../src/core/problems.ts';
import { tempDir } from '../helpers/files.ts';
import { fakeProvider } from '../helpers/oidc-provider.ts';
import { tenantGate, openTenants, uniqueKey, dropTenants, fillSmallCity } from '../helpers/tenants.ts';

describe('OpenID Connect settings are checked as a whole', () => {
  test('addresses, client, role and claim', () => {
    const ok = {
      issuer: 'https://login.example.org/realms/a',
      clientId: 'km',
      redirectUrl: 'https://km.example.org/t/a/api/auth/oidc/callback',
    };
    assert.deepEqual(checkOidcSettings(ok), ok);
    for (const bad of [
      { ...ok, issuer: 'login.example.org' },
      { ...ok, issuer: 'http://login.example.org/' },
      { ...ok, clientId: ' ' },
      { ...ok, redirectUrl: 'https://km.example.org/t/a/api/auth/oidc/login' },
      { ...ok, redirectUrl: 'https://km.example.org/t/a/api/auth/oidc/callback?x=1' },
      { ...ok, redirectUrl: 'https://user:pw@km.example.org/api/auth/oidc/callback' },
      { ...ok, provisionRole: 'root' as never },
      { ...ok, usernameClaim: 'a b' },
    ])
      assert.throws(() => checkOidcSettings(bad), InputRejected, JSON.stringify(bad));
    assert.equal(
      checkOidcSettings({ ...ok, issuer: 'http://127.0.0.1:1/', allowHttp: true }).issuer,
      'http://127.0.0.1:1/',
    );
  });
});

describe('OpenID Connect per tenant [postgres]', tenantGate(), () => {
  let t: Tenants;
  let app: FastifyInstance;
  let idpA: Awaited<ReturnType<typeof fakeProvider>>;
  let idpB: Awaited<ReturnType<typeof fakeProvider>>;
  const tmp = tempDir();
  const a = uniqueKey('oa');
  const b = uniqueKey('ob');
  const c = uniqueKey('oc');
  const dbOf = async (key: string): Promise<Database> => t.database((await t.require(key))!);

  before(async () => {
    t = await openTenants();
    idpA = await fakeProvider('km-a');
    idpB = await fakeProvider('km-b');
    // The same user name in both tenants: only the tenant that started a sign-in may finish it.
    await t.add({ key: a, name: 'Stadt A' }, (db) => fillSmallCity(db, tmp, 'MARKERA', 1000));
    await t.add({ key: b, name: 'Gemeinde B' }, (db) => fillSmallCity(db, tmp, 'MARKERB', 5000));
    await t.add({ key: c, name: 'Gemeinde C' });
    idpA.nextUser.name = 'analyst';
    idpB.nextUser.name = 'analyst';
    await saveOidcSettings(await dbOf(a), {
      issuer: idpA.url,
      clientId: 'km-a',
      clientSecret: 'secret-a',
      redirectUrl: `http://km.example.org/t/${a}/api/auth/oidc/callback`,
      allowHttp: true,
    });
    await saveOidcSettings(await dbOf(b), {
      issuer: idpB.url,
      clientId: 'km-b',
      clientSecret: 'secret-b',
      redirectUrl: `http://km.example.org/t/${b}/api/auth/oidc/callback`,
      allowHttp: true,
    });
    app = await buildTenantServer(t, { mode: 'path' }, { recheckMs: 0, loginAttemptsPerAddress: 1000 });
  });
  after(async () => {
    await app?.close();
    idpA?.server.close();
    idpB?.server.close();
    if (t) {
      await dropTenants(t, [a, b, c]);
      await t.close();
    }
    tmp.cleanup();
  });

  /** The tenant's login → its provider: the callback path the provider sends the browser to, and the state cookie. */
  async function start(key: string, returnTo = '/atlas') {
    const r = await app.inject({ url: `/t/${key}/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}` });
    assert.equal(r.statusCode, 302, r.body);
    const authorize = new URL(String(r.headers.location));
    const set = String(r.headers['set-cookie']);
    const back = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    return { authorize, set, cookie: set.split(';')[0], path: callback.pathname + callback.search, callback };
  }

  test('each tenant signs in through its own provider, under its own prefix', async () => {
    for (const [key, idp, client] of [
      [a, idpA, 'km-a'],
      [b, idpB, 'km-b'],
    ] as const) {
      assert.deepEqual((await app.inject({ url: `/t/${key}/api/auth/methods` })).json(), {
        password: true,
        oidc: true,
      });
      const s = await start(key, '/profil?area=01');
      assert.equal(s.authorize.origin, idp.url, 'the tenant’s provider');
      assert.equal(s.authorize.searchParams.get('client_id'), client);
      assert.equal(
        s.authorize.searchParams.get('redirect_uri'),
        `http://km.example.org/t/${key}/api/auth/oidc/callback`,
      );
      assert.match(
        s.set,
        new RegExp(`^km_oidc_state=[^;]+; Path=/t/${key}/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=600$`),
      );
      assert.equal(s.callback.pathname, `/t/${key}/api/auth/oidc/callback`);
      const done = await app.inject({ url: s.path, headers: { cookie: s.cookie } });
      assert.equal(done.statusCode, 302, done.body);
      assert.equal(done.headers.location, `/t/${key}/profil?area=01`, 'back into the same tenant');
      const cookies = ([] as string[]).concat(done.headers['set-cookie'] ?? []);
      const session = cookies.find((x) => x.startsWith('km_session='))!;
      assert.match(session, new RegExp(`Path=/t/${key}/;`));
      const me = await app.inject({ url: `/t/${key}/api/auth/me`, headers: { cookie: session.split(';')[0] } });
      assert.equal(me.json().user.name, 'analyst');
    }
    // A tenant without settings offers passwords only.
    assert.deepEqual((await app.inject({ url: `/t/${c}/api/auth/methods` })).json(), { password: true, oidc: false });
    assert.equal((await app.inject({ url: `/t/${c}/api/auth/oidc/login` })).statusCode, 404);
  });

  test('a sign-in started at A never completes at B; its pending state is in A’s schema only', async () => {
    const s = await start(a);
    const count = async (key: string) =>
      (await (await dbOf(key)).query<{ n: number }>('SELECT count(*)::int AS n FROM oidc_pending')).rows[0].n;
    assert.equal(await count(a), 1);
    assert.equal(await count(b), 0);
    // The callback of A's sign-in delivered to B (state and code in the query, A's state cookie sent along).
    const atB = await app.inject({
      url: `/t/${b}/api/auth/oidc/callback${s.callback.search}`,
      headers: { cookie: s.cookie },
    });
    assert.equal(atB.statusCode, 400, atB.body);
    assert.match(atB.json().message, /not started in this browser/);
    assert.equal(
      ([] as string[]).concat(atB.headers['set-cookie'] ?? []).some((x) => x.startsWith('km_session=')),
      false,
      'no session at B',
    );
    // A return address naming another tenant stays inside A.
    const other = await start(a, `/t/${b}/atlas`);
    const done = await app.inject({ url: other.path, headers: { cookie: other.cookie } });
    assert.equal(done.headers.location, `/t/${a}/t/${b}/atlas`);
    // A's own sign-in was not used up by the attempt at B.
    const r = await app.inject({ url: s.path, headers: { cookie: s.cookie } });
    assert.equal(r.statusCode, 302);
    assert.equal(r.headers.location, `/t/${a}/atlas`);
  });

  test('settings take effect without a restart; a callback outside the prefix is refused', async () => {
    const dbC = await dbOf(c);
    await saveOidcSettings(dbC, {
      issuer: idpA.url,
      clientId: 'km-a',
      redirectUrl: `http://km.example.org/t/${a}/api/auth/oidc/callback`,
      allowHttp: true,
    });
    assert.equal((await readOidcSettings(dbC))?.clientId, 'km-a');
    await new Promise((r) => setTimeout(r, 5100));
    assert.deepEqual((await app.inject({ url: `/t/${c}/api/auth/methods` })).json(), { password: true, oidc: true });
    // C's settings name A's callback: refused before anything goes to the provider.
    const r = await app.inject({ url: `/t/${c}/api/auth/oidc/login` });
    assert.equal(r.statusCode, 409, r.body);
    assert.match(r.json().message, new RegExp(`must end with /t/${c}/api/auth/oidc/callback`));
    await removeOidcSettings(dbC);
  });
});
