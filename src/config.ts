// Configuration from the environment and global CLI options. Secrets (DATABASE_URL) are never printed.
export interface Config {
  dataDir: string;
  databaseUrl?: string;
  /** Hot standbys of databaseUrl (DATABASE_REPLICA_URLS, comma-separated); the server reads from them. */
  replicaUrls: string[];
  /** KOMMUNALMONITOR_REPLICA_MAX_LAG_MS and KOMMUNALMONITOR_REPLICA_WAIT_MS (decision 0036). */
  replicas: { maxLagMs?: number; waitMs?: number };
  port: number;
  host: string;
}

export function configFrom(
  env: NodeJS.ProcessEnv,
  flags: { dataDir?: string; port?: string | number; host?: string },
): Config {
  const port = Number(flags.port ?? env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port "${flags.port ?? env.PORT}"`);
  const databaseUrl = env.DATABASE_URL || undefined;
  if (env.DATABASE_REPLICA_URLS?.trim() && !databaseUrl)
    throw new Error(
      'DATABASE_REPLICA_URLS names replicas of a PostgreSQL server: set DATABASE_URL to its primary as well',
    );
  return {
    dataDir: flags.dataDir ?? env.KOMMUNALMONITOR_DATA_DIR ?? './data',
    databaseUrl,
    replicaUrls: (env.DATABASE_REPLICA_URLS ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean),
    replicas: {
      maxLagMs: millis(env, 'KOMMUNALMONITOR_REPLICA_MAX_LAG_MS'),
      waitMs: millis(env, 'KOMMUNALMONITOR_REPLICA_WAIT_MS'),
    },
    port,
    // Until access control lands (issue #4) the server listens on the loopback interfaces only
    // ("localhost": 127.0.0.1 and ::1).
    host: flags.host ?? env.HOST ?? 'localhost',
  };
}

function millis(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of milliseconds, not "${v}"`);
  return n;
}
