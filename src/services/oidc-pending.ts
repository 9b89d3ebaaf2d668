// Sign-ins in flight at the identity provider: what the callback needs to finish them (PKCE
// verifier, nonce, where to return), stored under the hash of their state for ten minutes.
import type { Database } from '../store/db.ts';
import { sha256 } from '../core/passwords.ts';

export const OIDC_PENDING_MINUTES = 10;

export interface OidcPending {
  verifier: string;
  nonce: string;
  returnTo: string;
}

/** Records a started sign-in and drops the ones that have run out. */
export async function startOidcSignIn(db: Database, state: string, p: OidcPending): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`DELETE FROM oidc_pending WHERE created_at < now() - make_interval(mins => $1)`, [OIDC_PENDING_MINUTES]);
    await tx.query('INSERT INTO oidc_pending (state_hash, code_verifier, nonce, return_to) VALUES ($1, $2, $3, $4)', [sha256(state), p.verifier, p.nonce, p.returnTo]);
  });
}

/** The started sign-in for this state, once: it is deleted on the way out. Undefined when unknown or run out. */
export async function takeOidcSignIn(db: Database, state: string): Promise<OidcPending | undefined> {
  const { rows } = await db.query<{ verifier: string; nonce: string; returnTo: string; fresh: boolean }>(
    `DELETE FROM oidc_pending WHERE state_hash = $1
     RETURNING code_verifier AS verifier, nonce, return_to AS "returnTo", created_at >= now() - make_interval(mins => $2) AS fresh`,
    [sha256(state), OIDC_PENDING_MINUTES],
  );
  const r = rows[0];
  return r && r.fresh ? { verifier: r.verifier, nonce: r.nonce, returnTo: r.returnTo } : undefined;
}
