// Reports (issue 16): one Stadtteilprofil of the demo city to PDF (target ≤ 3 s) and to DOCX, and
// the profiles of all 38 Stadtteile (one PDF each and one combined with a table of contents;
// target ≤ 60 s), each from a fresh resolve of the data (the disclosure patterns computed before,
// as a running server has them). The peer is the same run to HTML only: what Chromium adds.
// Peak memory: the command a user runs (`kommunalmonitor report render … --all-areas`) in its own
// process on the demo in a data directory, its peak RSS (the browser not counted); the in-process
// runs hold the whole in-memory database as well, so their RSS is shown apart.
// `npm run bench -- reports`; BENCH_REPORT_AREAS=3 renders only the first three Stadtteile for a
// quick check. Standalone: `node --import tsx bench/reports.ts`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { openDatabase } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { loadDemo } from '../src/services/demo.ts';
import { warmPatterns } from '../src/services/disclosure.ts';
import { ANONYMOUS } from '../src/core/access.ts';
import { renderReport, type ReportFormat } from '../src/services/report-render.ts';
import { parameterSets } from '../src/services/reports.ts';
import { spliceSection } from './sections.ts';

export interface ReportsBenchResult {
  areas: number;
  rows: {
    what: string;
    format: ReportFormat;
    files: number;
    pages: number | null;
    seconds: number;
    target: number | null;
  }[];
  /** RSS of this process (in-memory database included). */
  peakRssMb: number;
  /** Peak RSS of the CLI command per format, on the demo in a data directory (null: not measured). */
  cli: { format: ReportFormat; seconds: number; peakRssMb: number | null; files: number }[];
  loadBefore: number;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `kommunalmonitor report render stadtteilprofil --all-areas` as a user runs it, with its peak RSS. */
async function cliRuns(log: (m: string) => void): Promise<ReportsBenchResult['cli']> {
  const work = mkdtempSync(join(tmpdir(), 'km-bench-reports-'));
  try {
    const dataDir = join(work, 'data');
    const db = await openDatabase({ dataDir });
    try {
      await migrate(db);
      await loadDemo(db, { dailyUntil: '2024-12-31' });
      await warmPatterns(db);
    } finally {
      await db.close();
    }
    const out: ReportsBenchResult['cli'] = [];
    for (const format of ['pdf', 'docx'] as const) {
      const rssFile = join(work, `rss-${format}`);
      const dir = join(work, `out-${format}`);
      const t0 = performance.now();
      const r = spawnSync(
        process.execPath,
        [
          join(ROOT, 'bin', 'kommunalmonitor.mjs'),
          '--data-dir',
          dataDir,
          'report',
          'render',
          'stadtteilprofil',
          '--all-areas',
          '--format',
          format,
          '--output',
          dir,
        ],
        {
          env: {
            ...process.env,
            NODE_OPTIONS:
              `${process.env.NODE_OPTIONS ?? ''} --require ${join(ROOT, 'bench', 'maxrss-preload.cjs')}`.trim(),
            BENCH_MAXRSS_FILE: rssFile,
          },
          encoding: 'utf8',
        },
      );
      const seconds = (performance.now() - t0) / 1000;
      if (r.status !== 0) throw new Error(`report render --format ${format} failed: ${r.stderr}`);
      let kb: number | null = null;
      try {
        kb = Number(readFileSync(rssFile, 'utf8'));
      } catch {
        kb = null;
      }
      const files = (r.stdout.match(/\.(pdf|docx)\b/g) ?? []).length;
      out.push({ format, seconds, peakRssMb: kb === null ? null : Math.round(kb / 1024), files });
      log(
        `CLI --all-areas (${format}): ${seconds.toFixed(1)} s, peak RSS ${kb === null ? '?' : Math.round(kb / 1024)} MB`,
      );
    }
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export const REPORTS_SECTION_START = '<!-- reports-bench:start -->';
export const REPORTS_SECTION_END = '<!-- reports-bench:end -->';

function pages(b: Buffer): number {
  return (b.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

export async function runReportsBench(
  o: { areas?: number; log?: (m: string) => void } = {},
): Promise<ReportsBenchResult> {
  const log = o.log ?? (() => {});
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const loadBefore = loadavg()[0];
  const db = await openDatabase({ memory: true });
  let closed = false;
  try {
    await migrate(db);
    log('loading the demo city …');
    await loadDemo(db, { dailyUntil: '2024-12-31' });
    await warmPatterns(db);
    const all = (await parameterSets(db, 'stadtteilprofil', { allAreas: true })).map((p) => p.area);
    const areas = all.slice(0, o.areas ?? all.length);
    // One render first, so that every measured run reads warm code (as a running server would).
    await renderReport(db, ANONYMOUS, 'stadtteilprofil', { area: '0101', format: 'html' });
    const rows: ReportsBenchResult['rows'] = [];
    const time = async (
      what: string,
      format: ReportFormat,
      target: number | null,
      run: () => ReturnType<typeof renderReport>,
    ) => {
      const t0 = performance.now();
      const files = await run();
      const seconds = (performance.now() - t0) / 1000;
      rows.push({
        what,
        format,
        files: files.length,
        pages: format === 'pdf' ? files.reduce((n, f) => n + pages(f.bytes), 0) : null,
        seconds,
        target,
      });
      log(`${what} (${format}): ${seconds.toFixed(2)} s`);
    };
    for (const format of ['html', 'pdf', 'docx'] as const)
      await time('one Stadtteilprofil (0102)', format, format === 'pdf' ? 3 : null, () =>
        renderReport(db, ANONYMOUS, 'stadtteilprofil', { area: '0102', format }),
      );
    for (const format of ['html', 'pdf', 'docx'] as const)
      await time(
        `${areas.length} Stadtteilprofile + combined`,
        format,
        format === 'pdf' && areas.length === all.length ? 60 : null,
        () => renderReport(db, ANONYMOUS, 'stadtteilprofil', { allAreas: true, onlyAreas: areas, format }),
      );
    clearInterval(sample);
    await db.close();
    closed = true;
    const cli = o.areas === undefined || o.areas >= all.length ? await cliRuns(log) : [];
    return { areas: areas.length, rows, peakRssMb: Math.round(peak / 1024 / 1024), cli, loadBefore };
  } finally {
    clearInterval(sample);
    if (!closed) await db.close();
  }
}

export function reportsBenchSection(r: ReportsBenchResult | { error: string }, commit: string): string {
  const head = [REPORTS_SECTION_START, '## Issue #16 — reports (Stadtteilprofil to PDF, DOCX, HTML)', ''];
  if ('error' in r) return [...head, `Not measured: ${r.error}`, REPORTS_SECTION_END].join('\n');
  return [
    ...head,
    `${commit}; demo city in memory (PGlite), disclosure patterns computed beforehand, Chromium (Debian) started once per run; load average before ${r.loadBefore.toFixed(2)}. HTML is the peer: the same resolve and page without the browser.`,
    '',
    '| run | format | files | pages | seconds | target |',
    '|---|---|---:|---:|---:|---|',
    ...r.rows.map(
      (x) =>
        `| ${x.what} | ${x.format} | ${x.files} | ${x.pages ?? '–'} | ${x.seconds.toFixed(2)} | ${x.target === null ? '–' : `≤ ${x.target} s ${x.seconds <= x.target ? '(met)' : '(missed)'}`} |`,
    ),
    '',
    ...(r.cli.length
      ? [
          'Memory of the command a user runs, `kommunalmonitor report render stadtteilprofil --all-areas --format …` on the demo in a data directory (its own process, peak RSS from `process.resourceUsage()`, the browser not counted; wall time includes starting the process and the browser):',
          '',
          '| format | files | seconds | peak RSS | target |',
          '|---|---:|---:|---:|---|',
          ...r.cli.map(
            (c) =>
              `| ${c.format} | ${c.files} | ${c.seconds.toFixed(1)} | ${c.peakRssMb === null ? '–' : `${c.peakRssMb} MB`} | < 1 GB ${c.peakRssMb === null ? '' : c.peakRssMb < 1024 ? '(met)' : '(missed)'} |`,
          ),
          '',
        ]
      : []),
    `The in-process runs above (RSS of the bench process, which also holds the whole demo database in memory): ${r.peakRssMb} MB.`,
    REPORTS_SECTION_END,
  ].join('\n');
}

export function spliceReportsSection(doc: string, section: string): string {
  return spliceSection(doc, section, REPORTS_SECTION_START, REPORTS_SECTION_END);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = process.env.BENCH_REPORT_AREAS ? Number(process.env.BENCH_REPORT_AREAS) : undefined;
  const r = await runReportsBench({ areas: n, log: (m) => process.stderr.write(m + '\n') });
  process.stdout.write(reportsBenchSection(r, 'local') + '\n');
}
