// Secondary suppression (sekundäre Geheimhaltung): further cells are withheld until the attacker
// (audit.ts) can narrow no primary cell to less than its protection width, across all linked
// tables at once. The method and why: docs/decisions/0020-disclosure-control-method.md.
//
// For the primaries not yet proved safe (in a fixed order: smaller values first, then id), in
// batches of up to 16 that share no equation with each other's neighbours, one linear program over
// the whole table (DeviationLp, one persistent HiGHS model) finds the cheapest single deviation d
// of the true values that keeps every equation, keeps every cell >= 0 and moves each primary of
// the batch up by the protection width; cost: each published cell's cost times its share of the
// width moved (withheld cells almost free, so later primaries reuse them). Every cell d moves is
// withheld; the true table and the deviated one are both feasible attacker solutions, so each
// primary of the batch is then provably safe — and stays safe, since withholding more only widens
// intervals. Each deviation is checked against the equations (verify) and recorded, scaled as far
// as non-negativity allows, as feasible values of every cell it moves, so later primaries that it
// already protects need no program. Where no single deviation exists (a primary that must move
// down), the older local two-sided program ("partial problem" of Fischetti and Salazar over a
// neighbourhood grown by row generation) protects it. When every primary is proved by checked
// deviations the pattern is final; otherwise a final audit checks every component. On small tables
// a last pass drops secondary cells that are not needed.
import type { DisclosureRule, LinkedTables, Pattern } from './model.ts';
import { indexTables, type Indexed } from './tables.ts';
import { highs, QUIET, csr } from './lp.ts';
import { primaryCells, requiredWidth } from './primary.ts';
import { audit, auditIndexed, components, solveComponent } from './audit.ts';
import type { Highs } from 'highs';
import {
  observeDeviation as observe,
  toCertificate,
  verifyDeviation as verify,
  type Certificate,
} from './certificates.ts';

const EPS = 1e-6;
const MOVED = 1e-7;
/** Primaries protected by one deviation program at most (larger batches measured slightly worse patterns). */
const BATCH = 16;
/** The order of primaries (see primaryOrder): 1 = smaller values first. */
const ORDER = 1;

export interface ProtectResult {
  pattern: Pattern;
  primary: number;
  secondary: number;
  secondaryValue: number;
  /** Linear programs solved for the pattern (protection programs; audit programs in the final check). */
  programs: number;
  /**
   * The checked deviations that prove the primaries safe (certificates.ts), for the audit: it
   * checks them again and then needs programs only for primaries they leave open.
   */
  certificates: Certificate[];
}

export interface ProtectOptions {
  /** Drop secondary cells that turn out unnecessary (one attacker check each). Default: on when at most 400 secondaries. */
  cleanup?: boolean;
  /** Rounds of local search (publish a secondary again, protect anew, keep when cheaper). Default: 2 for small tables (<= 2,000 cells, <= 60 secondaries), else 0. */
  improve?: number;
  /**
   * Withhold partners so that no equation keeps a single withheld cell, before any program.
   * Default off: on the demo-sized benchmark tables it made the pattern slower (94 s against 55 s
   * at load 15) and larger (3,074 against 2,431 secondary cells).
   */
  prepass?: boolean;
}

export async function protect(
  t: LinkedTables,
  rule: DisclosureRule,
  options: ProtectOptions = {},
): Promise<ProtectResult> {
  const h = await highs();
  const ix = indexTables(t);
  // Smaller primaries first: measured 3 % fewer secondary cells than larger first on both benchmark tables.
  let best = await protectOnce(h, ix, t, rule, options, ORDER);
  let programs = best.programs;
  // Local search (small tables): publish one secondary cell again, forbid it, protect anew from the
  // rest of the pattern; keep the result when it is cheaper. Costliest cells first.
  const rounds = options.improve ?? (ix.ids.length <= 2000 && best.secondary <= 60 ? 2 : 0);
  for (let round = 0; round < rounds; round++) {
    let better = false;
    const sec = [...best.pattern.entries()].filter(([, s]) => s === 'secondary').map(([id]) => ix.index.get(id)!);
    sec.sort((a, b) => ix.cost[b] - ix.cost[a] || a - b);
    for (const c of sec) {
      if (!best.withheld[c]) continue;
      const init = Uint8Array.from(best.withheld);
      init[c] = 0;
      const forbidden = new Uint8Array(ix.ids.length);
      forbidden[c] = 1;
      let r: Awaited<ReturnType<typeof protectOnce>>;
      try {
        r = await protectOnce(h, ix, t, rule, options, ORDER, init, forbidden);
      } catch {
        continue; // c cannot be spared
      }
      programs += r.programs;
      if (r.cost < best.cost - EPS) ((best = r), (better = true));
    }
    if (!better) break;
  }
  const { cost: _cost, withheld: _w, ...result } = best;
  return { ...result, programs };
}

