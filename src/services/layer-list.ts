// The list of layers and their boundary versions. A module of its own, with nothing but the
// catalogue's SQL behind it, so `kommunalmonitor layers` loads no more than it needs.
import type { Queryable } from '../store/db.ts';
import { loadLayers, loadLayerVersions } from '../store/catalog.ts';
import type { LayerInfo } from '../contracts/answers/index.ts';

export async function listLayers(db: Queryable): Promise<LayerInfo[]> {
  const [layers, versions] = [await loadLayers(db), await loadLayerVersions(db)];
  return layers.map((l) => ({
    key: l.key,
    name: l.name,
    kind: l.kind,
    parentLayer: l.parentLayerKey,
    versions: versions
      .filter((v) => v.layerId === l.id)
      .map((v) => ({ validFrom: v.validFrom, validTo: v.validTo, areas: v.areaCount, sourceCrs: v.sourceCrs })),
  }));
}
