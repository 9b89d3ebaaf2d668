// A real server process (bin/kommunalmonitor.mjs serve) on a temporary data directory, for tests
// that must show the process itself survives: a crash there is a failed test, not a lost runner.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { tempDir } from './files.ts';

export interface ServerProcess {
  base: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** API tokens created before the start, by role. */
  tokens: { admin: string; viewer: string };
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function token(dataDir: string, user: string): Promise<string> {
  let out = '';
  const code = await main(['--data-dir', dataDir, '--json', 'tokens', 'create', '--user', user, '--name', 'test'], {
    out: (s) => (out += s),
    err: () => undefined,
  });
  if (code !== 0) throw new Error(`tokens create failed for ${user}`);
  return JSON.parse(out).token as string;
}

/** Starts `serve` with an admin and a viewer (each with a token) and no demo city unless asked. */
export async function startServerProcess(
  o: { demo?: boolean; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const tmp = tempDir();
  const dataDir = join(tmp.dir, 'data');
  for (const [name, role] of [
    ['admin', 'admin'],
    ['viewer', 'viewer'],
  ]) {
    const r = spawnSync(
      process.execPath,
      ['bin/kommunalmonitor.mjs', '--data-dir', dataDir, 'users', 'add', name, '--role', role],
      { input: 'ein sehr geheimes Passwort\n', encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(r.stderr);
  }
  const tokens = { admin: await token(dataDir, 'admin'), viewer: await token(dataDir, 'viewer') };
  const served = await serveDataDir(dataDir, o);
  return {
    ...served,
    tokens,
    async stop() {
      await served.stop();
      tmp.cleanup();
    },
  };
}

/** A running `serve` on an existing data directory (no demo city unless asked). */
export interface ServedDataDir {
  base: string;
  child: ChildProcess;
  stderr(): string;
  alive(): boolean;
  /** Ends the process (SIGTERM) and waits for it. */
  stop(): Promise<void>;
}

/** Starts `serve` on a data directory and waits until /api/health answers (120 s at most). */
export async function serveDataDir(
  dataDir: string,
  o: { demo?: boolean; env?: Record<string, string> } = {},
): Promise<ServedDataDir> {
  const port = await freePort();
  const args = [
    'bin/kommunalmonitor.mjs',
    '--data-dir',
    dataDir,
    'serve',
    '--port',
    String(port),
    '--host',
    '127.0.0.1',
  ];
  if (!o.demo) args.push('--no-demo');
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  let exited = false;
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
  child.once('exit', () => (exited = true));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`the server exited before it answered:\n${err}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the server did not answer within 120 s:\n${err}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    child,
    stderr: () => err,
    alive: () => !exited,
    async stop() {
      if (!exited) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
    },
  };
}
