// End-to-end test of the measures view (issue #17) in headless Chromium on the in-memory demo
// city: the per-area table of running measures against need with its filters, the gaps marked,
// the coverage figure, and axe-core at 1440 and 375 px without sideways scrolling.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumGate, startHarness, type Harness } from './harness.ts';
import { axe, contextOptions, describeViolations, newPage } from './helpers.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { saveIndex } from '../../src/services/analysis.ts';
import { indexTemplate } from '../../src/core/stats/templates.ts';
import { getCockpit, saveCockpit } from '../../src/services/cockpit.ts';

describe('measures view in Chromium', chromiumGate, () => {
  let h: Harness;
  let ctx: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    h = await startHarness();
    ctx = await h.browser.newContext(contextOptions());
    page = await newPage(ctx, errors);
  });
  after(async () => {
    await ctx?.close().catch(() => undefined);
    await h?.close();
  });

  it('the Stadtteile with their running measures, gaps marked, filters in the address', async () => {
    await page.goto(`${h.base}/massnahmen?layer=stadtteil&field=jugend&group=kinder_10_15&at=2024-06-30`, {
      waitUntil: 'networkidle',
    });
    await page.waitForSelector('#meas-table tbody tr');
    assert.match(await page.locator('h1').innerText(), /Maßnahmen/);
    assert.equal(await page.locator('#meas-table tbody tr').count(), 38, 'every Stadtteil without a need filter');
    const api = (await (
      await fetch(`${h.base}/api/measures/gaps?layer=stadtteil&field=jugend&targetGroup=kinder_10_15&at=2024-06-30`)
    ).json()) as { rows: { runningMeasures: number }[] };
    const gaps = api.rows.filter((r) => r.runningMeasures === 0).length;
    assert.ok(gaps > 0);
    assert.equal(await page.locator('#meas-table tbody tr', { hasText: 'Lücke' }).count(), gaps);
    assert.match(await page.locator('#meas-coverage').innerText(), new RegExp(`${gaps} Lücke`));
    // The map over the Stadtteile, gaps in their own colour and named in each area's label.
    await page.waitForSelector('.km-map__areas path.km-area');
    assert.equal(await page.locator('.km-map__areas path.km-area').count(), 38);
    assert.equal(await page.locator('.km-map__areas path.km-area[aria-label*="Lücke"]').count(), gaps);
    assert.equal(describeViolations(await axe(page)), '');
    assert.deepEqual(errors, []);
  });

  it('the map over any indicator: its classes as colours, the running measures written on each area', async () => {
    await page.goto(`${h.base}/massnahmen?layer=stadtteil&field=jugend&at=2024-06-30&map=kinderarmut_anteil`, {
      waitUntil: 'networkidle',
    });
    await page.waitForSelector('#meas-map-note');
    assert.equal(await page.locator('#meas-map').inputValue(), 'kinderarmut_anteil');
    const api = (await (
      await fetch(`${h.base}/api/measures/gaps?layer=stadtteil&field=jugend&at=2024-06-30`)
    ).json()) as { rows: { code: string; name: string; runningMeasures: number }[] };
    assert.equal(await page.locator('.km-map__areas path.km-area').count(), 38);
    assert.match(
      (await page.locator('.km-mapbox .km-map__svg').getAttribute('aria-label')) ?? '',
      /Kinderarmut.*laufenden Maßnahmen/,
    );
    const one = api.rows.find((r) => r.runningMeasures > 0)!;
    const label = await page.locator(`.km-map__areas path.km-area[data-code="${one.code}"]`).getAttribute('aria-label');
    assert.match(label ?? '', new RegExp(`${one.runningMeasures} laufende Maßnahmen`));
    assert.ok((await page.locator('.km-legend').count()) >= 1, 'the indicator legend');
    assert.equal(describeViolations(await axe(page)), '');
    assert.deepEqual(errors, []);
  });

  it('filters by department and status of the measures, offered from the measures the reader may see', async () => {
    const all = (await (await fetch(`${h.base}/api/measures`)).json()) as { measures: { department: string }[] };
    const department = all.measures[0].department;
    await page.goto(`${h.base}/massnahmen?layer=stadtteil&at=2024-06-30&department=${department}&status=laufend`, {
      waitUntil: 'networkidle',
    });
    await page.waitForSelector('#meas-table tbody tr');
    assert.equal(await page.locator('#meas-department').inputValue(), department);
    assert.equal(await page.locator('#meas-status').inputValue(), 'laufend');
    const api = (await (
      await fetch(`${h.base}/api/measures/gaps?layer=stadtteil&at=2024-06-30&department=${department}&status=laufend`)
    ).json()) as { rows: { runningMeasures: number }[] };
    const unfiltered = (await (await fetch(`${h.base}/api/measures/gaps?layer=stadtteil&at=2024-06-30`)).json()) as {
      rows: { runningMeasures: number }[];
    };
    const sum = (a: { rows: { runningMeasures: number }[] }) => a.rows.reduce((n, r) => n + r.runningMeasures, 0);
    assert.ok(sum(api) < sum(unfiltered), 'one department runs fewer measures than all');
    assert.equal(
      await page.locator('#meas-table tbody tr', { hasText: 'Lücke' }).count(),
      api.rows.filter((r) => r.runningMeasures === 0).length,
    );
  });

  it('the area profile lists the measures in the area', async () => {
    const all = (await (await fetch(`${h.base}/api/measures`)).json()) as {
      measures: { locations: { kind: string; layer?: string; code?: string }[] }[];
    };
    const code = all.measures
      .flatMap((m) => m.locations)
      .find((l) => l.kind === 'area' && l.layer === 'stadtteil')!.code!;
    const list = (await (await fetch(`${h.base}/api/measures?layer=stadtteil&area=${code}`)).json()) as {
      measures: { title: string }[];
    };
    assert.ok(list.measures.length > 0);
    await page.goto(`${h.base}/profil?layer=stadtteil&area=${code}`, { waitUntil: 'networkidle' });
    await page.waitForSelector('#area-measures-h');
    assert.match(
      await page.locator('#area-measures-h').innerText(),
      new RegExp(`Maßnahmen im Gebiet \\(${list.measures.length}\\)`),
    );
    assert.equal(await page.locator('.km-area-measures__list li').count(), list.measures.length);
    // The timeline: one bar per measure with a period, described by its label, the list as its text.
    await page.waitForSelector('.km-area-measures__timeline svg');
    assert.match(
      await page.locator('.km-area-measures__timeline figcaption').innerText(),
      /Zeitstrahl der \d+ Maßnahmen/,
    );
    assert.ok((await page.locator('.km-area-measures__timeline svg rect').count()) >= 1);
    assert.equal(describeViolations(await axe(page)), '');
  });

  it('the cockpit: a measures tile with the measures running today, and one with a need shows coverage and gaps', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const running = (await (await fetch(`${h.base}/api/measures?at=${today}`)).json()) as { measures: unknown[] };
    await page.goto(`${h.base}/cockpit`, { waitUntil: 'networkidle' });
    const tile = page.locator('.km-tile[data-tile="massnahmen"]');
    await tile.locator('.km-figure').waitFor();
    assert.equal(
      await tile.locator('.km-figure').getAttribute('data-measures-running'),
      String(running.measures.length),
    );
    assert.match(await tile.locator('.km-tile__source').innerText(), /^Quelle: Maßnahmenregister/);

    // The saved status index gives the need classes; the tile reads the same answer as the view.
    await saveIndex(h.db, SYSTEM, indexTemplate('status', { layer: 'stadtteil', period: '2024-12-31' }));
    const before = await getCockpit(h.db, SYSTEM);
    const need = {
      id: 'abdeckung',
      type: 'measures' as const,
      title: 'Jugend in Stadtteilen mit niedrigem Status',
      field: 'jugend',
      targetGroup: 'kinder_10_15',
      need: 'status_klasse',
      layer: 'stadtteil',
      classes: ['sehr niedrig', 'niedrig'],
    };
    await saveCockpit(h.db, { tiles: [...before.tiles, need] }, SYSTEM);
    try {
      const api = (await (
        await fetch(
          `${h.base}/api/measures/gaps?layer=stadtteil&need=status_klasse&classes=sehr%20niedrig,niedrig&field=jugend&targetGroup=kinder_10_15&at=${today}`,
        )
      ).json()) as { rows: { runningMeasures: number }[]; coverage: { share: number | null } };
      assert.ok(api.rows.length > 0);
      await page.goto(`${h.base}/cockpit`, { waitUntil: 'networkidle' });
      const cov = page.locator('.km-tile[data-tile="abdeckung"] .km-measures-tile__coverage');
      await cov.waitFor();
      const gaps = api.rows.filter((r) => r.runningMeasures === 0).length;
      assert.match(await cov.innerText(), new RegExp(`${gaps} Lücke\\(n\\) unter ${api.rows.length} Gebieten`));
      assert.equal(
        await cov.getAttribute('data-coverage'),
        api.coverage.share === null ? '' : String(api.coverage.share),
      );
      assert.equal(
        await page.locator('.km-measures-card').count(),
        0,
        'the default card gives way to the configured tiles',
      );
      assert.equal(describeViolations(await axe(page)), '');
      assert.deepEqual(errors, []);
    } finally {
      await saveCockpit(h.db, before, SYSTEM);
    }
  });

  it('works at 375 px: no horizontal page scroll, no axe violations', async () => {
    const small = await h.browser.newContext(contextOptions({ width: 375, height: 800 }));
    const p = await newPage(small, errors);
    await p.goto(`${h.base}/massnahmen?layer=stadtteil&field=schule&at=2024-06-30`, { waitUntil: 'networkidle' });
    await p.waitForSelector('#meas-table tbody tr');
    const overflow = await p.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 1, `page scrolls sideways by ${overflow}px`);
    assert.equal(describeViolations(await axe(p)), '');
    await small.close();
  });
});
