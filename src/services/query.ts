// Use cases that read: observations of an indicator over the areas of a layer (aggregated
// where needed), time series of one area, and the profile of an area over all indicators.
import type { Queryable } from '../store/db.ts';
import { areaNamesInVersions, areaWithParent, childAreas } from '../store/areas-read.ts';
import {
  areaNames,
  versionValidAt,
  type IndicatorRow,
  type LayerRow,
  type LayerVersionRow,
  type PeriodRow,
} from '../store/catalog.ts';
import {
  emptySums,
  rankDescending,
  ratioOf,
  rollUp,
  sumAll,
  valueOf,
  type AreaValue,
  type ComponentSums,
} from '../core/aggregate.ts';
import { isDerivedRatio } from '../core/indicators.ts';
import { parsePeriod, PERIOD_HINT } from '../core/periods.ts';
import { InputRejected, NotFound, layerWithoutVersion } from '../core/problems.ts';
import type { Principal } from '../core/access.ts';
import { audit } from './audit.ts';
import { snapshot, loadSums, sumsKey, targetMap, neighboursIn, layersWithData, type Snapshot } from './snapshot.ts';
import { masker, preparePatterns, ruleOut } from './disclosure.ts';
import type {
  IndicatorMeta,
  Lineage,
  ObservationsAnswer,
  ProfileAnswer,
  ProfileEntry,
  TimeSeriesAnswer,
} from '../contracts/answers/index.ts';
import { coded } from '../contracts/codes/index.ts';
import { reasonFields, reasonOnly } from '../core/reasons.ts';
import {
  dataIndicator,
  guardOf,
  periodsOf,
  readable,
  requireIndicator,
  requireLayer,
  requireReadable,
} from './indicator-access.ts';

export {
  dataIndicator,
  guardOf,
  periodsOf,
  readable,
  requireIndicator,
  requireLayer,
  requireReadable,
} from './indicator-access.ts';

export type { IndicatorMeta, ObservationsAnswer, ProfileAnswer, TimeSeriesAnswer } from '../contracts/answers/index.ts';

export function indicatorMeta(i: IndicatorRow, s: Snapshot): IndicatorMeta {
  const { id: _id, updatedAt: _u, departmentDisclosure: _d, ...rest } = i;
  return {
    ...rest,
    lineage: rest.lineage as Lineage | null,
    dimensions: effectiveDimensions(i, s),
    disclosure: ruleOut(i),
  };
}

export interface ObservationsQuery {
  indicator: string;
  layer: string;
  period?: string;
  filter?: Record<string, string>;
  /** Evaluate on the boundary version valid on this date (default: the period's reference date). */
  at?: string;
}

// ---------------------------------------------------------------------------------------------

function badRequest(reason: string, hint?: string, value?: string): InputRejected {
  return new InputRejected(
    [{ severity: 'error', code: 'bad-request', reason, hint, value }],
    reason + (hint ? ` ${hint}` : ''),
  );
}

/** Dimensions a user may filter on: for a derived ratio, those shared by numerator and denominator. */
export function effectiveDimensions(i: IndicatorRow, s: Snapshot | undefined): string[] {
  if (!isDerivedRatio(i) || !s) return i.dimensions;
  const num = s.indicatorByKey.get(i.numerator!.indicator);
  const den = s.indicatorByKey.get(i.denominator!.indicator);
  if (!num || !den) return [];
  const free = (ind: IndicatorRow, fixed?: Record<string, string>) =>
    ind.dimensions.filter((d) => !fixed || !(d in fixed));
  const denFree = new Set(free(den, i.denominator!.filter));
  return free(num, i.numerator!.filter).filter((d) => denFree.has(d));
}

function checkFilter(s: Snapshot, i: IndicatorRow, filter: Record<string, string>): void {
  const dims = effectiveDimensions(i, s);
  for (const [dim, member] of Object.entries(filter)) {
    if (!dims.includes(dim))
      throw badRequest(
        `"${i.key}" cannot be filtered by "${dim}".`,
        `Its dimensions: ${dims.join(', ') || 'none'}.`,
        dim,
      );
    const d = s.dimensions.find((x) => x.key === dim);
    if (d && d.members.length && !d.members.some((m) => m.key === member)) {
      throw badRequest(
        `"${member}" is not a member of the dimension "${dim}".`,
        `Members: ${d.members.map((m) => m.key).join(', ')}.`,
        member,
      );
    }
  }
}

