// Authentication for the HTTP API: session cookies (HttpOnly, SameSite=Lax, Secure under HTTPS)
// with a CSRF token for state-changing requests, or API tokens (Authorization: Bearer) for
// automation. Every request gets a principal; the services decide what it may see and do.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../store/db.ts';
import { ANONYMOUS, type Principal } from '../core/access.ts';
import { TooManyRequests } from '../core/problems.ts';
import { coded } from '../contracts/codes/index.ts';
import { codedAnswer } from './schemas.ts';
import { sessionPrincipal, tokenPrincipal, SESSION_MAX_HOURS } from '../services/users.ts';
import { basePath } from './base-path.ts';
import { countLoginAttempt } from '../store/read-fence.ts';

const SESSION_COOKIE = 'km_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    /** The CSRF token of the cookie session, when signed in with a cookie. */
    csrfToken?: string;
    sessionToken?: string;
  }
}

/** A cookie's value; a value that is not valid percent-encoding counts as absent (no session). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function sessionCookie(req: FastifyRequest, token: string | null): string {
  const secure = req.protocol === 'https' ? '; Secure' : '';
  // Under a tenant's path prefix the cookie belongs to that tenant only.
  const path = basePath(req.raw);
  return token === null
    ? `${SESSION_COOKIE}=; Path=${path}; HttpOnly; SameSite=Lax; Max-Age=0${secure}`
    : `${SESSION_COOKIE}=${encodeURIComponent(token)}; Path=${path}; HttpOnly; SameSite=Lax; Max-Age=${SESSION_MAX_HOURS * 3600}${secure}`;
}

/**
 * Sign-in attempts per client address within a window (on top of the per-account lockout). With
 * a database server they are counted in the database, so that several servers behind a load
 * balancer share the limit; the embedded engine is one process, and counts in memory.
 */
export class LoginRateLimiter {
  private readonly attempts = new Map<string, number[]>();
  constructor(
    private readonly max = 20,
    private readonly windowMs = 10 * 60 * 1000,
    private readonly db?: Database,
  ) {}
  async check(key: string, now = Date.now()): Promise<void> {
    if (this.db) {
      const windowSeconds = Math.ceil(this.windowMs / 1000);
      const db = this.db.readRouting?.primary ?? this.db;
      const seen = await db.transaction((tx) => countLoginAttempt(tx, key, windowSeconds));
      if (seen.before >= this.max) this.refuse(Math.max(1, Math.ceil(windowSeconds - seen.oldestAgeSeconds)));
      return;
    }
    const recent = (this.attempts.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.max) this.refuse(Math.ceil((this.windowMs - (now - recent[0])) / 1000));
    recent.push(now);
    this.attempts.set(key, recent);
    if (this.attempts.size > 10_000) this.attempts.clear();
  }
  private refuse(retry: number): never {
    throw new TooManyRequests(coded('sign-ins-from-address', { minutes: Math.ceil(retry / 60) }), retry);
  }
}

/** A request refused before its body is read closes its connection, so that the rest is not received. */
export function closeIfBody(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > 0 || req.headers['transfer-encoding'] !== undefined) reply.header('Connection', 'close');
  return reply;
}

export function registerAuth(app: FastifyInstance, db: Database): void {
  app.decorateRequest('principal', null as never);
  const authenticate = async (req: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
    const authz = req.headers.authorization;
    if (authz) {
      const m = /^Bearer\s+(\S+)$/i.exec(authz);
      const p = m ? await tokenPrincipal(db, m[1]) : undefined;
      if (!p) {
        closeIfBody(req, reply)
          .status(401)
          .send(codedAnswer('Unauthorized', coded('api-token-invalid')));
        return false;
      }
      req.principal = p;
      return true; // tokens are not ambient credentials: no CSRF check needed
    }
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) {
      const s = await sessionPrincipal(db, token);
      if (s) {
        req.principal = s.principal;
        req.csrfToken = s.csrfToken;
        req.sessionToken = token;
      }
    }
    if (!SAFE_METHODS.has(req.method) && req.sessionToken) {
      const sent = req.headers['x-csrf-token'];
      if (sent !== req.csrfToken) {
        closeIfBody(req, reply)
          .status(403)
          .send(codedAnswer('Forbidden', coded('csrf-token')));
        return false;
      }
    }
    return true;
  };
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    req.principal = ANONYMOUS;
    // The public's requests carry no credentials: no promise, no query.
    if (!req.headers.authorization && !req.headers.cookie) return done();
    authenticate(req, reply).then((go) => (go ? done() : undefined), done);
  });
}
