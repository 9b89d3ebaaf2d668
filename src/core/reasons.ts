// The reasons the server gives with a value (why none is shown, how an estimate was made) and
// the value statuses, in German and English: one table for the web app
// (web/src/lib/reasons.ts, through its translator) and the exports (CSV/XLSX files are meant for
// German users, src/services/export.ts). The server writes its reasons in English
// (src/core/aggregate.ts, src/services/query.ts); a rule below recognises each and gives its
// text key with parameters. Texts stored with the data (a method, a reason for suppression)
// match no rule and come through as they are. test/web/reasons.test.ts feeds every reason the
// server can produce through the rules, so a new server reason without a German text fails there.

export const REASON_TEXTS = {
  de: {
    'reason.suppressed': 'geheim gehalten',
    'reason.missing': 'fehlt',
    'reason.noData': 'keine Daten',
    'reason.part.value': 'Der Wert',
    'reason.part.numerator': 'Der Zähler',
    'reason.part.denominator': 'Der Nenner',
    'reason.partDative.value': 'Dem Wert',
    'reason.partDative.numerator': 'Dem Zähler',
    'reason.partDative.denominator': 'Dem Nenner',
    'reason.kind.ratio': 'Anteil',
    'reason.kind.mean': 'Mittelwert',
    'reason.includesSuppressed': '{part} enthält {n} geheim gehaltene(n) Wert(e)',
    'reason.lacks': '{part} fehlen {n} Wert(e)',
    'reason.plainNotAggregated': 'Einzelwerte lassen sich nicht zusammenfassen; importieren Sie den Wert für dieses Gebiet',
    'reason.plainNoTotal': 'Einzelwerte haben keinen Wert für die Gesamtstadt',
    'reason.noWeight': '{n} Wert(e) ohne Basis lassen sich nicht gewichten; ein {kind} ist nie ein einfacher Durchschnitt',
    'reason.baseZero': 'die Basis ist null',
    'reason.denominatorZero': 'der Nenner ist null',
    'reason.noNumerator': 'keine Daten für den Zähler',
    'reason.belowMinBase': 'Basis {base} liegt unter der Mindestbasis {min}',
    'reason.notInVersion': 'das Gebiet gibt es in diesem Gebietsstand nicht',
    'reason.noPopulation': 'keine Einwohnerzahl für das Gebiet',
    'reason.noYoungResidents': 'keine jungen Einwohnerinnen und Einwohner',
    'reason.severalMethods': 'geschätzt nach mehreren Methoden',
    'reason.someEstimatedBy': '{n} von {total} Werten geschätzt: {method}',
    'reason.someEstimated': '{n} von {total} Werten geschätzt',
    'reason.numeratorDenominator': 'Zähler: {numerator}; Nenner: {denominator}',
    'reason.numeratorIs': 'Zähler: {text}',
    'reason.denominatorIs': 'Nenner: {text}',
    'reason.disclosureWithheld': 'geheim gehalten (Geheimhaltung)',
    'reason.disclosurePrimary': 'primär geheimgehalten: für Berechtigte sichtbar, nicht weitergeben',
    'reason.disclosureSecondary': 'sekundär geheimgehalten: für Berechtigte sichtbar, nicht weitergeben',
  },
  en: {
    'reason.suppressed': 'suppressed (secret)',
    'reason.missing': 'missing',
    'reason.noData': 'no data',
    'reason.part.value': 'value',
    'reason.part.numerator': 'numerator',
    'reason.part.denominator': 'denominator',
    'reason.partDative.value': 'value',
    'reason.partDative.numerator': 'numerator',
    'reason.partDative.denominator': 'denominator',
    'reason.kind.ratio': 'ratio',
    'reason.kind.mean': 'mean',
    'reason.includesSuppressed': 'the {part} includes {n} suppressed value(s)',
    'reason.lacks': 'the {part} lacks {n} value(s)',
    'reason.plainNotAggregated': 'plain values cannot be aggregated; import the value for this area',
    'reason.plainNoTotal': 'plain values have no city total',
    'reason.noWeight': 'cannot weight {n} value(s) without a base; a {kind} is never a plain average',
    'reason.baseZero': 'the base is zero',
    'reason.denominatorZero': 'the denominator is zero',
    'reason.noNumerator': 'no numerator data',
    'reason.belowMinBase': 'base {base} is below the minimum base {min}',
    'reason.notInVersion': 'the area does not exist in this boundary version',
    'reason.noPopulation': 'no population figure for the area',
    'reason.noYoungResidents': 'no young residents',
    'reason.severalMethods': 'estimates by several methods',
    'reason.someEstimatedBy': '{n} of {total} values are estimates: {method}',
    'reason.someEstimated': '{n} of {total} values are estimates',
    'reason.numeratorDenominator': 'numerator: {numerator}; denominator: {denominator}',
    'reason.numeratorIs': 'numerator: {text}',
    'reason.denominatorIs': 'denominator: {text}',
    'reason.disclosureWithheld': 'withheld by disclosure control',
    'reason.disclosurePrimary': 'primary suppression: visible to authorised users, not to be passed on',
    'reason.disclosureSecondary': 'secondary suppression: visible to authorised users, not to be passed on',
  },
} as const;