/**
 * Does the indicator (for a ratio: its numerator) have observations for this period stored on
 * the layer or on a finer layer whose areas aggregate up to it? Any version of the layer counts.
 * The sums of the data component must be loaded (see dataSums).
 */
function hasDataOn(
  s: Snapshot,
  i: IndicatorRow,
  filter: Record<string, string>,
  periodId: number,
  layer: LayerRow,
): boolean {
  const c = components(s, i, filter)[0];
  const areaIds = s.sums.get(sumsKey(c.indicator.id, c.filter, periodId))?.areaId ?? [];
  const versions = new Set((s.versionsByLayer.get(layer.id) ?? []).map((v) => v.id));
  for (const id of areaIds) for (const a of s.ancestors.get(id) ?? []) if (versions.has(a.versionId)) return true;
  return false;
}

/** Loads the sums of the data component (the numerator for a ratio) for these periods. */
async function dataSums(
  db: Queryable,
  s: Snapshot,
  i: IndicatorRow,
  filter: Record<string, string>,
  periods: PeriodRow[],
): Promise<void> {
  const c = components(s, i, filter)[0];
  await loadSums(db, s, [{ indicatorId: c.indicator.id, filter: c.filter, periodIds: periods.map((p) => p.id) }]);
}

/**
 * The period shown when none is asked for: the latest with data for the indicator on that layer
 * (stored there or on a finer layer that aggregates up to it; for a ratio, the numerator's data).
 * An import for another layer with a later period does not change what this layer shows. If the
 * layer has no data for any period, the indicator's latest period (the answer is all missing).
 */
async function defaultPeriod(
  db: Queryable,
  s: Snapshot,
  i: IndicatorRow,
  filter: Record<string, string>,
  layer: LayerRow,
): Promise<PeriodRow> {
  const all = periodsOf(s, i);
  if (!all.length) throw new NotFound(coded('indicator-without-data', { indicator: i.key }));
  const latest = all[all.length - 1];
  // The common case costs nothing extra: the latest period's sums are needed for the answer anyway.
  await dataSums(db, s, i, filter, [latest]);
  if (hasDataOn(s, i, filter, latest.id, layer)) return latest;
  if (!((await layersWithData(db, s)).get(dataIndicator(s, i).id) ?? []).includes(layer.key)) return latest;
  // Walk back in growing chunks (4, 16, 64 … periods per query), newest first.
  let end = all.length - 1;
  for (let chunk = 4; end > 0; chunk *= 4) {
    const slice = all.slice(Math.max(0, end - chunk), end);
    await dataSums(db, s, i, filter, slice);
    for (let k = slice.length - 1; k >= 0; k--) if (hasDataOn(s, i, filter, slice[k].id, layer)) return slice[k];
    end -= slice.length;
  }
  return latest;
}

/** Of these periods, those with data on the layer (sums loaded); all of them if none has any. */
function withDataOn<T>(
  s: Snapshot,
  i: IndicatorRow,
  filter: Record<string, string>,
  layer: LayerRow,
  list: T[],
  periodOf: (t: T) => PeriodRow,
): T[] {
  const kept = list.filter((t) => hasDataOn(s, i, filter, periodOf(t).id, layer));
  return kept.length ? kept : list;
}

function resolvePeriod(s: Snapshot, text: string): PeriodRow {
  const parsed = parsePeriod(text);
  if (!parsed) throw badRequest(`"${text}" is not a period.`, PERIOD_HINT, text);
  const p = s.periodByKey.get(parsed.key);
  if (!p) throw new NotFound(coded('period-without-data', { period: parsed.key }));
  return p;
}

function versionFor(s: Snapshot, layer: LayerRow, date: string): LayerVersionRow {
  const v = versionValidAt(s.versionsByLayer.get(layer.id) ?? [], date);
  if (!v) throw new NotFound(coded('layer-without-version-on', { layer: layer.key, date: date }));
  return v;
}

/** The stored indicators (with filters) an indicator's values are computed from. */
function components(
  s: Snapshot,
  i: IndicatorRow,
  filter: Record<string, string>,
): { indicator: IndicatorRow; filter: Record<string, string> }[] {
  if (!isDerivedRatio(i)) return [{ indicator: i, filter }];
  const restrict = (ind: IndicatorRow, fixed?: Record<string, string>) => {
    const f: Record<string, string> = { ...(fixed ?? {}) };
    for (const [d, m] of Object.entries(filter)) if (ind.dimensions.includes(d)) f[d] = m;
    return f;
  };
  const num = requireIndicator(s, i.numerator!.indicator);
  const den = requireIndicator(s, i.denominator!.indicator);
  return [
    { indicator: num, filter: restrict(num, i.numerator!.filter) },
    { indicator: den, filter: restrict(den, i.denominator!.filter) },
  ];
}

