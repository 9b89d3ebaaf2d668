// Use case: export the values of an indicator over a layer as CSV or JSON.
import ExcelJS from 'exceljs';
import type { Queryable } from '../store/db.ts';
import type { Principal } from '../core/access.ts';
import { csvLine, csvNumber } from '../formats/csv-write.ts';
import { parsePeriod, formatPeriodGerman } from '../core/periods.ts';
import { getObservations, type ObservationsQuery, type ObservationsAnswer } from './query.ts';
import { germanReason, STATUS_TEXTS_DE } from '../core/reasons.ts';

export interface CsvOptions {
  /** German conventions by default: ";" and decimal comma, as Excel in Germany expects. */
  delimiter?: ';' | ',';
  decimal?: ',' | '.';
  bom?: boolean;
}


/**
 * Long-format CSV: one row per area with value, base, status and the metadata every number carries.
 * Column names and status are codes (stable for scripts); the reason is German text.
 */
export function observationsToCsv(a: ObservationsAnswer, o: CsvOptions = {}): string {
  const d = o.delimiter ?? ';';
  const dec = o.decimal ?? (d === ';' ? ',' : '.');
  const filterCols = Object.keys(a.filter);
  const header = ['indicator', 'area', 'name', 'period', ...filterCols, 'value', 'unit', 'base', 'status', 'reason', 'reference_date', 'source', 'layer_version_valid_from'];
  const lines = [header.join(d)];
  // The reasons in German, as the rest of the file (area names, the total's label) is for German users.
  const rows = [...a.values.map((v) => ({ area: v.area, name: v.name, value: v.value, base: v.base, status: v.status, reason: germanReason(v.reason) ?? '' })), { area: '', name: 'Gesamt (alle Gebiete)', value: a.city.value, base: a.city.base, status: a.city.status, reason: germanReason(a.city.reason) ?? '' }];
  for (const v of rows) {
    const cells = [a.indicator.key, v.area, v.name, a.period.key, ...filterCols.map((c) => a.filter[c]), csvNumber(v.value, dec), a.unit, csvNumber(v.base, dec), v.status, v.reason, a.referenceDate, a.source ?? '', a.layer.version.validFrom ?? ''];
    lines.push(csvLine(cells, d));
  }
  return (o.bom === false ? '' : '\uFEFF') + lines.join('\r\n') + '\r\n';
}


/** An Excel workbook: the values (numbers as numbers) and a sheet with the metadata every number carries. */
export async function observationsToXlsx(a: ObservationsAnswer): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kommunalmonitor';
  const ws = wb.addWorksheet('Daten');
  const filterCols = Object.keys(a.filter);
  ws.columns = [
    { header: 'Gebiet', key: 'area', width: 12 },
    { header: 'Name', key: 'name', width: 28 },
    ...filterCols.map((c) => ({ header: c, key: `f_${c}`, width: 14 })),
    { header: `Wert (${a.unit})`, key: 'value', width: 14 },
    { header: 'Basis', key: 'base', width: 12 },
    { header: 'Status', key: 'status', width: 18 },
    { header: 'Anmerkung', key: 'reason', width: 40 },
    { header: 'Rang', key: 'rank', width: 8 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const numFmt = a.indicator.decimals != null ? (a.indicator.decimals === 0 ? '#,##0' : `#,##0.${'0'.repeat(a.indicator.decimals)}`) : '#,##0.##';
  const add = (area: string, name: string, value: number | null, base: number | null, status: string, reason: string | undefined, rank: number | null) => {
    const row = ws.addRow({ area, name, ...Object.fromEntries(filterCols.map((c) => [`f_${c}`, a.filter[c]])), value, base, status: STATUS_TEXTS_DE[status] ?? status, reason: germanReason(reason) ?? '', rank });
    row.getCell('value').numFmt = numFmt;
    row.getCell('area').numFmt = '@';
  };
  for (const v of a.values) add(v.area, v.name, v.value, v.base, v.status, v.reason, v.rank);
  add('', 'Gesamt (alle Gebiete)', a.city.value, a.city.base, a.city.status, a.city.reason, null);
  const meta = wb.addWorksheet('Metadaten');
  meta.columns = [{ width: 24 }, { width: 80 }];
  const period = parsePeriod(a.period.key);
  const rows: [string, string][] = [
    ['Indikator', `${a.indicator.name} (${a.indicator.key})`],
    ['Beschreibung', a.indicator.description ?? ''],
    ['Einheit', a.unit],
    ['Zeitraum', period ? formatPeriodGerman(period) : a.period.key],
    ['Stichtag', a.referenceDate.split('-').reverse().join('.')],
    ['Gliederungsebene', `${a.layer.name} (${a.layer.key})${a.layer.version.validFrom ? `, Gebietsstand ab ${a.layer.version.validFrom.split('-').reverse().join('.')}` : ''}`],
    ['Filter', filterCols.map((c) => `${c} = ${a.filter[c]}`).join(', ') || '—'],
    ['Quelle', a.source ?? ''],
    ['Methodik', a.indicator.methodology ?? ''],
    ['Mindestbasis', a.indicator.minBase != null ? String(a.indicator.minBase) : '—'],
    ['Vertraulichkeit', a.indicator.confidentiality],
    ['Zeichen', 'geheim (.) = Wert unterliegt der Geheimhaltung; keine Angabe = Wert fehlt; unter Mindestbasis = Basis zu klein, Wert nicht ausgewiesen'],
    ['Erstellt', new Date().toISOString().slice(0, 10).split('-').reverse().join('.') + ' mit Kommunalmonitor'],
  ];
  for (const r of rows) meta.addRow(r).getCell(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export async function exportObservations(db: Queryable, q: ObservationsQuery, who: Principal, format: 'csv' | 'json' | 'xlsx', csv?: CsvOptions): Promise<string | Buffer> {
  const a = await getObservations(db, q, who);
  if (format === 'xlsx') return observationsToXlsx(a);
  return format === 'json' ? JSON.stringify(a, null, 2) + '\n' : observationsToCsv(a, csv);
}
