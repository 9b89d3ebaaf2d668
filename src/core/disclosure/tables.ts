// The linked tables in a canonical, indexed form shared by the audit and the suppression methods:
// cells sorted by id (so every result is independent of the input order), equations normalised
// (parts sorted, duplicates summed) and sorted, and for each cell the equations it appears in.
import type { LinkedTables } from './model.ts';

interface Row {
  /** Cell indices with their coefficients (total +1, each part −1), sorted by index. */
  cells: number[];
  coefs: number[];
}

export interface Indexed {
  ids: string[];
  index: Map<string, number>;
  value: Float64Array;
  cost: Float64Array;
  keep: Uint8Array;
  rows: Row[];
  /** For each cell, the rows it appears in. */
  cellRows: number[][];
}

export function indexTables(t: LinkedTables): Indexed {
  const cells = [...t.cells].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ids = cells.map((c) => c.id);
  const index = new Map<string, number>();
  ids.forEach((id, i) => {
    if (index.has(id)) throw new Error(`disclosure: cell "${id}" occurs twice in the linked tables`);
    index.set(id, i);
  });
  const n = ids.length;
  const value = new Float64Array(n);
  const cost = new Float64Array(n);
  const keep = new Uint8Array(n);
  cells.forEach((c, i) => {
    if (!(c.value >= 0) || !Number.isFinite(c.value))
      throw new Error(`disclosure: cell "${c.id}" has value ${c.value}; values must be finite and >= 0`);
    value[i] = c.value;
    cost[i] = c.cost ?? c.value + 1;
    keep[i] = c.keep ? 1 : 0;
  });
  const look = (id: string, where: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`disclosure: ${where} names cell "${id}", which is not among the ${n} cells`);
    return i;
  };
  const seen = new Map<string, Row>();
  for (const e of t.equations) {
    const where = `the equation with total "${e.total}"`;
    const m = new Map<number, number>();
    const ti = look(e.total, where);
    m.set(ti, 1);
    for (const p of e.parts) {
      const pi = look(p, where);
      m.set(pi, (m.get(pi) ?? 0) - 1);
    }
    const keys = [...m.keys()].filter((k) => m.get(k) !== 0).sort((a, b) => a - b);
    if (keys.length === 0) continue;
    const row: Row = { cells: keys, coefs: keys.map((k) => m.get(k)!) };
    const key = keys.map((k, j) => `${k}:${row.coefs[j]}`).join(',');
    if (!seen.has(key)) seen.set(key, row);
  }
  const rows = [...seen.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((x) => x[1]);
  const cellRows: number[][] = Array.from({ length: n }, () => []);
  rows.forEach((r, ri) => r.cells.forEach((c) => cellRows[c].push(ri)));
  return { ids, index, value, cost, keep, rows, cellRows };
}