/**
 * protect(), then the attacker's verdict on the pattern (audit with exact: false, checking the
 * pattern's certificates and solving programs only for what they leave open): what the server
 * publishes from. Throws when the attacker can narrow a primary below its width — a pattern that
 * fails its audit is never used.
 */
export async function protectChecked(
  t: LinkedTables,
  rule: DisclosureRule,
  options: ProtectOptions = {},
): Promise<ProtectResult & { auditPrograms: number }> {
  const r = await protect(t, rule, options);
  const a = await audit(t, r.pattern, rule, { exact: false, certificates: r.certificates });
  if (!a.safe) {
    const bad = a.intervals.filter((x) => !x.safe);
    throw new Error(
      `disclosure: the attacker narrows ${bad.length} primary cell(s) of the pattern below the protection width (e.g. "${bad[0].id}"); the pattern is not used`,
    );
  }
  return { ...r, auditPrograms: a.programs };
}

/** The orders in which primaries are protected, one per start: larger values first, smaller first, by id. */
function primaryOrder(ix: Indexed, primaries: number[], start: number): number[] {
  const v = ix.value;
  if (start % 3 === 0) return [...primaries].sort((a, b) => v[b] - v[a] || a - b);
  if (start % 3 === 1) return [...primaries].sort((a, b) => v[a] - v[b] || a - b);
  return [...primaries].sort((a, b) => a - b);
}

