// The prepared point indexes of boundary versions (migration 015): read instead of the polygons
// by the commands that assign points, written after a build. Every read checks the stamp of the
// version's area rows, so an entry is used only for exactly the rows it was built from.
import type { Queryable } from './db.ts';

/** The stamp of a version's area rows: their count and largest xmin (any change moves it). */
const AREA_STAMP = `count(*)::text || ':' || COALESCE(max(xmin::text::bigint), 0)::text`;

export interface CachedPointIndex {
  codes: string[];
  data: Uint8Array;
}

/** The entry of a boundary version in the given format, if it matches the current rows. */
export async function readPointIndexCache(
  db: Queryable,
  layerVersionId: number,
  format: number,
): Promise<CachedPointIndex | undefined> {
  const { rows } = await db.query<{ codes: string[]; data: string }>(
    `SELECT c.codes, c.data
       FROM point_index_cache c
      WHERE c.layer_version_id = $1 AND c.format = $2
        AND c.stamp = (SELECT ${AREA_STAMP} FROM area WHERE layer_version_id = $1)`,
    [layerVersionId, format],
  );
  const row = rows[0];
  return row ? { codes: row.codes, data: Buffer.from(row.data, 'base64') } : undefined;
}

/** The codes, geometries and stamp of a version's areas, read in one snapshot (one statement). */
export async function readAreaGeometries<G>(
  db: Queryable,
  layerVersionId: number,
): Promise<{ codes: string[]; geometries: (G | null)[]; stamp: string }> {
  const { rows } = await db.query<{ code: string; geometry: G | null; xmin: string }>(
    'SELECT code, geometry, xmin::text AS xmin FROM area WHERE layer_version_id = $1 ORDER BY code',
    [layerVersionId],
  );
  let max = 0n;
  for (const r of rows) {
    const x = BigInt(r.xmin);
    if (x > max) max = x;
  }
  return { codes: rows.map((r) => r.code), geometries: rows.map((r) => r.geometry), stamp: `${rows.length}:${max}` };
}

/** Keeps a built index; an entry of the same version is replaced. */
export async function writePointIndexCache(
  db: Queryable,
  layerVersionId: number,
  format: number,
  stamp: string,
  entry: CachedPointIndex,
): Promise<void> {
  await db.query(
    `INSERT INTO point_index_cache (layer_version_id, format, stamp, codes, data) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (layer_version_id) DO UPDATE SET format = EXCLUDED.format, stamp = EXCLUDED.stamp, codes = EXCLUDED.codes, data = EXCLUDED.data, built_at = now()`,
    [
      layerVersionId,
      format,
      stamp,
      JSON.stringify(entry.codes),
      Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength).toString('base64'),
    ],
  );
}
