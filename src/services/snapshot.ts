// A read snapshot of the small catalogue tables (layers, versions, indicators, dimensions,
// periods), reused across requests until the next import batch. Every change goes through an
// import batch, so a batch written by a transaction the snapshot could not see tells that the
// snapshot is out of date (migration 009).
import type { Queryable } from '../store/db.ts';
import {
  loadDimensions,
  loadIndicators,
  loadLayers,
  loadLayerVersions,
  loadPeriods,
  type DimensionRow,
  type IndicatorRow,
  type LayerRow,
  type LayerVersionRow,
  type PeriodRow,
} from '../store/catalog.ts';
import { observationCoverage } from '../store/coverage.ts';
import { areaShapes } from '../store/areas-read.ts';
import { batchState, changedSince, currentStamp } from '../store/batches.ts';
import { loadClosure, periodsWithData, sumsBySourceArea, type SourceSumsRow } from '../store/aggregation.ts';
import { SourceSumsTable, type SourceSums } from '../core/aggregate.ts';
import { neighbours } from '../core/geo/adjacency.ts';
import type { IndicatorPattern } from './disclosure-pattern.ts';

export interface Snapshot {
  /** The database snapshot (pg_current_snapshot) current when this one was read. */
  stamp: string;
  /** Embedded engine: its data generation when this one was read (see Database.dataGeneration). */
  generation?: number;
  layers: LayerRow[];
  layerByKey: Map<string, LayerRow>;
  versionsByLayer: Map<number, LayerVersionRow[]>;
  indicators: IndicatorRow[];
  indicatorByKey: Map<string, IndicatorRow>;
  dimensions: DimensionRow[];
  periods: PeriodRow[];
  periodByKey: Map<string, PeriodRow>;
  periodById: Map<number, PeriodRow>;
  /** Periods with data per indicator id, oldest first. */
  periodsByIndicator: Map<number, PeriodRow[]>;
  /** Per source area: its ancestors (itself at depth 0) with their version and code. */
  ancestors: Map<number, { depth: number; versionId: number; code: string }[]>;
  /** Lazily built: source area → target area in a layer version. */
  targetMaps: Map<string, Map<number, { code: string; depth: number }>>;
  /** Source sums per indicator, filter and period, loaded on demand (see loadSums). */
  sums: SourceSumsCache;
  /** Neighbours per layer version (code → codes), computed on demand. */
  neighbours: Map<number, Map<string, Set<string>>>;
  /** Code and name of the areas per layer version, loaded on demand. */
  areas: Map<number, { code: string; name: string }[]>;
  /** Per indicator id, read on demand: the layers it has values on (stored there or aggregated up), and its import dates. */
  coverage?: { layers: Map<number, string[]>; dates: Map<number, { first: string; last: string }> };
  /** Disclosure patterns per "indicatorId|periodId", computed on demand (services/disclosure.ts): one per data version. */
  disclosure: Map<string, Promise<IndicatorPattern | null>>;
  /** The finished ones, for the synchronous lookups of the read paths. */
  disclosureReady: Map<string, IndicatorPattern | null>;
}

/**
 * Source-sum rows one snapshot keeps, in typed columns (about 60 bytes each, outside the traced
 * heap). Without a bound, a city of 2,000 areas asked for each of its 460 periods kept 920,000
 * of them; as objects that was 300 MB of heap, and with a few such tenants in one process the
 * collector's pauses reached hundreds of milliseconds for every tenant's requests.
 */
const MAX_CACHED_SUM_ROWS = 500_000;

/** Loaded source sums of one snapshot, least recently used first out, bounded by rows. */
export class SourceSumsCache {
  private readonly entries = new Map<string, SourceSumsTable>();
  private heldRows = 0;

