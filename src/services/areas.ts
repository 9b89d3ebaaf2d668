// Use case: import the areas of one layer version (Stadtgliederung) from GeoJSON, a Shapefile
// or a table. All checks run before anything is written; any error rejects the whole file.
import { basename, extname } from 'node:path';
import type { Database, Queryable } from '../store/db.ts';
import {
  spatialOwnerSetting,
  insertLayer,
  renameLayer,
  insertLayerVersion,
  stageAreas,
  unstagedAreas,
  deleteAreas,
  mergeStagedAreas,
  analyzeAreas,
  areaGeometries,
} from '../store/areas-write.ts';
import { loadLayers, loadLayerVersions, versionValidAt, type LayerRow } from '../store/catalog.ts';
import { rebuildAreaClosure } from '../store/hierarchy.ts';
import { readAreas, type AreaRecord, type AreaReadResult } from '../formats/areas.ts';
import { readAreasTable } from '../formats/areas-table.ts';
import { bboxOf, coveredShare } from '../core/geo/geometry.ts';
import { ProblemList, type Problem } from '../core/problems.ts';
import { isValidKey, KEY_MAX_LENGTH } from '../core/indicators.ts';
import { inTransaction } from './transaction.ts';
import { startBatch, finishBatch } from '../store/batches.ts';
import { SYSTEM, canWrite, principalName, type Principal } from '../core/access.ts';
import { Forbidden, Unauthorized } from '../core/problems.ts';
import { audit } from './audit.ts';
import { coded } from '../contracts/codes/index.ts';

/** The department that keeps the spatial structure (setting spatial_owner, default "statistik"). */
export async function spatialStructureOwner(tx: Queryable): Promise<string> {
  return (await spatialOwnerSetting(tx)) ?? 'statistik';
}

export interface ImportAreasOptions {
  layer: string;
  layerName?: string;
  /** Creates the layer as an overlay (cuts across the hierarchy). */
  overlay?: boolean;
  parentLayer?: string;
  codeProp?: string;
  nameProp?: string;
  parentProp?: string;
  /** Derives the parent code from the first N characters of the code (hierarchical keys such as Berlin's LOR). */
  parentPrefix?: number;
  /** ISO date from which this boundary version is valid; null/undefined = since ever. */
  validFrom?: string | null;
  crs?: string;
  encoding?: string;
  dryRun?: boolean;
  /** Who imports (default: the local operator): admins and stewards of the department that keeps the spatial structure. */
  principal?: Principal;
  /** Share of a child's surface that must lie inside its parent (default 0.98; 0 skips the check). */
  containmentTolerance?: number;
  /** Display name of the file in messages (default: the base name). */
  displayName?: string;
}

export interface ImportAreasResult {
  layer: string;
  validFrom: string | null;
  newLayer: boolean;
  newVersion: boolean;
  crs: string;
  areas: number;
  inserted: number;
  updated: number;
  unchanged: number;
  removed: number;
  warnings: Problem[];
  dryRun: boolean;
}

const TABLE_EXTENSIONS = new Set(['.csv', '.txt', '.tsv', '.xlsx']);

async function readAreaFile(path: string, o: ImportAreasOptions): Promise<AreaReadResult> {
  const readOptions = {
    file: o.displayName ?? basename(path),
    codeProp: o.codeProp,
    nameProp: o.nameProp,
    parentProp: o.parentProp,
    crs: o.crs,
    encoding: o.encoding,
  };
  const read = TABLE_EXTENSIONS.has(extname(path).toLowerCase())
    ? await readAreasTable(path, readOptions)
    : await readAreas(path, readOptions);
  if (o.parentPrefix !== undefined) {
    for (const r of read.records)
      r.parentCode = r.code.length > o.parentPrefix ? r.code.slice(0, o.parentPrefix) : null;
  }
  return read;
}

export async function importAreas(db: Database, path: string, o: ImportAreasOptions): Promise<ImportAreasResult> {
  checkOptions(o);
  const read = await readAreaFile(path, o);
  return importAreaRecords(db, read, { ...o, displayName: o.displayName ?? basename(path) });
}

