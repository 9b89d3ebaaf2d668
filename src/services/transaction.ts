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
