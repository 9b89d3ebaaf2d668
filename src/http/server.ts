// The HTTP API: thin routes over the services, described by an OpenAPI 3 document.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Database } from '../store/db.ts';
import {
  InputRejected,
  NotFound,
  Conflict,
  Forbidden,
  TooManyRequests,
  Unauthorized,
  codedFields,
  formatProblem,
} from '../core/problems.ts';
import { coded } from '../contracts/codes/index.ts';
import { registerAuth, closeIfBody } from './auth.ts';
import { registerAccountRoutes } from './accounts.ts';
import { registerImportRoutes } from './imports.ts';
import { registerSpatialRoutes } from './spatial-routes.ts';
import { registerSealedRoutes } from './sealed-routes.ts';
import { registerFacilityRoutes } from './facility-routes.ts';
import { registerDisclosureRoutes } from './disclosure-routes.ts';
import { registerPlaceRoutes } from './place-routes.ts';
import { registerReportRoutes } from './report-routes.ts';
import { registerMeasureRoutes } from './measure-routes.ts';
import { registerForumRoutes, type ForumRouteOptions } from './forum-routes.ts';
import { registerOidcRoutes, type OidcOptions } from './oidc.ts';
import { getObservations, getTimeSeries, getAreaProfile } from '../services/query.ts';
import { listLayers, areasGeoJson, listIndicators, getIndicator } from '../services/catalogue-read.ts';
import { observationsToCsv, observationsToGenesis, observationsToXlsx } from '../services/export.ts';
import { observationsToJsonStat, timeSeriesToJsonStat } from '../formats/json-stat.ts';
import { landingPage } from './landing.ts';
import { indexPages } from './web-index.ts';
import { basePath } from './base-path.ts';
import { logError, newErrorId, redactQuoted } from './error-log.ts';
import { registerFaultRoutes } from './faults.ts';
import { registerAnswerCache, type AnswerCache } from './answer-cache.ts';
import { openReadScopes, registerReadFence } from './read-routing.ts';
import { KEY, LAYER_REF, ERROR_ANSWER, codedAnswer } from './schemas.ts';
import { getCockpit, saveCockpit } from '../services/cockpit.ts';
import {
  computeIndexFor,
  computeTypologyFor,
  saveIndex,
  indexSensitivity,
  storedIndex,
  saveTypology,
  compareTypologies,
} from '../services/analysis.ts';
import { INDEX_TEMPLATES } from '../core/stats/templates.ts';
import {
  crosswalkFor,
  crosswalkToCsv,
  congruenceFor,
  parseLayerRef,
  type PopulationSourceChoice,
} from '../services/spatial.ts';
import { sharedSchemaController } from './schema-compilers.ts';
import type { Answering, Taking, AnsweringOr } from './contract.ts';
import type { JsonStatDataset } from '../formats/json-stat.ts';

export interface ServerOptions {
  logger?: boolean;
  /** Maximum request body in bytes. */
  bodyLimit?: number;
  /** Directory of the built web app (web/dist); served at / with a fallback to index.html. */
  webRoot?: string;
  /** Behind a reverse proxy that terminates TLS: trust its X-Forwarded-* headers. */
  trustProxy?: boolean;
  /** Sign-in attempts allowed per client address in 10 minutes (default 20). */
  loginAttemptsPerAddress?: number;
  /** Optional sign-in through an OpenID Connect provider. */
  oidc?: OidcOptions;
  /** Routes that fail on purpose, for the tests that prove one failing request harms no other. */
  faultRoutes?: boolean;
  /** Where the request log goes (default standard output); tests read it. */
  logStream?: { write(line: string): void };
  /** Rate limits of the youth forum's public routes. */
  forum?: ForumRouteOptions;
  /** The comparison store of a multi-tenant installation and this municipality in it (absent: the comparison routes say it needs tenants). */
  comparison?: import('../services/comparison.ts').ComparisonContext;
  /** A prepared-answer cache shared with other apps of this process, and this app's scope in it (tenants). */
  answerCache?: { cache: AnswerCache; scope: string };
}

