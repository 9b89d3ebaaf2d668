// The reasons the API gives with a value (why none is shown, how an estimate was made), in the
// language of the interface. The server writes its own reasons in English (src/core/aggregate.ts,
// src/services/query.ts); texts stored with the data (a method, a reason for suppression) come
// through as they are. test/web/reasons.test.ts feeds every reason the server can produce
// through this, so a new server reason without a translation fails there.
import type { Key, Translate } from '../i18n/index.ts';
import { formatNumber, type Lang } from './format.ts';

/** What a rule's text needs: the translation, numbers in the language's format, and nested reasons. */
interface Context {
  t: Translate;
  num: (s: string) => string;
  inner: (s: string) => string;
}
type Rule = [RegExp, (m: RegExpExecArray, c: Context) => [Key, Record<string, string | number>?]];

// The part of a value a reason speaks of, as subject and as dative object ("Dem Nenner fehlen …").
const PART: Record<string, Key> = { value: 'reason.part.value', numerator: 'reason.part.numerator', denominator: 'reason.part.denominator' };
const PART_DATIVE: Record<string, Key> = { value: 'reason.partDative.value', numerator: 'reason.partDative.numerator', denominator: 'reason.partDative.denominator' };
const KIND: Record<string, Key> = { ratio: 'reason.kind.ratio', mean: 'reason.kind.mean' };

// Built once: a table of 500 areas asks for a reason per row.
const RULES: Rule[] = [
  [/^suppressed \(secret\)$/, () => ['reason.suppressed']],
  [/^missing$/, () => ['reason.missing']],
  [/^no data$/, () => ['reason.noData']],
  [/^the (value|numerator|denominator) includes (\d+) suppressed value\(s\)$/, (m, { t }) => ['reason.includesSuppressed', { part: t(PART[m[1]]), n: m[2] }]],
  [/^the (value|numerator|denominator) lacks (\d+) value\(s\)$/, (m, { t }) => ['reason.lacks', { part: t(PART_DATIVE[m[1]]), n: m[2] }]],
  [/^plain values cannot be aggregated; import the value for this area$/, () => ['reason.plainNotAggregated']],
  [/^plain values have no city total$/, () => ['reason.plainNoTotal']],
  [/^cannot weight (\d+) value\(s\) without a base; a (ratio|mean) is never a plain average$/, (m, { t }) => ['reason.noWeight', { n: m[1], kind: t(KIND[m[2]]) }]],
  [/^the base is zero$/, () => ['reason.baseZero']],
  [/^the denominator is zero$/, () => ['reason.denominatorZero']],
  [/^no numerator data$/, () => ['reason.noNumerator']],
  [/^base (-?[\d.e+-]+) is below the minimum base (-?[\d.e+-]+)$/, (m, { num }) => ['reason.belowMinBase', { base: num(m[1]), min: num(m[2]) }]],
  [/^the area does not exist in this boundary version$/, () => ['reason.notInVersion']],
  [/^estimates by several methods$/, () => ['reason.severalMethods']],
  [/^(\d+) of (\d+) values are estimates: (.+)$/s, (m, { inner }) => ['reason.someEstimatedBy', { n: m[1], total: m[2], method: inner(m[3]) }]],
  [/^(\d+) of (\d+) values are estimates$/, (m) => ['reason.someEstimated', { n: m[1], total: m[2] }]],
  [/^numerator: (.+); denominator: (.+)$/s, (m, { inner }) => ['reason.numeratorDenominator', { numerator: inner(m[1]), denominator: inner(m[2]) }]],
  [/^numerator: (.+)$/s, (m, { inner }) => ['reason.numeratorIs', { text: inner(m[1]) }]],
  [/^denominator: (.+)$/s, (m, { inner }) => ['reason.denominatorIs', { text: inner(m[1]) }]],
];

/** The reason in the interface's language; texts stored with the data are returned unchanged. */
export function reasonText(t: Translate, lang: Lang, reason: string | undefined | null): string | undefined {
  if (!reason) return undefined;
  const c: Context = { t, num: (s) => formatNumber(Number(s), null, lang), inner: (s) => translate(s, c) };
  return translate(reason, c);
}

function translate(text: string, c: Context): string {
  for (const [re, make] of RULES) {
    const m = re.exec(text);
    if (m) {
      const [key, params] = make(m, c);
      return c.t(key, params);
    }
  }
  return text;
}
