// Matching addresses from forms against the municipal address register. Pure: no I/O.
//
// Order of attempts: the street as written (exact) → its normalised key → a fuzzy match of the
// key (bounded edit distance, candidates from a trigram index or the postcode's streets); then
// the house number as given → the first number of a range → the base number (a missing suffix,
// when exactly one suffixed house exists; an unknown suffix, when the plain number exists). Every
// result carries its method and a confidence; two or more equally good candidates give
// `ambiguous` with the candidates, never a guess. Rules: docs/methods-spatial.md.
//
// Street-level addresses: register entries without a house number are places (squares, gates,
// bridges: "Pappelplatz", "Oranienburger Tor"). They are indexed apart from the houses and
// matched only by an input without a house number; an input with a number never reaches them,
// by any fallback (decision 0014).

import type { MatchMethod } from '../../contracts/vocabulary.ts';
import {
  formatHouseNumber,
  houseKey,
  normalizePostcode,
  normalizeStreet,
  parseAddressLine,
  parseHouseNumber,
  type HouseNumber,
  type ParsedAddress,
} from './normalize.ts';

export interface RegisterEntryInput {
  street: string;
  /** "12", "12a", "12 A", "12-14" or 12; empty or null: a street-level address (a place without house number). */
  number: string | number | null;
  /** Separate suffix column, if any ("a"). */
  suffix?: string | null;
  postcode?: string | number | null;
  x?: number | null;
  y?: number | null;
  /** Area codes per layer key, e.g. { planungsraum: "01100101" }. */
  codes?: Record<string, string | null | undefined>;
  id?: string;
}

export interface RegisterEntry {
  /** Position in the register's input. */
  index: number;
  id?: string;
  street: string;
  streetKey: string;
  /** The (first) number; null for a street-level address (a place without house number). */
  number: number | null;
  suffix: string;
  rangeEnd?: number;
  /** Canonical house number: "12a", "12/1", "12-14"; "" for a street-level address. */
  houseNumber: string;
  postcode: string | null;
  x: number | null;
  y: number | null;
  codes: Record<string, string>;
}

export type { MatchMethod };
export type UnmatchedReason =
  'no-street' | 'no-house-number' | 'street-not-found' | 'house-number-not-found' | 'postcode-mismatch';

export type MatchResult =
  | {
      status: 'matched';
      method: MatchMethod;
      confidence: number;
      entry: RegisterEntry;
      notes: string[];
      parsed: ParsedAddress;
    }
  | {
      status: 'ambiguous';
      reason: string;
      candidates: RegisterEntry[];
      /** Area codes shared by all candidates (layers where they agree). */
      commonCodes: Record<string, string>;
      parsed: ParsedAddress;
    }
  | { status: 'unmatched'; reason: UnmatchedReason; message: string; suggestion?: string; parsed: ParsedAddress };

/** A form address: one free-text line, or separate fields (the street field may hold the number too). */
export type MatchInput =
  string | { street: string; number?: string | number | null; postcode?: string | number | null; city?: string | null };

export interface MatchOptions {
  /** A given postcode must match (default false: a unique address in another postcode matches with lower confidence). */
  strictPostcode?: boolean;
  /** Allow fuzzy street matching (default true). */
  fuzzy?: boolean;
}

export interface RegisterProblem {
  index: number;
  reason: string;
}

/** Confidence factors (documented in docs/methods-spatial.md). */
const CONFIDENCE = {
  exact: 1,
  normalised: 0.98,
  rangeStart: 0.9,
  suffixMissing: 0.9,
  suffixUnknown: 0.85,
  postcodeDiffers: 0.8,
  /** Fuzzy street: 0.94 − 0.6 · distance / length, at least 0.5. */
  fuzzy: (distance: number, length: number) => Math.max(0.5, 0.94 - (0.6 * distance) / Math.max(1, length)),
} as const;

/** Edits allowed for a street key of this length. */
export function maxEdits(length: number): number {
  return length <= 4 ? 0 : length <= 8 ? 1 : 2;
}

