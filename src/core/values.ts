// Parsing of value cells as found in German statistical tables: numbers in German or English
// notation and the symbols of the Zeichenerklärung of the Statistische Ämter des Bundes und der Länder.
import type { ObservationStatus, ParsedValue } from './observations.ts';
import { englishText, isCode } from '../contracts/codes/index.ts';

export type DecimalSeparator = ',' | '.';

// Thousands groups must be exactly three digits; a group separator is either the non-decimal
// punctuation mark or a (non-breaking, narrow) space. The integer part may be omitted (",5").
const NUMBER_DECIMAL_COMMA = /^[+\-\u2212]?(?:\d{1,3}(?:\.\d{3})+|\d{1,3}(?:[ \u00A0\u202F]\d{3})+|\d+)?(?:,\d+)?$/;
const NUMBER_DECIMAL_POINT =
  /^[+\-\u2212]?(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[ \u00A0\u202F]\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const PLAIN_INTEGER = /^-?\d{1,15}$/;
const SEPARATORS_COMMA = /[. \u00A0\u202F]/g;
const SEPARATORS_POINT = /[, \u00A0\u202F]/g;
const HAS_DIGIT_BEFORE_EXPONENT = /^[^eE]*\d/;

/**
 * Parses a number written with the given decimal separator; null when the text is not a number.
 * Thousands separators are accepted only in valid groups of three ("1.234,5", "1 234,5").
 */
export function parseNumber(text: string, decimal: DecimalSeparator): number | null {
  const s = text.trim();
  if (s.length === 0) return null;
  // Fast path for the most common cell content; avoids regex replace and allocation.
  if (PLAIN_INTEGER.test(s)) return normaliseZero(Number(s));
  let normalised: string;
  if (decimal === ',') {
    if (!NUMBER_DECIMAL_COMMA.test(s)) return null;
    normalised = s.replace(SEPARATORS_COMMA, '').replace(',', '.');
  } else {
    if (!NUMBER_DECIMAL_POINT.test(s)) return null;
    normalised = s.replace(SEPARATORS_POINT, '');
  }
  // The regexes make every part optional, so make sure a digit is present at all ("-", ",", "e5").
  if (!HAS_DIGIT_BEFORE_EXPONENT.test(normalised)) return null;
  if (normalised.charCodeAt(0) === 0x2212) normalised = '-' + normalised.slice(1);
  const n = Number(normalised);
  return Number.isFinite(n) ? normaliseZero(n) : null;
}

const PLAIN_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a number in the machine notation of XML, JSON and YAML documents: optional sign, digits,
 * a decimal point, an exponent. Hexadecimal ("0x1A"), octal ("0o17"), binary, "Infinity", ".inf"
 * and thousands separators are not numbers here; null when the text is not one.
 * User-typed table cells go through parseNumber, which knows German notation.
 */
export function parsePlainNumber(text: string): number | null {
  const s = text.trim();
  if (!PLAIN_DECIMAL.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? normaliseZero(n) : null;
}

/** A whole number >= 0 in plain decimal digits (XML attributes, indexes); null otherwise. */
export function parsePlainIndex(text: string | undefined): number | null {
  if (text === undefined || !/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

function normaliseZero(n: number): number {
  // "-0" would otherwise survive as negative zero and print oddly.
  return n === 0 ? 0 : n;
}

/** The result of parsing a value cell that is neither a number nor a known symbol. */
export interface ValueCellError {
  error: string;
  hint: string;
}

// A number with a trailing status flag: "123p", "123 r", "12,5 e".
const FLAGGED = /^(.*\d)\s?([prsePRSE])$/;
const PARENTHESISED = /^\((.+)\)$/;

function acceptedForms(decimal: DecimalSeparator): string {
  const example = decimal === ',' ? '1.234,5' : '1,234.5';
  return (
    `accepted are numbers like ${example}, an empty cell, "." (secret or unknown), "x" (not applicable), ` +
    `"..." (not yet available), "/" (not reliable enough), "-" (exactly nothing), ` +
    `a number followed by p (provisional), r (revised), s or e (estimated), ` +
    `and a number in parentheses (limited reliability)`
  );
}

/**
 * Parses a value cell, including the symbols of the official German Zeichenerklärung.
 * Returns a ParsedValue, or an error with a hint for the user.
 */
export function parseValueCell(text: string, decimal: DecimalSeparator): ParsedValue | ValueCellError {
  return inEnglish(parseValueCellStored(text, decimal));
}

/** A parsed value with its reason in English, as parseValueCell gives it (the reason as stored is the code's name). */
export function inEnglish<T extends ParsedValue | ValueCellError>(p: T): T {
  return 'reason' in p && p.reason && isCode(p.reason) ? { ...p, reason: englishText({ code: p.reason }) } : p;
}

/**
 * The same, with the reason of a symbol as it is stored: the name of its registered reason code
 * (reason-secret-or-unknown …), read back as that code (src/core/reasons.ts storedReason).
 */
export function parseValueCellStored(text: string, decimal: DecimalSeparator): ParsedValue | ValueCellError {
  const s = text.trim();
  if (s.length === 0) return { value: null, status: 'missing', reason: 'reason-empty-cell' };
  const n = parseNumber(s, decimal);
  if (n !== null) return { value: n, status: 'final' };
  switch (s) {
    case '.':
      return { value: null, status: 'suppressed', reason: 'reason-secret-or-unknown' };
    case 'x':
    case 'X':
      return { value: null, status: 'missing', reason: 'reason-not-applicable' };
    case '...':
    case '\u2026':
      return { value: null, status: 'missing', reason: 'reason-not-yet-available' };
    case '/':
      return { value: null, status: 'missing', reason: 'reason-not-reliable' };
    case '-':
    case '\u2013':
    case '\u2014':
      // "-" means exactly nothing, as opposed to "0" (less than half the smallest unit).
      return { value: 0, status: 'final' };
  }
  const flagged = FLAGGED.exec(s);
  if (flagged) {
    const v = parseNumber(flagged[1], decimal);
    if (v !== null) {
      switch (flagged[2].toLowerCase()) {
        case 'p':
          return { value: v, status: 'provisional' };
        case 'r':
          return { value: v, status: 'final', reason: 'reason-revised' };
        default:
          return { value: v, status: 'estimated' };
      }
    }
  }
  const parenthesised = PARENTHESISED.exec(s);
  if (parenthesised) {
    const v = parseNumber(parenthesised[1], decimal);
    if (v !== null) return { value: v, status: 'final', reason: 'reason-limited-reliability' };
  }
  const other: DecimalSeparator = decimal === ',' ? '.' : ',';
  if (parseNumber(s, other) !== null) {
    return {
      error: `not a number with "${decimal}" as decimal separator`,
      hint: `the value looks like a number with "${other}" as decimal separator; set the decimal separator of the file to "${other}", or ${acceptedForms(decimal)}`,
    };
  }
  return { error: 'not a number or a known statistical symbol', hint: acceptedForms(decimal) };
}

/** True when parseValueCell returned an error instead of a value. */
export function isValueCellError(r: ParsedValue | ValueCellError): r is ValueCellError {
  return (r as ValueCellError).error !== undefined;
}

const STATUS_WORDS: Record<string, ObservationStatus> = {
  '': 'final',
  final: 'final',
  endgültig: 'final',
  endgueltig: 'final',
  provisional: 'provisional',
  vorläufig: 'provisional',
  vorlaeufig: 'provisional',
  p: 'provisional',
  estimated: 'estimated',
  geschätzt: 'estimated',
  geschaetzt: 'estimated',
  s: 'estimated',
  e: 'estimated',
  suppressed: 'suppressed',
  geheim: 'suppressed',
  gesperrt: 'suppressed',
  '.': 'suppressed',
  missing: 'missing',
  fehlend: 'missing',
};

/** Parses a separate status column (English or German words, or the usual flag letters). */
export function parseStatus(text: string): ObservationStatus | null {
  const key = text.trim().toLowerCase();
  return Object.hasOwn(STATUS_WORDS, key) ? STATUS_WORDS[key] : null;
}

// Intl.NumberFormat construction is expensive; keep one per number of decimals.
const formatters = new Map<number | undefined, Intl.NumberFormat>();

/** Formats a number German style ("1.234,5"); with decimals, exactly that many fraction digits. */
export function formatNumberGerman(n: number, decimals?: number): string {
  let f = formatters.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat(
      'de-DE',
      decimals === undefined
        ? { maximumFractionDigits: 6 }
        : { minimumFractionDigits: decimals, maximumFractionDigits: decimals },
    );
    formatters.set(decimals, f);
  }
  return f.format(n);
}
