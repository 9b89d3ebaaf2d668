// `assign points`: the points of a file onto the areas of every layer, streamed — CSV in, CSV
// out, memory bounded by one batch of points whatever the size of the file (decision 0015).
// Kept apart from spatial.ts so that the command loads only what it needs: the layer tables,
// the point index and the point reader.
import type { Queryable } from '../store/db.ts';
import { loadLayers, loadLayerVersions, versionValidAt } from '../store/catalog.ts';
import { PointIndex, POINT_INDEX_BYTES_FORMAT } from '../core/geo/point-index.ts';
import { readAreaGeometries, readPointIndexCache, writePointIndexCache } from '../store/point-index-cache.ts';
import type { AreaGeometry } from '../core/geo/types.ts';
import { parsePeriod } from '../core/periods.ts';
import { InputRejected, NotFound, type Problem, layerWithoutVersion } from '../core/problems.ts';
import { addedColumnNames } from '../core/columns.ts';
import { csvNumber } from '../formats/csv-write.ts';
import type { PointStream, RawLines } from '../formats/points.ts';
import type { Cell } from '../formats/table.ts';
import { coded } from '../contracts/codes/index.ts';

/** The point index of one layer's boundary version, with the area codes in index order. */
export interface LayerPointIndex {
  layer: string;
  validFrom: string | null;
  codes: string[];
  index: PointIndex;
}

/**
 * The point indexes of the given layers (default: every layer with geometry) in their boundary
 * versions valid on `at` (default: current). A few small queries — not the read snapshot — so a
 * command can open the database, take the polygons and close it again before it streams a file.
 * `cache`: read prepared indexes kept by an earlier call and keep those built now (a write; only
 * outside read-only transactions).
 */
export async function layerPointIndexes(
  db: Queryable,
  layers?: string[],
  at?: string,
  o: { cache?: boolean } = {},
): Promise<LayerPointIndex[]> {
  const date = at ? parsePeriod(at)?.end : undefined;
  if (at && !date)
    throw new InputRejected(
      [{ severity: 'error', code: 'bad-date', value: at, reason: `"${at}" is not a date` }],
      `"${at}" is not a date; write 2021-01-01.`,
    );
  const [all, versions] = [await loadLayers(db), await loadLayerVersions(db)];
  const byKey = new Map(all.map((l) => [l.key, l]));
  const chosen = layers ?? all.map((l) => l.key);
  const out: LayerPointIndex[] = [];
  for (const key of [...new Set(chosen)]) {
    const layer = byKey.get(key);
    if (!layer) throw new NotFound(coded('layer-not-found', { layer: key }));
    const v = versionValidAt(
      versions.filter((x) => x.layerId === layer.id),
      date ?? null,
    );
    if (!v) {
      if (layers) throw new NotFound(layerWithoutVersion(key, date));
      continue;
    }
    const cached = o.cache ? await readPointIndexCache(db, v.id, POINT_INDEX_BYTES_FORMAT) : undefined;
    const index = cached && PointIndex.fromBytes(cached.data);
    if (cached && index) {
      out.push({ layer: key, validFrom: v.validFrom, codes: cached.codes, index });
      continue;
    }
    const areas = await readAreaGeometries<AreaGeometry>(db, v.id);
    if (areas.geometries.every((g) => !g)) {
      // A layer without geometry cannot take points.
      if (layers)
        throw new InputRejected(
          [{ severity: 'error', code: 'no-geometry', reason: `the layer "${key}" has no geometry` }],
          `The layer "${key}" has no geometry; import it from GeoJSON or a Shapefile.`,
        );
      continue;
    }
    const built = PointIndex.build(areas.geometries);
    const bytes = o.cache ? built.toBytes() : null;
    if (bytes)
      await writePointIndexCache(db, v.id, POINT_INDEX_BYTES_FORMAT, areas.stamp, { codes: areas.codes, data: bytes });
    out.push({ layer: key, validFrom: v.validFrom, codes: areas.codes, index: built });
  }
  return out;
}

export interface PointAssignment {
  /** Per layer: the area code of each point (null outside all areas). */
  codes: Record<string, (string | null)[]>;
  outside: Record<string, number>;
}

/**
 * Assigns WGS84 points to the areas of the given layers (default: every layer with geometry) in
 * their boundary versions valid on `at` (default: current), for the use cases that hold their
 * points in memory (address register, facilities, the sealed run).
 */
export async function assignPointsToLayers(
  db: Queryable,
  xs: Float64Array,
  ys: Float64Array,
  layers?: string[],
  at?: string,
): Promise<PointAssignment> {
  const codes: Record<string, (string | null)[]> = {};
  const outside: Record<string, number> = {};
  const out = new Int32Array(xs.length);
  for (const l of await layerPointIndexes(db, layers, at)) {
    l.index.assignMany(xs, ys, out);
    const list: (string | null)[] = new Array(xs.length);
    let n = 0;
    for (let i = 0; i < out.length; i++) {
      if (out[i] >= 0) list[i] = l.codes[out[i]];
      else {
        list[i] = null;
        n++;
      }
    }
    codes[l.layer] = list;
    outside[l.layer] = n;
  }
  return { codes, outside };
}

export interface AssignPointsOptions {
  /** Put in front of every added column (see core/columns.ts). */
  columnPrefix?: string;
  /** How the caller sets the prefix, for the hint of a collision ("--column-prefix"). */
  prefixOption: string;
  /** Receives the CSV (UTF-8) in chunks (one per batch of points), the header first. */
  write: (chunk: string | Uint8Array) => void;
}

export interface AssignPointsResult {
  points: number;
  columns: string[];
  crs: string;
  crsSource: PointStream['crsSource'];
  layers: { layer: string; validFrom: string | null; column: string; outside: number }[];
  warnings: Problem[];
}

