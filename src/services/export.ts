// Use case: export the values of an indicator over a layer as CSV, XLSX, JSON or JSON-stat.
// CSV and XLSX are for German statistics offices (issue 15, item 7): headings, statuses, reasons,
// the city total ("Gesamtstadt") and the Zeichenerklärung in German — in English when asked for
// (`lang=en`, as the web app passes its language) — values rounded to the indicator's decimals
// (XLSX: numbers with a number format, never text), area codes as text so that 0101 keeps its zero.
import ExcelJS from 'exceljs';
import type { Queryable } from '../store/db.ts';
import type { Principal } from '../core/access.ts';
import { csvLine, csvNumber } from '../formats/csv-write.ts';
import { parsePeriod, formatPeriodGerman } from '../core/periods.ts';
import { getObservations, type ObservationsQuery, type ObservationsAnswer } from './query.ts';
import { observationsToJsonStat } from '../formats/json-stat.ts';
import { genesisTimeOf, writeGenesisFfcsv } from '../formats/genesis-ffcsv.ts';
import {
  reasonIn,
  STATUS_TEXTS,
  STATUS_SYMBOLS,
  SYMBOL_LEGEND,
  type ReasonFields,
  type ReasonLang,
} from '../core/reasons.ts';
import type { ValueStatus } from '../contracts/vocabulary.ts';

export type ExportLang = ReasonLang;

export interface CsvOptions {
  /** German conventions by default: ";" and decimal comma, as Excel in Germany expects. */
  delimiter?: ';' | ',';
  decimal?: ',' | '.';
  bom?: boolean;
  /** Language of headings, statuses, reasons and the city total (default German). */
  lang?: ExportLang;
}

const TEXTS = {
  de: {
    indicator: 'Indikator',
    code: 'Schlüssel',
    area: 'Gebiet',
    period: 'Zeitraum',
    value: 'Wert',
    unit: 'Einheit',
    base: 'Basis',
    status: 'Status',
    symbol: 'Zeichen',
    reason: 'Anmerkung',
    rank: 'Rang (1 = höchster Wert)',
    referenceDate: 'Stichtag',
    source: 'Quelle',
    validFrom: 'Gebietsstand ab',
    city: 'Gesamtstadt',
    data: 'Daten',
    meta: 'Metadaten',
    description: 'Beschreibung',
    layer: 'Gliederungsebene',
    filter: 'Filter',
    methodology: 'Methodik',
    minBase: 'Mindestbasis',
    confidentiality: 'Vertraulichkeit',
    decimals: 'Nachkommastellen',
    symbols: 'Zeichenerklärung',
    created: 'Erstellt',
    createdWith: 'mit Kommunalmonitor',
    boundaries: 'Gebietsstand ab',
  },
  en: {
    indicator: 'Indicator',
    code: 'Code',
    area: 'Area',
    period: 'Period',
    value: 'Value',
    unit: 'Unit',
    base: 'Base',
    status: 'Status',
    symbol: 'Symbol',
    reason: 'Note',
    rank: 'Rank (1 = highest value)',
    referenceDate: 'Reference date',
    source: 'Source',
    validFrom: 'Boundaries valid from',
    city: 'Whole city',
    data: 'Data',
    meta: 'Metadata',
    description: 'Description',
    layer: 'Layer',
    filter: 'Filter',
    methodology: 'Methodology',
    minBase: 'Minimum base',
    confidentiality: 'Confidentiality',
    decimals: 'Decimals',
    symbols: 'Symbols',
    created: 'Created',
    createdWith: 'with Kommunalmonitor',
    boundaries: 'boundaries valid from',
  },
} as const;

/** The number of decimals a value is written with: the indicator's, else as the web app does (0 for whole numbers, else 1). */
function exportDecimals(decimals: number | null | undefined, value: number): number {
  return Math.max(0, Math.min(6, decimals ?? (Number.isInteger(value) ? 0 : 1)));
}

/** A value rounded to its decimals (no "-0"); null stays null. */
function roundValue(value: number | null | undefined, decimals: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const d = exportDecimals(decimals, value);
  const r = Number(value.toFixed(d));
  return r === 0 ? 0 : r;
}

/** An Excel number format with exactly `d` decimals and thousands grouping ("#,##0.0"). */
function numberFormat(d: number): string {
  return d === 0 ? '#,##0' : `#,##0.${'0'.repeat(d)}`;
}

