// Many municipalities behind one listener (decision 0035): a front that finds the tenant of a
// request by its host name or by the path prefix /t/{key}/, and hands the request to that
// tenant's own app — the same server as a single municipality gets (buildServer), built lazily
// around the tenant's database facade. Each tenant app has its own caches and sees only its own
// schema, so isolation does not depend on every route remembering a tenant parameter.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { buildServer, type ServerOptions } from './server.ts';
import { TENANT_KEY, type Tenant, type Tenants } from '../store/tenants.ts';
import { setBasePath } from './base-path.ts';
import { coded, englishText, type Coded } from '../contracts/codes/index.ts';
import { AnswerCache } from './answer-cache.ts';
import { PROVIDER_PREFIX, registerProviderRoutes } from './provider-routes.ts';

export type TenantRouting =
  | { mode: 'path' }
  | {
      mode: 'host';
      /** Host name → tenant key, checked first. */
      hosts?: Record<string, string>;
      /** A pattern with one {key} in the first label, e.g. {key}.kommunalmonitor.example.org. */
      pattern?: string;
    };

/**
 * KOMMUNALMONITOR_TENANT_ROUTING=path|host|none (default none: one municipality, as without
 * tenants); for host: KOMMUNALMONITOR_TENANT_HOSTS (host=key,host=key) and/or
 * KOMMUNALMONITOR_TENANT_HOST_PATTERN ({key}.example.org).
 */
