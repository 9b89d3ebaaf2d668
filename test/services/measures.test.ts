// The measure registry (issue #17) on a hand-made city with known answers: two Bezirke, four
// Planungsräume, a saved status class with labels and the children 6–10 per area. Import
// (360Giving JSON round trip and schema, flat CSV, the department template, Decidim), the
// running-on-date rule, gaps, overlaps, coverage, budget per head, priority areas, the rights
// matrix, history and audit trail.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SCHEMA_DIR, SCHEMA_MISSING } from '../helpers/giving360.ts';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir, square } from '../helpers/files.ts';
import { SYSTEM, ANONYMOUS, type Principal } from '../../src/core/access.ts';
import { Forbidden, InputRejected, NotFound, Unauthorized } from '../../src/core/problems.ts';
import { importAreaRecords } from '../../src/services/areas.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { insertDepartment } from '../../src/store/accounts.ts';
import {
  importMeasures,
  exportMeasures,
  listMeasures,
  getMeasure,
  measuresAgainstNeed,
  gapsToCsv,
  setPriorityAreas,
  deleteMeasure,
} from '../../src/services/measures.ts';
import { readAudit } from '../../src/services/audit.ts';
import { checkGiving360 } from '../../src/formats/giving360-schema.ts';
import { isRunningOn, parseEuroCents } from '../../src/core/measures.ts';

const FIXTURES = resolve(fileURLToPath(new URL('../fixtures/measures', import.meta.url)));

const steward = (department: string): Principal => ({
  kind: 'user',
  id: 10,
  name: `s.${department}`,
  role: 'steward',
  department,
});
const viewer = (department: string | null): Principal => ({
  kind: 'user',
  id: 11,
  name: 'v.viewer',
  role: 'viewer',
  department,
});
const admin: Principal = { kind: 'user', id: 12, name: 'chefin', role: 'admin', department: null };

// Planungsräume 01 (class 1 "sehr niedrig", 100 children), 02 (class 1, 300 children),
// 03 (class 2 "niedrig", 50 children), 04 (class 4 "hoch", 80 children).
const PLR = [
  { code: '01', name: 'Nordufer', parent: 'A', x: 0, y: 0, klasse: 1, kinder: 100 },
  { code: '02', name: 'Mühlenviertel', parent: 'A', x: 0.01, y: 0, klasse: 1, kinder: 300 },
  { code: '03', name: 'Kirchplatz', parent: 'B', x: 0, y: 0.01, klasse: 2, kinder: 50 },
  { code: '04', name: 'Südhang', parent: 'B', x: 0.01, y: 0.01, klasse: 4, kinder: 80 },
];

function grant(
  id: string,
  o: {
    department?: string;
    fields?: string[];
    groups?: string[];
    locations?: unknown[];
    planned?: [string, string?];
    actual?: [string, string?];
    status?: string;
    budget?: [number, number][];
  } = {},
) {
  const dept = o.department ?? 'jugend';
  return {
    id,
    title: `Maßnahme ${id}`,
    description: 'Beschreibung',
    currency: 'EUR',
    amountAwarded: (o.budget ?? []).reduce((t, [, v]) => t + v, 0),
    awardDate: '2023-12-01',
    ...(o.planned
      ? { plannedDates: [{ startDate: o.planned[0], ...(o.planned[1] ? { endDate: o.planned[1] } : {}) }] }
      : {}),
    ...(o.actual
      ? { actualDates: [{ startDate: o.actual[0], ...(o.actual[1] ? { endDate: o.actual[1] } : {}) }] }
      : {}),
    recipientOrganization: [{ id: 'DE-TRAEGER-1', name: 'Kinderhaus e. V.' }],
    fundingOrganization: [{ id: dept, name: dept, department: dept }],
    beneficiaryLocation: o.locations ?? [{ geoCode: '01', geoCodeType: 'planungsraum' }],
    classifications: [
      ...(o.fields ?? ['jugend']).map((code) => ({ vocabulary: 'kommunalmonitor:handlungsfeld', code, title: code })),
      ...(o.groups ?? ['kinder_6_10']).map((code) => ({ vocabulary: 'kommunalmonitor:zielgruppe', code, title: code })),
      ...(o.status ? [{ vocabulary: 'kommunalmonitor:status', code: o.status, title: o.status }] : []),
      { vocabulary: 'kommunalmonitor:vertraulichkeit', code: 'internal', title: 'internal' },
    ],
    ...(o.budget
      ? {
          commitmentTransaction: o.budget.map(([y, v]) => ({
            id: `${id}-plan-${y}`,
            transactionDate: `${y}-01-01`,
            currency: 'EUR',
            value: v,
          })),
        }
      : {}),
  };
}

