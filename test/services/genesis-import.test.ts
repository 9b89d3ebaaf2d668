// Importing GENESIS flat files (ffcsv) into the statistics database: a Regionaldatenbank table
// onto a tiny layer of municipalities (by area code and by an AGS attribute), statuses from the
// symbols and flags, positioned errors that change nothing, and export → import round trips.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import type { Database } from '../../src/store/db.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { engines, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogueFile } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { exportObservations } from '../../src/services/export.ts';
import { getObservations } from '../../src/services/query.ts';
import { InputRejected, type Problem } from '../../src/core/problems.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'genesis', '12411-02-03-5_flat.csv');
const CATALOGUE = `
dimensions:
  - key: geschlecht
    name: Geschlecht
    members: [{ key: m, name: männlich }, { key: w, name: weiblich }]
indicators:
  - { key: einwohner, name: Einwohner, unit: Personen, type: count, dimensions: [geschlecht], source: Statistisches Landesamt, confidentiality: public, themes: [Bevölkerung] }
  - { key: einwohner_kopie, name: Einwohner (Kopie), unit: Personen, type: count, dimensions: [geschlecht], source: Statistisches Landesamt, confidentiality: public, themes: [Bevölkerung] }
  - { key: einwohner_gesamt, name: Einwohner insgesamt, unit: Personen, type: count, source: Statistisches Landesamt, confidentiality: public, themes: [Bevölkerung] }
`;

async function problemsOf(p: Promise<unknown>): Promise<Problem[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputRejected) return e.problems.filter((x) => x.severity === 'error');
    throw e;
  }
  assert.fail('the import was expected to be rejected');
}