export type ReasonKey = keyof (typeof REASON_TEXTS)['de'];
export type ReasonLang = keyof typeof REASON_TEXTS;

/** How a caller writes a text: its translation of a key, numbers in its language's format. */
export interface ReasonWriter {
  text: (key: ReasonKey, params?: Record<string, string | number>) => string;
  num: (numberText: string) => string;
}

interface Context {
  w: ReasonWriter;
  inner: (s: string) => string;
}
type Rule = [RegExp, (m: RegExpExecArray, c: Context) => [ReasonKey, Record<string, string | number>?]];

// The part of a value a reason speaks of, as subject and as dative object ("Dem Nenner fehlen …").
const PART: Record<string, ReasonKey> = { value: 'reason.part.value', numerator: 'reason.part.numerator', denominator: 'reason.part.denominator' };
const PART_DATIVE: Record<string, ReasonKey> = { value: 'reason.partDative.value', numerator: 'reason.partDative.numerator', denominator: 'reason.partDative.denominator' };
const KIND: Record<string, ReasonKey> = { ratio: 'reason.kind.ratio', mean: 'reason.kind.mean' };

// Built once: a table of 500 areas asks for a reason per row.
const RULES: Rule[] = [
  [/^suppressed \(secret\)$/, () => ['reason.suppressed']],
  [/^missing$/, () => ['reason.missing']],
  [/^no data$/, () => ['reason.noData']],
  [/^the (value|numerator|denominator) includes (\d+) suppressed value\(s\)$/, (m, { w }) => ['reason.includesSuppressed', { part: w.text(PART[m[1]]), n: m[2] }]],
  [/^the (value|numerator|denominator) lacks (\d+) value\(s\)$/, (m, { w }) => ['reason.lacks', { part: w.text(PART_DATIVE[m[1]]), n: m[2] }]],
  [/^plain values cannot be aggregated; import the value for this area$/, () => ['reason.plainNotAggregated']],
  [/^plain values have no city total$/, () => ['reason.plainNoTotal']],
  [/^cannot weight (\d+) value\(s\) without a base; a (ratio|mean) is never a plain average$/, (m, { w }) => ['reason.noWeight', { n: m[1], kind: w.text(KIND[m[2]]) }]],
  [/^the base is zero$/, () => ['reason.baseZero']],
  [/^the denominator is zero$/, () => ['reason.denominatorZero']],
  [/^no numerator data$/, () => ['reason.noNumerator']],
  [/^base (-?[\d.e+-]+) is below the minimum base (-?[\d.e+-]+)$/, (m, { w }) => ['reason.belowMinBase', { base: w.num(m[1]), min: w.num(m[2]) }]],
  [/^the area does not exist in this boundary version$/, () => ['reason.notInVersion']],
  // Stored with the youth forum's rate per 1,000 young residents (src/core/forum.ts topicRate).
  [/^no population figure for the area$/, () => ['reason.noPopulation']],
  [/^no young residents$/, () => ['reason.noYoungResidents']],
  [/^estimates by several methods$/, () => ['reason.severalMethods']],
  [/^(\d+) of (\d+) values are estimates: (.+)$/s, (m, { inner }) => ['reason.someEstimatedBy', { n: m[1], total: m[2], method: inner(m[3]) }]],
  [/^(\d+) of (\d+) values are estimates$/, (m) => ['reason.someEstimated', { n: m[1], total: m[2] }]],
  [/^numerator: (.+); denominator: (.+)$/s, (m, { inner }) => ['reason.numeratorDenominator', { numerator: inner(m[1]), denominator: inner(m[2]) }]],
  [/^numerator: (.+)$/s, (m, { inner }) => ['reason.numeratorIs', { text: inner(m[1]) }]],
  [/^denominator: (.+)$/s, (m, { inner }) => ['reason.denominatorIs', { text: inner(m[1]) }]],
  [/^withheld by disclosure control$/, () => ['reason.disclosureWithheld']],
  [/^primary suppression: visible to authorised users, not to be passed on$/, () => ['reason.disclosurePrimary']],
  [/^secondary suppression: visible to authorised users, not to be passed on$/, () => ['reason.disclosureSecondary']],
];

