// Reports: the shipped templates made into reports, the reports a reader may see, the workflow
// draft → review → published release, and the replacement plan. Resolving blocks against the
// data is in report-resolve.ts. One use case, one transaction.
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../store/db.ts';
import { areasGeoJson } from './catalogue-read.ts';
import { requireIndicator, requireReadable } from './query.ts';
import { snapshot } from './snapshot.ts';
import { inTransaction } from './transaction.ts';
import * as store from '../store/reports.ts';
import { ANONYMOUS, canWrite, type Principal } from '../core/access.ts';
import {
  Conflict,
  Forbidden,
  InputRejected,
  NotFound,
  Unauthorized,
  codedFields,
  type Problem,
} from '../core/problems.ts';
import {
  checkDefinition,
  definitionProblems,
  indicatorsOf,
  type ReportDefinition,
  type ResolvedBlock,
  type ResolvedReport,
} from '../core/report/model.ts';
import { placeholderIndicators } from '../core/report/markdown.ts';
import { SHIPPED_TEMPLATES, shippedTemplate } from '../core/report/templates.ts';
import { indicatorKeys, ReportReader, resolveDefinition, type BlockProblem } from './report-resolve.ts';
import { coded } from '../contracts/codes/index.ts';
import type { TemplateInfo, ReportInfo, PublishResult, ReleaseInfo } from '../contracts/answers/index.ts';
export type { TemplateInfo, ReportInfo, PublishResult, ReleaseInfo };

export { designOf, ReportReader, resolveDefinition, type BlockProblem } from './report-resolve.ts';

export type { ResolvedReport } from '../core/report/model.ts';

// ---------------------------------------------------------------------------------------------
// Templates and reports

export function listTemplates(): TemplateInfo[] {
  return SHIPPED_TEMPLATES.map((t) => ({
    key: t.key,
    title: t.definition.title,
    description: t.description,
    parameters: t.definition.parameters.map((p) => ({ name: p.name, layer: p.layer })),
  }));
}

/** Makes a shipped template a report of this installation, once (nothing when it exists). */
async function installTemplate(tx: Queryable, key: string): Promise<void> {
  const t = shippedTemplate(key);
  if (!t || (await store.reportByKey(tx, key))) return;
  const d = t.definition;
  const owner = d.owner && (await store.departmentExists(tx, d.owner)) ? d.owner : null;
  const id = await store.insertReport(tx, {
    key: d.key,
    title: d.title,
    owner,
    template: t.key,
    parameters: d.parameters,
  });
  if (id !== null) await store.insertVersion(tx, id, d, 'template');
}

/** The report (a shipped template is installed on first use). */
export async function requireReport(db: Database, key: string): Promise<store.ReportRow> {
  let r = await store.reportByKey(db, key);
  if (!r && shippedTemplate(key)) {
    await inTransaction(db, false, (tx) => installTemplate(tx, key));
    r = await store.reportByKey(db, key);
  }
  if (!r) throw new NotFound(coded('report-not-found', { report: key }));
  return r;
}

async function requireDraft(
  db: Queryable,
  r: store.ReportRow,
): Promise<{ id: number; version: number; definition: ReportDefinition }> {
  const v = await store.loadVersion(db, r);
  if (!v) throw new NotFound(coded('report-without-content', { report: r.key }));
  return v;
}

export function requireWrite(who: Principal, r: store.ReportRow): void {
  const d = canWrite(who, r.owner);
  if (d === 'unauthenticated') throw new Unauthorized();
  if (d === 'forbidden')
    throw new Forbidden(coded('report-change-forbidden', { department: r.owner ?? '—', report: r.key }));
}

/** Reports the principal may see: those whose every indicator the principal may read. */
export async function listReports(db: Database, who: Principal): Promise<ReportInfo[]> {
  for (const t of SHIPPED_TEMPLATES) await requireReport(db, t.key);
  const out: ReportInfo[] = [];
  for (const r of await store.listReports(db)) {
    const v = await store.loadVersion(db, r);
    if (!v || !(await visibleTo(db, who, v.definition))) continue;
    out.push(await reportInfo(db, r));
  }
  return out;
}

async function reportInfo(db: Queryable, r: store.ReportRow): Promise<ReportInfo> {
  const rel = await store.loadReleases(db, r.id);
  const byNumber = new Map<
    number,
    { number: number; publishedAt: string; changeNote: string | null; documents: number }
  >();
  for (const x of rel) {
    const e = byNumber.get(x.number) ?? {
      number: x.number,
      publishedAt: x.publishedAt,
      changeNote: x.changeNote,
      documents: 0,
    };
    e.documents++;
    byNumber.set(x.number, e);
  }
  return {
    key: r.key,
    title: r.title,
    owner: r.owner,
    template: r.template,
    status: r.status,
    parameters: r.parameters.map((p) => ({ name: p.name, layer: p.layer })),
    releases: [...byNumber.values()],
  };
}

