// Provider administrators see no tenant's data unless the tenant grants it (decision 0044). A
// tenant's administrator grants a named provider administrator a reading role (viewer or
// analyst) until a day at most 90 days ahead; the provider administrator, signed in to the
// provider API, then takes an API token of this tenant valid for one day, for an account of this
// tenant made for the grant ("provider.NAME", no password). Everything it reads is audited like
// any user's reads, and granting, taking a token and revoking are audited too. Revoking disables
// the account, which ends its tokens at once.
import type { Database, Queryable } from '../store/db.ts';
import { requireAdmin, principalName, type Principal } from '../core/access.ts';
import { Conflict, Forbidden, InputRejected, NotFound } from '../core/problems.ts';
import { randomSecret, sha256 } from '../core/passwords.ts';
import { audit } from './audit.ts';
import * as store from '../store/provider-access.ts';
import { disableUserAndEndSessions, insertExternalUser, insertToken, tokenHolder } from '../store/accounts.ts';
import { coded } from '../contracts/codes/index.ts';

export type ProviderAccess = store.ProviderAccessRow;
export const PROVIDER_ACCESS_ROLES = ['viewer', 'analyst'] as const;
/** The longest a grant may run, in days from today. */
export const PROVIDER_ACCESS_MAX_DAYS = 90;
/** Provider administrators' names (services/provider.ts). */
const ADMIN_NAME = /^[a-z][a-z0-9_.-]{0,53}$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The tenant account a grant reads through. */
export const grantUserName = (admin: string) => `provider.${admin}`;

function checkAdminName(admin: string): void {
  if (!ADMIN_NAME.test(admin))
    throw new InputRejected(
      [
        {
          severity: 'error',
          code: 'bad-name',
          reason: `"${admin}" is not a provider administrator's name`,
          value: admin,
        },
      ],
      `"${admin}" is not a provider administrator's name: lower case letters, digits, ".", "_" and "-", starting with a letter, at most 54 characters.`,
    );
}

export async function listProviderAccess(db: Queryable, who: Principal): Promise<ProviderAccess[]> {
  requireAdmin(who);
  return store.selectProviderAccess(db);
}

/** Grants (or renews) a provider administrator's access until the given day (inclusive). */
export async function grantProviderAccess(
  db: Database,
  who: Principal,
  g: { admin: string; role: string; until: string },
): Promise<ProviderAccess> {
  requireAdmin(who);
  checkAdminName(g.admin);
  if (!(PROVIDER_ACCESS_ROLES as readonly string[]).includes(g.role))
    throw new InputRejected(
      [
        {
          severity: 'error',
          code: 'bad-role',
          reason: `role must be viewer or analyst, not "${g.role}"`,
          value: g.role,
        },
      ],
      `A provider administrator may be granted the role viewer or analyst, not "${g.role}": the provider reads, the municipality's own staff change.`,
    );
  const today = new Date().toISOString().slice(0, 10);
  const last = new Date(Date.now() + PROVIDER_ACCESS_MAX_DAYS * 86_400_000).toISOString().slice(0, 10);
  if (!DATE.test(g.until) || Number.isNaN(Date.parse(g.until)) || g.until < today || g.until > last) {
    throw new InputRejected(
      [
        {
          severity: 'error',
          code: 'bad-date',
          reason: `the grant must end on a day from ${today} to ${last}`,
          value: g.until,
          hint: 'YYYY-MM-DD',
        },
      ],
      `The grant must end on a day from today (${today}) to ${PROVIDER_ACCESS_MAX_DAYS} days ahead (${last}), written YYYY-MM-DD.`,
    );
  }
  return db.transaction(async (tx) => {
    await store.upsertProviderAccess(tx, {
      admin: g.admin,
      role: g.role,
      until: g.until,
      grantedBy: principalName(who),
    });
    await audit(tx, who, {
      action: 'provider-access.grant',
      objectType: 'provider-admin',
      objectKey: g.admin,
      details: { role: g.role, until: g.until },
    });
    return (await store.selectProviderAccess(tx)).find((r) => r.admin === g.admin)!;
  });
}

/** Ends a grant at once (it stays listed as ended): its account is disabled, so its tokens no longer work. */
export async function revokeProviderAccess(db: Database, who: Principal, admin: string): Promise<void> {
  requireAdmin(who);
  await db.transaction(async (tx) => {
    const userId = await store.endProviderAccess(tx, admin);
    if (userId === undefined) throw new NotFound(coded('provider-access-not-in-force', { admin }));
    if (userId !== null) await disableUserAndEndSessions(tx, grantUserName(admin));
    await audit(tx, who, { action: 'provider-access.revoke', objectType: 'provider-admin', objectKey: admin });
  });
}

/**
 * For a signed-in provider administrator (the provider API has checked the session): an API
 * token of this tenant for one day, when a grant is in force today; Forbidden otherwise.
 */
export async function takeProviderToken(
  db: Database,
  admin: string,
): Promise<{ token: string; user: string; role: string; until: string; expiresInDays: number }> {
  checkAdminName(admin);
  const provider: Principal = { kind: 'system', name: `provider:${admin}` };
  const outcome = await db.transaction(async (tx) => {
    const grant = await store.currentProviderAccess(tx, admin);
    if (!grant) {
      await audit(tx, provider, { action: 'provider-access.refused', objectType: 'provider-admin', objectKey: admin });
      return new Forbidden(coded('provider-access-not-granted', { admin }));
    }
    const name = grantUserName(admin);
    let userId = grant.userId ?? undefined;
    if (userId === undefined) {
      // An account of that name that the grant did not make is someone else's: never taken over.
      if ((await tokenHolder(tx, name)) !== undefined)
        return new Conflict(coded('provider-account-taken', { name, admin }));
      await insertExternalUser(tx, name, grant.role);
      userId = (await tokenHolder(tx, name))!.id;
      await store.setProviderAccessUser(tx, admin, userId);
    }
    await store.enableGrantUser(tx, userId, grant.role);
    const token = `km_${randomSecret(30)}`;
    const id = await insertToken(tx, {
      userId,
      name: `provider access of ${admin}`,
      tokenHash: sha256(token),
      prefix: token.slice(0, 10),
      days: 1,
    });
    await audit(tx, provider, {
      action: 'provider-access.token',
      objectType: 'token',
      objectKey: String(id),
      details: { user: name, role: grant.role, until: grant.until },
    });
    return { token, user: name, role: grant.role, until: grant.until, expiresInDays: 1 };
  });
  if (outcome instanceof Error) throw outcome;
  return outcome;
}
