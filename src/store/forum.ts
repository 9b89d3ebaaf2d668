// The youth forum's tables: forums, meetings, topics with their answers, code batches, supports
// and the area mapping of imported platforms. Support counts are always counted from the stored
// supports, never kept as a number.
import type { Queryable } from './db.ts';
import type { AreaGeometry } from '../core/geo/types.ts';
import type { AgeBand, AnswerStatus, Moderation, RaisedBy, TopicLink } from '../core/forum.ts';
import type { MeetingRow, TopicRow, AttachmentRow, AnswerRow } from '../contracts/answers/index.ts';
export type { MeetingRow, TopicRow, AttachmentRow, AnswerRow };

export interface ForumRow {
  id: number;
  key: string;
  name: string;
  layer: string;
  areaCode: string;
  department: string;
}

const FORUM_COLS = `f.id, f.key, f.name, f.layer, f.area_code AS "areaCode", f.department`;

export async function insertForum(tx: Queryable, f: Omit<ForumRow, 'id'>): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    'INSERT INTO forum (key, name, layer, area_code, department) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [f.key, f.name, f.layer, f.areaCode, f.department],
  );
  return rows[0].id;
}

export async function selectForums(db: Queryable): Promise<ForumRow[]> {
  const { rows } = await db.query<ForumRow>(`SELECT ${FORUM_COLS} FROM forum f ORDER BY f.key`);
  return rows;
}

export async function forumByKey(db: Queryable, key: string): Promise<ForumRow | undefined> {
  const { rows } = await db.query<ForumRow>(`SELECT ${FORUM_COLS} FROM forum f WHERE f.key = $1`, [key]);
  return rows[0];
}

export async function insertMeeting(
  tx: Queryable,
  forumId: number,
  m: Omit<MeetingRow, 'id'>,
  by: string,
): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    'INSERT INTO forum_meeting (forum_id, held_on, place, participants, age_bands, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
    [forumId, m.heldOn, m.place, m.participants, JSON.stringify(m.ageBands), m.note, by],
  );
  return rows[0].id;
}

export async function selectMeetings(db: Queryable, forumId: number): Promise<MeetingRow[]> {
  const { rows } = await db.query<MeetingRow>(
    `SELECT id, to_char(held_on, 'YYYY-MM-DD') AS "heldOn", place, participants, age_bands AS "ageBands", note FROM forum_meeting WHERE forum_id = $1 ORDER BY held_on DESC, id DESC`,
    [forumId],
  );
  return rows;
}

export interface NewTopic {
  forumId: number;
  title: string;
  description: string;
  layer: string;
  areaCode: string;
  point: { x: number; y: number } | null;
  field: string | null;
  raisedBy: RaisedBy;
  raisedByLabel: string;
  raisedOn: string;
  origin: 'online' | 'staff' | 'import';
  moderation: Moderation;
  publishedOn: string | null;
  department: string | null;
  answerDue: string | null;
  attachments: { title: string | null; url: string }[];
  source: { platform: 'decidim' | 'consul' | 'adhocracy'; instance: string; id: string; url: string | null } | null;
}

