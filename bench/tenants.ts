// Many municipalities on one PostgreSQL server (decision 0035): N tenants with sizes skewed like
// real municipalities (a few cities with millions of observations, many small towns), then
//   1. adding a tenant (target ≤ 2 s each): schema, every migration, directory entry;
//   2. open-loop load at R requests/s spread over the tenants by size, each request timed from its
//      planned send time (no coordinated omission): p99 of a small tenant's observations request
//      (target ≤ 50 ms), and the same while the three largest tenants import 1 M rows each
//      (target ≤ 2× that);
//   3. migrating every tenant to a new schema version (target ≤ 5 min for 500): a migration that
//      adds a column to the observation table and an index, the shape of a real schema change.
// The server runs as its own process (`serve` with path routing); the load generator reports its
// own CPU use. Not a test: nothing asserts a timing. Run:
//   BENCH_PG_URL=postgres://… npm run bench -- tenants        # 500 tenants, 50 M observations
//   BENCH_TENANTS=40 BENCH_OBSERVATIONS=2000000 BENCH_PG_URL=… npm run bench -- tenants   # a short run
//   BENCH_TENANTS_DB=km_tenants … npm run bench -- tenants   # keep the database; a second run reuses it
// BENCH_WORKERS=N serves with N server processes (serve --workers N; default 1).
// BENCH_IMPORT_SLOTS=N: KOMMUNALMONITOR_IMPORT_SLOTS of the server and the importers (default 1; empty: no limit).
// BENCH_PG_URL (or TEST_DATABASE_URL) names a server where the user may create databases; the
// bench creates a database of its own and drops it at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { Agent, get as httpGet } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { Tenants } from '../src/store/tenants.ts';
import { loadMigrations } from '../src/store/migrate.ts';
import { importAreaRecords } from '../src/services/areas.ts';
import { importCatalogue } from '../src/services/indicators.ts';
import { importObservations } from '../src/services/observations-import.ts';
import { Rng } from '../src/demo/random.ts';
import { spliceSection } from './sections.ts';
import { freePort } from '../test/helpers/server-process.ts';

const ROOT = join(import.meta.dirname, '..');
export const TENANTS_SECTION_START = '<!-- tenants-bench:start -->';
export const TENANTS_SECTION_END = '<!-- tenants-bench:end -->';
/** The share of requests for a tenant's latest period; the rest ask for a random earlier one. */
const LATEST_SHARE = 0.8;
/** KOMMUNALMONITOR_IMPORT_SLOTS of the server and the importers (BENCH_IMPORT_SLOTS; empty: no limit). */
const IMPORT_SLOTS = process.env.BENCH_IMPORT_SLOTS ?? '1';
const MEMBERS = ['0_5', '6_14', '15_17', '18_24', '25_44', '45_64', '65_79', '80plus'];

export interface LatencySummary {
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
  smallP99: number;
  smallRequests: number;
}

export interface TenantsBenchResult {
  tenants: number;
  observations: number;
  largest: number;
  smallest: number;
  loadSeconds: number;
  addMedianMs: number;
  addP95Ms: number;
  addMaxMs: number;
  rate: number;
  seconds: number;
  quiet: LatencySummary;
  importing: LatencySummary & { importedRows: number; importSeconds: number };
  generatorCpu: number;
  /** NaN when a kept database was reused (nothing added, nothing migrated). */
  migrateSeconds: number;
  migrateFailed: number;
  workers: number;
  reused: boolean;
  loadBefore: number;
  cpus: string;
}

/** Observations per tenant: Zipf-like weights 1/(i+1), every tenant at least `floor`. */
export function tenantSizes(n: number, total: number, floor = 2_000): number[] {
  const w = Array.from({ length: n }, (_, i) => 1 / (i + 1));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => Math.max(floor, Math.round((total * x) / sum)));
}

/** Areas and periods for a tenant of this many observations (8 age groups per area and period). */
export function shapeOf(observations: number): { areas: number; periods: number } {
  const areas = Math.max(10, Math.min(2_000, Math.round(Math.sqrt(observations / MEMBERS.length) * 2)));
  const periods = Math.max(1, Math.round(observations / (areas * MEMBERS.length)));
  return { areas, periods };
}