/** A server reason written by `w`; texts stored with the data are returned unchanged. */
export function writeReason(reason: string, w: ReasonWriter): string {
  const c: Context = { w, inner: (s) => translate(s, c) };
  return translate(reason, c);
}

/** The text key of a server reason (its code), or undefined for a text stored with the data. */
export function reasonKey(reason: string): string | undefined {
  let key: string | undefined;
  // The outer reason's text is asked for last (its parameters, inner reasons included, first).
  writeReason(reason, {
    text: (k) => {
      key = k;
      return '';
    },
    num: (x) => x,
  });
  return key;
}

function translate(text: string, c: Context): string {
  for (const [re, make] of RULES) {
    const m = re.exec(text);
    if (m) {
      const [key, params] = make(m, c);
      return c.w.text(key, params);
    }
  }
  return text;
}

/** Fills {name} placeholders. */
export function fillTemplate(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

const GERMAN_NUMBER = new Intl.NumberFormat('de-DE', { maximumFractionDigits: 10 });

const GERMAN: ReasonWriter = {
  text: (key, params) => fillTemplate(REASON_TEXTS.de[key], params),
  num: (s) => GERMAN_NUMBER.format(Number(s)),
};

/** The reason in German, for files meant for German users (exports); undefined stays undefined. */
export function germanReason(reason: string | null | undefined): string | undefined {
  return reason ? writeReason(reason, GERMAN) : undefined;
}

const ENGLISH: ReasonWriter = {
  text: (key, params) => fillTemplate(REASON_TEXTS.en[key], params),
  num: (s) => String(Number(s)),
};

/** The reason in the language of an export (German by default); undefined stays undefined. */
export function reasonIn(lang: ReasonLang, reason: string | null | undefined): string | undefined {
  return reason ? writeReason(reason, lang === 'en' ? ENGLISH : GERMAN) : undefined;
}

/** The value statuses in German and English, as exports name them. */
export const STATUS_TEXTS: Record<ReasonLang, Record<string, string>> = {
  de: { final: 'endgültig', provisional: 'vorläufig', estimated: 'geschätzt', suppressed: 'geheim', missing: 'keine Angabe', below_min_base: 'unter Mindestbasis' },
  en: { final: 'final', provisional: 'provisional', estimated: 'estimated', suppressed: 'confidential', missing: 'not available', below_min_base: 'below minimum base' },
};
/** The value statuses in German (kept for callers of the first export version). */
export const STATUS_TEXTS_DE: Record<string, string> = STATUS_TEXTS.de;

export { STATUS_SYMBOLS } from './answers.ts';

/**
 * The Zeichenerklärung (symbols of the Statistische Ämter des Bundes und der Länder) as exports
 * list it: the symbols the monitor writes and those src/core/values.ts understands on import.
 */
export const SYMBOL_LEGEND: Record<ReasonLang, [symbol: string, meaning: string][]> = {
  de: [
    ['–', 'nichts vorhanden (genau null)'],
    ['0', 'weniger als die Hälfte von 1 in der letzten ausgewiesenen Stelle, jedoch mehr als nichts'],
    ['.', 'Zahlenwert unbekannt oder geheim zu halten'],
    ['…', 'Angabe fällt später an, keine Angabe'],
    ['/', 'keine Angabe, da Zahlenwert nicht sicher genug (unter der Mindestbasis)'],
    ['x', 'Tabellenfach gesperrt, weil Aussage nicht sinnvoll'],
    ['p', 'vorläufige Zahl'],
    ['r', 'berichtigte Zahl'],
    ['s', 'geschätzte Zahl (auch e)'],
    ['( )', 'Aussagewert eingeschränkt'],
  ],
  en: [
    ['–', 'nothing (exactly zero)'],
    ['0', 'less than half of 1 in the last digit shown, but more than nothing'],
    ['.', 'value unknown or confidential'],
    ['…', 'not yet available, no data'],
    ['/', 'no value, not reliable enough (below the minimum base)'],
    ['x', 'not applicable'],
    ['p', 'provisional'],
    ['r', 'revised'],
    ['s', 'estimated (also e)'],
    ['( )', 'limited reliability'],
  ],
};
