// Reallocating observations onto another boundary version: the values read from the source
// version, the totals of coarser areas that must not change, and the checks against the target.
import type { Queryable } from './db.ts';

export interface SourceValueRow {
  code: string;
  depth: number;
  members_id: number;
  value: number | null;
  suppressed: number;
  nulls: number;
}

/** Sums of an indicator for one period on the areas of a layer version, per level below each area and member combination. */
export async function sourceValueRows(
  tx: Queryable,
  indicatorId: number,
  periodId: number,
  versionId: number,
): Promise<SourceValueRow[]> {
  const { rows } = await tx.query<SourceValueRow>(
    `SELECT a.code, aa.depth, o.members_id, sum(o.value) AS value,
            (count(*) FILTER (WHERE o.status = 'suppressed'))::int AS suppressed, (count(*) FILTER (WHERE o.value IS NULL))::int AS nulls
       FROM observation o JOIN area_ancestor aa ON aa.area_id = o.area_id JOIN area a ON a.id = aa.ancestor_id
      WHERE o.indicator_id = $1 AND o.period_id = $2 AND a.layer_version_id = $3
      GROUP BY a.code, aa.depth, o.members_id`,
    [indicatorId, periodId, versionId],
  );
  return rows;
}

/** Per ancestor area: the sum at the nearest level with data, and that level. */
export async function ancestorTotalRows(
  tx: Queryable,
  indicatorId: number,
  periodId: number,
  ancestorIds: number[],
): Promise<{ id: number; depth: number; s: number | null }[]> {
  const { rows } = await tx.query<{ id: number; depth: number; s: number | null }>(
    `WITH src AS (
       SELECT aa.ancestor_id AS id, aa.depth, sum(o.value) AS s
         FROM observation o JOIN area_ancestor aa ON aa.area_id = o.area_id
        WHERE o.indicator_id = $1 AND o.period_id = $2 AND aa.ancestor_id = ANY($3::int[])
        GROUP BY aa.ancestor_id, aa.depth)
     SELECT DISTINCT ON (id) id, depth, s FROM src ORDER BY id, depth`,
    [indicatorId, periodId, ancestorIds],
  );
  return rows;
}

/** The areas above the areas of a layer version (not themselves), with their layer. */
export async function ancestorsOfVersion(
  tx: Queryable,
  versionId: number,
): Promise<{ id: number; code: string; layer: string }[]> {
  const { rows: anc } = await tx.query<{ id: number; code: string; layer: string }>(
    `SELECT DISTINCT p.id, p.code, l.key AS layer FROM area_ancestor aa JOIN area a ON a.id = aa.area_id JOIN area p ON p.id = aa.ancestor_id
         JOIN layer_version v ON v.id = p.layer_version_id JOIN layer l ON l.id = v.layer_id
        WHERE a.layer_version_id = $1 AND aa.depth > 0`,
    [versionId],
  );
  return anc;
}

/** The columns of the staging table stage_estimates that a reallocation writes. */
const ESTIMATE_COLUMNS = ['indicator_id', 'area_id', 'period_id', 'members_id', 'value', 'status', 'reason'];

/** The temporary table stage_estimates (dropped at commit). */
export async function createEstimateStage(tx: Queryable): Promise<void> {
  await tx.exec(
    `CREATE TEMP TABLE stage_estimates (indicator_id int, area_id int, period_id int, members_id int, value float8, status text, reason text, base float8) ON COMMIT DROP`,
  );
}

/** COPY text rows (ESTIMATE_COLUMNS) into stage_estimates. */
export async function copyEstimates(tx: Queryable, text: string): Promise<void> {
  await tx.copyText('stage_estimates', ESTIMATE_COLUMNS, text);
}

/** Staged estimates that would overwrite observations not written by a reallocation (up to five, with the total). */
export async function estimateClashes(
  tx: Queryable,
): Promise<{ code: string; period: string; status: string; kind: string | null; n: number }[]> {
  const { rows: clash } = await tx.query<{
    code: string;
    period: string;
    status: string;
    kind: string | null;
    n: number;
  }>(
    `SELECT a.code, p.key AS period, o.status, b.kind, count(*) OVER ()::int AS n
         FROM stage_estimates s JOIN observation o ON o.indicator_id = s.indicator_id AND o.period_id = s.period_id AND o.area_id = s.area_id AND o.members_id = s.members_id
         JOIN area a ON a.id = o.area_id JOIN period p ON p.id = o.period_id LEFT JOIN import_batch b ON b.id = o.import_batch_id
        WHERE b.kind IS DISTINCT FROM 'reallocation' ORDER BY p.key, a.code LIMIT 5`,
  );
  return clash;
}

/** Observations of an indicator on areas below the areas of a layer version, per layer and period (up to five). */
export async function finerObservations(
  tx: Queryable,
  indicatorId: number,
  periodIds: number[],
  versionId: number,
): Promise<{ layer: string; period: string; n: number }[]> {
  const { rows: finer } = await tx.query<{ layer: string; period: string; n: number }>(
    `SELECT l.key AS layer, p.key AS period, count(*)::int AS n
         FROM observation o JOIN area_ancestor aa ON aa.area_id = o.area_id AND aa.depth > 0 JOIN area t ON t.id = aa.ancestor_id
         JOIN area a ON a.id = o.area_id JOIN layer_version v ON v.id = a.layer_version_id JOIN layer l ON l.id = v.layer_id JOIN period p ON p.id = o.period_id
        WHERE o.indicator_id = $1 AND o.period_id = ANY($2::int[]) AND t.layer_version_id = $3
        GROUP BY l.key, p.key ORDER BY p.key LIMIT 5`,
    [indicatorId, periodIds, versionId],
  );
  return finer;
}
