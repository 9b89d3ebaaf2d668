// The comparison store in the shared schema (shared migration 003, decision 0037): standard
// indicators, tenants' mappings and opt-ins, published values. Every function takes a handle on
// the shared schema (Tenants.shared), never a tenant's facade.
import type { Queryable } from './db.ts';
import type { ComparisonLevel, PublishedStatus, StandardIndicator } from '../contracts/answers/index.ts';

const STANDARD_COLUMNS = `key, name_de AS "nameDe", name_en AS "nameEn", unit, type, definition, basis, polarity, decimals`;

export async function upsertStandards(q: Queryable, list: StandardIndicator[]): Promise<void> {
  for (const s of list) {
    await q.query(
      `INSERT INTO comparison_standard (key, name_de, name_en, unit, type, definition, basis, polarity, decimals)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (key) DO UPDATE SET name_de = EXCLUDED.name_de, name_en = EXCLUDED.name_en, unit = EXCLUDED.unit, type = EXCLUDED.type,
         definition = EXCLUDED.definition, basis = EXCLUDED.basis, polarity = EXCLUDED.polarity, decimals = EXCLUDED.decimals, updated_at = now()`,
      [s.key, s.nameDe, s.nameEn, s.unit, s.type, s.definition, s.basis, s.polarity, s.decimals],
    );
  }
}

export async function loadStandards(q: Queryable): Promise<StandardIndicator[]> {
  return (await q.query<StandardIndicator>(`SELECT ${STANDARD_COLUMNS} FROM comparison_standard ORDER BY key`)).rows;
}

/** How many municipalities have published values of each standard. */
export async function publishedCounts(q: Queryable): Promise<Map<string, number>> {
  const { rows } = await q.query<{ standard: string; n: number }>(
    `SELECT standard, count(DISTINCT tenant)::int AS n FROM comparison_value WHERE level = 'territory' GROUP BY standard`,
  );
  return new Map(rows.map((r) => [r.standard, r.n]));
}

export interface MappingRow {
  standard: string;
  indicator: string;
}

export async function loadMappings(q: Queryable, tenant: string): Promise<MappingRow[]> {
  return (
    await q.query<MappingRow>(
      'SELECT standard, indicator FROM comparison_mapping WHERE tenant = $1 ORDER BY standard',
      [tenant],
    )
  ).rows;
}

export async function saveMapping(q: Queryable, tenant: string, standard: string, indicator: string): Promise<void> {
  await q.query(
    `INSERT INTO comparison_mapping (tenant, standard, indicator) VALUES ($1, $2, $3)
     ON CONFLICT (tenant, standard) DO UPDATE SET indicator = EXCLUDED.indicator, mapped_at = now()`,
    [tenant, standard, indicator],
  );
}

export async function deleteMapping(q: Queryable, tenant: string, standard: string): Promise<number> {
  return (await q.query('DELETE FROM comparison_mapping WHERE tenant = $1 AND standard = $2', [tenant, standard]))
    .affectedRows;
}

export interface ParticipationRow {
  tenant: string;
  districtsLayer: string | null;
  territoryLayer: string | null;
  optedInAt: string;
  lastPublishedAt: string | null;
}

const PARTICIPATION_COLUMNS = `tenant, districts_layer AS "districtsLayer", territory_layer AS "territoryLayer", opted_in_at::text AS "optedInAt", last_published_at::text AS "lastPublishedAt"`;

export async function loadParticipation(q: Queryable, tenant: string): Promise<ParticipationRow | undefined> {
  return (
    await q.query<ParticipationRow>(`SELECT ${PARTICIPATION_COLUMNS} FROM comparison_participation WHERE tenant = $1`, [
      tenant,
    ])
  ).rows[0];
}

export async function saveParticipation(
  q: Queryable,
  tenant: string,
  territoryLayer: string,
  districtsLayer: string | null,
): Promise<void> {
  await q.query(
    `INSERT INTO comparison_participation (tenant, territory_layer, districts_layer) VALUES ($1, $2, $3)
     ON CONFLICT (tenant) DO UPDATE SET territory_layer = EXCLUDED.territory_layer, districts_layer = EXCLUDED.districts_layer, opted_in_at = now()`,
    [tenant, territoryLayer, districtsLayer],
  );
}

