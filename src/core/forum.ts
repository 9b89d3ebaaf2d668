// The neighbourhood youth forum: topics, support codes, binding answers, overdue flags, the
// accountability view and what may be shown publicly. Pure: data in, data out (today is a
// parameter, randomness comes in as bytes).

import {
  AGE_BANDS,
  ANSWER_STATUSES,
  RAISED_BY,
  type AgeBand,
  type AnswerStatus,
  type Moderation,
  type RaisedBy,
} from '../contracts/vocabulary.ts';

// The forum's closed word lists are the API's vocabulary (src/contracts).
export { AGE_BANDS, ANSWER_STATUSES, RAISED_BY, type AgeBand, type AnswerStatus, type Moderation, type RaisedBy };

/** German labels of the answer statuses, as the issue names them. */
export const ANSWER_LABELS: Record<AnswerStatus, string> = {
  in_pruefung: 'in Prüfung',
  wird_umgesetzt: 'wird umgesetzt',
  umgesetzt: 'umgesetzt',
  abgelehnt: 'abgelehnt',
};

export const LINK_KINDS = ['measure', 'indicator', 'report'] as const;
/** A link of a topic: a measure, an indicator or a report — and of a report optionally one block (its stable key). */
export type TopicLink = { kind: (typeof LINK_KINDS)[number]; ref: string; block?: string };

/** Counts below this are not shown publicly (supports, participants per age band). */
const PUBLIC_MIN_COUNT = 5;

/** Months a department has for its binding answer. */
const ANSWER_MONTHS = 3;

// ---------------------------------------------------------------------------------------------
// Support codes

/**
 * Crockford's base 32: no I, L, O or U, and the look-alikes typed by mistake are read as the
 * digits (O → 0, I and L → 1). 32 symbols, so a random byte & 31 picks each with equal chance.
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 10;

/** A code from CODE_LENGTH random bytes, grouped "ABCDE-FGHJK". */
export function codeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < CODE_LENGTH) throw new Error(`a code needs ${CODE_LENGTH} random bytes`);
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i++) s += CODE_ALPHABET[bytes[i] & 31];
  return `${s.slice(0, 5)}-${s.slice(5)}`;
}

