// Helpers shared by the browser tests: axe-core, German numbers as shown, browser context options,
// pages that collect page errors, and signing in through the form. (Kept out of harness.ts, which
// the web benchmark loads too.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** An administrator the tests add themselves (the harness adds only the analyst USER). */
export const ADMIN = 'verwalterin';
export const ADMIN_PASSWORD = 'Rathaus-Schluessel-2024!';

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core on the page; returns the serious and critical violations. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axeSource });
  const result = (await page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run: (ctx: unknown, o: unknown) => Promise<{ violations: AxeViolation[] }> };
    };
    return w.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
  })) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(vs: AxeViolation[]): string {
  return vs
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`)
          .join('\n    ')}`,
    )
    .join('\n');
}

/**
 * Axe-core on a page once it has settled (a heading, no loader — or `timeout` passed — and `settle`
 * ms for the last rendering): the serious and critical violations described, or ''.
 */
export async function axeSettled(p: Page, timeout: number, settle: number): Promise<string> {
  await p.waitForSelector('h1');
  await p.waitForFunction(() => !document.querySelector('.km-loading'), undefined, { timeout }).catch(() => undefined);
  await p.waitForTimeout(settle);
  return describeViolations(await axe(p));
}

/** German number as shown ("97,6 %", "+2,46", "−1,00", "1.234") → number. */
export function deNumber(s: string): number {
  return Number(
    s
      .replace(/\s|%|\u00a0/g, '')
      .replace(/\./g, '')
      .replace(',', '.')
      .replace('−', '-'),
  );
}

/**
 * Options for a German browser context, 1440 × 1000 unless told. bypassCSP: axe-core is injected
 * as an inline script (the app itself runs under the server's CSP).
 */
export function contextOptions(o: { width?: number; height?: number; acceptDownloads?: boolean } = {}) {
  return {
    viewport: { width: o.width ?? 1440, height: o.height ?? 1000 },
    ...(o.acceptDownloads ? { acceptDownloads: true } : {}),
    bypassCSP: true,
    locale: 'de-DE',
  };
}

/** A new page whose uncaught errors are collected in `errors`. */
export async function newPage(ctx: BrowserContext, errors: string[]): Promise<Page> {
  const p = await ctx.newPage();
  p.on('pageerror', (e) => errors.push(String(e)));
  return p;
}

/** A new page in `ctx`, signed in through the form; `next` is the (encoded) address to go on to. */
export async function signIn(
  ctx: BrowserContext,
  base: string,
  user: string,
  password: string,
  errors: string[],
  next = '/atlas',
): Promise<Page> {
  const p = await newPage(ctx, errors);
  await p.goto(`${base}/anmelden?next=${next}`, { waitUntil: 'networkidle' });
  await p.fill('#signin-user', user);
  await p.fill('#signin-password', password);
  await p.locator('.km-signin button[type=submit]').click();
  await p.waitForSelector('.km-user');
  return p;
}

/**
 * What scrolls sideways on the page (issue #15): the page itself (scrollWidth beyond the viewport)
 * and every element that overflows horizontally with overflow-x auto/scroll and is not a table frame
 * that says so (data-scroll="x" with its hint .km-scroll-hint shown before it). Empty: all good.
 */
export async function sidewaysOverflow(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) out.push(`page ${doc.scrollWidth}px in ${doc.clientWidth}px`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      if (el.scrollWidth <= el.clientWidth + 1) continue;
      const ox = getComputedStyle(el).overflowX;
      if (ox !== 'auto' && ox !== 'scroll') continue;
      if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
      const hint = el.previousElementSibling;
      const said =
        el.dataset.scroll === 'x' &&
        hint?.classList.contains('km-scroll-hint') &&
        (hint as HTMLElement).offsetHeight > 0;
      if (!said)
        out.push(
          `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${el.scrollWidth}px in ${el.clientWidth}px`,
        );
    }
    return out;
  });
}

/** Words of headings, captions and table headers that the layout breaks across two lines ("Gesamtst-adt"). */
export async function brokenWords(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('h1, h2, h3, h4, caption, th')) {
      if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent ?? '';
        // a break after a hyphen is a proper one ("SGB-II-|Bedarfsgemeinschaften")
        for (const m of text.matchAll(/[^\s-]+-?/g)) {
          const r = document.createRange();
          r.setStart(n, m.index!);
          r.setEnd(n, m.index! + m[0].length);
          const tops = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top)));
          if (tops.size > 1) out.push(m[0]);
        }
      }
    }
    return out;
  });
}

/** Texts of the widest chart SVG under `root` that lie (partly) outside the SVG or the window. */
export async function clippedChartTexts(
  p: Page,
  root: string,
): Promise<{ clipped: string[]; width: number; texts: number }> {
  return p.evaluate((sel) => {
    const svg = [...document.querySelectorAll<SVGSVGElement>(`${sel} svg`)].sort(
      (a, b) => b.getBoundingClientRect().width - a.getBoundingClientRect().width,
    )[0];
    if (!svg) return { clipped: ['no chart'], width: 0, texts: 0 };
    const box = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')].filter((t) => (t.textContent ?? '').trim());
    const clipped = texts
      .filter((t) => {
        const r = t.getBoundingClientRect();
        return (
          r.left < box.left - 1 ||
          r.right > box.right + 1 ||
          r.top < box.top - 1 ||
          r.bottom > box.bottom + 1 ||
          r.right > innerWidth
        );
      })
      .map((t) => t.textContent ?? '');
    return { clipped, width: box.width, texts: texts.length };
  }, root);
}
