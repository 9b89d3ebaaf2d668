// Provider administrators (decision 0035): the municipal IT provider's staff who manage the
// tenant directory — add, list, suspend, resume tenants — and see no tenant's data. Accounts and
// sessions live in the shared schema, apart from every tenant's users, so that a provider
// session means nothing to a tenant and a tenant session nothing to the provider API.
import type { Tenants } from '../store/tenants.ts';
import { hashPassword, verifyPassword, randomSecret, sha256, passwordProblem, DUMMY_HASH } from '../core/passwords.ts';
import { Conflict, InputRejected, TooManyRequests, Unauthorized } from '../core/problems.ts';
import { MAX_FAILED_LOGINS, LOCKOUT_MINUTES, SESSION_MAX_HOURS } from './users.ts';

const ADMIN_NAME = /^[a-z][a-z0-9_.-]{0,63}$/;

export interface ProviderSession {
  token: string;
  csrfToken: string;
  name: string;
  expiresAt: string;
}

export async function addProviderAdmin(t: Tenants, name: string, password: string): Promise<{ name: string }> {
  if (!ADMIN_NAME.test(name)) throw new InputRejected([{ severity: 'error', code: 'bad-name', reason: `"${name}" is not a valid name` }], `"${name}" is not a valid name: lower case letters, digits, ".", "_" and "-", starting with a letter.`);
  const problem = passwordProblem(password, name);
  if (problem) throw new InputRejected([{ severity: 'error', code: 'weak-password', reason: problem }], problem);
  const { affectedRows } = await t.shared.query('INSERT INTO provider_admin (name, password_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING', [name, await hashPassword(password)]);
  if (!affectedRows) throw new Conflict(`A provider administrator "${name}" exists already.`);
  return { name };
}

export async function listProviderAdmins(t: Tenants): Promise<{ name: string; disabled: boolean; createdAt: string }[]> {
  return (await t.shared.query<{ name: string; disabled: boolean; createdAt: string }>('SELECT name, disabled, created_at::text AS "createdAt" FROM provider_admin ORDER BY name')).rows;
}

/** Disables an account and ends its sessions. */
export async function disableProviderAdmin(t: Tenants, name: string): Promise<void> {
  await t.shared.transaction(async (tx) => {
    await tx.query('UPDATE provider_admin SET disabled = true WHERE name = $1', [name]);
    await tx.query('DELETE FROM provider_session WHERE admin = $1', [name]);
  });
}

/**
 * Signs a provider administrator in; wrong passwords count, and after MAX_FAILED_LOGINS the
 * account is locked for LOCKOUT_MINUTES, as for tenant users. The answer does not tell whether
 * the account exists.
 */
export async function providerLogin(t: Tenants, name: string, password: string): Promise<ProviderSession> {
  const u = (await t.shared.query<{ name: string; hash: string; disabled: boolean; locked: boolean; lockedUntil: string | null }>(
    'SELECT name, password_hash AS hash, disabled, coalesce(locked_until > now(), false) AS locked, locked_until::text AS "lockedUntil" FROM provider_admin WHERE name = $1',
    [name],
  )).rows[0];
  const ok = await verifyPassword(password, u?.hash ?? DUMMY_HASH);
  if (!u) throw new Unauthorized('Wrong user name or password.');
  if (u.locked) {
    const seconds = Math.max(1, Math.ceil((new Date(u.lockedUntil!).getTime() - Date.now()) / 1000));
    throw new TooManyRequests(`Too many failed sign-ins: the account is locked for ${Math.ceil(seconds / 60)} more minute(s).`, seconds);
  }
  if (!ok || u.disabled) {
    await t.shared.query(
      `UPDATE provider_admin SET failed_logins = failed_logins + 1,
         locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
       WHERE name = $1`,
      [name, MAX_FAILED_LOGINS, LOCKOUT_MINUTES],
    );
    throw new Unauthorized('Wrong user name or password.');
  }
  const token = randomSecret();
  const csrfToken = randomSecret(24);
  const expiresAt = await t.shared.transaction(async (tx) => {
    await tx.query('UPDATE provider_admin SET failed_logins = 0, locked_until = NULL WHERE name = $1', [name]);
    await tx.query('DELETE FROM provider_session WHERE expires_at < now()');
    const r = await tx.query<{ e: string }>(`INSERT INTO provider_session (token_hash, admin, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4)) RETURNING expires_at::text AS e`, [sha256(token), name, csrfToken, SESSION_MAX_HOURS]);
    return r.rows[0].e;
  });
  return { token, csrfToken, name, expiresAt };
}

/** The administrator of a provider session cookie, or undefined when unknown, expired or disabled. */
export async function providerSession(t: Tenants, token: string): Promise<{ name: string; csrfToken: string } | undefined> {
  const r = await t.shared.query<{ name: string; csrf: string }>(
    `SELECT s.admin AS name, s.csrf_token AS csrf FROM provider_session s JOIN provider_admin a ON a.name = s.admin
      WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT a.disabled`,
    [sha256(token)],
  );
  return r.rows[0] ? { name: r.rows[0].name, csrfToken: r.rows[0].csrf } : undefined;
}

export async function providerLogout(t: Tenants, token: string): Promise<void> {
  await t.shared.query('DELETE FROM provider_session WHERE token_hash = $1', [sha256(token)]);
}