interface Street {
  id: number;
  key: string;
  /** Letters (and digits, bit 26) occurring in the key: a cheap lower bound for the edit distance. */
  mask: number;
  /** Spellings in the register (whitespace collapsed) → count; the most frequent is shown. */
  spellings: Map<string, number>;
  /** House key ("12a", "12-14") → entry indexes. */
  houses: Map<string, number[]>;
  /** Number → entry indexes (any suffix). */
  byNumber: Map<number, number[]>;
  /** Street-level entries (no house number): matched only by an input without a number. */
  places: number[];
}

const collapse = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ');

export class AddressRegister {
  readonly entries: RegisterEntry[] = [];
  readonly problems: RegisterProblem[] = [];
  private readonly streets = new Map<string, Street>();
  private streetList: Street[] = [];
  private readonly postcodeStreets = new Map<string, Int32Array>();
  // Fuzzy index: street ids sorted by key length, trigram → ascending ids.
  private lengthStart = new Int32Array(1);
  private readonly grams = new Map<string, Int32Array>();
  private counter = new Uint16Array(0);
  private readonly fuzzyCache = new Map<string, { street: Street; distance: number }[]>();
  private readonly osa = new BoundedOsa();
  /** Input street spelling → collapsed spelling and key (forms repeat spellings). */
  private readonly keyCache = new Map<string, { text: string; key: string }>();

  private constructor() {}

  /**
   * Builds the register and its indexes. Entries without a usable street or with an unreadable
   * number are listed in `problems`; an entry without any number is a street-level address.
   */
  static build(input: Iterable<RegisterEntryInput>): AddressRegister {
    const r = new AddressRegister();
    const keyCache = new Map<string, string>();
    const hnCache = new Map<string, HouseNumber | null>();
    const byPostcode = new Map<string, Set<string>>();
    let i = -1;
    for (const e of input) {
      i++;
      const street = collapse(String(e.street ?? ''));
      let key = keyCache.get(street);
      if (key === undefined) keyCache.set(street, (key = normalizeStreet(street)));
      if (!key) {
        r.problems.push({ index: i, reason: 'no street name' });
        continue;
      }
      const hnText = `${e.number ?? ''}${e.suffix ?? ''}`.trim();
      let h: HouseNumber | null | undefined = null;
      if (hnText !== '') {
        h = hnCache.get(hnText);
        if (h === undefined) hnCache.set(hnText, (h = parseHouseNumber(hnText)));
        if (!h) {
          r.problems.push({ index: i, reason: `house number "${hnText}" not readable` });
          continue;
        }
      }
      const postcode =
        e.postcode === null || e.postcode === undefined || e.postcode === '' ? null : normalizePostcode(e.postcode);
      if (e.postcode !== null && e.postcode !== undefined && e.postcode !== '' && postcode === null)
        r.problems.push({ index: i, reason: `postcode "${e.postcode}" not readable (kept without postcode)` });
      const codes: Record<string, string> = {};
      if (e.codes)
        for (const [layer, code] of Object.entries(e.codes))
          if (code !== null && code !== undefined && code !== '') codes[layer] = String(code);
      const entry: RegisterEntry = {
        index: i,
        street,
        streetKey: key,
        number: h ? h.number : null,
        suffix: h ? h.suffix : '',
        houseNumber: h ? formatHouseNumber(h) : '',
        postcode,
        x: typeof e.x === 'number' && Number.isFinite(e.x) ? e.x : null,
        y: typeof e.y === 'number' && Number.isFinite(e.y) ? e.y : null,
        codes,
      };
      if (h?.rangeEnd !== undefined) entry.rangeEnd = h.rangeEnd;
      if (e.id !== undefined) entry.id = e.id;
      const idx = r.entries.push(entry) - 1;
      let s = r.streets.get(key);
      if (!s)
        r.streets.set(
          key,
          (s = {
            id: -1,
            key,
            mask: letterMask(key),
            spellings: new Map(),
            houses: new Map(),
            byNumber: new Map(),
            places: [],
          }),
        );
      s.spellings.set(street, (s.spellings.get(street) ?? 0) + 1);
      if (h) {
        const hk = entry.houseNumber;
        const list = s.houses.get(hk);
        if (list) list.push(idx);
        else s.houses.set(hk, [idx]);
        const bn = s.byNumber.get(h.number);
        if (bn) bn.push(idx);
        else s.byNumber.set(h.number, [idx]);
      } else s.places.push(idx);
      if (postcode) {
        const set = byPostcode.get(postcode);
        if (set) set.add(key);
        else byPostcode.set(postcode, new Set([key]));
      }
    }
    r.buildFuzzyIndex(byPostcode);
    return r;
  }

