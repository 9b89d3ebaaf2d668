// Points from a CSV/XLSX table (x/y columns in any supported CRS) or a GeoJSON file of Point
// features, transformed to WGS84 for assignment to areas.
import { extname } from 'node:path';
import { openTable, type Cell } from './table.ts';
import { makeTransform, parseCrs } from '../core/geo/crs.ts';
import { parseNumber } from '../core/values.ts';
import { ProblemList } from '../core/problems.ts';
import { parseJsonDocument, readDocumentText } from './document.ts';

export interface PointTable {
  columns: string[];
  rows: Cell[][];
  xs: Float64Array;
  ys: Float64Array;
  crs: string;
}

const X_NAMES = ['x', 'lon', 'lng', 'longitude', 'rechtswert', 'easting'];
const Y_NAMES = ['y', 'lat', 'latitude', 'hochwert', 'northing'];

export async function readPoints(path: string, o: { file: string; x?: string; y?: string; crs?: string }): Promise<PointTable> {
  const problems = new ProblemList();
  const crsText = o.crs ?? 'EPSG:4326';
  const crs = parseCrs(crsText);
  if (!crs) {
    problems.error({ code: 'bad-crs', file: o.file, value: crsText, reason: 'unknown CRS', hint: 'e.g. --crs EPSG:25832' });
    problems.throwIfErrors();
  }
  const transform = makeTransform(crs!);
  const ext = extname(path).toLowerCase();
  if (ext === '.geojson' || ext === '.json') {
    // Read like every JSON document: syntax errors, NUL characters and lone surrogates with line and column.
    const read = await readDocumentText(path, o.file);
    const doc = read.text === null ? null : parseJsonDocument(read.text, o.file);
    for (const p of [...read.problems, ...(doc?.problems ?? [])]) problems.add(p);
    problems.throwIfErrors(`The points in ${o.file} were not read: ${problems.errorCount} error(s).`);
    const fc = doc!.data as { features?: unknown } | null;
    if (!fc || typeof fc !== 'object' || !Array.isArray(fc.features)) {
      problems.error({ code: 'not-a-feature-collection', file: o.file, reason: 'the file is not a GeoJSON FeatureCollection', hint: 'export the points as GeoJSON features, or as a CSV table with x and y columns' });
      problems.throwIfErrors();
    }
    const features = (fc as { features: unknown[] }).features.map((f) => {
      const feat = f && typeof f === 'object' && !Array.isArray(f) ? (f as Record<string, unknown>) : {};
      const properties = feat.properties && typeof feat.properties === 'object' && !Array.isArray(feat.properties) ? (feat.properties as Record<string, unknown>) : {};
      return { properties, geometry: (feat.geometry ?? null) as { type?: unknown; coordinates?: unknown } | null };
    });
    const keys = [...new Set(features.flatMap((f) => Object.keys(f.properties ?? {})))];
    const xs = new Float64Array(features.length);
    const ys = new Float64Array(features.length);
    features.forEach((f, i) => {
      if (f.geometry?.type !== 'Point') {
        problems.error({ code: 'not-a-point', file: o.file, ...doc!.locate(['features', i]), reason: `feature ${i + 1} is not a Point`, value: String(f.geometry?.type ?? 'null') });
        return;
      }
      const c = f.geometry.coordinates;
      if (!Array.isArray(c) || c.length < 2 || c.length > 3 || !c.every((v) => typeof v === 'number' && Number.isFinite(v))) {
        problems.error({ code: 'bad-coordinates', file: o.file, ...doc!.locate(['features', i, 'geometry', 'coordinates']), reason: `feature ${i + 1}: a Point needs coordinates of two numbers`, hint: 'write "coordinates": [x, y]' });
        return;
      }
      [xs[i], ys[i]] = transform(c[0] as number, c[1] as number);
    });
    problems.throwIfErrors();
    return { columns: keys, rows: features.map((f) => keys.map((k) => (f.properties?.[k] as Cell) ?? null)), xs, ys, crs: crs! };
  }
  const table = await openTable(path, { displayName: o.file });
  const lower = table.columns.map((c) => c.trim().toLowerCase());
  const find = (wanted: string | undefined, names: string[], opt: string) => {
    const i = wanted !== undefined ? table.columns.findIndex((c) => c === wanted || c.trim().toLowerCase() === wanted.toLowerCase()) : names.map((n) => lower.indexOf(n)).find((i) => i >= 0) ?? -1;
    if (i < 0) problems.error({ code: 'missing-column', file: o.file, line: 1, reason: wanted ? `the column "${wanted}" does not exist` : `no coordinate column found`, hint: `name it with ${opt}; columns: ${table.columns.join(', ')}` });
    return i;
  };
  const xi = find(o.x, X_NAMES, '--x COLUMN');
  const yi = find(o.y, Y_NAMES, '--y COLUMN');
  problems.throwIfErrors();
  const rows: Cell[][] = [];
  const xsList: number[] = [];
  const ysList: number[] = [];
  // Coordinates come with either separator, even in ";"-files ("8.70" as often as "8,70").
  const num = (c: Cell) => (typeof c === 'number' ? c : c === null ? null : parseNumber(String(c), String(c).includes(',') ? ',' : '.'));
  for await (const row of table.rows) {
    const x = num(row.cells[xi]);
    const y = num(row.cells[yi]);
    if (x === null || y === null) {
      problems.error({ code: 'bad-coordinate', file: o.file, line: row.line, column: table.columns[x === null ? xi : yi], value: String(row.cells[x === null ? xi : yi] ?? ''), reason: 'not a number' });
      continue;
    }
    const [lon, lat] = transform(x, y);
    xsList.push(lon);
    ysList.push(lat);
    rows.push(row.cells);
  }
  problems.throwIfErrors(`The points in ${o.file} were not read: ${problems.errorCount} error(s).`);
  return { columns: table.columns, rows, xs: Float64Array.from(xsList), ys: Float64Array.from(ysList), crs: crs! };
}


