// End-to-end tests of the views of issues #4–#6 in headless Chromium (Debian's package, driven by
// playwright-core): the index builder with its live preview, sensitivity and saving, the
// "why is this area red?" breakdown on the profile, congruence of two layers, and the
// administration (audit trail with CSV export, users, departments, API tokens, password change)
// with its 403 / sign-in answers. One server (in-memory demo city) and one browser for the file.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumGate, startHarness, USER, PASSWORD, type Harness } from './harness.ts';
import { ADMIN, ADMIN_PASSWORD, axeSettled, contextOptions, deNumber, newPage, signIn as signInAt } from './helpers.ts';
import { addUser } from '../../src/services/users.ts';
import { SYSTEM } from '../../src/core/access.ts';

describe('index builder, congruence and administration in Chromium', chromiumGate, () => {
  let h: Harness;
  let anon: BrowserContext;
  let admin: BrowserContext;
  let analyst: BrowserContext;
  let page: Page; // anonymous
  let adminPage: Page;
  let analystPage: Page;
  const errors: string[] = [];

  const signIn = (ctx: BrowserContext, user: string, password: string) => signInAt(ctx, h.base, user, password, errors);

  before(async () => {
    h = await startHarness();
    await addUser(h.db, SYSTEM, { name: ADMIN, role: 'admin', password: ADMIN_PASSWORD, displayName: 'Verwalterin' });
    const opts = contextOptions({ acceptDownloads: true });
    anon = await h.browser.newContext(opts);
    admin = await h.browser.newContext(opts);
    analyst = await h.browser.newContext(opts);
    page = await newPage(anon, errors);
    adminPage = await signIn(admin, ADMIN, ADMIN_PASSWORD);
    analystPage = await signIn(analyst, USER, PASSWORD);
  });
  after(async () => {
    for (const c of [anon, admin, analyst]) await c?.close().catch(() => undefined);
    await h?.close();
  });

  async function open(p: Page, path: string): Promise<void> {
    await p.goto(h.base + path, { waitUntil: 'networkidle' });
  }
  const areas = (p: Page) => p.locator('.km-map__areas path.km-area').count();

  it('the Bildungsteilhabe template runs on the school catchments with Stichtag inputs inside the school year', async () => {
    // HzE data are restricted to the youth office, so is the index: an analyst of the Jugendamt runs it.
    await addUser(h.db, SYSTEM, {
      name: 'jugendamt',
      role: 'analyst',
      department: 'jugend',
      password: ADMIN_PASSWORD,
      displayName: 'Jugendamt',
    });
    const ctx = await h.browser.newContext(contextOptions());
    const page = await signIn(ctx, 'jugendamt', ADMIN_PASSWORD);
    await open(page, '/index');
    await page.waitForSelector('#idx-layer');
    await page.locator('.km-template-buttons button', { hasText: 'Bildungsteilhabe' }).click();
    await page.waitForFunction(() => decodeURIComponent(location.search).includes('"layer":"grundschulbezirk"'));
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.km-map__areas path.km-area').length > 20 &&
        !document.querySelector('.km-index__main .km-stale'),
    );
    const def = JSON.parse(new URL(page.url()).searchParams.get('def')!);
    assert.match(def.period, /^\d{4}\/\d{2}$/, 'a school year');
    const meta = await page.locator('.km-result-head__meta').innerText();
    // Kinderarmut and HzE-Quote are read at the Stichtag within the school year, and say so.
    const year = Number(def.period.slice(0, 4));
    assert.ok(meta.includes(`Stand 31.12.${year}`), meta);
    const legend = await page.locator('.km-legend').innerText();
    for (const l of ['sehr gering', 'mittel', 'sehr hoch']) assert.ok(legend.includes(l), `${l} in legend`);
    await ctx.close();
  });

  it('previews the status template on the block layer: map, classes, distribution and table', async () => {
    await open(page, '/index');
    await page.waitForSelector('#idx-layer');
    assert.match(await page.locator('h1').innerText(), /Indizes/);
    await page.locator('.km-template-buttons button', { hasText: 'Statusindex' }).click();
    await page.selectOption('#idx-layer', 'block');
    await page.waitForFunction(() => decodeURIComponent(location.search).includes('"layer":"block"'));
    await page.selectOption('#idx-period', '2024-12-31');
    await page.waitForFunction(
      () =>
        document.querySelectorAll('.km-map__areas path.km-area').length >= 250 &&
        !document.querySelector('.km-index__main .km-stale'),
    );
    const n = await areas(page);
    assert.ok(n >= 250 && n <= 350, `about 300 blocks, got ${n}`);
    assert.equal(await page.locator('#idx-table tbody tr').count(), n, 'one table row per area');
    const meta = await page.locator('.km-result-head__meta').innerText();
    assert.match(meta, /Stichtag 31\.12\.2024/);
    const m = /(\d+) von (\d+) Gebieten mit Indexwert, (\d+) ausgeschlossen/.exec(meta);
    assert.ok(m && Number(m[1]) + Number(m[3]) === Number(m[2]), meta);
    assert.ok(Number(m![3]) > 0, 'blocks below the minimum base of 300 inhabitants are excluded');
    // the classes of the definition in the legend, with counts
    const legend = await page.locator('.km-legend').innerText();
    for (const l of ['hoch', 'mittel', 'niedrig', 'sehr niedrig', 'ausgeschlossen'])
      assert.ok(legend.includes(l), `${l} in legend`);
    // the values are those of the API
    const def = JSON.parse(new URL(page.url()).searchParams.get('def')!);
    assert.equal(def.layer, 'block');
    assert.equal(def.period, '2024-12-31');
    const api = (await (await page.request.post(`${h.base}/api/analysis/index`, { data: def })).json()) as {
      result: { rows: { area: string; score: number | null; rank: number | null; label: string | null }[] };
    };
    const top = api.result.rows.find((r) => r.rank === 1)!;
    const first = page.locator('#idx-table tbody tr').first();
    assert.match(await first.innerText(), new RegExp(top.area));
    assert.equal(deNumber(await first.locator('td').nth(1).innerText()).toFixed(2), top.score!.toFixed(2));
    // excluded areas are drawn with a pattern and named as such
    const excluded = page.locator('.km-map__areas path[fill*="missing"]').first();
    assert.match((await excluded.getAttribute('aria-label')) ?? '', /ohne Indexwert \(Basis Einwohner \d+ unter 300\)/);
    // the distribution of scores with a table of the bins
    await page.waitForSelector('#idx-hist-h ~ div svg, .km-section svg[aria-hidden="true"]');
    const bins = await page.locator('#idx-bins tbody tr').count();
    assert.ok(bins >= 5, `histogram bins ${bins}`);
    // "why is this area red?" for the top area: the contributions add up to the raw score
    const why = page.locator('#idx-why-table');
    assert.equal(await why.locator('tbody tr').count(), 3);
    const contributions = (await why.locator('tbody tr td:nth-child(5)').allInnerTexts()).map(deNumber);
    const sum = deNumber(await why.locator('tfoot tr').first().locator('td').innerText());
    assert.ok(Math.abs(contributions.reduce((a, b) => a + b, 0) - sum) < 0.02, `${contributions} → ${sum}`);
    // choosing another area in the table shows its breakdown
    const second = page.locator('#idx-table tbody tr').nth(1);
    const name = (await second.locator('button.km-linkbutton').innerText()).trim();
    await second.locator('button.km-linkbutton').click();
    await page.waitForFunction((nm) => document.querySelector('#idx-why-h')?.textContent?.includes(nm), name);
    assert.match(page.url(), /area=/);
    // … and so does Enter on an area of the map (keyboard)
    await page.locator('.km-map__areas path[tabindex="0"]').focus();
    await page.keyboard.press('ArrowLeft');
    const code = await page.evaluate(() => document.activeElement?.getAttribute('data-code'));
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`area=${code}`));
    assert.notEqual(code, top.area);
  });

  it('the address is a permalink of the whole definition; invalid input is named at its field', async () => {
    const url = page.url();
    await page.goto(url, { waitUntil: 'networkidle' });
    await page.waitForSelector('#idx-table');
    assert.equal(await page.locator('#idx-layer').inputValue(), 'block');
    assert.equal(await page.locator('#idx-period').inputValue(), '2024-12-31');
    assert.equal(await page.locator('#idx-breaks').inputValue(), '−1; 1; 1,5');
    // a label too few: the preview waits and says what is missing
    await page.fill('#idx-labels', 'hoch; mittel; niedrig');
    await page.waitForSelector('#idx-labels-error');
    assert.match(await page.locator('#idx-labels-error').innerText(), /4 Bezeichnungen/);
    assert.match(await page.locator('.km-index__main .kern-alert--warning').innerText(), /4 Bezeichnungen/);
    await page.fill('#idx-labels', 'hoch; mittel; niedrig; sehr niedrig');
    await page.waitForSelector('#idx-table');
    // a component weight in German notation
    await page.fill('#idx-c0-weight', '1,5');
    await page.waitForFunction(() => decodeURIComponent(location.search).includes('"weight":1.5'));
    await page.fill('#idx-c0-weight', '1');
    await page.waitForFunction(() => !decodeURIComponent(location.search).includes('"weight":1.5'));
    // a damaged link
    await open(page, '/index?def=%7B%22kaputt');
    await page.waitForSelector('.kern-alert--warning');
    assert.match(await page.locator('.kern-alert--warning').innerText(), /keine gültige Indexdefinition/);
    await page.goBack({ waitUntil: 'networkidle' });
    await page.waitForSelector('#idx-table');
  });

  it('runs the sensitivity analysis (1 000 runs) and hatches shaky areas', async () => {
    await page.locator('button', { hasText: 'Robustheit prüfen' }).click();
    await page.waitForURL(/sens=1/);
    await page.waitForSelector('.km-sens [role=status]');
    const text = await page.locator('.km-sens').innerText();
    assert.match(text, /\d+ von \d+ Gebieten behalten ihre Klasse in allen 1\.000 Läufen/);
    const shaky = Number(/(\d+) Gebiete? (?:sind|ist) unsicher/.exec(text)?.[1] ?? NaN);
    assert.ok(Number.isFinite(shaky), text);
    assert.equal(await page.locator('.km-map__hatch path').count(), shaky, 'one hatched area per shaky classification');
    const head = await page.locator('#idx-table thead').innerText();
    assert.match(head, /Klasse gehalten/);
    assert.match(head, /Rangspanne/);
    assert.match(await page.locator('#idx-table tbody tr').first().innerText(), /\d+\s%/);
    if (shaky > 0)
      assert.match(
        (await page
          .locator('.km-map__areas path[aria-label*="unsichere Einstufung"]')
          .first()
          .getAttribute('aria-label')) ?? '',
        /unsichere Einstufung \(Klasse in \d+\s% der Läufe gehalten\)/,
      );
  });

  it('saves the index (signed in), shows it in the atlas and explains an area on its profile', async () => {
    // anonymous users are asked to sign in
    assert.match(await page.locator('.km-save').innerText(), /melden Sie sich an/);
    const url = new URL(page.url());
    await open(adminPage, url.pathname + url.search);
    await adminPage.waitForSelector('#idx-table');
    await adminPage.locator('.km-save button', { hasText: 'Index „status“ speichern' }).click();
    await adminPage.waitForSelector('.km-save .kern-alert--success');
    assert.match(await adminPage.locator('.km-save').innerText(), /Index „status“ gespeichert \(Version 1\)/);
    await adminPage.locator('.km-save a', { hasText: 'status_klasse im Atlas' }).click();
    await adminPage.waitForURL(/\/atlas\?indicator=status_klasse&.*layer=block/);
    await adminPage.waitForSelector('.km-map__areas path.km-area');
    assert.match(await adminPage.locator('.km-result-head__title').innerText(), /Statusindex \(Klasse\)/);
    // the profile of the top area breaks its index value down
    const top = (await page.locator('#idx-table tbody tr').first().locator('td').first().innerText()).trim();
    await open(page, `/profil?layer=block&area=${top}`);
    await page.waitForSelector('.km-index-why table');
    assert.match(await page.locator('#index-why-h').innerText(), /Zusammensetzung der Indizes/);
    assert.equal(await page.locator('.km-index-why table tbody tr').count(), 3);
    assert.match(await page.locator('.km-index-why').innerText(), /Rang 1 von \d+/);
    assert.match(await page.locator('.km-index-why').innerText(), /Summe = Rohwert/);
  });

  it('shows the congruence of the election districts and the neighbourhoods', async () => {
    await open(page, '/kongruenz?a=wahlbezirk&b=stadtteil');
    await page.waitForSelector('#cong-forward');
    const forward = Number(await page.locator('#cong-forward').getAttribute('data-score'));
    assert.ok(forward > 0.9, `election districts lie in one neighbourhood each: ${forward}`);
    assert.match(await page.locator('#cong-forward').innerText(), /^\d{2},\d\s%$/);
    const overall = Number(await page.locator('.km-score--main .km-score__value').getAttribute('data-score'));
    const api = (await (
      await page.request.get(`${h.base}/api/congruence?a=wahlbezirk&b=stadtteil&weights=population`)
    ).json()) as { congruence: { score: number; forward: { score: number } } };
    assert.equal(overall.toFixed(4), api.congruence.score.toFixed(4));
    assert.equal(forward.toFixed(4), api.congruence.forward.score.toFixed(4));
    assert.match(await page.locator('.km-verdict').innerText(), /liegen fast vollständig/);
    assert.equal(await areas(page), 60);
    assert.equal(await page.locator('#cong-table tbody tr').count(), 60);
    // sortable: by shared share, descending
    await page.locator('#cong-table thead button', { hasText: 'Gemeinsamer Anteil' }).click();
    await page.waitForURL(/sort=share:desc/);
    const shares = (await page.locator('#cong-table tbody tr td:nth-child(4)').allInnerTexts()).map(deNumber);
    for (let i = 1; i < shares.length; i++) assert.ok(shares[i] <= shares[i - 1], 'sorted descending');
    // the other direction: the 38 neighbourhoods
    await page.locator('.km-toggle button', { hasText: 'Gebiete: Stadtteile' }).click();
    await page.waitForURL(/richtung=ba/);
    await page.waitForFunction(() => document.querySelectorAll('#cong-table tbody tr').length === 38);
    // surface instead of residents, and an older boundary version
    await page.selectOption('#cong-weights', 'area');
    await page.waitForURL(/weights=area/);
    await page.waitForSelector('.km-result-head__meta:has-text("Fläche")');
    await page.selectOption('#cong-b-date', '2020-12-31');
    await page.waitForURL(/b=stadtteil@2020-12-31/);
    await page.waitForFunction(() => document.querySelectorAll('#cong-table tbody tr').length === 24);
  });

  it('administration: admins see the audit trail, filter it and export it as CSV', async () => {
    assert.ok(
      (await adminPage.locator('nav.km-nav a', { hasText: 'Verwaltung' }).count()) === 1,
      'admins see it in the navigation',
    );
    await adminPage.locator('nav.km-nav a', { hasText: 'Verwaltung' }).click();
    await adminPage.waitForSelector('#audit-table');
    const rows = await adminPage.locator('#audit-table tbody tr').allInnerTexts();
    assert.ok(
      rows.some((r) => /Index gespeichert \(index\.save\)/.test(r) && r.includes(ADMIN)),
      'the saved index is in the trail',
    );
    assert.ok(
      rows.some((r) => /Anmeldung \(login\)/.test(r)),
      'sign-ins are in the trail',
    );
    assert.match(rows[0], /\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2}/, 'German date and time');
    // filter by action
    await adminPage.selectOption('#audit-action', 'login');
    await adminPage.locator('.km-filters button[type=submit]').click();
    await adminPage.waitForURL(/action=login/);
    await adminPage.waitForFunction(() =>
      [...document.querySelectorAll('#audit-table tbody tr')].every((tr) => tr.textContent?.includes('(login)')),
    );
    // CSV export with the same filter
    const [download] = await Promise.all([
      adminPage.waitForEvent('download'),
      adminPage.locator('a.km-download', { hasText: 'CSV' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'audit.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    assert.equal(csv.charCodeAt(0), 0xfeff, 'UTF-8 with BOM');
    const lines = csv.slice(1).trim().split(/\r?\n/);
    assert.equal(lines[0], 'id;at;actor;action;object_type;object_key;import_batch_id;details;ip');
    assert.ok(lines.length > 1 && lines.slice(1).every((l) => l.split(';')[3] === 'login'), 'only sign-ins');
    assert.ok(lines.some((l) => l.includes(ADMIN)));
  });

  it('administration: users, departments and one’s own API tokens', async () => {
    await open(adminPage, '/verwaltung?bereich=fachbereiche');
    await adminPage.fill('#dep-key', 'quartier');
    await adminPage.fill('#dep-name', 'Quartiersmanagement');
    await adminPage.locator('.km-form button[type=submit]').click();
    await adminPage.waitForSelector('#deps-table tbody tr:has-text("Quartiersmanagement")');
    await open(adminPage, '/verwaltung?bereich=benutzer');
    await adminPage.waitForSelector('#users-table');
    await adminPage.fill('#user-name', 'q.steward');
    await adminPage.selectOption('#user-role', 'steward');
    await adminPage.fill('#user-password', 'kurz');
    await adminPage.locator('.km-form button[type=submit]').click();
    assert.match(await adminPage.locator('#user-password-error').innerText(), /mindestens 12 Zeichen/);
    assert.match(await adminPage.locator('#user-department-error').innerText(), /Fachbereich/);
    await adminPage.selectOption('#user-department', 'quartier');
    await adminPage.fill('#user-password', 'Quartier-Bruecke-2024');
    await adminPage.locator('.km-form button[type=submit]').click();
    await adminPage.waitForSelector('#users-table tbody tr:has-text("q.steward")');
    const row = adminPage.locator('#users-table tbody tr', { hasText: 'q.steward' });
    assert.match(await row.innerText(), /Datenverantwortung/);
    // disable with a confirmation step
    await row.getByRole('button', { name: 'q.steward deaktivieren' }).click();
    await row.getByRole('button', { name: 'Ja, deaktivieren' }).click();
    await adminPage.waitForSelector('#users-table tbody tr:has-text("q.steward") .km-badge--off');
    // one's own API token: shown once, with a copy button, then revoked
    await open(adminPage, '/verwaltung?bereich=tokens');
    await adminPage.fill('#token-name', 'nächtlicher Import');
    await adminPage.fill('#token-days', '30');
    await adminPage.locator('.km-form button[type=submit]').click();
    await adminPage.waitForSelector('#token-secret');
    const secret = await adminPage.locator('#token-secret').inputValue();
    assert.match(secret, /^km_/);
    assert.match(await adminPage.locator('.km-newtoken').innerText(), /nur jetzt angezeigt/);
    const me = await adminPage.request.get(`${h.base}/api/auth/me`, { headers: { Authorization: `Bearer ${secret}` } });
    assert.equal(((await me.json()) as { user: { name: string } }).user.name, ADMIN, 'the token acts as its user');
    await adminPage.locator('.km-newtoken button', { hasText: 'Ich habe das Token gespeichert' }).click();
    assert.equal(await adminPage.locator('#token-secret').count(), 0, 'the secret is gone');
    const tokenRow = adminPage.locator('#tokens-table tbody tr', { hasText: 'nächtlicher Import' });
    await tokenRow.getByRole('button', { name: 'Token „nächtlicher Import“ widerrufen' }).click();
    await tokenRow.getByRole('button', { name: 'Ja, widerrufen' }).click();
    await adminPage.waitForSelector('#tokens-table tbody tr:has-text("widerrufen") .km-badge--off');
    const after = await adminPage.request.get(`${h.base}/api/auth/me`, {
      headers: { Authorization: `Bearer ${secret}` },
    });
    assert.equal(after.status(), 401, 'a revoked token no longer works');
  });

  it('administration: the open-data publisher settings, checked at their fields, configure the catalogue', async () => {
    await open(adminPage, '/verwaltung?bereich=offene-daten');
    await adminPage.waitForSelector('#pub-name');
    assert.equal(
      await adminPage.inputValue('#pub-name'),
      'Stadt Musterstadt',
      'the demo city’s settings fill the form',
    );
    assert.match(await adminPage.locator('.km-section').innerText(), /Der Katalog ist eingerichtet/);
    await adminPage.fill('#pub-name', 'Stadt Musterstadt an der Ruhr');
    await adminPage.fill('#pub-officialKey', '5315000');
    await adminPage.fill('#pub-contactEmail', '');
    await adminPage.locator('.km-form button[type=submit]').click();
    assert.match(await adminPage.locator('#pub-officialKey-error').innerText(), /8 Ziffern/);
    assert.match(
      await adminPage.locator('#pub-contactEmail-error').innerText(),
      /E-Mail-Adresse oder ein Kontaktformular/,
    );
    assert.equal(
      await adminPage.evaluate(() => document.activeElement?.id),
      'pub-officialKey',
      'the first wrong field has the focus',
    );
    assert.doesNotMatch(
      await (await adminPage.request.get(`${h.base}/catalog.ttl`)).text(),
      /an der Ruhr/,
      'nothing was sent',
    );
    await adminPage.fill('#pub-officialKey', '05315000');
    await adminPage.fill('#pub-contactEmail', 'statistik@musterstadt.example');
    await adminPage.selectOption('#pub-licence', 'dl-zero-de/2.0');
    await adminPage.locator('.km-form button[type=submit]').click();
    await adminPage.waitForSelector('.kern-alert--success:has-text("gespeichert")');
    const ttl = await adminPage.request.get(`${h.base}/catalog.ttl`);
    assert.equal(ttl.status(), 200);
    const text = await ttl.text();
    assert.match(text, /Stadt Musterstadt an der Ruhr/);
    assert.match(text, /dl-zero-de\/2\.0/);
    assert.match(text, /municipalityKey\/05315000/);
    // The stored settings fill the form again.
    await open(adminPage, '/verwaltung?bereich=offene-daten');
    await adminPage.waitForSelector('#pub-name');
    assert.equal(await adminPage.inputValue('#pub-officialKey'), '05315000');
    assert.equal(await adminPage.inputValue('#pub-licence'), 'dl-zero-de/2.0');
  });

  it('others get a 403 message or the sign-in link; every signed-in user can change the password', async () => {
    assert.equal(
      await analystPage.locator('nav.km-nav a', { hasText: 'Verwaltung' }).count(),
      0,
      'not in the navigation of non-admins',
    );
    await open(analystPage, '/verwaltung');
    await analystPage.waitForSelector('.km-forbidden');
    assert.match(await analystPage.locator('.km-forbidden').innerText(), /Kein Zugriff \(403\)/);
    assert.match(await analystPage.locator('.km-forbidden').innerText(), /Ihre Rolle ist „Analyse“/);
    await open(page, '/verwaltung');
    await page.waitForSelector('.km-signin-needed');
    assert.match(
      (await page.locator('.km-signin-needed').getAttribute('href')) ?? '',
      /^\/anmelden\?next=\/verwaltung/,
    );
    // password change from "My account" (the link with the user's name in the header)
    await analystPage.locator('.km-user__link').click();
    await analystPage.waitForURL(/\/konto/);
    await analystPage.locator('.km-subnav a', { hasText: 'Passwort ändern' }).click();
    await analystPage.waitForSelector('#pw-current');
    await analystPage.fill('#pw-current', 'falsch-falsch-falsch');
    await analystPage.fill('#pw-new', 'Neues-Passwort-2025!');
    await analystPage.fill('#pw-repeat', 'Neues-Passwort-2025?');
    await analystPage.locator('.km-form button[type=submit]').click();
    assert.match(await analystPage.locator('#pw-repeat-error').innerText(), /stimmen nicht überein/);
    await analystPage.fill('#pw-repeat', 'Neues-Passwort-2025!');
    await analystPage.locator('.km-form button[type=submit]').click();
    await analystPage.waitForSelector('#pw-current-error');
    assert.match(await analystPage.locator('#pw-current-error').innerText(), /aktuelle Passwort ist falsch/);
    await analystPage.fill('#pw-current', PASSWORD);
    await analystPage.locator('.km-form button[type=submit]').click();
    await analystPage.waitForSelector('.kern-alert--success');
    const login = await fetch(`${h.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: USER, password: 'Neues-Passwort-2025!' }),
    });
    assert.equal(login.status, 200, 'the new password works');
  });

  it('works on a 375 px phone without horizontal scrolling; the navigation folds into a menu', async () => {
    const phone = await admin.newPage();
    await phone.setViewportSize({ width: 375, height: 740 });
    for (const path of ['/index?sens=1', '/kongruenz', '/verwaltung', '/verwaltung?bereich=benutzer']) {
      await phone.goto(h.base + path, { waitUntil: 'networkidle' });
      await phone.waitForSelector('h1');
      await phone.waitForFunction(() => !document.querySelector('.km-loading'), undefined, { timeout: 15000 });
      const [scroll, client] = await phone.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
      ]);
      assert.ok(scroll <= client + 1, `${path}: page is ${scroll}px wide in a ${client}px viewport`);
    }
    const toggle = phone.locator('.km-nav__toggle');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await phone.locator('#km-nav-list').isVisible(), false);
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await phone.locator('#km-nav-list a', { hasText: 'Deckungsgleichheit' }).click();
    await phone.waitForURL(/\/kongruenz/);
    assert.equal(await phone.locator('#km-nav-list').isVisible(), false, 'the menu closes after choosing');
    await phone.close();
  });

  it('has no serious or critical axe-core violations on the new views', async () => {
    const views: [Page, string][] = [
      [page, '/index?sens=1'],
      [page, '/kongruenz?a=wahlbezirk&b=stadtteil'],
      [page, '/kongruenz?a=wahlbezirk&b=stadtteil@2020-12-31&weights=area&richtung=ba'],
      [page, '/verwaltung'],
      [page, '/profil?layer=block&area=01010001'],
      [page, '/index?lang=en'],
      [adminPage, '/verwaltung'],
      [adminPage, '/verwaltung?bereich=benutzer'],
      [adminPage, '/verwaltung?bereich=fachbereiche'],
      [adminPage, '/verwaltung?bereich=offene-daten'],
      [adminPage, '/verwaltung?bereich=tokens'],
      [adminPage, '/verwaltung?bereich=passwort'],
      [analystPage, '/verwaltung'],
      [analystPage, '/konto'],
    ];
    const failures: string[] = [];
    for (const [p, v] of views) {
      const t0 = Date.now();
      await open(p, v);
      const report = await axeSettled(p, 15000, 150);
      if (report) failures.push(`${v}\n  ${report}`);
      if (process.env.KM_TIMING) console.log(`axe ${v}: ${Date.now() - t0} ms`);
    }
    assert.equal(failures.length, 0, failures.join('\n'));
    assert.deepEqual(errors, [], 'no script errors');
  });
});
