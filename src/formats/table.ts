// One streaming interface over CSV and XLSX tables: a header and rows of cells with their line numbers.
// Readers of observations, areas and catalogues build on this; they report problems by line.
import { firstInvalidUtf8 } from '../core/text.ts';
import { readSourceHead, sourceName, sourceSize, sourceStream, type FileSource } from './source.ts';
import { extname } from 'node:path';
import { isAscii, isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { Parser, type Options as CsvOptions } from 'csv-parse';
import { parse as parseCsvSync } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { InputRejected, type Problem } from '../core/problems.ts';
import { openWorkbook, XlsxFormatError, type XlsxRow, type XlsxSheetInfo, type XlsxWorkbook } from './xlsx-reader.ts';
import { ZipIntegrityError } from './zip.ts';
import { badCharacterMessage, findBadCharacter } from '../core/text.ts';

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

const HEAD_BYTES = 64 * 1024;
// Below V8's large-object size once decoded: chunk strings then die young instead of piling up
// until a full collection.
const CHUNK_BYTES = 64 * 1024;
// Guards memory against a stray quote that would swallow the rest of the file into one field.
const MAX_RECORD_CHARS = 8 * 1024 * 1024;
const DELIMITER_CANDIDATES = [';', ',', '\t', '|'];
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
    if (!st.isFile) throw reject(file, { code: 'not-a-file', reason: 'not a file', hint: 'give the path of a file, not of a directory' });
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

// ---------------------------------------------------------------------------------------------
// CSV

interface CsvSetup {
  delimiter: string;
  encoding: TableEncoding;
  autoEncoding: boolean;
}

async function openCsv(path: FileSource, file: string, size: number, ext: string, options: TableOptions): Promise<OpenTable> {
  const head = await readHead(path, file, Math.min(size, HEAD_BYTES));
  const complete = head.length >= size;
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) {
    throw reject(file, {
      code: 'unsupported-encoding',
      line: 1,
      reason: 'the file is encoded as UTF-16',
      hint: 'save it as CSV UTF-8 (in Excel: "CSV UTF-8 (comma delimited)")',
    });
  }

  const autoEncoding = options.encoding === undefined || options.encoding === 'auto';
  let encoding: TableEncoding;
  let headText: string;
  if (autoEncoding) {
    const utf8 = decodeUtf8(head, !complete);
    encoding = utf8 !== null ? 'utf-8' : 'windows-1252';
    headText = utf8 ?? iconv.decode(head, 'windows-1252');
  } else {
    encoding = options.encoding as TableEncoding;
    if (encoding === 'utf-8' && decodeUtf8(head, !complete) === null) {
      const offset = Math.max(0, firstInvalidUtf8(head));
      throw reject(file, {
        code: 'bad-encoding',
        line: 1 + countByte(head.subarray(0, offset), 0x0a),
        reason: 'the file is not valid UTF-8',
        hint: 'give the encoding windows-1252 (Excel "CSV (semicolon delimited)"), or "auto", or save the file as CSV UTF-8',
      });
    }
    headText = encoding === 'utf-8' ? head.toString('utf8') : iconv.decode(head, 'windows-1252');
  }
  if (headText.charCodeAt(0) === 0xfeff) headText = headText.slice(1);

  const delimiter = options.delimiter ?? detectDelimiter(headText, ext === '.tsv' ? '\t' : ';');
  if (delimiter.length === 0) throw reject(file, { code: 'bad-option', reason: 'the delimiter is empty', hint: 'give a delimiter such as ";" or ","' });
  const setup: CsvSetup = { delimiter, encoding, autoEncoding };
  const csvOptions = parserOptions(delimiter);

  // The header is parsed from the head bytes with the same parser settings as the stream.
  const headBytes = encoding === 'utf-8' ? head : Buffer.from(headText, 'utf8');
  let header: string[] | undefined;
  let headerLine = 1;
  try {
    const records = parseCsvSync(headBytes, { ...csvOptions, to: 1, info: true }) as unknown as { record: string[]; info: { lines: number; empty_lines: number; bytes: number } }[];
    if (records.length > 0) {
      const { record, info } = records[0];
      if (!complete && info.bytes >= headBytes.length) {
        throw reject(file, {
          code: 'header-too-long',
          line: 1,
          reason: `the header line is longer than ${HEAD_BYTES / 1024} KiB`,
          hint: 'check that the header is the first line and that its quotes are closed',
        });
      }
      header = record;
      headerLine = 1 + info.empty_lines;
    }
  } catch (e) {
    if (e instanceof InputRejected) throw e;
    throw csvError(file, e, 1);
  }
  const columns = checkHeader(file, headerLine, header ?? []);

  let current: RowParser | null = null;
  const batches = async function* (): AsyncGenerator<TableRow[]> {
    const source = sourceStream(path, CHUNK_BYTES);
    const parser = new RowParser(csvOptions, setup, columns, file, (enc) => (table.encoding = enc), !!options.lineText);
    current = parser;
    source.on('error', (e) => parser.destroy(e));
    source.pipe(parser);
    try {
      for await (const batch of parser as AsyncIterable<TableRow[]>) yield batch;
    } catch (e) {
      if (e instanceof InputRejected) throw e;
      if (isNodeError(e)) throw fileError(file, e);
      throw csvError(file, e, parser.info.lines);
    } finally {
      source.destroy();
      parser.destroy();
    }
  };
  const table: OpenTable = {
    file,
    format: 'csv',
    columns,
    headerLine,
    delimiter,
    encoding,
    decimal: options.decimal ?? (delimiter === ',' ? '.' : ','),
    rows: flatten(batches),
    batches: { [Symbol.asyncIterator]: batches },
    bytesRead: () => current?.bytes ?? 0,
    totalBytes: size,
    // Nothing is open between iterations: the file is opened when the rows are iterated.
    close: async () => {},
  };
  return table;
}