  get size(): number {
    return this.entries.length;
  }

  get streetCount(): number {
    return this.streets.size;
  }

  /** The most frequent register spelling of a street key. */
  spellingOf(key: string): string | undefined {
    const s = this.streets.get(key);
    return s ? mostFrequent(s.spellings) : undefined;
  }

  private buildFuzzyIndex(byPostcode: Map<string, Set<string>>): void {
    const list = [...this.streets.values()].sort((a, b) => a.key.length - b.key.length || (a.key < b.key ? -1 : 1));
    list.forEach((s, id) => (s.id = id));
    this.streetList = list;
    const maxLen = list.length ? list[list.length - 1].key.length : 0;
    this.lengthStart = new Int32Array(maxLen + 2);
    for (let len = 0, k = 0; len <= maxLen + 1; len++) {
      while (k < list.length && list[k].key.length < len) k++;
      this.lengthStart[len] = k;
    }
    const postings = new Map<string, number[]>();
    for (const s of list) for (const g of trigrams(s.key)) (postings.get(g) ?? postings.set(g, []).get(g)!).push(s.id);
    for (const [g, ids] of postings) this.grams.set(g, Int32Array.from(ids));
    this.counter = new Uint16Array(list.length);
    for (const [pc, keys] of byPostcode)
      this.postcodeStreets.set(pc, Int32Array.from([...keys].map((k) => this.streets.get(k)!.id)).sort());
  }

  /** Streets whose key is within the allowed edit distance, nearest first (ties by key). */
  fuzzyStreets(key: string, postcode: string | null = null): { street: string; key: string; distance: number }[] {
    return this.fuzzyCandidates(key, postcode).map((c) => ({
      street: mostFrequent(c.street.spellings),
      key: c.street.key,
      distance: c.distance,
    }));
  }

  private fuzzyCandidates(key: string, postcode: string | null): { street: Street; distance: number }[] {
    const cacheKey = `${key}|${postcode ?? ''}`;
    const cached = this.fuzzyCache.get(cacheKey);
    if (cached) return cached;
    const d = maxEdits(key.length);
    const out: { street: Street; distance: number }[] = [];
    if (d > 0) {
      const pcStreets = postcode ? this.postcodeStreets.get(postcode) : undefined;
      const mask = letterMask(key);
      const consider = (id: number) => {
        const s = this.streetList[id];
        if (Math.abs(s.key.length - key.length) > d) return;
        // One edit changes the set of letters present by at most two.
        if (popcount(mask ^ s.mask) > 2 * d) return;
        const dist = this.osa.distance(key, s.key, d);
        if (dist <= d) out.push({ street: s, distance: dist });
      };
      if (pcStreets) for (const id of pcStreets) consider(id);
      else {
        const lo = this.lengthStart[Math.max(0, Math.min(key.length - d, this.lengthStart.length - 1))],
          hi = this.lengthStart[Math.max(0, Math.min(key.length + d + 1, this.lengthStart.length - 1))];
        const qs = trigrams(key);
        // Each edit destroys at most 4 trigrams (a transposition), so a candidate shares ≥ need of them.
        const need = qs.length - 4 * d;
        if (need <= 0) for (let id = lo; id < hi; id++) consider(id);
        else {
          // Prefix filtering: a candidate must occur in one of the (k − need + 1) rarest trigrams;
          // the others only add to the counts of candidates found so (by binary search).
          const lists = qs.map((g) => this.grams.get(g) ?? EMPTY).sort((a, b) => a.length - b.length);
          const seed = lists.length - need + 1;
          const counter = this.counter;
          const touched: number[] = [];
          for (let q = 0; q < seed; q++) {
            const ids = lists[q];
            for (let k = lowerBound(ids, lo); k < ids.length && ids[k] < hi; k++) {
              const id = ids[k];
              if (counter[id]++ === 0) touched.push(id);
            }
          }
          for (const id of touched) {
            let c = counter[id];
            for (let q = seed; q < lists.length && c < need; q++) {
              const ids = lists[q];
              const k = lowerBound(ids, id);
              if (k < ids.length && ids[k] === id) c++;
            }
            if (c >= need) consider(id);
            counter[id] = 0;
          }
        }
      }
      out.sort((a, b) => a.distance - b.distance || (a.street.key < b.street.key ? -1 : 1));
    }
    if (this.fuzzyCache.size > 100_000) this.fuzzyCache.clear();
    this.fuzzyCache.set(cacheKey, out);
    return out;
  }