async function protectOnce(
  h: Highs,
  ix: Indexed,
  t: LinkedTables,
  rule: DisclosureRule,
  options: ProtectOptions,
  start: number,
  initial?: Uint8Array,
  forbidden?: Uint8Array,
): Promise<ProtectResult & { cost: number; withheld: Uint8Array }> {
  const w = requiredWidth(rule);
  const n = ix.ids.length;
  const prim = primaryCells(t, rule);
  const pattern: Pattern = new Map();
  const withheld = initial ? Uint8Array.from(initial) : new Uint8Array(n);
  const primaries: number[] = [];
  for (const id of prim.keys()) {
    const i = ix.index.get(id)!;
    withheld[i] = 1;
    primaries.push(i);
  }
  const lo = Float64Array.from(ix.value);
  const hi = Float64Array.from(ix.value);
  const order = primaryOrder(ix, primaries, start);
  let programs = 0;
  const proofs: Map<number, number>[] = [];
  const apply = (got: { moved: number[]; deviations: Map<number, number>[] }) => {
    for (const c of got.moved) withheld[c] = 1;
    // Only a checked deviation proves anything; an unchecked one leaves its primaries to the audit.
    for (const y of got.deviations) if (verify(ix, y)) (observe(ix, y, lo, hi), proofs.push(y));
  };
  const protectOne = (p: number, minRadius: number) => {
    // Grow the neighbourhood along the equations the cheapest deviation would break (row
    // generation): start with the cells one equation away; an equation with cells outside may be
    // broken at a prohibitive price, and when the program breaks it, its cells join.
    const inN = new Set(neighbourhood(ix, p, 1).cells);
    for (let iter = 0; iter < 40; iter++) {
      const got = protectionLp(
        h,
        ix,
        p,
        [...inN].sort((a, b) => a - b),
        withheld,
        w,
        forbidden,
        true,
      );
      programs++;
      if (!got) break;
      if ('moved' in got) return apply(got);
      for (const r of got.grow) for (const c of ix.rows[r].cells) inN.add(c);
    }
    for (let radius = minRadius; ; radius++) {
      const nb = neighbourhood(ix, p, radius);
      const got = protectionLp(h, ix, p, nb.cells, withheld, w, forbidden);
      programs++;
      if (got && 'moved' in got) return apply(got);
      if (nb.complete)
        throw new Error(
          `disclosure: primary cell "${ix.ids[p]}" cannot be protected even with every cell withheld (the equations fix it)`,
        );
    }
  };
  if (options.prepass) noSingletons(ix, withheld);
  // First choice: the cheapest single deviation over the whole table (one persistent program),
  // for a batch of primaries at once that share no equation with each other's neighbours (their
  // deviations rarely interact, and one solve instead of many saves HiGHS's per-run cost); the
  // local two-sided program only where no single deviation exists (e.g. a primary that must move down).
  const dev = new DeviationLp(h, ix, withheld, w, forbidden);
  const taken = new Uint8Array(n);
  try {
    let pending = order;
    while (pending.length) {
      pending = pending.filter((p) => hi[p] - lo[p] < w - EPS);
      if (!pending.length) break;
      taken.fill(0);
      const batch: number[] = [];
      const rest: number[] = [];
      for (const p of pending) {
        let free = batch.length < BATCH;
        for (const r of ix.cellRows[p]) if (free) for (const c of ix.rows[r].cells) if (taken[c]) ((free = false), 0);
        if (!free) {
          rest.push(p);
          continue;
        }
        batch.push(p);
        for (const r of ix.cellRows[p]) for (const c of ix.rows[r].cells) taken[c] = 1;
      }
      let got = dev.protect(batch);
      programs++;
      if (!got && batch.length > 1) {
        // One of them has no single deviation: each on its own, the others unaffected.
        for (const p of batch) {
          if (hi[p] - lo[p] >= w - EPS) continue;
          const one = dev.protect([p]);
          programs++;
          if (one && verify(ix, one.deviations[0])) apply(one);
          else protectOne(p, 2);
        }
      } else if (got && verify(ix, got.deviations[0])) apply(got);
      else for (const p of batch) protectOne(p, 2);
      pending = rest;
    }
  } finally {
    dev.dispose();
  }
  const setPattern = () => {
    pattern.clear();
    for (let i = 0; i < n; i++) if (withheld[i]) pattern.set(ix.ids[i], prim.has(ix.ids[i]) ? 'primary' : 'secondary');
  };
  // Final check by the attacker, unless every primary is already proved by checked deviations (two
  // feasible attacker tables the width apart: the audit's own proof, without its programs). A
  // primary found unsafe (numerical noise at most) gets a wider program.
  const proved = primaries.every((p) => hi[p] - lo[p] >= w - EPS);
  setPattern();
  for (let round = 0; !proved; round++) {
    setPattern();
    const a = await auditIndexed(ix, pattern, rule, { exact: false });
    programs += a.programs;
    const unsafe = a.intervals.filter((x) => !x.safe).map((x) => ix.index.get(x.id)!);
    if (unsafe.length === 0) break;
    if (round >= 3)
      throw new Error(
        `disclosure: ${unsafe.length} primary cell(s) still unsafe after protection (e.g. "${ix.ids[unsafe[0]]}")`,
      );
    for (const p of unsafe) protectOne(p, 3 + round);
  }
  const secondaries = () =>
    [...pattern.entries()].filter(([, s]) => s === 'secondary').map(([id]) => ix.index.get(id)!);
  if (options.cleanup ?? (n <= 2000 && secondaries().length <= 400))
    programs += cleanup(h, ix, withheld, pattern, w, secondaries());
  setPattern();
  const sec = secondaries();
  // A cell published again by the clean-up invalidates the proofs that move it.
  const certificates = proofs.filter((y) => [...y.keys()].every((c) => withheld[c])).map((y) => toCertificate(ix, y));
  return {
    pattern,
    primary: primaries.length,
    secondary: sec.length,
    secondaryValue: sec.reduce((s, c) => s + ix.value[c], 0),
    programs,
    certificates,
    cost: sec.reduce((s, c) => s + ix.cost[c] + (ix.keep[c] ? 1e9 : 0), 0),
    withheld,
  };
}

