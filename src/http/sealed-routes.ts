// HTTP routes of the sealed statistics office (issue 14): store a definition, then run it over a
// records file sent as the raw body. The records are held in memory for the request (never on
// disk, zeroed afterwards, src/http/uploads.ts); everybody but the sealed office gets 403 before
// a byte of the body is read. The answer (with the unmatched addresses) goes to the caller only:
// POST answers are never cached, and nothing of it is logged. A client that asks for
// `Accept: application/x-ndjson` gets progress while the records are counted (one JSON object a
// line: counts of rows and bytes only, never a value of a record), then the answer as the last
// line; everybody else gets the plain JSON answer as before.
import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../store/db.ts';
import {
  Conflict,
  Forbidden,
  InputRejected,
  NotFound,
  Unauthorized,
  codedFields,
  formatProblem,
} from '../core/problems.ts';
import { coded, type ParamValue } from '../contracts/codes/index.ts';
import { logError, newErrorId } from './error-log.ts';
import { requireSealedOffice } from '../core/access.ts';
import {
  runSealed,
  saveSealedDefinition,
  sealedDefinitionList,
  storedSealedDefinition,
  validated,
} from '../services/sealed-run.ts';
import { MiB, uploadScope, withUploadedBytes } from './uploads.ts';
import { KEY, ERROR_ANSWER, codedAnswer } from './schemas.ts';
import type { Answering, Taking } from './contract.ts';

const FILE = {
  type: 'string',
  minLength: 3,
  maxLength: 200,
  pattern: '^[^/\\\\]+\\.[A-Za-z0-9]+$',
  description: 'Original file name; its extension tells the format (.csv, .xlsx)',
} as const;
// Personal records: at most 512 MiB, in memory only.
const SEALED_UPLOAD = { gate: 'sealed-office', maxBytes: 512 * MiB } as const;
const TABLES = ['.csv', '.txt', '.tsv', '.xlsx'];
const ERROR = ERROR_ANSWER;
const sealedOnly = async (req: FastifyRequest) => requireSealedOffice(req.principal);
/** Progress events at most this often (the run reports every row). */
const PROGRESS_EVERY_MS = 200;

/** Whether the client asked for the progress stream (NDJSON) instead of the plain answer. */
function wantsProgress(req: FastifyRequest): boolean {
  return /\bapplication\/x-ndjson\b/i.test(String(req.headers.accept ?? ''));
}

/**
 * The answer to an error once the stream has started (the status line is sent by then): the same
 * status and body the server's error handler gives, as the stream's last event. Problems of a
 * records file carry no values (sealed-run.ts drops them); unexpected errors are logged by id only.
 */
function errorEvent(
  req: FastifyRequest,
  err: unknown,
): {
  type: 'error';
  status: number;
  error: string;
  message: string;
  code?: string;
  params?: Record<string, ParamValue>;
  problems?: unknown[];
  id?: string;
} {
  if (err instanceof InputRejected)
    return {
      type: 'error',
      status: 400,
      error: 'Bad Request',
      message: err.problems
        .filter((p) => p.severity === 'error')
        .map(formatProblem)
        .join('\n'),
      problems: err.problems,
    };
  if (err instanceof NotFound)
    return { type: 'error', status: 404, error: 'Not Found', message: err.message, ...codedFields(err) };
  if (err instanceof Unauthorized)
    return { type: 'error', status: 401, error: 'Unauthorized', message: err.message, ...codedFields(err) };
  if (err instanceof Forbidden)
    return { type: 'error', status: 403, error: 'Forbidden', message: err.message, ...codedFields(err) };
  if (err instanceof Conflict)
    return { type: 'error', status: 409, error: 'Conflict', message: err.message, ...codedFields(err) };
  const id = newErrorId();
  logError({ id, origin: 'request', method: req.method, route: req.routeOptions.url, error: err as Error });
  return { type: 'error', status: 500, ...codedAnswer('Internal Server Error', coded('internal-error', { id })), id };
}

/**
 * Starts the NDJSON answer once the upload is in memory (problems of the upload itself — size,
 * file name — keep their HTTP status). Events: `{"type":"progress","phase":"counting","rows",
 * "bytesRead","totalBytes"}`, then `{"type":"result","status":200|422,"result":{…}}` (the answer of
 * the JSON route) or `{"type":"error","status",…}`.
 */
class ProgressStream {
  private out: PassThrough | null = null;
  private last = 0;
  private latest: { rows: number; bytesRead: number; totalBytes: number } | null = null;
  private sent: { rows: number; bytesRead: number; totalBytes: number } | null = null;
  constructor(private readonly reply: FastifyReply) {}
  get started(): boolean {
    return this.out !== null;
  }
  start(): void {
    if (this.out) return;
    this.out = new PassThrough();
    this.reply
      .header('Cache-Control', 'no-store')
      .header('X-Accel-Buffering', 'no')
      .type('application/x-ndjson; charset=utf-8');
    void this.reply.send(this.out);
  }
  event(e: object): void {
    this.out?.write(`${JSON.stringify(e)}\n`);
  }
  progress(p: { rows: number; bytesRead: number; totalBytes: number }, force = false): void {
    this.latest = p;
    const now = Date.now();
    if (!force && now - this.last < PROGRESS_EVERY_MS) return;
    this.last = now;
    this.sent = p;
    this.event({ type: 'progress', phase: 'counting', rows: p.rows, bytesRead: p.bytesRead, totalBytes: p.totalBytes });
  }
  /** The last counted state, if the throttle held it back: the display ends on the real total, however fast the count was. */
  flush(): void {
    if (this.latest && this.latest !== this.sent) this.progress(this.latest, true);
  }
  end(): void {
    this.out?.end();
  }
}

