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
import { openTable, rowWidthProblem, type Cell, type TableEncoding } from './table.ts';
import { assessCoordinates, geoJsonCrsText, makeTransform, makeTransformInto, parseCrs, pointFitTest, resolveCrsReference } from '../core/geo/crs.ts';
import type { BBox } from '../core/geo/types.ts';
import { parseNumber, parsePlainNumber } from '../core/values.ts';
import { ProblemList, type Problem } from '../core/problems.ts';
import { parseJsonDocument, readDocumentText } from './document.ts';

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
}

/** Points of one chunk of the file. */
export interface PointBatch {
  /** The input cells of each point, in the order of `columns`. */
  rows: Cell[][];
  /**
   * CSV: each row's text as in the file, where it was read without quotes and has the header's
   * number of cells (undefined otherwise): with `delimiter` ";" it can be written out unchanged.
   */
  texts?: (string | undefined)[];
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

const SOURCE_TEXT = { option: 'given with --crs', file: 'declared in the file', default: 'the default for a file that declares none: WGS84 longitude/latitude' } as const;

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
  check(x: number, y: number, file: string, where: () => { line?: number; column?: number | string; point: string }): Problem | null {
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
    return issue?.severity === 'warning' ? [{ severity: 'warning', code: 'outside-europe', file, value: this.crs, reason: issue.reason, hint: issue.hint }] : [];
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

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

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
  const table = await openTable(path, { displayName: o.file, delimiter: o.delimiter, encoding: o.encoding, sheet: o.sheet, lineText: true });
  const lower = table.columns.map((c) => c.trim().toLowerCase());
  const find = (wanted: string | undefined, names: string[], opt: string) => {
    const i = wanted !== undefined ? table.columns.findIndex((c) => c === wanted || c.trim().toLowerCase() === wanted.trim().toLowerCase()) : (names.map((n) => lower.indexOf(n)).find((i) => i >= 0) ?? -1);
    if (i < 0) problems.error({ code: 'missing-column', file: o.file, line: 1, value: wanted, reason: wanted ? `the column "${wanted}" does not exist` : 'no coordinate column found', hint: `name it with ${opt}; columns: ${table.columns.join(', ')}` });
    return i;
  };
  const xi = find(o.x, X_NAMES, '--x COLUMN');
  const yi = find(o.y, Y_NAMES, '--y COLUMN');
  problems.throwIfErrors(`The points in ${o.file} were not read.`);
  const check = new CrsCheck(crs, source);
  const transform = makeTransformInto(crs);
  const fail = () => `The points in ${o.file} were not read: ${problems.errorCount} error(s).`;

  async function* batches(): AsyncGenerator<PointBatch> {
    let failed = false;
    for await (const rows of table.batches) {
      const n = rows.length;
      const out: PointBatch = { rows: new Array(n), texts: new Array(n), lines: new Array(n), xs: new Float64Array(n), ys: new Float64Array(n) };
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
          problems.error({ code: 'bad-coordinate', file: o.file, line: row.line, column: table.columns[bad], value: text, reason: text.trim() ? 'not a number' : 'the coordinate is empty', hint: 'every point needs both coordinates' });
          failed = true;
          continue;
        }
        const misfit = check.check(x, y, o.file, () => ({ line: row.line, column: table.columns[xi], point: `the point in line ${row.line}` }));
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

  return { file: o.file, columns: table.columns, crs, crsSource: source, delimiter: table.delimiter, batches: { [Symbol.asyncIterator]: batches }, warnings: () => check.warnings(o.file) };
}

// ---------------------------------------------------------------------------------------------
// GeoJSON

async function openGeoJsonPoints(path: string, o: PointReadOptions): Promise<PointStream> {
  const problems = new ProblemList();
  const fail = () => `The points in ${o.file} were not read: ${problems.errorCount} error(s).`;
  const opt = optionCrs(o, problems);
  // Read like every JSON document: syntax errors, NUL characters and lone surrogates with line and column.
  const read = await readDocumentText(path, o.file);
  const doc = read.text === null ? null : parseJsonDocument(read.text, o.file);
  for (const p of [...read.problems, ...(doc?.problems ?? [])]) problems.add(p);
  problems.throwIfErrors(fail());
  const fc = doc!.data as { features?: unknown; crs?: unknown } | null;
  if (!fc || typeof fc !== 'object' || !Array.isArray(fc.features)) {
    problems.error({ code: 'not-a-feature-collection', file: o.file, reason: 'the file is not a GeoJSON FeatureCollection', hint: 'export the points as GeoJSON features, or as a CSV table with x and y columns' });
    problems.throwIfErrors();
  }
  // The CRS the file declares (pre-RFC 7946 "crs" member, as GIS exports still write it).
  let declared: string | null = null;
  if (fc!.crs != null) {
    const text = geoJsonCrsText(fc!.crs);
    if (text === null) {
      problems.error({ code: 'bad-crs', file: o.file, ...doc!.locate(['crs']), reason: 'the "crs" member is not of the form {"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25833"}}', value: JSON.stringify(fc!.crs).slice(0, 200), hint: 'Pass the CRS explicitly, e.g. --crs EPSG:25833, or remove the member.' });
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
    const properties = feat.properties && typeof feat.properties === 'object' && !Array.isArray(feat.properties) ? (feat.properties as Record<string, unknown>) : {};
    return { properties, geometry: (feat.geometry ?? null) as { type?: unknown; coordinates?: unknown; crs?: unknown } | null };
  });
  const keys = [...new Set(features.flatMap((f) => Object.keys(f.properties)))];
  const n = features.length;
  const batch: PointBatch = { rows: new Array(n), lines: new Array(n), xs: new Float64Array(n), ys: new Float64Array(n) };
  let mixed = false;
  for (let i = 0; i < n; i++) {
    const f = features[i];
    const at = (...p: (string | number)[]) => doc!.locate(['features', i, ...p]);
    if (f.geometry?.type !== 'Point') {
      problems.error({ code: 'not-a-point', file: o.file, ...at(), reason: `feature ${i + 1} is not a Point`, value: String(f.geometry?.type ?? 'null') });
      continue;
    }
    // Some exporters repeat the CRS on every geometry; another one than the file's means mixed data.
    if (f.geometry.crs != null && !mixed) {
      const own = geoJsonCrsText(f.geometry.crs);
      if ((own === null ? null : parseCrs(own)) !== crs) {
        mixed = true;
        problems.error({ code: 'mixed-crs', file: o.file, ...at('geometry', 'crs'), value: own ?? undefined, reason: `feature ${i + 1}: the geometry declares the CRS ${own ?? JSON.stringify(f.geometry.crs)}, the points are read in ${crs} (${SOURCE_TEXT[source]})`, hint: 'Export all features in one CRS.' });
      }
    }
    const c = f.geometry.coordinates;
    if (!Array.isArray(c) || c.length < 2 || c.length > 3 || !c.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      problems.error({ code: 'bad-coordinates', file: o.file, ...at('geometry', 'coordinates'), reason: `feature ${i + 1}: a Point needs coordinates of two numbers`, hint: 'write "coordinates": [x, y]' });
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

