// Prepared answers for the public read routes. An answer is kept as the bytes that were sent,
// with its ETag and compressed forms, for as long as the read snapshot it was computed from is
// current (src/services/snapshot.ts: the next import batch ends it). A hit is served in the
// onRequest hook, before parsing and validation: no query, no serialisation, no allocation of
// the body, and If-None-Match gets a 304.
//
// Only answers to anonymous callers are kept: they contain public data only, and reads of
// restricted data by signed-in users must reach the services, which write them to the audit
// trail.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import type { Database } from '../store/db.ts';
import { currentSnapshot, snapshot, type Snapshot } from '../services/snapshot.ts';

interface Entry {
  key: string;
  snapshot: Snapshot;
  body: Buffer;
  etag: string;
  type: string;
  disposition?: string;
  gzip?: Buffer;
  br?: Buffer;
}

/** Below this size compression saves less than it costs. */
const COMPRESS_FROM = 1024;

export interface AnswerCacheOptions {
  /** Most bytes kept (bodies and their compressed forms). */
  maxBytes?: number;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Read routes whose anonymous answers are kept as prepared bytes. */
    cachedAnswer?: boolean;
  }
  interface FastifyRequest {
    /** The snapshot current when a cacheable request arrived (its answer is stored under it). */
    answerSnapshot?: Snapshot;
  }
}

export class AnswerCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private readonly maxBytes: number;
  hits = 0;
  misses = 0;

  constructor(o: AnswerCacheOptions = {}) {
    this.maxBytes = o.maxBytes ?? 256 * 1024 * 1024;
  }

  get(key: string, current: Snapshot): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.snapshot !== current) {
      this.remove(key, e);
      return undefined;
    }
    // Least recently used goes first: a hit moves its entry to the back (a Map keeps insertion order).
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  put(e: Entry): void {
    const old = this.entries.get(e.key);
    if (old) this.remove(e.key, old);
    if (e.body.length > this.maxBytes / 4) return;
    this.entries.set(e.key, e);
    this.bytes += e.body.length;
    this.evict();
  }

  private evict(): void {
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(k, v);
    }
  }

  compressed(e: Entry, encoding: 'br' | 'gzip'): Buffer {
    let out = encoding === 'br' ? e.br : e.gzip;
    if (!out) {
      // Brotli at a middle quality: most of the gain of 11 at a small part of its time.
      out =
        encoding === 'br'
          ? brotliCompressSync(e.body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } })
          : gzipSync(e.body, { level: 6 });
      if (encoding === 'br') e.br = out;
      else e.gzip = out;
      if (this.entries.get(e.key) === e) {
        this.bytes += out.length;
        this.evict();
      }
    }
    return out;
  }

  private remove(key: string, e: Entry): void {
    this.entries.delete(key);
    this.bytes -= e.body.length + (e.gzip?.length ?? 0) + (e.br?.length ?? 0);
  }
}

/** The encoding to answer in, from Accept-Encoding (q=0 refuses). */
export function chooseEncoding(header: string | undefined): 'br' | 'gzip' | undefined {
  if (!header) return undefined;
  let gzip = false;
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    if (name === 'br') return 'br';
    if (name === 'gzip') gzip = true;
  }
  return gzip ? 'gzip' : undefined;
}

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header === etag || header === '*' || header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * The key of an answer: the request target, and the day — "the current boundary version" and
 * other defaults depend on the date.
 */
let day = { until: 0, text: '' };
function keyOf(req: FastifyRequest, scope: string): string {
  const now = Date.now();
  if (now >= day.until) {
    const d = new Date(now);
    day = {
      until: new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime(),
      text: `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`,
    };
  }
  return `${scope}${day.text} ${req.url}`;
}

const CACHED_HEADERS = { 'Cache-Control': 'private, no-cache', Vary: 'Accept-Encoding, Authorization, Cookie' };

function send(cache: AnswerCache, req: FastifyRequest, reply: FastifyReply, e: Entry): FastifyReply {
  reply.headers(CACHED_HEADERS);
  reply.header('ETag', e.etag);
  if (etagMatches(req.headers['if-none-match'], e.etag)) return reply.status(304).send();
  reply.header('Content-Type', e.type);
  if (e.disposition) reply.header('Content-Disposition', e.disposition);
  const encoding = e.body.length >= COMPRESS_FROM ? chooseEncoding(req.headers['accept-encoding']) : undefined;
  if (encoding) return reply.header('Content-Encoding', encoding).send(cache.compressed(e, encoding));
  return reply.send(e.body);
}

/**
 * Serves the routes marked `config: { cachedAnswer: true }` from prepared bytes for anonymous
 * callers, and keeps their 200 answers. Register after the authentication hook. Apps that share
 * one cache (the tenants of one process: one memory budget for all) each pass their own scope,
 * which begins every key: two tenants' request targets can be the same (host routing).
 */
export function registerAnswerCache(
  app: FastifyInstance,
  db: Database,
  shared?: { cache: AnswerCache; scope: string },
): AnswerCache {
  const cache = shared?.cache ?? new AnswerCache();
  const scope = shared ? `${shared.scope}\u0000` : '';
  const lookUp = (req: FastifyRequest, reply: FastifyReply, current: Snapshot): boolean => {
    const e = cache.get(keyOf(req, scope), current);
    if (e) {
      cache.hits++;
      send(cache, req, reply, e);
      return true;
    }
    cache.misses++;
    req.answerSnapshot = current;
    return false;
  };
  // Callbacks, not async hooks: a hit needs no promise at all on the embedded engine.
  app.addHook('onRequest', (req, reply, done) => {
    if (
      reply.sent ||
      !req.routeOptions.config.cachedAnswer ||
      req.principal.kind !== 'anonymous' ||
      (req.method !== 'GET' && req.method !== 'HEAD')
    )
      return done();
    const known = currentSnapshot(db);
    if (known) {
      if (!lookUp(req, reply, known)) done();
      return;
    }
    snapshot(db).then((current) => (lookUp(req, reply, current) ? undefined : done()), done);
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    const s = req.answerSnapshot;
    if (!s || reply.statusCode !== 200 || reply.getHeader('content-encoding')) return done(null, payload);
    const body = typeof payload === 'string' ? Buffer.from(payload) : Buffer.isBuffer(payload) ? payload : undefined;
    if (!body) return done(null, payload);
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    const disposition = reply.getHeader('content-disposition');
    const e: Entry = {
      key: keyOf(req, scope),
      snapshot: s,
      body,
      etag,
      type: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
      disposition: disposition === undefined ? undefined : String(disposition),
    };
    cache.put(e);
    reply.headers(CACHED_HEADERS);
    reply.header('ETag', etag);
    const encoding = body.length >= COMPRESS_FROM ? chooseEncoding(req.headers['accept-encoding']) : undefined;
    if (encoding) {
      reply.header('Content-Encoding', encoding);
      return done(null, cache.compressed(e, encoding));
    }
    done(null, body);
  });
  return cache;
}
