// OGC API – Features under /ogc (decision 0021; docs/ogc-api.md): thin routes over services/ogc.ts.
// Described by their own OpenAPI 3.0 document at /ogc/api (not in /api/openapi.json).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../store/db.ts';
import { InputRejected, NotFound } from '../core/problems.ts';
import { parseItemsQuery, parseMetaQuery } from '../core/ogc.ts';
import { conformance, getCollection, getItem, getItems, landingPage, listCollections, openApiDocument, GEOJSON, OGC_JSON, OPENAPI_TYPE, type GeoJsonAnswer } from '../services/ogc.ts';

export const OGC_PREFIX = '/ogc';

const QUERY = { type: 'object', additionalProperties: { type: 'string', maxLength: 500 } } as const;
/** Longest collection or feature id (two keys of 100 characters and a separator; area codes are shorter). */
const MAX_ID = 300;

/** Absolute links: QGIS and GDAL follow them as given. */
function baseOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}${OGC_PREFIX}`;
}

function geojson(reply: FastifyReply, a: GeoJsonAnswer): FastifyReply {
  return reply.type(GEOJSON).header('Content-Crs', `<${a.crs}>`).send(a.body);
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
    if (featureId === undefined) return geojson(reply, await getItems(db, req.principal, baseOf(req), collectionId, parseItemsQuery(req.query, { indicator }), req.query));
    return geojson(reply, await getItem(db, req.principal, baseOf(req), collectionId, featureId, parseItemsQuery(req.query, { indicator, single: true })));
  });
  // Anything else under the prefix is a JSON 404, not the web app.
  app.get(`${OGC_PREFIX}/*`, options(), async (req) => {
    throw notFound(req);
  });
}

const notFound = (req: FastifyRequest) => new NotFound(`No such resource: ${req.url.split('?')[0]}. The OGC API starts at ${OGC_PREFIX}.`);

/** The decoded path segments after /ogc/collections/ (a trailing slash adds none). */
function segments(url: string): string[] {
  const path = url.split('?')[0].slice(`${OGC_PREFIX}/collections/`.length).replace(/\/$/, '');
  return path.split('/').map((s) => {
    let text: string;
    try {
      text = decodeURIComponent(s);
    } catch {
      throw new InputRejected([{ severity: 'error', code: 'bad-request', reason: `"${s}" is not valid percent-encoding`, value: s }], `The path segment "${s}" is not valid percent-encoding.`);
    }
    if (text.length > MAX_ID) throw new NotFound(`No such resource: an id of ${text.length} characters (at most ${MAX_ID}).`);
    return text;
  });
}