export async function getReport(
  db: Database,
  who: Principal,
  key: string,
): Promise<ReportInfo & { definition: ReportDefinition; version: number }> {
  const r = await requireReport(db, key);
  const v = await requireDraft(db, r);
  await requireVisible(db, who, r, v.definition);
  return { ...(await reportInfo(db, r)), definition: v.definition, version: v.version };
}

async function visibleTo(db: Queryable, who: Principal, d: ReportDefinition): Promise<boolean> {
  try {
    await requireVisible(db, who, null, d);
    return true;
  } catch (e) {
    if (e instanceof NotFound || e instanceof Unauthorized) return false;
    throw e;
  }
}

/**
 * A report is as confidential as its most confidential block: a principal who may not read one
 * of its indicators does not see the report at all (a deleted indicator is a broken query, not a
 * secret: that shows in validation and the replacement plan).
 */
async function requireVisible(
  db: Queryable,
  who: Principal,
  r: store.ReportRow | null,
  d: ReportDefinition,
): Promise<void> {
  const s = await snapshot(db);
  for (const key of indicatorKeys(d)) {
    if (!s.indicatorByKey.has(key)) continue;
    try {
      await requireReadable(db, s, who, key);
    } catch (e) {
      if (e instanceof Unauthorized) throw new Unauthorized(coded('report-internal', { report: d.key }));
      if (e instanceof NotFound) throw new NotFound(coded('report-not-found', { report: d.key }));
      throw e;
    }
  }
  void r;
}

export async function parameterSets(
  db: Database,
  key: string,
  o: { area?: string; allAreas?: boolean },
): Promise<Record<string, string>[]> {
  const r = await requireReport(db, key);
  const p = r.parameters.find((x) => x.name === 'area');
  if (!p) {
    if (o.area || o.allAreas)
      throw new InputRejected(
        [{ severity: 'error', code: 'bad-request', reason: `the report "${key}" takes no area` }],
        `The report "${key}" takes no area: leave out --area and --all-areas.`,
      );
    return [{}];
  }
  if (o.allAreas) {
    const fc = await areasGeoJson(db, p.layer, undefined, false);
    return fc.features.map((f) => ({ area: f.properties.code }));
  }
  if (!o.area)
    throw new InputRejected(
      [
        {
          severity: 'error',
          code: 'bad-request',
          reason: `the report "${key}" needs an area of the layer "${p.layer}"`,
        },
      ],
      `The report "${key}" needs --area CODE (an area of "${p.layer}") or --all-areas.`,
    );
  const fc = await areasGeoJson(db, p.layer, undefined, false);
  if (!fc.features.some((f) => f.properties.code === o.area))
    throw new NotFound(coded('area-not-found', { area: o.area, layer: p.layer }));
  return [{ area: o.area }];
}

/** The documents of a report for these parameter sets, as the principal may see them. */
export async function resolveReports(
  db: Database,
  who: Principal,
  key: string,
  sets: Record<string, string>[],
  o: { release?: number; reader?: ReportReader } = {},
): Promise<ResolvedReport[]> {
  const r = await requireReport(db, key);
  const v = await requireDraft(db, r);
  if (o.release !== undefined) {
    const out: ResolvedReport[] = [];
    for (const params of sets) {
      const [rel] = await store.loadReleases(db, r.id, { number: o.release, params });
      if (!rel)
        throw new NotFound(
          Object.keys(params).length
            ? coded('report-release-not-found-for', { report: key, release: o.release, params: JSON.stringify(params) })
            : coded('report-release-not-found', { report: key, release: o.release }),
        );
      await requireReleaseReadable(db, who, r, rel);
      out.push(rel.document);
    }
    return out;
  }
  await requireVisible(db, who, r, v.definition);
  const rd = o.reader ?? new ReportReader(db, who);
  const out: ResolvedReport[] = [];
  for (const params of sets) out.push((await resolveDefinition(rd, v.definition, params)).doc);
  return out;
}

async function requireReleaseReadable(
  db: Queryable,
  who: Principal,
  r: store.ReportRow,
  rel: store.ReleaseRow,
): Promise<void> {
  if (rel.confidentiality === 'public' || who.kind === 'system') return;
  if (rel.confidentiality === 'internal') {
    if (who.kind === 'anonymous') throw new Unauthorized(coded('report-internal', { report: r.key }));
    return;
  }
  // Restricted: only readers of every indicator of the current definition (the owning departments).
  const v = await requireDraft(db, r);
  await requireVisible(db, who, r, v.definition);
  if (who.kind === 'anonymous') throw new NotFound(coded('report-not-found', { report: r.key }));
}

