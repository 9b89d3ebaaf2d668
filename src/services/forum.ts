// Use cases of the neighbourhood youth forum: forums and meetings, topics proposed online (into
// the moderation queue) or recorded by staff, support with one-time codes, moderation, merging,
// assignment, binding answers, links, deletion on request, the public view (small counts
// withheld) and the accountability view. Each use case is one transaction with an audit entry;
// nothing about a young person (name, e-mail, IP address, user agent) is ever passed in.
import { createHash, randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../store/db.ts';
import { canWrite, principalName, type Principal } from '../core/access.ts';
import { Conflict, Forbidden, InputRejected, NotFound, Unauthorized, type Problem } from '../core/problems.ts';
import {
  AGE_BANDS,
  ANSWER_STATUSES,
  LINK_KINDS,
  RAISED_BY,
  accountability,
  checkProposal,
  codeFromBytes,
  defaultDue,
  isOverdue,
  normalizeCode,
  publicAgeBands,
  publicCount,
  CODE_LENGTH,
  ATTACHMENT_MAX_BYTES,
  BadImage,
  stripImage,
  type AgeBand,
  type PublicForum,
  type TopicLink,
} from '../core/forum.ts';
import { currentAreaCodes } from '../store/catalog.ts';
import { selectDepartments } from '../store/accounts.ts';
import { loadVocabulary } from '../store/measures.ts';
import {
  activeSalts,
  areaName,
  attachmentById,
  attachmentsOfTopics,
  deleteAttachmentRow,
  insertAttachment,
  selectAttachments,
  updateAttachmentApproval,
  type AttachmentRow,
  deleteTopicRow,
  existingKeys,
  findCode,
  forumByKey,
  insertAnswer,
  insertBatch,
  insertForum,
  insertMeeting,
  insertSupport,
  insertTopic,
  moveSupports,
  revokeBatch,
  selectAnswers,
  selectBatches,
  selectForums,
  selectMeetings,
  selectTopics,
  supportAgeBands,
  topicById,
  updateAssignment,
  updateTopicText,
  updateLinks,
  updateModeration,
  updatePoint,
  areaGeometry,
  reportLinkTargets,
  type AnswerRow,
  type ForumRow,
  type MeetingRow,
  type TopicRow,
} from '../store/forum.ts';
import { naiveAssign } from '../core/geo/point-index.ts';
import { inTransaction } from './transaction.ts';
import { audit } from './audit.ts';
import { refreshForumAtlas } from './forum-atlas.ts';
import { coded, type Coded } from '../contracts/codes/index.ts';
import type { AccountabilityView, ForumTile, PublicLink, PublicTopic } from '../contracts/answers/index.ts';
import type {
  MeetingInput,
  StaffTopicInput,
  ModerationDecision,
  AnswerInput,
  CodeBatch,
  StaffTopic,
} from '../contracts/answers/index.ts';
export type { MeetingInput, StaffTopicInput, ModerationDecision, AnswerInput, CodeBatch, StaffTopic };
export type { AccountabilityView, PublicTopic };

/** Today in Germany (the municipality's calendar day), as ISO date. */
export function todayInGermany(now = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' }).format(now);
}

const reject = (code: string, reason: string, column?: string, hint?: string): never => {
  throw new InputRejected([{ severity: 'error', code, reason, column, hint }], reason);
};

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
function checkDate(v: string | undefined | null, column: string): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (!ISO_DATE.test(v) || Number.isNaN(Date.parse(v)) || new Date(v).toISOString().slice(0, 10) !== v)
    reject('bad-date', `${column}: not a date (YYYY-MM-DD)`, column);
  return v;
}

function mayWrite(who: Principal, department: string | null, action: Coded): void {
  const d = canWrite(who, department);
  if (d === 'unauthenticated') throw new Unauthorized();
  if (d === 'forbidden')
    throw new Forbidden(coded('forum-change-forbidden', { department: String(department), action }));
}

function signedIn(who: Principal): void {
  if (who.kind === 'anonymous') throw new Unauthorized();
}

async function requireForum(db: Queryable, key: string): Promise<ForumRow> {
  const f = await forumByKey(db, key);
  if (!f) throw new NotFound(coded('forum-not-found', { forum: key }));
  return f;
}

async function requireTopic(db: Queryable, id: number): Promise<TopicRow> {
  const t = Number.isSafeInteger(id) ? await topicById(db, id) : undefined;
  if (!t) throw new NotFound(coded('topic-not-found', { id }));
  return t;
}

async function requireDepartment(db: Queryable, key: string): Promise<void> {
  if (!(await selectDepartments(db)).some((d) => d.key === key))
    reject('unknown-department', `no department "${key}"`, 'department');
}

async function requireField(db: Queryable, field: string | null | undefined): Promise<string | null> {
  if (!field) return null;
  if (!(await loadVocabulary(db)).some((v) => v.kind === 'handlungsfeld' && v.code === field))
    reject('unknown-field', `no field of action "${field}"`, 'field');
  return field;
}

