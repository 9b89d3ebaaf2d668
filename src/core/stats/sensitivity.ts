// Robustness of a composite index (issue #5): Monte-Carlo weight perturbation and
// leave-one-indicator-out. For each valid area: the share of runs in which it keeps its class and its
// rank range. The valid set and the per-indicator transformation are those of the index itself (the
// weights do not change who is excluded or how an indicator is standardised); every run recombines,
// restandardises (if the definition does) and reclassifies (quantile breaks are recomputed per run).
// Inner loops use preallocated typed arrays only; see docs/methods-indices.md.
import {
  classOf,
  combineScores,
  prepareIndex,
  resolveClasses,
  type IndexData,
  type PreparedIndex,
} from './composite.ts';
import type { IndexDefinition, IndexDefinitionInput } from './index-definition.ts';
import { quantileSorted, sdAround, upperBound } from './descriptive.ts';
import { SeededRandom } from './random.ts';

export interface SensitivityOptions {
  /** Monte-Carlo runs (default 1000). */
  runs?: number;
  /** Each weight is multiplied by a factor drawn uniformly from [1 − ε, 1 + ε] (default 0.2). */
  epsilon?: number;
  /** Seed of the PRNG (default 1): the same seed gives the same runs. */
  seed?: number;
  /** Also drop each indicator once (default true; needs at least 2 components). */
  leaveOneOut?: boolean;
}

interface RunSummary {
  /** Share of runs in which the area keeps its class (null when the index has no classes). */
  keepShare: number | null;
  /** Best and worst rank over the base run and these runs (1 = highest score). */
  minRank: number;
  maxRank: number;
}

export interface SensitivityArea {
  area: string;
  excluded: string | null;
  /** Score, class and rank of the index as defined (the base run). */
  score: number | null;
  class: number | null;
  rank: number | null;
  /** Monte-Carlo weight perturbation. */
  weights: RunSummary | null;
  /** Leave-one-indicator-out, with the indicators whose removal changes the area's class. */
  leaveOneOut: (RunSummary & { changesWhenDropping: string[] }) | null;
}

export interface SensitivityResult {
  key: string;
  runs: number;
  epsilon: number;
  seed: number;
  indicators: string[];
  areas: SensitivityArea[];
  summary: {
    nValid: number;
    /** Valid areas that keep their class in every Monte-Carlo run (null without classes). */
    stableUnderWeights: number | null;
    /** Valid areas that keep their class whichever indicator is dropped (null without classes or leave-one-out). */
    stableUnderLeaveOneOut: number | null;
  };
}

/** Reusable buffers of one scenario evaluation: nothing is allocated per run. */
class Evaluator {
  readonly nValid: number;
  readonly raw: Float64Array;
  readonly score: Float64Array;
  readonly sorted: Float64Array;
  readonly cls: Int32Array;
  readonly rank: Int32Array;
  private readonly qBreaks: Float64Array | null;
  private readonly fixed: ReturnType<typeof resolveClasses> | null;

  constructor(private readonly p: PreparedIndex) {
    const n = (this.nValid = p.valid.length);
    this.raw = new Float64Array(n);
    this.score = new Float64Array(n);
    this.sorted = new Float64Array(n);
    this.cls = new Int32Array(n);
    this.rank = new Int32Array(n);
    const classes = p.def.classes;
    this.qBreaks = classes?.method === 'quantiles' ? new Float64Array(classes.n - 1) : null;
    this.fixed = classes && classes.method !== 'quantiles' ? resolveClasses(classes, []) : null;
  }

  /** Scores, ranks and classes for one coefficient vector. */
  run(coef: Float64Array): void {
    const { p, nValid: n, raw, score, sorted, cls, rank } = this;
    combineScores(p, coef, raw);
    if (p.reSd) {
      let s = 0;
      for (let v = 0; v < n; v++) s += raw[v];
      const mu = s / n;
      const sd = sdAround(raw, mu, p.reSd, n);
      for (let v = 0; v < n; v++) score[v] = sd > 0 ? (raw[v] - mu) / sd : 0;
    } else score.set(raw);
    sorted.set(score);
    sorted.sort();
    const classes = p.def.classes;
    let breaks: ArrayLike<number> | null = null;
    let closed = this.fixed?.closed ?? 'right';
    let centre = 0;
    let tol = 0;
    if (this.fixed) {
      breaks = this.fixed.breaks;
      centre = this.fixed.centre;
      tol = this.fixed.tolerance;
    } else if (classes?.method === 'quantiles') {
      const q = this.qBreaks!;
      for (let i = 1; i < classes.n; i++) q[i - 1] = quantileSorted(sorted, i / classes.n, n);
      breaks = q;
      closed = classes.closed;
      centre = classes.centre;
      tol = classes.tolerance;
    }
    for (let v = 0; v < n; v++) {
      const s = score[v];
      rank[v] = n - upperBound(sorted, s, n) + 1;
      cls[v] = breaks ? classOf(s, breaks, closed, centre, tol) : 0;
    }
  }
}