function parserOptions(delimiter: string): CsvOptions {
  return {
    delimiter,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
    record_delimiter: ['\r\n', '\n', '\r'],
  };
}

/**
 * Reads the data rows of a CSV stream: decodes the bytes, attaches the physical start line to each
 * record and emits records in batches (one per input chunk), which keeps the per-row overhead low.
 *
 * Text without quote characters is split at line breaks and delimiters directly: for such text
 * that is all a CSV parser does, at a fraction of csv-parse's cost (decision 0009). From the first
 * line that holds a quote (or a bare CR line break) on, the rest of the stream goes through
 * csv-parse, which handles quoting, embedded line breaks and their errors.
 */
class RowParser extends Transform {
  bytes = 0;
  private batch: TableRow[] = [];
  private headerSeen = false;
  /** Physical lines consumed so far (complete lines handed on). */
  private lines = 0;
  /** Fast mode: the text after the last line break, continued by the next chunk. */
  private carry = '';
  private started = false;
  /** csv-parse, once the fast mode has ended; with its line counters at the switch. */
  private csv: CsvRecords | null = null;
  private prevEndLine = 0;
  private prevEmptyLines = 0;
  private prevInfoLines = 0;
  private encoding: TableEncoding;
  private sawNonAscii = false;
  private utf8Carry: Buffer | null = null;
  private readonly decoder = new StringDecoder('utf8');
  private readonly width: number;
  /**
   * Set once a chunk contains a NUL character: from then on every cell is checked, so that the
   * problem names its line and column (decoded bytes cannot hold lone surrogates, only NULs).
   */
  private checkCells = false;

  constructor(
    private readonly csvOptions: CsvOptions,
    private readonly setup: CsvSetup,
    private readonly columns: string[],
    private readonly file: string,
    private readonly onEncodingSwitch: (e: TableEncoding) => void,
    private readonly lineText = false,
  ) {
    // Each readable entry is the batch of one input chunk; do not buffer many ahead.
    super({ readableObjectMode: true, readableHighWaterMark: 2 });
    this.encoding = setup.encoding;
    this.width = columns.length;
  }