async function requireArea(db: Queryable, layer: string, code: string): Promise<void> {
  if (!(await currentAreaCodes(db, layer)).has(code))
    reject('unknown-area', `no area "${code}" in layer "${layer}"`, 'area');
}

/**
 * A topic's point must be a WGS84 position inside the topic's area (its newest boundaries): a
 * marker in another Stadtteil would put the topic on the wrong map.
 */
async function requirePointInArea(
  db: Queryable,
  layer: string,
  code: string,
  point: { x: number; y: number },
): Promise<void> {
  if (
    !point ||
    typeof point !== 'object' ||
    !Number.isFinite(point.x) ||
    !Number.isFinite(point.y) ||
    Math.abs(point.x) > 180 ||
    Math.abs(point.y) > 90
  )
    reject('bad-point', 'point: { x: longitude, y: latitude } in degrees (WGS84)', 'point');
  const geometry = await areaGeometry(db, layer, code);
  if (!geometry)
    reject('no-geometry', `area "${code}" of layer "${layer}" has no boundaries to check a point against`, 'point');
  if (naiveAssign([geometry], point.x, point.y) !== 0)
    reject(
      'point-outside-area',
      `the point ${point.y.toFixed(6)}, ${point.x.toFixed(6)} (latitude, longitude) lies outside area "${code}"`,
      'point',
    );
}

// ---------------------------------------------------------------------------------------------
// Forums and meetings

export interface ForumInput {
  key: string;
  name: string;
  layer: string;
  area: string;
  department: string;
}

export async function createForum(db: Database, who: Principal, f: ForumInput): Promise<ForumRow> {
  mayWrite(who, f.department, coded('forum-action-create'));
  if (!/^[a-z][a-z0-9_-]{0,62}$/.test(f.key))
    reject('bad-key', `forum key "${f.key}": small letters, digits, - and _ only, starting with a letter`, 'key');
  if (!f.name.trim()) reject('empty', 'the forum needs a name', 'name');
  return inTransaction(db, false, async (tx) => {
    await requireDepartment(tx, f.department);
    await requireArea(tx, f.layer, f.area);
    if (await forumByKey(tx, f.key)) throw new Conflict(coded('forum-exists', { forum: f.key }));
    const id = await insertForum(tx, {
      key: f.key,
      name: f.name.trim(),
      layer: f.layer,
      areaCode: f.area,
      department: f.department,
    });
    await audit(tx, who, {
      action: 'forum.create',
      objectType: 'forum',
      objectKey: f.key,
      details: { layer: f.layer, area: f.area, department: f.department },
    });
    return { id, key: f.key, name: f.name.trim(), layer: f.layer, areaCode: f.area, department: f.department };
  });
}

export type { PublicForum } from '../core/forum.ts';

/** The forums with their published topics (public). */
export async function listForums(db: Database): Promise<PublicForum[]> {
  const forums = await selectForums(db);
  const topics = await selectTopics(db, { moderation: ['published'] });
  const names = new Map<string, string>();
  for (const f of forums) {
    const n = await areaName(db, f.layer, f.areaCode);
    if (n !== null) names.set(f.key, n);
  }
  return forums.map((f) => ({
    key: f.key,
    name: f.name,
    layer: f.layer,
    area: f.areaCode,
    areaName: names.get(f.key) ?? null,
    topics: topics.filter((t) => t.forumId === f.id).length,
  }));
}

export async function recordMeeting(
  db: Database,
  who: Principal,
  forumKey: string,
  m: MeetingInput,
): Promise<{ id: number }> {
  return inTransaction(db, false, async (tx) => {
    const f = await requireForum(tx, forumKey);
    mayWrite(who, f.department, coded('forum-action-meetings'));
    const heldOn =
      checkDate(m.heldOn, 'heldOn') ?? reject('bad-date', 'heldOn: the date of the meeting is missing', 'heldOn');
    if (!Number.isSafeInteger(m.participants) || m.participants < 0)
      reject('bad-number', 'participants: a whole number, 0 or more', 'participants');
    const bands = m.ageBands ?? {};
    let sum = 0;
    for (const [k, v] of Object.entries(bands)) {
      if (!(AGE_BANDS as readonly string[]).includes(k))
        reject('unknown-age-band', `age band "${k}": one of ${AGE_BANDS.join(', ')}`, 'ageBands');
      if (!Number.isSafeInteger(v) || v < 0)
        reject('bad-number', `age band "${k}": a whole number, 0 or more`, 'ageBands');
      sum += v;
    }
    if (sum > m.participants)
      reject('bad-number', `the age bands add up to ${sum}, more than the ${m.participants} participants`, 'ageBands');
    const id = await insertMeeting(
      tx,
      f.id,
      { heldOn, place: m.place ?? '', participants: m.participants, ageBands: bands, note: m.note ?? '' },
      principalName(who),
    );
    await audit(tx, who, {
      action: 'forum.meeting.record',
      objectType: 'forum',
      objectKey: f.key,
      details: { meeting: id, heldOn },
    });
    return { id };
  });
}