/**
 * The cheapest single deviation d for one primary p over the whole linked table: E·d = 0 for every
 * equation, value + d >= 0, d_p >= w; cost Σ cost_k·|d_k| / w over published cells (withheld cells
 * almost free, `keep` cells prohibitive, forbidden cells fixed). The true table and the deviated
 * one are both feasible for the attacker, so p's interval is at least w wide. One HiGHS model for
 * all primaries: per primary only p's bounds and the costs of newly withheld cells change, and
 * each solve starts from the logical basis (the zero deviation is optimal there, so the dual
 * simplex starts feasible and needs only about as many pivots as the deviation has cells — a warm
 * start from the previous primary's basis measured far slower). Global, not a neighbourhood: the
 * optimal deviations reach three to six equations away, and bounded neighbourhoods gave worse
 * patterns (see decision 0020).
 */
class DeviationLp {
  private model;
  private readonly n: number;
  private readonly tiny: number;
  /** Cells whose columns already carry the withheld (almost free) cost. */
  private readonly free: Uint8Array;
  constructor(
    private h: Highs,
    private ix: Indexed,
    private withheld: Uint8Array,
    private w: number,
    forbidden?: Uint8Array,
  ) {
    const n = (this.n = ix.ids.length);
    let maxCost = 1;
    for (let k = 0; k < n; k++) maxCost = Math.max(maxCost, ix.cost[k]);
    this.tiny = 1e-6 / w;
    const colCost = new Float64Array(2 * n);
    const colLower = new Float64Array(2 * n);
    const colUpper = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      const c = withheld[k] ? this.tiny : (ix.keep[k] ? ix.cost[k] + 1e4 * maxCost : ix.cost[k]) / w;
      colCost[2 * k] = colCost[2 * k + 1] = c;
      const fixed = !withheld[k] && forbidden?.[k];
      colUpper[2 * k] = fixed ? 0 : h.infinity;
      colUpper[2 * k + 1] = fixed ? 0 : ix.value[k];
    }
    const rows = ix.rows.map((r) => {
      const cols: number[] = [];
      const vals: number[] = [];
      r.cells.forEach((c, j) => (cols.push(2 * c, 2 * c + 1), vals.push(r.coefs[j], -r.coefs[j])));
      return { cols, vals };
    });
    const zero = new Float64Array(rows.length);
    this.model = h.createModel({
      numCols: 2 * n,
      numRows: rows.length,
      colCost,
      colLower,
      colUpper,
      rowLower: zero,
      rowUpper: zero,
      matrix: csr(2 * n, rows),
    });
    this.model.options.set(QUIET);
    this.free = Uint8Array.from(withheld);
  }
  /** One deviation moving every primary of `ps` up by w (every cell it moves is to be withheld), or undefined when there is none. */
  protect(ps: number[]): { moved: number[]; deviations: Map<number, number>[] } | undefined {
    const { h, ix, model, withheld } = this;
    // Cells withheld since the last call (by this program or another method) become almost free.
    const idx: number[] = [];
    for (let k = 0; k < this.n; k++) if (withheld[k] && !this.free[k]) ((this.free[k] = 1), idx.push(2 * k, 2 * k + 1));
    if (idx.length) model.changeColsCost({ kind: 'set', indices: idx }, new Float64Array(idx.length).fill(this.tiny));
    for (const p of ps) {
      model.changeColBounds(2 * p, this.w, h.infinity);
      model.changeColBounds(2 * p + 1, 0, 0);
    }
    model.setLogicalBasis();
    try {
      model.run();
      if (model.getModelStatus() !== h.constants.modelStatus.optimal) return undefined;
      const x = model.getSolution().colValue;
      const y = new Map<number, number>();
      const moved: number[] = [];
      for (let k = 0; k < this.n; k++) {
        const d = x[2 * k] - x[2 * k + 1];
        if (Math.abs(d) <= MOVED) continue;
        y.set(k, d);
        if (!withheld[k]) moved.push(k);
      }
      return { moved, deviations: [y] };
    } finally {
      for (const p of ps) {
        model.changeColBounds(2 * p, 0, h.infinity);
        model.changeColBounds(2 * p + 1, 0, ix.value[p]);
      }
    }
  }
  dispose(): void {
    this.model.dispose();
  }
}

