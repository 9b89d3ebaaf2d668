// Coordinate reference systems accepted for spatial structure imports, and the transformation of
// their coordinates to WGS84 lon/lat, which is what the platform stores (RFC 7946).
// Pure: no I/O. proj4 does the projection maths; this module only knows names and plausibility.

import proj4, { type Converter } from 'proj4';
import type { BBox } from './types.ts';

// DHDN → WGS84 7-parameter shift (position vector convention, as in EPSG:1777/the BKG values);
// without it Gauss-Krüger coordinates end up about 100-150 m off.
const DHDN_TOWGS84 = '+towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7';
const gaussKrueger = (zone: number) =>
  `+proj=tmerc +lat_0=0 +lon_0=${zone * 3} +k=1 +x_0=${zone * 1_000_000 + 500_000} +y_0=0 +ellps=bessel ${DHDN_TOWGS84} +units=m +no_defs`;
// ETRS89 is fixed to the Eurasian plate and differs from WGS84 by < 1 m; treated as identical,
// as is usual for statistics maps.
// proj4's "utm" ignores +x_0, so the zone-prefixed variant is spelled out as tmerc.
const etrsUtm = (zone: number, zonePrefix = false) =>
  zonePrefix
    ? `+proj=tmerc +lat_0=0 +lon_0=${zone * 6 - 183} +k=0.9996 +x_0=${zone * 1_000_000 + 500_000} +y_0=0 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs`
    : `+proj=utm +zone=${zone} +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs`;

interface CrsInfo {
  name: string;
  /** proj4 definition; absent for geographic WGS84-equivalent systems (identity transform). */
  proj4?: string;
  /** Rough native coordinate range in which data of this CRS can lie ([minX, minY, maxX, maxY]). */
  bounds: BBox;
  geographic: boolean;
}

// Bounds are deliberately generous: they catch "wrong kind of number" (degrees vs metres,
// missing or extra zone prefix), not data slightly outside a country.
const CRS: Record<string, CrsInfo> = {
  'EPSG:4326': { name: 'WGS 84 (lon/lat)', bounds: [-180, -90, 180, 90], geographic: true },
  'EPSG:4258': { name: 'ETRS89 (lon/lat, treated as WGS 84)', bounds: [-180, -90, 180, 90], geographic: true },
  // UTM eastings stay within roughly 0..1,000 km even when a zone is stretched over all of Germany
  // (Berlin in zone 32 has ~800 km); northings for latitudes 30..72° are ~3,300..8,000 km.
  'EPSG:25832': {
    name: 'ETRS89 / UTM zone 32N',
    proj4: etrsUtm(32),
    bounds: [-600_000, 3_000_000, 1_600_000, 8_200_000],
    geographic: false,
  },
  'EPSG:25833': {
    name: 'ETRS89 / UTM zone 33N',
    proj4: etrsUtm(33),
    bounds: [-600_000, 3_000_000, 1_600_000, 8_200_000],
    geographic: false,
  },
  // WGS 84 / UTM: within a metre of the ETRS89 zones in Europe, common in exports from global tools.
  'EPSG:32632': {
    name: 'WGS 84 / UTM zone 32N',
    proj4: '+proj=utm +zone=32 +datum=WGS84 +units=m +no_defs',
    bounds: [-600_000, 3_000_000, 1_600_000, 8_200_000],
    geographic: false,
  },
  'EPSG:32633': {
    name: 'WGS 84 / UTM zone 33N',
    proj4: '+proj=utm +zone=33 +datum=WGS84 +units=m +no_defs',
    bounds: [-600_000, 3_000_000, 1_600_000, 8_200_000],
    geographic: false,
  },
  // Same with the zone number prefixed to the easting (common in ALKIS exports of some states).
  'EPSG:4647': {
    name: 'ETRS89 / UTM zone 32N (zE-N)',
    proj4: etrsUtm(32, true),
    bounds: [31_400_000, 3_000_000, 33_600_000, 8_200_000],
    geographic: false,
  },
  'EPSG:5650': {
    name: 'ETRS89 / UTM zone 33N (zE-N)',
    proj4: etrsUtm(33, true),
    bounds: [32_400_000, 3_000_000, 34_600_000, 8_200_000],
    geographic: false,
  },
  // Gauss-Krüger: the easting's millions digit is the zone number; DHDN covers Germany only
  // (northings ~5,200..6,100 km).
  'EPSG:31466': {
    name: 'DHDN / 3-degree Gauss-Kruger zone 2',
    proj4: gaussKrueger(2),
    bounds: [2_000_000, 5_000_000, 2_999_999, 6_300_000],
    geographic: false,
  },
  'EPSG:31467': {
    name: 'DHDN / 3-degree Gauss-Kruger zone 3',
    proj4: gaussKrueger(3),
    bounds: [3_000_000, 5_000_000, 3_999_999, 6_300_000],
    geographic: false,
  },
  'EPSG:31468': {
    name: 'DHDN / 3-degree Gauss-Kruger zone 4',
    proj4: gaussKrueger(4),
    bounds: [4_000_000, 5_000_000, 4_999_999, 6_300_000],
    geographic: false,
  },
  'EPSG:31469': {
    name: 'DHDN / 3-degree Gauss-Kruger zone 5',
    proj4: gaussKrueger(5),
    bounds: [5_000_000, 5_000_000, 5_999_999, 6_300_000],
    geographic: false,
  },
  'EPSG:3857': {
    name: 'WGS 84 / Pseudo-Mercator (Web Mercator)',
    proj4:
      '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs',
    bounds: [-20_037_508.35, -20_048_966.11, 20_037_508.35, 20_048_966.11],
    geographic: false,
  },
  'EPSG:3035': {
    name: 'ETRS89 / LAEA Europe',
    proj4:
      '+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
    // The projection's false origin keeps all of Europe positive: x ~1,900..7,500 km, y ~900..5,500 km.
    bounds: [0, 0, 10_000_000, 8_000_000],
    geographic: false,
  },
};

