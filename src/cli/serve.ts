// `kommunalmonitor serve`: one municipality (the embedded database or a PostgreSQL server, or one
// tenant alone with --tenant), or every tenant behind one listener (KOMMUNALMONITOR_TENANT_ROUTING),
// in one process or in several (--workers, workers.ts).
import type { Config } from '../config.ts';
import { openDatabase, type Database } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { UsageError } from './errors.ts';
import { leaveCluster, serveRole, superviseWorkers, workerCount, workerNumber, type ServeRole } from './workers.ts';

export interface ServeOptions {
  demo: boolean;
  workers?: string;
  /** --tenant: one tenant served alone. */
  tenant?: string;
}

/**
 * Resolves on the first SIGINT or SIGTERM. A worker stops on SIGTERM only: Ctrl+C reaches every
 * process of the terminal's group, and the primary, not the worker, decides what happens then.
 */
function stopSignal(role: ServeRole): Promise<void> {
  return new Promise<void>((resolve) => {
    if (role === 'worker') process.on('SIGINT', () => undefined);
    else process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export async function serve(c: Config, opts: ServeOptions, err: (s: string) => void): Promise<void> {
  const { defaultWebRoot } = await import('../http/server.ts');
  const { tenantRoutingFromEnv } = await import('../http/tenant-server.ts');
  const url = `http://${c.host === '0.0.0.0' ? 'localhost' : c.host}:${c.port}`;
  const trustProxy = ['1', 'true', 'yes'].includes(String(process.env.TRUST_PROXY).toLowerCase());
  const workers = workerCount(opts.workers);
  const role = serveRole(workers, c.databaseUrl);
  const routing = tenantRoutingFromEnv(process.env);
  if (routing && opts.tenant !== undefined)
    throw new UsageError(
      '--tenant serves one tenant alone; with KOMMUNALMONITOR_TENANT_ROUTING set, serve serves them all',
    );
  const stopped = stopSignal(role);
  const run = async (): Promise<void> => {
    if (routing)
      return (await import('./tenant-serve.ts')).serveTenants(c, routing, {
        err,
        url,
        trustProxy,
        webRoot: defaultWebRoot(),
        stopped,
        role,
        workers,
      });
    if (role !== 'primary') return serveOne(c, opts, { url, trustProxy, role, stopped, err });
    const db = await openOne(c, opts, url, false);
    try {
      await prepareDatabase(db, opts, url, err);
    } finally {
      await db.close();
    }
    err(`Starting ${workers} server processes on ${url}. Stop with Ctrl+C.\n`);
    return superviseWorkers(workers, { err, stopped });
  };
  if (role !== 'worker') return run();
  try {
    return await run();
  } finally {
    leaveCluster();
  }
}

/** The database served: the configured one, or the tenant's (--tenant); with replicas for serving only. */
async function openOne(c: Config, opts: ServeOptions, url: string, withReplicas: boolean): Promise<Database> {
  if (opts.tenant !== undefined)
    return (await import('./tenant-db.ts')).openTenantDatabase(c, opts.tenant, { withReplicas });
  return openDatabase({
    databaseUrl: c.databaseUrl,
    dataDir: c.dataDir,
    owner: { kind: 'server', url },
    ...(withReplicas ? { replicaUrls: c.replicaUrls, replicas: c.replicas } : {}),
  });
}

/** What happens once per start, before any process serves: migrations, the demo city, the set-up link. */
async function prepareDatabase(db: Database, opts: ServeOptions, url: string, err: (s: string) => void): Promise<void> {
  const applied = await migrate(db);
  err(`Database: ${db.location}${applied.length ? `, migrations applied: ${applied.join(', ')}` : ''}\n`);
  // A tenant gets the demo city only when asked (tenants add --demo), never by being empty.
  const { loadDemo, isEmpty, yesterday } = await import('../services/demo.ts');
  if (opts.demo && opts.tenant === undefined && (await isEmpty(db))) {
    err('Empty database: loading the demo city "Musterstadt" (once) …\n');
    // The daily series ends yesterday, so that the demo's daily gauge is current on a live server.
    const r = await loadDemo(db, { dailyUntil: yesterday(), log: (m) => err(m + '\n') });
    err(
      `Demo city loaded: ${r.areas} areas, ${r.indicators} indicators, ${r.observations} observations in ${r.seconds.toFixed(1)} s\n`,
    );
  }
  const { prepareSetup } = await import('../services/users.ts');
  const setup = await prepareSetup(db);
  if (setup) {
    err(
      `No administrator exists yet. Create the first one with the one-time link ${url}/einrichten?token=${setup}\n` +
        `  or: kommunalmonitor users add NAME --role admin (stop the server first when it uses this data directory)\n`,
    );
  }
}

/** One serving process: alone (after preparing the database itself) or a worker of several. */
async function serveOne(
  c: Config,
  opts: ServeOptions,
  o: { url: string; trustProxy: boolean; role: ServeRole; stopped: Promise<void>; err: (s: string) => void },
): Promise<void> {
  const { buildServer, defaultWebRoot } = await import('../http/server.ts');
  const { oidcFromEnv } = await import('../http/oidc.ts');
  const { logStrayErrorsAndGoOn } = await import('../http/error-log.ts');
  const { url } = o;
  const alone = o.role === 'alone';
  // A worker's messages name it; what is the same for all, the first worker says.
  const say = alone ? o.err : (s: string) => o.err(`[worker ${workerNumber()}] ${s}`);
  const first = alone || workerNumber() === 1;
  // Only the server reads from replicas (DATABASE_REPLICA_URLS); commands work on the primary.
  const db = await openOne(c, opts, url, true);
  try {
    if (alone) await prepareDatabase(db, opts, url, o.err);
    const webRoot = defaultWebRoot();
    if (!webRoot && first) say('The web app is not built (web/dist): serving the API only. `npm start` builds it.\n');
    const oidc = oidcFromEnv(process.env);
    if (oidc && first) say(`Sign-in through OpenID Connect: ${oidc.issuer}\n`);
    logStrayErrorsAndGoOn();
    const faultRoutes = process.env.KOMMUNALMONITOR_FAULT_ROUTES === '1';
    // One tenant served alone has the comparison store of its installation (decision 0037).
    const directory =
      opts.tenant !== undefined ? await (await import('./tenant-db.ts')).openTenantDirectory(c) : undefined;
    const row = directory && opts.tenant !== undefined ? await directory.require(opts.tenant) : undefined;
    const comparison =
      directory && row
        ? { shared: directory.shared, tenant: { key: row.key, name: row.name, officialKey: row.officialKey } }
        : undefined;
    const app = await buildServer(db, {
      logger: false,
      webRoot,
      oidc,
      faultRoutes,
      trustProxy: o.trustProxy,
      comparison,
    });
    await app.listen({ port: c.port, host: c.host });
    if (alone)
      o.err(
        `Kommunalmonitor is serving on ${url} (API: ${url}/api, OpenAPI: ${url}/api/openapi.json). Stop with Ctrl+C.\n`,
      );
    else say(`serving on ${url}\n`);
    let stopping = false;
    // Disclosure patterns in the background (KOMMUNALMONITOR_DISCLOSURE_WARMUP=0 turns it off, e.g. for load benchmarks);
    // they are stored, so of several workers the first computes them and the others find them.
    if (process.env.KOMMUNALMONITOR_DISCLOSURE_WARMUP !== '0' && first)
      void import('../services/disclosure.ts')
        .then((d) => d.warmPatterns(db, { stopped: () => stopping, log: (m) => say(m + '\n') }))
        .catch((e) => (stopping ? undefined : say(`Disclosure patterns not precomputed: ${(e as Error).message}\n`)));
    await o.stopped;
    if (alone) o.err('Stopping …\n');
    stopping = true;
    await app.close();
    await directory?.close();
  } finally {
    await db.close();
  }
}
