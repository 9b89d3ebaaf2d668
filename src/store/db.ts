// One interface over the two engines: PGlite (embedded, in-process) and a PostgreSQL server (pg).
// Both speak the same SQL; the only engine-specific parts are connection, transactions and COPY.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirLock } from './lock.ts';
import type { ReadRouting, ReplicaOptions } from './replicas.ts';

export interface QueryResult<T> {
  rows: T[];
  affectedRows: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Bulk-loads rows in PostgreSQL COPY text format (tab-separated, \N for null, one row per line). */
  /**
   * COPY … FROM text (tab-separated, \\N for null), given as a string or as bytes (large inputs:
   * see CopyBuffer; one string of megabytes is garbage that only a full collection frees).
   */
  copyText(table: string, columns: string[], text: string | Uint8Array): Promise<void>;
  /** Embedded only: COPY … TO in text format, the whole table at once (export to a tenant). */
  copyOutText?(table: string, columns: string[]): Promise<Uint8Array>;
  /**
   * Tenant facades only: one statement without parameters in a single round trip — its BEGIN,
   * search path and COMMIT go in the same message, where `query` needs three. For the check that
   * every request makes (has anything changed?).
   */
  queryOnce?<T = Record<string, unknown>>(sql: string): Promise<QueryResult<T>>;
}

export interface Database extends Queryable {
  readonly kind: 'embedded' | 'server';
  /** Human-readable location without secrets. */
  readonly location: string;
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Embedded only: how many changes of data have been committed. Every change of data writes an
   * import batch (the rule the server's snapshot check relies on too), so a statement that writes
   * import_batch marks its transaction, and each such commit counts. The data directory is locked
   * to this process: an unchanged number means unchanged data.
   */
  readonly dataGeneration?: number;
  /**
   * Server with read replicas only: the backend the current read scope's reads go to
   * (store/replicas.ts). Caches of what was read are kept per backend.
   */
  readTarget?(): Promise<Queryable>;
  /** Server with read replicas only: the primary and the replicas' state. */
  readonly readRouting?: ReadRouting;
}

export interface OpenOptions {
  /** PostgreSQL connection string; when set, the server is used instead of the embedded engine. */
  databaseUrl?: string;
  /** Data directory for the embedded engine. */
  dataDir?: string;
  /** Schema to work in on a server (one schema per municipality, or per test). */
  schema?: string;
  /** Embedded only: a purely in-memory database (tests). */
  memory?: boolean;
  /** Who holds the data-directory lock (shown to a second process). */
  owner?: { kind: 'server' | 'cli'; url?: string };
  /**
   * Embedded only: shared buffers in MB (default 32). The engine zeroes them at every start, so a
   * command that reads a few rows starts about 0.1 s sooner with 8.
   */
  sharedBuffersMb?: number;
  /** Server only: hot standbys of databaseUrl; read scopes read from them (decision 0036). */
  replicaUrls?: string[];
  replicas?: ReplicaOptions;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl && options.replicaUrls?.length)
    return openReplicated(options.databaseUrl, options.replicaUrls, options);
  if (options.databaseUrl) return openServer(options.databaseUrl, options.schema);
  return openEmbedded(options);
}

async function openReplicated(url: string, replicaUrls: string[], options: OpenOptions): Promise<Database> {
  const { ReplicaMonitor, routeReads } = await import('./replicas.ts');
  const primary = await openServer(url, options.schema);
  const replicas: Database[] = [];
  try {
    for (const r of replicaUrls) replicas.push(await openServer(r, options.schema, { replica: true }));
  } catch (e) {
    for (const r of replicas) await r.close();
    await primary.close();
    throw e;
  }
  const monitor = new ReplicaMonitor(
    primary,
    replicas.map((db, i) => ({ name: `replica ${i + 1}`, db })),
    options.replicas,
  );
  await monitor.check();
  return routeReads(primary, replicas, monitor, { ownsReplicas: true });
}

/** A statement that writes an import batch: every change of data does (see dataGeneration). */
const WRITES_BATCH = /\binsert\s+into\s+import_batch\b/i;

/** Escapes one value for COPY text format. */
export function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

function quoteIdent(id: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(id)) throw new Error(`invalid SQL identifier: ${id}`);
  return id;
}

function copySql(table: string, columns: string[], source: string): string {
  return `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM ${source}`;
}

// ---------------------------------------------------------------------------------------------
// Embedded: PGlite persisted in the data directory.

/**
 * Settings of the embedded engine. PostgreSQL's default of 128 MB shared buffers lives in the
 * process's WebAssembly memory, which never shrinks: a large import filled it and kept the
 * process above 500 MB. 32 MB keeps a large import under that without slowing it (decision 0009).
 */
