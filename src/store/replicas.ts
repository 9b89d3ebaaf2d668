// Read scale-out on PostgreSQL streaming replicas (decision 0036): a Database facade whose reads
// go to a hot standby when the caller's scope allows it, and everything else to the primary.
// The scope is per request (AsyncLocalStorage), so that no service needs to know about replicas:
// the HTTP adapter opens a read scope for GET/HEAD requests, and a scope that must see the
// caller's own last write carries that write's LSN.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, Queryable, QueryResult } from './db.ts';

export interface ReadScope {
  /** Reads of this scope may go to a replica (a read-only request). */
  replica: boolean;
  /** A replica must have replayed at least this WAL position (the caller's last write). */
  minLsn?: string;
  /** The backend chosen for this scope: one per request, so that a request reads one state. */
  target?: Promise<number>;
  /** Where the reads went: 'primary' or the replica's name (shown in X-Read-From). */
  servedBy?: string;
}

const scopes = new AsyncLocalStorage<ReadScope>();

/** Runs fn in a read scope: its reads (and those of everything it awaits) follow the scope. */
export function inReadScope<T>(scope: ReadScope, fn: () => T): T {
  return scopes.run(scope, fn);
}

function currentReadScope(): ReadScope | undefined {
  return scopes.getStore();
}

/** A WAL position ('16/B374D848') as a number, for comparisons. */
export function lsnValue(lsn: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn);
  if (!m) throw new Error(`not a WAL position: ${lsn}`);
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

export interface ReplicaOptions {
  /** A replica further behind than this is skipped (default 5000 ms). */
  maxLagMs?: number;
  /** How long a read waits for a replica to replay the caller's last write before it goes to the primary (default 500 ms). */
  waitMs?: number;
  /** How often the replicas' state is read (default 1000 ms; on demand, no timer). */
  checkEveryMs?: number;
}

interface ReplicaState {
  name: string;
  up: boolean;
  standby: boolean;
  replayed: bigint;
  checkedAt: number;
}

/**
 * The replicas' health, shared by every facade on the same servers (all tenants): whether each
 * is reachable and a standby, how far it has replayed, and how far behind the primary that is.
 * Lag is measured in time without comparing clocks: the primary's WAL position is sampled at
 * each check, and a replica is as far behind as the oldest sample it has not replayed yet.
 */
export class ReplicaMonitor {
  readonly states: ReplicaState[];
  private samples: { at: number; lsn: bigint }[] = [];
  private checking?: Promise<void>;
  private lastCheck = 0;
  private turn = 0;
  readonly maxLagMs: number;
  readonly waitMs: number;
  private readonly checkEveryMs: number;

  constructor(
    private readonly primary: Queryable,
    private readonly replicas: { name: string; db: Queryable }[],
    o: ReplicaOptions = {},
  ) {
    this.maxLagMs = o.maxLagMs ?? 5000;
    this.waitMs = o.waitMs ?? 500;
    this.checkEveryMs = o.checkEveryMs ?? 1000;
    this.states = replicas.map((r) => ({ name: r.name, up: false, standby: false, replayed: 0n, checkedAt: 0 }));
  }

