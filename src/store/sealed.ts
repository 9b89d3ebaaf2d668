// Stored definitions of the sealed pipeline (versioned like index definitions) and the catalogue
// entries its counts need (dimension members that may be missing). Queries only; no record here.
import type { Queryable } from './db.ts';

export interface StoredSealedDefinition {
  key: string;
  version: number;
  definition: unknown;
  createdBy: string;
  createdAt: string;
}

/** Stores a definition as a new version unless it equals the latest one (jsonb equality: key order does not matter). */
export async function storeSealedDefinition(
  tx: Queryable,
  key: string,
  definition: unknown,
  by: string,
): Promise<{ version: number; newVersion: boolean }> {
  // Serialises two runs storing the same key at once.
  await tx.query('SELECT pg_advisory_xact_lock(4713)');
  const { rows } = await tx.query<{ version: number; same: boolean }>(
    'SELECT version, definition = $2::jsonb AS same FROM sealed_definition WHERE key = $1 ORDER BY version DESC LIMIT 1',
    [key, JSON.stringify(definition)],
  );
  if (rows.length && rows[0].same) return { version: rows[0].version, newVersion: false };
  const version = (rows[0]?.version ?? 0) + 1;
  await tx.query('INSERT INTO sealed_definition (key, version, definition, created_by) VALUES ($1, $2, $3, $4)', [
    key,
    version,
    JSON.stringify(definition),
    by,
  ]);
  return { version, newVersion: true };
}

/** The latest (or the given) version of a stored definition; null if there is none. */
export async function loadSealedDefinition(
  db: Queryable,
  key: string,
  version?: number,
): Promise<StoredSealedDefinition | null> {
  const { rows } = await db.query<StoredSealedDefinition>(
    `SELECT key, version, definition, created_by AS "createdBy", to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt"
       FROM sealed_definition WHERE key = $1 AND ($2::int IS NULL OR version = $2) ORDER BY version DESC LIMIT 1`,
    [key, version ?? null],
  );
  return rows[0] ?? null;
}

/** The versions of every stored definition, newest first per key. */
export async function listSealedDefinitions(
  db: Queryable,
): Promise<{ key: string; version: number; createdBy: string; createdAt: string }[]> {
  const { rows } = await db.query<{ key: string; version: number; createdBy: string; createdAt: string }>(
    `SELECT key, version, created_by AS "createdBy", to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt"
       FROM sealed_definition ORDER BY key, version DESC`,
  );
  return rows;
}

/**
 * Makes sure a dimension and its members exist. Existing names and orders are kept (a dimension
 * such as altersgruppe may be shared with other indicators); new members get the given order.
 */
export async function ensureDimensionMembers(
  tx: Queryable,
  dimension: string,
  name: string,
  members: { key: string; name: string }[],
): Promise<void> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO dimension (key, name) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id`,
    [dimension, name],
  );
  const { rows: top } = await tx.query<{ n: number }>(
    'SELECT COALESCE(max(sort), -1)::int AS n FROM dimension_member WHERE dimension_id = $1',
    [rows[0].id],
  );
  await tx.query(
    `INSERT INTO dimension_member (dimension_id, key, name, sort)
     SELECT $1, m.key, m.name, $4 + m.n FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS m(key, name, n)
     ON CONFLICT (dimension_id, key) DO NOTHING`,
    [rows[0].id, members.map((m) => m.key), members.map((m) => m.name), top[0].n],
  );
}

/** The indicator's owner, type, dimensions and whether it has observations (null: no such indicator). */
export async function indicatorState(
  tx: Queryable,
  key: string,
): Promise<{
  owner: string | null;
  type: string;
  dimensions: string[];
  observations: boolean;
  lineage: { kind?: string; definition?: string } | null;
} | null> {
  const { rows } = await tx.query<{
    owner: string | null;
    type: string;
    dimensions: string[];
    observations: boolean;
    lineage: { kind?: string; definition?: string } | null;
  }>(
    `SELECT i.owner, i.type, i.dimensions, i.lineage, EXISTS (SELECT 1 FROM observation o WHERE o.indicator_id = i.id) AS observations FROM indicator i WHERE i.key = $1`,
    [key],
  );
  return rows[0] ?? null;
}
