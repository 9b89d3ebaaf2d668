// Use cases of access control: departments, users, sign-in with lockout, sessions, API tokens,
// the one-time setup of the first admin. Every change is written to the audit trail.
import type { Database, Queryable } from '../store/db.ts';
import { ROLES, isAdmin, requireAdmin, type Principal, type Role } from '../core/access.ts';
import { hashPassword, verifyPassword, randomSecret, sha256, passwordProblem, DUMMY_HASH } from '../core/passwords.ts';
import { Conflict, Forbidden, InputRejected, NotFound, TooManyRequests, Unauthorized } from '../core/problems.ts';
import { KEY_PATTERN } from '../core/indicators.ts';
import { audit } from './audit.ts';

export const SESSION_IDLE_MINUTES = 8 * 60;
export const SESSION_MAX_HOURS = 12;
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

const USER_NAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

function reject(reason: string, hint?: string, value?: string): InputRejected {
  return new InputRejected([{ severity: 'error', code: 'bad-input', reason, hint, value }], reason + (hint ? ` ${hint}` : ''));
}

// ---------------------------------------------------------------------------------------------
// Departments

export interface DepartmentInfo {
  key: string;
  name: string;
  users: number;
  indicators: number;
}

export async function addDepartment(db: Database, who: Principal, key: string, name: string): Promise<DepartmentInfo> {
  requireAdmin(who);
  if (!KEY_PATTERN.test(key)) throw reject(`"${key}" is not a valid department key`, 'use lower case letters, digits and "_", e.g. jugend', key);
  if (!name.trim()) throw reject('the department needs a name');
  return db.transaction(async (tx) => {
    const r = await tx.query('INSERT INTO department (key, name) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, name.trim()]);
    if (!r.affectedRows) throw new Conflict(`The department "${key}" exists already.`);
    await audit(tx, who, { action: 'department.add', objectType: 'department', objectKey: key, details: { name } });
    return { key, name: name.trim(), users: 0, indicators: 0 };
  });
}

export async function listDepartments(db: Queryable): Promise<DepartmentInfo[]> {
  const { rows } = await db.query<DepartmentInfo>(
    `SELECT d.key, d.name,
            (SELECT count(*)::int FROM app_user u WHERE u.department_id = d.id) AS users,
            (SELECT count(*)::int FROM indicator i WHERE i.owner = d.key) AS indicators
       FROM department d ORDER BY d.key`,
  );
  return rows;
}

/** Creates departments named as indicator owners that do not exist yet (catalogue imports). */
export async function ensureDepartments(tx: Queryable, keys: string[]): Promise<string[]> {
  const created: string[] = [];
  for (const k of new Set(keys)) {
    const r = await tx.query('INSERT INTO department (key, name) VALUES ($1, $1) ON CONFLICT (key) DO NOTHING', [k]);
    if (r.affectedRows) created.push(k);
  }
  return created;
}

// ---------------------------------------------------------------------------------------------
// Users

export interface UserInfo {
  name: string;
  displayName: string | null;
  role: Role;
  department: string | null;
  disabled: boolean;
  lockedUntil: string | null;
  createdAt: string;
  /** Member of the sealed statistics office (may process personal records). */
  sealedOffice: boolean;
}

const USER_COLUMNS = `u.name, u.display_name AS "displayName", u.role, d.key AS department, u.disabled_at IS NOT NULL AS disabled, u.sealed_office AS "sealedOffice",
  to_char(u.locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "lockedUntil",
  to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt"`;

export async function listUsers(db: Queryable, who: Principal): Promise<UserInfo[]> {
  requireAdmin(who);
  const { rows } = await db.query<UserInfo>(`SELECT ${USER_COLUMNS} FROM app_user u LEFT JOIN department d ON d.id = u.department_id ORDER BY u.name`);
  return rows;
}

export async function addUser(
  db: Database,
  who: Principal,
  u: { name: string; role: string; department?: string | null; password: string; displayName?: string },
): Promise<UserInfo> {
  requireAdmin(who);
  if (!USER_NAME.test(u.name)) throw reject(`"${u.name}" is not a valid user name`, 'use 2–63 lower case letters, digits, ".", "_" or "-"', u.name);
  if (!(ROLES as readonly string[]).includes(u.role)) throw reject(`unknown role "${u.role}"`, `roles: ${ROLES.join(', ')}`, u.role);
  if (u.role === 'steward' && !u.department) throw reject('a steward belongs to a department', 'name it with --department KEY');
  const pw = passwordProblem(u.password, u.name);
  if (pw) throw reject(pw);
  const hash = await hashPassword(u.password);
  return db.transaction(async (tx) => {
    let departmentId: number | null = null;
    if (u.department) {
      const { rows } = await tx.query<{ id: number }>('SELECT id FROM department WHERE key = $1', [u.department]);
      if (!rows.length) throw new NotFound(`The department "${u.department}" does not exist. Create it with \`kommunalmonitor departments add ${u.department} NAME\`.`);
      departmentId = rows[0].id;
    }
    const r = await tx.query(
      `INSERT INTO app_user (name, display_name, role, department_id, password_hash, password_changed_at) VALUES ($1, $2, $3, $4, $5, now()) ON CONFLICT (name) DO NOTHING`,
      [u.name, u.displayName ?? null, u.role, departmentId, hash],
    );
    if (!r.affectedRows) throw new Conflict(`The user "${u.name}" exists already.`);
    await audit(tx, who, { action: 'user.add', objectType: 'user', objectKey: u.name, details: { role: u.role, department: u.department ?? null } });
    const { rows } = await tx.query<UserInfo>(`SELECT ${USER_COLUMNS} FROM app_user u LEFT JOIN department d ON d.id = u.department_id WHERE u.name = $1`, [u.name]);
    return rows[0];
  });
}

/** Permissions an administrator grants beside the role. */
export const PERMISSIONS = ['sealed-office'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Grants or revokes a permission; sessions and tokens see the change at their next request. */
export async function setPermission(db: Database, who: Principal, name: string, permission: string, granted: boolean): Promise<UserInfo> {
  requireAdmin(who);
  if (!(PERMISSIONS as readonly string[]).includes(permission)) throw reject(`unknown permission "${permission}"`, `permissions: ${PERMISSIONS.join(', ')}`, permission);
  return db.transaction(async (tx) => {
    const r = await tx.query('UPDATE app_user SET sealed_office = $2 WHERE name = $1', [name, granted]);
    if (!r.affectedRows) throw new NotFound(`The user "${name}" does not exist.`);
    await audit(tx, who, { action: granted ? 'user.grant' : 'user.revoke', objectType: 'user', objectKey: name, details: { permission } });
    const { rows } = await tx.query<UserInfo>(`SELECT ${USER_COLUMNS} FROM app_user u LEFT JOIN department d ON d.id = u.department_id WHERE u.name = $1`, [name]);
    return rows[0];
  });
}

/** Disables a user: sessions end, tokens stop working, sign-in is refused. */
export async function disableUser(db: Database, who: Principal, name: string): Promise<void> {
  requireAdmin(who);
  await db.transaction(async (tx) => {
    const r = await tx.query('UPDATE app_user SET disabled_at = now() WHERE name = $1 AND disabled_at IS NULL RETURNING id', [name]);
    if (!r.affectedRows) {
      const { rows } = await tx.query('SELECT 1 FROM app_user WHERE name = $1', [name]);
      if (!rows.length) throw new NotFound(`The user "${name}" does not exist.`);
      return;
    }
    await tx.query('DELETE FROM user_session WHERE user_id = (SELECT id FROM app_user WHERE name = $1)', [name]);
    await audit(tx, who, { action: 'user.disable', objectType: 'user', objectKey: name });
  });
}

export async function hasAdmin(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM app_user WHERE role = 'admin' AND disabled_at IS NULL`);
  return rows[0].n > 0;
}

// ---------------------------------------------------------------------------------------------
// Sign-in and sessions

interface UserRow {
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

async function userByName(tx: Queryable, name: string): Promise<UserRow | undefined> {
  const { rows } = await tx.query<UserRow>(
    `SELECT u.id, u.name, u.role, d.key AS department, u.sealed_office, u.password_hash, u.disabled_at IS NOT NULL AS disabled,
            (u.locked_until IS NOT NULL AND u.locked_until > now()) AS locked, u.locked_until::text
       FROM app_user u LEFT JOIN department d ON d.id = u.department_id WHERE u.name = $1`,
    [name],
  );
  return rows[0];
}

function principalOf(u: { id: number; name: string; role: Role; department: string | null; sealed_office: boolean }): Principal {
  return { kind: 'user', id: u.id, name: u.name, role: u.role, department: u.department, sealedOffice: u.sealed_office };
}

export interface SessionStart {
  token: string;
  csrfToken: string;
  principal: Principal;
  expiresAt: string;
}

/**
 * Signs a user in. Wrong passwords count; after MAX_FAILED_LOGINS the account is locked for
 * LOCKOUT_MINUTES. The answer does not tell whether the user exists.
 */
export async function login(db: Database, name: string, password: string, ip?: string): Promise<SessionStart> {
  const u = await userByName(db, name);
  const ok = await verifyPassword(password, u?.password_hash ?? DUMMY_HASH);
  // Failures are committed (counter, lockout, audit) before the error is raised.
  const outcome = await db.transaction(async (tx): Promise<SessionStart | Error> => {
    if (!u) {
      await audit(tx, { kind: 'anonymous' }, { action: 'login.failed', objectType: 'user', objectKey: name.slice(0, 64), ip, details: { reason: 'unknown user' } });
      return new Unauthorized('Wrong user name or password.');
    }
    if (u.locked) {
      const seconds = Math.max(1, Math.ceil((new Date(u.locked_until!).getTime() - Date.now()) / 1000));
      await audit(tx, { kind: 'anonymous' }, { action: 'login.locked', objectType: 'user', objectKey: name, ip });
      return new TooManyRequests(`Too many failed sign-ins: the account is locked for ${Math.ceil(seconds / 60)} more minute(s).`, seconds);
    }
    if (!ok || u.disabled) {
      const { rows } = await tx.query<{ failed: number }>(
        `UPDATE app_user SET failed_logins = failed_logins + 1,
                locked_until = CASE WHEN failed_logins + 1 >= $2 THEN now() + make_interval(mins => $3) ELSE locked_until END
          WHERE id = $1 RETURNING failed_logins AS failed`,
        [u.id, MAX_FAILED_LOGINS, LOCKOUT_MINUTES],
      );
      await audit(tx, { kind: 'anonymous' }, { action: 'login.failed', objectType: 'user', objectKey: name, ip, details: { reason: u.disabled ? 'disabled' : 'wrong password', failed: rows[0].failed } });
      return new Unauthorized('Wrong user name or password.');
    }
    await tx.query('UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1', [u.id]);
    return startSession(tx, u, 'password', ip);
  });
  if (outcome instanceof Error) throw outcome;
  return outcome;
}

async function startSession(tx: Queryable, u: UserRow, via: 'password' | 'oidc', ip?: string): Promise<SessionStart> {
  const token = randomSecret();
  const csrfToken = randomSecret(24);
  const { rows } = await tx.query<{ expires: string }>(
    `INSERT INTO user_session (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + make_interval(hours => $4))
     RETURNING to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS expires`,
    [sha256(token), u.id, csrfToken, SESSION_MAX_HOURS],
  );
  const principal = principalOf(u);
  await audit(tx, principal, { action: 'login', objectType: 'user', objectKey: u.name, ip, details: { via } });
  return { token, csrfToken, principal, expiresAt: rows[0].expires };
}

/**
 * Signs in a user whom the municipal identity provider (OpenID Connect) has authenticated. The
 * account must exist and be enabled here: the provider says who someone is, Kommunalmonitor
 * decides what they may see. With `provisionRole`, unknown users are created with that role.
 */
export async function loginExternal(db: Database, name: string, o: { ip?: string; provisionRole?: Role } = {}): Promise<SessionStart> {
  const normalised = name.trim().toLowerCase();
  const outcome = await db.transaction(async (tx): Promise<SessionStart | Error> => {
    let u = await userByName(tx, normalised);
    if (!u && o.provisionRole && USER_NAME.test(normalised)) {
      await tx.query(`INSERT INTO app_user (name, role) VALUES ($1, $2)`, [normalised, o.provisionRole]);
      await audit(tx, { kind: 'system', name: 'oidc' }, { action: 'user.add', objectType: 'user', objectKey: normalised, details: { role: o.provisionRole, via: 'oidc' } });
      u = await userByName(tx, normalised);
    }
    if (!u || u.disabled) {
      await audit(tx, { kind: 'anonymous' }, { action: 'login.failed', objectType: 'user', objectKey: normalised.slice(0, 64), ip: o.ip, details: { via: 'oidc', reason: u ? 'disabled' : 'unknown user' } });
      return new Forbidden(`The user "${normalised}" has no access to Kommunalmonitor. Ask an administrator to create the account.`);
    }
    return startSession(tx, u, 'oidc', o.ip);
  });
  if (outcome instanceof Error) throw outcome;
  return outcome;
}

/** The principal of a session cookie, or undefined when the session is unknown, expired or idle too long. */
export async function sessionPrincipal(db: Queryable, token: string): Promise<{ principal: Principal; csrfToken: string } | undefined> {
  const { rows } = await db.query<{ id: number; name: string; role: Role; department: string | null; sealed_office: boolean; csrf: string }>(
    `UPDATE user_session s SET last_seen_at = now()
       FROM app_user u LEFT JOIN department d ON d.id = u.department_id
      WHERE s.token_hash = $1 AND u.id = s.user_id AND u.disabled_at IS NULL
        AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(mins => $2)
      RETURNING u.id, u.name, u.role, d.key AS department, u.sealed_office, s.csrf_token AS csrf`,
    [sha256(token), SESSION_IDLE_MINUTES],
  );
  const r = rows[0];
  return r ? { principal: principalOf(r), csrfToken: r.csrf } : undefined;
}

export async function logout(db: Database, token: string, who: Principal): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM user_session WHERE token_hash = $1', [sha256(token)]);
    if (who.kind === 'user') await audit(tx, who, { action: 'logout', objectType: 'user', objectKey: who.name });
  });
}

/** Changes one's own password; every other session of the user ends. */
export async function changePassword(db: Database, who: Principal, current: string, next: string, keepSessionToken?: string): Promise<void> {
  if (who.kind !== 'user') throw new Unauthorized();
  const u = await userByName(db, who.name);
  if (!u || !(await verifyPassword(current, u.password_hash))) throw new Forbidden('The current password is wrong.');
  const pw = passwordProblem(next, who.name);
  if (pw) throw reject(pw);
  const hash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx.query('UPDATE app_user SET password_hash = $2, password_changed_at = now() WHERE id = $1', [u.id, hash]);
    await tx.query('DELETE FROM user_session WHERE user_id = $1 AND token_hash <> $2', [u.id, keepSessionToken ? sha256(keepSessionToken) : '']);
    await audit(tx, who, { action: 'user.password', objectType: 'user', objectKey: who.name });
  });
}

// ---------------------------------------------------------------------------------------------
// API tokens (automation, e.g. nightly imports): scoped to a user, revocable, stored hashed.

export interface TokenInfo {
  id: number;
  user: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revoked: boolean;
}

export async function createToken(db: Database, who: Principal, o: { user: string; name: string; days?: number }): Promise<TokenInfo & { token: string }> {
  if (who.kind === 'anonymous') throw new Unauthorized();
  if (!isAdmin(who) && (who.kind !== 'user' || who.name !== o.user)) throw new Forbidden('You may create tokens only for yourself.');
  if (!o.name.trim()) throw reject('the token needs a name, e.g. "nightly import"');
  const token = `km_${randomSecret(30)}`;
  return db.transaction(async (tx) => {
    const { rows: users } = await tx.query<{ id: number; disabled: boolean }>('SELECT id, disabled_at IS NOT NULL AS disabled FROM app_user WHERE name = $1', [o.user]);
    if (!users.length) throw new NotFound(`The user "${o.user}" does not exist.`);
    if (users[0].disabled) throw new Conflict(`The user "${o.user}" is disabled.`);
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO api_token (user_id, name, token_hash, prefix, expires_at) VALUES ($1, $2, $3, $4, CASE WHEN $5::int IS NULL THEN NULL ELSE now() + make_interval(days => $5::int) END) RETURNING id`,
      [users[0].id, o.name.trim(), sha256(token), token.slice(0, 10), o.days ?? null],
    );
    await audit(tx, who, { action: 'token.create', objectType: 'token', objectKey: String(rows[0].id), details: { user: o.user, name: o.name } });
    const info = (await listTokens(tx, who, o.user)).find((t) => t.id === rows[0].id)!;
    return { ...info, token };
  });
}

