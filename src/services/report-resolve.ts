// Resolving a report's blocks against the data: every value read through the monitor's read
// services (so disclosure control and rights apply exactly as in the monitor), written as the
// document shows it, with its metadata, symbols, sources and footnotes. The result is plain data
// (a ResolvedReport) that the renderers turn into HTML, PDF and DOCX and a release freezes.
import { publicTopics, todayInGermany } from './forum.ts';
import { ANSWER_LABELS } from '../core/forum.ts';
import type { Database, Queryable } from '../store/db.ts';
import { areasGeoJson } from './catalogue-read.ts';
import { getAreaProfile, getObservations, getTimeSeries, guardOf } from './query.ts';
import { snapshot } from './snapshot.ts';
import { germanReason, reasonKey, type ReasonFields } from '../core/reasons.ts';
import { readSetting } from '../store/settings.ts';
import type { Principal } from '../core/access.ts';
import { Forbidden, InputRejected, NotFound, codedFields } from '../core/problems.ts';
import type {
  IndicatorMeta,
  ObservationsAnswer,
  TimeSeriesAnswer,
  ProfileAnswer,
  AreaFeatureCollection,
} from '../contracts/answers/index.ts';
import type { ValueStatus, DisclosureMark } from '../contracts/vocabulary.ts';
import {
  bindParams,
  footnoteMark,
  indicatorsOf,
  type BlockSpec,
  type Cell,
  type DocIndicator,
  type ReportDefinition,
  type ResolvedBlock,
  type ResolvedReport,
} from '../core/report/model.ts';
import { parseMarkdown, placeholderIndicators, placeholdersIn, replacePlaceholders } from '../core/report/markdown.ts';
import { designFrom, DESIGN_SETTING, type ReportDesign } from '../core/report/design.ts';
import { formatCell, formatChange, formatNumber, formatPeriod, inlineUnit } from '../contracts/format.ts';
import { buildScheme, classOf } from '../core/stats/classify.ts';
import { project, type Shape } from '../core/geo/draw.ts';
import { typeColor, typesOfLineage } from '../core/stats/typology-types.ts';
import { computeIndexFor, storedIndex } from './analysis.ts';
import { facilitiesGeoJson } from './facilities-read.ts';
import { resolveMeasuresBlock } from './report-measures.ts';
import { coded } from '../contracts/codes/index.ts';
import type { BlockProblem } from '../contracts/answers/index.ts';
export type { BlockProblem };

/** Every indicator a definition names (placeholders, queries); the profile block names none. */
export function indicatorKeys(d: ReportDefinition): string[] {
  const keys = new Set<string>();
  for (const s of d.sections)
    for (const b of s.blocks) for (const k of indicatorsOf(b.spec, placeholderIndicators)) keys.add(k);
  return [...keys];
}

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
    if (!p)
      this.shapesCache.set(
        k,
        (p = at === 'current' ? areasGeoJson(this.db, layer, undefined, false) : areasGeoJson(this.db, layer, at)),
      );
    return p;
  }
}

interface Collect {
  statuses: Set<ValueStatus>;
  sources: Set<string>;
  /** The current block's footnotes, in the order of their first cell. */
  notes: string[];
}

/** Reasons that say no more than the value's symbol: no footnote for them. */
const PLAIN_REASONS = new Set(['reason-suppressed', 'reason-missing', 'reason-no-data', 'reason-disclosure-withheld']);

function docIndicator(m: IndicatorMeta, period: string, referenceDate: string, c: Collect): DocIndicator {
  if (m.source) c.sources.add(m.source);
  return {
    key: m.key,
    name: m.name,
    unit: m.unit,
    decimals: m.decimals,
    polarity: m.polarity,
    source: m.source,
    period,
    referenceDate,
    methodology: m.methodology,
  };
}

function cellOf(
  v: { value: number | null; status: ValueStatus; disclosure?: DisclosureMark } & ReasonFields,
  m: { unit: string; decimals: number | null },
  c: Collect,
): Cell {
  c.statuses.add(v.status);
  const text = formatCell(v.value, v.status, m.decimals, inlineUnit(m.unit), 'de', v.disclosure);
  const note = germanReason(v);
  if (!note || PLAIN_REASONS.has(reasonKey(v) ?? '')) return { value: v.value, status: v.status, text };
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
  if (!f) throw new NotFound(coded('area-not-found', { area: code, layer: layer }));
  return f.properties.name;
}

