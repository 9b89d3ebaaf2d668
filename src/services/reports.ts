// Reports (issue 16): the shipped templates made into reports, resolving a report's blocks
// against the data (every value read through the monitor's read services, so disclosure control
// and rights apply exactly as in the monitor), the workflow draft → review → published release,
// and the replacement plan. One use case, one transaction.
import { createHash } from 'node:crypto';
import { publicTopics, todayInGermany } from './forum.ts';
import { ANSWER_LABELS } from '../core/forum.ts';
import type { Database, Queryable } from '../store/db.ts';
import { areasGeoJson } from './catalogue-read.ts';
import { getAreaProfile, getObservations, getTimeSeries, guardOf, requireIndicator, requireReadable } from './query.ts';
import { snapshot } from './snapshot.ts';
import { germanReason } from '../core/reasons.ts';
import { inTransaction } from './transaction.ts';
import { readSetting } from '../store/settings.ts';
import * as store from '../store/reports.ts';
import { ANONYMOUS, canWrite, type Principal } from '../core/access.ts';
import { Conflict, Forbidden, InputRejected, NotFound, Unauthorized, type Problem } from '../core/problems.ts';
import type { IndicatorMeta, ObservationsAnswer, TimeSeriesAnswer, ValueStatus, DisclosureMark, ProfileAnswer, AreaFeatureCollection } from '../core/answers.ts';
import { bindParams, checkDefinition, footnoteMark, indicatorsOf, type BlockSpec, type Cell, type DocIndicator, type ReportDefinition, type ResolvedBlock, type ResolvedReport } from '../core/report/model.ts';
import { parseMarkdown, placeholderIndicators, placeholdersIn, replacePlaceholders } from '../core/report/markdown.ts';
import { SHIPPED_TEMPLATES, shippedTemplate } from '../core/report/templates.ts';
import { designFrom, DESIGN_SETTING, type ReportDesign } from '../core/report/design.ts';
import { formatCell, formatChange, formatNumber, formatPeriod, inlineUnit } from '../../web/src/lib/format.ts';
import { buildScheme, classOf } from '../../web/src/lib/classify.ts';
import { project, type Shape } from '../../web/src/lib/geo.ts';
import { typeColor, typesOfLineage } from '../../web/src/lib/typology.ts';
import { computeIndexFor, storedIndex } from './analysis.ts';
import { facilitiesGeoJson } from './facilities-read.ts';
import { resolveMeasuresBlock } from './report-measures.ts';

export type { ResolvedReport } from '../core/report/model.ts';

// ---------------------------------------------------------------------------------------------
// Templates and reports

export interface TemplateInfo {
  key: string;
  title: string;
  description: string;
  parameters: { name: string; layer: string }[];
}

export function listTemplates(): TemplateInfo[] {
  return SHIPPED_TEMPLATES.map((t) => ({ key: t.key, title: t.definition.title, description: t.description, parameters: t.definition.parameters.map((p) => ({ name: p.name, layer: p.layer })) }));
}

/** Makes a shipped template a report of this installation, once (nothing when it exists). */
async function installTemplate(tx: Queryable, key: string): Promise<void> {
  const t = shippedTemplate(key);
  if (!t || (await store.reportByKey(tx, key))) return;
  const d = t.definition;
  const owner = d.owner && (await store.departmentExists(tx, d.owner)) ? d.owner : null;
  const id = await store.insertReport(tx, { key: d.key, title: d.title, owner, template: t.key, parameters: d.parameters });
  if (id !== null) await store.insertVersion(tx, id, d, 'template');
}

/** The report (a shipped template is installed on first use). */
export async function requireReport(db: Database, key: string): Promise<store.ReportRow> {
  let r = await store.reportByKey(db, key);
  if (!r && shippedTemplate(key)) {
    await inTransaction(db, false, (tx) => installTemplate(tx, key));
    r = await store.reportByKey(db, key);
  }
  if (!r) throw new NotFound(`The report "${key}" does not exist.`);
  return r;
}

async function requireDraft(db: Queryable, r: store.ReportRow): Promise<{ id: number; version: number; definition: ReportDefinition }> {
  const v = await store.loadVersion(db, r);
  if (!v) throw new NotFound(`The report "${r.key}" has no content yet.`);
  return v;
}

export function requireWrite(who: Principal, r: store.ReportRow): void {
  const d = canWrite(who, r.owner);
  if (d === 'unauthenticated') throw new Unauthorized();
  if (d === 'forbidden') throw new Forbidden(`Only administrators and the stewards of the department "${r.owner ?? '—'}" may change the report "${r.key}".`);
}

export interface ReportInfo {
  key: string;
  title: string;
  owner: string | null;
  template: string | null;
  status: store.ReportStatus;
  parameters: { name: string; layer: string }[];
  releases: { number: number; publishedAt: string; changeNote: string | null; documents: number }[];
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
  const byNumber = new Map<number, { number: number; publishedAt: string; changeNote: string | null; documents: number }>();
  for (const x of rel) {
    const e = byNumber.get(x.number) ?? { number: x.number, publishedAt: x.publishedAt, changeNote: x.changeNote, documents: 0 };
    e.documents++;
    byNumber.set(x.number, e);
  }
  return { key: r.key, title: r.title, owner: r.owner, template: r.template, status: r.status, parameters: r.parameters.map((p) => ({ name: p.name, layer: p.layer })), releases: [...byNumber.values()] };
}

