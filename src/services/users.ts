// Use cases of access control: departments, users, sign-in with lockout, sessions, API tokens,
// the one-time setup of the first admin. Every change is written to the audit trail.
import type { Database, Queryable } from '../store/db.ts';
import { ROLES, isAdmin, requireAdmin, type Principal, type Role } from '../core/access.ts';
import { hashPassword, verifyPassword, randomSecret, sha256, passwordProblem, DUMMY_HASH } from '../core/passwords.ts';
import { Conflict, Forbidden, InputRejected, NotFound, TooManyRequests, Unauthorized } from '../core/problems.ts';
import { KEY_PATTERN } from '../core/indicators.ts';
import { audit } from './audit.ts';
import * as store from '../store/accounts.ts';
import { coded } from '../contracts/codes/index.ts';

const SESSION_IDLE_MINUTES = 8 * 60;
export const SESSION_MAX_HOURS = 12;
export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

const USER_NAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;

function reject(reason: string, hint?: string, value?: string): InputRejected {
  return new InputRejected(
    [{ severity: 'error', code: 'bad-input', reason, hint, value }],
    reason + (hint ? ` ${hint}` : ''),
  );
}

// ---------------------------------------------------------------------------------------------
// Departments

export type DepartmentInfo = store.DepartmentRow;

export async function addDepartment(db: Database, who: Principal, key: string, name: string): Promise<DepartmentInfo> {
  requireAdmin(who);
  if (!KEY_PATTERN.test(key))
    throw reject(`"${key}" is not a valid department key`, 'use lower case letters, digits and "_", e.g. jugend', key);
  if (!name.trim()) throw reject('the department needs a name');
  return db.transaction(async (tx) => {
    if (!(await store.insertDepartment(tx, key, name.trim())))
      throw new Conflict(coded('department-exists', { department: key }));
    await audit(tx, who, { action: 'department.add', objectType: 'department', objectKey: key, details: { name } });
    return { key, name: name.trim(), users: 0, indicators: 0 };
  });
}

export async function listDepartments(db: Queryable): Promise<DepartmentInfo[]> {
  return store.selectDepartments(db);
}

/** Creates departments named as indicator owners that do not exist yet (catalogue imports). */
export async function ensureDepartments(tx: Queryable, keys: string[]): Promise<string[]> {
  const created: string[] = [];
  for (const k of new Set(keys)) {
    if (await store.insertDepartment(tx, k, k)) created.push(k);
  }
  return created;
}

// ---------------------------------------------------------------------------------------------
// Users

/** A user as administrators see it; `sealedOffice`: member of the sealed statistics office (may process personal records). */
export type UserInfo = store.UserListRow;

export async function listUsers(db: Queryable, who: Principal): Promise<UserInfo[]> {
  requireAdmin(who);
  return store.selectUsers(db);
}

export async function addUser(
  db: Database,
  who: Principal,
  u: { name: string; role: string; department?: string | null; password: string; displayName?: string },
): Promise<UserInfo> {
  requireAdmin(who);
  if (!USER_NAME.test(u.name))
    throw reject(
      `"${u.name}" is not a valid user name`,
      'use 2–63 lower case letters, digits, ".", "_" or "-"',
      u.name,
    );
  if (!(ROLES as readonly string[]).includes(u.role))
    throw reject(`unknown role "${u.role}"`, `roles: ${ROLES.join(', ')}`, u.role);
  if (u.role === 'steward' && !u.department)
    throw reject('a steward belongs to a department', 'name it with --department KEY');
  const pw = passwordProblem(u.password, u.name);
  if (pw) throw reject(pw);
  const hash = await hashPassword(u.password);
  return db.transaction(async (tx) => {
    let departmentId: number | null = null;
    if (u.department) {
      departmentId = (await store.departmentId(tx, u.department)) ?? null;
      if (departmentId === null) throw new NotFound(coded('department-not-found', { department: u.department }));
    }
    if (
      !(await store.insertUser(tx, {
        name: u.name,
        displayName: u.displayName ?? null,
        role: u.role,
        departmentId,
        passwordHash: hash,
      }))
    )
      throw new Conflict(coded('user-exists', { user: u.name }));
    await audit(tx, who, {
      action: 'user.add',
      objectType: 'user',
      objectKey: u.name,
      details: { role: u.role, department: u.department ?? null },
    });
    return (await store.selectUser(tx, u.name))!;
  });
}

/** Permissions an administrator grants beside the role. */
const PERMISSIONS = ['sealed-office'] as const;

/** Grants or revokes a permission; sessions and tokens see the change at their next request. */
export async function setPermission(
  db: Database,
  who: Principal,
  name: string,
  permission: string,
  granted: boolean,
): Promise<UserInfo> {
  requireAdmin(who);
  if (!(PERMISSIONS as readonly string[]).includes(permission))
    throw reject(`unknown permission "${permission}"`, `permissions: ${PERMISSIONS.join(', ')}`, permission);
  return db.transaction(async (tx) => {
    if (!(await store.updateSealedOffice(tx, name, granted)))
      throw new NotFound(coded('user-not-found', { user: name }));
    await audit(tx, who, {
      action: granted ? 'user.grant' : 'user.revoke',
      objectType: 'user',
      objectKey: name,
      details: { permission },
    });
    return (await store.selectUser(tx, name))!;
  });
}

