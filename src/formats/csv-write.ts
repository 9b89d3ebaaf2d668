// Writing CSV: one place for quoting and number formatting, so every export follows the same
// conventions (";" with decimal comma for German spreadsheets, or "," with decimal point).

export type Delimiter = ';' | ',';

/** One cell: null/undefined → empty, objects as JSON, quoted when it holds the delimiter, quotes or line breaks. */
function csvCell(v: unknown, delimiter: Delimiter = ';'): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A number rounded to 10 decimals (no float noise), with the decimal separator of the delimiter. */
export function csvNumber(n: number | null | undefined, decimal: ',' | '.' = ','): string {
  if (n === null || n === undefined) return '';
  const s = String(Math.round(n * 1e10) / 1e10);
  return decimal === ',' ? s.replace('.', ',') : s;
}

export function decimalFor(delimiter: Delimiter): ',' | '.' {
  return delimiter === ';' ? ',' : '.';
}

export function csvLine(cells: unknown[], delimiter: Delimiter = ';'): string {
  return cells.map((c) => csvCell(c, delimiter)).join(delimiter);
}
