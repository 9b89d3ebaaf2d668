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
