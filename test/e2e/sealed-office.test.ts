// End-to-end test of the sealed statistics office's page (/statistikstelle, issue 14) in headless
// Chromium on a PGlite data directory with the small sealed city (test/helpers/sealed-fixture.ts):
// a member of the office creates a definition through the form (a server error shown at its
// field first), uploads the records file, sees the dry run (records, reasons, match
// rates, counts with the disclosure marks, the unmatched addresses), commits, and the indicator
// exists. Canaries: after the run no name, record number, note, unknown street, house number or
// date of birth is in localStorage, sessionStorage, IndexedDB, the page's address, or any byte of
// the server's data directory. A user without the permission sees "Keine Berechtigung"; the
// administrator grants it with the checkbox in the user list.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { CHROMIUM, CHROMIUM_ARGS, MISSING, WEB_ROOT, chromiumGate, ensureWebBuild } from './harness.ts';
import { axe, contextOptions, describeViolations, signIn, sidewaysOverflow } from './helpers.ts';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { buildServer } from '../../src/http/server.ts';
import { addUser, listUsers, setPermission } from '../../src/services/users.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { tempDir } from '../helpers/files.ts';
import { sealedCity, recordsCsv, canaries, filesContaining } from '../helpers/sealed-fixture.ts';

const PASSWORD = 'Rathaus-Zahlen-2024!';
const SEALED = 'statistik';
const ANALYST = 'analyse';
const ADMIN = 'chefin';

