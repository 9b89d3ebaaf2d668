// [postgres] One listener, many municipalities: requests find their tenant by path prefix or host
// name; each tenant has its own app, caches and users; tenants not current answer 503.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { buildTenantServer, routeOf, tenantRoutingFromEnv } from '../../src/http/tenant-server.ts';
import type { Tenants } from '../../src/store/tenants.ts';
import { tempDir } from '../helpers/files.ts';
import { PASSWORD } from '../helpers/roles.ts';
import { tenantGate, openTenants, uniqueKey, dropTenants, fillSmallCity } from '../helpers/tenants.ts';

describe('tenant routing configuration', () => {
  test('path, host, none; bad settings are refused', () => {
    assert.equal(tenantRoutingFromEnv({}), undefined);
    assert.equal(tenantRoutingFromEnv({ KOMMUNALMONITOR_TENANT_ROUTING: 'none' }), undefined);
    assert.deepEqual(tenantRoutingFromEnv({ KOMMUNALMONITOR_TENANT_ROUTING: 'path' }), { mode: 'path' });
    assert.deepEqual(
      tenantRoutingFromEnv({
        KOMMUNALMONITOR_TENANT_ROUTING: 'host',
        KOMMUNALMONITOR_TENANT_HOSTS: 'statistik.musterstadt.de=musterstadt',
        KOMMUNALMONITOR_TENANT_HOST_PATTERN: '{key}.km.example.org',
      }),
      {
        mode: 'host',
        hosts: { 'statistik.musterstadt.de': 'musterstadt' },
        pattern: '{key}.km.example.org',
      },
    );
    assert.throws(() => tenantRoutingFromEnv({ KOMMUNALMONITOR_TENANT_ROUTING: 'cookie' }), /path, host or none/);
    assert.throws(
      () => tenantRoutingFromEnv({ KOMMUNALMONITOR_TENANT_ROUTING: 'host' }),
      /needs KOMMUNALMONITOR_TENANT_HOSTS/,
    );
    assert.throws(
      () =>
        tenantRoutingFromEnv({
          KOMMUNALMONITOR_TENANT_ROUTING: 'host',
          KOMMUNALMONITOR_TENANT_HOST_PATTERN: 'km.{key}.org',
        }),
      /must look like/,
    );
  });

  test('the route of a request: the key from the prefix or host, nothing else', () => {
    const path = { mode: 'path' } as const;
    assert.deepEqual(routeOf(path, '/t/a/api/x?y=1', 'h'), { key: 'a', url: '/api/x?y=1', base: '/t/a/' });
    assert.deepEqual(routeOf(path, '/t/a', 'h'), { redirect: '/t/a/' });
    for (const url of [
      '/api/x',
      '/t//api',
      '/t/A/api',
      '/t/a%2Fb/api',
      '/t/%61/api',
      '/t/a_b/api',
      '/tt/a/api',
      '/t/../a/api',
    ])
      assert.ok('missing' in routeOf(path, url, 'h'), url);
    // Dot segments after the key stay in the tenant's own app (which has no such route).
    assert.deepEqual(routeOf(path, '/t/a/../b/api', 'h'), { key: 'a', url: '/../b/api', base: '/t/a/' });
    const host = { mode: 'host', hosts: { 'statistik.stadt.de': 'a' }, pattern: '{key}.km.example.org' } as const;
    assert.deepEqual(routeOf(host, '/api', 'statistik.stadt.de'), { key: 'a', url: '/api', base: '/' });
    assert.deepEqual(routeOf(host, '/api', 'B.KM.example.org.'), { key: 'b', url: '/api', base: '/' });
    for (const h of [
      'km.example.org',
      '.km.example.org',
      'x.y.km.example.org',
      'a_b.km.example.org',
      'evil.org',
      'a.km.example.org.evil.org',
    ])
      assert.ok('missing' in routeOf(host, '/api', h), h);
  });
});

