// Migrations upgrade an existing database in place; the embedded database persists in its
// data directory.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, copyFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/store/db.ts';
import { migrate, loadMigrations } from '../../src/store/migrate.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), '../../src/store/migrations');

describe('embedded database in a data directory', () => {
  test('data persist across restarts and a new migration upgrades the existing database', async () => {
    const tmp = tempDir();
    try {
      const dataDir = join(tmp.dir, 'data');
      let db = await openDatabase({ dataDir });
      assert.deepEqual(
        await migrate(db),
        loadMigrations().map((m) => m.version),
      );
      await db.query(`INSERT INTO layer (key, name, kind) VALUES ('stadtteil', 'Stadtteile', 'hierarchical')`);
      await db.close();

      // A later release adds a migration: the existing database is upgraded, not rebuilt.
      const next = join(tmp.dir, 'migrations');
      mkdirSync(next);
      for (const f of readdirSync(MIGRATIONS)) copyFileSync(join(MIGRATIONS, f), join(next, f));
      writeFileSync(join(next, '999_add_layer_note.sql'), 'ALTER TABLE layer ADD COLUMN note text;');
      db = await openDatabase({ dataDir });
      assert.deepEqual(await migrate(db, loadMigrations(next)), [999]);
      assert.deepEqual(await migrate(db, loadMigrations(next)), [], 'nothing to apply twice');
      const { rows } = await db.query<{ key: string; note: string | null }>('SELECT key, note FROM layer');
      assert.deepEqual(rows, [{ key: 'stadtteil', note: null }]);
      await db.close();
    } finally {
      tmp.cleanup();
    }
  });
});

for (const engine of engines) {
  describe(`migrations [${engine.name}]`, engineGate(engine), () => {
    test('a migrated database has every table and migrating again changes nothing', async () => {
      const db = await openEngine(engine);
      try {
        assert.deepEqual(await migrate(db), []);
        const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
        assert.deepEqual(
          rows.map((r) => r.version),
          loadMigrations().map((m) => m.version),
        );
        for (const t of [
          'layer',
          'layer_version',
          'area',
          'area_ancestor',
          'indicator',
          'dimension',
          'dimension_member',
          'period',
          'observation',
          'observation_history',
          'import_batch',
        ]) {
          await db.query(`SELECT 1 FROM ${t} LIMIT 1`);
        }
      } finally {
        await db.close();
      }
    });
  });
}
