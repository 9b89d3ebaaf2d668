// OGC API – Features (Part 1 Core, Part 2 CRS by reference): the pure parts. Parameter parsing
// with messages that name the parameter, the CRS URIs we serve and the transforms from the stored
// WGS84 coordinates into them (in each CRS's own axis order), bounding boxes, and collection ids.
// No I/O: services/ogc.ts brings the data.
import proj4, { type Converter } from 'proj4';
import { InputRejected } from './problems.ts';
import type { BBox } from './geo/types.ts';
import { parsePeriod, PERIOD_HINT } from './periods.ts';

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
const EPSG_URI = (code: number) => `http://www.opengis.net/def/crs/EPSG/0/${code}`;

interface ServedCrs {
  uri: string;
  /** proj4 definition; absent for CRS84 (the stored coordinates). */
  proj4?: string;
  /** EPSG's axis order is northing, easting (Gauss-Krüger): coordinates are written [y, x]. */
  northingFirst: boolean;
  /** Decimals written: 7 for degrees (≈ 1 cm), 2 for metres. */
  decimals: number;
}

// The proj4 definitions are those of core/geo/crs.ts, which transforms imports into WGS84 (it keeps
// its table private); test/http/ogc-api.test.ts checks that both agree on a round trip.
const DHDN_TOWGS84 = '+towgs84=598.1,73.7,418.2,0.202,0.045,-2.455,6.7';
const SERVED: ServedCrs[] = [
  { uri: CRS84, northingFirst: false, decimals: 7 },
  {
    uri: EPSG_URI(25832),
    proj4: '+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
    northingFirst: false,
    decimals: 2,
  },
  {
    uri: EPSG_URI(25833),
    proj4: '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs',
    northingFirst: false,
    decimals: 2,
  },
  {
    uri: EPSG_URI(31467),
    proj4: `+proj=tmerc +lat_0=0 +lon_0=9 +k=1 +x_0=3500000 +y_0=0 +ellps=bessel ${DHDN_TOWGS84} +units=m +no_defs`,
    northingFirst: true,
    decimals: 2,
  },
  {
    uri: EPSG_URI(3857),
    proj4:
      '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs',
    northingFirst: false,
    decimals: 2,
  },
];

/** The CRS URIs every collection offers, CRS84 (the default and the storage CRS) first. */
export const SERVED_CRS: readonly string[] = SERVED.map((c) => c.uri);

export function badParameter(parameter: string, reason: string, hint?: string, value?: string): InputRejected {
  return new InputRejected(
    [{ severity: 'error', code: 'bad-request', reason: `${parameter}: ${reason}`, hint, value }],
    `Parameter "${parameter}": ${reason}${hint ? ` ${hint}` : ''}`,
  );
}

/**
 * A served CRS from a `crs` or `bbox-crs` value: the URI form (http://www.opengis.net/def/crs/EPSG/0/25832),
 * the safe CURIE [EPSG:25832] or EPSG:25832. Throws a 400 that lists what is offered.
 */
function resolveServedCrs(parameter: string, text: string): string {
  const s = text.trim().replace(/^\[(.*)\]$/, '$1');
  let uri: string | undefined;
  if (/^https?:\/\/www\.opengis\.net\/def\/crs\/OGC\/(1\.3|0)\/CRS84$/i.test(s) || /^(OGC:)?CRS84$/i.test(s))
    uri = CRS84;
  const m =
    /^https?:\/\/www\.opengis\.net\/def\/crs\/EPSG\/0\/(\d+)$/i.exec(s) ??
    /^EPSG:{1,2}(\d+)$/i.exec(s) ??
    /^urn:ogc:def:crs:EPSG:[\d.]*:(\d+)$/i.exec(s);
  if (m) uri = EPSG_URI(Number(m[1]));
  if (!uri || !SERVED_CRS.includes(uri)) {
    throw badParameter(
      parameter,
      `"${text}" is not a coordinate reference system this server offers.`,
      `Offered: ${SERVED_CRS.join(', ')}.`,
      text,
    );
  }
  return uri;
}

