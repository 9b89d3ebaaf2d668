// Who may read and change what. Pure rules, applied by the services for every way data leaves
// (observations, profiles, maps, time series, exports, lists) and every way it enters.
import type { Confidentiality } from './indicators.ts';
import { Forbidden, Unauthorized } from './problems.ts';
import { coded } from '../contracts/codes/index.ts';

import { ROLES, type Role } from '../contracts/vocabulary.ts';
export { ROLES, type Role };

/** The caller of a use case. `system` is the local operator (CLI on the data directory). */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'system'; name: string }
  | { kind: 'user'; id: number; name: string; role: Role; department: string | null; sealedOffice?: boolean };

export const ANONYMOUS: Principal = { kind: 'anonymous' };
export const SYSTEM: Principal = { kind: 'system', name: 'cli' };

/** What an indicator needs for access decisions. */
export interface Guarded {
  key: string;
  confidentiality: Confidentiality;
  owner: string | null;
  /** Departments besides the owner that may read a restricted indicator. */
  departments: string[];
  /** Draft indicators are visible to their owner's stewards (and admins) until published. */
  draft: boolean;
}

/**
 * The answer to "may this principal read it?":
 * - ok;
 * - unauthenticated (401): internal data, not signed in;
 * - hidden (404): restricted data or a draft — its existence itself is secret.
 */
export type ReadDecision = 'ok' | 'unauthenticated' | 'hidden';

const LEVEL: Record<Confidentiality, number> = { public: 0, internal: 1, restricted: 2 };

export function principalName(p: Principal): string {
  return p.kind === 'anonymous' ? 'anonymous' : p.name;
}

function inDepartments(p: Principal, g: Guarded): boolean {
  return (
    p.kind === 'user' && p.department !== null && (p.department === g.owner || g.departments.includes(p.department))
  );
}

export function canRead(p: Principal, g: Guarded): ReadDecision {
  if (p.kind === 'system') return 'ok';
  if (g.draft) {
    const ownSteward = p.kind === 'user' && (p.role === 'admin' || (p.role === 'steward' && p.department === g.owner));
    if (!ownSteward) return 'hidden';
  }
  switch (g.confidentiality) {
    case 'public':
      return 'ok';
    case 'internal':
      return p.kind === 'user' ? 'ok' : 'unauthenticated';
    case 'restricted':
      // Restricted data are for the named departments only — admins manage users, not data.
      return inDepartments(p, g) ? 'ok' : 'hidden';
  }
}

/** A derived result is at least as restricted as its most restricted input. */
export function combineGuards(key: string, parts: Guarded[]): Guarded {
  let conf: Confidentiality = 'public';
  for (const g of parts) if (LEVEL[g.confidentiality] > LEVEL[conf]) conf = g.confidentiality;
  // Readers of a restricted combination must be allowed for every restricted input.
  const restricted = parts.filter((g) => g.confidentiality === 'restricted');
  let departments: string[] | null = null;
  for (const g of restricted) {
    const allowed = [g.owner, ...g.departments].filter((d): d is string => !!d);
    departments = departments === null ? allowed : departments.filter((d) => allowed.includes(d));
  }
  const [first] = parts;
  const owner = restricted.length ? (departments?.[0] ?? null) : (first?.owner ?? null);
  return {
    key,
    confidentiality: conf,
    owner,
    departments: restricted.length ? (departments ?? []).filter((d) => d !== owner) : [],
    draft: parts.some((g) => g.draft),
  };
}

/** Whether a principal may change an indicator (definition or data) owned by a department. */
export type WriteDecision = 'ok' | 'unauthenticated' | 'forbidden';

export function canWrite(p: Principal, owner: string | null): WriteDecision {
  if (p.kind === 'system') return 'ok';
  if (p.kind === 'anonymous') return 'unauthenticated';
  if (p.role === 'admin') return 'ok';
  if (p.role === 'steward' && p.department !== null && owner === p.department) return 'ok';
  return 'forbidden';
}

export function isAdmin(p: Principal): boolean {
  return p.kind === 'system' || (p.kind === 'user' && p.role === 'admin');
}

/**
 * Whether the principal belongs to the sealed statistics office, the only ones who may process
 * personal records (matching addresses, the sealed pipeline). The local operator (CLI on the data
 * directory) does: whoever can read the data directory is outside any rights the product can set.
 */
export function isSealedOffice(p: Principal): boolean {
  return p.kind === 'system' || (p.kind === 'user' && p.sealedOffice === true);
}

export function requireSealedOffice(p: Principal): void {
  if (p.kind === 'anonymous') throw new Unauthorized();
  if (!isSealedOffice(p)) throw new Forbidden(coded('sealed-office-only'));
}

/** Use cases for administrators only: 401 when not signed in, 403 for other roles. */
export function requireAdmin(p: Principal): void {
  if (p.kind === 'anonymous') throw new Unauthorized();
  if (!isAdmin(p)) throw new Forbidden(coded('admins-only'));
}

export function mayReadInternal(p: Principal): boolean {
  return p.kind !== 'anonymous';
}
