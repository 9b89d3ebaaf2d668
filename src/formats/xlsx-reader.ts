/**
 * A streaming reader for the cell values of one worksheet of an .xlsx workbook.
 *
 * Why our own (decision 0006): exceljs' streaming reader walks the zip in file order through
 * unzipper and, in about one of 200–500 opens, ends the entry stream early and fails with
 * "Cannot read properties of undefined (reading 'sheets')"; it also parks worksheets in
 * temporary files. Here yauzl reads the zip's central directory, so the workbook, its
 * relationships, styles and shared strings are read first whatever their order in the file,
 * and the chosen sheet is then streamed straight from the archive through saxes. Only values
 * are read — styles only as far as needed to tell dates from numbers.
 */
import type { FileSource } from './source.ts';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type yauzl from 'yauzl';
import { listEntries as zipEntries, openEntry as zipEntry, openZip as zipOpen, ZipFormatError } from './zip.ts';
import { parsePlainIndex, parsePlainNumber } from '../core/values.ts';

type XlsxCell = string | number | null;

export interface XlsxRow {
  /** The Excel row number (1-based). */
  number: number;
  /** Cells by 0-based column; holes and trailing columns are absent. */
  cells: XlsxCell[];
}

export interface XlsxSheetInfo {
  name: string;
  /** 1-based position in the workbook's tab order. */
  position: number;
}

export interface XlsxWorkbook {
  sheets: XlsxSheetInfo[];
  /** Rows of one sheet in batches (one batch per decompressed chunk), rows without cells skipped. */
  rows(sheet: XlsxSheetInfo): AsyncGenerator<XlsxRow[]>;
  /** Share of the current sheet's bytes read so far, 0–1. */
  progress(): number;
  close(): void;
}

/** A problem with the workbook's structure (not an I/O error, which is thrown as is). */
export class XlsxFormatError extends Error {
  constructor(
    message: string,
    /** The Excel row and column letter of the cell, when the problem is in one. */
    readonly at?: { row: number; column: string; value?: string },
  ) {
    super(message);
  }
}

interface Entry {
  entry: yauzl.Entry;
}