describe('GENESIS flat file import [pglite]', () => {
  let db: Database;
  const tmp = tempDir();
  const values = async (indicator: string, layer: string, period: string, sex: string) => {
    const a = await getObservations(db, { indicator, layer, period, filter: { geschlecht: sex } }, SYSTEM);
    return Object.fromEntries(a.values.map((v) => [v.area, [v.value, v.status]]));
  };
  const count = async () => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM observation')).rows[0].n);

  before(async () => {
    db = await openEngine(engines[0]);
    // The city's own codes with the AGS as an attribute, and a layer whose codes are the AGS.
    await importAreas(
      db,
      tmp.file(
        'gemeinden.csv',
        'code;name;ags;ars\n113;Bayerisch Eisenstein;09276113;092760113113\n130;Lindberg;09276130;092760130130\n138;Rinchnach;09276138;092765138138\n',
      ),
      { layer: 'gemeinde' },
    );
    await importAreas(
      db,
      tmp.file(
        'gemeinden_ags.csv',
        'code;name\n09276113;Bayerisch Eisenstein\n09276130;Lindberg\n09276138;Rinchnach\n',
      ),
      { layer: 'gemeinde_ags' },
    );
    await importCatalogueFile(db, tmp.file('katalog.yaml', CATALOGUE));
  });
  after(async () => {
    await db?.close();
    tmp.cleanup();
  });

  test('a table with Land and Kreis rows is rejected naming the first unknown key; nothing changes', async () => {
    const before = await count();
    const problems = await problemsOf(
      importObservations(db, FIXTURE, { layer: 'gemeinde_ags', indicator: 'einwohner' }),
    );
    assert.deepEqual(
      [problems[0].code, problems[0].line, problems[0].column, problems[0].value],
      ['unknown-area', 2, '1_Auspraegung_Code', 'DG'],
    );
    assert.equal(await count(), before);
  });

  test('by the AGS attribute of the areas, skipping the other areas: values, statuses, totals left to the sums', async () => {
    const r = await importObservations(db, FIXTURE, {
      layer: 'gemeinde',
      indicator: 'einwohner',
      areaKeyProperty: 'ags',
      skipUnknownAreas: true,
    });
    assert.equal(r.format, 'genesis');
    assert.equal(r.rows, 36);
    assert.equal(r.observations, 12, '3 municipalities × 2 sexes × 2 reference dates');
    assert.deepEqual(r.periods, ['2021-12-31', '2022-12-31']);
    assert.deepEqual(r.warnings.map((w) => w.code).sort(), ['areas-skipped', 'totals-skipped']);
    assert.match(r.warnings.find((w) => w.code === 'areas-skipped')!.reason, /^18 row/);
    assert.match(r.warnings.find((w) => w.code === 'totals-skipped')!.reason, /^6 row/);
    assert.deepEqual(
      await values('einwohner', 'gemeinde', '2021-12-31', 'm'),
      { 113: [556, 'final'], 130: [1129, 'final'], 138: [0, 'final'] },
      '"-" is exactly nothing',
    );
    assert.deepEqual(
      await values('einwohner', 'gemeinde', '2021-12-31', 'w'),
      { 113: [531, 'final'], 130: [1107, 'final'], 138: [null, 'suppressed'] },
      '"." is secret: no value, never 0',
    );
    assert.deepEqual(await values('einwohner', 'gemeinde', '2022-12-31', 'w'), {
      113: [null, 'suppressed'],
      130: [1119, 'provisional'],
      138: [null, 'missing'],
    });
  });

  test('area codes that are the official keys, as a Windows-1252 file: the same values', async () => {
    const latin = tmp.file(
      '12411-02-03-5_latin1.csv',
      iconv.encode(readFileSync(FIXTURE, 'utf8').replace(/^\uFEFF/, ''), 'windows-1252'),
    );
    const r = await importObservations(db, latin, {
      layer: 'gemeinde_ags',
      indicator: 'einwohner',
      skipUnknownAreas: true,
    });
    assert.equal(r.observations, 12);
    assert.deepEqual(await values('einwohner', 'gemeinde_ags', '2022-12-31', 'm'), {
      '09276113': [561, 'provisional'],
      '09276130': [1142, 'provisional'],
      '09276138': [null, 'missing'],
    });
  });

  test('bad cells are rejected with line, column, value and hint, and change nothing', async () => {
    const lines = readFileSync(FIXTURE, 'utf8').split('\r\n');
    lines[10] = lines[10].replace(/;556;e$/, ';55.6;e');
    lines[13] = lines[13].replace(/;1129;e$/, ';1129;u');
    lines[14] = lines[14].replace(/;1107;e$/, ';elf;e');
    const path = tmp.file('bad_flat.csv', lines.join('\r\n'));
    const before = await count();
    const problems = await problemsOf(
      importObservations(db, path, {
        layer: 'gemeinde',
        indicator: 'einwohner',
        areaKeyProperty: 'ags',
        skipUnknownAreas: true,
      }),
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.line, p.column]),
      [
        ['bad-value', 11, 'BEVSTD__Bevoelkerungsstand__Anzahl'],
        ['bad-value', 14, 'BEVSTD__Bevoelkerungsstand__q'],
        ['bad-value', 15, 'BEVSTD__Bevoelkerungsstand__Anzahl'],
      ],
    );
    assert.match(problems[0].reason, /decimal separator/);
    assert.match(problems[1].reason, /unknown quality flag "u"/);
    assert.equal(problems[1].value, '1129 (quality u)');
    assert.ok(problems.every((p) => p.hint));
    assert.equal(await count(), before);
    assert.deepEqual(
      (await values('einwohner', 'gemeinde', '2021-12-31', 'm'))[113],
      [556, 'final'],
      'the stored value is untouched',
    );
  });

  test('options that do not fit the file: missing indicator, a breakdown the indicator lacks, an unknown key property', async () => {
    const none = await problemsOf(importObservations(db, FIXTURE, { layer: 'gemeinde', format: 'genesis' }));
    assert.equal(none[0].code, 'missing-option');
    assert.match(none[0].hint!, /--indicator KEY/);
    const unmapped = await problemsOf(
      importObservations(db, FIXTURE, { layer: 'gemeinde_ags', indicator: 'einwohner_gesamt', skipUnknownAreas: true }),
    );
    assert.deepEqual(
      [unmapped[0].code, unmapped[0].column, unmapped[0].value],
      ['unmapped-variable', '2_Auspraegung_Code', 'GES'],
    );
    assert.match(unmapped[0].hint!, /--dimension GES=DIMENSION/);
    const prop = await problemsOf(
      importObservations(db, FIXTURE, {
        layer: 'gemeinde',
        indicator: 'einwohner',
        areaKeyProperty: 'regionalschluessel',
      }),
    );
    assert.equal(prop[0].code, 'unknown-property');
  });

  test('explicit member mapping: --member renames attributes the catalogue names differently', async () => {
    const path = tmp.file(
      'codes_flat.csv',
      readFileSync(FIXTURE, 'utf8')
        .replace(/;männlich;/g, ';Männer;')
        .replace(/;weiblich;/g, ';Frauen;'),
    );
    const problems = await problemsOf(
      importObservations(db, path, { layer: 'gemeinde_ags', indicator: 'einwohner_kopie', skipUnknownAreas: true }),
    );
    assert.deepEqual([problems[0].code, problems[0].value], ['unknown-member', 'GESM (Männer)']);
    assert.match(problems[0].hint!, /--member GES:GESM=MEMBER/);
    const r = await importObservations(db, path, {
      layer: 'gemeinde_ags',
      indicator: 'einwohner_kopie',
      skipUnknownAreas: true,
      dimension: ['GES=geschlecht'],
      member: ['GES:GESM=m', 'GES:GESW=w'],
      dryRun: true,
    });
    assert.equal(r.observations, 12);
  });

  test('the 2024 layout (Zensus 2022): value variables chosen with --map, areas by their ARS attribute', async () => {
    const head =
      'statistics_code;statistics_label;time_code;time_label;time;1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label;value;value_unit;value_variable_code;value_variable_label;value_q';
    const row = (ars: string, name: string, value: string, unit: string, code: string, label: string) =>
      `1000A;Bevölkerung kompakt (Gebietsstand 15.05.2022);STAG;Stichtag;2022-05-15;GEOGM4;Gemeinden (Gebietsstand 15.05.2022);${ars};${name};${value};${unit};${code};${label};e`;
    const path = tmp.file(
      '1000A-0001_de_flat.csv',
      [
        head,
        row('092760113113', 'Bayerisch Eisenstein', '1082', 'Anzahl', 'PRS018', 'Personen'),
        row('092760113113', 'Bayerisch Eisenstein', '43,37', 'qkm', 'FLC001', 'Fläche'),
        row('092760130130', 'Lindberg', '2294', 'Anzahl', 'PRS018', 'Personen'),
        row('092760130130', 'Lindberg', '108,84', 'qkm', 'FLC001', 'Fläche'),
      ].join('\n'),
    );
    const several = await problemsOf(
      importObservations(db, path, { layer: 'gemeinde', indicator: 'einwohner_gesamt', areaKeyProperty: 'ars' }),
    );
    assert.deepEqual(
      [several[0].code, several[0].line, several[0].column, several[0].value],
      ['several-value-columns', 3, 'value_variable_code', 'FLC001'],
    );
    const r = await importObservations(db, path, {
      layer: 'gemeinde',
      map: ['PRS018=einwohner_gesamt'],
      areaKeyProperty: 'ars',
    });
    assert.deepEqual([r.format, r.observations, r.periods], ['genesis', 2, ['2022-05-15']]);
    assert.deepEqual(
      r.warnings.map((w) => w.code),
      ['values-skipped'],
    );
    const a = await getObservations(
      db,
      { indicator: 'einwohner_gesamt', layer: 'gemeinde', period: '2022-05-15' },
      SYSTEM,
    );
    assert.deepEqual(
      a.values.map((v) => [v.area, v.value, v.status]),
      [
        ['113', 1082, 'final'],
        ['130', 2294, 'final'],
        ['138', null, 'missing'],
      ],
    );
  });

  test('export as a flat file, then import: the same values and statuses', async () => {
    for (const [period, sex] of [
      ['2021-12-31', 'w'],
      ['2022-12-31', 'w'],
      ['2021-12-31', 'm'],
    ] as const) {
      const text = String(
        await exportObservations(
          db,
          { indicator: 'einwohner', layer: 'gemeinde', period, filter: { geschlecht: sex } },
          SYSTEM,
          'genesis',
        ),
      );
      assert.ok(
        text.startsWith(
          '\uFEFFStatistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label;2_Merkmal_Code;',
        ),
      );
      const path = tmp.file(`einwohner_${period}_${sex}_flat.csv`, text);
      const r = await importObservations(db, path, { layer: 'gemeinde', map: ['EINWOHNER=einwohner_kopie'] });
      assert.equal(r.format, 'genesis');
      assert.deepEqual(
        await values('einwohner_kopie', 'gemeinde', period, sex),
        await values('einwohner', 'gemeinde', period, sex),
      );
    }
  });
});
