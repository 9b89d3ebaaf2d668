// Typologies (issue #5) in the browser: the definition as readable URL parameters (so every state
// is a permalink), the compact request body, checks before asking the server, the categorical
// colours of the types, the suggested number of types from the diagnostics, and the plain-language
// reading of a comparison (adjusted Rand index, best matches in the cross table).
// Pure functions, unit-tested in test/web/typology.test.ts.
import { commonPeriods } from './indexdef.ts';
import type { CrossTable } from '../../../src/core/stats/typology.ts';
import type { TypologyDefinition } from '../../../src/core/stats/typology-definition.ts';
import type { DiagnosticRow } from '../../../src/core/stats/cluster.ts';
// The definition, the cross table and the diagnostics are the server's types (core computes them).
export type { CrossTable, DiagnosticRow, TypologyDefinition };

// The types' colours and a saved typology's types are shared with the report renderer.
export {
  TYPE_COLORS,
  contrastRatio,
  textOn,
  typeColor,
  typesOfLineage,
} from '../../../src/core/stats/typology-types.ts';

export type TypologyMethod = TypologyDefinition['method'];

/** The server's defaults (left out of URLs and request bodies). */
export const DEFAULTS = {
  method: 'ward' as TypologyMethod,
  k: 4,
  sd: 'population' as const,
  seed: 1,
  nstart: 10,
  key: 'typisierung',
  name: 'Typisierung',
};
/** Types the form offers (the schema allows up to 50; the diagnostics cover 2…10). */
export const K_MIN = 2;
export const K_MAX = 12;

/** Indicators tried first for a new typology (the example of docs/analysis.md), when the catalogue has them. */
const PREFERRED_INDICATORS = ['arbeitslose_anteil', 'kinderarmut_anteil', 'anteil_65plus', 'anteil_unter6'];

const KEY_RE = /^[a-z][a-z0-9_]*$/;

function int(v: string | undefined, fallback: number, min: number, max: number): number {
  if (v === undefined || !/^-?\d+$/.test(v.trim())) return fallback;
  const n = Number(v);
  return n < min || n > max ? fallback : n;
}

/** The list of excluded areas as one URL parameter: `code:reason;code:reason` (`%` and `;` in reasons escaped). */
export function formatExclusions(xs: readonly { code: string; reason: string }[]): string {
  return xs.map((x) => `${x.code}:${x.reason.replace(/%/g, '%25').replace(/;/g, '%3B')}`).join(';');
}

export function parseExclusions(v: string | undefined): { code: string; reason: string }[] {
  if (!v) return [];
  const out: { code: string; reason: string }[] = [];
  for (const item of v.split(';')) {
    const i = item.indexOf(':');
    if (i <= 0) continue;
    const code = item.slice(0, i).trim();
    const reason = item
      .slice(i + 1)
      .replace(/%3B/gi, ';')
      .replace(/%25/g, '%')
      .trim();
    if (code && reason && !out.some((x) => x.code === code)) out.push({ code, reason });
  }
  return out;
}

