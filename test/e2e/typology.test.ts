// End-to-end test of the typology view (issue #5, "Typologien") in headless Chromium: a typology
// of the demo city's Stadtteile computed from the form, the map of the types with numbers and a
// legend, the type profiles with their generated descriptions, the diagnostics for choosing k,
// keyboard use of the map, saving as the indicator <key>_typ (signed in) with the link to the
// atlas, the comparison with the saved typology and with a second computation (cross table,
// adjusted Rand index), a 375 px phone, and axe-core. One server (in-memory demo city) and one
// browser for the file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumGate, startHarness, USER, PASSWORD, type Harness } from './harness.ts';
import { axeSettled, contextOptions, deNumber, newPage, signIn } from './helpers.ts';

interface TypologyAnswer {
  rows: { area: string; type: number | null; excluded: string | null }[];
  types: { type: number; n: number; description: string; means: Record<string, number> }[];
  diagnostics: { k: number; silhouette: number }[];
}

describe('typologies in Chromium', chromiumGate, () => {
  let h: Harness;
  let anon: BrowserContext;
  let analyst: BrowserContext;
  let page: Page; // anonymous
  let analystPage: Page;
  const errors: string[] = [];

  before(async () => {
    h = await startHarness();
    anon = await h.browser.newContext(contextOptions());
    analyst = await h.browser.newContext(contextOptions());
    page = await newPage(anon, errors);
    analystPage = await signIn(analyst, h.base, USER, PASSWORD, errors);
  });
  after(async () => {
    for (const c of [anon, analyst]) await c?.close().catch(() => undefined);
    await h?.close();
  });

  async function open(p: Page, path: string): Promise<void> {
    await p.goto(h.base + path, { waitUntil: 'networkidle' });
  }
  /** Waits until the result shows `k` types and nothing is being recomputed. */
  async function settled(p: Page, k: number): Promise<void> {
    await p.waitForFunction(
      (n) =>
        document.querySelectorAll('.km-typ-legend__item').length === n &&
        !document.querySelector('.km-index__main .km-stale') &&
        !document.querySelector('.km-index__main .km-loading'),
      k,
      { timeout: 20000 },
    );
  }
  const definitionOf = (p: Page) => {
    const u = new URL(p.url()).searchParams;
    const def: Record<string, unknown> = {
      key: u.get('key') ?? 'typisierung',
      name: u.get('name') ?? 'Typisierung',
      layer: u.get('layer'),
      period: u.get('period'),
      indicators: u.get('indicators')!.split(','),
      method: u.get('method'),
      k: Number(u.get('k')),
    };
    if (u.get('seed')) def.seed = Number(u.get('seed'));
    return def;
  };

  it('computes a typology of the Stadtteile: map with type numbers, legend, profiles with descriptions, table — as the API', async () => {
    await open(page, '/typologie');
    assert.match(await page.locator('h1').innerText(), /Typologien/);
    // the defaults are written into the address (a permalink from the start)
    await page.waitForFunction(() => new URLSearchParams(location.search).get('indicators'));
    const u = new URL(page.url()).searchParams;
    assert.equal(u.get('layer'), 'stadtteil');
    assert.equal(u.get('method'), 'ward');
    assert.equal(u.get('k'), '4');
    assert.equal(u.get('period'), '2024-12-31');
    assert.deepEqual(u.get('indicators')!.split(','), [
      'arbeitslose_anteil',
      'kinderarmut_anteil',
      'anteil_65plus',
      'anteil_unter6',
    ]);
    await settled(page, 4);
    const n = await page.locator('.km-map__areas path.km-area').count();
    assert.equal(n, 38, '38 Stadtteile');
    assert.equal(await page.locator('.km-map__mark').count(), 38, 'every area carries its type number');
    assert.match(await page.locator('#typ-counts').innerText(), /4 Typen · 38 von 38 Gebieten typisiert, 0 ohne Typ/);

    const api = (await (
      await page.request.post(`${h.base}/api/analysis/typology`, { data: definitionOf(page) })
    ).json()) as TypologyAnswer;
    assert.equal(api.types.length, 4);
    // the legend and the profile cards hold the server's descriptions and sizes
    const legend = await page.locator('.km-typ-legend').innerText();
    const cards = page.locator('.km-typecard');
    assert.equal(await cards.count(), 4);
    for (const [i, t] of api.types.entries()) {
      assert.ok(legend.includes(t.description), `legend names type ${t.type}: ${t.description}`);
      const card = await cards.nth(i).innerText();
      assert.match(card, new RegExp(`Typ ${t.type}`));
      assert.ok(card.includes(t.description));
      assert.match(card, new RegExp(`${t.n} Gebiete`));
    }
    assert.ok(
      api.types.some((t) => /überdurchschnittlich|unterdurchschnittlich/.test(t.description)),
      'plain-German descriptions',
    );
    // the mean profiles as a table, standardised values with German decimals
    const prof = page.locator('#typ-profile-table tbody tr');
    assert.equal(await prof.count(), 4, 'one row per indicator');
    const firstRow = prof.first();
    assert.match(await firstRow.locator('th').innerText(), /Arbeitslos/);
    const shown = deNumber(await firstRow.locator('td').nth(0).innerText());
    assert.equal(shown.toFixed(2), api.types[0].means.arbeitslose_anteil.toFixed(2));
    // every area's type in the table equals the API's, and the map label says it too
    const rows = page.locator('#typ-table tbody tr');
    assert.equal(await rows.count(), 38);
    const byArea = new Map(api.rows.map((r) => [r.area, r.type]));
    for (let i = 0; i < 38; i += 7) {
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      // the cell shows the type number on its colour, then "Typ N"
      assert.match(cells[1].trim(), new RegExp(`(^|\\s)Typ ${byArea.get(cells[0].trim())}$`));
    }
    const label = (await page.locator('.km-map__areas path.km-area').first().getAttribute('aria-label')) ?? '';
    assert.match(label, /: Typ \d – /);
    // the profile chart is drawn
    await page.waitForSelector('#typ-prof-h ~ div[role="img"] svg');
  });

  it('shows the diagnostics for choosing k as a chart and a table, and takes a k from the table', async () => {
    await open(
      page,
      '/typologie?layer=stadtteil&period=2024-12-31&indicators=arbeitslose_anteil,kinderarmut_anteil,anteil_65plus,anteil_unter6&method=ward&k=4',
    );
    await settled(page, 4);
    const table = page.locator('#typ-diag-table tbody tr');
    assert.equal(await table.count(), 9, 'k = 2 … 10');
    const def = definitionOf(page);
    const api = (await (
      await page.request.post(`${h.base}/api/analysis/typology`, { data: def })
    ).json()) as TypologyAnswer;
    const sil = deNumber(await table.nth(1).locator('td').nth(2).innerText());
    assert.equal(sil.toFixed(3), api.diagnostics[1].silhouette.toFixed(3));
    assert.match(await page.locator('#typ-suggestion').innerText(), /Vorschlag nach der Silhouette: \d+ Typen/);
    await page.waitForSelector('#typ-diag-chart svg');
    // switch the measure: silhouette, dendrogram heights (Ward)
    await page.locator('.km-toggle button', { hasText: 'Dendrogramm' }).click();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('diag') === 'height');
    assert.match(await page.locator('#typ-diag-explain').innerText(), /Fusionshöhen/);
    // choose three types from the table
    await page.locator('#typ-diag-table button', { hasText: '3 Typen wählen' }).click();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('k') === '3');
    await settled(page, 3);
    assert.equal(await page.locator('#typ-k').inputValue(), '3');
    // k-means shows its seed and starts
    await page.selectOption('#typ-method', 'kmeans');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('method') === 'kmeans');
    await page.waitForSelector('#typ-seed');
    await settled(page, 3);
    assert.equal(
      await page.locator('.km-toggle button', { hasText: 'Dendrogramm' }).count(),
      0,
      'no merge heights for k-means',
    );
    // back restores Ward
    await page.goBack();
    await page.waitForFunction(() => new URLSearchParams(location.search).get('method') === 'ward');
  });

  it('edits the indicators; too few indicators are named at their field', async () => {
    await open(
      page,
      '/typologie?layer=stadtteil&period=2024-12-31&indicators=arbeitslose_anteil,kinderarmut_anteil&method=ward&k=4',
    );
    await settled(page, 4);
    await page.locator('#typ-indicators-kinderarmut_anteil').uncheck();
    await page.waitForSelector('.kern-alert--warning');
    assert.match(await page.locator('.kern-alert--warning').innerText(), /mindestens 2 Merkmale/);
    assert.match(await page.locator('#typ-indicators-error').innerText(), /mindestens 2 Merkmale/);
    await page.locator('#typ-indicators-anteil_65plus').check();
    await page.waitForFunction(
      () => new URLSearchParams(location.search).get('indicators') === 'arbeitslose_anteil,anteil_65plus',
    );
    await settled(page, 4);
  });

  it('keyboard: the map is one tab stop; Enter names the area and its type', async () => {
    await open(
      page,
      '/typologie?layer=stadtteil&period=2024-12-31&indicators=arbeitslose_anteil,kinderarmut_anteil,anteil_65plus,anteil_unter6&method=ward&k=4',
    );
    await settled(page, 4);
    assert.equal(await page.locator('.km-map__areas path[tabindex="0"]').count(), 1);
    await page.locator('.km-map__areas path[tabindex="0"]').focus();
    await page.keyboard.press('ArrowRight');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
    assert.match(focused, /: Typ \d/);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('area'));
    const sel = await page.locator('#typ-selected').innerText();
    assert.match(sel, /Typ \d – /);
    assert.ok(sel.includes(focused.split(':')[0]), `${sel} names ${focused}`);
    assert.equal(await page.locator('#typ-table tr.km-row--selected').count(), 1);
  });

  it('saving needs sign-in; signed in, it creates sozialraum_typ with a link to the atlas; compares with it and with a second computation', async () => {
    const path =
      '/typologie?key=sozialraum&name=Sozialraumtypen&layer=stadtteil&period=2024-12-31&indicators=arbeitslose_anteil,kinderarmut_anteil,anteil_65plus,anteil_unter6&method=ward&k=4';
    await open(page, path);
    await settled(page, 4);
    assert.match(await page.locator('#typ-save-h ~ p').nth(1).innerText(), /Zum Speichern bitte anmelden/);
    assert.equal(await page.locator('.km-save button').count(), 0);

    await open(analystPage, path);
    await settled(analystPage, 4);
    await analystPage.locator('.km-save button', { hasText: 'Als sozialraum_typ speichern' }).click();
    await analystPage.waitForSelector('.km-save .kern-alert--success');
    const ok = await analystPage.locator('.km-save .kern-alert--success').innerText();
    assert.match(ok, /sozialraum_typ gespeichert/);
    assert.match(ok, /4 Typen für 38 Gebiete zum Stichtag 31\.12\.2024/);
    const link = analystPage.locator('.km-save .kern-alert--success a', { hasText: 'im Atlas öffnen' });
    assert.match(
      (await link.getAttribute('href')) ?? '',
      /^\/atlas\?indicator=sozialraum_typ&period=2024-12-31&layer=stadtteil$/,
    );
    const stored = (await (
      await analystPage.request.get(
        `${h.base}/api/observations?indicator=sozialraum_typ&layer=stadtteil&period=2024-12-31`,
      )
    ).json()) as { values: { value: number | null }[] };
    assert.equal(stored.values.filter((v) => v.value !== null).length, 38);

    // compare with the saved typology: the same classification
    await analystPage.selectOption('#typ-vgl', 'sozialraum_typ');
    await analystPage.waitForSelector('#typ-ari');
    assert.equal(await analystPage.locator('#typ-ari').getAttribute('data-ari'), (1).toFixed(6));
    assert.match(await analystPage.locator('#typ-verdict').innerText(), /praktisch gleich/);
    assert.match(await analystPage.locator('#typ-verdict').innerText(), /bereinigte Rand-Index/);

    // … and with a second computation (k-means, three types)
    await analystPage.selectOption('#typ-vgl', 'neu');
    await analystPage.waitForFunction(() => new URLSearchParams(location.search).get('vmethod') === 'kmeans');
    await analystPage.selectOption('#typ-vk', '3');
    await analystPage.waitForFunction(() => new URLSearchParams(location.search).get('vk') === '3');
    await analystPage.waitForFunction(
      () =>
        !document.querySelector('#typ-compare .km-stale') &&
        !document.querySelector('#typ-compare .km-loading') &&
        document.querySelectorAll('#typ-cross thead th').length === 5,
      undefined,
      { timeout: 20000 },
    );
    const a = definitionOf(analystPage);
    // (asked anonymously: a signed-in POST would need the session's CSRF token)
    const cmp = (await (
      await page.request.post(`${h.base}/api/analysis/typology/compare`, {
        data: { a, b: { ...a, key: 'sozialraum_b', name: 'Zweite Berechnung', method: 'kmeans', k: 3 } },
      })
    ).json()) as { adjustedRandIndex: number; crossTable: { n: number; counts: number[][] } };
    assert.equal(
      Number(await analystPage.locator('#typ-ari').getAttribute('data-ari')).toFixed(4),
      cmp.adjustedRandIndex.toFixed(4),
    );
    assert.equal(
      deNumber(await analystPage.locator('#typ-ari').innerText()).toFixed(2),
      cmp.adjustedRandIndex.toFixed(2),
    );
    assert.equal(await analystPage.locator('#typ-cross tbody tr').count(), 4, 'one row per type of A');
    assert.equal(deNumber(await analystPage.locator('#typ-cross tfoot td').last().innerText()), 38);
    const firstCell = await analystPage.locator('#typ-cross tbody tr').first().locator('td').first().innerText();
    assert.equal(firstCell === '–' ? 0 : deNumber(firstCell), cmp.crossTable.counts[0][0]);
    assert.ok((await analystPage.locator('.km-typ-matches li').count()) === 4);

    // the saved typology opens in the atlas
    await link.click();
    await analystPage.waitForURL(/\/atlas\?indicator=sozialraum_typ/);
    await analystPage.waitForFunction(
      () => document.querySelectorAll('.km-map__areas path.km-area').length === 38,
      undefined,
      { timeout: 15000 },
    );
    // … as a map of types: the type colours and numbers, a legend with the descriptions
    await analystPage.waitForSelector('.km-typ-legend');
    assert.equal(await analystPage.locator('.km-typ-legend .km-typ-legend__item').count(), 4);
    assert.equal(await analystPage.locator('.km-map__mark').count(), 38);
    assert.match(
      (await analystPage.locator('.km-map__areas path.km-area').first().getAttribute('aria-label')) ?? '',
      /: Typ \d – /,
    );
  });

  it('the English interface', async () => {
    await open(
      page,
      '/typologie?lang=en&layer=stadtteil&period=2024-12-31&indicators=arbeitslose_anteil,kinderarmut_anteil,anteil_65plus&method=ward&k=4',
    );
    await settled(page, 4);
    assert.match(await page.locator('h1').innerText(), /Typologies/);
    assert.match(await page.locator('#typ-counts').innerText(), /4 types · 38 of 38 areas typed/);
    assert.match(await page.locator('#typ-diag-h').innerText(), /How many types\?/);
  });

  it('works on a 375 px phone without horizontal scrolling', async () => {
    const phone = await anon.newPage();
    await phone.setViewportSize({ width: 375, height: 740 });
    for (const path of [
      '/typologie',
      '/typologie?layer=stadtteil&period=2024-12-31&indicators=arbeitslose_anteil,kinderarmut_anteil,anteil_65plus,anteil_unter6&method=ward&k=4&vgl=neu&vmethod=kmeans',
    ]) {
      await phone.goto(h.base + path, { waitUntil: 'networkidle' });
      await phone.waitForSelector('.km-typecard', { timeout: 20000 });
      await phone.waitForFunction(() => !document.querySelector('.km-loading'), undefined, { timeout: 20000 });
      const [scroll, client] = await phone.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
      ]);
      assert.ok(scroll <= client + 1, `${path}: page is ${scroll}px wide in a ${client}px viewport`);
    }
    await phone.close();
  });

  it('has no serious or critical axe-core violations', async () => {
    const views: [Page, string][] = [
      [page, '/typologie'],
      [
        page,
        '/typologie?layer=stadtteil&period=2024-12-31&indicators=arbeitslose_anteil,kinderarmut_anteil,anteil_65plus,anteil_unter6&method=kmeans&k=5&diag=silhouette&area=0101&vgl=neu&vmethod=ward',
      ],
      [page, '/typologie?lang=en&indicators=arbeitslose_anteil'],
      [
        analystPage,
        '/typologie?key=sozialraum&layer=stadtteil&period=2024-12-31&indicators=arbeitslose_anteil,kinderarmut_anteil,anteil_65plus,anteil_unter6&method=ward&k=4&vgl=sozialraum_typ',
      ],
      [analystPage, '/atlas?indicator=sozialraum_typ&period=2024-12-31&layer=stadtteil'],
    ];
    const failures: string[] = [];
    for (const [p, v] of views) {
      await open(p, v);
      const report = await axeSettled(p, 20000, 200);
      if (report) failures.push(`${v}\n  ${report}`);
    }
    assert.equal(failures.length, 0, failures.join('\n'));
    assert.deepEqual(errors, [], 'no script errors');
  });
});