// ---------------------------------------------------------------------------------------------
// Workflow

/** Problems of a report's queries (an indicator deleted, a layer or version gone, an area missing). */
export async function validateReport(db: Database, who: Principal, key: string): Promise<BlockProblem[]> {
  const r = await requireReport(db, key);
  const v = await requireDraft(db, r);
  const problems: BlockProblem[] = definitionProblems(v.definition).map((p) => ({
    block: '',
    section: '',
    reason: p.reason,
    code: p.code,
    params: p.params,
  }));
  const s = await snapshot(db);
  for (const sec of v.definition.sections)
    for (const b of sec.blocks)
      for (const k of indicatorsOf(b.spec, placeholderIndicators)) {
        try {
          requireIndicator(s, k);
        } catch (e) {
          problems.push({ block: b.key, section: sec.title, reason: (e as Error).message, ...codedFields(e) });
        }
      }
  // A definition of the wrong shape cannot be resolved; otherwise every block's query is tried,
  // so that one deleted indicator does not hide the other blocks' problems.
  if (problems.some((p) => p.block === '')) return problems;
  const known = new Set(problems.map((p) => p.block));
  const sets = await parameterSets(db, key, { allAreas: r.parameters.length > 0 });
  const rd = new ReportReader(db, who);
  const resolved: BlockProblem[] = [];
  for (const params of sets.slice(0, 1)) await resolveDefinition(rd, v.definition, params, resolved);
  problems.push(...resolved.filter((p) => !known.has(p.block)));
  const order = v.definition.sections.flatMap((x) => x.blocks.map((b) => b.key));
  return problems.sort((a, b) => order.indexOf(a.block) - order.indexOf(b.block));
}

/** Saves a new version of the report's content: the report is a draft again. */
export async function saveReport(
  db: Database,
  who: Principal,
  key: string,
  d: ReportDefinition,
): Promise<{ version: number }> {
  const r = await requireReport(db, key);
  requireWrite(who, r);
  const issues = checkDefinition({ ...d, key });
  if (issues.length)
    throw new InputRejected(
      issues.map((reason) => ({ severity: 'error' as const, code: 'bad-request', reason })),
      `The report cannot be saved: ${issues.join('; ')}.`,
    );
  return inTransaction(db, false, async (tx) => {
    const v = await store.insertVersion(tx, r.id, { ...d, key }, who.kind === 'user' ? who.name : who.kind);
    await store.updateReportHead(tx, r.id, d.title, d.parameters);
    await store.setReportStatus(tx, r.id, 'draft');
    return { version: v.version };
  });
}

export async function submitForReview(db: Database, who: Principal, key: string): Promise<ReportInfo> {
  const r = await requireReport(db, key);
  requireWrite(who, r);
  await store.setReportStatus(db, r.id, 'review');
  return reportInfo(db, (await store.reportByKey(db, key))!);
}

/**
 * Publishes a release: the report must be in review and every block's query valid. Each
 * parameter set (every area for a parameterised report) is resolved as the public sees it, and
 * frozen with the data versions and a content hash. A release after the first is an amendment
 * and needs a change note.
 */