/** Bodies up to this size that exceed a route's limit are read to their end before the 413. */
const DRAIN_BEFORE_413_BYTES = 16 * 1024 * 1024;

/** Reads the rest of a request body without keeping it; ends after 10 s at most. */
function discardBody(req: FastifyRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(done, 10_000);
    req.raw.once('end', done).once('close', done).once('error', done);
    req.raw.resume();
  });
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
};

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Frame-Options': 'DENY',
};

/** A NUL character, literal or percent-encoded, anywhere in the request target. */
const NUL_IN_URL = /%00|\u0000/i;

/** PostgreSQL's data exceptions (SQLSTATE class 22): a value the database cannot store or compare. */
function isDataException(err: { code?: unknown }): boolean {
  return typeof err.code === 'string' && /^22[0-9A-Z]{3}$/.test(err.code);
}

/** The built web app of this checkout, if it has been built. */
export function defaultWebRoot(): string | undefined {
  const root = resolve('web', 'dist');
  return existsSync(join(root, 'index.html')) ? root : undefined;
}

const ERROR = ERROR_ANSWER;

const CODE = { type: 'string', minLength: 1, maxLength: 100 } as const;
const PERIOD = {
  type: 'string',
  maxLength: 40,
  description: 'A period: 2020-12-31, 31.12.2020, 2020, 2023/24, 2020-03, 2020-Q1',
} as const;
const FILTER_NOTE =
  'Further query parameters named after a dimension of the indicator filter by a breakdown member, e.g. `altersgruppe=unter6`.';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Links of a JSON-stat answer: origin-relative, because anonymous answers are kept by request
 * target alone (answer-cache.ts) and a Host header must not reach other callers; `updated` is
 * the time the answer was computed (docs/decisions/0024-json-stat.md).
 */
function jsonStatLinks(url: string, withCsv: boolean): { updated: string; self: string; csv?: string } {
  const u = new URL(url, 'http://localhost');
  const self = u.pathname + u.search;
  if (!withCsv) return { updated: new Date().toISOString(), self };
  u.searchParams.set('format', 'csv');
  return { updated: new Date().toISOString(), self, csv: u.pathname + u.search };
}

/** Query parameters that are not dimension filters. */
function filterFrom(query: Record<string, unknown>, known: string[]): Record<string, string> {
  const f: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    if (known.includes(k)) continue;
    if (typeof v !== 'string' || !/^[a-z][a-z0-9_]*$/.test(k)) {
      throw new InputRejected(
        [{ severity: 'error', code: 'bad-request', reason: `unknown or repeated query parameter "${k}"` }],
        `Unknown or repeated query parameter "${k}". Dimension filters are written as dimension=member, once each.`,
      );
    }
    f[k] = v;
  }
  return f;
}

