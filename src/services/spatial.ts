// Use cases of spatial integration: crosswalks between layers and boundary versions, layer
// congruence, and assigning points to the areas of every layer.
import type { Queryable } from '../store/db.ts';
import { versionValidAt } from '../store/catalog.ts';
import { areaWeights, populationWeights, withFallback, congruence, type Crosswalk, type Congruence, type OverlayArea } from '../core/geo/overlay.ts';
import { PointIndex } from '../core/geo/point-index.ts';
import { parsePeriod } from '../core/periods.ts';
import { InputRejected, NotFound } from '../core/problems.ts';
import type { AreaGeometry } from '../core/geo/types.ts';
import type { Principal } from '../core/access.ts';
import { csvLine, csvNumber, decimalFor } from '../formats/csv-write.ts';
import { snapshot } from './snapshot.ts';
import { requireLayer, getObservations, periodsOf, requireReadable } from './query.ts';

export interface LayerRef {
  layer: string;
  /** A date (or period) whose boundary version is meant; default the current version. */
  at?: string;
}

/** "stadtteil@2020-12-31" → { layer: "stadtteil", at: "2020-12-31" }. */
export function parseLayerRef(text: string): LayerRef {
  const [layer, at] = text.split('@');
  if (!layer || !/^[a-z][a-z0-9_]*$/.test(layer)) {
    throw new InputRejected([{ severity: 'error', code: 'bad-layer', value: text, reason: `"${text}" is not a layer reference` }], `"${text}" is not a layer reference; write LAYER or LAYER@DATE, e.g. stadtteil@2020-12-31.`);
  }
  return at ? { layer, at } : { layer };
}

export interface LayerAreas {
  layer: string;
  validFrom: string | null;
  areas: (OverlayArea & { name: string })[];
}

export async function layerAreas(db: Queryable, ref: LayerRef): Promise<LayerAreas> {
  const s = await snapshot(db);
  const layer = requireLayer(s, ref.layer);
  const date = ref.at ? parsePeriod(ref.at)?.end : undefined;
  if (ref.at && !date) throw new InputRejected([{ severity: 'error', code: 'bad-date', value: ref.at, reason: `"${ref.at}" is not a date` }], `"${ref.at}" is not a date; write 2021-01-01.`);
  const v = versionValidAt(s.versionsByLayer.get(layer.id) ?? [], date ?? null);
  if (!v) throw new NotFound(`The layer "${layer.key}" has no boundary version${date ? ` valid on ${date}` : ''}.`);
  const { rows } = await db.query<{ code: string; name: string; geometry: AreaGeometry | null }>('SELECT code, name, geometry FROM area WHERE layer_version_id = $1 ORDER BY code', [v.id]);
  if (rows.every((r) => !r.geometry)) throw new InputRejected([{ severity: 'error', code: 'no-geometry', reason: `the layer "${layer.key}" has no geometry` }], `The layer "${layer.key}" has no geometry; import it from GeoJSON or a Shapefile.`);
  return { layer: layer.key, validFrom: v.validFrom, areas: rows };
}

export interface CrosswalkOptions {
  from: LayerRef;
  to: LayerRef;
  weights?: 'area' | 'population';
  /** Population weights: the count indicator (default einwohner) on the layer where it is stored. */
  populationIndicator?: string;
  populationLayer?: string;
  populationPeriod?: string;
}

export interface CrosswalkAnswer {
  from: { layer: string; validFrom: string | null };
  to: { layer: string; validFrom: string | null };
  basis: string;
  population?: { indicator: string; layer: string; period: string };
  crosswalk: Crosswalk;
}

/**
 * The crosswalk between two layers or boundary versions. Population weights count the
 * residents of a finer layer (each fine area assigned as a whole by a point inside it — exact
 * when it nests in both layers); areas without residents fall back to surface weights.
 */
