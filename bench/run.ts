// `npm run bench`: measures the figures the issues name and writes docs/benchmarks.md.
// Benchmarks are not tests: nothing here asserts a timing; every figure is measured and reported.
//
//   1. Import of a 1,000,000-row long CSV (German conventions) into the embedded database
//      (PGlite persisted in a temp data dir) and into the PostgreSQL server, each next to a plain
//      COPY of the same rows on the same engine (the peer).
//   2. Peak RSS of the import process for 1M and 3M rows.
//   3. The observations request for one indicator over 500 areas (service and HTTP), next to one
//      hand-written SQL statement returning the same numbers (the peer).
//
// Every import runs in its own child process (bench/import-child.ts). The server comes from
// BENCH_DATABASE_URL (or TEST_DATABASE_URL); without one, its figures read "not measured (no server)".
// BENCH_SKIP_3M_SERVER=1 skips the 3M-row server import, BENCH_ABLATION=0 the merge ablation,
// BENCH_CAPPED_HEAP=0 the 1M-row import with capped V8 heap; BENCH_RESULTS_JSON=FILE also writes
// the raw results as JSON; BENCH_OUT=FILE writes the report elsewhere (default docs/benchmarks.md).
//
// Sections: `npm run bench -- load` (or BENCH_ONLY=load) runs only the HTTP load bench
// (bench/load.ts, issue 11) and replaces its section of the report, leaving the rest as it is;
// BENCH_LOAD_SECONDS=3 shortens each of its runs for a quick check (default 30 s).
// `npm run bench -- assign` (or BENCH_ONLY=assign) likewise runs only `assign points` end to end
// next to the PostGIS join (bench/assign.ts, issue 12); BENCH_ASSIGN_LARGE=0 skips its 3M-point run.
// `npm run bench -- cli`: how soon `--help` and `layers` answer (bench/cli-start.ts, issue 12).
// `npm run bench -- disclosure`: suppression pattern + attacker audit (bench/disclosure.ts, issue 14).
// `npm run bench -- ogc`: OGC API – Features items of a 500-area layer (bench/ogc.ts, issue 19).
// `npm run bench -- json-stat`: JSON-stat answers next to the JSON answers (bench/json-stat.ts, issue 19).
// `npm run bench -- catalog`: the DCAT-AP.de catalogue of 200 datasets (bench/dcat.ts, issue 19).
// `npm run bench -- reports`: Stadtteilprofil to PDF/DOCX/HTML, one and all 38 (bench/reports.ts, issue 16;
// BENCH_REPORT_AREAS=3 for a short run).
// `npm run bench -- measures`: 10,000 measures over 500 areas, import and gaps (bench/measures.ts, issue 17).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, totalmem, release, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openDatabase, redactUrl, type Database } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { writeObservationsCsv, COMBINATIONS, type ObservationsFile } from './setup.ts';
import { runQueryBench, QUERY_AREAS, QUERY_PERIODS, type QueryBenchResult } from './query.ts';
import type { ChildArgs, ChildResult } from './import-child.ts';
import type { AblationArgs, AblationResult } from './merge-ablation.ts';
import { benchStats, type StatsBenchRow } from './stats.ts';
import { benchGeo, type GeoBenchRow } from './geo.ts';
import { benchPostgis, type PostgisResult } from './postgis.ts';
import { runWebBench, webBenchMarkdown, type WebBenchResult } from './web.ts';
import { runLoadBench, loadBenchMarkdown, spliceLoadSection, type LoadBenchResult } from './load.ts';
import { runAssignBench, assignBenchMarkdown, spliceAssignSection, type AssignBenchResult } from './assign.ts';
import { runCliStartBench, cliStartMarkdown, spliceCliStartSection, type CliStartResult } from './cli-start.ts';
import {
  runDisclosureBench,
  disclosureMarkdown,
  spliceDisclosureSection,
  DISCLOSURE_SECTION_START,
  DISCLOSURE_SECTION_END,
} from './disclosure.ts';
import {
  runSealedBench,
  sealedBenchMarkdown,
  spliceSealedSection,
  SEALED_SECTION_START,
  SEALED_SECTION_END,
} from './sealed.ts';
import { runOgcBench, ogcBenchMarkdown, spliceOgcSection, OGC_SECTION_START, OGC_SECTION_END } from './ogc.ts';
import {
  runJsonStatBench,
  jsonStatBenchMarkdown,
  spliceJsonStatSection,
  JSON_STAT_SECTION_START,
  JSON_STAT_SECTION_END,
} from './json-stat.ts';
import { runDcatBench, dcatBenchSection, DCAT_SECTION_START, DCAT_SECTION_END } from './dcat.ts';
import { spliceSection, keepSections } from './sections.ts';
import {
  runReportsBench,
  reportsBenchSection,
  spliceReportsSection,
  REPORTS_SECTION_START,
  REPORTS_SECTION_END,
} from './reports.ts';
import {
  runTenantsBench,
  tenantsBenchSection,
  spliceTenantsSection,
  TENANTS_SECTION_START,
  TENANTS_SECTION_END,
} from './tenants.ts';
import {
  runMeasuresBench,
  measuresBenchSection,
  spliceMeasuresSection,
  MEASURES_SECTION_START,
  MEASURES_SECTION_END,
} from './measures.ts';

/** The sections measured only by name (`npm run bench -- NAME`); a full run keeps them as they are. */
const SECTION_MARKERS: [string, string][] = [
  [SEALED_SECTION_START, SEALED_SECTION_END],
  [DISCLOSURE_SECTION_START, DISCLOSURE_SECTION_END],
  [OGC_SECTION_START, OGC_SECTION_END],
  [JSON_STAT_SECTION_START, JSON_STAT_SECTION_END],
  [DCAT_SECTION_START, DCAT_SECTION_END],
  [REPORTS_SECTION_START, REPORTS_SECTION_END],
  [MEASURES_SECTION_START, MEASURES_SECTION_END],
  [TENANTS_SECTION_START, TENANTS_SECTION_END],
];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = process.env.BENCH_OUT ? resolve(process.env.BENCH_OUT) : join(ROOT, 'docs', 'benchmarks.md');
const AREAS = 1000;
const PERIODS_1M = 50;
const PERIODS_3M = 150;
const ABLATION_PERIODS = 5;

const serverUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined;

type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

