// Migration 007 upgrades a database whose observations carry their breakdown members as jsonb:
// each combination gets an integer id, observations and their history keep their members, and
// values, filters, ratios and re-imports work as before.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/store/db.ts';
import { migrate, loadMigrations } from '../../src/store/migrate.ts';
import { tempDir } from '../helpers/files.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogueFile } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { getObservations } from '../../src/services/query.ts';

const CATALOGUE = [
  {
    key: 'einwohner',
    name: 'Einwohner',
    unit: 'Personen',
    type: 'count',
    dimensions: ['altersgruppe'],
    owner: 'statistik',
    confidentiality: 'public',
  },
  {
    key: 'haushalte',
    name: 'Haushalte',
    unit: 'Haushalte',
    type: 'count',
    owner: 'statistik',
    confidentiality: 'public',
  },
  {
    key: 'anteil_unter6',
    name: 'Anteil unter 6',
    unit: '%',
    type: 'ratio',
    numerator: { indicator: 'einwohner', filter: { altersgruppe: 'unter6' } },
    denominator: { indicator: 'einwohner' },
    scale: 100,
    owner: 'statistik',
    confidentiality: 'public',
  },
];

describe('migration 007: member combinations by id', () => {
  test('observations and history keep their members; queries and re-imports work on the upgraded database', async () => {
    const tmp = tempDir();
    const db = await openDatabase({ memory: true });
    try {
      const all = loadMigrations();
      assert.ok(all.some((m) => m.version === 7));
      // The schema before version 7, plus the columns today's catalogue import writes (the
      // disclosure rule, 013), so the old data can be set up with today's services.
      await migrate(
        db,
        all.filter((m) => m.version < 7 || m.version === 13),
      );
      await importAreas(db, tmp.file('stadt.csv', 'code;name\n0;Musterstadt\n'), { layer: 'stadt' });
      await importAreas(db, tmp.file('teile.csv', 'code;name;parent\n01;Nord;0\n02;Süd;0\n'), {
        layer: 'stadtteil',
        parentLayer: 'stadt',
        parentProp: 'parent',
      });
      await importCatalogueFile(db, tmp.file('katalog.json', JSON.stringify(CATALOGUE)));
      // Observations as stored before version 7 (members as jsonb, key order as written), with history.
      await db.exec(`
        INSERT INTO import_batch (kind, file_name) VALUES ('observations', 'alt.csv');
        INSERT INTO period (key, type, start_date, end_date) VALUES ('2022-12-31', 'date', '2022-12-31', '2022-12-31');
        INSERT INTO observation (indicator_id, period_id, area_id, members, value, status, import_batch_id)
          SELECT i.id, p.id, a.id, m.members::jsonb, m.value, 'final', b.id
            FROM (VALUES ('einwohner', '01', '{"altersgruppe": "unter6"}', 200), ('einwohner', '01', '{"altersgruppe":"6plus"}', 800),
                         ('einwohner', '02', '{"altersgruppe": "unter6"}', 50), ('einwohner', '02', '{"altersgruppe":"6plus"}', 950),
                         ('haushalte', '01', '{}', 400)) AS m(ind, code, members, value)
            JOIN indicator i ON i.key = m.ind JOIN area a ON a.code = m.code CROSS JOIN period p JOIN import_batch b ON b.file_name = 'alt.csv';
        INSERT INTO observation_history (indicator_id, period_id, area_id, members, value, status, import_batch_id, valid_until, replaced_by_batch_id)
          SELECT indicator_id, period_id, area_id, '{"altersgruppe":"unter6"}', 190, 'final', import_batch_id, now(), import_batch_id
            FROM observation WHERE value = 200;`);

      assert.deepEqual(
        await migrate(db),
        all.filter((m) => m.version >= 7 && m.version !== 13).map((m) => m.version),
      );
      const { rows: combos } = await db.query<{ id: number; members: Record<string, string> }>(
        'SELECT id, members FROM member_combination ORDER BY id',
      );
      assert.deepEqual(
        combos.map((c) => c.members).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        [{ altersgruppe: '6plus' }, { altersgruppe: 'unter6' }, {}],
      );
      assert.equal(combos[0].id, 0, 'id 0 is the empty combination');
      const { rows: hist } = await db.query<{ members: Record<string, string> }>(
        'SELECT mc.members FROM observation_history h JOIN member_combination mc ON mc.id = h.members_id',
      );
      assert.deepEqual(
        hist.map((h) => h.members),
        [{ altersgruppe: 'unter6' }],
      );

      const values = async (indicator: string, filter?: Record<string, string>) =>
        (await getObservations(db, { indicator, layer: 'stadtteil', filter }, SYSTEM)).values.map((v) => [
          v.area,
          v.value,
        ]);
      assert.deepEqual(await values('einwohner'), [
        ['01', 1000],
        ['02', 1000],
      ]);
      assert.deepEqual(await values('einwohner', { altersgruppe: 'unter6' }), [
        ['01', 200],
        ['02', 50],
      ]);
      assert.deepEqual(await values('anteil_unter6'), [
        ['01', 20],
        ['02', 5],
      ]);
      assert.deepEqual(await values('haushalte'), [
        ['01', 400],
        ['02', null],
      ]);

      // A re-import of the same values changes nothing; a changed value is merged with history.
      const file = tmp.file(
        'neu.csv',
        'indicator;area;period;altersgruppe;value\neinwohner;01;31.12.2022;unter6;200\neinwohner;02;31.12.2022;unter6;60\neinwohner;02;31.12.2022;unter3;20\n',
      );
      const r = await importObservations(db, file, { layer: 'stadtteil' });
      assert.deepEqual([r.inserted, r.updated, r.unchanged], [1, 1, 1]);
      assert.deepEqual(await values('einwohner', { altersgruppe: 'unter6' }), [
        ['01', 200],
        ['02', 60],
      ]);
      assert.equal(
        (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM member_combination')).rows[0].n,
        4,
        'the new member unter3 got its combination',
      );
      assert.equal((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM observation_history')).rows[0].n, 2);
    } finally {
      await db.close();
      tmp.cleanup();
    }
  });
});