/** The sums of an area without data (shared, never changed). */
const NO_SUMS: Readonly<ComponentSums> = Object.freeze(emptySums());

interface Evaluation {
  value(code: string): AreaValue;
  total(codes: string[]): AreaValue;
}

/**
 * Values of an indicator for one period on one layer version, as the principal may see them:
 * disclosure control's pattern applied (sums and patterns must be prepared, see prepare).
 */
function evaluate(
  s: Snapshot,
  i: IndicatorRow,
  filter: Record<string, string>,
  periodId: number,
  versionId: number,
  date: string,
  who: Principal,
): Evaluation {
  const raw = evaluateRaw(s, i, filter, periodId, versionId, date);
  const mask = masker(s, who, i, filter, periodId, versionId, date);
  if (!mask) return raw;
  return { value: (c) => mask(raw.value(c), c), total: (codes) => mask(raw.total(codes), null) };
}

/** Values of an indicator for one period on one layer version (sums must be loaded). */
function evaluateRaw(
  s: Snapshot,
  i: IndicatorRow,
  filter: Record<string, string>,
  periodId: number,
  versionId: number,
  date: string,
): Evaluation {
  const targets = targetMap(s, versionId, date);
  const rolled = components(s, i, filter).map((c) =>
    rollUp(s.sums.get(sumsKey(c.indicator.id, c.filter, periodId)) ?? [], (id) => targets.get(id)),
  );
  const get = (m: Map<string, ComponentSums>, code: string) => m.get(code) ?? NO_SUMS;
  const sumOver = (m: Map<string, ComponentSums>, codes: string[]) => sumAll(codes.map((c) => get(m, c)));
  if (isDerivedRatio(i)) {
    const [nm, dm] = rolled;
    return {
      value: (c) => ratioOf(get(nm, c), get(dm, c), i.scale, i.minBase),
      total: (codes) => ratioOf(sumOver(nm, codes), sumOver(dm, codes), i.scale, null),
    };
  }
  const [m] = rolled;
  return {
    value: (c) => valueOf(i.type, get(m, c), i.minBase),
    total: (codes) =>
      i.type === 'value'
        ? {
            value: null,
            base: null,
            status: 'missing',
            ...reasonFields(coded('reason-plain-no-total')),
            computed: true,
          }
        : valueOf(i.type, sumOver(m, codes), null),
  };
}

/** Loads the sums and the disclosure patterns needed to evaluate these indicators for these periods. */
async function prepare(
  db: Queryable,
  s: Snapshot,
  items: { indicator: IndicatorRow; filter: Record<string, string>; periodIds: number[] }[],
): Promise<void> {
  await loadSums(
    db,
    s,
    items.flatMap((it) =>
      components(s, it.indicator, it.filter).map((c) => ({
        indicatorId: c.indicator.id,
        filter: c.filter,
        periodIds: it.periodIds,
      })),
    ),
  );
  await preparePatterns(db, s, items);
}

async function areasOf(db: Queryable, s: Snapshot, versionId: number): Promise<{ code: string; name: string }[]> {
  let list = s.areas.get(versionId);
  if (!list) {
    list = await areaNames(db, versionId);
    s.areas.set(versionId, list);
  }
  return list;
}

