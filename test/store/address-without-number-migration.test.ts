// Migration 010 upgrades a database holding register versions from before street-level
// addresses in place: the stored addresses and versions are kept (every version has 0 entries
// without a number), the converted register is matched as before, an identical re-import
// changes nothing, and a register with places without a number can then be imported.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/store/db.ts';
import { migrate, loadMigrations } from '../../src/store/migrate.ts';
import { tempDir } from '../helpers/files.ts';
import { importAddresses, loadRegister, registerVersions } from '../../src/services/address-register.ts';

describe('migration 010: addresses without a house number', () => {
  test('existing versions are kept with 0 street-level addresses; places can be imported afterwards', async () => {
    const tmp = tempDir();
    const db = await openDatabase({ memory: true });
    try {
      const all = loadMigrations();
      assert.ok(all.some((m) => m.version === 10 && m.name === 'address_without_number'));
      await migrate(
        db,
        all.filter((m) => m.version < 10),
      );
      // What `import addresses` stored before version 10: a version with numbered addresses.
      const { rows: b } = await db.query<{ id: number }>(
        `INSERT INTO import_batch (kind, file_name, options, user_name, started_at, finished_at, rows_read, inserted) VALUES ('addresses', 'adressen.csv', '{}', 'cli', '2024-01-02 10:00:00+00', '2024-01-02 10:00:05+00', 2, 2) RETURNING id`,
      );
      const { rows: v } = await db.query<{ id: number }>(
        `INSERT INTO address_register_version (valid_from, import_batch_id, file_name, addresses, with_coordinates, streets) VALUES ('2024-01-01', $1, 'adressen.csv', 2, 0, 1) RETURNING id`,
        [b[0].id],
      );
      await db.query(
        `INSERT INTO address (street, street_normalized, house_number, number, suffix, postcode, codes, code_sources, import_batch_id, line, version_id) VALUES
           ('Lindenweg', 'lindenweg', '12', 12, '', '40100', '{}', '{}', $1, 2, $2),
           ('Lindenweg', 'lindenweg', '14a', 14, 'a', '40100', '{}', '{}', $1, 3, $2)`,
        [b[0].id, v[0].id],
      );

      assert.deepEqual(
        await migrate(db),
        all.filter((m) => m.version >= 10).map((m) => m.version),
      );
      assert.deepEqual(
        (await registerVersions(db)).map((x) => [x.validFrom, x.addresses, x.withoutNumber]),
        [['2024-01-01', 2, 0]],
      );
      const loaded = await loadRegister(db);
      assert.deepEqual(
        loaded.register.entries.map((e) => [e.houseNumber, e.number]),
        [
          ['12', 12],
          ['14a', 14],
        ],
      );
      const file = tmp.file(
        'adressen.csv',
        ['Straße;Hausnummer;PLZ', 'Lindenweg;12;40100', 'Lindenweg;14 a;40100'].join('\n'),
      );
      assert.equal(
        (await importAddresses(db, file, { validFrom: '2024-01-01' })).unchanged,
        true,
        'the digest of the kept rows is unchanged',
      );

      const places = tmp.file(
        'adressen-2025.csv',
        ['Straße;Hausnummer;PLZ', 'Lindenweg;12;40100', 'Marktplatz;;40100', 'Lindenweg;14 a;40100'].join('\n'),
      );
      const r = await importAddresses(db, places, { validFrom: '2025-01-01' });
      assert.deepEqual([r.addresses, r.withoutNumber, r.versions], [3, 1, 2]);
      assert.deepEqual(
        (await registerVersions(db)).map((x) => [x.validFrom, x.addresses, x.withoutNumber]),
        [
          ['2024-01-01', 2, 0],
          ['2025-01-01', 3, 1],
        ],
      );
      // The constraint: no number means no house number and no suffix.
      await assert.rejects(
        db.query(`UPDATE address SET number = NULL WHERE house_number = '12'`),
        /address_street_level/,
      );
      await assert.rejects(
        db.query(`UPDATE address SET house_number = NULL, number = NULL WHERE house_number = '14a'`),
        /address_street_level/,
      );
    } finally {
      await db.close();
      tmp.cleanup();
    }
  });
});
