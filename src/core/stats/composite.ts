// Composite indices (issue #5): exclusions, transformation, weighted combination, optional second
// standardisation, classification, and the component contributions that explain each score.
// Pure computation: no I/O, deterministic (fixed summation order), typed arrays in the hot loops.
// Every choice is documented in docs/methods-indices.md.
import { InputRejected, codedList, type Problem } from '../problems.ts';
import { coded, englishText, type Coded, type ParamValue } from '../../contracts/codes/index.ts';
import {
  parseClasses,
  parseIndexDefinition,
  restandardizeSd,
  type ClosedSide,
  type IndexClasses,
  type IndexClassesInput,
  type IndexDefinition,
  type IndexDefinitionInput,
} from './index-definition.ts';
import { averageRanks, isMissing, quantileSorted, sdAround, upperBound, type Num, type SdKind } from './descriptive.ts';

export type { Num } from './descriptive.ts';

/** Input values, aligned with `areas`: one array per indicator key (null / undefined / NaN = missing). */
export interface IndexData {
  areas: readonly string[];
  values: Readonly<Record<string, ArrayLike<Num>>>;
  /** Base for exclude.minBase (e.g. inhabitants); defaults to values[minBase.indicator]. */
  base?: ArrayLike<Num>;
}

export interface IndexRow {
  area: string;
  /** Final score (after the second standardisation, if any); null when excluded. */
  score: number | null;
  /** Combined score before the second standardisation: the sum of the contributions. */
  rawScore: number | null;
  /** 1-based class number, null when excluded or when the definition has no classes. */
  class: number | null;
  label: string | null;
  /** Rank by score, 1 = highest score (most need); ties share the best rank (1, 2, 2, 4). */
  rank: number | null;
  /** Why the area has no score (the named reason, the base rule or the missing input); null otherwise. */
  excluded: string | null;
  /** The code of `excluded` and its parameters, when the index computed it (not for a reason the definition names). */
  excludedCode?: string;
  excludedParams?: Record<string, ParamValue>;
  /** weight × direction × transformed value per indicator (÷ Σweight for combine "mean"); they sum to rawScore. */
  contributions: Record<string, number> | null;
  /** Indicators whose missing value was imputed (missing: "mean"); a shared empty list otherwise. */
  imputed: readonly string[];
}

interface ComponentStats {
  indicator: string;
  weight: number;
  direction: 1 | -1;
  /** The factor applied to the transformed value: weight × direction (÷ Σweight for "mean"). */
  coefficient: number;
  /** Valid areas with an observed value (these alone define mean, sd, min, max). */
  nObserved: number;
  /** Valid areas whose missing value was imputed. */
  nImputed: number;
  mean: number;
  /** Standard deviation of the kind in `sdKind`. */
  sd: number;
  sdKind: SdKind;
  min: number;
  max: number;
}

interface IndexStats {
  nAreas: number;
  nValid: number;
  nExcluded: number;
  components: ComponentStats[];
  /** Mean and sd of rawScore across the valid areas (sd of the restandardisation kind, else population). */
  combined: { mean: number; sd: number; sdKind: SdKind };
  /** Whether, and with which sd, the combined score was standardised again. */
  restandardized: SdKind | null;
  /** Breaks used for classification (quantile breaks are computed from the valid scores). */
  breaks: number[] | null;
  /** Number of valid areas per class (index 0 = class 1). */
  classCounts: number[] | null;
}

export interface IndexResult {
  key: string;
  rows: IndexRow[];
  stats: IndexStats;
  /** Non-fatal remarks, e.g. an excluded area code that is not in the data. */
  warnings: string[];
  /** The same as codes, in the same order. */
  warningCodes: Coded[];
}

/** The validated, transformed inputs of an index: shared by computeIndex and the sensitivity analysis. */
export interface PreparedIndex {
  def: IndexDefinition;
  areas: readonly string[];
  indicators: string[];
  /** Reason per area, null for valid areas. */
  excluded: (string | null)[];
  /** The same as a code, where the index computed the reason (the base rule, missing inputs). */
  exclusion: (Coded | null)[];
  /** Area indices of the valid areas, ascending. */
  valid: Int32Array;
  /** Transformed values, nValid × m, row-major (row v belongs to area valid[v]). */
  t: Float64Array;
  /** weight × direction (÷ Σweight for "mean") per component. */
  coef: Float64Array;
  /** Imputed indicators per valid row (only rows with imputations). */
  imputed: Map<number, string[]>;
  components: ComponentStats[];
  /** sd kind of the second standardisation, or null. */
  reSd: SdKind | null;
  warnings: string[];
  warningCodes: Coded[];
}

