// Which indicators have observations on which layers, and when they were first and last imported
// there: read from observation_coverage, which triggers keep (migration 018), instead of a pass
// over the observations after every import.
import type { Queryable } from './db.ts';

export interface CoverageRow {
  indicatorId: number;
  layerId: number;
  /** ISO date-times in UTC: the first import since the indicator has had data on the layer, and the newest. */
  first: string;
  last: string;
}

export async function observationCoverage(db: Queryable): Promise<CoverageRow[]> {
  const { rows } = await db.query<CoverageRow>(
    `SELECT c."indicatorId", c."layerId",
            to_char(f.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS first,
            to_char(COALESCE(l.finished_at, l.started_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last
       FROM (SELECT c.indicator_id AS "indicatorId", lv.layer_id AS "layerId", min(c.first_batch_id) AS first_id, max(c.last_batch_id) AS last_id
               FROM observation_coverage c JOIN layer_version lv ON lv.id = c.layer_version_id
              GROUP BY 1, 2) c
       JOIN import_batch f ON f.id = c.first_id
       JOIN import_batch l ON l.id = c.last_id`,
  );
  return rows;
}

/** The layers an indicator's observations are stored on, most observations first (at most one). */
export async function layerWithMostObservations(db: Queryable, indicatorId: number): Promise<{ key: string }[]> {
  const { rows } = await db.query<{ key: string }>(
    `SELECT l.key FROM observation o JOIN area a ON a.id = o.area_id JOIN layer_version v ON v.id = a.layer_version_id JOIN layer l ON l.id = v.layer_id
      WHERE o.indicator_id = $1 GROUP BY l.key ORDER BY count(*) DESC LIMIT 1`,
    [indicatorId],
  );
  return rows;
}
