// OGC API – Features under /ogc (decision 0021; docs/ogc-api.md): thin routes over services/ogc.ts.
// Described by their own OpenAPI 3.0 document at /ogc/api (not in /api/openapi.json).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../store/db.ts';
import { NotFound } from '../core/problems.ts';
import { parseItemsQuery, parseMetaQuery } from '../core/ogc.ts';
import { conformance, getCollection, getItem, getItems, landingPage, listCollections, openApiDocument, GEOJSON, OGC_JSON, OPENAPI_TYPE, type GeoJsonAnswer } from '../services/ogc.ts';

export const OGC_PREFIX = '/ogc';

const QUERY = { type: 'object', additionalProperties: { type: 'string', maxLength: 500 } } as const;
const ID = { type: 'string', minLength: 1, maxLength: 300 } as const;

/** Absolute links: QGIS and GDAL follow them as given. */
function baseOf(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}${OGC_PREFIX}`;
}

function geojson(reply: FastifyReply, a: GeoJsonAnswer): FastifyReply {
  return reply.type(GEOJSON).header('Content-Crs', `<${a.crs}>`).send(a.body);
}

export function registerOgcRoutes(app: FastifyInstance, db: Database): void {
  const options = (params?: object) => ({
    schema: { hide: true, querystring: QUERY, ...(params ? { params: { type: 'object', properties: params, required: Object.keys(params) } } : {}) },
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
  app.get<Q & { Params: { collectionId: string } }>(`${OGC_PREFIX}/collections/:collectionId`, options({ collectionId: ID }), async (req, reply) => {
    parseMetaQuery(req.query);
    return reply.type(OGC_JSON).send(await getCollection(db, req.principal, baseOf(req), req.params.collectionId));
  });
  app.get<Q & { Params: { collectionId: string } }>(`${OGC_PREFIX}/collections/:collectionId/items`, options({ collectionId: ID }), async (req, reply) => {
    const p = parseItemsQuery(req.query, { indicator: req.params.collectionId.includes('.') });
    return geojson(reply, await getItems(db, req.principal, baseOf(req), req.params.collectionId, p, req.query));
  });
  // Anything else under the prefix (also ids longer than the router takes) is a JSON 404, not the web app.
  app.get(`${OGC_PREFIX}/*`, options(), async (req) => {
    throw new NotFound(`No such resource: ${req.url.split('?')[0]}. The OGC API starts at ${OGC_PREFIX}.`);
  });
  app.get<Q & { Params: { collectionId: string; featureId: string } }>(`${OGC_PREFIX}/collections/:collectionId/items/:featureId`, options({ collectionId: ID, featureId: ID }), async (req, reply) => {
    const p = parseItemsQuery(req.query, { indicator: req.params.collectionId.includes('.'), single: true });
    return geojson(reply, await getItem(db, req.principal, baseOf(req), req.params.collectionId, req.params.featureId, p));
  });
}
