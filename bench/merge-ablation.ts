// Where the database time of an observation import goes: the staging, duplicate check and merge
// statements of src/services/observations-import.ts, copied here and run with one ingredient
// removed at a time (foreign keys, ON CONFLICT, the secondary index, jsonb in the key) on the same
// staged rows. Each variant runs in its own transaction that is rolled back, and the table is
// vacuumed after it, so all start from the same state (an empty observation table, as in a first import).
//   node --import tsx bench/merge-ablation.ts '{"engine":"embedded","areas":1000,"periods":10}'
// Prints `RESULT {json}`; used by run.ts (optional) and for the analysis in docs/benchmarks.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Database, type Queryable } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { buildCity, AGE_GROUPS, SEXES, stichtage, valueOf } from './setup.ts';
import { parsePeriod } from '../src/core/periods.ts';

export interface AblationArgs {
  engine: 'embedded' | 'server';
  areas: number;
  periods: number;
  databaseUrl?: string;
}

export interface AblationResult {
  engine: string;
  rows: number;
  /** Foreign keys on observation in the current schema (the migrations may have removed them). */
  foreignKeys: number;
  /** Seconds per variant. */
  variants: { name: string; seconds: number; rowsPerSecond: number }[];
}

const STAGE_COLUMNS = [
  'indicator_id',
  'area_id',
  'period_id',
  'members_id',
  'value',
  'status',
  'reason',
  'base',
  'line',
];
const KEY =
  's.indicator_id = o.indicator_id AND s.period_id = o.period_id AND s.area_id = o.area_id AND s.members_id = o.members_id';
const CHANGED = '(o.value, o.status, o.reason, o.base) IS DISTINCT FROM (s.value, s.status, s.reason, s.base)';

// The statements of observations-import.ts (reportDuplicates) and store/observations-write.ts (mergeStaged), verbatim.
const DUPLICATES = `SELECT array_agg(line ORDER BY line) AS lines, count(*)::int AS n FROM stage_obs
      GROUP BY indicator_id, period_id, area_id, members_id HAVING count(*) > 1 ORDER BY min(line) LIMIT 200`;
const HISTORY = `INSERT INTO observation_history (indicator_id, period_id, area_id, members_id, value, status, reason, base, import_batch_id, valid_until, replaced_by_batch_id)
     SELECT o.indicator_id, o.period_id, o.area_id, o.members_id, o.value, o.status, o.reason, o.base, o.import_batch_id, now(), $1
       FROM stage_obs s JOIN observation o ON ${KEY} WHERE ${CHANGED}`;
const UPDATE = `UPDATE observation o SET value = s.value, status = s.status, reason = s.reason, base = s.base, import_batch_id = $1, changed_at = now()
       FROM stage_obs s WHERE ${KEY} AND ${CHANGED}`;
const INSERT = `INSERT INTO observation (indicator_id, period_id, area_id, members_id, value, status, reason, base, import_batch_id)
     SELECT s.indicator_id, s.period_id, s.area_id, s.members_id, s.value, s.status, s.reason, s.base, $1 FROM stage_obs s`;

async function dropForeignKeys(tx: Queryable): Promise<void> {
  const { rows } = await tx.query<{ name: string }>(
    `SELECT conname AS name FROM pg_constraint WHERE conrelid = 'observation'::regclass AND contype = 'f'`,
  );
  for (const r of rows) await tx.exec(`ALTER TABLE observation DROP CONSTRAINT ${r.name}`);
}

interface Variant {
  name: string;
  prepare?: (tx: Queryable) => Promise<void>;
  run: (tx: Queryable, batch: number) => Promise<void>;
}

const VARIANTS: Variant[] = [
  {
    name: 'COPY of the staged text into the temp staging table (as flush() does, 50,000-row COPYs)',
    run: async () => undefined, // measured separately, see below
  },
  {
    name: 'duplicate check: GROUP BY (…, members_id) over staging',
    run: async (tx) => void (await tx.query(DUPLICATES)),
  },
  {
    name: 'merge as in src: history INSERT + UPDATE + INSERT … ON CONFLICT DO NOTHING',
    run: async (tx, b) => {
      await tx.query(HISTORY, [b]);
      await tx.query(UPDATE, [b]);
      await tx.query(`${INSERT} ON CONFLICT (indicator_id, period_id, area_id, members_id) DO NOTHING`, [b]);
    },
  },
  {
    name: 'INSERT … ON CONFLICT DO NOTHING alone',
    run: async (tx, b) =>
      void (await tx.query(`${INSERT} ON CONFLICT (indicator_id, period_id, area_id, members_id) DO NOTHING`, [b])),
  },
  { name: 'plain INSERT … SELECT (no ON CONFLICT)', run: async (tx, b) => void (await tx.query(INSERT, [b])) },
  {
    name: 'INSERT … ON CONFLICT, foreign keys dropped',
    prepare: dropForeignKeys,
    run: async (tx, b) =>
      void (await tx.query(`${INSERT} ON CONFLICT (indicator_id, period_id, area_id, members_id) DO NOTHING`, [b])),
  },
  {
    name: 'plain INSERT … SELECT, foreign keys dropped',
    prepare: dropForeignKeys,
    run: async (tx, b) => void (await tx.query(INSERT, [b])),
  },
  {
    name: 'plain INSERT, no foreign keys, no indexes, no checks (≈ the table without constraints)',
    prepare: async (tx) => {
      await dropForeignKeys(tx);
      await tx.exec('ALTER TABLE observation DROP CONSTRAINT observation_pkey');
      const { rows } = await tx.query<{ name: string }>(
        `SELECT conname AS name FROM pg_constraint WHERE conrelid = 'observation'::regclass AND contype = 'c'`,
      );
      for (const r of rows) await tx.exec(`ALTER TABLE observation DROP CONSTRAINT ${r.name}`);
    },
    run: async (tx, b) => void (await tx.query(INSERT, [b])),
  },
];