export async function publishRelease(
  db: Database,
  who: Principal,
  key: string,
  o: { changeNote?: string; sets?: Record<string, string>[] } = {},
): Promise<PublishResult> {
  const r = await requireReport(db, key);
  requireWrite(who, r);
  if (r.status !== 'review') throw new Conflict(coded('report-not-in-review', { report: key, status: r.status }));
  const problems = await validateReport(db, who, key);
  if (problems.length) {
    throw new InputRejected(
      problems.map((p): Problem => ({
        severity: 'error',
        code: 'report-block-invalid',
        reason: p.reason,
        value: p.block,
      })),
      `The report "${key}" cannot be published: ${problems.map((p) => `block "${p.block}": ${p.reason}`).join('; ')}.`,
    );
  }
  const number = (await store.latestReleaseNumber(db, r.id)) + 1;
  if (number > 1 && !o.changeNote?.trim())
    throw new InputRejected(
      [
        {
          severity: 'error',
          code: 'bad-request',
          reason: 'an amendment needs a change note',
          hint: 'say what changed, e.g. --note "Daten 2025 ergänzt"',
        },
      ],
      'An amendment (release 2 and later) needs a public change note (--note).',
    );
  const v = await requireDraft(db, r);
  const sets = o.sets ?? (await parameterSets(db, key, { allAreas: r.parameters.length > 0 }));
  const date = new Date().toISOString().slice(0, 10);
  // A release shows what its readers may see: the public's values (disclosure control applied)
  // for a public report, a signed-in viewer's for an internal one; only a restricted report is
  // resolved as its publisher sees it.
  const rd = new ReportReader(db, await releaseReader(db, who, v.definition));
  const docs: { params: Record<string, string>; document: ResolvedReport; indicators: string[] }[] = [];
  for (const params of sets) {
    const { doc, indicators } = await resolveDefinition(rd, v.definition, params);
    docs.push({
      params,
      document: { ...doc, asOf: date, release: { number, date, changeNote: o.changeNote?.trim() || null } },
      indicators,
    });
  }
  return inTransaction(db, false, async (tx) => {
    const out: PublishResult['documents'] = [];
    for (const d of docs) {
      const contentHash = contentHashOf(d.document);
      await store.insertRelease(tx, r.id, {
        number,
        versionId: v.id,
        params: d.params,
        document: d.document,
        dataVersions: await store.dataVersionsOf(tx, d.indicators),
        contentHash,
        changeNote: o.changeNote?.trim() || null,
        confidentiality: d.document.confidentiality,
        publishedBy: who.kind === 'user' ? who.name : who.kind,
      });
      out.push({ params: d.params, contentHash });
    }
    await store.setReportStatus(tx, r.id, 'published');
    return { number, documents: out };
  });
}

const RELEASE_VIEWER: Principal = { kind: 'user', id: 0, name: 'release', role: 'viewer', department: null };

async function releaseReader(db: Queryable, who: Principal, d: ReportDefinition): Promise<Principal> {
  if (await visibleTo(db, ANONYMOUS, d)) return ANONYMOUS;
  if (await visibleTo(db, RELEASE_VIEWER, d)) return RELEASE_VIEWER;
  return who;
}

/** sha256 of the document's canonical JSON (keys sorted). */
export function contentHashOf(doc: ResolvedReport): string {
  const canon = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(canon);
    if (x && typeof x === 'object')
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, canon((x as Record<string, unknown>)[k])]),
      );
    return x;
  };
  return createHash('sha256')
    .update(JSON.stringify(canon(doc)))
    .digest('hex');
}