  /** Where reading stands, for error messages. */
  get info(): { lines: number } {
    return { lines: this.csv ? this.prevEndLine : this.lines + 1 };
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    try {
      let text = this.decode(chunk);
      if (!this.checkCells && text.indexOf('\u0000') >= 0) this.checkCells = true;
      if (!this.started && text.length) {
        this.started = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      this.consume(text, false);
    } catch (e) {
      callback(e as Error);
      return;
    }
    this.flushBatch();
    callback();
  }

  override _flush(callback: TransformCallback): void {
    try {
      if (this.utf8Carry !== null && this.encoding === 'utf-8') throw this.invalidUtf8(this.utf8Carry);
      this.consume(this.encoding === 'utf-8' ? this.decoder.end() : '', true);
    } catch (e) {
      callback(e as Error);
      return;
    }
    this.flushBatch();
    callback();
  }

  private consume(text: string, end: boolean): void {
    if (this.csv) {
      this.csvWrite(text, end);
      return;
    }
    const s = this.carry.length ? this.carry + text : text;
    this.carry = '';
    const quote = s.indexOf('"');
    const delimiter = this.setup.delimiter;
    let pos = 0;
    let cr = s.indexOf('\r');
    for (;;) {
      let nl = s.indexOf('\n', pos);
      if (nl < 0) {
        if (!end) break;
        nl = s.length; // the last line, without a line break
        if (pos >= nl) break;
      }
      let stop = nl;
      if (cr >= 0 && cr < nl) {
        if (cr !== nl - 1) break; // a bare CR inside the line: csv-parse decides what it means
        stop = cr;
        cr = s.indexOf('\r', nl + 1);
      }
      if (quote >= 0 && quote < nl) break;
      this.lines++;
      if (stop > pos) {
        const text = s.slice(pos, stop);
        this.record(text.split(delimiter), this.lines, this.lineText ? text : undefined);
      }
      pos = nl + 1;
      if (pos >= s.length) break;
    }
    const rest = pos < s.length ? s.slice(pos) : '';
    const stuck = rest.indexOf('\n') >= 0 || rest.indexOf('"') >= 0 || rest.indexOf('\r') >= 0 && rest.indexOf('\r') < rest.length - 1;
    if (stuck || (end && rest.length)) {
      // From this line on, csv-parse reads the stream.
      this.csv = new CsvRecords(this.csvOptions, (cells, info) => this.csvRecord(cells, info));
      this.prevEndLine = this.lines;
      this.csvWrite(rest, end);
      return;
    }
    if (rest.length > MAX_RECORD_CHARS) {
      throw Object.assign(new Error(`a line is longer than ${MAX_RECORD_CHARS} characters`), { code: 'CSV_MAX_RECORD_SIZE', lines: this.lines + 1 });
    }
    this.carry = rest;
  }

  private record(cells: string[], line: number, text?: string): void {
    if (!this.headerSeen) {
      this.headerSeen = true;
      return;
    }
    if (this.checkCells) this.checkText(cells, line);
    const first = cells[0];
    if ((first.length === 0 || first.charCodeAt(0) <= 32) && isBlankRecord(cells)) return;
    if (text !== undefined && cells.length === this.width) {
      this.batch.push({ line, cells, text });
      return;
    }
    if (cells.length > this.width) trimTrailingEmpty(cells, this.width);
    this.batch.push({ line, cells });
  }

  private checkText(cells: string[], line: number): void {
    for (let i = 0; i < cells.length; i++) {
      const bad = findBadCharacter(cells[i]);
      if (!bad) continue;
      const m = badCharacterMessage(bad);
      throw reject(this.file, { code: m.code, line, column: this.columns[i] || i + 1, value: cells[i].replace(/\u0000/g, '\\0'), reason: m.reason, hint: m.hint });
    }
  }

  private csvWrite(text: string, end: boolean): void {
    const csv = this.csv!;
    const fail = (err?: Error | null) => {
      if (!err) return;
      // csv-parse counts lines from where it took over, and reports an unclosed quote at the end
      // of the file: name the line where the unfinished record starts instead.
      const e = err as { code?: string; lines?: number };
      if (e.code === 'CSV_QUOTE_NOT_CLOSED') e.lines = this.prevEndLine + 1;
      else if (typeof e.lines === 'number') e.lines += this.lines;
      throw err;
    };
    if (text.length) csv._transform(Buffer.from(text, 'utf8'), 'utf8', fail);
    if (end) csv._flush(fail);
  }

  // Called synchronously by csv-parse for each record, so info describes that record.
  private csvRecord(cells: string[], info: { lines: number; empty_lines: number }): void {
    // A record starts after the previous one and the empty lines skipped since. Where it ends is
    // counted from its line breaks: csv-parse's info.lines counts a CRLF inside quotes twice.
    const emptyLines = info.empty_lines - this.prevEmptyLines;
    const line = this.prevEndLine + 1 + emptyLines;
    const multiLine = info.lines - this.prevInfoLines !== 1 + emptyLines;
    this.prevEndLine = multiLine ? line + countLineBreaks(cells) : line;
    this.prevInfoLines = info.lines;
    this.prevEmptyLines = info.empty_lines;
    this.record(cells, line);
  }

  private flushBatch(): void {
    if (this.batch.length === 0) return;
    const b = this.batch;
    this.batch = [];
    this.push(b);
  }

  private decode(chunk: Buffer): string {
    if (this.encoding === 'windows-1252') return iconv.decode(chunk, 'windows-1252');
    if (this.validUtf8(chunk)) {
      if (!this.sawNonAscii && !isAscii(chunk)) this.sawNonAscii = true;
      return this.decoder.write(chunk);
    }
    // Everything so far was ASCII, which reads the same in both encodings: switch rather than fail.
    if (this.setup.autoEncoding && !this.sawNonAscii && firstInvalidUtf8(chunk) === firstNonAscii(chunk)) {
      this.encoding = 'windows-1252';
      this.onEncodingSwitch('windows-1252');
      return iconv.decode(chunk, 'windows-1252');
    }
    throw this.invalidUtf8(chunk);
  }

  // Validates chunk by chunk; a multi-byte character split between chunks is carried over.
  private validUtf8(chunk: Buffer): boolean {
    let start = 0;
    if (this.utf8Carry !== null) {
      const carry = this.utf8Carry;
      const need = utf8SequenceLength(carry[0]) - carry.length;
      const take = Math.min(need, chunk.length);
      const joined = Buffer.concat([carry, chunk.subarray(0, take)]);
      if (take < need) {
        this.utf8Carry = joined;
        return true;
      }
      this.utf8Carry = null;
      if (!isUtf8(joined)) return false;
      start = take;
    }
    const end = completeUtf8End(chunk, start);
    if (end < chunk.length) this.utf8Carry = Buffer.from(chunk.subarray(end));
    return isUtf8(chunk.subarray(start, end));
  }

  private invalidUtf8(chunk: Buffer): InputRejected {
    const offset = Math.max(0, firstInvalidUtf8(chunk));
    const line = this.info.lines + countByte(chunk.subarray(0, offset), 0x0a);
    return reject(this.file, {
      code: 'bad-encoding',
      line,
      reason: 'the file is not valid UTF-8 here',
      hint: this.setup.autoEncoding
        ? 'the file mixes encodings; save it as CSV UTF-8, or give the encoding windows-1252 explicitly'
        : 'give the encoding windows-1252 (Excel "CSV (semicolon delimited)") or save the file as CSV UTF-8',
    });
  }
}

/** csv-parse handing each record with its position to a callback instead of a stream. */
class CsvRecords extends Parser {
  constructor(
    options: CsvOptions,
    private readonly onRecord: (cells: string[], info: { lines: number; empty_lines: number }) => void,
  ) {
    super(options);
  }

