// Administration and one's own account (issue #4): audit filters as the API expects them, date
// and time display, and the checks of user names and passwords the server applies (so that the
// form can name the problem before sending). Pure functions, unit-tested in test/web/admin.test.ts.
import type { Lang } from '../../../src/contracts/format.ts';

import { ROLES, type Role } from '../../../src/contracts/vocabulary.ts';
import type { NewUserBody } from '../../../src/contracts/answers/index.ts';
export { ROLES, type Role };

/** Actions the server writes to the audit trail (the filter offers these and any others seen). */
export const AUDIT_ACTIONS = [
  'login',
  'login.failed',
  'login.locked',
  'logout',
  'user.add',
  'user.disable',
  'user.password',
  'department.add',
  'token.create',
  'token.revoke',
  'catalogue.import',
  'observations.import',
  'areas.import',
  'indicator.publish',
  'index.save',
  'cockpit.save',
  'read',
  'audit.read',
  'settings.publisher',
];

export interface AuditFilter {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The day after an ISO date ("2024-12-31" → "2025-01-01"). */
export function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * Query string of GET /api/audit for a filter. The form's "to" date is inclusive (everything on
 * that day); the API's `to` is exclusive, so the day after is sent. Invalid dates are left out.
 */
/** The audit trail's query parameters for a filter ("to" inclusive: the server's bound is exclusive). */
export function auditParams(
  f: AuditFilter,
  o: { format?: 'csv'; limit?: number } = {},
): { from?: string; to?: string; actor?: string; action?: string; limit?: number; format?: 'csv' } {
  const p: { from?: string; to?: string; actor?: string; action?: string; limit?: number; format?: 'csv' } = {};
  if (f.from && ISO_DATE.test(f.from)) p.from = f.from;
  if (f.to && ISO_DATE.test(f.to)) p.to = nextDay(f.to);
  if (f.actor?.trim()) p.actor = f.actor.trim().toLowerCase();
  if (f.action?.trim()) p.action = f.action.trim();
  if (o.limit) p.limit = o.limit;
  if (o.format) p.format = o.format;
  return p;
}

export function auditQuery(f: AuditFilter, o: { format?: 'csv'; limit?: number } = {}): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(auditParams(f, o))) u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

/** A filter whose "from" lies after its "to" finds nothing: say so instead. */
export function auditFilterProblem(f: AuditFilter): 'range' | null {
  return f.from && f.to && ISO_DATE.test(f.from) && ISO_DATE.test(f.to) && f.from > f.to ? 'range' : null;
}

const dtFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A timestamp of the server (ISO, UTC: "2024-06-30T14:05:09.123Z" or "2024-06-30 14:05:09+00")
 * in local time: "30.06.2024, 16:05:09" (de) or "30/06/2024, 16:05:09" (en).
 */
export function formatDateTime(iso: string | null | undefined, lang: Lang = 'de', timeZone?: string): string {
  if (!iso) return '';
  const normal = iso.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00');
  const d = new Date(normal);
  if (Number.isNaN(d.getTime())) return iso;
  const key = `${lang}|${timeZone ?? ''}`;
  let f = dtFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
      timeZone,
    });
    dtFormats.set(key, f);
  }
  return f.format(d);
}

/**
 * The details of an audit entry in one line: "period=2024-12-31, version=1". Lists are written
 * as "a, b, c" and cut after `maxItems` items ("… (+12)"); the CSV export holds them in full.
 */
export function detailsText(details: Record<string, unknown> | null | undefined, maxItems = 8): string {
  if (!details) return '';
  const value = (v: unknown): string => {
    if (Array.isArray(v)) {
      const items = v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x)));
      return items.length > maxItems
        ? `${items.slice(0, maxItems).join(', ')} … (+${items.length - maxItems})`
        : items.join(', ');
    }
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  return Object.entries(details)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${value(v)}`)
    .join('; ');
}

const MIN_PASSWORD_LENGTH = 12;
const USER_NAME = /^[a-z0-9][a-z0-9._-]{1,62}$/;
const DEPARTMENT_KEY = /^[a-z][a-z0-9_]*$/;

export type PasswordProblem = 'short' | 'long' | 'containsName' | 'mismatch';

/** What the server would refuse (and whether the repetition matches), or null. */
export function passwordProblem(password: string, repeat: string | null, userName?: string): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'short';
  if (password.length > 1024) return 'long';
  if (userName && password.toLowerCase().includes(userName.toLowerCase())) return 'containsName';
  if (repeat !== null && repeat !== password) return 'mismatch';
  return null;
}

export function userNameProblem(name: string): 'invalid' | null {
  return USER_NAME.test(name) ? null : 'invalid';
}

export function departmentKeyProblem(key: string): 'invalid' | null {
  return DEPARTMENT_KEY.test(key) && key.length <= 63 ? null : 'invalid';
}

export interface NewUser {
  name: string;
  displayName: string;
  role: Role;
  department: string;
  password: string;
}

/** Field problems of the "create user" form, keyed by field. */
export function newUserProblems(u: NewUser): Partial<Record<'name' | 'department' | 'password', string>> {
  const out: Partial<Record<'name' | 'department' | 'password', string>> = {};
  if (userNameProblem(u.name)) out.name = 'invalid';
  if (u.role === 'steward' && !u.department) out.department = 'required';
  const pw = passwordProblem(u.password, null, u.name);
  if (pw) out.password = pw;
  return out;
}

/** The body of POST /api/users (empty optional fields left out). */
export function newUserBody(u: NewUser): NewUserBody {
  const b: NewUserBody = { name: u.name.trim().toLowerCase(), role: u.role, password: u.password };
  if (u.displayName.trim()) b.displayName = u.displayName.trim();
  if (u.department) b.department = u.department;
  return b;
}
