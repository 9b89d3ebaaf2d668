// Configuration from the environment and global CLI options. Secrets (DATABASE_URL) are never printed.
export interface Config {
  dataDir: string;
  databaseUrl?: string;
  port: number;
  host: string;
}

export function configFrom(env: NodeJS.ProcessEnv, flags: { dataDir?: string; port?: string | number; host?: string }): Config {
  const port = Number(flags.port ?? env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port "${flags.port ?? env.PORT}"`);
  return {
    dataDir: flags.dataDir ?? env.KOMMUNALMONITOR_DATA_DIR ?? './data',
    databaseUrl: env.DATABASE_URL || undefined,
    port,
    // Until access control lands (issue #4) the server listens on the loopback interfaces only
    // ("localhost": 127.0.0.1 and ::1).
    host: flags.host ?? env.HOST ?? 'localhost',
  };
}
