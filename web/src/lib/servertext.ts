// The server's errors in the language of the interface (issue #15, item 12; issue #13): an error
// answer with a registered code is rendered from the registry (src/contracts/codes); one without
// a code (a request the schema rejected, an answer from a proxy) is named by its HTTP status, with
// the server's message kept after it. No text of a message is interpreted.
// Pure: unit-tested in test/web/servertext.test.ts.
import { renderKnown, type ParamValue } from '../../../src/contracts/codes/index.ts';
import type { Lang } from '../../../src/contracts/format.ts';

/** What an error answer says: its English message and, when registered, its code and parameters. */
export interface ServerError {
  message: string;
  code?: string;
  params?: Readonly<Record<string, ParamValue>>;
}

const STATUS_DE: Record<number, string> = {
  400: 'Ungültige Anfrage',
  401: 'Anmeldung erforderlich',
  403: 'Kein Zugriff',
  404: 'Nicht gefunden',
  409: 'Konflikt',
  413: 'Zu groß',
  429: 'Zu viele Anfragen',
  500: 'Fehler des Servers',
  503: 'Dienst nicht verfügbar',
};

// An answer that was not JSON carries only its status line: the phrase of the status, as a sentence.
const PHRASE_DE: Record<string, string> = {
  Unauthorized: 'Bitte melden Sie sich an.',
  Forbidden: 'Kein Zugriff.',
  'Not Found': 'Nicht gefunden.',
  'Internal Server Error': 'Interner Fehler des Servers.',
};

const GERMAN_HINT = /[äöüß]|\b(der|die|das|nicht|bitte|ist)\b/i;

/** A server error for the user: from its code in the interface's language, else named by its status. */
export function serverText(error: ServerError | string, status: number, lang: Lang): string {
  const e = typeof error === 'string' ? { message: error } : error;
  const fromCode = e.code ? renderKnown({ code: e.code, params: e.params }, lang) : undefined;
  if (fromCode !== undefined) return fromCode;
  if (lang !== 'de') return e.message;
  const msg = e.message.trim();
  if (Object.hasOwn(PHRASE_DE, msg)) return PHRASE_DE[msg];
  // A message already in German (a text stored with the data, a proxy's page) is shown as it is.
  if (GERMAN_HINT.test(msg)) return msg;
  const head = STATUS_DE[status];
  return head ? `${head} (Meldung des Servers: ${msg})` : msg;
}

/** An error of a request for a message line: the network, or the server's error in the interface's language with its status. */
export function requestErrorText(
  t: (key: 'state.errorNetwork' | 'state.errorStatus', params?: Record<string, string | number>) => string,
  lang: Lang,
  e: unknown,
): string {
  const status = (e as { status?: unknown })?.status;
  if (e instanceof Error && typeof status === 'number')
    return status === 0
      ? t('state.errorNetwork')
      : t('state.errorStatus', { message: serverText(e as Error & ServerError, status, lang), status });
  return String((e as Error)?.message ?? e);
}

// A problem of a file or form in the interface's language: shared with the CLI (src/contracts/codes).
export { problemText, type ProblemLike } from '../../../src/contracts/codes/index.ts';
import { problemText as problemTextOf, type ProblemLike } from '../../../src/contracts/codes/index.ts';

/** The message of a failed request in the interface's language (an API error from its code), any other error's message as it is. */
export function errorMessageIn(e: unknown, lang: Lang): string {
  const status = (e as { status?: unknown })?.status;
  if (e instanceof Error && typeof status === 'number' && status > 0)
    return serverText(e as Error & ServerError, status, lang);
  return e instanceof Error ? e.message : String(e);
}

/**
 * A refused action for a message line: the input problems of a 400 answer in the interface's
 * language (each from its code), else the error from its code (errorMessageIn).
 */
export function refusalText(e: unknown, lang: Lang): string {
  const problems = (e as { problems?: readonly ProblemLikeWithSeverity[] })?.problems;
  const errors = Array.isArray(problems) ? problems.filter((p) => p.severity !== 'warning') : [];
  if (errors.length) return errors.map((p) => problemTextOf(p, lang)).join(' ');
  const c = e as Partial<ServerError> | null;
  const fromCode = c && typeof c.code === 'string' ? renderKnown({ code: c.code, params: c.params }, lang) : undefined;
  return fromCode ?? errorMessageIn(e, lang);
}

type ProblemLikeWithSeverity = ProblemLike & { severity?: string };
