import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import iconv from 'iconv-lite';
import {
  readAreas,
  readAreasGeoJson,
  readAreasShapefile,
  encodingFromCpg,
  type AreaReadResult,
} from '../../src/formats/areas.ts';
import { makeTransform } from '../../src/core/geo/crs.ts';
import { bboxOf, coveredShare, geodesicAreaM2, ringArea } from '../../src/core/geo/geometry.ts';
import type { AreaGeometry, Ring } from '../../src/core/geo/types.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'areas-test-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const codesOf = (r: AreaReadResult) => r.records.map((x) => x.code);
const errorsOf = (r: AreaReadResult) => r.problems.filter((p) => p.severity === 'error');
const problemCodes = (r: AreaReadResult) => r.problems.map((p) => p.code);

/** Axis-aligned rectangle ring; clockwise when cw (ESRI outer ring order), else counter-clockwise. */
function rect(x0: number, y0: number, x1: number, y1: number, cw = false): Ring {
  const ccw: Ring = [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
  return cw ? [...ccw].reverse() : ccw;
}

function writeJson(name: string, doc: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry });
const utm32crs = { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25832' } };
// Near the Berlin TV tower in ETRS89 / UTM 32N (Berlin lies east of zone 32, eastings ~800 km).
const E = 799_000,
  N = 5_828_000;

// ---------------------------------------------------------------------------------------------
// GeoJSON

test('GeoJSON in EPSG:25832 with a crs member: codes stay strings, MultiPolygon hole survives', async () => {
  const file = writeJson('utm32.geojson', {
    type: 'FeatureCollection',
    crs: utm32crs,
    features: [
      feature(
        { code: '01100101', name: 'Unter den Linden', bez: '01' },
        { type: 'Polygon', coordinates: [rect(E, N, E + 1000, N + 1000)] },
      ),
      feature(
        { code: ' 01100102 ', name: 'Insel', bez: '01' },
        {
          type: 'MultiPolygon',
          coordinates: [
            [rect(E + 1000, N, E + 2000, N + 1000), rect(E + 1400, N + 400, E + 1600, N + 600, true)],
            [rect(E + 3000, N, E + 3100, N + 100)],
          ],
        },
      ),
    ],
  });
  const r = await readAreasGeoJson(file, { file: 'utm32.geojson', parentProp: 'bez' });
  assert.deepEqual(r.problems, []);
  assert.equal(r.crs, 'EPSG:25832');
  assert.deepEqual(codesOf(r), ['01100101', '01100102']);
  assert.deepEqual(
    r.records.map((x) => [x.name, x.parentCode, x.feature]),
    [
      ['Unter den Linden', '01', 1],
      ['Insel', '01', 2],
    ],
  );
  const first = r.records[0].geometry!;
  assert.equal(first.type, 'Polygon');
  assert.deepEqual(first.coordinates[0][0], makeTransform('EPSG:25832')(E, N));
  const [lon0, lat0, lon1, lat1] = bboxOf(first);
  assert.ok(lon0 > 13.4 && lon1 < 13.43 && lat0 > 52.51 && lat1 < 52.54, `${[lon0, lat0, lon1, lat1]}`);
  const multi = r.records[1].geometry!;
  assert.ok(multi.type === 'MultiPolygon');
  assert.equal(multi.coordinates.length, 2);
  assert.equal(multi.coordinates[0].length, 2, 'the hole is kept');
  // RFC 7946 orientation: outer counter-clockwise, hole clockwise.
  assert.ok(ringArea(multi.coordinates[0][0]) > 0 && ringArea(multi.coordinates[0][1]) < 0);
  // 1 km² minus the 0.04 km² hole plus 0.01 km², within the UTM scale distortion.
  assert.ok(Math.abs(geodesicAreaM2(multi) / 970_000 - 1) < 0.005, String(geodesicAreaM2(multi)));
});

test('GeoJSON without a crs member is CRS84; --crs overrides the file', async () => {
  const wgs = writeJson('wgs.geojson', {
    type: 'FeatureCollection',
    features: [feature({ id: '01', name: 'Mitte' }, { type: 'Polygon', coordinates: [rect(13.3, 52.5, 13.4, 52.55)] })],
  });
  const r = await readAreasGeoJson(wgs, { file: 'wgs.geojson' });
  assert.deepEqual(r.problems, []);
  assert.equal(r.crs, 'EPSG:4326');
  assert.deepEqual(r.records[0].geometry!.coordinates[0][2], [13.4, 52.55]);

  const declaredWrong = writeJson('declared-wrong.geojson', {
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'EPSG:31467' } },
    features: [feature({ id: '01' }, { type: 'Polygon', coordinates: [rect(E, N, E + 1000, N + 1000)] })],
  });
  const fixed = await readAreasGeoJson(declaredWrong, { file: 'x', crs: '25832' });
  assert.equal(fixed.crs, 'EPSG:25832');
  assert.equal(errorsOf(fixed).length, 0);

  // CRS only on the geometries (as some exporters write it): not silently taken as CRS84 metres.
  const geomCrs = { type: 'name', properties: { name: 'EPSG:25832' } };
  const perGeometry = writeJson('per-geometry.geojson', {
    type: 'FeatureCollection',
    features: [1, 2].map((i) =>
      feature(
        { id: `0${i}` },
        { type: 'Polygon', crs: geomCrs, coordinates: [rect(E + i * 1000, N, E + i * 1000 + 1000, N + 1000)] },
      ),
    ),
  });
  const r2 = await readAreasGeoJson(perGeometry, { file: 'per-geometry.geojson' });
  assert.deepEqual(problemCodes(r2), ['mixed-crs', 'no-name-property', 'crs-mismatch']);
  assert.deepEqual(errorsOf(await readAreasGeoJson(perGeometry, { file: 'x', crs: 'EPSG:25832', nameProp: 'id' })), []);
});

