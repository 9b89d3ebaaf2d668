// Writing the spatial structure: layers, boundary versions and their areas. An import stages its
// areas in a temporary table, then removes, updates and inserts against one boundary version.
import type { Queryable } from './db.ts';
import { copyField } from './db.ts';
import { readSetting } from './settings.ts';
import type { AreaGeometry } from '../core/geo/types.ts';

/** The setting spatial_owner (the department that keeps the spatial structure), if set. */
export async function spatialOwnerSetting(tx: Queryable): Promise<string | undefined> {
  const v = await readSetting<unknown>(tx, 'spatial_owner');
  return v === undefined || v === null ? undefined : String(v);
}

export async function insertLayer(
  tx: Queryable,
  l: { key: string; name: string; kind: 'overlay' | 'hierarchical'; parentLayerId: number | null },
): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO layer (key, name, kind, parent_layer_id) VALUES ($1, $2, $3, $4) RETURNING id`,
    [l.key, l.name, l.kind, l.parentLayerId],
  );
  return rows[0].id;
}

export async function renameLayer(tx: Queryable, layerId: number, name: string): Promise<void> {
  await tx.query('UPDATE layer SET name = $2 WHERE id = $1', [layerId, name]);
}

export async function insertLayerVersion(
  tx: Queryable,
  v: { layerId: number; validFrom: string | null; sourceCrs: string; batch: number },
): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO layer_version (layer_id, valid_from, source_crs, import_batch_id) VALUES ($1, $2, $3, $4) RETURNING id`,
    [v.layerId, v.validFrom, v.sourceCrs, v.batch],
  );
  return rows[0].id;
}

export interface StagedArea {
  code: string;
  name: string;
  parentId: number | null;
  geometry: AreaGeometry | null;
  bbox: [number, number, number, number] | null;
  properties: Record<string, unknown>;
}

/** Stages the areas of a file in the temporary table stage_area (dropped at commit). */
export async function stageAreas(tx: Queryable, areas: StagedArea[]): Promise<void> {
  await tx.exec(
    `CREATE TEMP TABLE stage_area (code text, name text, parent_id int, geometry jsonb, min_x float8, min_y float8, max_x float8, max_y float8, properties jsonb) ON COMMIT DROP`,
  );
  const lines = areas.map((a) =>
    [a.code, a.name, a.parentId, a.geometry, a.bbox?.[0], a.bbox?.[1], a.bbox?.[2], a.bbox?.[3], a.properties]
      .map(copyField)
      .join('\t'),
  );
  await tx.copyText(
    'stage_area',
    ['code', 'name', 'parent_id', 'geometry', 'min_x', 'min_y', 'max_x', 'max_y', 'properties'],
    lines.join('\n') + '\n',
  );
}

/** Areas of the version that are not staged, with what hangs on them (observations, child areas). */
export async function unstagedAreas(
  tx: Queryable,
  versionId: number,
): Promise<{ code: string; observations: number; children: number }[]> {
  const { rows } = await tx.query<{ code: string; observations: number; children: number }>(
    // One pass over observation for all of them (it has no index by area, see migration 007).
    `WITH gone AS (SELECT a.id, a.code FROM area a WHERE a.layer_version_id = $1 AND NOT EXISTS (SELECT 1 FROM stage_area s WHERE s.code = a.code)),
          used AS (SELECT o.area_id, count(*)::int AS n FROM observation o WHERE o.area_id IN (SELECT id FROM gone) GROUP BY o.area_id)
     SELECT g.code, COALESCE(u.n, 0) AS observations,
            (SELECT count(*)::int FROM area c WHERE c.parent_id = g.id) AS children
       FROM gone g LEFT JOIN used u ON u.area_id = g.id`,
    [versionId],
  );
  return rows;
}

/** Removes areas of a version (and their closure rows). */
export async function deleteAreas(tx: Queryable, versionId: number, codes: string[]): Promise<void> {
  await tx.query(
    `DELETE FROM area_ancestor WHERE area_id IN (SELECT id FROM area WHERE layer_version_id = $1 AND code = ANY($2::text[])) OR ancestor_id IN (SELECT id FROM area WHERE layer_version_id = $1 AND code = ANY($2::text[]))`,
    [versionId, codes],
  );
  await tx.query(`DELETE FROM area WHERE layer_version_id = $1 AND code = ANY($2::text[])`, [versionId, codes]);
}

/** Updates changed areas of the version from stage_area and inserts new ones; how many of each. */
export async function mergeStagedAreas(
  tx: Queryable,
  versionId: number,
): Promise<{ updated: number; inserted: number }> {
  const upd = await tx.query(
    `UPDATE area a SET name = s.name, parent_id = s.parent_id, geometry = s.geometry, min_x = s.min_x, min_y = s.min_y, max_x = s.max_x, max_y = s.max_y, properties = s.properties
       FROM stage_area s
      WHERE a.layer_version_id = $1 AND a.code = s.code
        AND (a.name, a.parent_id, a.geometry, a.properties) IS DISTINCT FROM (s.name, s.parent_id, s.geometry, s.properties)`,
    [versionId],
  );
  const ins = await tx.query(
    `INSERT INTO area (layer_version_id, code, name, parent_id, geometry, min_x, min_y, max_x, max_y, properties)
     SELECT $1, s.code, s.name, s.parent_id, s.geometry, s.min_x, s.min_y, s.max_x, s.max_y, s.properties FROM stage_area s
      WHERE NOT EXISTS (SELECT 1 FROM area a WHERE a.layer_version_id = $1 AND a.code = s.code)`,
    [versionId],
  );
  return { updated: upd.affectedRows, inserted: ins.affectedRows };
}

/** Fresh planner statistics after the areas changed. */
export async function analyzeAreas(tx: Queryable): Promise<void> {
  await tx.exec('ANALYZE area; ANALYZE area_ancestor');
}

/** The areas of one boundary version with their geometry. */
export async function areaGeometries(
  tx: Queryable,
  versionId: number,
): Promise<{ id: number; code: string; geometry: AreaGeometry | null }[]> {
  const { rows } = await tx.query<{ id: number; code: string; geometry: AreaGeometry | null }>(
    'SELECT id, code, geometry FROM area WHERE layer_version_id = $1',
    [versionId],
  );
  return rows;
}
