// SQL of the public place search (services/place-search.ts): area names of current boundary
// versions and street names of the address register, never house numbers or coordinates.
import type { Queryable } from './db.ts';

/** Code and name of every area in the current (latest) boundary version of these layers. */
export async function currentAreas(
  db: Queryable,
  layerKeys: string[],
): Promise<{ layer: string; code: string; name: string }[]> {
  const { rows } = await db.query<{ layer: string; code: string; name: string }>(
    `SELECT l.key AS layer, a.code, a.name
       FROM layer l
       JOIN LATERAL (SELECT v.id FROM layer_version v WHERE v.layer_id = l.id ORDER BY v.valid_from DESC NULLS LAST LIMIT 1) cv ON true
       JOIN area a ON a.layer_version_id = cv.id
      WHERE l.key = ANY($1::text[])`,
    [layerKeys],
  );
  return rows;
}

export async function newestRegisterVersion(db: Queryable): Promise<{ id: number; validFrom: string } | undefined> {
  const { rows } = await db.query<{ id: number; validFrom: string }>(
    'SELECT id, valid_from::text AS "validFrom" FROM address_register_version ORDER BY valid_from DESC LIMIT 1',
  );
  return rows[0];
}

/** Street names whose comparison key matches the LIKE patterns (`contains`; those matching `starts` first), at most `limit`. */
export async function streetsLike(
  db: Queryable,
  versionId: number,
  contains: string,
  starts: string,
  limit: number,
): Promise<{ street: string; key: string }[]> {
  const { rows } = await db.query<{ street: string; key: string }>(
    `SELECT min(street) AS street, street_normalized AS key
       FROM address WHERE version_id = $1 AND street_normalized LIKE $2 ESCAPE '\\'
      GROUP BY street_normalized
      ORDER BY (street_normalized LIKE $3 ESCAPE '\\') DESC, min(street)
      LIMIT $4`,
    [versionId, contains, starts, limit],
  );
  return rows;
}

/** The areas (of these layers) that addresses of these streets lie in. */
export async function areasOfStreets(
  db: Queryable,
  versionId: number,
  streetKeys: string[],
  layerKeys: string[],
): Promise<{ key: string; layer: string; code: string }[]> {
  if (!streetKeys.length) return [];
  const { rows } = await db.query<{ key: string; layer: string; code: string }>(
    `SELECT DISTINCT a.street_normalized AS key, c.layer, c.code
       FROM address a CROSS JOIN LATERAL jsonb_each_text(a.codes) AS c(layer, code)
      WHERE a.version_id = $1 AND a.street_normalized = ANY($2::text[]) AND c.layer = ANY($3::text[])`,
    [versionId, streetKeys, layerKeys],
  );
  return rows;
}