/**
 * Monte-Carlo weight perturbation and leave-one-indicator-out for an index definition and its data.
 * Deterministic for a given seed.
 */
export function sensitivity(
  definition: IndexDefinition | IndexDefinitionInput,
  data: IndexData,
  options: SensitivityOptions = {},
): SensitivityResult {
  const runs = options.runs ?? 1000;
  const epsilon = options.epsilon ?? 0.2;
  const seed = options.seed ?? 1;
  if (!Number.isInteger(runs) || runs < 0) throw new RangeError(`runs must be a whole number ≥ 0, got ${runs}`);
  if (!(epsilon >= 0 && epsilon < 1)) throw new RangeError(`epsilon must be in [0, 1), got ${epsilon}`);
  const p = prepareIndex(definition, data);
  const def = p.def;
  const m = p.indicators.length;
  const n = p.valid.length;
  const hasClasses = !!def.classes;
  const ev = new Evaluator(p);

  // Base run with the weights as defined.
  ev.run(p.coef);
  const baseCls = Int32Array.from(ev.cls);
  const baseRank = Int32Array.from(ev.rank);
  const baseScore = Float64Array.from(ev.score);

  const weights = def.components.map((c) => c.weight);
  const dirs = def.components.map((c) => c.direction);
  const wsum = weights.reduce((a, b) => a + b, 0);
  const scale = def.combine === 'mean' ? wsum : 1;
  const coef = new Float64Array(m);
  const w = new Float64Array(m);

  // Monte Carlo: w'_j = w_j · U(1 − ε, 1 + ε), renormalised to the original total weight.
  const rng = new SeededRandom(seed);
  const keep = new Int32Array(n);
  const minR = Int32Array.from(baseRank);
  const maxR = Int32Array.from(baseRank);
  for (let r = 0; r < runs; r++) {
    let s = 0;
    for (let j = 0; j < m; j++) {
      w[j] = weights[j] * (1 - epsilon + 2 * epsilon * rng.next());
      s += w[j];
    }
    const f = wsum / s;
    for (let j = 0; j < m; j++) coef[j] = (w[j] * f * dirs[j]) / scale;
    ev.run(coef);
    const { cls, rank } = ev;
    for (let v = 0; v < n; v++) {
      if (cls[v] === baseCls[v]) keep[v]++;
      const rk = rank[v];
      if (rk < minR[v]) minR[v] = rk;
      if (rk > maxR[v]) maxR[v] = rk;
    }
  }

  // Leave one out: weight 0 for the dropped indicator, the others scaled to the original total weight.
  const doLoo = (options.leaveOneOut ?? true) && m >= 2;
  const looKeep = new Int32Array(n);
  const looMin = Int32Array.from(baseRank);
  const looMax = Int32Array.from(baseRank);
  const looChanges: string[][] = doLoo ? Array.from({ length: n }, () => []) : [];
  if (doLoo) {
    for (let k = 0; k < m; k++) {
      const f = wsum / (wsum - weights[k]);
      for (let j = 0; j < m; j++) coef[j] = j === k ? 0 : (weights[j] * f * dirs[j]) / scale;
      ev.run(coef);
      for (let v = 0; v < n; v++) {
        if (ev.cls[v] === baseCls[v]) looKeep[v]++;
        else if (hasClasses) looChanges[v].push(p.indicators[k]);
        const rk = ev.rank[v];
        if (rk < looMin[v]) looMin[v] = rk;
        if (rk > looMax[v]) looMax[v] = rk;
      }
    }
  }

  const areas: SensitivityArea[] = p.areas.map((area, i) => ({
    area,
    excluded: p.excluded[i],
    score: null,
    class: null,
    rank: null,
    weights: null,
    leaveOneOut: null,
  }));
  let stableW = 0;
  let stableL = 0;
  for (let v = 0; v < n; v++) {
    const a = areas[p.valid[v]];
    a.score = baseScore[v];
    a.class = hasClasses ? baseCls[v] : null;
    a.rank = baseRank[v];
    a.weights = { keepShare: hasClasses && runs > 0 ? keep[v] / runs : null, minRank: minR[v], maxRank: maxR[v] };
    if (hasClasses && keep[v] === runs) stableW++;
    if (doLoo) {
      a.leaveOneOut = {
        keepShare: hasClasses ? looKeep[v] / m : null,
        minRank: looMin[v],
        maxRank: looMax[v],
        changesWhenDropping: looChanges[v],
      };
      if (hasClasses && looKeep[v] === m) stableL++;
    }
  }
  return {
    key: def.key,
    runs,
    epsilon,
    seed,
    indicators: p.indicators,
    areas,
    summary: {
      nValid: n,
      stableUnderWeights: hasClasses ? stableW : null,
      stableUnderLeaveOneOut: hasClasses && doLoo ? stableL : null,
    },
  };
}
