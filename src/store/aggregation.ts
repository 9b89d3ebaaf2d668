// The one aggregation query: sums of an indicator's observations per target area, for a set
// of (period, layer version) targets. Observations stored on the target area itself win over
// finer ones; otherwise the nearest finer level with data is summed via the hierarchy closure.
import type { Queryable } from './db.ts';
import type { ComponentSums } from '../core/aggregate.ts';

export interface AggregationTarget {
  periodId: number;
  layerVersionId: number;
}

export interface SumsRow extends ComponentSums {
  periodId: number;
  code: string;
}

export async function sumsByArea(
  tx: Queryable,
  indicatorId: number,
  filter: Record<string, string>,
  targets: AggregationTarget[],
  areaCode?: string,
): Promise<SumsRow[]> {
  if (!targets.length) return [];
  const { rows } = await tx.query<SumsRow>(
    `WITH t AS (SELECT * FROM unnest($2::int[], $3::int[]) AS t(period_id, layer_version_id)),
     src AS (
       SELECT o.period_id, anc.code, aa.depth, o.area_id, o.value, o.base, o.status, o.reason
         FROM t
         JOIN observation o ON o.indicator_id = $1 AND o.period_id = t.period_id AND o.members @> $4::jsonb
         JOIN area_ancestor aa ON aa.area_id = o.area_id
         JOIN area anc ON anc.id = aa.ancestor_id AND anc.layer_version_id = t.layer_version_id
        WHERE ($5::text IS NULL OR anc.code = $5::text)
     ),
     lvl AS (SELECT period_id, code, min(depth) AS depth FROM src GROUP BY period_id, code)
     SELECT s.period_id AS "periodId", s.code, l.depth,
            COALESCE(sum(s.value), 0) AS sum,
            COALESCE(sum(s.value * s.base), 0) AS "weightedSum",
            COALESCE(sum(s.base) FILTER (WHERE s.value IS NOT NULL), 0) AS "baseSum",
            count(s.value)::int AS rows,
            (count(*) FILTER (WHERE s.value IS NOT NULL AND s.base IS NULL))::int AS "rowsWithoutBase",
            (count(*) FILTER (WHERE s.status = 'suppressed'))::int AS suppressed,
            (count(*) FILTER (WHERE s.status = 'missing'))::int AS missing,
            (count(*) FILTER (WHERE s.status = 'provisional'))::int AS provisional,
            (count(*) FILTER (WHERE s.status = 'estimated'))::int AS estimated,
            count(DISTINCT s.area_id)::int AS parts,
            count(*)::int AS "memberRows",
            min(s.reason) AS reason
       FROM src s JOIN lvl l ON l.period_id = s.period_id AND l.code = s.code AND l.depth = s.depth
      GROUP BY s.period_id, s.code, l.depth`,
    [indicatorId, targets.map((t) => t.periodId), targets.map((t) => t.layerVersionId), JSON.stringify(filter), areaCode ?? null],
  );
  return rows;
}
