// The sealed pipeline over HTTP: 403 before the body is read for everybody but the sealed office;
// definitions stored and versioned; the records processed from memory; and the canary proof on a
// real server process (its stdout and stderr, its private temporary directory, the data
// directory including pg_wal, the audit export, and the answers to a non-sealed user).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { freePort } from '../helpers/server-process.ts';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { tempDir } from '../helpers/files.ts';
import { sealedCity, DEFINITION, recordsCsv, canaries, filesContaining } from '../helpers/sealed-fixture.ts';
import { addUser, createToken, setPermission } from '../../src/services/users.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { buildServer } from '../../src/http/server.ts';

const PASSWORD = 'correct horse battery staple';

async function people(db: Database): Promise<Record<'sealed' | 'analyst' | 'admin', Record<string, string>>> {
  await addUser(db, SYSTEM, { name: 'statistik', role: 'analyst', password: PASSWORD });
  await setPermission(db, SYSTEM, 'statistik', 'sealed-office', true);
  await addUser(db, SYSTEM, { name: 'analyse', role: 'analyst', password: PASSWORD });
  await addUser(db, SYSTEM, { name: 'chefin', role: 'admin', password: PASSWORD });
  const bearer = async (user: string) => ({
    authorization: `Bearer ${(await createToken(db, SYSTEM, { user, name: 'test' })).token}`,
  });
  return { sealed: await bearer('statistik'), analyst: await bearer('analyse'), admin: await bearer('chefin') };
}

describe('sealed run over HTTP [pglite]', () => {
  const tmp = tempDir();
  let db: Database;
  let app: FastifyInstance;
  let auth: Awaited<ReturnType<typeof people>>;
  before(async () => {
    db = await openDatabase({ memory: true });
    await migrate(db);
    await sealedCity(db, tmp);
    auth = await people(db);
    app = await buildServer(db);
  });
  after(async () => {
    await app?.close();
    await db?.close();
    tmp.cleanup();
  });

  test('everybody but the sealed office is refused before the body is read', async () => {
    for (const [who, headers, status] of [
      ['anonymous', {}, 401],
      ['analyst', auth.analyst, 403],
      ['admin', auth.admin, 403],
    ] as const) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/sealed/run?file=a.csv&definition=ferienprogramm_2024',
        headers: { ...headers, 'content-type': 'text/csv' },
        payload: recordsCsv(),
      });
      assert.equal(r.statusCode, status, `${who}: ${r.body}`);
      assert.equal(r.headers.connection, 'close', `${who}: the rest of the body is not received`);
      const put = await app.inject({
        method: 'PUT',
        url: '/api/sealed/definitions/ferienprogramm_2024',
        headers,
        payload: DEFINITION,
      });
      assert.equal(put.statusCode, status, `${who} PUT: ${put.body}`);
      const list = await app.inject({ method: 'GET', url: '/api/sealed/definitions', headers });
      assert.equal(list.statusCode, status);
    }
  });

  test('definitions are stored and versioned; bad ones get problems naming the field', async () => {
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/sealed/definitions/ferienprogramm_2024',
      headers: auth.sealed,
      payload: { ...DEFINITION, address: { column: 'Anschrift', x: 'x', y: 'y' } },
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.ok(
      bad
        .json()
        .problems.some(
          (p: { column?: string; reason: string }) => p.column === 'address' && /exactly one/.test(p.reason),
        ),
      bad.body,
    );
    const ok = await app.inject({
      method: 'PUT',
      url: '/api/sealed/definitions/ferienprogramm_2024',
      headers: auth.sealed,
      payload: DEFINITION,
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json(), { key: 'ferienprogramm_2024', version: 1, newVersion: true });
    const same = await app.inject({
      method: 'PUT',
      url: '/api/sealed/definitions/ferienprogramm_2024',
      headers: auth.sealed,
      payload: DEFINITION,
    });
    assert.deepEqual(same.json(), { key: 'ferienprogramm_2024', version: 1, newVersion: false });
    const got = await app.inject({
      method: 'GET',
      url: '/api/sealed/definitions/ferienprogramm_2024',
      headers: auth.sealed,
    });
    assert.equal(got.json().definition.indicator.key, 'ferienprogramm_teilnehmende');
    const missing = await app.inject({
      method: 'POST',
      url: '/api/sealed/run?file=a.csv&definition=gibt_es_nicht',
      headers: { ...auth.sealed, 'content-type': 'text/csv' },
      payload: recordsCsv(),
    });
    assert.equal(missing.statusCode, 404);
  });

  test('a dry run and a run from memory; refusal answers 422; answers to others hold no canary', async () => {
    const c = canaries();
    const dry = await app.inject({
      method: 'POST',
      url: '/api/sealed/run?file=anmeldungen.csv&definition=ferienprogramm_2024&dryRun=true',
      headers: { ...auth.sealed, 'content-type': 'text/csv' },
      payload: recordsCsv(c),
    });
    assert.equal(dry.statusCode, 200, dry.body);
    assert.equal(dry.json().records, 13);
    assert.equal(dry.json().batchId, null);
    assert.equal(dry.headers['cache-control'], 'no-store');
    assert.ok(dry.body.includes(c.street), 'the sealed office sees the unmatched addresses');
    const refused = await app.inject({
      method: 'POST',
      url: '/api/sealed/run?file=anmeldungen.csv&definition=ferienprogramm_2024&maxUnassignedShare=0.1',
      headers: { ...auth.sealed, 'content-type': 'text/csv' },
      payload: recordsCsv(c),
    });
    assert.equal(refused.statusCode, 422);
    assert.equal(refused.json().batchId, null);
    const run = await app.inject({
      method: 'POST',
      url: '/api/sealed/run?file=anmeldungen.csv&definition=ferienprogramm_2024',
      headers: { ...auth.sealed, 'content-type': 'text/csv' },
      payload: recordsCsv(c),
    });
    assert.equal(run.statusCode, 200, run.body);
    assert.ok(run.json().batchId);
    const needles = [c.name, c.firstName, c.note, c.street, c.houseNumber, c.number];
    const answers = [
      await app.inject({
        method: 'GET',
        url: '/api/observations?indicator=ferienprogramm_teilnehmende&layer=planungsraum&period=2024',
        headers: auth.analyst,
      }),
      await app.inject({
        method: 'GET',
        url: '/api/observations?indicator=ferienprogramm_teilnehmende_nicht_zuordenbar&layer=stadt&period=2024',
      }),
      await app.inject({ method: 'GET', url: '/api/indicators', headers: auth.analyst }),
      await app.inject({ method: 'GET', url: '/api/audit?format=csv', headers: auth.admin }),
      await app.inject({ method: 'GET', url: '/api/audit', headers: auth.admin }),
    ];
    for (const a of answers) {
      assert.equal(a.statusCode, 200, a.body);
      for (const n of needles) assert.ok(!a.body.includes(n), `an answer holds the canary ${n}`);
    }
    assert.ok(answers[0].body.includes('planungsraum'));
  });
});

