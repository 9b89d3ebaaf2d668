// Reading areas: codes, names, geometries and the hierarchy around one area.
import type { Geometry } from 'geojson';
import type { Queryable } from './db.ts';
import type { AreaGeometry } from '../core/geo/types.ts';

/** Id, boundary version and code of every area (of one layer, when given). */
export async function areaCodes(db: Queryable, layerId?: number): Promise<{ id: number; v: number; code: string }[]> {
  const { rows } = await db.query<{ id: number; v: number; code: string }>(
    layerId !== undefined
      ? 'SELECT a.id, a.layer_version_id AS v, a.code FROM area a JOIN layer_version lv ON lv.id = a.layer_version_id WHERE lv.layer_id = $1'
      : 'SELECT id, layer_version_id AS v, code FROM area',
    layerId !== undefined ? [layerId] : [],
  );
  return rows;
}

export interface AreaFeatureRow {
  code: string;
  name: string;
  parent: string | null;
  geometry: Geometry | null;
  bbox: [number, number, number, number] | null;
}

/** The areas of a layer version with parent code, bounding box and (optionally) geometry, by code. */
export async function areaFeatures(db: Queryable, versionId: number, withGeometry: boolean): Promise<AreaFeatureRow[]> {
  const { rows } = await db.query<AreaFeatureRow>(
    `SELECT a.code, a.name, p.code AS parent, ${withGeometry ? 'a.geometry' : 'NULL::jsonb AS geometry'},
            CASE WHEN a.min_x IS NULL THEN NULL ELSE json_build_array(a.min_x, a.min_y, a.max_x, a.max_y) END AS bbox
       FROM area a LEFT JOIN area p ON p.id = a.parent_id WHERE a.layer_version_id = $1 ORDER BY a.code`,
    [versionId],
  );
  return rows;
}

/** Code, name and geometry of the areas of a layer version, by code. */
export async function areaGeometries(
  db: Queryable,
  versionId: number,
): Promise<{ code: string; name: string; geometry: AreaGeometry | null }[]> {
  const { rows } = await db.query<{ code: string; name: string; geometry: AreaGeometry | null }>(
    'SELECT code, name, geometry FROM area WHERE layer_version_id = $1 ORDER BY code',
    [versionId],
  );
  return rows;
}

/** Code and geometry of the areas of a layer version (in no order). */
export async function areaShapes(
  db: Queryable,
  versionId: number,
): Promise<{ code: string; geometry: AreaGeometry | null }[]> {
  const { rows } = await db.query<{ code: string; geometry: AreaGeometry | null }>(
    'SELECT code, geometry FROM area WHERE layer_version_id = $1',
    [versionId],
  );
  return rows;
}

/** Id and code of the areas of a layer version, by code. */
export async function areaIdsInOrder(db: Queryable, versionId: number): Promise<{ id: number; code: string }[]> {
  const { rows } = await db.query<{ id: number; code: string }>(
    'SELECT id, code FROM area WHERE layer_version_id = $1 ORDER BY code',
    [versionId],
  );
  return rows;
}

/** Up to two areas of a layer version (enough to tell whether it has exactly one). */
export async function firstTwoAreas(db: Queryable, versionId: number): Promise<{ id: number; code: string }[]> {
  const { rows } = await db.query<{ id: number; code: string }>(
    'SELECT id, code FROM area WHERE layer_version_id = $1 LIMIT 2',
    [versionId],
  );
  return rows;
}

/** The name of the area with this code in each of the given layer versions that has it. */
export async function areaNamesInVersions(
  db: Queryable,
  code: string,
  versionIds: number[],
): Promise<{ v: number; name: string }[]> {
  const { rows } = await db.query<{ v: number; name: string }>(
    'SELECT layer_version_id AS v, name FROM area WHERE code = $1 AND layer_version_id = ANY($2::int[])',
    [code, versionIds],
  );
  return rows;
}

export interface AreaWithParentRow {
  id: number;
  name: string;
  parent_code: string | null;
  parent_name: string | null;
  parent_layer: string | null;
}

/** The area with this code in a layer version, with its parent (code, name, layer). */
export async function areaWithParent(
  db: Queryable,
  versionId: number,
  code: string,
): Promise<AreaWithParentRow | undefined> {
  const { rows } = await db.query<AreaWithParentRow>(
    `SELECT a.id, a.name, p.code AS parent_code, p.name AS parent_name, pl.key AS parent_layer
       FROM area a LEFT JOIN area p ON p.id = a.parent_id
       LEFT JOIN layer_version pv ON pv.id = p.layer_version_id LEFT JOIN layer pl ON pl.id = pv.layer_id
      WHERE a.layer_version_id = $1 AND a.code = $2`,
    [versionId, code],
  );
  return rows[0];
}

/** The child areas of an area, with their layer, by code. */
export async function childAreas(
  db: Queryable,
  areaId: number,
): Promise<{ code: string; name: string; layer: string }[]> {
  const { rows } = await db.query<{ code: string; name: string; layer: string }>(
    `SELECT c.code, c.name, l.key AS layer FROM area c JOIN layer_version v ON v.id = c.layer_version_id JOIN layer l ON l.id = v.layer_id
      WHERE c.parent_id = $1 ORDER BY c.code`,
    [areaId],
  );
  return rows;
}
