// Resolves area codes to area ids for a period: the layer version valid on the period's
// reference date decides which area a code means (codes can be reused across versions).
import type { Queryable } from '../store/db.ts';
import {
  loadLayers,
  loadLayerVersions,
  versionValidAt,
  type LayerRow,
  type LayerVersionRow,
} from '../store/catalog.ts';
import { areaCodes } from '../store/areas-read.ts';

export type Resolution =
  { ok: true; areaId: number; layer: LayerRow; version: LayerVersionRow } | { ok: false; reason: string; hint: string };

export class AreaResolver {
  private constructor(
    private readonly layers: LayerRow[],
    private readonly versions: Map<number, LayerVersionRow[]>,
    private readonly codes: Map<number, Map<string, number>>,
  ) {}

  static async load(tx: Queryable, onlyLayer?: LayerRow): Promise<AreaResolver> {
    const layers = onlyLayer ? [onlyLayer] : await loadLayers(tx);
    const versions = new Map<number, LayerVersionRow[]>();
    for (const v of await loadLayerVersions(tx, onlyLayer?.id)) {
      if (!versions.has(v.layerId)) versions.set(v.layerId, []);
      versions.get(v.layerId)!.push(v);
    }
    const rows = await areaCodes(tx, onlyLayer?.id);
    const codes = new Map<number, Map<string, number>>();
    for (const r of rows) {
      if (!codes.has(r.v)) codes.set(r.v, new Map());
      codes.get(r.v)!.set(r.code, r.id);
    }
    return new AreaResolver(layers, versions, codes);
  }

  get layerCount(): number {
    return this.layers.length;
  }

  private readonly caches = new Map<string, Map<string, Resolution>>();

  /**
   * A cache for the codes found on a date, shared by every date on which the same boundary
   * versions are valid (a file's many periods mostly share one): a file repeats the same codes.
   * Holds found codes only; what is not found is explained per date.
   */
  cacheAt(date: string): Map<string, Resolution> {
    const key = this.layers.map((l) => versionValidAt(this.versions.get(l.id) ?? [], date)?.id ?? 0).join(',');
    let cache = this.caches.get(key);
    if (!cache) this.caches.set(key, (cache = new Map()));
    return cache;
  }

  /** The area with this code in the version valid on the date, searched in all loaded layers. */
  resolve(code: string, date: string): Resolution {
    let found: { areaId: number; layer: LayerRow; version: LayerVersionRow } | undefined;
    const inLayers: string[] = [];
    for (const layer of this.layers) {
      const version = versionValidAt(this.versions.get(layer.id) ?? [], date);
      if (!version) continue;
      const id = this.codes.get(version.id)?.get(code);
      if (id === undefined) continue;
      inLayers.push(layer.key);
      found = { areaId: id, layer, version };
    }
    if (inLayers.length === 1) return { ok: true, ...found! };
    if (inLayers.length > 1) {
      return {
        ok: false,
        reason: `the area code ${code} exists in several layers (${inLayers.join(', ')})`,
        hint: 'name the layer with --layer KEY',
      };
    }
    const where = this.layers.length === 1 ? `layer "${this.layers[0].key}"` : 'any layer';
    const noVersion = this.layers.length === 1 && !versionValidAt(this.versions.get(this.layers[0].id) ?? [], date);
    return {
      ok: false,
      reason: noVersion
        ? `${where} has no boundary version valid on ${date}`
        : `the area code ${code} does not exist in ${where} on ${date}`,
      hint: noVersion
        ? 'import a boundary version valid for that period, or check the period'
        : /^\d+$/.test(code) && code.length < 8
          ? 'check the code; leading zeros count (a spreadsheet may have dropped them: store codes as text)'
          : 'check the code and the layer, or import the areas first',
    };
  }
}