const key = (i: number) => `kommune-${String(i + 1).padStart(3, '0')}`;
/** Period p: a day from 2000-01-01 (any number of periods stays a valid date). */
const period = (p: number) => new Date(Date.UTC(2000, 0, 1 + p)).toISOString().slice(0, 10);

async function writeObservations(
  file: string,
  areas: number,
  periods: number,
  from = 0,
  rng = new Rng(7),
): Promise<number> {
  const out = createWriteStream(file);
  let rows = 0;
  let chunk = 'indicator;area;period;altersgruppe;value\n';
  for (let p = from; p < from + periods; p++)
    for (let a = 0; a < areas; a++)
      for (const m of MEMBERS) {
        chunk += `einwohner;${String(a + 1).padStart(4, '0')};${period(p)};${m};${20 + rng.int(800)}\n`;
        rows++;
        if (chunk.length > 1 << 20) {
          if (!out.write(chunk)) await once(out, 'drain');
          chunk = '';
        }
      }
  out.end(chunk);
  await once(out, 'finish');
  return rows;
}

function quantile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Open-loop load: request k is planned at start + k/rate and sent then whatever the answers before
 * it do; its latency runs from the planned time to the end of the answer.
 */
async function openLoop(
  base: string,
  rate: number,
  seconds: number,
  pick: () => { tenant: number; path: string },
  small: (tenant: number) => boolean,
  until?: Promise<unknown>,
): Promise<LatencySummary> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const all: number[] = [];
  const smallOnes: number[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  let stop = false;
  // A failed import also ends the phase (and is reported by the caller), never the process.
  void until?.then(
    () => (stop = true),
    () => (stop = true),
  );
  const t0 = performance.now();
  const total = Math.round(rate * seconds);
  for (let k = 0; k < total || (until && !stop); k++) {
    const planned = t0 + (k * 1000) / rate;
    const wait = planned - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const { tenant, path } = pick();
    pending.push(
      new Promise<void>((resolve) => {
        const req = httpGet(base + path, { agent }, (res) => {
          res.resume();
          res.on('end', () => {
            const ms = performance.now() - planned;
            if (res.statusCode !== 200) errors++;
            all.push(ms);
            if (small(tenant)) smallOnes.push(ms);
            resolve();
          });
        });
        req.on('error', () => {
          errors++;
          resolve();
        });
      }),
    );
    if (until && stop && k >= total) break;
  }
  await Promise.all(pending);
  agent.destroy();
  all.sort((a, b) => a - b);
  smallOnes.sort((a, b) => a - b);
  return {
    requests: all.length,
    errors,
    p50: quantile(all, 0.5),
    p99: quantile(all, 0.99),
    max: all.at(-1) ?? NaN,
    smallP99: quantile(smallOnes, 0.99),
    smallRequests: smallOnes.length,
  };
}