function reject(code: string, reason: string, column?: string): never {
  const p: Problem = { severity: 'error', code, reason, column };
  throw new InputRejected([p], reason);
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

/**
 * Validates the data against the definition, applies the exclusions, computes the per-component
 * statistics over the valid areas and the transformed values. Throws InputRejected with a clear
 * message for missing inputs, a standard deviation (or range) of 0, or too few valid areas.
 */
export function prepareIndex(definition: IndexDefinition | IndexDefinitionInput, data: IndexData): PreparedIndex {
  const def = parseIndexDefinition(definition);
  const areas = data.areas;
  const n = areas.length;
  const warningCodes: Coded[] = [];
  const indicators = def.components.map((c) => c.indicator);
  const m = indicators.length;

  const position = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (position.has(areas[i])) reject('duplicate-area', `area "${areas[i]}" occurs twice in the data`, 'areas');
    position.set(areas[i], i);
  }
  const missCount = new Int32Array(n);
  // Each input column as a Float64Array with NaN for missing values (fast, uniform access below).
  const cols: Float64Array[] = indicators.map((ind) => {
    const col = data.values[ind];
    if (!col) reject('missing-indicator', `no values for component "${ind}"`, `values.${ind}`);
    if (col.length !== n)
      reject('length-mismatch', `values.${ind} has ${col.length} entries for ${n} areas`, `values.${ind}`);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (v === null || v === undefined || v !== v) {
        out[i] = NaN;
        missCount[i]++;
      } else if (typeof v === 'number' && v - v === 0)
        out[i] = v; // v − v is NaN for ±Infinity
      else
        reject(
          'bad-value',
          `values.${ind}[${i}] (area "${areas[i]}") is not a finite number: ${String(v)}`,
          `values.${ind}`,
        );
    }
    return out;
  });

  // 1. Exclusions, in this order of precedence: named areas, minimum base, missing values.
  const excluded: (string | null)[] = new Array(n).fill(null);
  const exclusion: (Coded | null)[] = new Array(n).fill(null);
  const exclude = (i: number, c: Coded) => {
    exclusion[i] = c;
    excluded[i] = englishText(c);
  };
  for (const a of def.exclude.areas) {
    const i = position.get(a.code);
    if (i === undefined) warningCodes.push(coded('note-excluded-area-not-in-data', { area: a.code, reason: a.reason }));
    else excluded[i] = a.reason;
  }
  const minBase = def.exclude.minBase;
  if (minBase) {
    const base = data.base ?? data.values[minBase.indicator];
    if (!base)
      reject(
        'missing-base',
        `exclude.minBase needs the base "${minBase.indicator}" (data.base or values.${minBase.indicator})`,
        'exclude.minBase',
      );
    if (base.length !== n)
      reject(
        'length-mismatch',
        `the base "${minBase.indicator}" has ${base.length} entries for ${n} areas`,
        'exclude.minBase',
      );
    for (let i = 0; i < n; i++) {
      if (excluded[i] !== null) continue;
      const b = base[i];
      if (isMissing(b)) exclude(i, coded('reason-missing-base', { indicator: minBase.indicator }));
      else if (b < minBase.min)
        exclude(i, coded('reason-base-below', { indicator: minBase.indicator, value: fmt(b), min: fmt(minBase.min) }));
    }
  }
  const policy = def.missing;
  for (let i = 0; i < n; i++) {
    if (excluded[i] !== null || missCount[i] === 0) continue;
    let missing: string[] | null = null;
    for (let j = 0; j < m; j++) if (Number.isNaN(cols[j][i])) (missing ??= []).push(indicators[j]);
    if (!missing) continue;
    if (policy === 'exclude')
      exclude(
        i,
        coded(missing.length > 1 ? 'reason-missing-values-for' : 'reason-missing-value-for', {
          indicators: codedList(missing),
        }),
      );
    else if (missing.length === m) exclude(i, coded('reason-missing-all-components'));
  }

  let nValid = 0;
  for (let i = 0; i < n; i++) if (excluded[i] === null) nValid++;
  if (nValid === 0) reject('no-valid-areas', `no valid areas: all ${n} areas are excluded`);
  const valid = new Int32Array(nValid);
  for (let i = 0, v = 0; i < n; i++) if (excluded[i] === null) valid[v++] = i;

  // 2. Per component: statistics over the observed values of the valid areas, then the transform.
  const t = new Float64Array(nValid * m);
  const coef = new Float64Array(m);
  const wsum = def.components.reduce((s, c) => s + c.weight, 0);
  const imputed = new Map<number, string[]>();
  const components: ComponentStats[] = [];
  const obs = new Float64Array(nValid);
  const rowOf = new Int32Array(nValid);
  const tr = def.transform;
  const sdKind: SdKind = tr.method === 'zscore' ? tr.sd : 'population';

  for (let j = 0; j < m; j++) {
    const c = def.components[j];
    const col = cols[j];
    coef[j] = (c.weight * c.direction) / (def.combine === 'mean' ? wsum : 1);
    let k = 0;
    for (let v = 0; v < nValid; v++) {
      const x = col[valid[v]];
      if (x !== x) {
        const list = imputed.get(v);
        if (list) list.push(c.indicator);
        else imputed.set(v, [c.indicator]);
      } else {
        obs[k] = x;
        rowOf[k] = v;
        k++;
      }
    }
    if (k === 0)
      reject(
        'no-observed-values',
        `component "${c.indicator}" has no value in any of the ${nValid} valid areas`,
        `values.${c.indicator}`,
      );
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let q = 0; q < k; q++) {
      const x = obs[q];
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const mu = sum / k;
    const sd = sdAround(obs, mu, sdKind, k);
    components.push({
      indicator: c.indicator,
      weight: c.weight,
      direction: c.direction,
      coefficient: coef[j],
      nObserved: k,
      nImputed: nValid - k,
      mean: mu,
      sd,
      sdKind,
      min,
      max,
    });

    let imputedT: number;
    if (tr.method === 'zscore') {
      if (k < 2 && sdKind === 'sample')
        reject(
          'too-few-areas',
          `component "${c.indicator}": a sample standard deviation needs at least 2 valid areas, got ${k}`,
          `values.${c.indicator}`,
        );
      if (!(sd > 0))
        reject(
          'zero-sd',
          `component "${c.indicator}": the standard deviation across the ${k} valid areas is 0 (every value is ${fmt(min)}), so a z-score is undefined; drop the indicator or change the exclusions`,
          `values.${c.indicator}`,
        );
      for (let q = 0; q < k; q++) t[rowOf[q] * m + j] = (obs[q] - mu) / sd;
      imputedT = 0;
    } else if (tr.method === 'minmax') {
      const range = max - min;
      if (!(range > 0))
        reject(
          'zero-range',
          `component "${c.indicator}": every valid area has the value ${fmt(min)}, so min–max scaling is undefined; drop the indicator or change the exclusions`,
          `values.${c.indicator}`,
        );
      for (let q = 0; q < k; q++) t[rowOf[q] * m + j] = (obs[q] - min) / range;
      imputedT = (mu - min) / range;
    } else {
      // Percentile rank: (average rank − 1) / (n − 1); a single value gets 0.5.
      const ranks = averageRanks(obs.subarray(0, k));
      for (let q = 0; q < k; q++) t[rowOf[q] * m + j] = k > 1 ? (ranks[q] - 1) / (k - 1) : 0.5;
      imputedT = 0.5;
    }
    if (k < nValid) for (let v = 0; v < nValid; v++) if (Number.isNaN(col[valid[v]])) t[v * m + j] = imputedT;
  }

  return {
    def,
    areas,
    indicators,
    excluded,
    exclusion,
    valid,
    t,
    coef,
    imputed,
    components,
    reSd: restandardizeSd(def),
    warnings: warningCodes.map(englishText),
    warningCodes,
  };
}