export async function getReport(db: Database, who: Principal, key: string): Promise<ReportInfo & { definition: ReportDefinition; version: number }> {
  const r = await requireReport(db, key);
  const v = await requireDraft(db, r);
  await requireVisible(db, who, r, v.definition);
  return { ...(await reportInfo(db, r)), definition: v.definition, version: v.version };
}

/** Every indicator a definition names (placeholders, queries); the profile block names none. */
function indicatorKeys(d: ReportDefinition): string[] {
  const keys = new Set<string>();
  for (const s of d.sections) for (const b of s.blocks) for (const k of indicatorsOf(b.spec, placeholderIndicators)) keys.add(k);
  return [...keys];
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
async function requireVisible(db: Queryable, who: Principal, r: store.ReportRow | null, d: ReportDefinition): Promise<void> {
  const s = await snapshot(db);
  for (const key of indicatorKeys(d)) {
    if (!s.indicatorByKey.has(key)) continue;
    try {
      await requireReadable(db, s, who, key);
    } catch (e) {
      if (e instanceof Unauthorized) throw new Unauthorized(`The report "${d.key}" is internal: please sign in.`);
      if (e instanceof NotFound) throw new NotFound(`The report "${d.key}" does not exist.`);
      throw e;
    }
  }
  void r;
}

// ---------------------------------------------------------------------------------------------
// Resolving blocks against the data

/** Reads through the monitor's services, each answer once per rendering (also across areas). */
export class ReportReader {
  private obsCache = new Map<string, Promise<ObservationsAnswer>>();
  private seriesCache = new Map<string, Promise<TimeSeriesAnswer>>();
  private shapesCache = new Map<string, Promise<AreaFeatureCollection>>();
  constructor(
    readonly db: Database,
    readonly who: Principal,
  ) {}
  obs(indicator: string, layer: string, period?: string, filter?: Record<string, string>): Promise<ObservationsAnswer> {
    const k = JSON.stringify([indicator, layer, period ?? null, filter ?? {}]);
    let p = this.obsCache.get(k);
    if (!p) this.obsCache.set(k, (p = getObservations(this.db, { indicator, layer, period, filter }, this.who)));
    return p;
  }
  series(indicator: string, layer: string, area: string): Promise<TimeSeriesAnswer> {
    const k = JSON.stringify([indicator, layer, area]);
    let p = this.seriesCache.get(k);
    if (!p) this.seriesCache.set(k, (p = getTimeSeries(this.db, { indicator, layer, area }, this.who)));
    return p;
  }
  profile(layer: string, area: string): Promise<ProfileAnswer> {
    return getAreaProfile(this.db, { layer, area }, this.who);
  }
  shapes(layer: string, at: string): Promise<AreaFeatureCollection> {
    const k = `${layer}@${at}`;
    let p = this.shapesCache.get(k);
    if (!p) this.shapesCache.set(k, (p = at === 'current' ? areasGeoJson(this.db, layer, undefined, false) : areasGeoJson(this.db, layer, at)));
    return p;
  }
}

interface Collect {
  statuses: Set<ValueStatus>;
  sources: Set<string>;
  /** The current block's footnotes, in the order of their first cell. */
  notes: string[];
}

/** Reasons whose text says no more than the value's symbol: no footnote for them. */
const PLAIN_REASONS = new Set(['geheim gehalten', 'fehlt', 'keine Daten', 'geheim gehalten (Geheimhaltung)']);

function docIndicator(m: IndicatorMeta, period: string, referenceDate: string, c: Collect): DocIndicator {
  if (m.source) c.sources.add(m.source);
  return { key: m.key, name: m.name, unit: m.unit, decimals: m.decimals, polarity: m.polarity, source: m.source, period, referenceDate, methodology: m.methodology };
}

function cellOf(v: { value: number | null; status: ValueStatus; reason?: string; disclosure?: DisclosureMark }, m: { unit: string; decimals: number | null }, c: Collect): Cell {
  c.statuses.add(v.status);
  const text = formatCell(v.value, v.status, m.decimals, inlineUnit(m.unit), 'de', v.disclosure);
  const note = germanReason(v.reason);
  if (!note || PLAIN_REASONS.has(note)) return { value: v.value, status: v.status, text };
  let n = c.notes.indexOf(note);
  if (n < 0) n = c.notes.push(note) - 1;
  return { value: v.value, status: v.status, text: `${text}${footnoteMark(n + 1)}` };
}

function signed(diff: number, decimals: number | null, unit: string): string {
  const d = decimals ?? 1;
  if (Number(Math.abs(diff).toFixed(d)) === 0) return `±${formatChange(0, d, unit)}`;
  return `${diff < 0 ? '−' : '+'}${formatChange(Math.abs(diff), d, inlineUnit(unit) ?? (unit === '%' ? '%' : null))}`;
}

function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

async function areaName(rd: ReportReader, layer: string, code: string): Promise<string> {
  const fc = await rd.shapes(layer, 'current');
  const f = fc.features.find((x) => x.properties.code === code);
  if (!f) throw new NotFound(`The area ${code} does not exist in layer "${layer}".`);
  return f.properties.name;
}

/** The single area of a layer when no area is given (the city layer), else the given code. */
async function areaOrOnly(rd: ReportReader, layer: string, area: string | undefined): Promise<string | null> {
  if (area) return area;
  const fc = await rd.shapes(layer, 'current');
  return fc.features.length === 1 ? fc.features[0].properties.code : null;
}

async function resolveText(rd: ReportReader, key: string, markdown: string, defaultLayer: string, c: Collect): Promise<ResolvedBlock> {
  const texts: string[] = [];
  for (const p of placeholdersIn(markdown)) {
    const layer = p.options.layer ?? defaultLayer;
    if (p.fn === 'name') {
      texts.push(p.options.area ? await areaName(rd, layer, p.options.area) : '');
    } else if (p.fn === 'value' && p.arg) {
      const o = await rd.obs(p.arg, layer, p.options.period);
      const v = p.options.area ? o.values.find((x) => x.area === p.options.area) : o.city;
      if (!v) throw new NotFound(`The area ${p.options.area} does not exist in layer "${layer}".`);
      docIndicator(o.indicator, o.period.key, o.referenceDate, c);
      texts.push(formatCell(v.value, v.status, o.indicator.decimals, inlineUnit(o.indicator.unit), 'de', v.disclosure));
      c.statuses.add(v.status);
    } else if (p.fn === 'period' && p.arg) {
      const o = await rd.obs(p.arg, layer, p.options.period);
      texts.push(formatPeriod(o.period.key));
    } else {
      throw new InputRejected([{ severity: 'error', code: 'bad-request', reason: `unknown placeholder "{{ ${p.fn} … }}"`, hint: 'use value, name or period' }], `Block "${key}": unknown placeholder "${p.fn}".`);
    }
  }
  return { key, type: 'text', content: parseMarkdown(replacePlaceholders(markdown, (_p, i) => texts[i])) };
}

async function resolveBlock(rd: ReportReader, key: string, spec: BlockSpec, defaultLayer: string, c: Collect): Promise<ResolvedBlock> {
  switch (spec.type) {
    case 'text':
      return resolveText(rd, key, spec.markdown, defaultLayer, c);
    case 'key-figure': {
      const area = await areaOrOnly(rd, spec.layer, spec.area);
      if (!area) throw new InputRejected([{ severity: 'error', code: 'bad-request', reason: `block "${key}" needs an area` }], `Block "${key}" needs an area.`);
      const tiles: Extract<ResolvedBlock, { type: 'key-figure' }>['tiles'] = [];
      let name = '';
      for (const ind of spec.indicators) {
        const o = await rd.obs(ind, spec.layer);
        const own = o.values.find((x) => x.area === area);
        if (!own) throw new NotFound(`The area ${area} does not exist in layer "${spec.layer}".`);
        name = own.name;
        const m = o.indicator;
        const value = cellOf(own, m, c);
        let earlier: Extract<ResolvedBlock, { type: 'key-figure' }>['tiles'][number]['earlier'] = null;
        const ts = await rd.series(ind, spec.layer, area);
        const idx = ts.points.findIndex((p) => p.period === o.period.key);
        const before = spec.compare && spec.compare !== 'previous' ? ts.points.find((p) => p.period === spec.compare) : idx > 0 ? ts.points[idx - 1] : undefined;
        if (before) {
          const ev = cellOf(before, m, c);
          const change = own.value !== null && before.value !== null ? signed(own.value - before.value, m.decimals, m.unit) : null;
          earlier = { period: formatPeriod(before.period), value: ev, change };
        }
        const single = (await rd.shapes(spec.layer, 'current')).features.length === 1;
        const city = single ? null : cellOf(o.city, m, c);
        const againstCity = !single && m.type !== 'count' && own.value !== null && o.city.value !== null ? signed(own.value - o.city.value, m.decimals, m.unit) : null;
        tiles.push({ indicator: docIndicator(m, o.period.key, o.referenceDate, c), value, earlier, city, againstCity });
      }
      return { key, type: 'key-figure', title: spec.title ?? null, areaName: name, tiles };
    }
    case 'data': {
      const inds = spec.view === 'line' ? spec.indicators.slice(0, 1) : spec.indicators;
      if (spec.view === 'line') {
        const o = await rd.obs(inds[0], spec.layer, undefined, spec.filter);
        const codes = spec.areas === 'all' ? o.values.map((v) => v.area) : spec.areas;
        const series = await Promise.all(codes.map((a) => rd.series(inds[0], spec.layer, a)));
        const periods = [...new Set(series.flatMap((s) => s.points.map((p) => p.period)))].sort();
        const names = new Map(o.values.map((v) => [v.area, v.name]));
        const rows = series.map((s) => ({
          code: s.area,
          name: names.get(s.area) ?? s.area,
          cells: periods.map((p) => {
            const pt = s.points.find((x) => x.period === p);
            return cellOf(pt ?? { value: null, status: 'missing' }, o.indicator, c);
          }),
        }));
        let city: { name: string; cells: Cell[] } | null = null;
        if (spec.withCity) {
          const cells: Cell[] = [];
          for (const p of periods) cells.push(cellOf((await rd.obs(inds[0], spec.layer, p, spec.filter)).city, o.indicator, c));
          city = { name: 'Gesamtstadt', cells };
        }
        return {
          key,
          type: 'data',
          title: spec.title,
          view: 'line',
          indicators: [docIndicator(o.indicator, o.period.key, o.referenceDate, c)],
          columns: periods.map((p) => formatPeriod(p)),
          periods,
          rows,
          city,
        };
      }
      const answers = await Promise.all(inds.map((i) => rd.obs(i, spec.layer, spec.period, spec.filter)));
      const codes = spec.areas === 'all' ? answers[0].values.map((v) => v.area) : spec.areas;
      const rows = codes.map((code) => {
        const first = answers[0].values.find((v) => v.area === code);
        if (!first) throw new NotFound(`The area ${code} does not exist in layer "${spec.layer}".`);
        return { code, name: first.name, cells: answers.map((a) => cellOf(a.values.find((v) => v.area === code)!, a.indicator, c)) };
      });
      const single = answers[0].values.length === 1;
      return {
        key,
        type: 'data',
        title: spec.title,
        view: spec.view,
        indicators: answers.map((a) => docIndicator(a.indicator, a.period.key, a.referenceDate, c)),
        columns: answers.map((a) => (inlineUnit(a.indicator.unit) ? a.indicator.name : `${a.indicator.name} (${a.indicator.unit})`)),
        rows,
        city: spec.withCity && !single ? { name: 'Gesamtstadt', cells: answers.map((a) => cellOf(a.city, a.indicator, c)) } : null,
      };
    }
    case 'spine': {
      const rows: Extract<ResolvedBlock, { type: 'spine' }>['rows'] = [];
      let name = '';
      for (const ind of spec.indicators) {
        const o = await rd.obs(ind, spec.layer);
        const own = o.values.find((x) => x.area === spec.area);
        if (!own) throw new NotFound(`The area ${spec.area} does not exist in layer "${spec.layer}".`);
        name = own.name;
        const xs = o.values.map((v) => v.value).filter((v): v is number => v !== null).sort((a, b) => a - b);
        rows.push({
          indicator: docIndicator(o.indicator, o.period.key, o.referenceDate, c),
          value: cellOf(own, o.indicator, c),
          city: cellOf(o.city, o.indicator, c),
          min: xs[0] ?? null,
          q1: quantile(xs, 0.25),
          q3: quantile(xs, 0.75),
          max: xs.length ? xs[xs.length - 1] : null,
          areas: xs.length,
        });
      }
      return { key, type: 'spine', title: spec.title, areaName: name, rows };
    }
    case 'map':
      return resolveMap(rd, key, spec, c);
    case 'typology': {
      const indicator = `${spec.typology}_typ`;
      const i = (await snapshot(rd.db)).indicatorByKey.get(indicator);
      const lineage = i?.lineage as { kind?: string; layer?: string } | null | undefined;
      if (!i || lineage?.kind !== 'typology') throw new NotFound(`The typology "${spec.typology}" is not saved (no indicator "${indicator}"); save it with typology save.`);
      return resolveMap(rd, key, { title: spec.title, indicator, layer: spec.layer ?? lineage.layer ?? defaultLayer, highlight: spec.highlight }, c);
    }
    case 'index':
      return resolveIndex(rd, key, spec, c);
    case 'facilities':
      return resolveFacilities(rd, key, spec);
    case 'profile': {
      const p = await rd.profile(spec.layer, spec.area);
      const themes = p.themes
        .filter((t) => !spec.themes || spec.themes.includes(t.theme))
        .map((t) => ({
          theme: t.theme,
          rows: t.entries.map((e) => ({
            indicator: docIndicator(e.indicator, e.period ?? '', e.referenceDate ?? '', c),
            value: cellOf(e, e.indicator, c),
            city: cellOf({ value: e.cityValue, status: e.cityValue === null ? 'missing' : 'final' }, e.indicator, c),
            rank: e.rank === null ? '–' : `${e.rank} von ${e.rankOf}`,
          })),
        }));
      return { key, type: 'profile', title: spec.title, areaName: p.area.name, themes };
    }
    case 'topics': {
      const name = await areaName(rd, spec.layer, spec.area);
      const today = todayInGermany();
      const de = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
      const topics = (await publicTopics(rd.db, { layer: spec.layer, area: spec.area }, today)).map((x) => ({
        title: x.title,
        raised: de(x.raisedOn),
        supports: x.supports === null ? 'weniger als 5' : String(x.supports),
        department: x.departmentName ?? 'noch nicht zugewiesen',
        status: x.answer ? ANSWER_LABELS[x.answer.status] : 'noch keine Antwort',
        answer: x.answer?.text ?? null,
        reasons: x.answer?.reasons ?? null,
        due: x.due && (!x.answer || x.answer.status === 'in_pruefung') ? de(x.due) : null,
        overdue: x.overdue,
      }));
      return { key, type: 'topics', title: spec.title, areaName: name, topics };
    }
    case 'measures':
      return resolveMeasuresBlock(rd.db, rd.who, key, spec, await areaName(rd, spec.layer, spec.area), todayInGermany());
  }
}

/**
 * A choropleth map of one indicator; a saved typology (its lineage names the types) is drawn by
 * type — one colour and description per type — instead of in classes of numbers.
 */
async function resolveMap(rd: ReportReader, key: string, spec: { title: string; indicator: string; layer: string; period?: string; highlight?: string; classes?: number }, c: Collect): Promise<ResolvedBlock> {
  const o = await rd.obs(spec.indicator, spec.layer, spec.period);
  const fc = await rd.shapes(spec.layer, o.referenceDate);
  const shapes: Shape[] = fc.features.map((f) => ({ code: f.properties.code, name: f.properties.name, geometry: f.geometry as Shape['geometry'], bbox: f.bbox }));
  const drawing = project(shapes, { width: 600, height: 450, pad: 6 });
  const m = o.indicator;
  const byCode = new Map(o.values.map((v) => [v.area, v]));
  const types = typesOfLineage(m.lineage);
  let legend: { label: string; color: string }[];
  let klassOf: (v: number) => number | null;
  let cellFor: (v: { value: number | null; status: ValueStatus; disclosure?: DisclosureMark }) => Cell = (v) => cellOf(v, m, c);
  if (types) {
    legend = types.map((t) => ({ label: `Typ ${t.type}: ${t.description}`, color: typeColor(t.type) }));
    klassOf = (v) => {
      const i = types.findIndex((t) => t.type === v);
      return i < 0 ? null : i;
    };
    cellFor = (v) => {
      const cell = cellOf(v, m, c);
      return v.value === null ? cell : { ...cell, text: `Typ ${v.value}` };
    };
  } else {
    const scheme = buildScheme(
      o.values.map((v) => v.value),
      { method: 'jenks', k: spec.classes ?? 5, polarity: m.polarity, center: o.city.value },
    );
    const d = Math.max(0, m.decimals ?? 1);
    legend = scheme.colors.map((color, i) => {
      const lo = i === 0 ? null : scheme.breaks[i - 1];
      const hi = i === scheme.breaks.length ? null : scheme.breaks[i];
      const f = (x: number) => formatNumber(x, d);
      const label = lo === null && hi === null ? 'alle Werte' : lo === null ? `unter ${f(hi!)}` : hi === null ? `${f(lo)} und mehr` : `${f(lo)} bis unter ${f(hi)}`;
      return { label: `${label}${inlineUnit(m.unit) ? ` ${m.unit}` : ''}`, color };
    });
    klassOf = (v) => classOf(v, scheme.breaks);
  }
  const areas = drawing.shapes.map((sh) => {
    const v = byCode.get(sh.code) ?? { value: null, status: 'missing' as const };
    return { code: sh.code, name: sh.name, path: sh.d, cell: cellFor(v), klass: v.value === null ? null : klassOf(v.value) };
  });
  return {
    key,
    type: 'map',
    title: spec.title,
    indicator: docIndicator(m, o.period.key, o.referenceDate, c),
    layerName: o.layer.name,
    areas,
    legend,
    highlight: spec.highlight ?? null,
    // A typology has no city value.
    city: fc.features.length > 1 && !types ? cellOf(o.city, m, c) : null,
  };
}

/**
 * A saved index on current data, computed with the reader's rights (its inputs go through the
 * monitor's reads, so disclosure control applies to them): the area's score and the share each
 * component has in it, or the ranking of every area.
 */
async function resolveIndex(rd: ReportReader, key: string, spec: Extract<BlockSpec, { type: 'index' }>, c: Collect): Promise<ResolvedBlock> {
  const stored = await storedIndex(rd.db, rd.who, spec.index);
  const answer = await computeIndexFor(rd.db, rd.who, stored.definition);
  const def = answer.definition;
  const fc = await rd.shapes(def.layer, 'current');
  const names = new Map(fc.features.map((f) => [f.properties.code, f.properties.name]));
  const score = (x: number | null) => (x === null ? '–' : formatNumber(x, 2));
  const byClass = new Map<number, string>();
  for (const r of answer.result.rows) if (r.class !== null) byClass.set(r.class, r.label ?? String(r.class));
  const labels = [...byClass.entries()].sort((a, b) => a[0] - b[0]).map((x) => x[1]);
  const scored = answer.result.rows.filter((r) => r.rank !== null).length;
  const ranking = [...answer.result.rows]
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.area.localeCompare(b.area))
    .map((r) => ({ code: r.area, name: names.get(r.area) ?? r.area, score: score(r.score), label: r.label, rank: r.rank, excluded: r.excluded }));
  let area: Extract<ResolvedBlock, { type: 'index' }>['area'] = null;
  const components: Extract<ResolvedBlock, { type: 'index' }>['components'] = [];
  if (spec.area) {
    const row = answer.result.rows.find((r) => r.area === spec.area);
    if (!row) throw new NotFound(`The area ${spec.area} is not in the index "${spec.index}" (layer "${def.layer}").`);
    area = { code: row.area, name: names.get(row.area) ?? row.area, score: score(row.score), label: row.label, rank: row.rank === null ? '–' : `${row.rank} von ${scored}`, excluded: row.excluded };
    for (const comp of def.components) {
      const o = await rd.obs(comp.indicator, def.layer, answer.componentPeriods[comp.indicator]);
      const v = o.values.find((x) => x.area === spec.area) ?? { value: null, status: 'missing' as const };
      const contribution = row.contributions?.[comp.indicator] ?? null;
      components.push({
        indicator: docIndicator(o.indicator, o.period.key, o.referenceDate, c),
        weight: comp.weight,
        weightText: formatNumber(comp.weight, Number.isInteger(comp.weight) ? 0 : 2),
        direction: comp.direction,
        value: cellOf(v, o.indicator, c),
        contribution,
        contributionText: contribution === null ? '–' : `${contribution < 0 ? '−' : contribution > 0 ? '+' : '±'}${formatNumber(Math.abs(contribution), 2)}`,
      });
    }
  }
  return { key, type: 'index', title: spec.title, name: def.name, layerName: (await snapshot(rd.db)).layerByKey.get(def.layer)?.name ?? def.layer, period: answer.period, classes: labels, area, components, ranking: spec.area ? [] : ranking };
}

