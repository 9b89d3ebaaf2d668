// `serve --workers N`: several server processes on one port. The number is checked; the embedded
// database refuses it; on a PostgreSQL server [postgres] N workers answer, one that dies is
// started again while the others go on answering, and SIGTERM to the primary stops them all —
// for one tenant alone and for every tenant behind path routing.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { get as httpGet } from 'node:http';
import { freePort } from '../helpers/server-process.ts';
import { run } from '../helpers/cli.ts';
import { tempDir } from '../helpers/files.ts';
import { tenantGate, uniqueKey, openTenants, dropTenants, fillSmallCity } from '../helpers/tenants.ts';
import { sharedWorkerEnv, workerCount } from '../../src/cli/workers.ts';
import { UsageError } from '../../src/cli/errors.ts';

describe('serve --workers: the number', () => {
  test('--workers, else KOMMUNALMONITOR_WORKERS, else 1; anything but 1 … 64 is refused', () => {
    assert.equal(workerCount(undefined, {}), 1);
    assert.equal(workerCount(undefined, { KOMMUNALMONITOR_WORKERS: '3' }), 3);
    assert.equal(workerCount('2', { KOMMUNALMONITOR_WORKERS: '3' }), 2);
    for (const bad of ['0', '-1', '1.5', 'zwei', '65']) assert.throws(() => workerCount(bad, {}), UsageError, bad);
  });

  test('the workers share one rate-limit key for the youth forum: the configured one, else one the primary makes up', () => {
    assert.deepEqual(sharedWorkerEnv({ KOMMUNALMONITOR_FORUM_SECRET: 'ein-langes-geheimnis' }), {});
    const made = sharedWorkerEnv({}).KOMMUNALMONITOR_FORUM_SECRET;
    assert.ok(made && made.length >= 32);
    assert.notEqual(sharedWorkerEnv({}).KOMMUNALMONITOR_FORUM_SECRET, made, 'a new key per start');
  });

  test('the embedded database refuses several workers and changes nothing', async () => {
    const tmp = tempDir();
    try {
      const saved = process.env.DATABASE_URL;
      delete process.env.DATABASE_URL;
      try {
        const r = await run(['--data-dir', `${tmp.dir}/data`, 'serve', '--workers', '2', '--no-demo']);
        assert.equal(r.code, 2, r.err);
        assert.match(r.err, /--workers needs a PostgreSQL server \(DATABASE_URL\)/);
      } finally {
        if (saved !== undefined) process.env.DATABASE_URL = saved;
      }
    } finally {
      tmp.cleanup();
    }
  });
});

/** The server processes the primary started: its children that run Node (not, say, the bundler's esbuild). */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, comm]) => comm === 'node' || comm === 'MainThread')
      .map(([p]) => Number(p))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

/** The status of a GET on a new connection (no kept-alive socket of a worker that died), within 10 s. */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpGet(url, { agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 10 s`)));
    req.on('error', reject);
  });
}

async function until(
  what: string,
  cond: () => boolean,
  child: ChildProcess,
  log: () => string,
  ms = 90_000,
): Promise<void> {
  const started = Date.now();
  while (!cond()) {
    if (child.exitCode !== null || Date.now() - started > ms) assert.fail(`${what}: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('serve --workers 2 [postgres]', tenantGate(), () => {
  const tmp = tempDir();
  const key = uniqueKey('wk');
  const url = process.env.TEST_DATABASE_URL;

  before(async () => {
    const t = await openTenants();
    try {
      await t.add({ key, name: 'Stadt der Worker' }, (db) => fillSmallCity(db, tmp, 'WORKER', 100));
    } finally {
      await t.close();
    }
  });
  after(async () => {
    if (url) {
      const t = await openTenants();
      await dropTenants(t, [key]);
      await t.close();
    }
    tmp.cleanup();
  });

  for (const mode of ['single', 'path'] as const) {
    test(`${mode === 'single' ? 'one tenant alone (--tenant)' : 'every tenant (path routing)'}: two workers answer, a dead one comes back, SIGTERM stops all`, async () => {
      const port = await freePort();
      const args =
        mode === 'single'
          ? ['bin/kommunalmonitor.mjs', '--tenant', key, 'serve', '--port', String(port), '--no-demo', '--workers', '2']
          : ['bin/kommunalmonitor.mjs', 'serve', '--port', String(port), '--workers', '2'];
      const env = {
        ...process.env,
        DATABASE_URL: url,
        KOMMUNALMONITOR_DISCLOSURE_WARMUP: '0',
        KOMMUNALMONITOR_TENANT_ROUTING: mode === 'path' ? 'path' : 'none',
        KOMMUNALMONITOR_WORKERS: '',
      };
      const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d));
      const log = () => stderr;
      const serving = () => (stderr.match(/\[worker \d\] serving/g) ?? []).length;
      const target = `http://127.0.0.1:${port}${mode === 'path' ? `/t/${key}` : ''}/api/observations?indicator=einwohner&layer=bezirk&period=2023`;
      try {
        await until('two workers did not start', () => serving() >= 2, child, log);
        assert.match(stderr, /Starting 2 server processes/);
        assert.equal(childrenOf(child.pid!).length, 2);
        const first = await fetch(target, { signal: AbortSignal.timeout(10_000) });
        assert.equal(first.status, 200, await first.clone().text());
        const values = (await first.json()) as { values: { area: string; value: number }[] };
        assert.deepEqual(
          values.values.map((v) => [v.area, v.value]),
          [
            ['01', 100],
            ['02', 101],
          ],
        );

        // One worker dies; once the primary knows, new connections go to the other, which goes on
        // answering, and the primary starts the dead one again. (Connections the dead worker held
        // die with it, as with any server process.)
        const [victim] = childrenOf(child.pid!);
        process.kill(victim, 'SIGKILL');
        await until(
          'the primary did not notice the dead worker',
          () => /Worker \d exited \(SIGKILL\); starting it again/.test(stderr),
          child,
          log,
        );
        for (let i = 0; i < 20; i++) assert.equal(await statusOf(target), 200);
        await until('the dead worker was not started again', () => serving() >= 3, child, log);
        for (let i = 0; i < 10; i++) assert.equal(await statusOf(target), 200);
        assert.equal(childrenOf(child.pid!).filter((p) => p !== victim).length, 2);
        assert.ok(!stderr.includes(new URL(url!).password), 'no password in the log');

        const workers = childrenOf(child.pid!);
        child.kill('SIGTERM');
        const [code] = (await once(child, 'exit')) as [number | null];
        assert.equal(code, 0, stderr);
        await new Promise((r) => setTimeout(r, 200));
        for (const pid of workers) assert.throws(() => process.kill(pid, 0), /ESRCH/, `worker ${pid} is gone`);
      } finally {
        if (child.exitCode === null) {
          child.kill('SIGKILL');
          await once(child, 'exit');
        }
        for (const pid of childrenOf(child.pid!)) process.kill(pid, 'SIGKILL');
      }
    });
  }
});