/** Disables a user: sessions end, tokens stop working, sign-in is refused. */
export async function disableUser(db: Database, who: Principal, name: string): Promise<void> {
  requireAdmin(who);
  await db.transaction(async (tx) => {
    const outcome = await store.disableUserAndEndSessions(tx, name);
    if (outcome === 'missing') throw new NotFound(coded('user-not-found', { user: name }));
    if (outcome === 'already') return;
    await audit(tx, who, { action: 'user.disable', objectType: 'user', objectKey: name });
  });
}

async function hasAdmin(db: Queryable): Promise<boolean> {
  return (await store.countEnabledAdmins(db)) > 0;
}

// ---------------------------------------------------------------------------------------------
// Sign-in and sessions

type UserRow = store.SignInRow;
const userByName = store.signInRow;

function principalOf(u: store.PrincipalRow): Principal {
  return {
    kind: 'user',
    id: u.id,
    name: u.name,
    role: u.role,
    department: u.department,
    sealedOffice: u.sealed_office,
  };
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
      await audit(
        tx,
        { kind: 'anonymous' },
        {
          action: 'login.failed',
          objectType: 'user',
          objectKey: name.slice(0, 64),
          ip,
          details: { reason: 'unknown user' },
        },
      );
      return new Unauthorized(coded('wrong-credentials'));
    }
    if (u.locked) {
      const seconds = Math.max(1, Math.ceil((new Date(u.locked_until!).getTime() - Date.now()) / 1000));
      await audit(tx, { kind: 'anonymous' }, { action: 'login.locked', objectType: 'user', objectKey: name, ip });
      return new TooManyRequests(coded('sign-ins-locked', { minutes: Math.ceil(seconds / 60) }), seconds);
    }
    if (!ok || u.disabled) {
      const failed = await store.countFailedSignIn(tx, u.id, MAX_FAILED_LOGINS, LOCKOUT_MINUTES);
      await audit(
        tx,
        { kind: 'anonymous' },
        {
          action: 'login.failed',
          objectType: 'user',
          objectKey: name,
          ip,
          details: { reason: u.disabled ? 'disabled' : 'wrong password', failed },
        },
      );
      return new Unauthorized(coded('wrong-credentials'));
    }
    await store.clearFailedSignIns(tx, u.id);
    return startSession(tx, u, 'password', ip);
  });
  if (outcome instanceof Error) throw outcome;
  return outcome;
}

async function startSession(tx: Queryable, u: UserRow, via: 'password' | 'oidc', ip?: string): Promise<SessionStart> {
  const token = randomSecret();
  const csrfToken = randomSecret(24);
  const expiresAt = await store.insertSession(tx, sha256(token), u.id, csrfToken, SESSION_MAX_HOURS);
  const principal = principalOf(u);
  await audit(tx, principal, { action: 'login', objectType: 'user', objectKey: u.name, ip, details: { via } });
  return { token, csrfToken, principal, expiresAt };
}

/**
 * Signs in a user whom the municipal identity provider (OpenID Connect) has authenticated. The
 * account must exist and be enabled here: the provider says who someone is, Kommunalmonitor
 * decides what they may see. With `provisionRole`, unknown users are created with that role.
 */
export async function loginExternal(
  db: Database,
  name: string,
  o: { ip?: string; provisionRole?: Role } = {},
): Promise<SessionStart> {
  const normalised = name.trim().toLowerCase();
  const outcome = await db.transaction(async (tx): Promise<SessionStart | Error> => {
    let u = await userByName(tx, normalised);
    if (!u && o.provisionRole && USER_NAME.test(normalised)) {
      await store.insertExternalUser(tx, normalised, o.provisionRole);
      await audit(
        tx,
        { kind: 'system', name: 'oidc' },
        {
          action: 'user.add',
          objectType: 'user',
          objectKey: normalised,
          details: { role: o.provisionRole, via: 'oidc' },
        },
      );
      u = await userByName(tx, normalised);
    }
    if (!u || u.disabled) {
      await audit(
        tx,
        { kind: 'anonymous' },
        {
          action: 'login.failed',
          objectType: 'user',
          objectKey: normalised.slice(0, 64),
          ip: o.ip,
          details: { via: 'oidc', reason: u ? 'disabled' : 'unknown user' },
        },
      );
      return new Forbidden(coded('user-no-access', { user: normalised }));
    }
    return startSession(tx, u, 'oidc', o.ip);
  });
  if (outcome instanceof Error) throw outcome;
  return outcome;
}