/** Tries to publish each secondary cell again (costliest first); keeps it published when every primary of its component stays safe. */
function cleanup(h: Highs, ix: Indexed, withheld: Uint8Array, pattern: Pattern, w: number, sec: number[]): number {
  let programs = 0;
  const order = [...sec].sort((a, b) => ix.cost[b] - ix.cost[a] || a - b);
  for (const c of order) {
    withheld[c] = 0;
    pattern.delete(ix.ids[c]);
    // Only the components that contained c can change; check those touching c's equations.
    const comps = components(ix, withheld);
    let ok = true;
    const near = new Set<number>();
    for (const r of ix.cellRows[c]) for (const x of ix.rows[r].cells) near.add(x);
    for (const comp of comps) {
      if (!comp.cols.some((x) => near.has(x))) continue;
      const got = solveComponent(h, ix, comp, pattern, w, false);
      programs += got.programs;
      if (!got.intervals.every((x) => x.safe)) {
        ok = false;
        break;
      }
    }
    if (!ok) {
      withheld[c] = 1;
      pattern.set(ix.ids[c], 'secondary');
    }
  }
  return programs;
}

/** The cells within `radius` equations of p (breadth first); complete when it holds every reachable cell. */
function neighbourhood(ix: Indexed, p: number, radius: number): { cells: number[]; complete: boolean } {
  const inN = new Set<number>([p]);
  let frontier = [p];
  const seenRow = new Set<number>();
  for (let k = 0; k < radius && frontier.length; k++) {
    const next: number[] = [];
    for (const c of frontier)
      for (const r of ix.cellRows[c]) {
        if (seenRow.has(r)) continue;
        seenRow.add(r);
        for (const x of ix.rows[r].cells) if (!inN.has(x)) (inN.add(x), next.push(x));
      }
    frontier = next;
  }
  const cells = [...inN].sort((a, b) => a - b);
  return { cells, complete: frontier.length === 0 || radius > ix.ids.length };
}

/**
 * Large tables: before any program, no equation may keep exactly one withheld cell (it would be
 * recomputed from the others at once). While one does, its cheapest published cell is withheld too.
 * Necessary, not sufficient; the programs and the audit do the rest.
 */
function noSingletons(ix: Indexed, withheld: Uint8Array): number {
  const count = new Int32Array(ix.rows.length);
  ix.rows.forEach((r, ri) => r.cells.forEach((c) => (count[ri] += withheld[c])));
  const queue: number[] = [];
  count.forEach((k, ri) => k === 1 && queue.push(ri));
  let added = 0;
  while (queue.length) {
    const ri = queue.shift()!;
    if (count[ri] !== 1) continue;
    let best = -1;
    for (const c of ix.rows[ri].cells) {
      if (withheld[c]) continue;
      const key = ix.cost[c] + (ix.keep[c] ? 1e12 : 0);
      const bk = best < 0 ? Infinity : ix.cost[best] + (ix.keep[best] ? 1e12 : 0);
      if (key < bk) best = c;
    }
    if (best < 0) continue;
    withheld[best] = 1;
    added++;
    for (const r of ix.cellRows[best]) if (++count[r] === 1) queue.push(r);
  }
  return added;
}

/**
 * The protection program for primary p over the cells N; undefined when infeasible within N.
 * Columns per cell k: uU, dU, uD, dD (up and down parts of the two deviations), z (its share
 * of being newly withheld).
 */
