// The monitor as council members use it (issue #15): on a 375 px phone and in print. Real Chromium
// (Debian's) with the in-memory demo city, as in monitor.test.ts.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumGate, startHarness, type Harness } from './harness.ts';
import { axeSettled, contextOptions, newPage, sidewaysOverflow } from './helpers.ts';

describe('the monitor on a phone and in print (issue 15)', chromiumGate, () => {
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

  async function open(path: string, p: Page = page): Promise<void> {
    await p.goto(h.base + path, { waitUntil: 'networkidle' });
    await p.waitForSelector('h1');
  }

  it('item 1: profile tables are cards on a phone, each number under the right heading', async () => {
    await open('/profil?layer=stadtteil&area=0101');
    await page.waitForSelector('.km-theme table');
    // Each value is labelled with the heading of its own column (nothing shifts when scrolling).
    const mismatches = await page.evaluate(() => {
      const bad: string[] = [];
      for (const table of document.querySelectorAll<HTMLTableElement>('.km-theme table')) {
        const heads = [...table.tHead!.rows[0].cells].map((c) => (c.textContent ?? '').trim());
        for (const row of table.tBodies[0].rows) {
          const cells = [...row.cells];
          cells.forEach((c, i) => {
            if (i === 0) return;
            const label = c.getAttribute('data-label') ?? '';
            const shown = getComputedStyle(c, '::before').content;
            if (!heads[i].startsWith(label.split(' (')[0]) || !shown.includes(label)) bad.push(`${row.cells[0].textContent}: "${label}" under "${heads[i]}" (${shown})`);
          });
        }
      }
      return bad;
    });
    assert.deepEqual(mismatches, []);
    // Every column is on screen: the cards fit the width, no table scrolls sideways.
    const row = page.locator('.km-theme tr[data-indicator="kinderarmut_anteil"]');
    const box = (await row.boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= 375, `card at ${box.x}+${box.width}`);
    // the labels are generated content (CSS), read from the cells' data-label
    const labels = await row.locator('td').evaluateAll((tds) => tds.map((td) => td.getAttribute('data-label')));
    assert.deepEqual(labels, ['Altstadt', 'Gesamtstadt', 'Altstadt (übergeordnet)', 'Rang', 'Trend', 'Stand']);
    const text = await row.innerText();
    assert.match(text, /31\.12\.2024/);
    assert.match(text, /\d+,\d\s%/, 'values carry their unit');
    assert.deepEqual(await sidewaysOverflow(page), []);
  });

  it('item 1: generic tables are cards with a sort select on a phone; wide tables say they scroll', async () => {
    await open('/atlas?indicator=anteil_unter6&layer=stadtteil');
    await page.waitForSelector('#atlas-table tbody tr');
    assert.deepEqual(await sidewaysOverflow(page), []);
    const first = page.locator('#atlas-table tbody tr').first();
    assert.equal(await first.locator('td').nth(1).getAttribute('data-label'), 'Wert (%)');
    assert.match(await first.locator('td').nth(1).innerText(), /^\d+,\d\s%$/);
    await page.selectOption('#atlas-table-stack-sort', 'value:desc');
    await page.waitForFunction(() => location.search.includes('sort=value:desc'));
    const values = await page.locator('#atlas-table tbody tr td:nth-child(3)').allInnerTexts();
    const nums = values.map((s) => Number(s.replace(/^[^\d]*/, '').replace(/\s.*$/s, '').replace(',', '.')));
    for (let i = 1; i < nums.length; i++) assert.ok(nums[i] <= nums[i - 1], `sorted descending: ${nums.join(' ')}`);
    // Between phone and desktop the profile table scrolls inside its frame: a hint says so, and
    // the heading of the first column stays over the row headers while the rest scrolls.
    const mid = await ctx.newPage();
    try {
      await mid.setViewportSize({ width: 700, height: 900 });
      await open('/profil?layer=stadtteil&area=0101', mid);
      await mid.waitForSelector('.km-theme table');
      const frame = mid.locator('.km-theme .km-table-wrap').first();
      assert.equal(await frame.getAttribute('data-scroll'), 'x', 'the profile table is wider than 700 px');
      assert.match(await mid.locator('.km-theme .km-scroll-hint').first().innerText(), /7 Spalten.*seitlich/);
      await frame.evaluate((el) => (el.scrollLeft = 150));
      const [head, rowHead] = await frame.evaluate((el) => [el.querySelector('thead th')!.getBoundingClientRect().left, el.querySelector('tbody th')!.getBoundingClientRect().left]);
      assert.ok(Math.abs(head - rowHead) < 1, `heading ${head} over row headers ${rowHead}`);
      assert.deepEqual(await sidewaysOverflow(mid), []);
    } finally {
      await mid.close();
    }
  });

  it('axe-core finds nothing serious on the pages of issue 15 at 375 px', async () => {
    const failures: string[] = [];
    for (const v of ['/profil?layer=stadtteil&area=0101', '/atlas?indicator=anteil_unter6&layer=stadtteil']) {
      await open(v);
      const report = await axeSettled(page, 15000, 200);
      if (report) failures.push(`${v}\n  ${report}`);
    }
    assert.equal(failures.length, 0, failures.join('\n'));
    assert.deepEqual(errors, []);
  });
});
