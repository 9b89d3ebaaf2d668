// Comparison between municipalities (decision 0037), the pure part: checking standard indicator
// definitions (from JSON or CSV records), ranking with ties, and "similar municipalities" by the
// distance of z-standardised values — the standardisation the typologies use (docs/methods.md).
import { InputRejected, type Problem } from '../problems.ts';
import { mean, sdAround } from '../stats/descriptive.ts';
import type { ComparisonPolarity, StandardIndicator } from '../../contracts/answers/index.ts';

export const MAX_COMPARED = 10;
export const MAX_INDICATORS = 12;
const STANDARD_KEY = /^[a-z][a-z0-9_]*$/;
const POLARITIES: ComparisonPolarity[] = ['higher_is_better', 'higher_is_worse', 'neutral'];
const TYPES = ['count', 'ratio', 'value'] as const;

/** A problem of a request: 400 with this code. */
export function badRequest(code: string, reason: string, hint?: string): InputRejected {
  return new InputRejected(
    [{ severity: 'error', code, reason, ...(hint ? { hint } : {}) }],
    reason[0].toUpperCase() + reason.slice(1) + '.' + (hint ? ` ${hint}` : ''),
  );
}

/**
 * Standard indicator definitions from records (a JSON array, or CSV rows with the same field
 * names): every problem is collected, each with the record's position; nothing partial.
 */
export function checkStandards(records: Record<string, unknown>[], file?: string): StandardIndicator[] {
  const problems: Problem[] = [];
  const out: StandardIndicator[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    const line = typeof r.__line === 'number' ? r.__line : i + 1;
    const where = { file, line };
    const text = (f: string, max: number): string | undefined => {
      const v = r[f];
      const s = typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';
      if (!s) {
        problems.push({
          severity: 'error',
          code: 'missing-field',
          reason: `record ${i + 1}: "${f}" is missing`,
          column: f,
          ...where,
        });
        return undefined;
      }
      if (s.length > max) {
        problems.push({
          severity: 'error',
          code: 'field-too-long',
          reason: `record ${i + 1}: "${f}" has more than ${max} characters`,
          column: f,
          ...where,
        });
        return undefined;
      }
      return s;
    };
    const key = text('key', 64);
    if (key !== undefined && !STANDARD_KEY.test(key))
      problems.push({
        severity: 'error',
        code: 'bad-standard-key',
        reason: `"${key}" is not a standard key`,
        hint: 'lower-case letters, digits and underscores, starting with a letter',
        column: 'key',
        value: key,
        ...where,
      });
    if (key !== undefined && seen.has(key))
      problems.push({
        severity: 'error',
        code: 'duplicate-standard',
        reason: `the key "${key}" appears twice`,
        column: 'key',
        value: key,
        ...where,
      });
    if (key) seen.add(key);
    const nameDe = text('nameDe', 200);
    const nameEn = text('nameEn', 200);
    const unit = text('unit', 40);
    const definition = text('definition', 4000);
    const basis = text('basis', 200);
    const type = text('type', 10);
    if (type !== undefined && !(TYPES as readonly string[]).includes(type))
      problems.push({
        severity: 'error',
        code: 'bad-type',
        reason: `"${type}" is not a type`,
        hint: 'count, ratio or value',
        column: 'type',
        value: type,
        ...where,
      });
    const polarity = text('polarity', 40);
    if (polarity !== undefined && !POLARITIES.includes(polarity as ComparisonPolarity))
      problems.push({
        severity: 'error',
        code: 'bad-polarity',
        reason: `"${polarity}" is not a polarity`,
        hint: POLARITIES.join(', '),
        column: 'polarity',
        value: polarity,
        ...where,
      });
    const decText = text('decimals', 2);
    const decimals = decText === undefined ? NaN : Number(decText);
    if (decText !== undefined && !(Number.isInteger(decimals) && decimals >= 0 && decimals <= 6))
      problems.push({
        severity: 'error',
        code: 'bad-decimals',
        reason: `"${decText}" is not a number of decimals from 0 to 6`,
        column: 'decimals',
        value: decText,
        ...where,
      });
    if (key && nameDe && nameEn && unit && definition && basis && type && polarity && Number.isInteger(decimals)) {
      out.push({
        key,
        nameDe,
        nameEn,
        unit,
        type: type as StandardIndicator['type'],
        definition,
        basis,
        polarity: polarity as ComparisonPolarity,
        decimals,
      });
    }
  });
  if (!records.length)
    problems.push({ severity: 'error', code: 'no-standards', reason: 'the file holds no standard indicator', file });
  if (problems.length) throw new InputRejected(problems);
  return out;
}

/** Competition ranks ("1, 2, 2, 4") of values, highest first; null values get no rank. */
export function competitionRanks(values: (number | null)[]): { rank: number | null; tied: number }[] {
  const order = values.map((v, i) => ({ v, i })).filter((x): x is { v: number; i: number } => x.v !== null);
  order.sort((a, b) => b.v - a.v || a.i - b.i);
  const out = values.map(() => ({ rank: null as number | null, tied: 0 }));
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].v === order[start].v) end++;
    for (let k = start; k <= end; k++) out[order[k].i] = { rank: start + 1, tied: end - start };
    start = end + 1;
  }
  return out;
}

