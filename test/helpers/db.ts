// Test databases on the real engines: PGlite always, a PostgreSQL server when TEST_DATABASE_URL
// is set. With KOMMUNALMONITOR_REQUIRE_COMPONENTS=1 (CI) a missing server is a failure, not a skip.
import { randomBytes } from 'node:crypto';
import { openDatabase, openServerPool, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';

export const REQUIRE_COMPONENTS = process.env.KOMMUNALMONITOR_REQUIRE_COMPONENTS === '1';

export interface Engine {
  name: 'pglite' | 'postgres';
  /** Why the engine is unavailable (the test is skipped, or fails under CI). */
  missing?: string;
  open(): Promise<Database>;
}

/**
 * KOMMUNALMONITOR_TEST_TENANT_FACADE=1 runs the [postgres] suites on a tenant facade (one pool,
 * the schema set per transaction, as tenants are served) instead of a pool whose connections are
 * set to the schema: every store and service test then checks that no code relies on state of a
 * connection between transactions (decision 0035).
 */
async function openTestDatabase(schema: string): Promise<Database> {
  if (process.env.KOMMUNALMONITOR_TEST_TENANT_FACADE !== '1')
    return openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL!, schema });
  const pool = await openServerPool(process.env.TEST_DATABASE_URL!);
  const c = await pool.connect();
  try {
    await c.query(`CREATE SCHEMA ${schema}`);
  } finally {
    c.release();
  }
  return pool.scoped(schema, { label: 'test tenant', ownsPool: true });
}

async function openServerSchema(): Promise<Database> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const db = await openTestDatabase(schema);
  await migrate(db);
  const close = db.close.bind(db);
  return Object.assign(db, {
    async close() {
      await db.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
      await close();
    },
  });
}

export const engines: Engine[] = [
  {
    name: 'pglite',
    async open() {
      const db = await openDatabase({ memory: true });
      await migrate(db);
      return db;
    },
  },
  {
    name: 'postgres',
    missing: process.env.TEST_DATABASE_URL ? undefined : 'needs a PostgreSQL server: set TEST_DATABASE_URL (CI does)',
    open: openServerSchema,
  },
];

/**
 * Options for describe(): skip with the missing component named, or, under CI, run and fail.
 */
export function engineGate(e: Engine): { skip?: string } {
  if (!e.missing) return {};
  return REQUIRE_COMPONENTS ? {} : { skip: e.missing };
}

/** Opens the engine's database, failing with the component's name when it is missing under CI. */
export async function openEngine(e: Engine): Promise<Database> {
  if (e.missing) throw new Error(`Missing component: ${e.missing}`);
  return e.open();
}

/** Path of the shared real Berlin data, or undefined when absent. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
export const BERLIN = resolve('../shared/data/berlin');
export function berlinGate(): { skip?: string } {
  if (existsSync(BERLIN)) return {};
  return REQUIRE_COMPONENTS ? {} : { skip: `needs the shared Berlin data at ${BERLIN}` };
}
