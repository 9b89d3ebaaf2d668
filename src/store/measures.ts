// The measure registry (issue #17): measures with budget, locations and classifications, their
// history, the managed vocabularies and priority-area versions. Bulk writes go through one
// statement per table (jsonb_to_recordset), so an import of 10,000 measures is a handful of
// statements.
import type { Queryable } from './db.ts';
import type {
  BudgetYear,
  Measure,
  MeasureLocation,
  StoredMeasure,
  VocabularyEntry,
  VocabularyKind,
} from '../core/measures.ts';

export async function loadVocabulary(db: Queryable): Promise<VocabularyEntry[]> {
  const { rows } = await db.query<VocabularyEntry>(
    `SELECT kind, code, title, title_en AS "titleEn", population FROM measure_vocabulary ORDER BY kind, sort, code`,
  );
  return rows;
}

interface MeasureDbRow {
  id: number;
  key: string;
  title: string;
  description: string;
  department: string;
  departmentName: string | null;
  providerId: string | null;
  providerName: string | null;
  programmeCode: string | null;
  programmeTitle: string | null;
  fundingSource: string | null;
  status: Measure['status'];
  awardDate: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  confidentiality: Measure['confidentiality'];
  contactRole: string | null;
  contactEmail: string | null;
  goals: Measure['goals'];
  milestones: Measure['milestones'];
  links: Measure['links'];
  extra: Record<string, unknown>;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** Every measure (or those with the given keys), whole, ordered by key. */
export async function selectMeasures(db: Queryable, keys?: string[]): Promise<(StoredMeasure & { id: number })[]> {
  const filter = keys ? 'WHERE m.key = ANY($1::text[])' : '';
  const params = keys ? [keys] : [];
  const { rows } = await db.query<MeasureDbRow>(
    `SELECT m.id, m.key, m.title, m.description, m.department, d.name AS "departmentName", m.provider_id AS "providerId", m.provider_name AS "providerName",
            m.programme_code AS "programmeCode", m.programme_title AS "programmeTitle", m.funding_source AS "fundingSource", m.status,
            to_char(m.award_date, 'YYYY-MM-DD') AS "awardDate", to_char(m.planned_start, 'YYYY-MM-DD') AS "plannedStart", to_char(m.planned_end, 'YYYY-MM-DD') AS "plannedEnd",
            to_char(m.actual_start, 'YYYY-MM-DD') AS "actualStart", to_char(m.actual_end, 'YYYY-MM-DD') AS "actualEnd", m.confidentiality,
            m.contact_role AS "contactRole", m.contact_email AS "contactEmail", m.goals, m.milestones, m.links, m.extra, m.version,
            to_char(m.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "updatedAt", m.updated_by AS "updatedBy"
       FROM measure m LEFT JOIN department d ON d.key = m.department ${filter} ORDER BY m.key`,
    params,
  );
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const budgets = await db.query<{ id: number; year: number; planned: string | null; spent: string | null }>(
    'SELECT measure_id AS id, year, planned_cents::text AS planned, spent_cents::text AS spent FROM measure_budget WHERE measure_id = ANY($1::int[]) ORDER BY measure_id, year',
    [ids],
  );
  const locations = await db.query<{
    id: number;
    kind: MeasureLocation['kind'];
    layer: string | null;
    code: string | null;
    name: string | null;
    address: string | null;
    x: number | null;
    y: number | null;
    codes: Record<string, string>;
  }>(
    'SELECT measure_id AS id, kind, layer, code, name, address, x, y, codes FROM measure_location WHERE measure_id = ANY($1::int[]) ORDER BY measure_id, ord',
    [ids],
  );
  const classes = await db.query<{ id: number; kind: VocabularyKind; code: string }>(
    `SELECT c.measure_id AS id, c.kind, c.code FROM measure_class c JOIN measure_vocabulary v ON v.kind = c.kind AND v.code = c.code
      WHERE c.measure_id = ANY($1::int[]) ORDER BY c.measure_id, v.sort, c.code`,
    [ids],
  );
  const byId = new Map<number, StoredMeasure & { id: number }>();
  for (const r of rows)
    byId.set(r.id, {
      id: r.id,
      key: r.key,
      title: r.title,
      description: r.description,
      department: r.department,
      departmentName: r.departmentName,
      provider: r.providerId !== null ? { id: r.providerId, name: r.providerName ?? '' } : null,
      programme: r.programmeCode !== null ? { code: r.programmeCode, title: r.programmeTitle } : null,
      fundingSource: r.fundingSource,
      status: r.status,
      awardDate: r.awardDate,
      planned: { start: r.plannedStart, end: r.plannedEnd },
      actual: { start: r.actualStart, end: r.actualEnd },
      confidentiality: r.confidentiality,
      contact: { role: r.contactRole, email: r.contactEmail },
      budget: [],
      locations: [],
      fields: [],
      targetGroups: [],
      // jsonb keeps no order of keys: the documents in the order of their types.
      goals: r.goals.map((g) => ({
        title: g.title,
        indicator: g.indicator,
        unit: g.unit,
        baseline: g.baseline,
        target: g.target,
        actuals: g.actuals.map((x) => ({ period: x.period, value: x.value })),
      })),
      milestones: r.milestones.map((x) => ({ title: x.title, due: x.due, done: x.done })),
      links: r.links.map((x) => ({ title: x.title, url: x.url })),
      extra: r.extra,
      version: r.version,
      updatedAt: r.updatedAt,
      updatedBy: r.updatedBy,
    });
  for (const b of budgets.rows)
    byId.get(b.id)!.budget.push({
      year: b.year,
      plannedCents: b.planned === null ? null : Number(b.planned),
      spentCents: b.spent === null ? null : Number(b.spent),
    });
  for (const l of locations.rows) {
    const m = byId.get(l.id)!;
    if (l.kind === 'area') m.locations.push({ kind: 'area', layer: l.layer!, code: l.code!, name: l.name });
    else if (l.kind === 'point') m.locations.push({ kind: 'point', x: l.x!, y: l.y!, name: l.name, codes: l.codes });
    else m.locations.push({ kind: 'address', address: l.address!, x: l.x, y: l.y, name: l.name, codes: l.codes });
  }
  for (const c of classes.rows)
    (c.kind === 'handlungsfeld' ? byId.get(c.id)!.fields : byId.get(c.id)!.targetGroups).push(c.code);
  return [...byId.values()];
}

/** Owner and version of existing measures by key. */
export async function measureOwners(
  db: Queryable,
  keys: string[],
): Promise<Map<string, { department: string; version: number }>> {
  const { rows } = await db.query<{ key: string; department: string; version: number }>(
    'SELECT key, department, version FROM measure WHERE key = ANY($1::text[])',
    [keys],
  );
  return new Map(rows.map((r) => [r.key, { department: r.department, version: r.version }]));
}

export async function deleteMeasures(tx: Queryable, keys: string[]): Promise<number> {
  if (!keys.length) return 0;
  return (await tx.query('DELETE FROM measure WHERE key = ANY($1::text[])', [keys])).affectedRows;
}

/** Inserts measures (new rows; changed ones were deleted first) with all their parts. */
export async function insertMeasures(
  tx: Queryable,
  list: { measure: Measure; version: number }[],
  batch: number,
  actor: string,
): Promise<void> {
  if (!list.length) return;
  const main = list.map(({ measure: m, version }) => ({
    key: m.key,
    title: m.title,
    description: m.description,
    department: m.department,
    provider_id: m.provider?.id ?? null,
    provider_name: m.provider?.name ?? null,
    programme_code: m.programme?.code ?? null,
    programme_title: m.programme?.title ?? null,
    funding_source: m.fundingSource,
    status: m.status,
    award_date: m.awardDate,
    planned_start: m.planned.start,
    planned_end: m.planned.end,
    actual_start: m.actual.start,
    actual_end: m.actual.end,
    confidentiality: m.confidentiality,
    contact_role: m.contact.role,
    contact_email: m.contact.email,
    goals: m.goals,
    milestones: m.milestones,
    links: m.links,
    extra: m.extra,
    version,
  }));
  const { rows } = await tx.query<{ id: number; key: string }>(
    `INSERT INTO measure (key, title, description, department, provider_id, provider_name, programme_code, programme_title, funding_source, status, award_date,
                          planned_start, planned_end, actual_start, actual_end, confidentiality, contact_role, contact_email, goals, milestones, links, extra, version,
                          import_batch_id, updated_by)
     SELECT key, title, description, department, provider_id, provider_name, programme_code, programme_title, funding_source, status, award_date,
            planned_start, planned_end, actual_start, actual_end, confidentiality, contact_role, contact_email, goals, milestones, links, extra, version, $2, $3
       FROM jsonb_to_recordset($1::jsonb) AS x(key text, title text, description text, department text, provider_id text, provider_name text, programme_code text,
            programme_title text, funding_source text, status text, award_date date, planned_start date, planned_end date, actual_start date, actual_end date,
            confidentiality text, contact_role text, contact_email text, goals jsonb, milestones jsonb, links jsonb, extra jsonb, version integer)
     RETURNING id, key`,
    [JSON.stringify(main), batch, actor],
  );
  const idOf = new Map(rows.map((r) => [r.key, r.id]));
  const budget: { measure_id: number; year: number; planned_cents: string | null; spent_cents: string | null }[] = [];
  const locations: Record<string, unknown>[] = [];
  const classes: { measure_id: number; kind: string; code: string }[] = [];
  for (const { measure: m } of list) {
    const id = idOf.get(m.key)!;
    for (const b of m.budget as BudgetYear[])
      budget.push({
        measure_id: id,
        year: b.year,
        planned_cents: b.plannedCents === null ? null : String(b.plannedCents),
        spent_cents: b.spentCents === null ? null : String(b.spentCents),
      });
    m.locations.forEach((l, ord) =>
      locations.push(
        l.kind === 'area'
          ? {
              measure_id: id,
              ord,
              kind: l.kind,
              layer: l.layer,
              code: l.code,
              name: l.name,
              address: null,
              x: null,
              y: null,
              codes: {},
            }
          : l.kind === 'point'
            ? {
                measure_id: id,
                ord,
                kind: l.kind,
                layer: null,
                code: null,
                name: l.name,
                address: null,
                x: l.x,
                y: l.y,
                codes: l.codes,
              }
            : {
                measure_id: id,
                ord,
                kind: l.kind,
                layer: null,
                code: null,
                name: l.name,
                address: l.address,
                x: l.x,
                y: l.y,
                codes: l.codes,
              },
      ),
    );
    for (const f of new Set(m.fields)) classes.push({ measure_id: id, kind: 'handlungsfeld', code: f });
    for (const g of new Set(m.targetGroups)) classes.push({ measure_id: id, kind: 'zielgruppe', code: g });
  }
  if (budget.length)
    await tx.query(
      `INSERT INTO measure_budget (measure_id, year, planned_cents, spent_cents)
       SELECT measure_id, year, planned_cents::bigint, spent_cents::bigint FROM jsonb_to_recordset($1::jsonb) AS x(measure_id integer, year integer, planned_cents text, spent_cents text)`,
      [JSON.stringify(budget)],
    );
  if (locations.length)
    await tx.query(
      `INSERT INTO measure_location (measure_id, ord, kind, layer, code, name, address, x, y, codes)
       SELECT measure_id, ord, kind, layer, code, name, address, x, y, codes
         FROM jsonb_to_recordset($1::jsonb) AS x(measure_id integer, ord integer, kind text, layer text, code text, name text, address text, x double precision, y double precision, codes jsonb)`,
      [JSON.stringify(locations)],
    );
  if (classes.length)
    await tx.query(
      `INSERT INTO measure_class (measure_id, kind, code) SELECT measure_id, kind, code FROM jsonb_to_recordset($1::jsonb) AS x(measure_id integer, kind text, code text)`,
      [JSON.stringify(classes)],
    );
}

export async function insertHistory(
  tx: Queryable,
  entries: { key: string; version: number; action: 'create' | 'update' | 'delete'; record: unknown }[],
  actor: string,
  batch: number | null,
): Promise<void> {
  if (!entries.length) return;
  await tx.query(
    `INSERT INTO measure_history (measure_key, version, action, actor, record, import_batch_id)
     SELECT key, version, action, $2, record, $3 FROM jsonb_to_recordset($1::jsonb) AS x(key text, version integer, action text, record jsonb)`,
    [JSON.stringify(entries), actor, batch],
  );
}

export interface HistoryRow {
  version: number;
  action: string;
  actor: string;
  at: string;
  record: Measure;
}

export async function selectHistory(db: Queryable, key: string): Promise<HistoryRow[]> {
  const { rows } = await db.query<HistoryRow>(
    `SELECT version, action, actor, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at, record FROM measure_history WHERE measure_key = $1 ORDER BY id`,
    [key],
  );
  return rows;
}

/** Address points of the register by normalised street, number and suffix (newest version first). */
export async function addressCodes(
  db: Queryable,
  street: string,
  number: number,
  suffix: string,
): Promise<{ x: number | null; y: number | null; codes: Record<string, string> } | undefined> {
  const { rows } = await db.query<{ x: number | null; y: number | null; codes: Record<string, string> }>(
    'SELECT x, y, codes FROM address WHERE street_normalized = $1 AND number = $2 AND suffix = $3 ORDER BY version_id DESC NULLS LAST, id LIMIT 1',
    [street, number, suffix],
  );
  return rows[0];
}

/**
 * Pairs of area codes of two boundary versions related by the hierarchy: `from` lies in `to`
 * (a block in its Stadtteil) or contains it (a Stadtbezirk over its Stadtteile).
 */
export async function relatedAreaCodes(
  db: Queryable,
  fromVersionId: number,
  toVersionId: number,
): Promise<{ from: string; to: string }[]> {
  const { rows } = await db.query<{ from: string; to: string }>(
    `SELECT f.code AS "from", t.code AS "to" FROM area_ancestor x JOIN area f ON f.id = x.area_id JOIN area t ON t.id = x.ancestor_id
      WHERE f.layer_version_id = $1 AND t.layer_version_id = $2
     UNION
     SELECT f.code, t.code FROM area_ancestor x JOIN area f ON f.id = x.ancestor_id JOIN area t ON t.id = x.area_id
      WHERE f.layer_version_id = $1 AND t.layer_version_id = $2`,
    [fromVersionId, toVersionId],
  );
  return rows;
}

export interface PriorityVersion {
  key: string;
  name: string;
  layer: string;
  validFrom: string;
  rule: Record<string, unknown> | null;
  codes: string[];
  createdBy: string;
}

export async function insertPriorityVersion(tx: Queryable, p: PriorityVersion): Promise<void> {
  await tx.query(
    `INSERT INTO priority_area_version (key, name, layer, valid_from, rule, codes, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (key, valid_from) DO UPDATE SET name = EXCLUDED.name, layer = EXCLUDED.layer, rule = EXCLUDED.rule, codes = EXCLUDED.codes, created_by = EXCLUDED.created_by, created_at = now()`,
    [p.key, p.name, p.layer, p.validFrom, p.rule ? JSON.stringify(p.rule) : null, p.codes, p.createdBy],
  );
}

/** The versions of priority areas (all, or of one key), oldest first. */
export async function selectPriorityVersions(db: Queryable, key?: string): Promise<PriorityVersion[]> {
  const { rows } = await db.query<PriorityVersion>(
    `SELECT key, name, layer, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", rule, codes, created_by AS "createdBy"
       FROM priority_area_version WHERE ($1::text IS NULL OR key = $1) ORDER BY key, valid_from`,
    [key ?? null],
  );
  return rows;
}

/** What the analyses need of a measure, in one statement: classes, locations, the budget of one year. */
export interface MeasureForAnalysis {
  key: string;
  department: string;
  confidentiality: Measure['confidentiality'];
  status: Measure['status'];
  planned: { start: string | null; end: string | null };
  actual: { start: string | null; end: string | null };
  fields: string[];
  targetGroups: string[];
  locations: {
    kind: MeasureLocation['kind'];
    layer: string | null;
    code: string | null;
    codes: Record<string, string>;
  }[];
  budgetCents: number;
}

/**
 * What an analysis may leave out before the rows leave the engine. Reading every measure costs
 * about 14 µs per row in the embedded engine (0.14 s for 10,000), so the filters of a request are
 * applied in SQL; the core applies them again (the SQL must only never drop a row the core keeps).
 */
export interface AnalysisPrefilter {
  field?: string;
  targetGroup?: string;
  department?: string;
  status?: string;
  /** Only measures running on this date (isRunningOn in core/measures.ts, the same rule). */
  runningOn?: string;
}

export async function selectMeasuresForAnalysis(
  db: Queryable,
  year: number,
  pre: AnalysisPrefilter = {},
): Promise<MeasureForAnalysis[]> {
  const params: unknown[] = [year];
  const where: string[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (pre.field)
    where.push(
      `EXISTS (SELECT 1 FROM measure_class f WHERE f.measure_id = m.id AND f.kind = 'handlungsfeld' AND f.code = ${p(pre.field)})`,
    );
  if (pre.targetGroup)
    where.push(
      `EXISTS (SELECT 1 FROM measure_class g WHERE g.measure_id = m.id AND g.kind = 'zielgruppe' AND g.code = ${p(pre.targetGroup)})`,
    );
  if (pre.department) where.push(`m.department = ${p(pre.department)}`);
  if (pre.status) where.push(`m.status = ${p(pre.status)}`);
  if (pre.runningOn) {
    const d = p(pre.runningOn);
    where.push(`m.status <> 'abgebrochen' AND CASE WHEN m.actual_start IS NOT NULL OR m.actual_end IS NOT NULL
        THEN coalesce(m.actual_start <= ${d}::date, true) AND coalesce(m.actual_end >= ${d}::date, true)
        ELSE (m.planned_start IS NOT NULL OR m.planned_end IS NOT NULL) AND coalesce(m.planned_start <= ${d}::date, true) AND coalesce(m.planned_end >= ${d}::date, true) END`);
  }
  const { rows } = await db.query<
    Omit<MeasureForAnalysis, 'planned' | 'actual' | 'budgetCents'> & {
      ps: string | null;
      pe: string | null;
      as: string | null;
      ae: string | null;
      budget: string;
    }
  >(
    `WITH sel AS MATERIALIZED (SELECT m.* FROM measure m${where.length ? ` WHERE ${where.join('\n        AND ')}` : ''}),
          c AS (SELECT c.measure_id, array_agg(c.code ORDER BY c.code) FILTER (WHERE c.kind = 'handlungsfeld') AS fields,
                       array_agg(c.code ORDER BY c.code) FILTER (WHERE c.kind = 'zielgruppe') AS groups
                  FROM measure_class c JOIN sel ON sel.id = c.measure_id GROUP BY c.measure_id),
          l AS (SELECT l.measure_id, jsonb_agg(jsonb_build_object('kind', l.kind, 'layer', l.layer, 'code', l.code, 'codes', l.codes) ORDER BY l.ord) AS locations
                  FROM measure_location l JOIN sel ON sel.id = l.measure_id GROUP BY l.measure_id),
          b AS (SELECT b.measure_id, coalesce(b.planned_cents, b.spent_cents, 0) AS cents FROM measure_budget b JOIN sel ON sel.id = b.measure_id WHERE b.year = $1)
     SELECT m.key, m.department, m.confidentiality, m.status,
            to_char(m.planned_start, 'YYYY-MM-DD') AS ps, to_char(m.planned_end, 'YYYY-MM-DD') AS pe,
            to_char(m.actual_start, 'YYYY-MM-DD') AS "as", to_char(m.actual_end, 'YYYY-MM-DD') AS ae,
            coalesce(c.fields, '{}') AS fields, coalesce(c.groups, '{}') AS "targetGroups",
            coalesce(l.locations, '[]') AS locations, coalesce(b.cents, 0)::text AS budget
       FROM sel m LEFT JOIN c ON c.measure_id = m.id LEFT JOIN l ON l.measure_id = m.id LEFT JOIN b ON b.measure_id = m.id
      ORDER BY m.key`,
    params,
  );
  return rows.map((r) => ({
    key: r.key,
    department: r.department,
    confidentiality: r.confidentiality,
    status: r.status,
    planned: { start: r.ps, end: r.pe },
    actual: { start: r.as, end: r.ae },
    fields: r.fields,
    targetGroups: r.targetGroups,
    locations: r.locations,
    budgetCents: Number(r.budget),
  }));
}
