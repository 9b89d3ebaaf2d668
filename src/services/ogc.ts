// OGC API – Features over the spatial structure and the indicator values (issue 19; decision
// 0021). Collections: every layer (its current boundary version; datetime picks another), every
// boundary version, and every indicator on every layer it has values on. Indicator values come
// from getObservations, i.e. with the access rules and the disclosure masking of every other read
// path. Geometries are prepared once per read snapshot, boundary version and CRS (transformed and
// serialised), so a page is a slice and a join of prepared strings.
import type { Queryable } from '../store/db.ts';
import type { LayerRow, LayerVersionRow, IndicatorRow } from '../store/catalog.ts';
import { versionAreas, versionExtents, type OgcAreaRow } from '../store/ogc.ts';
import { NotFound, Unauthorized } from '../core/problems.ts';
import { canRead, type Principal } from '../core/access.ts';
import type { BBox } from '../core/geo/types.ts';
import { STATUS_SYMBOLS } from '../core/reasons.ts';
import { parsePeriod, PERIOD_HINT } from '../core/periods.ts';
import {
  CRS84,
  SERVED_CRS,
  LIMIT_DEFAULT,
  LIMIT_MAX,
  badParameter,
  boxesIntersect,
  indicatorCollectionId,
  instant,
  parseCollectionId,
  toCrs,
  transformCoordinates,
  versionCollectionId,
  type ItemsParameters,
} from '../core/ogc.ts';
import { snapshot, layersWithData, type Snapshot } from './snapshot.ts';
import { dataIndicator, getObservations, guardOf, periodsOf, readable } from './query.ts';
import { coded } from '../contracts/codes/index.ts';

export const OGC_JSON = 'application/json';
export const GEOJSON = 'application/geo+json';
export const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0';

const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs',
];

interface Link {
  href: string;
  rel: string;
  type: string;
  title?: string;
}

// ---------------------------------------------------------------------------------------------
// Landing page, conformance, API definition

export function landingPage(base: string): object {
  return {
    title: 'Kommunalmonitor – OGC API Features',
    description:
      'The spatial structure (every layer and boundary version) and the indicator values on it, as OGC API – Features. Values are shown as the caller may see them: suppressed values are never sent to the public.',
    links: [
      { href: `${base}`, rel: 'self', type: OGC_JSON, title: 'This document' },
      { href: `${base}/api`, rel: 'service-desc', type: OPENAPI_TYPE, title: 'The API definition (OpenAPI 3.0)' },
      { href: `${base}/conformance`, rel: 'conformance', type: OGC_JSON, title: 'Conformance classes' },
      { href: `${base}/collections`, rel: 'data', type: OGC_JSON, title: 'The collections' },
    ],
  };
}

export function conformance(): object {
  return { conformsTo: CONFORMANCE };
}