export async function buildServer(db: Database, o: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: o.logger
      ? {
          level: 'info',
          redact: ['req.headers.authorization', 'req.headers.cookie'],
          ...(o.logStream ? { stream: o.logStream } : {}),
        }
      : false,
    bodyLimit: o.bodyLimit ?? 1024 * 1024,
    trustProxy: o.trustProxy ?? false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, allErrors: true } },
    schemaController: sharedSchemaController,
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Kommunalmonitor API',
        version: '0.1.0',
        description:
          'Spatial structure, indicator catalogue and observations of the integrated municipal statistics database. Every value carries its unit, reference date, source, base and status.',
      },
      servers: [{ url: '/' }],
      tags: [
        { name: 'spatial structure', description: 'Layers (Gliederungsebenen), boundary versions and areas' },
        { name: 'statistics', description: 'Indicators and observations' },
        { name: 'monitor', description: 'Cockpit configuration' },
        { name: 'access', description: 'Sign-in, users, departments, API tokens, audit trail' },
        { name: 'imports', description: 'Imports over HTTP (e.g. nightly jobs with an API token)' },
        {
          name: 'reports',
          description: 'Reports from standard blocks: templates, HTML/PDF/DOCX, review and frozen releases',
        },
        {
          name: 'measures',
          description:
            'Neighbourhood measures and projects (Maßnahmen) against need: registry, 360Giving, gaps, coverage',
        },
        {
          name: 'comparison',
          description:
            'Comparison between municipalities (Kommunalvergleich): standard indicators, time series, similar municipalities, rankings',
        },
        {
          name: 'youth forum',
          description:
            'Neighbourhood youth forum (Forum junges Stadtteilleben): topics, support codes, moderation, binding answers',
        },
      ],
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'km_session',
            description:
              'Session cookie from POST /api/auth/login; state-changing requests also need the header X-CSRF-Token',
          },
          token: { type: 'http', scheme: 'bearer', description: 'API token (kommunalmonitor tokens create)' },
        },
      },
    },
  });

  // Before anything reads a parameter: PostgreSQL cannot hold NUL in text, and no code or name has one.
  // Hooks on every request are written with callbacks: an async hook costs a promise per request.
  app.addHook('onRequest', (req, reply, done) => {
    if (!NUL_IN_URL.test(req.url)) return done();
    closeIfBody(req, reply)
      .status(400)
      .send(codedAnswer('Bad Request', coded('nul-in-request')));
  });
  openReadScopes(app, db);
  registerAuth(app, db);
  registerReadFence(app, db);
  registerAnswerCache(app, db, o.answerCache);

  app.addHook('onSend', (req, reply, payload, done) => {
    if (req.protocol === 'https') reply.header('Strict-Transport-Security', 'max-age=31536000');
    // Answers can depend on who asks: never let shared caches keep API answers.
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control'))
      reply.header('Cache-Control', 'private, no-store');
    reply.headers(SECURITY_HEADERS);
    // A report page (self-contained: inline styles, embedded fonts, inline SVG, no scripts) may be
    // shown in the monitor's reader view (/berichte) on the same origin.
    if (/^\/api\/reports\/[^/]+\/render(\?|$)/.test(req.url)) {
      reply.header(
        'Content-Security-Policy',
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'",
      );
      reply.header('X-Frame-Options', 'SAMEORIGIN');
    }
    done(null, payload);
  });

  app.setErrorHandler(
    (
      err: Error & { validation?: unknown; statusCode?: number; code?: string },
      req: FastifyRequest,
      reply: FastifyReply,
    ) => {
      if (err instanceof InputRejected) {
        return reply.status(400).send({
          error: 'Bad Request',
          message: err.problems
            .filter((p) => p.severity === 'error')
            .map(formatProblem)
            .join('\n'),
          problems: err.problems,
        });
      }
      if (err instanceof NotFound)
        return reply.status(404).send({ error: 'Not Found', message: err.message, ...codedFields(err) });
      if (err instanceof Unauthorized)
        return reply.status(401).send({ error: 'Unauthorized', message: err.message, ...codedFields(err) });
      if (err instanceof Forbidden)
        return reply.status(403).send({ error: 'Forbidden', message: err.message, ...codedFields(err) });
      if (err instanceof TooManyRequests)
        return reply
          .status(429)
          .header('Retry-After', String(err.retryAfterSeconds))
          .send({ error: 'Too Many Requests', message: err.message, ...codedFields(err) });
      if (err instanceof Conflict)
        return reply.status(409).send({ error: 'Conflict', message: err.message, ...codedFields(err) });
      if (err.validation) return reply.status(400).send({ error: 'Bad Request', message: err.message });
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
        const answer = { error: STATUS_TEXT[err.statusCode] ?? 'Bad Request', message: err.message };
        if (err.statusCode === 413) {
          // A modest declared overage is read and discarded first: a client still sending when the
          // connection closes sees a reset instead of the answer. Larger or unknown bodies are not
          // received at all; the connection closes.
          reply.header('Connection', 'close');
          const declared = Number(req.headers['content-length']);
          if (Number.isFinite(declared) && declared <= DRAIN_BEFORE_413_BYTES && !req.raw.complete) {
            return discardBody(req).then(() => reply.status(413).send(answer));
          }
        }
        return reply.status(err.statusCode).send(answer);
      }
      if (isDataException(err)) {
        return reply.status(400).send({
          error: 'Bad Request',
          message: `A value in the request cannot be stored or compared: ${redactQuoted(err.message)}`,
        });
      }
      const id = newErrorId();
      logError({ id, origin: 'request', method: req.method, route: req.routeOptions.url, error: err });
      return reply.status(500).send({ ...codedAnswer('Internal Server Error', coded('internal-error', { id })), id });
    },
  );
  const webRoot = o.webRoot;
  const indexPage = webRoot ? indexPages(webRoot) : undefined;
  // index.html names the app's mount point ("/" or "/t/{key}/"); it must always be revalidated.
  const sendIndex = async (req: FastifyRequest, reply: FastifyReply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .send(await indexPage!(basePath(req.raw)));
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    // The web app routes on the client: unknown non-API pages get its index.html.
    if (indexPage && req.method === 'GET' && !path.startsWith('/api/') && path !== '/api') return sendIndex(req, reply);
    return reply.status(404).send(codedAnswer('Not Found', coded('no-such-resource', { method: req.method, path })));
  });

  if (webRoot) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      // wildcard: new builds are served without a restart; unknown paths fall through to the
      // not-found handler, which answers client routes with index.html.
      wildcard: true,
      // index.html is written per mount point (web-index.ts), never sent as it lies on disk.
      index: false,
      // Hashed asset names can be cached for long; index.html must always be revalidated.
      cacheControl: false,
      setHeaders: (res, path) =>
        res.setHeader(
          'Cache-Control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        ),
    });
    app.get('/', { schema: { hide: true } }, sendIndex);
    app.get('/index.html', { schema: { hide: true } }, sendIndex);
  } else {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply.type('text/html; charset=utf-8').send(landingPage()),
    );
  }

  app.get(
    '/api/health',
    {
      schema: {
        tags: ['meta'],
        summary: 'Liveness and database engine',
        response: { 200: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } } } },
      },
    },
    async () => ({
      status: 'ok',
      database: db.kind,
    }),
  );

  // The document names the mount point it was asked under as its server ("/t/{key}/" with path routing).
  app.get('/api/openapi.json', { schema: { hide: true } }, async (req) => ({
    ...app.swagger(),
    servers: [{ url: basePath(req.raw) }],
  }));

  const CACHED = { cachedAnswer: true } as const;
  app.get<Answering<'GET /api/layers'>>(
    '/api/layers',
    {
      config: CACHED,
      schema: {
        tags: ['spatial structure'],
        summary: 'All layers with their boundary versions',
        querystring: { type: 'object', additionalProperties: false },
      },
    },
    async () => ({ layers: await listLayers(db) }),
  );

  app.get<
    {
      Params: { layer: string };
      Querystring: { at?: string; geometry?: boolean };
    } & Answering<'GET /api/layers/:layer/areas'>
  >(
    '/api/layers/:layer/areas',
    {
      config: CACHED,
      schema: {
        tags: ['spatial structure'],
        summary: 'The areas of a layer as GeoJSON (WGS84); each feature has code and name in its properties',
        params: { type: 'object', properties: { layer: KEY }, required: ['layer'] },
        querystring: {
          type: 'object',
          properties: {
            at: { ...PERIOD, description: 'Date whose boundary version to use (default: the current version)' },
            geometry: { type: 'boolean', default: true },
          },
          additionalProperties: false,
        },
        response: { 400: ERROR, 404: ERROR },
      },
    },
    async (req, reply) =>
      reply
        .type('application/geo+json')
        .send(await areasGeoJson(db, req.params.layer, req.query.at, req.query.geometry !== false)),
  );

  app.get<
    {
      Params: { layer: string; area: string };
      Querystring: { at?: string };
    } & Answering<'GET /api/layers/:layer/areas/:area/profile'>
  >(
    '/api/layers/:layer/areas/:area/profile',
    {
      config: CACHED,
      schema: {
        tags: ['statistics'],
        summary: 'Area profile: every indicator for one area with the city value, the parent value, rank and trend',
        params: { type: 'object', properties: { layer: KEY, area: CODE }, required: ['layer', 'area'] },
        querystring: { type: 'object', properties: { at: PERIOD }, additionalProperties: false },
        response: { 400: ERROR, 404: ERROR },
      },
    },
    async (req) =>
      getAreaProfile(db, { layer: req.params.layer, area: req.params.area, at: req.query.at }, req.principal),
  );

  app.get<{ Querystring: { theme?: string } } & Answering<'GET /api/indicators'>>(
    '/api/indicators',
    {
      config: CACHED,
      schema: {
        tags: ['statistics'],
        summary: 'The indicator catalogue with metadata and the periods that have data',
        querystring: {
          type: 'object',
          properties: { theme: { type: 'string', maxLength: 100 } },
          additionalProperties: false,
        },
      },
    },
    async (req) => ({ indicators: await listIndicators(db, req.principal, req.query.theme) }),
  );

  app.get<{ Params: { key: string } } & Answering<'GET /api/indicators/:key'>>(
    '/api/indicators/:key',
    {
      config: CACHED,
      schema: {
        tags: ['statistics'],
        summary: 'One indicator with its metadata, periods and breakdown members',
        params: { type: 'object', properties: { key: KEY }, required: ['key'] },
        response: { 400: ERROR, 404: ERROR },
      },
    },
    async (req) => getIndicator(db, req.params.key, req.principal),
  );

  app.get<
    { Querystring: Record<string, string> } & AnsweringOr<'GET /api/observations', string | Buffer | JsonStatDataset>
  >(
    '/api/observations',
    {
      config: CACHED,
      schema: {
        tags: ['statistics'],
        summary: 'Values of one indicator for every area of a layer, aggregated from finer areas where needed',
        description: `Counts are summed, ratios are Σnumerator/Σdenominator, means are weighted by their base. A value below the indicator's minimum base is null with status below_min_base. ${FILTER_NOTE} With format=csv the same table is returned as CSV (German conventions), with format=xlsx as an Excel workbook with a metadata sheet, with format=json-stat as a JSON-stat 2.0 dataset (application/json).`,
        querystring: {
          type: 'object',
          properties: {
            indicator: KEY,
            layer: KEY,
            period: PERIOD,
            at: {
              ...PERIOD,
              description: 'Evaluate on the boundary version valid on this date (default: the period’s reference date)',
            },
            format: {
              type: 'string',
              enum: ['json', 'csv', 'xlsx', 'json-stat', 'genesis'],
              description:
                'json-stat: a JSON-stat 2.0 dataset; genesis: a GENESIS flat file (ffcsv, classic German layout)',
            },
            lang: {
              type: 'string',
              enum: ['de', 'en'],
              description: 'language of CSV/XLSX headings, statuses and notes and of JSON-stat labels (default de)',
            },
          },
          required: ['indicator', 'layer'],
          additionalProperties: { type: 'string', maxLength: 100 },
        },
        response: { 400: ERROR, 404: ERROR },
      },
    },
    async (req, reply) => {
      const { indicator, layer, period, format, at } = req.query;
      const lang = req.query.lang === 'en' ? 'en' : 'de';
      const answer = await getObservations(
        db,
        {
          indicator,
          layer,
          period,
          at,
          filter: filterFrom(req.query, ['indicator', 'layer', 'period', 'format', 'at', 'lang']),
        },
        req.principal,
      );
      const fileName = `${answer.indicator.key}_${answer.layer.key}_${answer.period.key.replace(/\//g, '-')}`;
      if (format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="${fileName}.csv"`)
          .send(observationsToCsv(answer, { lang }));
      }
      if (format === 'genesis') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="${fileName}_flat.csv"`)
          .send(observationsToGenesis(answer));
      }
      if (format === 'xlsx') {
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('Content-Disposition', `attachment; filename="${fileName}.xlsx"`)
          .send(await observationsToXlsx(answer, { lang }));
      }
      if (format === 'json-stat')
        return reply.type(JSON_TYPE).send(observationsToJsonStat(answer, { lang, ...jsonStatLinks(req.url, true) }));
      return answer;
    },
  );

  app.get<
    { Querystring: Record<string, string> } & AnsweringOr<'GET /api/timeseries', string | Buffer | JsonStatDataset>
  >(
    '/api/timeseries',
    {
      config: CACHED,
      schema: {
        tags: ['statistics'],
        summary: 'Time series of one indicator for one area; boundary version changes are marked',
        description: `${FILTER_NOTE} With format=json-stat the series is returned as a JSON-stat 2.0 dataset (application/json).`,
        querystring: {
          type: 'object',
          properties: {
            indicator: KEY,
            layer: KEY,
            area: CODE,
            from: PERIOD,
            to: PERIOD,
            at: {
              ...PERIOD,
              description: 'Show every period on the boundary version valid on this date (reallocated estimates)',
            },
            format: { type: 'string', enum: ['json', 'json-stat'] },
            lang: {
              type: 'string',
              enum: ['de', 'en'],
              description: 'language of JSON-stat labels and notes (default de)',
            },
          },
          required: ['indicator', 'layer', 'area'],
          additionalProperties: { type: 'string', maxLength: 100 },
        },
        response: { 400: ERROR, 404: ERROR },
      },
    },
    async (req, reply) => {
      const { indicator, layer, area, from, to, at } = req.query;
      const series = await getTimeSeries(
        db,
        {
          indicator,
          layer,
          area,
          from,
          to,
          at,
          filter: filterFrom(req.query, ['indicator', 'layer', 'area', 'from', 'to', 'at', 'format', 'lang']),
        },
        req.principal,
      );
      if (req.query.format === 'json-stat')
        return reply.type(JSON_TYPE).send(
          timeSeriesToJsonStat(series, {
            lang: req.query.lang === 'en' ? 'en' : 'de',
            ...jsonStatLinks(req.url, false),
          }),
        );
      return series;
    },
  );

  registerAccountRoutes(app, db, { loginAttemptsPerAddress: o.loginAttemptsPerAddress });
  // Computations posted as a body that store nothing: with replicas they read from one.
  const READS_ONLY = { readsOnly: true } as const;
  registerOidcRoutes(app, db, o.oidc);
  app.post<{ Querystring: { period?: string } } & Taking<'POST /api/analysis/index'>>(
    '/api/analysis/index',
    {
      config: READS_ONLY,
      schema: {
        tags: ['analysis'],
        summary:
          'Compute a composite index from a definition (body); rows per area with score, class, label, excluded and contributions',
        querystring: { type: 'object', properties: { period: PERIOD }, additionalProperties: false },
        body: { type: 'object' },
        response: { 400: ERROR, 401: ERROR, 404: ERROR },
      },
    },
    async (req) => computeIndexFor(db, req.principal, req.body, { period: req.query.period }),
  );
  app.post<{ Querystring: { period?: string } } & Taking<'POST /api/analysis/index/save'>>(
    '/api/analysis/index/save',
    {
      schema: {
        tags: ['analysis'],
        summary:
          'Store an index definition (versioned) and its results as derived indicators <key>_wert and <key>_klasse',
        querystring: { type: 'object', properties: { period: PERIOD }, additionalProperties: false },
        body: { type: 'object' },
        response: { 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR },
      },
    },
    async (req) => saveIndex(db, req.principal, req.body, { period: req.query.period }),
  );
  app.post<
    {
      Querystring: { period?: string; runs?: number; epsilon?: number; seed?: number };
    } & Taking<'POST /api/analysis/index/sensitivity'>
  >(
    '/api/analysis/index/sensitivity',
    {
      config: READS_ONLY,
      schema: {
        tags: ['analysis'],
        summary: 'Robustness of an index: Monte-Carlo weight perturbation and leave-one-indicator-out per area',
        querystring: {
          type: 'object',
          properties: {
            period: PERIOD,
            runs: { type: 'integer', minimum: 1, maximum: 10000 },
            epsilon: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
            seed: { type: 'integer' },
          },
          additionalProperties: false,
        },
        body: { type: 'object' },
        response: { 400: ERROR, 401: ERROR, 404: ERROR },
      },
    },
    async (req) => indexSensitivity(db, req.principal, req.body, req.query),
  );
  // Population weights: from a finer layer's count indicator or from the address register's points.
  const POPULATION_QUERY = {
    populationSource: {
      type: 'string',
      enum: ['auto', 'finer-layer', 'addresses'],
      description:
        'population weights from a finer layer (count indicator), from address points (residents, else 1 per address), or auto (finer layer when the indicator has data)',
    },
    populationIndicator: KEY,
    registerAt: {
      type: 'string',
      maxLength: 40,
      description: 'address points: the register version valid on this date (default the newest)',
    },
  } as const;
  type PopulationQuery = {
    populationSource?: PopulationSourceChoice;
    populationIndicator?: string;
    registerAt?: string;
  };
  app.get<{
    Querystring: {
      from: string;
      to: string;
      weights?: 'area' | 'population';
      format?: 'json' | 'csv';
    } & PopulationQuery;
  }>(
    '/api/crosswalk',
    {
      schema: {
        tags: ['spatial structure'],
        summary: 'Crosswalk weights between two layers or boundary versions (share of each from-area in each to-area)',
        description:
          'With weights=population the answer names its source in `population` (finer-layer: indicator, layer, period; address-points: register version, points used, residents or one per address) and the from-areas that fell back to area weights. Weights from resident counts of the register need a signed-in caller.',
        querystring: {
          type: 'object',
          required: ['from', 'to'],
          properties: {
            from: LAYER_REF,
            to: LAYER_REF,
            weights: { type: 'string', enum: ['area', 'population'] },
            format: { type: 'string', enum: ['json', 'csv'] },
            ...POPULATION_QUERY,
          },
          additionalProperties: false,
        },
        response: { 400: ERROR, 401: ERROR, 404: ERROR },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const a = await crosswalkFor(db, req.principal, {
        from: parseLayerRef(q.from),
        to: parseLayerRef(q.to),
        weights: q.weights,
        populationSource: q.populationSource,
        populationIndicator: q.populationIndicator,
        registerAt: q.registerAt,
      });
      if (req.query.format === 'csv') return reply.type('text/csv; charset=utf-8').send(crosswalkToCsv(a));
      return a;
    },
  );
  app.get<
    {
      Querystring: { a: string; b: string; weights?: 'area' | 'population' } & PopulationQuery;
    } & Answering<'GET /api/congruence'>
  >(
    '/api/congruence',
    {
      schema: {
        tags: ['spatial structure'],
        summary:
          'Congruence of two layers: each area’s best counterpart with the shared share of population (or surface), and overall scores',
        querystring: {
          type: 'object',
          required: ['a', 'b'],
          properties: {
            a: LAYER_REF,
            b: LAYER_REF,
            weights: { type: 'string', enum: ['area', 'population'] },
            ...POPULATION_QUERY,
          },
          additionalProperties: false,
        },
        response: { 400: ERROR, 401: ERROR, 404: ERROR },
      },
    },
    async (req) => {
      const q = req.query;
      const r = await congruenceFor(
        db,
        req.principal,
        parseLayerRef(q.a),
        parseLayerRef(q.b),
        q.weights ?? 'population',
        { populationSource: q.populationSource, populationIndicator: q.populationIndicator, registerAt: q.registerAt },
      );
      return { a: r.from, b: r.to, basis: r.basis, population: r.population, congruence: r.congruence };
    },
  );
  app.post<Taking<'POST /api/analysis/typology/save'>>(
    '/api/analysis/typology/save',
    {
      schema: {
        tags: ['analysis'],
        summary: 'Store a typology as a derived categorical indicator <key>_typ',
        body: { type: 'object' },
        response: { 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR },
      },
    },
    async (req) => saveTypology(db, req.principal, req.body),
  );
  app.post<Taking<'POST /api/analysis/typology/compare'>>(
    '/api/analysis/typology/compare',
    {
      config: READS_ONLY,
      schema: {
        tags: ['analysis'],
        summary: 'Compare two typologies (cross table, adjusted Rand index) and integrate them into one',
        body: {
          type: 'object',
          required: ['a', 'b'],
          properties: { a: { type: 'object' }, b: { type: 'object' }, minSize: { type: 'integer', minimum: 1 } },
        },
        response: { 400: ERROR, 401: ERROR, 404: ERROR },
      },
    },
    async (req) => compareTypologies(db, req.principal, req.body.a, req.body.b, { minSize: req.body.minSize }),
  );
  app.get<Answering<'GET /api/analysis/templates'>>(
    '/api/analysis/templates',
    {
      schema: {
        tags: ['analysis'],
        summary: 'The index definitions shipped ready to use (status, dynamik, bildungsteilhabe)',
      },
    },
    async () => ({ templates: INDEX_TEMPLATES }),
  );
  app.get<{ Params: { key: string } } & Answering<'GET /api/analysis/indices/:key'>>(
    '/api/analysis/indices/:key',
    {
      schema: {
        tags: ['analysis'],
        summary: 'The latest stored version of a saved index definition',
        params: { type: 'object', properties: { key: KEY }, required: ['key'] },
        response: { 401: ERROR, 404: ERROR },
      },
    },
    async (req) => storedIndex(db, req.principal, req.params.key),
  );
  app.post<Taking<'POST /api/analysis/typology'>>(
    '/api/analysis/typology',
    {
      config: READS_ONLY,
      schema: {
        tags: ['analysis'],
        summary: 'Compute a typology (Ward or k-means) from a definition (body), with type profiles and diagnostics',
        body: { type: 'object' },
        response: { 400: ERROR, 401: ERROR, 404: ERROR },
      },
    },
    async (req) => computeTypologyFor(db, req.principal, req.body),
  );
  await registerImportRoutes(app, db);
  await registerSpatialRoutes(app, db);
  await registerSealedRoutes(app, db);
  if (o.faultRoutes) registerFaultRoutes(app);
  registerFacilityRoutes(app, db);
  registerDisclosureRoutes(app, db);
  registerPlaceRoutes(app, db);
  registerReportRoutes(app, db);
  registerMeasureRoutes(app, db);
  registerForumRoutes(app, db, o.forum);
  (await import('./comparison-routes.ts')).registerComparisonRoutes(app, o.comparison);
  (await import('./ogc-routes.ts')).registerOgcRoutes(app, db);
  (await import('./catalog-routes.ts')).registerCatalogRoutes(app, db);

  // The shape for the OpenAPI document; core's zod schema (core/cockpit.ts) checks each tile type exactly.
  const TILE = {
    type: 'object',
    required: ['id', 'type'],
    properties: {
      id: { type: 'string' },
      type: { type: 'string', enum: ['figure', 'map', 'gauge', 'measures'] },
      title: { type: 'string' },
      indicator: KEY,
      layer: KEY,
      area: CODE,
      period: PERIOD,
      filter: { type: 'object', additionalProperties: { type: 'string' } },
      thresholds: { type: 'object', properties: { amber: { type: 'number' }, red: { type: 'number' } } },
      field: { type: 'string', description: 'measures: a field of action (Handlungsfeld) of the vocabulary' },
      targetGroup: { type: 'string', description: 'measures: a target group (Zielgruppe) of the vocabulary' },
      need: { type: 'string', description: 'measures: an indicator of need classes, or priority:KEY (needs layer)' },
      classes: {
        type: 'array',
        items: { type: 'string' },
        description: 'measures: the need classes counting as high need (labels or numbers)',
      },
    },
  } as const;
  app.get<Answering<'GET /api/cockpit'>>(
    '/api/cockpit',
    {
      schema: {
        tags: ['monitor'],
        summary:
          'The cockpit: tiles of key figures, maps, warning gauges and measures against need (tiles the caller may read)',
      },
    },
    async (req) => getCockpit(db, req.principal),
  );
  app.put<Taking<'PUT /api/cockpit'>>(
    '/api/cockpit',
    {
      schema: {
        tags: ['monitor'],
        summary: 'Save the cockpit configuration (validated; references must exist)',
        body: { type: 'object', required: ['tiles'], properties: { tiles: { type: 'array', items: TILE } } },
        response: { 400: ERROR },
      },
    },
    async (req) => saveCockpit(db, req.body, req.principal),
  );

  return app;
}
