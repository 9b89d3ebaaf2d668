// Files shaped like the real ones, built in the tests so that they can be damaged on purpose: a
// minimal XLSX workbook, an ESRI Shapefile (.shp/.shx/.dbf/.prj) and its zip.
import assert from 'node:assert/strict';
import { strToU8, zipSync } from 'fflate';

/** A minimal workbook as Excel writes it: one sheet, inline strings, number cells; stored (not deflated) when asked. */
export function xlsx(rows: (string | number | { raw: string })[][], stored = false): Uint8Array {
  const cell = (v: string | number | { raw: string }, r: number, c: number) => {
    const ref = `${String.fromCharCode(65 + c)}${r}`;
    if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
    if (typeof v === 'object') return `<c r="${ref}"><v>${v.raw}</v></c>`;
    return `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
  };
  const sheet = `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.map((row, i) => `<row r="${i + 1}">${row.map((v, c) => cell(v, i + 1, c)).join('')}</row>`).join('')}</sheetData></worksheet>`;
  const parts: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels':
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml':
      '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Daten" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels':
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml': sheet,
  };
  return zipSync(Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, strToU8(v)])), { level: stored ? 0 : 6 });
}

/** Replaces the first occurrence of `from` in the bytes by `to` (same length): a flipped digit. */
export function flip(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const buf = Buffer.from(bytes);
  const at = buf.indexOf(from);
  assert.ok(at >= 0, `"${from}" is in the archive`);
  buf.write(to, at, 'latin1');
  return buf;
}

// ESRI Shapefile: polygons in EPSG:25833 near Berlin; .shp, .shx, .dbf (dBASE III), .prj.
const E = 390_000;
const N = 5_820_000;
const PRJ_25833 =
  'PROJCS["ETRS_1989_UTM_Zone_33N",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",15.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

export function shapefile(areas: { code: string; name: string; ew?: string }[]): {
  shp: Buffer;
  shx: Buffer;
  dbf: Buffer;
} {
  // One clockwise square (ESRI outer ring order) per area, side by side.
  const contents = areas.map((_, i) => {
    const x = E + i * 1000;
    const ring = [
      [x, N],
      [x, N + 1000],
      [x + 1000, N + 1000],
      [x + 1000, N],
      [x, N],
    ];
    const b = Buffer.alloc(44 + 4 + 16 * ring.length);
    b.writeInt32LE(5, 0);
    [x, N, x + 1000, N + 1000].forEach((v, k) => b.writeDoubleLE(v, 4 + 8 * k));
    b.writeInt32LE(1, 36);
    b.writeInt32LE(ring.length, 40);
    b.writeInt32LE(0, 44);
    ring.forEach((p, k) => {
      b.writeDoubleLE(p[0], 48 + 16 * k);
      b.writeDoubleLE(p[1], 56 + 16 * k);
    });
    return b;
  });
  const header = (length: number) => {
    const h = Buffer.alloc(100);
    h.writeInt32BE(9994, 0);
    h.writeInt32BE(length / 2, 24);
    h.writeInt32LE(1000, 28);
    h.writeInt32LE(5, 32);
    [E, N, E + 1000 * areas.length, N + 1000].forEach((v, k) => h.writeDoubleLE(v, 36 + 8 * k));
    return h;
  };
  const shpLength = 100 + contents.reduce((n, c) => n + 8 + c.length, 0);
  const shp = Buffer.concat([
    header(shpLength),
    ...contents.map((c, i) => {
      const r = Buffer.alloc(8);
      r.writeInt32BE(i + 1, 0);
      r.writeInt32BE(c.length / 2, 4);
      return Buffer.concat([r, c]);
    }),
  ]);
  let offset = 100;
  const shx = Buffer.concat([
    header(100 + 8 * contents.length),
    ...contents.map((c) => {
      const r = Buffer.alloc(8);
      r.writeInt32BE(offset / 2, 0);
      r.writeInt32BE(c.length / 2, 4);
      offset += 8 + c.length;
      return r;
    }),
  ]);
  const fields = [
    { name: 'CODE', type: 'C', length: 4 },
    { name: 'NAME', type: 'C', length: 20 },
    { name: 'EW', type: 'N', length: 8 },
  ];
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((n, f) => n + f.length, 0);
  const dbf = Buffer.alloc(headerLength + recordLength * areas.length + 1, 0x20);
  dbf.fill(0, 0, headerLength);
  dbf[0] = 3;
  dbf.writeUInt32LE(areas.length, 4);
  dbf.writeUInt16LE(headerLength, 8);
  dbf.writeUInt16LE(recordLength, 10);
  fields.forEach((f, i) => {
    dbf.write(f.name, 32 + 32 * i, 'latin1');
    dbf[32 + 32 * i + 11] = f.type.charCodeAt(0);
    dbf[32 + 32 * i + 16] = f.length;
  });
  dbf[headerLength - 1] = 0x0d;
  areas.forEach((a, r) => {
    const o = headerLength + r * recordLength + 1;
    dbf.write(a.code, o, 'latin1');
    dbf.write(a.name, o + 4, 'latin1');
    const ew = a.ew ?? '1000';
    dbf.write(ew.padStart(8), o + 24, 'latin1');
  });
  dbf[dbf.length - 1] = 0x1a;
  return { shp, shx, dbf };
}

export function shapefileZip(
  parts: { shp: Uint8Array; shx?: Uint8Array; dbf: Uint8Array },
  stored = false,
): Uint8Array {
  const entries: Record<string, Uint8Array> = {
    'teile/bezirke.shp': parts.shp,
    'teile/bezirke.dbf': parts.dbf,
    'teile/bezirke.prj': strToU8(PRJ_25833),
    'teile/bezirke.cpg': strToU8('ISO-8859-1'),
  };
  if (parts.shx) entries['teile/bezirke.shx'] = parts.shx;
  return zipSync(entries, { level: stored ? 0 : 6 });
}

export const THREE = [
  { code: '0101', name: 'Mitte' },
  { code: '0102', name: 'Moabit' },
  { code: '0103', name: 'Wedding' },
];
