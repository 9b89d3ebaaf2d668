// Helpers shared by the use cases: one use case = one transaction; a dry run does all the work
// and then rolls back.
import type { Database, Queryable } from '../store/db.ts';

class DryRunRollback<T> extends Error {
  constructor(readonly result: T) {
    super('dry run: rolled back');
  }
}

/** Runs fn in one transaction; with dryRun the transaction is rolled back after fn returns. */
export async function inTransaction<T>(db: Database, dryRun: boolean, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(async (tx) => {
      const result = await fn(tx);
      if (dryRun) throw new DryRunRollback(result);
      return result;
    });
  } catch (e) {
    if (e instanceof DryRunRollback) return e.result as T;
    throw e;
  }
}

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