/** Canonical codes of every CRS that can be imported, e.g. "EPSG:25833". */
const SUPPORTED_CRS: readonly string[] = Object.keys(CRS);

export function isSupportedCrs(crs: string): boolean {
  return crs in CRS;
}

/** Hint text listing the supported systems, for error messages. */
export function supportedCrsList(): string {
  return SUPPORTED_CRS.map((c) => `${c} (${CRS[c].name})`).join(', ');
}

// Codes that are not EPSG's own but mean Web Mercator (ESRI WKIDs and the unofficial "Google" code).
const ALIASES: Record<string, string> = { '900913': '3857', '3785': '3857', '102100': '3857', '102113': '3857' };

/**
 * Parses a CRS reference into the canonical "EPSG:n" form, or null when it is not recognisable.
 * OGC CRS84 (lon/lat order) maps to EPSG:4326: GeoJSON always has lon/lat order (RFC 7946), so the
 * distinction is irrelevant here. Syntactic only: use isSupportedCrs() to know whether it can be
 * transformed.
 */
export function parseCrs(text: string): string | null {
  const s = text.trim();
  if (/^(?:urn:(?:x-)?ogc:def:crs:OGC:(?:[\d.]*):|OGC:{1,2})?CRS:?84$/i.test(s)) return 'EPSG:4326';
  if (/^https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/[\d.]+\/CRS84$/i.test(s)) return 'EPSG:4326';
  const m =
    /^(?:EPSG|ESRI)\s*:{1,2}\s*(\d+)$/i.exec(s) ??
    /^(\d+)$/.exec(s) ??
    /^urn:(?:x-)?ogc:def:crs:EPSG:[\d.]*:(\d+)$/i.exec(s) ??
    /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/[\d.]+\/(\d+)$/i.exec(s) ??
    /^https?:\/\/(?:www\.)?(?:spatialreference\.org\/ref\/epsg|epsg\.io)\/(\d+)\/?$/i.exec(s);
  if (!m) return null;
  const code = String(Number(m[1]));
  return `EPSG:${ALIASES[code] ?? code}`;
}

/**
 * The CRS reference of a GeoJSON "crs" member (the pre-RFC 7946 form every GIS still writes):
 * {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25833"}} — any spelling parseCrs
 * reads — or the older {"type": "EPSG", "properties": {"code": 25833}}. Null when the member has
 * neither form.
 */
export function geoJsonCrsText(member: unknown): string | null {
  const m = member as { type?: unknown; properties?: { name?: unknown; code?: unknown } };
  if (!m || typeof m !== 'object' || !m.properties) return null;
  if (m.type === 'name' && typeof m.properties.name === 'string') return m.properties.name;
  if (m.type === 'EPSG' && m.properties.code != null) return `EPSG:${m.properties.code}`;
  return null;
}

