// Benchmarks of the monitor web app (issue #3 budgets). Nothing here asserts a timing; every figure
// is measured and returned:
//   1. initial JavaScript: gzip size of the entry chunk of web/dist and its static imports;
//   2. atlas: time from "data arrived" to "map drawn" for a layer of ≈500 areas (the block layer
//      of the demo city at scale 1.7), read from the app's performance.measure('km:atlas-draw');
//   3. area profile: time from the in-app navigation (click on an area in the atlas) until the
//      profile is rendered and interactive (performance.measure('km:profile-tti')), demo city at scale 1.
// Run alone: node --import tsx bench/web.ts   (needs Chromium at /usr/bin/chromium)
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { ensureWebBuild, startHarness, MISSING, WEB_ROOT } from '../test/e2e/harness.ts';

export interface WebBenchResult {
  initialJs: { files: string[]; bytes: number; gzipBytes: number; budgetGzipBytes: number };
  atlas:
    { areas: number; samplesMs: number[]; medianMs: number; maxMs: number; budgetMs: number } | { skipped: string };
  profile:
    { samplesMs: number[]; firstMs: number; medianMs: number; maxMs: number; budgetMs: number } | { skipped: string };
  browser: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const round = (x: number) => Math.round(x * 10) / 10;

/** The entry chunk named in index.html and every chunk it imports statically (not `import()`). */
export function initialJavaScript(dist = WEB_ROOT): { files: string[]; bytes: number; gzipBytes: number } {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g)].map((m) => m[1]);
  const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) => m[1]);
  const seen = new Set<string>();
  const queue = [...entries, ...preloads].map((u) => u.replace(/^\//, ''));
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const code = readFileSync(join(dist, f), 'utf8');
    // Static imports: `import … from "./x.js"` and `import "./x.js"` (minified: import{a}from"./x.js").
    for (const m of code.matchAll(/(?:^|[;\s}])import\s*(?:[\w*${}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g)) {
      const target = join(dirname(f), m[1]).replace(/\\/g, '/');
      if (!seen.has(target)) queue.push(target);
    }
  }
  let bytes = 0;
  let gzipBytes = 0;
  for (const f of seen) {
    const buf = readFileSync(join(dist, f));
    bytes += buf.length;
    gzipBytes += gzipSync(buf, { level: 9 }).length;
  }
  return { files: [...seen].sort(), bytes, gzipBytes };
}

async function waitForMeasure(page: Page, name: string, count: number, timeout = 30000): Promise<number[]> {
  await page.waitForFunction(
    ([n, c]) => performance.getEntriesByName(n as string, 'measure').length >= (c as number),
    [name, count] as const,
    { timeout },
  );
  return page.evaluate((n) => performance.getEntriesByName(n, 'measure').map((e) => e.duration), name);
}

async function atlasBench(log: (s: string) => void): Promise<WebBenchResult['atlas']> {
  log('web bench: demo city at scale 1.7 (≈500 blocks) …');
  const h = await startHarness({ scale: 1.7, user: false });
  try {
    const page = await h.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const indicator = 'anteil_unter6';
    const periods = (
      (await (await page.request.get(`${h.base}/api/indicators/${indicator}`)).json()) as { periods: string[] }
    ).periods.slice(-6);
    await page.goto(`${h.base}/atlas?indicator=${indicator}&layer=block&period=${periods[periods.length - 1]}`, {
      waitUntil: 'networkidle',
    });
    let samples = await waitForMeasure(page, 'km:atlas-draw', 1);
    const areas = await page.locator('.km-map__areas path.km-area').count();
    // Each further period brings new data (and, across 2021, a new boundary version).
    for (let i = periods.length - 2; i >= 0; i--) {
      await page.selectOption('#atlas-period', periods[i]);
      samples = await waitForMeasure(page, 'km:atlas-draw', periods.length - i);
    }
    // The same period again on a classification change does not count (no new data), so also switch indicator.
    await page.selectOption('#atlas-indicator', 'arbeitslose_anteil');
    samples = await waitForMeasure(page, 'km:atlas-draw', periods.length + 1);
    log(`web bench: atlas draw ${samples.map(round).join(', ')} ms for ${areas} areas`);
    return {
      areas,
      samplesMs: samples.map(round),
      medianMs: round(median(samples)),
      maxMs: round(Math.max(...samples)),
      budgetMs: 200,
    };
  } finally {
    await h.close();
  }
}

async function profileBench(log: (s: string) => void): Promise<WebBenchResult['profile']> {
  log('web bench: demo city at scale 1 …');
  const h = await startHarness({ scale: 1, user: false });
  try {
    const page = await h.browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const codes = ['0101', '0502', '0703', '1001', '1203', '0304'];
    const samples: number[] = [];
    for (const code of codes) {
      await page.goto(`${h.base}/atlas?indicator=anteil_unter6&layer=stadtteil`, { waitUntil: 'networkidle' });
      await page.waitForSelector('.km-map__areas path.km-area');
      const before = await page.evaluate(() => performance.getEntriesByName('km:profile-tti', 'measure').length);
      await page.locator(`.km-map__areas path[data-code="${code}"]`).click();
      const all = await waitForMeasure(page, 'km:profile-tti', before + 1);
      samples.push(all[all.length - 1]);
    }
    log(`web bench: profile time-to-interactive ${samples.map(round).join(', ')} ms`);
    return {
      samplesMs: samples.map(round),
      firstMs: round(samples[0]),
      medianMs: round(median(samples)),
      maxMs: round(Math.max(...samples)),
      budgetMs: 1500,
    };
  } finally {
    await h.close();
  }
}

export async function runWebBench(o: { log?: (s: string) => void } = {}): Promise<WebBenchResult> {
  const log = o.log ?? ((s: string) => process.stderr.write(s + '\n'));
  ensureWebBuild();
  const js = initialJavaScript();
  log(`web bench: initial JS ${js.files.join(', ')}: ${(js.gzipBytes / 1024).toFixed(1)} KiB gzip`);
  const browserVersion = existsSync('/usr/bin/chromium') ? 'Chromium (/usr/bin/chromium)' : 'none';
  if (MISSING) {
    return {
      initialJs: { ...js, budgetGzipBytes: 250 * 1024 },
      atlas: { skipped: MISSING },
      profile: { skipped: MISSING },
      browser: browserVersion,
    };
  }
  const atlas = await atlasBench(log);
  const profile = await profileBench(log);
  return { initialJs: { ...js, budgetGzipBytes: 250 * 1024 }, atlas, profile, browser: browserVersion };
}

/** Markdown lines for docs/benchmarks.md. */
export function webBenchMarkdown(r: WebBenchResult): string {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  const lines = [
    '## Monitor web app (issue #3)',
    '',
    '| figure | measured | budget |',
    '|---|---|---|',
    `| initial JavaScript (entry chunk + static imports, gzip -9) | ${kb(r.initialJs.gzipBytes)} (${kb(r.initialJs.bytes)} raw; ${r.initialJs.files.join(', ')}) | ≤ 250 KB |`,
  ];
  if ('skipped' in r.atlas)
    lines.push(`| atlas map drawn after data arrived | not measured: ${r.atlas.skipped} | ≤ 200 ms |`);
  else
    lines.push(
      `| atlas map of ${r.atlas.areas} areas drawn after data arrived (median / max of ${r.atlas.samplesMs.length}) | ${r.atlas.medianMs} ms / ${r.atlas.maxMs} ms | ≤ 200 ms |`,
    );
  if ('skipped' in r.profile)
    lines.push(`| area profile interactive after navigation | not measured: ${r.profile.skipped} | ≤ 1.5 s |`);
  else
    lines.push(
      `| area profile interactive after navigation (first / median / max of ${r.profile.samplesMs.length}) | ${r.profile.firstMs} / ${r.profile.medianMs} / ${r.profile.maxMs} ms | ≤ 1,500 ms |`,
    );
  lines.push(
    '',
    `Measured in headless ${r.browser} on this machine; the API runs in the same process on the embedded database (in memory).`,
  );
  return lines.join('\n');
}

if (resolve(fileURLToPath(import.meta.url)) === resolve(process.argv[1] ?? '')) {
  const r = await runWebBench();
  process.stdout.write(JSON.stringify(r, null, 2) + '\n' + webBenchMarkdown(r) + '\n');
}