export async function deleteParticipation(q: Queryable, tenant: string): Promise<void> {
  await q.query('DELETE FROM comparison_participation WHERE tenant = $1', [tenant]);
}

export async function markPublished(q: Queryable, tenant: string, at: string): Promise<void> {
  await q.query('UPDATE comparison_participation SET last_published_at = $2 WHERE tenant = $1', [tenant, at]);
}

export interface ValueRow {
  tenant: string;
  standard: string;
  level: ComparisonLevel;
  areaCode: string;
  areaName: string;
  referenceDate: string;
  period: string;
  value: number | null;
  status: PublishedStatus;
  source: string | null;
}

export async function deleteValues(q: Queryable, tenant: string): Promise<number> {
  return (await q.query('DELETE FROM comparison_value WHERE tenant = $1', [tenant])).affectedRows;
}

/** Inserts values in chunks (parameterised unnest: one statement per 2,000 rows). */
export async function insertValues(q: Queryable, rows: ValueRow[], publishedAt: string): Promise<void> {
  for (let i = 0; i < rows.length; i += 2000) {
    const part = rows.slice(i, i + 2000);
    const col = <K extends keyof ValueRow>(k: K) => part.map((r) => r[k]);
    await q.query(
      `INSERT INTO comparison_value (tenant, standard, level, area_code, area_name, reference_date, period, value, status, source, published_at)
       SELECT t, s, l, c, n, d::date, p, v, st, src, $11::timestamptz
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::float8[], $9::text[], $10::text[]) AS x(t, s, l, c, n, d, p, v, st, src)`,
      [
        col('tenant'),
        col('standard'),
        col('level'),
        col('areaCode'),
        col('areaName'),
        col('referenceDate'),
        col('period'),
        col('value'),
        col('status'),
        col('source'),
        publishedAt,
      ],
    );
  }
}

const VALUE_COLUMNS = `tenant, standard, level, area_code AS "areaCode", area_name AS "areaName", reference_date::text AS "referenceDate", period, value, status, source`;

/** Published values of the given standards (all tenants, or the given ones), at one level. */
export async function loadValues(
  q: Queryable,
  o: { standards: string[]; level: ComparisonLevel; tenants?: string[]; referenceDate?: string },
): Promise<ValueRow[]> {
  const { rows } = await q.query<ValueRow>(
    `SELECT ${VALUE_COLUMNS} FROM comparison_value
      WHERE standard = ANY($1::text[]) AND level = $2 AND ($3::text[] IS NULL OR tenant = ANY($3::text[])) AND ($4::date IS NULL OR reference_date = $4::date)
      ORDER BY tenant, standard, area_code, reference_date`,
    [o.standards, o.level, o.tenants ?? null, o.referenceDate ?? null],
  );
  return rows;
}

export interface MunicipalityRow {
  key: string;
  name: string;
  officialKey: string | null;
  standards: string[];
  districtsLayer: string | null;
  publishedAt: string | null;
}

/** The municipalities with published values: the directory's name and official key, what they published. */
export async function loadMunicipalities(q: Queryable): Promise<MunicipalityRow[]> {
  const { rows } = await q.query<MunicipalityRow>(
    `SELECT v.tenant AS key, coalesce(t.name, v.tenant) AS name, t.official_key AS "officialKey", v.standards,
            p.districts_layer AS "districtsLayer", p.last_published_at::text AS "publishedAt"
       FROM (SELECT tenant, array_agg(DISTINCT standard ORDER BY standard) AS standards FROM comparison_value GROUP BY tenant) v
       LEFT JOIN tenant t ON t.key = v.tenant
       LEFT JOIN comparison_participation p ON p.tenant = v.tenant
      ORDER BY coalesce(t.name, v.tenant), v.tenant`,
  );
  return rows;
}

/** The rest of the transaction reads one snapshot of the data (first statement of a transaction only). */
export async function repeatableRead(tx: Queryable): Promise<void> {
  await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
}
