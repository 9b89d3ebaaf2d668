// [postgres] The municipal comparison view /kommunalvergleich in Chromium: three small tenants
// publish, the first one's app shows the time series, similar municipalities and the ranking
// with its own rows marked in text, shared ranks, withheld values as "."; no serious axe-core
// violations. Without tenants (embedded) the view says the comparison is not available.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTenantServer } from '../../src/http/tenant-server.ts';
import type { Tenant, Tenants } from '../../src/store/tenants.ts';
import {
  importStandards,
  mapStandard,
  optIn,
  publishComparison,
  withdrawComparison,
  type ComparisonContext,
} from '../../src/services/comparison.ts';
import { CHROMIUM, CHROMIUM_ARGS, MISSING, WEB_ROOT, ensureWebBuild, startServer, type Server } from './harness.ts';
import { axeSettled, contextOptions, newPage, sidewaysOverflow } from './helpers.ts';
import { tempDir } from '../helpers/files.ts';
import { fillComparisonCity } from '../helpers/comparison.ts';
import { TENANT_MISSING, openTenants, uniqueKey, dropTenants } from '../helpers/tenants.ts';
import { REQUIRE_COMPONENTS } from '../helpers/db.ts';

const missing = MISSING ?? TENANT_MISSING;
const gate = missing && !REQUIRE_COMPONENTS ? { skip: missing } : {};

