// When each indicator's observations were first and last imported: the catalogue's dct:issued and
// dct:modified. One pass over the observations, as layersWithData makes; the service keeps the
// answer per read snapshot.
import type { Queryable } from './db.ts';

export interface ImportDates {
  indicatorId: number;
  /** ISO date-times in UTC. */
  first: string;
  last: string;
}

export async function observationImportDates(db: Queryable): Promise<ImportDates[]> {
  const { rows } = await db.query<ImportDates>(
    `SELECT o.indicator_id AS "indicatorId",
            to_char(f.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS first,
            to_char(COALESCE(l.finished_at, l.started_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last
       FROM (SELECT indicator_id, min(import_batch_id) AS first_id, max(import_batch_id) AS last_id FROM observation GROUP BY indicator_id) o
       JOIN import_batch f ON f.id = o.first_id
       JOIN import_batch l ON l.id = o.last_id`,
  );
  return rows;
}
