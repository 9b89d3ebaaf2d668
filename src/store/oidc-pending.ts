// Sign-ins in flight at the identity provider, stored under the hash of their state.
import type { Queryable } from './db.ts';

/** Drops the started sign-ins older than the given minutes. */
export async function deleteStaleOidcPending(tx: Queryable, minutes: number): Promise<void> {
  await tx.query(`DELETE FROM oidc_pending WHERE created_at < now() - make_interval(mins => $1)`, [minutes]);
}

export async function insertOidcPending(
  tx: Queryable,
  p: { stateHash: string; verifier: string; nonce: string; returnTo: string },
): Promise<void> {
  await tx.query('INSERT INTO oidc_pending (state_hash, code_verifier, nonce, return_to) VALUES ($1, $2, $3, $4)', [
    p.stateHash,
    p.verifier,
    p.nonce,
    p.returnTo,
  ]);
}

export interface OidcPendingRow {
  verifier: string;
  nonce: string;
  returnTo: string;
  /** Started no longer ago than the given minutes. */
  fresh: boolean;
}

/** Deletes the started sign-in with this state hash and returns it (once). */
export async function takeOidcPending(
  db: Queryable,
  stateHash: string,
  minutes: number,
): Promise<OidcPendingRow | undefined> {
  const { rows } = await db.query<OidcPendingRow>(
    `DELETE FROM oidc_pending WHERE state_hash = $1
     RETURNING code_verifier AS verifier, nonce, return_to AS "returnTo", created_at >= now() - make_interval(mins => $2) AS fresh`,
    [stateHash, minutes],
  );
  return rows[0];
}
