// Stored index definitions: one row per version of a definition.
import type { Queryable } from './db.ts';

/** The latest version of the definition and whether it equals `definition` (jsonb equality ignores key order). */
export async function latestIndexVersion(
  tx: Queryable,
  key: string,
  definition: unknown,
): Promise<{ version: number; same: boolean } | undefined> {
  const { rows } = await tx.query<{ version: number; same: boolean }>(
    'SELECT version, definition = $2::jsonb AS same FROM index_definition WHERE key = $1 ORDER BY version DESC LIMIT 1',
    [key, JSON.stringify(definition)],
  );
  return rows[0];
}

export async function insertIndexDefinition(
  tx: Queryable,
  key: string,
  version: number,
  definition: unknown,
  createdBy: string,
): Promise<void> {
  await tx.query('INSERT INTO index_definition (key, version, definition, created_by) VALUES ($1, $2, $3, $4)', [
    key,
    version,
    JSON.stringify(definition),
    createdBy,
  ]);
}

export interface StoredIndexRow<D> {
  version: number;
  definition: D;
  createdBy: string;
  createdAt: string;
}

/** The latest stored version of an index definition, or undefined. */
export async function latestIndexDefinition<D>(db: Queryable, key: string): Promise<StoredIndexRow<D> | undefined> {
  const { rows } = await db.query<StoredIndexRow<D>>(
    `SELECT version, definition, created_by AS "createdBy", created_at::text AS "createdAt" FROM index_definition WHERE key = $1 ORDER BY version DESC LIMIT 1`,
    [key],
  );
  return rows[0];
}
