// Readers for spatial structure files (areas with codes, names and polygons): GeoJSON and ESRI
// shapefiles. They return records in WGS84 lon/lat plus every problem found; they never throw for
// bad input, so the caller can show all problems at once (ProblemList / InputRejected).

import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import iconv from 'iconv-lite';
import * as shapefile from 'shapefile';
import { ProblemList, type Problem } from '../core/problems.ts';
import type { AreaGeometry, BBox, Ring } from '../core/geo/types.ts';
import {
  assessCoordinates,
  crsFromPrj,
  geoJsonCrsText,
  isSupportedCrs,
  makeTransform,
  parseCrs,
  resolveCrsReference,
  supportedCrsList,
} from '../core/geo/crs.ts';
import { bboxOf, mergeBBox, rewind, transformGeometry, validateGeometry } from '../core/geo/geometry.ts';
import { badCharacterMessage, preview } from '../core/text.ts';
import { parseNumber, parsePlainNumber } from '../core/values.ts';
import { describePath, parseJsonDocument, readDocumentText, type JsonPath } from './document.ts';
import { readZipFile, ZipFormatError, ZipIntegrityError } from './zip.ts';

export interface AreaRecord {
  code: string;
  name: string;
  parentCode: string | null;
  /** WGS84 lon/lat, rings closed and oriented as RFC 7946 recommends; null when missing or unusable. */
  geometry: AreaGeometry | null;
  properties: Record<string, unknown>;
  line?: number;
  /** 1-based position of the feature in the file (shapefile: record number). */
  feature?: number;
}

export interface AreaReadOptions {
  /** Name of the file as shown to the user. */
  file: string;
  codeProp?: string;
  nameProp?: string;
  parentProp?: string;
  /** Overrides whatever CRS the file declares. */
  crs?: string;
  /** Shapefile .dbf encoding; overrides the .cpg. */
  encoding?: string;
}

export interface AreaReadResult {
  records: AreaRecord[];
  /** The source CRS ("EPSG:n") the coordinates were transformed from; "" when none could be determined. */
  crs: string;
  problems: Problem[];
}

/** Candidate property names, in order of preference; matched case-insensitively. */
const CODE_PROPS = [
  'code',
  'id',
  'schluessel',
  'plr_id',
  'bzr_id',
  'pgr_id',
  'bez_id',
  'gem',
  'ags',
  'ars',
  'rs',
  'kennziffer',
];
const NAME_PROPS = [
  'name',
  'bezeichnung',
  'bezeichnun',
  'plr_name',
  'bzr_name',
  'pgr_name',
  'bez_name',
  'beznam',
  'namgem',
  'gen',
  'namen',
];

/** Grid of the stored lon/lat coordinates (makeTransform rounds to 7 decimals). */
const WGS84_GRID = 1e-7;

interface RawFeature {
  number: number;
  properties: Record<string, unknown>;
  geometry: AreaGeometry | null;
  /** Set when the feature has a geometry that cannot be used (reported once the code is known). */
  unusable?: { code: string; reason: string; hint?: string };
}

