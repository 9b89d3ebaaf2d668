// SQL of access control: departments, users, sessions, API tokens and the one-time setup secret.
// The use cases (checks, hashing, audit, transactions) are in services/users.ts; secrets arrive
// here only as hashes.
import { readSetting, writeSetting, deleteSetting } from './settings.ts';
import type { Queryable } from './db.ts';
import type { Role } from '../core/access.ts';
import type { DepartmentInfo, TokenInfo, UserInfo } from '../contracts/answers/index.ts';

// ---------------------------------------------------------------------------------------------
// Departments

export type DepartmentRow = DepartmentInfo;

/** Inserts a department; false when the key exists already. */
export async function insertDepartment(tx: Queryable, key: string, name: string): Promise<boolean> {
  const r = await tx.query('INSERT INTO department (key, name) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
    key,
    name,
  ]);
  return r.affectedRows > 0;
}

export async function selectDepartments(db: Queryable): Promise<DepartmentRow[]> {
  const { rows } = await db.query<DepartmentRow>(
    `SELECT d.key, d.name,
            (SELECT count(*)::int FROM app_user u WHERE u.department_id = d.id) AS users,
            (SELECT count(*)::int FROM indicator i WHERE i.owner = d.key) AS indicators
       FROM department d ORDER BY d.key`,
  );
  return rows;
}

export async function departmentId(tx: Queryable, key: string): Promise<number | undefined> {
  const { rows } = await tx.query<{ id: number }>('SELECT id FROM department WHERE key = $1', [key]);
  return rows[0]?.id;
}

// ---------------------------------------------------------------------------------------------
// Users

/** A user as administrators see it (no secrets). */
export type UserListRow = UserInfo;

const USER_COLUMNS = `u.name, u.display_name AS "displayName", u.role, d.key AS department, u.disabled_at IS NOT NULL AS disabled, u.sealed_office AS "sealedOffice",
  to_char(u.locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "lockedUntil",
  to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt"`;
const USER_FROM = 'FROM app_user u LEFT JOIN department d ON d.id = u.department_id';

export async function selectUsers(db: Queryable): Promise<UserListRow[]> {
  const { rows } = await db.query<UserListRow>(`SELECT ${USER_COLUMNS} ${USER_FROM} ORDER BY u.name`);
  return rows;
}

export async function selectUser(db: Queryable, name: string): Promise<UserListRow | undefined> {
  const { rows } = await db.query<UserListRow>(`SELECT ${USER_COLUMNS} ${USER_FROM} WHERE u.name = $1`, [name]);
  return rows[0];
}

/** Inserts a user with a password hash; false when the name is taken. */
export async function insertUser(
  tx: Queryable,
  u: {
    name: string;
    displayName: string | null;
    role: Role | string;
    departmentId: number | null;
    passwordHash: string;
  },
): Promise<boolean> {
  const r = await tx.query(
    `INSERT INTO app_user (name, display_name, role, department_id, password_hash, password_changed_at) VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (name) DO NOTHING`,
    [u.name, u.displayName, u.role, u.departmentId, u.passwordHash],
  );
  return r.affectedRows > 0;
}

/** A user created by the identity provider (no password here). */
export async function insertExternalUser(tx: Queryable, name: string, role: Role): Promise<void> {
  await tx.query(`INSERT INTO app_user (name, role) VALUES ($1, $2)`, [name, role]);
}

/** Sets the sealed-office permission; false when there is no such user. */
export async function updateSealedOffice(tx: Queryable, name: string, granted: boolean): Promise<boolean> {
  const r = await tx.query('UPDATE app_user SET sealed_office = $2 WHERE name = $1', [name, granted]);
  return r.affectedRows > 0;
}

/** Disables a user and ends their sessions: 'disabled', 'already' (was disabled) or 'missing'. */
export async function disableUserAndEndSessions(
  tx: Queryable,
  name: string,
): Promise<'disabled' | 'already' | 'missing'> {
  const r = await tx.query(
    'UPDATE app_user SET disabled_at = now() WHERE name = $1 AND disabled_at IS NULL RETURNING id',
    [name],
  );
  if (!r.affectedRows) {
    const { rows } = await tx.query('SELECT 1 FROM app_user WHERE name = $1', [name]);
    return rows.length ? 'already' : 'missing';
  }
  await tx.query('DELETE FROM user_session WHERE user_id = (SELECT id FROM app_user WHERE name = $1)', [name]);
  return 'disabled';
}