/** The principal of a session cookie, or undefined when the session is unknown, expired or idle too long. */
export async function sessionPrincipal(
  db: Queryable,
  token: string,
): Promise<{ principal: Principal; csrfToken: string } | undefined> {
  const r = await store.touchSession(db, sha256(token), SESSION_IDLE_MINUTES);
  return r ? { principal: principalOf(r), csrfToken: r.csrf } : undefined;
}

export async function logout(db: Database, token: string, who: Principal): Promise<void> {
  await db.transaction(async (tx) => {
    await store.deleteSession(tx, sha256(token));
    if (who.kind === 'user') await audit(tx, who, { action: 'logout', objectType: 'user', objectKey: who.name });
  });
}

/** Changes one's own password; every other session of the user ends. */
export async function changePassword(
  db: Database,
  who: Principal,
  current: string,
  next: string,
  keepSessionToken?: string,
): Promise<void> {
  if (who.kind !== 'user') throw new Unauthorized();
  const u = await userByName(db, who.name);
  if (!u || !(await verifyPassword(current, u.password_hash))) throw new Forbidden(coded('wrong-current-password'));
  const pw = passwordProblem(next, who.name);
  if (pw) throw reject(pw);
  const hash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await store.updatePassword(tx, u.id, hash, keepSessionToken ? sha256(keepSessionToken) : '');
    await audit(tx, who, { action: 'user.password', objectType: 'user', objectKey: who.name });
  });
}

// ---------------------------------------------------------------------------------------------
// API tokens (automation, e.g. nightly imports): scoped to a user, revocable, stored hashed.

export type TokenInfo = store.TokenRow;

export async function createToken(
  db: Database,
  who: Principal,
  o: { user: string; name: string; days?: number },
): Promise<TokenInfo & { token: string }> {
  if (who.kind === 'anonymous') throw new Unauthorized();
  if (!isAdmin(who) && (who.kind !== 'user' || who.name !== o.user)) throw new Forbidden(coded('own-tokens-only'));
  if (!o.name.trim()) throw reject('the token needs a name, e.g. "nightly import"');
  const token = `km_${randomSecret(30)}`;
  return db.transaction(async (tx) => {
    const holder = await store.tokenHolder(tx, o.user);
    if (!holder) throw new NotFound(coded('user-not-found', { user: o.user }));
    if (holder.disabled) throw new Conflict(coded('user-disabled', { user: o.user }));
    const id = await store.insertToken(tx, {
      userId: holder.id,
      name: o.name.trim(),
      tokenHash: sha256(token),
      prefix: token.slice(0, 10),
      days: o.days ?? null,
    });
    await audit(tx, who, {
      action: 'token.create',
      objectType: 'token',
      objectKey: String(id),
      details: { user: o.user, name: o.name },
    });
    const info = (await listTokens(tx, who, o.user)).find((t) => t.id === id)!;
    return { ...info, token };
  });
}

export async function listTokens(db: Queryable, who: Principal, user?: string): Promise<TokenInfo[]> {
  if (who.kind === 'anonymous') throw new Unauthorized();
  const only = isAdmin(who) ? (user ?? null) : who.kind === 'user' ? who.name : null;
  return store.selectTokens(db, only);
}

export async function revokeToken(db: Database, who: Principal, id: number): Promise<void> {
  if (who.kind === 'anonymous') throw new Unauthorized();
  await db.transaction(async (tx) => {
    const owner = await store.tokenOwner(tx, id);
    // Another user's token is as unknown as a missing one.
    if (owner === undefined || (!isAdmin(who) && (who.kind !== 'user' || who.name !== owner)))
      throw new NotFound(coded('token-not-found', { id: id }));
    await store.revokeTokenRow(tx, id);
    await audit(tx, who, {
      action: 'token.revoke',
      objectType: 'token',
      objectKey: String(id),
      details: { user: owner },
    });
  });
}

/** The principal of an API token, or undefined for unknown, revoked, expired tokens and disabled users. */
export async function tokenPrincipal(db: Queryable, token: string): Promise<Principal | undefined> {
  const row = await store.touchToken(db, sha256(token));
  return row ? principalOf(row) : undefined;
}

// ---------------------------------------------------------------------------------------------
// One-time setup link for the first admin

/** Creates a one-time setup secret when no admin exists yet; returns it (to be printed once). */
export async function prepareSetup(db: Database): Promise<string | undefined> {
  if (await hasAdmin(db)) return undefined;
  const secret = randomSecret(24);
  await store.storeSetupHash(db, sha256(secret));
  return secret;
}

export async function completeSetup(
  db: Database,
  secret: string,
  u: { name: string; password: string; displayName?: string },
): Promise<UserInfo> {
  const hash = await store.setupHash(db);
  if (hash === undefined || hash !== sha256(secret) || (await hasAdmin(db)))
    throw new NotFound(coded('setup-link-invalid'));
  const created = await addUser(db, { kind: 'system', name: 'setup' }, { ...u, role: 'admin' });
  await store.deleteSetupHash(db);
  return created;
}
