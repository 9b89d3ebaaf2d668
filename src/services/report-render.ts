// Rendering reports to files: HTML, PDF (Chromium) and DOCX from the resolved documents — the
// draft on current data or a frozen release. One browser for a whole run (every area's profile
// and the combined file), started only when PDF or chart pictures are needed.
import type { Database } from '../store/db.ts';
import type { Principal } from '../core/access.ts';
import type { ResolvedReport } from '../core/report/model.ts';
import { designOf, parameterSets, resolveReports, ReportReader } from './reports.ts';
import { renderCombinedHtml, renderHtml, documentDate, documentTitle } from '../formats/report-html.ts';
import { chartsOfDocuments, renderCombinedDocx, renderDocx } from '../formats/report-docx.ts';
import { ChromiumPrinter, chromiumMissing, pdfPageCount } from '../formats/report-pdf.ts';
import { Slots } from './slots.ts';

/**
 * Browsers a process runs at once for PDF and DOCX (each takes a core and a few hundred MB), and
 * how many more renders may wait; anonymous readers can ask for PDFs.
 */
const PRINTERS = new Slots(Number(process.env.KOMMUNALMONITOR_REPORT_BROWSERS) || 2, 16);

export type ReportFormat = 'html' | 'pdf' | 'docx';

export interface RenderedFile {
  name: string;
  format: ReportFormat;
  bytes: Buffer;
  /** Title of the document (for lists). */
  title: string;
  combined: boolean;
}

export interface RenderOptions {
  area?: string;
  allAreas?: boolean;
  /** Only these areas of --all-areas (benchmarks' short runs). */
  onlyAreas?: string[];
  format: ReportFormat;
  release?: number;
  /** Progress messages (one per file). */
  log?: (m: string) => void;
}

function slug(doc: ResolvedReport): string {
  const p = Object.values(doc.params).join('-');
  return `${doc.key}${p ? `-${p}` : ''}${doc.release ? `-v${doc.release.number}` : ''}`.replace(
    /[^A-Za-z0-9_-]+/g,
    '-',
  );
}

/** Renders a report: one file per parameter set, plus one combined file when there are several. */
export async function renderReport(
  db: Database,
  who: Principal,
  key: string,
  o: RenderOptions,
): Promise<RenderedFile[]> {
  let sets = await parameterSets(db, key, { area: o.area, allAreas: o.allAreas });
  if (o.onlyAreas) sets = sets.filter((p) => o.onlyAreas!.includes(p.area));
  const docs = await resolveReports(db, who, key, sets, { release: o.release, reader: new ReportReader(db, who) });
  const design = await designOf(db);
  const out: RenderedFile[] = [];
  const combinedTitle = docs[0] ? `${docs[0].title}e` : key;
  if (o.format === 'html') {
    for (const d of docs)
      out.push({
        name: `${slug(d)}.html`,
        format: 'html',
        bytes: Buffer.from(renderHtml(d, design)),
        title: documentTitle(d),
        combined: false,
      });
    if (docs.length > 1)
      out.push({
        name: `${key}-alle${docs[0].release ? `-v${docs[0].release.number}` : ''}.html`,
        format: 'html',
        bytes: Buffer.from(renderCombinedHtml(combinedTitle, docs, design)),
        title: combinedTitle,
        combined: true,
      });
    return out;
  }
  const missing = chromiumMissing();
  if (o.format === 'pdf' && missing) throw new Error(missing);
  if (missing) return printed(docs, design, key, combinedTitle, o, null);
  return PRINTERS.run(async () => printed(docs, design, key, combinedTitle, o, await ChromiumPrinter.launch()));
}

/** PDF or DOCX files (DOCX without chart pictures when there is no browser); closes the printer. */
async function printed(
  docs: ResolvedReport[],
  design: Awaited<ReturnType<typeof designOf>>,
  key: string,
  combinedTitle: string,
  o: RenderOptions,
  printer: ChromiumPrinter | null,
): Promise<RenderedFile[]> {
  const out: RenderedFile[] = [];
  try {
    if (o.format === 'pdf') {
      const pages: number[] = [];
      for (const d of docs) {
        const bytes = await printer!.pdf(renderHtml(d, design), `${design.footer} · ${documentDate(d)}`);
        pages.push(pdfPageCount(bytes));
        out.push({ name: `${slug(d)}.pdf`, format: 'pdf', bytes, title: documentTitle(d), combined: false });
        o.log?.(`${slug(d)}.pdf`);
      }
      if (docs.length > 1) {
        const footer = `${design.footer} · ${documentDate(docs[0])}`;
        // The contents' own length: the combined file with placeholder page numbers, less the documents' pages.
        const draft = pdfPageCount(
          await printer!.pdf(
            renderCombinedHtml(
              combinedTitle,
              docs,
              design,
              docs.map(() => 999),
            ),
            footer,
          ),
        );
        const tocPages = Math.max(1, draft - pages.reduce((a, b) => a + b, 0));
        const starts: number[] = [];
        let next = tocPages + 1;
        for (const n of pages) {
          starts.push(next);
          next += n;
        }
        const bytes = await printer!.pdf(renderCombinedHtml(combinedTitle, docs, design, starts), footer);
        out.push({
          name: `${key}-alle${docs[0].release ? `-v${docs[0].release.number}` : ''}.pdf`,
          format: 'pdf',
          bytes,
          title: combinedTitle,
          combined: true,
        });
      }
      return out;
    }
    // Every chart of the run rasterised once, in few page loads; the combined file reuses them.
    const charts = printer ? chartsOfDocuments(docs, design) : [];
    const pngs = printer ? await printer.pngs(charts) : [];
    const pictures = new Map(charts.map((c, i) => [c.svg, pngs[i]]));
    for (const d of docs) {
      out.push({
        name: `${slug(d)}.docx`,
        format: 'docx',
        bytes: await renderDocx(d, design, pictures),
        title: documentTitle(d),
        combined: false,
      });
      o.log?.(`${slug(d)}.docx`);
    }
    if (docs.length > 1)
      out.push({
        name: `${key}-alle.docx`,
        format: 'docx',
        bytes: await renderCombinedDocx(combinedTitle, docs, design, pictures),
        title: combinedTitle,
        combined: true,
      });
    return out;
  } finally {
    await printer?.close();
  }
}
