// The exact model for small tables, to measure protect()'s information loss against the optimum.
// One 0-1 variable per cell (withheld or not) and, for each primary p, two deviations of the whole
// table (the compact form of Fischetti and Salazar's model): each deviation keeps every equation
// and every cell >= 0, may move only withheld cells, and p's two deviated values lie at least the
// protection width apart. Minimising the cost of the withheld cells gives the optimal pattern under
// exactly the attacker of audit.ts (LP relaxation, non-negativity, sliding protection range).
import type { DisclosureRule, LinkedTables, Pattern } from './model.ts';
import { indexTables } from './tables.ts';
import { highs, csr } from './lp.ts';
import { primaryCells, requiredWidth } from './primary.ts';

export interface OptimalLimits {
  /** Refuse tables with more cells (the model grows with cells × primaries). Default 300. */
  maxCells?: number;
  /** HiGHS time limit in seconds. Default 60. */
  timeLimitSeconds?: number;
  /** What to minimise: the cells' cost (default: value + 1), their number, or their total value. */
  objective?: 'cost' | 'count' | 'value';
}

export interface OptimalResult {
  pattern: Pattern;
  secondary: number;
  secondaryValue: number;
  /** The objective of the pattern found. */
  objective: number;
  /** True when HiGHS proved the optimum (false: the best pattern within the time limit). */
  optimal: boolean;
}

export async function optimalSecondary(
  t: LinkedTables,
  rule: DisclosureRule,
  limits: OptimalLimits = {},
): Promise<OptimalResult> {
  const h = await highs();
  const ix = indexTables(t);
  const n = ix.ids.length;
  if (n > (limits.maxCells ?? 300))
    throw new RangeError(
      `optimalSecondary: ${n} cells exceed the limit of ${limits.maxCells ?? 300}; the exact model is for small tables`,
    );
  const w = requiredWidth(rule);
  const prim = primaryCells(t, rule);
  const isPrim = new Uint8Array(n);
  for (const id of prim.keys()) isPrim[ix.index.get(id)!] = 1;
  const P = [...prim.keys()].map((id) => ix.index.get(id)!).sort((a, b) => a - b);
  let total = 0;
  let maxCost = 1;
  for (let i = 0; i < n; i++) ((total += ix.value[i]), (maxCost = Math.max(maxCost, ix.cost[i])));
  const M = total + w;
  const what = limits.objective ?? 'cost';
  // Columns: z_i (n), then per primary q and cell i: uU, dU, uD, dD at n + 4(qn + i) + j.
  const nc = n + 4 * n * P.length;
  const cost = new Float64Array(nc);
  const lower = new Float64Array(nc);
  const upper = new Float64Array(nc);
  const integrality = new Int32Array(nc);
  for (let i = 0; i < n; i++) {
    integrality[i] = 1;
    upper[i] = 1;
    if (isPrim[i]) lower[i] = 1;
    else {
      const base = what === 'count' ? 1 : what === 'value' ? ix.value[i] : ix.cost[i];
      cost[i] = ix.keep[i] ? base + 1e4 * maxCost : base;
    }
  }
  const col = (q: number, i: number, j: number) => n + 4 * (q * n + i) + j;
  P.forEach((_, q) => {
    for (let i = 0; i < n; i++) {
      upper[col(q, i, 0)] = M;
      upper[col(q, i, 1)] = ix.value[i];
      upper[col(q, i, 2)] = M;
      upper[col(q, i, 3)] = ix.value[i];
    }
  });
  const rows: { cols: number[]; vals: number[] }[] = [];
  const rl: number[] = [];
  const ru: number[] = [];
  P.forEach((p, q) => {
    for (const r of ix.rows)
      for (const off of [0, 2]) {
        const cols: number[] = [];
        const vals: number[] = [];
        r.cells.forEach((c, j) => {
          cols.push(col(q, c, off), col(q, c, off + 1));
          vals.push(r.coefs[j], -r.coefs[j]);
        });
        rows.push({ cols, vals });
        rl.push(0);
        ru.push(0);
      }
    for (let i = 0; i < n; i++) {
      if (isPrim[i]) continue;
      for (const off of [0, 2]) {
        // A published cell does not move: u + d <= M z.
        rows.push({ cols: [col(q, i, off), col(q, i, off + 1), i], vals: [1, 1, -M] });
        rl.push(-h.infinity);
        ru.push(0);
      }
    }
    rows.push({ cols: [col(q, p, 0), col(q, p, 1), col(q, p, 2), col(q, p, 3)], vals: [1, -1, -1, 1] });
    rl.push(w);
    ru.push(h.infinity);
  });
  const model = h.createModel({
    numCols: nc,
    numRows: rows.length,
    colCost: cost,
    colLower: lower,
    colUpper: upper,
    rowLower: rl,
    rowUpper: ru,
    matrix: csr(nc, rows),
    integrality,
  });
  try {
    model.options.set({ output_flag: false, time_limit: limits.timeLimitSeconds ?? 60, mip_rel_gap: 0 });
    model.run();
    const s = model.getModelStatus();
    const ms = h.constants.modelStatus;
    if (s !== ms.optimal && s !== ms.timeLimit)
      throw new Error(`optimalSecondary: HiGHS ended with model status ${s} on ${n} cells and ${P.length} primaries`);
    const x = model.getSolution().colValue;
    const pattern: Pattern = new Map();
    let secondary = 0;
    let secondaryValue = 0;
    let objective = 0;
    for (let i = 0; i < n; i++) {
      if (x[i] < 0.5) continue;
      pattern.set(ix.ids[i], isPrim[i] ? 'primary' : 'secondary');
      if (!isPrim[i]) (secondary++, (secondaryValue += ix.value[i]), (objective += cost[i]));
    }
    if (pattern.size === 0 && P.length > 0) throw new Error('optimalSecondary: no solution within the time limit');
    return { pattern, secondary, secondaryValue, objective, optimal: s === ms.optimal };
  } finally {
    model.dispose();
  }
}