export interface SimilarInput {
  own: string;
  indicators: string[];
  /** Per municipality, per indicator, per reference date: the published value (null when withheld). */
  values: Map<string, Map<string, Map<string, number | null>>>;
}

export interface SimilarResult {
  referenceDate: string | null;
  constant: string[];
  compared: number;
  reason?: 'own-not-published' | 'no-common-period';
  ownValues?: Record<string, number>;
  ranked: { key: string; distance: number; values: Record<string, number>; z: Record<string, number> }[];
}

/**
 * Similar municipalities: at the latest reference date at which the own municipality and at least
 * one other have a value of every chosen indicator, each indicator is z-standardised across the
 * municipalities that have them all (mean and population sd of those), and the others are ordered
 * by their Euclidean distance to the own municipality in that space — the squared Euclidean
 * distance of the typologies' Ward clustering, as a nearest-neighbour list. Indicators with sd 0
 * are left out (they cannot tell municipalities apart). Ties in distance keep the key order.
 */
export function similarMunicipalities(input: SimilarInput): SimilarResult {
  const { own, indicators, values } = input;
  const complete = (m: string, date: string) =>
    indicators.every((ind) => typeof values.get(m)?.get(ind)?.get(date) === 'number');
  const ownValues = values.get(own);
  if (!ownValues) return { referenceDate: null, constant: [], compared: 0, reason: 'own-not-published', ranked: [] };
  const dates = [...new Set(indicators.flatMap((ind) => [...(ownValues.get(ind)?.keys() ?? [])]))].sort().reverse();
  const others = [...values.keys()].filter((k) => k !== own).sort();
  for (const date of dates) {
    if (!complete(own, date)) continue;
    const peers = others.filter((m) => complete(m, date));
    if (!peers.length) continue;
    const group = [own, ...peers];
    const z = new Map<string, Record<string, number>>(group.map((m) => [m, {}]));
    const constant: string[] = [];
    for (const ind of indicators) {
      const xs = Float64Array.from(group.map((m) => values.get(m)!.get(ind)!.get(date)!));
      const mu = mean(xs);
      const sd = sdAround(xs, mu, 'population');
      if (!(sd > 0)) {
        constant.push(ind);
        continue;
      }
      group.forEach((m, k) => (z.get(m)![ind] = (xs[k] - mu) / sd));
    }
    const used = indicators.filter((i) => !constant.includes(i));
    const zo = z.get(own)!;
    const raw = (m: string) => Object.fromEntries(indicators.map((ind) => [ind, values.get(m)!.get(ind)!.get(date)!]));
    const ranked = peers
      .map((m) => ({
        key: m,
        distance: Math.sqrt(used.reduce((s, ind) => s + (z.get(m)![ind] - zo[ind]) ** 2, 0)),
        values: raw(m),
        z: z.get(m)!,
      }))
      .sort((a, b) => a.distance - b.distance || (a.key < b.key ? -1 : 1));
    return { referenceDate: date, constant, compared: group.length, ownValues: raw(own), ranked };
  }
  return {
    referenceDate: null,
    constant: [],
    compared: 0,
    reason: dates.length ? 'no-common-period' : 'own-not-published',
    ranked: [],
  };
}

/** A comma-separated list of keys from a query parameter. */
export function keyList(name: string, text: unknown, o: { max: number; required: boolean }): string[] {
  if (text === undefined || text === '') {
    if (o.required)
      throw badRequest('missing-parameter', `the parameter "${name}" is missing`, `e.g. ${name}=key1,key2`);
    return [];
  }
  if (typeof text !== 'string')
    throw badRequest(
      'repeated-parameter',
      `the parameter "${name}" is given more than once`,
      'give it once, with keys separated by commas',
    );
  const keys = [
    ...new Set(
      text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  for (const k of keys)
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(k) || k.length > 64)
      throw badRequest('bad-key', `"${k.slice(0, 64)}" in "${name}" is not a key`);
  if (keys.length > o.max)
    throw badRequest('too-many', `"${name}" names ${keys.length} keys; at most ${o.max} are allowed`);
  if (o.required && !keys.length) throw badRequest('missing-parameter', `the parameter "${name}" is empty`);
  return keys;
}

/** The shipped starter set of standard indicators (the default of `comparison standards import`). */
export const STARTER_STANDARDS_FILE = new URL('./standards.json', import.meta.url);

/**
 * The demo city's indicators for the starter set's standard indicators (its catalogue has no
 * share of under-18s, so that standard stays unmapped there).
 */
export const DEMO_MAPPINGS: Record<string, string> = {
  bevoelkerung: 'einwohner',
  anteil_unter6: 'anteil_unter6',
  anteil_65plus: 'anteil_65plus',
  anteil_auslaender: 'anteil_nichtdeutsch',
  sgb2_quote: 'transferbezug_anteil',
  kinderarmut: 'kinderarmut_anteil',
  betreuungsquote_u3: 'kita_quote_unter3',
};
