// Reading measure files: 360Giving JSON or flat CSV, the department template (CSV/XLSX) and
// Decidim accountability CSV, into measures with where they came from (line or JSON path).
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Queryable } from '../store/db.ts';
import type { Principal } from '../core/access.ts';
import { ProblemList } from '../core/problems.ts';
import {
  parseEuroCents,
  type Measure,
  type MeasureLocation,
  type MeasureStatus,
  type VocabularyEntry,
} from '../core/measures.ts';
import { grantToMeasure, grantsOf, unflattenGrant } from '../formats/giving360.ts';
import { checkGiving360 } from '../formats/giving360-schema.ts';
import { openTable, rowWidthProblem, type Cell } from '../formats/table.ts';
import { cellText } from '../formats/columns.ts';
import { foldText } from '../core/address/normalize.ts';
import { parsePeriod } from '../core/periods.ts';
import { areaNames, versionValidAt } from '../store/catalog.ts';
import { snapshot } from './snapshot.ts';

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

/** A measure read from a file, with where it came from (line or JSON path). */
export interface ReadMeasure {
  measure: Measure;
  line?: number;
  path?: string;
}

export function detectFormat(path: string, columns?: string[]): MeasureFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return '360giving';
  if (ext === '.xlsx') return 'template';
  const cols = new Set((columns ?? []).map((c) => c.trim()));
  if (cols.has('id') && [...cols].some((c) => c.startsWith('fundingOrganization/'))) return '360giving-csv';
  if ([...cols].some((c) => /^title\/[a-z]{2}/.test(c)) && (cols.has('progress') || cols.has('start_date')))
    return 'decidim';
  return 'template';
}

export async function read360Json(
  path: string,
  file: string,
  problems: ProblemList,
  schemaDir?: string,
): Promise<ReadMeasure[]> {
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
    for (const p of r.problems)
      problems.error({
        code: 'bad-record',
        file,
        column: `grants/${i}/${p.field}`,
        value: p.value,
        reason: p.reason,
        hint: p.hint,
      });
    return { measure: r.measure, path: `grants/${i}` };
  });
}

async function readRows(
  path: string,
  file: string,
  problems: ProblemList,
): Promise<{ columns: string[]; rows: { line: number; cells: Cell[] }[] }> {
  const table = await openTable(path, { displayName: file });
  const rows: { line: number; cells: Cell[] }[] = [];
  for await (const row of table.rows) {
    const w = rowWidthProblem(table, row);
    if (w) problems.add(w);
    else rows.push(row);
  }
  return { columns: table.columns, rows };
}

export async function read360Csv(path: string, file: string, problems: ProblemList): Promise<ReadMeasure[]> {
  const { columns, rows } = await readRows(path, file, problems);
  return rows.map((row) => {
    const { grant, problems: ps } = unflattenGrant(
      columns,
      row.cells.map((c) => cellText(c)),
    );
    for (const p of ps)
      problems.error({ code: 'bad-number', file, line: row.line, column: p.column, value: p.value, reason: p.reason });
    const r = grantToMeasure(grant);
    for (const p of r.problems)
      problems.error({
        code: 'bad-record',
        file,
        line: row.line,
        column: p.field,
        value: p.value,
        reason: p.reason,
        hint: p.hint,
      });
    return { measure: r.measure, line: row.line };
  });
}