const SHARED_BUFFERS_MB = 32;

async function openEmbedded(options: OpenOptions): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  let lock: DataDirLock | undefined;
  let pg: InstanceType<typeof PGlite>;
  let location: string;
  if (options.memory) {
    pg = await PGlite.create();
    location = 'embedded (in memory)';
  } else {
    const dataDir = options.dataDir ?? './data';
    mkdirSync(dataDir, { recursive: true });
    lock = DataDirLock.acquire(dataDir, options.owner ?? { kind: 'cli' });
    try {
      pg = await PGlite.create(join(dataDir, 'pgdata'), {
        postgresqlconf: [`shared_buffers = ${options.sharedBuffersMb ?? SHARED_BUFFERS_MB}MB`],
      });
    } catch (e) {
      lock.release();
      throw e;
    }
    location = `embedded (${dataDir})`;
  }
  type PgTx = Parameters<Parameters<typeof pg.transaction>[0]>[0];
  let generation = 0;
  const wrap = (q: typeof pg | PgTx, changed: () => void): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []) {
      const r = await q.query<T>(sql, params);
      if (WRITES_BATCH.test(sql)) changed();
      return { rows: r.rows, affectedRows: r.affectedRows ?? 0 };
    },
    async exec(sql: string) {
      await q.exec(sql);
      if (WRITES_BATCH.test(sql)) changed();
    },
    async copyText(table: string, columns: string[], text: string | Uint8Array) {
      if (!text.length) return;
      await q.query(copySql(table, columns, `'/dev/blob'`), [], { blob: new Blob([text as BlobPart]) });
      if (table === 'import_batch') changed();
    },
    async copyOutText(table: string, columns: string[]) {
      const r = await q.query(`COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) TO '/dev/blob'`);
      return r.blob ? new Uint8Array(await r.blob.arrayBuffer()) : new Uint8Array();
    },
  });
  // Outside a transaction a change is visible at once.
  const base = wrap(pg, () => generation++);
  // PGlite runs one statement at a time; serialise transactions so that a concurrent request
  // waits instead of interleaving with an open transaction.
  let queue: Promise<unknown> = Promise.resolve();
  return {
    kind: 'embedded',
    location,
    ...base,
    get dataGeneration() {
      return generation;
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      let changes = false;
      const run = queue.then(() =>
        pg
          .transaction((tx) => fn(wrap(tx, () => (changes = true))))
          // Counted once committed; a rolled-back transaction changed nothing.
          .then((result) => {
            if (changes) generation++;
            return result;
          }),
      );
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      await queue;
      await pg.close();
      lock?.release();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Server: node-postgres pool.

type PgModule = typeof import('pg');
type PgClient = InstanceType<PgModule['default']['Client']>;
type PgPool = InstanceType<PgModule['default']['Pool']>;

/** The pg module with the type parsers that give the same shapes PGlite gives. */
async function loadPg(): Promise<PgModule> {
  const pgmod = await import('pg');
  // int8 (counts) as numbers, numeric as numbers, dates as ISO text: the same shapes PGlite gives.
  const types = pgmod.default.types;
  types.setTypeParser(20, (v: string) => Number(v));
  types.setTypeParser(1700, (v: string) => Number(v));
  types.setTypeParser(1082, (v: string) => v);
  return pgmod;
}

async function serverWrap(pgmod: PgModule): Promise<(c: PgClient | PgPool) => Queryable> {
  const { from: copyFrom } = await import('pg-copy-streams');
  const Pool = pgmod.default.Pool;
  return (c) => ({
    async query<T>(sql: string, params: unknown[] = []) {
      const r = await c.query(sql, params as unknown[]);
      return { rows: r.rows as T[], affectedRows: r.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
    async copyText(table: string, columns: string[], text: string | Uint8Array) {
      if (!text.length) return;
      if (!('release' in c) && c instanceof Pool) throw new Error('COPY needs a transaction');
      const stream = (c as PgClient).query(copyFrom(copySql(table, columns, 'STDIN')));
      await new Promise<void>((resolve, reject) => {
        stream.on('finish', resolve);
        stream.on('error', reject);
        stream.end(text);
      });
    },
  });
}

async function openServer(url: string, schema?: string, o: { replica?: boolean } = {}): Promise<Database> {
  const pgmod = await loadPg();
  const Pool = pgmod.default.Pool;
  if (schema) quoteIdent(schema);
  const pool = new Pool({
    connectionString: url,
    max: 8,
    options: schema ? `-c search_path=${schema}` : undefined,
    application_name: 'kommunalmonitor',
    // A replica that is down must be noticed in seconds, not after the operating system's timeout.
    ...(o.replica ? { connectionTimeoutMillis: 2000 } : {}),
  });
  // An idle connection that a stopped replica closes must not end the process.
  if (o.replica) pool.on('error', () => undefined);
  if (schema && !o.replica) {
    const c = await pool.connect();
    try {
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      c.release();
    }
  }
  const wrap = await serverWrap(pgmod);
  const base = wrap(pool);
  return {
    kind: 'server',
    location: `server (${redactUrl(url)}${schema ? `, schema ${schema}` : ''})`,
    ...base,
    async copyText(table, columns, text) {
      const c = await pool.connect();
      try {
        await wrap(c).copyText(table, columns, text);
      } finally {
        c.release();
      }
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        const result = await fn(wrap(c));
        await c.query('COMMIT');
        return result;
      } catch (e) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        c.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Server with many schemas (tenants): one pool, the schema chosen per transaction.

/** Names of schemas this code creates and enters: a strict pattern, so that a name can go into SQL. */
export const SCHEMA_NAME = /^[a-z][a-z0-9_]{0,62}$/;

export interface ServerPool {
  /** Human-readable location without secrets. */
  readonly location: string;
  /**
   * A Database whose every statement sees only `schema`: each transaction starts with
   * SET LOCAL search_path, and a statement outside a transaction runs in a short one of its own,
   * so no pooled connection ever keeps a tenant's search path (decision 0035).
   * close() of the facade ends the pool only with ownsPool (a CLI command working on one tenant).
   */
  scoped(schema: string, o?: { label?: string; ownsPool?: boolean }): Database;
  /** A client of the pool for work that needs one connection throughout (export: COPY TO). */
  connect(): Promise<PgClient & { release(err?: Error | boolean): void }>;
  close(): Promise<void>;
}

export async function openServerPool(url: string, o: { max?: number; replica?: boolean } = {}): Promise<ServerPool> {
  const pgmod = await loadPg();
  const pool = new pgmod.default.Pool({
    connectionString: url,
    max: o.max ?? 8,
    application_name: 'kommunalmonitor',
    ...(o.replica ? { connectionTimeoutMillis: 2000 } : {}),
  });
  // An idle connection that a stopped replica closes must not end the process.
  if (o.replica) pool.on('error', () => undefined);
  const wrap = await serverWrap(pgmod);
  const location = `server (${redactUrl(url)})`;
  let ended = false;
  const end = async () => {
    if (ended) return;
    ended = true;
    await pool.end();
  };
  return {
    location,
    connect: () => pool.connect(),
    close: end,
    scoped(schema, so = {}) {
      if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
      const enter = `BEGIN; SET LOCAL search_path TO ${schema}`;
      const transaction = async <T>(fn: (tx: Queryable) => Promise<T>): Promise<T> => {
        const c = await pool.connect();
        let broken: Error | undefined;
        try {
          await c.query(enter);
          const result = await fn(wrap(c));
          await c.query('COMMIT');
          return result;
        } catch (e) {
          // A connection whose ROLLBACK fails is in an unknown state: it leaves the pool.
          await c.query('ROLLBACK').catch((re: Error) => (broken = re));
          throw e;
        } finally {
          c.release(broken);
        }
      };
      return {
        kind: 'server',
        location: `server (${redactUrl(url)}, ${so.label ? `${so.label}, ` : ''}schema ${schema})`,
        query: (sql, params) => transaction((tx) => tx.query(sql, params)),
        async queryOnce<T>(sql: string) {
          const c = await pool.connect();
          let broken: Error | undefined;
          try {
            // Statements: BEGIN, SET LOCAL, the one asked for, COMMIT.
            const results = (await c.query(`${enter}; ${sql}; COMMIT`)) as unknown as {
              rows: T[];
              rowCount: number | null;
            }[];
            return { rows: results[2].rows, affectedRows: results[2].rowCount ?? 0 };
          } catch (e) {
            await c.query('ROLLBACK').catch((re: Error) => (broken = re));
            throw e;
          } finally {
            c.release(broken);
          }
        },
        exec: (sql) => transaction((tx) => tx.exec(sql)),
        copyText: (table, columns, text) =>
          text.length ? transaction((tx) => tx.copyText(table, columns, text)) : Promise.resolve(),
        transaction,
        async close() {
          if (so.ownsPool) await end();
        },
      };
    },
  };
}

/** Removes the password from a connection string so it can be shown or logged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}
