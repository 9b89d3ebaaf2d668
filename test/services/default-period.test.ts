// Issue 11, item 6: an import for one layer must not change what another layer shows. The
// default period (no `period` asked for) is the latest with data for the indicator on that
// layer — stored there or on a finer layer that aggregates up to it; for a ratio, the
// numerator's data. Time series and profiles leave out periods that only other layers have.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SYSTEM } from '../../src/core/access.ts';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogueFile } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { getObservations, getTimeSeries, getAreaProfile } from '../../src/services/query.ts';

const CATALOGUE = [
  {
    key: 'einwohner',
    name: 'Einwohnerinnen und Einwohner',
    unit: 'Personen',
    type: 'count',
    dimensions: ['altersgruppe'],
    source: 'Melderegister',
    owner: 'statistik',
    confidentiality: 'public',
    themes: ['Bevölkerung'],
  },
  {
    key: 'anteil_unter6',
    name: 'Anteil der Kinder unter 6 Jahren',
    unit: '%',
    type: 'ratio',
    numerator: { indicator: 'einwohner', filter: { altersgruppe: 'unter6' } },
    denominator: { indicator: 'einwohner' },
    scale: 100,
    owner: 'statistik',
    confidentiality: 'public',
    themes: ['Bevölkerung'],
  },
];

const csv = (lines: string[]) => lines.join('\n') + '\n';

