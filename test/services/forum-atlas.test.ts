// The youth forum in the atlas (decision 0040): published topics per area and year of raising,
// and per 1,000 young residents, as observations of two computed indicators kept in step with the
// topics in the same transaction; coarser layers add up (a rate from the sums, never averaged).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { SYSTEM, type Principal } from '../../src/core/access.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogueFile } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { insertDepartment } from '../../src/store/accounts.ts';
import { getObservations, getAreaProfile } from '../../src/services/query.ts';
import {
  createForum,
  deleteTopic,
  mergeTopics,
  moderateTopic,
  proposeTopic,
  recordTopic,
} from '../../src/services/forum.ts';
import { setYoungPopulation } from '../../src/services/forum-atlas.ts';
import { ATLAS_COUNT_KEY, ATLAS_RATE_KEY } from '../../src/core/forum.ts';

const jugend: Principal = { kind: 'user', id: 20, name: 'j.steward', role: 'steward', department: 'jugend' };
const csv = (lines: string[]) => lines.join('\n') + '\n';
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
    key: 'einwohner_unter21',
    name: 'Einwohner unter 21 Jahren',
    unit: 'Personen',
    type: 'count',
    owner: 'statistik',
    confidentiality: 'public',
  },
];

for (const engine of engines) {
  describe(`youth forum in the atlas [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    const tmp = tempDir();
    before(async () => {
      db = await openEngine(engine);
      await insertDepartment(db, 'jugend', 'Jugendamt');
      await importAreas(db, tmp.file('bezirke.csv', csv(['code;name', '01;Nord', '02;Süd'])), { layer: 'bezirk' });
      await importAreas(
        db,
        tmp.file('stadtteile.csv', csv(['code;name;parent', '0101;Altstadt;01', '0102;Hafen;01', '0201;Südheide;02'])),
        { layer: 'stadtteil', parentLayer: 'bezirk', parentProp: 'parent' },
      );
      await importAreas(
        db,
        tmp.file(
          'bloecke.csv',
          csv([
            'code;name;parent',
            '010101;Block 1;0101',
            '010102;Block 2;0101',
            '010201;Block 3;0102',
            '020101;Block 4;0201',
          ]),
        ),
        { layer: 'block', parentLayer: 'stadtteil', parentProp: 'parent' },
      );
      await importCatalogueFile(db, tmp.file('katalog.json', JSON.stringify(CATALOGUE)));
      // Young residents stored on blocks (a finer layer): Altstadt 400 + 600, Hafen 500, Südheide 2,000; a year before the topics.
      await importObservations(
        db,
        tmp.file(
          'jung.csv',
          csv([
            'indicator;area;period;value',
            'einwohner_unter21;010101;31.12.2025;400',
            'einwohner_unter21;010102;31.12.2025;600',
            'einwohner_unter21;010201;31.12.2025;500',
            'einwohner_unter21;020101;31.12.2025;2000',
          ]),
        ),
      );
      await importObservations(
        db,
        tmp.file(
          'alt.csv',
          csv([
            'indicator;area;period;altersgruppe;value',
            'einwohner;010101;31.12.2025;15_18;100',
            'einwohner;010101;31.12.2025;65_80;900',
            'einwohner;020101;31.12.2025;15_18;50',
          ]),
        ),
      );
      await createForum(db, jugend, {
        key: 'altstadt',
        name: 'Forum Altstadt',
        layer: 'stadtteil',
        area: '0101',
        department: 'jugend',
      });
      await createForum(db, jugend, {
        key: 'suedheide',
        name: 'Forum Südheide',
        layer: 'stadtteil',
        area: '0201',
        department: 'jugend',
      });
    });
    after(async () => {
      await db?.close();
      tmp.cleanup();
    });

    const values = async (indicator: string, layer: string, period = '2026') => {
      const a = await getObservations(db, { indicator, layer, period }, SYSTEM);
      return Object.fromEntries(
        a.values.map((v) => [v.area, v.value === null ? null : Math.round(v.value * 1000) / 1000]),
      );
    };

    test('no topic yet: the catalogue has no forum indicators', async () => {
      const { rows } = await db.query('SELECT key FROM indicator WHERE key LIKE $1', ['jugendforum%']);
      assert.equal(rows.length, 0);
    });

    test('recorded and published topics are counted per area and year of raising; proposals, rejected and merged ones are not', async () => {
      const t1 = await recordTopic(
        db,
        jugend,
        { forum: 'altstadt', title: 'Dach am Skatepark', raisedBy: 'forum', raisedOn: '2026-03-01' },
        '2026-03-02',
      );
      await recordTopic(
        db,
        jugend,
        { forum: 'altstadt', title: 'Licht am Schulweg', raisedBy: 'school_class', raisedOn: '2026-04-01' },
        '2026-04-02',
      );
      await recordTopic(
        db,
        jugend,
        { forum: 'altstadt', title: 'Bolzplatz', area: '0102', raisedBy: 'forum', raisedOn: '2026-05-01' },
        '2026-05-02',
      );
      await recordTopic(
        db,
        jugend,
        { forum: 'suedheide', title: 'Graffitiwand', raisedBy: 'youth_centre', raisedOn: '2025-11-01' },
        '2026-01-05',
      );
      const p = await proposeTopic(db, { forum: 'suedheide', title: 'Tischtennis' }, '2026-06-01');
      assert.deepEqual(
        await values(ATLAS_COUNT_KEY, 'stadtteil'),
        { '0101': 2, '0102': 1, '0201': 0 },
        'a pending proposal does not count; areas without topics show 0',
      );
      assert.deepEqual(
        await values(ATLAS_COUNT_KEY, 'stadtteil', '2025'),
        { '0101': 0, '0102': 0, '0201': 1 },
        'by the year the topic was raised',
      );
      assert.deepEqual(await values(ATLAS_COUNT_KEY, 'bezirk'), { '01': 3, '02': 0 }, 'coarser areas add up');
      await moderateTopic(db, jugend, p.id, { decision: 'publish' }, '2026-06-02');
      assert.deepEqual(
        await values(ATLAS_COUNT_KEY, 'stadtteil'),
        { '0101': 2, '0102': 1, '0201': 1 },
        'published in the same transaction',
      );
      await mergeTopics(db, jugend, p.id, t1.id);
      assert.deepEqual(
        await values(ATLAS_COUNT_KEY, 'stadtteil'),
        { '0101': 2, '0102': 1, '0201': 0 },
        'a merged duplicate no longer counts',
      );
      await deleteTopic(db, jugend, t1.id);
      assert.deepEqual(
        await values(ATLAS_COUNT_KEY, 'stadtteil'),
        { '0101': 1, '0102': 1, '0201': 0 },
        'a deleted topic is gone from the atlas',
      );
    });

    test('per 1,000 young residents: from the counts and the young population of the latest year before, coarser layers from the sums', async () => {
      // Altstadt 1 topic / 1,000 young, Hafen 1 / 500, Südheide 0 / 2,000.
      assert.deepEqual(await values(ATLAS_RATE_KEY, 'stadtteil'), { '0101': 1, '0102': 2, '0201': 0 });
      // Bezirk Nord: 2 topics / 1,500 young = 1.333 (the mean of the rates would be 1.5).
      assert.deepEqual(await values(ATLAS_RATE_KEY, 'bezirk'), { '01': 1.333, '02': 0 });
      const a = await getObservations(db, { indicator: ATLAS_RATE_KEY, layer: 'stadtteil', period: '2026' }, SYSTEM);
      assert.equal(a.indicator.type, 'ratio');
      const lineage = a.indicator.lineage as unknown as {
        young: { indicator: string };
        populationYears: Record<string, string>;
      };
      assert.equal(lineage.young.indicator, 'einwohner_unter21');
      assert.equal(lineage.populationYears['2026'], '2025-12-31', 'the population period used is recorded');
      assert.equal(a.indicator.confidentiality, 'public');
    });

    test('the population that counts as young is configurable (admins), and the rate follows', async () => {
      await assert.rejects(
        setYoungPopulation(db, jugend, { indicator: 'einwohner', filter: { altersgruppe: '15_18' } }),
      );
      await assert.rejects(setYoungPopulation(db, SYSTEM, { indicator: 'nope' }));
      await setYoungPopulation(db, SYSTEM, { indicator: 'einwohner', filter: { altersgruppe: '15_18' } });
      // Altstadt 1 topic / 100 young = 10; Hafen has no such residents (missing), Südheide 0 / 50.
      assert.deepEqual(await values(ATLAS_RATE_KEY, 'stadtteil'), { '0101': 10, '0102': null, '0201': 0 });
      await setYoungPopulation(db, SYSTEM, { indicator: 'einwohner_unter21' });
      assert.deepEqual(await values(ATLAS_RATE_KEY, 'stadtteil'), { '0101': 1, '0102': 2, '0201': 0 });
    });

    test('a new population import brings the rate up to date in its own transaction', async () => {
      const before = await values(ATLAS_RATE_KEY, 'stadtteil');
      const counts = await values(ATLAS_COUNT_KEY, 'stadtteil');
      // The register's figures for 2026 arrive: Hafen now has 250 young residents.
      await importObservations(
        db,
        tmp.file(
          'jung-2026.csv',
          csv([
            'indicator;area;period;value',
            'einwohner_unter21;010101;31.12.2026;400',
            'einwohner_unter21;010102;31.12.2026;600',
            'einwohner_unter21;010201;31.12.2026;250',
            'einwohner_unter21;020101;31.12.2026;2000',
          ]),
        ),
      );
      const after = await values(ATLAS_RATE_KEY, 'stadtteil');
      assert.equal(after['0102'], (counts['0102']! / 250) * 1000);
      assert.notDeepEqual(after, before);
      const a = await getObservations(db, { indicator: ATLAS_RATE_KEY, layer: 'stadtteil', period: '2026' }, SYSTEM);
      assert.equal(
        (a.indicator.lineage as unknown as { populationYears: Record<string, string> }).populationYears['2026'],
        '2026-12-31',
      );
      // An import of something else leaves the forum's values alone (no batch of kind forum).
      const n = async () =>
        (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM import_batch WHERE kind = 'forum'")).rows[0].n;
      const k = await n();
      await importObservations(
        db,
        tmp.file(
          'andere.csv',
          csv(['indicator;area;period;altersgruppe;value', 'einwohner;010102;31.12.2026;65_80;77']),
        ),
      );
      assert.equal(await n(), k);
    });

    test('topics recorded at the same time are all counted (the refreshes take turns)', async () => {
      const before = await values(ATLAS_COUNT_KEY, 'stadtteil');
      await Promise.all(
        ['0101', '0102', '0201', '0101', '0201', '0102'].map((area, i) =>
          recordTopic(
            db,
            jugend,
            {
              forum: area === '0201' ? 'suedheide' : 'altstadt',
              area,
              title: `Gleichzeitig ${i}`,
              raisedBy: 'forum',
              raisedOn: '2026-08-01',
            },
            '2026-08-02',
          ),
        ),
      );
      const after = await values(ATLAS_COUNT_KEY, 'stadtteil');
      assert.deepEqual(after, {
        '0101': before['0101']! + 2,
        '0102': before['0102']! + 2,
        '0201': before['0201']! + 2,
      });
    });

    test('the area profile lists the forum indicators; a change that leaves counts alone writes no batch', async () => {
      const p = await getAreaProfile(db, { layer: 'stadtteil', area: '0102', at: '2026-12-31' }, SYSTEM);
      const keys = p.themes.flatMap((t) => t.entries.map((e) => e.indicator.key));
      assert.ok(keys.includes(ATLAS_COUNT_KEY) && keys.includes(ATLAS_RATE_KEY), keys.join(','));
      const before = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM import_batch WHERE kind = 'forum'"))
        .rows[0].n;
      await proposeTopic(db, { forum: 'altstadt', title: 'Noch ein Vorschlag' }, '2026-07-01');
      const q = (await db.query<{ id: number }>("SELECT id FROM forum_topic WHERE title = 'Noch ein Vorschlag'"))
        .rows[0].id;
      await moderateTopic(db, jugend, q, { decision: 'reject' });
      const after = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM import_batch WHERE kind = 'forum'"))
        .rows[0].n;
      assert.equal(after, before, 'rejecting a proposal changes no count');
    });
  });
}