test('a file declaring EPSG:4326 with metre coordinates is rejected with a hint', async () => {
  const file = writeJson('metres.geojson', {
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4326' } },
    features: [
      feature({ code: '01', name: 'Mitte' }, { type: 'Polygon', coordinates: [rect(E, N, E + 1000, N + 1000)] }),
    ],
  });
  const r = await readAreasGeoJson(file, { file: 'metres.geojson' });
  const errors = errorsOf(r);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'crs-mismatch');
  assert.equal(errors[0].file, 'metres.geojson');
  assert.match(errors[0].reason, /projected metres/);
  assert.match(errors[0].hint!, /EPSG:25832/);
  assert.equal(r.records[0].geometry, null, 'no nonsense geometry is returned');
});

test('a bow-tie feature is an error naming the feature and its code', async () => {
  const bowTie = [
    [13.3, 52.5],
    [13.4, 52.6],
    [13.4, 52.5],
    [13.3, 52.6],
    [13.3, 52.5],
  ];
  const file = writeJson('bowtie.geojson', {
    type: 'FeatureCollection',
    features: [
      feature({ code: '01', name: 'ok' }, { type: 'Polygon', coordinates: [rect(13.1, 52.5, 13.2, 52.6)] }),
      feature({ code: '02', name: 'Fliege' }, { type: 'Polygon', coordinates: [bowTie] }),
    ],
  });
  const r = await readAreasGeoJson(file, { file: 'bowtie.geojson' });
  const errors = errorsOf(r);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'self-intersection');
  assert.equal(errors[0].value, '02');
  assert.match(errors[0].reason, /^feature 2 \(code 02\): outer ring crosses itself at 13\.35 52\.55/);
  assert.ok(errors[0].hint);
});

test('code property: string candidates are preferred; numbers become text with a warning', async () => {
  const both = writeJson('both.geojson', {
    type: 'FeatureCollection',
    features: [
      feature(
        { id: 7, SCHLUESSEL: '0101', NAME: 'A' },
        { type: 'Polygon', coordinates: [rect(13.1, 52.5, 13.2, 52.6)] },
      ),
    ],
  });
  const r1 = await readAreasGeoJson(both, { file: 'both.geojson' });
  assert.deepEqual(codesOf(r1), ['0101']);
  assert.equal(r1.records[0].name, 'A');
  assert.deepEqual(r1.problems, []);

  const numeric = writeJson('numeric.geojson', {
    type: 'FeatureCollection',
    features: [feature({ ID: 1100101, name: 'B' }, { type: 'Polygon', coordinates: [rect(13.1, 52.5, 13.2, 52.6)] })],
  });
  const r2 = await readAreasGeoJson(numeric, { file: 'numeric.geojson' });
  assert.deepEqual(codesOf(r2), ['1100101']);
  assert.deepEqual(problemCodes(r2), ['numeric-code']);
  assert.equal(r2.problems[0].severity, 'warning');
  assert.equal(r2.problems[0].column, 'ID');
});

