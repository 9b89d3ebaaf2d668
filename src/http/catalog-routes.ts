// The open-data catalogue (DCAT-AP.de) at /catalog for GovData and the state portals' harvesters,
// and the publisher settings it needs at /api/settings/publisher (administrators only; a browser
// session also needs its CSRF token, checked for every state-changing request in auth.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { basePath } from './base-path.ts';
import { promisify } from 'node:util';
import { brotliCompress, gzip as gzipCallback, constants as zlib } from 'node:zlib';
import { chooseEncoding } from './answer-cache.ts';
import type { Database } from '../store/db.ts';
import { NotFound } from '../core/problems.ts';
import { LICENCE_IDS } from '../core/publisher.ts';
import {
  CATALOG_MEDIA_TYPES,
  PAGE_SIZE_DEFAULT,
  PAGE_SIZE_MAX,
  getCatalog,
  getPublisher,
  setPublisher,
  type CatalogFormat,
} from '../services/dcat.ts';
import { ERROR_ANSWER } from './schemas.ts';
import { coded } from '../contracts/codes/index.ts';
import type { Answering, Taking } from './contract.ts';

const ERROR = ERROR_ANSWER;

const FORMATS = Object.keys(CATALOG_MEDIA_TYPES) as CatalogFormat[];

const gzip = promisify(gzipCallback);
const brotli = promisify(brotliCompress);
/** From this size a page is sent compressed to clients that accept it (RDF shrinks about twentyfold). */
const COMPRESS_FROM = 8 * 1024;
/** Compressed pages per read snapshot (via the service's `until`), by encoding and page. */
const packed = new WeakMap<object, Map<string, Promise<Buffer>>>();
const MAX_PACKED = 32;