/** The single area of a layer when no area is given (the city layer), else the given code. */
async function areaOrOnly(rd: ReportReader, layer: string, area: string | undefined): Promise<string | null> {
  if (area) return area;
  const fc = await rd.shapes(layer, 'current');
  return fc.features.length === 1 ? fc.features[0].properties.code : null;
}

async function resolveText(
  rd: ReportReader,
  key: string,
  markdown: string,
  defaultLayer: string,
  c: Collect,
): Promise<ResolvedBlock> {
  const texts: string[] = [];
  for (const p of placeholdersIn(markdown)) {
    const layer = p.options.layer ?? defaultLayer;
    if (p.fn === 'name') {
      texts.push(p.options.area ? await areaName(rd, layer, p.options.area) : '');
    } else if (p.fn === 'value' && p.arg) {
      const o = await rd.obs(p.arg, layer, p.options.period);
      const v = p.options.area ? o.values.find((x) => x.area === p.options.area) : o.city;
      if (!v) throw new NotFound(coded('area-not-found', { area: p.options.area, layer: layer }));
      docIndicator(o.indicator, o.period.key, o.referenceDate, c);
      texts.push(formatCell(v.value, v.status, o.indicator.decimals, inlineUnit(o.indicator.unit), 'de', v.disclosure));
      c.statuses.add(v.status);
    } else if (p.fn === 'period' && p.arg) {
      const o = await rd.obs(p.arg, layer, p.options.period);
      texts.push(formatPeriod(o.period.key));
    } else {
      throw new InputRejected(
        [
          {
            severity: 'error',
            code: 'bad-request',
            reason: `unknown placeholder "{{ ${p.fn} … }}"`,
            hint: 'use value, name or period',
          },
        ],
        `Block "${key}": unknown placeholder "${p.fn}".`,
      );
    }
  }
  return { key, type: 'text', content: parseMarkdown(replacePlaceholders(markdown, (_p, i) => texts[i])) };
}

