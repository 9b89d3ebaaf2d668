// The identity provider of one municipality, kept in its own settings (the `setting` table of its
// schema), so that each tenant of an installation signs in through its own provider (decision
// 0039). Environment settings (OIDC_ISSUER …) still configure a single municipality and take
// precedence there; tenants have only these.
import type { Database } from '../store/db.ts';
import { deleteSetting, readSetting, writeSetting } from '../store/settings.ts';
import { ROLES, type Role } from '../core/access.ts';
import { InputRejected } from '../core/problems.ts';

const OIDC_SETTING = 'oidc';
export const OIDC_CALLBACK = 'api/auth/oidc/callback';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** The callback address registered at the provider: https://…{mount point}api/auth/oidc/callback */
  redirectUrl: string;
  /** Claim holding the user name (default preferred_username). */
  usernameClaim?: string;
  /** Create unknown users with this role on their first sign-in (default: refuse them). */
  provisionRole?: Role;
  /** http:// for the provider and the callback (development and tests only). */
  allowHttp?: boolean;
}

const reject = (column: string, reason: string, hint?: string) =>
  new InputRejected(
    [{ severity: 'error', code: 'bad-request', column, reason, hint }],
    `OpenID Connect settings: ${column}: ${reason}${hint ? ` (${hint})` : ''}.`,
  );

/** Checks settings as a whole; the cleaned settings, or the first problem. */
export function checkOidcSettings(s: Partial<OidcSettings>): OidcSettings {
  const url = (column: string, v: unknown): URL => {
    let u: URL;
    try {
      u = new URL(String(v ?? ''));
    } catch {
      throw reject(column, 'is not an absolute address', 'e.g. https://login.example.org/realms/musterstadt');
    }
    if (u.protocol !== 'https:' && !(s.allowHttp && u.protocol === 'http:'))
      throw reject(column, 'must use https', 'http only with --allow-http, for development');
    if (u.username || u.password || u.hash) throw reject(column, 'must not carry a user, password or fragment');
    return u;
  };
  url('issuer', s.issuer);
  const clientId = String(s.clientId ?? '').trim();
  if (!clientId || clientId.length > 200) throw reject('clientId', 'is missing or longer than 200 characters');
  const redirect = url('redirectUrl', s.redirectUrl);
  if (!redirect.pathname.endsWith(`/${OIDC_CALLBACK}`) || redirect.search)
    throw reject(
      'redirectUrl',
      `must end with /${OIDC_CALLBACK}`,
      'with path routing: https://host/t/{key}/api/auth/oidc/callback',
    );
  if (s.provisionRole !== undefined && !(ROLES as readonly string[]).includes(s.provisionRole))
    throw reject('provisionRole', `must be one of ${ROLES.join(', ')}`);
  if (s.usernameClaim !== undefined && !/^[A-Za-z_][A-Za-z0-9_.:-]{0,99}$/.test(s.usernameClaim))
    throw reject('usernameClaim', 'is not a claim name');
  return {
    // As given: the provider's issuer must match it exactly (a trailing slash counts).
    issuer: String(s.issuer).trim(),
    clientId,
    ...(s.clientSecret ? { clientSecret: s.clientSecret } : {}),
    redirectUrl: redirect.href,
    ...(s.usernameClaim ? { usernameClaim: s.usernameClaim } : {}),
    ...(s.provisionRole ? { provisionRole: s.provisionRole } : {}),
    ...(s.allowHttp ? { allowHttp: true } : {}),
  };
}

export async function readOidcSettings(db: Database): Promise<OidcSettings | undefined> {
  return readSetting<OidcSettings>(db, OIDC_SETTING);
}

/** Saves the settings (checked as a whole); a missing client secret keeps the one saved before. */
export async function saveOidcSettings(db: Database, s: Partial<OidcSettings>): Promise<OidcSettings> {
  return db.transaction(async (tx) => {
    const before = await readSetting<OidcSettings>(tx, OIDC_SETTING);
    const checked = checkOidcSettings({ ...s, clientSecret: s.clientSecret ?? before?.clientSecret });
    await writeSetting(tx, OIDC_SETTING, checked);
    return checked;
  });
}

export async function removeOidcSettings(db: Database): Promise<void> {
  await deleteSetting(db, OIDC_SETTING);
}