function checkOptions(o: ImportAreasOptions): void {
  const problems = new ProblemList();
  if (!isValidKey(o.layer)) {
    problems.error({
      code: 'bad-layer-key',
      reason: `"${o.layer}" is not a valid layer key`,
      value: o.layer,
      hint: `use up to ${KEY_MAX_LENGTH} lower case letters, digits and "_", starting with a letter, e.g. stadtteil`,
    });
    problems.throwIfErrors();
  }
  if (o.parentPrefix !== undefined && !(Number.isInteger(o.parentPrefix) && o.parentPrefix > 0)) {
    problems.error({
      code: 'bad-option',
      reason: `--parent-prefix must be a positive whole number`,
      value: String(o.parentPrefix),
    });
    problems.throwIfErrors();
  }
  if (o.validFrom != null && !/^\d{4}-\d{2}-\d{2}$/.test(o.validFrom)) {
    problems.error({
      code: 'bad-date',
      reason: `--valid-from "${o.validFrom}" is not an ISO date`,
      value: o.validFrom,
      hint: 'write it as YYYY-MM-DD, e.g. 2021-01-01',
    });
    problems.throwIfErrors();
  }
}

/** Imports area records already read (from a file, or generated like the demo city). */
export async function importAreaRecords(
  db: Database,
  read: AreaReadResult,
  o: ImportAreasOptions,
): Promise<ImportAreasResult> {
  const file = o.displayName ?? 'areas';
  checkOptions(o);
  const problems = new ProblemList();
  for (const p of read.problems) problems.add(p);
  // A file the reader could not read at all has no records ("no areas" would only repeat its errors).
  if (read.records.length > 0 || !problems.hasErrors) checkRecords(read.records, file, problems);
  problems.throwIfErrors(
    `The areas in ${file} were not imported: ${problems.errorCount} error(s). Nothing was changed.`,
  );

  return inTransaction(db, !!o.dryRun, async (tx) => {
    const who = o.principal ?? SYSTEM;
    const spatialOwner = await spatialStructureOwner(tx);
    const may = canWrite(who, spatialOwner);
    if (may === 'unauthenticated') throw new Unauthorized();
    if (may === 'forbidden') throw new Forbidden(coded('spatial-structure-forbidden', { department: spatialOwner }));
    const layers = await loadLayers(tx);
    let layer = layers.find((l) => l.key === o.layer);
    const parentLayer = o.parentLayer ? layers.find((l) => l.key === o.parentLayer) : undefined;
    if (o.parentLayer && !parentLayer) {
      problems.error({
        code: 'unknown-layer',
        reason: `the parent layer "${o.parentLayer}" does not exist`,
        value: o.parentLayer,
        hint: `import it first; existing layers: ${layers.map((l) => l.key).join(', ') || 'none'}`,
      });
    }
    if (parentLayer && o.overlay)
      problems.error({
        code: 'overlay-parent',
        reason: 'an overlay layer has no parent layer',
        hint: 'drop --overlay or --parent-layer',
      });
    if (layer && parentLayer && layer.parentLayerId !== parentLayer.id) {
      problems.error({
        code: 'parent-mismatch',
        reason: `layer "${layer.key}" has the parent layer "${layer.parentLayerKey ?? 'none'}", not "${parentLayer.key}"`,
        value: o.parentLayer,
      });
    }
    if (layer && o.overlay && layer.kind !== 'overlay')
      problems.error({ code: 'kind-mismatch', reason: `layer "${layer.key}" is hierarchical, not an overlay` });
    problems.throwIfErrors();

    const newLayer = !layer;
    if (!layer) {
      const id = await insertLayer(tx, {
        key: o.layer,
        name: o.layerName ?? o.layer,
        kind: o.overlay ? 'overlay' : 'hierarchical',
        parentLayerId: parentLayer?.id ?? null,
      });
      layer = {
        id,
        key: o.layer,
        name: o.layerName ?? o.layer,
        kind: o.overlay ? 'overlay' : 'hierarchical',
        parentLayerId: parentLayer?.id ?? null,
        parentLayerKey: parentLayer?.key ?? null,
        description: null,
      };
    } else if (o.layerName && o.layerName !== layer.name) {
      await renameLayer(tx, layer.id, o.layerName);
    }
    const effectiveParent =
      layer.parentLayerId !== null ? layers.find((l) => l.id === layer!.parentLayerId) : undefined;
    const parentIds = await resolveParents(
      tx,
      read.records,
      file,
      effectiveParent,
      o.validFrom ?? null,
      o.containmentTolerance ?? 0.98,
      problems,
    );
    problems.throwIfErrors(
      `The areas in ${file} were not imported: ${problems.errorCount} error(s). Nothing was changed.`,
    );

    const batch = await startBatch(
      tx,
      'areas',
      file,
      { ...o, dryRun: undefined, principal: undefined },
      principalName(who),
    );
    const validFrom = o.validFrom ?? null;
    const versions = await loadLayerVersions(tx, layer.id);
    let version = versions.find((v) => v.validFrom === validFrom);
    const newVersion = !version;
    let versionId: number;
    if (!version) {
      versionId = await insertLayerVersion(tx, { layerId: layer.id, validFrom, sourceCrs: read.crs, batch });
    } else {
      versionId = version.id;
    }

    await stageAreas(
      tx,
      read.records.map((r, i) => ({
        code: r.code,
        name: r.name,
        parentId: parentIds[i],
        geometry: r.geometry,
        bbox: r.geometry ? bboxOf(r.geometry) : null,
        properties: r.properties ?? {},
      })),
    );
    // Codes that disappear from an existing version: refused while data or children hang on them.
    const gone = await unstagedAreas(tx, versionId);
    for (const g of gone) {
      if (g.observations > 0 || g.children > 0) {
        problems.error({
          code: 'area-in-use',
          file,
          value: g.code,
          reason: `area ${g.code} of this version is missing from the file but has ${g.observations} observation(s) and ${g.children} child area(s)`,
          hint: 'boundary changes belong in a new version: pass --valid-from with the date of the change',
        });
      }
    }
    problems.throwIfErrors(
      `The areas in ${file} were not imported: ${problems.errorCount} error(s). Nothing was changed.`,
    );
    const removed = gone.length;
    if (removed)
      await deleteAreas(
        tx,
        versionId,
        gone.map((g) => g.code),
      );
    const merged = await mergeStagedAreas(tx, versionId);
    if (merged.updated || merged.inserted || removed) {
      await rebuildAreaClosure(tx);
      await analyzeAreas(tx);
    }
    const counts = {
      rowsRead: read.records.length,
      inserted: merged.inserted,
      updated: merged.updated,
      unchanged: read.records.length - merged.inserted - merged.updated,
    };
    await finishBatch(tx, batch, counts);
    await audit(tx, who, {
      action: 'areas.import',
      objectType: 'layer',
      objectKey: layer.key,
      batchId: batch,
      details: { validFrom, inserted: counts.inserted, updated: counts.updated, removed },
    });
    return {
      layer: layer.key,
      validFrom,
      newLayer,
      newVersion,
      crs: read.crs,
      areas: read.records.length,
      inserted: counts.inserted,
      updated: counts.updated,
      unchanged: counts.unchanged,
      removed,
      warnings: problems.items.filter((p) => p.severity === 'warning'),
      dryRun: !!o.dryRun,
    };
  });
}

