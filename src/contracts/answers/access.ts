// Answers about accounts and their traces: users, departments, API tokens, the audit log
// (GET /api/users, /api/departments, /api/tokens, /api/audit).
import type { Role } from '../vocabulary.ts';

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

/** Who is signed in, as the sign-in routes tell it. */
export interface SignedInUser {
  name: string;
  role: Role;
  department: string | null;
  /** Member of the sealed statistics office (Statistikstelle). */
  sealedOffice: boolean;
}

/** GET /api/auth/me: who is signed in (null when nobody), with the session's CSRF token. */
export interface MeAnswer {
  user: SignedInUser | null;
  csrfToken: string | null;
}

/** POST /api/auth/login: the signed-in user, the session's CSRF token and when the session ends. */
export interface LoginAnswer {
  user: SignedInUser | null;
  csrfToken: string;
  expiresAt: string;
}

/** POST /api/users: a new account. */
export interface NewUserBody {
  name: string;
  role: Role;
  department?: string;
  password: string;
  displayName?: string;
}

/** A department (Fachbereich) with the number of its users and of the indicators it owns. */
export interface DepartmentInfo {
  key: string;
  name: string;
  users: number;
  indicators: number;
}

/** An API token as listed to its holder and to administrators: never the token itself, only its prefix. */
export interface TokenInfo {
  id: number;
  user: string;
  name: string;
  /** The first characters of the token, to recognise it. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revoked: boolean;
}

/** One entry of the audit log. */
export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  objectType: string | null;
  objectKey: string | null;
  importBatchId: number | null;
  details: Record<string, unknown>;
  ip: string | null;
}