/** Runs fn in a transaction that is always rolled back. */
async function rolledBack(db: Database, fn: (tx: Queryable) => Promise<number>): Promise<number> {
  let seconds = 0;
  await db
    .transaction(async (tx) => {
      seconds = await fn(tx);
      throw new RollbackSignal();
    })
    .catch((e) => {
      if (!(e instanceof RollbackSignal)) throw e;
    });
  return seconds;
}
class RollbackSignal extends Error {}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as AblationArgs;
  const work = mkdtempSync(join(tmpdir(), 'km-bench-ablation-'));
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  let db: Database | undefined;
  try {
    db =
      args.engine === 'server'
        ? await openDatabase({ databaseUrl: args.databaseUrl!, schema })
        : await openDatabase({ dataDir: join(work, 'data') });
    await migrate(db);
    await buildCity(db, work, { layer: 'block', areas: args.areas });
    const { rows: areaRows } = await db.query<{ id: number; code: string }>(
      `SELECT a.id, a.code FROM area a JOIN layer_version v ON v.id = a.layer_version_id JOIN layer l ON l.id = v.layer_id WHERE l.key = 'block' ORDER BY a.code`,
    );
    const byCode = new Map(areaRows.map((r) => [r.code, r.id]));
    const { rows: ind } = await db.query<{ id: number }>(`SELECT id FROM indicator WHERE key = 'einwohner'`);
    const periodIds: number[] = [];
    for (const raw of stichtage(args.periods)) {
      const p = parsePeriod(raw)!;
      const { rows } = await db.query<{ id: number }>(
        `INSERT INTO period (key, type, start_date, end_date) VALUES ($1, $2, $3, $4) RETURNING id`,
        [p.key, p.type, p.start, p.end],
      );
      periodIds.push(rows[0].id);
    }
    const { rows: batchRows } = await db.query<{ id: number }>(
      `INSERT INTO import_batch (kind, file_name) VALUES ('observations', 'ablation') RETURNING id`,
    );
    const batch = batchRows[0].id;
    // The staged lines as flush() writes them (member combination ids, line numbers); the ids are
    // synthetic (the staging table has no keys).
    const codes = [...byCode.keys()];
    const members = AGE_GROUPS.flatMap((_, i) => SEXES.map((__, j) => i * SEXES.length + j + 1));
    const chunks: string[] = [];
    let line = 1;
    let chunk: string[] = [];
    for (let p = 0; p < args.periods; p++) {
      for (let a = 0; a < codes.length; a++) {
        for (let c = 0; c < members.length; c++) {
          chunk.push(
            `${ind[0].id}\t${byCode.get(codes[a])}\t${periodIds[p]}\t${members[c]}\t${valueOf(a, p, c).number}\tfinal\t\\N\t\\N\t${++line}`,
          );
          if (chunk.length === 50_000) {
            chunks.push(chunk.join('\n') + '\n');
            chunk = [];
          }
        }
      }
    }
    if (chunk.length) chunks.push(chunk.join('\n') + '\n');
    const rows = line - 1;
    const stage = async (tx: Queryable) => {
      await tx.exec(
        `CREATE TEMP TABLE stage_obs (indicator_id int, area_id int, period_id int, members_id int, value float8, status text, reason text, base float8, line int) ON COMMIT DROP`,
      );
      const t0 = performance.now();
      for (const c of chunks) await tx.copyText('stage_obs', STAGE_COLUMNS, c);
      return (performance.now() - t0) / 1000;
    };
    const { rows: fks } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 'observation'::regclass AND contype = 'f'`,
    );
    const variants: AblationResult['variants'] = [];
    for (const v of VARIANTS) {
      const seconds = await rolledBack(db, async (tx) => {
        const copy = await stage(tx);
        if (v.name.startsWith('COPY')) return copy;
        await v.prepare?.(tx);
        const t0 = performance.now();
        await v.run(tx, batch);
        return (performance.now() - t0) / 1000;
      });
      // A rolled-back insert leaves dead tuples in the table and its indexes (PGlite has no
      // autovacuum): clean up so that every variant starts from the same empty table.
      await db.exec('VACUUM observation');
      variants.push({ name: v.name, seconds, rowsPerSecond: rows / seconds });
      process.stderr.write(`  ${v.name}: ${seconds.toFixed(2)} s\n`);
    }
    const result: AblationResult = { engine: args.engine, rows, foreignKeys: fks[0].n, variants };
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  } finally {
    if (db) {
      if (args.engine === 'server') await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await db.close();
    }
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
