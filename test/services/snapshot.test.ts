// The read snapshot (catalogue and cached sums) is reused until data change, and every change
// is seen by the next read — also a batch whose import started before another one but
// committed after it (a lower id arriving late).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { snapshot } from '../../src/services/snapshot.ts';

const ADD_BATCH = `INSERT INTO import_batch (kind, file_name) VALUES ('observations', 'snapshot test') RETURNING id`;

for (const engine of engines) {
  describe(`read snapshot [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    before(async () => {
      db = await openEngine(engine);
    });
    after(async () => {
      await db?.close();
    });

    test('reused while nothing changes; renewed by a new batch; a rolled-back batch changes nothing', async () => {
      const first = await snapshot(db);
      assert.equal(await snapshot(db), first, 'the same snapshot while nothing changed');
      await db.query(ADD_BATCH);
      const second = await snapshot(db);
      assert.notEqual(second, first, 'a committed batch renews it');
      assert.equal(await snapshot(db), second);
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query(ADD_BATCH);
          throw new Error('the import fails');
        }),
        /the import fails/,
      );
      assert.equal(await snapshot(db), second, 'a rolled-back import leaves no trace');
    });

    test('batches restored from another cluster (transaction ids from its future) do not look new forever', async () => {
      await db.query(ADD_BATCH);
      await db.query(
        `UPDATE import_batch SET xact_id = '900000000000'::xid8 WHERE id = (SELECT max(id) FROM import_batch)`,
      );
      const s = await snapshot(db);
      assert.equal(await snapshot(db), s, 'not reloaded on every request');
      await db.query(ADD_BATCH);
      assert.notEqual(await snapshot(db), s, 'a new batch is still seen');
    });

    test('many batches: the check still answers from the index', async () => {
      // Years of imports: their transactions lie far below any current snapshot (here all at xid 3;
      // written in one statement here, they would otherwise all carry this test's recent xid).
      await db.query(
        `INSERT INTO import_batch (kind, file_name, xact_id) SELECT 'observations', 'old ' || g, '3'::xid8 FROM generate_series(1, 5000) g`,
      );
      await db.query('ANALYZE import_batch');
      const s = await snapshot(db);
      const plan = await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT 1 FROM import_batch WHERE xact_id >= pg_snapshot_xmin($1::pg_snapshot) AND xact_id < pg_snapshot_xmax(pg_current_snapshot()) AND NOT pg_visible_in_snapshot(xact_id, $1::pg_snapshot)`,
        [s.stamp],
      );
      assert.match(
        plan.rows.map((r) => r['QUERY PLAN']).join('\n'),
        /Index (Only )?Scan using import_batch_xact|Bitmap Index Scan on import_batch_xact/,
      );
      assert.equal(await snapshot(db), s);
    });

    if (engine.name === 'postgres') {
      test('a batch whose import started earlier but committed later is not missed', async () => {
        let inside!: () => void;
        const started = new Promise<void>((r) => (inside = r));
        let release!: () => void;
        const gate = new Promise<void>((r) => (release = r));
        // A long import: its batch gets the lower id, and it commits last.
        let slowId = 0;
        const slow = db.transaction(async (tx) => {
          slowId = (await tx.query<{ id: number }>(ADD_BATCH)).rows[0].id;
          inside();
          await gate;
        });
        await started;
        const quickId = (await db.query<{ id: number }>(ADD_BATCH)).rows[0].id;
        assert.ok(quickId > slowId);
        const seen = await snapshot(db);
        assert.equal(await snapshot(db), seen);
        release();
        await slow;
        assert.notEqual(await snapshot(db), seen, 'the late batch renews the snapshot');
      });
    }
  });
}