const headerKey = (h: string) =>
  foldText(h)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');

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
export const TEMPLATE_FIELD: Record<string, string> = {
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

export async function readTemplate(
  path: string,
  file: string,
  problems: ProblemList,
  o: ImportMeasuresOptions,
  vocab: VocabularyEntry[],
): Promise<ReadMeasure[]> {
  const { columns, rows } = await readRows(path, file, problems);
  const idx = new Map(columns.map((c, i) => [headerKey(c), i]));
  for (const required of ['Kennung', 'Titel'])
    if (!idx.has(headerKey(required)))
      problems.error({
        code: 'missing-column',
        file,
        line: 1,
        value: required,
        reason: `the column "${required}" is missing`,
        params: { column: required },
        hint: `the template's columns: ${TEMPLATE_COLUMNS.join('; ')}; budget as "Budget 2024 geplant" / "Budget 2024 ausgegeben"`,
      });
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
      if (!m)
        problems.error({
          code: 'bad-area',
          ...at('Gebiete'),
          value: a,
          reason: 'an area is written as layer:code',
          hint: 'e.g. stadtteil:0101, block:01010001',
        });
      else locations.push({ kind: 'area', layer: m[1], code: m[2], name: null });
    }
    for (const a of splitList(get('Adressen'), /[|\n]/))
      locations.push({ kind: 'address', address: a, x: null, y: null, name: null, codes: {} });
    const budget = new Map<number, { year: number; plannedCents: number | null; spentCents: number | null }>();
    for (const b of budgetCols) {
      const t = cellText(row.cells[b.i]).trim();
      if (!t) continue;
      const cents =
        typeof row.cells[b.i] === 'number' ? Math.round((row.cells[b.i] as number) * 100) : parseEuroCents(t, ',');
      if (cents === null || cents < 0) {
        problems.error({
          code: 'bad-amount',
          ...at(columns[b.i]),
          value: t,
          reason: 'not an amount in EUR',
          hint: 'write 12.345,67 or 12345,67 (at most two decimals, no minus)',
        });
        continue;
      }
      const e =
        budget.get(b.year) ?? budget.set(b.year, { year: b.year, plannedCents: null, spentCents: null }).get(b.year)!;
      e[b.kind] = cents;
    }
    const providerName = get('Träger');
    const status = get('Status').toLowerCase();
    const planned = {
      start: dateCell(get('Beginn geplant'), problems, at('Beginn geplant')),
      end: dateCell(get('Ende geplant'), problems, at('Ende geplant')),
    };
    const actual = {
      start: dateCell(get('Beginn tatsächlich'), problems, at('Beginn tatsächlich')),
      end: dateCell(get('Ende tatsächlich'), problems, at('Ende tatsächlich')),
    };
    const conf = get('Vertraulichkeit').toLowerCase();
    const confMap: Record<string, Measure['confidentiality']> = {
      '': 'internal',
      public: 'public',
      oeffentlich: 'public',
      öffentlich: 'public',
      internal: 'internal',
      intern: 'internal',
      restricted: 'restricted',
      vertraulich: 'restricted',
    };
    if (!(conf in confMap))
      problems.error({
        code: 'bad-value',
        ...at('Vertraulichkeit'),
        value: conf,
        reason: 'unknown confidentiality',
        hint: 'öffentlich, intern or vertraulich',
      });
    const measure: Measure = {
      key: get('Kennung'),
      title: get('Titel'),
      description: get('Beschreibung'),
      department:
        get('Fachbereich') || o.department || (o.principal?.kind === 'user' ? (o.principal.department ?? '') : ''),
      departmentName: null,
      provider: providerName ? { id: get('Träger-Kennung') || providerName, name: providerName } : null,
      programme: get('Förderprogramm')
        ? { code: headerKey(get('Förderprogramm')), title: get('Förderprogramm') }
        : null,
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
const plain = (t: string) =>
  t
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Decidim's accountability results (CSV export/import of the component): id, title/<locale>,
 * description/<locale>, start_date, end_date, status/name/<locale>, progress, scope/name/<locale>,
 * category/name/<locale>, reference, url. German columns first, then English.
 */
export async function readDecidim(
  path: string,
  file: string,
  problems: ProblemList,
  o: ImportMeasuresOptions,
  db: Queryable,
  vocab: VocabularyEntry[],
): Promise<ReadMeasure[]> {
  const { columns, rows } = await readRows(path, file, problems);
  const pick = (base: string) =>
    [`${base}/de`, `${base}/en`, base].map((c) => columns.indexOf(c)).find((i) => i >= 0) ?? -1;
  const col = {
    id: columns.indexOf('id'),
    title: pick('title'),
    description: pick('description'),
    start: columns.indexOf('start_date'),
    end: columns.indexOf('end_date'),
    status: pick('status/name'),
    progress: columns.indexOf('progress'),
    scope: pick('scope/name'),
    category: pick('category/name'),
    reference: columns.indexOf('reference'),
    url: columns.indexOf('url'),
  };
  if (col.id < 0 || col.title < 0)
    problems.error({
      code: 'missing-column',
      file,
      line: 1,
      reason: 'a Decidim accountability CSV has the columns id and title/<locale>',
      hint: `the file has: ${columns.join(', ')}`,
    });
  const department = o.department ?? (o.principal?.kind === 'user' ? o.principal.department : null);
  if (!department)
    problems.error({
      code: 'missing-option',
      file,
      reason: 'Decidim results name no department',
      hint: '--department KEY',
    });
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
      if (!code)
        problems.error({
          code: 'unknown-area',
          ...at(col.scope),
          value: scope,
          reason: `no area of "${layer}" has the name "${scope}"`,
          params: { area: scope, layer },
          hint: 'name the layer of the scopes with --scope-layer',
        });
      else locations.push({ kind: 'area', layer, code, name: scope });
    }
    const fields: string[] = [];
    const category = get(col.category);
    if (category) {
      const f = foldText(category);
      const v = vocab.find(
        (x) =>
          x.kind === 'handlungsfeld' &&
          (x.code === category || foldText(x.title) === f || foldText(x.titleEn ?? '') === f),
      );
      if (!v)
        problems.error({
          code: 'unknown-field',
          ...at(col.category),
          value: category,
          reason: `the category "${category}" is no field of action`,
          hint: `known: ${vocab
            .filter((x) => x.kind === 'handlungsfeld')
            .map((x) => x.title)
            .join(', ')}`,
        });
      else fields.push(v.code);
    }
    const dates = {
      start: dateCell(get(col.start), problems, at(col.start)),
      end: dateCell(get(col.end), problems, at(col.end)),
    };
    const progress = Number(get(col.progress).replace(',', '.'));
    const statusName = foldText(get(col.status));
    const status: MeasureStatus = /abgebrochen|cancel/.test(statusName)
      ? 'abgebrochen'
      : progress >= 100 || /abgeschlossen|fertig|complete|done/.test(statusName)
        ? 'abgeschlossen'
        : /geplant|planung|plan|not started|nicht begonnen/.test(statusName)
          ? 'geplant'
          : 'laufend';
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
      actual:
        status === 'geplant'
          ? { start: null, end: null }
          : { start: dates.start, end: status === 'abgeschlossen' || status === 'abgebrochen' ? dates.end : null },
      confidentiality: 'public',
      contact: { role: null, email: null },
      budget: [],
      locations,
      fields,
      targetGroups: [],
      goals:
        Number.isFinite(progress) && get(col.progress)
          ? [
              {
                title: 'Fortschritt (Decidim)',
                indicator: null,
                unit: '%',
                baseline: 0,
                target: 100,
                actuals: [{ period: new Date().toISOString().slice(0, 4), value: progress }],
              },
            ]
          : [],
      milestones: [],
      links: url ? [{ title: 'Decidim', url }] : [],
      extra: {},
    };
    return { measure, line: row.line };
  });
}
