// The types of a table read by openTable (table.ts): cells, rows, the open table and its options.

/** XLSX number cells stay numbers; dates become ISO "YYYY-MM-DD" strings; CSV cells are strings. */
export type Cell = string | number | null;

export interface TableRow {
  /** 1-based physical line where the record starts (CSV) or the Excel row number (XLSX). */
  line: number;
  cells: Cell[];
  /**
   * With the option lineText: the record's text exactly as in the file (without the line break),
   * for a CSV record read without quotes whose number of cells equals the header's; else absent.
   */
  text?: string;
}

export type TableEncoding = 'utf-8' | 'windows-1252';

export interface OpenTable {
  /** Display name used in problems. */
  file: string;
  format: 'csv' | 'xlsx';
  /** Header names, trimmed, BOM removed. */
  columns: string[];
  /** Line (CSV) or row number (XLSX) of the header. */
  headerLine: number;
  /** CSV only: detected or given. */
  delimiter?: string;
  /** CSV only. May change from utf-8 to windows-1252 while reading, see openTable. */
  encoding?: TableEncoding;
  /** Decimal separator for numbers written as text. */
  decimal: ',' | '.';
  /** XLSX only: the name of the sheet read. */
  sheet?: string;
  /**
   * The data rows after the header. Streams from the file; each iteration reads the file anew.
   * CSV rows are yielded as found (the caller reports a wrong number of cells, see rowWidthProblem);
   * surplus trailing empty cells are dropped and rows without any content are skipped.
   * XLSX rows are padded with null to the width of the header.
   * Errors while reading are thrown as InputRejected.
   */
  rows: AsyncIterable<TableRow>;
  /** The same rows in batches, for callers that want to avoid one await per row. */
  batches: AsyncIterable<TableRow[]>;
  /** Bytes of the file consumed so far by the current iteration, for progress display. */
  bytesRead(): number;
  totalBytes: number;
  /** Releases the file if the rows are not (fully) iterated; harmless otherwise. */
  close(): Promise<void>;
}

export interface TableOptions {
  delimiter?: string;
  encoding?: TableEncoding | 'auto';
  decimal?: ',' | '.';
  /** XLSX: sheet name or 1-based position; the first sheet by default. */
  sheet?: string | number;
  displayName?: string;
  /** CSV: give records their text as read (TableRow.text), for callers that pass rows through unchanged. */
  lineText?: boolean;
}