function list(v: string | undefined): string[] {
  if (!v) return [];
  return [
    ...new Set(
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * The definition from URL parameters; `prefix` reads a second definition (the comparison, e.g.
 * `vmethod`, `vk`, `vindicators`), whose missing parts come from `base`.
 */
export function definitionFromParams(
  params: Record<string, string>,
  base?: TypologyDefinition,
  prefix = '',
): TypologyDefinition {
  const p = (k: string) => params[prefix + k];
  return {
    key: p('key') && KEY_RE.test(p('key')) ? p('key') : (base?.key ?? DEFAULTS.key),
    name: p('name') ?? base?.name ?? DEFAULTS.name,
    layer: p('layer') ?? base?.layer ?? '',
    period: p('period') ?? base?.period ?? '',
    indicators: p('indicators') !== undefined ? list(p('indicators')) : [...(base?.indicators ?? [])],
    method: p('method') === 'kmeans' ? 'kmeans' : p('method') === 'ward' ? 'ward' : (base?.method ?? DEFAULTS.method),
    k: int(p('k'), base?.k ?? DEFAULTS.k, K_MIN, 50),
    sd: p('sd') === 'sample' ? 'sample' : p('sd') === 'population' ? 'population' : (base?.sd ?? DEFAULTS.sd),
    seed: int(p('seed'), base?.seed ?? DEFAULTS.seed, -2147483648, 2147483647),
    nstart: int(p('nstart'), base?.nstart ?? DEFAULTS.nstart, 1, 1000),
    exclude: p('ex') !== undefined ? parseExclusions(p('ex')) : [...(base?.exclude ?? [])],
  };
}

/** URL parameters of a definition; parameters equal to the defaults are removed (null). */
export function definitionParams(d: TypologyDefinition): Record<string, string | null> {
  return {
    key: d.key === DEFAULTS.key ? null : d.key,
    name: d.name === DEFAULTS.name ? null : d.name,
    layer: d.layer || null,
    period: d.period || null,
    indicators: d.indicators.join(','),
    method: d.method,
    k: String(d.k),
    sd: d.sd === DEFAULTS.sd ? null : d.sd,
    seed: d.method === 'kmeans' && d.seed !== DEFAULTS.seed ? String(d.seed) : null,
    nstart: d.method === 'kmeans' && d.nstart !== DEFAULTS.nstart ? String(d.nstart) : null,
    ex: d.exclude.length ? formatExclusions(d.exclude) : null,
  };
}

/** The request body for the API and the CLI (`typology compute --definition`): defaults left out. */
export function compactTypology(d: TypologyDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {
    key: d.key,
    name: d.name,
    layer: d.layer,
    period: d.period,
    indicators: d.indicators,
    method: d.method,
    k: d.k,
  };
  if (d.description) out.description = d.description;
  if (d.sd !== DEFAULTS.sd) out.sd = d.sd;
  if (d.method === 'kmeans') {
    if (d.seed !== DEFAULTS.seed) out.seed = d.seed;
    if (d.nstart !== DEFAULTS.nstart) out.nstart = d.nstart;
  }
  if (d.exclude.length) out.exclude = d.exclude;
  return out;
}

/** A stored definition (the lineage of a saved typology indicator) as a complete definition. */
export function normalizeTypology(x: unknown): TypologyDefinition | null {
  if (!x || typeof x !== 'object') return null;
  const o = x as Record<string, unknown>;
  if (
    typeof o.layer !== 'string' ||
    typeof o.period !== 'string' ||
    !Array.isArray(o.indicators) ||
    typeof o.k !== 'number'
  )
    return null;
  return {
    key: typeof o.key === 'string' ? o.key : DEFAULTS.key,
    name: typeof o.name === 'string' ? o.name : DEFAULTS.name,
    ...(typeof o.description === 'string' ? { description: o.description } : {}),
    layer: o.layer,
    period: o.period,
    indicators: o.indicators.filter((i): i is string => typeof i === 'string'),
    method: o.method === 'kmeans' ? 'kmeans' : 'ward',
    k: o.k,
    sd: o.sd === 'sample' ? 'sample' : 'population',
    seed: typeof o.seed === 'number' ? o.seed : DEFAULTS.seed,
    nstart: typeof o.nstart === 'number' ? o.nstart : DEFAULTS.nstart,
    exclude: Array.isArray(o.exclude)
      ? (o.exclude as { code: string; reason: string }[]).filter(
          (e) => e && typeof e.code === 'string' && typeof e.reason === 'string',
        )
      : [],
  };
}

type TypologyProblemCode = 'key' | 'name' | 'indicators' | 'period' | 'k' | 'kAreas';
export interface TypologyProblem {
  code: TypologyProblemCode;
  /** The form field: key, name, indicators, period, k. */
  field: string;
  n?: number;
}

/** What must be fixed before the server is asked (the server checks everything again). */
export function checkTypology(d: TypologyDefinition, o: { areas?: number } = {}): TypologyProblem[] {
  const out: TypologyProblem[] = [];
  if (!KEY_RE.test(d.key)) out.push({ code: 'key', field: 'key' });
  if (!d.name.trim()) out.push({ code: 'name', field: 'name' });
  if (d.indicators.length < 2) out.push({ code: 'indicators', field: 'indicators' });
  if (!d.period) out.push({ code: 'period', field: 'period' });
  if (d.k < K_MIN || d.k > 50) out.push({ code: 'k', field: 'k' });
  else if (o.areas !== undefined && d.k >= o.areas - d.exclude.length)
    out.push({ code: 'kAreas', field: 'k', n: o.areas - d.exclude.length });
  return out;
}

/** Default indicators for a layer: the preferred ones that have values there, else the first shares/rates with values. */
export function defaultIndicators(
  indicators: readonly {
    key: string;
    type: string;
    layers?: string[];
    periods: string[];
    lineage?: { kind: string } | null;
  }[],
  layer: string,
): string[] {
  const usable = indicators.filter(
    (i) => isClusterable(i) && (!i.layers || i.layers.includes(layer)) && i.periods.length,
  );
  const preferred = PREFERRED_INDICATORS.filter((k) => usable.some((i) => i.key === k));
  if (preferred.length >= 2) return preferred;
  return usable
    .filter((i) => i.type !== 'count')
    .slice(0, 4)
    .map((i) => i.key);
}

/** Indicators that can describe areas in a typology: not categorical results (saved typologies, index classes). */
export function isClusterable(i: { key: string; lineage?: { kind: string } | null }): boolean {
  return i.lineage?.kind !== 'typology' && !i.key.endsWith('_klasse');
}

/** The latest period in which every chosen indicator has values (or the given one if still possible). */
export function pickTypologyPeriod(
  keys: readonly string[],
  periodsOf: (key: string) => readonly string[] | undefined,
  current?: string,
): string {
  const ps = commonPeriods(keys, periodsOf);
  if (current && ps.includes(current)) return current;
  return ps[ps.length - 1] ?? current ?? '';
}

// ---------------------------------------------------------------------------------------------
// Colours of the types

// ---------------------------------------------------------------------------------------------
// Diagnostics for choosing k

/** The k with the highest average silhouette (ties: the smaller k), or null without rows. */
export function suggestK(rows: readonly DiagnosticRow[]): number | null {
  let best: DiagnosticRow | null = null;
  for (const r of rows)
    if (Number.isFinite(r.silhouette) && (!best || r.silhouette > best.silhouette + 1e-12)) best = r;
  return best?.k ?? null;
}

// ---------------------------------------------------------------------------------------------
// Comparing two typologies

export type AriVerdict = 'identical' | 'similar' | 'partial' | 'weak' | 'none';

/**
 * A plain reading of the adjusted Rand index: ≥ 0,9 practically the same classification, ≥ 0,65
 * largely similar, ≥ 0,35 partly similar, ≥ 0,1 little in common, below: no more than chance.
 * (Rules of thumb for the wording only; the number is always shown.)
 */
export function ariVerdict(ari: number): AriVerdict {
  if (ari >= 0.9) return 'identical';
  if (ari >= 0.65) return 'similar';
  if (ari >= 0.35) return 'partial';
  if (ari >= 0.1) return 'weak';
  return 'none';
}

/** For each type of A, the type of B that holds most of its areas and that share (ties: the first column). */
export function bestMatches(t: CrossTable): { a: number | string; b: number | string; n: number; share: number }[] {
  return t.rows.map((a, r) => {
    let c = 0;
    for (let j = 1; j < t.cols.length; j++) if (t.counts[r][j] > t.counts[r][c]) c = j;
    const total = t.rowTotals[r];
    return { a, b: t.cols[c], n: t.counts[r][c], share: total ? t.counts[r][c] / total : 0 };
  });
}

/** Share of areas on the diagonal after matching each type of A to its best type of B. */
export function matchedShare(t: CrossTable): number {
  if (!t.n) return 0;
  return bestMatches(t).reduce((s, m) => s + m.n, 0) / t.n;
}
