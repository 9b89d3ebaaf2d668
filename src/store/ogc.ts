// SQL of the OGC API – Features (services/ogc.ts): the areas of a boundary version with their
// geometry and bounding box, and the extent of every version.
import type { Queryable } from './db.ts';
import type { BBox } from '../core/geo/types.ts';

export interface OgcAreaRow {
  code: string;
  name: string;
  parent: string | null;
  /** GeoJSON geometry in WGS84, as stored. */
  geometry: { type: string; coordinates: unknown } | null;
  bbox: BBox | null;
}

/** Every area of a layer version, ordered by code. */
export async function versionAreas(db: Queryable, versionId: number): Promise<OgcAreaRow[]> {
  const { rows } = await db.query<OgcAreaRow>(
    `SELECT a.code, a.name, p.code AS parent, a.geometry,
            CASE WHEN a.min_x IS NULL THEN NULL ELSE json_build_array(a.min_x, a.min_y, a.max_x, a.max_y) END AS bbox
       FROM area a LEFT JOIN area p ON p.id = a.parent_id
      WHERE a.layer_version_id = $1 ORDER BY a.code`,
    [versionId],
  );
  return rows;
}

/** The WGS84 extent of each layer version that has areas with geometry. */
export async function versionExtents(db: Queryable): Promise<Map<number, BBox>> {
  const { rows } = await db.query<{ id: number; x0: number; y0: number; x1: number; y1: number }>(
    `SELECT layer_version_id AS id, min(min_x) AS x0, min(min_y) AS y0, max(max_x) AS x1, max(max_y) AS y1
       FROM area WHERE min_x IS NOT NULL GROUP BY layer_version_id`,
  );
  return new Map(rows.map((r) => [r.id, [Number(r.x0), Number(r.y0), Number(r.x1), Number(r.y1)]]));
}
