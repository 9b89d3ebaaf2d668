// Use cases of spatial integration: crosswalks between layers and boundary versions, layer
// congruence, and assigning points to the areas of every layer.
import type { Queryable } from '../store/db.ts';
import { versionValidAt } from '../store/catalog.ts';
import { areaGeometries } from '../store/areas-read.ts';
import { layerWithMostObservations } from '../store/coverage.ts';
import { areaWeights, populationWeights, withFallback, type Crosswalk } from '../core/geo/crosswalk.ts';
import { congruence, type Congruence } from '../core/geo/congruence.ts';
import type { OverlayArea } from '../core/geo/overlay.ts';
import { PointIndex } from '../core/geo/point-index.ts';
import { parsePeriod } from '../core/periods.ts';
import { InputRejected, NotFound, Unauthorized, layerWithoutVersion } from '../core/problems.ts';
import { mayReadInternal, type Principal } from '../core/access.ts';
import { csvLine, csvNumber, decimalFor } from '../formats/csv-write.ts';
import { snapshot } from './snapshot.ts';
import { requireLayer, getObservations, periodsOf, requireReadable } from './query.ts';
import { addressPoints } from './address-register.ts';
import { coded } from '../contracts/codes/index.ts';
import type { PopulationBasisInfo, CrosswalkAnswer } from '../contracts/answers/index.ts';
export type { CrosswalkAnswer };

export interface LayerRef {
  layer: string;
  /** A date (or period) whose boundary version is meant; default the current version. */
  at?: string;
}