function compressed(until: object, key: string, bytes: Buffer, encoding: 'br' | 'gzip'): Promise<Buffer> {
  let kept = packed.get(until);
  if (!kept) packed.set(until, (kept = new Map()));
  const k = `${encoding} ${key}`;
  let p = kept.get(k);
  if (!p) {
    // Fast levels, off the event loop.
    p =
      encoding === 'br'
        ? brotli(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
        : gzip(bytes, { level: 6 });
    kept.set(k, p);
    p.catch(() => kept.delete(k));
    for (const old of kept.keys()) {
      if (kept.size <= MAX_PACKED) break;
      kept.delete(old);
    }
  }
  return p;
}

/** The serialisation an Accept header asks for: the supported type of highest quality; Turtle for any. */
export function negotiate(accept: string | undefined): CatalogFormat | null {
  if (!accept?.trim()) return 'ttl';
  const wanted = accept
    .split(',')
    .map((part, order) => {
      const [type, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
      return { type: type.trim(), q: q === undefined ? 1 : Number(q), order };
    })
    .filter((w) => w.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const w of wanted) {
    const f = FORMATS.find((x) => CATALOG_MEDIA_TYPES[x] === w.type);
    if (f) return f;
    if (w.type === 'application/json') return 'jsonld';
    if (w.type === 'application/xml' || w.type === 'text/xml') return 'rdf';
    if (w.type === 'application/x-turtle' || w.type === '*/*' || w.type === 'text/*') return 'ttl';
    if (w.type === 'application/*') return 'rdf';
  }
  return null;
}

const PUBLISHER_BODY = {
  type: 'object',
  // Required fields and formats are checked by the service, which answers with one problem per field.
  properties: {
    name: { type: 'string', description: 'The municipality, e.g. "Stadt Musterstadt"' },
    officialKey: {
      type: 'string',
      description: 'Amtlicher Gemeindeschlüssel (AGS, 8 digits) or Regionalschlüssel (ARS, 12 digits)',
    },
    licence: { type: 'string', enum: LICENCE_IDS, description: 'Licence of the data (DCAT-AP.de licence vocabulary)' },
    contact: {
      type: 'object',
      properties: { name: { type: 'string' }, email: { type: 'string' }, url: { type: 'string' } },
      description: 'The office that answers questions: a name and an e-mail address and/or a contact-form URL',
    },
    contributorId: {
      type: 'string',
      description: 'dcatde:contributorID assigned by GovData (http://dcat-ap.de/def/contributors/…)',
    },
    baseUrl: {
      type: 'string',
      description:
        'Public address of the installation; the catalogue’s IRIs start with it (default: the address of the request)',
    },
  },
} as const;

export function registerCatalogRoutes(app: FastifyInstance, db: Database): void {
  type Q = { Querystring: { page?: number; pageSize?: number; format?: CatalogFormat } };
  const querystring = {
    type: 'object',
    properties: {
      page: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 },
      pageSize: { type: 'integer', minimum: 1, maximum: PAGE_SIZE_MAX, default: PAGE_SIZE_DEFAULT },
      format: {
        type: 'string',
        enum: FORMATS,
        description: 'ttl (Turtle), rdf (RDF/XML) or jsonld (JSON-LD); overrides the Accept header',
      },
    },
    additionalProperties: false,
  } as const;

  const answer = (fixed?: CatalogFormat) => async (req: FastifyRequest<Q>, reply: FastifyReply) => {
    const format = fixed ?? req.query.format ?? negotiate(req.headers.accept);
    if (!format) {
      return reply.status(406).send({
        error: 'Not Acceptable',
        message: `The catalogue is served as ${FORMATS.map((f) => CATALOG_MEDIA_TYPES[f]).join(', ')}; the Accept header names none of them.`,
      });
    }
    const path = req.url.split('?')[0].replace(/\/$/, '');
    const page = req.query.page ?? 1;
    const pageSize = req.query.pageSize ?? PAGE_SIZE_DEFAULT;
    const a = await getCatalog(db, {
      format,
      page,
      pageSize,
      requestBase: `${req.protocol}://${req.host}${basePath(req.raw).slice(0, -1)}`,
      path,
    });
    if (!a.configured) {
      // A harvester must not take in a catalogue without publisher, licence and contact.
      return reply.status(409).send({
        error: 'Conflict',
        message:
          'The open-data catalogue is not configured yet: an administrator sets the publisher (municipality, official key, licence, contact) with PUT /api/settings/publisher or `kommunalmonitor settings publisher`.',
        problems: [
          {
            severity: 'error',
            code: 'catalog-not-configured',
            reason: 'no publisher settings',
            hint: 'kommunalmonitor settings publisher --name … --key … --licence dl-by-de/2.0 --contact-name … --contact-email …',
          },
        ],
      });
    }
    if (a.body === null) throw new NotFound(coded('catalogue-no-page', { page: page }));
    reply
      .type(`${a.mediaType}; charset=utf-8`)
      .header('Vary', 'Accept, Accept-Encoding')
      .header('Cache-Control', 'public, max-age=60');
    const encoding = a.body.length >= COMPRESS_FROM ? chooseEncoding(req.headers['accept-encoding']) : undefined;
    if (!encoding) return reply.send(a.body);
    return reply.header('Content-Encoding', encoding).send(await compressed(a.until, a.key, a.body, encoding));
  };

  app.get<Q>(
    '/catalog',
    {
      schema: {
        tags: ['open data'],
        summary: 'The open-data catalogue in DCAT-AP.de 2.0 (Turtle, RDF/XML or JSON-LD), paged for harvesters',
        description:
          'Every public indicator with data as a dcat:Dataset (distributions: CSV, XLSX, JSON-stat and GeoJSON per layer; the OGC API as a dcat:DataService). The serialisation follows the Accept header (text/turtle, application/rdf+xml, application/ld+json), the parameter format, or the suffixes /catalog.ttl, /catalog.rdf, /catalog.jsonld. Paging: a hydra:PagedCollection with hydra:next, hydra:totalItems and hydra:itemsPerPage, as CKAN’s DCAT harvester reads it. 409 with the problem code catalog-not-configured while the publisher settings are missing.',
        querystring,
        response: {
          200: {
            description: 'One page of the catalogue',
            content: Object.fromEntries(FORMATS.map((f) => [CATALOG_MEDIA_TYPES[f], { schema: { type: 'string' } }])),
          },
          400: ERROR,
          404: ERROR,
          406: ERROR,
          409: ERROR,
        },
      },
    },
    answer(),
  );
  for (const f of FORMATS)
    app.get<Q>(
      `/catalog.${f}`,
      {
        schema: {
          hide: true,
          querystring: {
            ...querystring,
            properties: { page: querystring.properties.page, pageSize: querystring.properties.pageSize },
          },
        },
      },
      answer(f),
    );

  app.get<Answering<'GET /api/settings/publisher'>>(
    '/api/settings/publisher',
    {
      schema: {
        tags: ['open data'],
        summary: 'The publisher settings of the open-data catalogue (administrators); null when not set',
        response: { 401: ERROR, 403: ERROR },
      },
    },
    async (req) => ({ publisher: await getPublisher(db, req.principal) }),
  );
  app.put<Taking<'PUT /api/settings/publisher'>>(
    '/api/settings/publisher',
    {
      schema: {
        tags: ['open data'],
        summary:
          'Set the publisher settings of the open-data catalogue (administrators): municipality, official key (AGS/ARS), licence, contact',
        body: PUBLISHER_BODY,
        response: { 400: ERROR, 401: ERROR, 403: ERROR },
      },
    },
    async (req) => ({ publisher: await setPublisher(db, req.principal, req.body) }),
  );
}
