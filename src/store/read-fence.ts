// State that several application servers on one database share (decision 0036): the primary's
// WAL position after a user's last write (read-your-writes with replicas), and sign-in attempts
// per client address. Callers pass the primary: this is never read from a replica.
import type { Queryable } from './db.ts';

/** Records the primary's current WAL position as the user's last write (never moving it back). */
export async function recordWrite(primary: Queryable, userId: number): Promise<void> {
  await primary.query(
    `INSERT INTO read_fence (user_id, lsn) VALUES ($1, pg_current_wal_lsn())
     ON CONFLICT (user_id) DO UPDATE SET lsn = greatest(read_fence.lsn, EXCLUDED.lsn), written_at = now()`,
    [userId],
  );
}

/** The WAL position a replica must have replayed before it serves this user's reads, if any. */
export async function lastWrite(
  primary: Queryable,
  userId: number,
  withinMinutes: number,
): Promise<string | undefined> {
  const { rows } = await primary.query<{ lsn: string }>(
    'SELECT lsn::text AS lsn FROM read_fence WHERE user_id = $1 AND written_at > now() - make_interval(mins => $2)',
    [userId, withinMinutes],
  );
  return rows[0]?.lsn;
}

/** Counts a sign-in attempt from an address; returns the attempts within the window before it, and the oldest one's age. */
export async function countLoginAttempt(
  tx: Queryable,
  address: string,
  windowSeconds: number,
): Promise<{ before: number; oldestAgeSeconds: number }> {
  // Attempts from one address are counted one at a time, so that a burst cannot pass together.
  await tx.query('SELECT pg_advisory_xact_lock(4714, hashtext($1))', [address]);
  // The table holds one window of attempts: older ones are of no use to anybody.
  await tx.query('DELETE FROM login_attempt WHERE attempted_at <= now() - make_interval(secs => $1)', [windowSeconds]);
  const { rows } = await tx.query<{ before: number; age: number }>(
    `SELECT count(*)::int AS before, coalesce(extract(epoch FROM now() - min(attempted_at)), 0)::float8 AS age FROM login_attempt WHERE address = $1`,
    [address],
  );
  await tx.query('INSERT INTO login_attempt (address) VALUES ($1)', [address]);
  return { before: rows[0].before, oldestAgeSeconds: rows[0].age };
}
