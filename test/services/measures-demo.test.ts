// The measure registry on the demo city (issue #17): about 150 measures of several departments
// and providers, imported as a 360Giving package; the saved status index gives the need classes;
// gaps, overlaps and coverage agree with a count by hand over the stored measures; the exact CLI
// command of the issue prints its CSV.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { saveIndex } from '../../src/services/analysis.ts';
import { indexTemplate } from '../../src/core/stats/templates.ts';
import { listMeasures, measuresAgainstNeed, exportMeasures } from '../../src/services/measures.ts';
import { isRunningOn } from '../../src/core/measures.ts';
import { selectMeasuresForAnalysis } from '../../src/store/measures.ts';
import { checkGiving360 } from '../../src/formats/giving360-schema.ts';
import { tempDir } from '../helpers/files.ts';
import { run } from '../helpers/cli.ts';
import { openWorkbook, type XlsxRow } from '../../src/formats/xlsx-reader.ts';
import { SCHEMA_DIR, SCHEMA_MISSING } from '../helpers/giving360.ts';

describe('measures on the demo city', () => {
  const tmp = tempDir();
  let db: Database;
  before(async () => {
    db = await openDatabase({ dataDir: tmp.dir });
    await migrate(db);
    await loadDemo(db, { addresses: false, dailyUntil: '2024-12-31' });
    await saveIndex(db, SYSTEM, indexTemplate('status', { layer: 'stadtteil', period: '2024-12-31' }));
  });
  after(async () => {
    await db?.close();
    tmp.cleanup();
  });

  test('about 150 measures of several departments and providers, valid 360Giving', async () => {
    const all = await listMeasures(db, SYSTEM);
    assert.ok(all.length >= 140 && all.length <= 160, String(all.length));
    assert.ok(new Set(all.map((m) => m.department)).size >= 5);
    assert.ok(new Set(all.map((m) => m.provider?.id).filter(Boolean)).size >= 6);
    assert.ok(
      all.some((m) => m.status === 'laufend') &&
        all.some((m) => m.status === 'abgeschlossen') &&
        all.some((m) => m.status === 'geplant'),
    );
    if (!SCHEMA_MISSING) {
      const check = checkGiving360(JSON.parse(await exportMeasures(db, SYSTEM, '360giving')), SCHEMA_DIR);
      assert.equal(check.valid, true, JSON.stringify(check.problems.slice(0, 3)));
    }
  });

  test('gaps and coverage agree with a count by hand', async () => {
    const at = '2024-06-30';
    const a = await measuresAgainstNeed(db, SYSTEM, {
      layer: 'stadtteil',
      need: 'status_klasse',
      classes: ['sehr niedrig', 'niedrig'],
      field: 'schule',
      at,
    });
    assert.ok(a.rows.length > 0 && a.rows.length < 38);
    assert.ok(
      a.rows.every((r, i) => i === 0 || r.needClass !== 4 || a.rows[i - 1].needClass === 4),
      'sehr niedrig (4) ranks before niedrig (3)',
    );
    const running = (await listMeasures(db, SYSTEM, { field: 'schule' })).filter((m) => isRunningOn(m, at));
    for (const r of a.rows) {
      const byHand = running.filter((m) => m.locations.some((l) => l.kind === 'area' && l.code === r.code)).length;
      assert.equal(r.runningMeasures, byHand, r.code);
    }
    const gaps = a.rows.filter((r) => r.runningMeasures === 0);
    assert.ok(gaps.length > 0, 'the demo has high-need areas without a school measure');
    // Coverage of the children 6–10 in those areas.
    const c = await measuresAgainstNeed(db, SYSTEM, {
      layer: 'stadtteil',
      need: 'status_klasse',
      classes: ['sehr niedrig', 'niedrig'],
      field: 'schule',
      targetGroup: 'kinder_6_10',
      at,
    });
    assert.ok(c.coverage.population > 0);
    const reached = c.rows.filter((r) => r.runningMeasures > 0).reduce((t, r) => t + (r.targetPopulation ?? 0), 0);
    assert.equal(c.coverage.reached, reached);
    // Some measures run in low-need areas (the wrong places).
    const low = await measuresAgainstNeed(db, SYSTEM, {
      layer: 'stadtteil',
      need: 'status_klasse',
      classes: ['hoch'],
      at,
    });
    assert.ok(low.rows.some((r) => r.runningMeasures > 0));
  });

  test('the filters applied in SQL keep exactly the measures the core keeps', async () => {
    const all = await selectMeasuresForAnalysis(db, 2024);
    // Every start and end of a measure, and the days around them: where the rule can flip.
    const days = new Set<string>();
    const shift = (d: string, n: number) => new Date(Date.parse(d) + n * 86_400_000).toISOString().slice(0, 10);
    for (const m of all)
      for (const d of [m.planned.start, m.planned.end, m.actual.start, m.actual.end])
        if (d) for (const n of [-1, 0, 1]) days.add(shift(d, n));
    assert.ok(days.size > 50);
    for (const day of days) {
      const sql = (await selectMeasuresForAnalysis(db, 2024, { runningOn: day })).map((m) => m.key);
      assert.deepEqual(
        sql,
        all.filter((m) => isRunningOn(m, day)).map((m) => m.key),
        day,
      );
    }
    const one = all.find((m) => m.status === 'laufend' && m.fields.length && m.targetGroups.length)!;
    const [field, group, department] = [one.fields[0], one.targetGroups[0], one.department];
    const both = await selectMeasuresForAnalysis(db, 2024, {
      field,
      targetGroup: group,
      department,
      status: 'laufend',
    });
    assert.ok(both.length >= 1);
    assert.deepEqual(
      both.map((m) => m.key),
      all
        .filter(
          (m) =>
            m.fields.includes(field) &&
            m.targetGroups.includes(group) &&
            m.department === department &&
            m.status === 'laufend',
        )
        .map((m) => m.key),
    );
    assert.deepEqual(
      both,
      all.filter((m) => both.some((b) => b.key === m.key)),
    );
  });

  test('the CLI command of the issue', async () => {
    await db.close();
    try {
      const r = await run([
        '--data-dir',
        tmp.dir,
        'measures',
        'gaps',
        '--layer',
        'stadtteil',
        '--need',
        'status_klasse',
        '--classes',
        'sehr niedrig',
        '--field',
        'jugend',
        '--target-group',
        'kinder_10_15',
        '--at',
        '2024-06-30',
        '--format',
        'csv',
      ]);
      assert.equal(r.code, 0, r.err);
      const lines = r.out.trim().split('\n');
      assert.equal(lines[0], 'area;name;need_class;running_measures;budget');
      assert.ok(lines.length > 1);
      assert.ok(
        lines.slice(1).every((l) => l.split(';')[2] === 'sehr niedrig'),
        r.out,
      );
      // The same table as a workbook: codes as text, budgets as numbers, a metadata sheet.
      const args = [
        '--data-dir',
        tmp.dir,
        'measures',
        'gaps',
        '--layer',
        'stadtteil',
        '--need',
        'status_klasse',
        '--classes',
        'sehr niedrig',
        '--field',
        'jugend',
        '--target-group',
        'kinder_10_15',
        '--at',
        '2024-06-30',
        '--format',
        'xlsx',
      ];
      const refused = await run(args);
      assert.notEqual(refused.code, 0);
      assert.match(refused.err, /--output/);
      const xlsx = join(tmp.dir, 'luecken.xlsx');
      const w = await run([...args, '--output', xlsx]);
      assert.equal(w.code, 0, w.err);
      const wb = await openWorkbook(xlsx);
      try {
        assert.deepEqual(
          wb.sheets.map((x) => x.name),
          ['Lücken', 'Metadaten'],
        );
        const sheetRows: XlsxRow[] = [];
        for await (const batch of wb.rows(wb.sheets[0])) sheetRows.push(...batch);
        assert.deepEqual(
          sheetRows.map((x) =>
            x.cells
              .slice(0, 5)
              .map((c, j) => (j === 4 && typeof c === 'number' ? c.toFixed(2).replace('.', ',') : String(c ?? '')))
              .join(';'),
          ),
          lines.map((l, i) => (i === 0 ? 'area;name;need_class;running_measures;budget (EUR)' : l)),
        );
        assert.equal(typeof sheetRows[1].cells[0], 'string', 'the area code is text');
      } finally {
        wb.close();
      }
      const list = await run(['--data-dir', tmp.dir, 'measures', 'list', '--field', 'jugend', '--at', '2024-06-30']);
      assert.equal(list.code, 0, list.err);
      assert.match(list.out, /360G-musterstadt-jugend-/);
      const out = await run(['--data-dir', tmp.dir, 'measures', 'export', '--format', '360giving']);
      assert.equal(out.code, 0, out.err);
      const file = tmp.file('out.json', out.out);
      const again = await run(['--data-dir', tmp.dir, '--json', 'measures', 'import', file]);
      assert.equal(again.code, 0, again.err);
      assert.equal(
        JSON.parse(again.out).inserted + JSON.parse(again.out).updated,
        0,
        'the export re-imports unchanged',
      );
    } finally {
      db = await openDatabase({ dataDir: tmp.dir });
    }
  });
});
