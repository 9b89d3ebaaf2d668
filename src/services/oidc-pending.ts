// Sign-ins in flight at the identity provider: what the callback needs to finish them (PKCE
// verifier, nonce, where to return), stored under the hash of their state for ten minutes.
import type { Database } from '../store/db.ts';
import { sha256 } from '../core/passwords.ts';
import { deleteStaleOidcPending, insertOidcPending, takeOidcPending } from '../store/oidc-pending.ts';

export const OIDC_PENDING_MINUTES = 10;

export interface OidcPending {
  verifier: string;
  nonce: string;
  returnTo: string;
}

/** Records a started sign-in and drops the ones that have run out. */
export async function startOidcSignIn(db: Database, state: string, p: OidcPending): Promise<void> {
  await db.transaction(async (tx) => {
    await deleteStaleOidcPending(tx, OIDC_PENDING_MINUTES);
    await insertOidcPending(tx, {
      stateHash: sha256(state),
      verifier: p.verifier,
      nonce: p.nonce,
      returnTo: p.returnTo,
    });
  });
}

/** The started sign-in for this state, once: it is deleted on the way out. Undefined when unknown or run out. */
export async function takeOidcSignIn(db: Database, state: string): Promise<OidcPending | undefined> {
  const r = await takeOidcPending(db, sha256(state), OIDC_PENDING_MINUTES);
  return r && r.fresh ? { verifier: r.verifier, nonce: r.nonce, returnTo: r.returnTo } : undefined;
}
