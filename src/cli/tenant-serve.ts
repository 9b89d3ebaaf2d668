// `kommunalmonitor serve` with KOMMUNALMONITOR_TENANT_ROUTING=path|host: every tenant of the
// directory behind one listener. The shared schema is migrated at start; the tenants are migrated
// in the background after the server listens, each served as soon as its schema is current.
import type { Config } from '../config.ts';
import type { TenantRouting } from '../http/tenant-server.ts';
import { openTenantDirectory } from './tenant-db.ts';

export async function serveTenants(c: Config, routing: TenantRouting, o: { err: (s: string) => void; url: string; trustProxy: boolean; webRoot?: string; stopped: Promise<void> }): Promise<void> {
  const { buildTenantServer } = await import('../http/tenant-server.ts');
  const { logStrayErrorsAndGoOn } = await import('../http/error-log.ts');
  const err = o.err;
  const pool = Number(process.env.KOMMUNALMONITOR_POOL_SIZE ?? 16);
  if (!Number.isInteger(pool) || pool < 1) throw new Error('KOMMUNALMONITOR_POOL_SIZE must be a positive integer');
  const tenants = await openTenantDirectory(c, { max: pool, withReplicas: true });
  try {
    const list = await tenants.list();
    err(`Database: ${tenants.pool.location}${tenants.replicaCount ? ` with ${tenants.replicaCount} replica(s)` : ''}; ${list.length} tenant(s), routed by ${routing.mode === 'path' ? 'path prefix /t/{key}/' : 'host name'}, schema version ${tenants.schemaVersion}\n`);
    // The environment's provider is one municipality's; each tenant has its own (decision 0039).
    if (process.env.OIDC_ISSUER) err('OIDC_ISSUER … is ignored with tenants: set each tenant’s identity provider with kommunalmonitor --tenant KEY settings oidc.\n');
    logStrayErrorsAndGoOn();
    const providerApi = process.env.KOMMUNALMONITOR_PROVIDER_API !== '0';
    const app = await buildTenantServer(tenants, routing, { logger: false, webRoot: o.webRoot, trustProxy: o.trustProxy, providerApi });
    await app.listen({ port: c.port, host: c.host });
    err(`Kommunalmonitor is serving ${list.length} tenant(s) on ${o.url}${routing.mode === 'path' ? '/t/{key}/' : ''}. Stop with Ctrl+C.\n`);
    let stopping = false;
    void tenants
      .migrateAll({ log: (m) => err(m + '\n') })
      .then((r) => {
        const failed = r.filter((x) => x.error);
        if (failed.length) err(`Tenants not migrated (not served until fixed; kommunalmonitor tenants list): ${failed.map((f) => f.key).join(', ')}\n`);
      })
      .catch((e) => (stopping ? undefined : err(`Migrating the tenants stopped: ${(e as Error).message}\n`)));
    await o.stopped;
    err('Stopping …\n');
    stopping = true;
    await app.close();
  } finally {
    await tenants.close();
  }
}