test('no code property: an error listing the available properties; explicit properties are honoured', async () => {
  const file = writeJson('nocode.geojson', {
    type: 'FeatureCollection',
    features: [
      feature(
        { nummer: 'A1', titel: 'Nord', ober: 'X' },
        { type: 'Polygon', coordinates: [rect(13.1, 52.5, 13.2, 52.6)] },
      ),
    ],
  });
  const r = await readAreasGeoJson(file, { file: 'nocode.geojson' });
  assert.deepEqual(problemCodes(r), ['no-code-property']);
  assert.match(r.problems[0].hint!, /"nummer", "titel", "ober"/);

  const ok = await readAreasGeoJson(file, {
    file: 'nocode.geojson',
    codeProp: 'nummer',
    nameProp: 'titel',
    parentProp: 'ober',
  });
  assert.deepEqual(ok.problems, []);
  assert.deepEqual(
    ok.records.map((x) => [x.code, x.name, x.parentCode]),
    [['A1', 'Nord', 'X']],
  );
  const wrong = await readAreasGeoJson(file, { file: 'nocode.geojson', codeProp: 'CODE' });
  assert.deepEqual(problemCodes(wrong), ['unknown-property']);
});

test('null geometry, a Point, an unclosed ring and broken coordinates are errors naming the feature (decision 0012)', async () => {
  const open = rect(13.1, 52.5, 13.2, 52.6).slice(0, 4);
  const file = writeJson('mixed.geojson', {
    type: 'FeatureCollection',
    features: [
      feature({ code: '01', name: 'leer' }, null),
      feature({ code: '02', name: 'offen' }, { type: 'Polygon', coordinates: [open] }),
      feature({ code: '03', name: 'Punkt' }, { type: 'Point', coordinates: [13.4, 52.5] }),
      feature(
        { code: '04', name: 'kaputt' },
        {
          type: 'Polygon',
          coordinates: [
            [
              [13.1, 52.5],
              ['x', 52.6],
            ],
          ],
        },
      ),
      feature({ code: null, name: 'ohne Code' }, { type: 'Polygon', coordinates: [rect(13.1, 52.5, 13.2, 52.6)] }),
    ],
  });
  const r = await readAreasGeoJson(file, { file: 'mixed.geojson' });
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.code]),
    [
      ['error', 'no-geometry'],
      ['error', 'ring-not-closed'],
      ['error', 'unsupported-geometry'],
      ['error', 'bad-coordinates'],
      ['error', 'missing-code'],
    ],
  );
  assert.match(r.problems[0].reason, /^feature 1 \(code 01\): no geometry/);
  assert.match(
    r.problems[1].reason,
    /^feature 2 \(code 02\): outer ring is not closed \(it starts at 13\.1 52\.5 and ends at 13\.1 52\.6\)/,
  );
  assert.match(r.problems[2].reason, /^feature 3 \(code 03\): geometry type "Point"/);
  assert.match(
    r.problems[3].reason,
    /^feature 4 \(code 04\): coordinates\[0\]\[1\]: the position \["x",52\.6\] does not hold numbers/,
  );
  assert.equal(r.problems[4].column, 'code');
  assert.match(r.problems[4].reason, /^feature 5/);
});

test('broken JSON, a missing file and an unknown extension are reported, not thrown', async () => {
  const file = path.join(dir, 'broken.geojson');
  writeFileSync(file, '{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",, }\n]}');
  const r = await readAreas(file, { file: 'broken.geojson' });
  assert.equal(r.problems[0].code, 'bad-json');
  assert.equal(r.problems[0].line, 3);
  assert.deepEqual(problemCodes(await readAreas(path.join(dir, 'nope.geojson'), { file: 'nope.geojson' })), [
    'file-not-found',
  ]);
  assert.deepEqual(problemCodes(await readAreas(path.join(dir, 'areas.csv'), { file: 'areas.csv' })), [
    'unsupported-format',
  ]);
  assert.deepEqual(
    problemCodes(
      await readAreasGeoJson(writeJson('geom.json', { type: 'Polygon', coordinates: [] }), { file: 'geom.json' }),
    ),
    ['not-a-feature-collection'],
  );
  const badCrs = writeJson('badcrs.geojson', {
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::2154' } },
    features: [],
  });
  assert.deepEqual(problemCodes(await readAreasGeoJson(badCrs, { file: 'badcrs.geojson' })), [
    'unsupported-crs',
    'no-features',
  ]);
});

