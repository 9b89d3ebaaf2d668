// CSV and XLSX exports are meant for German users: the reasons the server gives ("no data",
// "base 112 is below the minimum base 300") are written in German from their codes, the registry
// the web app uses (src/contracts/codes); texts stored with the data come through unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { observationsToCsv, observationsToXlsx } from '../../src/services/export.ts';
import type { ObservationsAnswer } from '../../src/contracts/answers/index.ts';
import { germanReason, reasonFields } from '../../src/core/reasons.ts';
import { coded } from '../../src/contracts/codes/index.ts';

const METHOD = 'umgeschlüsselt von stadtteil (Gebietsstand bis 2020) nach Flächenanteilen';

function answer(): ObservationsAnswer {
  return {
    indicator: {
      key: 'anteil_unter6',
      name: 'Anteil der Kinder unter 6 Jahren',
      unit: '%',
      type: 'ratio',
      decimals: 1,
      minBase: 300,
      confidentiality: 'public',
    },
    layer: { key: 'stadtteil', name: 'Stadtteile', kind: 'hierarchical', version: { validFrom: '2021-01-01' } },
    period: { key: '2024-12-31', type: 'date', start: '2024-12-31', end: '2024-12-31' },
    referenceDate: '2024-12-31',
    unit: '%',
    source: 'Melderegister',
    filter: {},
    values: [
      { area: '0101', name: 'Altstadt', value: 4.8, base: 3503, status: 'final', rank: 1 },
      {
        area: '0102',
        name: 'Hafen',
        value: null,
        base: 112,
        status: 'below_min_base',
        ...reasonFields(coded('reason-below-min-base', { base: 112, min: 300 })),
        rank: null,
      },
      {
        area: '0103',
        name: 'Heide',
        value: null,
        base: null,
        status: 'missing',
        ...reasonFields(coded('reason-no-data')),
        rank: null,
      },
      {
        area: '0104',
        name: 'Neustadt',
        value: 5.1,
        base: 2000,
        status: 'estimated',
        ...reasonFields(
          coded('reason-numerator-is', { text: coded('reason-some-estimated-by', { n: 1, total: 2, method: METHOD }) }),
        ),
        rank: 2,
      },
      {
        area: '0105',
        name: 'Au',
        value: null,
        base: null,
        status: 'suppressed',
        reason: 'Fallzahl < 3, Geheimhaltung',
        rank: null,
      },
    ],
    city: { value: null, base: null, status: 'missing', ...reasonFields(coded('reason-denominator-lacks', { n: 2 })) },
  } as unknown as ObservationsAnswer;
}

test('CSV export: reasons in German', () => {
  const csv = observationsToCsv(answer());
  assert.match(csv, /;0102;Hafen;.*;Basis 112 liegt unter der Mindestbasis 300;/);
  assert.match(csv, /;0103;Heide;.*;keine Daten;/);
  assert.ok(csv.includes(`;Zähler: 1 von 2 Werten geschätzt: ${METHOD};`), csv);
  assert.match(csv, /;Fallzahl < 3, Geheimhaltung;/, 'a text stored with the data comes through');
  assert.match(csv, /;Gesamtstadt;.*;Dem Nenner fehlen 2 Wert\(e\);/);
  assert.doesNotMatch(csv, /no data|below the minimum|lacks|estimates/);
});

test('XLSX export: reasons and statuses in German', async () => {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await observationsToXlsx(answer())) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('Daten')!;
  const header = (ws.getRow(1).values as unknown[]).map(String);
  const col = (name: string) => header.indexOf(name);
  const cell = (r: number, name: string) => String(ws.getRow(r).getCell(col(name)).value ?? '');
  assert.equal(cell(3, 'Anmerkung'), 'Basis 112 liegt unter der Mindestbasis 300');
  assert.equal(cell(3, 'Status'), 'unter Mindestbasis');
  assert.equal(cell(4, 'Anmerkung'), 'keine Daten');
  assert.equal(cell(7, 'Anmerkung'), 'Dem Nenner fehlen 2 Wert(e)');
});

test('germanReason: numbers in German format, nothing for no reason', () => {
  const below = reasonFields(coded('reason-below-min-base', { base: 1234.5, min: 3000 }));
  assert.equal(below.reason, 'base 1234.5 is below the minimum base 3000', 'the English reason as the API writes it');
  assert.equal(germanReason(below), 'Basis 1.234,5 liegt unter der Mindestbasis 3.000');
  assert.equal(germanReason(undefined), undefined);
  assert.equal(germanReason({ reason: '' }), undefined);
});

// Issue 15, item 7: downloads for German offices — German headings and statuses (English on
// request), values rounded to the indicator's decimals, codes kept as text, the Zeichenerklärung.
import { openWorkbook, type XlsxRow } from '../../src/formats/xlsx-reader.ts';
import { SYMBOL_LEGEND } from '../../src/core/reasons.ts';

function officeAnswer(): ObservationsAnswer {
  const a = answer();
  a.values[0].value = 4.8349;
  a.values[3].value = 5.06;
  (a as { city: ObservationsAnswer['city'] }).city = { value: 4.95, base: 5503, status: 'provisional' };
  return a;
}

async function sheets(buf: Buffer): Promise<Record<string, XlsxRow[]>> {
  const wb = await openWorkbook({ name: 'export.xlsx', bytes: buf });
  const out: Record<string, XlsxRow[]> = {};
  try {
    for (const s of wb.sheets) {
      out[s.name] = [];
      for await (const batch of wb.rows(s)) out[s.name].push(...batch);
    }
  } finally {
    wb.close();
  }
  return out;
}

