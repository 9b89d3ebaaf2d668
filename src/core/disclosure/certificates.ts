// Proofs of protection that anyone can check without a solver. A deviation y of the true table
// that keeps every equation (E·y = 0), keeps every cell >= 0 and moves only withheld cells gives
// a second table the attacker cannot tell from the true one: every primary it moves by at least
// the protection width is safe. The suppression method finds such deviations as it protects; it
// hands them on as certificates, and the audit checks them exactly (equations, signs, the
// pattern) before it believes them, then solves programs only for what they leave open.
import type { Indexed } from './tables.ts';
import type { Pattern } from './model.ts';

/** A deviation by cell id: the cells it moves and by how much. */
export interface Certificate {
  cells: string[];
  deltas: number[];
}

/**
 * Checks a deviation independently of the solver's tolerances: every equation it touches still
 * holds (to 1e-6 relative) when the cells it moves by less than the threshold stay unmoved, and
 * the true table plus the deviation is non-negative.
 */
export function verifyDeviation(ix: Indexed, y: Map<number, number>): boolean {
  const rows = new Set<number>();
  for (const [c, d] of y) {
    if (!Number.isFinite(d) || ix.value[c] + d < -1e-6) return false;
    for (const r of ix.cellRows[c]) rows.add(r);
  }
  for (const r of rows) {
    const row = ix.rows[r];
    let sum = 0;
    let scale = 1;
    row.cells.forEach((c, j) => {
      const d = y.get(c);
      if (d !== undefined) ((sum += row.coefs[j] * d), (scale += Math.abs(d)));
    });
    if (Math.abs(sum) > 1e-6 * scale) return false;
  }
  return true;
}

/** Records the values a + t·y (for every t that keeps all cells >= 0, up to 100) as feasible for the attacker. */
export function observeDeviation(ix: Indexed, y: Map<number, number>, lo: Float64Array, hi: Float64Array): void {
  let tmax = 100;
  let tmin = -100;
  for (const [c, d] of y) {
    const a = ix.value[c];
    if (d < 0) tmax = Math.min(tmax, a / -d);
    else tmin = Math.max(tmin, -a / d);
  }
  for (const [c, d] of y) {
    const a = ix.value[c];
    const v1 = Math.max(0, a + tmin * d);
    const v2 = Math.max(0, a + tmax * d);
    lo[c] = Math.min(lo[c], v1, v2);
    hi[c] = Math.max(hi[c], v1, v2);
  }
}

export function toCertificate(ix: Indexed, y: Map<number, number>): Certificate {
  const cells: string[] = [];
  const deltas: number[] = [];
  for (const [c, d] of y) (cells.push(ix.ids[c]), deltas.push(d));
  return { cells, deltas };
}

/**
 * The deviation of a certificate when it proves anything for this pattern: it names known cells,
 * moves only withheld ones, and verifies. Otherwise undefined (it is then simply not used).
 */
export function checkedDeviation(ix: Indexed, pattern: Pattern, c: Certificate): Map<number, number> | undefined {
  if (!Array.isArray(c?.cells) || !Array.isArray(c.deltas) || c.cells.length !== c.deltas.length) return undefined;
  const y = new Map<number, number>();
  for (let k = 0; k < c.cells.length; k++) {
    const i = ix.index.get(c.cells[k]);
    if (i === undefined || !pattern.has(c.cells[k]) || typeof c.deltas[k] !== 'number') return undefined;
    y.set(i, (y.get(i) ?? 0) + c.deltas[k]);
  }
  return verifyDeviation(ix, y) ? y : undefined;
}

/** The first equation the true table breaks (to 1e-6 relative), or -1: a certificate proves nothing on inconsistent tables. */
export function brokenEquation(ix: Indexed): number {
  for (let r = 0; r < ix.rows.length; r++) {
    const row = ix.rows[r];
    let sum = 0;
    let scale = 1;
    for (let j = 0; j < row.cells.length; j++) {
      const v = row.coefs[j] * ix.value[row.cells[j]];
      sum += v;
      scale += Math.abs(v);
    }
    if (Math.abs(sum) > 1e-6 * scale) return r;
  }
  return -1;
}
