// Answers of the youth forum's public side and of the cockpit's forum tile (GET /api/forum/topics,
// /api/forum/accountability, /api/forum/tile). The forum's words (statuses, who raised a topic,
// the accountability row) are core's (src/core/forum.ts).
import type { AccountabilityRow, AnswerStatus, RaisedBy, TopicLink } from '../../core/forum.ts';

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

export interface PublicPhoto {
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
