// The attacker (Angreifer-Prüfung): for every withheld cell, the smallest and largest value it can
// take given everything published. Published cells are constants, withheld cells variables >= 0,
// and every equation that touches a withheld cell a linear constraint over the withheld cells it
// touches. The withheld cells fall apart into connected components through those constraints; each
// component is one linear program, solved once per bound with only the objective changed
// (HiGHS keeps the basis, so each further solve is a warm start).
//
// Counts are integers, but the attacker is the LP relaxation: the standard, conservative audit of
// τ-ARGUS and sdcTable (`attack()`). A primary cell is safe when max − min >= the required width
// (rule.protectionWidth, default rule.minFrequency) — a "sliding" protection range; see
// docs/disclosure-control.md, "Method".
import type { AuditInterval, AuditResult, DisclosureRule, LinkedTables, Pattern } from './model.ts';
import { indexTables, type Indexed } from './tables.ts';
import { highs, QUIET, csr } from './lp.ts';
import { requiredWidth } from './primary.ts';
import type { Highs } from 'highs';
import { brokenEquation, checkedDeviation, observeDeviation, type Certificate } from './certificates.ts';

const EPS = 1e-6;

export interface AuditOptions {
  /**
   * true (default): min and max of every withheld cell are the attacker's exact bounds.
   * false: a primary cell is proved safe as soon as two feasible attacker solutions lie the
   * required width apart (its interval is then such an inner interval, flagged exact: false);
   * unsafe primaries always get exact bounds; secondary cells get inner intervals. Much faster on
   * large components, with the same verdict.
   */
  exact?: boolean;
  /**
   * Deviations that claim to prove primaries safe (from protect(); certificates.ts). With
   * exact: false each is checked exactly against the equations, the signs and this pattern, and
   * the values it shows feasible count as the attacker's; programs are solved only for primaries
   * they leave open. A certificate that does not check is ignored, never trusted.
   */
  certificates?: Certificate[];
}

/** One component: its withheld cells (global indices) and constraint rows over them. */
export interface Component {
  cols: number[];
  rows: { cols: number[]; vals: number[]; rhs: number }[];
}

