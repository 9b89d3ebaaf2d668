// Use cases of the measure registry (issue #17): import (360Giving JSON or flat CSV, the
// department template as CSV/XLSX, Decidim accountability CSV — all or nothing, positioned
// errors), export, list, history, and the analyses against need (per area, gaps, overlaps,
// coverage) and priority areas. Departments own their measures (canWrite as for data); a
// measure is read as data of its confidentiality (canRead); every change is in the audit trail
// and in the measure's history.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Database, Queryable } from '../store/db.ts';
import { canRead, canWrite, principalName, SYSTEM, type Principal } from '../core/access.ts';
import { Conflict, Forbidden, InputRejected, NotFound, ProblemList, Unauthorized, type Problem, layerWithoutVersion } from '../core/problems.ts';
import {
  MEASURE_STATUSES,
  coverageOf,
  isRunningOn,
  measuresPerArea,
  overlapsOf,
  rankByNeed,
  resolveClasses,
  validateMeasure,
  euroText,
  parseEuroCents,
  type Coverage,
  type Measure,
  type MeasureFilter,
  type MeasureInAreas,
  type MeasureLocation,
  type MeasureStatus,
  type NeedArea,
  type StoredMeasure,
  type VocabularyEntry,
} from '../core/measures.ts';
import { grantToMeasure, grantsOf, grantsToFlatCsv, measuresPackage, unflattenGrant, type VocabularyTitle } from '../formats/giving360.ts';
import { checkGiving360 } from '../formats/giving360-schema.ts';
import { openTable, rowWidthProblem, type Cell } from '../formats/table.ts';
import { cellText } from '../formats/columns.ts';
import { csvLine, type Delimiter } from '../formats/csv-write.ts';
import { foldText, normalizeStreet, parseAddressLine } from '../core/address/normalize.ts';
import { parsePeriod } from '../core/periods.ts';
import { selectDepartments } from '../store/accounts.ts';
import { areaNames, currentAreaCodes, versionValidAt } from '../store/catalog.ts';
import { startBatch, finishBatch, discardBatch } from '../store/batches.ts';
import {
  addressCodes,
  deleteMeasures,
  insertHistory,
  insertMeasures,
  insertPriorityVersion,
  loadVocabulary,
  measureOwners,
  relatedAreaCodes,
  selectHistory,
  selectMeasures,
  selectPriorityVersions,
  selectMeasuresForAnalysis,
  type AnalysisPrefilter,
  type MeasureForAnalysis,
  type HistoryRow,
  type PriorityVersion,
} from '../store/measures.ts';
import { readSetting } from '../store/settings.ts';
import { assignPointsToLayers } from './assign-points.ts';
import { inTransaction } from './transaction.ts';
import { audit } from './audit.ts';
import { snapshot, type Snapshot } from './snapshot.ts';
import { getObservations, getTimeSeries, periodsOf, requireLayer, requireReadable } from './query.ts';
import { coded } from '../contracts/codes/index.ts';
import type { GapRow, NeedAnswer } from '../contracts/answers/index.ts';
export type { GapRow, NeedAnswer };

export type MeasureFormat = '360giving' | '360giving-csv' | 'template' | 'decidim';

export interface ImportMeasuresOptions {
  principal?: Principal;
  format?: MeasureFormat;
  dryRun?: boolean;
  displayName?: string;
  /** Folder with the 360Giving JSON schema files: validate a JSON package against it first. */
  schemaDir?: string;
  /** Decidim (and template rows without one): the responsible department. */
  department?: string;
  /** Decidim: the layer whose area names the scopes are (default stadtteil). */
  scopeLayer?: string;
}

export interface ImportMeasuresResult {
  file: string;
  format: MeasureFormat;
  measures: number;
  inserted: number;
  updated: number;
  unchanged: number;
  dryRun: boolean;
  batchId: number | null;
  warnings: Problem[];
}

/** A measure read from a file, with where it came from (line or JSON path). */
interface ReadMeasure {
  measure: Measure;
  line?: number;
  path?: string;
}

// ---------------------------------------------------------------------------------------------
// Reading files

function detectFormat(path: string, columns?: string[]): MeasureFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return '360giving';
  if (ext === '.xlsx') return 'template';
  const cols = new Set((columns ?? []).map((c) => c.trim()));
  if (cols.has('id') && [...cols].some((c) => c.startsWith('fundingOrganization/'))) return '360giving-csv';
  if ([...cols].some((c) => /^title\/[a-z]{2}/.test(c)) && (cols.has('progress') || cols.has('start_date'))) return 'decidim';
  return 'template';
}

async function read360Json(path: string, file: string, problems: ProblemList, schemaDir?: string): Promise<ReadMeasure[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    problems.error({ code: 'bad-json', file, reason: `not JSON: ${(e as Error).message}` });
    return [];
  }
  if (schemaDir) for (const p of checkGiving360(doc, schemaDir, file).problems) problems.add(p);
  const { grants, problem } = grantsOf(doc);
  if (problem) problems.error({ code: 'not-360giving', file, reason: problem });
  return grants.map((g, i) => {
    const r = grantToMeasure(g);
    for (const p of r.problems) problems.error({ code: 'bad-record', file, column: `grants/${i}/${p.field}`, value: p.value, reason: p.reason, hint: p.hint });
    return { measure: r.measure, path: `grants/${i}` };
  });
}

async function readRows(path: string, file: string, problems: ProblemList): Promise<{ columns: string[]; rows: { line: number; cells: Cell[] }[] }> {
  const table = await openTable(path, { displayName: file });
  const rows: { line: number; cells: Cell[] }[] = [];
  for await (const row of table.rows) {
    const w = rowWidthProblem(table, row);
    if (w) problems.add(w);
    else rows.push(row);
  }
  return { columns: table.columns, rows };
}

async function read360Csv(path: string, file: string, problems: ProblemList): Promise<ReadMeasure[]> {
  const { columns, rows } = await readRows(path, file, problems);
  return rows.map((row) => {
    const { grant, problems: ps } = unflattenGrant(columns, row.cells.map((c) => cellText(c)));
    for (const p of ps) problems.error({ code: 'bad-number', file, line: row.line, column: p.column, value: p.value, reason: p.reason });
    const r = grantToMeasure(grant);
    for (const p of r.problems) problems.error({ code: 'bad-record', file, line: row.line, column: p.field, value: p.value, reason: p.reason, hint: p.hint });
    return { measure: r.measure, line: row.line };
  });
}