/** Why a CRS reference cannot be used: not a CRS reference at all, or one that is not supported. */
export interface CrsReferenceProblem {
  code: 'bad-crs' | 'unsupported-crs';
  reason: string;
  hint: string;
}

/**
 * Resolves a CRS reference given by the user or a file ("EPSG:25833", "25833",
 * "urn:ogc:def:crs:EPSG::25833", "http://www.opengis.net/def/crs/EPSG/0/25833", CRS84 …) to a
 * supported "EPSG:n", or says why not. `source` names where it came from in the reason, e.g.
 * "the --crs option" or 'the file\'s "crs" member'.
 */
export function resolveCrsReference(text: string, source: string): { crs: string } | CrsReferenceProblem {
  const crs = parseCrs(text);
  if (!crs)
    return {
      code: 'bad-crs',
      reason: `${source} names no recognisable coordinate system`,
      hint: 'Write it as EPSG:25832, 25833, urn:ogc:def:crs:EPSG::25833 or similar.',
    };
  if (!isSupportedCrs(crs))
    return {
      code: 'unsupported-crs',
      reason: `${source} names ${crs}, which is not supported`,
      hint: `Reproject the data to one of: ${supportedCrsList()}.`,
    };
  return { crs };
}

// ---------------------------------------------------------------------------------------------
// WKT (.prj) recognition

interface WktNode {
  keyword: string;
  args: (string | number | WktNode)[];
}

/** Minimal WKT1/WKT2 parser: KEYWORD[arg, ...] with "strings", numbers and nested nodes; () also allowed. */
function parseWkt(text: string): WktNode | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const node = (): WktNode | null => {
    ws();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 64));
    if (!m) return null;
    i += m[0].length;
    ws();
    const open = text[i];
    if (open !== '[' && open !== '(') return { keyword: m[0].toUpperCase(), args: [] };
    const close = open === '[' ? ']' : ')';
    i++;
    const args: WktNode['args'] = [];
    for (;;) {
      ws();
      if (i >= text.length) return null;
      const c = text[i];
      if (c === close) {
        i++;
        break;
      }
      if (c === ',') {
        i++;
        continue;
      }
      if (c === '"') {
        // WKT escapes a quote by doubling it.
        let s = '';
        i++;
        while (i < text.length) {
          if (text[i] === '"' && text[i + 1] === '"') ((s += '"'), (i += 2));
          else if (text[i] === '"') break;
          else s += text[i++];
        }
        i++;
        args.push(s);
        continue;
      }
      const num = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(text.slice(i, i + 64));
      if (num) {
        i += num[0].length;
        args.push(Number(num[0]));
        continue;
      }
      const child = node();
      if (!child) return null;
      args.push(child);
    }
    return { keyword: m[0].toUpperCase(), args };
  };
  return node();
}

const children = (n: WktNode, ...keywords: string[]) =>
  n.args.filter((a): a is WktNode => typeof a === 'object' && keywords.includes(a.keyword));

/** Normalises a CRS name for matching: lower case, every run of non-alphanumerics → "_". */
const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/** Recognises a CRS by the names used in EPSG's, ESRI's and GDAL's WKT. */
function crsFromName(name: string, falseEasting: number | undefined): string | null {
  const n = norm(name);
  const zoneOf = (re: RegExp) => {
    const m = re.exec(n);
    return m ? Number(m[1]) : null;
  };
  // Web Mercator before the generic WGS 84 check, as its name contains "WGS_1984".
  if (/web_mercator|pseudo_mercator|popular_visuali[sz]ation|google|^epsg_3857$/.test(n)) return 'EPSG:3857';
  if (/laea|lambert_azimuthal/.test(n) && /etrs|europe/.test(n)) return 'EPSG:3035';
  if (/etrs|etrf|euref/.test(n) && /utm/.test(n)) {
    const zone = zoneOf(/utm_?(?:zone_?)?n?_?(3[23])(?:_?n)?(?:_|$)/) ?? zoneOf(/zone_?n?_?(3[23])/);
    if (zone === null) return null;
    // The zE-N variants carry the zone number in front of the easting (32500000 false easting).
    const prefixed = /ze_n|_ze_|zone_n3[23]/.test(n) || (falseEasting !== undefined && falseEasting > 1_000_000);
    if (prefixed) return zone === 32 ? 'EPSG:4647' : 'EPSG:5650';
    return zone === 32 ? 'EPSG:25832' : 'EPSG:25833';
  }
  if (/wgs_?(19)?84/.test(n) && /utm/.test(n)) {
    const zone = zoneOf(/utm_?(?:zone_?)?(3[23])(?:_?n)?(?:_|$)/);
    return zone === null ? null : `EPSG:${32600 + zone}`;
  }
  if (/dhdn|deutsches_hauptdreiecksnetz|potsdam|rauenberg/.test(n) || (/gauss/.test(n) && /kru[e]?ger|gk/.test(n))) {
    const zone = zoneOf(/(?:zone|gk|streifen)_?([2-5])(?:_|$)/);
    if (zone === null) return null;
    return `EPSG:${31464 + zone}`;
  }
  // ESRI's older name for DHDN Gauss-Krüger.
  const germanyZone = zoneOf(/^germany_zone_([2-5])$/);
  if (germanyZone !== null) return `EPSG:${31464 + germanyZone}`;
  // Geographic systems, once projected names are excluded.
  if (/^(gcs_)?wgs_?(19)?84$|^wgs_84_geographic|^wgs84_lon_lat|^crs_?84$/.test(n)) return 'EPSG:4326';
  if (/^(gcs_)?etrs_?(19)?89$|^etrs89_geographic/.test(n)) return 'EPSG:4258';
  return null;
}

