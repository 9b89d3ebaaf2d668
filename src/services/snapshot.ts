// A read snapshot of the small catalogue tables (layers, versions, indicators, dimensions,
// periods), reused across requests until the next import batch. Every change goes through an
// import batch, so the highest batch id tells whether the snapshot is still current.
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

export interface Snapshot {
  stamp: string;
  layers: LayerRow[];
  layerByKey: Map<string, LayerRow>;
  versionsByLayer: Map<number, LayerVersionRow[]>;
  indicators: IndicatorRow[];
  indicatorByKey: Map<string, IndicatorRow>;
  dimensions: DimensionRow[];
  periods: PeriodRow[];
  periodByKey: Map<string, PeriodRow>;
  periodById: Map<number, PeriodRow>;
}

const cache = new WeakMap<object, Snapshot>();

export async function snapshot(db: Queryable): Promise<Snapshot> {
  const { rows } = await db.query<{ stamp: string }>(`SELECT COALESCE(max(id), 0) || ':' || (SELECT count(*) FROM import_batch) AS stamp FROM import_batch`);
  const stamp = rows[0].stamp;
  const cached = cache.get(db);
  if (cached && cached.stamp === stamp) return cached;
  const [layers, versions, indicators, dimensions, periods] = [
    await loadLayers(db),
    await loadLayerVersions(db),
    await loadIndicators(db),
    await loadDimensions(db),
    await loadPeriods(db),
  ];
  const versionsByLayer = new Map<number, LayerVersionRow[]>();
  for (const v of versions) {
    if (!versionsByLayer.has(v.layerId)) versionsByLayer.set(v.layerId, []);
    versionsByLayer.get(v.layerId)!.push(v);
  }
  const snap: Snapshot = {
    stamp,
    layers,
    layerByKey: new Map(layers.map((l) => [l.key, l])),
    versionsByLayer,
    indicators,
    indicatorByKey: new Map(indicators.map((i) => [i.key, i])),
    dimensions,
    periods,
    periodByKey: new Map(periods.map((p) => [p.key, p])),
    periodById: new Map(periods.map((p) => [p.id, p])),
  };
  cache.set(db, snap);
  return snap;
}