export async function countEnabledAdmins(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM app_user WHERE role = 'admin' AND disabled_at IS NULL`,
  );
  return rows[0].n;
}

/** What sign-in needs to know about a user. */
export interface SignInRow {
  id: number;
  name: string;
  role: Role;
  department: string | null;
  sealed_office: boolean;
  password_hash: string | null;
  disabled: boolean;
  locked: boolean;
  locked_until: string | null;
}

export async function signInRow(tx: Queryable, name: string): Promise<SignInRow | undefined> {
  const { rows } = await tx.query<SignInRow>(
    `SELECT u.id, u.name, u.role, d.key AS department, u.sealed_office, u.password_hash, u.disabled_at IS NOT NULL AS disabled,
            (u.locked_until IS NOT NULL AND u.locked_until > now()) AS locked, u.locked_until::text
       ${USER_FROM} WHERE u.name = $1`,
    [name],
  );
  return rows[0];
}

/** Counts a failed sign-in and locks the account for `lockMinutes` at the `maxFailed`-th; returns the count. */
export async function countFailedSignIn(
  tx: Queryable,
  userId: number,
  maxFailed: number,
  lockMinutes: number,
): Promise<number> {
  const { rows } = await tx.query<{ failed: number }>(
    `UPDATE app_user SET failed_logins = failed_logins + 1,
            locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
      WHERE id = $1 RETURNING failed_logins AS failed`,
    [userId, maxFailed, lockMinutes],
  );
  return rows[0].failed;
}

export async function clearFailedSignIns(tx: Queryable, userId: number): Promise<void> {
  await tx.query('UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1', [userId]);
}

/** Replaces the password hash and ends every session of the user but the one kept. */
export async function updatePassword(
  tx: Queryable,
  userId: number,
  passwordHash: string,
  keepSessionHash: string,
): Promise<void> {
  await tx.query('UPDATE app_user SET password_hash = $2, password_changed_at = now() WHERE id = $1', [
    userId,
    passwordHash,
  ]);
  await tx.query('DELETE FROM user_session WHERE user_id = $1 AND token_hash <> $2', [userId, keepSessionHash]);
}

// ---------------------------------------------------------------------------------------------
// Sessions

/** The signed-in user as a request sees it. */
export interface PrincipalRow {
  id: number;
  name: string;
  role: Role;
  department: string | null;
  sealed_office: boolean;
}

/** Inserts a session; returns when it expires (ISO, UTC). */
export async function insertSession(
  tx: Queryable,
  tokenHash: string,
  userId: number,
  csrfToken: string,
  maxHours: number,
): Promise<string> {
  const { rows } = await tx.query<{ expires: string }>(
    `INSERT INTO user_session (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))
     RETURNING to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS expires`,
    [tokenHash, userId, csrfToken, maxHours],
  );
  return rows[0].expires;
}

/** The user of a live session (marking it seen), or undefined when unknown, expired, idle or disabled. */
export async function touchSession(
  db: Queryable,
  tokenHash: string,
  idleMinutes: number,
): Promise<(PrincipalRow & { csrf: string }) | undefined> {
  const { rows } = await db.query<PrincipalRow & { csrf: string }>(
    `UPDATE user_session s SET last_seen_at = now()
       FROM app_user u LEFT JOIN department d ON d.id = u.department_id
      WHERE s.token_hash = $1 AND u.id = s.user_id AND u.disabled_at IS NULL
        AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(mins => $2)
      RETURNING u.id, u.name, u.role, d.key AS department, u.sealed_office, s.csrf_token AS csrf`,
    [tokenHash, idleMinutes],
  );
  return rows[0];
}

export async function deleteSession(tx: Queryable, tokenHash: string): Promise<void> {
  await tx.query('DELETE FROM user_session WHERE token_hash = $1', [tokenHash]);
}

// ---------------------------------------------------------------------------------------------
// API tokens

/** The rows of the token list are the answer the API gives (src/contracts/answers). */
export type TokenRow = TokenInfo;

export async function tokenHolder(
  tx: Queryable,
  userName: string,
): Promise<{ id: number; disabled: boolean } | undefined> {
  const { rows } = await tx.query<{ id: number; disabled: boolean }>(
    'SELECT id, disabled_at IS NOT NULL AS disabled FROM app_user WHERE name = $1',
    [userName],
  );
  return rows[0];
}

/** Inserts a token (stored as its hash and a display prefix); `days` null = no expiry. Returns its id. */
export async function insertToken(
  tx: Queryable,
  t: { userId: number; name: string; tokenHash: string; prefix: string; days: number | null },
): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO api_token (user_id, name, token_hash, prefix, expires_at) VALUES ($1, $2, $3, $4, CASE WHEN $5::int IS NULL THEN NULL ELSE now() + make_interval(days => $5::int) END) RETURNING id`,
    [t.userId, t.name, t.tokenHash, t.prefix, t.days],
  );
  return rows[0].id;
}

/** Tokens of one user, or of all users when `userName` is null. */
export async function selectTokens(db: Queryable, userName: string | null): Promise<TokenRow[]> {
  const { rows } = await db.query<TokenRow>(
    `SELECT t.id, u.name AS user, t.name, t.prefix, t.created_at::text AS "createdAt", t.last_used_at::text AS "lastUsedAt", t.expires_at::text AS "expiresAt", t.revoked_at IS NOT NULL AS revoked
       FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE ($1::text IS NULL OR u.name = $1) ORDER BY t.id`,
    [userName],
  );
  return rows;
}

export async function tokenOwner(tx: Queryable, id: number): Promise<string | undefined> {
  const { rows } = await tx.query<{ user: string }>(
    'SELECT u.name AS user FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.id = $1',
    [id],
  );
  return rows[0]?.user;
}

export async function revokeTokenRow(tx: Queryable, id: number): Promise<void> {
  await tx.query('UPDATE api_token SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1', [id]);
}

/** The user of a live token (marking it used), or undefined for unknown, revoked, expired tokens and disabled users. */
export async function touchToken(db: Queryable, tokenHash: string): Promise<PrincipalRow | undefined> {
  const { rows } = await db.query<PrincipalRow>(
    `UPDATE api_token t SET last_used_at = now()
       FROM app_user u LEFT JOIN department d ON d.id = u.department_id
      WHERE t.token_hash = $1 AND u.id = t.user_id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.disabled_at IS NULL
      RETURNING u.id, u.name, u.role, d.key AS department, u.sealed_office`,
    [tokenHash],
  );
  return rows[0];
}

// ---------------------------------------------------------------------------------------------
// The one-time setup secret (stored as its hash in the settings)

export async function storeSetupHash(db: Queryable, hash: string): Promise<void> {
  await writeSetting(db, 'setup_token', { hash });
}

export async function setupHash(db: Queryable): Promise<string | undefined> {
  return (await readSetting<{ hash: string }>(db, 'setup_token'))?.hash;
}

export async function deleteSetupHash(db: Queryable): Promise<void> {
  await deleteSetting(db, 'setup_token');
}
