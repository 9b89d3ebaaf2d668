// HTTP routes of the neighbourhood youth forum. Public (no account): forums, published topics,
// proposing a topic, supporting one with a code, the accountability view. Staff (signed in):
// record, moderate, merge, assign, answer, link, delete, meetings, code batches. Thin adapters
// over src/services/forum.ts.
//
// The public routes log nothing at info level (fastify's request lines carry the client
// address). Their rate limits are counted in the database, so that every server process on it
// counts alike (decision 0041): a counter per client and window, the client known only by an
// HMAC of its address with a secret that is not in the database — no address is ever written.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHmac, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../store/db.ts';
import { countForumRequest } from '../store/forum.ts';
import { TooManyRequests, Unauthorized } from '../core/problems.ts';
import {
  PLATFORMS,
  readAdhocracy,
  readConsulGraphql,
  readDecidimGraphql,
  type Platform,
} from '../formats/participation.ts';
import { importForumItems, mapSourceArea, sourceAreaMapping } from '../services/forum-import.ts';
import { AGE_BANDS, ANSWER_STATUSES, ATTACHMENT_MAX_BYTES, LINK_KINDS, RAISED_BY } from '../core/forum.ts';
import { refreshForumAtlasNow, setYoungPopulation, youngPopulation } from '../services/forum-atlas.ts';
import * as forum from '../services/forum.ts';
import { coded, type Coded } from '../contracts/codes/index.ts';
import type { Answering, Taking } from './contract.ts';

const ERROR = {
  type: 'object',
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    problems: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;
const ANY = { type: 'object', additionalProperties: true } as const;
const TEXT = { type: 'string', maxLength: 200 } as const;
const LONG = { type: 'string', maxLength: 4000 } as const;
const DATE = { type: 'string', maxLength: 10 } as const;
const FORUM_KEY = { type: 'string', pattern: '^[a-z][a-z0-9_-]{0,62}$' } as const;
const ID = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1, maximum: 2147483647 } },
  required: ['id'],
} as const;
const KEY_PARAM = { type: 'object', properties: { key: FORUM_KEY }, required: ['key'] } as const;
const TAGS = ['youth forum'];
const QUIET = { logLevel: 'warn' } as const;

/**
 * Requests per client in a fixed window, counted in the database (forum_rate_counter) by every
 * server process alike; the client is a keyed hash, never an address.
 */
class WindowLimiter {
  constructor(
    private readonly db: Queryable,
    private readonly scope: 'proposal' | 'support',
    private readonly max: number,
    private readonly windowSeconds: number,
    private readonly message: Coded,
  ) {}
  async check(clientKey: string): Promise<void> {
    const { hits, ageSeconds } = await countForumRequest(this.db, this.scope, clientKey, this.windowSeconds);
    if (hits > this.max)
      throw new TooManyRequests(this.message, Math.max(1, Math.ceil(this.windowSeconds - ageSeconds)));
  }
}

export interface ForumRouteOptions {
  /** Proposals per client in 10 minutes (default 5). */
  proposalsPerClient?: number;
  /** Supports per client in 10 minutes (default 60: a class at one school computer). */
  supportsPerClient?: number;
  /**
   * The key of the clients' hashes (at least 16 characters), the same for every server process
   * of one database: default KOMMUNALMONITOR_FORUM_SECRET. Without one, each process makes its
   * own at start, and its counts are its own.
   */
  rateLimitSecret?: string;
}

/** The key of the clients' hashes: the configured secret, or one made for this process only. */
function rateLimitKey(secret: string | undefined): Buffer {
  if (secret === undefined || secret === '') return randomBytes(32);
  if (secret.length < 16)
    throw new Error('KOMMUNALMONITOR_FORUM_SECRET (the youth forum’s rate-limit key) must have at least 16 characters');
  // Derived, so that the configured text itself is used for nothing else.
  return createHmac('sha256', secret).update('kommunalmonitor forum rate limit').digest();
}

