// One import measurement in its own process, so that its peak RSS is its own:
//   node --import tsx bench/import-child.ts '{"engine":"embedded","mode":"import","csv":"…","areas":1000,"periods":50}'
// Uses a fresh database with the synthetic city and catalogue (not timed): a PGlite data dir
// prepared by an earlier `"mode":"setup"` run (pass the same "dataDir"), or else created here, or a
// fresh schema on the server (dropped at the end). Then times either
//   mode "import": the whole importObservations call (parse, validate, stage, merge, commit), with
//                  timers around each database call it makes (the phase profile), or
//   mode "peer":   a plain COPY of the same rows as clean text into an unindexed table.
// Prints one line `RESULT {json}` on stdout; progress goes to stderr (BENCH_MEMORY_DETAIL=1 adds
// process.memoryUsage() before and after the import).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Database, type Queryable } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { importObservations } from '../src/services/observations-import.ts';
import { openTable } from '../src/formats/table.ts';
import { buildCity, peerCopyText, PEER_COLUMNS, PEER_TABLE_SQL, COMBINATIONS } from './setup.ts';

export interface ChildArgs {
  engine: 'embedded' | 'server';
  /**
   * setup: embedded only — create the PGlite data dir `dataDir` with the city and catalogue and exit.
   * import / peer: measure; with `dataDir` the embedded database set up before is opened as it is
   * (as in production, where the database exists before an import starts), and removed afterwards.
   */
  mode: 'setup' | 'import' | 'peer';
  dataDir?: string;
  /** import: the CSV to import. */
  csv?: string;
  areas: number;
  periods: number;
  databaseUrl?: string;
  /** import: also time a parse-only pass over the file after the import (for the phase profile). */
  parsePass?: boolean;
}

export interface ChildResult {
  engine: string;
  mode: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  /** CPU time (user + system) of this process during the timed work, s; below `seconds` when the CPU was shared or the process waited (server). */
  cpuSeconds?: number;
  /** Peak resident set size of the child, kB (process.resourceUsage().maxRSS right after the timed work). */
  maxRssKb: number;
  /** Seconds per phase, from timers around the database calls importObservations makes. */
  phases?: Record<string, number>;
  /** Seconds for the parse-only pass (openTable + iterating all rows). */
  parseOnly?: number;
  setupSeconds: number;
  /** RSS right before the timed work (engine open, city and catalogue set up), kB. */
  rssBeforeKb: number;
  /** Peak RSS before the timed work, kB. */
  maxRssBeforeKb: number;
  inserted?: number;
}

type Phases = Record<string, number>;

function classify(sql: string): string {
  const s = sql.trimStart();
  if (s.startsWith('SELECT array_agg')) return 'duplicate check (GROUP BY on staging)';
  if (s.includes('INSERT INTO observation_history')) return 'merge: history INSERT … SELECT';
  if (s.startsWith('UPDATE observation')) return 'merge: UPDATE changed';
  if (s.startsWith('INSERT INTO observation ')) return 'merge: INSERT … ON CONFLICT';
  if (s.startsWith('INSERT INTO period')) return 'period lookups';
  if (s.startsWith('ANALYZE')) return 'ANALYZE observation';
  return 'other statements (catalogue, batch, temp table)';
}

/** A Queryable that adds the time of each call to its phase. */
function timedTx(tx: Queryable, phases: Phases): Queryable {
  const add = (k: string, t0: number) => (phases[k] = (phases[k] ?? 0) + (performance.now() - t0) / 1000);
  return {
    async query(sql, params) {
      const t0 = performance.now();
      try {
        return await tx.query(sql, params);
      } finally {
        add(classify(sql), t0);
      }
    },
    async exec(sql) {
      const t0 = performance.now();
      try {
        await tx.exec(sql);
      } finally {
        add(classify(sql), t0);
      }
    },
    async copyText(table, columns, text) {
      const t0 = performance.now();
      try {
        await tx.copyText(table, columns, text);
      } finally {
        add('COPY (straight into observation, or into staging; 50,000-row flushes)', t0);
      }
    },
  } as Queryable;
}

