// One streaming interface over CSV and XLSX tables: a header and rows of cells with their line numbers.
// Readers of observations, areas and catalogues build on this; they report problems by line.
import { sourceName, sourceSize, type FileSource } from './source.ts';
import { extname } from 'node:path';
import { InputRejected, type Problem } from '../core/problems.ts';
import { openCsv } from './table-csv.ts';
import { openXlsx } from './table-xlsx.ts';
import type { OpenTable, TableOptions, TableRow } from './table-types.ts';
import { fileError, reject } from './table-shared.ts';

export type { Cell, OpenTable, TableEncoding, TableOptions, TableRow } from './table-types.ts';
const CSV_EXTENSIONS = new Set(['.csv', '.txt', '.tsv']);

/**
 * Opens a CSV or XLSX file and reads its header. The rows are read lazily when iterated.
 * CSV encoding "auto" (the default) takes UTF-8 if the first 64 KiB are valid UTF-8, else Windows-1252;
 * if those bytes were plain ASCII and invalid UTF-8 turns up later, reading continues as Windows-1252.
 */
export async function openTable(source: FileSource, options: TableOptions = {}): Promise<OpenTable> {
  const file = options.displayName ?? sourceName(source);
  const ext = extname(sourceName(source)).toLowerCase();
  const format = CSV_EXTENSIONS.has(ext) ? 'csv' : ext === '.xlsx' ? 'xlsx' : null;
  if (format === null) {
    throw reject(file, {
      code: 'unknown-format',
      reason: `unknown file type "${ext || '(no extension)'}"`,
      hint:
        ext === '.xls' || ext === '.ods'
          ? 'save the file as .xlsx (Excel 2007 or later) or as CSV'
          : 'give a file ending in .csv, .txt or .tsv (delimited text) or .xlsx (Excel)',
    });
  }
  let size: number;
  try {
    const st = await sourceSize(source);
    if (!st.isFile)
      throw reject(file, {
        code: 'not-a-file',
        reason: 'not a file',
        hint: 'give the path of a file, not of a directory',
      });
    size = st.size;
  } catch (e) {
    if (e instanceof InputRejected) throw e;
    throw fileError(file, e);
  }
  return format === 'csv' ? openCsv(source, file, size, ext, options) : openXlsx(source, file, size, options);
}

/** A problem for a row whose number of cells differs from the header, or null when it fits. */
export function rowWidthProblem(table: Pick<OpenTable, 'file' | 'columns'>, row: TableRow): Problem | null {
  const n = row.cells.length;
  const width = table.columns.length;
  if (n === width) return null;
  return {
    severity: 'error',
    code: 'column-count',
    file: table.file,
    line: row.line,
    reason: `line ${row.line} has ${n} column${n === 1 ? '' : 's'}, the header has ${width}`,
    hint:
      n < width
        ? 'a delimiter is missing, or a value contains a line break without being quoted'
        : 'a value contains the delimiter without being quoted ("..."), or the delimiter is wrong',
  };
}