export async function openWorkbook(path: FileSource): Promise<XlsxWorkbook> {
  const zip = await openZip(path);
  let current: Readable | null = null;
  let read = 0;
  let total = 0;
  try {
    const entries = await listEntries(zip);
    const find = (name: string): Entry | undefined => entries.get(name.toLowerCase());
    const rootRels = find('_rels/.rels');
    const workbookPath =
      (rootRels &&
        relationships(await readText(zip, rootRels), '').find((r) => r.type.endsWith('/officeDocument'))?.target) ??
      'xl/workbook.xml';
    const workbookEntry = find(workbookPath);
    if (!workbookEntry)
      throw new XlsxFormatError('the file is a zip archive but not an Excel workbook (no xl/workbook.xml)');
    const base = workbookPath.includes('/') ? workbookPath.slice(0, workbookPath.lastIndexOf('/') + 1) : '';
    const relsEntry = find(`${base}_rels/${workbookPath.slice(base.length)}.rels`);
    const rels = relsEntry ? relationships(await readText(zip, relsEntry), base) : [];
    const book = parseWorkbook(await readText(zip, workbookEntry));
    const byId = new Map(rels.map((r) => [r.id, r]));
    const stylesPath = rels.find((r) => r.type.endsWith('/styles'))?.target ?? `${base}styles.xml`;
    const stringsPath = rels.find((r) => r.type.endsWith('/sharedStrings'))?.target ?? `${base}sharedStrings.xml`;
    const stylesEntry = find(stylesPath);
    const dateStyles = stylesEntry ? parseDateStyles(await readText(zip, stylesEntry)) : new Set<number>();
    const stringsEntry = find(stringsPath);
    const shared = stringsEntry ? await parseSharedStrings(zip, stringsEntry) : [];
    const sheetEntries = new Map<XlsxSheetInfo, Entry | undefined>();
    const sheets = book.sheets.map((s, i) => {
      const info = { name: s.name, position: i + 1 };
      const target = byId.get(s.relId)?.target ?? `${base}worksheets/sheet${i + 1}.xml`;
      sheetEntries.set(info, find(target));
      return info;
    });
    const epoch = book.date1904 ? EPOCH_1904 : EPOCH_1900;

    return {
      sheets,
      rows: async function* (sheet) {
        const entry = sheetEntries.get(sheet);
        if (!entry) throw new XlsxFormatError(`the worksheet "${sheet.name}" is missing from the file`);
        const stream = await openEntry(zip, entry);
        current = stream;
        read = 0;
        total = entry.entry.uncompressedSize;
        const sax = new SheetParser(shared, dateStyles, epoch);
        const decoder = new StringDecoder('utf8');
        try {
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            read += chunk.length;
            sax.write(decoder.write(chunk));
            const rows = sax.take();
            if (rows.length) yield rows;
          }
          sax.write(decoder.end());
          sax.close();
          const rows = sax.take();
          if (rows.length) yield rows;
        } finally {
          stream.destroy();
          current = null;
        }
      },
      progress: () => (current === null ? 1 : total > 0 ? Math.min(1, read / total) : 0),
      close: () => zip.close(),
    };
  } catch (e) {
    zip.close();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Zip access

// The archive is read through ./zip.ts, which verifies every entry's CRC-32 as it is read; a
// mismatch (ZipIntegrityError) is passed on as it is, structural errors become XlsxFormatError.

async function openZip(path: FileSource): Promise<yauzl.ZipFile> {
  try {
    return await zipOpen(path);
  } catch (e) {
    throw e instanceof ZipFormatError ? new XlsxFormatError(e.message) : e;
  }
}

async function listEntries(zip: yauzl.ZipFile): Promise<Map<string, Entry>> {
  try {
    const entries = new Map<string, Entry>();
    for (const entry of await zipEntries(zip)) entries.set(entry.fileName.toLowerCase(), { entry });
    return entries;
  } catch (e) {
    throw e instanceof ZipFormatError ? new XlsxFormatError(e.message) : e;
  }
}

async function openEntry(zip: yauzl.ZipFile, { entry }: Entry): Promise<Readable> {
  try {
    return await zipEntry(zip, entry);
  } catch (e) {
    throw e instanceof ZipFormatError ? new XlsxFormatError(e.message) : e;
  }
}

async function readText(zip: yauzl.ZipFile, entry: Entry): Promise<string> {
  const stream = await openEntry(zip, entry);
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  } catch (e) {
    throw e instanceof ZipFormatError ? new XlsxFormatError(e.message) : e;
  }
  return Buffer.concat(chunks).toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// Workbook parts

/** Tag name without a namespace prefix: some writers emit <x:row> instead of <row>. */
function local(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

function parseXml(
  xml: string,
  onOpen: (tag: SaxesTagPlain, name: string) => void,
  onClose?: (name: string) => void,
  onText?: (text: string) => void,
): void {
  const parser = new SaxesParser({ xmlns: false });
  parser.on('error', (e) => {
    throw new XlsxFormatError(`broken XML inside the workbook: ${e.message}`);
  });
  parser.on('opentag', (tag) => onOpen(tag, local(tag.name)));
  if (onClose) parser.on('closetag', (tag) => onClose(local(tag.name)));
  if (onText) {
    parser.on('text', onText);
    parser.on('cdata', onText);
  }
  parser.write(xml).close();
}

/** An attribute by local name, whatever its prefix (r:id, xr:uid …). */
function attribute(tag: SaxesTagPlain, name: string): string | undefined {
  const direct = tag.attributes[name];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(tag.attributes)) if (local(key) === name) return value;
  return undefined;
}

interface Relationship {
  id: string;
  type: string;
  target: string;
}

function relationships(xml: string, base: string): Relationship[] {
  const out: Relationship[] = [];
  parseXml(xml, (tag, name) => {
    if (name !== 'Relationship') return;
    const target = attribute(tag, 'Target');
    if (target === undefined || attribute(tag, 'TargetMode') === 'External') return;
    out.push({ id: attribute(tag, 'Id') ?? '', type: attribute(tag, 'Type') ?? '', target: resolvePath(base, target) });
  });
  return out;
}

function resolvePath(base: string, target: string): string {
  const parts = (target.startsWith('/') ? target.slice(1) : base + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

function parseWorkbook(xml: string): { sheets: { name: string; relId: string }[]; date1904: boolean } {
  const sheets: { name: string; relId: string }[] = [];
  let date1904 = false;
  parseXml(xml, (tag, name) => {
    if (name === 'sheet')
      sheets.push({ name: attribute(tag, 'name') ?? `Sheet${sheets.length + 1}`, relId: attribute(tag, 'id') ?? '' });
    else if (name === 'workbookPr') date1904 = ['1', 'true'].includes(attribute(tag, 'date1904') ?? '');
  });
  return { sheets, date1904 };
}

// Built-in number formats that show dates or times (ECMA-376 §18.8.30, including the East Asian ones).
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56,
  57, 58,
]);

/** Indexes of the cell formats (cellXfs) that display a date. */
function parseDateStyles(xml: string): Set<number> {
  const custom = new Map<number, string>();
  const dates = new Set<number>();
  let inCellXfs = false;
  let xf = 0;
  parseXml(
    xml,
    (tag, name) => {
      if (name === 'numFmt')
        custom.set(parsePlainIndex(attribute(tag, 'numFmtId')) ?? -1, attribute(tag, 'formatCode') ?? '');
      else if (name === 'cellXfs') inCellXfs = true;
      else if (name === 'xf' && inCellXfs) {
        const id = parsePlainIndex(attribute(tag, 'numFmtId') ?? '0') ?? -1;
        const code = custom.get(id);
        if (code !== undefined ? isDateFormat(code) : BUILTIN_DATE_FORMATS.has(id)) dates.add(xf);
        xf++;
      }
    },
    (name) => {
      if (name === 'cellXfs') inCellXfs = false;
    },
  );
  return dates;
}

/** Whether a number format code shows a date or time (ignoring literals, colours and conditions). */
export function isDateFormat(code: string | undefined): boolean {
  if (!code) return false;
  const bare = code
    .replace(/\[[^\]]*]/g, '')
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '');
  return /[ymdhsb]/i.test(bare) && !/^general$/i.test(bare.trim());
}