/** The database with every transaction instrumented; the time after fn resolves is the commit. */
function instrumented(db: Database, phases: Phases): Database {
  return {
    ...db,
    kind: db.kind,
    location: db.location,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      let end = 0;
      const r = await db.transaction(async (tx) => {
        const v = await fn(timedTx(tx, phases));
        end = performance.now();
        return v;
      });
      phases['COMMIT'] = (phases['COMMIT'] ?? 0) + (performance.now() - end) / 1000;
      return r;
    },
  };
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
  const work = mkdtempSync(join(tmpdir(), 'km-bench-child-'));
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  let db: Database | undefined;
  try {
    const t0 = performance.now();
    const prepared = args.engine === 'embedded' && args.dataDir !== undefined && args.mode !== 'setup';
    db =
      args.engine === 'server'
        ? await openDatabase({ databaseUrl: args.databaseUrl!, schema })
        : await openDatabase({ dataDir: args.dataDir ?? join(work, 'data') });
    await migrate(db);
    if (!prepared) await buildCity(db, work, { layer: 'block', areas: args.areas });
    let result: ChildResult;
    if (args.mode === 'setup') {
      if (args.engine !== 'embedded' || !args.dataDir)
        throw new Error('mode setup needs engine embedded and a dataDir');
      const seconds = (performance.now() - t0) / 1000;
      result = {
        engine: args.engine,
        mode: 'setup',
        rows: 0,
        seconds,
        rowsPerSecond: 0,
        maxRssKb: process.resourceUsage().maxRSS,
        setupSeconds: seconds,
        rssBeforeKb: 0,
        maxRssBeforeKb: 0,
      };
    } else if (args.mode === 'import') {
      const setupSeconds = (performance.now() - t0) / 1000;
      const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
      const maxRssBeforeKb = process.resourceUsage().maxRSS;
      if (process.env.BENCH_MEMORY_DETAIL)
        process.stderr.write(`memory before import: ${JSON.stringify(process.memoryUsage())}\n`);
      const phases: Phases = {};
      const idb = instrumented(db, phases);
      const c1 = process.cpuUsage();
      const t1 = performance.now();
      let lastLog = t1;
      const r = await importObservations(idb, args.csv!, {
        layer: 'block',
        onProgress: (p) => {
          const now = performance.now();
          if (now - lastLog > 5000) {
            lastLog = now;
            process.stderr.write(`  … ${p.rows.toLocaleString('en')} rows, ${((now - t1) / 1000).toFixed(0)} s\n`);
          }
        },
      });
      const seconds = (performance.now() - t1) / 1000;
      const cpu = process.cpuUsage(c1);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const maxRssKb = process.resourceUsage().maxRSS;
      if (process.env.BENCH_MEMORY_DETAIL)
        process.stderr.write(`memory after import: ${JSON.stringify(process.memoryUsage())}\n`);
      const dbTime = Object.values(phases).reduce((a, b) => a + b, 0);
      phases['JS: read, parse, validate, encode'] = seconds - dbTime;
      let parseOnly: number | undefined;
      if (args.parsePass) {
        const t2 = performance.now();
        const table = await openTable(args.csv!);
        let n = 0;
        for await (const batch of table.batches) n += batch.length;
        parseOnly = (performance.now() - t2) / 1000;
        if (n !== r.rows) throw new Error(`parse pass saw ${n} rows, the import ${r.rows}`);
      }
      result = {
        engine: args.engine,
        mode: 'import',
        rows: r.rows,
        seconds,
        rowsPerSecond: r.rows / seconds,
        cpuSeconds,
        maxRssKb,
        phases,
        parseOnly,
        setupSeconds,
        rssBeforeKb,
        maxRssBeforeKb,
        inserted: r.inserted,
      };
      if (r.inserted !== args.areas * COMBINATIONS * args.periods)
        throw new Error(`inserted ${r.inserted}, expected ${args.areas * COMBINATIONS * args.periods}`);
    } else {
      await db.exec(PEER_TABLE_SQL);
      const text = peerCopyText({ areas: args.areas, periods: args.periods });
      const rows = args.areas * COMBINATIONS * args.periods;
      const setupSeconds = (performance.now() - t0) / 1000;
      const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
      const maxRssBeforeKb = process.resourceUsage().maxRSS;
      const c1 = process.cpuUsage();
      const t1 = performance.now();
      await db.transaction((tx) => tx.copyText('peer_obs', PEER_COLUMNS, text));
      const seconds = (performance.now() - t1) / 1000;
      const cpu = process.cpuUsage(c1);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const maxRssKb = process.resourceUsage().maxRSS;
      const { rows: c } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM peer_obs');
      if (c[0].n !== rows) throw new Error(`peer table has ${c[0].n} rows, expected ${rows}`);
      result = {
        engine: args.engine,
        mode: 'peer',
        rows,
        seconds,
        rowsPerSecond: rows / seconds,
        cpuSeconds,
        maxRssKb,
        setupSeconds,
        rssBeforeKb,
        maxRssBeforeKb,
      };
    }
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  } finally {
    if (db) {
      if (args.engine === 'server') await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await db.close();
    }
    if (args.dataDir && args.mode !== 'setup') rmSync(args.dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  const problems = (e as { problems?: unknown[] }).problems;
  if (problems) process.stderr.write(`${JSON.stringify(problems.slice(0, 5))}\n`);
  process.exit(1);
});