/** A date as the language writes it: 31.12.2024 / 31/12/2024. */
function dateText(iso: string | null | undefined, lang: ExportLang): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-');
  return lang === 'de' ? `${d}.${m}.${y}` : `${d}/${m}/${y}`;
}

interface ExportRow {
  area: string;
  name: string;
  value: number | null;
  base: number | null;
  status: ValueStatus;
  reason: string;
  rank: number | null;
}

/** The rows of an export: every area, then the city total; values rounded, texts in the language. */
function exportRows(a: ObservationsAnswer, lang: ExportLang): ExportRow[] {
  const row = (
    area: string,
    name: string,
    v: { value: number | null; base: number | null; status: ValueStatus } & ReasonFields,
    rank: number | null,
  ): ExportRow => ({
    area,
    name,
    value: roundValue(v.value, a.indicator.decimals),
    base: v.base === null || v.base === undefined ? null : Math.round(v.base * 100) / 100,
    status: v.status,
    reason: reasonIn(lang, v) ?? '',
    rank,
  });
  return [...a.values.map((v) => row(v.area, v.name, v, v.rank)), row('', TEXTS[lang].city, a.city, null)];
}

/**
 * Long-format CSV: one row per area with value, base, status and the metadata every number
 * carries; the city total ("Gesamtstadt") as the last line. Area codes as they are (0101).
 */
export function observationsToCsv(a: ObservationsAnswer, o: CsvOptions = {}): string {
  const d = o.delimiter ?? ';';
  const dec = o.decimal ?? (d === ';' ? ',' : '.');
  const lang = o.lang ?? 'de';
  const T = TEXTS[lang];
  const filterCols = Object.keys(a.filter);
  const header = [
    T.indicator,
    T.code,
    T.area,
    T.period,
    ...filterCols,
    T.value,
    T.unit,
    T.base,
    T.status,
    T.symbol,
    T.reason,
    T.referenceDate,
    T.source,
    T.validFrom,
  ];
  const lines = [csvLine(header, d)];
  for (const v of exportRows(a, lang)) {
    const value =
      v.value === null ? '' : v.value.toFixed(exportDecimals(a.indicator.decimals, v.value)).replace('.', dec);
    const cells = [
      a.indicator.key,
      v.area,
      v.name,
      a.period.key,
      ...filterCols.map((c) => a.filter[c]),
      value,
      a.unit,
      csvNumber(v.base, dec),
      STATUS_TEXTS[lang][v.status] ?? v.status,
      STATUS_SYMBOLS[v.status] ?? '',
      v.reason,
      a.referenceDate,
      a.source ?? '',
      a.layer.version.validFrom ?? '',
    ];
    lines.push(csvLine(cells, d));
  }
  return (o.bom === false ? '' : '\uFEFF') + lines.join('\r\n') + '\r\n';
}

/**
 * An Excel workbook: the values (numbers as numbers with the indicator's number format, codes as
 * text) and a sheet with the metadata every number carries and the Zeichenerklärung.
 */