  constructor(private readonly maxRows = MAX_CACHED_SUM_ROWS) {}

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): SourceSumsTable | undefined {
    const rows = this.entries.get(key);
    if (rows) {
      this.entries.delete(key);
      this.entries.set(key, rows);
    }
    return rows;
  }

  /** Adds entries, then drops the least recently used ones beyond the bound, never one in `keep`. */
  put(fresh: Map<string, SourceSums[]>, keep: ReadonlySet<string>): void {
    for (const [k, list] of fresh) {
      const v = new SourceSumsTable(list);
      const old = this.entries.get(k);
      if (old) this.heldRows -= old.length;
      this.entries.delete(k);
      this.entries.set(k, v);
      this.heldRows += v.length;
    }
    for (const [k, v] of this.entries) {
      if (this.heldRows <= this.maxRows) break;
      if (keep.has(k)) continue;
      this.entries.delete(k);
      this.heldRows -= v.length;
    }
  }

  get rows(): number {
    return this.heldRows;
  }

  get size(): number {
    return this.entries.size;
  }
}

export function sumsKey(indicatorId: number, filter: Record<string, string>, periodId: number): string {
  const f = Object.keys(filter)
    .sort()
    .map((k) => `${k}=${filter[k]}`)
    .join('&');
  return `${indicatorId}|${f}|${periodId}`;
}

/**
 * The layers on which an indicator (by id) has values: the layers its observations are stored on,
 * and every coarser layer of their hierarchy (values are aggregated up).
 */
export async function layersWithData(db: Queryable, s: Snapshot): Promise<Map<number, string[]>> {
  return (await coverage(db, s)).layers;
}

/** When each indicator's observations (by indicator id) were first and last imported, on any layer. */
export async function importDates(db: Queryable, s: Snapshot): Promise<Map<number, { first: string; last: string }>> {
  return (await coverage(db, s)).dates;
}

async function coverage(db: Queryable, s: Snapshot): Promise<NonNullable<Snapshot['coverage']>> {
  if (s.coverage) return s.coverage;
  const rows = await observationCoverage(db);
  const byId = new Map(s.layers.map((l) => [l.id, l]));
  const out = new Map<number, Set<number>>();
  const dates = new Map<number, { first: string; last: string }>();
  for (const r of rows) {
    if (!out.has(r.indicatorId)) out.set(r.indicatorId, new Set());
    for (let l = byId.get(r.layerId); l; l = l.parentLayerId !== null ? byId.get(l.parentLayerId) : undefined)
      out.get(r.indicatorId)!.add(l.id);
    const d = dates.get(r.indicatorId);
    if (!d) dates.set(r.indicatorId, { first: r.first, last: r.last });
    else {
      if (r.first < d.first) d.first = r.first;
      if (r.last > d.last) d.last = r.last;
    }
  }
  const order = new Map(s.layers.map((l, i) => [l.id, i]));
  const layers = new Map(
    [...out].map(([i, set]) => [
      i,
      [...set].sort((a, b) => order.get(a)! - order.get(b)!).map((id) => byId.get(id)!.key),
    ]),
  );
  s.coverage = { layers, dates };
  return s.coverage;
}

/** Neighbouring areas within a layer version (shared boundary vertices). */
export async function neighboursIn(db: Queryable, s: Snapshot, versionId: number): Promise<Map<string, Set<string>>> {
  let m = s.neighbours.get(versionId);
  if (!m) {
    m = neighbours(await areaShapes(db, versionId));
    s.neighbours.set(versionId, m);
  }
  return m;
}

function validOn(v: { validFrom: string | null; validTo: string | null }, date: string): boolean {
  return (v.validFrom === null || v.validFrom <= date) && (v.validTo === null || date < v.validTo);
}

/**
 * The target area (code, depth) of each source area in a layer version, for values on a date:
 * only observations stored on boundary versions valid on that date count, so estimates carried
 * onto a later version (reallocation) never mix with the data of the version of their time.
 */