function log(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

// ---------------------------------------------------------------------------------------------
// Child processes

function runChild<T>(script: string, args: object, label: string, nodeFlags: string[] = []): Promise<Outcome<T>> {
  return new Promise((resolvePromise) => {
    const t0 = performance.now();
    log(`${label} …`);
    const child = spawn(
      process.execPath,
      [...nodeFlags, '--import', 'tsx', join(ROOT, 'bench', script), JSON.stringify(args)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      process.stderr.write(d.toString().replace(/^(?=.)/gm, '    '));
    });
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      log(`${label}: done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      if (code === 0 && line) resolvePromise({ ok: true, value: JSON.parse(line.slice(7)) as T });
      else resolvePromise({ ok: false, reason: `failed (exit ${code}): ${lastLine(err)}` });
    });
  });
}

function lastLine(s: string): string {
  const lines = s
    .trim()
    .split('\n')
    .filter((l) => l.trim() && !l.trim().startsWith('at ') && !l.includes('…'));
  return (lines.find((l) => /Error/.test(l)) ?? lines.at(-1) ?? '').trim().slice(0, 300);
}

let work = '';

/**
 * Embedded: the data dir is created with the city and catalogue by a set-up child first, so that the
 * measuring child opens an existing database as production does (and its peak RSS does not include
 * creating the cluster). Server: the child sets up its own fresh schema.
 */
async function measuringChild(args: ChildArgs, label: string, nodeFlags: string[] = []): Promise<Outcome<ChildResult>> {
  if (args.engine === 'embedded') {
    const dataDir = join(work, `db-${randomBytes(4).toString('hex')}`);
    const setup = await runChild<ChildResult>(
      'import-child.ts',
      { ...args, mode: 'setup', dataDir },
      `${label}: set-up`,
    );
    if (!setup.ok) {
      rmSync(dataDir, { recursive: true, force: true });
      return setup;
    }
    const r = await runChild<ChildResult>('import-child.ts', { ...args, dataDir }, label, nodeFlags);
    rmSync(dataDir, { recursive: true, force: true });
    return r;
  }
  return runChild<ChildResult>('import-child.ts', args, label, nodeFlags);
}

/** V8 heap limits for the memory variant 2e: a small young generation and old space. */
const CAPPED_HEAP = ['--max-old-space-size=128', '--max-semi-space-size=4'];

function importChild(
  engine: 'embedded' | 'server',
  file: ObservationsFile,
  parsePass = false,
  nodeFlags: string[] = [],
): Promise<Outcome<ChildResult>> {
  const args: ChildArgs = {
    engine,
    mode: 'import',
    csv: file.path,
    areas: file.areas,
    periods: file.periods,
    databaseUrl: serverUrl,
    parsePass,
  };
  return measuringChild(
    args,
    `${engine}: import ${fmtInt(file.rows)} rows${nodeFlags.length ? ` (node ${nodeFlags.join(' ')})` : ''}`,
    nodeFlags,
  );
}

function peerChild(engine: 'embedded' | 'server', periods: number): Promise<Outcome<ChildResult>> {
  const args: ChildArgs = { engine, mode: 'peer', areas: AREAS, periods, databaseUrl: serverUrl };
  return measuringChild(args, `${engine}: plain COPY of ${fmtInt(AREAS * COMBINATIONS * periods)} rows`);
}

// ---------------------------------------------------------------------------------------------
// Machine

interface Machine {
  date: string;
  nproc: string;
  cpu: string;
  memory: string;
  os: string;
  node: string;
  pglite: string;
  /** The code measured: commit and whether src/ had uncommitted changes. */
  code: string;
  pgliteEngine: string;
  server: string;
  /** 1-minute load average at the start of each part of the run. */
  load: { part: string; load: number }[];
}

const loads: { part: string; load: number }[] = [];
function noteLoad(part: string): void {
  loads.push({ part, load: loadavg()[0] });
}

function machine(): Omit<Machine, 'pgliteEngine' | 'server' | 'load'> {
  let nproc = '?';
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    /* not on this system */
  }
  let cpu = '?';
  try {
    cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? '?';
  } catch {
    /* no /proc */
  }
  let code = '?';
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim();
    code = `commit ${head}${dirty ? ` with uncommitted changes in src/ (${dirty.split('\n').length} path(s))` : ''}`;
  } catch {
    /* not a git checkout */
  }
  const pglite = (
    JSON.parse(readFileSync(join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  return {
    date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    nproc,
    cpu,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${process.platform} ${release()}`,
    node: process.version,
    pglite,
    code,
  };
}

// ---------------------------------------------------------------------------------------------
// Query benchmark (in this process; the imports are done by then)

async function queryBench(
  engine: 'embedded' | 'server',
  work: string,
): Promise<{ result: Outcome<QueryBenchResult>; version: string }> {
  const dir = join(work, `query-${engine}`);
  mkdirSync(dir, { recursive: true });
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  let db: Database | undefined;
  let version = '?';
  log(`${engine}: observations requests …`);
  const t0 = performance.now();
  try {
    db =
      engine === 'server'
        ? await openDatabase({ databaseUrl: serverUrl!, schema })
        : await openDatabase({ dataDir: join(dir, 'data') });
    await migrate(db);
    version = (await db.query<{ v: string }>('SELECT version() AS v')).rows[0].v;
    const result = await runQueryBench(db, dir);
    return { result: { ok: true, value: result }, version };
  } catch (e) {
    return { result: { ok: false, reason: `failed: ${e instanceof Error ? e.message : String(e)}` }, version };
  } finally {
    if (db) {
      if (engine === 'server') await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await db.close().catch(() => undefined);
    }
    log(`${engine}: observations requests done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
}

async function serverReachable(): Promise<string | null> {
  if (!serverUrl) return 'not measured (no server)';
  try {
    const pg = (await import('pg')).default;
    const c = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
    await c.connect();
    await c.end();
    return null;
  } catch (e) {
    return `not measured (server unreachable: ${e instanceof Error ? e.message : String(e)})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting

function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
function fmtRate(n: number): string {
  return `${fmtInt(n)} rows/s`;
}
function mb(kb: number): string {
  return `${fmtInt(kb / 1024)} MB`;
}
function ms(x: number): string {
  return x < 10 ? x.toFixed(2) : x.toFixed(1);
}
function pct(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(0)} %`;
}
function verdict(ok: boolean): string {
  return ok ? 'met' : '**missed**';
}

interface Results {
  other?: OtherResults;
  machine: Machine;
  files: { m1: ObservationsFile; m3: ObservationsFile };
  serverMissing: string | null;
  embedded1M: Outcome<ChildResult>;
  embeddedPeer: Outcome<ChildResult>;
  server1M: Outcome<ChildResult> | null;
  serverPeer: Outcome<ChildResult> | null;
  embedded3M: Outcome<ChildResult>;
  server3M: Outcome<ChildResult> | null;
  embedded1MCapped: Outcome<ChildResult> | null;
  embedded3MCapped: Outcome<ChildResult> | null;
  ablation: { embedded?: Outcome<AblationResult>; server?: Outcome<AblationResult> };
  queries: { embedded: Outcome<QueryBenchResult>; server: Outcome<QueryBenchResult> | null };
  totalSeconds: number;
}

function notMeasured(o: Outcome<unknown> | null | undefined, serverMissing: string | null): string | null {
  if (o === null || o === undefined) return serverMissing ?? 'not measured';
  return o.ok ? null : o.reason;
}

function importRow(
  label: string,
  target: number,
  imp: Outcome<ChildResult> | null,
  peer: Outcome<ChildResult> | null,
  serverMissing: string | null,
  note: string,
): string {
  const missing = notMeasured(imp, serverMissing);
  if (missing || !imp?.ok)
    return `| ${label} | ≥ ${fmtRate(target)} | ${missing} | ${notMeasured(peer, serverMissing) ?? (peer?.ok ? fmtRate(peer.value.rowsPerSecond) : '')} | | | ${note} |`;
  const r = imp.value;
  const peerText = peer?.ok
    ? `${fmtRate(peer.value.rowsPerSecond)} (${peer.value.seconds.toFixed(1)} s wall${peer.value.cpuSeconds !== undefined ? `, CPU ${peer.value.cpuSeconds.toFixed(1)} s` : ''})`
    : (notMeasured(peer, serverMissing) ?? '');
  const ratio = peer?.ok
    ? `${((100 * r.rowsPerSecond) / peer.value.rowsPerSecond).toFixed(1)} % of peer (${(peer.value.rowsPerSecond / r.rowsPerSecond).toFixed(1)}× slower)`
    : '';
  const cpu = r.cpuSeconds !== undefined ? `, CPU of the import process ${r.cpuSeconds.toFixed(1)} s` : '';
  return `| ${label} | ≥ ${fmtRate(target)} | ${fmtRate(r.rowsPerSecond)} (${r.seconds.toFixed(1)} s wall${cpu}) | ${peerText} | ${ratio} | ${verdict(r.rowsPerSecond >= target)} | ${note} |`;
}

function memoryRow(
  label: string,
  imp: Outcome<ChildResult> | null,
  peer: Outcome<ChildResult> | null,
  serverMissing: string | null,
  note: string,
): string {
  const missing = notMeasured(imp, serverMissing);
  if (missing || !imp?.ok) return `| ${label} | < 500 MB | ${missing} | | | | ${note} |`;
  const r = imp.value;
  const peerText = peer?.ok ? `plain-COPY child: ${mb(peer.value.maxRssKb)}` : '';
  const base = `${mb(r.rssBeforeKb)} before the import (peak so far ${mb(r.maxRssBeforeKb)}); import adds ${mb(Math.max(0, r.maxRssKb - r.maxRssBeforeKb))} to the peak`;
  return `| ${label} | < 500 MB | ${mb(r.maxRssKb)} | ${peerText} | ${base} | ${verdict(r.maxRssKb < 500 * 1024)} | ${note} |`;
}

/** A few sentences computed from the figures of this run (so they stay true when rerun). */
function findings(res: Results): string[] {
  const out: string[] = [];
  const biggest = (r: Outcome<ChildResult> | null) => {
    if (!r || !r.ok || !r.value.phases) return undefined;
    const [k, v] = Object.entries(r.value.phases).sort((a, b) => b[1] - a[1])[0];
    return `${k} (${v.toFixed(1)} s of ${r.value.seconds.toFixed(1)} s, ${pct(v, r.value.seconds)})`;
  };
  const be = biggest(res.embedded1M);
  const bs = biggest(res.server1M);
  if (be || bs)
    out.push(
      `- Largest phase of the 1M-row import: embedded — ${be ?? 'n/a'}; server — ${bs ?? 'n/a'}. See "Where the import time goes".`,
    );
  for (const [name, o] of [
    ['embedded', res.ablation.embedded],
    ['server', res.ablation.server],
  ] as const) {
    if (!o || !o.ok) continue;
    const v = (prefix: string) => o.value.variants.find((x) => x.name.startsWith(prefix))?.seconds;
    const withFk = v('INSERT … ON CONFLICT DO NOTHING alone');
    const noFk = v('INSERT … ON CONFLICT, foreign keys dropped');
    const bare = v('plain INSERT, no foreign keys');
    if (withFk && noFk && bare) {
      const fkText =
        o.value.foreignKeys > 0
          ? `the ${o.value.foreignKeys} foreign key(s) of \`observation\` account for ${pct(withFk - noFk, withFk)} of the INSERT … ON CONFLICT`
          : '`observation` has no foreign keys in the current schema';
      out.push(
        `- Merge ablation, ${name}: ${fkText}; primary key, index and checks for ${pct(noFk - bare, withFk)}; inserting into the table without any constraint takes ${pct(bare, withFk)}.`,
      );
    }
  }
  if (res.embedded1M.ok && res.embedded3M.ok) {
    const a = res.embedded1M.value;
    const b = res.embedded3M.value;
    const growth = b.maxRssKb - a.maxRssKb;
    let text =
      `- Memory, embedded: ${mb(a.rssBeforeKb)} before the first row is read (PGlite opened on an existing data dir); peak ${mb(a.maxRssKb)} for 1M rows and ${mb(b.maxRssKb)} for 3M rows ` +
      `(${growth >= 0 ? '+' : '−'}${mb(Math.abs(growth))} for 3× the rows).`;
    const c = res.embedded1MCapped;
    const c3 = res.embedded3MCapped;
    if (c && c.ok) {
      const saved = a.maxRssKb - c.value.maxRssKb;
      text +=
        ` With V8's heap capped (2e) the same import peaks at ${mb(c.value.maxRssKb)} at ${fmtRate(c.value.rowsPerSecond)}` +
        (saved > 0.1 * a.maxRssKb ? `: ${mb(saved)} of the default peak is V8 heap slack, not data held.` : '.');
      if (c3 && c3.ok) {
        const g = c3.value.maxRssKb - c.value.maxRssKb;
        text += ` Capped, 1M → 3M rows: ${mb(c.value.maxRssKb)} → ${mb(c3.value.maxRssKb)}${Math.abs(g) < 0.1 * c.value.maxRssKb ? " — the import's memory does not grow with the file size" : ''}.`;
      }
    }
    out.push(text);
  }
  const qe = res.queries.embedded;
  if (qe.ok) {
    const warm = qe.value.cases.find((c) => c.key === 'b');
    const cold = qe.value.cases.find((c) => c.key === 'b-cold');
    const peer = qe.value.peers.find((c) => c.key === 'b');
    if (warm && cold && peer) {
      out.push(
        `- Request (b), embedded: ${ms(warm.medianMs)} ms warm (cached sums; the plain SQL peer needs ${ms(peer.medianMs)} ms), ${ms(cold.medianMs)} ms as the first request after an import (the snapshot and the sums are reloaded).`,
      );
    }
  }
  return out.length ? ['### Findings of this run', '', ...out, ''] : [];
}

function render(res: Results): string {
  const m = res.machine;
  const L: string[] = [];
  const q = res.queries;
  L.push('# Benchmarks');
  L.push('');
  L.push('Written by `npm run bench` (bench/run.ts); do not edit by hand — rerun it. Benchmarks measure and report;');
  L.push('they never fail on a timing. Targets are the figures named in the issues.');
  L.push('');
  L.push('## Machine');
  L.push('');
  L.push('| | |');
  L.push('|---|---|');
  L.push(`| date | ${m.date} |`);
  L.push(`| code measured | ${m.code} |`);
  L.push(`| CPUs (\`nproc\`) | ${m.nproc} |`);
  L.push(`| CPU model (/proc/cpuinfo) | ${m.cpu} |`);
  L.push(`| memory | ${m.memory} |`);
  L.push(`| OS | ${m.os} |`);
  L.push(`| Node.js | ${m.node} |`);
  L.push(`| PGlite (embedded) | ${m.pglite} — ${m.pgliteEngine} |`);
  L.push(`| PostgreSQL server | ${m.server} |`);
  L.push(`| total run time of \`npm run bench\` | ${(res.totalSeconds / 60).toFixed(1)} min |`);
  L.push(
    `| load average (1 min) during the run | ${m.load.map((l) => `${l.load.toFixed(1)} (${l.part})`).join(', ')} |`,
  );
  L.push('');
  const maxLoad = Math.max(...m.load.map((l) => l.load));
  if (Number(m.nproc) > 0 && maxLoad > Number(m.nproc) * 0.75) {
    L.push(
      `**Note:** the load average reached ${maxLoad.toFixed(1)} on ${m.nproc} CPUs during this run: other processes shared the machine, so timings are slower and noisier than on an idle machine. ` +
        'Compare wall time with the CPU time of the import process (shown with each import).',
    );
    L.push('');
  }

  // ---- Summary
  L.push('## Results');
  L.push('');
  L.push('### 1. Import of a 1,000,000-row long CSV');
  L.push('');
  L.push(
    `File: \`indicator;area;period;altersgruppe;geschlecht;value\`, UTF-8 with BOM, CRLF, \`;\`, decimal comma (1 value in 5 written as \`37,5\`), ` +
      `${fmtInt(res.files.m1.rows)} rows = ${AREAS} blocks (8-character zero-padded codes) × ${COMBINATIONS} member combinations (altersgruppe 10 × geschlecht 2) × ${PERIODS_1M} monthly Stichtage (\`31.01.2020\` …), ` +
      `${(res.files.m1.bytes / 2 ** 20).toFixed(1)} MiB. Set-up, not timed: a fresh database with the layers stadt (1) → stadtbezirk (12) → block (${AREAS}) imported with \`importAreas\` from CSV, and the catalogue (\`einwohner\`, count, by altersgruppe × geschlecht).`,
  );
  L.push('');
  L.push('| figure | target | measured | peer, same run | import vs. peer | target | method |');
  L.push('|---|---|---|---|---|---|---|');
  L.push(
    importRow(
      '1a. import 1M rows, embedded (PGlite, data dir on disk)',
      100_000,
      res.embedded1M,
      res.embeddedPeer,
      null,
      "wall time of the whole `importObservations` call (parse, validate, stage, duplicate check, merge, ANALYZE, commit) in a fresh child process that opens a data dir prepared (areas, catalogue) by a set-up child; peer: one `COPY … FROM '/dev/blob'` (`db.copyText`) of the same 1M rows as clean tab-separated text with integer ids into an unindexed table with the column types of `observation`, in one transaction, text built before the timer",
    ),
  );
  L.push(
    importRow(
      '1b. import 1M rows, PostgreSQL server',
      300_000,
      res.server1M,
      res.serverPeer,
      res.serverMissing,
      'as 1a, in a fresh schema on the server; peer: `COPY … FROM STDIN` (pg-copy-streams) of the same clean text into the same unindexed table',
    ),
  );
  L.push('');

  L.push('### 2. Peak memory of the import process');
  L.push('');
  L.push('| figure | target | peak RSS | peer, same run | baseline | target | method |');
  L.push('|---|---|---|---|---|---|---|');
  const memNote = '`process.resourceUsage().maxRSS` in the import child right after `importObservations` returns';
  L.push(
    memoryRow(
      `2a. import ${fmtInt(res.files.m1.rows)} rows, embedded`,
      res.embedded1M,
      res.embeddedPeer,
      null,
      memNote,
    ),
  );
  L.push(
    memoryRow(
      `2b. import ${fmtInt(res.files.m3.rows)} rows, embedded`,
      res.embedded3M,
      null,
      null,
      `${memNote}; ${PERIODS_3M} Stichtage instead of ${PERIODS_1M}, ${(res.files.m3.bytes / 2 ** 20).toFixed(0)} MiB`,
    ),
  );
  L.push(
    memoryRow(
      `2c. import ${fmtInt(res.files.m1.rows)} rows, server (client process)`,
      res.server1M,
      res.serverPeer,
      res.serverMissing,
      `${memNote}; the server's own memory is not counted`,
    ),
  );
  L.push(
    memoryRow(
      `2d. import ${fmtInt(res.files.m3.rows)} rows, server (client process)`,
      res.server3M,
      null,
      res.serverMissing,
      `${memNote}; the server's own memory is not counted`,
    ),
  );
  const cappedRow = (label: string, c: Outcome<ChildResult> | null) => {
    if (!c) return;
    const speed = c.ok ? `; import speed ${fmtRate(c.value.rowsPerSecond)} (${c.value.seconds.toFixed(1)} s)` : '';
    L.push(memoryRow(label, c, null, null, `${memNote}; shows how much of the peak is V8 heap slack${speed}`));
  };
  cappedRow(`2e. as 2a, child started with \`node ${CAPPED_HEAP.join(' ')}\` (not the default)`, res.embedded1MCapped);
  cappedRow(`2f. as 2b, child started with \`node ${CAPPED_HEAP.join(' ')}\` (not the default)`, res.embedded3MCapped);
  if (res.embedded3M.ok && res.embedded1M.ok) {
    const a = res.embedded1M.value;
    const b = res.embedded3M.value;
    L.push('');
    L.push(
      `Embedded, 1M → 3M rows: peak RSS ${mb(a.maxRssKb)} → ${mb(b.maxRssKb)} (${b.maxRssKb >= a.maxRssKb ? '+' : ''}${fmtInt((b.maxRssKb - a.maxRssKb) / 1024)} MB for 3× the rows); ` +
        `import speed ${fmtRate(a.rowsPerSecond)} → ${fmtRate(b.rowsPerSecond)}.`,
    );
  }
  L.push('');

  L.push(`### 3. The observations request for one indicator over ${QUERY_AREAS} areas`);
  L.push('');
  L.push(
    `Set-up, not timed: stadt (1) → stadtbezirk (12) → gebiet (${QUERY_AREAS}), \`einwohner\` by altersgruppe (10) × geschlecht (2) for ${QUERY_PERIODS} Stichtage ` +
      `(${fmtInt(QUERY_AREAS * COMBINATIONS * QUERY_PERIODS)} observations, imported with \`importObservations\`), and \`anteil_unter6\` = einwohner[altersgruppe=unter6] / einwohner × 100, minBase 300. ` +
      'Each call asks for the latest period (no `period` parameter) unless noted. **Warm**: 20 warm-up calls, then 200 timed calls one after another ' +
      '(between two imports the service keeps its read snapshot and cached sums). **First request after an import**: before each of 30 timed calls (3 warm-up) an ' +
      'import batch row is added outside the timer, which invalidates the snapshot exactly as an import does. ' +
      'Peer: one hand-written SQL statement returning the same numbers per area (no caching, same engine, same repetitions).',
  );
  L.push('');
  L.push(
    '| figure | target | embedded median / p95 (median CPU) | embedded peer median | server median / p95 | server peer median | target (embedded median) |',
  );
  L.push('|---|---|---|---|---|---|---|');
  const caseOf = (o: Outcome<QueryBenchResult> | null, key: string) =>
    o && o.ok ? o.value.cases.find((c) => c.key === key) : undefined;
  // The peer of each case: the plain SQL statement for the same numbers; for HTTP, the service call itself.
  const peerOf = (o: Outcome<QueryBenchResult> | null, key: string): { medianMs: number; what: string } | undefined => {
    if (!o || !o.ok) return undefined;
    if (key.startsWith('b-http')) {
      const s = o.value.cases.find((c) => c.key === (key.endsWith('-cold') ? 'b-cold' : 'b'));
      return s ? { medianMs: s.medianMs, what: 'the service call without HTTP' } : undefined;
    }
    return o.value.peers.find((c) => c.key === key.replace(/-(cold|period)$/, ''));
  };
  const cell = (o: Outcome<QueryBenchResult> | null, key: string, missing: string, withCpu = false) => {
    const c = caseOf(o, key);
    return c ? `${ms(c.medianMs)} ms / ${ms(c.p95Ms)} ms${withCpu ? ` (CPU ${ms(c.cpuMedianMs)} ms)` : ''}` : missing;
  };
  const peerCell = (o: Outcome<QueryBenchResult> | null, key: string) => {
    const c = peerOf(o, key);
    return c ? `${ms(c.medianMs)} ms (${c.what})` : '—';
  };
  const embMissing = q.embedded.ok ? '—' : q.embedded.reason;
  const srvMissing = q.server === null ? (res.serverMissing ?? 'not measured') : q.server.ok ? '—' : q.server.reason;
  const keys = q.embedded.ok ? q.embedded.value.cases.map((c) => c.key) : ['a', 'b', 'c', 'b-http'];
  for (const key of keys) {
    const c = caseOf(q.embedded, key) ?? caseOf(q.server, key);
    const name = c?.name ?? key;
    const e = caseOf(q.embedded, key);
    const targeted = ['a', 'b', 'c', 'b-http'].includes(key);
    L.push(
      `| ${name} | ${targeted ? 'median ≤ 5 ms embedded' : '—'} | ${cell(q.embedded, key, embMissing, true)} | ${peerCell(q.embedded, key)} | ${cell(q.server, key, srvMissing)} | ${peerCell(q.server, key)} | ${targeted && e ? verdict(e.medianMs <= 5) : ''} |`,
    );
  }
  L.push('');
  L.push(
    'Timer: `performance.now()` around each awaited `getObservations` call (or `app.inject` on `buildServer(db)`); nearest-rank median and 95th percentile. ' +
      "Median CPU: `process.cpuUsage()` of the benchmark process per call (embedded: the engine runs in this process, so this is the work itself and is less affected by other load on the machine; it includes V8's background threads).",
  );
  L.push('');

  L.push(...findings(res));

  // ---- Analysis
  L.push('## Where the import time goes');
  L.push('');
  L.push(
    'Timers around every database call that `importObservations` makes (the bench passes it a `Database` whose transactions hand out a timing wrapper of the ' +
      "transaction's `Queryable`; src is unchanged). The rest of the wall time is JavaScript: reading and parsing the CSV, validating each row, and encoding COPY text. " +
      'Rows of new (indicator, period) pairs are copied straight into `observation` (no staging table, no merge; the COPY row says "COPY" for both). ' +
      'Each COPY runs while the next rows are read and checked: on the embedded engine the database shares the thread, so the two hardly overlap; on the server they do, ' +
      'so there a COPY\'s time is largely hidden behind the JavaScript, a statement queued behind a running COPY (e.g. a period lookup) counts its wait, and the "JS" row, being the remainder, is too small. ' +
      '"Parse only" is a separate pass of `openTable(…).batches` over the same file (csv-parse + decoding, no validation).',
  );
  L.push('');
  const phaseCols = [
    { name: 'embedded 1M', r: res.embedded1M },
    { name: 'server 1M', r: res.server1M },
    { name: 'embedded 3M', r: res.embedded3M },
    { name: 'server 3M', r: res.server3M },
  ].filter((c): c is { name: string; r: { ok: true; value: ChildResult } } => !!c.r && c.r.ok);
  if (phaseCols.length) {
    const phaseKeys = [...new Set(phaseCols.flatMap((c) => Object.keys(c.r.value.phases ?? {})))];
    const order = (k: string) =>
      k.startsWith('JS')
        ? 0
        : k.startsWith('COPY')
          ? 1
          : k.startsWith('duplicate')
            ? 2
            : k.startsWith('merge')
              ? 3
              : k.startsWith('ANALYZE')
                ? 4
                : k === 'COMMIT'
                  ? 5
                  : 6;
    phaseKeys.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
    L.push(`| phase | ${phaseCols.map((c) => c.name).join(' | ')} |`);
    L.push(`|---|${phaseCols.map(() => '---|').join('')}`);
    for (const k of phaseKeys) {
      L.push(
        `| ${k} | ${phaseCols
          .map((c) => {
            const v = c.r.value.phases?.[k] ?? 0;
            return `${v.toFixed(2)} s (${pct(v, c.r.value.seconds)})`;
          })
          .join(' | ')} |`,
      );
    }
    L.push(`| **total** | ${phaseCols.map((c) => `**${c.r.value.seconds.toFixed(1)} s**`).join(' | ')} |`);
    const parse = phaseCols.find((c) => c.r.value.parseOnly !== undefined);
    if (parse)
      L.push(
        `\nParse only (${parse.name.split(' ')[1]} file, same machine): ${parse.r.value.parseOnly!.toFixed(2)} s = ${fmtRate(parse.r.value.rows / parse.r.value.parseOnly!)}.`,
      );
  }
  L.push('');

  L.push('### Merge ablation');
  L.push('');
  L.push(
    'bench/merge-ablation.ts copies the staging, duplicate-check and merge statements of `observations-import.ts` and runs them on the same staged rows ' +
      `(${fmtInt(AREAS * COMBINATIONS * ABLATION_PERIODS)} rows, empty observation table as in a first import), each variant in its own rolled-back transaction followed by VACUUM, with one ingredient removed at a time. ` +
      `Foreign keys on \`observation\` in the current schema: ${
        [res.ablation.embedded, res.ablation.server]
          .map((o) => (o && o.ok ? `${o.value.engine} ${o.value.foreignKeys}` : null))
          .filter(Boolean)
          .join(', ') || '?'
      } (variants that drop foreign keys drop those present).`,
  );
  L.push('');
  const abl = [
    { name: 'embedded', r: res.ablation.embedded },
    { name: 'server', r: res.ablation.server },
  ].filter((c): c is { name: string; r: { ok: true; value: AblationResult } } => !!c.r && c.r.ok);
  if (abl.length) {
    L.push(`| statement (variant) | ${abl.map((c) => c.name).join(' | ')} |`);
    L.push(`|---|${abl.map(() => '---|').join('')}`);
    for (const v of abl[0].r.value.variants) {
      L.push(
        `| ${v.name} | ${abl
          .map((c) => {
            const x = c.r.value.variants.find((y) => y.name === v.name);
            return x ? `${x.seconds.toFixed(2)} s (${fmtRate(x.rowsPerSecond)})` : '—';
          })
          .join(' | ')} |`,
      );
    }
  } else {
    const why = [res.ablation.embedded, res.ablation.server]
      .map((o) => (o && !o.ok ? o.reason : ''))
      .filter(Boolean)
      .join('; ');
    L.push(`Not measured${why ? `: ${why}` : ' (BENCH_ABLATION=0)'}.`);
  }
  L.push('');

  L.push('## Where the request time goes');
  L.push('');
  L.push(
    'Medians per part of one `getObservations` call, from timers around each query the service makes (the rest is JavaScript: snapshot look-ups, roll-up, ratio, ranking, building the answer).',
  );
  L.push('');
  const bds = [
    { name: 'embedded', r: q.embedded },
    { name: 'server', r: q.server },
  ].filter((c): c is { name: string; r: { ok: true; value: QueryBenchResult } } => !!c.r && c.r.ok);
  if (bds.length) {
    const cols: { label: string; bd: Record<string, number> }[] = [];
    for (const c of bds)
      for (const [k, bd] of Object.entries(c.r.value.breakdown))
        cols.push({ label: `${c.name} (${k.replace('-cold', ', first after import')})`, bd });
    const parts = [...new Set(cols.flatMap((c) => Object.keys(c.bd)))].filter((k) => k !== 'total');
    L.push(`| part | ${cols.map((c) => c.label).join(' | ')} |`);
    L.push(`|---|${cols.map(() => '---|').join('')}`);
    for (const p of parts)
      L.push(`| ${p} | ${cols.map((c) => (c.bd[p] !== undefined ? `${ms(c.bd[p])} ms` : '—')).join(' | ')} |`);
    L.push(`| **total** | ${cols.map((c) => `**${ms(c.bd.total)} ms**`).join(' | ')} |`);
    L.push('');
    L.push('(Medians are taken per part, so the parts need not add up to the total exactly.)');
  }
  L.push('');

  L.push(...renderOther(res.other));
  L.push('## Method notes');
  L.push('');
  L.push(
    '- Every import and every plain COPY runs in a fresh child process (`node --import tsx bench/import-child.ts …`) on a fresh database: a new PGlite data directory under the OS temp dir, created with the areas and catalogue by a separate set-up child so that the measuring process opens an existing database as in production (creating a cluster has its own, higher memory peak), or a new schema on the server that is dropped afterwards. Temp files are removed at the end.',
  );
  L.push(
    '- Timed: the `importObservations` call only (or the `copyText` call for the peer). Not timed: process start, opening the engine, migrations, areas and catalogue, generating the file.',
  );
  L.push(
    '- The CSV is generated once per run (streamed to disk, never held in memory) and read from the page cache by every child; values are deterministic.',
  );
  L.push(
    '- Peak RSS is the whole process (Node heap + PGlite\'s WebAssembly memory and buffers); "before the import" is the RSS after opening the engine and setting up the city.',
  );
  L.push('- No timing is asserted anywhere; a failed measurement is reported in its cell.');
  L.push('');
  return L.join('\n');
}

// ---------------------------------------------------------------------------------------------

interface OtherResults {
  stats?: StatsBenchRow[] | { error: string };
  geo?: GeoBenchRow[] | { error: string };
  postgis?: PostgisResult | { error: string };
  web?: WebBenchResult | { error: string };
  load?: LoadBenchResult | { error: string };
  assign?: AssignBenchResult | { error: string };
  cli?: CliStartResult | { error: string };
}

function renderOther(o: OtherResults | undefined): string[] {
  if (!o) return [];
  const L: string[] = [];
  const cell = (t: string) => t.replace(/\|/g, '\\|');
  const rowsTable = (
    rows: { name: string; target: string; measured: string; peer?: string; note: string; met?: boolean }[],
  ) => {
    L.push('| figure | target | measured | peer | met | method |', '|---|---|---|---|---|---|');
    for (const r of rows)
      L.push(
        `| ${cell(r.name)} | ${cell(r.target)} | ${cell(r.measured)} | ${cell(r.peer ?? '')} | ${r.met === undefined ? '—' : r.met ? 'met' : '**missed**'} | ${cell(r.note)} |`,
      );
    L.push('');
  };
  L.push('## Issue #3 — the monitor in the browser', '');
  if (o.web && 'error' in o.web) L.push(`Not measured: ${o.web.error}`, '');
  else if (o.web) L.push(webBenchMarkdown(o.web), '');
  L.push('## Issue #5 — composite indices and typologies', '');
  if (o.stats && 'error' in o.stats) L.push(`Not measured: ${o.stats.error}`, '');
  else if (o.stats) rowsTable(o.stats);
  L.push('## Issue #6 — spatial integration', '');
  if (o.geo && 'error' in o.geo) L.push(`Not measured: ${o.geo.error}`, '');
  else if (o.geo) rowsTable(o.geo);
  const pg = o.postgis;
  if (pg && 'error' in pg) L.push(`PostGIS peer: not measured: ${pg.error}`, '');
  else if (pg && !pg.available) L.push(`PostGIS peer: ${pg.note}`, '');
  else if (pg) {
    const f = (n: number) => Math.round(n).toLocaleString('en-US');
    L.push('| figure | target | measured | peer | met | method |', '|---|---|---|---|---|---|');
    L.push(
      `| point-in-polygon vs PostGIS ${pg.version}, same 1,000,000 points × 138 regions | ≥ 10× PostGIS | ours ${f(pg.oursPointsPerSecond!)} points/s | PostGIS ${f(pg.pointsPerSecond!)} points/s (${pg.seconds!.toFixed(2)} s) | ${pg.ratio! >= 10 ? 'met' : '**missed**'} (${pg.ratio!.toFixed(0)}×) | ${cell(pg.note)}; ${f(pg.compared!)} points compared (not on a border), ${pg.differing} differing |`,
    );
    L.push('');
  }
  if (o.load) L.push(loadBenchMarkdown(o.load), '');
  if (o.assign) L.push(assignBenchMarkdown(o.assign), '');
  if (o.cli) L.push(cliStartMarkdown(o.cli, machine().code), '');
  return L;
}

/**
 * `npm run bench -- NAME`: only one section (load, assign, cli); its section replaces the one in
 * the report, the rest stays as it is.
 */
async function mainSectionOnly<T extends object>(
  name: string,
  run: () => Promise<T>,
  section: (r: T | { error: string }) => string,
  splice: (doc: string, section: string) => string,
): Promise<void> {
  work = mkdtempSync(join(tmpdir(), 'km-bench-'));
  const cleanup = () => rmSync(work, { recursive: true, force: true });
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    let result: T | { error: string };
    try {
      result = await run();
    } catch (e) {
      result = { error: e instanceof Error ? e.message : String(e) };
    }
    if (process.env.BENCH_RESULTS_JSON) writeFileSync(process.env.BENCH_RESULTS_JSON, JSON.stringify(result, null, 2));
    const defaultOut = join(ROOT, 'docs', 'benchmarks.md');
    const baseFile = existsSync(OUT) ? OUT : existsSync(defaultOut) ? defaultOut : null;
    const doc = baseFile ? readFileSync(baseFile, 'utf8') : '# Benchmarks\n';
    mkdirSync(dirname(OUT), { recursive: true });
    writeFileSync(OUT, splice(doc, section(result)));
    log(`wrote the ${name} section into ${OUT}`);
    if ('error' in result) process.exitCode = 1;
  } finally {
    cleanup();
  }
}

async function main(): Promise<void> {
  const only = (process.argv[2] ?? process.env.BENCH_ONLY ?? '').trim();
  if (only === 'load')
    return mainSectionOnly('load', () => runLoadBench({ work, log }), loadBenchMarkdown, spliceLoadSection);
  if (only === 'assign')
    return mainSectionOnly(
      'assign',
      () => runAssignBench({ work, serverUrl, log }),
      assignBenchMarkdown,
      spliceAssignSection,
    );
  if (only === 'cli')
    return mainSectionOnly(
      'cli',
      () => runCliStartBench({ work, log }),
      (r) => cliStartMarkdown(r, machine().code),
      spliceCliStartSection,
    );
  if (only === 'sealed')
    return mainSectionOnly('sealed', () => runSealedBench({ work, log }), sealedBenchMarkdown, spliceSealedSection);
  if (only === 'ogc')
    return mainSectionOnly(
      'ogc',
      () => runOgcBench({ log }),
      (r) => ogcBenchMarkdown(r, machine().code),
      spliceOgcSection,
    );
  if (only === 'json-stat')
    return mainSectionOnly(
      'json-stat',
      () => runJsonStatBench({ log }),
      (r) => jsonStatBenchMarkdown(r, machine().code),
      spliceJsonStatSection,
    );
  if (only === 'catalog')
    return mainSectionOnly(
      'catalog',
      () => runDcatBench({ log }),
      (r) => dcatBenchSection(r, machine().code),
      (doc, section) => spliceSection(doc, section, DCAT_SECTION_START, DCAT_SECTION_END),
    );
  if (only === 'reports')
    return mainSectionOnly(
      'reports',
      () =>
        runReportsBench({
          areas: process.env.BENCH_REPORT_AREAS ? Number(process.env.BENCH_REPORT_AREAS) : undefined,
          log,
        }),
      (r) => reportsBenchSection(r, machine().code),
      spliceReportsSection,
    );
  if (only === 'measures')
    return mainSectionOnly(
      'measures',
      () =>
        runMeasuresBench({
          measures: process.env.BENCH_MEASURES ? Number(process.env.BENCH_MEASURES) : undefined,
          areas: process.env.BENCH_AREAS ? Number(process.env.BENCH_AREAS) : undefined,
          log,
        }),
      (r) => measuresBenchSection(r, machine().code),
      spliceMeasuresSection,
    );
  if (only === 'tenants') {
    const url = process.env.BENCH_PG_URL ?? process.env.TEST_DATABASE_URL;
    return mainSectionOnly(
      'tenants',
      async () => {
        if (!url) throw new Error('needs a PostgreSQL server: set BENCH_PG_URL (a user that may create databases)');
        return runTenantsBench({
          url,
          tenants: process.env.BENCH_TENANTS ? Number(process.env.BENCH_TENANTS) : undefined,
          observations: process.env.BENCH_OBSERVATIONS ? Number(process.env.BENCH_OBSERVATIONS) : undefined,
          rate: process.env.BENCH_RATE ? Number(process.env.BENCH_RATE) : undefined,
          seconds: process.env.BENCH_SECONDS ? Number(process.env.BENCH_SECONDS) : undefined,
          workers: process.env.BENCH_WORKERS ? Number(process.env.BENCH_WORKERS) : undefined,
          keepDatabase: process.env.BENCH_TENANTS_DB || undefined,
          log,
        });
      },
      (r) => tenantsBenchSection(r, machine().code),
      spliceTenantsSection,
    );
  }
  if (only === 'disclosure')
    return mainSectionOnly(
      'disclosure',
      () => runDisclosureBench({ log }),
      disclosureMarkdown,
      spliceDisclosureSection,
    );
  if (only && only !== 'all')
    throw new Error(
      `unknown bench section "${only}" (known: load, assign, cli, sealed, disclosure, ogc, json-stat, catalog, reports, measures, tenants; none or "all" runs everything)`,
    );
  const t0 = performance.now();
  work = mkdtempSync(join(tmpdir(), 'km-bench-'));
  const cleanup = () => rmSync(work, { recursive: true, force: true });
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    const base = machine();
    const serverMissing = await serverReachable();
    log(`temp dir ${work}; server: ${serverMissing ?? redactUrl(serverUrl!)}`);

    // The requests first, while the machine is quiet (the server's background work after the
    // large imports — checkpoints, autovacuum — would otherwise disturb the millisecond timings).
    noteLoad('start, requests');
    const qe = await queryBench('embedded', work);
    const qs = serverMissing ? null : await queryBench('server', work);

    noteLoad('imports');
    log('writing the observation files …');
    const m1 = await writeObservationsCsv(join(work, 'einwohner-1m.csv'), { areas: AREAS, periods: PERIODS_1M });
    const m3 = await writeObservationsCsv(join(work, 'einwohner-3m.csv'), { areas: AREAS, periods: PERIODS_3M });

    const embedded1M = await importChild('embedded', m1, true);
    const embeddedPeer = await peerChild('embedded', PERIODS_1M);
    const server1M = serverMissing ? null : await importChild('server', m1);
    const serverPeer = serverMissing ? null : await peerChild('server', PERIODS_1M);
    const embedded3M = await importChild('embedded', m3);
    const server3M = serverMissing || process.env.BENCH_SKIP_3M_SERVER === '1' ? null : await importChild('server', m3);
    const capped = process.env.BENCH_CAPPED_HEAP !== '0';
    const embedded1MCapped = capped ? await importChild('embedded', m1, false, CAPPED_HEAP) : null;
    const embedded3MCapped = capped ? await importChild('embedded', m3, false, CAPPED_HEAP) : null;
    rmSync(m3.path, { force: true });

    const ablation: Results['ablation'] = {};
    noteLoad('ablation');
    if (process.env.BENCH_ABLATION !== '0') {
      const a: AblationArgs = { engine: 'embedded', areas: AREAS, periods: ABLATION_PERIODS };
      ablation.embedded = await runChild<AblationResult>('merge-ablation.ts', a, 'embedded: merge ablation');
      if (!serverMissing)
        ablation.server = await runChild<AblationResult>(
          'merge-ablation.ts',
          { ...a, engine: 'server', databaseUrl: serverUrl },
          'server: merge ablation',
        );
    }

    // The figures of the other issues (monitor budgets, indices, spatial integration).
    noteLoad('other issues');
    const other: OtherResults = {};
    const attempt = async <T>(label: string, fn: () => Promise<T>): Promise<T | { error: string }> => {
      log(`${label} …`);
      try {
        return await fn();
      } catch (e) {
        return { error: (e as Error).message };
      }
    };
    other.stats = await attempt('indices and typologies', () => benchStats());
    other.geo = await attempt('spatial integration', () => benchGeo());
    other.postgis = await attempt('PostGIS peer', () => benchPostgis(serverMissing ? undefined : serverUrl));
    other.assign = await attempt('assign points end to end (CLI vs PostGIS join)', () =>
      runAssignBench({ work, serverUrl: serverMissing ? undefined : serverUrl, log, postgis: other.postgis }),
    );
    other.web = await attempt('web budgets (Chromium)', () => runWebBench({ log }));
    noteLoad('HTTP load');
    other.load = await attempt('HTTP load (server vs peer)', () => runLoadBench({ work, log }));
    other.cli = await attempt('CLI start', () => runCliStartBench({ work, log }));

    noteLoad('end');
    const results: Results = {
      machine: {
        ...base,
        pgliteEngine: qe.version.replace(/ on .*$/, '').replace(/,.*$/, ''),
        server: serverMissing ?? qs?.version.replace(/ on .*$/, '').replace(/,.*$/, '') ?? '?',
        load: loads,
      },
      files: { m1, m3 },
      serverMissing,
      embedded1M,
      embeddedPeer,
      server1M,
      serverPeer,
      embedded3M,
      server3M,
      embedded1MCapped,
      embedded3MCapped,
      ablation,
      queries: { embedded: qe.result, server: qs ? qs.result : null },
      other,
      totalSeconds: (performance.now() - t0) / 1000,
    };
    if (process.env.BENCH_RESULTS_JSON) writeFileSync(process.env.BENCH_RESULTS_JSON, JSON.stringify(results, null, 2));
    mkdirSync(dirname(OUT), { recursive: true });
    const previous = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
    writeFileSync(OUT, keepSections(previous, render(results), SECTION_MARKERS));
    log(`wrote ${OUT} after ${(results.totalSeconds / 60).toFixed(1)} min`);
  } finally {
    cleanup();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
