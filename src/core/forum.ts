// The neighbourhood youth forum: topics, support codes, binding answers, overdue flags, the
// accountability view and what may be shown publicly. Pure: data in, data out (today is a
// parameter, randomness comes in as bytes).

export const ANSWER_STATUSES = ['in_pruefung', 'wird_umgesetzt', 'umgesetzt', 'abgelehnt'] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];

/** German labels of the answer statuses, as the issue names them. */
export const ANSWER_LABELS: Record<AnswerStatus, string> = { in_pruefung: 'in Prüfung', wird_umgesetzt: 'wird umgesetzt', umgesetzt: 'umgesetzt', abgelehnt: 'abgelehnt' };

export const RAISED_BY = ['online', 'forum', 'school_class', 'youth_centre', 'other'] as const;
export type RaisedBy = (typeof RAISED_BY)[number];

export const MODERATION_STATES = ['pending', 'published', 'rejected', 'merged'] as const;
export type Moderation = (typeof MODERATION_STATES)[number];

/** The only personal attribute stored with a support, optional. */
export const AGE_BANDS = ['unter_12', '12_14', '15_17', '18_27'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const LINK_KINDS = ['measure', 'indicator', 'report'] as const;
export type TopicLink = { kind: (typeof LINK_KINDS)[number]; ref: string };

/** Counts below this are not shown publicly (supports, participants per age band). */
export const PUBLIC_MIN_COUNT = 5;

/** Months a department has for its binding answer. */
export const ANSWER_MONTHS = 3;

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
  const s = typed.toUpperCase().replace(/[\s\-_.]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
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

export function isDecision(s: AnswerStatus | null): boolean {
  return s !== null && s !== 'in_pruefung';
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
export function accountability(topics: AccountabilityTopic[], by: 'department' | 'area', today: string): AccountabilityRow[] {
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
  if (description.length > 4000) out.push({ field: 'description', code: 'too-long', reason: 'description is longer than 4,000 characters' });
  for (const [field, text] of [['title', title], ['description', description]] as const)
    if (EMAIL.test(text) || PHONE.test(text)) out.push({ field, code: 'contact-data', reason: 'contains an e-mail address or a phone number' });
  return out;
}

/** Text from elsewhere (an imported proposal) with e-mail addresses and phone numbers taken out. */
export function redactContacts(text: string): string {
  return text.replace(new RegExp(EMAIL.source, 'gi'), '[entfernt]').replace(new RegExp(PHONE.source, 'g'), '[entfernt]');
}

/** Words that do not belong on the youth pages (planners' jargon). */
export const YOUTH_JARGON = ['Indikator', 'Gliederungsebene', 'Raumbezug', 'Sozialraummonitoring', 'Aggregat', 'Geheimhaltung', 'Stichtag', 'Planungsraum'];

/** The jargon words found in a text (case-insensitive; "Indikatoren" counts as "Indikator"). */
export function jargonIn(text: string): string[] {
  const low = text.toLowerCase();
  return YOUTH_JARGON.filter((w) => low.includes(w.toLowerCase()));
}