export async function listReleases(db: Database, who: Principal, key: string): Promise<ReleaseInfo[]> {
  const r = await requireReport(db, key);
  const out: ReleaseInfo[] = [];
  for (const rel of await store.loadReleases(db, r.id)) {
    try {
      await requireReleaseReadable(db, who, r, rel);
    } catch {
      continue;
    }
    out.push({
      number: rel.number,
      params: rel.params,
      contentHash: rel.contentHash,
      dataVersions: rel.dataVersions,
      changeNote: rel.changeNote,
      publishedAt: rel.publishedAt,
      intact: contentHashOf(rel.document) === rel.contentHash,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Replacement plan

interface PlannedChange {
  block: string;
  section: string;
  /** changed: some values differ; invalid: the query no longer works; new / removed: the block itself. */
  kind: 'changed' | 'invalid' | 'new' | 'removed';
  /** For changed blocks: what was shown and what would be shown. */
  values: { label: string; before: string; after: string }[];
  reason?: string;
}

export interface ReplacementPlan {
  release: number | null;
  params: Record<string, string>;
  changedDataVersions: { indicator: string; before: number | null; after: number | null }[];
  blocks: PlannedChange[];
  /** Whether the draft could be published as it is. */
  publishable: boolean;
}

function labelledCells(b: ResolvedBlock): Map<string, string> {
  const m = new Map<string, string>();
  switch (b.type) {
    case 'text':
      m.set(
        'Text',
        b.content
          .map((x) =>
            x.kind === 'list'
              ? x.items.map((i) => i.map((y) => y.text).join('')).join(' · ')
              : x.inlines.map((y) => y.text).join(''),
          )
          .join('\n'),
      );
      break;
    case 'key-figure':
      for (const t of b.tiles) {
        m.set(`${t.indicator.name}`, t.value.text);
        if (t.earlier) m.set(`${t.indicator.name}, Veränderung`, t.earlier.change ?? '');
      }
      break;
    case 'data':
      for (const r of [...b.rows, ...(b.city ? [{ name: b.city.name, cells: b.city.cells }] : [])])
        r.cells.forEach((c, i) => m.set(`${r.name} · ${b.columns[i]}`, c.text));
      break;
    case 'spine':
      for (const r of b.rows) m.set(r.indicator.name, r.value.text);
      break;
    case 'map':
      for (const a of b.areas) m.set(a.name, a.cell.text);
      break;
    case 'profile':
      for (const t of b.themes) for (const r of t.rows) m.set(`${t.theme} · ${r.indicator.name}`, r.value.text);
      break;
    case 'index':
      if (b.area) m.set(`${b.area.name} · Index`, `${b.area.score}${b.area.label ? ` (${b.area.label})` : ''}`);
      for (const x of b.components) m.set(`${x.indicator.name} · Beitrag`, x.contributionText);
      for (const r of b.ranking) m.set(`${r.name} · Index`, `${r.score}${r.label ? ` (${r.label})` : ''}`);
      break;
    case 'facilities':
      for (const r of b.rows) m.set(`${r.name}${r.category ? ` (${r.category})` : ''}`, r.capacity ?? '–');
      break;
    case 'topics':
      for (const x of b.topics) m.set(x.title, `${x.status}; ${x.supports}`);
      break;
    case 'measures':
      for (const x of b.rows) m.set(x.title, `${x.status}; ${x.period}; ${x.budget ?? '–'}`);
      break;
  }
  return m;
}

/**
 * What a new release would change against the latest one: per block the values that differ,
 * the blocks whose query no longer works, and the indicators with newer data.
 */
export async function replacementPlan(
  db: Database,
  who: Principal,
  key: string,
  params: Record<string, string>,
): Promise<ReplacementPlan> {
  const r = await requireReport(db, key);
  requireWrite(who, r);
  const v = await requireDraft(db, r);
  const [rel] = await store.loadReleases(db, r.id, { params });
  const problems: BlockProblem[] = [];
  const s = await snapshot(db);
  // A deleted indicator breaks its blocks; the others resolve on current data.
  const broken = new Map<string, string>();
  for (const sec of v.definition.sections)
    for (const b of sec.blocks)
      for (const k of indicatorsOf(b.spec, placeholderIndicators))
        if (!s.indicatorByKey.has(k)) broken.set(b.key, `The indicator "${k}" does not exist.`);
  const kept: ReportDefinition = {
    ...v.definition,
    sections: v.definition.sections.map((sec) => ({ ...sec, blocks: sec.blocks.filter((b) => !broken.has(b.key)) })),
  };
  const { doc, indicators } = await resolveDefinition(new ReportReader(db, who), kept, params, problems);
  const blocks: PlannedChange[] = [];
  const sectionOf = new Map<string, string>();
  for (const sec of v.definition.sections) for (const b of sec.blocks) sectionOf.set(b.key, sec.title);
  for (const [block, reason] of broken)
    blocks.push({ block, section: sectionOf.get(block) ?? '', kind: 'invalid', values: [], reason });
  for (const p of problems)
    blocks.push({ block: p.block, section: p.section, kind: 'invalid', values: [], reason: p.reason });
  const before = new Map<string, ResolvedBlock>();
  if (rel) for (const sec of rel.document.sections) for (const b of sec.blocks) before.set(b.key, b);
  const seen = new Set<string>();
  for (const sec of doc.sections)
    for (const b of sec.blocks) {
      seen.add(b.key);
      const old = before.get(b.key);
      if (!old) {
        if (rel) blocks.push({ block: b.key, section: sec.title, kind: 'new', values: [] });
        continue;
      }
      const a = labelledCells(old);
      const n = labelledCells(b);
      const values: PlannedChange['values'] = [];
      for (const label of new Set([...a.keys(), ...n.keys()]))
        if (a.get(label) !== n.get(label))
          values.push({ label, before: a.get(label) ?? '', after: n.get(label) ?? '' });
      if (values.length) blocks.push({ block: b.key, section: sec.title, kind: 'changed', values });
    }
  for (const k of before.keys())
    if (!seen.has(k) && !broken.has(k) && !problems.some((p) => p.block === k))
      blocks.push({ block: k, section: '', kind: 'removed', values: [] });
  const now = await store.dataVersionsOf(db, indicators);
  const changedDataVersions: ReplacementPlan['changedDataVersions'] = [];
  if (rel) {
    for (const k of new Set([...Object.keys(rel.dataVersions), ...Object.keys(now)]).values()) {
      if (rel.dataVersions[k] !== now[k])
        changedDataVersions.push({ indicator: k, before: rel.dataVersions[k] ?? null, after: now[k] ?? null });
    }
  }
  return {
    release: rel?.number ?? null,
    params,
    changedDataVersions,
    blocks,
    publishable: !blocks.some((b) => b.kind === 'invalid'),
  };
}
