// The pure parts of read routing: WAL positions compare as numbers, and only statements that
// cannot write may go to a standby.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lsnValue, onlyReads } from '../../src/store/replicas.ts';

test('WAL positions compare by both halves', () => {
  assert.ok(lsnValue('0/3015FF8') > lsnValue('0/3000000'));
  assert.ok(lsnValue('1/0') > lsnValue('0/FFFFFFFF'));
  assert.equal(lsnValue('16/B374D848'), (0x16n << 32n) | 0xb374d848n);
  assert.throws(() => lsnValue('x'), /not a WAL position/);
});

test('only plain reads may go to a standby', () => {
  for (const sql of [
    'SELECT 1',
    '  select * from area',
    'WITH x AS (SELECT 1) SELECT * FROM x',
    'VALUES (1)',
    'SHOW search_path',
  ])
    assert.equal(onlyReads(sql), true, sql);
  for (const sql of [
    'INSERT INTO audit_log VALUES (1)',
    'UPDATE user_session SET last_seen_at = now()',
    'WITH d AS (DELETE FROM t RETURNING 1) SELECT * FROM d',
    "SELECT nextval('s')",
    'SELECT pg_advisory_xact_lock(4711)',
    'SELECT * FROM t FOR UPDATE',
    'SELECT * FROM t FOR NO KEY UPDATE',
    'CREATE TABLE t (x int)',
  ])
    assert.equal(onlyReads(sql), false, sql);
});
