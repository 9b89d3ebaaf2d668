// Helpers of the CSV and XLSX readers (table-csv.ts, table-xlsx.ts): the header check, rows from
// batches, and problems for files that cannot be read.
import { InputRejected, type Problem } from '../core/problems.ts';
import { badCharacterMessage, findBadCharacter } from '../core/text.ts';
import type { TableRow } from './table-types.ts';

export function checkHeader(file: string, line: number, raw: string[]): string[] {
  const columns = raw.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c).trim());
  columns.forEach((name, i) => {
    const bad = findBadCharacter(name);
    if (!bad) return;
    const m = badCharacterMessage(bad);
    throw reject(file, {
      code: m.code,
      line,
      column: i + 1,
      value: name.replace(/\u0000/g, '\\0'),
      reason: `the column name: ${m.reason}`,
      hint: m.hint,
    });
  });
  if (columns.every((c) => c === '')) {
    throw reject(file, {
      code: 'no-header',
      line,
      reason: 'the file has no header line',
      hint: 'the first line must hold the column names',
    });
  }
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  columns.forEach((name, i) => {
    if (name === '') {
      const trailing = columns.slice(i).every((c) => c === '');
      const leading = columns.slice(0, i + 1).every((c) => c === '');
      problems.push({
        severity: 'error',
        code: 'empty-column-name',
        file,
        line,
        column: i + 1,
        reason: `column ${i + 1} has no name in the header`,
        hint: trailing
          ? 'the header line ends with a delimiter or empty cells: delete them'
          : leading
            ? 'the table must start in the first column: delete the empty columns before it'
            : 'give every column a name',
      });
      return;
    }
    const previous = seen.get(name);
    if (previous !== undefined) {
      problems.push({
        severity: 'error',
        code: 'duplicate-column',
        file,
        line,
        column: i + 1,
        value: name,
        reason: `the column name "${name}" appears twice (columns ${previous} and ${i + 1})`,
        hint: 'give every column a distinct name',
      });
    } else seen.set(name, i + 1);
  });
  if (problems.length) throw new InputRejected(problems);
  return columns;
}

/** Flattens batches into rows with one cheap promise per row (an async generator would cost more). */
export function flatten(batches: () => AsyncIterator<TableRow[]>): AsyncIterable<TableRow> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<TableRow> {
      const source = batches();
      let current: TableRow[] = [];
      let i = 0;
      let done = false;
      const finished: IteratorResult<TableRow> = { value: undefined, done: true };
      const pull = async (): Promise<IteratorResult<TableRow>> => {
        for (;;) {
          const r = await source.next();
          if (r.done) {
            done = true;
            current = [];
            return finished;
          }
          if (r.value.length) {
            current = r.value;
            i = 1;
            return { value: current[0], done: false };
          }
        }
      };
      return {
        next(): Promise<IteratorResult<TableRow>> {
          if (i < current.length) return Promise.resolve({ value: current[i++], done: false });
          if (done) return Promise.resolve(finished);
          return pull();
        },
        async return(): Promise<IteratorResult<TableRow>> {
          done = true;
          current = [];
          await source.return?.(undefined);
          return finished;
        },
      };
    },
  };
}

export function reject(file: string, p: Omit<Problem, 'severity' | 'file'>): InputRejected {
  return new InputRejected([{ severity: 'error', file, ...p }]);
}

export function isNodeError(e: unknown): e is NodeJS.ErrnoException {
  return (
    e instanceof Error &&
    typeof (e as NodeJS.ErrnoException).code === 'string' &&
    typeof (e as NodeJS.ErrnoException).syscall === 'string'
  );
}

export function fileError(file: string, e: unknown): InputRejected {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT')
    return reject(file, {
      code: 'file-not-found',
      reason: 'the file does not exist',
      hint: 'check the path and the file name',
    });
  if (code === 'EISDIR')
    return reject(file, {
      code: 'not-a-file',
      reason: 'not a file',
      hint: 'give the path of a file, not of a directory',
    });
  if (code === 'EACCES' || code === 'EPERM')
    return reject(file, {
      code: 'file-unreadable',
      reason: 'the file cannot be read (permission denied)',
      hint: 'check the file permissions',
    });
  return reject(file, {
    code: 'file-unreadable',
    reason: `the file cannot be read: ${e instanceof Error ? e.message : String(e)}`,
    hint: 'check the path and that the file is not locked',
  });
}

// "a;b;c;" style rows (a trailing delimiter, often from Excel) should not count as extra columns.
export function trimTrailingEmpty(cells: unknown[], width: number): void {
  let n = cells.length;
  while (n > width && (cells[n - 1] === '' || cells[n - 1] === null)) n--;
  cells.length = n;
}
