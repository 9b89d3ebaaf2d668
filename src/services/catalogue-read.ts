// Use cases that list the spatial structure and the indicator catalogue.
import type { Queryable } from '../store/db.ts';
import { versionValidAt } from '../store/catalog.ts';
import { areaFeatures } from '../store/areas-read.ts';
import { NotFound, InputRejected, layerWithoutVersion } from '../core/problems.ts';
import { parsePeriod } from '../core/periods.ts';
import { snapshot, layersWithData } from './snapshot.ts';
import {
  indicatorMeta,
  periodsOf,
  requireReadable,
  requireLayer,
  effectiveDimensions,
  readable,
  dataIndicator,
} from './query.ts';
import type { AreaFeatureCollection, IndicatorDetail, IndicatorInfo } from '../contracts/answers/index.ts';

export type { AreaFeatureCollection, IndicatorDetail, IndicatorInfo } from '../contracts/answers/index.ts';
import type { Principal } from '../core/access.ts';
import type { Geometry } from 'geojson';

/** The layers and their versions: two small queries, not the whole read snapshot (a CLI command reads it once). */
export { listLayers } from './layer-list.ts';

/** The areas of a layer version as GeoJSON; `at` (a date or period) picks the version, default the current one. */
export async function areasGeoJson(
  db: Queryable,
  layerKey: string,
  at?: string,
  withGeometry = true,
): Promise<AreaFeatureCollection<Geometry>> {
  const s = await snapshot(db);
  const layer = requireLayer(s, layerKey);
  let date: string | undefined;
  if (at) {
    const p = parsePeriod(at);
    if (!p)
      throw new InputRejected(
        [{ severity: 'error', code: 'bad-request', reason: `"${at}" is not a date`, value: at }],
        `"${at}" is not a date or period; write 2021-01-01.`,
      );
    date = p.end;
  }
  const v = versionValidAt(s.versionsByLayer.get(layer.id) ?? [], date ?? null);
  if (!v) throw new NotFound(layerWithoutVersion(layer.key, date));
  const rows = await areaFeatures(db, v.id, withGeometry);
  return {
    type: 'FeatureCollection',
    layer: {
      key: layer.key,
      name: layer.name,
      kind: layer.kind,
      version: { validFrom: v.validFrom, validTo: v.validTo },
    },
    features: rows.map((r) => ({
      type: 'Feature',
      id: r.code,
      ...(r.bbox ? { bbox: r.bbox } : {}),
      properties: { code: r.code, name: r.name, parent: r.parent },
      geometry: r.geometry,
    })),
  };
}

/** The indicators the principal may read (others are left out, not marked). */
export async function listIndicators(db: Queryable, who: Principal, theme?: string): Promise<IndicatorInfo[]> {
  const s = await snapshot(db);
  const withData = await layersWithData(db, s);
  const out: IndicatorInfo[] = [];
  for (const i of s.indicators) {
    if (theme && !i.themes.includes(theme)) continue;
    if (!readable(s, who, i)) continue;
    const periods = periodsOf(s, i);
    out.push({
      ...indicatorMeta(i, s),
      dimensions: effectiveDimensions(i, s),
      periods: periods.map((p) => p.key),
      layers: withData.get(dataIndicator(s, i).id) ?? [],
    });
  }
  return out;
}

export async function getIndicator(db: Queryable, key: string, who: Principal): Promise<IndicatorDetail> {
  const s = await snapshot(db);
  const i = await requireReadable(db, s, who, key);
  const periods = periodsOf(s, i);
  const dims = effectiveDimensions(i, s);
  const layers = (await layersWithData(db, s)).get(dataIndicator(s, i).id) ?? [];
  const dimensionMembers: Record<string, { key: string; name: string }[]> = {};
  for (const d of dims)
    dimensionMembers[d] = (s.dimensions.find((x) => x.key === d)?.members ?? []).map((m) => ({
      key: m.key,
      name: m.name,
    }));
  return { ...indicatorMeta(i, s), dimensions: dims, periods: periods.map((p) => p.key), layers, dimensionMembers };
}
