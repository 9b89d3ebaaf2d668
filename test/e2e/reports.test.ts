// Reports in the browser (issue 16): the reader view /berichte and a report page itself on a
// 375 px phone — no sideways scrolling of the page, axe-core without serious or critical
// violations — and the print styles. Real Chromium (Debian's) with the in-memory demo city.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumGate, startHarness, USER, PASSWORD, type Harness } from './harness.ts';
import { axeSettled, contextOptions, newPage, signIn } from './helpers.ts';
import { addUser } from '../../src/services/users.ts';
import { SYSTEM } from '../../src/core/access.ts';

describe('reports in the browser (issue 16)', chromiumGate, () => {
  let h: Harness;
  let ctx: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    h = await startHarness();
    ctx = await h.browser.newContext(contextOptions({ width: 375, height: 740 }));
    page = await newPage(ctx, errors);
  });
  after(async () => {
    await ctx?.close().catch(() => undefined);
    await h?.close();
  });

  it('the reader view offers the Stadtteilprofil with an area, shows it and links PDF, DOCX and HTML', async () => {
    await page.goto(`${h.base}/berichte?report=stadtteilprofil&area=0101`, { waitUntil: 'networkidle' });
    await page.waitForSelector('iframe.km-reports__frame');
    assert.match(await page.locator('h1').innerText(), /Berichte/);
    const links = await page
      .locator('.km-reports__downloads a')
      .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute('href')));
    assert.deepEqual(links, [
      '/api/reports/stadtteilprofil/render?area=0101&format=pdf',
      '/api/reports/stadtteilprofil/render?area=0101&format=docx',
      '/api/reports/stadtteilprofil/render?area=0101&format=html',
    ]);
    const frame = page.frameLocator('iframe.km-reports__frame');
    await frame.locator('h1').waitFor();
    assert.match(await frame.locator('header.cover').innerText(), /Altstadt/);
    const violations = await axeSettled(page, 15000, 200);
    assert.equal(violations, '', violations);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(wide <= 1, `the reader view scrolls sideways by ${wide}px`);
    assert.deepEqual(errors, []);
  });

  it('a report page at 375 px: no sideways scrolling (tables scroll in their box), accessible, printable', async () => {
    const p = await newPage(ctx, errors);
    await p.goto(`${h.base}/api/reports/stadtteilprofil/render?area=0101&format=html`, { waitUntil: 'load' });
    const wide = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(wide <= 1, `the report scrolls sideways by ${wide}px`);
    const violations = await axeSettled(p, 5000, 100);
    assert.equal(violations, '', violations);
    // The document's fonts are the embedded Fira Sans.
    assert.ok(await p.evaluate(() => document.fonts.check('16px "Fira Sans"')));
    await p.emulateMedia({ media: 'print' });
    const overflow = await p.evaluate(() => getComputedStyle(document.querySelector('.table-wrap')!).overflowX);
    assert.equal(overflow, 'visible', 'tables print in full');
    await p.close();
  });

  it('the editor: offered to signed-in users, the definition as JSON, accessible; saving is for the owning department (an analyst is refused)', async () => {
    const signed = await h.browser.newContext(contextOptions({ width: 1280, height: 900 }));
    try {
      const p = await signIn(signed, h.base, USER, PASSWORD, errors, '/berichte?report=sozialatlas');
      await p.goto(`${h.base}/berichte?report=sozialatlas`, { waitUntil: 'networkidle' });
      await p.locator('.km-reports__editor > summary').click();
      await p.locator('.km-reports__json > summary').click();
      await p.waitForFunction(() =>
        (document.querySelector('#report-json') as HTMLTextAreaElement | null)?.value.includes('"sections"'),
      );
      const json = JSON.parse(await p.locator('#report-json').inputValue()) as { title: string; sections: unknown[] };
      assert.equal(json.title, 'Sozialatlas');
      assert.ok(json.sections.length >= 5);
      const violations = await axeSettled(p, 15000, 200);
      assert.equal(violations, '', violations);
      await p.locator('.km-reports__actions button', { hasText: 'Speichern' }).click();
      await p.waitForSelector('.km-reports__blocks [role=alert]');
      assert.match(await p.locator('.km-reports__blocks [role=alert]').innerText(), /stewards|administrators/i);
    } finally {
      await signed.close();
    }
  });

  it('the block editor: fields per block with pickers, a live preview of the unsaved draft, problems at their block; accessible, keyboard only', async () => {
    await addUser(h.db, SYSTEM, { name: 'redaktion', role: 'admin', password: PASSWORD, displayName: 'Redaktion' });
    const wide = await h.browser.newContext(contextOptions({ width: 1280, height: 900 }));
    try {
      const p = await signIn(wide, h.base, 'redaktion', PASSWORD, errors, '/berichte?report=stadtteilprofil&area=0102');
      await p.goto(`${h.base}/berichte?report=stadtteilprofil&area=0102`, { waitUntil: 'networkidle' });
      await p.locator('.km-reports__editor > summary').focus();
      await p.keyboard.press('Enter');
      await p.waitForSelector('.km-reports__section');
      const preview = p.frameLocator('iframe.km-reports__preview-frame');
      await preview.locator('header.cover').waitFor();
      assert.match(await preview.locator('header.cover').innerText(), /Schlossviertel/);
      // The title as typed reaches the preview without saving.
      await p.locator('#report-title').fill('Probeprofil');
      await p.waitForFunction(() =>
        (document.querySelector('iframe.km-reports__preview-frame') as HTMLIFrameElement | null)?.srcdoc.includes(
          'Probeprofil',
        ),
      );
      // A new map block: named as a problem at the block until its title and indicator are chosen.
      const blocks = await p.locator('.km-reports__section').first().locator('.km-reports__block').count();
      await p.locator('#sec-0-type').selectOption('map');
      await p
        .locator('.km-reports__section')
        .first()
        .locator('.km-reports__add button', { hasText: 'Baustein hinzufügen' })
        .last()
        .click();
      const block = p.locator('.km-reports__section').first().locator('.km-reports__block').nth(blocks);
      assert.match(await block.locator('legend').first().innerText(), /Karte \(map-1\)/);
      await p.waitForFunction(() => document.querySelectorAll('.km-reports__block--problem').length === 1);
      await block.locator(`#blk-0-${blocks}-title`).fill('Kinder unter 6 Jahren');
      await block.locator(`#blk-0-${blocks}-indicator`).selectOption('anteil_unter6');
      await p.waitForFunction(() => document.querySelectorAll('.km-reports__block--problem').length === 0);
      await p.waitForFunction(() =>
        (document.querySelector('iframe.km-reports__preview-frame') as HTMLIFrameElement | null)?.srcdoc.includes(
          'Kinder unter 6 Jahren',
        ),
      );
      // The JSON view follows the blocks.
      assert.match(await p.locator('#report-json').inputValue(), /"key": "map-1"/);
      const violations = await axeSettled(p, 15000, 200);
      assert.equal(violations, '', violations);
      // Nothing was stored: the saved report is unchanged.
      const saved = await p.evaluate(
        async () => (await (await fetch('/api/reports/stadtteilprofil')).json()) as { definition: { title: string } },
      );
      assert.equal(saved.definition.title, 'Stadtteilprofil');
      assert.deepEqual(errors, []);
    } finally {
      await wide.close();
    }
  });
});