function where(r: AreaRecord): { line?: number; column?: string } {
  return r.line !== undefined ? { line: r.line } : {};
}

function label(r: AreaRecord): string {
  return r.feature !== undefined ? `feature ${r.feature}` : r.line !== undefined ? `line ${r.line}` : 'record';
}

function checkRecords(records: AreaRecord[], file: string, problems: ProblemList): void {
  if (records.length === 0)
    problems.error({
      code: 'empty',
      file,
      reason: 'the file contains no areas',
      hint: 'check the file and the layer in it',
    });
  const seen = new Map<string, AreaRecord>();
  for (const r of records) {
    if (!r.code) {
      problems.error({
        code: 'empty-code',
        file,
        ...where(r),
        reason: `${label(r)} has no area code`,
        hint: 'every area needs a code; name the code property with --code',
      });
      continue;
    }
    if (!r.name)
      problems.error({
        code: 'empty-name',
        file,
        ...where(r),
        value: r.code,
        reason: `area ${r.code} (${label(r)}) has no name`,
        hint: 'name the name property with --name',
      });
    const prev = seen.get(r.code);
    if (prev)
      problems.error({
        code: 'duplicate-code',
        file,
        ...where(r),
        value: r.code,
        reason: `the code ${r.code} appears twice (${label(prev)} and ${label(r)})`,
        hint: 'codes must be unique within a layer version; merge the parts into one MultiPolygon',
      });
    else seen.set(r.code, r);
  }
}

