// Use cases of analysis: compute a composite index or a typology over the areas of a layer from
// the statistics database. Every input is read with the caller's rights, so a result is never
// more visible than its most restricted input.
import type { Queryable } from '../store/db.ts';
import type { Principal } from '../core/access.ts';
import { parseIndexDefinition, type IndexDefinition } from '../core/stats/index-definition.ts';
import { computeIndex, changesAll, type IndexResult } from '../core/stats/composite.ts';
import { parseTypologyDefinition, type TypologyDefinition } from '../core/stats/typology-definition.ts';
import { standardize, wardD2, cutree, kmeans, clusterDiagnostics } from '../core/stats/cluster.ts';
import { describeTypes } from '../core/stats/typology.ts';
import { InputRejected } from '../core/problems.ts';
import { getObservations } from './query.ts';

/** Values of several indicators for every area of a layer at one period (null where not shown). */
async function valuesByArea(db: Queryable, who: Principal, indicators: string[], layer: string, period: string): Promise<{ areas: string[]; names: Record<string, string>; values: Record<string, (number | null)[]> }> {
  let areas: string[] | undefined;
  const values: Record<string, (number | null)[]> = {};
  const names: Record<string, string> = {};
  for (const key of indicators) {
    const a = await getObservations(db, { indicator: key, layer, period }, who);
    if (!areas) areas = a.values.map((v) => v.area);
    const byArea = new Map(a.values.map((v) => [v.area, v.value]));
    values[key] = areas.map((c) => byArea.get(c) ?? null);
    names[key] = a.indicator.name;
    if (values[key].every((v) => v === null)) {
      const reason = `"${key}" has no values on layer "${layer}" for the period ${a.period.key}`;
      throw new InputRejected([{ severity: 'error', code: 'no-data', value: key, reason, hint: 'check the period (a Stichtag such as 2024-12-31 is not the year 2024) and the layer' }], `${reason}; check the period and the layer.`);
    }
  }
  return { areas: areas ?? [], names, values };
}

export interface IndexAnswer {
  definition: IndexDefinition;
  period: string;
  result: IndexResult;
}

export async function computeIndexFor(db: Queryable, who: Principal, input: unknown, o: { period?: string; file?: string } = {}): Promise<IndexAnswer> {
  const def = parseIndexDefinition(input, o.file);
  const period = o.period ?? def.period;
  const keys = def.components.map((c) => c.indicator);
  const now = await valuesByArea(db, who, keys, def.layer, period);
  let values = now.values;
  if (def.change) {
    // Dynamics: the change of each input from `change.from` to the period.
    const before = await valuesByArea(db, who, keys, def.layer, def.change.from);
    const aligned: Record<string, (number | null)[]> = {};
    const pos = new Map(before.areas.map((c, i) => [c, i]));
    for (const k of keys) aligned[k] = now.areas.map((c) => (pos.has(c) ? before.values[k][pos.get(c)!] : null));
    values = changesAll(now.values, aligned);
  }
  let base: (number | null)[] | undefined;
  const minBase = def.exclude.minBase;
  if (minBase) base = (await valuesByArea(db, who, [minBase.indicator], def.layer, period)).values[minBase.indicator];
  return { definition: def, period, result: computeIndex(def, { areas: now.areas, values, base }) };
}

export function indexRowsToCsv(a: IndexAnswer, delimiter: ';' | ',' = ';'): string {
  const dec = delimiter === ';' ? ',' : '.';
  const num = (n: number | null) => (n === null ? '' : String(Math.round(n * 1e10) / 1e10).replace('.', dec));
  const cell = (s: string) => (s.includes(delimiter) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [['area', 'score', 'class', 'label', 'excluded'].join(delimiter)];
  for (const r of a.result.rows) lines.push([r.area, num(r.score), r.class === null ? '' : String(r.class), r.label ?? '', r.excluded ?? ''].map(cell).join(delimiter));
  return lines.join('\n') + '\n';
}

export interface TypologyAnswer {
  definition: TypologyDefinition;
  rows: { area: string; type: number | null; excluded: string | null }[];
  types: { type: number; n: number; description: string; means: Record<string, number> }[];
  diagnostics: ReturnType<typeof clusterDiagnostics>;
}

export async function computeTypologyFor(db: Queryable, who: Principal, input: unknown, o: { file?: string } = {}): Promise<TypologyAnswer> {
  const def = parseTypologyDefinition(input, o.file);
  const { areas, names, values } = await valuesByArea(db, who, def.indicators, def.layer, def.period);
  const excluded = new Map(def.exclude.map((e) => [e.code, e.reason]));
  const use: number[] = [];
  const reason: (string | null)[] = areas.map((c, i) => {
    if (excluded.has(c)) return excluded.get(c)!;
    const missing = def.indicators.filter((k) => values[k][i] === null);
    if (missing.length) return `no value for ${missing.join(', ')}`;
    use.push(i);
    return null;
  });
  if (use.length <= def.k) {
    throw new InputRejected([{ severity: 'error', code: 'too-few-areas', reason: `only ${use.length} areas have every indicator; ${def.k} types need more` }], `Only ${use.length} areas have values for every indicator; ${def.k} types need more.`);
  }
  const rows = use.map((i) => def.indicators.map((k) => values[k][i] as number));
  const z = standardize(rows, def.sd, def.indicators);
  const tree = def.method === 'ward' ? wardD2(z.data) : undefined;
  const clusters = tree ? cutree(tree, def.k) : kmeans(z.data, def.k, { seed: def.seed, nstart: def.nstart }).cluster;
  const typeOf = new Map(use.map((i, j) => [i, clusters[j]]));
  const labels = def.indicators.map((k) => names[k]);
  const profiles = describeTypes(z.data, clusters, labels);
  return {
    definition: def,
    rows: areas.map((c, i) => ({ area: c, type: typeOf.get(i) ?? null, excluded: reason[i] })),
    types: profiles.map((p) => ({ type: Number(p.type), n: p.n, description: p.description, means: Object.fromEntries(def.indicators.map((k, j) => [k, p.means[j]])) })),
    diagnostics: clusterDiagnostics(z.data, { method: def.method, kMin: 2, kMax: Math.min(10, use.length - 1), tree, seed: def.seed, nstart: def.nstart }),
  };
}