/** rawScore of each valid row: Σ coefficient × transformed value, summed in component order. */
export function combineScores(p: PreparedIndex, coef: Float64Array = p.coef, out?: Float64Array): Float64Array {
  const m = p.indicators.length;
  const nValid = p.valid.length;
  const raw = out ?? new Float64Array(nValid);
  const t = p.t;
  for (let v = 0; v < nValid; v++) {
    let s = 0;
    const o = v * m;
    for (let j = 0; j < m; j++) s += coef[j] * t[o + j];
    raw[v] = s;
  }
  return raw;
}

/** Effective classification: breaks (quantile breaks from the values) and how to treat a value on a break. */
export interface ResolvedClasses {
  breaks: number[];
  labels: string[];
  closed: ClosedSide;
  centre: number;
  tolerance: number;
}

/** Breaks of a classification for the given (non-missing) values; quantile labels default to Q1 … Qn. */
export function resolveClasses(classes: IndexClasses, values: ArrayLike<number>): ResolvedClasses {
  if (classes.method !== 'quantiles')
    return {
      breaks: classes.breaks,
      labels: classes.labels,
      closed: classes.closed,
      centre: classes.centre,
      tolerance: classes.tolerance,
    };
  const sorted = Float64Array.from(values).sort();
  const breaks: number[] = [];
  for (let i = 1; i < classes.n; i++) breaks.push(quantileSorted(sorted, i / classes.n));
  const labels = classes.labels ?? Array.from({ length: classes.n }, (_, i) => `Q${i + 1}`);
  return { breaks, labels, closed: classes.closed, centre: classes.centre, tolerance: classes.tolerance };
}