/** The facilities lying in an area (their stored code of the layer), with the reader's rights. */
async function resolveFacilities(rd: ReportReader, key: string, spec: Extract<BlockSpec, { type: 'facilities' }>): Promise<ResolvedBlock> {
  const name = await areaName(rd, spec.layer, spec.area);
  const fc = await facilitiesGeoJson(rd.db, rd.who, { set: spec.set, layer: spec.layer, area: spec.area });
  const rows = fc.features
    .map((f) => ({ name: f.properties.name ?? '–', category: f.properties.category, capacity: f.properties.capacity === null ? null : formatNumber(f.properties.capacity, 0) }))
    .sort((a, b) => a.name.localeCompare(b.name, 'de'));
  const withCapacity = fc.features.filter((f) => f.properties.capacity !== null);
  return {
    key,
    type: 'facilities',
    title: spec.title,
    areaName: name,
    sets: fc.sets.map((x) => ({ key: x.key, name: x.name, period: x.period })),
    rows,
    capacity: withCapacity.length ? formatNumber(withCapacity.reduce((t, f) => t + (f.properties.capacity ?? 0), 0), 0) : null,
    withoutCapacity: fc.features.length - withCapacity.length,
  };
}

export interface BlockProblem {
  block: string;
  section: string;
  reason: string;
}

