// The web app under the path prefix /t/{key}/ (decision 0039): index.html names the mount point
// the server decided on (never one taken from the request), its assets load under the prefix,
// and one municipality or host routing keep "/". [postgres] for the tenant parts.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildTenantServer } from '../../src/http/tenant-server.ts';
import { buildServer } from '../../src/http/server.ts';
import { indexFor } from '../../src/http/web-index.ts';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import type { Tenants } from '../../src/store/tenants.ts';
import { tempDir } from '../helpers/files.ts';
import { PASSWORD } from '../helpers/roles.ts';
import { tenantGate, openTenants, uniqueKey, dropTenants, fillSmallCity } from '../helpers/tenants.ts';

// The shape of Vite's output with base './' (web/vite.config.ts).
const INDEX = `<!doctype html>
<html lang="de">
  <head>
    <meta charset="utf-8" />
    <link rel="icon" href="data:," />
    <script type="module" crossorigin src="./assets/index-abc.js"></script>
    <link rel="modulepreload" crossorigin href="./assets/chunk-def.js">
    <link rel="stylesheet" crossorigin href="./assets/index-ghi.css">
  </head>
  <body><div id="app"></div><a href="https://example.org/">x</a></body>
</html>`;

function webRoot(tmp: ReturnType<typeof tempDir>): string {
  const root = join(tmp.dir, 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  tmp.file('dist/index.html', INDEX);
  tmp.file('dist/assets/index-abc.js', 'console.log("app")');
  tmp.file('dist/assets/index-ghi.css', 'body{}');
  return root;
}

const metaBase = (html: string) => /<meta name="km-base" content="([^"]*)" \/>/.exec(html)?.[1];