/** Dispatches by file extension: .geojson/.json → GeoJSON, .zip/.shp → shapefile. */
export async function readAreas(file: string, o: AreaReadOptions): Promise<AreaReadResult> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.geojson' || ext === '.json') return readAreasGeoJson(file, o);
  if (ext === '.zip' || ext === '.shp') return readAreasShapefile(file, o);
  return {
    records: [],
    crs: '',
    problems: [
      {
        severity: 'error',
        code: 'unsupported-format',
        reason: `cannot read areas from a "${ext || 'extensionless'}" file`,
        file: o.file,
        hint: 'Use GeoJSON (.geojson/.json) or a shapefile (.shp, or a .zip with .shp/.dbf/.prj).',
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// GeoJSON

export async function readAreasGeoJson(file: string, o: AreaReadOptions): Promise<AreaReadResult> {
  const problems = new ProblemList();
  const fail = () => ({ records: [], crs: '', problems: finish(problems) });
  // Strict UTF-8; syntax errors, NUL characters, lone surrogates and absurd nesting are reported
  // with line and column before anything walks the document.
  const read = await readDocumentText(file, o.file);
  if (read.text === null) {
    read.problems.forEach((p) => problems.add(p));
    return fail();
  }
  // Problems name the feature (and field) as well as the line: "feature 3, properties.name".
  const parsed = parseJsonDocument(read.text, o.file, describeGeoJsonPath);
  if (parsed.problems.length) {
    parsed.problems.forEach((p) => problems.add(p));
    return fail();
  }
  const doc = parsed.data;
  const root = doc as { type?: unknown; features?: unknown; crs?: unknown };
  let features: unknown[];
  if (root && typeof root === 'object' && root.type === 'FeatureCollection' && Array.isArray(root.features))
    features = root.features;
  else if (root && typeof root === 'object' && root.type === 'Feature') features = [root];
  else {
    problems.error({
      code: 'not-a-feature-collection',
      reason: 'the file is not a GeoJSON FeatureCollection',
      file: o.file,
      value: typeof root?.type === 'string' ? root.type : undefined,
      hint: 'Export the layer as GeoJSON features with properties (code, name) and Polygon/MultiPolygon geometries.',
    });
    return fail();
  }

  // CRS: the option wins, then the (pre-RFC 7946) crs member, else CRS84 as RFC 7946 prescribes.
  let crs: string | null;
  let crsSource: string;
  if (o.crs !== undefined) {
    crs = resolveCrs(o.crs, 'the --crs option', o, problems);
    crsSource = 'option';
  } else if (root.crs != null) {
    const declared = geoJsonCrsText(root.crs);
    crs = declared === null ? null : resolveCrs(declared, 'the file\'s "crs" member', o, problems);
    if (declared === null)
      problems.error({
        code: 'bad-crs',
        reason:
          'the "crs" member is not of the form {"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::25833"}}',
        file: o.file,
        column: 'crs',
        value: JSON.stringify(root.crs),
        hint: 'Pass the CRS explicitly, e.g. --crs EPSG:25833.',
      });
    crsSource = 'file';
  } else {
    crs = 'EPSG:4326';
    crsSource = 'default';
  }

  const raw: RawFeature[] = [];
  let mixed = 0; // geometries with a CRS of their own that differs; reported once
  features.forEach((f, i) => {
    const number = i + 1;
    const feat = f as { type?: unknown; properties?: unknown; geometry?: unknown } | null;
    if (!feat || typeof feat !== 'object' || feat.type !== 'Feature') {
      problems.error({
        code: 'bad-feature',
        reason: `feature ${number} is not a GeoJSON Feature`,
        file: o.file,
        ...parsed.locate(['features', i]),
        value: truncateJson(f),
      });
      return;
    }
    const properties =
      feat.properties && typeof feat.properties === 'object' && !Array.isArray(feat.properties)
        ? (feat.properties as Record<string, unknown>)
        : {};
    const r: RawFeature = { number, properties, geometry: null };
    raw.push(r);
    const g = feat.geometry as { type?: unknown; coordinates?: unknown; crs?: unknown } | null | undefined;
    if (g == null) return; // reported with the code once properties are resolved
    if (typeof g !== 'object' || Array.isArray(g)) {
      r.unusable = { code: 'bad-geometry', reason: `the geometry ${truncateJson(g)} is not a GeoJSON geometry object` };
      return;
    }
    if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
      r.unusable = {
        code: 'unsupported-geometry',
        reason: `geometry type ${truncateJson(g.type)}; areas need Polygon or MultiPolygon`,
        hint: 'Export a polygon layer.',
      };
      return;
    }
    const bad = coordinateStructureError(g.type, g.coordinates);
    if (bad) {
      r.unusable = { code: 'bad-coordinates', reason: bad };
      return;
    }
    // Some exporters repeat the CRS on every geometry; a different one would mean mixed data.
    if (g.crs != null && crs && crsSource !== 'option') {
      const own = geoJsonCrsText(g.crs);
      const parsed = own === null ? null : parseCrs(own);
      if (parsed !== crs && mixed++ === 0) {
        problems.error({
          code: 'mixed-crs',
          reason: `feature ${number}: geometry declares CRS ${own ?? JSON.stringify(g.crs)}, the file ${crs}${crsSource === 'default' ? ' (CRS84, as it declares none)' : ''}`,
          file: o.file,
          column: 'crs',
          value: own ?? undefined,
          hint: 'Export all features in one CRS, or pass --crs to override.',
        });
      }
    }
    r.geometry = { type: g.type, coordinates: g.coordinates } as AreaGeometry;
  });

  const records = buildRecords(raw, crs, o, problems, { kind: 'feature' });
  return { records, crs: crs ?? '', problems: finish(problems) };
}

/** "feature 3, properties.name" for a path into a FeatureCollection. */
function describeGeoJsonPath(p: JsonPath): string {
  if (p[0] === 'features' && typeof p[1] === 'number')
    return `feature ${p[1] + 1}${p.length > 2 ? `, ${describePath(p.slice(2))}` : ''}`;
  return describePath(p);
}

/**
 * Checks that Polygon/MultiPolygon coordinates are nested exactly as the type demands (polygons
 * of rings of positions of two or three numbers); returns a reason or null. Iterative: it runs
 * before anything recurses into the coordinates, whatever their depth.
 */
function coordinateStructureError(type: 'Polygon' | 'MultiPolygon', coords: unknown): string | null {
  // Array levels above the positions, with what each level holds.
  const levels = type === 'Polygon' ? ['rings', 'positions'] : ['polygons', 'rings', 'positions'];
  const where = (path: number[]) => `coordinates${path.map((k) => `[${k}]`).join('')}`;
  if (!Array.isArray(coords))
    return `${type} coordinates must be an array of ${levels[0]}, found ${truncateJson(coords)}`;
  const stack: { items: unknown[]; i: number }[] = [{ items: coords, i: 0 }];
  const path: number[] = [];
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.items.length) {
      stack.pop();
      path.pop();
      continue;
    }
    const k = top.i++;
    const item = top.items[k];
    const depth = stack.length; // 1: the elements of coordinates
    const here = where([...path.slice(0, depth - 1), k]);
    if (depth < levels.length) {
      if (!Array.isArray(item))
        return `${here} must be an array of ${levels[depth]} (a ${type} nests ${levels.length + 1} levels of arrays), found ${truncateJson(item)}`;
      path[depth - 1] = k;
      path.length = depth;
      stack.push({ items: item, i: 0 });
      continue;
    }
    // A position: two or three numbers (x, y and an optional height, which is ignored).
    if (!Array.isArray(item) || item.length < 2 || item.length > 3) {
      return Array.isArray(item) && item.some(Array.isArray)
        ? `${here} is nested deeper than a ${type} allows (${levels.length + 1} levels of arrays: ${levels.join(' of ')} of numbers)`
        : `${here}: the position ${truncateJson(item)} is not an array of two numbers`;
    }
    for (const c of item) {
      if (Array.isArray(c))
        return `${here} is nested deeper than a ${type} allows (${levels.length + 1} levels of arrays: ${levels.join(' of ')} of numbers)`;
      if (typeof c !== 'number') return `${here}: the position ${truncateJson(item)} does not hold numbers`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Shapefile

interface ShapefileParts {
  shp: Uint8Array;
  /** The index; optional here (the records are found from the .shp), checked against the .shp when present. */
  shx: Uint8Array | null;
  dbf: Uint8Array | null;
  prj: string | null;
  cpg: string | null;
  /** Name of the .shp inside the archive or folder, for messages. */
  name: string;
}

/** Reads a zipped shapefile (.shp/.dbf/.prj/.cpg anywhere inside) or a bare .shp with its sibling files. */
export async function readAreasShapefile(file: string, o: AreaReadOptions): Promise<AreaReadResult> {
  const problems = new ProblemList();
  const parts = file.toLowerCase().endsWith('.zip')
    ? await partsFromZip(file, o, problems)
    : await partsFromFolder(file, o, problems);
  if (!parts) return { records: [], crs: '', problems: finish(problems) };
  if (!parts.dbf) {
    problems.error({
      code: 'missing-dbf',
      reason: `no .dbf file next to ${parts.name}: the areas' codes and names are in it`,
      file: o.file,
      hint: 'A shapefile consists of at least .shp, .dbf and .prj files with the same base name; include all of them.',
    });
    return { records: [], crs: '', problems: finish(problems) };
  }

  let crs: string | null = null;
  if (o.crs !== undefined) crs = resolveCrs(o.crs, 'the --crs option', o, problems);
  else if (parts.prj !== null) {
    crs = crsFromPrj(parts.prj);
    if (!crs) {
      const name = /^\s*\w+\s*\[\s*"([^"]*)"/.exec(parts.prj)?.[1];
      problems.error({
        code: 'unknown-crs',
        reason: `the coordinate system in the .prj file${name ? ` ("${name}")` : ''} is not recognised`,
        file: o.file,
        value: parts.prj.slice(0, 200),
        hint: `Pass it explicitly, e.g. --crs EPSG:25832. Supported: ${supportedCrsList()}.`,
      });
    } else if (!isSupportedCrs(crs)) {
      problems.error({
        code: 'unsupported-crs',
        reason: `the .prj file declares ${crs}, which is not supported`,
        file: o.file,
        value: crs,
        hint: `Reproject the data to one of: ${supportedCrsList()}.`,
      });
      crs = null;
    }
  } else {
    problems.error({
      code: 'missing-prj',
      reason: `no .prj file next to ${parts.name}, so the coordinate system is unknown`,
      file: o.file,
      hint: 'Include the .prj file, or pass the CRS explicitly, e.g. --crs EPSG:25832.',
    });
  }

  // Encoding of the attribute table: option, then .cpg, then a UTF-8 sniff, then Windows-1252.
  let encoding: string;
  if (o.encoding !== undefined) encoding = o.encoding;
  else if (parts.cpg !== null) encoding = encodingFromCpg(parts.cpg);
  else if (looksLikeUtf8(parts.dbf)) {
    encoding = 'utf-8';
    problems.warning({
      code: 'encoding-guessed',
      reason: 'no .cpg file; the attribute table was read as UTF-8 because its text is valid UTF-8',
      file: o.file,
      hint: 'Include the .cpg file or pass --encoding (e.g. windows-1252) if names look wrong.',
    });
  } else encoding = 'windows-1252';
  const dbf = prepareDbf(parts.dbf, encoding);
  if (!dbf) {
    problems.error({
      code: 'unknown-encoding',
      reason: `unknown or unsupported character encoding "${encoding}"`,
      file: o.file,
      value: encoding,
      hint: 'Use an encoding label such as UTF-8, windows-1252, ISO-8859-15 or cp850.',
    });
    return { records: [], crs: crs ?? '', problems: finish(problems) };
  }

  if (encoding === 'utf-8' && !dbfIsUtf8(parts.dbf)) {
    problems.error({
      code: 'bad-encoding',
      reason: `the attribute table (.dbf) is declared as UTF-8${o.encoding === undefined ? ' by the .cpg file' : ''} but is not valid UTF-8`,
      file: o.file,
      value: encoding,
      hint: 'Pass the real encoding, e.g. --encoding windows-1252, or export the layer again as UTF-8.',
    });
    return { records: [], crs: crs ?? '', problems: finish(problems) };
  }

  // The records must add up before any is read: the .shp's length against its records, the .shx
  // index and the .dbf's record count. A reader that stopped at a broken record would import a
  // part of the layer as if it were all of it.
  const layout = shapefileLayout(parts, o, problems);
  if (!layout) return { records: [], crs: crs ?? '', problems: finish(problems) };

  const raw: RawFeature[] = [];
  let otherTypes = 0;
  let firstOther: { number: number; type: string } | null = null;
  let missingAttributes = 0;
  let count = 0;
  try {
    const source = await shapefile.open(parts.shp, dbf.bytes, { encoding: dbf.encoding });
    for (let number = 1; ; number++) {
      const r = await source.read();
      if (r.done) break;
      count++;
      const g = r.value.geometry as { type: string } | null;
      if (r.value.properties == null) missingAttributes++;
      const properties = (r.value.properties ?? {}) as Record<string, unknown>;
      cleanAttributes(properties, layout.numbers[number - 1], number, o, problems);
      if (g && g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
        otherTypes++;
        firstOther ??= { number, type: g.type };
        continue;
      }
      raw.push({ number, properties, geometry: g as AreaGeometry | null });
    }
  } catch (e) {
    problems.error({
      code: 'bad-shapefile',
      reason: `cannot read ${parts.name}: ${(e as Error).message}`,
      file: o.file,
      hint: 'The file may be damaged; export it again from the GIS.',
    });
    return { records: [], crs: crs ?? '', problems: finish(problems) };
  }
  if (firstOther) {
    problems.error({
      code: 'unsupported-geometry',
      reason: `${otherTypes} record(s) have ${firstOther.type} geometries (first: record ${firstOther.number}); areas need polygons`,
      file: o.file,
      value: firstOther.type,
      hint: 'Use a polygon layer.',
    });
  }
  if (count !== layout.records) {
    problems.error({
      code: 'shp-record-count',
      reason: `${parts.name} has ${layout.records} record(s), but only ${count} could be read`,
      file: o.file,
      value: String(count),
      hint: 'The file may be damaged; export it again from the GIS.',
    });
  }
  if (missingAttributes > 0) {
    problems.error({
      code: 'dbf-mismatch',
      reason: `${missingAttributes} shape(s) have no row in the .dbf file (the .shp has more records than the .dbf)`,
      file: o.file,
      hint: 'The .shp and .dbf do not belong together or one is truncated; export the layer again.',
    });
  }
  const records = buildRecords(raw, crs, o, problems, { kind: 'record' });
  return { records, crs: crs ?? '', problems: finish(problems) };
}

async function partsFromZip(file: string, o: AreaReadOptions, problems: ProblemList): Promise<ShapefileParts | null> {
  const wanted = /\.(shp|shx|dbf|prj|cpg)$/i;
  // macOS archives carry resource forks (__MACOSX/, ._name) that look like shapefile parts.
  const junk = (name: string) => /(^|\/)__MACOSX\//.test(name) || path.posix.basename(name).startsWith('._');
  let entries: Record<string, Uint8Array>;
  let listed: string[];
  try {
    // Every entry read is checked against its CRC-32 (a damaged archive is not imported).
    const zip = await readZipFile(file, (name) => wanted.test(name) && !junk(name));
    entries = Object.fromEntries(zip.entries);
    listed = zip.names.filter((n) => !junk(n));
  } catch (e) {
    if (e instanceof ZipIntegrityError) {
      problems.error({
        code: e.problemCode,
        reason: `the archive is damaged: ${e.message}`,
        file: o.file,
        value: e.entry,
        hint: 'The file was changed or broken in transit (`unzip -t` shows it); zip the shapefile again or download it anew.',
      });
    } else if (e instanceof ZipFormatError) {
      problems.error({
        code: 'bad-zip',
        reason: `cannot unzip: ${e.message}`,
        file: o.file,
        hint: 'Check that the file is a complete .zip archive.',
      });
    } else problems.error(fileError(e, o));
    return null;
  }
  const shps = Object.keys(entries).filter((n) => /\.shp$/i.test(n));
  if (shps.length !== 1) {
    problems.error({
      code: shps.length === 0 ? 'no-shapefile' : 'several-shapefiles',
      reason:
        shps.length === 0
          ? `the archive contains no .shp file (contents: ${listed.slice(0, 10).join(', ')}${listed.length > 10 ? ', …' : ''})`
          : `the archive contains ${shps.length} shapefiles: ${shps.join(', ')}`,
      file: o.file,
      hint:
        shps.length === 0
          ? 'Zip the .shp, .dbf, .prj (and .cpg) files of one polygon layer.'
          : 'Zip only the layer to import, or unpack the archive and pass that .shp file.',
    });
    return null;
  }
  const base = shps[0].slice(0, -4).toLowerCase();
  const sibling = (ext: string) => {
    const name = Object.keys(entries).find((n) => n.toLowerCase() === `${base}.${ext}`);
    return name ? entries[name] : null;
  };
  const text = (b: Uint8Array | null) => (b ? new TextDecoder('utf-8').decode(b) : null);
  return {
    shp: entries[shps[0]],
    shx: sibling('shx'),
    dbf: sibling('dbf'),
    prj: text(sibling('prj')),
    cpg: text(sibling('cpg')),
    name: shps[0],
  };
}

async function partsFromFolder(
  file: string,
  o: AreaReadOptions,
  problems: ProblemList,
): Promise<ShapefileParts | null> {
  const dir = path.dirname(file);
  const base = path
    .basename(file)
    .replace(/\.shp$/i, '')
    .toLowerCase();
  let shp: Uint8Array;
  let names: string[];
  try {
    shp = await readFile(file);
    names = await readdir(dir);
  } catch (e) {
    problems.error(fileError(e, o));
    return null;
  }
  // Sibling files may differ in case (X.SHP with x.dbf), as they often do from Windows tools.
  const sibling = async (ext: string) => {
    const name = names.find((n) => n.toLowerCase() === `${base}.${ext}`);
    return name ? readFile(path.join(dir, name)) : null;
  };
  const text = (b: Uint8Array | null) => (b ? new TextDecoder('utf-8').decode(b) : null);
  return {
    shp,
    shx: await sibling('shx'),
    dbf: await sibling('dbf'),
    prj: text(await sibling('prj')),
    cpg: text(await sibling('cpg')),
    name: path.basename(file),
  };
}

interface ShapefileLayout {
  /** Number of records in the .shp (= .shx entries = .dbf rows). */
  records: number;
  /** Per record: the raw text of each numeric .dbf field (read by our number parser, not the shapefile package's). */
  numbers: Map<string, string>[];
}

/**
 * Walks the record headers of the .shp (ESRI Shapefile Technical Description: big-endian lengths
 * in 16-bit words) and checks them against the file length, the .shx index and the .dbf header.
 * Returns null after reporting a count or length that does not add up.
 */
function shapefileLayout(parts: ShapefileParts, o: AreaReadOptions, problems: ProblemList): ShapefileLayout | null {
  const shp = parts.shp;
  const name = parts.name;
  const damaged = 'The file is damaged or was cut off; export the layer again from the GIS.';
  const fail = (code: string, reason: string, value?: string, hint = damaged) => {
    problems.error({ code, reason, file: o.file, value, hint });
    return null;
  };
  if (shp.length < 100)
    return fail(
      'bad-shapefile',
      `${name} is ${shp.length} bytes long, shorter than the 100-byte header of a shapefile`,
      String(shp.length),
    );
  const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  if (view.getInt32(0, false) !== 9994)
    return fail(
      'bad-shapefile',
      `${name} is not a shapefile (its file code is ${view.getInt32(0, false)}, not 9994)`,
      String(view.getInt32(0, false)),
    );
  const declared = view.getInt32(24, false) * 2;
  if (declared !== shp.length)
    return fail(
      'shp-length-mismatch',
      `the header of ${name} declares ${declared} bytes, the file has ${shp.length}`,
      String(declared),
    );
  const offsets: { offset: number; length: number }[] = [];
  for (let offset = 100; offset < shp.length;) {
    const n = offsets.length + 1;
    if (offset + 8 > shp.length)
      return fail(
        'shp-record-length',
        `record ${n} of ${name} starts at byte ${offset}, but its header is cut off by the end of the file`,
        String(offset),
      );
    const length = view.getInt32(offset + 4, false) * 2;
    const rest = shp.length - offset - 8;
    if (length < 4 || length > rest) {
      return fail(
        'shp-record-length',
        `record ${n} of ${name} declares a content length of ${length} bytes; ${length < 4 ? 'a record holds at least its 4-byte shape type' : `only ${rest} bytes remain in the file`}`,
        String(length),
      );
    }
    offsets.push({ offset, length });
    offset += 8 + length;
  }
  if (parts.shx) {
    const shx = parts.shx;
    const sx = new DataView(shx.buffer, shx.byteOffset, shx.byteLength);
    const entries = (shx.length - 100) / 8;
    if (shx.length < 100 || !Number.isInteger(entries))
      return fail(
        'shx-mismatch',
        `the index (.shx) of ${name} is ${shx.length} bytes long, which is not 100 + 8 bytes per record`,
        String(shx.length),
      );
    if (entries !== offsets.length)
      return fail(
        'shx-mismatch',
        `the index (.shx) lists ${entries} record(s), ${name} has ${offsets.length}`,
        String(entries),
      );
    for (let i = 0; i < entries; i++) {
      const offset = sx.getInt32(100 + 8 * i, false) * 2;
      const length = sx.getInt32(104 + 8 * i, false) * 2;
      if (offset !== offsets[i].offset || length !== offsets[i].length) {
        return fail(
          'shx-mismatch',
          `record ${i + 1}: the index (.shx) places it at byte ${offset} with ${length} bytes, ${name} at byte ${offsets[i].offset} with ${offsets[i].length}`,
          String(offset),
        );
      }
    }
  }
  const dbf = parts.dbf!;
  if (dbf.length < 32)
    return fail(
      'dbf-mismatch',
      `the attribute table (.dbf) is ${dbf.length} bytes long, shorter than its header`,
      String(dbf.length),
    );
  const dv = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  const rows = dv.getUint32(4, true);
  const headerLength = dv.getUint16(8, true);
  const recordLength = dv.getUint16(10, true);
  if (headerLength < 33 || recordLength < 1 || headerLength > dbf.length)
    return fail(
      'dbf-mismatch',
      `the header of the attribute table (.dbf) is damaged (header ${headerLength} bytes, records ${recordLength} bytes)`,
      String(headerLength),
    );
  const room = Math.floor((dbf.length - headerLength) / recordLength);
  if (rows > room)
    return fail(
      'dbf-mismatch',
      `the attribute table (.dbf) declares ${rows} rows but holds only ${room}`,
      String(rows),
    );
  if (rows !== offsets.length) {
    return fail(
      'dbf-mismatch',
      `the attribute table (.dbf) has ${rows} row(s), ${name} has ${offsets.length} shape(s)`,
      String(rows),
      'The .shp and .dbf do not belong together or one is truncated; export the layer again.',
    );
  }
  // Numeric fields (N, F) as text, so that our number parser reads them.
  const fields: { name: string; offset: number; length: number }[] = [];
  for (let at = 32, start = 1; at + 32 <= headerLength && dbf[at] !== 0x0d; at += 32) {
    let end = at;
    while (end < at + 11 && dbf[end] !== 0) end++;
    const length = dbf[at + 16];
    const type = String.fromCharCode(dbf[at + 11]);
    if (type === 'N' || type === 'F')
      fields.push({ name: Buffer.from(dbf.subarray(at, end)).toString('latin1'), offset: start, length });
    start += length;
  }
  const numbers: Map<string, string>[] = [];
  for (let r = 0; r < rows; r++) {
    const m = new Map<string, string>();
    const base = headerLength + r * recordLength;
    for (const f of fields)
      m.set(f.name, Buffer.from(dbf.subarray(base + f.offset, base + f.offset + f.length)).toString('latin1'));
    numbers.push(m);
  }
  return { records: offsets.length, numbers };
}

/**
 * Attribute values as the readers of the other formats give them: numeric fields through our
 * number parser (the shapefile package's +text would take "0x1A" for 26), text fields without the
 * NUL padding some writers use; a NUL inside a text is an error.
 */
function cleanAttributes(
  properties: Record<string, unknown>,
  numbers: Map<string, string> | undefined,
  record: number,
  o: AreaReadOptions,
  problems: ProblemList,
): void {
  for (const [key, v] of Object.entries(properties)) {
    const rawNumber = numbers?.get(key);
    if (rawNumber !== undefined) {
      const t = rawNumber.replace(/\0+$/, '').trim();
      // Empty, or dBASE's overflow marker (asterisks): no value.
      if (t === '' || /^\*+$/.test(t)) properties[key] = null;
      else {
        const n = parsePlainNumber(t) ?? parseNumber(t, ',');
        if (n === null)
          problems.error({
            code: 'bad-number',
            reason: `record ${record}: the numeric field ${key} holds "${t}", which is not a number`,
            file: o.file,
            column: key,
            value: t,
            hint: 'Numeric fields hold decimal numbers (1234.5); correct the value or make the field a text field.',
          });
        properties[key] = n;
      }
      continue;
    }
    if (typeof v !== 'string') continue;
    const t = v.replace(/\0+$/, '').trim();
    properties[key] = t === '' ? null : t;
    if (t.includes('\u0000')) {
      const m = badCharacterMessage({ index: t.indexOf('\u0000'), kind: 'nul', char: 0 });
      problems.error({
        code: m.code,
        reason: `record ${record}, field ${key}: ${m.reason}`,
        file: o.file,
        column: key,
        value: t.replace(/\u0000/g, '\\0'),
        hint: m.hint,
      });
    }
  }
}

/** Whether the records of a .dbf are valid UTF-8. */
function dbfIsUtf8(dbf: Uint8Array): boolean {
  if (dbf.length < 32) return true;
  const headerLength = dbf[8] | (dbf[9] << 8);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(dbf.subarray(Math.min(headerLength, dbf.length)));
    return true;
  } catch {
    return false;
  }
}

/** Maps the content of a .cpg file (as ArcGIS and QGIS write it) to an encoding label. */
export function encodingFromCpg(cpg: string): string {
  const s = cpg.replace(/^\uFEFF/, '').trim();
  const m = /^(?:ANSI\s*|CP\s*|windows-?)?(\d{3,5})$/i.exec(s);
  if (m) {
    const n = Number(m[1]);
    if (n === 65001) return 'utf-8';
    if (n >= 1250 && n <= 1258) return `windows-${n}`;
    if (n >= 28591 && n <= 28606) return `iso-8859-${n - 28590}`;
    if (n >= 88591 && n <= 88599) return `iso-8859-${n - 88590}`;
    return `cp${n}`;
  }
  if (/^utf-?8$/i.test(s)) return 'utf-8';
  return s.toLowerCase();
}

/**
 * Makes the .dbf readable for the shapefile package, whose decoder knows only WHATWG encodings.
 * Old DOS code pages (cp850, cp437) are not among them; being single-byte, the records can be
 * transcoded to Windows-1252 without changing any field's width (characters it lacks become "?").
 */
function prepareDbf(dbf: Uint8Array, encoding: string): { bytes: Uint8Array; encoding: string } | null {
  try {
    new TextDecoder(encoding);
    return { bytes: dbf, encoding };
  } catch {
    // not a WHATWG label: try iconv-lite below
  }
  if (!iconv.encodingExists(encoding) || dbf.length < 32) return null;
  const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  if (iconv.decode(allBytes, encoding).length !== 256) return null; // multi-byte: widths would change
  const headerLength = dbf[8] | (dbf[9] << 8);
  const body = iconv.encode(iconv.decode(Buffer.from(dbf.subarray(headerLength)), encoding), 'windows-1252');
  if (body.length !== dbf.length - headerLength) return null;
  const bytes = new Uint8Array(dbf.length);
  bytes.set(dbf.subarray(0, headerLength));
  bytes.set(body, headerLength);
  return { bytes, encoding: 'windows-1252' };
}

/** True if the .dbf records contain non-ASCII bytes that form valid UTF-8 (1252 text practically never does). */
function looksLikeUtf8(dbf: Uint8Array): boolean {
  if (dbf.length < 32) return false;
  const headerLength = dbf[8] | (dbf[9] << 8);
  const body = dbf.subarray(headerLength);
  if (!body.some((b) => b >= 0x80)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Shared: properties, CRS, geometry checks

function resolveCrs(text: string, source: string, o: AreaReadOptions, problems: ProblemList): string | null {
  const r = resolveCrsReference(text, source);
  if ('crs' in r) return r.crs;
  problems.error({ ...r, file: o.file, value: text });
  return null;
}

/** Finds the actual property name for a wish (explicit option) or the first matching candidate. */
function chooseProperty(
  raw: RawFeature[],
  explicit: string | undefined,
  candidates: string[],
  preferStrings: boolean,
): { name: string | null; missingExplicit: boolean; available: string[] } {
  const keys = new Map<string, string>(); // lower case → as spelled in the file (first seen)
  const exact = new Set<string>();
  for (const f of raw)
    for (const k of Object.keys(f.properties)) {
      exact.add(k);
      if (!keys.has(k.toLowerCase())) keys.set(k.toLowerCase(), k);
    }
  const available = [...exact];
  if (explicit !== undefined) {
    const name = exact.has(explicit) ? explicit : (keys.get(explicit.toLowerCase()) ?? null);
    return { name, missingExplicit: name === null, available };
  }
  const found = candidates.map((c) => keys.get(c)).filter((k): k is string => k !== undefined);
  if (preferStrings) {
    // Codes with leading zeros ("01") survive only as strings: a string-valued candidate beats a numeric one.
    const stringy = found.find(
      (k) =>
        raw.some((f) => typeof f.properties[k] === 'string') &&
        raw.every((f) => f.properties[k] == null || typeof f.properties[k] === 'string'),
    );
    if (stringy) return { name: stringy, missingExplicit: false, available };
  }
  return { name: found[0] ?? null, missingExplicit: false, available };
}

/** Text of a code-like value: strings trimmed, finite numbers printed; null if empty; undefined if not usable. */
function codeText(v: unknown): string | null | undefined {
  if (v == null) return null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'bigint') return String(v);
  return undefined;
}

function buildRecords(
  raw: RawFeature[],
  crs: string | null,
  o: AreaReadOptions,
  problems: ProblemList,
  unit: { kind: 'feature' | 'record' },
): AreaRecord[] {
  const listProps = (names: string[]) => (names.length ? names.map((n) => `"${n}"`).join(', ') : 'none');
  const code = chooseProperty(raw, o.codeProp, CODE_PROPS, true);
  const name = chooseProperty(raw, o.nameProp, NAME_PROPS, false);
  const parent = o.parentProp !== undefined ? chooseProperty(raw, o.parentProp, [], false) : null;
  if (raw.length === 0) {
    problems.error({ code: 'no-features', reason: `the file contains no ${unit.kind}s`, file: o.file });
    return [];
  }
  if (!code.name) {
    problems.error({
      code: code.missingExplicit ? 'unknown-property' : 'no-code-property',
      reason: code.missingExplicit
        ? `no ${unit.kind} has the code property "${o.codeProp}"`
        : `no code property found (looked for ${CODE_PROPS.join(', ')})`,
      file: o.file,
      column: o.codeProp,
      hint: `Available properties: ${listProps(code.available)}. Choose one with --code-prop.`,
    });
    return [];
  }
  if (name.missingExplicit) {
    problems.error({
      code: 'unknown-property',
      reason: `no ${unit.kind} has the name property "${o.nameProp}"`,
      file: o.file,
      column: o.nameProp,
      hint: `Available properties: ${listProps(name.available)}.`,
    });
  } else if (!name.name) {
    problems.warning({
      code: 'no-name-property',
      reason: `no name property found (looked for ${NAME_PROPS.join(', ')}); names are left empty`,
      file: o.file,
      hint: `Available properties: ${listProps(name.available)}. Choose one with --name-prop.`,
    });
  }
  if (parent?.missingExplicit) {
    problems.error({
      code: 'unknown-property',
      reason: `no ${unit.kind} has the parent property "${o.parentProp}"`,
      file: o.file,
      column: o.parentProp,
      hint: `Available properties: ${listProps(parent.available)}.`,
    });
  }

  // The coordinates as a whole must fit the CRS; otherwise every area would be misplaced, and one
  // error says more than hundreds of follow-up ones.
  let fits = crs !== null;
  if (crs) {
    let box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
    for (const f of raw) if (f.geometry && hasPositions(f.geometry)) box = mergeBBox(box, bboxOf(f.geometry));
    if (box.every(Number.isFinite)) {
      const issue = assessCoordinates(crs, box);
      if (issue) {
        problems.add({
          severity: issue.severity,
          code: issue.severity === 'error' ? 'crs-mismatch' : 'outside-europe',
          reason: issue.reason,
          file: o.file,
          value: crs,
          hint: issue.hint,
        });
        if (issue.severity === 'error') fits = false;
      }
    }
  }
  const transform = crs && fits ? makeTransform(crs) : null;

  let numericCodes = 0;
  const records: AreaRecord[] = [];
  for (const f of raw) {
    const where = (c: string | null) => `${unit.kind} ${f.number}${c ? ` (code ${c})` : ''}`;
    const rawCode = f.properties[code.name];
    const c = codeText(rawCode);
    if (c == null) {
      problems.error({
        code: c === null ? 'missing-code' : 'bad-code',
        reason: `${where(null)}: ${c === null ? 'no code' : 'the code is not text or a number'}`,
        file: o.file,
        column: code.name,
        value: c === null ? undefined : truncateJson(rawCode),
      });
      continue;
    }
    if (typeof rawCode === 'number') numericCodes++;
    let nameText = '';
    if (name.name) {
      const n = codeText(f.properties[name.name]);
      if (n == null)
        problems.warning({
          code: 'missing-name',
          reason: `${where(c)}: no name`,
          file: o.file,
          column: name.name,
          value: c,
        });
      else nameText = n;
    }
    let parentCode: string | null = null;
    if (parent?.name) {
      const p = codeText(f.properties[parent.name]);
      if (p === undefined)
        problems.error({
          code: 'bad-code',
          reason: `${where(c)}: the parent code is not text or a number`,
          file: o.file,
          column: parent.name,
          value: truncateJson(f.properties[parent.name]),
        });
      else parentCode = p;
    }
    const record: AreaRecord = {
      code: c,
      name: nameText,
      parentCode,
      geometry: null,
      properties: f.properties,
      feature: f.number,
    };
    records.push(record);

    if (f.unusable) {
      problems.error({
        code: f.unusable.code,
        reason: `${where(c)}: ${f.unusable.reason}`,
        file: o.file,
        value: c,
        hint: f.unusable.hint,
      });
      continue;
    }
    const g = f.geometry;
    if (g === null) {
      // An area layer from a geometry file needs every boundary: maps, point assignment and the
      // containment check would silently miss this area (decision 0012). Areas without any
      // boundaries come from a table (CSV/XLSX).
      problems.error({
        code: 'no-geometry',
        reason: `${where(c)}: no geometry (null)`,
        file: o.file,
        column: 'geometry',
        value: c,
        hint: 'Give the area its boundary in the GIS, or remove the feature; a layer without boundaries is imported from a table (CSV/XLSX) with code and name.',
      });
      continue;
    }
    if (!transform) continue;
    const geometry = transformGeometry(g, transform);
    for (const issue of validateGeometry(geometry, { tolerance: WGS84_GRID })) {
      problems.add({
        severity: issue.severity,
        code: issue.code,
        reason: `${where(c)}: ${issue.reason}`,
        file: o.file,
        value: c,
        hint: issue.hint,
      });
    }
    // Invalid geometries are returned too (the problems say so), for callers that tolerate them.
    record.geometry = rewind(geometry);
  }
  if (numericCodes > 0) {
    problems.warning({
      code: 'numeric-code',
      reason: `${numericCodes} code(s) in "${code.name}" are stored as numbers, not text; leading zeros (as in "01100101") cannot be recovered`,
      file: o.file,
      column: code.name,
      hint: 'Store codes as text in the source (a string property or a character field), or check that the codes match your other data.',
    });
  }
  return records;
}

const hasPositions = (g: AreaGeometry) =>
  (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).some((poly) => poly.some((r: Ring) => r.length > 0));

// ---------------------------------------------------------------------------------------------
// Small helpers

function fileError(e: unknown, o: AreaReadOptions): Omit<Problem, 'severity'> {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT'
    ? { code: 'file-not-found', reason: 'file not found', file: o.file }
    : { code: 'unreadable-file', reason: `cannot read the file: ${(e as Error).message}`, file: o.file };
}

/** A short preview of a value for messages; safe whatever its nesting. */
function truncateJson(v: unknown): string {
  return preview(v, 80);
}

function finish(problems: ProblemList): Problem[] {
  const omitted = problems.errorCount + problems.warningCount - problems.items.length;
  return omitted > 0
    ? [
        ...problems.items,
        {
          severity: problems.hasErrors ? 'error' : 'warning',
          code: 'more-problems',
          reason: `${omitted} further problem(s) not listed`,
        },
      ]
    : problems.items;
}
