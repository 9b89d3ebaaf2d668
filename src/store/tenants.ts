// Many municipalities in one installation (decision 0035): the tenant directory in the shared
// schema km_shared, each tenant's data in its own schema t_<key> on one PostgreSQL server, reached
// through facades over one pool that set the search path per transaction. Also the per-tenant
// migrations and the complete export, import and removal of one tenant.
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { openServerPool, SCHEMA_NAME, type Database, type ServerPool } from './db.ts';
import { loadMigrations, migrate, type Migration } from './migrate.ts';
import { ReplicaMonitor, routeReads, type ReplicaOptions } from './replicas.ts';
import { Conflict, NotFound, InputRejected } from '../core/problems.ts';
import { coded, englishText, type Coded } from '../contracts/codes/index.ts';

/** The shared schema: the tenant directory (later provider administrators and the comparison store). */
const SHARED_SCHEMA = 'km_shared';
/** Advisory lock of the shared schema's set-up (4711 is the migrations', 4712 and 4713 the stores'). */
const SETUP_LOCK = 4714;
const SHARED_MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'shared-migrations');

/** Tenant keys: lower-case letters and digits, single hyphens inside; usable as a host name label. */
export const TENANT_KEY = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const TENANT_KEY_MAX = 40;
/** AGS (8 digits) or ARS (12 digits). */
const OFFICIAL_KEY = /^([0-9]{8}|[0-9]{12})$/;

/**
 * Tables not exported: sessions and sign-ins in progress belong to a running installation, not
 * to the tenant's data (users sign in again after an import). They do not count for the
 * fingerprint either, so that a sign-in does not make an export stale.
 */
const NOT_EXPORTED = new Set([
  'schema_migrations',
  'user_session',
  'oidc_pending',
  'read_fence',
  'login_attempt',
  'forum_rate_counter',
]);

export interface Tenant {
  key: string;
  name: string;
  officialKey: string | null;
  schema: string;
  status: 'creating' | 'active' | 'suspended';
  schemaVersion: number;
  migrationError: string | null;
  createdAt: string;
  lastExportAt: string | null;
  lastExportFile: string | null;
}

export function checkTenantKey(key: string): string {
  if (!TENANT_KEY.test(key) || key.length > TENANT_KEY_MAX) {
    throw new InputRejected(
      [{ severity: 'error', code: 'bad-tenant-key', reason: `"${key}" is not a tenant key` }],
      `"${key}" is not a tenant key: lower-case letters and digits, single hyphens inside, at most ${TENANT_KEY_MAX} characters (e.g. musterstadt or bad-vilbel).`,
    );
  }
  return key;
}

/** The schema of a tenant: t_ and the key with hyphens as underscores (keys have no underscores, so no two keys share a schema). */
export function tenantSchema(key: string): string {
  const s = `t_${checkTenantKey(key).replace(/-/g, '_')}`;
  if (!SCHEMA_NAME.test(s)) throw new Error(`invalid schema name: ${s}`);
  return s;
}

/** The newest migration this code knows: a tenant is served only when its schema has exactly this version. */
function currentSchemaVersion(migrations: Migration[] = loadMigrations()): number {
  return migrations.reduce((m, x) => Math.max(m, x.version), 0);
}

const TENANT_COLUMNS = `key, name, official_key AS "officialKey", schema_name AS schema, status, schema_version AS "schemaVersion",
  migration_error AS "migrationError", created_at::text AS "createdAt", last_export_at::text AS "lastExportAt", last_export_file AS "lastExportFile"`;

/** The installation's tenants: the directory and the pool their facades share. */
export class Tenants {
  readonly shared: Database;
  /** With read replicas (decision 0036): a pool per replica and their shared state. */
  private replicas?: { pools: ServerPool[]; monitor: ReplicaMonitor };
  private constructor(
    readonly pool: ServerPool,
    private readonly migrations: Migration[],
  ) {
    this.shared = pool.scoped(SHARED_SCHEMA, { label: 'tenant directory' });
  }