describe('index.html for a mount point', () => {
  test('assets become absolute under the mount point; the base is named once', () => {
    const html = indexFor(INDEX, '/t/bad-vilbel/');
    assert.equal(metaBase(html), '/t/bad-vilbel/');
    assert.match(html, /src="\/t\/bad-vilbel\/assets\/index-abc\.js"/);
    assert.match(html, /href="\/t\/bad-vilbel\/assets\/chunk-def\.js"/);
    assert.match(html, /href="\/t\/bad-vilbel\/assets\/index-ghi\.css"/);
    assert.doesNotMatch(html, /"\.\/assets/);
    assert.match(html, /href="https:\/\/example\.org\/"/, 'other addresses stay');
    assert.match(indexFor(INDEX, '/'), /src="\/assets\/index-abc\.js"/);
    assert.match(
      indexFor('<!doctype html><title>x</title>', '/t/a/'),
      /^<!doctype html><meta name="km-base" content="\/t\/a\/" \/>/,
    );
    assert.match(
      indexFor('<html><head lang="de"><title>x</title>', '/'),
      /<head lang="de">\n {4}<meta name="km-base" content="\/" \/>/,
    );
  });

  test('anything but "/" or "/t/{key}/" is refused, not written into the page', () => {
    for (const bad of ['', 't/a/', '/t/a', '/t/A/', '/t/a"><script>/', '/t/a/../b/', '//evil.org/', '/x/'])
      assert.throws(() => indexFor(INDEX, bad), /not a mount point/, bad);
  });
});

describe('one municipality keeps "/"', () => {
  let db: Database;
  let app: FastifyInstance;
  const tmp = tempDir();
  before(async () => {
    db = await openDatabase({ memory: true });
    await migrate(db);
    app = await buildServer(db, { webRoot: webRoot(tmp) });
  });
  after(async () => {
    await app?.close();
    await db?.close();
    tmp.cleanup();
  });

  test('/, /index.html and client routes (also deep ones) get the page with base "/"', async () => {
    for (const url of ['/', '/index.html', '/atlas?indicator=x', '/berichte/a/b']) {
      const r = await app.inject({ url });
      assert.equal(r.statusCode, 200, url);
      assert.match(String(r.headers['content-type']), /text\/html/);
      assert.equal(r.headers['cache-control'], 'no-cache');
      assert.equal(metaBase(r.body), '/', url);
      assert.match(r.body, /src="\/assets\/index-abc\.js"/);
    }
    const asset = await app.inject({ url: '/assets/index-abc.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(String(asset.headers['cache-control']), /immutable/);
    assert.deepEqual((await app.inject({ url: '/api/openapi.json' })).json().servers, [{ url: '/' }]);
  });
});

describe('tenants: the web app under /t/{key}/ [postgres]', tenantGate(), () => {
  let t: Tenants;
  let app: FastifyInstance;
  let hostApp: FastifyInstance;
  const tmp = tempDir();
  const a = uniqueKey('wa');
  const b = uniqueKey('wb');

  before(async () => {
    t = await openTenants();
    await t.add({ key: a, name: 'Stadt A' }, (db) => fillSmallCity(db, tmp, 'MARKERA', 1000));
    await t.add({ key: b, name: 'Gemeinde B' }, (db) => fillSmallCity(db, tmp, 'MARKERB', 5000));
    const root = webRoot(tmp);
    app = await buildTenantServer(t, { mode: 'path' }, { recheckMs: 0, webRoot: root, loginAttemptsPerAddress: 1000 });
    hostApp = await buildTenantServer(
      t,
      { mode: 'host', hosts: { 'statistik.stadt-a.de': a } },
      { recheckMs: 0, webRoot: root },
    );
  });
  after(async () => {
    await app?.close();
    await hostApp?.close();
    if (t) {
      await dropTenants(t, [a, b]);
      await t.close();
    }
    tmp.cleanup();
  });

  test('index.html under /t/{key}/ names that prefix; assets load under it', async () => {
    for (const key of [a, b]) {
      for (const path of ['', 'index.html', 'atlas?indicator=einwohner', 'anmelden?next=/atlas', 'berichte/x']) {
        const r = await app.inject({ url: `/t/${key}/${path}` });
        assert.equal(r.statusCode, 200, path);
        assert.equal(metaBase(r.body), `/t/${key}/`, path);
        assert.match(r.body, new RegExp(`src="/t/${key}/assets/index-abc\\.js"`));
        assert.match(r.body, new RegExp(`href="/t/${key}/assets/index-ghi\\.css"`));
        assert.doesNotMatch(r.body, /"\/assets\//);
      }
      const js = await app.inject({ url: `/t/${key}/assets/index-abc.js` });
      assert.equal(js.statusCode, 200);
      assert.equal(js.body, 'console.log("app")');
      const css = await app.inject({ url: `/t/${key}/assets/index-ghi.css` });
      assert.equal(css.statusCode, 200);
    }
    // Outside a prefix there is no web app (and no tenant's assets).
    assert.equal((await app.inject({ url: '/assets/index-abc.js' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/atlas' })).statusCode, 404);
  });

  test('the base comes from the routing only: headers and query cannot change it', async () => {
    const r = await app.inject({
      url: `/t/${a}/atlas?base=/t/${b}/&x="><script>`,
      headers: { 'x-forwarded-prefix': `/t/${b}/`, 'x-forwarded-host': 'evil.org', host: 'evil.org' },
    });
    assert.equal(metaBase(r.body), `/t/${a}/`);
    assert.doesNotMatch(r.body, /<script>|evil/);
  });

  test('API, OpenAPI document and session cookie under the prefix; host routing keeps "/"', async () => {
    const obs = await app.inject({ url: `/t/${a}/api/observations?indicator=einwohner&layer=bezirk` });
    assert.equal(obs.json().values[0].value, 1000);
    assert.deepEqual((await app.inject({ url: `/t/${b}/api/openapi.json` })).json().servers, [{ url: `/t/${b}/` }]);
    // A report page may be framed by the reader view under the prefix (same origin), as at "/".
    const frame = await app.inject({ url: `/t/${a}/api/reports/none/render?format=html` });
    assert.match(String(frame.headers['content-security-policy']), /frame-ancestors 'self'/);
    assert.equal(frame.headers['x-frame-options'], 'SAMEORIGIN');
    const login = await app.inject({
      url: `/t/${a}/api/auth/login`,
      method: 'POST',
      payload: { user: 'analyst', password: PASSWORD },
    });
    assert.equal(login.statusCode, 200, login.body);
    assert.match(String(login.headers['set-cookie']), new RegExp(`Path=/t/${a}/;`));
    const r = await hostApp.inject({ url: '/atlas', headers: { host: 'statistik.stadt-a.de' } });
    assert.equal(metaBase(r.body), '/');
    assert.match(r.body, /src="\/assets\/index-abc\.js"/);
    assert.deepEqual(
      (await hostApp.inject({ url: '/api/openapi.json', headers: { host: 'statistik.stadt-a.de' } })).json().servers,
      [{ url: '/' }],
    );
  });
});