export function targetMap(s: Snapshot, versionId: number, date: string): Map<number, { code: string; depth: number }> {
  const versions = new Map<number, LayerVersionRow>();
  for (const list of s.versionsByLayer.values()) for (const v of list) versions.set(v.id, v);
  // Keyed by the versions valid on the date, not by the date: every period of a city with one
  // boundary version shares one map (a map per period kept 2,000 entries for each).
  const valid: number[] = [];
  for (const v of versions.values()) if (validOn(v, date)) valid.push(v.id);
  const key = `${versionId}|${valid.join(',')}`;
  let m = s.targetMaps.get(key);
  if (!m) {
    m = new Map();
    for (const [areaId, list] of s.ancestors) {
      const own = list.find((a) => a.depth === 0);
      const ownVersion = own ? versions.get(own.versionId) : undefined;
      if (!ownVersion || !validOn(ownVersion, date)) continue;
      for (const a of list) if (a.versionId === versionId) m.set(areaId, { code: a.code, depth: a.depth });
    }
    s.targetMaps.set(key, m);
  }
  return m;
}

/**
 * Makes sure the source sums of these (indicator, filter, periods) needs are in the snapshot's
 * cache; needs sharing a filter are fetched in one query.
 */
export async function loadSums(
  db: Queryable,
  s: Snapshot,
  needs: { indicatorId: number; filter: Record<string, string>; periodIds: number[] }[],
): Promise<void> {
  const byFilter = new Map<
    string,
    { filter: Record<string, string>; indicators: Set<number>; periods: Set<number>; keys: string[] }
  >();
  // Every key this request reads stays, also one loaded by an earlier request.
  const needed = new Set<string>();
  for (const n of needs) {
    const keys = n.periodIds.map((p) => sumsKey(n.indicatorId, n.filter, p));
    for (const k of keys) needed.add(k);
    const missing = n.periodIds.filter((_, j) => !s.sums.has(keys[j]));
    if (!missing.length) continue;
    const fk = sumsKey(0, n.filter, 0);
    let g = byFilter.get(fk);
    if (!g) byFilter.set(fk, (g = { filter: n.filter, indicators: new Set(), periods: new Set(), keys: [] }));
    g.indicators.add(n.indicatorId);
    for (const p of missing) {
      g.periods.add(p);
      g.keys.push(sumsKey(n.indicatorId, n.filter, p));
    }
  }
  for (const g of byFilter.values()) {
    const rows: SourceSumsRow[] = await sumsBySourceArea(db, [...g.indicators], [...g.periods], g.filter);
    const fresh = new Map<string, SourceSums[]>();
    for (const k of g.keys) fresh.set(k, []);
    for (const r of rows) {
      const k = sumsKey(r.indicatorId, g.filter, r.periodId);
      let list = fresh.get(k);
      if (!list) fresh.set(k, (list = []));
      list.push(r);
    }
    s.sums.put(fresh, needed);
  }
}

const cache = new WeakMap<object, Snapshot>();

/**
 * The current snapshot when that is known without a query (the embedded engine's unchanged data
 * generation), else undefined: then ask `snapshot`.
 */
export function currentSnapshot(db: Queryable): Snapshot | undefined {
  const cached = cache.get(db);
  const generation = (db as { dataGeneration?: number }).dataGeneration;
  return cached && generation !== undefined && cached.generation === generation ? cached : undefined;
}

export async function snapshot(db: Queryable): Promise<Snapshot> {
  const routed = (db as { readTarget?: () => Promise<Queryable> }).readTarget;
  if (routed) return replicatedSnapshot(db, () => routed.call(db));
  const cached = cache.get(db);
  // The embedded engine counts its own changes: no query while the count is the same — also not
  // while an import holds the engine in a long transaction.
  const generation = (db as { dataGeneration?: number }).dataGeneration;
  if (cached && generation !== undefined && cached.generation === generation) return cached;
  // The stamp is taken before anything is read: a batch committed while the snapshot loads is
  // seen (or not) by the loads, and in any case found changed at the next check, never missed.
  const { rows } = cached ? await changedSince(db, cached.stamp) : await currentStamp(db);
  if (cached && !rows[0].changed) return cached;
  const snap = await load(db, rows[0].stamp, generation);
  cache.set(db, snap);
  return snap;
}

