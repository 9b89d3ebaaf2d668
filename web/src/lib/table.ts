// Sorting and filtering of table rows (atlas table, comparison): numbers numerically with
// missing values always last, text with German collation. Unit-tested in test/web/table.test.ts.

export type SortDir = 'asc' | 'desc';

export interface SortSpec {
  key: string;
  dir: SortDir;
}

export function parseSort(v: string | undefined, allowed: readonly string[], fallback: SortSpec): SortSpec {
  if (!v) return fallback;
  const [key, dir] = v.split(':');
  if (!allowed.includes(key)) return fallback;
  return { key, dir: dir === 'desc' ? 'desc' : 'asc' };
}
export function formatSort(s: SortSpec): string {
  return `${s.key}:${s.dir}`;
}

const collator = new Intl.Collator('de', { numeric: true, sensitivity: 'base' });

export function compareValues(a: unknown, b: unknown, dir: SortDir): number {
  const an = a === null || a === undefined || (typeof a === 'number' && !Number.isFinite(a));
  const bn = b === null || b === undefined || (typeof b === 'number' && !Number.isFinite(b));
  if (an && bn) return 0;
  if (an) return 1; // missing last, whatever the direction
  if (bn) return -1;
  const s = dir === 'asc' ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return (a - b) * s;
  return collator.compare(String(a), String(b)) * s;
}

export function sortRows<T>(rows: readonly T[], spec: SortSpec, get: (row: T, key: string) => unknown): T[] {
  return rows
    .map((r, i) => ({ r, i }))
    .sort((x, y) => compareValues(get(x.r, spec.key), get(y.r, spec.key), spec.dir) || x.i - y.i)
    .map((x) => x.r);
}

/** Case- and accent-insensitive match of every word of the query in any of the texts. */
export function matchesQuery(query: string, texts: readonly (string | null | undefined)[]): boolean {
  const norm = (s: string) =>
    s
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
  const words = norm(query).split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const hay = norm(texts.filter(Boolean).join(' '));
  return words.every((w) => hay.includes(w));
}
