// Writing staged observations into the observation table, keeping the history of changed values.
// Shared by the import of observation files, reallocation and facility imports.
import type { Queryable } from './db.ts';

/**
 * Merges a staging table (columns indicator_id, area_id, period_id, members_id, value, status,
 * reason, base) into observation: changed values go to the history first, then are updated;
 * new observations are inserted; unchanged rows are left alone.
 */
export async function mergeStaged(
  tx: Queryable,
  table: string,
  batch: number,
): Promise<{ inserted: number; updated: number }> {
  const key =
    's.indicator_id = o.indicator_id AND s.period_id = o.period_id AND s.area_id = o.area_id AND s.members_id = o.members_id';
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

/** The columns of a staging table of observations (createObservationStage). */
const STAGE_COLUMNS = [
  'indicator_id',
  'period_id',
  'area_id',
  'members_id',
  'value',
  'status',
  'reason',
  'base',
  'line',
];
/** The columns a direct COPY into observation writes. */
const OBSERVATION_COLUMNS = [
  'indicator_id',
  'period_id',
  'area_id',
  'members_id',
  'value',
  'status',
  'reason',
  'base',
  'import_batch_id',
];

/** A temporary staging table of observations (dropped at commit); `line` is the input line, for reports. */
export async function createObservationStage(tx: Queryable, table: string): Promise<void> {
  if (!/^stage_[a-z_]+$/.test(table)) throw new Error(`invalid staging table name: ${table}`);
  await tx.exec(
    `CREATE TEMP TABLE ${table} (indicator_id int, period_id int, area_id int, members_id int, value float8, status text, reason text, base float8, line int) ON COMMIT DROP`,
  );
}

/** The positions (0-based) of the (indicator, period) pairs that have stored observations. */
export async function pairsWithObservations(
  tx: Queryable,
  pairs: { indicatorId: number; periodId: number }[],
): Promise<Set<number>> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT p.n FROM unnest($1::int[], $2::int[]) WITH ORDINALITY AS p(i, t, n)
      WHERE EXISTS (SELECT 1 FROM observation o WHERE o.indicator_id = p.i AND o.period_id = p.t)`,
    [pairs.map((p) => p.indicatorId), pairs.map((p) => p.periodId)],
  );
  return new Set(rows.map((r) => Number(r.n) - 1));
}

/** Observations staged more than once (same indicator, period, area and members), with their lines; the first 200. */
export async function duplicateStagedObservations(
  tx: Queryable,
  table: string,
): Promise<{ lines: number[]; n: number }[]> {
  const { rows } = await tx.query<{ lines: number[]; n: number }>(
    `SELECT array_agg(line ORDER BY line) AS lines, count(*)::int AS n FROM ${table}
      GROUP BY indicator_id, period_id, area_id, members_id HAVING count(*) > 1 ORDER BY min(line) LIMIT 200`,
  );
  return rows;
}

/**
 * Inserts every staged row as a new observation (no comparison: the pairs had no stored data),
 * inside a savepoint: a repeated row violates the primary key, and then the transaction is
 * rolled back to before the insert and `onDuplicate` decides what to throw.
 */
export async function insertStagedFresh(
  tx: Queryable,
  table: string,
  batch: number,
  onDuplicate: (e: unknown) => Promise<never>,
): Promise<number> {
  await tx.exec('SAVEPOINT fresh_insert');
  try {
    const ins = await tx.query(
      `INSERT INTO observation (indicator_id, period_id, area_id, members_id, value, status, reason, base, import_batch_id)
       SELECT s.indicator_id, s.period_id, s.area_id, s.members_id, s.value, s.status, s.reason, s.base, $1 FROM ${table} s`,
      [batch],
    );
    return ins.affectedRows;
  } catch (e) {
    if ((e as { code?: string }).code !== '23505') throw e;
    await tx.exec('ROLLBACK TO SAVEPOINT fresh_insert');
    return onDuplicate(e);
  }
}

/** Adds a member to a dimension unless it is there (members first seen in observations; named like their key, sorted last). */
export async function addObservedMember(tx: Queryable, dimension: string, member: string): Promise<void> {
  await tx.query(
    `INSERT INTO dimension_member (dimension_id, key, name, sort)
     SELECT id, $2, $2, 1000 FROM dimension WHERE key = $1 ON CONFLICT DO NOTHING`,
    [dimension, member],
  );
}

/** Fresh planner statistics after observations changed: the embedded engine has no autovacuum to gather them. */
export async function analyzeObservations(tx: Queryable): Promise<void> {
  await tx.exec('ANALYZE observation');
}

/** COPY text rows (OBSERVATION_COLUMNS) straight into observation. */
export async function copyObservations(tx: Queryable, text: string | Uint8Array): Promise<void> {
  await tx.copyText('observation', OBSERVATION_COLUMNS, text);
}

/** COPY text rows (STAGE_COLUMNS, or some of them in the given order) into a staging table. */
export async function copyStaged(
  tx: Queryable,
  table: string,
  text: string | Uint8Array,
  columns: string[] = STAGE_COLUMNS,
): Promise<void> {
  if (!columns.every((c) => STAGE_COLUMNS.includes(c))) throw new Error(`not a staging column: ${columns.join(', ')}`);
  await tx.copyText(table, columns, text);
}
