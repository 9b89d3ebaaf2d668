// `kommunalmonitor measures …` on a data directory: a bad file exits 1 with positioned errors and
// changes nothing; a good one imports, lists and exports; priority areas by hand.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { insertDepartment } from '../../src/store/accounts.ts';
import { importAreaRecords } from '../../src/services/areas.ts';
import { tempDir, square } from '../helpers/files.ts';
import { run } from '../helpers/cli.ts';
import ExcelJS from 'exceljs';

describe('measures commands', () => {
  const tmp = tempDir();
  before(async () => {
    const db = await openDatabase({ dataDir: tmp.dir });
    await migrate(db);
    await insertDepartment(db, 'jugend', 'Jugendamt');
    await importAreaRecords(
      db,
      {
        crs: 'EPSG:4326',
        problems: [],
        records: ['0101', '0102'].map((c, i) => ({
          code: c,
          name: `Stadtteil ${c}`,
          parentCode: null,
          geometry: square(i * 0.01, 0, 0.01),
          properties: {},
        })),
      },
      { layer: 'stadtteil' },
    );
    await db.close();
  });
  after(() => tmp.cleanup());

  test('a bad template exits 1 naming line and column; a good one imports', async () => {
    const head =
      'Kennung;Titel;Fachbereich;Status;Beginn geplant;Ende geplant;Handlungsfelder;Zielgruppen;Gebiete;Budget 2024 geplant';
    const bad = tmp.file(
      'bad.csv',
      `${head}\nK-1;Jugendtreff;jugend;laufend;01.01.2024;31.12.2024;Jugend;Kinder 10–15;stadtteil:0199;5.000\n`,
    );
    const r = await run(['--data-dir', tmp.dir, 'measures', 'import', bad]);
    assert.equal(r.code, 1);
    assert.match(r.err, /bad\.csv, line 2, column Gebiete: the layer "stadtteil" has no area "0199"/);
    const good = tmp.file(
      'good.csv',
      `${head}\nK-1;Jugendtreff;jugend;laufend;01.01.2024;31.12.2024;Jugend;Kinder 10–15;stadtteil:0101;5.000\n`,
    );
    const ok = await run(['--data-dir', tmp.dir, 'measures', 'import', good]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /1 measure\(s\) — 1 new/);
    const list = await run(['--data-dir', tmp.dir, 'measures', 'list', '--at', '2024-06-30']);
    assert.match(list.out, /K-1/);
    assert.match(list.out, /5\.000,00 €/);
    const gaps = await run([
      '--data-dir',
      tmp.dir,
      'measures',
      'gaps',
      '--layer',
      'stadtteil',
      '--field',
      'jugend',
      '--at',
      '2024-06-30',
      '--format',
      'csv',
    ]);
    assert.equal(
      gaps.out,
      'area;name;need_class;running_measures;budget\n0101;Stadtteil 0101;;1;5000,00\n0102;Stadtteil 0102;;0;0,00\n',
    );
    const csv = await run(['--data-dir', tmp.dir, 'measures', 'export', '--format', 'csv']);
    assert.match(csv.out, /Budget 2024 geplant/);
  });

  test('the template as XLSX: dates and amounts as Excel cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Maßnahmen');
    ws.addRow([
      'Kennung',
      'Titel',
      'Fachbereich',
      'Status',
      'Beginn geplant',
      'Ende geplant',
      'Handlungsfelder',
      'Zielgruppen',
      'Gebiete',
      'Budget 2024 geplant',
      'Budget 2024 ausgegeben',
    ]);
    ws.addRow([
      'X-1',
      'Spielmobil',
      'jugend',
      'laufend',
      new Date(Date.UTC(2024, 2, 1)),
      '31.12.2024',
      'jugend',
      'kinder_6_10',
      'stadtteil:0102',
      12345.67,
      10000,
    ]);
    const path = tmp.dir + '/vorlage.xlsx';
    await wb.xlsx.writeFile(path);
    const r = await run(['--data-dir', tmp.dir, '--json', 'measures', 'import', path]);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).format, 'template');
    const show = JSON.parse((await run(['--data-dir', tmp.dir, 'measures', 'show', 'X-1'])).out);
    assert.deepEqual(show.planned, { start: '2024-03-01', end: '2024-12-31' });
    assert.deepEqual(show.budget, [{ year: 2024, plannedCents: 1234567, spentCents: 1000000 }]);
  });

  test('priority areas by hand', async () => {
    const r = await run([
      '--data-dir',
      tmp.dir,
      'measures',
      'priority',
      'set',
      'foerdergebiet',
      '--layer',
      'stadtteil',
      '--valid-from',
      '2024-01-01',
      '--areas',
      '0102',
    ]);
    assert.equal(r.code, 0, r.err);
    const gaps = await run([
      '--data-dir',
      tmp.dir,
      'measures',
      'gaps',
      '--layer',
      'stadtteil',
      '--need',
      'priority:foerdergebiet',
      '--at',
      '2024-06-30',
      '--format',
      'csv',
    ]);
    // Only the priority area is a row; without a field every running measure counts (the XLSX one there).
    assert.equal(
      gaps.out,
      'area;name;need_class;running_measures;budget\n0102;Stadtteil 0102;foerdergebiet;1;12345,67\n',
    );
    // Before the measure started (2024-03-01) the priority area is a gap.
    const early = await run([
      '--data-dir',
      tmp.dir,
      'measures',
      'gaps',
      '--layer',
      'stadtteil',
      '--need',
      'priority:foerdergebiet',
      '--field',
      'jugend',
      '--at',
      '2024-02-01',
      '--format',
      'csv',
    ]);
    assert.equal(early.out.split('\n')[1], '0102;Stadtteil 0102;foerdergebiet;0;0,00');
  });
});
