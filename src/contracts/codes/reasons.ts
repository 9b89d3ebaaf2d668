// Codes of the reasons given with a value: why none is shown, how an estimate was made
// (src/core/aggregate.ts, src/services/query.ts, src/services/disclosure.ts). The English text is
// the answer's `reason`, as it was before codes existed; a parameter written {name} in a nested
// reason may itself be a coded reason or a text stored with the data (an estimation method).
import type { CodeText } from './define.ts';

export const REASON_CODES = {
  'reason-suppressed': { en: 'suppressed (secret)', de: 'geheim gehalten' },
  'reason-missing': { en: 'missing', de: 'fehlt' },
  'reason-no-data': { en: 'no data', de: 'keine Daten' },
  'reason-value-includes-suppressed': {
    en: 'the value includes {n} suppressed value(s)',
    de: 'Der Wert enthält {n} geheim gehaltene(n) Wert(e)',
  },
  'reason-numerator-includes-suppressed': {
    en: 'the numerator includes {n} suppressed value(s)',
    de: 'Der Zähler enthält {n} geheim gehaltene(n) Wert(e)',
  },
  'reason-denominator-includes-suppressed': {
    en: 'the denominator includes {n} suppressed value(s)',
    de: 'Der Nenner enthält {n} geheim gehaltene(n) Wert(e)',
  },
  'reason-value-lacks': { en: 'the value lacks {n} value(s)', de: 'Dem Wert fehlen {n} Wert(e)' },
  'reason-numerator-lacks': { en: 'the numerator lacks {n} value(s)', de: 'Dem Zähler fehlen {n} Wert(e)' },
  'reason-denominator-lacks': { en: 'the denominator lacks {n} value(s)', de: 'Dem Nenner fehlen {n} Wert(e)' },
  'reason-plain-not-aggregated': {
    en: 'plain values cannot be aggregated; import the value for this area',
    de: 'Einzelwerte lassen sich nicht zusammenfassen; importieren Sie den Wert für dieses Gebiet',
  },
  'reason-plain-no-total': {
    en: 'plain values have no city total',
    de: 'Einzelwerte haben keinen Wert für die Gesamtstadt',
  },
  'reason-no-weight-ratio': {
    en: 'cannot weight {n} value(s) without a base; a ratio is never a plain average',
    de: '{n} Wert(e) ohne Basis lassen sich nicht gewichten; ein Anteil ist nie ein einfacher Durchschnitt',
  },
  'reason-no-weight-mean': {
    en: 'cannot weight {n} value(s) without a base; a mean is never a plain average',
    de: '{n} Wert(e) ohne Basis lassen sich nicht gewichten; ein Mittelwert ist nie ein einfacher Durchschnitt',
  },
  'reason-base-zero': { en: 'the base is zero', de: 'die Basis ist null' },
  'reason-denominator-zero': { en: 'the denominator is zero', de: 'der Nenner ist null' },
  'reason-no-numerator': { en: 'no numerator data', de: 'keine Daten für den Zähler' },
  'reason-below-min-base': {
    en: 'base {base:number} is below the minimum base {min:number}',
    de: 'Basis {base:number} liegt unter der Mindestbasis {min:number}',
  },
  'reason-not-in-version': {
    en: 'the area does not exist in this boundary version',
    de: 'das Gebiet gibt es in diesem Gebietsstand nicht',
  },
  // The youth forum's rate per 1,000 young residents (src/core/forum.ts topicRate).
  'reason-no-population': { en: 'no population figure for the area', de: 'keine Einwohnerzahl für das Gebiet' },
  'reason-no-young-residents': { en: 'no young residents', de: 'keine jungen Einwohnerinnen und Einwohner' },
  'reason-several-methods': { en: 'estimates by several methods', de: 'geschätzt nach mehreren Methoden' },
  'reason-some-estimated-by': {
    en: '{n} of {total} values are estimates: {method}',
    de: '{n} von {total} Werten geschätzt: {method}',
  },
  'reason-some-estimated': { en: '{n} of {total} values are estimates', de: '{n} von {total} Werten geschätzt' },
  'reason-numerator-denominator': {
    en: 'numerator: {numerator}; denominator: {denominator}',
    de: 'Zähler: {numerator}; Nenner: {denominator}',
  },
  'reason-numerator-is': { en: 'numerator: {text}', de: 'Zähler: {text}' },
  'reason-denominator-is': { en: 'denominator: {text}', de: 'Nenner: {text}' },
  'reason-disclosure-withheld': { en: 'withheld by disclosure control', de: 'geheim gehalten (Geheimhaltung)' },
  'reason-disclosure-primary': {
    en: 'primary suppression: visible to authorised users, not to be passed on',
    de: 'primär geheimgehalten: für Berechtigte sichtbar, nicht weitergeben',
  },
  'reason-disclosure-secondary': {
    en: 'secondary suppression: visible to authorised users, not to be passed on',
    de: 'sekundär geheimgehalten: für Berechtigte sichtbar, nicht weitergeben',
  },
  // The reasons the value parser stores for the symbols of the Zeichenerklärung (src/core/values.ts,
  // src/formats/genesis-ffcsv.ts), as the bare code name (src/core/reasons.ts storedReason).
  'reason-empty-cell': { en: 'empty', de: 'leer' },
  'reason-secret-or-unknown': { en: 'secret or unknown', de: 'Zahlenwert unbekannt oder geheim zu halten' },
  'reason-not-applicable': { en: 'not applicable', de: 'Aussage nicht sinnvoll' },
  'reason-not-yet-available': { en: 'not yet available', de: 'Angabe fällt später an' },
  'reason-not-reliable': { en: 'not reliable enough', de: 'Zahlenwert nicht sicher genug' },
  'reason-revised': { en: 'revised', de: 'berichtigte Zahl' },
  'reason-limited-reliability': { en: 'limited reliability', de: 'Aussagewert eingeschränkt' },
  // Why an area has no index score or no type (src/core/stats/composite.ts, src/services/analysis.ts);
  // {indicators} is a list of indicator keys.
  'reason-missing-base': { en: 'missing base {indicator}', de: 'Basis {indicator} fehlt' },
  'reason-base-below': {
    en: 'base {indicator} {value} < {min}',
    de: 'Basis {indicator} {value:number} unter {min:number}',
  },
  'reason-missing-value-for': { en: 'missing value for {indicators}', de: 'kein Wert für {indicators}' },
  'reason-missing-values-for': { en: 'missing values for {indicators}', de: 'keine Werte für {indicators}' },
  'reason-missing-all-components': { en: 'missing values for all components', de: 'keine Werte für alle Komponenten' },
  'reason-no-value-for': { en: 'no value for {indicators}', de: 'kein Wert für {indicators}' },
  'reason-no-score': { en: 'no score', de: 'kein Indexwert' },
  'reason-no-type': { en: 'no type', de: 'kein Typ' },
  // A value's own reason followed by its disclosure mark (src/services/disclosure.ts).
  'reason-with-disclosure-primary': {
    en: '{reason}; primary suppression: visible to authorised users, not to be passed on',
    de: '{reason}; primär geheimgehalten: für Berechtigte sichtbar, nicht weitergeben',
  },
  'reason-with-disclosure-secondary': {
    en: '{reason}; secondary suppression: visible to authorised users, not to be passed on',
    de: '{reason}; sekundär geheimgehalten: für Berechtigte sichtbar, nicht weitergeben',
  },
} as const satisfies Record<string, CodeText>;