describe('the sealed statistics office in Chromium', chromiumGate, () => {
  const tmp = tempDir();
  const dataDir = join(tmp.dir, 'data');
  const c = canaries();
  const needles = [c.name, c.firstName, c.note, c.street, c.houseNumber, c.number, c.birthDate];
  let db: Database;
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  const errors: string[] = [];

  before(async () => {
    if (MISSING) throw new Error(`Missing component: ${MISSING}`);
    ensureWebBuild();
    db = await openDatabase({ dataDir });
    await migrate(db);
    await sealedCity(db, tmp);
    for (const [name, role] of [
      [SEALED, 'analyst'],
      [ANALYST, 'analyst'],
      [ADMIN, 'admin'],
    ] as const)
      await addUser(db, SYSTEM, { name, role, password: PASSWORD });
    await setPermission(db, SYSTEM, SEALED, 'sealed-office', true);
    app = await buildServer(db, { webRoot: WEB_ROOT } as Parameters<typeof buildServer>[1]);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await db?.close().catch(() => undefined);
    tmp.cleanup();
  });

  /** Everything the page keeps in the browser: both storages, the IndexedDB names, the address. */
  async function browserTraces(p: Page): Promise<string> {
    // A string, not a function: tsx would wrap a function's helpers in __name, unknown in the page.
    return p.evaluate(`(async () => {
      const dump = (s) => Object.keys(s).map((k) => k + '=' + s.getItem(k)).join('\\n');
      const dbs = typeof indexedDB.databases === 'function' ? (await indexedDB.databases()).map((d) => d.name).join(',') : '';
      return [dump(localStorage), dump(sessionStorage), dbs, location.href, document.cookie].join('\\n');
    })()`) as Promise<string>;
  }

  it('a member of the office: definition form, dry run, commit; no canary in the browser or the data directory', async () => {
    const ctx: BrowserContext = await browser.newContext(contextOptions());
    try {
      const page = await signIn(ctx, base, SEALED, PASSWORD, errors, '/statistikstelle');
      await page.waitForSelector('#sealed-defs-h');
      assert.equal(
        await page.locator('.km-nav a[href="/statistikstelle"]').count(),
        1,
        'the page is in the navigation of the office',
      );
      assert.match(await page.locator('h1').innerText(), /Statistikstelle/);
      assert.match(await page.locator('.km-sealed').innerText(), /Noch keine Definition/);

      // A new definition through the form; first with a reference date the server refuses.
      await page.getByRole('button', { name: 'Neue Definition' }).click();
      await page.waitForSelector('#sealed-key');
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        'sealed-editor-h',
        'focus moves to the editor',
      );
      await page.fill('#sealed-key', 'ferienprogramm_2024');
      await page.fill('#sealed-indicatorKey', 'ferienprogramm_teilnehmende');
      await page.fill('#sealed-indicatorName', 'Teilnehmende am Ferienprogramm');
      await page.fill('#sealed-unit', 'Kinder');
      await page.fill('#sealed-owner', 'jugendamt');
      await page.fill('#sealed-period', '2024');
      await page.fill('#sealed-referenceDate', '2024-13-45');
      await page.fill('#sealed-minFrequency', '3');
      await page.getByRole('button', { name: 'Merkmal hinzufügen' }).click();
      await page.fill('#sealed-bd-0-dimension', 'altersgruppe');
      await page.fill('#sealed-bd-0-from', 'Geburtsdatum');
      await page.fill('#sealed-bd-0-rules', '0-6:unter6; 6-10:6-10; 10-15:10-15; 15-99:15+');
      await page.getByRole('button', { name: 'Merkmal hinzufügen' }).click();
      await page.fill('#sealed-bd-1-dimension', 'geschlecht');
      await page.fill('#sealed-bd-1-from', 'Geschlecht');
      await page.selectOption('#sealed-bd-1-kind', 'map');
      await page.fill('#sealed-bd-1-rules', 'w=weiblich; m=maennlich; d=divers');
      // The raw editor follows the form.
      const raw = JSON.parse(await page.locator('#sealed-raw').inputValue()) as {
        breakdowns: { geschlecht: { map: Record<string, string> } };
        address: { column: string };
      };
      assert.deepEqual(raw.breakdowns.geschlecht.map, { w: 'weiblich', m: 'maennlich', d: 'divers' });
      assert.equal(raw.address.column, 'Anschrift');
      await page.getByRole('button', { name: 'Definition speichern' }).click();
      await page.waitForSelector('.km-sealed__summary');
      assert.equal(
        await page.evaluate(() => document.activeElement?.classList.contains('km-sealed__summary')),
        true,
        'the error summary takes the focus',
      );
      assert.equal(
        await page.locator('#sealed-referenceDate').getAttribute('aria-invalid'),
        'true',
        'the refused field is marked',
      );
      assert.match(
        await page.locator('#sealed-referenceDate-error').innerText(),
        /2024-13-45/,
        "the server's problem is shown at its field",
      );
      assert.equal(
        await page.locator('.km-sealed__summary a[href="#sealed-referenceDate"]').count(),
        1,
        'the summary links to the field',
      );
      // The summary's link takes the focus to the field.
      await page.locator('.km-sealed__summary a[href="#sealed-referenceDate"]').click();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'sealed-referenceDate');
      await page.fill('#sealed-referenceDate', '31.07.2024');
      await page.getByRole('button', { name: 'Definition speichern' }).click();
      await page.waitForSelector('text=als Fassung 1 gespeichert');
      await page.waitForSelector('#sealed-defs tbody tr');
      assert.match(await page.locator('#sealed-defs tbody').innerText(), /ferienprogramm_2024/);

      // The dry run.
      await page.setInputFiles('#sealed-file', {
        name: 'anmeldungen.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(recordsCsv(c)),
      });
      assert.equal(await page.locator('#sealed-run-definition').inputValue(), 'ferienprogramm_2024');
      await page.getByRole('button', { name: 'Probelauf starten' }).click();
      await page.waitForSelector('#sealed-result-h');
      assert.match(await page.locator('#sealed-result-h').innerText(), /Probelauf/);
      assert.equal(
        await page.evaluate(() => document.activeElement?.id),
        'sealed-result-h',
        'focus moves to the result',
      );
      assert.equal(await page.locator('#sealed-records').innerText(), '13');
      assert.match(await page.locator('#sealed-assigned').innerText(), /^5 \(38,5 %\)$/);
      assert.match(await page.locator('#sealed-unassignable').innerText(), /^8 \(61,5 %\)$/);
      for (const reason of [
        'address_missing',
        'address_unmatched',
        'address_ambiguous',
        'outside_areas',
        'birthdate_invalid',
        'age_outside_bands',
        'category_unmapped',
      ]) {
        const n = await page.locator(`#sealed-reasons tr[data-reason="${reason}"] td`).first().innerText();
        assert.ok(Number(n) >= 1, `${reason}: ${n}`);
      }
      assert.match(await page.locator('#sealed-match').innerText(), /genau gefunden/);
      // Counts per area: the three planning areas (and the catchments), with primary marks.
      const areas = await page.locator('#sealed-areas tbody').innerText();
      for (const code of ['0101', '0102', '0201']) assert.ok(areas.includes(code), `${code} in ${areas}`);
      await page.waitForSelector('#sealed-areas th:has-text("0101 Westwest")');
      const marked = await page.locator('#sealed-cells tbody tr[data-mark="primary"]').count();
      assert.ok(marked > 0, 'cells with 1 or 2 cases are primary');
      assert.match(
        await page.locator('#sealed-cells tbody tr[data-mark="primary"] .km-sealed__published').first().innerText(),
        /^\. \(primär geheimgehalten\)$/,
      );
      // The dry run already has the server's whole pattern: secondary cells too.
      assert.match(
        await page.locator('#sealed-run-h').locator('xpath=..').innerText(),
        /Vorschau der Geheimhaltung: So würden die Zahlen nach der Übernahme geschützt/,
      );
      const secondaryColumn = await page.locator('#sealed-areas tbody tr td:last-child').allInnerTexts();
      assert.ok(
        secondaryColumn.length > 0 && secondaryColumn.every((x) => /^\d+$/.test(x.trim())),
        `secondary cells per area are known in the dry run: ${secondaryColumn.join(', ')}`,
      );
      // The unmatched addresses, on screen only.
      const unmatched = await page.locator('#sealed-unmatched').innerText();
      assert.ok(unmatched.includes(c.street), 'the unknown street is listed for the office');
      assert.ok(unmatched.includes(c.houseNumber), 'the unknown house number is listed for the office');
      assert.equal(describeViolations(await axe(page)), '');

      // The commit: the same file again, for real.
      await page.getByRole('button', { name: 'Übernehmen' }).click();
      await page.waitForSelector('text=Ergebnis der Übernahme');
      assert.match(await page.locator('.km-sealed__result').innerText(), /Gespeichert: ferienprogramm_teilnehmende/);
      await page.waitForSelector('text=Das gespeicherte Geheimhaltungsmuster', { timeout: 60_000 });
      const primaryAfter = await page.locator('#sealed-cells tbody tr[data-mark="primary"]').count();
      assert.ok(primaryAfter > 0, 'the stored pattern marks primary cells');
      const ind = await page.evaluate(async () => (await fetch('/api/indicators/ferienprogramm_teilnehmende')).status);
      assert.equal(ind, 200, 'the indicator exists');
      const obs = (await page.evaluate(async () =>
        (await fetch('/api/observations?indicator=ferienprogramm_teilnehmende&layer=planungsraum&period=2024')).json(),
      )) as { values: unknown[] };
      assert.ok(obs.values.length > 0, 'it has values');
      assert.equal(describeViolations(await axe(page)), '');

      // Canaries: nothing of a record in the browser's storage or address, nor on the server's disk.
      const traces = await browserTraces(page);
      for (const n of needles) assert.ok(!traces.includes(n), `the browser keeps ${n}`);
      assert.ok(!/[?&](file|address|name)=/.test(page.url()), page.url());
      assert.deepEqual(filesContaining(dataDir, needles), [], 'the data directory (pg_wal included)');

      // On a phone: nothing scrolls the page sideways.
      await page.setViewportSize({ width: 375, height: 800 });
      await page.waitForTimeout(300);
      const wide = await page.evaluate(
        `[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1 && e.offsetParent).map((e) => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 15).join('\\n')`,
      );
      assert.deepEqual(await sidewaysOverflow(page), [], String(wide));

      // Leaving the page drops the answer: back on it, no result is shown.
      await page.goto(`${base}/start`, { waitUntil: 'networkidle' });
      await page.goto(`${base}/statistikstelle`, { waitUntil: 'networkidle' });
      await page.waitForSelector('#sealed-defs');
      assert.equal(await page.locator('#sealed-unmatched').count(), 0);
      const traces2 = await browserTraces(page);
      for (const n of needles) assert.ok(!traces2.includes(n), `the browser keeps ${n} after reloading`);
    } finally {
      await ctx.close();
    }
    assert.deepEqual(errors, []);
  });

  it('a large file: upload and counting progress (rows read), and no value of a record in a progress event', async () => {
    const ctx = await browser.newContext(contextOptions());
    try {
      const page = await signIn(ctx, base, SEALED, PASSWORD, errors, '/statistikstelle');
      await page.waitForSelector('#sealed-defs tbody tr');
      const big =
        recordsCsv(c) +
        Array.from({ length: 60_000 }, (_, i) => `B-${i};Gross;Datei;14.03.2015;w;Ackerstr. 12a, 10115 Berlin;2;`).join(
          '\n',
        ) +
        '\n';
      // What the progress display showed, as it changed.
      await page.evaluate(`(() => {
        window.__shown = [];
        new MutationObserver(() => {
          const l = document.querySelector('.km-sealed__progress label');
          if (l && window.__shown[window.__shown.length - 1] !== l.textContent) window.__shown.push(l.textContent);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      })()`);
      const bodies: Promise<string>[] = [];
      page.on('response', (r) => {
        if (r.url().includes('/api/sealed/run')) bodies.push(r.text());
      });
      await page.setInputFiles('#sealed-file', { name: 'gross.csv', mimeType: 'text/csv', buffer: Buffer.from(big) });
      await page.getByRole('button', { name: 'Probelauf starten' }).click();
      await page.waitForSelector('#sealed-result-h', { timeout: 120_000 });
      assert.equal(await page.locator('#sealed-records').innerText(), '60.013', 'German thousands separator');
      const shown = (await page.evaluate('window.__shown')) as string[];
      assert.ok(
        shown.some((s) => /Datensätze gelesen/.test(s)),
        `the server's progress was shown: ${shown.join(' | ')}`,
      );
      const [body] = await Promise.all(bodies);
      const lines = body
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { type: string });
      const progress = lines.filter((l) => l.type === 'progress');
      assert.ok(progress.length >= 2, body.slice(0, 300));
      assert.equal(lines[lines.length - 1].type, 'result');
      const text = JSON.stringify(progress);
      for (const n of needles) assert.ok(!text.includes(n), `a progress event holds ${n}`);
      for (const p of progress)
        assert.deepEqual(Object.keys(p).sort(), ['bytesRead', 'phase', 'rows', 'totalBytes', 'type']);
    } finally {
      await ctx.close();
    }
    assert.deepEqual(errors, []);
  });

  it('the JSON/YAML editor: a syntax error names line and column; a YAML document fills the form; English', async () => {
    const ctx = await browser.newContext(contextOptions());
    try {
      const page = await signIn(ctx, base, SEALED, PASSWORD, errors, '/statistikstelle');
      await page.getByRole('button', { name: 'Neue Definition' }).click();
      await page.locator('.km-sealed__raw summary').click();
      await page.fill('#sealed-raw', 'key: schule_2024\nindicator:\n  key: [schule\n');
      await page.getByRole('button', { name: 'In das Formular übernehmen' }).click();
      assert.match(await page.locator('#sealed-raw-error').innerText(), /Zeile \d+, Spalte \d+/);
      assert.equal(await page.locator('#sealed-raw').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'sealed-raw');
      const yaml = [
        'key: schule_2024',
        'indicator:',
        '  key: schulanfaenger',
        '  name: Schulanfänger',
        '  unit: Kinder',
        '  type: count',
        '  owner: schulamt',
        '  themes: [Bildung]',
        'period: "2024"',
        'address:',
        '  street: Strasse',
        '  number: Hausnummer',
        'breakdowns:',
        '  geschlecht:',
        '    from: Geschlecht',
        '    map: { w: weiblich, m: maennlich }',
        'layers: [planungsraum]',
      ].join('\n');
      await page.fill('#sealed-raw', yaml);
      await page.getByRole('button', { name: 'In das Formular übernehmen' }).click();
      assert.equal(await page.locator('#sealed-key').inputValue(), 'schule_2024');
      assert.equal(await page.locator('#sealed-owner').inputValue(), 'schulamt');
      assert.equal(await page.locator('#sealed-address-mode').inputValue(), 'street');
      assert.equal(await page.locator('#sealed-street').inputValue(), 'Strasse');
      assert.equal(await page.locator('#sealed-bd-0-rules').inputValue(), 'w=weiblich; m=maennlich');
      // What the form does not show is kept in the document.
      const doc = JSON.parse(await page.locator('#sealed-raw').inputValue()) as {
        layers: string[];
        indicator: { themes: string[] };
      };
      assert.deepEqual(doc.layers, ['planungsraum']);
      assert.deepEqual(doc.indicator.themes, ['Bildung']);
      assert.equal(describeViolations(await axe(page)), '');

      await page.goto(`${base}/statistikstelle?lang=en`, { waitUntil: 'networkidle' });
      await page.waitForSelector('#sealed-defs-h');
      assert.match(await page.locator('h1').innerText(), /Sealed statistics office/);
      assert.match(await page.locator('#sealed-run-h').innerText(), /Process records/);
    } finally {
      await ctx.close();
    }
    assert.deepEqual(errors, []);
  });

  it('without the permission: "Keine Berechtigung", no link; the administrator grants it with the checkbox', async () => {
    const ctx = await browser.newContext(contextOptions());
    const adminCtx = await browser.newContext(contextOptions());
    try {
      const page = await signIn(ctx, base, ANALYST, PASSWORD, errors, '/statistikstelle');
      await page.waitForSelector('.km-sealed-forbidden');
      assert.match(await page.locator('.km-sealed-forbidden').innerText(), /Keine Berechtigung/);
      assert.equal(await page.locator('.km-sealed .kern-alert--danger').count(), 0, 'a state, not an error');
      assert.equal(await page.locator('.km-nav a[href="/statistikstelle"]').count(), 0, 'no link in the navigation');
      assert.equal(describeViolations(await axe(page)), '');
      // English as well.
      await page.goto(`${base}/statistikstelle?lang=en`, { waitUntil: 'networkidle' });
      await page.waitForSelector('.km-sealed-forbidden');
      assert.match(await page.locator('.km-sealed-forbidden').innerText(), /No permission/);

      const admin = await signIn(adminCtx, base, ADMIN, PASSWORD, errors, '/verwaltung?bereich=benutzer');
      await admin.goto(`${base}/verwaltung?bereich=benutzer`, { waitUntil: 'networkidle' });
      const box = admin.locator(`#user-sealed-${ANALYST}`);
      await box.waitFor();
      assert.equal(await box.isChecked(), false);
      assert.equal(await admin.locator(`#user-sealed-${SEALED}`).isChecked(), true);
      assert.equal(
        await admin.getByLabel(`Berechtigung Statistikstelle für ${ANALYST}`).count(),
        1,
        'the checkbox is labelled',
      );
      await box.focus();
      await admin.keyboard.press('Space');
      await admin.waitForSelector(`text=${ANALYST} hat jetzt die Berechtigung der Statistikstelle.`);
      assert.equal(
        (await listUsers(db, SYSTEM)).find((u) => u.name === ANALYST)?.sealedOffice,
        true,
        'granted on the server',
      );
      assert.equal(describeViolations(await axe(admin)), '');
      const audit = (await admin.evaluate(async () => (await fetch('/api/audit?action=user.grant')).json())) as {
        entries: { objectKey: string }[];
      };
      assert.ok(
        audit.entries.some((e) => e.objectKey === ANALYST),
        'audited',
      );

      // The analyst now gets the page (the permission counts from the next request).
      await page.goto(`${base}/statistikstelle`, { waitUntil: 'networkidle' });
      await page.waitForSelector('#sealed-defs-h');
      assert.equal(await page.locator('.km-nav a[href="/statistikstelle"]').count(), 1);

      // And revoking takes it away again.
      await admin.locator(`#user-sealed-${ANALYST}`).uncheck();
      await admin.waitForSelector(`text=${ANALYST} hat die Berechtigung der Statistikstelle nicht mehr.`);
      assert.equal((await listUsers(db, SYSTEM)).find((u) => u.name === ANALYST)?.sealedOffice, false);
    } finally {
      await ctx.close();
      await adminCtx.close();
    }
    assert.deepEqual(errors, []);
  });
});
