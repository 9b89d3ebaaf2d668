// The server's error log: one JSON line per unexpected error on stderr, with an id the 500 answer
// repeats so that an operator can find it. Messages of unexpected errors may quote input (a
// database error names the value it could not store), so quoted parts are blanked out, and
// neither the query string, the body, nor any header is written.
import { randomBytes } from 'node:crypto';

export interface ErrorLogEntry {
  /** The id the client was told. */
  id: string;
  method?: string;
  /** The route pattern (/api/layers/:layer/areas), not the URL: values stay out of the log. */
  route?: string;
  error: unknown;
  /** Where the error surfaced: a request handler, or the process (uncaught). */
  origin: 'request' | 'uncaughtException' | 'unhandledRejection';
}

export type ErrorSink = (line: string) => void;

let sink: ErrorSink = (line) => process.stderr.write(line + '\n');

/** Redirects the log (tests). Returns the previous sink. */
export function setErrorSink(s: ErrorSink): ErrorSink {
  const old = sink;
  sink = s;
  return old;
}

export function newErrorId(): string {
  return randomBytes(6).toString('hex');
}

/**
 * Blanks out quoted text, where messages carry values: everything from the first quote of a line
 * to its last (a quoted value may itself contain quotes: `"{"name":"Müller"}"`).
 */
export function redactQuoted(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const first = line.search(/["'«]/);
      if (first < 0) return line;
      const last = Math.max(line.lastIndexOf('"'), line.lastIndexOf("'"), line.lastIndexOf('»'));
      return last > first ? `${line.slice(0, first)}"…"${line.slice(last + 1)}` : `${line.slice(0, first)}"…`;
    })
    .join('\n');
}

export function logError(e: ErrorLogEntry): void {
  const err = e.error instanceof Error ? e.error : new Error(String(e.error));
  const code = (err as { code?: unknown }).code;
  const stack = (err.stack ?? '')
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at '))
    .slice(0, 12);
  sink(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'error',
      origin: e.origin,
      id: e.id,
      method: e.method,
      route: e.route,
      name: err.name,
      code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
      message: redactQuoted(err.message).slice(0, 500),
      stack,
    }),
  );
}

/**
 * A served process must outlive any single request. Errors that escape every handler (an emitter
 * without an error listener, a promise nobody awaits) are logged and the server goes on: each
 * request's own state is its own, and the database connections recover by themselves.
 */
export function logStrayErrorsAndGoOn(): void {
  process.on('uncaughtException', (error) => logError({ id: newErrorId(), origin: 'uncaughtException', error }));
  process.on('unhandledRejection', (error) => logError({ id: newErrorId(), origin: 'unhandledRejection', error }));
}