  /** Matches one form address. */
  match(input: MatchInput, options: MatchOptions = {}): MatchResult {
    const parsed = parseInput(input);
    let cached = this.keyCache.get(parsed.street);
    if (cached === undefined) {
      if (this.keyCache.size > 200_000) this.keyCache.clear();
      const text = collapse(parsed.street);
      this.keyCache.set(parsed.street, (cached = { text, key: normalizeStreet(text) }));
    }
    const streetText = cached.text,
      key = cached.key;
    if (!key) return { status: 'unmatched', reason: 'no-street', message: 'no street name found', parsed };
    const pc = parsed.postcode;
    const h = parsed.houseNumber;
    const street = this.streets.get(key);
    if (!street && parsed.houseNumberText) {
      // "Straße 645" (a street named by a number) typed without a house number.
      const wholeText = `${streetText} ${parsed.houseNumberText}`;
      const whole = this.streets.get(normalizeStreet(wholeText));
      // A place named with a number ("Platz 645" without house number) is a street-level address.
      if (whole?.places.length)
        return this.resolveHouse(
          [{ street: whole, distance: 0 }],
          null,
          pc,
          options,
          whole.spellings.has(collapse(wholeText)) ? 'exact' : 'normalised',
          parsed,
        );
      if (whole)
        return {
          status: 'unmatched',
          reason: 'no-house-number',
          message: `street "${mostFrequent(whole.spellings)}" is known; no house number given`,
          parsed,
        };
    }
    if (!h) {
      if (!parsed.houseNumberText) {
        // No number at all: only a street-level address (a place) can match.
        if (street?.places.length)
          return this.resolveHouse(
            [{ street, distance: 0 }],
            null,
            pc,
            options,
            street.spellings.has(streetText) ? 'exact' : 'normalised',
            parsed,
          );
        if (!street && options.fuzzy !== false) {
          // A misspelt place: only when every nearest street is a place — a numberless input
          // close to a street of houses is that street without its number, not a farther place.
          let near = pc && this.postcodeStreets.has(pc) ? this.fuzzyCandidates(key, pc) : [];
          if (near.length === 0) near = this.fuzzyCandidates(key, null);
          near = near.filter((c) => c.distance === near[0].distance);
          if (near.length && near.every((c) => c.street.places.length))
            return this.resolveHouse(near, null, pc, { ...options, strictPostcode: true }, 'fuzzy', parsed);
        }
      }
      const known = street ? `street "${mostFrequent(street.spellings)}" is known; ` : '';
      return {
        status: 'unmatched',
        reason: 'no-house-number',
        message: parsed.houseNumberText
          ? `${known}house number "${parsed.houseNumberText}" not readable`
          : `${known}no house number given`,
        parsed,
      };
    }
    if (street) {
      const exact = street.spellings.has(streetText);
      return this.resolveHouse([{ street, distance: 0 }], h, pc, options, exact ? 'exact' : 'normalised', parsed);
    }
    if (options.fuzzy === false)
      return {
        status: 'unmatched',
        reason: 'street-not-found',
        message: `street "${streetText}" not in the register`,
        parsed,
      };
    let candidates = pc && this.postcodeStreets.has(pc) ? this.fuzzyCandidates(key, pc) : [];
    if (candidates.length === 0) candidates = this.fuzzyCandidates(key, null);
    if (candidates.length === 0)
      return {
        status: 'unmatched',
        reason: 'street-not-found',
        message: `street "${streetText}" not in the register`,
        parsed,
      };
    return this.resolveHouse(candidates, h, pc, { ...options, strictPostcode: true }, 'fuzzy', parsed);
  }

  /** Matches many addresses (same as calling match for each). */
  matchMany(inputs: Iterable<MatchInput>, options: MatchOptions = {}): MatchResult[] {
    const out: MatchResult[] = [];
    for (const i of inputs) out.push(this.match(i, options));
    return out;
  }

