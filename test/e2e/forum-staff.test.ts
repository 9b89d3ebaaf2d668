// End-to-end test of the youth forum's staff page (/jugendforum) in headless Chromium on the
// in-memory demo city: staff place a topic's point by a click on the small map of its area and
// move it with the keyboard through the coordinate fields (a point outside the area is refused
// by the server and changes nothing), link the topic to one block of a report, and the youth page
// shows the link once the report has a public release. Zero serious axe violations.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumGate, startHarness, type Harness } from './harness.ts';
import { axe, contextOptions, describeViolations, newPage, signIn } from './helpers.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { listForums, publicTopics, staffTopic } from '../../src/services/forum.ts';
import { addUser } from '../../src/services/users.ts';
import { areaGeometry } from '../../src/store/forum.ts';
import { bboxOf } from '../../src/core/geo/geometry.ts';
import { representativePoint } from '../../src/core/geo/representative-point.ts';
import { naiveAssign } from '../../src/core/geo/point-index.ts';

const STEWARD = 'jugendamt';
const STEWARD_PASSWORD = 'Jugend-Forum-2026!';

async function tabTo(p: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await p.keyboard.press('Tab');
    if (await p.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe(
  'youth forum staff page in Chromium: a topic’s point on the map, links to a report block',
  chromiumGate,
  () => {
    let h: Harness;
    let ctx: BrowserContext;
    let p: Page;
    let forum = '';
    let topicId = 0;
    const errors: string[] = [];

    before(async () => {
      h = await startHarness();
      await addUser(h.db, SYSTEM, { name: STEWARD, role: 'steward', department: 'jugend', password: STEWARD_PASSWORD });
      forum = (await listForums(h.db))[0].key;
      topicId = (await publicTopics(h.db, { forum }))[0].id;
      ctx = await h.browser.newContext(contextOptions());
      p = await signIn(
        ctx,
        h.base,
        STEWARD,
        STEWARD_PASSWORD,
        errors,
        encodeURIComponent(`/jugendforum?forum=${forum}`),
      );
      await p.waitForSelector('#edit-topic');
      await p.selectOption('#edit-topic', String(topicId));
      await p.waitForSelector('.km-forum__place svg path[data-code]');
    });
    after(async () => {
      await ctx?.close().catch(() => undefined);
      await h?.close();
    });

    it('a click on the map sets the point (inside the area), saved on the server', async () => {
      const t = await staffTopic(h.db, SYSTEM, topicId);
      const g = (await areaGeometry(h.db, t.layer, t.areaCode))!;
      const [lon, lat] = representativePoint(g)!;
      const [x0, y0, x1, y1] = bboxOf(g);
      // The map is a linear (equirectangular) drawing: the area's extent is its path's box on screen.
      await p.locator('.km-forum__place svg').scrollIntoViewIfNeeded();
      const box = (await p.locator(`.km-forum__place path[data-code="${t.areaCode}"]`).boundingBox())!;
      const cx = box.x + ((lon - x0) / (x1 - x0)) * box.width,
        cy = box.y + ((y1 - lat) / (y1 - y0)) * box.height;
      await p.mouse.click(cx, cy);
      const typed = { x: Number(await p.inputValue('#place-lon')), y: Number(await p.inputValue('#place-lat')) };
      const px = (x1 - x0) / box.width;
      assert.ok(
        Math.abs(typed.x - lon) < 3 * px && Math.abs(typed.y - lat) < 3 * px,
        `the fields got the clicked place: ${JSON.stringify(typed)} vs ${lon}, ${lat}`,
      );
      assert.match(
        await p.locator('.km-forum__place [role=status]').innerText(),
        /Neuer Ort \(noch nicht gespeichert\)/,
      );
      await p.locator('.km-forum__place button', { hasText: 'Ort speichern' }).click();
      await p.waitForSelector('.kern-alert--success');
      const saved = await staffTopic(h.db, SYSTEM, topicId);
      assert.deepEqual([saved.x, saved.y], [typed.x, typed.y]);
      assert.equal(naiveAssign([g], saved.x!, saved.y!), 0, 'inside the topic’s area');
      await p.waitForSelector('.km-forum__place .km-topic-mark');
      assert.equal(describeViolations(await axe(p)), '');
    });

    it('keyboard only: the coordinate fields move the point; a point outside the area is refused and changes nothing', async () => {
      const before = await staffTopic(h.db, SYSTEM, topicId);
      const g = (await areaGeometry(h.db, before.layer, before.areaCode))!;
      const [x0, y0, x1, y1] = bboxOf(g);
      await p.focus('#edit-topic');
      // Outside: north of the area's extent.
      await tabTo(p, '#place-lat');
      await p.keyboard.press('Control+A');
      await p.keyboard.type(String(y1 + (y1 - y0)).replace('.', ','));
      await tabTo(p, '.km-forum__place button.kern-btn--primary');
      await p.keyboard.press('Enter');
      await p.waitForSelector('.kern-alert--danger');
      assert.match(await p.locator('.kern-alert--danger').innerText(), /Der Ort liegt nicht in /);
      const unchanged = await staffTopic(h.db, SYSTEM, topicId);
      assert.deepEqual([unchanged.x, unchanged.y], [before.x, before.y]);

      // Inside again, typed: a point of the area (the centre of its extent where that lies inside, else its representative point).
      const centre: [number, number] =
        naiveAssign([g], (x0 + x1) / 2, (y0 + y1) / 2) === 0 ? [(x0 + x1) / 2, (y0 + y1) / 2] : representativePoint(g)!;
      const [lon, lat] = centre.map((v) => Math.round(v * 1e6) / 1e6);
      await p.focus('#place-lat');
      await p.keyboard.press('Control+A');
      await p.keyboard.type(String(lat));
      await p.keyboard.press('Tab');
      await p.keyboard.press('Control+A');
      await p.keyboard.type(String(lon));
      await tabTo(p, '.km-forum__place button.kern-btn--primary');
      await p.keyboard.press('Enter');
      await p.waitForFunction(() =>
        /Ort: /.test(document.querySelector('.km-forum__place [role=status]')?.textContent ?? ''),
      );
      const moved = await staffTopic(h.db, SYSTEM, topicId);
      assert.deepEqual([moved.x, moved.y], [lon, lat]);
      assert.equal(describeViolations(await axe(p)), '');
    });

    it('links the topic to one block of a report in the page; the youth page shows it once the report is public', async () => {
      await p.selectOption('#link-kind', 'report');
      const reportOptions = await p
        .locator('#link-target option')
        .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
      assert.ok(reportOptions.length > 0, 'the reports are offered');
      const report = reportOptions[0];
      await p.selectOption('#link-target', report);
      await p.waitForFunction(() => (document.querySelectorAll('#link-block option').length ?? 0) > 1);
      const block = (
        await p
          .locator('#link-block option')
          .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean))
      )[0];
      await p.selectOption('#link-block', block);
      await p.locator('.km-forum__links button', { hasText: 'Verknüpfung hinzufügen' }).click();
      await p.waitForSelector('.km-forum__link-list li');
      assert.match(await p.locator('.km-forum__link-list').innerText(), new RegExp(`Baustein „${block}“`));
      assert.deepEqual((await staffTopic(h.db, SYSTEM, topicId)).links, [{ kind: 'report', ref: report, block }]);
      assert.equal(describeViolations(await axe(p)), '');

      // Not public while the report has no public release; then shown on the youth page.
      assert.deepEqual((await publicTopics(h.db, { forum })).find((x) => x.id === topicId)!.links, []);
      const { rows } = await h.db.query<{ id: number; vid: number }>(
        `SELECT r.id, v.id AS vid FROM report r JOIN report_version v ON v.report_id = r.id WHERE r.key = $1 ORDER BY v.version DESC LIMIT 1`,
        [report],
      );
      await h.db.query(
        `INSERT INTO report_release (report_id, number, version_id, params, document, data_versions, content_hash, confidentiality) VALUES ($1, 99, $2, '{}', '{}', '{}', 'e2e', 'public')`,
        [rows[0].id, rows[0].vid],
      );
      const youth = await newPage(ctx, errors);
      await youth.goto(`${h.base}/jugend?forum=${forum}`, { waitUntil: 'networkidle' });
      await youth.waitForSelector('.km-youth__reports a');
      assert.match(await youth.locator('.km-youth__reports').innerText(), /Mehr dazu im Bericht/);
      assert.match(
        (await youth.locator('.km-youth__reports a').getAttribute('href')) ?? '',
        new RegExp(`/berichte\\?report=${report}`),
      );
      assert.equal(describeViolations(await axe(youth)), '');

      // Removing the link in the page.
      await p.locator('.km-forum__link-list button').first().click();
      await p.waitForSelector('.km-forum__link-list', { state: 'detached' });
      assert.deepEqual((await staffTopic(h.db, SYSTEM, topicId)).links, []);
      assert.deepEqual(errors, []);
    });

    it('deleting a topic says it is deleted (the server answers 204 without a body, which is no error)', async () => {
      await p.getByRole('button', { name: 'Auf Wunsch löschen' }).click();
      await p.getByText('Thema gelöscht.').waitFor();
      assert.equal(
        (await publicTopics(h.db, { forum })).some((x) => x.id === topicId),
        false,
      );
    });
  },
);
