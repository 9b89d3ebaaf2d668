// GENESIS flat files ("ffcsv"): the record-oriented CSV that GENESIS-Online, the
// Regionaldatenbank Deutschland and the state offices' GENESIS databases deliver. One row per
// combination of time and variable attributes (Merkmal/Ausprägung), the values in value
// columns with an optional quality column. Two header layouts exist (decision 0025):
//   classic  Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;…;
//            CODE__Label__Einheit;CODE__Label__q   (one value column per value variable)
//   2024     statistics_code;…;time;1_variable_code;…;value;value_unit;value_variable_code;
//            value_variable_label;value_q          (one row per value variable)
// Header names are matched without regard to case, so the English variants read the same.
// Pure: header layout, cell parsing and writing; the import service does the rest.
import type { OpenTable, Cell } from './table.ts';
import type { ProblemList } from '../core/problems.ts';
import type { ObservationStatus, ParsedValue } from '../core/observations.ts';
import { inEnglish, parseNumber, type ValueCellError } from '../core/values.ts';
import { CODES } from '../contracts/codes/index.ts';
import { parsePeriod } from '../core/periods.ts';
import { cellText } from './columns.ts';
import { csvLine } from './csv-write.ts';

/** One numbered variable group: N_Merkmal_Code, N_Merkmal_Label, N_Auspraegung_Code, N_Auspraegung_Label. */
export interface GenesisVariable {
  number: number;
  code: number;
  label: number;
  attributeCode: number;
  attributeLabel: number;
  /** Header name of the attribute code column (for problems). */
  attributeColumn: string;
}

/** A value column of the classic layout, or the one value column of the 2024 layout. */
interface GenesisValueColumn {
  index: number;
  column: string;
  /** Value variable code (classic: from the header; 2024: from value_variable_code per row). */
  code: string;
  label: string;
  unit: string;
  /** Index of the quality column ("…__q" / "value_q"), -1 without. */
  quality: number;
}

export interface GenesisLayout {
  variant: 'classic' | '2024';
  statisticCode: number;
  statisticLabel: number;
  timeCode: number;
  timeLabel: number;
  time: number;
  variables: GenesisVariable[];
  /** Classic: one per value variable. 2024: the column "value". */
  values: GenesisValueColumn[];
  /** 2024 only: the columns naming a row's value variable and unit. */
  valueCode: number;
  valueLabel: number;
  valueUnit: number;
}

const lower = (cols: readonly string[]) => cols.map((c) => c.trim().toLowerCase());

/** True when the header is a GENESIS flat file's: a statistics code and a time column. Cheap and safe: no other layout has these. */
export function isGenesisHeader(columns: readonly string[]): boolean {
  const l = lower(columns);
  return (l.includes('statistik_code') || l.includes('statistics_code')) && (l.includes('zeit') || l.includes('time'));
}