/** Splits the withheld cells into connected components through the equations that touch them. */
export function components(ix: Indexed, withheld: Uint8Array): Component[] {
  const n = ix.ids.length;
  const parent = new Int32Array(n).map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const touched: number[] = [];
  ix.rows.forEach((r, ri) => {
    let first = -1;
    for (const c of r.cells) {
      if (!withheld[c]) continue;
      if (first < 0) first = c;
      else {
        const a = find(first);
        const b = find(c);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
    if (first >= 0) touched.push(ri);
  });
  const byRoot = new Map<number, Component>();
  const local = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (!withheld[i]) continue;
    const root = find(i);
    let comp = byRoot.get(root);
    if (!comp) byRoot.set(root, (comp = { cols: [], rows: [] }));
    local[i] = comp.cols.length;
    comp.cols.push(i);
  }
  for (const ri of touched) {
    const r = ix.rows[ri];
    let rhs = 0;
    const cols: number[] = [];
    const vals: number[] = [];
    let root = -1;
    r.cells.forEach((c, j) => {
      if (withheld[c]) {
        cols.push(local[c]);
        vals.push(r.coefs[j]);
        root = find(c);
      } else rhs -= r.coefs[j] * ix.value[c];
    });
    byRoot.get(root)!.rows.push({ cols, vals, rhs });
  }
  return [...byRoot.values()];
}

function describe(ix: Indexed, comp: Component): string {
  const names = comp.cols.slice(0, 8).map((c) => ix.ids[c]);
  return `${comp.cols.length} withheld cell(s) (${names.join(', ')}${comp.cols.length > 8 ? ', …' : ''}) in ${comp.rows.length} equation(s)`;
}

/** A persistent LP over one component, re-solved with changing objectives. */
class ComponentLp {
  private model;
  readonly n: number;
  solves = 0;
  constructor(
    private h: Highs,
    private ix: Indexed,
    private comp: Component,
    cap?: number,
  ) {
    this.n = comp.cols.length;
    const n = this.n;
    this.model = h.createModel({
      numCols: n,
      numRows: comp.rows.length,
      colCost: new Float64Array(n),
      colLower: new Float64Array(n),
      colUpper: new Float64Array(n).fill(cap ?? h.infinity),
      rowLower: comp.rows.map((r) => r.rhs),
      rowUpper: comp.rows.map((r) => r.rhs),
      matrix: csr(n, comp.rows),
    });
    this.model.options.set(QUIET);
  }
  /** Optimises the objective `costs`; returns the solution, or 'unbounded'. Throws when infeasible. */
  solve(costs: Float64Array, maximize: boolean): Float64Array | 'unbounded' {
    const h = this.h;
    this.model.changeColsCost({ kind: 'range', from: 0, to: this.n - 1 }, costs);
    this.model.changeObjectiveSense(
      maximize ? h.constants.objectiveSense.maximize : h.constants.objectiveSense.minimize,
    );
    this.model.run();
    this.solves++;
    const s = this.model.getModelStatus();
    const ms = h.constants.modelStatus;
    if (s === ms.optimal) return this.model.getSolution().colValue;
    if (s === ms.unbounded) return 'unbounded';
    if (s === ms.unboundedOrInfeasible) {
      // Tell the two apart: the true values are feasible unless the tables are inconsistent.
      const again = this.solveZero();
      if (again) return 'unbounded';
    }
    if (s === ms.infeasible || s === ms.unboundedOrInfeasible) {
      throw new Error(
        `disclosure audit: the attacker's linear program is infeasible for ${describe(this.ix, this.comp)}: the published cells contradict the equations (a total differs from the sum of its parts, or would need a negative withheld cell) — the linked tables are inconsistent`,
      );
    }
    throw new Error(`disclosure audit: HiGHS ended with model status ${s} for ${describe(this.ix, this.comp)}`);
  }
  private solveZero(): boolean {
    this.model.changeColsCost({ kind: 'range', from: 0, to: this.n - 1 }, new Float64Array(this.n));
    this.model.run();
    return this.model.getModelStatus() === this.h.constants.modelStatus.optimal;
  }
  dispose(): void {
    this.model.dispose();
  }
}

export async function audit(
  t: LinkedTables,
  pattern: Pattern,
  rule: DisclosureRule,
  options: AuditOptions = {},
): Promise<AuditResult> {
  const ix = indexTables(t);
  return auditIndexed(ix, pattern, rule, options);
}

export async function auditIndexed(
  ix: Indexed,
  pattern: Pattern,
  rule: DisclosureRule,
  options: AuditOptions = {},
): Promise<AuditResult> {
  const exact = options.exact ?? true;
  const h = await highs();
  const w = requiredWidth(rule);
  const n = ix.ids.length;
  const withheld = new Uint8Array(n);
  for (const id of pattern.keys()) {
    const i = ix.index.get(id);
    if (i === undefined)
      throw new Error(`disclosure audit: the pattern withholds cell "${id}", which is not among the ${n} cells`);
    withheld[i] = 1;
  }
  const intervals: AuditInterval[] = [];
  let programs = 0;
  // Values the certificates show feasible, beside the true table's. On inconsistent tables the
  // true table is no attacker solution: then the programs alone decide (and report it).
  let known: { lo: Float64Array; hi: Float64Array } | undefined;
  if (!exact && options.certificates?.length && brokenEquation(ix) < 0) {
    known = { lo: Float64Array.from(ix.value), hi: Float64Array.from(ix.value) };
    for (const c of options.certificates) {
      const y = checkedDeviation(ix, pattern, c);
      if (y) observeDeviation(ix, y, known.lo, known.hi);
    }
  }
  const comps = components(ix, withheld);
  for (const comp of comps) {
    const got = solveComponent(h, ix, comp, pattern, w, exact, known);
    programs += got.programs;
    intervals.push(...got.intervals);
  }
  intervals.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { safe: intervals.every((x) => x.safe), intervals, programs, components: comps.length };
}

/** The intervals of one component's cells; `known`: values already shown feasible (by global index). */
export function solveComponent(
  h: Highs,
  ix: Indexed,
  comp: Component,
  pattern: Pattern,
  w: number,
  exact: boolean,
  known?: { lo: Float64Array; hi: Float64Array },
): { intervals: AuditInterval[]; programs: number } {
  const n = comp.cols.length;
  const isPrimary = comp.cols.map((c) => pattern.get(ix.ids[c]) === 'primary');
  const lo = known ? Float64Array.from(comp.cols, (c) => known.lo[c]) : new Float64Array(n).fill(Infinity);
  const hi = known ? Float64Array.from(comp.cols, (c) => known.hi[c]) : new Float64Array(n).fill(-Infinity);
  const minDone = new Uint8Array(n);
  const maxDone = new Uint8Array(n);
  const minV = new Float64Array(n);
  const maxV = new Float64Array(n);
  const intervalsOf = (): AuditInterval[] =>
    comp.cols.map((c, j) => {
      const required = isPrimary[j] ? w : 0;
      const mn = minDone[j] ? minV[j] : lo[j];
      const mx = maxDone[j] ? maxV[j] : hi[j];
      const iv: AuditInterval = {
        id: ix.ids[c],
        suppression: isPrimary[j] ? 'primary' : 'secondary',
        min: clean(mn),
        max: clean(mx),
        required,
        safe: !isPrimary[j] || mx - mn >= required - EPS,
      };
      if (!(minDone[j] && maxDone[j])) iv.exact = false;
      return iv;
    });
  if (comp.rows.length === 0) {
    // Withheld cells in no equation: anything >= 0.
    for (let j = 0; j < n; j++) {
      minDone[j] = maxDone[j] = 1;
      minV[j] = 0;
      maxV[j] = Infinity;
    }
    return { intervals: intervalsOf(), programs: 0 };
  }
  // Every primary proved by the certificates: no program needed for the verdict.
  if (!exact && known && isPrimary.every((p, j) => !p || hi[j] - lo[j] >= w - EPS))
    return { intervals: intervalsOf(), programs: 0 };
  // Bounded copy for the aggregate rounds: a cell at the cap is as good as unbounded for the verdict.
  let scale = 0;
  for (const r of comp.rows) scale += Math.abs(r.rhs);
  for (const c of comp.cols) scale += ix.value[c];
  const cap = 10 * scale + 10 * w + 1000;
  const lp = new ComponentLp(h, ix, comp, cap);
  const observe = (x: Float64Array) => {
    for (let j = 0; j < n; j++) {
      const v = x[j];
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  };
  try {
    const ones = new Float64Array(n).fill(1);
    observe(lp.solve(ones, false) as Float64Array);
    for (let j = 0; j < n; j++) if (lo[j] <= 1e-9) ((minDone[j] = 1), (minV[j] = 0));
    const certified = (j: number) => hi[j] - lo[j] >= w - EPS;
    let ub: Float64Array | undefined;
    if (exact) {
      // A row whose withheld cells all have the same sign bounds each of them: x_j <= rhs / |c_j|.
      // A cell that some solution puts on that bound has its exact maximum without a program of
      // its own; aggregate rounds (maximise the sum of the open cells) put many there at once.
      const bound = (ub = new Float64Array(n).fill(Infinity));
      for (const r of comp.rows) {
        const sgn = Math.sign(r.vals[0]);
        if (!r.vals.every((v) => Math.sign(v) === sgn)) continue;
        r.cols.forEach((j, k) => (bound[j] = Math.min(bound[j], (sgn * r.rhs) / Math.abs(r.vals[k]))));
      }
      const settle = () => {
        let k = 0;
        for (let j = 0; j < n; j++)
          if (!maxDone[j] && hi[j] >= bound[j] - 1e-9) ((maxDone[j] = 1), (maxV[j] = bound[j]), k++);
        return k;
      };
      settle();
      for (let round = 0; round < 4; round++) {
        const costs = new Float64Array(n);
        let open = 0;
        for (let j = 0; j < n; j++) if (!maxDone[j] && Number.isFinite(bound[j])) ((costs[j] = 1), open++);
        if (open === 0) break;
        const x = lp.solve(costs, true);
        if (x === 'unbounded') break;
        observe(x);
        if (settle() === 0) break;
      }
    }
    if (!exact) {
      // Aggregate rounds: push every uncertified primary up at once.
      for (let round = 0; round < 6; round++) {
        const costs = new Float64Array(n);
        let k = 0;
        for (let j = 0; j < n; j++) if (isPrimary[j] && !certified(j)) ((costs[j] = 1), k++);
        if (k === 0) break;
        const before = costs.reduce((s, c, j) => s + (c ? hi[j] : 0), 0);
        const x = lp.solve(costs, true);
        if (x === 'unbounded') break;
        observe(x);
        const after = costs.reduce((s, c, j) => s + (c ? hi[j] : 0), 0);
        if (after <= before + EPS) break;
      }
    }
    const unit = new Float64Array(n);
    const need = (j: number) => exact || (isPrimary[j] && !certified(j));
    let free: ComponentLp | undefined;
    for (let j = 0; j < n; j++) {
      if (!need(j)) continue;
      unit.fill(0);
      unit[j] = 1;
      if (!minDone[j]) {
        const x = lp.solve(unit, false) as Float64Array;
        observe(x);
        minDone[j] = 1;
        minV[j] = Math.max(0, x[j]);
      }
      if (ub && !maxDone[j] && hi[j] >= ub[j] - 1e-9) ((maxDone[j] = 1), (maxV[j] = ub[j]));
      if (maxDone[j]) continue;
      const x = lp.solve(unit, true) as Float64Array;
      observe(x);
      if (x[j] >= cap * (1 - 1e-9)) {
        // At the cap: solve without it to tell a large bound from none.
        free ??= new ComponentLp(h, ix, comp);
        const y = free.solve(unit, true);
        maxV[j] = y === 'unbounded' ? Infinity : y[j];
      } else maxV[j] = x[j];
      maxDone[j] = 1;
    }
    const programs = lp.solves + (free?.solves ?? 0);
    free?.dispose();
    return { intervals: intervalsOf(), programs };
  } finally {
    lp.dispose();
  }
}

function clean(v: number): number {
  if (!Number.isFinite(v)) return v;
  const r = Math.round(v);
  return Math.abs(v - r) < 1e-7 ? r : v;
}
