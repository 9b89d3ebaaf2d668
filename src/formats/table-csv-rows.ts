// Reading the data rows of a CSV stream (RowParser) and the byte-level helpers it needs.
import { firstInvalidUtf8 } from '../core/text.ts';
import { isAscii, isUtf8 } from 'node:buffer';
import { Transform, type TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { Parser, type Options as CsvOptions } from 'csv-parse';
import iconv from 'iconv-lite';
import { InputRejected } from '../core/problems.ts';
import { badCharacterMessage, findBadCharacter } from '../core/text.ts';
import type { TableEncoding, TableRow } from './table-types.ts';
import { reject, trimTrailingEmpty } from './table-shared.ts';

// Guards memory against a stray quote that would swallow the rest of the file into one field.
export const MAX_RECORD_CHARS = 8 * 1024 * 1024;

export interface CsvSetup {
  delimiter: string;
  encoding: TableEncoding;
  autoEncoding: boolean;
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
export class RowParser extends Transform {
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
    const stuck =
      rest.indexOf('\n') >= 0 ||
      rest.indexOf('"') >= 0 ||
      (rest.indexOf('\r') >= 0 && rest.indexOf('\r') < rest.length - 1);
    if (stuck || (end && rest.length)) {
      // From this line on, csv-parse reads the stream.
      this.csv = new CsvRecords(this.csvOptions, (cells, info) => this.csvRecord(cells, info));
      this.prevEndLine = this.lines;
      this.csvWrite(rest, end);
      return;
    }
    if (rest.length > MAX_RECORD_CHARS) {
      throw Object.assign(new Error(`a line is longer than ${MAX_RECORD_CHARS} characters`), {
        code: 'CSV_MAX_RECORD_SIZE',
        lines: this.lines + 1,
      });
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
      throw reject(this.file, {
        code: m.code,
        line,
        column: this.columns[i] || i + 1,
        value: cells[i].replace(/\u0000/g, '\\0'),
        reason: m.reason,
        hint: m.hint,
      });
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

export function countByte(buf: Buffer, byte: number): number {
  let n = 0;
  for (let i = buf.indexOf(byte); i >= 0; i = buf.indexOf(byte, i + 1)) n++;
  return n;
}

export function decodeUtf8(buf: Buffer, truncated: boolean): string | null {
  try {
    // stream: true tolerates a character cut off at the end of a truncated head.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf, { stream: truncated });
  } catch {
    return null;
  }
}