export async function listTokens(db: Queryable, who: Principal, user?: string): Promise<TokenInfo[]> {
  if (who.kind === 'anonymous') throw new Unauthorized();
  const only = isAdmin(who) ? user ?? null : who.kind === 'user' ? who.name : null;
  const { rows } = await db.query<TokenInfo>(
    `SELECT t.id, u.name AS user, t.name, t.prefix, t.created_at::text AS "createdAt", t.last_used_at::text AS "lastUsedAt", t.expires_at::text AS "expiresAt", t.revoked_at IS NOT NULL AS revoked
       FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE ($1::text IS NULL OR u.name = $1) ORDER BY t.id`,
    [only],
  );
  return rows;
}

export async function revokeToken(db: Database, who: Principal, id: number): Promise<void> {
  if (who.kind === 'anonymous') throw new Unauthorized();
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ user: string }>('SELECT u.name AS user FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.id = $1', [id]);
    if (!rows.length) throw new NotFound(`The token ${id} does not exist.`);
    if (!isAdmin(who) && (who.kind !== 'user' || who.name !== rows[0].user)) throw new NotFound(`The token ${id} does not exist.`);
    await tx.query('UPDATE api_token SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1', [id]);
    await audit(tx, who, { action: 'token.revoke', objectType: 'token', objectKey: String(id), details: { user: rows[0].user } });
  });
}