/**
 * Maps the WKT of a shapefile's .prj (ESRI or OGC flavour, WKT1 or WKT2) to "EPSG:n".
 * An explicit authority (AUTHORITY["EPSG",n] / ID["EPSG",n]) of the top-level CRS wins; otherwise
 * the CRS name is matched. Returns null when the system is unknown: the caller should ask for --crs.
 */
export function crsFromPrj(wkt: string): string | null {
  let root = parseWkt(wkt.replace(/^\uFEFF/, ''));
  if (!root) return null;
  // Compound systems (horizontal + vertical): only the horizontal part matters here.
  if (root.keyword === 'COMPD_CS' || root.keyword === 'COMPOUNDCRS') {
    const horizontal = children(
      root,
      'PROJCS',
      'GEOGCS',
      'PROJCRS',
      'GEOGCRS',
      'GEODCRS',
      'GEODETICCRS',
      'PROJECTEDCRS',
      'BASEGEODCRS',
    )[0];
    if (!horizontal) return null;
    root = horizontal;
  }
  // Only the root's own authority identifies it: nested ones name the datum, ellipsoid, base CRS…
  for (const auth of children(root, 'AUTHORITY', 'ID')) {
    if (String(auth.args[0]).toUpperCase() === 'EPSG' && auth.args[1] !== undefined) {
      const crs = parseCrs(String(auth.args[1]));
      if (crs) return crs;
    }
  }
  const name = typeof root.args[0] === 'string' ? root.args[0] : '';
  let falseEasting: number | undefined;
  for (const p of children(root, 'PARAMETER')) {
    if (typeof p.args[0] === 'string' && /false_?easting/i.test(norm(p.args[0])) && typeof p.args[1] === 'number')
      falseEasting = p.args[1];
  }
  const byName = crsFromName(name, falseEasting);
  if (byName) return byName;
  // A geographic CRS with an unusual name: decide by its datum.
  if (/^GEOG(CS|CRS)$|^GEODCRS$/.test(root.keyword)) {
    const datum = children(root, 'DATUM')[0];
    const dn = datum && typeof datum.args[0] === 'string' ? norm(datum.args[0]) : '';
    if (/wgs_?(19)?84/.test(dn)) return 'EPSG:4326';
    if (/etrs_?(19)?89|european_terrestrial/.test(dn)) return 'EPSG:4258';
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Transformation

export type Transform = (x: number, y: number) => [number, number];

// 7 decimals ≈ 1 cm: beyond the accuracy of any boundary data, and keeps stored GeoJSON compact.
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

const converters = new Map<string, Converter>();

/** Returns a function that converts coordinates of `crs` to WGS84 [lon, lat], rounded to 7 decimals. */
export function makeTransform(crs: string): Transform {
  const info = CRS[crs];
  if (!info) throw new Error(`Unsupported CRS ${crs}; supported: ${SUPPORTED_CRS.join(', ')}`);
  if (!info.proj4) return (x, y) => [round7(x), round7(y)];
  let converter = converters.get(crs);
  if (!converter) converters.set(crs, (converter = proj4(info.proj4, 'EPSG:4326')));
  return (x, y) => {
    const [lon, lat] = converter.forward([x, y]);
    return [round7(lon), round7(lat)];
  };
}

/**
 * makeTransform for many points: writes WGS84 [lon, lat] of (x, y) to xs[i], ys[i] (no array per
 * point for the geographic systems, whose transform is the rounding alone).
 */
export function makeTransformInto(
  crs: string,
): (x: number, y: number, xs: Float64Array, ys: Float64Array, i: number) => void {
  const info = CRS[crs];
  if (info && !info.proj4) {
    return (x, y, xs, ys, i) => {
      xs[i] = round7(x);
      ys[i] = round7(y);
    };
  }
  const t = makeTransform(crs);
  return (x, y, xs, ys, i) => {
    const [lon, lat] = t(x, y);
    xs[i] = lon;
    ys[i] = lat;
  };
}

/** Rough native coordinate range for `crs` (see the comments at the table above). */
export function plausibleBounds(crs: string): BBox | null {
  const info = CRS[crs];
  return info ? [...info.bounds] : null;
}

/** Where transformed data is expected: Europe in a wide sense (lon -30..45, lat 30..72). */
const EXPECTED_WGS84_BOUNDS: BBox = [-30, 30, 45, 72];

export interface CoordinateFitIssue {
  /** error: the coordinates cannot be in this CRS; warning: they can, but lie far from Europe. */
  severity: 'error' | 'warning';
  reason: string;
  hint?: string;
}

const inside = (b: BBox, r: BBox) => b[0] >= r[0] && b[1] >= r[1] && b[2] <= r[2] && b[3] <= r[3];
// A box of one point (the test of a single point) prints as that point.
const fmt = (b: BBox) =>
  b[0] === b[2] && b[1] === b[3]
    ? `(${+b[0].toPrecision(9)}, ${+b[1].toPrecision(9)})`
    : `[${b.map((v) => +v.toPrecision(9)).join(', ')}]`;

/**
 * Guesses which supported CRS a native bounding box is in, by the size of the numbers alone.
 * Used only for hints; UTM zones 32 and 33 are indistinguishable this way.
 */
function guessCrs(bbox: BBox): string[] {
  const [x0, y0, x1, y1] = bbox;
  if (inside(bbox, [-180, -90, 180, 90])) {
    // Lat/lon swapped: the "x" values look like German latitudes.
    if (x0 >= 30 && x1 <= 72 && y0 >= -30 && y1 <= 45 && !(y0 >= 30 && y1 <= 72 && x0 >= -30 && x1 <= 45))
      return ['lat/lon swapped'];
    return ['EPSG:4326'];
  }
  const millions = Math.floor(x0 / 1_000_000);
  if (y0 >= 5_000_000 && y1 <= 6_300_000 && millions === Math.floor(x1 / 1_000_000) && millions >= 2 && millions <= 5)
    return [`EPSG:${31464 + millions}`];
  if (x0 >= 32_000_000 && x1 < 33_000_000) return ['EPSG:4647'];
  if (x0 >= 33_000_000 && x1 < 34_000_000) return ['EPSG:5650'];
  if (x0 >= -600_000 && x1 <= 1_600_000 && y0 >= 3_000_000 && y1 <= 8_200_000) return ['EPSG:25832', 'EPSG:25833'];
  if (x0 >= 1_000_000 && x1 <= 8_000_000 && y0 >= 500_000 && y1 <= 6_000_000) return ['EPSG:3035'];
  if (x0 >= -3_500_000 && x1 <= 5_500_000 && y0 >= 3_400_000 && y1 <= 12_000_000) return ['EPSG:3857'];
  return [];
}

const DEGREES: BBox = [-180, -90, 180, 90];

/**
 * Rule 2 of assessCoordinates for the box [x0, y0, x1, y1]: within the CRS's plausible native
 * range, and — for a projected CRS — not a box that lies wholly within ±180/±90 (degrees).
 */
function nativeFits(info: CrsInfo, x0: number, y0: number, x1: number, y1: number): boolean {
  const b = info.bounds;
  if (!(x0 >= b[0] && y0 >= b[1] && x1 <= b[2] && y1 <= b[3])) return false;
  return info.geographic || !(x0 >= -180 && y0 >= -90 && x1 <= 180 && y1 <= 90);
}

/**
 * The rules of assessCoordinates (1 and 2: finite, within the CRS's native range, not degrees
 * for a projected CRS) for single points, as a fast test for readers that stream points and
 * must name the first one that cannot be in `crs`. When the test fails, assessCoordinates(crs,
 * [x, y, x, y]) gives the reason and hint. Throws for an unsupported CRS.
 */
export function pointFitTest(crs: string): (x: number, y: number) => boolean {
  const info = CRS[crs];
  if (!info) throw new Error(`Unsupported CRS ${crs}; supported: ${SUPPORTED_CRS.join(', ')}`);
  return (x, y) => Number.isFinite(x) && Number.isFinite(y) && nativeFits(info, x, y, x, y);
}

/**
 * Judges whether a native bounding box fits the declared CRS. Rules:
 * 1. Every coordinate must be finite.
 * 2. The box must lie within the CRS's plausible native range (plausibleBounds): degrees for
 *    geographic systems (|x| ≤ 180, |y| ≤ 90); for UTM no zone prefix and northings of Europe;
 *    for Gauss-Krüger the easting's millions digit equal to the zone (3,xxx,xxx for EPSG:31467,
 *    4,xxx,xxx for EPSG:31468). A projected CRS whose coordinates all look like degrees fails too.
 *    Failing these is an error: the result would be nonsense, usually the wrong CRS was declared.
 * 3. The box transformed to WGS84 should lie in or near Europe (EXPECTED_WGS84_BOUNDS); otherwise a
 *    warning (the data may be right, but most likely the CRS or the axis order is wrong).
 */
export function assessCoordinates(crs: string, bbox: BBox): CoordinateFitIssue | null {
  const info = CRS[crs];
  if (!info) return { severity: 'error', reason: `unsupported CRS ${crs}`, hint: `Supported: ${supportedCrsList()}.` };
  if (!bbox.every(Number.isFinite)) return { severity: 'error', reason: 'coordinates are not finite numbers' };
  const guesses = guessCrs(bbox).filter((g) => g !== crs && !(info.geographic && g === 'EPSG:4326'));
  const suggestion = (prefix: string) =>
    guesses.length === 0
      ? undefined
      : guesses[0] === 'lat/lon swapped'
        ? 'The values look like latitude, longitude; GeoJSON requires longitude first.'
        : `${prefix} ${guesses.join(' or ')}? Declare the right CRS (e.g. --crs ${guesses[0]}).`;
  if (!info.geographic && inside(bbox, DEGREES)) {
    return {
      severity: 'error',
      reason: `coordinates ${fmt(bbox)} look like degrees, not metres of ${crs} (${info.name})`,
      hint: 'Is the CRS EPSG:4326? Declare it (e.g. --crs EPSG:4326) or drop the wrong CRS declaration.',
    };
  }
  if (!nativeFits(info, bbox[0], bbox[1], bbox[2], bbox[3])) {
    const reason = info.geographic
      ? `coordinates ${fmt(bbox)} are outside ±180/±90 degrees: they look like projected metres, not ${crs}`
      : `coordinates ${fmt(bbox)} do not fit ${crs} (${info.name}), expected within ${fmt(info.bounds)}`;
    return {
      severity: 'error',
      reason,
      hint: suggestion('Is the CRS') ?? 'Check the declared CRS and the units of the coordinates.',
    };
  }
  const t = makeTransform(crs);
  const corners = [t(bbox[0], bbox[1]), t(bbox[0], bbox[3]), t(bbox[2], bbox[1]), t(bbox[2], bbox[3])];
  if (!corners.every((c) => c.every(Number.isFinite))) {
    return {
      severity: 'error',
      reason: `coordinates ${fmt(bbox)} cannot be transformed from ${crs}`,
      hint: suggestion('Is the CRS'),
    };
  }
  const wgs: BBox = [
    Math.min(...corners.map((c) => c[0])),
    Math.min(...corners.map((c) => c[1])),
    Math.max(...corners.map((c) => c[0])),
    Math.max(...corners.map((c) => c[1])),
  ];
  if (!inside(wgs, EXPECTED_WGS84_BOUNDS)) {
    return {
      severity: 'warning',
      reason: `coordinates transformed from ${crs} lie at lon/lat ${fmt(wgs.map((v) => +v.toFixed(3)) as BBox)}, outside Europe`,
      hint: suggestion('Is the CRS') ?? 'Check the declared CRS.',
    };
  }
  return null;
}

/** The reason why `bbox` does not fit `crs`, or null when it does (see assessCoordinates for rules and severity). */
export function checkCoordinatesFit(crs: string, bbox: BBox): string | null {
  return assessCoordinates(crs, bbox)?.reason ?? null;
}