export async function insertTopic(tx: Queryable, t: NewTopic): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO forum_topic (forum_id, title, description, layer, area_code, x, y, field, raised_by, raised_by_label, raised_on, origin, moderation, published_on,
                              department, answer_due, attachments, source_platform, source_id, source_url, source_instance)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) RETURNING id`,
    [
      t.forumId,
      t.title,
      t.description,
      t.layer,
      t.areaCode,
      t.point?.x ?? null,
      t.point?.y ?? null,
      t.field,
      t.raisedBy,
      t.raisedByLabel,
      t.raisedOn,
      t.origin,
      t.moderation,
      t.publishedOn,
      t.department,
      t.answerDue,
      JSON.stringify(t.attachments),
      t.source?.platform ?? null,
      t.source?.id ?? null,
      t.source?.url ?? null,
      t.source?.instance ?? '',
    ],
  );
  return rows[0].id;
}

/** An imported topic again: its text and area are refreshed; moderation, answers and supports stay. */
export async function refreshImportedTopic(
  tx: Queryable,
  id: number,
  t: Pick<NewTopic, 'title' | 'description' | 'areaCode' | 'raisedOn' | 'forumId' | 'point'> & {
    url: string | null;
    instance: string;
  },
): Promise<boolean> {
  const { affectedRows } = await tx.query(
    `UPDATE forum_topic SET title = $2, description = $3, area_code = $4, raised_on = $5, forum_id = $6, x = $7, y = $8, source_url = $9, source_instance = $10, updated_at = now()
      WHERE id = $1 AND (title, description, area_code, raised_on, forum_id, x, y, source_url, source_instance) IS DISTINCT FROM ($2, $3, $4, $5::date, $6, $7::double precision, $8::double precision, $9, $10)`,
    [
      id,
      t.title,
      t.description,
      t.areaCode,
      t.raisedOn,
      t.forumId,
      t.point?.x ?? null,
      t.point?.y ?? null,
      t.url,
      t.instance,
    ],
  );
  return affectedRows > 0;
}

/**
 * The topic imported from this platform installation (instance: its host) with this id.
 * - A known instance finds its own topic, or one imported before the instance was known ('')
 *   which the refresh then takes over.
 * - An unknown instance ('', a file without links back) finds the one topic of that id, whichever
 *   its instance; `ambiguous` when installations share the id (the caller asks for the address).
 */
export async function topicIdBySource(
  db: Queryable,
  platform: string,
  instance: string,
  sourceId: string,
): Promise<{ id: number; instance: string } | 'ambiguous' | undefined> {
  const { rows } = await db.query<{ id: number; instance: string }>(
    `SELECT id, source_instance AS instance FROM forum_topic WHERE source_platform = $1 AND source_id = $2 ORDER BY id`,
    [platform, sourceId],
  );
  if (instance) return rows.find((r) => r.instance === instance) ?? rows.find((r) => r.instance === '');
  if (rows.length > 1) return 'ambiguous';
  return rows[0];
}

export interface TopicFilter {
  ids?: number[];
  forumId?: number;
  moderation?: Moderation[];
  layer?: string;
  areaCode?: string;
  department?: string;
}

/** Topics with their support counts (counted from the supports) and the current area name. */
export async function selectTopics(db: Queryable, f: TopicFilter = {}): Promise<TopicRow[]> {
  const { rows } = await db.query<TopicRow>(
    `SELECT t.id, t.forum_id AS "forumId", f.key AS "forumKey", f.department AS "forumDepartment", t.title, t.description, t.layer, t.area_code AS "areaCode",
            (SELECT a.name FROM area a JOIN layer_version v ON v.id = a.layer_version_id JOIN layer l ON l.id = v.layer_id
              WHERE l.key = t.layer AND a.code = t.area_code ORDER BY v.valid_from DESC NULLS LAST LIMIT 1) AS "areaName",
            t.x, t.y, t.field, t.raised_by AS "raisedBy", t.raised_by_label AS "raisedByLabel", to_char(t.raised_on, 'YYYY-MM-DD') AS "raisedOn", t.origin, t.moderation,
            t.moderation_note AS "moderationNote", to_char(t.published_on, 'YYYY-MM-DD') AS "publishedOn", t.merged_into AS "mergedInto", t.department, d.name AS "departmentName",
            to_char(t.answer_due, 'YYYY-MM-DD') AS "answerDue", t.answer_status AS "answerStatus", t.answer_text AS "answerText", t.answer_reasons AS "answerReasons",
            to_char(t.answered_on, 'YYYY-MM-DD') AS "answeredOn", to_char(t.decided_on, 'YYYY-MM-DD') AS "decidedOn", t.links, t.attachments,
            t.source_platform AS "sourcePlatform", t.source_id AS "sourceId", CASE WHEN t.source_platform IS NULL THEN NULL ELSE t.source_instance END AS "sourceInstance", t.source_url AS "sourceUrl",
            (SELECT count(*)::int FROM forum_support s WHERE s.topic_id = t.id) AS supports
       FROM forum_topic t JOIN forum f ON f.id = t.forum_id LEFT JOIN department d ON d.key = t.department
      WHERE ($1::int[] IS NULL OR t.id = ANY($1::int[])) AND ($2::int IS NULL OR t.forum_id = $2) AND ($3::text[] IS NULL OR t.moderation = ANY($3::text[]))
        AND ($4::text IS NULL OR t.layer = $4) AND ($5::text IS NULL OR t.area_code = $5) AND ($6::text IS NULL OR t.department = $6)
      ORDER BY t.raised_on DESC, t.id DESC`,
    [f.ids ?? null, f.forumId ?? null, f.moderation ?? null, f.layer ?? null, f.areaCode ?? null, f.department ?? null],
  );
  return rows;
}

export async function topicById(db: Queryable, id: number): Promise<TopicRow | undefined> {
  return (await selectTopics(db, { ids: [id] }))[0];
}

export async function updateModeration(
  tx: Queryable,
  id: number,
  m: {
    moderation: Moderation;
    note: string | null;
    publishedOn: string | null;
    answerDue: string | null;
    mergedInto?: number | null;
  },
): Promise<void> {
  await tx.query(
    `UPDATE forum_topic SET moderation = $2, moderation_note = $3, published_on = coalesce(published_on, $4::date), answer_due = coalesce(answer_due, $5::date), merged_into = $6, updated_at = now() WHERE id = $1`,
    [id, m.moderation, m.note, m.publishedOn, m.answerDue, m.mergedInto ?? null],
  );
}

/** A moderator's correction of a proposal's wording. */
export async function updateTopicText(tx: Queryable, id: number, title: string, description: string): Promise<void> {
  await tx.query('UPDATE forum_topic SET title = $2, description = $3 WHERE id = $1', [id, title, description]);
}

export async function updateAssignment(
  tx: Queryable,
  id: number,
  department: string,
  due: string | null,
): Promise<void> {
  await tx.query(
    'UPDATE forum_topic SET department = $2, answer_due = coalesce($3::date, answer_due), updated_at = now() WHERE id = $1',
    [id, department, due],
  );
}

export async function insertAnswer(
  tx: Queryable,
  topicId: number,
  a: {
    status: AnswerStatus;
    text: string;
    reasons: string | null;
    due: string | null;
    department: string;
    by: string;
    on: string;
  },
): Promise<void> {
  await tx.query(
    'INSERT INTO forum_answer (topic_id, status, text, reasons, due, department, answered_by, answered_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [topicId, a.status, a.text, a.reasons, a.due, a.department, a.by, a.on],
  );
  await tx.query(
    `UPDATE forum_topic SET answer_status = $2, answer_text = $3, answer_reasons = $4, answered_on = $5, answer_due = coalesce($6::date, answer_due),
            decided_on = CASE WHEN decided_on IS NULL AND $2 <> 'in_pruefung' THEN $5::date ELSE decided_on END, updated_at = now() WHERE id = $1`,
    [topicId, a.status, a.text, a.reasons, a.on, a.due],
  );
}

export async function selectAnswers(db: Queryable, topicId: number): Promise<AnswerRow[]> {
  const { rows } = await db.query<AnswerRow>(
    `SELECT status, text, reasons, to_char(due, 'YYYY-MM-DD') AS due, department, answered_by AS "answeredBy", to_char(answered_on, 'YYYY-MM-DD') AS "answeredOn" FROM forum_answer WHERE topic_id = $1 ORDER BY id`,
    [topicId],
  );
  return rows;
}

export async function updateLinks(tx: Queryable, id: number, links: TopicLink[]): Promise<void> {
  await tx.query('UPDATE forum_topic SET links = $2, updated_at = now() WHERE id = $1', [id, JSON.stringify(links)]);
}

/** Moves the supports of one topic to another; a code that supported both counts once. */
export async function moveSupports(tx: Queryable, from: number, to: number): Promise<number> {
  const { affectedRows } = await tx.query(
    'INSERT INTO forum_support (topic_id, code_hash, age_band, created_on) SELECT $2, code_hash, age_band, created_on FROM forum_support WHERE topic_id = $1 ON CONFLICT DO NOTHING',
    [from, to],
  );
  await tx.query('DELETE FROM forum_support WHERE topic_id = $1', [from]);
  return affectedRows;
}

export async function deleteTopicRow(tx: Queryable, id: number): Promise<void> {
  await tx.query('UPDATE forum_topic SET merged_into = NULL WHERE merged_into = $1', [id]);
  await tx.query('DELETE FROM forum_topic WHERE id = $1', [id]);
}

// ---------------------------------------------------------------------------------------------
// Codes and supports

export async function insertBatch(
  tx: Queryable,
  forumId: number,
  salt: string,
  hashes: string[],
  label: string,
  by: string,
): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    'INSERT INTO forum_code_batch (forum_id, salt, size, label, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [forumId, salt, hashes.length, label, by],
  );
  await tx.query('INSERT INTO forum_code (batch_id, code_hash) SELECT $1, h FROM unnest($2::text[]) AS h', [
    rows[0].id,
    hashes,
  ]);
  return rows[0].id;
}

export interface BatchRow {
  id: number;
  salt: string;
  size: number;
  label: string;
  revoked: boolean;
  createdAt: string;
  used: number;
}

export async function selectBatches(db: Queryable, forumId: number): Promise<BatchRow[]> {
  const { rows } = await db.query<BatchRow>(
    `SELECT b.id, b.salt, b.size, b.label, b.revoked, to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt",
            (SELECT count(DISTINCT s.code_hash)::int FROM forum_support s JOIN forum_code c ON c.code_hash = s.code_hash AND c.batch_id = b.id) AS used
       FROM forum_code_batch b WHERE b.forum_id = $1 ORDER BY b.id`,
    [forumId],
  );
  return rows;
}

/** The salts of a forum's batches still in use: what checking a code needs, nothing more. */
export async function activeSalts(db: Queryable, forumId: number): Promise<{ id: number; salt: string }[]> {
  const { rows } = await db.query<{ id: number; salt: string }>(
    'SELECT id, salt FROM forum_code_batch WHERE forum_id = $1 AND NOT revoked ORDER BY id',
    [forumId],
  );
  return rows;
}

export async function revokeBatch(tx: Queryable, forumId: number, batchId: number): Promise<boolean> {
  const { affectedRows } = await tx.query(
    'UPDATE forum_code_batch SET revoked = true WHERE id = $1 AND forum_id = $2',
    [batchId, forumId],
  );
  return affectedRows > 0;
}

/** Which of the candidate (batch, hash) pairs is a stored code of a batch not revoked. */
export async function findCode(
  db: Queryable,
  candidates: { batchId: number; hash: string }[],
): Promise<{ batchId: number; hash: string } | undefined> {
  if (!candidates.length) return undefined;
  const { rows } = await db.query<{ batchId: number; hash: string }>(
    `SELECT c.batch_id AS "batchId", c.code_hash AS hash FROM forum_code c JOIN unnest($1::int[], $2::text[]) AS q(b, h) ON c.batch_id = q.b AND c.code_hash = q.h
       JOIN forum_code_batch b ON b.id = c.batch_id WHERE NOT b.revoked LIMIT 1`,
    [candidates.map((c) => c.batchId), candidates.map((c) => c.hash)],
  );
  return rows[0];
}

/** False when the code has supported the topic already (the primary key refuses the replay). */
export async function insertSupport(
  tx: Queryable,
  topicId: number,
  hash: string,
  ageBand: AgeBand | null,
  on: string,
): Promise<boolean> {
  const { affectedRows } = await tx.query(
    'INSERT INTO forum_support (topic_id, code_hash, age_band, created_on) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
    [topicId, hash, ageBand, on],
  );
  return affectedRows > 0;
}

export async function supportAgeBands(db: Queryable, topicId: number): Promise<Record<string, number>> {
  const { rows } = await db.query<{ band: string; n: number }>(
    `SELECT coalesce(age_band, 'ohne_angabe') AS band, count(*)::int AS n FROM forum_support WHERE topic_id = $1 GROUP BY 1 ORDER BY 1`,
    [topicId],
  );
  return Object.fromEntries(rows.map((r) => [r.band, r.n]));
}

// ---------------------------------------------------------------------------------------------
// Platform imports

export async function upsertSourceArea(
  tx: Queryable,
  platform: string,
  sourceArea: string,
  forumId: number,
  areaCode: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO forum_source_area (platform, source_area, forum_id, area_code) VALUES ($1, $2, $3, $4)
     ON CONFLICT (platform, source_area) DO UPDATE SET forum_id = EXCLUDED.forum_id, area_code = EXCLUDED.area_code`,
    [platform, sourceArea, forumId, areaCode],
  );
}