export function tenantRoutingFromEnv(env: NodeJS.ProcessEnv): TenantRouting | undefined {
  const mode = (env.KOMMUNALMONITOR_TENANT_ROUTING ?? 'none').trim().toLowerCase();
  if (mode === 'none' || mode === '') return undefined;
  if (mode === 'path') return { mode: 'path' };
  if (mode !== 'host')
    throw new Error(
      `KOMMUNALMONITOR_TENANT_ROUTING must be path, host or none, not "${env.KOMMUNALMONITOR_TENANT_ROUTING}"`,
    );
  const hosts: Record<string, string> = {};
  for (const pair of (env.KOMMUNALMONITOR_TENANT_HOSTS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [host, key] = pair.split('=').map((s) => s.trim().toLowerCase());
    if (!host || !key || !TENANT_KEY.test(key))
      throw new Error(`KOMMUNALMONITOR_TENANT_HOSTS: "${pair}" is not host=key`);
    hosts[host] = key;
  }
  const pattern = env.KOMMUNALMONITOR_TENANT_HOST_PATTERN?.trim().toLowerCase() || undefined;
  if (pattern !== undefined && !/^\{key\}(\.[a-z0-9-]+)+$/.test(pattern))
    throw new Error(`KOMMUNALMONITOR_TENANT_HOST_PATTERN must look like {key}.example.org, not "${pattern}"`);
  if (!pattern && !Object.keys(hosts).length)
    throw new Error('host routing needs KOMMUNALMONITOR_TENANT_HOSTS or KOMMUNALMONITOR_TENANT_HOST_PATTERN');
  return { mode: 'host', hosts, pattern };
}

export interface TenantServerOptions extends ServerOptions {
  /** How long a tenant's directory entry is trusted before it is read again (default 5 s). */
  recheckMs?: number;
  /** Tenant apps kept at most; the least recently used idle one is closed beyond (default 500, KOMMUNALMONITOR_TENANT_APPS). */
  maxApps?: number;
  /** Bytes of prepared answers kept for all tenants together (default 256 MB, KOMMUNALMONITOR_ANSWER_CACHE_MB). */
  answerCacheBytes?: number;
  /** The provider API at /provider/api/ (default on; KOMMUNALMONITOR_PROVIDER_API=0 turns it off). */
  providerApi?: boolean;
}

interface Entry {
  row?: Tenant;
  checkedAt: number;
  refresh?: Promise<void>;
  app?: Promise<FastifyInstance>;
  inflight: number;
  usedAt: number;
}

const PATH_PREFIX = /^\/t\/([^/?#]*)(.*)$/s;

/** The tenant key a request names, and the request target the tenant's app sees; or why there is none. */
export function routeOf(
  routing: TenantRouting,
  url: string,
  hostname: string,
): { key: string; url: string; base: string } | { missing: Coded } | { redirect: string } {
  if (routing.mode === 'path') {
    const m = PATH_PREFIX.exec(url);
    if (!m) return { missing: coded('tenant-address-needed', { placeholder: '{key}' }) };
    const [, key, rest] = m;
    if (!TENANT_KEY.test(key) || key.length > 40) return { missing: coded('no-such-tenant') };
    if (rest === '' || rest.startsWith('?')) return { redirect: `/t/${key}/${rest}` };
    return { key, url: rest, base: `/t/${key}/` };
  }
  const host = hostname.toLowerCase().replace(/\.$/, '');
  const mapped = routing.hosts?.[host];
  if (mapped) return { key: mapped, url, base: '/' };
  if (routing.pattern) {
    const suffix = routing.pattern.slice('{key}'.length);
    if (host.endsWith(suffix)) {
      const key = host.slice(0, -suffix.length);
      if (TENANT_KEY.test(key) && key.length <= 40) return { key, url, base: '/' };
    }
  }
  return { missing: coded('no-such-tenant') };
}

/** The front: one Fastify instance whose every request is passed on to a tenant's app. */
export async function buildTenantServer(
  tenants: Tenants,
  routing: TenantRouting,
  o: TenantServerOptions = {},
): Promise<FastifyInstance> {
  const recheckMs = o.recheckMs ?? 5000;
  const maxApps = o.maxApps ?? 500;
  // One budget for every tenant's prepared answers: per app, 500 tenants could hold 500 × the memory.
  const answers = new AnswerCache({ maxBytes: o.answerCacheBytes });
  const providerApi = o.providerApi ?? true;
  const entries = new Map<string, Entry>();
  const front = Fastify({ logger: false, trustProxy: o.trustProxy ?? false });

  const answer = (reply: FastifyReply, status: number, error: string, message: Coded) =>
    reply
      .status(status)
      .header('Cache-Control', 'no-store')
      .header('X-Content-Type-Options', 'nosniff')
      .send({ error, message: englishText(message), code: message.code, params: message.params });

  /**
   * The directory entry, read again when older than recheckMs (one read at a time per key, so
   * that concurrent first requests share one entry and one app). Unknown keys are remembered as
   * unknown as long, and never in numbers: a scan of random keys must not grow memory.
   */
  const lookup = async (key: string): Promise<Entry> => {
    let e = entries.get(key);
    if (!e) {
      if (entries.size > 10_000) for (const [k, x] of entries) if (!x.row && !x.refresh) entries.delete(k);
      e = { checkedAt: -Infinity, inflight: 0, usedAt: Date.now() };
      entries.set(key, e);
    }
    const entry = e;
    if (Date.now() - entry.checkedAt > recheckMs) {
      entry.refresh ??= tenants
        .get(key)
        .then((row) => {
          entry.row = row;
          entry.checkedAt = Date.now();
          if (!row && entry.app) void closeApp(entry);
        })
        .finally(() => (entry.refresh = undefined));
      await entry.refresh;
    }
    return entry;
  };

  const closeApp = async (e: Entry) => {
    const app = e.app;
    e.app = undefined;
    if (app) await (await app.catch(() => undefined))?.close();
  };

  const evict = () => {
    const live = [...entries.entries()].filter(([, e]) => e.app);
    if (live.length <= maxApps) return;
    const idle = live.filter(([, e]) => e.inflight === 0).sort((x, y) => x[1].usedAt - y[1].usedAt);
    for (const [, e] of idle.slice(0, live.length - maxApps)) void closeApp(e);
  };

  const appOf = (e: Entry, row: Tenant): Promise<FastifyInstance> => {
    if (!e.app) {
      const { recheckMs: _r, maxApps: _m, providerApi: _p, answerCacheBytes: _a, ...serverOptions } = o;
      e.app = (async () => {
        const comparison = {
          shared: tenants.shared,
          tenant: { key: row.key, name: row.name, officialKey: row.officialKey },
        };
        const app = await buildServer(tenants.database(row), {
          ...serverOptions,
          comparison,
          answerCache: { cache: answers, scope: row.key },
        });
        await app.ready();
        return app;
      })();
      e.app.catch(() => (e.app = undefined));
      evict();
    }
    return e.app;
  };

  // Async: the hook ends only once the request is answered here or handed over (hijacked), so the
  // front never reads a body the tenant's app has to read.
  front.addHook('onRequest', async (req, reply) => {
    const r = routeOf(routing, req.url, req.hostname);
    if ('redirect' in r) return reply.redirect(r.redirect, 308);
    if ('missing' in r) {
      // The provider API answers only where no tenant is named (the routes below).
      if (providerApi && req.url.startsWith(`${PROVIDER_PREFIX}/`)) return;
      // The front's own health check (load balancers ask by address, not by a tenant's name).
      if (req.url.split('?')[0] === '/api/health')
        return reply.header('Cache-Control', 'no-store').send({ status: 'ok', database: 'server', tenants: true });
      return answer(reply, 404, 'Not Found', r.missing);
    }
    let app: FastifyInstance;
    let e: Entry | undefined;
    try {
      e = await lookup(r.key);
      if (!e.row) return answer(reply, 404, 'Not Found', coded('no-such-tenant'));
      const why = tenants.unavailability(e.row);
      if (why) return answer(reply.header('Retry-After', '30'), 503, 'Service Unavailable', why);
      // Counted before the app is awaited, so that eviction never closes an app a request is about to enter.
      e.inflight++;
      app = await appOf(e, e.row);
    } catch (err) {
      if (e) e.inflight--;
      return answer(
        reply,
        503,
        'Service Unavailable',
        coded('tenant-cannot-be-served', { cause: (err as Error).message.split('\n')[0] }),
      );
    }
    const entry = e;
    entry.usedAt = Date.now();
    const res = reply.raw as ServerResponse;
    res.once('close', () => entry.inflight--);
    reply.hijack();
    const raw = req.raw as IncomingMessage;
    raw.url = r.url;
    setBasePath(raw, r.base);
    app.routing(raw, res);
    return reply;
  });
  if (providerApi) registerProviderRoutes(front, tenants, { loginAttemptsPerAddress: o.loginAttemptsPerAddress });
  // Every other request is taken over in onRequest; only unknown provider paths get here.
  front.all('/*', (req, reply) =>
    answer(reply, 404, 'Not Found', coded('no-such-resource', { method: req.method, path: req.url.split('?')[0] })),
  );
  front.addHook('onClose', async () => {
    for (const e of entries.values()) await closeApp(e);
  });
  return front;
}
