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
  // Counts that are nearly always zero and sums that are nearly always empty come as NULL: a row
  // of a big city's answer then carries five values instead of seventeen, and decoding them was
  // most of a cold answer's time. The row count of all members follows from the table's check
  // (a value is NULL exactly when the status is 'suppressed' or 'missing').
  const { rows } = await tx.query<CompactSumsRow>(
    `SELECT indicator_id AS "indicatorId", period_id AS "periodId", area_id AS "areaId",
            COALESCE(sum(value), 0) AS sum,
            sum(value * base) AS "weightedSum",
            sum(base) FILTER (WHERE value IS NOT NULL) AS "baseSum",
            count(value)::int AS rows,
            NULLIF(count(*) FILTER (WHERE value IS NOT NULL AND base IS NOT NULL), 0)::int AS "rowsWithBase",
            NULLIF(count(*) FILTER (WHERE status = 'suppressed'), 0)::int AS suppressed,
            NULLIF(count(*) FILTER (WHERE status = 'missing'), 0)::int AS missing,
            NULLIF(count(*) FILTER (WHERE status = 'provisional'), 0)::int AS provisional,
            NULLIF(count(*) FILTER (WHERE status = 'estimated'), 0)::int AS estimated,
            min(reason) AS reason,
            min(reason) FILTER (WHERE status = 'estimated') AS "estimateMethod",
            max(reason) FILTER (WHERE status = 'estimated') AS "estimateMethodMax"
       FROM observation WHERE ${where}
      GROUP BY indicator_id, period_id, area_id`,
    params,
  );
  // One object shape for all sums (decision 0010: monomorphic loops).
  return rows.map((r) => {
    const suppressed = r.suppressed ?? 0;
    const missing = r.missing ?? 0;
    return {
      indicatorId: r.indicatorId,
      periodId: r.periodId,
      areaId: r.areaId,
      sum: r.sum,
      weightedSum: r.weightedSum ?? 0,
      baseSum: r.baseSum ?? 0,
      rows: r.rows,
      rowsWithoutBase: r.rows - (r.rowsWithBase ?? 0),
      suppressed,
      missing,
      provisional: r.provisional ?? 0,
      estimated: r.estimated ?? 0,
      memberRows: r.rows + suppressed + missing,
      reason: r.reason,
      estimateMethod: r.estimateMethod,
      estimateMethodMax: r.estimateMethodMax,
    };
  });
}

interface CompactSumsRow {
  indicatorId: number;
  periodId: number;
  areaId: number;
  sum: number;
  weightedSum: number | null;
  baseSum: number | null;
  rows: number;
  rowsWithBase: number | null;
  suppressed: number | null;
  missing: number | null;
  provisional: number | null;
  estimated: number | null;
  reason: string | null;
  estimateMethod: string | null;
  estimateMethodMax: string | null;
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
export async function loadClosure(
  tx: Queryable,
): Promise<{ areaId: number; ancestorId: number; depth: number; versionId: number; code: string }[]> {
  const { rows } = await tx.query<{
    areaId: number;
    ancestorId: number;
    depth: number;
    versionId: number;
    code: string;
  }>(
    `SELECT aa.area_id AS "areaId", aa.ancestor_id AS "ancestorId", aa.depth, a.layer_version_id AS "versionId", a.code
       FROM area_ancestor aa JOIN area a ON a.id = aa.ancestor_id`,
  );
  return rows;
}