  override push(chunk: unknown): boolean {
    if (chunk !== null) this.onRecord(chunk as string[], this.info);
    return true;
  }
}

function countLineBreaks(cells: string[]): number {
  let n = 0;
  for (const c of cells) {
    for (let i = 0; i < c.length; i++) {
      const ch = c.charCodeAt(i);
      if (ch === 0x0a) n++;
      else if (ch === 0x0d && c.charCodeAt(i + 1) !== 0x0a) n++;
    }
  }
  return n;
}

function isBlankRecord(cells: string[]): boolean {
  for (let i = 0; i < cells.length; i++) if (cells[i].trim().length !== 0) return false;
  return true;
}

// "a;b;c;" style rows (a trailing delimiter, often from Excel) should not count as extra columns.
function trimTrailingEmpty(cells: unknown[], width: number): void {
  let n = cells.length;
  while (n > width && (cells[n - 1] === '' || cells[n - 1] === null)) n--;
  cells.length = n;
}

function utf8SequenceLength(lead: number): number {
  return lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/** End of the last complete UTF-8 sequence: bytes after it start a character continued in the next chunk. */
function completeUtf8End(buf: Buffer, start: number): number {
  const len = buf.length;
  for (let i = len - 1; i >= Math.max(start, len - 3); i--) {
    const b = buf[i];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    if (b >= 0xc0 && i + utf8SequenceLength(b) > len) return i;
    break;
  }
  return len;
}

function firstNonAscii(buf: Buffer): number {
  for (let i = 0; i < buf.length; i++) if (buf[i] >= 0x80) return i;
  return -1;
}

function countByte(buf: Buffer, byte: number): number {
  let n = 0;
  for (let i = buf.indexOf(byte); i >= 0; i = buf.indexOf(byte, i + 1)) n++;
  return n;
}

function decodeUtf8(buf: Buffer, truncated: boolean): string | null {
  try {
    // stream: true tolerates a character cut off at the end of a truncated head.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf, { stream: truncated });
  } catch {
    return null;
  }
}

/** The delimiter that splits the first non-empty line into most fields; ties go to the earlier candidate. */
export function detectDelimiter(text: string, fallback = ';'): string {
  const counts = new Map<string, number>(DELIMITER_CANDIDATES.map((d) => [d, 0]));
  let i = 0;
  while (i < text.length && (text[i] === '\r' || text[i] === '\n')) i++;
  let quoted = false;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = fallback;
  let bestCount = 0;
  const order = [fallback, ...DELIMITER_CANDIDATES.filter((d) => d !== fallback)];
  for (const d of order) {
    const c = counts.get(d) ?? 0;
    if (c > bestCount) {
      best = d;
      bestCount = c;
    }
  }
  return best;
}

async function readHead(source: FileSource, file: string, n: number): Promise<Buffer> {
  try {
    return await readSourceHead(source, n);
  } catch (e) {
    throw fileError(file, e);
  }
}

function csvError(file: string, e: unknown, fallbackLine: number): InputRejected {
  const err = e as { code?: string; message?: string; lines?: number };
  const hints: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: 'a quoted field ("...") is not closed; look for a stray " in or after this line',
    CSV_INVALID_CLOSING_QUOTE: 'a quoted field is followed by other characters; double quotes inside quoted fields ("")',
    CSV_MAX_RECORD_SIZE: 'a record is implausibly long; most likely a quote (") is not closed in or after this line',
  };
  return reject(file, {
    code: 'csv-syntax',
    line: typeof err.lines === 'number' ? err.lines : fallbackLine,
    reason: err.message ?? String(e),
    hint: (err.code && hints[err.code]) ?? 'check the quoting and the delimiter of the file',
  });
}

// ---------------------------------------------------------------------------------------------
// XLSX

interface XlsxSession {
  workbook: XlsxWorkbook;
  rows: AsyncGenerator<XlsxRow[]>;
  /** Rows of the batch that contained the header. */
  pending: TableRow[];
  columns: string[];
  headerLine: number;
  sheet: string;
}

async function openXlsx(path: FileSource, file: string, size: number, options: TableOptions): Promise<OpenTable> {
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
async function startXlsx(path: FileSource, file: string, sheetOption: string | number | undefined): Promise<XlsxSession> {
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
        reason: sheetOption === undefined ? 'the workbook has no sheet' : `the workbook has no sheet ${typeof sheetOption === 'number' ? `number ${sheetOption}` : `"${sheetOption}"`}`,
        hint: names.length ? `the sheets are: ${names.map((n) => `"${n}"`).join(', ')}` : 'check that the file is an Excel workbook with data',
      });
    }
    rows = workbook.rows(chosen);
    for (;;) {
      const r = await rows.next();
      if (r.done) break;
      const batch = r.value;
      for (let k = 0; k < batch.length; k++) {
        const header = batch[k];
        const columns = checkHeader(file, header.number, Array.from(header.cells, (c) => (c === null || c === undefined ? '' : String(c))));
        return { workbook, rows, pending: tableRows(batch.slice(k + 1), columns.length), columns, headerLine: header.number, sheet: chosen.name };
      }
    }
    throw reject(file, { code: 'no-header', line: 1, reason: 'the sheet is empty', hint: 'the first non-empty row must hold the column names' });
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
  if (typeof wanted === 'string') return sheet.name === wanted || sheet.name.toLowerCase() === wanted.trim().toLowerCase();
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
    return reject(file, { code: 'bad-xlsx', line: e.at.row, column: e.at.column, value: e.at.value, reason: `the Excel file cannot be read: ${e.message}`, hint: 'the workbook is damaged or was not written by a spreadsheet program; save it again from Excel, or as CSV UTF-8' });
  }
  const message = e instanceof Error ? e.message : String(e);
  return reject(file, {
    code: 'bad-xlsx',
    reason: `the Excel file cannot be read: ${message}`,
    hint: 'check that it is an .xlsx workbook (not .xls renamed, not password-protected); or save it as CSV UTF-8',
  });
}