/**
 * With read replicas the freshness check runs against the backend the request reads from, with
 * that backend's own stamp: a primary's stamp checked on a replica that has not replayed the
 * batch yet would keep a snapshot whose lazily loaded parts then come from older data. Backends
 * at the same data state share one Snapshot (and so the answer cache and every cache keyed by
 * it): the state is named by the committed import batches (store/batches.ts batchState).
 */
const stamps = new WeakMap<object, { stamp: string; snap: Snapshot }>();
const byState = new WeakMap<object, Map<string, Snapshot>>();

async function replicatedSnapshot(db: Queryable, targetOf: () => Promise<Queryable>): Promise<Snapshot> {
  const seen = stamps.get(await targetOf());
  if (seen) {
    const { rows } = await changedSince(db, seen.stamp);
    if (!rows[0].changed) return seen.snap;
  }
  const now = await batchState(db);
  let states = byState.get(db);
  if (!states) byState.set(db, (states = new Map()));
  let snap = states.get(now.state);
  if (!snap) {
    snap = await load(db, now.stamp, undefined);
    states.set(now.state, snap);
    // A few states at once: replicas a little behind the primary.
    for (const k of states.keys()) if (states.size > 4) states.delete(k);
  }
  // Kept for the backend that answered: a replica that failed meanwhile left the request on the primary.
  stamps.set(await targetOf(), { stamp: now.stamp, snap });
  return snap;
}

async function load(db: Queryable, stamp: string, generation: number | undefined): Promise<Snapshot> {
  const [layers, versions, indicators, dimensions, periods, withData, closure] = [
    await loadLayers(db),
    await loadLayerVersions(db),
    await loadIndicators(db),
    await loadDimensions(db),
    await loadPeriods(db),
    await periodsWithData(db),
    await loadClosure(db),
  ];
  const periodById = new Map(periods.map((p) => [p.id, p]));
  const periodsByIndicator = new Map<number, PeriodRow[]>();
  for (const r of withData) {
    if (!periodsByIndicator.has(r.indicatorId)) periodsByIndicator.set(r.indicatorId, []);
    periodsByIndicator.get(r.indicatorId)!.push(periodById.get(r.periodId)!);
  }
  for (const list of periodsByIndicator.values())
    list.sort((a, b) => (a.end < b.end ? -1 : a.end > b.end ? 1 : a.key < b.key ? -1 : 1));
  const ancestors = new Map<number, { depth: number; versionId: number; code: string }[]>();
  for (const c of closure) {
    if (!ancestors.has(c.areaId)) ancestors.set(c.areaId, []);
    ancestors.get(c.areaId)!.push({ depth: c.depth, versionId: c.versionId, code: c.code });
  }
  const versionsByLayer = new Map<number, LayerVersionRow[]>();
  for (const v of versions) {
    if (!versionsByLayer.has(v.layerId)) versionsByLayer.set(v.layerId, []);
    versionsByLayer.get(v.layerId)!.push(v);
  }
  const snap: Snapshot = {
    stamp,
    generation,
    layers,
    layerByKey: new Map(layers.map((l) => [l.key, l])),
    versionsByLayer,
    indicators,
    indicatorByKey: new Map(indicators.map((i) => [i.key, i])),
    dimensions,
    periods,
    periodByKey: new Map(periods.map((p) => [p.key, p])),
    periodById,
    periodsByIndicator,
    ancestors,
    targetMaps: new Map(),
    sums: new SourceSumsCache(),
    neighbours: new Map(),
    areas: new Map(),
    disclosure: new Map(),
    disclosureReady: new Map(),
  };
  return snap;
}
