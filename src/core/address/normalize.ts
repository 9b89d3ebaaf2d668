// Normalisation and parsing of German postal addresses as they arrive from forms: street names,
// house numbers, postcodes, and free-text lines such as "Ackerstr. 1a, 10115 Berlin".
// Pure: no I/O. Rules: docs/methods-spatial.md ("Address matching").

const ASCII = /^[\x00-\x7f]*$/;

/**
 * Folds text for comparison: lower case, ß → ss, ä/ö/ü → ae/oe/ue (also when typed as a letter
 * plus combining diaeresis), other diacritics removed (é → e).
 */
export function foldText(s: string): string {
  // Fast path: plain ASCII needs only lower-casing.
  if (ASCII.test(s)) return s.toLowerCase();
  return s
    .normalize('NFC')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

// Abbreviations at the end of a word (followed by a dot, a non-letter or the end): "Ackerstr.",
// "Ackerstr", "Acker-Str. 5", "Str. des 17. Juni"; "Alexanderpl."; "Pl. der Republik".
const ABBREVIATIONS: [RegExp, string][] = [
  [/str(?:\.|(?![a-z]))/g, 'strasse'],
  [/(?<=[a-z])strase(?![a-z])/g, 'strasse'],
  [/pl(?:\.|(?![a-z]))/g, 'platz'],
  [/prom\./g, 'promenade'],
  [/(?<![a-z])st\.[\s-]*(?=[a-z])/g, 'sankt '],
];

/**
 * The comparison key of a street name: folded, abbreviations expanded (Str./str/Strasse/Straße →
 * "strasse", Pl. → "platz", St. → "sankt", Prom. → "promenade"), and everything but letters and
 * digits dropped — so hyphens, spaces, dots and surrounding noise do not matter:
 * "Karl-Marx-Allee" = "Karl Marx Allee" = "karlmarxallee".
 */
export function normalizeStreet(s: string): string {
  let t = foldText(s);
  for (const [re, to] of ABBREVIATIONS) t = t.replace(re, to);
  return t.replace(/[^a-z0-9]+/g, '');
}

export interface HouseNumber {
  /** The (first) number: 12 in "12a", "12-14". */
  number: number;
  /** Letter suffix in lower case ("a"), or a sub-number "/1" ("12/1"); "" if none. */
  suffix: string;
  /** End of a range ("12-14", "12–14", "12/14", "12 bis 14"). */
  rangeEnd?: number;
  rangeSuffix?: string;
}

const HOUSE_NUMBER = /^(\d{1,5})\s*([a-z]{1,2})?(?:\s*(?:([-–—/])|(bis|u\.?|und|\+))\s*(\d{1,5})\s*([a-z])?)?$/;

/**
 * Parses a house number: "12", "12a", "12 A", "12 a", "12-14", "12–14", "12 - 14", "12/14",
 * "12 bis 14", "12a-c" is not supported. A slash or hyphen followed by a number that is not larger
 * ("12/1", "12-1") is a sub-number, kept as suffix "/1". Returns null when it is no house number.
 */
export function parseHouseNumber(s: string | number | null | undefined): HouseNumber | null {
  if (s === null || s === undefined) return null;
  const t = foldText(String(s))
    .trim()
    .replace(/^(?:nr|hausnr|hausnummer|no)\.?\s*/, '')
    .replace(/[.,;]+$/, '')
    .replace(/\s+/g, ' ');
  if (t === '') return null;
  const m = HOUSE_NUMBER.exec(t);
  if (!m) {
    // "12a-c": a letter range on one number.
    const lr = /^(\d{1,5})\s*([a-z])\s*[-–—/]\s*([a-z])$/.exec(t);
    if (lr) return { number: Number(lr[1]), suffix: lr[2], rangeEnd: Number(lr[1]), rangeSuffix: lr[3] };
    return null;
  }
  const number = Number(m[1]);
  const suffix = m[2] ?? '';
  if (m[5] === undefined) return { number, suffix };
  const second = Number(m[5]);
  const sep = m[3];
  if (sep && sep !== '/' && sep !== '-' && sep !== '–' && sep !== '—') return null;
  if (second <= number && !suffix && !m[6] && (sep === '/' || sep === '-')) return { number, suffix: `/${second}` };
  if (second < number) return null;
  const h: HouseNumber = { number, suffix, rangeEnd: second };
  if (m[6]) h.rangeSuffix = m[6];
  return h;
}

/** "12a", "12/1", "12-14". */
export function formatHouseNumber(h: HouseNumber): string {
  const base = `${h.number}${h.suffix}`;
  return h.rangeEnd === undefined ? base : `${base}-${h.rangeEnd}${h.rangeSuffix ?? ''}`;
}

/** Key of a single house (number + suffix): "12a", "12/1", "12". */
export function houseKey(number: number, suffix = ''): string {
  return `${number}${suffix}`;
}

/**
 * A German postcode as five digits: "10115", " 10115 ", "D-10115", "DE 10115"; a four-digit
 * number gets its leading zero back ("1067" → "01067", as spreadsheets drop it). null otherwise.
 */
export function normalizePostcode(s: string | number | null | undefined): string | null {
  if (s === null || s === undefined) return null;
  const t = String(s)
    .trim()
    .replace(/^(?:de|d)\s*-?\s*/i, '')
    .replace(/\s+/g, '');
  if (/^\d{5}$/.test(t)) return t;
  if (/^\d{4}$/.test(t)) return `0${t}`;
  return null;
}

export interface ParsedAddress {
  /** Street as written (noise removed), "" if none was found. */
  street: string;
  /** House number as written, "" if none. */
  houseNumberText: string;
  houseNumber: HouseNumber | null;
  postcode: string | null;
  city: string | null;
}

// What may follow a house number: flat, floor and building parts, c/o lines.
const NOISE_TAIL_ANYWHERE = /\s+c\/o\b.*$/i;
const NOISE_TAIL =
  /^\s*,?\s*(?:(?:whg|wohnung|app|apt|appartement|we|zi|zimmer|etage|stock|og|eg|dg|ug|hh|vh|sf|gh|hinterhaus|vorderhaus|seitenfl(?:ue|u|ü)gel|gartenhaus|quergeb(?:ae|a|ä)ude|aufgang|eingang|links|rechts|mitte|li|re)\b.*|\d{1,2}\s*\.\s*(?:og|etage|stock|obergeschoss)\b.*|c\/o\b.*)?$/i;

// A house number candidate, preceded by a space, dot or "Nr.".
const NUMBER_CANDIDATE =
  /(?<=^|[\s.,])(?:nr\.?\s*)?(\d{1,5}(?:\s*[a-z]{1,2}(?![\p{L}]))?(?:\s*(?:[-–—/]|bis)\s*\d{1,5}(?:\s*[a-z](?![\p{L}]))?)?)(?![\d\p{L}])/giu;

/**
 * The house number of a street segment: the first number after some letters that is followed
 * only by noise ("Straße des 17. Juni 135" → 135, "Ackerstr. 1a Whg 12" → 1a): [index, length, text].
 */
function houseNumberIn(seg: string): [number, number, string] | null {
  for (const m of seg.matchAll(NUMBER_CANDIDATE)) {
    const end = m.index! + m[0].length;
    if (!/\p{L}/u.test(seg.slice(0, m.index))) continue;
    if (NOISE_TAIL.test(seg.slice(end))) return [m.index!, m[0].length, m[1]];
  }
  return null;
}

// Letters (no digits, commas or quotes) + space + number [+ ", " postcode [+ " " city]].
const SIMPLE_LINE =
  /^([A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß .-]*[A-Za-zÄÖÜäöüß.]) (\d{1,5}[a-z]?), (\d{5})(?: ([A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß-]*))?$/;
// Street texts the fast path leaves to the general one: a trailing "Nr", noise words, "c/o".
const NOT_SIMPLE_STREET =
  /(?:^|[\s.])(?:nr|no|whg|wohnung|app|apt|we|zi|etage|stock|og|eg|dg|ug|hh|vh|sf|gh|hinterhaus|vorderhaus|gartenhaus|aufgang|eingang|links|rechts|mitte|li|re)\.?$/i;

/**
 * Splits a free-text address line into street, house number, postcode and city:
 * "Ackerstr. 1a, 10115 Berlin", "10115 Berlin, Ackerstraße 1 a", "Ackerstr 1a 10115",
 * "Straße des 17. Juni 135, Berlin". The house number is the last number of the street part.
 */
export function parseAddressLine(line: string): ParsedAddress {
  // Fast path for the common shape "Street 12a, 10115 City" (same result as the general path).
  const f = SIMPLE_LINE.exec(line);
  if (f && !NOT_SIMPLE_STREET.test(f[1])) {
    const houseNumber = parseHouseNumber(f[2]);
    if (houseNumber)
      return { street: f[1], houseNumberText: f[2], houseNumber, postcode: f[3] ?? null, city: f[4] ?? null };
  }
  let text = line
    .normalize('NFC')
    .replace(/[\r\n;|]+/g, ',')
    .replace(/[\t\u00a0 ]+/g, ' ')
    .replace(/^[\s,"'„“”]+|[\s,"'„“”]+$/g, '');
  let postcode: string | null = null;
  let city: string | null = null;
  // The last standalone five-digit group (optionally "D-") is the postcode.
  const pcRe = /(?:^|[\s,])((?:D|DE)\s*-\s*)?(\d{5})(?=$|[\s,])/gi;
  let m: RegExpExecArray | null,
    last: RegExpExecArray | null = null;
  while ((m = pcRe.exec(text))) last = m;
  if (last) {
    postcode = last[2];
    const before = text.slice(0, last.index);
    let after = text.slice(last.index + last[0].length);
    // City: up to the next comma; without one, the rest when it has no digits, else one word.
    const comma = after.indexOf(',');
    let cityText: string;
    if (comma >= 0) ((cityText = after.slice(0, comma)), (after = after.slice(comma)));
    else if (!/\d/.test(after)) ((cityText = after), (after = ''));
    else {
      const w = /^\s*(\S+)/.exec(after);
      cityText = w ? w[1] : '';
      after = w ? after.slice(w[0].length) : after;
    }
    city = cityText.trim().replace(/^[,\s]+|[,\s]+$/g, '') || null;
    text = `${before}, ${after}`;
  }
  const segments = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  let street = '',
    houseNumberText = '';
  const hasLetters = (s: string) => /\p{L}/u.test(s);
  // The street segment: the first that starts with a letter and has a house number, else the first with letters.
  let n: [number, number, string] | null = null;
  let idx = segments.findIndex((s) => /^\p{L}/u.test(s) && (n = houseNumberIn(s)) !== null);
  if (idx < 0) idx = segments.findIndex((s) => hasLetters(s) && !/^\d/.test(s));
  if (idx < 0) idx = segments.findIndex(hasLetters);
  if (idx >= 0) {
    let seg = segments[idx];
    const hn = n as [number, number, string] | null;
    if (hn) {
      houseNumberText = hn[2].trim();
      seg = seg.slice(0, hn[0]);
    } else {
      seg = seg.replace(NOISE_TAIL_ANYWHERE, '');
      // "Ackerstr., 1a"
      if (segments[idx + 1] && parseHouseNumber(segments[idx + 1])) houseNumberText = segments[idx + 1];
    }
    street = seg.replace(/\s*(?:nr|no)\.?\s*$/i, '').replace(/^[\s,.-]+|[\s,-]+$/g, '');
  }
  if (city === null && idx >= 0) {
    // "Ackerstr. 1a, Berlin": a later segment of letters only is the city.
    const c = segments.slice(idx + 1).find((s) => /^\p{L}[\p{L}\s.()\-/]*$/u.test(s) && !NOISE_TAIL.test(' ' + s));
    if (c) city = c;
  }
  return { street, houseNumberText, houseNumber: parseHouseNumber(houseNumberText), postcode, city };
}