// ---------------------------------------------------------------------------------------------
// Shapefile, written byte by byte here (ESRI Shapefile Technical Description, dBASE III)

interface DbfField {
  name: string;
  type: 'C' | 'N';
  length: number;
}

/** .shp and .shx for polygon records (null = null shape); rings as given (ESRI: outer clockwise). */
function writeShp(shapes: (Ring[] | null)[]): { shp: Uint8Array; shx: Uint8Array } {
  const contents = shapes.map((rings) => {
    if (!rings) {
      const v = new DataView(new ArrayBuffer(4));
      v.setInt32(0, 0, true);
      return v;
    }
    const points = rings.flat();
    const v = new DataView(new ArrayBuffer(44 + 4 * rings.length + 16 * points.length));
    v.setInt32(0, 5, true);
    bboxOf({ type: 'Polygon', coordinates: rings }).forEach((b, i) => v.setFloat64(4 + 8 * i, b, true));
    v.setInt32(36, rings.length, true);
    v.setInt32(40, points.length, true);
    let start = 0;
    rings.forEach((r, i) => {
      v.setInt32(44 + 4 * i, start, true);
      start += r.length;
    });
    points.forEach((p, i) => {
      v.setFloat64(44 + 4 * rings.length + 16 * i, p[0], true);
      v.setFloat64(52 + 4 * rings.length + 16 * i, p[1], true);
    });
    return v;
  });
  const all = shapes.filter((s): s is Ring[] => s !== null).flat();
  const box = bboxOf({ type: 'Polygon', coordinates: all });
  const header = (byteLength: number) => {
    const v = new DataView(new ArrayBuffer(100));
    v.setInt32(0, 9994, false);
    v.setInt32(24, byteLength / 2, false);
    v.setInt32(28, 1000, true);
    v.setInt32(32, 5, true);
    box.forEach((b, i) => v.setFloat64(36 + 8 * i, b, true));
    return new Uint8Array(v.buffer);
  };
  const shpLength = 100 + contents.reduce((n, c) => n + 8 + c.byteLength, 0);
  const shp = new Uint8Array(shpLength);
  const shx = new Uint8Array(100 + 8 * contents.length);
  shp.set(header(shpLength));
  shx.set(header(shx.length));
  let offset = 100;
  contents.forEach((c, i) => {
    const rec = new DataView(shp.buffer, offset, 8);
    rec.setInt32(0, i + 1, false);
    rec.setInt32(4, c.byteLength / 2, false);
    shp.set(new Uint8Array(c.buffer), offset + 8);
    const idx = new DataView(shx.buffer, 100 + 8 * i, 8);
    idx.setInt32(0, offset / 2, false);
    idx.setInt32(4, c.byteLength / 2, false);
    offset += 8 + c.byteLength;
  });
  return { shp, shx };
}

function writeDbf(fields: DbfField[], rows: (string | number)[][], encoding: string): Uint8Array {
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((n, f) => n + f.length, 0);
  const buf = new Uint8Array(headerLength + recordLength * rows.length + 1);
  const v = new DataView(buf.buffer);
  buf.set([0x03, 124, 1, 1]);
  v.setUint32(4, rows.length, true);
  v.setUint16(8, headerLength, true);
  v.setUint16(10, recordLength, true);
  fields.forEach((f, i) => {
    buf.set(Buffer.from(f.name, 'ascii'), 32 + 32 * i);
    buf[32 + 32 * i + 11] = f.type.charCodeAt(0);
    buf[32 + 32 * i + 16] = f.length;
  });
  buf[headerLength - 1] = 0x0d;
  rows.forEach((row, r) => {
    let o = headerLength + recordLength * r;
    buf[o++] = 0x20;
    fields.forEach((f, i) => {
      const bytes = iconv.encode(String(row[i]), encoding);
      const cell = new Uint8Array(f.length).fill(0x20);
      cell.set(bytes.subarray(0, f.length), f.type === 'N' ? f.length - bytes.length : 0);
      buf.set(cell, o);
      o += f.length;
    });
  });
  buf[buf.length - 1] = 0x1a;
  return buf;
}

