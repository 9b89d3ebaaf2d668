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
export async function observationsForDisclosure(tx: Queryable, indicatorId: number, periodId: number): Promise<DisclosureObservationRow[]> {
  const { rows } = await tx.query<DisclosureObservationRow>(
    `SELECT o.area_id AS "areaId", mc.members, o.value, o.status, o.base
       FROM observation o JOIN member_combination mc ON mc.id = o.members_id
      WHERE o.indicator_id = $1 AND o.period_id = $2`,
    [indicatorId, periodId],
  );
  return rows;
}

/** Code and geometry of the areas of a layer version. */
export async function versionGeometries(tx: Queryable, versionId: number): Promise<{ code: string; geometry: AreaGeometry | null }[]> {
  const { rows } = await tx.query<{ code: string; geometry: AreaGeometry | null }>('SELECT code, geometry FROM area WHERE layer_version_id = $1 ORDER BY code', [versionId]);
  return rows;
}
