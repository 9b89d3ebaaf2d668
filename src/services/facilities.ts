// Use case: import a facility data set (schools, day-care centres, youth clubs …) — points with a
// name, a category, a capacity and any further attributes — and turn it into supply indicators:
// `<set>_anzahl` (number of facilities) and `<set>_plaetze` (Σ capacity), counts broken down by
// category (dimension `<set>_kategorie`) when a category column is given.
//
// Where the counts are stored: on the finest hierarchical layer with geometry (every coarser
// layer of the hierarchy sums them up, like any count) and on every overlay layer with geometry
// (catchments, election districts — nothing aggregates into them). Every area of those layers
// gets a value, 0 where there is no facility, so that "no Kita here" shows as 0, not as a gap.
// Each point is assigned by point-in-polygon (docs/decisions/0004-point-on-border.md) to the
// boundary versions valid on the period's reference date.
//
// A facility set is a snapshot: importing it again replaces its facilities; the indicator values
// of the period are merged like any import (changed values keep their history), so importing the
// list of each year with its --period builds a time series.
import { storePeriod } from '../store/periods.ts';
import {
  upsertDimension,
  upsertDimensionMember,
  dimensionMemberKeys,
  indicatorIds,
  upsertFacilityIndicator,
} from '../store/catalog-write.ts';
import { basename, extname } from 'node:path';
import type { Database } from '../store/db.ts';
import { copyField } from '../store/db.ts';
import { versionValidAt, type LayerRow } from '../store/catalog.ts';
import { areaIdsInOrder } from '../store/areas-read.ts';
import { copyFacilities, deleteFacilities, facilitySetByKey, upsertFacilitySet } from '../store/facilities.ts';
import { openTable, rowWidthProblem, type Cell } from '../formats/table.ts';
import { readPoints } from '../formats/points.ts';
import { assessCoordinates, makeTransform, parseCrs, supportedCrsList } from '../core/geo/crs.ts';
import type { BBox } from '../core/geo/types.ts';
import { parsePeriod, PERIOD_HINT } from '../core/periods.ts';
import { foldText } from '../core/address/normalize.ts';
import { KEY_PATTERN } from '../core/indicators.ts';
import { Conflict, Forbidden, ProblemList, Unauthorized, type Problem } from '../core/problems.ts';
import { SYSTEM, canWrite, principalName, type Principal } from '../core/access.ts';
import { inTransaction } from './transaction.ts';
import { startBatch, finishBatch } from '../store/batches.ts';
import { assignPointsToLayers } from './assign-points.ts';
import { snapshot } from './snapshot.ts';
import { mergeStaged, createObservationStage, copyStaged, analyzeObservations } from '../store/observations-write.ts';
import { NO_MEMBERS_ID, membersKey, storeMemberCombinations } from '../store/members.ts';
import { cellText, coordinateOf, findColumn } from '../formats/columns.ts';
import { audit } from './audit.ts';
import { coded } from '../contracts/codes/index.ts';

export interface ImportFacilitiesOptions {
  /** Key of the set, e.g. kitas (indicators kitas_anzahl, kitas_plaetze). */
  set: string;
  /** Name of the set, e.g. "Kindertageseinrichtungen". */
  name: string;
  category?: string;
  capacity?: string;
  /** Column with the facility's name (default: recognised, e.g. name, bezeichnung). */
  label?: string;
  x?: string;
  y?: string;
  crs?: string;
  /** Reference date of the list (default today). Use the population's Stichtag to compare with need. */
  period?: string;
  /** Department owning the supply indicators (default: the importing steward's department). */
  owner?: string;
  /** Confidentiality of new supply indicators (default internal). */
  confidentiality?: 'public' | 'internal' | 'restricted';
  dryRun?: boolean;
  principal?: Principal;
  displayName?: string;
}

export interface ImportFacilitiesResult {
  set: string;
  name: string;
  file: string;
  period: string;
  facilities: number;
  /** Σ capacity, null without capacity column. */
  capacity: number | null;
  categories: { key: string; name: string; facilities: number }[];
  /** Layers the supply indicators are stored on, with the facilities lying outside every area. */
  layers: { layer: string; validFrom: string | null; areas: number; outside: number }[];
  indicators: string[];
  observations: number;
  inserted: number;
  updated: number;
  unchanged: number;
  replaced: number;
  warnings: Problem[];
  dryRun: boolean;
  batchId: number | null;
}

interface FacilityRow {
  line: number;
  name: string | null;
  category: string | null;
  categoryKey: string | null;
  capacity: number | null;
  attributes: Record<string, string | number | null>;
}

