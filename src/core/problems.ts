// Positioned problems, in the manner of PostgreSQL's errors: what failed, where, why, and a hint.
// Readers and validators collect all problems of a file instead of stopping at the first.
// The errors a request can meet carry a registered code with parameters (src/contracts/codes):
// their message is the code's English text, the API answer adds code and params.
import { coded, englishText, problemText, type Coded, type ParamValue } from '../contracts/codes/index.ts';

/** An error's message: the English text of its code, or a message not (yet) given a code. */
function messageOf(m: string | Coded): string {
  return typeof m === 'string' ? m : englishText(m);
}

/** An error that may carry a registered code (the API answer then adds `code` and `params`). */
class CodedError extends Error {
  readonly coded?: Coded;
  constructor(m: string | Coded) {
    super(messageOf(m));
    if (typeof m !== 'string') this.coded = m;
  }
}

/** The `code` and `params` an error answer adds, when the error has a code. */
export function codedFields(err: unknown): { code?: string; params?: Record<string, ParamValue> } {
  return err instanceof CodedError && err.coded ? { code: err.coded.code, params: err.coded.params } : {};
}

/** "The layer … has no boundary version (valid on …)": one code per form of the sentence. */
export function layerWithoutVersion(layer: string, date?: string | null): Coded {
  return date ? coded('layer-without-version-on', { layer, date }) : coded('layer-without-version', { layer });
}

/** "key (owner department)", or "key (owner none)": an item of a list of refused indicators. */
export function indicatorOfOwner(indicator: string, owner: string | null | undefined): Coded {
  return owner ? coded('indicator-of-owner', { indicator, owner }) : coded('indicator-of-no-owner', { indicator });
}

/** A list as one parameter ("a, b, c"), its items coded or text, so that each is worded in the reader's language. */
export function codedList(items: readonly ParamValue[]): ParamValue {
  if (!items.length) return '';
  return items
    .slice(0, -1)
    .reduceRight<ParamValue>((rest, first) => coded('list-items', { first, rest }), items[items.length - 1]);
}

type Severity = 'error' | 'warning';

export interface Problem {
  severity: Severity;
  /** A registered code (src/contracts/codes/problems.ts; a test fails on an unregistered literal), e.g. "duplicate-code". */
  code: string;
  /** What is wrong, in plain English, with the particulars; the code's text words it in German. */
  reason: string;
  file?: string;
  /** 1-based line in the file (CSV: physical line of the record's first character). */
  line?: number;
  /** Column name or 1-based number. */
  column?: string | number;
  /** The offending value as found in the file. */
  value?: string;
  /** How to fix it. */
  hint?: string;
  /** The problem's parameters (what its code's text names), for the web app and the CLI to word it. */
  params?: Record<string, string | number>;
}

/** Raised when input is rejected; carries every problem found, not only the first. */
export class InputRejected extends Error {
  readonly problems: Problem[];
  /** The summary line as a code, when it has one (the CLI words it in German with KOMMUNALMONITOR_LANG=de). */
  readonly summary?: Coded;
  constructor(problems: Problem[], summary?: string | Coded) {
    const errors = problems.filter((p) => p.severity === 'error');
    const head = summary ?? coded('input-rejected', { n: errors.length });
    const text = typeof head === 'string' ? head : englishText(head);
    super(summary === undefined ? `${text}\n${problems.slice(0, 20).map(formatProblem).join('\n')}` : text);
    this.name = 'InputRejected';
    this.problems = problems;
    if (typeof head !== 'string') this.summary = head;
  }
}

/** Raised for a request that names something that does not exist. */
export class NotFound extends CodedError {
  constructor(message: string | Coded) {
    super(message);
    this.name = 'NotFound';
  }
}

/** Raised for a request that is well-formed but not allowed in the current state. */
export class Conflict extends CodedError {
  constructor(message: string | Coded) {
    super(message);
    this.name = 'Conflict';
  }
}

/** A problem in German, for the CLI with KOMMUNALMONITOR_LANG=de: the text of its code (src/contracts/codes), where it was found. */
export function formatProblemGerman(p: Problem): string {
  const where = [
    p.file,
    p.line !== undefined ? `Zeile ${p.line}` : undefined,
    p.column !== undefined ? `Spalte ${p.column}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const value = p.value !== undefined ? ` (Wert „${truncate(p.value, 60)}“)` : '';
  const hint = p.hint ? `\n  HINWEIS: ${p.hint}` : '';
  return `${p.severity === 'error' ? 'FEHLER' : 'WARNUNG'}: ${where ? where + ': ' : ''}${problemText(p, 'de')}${value}${hint}`;
}

export function formatProblem(p: Problem): string {
  const where = [
    p.file,
    p.line !== undefined ? `line ${p.line}` : undefined,
    p.column !== undefined ? `column ${p.column}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  const value = p.value !== undefined ? ` (value "${truncate(p.value, 60)}")` : '';
  const hint = p.hint ? `\n  HINT: ${p.hint}` : '';
  return `${p.severity.toUpperCase()}: ${where ? where + ': ' : ''}${p.reason}${value}${hint}`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

/** Collects problems with a cap so that a hopeless file does not exhaust memory. */
export class ProblemList {
  readonly items: Problem[] = [];
  errorCount = 0;
  warningCount = 0;
  constructor(readonly limit = 1000) {}
  add(p: Problem): void {
    if (p.severity === 'error') this.errorCount++;
    else this.warningCount++;
    if (this.items.length < this.limit) this.items.push(p);
  }
  error(p: Omit<Problem, 'severity'>): void {
    this.add({ severity: 'error', ...p });
  }
  warning(p: Omit<Problem, 'severity'>): void {
    this.add({ severity: 'warning', ...p });
  }
  get hasErrors(): boolean {
    return this.errorCount > 0;
  }
  /** Throws InputRejected when any error was collected. */
  throwIfErrors(summary?: string | Coded): void {
    if (!this.hasErrors) return;
    const omitted = this.errorCount + this.warningCount - this.items.length;
    const list =
      omitted > 0
        ? [
            ...this.items,
            { severity: 'error' as const, code: 'more-problems', reason: `${omitted} further problem(s) not listed` },
          ]
        : this.items;
    throw new InputRejected(list, summary);
  }
}

/** The caller must sign in (HTTP 401). */
export class Unauthorized extends CodedError {
  constructor(message: string | Coded = coded('sign-in-required')) {
    super(message);
    this.name = 'Unauthorized';
  }
}

/** The caller is signed in but not allowed (HTTP 403). */
export class Forbidden extends CodedError {
  constructor(message: string | Coded) {
    super(message);
    this.name = 'Forbidden';
  }
}

/** Too many attempts; try again later (HTTP 429). */
export class TooManyRequests extends CodedError {
  constructor(
    message: string | Coded,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'TooManyRequests';
  }
}
