// Points from a CSV/XLSX table (x/y columns in any supported CRS) or a GeoJSON file of Point
// features, transformed to WGS84 for assignment to areas.
//
// Tables are streamed: openPoints() reads the header, and the points come in batches (one per
// chunk of the file), so a command can write its output while it reads and never holds the whole
// file. GeoJSON is one JSON document and is read whole.
//
// The CRS: `--crs` (option), else the "crs" member a GeoJSON file declares (any spelling:
// EPSG:25833, urn:ogc:def:crs:EPSG::25833, http://www.opengis.net/def/crs/EPSG/0/25833), else
// WGS84 lon/lat. An option that contradicts the file's declaration is an error. Every point must
// fit the CRS by the rule import areas applies to a whole layer (core/geo/crs.ts,
// assessCoordinates: metres declared as degrees, degrees declared as metres, a wrong zone); the
// first point that does not is an error naming it.
import { extname } from 'node:path';
import { isUtf8 } from 'node:buffer';
import { openTable, rowWidthProblem, type Cell, type TableEncoding } from './table.ts';
import {
  assessCoordinates,
  geoJsonCrsText,
  makeTransform,
  makeTransformInto,
  parseCrs,
  pointFitTest,
  resolveCrsReference,
} from '../core/geo/crs.ts';
import type { BBox } from '../core/geo/types.ts';
import { parseNumber, parsePlainNumber } from '../core/values.ts';
import { ProblemList, type Problem } from '../core/problems.ts';
import { parseJsonDocument, readDocumentText } from './document.ts';
import { coded } from '../contracts/codes/index.ts';

export interface PointReadOptions {
  /** Name of the file as shown to the user. */
  file: string;
  x?: string;
  y?: string;
  /** CRS of the coordinates; checked against the CRS a GeoJSON file declares. */
  crs?: string;
  delimiter?: string;
  encoding?: TableEncoding | 'auto';
  sheet?: string | number;
  /**
   * CSV: batches of plain lines may come as their bytes (PointBatch.raw) instead of rows, for a
   * caller that writes the lines out unchanged (assign points).
   */
  rawLines?: boolean;
}

/**
 * The lines of a batch as bytes of the file: line i is bytes[start[i], end[i]) — UTF-8 text without
 * its line break, read without quotes, with the header's number of cells.
 */
export interface RawLines {
  /** The file's delimiter (one ASCII character); a line holds no quote character. */
  delimiter: string;
  bytes: Uint8Array;
  start: Int32Array;
  end: Int32Array;
}

/** Points of one chunk of the file. */
interface PointBatch {
  /** The input cells of each point, in the order of `columns`. */
  rows: Cell[][];
  /**
   * CSV: each row's text as in the file, where it was read without quotes and has the header's
   * number of cells (undefined otherwise): with `delimiter` ";" it can be written out unchanged.
   */
  texts?: (string | undefined)[];
  /**
   * With the option rawLines: the points' lines as bytes; `rows` and `texts` are then empty and
   * `lines` holds the line of the first point only.
   */
  raw?: RawLines;
  /** Line (CSV/XLSX) or feature number (GeoJSON) of each point. */
  lines: number[];
  /** WGS84 longitude and latitude. */
  xs: Float64Array;
  ys: Float64Array;
}

export interface PointStream {
  file: string;
  columns: string[];
  /** The CRS of the coordinates ("EPSG:n"). */
  crs: string;
  /** Where the CRS came from: the option, the file's "crs" member, or the default (WGS84 lon/lat). */
  crsSource: 'option' | 'file' | 'default';
  /** CSV: the delimiter of the file (the one `texts` are written in). */
  delimiter?: string;
  /**
   * The points, batch by batch; read once. A batch is yielded only when all its points are
   * usable; at the first problem no further batch is yielded, the rest of the file is read for
   * more problems (not after a point that does not fit the CRS: the others would not either),
   * and InputRejected is thrown with them all.
   */
  batches: AsyncIterable<PointBatch>;
  /** After the batches: warnings (the points lie far from Europe). */
  warnings(): Problem[];
}

export interface PointTable {
  columns: string[];
  rows: Cell[][];
  xs: Float64Array;
  ys: Float64Array;
  crs: string;
}