  /**
   * Finds the house on the candidate streets (nearest first). The first distance at which any
   * candidate street has the house decides; several addresses there → ambiguous. `h` null: the
   * street-level address (a place without house number) — and only that.
   */
  private resolveHouse(
    candidates: { street: Street; distance: number }[],
    h: HouseNumber | null,
    pc: string | null,
    options: MatchOptions,
    streetMethod: 'exact' | 'normalised' | 'fuzzy',
    parsed: ParsedAddress,
  ): MatchResult {
    type Found = { street: Street; distance: number; entries: number[]; how: HouseHow; postcodeDiffers: boolean };
    const find = (s: Street, p: string | null) =>
      h ? findHouse(s, h, this.entries, p) : findPlace(s, this.entries, p);
    // " 12a" after a street name; nothing for the street-level address.
    const hn = h ? ` ${formatHouseNumber(h)}` : '';
    let found: Found[] = [];
    let postcodeOnly: { street: Street; entries: number[] } | null = null;
    let level = -1;
    for (const c of candidates) {
      if (found.length && c.distance > level) break;
      let house = find(c.street, pc);
      let postcodeDiffers = false;
      if (!house && pc) {
        // Nothing in the given postcode: the address may exist in another one.
        const elsewhere = find(c.street, null);
        if (!elsewhere) continue;
        if (
          options.strictPostcode ||
          elsewhere.how === 'ambiguous-suffix' ||
          distinctAddresses(elsewhere.entries, this.entries) > 1
        ) {
          postcodeOnly ??= { street: c.street, entries: elsewhere.entries };
          continue;
        }
        house = elsewhere;
        postcodeDiffers = true;
      }
      if (!house) continue;
      if (!found.length) level = c.distance;
      found.push({ street: c.street, distance: c.distance, entries: house.entries, how: house.how, postcodeDiffers });
    }
    if (found.length > 1) found = found.filter((f) => f.distance === level);
    if (found.length === 0) {
      if (postcodeOnly) {
        const pcs = [...new Set(postcodeOnly.entries.map((k) => this.entries[k].postcode))].join(', ');
        return {
          status: 'unmatched',
          reason: 'postcode-mismatch',
          message: `${mostFrequent(postcodeOnly.street.spellings)}${hn} exists in postcode ${pcs}, not in ${pc}`,
          suggestion: `${mostFrequent(postcodeOnly.street.spellings)}${hn}, ${pcs}`,
          parsed,
        };
      }
      const best = candidates[0].street;
      if (streetMethod === 'fuzzy')
        return {
          status: 'unmatched',
          reason: 'street-not-found',
          message: `street "${collapse(parsed.street)}" not in the register; nearest "${mostFrequent(best.spellings)}" has ${h ? `no house number ${formatHouseNumber(h)}` : 'no street-level address'}`,
          suggestion: mostFrequent(best.spellings),
          parsed,
        };
      // The street exists but lacks the house: a similar street that has it is only suggested,
      // never matched (the input names a real street).
      const near =
        options.fuzzy === false ? [] : this.fuzzyCandidates(best.key, pc && this.postcodeStreets.has(pc) ? pc : null);
      const alternatives = near.filter((c) => c.street !== best && find(c.street, pc));
      const message = `${h ? `house number ${formatHouseNumber(h)}` : 'street-level address'} not in the register for "${mostFrequent(best.spellings)}"`;
      if (alternatives.length === 1) {
        const alt = `${mostFrequent(alternatives[0].street.spellings)}${hn}`;
        return {
          status: 'unmatched',
          reason: 'house-number-not-found',
          message: `${message}; "${alt}" exists`,
          suggestion: alt,
          parsed,
        };
      }
      return { status: 'unmatched', reason: 'house-number-not-found', message, parsed };
    }
    const all = found.length === 1 ? found[0].entries : found.flatMap((f) => f.entries);
    if (found.length > 1 || found[0].how === 'ambiguous-suffix' || distinctAddresses(all, this.entries) > 1) {
      const given = `${collapse(parsed.street)}${parsed.houseNumberText ? ` ${parsed.houseNumberText}` : hn}`;
      const candidatesOut = uniqueAddresses(all, this.entries).map((k) => this.entries[k]);
      const why =
        found.length > 1
          ? `"${given}" is as close to ${found.map((f) => `"${mostFrequent(f.street.spellings)}"`).join(' as to ')}`
          : found[0].how === 'ambiguous-suffix'
            ? `house number ${h?.number} exists only with suffixes (${candidatesOut.map((e) => e.houseNumber).join(', ')})`
            : `"${given}" exists in several postcodes (${[...new Set(candidatesOut.map((e) => e.postcode))].join(', ')})`;
      return {
        status: 'ambiguous',
        reason: why,
        candidates: candidatesOut,
        commonCodes: commonCodes(candidatesOut),
        parsed,
      };
    }
    const f = found[0];
    const entry = this.entries[f.entries[0]];
    const notes: string[] = [];
    let confidence =
      streetMethod === 'exact'
        ? CONFIDENCE.exact
        : streetMethod === 'normalised'
          ? CONFIDENCE.normalised
          : CONFIDENCE.fuzzy(f.distance, f.street.key.length);
    let method: MatchMethod = streetMethod;
    if (streetMethod === 'fuzzy')
      notes.push(`street "${collapse(parsed.street)}" read as "${entry.street}" (edit distance ${f.distance})`);
    if (f.how !== 'same') {
      if (method !== 'fuzzy') method = 'base-number';
      if (f.how === 'range-start')
        ((confidence *= CONFIDENCE.rangeStart),
          notes.push(`range${hn} matched to its first number ${entry.houseNumber}`));
      else if (f.how === 'suffix-missing')
        ((confidence *= CONFIDENCE.suffixMissing),
          notes.push(`house number ${h?.number} matched to ${entry.houseNumber}, the only house with that number`));
      else
        ((confidence *= CONFIDENCE.suffixUnknown),
          notes.push(`house number${hn} not in the register; matched to ${entry.houseNumber}`));
    }
    if (f.postcodeDiffers) {
      if (method === 'exact') method = 'normalised';
      confidence *= CONFIDENCE.postcodeDiffers;
      notes.push(`postcode ${pc} differs from the register's ${entry.postcode}`);
    }
    if (!h) notes.push('street-level address: a place without house number');
    if (f.entries.length > 1) notes.push(`${f.entries.length} identical register entries; the first is used`);
    return { status: 'matched', method, confidence: Math.round(confidence * 1000) / 1000, entry, notes, parsed };
  }
}