const PRJ_UTM32 =
  'PROJCS["ETRS_1989_UTM_Zone_32N",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",9.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const FIELDS: DbfField[] = [
  { name: 'PLR_ID', type: 'C', length: 8 },
  { name: 'PLR_NAME', type: 'C', length: 40 },
  { name: 'BEZ', type: 'C', length: 2 },
  { name: 'EW', type: 'N', length: 6 },
];
const ROWS = [
  ['01100101', 'Straße des 17. Juni', '01', 1234],
  ['09300101', 'Müggelheim', '09', 6789],
];
// ESRI ring order: outer rings clockwise, holes counter-clockwise.
const SHAPES: Ring[][] = [
  [rect(E, N, E + 1000, N + 1000, true), rect(E + 400, N + 400, E + 600, N + 600)],
  [rect(E + 1000, N, E + 2000, N + 1000, true)],
];

function shapefileZip(name: string, parts: Record<string, Uint8Array | string>): string {
  const file = path.join(dir, name);
  const entries: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(parts)) entries[k] = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  writeFileSync(file, zipSync(entries));
  return file;
}

function standardParts(
  folder: string,
  opts: {
    encoding?: string;
    cpg?: string;
    prj?: boolean;
    fields?: DbfField[];
    rows?: (string | number)[][];
    shapes?: (Ring[] | null)[];
  } = {},
) {
  const { shp, shx } = writeShp(opts.shapes ?? SHAPES);
  const parts: Record<string, Uint8Array | string> = {
    [`${folder}plr.shp`]: shp,
    [`${folder}plr.shx`]: shx,
    [`${folder}plr.dbf`]: writeDbf(opts.fields ?? FIELDS, opts.rows ?? ROWS, opts.encoding ?? 'win1252'),
  };
  if (opts.prj !== false) parts[`${folder}plr.prj`] = PRJ_UTM32;
  if (opts.cpg !== undefined) parts[`${folder}plr.cpg`] = opts.cpg;
  return parts;
}

test('zipped shapefile in a subfolder: Windows-1252 names, codes, parent, holes, WGS84', async () => {
  const file = shapefileZip('plr.zip', {
    ...standardParts('export/LOR/'),
    '__MACOSX/export/LOR/._plr.shp': new Uint8Array([0, 5, 22, 7]),
  });
  const r = await readAreasShapefile(file, { file: 'plr.zip', parentProp: 'BEZ' });
  assert.deepEqual(r.problems, []);
  assert.equal(r.crs, 'EPSG:25832');
  assert.deepEqual(
    r.records.map((x) => [x.code, x.name, x.parentCode, x.feature]),
    [
      ['01100101', 'Straße des 17. Juni', '01', 1],
      ['09300101', 'Müggelheim', '09', 2],
    ],
  );
  assert.equal(r.records[0].properties.EW, 1234);
  const g = r.records[0].geometry as AreaGeometry;
  assert.equal(g.type, 'Polygon');
  assert.equal(g.coordinates.length, 2, 'the hole belongs to the outer ring');
  assert.ok(ringArea(g.coordinates[0] as Ring) > 0 && ringArea(g.coordinates[1] as Ring) < 0, 'rewound to RFC 7946');
  const t = makeTransform('EPSG:25832');
  const corners = (g.coordinates[0] as Ring).map((p) => `${p[0]},${p[1]}`);
  assert.ok(corners.includes(t(E, N).join(',')) && corners.includes(t(E + 1000, N + 1000).join(',')));
  assert.ok(Math.abs(geodesicAreaM2(g) / 960_000 - 1) < 0.005, String(geodesicAreaM2(g)));
});