/** The OpenAPI 3.0 document of the OGC API (limit's default and maximum are what GDAL pages by). */
export function openApiDocument(base: string): object {
  const collectionId = {
    name: 'collectionId',
    in: 'path',
    required: true,
    description:
      'A layer ("stadtteil"), a boundary version ("stadtteil-2021-01-01") or an indicator on a layer ("anteil_unter6.stadtteil")',
    schema: { type: 'string' },
  };
  const crsParam = (name: string, description: string) => ({
    name,
    in: 'query',
    required: false,
    description,
    schema: { type: 'string', format: 'uri', enum: [...SERVED_CRS], default: CRS84 },
    style: 'form',
    explode: false,
  });
  const f = { name: 'f', in: 'query', required: false, schema: { type: 'string', enum: ['json'] } };
  const ignored = (name: string) => ({
    name,
    in: 'query',
    required: false,
    description: 'Accepted and ignored here (GDAL repeats the query of OAPIF:…/ogc?… on every request)',
    schema: { type: 'string' },
  });
  const meta = [f, ignored('period'), ignored('datetime')];
  const json = (description: string) => ({ description, content: { [OGC_JSON]: { schema: { type: 'object' } } } });
  const geojson = (description: string) => ({
    description,
    headers: { 'Content-Crs': { schema: { type: 'string' }, description: 'The CRS of the coordinates, as <URI>' } },
    content: { [GEOJSON]: { schema: { type: 'object' } } },
  });
  const error = {
    description: 'Error',
    content: {
      [OGC_JSON]: {
        schema: { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } },
      },
    },
  };
  const query = [
    {
      name: 'limit',
      in: 'query',
      required: false,
      description: 'Features per page',
      schema: { type: 'integer', minimum: 1, maximum: LIMIT_MAX, default: LIMIT_DEFAULT },
      style: 'form',
      explode: false,
    },
    {
      name: 'offset',
      in: 'query',
      required: false,
      description: 'Features to skip (the next links carry it)',
      schema: { type: 'integer', minimum: 0, default: 0 },
      style: 'form',
      explode: false,
    },
    {
      name: 'bbox',
      in: 'query',
      required: false,
      description:
        'minx,miny,maxx,maxy in the axis order of bbox-crs (default CRS84: lon,lat); features whose bounding box intersects it',
      schema: { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } },
      style: 'form',
      explode: false,
    },
    crsParam('bbox-crs', 'The CRS of bbox'),
    crsParam('crs', 'The CRS of the coordinates in the answer'),
    {
      name: 'datetime',
      in: 'query',
      required: false,
      description: 'A date or instant (RFC 3339): the boundary version valid then (intervals are not supported)',
      schema: { type: 'string' },
      style: 'form',
      explode: false,
    },
    {
      name: 'period',
      in: 'query',
      required: false,
      description:
        'Indicator collections: the period of the values (2024-12-31, 2024, 2023/24 …); default the latest with data on the layer. Ignored by layer collections',
      schema: { type: 'string' },
      style: 'form',
      explode: false,
    },
    f,
  ];
  return {
    openapi: '3.0.3',
    info: {
      title: 'Kommunalmonitor – OGC API Features',
      version: '1.0.0',
      description:
        'Layers, boundary versions and indicator values as OGC API – Features (Part 1 Core, Part 2 CRS). Internal collections need an API token (Authorization: Bearer).',
    },
    servers: [{ url: base }],
    components: {
      securitySchemes: {
        token: { type: 'http', scheme: 'bearer', description: 'API token (kommunalmonitor tokens create)' },
      },
    },
    security: [{}, { token: [] }],
    paths: {
      '/': {
        get: {
          summary: 'Landing page',
          operationId: 'getLandingPage',
          parameters: meta,
          responses: { 200: json('Landing page') },
        },
      },
      '/conformance': {
        get: {
          summary: 'Conformance classes',
          operationId: 'getConformance',
          parameters: meta,
          responses: { 200: json('Conformance classes') },
        },
      },
      '/api': {
        get: {
          summary: 'This document',
          operationId: 'getApi',
          responses: {
            200: { description: 'OpenAPI 3.0', content: { [OPENAPI_TYPE]: { schema: { type: 'object' } } } },
          },
        },
      },
      '/collections': {
        get: {
          summary: 'The collections the caller may read',
          operationId: 'getCollections',
          parameters: meta,
          responses: { 200: json('Collections') },
        },
      },
      '/collections/{collectionId}': {
        get: {
          summary: 'One collection',
          operationId: 'describeCollection',
          parameters: [collectionId, ...meta],
          responses: { 200: json('Collection'), 401: error, 404: error },
        },
      },
      '/collections/{collectionId}/items': {
        get: {
          summary: 'The features of a collection',
          operationId: 'getFeatures',
          parameters: [collectionId, ...query],
          responses: { 200: geojson('Features (a page)'), 400: error, 401: error, 404: error },
        },
      },
      '/collections/{collectionId}/items/{featureId}': {
        get: {
          summary: 'One feature (the area code is the feature id)',
          operationId: 'getFeature',
          parameters: [
            collectionId,
            { name: 'featureId', in: 'path', required: true, schema: { type: 'string' } },
            query[4],
            query[5],
            query[6],
            f,
          ],
          responses: { 200: geojson('Feature'), 400: error, 401: error, 404: error },
        },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Prepared geometries

interface Prepared {
  rows: OgcAreaRow[];
  /** Serialised geometry per row ("null" when it has none), in the CRS. */
  geometry: string[];
  /** Layer collections: whole features, serialised. */
  features?: string[];
}

interface SnapshotCache {
  extents?: Promise<Map<number, BBox>>;
  rows: Map<number, Promise<OgcAreaRow[]>>;
  prepared: Map<string, Promise<Prepared>>;
  /** Indicator features as the public sees them, serialised (anonymous callers only). */
  publicValues: Map<string, Promise<FeatureSource>>;
}

const caches = new WeakMap<Snapshot, SnapshotCache>();
/** Prepared (version, CRS) pairs kept per snapshot, oldest dropped first. */
const MAX_PREPARED = 48;

function cacheOf(s: Snapshot): SnapshotCache {
  let c = caches.get(s);
  if (!c) caches.set(s, (c = { rows: new Map(), prepared: new Map(), publicValues: new Map() }));
  return c;
}

function extents(db: Queryable, s: Snapshot): Promise<Map<number, BBox>> {
  const c = cacheOf(s);
  c.extents ??= versionExtents(db).catch((e) => {
    c.extents = undefined;
    throw e;
  });
  return c.extents;
}

function rowsOf(db: Queryable, s: Snapshot, versionId: number): Promise<OgcAreaRow[]> {
  const c = cacheOf(s);
  let p = c.rows.get(versionId);
  if (!p) {
    p = versionAreas(db, versionId);
    c.rows.set(versionId, p);
    p.catch(() => c.rows.delete(versionId));
  }
  return p;
}

function prepared(db: Queryable, s: Snapshot, layer: LayerRow, v: LayerVersionRow, crs: string): Promise<Prepared> {
  const c = cacheOf(s);
  const key = `${v.id}|${crs}`;
  let p = c.prepared.get(key);
  if (p) {
    c.prepared.delete(key);
    c.prepared.set(key, p);
    return p;
  }
  p = rowsOf(db, s, v.id).then((rows) => {
    const t = toCrs(crs);
    const geometry = rows.map((r) =>
      r.geometry
        ? JSON.stringify({
            type: r.geometry.type,
            coordinates: crs === CRS84 ? r.geometry.coordinates : transformCoordinates(r.geometry.coordinates, t),
          })
        : 'null',
    );
    const features = rows.map(
      (r, k) =>
        `{"type":"Feature","id":${JSON.stringify(r.code)},"properties":${JSON.stringify(layerProperties(layer, v, r))},"geometry":${geometry[k]}}`,
    );
    return { rows, geometry, features };
  });
  c.prepared.set(key, p);
  p.catch(() => c.prepared.delete(key));
  for (const k of c.prepared.keys()) {
    if (c.prepared.size <= MAX_PREPARED) break;
    c.prepared.delete(k);
  }
  return p;
}

function layerProperties(layer: LayerRow, v: LayerVersionRow, r: OgcAreaRow): Record<string, unknown> {
  return {
    code: r.code,
    name: r.name,
    parent: r.parent,
    layer: layer.key,
    valid_from: v.validFrom,
    valid_to: v.validTo,
  };
}

// ---------------------------------------------------------------------------------------------
// Collections

type Resolved =
  | { kind: 'layer'; id: string; layer: LayerRow; versions: LayerVersionRow[] }
  | { kind: 'version'; id: string; layer: LayerRow; version: LayerVersionRow }
  | { kind: 'indicator'; id: string; layer: LayerRow; indicator: IndicatorRow; versions: LayerVersionRow[] };

const noSuchCollection = (id: string) => new NotFound(coded('collection-not-found', { collection: id }));

/** The collection, if the principal may see it: 401 for internal data without a token, 404 for restricted data (as for a collection that does not exist). */
async function resolve(db: Queryable, s: Snapshot, who: Principal, id: string): Promise<Resolved> {
  const ref = parseCollectionId(id);
  if (!ref) throw noSuchCollection(id);
  const layer = s.layerByKey.get(ref.layer);
  if (ref.kind === 'indicator') {
    const indicator = s.indicatorByKey.get(ref.indicator);
    if (!indicator) throw noSuchCollection(id);
    // The rules of requireReadable without its audit entry: the values' read (getObservations) writes that.
    const decision = canRead(who, guardOf(s, indicator));
    if (decision === 'unauthenticated') throw new Unauthorized(coded('collection-internal', { collection: id }));
    if (decision === 'hidden') throw noSuchCollection(id);
    if (!layer || !((await layersWithData(db, s)).get(dataIndicator(s, indicator).id) ?? []).includes(layer.key))
      throw noSuchCollection(id);
    return { kind: 'indicator', id, layer, indicator, versions: s.versionsByLayer.get(layer.id) ?? [] };
  }
  if (!layer) throw noSuchCollection(id);
  const versions = s.versionsByLayer.get(layer.id) ?? [];
  if (!versions.length) throw noSuchCollection(id);
  if (ref.kind === 'layer') return { kind: 'layer', id, layer, versions };
  const version = versions.find((v) => v.validFrom === ref.validFrom);
  if (!version) throw noSuchCollection(id);
  return { kind: 'version', id, layer, version };
}

const TRS = 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian';

function describe(c: Resolved, base: string, ext: Map<number, BBox>, s: Snapshot): Record<string, unknown> {
  const href = `${base}/collections/${encodeURIComponent(c.id)}`;
  const links: Link[] = [
    { href, rel: 'self', type: OGC_JSON, title: 'This collection' },
    { href: `${href}/items`, rel: 'items', type: GEOJSON, title: 'The features' },
  ];
  const current = c.kind === 'version' ? c.version : c.versions[c.versions.length - 1];
  const bbox = current ? ext.get(current.id) : undefined;
  const interval: [string | null, string | null] =
    c.kind === 'version'
      ? [instant(c.version.validFrom), instant(c.version.validTo)]
      : [instant(c.versions[0]?.validFrom ?? null), null];
  const common = {
    id: c.id,
    itemType: 'feature',
    links,
    extent: {
      ...(bbox ? { spatial: { bbox: [bbox], crs: CRS84 } } : {}),
      temporal: { interval: [interval], trs: TRS },
    },
    crs: [...SERVED_CRS],
    storageCrs: CRS84,
  };
  if (c.kind === 'indicator') {
    const i = c.indicator;
    const periods = periodsOf(s, i).map((p) => p.key);
    return {
      title: `${i.name} – ${c.layer.name}`,
      description: `${i.description ? `${i.description} ` : ''}Unit: ${i.unit}.${i.source ? ` Source: ${i.source}.` : ''} One feature per area of "${c.layer.name}" with the value for one period (parameter period, default the latest with data), its unit, status and data symbol. The areas are those of the boundary version valid on the period's reference date (datetime picks another).`,
      ...common,
      indicator: {
        key: i.key,
        name: i.name,
        unit: i.unit,
        type: i.type,
        source: i.source,
        confidentiality: i.confidentiality,
        periods,
      },
    };
  }
  const version = c.kind === 'version' ? c.version : undefined;
  return {
    title: version
      ? `${c.layer.name} (boundaries valid from ${version.validFrom ?? 'the start'}${version.validTo ? ` to ${version.validTo}` : ''})`
      : c.layer.name,
    description: version
      ? `The areas of "${c.layer.name}" in the boundary version valid from ${version.validFrom ?? 'the start'}${version.validTo ? ` until ${version.validTo}` : ' (current)'}.`
      : `The areas of "${c.layer.name}" in the current boundary version; datetime (a date) picks the version valid then.${c.layer.description ? ` ${c.layer.description}` : ''}`,
    ...common,
  };
}

/** Every collection the principal may read: layers, boundary versions, indicators on layers. */
export async function listCollections(db: Queryable, who: Principal, base: string): Promise<object> {
  const s = await snapshot(db);
  const ext = await extents(db, s);
  const out: Record<string, unknown>[] = [];
  for (const layer of s.layers) {
    const versions = s.versionsByLayer.get(layer.id) ?? [];
    if (!versions.length) continue;
    out.push(describe({ kind: 'layer', id: layer.key, layer, versions }, base, ext, s));
    for (const v of versions)
      out.push(
        describe({ kind: 'version', id: versionCollectionId(layer.key, v.validFrom), layer, version: v }, base, ext, s),
      );
  }
  const withData = await layersWithData(db, s);
  for (const i of s.indicators) {
    if (!readable(s, who, i)) continue;
    for (const key of withData.get(dataIndicator(s, i).id) ?? []) {
      const layer = s.layerByKey.get(key)!;
      const versions = s.versionsByLayer.get(layer.id) ?? [];
      if (versions.length)
        out.push(
          describe(
            { kind: 'indicator', id: indicatorCollectionId(i.key, key), layer, indicator: i, versions },
            base,
            ext,
            s,
          ),
        );
    }
  }
  return {
    links: [{ href: `${base}/collections`, rel: 'self', type: OGC_JSON, title: 'The collections' }],
    collections: out,
  };
}

export async function getCollection(db: Queryable, who: Principal, base: string, id: string): Promise<object> {
  const s = await snapshot(db);
  const c = await resolve(db, s, who, id);
  return describe(c, base, await extents(db, s), s);
}

// ---------------------------------------------------------------------------------------------
// Features

const validOn = (v: LayerVersionRow, date: string) =>
  (v.validFrom === null || v.validFrom <= date) && (v.validTo === null || date < v.validTo);

/** One feature per area, serialised: the source of a page. */
interface FeatureSource {
  rows: OgcAreaRow[];
  feature(k: number): string;
}

async function featureSource(
  db: Queryable,
  s: Snapshot,
  who: Principal,
  c: Resolved,
  p: Pick<ItemsParameters, 'crs' | 'date' | 'period'>,
): Promise<FeatureSource> {
  const none: FeatureSource = { rows: [], feature: () => '' };
  if (c.kind === 'layer' || c.kind === 'version') {
    const v =
      c.kind === 'version'
        ? p.date === undefined || validOn(c.version, p.date)
          ? c.version
          : undefined
        : p.date === undefined
          ? c.versions[c.versions.length - 1]
          : c.versions.find((x) => validOn(x, p.date!));
    if (!v) return none;
    const prep = await prepared(db, s, c.layer, v, p.crs);
    return { rows: prep.rows, feature: (k) => prep.features![k] };
  }
  if (p.date !== undefined && !c.versions.some((x) => validOn(x, p.date!))) return none;
  if (p.period !== undefined) {
    const parsed = parsePeriod(p.period);
    if (!parsed) throw badParameter('period', `"${p.period}" is not a period.`, PERIOD_HINT, p.period);
    const periods = periodsOf(s, c.indicator);
    if (!periods.some((x) => x.key === parsed.key))
      throw badParameter(
        'period',
        `"${c.indicator.key}" has no data for ${parsed.key}.`,
        `Periods with data: ${periods.map((x) => x.key).join(', ') || 'none'}.`,
        p.period,
      );
  }
  // What the public sees depends on nothing but the snapshot and the request: kept serialised, as
  // the answer cache keeps /api/ answers (never for signed-in callers, whose reads of restricted
  // data are audited and whose masking depends on their department).
  if (who.kind !== 'anonymous') return indicatorSource(db, s, who, c, p);
  const cache = cacheOf(s);
  const key = `${c.indicator.id}|${c.layer.id}|${p.period ?? ''}|${p.date ?? ''}|${p.crs}`;
  let src = cache.publicValues.get(key);
  if (src) {
    cache.publicValues.delete(key);
  } else {
    src = indicatorSource(db, s, who, c, p).then((x) => {
      const all = x.rows.map((_, k) => x.feature(k));
      return { rows: x.rows, feature: (k: number) => all[k] };
    });
    src.catch(() => cache.publicValues.delete(key));
  }
  cache.publicValues.set(key, src);
  for (const k of cache.publicValues.keys()) {
    if (cache.publicValues.size <= MAX_PREPARED) break;
    cache.publicValues.delete(k);
  }
  return src;
}

/** Indicator features with the values getObservations gives this principal. */
async function indicatorSource(
  db: Queryable,
  s: Snapshot,
  who: Principal,
  c: Extract<Resolved, { kind: 'indicator' }>,
  p: Pick<ItemsParameters, 'crs' | 'date' | 'period'>,
): Promise<FeatureSource> {
  const none: FeatureSource = { rows: [], feature: () => '' };
  const answer = await getObservations(
    db,
    { indicator: c.indicator.key, layer: c.layer.key, period: p.period, at: p.date },
    who,
  );
  const v = c.versions.find((x) => x.validFrom === answer.layer.version.validFrom);
  if (!v) return none;
  const prep = await prepared(db, s, c.layer, v, p.crs);
  const byCode = new Map(answer.values.map((x) => [x.area, x]));
  const i = c.indicator;
  return {
    rows: prep.rows,
    feature: (k) => {
      const r = prep.rows[k];
      const x = byCode.get(r.code);
      const status = x?.status ?? 'missing';
      const head = {
        code: r.code,
        name: r.name,
        indicator: i.key,
        period: answer.period.key,
        reference_date: answer.referenceDate,
      };
      const tail = {
        unit: answer.unit,
        status,
        symbol: STATUS_SYMBOLS[status] ?? '',
        reason: x?.reason ?? null,
        disclosure: x?.disclosure ?? null,
        source: answer.source,
        boundaries_valid_from: v.validFrom,
      };
      // value and base are written as decimals (12.0, not 12): GDAL and QGIS take a field's type
      // from the first page, and a ratio whose first values happen to be whole would become an
      // integer field that cuts off the decimals of later pages.
      const json = `${JSON.stringify(head).slice(0, -1)},"value":${decimal(x?.value ?? null)},"base":${decimal(x?.base ?? null)},${JSON.stringify(tail).slice(1)}`;
      return `{"type":"Feature","id":${JSON.stringify(r.code)},"properties":${json},"geometry":${prep.geometry[k]}}`;
    },
  };
}

/** A number as a JSON decimal literal (12 → 12.0), null as null. */
function decimal(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return 'null';
  return Number.isInteger(v) && Math.abs(v) < 1e15 ? v.toFixed(1) : String(v);
}

export interface GeoJsonAnswer {
  body: string;
  /** The CRS of the coordinates, for the Content-Crs header. */
  crs: string;
  /**
   * For answers to the public: the read snapshot they were computed from. The same request
   * gets the same answer while it is current, so encodings of it can be kept (http/ogc-routes.ts).
   */
  publicUntilChanged?: object;
}

/**
 * The pre-RFC 7946 "crs" member for coordinates that are not CRS84 (as GeoServer writes it):
 * clients that read the answer as a plain GeoJSON file (GDAL's GeoJSON driver, QGIS's OGR
 * provider) then know the CRS; the Content-Crs header says the same for OGC API clients.
 */
function crsMember(crs: string): string {
  if (crs === CRS84) return '';
  return `"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::${crs.slice(crs.lastIndexOf('/') + 1)}"}},`;
}

function queryString(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : '';
}

/**
 * A page of a collection's features. `raw` is the request's query as given (the next link
 * repeats it with the next offset).
 */
export async function getItems(
  db: Queryable,
  who: Principal,
  base: string,
  id: string,
  p: ItemsParameters,
  raw: Record<string, string>,
): Promise<GeoJsonAnswer> {
  const s = await snapshot(db);
  const c = await resolve(db, s, who, id);
  const src = await featureSource(db, s, who, c, p);
  let matched: number[];
  if (p.bbox) {
    matched = [];
    for (let k = 0; k < src.rows.length; k++) {
      const b = src.rows[k].bbox;
      if (b && boxesIntersect(b, p.bbox)) matched.push(k);
    }
  } else {
    matched = Array.from({ length: src.rows.length }, (_, k) => k);
  }
  const page = matched.slice(p.offset, p.offset + p.limit);
  const href = `${base}/collections/${encodeURIComponent(c.id)}/items`;
  const links: Link[] = [
    { href: `${href}${queryString(raw)}`, rel: 'self', type: GEOJSON, title: 'This page' },
    {
      href: `${base}/collections/${encodeURIComponent(c.id)}`,
      rel: 'collection',
      type: OGC_JSON,
      title: 'The collection',
    },
  ];
  if (p.offset + p.limit < matched.length)
    links.push({
      href: `${href}${queryString({ ...raw, offset: String(p.offset + p.limit), limit: String(p.limit) })}`,
      rel: 'next',
      type: GEOJSON,
      title: 'The next page',
    });
  if (p.offset > 0)
    links.push({
      href: `${href}${queryString({ ...raw, offset: String(Math.max(0, p.offset - p.limit)), limit: String(p.limit) })}`,
      rel: 'prev',
      type: GEOJSON,
      title: 'The previous page',
    });
  const head = `{"type":"FeatureCollection",${crsMember(p.crs)}"timeStamp":${JSON.stringify(new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'))},"numberMatched":${matched.length},"numberReturned":${page.length},"links":${JSON.stringify(links)},"features":[`;
  return {
    body: `${head}${page.map((k) => src.feature(k)).join(',')}]}`,
    crs: p.crs,
    publicUntilChanged: who.kind === 'anonymous' ? s : undefined,
  };
}

/** One feature: the area with this code. */
export async function getItem(
  db: Queryable,
  who: Principal,
  base: string,
  id: string,
  featureId: string,
  p: ItemsParameters,
): Promise<GeoJsonAnswer> {
  const s = await snapshot(db);
  const c = await resolve(db, s, who, id);
  const src = await featureSource(db, s, who, c, p);
  const k = src.rows.findIndex((r) => r.code === featureId);
  if (k < 0)
    throw new NotFound(
      p.date
        ? coded('feature-not-found-on', { feature: featureId, collection: id, date: p.date })
        : coded('feature-not-found', { feature: featureId, collection: id }),
    );
  const href = `${base}/collections/${encodeURIComponent(c.id)}`;
  const links: Link[] = [
    { href: `${href}/items/${encodeURIComponent(featureId)}`, rel: 'self', type: GEOJSON, title: 'This feature' },
    { href, rel: 'collection', type: OGC_JSON, title: 'The collection' },
  ];
  const f = src.feature(k);
  return {
    body: `{${crsMember(p.crs)}${f.slice(1, -1)},"links":${JSON.stringify(links)}}`,
    crs: p.crs,
    publicUntilChanged: who.kind === 'anonymous' ? s : undefined,
  };
}