function protectionLp(
  h: Highs,
  ix: Indexed,
  p: number,
  N: number[],
  withheld: Uint8Array,
  w: number,
  forbidden?: Uint8Array,
  slack = false,
): { moved: number[]; deviations: Map<number, number>[] } | { grow: number[] } | undefined {
  const local = new Map<number, number>();
  N.forEach((c, k) => local.set(c, k));
  const m = N.length;
  const nc = 5 * m;
  const cost = new Float64Array(nc);
  const upper = new Float64Array(nc);
  let maxCost = 1;
  for (const c of N) maxCost = Math.max(maxCost, ix.cost[c]);
  N.forEach((c, k) => {
    const a = ix.value[c];
    upper[5 * k] = h.infinity;
    upper[5 * k + 1] = a;
    upper[5 * k + 2] = h.infinity;
    upper[5 * k + 3] = a;
    const tiny = 1e-6 / w;
    for (let j = 0; j < 4; j++) cost[5 * k + j] = tiny;
    if (withheld[c]) upper[5 * k + 4] = 0;
    else {
      upper[5 * k + 4] = forbidden?.[c] ? 0 : h.infinity;
      cost[5 * k + 4] = ix.keep[c] ? ix.cost[c] + 1e4 * maxCost : ix.cost[c];
    }
  });
  const rows: { cols: number[]; vals: number[] }[] = [];
  const rl: number[] = [];
  const ru: number[] = [];
  const seen = new Set<number>();
  const slackRows: number[] = [];
  for (const c of N)
    for (const r of ix.cellRows[c]) {
      if (seen.has(r)) continue;
      seen.add(r);
      const row = ix.rows[r];
      const boundary = slack && row.cells.some((x) => !local.has(x));
      for (const off of [0, 2]) {
        const cols: number[] = [];
        const vals: number[] = [];
        row.cells.forEach((x, j) => {
          const k = local.get(x);
          if (k === undefined) return;
          cols.push(5 * k + off, 5 * k + off + 1);
          vals.push(row.coefs[j], -row.coefs[j]);
        });
        if (boundary) {
          // The cells outside would have to move: allowed at a prohibitive price, and reported.
          cols.push(nc + 2 * slackRows.length, nc + 2 * slackRows.length + 1);
          vals.push(1, -1);
          slackRows.push(r);
        }
        rows.push({ cols, vals });
        rl.push(0);
        ru.push(0);
      }
    }
  N.forEach((c, k) => {
    if (withheld[c]) return;
    for (const off of [0, 2]) {
      rows.push({ cols: [5 * k + off, 5 * k + off + 1, 5 * k + 4], vals: [1, 1, -w] });
      rl.push(-h.infinity);
      ru.push(0);
    }
  });
  const kp = local.get(p)!;
  rows.push({ cols: [5 * kp, 5 * kp + 1, 5 * kp + 2, 5 * kp + 3], vals: [1, -1, -1, 1] });
  rl.push(w);
  ru.push(h.infinity);
  const ns = 2 * slackRows.length;
  const all = nc + ns;
  const colCost = new Float64Array(all);
  colCost.set(cost);
  colCost.fill((10 * maxCost) / w, nc);
  const colLower = new Float64Array(all);
  const colUpper = new Float64Array(all).fill(h.infinity);
  colUpper.set(upper);
  const model = h.createModel({
    numCols: all,
    numRows: rows.length,
    colCost,
    colLower,
    colUpper,
    rowLower: rl,
    rowUpper: ru,
    matrix: csr(all, rows),
  });
  try {
    model.options.set(QUIET);
    model.run();
    const s = model.getModelStatus();
    if (s !== h.constants.modelStatus.optimal) return undefined;
    const x = model.getSolution().colValue;
    const grow = new Set<number>();
    slackRows.forEach((r, i) => {
      if (x[nc + 2 * i] > MOVED || x[nc + 2 * i + 1] > MOVED) grow.add(r);
    });
    if (grow.size) return { grow: [...grow].sort((a, b) => a - b) };
    const moved: number[] = [];
    const U = new Map<number, number>();
    const D = new Map<number, number>();
    N.forEach((c, k) => {
      const yu = x[5 * k] - x[5 * k + 1];
      const yd = x[5 * k + 2] - x[5 * k + 3];
      if (Math.abs(yu) > MOVED) U.set(c, yu);
      if (Math.abs(yd) > MOVED) D.set(c, yd);
      if (!withheld[c] && (Math.abs(yu) > MOVED || Math.abs(yd) > MOVED || x[5 * k + 4] > MOVED)) moved.push(c);
    });
    return { moved, deviations: [U, D] };
  } finally {
    model.dispose();
  }
}
