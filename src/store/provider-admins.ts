// Provider administrators and their sessions, in the shared schema (decision 0035): all SQL of
// services/provider.ts.
import type { Database, Queryable } from './db.ts';

export interface ProviderAdminRow {
  name: string;
  disabled: boolean;
  createdAt: string;
}

export interface ProviderLoginRow {
  name: string;
  hash: string;
  disabled: boolean;
  locked: boolean;
  lockedUntil: string | null;
}

/** Inserts an account; false when the name is taken. */
export async function insertProviderAdmin(db: Queryable, name: string, passwordHash: string): Promise<boolean> {
  const { affectedRows } = await db.query(
    'INSERT INTO provider_admin (name, password_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING',
    [name, passwordHash],
  );
  return affectedRows > 0;
}

export async function selectProviderAdmins(db: Queryable): Promise<ProviderAdminRow[]> {
  return (
    await db.query<ProviderAdminRow>(
      'SELECT name, disabled, created_at::text AS "createdAt" FROM provider_admin ORDER BY name',
    )
  ).rows;
}

/** Disables an account and ends its sessions, in one transaction. */
export async function disableProviderAdminRow(db: Database, name: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('UPDATE provider_admin SET disabled = true WHERE name = $1', [name]);
    await tx.query('DELETE FROM provider_session WHERE admin = $1', [name]);
  });
}

export async function selectProviderLogin(db: Queryable, name: string): Promise<ProviderLoginRow | undefined> {
  return (
    await db.query<ProviderLoginRow>(
      'SELECT name, password_hash AS hash, disabled, coalesce(locked_until > now(), false) AS locked, locked_until::text AS "lockedUntil" FROM provider_admin WHERE name = $1',
      [name],
    )
  ).rows[0];
}

/** Counts a failed sign-in; the account is locked for `lockMinutes` from the `maxFailed`th on. */
export async function countFailedProviderLogin(
  db: Queryable,
  name: string,
  maxFailed: number,
  lockMinutes: number,
): Promise<void> {
  await db.query(
    `UPDATE provider_admin SET failed_logins = failed_logins + 1,
       locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
     WHERE name = $1`,
    [name, maxFailed, lockMinutes],
  );
}

/** Clears the failed sign-ins, drops expired sessions and starts one; returns when it expires. */
export async function startProviderSession(
  db: Database,
  name: string,
  tokenHash: string,
  csrfToken: string,
  hours: number,
): Promise<string> {
  return db.transaction(async (tx) => {
    await tx.query('UPDATE provider_admin SET failed_logins = 0, locked_until = NULL WHERE name = $1', [name]);
    await tx.query('DELETE FROM provider_session WHERE expires_at < now()');
    const r = await tx.query<{ e: string }>(
      `INSERT INTO provider_session (token_hash, admin, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4)) RETURNING expires_at::text AS e`,
      [tokenHash, name, csrfToken, hours],
    );
    return r.rows[0].e;
  });
}

/** The administrator of a live session of an enabled account. */
export async function selectProviderSession(
  db: Queryable,
  tokenHash: string,
): Promise<{ name: string; csrf: string } | undefined> {
  const r = await db.query<{ name: string; csrf: string }>(
    `SELECT s.admin AS name, s.csrf_token AS csrf FROM provider_session s JOIN provider_admin a ON a.name = s.admin
      WHERE s.token_hash = $1 AND s.expires_at > now() AND NOT a.disabled`,
    [tokenHash],
  );
  return r.rows[0];
}

export async function deleteProviderSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM provider_session WHERE token_hash = $1', [tokenHash]);
}
