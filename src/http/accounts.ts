// Routes for sign-in, one's own account, API tokens, and the administration of users,
// departments and the audit trail.
import { KEY, ERROR_ANSWER } from './schemas.ts';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../store/db.ts';
import { Unauthorized } from '../core/problems.ts';
import type { Principal } from '../core/access.ts';
import {
  login,
  logout,
  changePassword,
  listUsers,
  addUser,
  disableUser,
  setPermission,
  listDepartments,
  addDepartment,
  createToken,
  listTokens,
  revokeToken,
  completeSetup,
} from '../services/users.ts';
import { readAuditTrail, auditToCsv } from '../services/audit.ts';
import { publishIndicator } from '../services/indicators.ts';
import { grantProviderAccess, listProviderAccess, revokeProviderAccess } from '../services/provider-access.ts';
import { LoginRateLimiter, sessionCookie } from './auth.ts';
import type { Answering, Taking, AnsweringOr } from './contract.ts';
import type { SignedInUser } from '../contracts/answers/index.ts';

const ERROR = ERROR_ANSWER;
const NAME = { type: 'string', minLength: 1, maxLength: 63 } as const;
const PASSWORD = { type: 'string', minLength: 1, maxLength: 1024 } as const;

function me(p: Principal): SignedInUser | null {
  return p.kind === 'user'
    ? { name: p.name, role: p.role, department: p.department, sealedOffice: p.sealedOffice === true }
    : null;
}

