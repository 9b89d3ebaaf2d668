// End-to-end test of the youth forum in the atlas, in headless Chromium on the demo city: the
// computed indicator "Themen im Jugendforum" shows on the map and in the table like any other;
// the topics with a place appear as markers (an overlay) that the keyboard reaches, with a text
// list beside; the youth page shows the Stadtteil's map with its markers and an approved photo
// (whose metadata was stripped on upload) — axe stays clean and no planners' jargon appears.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext } from 'playwright-core';
import { chromiumGate, startHarness, type Harness } from './harness.ts';
import { axe, contextOptions, describeViolations, newPage, signIn } from './helpers.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { ATLAS_COUNT_KEY, jargonIn } from '../../src/core/forum.ts';
import { addAttachment, approveAttachment, listForums, publicTopic, publicTopics } from '../../src/services/forum.ts';
import { addUser } from '../../src/services/users.ts';
import { jpegWithMetadata } from '../helpers/images.ts';

describe('youth forum in the atlas, in Chromium', chromiumGate, () => {
  let h: Harness;
  let ctx: BrowserContext;
  const errors: string[] = [];

  before(async () => {
    h = await startHarness();
    ctx = await h.browser.newContext(contextOptions());
  });
  after(async () => {
    await ctx?.close().catch(() => undefined);
    await h?.close();
  });

  it('the atlas shows the topics per Stadtteil, and the topics with a place as keyboard-reachable markers with a list', async () => {
    const topics = (await publicTopics(h.db)).filter((t) => t.point);
    assert.ok(topics.length >= 2, 'the demo has topics with a place');
    const p = await newPage(ctx, errors);
    await p.goto(`${h.base}/atlas?indicator=${ATLAS_COUNT_KEY}&layer=stadtteil&themen=1`, { waitUntil: 'networkidle' });
    await p.waitForSelector('#atlas-table tbody tr');
    assert.match(await p.locator('.km-result-head__title').innerText(), /Themen im Jugendforum/);
    const cells = await p.locator('#atlas-table tbody tr td:nth-child(3)').allInnerTexts();
    const total = cells.reduce((s, c) => s + (Number(c.replace(/\D/g, '')) || 0), 0);
    const all = await publicTopics(h.db);
    const year = all
      .map((t) => t.raisedOn.slice(0, 4))
      .sort()
      .at(-1)!;
    assert.equal(
      total,
      all.filter((t) => t.raisedOn.startsWith(year)).length,
      'the table adds up to the published topics of the latest year',
    );
    await p.waitForSelector('[data-topic]');
    assert.equal(await p.locator('[data-topic]').count(), topics.length);
    assert.equal(await p.locator('[data-topic][tabindex="0"]').count(), 1, 'one tab stop for all markers');
    await p.focus('[data-topic][tabindex="0"]');
    const first = await p.evaluate(() => document.activeElement?.getAttribute('data-topic'));
    await p.keyboard.press('End');
    const last = await p.evaluate(() => document.activeElement?.getAttribute('data-topic'));
    assert.notEqual(first, last, 'End moves to another marker');
    await p.keyboard.press('Enter');
    assert.equal(await p.locator(`[data-topic="${last}"]`).getAttribute('aria-pressed'), 'true');
    const chosen = topics.find((t) => String(t.id) === last)!;
    assert.match(await p.locator('.km-topic-detail').innerText(), new RegExp(chosen.title.slice(0, 20)));
    assert.equal(
      await p.locator('#atlas-topics-list ~ ul li, .km-topic-list li').count(),
      topics.length,
      'the text list names every marker',
    );
    assert.equal(describeViolations(await axe(p)), '');
    assert.deepEqual(errors, []);
    await p.close();
  });

  it('the youth page shows the Stadtteil map with its markers and an approved photo; axe clean, no jargon', async () => {
    const forum = (await listForums(h.db))[0];
    const topics = await publicTopics(h.db, { forum: forum.key });
    const withPoint = topics.filter((t) => t.point);
    const photo = await addAttachment(h.db, SYSTEM, topics[0].id, {
      title: 'Plakat vom Treffen',
      bytes: jpegWithMetadata().tagged,
    });
    await approveAttachment(h.db, SYSTEM, photo.id, true);
    const small = await h.browser.newContext(contextOptions({ width: 320, height: 800 }));
    const p = await newPage(small, errors);
    await p.goto(`${h.base}/jugend?forum=${forum.key}`, { waitUntil: 'networkidle' });
    await p.waitForSelector('.km-youth__map [data-topic]');
    assert.equal(await p.locator('.km-youth__map [data-topic]').count(), withPoint.length);
    const img = p.locator('.km-youth__photos img').first();
    await img.waitFor();
    assert.ok(
      (await img.evaluate((el: HTMLImageElement) => (el.complete ? el.naturalWidth : 0))) > 0,
      'the stripped JPEG decodes',
    );
    assert.equal(await img.getAttribute('alt'), 'Foto: Plakat vom Treffen');
    const text = await p.locator('body').innerText();
    assert.deepEqual(jargonIn(text), [], 'planners’ words on the youth page');
    assert.ok(!/Indikator|Gliederungsebene/.test(await p.content()), 'not even in hidden text');
    assert.equal(describeViolations(await axe(p)), '');
    assert.deepEqual(errors, []);
    await small.close();
  });

  it('staff upload a photo on the staff page, it waits, then they approve it and it is public', async () => {
    await addUser(h.db, SYSTEM, {
      name: 'jugendamt2',
      role: 'steward',
      department: 'jugend',
      password: 'Jugend-Forum-2026!',
    });
    const forum = (await listForums(h.db))[0];
    const staffCtx = await h.browser.newContext(contextOptions());
    const p = await signIn(
      staffCtx,
      h.base,
      'jugendamt2',
      'Jugend-Forum-2026!',
      errors,
      encodeURIComponent(`/jugendforum?forum=${forum.key}`),
    );
    await p.waitForSelector('#photo-file');
    const topicId = Number(await p.locator('#edit-topic').inputValue());
    const before = (await publicTopic(h.db, topicId)).photos.length;
    await p.setInputFiles('#photo-file', {
      name: 'plakat.jpg',
      mimeType: 'image/jpeg',
      buffer: jpegWithMetadata().tagged,
    });
    await p.fill('#photo-title', 'Plakat aus dem Jugendtreff');
    await p.locator('button', { hasText: 'Foto hochladen' }).click();
    const item = p.locator('.km-forum__photos li', { hasText: 'Plakat aus dem Jugendtreff' });
    await item.waitFor();
    assert.match(await item.innerText(), /wartet auf Freigabe/);
    assert.equal((await publicTopic(h.db, topicId)).photos.length, before, 'not public before approval');
    assert.equal(describeViolations(await axe(p)), '');
    await item.locator('button', { hasText: 'Freigeben' }).click();
    await p.locator('.km-forum__photos li', { hasText: 'öffentlich' }).first().waitFor();
    assert.equal((await publicTopic(h.db, topicId)).photos.length, before + 1);
    await staffCtx.close();
    assert.deepEqual(errors, []);
  });
});