/** Reads the header of a GENESIS flat file; problems (line 1) for what is missing. */
export function genesisLayout(table: Pick<OpenTable, 'file' | 'columns'>, problems: ProblemList): GenesisLayout {
  const cols = table.columns;
  const l = lower(cols);
  const find = (...names: string[]) => {
    for (const n of names) {
      const i = l.indexOf(n);
      if (i >= 0) return i;
    }
    return -1;
  };
  const layout: GenesisLayout = {
    variant: l.includes('value') ? '2024' : 'classic',
    statisticCode: find('statistik_code', 'statistics_code'),
    statisticLabel: find('statistik_label', 'statistics_label'),
    timeCode: find('zeit_code', 'time_code'),
    timeLabel: find('zeit_label', 'time_label'),
    time: find('zeit', 'time'),
    variables: [],
    values: [],
    valueCode: find('value_variable_code'),
    valueLabel: find('value_variable_label'),
    valueUnit: find('value_unit'),
  };
  if (layout.time < 0) {
    problems.error({
      code: 'missing-column',
      file: table.file,
      line: 1,
      reason: 'the GENESIS flat file has no time column ("Zeit" or "time")',
      hint: `the file has the columns: ${cols.join(', ')}`,
    });
  }
  // Numbered variable groups, in the German (Merkmal/Auspraegung) or English (variable/variable_attribute) spelling.
  const numbers = new Set<number>();
  for (const c of l) {
    const m = /^(\d+)_(merkmal|variable)_code$/.exec(c);
    if (m) numbers.add(Number(m[1]));
  }
  for (const n of [...numbers].sort((a, b) => a - b)) {
    const v: GenesisVariable = {
      number: n,
      code: find(`${n}_merkmal_code`, `${n}_variable_code`),
      label: find(`${n}_merkmal_label`, `${n}_variable_label`),
      attributeCode: find(`${n}_auspraegung_code`, `${n}_variable_attribute_code`),
      attributeLabel: find(`${n}_auspraegung_label`, `${n}_variable_attribute_label`),
      attributeColumn: '',
    };
    if (v.attributeCode < 0) {
      problems.error({
        code: 'missing-column',
        file: table.file,
        line: 1,
        column: cols[v.code],
        reason: `the variable group ${n} has no attribute code column (${n}_Auspraegung_Code or ${n}_variable_attribute_code)`,
        hint: 'download the table again as "Flat-File CSV" without removing columns',
      });
      continue;
    }
    v.attributeColumn = cols[v.attributeCode];
    layout.variables.push(v);
  }
  if (layout.variant === '2024') {
    const value = find('value');
    layout.values.push({ index: value, column: cols[value], code: '', label: '', unit: '', quality: find('value_q') });
    if (layout.valueCode < 0)
      problems.error({
        code: 'missing-column',
        file: table.file,
        line: 1,
        reason: 'the flat file has a column "value" but no "value_variable_code"',
        hint: 'download the table again as "Flat-File CSV" without removing columns',
      });
  } else {
    // Value columns are named CODE__Label__Unit, their quality columns CODE__Label__q.
    const qualityOf = new Map<string, number>();
    cols.forEach((c, i) => {
      const parts = c.split('__');
      if (parts.length >= 3 && parts[parts.length - 1].toLowerCase() === 'q')
        qualityOf.set(parts.slice(0, -1).join('__'), i);
    });
    cols.forEach((c, i) => {
      const parts = c.split('__');
      if (parts.length < 2 || (parts.length >= 3 && parts[parts.length - 1].toLowerCase() === 'q')) return;
      const [code, label = '', ...unit] = parts;
      layout.values.push({
        index: i,
        column: c,
        code,
        label: label.replace(/_/g, ' '),
        unit: unit.join('__'),
        quality: qualityOf.get(`${code}__${label}`) ?? -1,
      });
    });
    if (!layout.values.length) {
      problems.error({
        code: 'missing-column',
        file: table.file,
        line: 1,
        reason: 'the GENESIS flat file has no value column (CODE__Label__Einheit)',
        hint: `the file has the columns: ${cols.join(', ')}`,
      });
    }
  }
  return layout;
}

/** Codes of the regional variables of the GENESIS databases (Regionaldatenbank, GENESIS-Online, Zensus: GEO…). */
const REGIONAL_VARIABLES = new Set([
  'DINSG',
  'DLAND',
  'REGBEZ',
  'KREISE',
  'GEMEIN',
  'GEMVB',
  'GVB',
  'GEMVBZ',
  'LKREIS',
  'KREISF',
]);

export function isRegionalVariable(code: string): boolean {
  const c = code.trim().toUpperCase();
  return REGIONAL_VARIABLES.has(c) || /^GEO[A-Z]{2}\d*$/.test(c);
}

// ---------------------------------------------------------------------------------------------
// Cells

export type GenesisValue = ParsedValue & { symbol?: string };

/** A cell that cannot be read; `inQuality` when the quality flag is at fault, not the value. */
export type GenesisValueError = ValueCellError & { inQuality?: true };

/**
 * A value cell with its quality flag. Value symbols of the Zeichenerklärung replace the number:
 * "-" nothing (exactly zero), "." unknown or secret (suppressed, never zero), "x" not applicable,
 * "..." not yet available, "/" not reliable enough (all three missing). The quality column holds
 * e (final), p (provisional), r (revised: final), s (estimated); empty is final.
 */
export function parseGenesisValue(
  raw: Cell | undefined,
  rawQuality: Cell | undefined,
  decimal: ',' | '.',
): GenesisValue | ValueCellError {
  const p = parseGenesisValueStored(raw, rawQuality, decimal);
  return 'error' in p ? { error: p.error, hint: p.hint } : inEnglish(p);
}

