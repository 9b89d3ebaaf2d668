// Writing staged observations into the observation table, keeping the history of changed values.
// Shared by the import of observation files, reallocation and facility imports.
import type { Queryable } from './db.ts';

/**
 * Merges a staging table (columns indicator_id, area_id, period_id, members_id, value, status,
 * reason, base) into observation: changed values go to the history first, then are updated;
 * new observations are inserted; unchanged rows are left alone.
 */
export async function mergeStaged(tx: Queryable, table: string, batch: number): Promise<{ inserted: number; updated: number }> {
  const key = 's.indicator_id = o.indicator_id AND s.period_id = o.period_id AND s.area_id = o.area_id AND s.members_id = o.members_id';
  const changed = '(o.value, o.status, o.reason, o.base) IS DISTINCT FROM (s.value, s.status, s.reason, s.base)';
  await tx.query(
    `INSERT INTO observation_history (indicator_id, period_id, area_id, members_id, value, status, reason, base, import_batch_id, valid_until, replaced_by_batch_id)
     SELECT o.indicator_id, o.period_id, o.area_id, o.members_id, o.value, o.status, o.reason, o.base, o.import_batch_id, now(), $1
       FROM ${table} s JOIN observation o ON ${key} WHERE ${changed}`,
    [batch],
  );
  const upd = await tx.query(
    `UPDATE observation o SET value = s.value, status = s.status, reason = s.reason, base = s.base, import_batch_id = $1, changed_at = now()
       FROM ${table} s WHERE ${key} AND ${changed}`,
    [batch],
  );
  const ins = await tx.query(
    `INSERT INTO observation (indicator_id, period_id, area_id, members_id, value, status, reason, base, import_batch_id)
     SELECT s.indicator_id, s.period_id, s.area_id, s.members_id, s.value, s.status, s.reason, s.base, $1 FROM ${table} s
     ON CONFLICT (indicator_id, period_id, area_id, members_id) DO NOTHING`,
    [batch],
  );
  return { inserted: ins.affectedRows, updated: upd.affectedRows };
}