/** "stadtteil@2020-12-31" → { layer: "stadtteil", at: "2020-12-31" }. */
export function parseLayerRef(text: string): LayerRef {
  const [layer, at] = text.split('@');
  if (!layer || !/^[a-z][a-z0-9_]*$/.test(layer)) {
    throw new InputRejected(
      [{ severity: 'error', code: 'bad-layer', value: text, reason: `"${text}" is not a layer reference` }],
      `"${text}" is not a layer reference; write LAYER or LAYER@DATE, e.g. stadtteil@2020-12-31.`,
    );
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
  if (ref.at && !date)
    throw new InputRejected(
      [{ severity: 'error', code: 'bad-date', value: ref.at, reason: `"${ref.at}" is not a date` }],
      `"${ref.at}" is not a date; write 2021-01-01.`,
    );
  const v = versionValidAt(s.versionsByLayer.get(layer.id) ?? [], date ?? null);
  if (!v) throw new NotFound(layerWithoutVersion(layer.key, date));
  const rows = await areaGeometries(db, v.id);
  if (rows.every((r) => !r.geometry))
    throw new InputRejected(
      [{ severity: 'error', code: 'no-geometry', reason: `the layer "${layer.key}" has no geometry` }],
      `The layer "${layer.key}" has no geometry; import it from GeoJSON or a Shapefile.`,
    );
  return { layer: layer.key, validFrom: v.validFrom, areas: rows };
}

/**
 * Where population weights come from: `finer-layer` — a count indicator (einwohner) on a finer
 * layer; `addresses` — the points of the address register (each weighted by its residents when
 * the register version has resident counts, else 1 per address as a dwelling proxy); `auto` —
 * the finer layer when the population indicator has data, else the address points.
 */
export type PopulationSourceChoice = 'auto' | 'finer-layer' | 'addresses';

export interface CrosswalkOptions {
  from: LayerRef;
  to: LayerRef;
  weights?: 'area' | 'population';
  /** Population weights: where from (default auto). */
  populationSource?: PopulationSourceChoice;
  /** Population weights: the count indicator (default einwohner) on the layer where it is stored. */
  populationIndicator?: string;
  populationLayer?: string;
  populationPeriod?: string;
  /** Address points: the register version valid on this date (default the newest). */
  registerAt?: string;
}

/**
 * The crosswalk between two layers or boundary versions. Population weights count the
 * residents of a finer layer (each fine area assigned as a whole by a point inside it — exact
 * when it nests in both layers) or the points of the address register (by residents, or one per
 * address); from-areas without population fall back to surface weights, named in the answer.
 */
export async function crosswalkFor(db: Queryable, who: Principal, o: CrosswalkOptions): Promise<CrosswalkAnswer> {
  const [from, to] = [await layerAreas(db, o.from), await layerAreas(db, o.to)];
  const byArea = areaWeights(from.areas, to.areas);
  const head = {
    from: { layer: from.layer, validFrom: from.validFrom },
    to: { layer: to.layer, validFrom: to.validFrom },
  };
  if ((o.weights ?? 'area') === 'area') return { ...head, basis: 'area', crosswalk: byArea };
  const indicator = o.populationIndicator ?? 'einwohner';
  const s = await snapshot(db);
  let source = o.populationSource ?? 'auto';
  if (source === 'auto') {
    const ind = s.indicatorByKey.get(indicator);
    source = ind && periodsOf(s, ind).length ? 'finer-layer' : 'addresses';
  }
  const finish = (cw: Crosswalk, info: Omit<PopulationBasisInfo, 'fallbackAreas'>): CrosswalkAnswer => {
    const crosswalk = withFallback(cw, byArea);
    const fallbackAreas = crosswalk.from.filter((a) => a.basis === 'area').map((a) => a.code);
    return { ...head, basis: 'population', population: { ...info, fallbackAreas }, crosswalk };
  };

  if (source === 'addresses') {
    const pts = await addressPoints(db, o.registerAt).catch((e: unknown) => {
      if (e instanceof NotFound && o.populationSource !== 'addresses') {
        throw new NotFound(coded('population-weights-need-source', { indicator, cause: e.coded ?? e.message }));
      }
      throw e;
    });
    const counted = pts.counts ? 'residents' : 'addresses';
    // Resident counts per address are internal (decision 0008): weights from them only for
    // signed-in callers; the answer carries sums per pair of areas, never a count per address.
    if (counted === 'residents' && !mayReadInternal(who)) {
      throw new Unauthorized(coded('population-weights-internal'));
    }
    if (!pts.xs.length) throw new NotFound(coded('address-register-no-coordinates', { date: pts.version.validFrom }));
    const fromIndex = PointIndex.build(from.areas.map((a) => a.geometry));
    const assigned = new Int32Array(pts.xs.length);
    fromIndex.assignMany(pts.xs, pts.ys, assigned);
    let used = 0,
      outside = 0,
      residents = 0;
    for (let k = 0; k < assigned.length; k++) {
      if (assigned[k] < 0) outside++;
      else if (!pts.counts || pts.counts[k] > 0) {
        used++;
        residents += pts.counts ? pts.counts[k] : 0;
      }
    }
    const weighted = populationWeights(
      from.areas,
      to.areas,
      { kind: 'points', xs: pts.xs, ys: pts.ys, counts: pts.counts ?? undefined },
      { fromIndex, counting: counted === 'residents' ? 'population' : 'address points' },
    );
    const cw: Crosswalk = counted === 'residents' ? weighted : { ...weighted, unit: 'addresses' };
    return finish(cw, {
      source: 'address-points',
      register: { validFrom: pts.version.validFrom, validUntil: pts.version.validUntil },
      counted,
      points: used,
      ...(counted === 'residents' ? { residents } : {}),
      outsideFrom: outside,
      withoutCoordinates: pts.withoutCoordinates,
    });
  }

  const ind = await requireReadable(db, s, who, indicator);
  const periods = periodsOf(s, ind);
  if (!periods.length) throw new NotFound(coded('indicator-without-population-data', { indicator: indicator }));
  const period = o.populationPeriod ?? periods[periods.length - 1].key;
  const fineLayer = o.populationLayer ?? (await storedLayer(db, ind.id));
  const fine = await layerAreas(db, { layer: fineLayer, at: period });
  const values = await getObservations(db, { indicator, layer: fineLayer, period }, who);
  const pop = new Map(values.values.map((v) => [v.area, v.value ?? 0]));
  const cw = populationWeights(from.areas, to.areas, {
    kind: 'areas',
    areas: fine.areas.map((a) => ({ geometry: a.geometry, population: pop.get(a.code) ?? 0 })),
  });
  return finish(cw, { source: 'finer-layer', indicator, layer: fineLayer, period: values.period.key });
}

/** One line naming what population weights rest on (for a NOTE on standard error). */
export function populationBasisText(a: CrosswalkAnswer): string | null {
  const p = a.population;
  if (!p) return null;
  const fb = p.fallbackAreas.length
    ? `; ${p.fallbackAreas.length} from-area(s) without population use area weights: ${p.fallbackAreas.slice(0, 10).join(', ')}${p.fallbackAreas.length > 10 ? ' …' : ''}`
    : '';
  if (p.source === 'finer-layer')
    return `population weights from "${p.indicator}" on the layer ${p.layer} at ${p.period}${fb}`;
  const what =
    p.counted === 'residents'
      ? `weighted by their residents (${p.residents})`
      : 'each counted once (dwelling proxy: the register has no resident counts)';
  const extra = [
    p.outsideFrom ? `${p.outsideFrom} outside every from-area (no weight)` : '',
    p.withoutCoordinates ? `${p.withoutCoordinates} address(es) without coordinates not used` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `population weights from ${p.points} address points of the register valid from ${p.register!.validFrom}, ${what}${extra ? `; ${extra}` : ''}${fb}`;
}

/** The layer most of an indicator's observations are stored on (its finest source). */
async function storedLayer(db: Queryable, indicatorId: number): Promise<string> {
  const rows = await layerWithMostObservations(db, indicatorId);
  if (!rows.length) throw new NotFound(coded('population-without-observations'));
  return rows[0].key;
}

export function crosswalkToCsv(a: CrosswalkAnswer, delimiter: ';' | ',' = ';'): string {
  const dec = decimalFor(delimiter);
  const lines = [csvLine(['from', 'to', 'weight'], delimiter)];
  for (const p of a.crosswalk.pairs) lines.push(csvLine([p.from, p.to, csvNumber(p.weight, dec)], delimiter));
  return lines.join('\n') + '\n';
}

export async function congruenceFor(
  db: Queryable,
  who: Principal,
  a: LayerRef,
  b: LayerRef,
  weights: 'area' | 'population' = 'area',
  population: Pick<CrosswalkOptions, 'populationSource' | 'populationIndicator' | 'registerAt'> = {},
): Promise<CrosswalkAnswer & { congruence: Congruence }> {
  const cw = await crosswalkFor(db, who, { from: a, to: b, weights, ...population });
  // Congruence by population compares populations: a from-area without any (no resident, no
  // address point) has nothing to share — no counterpart, no part in the score. Its fallback
  // area weights carry no measure and are left out (they would make the joint measures meaningless).
  const measured = { ...cw.crosswalk, pairs: cw.crosswalk.pairs.filter((p) => p.measure > 0) };
  return { ...cw, congruence: congruence(measured) };
}