/** "EPSG:25832" or "OGC:CRS84", for file names and messages. */
export function crsLabel(uri: string): string {
  return uri === CRS84 ? 'OGC:CRS84' : `EPSG:${uri.slice(uri.lastIndexOf('/') + 1)}`;
}

const converters = new Map<string, Converter>();

function converterOf(c: ServedCrs): Converter | undefined {
  if (!c.proj4) return undefined;
  let conv = converters.get(c.uri);
  if (!conv) converters.set(c.uri, (conv = proj4('EPSG:4326', c.proj4)));
  return conv;
}

function servedOf(uri: string): ServedCrs {
  const c = SERVED.find((x) => x.uri === uri);
  if (!c) throw new Error(`not a served CRS: ${uri}`);
  return c;
}

/** WGS84 lon/lat → coordinates of the CRS in its axis order, rounded. */
export function toCrs(uri: string): (lon: number, lat: number) => [number, number] {
  const c = servedOf(uri);
  const f = 10 ** c.decimals;
  const round = (v: number) => Math.round(v * f) / f;
  const conv = converterOf(c);
  if (!conv) return (lon, lat) => [round(lon), round(lat)];
  return (lon, lat) => {
    const [x, y] = conv.forward([lon, lat]);
    return c.northingFirst ? [round(y), round(x)] : [round(x), round(y)];
  };
}

/** Coordinates of the CRS in its axis order → WGS84 lon/lat (not rounded). */
export function fromCrs(uri: string): (a: number, b: number) => [number, number] {
  const c = servedOf(uri);
  const conv = converterOf(c);
  if (!conv) return (a, b) => [a, b];
  return (a, b) => {
    const [x, y] = c.northingFirst ? [b, a] : [a, b];
    const [lon, lat] = conv.inverse([x, y]);
    return [lon, lat];
  };
}

/** A GeoJSON geometry's coordinates transformed (positions are arrays of numbers at any depth). */
export function transformCoordinates(coords: unknown, t: (x: number, y: number) => [number, number]): unknown {
  if (!Array.isArray(coords)) return coords;
  if (typeof coords[0] === 'number') return t(coords[0] as number, coords[1] as number);
  return coords.map((c) => transformCoordinates(c, t));
}

/** The envelope of a box after transforming its outline (densified: edges of projected boxes bend). */
function transformBox(b: BBox, t: (x: number, y: number) => [number, number]): BBox {
  const out: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const steps = 16;
  for (let k = 0; k <= steps; k++) {
    const fx = b[0] + ((b[2] - b[0]) * k) / steps;
    const fy = b[1] + ((b[3] - b[1]) * k) / steps;
    for (const [x, y] of [
      [fx, b[1]],
      [fx, b[3]],
      [b[0], fy],
      [b[2], fy],
    ] as const) {
      const [u, v] = t(x, y);
      if (u < out[0]) out[0] = u;
      if (v < out[1]) out[1] = v;
      if (u > out[2]) out[2] = u;
      if (v > out[3]) out[3] = v;
    }
  }
  return out;
}

export function boxesIntersect(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

// ---------------------------------------------------------------------------------------------
// Parameters

export const LIMIT_DEFAULT = 100;
export const LIMIT_MAX = 10_000;

export interface ItemsParameters {
  limit: number;
  offset: number;
  /** The filter box in WGS84 lon/lat, if any. */
  bbox?: BBox;
  /** The output CRS (URI). */
  crs: string;
  /** The date the datetime parameter names (YYYY-MM-DD), if any. */
  date?: string;
  /** Indicator collections: the period. */
  period?: string;
}

function integer(parameter: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text.trim()))
    throw badParameter(parameter, `"${text}" is not a whole number.`, `Write an integer from ${min} to ${max}.`, text);
  const n = Number(text);
  if (n < min || n > max) throw badParameter(parameter, `${n} is outside ${min}..${max}.`, undefined, text);
  return n;
}

