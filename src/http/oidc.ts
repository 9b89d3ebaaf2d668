// Optional sign-in through the municipality's identity provider (OpenID Connect, e.g. Keycloak):
// authorization code flow with PKCE, state and nonce (openid-client). Configured, not required.
// A started sign-in is kept in the database (any server instance can finish it), and its state
// is bound to the browser by a short-lived cookie, so nobody can slip a sign-in of their own
// into someone else's browser (login CSRF).
// The provider comes from the environment (one municipality) or from the municipality's own
// settings (`settings oidc`; with tenants the only way): each tenant's app reads its own, keeps
// its sign-ins in flight in its own schema, and its state cookie and callback lie under its mount
// point, so a sign-in started at one tenant cannot finish at another (decision 0039).
import type { FastifyInstance } from 'fastify';
import * as oidc from 'openid-client';
import type { Database } from '../store/db.ts';
import { ROLES, type Role } from '../core/access.ts';
import { Conflict, InputRejected, NotFound } from '../core/problems.ts';
import { loginExternal } from '../services/users.ts';
import { readCookie, sessionCookie } from './auth.ts';
import { basePath } from './base-path.ts';
import { OIDC_PENDING_MINUTES, startOidcSignIn, takeOidcSignIn } from '../services/oidc-pending.ts';
import { OIDC_CALLBACK, readOidcSettings, type OidcSettings } from '../services/oidc-settings.ts';
import { coded } from '../contracts/codes/index.ts';
import type { Answering } from './contract.ts';

/** The provider of one municipality, from the environment or its own settings (one shape for both). */
export type OidcOptions = OidcSettings;

/** OIDC settings from the environment, or undefined when not configured. */
export function oidcFromEnv(env: NodeJS.ProcessEnv): OidcOptions | undefined {
  if (!env.OIDC_ISSUER) return undefined;
  const missing = ['OIDC_CLIENT_ID', 'OIDC_REDIRECT_URL'].filter((k) => !env[k]);
  if (missing.length)
    throw new Error(
      `OpenID Connect is configured (OIDC_ISSUER) but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing`,
    );
  const role = env.OIDC_PROVISION_ROLE;
  if (role && !(ROLES as readonly string[]).includes(role))
    throw new Error(`OIDC_PROVISION_ROLE must be one of ${ROLES.join(', ')}`);
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID!,
    clientSecret: env.OIDC_CLIENT_SECRET || undefined,
    redirectUrl: env.OIDC_REDIRECT_URL!,
    usernameClaim: env.OIDC_USERNAME_CLAIM || undefined,
    provisionRole: role as Role | undefined,
    allowHttp: env.OIDC_ALLOW_HTTP === '1',
  };
}

const STATE_COOKIE = 'km_oidc_state';
const CALLBACK_PATH = '/api/auth/oidc';

function stateCookie(secure: boolean, state: string | null, mount = '/'): string {
  // SameSite=Lax: sent along when the provider redirects the browser back (a top-level GET).
  const base = `${STATE_COOKIE}=${state ?? ''}; Path=${mount}${CALLBACK_PATH.slice(1)}; HttpOnly; SameSite=Lax`;
  return `${base}; Max-Age=${state === null ? 0 : OIDC_PENDING_MINUTES * 60}${secure ? '; Secure' : ''}`;
}

const STATE_REJECTED = () =>
  new InputRejected(
    [{ severity: 'error', code: 'oidc-state', reason: 'the sign-in was not started in this browser or took too long' }],
    'The sign-in was not started in this browser or took too long; please start it again.',
  );

/**
 * Only paths of this app: never redirect to another host after sign-in. The web app sends a path
 * relative to its mount point ("/atlas?…"); the mount point ("/t/{key}/" with path routing) is
 * put in front here, from the server's routing, so a sign-in returns into the same tenant.
 */
function safeReturnTo(v: unknown, mount: string): string {
  const path = typeof v === 'string' && /^\/(?!\/)[^\s\\]*$/.test(v) ? v : '/';
  return mount + path.slice(1);
}

/** How long the municipality's settings are trusted before they are read again. */
const SETTINGS_RECHECK_MS = 5000;

const NOT_CONFIGURED = () => new NotFound(coded('oidc-not-configured'));