export function registerForumRoutes(app: FastifyInstance, db: Database, o: ForumRouteOptions = {}): void {
  // The key is not in the database: whoever reads the counters cannot test addresses against them.
  const pepper = rateLimitKey(o.rateLimitSecret ?? process.env.KOMMUNALMONITOR_FORUM_SECRET);
  const client = (req: FastifyRequest) =>
    createHmac('sha256', pepper)
      .update(req.ip ?? '')
      .digest('base64url');
  // Counted on the primary (never a replica), as sign-in attempts are.
  const counters = db.readRouting?.primary ?? db;
  const proposals = new WindowLimiter(
    counters,
    'proposal',
    o.proposalsPerClient ?? 5,
    10 * 60,
    coded('too-many-proposals'),
  );
  const supports = new WindowLimiter(
    counters,
    'support',
    o.supportsPerClient ?? 60,
    10 * 60,
    coded('too-many-supports'),
  );

  // ---- public

  app.get<Answering<'GET /api/forum/forums'>>(
    '/api/forum/forums',
    { ...QUIET, schema: { tags: TAGS, summary: 'The youth forums with their areas and number of published topics' } },
    async () => ({ forums: await forum.listForums(db) }),
  );

  app.get<{ Querystring: { forum?: string; layer?: string; area?: string } } & Answering<'GET /api/forum/topics'>>(
    '/api/forum/topics',
    {
      ...QUIET,
      schema: {
        tags: TAGS,
        summary: 'Published topics (supports below 5 are given as null), newest first',
        querystring: {
          type: 'object',
          properties: { forum: FORUM_KEY, layer: TEXT, area: TEXT },
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { topics: { type: 'array', items: ANY } } },
          400: ERROR,
          404: ERROR,
        },
      },
    },
    async (req) => ({ topics: await forum.publicTopics(db, req.query) }),
  );

  app.get<{ Params: { id: number } }>(
    '/api/forum/topics/:id',
    {
      ...QUIET,
      schema: {
        tags: TAGS,
        summary: 'One published topic with every answer given',
        params: ID,
        response: { 200: ANY, 400: ERROR, 404: ERROR },
      },
    },
    async (req) => forum.publicTopic(db, req.params.id),
  );

  app.post<Taking<'POST /api/forum/topics'>>(
    '/api/forum/topics',
    {
      ...QUIET,
      bodyLimit: 16 * 1024,
      schema: {
        tags: TAGS,
        summary:
          'Propose a topic (no account): it waits for moderation. No name, e-mail address or phone number: text with an e-mail address or phone number is refused.',
        body: {
          type: 'object',
          required: ['forum', 'title'],
          properties: { forum: FORUM_KEY, title: TEXT, description: LONG, area: TEXT, field: TEXT },
          additionalProperties: false,
        },
        response: { 201: ANY, 400: ERROR, 404: ERROR, 429: ERROR },
      },
    },
    async (req, reply) => {
      await proposals.check(client(req));
      const r = await forum.proposeTopic(db, req.body);
      return reply.status(201).send(r);
    },
  );

  app.post<{ Params: { id: number } } & Taking<'POST /api/forum/topics/:id/support'>>(
    '/api/forum/topics/:id/support',
    {
      ...QUIET,
      bodyLimit: 4 * 1024,
      schema: {
        tags: TAGS,
        summary: 'Support a topic with a one-time code (once per code and topic; a second time answers 409)',
        params: ID,
        body: {
          type: 'object',
          required: ['code'],
          properties: {
            code: { type: 'string', maxLength: 40 },
            ageBand: { type: ['string', 'null'], enum: [...AGE_BANDS, null] },
          },
          additionalProperties: false,
        },
        response: { 200: ANY, 400: ERROR, 404: ERROR, 409: ERROR, 429: ERROR },
      },
    },
    async (req) => {
      await supports.check(client(req));
      return forum.supportTopic(db, { topic: req.params.id, code: req.body.code, ageBand: req.body.ageBand ?? null });
    },
  );

  app.get<Answering<'GET /api/forum/accountability'>>(
    '/api/forum/accountability',
    {
      ...QUIET,
      schema: { tags: TAGS, summary: 'Share of topics answered within three months, per department and per area' },
    },
    async () => forum.accountabilityView(db),
  );

  app.get<{ Params: { key: string } } & Answering<'GET /api/forum/forums/:key/meetings'>>(
    '/api/forum/forums/:key/meetings',
    {
      ...QUIET,
      schema: {
        tags: TAGS,
        summary: 'Meetings of a forum (publicly, counts below 5 are null)',
        params: KEY_PARAM,
        response: { 200: ANY, 400: ERROR, 404: ERROR },
      },
    },
    async (req) => ({ meetings: await forum.forumMeetings(db, req.principal, req.params.key) }),
  );

  // ---- staff

  app.post<{ Body: forum.ForumInput }>(
    '/api/forum/forums',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a forum for an area, run by a department',
        body: {
          type: 'object',
          required: ['key', 'name', 'layer', 'area', 'department'],
          properties: { key: FORUM_KEY, name: TEXT, layer: TEXT, area: TEXT, department: TEXT },
          additionalProperties: false,
        },
        response: { 201: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 409: ERROR },
      },
    },
    async (req, reply) => reply.status(201).send(await forum.createForum(db, req.principal, req.body)),
  );

  app.get<
    {
      Querystring: { forum?: string; department?: string; moderation?: string };
    } & Answering<'GET /api/forum/staff/topics'>
  >(
    '/api/forum/staff/topics',
    {
      schema: {
        tags: TAGS,
        summary: 'Topics with internal fields (signed in); pending and rejected ones for the forum’s moderators only',
        querystring: {
          type: 'object',
          properties: { forum: FORUM_KEY, department: TEXT, moderation: TEXT },
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { topics: { type: 'array', items: ANY } } },
          400: ERROR,
          401: ERROR,
          404: ERROR,
        },
      },
    },
    async (req) => ({ topics: await forum.staffTopics(db, req.principal, req.query) }),
  );

  app.get<{ Params: { id: number } }>(
    '/api/forum/staff/topics/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One topic with internal fields and every answer',
        params: ID,
        response: { 200: ANY, 400: ERROR, 401: ERROR, 404: ERROR },
      },
    },
    async (req) => forum.staffTopic(db, req.principal, req.params.id),
  );

  app.get<{ Querystring: { forum?: string } }>(
    '/api/forum/queue',
    {
      schema: {
        tags: TAGS,
        summary: 'The moderation queue',
        querystring: { type: 'object', properties: { forum: FORUM_KEY }, additionalProperties: false },
        response: { 200: ANY, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req) => ({ topics: await forum.moderationQueue(db, req.principal, req.query.forum) }),
  );

  app.post<Taking<'POST /api/forum/staff/topics'>>(
    '/api/forum/staff/topics',
    {
      schema: {
        tags: TAGS,
        summary: 'Record a topic raised offline (published at once)',
        body: {
          type: 'object',
          required: ['forum', 'title', 'raisedBy', 'raisedOn'],
          properties: {
            forum: FORUM_KEY,
            title: TEXT,
            description: LONG,
            area: TEXT,
            point: {
              type: 'object',
              required: ['x', 'y'],
              properties: {
                x: { type: 'number', minimum: -180, maximum: 180 },
                y: { type: 'number', minimum: -90, maximum: 90 },
              },
              additionalProperties: false,
            },
            field: TEXT,
            raisedBy: { type: 'string', enum: [...RAISED_BY] },
            raisedByLabel: TEXT,
            raisedOn: DATE,
            department: TEXT,
            due: DATE,
            attachments: {
              type: 'array',
              maxItems: 20,
              items: {
                type: 'object',
                required: ['url'],
                properties: { title: TEXT, url: { type: 'string', maxLength: 2000 } },
                additionalProperties: false,
              },
            },
          },
          additionalProperties: false,
        },
        response: { 201: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req, reply) => reply.status(201).send(await forum.recordTopic(db, req.principal, req.body)),
  );

  app.post<{ Params: { id: number } } & Taking<'POST /api/forum/topics/:id/moderate'>>(
    '/api/forum/topics/:id/moderate',
    {
      schema: {
        tags: TAGS,
        summary: 'Publish or reject a proposed topic (optionally with corrections, a department and a due date)',
        params: ID,
        body: {
          type: 'object',
          required: ['decision'],
          properties: {
            decision: { type: 'string', enum: ['publish', 'reject'] },
            note: LONG,
            title: TEXT,
            description: LONG,
            department: TEXT,
            due: DATE,
          },
          additionalProperties: false,
        },
        response: { 200: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR },
      },
    },
    async (req) => forum.moderateTopic(db, req.principal, req.params.id, req.body),
  );

  app.post<{ Params: { id: number } } & Taking<'POST /api/forum/topics/:id/merge'>>(
    '/api/forum/topics/:id/merge',
    {
      schema: {
        tags: TAGS,
        summary: 'Merge a duplicate into another topic (supports move; a code counts once)',
        params: ID,
        body: {
          type: 'object',
          required: ['into'],
          properties: { into: { type: 'integer', minimum: 1, maximum: 2147483647 } },
          additionalProperties: false,
        },
        response: { 200: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR },
      },
    },
    async (req) => forum.mergeTopics(db, req.principal, req.params.id, req.body.into),
  );

  app.post<{ Params: { id: number } } & Taking<'POST /api/forum/topics/:id/assign'>>(
    '/api/forum/topics/:id/assign',
    {
      schema: {
        tags: TAGS,
        summary: 'Assign a topic to the responsible department',
        params: ID,
        body: {
          type: 'object',
          required: ['department'],
          properties: { department: TEXT, due: DATE },
          additionalProperties: false,
        },
        response: { 200: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req) => forum.assignTopic(db, req.principal, req.params.id, req.body.department, req.body.due),
  );

  app.post<{ Params: { id: number } } & Taking<'POST /api/forum/topics/:id/answer'>>(
    '/api/forum/topics/:id/answer',
    {
      schema: {
        tags: TAGS,
        summary:
          'The binding answer of the responsible department: in_pruefung (with a new due date), wird_umgesetzt, umgesetzt, abgelehnt (with reasons)',
        params: ID,
        body: {
          type: 'object',
          required: ['status', 'text'],
          properties: { status: { type: 'string', enum: [...ANSWER_STATUSES] }, text: LONG, reasons: LONG, due: DATE },
          additionalProperties: false,
        },
        response: { 200: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR },
      },
    },
    async (req) => forum.answerTopic(db, req.principal, req.params.id, req.body),
  );

  app.put<{ Params: { id: number } } & Taking<'PUT /api/forum/topics/:id/links'>>(
    '/api/forum/topics/:id/links',
    {
      schema: {
        tags: TAGS,
        summary:
          'Links of a topic to measures, indicators and reports — a report link may name one block by its key (replaces the list)',
        params: ID,
        body: {
          type: 'object',
          required: ['links'],
          properties: {
            links: {
              type: 'array',
              maxItems: 50,
              items: {
                type: 'object',
                required: ['kind', 'ref'],
                properties: { kind: { type: 'string', enum: [...LINK_KINDS] }, ref: TEXT, block: TEXT },
                additionalProperties: false,
              },
            },
          },
          additionalProperties: false,
        },
        response: { 200: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req) => forum.linkTopic(db, req.principal, req.params.id, req.body.links),
  );

  app.put<{ Params: { id: number } } & Taking<'PUT /api/forum/topics/:id/point'>>(
    '/api/forum/topics/:id/point',
    {
      schema: {
        tags: TAGS,
        summary:
          'Set, move or remove the point of a topic (WGS84 longitude x, latitude y); it must lie inside the topic’s area',
        params: ID,
        body: {
          type: 'object',
          required: ['point'],
          properties: {
            point: {
              anyOf: [
                { type: 'null' },
                {
                  type: 'object',
                  required: ['x', 'y'],
                  properties: {
                    x: { type: 'number', minimum: -180, maximum: 180 },
                    y: { type: 'number', minimum: -90, maximum: 90 },
                  },
                  additionalProperties: false,
                },
              ],
            },
          },
          additionalProperties: false,
        },
        response: { 200: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req) => forum.placeTopic(db, req.principal, req.params.id, req.body.point),
  );

  app.delete<{ Params: { id: number } }>(
    '/api/forum/topics/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a topic on request, with its supports and answers',
        params: ID,
        response: { 204: { type: 'null' }, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req, reply) => {
      await forum.deleteTopic(db, req.principal, req.params.id);
      return reply.status(204).send();
    },
  );

  app.post<{ Params: { key: string } } & Taking<'POST /api/forum/forums/:key/meetings'>>(
    '/api/forum/forums/:key/meetings',
    {
      schema: {
        tags: TAGS,
        summary: 'Record a meeting (date, place, participants, participants per age band)',
        params: KEY_PARAM,
        body: {
          type: 'object',
          required: ['heldOn', 'participants'],
          properties: {
            heldOn: DATE,
            place: TEXT,
            participants: { type: 'integer', minimum: 0, maximum: 100000 },
            ageBands: { type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: 100000 } },
            note: LONG,
          },
          additionalProperties: false,
        },
        response: { 201: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await forum.recordMeeting(db, req.principal, req.params.key, req.body)),
  );

  app.post<{ Params: { key: string } } & Taking<'POST /api/forum/forums/:key/codes'>>(
    '/api/forum/forums/:key/codes',
    {
      schema: {
        tags: TAGS,
        summary:
          'Make a batch of one-time support codes; the codes are in this answer only (only their hashes are stored)',
        params: KEY_PARAM,
        body: {
          type: 'object',
          required: ['count'],
          properties: { count: { type: 'integer', minimum: 1, maximum: 10000 }, label: TEXT },
          additionalProperties: false,
        },
        response: { 201: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await forum.generateCodes(db, req.principal, req.params.key, req.body.count, req.body.label ?? '')),
  );

  app.get<{ Params: { key: string } }>(
    '/api/forum/forums/:key/codes',
    {
      schema: {
        tags: TAGS,
        summary: 'The code batches of a forum: size, used, revoked',
        params: KEY_PARAM,
        response: { 200: ANY, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req) => ({ batches: await forum.codeBatches(db, req.principal, req.params.key) }),
  );

  app.post<{ Params: { key: string; batch: number } }>(
    '/api/forum/forums/:key/codes/:batch/revoke',
    {
      schema: {
        tags: TAGS,
        summary: 'Revoke a code batch (lost or copied): its codes no longer support',
        params: {
          type: 'object',
          properties: { key: FORUM_KEY, batch: { type: 'integer', minimum: 1, maximum: 2147483647 } },
          required: ['key', 'batch'],
        },
        response: { 204: { type: 'null' }, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req, reply) => {
      await forum.revokeCodes(db, req.principal, req.params.key, req.params.batch);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/forum/source-areas',
    {
      schema: {
        tags: TAGS,
        summary: 'The mapping of platforms’ scopes, geozones and districts to our forums and areas',
      },
    },
    async (req) => {
      if (req.principal.kind === 'anonymous') throw new Unauthorized();
      return { mapping: await sourceAreaMapping(db) };
    },
  );

  app.post<{ Body: { platform: string; sourceArea: string; forum: string; area?: string } }>(
    '/api/forum/source-areas',
    {
      schema: {
        tags: TAGS,
        summary: 'Map a platform’s scope, geozone or district (id or name) to one of our forums and areas',
        body: {
          type: 'object',
          required: ['platform', 'sourceArea', 'forum'],
          properties: {
            platform: { type: 'string', enum: [...PLATFORMS] },
            sourceArea: TEXT,
            forum: FORUM_KEY,
            area: TEXT,
          },
          additionalProperties: false,
        },
        response: { 204: { type: 'null' }, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req, reply) => {
      await mapSourceArea(db, req.principal, req.body);
      return reply.status(204).send();
    },
  );

  app.post<{
    Querystring: { platform: Platform; baseUrl?: string; district?: string; forum?: string; dryRun?: boolean };
    Body: unknown;
  }>(
    '/api/forum/import',
    {
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags: TAGS,
        summary:
          'Import topics from a platform’s API answer (JSON body: Decidim or CONSUL GraphQL, adhocracy+ REST); re-import refreshes',
        querystring: {
          type: 'object',
          required: ['platform'],
          properties: {
            platform: { type: 'string', enum: [...PLATFORMS] },
            baseUrl: { type: 'string', maxLength: 500 },
            district: TEXT,
            forum: FORUM_KEY,
            dryRun: { type: 'boolean' },
          },
          additionalProperties: false,
        },
        response: { 200: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req) => {
      if (req.principal.kind === 'anonymous') throw new Unauthorized();
      const q = req.query;
      const doc = req.body as Parameters<typeof readDecidimGraphql>[0];
      const r =
        q.platform === 'decidim'
          ? readDecidimGraphql(doc, q.baseUrl)
          : q.platform === 'consul'
            ? readConsulGraphql(doc, q.baseUrl)
            : readAdhocracy(doc, { baseUrl: q.baseUrl, district: q.district });
      return importForumItems(db, req.principal, r.items, r.problems, { ...q, displayName: 'request body' });
    },
  );

  // ---- photos of posters

  app.get<{ Params: { id: number } }>(
    '/api/forum/attachments/:id',
    {
      ...QUIET,
      schema: {
        tags: TAGS,
        summary: 'A photo of a topic (public once approved by a moderator; metadata was stripped on upload)',
        params: ID,
        response: { 400: ERROR, 404: ERROR },
      },
    },
    async (req, reply) => {
      const f = await forum.attachmentFile(db, req.principal, req.params.id);
      return reply
        .type(f.contentType)
        .header('X-Content-Type-Options', 'nosniff')
        .header('Content-Disposition', 'inline')
        .header('Cache-Control', f.public ? 'public, max-age=300' : 'private, no-store')
        .header('ETag', `"${f.sha256}"`)
        .send(Buffer.from(f.bytes));
    },
  );

  // The upload takes the raw bytes of the photo as its body; its type is decided by the bytes.
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      ['image/jpeg', 'image/png', 'application/octet-stream'],
      { parseAs: 'buffer', bodyLimit: ATTACHMENT_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );
    scope.post<{ Params: { id: number }; Querystring: { title?: string }; Body: Buffer }>(
      '/api/forum/staff/topics/:id/attachments',
      {
        bodyLimit: ATTACHMENT_MAX_BYTES,
        schema: {
          tags: TAGS,
          summary:
            'Upload a photo (of a poster) for a topic: the JPEG or PNG bytes as the body, at most 5 MB; EXIF, XMP, IPTC and PNG text chunks are removed before storing; shown publicly after approval',
          params: ID,
          querystring: { type: 'object', properties: { title: TEXT }, additionalProperties: false },
          response: { 201: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 413: ERROR, 415: ERROR },
        },
      },
      async (req, reply) => {
        if (req.principal.kind === 'anonymous') throw new Unauthorized();
        return reply
          .status(201)
          .send(
            await forum.addAttachment(db, req.principal, req.params.id, { title: req.query.title, bytes: req.body }),
          );
      },
    );
  });

  app.post<{ Params: { id: number } } & Taking<'POST /api/forum/attachments/:id/approve'>>(
    '/api/forum/attachments/:id/approve',
    {
      schema: {
        tags: TAGS,
        summary: 'Show a photo publicly (approved: true) or take it back (false)',
        params: ID,
        body: {
          type: 'object',
          required: ['approved'],
          properties: { approved: { type: 'boolean' } },
          additionalProperties: false,
        },
        response: { 200: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req) => forum.approveAttachment(db, req.principal, req.params.id, req.body.approved),
  );

  app.delete<{ Params: { id: number } }>(
    '/api/forum/attachments/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a photo',
        params: ID,
        response: { 204: { type: 'null' }, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req, reply) => {
      await forum.deleteAttachment(db, req.principal, req.params.id);
      return reply.status(204).send();
    },
  );

  // ---- the forum in the atlas

  app.get(
    '/api/forum/atlas/population',
    { schema: { tags: TAGS, summary: 'Which population counts as young for the topics per 1,000 young residents' } },
    async () => youngPopulation(db),
  );

  app.put<{ Body: { indicator: string; filter?: Record<string, string> } }>(
    '/api/forum/atlas/population',
    {
      schema: {
        tags: TAGS,
        summary: 'Choose the population that counts as young (administrators); the rate is recomputed',
        body: {
          type: 'object',
          required: ['indicator'],
          properties: {
            indicator: TEXT,
            filter: { type: 'object', additionalProperties: { type: 'string', maxLength: 200 } },
          },
          additionalProperties: false,
        },
        response: { 200: ANY, 400: ERROR, 401: ERROR, 403: ERROR },
      },
    },
    async (req) => setYoungPopulation(db, req.principal, req.body),
  );

  app.post(
    '/api/forum/atlas/refresh',
    {
      schema: {
        tags: TAGS,
        summary: 'Recompute the topics per area (after a population import, say; administrators)',
        response: { 200: ANY, 401: ERROR, 403: ERROR },
      },
    },
    async (req) => refreshForumAtlasNow(db, req.principal),
  );

  app.get<Answering<'GET /api/forum/tile'>>(
    '/api/forum/tile',
    { schema: { tags: TAGS, summary: 'Open and overdue topics (the cockpit tile)' } },
    async () => forum.forumTile(db),
  );
}