async function resolveParents(
  tx: Queryable,
  records: AreaRecord[],
  file: string,
  parentLayer: LayerRow | undefined,
  validFrom: string | null,
  tolerance: number,
  problems: ProblemList,
): Promise<(number | null)[]> {
  if (!parentLayer) {
    for (const r of records) {
      if (r.parentCode) {
        problems.warning({
          code: 'parent-ignored',
          file,
          ...where(r),
          value: r.parentCode,
          reason: `area ${r.code} names a parent, but the layer has no parent layer; the parent is ignored`,
          params: { area: r.code },
          hint: 'pass --parent-layer KEY to build a hierarchy',
        });
        break;
      }
    }
    return records.map(() => null);
  }
  const versions = await loadLayerVersions(tx, parentLayer.id);
  // The parent version valid when this version starts; an open-start version nests in the
  // parent's earliest version.
  const pv = validFrom ? versionValidAt(versions, validFrom) : versions[0];
  if (!pv) {
    problems.error({
      code: 'no-parent-version',
      file,
      reason: `the parent layer "${parentLayer.key}" has no version valid on ${validFrom ?? 'the start'}`,
      hint: 'import the parent layer version first',
    });
    return records.map(() => null);
  }
  const byCode = new Map((await areaGeometries(tx, pv.id)).map((r) => [r.code, r]));
  const ids: (number | null)[] = [];
  for (const r of records) {
    if (!r.parentCode) {
      problems.error({
        code: 'missing-parent',
        file,
        ...where(r),
        value: r.code,
        reason: `area ${r.code} (${label(r)}) has no parent code`,
        hint: `every area of a hierarchical layer needs its parent in "${parentLayer.key}"; name the property with --parent`,
      });
      ids.push(null);
      continue;
    }
    const parent = byCode.get(r.parentCode);
    if (!parent) {
      problems.error({
        code: 'unknown-parent',
        file,
        ...where(r),
        value: r.parentCode,
        reason: `the parent code ${r.parentCode} of area ${r.code} does not exist in layer "${parentLayer.key}"${pv.validFrom ? ` (version from ${pv.validFrom})` : ''}`,
        ...(pv.validFrom
          ? { params: { parent: r.parentCode, area: r.code, layer: parentLayer.key, version: pv.validFrom } }
          : {}),
        hint: 'check the code (leading zeros count) or import the parent area first',
      });
      ids.push(null);
      continue;
    }
    ids.push(parent.id);
    if (tolerance > 0 && r.geometry && parent.geometry) {
      const share = coveredShare(r.geometry, parent.geometry);
      if (share < tolerance) {
        problems.error({
          code: 'outside-parent',
          file,
          ...where(r),
          value: r.code,
          reason: `area ${r.code} lies ${((1 - share) * 100).toFixed(1)} % outside its parent ${r.parentCode}`,
          params: { area: r.code, share: ((1 - share) * 100).toFixed(1), parent: r.parentCode },
          hint: 'check the parent code, or the CRS of one of the two files',
        });
      } else if (share < 0.999) {
        problems.warning({
          code: 'slightly-outside-parent',
          file,
          ...where(r),
          value: r.code,
          reason: `area ${r.code} lies ${((1 - share) * 100).toFixed(2)} % outside its parent ${r.parentCode} (digitising slivers?)`,
          params: { area: r.code, share: ((1 - share) * 100).toFixed(2), parent: r.parentCode },
        });
      }
    }
  }
  return ids;
}