  /** Opens the pool and brings the shared schema up to date. */
  static async open(
    databaseUrl: string,
    o: { max?: number; migrations?: Migration[]; replicaUrls?: string[]; replicas?: ReplicaOptions } = {},
  ): Promise<Tenants> {
    // Two connections at least: one holds the set-up lock while the migrations use another.
    const pool = await openServerPool(databaseUrl, { max: Math.max(2, o.max ?? 8) });
    const replicaPools: ServerPool[] = [];
    try {
      const t = new Tenants(pool, o.migrations ?? loadMigrations());
      if (o.replicaUrls?.length) {
        for (const url of o.replicaUrls)
          replicaPools.push(await openServerPool(url, { max: Math.max(2, o.max ?? 8), replica: true }));
        // The monitor asks for WAL positions only: any schema will do.
        const monitor = new ReplicaMonitor(
          pool.scoped('pg_catalog'),
          replicaPools.map((p, i) => ({ name: `replica ${i + 1}`, db: p.scoped('pg_catalog') })),
          o.replicas,
        );
        t.replicas = { pools: replicaPools, monitor };
      }
      // Several processes may start at once (servers, CLI commands): CREATE SCHEMA IF NOT EXISTS
      // and CREATE TABLE IF NOT EXISTS race each other, so the set-up runs under one lock.
      const c = await pool.connect();
      try {
        await c.query('SELECT pg_advisory_lock($1)', [SETUP_LOCK]);
        try {
          await c.query(`CREATE SCHEMA IF NOT EXISTS ${SHARED_SCHEMA}`);
          await migrate(t.shared, loadMigrations(SHARED_MIGRATIONS_DIR));
        } finally {
          await c.query('SELECT pg_advisory_unlock($1)', [SETUP_LOCK]);
        }
      } finally {
        c.release();
      }
      await t.replicas?.monitor.check();
      return t;
    } catch (e) {
      for (const p of replicaPools) await p.close();
      await pool.close();
      throw e;
    }
  }

  /** How many read replicas the tenants' reads are spread over (0: the primary only). */
  get replicaCount(): number {
    return this.replicas?.pools.length ?? 0;
  }

  get schemaVersion(): number {
    return currentSchemaVersion(this.migrations);
  }

  async list(): Promise<Tenant[]> {
    return (await this.shared.query<Tenant>(`SELECT ${TENANT_COLUMNS} FROM tenant ORDER BY key`)).rows;
  }

  async get(key: string): Promise<Tenant | undefined> {
    return (await this.shared.query<Tenant>(`SELECT ${TENANT_COLUMNS} FROM tenant WHERE key = $1`, [key])).rows[0];
  }

  async require(key: string): Promise<Tenant> {
    const t = await this.get(checkTenantKey(key));
    if (!t) throw new NotFound(coded('tenant-not-found', { tenant: key }));
    return t;
  }

  /** A facade on the tenant's schema; close() of it leaves the pool open unless ownsPool. */
  database(t: Pick<Tenant, 'key' | 'schema'>, o: { ownsPool?: boolean } = {}): Database {
    const primary = this.pool.scoped(t.schema, { label: `tenant ${t.key}`, ownsPool: o.ownsPool });
    if (!this.replicas) return primary;
    const replicas = this.replicas.pools.map((p) => p.scoped(t.schema, { label: `tenant ${t.key}` }));
    return routeReads(primary, replicas, this.replicas.monitor, {
      onClose: o.ownsPool ? () => this.closeReplicas() : undefined,
    });
  }

  private async closeReplicas(): Promise<void> {
    for (const p of this.replicas?.pools ?? []) await p.close();
  }

  /**
   * Creates a tenant: its directory entry, its schema, every migration; `fill` (the demo city)
   * runs before the tenant turns active. A failure leaves nothing behind.
   */
  async add(
    input: { key: string; name: string; officialKey?: string },
    fill?: (db: Database) => Promise<void>,
  ): Promise<Tenant> {
    const key = checkTenantKey(input.key);
    const schema = tenantSchema(key);
    const name = input.name.trim();
    if (!name || name.length > 200)
      throw new InputRejected(
        [{ severity: 'error', code: 'bad-tenant-name', reason: 'the name must have 1 to 200 characters' }],
        'The tenant name must have 1 to 200 characters.',
      );
    if (input.officialKey !== undefined && !OFFICIAL_KEY.test(input.officialKey)) {
      throw new InputRejected(
        [
          {
            severity: 'error',
            code: 'bad-official-key',
            reason: `"${input.officialKey}" is neither an AGS (8 digits) nor an ARS (12 digits)`,
          },
        ],
        `"${input.officialKey}" is neither an AGS (8 digits) nor an ARS (12 digits).`,
      );
    }
    await this.insertCreating(key, name, input.officialKey ?? null, schema);
    try {
      await this.createSchema(schema);
      const db = this.database({ key, schema });
      await migrate(db, this.migrations);
      if (fill) await fill(db);
      await this.recordVersion(key, db);
      await this.shared.query(`UPDATE tenant SET status = 'active' WHERE key = $1`, [key]);
    } catch (e) {
      await this.abandon(schema, key);
      throw e;
    }
    return (await this.get(key))!;
  }

