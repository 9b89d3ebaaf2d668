// The reasons the server gives with a value (why none is shown, how an estimate was made) travel
// as codes with parameters (src/contracts/codes/reasons.ts, decision 0042): a value has its
// English `reason` and, when the server wrote it, `reasonCode` and `reasonParams`, from which the
// web app (web/src/lib/reasons.ts) and the exports (German by default, src/services/export.ts)
// write their language. A text stored with the data (a method, a reason for suppression typed
// by a person) has no code and comes through as it is. Nothing here reads the English text.
import {
  englishText,
  isCode,
  renderCode,
  type Coded,
  type Lang,
  type NestedCoded,
  type ParamValue,
} from '../contracts/codes/index.ts';

/** A reason as core builds it: a coded reason, or a text stored with the data. */
export type Reason = Coded | NestedCoded | string;

/** The reason fields of a value, as answers carry them. */
export interface ReasonFields {
  reason?: string;
  reasonCode?: string;
  reasonParams?: Record<string, ParamValue>;
}

/**
 * A reason stored with a value: a text a person or a file gave (as it is), or — written so by the
 * platform itself (the youth forum's rate, src/core/forum.ts) — the bare name of a registered
 * reason code without parameters, which is that code. The text is never interpreted.
 */
export function storedReason(stored: string | null | undefined): Reason | undefined {
  if (stored === null || stored === undefined) return undefined;
  return stored.startsWith('reason-') && isCode(stored) ? { code: stored, params: {} } : stored;
}

/** The fields a value gets for a reason: its English text, and its code and parameters when it has one. */
export function reasonFields(r: Reason): {
  reason: string;
  reasonCode?: string;
  reasonParams?: Record<string, ParamValue>;
} {
  if (typeof r === 'string') return { reason: r };
  return { reason: englishText(r), reasonCode: r.code, reasonParams: (r.params ?? {}) as Record<string, ParamValue> };
}

/** A value's reason fields alone (none when it has no reason), for an answer that picks its fields. */
export function reasonOnly(v: ReasonFields): ReasonFields {
  if (!v.reason) return {};
  return v.reasonCode
    ? { reason: v.reason, reasonCode: v.reasonCode, reasonParams: v.reasonParams }
    : { reason: v.reason };
}

/** A value's reason as core reads it back: its code with parameters, or the stored text. */
export function reasonOf(v: ReasonFields): Reason | undefined {
  if (v.reasonCode) return { code: v.reasonCode, params: v.reasonParams ?? {} };
  return v.reason ?? undefined;
}

/** The code of a value's reason, or undefined for a text stored with the data. */
export function reasonKey(v: ReasonFields): string | undefined {
  return v.reasonCode;
}

export type ReasonLang = Lang;

/**
 * A value's reason in a language: from its code (numbers in that language's format; English
 * exports write them as the API does), the stored text as it is; undefined without a reason.
 */
export function reasonIn(lang: ReasonLang, v: ReasonFields | null | undefined): string | undefined {
  if (!v) return undefined;
  if (v.reasonCode && isCode(v.reasonCode))
    return renderCode({ code: v.reasonCode, params: v.reasonParams }, lang, { plain: lang === 'en' });
  return v.reason || undefined;
}

/** The reason in German, for files meant for German users (exports); undefined stays undefined. */
export function germanReason(v: ReasonFields | null | undefined): string | undefined {
  return reasonIn('de', v);
}

/** The value statuses in German and English, as exports name them. */
export const STATUS_TEXTS: Record<ReasonLang, Record<string, string>> = {
  de: {
    final: 'endgültig',
    provisional: 'vorläufig',
    estimated: 'geschätzt',
    suppressed: 'geheim',
    missing: 'keine Angabe',
    below_min_base: 'unter Mindestbasis',
  },
  en: {
    final: 'final',
    provisional: 'provisional',
    estimated: 'estimated',
    suppressed: 'confidential',
    missing: 'not available',
    below_min_base: 'below minimum base',
  },
};

export { STATUS_SYMBOLS } from '../contracts/vocabulary.ts';

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