const headerKey = (h: string) => foldText(h).replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');

/** The department template's columns (German; docs/measures.md), by folded header. */
export const TEMPLATE_COLUMNS = [
  'Kennung',
  'Titel',
  'Beschreibung',
  'Fachbereich',
  'Träger-Kennung',
  'Träger',
  'Förderprogramm',
  'Finanzierungsquelle',
  'Status',
  'Beginn geplant',
  'Ende geplant',
  'Beginn tatsächlich',
  'Ende tatsächlich',
  'Handlungsfelder',
  'Zielgruppen',
  'Gebiete',
  'Adressen',
  'Vertraulichkeit',
  'Kontakt Rolle',
  'Kontakt E-Mail',
  'Links',
] as const;

/** The template column of a validated field. */
const TEMPLATE_FIELD: Record<string, string> = {
  id: 'Kennung',
  title: 'Titel',
  fundingOrganization: 'Fachbereich',
  status: 'Status',
  plannedDates: 'Beginn geplant',
  actualDates: 'Beginn tatsächlich',
  handlungsfeld: 'Handlungsfelder',
  zielgruppe: 'Zielgruppen',
  beneficiaryLocation: 'Gebiete',
  contact: 'Kontakt E-Mail',
  links: 'Links',
};

function splitList(t: string, sep: RegExp = /[,;|]/): string[] {
  return t
    .split(sep)
    .map((x) => x.trim())
    .filter(Boolean);
}

function dateCell(t: string, problems: ProblemList, at: { file: string; line: number; column: string }): string | null {
  if (!t) return null;
  const p = parsePeriod(t);
  if (!p || p.type !== 'date') {
    problems.error({ code: 'bad-date', ...at, value: t, reason: 'not a date', hint: 'write 31.12.2024 or 2024-12-31' });
    return null;
  }
  return p.key;
}

async function readTemplate(path: string, file: string, problems: ProblemList, o: ImportMeasuresOptions, vocab: VocabularyEntry[]): Promise<ReadMeasure[]> {
  const { columns, rows } = await readRows(path, file, problems);
  const idx = new Map(columns.map((c, i) => [headerKey(c), i]));
  for (const required of ['Kennung', 'Titel']) if (!idx.has(headerKey(required))) problems.error({ code: 'missing-column', file, line: 1, value: required, reason: `the column "${required}" is missing`, hint: `the template's columns: ${TEMPLATE_COLUMNS.join('; ')}; budget as "Budget 2024 geplant" / "Budget 2024 ausgegeben"` });
  const budgetCols: { i: number; year: number; kind: 'plannedCents' | 'spentCents' }[] = [];
  columns.forEach((c, i) => {
    const m = /^budget_(\d{4})_(geplant|ausgegeben|ist)$/.exec(headerKey(c));
    if (m) budgetCols.push({ i, year: Number(m[1]), kind: m[2] === 'geplant' ? 'plannedCents' : 'spentCents' });
  });
  const codeOf = (kind: 'handlungsfeld' | 'zielgruppe', t: string) => {
    const f = foldText(t);
    return vocab.find((v) => v.kind === kind && (v.code === t || foldText(v.title) === f))?.code ?? t;
  };
  return rows.map((row) => {
    const get = (name: string) => {
      const i = idx.get(headerKey(name));
      return i === undefined ? '' : cellText(row.cells[i]).trim();
    };
    const at = (column: string) => ({ file, line: row.line, column });
    const locations: MeasureLocation[] = [];
    for (const a of splitList(get('Gebiete'))) {
      const m = /^([a-z][a-z0-9_]*)\s*:\s*(\S+)$/.exec(a);
      if (!m) problems.error({ code: 'bad-area', ...at('Gebiete'), value: a, reason: 'an area is written as layer:code', hint: 'e.g. stadtteil:0101, block:01010001' });
      else locations.push({ kind: 'area', layer: m[1], code: m[2], name: null });
    }
    for (const a of splitList(get('Adressen'), /[|\n]/)) locations.push({ kind: 'address', address: a, x: null, y: null, name: null, codes: {} });
    const budget = new Map<number, { year: number; plannedCents: number | null; spentCents: number | null }>();
    for (const b of budgetCols) {
      const t = cellText(row.cells[b.i]).trim();
      if (!t) continue;
      const cents = typeof row.cells[b.i] === 'number' ? Math.round((row.cells[b.i] as number) * 100) : parseEuroCents(t, ',');
      if (cents === null || cents < 0) {
        problems.error({ code: 'bad-amount', ...at(columns[b.i]), value: t, reason: 'not an amount in EUR', hint: 'write 12.345,67 or 12345,67 (at most two decimals, no minus)' });
        continue;
      }
      const e = budget.get(b.year) ?? budget.set(b.year, { year: b.year, plannedCents: null, spentCents: null }).get(b.year)!;
      e[b.kind] = cents;
    }
    const providerName = get('Träger');
    const status = get('Status').toLowerCase();
    const planned = { start: dateCell(get('Beginn geplant'), problems, at('Beginn geplant')), end: dateCell(get('Ende geplant'), problems, at('Ende geplant')) };
    const actual = { start: dateCell(get('Beginn tatsächlich'), problems, at('Beginn tatsächlich')), end: dateCell(get('Ende tatsächlich'), problems, at('Ende tatsächlich')) };
    const conf = get('Vertraulichkeit').toLowerCase();
    const confMap: Record<string, Measure['confidentiality']> = { '': 'internal', public: 'public', oeffentlich: 'public', öffentlich: 'public', internal: 'internal', intern: 'internal', restricted: 'restricted', vertraulich: 'restricted' };
    if (!(conf in confMap)) problems.error({ code: 'bad-value', ...at('Vertraulichkeit'), value: conf, reason: 'unknown confidentiality', hint: 'öffentlich, intern or vertraulich' });
    const measure: Measure = {
      key: get('Kennung'),
      title: get('Titel'),
      description: get('Beschreibung'),
      department: get('Fachbereich') || o.department || (o.principal?.kind === 'user' ? (o.principal.department ?? '') : ''),
      departmentName: null,
      provider: providerName ? { id: get('Träger-Kennung') || providerName, name: providerName } : null,
      programme: get('Förderprogramm') ? { code: headerKey(get('Förderprogramm')), title: get('Förderprogramm') } : null,
      fundingSource: get('Finanzierungsquelle') || null,
      status: (status || (actual.end ? 'abgeschlossen' : actual.start ? 'laufend' : 'geplant')) as MeasureStatus,
      awardDate: null,
      planned,
      actual,
      confidentiality: confMap[conf] ?? 'internal',
      contact: { role: get('Kontakt Rolle') || null, email: get('Kontakt E-Mail') || null },
      budget: [...budget.values()].sort((a, b) => a.year - b.year),
      locations,
      fields: splitList(get('Handlungsfelder')).map((t) => codeOf('handlungsfeld', t)),
      targetGroups: splitList(get('Zielgruppen')).map((t) => codeOf('zielgruppe', t)),
      goals: [],
      milestones: [],
      links: splitList(get('Links'), /\s+/).map((url) => ({ title: null, url })),
      extra: {},
    };
    return { measure, line: row.line };
  });
}

