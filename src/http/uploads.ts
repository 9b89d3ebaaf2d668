// Routes whose request body is a file (imports, address matching). One helper for all of them:
// the caller is checked before a byte of the body is read, the size limit is enforced on the
// declared length at once and on the streamed bytes as they arrive, and the body — whatever its
// Content-Type — streams to a private temporary file that is removed when the request ends.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, basename } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isSealedOffice, type Principal } from '../core/access.ts';
import { InputRejected } from '../core/problems.ts';
import type { InMemoryFile } from '../formats/source.ts';
import { coded, type Coded } from '../contracts/codes/index.ts';
import { codedAnswer } from './schemas.ts';

export const GiB = 1024 * 1024 * 1024;
export const MiB = 1024 * 1024;

/** Who may send a body to an upload route; checked before the body is read. */
type UploadGate = 'signed-in' | 'writer' | 'sealed-office';

/** The size a body must not exceed (HTTP 413). */
class PayloadTooLarge extends Error {
  readonly statusCode = 413;
  constructor(readonly limit: number) {
    super(`The request body is larger than this route accepts (at most ${formatBytes(limit)}).`);
    this.name = 'PayloadTooLarge';
  }
}

function formatBytes(n: number): string {
  return n >= GiB ? `${n / GiB} GiB` : `${Math.round(n / MiB)} MiB`;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Upload routes: who may send the body, and how many bytes it may have. */
    upload?: { gate: UploadGate; maxBytes: number };
  }
}

/** Why this caller may not send a body to the route, as [status, message], or undefined. */
function refusal(p: Principal, gate: UploadGate): [401 | 403, Coded] | undefined {
  if (p.kind === 'anonymous') return [401, coded('upload-sign-in')];
  if (gate === 'writer' && p.kind === 'user' && p.role !== 'admin' && p.role !== 'steward') {
    return [403, coded('imports-forbidden-for-role', { role: p.role })];
  }
  if (gate === 'sealed-office' && !isSealedOffice(p)) {
    return [403, coded('upload-sealed-office-only')];
  }
  return undefined;
}

/**
 * Registers upload routes in their own scope: every Content-Type streams through unparsed (a
 * JSON body is a file like any other), and the caller and the declared length are checked in
 * onRequest, before the body is read. A refused request closes its connection so that the rest
 * of the body is not received.
 */
export async function uploadScope(app: FastifyInstance, routes: (scope: FastifyInstance) => void): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { bodyLimit: 2 * GiB }, (_req, payload, done) => done(null, payload));
    scope.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
      const upload = req.routeOptions.config.upload;
      if (!upload || reply.sent) return;
      const refused = refusal(req.principal, upload.gate);
      if (refused) {
        return reply
          .status(refused[0])
          .header('Connection', 'close')
          .send(codedAnswer(refused[0] === 401 ? 'Unauthorized' : 'Forbidden', refused[1]));
      }
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > upload.maxBytes) {
        const e = new PayloadTooLarge(upload.maxBytes);
        return reply.status(413).header('Connection', 'close').send({ error: 'Payload Too Large', message: e.message });
      }
    });
    routes(scope);
  });
}

/** Counts the bytes passing through and fails with PayloadTooLarge past the limit. */
function limitTo(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > maxBytes) cb(new PayloadTooLarge(maxBytes));
      else cb(null, chunk);
    },
  });
}

function unsupported(fileName: string, allowed: string[]): InputRejected {
  const ext = extname(fileName).toLowerCase();
  return new InputRejected(
    [
      {
        severity: 'error',
        code: 'unknown-format',
        value: fileName,
        reason: `unsupported file type "${ext}"`,
        hint: `use one of ${allowed.join(', ')}`,
      },
    ],
    `Unsupported file type "${ext}"; use one of ${allowed.join(', ')}.`,
  );
}

/** The route's upload limits and the body stream, after checking the file type and that there is a body. */
function uploadOf(
  req: FastifyRequest,
  fileName: string,
  allowed: string[],
): { upload: { gate: UploadGate; maxBytes: number }; body: Readable } {
  const upload = req.routeOptions.config.upload;
  if (!upload) throw new Error(`${req.routeOptions.url} is not registered as an upload route`);
  if (!allowed.includes(extname(fileName).toLowerCase())) throw unsupported(fileName, allowed);
  const body = req.body as Readable | undefined | null;
  if (body === undefined || body === null || typeof body.pipe !== 'function') {
    throw new InputRejected(
      [{ severity: 'error', code: 'empty-body', reason: 'the request has no file in its body' }],
      'The request has no file in its body (send it as the raw body, e.g. Content-Type: text/csv).',
    );
  }
  return { upload, body };
}

/**
 * Streams the request body to a private temporary file named like the upload, runs `fn` on it and
 * removes the file in any case. The write stream is opened only once the body is known to be a
 * stream, so that no stray file error can surface after the request has ended.
 */
export async function withUploadedFile<T>(
  req: FastifyRequest,
  fileName: string,
  allowed: string[],
  fn: (path: string) => Promise<T>,
): Promise<T> {
  const { upload, body } = uploadOf(req, fileName, allowed);
  const dir = mkdtempSync(join(tmpdir(), 'km-upload-'));
  try {
    const path = join(dir, basename(fileName));
    await pipeline(body, limitTo(upload.maxBytes), createWriteStream(path, { mode: 0o600 }));
    return await fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The request body held in memory, never written to disk: for uploads of personal records. The
 * route's limit applies as for files; the bytes are zeroed when `fn` is done.
 */
export async function withUploadedBytes<T>(
  req: FastifyRequest,
  fileName: string,
  allowed: string[],
  fn: (file: InMemoryFile) => Promise<T>,
): Promise<T> {
  const { upload, body } = uploadOf(req, fileName, allowed);
  const chunks: Buffer[] = [];
  let size = 0;
  let bytes: Buffer;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size > upload.maxBytes) throw new PayloadTooLarge(upload.maxBytes);
    }
    bytes = Buffer.concat(chunks, size);
  } finally {
    // Also when the client aborts or the limit is passed: no copy of the records is left as it was.
    for (const c of chunks) c.fill(0);
  }
  try {
    return await fn({ name: basename(fileName), bytes });
  } finally {
    bytes.fill(0);
  }
}

export const asArray = (v: string | string[] | undefined): string[] | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? v : [v];
