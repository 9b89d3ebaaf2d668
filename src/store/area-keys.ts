// Official keys (AGS, ARS) of the areas of a layer, read from an attribute the area file carried
// (area.properties): for files that name areas by such a key rather than by the area code.
import type { Queryable } from './db.ts';

export interface AreaKeyRow {
  key: string;
  code: string;
}

/** The distinct (property value, area code) pairs of a layer, over all its boundary versions. */
export async function areaCodesByProperty(db: Queryable, layerId: number, property: string): Promise<AreaKeyRow[]> {
  const { rows } = await db.query<AreaKeyRow>(
    `SELECT DISTINCT a.properties ->> $2 AS key, a.code
       FROM area a JOIN layer_version v ON v.id = a.layer_version_id
      WHERE v.layer_id = $1 AND a.properties ? $2 AND a.properties ->> $2 IS NOT NULL
      ORDER BY 1, 2`,
    [layerId, property],
  );
  return rows;
}