export async function selectSourceAreas(
  db: Queryable,
  platform?: string,
): Promise<{ platform: string; sourceArea: string; forumId: number; forumKey: string; areaCode: string }[]> {
  const { rows } = await db.query<{
    platform: string;
    sourceArea: string;
    forumId: number;
    forumKey: string;
    areaCode: string;
  }>(
    `SELECT m.platform, m.source_area AS "sourceArea", m.forum_id AS "forumId", f.key AS "forumKey", m.area_code AS "areaCode"
       FROM forum_source_area m JOIN forum f ON f.id = m.forum_id WHERE ($1::text IS NULL OR m.platform = $1) ORDER BY m.platform, m.source_area`,
    [platform ?? null],
  );
  return rows;
}

/** The name of an area in the newest boundary version of its layer, or null. */
export async function areaName(db: Queryable, layer: string, code: string): Promise<string | null> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT a.name FROM area a JOIN layer_version v ON v.id = a.layer_version_id JOIN layer l ON l.id = v.layer_id WHERE l.key = $1 AND a.code = $2 ORDER BY v.valid_from DESC NULLS LAST LIMIT 1`,
    [layer, code],
  );
  return rows[0]?.name ?? null;
}

/** Sets or removes a topic's point (WGS84 longitude x, latitude y). */
export async function updatePoint(tx: Queryable, id: number, point: { x: number; y: number } | null): Promise<void> {
  await tx.query('UPDATE forum_topic SET x = $2, y = $3, updated_at = now() WHERE id = $1', [
    id,
    point?.x ?? null,
    point?.y ?? null,
  ]);
}

/** The geometry of an area in the newest boundary version of its layer. */
export async function areaGeometry(
  db: Queryable,
  layer: string,
  code: string,
): Promise<AreaGeometry | null | undefined> {
  const { rows } = await db.query<{ geometry: AreaGeometry | null }>(
    `SELECT a.geometry FROM area a JOIN layer_version v ON v.id = a.layer_version_id JOIN layer l ON l.id = v.layer_id WHERE l.key = $1 AND a.code = $2 ORDER BY v.valid_from DESC NULLS LAST LIMIT 1`,
    [layer, code],
  );
  return rows[0]?.geometry;
}

// ---------------------------------------------------------------------------------------------
// Checks of links

export async function existingKeys(
  db: Queryable,
  table: 'measure' | 'indicator' | 'report',
  keys: string[],
): Promise<Set<string>> {
  if (!keys.length) return new Set();
  // The table name comes from the fixed union above, never from input.
  const { rows } = await db.query<{ key: string }>(`SELECT key FROM ${table} WHERE key = ANY($1::text[])`, [keys]);
  return new Set(rows.map((r) => r.key));
}

// ---------------------------------------------------------------------------------------------
// The forum in the atlas: the stored values of its computed indicators and their inputs

/** The stored values of these indicators, per period key (observations without breakdown). */
export async function storedValues(
  db: Queryable,
  indicatorIds: number[],
): Promise<
  {
    indicatorId: number;
    periodKey: string;
    areaId: number;
    value: number | null;
    base: number | null;
    reason: string | null;
  }[]
> {
  const { rows } = await db.query<{
    indicatorId: number;
    periodKey: string;
    areaId: number;
    value: number | null;
    base: number | null;
    reason: string | null;
  }>(
    `SELECT o.indicator_id AS "indicatorId", p.key AS "periodKey", o.area_id AS "areaId", o.value, o.base, o.reason
       FROM observation o JOIN period p ON p.id = o.period_id WHERE o.indicator_id = ANY($1::int[]) AND o.members_id = 0`,
    [indicatorIds],
  );
  return rows;
}

/** The latest year or reference date up to `until` (a date) for which the indicator has observations. */
export async function latestYearWithData(
  db: Queryable,
  indicatorId: number,
  until: string,
): Promise<{ id: number; key: string } | undefined> {
  const { rows } = await db.query<{ id: number; key: string }>(
    `SELECT p.id, p.key FROM period p WHERE p.type IN ('year', 'date') AND p.end_date <= $2::date
        AND EXISTS (SELECT 1 FROM observation o WHERE o.indicator_id = $1 AND o.period_id = p.id)
      ORDER BY p.end_date DESC LIMIT 1`,
    [indicatorId, until],
  );
  return rows[0];
}

/**
 * The sum of an indicator's values (breakdown members matching the filter) per area of a layer
 * version, from the observations stored on that version's areas or on finer areas below them:
 * per area only the nearest level with data counts, so values stored at two levels are not
 * added twice (as src/core/aggregate.ts rollUp does).
 */
export async function sumsPerArea(
  db: Queryable,
  indicatorId: number,
  filter: Record<string, string>,
  periodId: number,
  versionId: number,
): Promise<Map<string, number>> {
  const { rows } = await db.query<{ code: string; total: number }>(
    `WITH src AS (
       SELECT anc.code, aa.depth, o.value FROM observation o
         JOIN area_ancestor aa ON aa.area_id = o.area_id JOIN area anc ON anc.id = aa.ancestor_id
        WHERE o.indicator_id = $1 AND o.period_id = $2 AND anc.layer_version_id = $3 AND o.value IS NOT NULL
          AND o.members_id IN (SELECT id FROM member_combination WHERE members @> $4::jsonb)
     ), nearest AS (SELECT code, min(depth) AS depth FROM src GROUP BY code)
     SELECT s.code, sum(s.value)::float8 AS total FROM src s JOIN nearest n ON n.code = s.code AND n.depth = s.depth GROUP BY s.code`,
    [indicatorId, periodId, versionId, JSON.stringify(filter)],
  );
  return new Map(rows.map((r) => [r.code, Number(r.total)]));
}

export async function setIndicatorLineage(tx: Queryable, key: string, lineage: unknown): Promise<void> {
  await tx.query('UPDATE indicator SET lineage = $2 WHERE key = $1 AND lineage IS DISTINCT FROM $2::jsonb', [
    key,
    JSON.stringify(lineage),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Attachments (photos of posters), metadata already stripped

const ATTACHMENT_COLS = `id, topic_id AS "topicId", title, content_type AS "contentType", size, sha256, approved, created_by AS "createdBy",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "createdAt"`;

export async function insertAttachment(
  tx: Queryable,
  a: {
    topicId: number;
    title: string;
    contentType: string;
    bytes: Uint8Array;
    sha256: string;
    approved: boolean;
    by: string;
  },
): Promise<number> {
  const { rows } = await tx.query<{ id: number }>(
    'INSERT INTO forum_attachment (topic_id, title, content_type, bytes, size, sha256, approved, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id',
    [a.topicId, a.title, a.contentType, a.bytes, a.bytes.length, a.sha256, a.approved, a.by],
  );
  return rows[0].id;
}

export async function selectAttachments(
  db: Queryable,
  topicId: number,
  approvedOnly: boolean,
): Promise<AttachmentRow[]> {
  const { rows } = await db.query<AttachmentRow>(
    `SELECT ${ATTACHMENT_COLS} FROM forum_attachment WHERE topic_id = $1 AND ($2::boolean IS FALSE OR approved) ORDER BY id`,
    [topicId, approvedOnly],
  );
  return rows;
}

export async function attachmentById(
  db: Queryable,
  id: number,
): Promise<(AttachmentRow & { bytes: Uint8Array }) | undefined> {
  const { rows } = await db.query<AttachmentRow & { bytes: Uint8Array }>(
    `SELECT ${ATTACHMENT_COLS}, bytes FROM forum_attachment WHERE id = $1`,
    [id],
  );
  return rows[0];
}

export async function updateAttachmentApproval(tx: Queryable, id: number, approved: boolean): Promise<boolean> {
  const { affectedRows } = await tx.query('UPDATE forum_attachment SET approved = $2 WHERE id = $1', [id, approved]);
  return affectedRows > 0;
}

export async function deleteAttachmentRow(tx: Queryable, id: number): Promise<boolean> {
  const { affectedRows } = await tx.query('DELETE FROM forum_attachment WHERE id = $1', [id]);
  return affectedRows > 0;
}

/** Photos per topic id (public: approved only), for lists. */
export async function attachmentsOfTopics(
  db: Queryable,
  topicIds: number[],
  approvedOnly: boolean,
): Promise<Map<number, AttachmentRow[]>> {
  const out = new Map<number, AttachmentRow[]>();
  if (!topicIds.length) return out;
  const { rows } = await db.query<AttachmentRow>(
    `SELECT ${ATTACHMENT_COLS} FROM forum_attachment WHERE topic_id = ANY($1::int[]) AND ($2::boolean IS FALSE OR approved) ORDER BY id`,
    [topicIds, approvedOnly],
  );
  for (const r of rows) {
    let l = out.get(r.topicId);
    if (!l) out.set(r.topicId, (l = []));
    l.push(r);
  }
  return out;
}

/**
 * Makes the transactions that recompute the forum's atlas values take turns (per schema, i.e.
 * per tenant): each then reads the topics the one before committed, and two never replace the
 * same period's values at once (which would lose a topic or collide on the primary key).
 */
export async function lockForumAtlas(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(4715, hashtext(current_schema()))');
}

/**
 * What links to reports need: per report key its title, whether a release of it is public, and
 * the blocks of its newest version (stable key → title, or null for a block without one).
 */
export async function reportLinkTargets(
  db: Queryable,
  keys: string[],
): Promise<Map<string, { title: string; public: boolean; blocks: Map<string, string | null> }>> {
  const out = new Map<string, { title: string; public: boolean; blocks: Map<string, string | null> }>();
  if (!keys.length) return out;
  const { rows } = await db.query<{
    key: string;
    title: string;
    public: boolean;
    blockKey: string | null;
    blockTitle: string | null;
  }>(
    `SELECT r.key, r.title, EXISTS (SELECT 1 FROM report_release x WHERE x.report_id = r.id AND x.confidentiality = 'public') AS public,
            b.block_key AS "blockKey", b.spec->>'title' AS "blockTitle"
       FROM report r
       LEFT JOIN LATERAL (SELECT id FROM report_version WHERE report_id = r.id ORDER BY version DESC LIMIT 1) v ON true
       LEFT JOIN report_section s ON s.version_id = v.id
       LEFT JOIN report_block b ON b.section_id = s.id
      WHERE r.key = ANY($1::text[]) ORDER BY r.key, s.position, b.position`,
    [keys],
  );
  for (const r of rows) {
    let e = out.get(r.key);
    if (!e) out.set(r.key, (e = { title: r.title, public: r.public, blocks: new Map() }));
    if (r.blockKey !== null) e.blocks.set(r.blockKey, r.blockTitle);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rate limits of the public routes, shared by every server process on this database

/**
 * Counts a request of a client (a keyed hash, never an address) in a fixed window of
 * `windowSeconds`: returns the requests in the current window, this one included, and how old the
 * window is. Expired counters are deleted first. One statement per count, atomic per client.
 */
export async function countForumRequest(
  db: Queryable,
  scope: 'proposal' | 'support',
  clientKey: string,
  windowSeconds: number,
): Promise<{ hits: number; ageSeconds: number }> {
  await db.query('DELETE FROM forum_rate_counter WHERE window_start <= now() - make_interval(secs => $1)', [
    windowSeconds,
  ]);
  const { rows } = await db.query<{ hits: number; age: number }>(
    `INSERT INTO forum_rate_counter AS c (scope, client_key, window_start, hits) VALUES ($1, $2, now(), 1)
     ON CONFLICT (scope, client_key) DO UPDATE SET
       hits = CASE WHEN c.window_start <= now() - make_interval(secs => $3) THEN 1 ELSE c.hits + 1 END,
       window_start = CASE WHEN c.window_start <= now() - make_interval(secs => $3) THEN now() ELSE c.window_start END
     RETURNING hits, extract(epoch FROM now() - window_start)::float8 AS age`,
    [scope, clientKey, windowSeconds],
  );
  return { hits: rows[0].hits, ageSeconds: Number(rows[0].age) };
}