/** The same, with the reason of a symbol as it is stored: the name of its registered reason code (src/core/values.ts parseValueCellStored). */
export function parseGenesisValueStored(
  raw: Cell | undefined,
  rawQuality: Cell | undefined,
  decimal: ',' | '.',
): GenesisValue | GenesisValueError {
  const s = cellText(raw);
  const q = cellText(rawQuality).toLowerCase();
  let v: GenesisValue;
  if (typeof raw === 'number') v = { value: raw, status: 'final' };
  else if (s === '')
    return {
      error: 'the value is empty',
      hint: 'GENESIS writes a symbol where there is no number: "-" nothing, "." secret, "x" not applicable, "..." later, "/" not reliable enough',
    };
  else {
    switch (s) {
      case '-':
      case '\u2013':
        // "nichts vorhanden": the magnitude is exactly zero, as opposed to "0" (less than half a unit).
        v = { value: 0, status: 'final', symbol: '-' };
        break;
      case '.':
        v = { value: null, status: 'suppressed', reason: 'reason-secret-or-unknown', symbol: '.' };
        break;
      case 'x':
      case 'X':
        v = { value: null, status: 'missing', reason: 'reason-not-applicable', symbol: 'x' };
        break;
      case '...':
      case '\u2026':
        v = { value: null, status: 'missing', reason: 'reason-not-yet-available', symbol: '...' };
        break;
      case '/':
        v = { value: null, status: 'missing', reason: 'reason-not-reliable', symbol: '/' };
        break;
      default: {
        const n = parseNumber(s, decimal);
        if (n === null) {
          const other = decimal === ',' ? '.' : ',';
          return parseNumber(s, other) !== null
            ? {
                error: `not a number with "${decimal}" as decimal separator`,
                hint: `German GENESIS files write a decimal comma ("12,5"); this one looks like "${other}": give --decimal ${other}`,
              }
            : {
                error: 'not a number or a GENESIS symbol',
                hint: 'accepted are numbers such as 1234 or 12,5 and the symbols "-", ".", "x", "...", "/"',
              };
        }
        v = { value: n, status: 'final' };
      }
    }
  }
  if (q === '' || q === 'e') return v;
  if (v.value === null) {
    // Some files repeat the value's symbol in the quality column.
    if (q === v.symbol) return v;
    return {
      error: `the quality flag "${q}" belongs to a number, the value is the symbol "${s}"`,
      hint: 'leave the quality column empty where the value is a symbol',
      inQuality: true,
    };
  }
  switch (q) {
    case 'p':
      return { ...v, status: 'provisional' };
    case 'r':
      return { ...v, status: 'final', reason: 'reason-revised' };
    case 's':
      return { ...v, status: 'estimated' };
  }
  return {
    error: `unknown quality flag "${q}"`,
    hint: 'GENESIS quality flags are e (final), p (provisional), r (revised) and s (estimated); value symbols belong in the value column',
    inQuality: true,
  };
}

/** The period of a row: the time cell (31.12.2022, 2022-05-15, 2022, 2022/23), made a month or quarter by a MONAT/QUART variable. */
export function genesisPeriod(time: string, variables: { code: string; attribute: string }[]): string | null {
  const p = parsePeriod(time);
  if (!p) return null;
  if (p.type !== 'year') return p.key;
  for (const v of variables) {
    const month = /^MONAT(\d{2})$/i.exec(v.attribute);
    if (/^MONAT/i.test(v.code) && month && +month[1] >= 1 && +month[1] <= 12) return `${p.key}-${month[1]}`;
    const quarter = /^QUART([1-4])$/i.exec(v.attribute);
    if (/^QUART/i.test(v.code) && quarter) return `${p.key}-Q${quarter[1]}`;
  }
  return p.key;
}

/** True for the variables that only make the period finer (months, quarters), not a breakdown. */
export function isTimeVariable(code: string): boolean {
  return /^(MONAT|QUART)/i.test(code.trim());
}

// ---------------------------------------------------------------------------------------------
// Writing

interface GenesisWriteVariable {
  code: string;
  label: string;
}

interface GenesisWriteRow {
  time: string;
  /** Attribute code and label for each variable of GenesisWriteTable.variables, in order. */
  attributes: { code: string; label: string }[];
  value: number | null;
  status: ObservationStatus | 'below_min_base';
  reason?: string;
  /** The reason's code (src/contracts/codes/reasons.ts), which decides the symbol when given. */
  reasonCode?: string;
  decimals?: number | null;
}

