// Positioned problems, in the manner of PostgreSQL's errors: what failed, where, why, and a hint.
// Readers and validators collect all problems of a file instead of stopping at the first.

export type Severity = 'error' | 'warning';

export interface Problem {
  severity: Severity;
  /** Short machine-readable code, e.g. "duplicate-code", "bad-number". */
  code: string;
  /** What is wrong, in plain English. */
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
}

/** Raised when input is rejected; carries every problem found, not only the first. */
export class InputRejected extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[], summary?: string) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(summary ?? `${errors.length} error(s) found; nothing was changed.\n${problems.slice(0, 20).map(formatProblem).join('\n')}`);
    this.name = 'InputRejected';
    this.problems = problems;
  }
}

/** Raised for a request that names something that does not exist. */
export class NotFound extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFound';
  }
}

/** Raised for a request that is well-formed but not allowed in the current state. */
export class Conflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Conflict';
  }
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.line !== undefined ? `line ${p.line}` : undefined, p.column !== undefined ? `column ${p.column}` : undefined]
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
  throwIfErrors(summary?: string): void {
    if (!this.hasErrors) return;
    const omitted = this.errorCount + this.warningCount - this.items.length;
    const list = omitted > 0 ? [...this.items, { severity: 'error' as const, code: 'more-problems', reason: `${omitted} further problem(s) not listed` }] : this.items;
    throw new InputRejected(list, summary);
  }
}

/** The caller must sign in (HTTP 401). */
export class Unauthorized extends Error {
  constructor(message = 'Please sign in to see this.') {
    super(message);
    this.name = 'Unauthorized';
  }
}

/** The caller is signed in but not allowed (HTTP 403). */
export class Forbidden extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Forbidden';
  }
}

/** Too many attempts; try again later (HTTP 429). */
export class TooManyRequests extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'TooManyRequests';
  }
}
