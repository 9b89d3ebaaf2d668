// End-to-end tests of the monitor web app in headless Chromium from Debian's packages, driven by
// playwright-core (no browser download). One server (in-memory demo city) and one browser for
// the whole suite. Without /usr/bin/chromium the suite is skipped with a message, unless
// KOMMUNALMONITOR_REQUIRE_COMPONENTS=1 (CI), where that is a failure.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumGate, startHarness, startServer, USER, PASSWORD, type Harness } from './harness.ts';
import { axeSettled, contextOptions, newPage } from './helpers.ts';

describe('monitor web app in Chromium', chromiumGate, () => {
  let h: Harness;
  let ctx: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    h = await startHarness();
    ctx = await h.browser.newContext(contextOptions({ acceptDownloads: true }));
    page = await newPage(ctx, errors);
  });
  after(async () => {
    await ctx?.close().catch(() => undefined);
    await h?.close();
  });

  async function open(path: string): Promise<void> {
    await page.goto(h.base + path, { waitUntil: 'networkidle' });
  }
  async function mapAreas(): Promise<number> {
    return page.locator('.km-map__areas path.km-area').count();
  }

  it('opens the atlas with a map, a legend and a table of the same values', async () => {
    await open('/atlas?indicator=anteil_unter6&layer=stadtteil');
    await page.waitForSelector('.km-map__areas path.km-area');
    assert.equal(await mapAreas(), 38);
    assert.equal(await page.locator('#atlas-table tbody tr').count(), 38);
    assert.match(await page.locator('.km-result-head__title').innerText(), /Anteil der Kinder unter 6 Jahren/);
    assert.ok((await page.locator('.km-legend__item').count()) >= 3);
    // German formats: reference date and a decimal comma in the table
    assert.match(await page.locator('.km-result-head__meta').innerText(), /Stichtag 31\.12\.2024/);
    assert.match(await page.locator('#atlas-table tbody tr').first().innerText(), /\d,\d/);
    // Every area has an accessible name with its value
    const label = await page.locator('.km-map__areas path[data-code="0101"]').getAttribute('aria-label');
    assert.match(label ?? '', /^Altstadt: \d+,\d\s%/);
    // Hover shows area, value, base, reference date and status
    await page.hover('.km-map__areas path[data-code="0502"]');
    const tip = await page.locator('.km-tooltip').innerText();
    assert.match(tip, /Grünhof/);
    assert.match(tip, /Basis/);
    assert.match(tip, /31\.12\.2024/);
    assert.match(tip, /Status/);
    assert.deepEqual(errors, []);
  });

  it('switches indicator and period; the URL holds the state and the back button works', async () => {
    await open('/atlas?indicator=anteil_unter6&layer=stadtteil');
    await page.waitForSelector('.km-map__areas path.km-area');
    await page.selectOption('#atlas-indicator', 'arbeitslose_anteil');
    await page.waitForFunction(() =>
      document.querySelector('.km-result-head__title')?.textContent?.includes('Arbeitslosenanteil'),
    );
    assert.match(page.url(), /indicator=arbeitslose_anteil/);
    // a diverging scheme around the city value for an indicator with polarity
    assert.match(await page.locator('.km-legend').innerText(), /Gesamtstadt/);
    await page.selectOption('#atlas-period', '2020-12-31');
    // before 2021 the Stadtteile had 24 areas (an older boundary version)
    await page.waitForFunction(() => document.querySelectorAll('.km-map__areas path.km-area').length === 24);
    assert.match(page.url(), /period=2020-12-31/);
    assert.match(await page.locator('.km-result-head__meta').innerText(), /31\.12\.2020/);
    await page.goBack();
    await page.waitForFunction(() => document.querySelectorAll('.km-map__areas path.km-area').length === 38);
    assert.doesNotMatch(page.url(), /period=/);
    assert.equal(await page.locator('#atlas-indicator').inputValue(), 'arbeitslose_anteil');
    await page.goBack();
    await page.waitForFunction(() =>
      document.querySelector('.km-result-head__title')?.textContent?.includes('Kinder unter 6'),
    );
    // a permalink restores the same view
    await open(
      '/atlas?indicator=arbeitslose_anteil&layer=stadtbezirk&period=2022-12-31&method=quantile&k=4&sort=value:desc',
    );
    await page.waitForSelector('.km-map__areas path.km-area');
    assert.equal(await mapAreas(), 12);
    assert.equal(await page.locator('#atlas-method').inputValue(), 'quantile');
    assert.equal(await page.locator('#atlas-period').inputValue(), '2022-12-31');
    assert.equal(await page.locator('#atlas-table thead th[aria-sort="descending"]').count(), 1);
  });

  it('draws areas without a value as such, never as zero', async () => {
    await open('/atlas?indicator=anteil_unter6&layer=block');
    await page.waitForSelector('.km-map__areas path.km-area');
    const below = page.locator('.km-map__areas path[fill*="below_min_base"]');
    assert.ok((await below.count()) > 0, 'blocks below the minimum base are drawn with a pattern');
    assert.match((await below.first().getAttribute('aria-label')) ?? '', /unter Mindestbasis/);
    assert.match(await page.locator('.km-legend').innerText(), /unter Mindestbasis/);
    const row = page.locator('#atlas-table tbody tr', { hasText: 'unter Mindestbasis' }).first();
    assert.match(await row.innerText(), /\//);
    // the sprachfoerderbedarf indicator exists only for school catchments: a clear notice on other layers
    await open('/atlas?indicator=sprachfoerderbedarf_anteil&layer=stadtteil');
    await page.waitForSelector('.kern-alert--warning');
    assert.match(await page.locator('.kern-alert--warning').innerText(), /keine Werte/);
    await page.locator('.kern-alert--warning button', { hasText: 'Grundschulbezirke' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.km-map__areas path.km-area').length === 45);
  });

  it('names the method of estimated values under the table', async () => {
    // The demo carries its block counts onto the school catchments as estimates.
    await open('/atlas?indicator=einwohner_unter21&layer=grundschulbezirk');
    await page.waitForSelector('#atlas-estimates');
    assert.match(
      await page.locator('#atlas-estimates').innerText(),
      /Schätzungen \(s\): 46 Werte sind geschätzt\.\s*Methode: umgeschlüsselt von block \(Gebietsstand ab 2021\) nach Flächenanteilen/,
    );
    assert.match(await page.locator('#atlas-table tbody tr').first().innerText(), /\d\u00a0s/);
  });

  it('filters and sorts the table; classes can be set by hand', async () => {
    await open('/atlas?indicator=anteil_unter6&layer=stadtteil');
    await page.waitForSelector('#atlas-table');
    await page.fill('#atlas-q', 'stadt');
    await page.waitForFunction(() => document.querySelectorAll('#atlas-table tbody tr').length < 38);
    const names = await page.locator('#atlas-table tbody th').allInnerTexts();
    assert.ok(names.length > 0 && names.every((n) => /stadt/i.test(n)), names.join(','));
    assert.match(page.url(), /q=stadt/);
    await page.fill('#atlas-q', '');
    await page.locator('#atlas-table thead button', { hasText: /^Wert/ }).click();
    await page.locator('#atlas-table thead button', { hasText: /^Wert/ }).click();
    const values = (await page.locator('#atlas-table tbody tr td:nth-child(3)').allInnerTexts()).map((s) =>
      Number(
        s
          .replace(/\./g, '')
          .replace(',', '.')
          .replace(/[^\d.]/g, ''),
      ),
    );
    for (let i = 1; i < values.length; i++) assert.ok(values[i] <= values[i - 1], 'sorted descending');
    await page.locator('.km-classes summary').click();
    await page.selectOption('#atlas-method', 'manual');
    await page.fill('#atlas-breaks', '5; 6,5');
    await page.locator('.km-manual button').click();
    await page.waitForFunction(() => location.search.includes('breaks=5;6.5'));
    assert.equal(await page.locator('.km-legend__list:not(.km-legend__list--status) .km-legend__item').count(), 3);
    await page.fill('#atlas-breaks', 'fünf');
    await page.locator('.km-manual button').click();
    assert.match(await page.locator('#atlas-breaks-error').innerText(), /nur Zahlen/);
  });

  it('exports the table as CSV (and XLSX) with the values shown', async () => {
    await open('/atlas?indicator=anteil_unter6&layer=stadtteil');
    await page.waitForSelector('#atlas-table');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('a.km-download', { hasText: 'CSV' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^anteil_unter6_stadtteil_2024-12-31\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    assert.equal(csv.charCodeAt(0), 0xfeff, 'UTF-8 with BOM for Excel');
    const lines = csv.slice(1).trim().split(/\r?\n/);
    const header = lines[0].split(';');
    assert.ok(header.includes('Schlüssel') && header.includes('Wert'), lines[0]);
    assert.equal(lines.length, 1 + 38 + 1, 'header, 38 Stadtteile and the city total');
    const total = lines[lines.length - 1].split(';');
    assert.equal(total[header.indexOf('Schlüssel')], '');
    assert.equal(
      total[header.indexOf('Gebiet')],
      'Gesamtstadt',
      'German headings and the city total (issue 15, item 7)',
    );
    assert.match(
      await page.locator('#atlas-table tfoot').innerText(),
      new RegExp(Number(total[header.indexOf('Wert')].replace(',', '.')).toFixed(1).replace('.', ',')),
    );
    const altstadt = lines.find((l) => l.split(';')[header.indexOf('Schlüssel')] === '0101')!.split(';');
    assert.equal(altstadt[header.indexOf('Gebiet')], 'Altstadt');
    const csvValue = Number(altstadt[header.indexOf('Wert')].replace(',', '.'));
    const shown = await page
      .locator('#atlas-table tbody tr', { hasText: 'Altstadt' })
      .first()
      .locator('td')
      .nth(1)
      .innerText();
    assert.equal(
      shown.replace(/\s.*$/, ''),
      csvValue.toFixed(1).replace('.', ','),
      'the CSV holds the value the table shows',
    );
    const xlsxHref = await page.locator('a.km-download', { hasText: 'XLSX' }).getAttribute('href');
    const xlsx = await page.request.get(h.base + xlsxHref);
    assert.equal(xlsx.status(), 200);
    assert.match(xlsx.headers()['content-type'] ?? '', /spreadsheetml/);
  });

  it('opens an area profile by clicking an area', async () => {
    await open('/atlas?indicator=anteil_unter6&layer=stadtteil');
    await page.waitForSelector('.km-map__areas path.km-area');
    await page.locator('.km-map__areas path[data-code="0101"]').click();
    await page.waitForURL(/\/profil\?layer=stadtteil&area=0101/);
    await page.waitForSelector('.km-theme table');
    assert.match(await page.locator('h1').innerText(), /Gebietsprofil Altstadt/);
    const themes = await page.locator('.km-theme h2').allInnerTexts();
    assert.ok(themes.includes('Bevölkerung') && themes.includes('Soziales'), themes.join(','));
    const row = page.locator('.km-theme tr', { hasText: 'Anteil der Kinder unter 6 Jahren' });
    assert.match(await row.innerText(), /\d+ von 38/);
    assert.match(await page.locator('.km-nearby').innerText(), /Nachbargebiete/);
    assert.ok((await page.locator('.km-nearby a', { hasText: 'Schlossviertel' }).count()) > 0);
    // the area on a small map, and a link to the parent area
    assert.equal(await page.locator('.km-figure-map .km-map__selected').count(), 1);
    await page.locator('.km-nearby a').first().click();
    await page.waitForURL(/layer=stadtbezirk&area=01/);
    await page.waitForSelector('.km-theme table');
    await page.goBack();
    await page.waitForURL(/layer=stadtteil&area=0101/);
    await page.goBack();
    await page.waitForURL(/\/atlas/);
    await page.waitForSelector('.km-map__areas path.km-area');
  });

  it('uses the atlas with the keyboard only', async () => {
    await open('/atlas?indicator=anteil_unter6&layer=stadtteil');
    await page.waitForSelector('.km-map__areas path.km-area');
    await page.keyboard.press('Tab');
    assert.equal(
      await page.evaluate(() => document.activeElement?.className),
      'km-skip',
      'the first tab stop skips to the content',
    );
    const focusVisible = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(focusVisible, 'none', 'focus is visible');
    // Tab to the indicator select and change it with the arrow keys
    for (let i = 0; i < 30 && (await page.evaluate(() => document.activeElement?.id)) !== 'atlas-indicator'; i++)
      await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'atlas-indicator');
    const before = await page.locator('#atlas-indicator').inputValue();
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(
      (b) =>
        (document.getElementById('atlas-indicator') as HTMLSelectElement).value !== b &&
        location.search.includes('indicator='),
      before,
    );
    await page.waitForSelector('.km-map__areas path.km-area');
    // Tab on to the map: one tab stop for all areas
    for (let i = 0; i < 40 && !(await page.evaluate(() => document.activeElement?.classList.contains('km-area'))); i++)
      await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement?.getAttribute('data-code'));
    assert.ok(first, 'an area has the focus');
    assert.match(await page.locator('.km-tooltip').innerText(), /Status/, 'focus shows the same details as hover');
    await page.keyboard.press('ArrowRight');
    const second = await page.evaluate(() => document.activeElement?.getAttribute('data-code'));
    assert.ok(second && second !== first, 'the arrow key moves to a neighbouring area');
    // zoom with the keyboard is kept in the URL
    await page.keyboard.press('+');
    await page.waitForFunction(() => location.search.includes('zoom='));
    await page.keyboard.press('0');
    await page.waitForFunction(() => !location.search.includes('zoom='));
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/profil\\?.*area=${second}`));
    await page.waitForSelector('.km-theme table');
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'view-title',
      'focus moves to the new view’s heading',
    );
  });

  it('shows a time series with the boundary change marked and a table', async () => {
    await open('/zeitreihe?indicator=arbeitslose_anteil&layer=stadtteil&areas=0101,0502');
    await page.waitForSelector('.km-chart svg');
    assert.match(await page.locator('.km-ts').innerText(), /Gebietsstand ab 01\.01\.2021/);
    const header = await page.locator('.km-details table thead').innerText();
    assert.match(header, /Altstadt/);
    assert.match(header, /Grünhof/);
    assert.match(header, /Gesamtstadt/);
    assert.equal(await page.locator('.km-details table tbody tr').count(), 10);
    await page.locator('.km-chip button[aria-label="Grünhof entfernen"]').click();
    await page.waitForFunction(() => !location.search.includes('0502'));
  });

  it('compares two areas side by side', async () => {
    await open('/vergleich?layer=stadtteil&areas=-');
    await page.waitForSelector('#cmp-add');
    assert.match(await page.locator('.km-compare').innerText(), /mindestens zwei Gebiete/);
    await page.selectOption('#cmp-add', '0101');
    await page.locator('.km-compare button', { hasText: 'Hinzufügen' }).click();
    await page.selectOption('#cmp-add', '0502');
    await page.locator('.km-compare button', { hasText: 'Hinzufügen' }).click();
    await page.waitForSelector('#cmp-table');
    assert.match(page.url(), /areas=0101,0502/);
    const head = await page.locator('#cmp-table thead').innerText();
    assert.match(head, /Altstadt/);
    assert.match(head, /Grünhof/);
    assert.match(head, /Gesamtstadt/);
    // the values are those of the API
    const api = (await (
      await page.request.get(`${h.base}/api/observations?indicator=arbeitslose_anteil&layer=stadtteil`)
    ).json()) as { values: { area: string; value: number }[] };
    const want = api.values
      .find((v) => v.area === '0502')!
      .value.toFixed(1)
      .replace('.', ',');
    const row = await page.locator('#cmp-table tbody tr', { hasText: 'Arbeitslosenanteil' }).innerText();
    assert.ok(row.includes(want), `${row} contains ${want}`);
    await page.waitForSelector('.km-compare .km-chart svg');
  });

  it('shows the indicator page with definition, distribution and map', async () => {
    await open('/indikator?indicator=kinderarmut_anteil&layer=stadtteil');
    await page.waitForSelector('.km-indicator .km-chart svg');
    const text = await page.locator('.km-indicator').innerText();
    for (const s of ['Definition', 'Quelle', 'Methodik', 'Zuständig', 'Stichtag', '31.12.2024', 'höher ist schlechter'])
      assert.ok(text.includes(s), s);
    assert.equal(await page.locator('.km-indicator .km-map__areas path').count(), 38);
    await page.locator('.km-toggle button', { hasText: 'Punktdiagramm' }).click();
    await page.waitForURL(/chart=punkte/);
  });

  it('shows the cockpit with key figures, a map and a daily warning gauge; tiles can be edited and saved', async () => {
    if (h.signedIn) {
      await open('/anmelden?next=/cockpit');
      await page.fill('#signin-user', USER);
      await page.fill('#signin-password', PASSWORD);
      await page.locator('.km-signin button[type=submit]').click();
      await page.waitForURL(/\/cockpit/);
      await page.waitForSelector('.km-user');
    } else await open('/cockpit');
    await page.waitForSelector('.km-tile');
    await page.waitForSelector('.km-gauge');
    const gauge = page.locator('.km-tile--gauge').first();
    const level = await gauge.locator('p.km-level').getAttribute('data-level');
    assert.ok(['green', 'amber', 'red'].includes(level ?? ''), `gauge level ${level}`);
    assert.match(
      (await gauge.locator('svg.km-gauge').getAttribute('aria-label')) ?? '',
      /Status (Normal|Warnung|Kritisch)/,
    );
    assert.match(await gauge.innerText(), /Stand 31\.12\.2024/);
    assert.match(await page.locator('.km-tile--figure').first().innerText(), /299\.985|\d{3}\.\d{3}/);
    assert.equal(await page.locator('.km-tile--map .km-map__areas path').count(), 38);
    // edit: add a gauge tile, move it to the front, save
    await page.locator('button', { hasText: 'Cockpit bearbeiten' }).click();
    await page.waitForURL(/edit=1/);
    const tilesBefore = await page.locator('.km-tile').count();
    await page.locator('button', { hasText: 'Kachel hinzufügen' }).click();
    const last = tilesBefore;
    await page.selectOption(`#tile-${last}-type`, 'gauge');
    await page.selectOption(`#tile-${last}-indicator`, 'arbeitslose_anteil');
    await page.selectOption(`#tile-${last}-layer`, 'gesamtstadt');
    await page.fill(`#tile-${last}-title`, 'Arbeitslosigkeit');
    await page.fill(`#tile-${last}-amber`, '5');
    await page.fill(`#tile-${last}-red`, '4');
    assert.match(await page.locator('.km-tile').nth(last).innerText(), /Schwelle Gelb/);
    assert.ok(
      (await page.locator(`#tile-${last}-amber-error`).count()) === 1,
      'amber above red is refused for higher_is_worse',
    );
    await page.fill(`#tile-${last}-red`, '7');
    await page.getByRole('button', { name: '„Arbeitslosigkeit“ nach vorn' }).click();
    await page.locator('button', { hasText: 'Speichern' }).click();
    await page.waitForFunction(() => !location.search.includes('edit=1'));
    await page.waitForSelector('.km-alert[role=status]');
    const saved = (await (await page.request.get(`${h.base}/api/cockpit`)).json()) as {
      tiles: { title?: string; type: string; thresholds?: { amber: number; red: number } }[];
    };
    assert.equal(saved.tiles.length, tilesBefore + 1);
    const mine = saved.tiles.findIndex((x) => x.title === 'Arbeitslosigkeit');
    assert.equal(mine, tilesBefore - 1, 'moved one place forward');
    assert.deepEqual(saved.tiles[mine].thresholds, { amber: 5, red: 7 });
  });

  it('switches to English and keeps the view', async () => {
    await open('/atlas?indicator=anteil_unter6&layer=stadtteil');
    await page.waitForSelector('.km-map__areas path.km-area');
    await page.locator('.km-lang').click();
    await page.waitForURL(/lang=en/);
    assert.match(await page.locator('nav.km-nav').innerText(), /Area profile/);
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    assert.match(page.url(), /indicator=anteil_unter6/);
    assert.match(await page.locator('.km-result-head__meta').innerText(), /Reference date 31\/12\/2024/);
    await page.locator('.km-lang').click();
    await page.waitForFunction(() => document.documentElement.lang === 'de');
  });

  it('shows a clear message when the API fails, and retries', async () => {
    let fail = true;
    await page.route('**/api/observations?**', (route) =>
      fail
        ? route.fulfill({
            status: 500,
            contentType: 'application/json',
            body: JSON.stringify({ error: 'Internal Server Error', message: 'Datenbank nicht erreichbar' }),
          })
        : route.continue(),
    );
    await open('/atlas?indicator=einwohner&layer=stadtbezirk');
    await page.waitForSelector('.kern-alert--danger');
    assert.match(await page.locator('.kern-alert--danger').innerText(), /Datenbank nicht erreichbar/);
    fail = false;
    await page.locator('.kern-alert--danger button').click();
    await page.waitForSelector('.km-map__areas path.km-area');
    await page.unroute('**/api/observations?**');
  });

  it('explains an empty database instead of failing', async () => {
    const empty = await startServer({ demo: false });
    try {
      for (const path of ['/atlas', '/profil', '/zeitreihe', '/indikator']) {
        await page.goto(empty.base + path, { waitUntil: 'networkidle' });
        await page.waitForSelector('.kern-alert');
        assert.match(
          await page.locator('.kern-alert').first().innerText(),
          /noch keine Gliederungsebenen oder Indikatoren/,
          path,
        );
      }
    } finally {
      await empty.close();
    }
  });

  it('works on a 375 px phone without horizontal scrolling', async () => {
    const phone = await ctx.newPage();
    await phone.setViewportSize({ width: 375, height: 740 });
    for (const path of [
      '/atlas?indicator=anteil_unter6&layer=stadtteil',
      '/profil?layer=stadtteil&area=0101',
      '/cockpit',
    ]) {
      await phone.goto(h.base + path, { waitUntil: 'networkidle' });
      await phone.waitForSelector('h1');
      const [scroll, client] = await phone.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
      ]);
      assert.ok(scroll <= client + 1, `${path}: page is ${scroll}px wide in a ${client}px viewport`);
    }
    await phone.close();
  });

  it('has no serious or critical axe-core violations on any view', async () => {
    const views = [
      '/atlas?indicator=anteil_unter6&layer=stadtteil',
      '/atlas?indicator=anteil_unter6&layer=block&method=manual&breaks=4;6',
      '/profil?layer=stadtteil&area=0101',
      '/zeitreihe?indicator=arbeitslose_anteil&layer=stadtteil&areas=0101,0502',
      '/vergleich?layer=stadtteil&areas=0101,0502',
      '/indikator?indicator=kinderarmut_anteil&layer=stadtteil',
      '/indikator?indicator=kinderarmut_anteil&layer=stadtteil&chart=punkte',
      '/cockpit',
      '/cockpit?edit=1',
      '/hilfe',
      '/anmelden',
      '/atlas?lang=en&indicator=einwohner&layer=stadtbezirk',
      '/atlas?indicator=einwohner_unter21&layer=grundschulbezirk',
    ];
    const failures: string[] = [];
    for (const v of views) {
      await open(v);
      const report = await axeSettled(page, 15000, 150);
      if (report) failures.push(`${v}\n  ${report}`);
    }
    assert.equal(failures.length, 0, failures.join('\n'));
    assert.deepEqual(errors, [], 'no script errors in any view');
  });
});