export async function observationsToXlsx(a: ObservationsAnswer, o: { lang?: ExportLang } = {}): Promise<Buffer> {
  const lang = o.lang ?? 'de';
  const T = TEXTS[lang];
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kommunalmonitor';
  const ws = wb.addWorksheet(T.data);
  const filterCols = Object.keys(a.filter);
  // Area code, name and value come first (scripts and tests find them in columns A–C).
  ws.columns = [
    { header: T.code, key: 'area', width: 12 },
    { header: T.area, key: 'name', width: 28 },
    ...filterCols.map((c) => ({ header: c, key: `f_${c}`, width: 14 })),
    { header: a.unit ? `${T.value} (${a.unit})` : T.value, key: 'value', width: 14 },
    { header: T.base, key: 'base', width: 12 },
    { header: T.status, key: 'status', width: 18 },
    { header: T.symbol, key: 'symbol', width: 8 },
    { header: T.reason, key: 'reason', width: 40 },
    { header: T.rank, key: 'rank', width: 10 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const v of exportRows(a, lang)) {
    const row = ws.addRow({
      area: v.area,
      name: v.name,
      ...Object.fromEntries(filterCols.map((c) => [`f_${c}`, a.filter[c]])),
      value: v.value,
      base: v.base,
      status: STATUS_TEXTS[lang][v.status] ?? v.status,
      symbol: STATUS_SYMBOLS[v.status] ?? '',
      reason: v.reason,
      rank: v.rank,
    });
    // The code is a text cell with the text format: Excel keeps the leading zero and does not offer to convert it.
    row.getCell('area').numFmt = '@';
    if (v.value !== null) row.getCell('value').numFmt = numberFormat(exportDecimals(a.indicator.decimals, v.value));
    if (v.base !== null) row.getCell('base').numFmt = Number.isInteger(v.base) ? '#,##0' : '#,##0.00';
  }
  const meta = wb.addWorksheet(T.meta);
  meta.columns = [{ width: 24 }, { width: 80 }];
  const period = parsePeriod(a.period.key);
  const validFrom = a.layer.version.validFrom;
  const rows: [string, string][] = [
    [T.indicator, `${a.indicator.name} (${a.indicator.key})`],
    [T.description, a.indicator.description ?? ''],
    [T.unit, a.unit],
    [T.period, period && lang === 'de' ? formatPeriodGerman(period) : a.period.key],
    [T.referenceDate, dateText(a.referenceDate, lang)],
    [T.layer, `${a.layer.name} (${a.layer.key})${validFrom ? `, ${T.boundaries} ${dateText(validFrom, lang)}` : ''}`],
    [T.filter, filterCols.map((c) => `${c} = ${a.filter[c]}`).join(', ') || '—'],
    [T.source, a.source ?? ''],
    [T.methodology, a.indicator.methodology ?? ''],
    [T.minBase, a.indicator.minBase != null ? String(a.indicator.minBase) : '—'],
    [T.decimals, a.indicator.decimals != null ? String(a.indicator.decimals) : '—'],
    [T.confidentiality, a.indicator.confidentiality],
    [T.created, `${dateText(new Date().toISOString().slice(0, 10), lang)} ${T.createdWith}`],
  ];
  for (const r of rows) meta.addRow(r).getCell(1).font = { bold: true };
  meta.addRow([]);
  meta.addRow([T.symbols]).getCell(1).font = { bold: true };
  for (const [symbol, meaning] of SYMBOL_LEGEND[lang]) meta.addRow([symbol, meaning]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * A GENESIS flat file (ffcsv, classic German layout of the Regionaldatenbank, decision 0025):
 * the layer as the first variable (its areas' codes as attribute codes), each breakdown filter
 * as a further variable, one value column with the unit and a quality column; statuses as the
 * symbols and flags of the Zeichenerklärung. Only what the answer holds: disclosure is applied.
 */
export function observationsToGenesis(a: ObservationsAnswer): string {
  const time = genesisTimeOf(a.period.key);
  const filter = Object.entries(a.filter);
  return writeGenesisFfcsv({
    statisticCode: a.indicator.key,
    statisticLabel: a.source ? `${a.indicator.name} (${a.source})` : a.indicator.name,
    timeCode: time.code,
    timeLabel: time.label,
    variables: [
      { code: a.layer.key.toUpperCase(), label: a.layer.name },
      ...filter.map(([d]) => ({ code: d.toUpperCase(), label: d })),
    ],
    valueCode: a.indicator.key.toUpperCase(),
    valueLabel: a.indicator.name,
    unit: a.unit,
    rows: a.values.map((v) => ({
      time: time.time,
      attributes: [{ code: v.area, label: v.name }, ...filter.map(([, m]) => ({ code: m, label: m }))],
      value: v.value,
      status: v.status,
      reason: v.reason,
      ...(v.reasonCode ? { reasonCode: v.reasonCode } : {}),
      decimals: a.indicator.decimals,
    })),
  });
}

export async function exportObservations(
  db: Queryable,
  q: ObservationsQuery,
  who: Principal,
  format: 'csv' | 'json' | 'xlsx' | 'json-stat' | 'genesis',
  csv?: CsvOptions,
): Promise<string | Buffer> {
  const a = await getObservations(db, q, who);
  if (format === 'genesis') return observationsToGenesis(a);
  if (format === 'xlsx') return observationsToXlsx(a, { lang: csv?.lang });
  if (format === 'json-stat')
    return (
      JSON.stringify(observationsToJsonStat(a, { lang: csv?.lang, updated: new Date().toISOString() }), null, 2) + '\n'
    );
  return format === 'json' ? JSON.stringify(a, null, 2) + '\n' : observationsToCsv(a, csv);
}
