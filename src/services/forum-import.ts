// Topics from participation platforms (Decidim, CONSUL, adhocracy+ / mein.berlin) onto the same
// map: their scopes, geozones or districts are mapped to our forums and areas (a table kept by
// staff); each imported topic keeps a link back to its source, and a re-import refreshes the
// topic found by (platform, source id) instead of adding it again. Answers, links and
// moderation given here stay. Authors are never read; e-mail addresses and phone numbers in
// imported text are taken out.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Database } from '../store/db.ts';
import { canWrite, principalName, type Principal } from '../core/access.ts';
import { Forbidden, InputRejected, NotFound, Unauthorized, type Problem } from '../core/problems.ts';
import { defaultDue, redactContacts } from '../core/forum.ts';
import {
  PLATFORMS,
  readAdhocracy,
  readConsulGraphql,
  readDecidimCsv,
  readDecidimGraphql,
  type ParticipationItem,
  type Platform,
  type ReadResult,
} from '../formats/participation.ts';
import { openTable, rowWidthProblem } from '../formats/table.ts';
import { cellText } from '../formats/columns.ts';
import { foldText } from '../core/address/normalize.ts';
import { currentAreaCodes } from '../store/catalog.ts';
import {
  forumByKey,
  insertTopic,
  refreshImportedTopic,
  selectForums,
  selectSourceAreas,
  topicIdBySource,
  upsertSourceArea,
  type ForumRow,
} from '../store/forum.ts';
import { inTransaction } from './transaction.ts';
import { audit } from './audit.ts';
import { refreshForumAtlas } from './forum-atlas.ts';
import { todayInGermany } from './forum.ts';
import { fetchParticipation, instanceOf } from './forum-fetch.ts';
import { coded } from '../contracts/codes/index.ts';

function requirePlatform(p: string): Platform {
  if (!(PLATFORMS as string[]).includes(p))
    throw new InputRejected([
      { severity: 'error', code: 'bad-value', column: 'platform', reason: `platform: one of ${PLATFORMS.join(', ')}` },
    ]);
  return p as Platform;
}

function mayImport(who: Principal, f: ForumRow): void {
  const d = canWrite(who, f.department);
  if (d === 'unauthenticated') throw new Unauthorized();
  if (d === 'forbidden')
    throw new Forbidden(coded('forum-import-forbidden', { department: String(f.department), forum: f.key }));
}

/** One row of the mapping table: their scope/geozone/district (id or name) → our forum and area. */
export async function mapSourceArea(
  db: Database,
  who: Principal,
  m: { platform: string; sourceArea: string; forum: string; area?: string },
): Promise<void> {
  const platform = requirePlatform(m.platform);
  if (!m.sourceArea.trim())
    throw new InputRejected([
      { severity: 'error', code: 'empty', column: 'sourceArea', reason: 'the platform’s area is empty' },
    ]);
  await inTransaction(db, false, async (tx) => {
    const f = await forumByKey(tx, m.forum);
    if (!f) throw new NotFound(coded('forum-not-found', { forum: m.forum }));
    mayImport(who, f);
    const area = m.area ?? f.areaCode;
    if (!(await currentAreaCodes(tx, f.layer)).has(area))
      throw new InputRejected([
        { severity: 'error', code: 'unknown-area', column: 'area', reason: `no area "${area}" in layer "${f.layer}"` },
      ]);
    await upsertSourceArea(tx, platform, foldText(m.sourceArea.trim()), f.id, area);
    await audit(tx, who, {
      action: 'forum.import.map',
      objectType: 'forum',
      objectKey: f.key,
      details: { platform, sourceArea: m.sourceArea, area },
    });
  });
}

export async function sourceAreaMapping(db: Database): Promise<Awaited<ReturnType<typeof selectSourceAreas>>> {
  return selectSourceAreas(db);
}

