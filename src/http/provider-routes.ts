// The provider API (decision 0035), on the tenant front at /provider/api/ — reachable only where
// a request names no tenant (outside /t/{key}/, or on a host that is no tenant's). Provider
// administrators manage the directory; no route here reads or writes a tenant's data — one takes
// a day's API token of a tenant that has granted it (services/provider-access.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Tenants } from '../store/tenants.ts';
import {
  InputRejected,
  NotFound,
  Conflict,
  Forbidden,
  TooManyRequests,
  Unauthorized,
  codedFields,
  formatProblem,
} from '../core/problems.ts';
import { coded } from '../contracts/codes/index.ts';
import { codedAnswer } from './schemas.ts';
import { LoginRateLimiter, readCookie } from './auth.ts';
import { logError, newErrorId } from './error-log.ts';
import { providerLogin, providerLogout, providerSession } from '../services/provider.ts';
import { SESSION_MAX_HOURS } from '../services/users.ts';
import { takeProviderToken } from '../services/provider-access.ts';

export const PROVIDER_PREFIX = '/provider/api';
const COOKIE = 'km_provider';

declare module 'fastify' {
  interface FastifyRequest {
    providerAdmin?: string;
  }
}

function cookie(req: FastifyRequest, token: string | null): string {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  return token === null
    ? `${COOKIE}=; Path=/provider/; HttpOnly; SameSite=Strict; Max-Age=0${secure}`
    : `${COOKIE}=${encodeURIComponent(token)}; Path=/provider/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MAX_HOURS * 3600}${secure}`;
}

const CREDENTIALS = {
  type: 'object',
  required: ['user', 'password'],
  properties: {
    user: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 1000 },
  },
  additionalProperties: false,
} as const;
const NEW_TENANT = {
  type: 'object',
  required: ['key', 'name'],
  properties: {
    key: { type: 'string', minLength: 1, maxLength: 40 },
    name: { type: 'string', minLength: 1, maxLength: 200 },
    officialKey: { type: 'string', maxLength: 12 },
  },
  additionalProperties: false,
} as const;

export function registerProviderRoutes(
  app: FastifyInstance,
  tenants: Tenants,
  o: { loginAttemptsPerAddress?: number } = {},
): void {
  // Counted in the shared schema: every server of the installation shares the limit.
  const limiter = new LoginRateLimiter(o.loginAttemptsPerAddress ?? 20, undefined, tenants.shared);

  app.setErrorHandler(
    (err: Error & { validation?: unknown; statusCode?: number }, req: FastifyRequest, reply: FastifyReply) => {
      if (err instanceof InputRejected)
        return reply.status(400).send({
          error: 'Bad Request',
          message: err.problems
            .filter((p) => p.severity === 'error')
            .map(formatProblem)
            .join('\n'),
          problems: err.problems,
        });
      if (err instanceof NotFound)
        return reply.status(404).send({ error: 'Not Found', message: err.message, ...codedFields(err) });
      if (err instanceof Unauthorized)
        return reply.status(401).send({ error: 'Unauthorized', message: err.message, ...codedFields(err) });
      if (err instanceof Forbidden)
        return reply.status(403).send({ error: 'Forbidden', message: err.message, ...codedFields(err) });
      if (err instanceof TooManyRequests)
        return reply
          .status(429)
          .header('Retry-After', String(err.retryAfterSeconds))
          .send({ error: 'Too Many Requests', message: err.message, ...codedFields(err) });
      if (err instanceof Conflict)
        return reply.status(409).send({ error: 'Conflict', message: err.message, ...codedFields(err) });
      if (err.validation || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500))
        return reply.status(err.statusCode ?? 400).send({ error: 'Bad Request', message: err.message });
      const id = newErrorId();
      logError({ id, origin: 'request', method: req.method, route: req.routeOptions.url, error: err });
      return reply.status(500).send({ ...codedAnswer('Internal Server Error', coded('internal-error', { id })), id });
    },
  );

  app.addHook('onSend', (req, reply, payload, done) => {
    reply
      .header('Cache-Control', 'no-store')
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'")
      .header('X-Frame-Options', 'DENY');
    done(null, payload);
  });

  /** Every provider route but sign-in: a provider session, and for changes its CSRF token. */
  const signedIn = async (req: FastifyRequest) => {
    const token = readCookie(req.headers.cookie, COOKIE);
    const s = token ? await providerSession(tenants, token) : undefined;
    if (!s) throw new Unauthorized(coded('provider-sign-in-required'));
    if (req.method !== 'GET' && req.headers['x-csrf-token'] !== s.csrfToken) throw new Forbidden(coded('csrf-token'));
    req.providerAdmin = s.name;
  };

  app.post<{ Body: { user: string; password: string } }>(
    `${PROVIDER_PREFIX}/login`,
    { schema: { body: CREDENTIALS } },
    async (req, reply) => {
      await limiter.check(req.ip);
      const s = await providerLogin(tenants, req.body.user, req.body.password);
      reply.header('Set-Cookie', cookie(req, s.token));
      return { name: s.name, csrfToken: s.csrfToken, expiresAt: s.expiresAt };
    },
  );

  app.post(`${PROVIDER_PREFIX}/logout`, { preHandler: signedIn }, async (req, reply) => {
    const token = readCookie(req.headers.cookie, COOKIE);
    if (token) await providerLogout(tenants, token);
    reply.header('Set-Cookie', cookie(req, null));
    return { signedOut: true };
  });

  app.get(`${PROVIDER_PREFIX}/me`, { preHandler: signedIn }, async (req) => ({ name: req.providerAdmin }));

  // The directory only: names, keys, status and versions, never anything from a tenant's schema.
  app.get(`${PROVIDER_PREFIX}/tenants`, { preHandler: signedIn }, async () => ({
    tenants: (await tenants.list()).map((t) => ({ ...t, served: tenants.unavailable(t) === undefined })),
  }));

  app.post<{ Body: { key: string; name: string; officialKey?: string } }>(
    `${PROVIDER_PREFIX}/tenants`,
    { preHandler: signedIn, schema: { body: NEW_TENANT } },
    async (req, reply) => {
      const t = await tenants.add({ key: req.body.key, name: req.body.name, officialKey: req.body.officialKey });
      return reply.status(201).send(t);
    },
  );

  // The one way to a tenant's data: a day's API token of that tenant, when the tenant has granted it (decision 0044).
  app.post<{ Params: { key: string } }>(
    `${PROVIDER_PREFIX}/tenants/:key/access-token`,
    { preHandler: signedIn },
    async (req, reply) => {
      const row = await tenants.require(req.params.key);
      const why = tenants.unavailability(row);
      if (why) throw new Conflict(why);
      return reply
        .status(201)
        .send({ tenant: row.key, ...(await takeProviderToken(tenants.database(row), req.providerAdmin!)) });
    },
  );

  for (const [verb, status] of [
    ['suspend', 'suspended'],
    ['resume', 'active'],
  ] as const) {
    app.post<{ Params: { key: string } }>(
      `${PROVIDER_PREFIX}/tenants/:key/${verb}`,
      { preHandler: signedIn },
      async (req) => {
        await tenants.setStatus(req.params.key, status);
        return { key: req.params.key, status };
      },
    );
  }
}