describe('canary proof on a server process [pglite data directory]', () => {
  test('after a run over HTTP: no canary in the data directory (pg_wal included), the server’s temporary directory, its stdout and stderr, or the audit export', async () => {
    const tmp = tempDir();
    const dataDir = join(tmp.dir, 'data');
    const privateTmp = join(tmp.dir, 'tmp');
    mkdirSync(privateTmp);
    try {
      const db = await openDatabase({ dataDir });
      await migrate(db);
      await sealedCity(db, tmp);
      const auth = await people(db);
      await db.close();
      const port = await freePort();
      const child = spawn(
        process.execPath,
        [
          'bin/kommunalmonitor.mjs',
          '--data-dir',
          dataDir,
          'serve',
          '--port',
          String(port),
          '--host',
          '127.0.0.1',
          '--no-demo',
        ],
        {
          env: { ...process.env, TMPDIR: privateTmp, TMP: privateTmp, TEMP: privateTmp },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
      child.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
      const exited = new Promise((r) => child.once('exit', r));
      const base = `http://127.0.0.1:${port}`;
      try {
        const deadline = Date.now() + 120_000;
        for (;;) {
          try {
            if ((await fetch(`${base}/api/health`)).ok) break;
          } catch {
            // not yet listening
          }
          if (Date.now() > deadline) throw new Error(`the server did not answer:\n${output}`);
          await new Promise((r) => setTimeout(r, 200));
        }
        const c = canaries();
        const put = await fetch(`${base}/api/sealed/definitions/ferienprogramm_2024`, {
          method: 'PUT',
          headers: { ...auth.sealed, 'content-type': 'application/json' },
          body: JSON.stringify(DEFINITION),
        });
        assert.equal(put.status, 200, await put.text());
        const run = await fetch(`${base}/api/sealed/run?file=anmeldungen.csv&definition=ferienprogramm_2024`, {
          method: 'POST',
          headers: { ...auth.sealed, 'content-type': 'text/csv' },
          body: recordsCsv(c),
        });
        assert.equal(run.status, 200);
        assert.equal(((await run.json()) as { assigned: number }).assigned, 5);
        // A bad records file, too: its problems are answered, not logged with values.
        const bad = await fetch(`${base}/api/sealed/run?file=anmeldungen.csv&definition=ferienprogramm_2024`, {
          method: 'POST',
          headers: { ...auth.sealed, 'content-type': 'text/csv' },
          body: `Name;Geburtsdatum\n${c.name};${c.birthDate}\n`,
        });
        assert.equal(bad.status, 400);
        assert.ok(!(await bad.text()).includes(c.name));
        const audit = await (await fetch(`${base}/api/audit?format=csv`, { headers: auth.admin })).text();
        const needles = [c.name, c.firstName, c.note, c.street, c.houseNumber, c.number];
        for (const n of needles) assert.ok(!audit.includes(n), `the audit export holds ${n}`);
        child.kill('SIGTERM');
        await exited;
        for (const n of [...needles, c.birthDate]) assert.ok(!output.includes(n), `the server's output holds ${n}`);
        assert.deepEqual(filesContaining(dataDir, needles), [], 'the data directory (pg_wal included)');
        assert.deepEqual(filesContaining(privateTmp, needles), [], 'the server’s temporary directory');
      } finally {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGKILL');
          await exited;
        }
      }
    } finally {
      tmp.cleanup();
    }
  });
});