/**
 * 1-based class of a value. A value within `tolerance` of a break counts as equal to it and goes to
 * the class below the break (closed "right"), above it ("left"), or towards `centre` ("centre":
 * breaks below the centre belong to the class above them, breaks at or above it to the class below).
 */
export function classOf(
  value: number,
  breaks: ArrayLike<number>,
  closed: ClosedSide,
  centre = 0,
  tolerance = 0,
): number {
  let c = 1;
  for (let j = 0; j < breaks.length; j++) {
    const b = breaks[j];
    if (value > b + tolerance) c++;
    else if (value >= b - tolerance) {
      if (closed === 'left' || (closed === 'centre' && b < centre)) c++;
      break;
    } else break;
  }
  return c;
}

export interface Classification {
  class: (number | null)[];
  label: (string | null)[];
  breaks: number[];
  counts: number[];
}

/**
 * Classifies scores (null / NaN stay unclassified). Quantile breaks are computed from the
 * non-missing scores given here. Accepts the `classes` part of an index definition.
 */
export function classify(scores: ArrayLike<Num>, classes: IndexClasses | IndexClassesInput): Classification {
  const spec = parseClasses(classes);
  const present: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!isMissing(s)) present.push(s);
  }
  const r = resolveClasses(spec, present);
  const counts = new Array<number>(r.labels.length).fill(0);
  const cls: (number | null)[] = [];
  const label: (string | null)[] = [];
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (isMissing(s)) {
      cls.push(null);
      label.push(null);
      continue;
    }
    const c = classOf(s, r.breaks, r.closed, r.centre, r.tolerance);
    counts[c - 1]++;
    cls.push(c);
    label.push(r.labels[c - 1]);
  }
  return { class: cls, label, breaks: r.breaks, counts };
}

/** Final scores of the valid rows from raw scores: restandardised when the definition says so. */
function finishScores(
  raw: Float64Array,
  reSd: SdKind | null,
  out?: Float64Array,
): { score: Float64Array; mean: number; sd: number } {
  const n = raw.length;
  let s = 0;
  for (let v = 0; v < n; v++) s += raw[v];
  const mu = s / n;
  const sd = sdAround(raw, mu, reSd ?? 'population', n);
  if (!reSd) return { score: raw, mean: mu, sd };
  if (!(sd > 0))
    reject(
      'zero-sd',
      `the combined score has standard deviation 0 across the ${n} valid areas, so it cannot be standardised again; set "restandardize": false`,
      'restandardize',
    );
  const score = out ?? new Float64Array(n);
  for (let v = 0; v < n; v++) score[v] = (raw[v] - mu) / sd;
  return { score, mean: mu, sd };
}

const NONE: readonly string[] = Object.freeze([]);

type RecordMaker = (coef: Float64Array, t: Float64Array, offset: number) => Record<string, number>;

/** Builds the contribution records (indicator key → weighted, directed, transformed value). */
function recordMaker(keys: readonly string[]): RecordMaker {
  // A plain loop on purpose: no generated code (new Function), even if it would be faster.
  return (c, t, o) => {
    const r: Record<string, number> = {};
    for (let j = 0; j < keys.length; j++) r[keys[j]] = c[j] * t[o + j];
    return r;
  };
}

/**
 * Computes a composite index. Excluded areas (named, below the minimum base, or with a missing input
 * under missing = "exclude") get no score and do not enter any mean or standard deviation.
 */
