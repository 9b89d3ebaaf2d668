// Opening a CSV table: encoding, delimiter and header from the head of the file, rows streamed
// through RowParser (table-csv-rows.ts).
import { firstInvalidUtf8 } from '../core/text.ts';
import { readSourceHead, sourceStream, type FileSource } from './source.ts';
import type { Options as CsvOptions } from 'csv-parse';
import { parse as parseCsvSync } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { InputRejected } from '../core/problems.ts';
import type { OpenTable, TableEncoding, TableOptions, TableRow } from './table-types.ts';
import { checkHeader, fileError, flatten, isNodeError, reject } from './table-shared.ts';
import { MAX_RECORD_CHARS, RowParser, countByte, decodeUtf8, type CsvSetup } from './table-csv-rows.ts';

const HEAD_BYTES = 64 * 1024;
// Below V8's large-object size once decoded: chunk strings then die young instead of piling up
// until a full collection.
const CHUNK_BYTES = 64 * 1024;
const DELIMITER_CANDIDATES = [';', ',', '\t', '|'];

export async function openCsv(
  path: FileSource,
  file: string,
  size: number,
  ext: string,
  options: TableOptions,
): Promise<OpenTable> {
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
  if (delimiter.length === 0)
    throw reject(file, {
      code: 'bad-option',
      reason: 'the delimiter is empty',
      hint: 'give a delimiter such as ";" or ","',
    });
  const setup: CsvSetup = { delimiter, encoding, autoEncoding };
  const csvOptions = parserOptions(delimiter);

  // The header is parsed from the head bytes with the same parser settings as the stream.
  const headBytes = encoding === 'utf-8' ? head : Buffer.from(headText, 'utf8');
  let header: string[] | undefined;
  let headerLine = 1;
  try {
    const records = parseCsvSync(headBytes, { ...csvOptions, to: 1, info: true }) as unknown as {
      record: string[];
      info: { lines: number; empty_lines: number; bytes: number };
    }[];
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

/** The delimiter that splits the first non-empty line into most fields; ties go to the earlier candidate. */
function detectDelimiter(text: string, fallback = ';'): string {
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
    CSV_INVALID_CLOSING_QUOTE:
      'a quoted field is followed by other characters; double quotes inside quoted fields ("")',
    CSV_MAX_RECORD_SIZE: 'a record is implausibly long; most likely a quote (") is not closed in or after this line',
  };
  return reject(file, {
    code: 'csv-syntax',
    line: typeof err.lines === 'number' ? err.lines : fallbackLine,
    reason: err.message ?? String(e),
    hint: (err.code && hints[err.code]) ?? 'check the quoting and the delimiter of the file',
  });
}
