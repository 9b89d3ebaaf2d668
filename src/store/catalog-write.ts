// Writing the catalogue: indicators, dimensions and their members.
import type { Queryable } from './db.ts';
import type { IndicatorDefinition } from '../core/indicators.ts';

/** Observations stored per indicator, for the given keys (indicators without any are absent). */
export async function observationCounts(tx: Queryable, keys: string[]): Promise<{ key: string; n: number }[]> {
  const { rows } = await tx.query<{ key: string; n: number }>(
    `SELECT i.key, count(o.*)::int AS n FROM indicator i JOIN observation o ON o.indicator_id = i.id WHERE i.key = ANY($1::text[]) GROUP BY i.key`,
    [keys],
  );
  return rows;
}

/** Ids of indicators by key (unknown keys are absent). */
export async function indicatorIds(tx: Queryable, keys: string[]): Promise<Map<string, number>> {
  const { rows } = await tx.query<{ id: number; key: string }>(
    'SELECT id, key FROM indicator WHERE key = ANY($1::text[])',
    [keys],
  );
  return new Map(rows.map((r) => [r.key, r.id]));
}

/**
 * Creates a dimension, or finds it; `rename` also sets the name of an existing one (a catalogue
 * that declares it), otherwise an existing name is kept. Its id.
 */
export async function upsertDimension(tx: Queryable, key: string, name: string, rename: boolean): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    rename
      ? `INSERT INTO dimension (key, name) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name RETURNING id`
      : `INSERT INTO dimension (key, name) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id`,
    [key, name],
  );
  return rows[0].id;
}

/** Creates or renames a member of a dimension, at a place in its order. */
export async function upsertDimensionMember(
  tx: Queryable,
  dimensionId: number,
  key: string,
  name: string,
  sort: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO dimension_member (dimension_id, key, name, sort) VALUES ($1, $2, $3, $4)
     ON CONFLICT (dimension_id, key) DO UPDATE SET name = EXCLUDED.name, sort = EXCLUDED.sort`,
    [dimensionId, key, name, sort],
  );
}

/** The member keys of a dimension. */
export async function dimensionMemberKeys(tx: Queryable, dimensionId: number): Promise<Set<string>> {
  const { rows } = await tx.query<{ key: string }>('SELECT key FROM dimension_member WHERE dimension_id = $1', [
    dimensionId,
  ]);
  return new Set(rows.map((r) => r.key));
}

/** Creates or updates an indicator from its definition; what happened. */
export async function upsertIndicator(
  tx: Queryable,
  ind: IndicatorDefinition,
): Promise<'inserted' | 'updated' | 'unchanged'> {
  const values = [
    ind.key,
    ind.name,
    ind.description ?? null,
    ind.unit,
    ind.type,
    ind.dimensions ?? [],
    ind.numerator ? JSON.stringify(ind.numerator) : null,
    ind.denominator ? JSON.stringify(ind.denominator) : null,
    ind.scale ?? 1,
    ind.polarity ?? 'neutral',
    ind.source ?? null,
    ind.owner ?? null,
    ind.confidentiality ?? 'internal',
    ind.periodicity ?? null,
    ind.minBase ?? null,
    ind.methodology ?? null,
    ind.themes ?? [],
    ind.decimals ?? null,
    ind.draft ?? false,
    ind.departments ?? [],
    ind.disclosure ? JSON.stringify(ind.disclosure) : null,
  ];
  const cols =
    'name, description, unit, type, dimensions, numerator, denominator, scale, polarity, source, owner, confidentiality, periodicity, min_base, methodology, themes, decimals, draft, departments, disclosure';
  const params =
    '$2, $3, $4, $5, $6::text[], $7::jsonb, $8::jsonb, $9, $10, $11, $12, $13, $14, $15, $16, $17::text[], $18, $19, $20::text[], $21::jsonb';
  const upd = await tx.query(
    `UPDATE indicator SET (${cols}, updated_at) = (${params}, now())
      WHERE key = $1 AND (${cols}) IS DISTINCT FROM (${params})`,
    values,
  );
  if (upd.affectedRows) return 'updated';
  const ins = await tx.query(
    `INSERT INTO indicator (key, ${cols}) VALUES ($1, ${params}) ON CONFLICT (key) DO NOTHING`,
    values,
  );
  return ins.affectedRows ? 'inserted' : 'unchanged';
}

/** Owner and draft flag of an indicator, or undefined. */
export async function indicatorOwnerAndDraft(
  tx: Queryable,
  key: string,
): Promise<{ owner: string | null; draft: boolean } | undefined> {
  const { rows } = await tx.query<{ owner: string | null; draft: boolean }>(
    'SELECT owner, draft FROM indicator WHERE key = $1',
    [key],
  );
  return rows[0];
}

export async function clearDraft(tx: Queryable, key: string): Promise<void> {
  await tx.query('UPDATE indicator SET draft = false, updated_at = now() WHERE key = $1', [key]);
}

/** Sets the lineage of the given indicators. */
export async function setIndicatorLineage(tx: Queryable, keys: string[], lineage: unknown): Promise<void> {
  await tx.query('UPDATE indicator SET lineage = $2::jsonb, updated_at = now() WHERE key = ANY($1::text[])', [
    keys,
    JSON.stringify(lineage),
  ]);
}

/** Inserts a count indicator of a facility set, or updates its source and methodology. */
export async function upsertFacilityIndicator(
  tx: Queryable,
  i: {
    key: string;
    name: string;
    description: string;
    unit: string;
    dimensions: string[];
    source: string;
    owner: string | null;
    confidentiality: string;
    methodology: string;
    themes: string[];
  },
): Promise<void> {
  await tx.query(
    `INSERT INTO indicator (key, name, description, unit, type, dimensions, source, owner, confidentiality, periodicity, methodology, themes, decimals)
         VALUES ($1, $2, $3, $4, 'count', $5, $6, $7, $8, NULL, $9, $10, 0)
         ON CONFLICT (key) DO UPDATE SET source = EXCLUDED.source, methodology = EXCLUDED.methodology, updated_at = now()`,
    [i.key, i.name, i.description, i.unit, i.dimensions, i.source, i.owner, i.confidentiality, i.methodology, i.themes],
  );
}