/** Meetings of a forum; publicly, participant counts below 5 (in total and per age band) are withheld. */
export async function forumMeetings(
  db: Database,
  who: Principal,
  forumKey: string,
): Promise<
  (Omit<MeetingRow, 'participants' | 'ageBands'> & {
    participants: number | null;
    ageBands: Record<string, number | null>;
  })[]
> {
  const f = await requireForum(db, forumKey);
  const rows = await selectMeetings(db, f.id);
  if (who.kind !== 'anonymous') return rows;
  return rows.map((m) => ({
    ...m,
    note: '',
    participants: publicCount(m.participants),
    ageBands: publicAgeBands(m.ageBands),
  }));
}

// ---------------------------------------------------------------------------------------------
// Topics

export interface ProposalRequest {
  forum: string;
  title: string;
  description?: string;
  area?: string;
  field?: string;
}

function proposalProblems(title: string, description: string): Problem[] {
  return checkProposal({ title, description }).map((p) => ({
    severity: 'error' as const,
    code: p.code,
    column: p.field,
    reason: p.reason,
    hint:
      p.code === 'contact-data'
        ? 'Leave out e-mail addresses and phone numbers: the forum never stores them.'
        : undefined,
  }));
}

/** A young person's proposal (no account): into the moderation queue, nothing personal stored. */
export async function proposeTopic(
  db: Database,
  p: ProposalRequest,
  today = todayInGermany(),
): Promise<{ id: number; moderation: 'pending' }> {
  const title = (p.title ?? '').trim(),
    description = (p.description ?? '').trim();
  const problems = proposalProblems(title, description);
  if (problems.length) throw new InputRejected(problems);
  return inTransaction(db, false, async (tx) => {
    const f = await requireForum(tx, p.forum);
    const area = p.area ?? f.areaCode;
    await requireArea(tx, f.layer, area);
    const field = await requireField(tx, p.field);
    const id = await insertTopic(tx, {
      forumId: f.id,
      title,
      description,
      layer: f.layer,
      areaCode: area,
      point: null,
      field,
      raisedBy: 'online',
      raisedByLabel: '',
      raisedOn: today,
      origin: 'online',
      moderation: 'pending',
      publishedOn: null,
      department: null,
      answerDue: null,
      attachments: [],
      source: null,
    });
    // The trail knows that a proposal came, not from whom.
    await audit(
      tx,
      { kind: 'anonymous' },
      { action: 'forum.topic.propose', objectType: 'forum_topic', objectKey: String(id), details: { forum: f.key } },
    );
    return { id, moderation: 'pending' as const };
  });
}

