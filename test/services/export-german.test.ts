// CSV and XLSX exports are meant for German users: the reasons the server gives in English
// ("no data", "base 112 is below the minimum base 300") are written in German, from the table
// the web app uses (src/core/reasons.ts); texts stored with the data come through unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { observationsToCsv, observationsToXlsx } from '../../src/services/export.ts';
import type { ObservationsAnswer } from '../../src/core/answers.ts';
import { germanReason } from '../../src/core/reasons.ts';

const METHOD = 'umgeschlüsselt von stadtteil (Gebietsstand bis 2020) nach Flächenanteilen';

function answer(): ObservationsAnswer {
  return {
    indicator: { key: 'anteil_unter6', name: 'Anteil der Kinder unter 6 Jahren', unit: '%', type: 'ratio', decimals: 1, minBase: 300, confidentiality: 'public' },
    layer: { key: 'stadtteil', name: 'Stadtteile', kind: 'hierarchical', version: { validFrom: '2021-01-01' } },
    period: { key: '2024-12-31', type: 'date', start: '2024-12-31', end: '2024-12-31' },
    referenceDate: '2024-12-31',
    unit: '%',
    source: 'Melderegister',
    filter: {},
    values: [
      { area: '0101', name: 'Altstadt', value: 4.8, base: 3503, status: 'final', rank: 1 },
      { area: '0102', name: 'Hafen', value: null, base: 112, status: 'below_min_base', reason: 'base 112 is below the minimum base 300', rank: null },
      { area: '0103', name: 'Heide', value: null, base: null, status: 'missing', reason: 'no data', rank: null },
      { area: '0104', name: 'Neustadt', value: 5.1, base: 2000, status: 'estimated', reason: `numerator: 1 of 2 values are estimates: ${METHOD}`, rank: 2 },
      { area: '0105', name: 'Au', value: null, base: null, status: 'suppressed', reason: 'Fallzahl < 3, Geheimhaltung', rank: null },
    ],
    city: { value: null, base: null, status: 'missing', reason: 'the denominator lacks 2 value(s)' },
  } as unknown as ObservationsAnswer;
}

test('CSV export: reasons in German', () => {
  const csv = observationsToCsv(answer());
  assert.match(csv, /;0102;Hafen;.*;Basis 112 liegt unter der Mindestbasis 300;/);
  assert.match(csv, /;0103;Heide;.*;keine Daten;/);
  assert.ok(csv.includes(`;Zähler: 1 von 2 Werten geschätzt: ${METHOD};`), csv);
  assert.match(csv, /;Fallzahl < 3, Geheimhaltung;/, 'a text stored with the data comes through');
  assert.match(csv, /Gesamt \(alle Gebiete\);.*;Dem Nenner fehlen 2 Wert\(e\);/);
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
  assert.equal(germanReason('base 1234.5 is below the minimum base 3000'), 'Basis 1.234,5 liegt unter der Mindestbasis 3.000');
  assert.equal(germanReason(undefined), undefined);
  assert.equal(germanReason(''), undefined);
});
