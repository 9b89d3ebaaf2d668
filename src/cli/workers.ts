// `serve --workers N`: N server processes on one port (node:cluster), for a PostgreSQL server.
// One Node process answers on one core; a host with several cores and many tenants needs several.
// The processes share nothing in memory: sessions, sign-ins in progress, sign-in limits, cache
// invalidation and locks already go through the database (decision 0036), as with servers on
// several machines. The primary process does what must happen once (migrations, the demo city,
// the set-up link, migrating tenants) and then only watches its workers: it restarts one that
// dies, and gives up when they keep dying.
import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { UsageError } from './errors.ts';

/** Restarts tolerated within RESTART_WINDOW_MS before the primary gives up. */
const RESTART_LIMIT = 5;
const RESTART_WINDOW_MS = 60_000;

export type ServeRole = 'alone' | 'primary' | 'worker';

/** The number of server processes: --workers, else KOMMUNALMONITOR_WORKERS, else 1. */
export function workerCount(option: string | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const raw = option ?? env.KOMMUNALMONITOR_WORKERS;
  if (raw === undefined || raw.trim() === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(`--workers (or KOMMUNALMONITOR_WORKERS) must be a whole number from 1 to 64, not "${raw}"`);
  return n;
}

/** What this process does: one server alone, the primary of several, or one of them. */
export function serveRole(workers: number, databaseUrl: string | undefined): ServeRole {
  if (cluster.isWorker) return 'worker';
  if (workers <= 1) return 'alone';
  if (!databaseUrl)
    throw new UsageError(
      '--workers needs a PostgreSQL server (DATABASE_URL): the embedded database belongs to one process',
    );
  return 'primary';
}

/** The worker's number (1 … N) for its messages; 0 outside a cluster. */
export function workerNumber(): number {
  return cluster.worker ? Number(process.env.KOMMUNALMONITOR_WORKER_NUMBER ?? cluster.worker.id) : 0;
}

/**
 * What the workers must agree on and the primary makes up when it is not configured: the youth
 * forum's rate-limit key. The limits are counted in the database under keyed hashes of client
 * addresses; workers with keys of their own would each count apart (decision 0041).
 */
export function sharedWorkerEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return env.KOMMUNALMONITOR_FORUM_SECRET
    ? {}
    : { KOMMUNALMONITOR_FORUM_SECRET: randomBytes(32).toString('base64url') };
}

/** A worker that has stopped serving lets go of the primary (the channel would keep it alive). */
export function leaveCluster(): void {
  if (cluster.isWorker && process.connected) process.disconnect();
}

/**
 * Starts N workers (each re-runs this command line and serves), restarts a worker that exits
 * unexpectedly, and on `stopped` stops them all. Rejects when workers keep dying (more than
 * RESTART_LIMIT exits within a minute), after stopping the rest.
 */
export async function superviseWorkers(
  n: number,
  o: { err: (s: string) => void; stopped: Promise<void> },
): Promise<void> {
  const env = sharedWorkerEnv(process.env);
  const live = new Map<number, Worker>();
  const exits: number[] = [];
  let stopping = false;
  let failed: Error | undefined;
  let allGone: () => void = () => {};
  const gone = new Promise<void>((resolve) => (allGone = resolve));

  const start = (slot: number) => {
    const w = cluster.fork({ ...env, KOMMUNALMONITOR_WORKER_NUMBER: String(slot) });
    live.set(slot, w);
    w.on('exit', (code, signal) => {
      live.delete(slot);
      if (stopping) {
        if (live.size === 0) allGone();
        return;
      }
      const now = Date.now();
      exits.push(now);
      while (exits.length && now - exits[0] > RESTART_WINDOW_MS) exits.shift();
      if (exits.length > RESTART_LIMIT) {
        failed = new Error(
          `server workers keep exiting (${exits.length} within a minute, the last with ${signal ?? `code ${code}`}); stopping`,
        );
        void stopAll();
        return;
      }
      o.err(`Worker ${slot} exited (${signal ?? `code ${code}`}); starting it again.\n`);
      start(slot);
    });
  };

  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    if (live.size === 0) allGone();
    for (const w of live.values()) w.process.kill('SIGTERM');
    // A worker that does not stop within 10 s (a request that hangs) is killed.
    const t = setTimeout(() => {
      for (const w of live.values()) w.process.kill('SIGKILL');
    }, 10_000);
    t.unref();
  };

  for (let i = 1; i <= n; i++) start(i);
  void o.stopped.then(stopAll);
  await gone;
  if (failed) throw failed;
}
