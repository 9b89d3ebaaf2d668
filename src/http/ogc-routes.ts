// OGC API – Features under /ogc (decision 0021; docs/ogc-api.md): thin routes over services/ogc.ts.
// Described by their own OpenAPI 3.0 document at /ogc/api (not in /api/openapi.json).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { basePath } from './base-path.ts';
import { promisify } from 'node:util';
import { brotliCompress, gzip as gzipCallback, constants as zlib } from 'node:zlib';
import type { Database } from '../store/db.ts';
import { InputRejected, NotFound } from '../core/problems.ts';
import { chooseEncoding } from './answer-cache.ts';

const gzip = promisify(gzipCallback);
const brotli = promisify(brotliCompress);
import { parseItemsQuery, parseMetaQuery } from '../core/ogc.ts';
import {
  conformance,
  getCollection,
  getItem,
  getItems,
  landingPage,
  listCollections,
  openApiDocument,
  GEOJSON,
  OGC_JSON,
  OPENAPI_TYPE,
  type GeoJsonAnswer,
} from '../services/ogc.ts';
import { coded } from '../contracts/codes/index.ts';

export const OGC_PREFIX = '/ogc';

const QUERY = { type: 'object', additionalProperties: { type: 'string', maxLength: 500 } } as const;
/** Longest collection or feature id (two keys of 100 characters and a separator; area codes are shorter). */
const MAX_ID = 300;

/** Absolute links: QGIS and GDAL follow them as given (under a tenant's path prefix, with it). */
function baseOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}${basePath(req.raw).slice(0, -1)}${OGC_PREFIX}`;
}

/** From this size a GeoJSON answer is compressed for clients that accept it (QGIS and GDAL do). */
const COMPRESS_FROM = 8 * 1024;

/**
 * Compressed public answers per read snapshot, by encoding and request target (the snapshot ends
 * with the next import batch; the oldest entries go first beyond the limit).
 */
const packedAnswers = new WeakMap<object, Map<string, Promise<Buffer>>>();
const MAX_PACKED = 64;

function compress(body: string, encoding: 'br' | 'gzip'): Promise<Buffer> {
  // Fast levels, off the event loop: a 500-area layer shrinks about fivefold.
  const bytes = Buffer.from(body);
  return encoding === 'br'
    ? brotli(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
    : gzip(bytes, { level: 6 });
}

async function geojson(req: FastifyRequest, reply: FastifyReply, a: GeoJsonAnswer): Promise<FastifyReply> {
  reply.type(GEOJSON).header('Content-Crs', `<${a.crs}>`).header('Vary', 'Accept-Encoding');
  const encoding = a.body.length >= COMPRESS_FROM ? chooseEncoding(req.headers['accept-encoding']) : undefined;
  if (!encoding) return reply.send(a.body);
  let packed: Promise<Buffer>;
  if (a.publicUntilChanged) {
    let kept = packedAnswers.get(a.publicUntilChanged);
    if (!kept) packedAnswers.set(a.publicUntilChanged, (kept = new Map()));
    const key = `${encoding} ${baseOf(req)} ${req.url}`;
    packed = kept.get(key) ?? compress(a.body, encoding);
    kept.delete(key);
    kept.set(key, packed);
    packed.catch(() => kept.delete(key));
    for (const k of kept.keys()) {
      if (kept.size <= MAX_PACKED) break;
      kept.delete(k);
    }
  } else {
    packed = compress(a.body, encoding);
  }
  return reply.header('Content-Encoding', encoding).send(await packed);
}

export function registerOgcRoutes(app: FastifyInstance, db: Database): void {
  const options = () => ({
    schema: { hide: true, querystring: QUERY },
    // Answers depend on who asks; a 401 names the scheme QGIS and GDAL can answer.
    onSend: (_req: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, p: unknown) => void) => {
      reply.header('Cache-Control', 'private, no-store');
      if (reply.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer realm="Kommunalmonitor"');
      done(null, payload);
    },
  });
  type Q = { Querystring: Record<string, string> };

  const landing = async (req: FastifyRequest<Q>, reply: FastifyReply) => {
    parseMetaQuery(req.query);
    return reply.type(OGC_JSON).send(landingPage(baseOf(req)));
  };
  app.get<Q>(OGC_PREFIX, options(), landing);
  app.get<Q>(`${OGC_PREFIX}/`, options(), landing);
  app.get<Q>(`${OGC_PREFIX}/conformance`, options(), async (req, reply) => {
    parseMetaQuery(req.query);
    return reply.type(OGC_JSON).send(conformance());
  });
  app.get<Q>(`${OGC_PREFIX}/api`, options(), async (req, reply) => {
    parseMetaQuery(req.query);
    // A Buffer: Fastify would rewrite the media type of a string answer (quotes, a charset).
    return reply.header('Content-Type', OPENAPI_TYPE).send(Buffer.from(JSON.stringify(openApiDocument(baseOf(req)))));
  });
  app.get<Q>(`${OGC_PREFIX}/collections`, options(), async (req, reply) => {
    parseMetaQuery(req.query);
    return reply.type(OGC_JSON).send(await listCollections(db, req.principal, baseOf(req)));
  });
  // /collections/{collectionId}[/items[/{featureId}]] as one wildcard route: an indicator
  // collection's id (two keys of up to 100 characters) can be longer than the router's limit for
  // a path parameter. The segments are decoded here; what is not such a path is a JSON 404.
  app.get<Q>(`${OGC_PREFIX}/collections/*`, options(), async (req, reply) => {
    const [collectionId, items, featureId, ...rest] = segments(req.url);
    if (!collectionId || (items !== undefined && items !== 'items') || rest.length) throw notFound(req);
    if (items === undefined) {
      parseMetaQuery(req.query);
      return reply.type(OGC_JSON).send(await getCollection(db, req.principal, baseOf(req), collectionId));
    }
    const indicator = collectionId.includes('.');
    if (featureId === undefined)
      return geojson(
        req,
        reply,
        await getItems(
          db,
          req.principal,
          baseOf(req),
          collectionId,
          parseItemsQuery(req.query, { indicator }),
          req.query,
        ),
      );
    return geojson(
      req,
      reply,
      await getItem(
        db,
        req.principal,
        baseOf(req),
        collectionId,
        featureId,
        parseItemsQuery(req.query, { indicator, single: true }),
      ),
    );
  });
  // Anything else under the prefix is a JSON 404, not the web app.
  app.get(`${OGC_PREFIX}/*`, options(), async (req) => {
    throw notFound(req);
  });
}

const notFound = (req: FastifyRequest) =>
  new NotFound(coded('ogc-no-such-resource', { path: req.url.split('?')[0], prefix: OGC_PREFIX }));

/** The decoded path segments after /ogc/collections/ (a trailing slash adds none). */
function segments(url: string): string[] {
  const path = url.split('?')[0].slice(`${OGC_PREFIX}/collections/`.length).replace(/\/$/, '');
  return path.split('/').map((s) => {
    let text: string;
    try {
      text = decodeURIComponent(s);
    } catch {
      throw new InputRejected(
        [{ severity: 'error', code: 'bad-request', reason: `"${s}" is not valid percent-encoding`, value: s }],
        `The path segment "${s}" is not valid percent-encoding.`,
      );
    }
    if (text.length > MAX_ID) throw new NotFound(coded('ogc-id-too-long', { length: text.length, max: MAX_ID }));
    return text;
  });
}
