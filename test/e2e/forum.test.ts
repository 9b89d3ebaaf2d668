// End-to-end test of the youth forum in headless Chromium on the in-memory demo city: the youth
// pages (/jugend) at 320 px without sideways scrolling, zero serious axe violations, no planners'
// jargon, and usable with the keyboard only (support with a code once, the replay refused;
// propose a topic); the staff page (/jugendforum) publishes the proposal from the queue.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumGate, startHarness, type Harness } from './harness.ts';
import { axe, contextOptions, describeViolations, newPage, sidewaysOverflow, signIn } from './helpers.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { jargonIn } from '../../src/core/forum.ts';
import { generateCodes, listForums, publicTopics } from '../../src/services/forum.ts';
import { addUser } from '../../src/services/users.ts';

const STEWARD = 'jugendamt';
const STEWARD_PASSWORD = 'Jugend-Forum-2026!';

/** Presses Tab until the element matching `selector` has the focus (keyboard only, no clicks). */
async function tabTo(p: Page, selector: string, max = 120): Promise<void> {
  for (let i = 0; i < max; i++) {
    await p.keyboard.press('Tab');
    if (await p.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

describe('youth forum in Chromium', chromiumGate, () => {
  let h: Harness;
  let ctx: BrowserContext;
  let forum = '';
  const errors: string[] = [];

  before(async () => {
    h = await startHarness();
    await addUser(h.db, SYSTEM, { name: STEWARD, role: 'steward', department: 'jugend', password: STEWARD_PASSWORD });
    forum = (await listForums(h.db))[0].key;
    ctx = await h.browser.newContext(contextOptions({ width: 320, height: 800 }));
  });
  after(async () => {
    await ctx?.close().catch(() => undefined);
    await h?.close();
  });

  it('at 320 px: topics with answers, small counts hidden, no sideways scrolling, no axe violations, no jargon', async () => {
    const p = await newPage(ctx, errors);
    await p.goto(`${h.base}/jugend?forum=${forum}`, { waitUntil: 'networkidle' });
    await p.waitForSelector('.km-youth__card');
    assert.match(await p.locator('h1').innerText(), /Jugendforum/);
    const topics = await publicTopics(h.db, { forum });
    assert.equal(await p.locator('.km-youth__card').count(), topics.length);
    const text = await p.locator('body').innerText();
    assert.match(text, /7 Unterstützungen/);
    assert.match(text, /Weniger als 5 Unterstützungen/, 'the count of 3 is not shown');
    assert.match(text, /wird umgesetzt/);
    assert.match(text, /Was mit deinen Daten passiert/);
    assert.deepEqual(jargonIn(text), [], 'planners’ words on the youth page');
    assert.ok(!/Indikator|Gliederungsebene/.test(await p.content()), 'not even in hidden text');
    assert.deepEqual(await sidewaysOverflow(p), []);
    assert.equal(describeViolations(await axe(p)), '');
    await p.close();
  });

  it('keyboard only: support with a code once (the replay refused), then propose a topic', async () => {
    const [code] = (await generateCodes(h.db, SYSTEM, forum, 1, 'e2e')).codes;
    const p = await newPage(ctx, errors);
    await p.goto(`${h.base}/jugend?forum=${forum}`, { waitUntil: 'networkidle' });
    await p.waitForSelector('.km-youth__card');
    await tabTo(p, '.km-youth__card summary');
    await p.keyboard.press('Enter');
    await tabTo(p, '.km-youth__card input[id$="-code"]');
    await p.keyboard.type(code);
    await tabTo(p, '.km-youth__card button[type=submit]');
    await p.keyboard.press('Enter');
    await p.waitForSelector('.km-youth__ok');
    assert.match(await p.locator('.km-youth__ok').first().innerText(), /Danke/);
    // The same code for the same topic again.
    await p.focus('.km-youth__card input[id$="-code"]');
    await p.keyboard.type(code);
    await p.keyboard.press('Enter');
    await p.waitForSelector('.km-youth__err');
    assert.match(await p.locator('.km-youth__err').first().innerText(), /schon unterstützt/);

    await tabTo(p, '#youth-title');
    await p.keyboard.type('Ein Bolzplatz mit Flutlicht');
    await p.keyboard.press('Tab');
    await p.keyboard.type('Im Winter ist es um fünf schon dunkel.');
    await tabTo(p, '.km-youth__propose button[type=submit]');
    await p.keyboard.press('Enter');
    await p.waitForSelector('.km-youth__propose .km-youth__ok');
    assert.equal(describeViolations(await axe(p)), '');
    assert.deepEqual(errors, []);
    await p.close();
  });

  it('the area profile lists the topics beside the data; the cockpit shows open and overdue topics', async () => {
    const f = (await listForums(h.db))[0];
    const topics = await publicTopics(h.db, { forum: f.key });
    const wide = await h.browser.newContext(contextOptions());
    const p = await newPage(wide, errors);
    await p.goto(`${h.base}/profil?layer=stadtteil&area=${f.area}`, { waitUntil: 'networkidle' });
    await p.waitForSelector('#area-topics-h');
    assert.match(await p.locator('#area-topics-h').innerText(), new RegExp(`Jugendforums \\(${topics.length}\\)`));
    assert.equal(await p.locator('.km-area-topics__list li').count(), topics.length);
    await p.goto(`${h.base}/cockpit`, { waitUntil: 'networkidle' });
    await p.waitForSelector('#forum-card-h');
    assert.match(await p.locator('.km-forum-card').innerText(), /überfällig/);
    assert.equal(describeViolations(await axe(p)), '');
    await wide.close();
  });

  it('staff publish the proposal from the moderation queue; it then shows on the youth page', async () => {
    const staffCtx = await h.browser.newContext(contextOptions());
    const p = await signIn(
      staffCtx,
      h.base,
      STEWARD,
      STEWARD_PASSWORD,
      errors,
      encodeURIComponent(`/jugendforum?forum=${forum}`),
    );
    await p.waitForSelector('#forum-queue');
    const item = p.locator('.km-forum__queue li', { hasText: 'Bolzplatz mit Flutlicht' });
    await item.waitFor();
    await item.locator('button', { hasText: 'Veröffentlichen' }).click();
    await p.waitForSelector('.kern-alert--success');
    // The queue reloads after the action: the proposal leaves it.
    await item.waitFor({ state: 'detached' });
    assert.equal(describeViolations(await axe(p)), '');
    assert.ok((await publicTopics(h.db, { forum })).some((t) => t.title === 'Ein Bolzplatz mit Flutlicht'));
    await staffCtx.close();
    assert.deepEqual(errors, []);
  });
});
