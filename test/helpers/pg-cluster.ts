// A real PostgreSQL primary with a hot standby, started from the server binaries of this machine
// (Debian: /usr/lib/postgresql/*/bin) in a temporary directory on free ports. As root (CI) the
// binaries run as the postgres user, which PostgreSQL requires.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, appendFileSync } from 'node:fs';
import { freePort } from './server-process.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { REQUIRE_COMPONENTS } from './db.ts';

export const CLUSTER_COMPONENT = 'PostgreSQL server binaries (initdb, pg_basebackup)';

const TOOLS = ['initdb', 'pg_ctl', 'pg_basebackup'];

/**
 * The newest installed server's bin directory with initdb, pg_ctl and pg_basebackup, if any;
 * KOMMUNALMONITOR_TEST_POSTGRES_BIN names another one (a machine that is not Debian).
 */
export function postgresBin(): string | undefined {
  const chosen = process.env.KOMMUNALMONITOR_TEST_POSTGRES_BIN;
  if (chosen) return TOOLS.every((b) => existsSync(join(chosen, b))) ? chosen : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (TOOLS.every((b) => existsSync(join(bin, b)))) return bin;
  }
  return undefined;
}

/** Options for describe(): skip naming the missing binaries, or under CI run and fail. */
export function clusterGate(): { skip?: string } {
  if (postgresBin()) return {};
  return REQUIRE_COMPONENTS ? {} : { skip: `needs ${CLUSTER_COMPONENT}` };
}

export interface Cluster {
  primaryUrl: string;
  standbyUrl: string;
  stopStandby(): void;
  startStandby(): void;
  stop(): void;
}

const asRoot = process.getuid?.() === 0;

function run(bin: string, args: string[]): string {
  if (!asRoot) return execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const quoted = [bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', quoted], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts a primary and a standby streaming from it; user km, database km, trust on loopback. */
export async function startCluster(): Promise<Cluster> {
  const bin = postgresBin();
  if (!bin) throw new Error(`Missing component: ${CLUSTER_COMPONENT}`);
  const dir = mkdtempSync(join(tmpdir(), 'km-replicas-'));
  chmodSync(dir, 0o755);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const primary = join(dir, 'primary');
  const standby = join(dir, 'standby');
  const [p1, p2] = [await freePort(), await freePort()];
  const pgCtl = join(bin, 'pg_ctl');
  const start = (data: string, port: number) =>
    run(pgCtl, [
      '-D',
      data,
      '-l',
      join(dir, `${port}.log`),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`,
      'start',
    ]);
  const stopOne = (data: string) => {
    try {
      run(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']);
    } catch {
      // not running
    }
  };
  try {
    run(join(bin, 'initdb'), ['-D', primary, '-U', 'km', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    appendFileSync(
      primary + '/postgresql.conf',
      '\nfsync = off\nwal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n',
    );
    start(primary, p1);
    const admin = new pg.Client(`postgres://km@127.0.0.1:${p1}/postgres`);
    await admin.connect();
    try {
      await admin.query('CREATE DATABASE km');
    } finally {
      await admin.end();
    }
    run(join(bin, 'pg_basebackup'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(p1),
      '-U',
      'km',
      '-D',
      standby,
      '-R',
      '-X',
      'stream',
      '--no-sync',
      '--checkpoint=fast',
    ]);
    start(standby, p2);
  } catch (e) {
    stopOne(standby);
    stopOne(primary);
    rmSync(dir, { recursive: true, force: true });
    const err = e as Error & { stderr?: string };
    throw new Error(`starting the PostgreSQL cluster failed: ${err.message}${err.stderr ? `\n${err.stderr}` : ''}`);
  }
  return {
    primaryUrl: `postgres://km@127.0.0.1:${p1}/km`,
    standbyUrl: `postgres://km@127.0.0.1:${p2}/km`,
    stopStandby: () => stopOne(standby),
    startStandby: () => start(standby, p2),
    stop() {
      stopOne(standby);
      stopOne(primary);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
