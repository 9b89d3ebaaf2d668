// Number, date and period formatting with German conventions (1.234,5; 31.12.2020) and an
// English alternative. Pure functions: unit-tested in test/contracts/format.test.ts.
import { STATUS_SYMBOLS, type DisclosureMark, type ValueStatus } from './vocabulary.ts';

export type Lang = 'de' | 'en';

/** The status of a value, as the API gives it. */
export type Status = ValueStatus;

const LOCALE: Record<Lang, string> = { de: 'de-DE', en: 'en-GB' };

const numberFormats = new Map<string, Intl.NumberFormat>();

function nf(lang: Lang, min: number, max: number): Intl.NumberFormat {
  const k = `${lang}|${min}|${max}`;
  let f = numberFormats.get(k);
  if (!f) {
    f = new Intl.NumberFormat(LOCALE[lang], {
      minimumFractionDigits: min,
      maximumFractionDigits: max,
      useGrouping: true,
    });
    numberFormats.set(k, f);
  }
  return f;
}

/**
 * A number with a fixed number of decimals (the indicator's `decimals`; without it up to 1 for
 * non-integers): 1234.5 → "1.234,5". Null or NaN gives "" (callers show the status instead).
 */
export function formatNumber(
  value: number | null | undefined,
  decimals: number | null | undefined,
  lang: Lang = 'de',
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  let d = decimals ?? (Number.isInteger(value) ? 0 : 1);
  d = Math.max(0, Math.min(6, d));
  // Avoid "-0" / "−0,0" after rounding.
  const rounded = Number(value.toFixed(d));
  return nf(lang, d, d)
    .format(rounded === 0 ? 0 : rounded)
    .replace('\u2212', '-');
}

/** A number with its unit: "12,3 %", "1.234 Personen". */
export function formatValue(
  value: number | null | undefined,
  decimals: number | null | undefined,
  unit: string | null | undefined,
  lang: Lang = 'de',
): string {
  const n = formatNumber(value, decimals, lang);
  if (!n) return '';
  if (!unit) return n;
  return `${n}\u00a0${unit}`;
}

/** Compact numbers for axis ticks and legends (no unit): up to `maxDecimals` decimals. */
export function formatTick(value: number, lang: Lang = 'de', maxDecimals = 2): string {
  if (!Number.isFinite(value)) return '';
  const abs = Math.abs(value);
  const d = abs >= 100 ? 0 : abs >= 10 ? Math.min(1, maxDecimals) : maxDecimals;
  return nf(lang, 0, d).format(value);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An ISO date as "31.12.2020" (de) or "31/12/2020" (en). Anything else is returned unchanged. */
export function formatDate(iso: string | null | undefined, lang: Lang = 'de'): string {
  if (!iso) return '';
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  return lang === 'de' ? `${m[3]}.${m[2]}.${m[1]}` : `${m[3]}/${m[2]}/${m[1]}`;
}

/**
 * A period key as people write it: dates 31.12.2020, months 03/2020, quarters "1. Quartal 2020"
 * ("Q1 2020"), school years "2023/24" and years "2020" unchanged.
 */
export function formatPeriod(key: string | null | undefined, lang: Lang = 'de'): string {
  if (!key) return '';
  if (ISO_DATE.test(key)) return formatDate(key, lang);
  let m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) return `${m[2]}/${m[1]}`;
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return lang === 'de' ? `${m[2]}. Quartal ${m[1]}` : `Q${m[2]} ${m[1]}`;
  return key;
}

/** Official statistical symbols (Zeichenerklärung) for values that may not be shown or carry a flag. */
export const STATUS_SYMBOL: Record<Status, string> = STATUS_SYMBOLS;

export function hasValue(status: Status): boolean {
  return status === 'final' || status === 'provisional' || status === 'estimated';
}

/**
 * A value for a table cell or a label: the number with its unit and a flag (p, s), or the symbol
 * of the reason why no number is shown — never "0" for a missing value.
 */
export function formatCell(
  value: number | null | undefined,
  status: Status,
  decimals: number | null | undefined,
  unit: string | null | undefined,
  lang: Lang = 'de',
  disclosure?: DisclosureMark,
): string {
  if (value === null || value === undefined || !hasValue(status))
    return STATUS_SYMBOL[hasValue(status) ? 'missing' : status];
  const v = formatValue(value, decimals, unit, lang);
  const flag = STATUS_SYMBOL[status];
  const cell = flag ? `${v}\u00a0${flag}` : v;
  return disclosure ? `${cell}\u00a0${disclosureNote(disclosure, lang)}` : cell;
}

export type { DisclosureMark };

/**
 * For readers allowed to see a value that disclosure control withholds from others (owners, the
 * sealed office, signed-in staff): why, in brackets — "(primär geheimgehalten)".
 */
export function disclosureNote(mark: DisclosureMark, lang: Lang = 'de'): string {
  if (lang === 'de') return mark === 'primary' ? '(primär geheimgehalten)' : '(sekundär geheimgehalten)';
  return mark === 'primary' ? '(primary suppression)' : '(secondary suppression)';
}

/** The distinct method texts of estimated values (the API gives them as `reason`), for a note under a table or chart. */
export function estimateMethods(values: Iterable<{ status: Status; reason?: string }>): string[] {
  const out = new Set<string>();
  for (const v of values) if (v.status === 'estimated' && v.reason) out.add(v.reason);
  return [...out];
}

/** A file-name-safe version of a period key ("2023/24" → "2023-24"). */
export function periodSlug(key: string): string {
  return key.replace(/[^0-9A-Za-z_-]+/g, '-');
}