const X_NAMES = ['x', 'lon', 'lng', 'longitude', 'rechtswert', 'easting'];
const Y_NAMES = ['y', 'lat', 'latitude', 'hochwert', 'northing'];

/** Opens a point file: reads the header (tables) or the whole document (GeoJSON) and settles the CRS. */
export async function openPoints(path: string, o: PointReadOptions): Promise<PointStream> {
  const ext = extname(path).toLowerCase();
  return ext === '.geojson' || ext === '.json' ? openGeoJsonPoints(path, o) : openTablePoints(path, o);
}

/** Every point of a file at once (for callers that need them all, e.g. the facility import). */
export async function readPoints(path: string, o: PointReadOptions): Promise<PointTable> {
  const s = await openPoints(path, o);
  const rows: Cell[][] = [];
  const xs: number[] = [];
  const ys: number[] = [];
  for await (const b of s.batches) {
    for (let i = 0; i < b.rows.length; i++) {
      rows.push(b.rows[i]);
      xs.push(b.xs[i]);
      ys.push(b.ys[i]);
    }
  }
  return { columns: s.columns, rows, xs: Float64Array.from(xs), ys: Float64Array.from(ys), crs: s.crs };
}

/** The option's CRS, or an error. */
function optionCrs(o: PointReadOptions, problems: ProblemList): string | null {
  if (o.crs === undefined) return null;
  const r = resolveCrsReference(o.crs, 'the --crs option');
  if ('crs' in r) return r.crs;
  problems.error({ ...r, file: o.file, value: o.crs });
  return null;
}

const SOURCE_TEXT = {
  option: 'given with --crs',
  file: 'declared in the file',
  default: 'the default for a file that declares none: WGS84 longitude/latitude',
} as const;

/** Checks each point against the CRS and keeps the native bounding box. */
class CrsCheck {
  private readonly fits: (x: number, y: number) => boolean;
  readonly box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  constructor(
    readonly crs: string,
    readonly source: PointStream['crsSource'],
  ) {
    this.fits = pointFitTest(crs);
  }
  /** Null when (x, y) can be in the CRS, else the problem naming the point (`where` is asked only then). */
  check(
    x: number,
    y: number,
    file: string,
    where: () => { line?: number; column?: number | string; point: string },
  ): Problem | null {
    if (this.fits(x, y)) {
      const b = this.box;
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
      return null;
    }
    const issue = assessCoordinates(this.crs, [x, y, x, y]);
    const at = where();
    return {
      severity: 'error',
      code: 'crs-mismatch',
      file,
      line: at.line,
      column: at.column,
      value: `${x} ${y}`,
      reason: `${at.point}: ${issue?.reason ?? `the coordinates do not fit ${this.crs}`} (the CRS ${this.crs} is ${SOURCE_TEXT[this.source]})`,
      hint: issue?.hint,
    };
  }
  warnings(file: string): Problem[] {
    if (!this.box.every(Number.isFinite)) return [];
    const issue = assessCoordinates(this.crs, this.box);
    return issue?.severity === 'warning'
      ? [{ severity: 'warning', code: 'outside-europe', file, value: this.crs, reason: issue.reason, hint: issue.hint }]
      : [];
  }
}

// ---------------------------------------------------------------------------------------------
// Tables

// Coordinates come with either separator, even in ";"-files ("8.70" as often as "8,70").
function coordinate(c: Cell | undefined): number | null {
  if (typeof c === 'number') return Number.isFinite(c) ? c : null;
  if (c === null || c === undefined) return null;
  return plainDecimal(c) ?? parsePlainNumber(c) ?? parseNumber(c, c.includes(',') ? ',' : '.');
}

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/**
 * The hot path of a million points: "-13.4495833", "5820110" — an optional minus, digits, at
 * most one point, nothing else — read digit by digit. With at most 15 significant digits and 22
 * decimals, digits / 10^decimals is one correctly rounded division of two exact numbers, so the
 * result equals Number()'s (Clinger's fast path). Anything else — exponents, spaces, a decimal
 * comma, more digits — returns undefined for the parsers of core/values.ts.
 */
