// The stored observations one disclosure pattern is built from (one indicator and period, every
// area and breakdown combination), and the geometry of layer versions for overlay relations.
import type { Queryable } from './db.ts';
import type { AreaGeometry } from '../core/geo/types.ts';

export interface DisclosureObservationRow {
  areaId: number;
  members: Record<string, string>;
  value: number | null;
  status: string;
  base: number | null;
}

/** Every observation of an indicator for a period, with its breakdown members. */
export async function observationsForDisclosure(
  tx: Queryable,
  indicatorId: number,
  periodId: number,
): Promise<DisclosureObservationRow[]> {
  const { rows } = await tx.query<DisclosureObservationRow>(
    `SELECT o.area_id AS "areaId", mc.members, o.value, o.status, o.base
       FROM observation o JOIN member_combination mc ON mc.id = o.members_id
      WHERE o.indicator_id = $1 AND o.period_id = $2`,
    [indicatorId, periodId],
  );
  return rows;
}

/** Code and geometry of the areas of a layer version. */
export async function versionGeometries(
  tx: Queryable,
  versionId: number,
): Promise<{ code: string; geometry: AreaGeometry | null }[]> {
  const { rows } = await tx.query<{ code: string; geometry: AreaGeometry | null }>(
    'SELECT code, geometry FROM area WHERE layer_version_id = $1 ORDER BY code',
    [versionId],
  );
  return rows;
}

/** A stored pattern of an indicator and period, if it was computed for these tables (fingerprint). */
export async function storedPattern(
  tx: Queryable,
  indicatorId: number,
  periodId: number,
  fingerprint: string,
): Promise<{ pattern: Record<string, 'primary' | 'secondary'>; secondaryValue: number } | undefined> {
  const { rows } = await tx.query<{ pattern: Record<string, 'primary' | 'secondary'>; secondaryValue: number }>(
    'SELECT pattern, secondary_value AS "secondaryValue" FROM disclosure_pattern WHERE indicator_id = $1 AND period_id = $2 AND fingerprint = $3',
    [indicatorId, periodId, fingerprint],
  );
  return rows[0];
}

export async function storePattern(
  tx: Queryable,
  indicatorId: number,
  periodId: number,
  fingerprint: string,
  pattern: Record<string, string>,
  secondaryValue: number,
): Promise<void> {
  await tx.query(
    `INSERT INTO disclosure_pattern (indicator_id, period_id, fingerprint, pattern, secondary_value) VALUES ($1, $2, $3, $4::jsonb, $5)
     ON CONFLICT (indicator_id, period_id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, pattern = EXCLUDED.pattern, secondary_value = EXCLUDED.secondary_value, computed_at = now()`,
    [indicatorId, periodId, fingerprint, JSON.stringify(pattern), secondaryValue],
  );
}

/** Has any indicator a disclosure rule, its own or its department's? (Without one there is no pattern to compute.) */
export async function hasDisclosureRules(tx: Queryable): Promise<boolean> {
  const { rows } = await tx.query<{ any: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM indicator i LEFT JOIN department d ON d.key = i.owner WHERE i.disclosure IS NOT NULL OR d.disclosure IS NOT NULL) AS any`,
  );
  return rows[0].any;
}