export function registerOidcRoutes(app: FastifyInstance, db: Database, fixed: OidcOptions | undefined): void {
  // Without environment settings, the municipality's own (read again every few seconds, so that
  // `settings oidc` takes effect without a restart).
  let stored: { at: number; value: Promise<OidcOptions | undefined> } | undefined;
  const options = (): Promise<OidcOptions | undefined> => {
    if (fixed) return Promise.resolve(fixed);
    if (!stored || Date.now() - stored.at > SETTINGS_RECHECK_MS) {
      const value = readOidcSettings(db);
      stored = { at: Date.now(), value };
      value.catch(() => (stored = undefined));
    }
    return stored.value;
  };
  // The provider's discovery, kept for the settings it was made with.
  let config: { key: string; value: Promise<oidc.Configuration> } | undefined;
  const configuration = (o: OidcOptions) => {
    const key = JSON.stringify([o.issuer, o.clientId, o.clientSecret ?? null, !!o.allowHttp]);
    if (config?.key !== key) {
      const value = oidc.discovery(
        new URL(o.issuer),
        o.clientId,
        o.clientSecret ? { client_secret: o.clientSecret } : undefined,
        o.clientSecret ? undefined : oidc.None(),
        o.allowHttp ? { execute: [oidc.allowInsecureRequests] } : undefined,
      );
      const entry = { key, value };
      config = entry;
      value.catch(() => {
        if (config === entry) config = undefined; // retry discovery on the next sign-in
      });
    }
    return config.value;
  };
  /** The settings for this request; under a path prefix the callback must lie under it. */
  const required = async (mount: string): Promise<OidcOptions> => {
    const o = await options();
    if (!o) throw NOT_CONFIGURED();
    if (mount !== '/' && new URL(o.redirectUrl).pathname !== `${mount}${OIDC_CALLBACK}`) {
      throw new Conflict(
        coded('oidc-redirect-mismatch', {
          expected: `${mount}${OIDC_CALLBACK}`,
          actual: new URL(o.redirectUrl).pathname,
        }),
      );
    }
    return o;
  };

  app.get<Answering<'GET /api/auth/methods'>>(
    '/api/auth/methods',
    { schema: { tags: ['access'], summary: 'Which sign-in methods are offered' } },
    async () => ({ password: true, oidc: !!(await options()) }),
  );

  app.get<{ Querystring: { returnTo?: string } }>(
    '/api/auth/oidc/login',
    {
      schema: {
        tags: ['access'],
        summary: 'Start the sign-in at the identity provider (redirect)',
        querystring: {
          type: 'object',
          properties: { returnTo: { type: 'string', maxLength: 2000 } },
          additionalProperties: false,
        },
      },
    },
    async (req, reply) => {
      const o = await required(basePath(req.raw));
      const cfg = await configuration(o);
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      await startOidcSignIn(db, state, {
        verifier,
        nonce,
        returnTo: safeReturnTo(req.query.returnTo, basePath(req.raw)),
      });
      reply.header('Set-Cookie', stateCookie(req.protocol === 'https', state, basePath(req.raw)));
      const url = oidc.buildAuthorizationUrl(cfg, {
        redirect_uri: o.redirectUrl,
        scope: 'openid profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return reply.redirect(url.href, 302);
    },
  );

  app.get<{ Querystring: Record<string, string> }>(
    '/api/auth/oidc/callback',
    { schema: { tags: ['access'], summary: 'Return from the identity provider; starts the session' } },
    async (req, reply) => {
      const o = await required(basePath(req.raw));
      const state = req.query.state;
      // The state must be the one this browser was given when it started; compared before the
      // lookup, so a state from another browser is not even used up.
      if (
        !state ||
        typeof state !== 'string' ||
        state.length > 200 ||
        readCookie(req.headers.cookie, STATE_COOKIE) !== state
      )
        throw STATE_REJECTED();
      const p = await takeOidcSignIn(db, state);
      if (!p) throw STATE_REJECTED();
      reply.header('Set-Cookie', stateCookie(req.protocol === 'https', null, basePath(req.raw)));
      const cfg = await configuration(o);
      const current = new URL(o.redirectUrl);
      current.search = new URLSearchParams(req.query).toString();
      let claims: Record<string, unknown> | undefined;
      try {
        const tokens = await oidc.authorizationCodeGrant(cfg, current, {
          pkceCodeVerifier: p.verifier,
          expectedState: state,
          expectedNonce: p.nonce,
          idTokenExpected: true,
        });
        claims = tokens.claims() as Record<string, unknown> | undefined;
      } catch (e) {
        req.log.warn(e);
        throw new InputRejected(
          [{ severity: 'error', code: 'oidc-failed', reason: 'the identity provider did not confirm the sign-in' }],
          `The identity provider did not confirm the sign-in (${(e as Error).message}).`,
        );
      }
      const name = claims?.[o.usernameClaim ?? 'preferred_username'];
      if (typeof name !== 'string' || !name) {
        throw new InputRejected(
          [
            {
              severity: 'error',
              code: 'oidc-claim',
              reason: `the identity provider sent no "${o.usernameClaim ?? 'preferred_username'}"`,
            },
          ],
          `The identity provider sent no user name (claim "${o.usernameClaim ?? 'preferred_username'}").`,
        );
      }
      const s = await loginExternal(db, name, { ip: req.ip, provisionRole: o.provisionRole });
      reply.header('Set-Cookie', [
        stateCookie(req.protocol === 'https', null, basePath(req.raw)),
        sessionCookie(req, s.token),
      ]);
      return reply.redirect(p.returnTo, 302);
    },
  );
}
