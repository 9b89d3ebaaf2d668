// Use case: export the values of an indicator over a layer as CSV or JSON.
import type { Queryable } from '../store/db.ts';
import { getObservations, type ObservationsQuery, type ObservationsAnswer } from './query.ts';

export interface CsvOptions {
  /** German conventions by default: ";" and decimal comma, as Excel in Germany expects. */
  delimiter?: ';' | ',';
  decimal?: ',' | '.';
  bom?: boolean;
}

function csvCell(v: string, delimiter: string): string {
  return /["\r\n]/.test(v) || v.includes(delimiter) ? `"${v.replace(/"/g, '""')}"` : v;
}

function num(n: number | null, decimal: string): string {
  if (n === null) return '';
  const s = String(Math.round(n * 1e10) / 1e10);
  return decimal === ',' ? s.replace('.', ',') : s;
}

/** Long-format CSV: one row per area with value, base, status and the metadata every number carries. */
export function observationsToCsv(a: ObservationsAnswer, o: CsvOptions = {}): string {
  const d = o.delimiter ?? ';';
  const dec = o.decimal ?? (d === ';' ? ',' : '.');
  const filterCols = Object.keys(a.filter);
  const header = ['indicator', 'area', 'name', 'period', ...filterCols, 'value', 'unit', 'base', 'status', 'reason', 'reference_date', 'source', 'layer_version_valid_from'];
  const lines = [header.join(d)];
  const rows = [...a.values.map((v) => ({ area: v.area, name: v.name, value: v.value, base: v.base, status: v.status, reason: v.reason ?? '' })), { area: '', name: 'Gesamt (alle Gebiete)', value: a.city.value, base: a.city.base, status: a.city.status, reason: a.city.reason ?? '' }];
  for (const v of rows) {
    const cells = [a.indicator.key, v.area, v.name, a.period.key, ...filterCols.map((c) => a.filter[c]), num(v.value, dec), a.unit, num(v.base, dec), v.status, v.reason, a.referenceDate, a.source ?? '', a.layer.version.validFrom ?? ''];
    lines.push(cells.map((c) => csvCell(String(c), d)).join(d));
  }
  return (o.bom === false ? '' : '\uFEFF') + lines.join('\r\n') + '\r\n';
}

export async function exportObservations(db: Queryable, q: ObservationsQuery, format: 'csv' | 'json', csv?: CsvOptions): Promise<string> {
  const a = await getObservations(db, q);
  return format === 'json' ? JSON.stringify(a, null, 2) + '\n' : observationsToCsv(a, csv);
}