/** Text without HTML tags (Decidim descriptions are rich text). */
const plain = (t: string) => t.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();

/**
 * Decidim's accountability results (CSV export/import of the component): id, title/<locale>,
 * description/<locale>, start_date, end_date, status/name/<locale>, progress, scope/name/<locale>,
 * category/name/<locale>, reference, url. German columns first, then English.
 */
async function readDecidim(path: string, file: string, problems: ProblemList, o: ImportMeasuresOptions, db: Queryable, vocab: VocabularyEntry[]): Promise<ReadMeasure[]> {
  const { columns, rows } = await readRows(path, file, problems);
  const pick = (base: string) => [`${base}/de`, `${base}/en`, base].map((c) => columns.indexOf(c)).find((i) => i >= 0) ?? -1;
  const col = { id: columns.indexOf('id'), title: pick('title'), description: pick('description'), start: columns.indexOf('start_date'), end: columns.indexOf('end_date'), status: pick('status/name'), progress: columns.indexOf('progress'), scope: pick('scope/name'), category: pick('category/name'), reference: columns.indexOf('reference'), url: columns.indexOf('url') };
  if (col.id < 0 || col.title < 0) problems.error({ code: 'missing-column', file, line: 1, reason: 'a Decidim accountability CSV has the columns id and title/<locale>', hint: `the file has: ${columns.join(', ')}` });
  const department = o.department ?? (o.principal?.kind === 'user' ? o.principal.department : null);
  if (!department) problems.error({ code: 'missing-option', file, reason: 'Decidim results name no department', hint: '--department KEY' });
  const layer = o.scopeLayer ?? 'stadtteil';
  const s = await snapshot(db);
  const layerRow = s.layerByKey.get(layer);
  const areaByName = new Map<string, string>();
  if (layerRow) {
    const v = versionValidAt(s.versionsByLayer.get(layerRow.id) ?? []);
    if (v) for (const a of await areaNames(db, v.id)) areaByName.set(foldText(a.name), a.code);
  }
  return rows.map((row) => {
    const get = (i: number) => (i < 0 ? '' : cellText(row.cells[i]).trim());
    const at = (i: number) => ({ file, line: row.line, column: columns[i] });
    const locations: MeasureLocation[] = [];
    const scope = get(col.scope);
    if (scope) {
      const code = areaByName.get(foldText(scope));
      if (!code) problems.error({ code: 'unknown-area', ...at(col.scope), value: scope, reason: `no area of "${layer}" has the name "${scope}"`, hint: 'name the layer of the scopes with --scope-layer' });
      else locations.push({ kind: 'area', layer, code, name: scope });
    }
    const fields: string[] = [];
    const category = get(col.category);
    if (category) {
      const f = foldText(category);
      const v = vocab.find((x) => x.kind === 'handlungsfeld' && (x.code === category || foldText(x.title) === f || foldText(x.titleEn ?? '') === f));
      if (!v) problems.error({ code: 'unknown-field', ...at(col.category), value: category, reason: `the category "${category}" is no field of action`, hint: `known: ${vocab.filter((x) => x.kind === 'handlungsfeld').map((x) => x.title).join(', ')}` });
      else fields.push(v.code);
    }
    const dates = { start: dateCell(get(col.start), problems, at(col.start)), end: dateCell(get(col.end), problems, at(col.end)) };
    const progress = Number(get(col.progress).replace(',', '.'));
    const statusName = foldText(get(col.status));
    const status: MeasureStatus = /abgebrochen|cancel/.test(statusName) ? 'abgebrochen' : progress >= 100 || /abgeschlossen|fertig|complete|done/.test(statusName) ? 'abgeschlossen' : /geplant|planung|plan|not started|nicht begonnen/.test(statusName) ? 'geplant' : 'laufend';
    const url = get(col.url);
    const measure: Measure = {
      key: `decidim-${get(col.reference) || get(col.id)}`,
      title: plain(get(col.title)),
      description: plain(get(col.description)),
      department: department ?? '',
      departmentName: null,
      provider: null,
      programme: null,
      fundingSource: null,
      status,
      awardDate: null,
      planned: dates,
      actual: status === 'geplant' ? { start: null, end: null } : { start: dates.start, end: status === 'abgeschlossen' || status === 'abgebrochen' ? dates.end : null },
      confidentiality: 'public',
      contact: { role: null, email: null },
      budget: [],
      locations,
      fields,
      targetGroups: [],
      goals: Number.isFinite(progress) && get(col.progress) ? [{ title: 'Fortschritt (Decidim)', indicator: null, unit: '%', baseline: 0, target: 100, actuals: [{ period: new Date().toISOString().slice(0, 4), value: progress }] }] : [],
      milestones: [],
      links: url ? [{ title: 'Decidim', url }] : [],
      extra: {},
    };
    return { measure, line: row.line };
  });
}

// ---------------------------------------------------------------------------------------------
// Import

/** JSON with the keys of every object sorted (jsonb does not keep the order of keys). */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

/** A measure without what the store adds, in a stable form for comparing versions. */
function canonical(m: Measure): string {
  const { key, title, description, department, provider, programme, fundingSource, status, awardDate, planned, actual, confidentiality, contact, budget, locations, fields, targetGroups, goals, milestones, links, extra } = m;
  return stableJson({ key, title, description, department, provider, programme, fundingSource, status, awardDate, planned, actual, confidentiality, contact, budget, locations, fields: [...fields].sort(), targetGroups: [...targetGroups].sort(), goals, milestones, links, extra });
}