/** A topic raised offline (a meeting, a poster, a school class), recorded by staff: published at once. */
export async function recordTopic(
  db: Database,
  who: Principal,
  t: StaffTopicInput,
  today = todayInGermany(),
): Promise<{ id: number }> {
  const title = (t.title ?? '').trim(),
    description = (t.description ?? '').trim();
  const problems = proposalProblems(title, description);
  if (!(RAISED_BY as readonly string[]).includes(t.raisedBy))
    problems.push({
      severity: 'error',
      code: 'bad-value',
      column: 'raisedBy',
      reason: `raisedBy: one of ${RAISED_BY.join(', ')}`,
    });
  for (const a of t.attachments ?? [])
    if (!/^https?:\/\//.test(a.url))
      problems.push({
        severity: 'error',
        code: 'bad-url',
        column: 'attachments',
        reason: `attachment "${a.url}" is not an http(s) address`,
      });
  if (problems.length) throw new InputRejected(problems);
  const raisedOn = checkDate(t.raisedOn, 'raisedOn') ?? today;
  const due = checkDate(t.due, 'due');
  return inTransaction(db, false, async (tx) => {
    const f = await requireForum(tx, t.forum);
    mayWrite(who, f.department, coded('forum-action-topics'));
    const area = t.area ?? f.areaCode;
    await requireArea(tx, f.layer, area);
    const field = await requireField(tx, t.field);
    if (t.department) await requireDepartment(tx, t.department);
    if (t.point) await requirePointInArea(tx, f.layer, area, t.point);
    const id = await insertTopic(tx, {
      forumId: f.id,
      title,
      description,
      layer: f.layer,
      areaCode: area,
      point: t.point ?? null,
      field,
      raisedBy: t.raisedBy,
      raisedByLabel: (t.raisedByLabel ?? '').trim(),
      raisedOn,
      origin: 'staff',
      moderation: 'published',
      publishedOn: today,
      department: t.department ?? null,
      answerDue: due ?? defaultDue(today),
      attachments: (t.attachments ?? []).map((a) => ({ title: a.title ?? null, url: a.url })),
      source: null,
    });
    await refreshForumAtlas(tx, principalName(who));
    await audit(tx, who, {
      action: 'forum.topic.record',
      objectType: 'forum_topic',
      objectKey: String(id),
      details: { forum: f.key, raisedBy: t.raisedBy },
    });
    return { id };
  });
}

/** The moderation queue of a forum (or of every forum the caller may moderate). */
export async function moderationQueue(db: Database, who: Principal, forumKey?: string): Promise<TopicRow[]> {
  signedIn(who);
  const forums = forumKey ? [await requireForum(db, forumKey)] : await selectForums(db);
  const mine = forums.filter((f) => canWrite(who, f.department) === 'ok');
  if (forumKey && !mine.length) mayWrite(who, forums[0].department, coded('forum-action-queue'));
  const out: TopicRow[] = [];
  for (const f of mine) out.push(...(await selectTopics(db, { forumId: f.id, moderation: ['pending'] })));
  return out;
}

export async function moderateTopic(
  db: Database,
  who: Principal,
  id: number,
  d: ModerationDecision,
  today = todayInGermany(),
): Promise<TopicRow> {
  if (d.decision !== 'publish' && d.decision !== 'reject')
    reject('bad-value', 'decision: publish or reject', 'decision');
  const due = checkDate(d.due, 'due');
  return inTransaction(db, false, async (tx) => {
    const t = await requireTopic(tx, id);
    mayWrite(who, t.forumDepartment, coded('forum-action-moderate'));
    if (t.moderation !== 'pending') throw new Conflict(coded('topic-not-pending', { id, moderation: t.moderation }));
    if (d.title !== undefined || d.description !== undefined) {
      const title = (d.title ?? t.title).trim(),
        description = (d.description ?? t.description).trim();
      const problems = proposalProblems(title, description);
      if (problems.length) throw new InputRejected(problems);
      await updateTopicText(tx, id, title, description);
    }
    if (d.decision === 'publish') {
      if (d.department) {
        await requireDepartment(tx, d.department);
        await updateAssignment(tx, id, d.department, null);
      }
      await updateModeration(tx, id, {
        moderation: 'published',
        note: d.note ?? null,
        publishedOn: today,
        answerDue: due ?? defaultDue(today),
      });
    } else
      await updateModeration(tx, id, {
        moderation: 'rejected',
        note: d.note ?? null,
        publishedOn: null,
        answerDue: null,
      });
    await refreshForumAtlas(tx, principalName(who));
    await audit(tx, who, { action: `forum.topic.${d.decision}`, objectType: 'forum_topic', objectKey: String(id) });
    return (await topicById(tx, id))!;
  });
}

/** A duplicate merged into another topic: its supports move over (a code counts once). */
export async function mergeTopics(
  db: Database,
  who: Principal,
  duplicate: number,
  into: number,
): Promise<{ into: number; moved: number; supports: number }> {
  if (duplicate === into) reject('bad-value', 'a topic cannot be merged into itself', 'into');
  return inTransaction(db, false, async (tx) => {
    const dup = await requireTopic(tx, duplicate);
    const target = await requireTopic(tx, into);
    mayWrite(who, dup.forumDepartment, coded('forum-action-merge'));
    mayWrite(who, target.forumDepartment, coded('forum-action-merge-into'));
    if (target.moderation !== 'published') throw new Conflict(coded('merge-target-not-published', { id: into }));
    if (dup.moderation === 'merged' || dup.moderation === 'rejected')
      throw new Conflict(
        coded(dup.moderation === 'merged' ? 'topic-merged-already' : 'topic-rejected-already', { id: duplicate }),
      );
    const moved = await moveSupports(tx, duplicate, into);
    await updateModeration(tx, duplicate, {
      moderation: 'merged',
      note: `merged into ${into}`,
      publishedOn: null,
      answerDue: null,
      mergedInto: into,
    });
    await refreshForumAtlas(tx, principalName(who));
    await audit(tx, who, {
      action: 'forum.topic.merge',
      objectType: 'forum_topic',
      objectKey: String(duplicate),
      details: { into, moved },
    });
    return { into, moved, supports: (await topicById(tx, into))!.supports };
  });
}

export async function assignTopic(
  db: Database,
  who: Principal,
  id: number,
  department: string,
  due?: string,
): Promise<TopicRow> {
  const d = checkDate(due, 'due');
  return inTransaction(db, false, async (tx) => {
    const t = await requireTopic(tx, id);
    mayWrite(who, t.forumDepartment, coded('forum-action-assign'));
    await requireDepartment(tx, department);
    await updateAssignment(tx, id, department, d);
    await audit(tx, who, {
      action: 'forum.topic.assign',
      objectType: 'forum_topic',
      objectKey: String(id),
      details: { department, due: d },
    });
    return (await topicById(tx, id))!;
  });
}

/** The binding answer of the responsible department. */
export async function answerTopic(
  db: Database,
  who: Principal,
  id: number,
  a: AnswerInput,
  today = todayInGermany(),
): Promise<TopicRow> {
  if (!(ANSWER_STATUSES as readonly string[]).includes(a.status))
    reject('bad-value', `status: one of ${ANSWER_STATUSES.join(', ')}`, 'status');
  if (!(a.text ?? '').trim()) reject('empty', 'the answer needs a text', 'text');
  if (a.status === 'abgelehnt' && !(a.reasons ?? '').trim())
    reject(
      'reasons-missing',
      'a refusal (abgelehnt) needs its reasons',
      'reasons',
      'Say why, in words a young person understands.',
    );
  const due = checkDate(a.due, 'due');
  return inTransaction(db, false, async (tx) => {
    const t = await requireTopic(tx, id);
    if (t.moderation !== 'published')
      throw new Conflict(coded('topic-not-published', { id, moderation: t.moderation }));
    if (!t.department) throw new Conflict(coded('topic-without-department', { id }));
    mayWrite(who, t.department, coded('forum-action-answer'));
    await insertAnswer(tx, id, {
      status: a.status,
      text: a.text.trim(),
      reasons: a.reasons?.trim() || null,
      due,
      department: t.department,
      by: principalName(who),
      on: today,
    });
    await audit(tx, who, {
      action: 'forum.topic.answer',
      objectType: 'forum_topic',
      objectKey: String(id),
      details: { status: a.status, department: t.department },
    });
    return (await topicById(tx, id))!;
  });
}

/**
 * Links of a topic to measures (registry keys), indicators and reports — a report link may name
 * one of its blocks (the block's stable key in the report's newest version); replaces the list.
 */
export async function linkTopic(db: Database, who: Principal, id: number, links: TopicLink[]): Promise<TopicRow> {
  return inTransaction(db, false, async (tx) => {
    const t = await requireTopic(tx, id);
    const dept = canWrite(who, t.forumDepartment) === 'ok' ? t.forumDepartment : t.department;
    mayWrite(who, dept, coded('forum-action-link'));
    const problems: Problem[] = [];
    for (const l of links)
      if (!(LINK_KINDS as readonly string[]).includes(l.kind))
        problems.push({
          severity: 'error',
          code: 'bad-value',
          column: 'links',
          reason: `link kind "${l.kind}": one of ${LINK_KINDS.join(', ')}`,
        });
    for (const l of links)
      if (l.block !== undefined && l.block !== null && l.kind !== 'report')
        problems.push({
          severity: 'error',
          code: 'bad-value',
          column: 'links',
          reason: `only a report link names a block (${l.kind} "${l.ref}")`,
        });
    const table = { measure: 'measure', indicator: 'indicator' } as const;
    for (const kind of ['measure', 'indicator'] as const) {
      const refs = links.filter((l) => l.kind === kind).map((l) => l.ref);
      const found = await existingKeys(tx, table[kind], refs);
      for (const r of refs)
        if (!found.has(r))
          problems.push({ severity: 'error', code: 'unknown-link', column: 'links', reason: `no ${kind} "${r}"` });
    }
    const reportLinks = links.filter((l) => l.kind === 'report');
    const reports = await reportLinkTargets(
      tx,
      reportLinks.map((l) => l.ref),
    );
    for (const l of reportLinks) {
      const r = reports.get(l.ref);
      if (!r)
        problems.push({ severity: 'error', code: 'unknown-link', column: 'links', reason: `no report "${l.ref}"` });
      else if (l.block && !r.blocks.has(l.block))
        problems.push({
          severity: 'error',
          code: 'unknown-link',
          column: 'links',
          reason: `report "${l.ref}" has no block "${l.block}" (its blocks: ${[...r.blocks.keys()].join(', ') || 'none'})`,
        });
    }
    if (problems.length) throw new InputRejected(problems);
    const clean = links.map((l): TopicLink =>
      l.kind === 'report' && l.block ? { kind: l.kind, ref: l.ref, block: l.block } : { kind: l.kind, ref: l.ref },
    );
    const unique = [...new Map(clean.map((l) => [`${l.kind}:${l.ref}:${l.block ?? ''}`, l])).values()];
    await updateLinks(tx, id, unique);
    await audit(tx, who, {
      action: 'forum.topic.link',
      objectType: 'forum_topic',
      objectKey: String(id),
      details: { links: unique },
    });
    return (await topicById(tx, id))!;
  });
}

/** Sets, moves or removes a topic's point (staff, on the map); the point must lie inside the topic's area. */
export async function placeTopic(
  db: Database,
  who: Principal,
  id: number,
  point: { x: number; y: number } | null,
): Promise<TopicRow> {
  return inTransaction(db, false, async (tx) => {
    const t = await requireTopic(tx, id);
    mayWrite(who, t.forumDepartment, coded('forum-action-place'));
    if (point) await requirePointInArea(tx, t.layer, t.areaCode, point);
    await updatePoint(tx, id, point ? { x: point.x, y: point.y } : null);
    await audit(tx, who, {
      action: 'forum.topic.place',
      objectType: 'forum_topic',
      objectKey: String(id),
      details: { point },
    });
    return (await topicById(tx, id))!;
  });
}

/**
 * The links as the public sees them: report links only to reports with a public release, with
 * the report's and the block's title; measures and indicators as they are.
 */
async function publicLinks(db: Queryable, topics: PublicTopic[]): Promise<void> {
  const keys = [...new Set(topics.flatMap((t) => t.links.filter((l) => l.kind === 'report').map((l) => l.ref)))];
  const reports = await reportLinkTargets(db, keys);
  for (const t of topics)
    t.links = t.links.flatMap((l): PublicLink[] => {
      if (l.kind !== 'report') return [l];
      const r = reports.get(l.ref);
      if (!r?.public) return [];
      return [{ ...l, title: r.title, ...(l.block ? { blockTitle: r.blocks.get(l.block) ?? null } : {}) }];
    });
}

/** Deletion on request: the topic, its answers and supports are gone; the trail keeps that it was. */
export async function deleteTopic(db: Database, who: Principal, id: number): Promise<void> {
  await inTransaction(db, false, async (tx) => {
    const t = await requireTopic(tx, id);
    mayWrite(who, t.forumDepartment, coded('forum-action-delete'));
    await deleteTopicRow(tx, id);
    await refreshForumAtlas(tx, principalName(who));
    await audit(tx, who, {
      action: 'forum.topic.delete',
      objectType: 'forum_topic',
      objectKey: String(id),
      details: { forum: t.forumKey },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Support codes

/**
 * The hash a code is stored as: SHA-256 over the batch's random salt and the normalised code.
 * The salt makes every batch's hashes its own (no table precomputed once fits all); a server
 * secret (HMAC) would add a key to keep and rotate for little: whoever reads the database can
 * write supports directly anyway.
 */
function codeHash(salt: string, normalized: string): string {
  return createHash('sha256').update(`${salt}:${normalized}`).digest('hex');
}

export async function generateCodes(
  db: Database,
  who: Principal,
  forumKey: string,
  count: number,
  label = '',
): Promise<CodeBatch> {
  if (!Number.isSafeInteger(count) || count < 1 || count > 10_000)
    reject('bad-number', 'count: 1 to 10,000 codes per batch', 'count');
  return inTransaction(db, false, async (tx) => {
    const f = await requireForum(tx, forumKey);
    mayWrite(who, f.department, coded('forum-action-make-codes'));
    const salt = randomBytes(16).toString('hex');
    const codes = new Set<string>();
    while (codes.size < count) codes.add(codeFromBytes(randomBytes(CODE_LENGTH)));
    const list = [...codes];
    const batchId = await insertBatch(
      tx,
      f.id,
      salt,
      list.map((c) => codeHash(salt, normalizeCode(c)!)),
      label,
      principalName(who),
    );
    await audit(tx, who, {
      action: 'forum.codes.generate',
      objectType: 'forum',
      objectKey: f.key,
      details: { batch: batchId, count, label },
    });
    return { batchId, forum: f.key, label, codes: list };
  });
}

export async function codeBatches(
  db: Database,
  who: Principal,
  forumKey: string,
): Promise<{ id: number; size: number; used: number; label: string; revoked: boolean; createdAt: string }[]> {
  const f = await requireForum(db, forumKey);
  mayWrite(who, f.department, coded('forum-action-see-batches'));
  return (await selectBatches(db, f.id)).map(({ salt: _salt, ...b }) => b);
}

/** A batch handed out wrongly (lost, photographed) no longer counts for new supports. */
export async function revokeCodes(db: Database, who: Principal, forumKey: string, batchId: number): Promise<void> {
  await inTransaction(db, false, async (tx) => {
    const f = await requireForum(tx, forumKey);
    mayWrite(who, f.department, coded('forum-action-revoke-batches'));
    if (!(await revokeBatch(tx, f.id, batchId)))
      throw new NotFound(coded('code-batch-not-found', { batch: batchId, forum: f.key }));
    await audit(tx, who, {
      action: 'forum.codes.revoke',
      objectType: 'forum',
      objectKey: f.key,
      details: { batch: batchId },
    });
  });
}

/** One support per code and topic: a second use of the same code for the same topic is refused. */
export async function supportTopic(
  db: Database,
  s: { topic: number; code: string; ageBand?: AgeBand | null },
  today = todayInGermany(),
): Promise<{ supported: true; supports: number | null }> {
  const normalized = normalizeCode(s.code ?? '');
  if (!normalized) reject('bad-code', 'this is not a support code (10 letters and digits, e.g. 7K3QP-X9M2D)', 'code');
  if (s.ageBand && !(AGE_BANDS as readonly string[]).includes(s.ageBand))
    reject('unknown-age-band', `age band: one of ${AGE_BANDS.join(', ')}`, 'ageBand');
  return inTransaction(db, false, async (tx) => {
    const t = await requireTopic(tx, s.topic);
    if (t.moderation !== 'published') {
      if (t.moderation === 'merged' && t.mergedInto !== null)
        throw new Conflict(coded('topic-merged-support-other', { id: s.topic, into: t.mergedInto }));
      throw new NotFound(coded('topic-not-found', { id: s.topic }));
    }
    const batches = await activeSalts(tx, t.forumId);
    const found = await findCode(
      tx,
      batches.map((b) => ({ batchId: b.id, hash: codeHash(b.salt, normalized!) })),
    );
    if (!found) reject('unknown-code', 'this code is not valid for this forum', 'code');
    if (!(await insertSupport(tx, t.id, found!.hash, s.ageBand ?? null, today)))
      throw new Conflict(coded('support-code-used'));
    return { supported: true as const, supports: publicCount((await topicById(tx, t.id))!.supports) };
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

function toPublic(t: TopicRow, today: string, photos: AttachmentRow[] = []): PublicTopic {
  return {
    id: t.id,
    forum: t.forumKey,
    title: t.title,
    description: t.description,
    area: t.areaCode,
    areaName: t.areaName,
    field: t.field,
    raisedBy: t.raisedBy,
    raisedByLabel: t.raisedByLabel,
    raisedOn: t.raisedOn,
    supports: publicCount(t.supports),
    department: t.department,
    departmentName: t.departmentName,
    answer: t.answerStatus
      ? { status: t.answerStatus, text: t.answerText ?? '', reasons: t.answerReasons, answeredOn: t.answeredOn! }
      : null,
    due: t.answerDue,
    overdue: isOverdue(t, today),
    links: t.links,
    attachments: t.attachments,
    photos: photos.map((p) => ({ id: p.id, title: p.title, contentType: p.contentType })),
    point: t.x !== null && t.y !== null ? { x: t.x, y: t.y } : null,
    source: t.sourcePlatform ? { platform: t.sourcePlatform, url: t.sourceUrl } : null,
  };
}

/** Published topics, as anyone may see them (counts below 5 withheld). */
export async function publicTopics(
  db: Queryable,
  q: { forum?: string; layer?: string; area?: string } = {},
  today = todayInGermany(),
): Promise<PublicTopic[]> {
  const forumId = q.forum ? (await requireForum(db, q.forum)).id : undefined;
  const rows = await selectTopics(db, { forumId, moderation: ['published'], layer: q.layer, areaCode: q.area });
  const photos = await attachmentsOfTopics(
    db,
    rows.map((t) => t.id),
    true,
  );
  const out = rows.map((t) => toPublic(t, today, photos.get(t.id)));
  await publicLinks(db, out);
  return out;
}

export async function publicTopic(
  db: Database,
  id: number,
  today = todayInGermany(),
): Promise<PublicTopic & { answers: Omit<AnswerRow, 'answeredBy'>[] }> {
  const t = await requireTopic(db, id);
  if (t.moderation !== 'published') throw new NotFound(coded('topic-not-found', { id }));
  // Staff names stay internal: the public sees the department, not the person.
  const answers = (await selectAnswers(db, id)).map(({ answeredBy: _by, ...a }) => a);
  const p = toPublic(t, today, await selectAttachments(db, id, true));
  await publicLinks(db, [p]);
  return { ...p, answers };
}

/** Every topic with the internal fields, for signed-in staff; pending ones only for the forum's moderators. */
export async function staffTopics(
  db: Database,
  who: Principal,
  q: { forum?: string; department?: string; moderation?: string } = {},
  today = todayInGermany(),
): Promise<StaffTopic[]> {
  signedIn(who);
  const forumId = q.forum ? (await requireForum(db, q.forum)).id : undefined;
  const moderation = q.moderation
    ? q.moderation.split(',').filter((m) => ['pending', 'published', 'rejected', 'merged'].includes(m))
    : undefined;
  const rows = await selectTopics(db, {
    forumId,
    department: q.department,
    moderation: moderation as TopicRow['moderation'][] | undefined,
  });
  const visible = rows.filter((t) => t.moderation === 'published' || canWrite(who, t.forumDepartment) === 'ok');
  const out: StaffTopic[] = [];
  const photos = await attachmentsOfTopics(
    db,
    visible.map((t) => t.id),
    false,
  );
  for (const t of visible)
    out.push({
      ...t,
      overdue: isOverdue(t, today),
      ageBands: await supportAgeBands(db, t.id),
      photos: photos.get(t.id) ?? [],
    });
  return out;
}

export async function staffTopic(
  db: Database,
  who: Principal,
  id: number,
  today = todayInGermany(),
): Promise<StaffTopic & { answers: AnswerRow[] }> {
  signedIn(who);
  const t = await requireTopic(db, id);
  if (t.moderation !== 'published' && canWrite(who, t.forumDepartment) !== 'ok')
    throw new NotFound(coded('topic-not-found', { id }));
  return {
    ...t,
    overdue: isOverdue(t, today),
    ageBands: await supportAgeBands(db, id),
    photos: await selectAttachments(db, id, false),
    answers: await selectAnswers(db, id),
  };
}

/** The share of topics answered within three months, per department and per area (public). */
export async function accountabilityView(db: Database, today = todayInGermany()): Promise<AccountabilityView> {
  const rows = await selectTopics(db, { moderation: ['published'] });
  const input = rows.map((t) => ({
    department: t.department,
    area: t.areaCode,
    publishedOn: t.publishedOn,
    decidedOn: t.decidedOn,
    moderation: t.moderation,
    answerDue: t.answerDue,
  }));
  const depNames = new Map(rows.map((t) => [t.department ?? '', t.departmentName]));
  const areaNames = new Map(rows.map((t) => [t.areaCode, t.areaName]));
  const total = accountability(
    input.map((t) => ({ ...t, department: 'all' })),
    'department',
    today,
  )[0] ?? { key: 'all', topics: 0, due: 0, inTime: 0, share: null, open: 0, overdue: 0 };
  return {
    today,
    months: 3,
    byDepartment: accountability(input, 'department', today).map((r) => ({ ...r, name: depNames.get(r.key) ?? null })),
    byArea: accountability(input, 'area', today).map((r) => ({ ...r, name: areaNames.get(r.key) ?? null })),
    total,
  };
}

/** Open and overdue topics, for the cockpit tile. */
export async function forumTile(db: Database, today = todayInGermany()): Promise<ForumTile> {
  const rows = await selectTopics(db, { moderation: ['published'] });
  return {
    published: rows.length,
    open: rows.filter((t) => t.decidedOn === null).length,
    overdue: rows.filter((t) => isOverdue(t, today)).length,
  };
}

// ---------------------------------------------------------------------------------------------
// Photos of posters (attachments stored in the database)

/**
 * A photo uploaded by staff for a topic: JPEG or PNG by its first bytes (not by its name or the
 * declared type), at most 5 MB, its metadata (EXIF with GPS position and camera owner, XMP, IPTC,
 * PNG text chunks) taken out before anything is stored. It waits for a moderator's approval
 * before the public sees it.
 */
export async function addAttachment(
  db: Database,
  who: Principal,
  topicId: number,
  a: { title?: string; bytes: Uint8Array },
): Promise<AttachmentRow> {
  if (!a.bytes?.length) reject('empty', 'the photo is empty', 'file');
  if (a.bytes.length > ATTACHMENT_MAX_BYTES)
    reject('too-large', `the photo is larger than ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`, 'file');
  const title = (a.title ?? '').trim();
  if (title.length > 200) reject('too-long', 'title is longer than 200 characters', 'title');
  const problems = checkProposal({ title, description: '' }).filter((p) => p.code === 'contact-data');
  if (problems.length) reject('contact-data', 'the title contains an e-mail address or a phone number', 'title');
  let image: ReturnType<typeof stripImage>;
  try {
    image = stripImage(a.bytes);
  } catch (e) {
    if (e instanceof BadImage) reject('bad-image', e.message, 'file', 'Send a JPEG or PNG photo.');
    throw e;
  }
  return inTransaction(db, false, async (tx) => {
    const t = await requireTopic(tx, topicId);
    mayWrite(who, t.forumDepartment, coded('forum-action-add-photos'));
    const sha256 = createHash('sha256').update(image!.bytes).digest('hex');
    const id = await insertAttachment(tx, {
      topicId,
      title,
      contentType: image!.type,
      bytes: image!.bytes,
      sha256,
      approved: false,
      by: principalName(who),
    });
    await audit(tx, who, {
      action: 'forum.attachment.add',
      objectType: 'forum_topic',
      objectKey: String(topicId),
      details: { attachment: id, size: image!.bytes.length, type: image!.type },
    });
    return (await selectAttachments(tx, topicId, false)).find((r) => r.id === id)!;
  });
}

async function requireAttachment(db: Queryable, id: number): Promise<AttachmentRow & { bytes: Uint8Array }> {
  const a = Number.isSafeInteger(id) ? await attachmentById(db, id) : undefined;
  if (!a) throw new NotFound(coded('photo-not-found', { id }));
  return a;
}

/** A moderator shows a photo publicly (or takes it back). */
export async function approveAttachment(
  db: Database,
  who: Principal,
  id: number,
  approved: boolean,
): Promise<AttachmentRow> {
  return inTransaction(db, false, async (tx) => {
    const a = await requireAttachment(tx, id);
    const t = await requireTopic(tx, a.topicId);
    mayWrite(who, t.forumDepartment, coded('forum-action-moderate-photos'));
    await updateAttachmentApproval(tx, id, approved);
    await audit(tx, who, {
      action: approved ? 'forum.attachment.approve' : 'forum.attachment.withdraw',
      objectType: 'forum_topic',
      objectKey: String(a.topicId),
      details: { attachment: id },
    });
    const { bytes: _b, ...row } = a;
    return { ...row, approved };
  });
}

export async function deleteAttachment(db: Database, who: Principal, id: number): Promise<void> {
  await inTransaction(db, false, async (tx) => {
    const a = await requireAttachment(tx, id);
    const t = await requireTopic(tx, a.topicId);
    mayWrite(who, t.forumDepartment, coded('forum-action-delete-photos'));
    await deleteAttachmentRow(tx, id);
    await audit(tx, who, {
      action: 'forum.attachment.delete',
      objectType: 'forum_topic',
      objectKey: String(a.topicId),
      details: { attachment: id },
    });
  });
}

/** The bytes of a photo: for everyone once approved on a published topic, else for the forum's staff only. */
export async function attachmentFile(
  db: Database,
  who: Principal,
  id: number,
): Promise<{ contentType: string; bytes: Uint8Array; sha256: string; public: boolean }> {
  const a = await requireAttachment(db, id);
  const t = await requireTopic(db, a.topicId);
  const isPublic = a.approved && t.moderation === 'published';
  if (!isPublic && canWrite(who, t.forumDepartment) !== 'ok') throw new NotFound(coded('photo-not-found', { id }));
  return { contentType: a.contentType, bytes: a.bytes, sha256: a.sha256, public: isPublic };
}
