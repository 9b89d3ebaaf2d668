// Reports (issue 16): the report, its versions of sections and blocks, and its releases.
import type { Queryable } from './db.ts';
import type { BlockSpec, ReportDefinition, ReportParameter, ResolvedReport } from '../core/report/model.ts';
import type { ReportStatus } from '../contracts/vocabulary.ts';

export type { ReportStatus };

export interface ReportRow {
  id: number;
  key: string;
  title: string;
  owner: string | null;
  template: string | null;
  parameters: ReportParameter[];
  status: ReportStatus;
  updatedAt: string;
}

const REPORT_COLUMNS = `id, key, title, owner, template, parameters, status, updated_at::text AS "updatedAt"`;

export async function listReports(db: Queryable): Promise<ReportRow[]> {
  const { rows } = await db.query<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM report ORDER BY key`);
  return rows;
}

export async function reportByKey(db: Queryable, key: string): Promise<ReportRow | undefined> {
  const { rows } = await db.query<ReportRow>(`SELECT ${REPORT_COLUMNS} FROM report WHERE key = $1`, [key]);
  return rows[0];
}

export async function departmentExists(db: Queryable, key: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM department WHERE key = $1', [key]);
  return rows.length > 0;
}

/** Inserts a report; null when one with the key exists (two requests installing a template at once). */
export async function insertReport(
  db: Queryable,
  r: { key: string; title: string; owner: string | null; template: string | null; parameters: ReportParameter[] },
): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO report (key, title, owner, template, parameters) VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (key) DO NOTHING RETURNING id',
    [r.key, r.title, r.owner, r.template, JSON.stringify(r.parameters)],
  );
  return rows[0]?.id ?? null;
}

export async function setReportStatus(db: Queryable, id: number, status: ReportStatus): Promise<void> {
  await db.query('UPDATE report SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
}

export async function updateReportHead(
  db: Queryable,
  id: number,
  title: string,
  parameters: ReportParameter[],
): Promise<void> {
  await db.query('UPDATE report SET title = $2, parameters = $3::jsonb, updated_at = now() WHERE id = $1', [
    id,
    title,
    JSON.stringify(parameters),
  ]);
}

/** Stores a new version of the report's content (sections and blocks); returns its id and number. */
export async function insertVersion(
  db: Queryable,
  reportId: number,
  d: ReportDefinition,
  createdBy: string | null,
): Promise<{ id: number; version: number }> {
  const { rows } = await db.query<{ id: number; version: number }>(
    `INSERT INTO report_version (report_id, version, settings, created_by)
     SELECT $1, COALESCE(MAX(version), 0) + 1, $2::jsonb, $3 FROM report_version WHERE report_id = $1
     RETURNING id, version`,
    [reportId, JSON.stringify({ subtitle: d.subtitle ?? null }), createdBy],
  );
  const v = rows[0];
  for (const [si, s] of d.sections.entries()) {
    const { rows: sr } = await db.query<{ id: number }>(
      'INSERT INTO report_section (version_id, position, title) VALUES ($1, $2, $3) RETURNING id',
      [v.id, si, s.title],
    );
    for (const [bi, b] of s.blocks.entries()) {
      await db.query(
        'INSERT INTO report_block (section_id, position, block_key, type, spec) VALUES ($1, $2, $3, $4, $5::jsonb)',
        [sr[0].id, bi, b.key, b.spec.type, JSON.stringify(b.spec)],
      );
    }
  }
  return v;
}

/** The newest version of a report (or the numbered one) as a definition. */
export async function loadVersion(
  db: Queryable,
  r: ReportRow,
  version?: number,
): Promise<{ id: number; version: number; definition: ReportDefinition } | undefined> {
  const { rows: vr } = await db.query<{ id: number; version: number; settings: { subtitle?: string | null } }>(
    version === undefined
      ? 'SELECT id, version, settings FROM report_version WHERE report_id = $1 ORDER BY version DESC LIMIT 1'
      : 'SELECT id, version, settings FROM report_version WHERE report_id = $1 AND version = $2',
    version === undefined ? [r.id] : [r.id, version],
  );
  const v = vr[0];
  if (!v) return undefined;
  const { rows } = await db.query<{ section: number; title: string; block_key: string | null; spec: BlockSpec | null }>(
    `SELECT s.position AS section, s.title, b.block_key, b.spec
       FROM report_section s LEFT JOIN report_block b ON b.section_id = s.id
      WHERE s.version_id = $1 ORDER BY s.position, b.position`,
    [v.id],
  );
  const sections: ReportDefinition['sections'] = [];
  let last = -1;
  for (const row of rows) {
    if (row.section !== last) {
      sections.push({ title: row.title, blocks: [] });
      last = row.section;
    }
    if (row.block_key && row.spec) sections[sections.length - 1].blocks.push({ key: row.block_key, spec: row.spec });
  }
  return {
    id: v.id,
    version: v.version,
    definition: {
      key: r.key,
      title: r.title,
      subtitle: v.settings.subtitle ?? undefined,
      owner: r.owner,
      parameters: r.parameters,
      sections,
    },
  };
}

export interface ReleaseRow {
  number: number;
  versionId: number;
  params: Record<string, string>;
  document: ResolvedReport;
  dataVersions: Record<string, number>;
  contentHash: string;
  changeNote: string | null;
  confidentiality: 'public' | 'internal' | 'restricted';
  publishedAt: string;
}

const RELEASE_COLUMNS = `number, version_id AS "versionId", params, document, data_versions AS "dataVersions", content_hash AS "contentHash",
  change_note AS "changeNote", confidentiality, published_at::text AS "publishedAt"`;

export async function latestReleaseNumber(db: Queryable, reportId: number): Promise<number> {
  const { rows } = await db.query<{ n: number | null }>(
    'SELECT MAX(number) AS n FROM report_release WHERE report_id = $1',
    [reportId],
  );
  return rows[0].n ?? 0;
}

export async function insertRelease(
  db: Queryable,
  reportId: number,
  r: {
    number: number;
    versionId: number;
    params: Record<string, string>;
    document: ResolvedReport;
    dataVersions: Record<string, number>;
    contentHash: string;
    changeNote: string | null;
    confidentiality: string;
    publishedBy: string | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO report_release (report_id, number, version_id, params, document, data_versions, content_hash, change_note, confidentiality, published_by)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7, $8, $9, $10)`,
    [
      reportId,
      r.number,
      r.versionId,
      JSON.stringify(r.params),
      JSON.stringify(r.document),
      JSON.stringify(r.dataVersions),
      r.contentHash,
      r.changeNote,
      r.confidentiality,
      r.publishedBy,
    ],
  );
}