type HouseHow = 'same' | 'range-start' | 'suffix-missing' | 'suffix-unknown' | 'ambiguous-suffix';

/**
 * The house on street s: as given, else by the fallbacks (range start, base number). With a
 * postcode, only entries in that postcode (or without one) count — so a fallback within the
 * postcode wins over the exact number in another postcode.
 */
function findHouse(
  s: Street,
  h: HouseNumber,
  entries: RegisterEntry[],
  pc: string | null,
): { entries: number[]; how: HouseHow } | null {
  const pick = (list: number[] | undefined): number[] | null => {
    if (!list) return null;
    if (!pc) return list;
    const inPc = inPostcode(list, entries, pc);
    return inPc.length ? inPc : null;
  };
  const same = pick(s.houses.get(formatHouseNumber(h)));
  if (same) return { entries: same, how: 'same' };
  if (h.rangeEnd !== undefined) {
    // "12/14" may be a sub-number in the register ("12/14" as house 12, part 14).
    const sub =
      h.rangeSuffix === undefined && h.suffix === '' ? pick(s.houses.get(houseKey(h.number, `/${h.rangeEnd}`))) : null;
    if (sub) return { entries: sub, how: 'same' };
    const start = pick(s.houses.get(houseKey(h.number, h.suffix)));
    if (start) return { entries: start, how: 'range-start' };
  }
  if (h.suffix !== '') {
    const plain = pick(s.houses.get(houseKey(h.number)));
    return plain ? { entries: plain, how: 'suffix-unknown' } : null;
  }
  const any = pick(s.byNumber.get(h.number));
  if (!any) return null;
  let first = '',
    several = false;
  for (const k of any) {
    const hn = entries[k].houseNumber;
    if (first === '') first = hn;
    else if (hn !== first) several = true;
  }
  return { entries: any, how: several ? 'ambiguous-suffix' : 'suffix-missing' };
}