export async function crosswalkFor(db: Queryable, who: Principal, o: CrosswalkOptions): Promise<CrosswalkAnswer> {
  const [from, to] = [await layerAreas(db, o.from), await layerAreas(db, o.to)];
  const byArea = areaWeights(from.areas, to.areas);
  const head = { from: { layer: from.layer, validFrom: from.validFrom }, to: { layer: to.layer, validFrom: to.validFrom } };
  if ((o.weights ?? 'area') === 'area') return { ...head, basis: 'area', crosswalk: byArea };
  const indicator = o.populationIndicator ?? 'einwohner';
  const s = await snapshot(db);
  const ind = await requireReadable(db, s, who, indicator);
  const periods = periodsOf(s, ind);
  if (!periods.length) throw new NotFound(`The indicator "${indicator}" has no data for population weights.`);
  const period = o.populationPeriod ?? periods[periods.length - 1].key;
  const fineLayer = o.populationLayer ?? (await storedLayer(db, ind.id));
  const fine = await layerAreas(db, { layer: fineLayer, at: period });
  const values = await getObservations(db, { indicator, layer: fineLayer, period }, who);
  const pop = new Map(values.values.map((v) => [v.area, v.value ?? 0]));
  const cw = populationWeights(from.areas, to.areas, { kind: 'areas', areas: fine.areas.map((a) => ({ geometry: a.geometry, population: pop.get(a.code) ?? 0 })) });
  return { ...head, basis: 'population', population: { indicator, layer: fineLayer, period: values.period.key }, crosswalk: withFallback(cw, byArea) };
}

/** The layer most of an indicator's observations are stored on (its finest source). */
async function storedLayer(db: Queryable, indicatorId: number): Promise<string> {
  const { rows } = await db.query<{ key: string }>(
    `SELECT l.key FROM observation o JOIN area a ON a.id = o.area_id JOIN layer_version v ON v.id = a.layer_version_id JOIN layer l ON l.id = v.layer_id
      WHERE o.indicator_id = $1 GROUP BY l.key ORDER BY count(*) DESC LIMIT 1`,
    [indicatorId],
  );
  if (!rows.length) throw new NotFound('The population indicator has no stored observations.');
  return rows[0].key;
}

export function crosswalkToCsv(a: CrosswalkAnswer, delimiter: ';' | ',' = ';'): string {
  const dec = decimalFor(delimiter);
  const lines = [csvLine(['from', 'to', 'weight'], delimiter)];
  for (const p of a.crosswalk.pairs) lines.push(csvLine([p.from, p.to, csvNumber(p.weight, dec)], delimiter));
  return lines.join('\n') + '\n';
}

export async function congruenceFor(db: Queryable, who: Principal, a: LayerRef, b: LayerRef, weights: 'area' | 'population' = 'area'): Promise<CrosswalkAnswer & { congruence: Congruence }> {
  const cw = await crosswalkFor(db, who, { from: a, to: b, weights });
  return { ...cw, congruence: congruence(cw.crosswalk) };
}

// ---------------------------------------------------------------------------------------------
// Points to areas

export interface PointAssignment {
  /** Per layer: the area code of each point (null outside all areas). */
  codes: Record<string, (string | null)[]>;
  outside: Record<string, number>;
}

/** Assigns WGS84 points to the current areas of the given layers (default: every layer with geometry). */
export async function assignPointsToLayers(db: Queryable, xs: Float64Array, ys: Float64Array, layers?: string[], at?: string): Promise<PointAssignment> {
  const s = await snapshot(db);
  const keys = layers ?? s.layers.map((l) => l.key);
  const codes: Record<string, (string | null)[]> = {};
  const outside: Record<string, number> = {};
  for (const key of keys) {
    let la: LayerAreas;
    try {
      la = await layerAreas(db, { layer: key, at });
    } catch (e) {
      if (layers) throw e;
      continue; // a layer without geometry cannot take points
    }
    const index = PointIndex.build(la.areas.map((a) => a.geometry));
    const out = new Int32Array(xs.length);
    index.assignMany(xs, ys, out);
    const list: (string | null)[] = new Array(xs.length);
    let n = 0;
    for (let i = 0; i < out.length; i++) {
      list[i] = out[i] >= 0 ? la.areas[out[i]].code : null;
      if (out[i] < 0) n++;
    }
    codes[key] = list;
    outside[key] = n;
  }
  return { codes, outside };
}