/** The releases of a report, newest first; with `number` and `params` the one document. */
export async function loadReleases(
  db: Queryable,
  reportId: number,
  o: { number?: number; params?: Record<string, string> } = {},
): Promise<ReleaseRow[]> {
  const where = ['report_id = $1'];
  const args: unknown[] = [reportId];
  if (o.number !== undefined) {
    args.push(o.number);
    where.push(`number = $${args.length}`);
  }
  if (o.params !== undefined) {
    args.push(JSON.stringify(o.params));
    where.push(`params = $${args.length}::jsonb`);
  }
  const { rows } = await db.query<ReleaseRow>(
    `SELECT ${RELEASE_COLUMNS} FROM report_release WHERE ${where.join(' AND ')} ORDER BY number DESC, params::text`,
    args,
  );
  return rows;
}

/** Per indicator key the newest import batch among its stored observations. */
export async function dataVersionsOf(db: Queryable, indicatorKeys: string[]): Promise<Record<string, number>> {
  if (!indicatorKeys.length) return {};
  const { rows } = await db.query<{ key: string; batch: number }>(
    `SELECT i.key, MAX(o.import_batch_id) AS batch FROM indicator i JOIN observation o ON o.indicator_id = i.id
      WHERE i.key = ANY($1::text[]) GROUP BY i.key ORDER BY i.key`,
    [indicatorKeys],
  );
  return Object.fromEntries(rows.map((r) => [r.key, Number(r.batch)]));
}