/** The cells of a row as one ";"-separated line. */
function joinCells(cells: Cell[], width: number): string {
  let line = width ? cell(cells[0] ?? null) : '';
  for (let c = 1; c < width; c++) line += ';' + cell(cells[c] ?? null);
  return line;
}

// Output: ";" with decimal comma, as every CSV the platform writes for German spreadsheets.
const NEEDS_QUOTES = /[;"\r\n]/;
function cell(v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number') return csvNumber(v, ',');
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const SEMICOLON = [0x3b];

/** Lines read as bytes, each followed by its area codes (";" and nothing outside), as UTF-8 bytes. */
function rawLinesWithCodes(
  raw: RawLines,
  n: number,
  results: Int32Array[],
  codeBytes: Uint8Array[][],
  outside: number[],
): Uint8Array {
  const { bytes, start, end } = raw;
  const d = raw.delimiter.charCodeAt(0);
  const layers = results.length;
  let size = n;
  for (let i = 0; i < n; i++) {
    size += end[i] - start[i];
    // Another delimiter becomes ";", and a cell holding ";" is quoted: room for two quotes each.
    if (d !== 0x3b) for (let k = start[i], e = end[i]; k < e; k++) if (bytes[k] === 0x3b) size += 2;
    for (let l = 0; l < layers; l++) {
      const a = results[l][i];
      size += a < 0 ? 1 : codeBytes[l][a].length;
    }
  }
  const out = Buffer.allocUnsafe(size);
  let p = 0;
  for (let i = 0; i < n; i++) {
    if (d === 0x3b) for (let k = start[i], e = end[i]; k < e; k++) out[p++] = bytes[k];
    else p = cellsWithSemicolons(bytes, start[i], end[i], d, out, p);
    for (let l = 0; l < layers; l++) {
      const a = results[l][i];
      if (a < 0) outside[l]++;
      const c = a < 0 ? SEMICOLON : codeBytes[l][a];
      for (let k = 0; k < c.length; k++) out[p++] = c[k];
    }
    out[p++] = 0x0a;
  }
  return out.subarray(0, p);
}

/** The cells of a line in another delimiter, written as the table writer would: ";" between, quoted where they hold ";". */
function cellsWithSemicolons(bytes: Uint8Array, s: number, e: number, d: number, out: Uint8Array, p: number): number {
  let from = s;
  for (let k = s; k <= e; k++) {
    if (k < e && bytes[k] !== d) continue;
    let semicolon = false;
    for (let j = from; j < k; j++) if (bytes[j] === 0x3b) semicolon = true;
    if (semicolon) out[p++] = 0x22;
    for (let j = from; j < k; j++) out[p++] = bytes[j];
    if (semicolon) out[p++] = 0x22;
    if (k < e) out[p++] = 0x3b;
    from = k + 1;
  }
  return p;
}

/**
 * Streams a point file to CSV: every input row as read, then the area code of each layer (empty
 * outside every area). The added columns follow the rule of core/columns.ts; a collision is
 * refused before anything is written. Memory stays bounded by one batch of points (tables are
 * read in chunks); the points are assigned batch by batch (decision 0004's border rule).
 */
export async function assignPointStream(
  points: PointStream,
  indexes: LayerPointIndex[],
  o: AssignPointsOptions,
): Promise<AssignPointsResult> {
  const added = addedColumnNames(
    points.columns,
    indexes.map((l) => ({ name: l.layer, what: `the area code of layer "${l.layer}"` })),
    { prefix: o.columnPrefix, file: points.file, option: o.prefixOption },
  );
  // The header goes out with the first batch: a file rejected at its first point writes nothing.
  let header: string | null = [...points.columns, ...added].map((c) => cell(c)).join(';') + '\n';
  const outside = indexes.map(() => 0);
  const codes = indexes.map((l) => l.codes.map((c) => cell(c)));
  const width = points.columns.length;
  const passThrough = points.delimiter === ';';
  let total = 0;
  let capacity = 0;
  let results: Int32Array[] = [];
  let codeBytes: Uint8Array[][] | null = null;
  for await (const b of points.batches) {
    const n = b.xs.length;
    if (capacity < n) {
      capacity = n;
      results = indexes.map(() => new Int32Array(n));
    }
    for (let l = 0; l < indexes.length; l++) {
      const r = results[l].subarray(0, n);
      indexes[l].index.assignMany(b.xs, b.ys, r);
    }
    total += n;
    if (b.raw) {
      codeBytes ??= codes.map((list) => list.map((c) => Buffer.from(';' + c)));
      if (header !== null) o.write(header);
      header = null;
      if (n) o.write(rawLinesWithCodes(b.raw, n, results, codeBytes, outside));
      continue;
    }
    const lines: string[] = new Array(n);
    const texts = passThrough ? b.texts : undefined;
    for (let i = 0; i < n; i++) {
      // A ";"-file's line read without quotes is written as it was; other rows cell by cell.
      const text = texts?.[i];
      let line = text ?? joinCells(b.rows[i], width);
      for (let l = 0; l < indexes.length; l++) {
        const a = results[l][i];
        if (a < 0) outside[l]++;
        line += a < 0 ? ';' : ';' + codes[l][a];
      }
      lines[i] = width || !indexes.length ? line : line.slice(1);
    }
    if (n) {
      o.write((header ?? '') + lines.join('\n') + '\n');
      header = null;
    }
  }
  if (header !== null) o.write(header);
  return {
    points: total,
    columns: [...points.columns, ...added],
    crs: points.crs,
    crsSource: points.crsSource,
    layers: indexes.map((l, i) => ({ layer: l.layer, validFrom: l.validFrom, column: added[i], outside: outside[i] })),
    warnings: points.warnings(),
  };
}