  private async insertCreating(key: string, name: string, officialKey: string | null, schema: string): Promise<void> {
    const { affectedRows } = await this.shared.query(
      `INSERT INTO tenant (key, name, official_key, schema_name, status) VALUES ($1, $2, $3, $4, 'creating') ON CONFLICT DO NOTHING`,
      [key, name, officialKey, schema],
    );
    if (!affectedRows) throw new Conflict(coded('tenant-exists', { tenant: key }));
    const exists = await this.shared.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rows.length) {
      await this.shared.query('DELETE FROM tenant WHERE key = $1', [key]);
      throw new Conflict(coded('tenant-schema-exists', { schema }));
    }
  }

  private async createSchema(schema: string): Promise<void> {
    if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
    await this.shared.exec(`CREATE SCHEMA ${schema}`);
  }

  private async dropSchema(schema: string): Promise<void> {
    if (!SCHEMA_NAME.test(schema) || !schema.startsWith('t_')) throw new Error(`invalid schema name: ${schema}`);
    await this.shared.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }

  /** Writes the tenant's schema version (its newest applied migration) into the directory. */
  private async recordVersion(key: string, db: Database, error: string | null = null): Promise<number> {
    const { rows } = await db.query<{ v: number | null }>('SELECT max(version)::int AS v FROM schema_migrations');
    const v = rows[0]?.v ?? 0;
    await this.shared.query(
      'UPDATE tenant SET schema_version = $2, migration_error = $3, migrated_at = now() WHERE key = $1',
      [key, v, error],
    );
    return v;
  }

  /** Applies pending migrations to one tenant, recording the outcome (also a failure) in the directory. */
  async migrateTenant(t: Pick<Tenant, 'key' | 'schema'>): Promise<number[]> {
    const db = this.database(t);
    try {
      const applied = await migrate(db, this.migrations);
      await this.recordVersion(t.key, db);
      return applied;
    } catch (e) {
      const message = (e as Error).message ?? String(e);
      await this.recordVersion(t.key, db, message).catch(() =>
        this.shared.query('UPDATE tenant SET migration_error = $2, migrated_at = now() WHERE key = $1', [
          t.key,
          message,
        ]),
      );
      throw e;
    }
  }

  /**
   * Migrates every tenant, one after the other; each migration is its own transaction, so a run
   * that stops resumes where it stopped. A failing tenant is reported and the others go on.
   */
  async migrateAll(
    o: { log?: (m: string) => void; keys?: string[] } = {},
  ): Promise<{ key: string; applied: number[]; error?: string }[]> {
    const report: { key: string; applied: number[]; error?: string }[] = [];
    const all = await this.list();
    for (const key of o.keys ?? [])
      if (!all.some((t) => t.key === key)) throw new NotFound(coded('tenant-not-found', { tenant: key }));
    for (const t of all) {
      if (t.status === 'creating' || (o.keys && !o.keys.includes(t.key))) continue;
      try {
        const applied = await this.migrateTenant(t);
        report.push({ key: t.key, applied });
        if (applied.length) o.log?.(`tenant ${t.key}: migrations applied: ${applied.join(', ')}`);
      } catch (e) {
        report.push({ key: t.key, applied: [], error: (e as Error).message });
        o.log?.(`tenant ${t.key}: migration failed: ${(e as Error).message}`);
      }
    }
    return report;
  }

  /** Why a tenant is not served now, or undefined when it is. */
  /** A tenant whose set-up failed leaves nothing behind: neither its schema nor its entry. */
  private async abandon(schema: string, key: string): Promise<void> {
    await this.dropSchema(schema).catch(() => undefined);
    await this.shared.query('DELETE FROM tenant WHERE key = $1', [key]).catch(() => undefined);
  }

  unavailable(t: Tenant): string | undefined {
    const why = this.unavailability(t);
    return why && englishText(why);
  }

  /** Why a tenant cannot be served now, as a code; undefined when it can. */
  unavailability(t: Tenant): Coded | undefined {
    const tenant = t.key;
    if (t.status === 'creating') return coded('tenant-being-set-up', { tenant });
    if (t.status === 'suspended') return coded('tenant-suspended', { tenant });
    if (t.migrationError) return coded('tenant-migration-failed', { tenant, version: this.schemaVersion });
    if (t.schemaVersion < this.schemaVersion)
      return coded('tenant-migrating', { tenant, version: this.schemaVersion, now: t.schemaVersion });
    if (t.schemaVersion > this.schemaVersion)
      return coded('tenant-schema-newer', { tenant, version: t.schemaVersion, own: this.schemaVersion });
    return undefined;
  }

  async setStatus(key: string, status: 'active' | 'suspended'): Promise<void> {
    const t = await this.require(key);
    await this.shared.query('UPDATE tenant SET status = $2 WHERE key = $1', [t.key, status]);
  }

  // -------------------------------------------------------------------------------------------
  // Export, import, removal.

  /**
   * Writes a complete, restorable dump of one tenant (format in docs/tenants.md): a header line
   * (JSON), then per table a JSON line naming table, columns and row count followed by the rows
   * in COPY text format, then an end line. Gzip-compressed when the file name ends in .gz.
   * Read in one REPEATABLE READ transaction: one consistent state, whose fingerprint the
   * directory records (removal compares it).
   */
  async export(key: string, file: string): Promise<{ tables: number; rows: number; fingerprint: string }> {
    const t = await this.require(key);
    const { to: copyTo } = await import('pg-copy-streams');
    const c = await this.pool.connect();
    let broken: Error | undefined;
    let result: { tables: number; rows: number; fingerprint: string };
    try {
      await c.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL search_path TO ${t.schema}`);
      const { tables, rows, fingerprint } = await writeDump(
        c,
        t.schema,
        file,
        { key: t.key, name: t.name, officialKey: t.officialKey },
        (table, columns) =>
          c.query(copyTo(`COPY ${ident(table)} (${columns.map(ident).join(', ')}) TO STDOUT`)) as AsyncIterable<Buffer>,
      );
      await c.query('COMMIT');
      result = { tables, rows, fingerprint };
    } catch (e) {
      await c.query('ROLLBACK').catch((re: Error) => (broken = re));
      throw e;
    } finally {
      c.release(broken);
    }
    await this.shared.query(
      'UPDATE tenant SET last_export_at = now(), last_export_file = $2, last_export_fingerprint = $3 WHERE key = $1',
      [t.key, file, result.fingerprint],
    );
    return result;
  }

  /**
   * Restores an export as a new tenant (its own key, or `newKey`): the schema is migrated to the
   * export's version, the rows are loaded in one transaction (user triggers off: the derived
   * tables come from the file as they were), the sequences set, then the newer migrations run.
   */
  async import(file: string, o: { key?: string; name?: string } = {}): Promise<Tenant> {
    const lines = createInterface({
      input:
        file.endsWith('.gz') || (await isGzip(file))
          ? createReadStream(file).pipe(createGunzip())
          : createReadStream(file),
      crlfDelay: Infinity,
    });
    const it = lines[Symbol.asyncIterator]();
    const next = async (): Promise<string | undefined> => {
      const r = await it.next();
      return r.done ? undefined : r.value;
    };
    const bad = (why: string) =>
      new InputRejected(
        [{ severity: 'error', code: 'bad-tenant-export', reason: why }],
        `${file} is not a complete tenant export: ${why}.`,
      );
    let header: {
      kommunalmonitorTenantExport?: number;
      tenant: { key: string; name: string; officialKey: string | null };
      schemaVersion: number;
      migrations: number[];
      tables: string[];
      sequences: Record<string, [number, boolean]>;
    };
    try {
      header = JSON.parse((await next()) ?? '');
    } catch {
      lines.close();
      throw bad('the first line is not its header');
    }
    if (header.kommunalmonitorTenantExport !== 1) {
      lines.close();
      throw bad('the header does not name the format kommunalmonitorTenantExport 1');
    }
    const known = this.migrations.filter((m) => m.version <= header.schemaVersion).map((m) => m.version);
    if (header.schemaVersion > this.schemaVersion || known.join(',') !== header.migrations.join(',')) {
      lines.close();
      throw new Conflict(
        coded('tenant-export-too-new', {
          version: header.schemaVersion,
          migrations: header.migrations.join(', '),
          own: this.schemaVersion,
        }),
      );
    }
    let key: string;
    let schema: string;
    try {
      key = checkTenantKey(o.key ?? header.tenant.key);
      schema = tenantSchema(key);
      await this.insertCreating(key, o.name ?? header.tenant.name, header.tenant.officialKey, schema);
    } catch (e) {
      lines.close();
      throw e;
    }
    try {
      await this.createSchema(schema);
      const db = this.database({ key, schema });
      await migrate(
        db,
        this.migrations.filter((m) => m.version <= header.schemaVersion),
      );
      const { from: copyFrom } = await import('pg-copy-streams');
      const c = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await c.query(`BEGIN; SET LOCAL search_path TO ${schema}`);
        const tables = (await exportedTables(c, schema)).map((x) => x.name);
        for (const name of tables) await c.query(`ALTER TABLE ${ident(name)} DISABLE TRIGGER USER`);
        // Rows the migrations seeded (vocabularies) come from the file as they were exported.
        // The tables not exported (sessions) are empty here, and are named because they reference others.
        const all = (
          await c.query<{ t: string }>(
            `SELECT relname AS t FROM pg_class WHERE relnamespace = $1::regnamespace AND relkind = 'r' AND relname <> 'schema_migrations'`,
            [schema],
          )
        ).rows.map((r) => r.t);
        if (all.length) await c.query(`TRUNCATE ${all.map(ident).join(', ')}`);
        let seen = 0;
        for (;;) {
          const line = await next();
          if (line === undefined) throw bad('it ends before its end line');
          const meta = JSON.parse(line) as { table?: string; columns?: string[]; rows?: number; end?: boolean };
          if (meta.end) {
            if (seen !== header.tables.length)
              throw bad(`its end line comes after ${seen} of ${header.tables.length} tables`);
            break;
          }
          if (
            !meta.table ||
            !tables.includes(meta.table) ||
            !Array.isArray(meta.columns) ||
            typeof meta.rows !== 'number'
          )
            throw bad(`a table line names no table of this schema version (${line.slice(0, 80)})`);
          seen++;
          if (meta.rows === 0) continue;
          const stream = c.query(
            copyFrom(`COPY ${ident(meta.table)} (${meta.columns.map(ident).join(', ')}) FROM STDIN`),
          );
          const finished = new Promise<void>((resolve, reject) => {
            stream.on('finish', resolve);
            stream.on('error', reject);
          });
          try {
            for (let i = 0; i < meta.rows; i++) {
              const row = await next();
              if (row === undefined) throw bad(`table ${meta.table} ends after ${i} of ${meta.rows} rows`);
              if (!stream.write(row + '\n')) await once(stream, 'drain');
            }
          } catch (e) {
            // A file cut inside a table: abort the COPY (CopyFail), or the ROLLBACK below would
            // wait behind it for ever.
            stream.destroy(e as Error);
            await finished.catch(() => undefined);
            throw e;
          }
          stream.end();
          await finished;
        }
        for (const [seq, [value, called]] of Object.entries(header.sequences)) {
          await c.query('SELECT setval($1::regclass, $2, $3)', [`${schema}.${ident(seq)}`, value, called]);
        }
        for (const name of tables) await c.query(`ALTER TABLE ${ident(name)} ENABLE TRIGGER USER`);
        await c.query('COMMIT');
      } catch (e) {
        await c.query('ROLLBACK').catch((re: Error) => (broken = re));
        throw e;
      } finally {
        c.release(broken);
      }
      await migrate(db, this.migrations);
      await this.recordVersion(key, db);
      await this.shared.query(`UPDATE tenant SET status = 'active' WHERE key = $1`, [key]);
    } catch (e) {
      await this.abandon(schema, key);
      throw e;
    } finally {
      lines.close();
    }
    return (await this.get(key))!;
  }

  /** The fingerprint of the tenant's current state (what an export records). */
  async fingerprint(key: string): Promise<string> {
    const t = await this.require(key);
    return this.database(t).transaction(async (tx) => {
      const c = { query: <R>(sql: string, p?: unknown[]) => tx.query<R>(sql, p) };
      return fingerprintOf(
        c,
        (await exportedTables(c, t.schema)).map((x) => x.name),
      );
    });
  }

  /** Drops a tenant's schema and directory entry; refuses unless an export of its current state is recorded. */
  async remove(key: string): Promise<{ exportFile: string }> {
    const t = await this.require(key);
    const row = (
      await this.shared.query<{ f: string | null; file: string | null }>(
        'SELECT last_export_fingerprint AS f, last_export_file AS file FROM tenant WHERE key = $1',
        [t.key],
      )
    ).rows[0];
    if (!row.f || !row.file) throw new Conflict(coded('tenant-never-exported', { tenant: t.key }));
    const now = await this.fingerprint(t.key);
    if (now !== row.f) throw new Conflict(coded('tenant-changed-since-export', { tenant: t.key, file: row.file }));
    await this.dropSchema(t.schema);
    // Its place in the comparison between municipalities goes with it (decision 0037).
    await this.shared.transaction(async (tx) => {
      for (const table of ['comparison_value', 'comparison_mapping', 'comparison_participation'])
        await tx.query(`DELETE FROM ${ident(table)} WHERE tenant = $1`, [t.key]);
      await tx.query('DELETE FROM tenant WHERE key = $1', [t.key]);
    });
    return { exportFile: row.file };
  }

  async close(): Promise<void> {
    await this.closeReplicas();
    await this.pool.close();
  }
}

/**
 * Writes the export file of one schema (format in docs/tenants.md) from a connection inside one
 * read transaction; `copyOut` gives a table's rows in COPY text format.
 */
async function writeDump(
  c: Q,
  schema: string,
  file: string,
  tenant: { key: string; name: string; officialKey: string | null },
  copyOut: (table: string, columns: string[]) => AsyncIterable<Uint8Array | string>,
): Promise<{ tables: number; rows: number; fingerprint: string }> {
  const tables = await exportedTables(c, schema);
  const sequences: Record<string, [number, boolean]> = {};
  for (const s of (
    await c.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'S' ORDER BY 1`,
      [schema],
    )
  ).rows) {
    const r = await c.query<{ last_value: number; is_called: boolean }>(
      `SELECT last_value, is_called FROM ${ident(s.name)}`,
    );
    sequences[s.name] = [Number(r.rows[0].last_value), r.rows[0].is_called];
  }
  const migrations = (
    await c.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')
  ).rows.map((r) => r.version);
  const fingerprint = await fingerprintOf(
    c,
    tables.map((x) => x.name),
  );
  const out = createWriteStream(file);
  const gz = file.endsWith('.gz') ? createGzip() : undefined;
  const sink: Writable = gz ?? out;
  const done = gz ? pipeline(gz, out) : once(out, 'finish');
  const write = async (s: string | Uint8Array) => {
    if (!sink.write(s)) await once(sink, 'drain');
  };
  const header = {
    kommunalmonitorTenantExport: 1,
    tenant,
    schemaVersion: Math.max(0, ...migrations),
    migrations,
    exportedAt: new Date().toISOString(),
    tables: tables.map((x) => x.name),
    sequences,
    fingerprint,
  };
  await write(JSON.stringify(header) + '\n');
  let rows = 0;
  for (const table of tables) {
    const n = Number(
      (await c.query<{ n: number }>(`SELECT count(*)::bigint AS n FROM ${ident(table.name)}`)).rows[0].n,
    );
    await write(JSON.stringify({ table: table.name, columns: table.columns, rows: n }) + '\n');
    if (n > 0) for await (const chunk of copyOut(table.name, table.columns)) await write(chunk);
    rows += n;
  }
  await write(JSON.stringify({ end: true, tables: tables.length, rows }) + '\n');
  sink.end();
  await done;
  return { tables: tables.length, rows, fingerprint };
}