async function resolveBlock(
  rd: ReportReader,
  key: string,
  spec: BlockSpec,
  defaultLayer: string,
  c: Collect,
): Promise<ResolvedBlock> {
  switch (spec.type) {
    case 'text':
      return resolveText(rd, key, spec.markdown, defaultLayer, c);
    case 'key-figure': {
      const area = await areaOrOnly(rd, spec.layer, spec.area);
      if (!area)
        throw new InputRejected(
          [{ severity: 'error', code: 'bad-request', reason: `block "${key}" needs an area` }],
          `Block "${key}" needs an area.`,
        );
      const tiles: Extract<ResolvedBlock, { type: 'key-figure' }>['tiles'] = [];
      let name = '';
      for (const ind of spec.indicators) {
        const o = await rd.obs(ind, spec.layer);
        const own = o.values.find((x) => x.area === area);
        if (!own) throw new NotFound(coded('area-not-found', { area: area, layer: spec.layer }));
        name = own.name;
        const m = o.indicator;
        const value = cellOf(own, m, c);
        let earlier: Extract<ResolvedBlock, { type: 'key-figure' }>['tiles'][number]['earlier'] = null;
        const ts = await rd.series(ind, spec.layer, area);
        const idx = ts.points.findIndex((p) => p.period === o.period.key);
        const before =
          spec.compare && spec.compare !== 'previous'
            ? ts.points.find((p) => p.period === spec.compare)
            : idx > 0
              ? ts.points[idx - 1]
              : undefined;
        if (before) {
          const ev = cellOf(before, m, c);
          const change =
            own.value !== null && before.value !== null ? signed(own.value - before.value, m.decimals, m.unit) : null;
          earlier = { period: formatPeriod(before.period), value: ev, change };
        }
        const single = (await rd.shapes(spec.layer, 'current')).features.length === 1;
        const city = single ? null : cellOf(o.city, m, c);
        const againstCity =
          !single && m.type !== 'count' && own.value !== null && o.city.value !== null
            ? signed(own.value - o.city.value, m.decimals, m.unit)
            : null;
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
          for (const p of periods)
            cells.push(cellOf((await rd.obs(inds[0], spec.layer, p, spec.filter)).city, o.indicator, c));
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
        if (!first) throw new NotFound(coded('area-not-found', { area: code, layer: spec.layer }));
        return {
          code,
          name: first.name,
          cells: answers.map((a) =>
            cellOf(
              a.values.find((v) => v.area === code)!,
              a.indicator,
              c,
            ),
          ),
        };
      });
      const single = answers[0].values.length === 1;
      return {
        key,
        type: 'data',
        title: spec.title,
        view: spec.view,
        indicators: answers.map((a) => docIndicator(a.indicator, a.period.key, a.referenceDate, c)),
        columns: answers.map((a) =>
          inlineUnit(a.indicator.unit) ? a.indicator.name : `${a.indicator.name} (${a.indicator.unit})`,
        ),
        rows,
        city:
          spec.withCity && !single
            ? { name: 'Gesamtstadt', cells: answers.map((a) => cellOf(a.city, a.indicator, c)) }
            : null,
      };
    }
    case 'spine': {
      const rows: Extract<ResolvedBlock, { type: 'spine' }>['rows'] = [];
      let name = '';
      for (const ind of spec.indicators) {
        const o = await rd.obs(ind, spec.layer);
        const own = o.values.find((x) => x.area === spec.area);
        if (!own) throw new NotFound(coded('area-not-found', { area: spec.area, layer: spec.layer }));
        name = own.name;
        const xs = o.values
          .map((v) => v.value)
          .filter((v): v is number => v !== null)
          .sort((a, b) => a - b);
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
      if (!i || lineage?.kind !== 'typology')
        throw new NotFound(coded('typology-not-saved', { typology: spec.typology, indicator: indicator }));
      return resolveMap(
        rd,
        key,
        { title: spec.title, indicator, layer: spec.layer ?? lineage.layer ?? defaultLayer, highlight: spec.highlight },
        c,
      );
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
      return resolveMeasuresBlock(
        rd.db,
        rd.who,
        key,
        spec,
        await areaName(rd, spec.layer, spec.area),
        todayInGermany(),
      );
  }
}

/**
 * A choropleth map of one indicator; a saved typology (its lineage names the types) is drawn by
 * type — one colour and description per type — instead of in classes of numbers.
 */
async function resolveMap(
  rd: ReportReader,
  key: string,
  spec: { title: string; indicator: string; layer: string; period?: string; highlight?: string; classes?: number },
  c: Collect,
): Promise<ResolvedBlock> {
  const o = await rd.obs(spec.indicator, spec.layer, spec.period);
  const fc = await rd.shapes(spec.layer, o.referenceDate);
  const shapes: Shape[] = fc.features.map((f) => ({
    code: f.properties.code,
    name: f.properties.name,
    geometry: f.geometry as Shape['geometry'],
    bbox: f.bbox,
  }));
  const drawing = project(shapes, { width: 600, height: 450, pad: 6 });
  const m = o.indicator;
  const byCode = new Map(o.values.map((v) => [v.area, v]));
  const types = typesOfLineage(m.lineage);
  let legend: { label: string; color: string }[];
  let klassOf: (v: number) => number | null;
  let cellFor: (v: { value: number | null; status: ValueStatus; disclosure?: DisclosureMark }) => Cell = (v) =>
    cellOf(v, m, c);
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
      const label =
        lo === null && hi === null
          ? 'alle Werte'
          : lo === null
            ? `unter ${f(hi!)}`
            : hi === null
              ? `${f(lo)} und mehr`
              : `${f(lo)} bis unter ${f(hi)}`;
      return { label: `${label}${inlineUnit(m.unit) ? ` ${m.unit}` : ''}`, color };
    });
    klassOf = (v) => classOf(v, scheme.breaks);
  }
  const areas = drawing.shapes.map((sh) => {
    const v = byCode.get(sh.code) ?? { value: null, status: 'missing' as const };
    return {
      code: sh.code,
      name: sh.name,
      path: sh.d,
      cell: cellFor(v),
      klass: v.value === null ? null : klassOf(v.value),
    };
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
async function resolveIndex(
  rd: ReportReader,
  key: string,
  spec: Extract<BlockSpec, { type: 'index' }>,
  c: Collect,
): Promise<ResolvedBlock> {
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
    .map((r) => ({
      code: r.area,
      name: names.get(r.area) ?? r.area,
      score: score(r.score),
      label: r.label,
      rank: r.rank,
      excluded: r.excluded,
    }));
  let area: Extract<ResolvedBlock, { type: 'index' }>['area'] = null;
  const components: Extract<ResolvedBlock, { type: 'index' }>['components'] = [];
  if (spec.area) {
    const row = answer.result.rows.find((r) => r.area === spec.area);
    if (!row) throw new NotFound(coded('area-not-in-index', { area: spec.area, index: spec.index, layer: def.layer }));
    area = {
      code: row.area,
      name: names.get(row.area) ?? row.area,
      score: score(row.score),
      label: row.label,
      rank: row.rank === null ? '–' : `${row.rank} von ${scored}`,
      excluded: row.excluded,
    };
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
        contributionText:
          contribution === null
            ? '–'
            : `${contribution < 0 ? '−' : contribution > 0 ? '+' : '±'}${formatNumber(Math.abs(contribution), 2)}`,
      });
    }
  }
  return {
    key,
    type: 'index',
    title: spec.title,
    name: def.name,
    layerName: (await snapshot(rd.db)).layerByKey.get(def.layer)?.name ?? def.layer,
    period: answer.period,
    classes: labels,
    area,
    components,
    ranking: spec.area ? [] : ranking,
  };
}

