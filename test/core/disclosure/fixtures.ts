// Small linked tables for the disclosure tests (hand-made and seeded random ones).
import type { Cell, Equation, LinkedTables } from '../../../src/core/disclosure/model.ts';
import { SeededRandom } from '../../../src/core/stats/random.ts';

/** A rows × cols table with row totals, column totals and a grand total ("r0c0" … "r0cT", "rTc0", "rTcT"). */
export function grid(values: number[][], prefix = ''): LinkedTables {
  const R = values.length;
  const C = values[0].length;
  const cells: Cell[] = [];
  const equations: Equation[] = [];
  const id = (r: number | 'T', c: number | 'T') => `${prefix}r${r}c${c}`;
  const add = (i: string, v: number) => cells.push({ id: i, value: v, frequency: v });
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) add(id(r, c), values[r][c]);
  for (let r = 0; r < R; r++)
    add(
      id(r, 'T'),
      values[r].reduce((s, x) => s + x, 0),
    );
  for (let c = 0; c < C; c++)
    add(
      id('T', c),
      values.reduce((s, row) => s + row[c], 0),
    );
  add(
    id('T', 'T'),
    values.flat().reduce((s, x) => s + x, 0),
  );
  for (let r = 0; r < R; r++)
    equations.push({ total: id(r, 'T'), parts: Array.from({ length: C }, (_, c) => id(r, c)) });
  for (let c = 0; c < C; c++)
    equations.push({ total: id('T', c), parts: Array.from({ length: R }, (_, r) => id(r, c)) });
  equations.push({ total: id('T', 'T'), parts: Array.from({ length: R }, (_, r) => id(r, 'T')) });
  equations.push({ total: id('T', 'T'), parts: Array.from({ length: C }, (_, c) => id('T', c)) });
  return { cells, equations };
}

/**
 * Areas (blocks → parents → one total, and a second, non-nested layer over the same blocks) ×
 * members (m0 … and their total T): every (area, member) a cell.
 */
export function areasByMembers(
  rand: SeededRandom,
  blocks: number,
  parents: number,
  overlay: number,
  members: number,
  small = 0.3,
): LinkedTables {
  const cells: Cell[] = [];
  const equations: Equation[] = [];
  const ms = [...Array.from({ length: members }, (_, m) => `m${m}`), 'T'];
  const v = new Map<string, number>();
  const parentOf = Array.from({ length: blocks }, (_, b) => (b < parents ? b : rand.int(parents)));
  const overlayOf = Array.from({ length: blocks }, (_, b) => (b < overlay ? b : rand.int(overlay)));
  for (let b = 0; b < blocks; b++) {
    let tot = 0;
    for (let m = 0; m < members; m++) {
      const x = rand.next() < small ? 1 + rand.int(2) : rand.int(3) === 0 ? 0 : 3 + rand.int(25);
      v.set(`b${b}|m${m}`, x);
      tot += x;
    }
    v.set(`b${b}|T`, tot);
  }
  const layer = (name: string, count: number, of: number[]) => {
    for (let a = 0; a < count; a++) {
      const kids = of.map((p, b) => (p === a ? b : -1)).filter((b) => b >= 0);
      for (const m of ms) {
        v.set(
          `${name}${a}|${m}`,
          kids.reduce((s, b) => s + v.get(`b${b}|${m}`)!, 0),
        );
        equations.push({ total: `${name}${a}|${m}`, parts: kids.map((b) => `b${b}|${m}`) });
      }
    }
    for (const m of ms)
      equations.push({ total: `city|${m}`, parts: Array.from({ length: count }, (_, a) => `${name}${a}|${m}`) });
  };
  layer('p', parents, parentOf);
  if (overlay > 0) layer('o', overlay, overlayOf);
  for (const m of ms)
    v.set(
      `city|${m}`,
      Array.from({ length: blocks }, (_, b) => v.get(`b${b}|${m}`)!).reduce((s, x) => s + x, 0),
    );
  const areas = [
    ...Array.from({ length: blocks }, (_, b) => `b${b}`),
    ...Array.from({ length: parents }, (_, a) => `p${a}`),
    ...Array.from({ length: overlay }, (_, a) => `o${a}`),
    'city',
  ];
  for (const a of areas) {
    if (members > 1) equations.push({ total: `${a}|T`, parts: ms.slice(0, -1).map((m) => `${a}|${m}`) });
    for (const m of ms) {
      const x = v.get(`${a}|${m}`)!;
      cells.push({ id: `${a}|${m}`, value: x, frequency: x, keep: a === 'city' && m === 'T' ? true : undefined });
    }
  }
  return { cells, equations };
}

/** The same tables with cells and equations (and each equation's parts) in a shuffled order. */
export function shuffled(t: LinkedTables, seed: number): LinkedTables {
  const r = new SeededRandom(seed);
  const mix = <T>(xs: T[]): T[] => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = r.int(i + 1);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  };
  return { cells: mix(t.cells), equations: mix(t.equations.map((e) => ({ total: e.total, parts: mix(e.parts) }))) };
}
