// Versioned SQL migrations, applied in order on start. An existing database is upgraded in
// place: each migration runs once, in its own transaction, recorded in schema_migrations.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './db.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(join(dir, f), 'utf8') }));
}

/** Applies pending migrations; returns the versions applied. */
export async function migrate(db: Database, migrations = loadMigrations()): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  // Nearly every start finds nothing to do: one query tells, instead of a transaction per migration.
  const { rows: present } = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
  const have = new Set(present.map((r) => r.version));
  if (migrations.every((m) => have.has(m.version))) return [];
  const applied: number[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      // Serialises concurrent starts of several server processes on one database.
      await tx.query('SELECT pg_advisory_xact_lock(4711)');
      const { rows } = await tx.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM schema_migrations WHERE version = $1',
        [m.version],
      );
      if (rows[0].n > 0) return false;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}
