// OpenID Connect sign-in against a small identity provider run by the test itself (discovery,
// JWKS, authorize, token with a signed ID token): PKCE, state and nonce are checked, the
// account must exist here, and the return path stays on this site.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { engines, openEngine } from '../helpers/db.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { addUser, disableUser } from '../../src/services/users.ts';
import { buildServer } from '../../src/http/server.ts';
import { fakeProvider } from '../helpers/oidc-provider.ts';

describe('OpenID Connect sign-in', () => {
  let db: Database;
  let app: FastifyInstance;
  let idp: Awaited<ReturnType<typeof fakeProvider>>;
  before(async () => {
    db = await openEngine(engines[0]);
    idp = await fakeProvider();
    await addUser(db, SYSTEM, { name: 'a.schmidt', role: 'viewer', password: 'not used with single sign-on' });
    await addUser(db, SYSTEM, { name: 'b.weber', role: 'analyst', password: 'not used with single sign-on' });
    app = await buildServer(db, {
      oidc: {
        issuer: idp.url,
        clientId: 'kommunalmonitor',
        clientSecret: 'secret',
        redirectUrl: 'http://localhost:8080/api/auth/oidc/callback',
        allowHttp: true,
      },
    });
  });
  after(async () => {
    await app?.close();
    idp?.server.close();
    await db?.close();
  });

  /** Our login → the provider: the callback URL it sends the browser to, and the browser's state cookie. */
  async function startSignIn(returnTo = '/atlas', server = app) {
    const start = await server.inject({ url: `/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}` });
    assert.equal(start.statusCode, 302);
    const authorize = new URL(String(start.headers.location));
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('state') && authorize.searchParams.get('nonce'));
    const set = String(start.headers['set-cookie']);
    assert.match(set, /^km_oidc_state=[^;]+; Path=\/api\/auth\/oidc; HttpOnly; SameSite=Lax; Max-Age=600$/);
    const back = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(back.headers.get('location')!);
    return {
      url: callback.pathname + callback.search,
      cookie: set.split(';')[0],
      state: authorize.searchParams.get('state')!,
    };
  }

  /** Runs the browser's part: our login → provider → our callback, with the state cookie. */
  async function signIn(returnTo = '/atlas') {
    const s = await startSignIn(returnTo);
    return app.inject({ url: s.url, headers: { cookie: s.cookie } });
  }

  test('a known user signs in and gets a session', async () => {
    assert.deepEqual((await app.inject({ url: '/api/auth/methods' })).json(), { password: true, oidc: true });
    const r = await signIn('/atlas?indicator=einwohner');
    assert.equal(r.statusCode, 302, r.body);
    assert.equal(r.headers.location, '/atlas?indicator=einwohner');
    const cookies = ([] as string[]).concat(r.headers['set-cookie'] ?? []);
    assert.ok(
      cookies.some((c) => /^km_oidc_state=; .*Max-Age=0/.test(c)),
      'the state cookie is cleared',
    );
    const cookie = cookies.find((c) => c.startsWith('km_session='))!.split(';')[0];
    const me = await app.inject({ url: '/api/auth/me', headers: { cookie } });
    assert.deepEqual(me.json().user, { name: 'a.schmidt', role: 'viewer', department: null, sealedOffice: false });
  });

  test('unknown and disabled users are refused; foreign return paths are ignored; replayed callbacks fail', async () => {
    idp.nextUser.name = 'fremd';
    assert.equal((await signIn()).statusCode, 403);
    idp.nextUser.name = 'a.schmidt';
    const other = await signIn('//evil.example/phish');
    assert.equal(other.headers.location, '/');
    const once = await startSignIn();
    assert.equal((await app.inject({ url: once.url, headers: { cookie: once.cookie } })).statusCode, 302);
    assert.equal(
      (await app.inject({ url: once.url, headers: { cookie: once.cookie } })).statusCode,
      400,
      'a state is used once',
    );
    assert.equal((await app.inject({ url: '/api/auth/oidc/callback?code=x&state=forged' })).statusCode, 400);
    await disableUser(db, SYSTEM, 'a.schmidt');
    assert.equal((await signIn()).statusCode, 403);
  });

  test('a callback without the state cookie of the browser that started it is refused (login CSRF)', async () => {
    idp.nextUser.name = 'b.weber';
    // An attacker starts a sign-in with their own account and sends the callback link to a victim.
    const planted = await startSignIn();
    const r = await app.inject({ url: planted.url });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().message, /not started in this browser/);
    assert.equal(r.headers['set-cookie'], undefined, 'no session');
    const other = await app.inject({ url: planted.url, headers: { cookie: 'km_oidc_state=someone-elses' } });
    assert.equal(other.statusCode, 400);
    // Refusing them did not use the sign-in up: the browser that started it can still finish it.
    assert.equal((await app.inject({ url: planted.url, headers: { cookie: planted.cookie } })).statusCode, 302);
  });

  test('another server instance on the same database finishes a sign-in; a run-out one is refused', async () => {
    const second = await buildServer(db, {
      oidc: {
        issuer: idp.url,
        clientId: 'kommunalmonitor',
        clientSecret: 'secret',
        redirectUrl: 'http://localhost:8080/api/auth/oidc/callback',
        allowHttp: true,
      },
    });
    try {
      const s = await startSignIn('/profil', app);
      const r = await second.inject({ url: s.url, headers: { cookie: s.cookie } });
      assert.equal(r.statusCode, 302, r.body);
      assert.equal(r.headers.location, '/profil');
      const late = await startSignIn();
      await db.query(`UPDATE oidc_pending SET created_at = now() - interval '11 minutes'`);
      assert.equal((await app.inject({ url: late.url, headers: { cookie: late.cookie } })).statusCode, 400);
      assert.equal(
        (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM oidc_pending')).rows[0].n,
        0,
        'used and run-out sign-ins are gone',
      );
      // Only a hash of the state is stored.
      const fresh = await startSignIn();
      const stored = await db.query<{ state_hash: string }>('SELECT state_hash FROM oidc_pending');
      assert.ok(stored.rows.every((x) => x.state_hash !== fresh.state && /^[0-9a-f]{64}$/.test(x.state_hash)));
    } finally {
      await second.close();
    }
  });
});
