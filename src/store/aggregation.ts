// Sums of observations per source area (one row per indicator × period × stored area), over the
// breakdown members that match a filter. Layer-independent: rolling these sums up to any layer
// happens in src/core/aggregate.ts, so one query serves every layer.
import type { Queryable } from './db.ts';
import type { SourceSums } from '../core/aggregate.ts';
import { memberFilterSql } from './members.ts';

export interface SourceSumsRow extends SourceSums {
  indicatorId: number;
  periodId: number;
}

export async function sumsBySourceArea(
  tx: Queryable,
  indicatorIds: number[],
  periodIds: number[] | null,
  filter: Record<string, string>,
): Promise<SourceSumsRow[]> {
  const params: unknown[] = [indicatorIds];
  let where = 'indicator_id = ANY($1::int[])';
  if (periodIds) {
    params.push(periodIds);
    where += ` AND period_id = ANY($${params.length}::int[])`;
  }
  if (Object.keys(filter).length) {
    params.push(JSON.stringify(filter));
    where += ` AND ${memberFilterSql('observation', `$${params.length}`)}`;
  }
  const { rows } = await tx.query<SourceSumsRow>(
    `SELECT indicator_id AS "indicatorId", period_id AS "periodId", area_id AS "areaId",
            COALESCE(sum(value), 0) AS sum,
            COALESCE(sum(value * base), 0) AS "weightedSum",
            COALESCE(sum(base) FILTER (WHERE value IS NOT NULL), 0) AS "baseSum",
            count(value)::int AS rows,
            (count(*) FILTER (WHERE value IS NOT NULL AND base IS NULL))::int AS "rowsWithoutBase",
            (count(*) FILTER (WHERE status = 'suppressed'))::int AS suppressed,
            (count(*) FILTER (WHERE status = 'missing'))::int AS missing,
            (count(*) FILTER (WHERE status = 'provisional'))::int AS provisional,
            (count(*) FILTER (WHERE status = 'estimated'))::int AS estimated,
            count(*)::int AS "memberRows",
            min(reason) AS reason,
            min(reason) FILTER (WHERE status = 'estimated') AS "estimateMethod",
            max(reason) FILTER (WHERE status = 'estimated') AS "estimateMethodMax"
       FROM observation WHERE ${where}
      GROUP BY indicator_id, period_id, area_id`,
    params,
  );
  return rows;
}

/**
 * Which periods have data, per indicator: a skip scan over the primary key's leading columns, one
 * index probe per pair that has data. Written as EXISTS over indicator × period, the planner
 * chose a sequential scan of every observation (6 s for a city of 7 million rows, on the first
 * request after every import).
 */
export async function periodsWithData(tx: Queryable): Promise<{ indicatorId: number; periodId: number }[]> {
  const { rows } = await tx.query<{ indicatorId: number; periodId: number }>(
    `WITH RECURSIVE pair AS (
       (SELECT indicator_id, period_id FROM observation ORDER BY indicator_id, period_id LIMIT 1)
       UNION ALL
       SELECT n.indicator_id, n.period_id FROM pair p CROSS JOIN LATERAL (
         SELECT o.indicator_id, o.period_id FROM observation o
          WHERE (o.indicator_id, o.period_id) > (p.indicator_id, p.period_id)
          ORDER BY o.indicator_id, o.period_id LIMIT 1) n
     )
     SELECT pair.indicator_id AS "indicatorId", pair.period_id AS "periodId" FROM pair
       JOIN indicator i ON i.id = pair.indicator_id JOIN period pe ON pe.id = pair.period_id`,
  );
  return rows;
}

/** The hierarchy closure with each ancestor's layer version and code. */
export async function loadClosure(tx: Queryable): Promise<{ areaId: number; ancestorId: number; depth: number; versionId: number; code: string }[]> {
  const { rows } = await tx.query<{ areaId: number; ancestorId: number; depth: number; versionId: number; code: string }>(
    `SELECT aa.area_id AS "areaId", aa.ancestor_id AS "ancestorId", aa.depth, a.layer_version_id AS "versionId", a.code
       FROM area_ancestor aa JOIN area a ON a.id = aa.ancestor_id`,
  );
  return rows;
}
