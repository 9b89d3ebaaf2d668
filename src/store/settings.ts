// Installation settings: one JSON value per key (the cockpit, the demo city's parameters, the
// department that keeps the spatial structure, the one-time setup token).
import type { Queryable } from './db.ts';

/** The value of a setting, or undefined when it is not set. */
export async function readSetting<T>(db: Queryable, key: string): Promise<T | undefined> {
  const { rows } = await db.query<{ value: T }>('SELECT value FROM setting WHERE key = $1', [key]);
  return rows[0]?.value;
}

export async function writeSetting(db: Queryable, key: string, value: unknown): Promise<void> {
  await db.query(
    'INSERT INTO setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value',
    [key, JSON.stringify(value)],
  );
}

export async function deleteSetting(db: Queryable, key: string): Promise<void> {
  await db.query('DELETE FROM setting WHERE key = $1', [key]);
}
