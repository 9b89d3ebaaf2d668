// Provider administrators (decision 0035): the municipal IT provider's staff who manage the
// tenant directory — add, list, suspend, resume tenants — and see no tenant's data. Accounts and
// sessions live in the shared schema, apart from every tenant's users, so that a provider
// session means nothing to a tenant and a tenant session nothing to the provider API.
import type { Tenants } from '../store/tenants.ts';
import {
  countFailedProviderLogin,
  deleteProviderSession,
  disableProviderAdminRow,
  insertProviderAdmin,
  selectProviderAdmins,
  selectProviderLogin,
  selectProviderSession,
  startProviderSession,
} from '../store/provider-admins.ts';
import { hashPassword, verifyPassword, randomSecret, sha256, passwordProblem, DUMMY_HASH } from '../core/passwords.ts';
import { Conflict, InputRejected, TooManyRequests, Unauthorized } from '../core/problems.ts';
import { MAX_FAILED_LOGINS, LOCKOUT_MINUTES, SESSION_MAX_HOURS } from './users.ts';
import { coded } from '../contracts/codes/index.ts';

const ADMIN_NAME = /^[a-z][a-z0-9_.-]{0,63}$/;

export interface ProviderSession {
  token: string;
  csrfToken: string;
  name: string;
  expiresAt: string;
}

export async function addProviderAdmin(t: Tenants, name: string, password: string): Promise<{ name: string }> {
  if (!ADMIN_NAME.test(name))
    throw new InputRejected(
      [{ severity: 'error', code: 'bad-name', reason: `"${name}" is not a valid name` }],
      `"${name}" is not a valid name: lower case letters, digits, ".", "_" and "-", starting with a letter.`,
    );
  const problem = passwordProblem(password, name);
  if (problem) throw new InputRejected([{ severity: 'error', code: 'weak-password', reason: problem }], problem);
  if (!(await insertProviderAdmin(t.shared, name, await hashPassword(password))))
    throw new Conflict(coded('provider-admin-exists', { name: name }));
  return { name };
}

export async function listProviderAdmins(
  t: Tenants,
): Promise<{ name: string; disabled: boolean; createdAt: string }[]> {
  return selectProviderAdmins(t.shared);
}

/** Disables an account and ends its sessions. */
export async function disableProviderAdmin(t: Tenants, name: string): Promise<void> {
  await disableProviderAdminRow(t.shared, name);
}

/**
 * Signs a provider administrator in; wrong passwords count, and after MAX_FAILED_LOGINS the
 * account is locked for LOCKOUT_MINUTES, as for tenant users. The answer does not tell whether
 * the account exists.
 */
export async function providerLogin(t: Tenants, name: string, password: string): Promise<ProviderSession> {
  const u = await selectProviderLogin(t.shared, name);
  const ok = await verifyPassword(password, u?.hash ?? DUMMY_HASH);
  if (!u) throw new Unauthorized(coded('wrong-credentials'));
  if (u.locked) {
    const seconds = Math.max(1, Math.ceil((new Date(u.lockedUntil!).getTime() - Date.now()) / 1000));
    throw new TooManyRequests(coded('sign-ins-locked', { minutes: Math.ceil(seconds / 60) }), seconds);
  }
  if (!ok || u.disabled) {
    await countFailedProviderLogin(t.shared, name, MAX_FAILED_LOGINS, LOCKOUT_MINUTES);
    throw new Unauthorized(coded('wrong-credentials'));
  }
  const token = randomSecret();
  const csrfToken = randomSecret(24);
  const expiresAt = await startProviderSession(t.shared, name, sha256(token), csrfToken, SESSION_MAX_HOURS);
  return { token, csrfToken, name, expiresAt };
}

/** The administrator of a provider session cookie, or undefined when unknown, expired or disabled. */
export async function providerSession(
  t: Tenants,
  token: string,
): Promise<{ name: string; csrfToken: string } | undefined> {
  const r = await selectProviderSession(t.shared, sha256(token));
  return r ? { name: r.name, csrfToken: r.csrf } : undefined;
}

export async function providerLogout(t: Tenants, token: string): Promise<void> {
  await deleteProviderSession(t.shared, sha256(token));
}
