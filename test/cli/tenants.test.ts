// `kommunalmonitor tenants …` and the global option --tenant: refused with the embedded engine;
// on a PostgreSQL server [postgres] add, list, work on one tenant, export, import and remove.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from '../helpers/server-process.ts';
import { join } from 'node:path';
import { run } from '../helpers/cli.ts';
import { tempDir } from '../helpers/files.ts';
import { tenantGate, uniqueKey, openTenants, dropTenants } from '../helpers/tenants.ts';

/** Runs with DATABASE_URL set to the given value (or removed), restoring it afterwards. */
async function withDatabaseUrl<T>(url: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.DATABASE_URL;
  if (url === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = url;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

describe('tenants CLI with the embedded engine', () => {
  const tmp = tempDir();
  after(() => tmp.cleanup());
  test('tenant commands and --tenant say that tenants need a PostgreSQL server', async () => {
    await withDatabaseUrl(undefined, async () => {
      for (const args of [
        ['tenants', 'list'],
        ['tenants', 'add', 'musterstadt', '--name', 'Musterstadt'],
        ['--tenant', 'musterstadt', 'indicators'],
      ]) {
        const r = await run(['--data-dir', join(tmp.dir, 'data'), ...args]);
        assert.equal(r.code, 1, args.join(' '));
        assert.match(r.err, /tenants need a PostgreSQL server: set DATABASE_URL/);
      }
      assert.equal(existsSync(join(tmp.dir, 'data')), false, 'nothing was created');
    });
  });
});

describe('tenants CLI [postgres]', tenantGate(), () => {
  const tmp = tempDir();
  const a = uniqueKey('ca');
  const b = uniqueKey('cb');
  const c = `${a}-restored`;
  const url = process.env.TEST_DATABASE_URL;
  const cli = (args: string[]) => withDatabaseUrl(url, () => run(args));
  before(() => {
    tmp.file(
      'a.json',
      JSON.stringify([
        {
          key: 'nur_in_a',
          name: 'Nur in A',
          unit: 'Personen',
          type: 'count',
          owner: 'statistik',
          confidentiality: 'public',
        },
      ]),
    );
    tmp.file(
      'b.json',
      JSON.stringify([
        {
          key: 'nur_in_b',
          name: 'Nur in B',
          unit: 'Personen',
          type: 'count',
          owner: 'statistik',
          confidentiality: 'public',
        },
      ]),
    );
  });
  after(async () => {
    if (url) {
      const t = await openTenants();
      await dropTenants(t, [a, b, c]);
      await t.close();
    }
    tmp.cleanup();
  });

  test('add, list, and commands on one tenant with --tenant', async () => {
    let r = await cli(['tenants', 'add', a, '--name', 'Stadt A', '--ags', '06412000']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`Added tenant "${a}" \\(Stadt A\\) in schema t_${a}`));
    r = await cli(['tenants', 'add', b, '--name', 'Gemeinde B']);
    assert.equal(r.code, 0, r.err);
    r = await cli(['tenants', 'add', a, '--name', 'again']);
    assert.equal(r.code, 1);
    assert.match(r.err, /exists already/);
    r = await cli(['tenants', 'add', 'Bad_Key', '--name', 'x']);
    assert.equal(r.code, 1);
    assert.match(r.err, /not a tenant key/);

    r = await cli(['--json', 'tenants', 'list']);
    assert.equal(r.code, 0, r.err);
    const listed = JSON.parse(r.out) as { key: string; officialKey: string | null; served: boolean }[];
    assert.deepEqual(
      listed.filter((x) => x.key === a || x.key === b).map((x) => [x.key, x.officialKey, x.served]),
      [
        [a, '06412000', true],
        [b, null, true],
      ],
    );

    assert.equal((await cli(['--tenant', a, 'import', 'indicators', join(tmp.dir, 'a.json')])).code, 0);
    assert.equal((await cli(['--tenant', b, 'import', 'indicators', join(tmp.dir, 'b.json')])).code, 0);
    r = await cli(['--tenant', a, 'indicators']);
    assert.match(r.out, /nur_in_a/);
    assert.doesNotMatch(r.out, /nur_in_b/);
    r = await cli(['--tenant', b, 'indicators']);
    assert.match(r.out, /nur_in_b/);
    assert.doesNotMatch(r.out, /nur_in_a/);
    r = await cli(['--tenant', uniqueKey('none'), 'indicators']);
    assert.equal(r.code, 1);
    assert.match(r.err, /There is no tenant/);
  });

  test('export, import under a new key, and remove only after an export', async () => {
    const file = join(tmp.dir, 'a.jsonl.gz');
    let r = await cli(['tenants', 'remove', a]);
    assert.equal(r.code, 1);
    assert.match(r.err, /never been exported/);
    r = await cli(['tenants', 'export', a, '--output', file]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Exported tenant .*tables, \d+ rows/);
    r = await cli(['tenants', 'import', file, '--key', c]);
    assert.equal(r.code, 0, r.err);
    r = await cli(['--tenant', c, 'indicators']);
    assert.match(r.out, /nur_in_a/);
    r = await cli(['tenants', 'remove', a]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Removed tenant/);
    r = await cli(['--tenant', a, 'indicators']);
    assert.match(r.err, /There is no tenant/);
    // Only our tenants: other test files' tenants share the directory and change on purpose.
    r = await cli(['--json', 'tenants', 'migrate', c, b]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(
      JSON.parse(r.out),
      [
        { key: b, applied: [] },
        { key: c, applied: [] },
      ].sort((x, y) => (x.key < y.key ? -1 : 1)),
    );
    r = await cli(['tenants', 'migrate', a]);
    assert.equal(r.code, 1);
    assert.match(r.err, /There is no tenant/);
  });

  test('an embedded data directory becomes a tenant: export-embedded, then tenants import', async () => {
    const dataDir = join(tmp.dir, 'embedded');
    const file = join(tmp.dir, 'embedded.jsonl.gz');
    const key = uniqueKey('ce');
    await withDatabaseUrl(undefined, async () => {
      assert.equal((await run(['--data-dir', dataDir, 'import', 'indicators', join(tmp.dir, 'a.json')])).code, 0);
      const r = await run([
        '--data-dir',
        dataDir,
        'tenants',
        'export-embedded',
        '--key',
        key,
        '--name',
        'Eingebettet',
        '--output',
        file,
      ]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /Exported the embedded database as tenant/);
    });
    try {
      let r = await cli(['tenants', 'import', file]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, new RegExp(`Imported tenant "${key}" \\(Eingebettet\\)`));
      r = await cli(['--tenant', key, 'indicators']);
      assert.match(r.out, /nur_in_a/);
    } finally {
      const t = await openTenants();
      await dropTenants(t, [key]);
      await t.close();
    }
  });

  test('serve: every tenant under /t/{key}/ with KOMMUNALMONITOR_TENANT_ROUTING=path, one alone with --tenant', async () => {
    for (const mode of ['path', 'single'] as const) {
      const port = await freePort();
      const args =
        mode === 'path'
          ? ['bin/kommunalmonitor.mjs', 'serve', '--port', String(port)]
          : ['bin/kommunalmonitor.mjs', '--tenant', b, 'serve', '--port', String(port), '--no-demo'];
      const env = {
        ...process.env,
        DATABASE_URL: url,
        KOMMUNALMONITOR_DISCLOSURE_WARMUP: '0',
        ...(mode === 'path' ? { KOMMUNALMONITOR_TENANT_ROUTING: 'path' } : { KOMMUNALMONITOR_TENANT_ROUTING: 'none' }),
      };
      const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => (stderr += d));
      try {
        const started = Date.now();
        while (!/is serving/.test(stderr)) {
          if (child.exitCode !== null || Date.now() - started > 60_000) assert.fail(`serve did not start: ${stderr}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        const base = `http://127.0.0.1:${port}`;
        const own = await fetch(mode === 'path' ? `${base}/t/${b}/api/indicators` : `${base}/api/indicators`);
        assert.equal(own.status, 200);
        assert.match(await own.text(), /nur_in_b/);
        if (mode === 'path') {
          assert.equal((await fetch(`${base}/t/${uniqueKey('none')}/api/indicators`)).status, 404);
          assert.equal((await fetch(`${base}/api/health`)).status, 200);
        }
        assert.ok(!stderr.includes(new URL(url!).password), 'no password in the log');
      } finally {
        child.kill('SIGTERM');
        if (child.exitCode === null) await once(child, 'exit');
      }
    }
  });
});