const pkg = (grants: unknown[]) =>
  JSON.stringify({ version: '1.4', title: 'Test', publisher: { name: 'Stadt' }, grants });

for (const engine of engines) {
  describe(`measures against need [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    const tmp = tempDir();
    before(async () => {
      db = await openEngine(engine);
      for (const [k, n] of [
        ['statistik', 'Statistikstelle'],
        ['jugend', 'Jugendamt'],
        ['bildung', 'Bildung'],
      ])
        await insertDepartment(db, k, n);
      await importAreaRecords(
        db,
        {
          crs: 'EPSG:4326',
          problems: [],
          records: [
            {
              code: 'A',
              name: 'Bezirk A',
              parentCode: null,
              geometry: {
                type: 'Polygon',
                coordinates: [
                  [
                    [0, 0],
                    [0.02, 0],
                    [0.02, 0.01],
                    [0, 0.01],
                    [0, 0],
                  ],
                ],
              },
              properties: {},
            },
            {
              code: 'B',
              name: 'Bezirk B',
              parentCode: null,
              geometry: {
                type: 'Polygon',
                coordinates: [
                  [
                    [0, 0.01],
                    [0.02, 0.01],
                    [0.02, 0.02],
                    [0, 0.02],
                    [0, 0.01],
                  ],
                ],
              },
              properties: {},
            },
          ],
        },
        { layer: 'bezirk', layerName: 'Bezirke' },
      );
      await importAreaRecords(
        db,
        {
          crs: 'EPSG:4326',
          problems: [],
          records: PLR.map((p) => ({
            code: p.code,
            name: p.name,
            parentCode: p.parent,
            geometry: square(p.x, p.y, 0.01),
            properties: {},
          })),
        },
        { layer: 'planungsraum', layerName: 'Planungsräume', parentLayer: 'bezirk' },
      );
      await importCatalogue(db, {
        dimensions: [{ key: 'altersgruppe', name: 'Altersgruppe', members: [{ key: '6_10', name: '6 bis unter 10' }] }],
        indicators: [
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
            key: 'status_klasse',
            name: 'Status (Klasse)',
            unit: 'Klasse',
            type: 'value',
            owner: 'statistik',
            confidentiality: 'public',
          },
        ],
      });
      const csv = [
        'indicator;area;period;altersgruppe;value',
        ...PLR.flatMap((p) => [
          `einwohner;${p.code};2023-12-31;6_10;${p.kinder}`,
          `status_klasse;${p.code};2023-12-31;;${p.klasse}`,
        ]),
      ].join('\n');
      await importObservations(db, tmp.file('obs.csv', csv + '\n'), { layer: 'planungsraum' });
      // The class labels of a saved status index live in the derived indicator's lineage.
      await db.query(`UPDATE indicator SET lineage = $1 WHERE key = 'status_klasse'`, [
        JSON.stringify({ kind: 'index', labels: ['sehr niedrig', 'niedrig', 'mittel', 'hoch'] }),
      ]);
    });
    after(async () => {
      await db.close();
      tmp.cleanup();
    });

    test('amounts are parsed exactly and the running rule follows the issue', () => {
      assert.equal(parseEuroCents('12.345,67'), 1234567);
      assert.equal(parseEuroCents('0,1'), 10);
      assert.equal(parseEuroCents('1,234.56', '.'), 123456);
      assert.equal(parseEuroCents('12,345'), null);
      const m = (
        status: 'laufend' | 'abgebrochen',
        planned: [string | null, string | null],
        actual: [string | null, string | null],
      ) => ({ status, planned: { start: planned[0], end: planned[1] }, actual: { start: actual[0], end: actual[1] } });
      assert.equal(
        isRunningOn(m('laufend', ['2024-01-01', '2024-12-31'], [null, null]), '2024-06-30'),
        true,
        'planned period when no actual one',
      );
      assert.equal(
        isRunningOn(m('laufend', ['2024-01-01', '2024-12-31'], ['2024-08-01', null]), '2024-06-30'),
        false,
        'the actual period wins',
      );
      assert.equal(
        isRunningOn(m('abgebrochen', ['2024-01-01', '2024-12-31'], [null, null]), '2024-06-30'),
        false,
        'a stopped measure does not run',
      );
      assert.equal(
        isRunningOn(m('laufend', ['2024-01-01', '2024-06-30'], [null, null]), '2024-06-30'),
        true,
        'the end date is inside',
      );
    });

    test('a 360Giving package with a bad record changes nothing and names the places', async () => {
      const bad = pkg([
        grant('G-1'),
        grant('G-2', { locations: [{ geoCode: '99', geoCodeType: 'planungsraum' }] }),
        grant('G-3', { fields: ['raumfahrt'] }),
      ]);
      await assert.rejects(importMeasures(db, tmp.file('bad.json', bad)), (e: unknown) => {
        assert.ok(e instanceof InputRejected);
        const cols = e.problems.map((p) => p.column);
        assert.ok(cols.includes('grants/1/beneficiaryLocation'), JSON.stringify(e.problems));
        assert.ok(cols.includes('grants/2/handlungsfeld'));
        return true;
      });
      assert.equal((await listMeasures(db, SYSTEM)).length, 0, 'all or nothing');
    });

    test('gaps, overlaps, budget per head and coverage with known answers', async () => {
      const file = tmp.file(
        'massnahmen.json',
        pkg([
          // Runs in 02 on 2024-06-30 (planned period), 12,000 € in 2024.
          grant('G-10', {
            locations: [{ geoCode: '02', geoCodeType: 'planungsraum' }],
            planned: ['2024-01-01', '2024-12-31'],
            budget: [[2024, 12000]],
          }),
          // Also in 02, by a point inside it: an overlap.
          grant('G-11', {
            locations: [{ latitude: 0.005, longitude: 0.015, name: 'Treff' }],
            planned: ['2024-03-01', '2025-02-28'],
            budget: [[2024, 3000.5]],
          }),
          // Whole Bezirk B (03 and 04): budget split evenly.
          grant('G-12', {
            locations: [{ geoCode: 'B', geoCodeType: 'bezirk' }],
            planned: ['2024-01-01', '2024-12-31'],
            budget: [[2024, 1000]],
          }),
          // Planned in 01 but stopped: does not count.
          grant('G-13', {
            locations: [{ geoCode: '01', geoCodeType: 'planungsraum' }],
            planned: ['2024-01-01', '2024-12-31'],
            status: 'abgebrochen',
          }),
          // Another field of action in 01: does not count for jugend.
          grant('G-14', { fields: ['gesundheit'], planned: ['2024-01-01', '2024-12-31'] }),
          // Actual period starts later than the date: not running on 2024-06-30.
          grant('G-15', { planned: ['2024-01-01', '2024-12-31'], actual: ['2024-09-01'] }),
        ]),
      );
      const r = await importMeasures(db, file, { schemaDir: SCHEMA_MISSING ? undefined : SCHEMA_DIR });
      assert.equal(r.inserted, 6);
      const a = await measuresAgainstNeed(db, SYSTEM, {
        layer: 'planungsraum',
        need: 'status_klasse',
        classes: ['sehr niedrig', 'niedrig'],
        field: 'jugend',
        targetGroup: 'kinder_6_10',
        at: '2024-06-30',
      });
      // Ranked by need (class of the first label first), then by the size of the target group.
      assert.deepEqual(
        a.rows.map((x) => [x.code, x.needLabel, x.runningMeasures, x.budgetCents]),
        [
          ['02', 'sehr niedrig', 2, 1_500_050],
          ['01', 'sehr niedrig', 0, 0],
          ['03', 'niedrig', 1, 50_000],
        ],
      );
      assert.equal(a.rows[0].budgetPerHead, 50, '15,000.50 € for 300 children');
      assert.deepEqual(
        a.overlaps.map((x) => x.code),
        ['02'],
      );
      // 300 + 50 of 450 children in the high-need areas are reached.
      assert.equal(a.coverage.population, 450);
      assert.equal(a.coverage.reached, 350);
      assert.equal(Math.round(a.coverage.share! * 1000), 778);
      const csv = gapsToCsv(a);
      assert.equal(csv.split('\n')[0], 'area;name;need_class;running_measures;budget');
      assert.equal(csv.split('\n')[2], '01;Nordufer;sehr niedrig;0;0,00');
      // Class numbers work as well as labels.
      const byNumber = await measuresAgainstNeed(db, SYSTEM, {
        layer: 'planungsraum',
        need: 'status_klasse',
        classes: ['1'],
        field: 'jugend',
        targetGroup: 'kinder_6_10',
        at: '2024-06-30',
      });
      assert.deepEqual(
        byNumber.rows.map((x) => x.code),
        ['02', '01'],
      );
      await assert.rejects(
        measuresAgainstNeed(db, SYSTEM, {
          layer: 'planungsraum',
          need: 'status_klasse',
          classes: ['unbekannt'],
          at: '2024-06-30',
        }),
        InputRejected,
      );
    });

    test(
      '360Giving export validates against the schema and round-trips without loss',
      { skip: SCHEMA_MISSING },
      async () => {
        const out = await exportMeasures(db, SYSTEM, '360giving');
        const doc = JSON.parse(out);
        const check = checkGiving360(doc, SCHEMA_DIR);
        assert.equal(check.valid, true, JSON.stringify(check.problems.slice(0, 5)));
        // Re-importing the export changes nothing; a second database gets the same export.
        const again = await importMeasures(db, tmp.file('export.json', out));
        assert.equal(again.unchanged, doc.grants.length);
        assert.equal(again.inserted + again.updated, 0);
        const other = await openEngine(engine);
        try {
          for (const [k, n] of [
            ['statistik', 'Statistikstelle'],
            ['jugend', 'Jugendamt'],
            ['bildung', 'Bildung'],
          ])
            await insertDepartment(other, k, n);
          await importAreaRecords(
            other,
            {
              crs: 'EPSG:4326',
              problems: [],
              records: [
                { code: 'A', name: 'Bezirk A', parentCode: null, geometry: square(0, 0, 0.02), properties: {} },
                { code: 'B', name: 'Bezirk B', parentCode: null, geometry: square(0, 0.02, 0.02), properties: {} },
              ],
            },
            { layer: 'bezirk' },
          );
          await importAreaRecords(
            other,
            {
              crs: 'EPSG:4326',
              problems: [],
              records: PLR.map((p) => ({
                code: p.code,
                name: p.name,
                parentCode: null,
                geometry: square(p.x, p.y, 0.01),
                properties: {},
              })),
            },
            { layer: 'planungsraum' },
          );
          await importMeasures(other, tmp.file('export2.json', out));
          const second = JSON.parse(await exportMeasures(other, SYSTEM, '360giving'));
          assert.deepEqual(second.grants, doc.grants);
          // The flat CSV carries the same grants.
          const flat = await exportMeasures(other, SYSTEM, '360giving-csv');
          const viaCsv = await importMeasures(other, tmp.file('flat.csv', flat));
          assert.equal(viaCsv.format, '360giving-csv');
          assert.equal(viaCsv.unchanged, doc.grants.length, 'the flat CSV is the same measures');
        } finally {
          await other.close();
        }
      },
    );

    test('the department template (CSV) with German numbers and dates; errors are positioned', async () => {
      const head =
        'Kennung;Titel;Fachbereich;Träger;Status;Beginn geplant;Ende geplant;Handlungsfelder;Zielgruppen;Gebiete;Budget 2024 geplant;Budget 2024 ausgegeben';
      const good = `${head}\nT-1;Hausaufgabenhilfe;bildung;Lernen e. V.;laufend;01.02.2024;31.07.2025;Schule;Kinder 6–10;planungsraum:01;12.345,67;1.000\n`;
      const r = await importMeasures(db, tmp.file('vorlage.csv', good));
      assert.equal(r.format, 'template');
      const m = await getMeasure(db, SYSTEM, 'T-1');
      assert.deepEqual(m.budget, [{ year: 2024, plannedCents: 1_234_567, spentCents: 100_000 }]);
      assert.deepEqual(
        [m.fields, m.targetGroups, m.planned],
        [['schule'], ['kinder_6_10'], { start: '2024-02-01', end: '2025-07-31' }],
      );
      const bad = `${head}\nT-2;Lesepaten;bildung;;laufend;2024-13-01;;Schule;Kinder 6–10;planungsraum:01;12,345;\n`;
      await assert.rejects(importMeasures(db, tmp.file('vorlage-fehler.csv', bad)), (e: unknown) => {
        assert.ok(e instanceof InputRejected);
        const where = e.problems.map((p) => `${p.line}:${p.column}`);
        assert.ok(where.includes('2:Beginn geplant'), where.join(' '));
        assert.ok(where.includes('2:Budget 2024 geplant'));
        return true;
      });
      await assert.rejects(getMeasure(db, SYSTEM, 'T-2'), NotFound);
    });

    test('a Decidim accountability CSV', async () => {
      const r = await importMeasures(db, resolve(FIXTURES, 'decidim-accountability.csv'), {
        department: 'jugend',
        scopeLayer: 'planungsraum',
      });
      assert.equal(r.format, 'decidim');
      assert.equal(r.inserted, 3);
      const done = await getMeasure(db, SYSTEM, 'decidim-MS-ACCO-2023-04-3');
      assert.equal(done.status, 'abgeschlossen');
      assert.deepEqual(done.locations, [{ kind: 'area', layer: 'planungsraum', code: '03', name: 'Kirchplatz' }]);
      assert.deepEqual(done.fields, ['wohnumfeld']);
      assert.equal(done.title, 'Neuer Bolzplatz am Kirchplatz');
    });

    test('a goal linked to a catalogue indicator reads its progress from the data', async () => {
      const g = {
        ...grant('P-1', {
          planned: ['2024-01-01', '2024-12-31'],
          locations: [{ geoCode: '02', geoCodeType: 'planungsraum' }],
        }),
        kommunalmonitor: {
          goals: [
            {
              title: 'Statusklasse verbessern',
              indicator: 'status_klasse',
              unit: 'Klasse',
              baseline: 1,
              target: 2,
              actuals: [],
            },
          ],
          milestones: [],
        },
      };
      await importMeasures(db, tmp.file('p.json', pkg([g])));
      const m = await getMeasure(db, SYSTEM, 'P-1');
      assert.deepEqual(
        m.progress.map((p) => [p.indicator, p.area, p.points.map((x) => [x.period, x.value])]),
        [['status_klasse', '02', [['2023-12-31', 1]]]],
      );
    });

    test('rights matrix: departments own their measures; confidentiality; audit trail and history', async () => {
      const one = (id: string, dept: string, conf = 'internal') => {
        const g = grant(id, { department: dept, planned: ['2024-01-01', '2024-12-31'] });
        g.classifications = g.classifications.map((c) =>
          c.vocabulary === 'kommunalmonitor:vertraulichkeit' ? { ...c, code: conf, title: conf } : c,
        );
        return g;
      };
      // Writing: own department yes, other department no, viewers and the public no.
      await importMeasures(db, tmp.file('r1.json', pkg([one('R-1', 'jugend')])), { principal: steward('jugend') });
      await assert.rejects(
        importMeasures(db, tmp.file('r2.json', pkg([one('R-2', 'jugend')])), { principal: steward('bildung') }),
        Forbidden,
      );
      await assert.rejects(
        importMeasures(db, tmp.file('r3.json', pkg([{ ...one('R-1', 'bildung') }])), { principal: steward('bildung') }),
        Forbidden,
        'taking over another department’s measure',
      );
      await assert.rejects(
        importMeasures(db, tmp.file('r4.json', pkg([one('R-4', 'jugend')])), { principal: viewer('jugend') }),
        Forbidden,
      );
      await assert.rejects(
        importMeasures(db, tmp.file('r5.json', pkg([one('R-5', 'jugend')])), { principal: ANONYMOUS }),
        Unauthorized,
      );
      await importMeasures(
        db,
        tmp.file('r6.json', pkg([one('R-6', 'bildung', 'restricted'), one('R-7', 'bildung', 'public')])),
        { principal: admin },
      );
      // Reading: public for everyone, internal for the signed-in, restricted for its department.
      const keys = async (p: Principal) =>
        (await listMeasures(db, p)).map((m) => m.key).filter((k) => k.startsWith('R-'));
      assert.deepEqual(await keys(ANONYMOUS), ['R-7']);
      assert.deepEqual(await keys(viewer(null)), ['R-1', 'R-7']);
      assert.deepEqual(await keys(viewer('bildung')), ['R-1', 'R-6', 'R-7']);
      assert.deepEqual(await keys(admin), ['R-1', 'R-7'], 'admins manage users, not restricted data');
      await assert.rejects(getMeasure(db, viewer('jugend'), 'R-6'), NotFound, 'a restricted measure is hidden');
      await assert.rejects(getMeasure(db, ANONYMOUS, 'R-1'), Unauthorized);
      // History and audit trail.
      const changed = one('R-1', 'jugend');
      changed.title = 'Neuer Titel';
      await importMeasures(db, tmp.file('r7.json', pkg([changed])), { principal: steward('jugend') });
      const h = await getMeasure(db, SYSTEM, 'R-1');
      assert.equal(h.version, 2);
      assert.deepEqual(
        h.history.map((x) => [x.version, x.action, x.actor]),
        [
          [1, 'create', 's.jugend'],
          [2, 'update', 's.jugend'],
        ],
      );
      assert.equal(h.history[0].record.title, 'Maßnahme R-1');
      await assert.rejects(deleteMeasure(db, steward('bildung'), 'R-1'), Forbidden);
      await deleteMeasure(db, steward('jugend'), 'R-1');
      const trail = await readAudit(db, { actor: 's.jugend' });
      assert.deepEqual(trail.map((t) => t.action).sort(), ['measures.delete', 'measures.import', 'measures.import']);
    });

    test('priority areas by rule and by hand, versioned by date, as the need of the gaps', async () => {
      await setPriorityAreas(db, SYSTEM, {
        key: 'interventionsgebiete',
        name: 'Interventionsgebiete',
        layer: 'planungsraum',
        validFrom: '2023-01-01',
        indicator: 'status_klasse',
        classes: ['sehr niedrig'],
      });
      await setPriorityAreas(db, SYSTEM, {
        key: 'interventionsgebiete',
        name: 'Interventionsgebiete',
        layer: 'planungsraum',
        validFrom: '2025-01-01',
        codes: ['01', '04'],
      });
      const early = await measuresAgainstNeed(db, SYSTEM, {
        layer: 'planungsraum',
        need: 'priority:interventionsgebiete',
        field: 'jugend',
        targetGroup: 'kinder_6_10',
        at: '2024-06-30',
      });
      assert.deepEqual(
        early.rows.map((r) => r.code),
        ['02', '01'],
        'ranked by the size of the target group',
      );
      const late = await measuresAgainstNeed(db, SYSTEM, {
        layer: 'planungsraum',
        need: 'priority:interventionsgebiete',
        at: '2025-06-30',
      });
      assert.deepEqual(late.rows.map((r) => r.code).sort(), ['01', '04']);
      await assert.rejects(
        setPriorityAreas(db, viewer('jugend'), {
          key: 'x',
          name: 'x',
          layer: 'planungsraum',
          validFrom: '2024-01-01',
          codes: ['01'],
        }),
        Forbidden,
      );
    });
  });
}

test('the Decidim fixture is a realistic accountability export', () => {
  const text = readFileSync(resolve(FIXTURES, 'decidim-accountability.csv'), 'utf8');
  assert.match(text.split('\n')[0], /^id;category\/id;category\/name\/de;/);
});
