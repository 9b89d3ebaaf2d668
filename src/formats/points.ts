// Points from a CSV/XLSX table (x/y columns in any supported CRS) or a GeoJSON file of Point
// features, transformed to WGS84 for assignment to areas.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { openTable, type Cell } from './table.ts';
import { makeTransform, parseCrs } from '../core/geo/crs.ts';
import { parseNumber } from '../core/values.ts';
import { ProblemList } from '../core/problems.ts';

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
    const fc = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, '')) as { features?: { properties?: Record<string, unknown>; geometry?: { type: string; coordinates: number[] } | null }[] };
    const features = fc.features ?? [];
    const keys = [...new Set(features.flatMap((f) => Object.keys(f.properties ?? {})))];
    const xs = new Float64Array(features.length);
    const ys = new Float64Array(features.length);
    features.forEach((f, i) => {
      if (f.geometry?.type !== 'Point') {
        problems.error({ code: 'not-a-point', file: o.file, reason: `feature ${i + 1} is not a Point`, value: f.geometry?.type ?? 'null' });
        return;
      }
      [xs[i], ys[i]] = transform(f.geometry.coordinates[0], f.geometry.coordinates[1]);
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


