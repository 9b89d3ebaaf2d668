// Import batches: every change of data is one batch (who, when, which file, what it changed).
import type { Queryable } from './db.ts';

export async function startBatch(tx: Queryable, kind: string, fileName: string | null, options: unknown, user?: string, sha256?: string): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO import_batch (kind, file_name, options, user_name, file_sha256) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [kind, fileName, JSON.stringify(options ?? {}), user ?? null, sha256 ?? null],
  );
  return rows[0].id;
}

export async function finishBatch(tx: Queryable, id: number, counts: { rowsRead: number; inserted: number; updated: number; unchanged: number }): Promise<void> {
  await tx.query(`UPDATE import_batch SET rows_read = $2, inserted = $3, updated = $4, unchanged = $5, finished_at = now() WHERE id = $1`, [
    id,
    counts.rowsRead,
    counts.inserted,
    counts.updated,
    counts.unchanged,
  ]);
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