export async function registerSealedRoutes(app: FastifyInstance, db: Database): Promise<void> {
  await uploadScope(app, (scope) => {
    scope.post<{
      Querystring: {
        file: string;
        definition: string;
        dryRun?: boolean;
        maxUnassignedShare?: number;
        delimiter?: string;
        encoding?: 'utf-8' | 'windows-1252' | 'auto';
        sheet?: string;
      };
    }>(
      '/api/sealed/run',
      {
        config: { upload: SEALED_UPLOAD },
        schema: {
          tags: ['sealed office'],
          summary:
            'Run a stored sealed definition over a records file (CSV or XLSX as the raw body): records → counts per area and breakdown, stored as one import batch; nothing of a record is stored',
          description:
            'The sealed statistics office only (403 for everybody else, before the body is read). `definition` names a definition stored with PUT /api/sealed/definitions/{key}. With `dryRun=true` nothing is stored. A run whose unassignable share exceeds `maxUnassignedShare` (or the definition’s) stores nothing and answers 422 with the full answer. The answer lists the unmatched addresses (at most 10,000) for the caller’s eyes only. With `Accept: application/x-ndjson` the answer (status 200 once the upload is in memory) is a stream of JSON lines: progress events `{"type":"progress","phase":"counting","rows","bytesRead","totalBytes"}` (counts only), then `{"type":"result","status":200|422,"result":…}` or `{"type":"error","status":…,"message":…}`.',
          querystring: {
            type: 'object',
            required: ['file', 'definition'],
            properties: {
              file: FILE,
              definition: KEY,
              dryRun: { type: 'boolean' },
              maxUnassignedShare: { type: 'number', minimum: 0, maximum: 1 },
              delimiter: { type: 'string', maxLength: 1 },
              encoding: { type: 'string', enum: ['utf-8', 'windows-1252', 'auto'] },
              sheet: { type: 'string', maxLength: 100 },
            },
            additionalProperties: false,
          },
          response: { 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR },
        },
      },
      async (req, reply) => {
        const q = req.query;
        // The definition first: a missing one is refused before the records are read.
        const stored = await storedSealedDefinition(db, req.principal, q.definition);
        const options = {
          principal: req.principal,
          displayName: q.file,
          dryRun: !!q.dryRun,
          maxUnassignedShare: q.maxUnassignedShare,
          delimiter: q.delimiter,
          encoding: q.encoding,
          sheet: q.sheet,
        };
        if (!wantsProgress(req)) {
          const r = await withUploadedBytes(req, q.file, TABLES, (upload) =>
            runSealed(db, upload, stored.definition, options),
          );
          reply.header('Cache-Control', 'no-store');
          return reply.status(r.refused ? 422 : 200).send(r);
        }
        const stream = new ProgressStream(reply);
        try {
          const r = await withUploadedBytes(req, q.file, TABLES, (upload) => {
            stream.start();
            stream.progress({ rows: 0, bytesRead: 0, totalBytes: upload.bytes.length }, true);
            return runSealed(db, upload, stored.definition, { ...options, onProgress: (p) => stream.progress(p) });
          });
          stream.flush();
          stream.event({ type: 'result', status: r.refused ? 422 : 200, result: r });
        } catch (e) {
          if (!stream.started) throw e;
          stream.event(errorEvent(req, e));
        } finally {
          stream.end();
        }
        return reply;
      },
    );
  });

  app.put<{ Params: { key: string } } & Taking<'PUT /api/sealed/definitions/:key'>>(
    '/api/sealed/definitions/:key',
    {
      onRequest: sealedOnly,
      schema: {
        tags: ['sealed office'],
        summary:
          'Store a sealed definition (JSON body, the format of docs/sealed-office.md) as a new version unless it equals the latest',
        params: { type: 'object', required: ['key'], properties: { key: KEY } },
        response: { 400: ERROR, 401: ERROR, 403: ERROR },
      },
    },
    async (req) => {
      const body = req.body as Record<string, unknown> | null;
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw new InputRejected(
          [
            {
              severity: 'error',
              code: 'invalid-definition',
              reason: 'the body must be a JSON object: the sealed definition',
            },
          ],
          'The body must be a JSON object: the sealed definition.',
        );
      }
      if (body.key !== undefined && body.key !== req.params.key) {
        throw new InputRejected(
          [
            {
              severity: 'error',
              code: 'invalid-definition',
              column: 'key',
              reason: `the definition's key "${String(body.key)}" differs from the key in the path "${req.params.key}"`,
            },
          ],
          'The key in the body differs from the key in the path.',
        );
      }
      const def = validated({ ...body, key: req.params.key }, `${req.params.key}.json`);
      return saveSealedDefinition(db, req.principal, def);
    },
  );

  app.get<Answering<'GET /api/sealed/definitions'>>(
    '/api/sealed/definitions',
    {
      onRequest: sealedOnly,
      schema: {
        tags: ['sealed office'],
        summary: 'The stored sealed definitions and their versions',
        response: { 401: ERROR, 403: ERROR },
      },
    },
    async (req) => sealedDefinitionList(db, req.principal),
  );

  app.get<{ Params: { key: string } } & Answering<'GET /api/sealed/definitions/:key'>>(
    '/api/sealed/definitions/:key',
    {
      onRequest: sealedOnly,
      schema: {
        tags: ['sealed office'],
        summary: 'The latest version of a stored sealed definition',
        params: { type: 'object', required: ['key'], properties: { key: KEY } },
        response: { 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req) => {
      const s = await storedSealedDefinition(db, req.principal, req.params.key);
      return {
        key: req.params.key,
        version: s.version,
        createdBy: s.createdBy,
        createdAt: s.createdAt,
        definition: s.definition.source,
      };
    },
  );
}