const LABEL_ALIASES = ['name', 'bezeichnung', 'einrichtung', 'einrichtungsname', 'titel', 'label'];
const X_ALIASES = ['x', 'lon', 'lng', 'longitude', 'rechtswert', 'easting'];
const Y_ALIASES = ['y', 'lat', 'latitude', 'hochwert', 'northing'];
const NO_CATEGORY = { key: 'ohne_angabe', name: 'ohne Angabe' };

/** A member key from a category name: "Kita (städtisch)" → "kita_staedtisch". */
export function categoryKey(name: string): string {
  const k = foldText(name)
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return k || NO_CATEGORY.key;
}

interface ReadFacilities {
  columns: string[];
  rows: { line: number; cells: Cell[] }[];
  xs: Float64Array;
  ys: Float64Array;
  crs: string;
}

/** Points with their lines (CSV/XLSX: file lines; GeoJSON: feature numbers). */
async function readFacilityPoints(
  path: string,
  file: string,
  o: ImportFacilitiesOptions,
  problems: ProblemList,
): Promise<ReadFacilities | null> {
  const ext = extname(path).toLowerCase();
  if (ext === '.geojson' || ext === '.json') {
    const p = await readPoints(path, { file, crs: o.crs });
    return {
      columns: p.columns,
      rows: p.rows.map((cells, i) => ({ line: i + 1, cells })),
      xs: p.xs,
      ys: p.ys,
      crs: p.crs,
    };
  }
  const crsText = o.crs ?? 'EPSG:4326';
  const crs = parseCrs(crsText);
  if (!crs) {
    problems.error({
      code: 'bad-crs',
      file,
      value: crsText,
      reason: 'unknown CRS',
      hint: `supported: ${supportedCrsList()}`,
    });
    return null;
  }
  const table = await openTable(path, { displayName: file });
  const xi = findColumn(table, problems, o.x, X_ALIASES, '--x');
  const yi = findColumn(table, problems, o.y, Y_ALIASES, '--y');
  if ((xi < 0 && o.x === undefined) || (yi < 0 && o.y === undefined))
    problems.error({
      code: 'missing-column',
      file,
      line: 1,
      reason: 'no coordinate columns found',
      hint: `name them with --x COLUMN --y COLUMN; the file has the columns: ${table.columns.join(', ')}`,
    });
  if (problems.hasErrors) return null;
  const transform = makeTransform(crs);
  const rows: { line: number; cells: Cell[] }[] = [];
  const xs: number[] = [],
    ys: number[] = [];
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for await (const row of table.rows) {
    const width = rowWidthProblem(table, row);
    if (width) {
      problems.add(width);
      continue;
    }
    const x = coordinateOf(row.cells[xi]),
      y = coordinateOf(row.cells[yi]);
    if (x === null || y === null) {
      const bad = x === null ? xi : yi;
      problems.error({
        code: 'bad-coordinate',
        file,
        line: row.line,
        column: table.columns[bad],
        value: cellText(row.cells[bad]),
        reason: cellText(row.cells[bad]) ? 'not a number' : 'the coordinate is empty',
        hint: 'every facility needs its location',
      });
      continue;
    }
    box[0] = Math.min(box[0], x);
    box[1] = Math.min(box[1], y);
    box[2] = Math.max(box[2], x);
    box[3] = Math.max(box[3], y);
    const [lon, lat] = transform(x, y);
    xs.push(lon);
    ys.push(lat);
    rows.push({ line: row.line, cells: row.cells });
  }
  if (rows.length) {
    const issue = assessCoordinates(crs, box);
    if (issue)
      problems.add({
        severity: issue.severity,
        code: 'coordinates-crs',
        file,
        value: crs,
        reason: issue.reason,
        hint: issue.hint,
      });
  }
  return { columns: table.columns, rows, xs: Float64Array.from(xs), ys: Float64Array.from(ys), crs };
}

