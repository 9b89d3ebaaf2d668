// Migration 006 upgrades a database holding an address register from before register versions:
// the kept register becomes the first version (valid from the day it was imported), nothing is
// rebuilt, and re-importing the same file for that date changes nothing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/store/db.ts';
import { migrate, loadMigrations } from '../../src/store/migrate.ts';
import { tempDir } from '../helpers/files.ts';
import { importAddresses, loadRegister, registerVersions } from '../../src/services/address-register.ts';

describe('migration 006: address register versions', () => {
  test('the register kept before becomes the first version; an identical re-import changes nothing', async () => {
    const tmp = tempDir();
    const db = await openDatabase({ memory: true });
    try {
      const all = loadMigrations();
      assert.ok(all.some((m) => m.version === 6));
      await migrate(
        db,
        all.filter((m) => m.version < 6),
      );
      // What `import addresses` stored before version 6 (a snapshot, one batch).
      const { rows } = await db.query<{ id: number }>(
        `INSERT INTO import_batch (kind, file_name, options, user_name, started_at, finished_at, rows_read, inserted) VALUES ('addresses', 'adressen.csv', '{}', 'cli', '2023-05-02 10:00:00+00', '2023-05-02 10:00:05+00', 2, 2) RETURNING id`,
      );
      const batch = rows[0].id;
      await db.query(
        `INSERT INTO address (street, street_normalized, house_number, number, suffix, postcode, x, y, codes, code_sources, import_batch_id, line) VALUES
           ('Lindenweg', 'lindenweg', '12', 12, '', '40100', NULL, NULL, '{}', '{}', $1, 2),
           ('Lindenweg', 'lindenweg', '14a', 14, 'a', '40100', NULL, NULL, '{}', '{}', $1, 3)`,
        [batch],
      );

      assert.deepEqual(
        await migrate(db),
        all.filter((m) => m.version >= 6).map((m) => m.version),
      );
      const vs = await registerVersions(db);
      assert.deepEqual(
        vs.map((v) => [
          v.validFrom,
          v.validUntil,
          v.addresses,
          v.withCoordinates,
          v.streets,
          v.residentsColumn,
          v.fileName,
          v.batchId,
          v.importedBy,
        ]),
        [['2023-05-02', null, 2, 0, 1, null, 'adressen.csv', batch, 'cli']],
      );
      assert.equal(
        (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM address WHERE version_id = $1', [vs[0].id]))
          .rows[0].n,
        2,
      );
      assert.equal((await loadRegister(db)).register.size, 2, 'the converted version is matched against');

      const file = tmp.file(
        'adressen.csv',
        ['Straße;Hausnummer;PLZ', 'Lindenweg;12;40100', 'Lindenweg;14 a;40100'].join('\n'),
      );
      const same = await importAddresses(db, file, { validFrom: '2023-05-02' });
      assert.equal(same.unchanged, true, 'the digest of the converted version is computed from its rows');
      const next = await importAddresses(db, file, { validFrom: '2024-01-01' });
      assert.deepEqual([next.unchanged, next.replaced, next.versions], [false, 0, 2]);
      assert.deepEqual(
        (await registerVersions(db)).map((v) => [v.validFrom, v.validUntil]),
        [
          ['2023-05-02', '2023-12-31'],
          ['2024-01-01', null],
        ],
      );
    } finally {
      await db.close();
      tmp.cleanup();
    }
  });

  test('an empty register converts into no version', async () => {
    const db = await openDatabase({ memory: true });
    try {
      await migrate(db);
      assert.deepEqual(await registerVersions(db), []);
    } finally {
      await db.close();
    }
  });
});