test('CSV for German offices: German headings and statuses, values rounded, Gesamtstadt, codes as they are', () => {
  const lines = observationsToCsv(officeAnswer())
    .replace(/^\uFEFF/, '')
    .split('\r\n');
  assert.equal(
    lines[0],
    'Indikator;Schlüssel;Gebiet;Zeitraum;Wert;Einheit;Basis;Status;Zeichen;Anmerkung;Stichtag;Quelle;Gebietsstand ab',
  );
  assert.match(
    lines[1],
    /^anteil_unter6;0101;Altstadt;2024-12-31;4,8;%;3503;endgültig;;;2024-12-31;Melderegister;2021-01-01$/,
  );
  assert.match(lines[2], /;0102;Hafen;.*;;%;112;unter Mindestbasis;\/;Basis 112/);
  assert.match(lines[4], /;0104;Neustadt;.*;5,1;%;2000;geschätzt;s;/);
  assert.match(lines[5], /;0105;Au;.*;;%;;geheim;\.;/);
  assert.match(
    lines[6],
    /^anteil_unter6;;Gesamtstadt;2024-12-31;5,0;%;5503;vorläufig;p;;/,
    'the total with a fixed decimal',
  );
  const en = observationsToCsv(officeAnswer(), { lang: 'en', delimiter: ',' })
    .replace(/^\uFEFF/, '')
    .split('\r\n');
  assert.equal(
    en[0],
    'Indicator,Code,Area,Period,Value,Unit,Base,Status,Symbol,Note,Reference date,Source,Boundaries valid from',
  );
  assert.match(en[2], /,0102,Hafen,.*,below minimum base,\/,base 112 is below the minimum base 300,/);
  assert.match(en[6], /,,Whole city,2024-12-31,5.0,%,5503,provisional,p,/);
});

test('XLSX for German offices, read back with the project’s reader: codes are text, values rounded numbers with the number format', async () => {
  const buf = await observationsToXlsx(officeAnswer());
  const s = await sheets(buf);
  assert.deepEqual(Object.keys(s), ['Daten', 'Metadaten']);
  const [head, ...rows] = s.Daten;
  assert.deepEqual(head.cells, [
    'Schlüssel',
    'Gebiet',
    'Wert (%)',
    'Basis',
    'Status',
    'Zeichen',
    'Anmerkung',
    'Rang (1 = höchster Wert)',
  ]);
  assert.deepEqual(
    rows[0].cells.slice(0, 5),
    ['0101', 'Altstadt', 4.8, 3503, 'endgültig'],
    'the code keeps its zero as a string cell; the value is the rounded number',
  );
  assert.equal(typeof rows[0].cells[0], 'string');
  assert.equal(typeof rows[0].cells[2], 'number');
  assert.deepEqual(
    [rows[1].cells[2], rows[1].cells[4], rows[1].cells[5]],
    [undefined, 'unter Mindestbasis', '/'],
    'no number for a value below the minimum base',
  );
  assert.deepEqual([rows[4].cells[4], rows[4].cells[5]], ['geheim', '.']);
  assert.deepEqual(rows[5].cells.slice(1, 6), ['Gesamtstadt', 5, 5503, 'vorläufig', 'p']);
  // The number formats (the project's reader reads values only; ExcelJS shows the styles).
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('Daten')!;
  assert.equal(ws.getCell('A2').numFmt, '@');
  assert.equal(ws.getCell('A2').type, ExcelJS.ValueType.String);
  assert.equal(ws.getCell('C2').numFmt, '#,##0.0');
  assert.equal(ws.getCell('C2').type, ExcelJS.ValueType.Number);
  assert.equal(ws.getCell('C7').numFmt, '#,##0.0', 'the total has the indicator’s decimals too');
  assert.equal(ws.getCell('D2').numFmt, '#,##0');
  // The Zeichenerklärung is complete: every symbol the monitor writes or reads.
  const meta = new Map(s.Metadaten.map((r) => [String(r.cells[0]), r.cells[1]]));
  for (const sym of ['p', 's', '.', '/', '…', 'x', '–', 'r']) assert.ok(meta.has(sym), `symbol ${sym}`);
  assert.match(String(meta.get('s')), /geschätzt.*e/);
  assert.equal(meta.get('Stichtag'), '31.12.2024');
  assert.equal(meta.get('Nachkommastellen'), '1');
  assert.equal(SYMBOL_LEGEND.de.length, SYMBOL_LEGEND.en.length);
});

test('XLSX in English on request', async () => {
  const s = await sheets(await observationsToXlsx(officeAnswer(), { lang: 'en' }));
  assert.deepEqual(Object.keys(s), ['Data', 'Metadata']);
  assert.deepEqual(s.Data[0].cells.slice(0, 5), ['Code', 'Area', 'Value (%)', 'Base', 'Status']);
  assert.deepEqual(s.Data[2].cells.slice(4, 7), ['below minimum base', '/', 'base 112 is below the minimum base 300']);
  assert.equal(s.Data[6].cells[1], 'Whole city');
  const meta = new Map(s.Metadata.map((r) => [String(r.cells[0]), r.cells[1]]));
  assert.equal(meta.get('Reference date'), '31/12/2024');
  assert.equal(meta.get('x'), 'not applicable');
});
