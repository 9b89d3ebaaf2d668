// Answers of the youth forum's public side and of the cockpit's forum tile (GET /api/forum/topics,
// /api/forum/accountability, /api/forum/tile). The forum's words (statuses, who raised a topic,
// the accountability row) are core's (src/core/forum.ts).
import type { AccountabilityRow, AgeBand, AnswerStatus, Moderation, RaisedBy, TopicLink } from '../../core/forum.ts';

export interface PublicTopic {
  id: number;
  forum: string;
  title: string;
  description: string;
  area: string;
  areaName: string | null;
  field: string | null;
  raisedBy: RaisedBy;
  raisedByLabel: string;
  raisedOn: string;
  /** Null: fewer than 5 (not shown publicly). */
  supports: number | null;
  department: string | null;
  departmentName: string | null;
  answer: { status: AnswerStatus; text: string; reasons: string | null; answeredOn: string } | null;
  due: string | null;
  overdue: boolean;
  links: PublicLink[];
  attachments: { title: string | null; url: string }[];
  /** Photos (of posters) approved by a moderator; the bytes at /api/forum/attachments/:id. */
  photos: PublicPhoto[];
  /** Where the topic is (WGS84 longitude x, latitude y), when it has a point. */
  point: { x: number; y: number } | null;
  source: { platform: string; url: string | null } | null;
}

/** A link as the public sees it: of a report also its title and, when it names a block, the block's. */
export type PublicLink = TopicLink & { title?: string; blockTitle?: string | null };

interface PublicPhoto {
  id: number;
  title: string;
  contentType: string;
}

export interface AccountabilityView {
  today: string;
  months: number;
  byDepartment: (AccountabilityRow & { name: string | null })[];
  byArea: (AccountabilityRow & { name: string | null })[];
  total: AccountabilityRow;
}

/** GET /api/forum/tile: open and overdue topics, and all published ones. */
export interface ForumTile {
  open: number;
  overdue: number;
  published: number;
}

export interface MeetingRow {
  id: number;
  heldOn: string;
  place: string;
  participants: number;
  ageBands: Record<string, number>;
  note: string;
}

export interface TopicRow {
  id: number;
  forumId: number;
  forumKey: string;
  forumDepartment: string;
  title: string;
  description: string;
  layer: string;
  areaCode: string;
  areaName: string | null;
  x: number | null;
  y: number | null;
  field: string | null;
  raisedBy: RaisedBy;
  raisedByLabel: string;
  raisedOn: string;
  origin: 'online' | 'staff' | 'import';
  moderation: Moderation;
  moderationNote: string | null;
  publishedOn: string | null;
  mergedInto: number | null;
  department: string | null;
  departmentName: string | null;
  answerDue: string | null;
  answerStatus: AnswerStatus | null;
  answerText: string | null;
  answerReasons: string | null;
  answeredOn: string | null;
  decidedOn: string | null;
  links: TopicLink[];
  attachments: { title: string | null; url: string }[];
  sourcePlatform: string | null;
  sourceId: string | null;
  /** The host of the platform installation the topic came from ('' when not known). */
  sourceInstance: string | null;
  sourceUrl: string | null;
  supports: number;
}

export interface AttachmentRow {
  id: number;
  topicId: number;
  title: string;
  contentType: string;
  size: number;
  sha256: string;
  approved: boolean;
  createdBy: string;
  createdAt: string;
}

export interface AnswerRow {
  status: AnswerStatus;
  text: string;
  reasons: string | null;
  due: string | null;
  department: string;
  answeredBy: string;
  answeredOn: string;
}

export interface MeetingInput {
  heldOn: string;
  place?: string;
  participants: number;
  ageBands?: Record<string, number>;
  note?: string;
}

export interface StaffTopicInput {
  forum: string;
  title: string;
  description?: string;
  area?: string;
  point?: { x: number; y: number } | null;
  field?: string;
  raisedBy: RaisedBy;
  raisedByLabel?: string;
  raisedOn: string;
  department?: string;
  due?: string;
  attachments?: { title?: string | null; url: string }[];
}

export interface ModerationDecision {
  decision: 'publish' | 'reject';
  note?: string;
  /** Corrections before publishing (spelling, a name taken out). */
  title?: string;
  description?: string;
  department?: string;
  due?: string;
}

export interface AnswerInput {
  status: AnswerStatus;
  text: string;
  reasons?: string;
  /** With "in Prüfung": when the decision will come (a new due date). */
  due?: string;
}

export interface CodeBatch {
  batchId: number;
  forum: string;
  label: string;
  /** The codes in clear text, this one time only. */
  codes: string[];
}

export interface StaffTopic extends TopicRow {
  overdue: boolean;
  ageBands: Record<string, number>;
  /** Every photo, approved or waiting. */
  photos: AttachmentRow[];
}

/** A meeting of a forum as listed (GET /api/forum/forums/{key}/meetings): counts below 5 are withheld (null). */
export type ForumMeeting = Omit<MeetingRow, 'participants' | 'ageBands'> & {
  participants: number | null;
  ageBands: Record<string, number | null>;
};

/** POST /api/forum/topics: a proposal without an account. */
export interface ProposalBody {
  forum: string;
  title: string;
  description?: string;
  area?: string;
  field?: string;
}

/** POST /api/forum/topics/{id}/support: a support with a participation code. */
export interface SupportBody {
  code: string;
  ageBand?: AgeBand | null;
}