export async function getObservations(
  db: Queryable,
  q: ObservationsQuery,
  who: Principal,
): Promise<ObservationsAnswer> {
  const s = await snapshot(db);
  const i = await requireReadable(db, s, who, q.indicator, {
    layer: q.layer,
    period: q.period ?? null,
    filter: q.filter ?? {},
  });
  const layer = requireLayer(s, q.layer);
  const filter = q.filter ?? {};
  checkFilter(s, i, filter);
  const period = q.period ? resolvePeriod(s, q.period) : await defaultPeriod(db, s, i, filter, layer);
  const date = q.at ? resolveDate(q.at) : period.end;
  const version = versionFor(s, layer, date);
  const areas = await areasOf(db, s, version.id);
  await prepare(db, s, [{ indicator: i, filter, periodIds: [period.id] }]);
  const calc = evaluate(s, i, filter, period.id, version.id, date, who);
  const vals = areas.map((a) => calc.value(a.code));
  const ranks = rankDescending(vals.map((v) => v.value));
  const city = calc.total(areas.map((a) => a.code));
  return {
    indicator: indicatorMeta(i, s),
    layer: {
      key: layer.key,
      name: layer.name,
      kind: layer.kind,
      version: { validFrom: version.validFrom, validTo: version.validTo },
    },
    period: { key: period.key, type: period.type, start: period.start, end: period.end },
    referenceDate: period.end,
    unit: i.unit,
    source: i.source,
    filter,
    values: areas.map((a, k) => ({ area: a.code, name: a.name, ...vals[k], rank: ranks[k] })),
    city: {
      value: city.value,
      base: city.base,
      status: city.status,
      ...reasonOnly(city),
      ...(city.disclosure ? { disclosure: city.disclosure } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Time series

export async function getTimeSeries(
  db: Queryable,
  q: {
    indicator: string;
    layer: string;
    area: string;
    filter?: Record<string, string>;
    from?: string;
    to?: string;
    at?: string;
  },
  who: Principal,
): Promise<TimeSeriesAnswer> {
  const s = await snapshot(db);
  const i = await requireReadable(db, s, who, q.indicator, { layer: q.layer, area: q.area, filter: q.filter ?? {} });
  const layer = requireLayer(s, q.layer);
  const filter = q.filter ?? {};
  checkFilter(s, i, filter);
  let periods = periodsOf(s, i);
  if (q.from) periods = periods.filter((p) => p.end >= resolveDate(q.from!));
  if (q.to) periods = periods.filter((p) => p.end <= resolveDate(q.to!));
  // With `at`, every period is shown on one boundary version (e.g. reallocated estimates across a change).
  const fixed = q.at ? resolveDate(q.at) : undefined;
  const targets = periods
    .map((p) => ({
      period: p,
      date: fixed ?? p.end,
      version: versionValidAt(s.versionsByLayer.get(layer.id) ?? [], fixed ?? p.end),
    }))
    .filter((t) => t.version);
  const named = await areaNamesInVersions(db, q.area, [...new Set(targets.map((t) => t.version!.id))]);
  const nameIn = new Map(named.map((r) => [r.v, r.name]));
  if (!named.length) throw new NotFound(coded('area-not-found', { area: q.area, layer: layer.key }));
  await prepare(db, s, [{ indicator: i, filter, periodIds: targets.map((t) => t.period.id) }]);
  // Periods with data only on other layers (e.g. a later import for another layer) are no points here.
  const shown = withDataOn(s, i, filter, layer, targets, (t) => t.period);
  let prev: number | undefined;
  const points = shown.map((t) => {
    const v: AreaValue = nameIn.has(t.version!.id)
      ? evaluate(s, i, filter, t.period.id, t.version!.id, t.date, who).value(q.area)
      : {
          value: null,
          base: null,
          status: 'missing' as const,
          ...reasonFields(coded('reason-not-in-version')),
          computed: false,
        };
    const change = prev !== undefined && prev !== t.version!.id;
    prev = t.version!.id;
    return {
      period: t.period.key,
      periodType: t.period.type,
      referenceDate: t.period.end,
      value: v.value,
      base: v.base,
      status: v.status,
      ...reasonOnly(v),
      versionValidFrom: t.version!.validFrom,
      boundaryChange: change,
      areaName: nameIn.get(t.version!.id) ?? null,
      ...(v.disclosure ? { disclosure: v.disclosure } : {}),
    };
  });
  return {
    indicator: indicatorMeta(i, s),
    layer: { key: layer.key, name: layer.name },
    area: q.area,
    filter,
    unit: i.unit,
    source: i.source,
    points,
  };
}

function resolveDate(text: string): string {
  const p = parsePeriod(text);
  if (!p) throw badRequest(`"${text}" is not a period or date.`, PERIOD_HINT, text);
  return p.end;
}

// ---------------------------------------------------------------------------------------------
// Area profile

export async function getAreaProfile(
  db: Queryable,
  q: { layer: string; area: string; at?: string; indicators?: (i: IndicatorRow) => boolean },
  who: Principal,
): Promise<ProfileAnswer> {
  const s = await snapshot(db);
  const layer = requireLayer(s, q.layer);
  const date = q.at ? resolveDate(q.at) : undefined;
  const current = versionValidAt(s.versionsByLayer.get(layer.id) ?? [], date ?? null);
  if (!current) throw new NotFound(layerWithoutVersion(layer.key, date));
  const a = await areaWithParent(db, current.id, q.area);
  if (!a) throw new NotFound(coded('area-not-found', { area: q.area, layer: layer.key }));
  const children = await childAreas(db, a.id);
  const parentLayer = a.parent_layer ? s.layerByKey.get(a.parent_layer) : undefined;
  const areas = await areasOf(db, s, current.id);
  const nameOf = new Map(areas.map((x) => [x.code, x.name]));
  const near = [...((await neighboursIn(db, s, current.id)).get(q.area) ?? [])]
    .sort()
    .map((code) => ({ layer: layer.key, code, name: nameOf.get(code) ?? code }));
  const codes = areas.map((x) => x.code);
  // Only indicators that can have values on this layer: one stored only on school catchments
  // would show "no data" in every Stadtteil profile.
  const withData = await layersWithData(db, s);
  const plan = s.indicators
    .filter(
      (i) =>
        readable(s, who, i) &&
        (!q.indicators || q.indicators(i)) &&
        (withData.get(dataIndicator(s, i).id) ?? []).includes(layer.key),
    )
    .map((i) => ({
      i,
      usable: periodsOf(s, i).filter(
        (p) =>
          (!date || p.end <= date) && versionValidAt(s.versionsByLayer.get(layer.id) ?? [], p.end)?.id === current.id,
      ),
    }))
    .filter((x) => x.usable.length > 0);
  // One round of queries for every indicator and period of the profile.
  await prepare(
    db,
    s,
    plan.map((x) => ({ indicator: x.i, filter: {}, periodIds: x.usable.map((p) => p.id) })),
  );
  const entries: ProfileEntry[] = [];
  for (const x of plan) {
    const i = x.i;
    // The latest period with data on this layer, and the trend over such periods.
    const usable = withDataOn(s, i, {}, layer, x.usable, (p) => p);
    const latest = usable[usable.length - 1];
    const calc = evaluate(s, i, {}, latest.id, current.id, latest.end, who);
    const vals = areas.map((x) => calc.value(x.code));
    const ranks = rankDescending(vals.map((v) => v.value));
    const k = codes.indexOf(q.area);
    const own = vals[k];
    const city = calc.total(codes);
    let parent: AreaValue | null = null;
    if (parentLayer && a.parent_code) {
      const pv = versionValidAt(s.versionsByLayer.get(parentLayer.id) ?? [], latest.end);
      if (pv) parent = evaluate(s, i, {}, latest.id, pv.id, latest.end, who).value(a.parent_code);
    }
    entries.push({
      indicator: indicatorMeta(i, s),
      period: latest.key,
      referenceDate: latest.end,
      value: own.value,
      base: own.base,
      status: own.status,
      ...reasonOnly(own),
      cityValue: city.value,
      cityStatus: city.status,
      parentValue: parent?.value ?? null,
      parentStatus: parent?.status ?? null,
      rank: ranks[k],
      rankOf: ranks.filter((r) => r !== null).length,
      trend: usable.map((p) => {
        const v = evaluate(s, i, {}, p.id, current.id, p.end, who).value(q.area);
        return {
          period: p.key,
          value: v.value,
          status: v.status,
          ...(v.disclosure ? { disclosure: v.disclosure } : {}),
        };
      }),
      ...(own.disclosure ? { disclosure: own.disclosure } : {}),
    });
  }
  const restricted = plan.filter((x) => guardOf(s, x.i).confidentiality === 'restricted').map((x) => x.i.key);
  if (restricted.length && who.kind === 'user')
    await audit(db, who, {
      action: 'read',
      objectType: 'profile',
      objectKey: `${layer.key}/${q.area}`,
      details: { restricted },
    });
  const themes = new Map<string, ProfileEntry[]>();
  for (const e of entries) {
    const t = e.indicator.themes[0] ?? 'Sonstiges';
    if (!themes.has(t)) themes.set(t, []);
    themes.get(t)!.push(e);
  }
  return {
    layer: { key: layer.key, name: layer.name, version: { validFrom: current.validFrom, validTo: current.validTo } },
    area: {
      code: q.area,
      name: a.name,
      parent: a.parent_code ? { layer: a.parent_layer!, code: a.parent_code, name: a.parent_name! } : null,
      children,
      neighbours: near,
    },
    themes: [...themes.entries()].map(([theme, es]) => ({ theme, entries: es })),
  };
}