test('shapefile encodings: .cpg UTF-8, sniffed UTF-8, --encoding overriding a wrong .cpg', async () => {
  const names = (r: AreaReadResult) => r.records.map((x) => x.name);
  const utf8 = await readAreas(shapefileZip('utf8.zip', standardParts('', { encoding: 'utf8', cpg: 'UTF-8\r\n' })), {
    file: 'utf8.zip',
  });
  assert.deepEqual(utf8.problems, []);
  assert.deepEqual(names(utf8), ['Straße des 17. Juni', 'Müggelheim']);

  const sniffed = await readAreas(shapefileZip('sniffed.zip', standardParts('', { encoding: 'utf8' })), {
    file: 'sniffed.zip',
  });
  assert.deepEqual(names(sniffed), ['Straße des 17. Juni', 'Müggelheim']);
  assert.deepEqual(problemCodes(sniffed), ['encoding-guessed']);

  const wrongCpg = shapefileZip('wrongcpg.zip', standardParts('', { cpg: 'UTF-8' }));
  const overridden = await readAreas(wrongCpg, { file: 'wrongcpg.zip', encoding: 'windows-1252' });
  assert.deepEqual(names(overridden), ['Straße des 17. Juni', 'Müggelheim']);

  // DOS code page, which the shapefile package's decoder does not know.
  const dos = await readAreas(shapefileZip('cp850.zip', standardParts('', { encoding: 'cp850', cpg: '850' })), {
    file: 'cp850.zip',
  });
  assert.deepEqual(dos.problems, []);
  assert.deepEqual(names(dos), ['Straße des 17. Juni', 'Müggelheim']);
  assert.deepEqual(problemCodes(await readAreas(wrongCpg, { file: 'x', encoding: 'klingon' })), ['unknown-encoding']);

  assert.equal(encodingFromCpg('ANSI 1252'), 'windows-1252');
  assert.equal(encodingFromCpg('1252'), 'windows-1252');
  assert.equal(encodingFromCpg('ISO-8859-1'), 'iso-8859-1');
  assert.equal(encodingFromCpg('88591'), 'iso-8859-1');
  assert.equal(encodingFromCpg('utf8'), 'utf-8');
  assert.equal(encodingFromCpg('65001'), 'utf-8');
});

test('shapefile problems: no .prj, several layers, numeric code field, null shape', async () => {
  const noPrj = shapefileZip('noprj.zip', standardParts('', { prj: false }));
  const r1 = await readAreas(noPrj, { file: 'noprj.zip' });
  assert.deepEqual(problemCodes(r1), ['missing-prj']);
  assert.match(r1.problems[0].hint!, /--crs EPSG:25832/);
  const r1b = await readAreas(noPrj, { file: 'noprj.zip', crs: 'EPSG:25832' });
  assert.deepEqual(r1b.problems, []);

  const two = shapefileZip('two.zip', { ...standardParts('a/'), ...standardParts('b/') });
  const r2 = await readAreas(two, { file: 'two.zip' });
  assert.deepEqual(problemCodes(r2), ['several-shapefiles']);
  assert.match(r2.problems[0].reason, /a\/plr\.shp, b\/plr\.shp/);

  const numericFields: DbfField[] = [
    { name: 'SCHLUESSEL', type: 'N', length: 8 },
    { name: 'NAME', type: 'C', length: 20 },
  ];
  const r3 = await readAreas(
    shapefileZip(
      'numeric.zip',
      standardParts('', {
        fields: numericFields,
        rows: [
          ['01100101', 'A'],
          ['01100102', 'B'],
        ],
        shapes: [SHAPES[0], null],
      }),
    ),
    { file: 'numeric.zip' },
  );
  assert.deepEqual(codesOf(r3), ['1100101', '1100102']);
  assert.deepEqual(
    r3.problems.map((p) => [p.severity, p.code]),
    [
      ['error', 'no-geometry'],
      ['warning', 'numeric-code'],
    ],
  );
  assert.match(r3.problems[0].reason, /^record 2 \(code 1100102\)/);
});

test('bare .shp with sibling files whose extensions differ in case', async () => {
  const folder = path.join(dir, 'bare');
  mkdirSync(folder);
  const parts = standardParts('');
  writeFileSync(path.join(folder, 'PLR.SHP'), parts['plr.shp']);
  writeFileSync(path.join(folder, 'PLR.dbf'), parts['plr.dbf']);
  writeFileSync(path.join(folder, 'plr.PRJ'), PRJ_UTM32);
  const r = await readAreas(path.join(folder, 'PLR.SHP'), { file: 'PLR.SHP' });
  assert.deepEqual(r.problems, []);
  assert.deepEqual(codesOf(r), ['01100101', '09300101']);
  assert.equal(r.records[1].name, 'Müggelheim');
});

// ---------------------------------------------------------------------------------------------
// Real Berlin data (../shared/data/berlin, present in CI)

const BERLIN = path.resolve('../shared/data/berlin');
const skipBerlin = existsSync(BERLIN) ? false : `real data folder ${BERLIN} not found`;

async function timed(file: string) {
  const t = performance.now();
  const r = await readAreas(path.join(BERLIN, file), { file });
  return { r, ms: performance.now() - t };
}

