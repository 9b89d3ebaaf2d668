// The statistics database end to end through the services, on PGlite and (when configured) on a
// PostgreSQL server: spatial structure, catalogue, observation import, aggregation, history.
import { SYSTEM } from '../../src/core/access.ts';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogueFile } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { getObservations, getTimeSeries, getAreaProfile } from '../../src/services/query.ts';
import { listLayers } from '../../src/services/catalogue-read.ts';
import { InputRejected } from '../../src/core/problems.ts';

// The catalogue exactly as written in issue #2.
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
    polarity: 'neutral',
    minBase: 300,
    owner: 'statistik',
    confidentiality: 'public',
    themes: ['Bevölkerung'],
  },
  {
    key: 'kita_dauer',
    name: 'Mittlere Kita-Besuchsdauer',
    unit: 'Jahre',
    type: 'mean',
    owner: 'kita',
    confidentiality: 'public',
    themes: ['Bildung'],
  },
];

const BOM = '\uFEFF';
const crlf = (lines: string[]) => BOM + lines.join('\r\n') + '\r\n';

for (const engine of engines) {
  describe(`statistics database [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    const tmp = tempDir();
    before(async () => {
      db = await openEngine(engine);
      // Gesamtstadt → Bezirke → Stadtteile, with real (square) polygons that nest.
      await importAreas(
        db,
        tmp.file(
          'stadt.geojson',
          featureCollection([{ code: '0', name: 'Musterstadt', geometry: square(8, 50, 0.2) }]),
        ),
        { layer: 'gesamtstadt' },
      );
      await importAreas(
        db,
        tmp.file(
          'bezirke.geojson',
          featureCollection([
            {
              code: '01',
              name: 'Nord',
              parent: '0',
              geometry: {
                type: 'Polygon',
                coordinates: [
                  [
                    [8, 50.1],
                    [8.2, 50.1],
                    [8.2, 50.2],
                    [8, 50.2],
                    [8, 50.1],
                  ],
                ],
              },
            },
            {
              code: '02',
              name: 'Süd',
              parent: '0',
              geometry: {
                type: 'Polygon',
                coordinates: [
                  [
                    [8, 50],
                    [8.2, 50],
                    [8.2, 50.1],
                    [8, 50.1],
                    [8, 50],
                  ],
                ],
              },
            },
          ]),
        ),
        { layer: 'bezirk', parentLayer: 'gesamtstadt', parentProp: 'parent' },
      );
      await importAreas(
        db,
        tmp.file('stadtteile.csv', crlf(['code;name;parent', '0101;Altstadt;01', '0102;Hafen;01', '0201;Südheide;02'])),
        { layer: 'stadtteil', parentLayer: 'bezirk', parentProp: 'parent' },
      );
      await importCatalogueFile(db, tmp.file('katalog.json', JSON.stringify(CATALOGUE)));
      await importObservations(
        db,
        tmp.file(
          'einwohner.csv',
          crlf([
            'indicator;area;period;altersgruppe;value',
            'einwohner;0101;30.06.2022;unter6;100',
            'einwohner;0101;30.06.2022;6plus;900',
            'einwohner;0102;30.06.2022;unter6;10',
            'einwohner;0102;30.06.2022;6plus;190',
            'einwohner;0201;30.06.2022;unter6;50,0',
            'einwohner;0201;30.06.2022;6plus;1.450',
          ]),
        ),
      );
    });
    after(async () => {
      await db?.close();
      tmp.cleanup();
    });

    test('layers form a hierarchy and codes stay strings', async () => {
      const layers = await listLayers(db);
      assert.deepEqual(
        layers.map((l) => [l.key, l.parentLayer, l.versions[0].areas]),
        [
          ['gesamtstadt', null, 1],
          ['bezirk', 'gesamtstadt', 2],
          ['stadtteil', 'bezirk', 3],
        ],
      );
      const a = await getObservations(db, { indicator: 'einwohner', layer: 'bezirk' }, SYSTEM);
      assert.deepEqual(
        a.values.map((v) => v.area),
        ['01', '02'],
      );
    });

    test('counts add up the hierarchy and across breakdown members', async () => {
      const a = await getObservations(db, { indicator: 'einwohner', layer: 'bezirk', period: '2022-06-30' }, SYSTEM);
      assert.equal(a.period.key, '2022-06-30');
      assert.equal(a.referenceDate, '2022-06-30');
      assert.equal(a.unit, 'Personen');
      assert.equal(a.source, 'Melderegister');
      assert.deepEqual(
        a.values.map((v) => [v.area, v.value, v.status, v.computed]),
        [
          ['01', 1200, 'final', true],
          ['02', 1500, 'final', true],
        ],
      );
      assert.equal(a.city.value, 2700);
      const g = await getObservations(db, { indicator: 'einwohner', layer: 'gesamtstadt' }, SYSTEM);
      assert.equal(g.values[0].value, 2700);
      const f = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'stadtteil', filter: { altersgruppe: 'unter6' } },
        SYSTEM,
      );
      assert.deepEqual(
        f.values.map((v) => v.value),
        [100, 10, 50],
      );
    });

    test('ratios are Σnumerator/Σdenominator, never an average of rates, and respect the minimum base', async () => {
      const st = await getObservations(db, { indicator: 'anteil_unter6', layer: 'stadtteil' }, SYSTEM);
      const byArea = Object.fromEntries(st.values.map((v) => [v.area, v]));
      assert.equal(byArea['0101'].value, 10);
      assert.equal(byArea['0101'].base, 1000);
      // 200 inhabitants < minBase 300: not shown, and marked so — not zero.
      assert.equal(byArea['0102'].value, null);
      assert.equal(byArea['0102'].status, 'below_min_base');
      assert.equal(byArea['0102'].base, 200);
      assert.equal(byArea['0201'].value, (50 / 1500) * 100);
      const bz = await getObservations(db, { indicator: 'anteil_unter6', layer: 'bezirk' }, SYSTEM);
      // Bezirk 01: (100 + 10) / (1000 + 200) = 9.1666 %, not the mean of 10 % and 5 %.
      assert.equal(bz.values[0].value, (110 / 1200) * 100);
      assert.equal(bz.city.value, (160 / 2700) * 100);
      assert.deepEqual(
        bz.values.map((v) => v.rank),
        [1, 2],
      );
    });

    test('a file with errors changes nothing and reports every error with line, column, value and hint', async () => {
      const bad = tmp.file(
        'bad.csv',
        crlf([
          'indicator;area;period;altersgruppe;value',
          'einwohner;0101;31.12.2022;unter6;120',
          'einwohnr;0101;31.12.2022;unter6;5',
          'einwohner;101;31.12.2022;6plus;5',
          'einwohner;0102;32.12.2022;6plus;5',
          'einwohner;0102;31.12.2022;6plus;zwölf',
          'einwohner;0102;31.12.2022;;7',
        ]),
      );
      await assert.rejects(
        () => importObservations(db, bad),
        (e: unknown) => {
          assert.ok(e instanceof InputRejected);
          const errs = e.problems.filter((p) => p.severity === 'error');
          const at = (line: number) => errs.find((p) => p.line === line);
          assert.equal(at(3)?.column, 'indicator');
          assert.equal(at(3)?.value, 'einwohnr');
          assert.equal(at(4)?.column, 'area');
          assert.equal(at(4)?.value, '101');
          assert.match(at(4)?.hint ?? '', /leading zeros/);
          assert.equal(at(5)?.column, 'period');
          assert.equal(at(6)?.column, 'value');
          assert.equal(at(6)?.value, 'zwölf');
          assert.equal(at(7)?.column, 'altersgruppe');
          assert.ok(errs.every((p) => p.file === 'bad.csv'));
          return true;
        },
      );
      const a = await getObservations(db, { indicator: 'einwohner', layer: 'stadtteil' }, SYSTEM);
      assert.equal(a.period.key, '2022-06-30', 'the valid first row was not imported either');
    });

    test('re-importing the same file changes nothing; a changed value keeps the old one in the history', async () => {
      const lines = [
        'indicator;area;period;altersgruppe;value',
        'einwohner;0101;31.12.2022;unter6;101',
        'einwohner;0101;31.12.2022;6plus;899',
      ];
      const f = tmp.file('ew-2022.csv', crlf(lines));
      const first = await importObservations(db, f);
      assert.equal(first.inserted, 2);
      const again = await importObservations(db, f);
      assert.deepEqual([again.inserted, again.updated, again.unchanged, again.batchId], [0, 0, 2, null]);
      const dry = await importObservations(
        db,
        tmp.file('ew-2022b.csv', crlf([lines[0], 'einwohner;0101;31.12.2022;unter6;102p', lines[2]])),
        { dryRun: true },
      );
      assert.deepEqual([dry.inserted, dry.updated, dry.dryRun], [0, 1, true]);
      const ts0 = await getTimeSeries(
        db,
        { indicator: 'einwohner', layer: 'stadtteil', area: '0101', filter: { altersgruppe: 'unter6' } },
        SYSTEM,
      );
      assert.equal(ts0.points.at(-1)?.value, 101, 'the dry run changed nothing');
      const upd = await importObservations(
        db,
        tmp.file('ew-2022c.csv', crlf([lines[0], 'einwohner;0101;31.12.2022;unter6;102p', lines[2]])),
      );
      assert.deepEqual([upd.inserted, upd.updated, upd.unchanged], [0, 1, 1]);
      const ts = await getTimeSeries(
        db,
        { indicator: 'einwohner', layer: 'stadtteil', area: '0101', filter: { altersgruppe: 'unter6' } },
        SYSTEM,
      );
      assert.deepEqual(
        ts.points.map((p) => [p.period, p.value, p.status]),
        [
          ['2022-06-30', 100, 'final'],
          ['2022-12-31', 102, 'provisional'],
        ],
      );
      const { rows } = await db.query<{ value: number; batch: number; replaced: number }>(
        `SELECT h.value, h.import_batch_id AS batch, h.replaced_by_batch_id AS replaced FROM observation_history h`,
      );
      assert.equal(rows.length, 1);
      assert.equal(rows[0].value, 101);
      assert.equal(rows[0].batch, first.batchId);
      assert.equal(rows[0].replaced, upd.batchId);
    });

    test('duplicates in a file are reported with their lines, for new and for stored periods', async () => {
      const dup = (period: string) =>
        crlf([
          'indicator;area;period;altersgruppe;value',
          `einwohner;0101;${period};unter6;1`,
          `einwohner;0102;${period};unter6;2`,
          `einwohner;0101;${period.split('-').reverse().join('.')};unter6;3`,
        ]);
      for (const period of ['2019-12-31', '2022-06-30']) {
        await assert.rejects(
          () => importObservations(db, tmp.file(`dup-${period}.csv`, dup(period))),
          (e: unknown) => {
            assert.ok(e instanceof InputRejected);
            const d = e.problems.find((p) => p.code === 'duplicate-observation');
            assert.ok(d, period);
            assert.match(d.reason, /lines 2, 4/);
            return true;
          },
        );
      }
      const a = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'stadtteil', period: '2022-06-30', filter: { altersgruppe: 'unter6' } },
        SYSTEM,
      );
      assert.equal(a.values[0].value, 100, 'nothing changed');
    });

    test('one file with new and stored periods: new rows go straight in, stored ones are merged with history; a dry run keeps nothing', async () => {
      const head = 'indicator;area;period;altersgruppe;value';
      await importObservations(
        db,
        tmp.file(
          'mixed-1.csv',
          crlf([head, 'einwohner;0101;2018-12-31;unter6;10', 'einwohner;0102;2018-12-31;unter6;20']),
        ),
      );
      const mixed = crlf([
        head,
        'einwohner;0101;2018-12-31;unter6;11',
        'einwohner;0102;2018-12-31;unter6;20',
        'einwohner;0101;2017-12-31;unter6;7',
        'einwohner;0102;2017-12-31;unter6;8',
      ]);
      const dry = await importObservations(db, tmp.file('mixed-2.csv', mixed), { dryRun: true });
      assert.deepEqual([dry.inserted, dry.updated, dry.unchanged], [2, 1, 1]);
      const kept = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM observation o JOIN period p ON p.id = o.period_id WHERE p.key = '2017-12-31'`,
      );
      assert.equal(kept.rows[0].n, 0, 'the dry run wrote nothing');
      const r = await importObservations(db, tmp.file('mixed-2.csv', mixed));
      assert.deepEqual([r.inserted, r.updated, r.unchanged], [2, 1, 1]);
      const { rows } = await db.query<{ period: string; area: string; value: number; batch: number }>(
        `SELECT p.key AS period, a.code AS area, o.value, o.import_batch_id AS batch FROM observation o JOIN period p ON p.id = o.period_id JOIN area a ON a.id = o.area_id
          JOIN indicator i ON i.id = o.indicator_id JOIN member_combination mc ON mc.id = o.members_id
          WHERE i.key = 'einwohner' AND p.key IN ('2017-12-31', '2018-12-31') AND mc.members->>'altersgruppe' = 'unter6' ORDER BY 1, 2`,
      );
      assert.deepEqual(
        rows.map((x) => [x.period, x.area, x.value]),
        [
          ['2017-12-31', '0101', 7],
          ['2017-12-31', '0102', 8],
          ['2018-12-31', '0101', 11],
          ['2018-12-31', '0102', 20],
        ],
      );
      assert.equal(rows[0].batch, r.batchId, 'the new rows carry the import batch');
      const history = await db.query<{ value: number }>(
        `SELECT h.value FROM observation_history h WHERE h.replaced_by_batch_id = $1`,
        [r.batchId],
      );
      assert.deepEqual(
        history.rows.map((x) => x.value),
        [10],
      );
    });

    test('periods first seen while rows are being written get their ids later; every value lands on its period', async () => {
      const head = 'indicator;area;period;altersgruppe;value';
      const lines = [head];
      // Period-major order, as a monthly register extract: new periods keep arriving in every flush.
      const day = (d: number) => new Date(Date.UTC(1900, 0, 1 + d)).toISOString().slice(0, 10);
      const days = 40_000;
      for (let d = 0; d < days; d++)
        for (const area of ['0101', '0102', '0201'])
          lines.push(`einwohner;${area};${d % 2 ? day(d) : day(d).split('-').reverse().join('.')};6plus;${d}`);
      const r = await importObservations(db, tmp.file('progressive.csv', crlf(lines)));
      assert.deepEqual([r.inserted, r.updated, r.periods.length], [3 * days, 0, days]);
      const { rows } = await db.query<{ n: number; bad: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE o.value <> (p.start_date - DATE '1900-01-01'))::int AS bad
           FROM observation o JOIN period p ON p.id = o.period_id WHERE o.import_batch_id = $1`,
        [r.batchId],
      );
      assert.deepEqual(rows[0], { n: 3 * days, bad: 0 });
      await db.query(`DELETE FROM observation WHERE import_batch_id = $1`, [r.batchId]);
    });

    test('a repeated row among many new ones is reported with its lines after the rows were already being written', async () => {
      const head = 'indicator;area;period;altersgruppe;value';
      const lines = [head];
      // More rows than one flush (50,000), the repeat in a later flush than its first occurrence.
      const day = (d: number) => new Date(Date.UTC(1940, 0, 1 + d)).toISOString().slice(0, 10);
      for (let d = 0; d < 26_000; d++)
        for (const area of ['0101', '0102']) lines.push(`einwohner;${area};${day(d)};unter6;${d}`);
      lines.push(`einwohner;0101;${day(0)};unter6;5`);
      const periods = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM period')).rows[0].n;
      const periodsBefore = await periods();
      await assert.rejects(
        () => importObservations(db, tmp.file('many-dups.csv', crlf(lines))),
        (e: unknown) => {
          assert.ok(e instanceof InputRejected, String(e));
          const d = e.problems.find((p) => p.code === 'duplicate-observation');
          assert.ok(d, JSON.stringify(e.problems.slice(0, 2)));
          assert.match(d.reason, /lines 2, 52002/);
          return true;
        },
      );
      assert.equal(await periods(), periodsBefore, 'nothing changed, not even the periods');
    });

    test('suppressed is not zero: an aggregate over a suppressed cell is suppressed', async () => {
      await importObservations(
        db,
        tmp.file(
          'supp.csv',
          crlf([
            'indicator;area;period;altersgruppe;value',
            'einwohner;0101;2021;unter6;.',
            'einwohner;0101;2021;6plus;900',
            'einwohner;0102;2021;unter6;12',
            'einwohner;0102;2021;6plus;300',
          ]),
        ),
      );
      const a = await getObservations(db, { indicator: 'einwohner', layer: 'stadtteil', period: '2021' }, SYSTEM);
      assert.deepEqual(
        a.values.slice(0, 2).map((v) => [v.area, v.value, v.status]),
        [
          ['0101', null, 'suppressed'],
          ['0102', 312, 'final'],
        ],
      );
      const r = await getObservations(db, { indicator: 'anteil_unter6', layer: 'bezirk', period: '2021' }, SYSTEM);
      assert.equal(r.values[0].value, null);
      assert.equal(r.values[0].status, 'suppressed');
    });

    test('means are weighted by their base', async () => {
      await importObservations(
        db,
        tmp.file(
          'kita.csv',
          crlf([
            'indicator;area;period;value;base',
            'kita_dauer;0101;2022;3,0;100',
            'kita_dauer;0102;2022;2,0;300',
            'kita_dauer;0201;2022;4;50',
          ]),
        ),
      );
      const a = await getObservations(db, { indicator: 'kita_dauer', layer: 'bezirk', period: '2022' }, SYSTEM);
      assert.equal(a.values[0].value, (3 * 100 + 2 * 300) / 400);
      assert.equal(a.values[0].base, 400);
    });

    test('a new boundary version keeps the old one and its data; periods pick their version', async () => {
      await importAreas(
        db,
        tmp.file(
          'st-2023.csv',
          crlf(['code;name;parent', '0101;Altstadt;01', '0102;Hafen-West;01', '0103;Hafen-Ost;01', '0201;Südheide;02']),
        ),
        {
          layer: 'stadtteil',
          parentLayer: 'bezirk',
          parentProp: 'parent',
          validFrom: '2023-01-01',
        },
      );
      const layers = await listLayers(db);
      const st = layers.find((l) => l.key === 'stadtteil')!;
      assert.deepEqual(
        st.versions.map((v) => [v.validFrom, v.validTo, v.areas]),
        [
          [null, '2023-01-01', 3],
          ['2023-01-01', null, 4],
        ],
      );
      await importObservations(
        db,
        tmp.file(
          'ew-2023.csv',
          crlf([
            'indicator;area;period;altersgruppe;value',
            'einwohner;0103;31.12.2023;unter6;40',
            'einwohner;0103;31.12.2023;6plus;400',
          ]),
        ),
        { layer: 'stadtteil' },
      );
      const old = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'stadtteil', period: '2022-06-30' },
        SYSTEM,
      );
      assert.equal(old.values.length, 3);
      assert.equal(old.layer.version.validFrom, null);
      const now = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'stadtteil', period: '2023-12-31' },
        SYSTEM,
      );
      assert.equal(now.values.length, 4);
      assert.equal(now.values.find((v) => v.area === '0103')?.value, 440);
      // 0103 did not exist before 2023: importing it for 2022 is refused.
      await assert.rejects(
        () =>
          importObservations(
            db,
            tmp.file(
              'ew-x.csv',
              crlf(['indicator;area;period;altersgruppe;value', 'einwohner;0103;31.12.2022;unter6;1']),
            ),
          ),
        InputRejected,
      );
      const ts = await getTimeSeries(db, { indicator: 'einwohner', layer: 'stadtteil', area: '0101' }, SYSTEM);
      const last = ts.points.at(-1)!;
      assert.equal(last.period, '2023-12-31');
      assert.equal(last.boundaryChange, true);
    });

    test('area profile: every indicator with city value, parent value and rank', async () => {
      const p = await getAreaProfile(db, { layer: 'stadtteil', area: '0201', at: '2022-06-30' }, SYSTEM);
      assert.equal(p.area.name, 'Südheide');
      assert.deepEqual(p.area.parent, { layer: 'bezirk', code: '02', name: 'Süd' });
      const ew = p.themes.flatMap((t) => t.entries).find((e) => e.indicator.key === 'einwohner')!;
      assert.equal(ew.value, 1500);
      assert.equal(ew.parentValue, 1500);
      assert.equal(ew.rank, 1);
      assert.ok(p.themes.some((t) => t.theme === 'Bevölkerung'));
    });

    test('area imports check duplicates, unknown parents and children outside their parent', async () => {
      const f = tmp.file(
        'bad-areas.geojson',
        featureCollection([
          {
            code: '0301',
            name: 'A',
            parent: '01',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [8.5, 50.5],
                  [8.6, 50.5],
                  [8.6, 50.6],
                  [8.5, 50.6],
                  [8.5, 50.5],
                ],
              ],
            },
          },
          { code: '0302', name: 'B', parent: '99', geometry: null },
          { code: '0302', name: 'C', parent: '01', geometry: null },
        ]),
      );
      await assert.rejects(
        () => importAreas(db, f, { layer: 'stadtteil_x', parentLayer: 'bezirk', parentProp: 'parent' }),
        (e: unknown) => {
          assert.ok(e instanceof InputRejected);
          const codes = e.problems.map((p) => p.code);
          assert.ok(codes.includes('duplicate-code'), codes.join());
          return true;
        },
      );
      const g = tmp.file(
        'bad-areas2.geojson',
        featureCollection([
          {
            code: '0301',
            name: 'A',
            parent: '01',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [8.5, 50.5],
                  [8.6, 50.5],
                  [8.6, 50.6],
                  [8.5, 50.6],
                  [8.5, 50.5],
                ],
              ],
            },
          },
          // A boundary is needed: a null geometry would be rejected by the reader (decision 0012).
          {
            code: '0302',
            name: 'B',
            parent: '99',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [8.7, 50.5],
                  [8.8, 50.5],
                  [8.8, 50.6],
                  [8.7, 50.6],
                  [8.7, 50.5],
                ],
              ],
            },
          },
        ]),
      );
      await assert.rejects(
        () => importAreas(db, g, { layer: 'stadtteil_x', parentLayer: 'bezirk', parentProp: 'parent' }),
        (e: unknown) => {
          assert.ok(e instanceof InputRejected);
          const codes = e.problems.map((p) => p.code);
          assert.ok(codes.includes('unknown-parent'), codes.join());
          assert.ok(codes.includes('outside-parent'), codes.join());
          return true;
        },
      );
      assert.equal(
        (await listLayers(db)).some((l) => l.key === 'stadtteil_x'),
        false,
        'nothing was created',
      );
    });
  });
}