/** The bbox parameter: four (or six, with heights that are ignored) numbers in the bbox CRS's axis order. */
function parseBbox(text: string, bboxCrs: string): BBox {
  const parts = text.split(',').map((p) => p.trim());
  if ((parts.length !== 4 && parts.length !== 6) || parts.some((p) => p === '' || !Number.isFinite(Number(p)))) {
    throw badParameter(
      'bbox',
      `"${text}" is not four comma-separated numbers.`,
      'Write minx,miny,maxx,maxy in the CRS of bbox-crs (default CRS84: lon,lat), e.g. bbox=13.3,52.4,13.5,52.6.',
      text,
    );
  }
  const n = parts.map(Number);
  const b: BBox = parts.length === 4 ? [n[0], n[1], n[2], n[3]] : [n[0], n[1], n[3], n[4]];
  if (b[1] > b[3])
    throw badParameter(
      'bbox',
      `the lower corner's second coordinate (${b[1]}) is above the upper corner's (${b[3]}).`,
      undefined,
      text,
    );
  if (bboxCrs === CRS84) {
    if (b[1] < -90 || b[3] > 90 || b[0] < -180 || b[2] > 180)
      throw badParameter(
        'bbox',
        `"${text}" lies outside ±180/±90 degrees.`,
        'For coordinates in metres, name their CRS with bbox-crs, e.g. bbox-crs=http://www.opengis.net/def/crs/EPSG/0/25832.',
        text,
      );
  } else if (b[0] > b[2]) {
    throw badParameter(
      'bbox',
      `the lower corner's first coordinate (${b[0]}) is right of the upper corner's (${b[2]}).`,
      undefined,
      text,
    );
  }
  if (bboxCrs === CRS84) {
    // A box across the antimeridian (minx > maxx): two boxes; the platform's data never lies there.
    return b[0] > b[2] ? [b[0], b[1], 180, b[3]] : b;
  }
  return transformBox(b, fromCrs(bboxCrs));
}

/**
 * The datetime parameter: one date or instant (2021-06-01, 2021-06-01T12:00:00Z) selects the
 * boundary version valid then. Intervals are refused: versions are disjoint in time, and an
 * interval over two would give the same area id twice.
 */
function parseDatetime(text: string): string {
  const s = text.trim();
  if (s.includes('/'))
    throw badParameter(
      'datetime',
      `"${text}" is an interval; give one date or instant.`,
      'datetime selects one boundary version: e.g. datetime=2021-06-01. Each version is also a collection of its own.',
      text,
    );
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})?)?$/.exec(
      s,
    );
  const date = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
  const valid =
    m &&
    !Number.isNaN(Date.parse(`${date}T00:00:00Z`)) &&
    new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date;
  if (!valid)
    throw badParameter(
      'datetime',
      `"${text}" is not a date or instant.`,
      'Write RFC 3339: 2021-06-01 or 2021-06-01T00:00:00Z.',
      text,
    );
  return date;
}

/**
 * Parameters every items request understands. `period` selects the values of indicator
 * collections; elsewhere it is accepted and ignored, as is `datetime` on the landing page and the
 * collections: GDAL appends the query of `OAPIF:http://…/ogc?period=2023-12-31` to every request.
 */
const ITEMS_PARAMS = ['limit', 'offset', 'bbox', 'bbox-crs', 'crs', 'datetime', 'period', 'f'];
const ITEM_PARAMS = ['crs', 'datetime', 'period', 'f'];
const META_PARAMS = ['f', 'period', 'datetime'];