function lastDay(y: number, m: number): string {
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The reference date (last day) of a period key: dates, years, school years (to 31 July), months, quarters. */
export function periodEnd(key: string): string | null {
  if (ISO_DATE.test(key)) return key;
  let m = /^(\d{4})$/.exec(key);
  if (m) return `${m[1]}-12-31`;
  m = /^(\d{4})\/(\d{2})$/.exec(key);
  if (m) return `${Number(m[1]) + 1}-07-31`;
  m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) return lastDay(Number(m[1]), Number(m[2]));
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return lastDay(Number(m[1]), Number(m[2]) * 3);
  return null;
}

/**
 * The `at` parameter that selects the boundary version valid at a period's reference date, the
 * same for every period of that version (so that area shapes are fetched and drawn once per version).
 */
export function versionAt(
  versions: readonly { validFrom: string | null; validTo: string | null }[],
  period: string,
): string | undefined {
  const end = periodEnd(period);
  if (!end) return period;
  const v = versions.find((x) => (!x.validFrom || x.validFrom <= end) && (!x.validTo || end < x.validTo));
  if (!v) return period;
  if (!v.validTo) return undefined; // the current version
  return v.validFrom ?? '1900-01-01';
}

/** A share 0…1 as a percentage: 0.976 → "97,6 %" (de) / "97.6 %" (en). */
export function formatShare(share: number | null | undefined, lang: Lang = 'de', decimals = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '';
  return `${formatNumber(share * 100, decimals, lang)}\u00a0%`;
}

/** A signed number for contributions and scores: "+1,23", "−0,45", "0,00". */
export function formatSigned(value: number | null | undefined, decimals = 2, lang: Lang = 'de'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  if (Number(Math.abs(value).toFixed(decimals)) === 0) return formatNumber(0, decimals, lang);
  return `${value < 0 ? '\u2212' : '+'}${formatNumber(Math.abs(value), decimals, lang)}`;
}

/**
 * The unit to write after every number in a table cell: short units (%, ‰, €, km², …) are; long
 * ones ("Personen", "Kinder") are named once with the indicator instead. Null: none in the cell.
 */
export function inlineUnit(unit: string | null | undefined): string | null {
  if (!unit) return null;
  return unit.length <= 3 ? unit : null;
}

/**
 * A difference of two values in words of its unit: the change of a percentage is in percentage
 * points ("0,6 Prozentpunkte", not "0,6 %"); other units stay ("12 Personen"). No sign.
 */
export function formatChange(
  diff: number,
  decimals: number | null | undefined,
  unit: string | null | undefined,
  lang: Lang = 'de',
): string {
  if (unit === '%')
    return `${formatNumber(diff, decimals, lang)}\u00a0${lang === 'de' ? (Number(diff.toFixed(decimals ?? 1)) === 1 ? 'Prozentpunkt' : 'Prozentpunkte') : Number(diff.toFixed(decimals ?? 1)) === 1 ? 'percentage point' : 'percentage points'}`;
  return formatValue(diff, decimals, unit, lang);
}

/**
 * Axis ticks covering `lo` to `hi` (about `count` of them; the first at or below `lo`, the last at
 * or above `hi`, so they can be the axis domain) whose step is never finer than the indicator's
 * decimals allow (a count gets whole numbers): every tick label written with those decimals is
 * distinct — 0, 2, 4 … or 87,5 / 90,0 / 92,5 ….
 */
export function axisTicks(lo: number, hi: number, count: number, decimals: number): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) return [lo];
  const places = (x: number) => (x.toFixed(10).replace(/0+$/, '').split('.')[1] ?? '').length;
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const candidates = [1, 2, 2.5, 5, 10, 20]
    .map((m) => Number((m * mag).toFixed(10)))
    .filter((x) => places(x) <= Math.max(0, decimals));
  const step =
    candidates.find((x) => x >= raw) ?? Math.max(10 ** -Math.max(0, decimals), candidates[candidates.length - 1] ?? 1);
  const out: number[] = [];
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  for (let k = first; k <= last; k++) out.push(Number((k * step).toFixed(10)));
  return out;
}

/**
 * A layer's (plural) name in the dative after "nach": "Stadtteile" → "Stadtteilen",
 * "Statistische Blöcke" → "Statistischen Blöcken"; words ending in -n or -s and English names
 * stay as they are.
 */
export function dativePlural(name: string, lang: Lang = 'de'): string {
  if (lang !== 'de') return name;
  return name.replace(/[A-Za-zÄÖÜäöüß]+/g, (w) => (/(e|er|el)$/.test(w) ? `${w}n` : w));
}

/** A value as the API gives it: the number (or null), its status, and a disclosure mark for readers allowed to see a protected one. */
export interface MeasuredValue {
  value: number | null;
  status: Status;
  disclosure?: DisclosureMark;
}

/** What a value needs from its indicator to be shown: unit and decimals. */
export interface ValueDisplay {
  unit: string | null;
  decimals: number | null;
}

/**
 * A value with its indicator's unit and decimals, its status flag (p, s) or the symbol that stands
 * for it, and its disclosure note: the one way an indicator's value becomes text.
 */
export function formatMeasured(
  v: MeasuredValue,
  of: ValueDisplay,
  lang: Lang = 'de',
  o: { unit?: boolean } = {},
): string {
  return formatCell(v.value, v.status, of.decimals, o.unit === false ? null : of.unit, lang, v.disclosure);
}