async function waitForHealth(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
    try {
      if ((await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not answer /api/health within 120 s');
}

function childEnv(url: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATABASE_URL: url,
    KOMMUNALMONITOR_TENANT_ROUTING: 'path',
    KOMMUNALMONITOR_POOL_SIZE: '24',
    NODE_ENV: 'production',
    // Imports take turns (two cores: one import at a time leaves the readers a core).
    KOMMUNALMONITOR_IMPORT_SLOTS: IMPORT_SLOTS,
  };
  return env;
}

export async function runTenantsBench(o: {
  url: string;
  tenants?: number;
  observations?: number;
  rate?: number;
  seconds?: number;
  workers?: number;
  keepDatabase?: string;
  log?: (m: string) => void;
}): Promise<TenantsBenchResult> {
  const N = o.tenants ?? 500;
  const TOTAL = o.observations ?? 50_000_000;
  const RATE = o.rate ?? 200;
  const SECONDS = o.seconds ?? 60;
  const log = o.log ?? (() => {});
  const loadBefore = loadavg()[0];
  const admin = new pg.Client({ connectionString: o.url });
  await admin.connect();
  const WORKERS = o.workers ?? 1;
  if (o.keepDatabase !== undefined && !/^[a-z_][a-z0-9_]{0,40}$/.test(o.keepDatabase))
    throw new Error(`BENCH_TENANTS_DB must be a plain database name, not "${o.keepDatabase}"`);
  const dbName = o.keepDatabase ?? `km_bench_tenants_${process.pid}`;
  const reused =
    o.keepDatabase !== undefined &&
    (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName])).rowCount === 1;
  if (!reused) await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(o.url);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  const dir = mkdtempSync(join(tmpdir(), 'km-bench-tenants-'));
  let server: ChildProcess | undefined;
  const importers: ChildProcess[] = [];
  try {
    const sizes = tenantSizes(N, TOTAL);
    const t = await Tenants.open(url, { max: 4 });
    if (reused && (await t.list()).length !== N)
      throw new Error(`the kept database ${dbName} has not ${N} tenants: drop it or set BENCH_TENANTS to match`);
    // 1. Adding tenants (empty), each timed; then their data, not timed as "adding".
    const addMs: number[] = [];
    for (let i = 0; i < (reused ? 0 : N); i++) {
      const t1 = performance.now();
      await t.add({ key: key(i), name: `Gemeinde ${i + 1}` });
      addMs.push(performance.now() - t1);
      if (i % 50 === 49) log(`tenants: ${i + 1} added (last ${addMs.at(-1)!.toFixed(0)} ms)`);
    }
    const tl = performance.now();
    let observations = 0;
    if (reused)
      observations = sizes.reduce((a, s) => {
        const { areas, periods } = shapeOf(s);
        return a + areas * periods * MEMBERS.length;
      }, 0);
    for (let i = 0; i < (reused ? 0 : N); i++) {
      const { areas, periods } = shapeOf(sizes[i]);
      const row = await t.require(key(i));
      const db = t.database(row);
      const side = Math.ceil(Math.sqrt(areas));
      const records = Array.from({ length: areas }, (_, a) => {
        const x = 7 + (a % side) * 0.01,
          y = 50 + Math.floor(a / side) * 0.01;
        return {
          code: String(a + 1).padStart(4, '0'),
          name: `Gebiet ${a + 1}`,
          parentCode: null,
          geometry: {
            type: 'Polygon' as const,
            coordinates: [
              [
                [x, y],
                [x + 0.01, y],
                [x + 0.01, y + 0.01],
                [x, y + 0.01],
                [x, y],
              ],
            ],
          },
          properties: {},
        };
      });
      await importAreaRecords(db, { crs: 'EPSG:4326', problems: [], records }, { layer: 'gebiet' });
      await importCatalogue(db, {
        dimensions: [{ key: 'altersgruppe', name: 'Altersgruppe', members: MEMBERS.map((m) => ({ key: m, name: m })) }],
        indicators: [
          {
            key: 'einwohner',
            name: 'Einwohner',
            unit: 'Personen',
            type: 'count',
            dimensions: ['altersgruppe'],
            confidentiality: 'public',
          },
        ],
      });
      const file = join(dir, `${key(i)}.csv`);
      observations += await writeObservations(file, areas, periods);
      await importObservations(db, file, { layer: 'gebiet' });
      rmSync(file);
      if (i % 25 === 24 || i < 3) log(`data: ${i + 1} tenants, ${observations.toLocaleString('en-US')} observations`);
    }
    const loadSeconds = (performance.now() - tl) / 1000;
    await t.close();

    // 2. The server, then open-loop load spread by size.
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    server = spawn(
      process.execPath,
      [
        join(ROOT, 'bin', 'kommunalmonitor.mjs'),
        'serve',
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--workers',
        String(WORKERS),
      ],
      { cwd: ROOT, env: childEnv(url), stdio: ['ignore', 'ignore', 'ignore'] },
    );
    await waitForHealth(base, server);
    const weights = sizes.map((s) => s / observations);
    const cumulative: number[] = [];
    weights.reduce((a, w, i) => (cumulative[i] = a + w), 0);
    const rng = new Rng(11);
    const shapes = sizes.map(shapeOf);
    const median = [...sizes].sort((a, b) => a - b)[Math.floor(N / 2)];
    const small = (i: number) => sizes[i] <= median;
    const pick = () => {
      const r = rng.next() * cumulative[N - 1];
      let i = cumulative.findIndex((c) => c >= r);
      if (i < 0) i = N - 1;
      // Most readers look at the latest period; one in five at an earlier one (a cold answer).
      const last = shapes[i].periods - 1;
      const p = period(rng.next() < LATEST_SHARE ? last : rng.int(shapes[i].periods));
      return { tenant: i, path: `/t/${key(i)}/api/observations?indicator=einwohner&layer=gebiet&period=${p}` };
    };
    // A server that has been running: each tenant's app built (its routes, its read snapshot) and
    // its latest period asked for once, in each worker. Earlier periods stay cold.
    for (let w = 0; w < WORKERS; w++)
      for (let i = 0; i < N; i++) {
        await fetch(`${base}/t/${key(i)}/api/indicators`).then((r) => r.arrayBuffer());
        await fetch(
          `${base}/t/${key(i)}/api/observations?indicator=einwohner&layer=gebiet&period=${period(shapes[i].periods - 1)}`,
        ).then((r) => r.arrayBuffer());
      }
    log(`load: ${RATE}/s for ${SECONDS} s, quiet …`);
    const cpu0 = process.cpuUsage();
    const w0 = performance.now();
    const quiet = await openLoop(base, RATE, SECONDS, pick, small);
    const cpu1 = process.cpuUsage(cpu0);
    const generatorCpu = (cpu1.user + cpu1.system) / 1000 / (performance.now() - w0);

    // The three largest tenants import 1 M new rows each, as users do: the command line, in parallel.
    const files: string[] = [];
    let importedRows = 0;
    for (let i = 0; i < 3; i++) {
      const f = join(dir, `import-${i}.csv`);
      const { areas, periods } = shapes[i];
      importedRows += await writeObservations(
        f,
        areas,
        Math.ceil(1_000_000 / (areas * MEMBERS.length)),
        periods,
        new Rng(100 + i),
      );
      files.push(f);
    }
    log(`load: ${RATE}/s while three tenants import ${importedRows.toLocaleString('en-US')} rows …`);
    const ti = performance.now();
    const done = Promise.all(
      files.map((f, i) => {
        const c = spawn(
          process.execPath,
          [
            join(ROOT, 'bin', 'kommunalmonitor.mjs'),
            '--tenant',
            key(i),
            'import',
            'observations',
            f,
            '--layer',
            'gebiet',
          ],
          { cwd: ROOT, env: childEnv(url), stdio: ['ignore', 'ignore', 'inherit'] },
        );
        importers.push(c);
        return once(c, 'exit').then(([code]) => {
          if (code !== 0) throw new Error(`the import into ${key(i)} failed (${code})`);
        });
      }),
    ).then(() => (importSeconds = (performance.now() - ti) / 1000));
    let importSeconds = 0;
    const importing = await openLoop(base, RATE, Math.min(SECONDS, 30), pick, small, done);
    await done;
    server.kill('SIGTERM');
    await once(server, 'exit');
    server = undefined;

    // 3. A new schema version for every tenant (not on a kept database: it must stay on the code's version).
    let migrateSeconds = NaN;
    let migrateFailed = 0;
    if (o.keepDatabase === undefined) {
      const next = loadMigrations();
      const version = Math.max(...next.map((m) => m.version)) + 1;
      next.push({
        version,
        name: `${version}_bench_note.sql`,
        sql: 'ALTER TABLE observation ADD COLUMN bench_note text;\nCREATE INDEX observation_bench_note ON observation (bench_note) WHERE bench_note IS NOT NULL;',
      });
      const t2 = await Tenants.open(url, { max: 4, migrations: next });
      log(`migrate: ${N} tenants to version ${version} …`);
      const tm = performance.now();
      const report = await t2.migrateAll({});
      migrateSeconds = (performance.now() - tm) / 1000;
      migrateFailed = report.filter((x) => x.error).length;
      await t2.close();
    }
    const sorted = [...addMs].sort((a, b) => a - b);
    return {
      tenants: N,
      observations,
      largest: sizes[0],
      smallest: Math.min(...sizes),
      loadSeconds,
      addMedianMs: quantile(sorted, 0.5),
      addP95Ms: quantile(sorted, 0.95),
      addMaxMs: sorted.at(-1) ?? NaN,
      rate: RATE,
      seconds: SECONDS,
      quiet,
      importing: { ...importing, importedRows, importSeconds },
      generatorCpu,
      migrateSeconds,
      migrateFailed,
      workers: WORKERS,
      reused,
      loadBefore,
      cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    };
  } finally {
    for (const c of importers) if (c.exitCode === null) c.kill('SIGKILL');
    if (server && server.exitCode === null) server.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    if (o.keepDatabase === undefined)
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

export function tenantsBenchSection(r: TenantsBenchResult | { error: string }, commit: string): string {
  const L = [TENANTS_SECTION_START, '## Issue #20 — many municipalities on one PostgreSQL server', ''];
  if ('error' in r) return [...L, `Not measured: ${r.error}`, TENANTS_SECTION_END].join('\n');
  const f = (n: number) => Math.round(n).toLocaleString('en-US');
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  const full = r.tenants >= 500 && r.observations >= 45_000_000;
  L.push(
    `Measured on ${commit}: ${r.tenants} tenants, ${f(r.observations)} observations (largest ${f(r.largest)}, smallest ${f(r.smallest)}), one PostgreSQL server on this machine (${r.cpus}); load average ${r.loadBefore.toFixed(1)} before.` +
      (full
        ? ''
        : ` **A reduced run**: the issue's figures are for 500 tenants and about 50 million observations (\`BENCH_TENANTS\`, \`BENCH_OBSERVATIONS\`).`),
    '',
    '| figure | target | measured | met |',
    '|---|---|---|---|',
    r.reused
      ? `| adding a tenant | ≤ 2 s | not measured: a kept database was reused | — |`
      : `| adding a tenant (schema, every migration, directory entry) | ≤ 2 s | median ${f(r.addMedianMs)} ms, p95 ${f(r.addP95Ms)} ms, max ${f(r.addMaxMs)} ms | ${r.addMaxMs <= 2000 ? 'met' : '**missed**'} |`,
    `| p99 of a small tenant's observations request, ${r.rate} requests/s open loop over ${r.seconds} s | ≤ 50 ms | ${ms(r.quiet.smallP99)} (${f(r.quiet.smallRequests)} requests; all: p50 ${ms(r.quiet.p50)}, p99 ${ms(r.quiet.p99)}, ${r.quiet.errors} errors) | ${r.quiet.smallP99 <= 50 ? 'met' : '**missed**'} |`,
    `| the same while the 3 largest tenants import ${f(r.importing.importedRows)} rows (${r.importing.importSeconds.toFixed(1)} s) | ≤ 2 × quiet | ${ms(r.importing.smallP99)} (${f(r.importing.smallRequests)} requests; ${r.importing.errors} errors) = ${(r.importing.smallP99 / r.quiet.smallP99).toFixed(2)} × | ${r.importing.smallP99 <= 2 * r.quiet.smallP99 ? 'met' : '**missed**'} |`,
    Number.isNaN(r.migrateSeconds)
      ? `| migrating every tenant | ≤ 5 min for 500 | not measured: the database is kept (BENCH_TENANTS_DB) | — |`
      : `| migrating every tenant to a new schema version (a column and an index on observation) | ≤ 5 min for 500 | ${r.migrateSeconds.toFixed(1)} s for ${r.tenants}${r.tenants < 500 ? ` (≈ ${((r.migrateSeconds / r.tenants) * 500).toFixed(0)} s for 500 at this rate)` : ''}; ${r.migrateFailed} failed | ${(r.migrateSeconds / r.tenants) * 500 <= 300 ? 'met' : '**missed**'} |`,
    '',
    (r.reused
      ? 'The data were loaded by an earlier run (a kept database). '
      : `Loading the data took ${r.loadSeconds.toFixed(0)} s (areas, catalogue and observations through the import service, tenant by tenant). `) +
      `The load generator (this process) used ${(r.generatorCpu * 100).toFixed(0)} % of one core; the server ran as ${r.workers > 1 ? `${r.workers} processes (\`serve --workers ${r.workers}\`` : 'its own process (`serve`'} with path routing, a pool of 24${r.workers > 1 ? ' each' : ''}), ${IMPORT_SLOTS ? `imports with \`KOMMUNALMONITOR_IMPORT_SLOTS=${IMPORT_SLOTS}\` (they take turns)` : 'imports without a limit of slots'}. ` +
      `Latency runs from each request's planned send time, so a slow answer delays no measurement (no coordinated omission). A small tenant is one at or below the median size; requests are spread over the tenants by their number of observations, ${LATEST_SHARE * 100} % of them for the tenant's latest period and the rest for a random earlier one. Before the load, each tenant's app was opened and its latest period asked for once (a server that has been running); earlier periods are cold.`,
    TENANTS_SECTION_END,
  );
  return L.join('\n');
}

export function spliceTenantsSection(doc: string, section: string): string {
  return spliceSection(doc, section, TENANTS_SECTION_START, TENANTS_SECTION_END);
}