/**
 * The street-level entries of street s (places without house number). With a postcode, only
 * entries in that postcode (or without one) count, as for houses.
 */
function findPlace(
  s: Street,
  entries: RegisterEntry[],
  pc: string | null,
): { entries: number[]; how: HouseHow } | null {
  if (!s.places.length) return null;
  const list = pc ? inPostcode(s.places, entries, pc) : s.places;
  return list.length ? { entries: list, how: 'same' } : null;
}

/** Entries denote the same address when street key, house number and postcode agree. */
const addressKey = (e: RegisterEntry) => `${e.streetKey}|${e.houseNumber}|${e.postcode ?? ''}`;

function inPostcode(idx: number[], entries: RegisterEntry[], pc: string): number[] {
  let all = true;
  for (const k of idx) if (entries[k].postcode !== pc && entries[k].postcode !== null) all = false;
  if (all) return idx;
  const out: number[] = [];
  for (const k of idx) if (entries[k].postcode === pc || entries[k].postcode === null) out.push(k);
  return out;
}

function distinctAddresses(idx: number[], entries: RegisterEntry[]): number {
  if (idx.length <= 1) return idx.length;
  return new Set(idx.map((k) => addressKey(entries[k]))).size;
}

function uniqueAddresses(idx: number[], entries: RegisterEntry[]): number[] {
  const seen = new Set<string>();
  return idx.filter((k) => {
    const key = addressKey(entries[k]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function commonCodes(entries: RegisterEntry[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!entries.length) return out;
  for (const [layer, code] of Object.entries(entries[0].codes))
    if (entries.every((e) => e.codes[layer] === code)) out[layer] = code;
  return out;
}

function mostFrequent(m: Map<string, number>): string {
  let best = '',
    n = -1;
  for (const [s, c] of m) if (c > n) ((best = s), (n = c));
  return best;
}

function parseInput(input: MatchInput): ParsedAddress {
  if (typeof input === 'string') return parseAddressLine(input);
  const numberText = input.number === null || input.number === undefined ? '' : String(input.number).trim();
  let street = String(input.street ?? '');
  let houseNumberText = numberText;
  if (numberText === '') {
    // The street field may carry the number ("Ackerstr. 1a").
    const p = parseAddressLine(street);
    if (p.houseNumber) ((street = p.street), (houseNumberText = p.houseNumberText));
  }
  const postcode =
    input.postcode === null || input.postcode === undefined || input.postcode === ''
      ? null
      : normalizePostcode(input.postcode);
  return {
    street: street.trim(),
    houseNumberText,
    houseNumber: parseHouseNumber(houseNumberText),
    postcode,
    city: input.city ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// Fuzzy helpers

/** Distinct trigrams of "$$key$$". */
export function trigrams(key: string): string[] {
  const s = `$$${key}$$`;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return [...out];
}

const EMPTY = new Int32Array(0);

function letterMask(key: string): number {
  let m = 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i) - 97;
    m |= c >= 0 && c < 26 ? 1 << c : 1 << 26;
  }
  return m;
}

function popcount(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function lowerBound(a: Int32Array, v: number): number {
  let lo = 0,
    hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), bounded. */
class BoundedOsa {
  private prev2 = new Int32Array(64);
  private prev = new Int32Array(64);
  private cur = new Int32Array(64);

  /** The distance if ≤ max, else max + 1. Only the diagonal band |i − j| ≤ max is computed. */
  distance(a: string, b: string, max: number): number {
    const n = a.length,
      m = b.length;
    if (Math.abs(n - m) > max) return max + 1;
    if (a === b) return 0;
    const big = max + 1;
    if (this.cur.length < m + 2)
      ((this.prev2 = new Int32Array(m + 2)), (this.prev = new Int32Array(m + 2)), (this.cur = new Int32Array(m + 2)));
    let prev2 = this.prev2,
      prev = this.prev,
      cur = this.cur;
    for (let j = 0; j <= m; j++) prev[j] = j <= max ? j : big;
    prev2.fill(big, 0, m + 1);
    for (let i = 1; i <= n; i++) {
      const lo = Math.max(1, i - max),
        hi = Math.min(m, i + max);
      cur[lo - 1] = lo - 1 === 0 ? i : big;
      if (hi < m) cur[hi + 1] = big;
      let rowMin = cur[lo - 1];
      const ai = a.charCodeAt(i - 1);
      for (let j = lo; j <= hi; j++) {
        const bj = b.charCodeAt(j - 1);
        let v = prev[j - 1] + (ai === bj ? 0 : 1);
        const del = prev[j] + 1,
          ins = cur[j - 1] + 1;
        if (del < v) v = del;
        if (ins < v) v = ins;
        if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj && prev2[j - 2] + 1 < v)
          v = prev2[j - 2] + 1;
        cur[j] = v > big ? big : v;
        if (v < rowMin) rowMin = v;
      }
      if (rowMin > max) return big;
      const t = prev2;
      prev2 = prev;
      prev = cur;
      cur = t;
    }
    const d = prev[m];
    return d > max ? big : d;
  }
}

/** Module-level helper: bounded OSA distance of two strings. */
export function editDistance(a: string, b: string, max = Infinity): number {
  return new BoundedOsa().distance(a, b, Number.isFinite(max) ? max : Math.max(a.length, b.length));
}

// ---------------------------------------------------------------------------------------------
// Summary

export interface MatchSummary {
  total: number;
  matched: number;
  ambiguous: number;
  unmatched: number;
  byMethod: Record<MatchMethod, number>;
  /** Matched rows whose register address is street-level (a place without house number). */
  streetLevel: number;
  byReason: Partial<Record<UnmatchedReason, number>>;
  /** Streets not found in the register, most frequent first (spelling: the most frequent one seen). */
  unmatchedStreets: { street: string; key: string; count: number; suggestion?: string }[];
  /** Known streets with house numbers not in the register, most frequent first. */
  missingHouseNumbers: { street: string; houseNumber: string; count: number; suggestion?: string }[];
}

/** Counts per outcome and the unmatched street names ranked, so the register or the form can be fixed. */
export function summarizeMatches(results: readonly MatchResult[]): MatchSummary {
  const s: MatchSummary = {
    total: results.length,
    matched: 0,
    ambiguous: 0,
    unmatched: 0,
    byMethod: { exact: 0, normalised: 0, fuzzy: 0, 'base-number': 0 },
    streetLevel: 0,
    byReason: {},
    unmatchedStreets: [],
    missingHouseNumbers: [],
  };
  const streets = new Map<string, { spellings: Map<string, number>; count: number; suggestion?: string }>();
  const houses = new Map<string, { street: string; houseNumber: string; count: number; suggestion?: string }>();
  for (const r of results) {
    if (r.status === 'matched') {
      s.matched++;
      s.byMethod[r.method]++;
      if (r.entry.number === null) s.streetLevel++;
    } else if (r.status === 'ambiguous') s.ambiguous++;
    else {
      s.unmatched++;
      s.byReason[r.reason] = (s.byReason[r.reason] ?? 0) + 1;
      const spelling = collapse(r.parsed.street);
      if (r.reason === 'street-not-found') {
        const key = normalizeStreet(spelling);
        const g = streets.get(key) ?? streets.set(key, { spellings: new Map(), count: 0 }).get(key)!;
        g.count++;
        g.spellings.set(spelling, (g.spellings.get(spelling) ?? 0) + 1);
        if (r.suggestion) g.suggestion = r.suggestion;
      } else if (r.reason === 'house-number-not-found' && r.parsed.houseNumber) {
        const hn = formatHouseNumber(r.parsed.houseNumber);
        const key = `${normalizeStreet(spelling)}|${hn}`;
        const g = houses.get(key) ?? houses.set(key, { street: spelling, houseNumber: hn, count: 0 }).get(key)!;
        g.count++;
        if (r.suggestion) g.suggestion = r.suggestion;
      }
    }
  }
  s.unmatchedStreets = [...streets]
    .map(([key, g]) => ({
      street: mostFrequent(g.spellings),
      key,
      count: g.count,
      ...(g.suggestion ? { suggestion: g.suggestion } : {}),
    }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  s.missingHouseNumbers = [...houses.values()].sort((a, b) => b.count - a.count || (a.street < b.street ? -1 : 1));
  return s;
}
