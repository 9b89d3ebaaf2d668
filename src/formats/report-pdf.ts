// Reports as PDF: the HTML page printed by Debian's Chromium (playwright-core, no browser
// download), tagged (structure tree from the HTML: headings, lists, tables, figures with their
// alternative text), with bookmarks from the headings, the page's language and title, the fonts
// embedded, page numbers and the release date in the footer. The page loads nothing from the
// network: every request other than the page itself is refused.
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { esc } from '../core/report/charts.ts';

export const CHROMIUM_PATH = process.env.KOMMUNALMONITOR_CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Why PDF output is not possible here, or undefined. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM_PATH)
    ? undefined
    : `PDF output needs Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set KOMMUNALMONITOR_CHROMIUM)`;
}

export class ChromiumPrinter {
  private constructor(
    private browser: Browser,
    private page: Page,
  ) {}

  static async launch(): Promise<ChromiumPrinter> {
    const missing = chromiumMissing();
    if (missing) throw new Error(missing);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ deviceScaleFactor: 2 });
    // No network at render time: the page is self-contained (fonts and charts inline).
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    return new ChromiumPrinter(browser, page);
  }

  /** Prints a complete HTML page. `footer` is the text left of the page numbers. */
  async pdf(html: string, footer: string): Promise<Buffer> {
    await this.page.setContent(html, { waitUntil: 'load' });
    await this.page.evaluate(() => document.fonts.ready.then(() => undefined));
    return this.page.pdf({
      format: 'A4',
      printBackground: true,
      tagged: true,
      outline: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font-family:'DejaVu Sans',sans-serif;font-size:7.5pt;color:#5a6270;width:100%;margin:0 16mm;display:flex;justify-content:space-between"><span>${esc(footer)}</span><span>Seite <span class="pageNumber"></span> von <span class="totalPages"></span></span></div>`,
      margin: { top: '18mm', bottom: '20mm', left: '16mm', right: '16mm' },
      preferCSSPageSize: false,
    });
  }

  /**
   * Charts' SVGs as PNGs (for DOCX), at twice their size for print. The browser draws each SVG
   * onto a canvas and encodes it, a batch per call: a screenshot per chart cost most of a DOCX
   * run's time. Like a picture in the document, the SVG is drawn as an image (no page fonts;
   * the charts name their fallback fonts).
   */
  async pngs(charts: { svg: string; width: number; height: number }[]): Promise<Buffer[]> {
    const out: Buffer[] = [];
    const PER_CALL = 60;
    if (charts.length) await this.page.setContent('<!DOCTYPE html><html><body></body></html>');
    for (let i = 0; i < charts.length; i += PER_CALL) {
      const batch = charts.slice(i, i + PER_CALL);
      // No named functions inside: the bundler would wrap them in a helper the page does not have.
      const encoded = await this.page.evaluate(
        async (items) =>
          Promise.all(
            items.map(async (c) => {
              const img = new Image(c.width, c.height);
              img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(c.svg)}`;
              await img.decode();
              const canvas = document.createElement('canvas');
              canvas.width = c.width * 2;
              canvas.height = c.height * 2;
              const g = canvas.getContext('2d')!;
              g.fillStyle = '#fff';
              g.fillRect(0, 0, canvas.width, canvas.height);
              g.drawImage(img, 0, 0, canvas.width, canvas.height);
              return canvas.toDataURL('image/png').slice('data:image/png;base64,'.length);
            }),
          ),
        batch,
      );
      for (const b64 of encoded) out.push(Buffer.from(b64, 'base64'));
    }
    return out;
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}

/** The number of pages of a PDF Chromium wrote (each page object is "/Type /Page"). */
export function pdfPageCount(pdf: Uint8Array): number {
  const s = Buffer.from(pdf).toString('latin1');
  return (s.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}