/** Resolves a bound definition; with `problems`, a block whose query fails is collected instead of thrown. */
export async function resolveDefinition(rd: ReportReader, d: ReportDefinition, params: Record<string, string>, problems?: BlockProblem[]): Promise<{ doc: ResolvedReport; indicators: string[] }> {
  const bound = bindParams(d, params);
  const defaultLayer = d.parameters[0]?.layer ?? 'stadtteil';
  const c: Collect = { statuses: new Set(), sources: new Set(), notes: [] };
  const sections: ResolvedReport['sections'] = [];
  for (const s of bound.sections) {
    const blocks: ResolvedBlock[] = [];
    for (const b of s.blocks) {
      try {
        c.notes = [];
        const r = await resolveBlock(rd, b.key, b.spec, defaultLayer, c);
        if (c.notes.length) r.footnotes = c.notes;
        blocks.push(r);
      } catch (e) {
        if (!problems || !(e instanceof NotFound || e instanceof InputRejected || e instanceof Forbidden)) throw e;
        problems.push({ block: b.key, section: s.title, reason: (e as Error).message });
      }
    }
    sections.push({ title: s.title, blocks });
  }
  let subtitle: string | null = null;
  if (bound.subtitle) {
    const t = await resolveText(rd, 'subtitle', bound.subtitle, defaultLayer, c);
    subtitle = t.type === 'text' ? t.content.map((x) => (x.kind === 'list' ? '' : x.inlines.map((i) => i.text).join(''))).join(' ') : null;
  }
  const s = await snapshot(rd.db);
  const keys = new Set(indicatorKeys(bound));
  for (const sec of sections) for (const b of sec.blocks) if (b.type === 'profile') for (const t of b.themes) for (const r of t.rows) keys.add(r.indicator.key);
  const levels = { public: 0, internal: 1, restricted: 2 } as const;
  let confidentiality: ResolvedReport['confidentiality'] = 'public';
  for (const k of keys) {
    const i = s.indicatorByKey.get(k);
    if (!i) continue;
    const g = guardOf(s, i).confidentiality as keyof typeof levels;
    if (levels[g] > levels[confidentiality]) confidentiality = g;
  }
  const design = await designOf(rd.db);
  const order: ValueStatus[] = ['provisional', 'estimated', 'suppressed', 'below_min_base', 'missing'];
  return {
    doc: {
      key: d.key,
      title: d.title,
      subtitle,
      lang: 'de',
      params,
      publisher: design.organisation,
      confidentiality,
      release: null,
      asOf: new Date().toISOString().slice(0, 10),
      sections,
      sources: [...c.sources].sort(),
      symbols: order.filter((x) => c.statuses.has(x)),
    },
    indicators: [...keys].sort(),
  };
}

