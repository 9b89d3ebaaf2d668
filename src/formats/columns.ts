// Reading columns of a table (CSV/XLSX) by name: cell text, coordinates, and finding a column
// named by an option or recognised by one of its usual names.
import type { Cell, OpenTable } from './table.ts';
import type { ProblemList } from '../core/problems.ts';
import { parseNumber } from '../core/values.ts';

export function cellText(c: Cell | undefined): string {
  return c === null || c === undefined ? '' : typeof c === 'string' ? c.trim() : String(c);
}

/** A coordinate cell: a number, or text with either decimal separator ("8.70" and "8,70"). */
export function coordinateOf(c: Cell | undefined): number | null {
  if (typeof c === 'number') return Number.isFinite(c) ? c : null;
  const t = cellText(c);
  if (!t) return null;
  return parseNumber(t, t.includes(',') && !t.includes('.') ? ',' : '.');
}

/**
 * The index of a column: the one named `wanted` (exact, else case-insensitive), else the first
 * header equal to one of the aliases (lower case); -1 if none.
 */
export function columnIndex(
  columns: readonly string[],
  wanted: string | undefined,
  aliases: readonly string[],
): number {
  if (wanted !== undefined) {
    const exact = columns.indexOf(wanted);
    if (exact >= 0) return exact;
    const w = wanted.trim().toLowerCase();
    return columns.findIndex((c) => c.trim().toLowerCase() === w);
  }
  const lower = columns.map((c) => c.trim().toLowerCase());
  for (const a of aliases) {
    const i = lower.indexOf(a);
    if (i >= 0) return i;
  }
  return -1;
}

/**
 * columnIndex() for a file whose columns an option may name: a named column that does not exist
 * is an error (positioned in line 1); an unrecognised one is -1.
 */
export function findColumn(
  table: Pick<OpenTable, 'file' | 'columns'>,
  problems: ProblemList,
  wanted: string | undefined,
  aliases: readonly string[],
  option: string,
): number {
  const i = columnIndex(table.columns, wanted, aliases);
  if (wanted !== undefined && i < 0)
    problems.error({
      code: 'missing-column',
      file: table.file,
      line: 1,
      value: wanted,
      reason: `the column "${wanted}" given with ${option} does not exist`,
      hint: `the file has the columns: ${table.columns.join(', ')}`,
    });
  return i;
}
