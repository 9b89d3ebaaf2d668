// Facility sets and their facilities (points with category, capacity and the area codes they lie in).
import type { Queryable } from './db.ts';

export interface FacilitySetRow {
  id: number;
  key: string;
  name: string;
  owner: string | null;
  period_key: string | null;
  file_name: string | null;
  updated_at: string | Date;
}

export async function loadFacilitySets(db: Queryable): Promise<FacilitySetRow[]> {
  const { rows } = await db.query<FacilitySetRow>(
    'SELECT id, key, name, owner, period_key, file_name, updated_at FROM facility_set ORDER BY name, key',
  );
  return rows;
}

/** Id and owner of the facility set with this key, if it exists. */
export async function facilitySetByKey(
  tx: Queryable,
  key: string,
): Promise<{ id: number; owner: string | null } | undefined> {
  const { rows } = await tx.query<{ id: number; owner: string | null }>(
    'SELECT id, owner FROM facility_set WHERE key = $1',
    [key],
  );
  return rows[0];
}

/** Inserts or updates a facility set; its id. */
export async function upsertFacilitySet(
  tx: Queryable,
  f: {
    key: string;
    name: string;
    owner: string | null;
    periodKey: string;
    fileName: string;
    options: unknown;
    batch: number;
  },
): Promise<number> {
  const { rows: setRow } = await tx.query<{ id: number }>(
    `INSERT INTO facility_set (key, name, owner, period_key, file_name, options, import_batch_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, period_key = EXCLUDED.period_key, file_name = EXCLUDED.file_name, options = EXCLUDED.options,
         import_batch_id = EXCLUDED.import_batch_id, updated_at = now() RETURNING id`,
    [f.key, f.name, f.owner, f.periodKey, f.fileName, JSON.stringify(f.options), f.batch],
  );
  return setRow[0].id;
}

/** Removes the facilities of a set; how many there were. */
export async function deleteFacilities(tx: Queryable, setId: number): Promise<number> {
  const removed = await tx.query('DELETE FROM facility WHERE facility_set_id = $1', [setId]);
  return removed.affectedRows;
}

/** The columns of a COPY text row into facility (copyFacilities). */
const FACILITY_COLUMNS = [
  'facility_set_id',
  'name',
  'category',
  'category_key',
  'capacity',
  'x',
  'y',
  'codes',
  'attributes',
  'line',
];

/** COPY text rows (FACILITY_COLUMNS) into facility. */
export async function copyFacilities(tx: Queryable, text: string): Promise<void> {
  await tx.copyText('facility', FACILITY_COLUMNS, text);
}

export interface FacilityCategoryStatsRow {
  set_id: number;
  category_key: string | null;
  category: string | null;
  n: number;
  with_capacity: number;
  capacity: number | null;
}

/** Per set and category: how many facilities, how many with a capacity, their total capacity. */
export async function facilityCategoryStats(tx: Queryable, setIds: number[]): Promise<FacilityCategoryStatsRow[]> {
  const { rows: stats } = await tx.query<FacilityCategoryStatsRow>(
    `SELECT facility_set_id AS set_id, category_key, min(category) AS category, count(*)::int AS n, count(capacity)::int AS with_capacity, sum(capacity)::float8 AS capacity
         FROM facility WHERE facility_set_id = ANY($1::int[]) GROUP BY facility_set_id, category_key ORDER BY facility_set_id, category_key`,
    [setIds],
  );
  return stats;
}

/** The layers the facilities of each set have area codes on. */
export async function facilityLayers(tx: Queryable, setIds: number[]): Promise<{ set_id: number; layer: string }[]> {
  const { rows: layerRows } = await tx.query<{ set_id: number; layer: string }>(
    `SELECT DISTINCT f.facility_set_id AS set_id, k.layer FROM facility f, jsonb_object_keys(f.codes) AS k(layer) WHERE f.facility_set_id = ANY($1::int[]) ORDER BY 1, 2`,
    [setIds],
  );
  return layerRows;
}

/** The category keys of the facilities of the sets, sorted. */
export async function facilityCategoryKeys(tx: Queryable, setIds: number[]): Promise<string[]> {
  const { rows } = await tx.query<{ k: string }>(
    'SELECT DISTINCT category_key AS k FROM facility WHERE facility_set_id = ANY($1::int[]) AND category_key IS NOT NULL ORDER BY 1',
    [setIds],
  );
  return rows.map((x) => x.k);
}

/** How many areas of any version of the layer have this code. */
export async function areaCodeCount(tx: Queryable, layer: string, code: string | undefined): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM area a JOIN layer_version v ON v.id = a.layer_version_id JOIN layer l ON l.id = v.layer_id WHERE l.key = $1 AND a.code = $2',
    [layer, code],
  );
  return rows[0].n;
}

export interface FacilityRow {
  id: number;
  set_key: string;
  name: string | null;
  category: string | null;
  category_key: string | null;
  capacity: number | null;
  x: number;
  y: number;
  codes: Record<string, string>;
  attributes: Record<string, string | number | null>;
}

/** The facilities of the sets, filtered by category, the area (code on a layer) and a bounding box (null: no filter). */
export async function selectFacilities(
  tx: Queryable,
  f: {
    setIds: number[];
    category: string | null;
    layer: string | null;
    area: string | null;
    bbox: [number, number, number, number] | null;
  },
): Promise<FacilityRow[]> {
  const box = f.bbox;
  const { rows } = await tx.query<FacilityRow>(
    `SELECT f.id, s.key AS set_key, f.name, f.category, f.category_key, f.capacity, f.x, f.y, f.codes, f.attributes
         FROM facility f JOIN facility_set s ON s.id = f.facility_set_id
        WHERE f.facility_set_id = ANY($1::int[])
          AND ($2::text IS NULL OR f.category_key = $2::text)
          AND ($3::text IS NULL OR f.codes ->> $3::text = $4::text)
          AND ($5::float8 IS NULL OR (f.x BETWEEN $5::float8 AND $7::float8 AND f.y BETWEEN $6::float8 AND $8::float8))
        ORDER BY s.name, s.key, f.name NULLS LAST, f.id`,
    [f.setIds, f.category, f.layer, f.area, box?.[0] ?? null, box?.[1] ?? null, box?.[2] ?? null, box?.[3] ?? null],
  );
  return rows;
}
