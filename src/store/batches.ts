// Import batches: every change of data is one batch (who, when, which file, what it changed).
import type { Queryable } from './db.ts';

export async function startBatch(
  tx: Queryable,
  kind: string,
  fileName: string | null,
  options: unknown,
  user?: string,
  sha256?: string,
): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO import_batch (kind, file_name, options, user_name, file_sha256) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [kind, fileName, JSON.stringify(options ?? {}), user ?? null, sha256 ?? null],
  );
  return rows[0].id;
}

export async function finishBatch(
  tx: Queryable,
  id: number,
  counts: { rowsRead: number; inserted: number; updated: number; unchanged: number },
): Promise<void> {
  await tx.query(
    `UPDATE import_batch SET rows_read = $2, inserted = $3, updated = $4, unchanged = $5, finished_at = now() WHERE id = $1`,
    [id, counts.rowsRead, counts.inserted, counts.updated, counts.unchanged],
  );
}

/** Removes a batch that changed nothing (re-importing the same file leaves no trace in the log). */
export async function discardBatch(tx: Queryable, id: number): Promise<void> {
  await tx.query('DELETE FROM import_batch WHERE id = $1', [id]);
}

/**
 * The database snapshot now, and a name of the committed data state: count, greatest and sum of
 * the visible import batches' ids (batches are only added, or removed by the transaction that
 * wrote them, so equal names mean equal data; services/snapshot.ts with replicas).
 */
export async function batchState(db: Queryable): Promise<{ stamp: string; state: string }> {
  const { rows } = await db.query<{ stamp: string; state: string }>(
    `SELECT pg_current_snapshot()::text AS stamp, count(*)::text || ':' || coalesce(max(id), 0)::text || ':' || coalesce(sum(id), 0)::text AS state FROM import_batch`,
  );
  return rows[0];
}

/**
 * Has a transaction the given snapshot could not see written an import batch? Transactions
 * below the snapshot's xmin had ended when it was taken, so only batches at or above it can be
 * new: an index range, however many batches there are. A batch of an import that was still
 * running then (a lower id committed after a higher one) counts, as it must. The range ends at
 * the current xmax: rows restored from a dump of another cluster can carry transaction ids this
 * one has not reached yet, and must not look new on every request.
 */
const CHANGED_SINCE = `SELECT pg_current_snapshot()::text AS stamp,
       EXISTS (SELECT 1 FROM import_batch
                WHERE xact_id >= pg_snapshot_xmin($1::pg_snapshot)
                  AND xact_id < pg_snapshot_xmax(pg_current_snapshot())
                  AND NOT pg_visible_in_snapshot(xact_id, $1::pg_snapshot)) AS changed`;

/** A pg_snapshot's text: xmin:xmax:xip,… — digits, colons and commas only, so it can stand in SQL as a literal. */
const SNAPSHOT_TEXT = /^[0-9]+:[0-9]+:([0-9]+(,[0-9]+)*)?$/;

/** CHANGED_SINCE, in one round trip where the database offers it (tenant facades). */
export function changedSince(db: Queryable, stamp: string): Promise<{ rows: { stamp: string; changed: boolean }[] }> {
  if (db.queryOnce && SNAPSHOT_TEXT.test(stamp))
    return db.queryOnce<{ stamp: string; changed: boolean }>(CHANGED_SINCE.replaceAll('$1', `'${stamp}'`));
  return db.query<{ stamp: string; changed: boolean }>(CHANGED_SINCE, [stamp]);
}

/** The database snapshot now, as changedSince answers it when everything counts as changed. */
export function currentStamp(db: Queryable): Promise<{ rows: { stamp: string; changed: boolean }[] }> {
  return db.query<{ stamp: string; changed: boolean }>('SELECT pg_current_snapshot()::text AS stamp, true AS changed');
}

/**
 * Waits for one of `slots` import slots of the whole database (every tenant's schema shares
 * them), held until the transaction ends. On a machine with few cores, imports that take turns
 * leave the readers a core; several at once take all of them.
 */
export async function takeImportSlot(tx: Queryable, slots: number): Promise<void> {
  for (let s = 0; s < slots; s++) {
    const { rows } = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(4716, $1) AS ok', [s]);
    if (rows[0].ok) return;
  }
  await tx.query('SELECT pg_advisory_xact_lock(4716, $1)', [Math.floor(Math.random() * slots)]);
}