export interface ForumImportOptions {
  platform: string;
  baseUrl?: string;
  /**
   * The host of the platform installation (what tells its ids from another's). Default: the host
   * of baseUrl, else of each item's link back, else '' (unknown).
   */
  instance?: string;
  /** adhocracy+: the project's district, when the ideas do not carry one. */
  district?: string;
  /** Items whose area is not mapped go to this forum (else they are skipped and listed). */
  forum?: string;
  dryRun?: boolean;
  displayName?: string;
}

export interface ForumImportResult {
  platform: Platform;
  file: string;
  items: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  unmapped: string[];
  dryRun: boolean;
}

/** Reads a platform's file: JSON (GraphQL or REST answers) or CSV (Decidim's export). */
async function readParticipationFile(path: string, o: ForumImportOptions): Promise<ReadResult> {
  const platform = requirePlatform(o.platform);
  const file = o.displayName ?? basename(path);
  if (extname(path).toLowerCase() === '.csv') {
    if (platform !== 'decidim')
      throw new InputRejected([
        {
          severity: 'error',
          code: 'bad-format',
          file,
          reason: `a CSV file is read as Decidim's proposals export; ${platform} is read from its API answer (JSON)`,
        },
      ]);
    const table = await openTable(path, { displayName: file });
    const rows: { line: number; cells: Record<string, string> }[] = [];
    const problems: ReadResult['problems'] = [];
    for await (const row of table.rows) {
      const w = rowWidthProblem(table, row);
      if (w) problems.push({ at: `line ${row.line}`, reason: w.reason });
      else
        rows.push({
          line: row.line,
          cells: Object.fromEntries(table.columns.map((c, i) => [c.trim(), cellText(row.cells[i])])),
        });
    }
    const r = readDecidimCsv(
      rows,
      table.columns.map((c) => c.trim()),
      o.baseUrl,
    );
    return { items: r.items, problems: [...problems, ...r.problems] };
  }
  let doc;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new InputRejected([
      { severity: 'error', code: 'bad-json', file, reason: `not JSON: ${(e as Error).message}` },
    ]);
  }
  if (doc && typeof doc === 'object' && Array.isArray(doc.errors) && doc.errors.length)
    throw new InputRejected([
      {
        severity: 'error',
        code: 'graphql-errors',
        file,
        reason: `the answer carries GraphQL errors: ${JSON.stringify(doc.errors).slice(0, 300)}`,
      },
    ]);
  return platform === 'decidim'
    ? readDecidimGraphql(doc, o.baseUrl)
    : platform === 'consul'
      ? readConsulGraphql(doc, o.baseUrl)
      : readAdhocracy(doc, { baseUrl: o.baseUrl, district: o.district });
}