function plainDecimal(s: string): number | undefined {
  const n = s.length;
  let i = 0;
  let negative = false;
  if (n && s.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  let digits = 0;
  let mantissa = 0;
  let decimals = -1;
  for (; i < n; i++) {
    const ch = s.charCodeAt(i);
    if (ch >= 48 && ch <= 57) {
      mantissa = mantissa * 10 + (ch - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (ch === 46 && decimals < 0) decimals = 0;
    else return undefined;
  }
  if (digits === 0 || digits > 15 || decimals > 22) return undefined;
  const v = decimals > 0 ? mantissa / POW10[decimals] : mantissa;
  return negative && v !== 0 ? -v : v;
}

async function openTablePoints(path: string, o: PointReadOptions): Promise<PointStream> {
  const problems = new ProblemList();
  const opt = optionCrs(o, problems);
  problems.throwIfErrors(`The points in ${o.file} were not read.`);
  const crs = opt ?? 'EPSG:4326';
  const source = opt ? 'option' : 'default';
  const table = await openTable(path, {
    displayName: o.file,
    delimiter: o.delimiter,
    encoding: o.encoding,
    sheet: o.sheet,
    lineText: true,
  });
  const lower = table.columns.map((c) => c.trim().toLowerCase());
  const find = (wanted: string | undefined, names: string[], opt: string) => {
    const i =
      wanted !== undefined
        ? table.columns.findIndex((c) => c === wanted || c.trim().toLowerCase() === wanted.trim().toLowerCase())
        : (names.map((n) => lower.indexOf(n)).find((i) => i >= 0) ?? -1);
    if (i < 0)
      problems.error({
        code: 'missing-column',
        file: o.file,
        line: 1,
        value: wanted,
        reason: wanted ? `the column "${wanted}" does not exist` : 'no coordinate column found',
        hint: `name it with ${opt}; columns: ${table.columns.join(', ')}`,
      });
    return i;
  };
  const xi = find(o.x, X_NAMES, '--x COLUMN');
  const yi = find(o.y, Y_NAMES, '--y COLUMN');
  problems.throwIfErrors(`The points in ${o.file} were not read.`);
  const check = new CrsCheck(crs, source);
  const transform = makeTransformInto(crs);
  const fail = () => coded('points-not-read', { file: String(o.file), n: problems.errorCount });

  async function* batches(): AsyncGenerator<PointBatch> {
    // Plain lines straight from the bytes while they last; from the first other line on (quotes,
    // a wrong number of cells, a coordinate in another notation, a point that does not fit the
    // CRS …) the table reader takes over from the start of the file and skips the points read.
    let skip = 0;
    if (o.rawLines && table.format === 'csv' && table.encoding === 'utf-8' && typeof path === 'string') {
      const plain = plainLines(
        path,
        table.delimiter!,
        table.headerLine,
        table.columns.length,
        xi,
        yi,
        check,
        transform,
      );
      for await (const b of plain.batches()) {
        skip += b.xs.length;
        yield b;
      }
      if (plain.complete()) return;
    }
    let failed = false;
    for await (const all of table.batches) {
      let rows = all;
      if (skip) {
        const dropped = Math.min(skip, rows.length);
        skip -= dropped;
        if (dropped === rows.length) continue;
        rows = rows.slice(dropped);
      }
      const n = rows.length;
      const out: PointBatch = {
        rows: new Array(n),
        texts: new Array(n),
        lines: new Array(n),
        xs: new Float64Array(n),
        ys: new Float64Array(n),
      };
      let k = 0;
      for (const row of rows) {
        const width = row.cells.length === table.columns.length ? null : rowWidthProblem(table, row);
        if (width) {
          problems.add(width);
          failed = true;
          continue;
        }
        const x = coordinate(row.cells[xi]);
        const y = coordinate(row.cells[yi]);
        if (x === null || y === null) {
          const bad = x === null ? xi : yi;
          const text = row.cells[bad] === null ? '' : String(row.cells[bad]);
          problems.error({
            code: 'bad-coordinate',
            file: o.file,
            line: row.line,
            column: table.columns[bad],
            value: text,
            reason: text.trim() ? 'not a number' : 'the coordinate is empty',
            hint: 'every point needs both coordinates',
          });
          failed = true;
          continue;
        }
        const misfit = check.check(x, y, o.file, () => ({
          line: row.line,
          column: table.columns[xi],
          point: `the point in line ${row.line}`,
        }));
        if (misfit) {
          // The first point that cannot be in the CRS: the others would not be either.
          problems.add(misfit);
          await table.close();
          problems.throwIfErrors(fail());
        }
        if (failed) continue;
        transform(x, y, out.xs, out.ys, k);
        out.rows[k] = row.cells;
        out.texts![k] = row.text;
        out.lines[k] = row.line;
        k++;
      }
      if (failed) continue;
      if (k < n) throw new Error('internal: batch shrank without a problem');
      yield out;
    }
    problems.throwIfErrors(fail());
  }

  return {
    file: o.file,
    columns: table.columns,
    crs,
    crsSource: source,
    delimiter: table.delimiter,
    batches: { [Symbol.asyncIterator]: batches },
    warnings: () => check.warnings(o.file),
  };
}

// ---------------------------------------------------------------------------------------------
// Plain lines, read as bytes

const PLAIN_CHUNK_BYTES = 1 << 20;

/**
 * The fast path of a large CSV: lines without quotes, NUL or stray CR, UTF-8, with exactly the
 * header's number of cells, not starting with a blank or a delimiter, whose two coordinates are
 * plain decimals ("-13.4495833", "5820110", "13,4495833" where the delimiter is not ",") that fit
 * the CRS — the lines of nearly every machine-written point file. They are read as bytes and
 * handed on as bytes: no decoding, splitting or encoding. At the first other line the batches end
 * with complete() false, and the table reader (which knows every other case and its error) goes on.
 * The points it yields equal the table reader's for the same lines (test/formats/points.test.ts).
 */
function plainLines(
  path: string,
  delimiter: string,
  headerLine: number,
  width: number,
  xi: number,
  yi: number,
  check: CrsCheck,
  transform: (x: number, y: number, xs: Float64Array, ys: Float64Array, i: number) => void,
): { batches(): AsyncGenerator<PointBatch>; complete(): boolean } {
  const d = delimiter.length === 1 ? delimiter.charCodeAt(0) : -1;
  const usable = d > 0 && d < 128 && d !== 34 && d !== 13 && d !== 10 && !(d >= 48 && d <= 57) && d !== 45 && d !== 46;
  const shape: LineShape = { d, width, xi, yi, commaDecimal: d !== 44 };
  let complete = false;
  async function* batches(): AsyncGenerator<PointBatch> {
    if (!usable) return;
    const { open } = await import('node:fs/promises');
    const fh = await open(path, 'r');
    try {
      let carry: Buffer = Buffer.alloc(0);
      let line = 0;
      let first = true;
      // Two read buffers: the next chunk is read while this one is scanned.
      const spare = [Buffer.allocUnsafe(PLAIN_CHUNK_BYTES), Buffer.allocUnsafe(PLAIN_CHUNK_BYTES)];
      let turn = 0;
      let reading = fh.read(spare[0], 0, PLAIN_CHUNK_BYTES, null);
      for (;;) {
        const { bytesRead, buffer: chunk } = await reading;
        const eof = bytesRead === 0;
        const len = carry.length + bytesRead;
        const buf = Buffer.allocUnsafe(len);
        carry.copy(buf, 0);
        chunk.copy(buf, carry.length, 0, bytesRead);
        turn ^= 1;
        if (!eof) reading = fh.read(spare[turn], 0, PLAIN_CHUNK_BYTES, null);
        let pos = 0;
        if (first) {
          first = false;
          if (len >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
          // The header (and the empty lines before it) as the table reader found it: plain lines only.
          for (let h = 0; h < headerLine; h++) {
            const nl = buf.indexOf(10, pos);
            if (nl < 0 || nl >= len) return;
            for (let k = pos; k < nl; k++) if (buf[k] === 34 || (buf[k] === 13 && k !== nl - 1)) return;
            pos = nl + 1;
            line++;
          }
        }
        // Complete lines only; at the end of the file the last one without a line break too.
        let stop = len;
        if (!eof) {
          const last = buf.lastIndexOf(10, len - 1);
          if (last < pos) {
            // No complete line in a whole chunk: a line longer than 1 MiB is left to the table reader.
            if (len - pos > PLAIN_CHUNK_BYTES) return;
            carry = Buffer.from(buf.subarray(pos, len));
            continue;
          }
          stop = last + 1;
        }
        // A NUL character: the lines before it here, then the table reader (which names it).
        const nul = buf.indexOf(0, pos);
        const nulLine = nul >= 0 && nul < stop ? lineStartBefore(buf, nul, pos) : -1;
        if (nulLine >= 0) stop = nulLine;
        const firstLine = line + 1;
        const scan = scanPlainLines(buf, pos, stop, shape, check, transform);
        const n = scan.n;
        line += scan.lines;
        pos = scan.pos;
        const bailed = scan.bailed || nulLine >= 0;
        if (n)
          yield {
            rows: [],
            lines: [firstLine],
            xs: scan.xs.subarray(0, n),
            ys: scan.ys.subarray(0, n),
            raw: { delimiter, bytes: buf, start: scan.start.subarray(0, n), end: scan.end.subarray(0, n) },
          };
        if (bailed) return;
        if (eof) {
          complete = true;
          return;
        }
        carry = Buffer.from(buf.subarray(stop, len));
      }
    } finally {
      await fh.close();
    }
  }
  return { batches, complete: () => complete };
}

const NO_WHERE = () => ({ point: '' });

interface LineShape {
  /** The delimiter byte. */
  d: number;
  width: number;
  xi: number;
  yi: number;
  commaDecimal: boolean;
}

interface PlainScan {
  /** Points read; their lines are bytes [start[i], end[i]). */
  n: number;
  start: Int32Array;
  end: Int32Array;
  xs: Float64Array;
  ys: Float64Array;
  /** Physical lines consumed (points and empty lines). */
  lines: number;
  /** Where reading stopped: `stop`, or the start of the first line that is not plain. */
  pos: number;
  bailed: boolean;
}

/**
 * The plain lines of bytes [pos, stop) (stop after a line break or at the end of the file).
 * A function of its own, not part of the generator: V8 optimises a hot loop inside a generator
 * only for its next call, and this loop runs once per chunk of a million-line file.
 */
function scanPlainLines(
  buf: Uint8Array,
  pos: number,
  stop: number,
  shape: LineShape,
  check: CrsCheck,
  transform: (x: number, y: number, xs: Float64Array, ys: Float64Array, i: number) => void,
): PlainScan {
  const { d, width, xi, yi, commaDecimal } = shape;
  const cap = Math.max(16, ((stop - pos) / 16) | 0);
  let start = new Int32Array(cap),
    end = new Int32Array(cap),
    xs = new Float64Array(cap),
    ys = new Float64Array(cap);
  let n = 0;
  let lines = 0;
  let bailed = false;
  while (pos < stop) {
    // One pass over the line: its end, its cells, the two coordinates' bytes.
    let cells = 1;
    let x0 = -1,
      x1 = -1,
      y0 = -1,
      y1 = -1;
    let fieldStart = pos;
    let high = false;
    let bad = false;
    let k = pos;
    for (; k < stop; k++) {
      const c = buf[k];
      if (c === 10) break;
      if (c === d) {
        const f = cells - 1;
        if (f === xi) ((x0 = fieldStart), (x1 = k));
        else if (f === yi) ((y0 = fieldStart), (y1 = k));
        cells++;
        fieldStart = k + 1;
      } else if (c === 34 || c === 0) bad = true;
      else if (c === 13 && (k + 1 >= stop || buf[k + 1] !== 10)) bad = true;
      else if (c >= 128) high = true;
    }
    const nl = k;
    let ce = nl;
    if (ce > pos && buf[ce - 1] === 13) ce--;
    const last = cells - 1;
    if (last === xi) ((x0 = fieldStart), (x1 = ce));
    else if (last === yi) ((y0 = fieldStart), (y1 = ce));
    if (ce === pos) {
      // An empty line: skipped, as the table reader skips it.
      lines++;
      pos = nl + 1;
      continue;
    }
    const b0 = buf[pos];
    if (bad || b0 <= 32 || b0 === d || cells !== width || (high && !isUtf8(buf.subarray(pos, ce)))) {
      bailed = true;
      break;
    }
    const x = plainNumberAt(buf, x0, x1, commaDecimal);
    const y = plainNumberAt(buf, y0, y1, commaDecimal);
    if (x === null || y === null || check.check(x, y, '', NO_WHERE) !== null) {
      bailed = true;
      break;
    }
    if (n === start.length) {
      start = grown(start);
      end = grown(end);
      xs = grown(xs);
      ys = grown(ys);
    }
    transform(x, y, xs, ys, n);
    start[n] = pos;
    end[n] = ce;
    n++;
    lines++;
    pos = nl + 1;
  }
  if (pos > stop) pos = stop;
  return { n, start, end, xs, ys, lines, pos, bailed };
}

function grown<T extends Int32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** The start of the line holding byte `at` (not before `from`). */
function lineStartBefore(buf: Buffer, at: number, from: number): number {
  const nl = buf.lastIndexOf(10, at);
  return nl < from ? from : nl + 1;
}

/**
 * plainDecimal() over bytes [s, e): an optional minus, digits, at most one point — or, where the
 * delimiter is not ",", one decimal comma between digits. Null for anything else.
 */
function plainNumberAt(buf: Uint8Array, s: number, e: number, commaDecimal: boolean): number | null {
  if (s < 0 || e <= s) return null;
  let i = s;
  let negative = false;
  if (buf[i] === 45) {
    negative = true;
    i++;
  }
  let digits = 0;
  let mantissa = 0;
  let decimals = -1;
  let digitsBefore = 0;
  let comma = false;
  for (; i < e; i++) {
    const ch = buf[i];
    if (ch >= 48 && ch <= 57) {
      mantissa = mantissa * 10 + (ch - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (decimals < 0 && (ch === 46 || (ch === 44 && commaDecimal))) {
      decimals = 0;
      digitsBefore = digits;
      comma = ch === 44;
    } else return null;
  }
  if (digits === 0 || digits > 15 || decimals > 22) return null;
  // "13,4" only: the table reader reads "13," and ",4" by German rules that are not worth repeating here.
  if (comma && (digitsBefore === 0 || decimals === 0)) return null;
  const v = decimals > 0 ? mantissa / POW10[decimals] : mantissa;
  return negative && v !== 0 ? -v : v;
}

// ---------------------------------------------------------------------------------------------
// GeoJSON

async function openGeoJsonPoints(path: string, o: PointReadOptions): Promise<PointStream> {
  const problems = new ProblemList();
  const fail = () => coded('points-not-read', { file: String(o.file), n: problems.errorCount });
  const opt = optionCrs(o, problems);
  // Read like every JSON document: syntax errors, NUL characters and lone surrogates with line and column.
  const read = await readDocumentText(path, o.file);
  const doc = read.text === null ? null : parseJsonDocument(read.text, o.file);
  for (const p of [...read.problems, ...(doc?.problems ?? [])]) problems.add(p);
  problems.throwIfErrors(fail());
  const fc = doc!.data as { features?: unknown; crs?: unknown } | null;
  if (!fc || typeof fc !== 'object' || !Array.isArray(fc.features)) {
    problems.error({
      code: 'not-a-feature-collection',
      file: o.file,
      reason: 'the file is not a GeoJSON FeatureCollection',
      hint: 'export the points as GeoJSON features, or as a CSV table with x and y columns',
    });
    problems.throwIfErrors();
  }
  // The CRS the file declares (pre-RFC 7946 "crs" member, as GIS exports still write it).
  let declared: string | null = null;
  if (fc!.crs != null) {
    const text = geoJsonCrsText(fc!.crs);
    if (text === null) {
      problems.error({
        code: 'bad-crs',
        file: o.file,
        ...doc!.locate(['crs']),
        reason:
          'the "crs" member is not of the form {"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25833"}}',
        value: JSON.stringify(fc!.crs).slice(0, 200),
        hint: 'Pass the CRS explicitly, e.g. --crs EPSG:25833, or remove the member.',
      });
    } else {
      const r = resolveCrsReference(text, 'the file\'s "crs" member');
      if ('crs' in r) declared = r.crs;
      else problems.error({ ...r, file: o.file, ...doc!.locate(['crs']), value: text });
    }
  }
  if (opt && declared && opt !== declared) {
    problems.error({
      code: 'crs-conflict',
      file: o.file,
      ...doc!.locate(['crs']),
      value: o.crs,
      reason: `--crs ${o.crs} (${opt}) contradicts the CRS the file declares, ${geoJsonCrsText(fc!.crs)} (${declared})`,
      hint: `Leave out --crs: the file's declaration is used. If the file's declaration is wrong, correct it in the file.`,
    });
  }
  problems.throwIfErrors(fail());
  const crs = opt ?? declared ?? 'EPSG:4326';
  const source: PointStream['crsSource'] = opt ? 'option' : declared ? 'file' : 'default';
  const check = new CrsCheck(crs, source);
  const transform = makeTransform(crs);

  const features = (fc as { features: unknown[] }).features.map((f) => {
    const feat = f && typeof f === 'object' && !Array.isArray(f) ? (f as Record<string, unknown>) : {};
    const properties =
      feat.properties && typeof feat.properties === 'object' && !Array.isArray(feat.properties)
        ? (feat.properties as Record<string, unknown>)
        : {};
    return {
      properties,
      geometry: (feat.geometry ?? null) as { type?: unknown; coordinates?: unknown; crs?: unknown } | null,
    };
  });
  const keys = [...new Set(features.flatMap((f) => Object.keys(f.properties)))];
  const n = features.length;
  const batch: PointBatch = {
    rows: new Array(n),
    lines: new Array(n),
    xs: new Float64Array(n),
    ys: new Float64Array(n),
  };
  let mixed = false;
  for (let i = 0; i < n; i++) {
    const f = features[i];
    const at = (...p: (string | number)[]) => doc!.locate(['features', i, ...p]);
    if (f.geometry?.type !== 'Point') {
      problems.error({
        code: 'not-a-point',
        file: o.file,
        ...at(),
        reason: `feature ${i + 1} is not a Point`,
        value: String(f.geometry?.type ?? 'null'),
      });
      continue;
    }
    // Some exporters repeat the CRS on every geometry; another one than the file's means mixed data.
    if (f.geometry.crs != null && !mixed) {
      const own = geoJsonCrsText(f.geometry.crs);
      if ((own === null ? null : parseCrs(own)) !== crs) {
        mixed = true;
        problems.error({
          code: 'mixed-crs',
          file: o.file,
          ...at('geometry', 'crs'),
          value: own ?? undefined,
          reason: `feature ${i + 1}: the geometry declares the CRS ${own ?? JSON.stringify(f.geometry.crs)}, the points are read in ${crs} (${SOURCE_TEXT[source]})`,
          hint: 'Export all features in one CRS.',
        });
      }
    }
    const c = f.geometry.coordinates;
    if (
      !Array.isArray(c) ||
      c.length < 2 ||
      c.length > 3 ||
      !c.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      problems.error({
        code: 'bad-coordinates',
        file: o.file,
        ...at('geometry', 'coordinates'),
        reason: `feature ${i + 1}: a Point needs coordinates of two numbers`,
        hint: 'write "coordinates": [x, y]',
      });
      continue;
    }
    const [x, y] = c as number[];
    const misfit = check.check(x, y, o.file, () => ({ ...at('geometry', 'coordinates'), point: `feature ${i + 1}` }));
    if (misfit) {
      problems.add(misfit);
      break; // the first point that cannot be in the CRS: the others would not be either
    }
    [batch.xs[i], batch.ys[i]] = transform(x, y);
    batch.lines[i] = i + 1;
    batch.rows[i] = keys.map((k) => cellOf(f.properties[k]));
  }
  problems.throwIfErrors(fail());
  return {
    file: o.file,
    columns: keys,
    crs,
    crsSource: source,
    batches: {
      async *[Symbol.asyncIterator]() {
        if (n) yield batch;
      },
    },
    warnings: () => check.warnings(o.file),
  };
}

/** A property value as a cell: strings and numbers as they are, other values as JSON. */
function cellOf(v: unknown): Cell {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number') return v;
  return JSON.stringify(v);
}
