// Indicators the platform computes itself (index scores and classes, typologies): their catalogue
// row and their values, replaced as a whole for one period with the old values kept in history.
import type { Queryable } from './db.ts';

export interface DerivedIndicatorRow {
  key: string;
  name: string;
  description: string | null;
  unit: string;
  owner: string | null;
  confidentiality: string;
  methodology: string;
  themes: string[];
  decimals: number;
  departments: string[];
  lineage: unknown;
}

/** The lineage of an existing indicator (null when it has none), or undefined when there is no such indicator. */
export async function indicatorLineage<T>(tx: Queryable, key: string): Promise<T | null | undefined> {
  const { rows } = await tx.query<{ lineage: T | null }>('SELECT lineage FROM indicator WHERE key = $1', [key]);
  return rows.length ? rows[0].lineage : undefined;
}

/** Creates or updates a derived indicator (type value, source "Kommunalmonitor (berechnet)"); its id. */
export async function upsertDerivedIndicator(tx: Queryable, d: DerivedIndicatorRow): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO indicator (key, name, description, unit, type, scale, polarity, source, owner, confidentiality, methodology, themes, decimals, departments, lineage)
     VALUES ($1, $2, $3, $4, 'value', 1, 'neutral', 'Kommunalmonitor (berechnet)', $5, $6, $7, $8::text[], $9, $10::text[], $11)
     ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, unit = EXCLUDED.unit, owner = EXCLUDED.owner,
       confidentiality = EXCLUDED.confidentiality, methodology = EXCLUDED.methodology, departments = EXCLUDED.departments, lineage = EXCLUDED.lineage, updated_at = now()
     RETURNING id`,
    [
      d.key,
      d.name,
      d.description,
      d.unit,
      d.owner,
      d.confidentiality,
      d.methodology,
      d.themes,
      d.decimals,
      d.departments,
      JSON.stringify(d.lineage),
    ],
  );
  return rows[0].id;
}

export interface DerivedValue {
  indicatorId: number;
  areaId: number;
  value: number | null;
  /** Why there is no value (null when there is one). */
  reason: string | null;
  /** The base of a stored ratio (coarser areas weight by it); null or absent otherwise. */
  base?: number | null;
}

/**
 * Replaces every value of the indicators for the period (without breakdown members) by `values`
 * in the batch: the old values move to observation_history first. A value is final, a missing
 * one is "missing" with its reason.
 */
export async function replaceDerivedValues(
  tx: Queryable,
  indicatorIds: number[],
  periodId: number,
  batch: number,
  values: DerivedValue[],
): Promise<void> {
  await tx.query(
    `INSERT INTO observation_history (indicator_id, period_id, area_id, members_id, value, status, reason, base, import_batch_id, valid_until, replaced_by_batch_id)
     SELECT indicator_id, period_id, area_id, members_id, value, status, reason, base, import_batch_id, now(), $3 FROM observation WHERE indicator_id = ANY($1::int[]) AND period_id = $2`,
    [indicatorIds, periodId, batch],
  );
  await tx.query('DELETE FROM observation WHERE indicator_id = ANY($1::int[]) AND period_id = $2', [
    indicatorIds,
    periodId,
  ]);
  await tx.query(
    `INSERT INTO observation (indicator_id, period_id, area_id, members_id, value, status, reason, base, import_batch_id)
     SELECT i, $2, a, 0, v, CASE WHEN v IS NULL THEN 'missing' ELSE 'final' END, r, b, $3 FROM unnest($1::int[], $4::int[], $5::float8[], $6::text[], $7::float8[]) AS t(i, a, v, r, b)`,
    [
      values.map((v) => v.indicatorId),
      periodId,
      batch,
      values.map((v) => v.areaId),
      values.map((v) => v.value),
      values.map((v) => v.reason),
      values.map((v) => v.base ?? null),
    ],
  );
}