// ---------------------------------------------------------------------------------------------
// Shared helpers

function checkHeader(file: string, line: number, raw: string[]): string[] {
  const columns = raw.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c).trim());
  columns.forEach((name, i) => {
    const bad = findBadCharacter(name);
    if (!bad) return;
    const m = badCharacterMessage(bad);
    throw reject(file, { code: m.code, line, column: i + 1, value: name.replace(/\u0000/g, '\\0'), reason: `the column name: ${m.reason}`, hint: m.hint });
  });
  if (columns.every((c) => c === '')) {
    throw reject(file, { code: 'no-header', line, reason: 'the file has no header line', hint: 'the first line must hold the column names' });
  }
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  columns.forEach((name, i) => {
    if (name === '') {
      const trailing = columns.slice(i).every((c) => c === '');
      const leading = columns.slice(0, i + 1).every((c) => c === '');
      problems.push({
        severity: 'error',
        code: 'empty-column-name',
        file,
        line,
        column: i + 1,
        reason: `column ${i + 1} has no name in the header`,
        hint: trailing
          ? 'the header line ends with a delimiter or empty cells: delete them'
          : leading
            ? 'the table must start in the first column: delete the empty columns before it'
            : 'give every column a name',
      });
      return;
    }
    const previous = seen.get(name);
    if (previous !== undefined) {
      problems.push({
        severity: 'error',
        code: 'duplicate-column',
        file,
        line,
        column: i + 1,
        value: name,
        reason: `the column name "${name}" appears twice (columns ${previous} and ${i + 1})`,
        hint: 'give every column a distinct name',
      });
    } else seen.set(name, i + 1);
  });
  if (problems.length) throw new InputRejected(problems);
  return columns;
}