function report(t: { diagnostic: (s: string) => void }, file: string, r: AreaReadResult, ms: number) {
  const warnings = r.problems.filter((p) => p.severity === 'warning');
  t.diagnostic(
    `${file}: ${r.records.length} areas, ${errorsOf(r).length} errors, ${warnings.length} warnings, ${ms.toFixed(0)} ms`,
  );
}

test('Berlin districts (bezirke.geojson): 12 valid areas, codes "01".."12"', { skip: skipBerlin }, async (t) => {
  const { r, ms } = await timed('bezirke.geojson');
  report(t, 'bezirke.geojson', r, ms);
  assert.deepEqual(errorsOf(r), [], 'no false self-intersections on real boundaries');
  assert.equal(r.crs, 'EPSG:4326');
  assert.deepEqual(codesOf(r).sort(), ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12']);
  assert.ok(r.records.every((x) => x.name && x.geometry?.type === 'MultiPolygon'));
});

test('Berlin forecast areas in EPSG:25833 match the WGS84 edition', { skip: skipBerlin }, async (t) => {
  const utm = await timed('prognoseraeume-2021-epsg25833.geojson');
  const wgs = await timed('prognoseraeume-2021.geojson');
  report(t, 'prognoseraeume-2021-epsg25833.geojson', utm.r, utm.ms);
  report(t, 'prognoseraeume-2021.geojson', wgs.r, wgs.ms);
  assert.equal(utm.r.crs, 'EPSG:25833');
  assert.deepEqual(errorsOf(utm.r), []);
  assert.deepEqual(errorsOf(wgs.r), []);
  assert.equal(utm.r.records.length, 58);
  assert.equal(wgs.r.records.length, 58);
  assert.equal(utm.r.records.find((x) => x.code === '0930')?.name, 'Treptow-Köpenick 3');
  const byCode = new Map(wgs.r.records.map((x) => [x.code, x]));
  let maxVertexDiff = 0;
  for (const rec of utm.r.records) {
    const other = byCode.get(rec.code);
    assert.ok(other, `code ${rec.code} in both files`);
    const a = bboxOf(rec.geometry!),
      b = bboxOf(other.geometry!);
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-4, `${rec.code} bbox ${a} vs ${b}`);
    const pa = rec.geometry!.coordinates.flat(2) as number[][],
      pb = other.geometry!.coordinates.flat(2) as number[][];
    if (pa.length === pb.length)
      pa.forEach(
        (p, i) => (maxVertexDiff = Math.max(maxVertexDiff, Math.abs(p[0] - pb[i][0]), Math.abs(p[1] - pb[i][1]))),
      );
    // The WGS84 edition carries an ellipsoidal area: the geodesic area must agree closely.
    const area = other.properties.area as number;
    assert.ok(
      Math.abs(geodesicAreaM2(rec.geometry!) / area - 1) < 1e-4,
      `${rec.code}: ${geodesicAreaM2(rec.geometry!)} vs ${area}`,
    );
  }
  t.diagnostic(`largest vertex difference between the editions: ${maxVertexDiff.toExponential(2)}°`);
  assert.ok(maxVertexDiff < 1e-6);
});

test('Berlin district regions until 2020: 138 areas', { skip: skipBerlin }, async (t) => {
  const { r, ms } = await timed('bezirksregionen-bis-2020.geojson');
  report(t, 'bezirksregionen-bis-2020.geojson', r, ms);
  assert.deepEqual(errorsOf(r), []);
  assert.equal(r.records.length, 138);
  assert.equal(new Set(codesOf(r)).size, 138);
  assert.ok(codesOf(r).every((c) => /^\d{6}$/.test(c)));
});

test('Berlin forecast areas lie inside their districts (coveredShare)', { skip: skipBerlin }, async (t) => {
  const districts = new Map((await timed('bezirke.geojson')).r.records.map((x) => [x.code, x.geometry!]));
  const areas = (await timed('prognoseraeume-2021.geojson')).r.records.filter((x) =>
    ['01', '02', '07'].includes(x.code.slice(0, 2)),
  );
  const t0 = performance.now();
  for (const a of areas) {
    assert.ok(coveredShare(a.geometry!, districts.get(a.code.slice(0, 2))!) > 0.99, `${a.code} in its district`);
  }
  assert.ok(coveredShare(areas[0].geometry!, districts.get('12')!) < 0.01, 'not inside another district');
  t.diagnostic(`${areas.length + 1} coveredShare computations: ${(performance.now() - t0).toFixed(0)} ms`);
});
