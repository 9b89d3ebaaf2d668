// Opening an XLSX table: the sheet, its header and its rows, streamed from the workbook.
import type { FileSource } from './source.ts';
import { InputRejected } from '../core/problems.ts';
import { openWorkbook, XlsxFormatError, type XlsxRow, type XlsxSheetInfo, type XlsxWorkbook } from './xlsx-reader.ts';
import { ZipIntegrityError } from './zip.ts';
import type { Cell, OpenTable, TableOptions, TableRow } from './table-types.ts';
import { checkHeader, fileError, flatten, isNodeError, reject, trimTrailingEmpty } from './table-shared.ts';

interface XlsxSession {
  workbook: XlsxWorkbook;
  rows: AsyncGenerator<XlsxRow[]>;
  /** Rows of the batch that contained the header. */
  pending: TableRow[];
  columns: string[];
  headerLine: number;
  sheet: string;
}

export async function openXlsx(
  path: FileSource,
  file: string,
  size: number,
  options: TableOptions,
): Promise<OpenTable> {
  let session: XlsxSession | null = await startXlsx(path, file, options.sheet);
  const { columns, headerLine, sheet } = session;
  let current: XlsxWorkbook | null = session.workbook;

  const batches = async function* (): AsyncGenerator<TableRow[]> {
    // The first pass continues the session opened for the header; later passes reopen the file.
    const s = session ?? (await startXlsx(path, file, options.sheet));
    session = null;
    current = s.workbook;
    try {
      if (s.pending.length) yield s.pending;
      for (;;) {
        let r: IteratorResult<XlsxRow[]>;
        try {
          r = await s.rows.next();
        } catch (e) {
          throw xlsxError(file, e);
        }
        if (r.done) break;
        const batch = tableRows(r.value, columns.length);
        if (batch.length) yield batch;
      }
    } finally {
      await endXlsx(s);
    }
  };
  return {
    file,
    format: 'xlsx',
    columns,
    headerLine,
    sheet,
    decimal: options.decimal ?? ',',
    rows: flatten(batches),
    batches: { [Symbol.asyncIterator]: batches },
    bytesRead: () => Math.round((current?.progress() ?? 0) * size),
    totalBytes: size,
    close: async () => {
      if (session) await endXlsx(session);
      session = null;
    },
  };
}

/** Opens the workbook, finds the sheet and reads up to the header row. */
async function startXlsx(
  path: FileSource,
  file: string,
  sheetOption: string | number | undefined,
): Promise<XlsxSession> {
  let workbook: XlsxWorkbook;
  try {
    workbook = await openWorkbook(path);
  } catch (e) {
    throw xlsxError(file, e);
  }
  let rows: AsyncGenerator<XlsxRow[]> | null = null;
  try {
    const chosen = workbook.sheets.find((s) => sheetMatches(s, sheetOption));
    if (!chosen) {
      const names = workbook.sheets.map((s) => s.name);
      throw reject(file, {
        code: 'sheet-not-found',
        reason:
          sheetOption === undefined
            ? 'the workbook has no sheet'
            : `the workbook has no sheet ${typeof sheetOption === 'number' ? `number ${sheetOption}` : `"${sheetOption}"`}`,
        hint: names.length
          ? `the sheets are: ${names.map((n) => `"${n}"`).join(', ')}`
          : 'check that the file is an Excel workbook with data',
      });
    }
    rows = workbook.rows(chosen);
    for (;;) {
      const r = await rows.next();
      if (r.done) break;
      const batch = r.value;
      for (let k = 0; k < batch.length; k++) {
        const header = batch[k];
        const columns = checkHeader(
          file,
          header.number,
          Array.from(header.cells, (c) => (c === null || c === undefined ? '' : String(c))),
        );
        return {
          workbook,
          rows,
          pending: tableRows(batch.slice(k + 1), columns.length),
          columns,
          headerLine: header.number,
          sheet: chosen.name,
        };
      }
    }
    throw reject(file, {
      code: 'no-header',
      line: 1,
      reason: 'the sheet is empty',
      hint: 'the first non-empty row must hold the column names',
    });
  } catch (e) {
    await rows?.return(undefined).catch(() => undefined);
    workbook.close();
    throw xlsxError(file, e);
  }
}

async function endXlsx(s: XlsxSession): Promise<void> {
  await s.rows.return(undefined).catch(() => undefined);
  s.workbook.close();
}

function sheetMatches(sheet: XlsxSheetInfo, wanted: string | number | undefined): boolean {
  if (typeof wanted === 'string')
    return sheet.name === wanted || sheet.name.toLowerCase() === wanted.trim().toLowerCase();
  return sheet.position === (wanted ?? 1);
}

/** Excel rows as table rows padded with null to the header's width; surplus empty cells dropped. */
function tableRows(rows: XlsxRow[], width: number): TableRow[] {
  const out: TableRow[] = [];
  for (const row of rows) {
    const cells: Cell[] = new Array(Math.max(width, row.cells.length)).fill(null);
    for (let i = 0; i < row.cells.length; i++) cells[i] = row.cells[i] ?? null;
    if (cells.length > width) trimTrailingEmpty(cells, width);
    out.push({ line: row.number, cells });
  }
  return out;
}

function xlsxError(file: string, e: unknown): InputRejected {
  if (e instanceof InputRejected) return e;
  if (isNodeError(e)) return fileError(file, e);
  if (e instanceof ZipIntegrityError) {
    return reject(file, {
      code: e.problemCode,
      value: e.entry,
      reason: `the file is damaged: ${e.message}`,
      hint: 'the workbook was changed or broken in transit (`unzip -t` shows it); save or export it again from Excel',
    });
  }
  if (e instanceof XlsxFormatError && e.at) {
    return reject(file, {
      code: 'bad-xlsx',
      line: e.at.row,
      column: e.at.column,
      value: e.at.value,
      reason: `the Excel file cannot be read: ${e.message}`,
      hint: 'the workbook is damaged or was not written by a spreadsheet program; save it again from Excel, or as CSV UTF-8',
    });
  }
  const message = e instanceof Error ? e.message : String(e);
  return reject(file, {
    code: 'bad-xlsx',
    reason: `the Excel file cannot be read: ${message}`,
    hint: 'check that it is an .xlsx workbook (not .xls renamed, not password-protected); or save it as CSV UTF-8',
  });
}
