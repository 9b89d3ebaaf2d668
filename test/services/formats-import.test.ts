// The other input formats of the statistics database: YAML and CSV catalogues, XLSX and
// Windows-1252 observation files, statistical symbols, and clear catalogue errors.
import { SYSTEM } from '../../src/core/access.ts';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Database } from '../../src/store/db.ts';
import { engines, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogueFile } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { getObservations } from '../../src/services/query.ts';
import { listIndicators } from '../../src/services/catalogue-read.ts';
import { InputRejected } from '../../src/core/problems.ts';

describe('catalogue and observation formats [pglite]', () => {
  let db: Database;
  const tmp = tempDir();
  before(async () => {
    db = await openEngine(engines[0]);
    await importAreas(db, tmp.file('areas.csv', 'code;name\n01;Nord\n02;Süd\n'), { layer: 'bezirk' });
  });
  after(async () => {
    await db?.close();
    tmp.cleanup();
  });

  test('a YAML catalogue with dimensions and member labels', async () => {
    const r = await importCatalogueFile(
      db,
      tmp.file(
        'katalog.yaml',
        `
dimensions:
  - key: geschlecht
    name: Geschlecht
    members: [{ key: w, name: weiblich }, { key: m, name: männlich }]
indicators:
  - key: arbeitslose
    name: Arbeitslose
    unit: Personen
    type: count
    dimensions: [geschlecht]
    source: Bundesagentur für Arbeit
    owner: soziales
    confidentiality: public
    themes: [Soziales]
    methodology: |
      Arbeitslose nach SGB II und SGB III am Wohnort.
`,
      ),
    );
    assert.deepEqual([r.inserted, r.dimensions], [1, 1]);
    const again = await importCatalogueFile(
      db,
      tmp.file(
        'katalog2.yaml',
        `- { key: arbeitslose, name: Arbeitslose, unit: Personen, type: count, dimensions: [geschlecht], source: Bundesagentur für Arbeit, owner: soziales, confidentiality: public, themes: [Soziales], methodology: "Arbeitslose nach SGB II und SGB III am Wohnort.\\n" }`,
      ),
    );
    assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 1]);
  });

  test('a CSV catalogue with numerator and denominator references', async () => {
    const r = await importCatalogueFile(
      db,
      tmp.file(
        'katalog.csv',
        [
          'key;name;unit;type;dimensions;numerator;denominator;scale;minBase;themes;confidentiality',
          'erwerbsfaehige;Erwerbsfähige;Personen;count;geschlecht;;;;;Soziales;public',
          'alo_quote;Arbeitslosenanteil;%;ratio;;arbeitslose;erwerbsfaehige;100;50;Soziales|Arbeit;public',
        ].join('\n'),
      ),
    );
    assert.equal(r.inserted, 2);
    const list = await listIndicators(db, SYSTEM);
    const q = list.find((i) => i.key === 'alo_quote')!;
    assert.deepEqual(q.numerator, { indicator: 'arbeitslose' });
    assert.deepEqual(q.themes, ['Soziales', 'Arbeit']);
    assert.deepEqual(
      q.dimensions,
      ['geschlecht'],
      'a ratio of two indicators with the same dimension can be filtered by it',
    );
  });

  test('catalogue errors name the indicator, the field and the line', async () => {
    await assert.rejects(
      () =>
        importCatalogueFile(
          db,
          tmp.file(
            'bad.csv',
            [
              'key;name;unit;type;numerator;denominator',
              'quote;Quote;%;ratio;nichtda;erwerbsfaehige',
              'Bad Key;X;%;rate;;',
            ].join('\n'),
          ),
        ),
      (e: unknown) => {
        assert.ok(e instanceof InputRejected);
        const msgs = e.problems.map((p) => `${p.line}:${p.column}:${p.reason}`).join('\n');
        assert.match(msgs, /^3:key:indicator "Bad Key", field "key"/m);
        assert.match(msgs, /^3:type:/m);
        return true;
      },
    );
    await assert.rejects(
      () =>
        importCatalogueFile(
          db,
          tmp.file(
            'bad2.json',
            JSON.stringify([
              {
                key: 'quote',
                name: 'Quote',
                unit: '%',
                type: 'ratio',
                numerator: { indicator: 'nichtda' },
                denominator: { indicator: 'erwerbsfaehige', filter: { alter: 'x' } },
              },
            ]),
          ),
        ),
      (e: unknown) => {
        assert.ok(e instanceof InputRejected);
        const reasons = e.problems.map((p) => p.reason).join('\n');
        assert.match(reasons, /unknown indicator "nichtda"/);
        assert.match(reasons, /filters on "alter", which is not a dimension of "erwerbsfaehige"/);
        return true;
      },
    );
    await assert.rejects(() => importCatalogueFile(db, tmp.file('broken.json', '[{"key": "a",')), InputRejected);
  });

  test('an XLSX observation file', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Daten');
    ws.addRow(['indicator', 'area', 'period', 'geschlecht', 'value']);
    ws.addRow(['arbeitslose', '01', '31.12.2023', 'w', 120]);
    ws.addRow(['arbeitslose', '01', '31.12.2023', 'm', 130]);
    ws.addRow(['arbeitslose', '02', new Date(Date.UTC(2023, 11, 31)), 'w', 40.5]);
    ws.addRow(['arbeitslose', '02', '2023-12-31', 'm', '.']);
    const path = tmp.dir + '/alo.xlsx';
    await wb.xlsx.writeFile(path);
    const r = await importObservations(db, path);
    assert.equal(r.inserted, 4);
    const a = await getObservations(db, { indicator: 'arbeitslose', layer: 'bezirk', period: '2023-12-31' }, SYSTEM);
    assert.deepEqual(
      a.values.map((v) => [v.area, v.value, v.status]),
      [
        ['01', 250, 'final'],
        ['02', null, 'suppressed'],
      ],
    );
    const w = await getObservations(
      db,
      { indicator: 'arbeitslose', layer: 'bezirk', period: '2023-12-31', filter: { geschlecht: 'w' } },
      SYSTEM,
    );
    assert.deepEqual(
      w.values.map((v) => v.value),
      [120, 40.5],
    );
  });

  test('a Windows-1252 file with German symbols, a status column and thousands separators', async () => {
    const text = [
      'Indikator;Gebiet;Stichtag;Geschlecht;Wert;Status',
      'erwerbsfaehige;01;31.12.2023;w;1.200;vorläufig',
      'erwerbsfaehige;01;31.12.2023;m;1.300p;',
      'erwerbsfaehige;02;31.12.2023;w;–;',
      'erwerbsfaehige;02;31.12.2023;m;800;geschätzt',
    ].join('\r\n');
    const r = await importObservations(db, tmp.file('ew-1252.csv', iconv.encode(text, 'windows-1252')));
    assert.equal(r.inserted, 4);
    const a = await getObservations(db, { indicator: 'erwerbsfaehige', layer: 'bezirk', period: '2023-12-31' }, SYSTEM);
    assert.deepEqual(
      a.values.map((v) => [v.value, v.status]),
      [
        [2500, 'provisional'],
        [800, 'estimated'],
      ],
    );
    const q = await getObservations(
      db,
      { indicator: 'alo_quote', layer: 'bezirk', period: '2023-12-31', filter: { geschlecht: 'w' } },
      SYSTEM,
    );
    assert.equal(q.values[0].value, 10, '120 / 1.200 women');
    assert.deepEqual(
      [q.values[1].value, q.values[1].status, q.values[1].base],
      [null, 'below_min_base', 0],
      'no women: the base 0 is below the minimum base',
    );
  });

  test('unknown members of a declared dimension, and member cells for indicators without that dimension, are errors', async () => {
    await assert.rejects(
      () =>
        importObservations(
          db,
          tmp.file('m.csv', 'indicator;area;period;geschlecht;value\narbeitslose;01;2024;x;1\nalo_quote;01;2024;;1\n'),
        ),
      (e: unknown) => {
        assert.ok(e instanceof InputRejected);
        const codes = e.problems.map((p) => `${p.line}:${p.code}`);
        assert.ok(codes.includes('2:unknown-member'), codes.join());
        assert.ok(codes.includes('3:derived-indicator'), codes.join());
        return true;
      },
    );
  });
});