async function parseSharedStrings(zip: yauzl.ZipFile, entry: Entry): Promise<string[]> {
  const out: string[] = [];
  let text = '';
  let inT = false;
  let phonetic = 0;
  const parser = new SaxesParser({ xmlns: false });
  let failure: Error | null = null;
  parser.on('error', (e) => {
    failure ??= new XlsxFormatError(`broken XML in the shared strings: ${e.message}`);
  });
  parser.on('opentag', (tag) => {
    const name = local(tag.name);
    if (name === 'si') text = '';
    else if (name === 't') inT = phonetic === 0;
    else if (name === 'rPh') phonetic++;
  });
  parser.on('closetag', (tag) => {
    const name = local(tag.name);
    if (name === 'si') out.push(text);
    else if (name === 't') inT = false;
    else if (name === 'rPh') phonetic--;
  });
  const onText = (t: string) => {
    if (inT) text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  const stream = await openEntry(zip, entry);
  const decoder = new StringDecoder('utf8');
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    parser.write(decoder.write(chunk));
    if (failure) {
      stream.destroy();
      throw failure;
    }
  }
  parser.write(decoder.end()).close();
  if (failure) throw failure;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Worksheet

const EPOCH_1900 = 25569; // serial of 1970-01-01 in the 1900 date system
const EPOCH_1904 = 24107; // … in the 1904 date system

/** Turns <sheetData> XML into rows; fed in chunks, rows taken after each chunk. */
class SheetParser {
  private readonly parser = new SaxesParser({ xmlns: false });
  private done: XlsxRow[] = [];
  private row: XlsxRow | null = null;
  private lastRow = 0;
  private nextColumn = 0;
  private column = 0;
  private type = 'n';
  private style = 0;
  private value = '';
  private inline = '';
  private capture: 'v' | 't' | null = null;
  private phonetic = 0;
  private failure: Error | null = null;

  constructor(
    private readonly shared: string[],
    private readonly dateStyles: Set<number>,
    private readonly epoch: number,
  ) {
    const p = this.parser;
    p.on('error', (e) => {
      this.failure ??= new XlsxFormatError(`broken XML in the worksheet: ${e.message}`);
    });
    p.on('opentag', (tag) => this.open(tag));
    p.on('closetag', (tag) => this.closeTag(local(tag.name)));
    p.on('text', (t) => this.text(t));
    p.on('cdata', (t) => this.text(t));
  }

  write(xml: string): void {
    if (xml) this.parser.write(xml);
    if (this.failure) throw this.failure;
  }

  close(): void {
    this.parser.close();
    if (this.failure) throw this.failure;
  }

  take(): XlsxRow[] {
    const rows = this.done;
    this.done = [];
    return rows;
  }

  private open(tag: SaxesTagPlain): void {
    switch (local(tag.name)) {
      case 'row': {
        const r = attribute(tag, 'r');
        const number = r ? parsePlainIndex(r) : this.lastRow + 1;
        if (number === null || number < 1) {
          this.failure ??= new XlsxFormatError(`a row has the number "${r}", which is not a row number`, {
            row: this.lastRow + 1,
            column: 'A',
            value: r,
          });
          return;
        }
        this.row = { number, cells: [] };
        this.lastRow = number;
        this.nextColumn = 0;
        break;
      }
      case 'c': {
        const ref = attribute(tag, 'r');
        this.column = ref ? columnIndex(ref) : this.nextColumn;
        this.type = attribute(tag, 't') ?? 'n';
        this.style = parsePlainIndex(attribute(tag, 's') ?? '0') ?? -1;
        this.value = '';
        this.inline = '';
        break;
      }
      case 'v':
        this.capture = 'v';
        break;
      case 't':
        if (this.phonetic === 0) this.capture = 't';
        break;
      case 'rPh':
        this.phonetic++;
        break;
    }
  }

  private text(t: string): void {
    if (this.capture === 'v') this.value += t;
    else if (this.capture === 't') this.inline += t;
  }

  private closeTag(name: string): void {
    switch (name) {
      case 'v':
      case 't':
        this.capture = null;
        break;
      case 'rPh':
        this.phonetic--;
        break;
      case 'c': {
        let cell: XlsxCell = null;
        try {
          cell = this.cellValue();
        } catch (e) {
          this.failure ??= e as Error;
        }
        if (this.row && cell !== null) this.row.cells[this.column] = cell;
        this.nextColumn = this.column + 1;
        break;
      }
      case 'row':
        if (this.row && this.row.cells.length) this.done.push(this.row);
        this.row = null;
        break;
    }
  }

  private cellValue(): XlsxCell {
    const v = this.value;
    switch (this.type) {
      case 's': {
        const index = parsePlainIndex(v.trim());
        const s = index === null ? undefined : this.shared[index];
        if (s === undefined)
          throw new XlsxFormatError(`a cell refers to shared string ${v}, which does not exist`, this.at(v));
        return s.length ? s : null;
      }
      case 'inlineStr':
        return this.inline.length ? this.inline : null;
      case 'str':
        return v.length ? v : null;
      case 'b':
        return v === '' ? null : v === '1' || v === 'true' ? 'true' : 'false';
      case 'e':
        return v.length ? v : '#ERROR';
      case 'd':
        return v.length ? isoFromText(v) : null;
      default: {
        if (v.trim() === '') return null;
        // A number cell holds xsd:double text; "0x1A" or "Infinity" is a damaged or forged file.
        const n = parsePlainNumber(v);
        if (n === null) throw new XlsxFormatError(`a number cell holds "${v}", which is not a number`, this.at(v));
        return this.dateStyles.has(this.style) ? isoFromSerial(n, this.epoch) : n;
      }
    }
  }

  private at(value: string): { row: number; column: string; value: string } {
    return { row: this.row?.number ?? this.lastRow, column: columnLetters(this.column), value };
  }
}

/** Column letters of a 0-based column ("A", "AB"). */
function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** 0-based column of a cell reference such as "AB12". */
function columnIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower case
    if (c < 97 || c > 122) break;
    n = n * 26 + (c - 96);
  }
  return n - 1;
}

function isoFromSerial(serial: number, epoch: number): string {
  return isoDate(new Date(Math.round((serial - epoch) * 86400 * 1000)));
}

function isoFromText(text: string): string {
  const d = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) || !text.includes('T') ? text : `${text}Z`);
  return isoDate(d);
}

/** Excel dates carry no time zone: the UTC fields are the ones written. */
function isoDate(d: Date): string {
  if (Number.isNaN(d.getTime())) return '#ERROR';
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19);
}