export async function designOf(db: Queryable): Promise<ReportDesign> {
  const stored = await readSetting<unknown>(db, DESIGN_SETTING);
  if (stored) return designFrom(stored);
  const publisher = await readSetting<{ name?: string }>(db, 'publisher');
  return publisher?.name ? designFrom({ organisation: publisher.name }) : designFrom(null);
}

/** The parameter sets of a report: `--area CODE`, or every area of the parameter's layer. */
export async function parameterSets(db: Database, key: string, o: { area?: string; allAreas?: boolean }): Promise<Record<string, string>[]> {
  const r = await requireReport(db, key);
  const p = r.parameters.find((x) => x.name === 'area');
  if (!p) {
    if (o.area || o.allAreas) throw new InputRejected([{ severity: 'error', code: 'bad-request', reason: `the report "${key}" takes no area` }], `The report "${key}" takes no area: leave out --area and --all-areas.`);
    return [{}];
  }
  if (o.allAreas) {
    const fc = await areasGeoJson(db, p.layer, undefined, false);
    return fc.features.map((f) => ({ area: f.properties.code }));
  }
  if (!o.area) throw new InputRejected([{ severity: 'error', code: 'bad-request', reason: `the report "${key}" needs an area of the layer "${p.layer}"` }], `The report "${key}" needs --area CODE (an area of "${p.layer}") or --all-areas.`);
  const fc = await areasGeoJson(db, p.layer, undefined, false);
  if (!fc.features.some((f) => f.properties.code === o.area)) throw new NotFound(`The area ${o.area} does not exist in layer "${p.layer}".`);
  return [{ area: o.area }];
}