describe('tenant server [postgres]', tenantGate(), () => {
  let t: Tenants;
  let app: FastifyInstance;
  let hostApp: FastifyInstance;
  const tmp = tempDir();
  const a = uniqueKey('ha');
  const b = uniqueKey('hb');
  const c = uniqueKey('hc');

  before(async () => {
    t = await openTenants();
    await t.add({ key: a, name: 'Stadt A' }, (db) => fillSmallCity(db, tmp, 'MARKERA', 1000));
    await t.add({ key: b, name: 'Gemeinde B' }, (db) => fillSmallCity(db, tmp, 'MARKERB', 5000));
    await t.add({ key: c, name: 'Gemeinde C' });
    app = await buildTenantServer(t, { mode: 'path' }, { recheckMs: 0, loginAttemptsPerAddress: 1000 });
    hostApp = await buildTenantServer(
      t,
      { mode: 'host', hosts: { 'statistik.stadt-a.de': a }, pattern: '{key}.km.example.org' },
      { recheckMs: 0, loginAttemptsPerAddress: 1000 },
    );
  });
  after(async () => {
    await app?.close();
    await hostApp?.close();
    if (t) {
      await dropTenants(t, [a, b, c]);
      await t.close();
    }
    tmp.cleanup();
  });

  test('each tenant answers with its own data under its prefix', async () => {
    for (const [key, value] of [
      [a, 1000],
      [b, 5000],
    ] as const) {
      const r = await app.inject({ url: `/t/${key}/api/observations?indicator=einwohner&layer=bezirk` });
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(
        r.json().values.map((v: { value: number }) => v.value),
        [value, value + 1],
      );
    }
    const r = await app.inject({ url: `/t/${c}/api/indicators` });
    assert.deepEqual(r.json().indicators, []);
  });

  test('outside a prefix, unknown tenants and the health check', async () => {
    let r = await app.inject({ url: '/api/indicators' });
    assert.equal(r.statusCode, 404);
    assert.match(r.json().message, /address one as \/t\/\{key\}/);
    r = await app.inject({ url: `/t/${uniqueKey('none')}/api/indicators` });
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().message, 'There is no such tenant.');
    r = await app.inject({ url: `/t/${a}` });
    assert.equal(r.statusCode, 308);
    assert.equal(r.headers.location, `/t/${a}/`);
    r = await app.inject({ url: '/api/health' });
    assert.deepEqual(r.json(), { status: 'ok', database: 'server', tenants: true });
  });

  test('host names: the map, the pattern, and nothing from X-Forwarded-Host without a trusted proxy', async () => {
    let r = await hostApp.inject({
      url: '/api/observations?indicator=einwohner&layer=bezirk',
      headers: { host: 'statistik.stadt-a.de' },
    });
    assert.equal(r.json().values[0].value, 1000);
    r = await hostApp.inject({
      url: '/api/observations?indicator=einwohner&layer=bezirk',
      headers: { host: `${b}.km.example.org:8443` },
    });
    assert.equal(r.json().values[0].value, 5000);
    r = await hostApp.inject({
      url: '/api/indicators',
      headers: { host: 'km.example.org', 'x-forwarded-host': `${b}.km.example.org` },
    });
    assert.equal(r.statusCode, 404);
  });

  test('a session of one tenant is refused by another; the cookie is scoped to its tenant', async () => {
    const login = await app.inject({
      url: `/t/${a}/api/auth/login`,
      method: 'POST',
      payload: { user: 'admin', password: PASSWORD },
    });
    assert.equal(login.statusCode, 200, login.body);
    const setCookie = String(login.headers['set-cookie']);
    assert.match(setCookie, new RegExp(`Path=/t/${a}/;`));
    const cookie = setCookie.split(';')[0];
    let r = await app.inject({ url: `/t/${a}/api/auth/me`, headers: { cookie } });
    assert.equal(r.json().user.name, 'admin');
    r = await app.inject({ url: `/t/${b}/api/auth/me`, headers: { cookie } });
    assert.equal(r.json().user, null);
    r = await app.inject({ url: `/t/${b}/api/indicators/intern_markerb`, headers: { cookie } });
    assert.equal(r.statusCode, 401);
    r = await app.inject({
      url: `/t/${c}/api/auth/login`,
      method: 'POST',
      payload: { user: 'admin', password: PASSWORD },
    });
    assert.equal(r.statusCode, 401, 'C has no users: A’s admin cannot sign in there');
  });

  test('OGC API and catalogue links carry the tenant’s prefix', async () => {
    let r = await app.inject({ url: `/t/${a}/ogc/collections`, headers: { host: 'km.example.org' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.match(r.body, new RegExp(`http://km\\.example\\.org/t/${a}/ogc/collections`));
    assert.doesNotMatch(r.body, /example\.org\/ogc/);
    r = await app.inject({ url: `/t/${a}/catalog?format=ttl`, headers: { host: 'km.example.org' } });
    if (r.statusCode === 200) assert.doesNotMatch(r.body, /example\.org\/catalog/);
  });

  test('catalogue pages are per tenant: publisher, datasets and addresses', async () => {
    const { setPublisher } = await import('../../src/services/dcat.ts');
    const { SYSTEM } = await import('../../src/core/access.ts');
    for (const [k, name] of [
      [a, 'Stadt A'],
      [b, 'Gemeinde B'],
    ] as const) {
      await setPublisher(t.database((await t.require(k))!), SYSTEM, {
        name,
        officialKey: '05315000',
        licence: 'dl-by-de/2.0',
        contact: { name: 'Statistikstelle', email: 'statistik@example.de' },
      });
    }
    for (let i = 0; i < 2; i++) {
      for (const [k, own, other] of [
        [a, 'Stadt A', 'Gemeinde B'],
        [b, 'Gemeinde B', 'Stadt A'],
      ] as const) {
        const r = await app.inject({ url: `/t/${k}/catalog?format=ttl`, headers: { host: 'km.example.org' } });
        assert.equal(r.statusCode, 200, r.body);
        assert.match(r.body, new RegExp(own));
        assert.doesNotMatch(r.body, new RegExp(other));
        assert.match(r.body, new RegExp(`km\\.example\\.org/t/${k}/`));
      }
    }
  });

  test('answer caches are per tenant', async () => {
    const url = (k: string) => `/t/${k}/api/observations?indicator=einwohner&layer=bezirk`;
    for (let i = 0; i < 3; i++) {
      assert.equal((await app.inject({ url: url(a) })).json().values[0].value, 1000);
      assert.equal((await app.inject({ url: url(b) })).json().values[0].value, 5000);
    }
  });

  test('one prepared-answer cache for all tenants: the same request target on two hosts keeps each tenant its own answer', async () => {
    const target = '/api/observations?indicator=einwohner&layer=bezirk&period=2023';
    const hosts = [
      [`${a}.km.example.org`, 1000],
      [`${b}.km.example.org`, 5000],
    ] as const;
    const etags = new Map<string, string>();
    for (let round = 0; round < 3; round++)
      for (const [host, value] of hosts) {
        const r = await hostApp.inject({ url: target, headers: { host } });
        assert.equal(r.statusCode, 200, r.body);
        assert.deepEqual(
          r.json().values.map((v: { value: number }) => v.value),
          [value, value + 1],
          `${host}, round ${round}`,
        );
        const etag = String(r.headers.etag);
        if (round === 0) etags.set(host, etag);
        // From the second round on the answer is the prepared one (same bytes, same ETag), and a revalidation gets 304.
        else {
          assert.equal(etag, etags.get(host));
          assert.equal(
            (await hostApp.inject({ url: target, headers: { host, 'if-none-match': etag } })).statusCode,
            304,
          );
        }
      }
    assert.notEqual(etags.get(hosts[0][0]), etags.get(hosts[1][0]));
  });

  test('concurrent first requests share one app; beyond maxApps idle apps are closed and rebuilt', async () => {
    const small = await buildTenantServer(t, { mode: 'path' }, { recheckMs: 0, maxApps: 1 });
    try {
      const first = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          small.inject({ url: `/t/${i % 2 ? a : b}/api/observations?indicator=einwohner&layer=bezirk` }),
        ),
      );
      first.forEach((r, i) => assert.equal(r.json().values[0].value, i % 2 ? 1000 : 5000));
      for (const k of [a, b, c, a, c, b])
        assert.equal((await small.inject({ url: `/t/${k}/api/indicators` })).statusCode, 200, k);
    } finally {
      await small.close();
    }
  });

  test('a suspended tenant, or one whose schema is behind, answers 503 and comes back', async () => {
    await t.setStatus(b, 'suspended');
    let r = await app.inject({ url: `/t/${b}/api/indicators` });
    assert.equal(r.statusCode, 503);
    assert.equal(r.headers['retry-after'], '30');
    assert.match(r.json().message, /is suspended/);
    await t.setStatus(b, 'active');
    await t.shared.query('UPDATE tenant SET schema_version = schema_version - 1 WHERE key = $1', [b]);
    r = await app.inject({ url: `/t/${b}/api/indicators` });
    assert.equal(r.statusCode, 503);
    assert.match(r.json().message, /being migrated to schema version/);
    await t.migrateTenant((await t.require(b))!);
    r = await app.inject({ url: `/t/${b}/api/indicators` });
    assert.equal(r.statusCode, 200);
    assert.equal((await app.inject({ url: `/t/${a}/api/indicators` })).statusCode, 200, 'A was served all along');
  });
});