/** Flattens batches into rows with one cheap promise per row (an async generator would cost more). */
function flatten(batches: () => AsyncIterator<TableRow[]>): AsyncIterable<TableRow> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<TableRow> {
      const source = batches();
      let current: TableRow[] = [];
      let i = 0;
      let done = false;
      const finished: IteratorResult<TableRow> = { value: undefined, done: true };
      const pull = async (): Promise<IteratorResult<TableRow>> => {
        for (;;) {
          const r = await source.next();
          if (r.done) {
            done = true;
            current = [];
            return finished;
          }
          if (r.value.length) {
            current = r.value;
            i = 1;
            return { value: current[0], done: false };
          }
        }
      };
      return {
        next(): Promise<IteratorResult<TableRow>> {
          if (i < current.length) return Promise.resolve({ value: current[i++], done: false });
          if (done) return Promise.resolve(finished);
          return pull();
        },
        async return(): Promise<IteratorResult<TableRow>> {
          done = true;
          current = [];
          await source.return?.(undefined);
          return finished;
        },
      };
    },
  };
}

function reject(file: string, p: Omit<Problem, 'severity' | 'file'>): InputRejected {
  return new InputRejected([{ severity: 'error', file, ...p }]);
}

function isNodeError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

function fileError(file: string, e: unknown): InputRejected {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return reject(file, { code: 'file-not-found', reason: 'the file does not exist', hint: 'check the path and the file name' });
  if (code === 'EISDIR') return reject(file, { code: 'not-a-file', reason: 'not a file', hint: 'give the path of a file, not of a directory' });
  if (code === 'EACCES' || code === 'EPERM') return reject(file, { code: 'file-unreadable', reason: 'the file cannot be read (permission denied)', hint: 'check the file permissions' });
  return reject(file, { code: 'file-unreadable', reason: `the file cannot be read: ${e instanceof Error ? e.message : String(e)}`, hint: 'check the path and that the file is not locked' });
}
