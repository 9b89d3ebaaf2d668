// End-to-end tests of issue #6's facility and reallocation UI in headless Chromium (Debian's
// package, driven by playwright-core) on the in-memory demo city: the "Einrichtungen" view with
// the demo Kitas as points over the Stadtteile (keyboard: one tab stop, arrows, Enter), the
// supply-versus-need and facility tables, the area filter through /api/facilities; the time series
// on a fixed boundary version; the reallocation form on the congruence view; axe-core at 1440 and
// 375 px.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumGate, startHarness, type Harness } from './harness.ts';
import {
  ADMIN,
  ADMIN_PASSWORD,
  axe,
  contextOptions,
  deNumber,
  describeViolations,
  newPage,
  signIn,
} from './helpers.ts';
import { addUser } from '../../src/services/users.ts';
import { SYSTEM } from '../../src/core/access.ts';

describe('facilities and reallocation in Chromium', chromiumGate, () => {
  let h: Harness;
  let ctx: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    h = await startHarness();
    await addUser(h.db, SYSTEM, { name: ADMIN, role: 'admin', password: ADMIN_PASSWORD, displayName: 'Verwalterin' });
    ctx = await h.browser.newContext(contextOptions());
    page = await newPage(ctx, errors);
  });
  after(async () => {
    await ctx?.close().catch(() => undefined);
    await h?.close();
  });

  it('Einrichtungen: the demo Kitas as points over the Stadtteile, with the supply and facility tables', async () => {
    const sets = (await (await fetch(`${h.base}/api/facilities/sets`)).json()) as {
      sets: { key: string; facilities: number; capacity: number }[];
    };
    const kitas = sets.sets[0];
    assert.ok(kitas && kitas.facilities > 50, 'the demo city has Kitas');
    await page.goto(`${h.base}/einrichtungen`, { waitUntil: 'networkidle' });
    await page.waitForSelector('#fac-table tbody tr');
    assert.match(await page.locator('h1').innerText(), /Einrichtungen/);
    assert.equal(
      await page.locator('.km-facilities__points [data-facility]').count(),
      kitas.facilities,
      'one point per Kita',
    );
    assert.equal(await page.locator('.km-map__areas path.km-area').count(), 38, 'the 38 Stadtteile');
    assert.equal(await page.locator('#fac-table tbody tr').count(), kitas.facilities);
    assert.equal(await page.locator('#fac-supply tbody tr').count(), 38);
    const header = await page.locator('#fac-table thead').innerText();
    for (const col of ['Name', 'Kategorie', 'Plätze', 'Stadtteile'])
      assert.ok(header.includes(col), `${col} in ${header}`);
    // The city total of places per 100 children, in German number format, equals the demo's ratio.
    const ratio = (await (
      await fetch(`${h.base}/api/observations?indicator=kita_versorgung_u6&layer=gesamtstadt&period=2024-12-31`)
    ).json()) as { values: { value: number }[] };
    const shown = await page.locator('#fac-total-ratio').innerText();
    assert.match(shown, /^\d+,\d$/);
    assert.ok(Math.abs(deNumber(shown) - ratio.values[0].value) < 0.06, `${shown} vs ${ratio.values[0].value}`);

    // Keyboard: the points are one tab stop; arrows move, Enter shows the details.
    const first = page.locator('.km-facilities__points [data-facility][tabindex="0"]');
    assert.equal(await first.count(), 1);
    await first.focus();
    const before = await page.evaluate(() => document.activeElement?.getAttribute('data-facility'));
    for (const key of ['ArrowRight', 'ArrowDown', 'ArrowLeft']) await page.keyboard.press(key);
    const after = await page.evaluate(() => document.activeElement?.getAttribute('data-facility'));
    assert.ok(after && after !== before, 'the arrow keys move between points');
    await page.keyboard.press('Enter');
    const label = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    const detail = await page.locator('#fac-detail').innerText();
    assert.ok(detail.includes(label.split(',')[0]), `${detail} shows ${label}`);
    assert.equal(await page.locator('.km-facility-row--selected').count(), 1, 'the row of the chosen Kita is marked');

    // Choosing an area lists its facilities (GET /api/facilities?layer=…&area=…).
    const area = '0101';
    const inArea = (await (
      await fetch(`${h.base}/api/facilities?set=${kitas.key}&layer=stadtteil&area=${area}`)
    ).json()) as { count: number };
    await page.selectOption('#fac-area', area);
    await page.waitForFunction((n) => document.querySelectorAll('#fac-table tbody tr').length === n, inArea.count);
    assert.match(page.url(), /area=0101/);
    assert.equal(describeViolations(await axe(page)), '');
  });

  it('a category, the need of another age group and the need shading are permalinks', async () => {
    await page.goto(`${h.base}/einrichtungen?category=staedtisch&need=einwohner&need_altersgruppe=6_10&karte=bedarf`, {
      waitUntil: 'networkidle',
    });
    await page.waitForSelector('#fac-table tbody tr');
    const cats = await page.locator('#fac-table tbody tr td:nth-child(2)').allInnerTexts();
    assert.ok(cats.length > 0 && cats.every((c) => c.includes('städtisch')), cats.slice(0, 3).join(','));
    assert.equal(await page.locator('.km-toggle button[aria-pressed="true"]').innerText(), 'Bedarf');
    assert.equal(await page.locator('#fac-need-altersgruppe').inputValue(), '6_10');
  });

  it('works at 375 px: no horizontal page scroll, tables scroll in their frame', async () => {
    const small = await h.browser.newContext(contextOptions({ width: 375, height: 800 }));
    const p = await newPage(small, errors);
    await p.goto(`${h.base}/einrichtungen`, { waitUntil: 'networkidle' });
    await p.waitForSelector('#fac-table tbody tr');
    const overflow = await p.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px`);
    assert.equal(describeViolations(await axe(p)), '');
    await small.close();
  });

  it('time series on a chosen boundary version; stewards and admins reallocate on the congruence view', async () => {
    // Anonymous: the form asks to sign in.
    await page.goto(`${h.base}/kongruenz?a=stadtteil@2020-12-31&b=stadtteil`, { waitUntil: 'networkidle' });
    await page.waitForSelector('#realloc-h');
    assert.match(await page.locator('.km-realloc').innerText(), /Anmelden/);

    const admin = await h.browser.newContext(contextOptions());
    const p = await signIn(
      admin,
      h.base,
      ADMIN,
      ADMIN_PASSWORD,
      errors,
      encodeURIComponent('/kongruenz?a=stadtteil@2020-12-31&b=stadtteil'),
    );
    await p.goto(`${h.base}/kongruenz?a=stadtteil@2020-12-31&b=stadtteil`, { waitUntil: 'networkidle' });
    await p.waitForSelector('input[name=realloc-indicator]');
    await p.check('input[name=realloc-indicator][value=einwohner]');
    await p.fill('#realloc-periods', '31.12.2019');
    // A dry run first (the default), then for real.
    await p.locator('.km-realloc button[type=submit]').click();
    await p.waitForSelector('.km-realloc__answer');
    assert.match(await p.locator('.km-realloc__answer').innerText(), /Probelauf/);
    await p.uncheck('.km-realloc input[type=checkbox]:not([name])');
    await p.locator('.km-realloc button[type=submit]').click();
    await p.waitForFunction(() => /Gespeichert/.test(document.querySelector('.km-realloc__answer')?.textContent ?? ''));
    const answer = await p.locator('.km-realloc__answer').innerText();
    assert.match(answer, /umgeschlüsselt/, 'the method is shown');
    assert.match(answer, /31\.12\.2019/);

    // The time series of a 2021 Stadtteil on the current version runs back to 2019 with estimates.
    await p.locator('.km-realloc__answer a', { hasText: 'Zeitreihe' }).click();
    await p.waitForSelector('#ts-at');
    assert.equal(await p.locator('#ts-at').inputValue(), '2021-01-01');
    await p.selectOption('#ts-add', '0101');
    await p.locator('.km-ts-controls button', { hasText: 'Hinzufügen' }).click();
    await p.waitForSelector('#ts-estimates');
    assert.match(
      await p.locator('#ts-estimates').innerText(),
      /Schätzungen \(s\).*Methode: umgeschlüsselt von stadtteil \(Gebietsstand bis 2020\) nach /s,
      'the stored method, not a generic text',
    );
    const row2019 = await p.locator('.km-details tbody tr', { hasText: '31.12.2019' }).innerText();
    assert.match(row2019, /\d\u00a0s/, `the 2019 value is flagged as an estimate: ${row2019}`);
    assert.equal(describeViolations(await axe(p)), '');
    await admin.close();
    assert.deepEqual(errors, []);
  });
});