export function computeIndex(definition: IndexDefinition | IndexDefinitionInput, data: IndexData): IndexResult {
  const p = prepareIndex(definition, data);
  const { def, valid, indicators, coef, t } = p;
  const m = indicators.length;
  const nValid = valid.length;
  const raw = combineScores(p);
  const fin = finishScores(raw, p.reSd);
  const score = fin.score;

  let resolved: ResolvedClasses | null = null;
  let counts: number[] | null = null;
  if (def.classes) {
    resolved = resolveClasses(def.classes, score);
    counts = new Array<number>(resolved.labels.length).fill(0);
  }
  const sortedScores = Float64Array.from(score).sort();
  const makeRecord = recordMaker(indicators);

  const rows: IndexRow[] = new Array(p.areas.length);
  for (let i = 0; i < p.areas.length; i++) {
    if (p.excluded[i] !== null) {
      const c = p.exclusion[i];
      rows[i] = {
        area: p.areas[i],
        score: null,
        rawScore: null,
        class: null,
        label: null,
        rank: null,
        excluded: p.excluded[i],
        ...(c ? { excludedCode: c.code, excludedParams: c.params } : {}),
        contributions: null,
        imputed: NONE,
      };
    }
  }
  for (let v = 0; v < nValid; v++) {
    const i = valid[v];
    const contributions = makeRecord(coef, t, v * m);
    const s = score[v];
    let cls: number | null = null;
    let label: string | null = null;
    if (resolved) {
      cls = classOf(s, resolved.breaks, resolved.closed, resolved.centre, resolved.tolerance);
      label = resolved.labels[cls - 1];
      counts![cls - 1]++;
    }
    const rank = nValid - upperBound(sortedScores, s, nValid) + 1;
    rows[i] = {
      area: p.areas[i],
      score: s,
      rawScore: raw[v],
      class: cls,
      label,
      rank,
      excluded: null,
      contributions,
      imputed: p.imputed.get(v) ?? NONE,
    };
  }

  return {
    key: def.key,
    rows,
    stats: {
      nAreas: p.areas.length,
      nValid,
      nExcluded: p.areas.length - nValid,
      components: p.components,
      combined: { mean: fin.mean, sd: fin.sd, sdKind: p.reSd ?? 'population' },
      restandardized: p.reSd,
      breaks: resolved ? resolved.breaks : null,
      classCounts: counts,
    },
    warnings: p.warnings,
    warningCodes: p.warningCodes,
  };
}

// ---------------------------------------------------------------------------------------------
// Dynamics in the manner of Berlin's MSS

/**
 * Change between two periods, element by element: valueT − valueEarlier (for shares in percent this
 * is the change in percentage points). Missing if either value is missing.
 */
export function changes(valuesT: ArrayLike<Num>, valuesEarlier: ArrayLike<Num>): (number | null)[] {
  if (valuesT.length !== valuesEarlier.length)
    throw new RangeError(`changes(): ${valuesT.length} values at t but ${valuesEarlier.length} at the earlier period`);
  const out: (number | null)[] = new Array(valuesT.length);
  for (let i = 0; i < valuesT.length; i++) {
    const a = valuesT[i];
    const b = valuesEarlier[i];
    out[i] = isMissing(a) || isMissing(b) ? null : a - b;
  }
  return out;
}

/** changes() for every indicator present in both records (keys of the first record, in order). */
export function changesAll(
  valuesT: Readonly<Record<string, ArrayLike<Num>>>,
  valuesEarlier: Readonly<Record<string, ArrayLike<Num>>>,
): Record<string, (number | null)[]> {
  const out: Record<string, (number | null)[]> = {};
  for (const k of Object.keys(valuesT)) {
    const e = valuesEarlier[k];
    if (!e) throw new RangeError(`changesAll(): "${k}" has no values at the earlier period`);
    out[k] = changes(valuesT[k], e);
  }
  return out;
}

/** Class labels of the MSS status index (classes 1–4) and dynamics index (classes 1–3). */
const STATUS_LABELS = ['hoch', 'mittel', 'niedrig', 'sehr niedrig'] as const;
const DYNAMICS_LABELS = ['positiv', 'stabil', 'negativ'] as const;

/**
 * The combined status/dynamics class of the 4 × 3 matrix (MSS), e.g. (1, 1) → "hoch/positiv",
 * (4, 3) → "sehr niedrig/negativ"; null when either class is missing (excluded area).
 */
export function combinedStatusDynamics(
  statusClass: number | null | undefined,
  dynamicsClass: number | null | undefined,
  labels: { status?: readonly string[]; dynamics?: readonly string[] } = {},
): string | null {
  if (statusClass == null || dynamicsClass == null) return null;
  const status = labels.status ?? STATUS_LABELS;
  const dynamics = labels.dynamics ?? DYNAMICS_LABELS;
  if (!Number.isInteger(statusClass) || statusClass < 1 || statusClass > status.length)
    throw new RangeError(`status class must be 1…${status.length}, got ${statusClass}`);
  if (!Number.isInteger(dynamicsClass) || dynamicsClass < 1 || dynamicsClass > dynamics.length)
    throw new RangeError(`dynamics class must be 1…${dynamics.length}, got ${dynamicsClass}`);
  return `${status[statusClass - 1]}/${dynamics[dynamicsClass - 1]}`;
}