for (const engine of engines) {
  describe(`default period per layer [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    const tmp = tempDir();
    before(async () => {
      db = await openEngine(engine);
      // gesamtstadt → bezirk → stadtteil → block, and a separate layer (school catchments).
      await importAreas(db, tmp.file('stadt.csv', csv(['code;name', '0;Musterstadt'])), { layer: 'gesamtstadt' });
      await importAreas(db, tmp.file('bezirke.csv', csv(['code;name;parent', '01;Nord;0', '02;Süd;0'])), {
        layer: 'bezirk',
        parentLayer: 'gesamtstadt',
        parentProp: 'parent',
      });
      await importAreas(
        db,
        tmp.file('stadtteile.csv', csv(['code;name;parent', '0101;Altstadt;01', '0102;Hafen;01', '0201;Südheide;02'])),
        { layer: 'stadtteil', parentLayer: 'bezirk', parentProp: 'parent' },
      );
      await importAreas(
        db,
        tmp.file('bloecke.csv', csv(['code;name;parent', '010101;Block 1;0101', '020101;Block 2;0201'])),
        { layer: 'block', parentLayer: 'stadtteil', parentProp: 'parent' },
      );
      await importAreas(db, tmp.file('schulbezirke.csv', csv(['code;name', 'S1;Schulbezirk 1', 'S2;Schulbezirk 2'])), {
        layer: 'schulbezirk',
      });
      await importCatalogueFile(db, tmp.file('katalog.json', JSON.stringify(CATALOGUE)));
      const rows: string[] = ['indicator;area;period;altersgruppe;value'];
      for (const year of [2021, 2022])
        for (const a of ['0101', '0102', '0201'])
          rows.push(
            `einwohner;${a};31.12.${year};unter6;${50 + year - 2021}`,
            `einwohner;${a};31.12.${year};6plus;950`,
          );
      await importObservations(db, tmp.file('stadtteile-2021-2022.csv', csv(rows)));
    });
    after(async () => {
      await db?.close();
      tmp.cleanup();
    });

    const stadtteilDefault = async (indicator: string) => {
      const a = await getObservations(db, { indicator, layer: 'stadtteil' }, SYSTEM);
      return { period: a.period.key, withValue: a.values.filter((v) => v.value !== null).length, of: a.values.length };
    };

    test('an import for a new, unrelated layer with a later period leaves the Stadtteil default alone', async () => {
      assert.deepEqual(await stadtteilDefault('einwohner'), { period: '2022-12-31', withValue: 3, of: 3 });
      await importObservations(
        db,
        tmp.file(
          'schulbezirke-2024.csv',
          csv([
            'indicator;area;period;altersgruppe;value',
            'einwohner;S1;31.12.2024;unter6;70',
            'einwohner;S1;31.12.2024;6plus;900',
            'einwohner;S2;31.12.2024;unter6;80',
            'einwohner;S2;31.12.2024;6plus;800',
          ]),
        ),
      );
      assert.deepEqual(await stadtteilDefault('einwohner'), { period: '2022-12-31', withValue: 3, of: 3 }, 'a count');
      assert.deepEqual(
        await stadtteilDefault('anteil_unter6'),
        { period: '2022-12-31', withValue: 3, of: 3 },
        'a ratio (the numerator decides)',
      );
      for (const layer of ['bezirk', 'gesamtstadt']) {
        const a = await getObservations(db, { indicator: 'einwohner', layer }, SYSTEM);
        assert.equal(a.period.key, '2022-12-31', `coarser layer ${layer}`);
      }
      // The new layer itself shows its own latest period; an explicit period is still honoured.
      const s = await getObservations(db, { indicator: 'anteil_unter6', layer: 'schulbezirk' }, SYSTEM);
      assert.equal(s.period.key, '2024-12-31');
      assert.deepEqual(
        s.values.map((v) => v.value !== null),
        [true, true],
      );
      const asked = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'stadtteil', period: '2024-12-31' },
        SYSTEM,
      );
      assert.equal(asked.period.key, '2024-12-31');
      assert.ok(
        asked.values.every((v) => v.value === null),
        'asked for, the period without Stadtteil data is shown as missing',
      );
    });

    test('time series and profile on the Stadtteil layer end with its own latest period', async () => {
      const ts = await getTimeSeries(db, { indicator: 'einwohner', layer: 'stadtteil', area: '0101' }, SYSTEM);
      assert.deepEqual(
        ts.points.map((p) => p.period),
        ['2021-12-31', '2022-12-31'],
      );
      const profile = await getAreaProfile(db, { layer: 'stadtteil', area: '0101' }, SYSTEM);
      const entries = profile.themes.flatMap((t) => t.entries);
      for (const key of ['einwohner', 'anteil_unter6']) {
        const e = entries.find((x) => x.indicator.key === key);
        assert.ok(e, `${key} in the profile`);
        assert.equal(e.period, '2022-12-31', `${key}: profile period`);
        assert.notEqual(e.value, null);
        assert.deepEqual(
          e.trend.map((t) => t.period),
          ['2021-12-31', '2022-12-31'],
        );
      }
      const sts = await getTimeSeries(db, { indicator: 'einwohner', layer: 'schulbezirk', area: 'S1' }, SYSTEM);
      assert.deepEqual(
        sts.points.map((p) => p.period),
        ['2024-12-31'],
      );
    });

    test('a later period on a finer layer that aggregates up to Stadtteile does become their default', async () => {
      await importObservations(
        db,
        tmp.file(
          'bloecke-2023.csv',
          csv([
            'indicator;area;period;altersgruppe;value',
            'einwohner;010101;31.12.2023;unter6;60',
            'einwohner;010101;31.12.2023;6plus;940',
            'einwohner;020101;31.12.2023;unter6;40',
            'einwohner;020101;31.12.2023;6plus;960',
          ]),
        ),
      );
      const a = await getObservations(db, { indicator: 'einwohner', layer: 'stadtteil' }, SYSTEM);
      assert.equal(a.period.key, '2023-12-31');
      assert.deepEqual(
        a.values.map((v) => [v.area, v.value]),
        [
          ['0101', 1000],
          ['0102', null],
          ['0201', 1000],
        ],
      );
      assert.equal((await stadtteilDefault('anteil_unter6')).period, '2023-12-31');
      assert.equal(
        (await getObservations(db, { indicator: 'einwohner', layer: 'gesamtstadt' }, SYSTEM)).period.key,
        '2023-12-31',
      );
      // Still not the school catchments' 2024.
      const ts = await getTimeSeries(db, { indicator: 'einwohner', layer: 'stadtteil', area: '0201' }, SYSTEM);
      assert.deepEqual(
        ts.points.map((p) => p.period),
        ['2021-12-31', '2022-12-31', '2023-12-31'],
      );
      // Blocks: only 2023 has block data.
      assert.equal(
        (await getObservations(db, { indicator: 'einwohner', layer: 'block' }, SYSTEM)).period.key,
        '2023-12-31',
      );
    });

    test('a layer without any data keeps the indicator’s latest period (all missing, as before)', async () => {
      await importAreas(db, tmp.file('wahlbezirke.csv', csv(['code;name', 'W1;Wahlbezirk 1'])), {
        layer: 'wahlbezirk',
      });
      const a = await getObservations(db, { indicator: 'einwohner', layer: 'wahlbezirk' }, SYSTEM);
      assert.equal(a.period.key, '2024-12-31');
      assert.deepEqual(
        a.values.map((v) => v.value),
        [null],
      );
    });
  });
}