/** Checks and parses the query of an items (or single item) request; unknown parameters are a 400 (OGC /req/core/query-param-unknown). */
export function parseItemsQuery(
  q: Record<string, unknown>,
  o: { indicator: boolean; single?: boolean },
): ItemsParameters {
  const known = o.single ? ITEM_PARAMS : ITEMS_PARAMS;
  for (const [k, v] of Object.entries(q)) {
    if (!known.includes(k))
      throw badParameter(k, 'unknown parameter.', `This request understands: ${known.join(', ')}.`, k);
    if (typeof v !== 'string') throw badParameter(k, 'given more than once.', undefined, k);
  }
  const s = q as Record<string, string | undefined>;
  if (s.f !== undefined && !['json', 'geojson'].includes(s.f))
    throw badParameter(
      'f',
      `"${s.f}" is not a format this server writes.`,
      'Only GeoJSON: f=json (or leave it out).',
      s.f,
    );
  const crs = s.crs !== undefined ? resolveServedCrs('crs', s.crs) : CRS84;
  if (s['bbox-crs'] !== undefined && s.bbox === undefined)
    throw badParameter('bbox-crs', 'given without bbox.', 'Give bbox as well, or leave bbox-crs out.');
  const bboxCrs = s['bbox-crs'] !== undefined ? resolveServedCrs('bbox-crs', s['bbox-crs']) : CRS84;
  return {
    limit: s.limit !== undefined ? integer('limit', s.limit, 1, LIMIT_MAX) : LIMIT_DEFAULT,
    offset: s.offset !== undefined ? integer('offset', s.offset, 0, 100_000_000) : 0,
    bbox: s.bbox !== undefined ? parseBbox(s.bbox, bboxCrs) : undefined,
    crs,
    date: s.datetime !== undefined ? parseDatetime(s.datetime) : undefined,
    period: o.indicator ? s.period : undefined,
  };
}

/** For the landing page, conformance, collections: f=json, and period and datetime (ignored; see ITEMS_PARAMS). */
export function parseMetaQuery(q: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(q)) {
    if (!META_PARAMS.includes(k))
      throw badParameter(k, 'unknown parameter.', `This request understands: ${META_PARAMS.join(', ')}.`, k);
    if (typeof v !== 'string') throw badParameter(k, 'given more than once.', undefined, k);
    if (k === 'f' && v !== 'json')
      throw badParameter('f', `"${v}" is not a format this server writes.`, 'Only JSON: f=json (or leave it out).', v);
  }
  // A malformed value is a 400 here too, not first on the items.
  if (typeof q.datetime === 'string') parseDatetime(q.datetime);
  if (typeof q.period === 'string' && !parsePeriod(q.period))
    throw badParameter('period', `"${q.period}" is not a period.`, PERIOD_HINT, q.period);
}

// ---------------------------------------------------------------------------------------------
// Collection ids

/**
 * A collection id: "stadtteil" (the layer; datetime picks the version, default the current one),
 * "stadtteil-2021-01-01" (one boundary version; "stadtteil-initial" for a version valid since
 * ever), or "anteil_unter6.stadtteil" (an indicator's values on a layer). Keys are
 * [a-z][a-z0-9_]*, so "-" and "." cannot be part of them.
 */
export type CollectionRef =
  | { kind: 'layer'; layer: string }
  | { kind: 'version'; layer: string; validFrom: string | null }
  | { kind: 'indicator'; indicator: string; layer: string };

const KEY = '[a-z][a-z0-9_]*';

export function parseCollectionId(id: string): CollectionRef | null {
  let m = new RegExp(`^(${KEY})$`).exec(id);
  if (m) return { kind: 'layer', layer: m[1] };
  m = new RegExp(`^(${KEY})-(\\d{4}-\\d{2}-\\d{2}|initial)$`).exec(id);
  if (m) return { kind: 'version', layer: m[1], validFrom: m[2] === 'initial' ? null : m[2] };
  m = new RegExp(`^(${KEY})\\.(${KEY})$`).exec(id);
  if (m) return { kind: 'indicator', indicator: m[1], layer: m[2] };
  return null;
}

export function versionCollectionId(layer: string, validFrom: string | null): string {
  return `${layer}-${validFrom ?? 'initial'}`;
}

export function indicatorCollectionId(indicator: string, layer: string): string {
  return `${indicator}.${layer}`;
}

/** A date as the RFC 3339 instant OGC temporal extents use; null stays null (open end). */
export function instant(date: string | null): string | null {
  return date === null ? null : `${date}T00:00:00Z`;
}
