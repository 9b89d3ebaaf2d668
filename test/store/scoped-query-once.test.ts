// [postgres] A tenant facade's queryOnce: one statement with its BEGIN, search path and COMMIT in
// one message — it sees the tenant's schema only, leaves no search path on the pooled
// connection, and a failing statement is rolled back with the connection usable again.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { openServerPool, type ServerPool } from '../../src/store/db.ts';
import { tenantGate } from '../helpers/tenants.ts';

describe('tenant facade: queryOnce [postgres]', tenantGate(), () => {
  let pool: ServerPool;
  const a = `test_once_${randomBytes(4).toString('hex')}`;
  const b = `${a}_b`;

  before(async () => {
    // One connection, so every call below reuses the same one.
    pool = await openServerPool(process.env.TEST_DATABASE_URL!, { max: 1 });
    const c = await pool.connect();
    try {
      for (const [schema, marker] of [
        [a, 'A'],
        [b, 'B'],
      ])
        await c.query(
          `CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.note (text text); INSERT INTO ${schema}.note VALUES ('${marker}')`,
        );
    } finally {
      c.release();
    }
  });
  after(async () => {
    const c = await pool.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${a} CASCADE; DROP SCHEMA IF EXISTS ${b} CASCADE`).finally(() => c.release());
    await pool.close();
  });

  test("each facade reads its own schema; the connection keeps no tenant's search path", async () => {
    const ra = await pool.scoped(a).queryOnce!<{ text: string; path: string }>(
      "SELECT text, current_setting('search_path') AS path FROM note",
    );
    assert.deepEqual(ra.rows, [{ text: 'A', path: a }]);
    const rb = await pool.scoped(b).queryOnce!<{ text: string }>('SELECT text FROM note');
    assert.deepEqual(rb.rows, [{ text: 'B' }]);
    const c = await pool.connect();
    try {
      const { rows } = await c.query<{ path: string }>("SELECT current_setting('search_path') AS path");
      assert.equal(rows[0].path, '"$user", public', 'the default search path again');
    } finally {
      c.release();
    }
  });

  test('a failing statement is rolled back and the connection serves the next one', async () => {
    await assert.rejects(pool.scoped(a).queryOnce!('SELECT text FROM no_such_table'), /no_such_table/);
    const r = await pool.scoped(a).queryOnce!<{ n: number }>('SELECT count(*)::int AS n FROM note');
    assert.deepEqual(r.rows, [{ n: 1 }]);
  });
});