function writeDecision(who: Principal, department: string): void {
  const may = canWrite(who, department);
  if (may === 'unauthenticated') throw new Unauthorized();
  if (may === 'forbidden') throw new Forbidden(coded('measures-change-forbidden', { department: department }));
}

/** Places points and addresses: area codes per layer (point-in-polygon; addresses from the register). */
async function locate(tx: Queryable, list: ReadMeasure[], problems: ProblemList, file: string): Promise<void> {
  const points: { l: Extract<MeasureLocation, { kind: 'point' } | { kind: 'address' }>; x: number; y: number }[] = [];
  for (const r of list)
    for (const [i, l] of r.measure.locations.entries()) {
      if (l.kind === 'area') continue;
      if (l.kind === 'address' && l.x === null) {
        const p = parseAddressLine(l.address);
        const hit = p.houseNumber ? await addressCodes(tx, normalizeStreet(p.street), p.houseNumber.number, p.houseNumber.suffix) : undefined;
        if (!hit) {
          problems.error({ code: 'unknown-address', file, line: r.line, column: r.path ? `${r.path}/beneficiaryLocation/${i}` : 'Adressen', value: l.address, reason: 'the address is not in the address register', hint: 'check street and house number, or give the area (layer:code)' });
          continue;
        }
        l.codes = hit.codes;
        if (hit.x !== null && hit.y !== null) {
          l.x = hit.x;
          l.y = hit.y;
        }
        continue;
      }
      if (l.x !== null && l.y !== null) points.push({ l, x: l.x, y: l.y! });
    }
  if (!points.length) return;
  const assigned = await assignPointsToLayers(tx, Float64Array.from(points.map((p) => p.x)), Float64Array.from(points.map((p) => p.y)));
  points.forEach((p, k) => {
    const codes: Record<string, string> = {};
    for (const [layer, list] of Object.entries(assigned.codes)) if (list[k] !== null) codes[layer] = list[k]!;
    if (p.l.kind === 'point' || !Object.keys(p.l.codes).length) p.l.codes = codes;
  });
}

export async function importMeasures(db: Database, path: string, o: ImportMeasuresOptions = {}): Promise<ImportMeasuresResult> {
  const who = o.principal ?? SYSTEM;
  if (who.kind === 'anonymous') throw new Unauthorized();
  const file = o.displayName ?? basename(path);
  const problems = new ProblemList();
  const fail = () => `The measures in ${file} were not imported: ${problems.errorCount} error(s). Nothing was changed.`;
  const vocab = await loadVocabulary(db);
  let format = o.format;
  let read: ReadMeasure[];
  if (!format && extname(path).toLowerCase() !== '.json' && extname(path).toLowerCase() !== '.xlsx') {
    const t = await openTable(path, { displayName: file });
    format = detectFormat(path, t.columns);
    await t.close();
  }
  format ??= detectFormat(path);
  if (format === '360giving') read = await read360Json(path, file, problems, o.schemaDir);
  else if (format === '360giving-csv') read = await read360Csv(path, file, problems);
  else if (format === 'decidim') read = await readDecidim(path, file, problems, o, db, vocab);
  else read = await readTemplate(path, file, problems, o, vocab);
  if (!read.length && !problems.hasErrors) problems.error({ code: 'empty', file, reason: 'the file has no measures' });

  // Domain rules.
  const departments = new Set((await selectDepartments(db)).map((d) => d.key));
  const codes = new Map<string, Set<string> | undefined>();
  const s = await snapshot(db);
  for (const r of read)
    for (const l of r.measure.locations) if (l.kind === 'area' && !codes.has(l.layer)) codes.set(l.layer, s.layerByKey.has(l.layer) ? await currentAreaCodes(db, l.layer) : undefined);
  const ctx = {
    departments,
    fields: new Set(vocab.filter((v) => v.kind === 'handlungsfeld').map((v) => v.code)),
    targetGroups: new Set(vocab.filter((v) => v.kind === 'zielgruppe').map((v) => v.code)),
    areaCodes: (layer: string) => codes.get(layer),
  };
  const seen = new Map<string, string>();
  for (const r of read) {
    const where = { file, line: r.line };
    for (const p of validateMeasure(r.measure, ctx)) problems.error({ code: 'bad-record', ...where, column: r.path ? `${r.path}/${p.field}` : format === 'template' ? (TEMPLATE_FIELD[p.field] ?? p.field) : p.field, value: p.value, reason: p.reason, hint: p.hint });
    const before = seen.get(r.measure.key);
    if (before !== undefined) problems.error({ code: 'duplicate-key', ...where, column: r.path ? `${r.path}/id` : 'Kennung', value: r.measure.key, reason: `the key is given twice (first at ${before})` });
    seen.set(r.measure.key, r.line !== undefined ? `line ${r.line}` : r.path!);
  }
  problems.throwIfErrors(fail());

  return inTransaction(db, !!o.dryRun, async (tx) => {
    await locate(tx, read, problems, file);
    problems.throwIfErrors(fail());
    const keys = read.map((r) => r.measure.key);
    const owners = await measureOwners(tx, keys);
    for (const dep of new Set([...read.map((r) => r.measure.department), ...[...owners.values()].map((x) => x.department)])) writeDecision(who, dep);
    const stored = new Map((await selectMeasures(tx, [...owners.keys()])).map((m) => [m.key, m]));
    const batch = await startBatch(tx, 'measures', file, { format }, principalName(who));
    const changed: { measure: Measure; version: number }[] = [];
    const history: { key: string; version: number; action: 'create' | 'update'; record: Measure }[] = [];
    let unchanged = 0;
    for (const r of read) {
      const old = stored.get(r.measure.key);
      if (old && canonical(old) === canonical(r.measure)) {
        unchanged++;
        continue;
      }
      const version = old ? old.version + 1 : 1;
      changed.push({ measure: r.measure, version });
      history.push({ key: r.measure.key, version, action: old ? 'update' : 'create', record: { ...r.measure, departmentName: null } });
    }
    if (!changed.length) {
      await discardBatch(tx, batch);
      return { file, format: format!, measures: read.length, inserted: 0, updated: 0, unchanged, dryRun: !!o.dryRun, batchId: null, warnings: problems.items.filter((p) => p.severity === 'warning') };
    }
    await deleteMeasures(
      tx,
      changed.filter((c) => c.version > 1).map((c) => c.measure.key),
    );
    await insertMeasures(tx, changed, batch, principalName(who));
    await insertHistory(tx, history, principalName(who), batch);
    const inserted = history.filter((h) => h.action === 'create').length;
    const updated = history.length - inserted;
    await finishBatch(tx, batch, { rowsRead: read.length, inserted, updated, unchanged });
    await audit(tx, who, { action: 'measures.import', objectType: 'measures', objectKey: file, batchId: batch, details: { format, measures: read.length, inserted, updated, unchanged, keys: history.slice(0, 50).map((h) => h.key) } });
    return { file, format: format!, measures: read.length, inserted, updated, unchanged, dryRun: !!o.dryRun, batchId: o.dryRun ? null : batch, warnings: problems.items.filter((p) => p.severity === 'warning') };
  });
}

