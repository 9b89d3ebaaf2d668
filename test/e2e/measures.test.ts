// End-to-end test of the measures view (issue #17) in headless Chromium on the in-memory demo
// city: the per-area table of running measures against need with its filters, the gaps marked,
// the coverage figure, and axe-core at 1440 and 375 px without sideways scrolling.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumGate, startHarness, type Harness } from './harness.ts';
import { axe, contextOptions, describeViolations, newPage } from './helpers.ts';

describe('measures view in Chromium', chromiumGate, () => {
  let h: Harness;
  let ctx: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    h = await startHarness();
    ctx = await h.browser.newContext(contextOptions());
    page = await newPage(ctx, errors);
  });
  after(async () => {
    await ctx?.close().catch(() => undefined);
    await h?.close();
  });

  it('the Stadtteile with their running measures, gaps marked, filters in the address', async () => {
    await page.goto(`${h.base}/massnahmen?layer=stadtteil&field=jugend&group=kinder_10_15&at=2024-06-30`, { waitUntil: 'networkidle' });
    await page.waitForSelector('#meas-table tbody tr');
    assert.match(await page.locator('h1').innerText(), /Maßnahmen/);
    assert.equal(await page.locator('#meas-table tbody tr').count(), 38, 'every Stadtteil without a need filter');
    const api = (await (await fetch(`${h.base}/api/measures/gaps?layer=stadtteil&field=jugend&targetGroup=kinder_10_15&at=2024-06-30`)).json()) as { rows: { runningMeasures: number }[] };
    const gaps = api.rows.filter((r) => r.runningMeasures === 0).length;
    assert.ok(gaps > 0);
    assert.equal(await page.locator('#meas-table tbody tr', { hasText: 'Lücke' }).count(), gaps);
    assert.match(await page.locator('#meas-coverage').innerText(), new RegExp(`${gaps} Lücke`));
    // The map over the Stadtteile, gaps in their own colour and named in each area's label.
    await page.waitForSelector('.km-map__areas path.km-area');
    assert.equal(await page.locator('.km-map__areas path.km-area').count(), 38);
    assert.equal(await page.locator('.km-map__areas path.km-area[aria-label*="Lücke"]').count(), gaps);
    assert.equal(describeViolations(await axe(page)), '');
    assert.deepEqual(errors, []);
  });

  it('the area profile lists the measures in the area', async () => {
    const all = (await (await fetch(`${h.base}/api/measures`)).json()) as { measures: { locations: { kind: string; layer?: string; code?: string }[] }[] };
    const code = all.measures.flatMap((m) => m.locations).find((l) => l.kind === 'area' && l.layer === 'stadtteil')!.code!;
    const list = (await (await fetch(`${h.base}/api/measures?layer=stadtteil&area=${code}`)).json()) as { measures: { title: string }[] };
    assert.ok(list.measures.length > 0);
    await page.goto(`${h.base}/profil?layer=stadtteil&area=${code}`, { waitUntil: 'networkidle' });
    await page.waitForSelector('#area-measures-h');
    assert.match(await page.locator('#area-measures-h').innerText(), new RegExp(`Maßnahmen im Gebiet \\(${list.measures.length}\\)`));
    assert.equal(await page.locator('.km-area-measures__list li').count(), list.measures.length);
    assert.equal(describeViolations(await axe(page)), '');
  });

  it('the cockpit shows the running measures as a figure with a link to the gaps', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const running = (await (await fetch(`${h.base}/api/measures?at=${today}`)).json()) as { measures: unknown[] };
    await page.goto(`${h.base}/cockpit`, { waitUntil: 'networkidle' });
    if (!running.measures.length) return;
    await page.waitForSelector('#measures-card-h');
    assert.match(await page.locator('.km-measures-card').innerText(), new RegExp(`${running.measures.length} laufende Maßnahmen`));
    assert.equal(describeViolations(await axe(page)), '');
  });

  it('works at 375 px: no horizontal page scroll, no axe violations', async () => {
    const small = await h.browser.newContext(contextOptions({ width: 375, height: 800 }));
    const p = await newPage(small, errors);
    await p.goto(`${h.base}/massnahmen?layer=stadtteil&field=schule&at=2024-06-30`, { waitUntil: 'networkidle' });
    await p.waitForSelector('#meas-table tbody tr');
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px`);
    assert.equal(describeViolations(await axe(p)), '');
    await small.close();
  });
});