export function registerAccountRoutes(
  app: FastifyInstance,
  db: Database,
  o: { loginAttemptsPerAddress?: number } = {},
): void {
  const limiter = new LoginRateLimiter(
    o.loginAttemptsPerAddress ?? 20,
    undefined,
    db.kind === 'server' ? db : undefined,
  );

  app.post<Taking<'POST /api/auth/login'>>(
    '/api/auth/login',
    {
      schema: {
        tags: ['access'],
        summary: 'Sign in with user name and password; sets the session cookie and returns the CSRF token',
        body: {
          type: 'object',
          required: ['user', 'password'],
          properties: { user: NAME, password: PASSWORD },
          additionalProperties: false,
        },
        response: { 401: ERROR, 429: ERROR },
      },
    },
    async (req, reply) => {
      await limiter.check(req.ip);
      const s = await login(db, req.body.user.trim().toLowerCase(), req.body.password, req.ip);
      reply.header('Set-Cookie', sessionCookie(req, s.token));
      return { user: me(s.principal), csrfToken: s.csrfToken, expiresAt: s.expiresAt };
    },
  );

  app.post<Answering<'POST /api/auth/logout'>>(
    '/api/auth/logout',
    { schema: { tags: ['access'], summary: 'Sign out (ends the session)' } },
    async (req, reply) => {
      if (req.sessionToken) await logout(db, req.sessionToken, req.principal);
      reply.header('Set-Cookie', sessionCookie(req, null));
      return { user: null };
    },
  );

  app.get<Answering<'GET /api/auth/me'>>(
    '/api/auth/me',
    {
      schema: { tags: ['access'], summary: 'Who is signed in (null when nobody), with the CSRF token of the session' },
    },
    async (req) => ({
      user: me(req.principal),
      csrfToken: req.csrfToken ?? null,
    }),
  );

  app.post<Taking<'POST /api/auth/password'>>(
    '/api/auth/password',
    {
      schema: {
        tags: ['access'],
        summary: 'Change one’s own password (ends all other sessions)',
        body: {
          type: 'object',
          required: ['current', 'password'],
          properties: { current: PASSWORD, password: PASSWORD },
          additionalProperties: false,
        },
        response: { 400: ERROR, 401: ERROR, 403: ERROR },
      },
    },
    async (req) => {
      await changePassword(db, req.principal, req.body.current, req.body.password, req.sessionToken);
      return { ok: true };
    },
  );

  app.post<Taking<'POST /api/setup'>>(
    '/api/setup',
    {
      schema: {
        tags: ['access'],
        summary: 'Create the first administrator with the one-time setup secret printed on the first start',
        body: {
          type: 'object',
          required: ['token', 'user', 'password'],
          properties: {
            token: { type: 'string', maxLength: 200 },
            user: NAME,
            password: PASSWORD,
            displayName: { type: 'string', maxLength: 200 },
          },
          additionalProperties: false,
        },
        response: { 400: ERROR, 404: ERROR },
      },
    },
    async (req) => ({
      user: await completeSetup(db, req.body.token, {
        name: req.body.user.trim().toLowerCase(),
        password: req.body.password,
        displayName: req.body.displayName,
      }),
    }),
  );

  // Users and departments (admins)
  app.get<Answering<'GET /api/users'>>(
    '/api/users',
    { schema: { tags: ['access'], summary: 'All users (admins)' } },
    async (req) => ({ users: await listUsers(db, req.principal) }),
  );
  app.post<Taking<'POST /api/users'>>(
    '/api/users',
    {
      schema: {
        tags: ['access'],
        summary: 'Create a user (admins)',
        body: {
          type: 'object',
          required: ['name', 'role', 'password'],
          properties: {
            name: NAME,
            role: { type: 'string', enum: ['admin', 'steward', 'analyst', 'viewer'] },
            department: { type: 'string', maxLength: 63 },
            password: PASSWORD,
            displayName: { type: 'string', maxLength: 200 },
          },
          additionalProperties: false,
        },
        response: { 400: ERROR, 401: ERROR, 403: ERROR, 409: ERROR },
      },
    },
    async (req, reply) => reply.status(201).send({ user: await addUser(db, req.principal, req.body) }),
  );
  app.post<{ Params: { name: string } } & Answering<'POST /api/users/:name/disable'>>(
    '/api/users/:name/disable',
    {
      schema: {
        tags: ['access'],
        summary: 'Disable a user: sessions end, tokens stop working (admins)',
        params: { type: 'object', properties: { name: NAME }, required: ['name'] },
      },
    },
    async (req) => {
      await disableUser(db, req.principal, req.params.name);
      return { ok: true };
    },
  );
  for (const [verb, granted] of [
    ['grant', true],
    ['revoke', false],
  ] as const) {
    app.post<{ Params: { name: string }; Body: { permission: string } }>(
      `/api/users/:name/${verb}`,
      {
        schema: {
          tags: ['access'],
          summary: `${granted ? 'Grant' : 'Revoke'} a permission beside the role (admins): sealed-office may process personal records`,
          params: { type: 'object', properties: { name: NAME }, required: ['name'] },
          body: {
            type: 'object',
            required: ['permission'],
            properties: { permission: { type: 'string', enum: ['sealed-office'] } },
            additionalProperties: false,
          },
        },
      },
      async (req) => ({ user: await setPermission(db, req.principal, req.params.name, req.body.permission, granted) }),
    );
  }
  app.get<Answering<'GET /api/departments'>>(
    '/api/departments',
    { schema: { tags: ['access'], summary: 'Departments (Fachbereiche) with their users and indicators' } },
    async (req) => {
      if (req.principal.kind === 'anonymous') throw new Unauthorized();
      return { departments: await listDepartments(db) };
    },
  );
  app.post<Taking<'POST /api/departments'>>(
    '/api/departments',
    {
      schema: {
        tags: ['access'],
        summary: 'Create a department (admins)',
        body: {
          type: 'object',
          required: ['key', 'name'],
          properties: { key: { type: 'string', maxLength: 63 }, name: { type: 'string', maxLength: 200 } },
          additionalProperties: false,
        },
      },
    },
    async (req, reply) =>
      reply.status(201).send({ department: await addDepartment(db, req.principal, req.body.key, req.body.name) }),
  );

  // API tokens
  app.get<{ Querystring: { user?: string } } & Answering<'GET /api/tokens'>>(
    '/api/tokens',
    {
      schema: {
        tags: ['access'],
        summary: 'API tokens (one’s own; admins: all or one user’s)',
        querystring: { type: 'object', properties: { user: NAME }, additionalProperties: false },
      },
    },
    async (req) => ({ tokens: await listTokens(db, req.principal, req.query.user) }),
  );
  app.post<Taking<'POST /api/tokens'>>(
    '/api/tokens',
    {
      schema: {
        tags: ['access'],
        summary: 'Create an API token; the secret is shown once',
        body: {
          type: 'object',
          required: ['name'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            user: NAME,
            days: { type: 'integer', minimum: 1, maximum: 3650 },
          },
          additionalProperties: false,
        },
      },
    },
    async (req, reply) => {
      if (req.principal.kind !== 'user') throw new Unauthorized();
      return reply.status(201).send(
        await createToken(db, req.principal, {
          user: req.body.user ?? req.principal.name,
          name: req.body.name,
          days: req.body.days,
        }),
      );
    },
  );
  app.delete<{ Params: { id: number } } & Answering<'DELETE /api/tokens/:id'>>(
    '/api/tokens/:id',
    {
      schema: {
        tags: ['access'],
        summary: 'Revoke an API token',
        params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] },
      },
    },
    async (req) => {
      await revokeToken(db, req.principal, req.params.id);
      return { ok: true };
    },
  );

  // Access of the municipal IT provider's administrators to this municipality's data (admins grant it)
  const PROVIDER_ADMIN = {
    type: 'object',
    properties: { admin: { type: 'string', minLength: 1, maxLength: 64 } },
    required: ['admin'],
  } as const;
  app.get(
    '/api/provider-access',
    {
      schema: {
        tags: ['access'],
        summary: 'Provider administrators granted access to this municipality’s data (admins)',
      },
    },
    async (req) => ({ grants: await listProviderAccess(db, req.principal) }),
  );
  app.put<{ Params: { admin: string }; Body: { role: string; until: string } }>(
    '/api/provider-access/:admin',
    {
      schema: {
        tags: ['access'],
        summary: 'Grant (or renew) a provider administrator reading access until a day at most 90 days ahead (admins)',
        params: PROVIDER_ADMIN,
        body: {
          type: 'object',
          required: ['role', 'until'],
          properties: {
            role: { type: 'string', enum: ['viewer', 'analyst'] },
            until: { type: 'string', maxLength: 10 },
          },
          additionalProperties: false,
        },
      },
    },
    async (req) => ({
      grant: await grantProviderAccess(db, req.principal, {
        admin: req.params.admin,
        role: req.body.role,
        until: req.body.until,
      }),
    }),
  );
  app.delete<{ Params: { admin: string } }>(
    '/api/provider-access/:admin',
    {
      schema: {
        tags: ['access'],
        summary: 'End a provider administrator’s access at once (admins)',
        params: PROVIDER_ADMIN,
      },
    },
    async (req) => {
      await revokeProviderAccess(db, req.principal, req.params.admin);
      return { ok: true };
    },
  );

  // Publishing a draft indicator (stewards of the owner, admins)
  app.post<{ Params: { key: string } }>(
    '/api/indicators/:key/publish',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Publish a draft indicator',
        params: { type: 'object', properties: { key: KEY }, required: ['key'] },
      },
    },
    async (req) => {
      await publishIndicator(db, req.principal, req.params.key);
      return { ok: true };
    },
  );

  // The audit trail (admins), also as CSV
  app.get<
    {
      Querystring: {
        from?: string;
        to?: string;
        actor?: string;
        action?: string;
        limit?: number;
        format?: 'json' | 'csv';
      };
    } & AnsweringOr<'GET /api/audit', string>
  >(
    '/api/audit',
    {
      schema: {
        tags: ['access'],
        summary: 'The audit trail, newest first (admins); format=csv exports it',
        querystring: {
          type: 'object',
          properties: {
            from: { type: 'string', format: 'date' },
            to: { type: 'string', format: 'date' },
            actor: NAME,
            action: { type: 'string', maxLength: 63 },
            limit: { type: 'integer', minimum: 1, maximum: 100000 },
            format: { type: 'string', enum: ['json', 'csv'] },
          },
          additionalProperties: false,
        },
      },
    },
    async (req, reply) => {
      const rows = await readAuditTrail(db, req.principal, req.query);
      if (req.query.format === 'csv')
        return reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', 'attachment; filename="audit.csv"')
          .send(auditToCsv(rows));
      return { entries: rows };
    },
  );
}
