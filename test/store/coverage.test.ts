// observation_coverage (migration 018): kept by triggers, it must always equal what a pass over
// the observations gives — counts per indicator and boundary version — on every write path, and
// it keeps the first import since there have been data (dct:issued) through re-imports.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { snapshot, layersWithData, importDates } from '../../src/services/snapshot.ts';

type Row = { indicator: string; version: number; observations: number };

/** The coverage as kept, and as a full pass over observation computes it. */
async function kept(db: Database): Promise<Row[]> {
  const { rows } = await db.query<Row>(
    `SELECT i.key AS indicator, c.layer_version_id AS version, c.observations::int AS observations
       FROM observation_coverage c JOIN indicator i ON i.id = c.indicator_id ORDER BY 1, 2`,
  );
  return rows;
}
async function truth(db: Database): Promise<Row[]> {
  const { rows } = await db.query<Row>(
    `SELECT i.key AS indicator, a.layer_version_id AS version, count(*)::int AS observations
       FROM observation o JOIN area a ON a.id = o.area_id JOIN indicator i ON i.id = o.indicator_id GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  return rows;
}
const batches = async (db: Database) =>
  (
    await db.query<{ first: number; last: number }>(
      'SELECT min(first_batch_id) AS first, max(last_batch_id) AS last FROM observation_coverage c JOIN indicator i ON i.id = c.indicator_id WHERE i.key = $1',
      ['einwohner'],
    )
  ).rows[0];

async function setUp(db: Database, tmp: ReturnType<typeof tempDir>): Promise<void> {
  await importAreas(
    db,
    tmp.file('b.geojson', featureCollection([{ code: '1', name: 'Nord', geometry: square(8, 50, 0.2) }])),
    { layer: 'bezirk', layerName: 'Bezirke' },
  );
  await importAreas(
    db,
    tmp.file(
      't.geojson',
      featureCollection([
        { code: '11', name: 'A', parent: '1', geometry: square(8, 50, 0.1) },
        { code: '12', name: 'B', parent: '1', geometry: square(8.1, 50, 0.1) },
      ]),
    ),
    { layer: 'teil', layerName: 'Stadtteile', parentLayer: 'bezirk', parentProp: 'parent' },
  );
  await importCatalogue(db, [
    { key: 'einwohner', name: 'Einwohner', unit: 'Personen', type: 'count', confidentiality: 'public' },
    { key: 'kinder', name: 'Kinder', unit: 'Personen', type: 'count', confidentiality: 'public' },
  ]);
}

for (const engine of engines) {
  describe(`observation coverage (${engine.name})`, engineGate(engine), () => {
    test('equals a pass over the observations after inserts, updates, additions and deletes; keeps the first import', async () => {
      const tmp = tempDir();
      const db = await openEngine(engine);
      try {
        await setUp(db, tmp);
        const csv = (name: string, rows: string[]) =>
          tmp.file(name, ['indicator;area;period;value', ...rows].join('\n'));
        await importObservations(db, csv('a.csv', ['einwohner;11;2023;100', 'einwohner;12;2023;200']), {
          layer: 'teil',
        });
        assert.deepEqual(await kept(db), await truth(db));
        assert.equal((await kept(db))[0].observations, 2);
        const first = await batches(db);
        assert.equal(first.first, first.last);

        // Every value replaced (UPDATE): the same count, issued kept, modified renewed.
        await importObservations(db, csv('b.csv', ['einwohner;11;2023;101', 'einwohner;12;2023;201']), {
          layer: 'teil',
        });
        assert.deepEqual(await kept(db), await truth(db));
        const second = await batches(db);
        assert.equal(second.first, first.first);
        assert.ok(second.last > first.last);

        // New periods, a second indicator, and a value on the coarser layer.
        await importObservations(
          db,
          csv('c.csv', ['einwohner;11;2024;102', 'einwohner;12;2024;202', 'kinder;11;2024;10']),
          { layer: 'teil' },
        );
        await importObservations(db, csv('d.csv', ['kinder;1;2024;25']), { layer: 'bezirk' });
        assert.deepEqual(await kept(db), await truth(db));
        assert.deepEqual(
          (await kept(db)).map((r) => [r.indicator, r.observations]),
          [
            ['einwohner', 4],
            ['kinder', 1],
            ['kinder', 1],
          ],
        );
        const s = await snapshot(db);
        const ids = new Map(s.indicators.map((i) => [i.key, i.id]));
        assert.deepEqual((await layersWithData(db, s)).get(ids.get('einwohner')!), ['bezirk', 'teil']);
        const dates = (await importDates(db, s)).get(ids.get('einwohner')!)!;
        assert.match(dates.first, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        assert.ok(dates.first <= dates.last);

        // Deletes in part and in whole, in one statement and in several.
        await db.query(
          "DELETE FROM observation WHERE indicator_id = $1 AND period_id = (SELECT id FROM period WHERE key = '2023')",
          [ids.get('einwohner')],
        );
        assert.deepEqual(await kept(db), await truth(db));
        await db.query('DELETE FROM observation WHERE indicator_id = $1', [ids.get('kinder')]);
        assert.deepEqual(await kept(db), await truth(db));
        assert.deepEqual(
          (await kept(db)).map((r) => r.indicator),
          ['einwohner'],
        );
        await db.query('DELETE FROM observation');
        assert.deepEqual(await kept(db), []);

        // Data again after none: a new first import.
        await importObservations(db, csv('e.csv', ['einwohner;11;2025;103']), { layer: 'teil' });
        assert.ok((await batches(db)).first > second.last);
        assert.deepEqual(await kept(db), await truth(db));
      } finally {
        await db.close();
        tmp.cleanup();
      }
    });
  });
}

test('the migration fills the coverage of a database that has observations already', async () => {
  const tmp = tempDir();
  const db = await openDatabase({ memory: true });
  try {
    const all = loadMigrations();
    await migrate(
      db,
      all.filter((m) => m.version < 18),
    );
    await setUp(db, tmp);
    await importObservations(
      db,
      tmp.file('b.csv', 'indicator;area;period;value\neinwohner;11;2023;100\neinwohner;12;2023;200\n'),
      { layer: 'teil' },
    );
    await importObservations(db, tmp.file('c.csv', 'indicator;area;period;value\nkinder;1;2023;7\n'), {
      layer: 'bezirk',
    });
    await migrate(db, all);
    assert.deepEqual(await kept(db), await truth(db));
    assert.equal((await kept(db)).length, 2);
  } finally {
    await db.close();
    tmp.cleanup();
  }
});