/** Imports (or refreshes) the items; all or nothing on bad input. */
export async function importForumItems(
  db: Database,
  who: Principal,
  items: ParticipationItem[],
  readProblems: ReadResult['problems'],
  o: ForumImportOptions,
  today = todayInGermany(),
): Promise<ForumImportResult> {
  const platform = requirePlatform(o.platform);
  const file = o.displayName ?? 'items';
  const problems: Problem[] = readProblems.map((p) => ({
    severity: 'error',
    code: 'bad-record',
    file,
    column: p.at,
    reason: p.reason,
  }));
  if (problems.length) throw new InputRejected(problems);
  return inTransaction(db, o.dryRun ?? false, async (tx) => {
    const forums = new Map((await selectForums(tx)).map((f) => [f.id, f]));
    const mapping = new Map((await selectSourceAreas(tx, platform)).map((m) => [m.sourceArea, m]));
    const fallback = o.forum ? await forumByKey(tx, o.forum) : undefined;
    if (o.forum && !fallback) throw new NotFound(coded('forum-not-found', { forum: o.forum }));
    const checked = new Set<number>();
    const result: ForumImportResult = {
      platform,
      file,
      items: items.length,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      unmapped: [],
      dryRun: o.dryRun ?? false,
    };
    const unmapped = new Set<string>();
    const seen = new Set<string>();
    for (const it of items) {
      // The same item twice (on two pages, say) is one topic.
      if (seen.has(it.sourceId)) continue;
      seen.add(it.sourceId);
      const m = it.sourceAreas.map((a) => mapping.get(foldText(a))).find(Boolean);
      const forum = m ? forums.get(m.forumId)! : fallback;
      if (!forum) {
        result.skipped++;
        unmapped.add(it.sourceAreas[it.sourceAreas.length > 1 ? 1 : 0] ?? '(no area)');
        continue;
      }
      if (!checked.has(forum.id)) {
        mayImport(who, forum);
        checked.add(forum.id);
      }
      const area = m?.areaCode ?? forum.areaCode;
      const title = redactContacts(it.title).slice(0, 200);
      const description = redactContacts(it.description).slice(0, 4000);
      const raisedOn = it.publishedOn ?? today;
      const instance = o.instance ?? (instanceOf(o.baseUrl) || instanceOf(it.url));
      const existing = await topicIdBySource(tx, platform, instance, it.sourceId);
      if (existing === 'ambiguous')
        throw new InputRejected([
          {
            severity: 'error',
            code: 'ambiguous-source',
            file,
            column: it.at,
            reason: `${platform} id ${it.sourceId} was imported from several installations; give the platform's address (--base-url) to say which`,
          },
        ]);
      if (existing !== undefined) {
        if (
          await refreshImportedTopic(tx, existing.id, {
            title,
            description,
            areaCode: area,
            raisedOn,
            forumId: forum.id,
            point: it.point,
            url: it.url,
            instance: instance || existing.instance,
          })
        )
          result.updated++;
        else result.unchanged++;
        continue;
      }
      await insertTopic(tx, {
        forumId: forum.id,
        title,
        description,
        layer: forum.layer,
        areaCode: area,
        point: it.point,
        field: null,
        raisedBy: 'online',
        raisedByLabel: platformName(platform),
        raisedOn,
        origin: 'import',
        moderation: 'published',
        publishedOn: today,
        department: null,
        answerDue: defaultDue(today),
        attachments: [],
        source: { platform, instance, id: it.sourceId, url: it.url },
      });
      result.inserted++;
    }
    result.unmapped = [...unmapped].sort();
    await refreshForumAtlas(tx, principalName(who));
    await audit(tx, who, {
      action: 'forum.import',
      objectType: 'forum_import',
      objectKey: platform,
      details: {
        file,
        items: result.items,
        inserted: result.inserted,
        updated: result.updated,
        skipped: result.skipped,
      },
    });
    return result;
  });
}

export async function importForumFile(
  db: Database,
  who: Principal,
  path: string,
  o: ForumImportOptions,
): Promise<ForumImportResult> {
  const r = await readParticipationFile(path, o);
  return importForumItems(db, who, r.items, r.problems, { ...o, displayName: o.displayName ?? basename(path) });
}

export interface ForumFetchImportOptions extends Omit<ForumImportOptions, 'displayName' | 'instance'> {
  url: string;
  space?: string;
  component?: string;
  timeoutMs?: number;
  maxBytes?: number;
  maxPages?: number;
  pageSize?: number;
}

/**
 * Fetches every page from the platform's API, then imports them in one transaction: nothing is
 * stored unless all pages came and read without problems. Ids are those of the installation at
 * the address's host.
 */
export async function importForumFromUrl(
  db: Database,
  who: Principal,
  o: ForumFetchImportOptions,
): Promise<ForumImportResult & { pages: number; bytes: number; instance: string }> {
  const platform = requirePlatform(o.platform);
  const r = await fetchParticipation({ ...o, platform });
  const res = await importForumItems(db, who, r.items, r.problems, {
    ...o,
    platform,
    instance: r.instance,
    displayName: o.url,
  });
  return { ...res, pages: r.pages, bytes: r.bytes, instance: r.instance };
}

function platformName(p: Platform): string {
  return p === 'decidim' ? 'Decidim' : p === 'consul' ? 'CONSUL' : 'adhocracy+';
}