/** The principal of an API token, or undefined for unknown, revoked, expired tokens and disabled users. */
export async function tokenPrincipal(db: Queryable, token: string): Promise<Principal | undefined> {
  const { rows } = await db.query<{ id: number; name: string; role: Role; department: string | null; sealed_office: boolean }>(
    `UPDATE api_token t SET last_used_at = now()
       FROM app_user u LEFT JOIN department d ON d.id = u.department_id
      WHERE t.token_hash = $1 AND u.id = t.user_id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.disabled_at IS NULL
      RETURNING u.id, u.name, u.role, d.key AS department, u.sealed_office`,
    [sha256(token)],
  );
  return rows[0] ? principalOf(rows[0]) : undefined;
}

// ---------------------------------------------------------------------------------------------
// One-time setup link for the first admin

/** Creates a one-time setup secret when no admin exists yet; returns it (to be printed once). */
export async function prepareSetup(db: Database): Promise<string | undefined> {
  if (await hasAdmin(db)) return undefined;
  const secret = randomSecret(24);
  await db.query(`INSERT INTO setting (key, value) VALUES ('setup_token', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [JSON.stringify({ hash: sha256(secret) })]);
  return secret;
}

export async function completeSetup(db: Database, secret: string, u: { name: string; password: string; displayName?: string }): Promise<UserInfo> {
  const { rows } = await db.query<{ value: { hash: string } }>(`SELECT value FROM setting WHERE key = 'setup_token'`);
  if (!rows.length || rows[0].value.hash !== sha256(secret) || (await hasAdmin(db))) throw new NotFound('This setup link is not valid (any more).');
  const created = await addUser(db, { kind: 'system', name: 'setup' }, { ...u, role: 'admin' });
  await db.query(`DELETE FROM setting WHERE key = 'setup_token'`);
  return created;
}
