// Use cases that read facility data sets (issue #6): the list of sets with their categories and
// counts, and the facilities themselves as GeoJSON points for maps and tables.
//
// Access: a facility set is exactly as confidential as its supply indicators (`<set>_anzahl`,
// `<set>_plaetze`; the most restricted of them, src/core/access.ts combineGuards) — the points
// are the raw data behind those counts. A set without supply indicators is internal to its
// owning department's users, like a new supply indicator. Public sets are readable by anyone,
// internal ones by signed-in users (401 otherwise), restricted ones only by the named
// departments (404 for everybody else: their existence is secret). Lists leave out what the
// caller may not read; reads of restricted sets are written to the audit trail.
import type { Database } from '../store/db.ts';
import {
  areaCodeCount,
  facilityCategoryKeys,
  facilityCategoryStats,
  facilityLayers,
  loadFacilitySets,
  selectFacilities,
  type FacilitySetRow,
} from '../store/facilities.ts';
import { canRead, combineGuards, type Guarded, type Principal } from '../core/access.ts';
import { InputRejected, NotFound, Unauthorized, type Problem } from '../core/problems.ts';
import { parsePeriod } from '../core/periods.ts';
import { snapshot, type Snapshot } from './snapshot.ts';
import { guardOf, requireLayer } from './query.ts';
import type { FacilityCollection, FacilitySetInfo } from '../contracts/answers/index.ts';

export type { FacilityCollection, FacilitySetInfo } from '../contracts/answers/index.ts';
import { inTransaction } from './transaction.ts';
import { audit } from './audit.ts';
import { coded } from '../contracts/codes/index.ts';

const KEY = /^[a-z][a-z0-9_]*$/;

export interface FacilityQuery {
  set?: string;
  category?: string;
  layer?: string;
  area?: string;
  /** "west,south,east,north" in WGS84 degrees. */
  bbox?: string;
}

type SetRow = FacilitySetRow;

/** The access guard of a facility set: that of its supply indicators (the most restricted). */
function facilitySetGuard(s: Snapshot, set: { key: string; owner: string | null }): Guarded {
  const inds = [`${set.key}_anzahl`, `${set.key}_plaetze`].map((k) => s.indicatorByKey.get(k)).filter((i) => !!i);
  if (!inds.length)
    return { key: set.key, confidentiality: 'internal', owner: set.owner, departments: [], draft: false };
  return combineGuards(
    set.key,
    inds.map((i) => guardOf(s, i!)),
  );
}

function bad(reason: string, value: string | undefined, hint?: string): InputRejected {
  const p: Problem = {
    severity: 'error',
    code: 'bad-request',
    reason,
    ...(value !== undefined ? { value } : {}),
    ...(hint ? { hint } : {}),
  };
  return new InputRejected([p], `${reason[0].toUpperCase()}${reason.slice(1)}.${hint ? ` ${hint}` : ''}`);
}

/** "west,south,east,north" → numbers, or a clear error. */
export function parseBBox(text: string): [number, number, number, number] {
  const parts = text.split(',').map((s) => s.trim());
  const hint =
    'Write bbox=west,south,east,north in WGS84 degrees with "." as decimal point, e.g. bbox=8.6,51.4,8.9,51.6.';
  if (parts.length !== 4 || parts.some((p) => !/^-?\d+(\.\d+)?$/.test(p)))
    throw bad(`"${text}" is not a bounding box`, text, hint);
  const [w, s, e, n] = parts.map(Number) as [number, number, number, number];
  if (w < -180 || e > 180 || s < -90 || n > 90)
    throw bad(`the bounding box "${text}" lies outside longitude −180…180 / latitude −90…90`, text, hint);
  if (w > e || s > n) throw bad(`the bounding box "${text}" has west > east or south > north`, text, hint);
  return [w, s, e, n];
}

function checkQuery(q: FacilityQuery): void {
  if (q.set !== undefined && (!KEY.test(q.set) || q.set.length > 40))
    throw bad(
      `"${q.set}" is not a facility set key`,
      q.set,
      'Set keys are lower case letters, digits and "_", e.g. set=kitas; GET /api/facilities/sets lists them.',
    );
  if (q.category !== undefined && (!KEY.test(q.category) || q.category.length > 100))
    throw bad(
      `"${q.category}" is not a category key`,
      q.category,
      'Use the key of a category from GET /api/facilities/sets, e.g. category=kita_staedtisch.',
    );
  if (q.layer !== undefined && (!KEY.test(q.layer) || q.layer.length > 100))
    throw bad(`"${q.layer}" is not a layer key`, q.layer, 'GET /api/layers lists them, e.g. layer=stadtteil.');
  if (q.area !== undefined && (!q.area.trim() || q.area.length > 100))
    throw bad(`"${q.area}" is not an area code`, q.area);
  if ((q.layer === undefined) !== (q.area === undefined))
    throw bad(
      'layer and area go together',
      q.layer ?? q.area,
      'To list the facilities inside an area, give both, e.g. layer=stadtteil&area=0101.',
    );
}

const loadSets = loadFacilitySets;

