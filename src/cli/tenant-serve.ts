// `kommunalmonitor serve` with KOMMUNALMONITOR_TENANT_ROUTING=path|host: every tenant of the
// directory behind one listener. The shared schema is migrated at start; the tenants are migrated
// in the background after the server listens, each served as soon as its schema is current.
// With --workers N the primary process migrates and N workers serve (workers.ts).
import type { Config } from '../config.ts';
import type { TenantRouting } from '../http/tenant-server.ts';
import type { Tenants } from '../store/tenants.ts';
import { openTenantDirectory } from './tenant-db.ts';
import { superviseWorkers, workerNumber, type ServeRole } from './workers.ts';

interface TenantServeOptions {
  err: (s: string) => void;
  url: string;
  trustProxy: boolean;
  webRoot?: string;
  stopped: Promise<void>;
  role: ServeRole;
  workers: number;
}

export async function serveTenants(c: Config, routing: TenantRouting, o: TenantServeOptions): Promise<void> {
  const err = o.err;
  const pool = positiveFromEnv('KOMMUNALMONITOR_POOL_SIZE') ?? 16;
  // The primary of several workers only migrates: a small pool, no replicas.
  const tenants = await openTenantDirectory(c, o.role === 'primary' ? { max: 2 } : { max: pool, withReplicas: true });
  let stopping = false;
  try {
    const list = await tenants.list();
    if (o.role !== 'worker') {
      err(
        `Database: ${tenants.pool.location}${tenants.replicaCount ? ` with ${tenants.replicaCount} replica(s)` : ''}; ${list.length} tenant(s), routed by ${routing.mode === 'path' ? 'path prefix /t/{key}/' : 'host name'}, schema version ${tenants.schemaVersion}\n`,
      );
      // The environment's provider is one municipality's; each tenant has its own (decision 0039).
      if (process.env.OIDC_ISSUER)
        err(
          'OIDC_ISSUER … is ignored with tenants: set each tenant’s identity provider with kommunalmonitor --tenant KEY settings oidc.\n',
        );
    }
    if (o.role === 'primary') {
      err(
        `Starting ${o.workers} server processes on ${o.url}${routing.mode === 'path' ? '/t/{key}/' : ''}. Stop with Ctrl+C.\n`,
      );
      const served = superviseWorkers(o.workers, { err, stopped: o.stopped });
      migrateInBackground(tenants, err, () => stopping);
      await served.finally(() => (stopping = true));
      return;
    }
    const { buildTenantServer } = await import('../http/tenant-server.ts');
    const { logStrayErrorsAndGoOn } = await import('../http/error-log.ts');
    logStrayErrorsAndGoOn();
    const providerApi = process.env.KOMMUNALMONITOR_PROVIDER_API !== '0';
    const app = await buildTenantServer(tenants, routing, {
      logger: false,
      webRoot: o.webRoot,
      trustProxy: o.trustProxy,
      providerApi,
      maxApps: positiveFromEnv('KOMMUNALMONITOR_TENANT_APPS'),
      answerCacheBytes: mb(positiveFromEnv('KOMMUNALMONITOR_ANSWER_CACHE_MB')),
    });
    await app.listen({ port: c.port, host: c.host });
    if (o.role === 'alone') {
      err(
        `Kommunalmonitor is serving ${list.length} tenant(s) on ${o.url}${routing.mode === 'path' ? '/t/{key}/' : ''}. Stop with Ctrl+C.\n`,
      );
      migrateInBackground(tenants, err, () => stopping);
    } else err(`[worker ${workerNumber()}] serving\n`);
    await o.stopped;
    if (o.role === 'alone') err('Stopping …\n');
    stopping = true;
    await app.close();
  } finally {
    stopping = true;
    await tenants.close();
  }
}

/** Every tenant to the current schema version, one by one; a failing tenant is reported and left out of service. */
function migrateInBackground(tenants: Tenants, err: (s: string) => void, stopping: () => boolean): void {
  void tenants
    .migrateAll({ log: (m) => err(m + '\n') })
    .then((r) => {
      const failed = r.filter((x) => x.error);
      if (failed.length)
        err(
          `Tenants not migrated (not served until fixed; kommunalmonitor tenants list): ${failed.map((f) => f.key).join(', ')}\n`,
        );
      if (process.env.KOMMUNALMONITOR_DISCLOSURE_WARMUP !== '0')
        return warmTenantPatterns(tenants, err, stopping).then(() => undefined);
    })
    .catch((e) => (stopping() ? undefined : err(`Migrating the tenants stopped: ${(e as Error).message}\n`)));
}

/**
 * Each served tenant's disclosure patterns in the background, one tenant at a time, after the
 * migrations (as `serve` does for one municipality). They are stored in the tenant's schema, so
 * the servers' first requests only look them up; of several workers, the primary computes them.
 */
export async function warmTenantPatterns(
  tenants: Tenants,
  err: (s: string) => void,
  stopping: () => boolean,
  only?: string[],
): Promise<number> {
  const { warmPatterns } = await import('../services/disclosure.ts');
  const t0 = performance.now();
  let patterns = 0;
  let warmed = 0;
  for (const t of await tenants.list()) {
    if (stopping()) return patterns;
    if (tenants.unavailable(t) || (only && !only.includes(t.key))) continue;
    try {
      patterns += await warmPatterns(tenants.database(t), { stopped: stopping });
      warmed++;
    } catch (e) {
      if (stopping()) return patterns;
      err(`tenant ${t.key}: disclosure patterns not precomputed: ${(e as Error).message}\n`);
    }
  }
  err(
    `Disclosure control: ${patterns} pattern(s) ready for ${warmed} tenant(s) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  return patterns;
}

/** A positive whole number from the environment, or undefined when unset. */
function positiveFromEnv(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number, not "${raw}"`);
  return n;
}

const mb = (n: number | undefined) => (n === undefined ? undefined : n * 1024 * 1024);