export interface GenesisWriteTable {
  statisticCode: string;
  statisticLabel: string;
  timeCode: 'STAG' | 'JAHR' | 'SCHJAHR' | 'MONAT' | 'QUART';
  timeLabel: string;
  variables: GenesisWriteVariable[];
  valueCode: string;
  valueLabel: string;
  unit: string;
  rows: GenesisWriteRow[];
}

/** The time code and label GENESIS uses for a period type. */
export function genesisTimeOf(periodKey: string): { code: GenesisWriteTable['timeCode']; label: string; time: string } {
  const p = parsePeriod(periodKey);
  switch (p?.type) {
    case 'date': {
      const [y, m, d] = p.key.split('-');
      return { code: 'STAG', label: 'Stichtag', time: `${d}.${m}.${y}` };
    }
    case 'school_year':
      return { code: 'SCHJAHR', label: 'Schuljahr', time: p.key };
    case 'month':
      return { code: 'MONAT', label: 'Monat', time: p.key };
    case 'quarter':
      return { code: 'QUART', label: 'Quartal', time: p.key };
    default:
      return { code: 'JAHR', label: 'Jahr', time: periodKey };
  }
}

/** A header word as GENESIS writes it in value column names: no spaces, umlauts transcribed. */
function headerWord(s: string): string {
  return s
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/Ä/g, 'Ae')
    .replace(/Ö/g, 'Oe')
    .replace(/Ü/g, 'Ue')
    .replace(/ß/g, 'ss')
    .replace(/__+/g, '_')
    .replace(/[\s;"]+/g, '_');
}

/** The value cell and quality flag of a status: the symbols of the Zeichenerklärung where there is no number. */
function valueAndFlag(r: GenesisWriteRow): [string, string] {
  // By the reason's code; a row without one (a value stored before codes, written by the parser
  // in English) by the parser's own English text, compared whole.
  const is = (code: 'reason-not-reliable' | 'reason-not-applicable' | 'reason-revised') =>
    r.reasonCode !== undefined ? r.reasonCode === code : r.reason === CODES[code].en;
  if (r.value === null || r.status === 'suppressed' || r.status === 'missing' || r.status === 'below_min_base') {
    if (r.status === 'suppressed') return ['.', ''];
    if (r.status === 'below_min_base' || is('reason-not-reliable')) return ['/', ''];
    if (is('reason-not-applicable')) return ['x', ''];
    return ['...', ''];
  }
  const d = r.decimals ?? undefined;
  const text = (
    d === undefined ? String(Math.round(r.value * 1e10) / 1e10) : r.value.toFixed(Math.max(0, Math.min(6, d)))
  ).replace('.', ',');
  const flag = r.status === 'provisional' ? 'p' : r.status === 'estimated' ? 's' : is('reason-revised') ? 'r' : 'e';
  return [text, flag];
}

/**
 * A flat file in the classic German layout of the Regionaldatenbank: ";" and decimal comma,
 * UTF-8 with BOM (Excel then shows the umlauts), CRLF, a quality column "…__q".
 */
export function writeGenesisFfcsv(t: GenesisWriteTable): string {
  // "__" separates code, label and unit in the header: none of them may contain it.
  const valueColumn = `${headerWord(t.valueCode)}__${headerWord(t.valueLabel)}`;
  const header = ['Statistik_Code', 'Statistik_Label', 'Zeit_Code', 'Zeit_Label', 'Zeit'];
  t.variables.forEach((_, i) =>
    header.push(
      `${i + 1}_Merkmal_Code`,
      `${i + 1}_Merkmal_Label`,
      `${i + 1}_Auspraegung_Code`,
      `${i + 1}_Auspraegung_Label`,
    ),
  );
  header.push(`${valueColumn}__${headerWord(t.unit) || 'Anzahl'}`, `${valueColumn}__q`);
  const lines = [csvLine(header, ';')];
  for (const r of t.rows) {
    const cells: string[] = [t.statisticCode, t.statisticLabel, t.timeCode, t.timeLabel, r.time];
    t.variables.forEach((v, i) =>
      cells.push(v.code, v.label, r.attributes[i]?.code ?? '', r.attributes[i]?.label ?? ''),
    );
    cells.push(...valueAndFlag(r));
    lines.push(csvLine(cells, ';'));
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