/**
 * Writes the export file of an embedded database (one municipality in a data directory), so that
 * `tenants import` on a server makes it a tenant. The embedded engine gives each table's COPY
 * output at once, so a table must fit in memory (as the embedded engine's data does).
 */
export async function exportEmbedded(
  db: Database,
  file: string,
  tenant: { key: string; name: string; officialKey?: string },
): Promise<{ tables: number; rows: number; fingerprint: string }> {
  if (db.kind !== 'embedded')
    throw new Error('exportEmbedded reads the embedded engine; a server tenant is exported with tenants export');
  checkTenantKey(tenant.key);
  return db.transaction(async (tx) => {
    if (!tx.copyOutText) throw new Error('this engine cannot write COPY output');
    const copyOut = tx.copyOutText.bind(tx);
    return writeDump(
      tx,
      'public',
      file,
      { key: tenant.key, name: tenant.name, officialKey: tenant.officialKey ?? null },
      async function* (table, columns) {
        yield await copyOut(table, columns);
      },
    );
  });
}

function ident(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid SQL identifier: ${name}`);
  return name;
}

async function isGzip(file: string): Promise<boolean> {
  if (!existsSync(file)) return false;
  const s = createReadStream(file, { start: 0, end: 1 });
  for await (const chunk of s) return (chunk as Buffer)[0] === 0x1f && (chunk as Buffer)[1] === 0x8b;
  return false;
}

interface Q {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * The schema's tables with their stored columns (generated columns cannot be loaded), ordered so
 * that every table comes after the tables its foreign keys name (self-references are checked at
 * the end of each COPY, so they need no order).
 */
async function exportedTables(c: Q, schema: string): Promise<{ name: string; columns: string[] }[]> {
  const cols = (
    await c.query<{ t: string; cols: string[] }>(
      `SELECT c.relname AS t, array_agg(a.attname::text ORDER BY a.attnum) AS cols
         FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        GROUP BY c.relname ORDER BY c.relname`,
      [schema],
    )
  ).rows.filter((r) => !NOT_EXPORTED.has(r.t));
  const deps = (
    await c.query<{ a: string; b: string }>(
      `SELECT ca.relname AS a, cb.relname AS b FROM pg_constraint k
         JOIN pg_class ca ON ca.oid = k.conrelid JOIN pg_class cb ON cb.oid = k.confrelid
        WHERE k.contype = 'f' AND k.connamespace = $1::regnamespace`,
      [schema],
    )
  ).rows;
  const needs = new Map<string, Set<string>>(cols.map((r) => [r.t, new Set<string>()]));
  for (const d of deps) if (d.a !== d.b && needs.has(d.a) && needs.has(d.b)) needs.get(d.a)!.add(d.b);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < cols.length) {
    const ready = [...needs.keys()].filter((t) => !placed.has(t) && [...needs.get(t)!].every((d) => placed.has(d)));
    if (!ready.length)
      throw new Error(`foreign keys form a cycle among ${[...needs.keys()].filter((t) => !placed.has(t)).join(', ')}`);
    for (const t of ready) {
      placed.add(t);
      ordered.push(t);
    }
  }
  const byName = new Map(cols.map((r) => [r.t, r.cols]));
  return ordered.map((name) => ({ name, columns: byName.get(name)! }));
}

/**
 * An order-independent fingerprint of the tables' contents: per table the row count and the sum
 * of 60 bits of each row's MD5, so that the same rows in another physical order give the same
 * value. Not a security measure, a check that nothing changed since an export.
 */
async function fingerprintOf(c: Q, tables: string[]): Promise<string> {
  const parts: string[] = [];
  for (const t of tables) {
    const r = await c.query<{ n: number; h: string }>(
      `SELECT count(*)::bigint AS n, coalesce(sum(('x' || substr(md5(r::text), 1, 15))::bit(60)::bigint::numeric), 0)::text AS h FROM ${ident(t)} r`,
    );
    parts.push(`${t}:${r.rows[0].n}:${r.rows[0].h}`);
  }
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}