describe('municipal comparison view in Chromium [postgres]', gate, () => {
  let t: Tenants;
  let app: FastifyInstance;
  let embedded: Server;
  let browser: Browser;
  let ctx: BrowserContext;
  let page: Page;
  let base: string;
  const errors: string[] = [];
  const tmp = tempDir();
  const [a, b, c] = [uniqueKey('va'), uniqueKey('vb'), uniqueKey('vc')];
  const run = `y${randomBytes(3).toString('hex')}`;
  const POP = `${run}_pop`;
  const CASES = `${run}_cases`;
  const rows: Record<string, Tenant> = {};
  const cctx = (key: string): ComparisonContext => ({
    shared: t.shared,
    tenant: { key, name: rows[key].name, officialKey: rows[key].officialKey },
  });

  before(async () => {
    ensureWebBuild();
    t = await openTenants();
    rows[a] = await t.add({ key: a, name: 'Stadt Ahausen' }, (db) =>
      fillComparisonCity(db, tmp, 'A', [
        { ew: [1000, 1001], cases: [2, 50] },
        { ew: [1010, 1000], cases: [2, 55] },
      ]),
    );
    rows[b] = await t.add({ key: b, name: 'Gemeinde Behausen' }, (db) =>
      fillComparisonCity(db, tmp, 'B', [
        { ew: [5000, 5001], cases: [100, 120] },
        { ew: [5000, 5001], cases: [110, 130] },
      ]),
    );
    rows[c] = await t.add({ key: c, name: 'Gemeinde Cehausen' }, (db) =>
      fillComparisonCity(db, tmp, 'C', [
        { ew: [3000, 3000], cases: [60, 60] },
        { ew: [5000, 5001], cases: [400, 400] },
      ]),
    );
    await importStandards(t.shared, [
      {
        key: POP,
        nameDe: 'Bevölkerung (Test)',
        nameEn: 'Population (test)',
        unit: 'Personen',
        type: 'count',
        definition: 'Einwohner mit Hauptwohnsitz.',
        basis: 'KOSIS',
        polarity: 'neutral',
        decimals: 0,
      },
      {
        key: CASES,
        nameDe: 'Fälle (Test)',
        nameEn: 'Cases (test)',
        unit: 'Personen',
        type: 'count',
        definition: 'Fälle am Stichtag.',
        basis: 'Wegweiser Kommune',
        polarity: 'higher_is_worse',
        decimals: 0,
      },
    ]);
    for (const k of [a, b, c]) {
      const db = t.database(rows[k]);
      await mapStandard(cctx(k), db, POP, 'einwohner');
      await mapStandard(cctx(k), db, CASES, 'faelle');
      await optIn(cctx(k), db, { districts: k === a ? 'bezirk' : undefined });
      await publishComparison(cctx(k), db);
    }
    app = await buildTenantServer(t, { mode: 'host', hosts: { '127.0.0.1': a } }, { recheckMs: 0, webRoot: WEB_ROOT });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    embedded = await startServer({ demo: false });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    ctx = await browser.newContext(contextOptions());
    page = await newPage(ctx, errors);
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    await app?.close();
    await embedded?.close();
    if (t) {
      for (const k of [a, b, c])
        await withdrawComparison({ shared: t.shared, tenant: { key: k, name: k, officialKey: null } }).catch(
          () => undefined,
        );
      await t.shared.query('DELETE FROM comparison_mapping WHERE tenant = ANY($1::text[])', [[a, b, c]]);
      await t.shared.query('DELETE FROM comparison_standard WHERE key = ANY($1::text[])', [[POP, CASES]]);
      await dropTenants(t, [a, b, c]);
      await t.close();
    }
    tmp.cleanup();
  });

  it('shows the chosen municipalities over time, with a value table', async () => {
    await page.goto(`${base}/kommunalvergleich?with=${b}&indicators=${POP}`, { waitUntil: 'networkidle' });
    await page.waitForSelector('.km-kv__series svg');
    assert.equal(await page.locator('h1').innerText(), 'Kommunalvergleich');
    assert.equal(await page.locator('nav a[aria-current="page"]').innerText(), 'Kommunalvergleich');
    const legend = await page.locator('.km-kv__series').first().innerText();
    assert.match(legend, /Stadt Ahausen \(Ihre Kommune\)/);
    assert.match(legend, /Gemeinde Behausen/);
    assert.doesNotMatch(legend, /Cehausen/);
    await page.locator('.km-kv__series details summary').first().click();
    const table = await page.locator('.km-kv__series table').first().innerText();
    assert.match(table, /31\.12\.2023/);
    // German thousands separator.
    assert.match(table, /10\.001/);
    // Choosing a third municipality puts it in the address and the chart.
    await page.getByRole('checkbox', { name: 'Gemeinde Cehausen' }).check();
    await page.waitForFunction(() => location.search.includes(','));
    await page.waitForFunction(() => document.querySelector('.km-kv__series')?.textContent?.includes('Cehausen'));
  });

  it('ranks with shared ranks and the own municipality marked in text', async () => {
    await page.goto(`${base}/kommunalvergleich?with=${b},${c}&indicators=${POP}&rank=${POP}&period=2023-12-31`, {
      waitUntil: 'networkidle',
    });
    await page.waitForSelector('section[aria-labelledby="kv-ranking"] table');
    const ranking = page.locator('section[aria-labelledby="kv-ranking"] table');
    const own = ranking.locator('tr[aria-current="true"]');
    assert.equal(await own.count(), 1);
    assert.match(await own.innerText(), /Stadt Ahausen \(Ihre Kommune\)/);
    assert.match(await own.innerText(), /^3/);
    const text = await ranking.innerText();
    assert.equal((text.match(/1 \(geteilt\)/g) ?? []).length, 2);
    // Districts: the withheld value is "." and has no rank.
    await page.goto(
      `${base}/kommunalvergleich?with=${b}&indicators=${POP}&rank=${CASES}&ebene=district&period=2023-12-31`,
      { waitUntil: 'networkidle' },
    );
    await page.waitForSelector('section[aria-labelledby="kv-ranking"] table');
    const districts = await page.locator('section[aria-labelledby="kv-ranking"] tbody tr').allInnerTexts();
    const withheld = districts.find((r) => r.includes('geheim'));
    assert.ok(withheld, districts.join('\n'));
    assert.match(withheld!, /^–/);
    assert.match(withheld!, /\t\.\t|\s\.\s/);
  });

  it('explains the similar municipalities', async () => {
    await page.goto(`${base}/kommunalvergleich?indicators=${POP},${CASES}`, { waitUntil: 'networkidle' });
    const similar = page.locator('section[aria-labelledby="kv-similar"]');
    await similar.locator('ol').waitFor();
    assert.match(await similar.innerText(), /z-standardisiert/);
    assert.equal(await similar.locator('li').count(), 2);
  });

  it('has no serious or critical axe-core violations, in German and English', async () => {
    for (const v of [
      `/kommunalvergleich?with=${b},${c}&indicators=${POP},${CASES}`,
      `/kommunalvergleich?lang=en&with=${b}&indicators=${CASES}&ebene=district`,
    ]) {
      await page.goto(`${base}${v}`, { waitUntil: 'networkidle' });
      const report = await axeSettled(page, 15000, 200);
      assert.equal(report, '', `${v}\n${report}`);
    }
    assert.deepEqual(errors, []);
  });

  it('fits a phone: nothing scrolls sideways except the announced table frames', async () => {
    const phone = await browser.newContext(contextOptions({ width: 375, height: 800 }));
    const p = await newPage(phone, errors);
    await p.goto(`${base}/kommunalvergleich?with=${b},${c}&indicators=${POP},${CASES}&rank=${CASES}&ebene=district`, {
      waitUntil: 'networkidle',
    });
    await p.waitForSelector('section[aria-labelledby="kv-ranking"] table');
    assert.deepEqual(await sidewaysOverflow(p), []);
    await phone.close();
  });

  it('without tenants, says that the comparison is not available', async () => {
    const p = await newPage(ctx, errors);
    await p.goto(`${embedded.base}/kommunalvergleich`, { waitUntil: 'networkidle' });
    await p.waitForSelector('.kern-alert');
    assert.match(await p.locator('.kern-alert').innerText(), /Kommunalvergleich nicht verfügbar/);
    await p.close();
  });
});