/** The facilities lying in an area (their stored code of the layer), with the reader's rights. */
async function resolveFacilities(
  rd: ReportReader,
  key: string,
  spec: Extract<BlockSpec, { type: 'facilities' }>,
): Promise<ResolvedBlock> {
  const name = await areaName(rd, spec.layer, spec.area);
  const fc = await facilitiesGeoJson(rd.db, rd.who, { set: spec.set, layer: spec.layer, area: spec.area });
  const rows = fc.features
    .map((f) => ({
      name: f.properties.name ?? '–',
      category: f.properties.category,
      capacity: f.properties.capacity === null ? null : formatNumber(f.properties.capacity, 0),
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'de'));
  const withCapacity = fc.features.filter((f) => f.properties.capacity !== null);
  return {
    key,
    type: 'facilities',
    title: spec.title,
    areaName: name,
    sets: fc.sets.map((x) => ({ key: x.key, name: x.name, period: x.period })),
    rows,
    capacity: withCapacity.length
      ? formatNumber(
          withCapacity.reduce((t, f) => t + (f.properties.capacity ?? 0), 0),
          0,
        )
      : null,
    withoutCapacity: fc.features.length - withCapacity.length,
  };
}

/** Resolves a bound definition; with `problems`, a block whose query fails is collected instead of thrown. */
export async function resolveDefinition(
  rd: ReportReader,
  d: ReportDefinition,
  params: Record<string, string>,
  problems?: BlockProblem[],
): Promise<{ doc: ResolvedReport; indicators: string[] }> {
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
        problems.push({ block: b.key, section: s.title, reason: (e as Error).message, ...codedFields(e) });
      }
    }
    sections.push({ title: s.title, blocks });
  }
  let subtitle: string | null = null;
  if (bound.subtitle) {
    const t = await resolveText(rd, 'subtitle', bound.subtitle, defaultLayer, c);
    subtitle =
      t.type === 'text'
        ? t.content.map((x) => (x.kind === 'list' ? '' : x.inlines.map((i) => i.text).join(''))).join(' ')
        : null;
  }
  const s = await snapshot(rd.db);
  const keys = new Set(indicatorKeys(bound));
  for (const sec of sections)
    for (const b of sec.blocks)
      if (b.type === 'profile') for (const t of b.themes) for (const r of t.rows) keys.add(r.indicator.key);
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
