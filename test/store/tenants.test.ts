// [postgres] Tenants in their own schemas on one server: the facades set the search path per
// transaction and leave none behind in the pool; migrations per tenant resume and one failing
// tenant does not block the others; export, import and the removal rule.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Tenants, tenantSchema, checkTenantKey } from '../../src/store/tenants.ts';
import { loadMigrations } from '../../src/store/migrate.ts';
import { tempDir } from '../helpers/files.ts';
import { tenantGate, openTenants, uniqueKey, dropTenants, fillSmallCity } from '../helpers/tenants.ts';

describe('tenant keys', () => {
  test('keys are strict and map to distinct schema names', () => {
    assert.equal(tenantSchema('bad-vilbel'), 't_bad_vilbel');
    for (const bad of ['', 'A', '1a', 'a_b', 'a--b', 'a-', 'a;drop', 'a b', 'ä', 'a'.repeat(41), 't_a', '../b'])
      assert.throws(() => checkTenantKey(bad), /not a tenant key/, bad);
  });
});

describe('tenants [postgres]', tenantGate(), () => {
  let t: Tenants;
  const tmp = tempDir();
  const a = uniqueKey('sa');
  const b = uniqueKey('sb');
  const keys = [a, b, `${a}-copy`, `${a}-gz`];

  before(async () => {
    t = await openTenants();
    await t.add({ key: a, name: 'Stadt A', officialKey: '06412000' }, (db) => fillSmallCity(db, tmp, 'MARKERA', 1000));
    await t.add({ key: b, name: 'Gemeinde B' }, (db) => fillSmallCity(db, tmp, 'MARKERB', 5000));
  });
  after(async () => {
    if (t) {
      await dropTenants(t, keys);
      await t.close();
    }
    tmp.cleanup();
  });

  test('each facade sees only its tenant, also when both run at once', async () => {
    const [ta, tb] = [await t.require(a), await t.require(b)];
    assert.equal(ta.status, 'active');
    assert.equal(ta.schemaVersion, t.schemaVersion);
    assert.equal(ta.officialKey, '06412000');
    const [dba, dbb] = [t.database(ta), t.database(tb)];
    const names = async (db: typeof dba) =>
      (await db.query<{ key: string }>('SELECT key FROM indicator ORDER BY key')).rows.map((r) => r.key);
    const runs = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? names(dbb) : names(dba))));
    runs.forEach((r, i) =>
      assert.deepEqual(r, i % 2 ? ['einwohner', 'intern_markerb'] : ['einwohner', 'intern_markera']),
    );
    assert.deepEqual(
      await dba.transaction(
        async (tx) => (await tx.query<{ search_path: string }>('SHOW search_path')).rows[0].search_path,
      ),
      ta.schema,
    );
  });

  test('no pooled connection keeps a tenant search path, also after a failed transaction', async () => {
    const dba = t.database(await t.require(a));
    await assert.rejects(
      dba.transaction(async (tx) => {
        await tx.query('SELECT 1');
        throw new Error('fails on purpose');
      }),
    );
    await assert.rejects(dba.query('SELECT * FROM no_such_table'));
    // Take every connection the pool has and look at each one's search path.
    const clients = await Promise.all(Array.from({ length: 8 }, () => t.pool.connect()));
    try {
      for (const c of clients) {
        const p = (await c.query<{ search_path: string }>('SHOW search_path')).rows[0].search_path;
        assert.doesNotMatch(p, /t_/, 'a pooled connection kept a tenant schema');
      }
    } finally {
      for (const c of clients) c.release();
    }
  });

  test('a tenant cannot be added twice, nor with a bad official key', async () => {
    await assert.rejects(t.add({ key: a, name: 'again' }), /exists already/);
    await assert.rejects(t.add({ key: uniqueKey('x'), name: 'x', officialKey: '123' }), /neither an AGS/);
  });

  test('migrations run per tenant: a failing tenant is reported, blocks no other, and resumes', async () => {
    const extra = [
      ...loadMigrations(),
      {
        version: 999,
        name: 'test_extra',
        sql: `DO $$ BEGIN IF to_regclass('poison') IS NOT NULL THEN RAISE EXCEPTION 'poisoned tenant'; END IF; END $$; CREATE TABLE m999_marker (x int);`,
      },
    ];
    const newer = await openTenants({ migrations: extra });
    // Only this file's tenants: the others belong to test files running at the same time.
    try {
      const tb = await newer.require(b);
      await newer.database(tb).exec('CREATE TABLE poison (x int)');
      const report = await newer.migrateAll({ keys: [a, b] });
      const ra = report.find((r) => r.key === a)!;
      const rb = report.find((r) => r.key === b)!;
      assert.deepEqual(ra, { key: a, applied: [999] });
      assert.match(rb.error!, /poisoned tenant/);
      // Served by the newer code: a (current), not b (failed); the old code serves neither a (newer) …
      assert.equal(newer.unavailable((await newer.require(a))!), undefined);
      assert.match(newer.unavailable((await newer.require(b))!)!, /could not be migrated/);
      assert.match(t.unavailable((await t.require(a))!)!, /newer than this server/);
      await newer.database(tb).exec('DROP TABLE poison');
      const again = await newer.migrateAll({ keys: [a, b] });
      assert.deepEqual(
        again.find((r) => r.key === b),
        { key: b, applied: [999] },
      );
      assert.deepEqual(
        again.find((r) => r.key === a),
        { key: a, applied: [] },
      );
      assert.equal(newer.unavailable((await newer.require(b))!), undefined);
      // Back to the released version for the other tests.
      for (const k of [a, b]) {
        const db = newer.database(await newer.require(k));
        await db.exec('DROP TABLE m999_marker; DELETE FROM schema_migrations WHERE version = 999');
        await t.migrateTenant(await t.require(k));
      }
      assert.equal(t.unavailable((await t.require(a))!), undefined);
    } finally {
      await newer.close();
    }
  });

  test('an export restores completely under a new key, plain and gzipped', async () => {
    for (const [file, copy] of [
      [join(tmp.dir, 'a.jsonl'), `${a}-copy`],
      [join(tmp.dir, 'a.jsonl.gz'), `${a}-gz`],
    ]) {
      const e = await t.export(a, file);
      assert.ok(e.tables > 30 && e.rows > 10, JSON.stringify(e));
      assert.ok(existsSync(file));
      const restored = await t.import(file, { key: copy });
      assert.equal(restored.status, 'active');
      assert.equal(restored.name, 'Stadt A');
      assert.equal(await t.fingerprint(copy), e.fingerprint, 'the restored tenant has exactly the exported rows');
      // Sequences continue after the restored rows: a new row gets a fresh id.
      const db = t.database(restored);
      const before = (await db.query<{ m: number }>('SELECT max(id)::int AS m FROM indicator')).rows[0].m;
      const next = (await db.query<{ n: number }>(`SELECT nextval('indicator_id_seq')::int AS n`)).rows[0].n;
      assert.ok(next > before, `the sequence restarts after the restored rows (${next} > ${before})`);
    }
  });

  test('a truncated export is refused and leaves no tenant behind', async () => {
    const file = join(tmp.dir, 'a.jsonl');
    const { readFileSync, writeFileSync } = await import('node:fs');
    const text = readFileSync(file, 'utf8');
    const cut = tmp.file('cut.jsonl', text.slice(0, Math.floor(text.length * 0.6)).replace(/[^\n]*$/, ''));
    const key = uniqueKey('cut');
    await assert.rejects(t.import(cut, { key }), /not a complete tenant export/);
    // Cut inside a table's rows (the COPY is open then, and must be aborted, not waited for).
    const lines = text.split('\n');
    const at = lines.findIndex((l) => /"rows":([2-9]|\d\d+)/.test(l));
    assert.ok(at > 0, 'a table with rows');
    const inside = tmp.file('inside.jsonl', lines.slice(0, at + 2).join('\n') + '\n');
    await assert.rejects(t.import(inside, { key }), /not a complete tenant export/);
    await assert.rejects(t.import(file, { key: a }), /exists already/, 'an import never overwrites a tenant');
    assert.equal(await t.get(key), undefined);
    const schema = tenantSchema(key);
    assert.equal((await t.shared.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema])).rows.length, 0);
    writeFileSync(file, text);
  });

  test('removal needs an export of the current state', async () => {
    const k = `${a}-copy`;
    await assert.rejects(t.remove(k), /never been exported/);
    const file = join(tmp.dir, 'copy.jsonl');
    await t.export(k, file);
    await t.database(await t.require(k)).query(`UPDATE area SET name = name || ' (geändert)' WHERE code = '01'`);
    await assert.rejects(t.remove(k), /changed since its last export/);
    await t.export(k, file);
    assert.deepEqual(await t.remove(k), { exportFile: file });
    assert.equal(await t.get(k), undefined);
    assert.equal(
      (await t.shared.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [tenantSchema(k)])).rows.length,
      0,
    );
  });
});
