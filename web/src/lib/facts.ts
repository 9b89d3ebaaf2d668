// Key facts of an area profile in plain sentences (issue #15, item 2): "Kinderarmut 26,6 % p —
// 1,3× der Gesamtstadt, gestiegen seit 2021 (von 24,0 %)", the direction judged by the indicator's
// polarity, and the numbers of a spine chart (the area against the range of all areas). Pure
// functions: unit-tested in test/web/facts.test.ts.
import type { ProfileEntry } from '../../../src/contracts/answers/index.ts';
import {
  formatCell,
  formatNumber,
  formatPeriod,
  hasValue,
  inlineUnit,
  type Lang,
} from '../../../src/contracts/format.ts';

export type Judgement = 'worse' | 'better' | 'same' | 'none';

/** Relative distance to the city value below which an area counts as about like the city. */
const NEAR = 0.05;

export interface KeyFact {
  key: string;
  /** The indicator's name without the bracketed detail ("Kinderarmut"). */
  name: string;
  /** The value with unit and flag ("26,6 % p"). */
  value: string;
  /** The count behind a rate ("257 Kinder"), when the numerator is in the profile. */
  count: string | null;
  /** Area ÷ city ("1,3"), null without a city value or for values that are not positive. */
  ratio: string | null;
  city: string;
  /** Against the city, by polarity. */
  level: Judgement;
  /** The change since the first period of the current boundary version. */
  trend: { dir: 'up' | 'down' | 'flat'; since: string; from: string; judgement: Judgement } | null;
  polarity: string;
}

/** "Kinderarmut (SGB-II-Quote unter 15 Jahren)" → "Kinderarmut". */
export function shortName(name: string): string {
  const s = name.replace(/\s*\([^)]*\)\s*$/, '').trim();
  return s || name;
}

/** A period as the year where it is the year's end ("2021-12-31" → "2021"), else as usual. */
export function periodShort(key: string, lang: Lang): string {
  const m = /^(\d{4})(-12-31)?$/.exec(key);
  return m ? m[1] : formatPeriod(key, lang);
}

function judge(delta: number, polarity: string): Judgement {
  if (delta === 0) return 'same';
  if (polarity === 'higher_is_worse') return delta > 0 ? 'worse' : 'better';
  if (polarity === 'higher_is_better') return delta > 0 ? 'better' : 'worse';
  return 'none';
}

/** A change judged by polarity: an increase of a "higher is worse" indicator is 'worse'. */
export function changeJudgement(delta: number, polarity: string): Judgement {
  return judge(delta, polarity);
}

/** Is this entry a rate that a key fact can be stated for (polarity, not a count, a value)? */
export function isKeyFact(e: ProfileEntry): boolean {
  return (
    (e.indicator.polarity === 'higher_is_worse' || e.indicator.polarity === 'higher_is_better') &&
    e.indicator.type !== 'count' &&
    e.value !== null &&
    hasValue(e.status)
  );
}

export function decimalsOfMeta(i: { decimals: number | null; type: string }): number {
  return i.decimals ?? (i.type === 'count' ? 0 : 1);
}

/** The key fact of one profile entry; `all` are the profile's entries (for the count behind a rate); the city value carries its status (`cityStatus`). */
export function keyFact(e: ProfileEntry, all: readonly ProfileEntry[], lang: Lang): KeyFact {
  const cityStatus = e.cityStatus;
  const i = e.indicator;
  const dec = decimalsOfMeta(i);
  const unit = i.unit;
  const round = (v: number) => Number(v.toFixed(dec));
  const num = i.numerator
    ? all.find((x) => x.indicator.key === i.numerator!.indicator && !i.numerator!.filter)
    : undefined;
  const count =
    num && num.value !== null && hasValue(num.status) && num.period === e.period
      ? formatCell(num.value, num.status, decimalsOfMeta(num.indicator), num.indicator.unit, lang)
      : null;
  const v = e.value as number;
  const c = e.cityValue;
  const ratio = c !== null && c > 0 && v >= 0 ? formatNumber(v / c, 1, lang) : null;
  // Within 5 % of the city value an area is "about like the city", not better or worse.
  const near = c !== null && c > 0 && Math.abs(v / c - 1) < NEAR;
  const level = c === null ? 'none' : near ? 'same' : judge(round(v) - round(c), i.polarity);
  const pts = e.trend.filter((p) => p.value !== null && hasValue(p.status));
  let trend: KeyFact['trend'] = null;
  if (pts.length >= 2) {
    const first = pts[0];
    const d = round(v) - round(first.value as number);
    trend = {
      dir: d > 0 ? 'up' : d < 0 ? 'down' : 'flat',
      since: periodShort(first.period, lang),
      from: formatCell(first.value, first.status, dec, inlineUnit(unit) ?? unit, lang),
      judgement: judge(d, i.polarity),
    };
  }
  return {
    key: i.key,
    name: shortName(i.name),
    value: formatCell(v, e.status, dec, unit, lang),
    count,
    ratio,
    city: formatCell(c, cityStatus, dec, unit, lang),
    level,
    trend,
    polarity: i.polarity,
  };
}

/** Spine chart numbers: the range of the areas' values, their middle half, and where city and area lie. */
export interface Spine {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  n: number;
}

function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 1) return sorted[0];
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (h - lo);
}

export function spineOf(values: readonly (number | null | undefined)[]): Spine | null {
  const x = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (!x.length) return null;
  return {
    min: x[0],
    q1: quantile(x, 0.25),
    median: quantile(x, 0.5),
    q3: quantile(x, 0.75),
    max: x[x.length - 1],
    n: x.length,
  };
}

/** The position of a value on a spine as a share 0…1 of its range (0.5 when the range is empty). */
export function spinePos(s: Spine, v: number): number {
  if (s.max === s.min) return 0.5;
  return Math.max(0, Math.min(1, (v - s.min) / (s.max - s.min)));
}