/** The code as typed, normalised (case, spaces, dashes, look-alikes); null when it cannot be one. */
export function normalizeCode(typed: string): string | null {
  const s = typed
    .toUpperCase()
    .replace(/[\s\-_.]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return null;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Dates

/** ISO date plus n calendar months, clamped to the month's end (31 Jan + 1 → 28/29 Feb). */
export function addMonths(iso: string, n: number): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  const ty = Math.floor(total / 12),
    tm = total % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return `${String(ty).padStart(4, '0')}-${String(tm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The default due date of a binding answer: three months after publication. */
export function defaultDue(publishedOn: string): string {
  return addMonths(publishedOn, ANSWER_MONTHS);
}

export interface AnswerState {
  moderation: Moderation;
  answerDue: string | null;
  decidedOn: string | null;
}

/** Overdue: published, a due date passed, and no decision yet ("in Prüfung" does not stop it). */
export function isOverdue(t: AnswerState, today: string): boolean {
  return t.moderation === 'published' && t.decidedOn === null && t.answerDue !== null && t.answerDue < today;
}

// ---------------------------------------------------------------------------------------------
// Accountability: the share of topics answered within three months, per department and area.

export interface AccountabilityTopic {
  department: string | null;
  area: string;
  publishedOn: string | null;
  decidedOn: string | null;
  moderation: Moderation;
  answerDue: string | null;
}

export interface AccountabilityRow {
  key: string;
  /** Published topics. */
  topics: number;
  /** Topics whose three months have passed, or that were decided earlier: the denominator. */
  due: number;
  /** Of those, decided within three months of publication. */
  inTime: number;
  /** inTime / due; null when nothing is due yet. */
  share: number | null;
  /** Published, not decided. */
  open: number;
  overdue: number;
}

/**
 * A topic counts once its three months are over (or it was decided before): it is then either
 * answered in time or not — a topic decided late counts as not in time forever.
 */
export function accountability(
  topics: AccountabilityTopic[],
  by: 'department' | 'area',
  today: string,
): AccountabilityRow[] {
  const rows = new Map<string, AccountabilityRow>();
  for (const t of topics) {
    if (t.moderation !== 'published' || t.publishedOn === null) continue;
    const key = (by === 'department' ? t.department : t.area) ?? '';
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { key, topics: 0, due: 0, inTime: 0, share: null, open: 0, overdue: 0 }));
    r.topics++;
    const limit = addMonths(t.publishedOn, ANSWER_MONTHS);
    const inTime = t.decidedOn !== null && t.decidedOn <= limit;
    if (inTime || limit < today) {
      r.due++;
      if (inTime) r.inTime++;
    }
    if (t.decidedOn === null) r.open++;
    if (isOverdue(t, today)) r.overdue++;
  }
  for (const r of rows.values()) r.share = r.due ? r.inTime / r.due : null;
  return [...rows.values()].sort((a, b) => a.key.localeCompare(b.key));
}

// ---------------------------------------------------------------------------------------------
// Public display

/** A count as the public sees it: null (shown as "weniger als 5") below the threshold. */
export function publicCount(n: number, min = PUBLIC_MIN_COUNT): number | null {
  return n < min ? null : n;
}

/** Age-band counts for the public: each band below the threshold withheld. */
export function publicAgeBands(bands: Record<string, number>, min = PUBLIC_MIN_COUNT): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(bands)) out[k] = publicCount(v, min);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Text a young person sends

const EMAIL = /[^\s@<>()]+@[^\s@<>()]+\.[a-z]{2,}/i;
// Seven or more digits, possibly with spaces, slashes or dashes between, e.g. 0171 123 45 67.
const PHONE = /(?:\+|\b0)\d(?:[\s/-]?\d){6,}/;

export interface ProposalInput {
  title: string;
  description: string;
}

export interface TextProblem {
  field: 'title' | 'description';
  code: 'empty' | 'too-long' | 'contact-data';
  reason: string;
}

/**
 * What a proposal must not be: empty, too long, or carrying contact data. E-mail addresses and
 * phone numbers are refused outright (not stored and then moderated away); names cannot be
 * recognised by a machine and are the moderators' job.
 */
export function checkProposal(p: ProposalInput): TextProblem[] {
  const out: TextProblem[] = [];
  const title = p.title.trim(),
    description = p.description.trim();
  if (!title) out.push({ field: 'title', code: 'empty', reason: 'title is empty' });
  if (title.length > 200) out.push({ field: 'title', code: 'too-long', reason: 'title is longer than 200 characters' });
  if (description.length > 4000)
    out.push({ field: 'description', code: 'too-long', reason: 'description is longer than 4,000 characters' });
  for (const [field, text] of [
    ['title', title],
    ['description', description],
  ] as const)
    if (EMAIL.test(text) || PHONE.test(text))
      out.push({ field, code: 'contact-data', reason: 'contains an e-mail address or a phone number' });
  return out;
}

/** Text from elsewhere (an imported proposal) with e-mail addresses and phone numbers taken out. */
export function redactContacts(text: string): string {
  return text
    .replace(new RegExp(EMAIL.source, 'gi'), '[entfernt]')
    .replace(new RegExp(PHONE.source, 'g'), '[entfernt]');
}

/** Words that do not belong on the youth pages (planners' jargon). */
const YOUTH_JARGON = [
  'Indikator',
  'Gliederungsebene',
  'Raumbezug',
  'Sozialraummonitoring',
  'Aggregat',
  'Geheimhaltung',
  'Stichtag',
  'Planungsraum',
];

/** The jargon words found in a text (case-insensitive; "Indikatoren" counts as "Indikator"). */
export function jargonIn(text: string): string[] {
  const low = text.toLowerCase();
  return YOUTH_JARGON.filter((w) => low.includes(w.toLowerCase()));
}

// ---------------------------------------------------------------------------------------------
// The forum in the atlas (decision 0040): published topics per area and year of raising, and per
// 1,000 young residents. Topic counts are not personal data; the rule "below 5 not shown" is
// about supports and participants (people), not about how many topics an area has.

export const ATLAS_COUNT_KEY = 'jugendforum_themen';
export const ATLAS_RATE_KEY = 'jugendforum_themen_je_1000';
export const ATLAS_RATE_SCALE = 1000;

/** Which population counts as "young" for the rate: an indicator and a breakdown filter. */
export interface YoungPopulation {
  indicator: string;
  filter?: Record<string, string>;
}

/** The default: the demo catalogue's residents under 21 (the reference of the youth welfare rates). */
export const DEFAULT_YOUNG_POPULATION: YoungPopulation = { indicator: 'einwohner_unter21' };

export interface CountableTopic {
  layer: string;
  areaCode: string;
  raisedOn: string;
  moderation: Moderation;
}

/** Published topics counted per year of raising, layer and area code. */
export function topicCounts(topics: CountableTopic[]): Map<string, Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, Map<string, number>>>();
  for (const t of topics) {
    if (t.moderation !== 'published') continue;
    const year = t.raisedOn.slice(0, 4);
    let byLayer = out.get(year);
    if (!byLayer) out.set(year, (byLayer = new Map()));
    let byArea = byLayer.get(t.layer);
    if (!byArea) byLayer.set(t.layer, (byArea = new Map()));
    byArea.set(t.areaCode, (byArea.get(t.areaCode) ?? 0) + 1);
  }
  return out;
}

export interface RateValue {
  value: number | null;
  /** The young residents the rate rests on (the stored base: coarser areas add counts and bases). */
  base: number | null;
  /** A registered reason code (stored as it is, read back as that code: src/core/reasons.ts storedReason). */
  reason: string | null;
}

/**
 * Topics per 1,000 young residents. Stored with its base, so that a coarser area's rate is
 * Σ(rate × base) / Σbase = 1,000 × Σtopics / Σyoung — computed from counts, never averaged.
 */
export function topicRate(topics: number, young: number | null | undefined): RateValue {
  if (young === null || young === undefined) return { value: null, base: null, reason: 'reason-no-population' };
  if (young <= 0) return { value: null, base: null, reason: 'reason-no-young-residents' };
  return { value: (topics / young) * ATLAS_RATE_SCALE, base: young, reason: null };
}

// ---------------------------------------------------------------------------------------------
// Photos of posters: what is accepted, and the metadata taken out before storing.

export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
export type ImageType = 'image/jpeg' | 'image/png';

/** The type by the file's first bytes (magic numbers), never by its name or a header. */
export function imageTypeOf(b: Uint8Array): ImageType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length >= 8 && png.every((v, i) => b[i] === v)) return 'image/png';
  return null;
}

export class BadImage extends Error {}

/**
 * A JPEG without its metadata segments: APP1 (EXIF with GPS and camera owner, XMP), APP13
 * (IPTC/Photoshop: author, caption), the other application segments and COM (comments). Kept:
 * APP0 (JFIF), APP2 "ICC_PROFILE" and APP14 "Adobe" — colour, not people, and needed to decode
 * some files right. The image data from the start of scan to the end-of-image marker is copied as
 * it is; bytes after it are dropped.
 */
export function stripJpeg(b: Uint8Array): Uint8Array {
  if (!(b[0] === 0xff && b[1] === 0xd8)) throw new BadImage('not a JPEG (no SOI marker)');
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  let i = 2;
  for (;;) {
    if (i + 4 > b.length) throw new BadImage('JPEG ends before its image data');
    if (b[i] !== 0xff) throw new BadImage(`JPEG: expected a marker at byte ${i}`);
    let marker = b[i + 1];
    // Fill bytes (0xFF 0xFF …) before a marker are allowed.
    while (marker === 0xff && i + 2 < b.length) {
      i++;
      marker = b[i + 1];
    }
    if (marker === 0xd9) {
      parts.push(b.subarray(i, i + 2));
      break;
    }
    if (marker === 0xda) {
      // Entropy-coded data stuffs every 0xFF with 0x00, so the first FF D9 from here is the end
      // of the image; what follows it (a phone's appended video or metadata trailer) is dropped.
      let e = i + 2;
      while (e + 1 < b.length && !(b[e] === 0xff && b[e + 1] === 0xd9)) e++;
      if (e + 1 >= b.length) throw new BadImage('JPEG without end-of-image marker');
      parts.push(b.subarray(i, e + 2));
      break;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      parts.push(b.subarray(i, i + 2));
      i += 2;
      continue;
    }
    const len = (b[i + 2] << 8) | b[i + 3];
    if (len < 2 || i + 2 + len > b.length) throw new BadImage(`JPEG: segment at byte ${i} runs past the end`);
    const seg = b.subarray(i, i + 2 + len);
    const isApp = marker >= 0xe1 && marker <= 0xef;
    const id = String.fromCharCode(...seg.subarray(4, Math.min(seg.length, 15)));
    const colour = (marker === 0xe2 && id.startsWith('ICC_PROFILE')) || (marker === 0xee && id.startsWith('Adobe'));
    const drop = (isApp && !colour) || marker === 0xfe;
    if (!drop) parts.push(seg);
    i += 2 + len;
  }
  return concat(parts);
}

/** PNG chunks that carry no people: the critical ones and colour/transparency/size hints. */
const PNG_KEEP = new Set([
  'IHDR',
  'PLTE',
  'IDAT',
  'IEND',
  'tRNS',
  'cHRM',
  'gAMA',
  'iCCP',
  'sBIT',
  'sRGB',
  'bKGD',
  'pHYs',
  'sPLT',
  'acTL',
  'fcTL',
  'fdAT',
]);

/** A PNG without its ancillary text and metadata chunks (tEXt, zTXt, iTXt, eXIf, tIME …). */
export function stripPng(b: Uint8Array): Uint8Array {
  if (imageTypeOf(b) !== 'image/png') throw new BadImage('not a PNG (no signature)');
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  let i = 8,
    ended = false;
  while (i < b.length) {
    if (i + 12 > b.length) throw new BadImage(`PNG: chunk at byte ${i} is cut off`);
    const len = ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
    const type = String.fromCharCode(b[i + 4], b[i + 5], b[i + 6], b[i + 7]);
    const end = i + 12 + len;
    if (end > b.length) throw new BadImage(`PNG: chunk ${type} runs past the end`);
    if (PNG_KEEP.has(type)) parts.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!ended) throw new BadImage('PNG without IEND chunk');
  return concat(parts);
}

export function stripImage(b: Uint8Array): { type: ImageType; bytes: Uint8Array } {
  const type = imageTypeOf(b);
  if (!type) throw new BadImage('only JPEG and PNG photos are accepted');
  return { type, bytes: type === 'image/jpeg' ? stripJpeg(b) : stripPng(b) };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A forum as the public youth pages list it. */
export interface PublicForum {
  key: string;
  name: string;
  layer: string;
  area: string;
  areaName: string | null;
  topics: number;
}