/** The facility sets the principal may read, with their categories, counts and supply indicators. */
export async function listFacilitySets(db: Database, who: Principal): Promise<{ sets: FacilitySetInfo[] }> {
  const s = await snapshot(db);
  return inTransaction(db, false, async (tx) => {
    const all = await loadSets(tx);
    const visible = all.map((r) => ({ r, g: facilitySetGuard(s, r) })).filter((x) => canRead(who, x.g) === 'ok');
    if (!visible.length) return { sets: [] };
    const ids = visible.map((x) => x.r.id);
    const stats = await facilityCategoryStats(tx, ids);
    const layerRows = await facilityLayers(tx, ids);
    const sets: FacilitySetInfo[] = [];
    for (const { r, g } of visible) {
      if (g.confidentiality === 'restricted' && who.kind === 'user')
        await audit(tx, who, { action: 'read', objectType: 'facility_set', objectKey: r.key, details: { list: true } });
      const mine = stats.filter((x) => x.set_id === r.id);
      const count = s.indicatorByKey.get(`${r.key}_anzahl`);
      const places = s.indicatorByKey.get(`${r.key}_plaetze`);
      const dimension = count?.dimensions.find((d) => d === `${r.key}_kategorie`) ?? null;
      const facilities = mine.reduce((t, x) => t + x.n, 0);
      const withCapacity = mine.reduce((t, x) => t + x.with_capacity, 0);
      const period = r.period_key ? (s.periodByKey.get(r.period_key) ?? null) : null;
      sets.push({
        key: r.key,
        name: r.name,
        owner: r.owner,
        confidentiality: g.confidentiality,
        period: r.period_key,
        referenceDate: period?.end ?? (r.period_key ? (parsePeriod(r.period_key)?.end ?? null) : null),
        facilities,
        capacity: places ? mine.reduce((t, x) => t + (x.capacity ?? 0), 0) : null,
        withoutCapacity: places ? facilities - withCapacity : 0,
        categories: mine
          .filter((x) => x.category_key !== null)
          .map((x) => ({
            key: x.category_key!,
            name:
              x.category ??
              s.dimensions.find((d) => d.key === dimension)?.members.find((m) => m.key === x.category_key)?.name ??
              x.category_key!,
            facilities: x.n,
            capacity: x.with_capacity ? x.capacity : null,
          })),
        indicators: { count: count?.key ?? null, places: places?.key ?? null, dimension },
        layers: layerRows.filter((x) => x.set_id === r.id).map((x) => x.layer),
        file: r.file_name,
        updatedAt: new Date(r.updated_at).toISOString(),
      });
    }
    return { sets };
  });
}

/**
 * The facilities as a GeoJSON FeatureCollection (WGS84 points), filtered by set, category, the
 * area of a layer they lie in (their stored code, assigned on the set's reference date) and a
 * bounding box. Without `set`: every set the principal may read.
 */
export async function facilitiesGeoJson(
  db: Database,
  who: Principal,
  q: FacilityQuery = {},
): Promise<FacilityCollection> {
  checkQuery(q);
  const box = q.bbox !== undefined ? parseBBox(q.bbox) : null;
  const s = await snapshot(db);
  if (q.layer !== undefined) requireLayer(s, q.layer);
  return inTransaction(db, false, async (tx) => {
    const all = await loadSets(tx);
    let chosen: { r: SetRow; g: Guarded }[];
    if (q.set !== undefined) {
      const r = all.find((x) => x.key === q.set);
      const g = r ? facilitySetGuard(s, r) : undefined;
      const d = g ? canRead(who, g) : 'hidden';
      if (d === 'unauthenticated') throw new Unauthorized(coded('facility-set-internal', { set: q.set }));
      if (d === 'hidden') throw new NotFound(coded('facility-set-not-found', { set: q.set }));
      chosen = [{ r: r!, g: g! }];
    } else {
      chosen = all.map((r) => ({ r, g: facilitySetGuard(s, r) })).filter((x) => canRead(who, x.g) === 'ok');
    }
    const ids = chosen.map((x) => x.r.id);
    if (q.category !== undefined) {
      const keys = await facilityCategoryKeys(tx, ids);
      if (!keys.includes(q.category)) {
        const where = q.set !== undefined ? `the facility set "${q.set}"` : 'the facility sets you may read';
        throw bad(
          `${where} ha${q.set !== undefined ? 's' : 've'} no category "${q.category}"`,
          q.category,
          keys.length ? `Categories: ${keys.join(', ')}.` : 'There are no categories.',
        );
      }
    }
    if (q.layer !== undefined) {
      if (!(await areaCodeCount(tx, q.layer, q.area)))
        throw new NotFound(coded('area-not-found', { area: String(q.area), layer: String(q.layer) }));
    }
    for (const { r, g } of chosen)
      if (g.confidentiality === 'restricted' && who.kind === 'user')
        await audit(tx, who, {
          action: 'read',
          objectType: 'facility_set',
          objectKey: r.key,
          details: { category: q.category ?? null, layer: q.layer ?? null, area: q.area ?? null },
        });
    const rows = await selectFacilities(tx, {
      setIds: ids,
      category: q.category ?? null,
      layer: q.layer ?? null,
      area: q.area ?? null,
      bbox: box,
    });
    return {
      type: 'FeatureCollection',
      sets: chosen.map(({ r, g }) => ({
        key: r.key,
        name: r.name,
        period: r.period_key,
        confidentiality: g.confidentiality,
      })),
      filter: {
        set: q.set ?? null,
        category: q.category ?? null,
        layer: q.layer ?? null,
        area: q.area ?? null,
        bbox: box,
      },
      count: rows.length,
      features: rows.map((f) => ({
        type: 'Feature',
        id: f.id,
        geometry: { type: 'Point', coordinates: [f.x, f.y] },
        properties: {
          id: f.id,
          set: f.set_key,
          name: f.name,
          category: f.category,
          categoryKey: f.category_key,
          capacity: f.capacity,
          codes: f.codes,
          attributes: f.attributes,
        },
      })),
    };
  });
}