export async function importFacilities(
  db: Database,
  path: string,
  o: ImportFacilitiesOptions,
): Promise<ImportFacilitiesResult> {
  const file = o.displayName ?? basename(path);
  const problems = new ProblemList();
  const fail = () => coded('facilities-not-imported', { file, n: problems.errorCount });
  if (!KEY_PATTERN.test(o.set) || o.set.length > 40)
    problems.error({
      code: 'bad-key',
      value: o.set,
      reason: `"${o.set}" is not a valid set key`,
      hint: 'lower case letters, digits and "_", starting with a letter, e.g. kitas',
    });
  if (!o.name?.trim())
    problems.error({
      code: 'missing-option',
      reason: 'the set needs a name',
      hint: '--name "Kindertageseinrichtungen"',
    });
  const periodText = o.period ?? new Date().toISOString().slice(0, 10);
  const period = parsePeriod(periodText);
  if (!period) problems.error({ code: 'bad-period', value: periodText, reason: 'not a period', hint: PERIOD_HINT });
  problems.throwIfErrors(fail());
  const read = await readFacilityPoints(path, file, o, problems);
  if (!read) problems.throwIfErrors(fail());
  const { columns, rows: raw, xs, ys } = read!;
  const table = { file, columns };
  const before = problems.errorCount;
  const labelCol = findColumn(table, problems, o.label, LABEL_ALIASES, '--label');
  const categoryCol = o.category !== undefined ? findColumn(table, problems, o.category, [], '--category') : -1;
  const capacityCol = o.capacity !== undefined ? findColumn(table, problems, o.capacity, [], '--capacity') : -1;
  if (problems.errorCount > before) problems.throwIfErrors(fail());
  if (!raw.length) problems.error({ code: 'empty', file, reason: 'the file has no facilities' });

  const facilities: FacilityRow[] = [];
  let noCapacity = 0,
    noCategory = 0;
  for (const r of raw) {
    const attributes: Record<string, string | number | null> = {};
    columns.forEach((c, i) => (attributes[c] = r.cells[i] === undefined ? null : r.cells[i]));
    let capacity: number | null = null;
    if (capacityCol >= 0) {
      const t = cellText(r.cells[capacityCol]);
      if (!t) noCapacity++;
      else {
        capacity = coordinateOf(r.cells[capacityCol]);
        if (capacity === null || capacity < 0) {
          problems.error({
            code: 'bad-capacity',
            file,
            line: r.line,
            column: columns[capacityCol],
            value: t,
            reason: 'the capacity must be a non-negative number',
            hint: 'leave the cell empty when the capacity is not known',
          });
          continue;
        }
      }
    }
    let category: string | null = null;
    if (categoryCol >= 0) {
      category = cellText(r.cells[categoryCol]) || null;
      if (!category) noCategory++;
    }
    facilities.push({
      line: r.line,
      name: labelCol >= 0 ? cellText(r.cells[labelCol]) || null : null,
      category,
      categoryKey: categoryCol >= 0 ? (category ? categoryKey(category) : NO_CATEGORY.key) : null,
      capacity,
      attributes,
    });
  }
  if (noCapacity)
    problems.warning({
      code: 'missing-capacity',
      file,
      column: columns[capacityCol],
      reason: `${noCapacity} facilit${noCapacity === 1 ? 'y has' : 'ies have'} no capacity; the places of their areas are reported as missing`,
      params: { n: noCapacity },
      hint: 'fill in the capacity to get complete place counts',
    });
  if (noCategory)
    problems.warning({
      code: 'missing-category',
      file,
      column: columns[categoryCol],
      reason: `${noCategory} facilit${noCategory === 1 ? 'y has' : 'ies have'} no category; counted as "${NO_CATEGORY.name}"`,
      params: { n: noCategory, category: NO_CATEGORY.name },
    });
  problems.throwIfErrors(fail());

  return inTransaction(db, !!o.dryRun, async (tx) => {
    const who = o.principal ?? SYSTEM;
    if (who.kind === 'anonymous') throw new Unauthorized();
    const s = await snapshot(tx);
    const keys = { count: `${o.set}_anzahl`, places: `${o.set}_plaetze`, dimension: `${o.set}_kategorie` };
    const existingSet = await facilitySetByKey(tx, o.set);
    const existing = [s.indicatorByKey.get(keys.count), s.indicatorByKey.get(keys.places)].filter((i) => !!i);
    const owner = existingSet?.owner ?? existing[0]?.owner ?? o.owner ?? (who.kind === 'user' ? who.department : null);
    for (const ownerToCheck of new Set([owner, ...existing.map((i) => i!.owner)])) {
      const may = canWrite(who, ownerToCheck);
      if (may === 'unauthenticated') throw new Unauthorized();
      if (may === 'forbidden')
        throw new Forbidden(coded('facility-set-forbidden', { set: o.set, department: ownerToCheck ?? 'none' }));
    }
    const dims = categoryCol >= 0 ? [keys.dimension] : [];
    for (const i of existing) {
      if (i!.type !== 'count' || i!.dimensions.join(',') !== dims.join(',')) {
        const listed = (d: string[]) => d.join(', ') || coded('phrase-none');
        const shape =
          i!.type === 'count'
            ? coded('phrase-breakdown', { dimensions: listed(i!.dimensions) })
            : coded('phrase-type', { type: i!.type });
        const advice = categoryCol >= 0 ? coded('phrase-leave-out-category') : coded('phrase-give-category-again');
        throw new Conflict(
          coded('facility-indicator-shape-fixed', {
            indicator: i!.key,
            existing: shape,
            dimensions: listed(dims),
            advice,
          }),
        );
      }
    }

    // Point-in-polygon into the boundary versions valid on the reference date.
    const at = period!.end;
    const assigned = await assignPointsToLayers(tx, xs, ys, undefined, at);
    const withGeometry = Object.keys(assigned.codes);
    if (!withGeometry.length) throw new Conflict(coded('no-layer-with-geometry'));
    if (withGeometry.every((l) => assigned.outside[l] === facilities.length)) {
      problems.error({
        code: 'coordinates-outside',
        file,
        value: read!.crs,
        reason: `none of the ${facilities.length} facilities lies in any area of any layer`,
        params: { n: facilities.length },
        hint: `check the CRS of the coordinates (--crs, now ${read!.crs}) and the x/y columns`,
      });
      problems.throwIfErrors(fail());
    }
    const layerRows = withGeometry.map((k) => s.layerByKey.get(k)!).filter((l): l is LayerRow => !!l);
    const storage = layerRows.filter((l) => l.kind === 'overlay' || !layerRows.some((c) => c.parentLayerId === l.id));
    for (const l of storage) {
      const n = assigned.outside[l.key];
      if (n)
        problems.warning({
          code: 'outside',
          file,
          reason: `${n} facilit${n === 1 ? 'y lies' : 'ies lie'} outside every area of "${l.key}" and ${n === 1 ? 'is' : 'are'} not counted there`,
          params: { n, layer: l.key },
        });
    }

    // Catalogue: the category dimension and its members, the supply indicators, the period.
    const categories = new Map<string, { name: string; facilities: number }>();
    for (const f of facilities)
      if (f.categoryKey) {
        const c =
          categories.get(f.categoryKey) ??
          categories.set(f.categoryKey, { name: f.category ?? NO_CATEGORY.name, facilities: 0 }).get(f.categoryKey)!;
        c.facilities++;
      }
    const batch = await startBatch(
      tx,
      'facilities',
      file,
      {
        set: o.set,
        name: o.name,
        category: o.category,
        capacity: o.capacity,
        label: o.label,
        crs: read!.crs,
        period: period!.key,
      },
      principalName(who),
    );
    if (dims.length) {
      const dimensionId = await upsertDimension(tx, keys.dimension, `Kategorie (${o.name})`, false);
      const have = await dimensionMemberKeys(tx, dimensionId);
      let sort = have.size;
      for (const [k, c] of [...categories].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        if (!have.has(k)) await upsertDimensionMember(tx, dimensionId, k, c.name, ++sort);
      }
    }
    const indicators = [keys.count, ...(capacityCol >= 0 ? [keys.places] : [])];
    const method = `Standorte der Liste „${o.name}“ (${file}) durch Punkt-in-Polygon-Zuordnung den Gebieten zugeordnet (Gebietsstand am ${at}); gespeichert auf ${storage.map((l) => l.key).join(', ')}, gröbere Ebenen als Summe.`;
    for (const key of indicators) {
      const places = key === keys.places;
      await upsertFacilityIndicator(tx, {
        key,
        name: places ? `${o.name}: Plätze` : `${o.name}: Anzahl`,
        description: places
          ? `Summe der Plätze (Kapazität) der Einrichtungen „${o.name}“ je Gebiet.`
          : `Anzahl der Einrichtungen „${o.name}“ je Gebiet.`,
        unit: places ? 'Plätze' : 'Einrichtungen',
        dimensions: dims,
        source: `Einrichtungsliste ${o.name}`,
        owner,
        confidentiality: existing.find((i) => i!.key === key)?.confidentiality ?? o.confidentiality ?? 'internal',
        methodology: method,
        themes: ['Infrastruktur'],
      });
    }
    const indId = await indicatorIds(tx, indicators);
    const periodId = await storePeriod(tx, period!);

    // Counts and capacities per area and category; 0 where there is nothing.
    const members = dims.length ? [...categories.keys()].sort() : [null];
    const combinationIds = await storeMemberCombinations(
      tx,
      dims.length ? members.map((m) => ({ [keys.dimension]: m! })) : [],
    );
    const membersIdOf = (m: string | null) =>
      m === null ? NO_MEMBERS_ID : combinationIds.get(membersKey({ [keys.dimension]: m }))!;
    await createObservationStage(tx, 'stage_facility_obs');
    const lines: string[] = [];
    const layersOut: ImportFacilitiesResult['layers'] = [];
    for (const l of storage) {
      const v = versionValidAt(s.versionsByLayer.get(l.id) ?? [], at)!;
      const areas = await areaIdsInOrder(tx, v.id);
      layersOut.push({ layer: l.key, validFrom: v.validFrom, areas: areas.length, outside: assigned.outside[l.key] });
      const acc = new Map<string, { n: number; places: number; unknown: number }>();
      const codes = assigned.codes[l.key];
      facilities.forEach((f, k) => {
        const code = codes[k];
        if (code === null) return;
        const key = `${code}\u0000${f.categoryKey ?? ''}`;
        const a = acc.get(key) ?? acc.set(key, { n: 0, places: 0, unknown: 0 }).get(key)!;
        a.n++;
        if (f.capacity === null) a.unknown++;
        else a.places += f.capacity;
      });
      for (const area of areas)
        for (const m of members) {
          const a = acc.get(`${area.code}\u0000${m ?? ''}`) ?? { n: 0, places: 0, unknown: 0 };
          const mj = membersIdOf(m);
          lines.push([indId.get(keys.count), area.id, periodId, mj, a.n, 'final', null].map(copyField).join('\t'));
          if (capacityCol >= 0) {
            lines.push(
              (a.unknown
                ? [
                    indId.get(keys.places),
                    area.id,
                    periodId,
                    mj,
                    null,
                    'missing',
                    `Platzzahl fehlt für ${a.unknown} Einrichtung(en)`,
                  ]
                : [indId.get(keys.places), area.id, periodId, mj, a.places, 'final', null]
              )
                .map(copyField)
                .join('\t'),
            );
          }
        }
    }
    await copyStaged(tx, 'stage_facility_obs', lines.join('\n') + '\n', [
      'indicator_id',
      'area_id',
      'period_id',
      'members_id',
      'value',
      'status',
      'reason',
    ]);
    const merged = await mergeStaged(tx, 'stage_facility_obs', batch);

    // The facilities themselves (the set is a snapshot).
    const setId = await upsertFacilitySet(tx, {
      key: o.set,
      name: o.name,
      owner,
      periodKey: period!.key,
      fileName: file,
      options: { category: o.category, capacity: o.capacity, label: o.label, crs: read!.crs },
      batch,
    });
    const removed = await deleteFacilities(tx, setId);
    const text = facilities
      .map((f, k) => {
        const codes: Record<string, string> = {};
        for (const l of withGeometry) if (assigned.codes[l][k] !== null) codes[l] = assigned.codes[l][k]!;
        return [
          setId,
          f.name,
          f.category,
          f.categoryKey,
          f.capacity,
          xs[k],
          ys[k],
          JSON.stringify(codes),
          JSON.stringify(f.attributes),
          f.line,
        ]
          .map(copyField)
          .join('\t');
      })
      .join('\n');
    await copyFacilities(tx, text + '\n');
    await finishBatch(tx, batch, {
      rowsRead: facilities.length,
      inserted: merged.inserted,
      updated: merged.updated,
      unchanged: lines.length - merged.inserted - merged.updated,
    });
    await audit(tx, who, {
      action: 'facilities.import',
      objectType: 'facility_set',
      objectKey: o.set,
      batchId: batch,
      details: {
        file,
        facilities: facilities.length,
        period: period!.key,
        inserted: merged.inserted,
        updated: merged.updated,
      },
    });
    await analyzeObservations(tx);
    const withCapacity = facilities.filter((f) => f.capacity !== null);
    return {
      set: o.set,
      name: o.name,
      file,
      period: period!.key,
      facilities: facilities.length,
      capacity: capacityCol >= 0 ? withCapacity.reduce((t, f) => t + f.capacity!, 0) : null,
      categories: [...categories]
        .map(([key, c]) => ({ key, name: c.name, facilities: c.facilities }))
        .sort((a, b) => (a.key < b.key ? -1 : 1)),
      layers: layersOut,
      indicators,
      observations: lines.length,
      inserted: merged.inserted,
      updated: merged.updated,
      unchanged: lines.length - merged.inserted - merged.updated,
      replaced: removed,
      warnings: problems.items.filter((p) => p.severity === 'warning'),
      dryRun: !!o.dryRun,
      batchId: o.dryRun ? null : batch,
    };
  });
}