export interface RenderRequest {
  key: string;
  params: Record<string, string>;
  /** A release number: its frozen document; otherwise the draft on current data. */
  release?: number;
}

/** The documents of a report for these parameter sets, as the principal may see them. */
export async function resolveReports(db: Database, who: Principal, key: string, sets: Record<string, string>[], o: { release?: number; reader?: ReportReader } = {}): Promise<ResolvedReport[]> {
  const r = await requireReport(db, key);
  const v = await requireDraft(db, r);
  if (o.release !== undefined) {
    const out: ResolvedReport[] = [];
    for (const params of sets) {
      const [rel] = await store.loadReleases(db, r.id, { number: o.release, params });
      if (!rel) throw new NotFound(`The report "${key}" has no release ${o.release}${Object.keys(params).length ? ` for ${JSON.stringify(params)}` : ''}.`);
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

async function requireReleaseReadable(db: Queryable, who: Principal, r: store.ReportRow, rel: store.ReleaseRow): Promise<void> {
  if (rel.confidentiality === 'public' || who.kind === 'system') return;
  if (rel.confidentiality === 'internal') {
    if (who.kind === 'anonymous') throw new Unauthorized(`The report "${r.key}" is internal: please sign in.`);
    return;
  }
  // Restricted: only readers of every indicator of the current definition (the owning departments).
  const v = await requireDraft(db, r);
  await requireVisible(db, who, r, v.definition);
  if (who.kind === 'anonymous') throw new NotFound(`The report "${r.key}" does not exist.`);
}

// ---------------------------------------------------------------------------------------------
// Workflow

/** Problems of a report's queries (an indicator deleted, a layer or version gone, an area missing). */
export async function validateReport(db: Database, who: Principal, key: string): Promise<BlockProblem[]> {
  const r = await requireReport(db, key);
  const v = await requireDraft(db, r);
  const problems: BlockProblem[] = checkDefinition(v.definition).map((reason) => ({ block: '', section: '', reason }));
  const s = await snapshot(db);
  for (const sec of v.definition.sections)
    for (const b of sec.blocks)
      for (const k of indicatorsOf(b.spec, placeholderIndicators)) {
        try {
          requireIndicator(s, k);
        } catch (e) {
          problems.push({ block: b.key, section: sec.title, reason: (e as Error).message });
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
export async function saveReport(db: Database, who: Principal, key: string, d: ReportDefinition): Promise<{ version: number }> {
  const r = await requireReport(db, key);
  requireWrite(who, r);
  const issues = checkDefinition({ ...d, key });
  if (issues.length) throw new InputRejected(issues.map((reason) => ({ severity: 'error' as const, code: 'bad-request', reason })), `The report cannot be saved: ${issues.join('; ')}.`);
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

export interface PublishResult {
  number: number;
  documents: { params: Record<string, string>; contentHash: string }[];
}

/**
 * Publishes a release: the report must be in review and every block's query valid. Each
 * parameter set (every area for a parameterised report) is resolved as the public sees it, and
 * frozen with the data versions and a content hash. A release after the first is an amendment
 * and needs a change note.
 */
export async function publishRelease(db: Database, who: Principal, key: string, o: { changeNote?: string; sets?: Record<string, string>[] } = {}): Promise<PublishResult> {
  const r = await requireReport(db, key);
  requireWrite(who, r);
  if (r.status !== 'review') throw new Conflict(`The report "${key}" is a ${r.status}: submit it for review first (report review ${key}).`);
  const problems = await validateReport(db, who, key);
  if (problems.length) {
    throw new InputRejected(
      problems.map((p): Problem => ({ severity: 'error', code: 'report-block-invalid', reason: p.reason, value: p.block })),
      `The report "${key}" cannot be published: ${problems.map((p) => `block "${p.block}": ${p.reason}`).join('; ')}.`,
    );
  }
  const number = (await store.latestReleaseNumber(db, r.id)) + 1;
  if (number > 1 && !o.changeNote?.trim()) throw new InputRejected([{ severity: 'error', code: 'bad-request', reason: 'an amendment needs a change note', hint: 'say what changed, e.g. --note "Daten 2025 ergänzt"' }], 'An amendment (release 2 and later) needs a public change note (--note).');
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
    docs.push({ params, document: { ...doc, asOf: date, release: { number, date, changeNote: o.changeNote?.trim() || null } }, indicators });
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
    if (x && typeof x === 'object') return Object.fromEntries(Object.keys(x).sort().map((k) => [k, canon((x as Record<string, unknown>)[k])]));
    return x;
  };
  return createHash('sha256').update(JSON.stringify(canon(doc))).digest('hex');
}

export interface ReleaseInfo {
  number: number;
  params: Record<string, string>;
  contentHash: string;
  dataVersions: Record<string, number>;
  changeNote: string | null;
  publishedAt: string;
  /** Whether the stored document still has its hash. */
  intact: boolean;
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
    out.push({ number: rel.number, params: rel.params, contentHash: rel.contentHash, dataVersions: rel.dataVersions, changeNote: rel.changeNote, publishedAt: rel.publishedAt, intact: contentHashOf(rel.document) === rel.contentHash });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Replacement plan

export interface PlannedChange {
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
      m.set('Text', b.content.map((x) => (x.kind === 'list' ? x.items.map((i) => i.map((y) => y.text).join('')).join(' · ') : x.inlines.map((y) => y.text).join(''))).join('\n'));
      break;
    case 'key-figure':
      for (const t of b.tiles) {
        m.set(`${t.indicator.name}`, t.value.text);
        if (t.earlier) m.set(`${t.indicator.name}, Veränderung`, t.earlier.change ?? '');
      }
      break;
    case 'data':
      for (const r of [...b.rows, ...(b.city ? [{ name: b.city.name, cells: b.city.cells }] : [])]) r.cells.forEach((c, i) => m.set(`${r.name} · ${b.columns[i]}`, c.text));
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
export async function replacementPlan(db: Database, who: Principal, key: string, params: Record<string, string>): Promise<ReplacementPlan> {
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
      for (const k of indicatorsOf(b.spec, placeholderIndicators)) if (!s.indicatorByKey.has(k)) broken.set(b.key, `The indicator "${k}" does not exist.`);
  const kept: ReportDefinition = { ...v.definition, sections: v.definition.sections.map((sec) => ({ ...sec, blocks: sec.blocks.filter((b) => !broken.has(b.key)) })) };
  const { doc, indicators } = await resolveDefinition(new ReportReader(db, who), kept, params, problems);
  const blocks: PlannedChange[] = [];
  const sectionOf = new Map<string, string>();
  for (const sec of v.definition.sections) for (const b of sec.blocks) sectionOf.set(b.key, sec.title);
  for (const [block, reason] of broken) blocks.push({ block, section: sectionOf.get(block) ?? '', kind: 'invalid', values: [], reason });
  for (const p of problems) blocks.push({ block: p.block, section: p.section, kind: 'invalid', values: [], reason: p.reason });
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
      for (const label of new Set([...a.keys(), ...n.keys()])) if (a.get(label) !== n.get(label)) values.push({ label, before: a.get(label) ?? '', after: n.get(label) ?? '' });
      if (values.length) blocks.push({ block: b.key, section: sec.title, kind: 'changed', values });
    }
  for (const k of before.keys()) if (!seen.has(k) && !broken.has(k) && !problems.some((p) => p.block === k)) blocks.push({ block: k, section: '', kind: 'removed', values: [] });
  const now = await store.dataVersionsOf(db, indicators);
  const changedDataVersions: ReplacementPlan['changedDataVersions'] = [];
  if (rel) {
    for (const k of new Set([...Object.keys(rel.dataVersions), ...Object.keys(now)]).values()) {
      if (rel.dataVersions[k] !== now[k]) changedDataVersions.push({ indicator: k, before: rel.dataVersions[k] ?? null, after: now[k] ?? null });
    }
  }
  return { release: rel?.number ?? null, params, changedDataVersions, blocks, publishable: !blocks.some((b) => b.kind === 'invalid') };
}
