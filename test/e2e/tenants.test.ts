// [postgres] The web app under the path prefix /t/{key}/ in Chromium (decision 0039): two
// tenants on one listener with path routing; the app of /t/a/ loads a's data, keeps the prefix in
// every address it requests, links to and signs in with, and /t/b/ beside it shows b's data,
// not signed in. Skipped without Chromium or a PostgreSQL server, unless
// KOMMUNALMONITOR_REQUIRE_COMPONENTS=1.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumGate, CHROMIUM, CHROMIUM_ARGS, ensureWebBuild, WEB_ROOT } from './harness.ts';
import { contextOptions, newPage } from './helpers.ts';
import { buildTenantServer } from '../../src/http/tenant-server.ts';
import type { Tenants } from '../../src/store/tenants.ts';
import { tempDir } from '../helpers/files.ts';
import { PASSWORD } from '../helpers/roles.ts';
import { tenantGate, openTenants, uniqueKey, dropTenants, fillSmallCity } from '../helpers/tenants.ts';
import { fakeProvider } from '../helpers/oidc-provider.ts';
import { saveOidcSettings } from '../../src/services/oidc-settings.ts';

const gate = chromiumGate.skip ? chromiumGate : tenantGate();

describe('the web app under /t/{key}/ in Chromium [postgres]', gate, () => {
  let t: Tenants;
  let app: FastifyInstance;
  let browser: Browser;
  let ctx: BrowserContext;
  let origin: string;
  let idp: Awaited<ReturnType<typeof fakeProvider>>;
  const tmp = tempDir();
  const a = uniqueKey('ea');
  const b = uniqueKey('eb');
  const errors: string[] = [];
  /** Requests of a page that left its tenant's prefix. */
  const strays: string[] = [];

  before(async () => {
    ensureWebBuild();
    t = await openTenants();
    await t.add({ key: a, name: 'Stadt A' }, (db) => fillSmallCity(db, tmp, 'MARKERA', 1000));
    await t.add({ key: b, name: 'Gemeinde B' }, (db) => fillSmallCity(db, tmp, 'MARKERB', 5000));
    app = await buildTenantServer(
      t,
      { mode: 'path' },
      { recheckMs: 0, webRoot: WEB_ROOT, loginAttemptsPerAddress: 1000 },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    // b signs in through its own identity provider, with its callback under /t/b/.
    idp = await fakeProvider('km-b');
    idp.nextUser.name = 'viewer';
    await saveOidcSettings(t.database((await t.require(b))!), {
      issuer: idp.url,
      clientId: 'km-b',
      redirectUrl: `${origin}/t/${b}/api/auth/oidc/callback`,
      allowHttp: true,
    });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    ctx = await browser.newContext(contextOptions());
  });
  after(async () => {
    await ctx?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await app?.close();
    idp?.server.close();
    if (t) {
      await dropTenants(t, [a, b]);
      await t.close();
    }
    tmp.cleanup();
  });

  /** A page whose every same-origin request must stay under /t/{key}/. */
  async function tenantPage(key: string): Promise<Page> {
    const p = await newPage(ctx, errors);
    p.on('request', (r) => {
      const u = new URL(r.url());
      if (u.origin === origin && !u.pathname.startsWith(`/t/${key}/`))
        strays.push(`${key}: ${r.method()} ${u.pathname}${u.search}`);
    });
    return p;
  }
  const pathOf = (p: Page) => {
    const u = new URL(p.url());
    return u.pathname + u.search;
  };
  // In the order the app writes its permalinks.
  const atlas = '/atlas?indicator=einwohner&period=2023&layer=bezirk';

  /** Every link of the page to this origin starts with the prefix. */
  async function linksOutside(p: Page, key: string): Promise<string[]> {
    const hrefs = await p.$$eval('a[href], iframe[src]', (els) =>
      els.map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? ''),
    );
    return hrefs.filter((h) => h.startsWith('/') && !h.startsWith(`/t/${key}/`));
  }

  it('opens /t/a/atlas with a’s data; links, downloads and the OpenAPI link keep the prefix', async () => {
    const p = await tenantPage(a);
    await p.goto(`${origin}/t/${a}${atlas}`, { waitUntil: 'networkidle' });
    await p.waitForSelector('.km-map__areas path.km-area');
    assert.equal(await p.locator('.km-map__areas path.km-area').count(), 2);
    assert.match(await p.locator('#atlas-table tbody').innerText(), /1\.000/);
    assert.doesNotMatch(await p.locator('#atlas-table tbody').innerText(), /5\.000/);
    assert.equal(pathOf(p), `/t/${a}${atlas}`);
    assert.deepEqual(await linksOutside(p, a), []);
    assert.equal(
      await p.locator('.km-footer a', { hasText: /Programmierschnittstelle|API/ }).getAttribute('href'),
      `/t/${a}/api/openapi.json`,
    );
    const csv = await p.locator('.km-download').first().getAttribute('href');
    assert.match(csv ?? '', new RegExp(`^/t/${a}/api/observations\\?.*format=csv`));
    const download = await p.request.get(`${origin}${csv}`);
    assert.equal(download.status(), 200);
    assert.match(await download.text(), /1000|1\.000/);
    await p.close();
  });

  it('navigates in the app, signs in and comes back; the URLs keep /t/a/', async () => {
    const p = await tenantPage(a);
    await p.goto(`${origin}/t/${a}${atlas}`, { waitUntil: 'networkidle' });
    await p.waitForSelector('.km-map__areas path.km-area');
    // Another view through a link of the navigation (client-side routing).
    await p.locator('.km-nav__link', { hasText: 'Zeitreihe' }).first().click();
    await p.waitForFunction((k) => location.pathname === `/t/${k}/zeitreihe`, a);
    await p.waitForSelector('h1');
    assert.deepEqual(await linksOutside(p, a), []);
    // The back button returns to the atlas under the prefix.
    await p.goBack();
    await p.waitForFunction((k) => location.pathname === `/t/${k}/atlas`, a);
    await p.waitForSelector('.km-map__areas path.km-area');
    // Sign-in through the header link: next= holds the view, the form sends to a's API.
    await p.locator('.km-signin-link').click();
    await p.waitForSelector('#signin-user');
    assert.match(pathOf(p), new RegExp(`^/t/${a}/anmelden\\?next=`));
    await p.fill('#signin-user', 'analyst');
    await p.fill('#signin-password', PASSWORD);
    await p.locator('.km-signin button[type=submit]').click();
    await p.waitForSelector('.km-user');
    await p.waitForFunction((k) => location.pathname === `/t/${k}/atlas`, a);
    assert.equal(pathOf(p), `/t/${a}${atlas}`);
    // Signed in, a's internal indicator is in the catalogue; a reload (permalink) keeps both.
    await p.reload({ waitUntil: 'networkidle' });
    await p.waitForSelector('.km-user');
    await p.waitForSelector('.km-map__areas path.km-area');
    assert.ok(await p.locator('#atlas-indicator option[value="intern_markera"]').count(), 'a’s internal indicator');
    const cookies = await ctx.cookies();
    assert.deepEqual(
      cookies.filter((c) => c.name === 'km_session').map((c) => c.path),
      [`/t/${a}/`],
    );
    await p.close();
  });

  it('/t/b/ beside it shows b’s data and is not signed in', async () => {
    const p = await tenantPage(b);
    await p.goto(`${origin}/t/${b}${atlas}`, { waitUntil: 'networkidle' });
    await p.waitForSelector('.km-map__areas path.km-area');
    const table = await p.locator('#atlas-table tbody').innerText();
    assert.match(table, /5\.000/);
    assert.doesNotMatch(table, /1\.000/);
    await p.waitForSelector('.km-signin-link');
    assert.equal(await p.locator('.km-user').count(), 0);
    assert.equal(
      await p.locator('#atlas-indicator option[value="intern_markerb"]').count(),
      0,
      'b’s internal indicator needs b’s sign-in',
    );
    assert.equal(await p.locator('#atlas-indicator option[value="intern_markera"]').count(), 0);
    assert.deepEqual(await linksOutside(p, b), []);
    // a is still signed in beside it.
    const me = await p.request.get(`${origin}/t/${a}/api/auth/me`);
    assert.equal((await me.json()).user?.name, 'analyst');
    await p.close();
  });

  it('single sign-on at /t/b/: through b’s provider and back into /t/b/, signed in at b only', async () => {
    const p = await tenantPage(b);
    await p.goto(`${origin}/t/${b}/anmelden?next=${encodeURIComponent(atlas)}`, { waitUntil: 'networkidle' });
    const sso = p.locator('a.kern-btn', { hasText: 'Single Sign-on' });
    await sso.waitFor();
    assert.match((await sso.getAttribute('href')) ?? '', new RegExp(`^/t/${b}/api/auth/oidc/login\\?returnTo=`));
    await sso.click();
    await p.waitForSelector('.km-user');
    assert.equal(pathOf(p), `/t/${b}${atlas}`);
    assert.match(await p.locator('.km-user').innerText(), /viewer/);
    const me = await p.request.get(`${origin}/t/${b}/api/auth/me`);
    assert.equal((await me.json()).user?.name, 'viewer');
    const atA = await p.request.get(`${origin}/t/${a}/api/auth/me`);
    assert.equal((await atA.json()).user?.name, 'analyst', 'a’s session is its own');
    // a has no provider: its sign-in page offers passwords only.
    const pa = await tenantPage(a);
    await pa.goto(`${origin}/t/${a}/anmelden`, { waitUntil: 'networkidle' });
    await pa.waitForSelector('#signin-user');
    assert.equal(await pa.locator('a.kern-btn', { hasText: 'Single Sign-on' }).count(), 0);
    await pa.close();
    await p.close();
  });

  it('no request left its tenant’s prefix; no page errors', () => {
    assert.deepEqual(strays, []);
    assert.deepEqual(errors, []);
  });
});