/** Deletes a measure (its history stays, with a last entry "delete"). */
export async function deleteMeasure(db: Database, who: Principal, key: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [m] = await selectMeasures(tx, [key]);
    if (!m || canRead(who, guardOfMeasure(m)) === 'hidden') throw new NotFound(coded('measure-not-found', { measure: key }));
    writeDecision(who, m.department);
    const batch = await startBatch(tx, 'measures', null, { delete: key }, principalName(who));
    await deleteMeasures(tx, [key]);
    await insertHistory(tx, [{ key, version: m.version + 1, action: 'delete', record: m }], principalName(who), batch);
    await finishBatch(tx, batch, { rowsRead: 1, inserted: 0, updated: 1, unchanged: 0 });
    await audit(tx, who, { action: 'measures.delete', objectType: 'measure', objectKey: key, batchId: batch });
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

export function guardOfMeasure(m: Pick<Measure, 'key' | 'confidentiality' | 'department'>) {
  return { key: m.key, confidentiality: m.confidentiality, owner: m.department, departments: [], draft: false };
}

export interface MeasureListFilter extends MeasureFilter {
  /** Only measures running on this date. */
  at?: string;
  /** Only measures with a location in this area (layer + code, also through the hierarchy and points). */
  layer?: string;
  area?: string;
}

/** The measures the principal may read (restricted ones of other departments are left out). */
export async function readableMeasures(db: Queryable, who: Principal): Promise<StoredMeasure[]> {
  return (await selectMeasures(db)).filter((m) => canRead(who, guardOfMeasure(m)) === 'ok');
}

export async function listMeasures(db: Queryable, who: Principal, f: MeasureListFilter = {}): Promise<StoredMeasure[]> {
  let list = await readableMeasures(db, who);
  if (f.status && !(MEASURE_STATUSES as readonly string[]).includes(f.status)) throw new InputRejected([{ severity: 'error', code: 'bad-status', value: f.status, reason: `unknown status`, hint: MEASURE_STATUSES.join(', ') }]);
  list = list.filter((m) => (!f.field || m.fields.includes(f.field)) && (!f.targetGroup || m.targetGroups.includes(f.targetGroup)) && (!f.department || m.department === f.department) && (!f.status || m.status === f.status));
  if (f.at) {
    const d = isoDate(f.at, '--at');
    list = list.filter((m) => isRunningOn(m, d));
  }
  if (f.layer && f.area) {
    const date = f.at ? isoDate(f.at, '--at') : undefined;
    const inAreas = await measuresInLayer(db, await readableForAnalysis(db, who, Number((date ?? new Date().toISOString()).slice(0, 4)), { runningOn: date }), f.layer, date);
    const keys = new Set(inAreas.filter((m) => m.areas.includes(f.area!)).map((m) => m.key));
    list = list.filter((m) => keys.has(m.key));
  }
  return list;
}

/** The progress of a goal linked to a catalogue indicator, read from the data for each area of the measure. */
export interface GoalProgress {
  goal: number;
  indicator: string;
  layer: string;
  area: string;
  points: { period: string; value: number | null; status: string }[];
}

export async function getMeasure(db: Queryable, who: Principal, key: string): Promise<StoredMeasure & { history: HistoryRow[]; progress: GoalProgress[] }> {
  const [m] = await selectMeasures(db, [key]);
  if (!m) throw new NotFound(coded('measure-not-found', { measure: key }));
  const d = canRead(who, guardOfMeasure(m));
  if (d === 'unauthenticated') throw new Unauthorized();
  if (d === 'hidden') throw new NotFound(coded('measure-not-found', { measure: key }));
  // Goals linked to catalogue indicators: their values in the measure's areas, with the caller's
  // rights (an indicator the caller may not read, or without data there, gives no progress).
  const progress: GoalProgress[] = [];
  for (const [g, goal] of m.goals.entries()) {
    if (!goal.indicator) continue;
    for (const l of m.locations) {
      if (l.kind !== 'area') continue;
      try {
        const ts = await getTimeSeries(db, { indicator: goal.indicator, layer: l.layer, area: l.code }, who);
        progress.push({ goal: g, indicator: goal.indicator, layer: l.layer, area: l.code, points: ts.points.map((p) => ({ period: p.period, value: p.value, status: p.status })) });
      } catch (e) {
        if (!(e instanceof NotFound || e instanceof Unauthorized || e instanceof InputRejected)) throw e;
      }
    }
  }
  return { ...m, history: await selectHistory(db, key), progress };
}

const DEFAULT_PUBLISHER = { name: 'Kommunalmonitor' };

export async function vocabularyTitle(db: Queryable): Promise<VocabularyTitle> {
  const vocab = await loadVocabulary(db);
  const t = new Map(vocab.map((v) => [`${v.kind}:${v.code}`, v.title]));
  return (kind, code) => t.get(`${kind}:${code}`) ?? code;
}

/** The readable measures as a 360Giving package (JSON), its flat CSV, or the template CSV. */
export async function exportMeasures(db: Queryable, who: Principal, format: '360giving' | '360giving-csv' | 'csv'): Promise<string> {
  const list = await readableMeasures(db, who);
  const title = await vocabularyTitle(db);
  if (format === 'csv') return measuresTemplateCsv(list, title);
  const pub = (await readSetting<{ name?: string; website?: string }>(db, 'publisher').catch(() => undefined)) ?? undefined;
  const pkg = measuresPackage(list, { title: 'Maßnahmen und Projekte', publisher: { name: pub?.name ?? DEFAULT_PUBLISHER.name, ...(pub?.website ? { website: pub.website } : {}) }, issued: new Date().toISOString().slice(0, 10) }, title);
  if (format === '360giving') return JSON.stringify(pkg, null, 2) + '\n';
  return grantsToFlatCsv(pkg.grants as Record<string, unknown>[]);
}

/** The department template (";" and decimal comma), one row per measure, a budget column pair per year. */
export function measuresTemplateCsv(list: Measure[], title: VocabularyTitle = (_k, c) => c): string {
  const years = [...new Set(list.flatMap((m) => m.budget.map((b) => b.year)))].sort();
  const head = [...TEMPLATE_COLUMNS, ...years.flatMap((y) => [`Budget ${y} geplant`, `Budget ${y} ausgegeben`])];
  const confText = { public: 'öffentlich', internal: 'intern', restricted: 'vertraulich' } as const;
  const lines = [csvLine(head)];
  for (const m of list) {
    const areas = m.locations.filter((l) => l.kind === 'area').map((l) => `${l.layer}:${l.code}`);
    const addresses = m.locations.filter((l) => l.kind === 'address').map((l) => l.address);
    lines.push(
      csvLine([
        m.key,
        m.title,
        m.description,
        m.department,
        m.provider?.id ?? '',
        m.provider?.name ?? '',
        m.programme?.title ?? m.programme?.code ?? '',
        m.fundingSource ?? '',
        m.status,
        m.planned.start ?? '',
        m.planned.end ?? '',
        m.actual.start ?? '',
        m.actual.end ?? '',
        m.fields.map((c) => title('handlungsfeld', c)).join(', '),
        m.targetGroups.map((c) => title('zielgruppe', c)).join(', '),
        areas.join(', '),
        addresses.join(' | '),
        confText[m.confidentiality],
        m.contact.role ?? '',
        m.contact.email ?? '',
        m.links.map((l) => l.url).join(' '),
        ...years.flatMap((y) => {
          const b = m.budget.find((x) => x.year === y);
          return [b?.plannedCents != null ? euroText(b.plannedCents, ',') : '', b?.spentCents != null ? euroText(b.spentCents, ',') : ''];
        }),
      ]),
    );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export async function measureVocabulary(db: Queryable): Promise<VocabularyEntry[]> {
  return loadVocabulary(db);
}

// ---------------------------------------------------------------------------------------------
// Against need

function isoDate(text: string, option: string): string {
  const p = parsePeriod(text);
  if (!p || p.type !== 'date') throw new InputRejected([{ severity: 'error', code: 'bad-date', column: option, value: text, reason: 'not a date', hint: 'write 2024-06-30 or 30.06.2024' }], `${option}: "${text}" is not a date; write 2024-06-30.`);
  return p.key;
}

/** Each measure with the area codes of a layer it works in (boundary version valid on `at`). */
async function measuresInLayer(db: Queryable, list: MeasureForAnalysis[], layer: string, at?: string): Promise<MeasureInAreas[]> {
  const s = await snapshot(db);
  const target = requireLayer(s, layer);
  const tv = versionValidAt(s.versionsByLayer.get(target.id) ?? [], at ?? null);
  if (!tv) throw new NotFound(layerWithoutVersion(layer, at));
  const related = new Map<string, Map<string, string[]>>();
  const relatedOf = async (from: string) => {
    if (related.has(from)) return related.get(from)!;
    const l = s.layerByKey.get(from);
    const fv = l ? versionValidAt(s.versionsByLayer.get(l.id) ?? [], at ?? null) : undefined;
    const map = new Map<string, string[]>();
    if (fv) for (const p of await perSnapshot(db, `related|${fv.id}|${tv.id}`, () => relatedAreaCodes(db, fv.id, tv.id))) (map.get(p.from) ?? map.set(p.from, []).get(p.from)!).push(p.to);
    related.set(from, map);
    return map;
  };
  const out: MeasureInAreas[] = [];
  for (const m of list) {
    const areas = new Set<string>();
    for (const l of m.locations) {
      if (l.kind === 'area') {
        if (l.layer === layer) areas.add(l.code!);
        else for (const c of (await relatedOf(l.layer!)).get(l.code!) ?? []) areas.add(c);
      } else if (l.codes[layer]) areas.add(l.codes[layer]);
    }
    out.push({ key: m.key, status: m.status, planned: m.planned, actual: m.actual, fields: m.fields, targetGroups: m.targetGroups, department: m.department, areas: [...areas], budgetCents: m.budgetCents });
  }
  return out;
}

// The analysis rows and hierarchy relations are kept per read snapshot: every change of measures
// writes an import batch, which gives the next request a new snapshot (services/snapshot.ts).
const analysisCache = new WeakMap<Snapshot, Map<string, unknown>>();

async function perSnapshot<T>(db: Queryable, key: string, load: () => Promise<T>): Promise<T> {
  const s = await snapshot(db);
  const m = analysisCache.get(s) ?? analysisCache.set(s, new Map()).get(s)!;
  if (!m.has(key)) {
    // Keys carry a request's filters and date; a caller cycling them must not grow this without bound.
    if (m.size >= 256) m.clear();
    m.set(key, await load());
  }
  return m.get(key) as T;
}

/** The measures the principal may read, reduced to what the analyses need (budget of `year`). */
async function readableForAnalysis(db: Queryable, who: Principal, year: number, pre: AnalysisPrefilter = {}): Promise<MeasureForAnalysis[]> {
  const rows = await perSnapshot(db, `rows|${year}|${JSON.stringify(pre)}`, () => selectMeasuresForAnalysis(db, year, pre));
  return rows.filter((m) => canRead(who, guardOfMeasure(m)) === 'ok');
}

export interface NeedOptions extends MeasureFilter {
  layer: string;
  /** An indicator whose values are need classes (e.g. status_klasse of a saved index), or a priority-area key "priority:KEY". */
  need?: string;
  /** Class labels or numbers counting as high need (with `need`). */
  classes?: string[];
  at: string;
}

/** The latest period of an indicator ending on or before `date` (else its earliest). */
function periodFor(s: Awaited<ReturnType<typeof snapshot>>, key: string, date: string): string | undefined {
  const i = s.indicatorByKey.get(key);
  if (!i) return undefined;
  const list = periodsOf(s, i);
  const before = list.filter((p) => p.end <= date);
  return (before[before.length - 1] ?? list[0])?.key;
}

/** Every area of the layer with its need class, target population and running measures. */
export async function measuresAgainstNeed(db: Queryable, who: Principal, o: NeedOptions): Promise<NeedAnswer> {
  const at = isoDate(o.at, '--at');
  const s = await snapshot(db);
  requireLayer(s, o.layer);
  const vocab = await loadVocabulary(db);
  if (o.field && !vocab.some((v) => v.kind === 'handlungsfeld' && v.code === o.field)) throw new InputRejected([{ severity: 'error', code: 'unknown-field', column: '--field', value: o.field, reason: 'unknown field of action', hint: vocab.filter((v) => v.kind === 'handlungsfeld').map((v) => v.code).join(', ') }]);
  const group = o.targetGroup ? vocab.find((v) => v.kind === 'zielgruppe' && v.code === o.targetGroup) : undefined;
  if (o.targetGroup && !group) throw new InputRejected([{ severity: 'error', code: 'unknown-target-group', column: '--target-group', value: o.targetGroup, reason: 'unknown target group', hint: vocab.filter((v) => v.kind === 'zielgruppe').map((v) => v.code).join(', ') }]);

  // Need: classes of an indicator, or a priority-area version.
  let needClass = new Map<string, number | null>();
  let labels: string[] | null = null;
  let order: number[] = [];
  let needPeriod: string | null = null;
  let priority: string | null = null;
  let high: (code: string) => boolean = () => true;
  if (o.need?.startsWith('priority:')) {
    priority = o.need.slice('priority:'.length);
    const v = priorityAt(await selectPriorityVersions(db, priority), at);
    if (!v) throw new NotFound(coded('priority-areas-no-version', { priority: priority, date: at }));
    if (v.layer !== o.layer) throw new Conflict(coded('priority-areas-other-layer', { priority: priority, layer: v.layer, requested: o.layer }));
    const set = new Set(v.codes);
    high = (c) => set.has(c);
    order = [1];
    for (const c of v.codes) needClass.set(c, 1);
  } else if (o.need) {
    const ind = await requireReadable(db, s, who, o.need);
    const lineage = ind.lineage as { labels?: string[] | null; types?: { type: number; description: string }[] } | null;
    labels = lineage?.labels ?? null;
    needPeriod = periodFor(s, o.need, at) ?? null;
    if (!needPeriod) throw new InputRejected([{ severity: 'error', code: 'no-data', column: '--need', value: o.need, reason: `"${o.need}" has no values` }]);
    const obs = await getObservations(db, { indicator: o.need, layer: o.layer, period: needPeriod, at }, who);
    needClass = new Map(obs.values.map((v) => [v.area, v.value === null ? null : Math.round(v.value)]));
    const classes = o.classes?.length ? o.classes : [];
    const r = resolveClasses(classes, labels);
    if (r.unknown.length) throw new InputRejected([{ severity: 'error', code: 'unknown-class', column: '--classes', value: r.unknown.join(', '), reason: `not a class of "${o.need}"`, hint: labels ? `the classes are: ${labels.join(', ')} (or their numbers 1–${labels.length})` : 'give class numbers' }]);
    order = [...r.numbers];
    if (order.length) high = (c) => order.includes(needClass.get(c) ?? NaN);
  }

  // Target population per area.
  let popPeriod: string | null = null;
  const population = new Map<string, number | null>();
  if (group?.population) {
    popPeriod = periodFor(s, group.population.indicator, at) ?? null;
    if (popPeriod) {
      try {
        const p = await getObservations(db, { indicator: group.population.indicator, layer: o.layer, period: popPeriod, filter: group.population.filter, at }, who);
        for (const v of p.values) population.set(v.area, v.value);
      } catch (e) {
        if (!(e instanceof NotFound || e instanceof Unauthorized || e instanceof InputRejected)) throw e;
      }
    }
  }

  const lv = versionValidAt(s.versionsByLayer.get(s.layerByKey.get(o.layer)!.id) ?? [], at)!;
  const areaRows = await areaNames(db, lv.id);
  const areas: NeedArea[] = areaRows.map((a) => ({ code: a.code, name: a.name, needClass: needClass.get(a.code) ?? null, targetPopulation: population.get(a.code) ?? null }));
  const pre = { field: o.field, targetGroup: o.targetGroup, department: o.department, status: o.status, runningOn: at };
  const measures = await measuresInLayer(db, await readableForAnalysis(db, who, Number(at.slice(0, 4)), pre), o.layer, at);
  const all = measuresPerArea(areas, measures, at, { field: o.field, targetGroup: o.targetGroup, department: o.department, status: o.status });
  const label = (c: number | null) => (c === null ? null : priority ? priority : (labels?.[c - 1] ?? String(c)));
  const rows = rankByNeed(
    all.filter((r) => high(r.code)),
    order,
  ).map((r) => ({ ...r, needLabel: label(r.needClass) }));
  return {
    layer: o.layer,
    at,
    need: { indicator: priority ? null : (o.need ?? null), period: needPeriod, classes: o.classes ?? [], priority },
    targetGroup: group ? { code: group.code, population: group.population ? `${group.population.indicator}${Object.keys(group.population.filter).length ? `[${Object.entries(group.population.filter).map(([k, v]) => `${k}=${v}`).join(',')}]` : ''}` : null, period: popPeriod } : null,
    rows,
    coverage: coverageOf(rows, at),
    overlaps: overlapsOf(rows).map((r) => ({ ...r, needLabel: label(r.needClass) })),
  };
}

/** `measures gaps --format csv`: area, name, need_class, running_measures, budget (ranked by need). */
export function gapsToCsv(a: NeedAnswer, delimiter: Delimiter = ';'): string {
  const dec = delimiter === ';' ? ',' : '.';
  const lines = [csvLine(['area', 'name', 'need_class', 'running_measures', 'budget'], delimiter)];
  for (const r of a.rows) lines.push(csvLine([r.code, r.name, r.needLabel ?? '', r.runningMeasures, euroText(r.budgetCents, dec)], delimiter));
  return lines.join('\n') + '\n';
}

/**
 * The same table as an Excel workbook: codes as text, euros as numbers with two decimals, and a
 * sheet saying what was asked (layer, date, need, filters), the coverage and the source.
 */
export async function gapsToXlsx(a: NeedAnswer, filter: MeasureFilter = {}): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kommunalmonitor';
  const ws = wb.addWorksheet('Lücken');
  ws.columns = [
    { header: 'area', key: 'area', width: 12 },
    { header: 'name', key: 'name', width: 28 },
    { header: 'need_class', key: 'need', width: 16 },
    { header: 'running_measures', key: 'running', width: 16 },
    { header: 'budget (EUR)', key: 'budget', width: 16 },
    { header: 'target_population', key: 'population', width: 16 },
    { header: 'budget_per_head (EUR)', key: 'perHead', width: 18 },
    { header: 'measures', key: 'measures', width: 60 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of a.rows) {
    const row = ws.addRow({ area: r.code, name: r.name, need: r.needLabel ?? '', running: r.runningMeasures, budget: r.budgetCents / 100, population: r.targetPopulation, perHead: r.budgetPerHead, measures: r.measures.join(', ') });
    row.getCell('area').numFmt = '@';
    row.getCell('budget').numFmt = '#,##0.00';
    row.getCell('perHead').numFmt = '#,##0.00';
  }
  const meta = wb.addWorksheet('Metadaten');
  meta.columns = [{ width: 28 }, { width: 80 }];
  const c = a.coverage;
  const rows: [string, string][] = [
    ['Ebene (layer)', a.layer],
    ['Stichtag (at)', a.at],
    ['Bedarf (need)', a.need.priority ? `priority:${a.need.priority}` : (a.need.indicator ?? '—')],
    ['Zeitraum des Bedarfs', a.need.period ?? '—'],
    ['Klassen hohen Bedarfs', a.need.classes.join(', ') || '—'],
    ['Handlungsfeld', filter.field ?? 'alle'],
    ['Zielgruppe', a.targetGroup ? `${a.targetGroup.code}${a.targetGroup.population ? ` (${a.targetGroup.population}, ${a.targetGroup.period ?? '—'})` : ''}` : 'alle'],
    ['Fachbereich', filter.department ?? 'alle'],
    ['Stand der Maßnahme', filter.status ?? 'alle'],
    ['Erreichungsquote', c.share === null ? '—' : `${(c.share * 100).toFixed(1).replace('.', ',')} % (${c.reached} von ${c.population})`],
    ['Lücken', `${a.rows.filter((r) => r.runningMeasures === 0).length} von ${a.rows.length} Gebieten`],
    ['Quelle', 'Maßnahmenregister (Kommunalmonitor); Budget: Planwert des Jahres des Stichtags, je Gebiet anteilig'],
  ];
  for (const r of rows) meta.addRow(r).getCell(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The coverage over time as CSV: date;population;reached;share;areas;areas_reached (share in percent). */
export function coverageToCsv(rows: Coverage[], delimiter: Delimiter = ';'): string {
  const dec = delimiter === ';' ? ',' : '.';
  const lines = [csvLine(['date', 'population', 'reached', 'share', 'areas', 'areas_reached'], delimiter)];
  for (const c of rows) lines.push(csvLine([c.date, c.population, c.reached, c.share === null ? '' : (c.share * 100).toFixed(1).replace('.', dec), c.areas, c.areasReached], delimiter));
  return lines.join('\n') + '\n';
}

/** Coverage at several dates (a time series for leadership). */
export async function coverageOverTime(db: Queryable, who: Principal, o: Omit<NeedOptions, 'at'>, dates: string[]): Promise<Coverage[]> {
  const out: Coverage[] = [];
  for (const d of dates) out.push((await measuresAgainstNeed(db, who, { ...o, at: d })).coverage);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Priority areas

function priorityAt(versions: PriorityVersion[], date: string): PriorityVersion | undefined {
  let found: PriorityVersion | undefined;
  for (const v of versions) if (v.validFrom <= date) found = v;
  return found;
}

/**
 * Designates priority areas from a date on: by rule (areas of the layer whose class of
 * `indicator` is among `classes`, read on `validFrom`) or by hand (`codes`).
 */
export async function setPriorityAreas(
  db: Database,
  who: Principal,
  o: { key: string; name: string; layer: string; validFrom: string; indicator?: string; classes?: string[]; codes?: string[] },
): Promise<PriorityVersion> {
  if (who.kind === 'anonymous') throw new Unauthorized();
  if (who.kind === 'user' && who.role !== 'admin' && who.role !== 'steward') throw new Forbidden(coded('priority-areas-forbidden'));
  if (!/^[a-z][a-z0-9_]*$/.test(o.key)) throw new InputRejected([{ severity: 'error', code: 'bad-key', value: o.key, reason: 'not a key', hint: 'lower case letters, digits, _' }]);
  const validFrom = isoDate(o.validFrom, '--valid-from');
  let codes: string[];
  let rule: Record<string, unknown> | null = null;
  if (o.indicator) {
    const a = await measuresAgainstNeed(db, who, { layer: o.layer, need: o.indicator, classes: o.classes, at: validFrom });
    codes = a.rows.map((r) => r.code).sort();
    rule = { indicator: o.indicator, classes: o.classes ?? [], period: a.need.period };
  } else {
    const known = await currentAreaCodes(db, o.layer);
    const bad = (o.codes ?? []).filter((c) => !known.has(c));
    if (bad.length) throw new InputRejected([{ severity: 'error', code: 'unknown-area', column: '--areas', value: bad.join(', '), reason: `not an area of "${o.layer}"` }]);
    codes = [...new Set(o.codes ?? [])].sort();
  }
  const v: PriorityVersion = { key: o.key, name: o.name, layer: o.layer, validFrom, rule, codes, createdBy: principalName(who) };
  await db.transaction(async (tx) => {
    const batch = await startBatch(tx, 'measures', null, { priority: o.key, validFrom }, principalName(who));
    await insertPriorityVersion(tx, v);
    await finishBatch(tx, batch, { rowsRead: codes.length, inserted: 1, updated: 0, unchanged: 0 });
    await audit(tx, who, { action: 'priority-areas.set', objectType: 'priority_areas', objectKey: o.key, batchId: batch, details: { validFrom, layer: o.layer, areas: codes.length, rule } });
  });
  return v;
}

export async function priorityAreas(db: Queryable, key?: string): Promise<PriorityVersion[]> {
  return selectPriorityVersions(db, key);
}