  /** Reads the state of the primary and every replica now (a check already running is shared). */
  check(): Promise<void> {
    this.checking ??= this.run().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** Starts a check in the background when the last one is older than checkEveryMs. */
  private maybeCheck(): void {
    if (Date.now() - this.lastCheck >= this.checkEveryMs) void this.check();
  }

  private async run(): Promise<void> {
    this.lastCheck = Date.now();
    try {
      const { rows } = await withTimeout(
        this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'),
        2000,
      );
      this.samples.push({ at: Date.now(), lsn: lsnValue(rows[0].lsn) });
      if (this.samples.length > 120) this.samples.splice(0, this.samples.length - 120);
    } catch {
      // The primary unreachable: replicas keep their last state; writes will fail on their own.
    }
    await Promise.all(
      this.replicas.map(async (r, i) => {
        const s = this.states[i];
        try {
          const { rows } = await withTimeout(
            r.db.query<{ standby: boolean; lsn: string | null }>(
              'SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn',
            ),
            2000,
          );
          s.up = true;
          // A promoted or misconfigured "replica" has its own history: never read from it.
          s.standby = rows[0].standby && rows[0].lsn !== null;
          if (rows[0].lsn) s.replayed = lsnValue(rows[0].lsn);
        } catch {
          s.up = false;
        }
        s.checkedAt = Date.now();
      }),
    );
  }

  /** How far behind the primary replica i is, in ms (0 when it has replayed every sample). */
  lagMs(i: number, now = Date.now()): number {
    const replayed = this.states[i].replayed;
    const first = this.samples.find((x) => x.lsn > replayed);
    return first ? now - first.at : 0;
  }

  usable(i: number): boolean {
    const s = this.states[i];
    return s.up && s.standby && this.lagMs(i) <= this.maxLagMs;
  }

  /** Usable replicas, starting with the next in turn (round robin). */
  candidates(): number[] {
    this.maybeCheck();
    const n = this.states.length;
    const start = this.turn++ % n;
    const out: number[] = [];
    for (let k = 0; k < n; k++) if (this.usable((start + k) % n)) out.push((start + k) % n);
    return out;
  }

  markDown(i: number): void {
    this.states[i].up = false;
  }

  /** Has replica i replayed `lsn`? Asks it when the last check does not tell yet. */
  async replayedUpTo(i: number, lsn: bigint, ask: boolean): Promise<boolean> {
    if (this.states[i].replayed >= lsn) return true;
    if (!ask) return false;
    const { rows } = await this.replicas[i].db.query<{ lsn: string | null }>(
      'SELECT pg_last_wal_replay_lsn()::text AS lsn',
    );
    if (rows[0].lsn) this.states[i].replayed = lsnValue(rows[0].lsn);
    return this.states[i].replayed >= lsn;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** A statement that only reads: may run on a standby. Anything else goes to the primary. */
const READS = /^\s*(select|with|values|table|show)\b/i;
const WRITES_INSIDE =
  /\b(insert|update|delete|merge|nextval|setval|pg_advisory\w*|for\s+(update|share|no\s+key\s+update|key\s+share))\b/i;
export function onlyReads(sql: string): boolean {
  return READS.test(sql) && !WRITES_INSIDE.test(sql);
}

/**
 * The replica cannot do it, but the primary may: a write in a read scope (25006), a query
 * cancelled by a replication conflict (40001), or a table, column or function that a migration
 * just added and the replica has not replayed yet (42P01, 42703, 42883).
 */
const PRIMARY_MAY = new Set(['25006', '40001', '42P01', '42703', '42883']);
function primaryCanDo(e: unknown): boolean {
  return PRIMARY_MAY.has(String((e as { code?: unknown }).code));
}

/** The replica is gone (stopped, restarting, unreachable). */
function replicaDown(e: unknown): boolean {
  const code = String((e as { code?: unknown }).code ?? '');
  const message = String((e as { message?: unknown }).message ?? '');
  return (
    /^(08|57P)/.test(code) ||
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH', 'EPIPE'].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Connection ended/i.test(message)
  );
}

/**
 * A transaction's function on a replica, watched: a statement the replica refused (a write)
 * fails the whole transaction even when fn catches the error and goes on, since on the primary
 * that statement would have worked (and COMMIT of a failed transaction silently rolls back).
 */
function refusedOnReplica<T>(fn: (tx: Queryable) => Promise<T>): (tx: Queryable) => Promise<T> {
  return async (tx) => {
    let refused: unknown;
    const seen = (e: unknown): never => {
      if (primaryCanDo(e)) refused ??= e;
      throw e;
    };
    const watched: Queryable = {
      query: <R>(sql: string, params?: unknown[]) => tx.query<R>(sql, params).catch(seen),
      exec: (sql) => tx.exec(sql).catch(seen),
      copyText: (table, columns, text) => tx.copyText(table, columns, text).catch(seen),
    };
    const result = await fn(watched);
    if (refused) throw refused;
    return result;
  };
}

export interface ReadRouting {
  monitor: ReplicaMonitor;
  /** Where writes go, and what must be read from the primary (the read fence). */
  primary: Database;
}

/** A Database that is the primary for writes and the replicas for a read scope's reads. */
export interface RoutedDatabase extends Database {
  readonly readRouting: ReadRouting;
  /**
   * The backend this scope's reads go to (chosen once per scope); caches of what was read are
   * kept per backend (services/snapshot.ts).
   */
  readTarget(): Promise<Queryable>;
}

/**
 * Wraps a primary and its replicas (facades on the same schema, one per replica server) so that
 * reads in a read scope go to a usable replica and everything else to the primary.
 */
export function routeReads(
  primary: Database,
  replicas: Database[],
  monitor: ReplicaMonitor,
  o: { ownsReplicas?: boolean; onClose?: () => Promise<void> } = {},
): RoutedDatabase {
  const names = monitor.states.map((s) => s.name);
  const choose = async (scope: ReadScope): Promise<number> => {
    const order = monitor.candidates();
    if (!scope.minLsn) return order.length ? order[0] : -1;
    const need = lsnValue(scope.minLsn);
    for (const i of order) if (await monitor.replayedUpTo(i, need, false)) return i;
    // A bounded wait for any usable replica to replay the caller's write, else the primary.
    const deadline = Date.now() + monitor.waitMs;
    let live = order;
    while (live.length) {
      for (const i of live) {
        try {
          if (await monitor.replayedUpTo(i, need, true)) return i;
        } catch (e) {
          if (!replicaDown(e)) throw e;
          monitor.markDown(i);
        }
      }
      live = live.filter((i) => monitor.usable(i));
      if (Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    return -1;
  };
  const targetOf = (scope: ReadScope | undefined): Promise<number> => {
    if (!scope?.replica) return Promise.resolve(-1);
    scope.target ??= choose(scope).then((i) => {
      scope.servedBy = i < 0 ? 'primary' : names[i];
      return i;
    });
    return scope.target;
  };
  /** Runs a read on the scope's backend; falls back to the primary when the replica cannot. */
  const read = async <T>(run: (db: Database) => Promise<T>): Promise<T> => {
    const scope = currentReadScope();
    const i = await targetOf(scope);
    if (i < 0) return run(primary);
    try {
      return await run(replicas[i]);
    } catch (e) {
      if (replicaDown(e)) monitor.markDown(i);
      else if (!primaryCanDo(e)) throw e;
      // The rest of this request reads from the primary too: one request, one state.
      if (scope) {
        scope.target = Promise.resolve(-1);
        scope.servedBy = 'primary';
      }
      return run(primary);
    }
  };
  return {
    kind: 'server',
    location: `${primary.location} with ${replicas.length} replica(s)`,
    readRouting: { monitor, primary },
    async readTarget() {
      const i = await targetOf(currentReadScope());
      return i < 0 ? primary : replicas[i];
    },
    query<T>(sql: string, params?: unknown[]): Promise<QueryResult<T>> {
      if (!currentReadScope()?.replica || !onlyReads(sql)) return primary.query<T>(sql, params);
      return read((db) => db.query<T>(sql, params));
    },
    exec: (sql) => primary.exec(sql),
    copyText: (table, columns, text) => primary.copyText(table, columns, text),
    transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      // A standby's transactions are read-only: one that writes fails there and runs again on the primary.
      if (!currentReadScope()?.replica) return primary.transaction(fn);
      return read((db) => db.transaction(refusedOnReplica(fn)));
    },
    async close() {
      await primary.close();
      if (o.ownsReplicas) for (const r of replicas) await r.close();
      await o.onClose?.();
    },
  };
}
