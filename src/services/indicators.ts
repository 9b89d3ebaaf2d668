// Use case: import (create or update) indicator definitions and dimensions from a catalogue.
import {
  observationCounts,
  upsertDimension,
  upsertDimensionMember,
  upsertIndicator,
  indicatorOwnerAndDraft,
  clearDraft,
} from '../store/catalog-write.ts';
import { basename } from 'node:path';
import type { Database, Queryable } from '../store/db.ts';
import { loadIndicators, type IndicatorRow } from '../store/catalog.ts';
import { readCatalogueFile, type Locate } from '../formats/catalogue.ts';
import {
  catalogueListSchema,
  catalogueObjectSchema,
  type Catalogue,
  type DimensionDefinition,
} from '../core/indicators.ts';
import { ProblemList, type Problem } from '../core/problems.ts';
import { inTransaction } from './transaction.ts';
import { startBatch, finishBatch } from '../store/batches.ts';
import { SYSTEM, canWrite, principalName, type Principal } from '../core/access.ts';
import { Forbidden, NotFound, Unauthorized, codedList, indicatorOfOwner } from '../core/problems.ts';
import { ensureDepartments } from './users.ts';
import { audit } from './audit.ts';
import { coded } from '../contracts/codes/index.ts';

export interface ImportCatalogueResult {
  indicators: number;
  inserted: number;
  updated: number;
  unchanged: number;
  dimensions: number;
  warnings: Problem[];
  dryRun: boolean;
}

export interface ImportCatalogueOptions {
  dryRun?: boolean;
  /** Who imports (default: the local operator). Stewards change only their department's indicators. */
  principal?: Principal;
  displayName?: string;
}

export async function importCatalogueFile(
  db: Database,
  path: string,
  o: ImportCatalogueOptions = {},
): Promise<ImportCatalogueResult> {
  const file = o.displayName ?? basename(path);
  const raw = await readCatalogueFile(path, file);
  const problems = new ProblemList();
  raw.problems.forEach((p) => problems.add(p));
  problems.throwIfErrors(
    `The catalogue ${file} was not imported: ${problems.errorCount} error(s). Nothing was changed.`,
  );
  return importCatalogue(db, raw.data, { ...o, displayName: file }, raw.locate);
}

/** Where the indicator at index i (and one of its fields) stands in the file. */
type IndicatorAt = (i: number, ...field: (string | number)[]) => { line?: number; column?: number | string };

function indicatorLocator(data: unknown, locate: Locate | undefined): IndicatorAt {
  const prefix = Array.isArray(data) ? [] : ['indicators'];
  return (i, ...field) => {
    if (!locate) return {};
    // The field itself, else the nearest enclosing entry that is in the file (a missing field: its indicator).
    const path = [...prefix, i, ...field];
    for (let n = path.length; n >= prefix.length + 1; n--) {
      const at = locate(path.slice(0, n));
      if (at) return at;
    }
    return {};
  };
}

/**
 * Validates and stores a catalogue given as data (the parsed JSON/YAML, or CSV records);
 * locate gives the position of a path into data for the problems.
 */
export async function importCatalogue(
  db: Database,
  data: unknown,
  o: ImportCatalogueOptions = {},
  locate?: Locate,
): Promise<ImportCatalogueResult> {
  const file = o.displayName ?? 'catalogue';
  const problems = new ProblemList();
  const at = indicatorLocator(data, locate);
  const catalogue = parseCatalogue(data, file, problems, locate);
  problems.throwIfErrors(
    `The catalogue ${file} was not imported: ${problems.errorCount} error(s). Nothing was changed.`,
  );
  return inTransaction(db, !!o.dryRun, async (tx) => {
    const existing = await loadIndicators(tx);
    checkReferences(catalogue!, existing, file, problems, at);
    await checkChanges(tx, catalogue!, existing, file, problems, at);
    problems.throwIfErrors(
      `The catalogue ${file} was not imported: ${problems.errorCount} error(s). Nothing was changed.`,
    );
    const who = o.principal ?? SYSTEM;
    const foreign = catalogue!.indicators.filter((ind) => {
      const old = existing.find((e) => e.key === ind.key);
      return canWrite(who, ind.owner ?? null) !== 'ok' || (old && canWrite(who, old.owner) !== 'ok');
    });
    if (foreign.length) {
      if (who.kind === 'anonymous') throw new Unauthorized();
      throw new Forbidden(
        coded('own-indicators-only', {
          refused: codedList(
            foreign.map((f) => indicatorOfOwner(f.key, existing.find((e) => e.key === f.key)?.owner ?? f.owner)),
          ),
        }),
      );
    }
    const batch = await startBatch(tx, 'indicators', file, {}, principalName(who));
    const newDepartments = await ensureDepartments(
      tx,
      catalogue!.indicators.flatMap((i) => [i.owner, ...(i.departments ?? [])]).filter((d): d is string => !!d),
    );
    for (const d of newDepartments) {
      problems.warning({
        code: 'new-department',
        file,
        value: d,
        reason: `the department "${d}" did not exist and was created`,
        hint: 'give it a proper name with `kommunalmonitor departments add` before, or rename it later',
      });
    }
    const dims = await storeDimensions(tx, catalogue!);
    let inserted = 0;
    let updated = 0;
    for (const ind of catalogue!.indicators) {
      const r = await upsertIndicator(tx, ind);
      if (r === 'inserted') inserted++;
      else if (r === 'updated') updated++;
    }
    const unchanged = catalogue!.indicators.length - inserted - updated;
    await finishBatch(tx, batch, { rowsRead: catalogue!.indicators.length, inserted, updated, unchanged });
    await audit(tx, who, {
      action: 'catalogue.import',
      objectType: 'catalogue',
      objectKey: file,
      batchId: batch,
      details: { inserted, updated, unchanged, indicators: catalogue!.indicators.map((i) => i.key) },
    });
    return {
      indicators: catalogue!.indicators.length,
      inserted,
      updated,
      unchanged,
      dimensions: dims,
      warnings: problems.items.filter((p) => p.severity === 'warning'),
      dryRun: !!o.dryRun,
    };
  });
}

function parseCatalogue(
  data: unknown,
  file: string,
  problems: ProblemList,
  locate: Locate | undefined,
): Catalogue | undefined {
  // Parse the shape the file has, so that errors point into it (a union would only say "invalid").
  const schema = Array.isArray(data) ? catalogueListSchema : catalogueObjectSchema;
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path;
      // Point at the indicator (its key and, for CSV, its line) and the field.
      const idxPos = Array.isArray(data) ? 0 : path[0] === 'indicators' ? 1 : -1;
      const idx = idxPos >= 0 && typeof path[idxPos] === 'number' ? (path[idxPos] as number) : undefined;
      const list = Array.isArray(data) ? data : (data as { indicators?: unknown[] } | null)?.indicators;
      const key = idx !== undefined && Array.isArray(list) ? (list[idx] as { key?: unknown })?.key : undefined;
      // An unknown field is reported at the object; point at the field's own key.
      const keys = issue.code === 'unrecognized_keys' ? ((issue as { keys?: string[] }).keys ?? []) : [];
      const fieldPath = [...path.slice(idxPos + 1), ...keys.slice(0, 1)] as (string | number)[];
      const field = fieldPath.join('.');
      const where = nearest(locate, [...path, ...keys.slice(0, 1)] as (string | number)[]);
      problems.error({
        code: 'invalid-indicator',
        file,
        line: where?.line,
        // JSON and YAML: the column of the field in the file; CSV: the field's column.
        column: where?.column ?? (field || undefined),
        value: typeof key === 'string' ? key : undefined,
        reason: `${idx !== undefined ? `indicator ${typeof key === 'string' ? `"${key}"` : `#${idx + 1}`}` : 'catalogue'}${field ? `, field "${field}"` : ''}: ${issue.message}`,
        hint: 'see docs/catalogue.md for the fields of an indicator',
      });
    }
    return undefined;
  }
  const v = parsed.data;
  return Array.isArray(v)
    ? { dimensions: [], indicators: v }
    : { dimensions: v.dimensions ?? [], indicators: v.indicators };
}

/** The position of path in the file, or of the nearest enclosing entry that is there. */
function nearest(
  locate: Locate | undefined,
  path: (string | number)[],
): { line: number; column?: number | string } | undefined {
  if (!locate) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const at = locate(path.slice(0, n));
    if (at) return at;
  }
  return undefined;
}

function checkReferences(
  cat: Catalogue,
  existing: IndicatorRow[],
  file: string,
  problems: ProblemList,
  at: IndicatorAt,
): void {
  const byKey = new Map<string, { type: string; dimensions: string[] }>(
    existing.map((e) => [e.key, { type: e.type, dimensions: e.dimensions }]),
  );
  const seen = new Set<string>();
  cat.indicators.forEach((ind, i) => {
    if (seen.has(ind.key))
      problems.error({
        code: 'duplicate-key',
        file,
        ...at(i, 'key'),
        value: ind.key,
        reason: `the indicator "${ind.key}" is defined twice`,
        hint: 'keep one definition of each key',
      });
    seen.add(ind.key);
    byKey.set(ind.key, { type: ind.type, dimensions: ind.dimensions ?? [] });
  });
  const declaredMembers = new Map<string, Set<string>>();
  for (const d of cat.dimensions)
    if (d.members?.length)
      declaredMembers.set(d.key, new Set(d.members.map((m) => (typeof m === 'string' ? m : m.key))));
  cat.indicators.forEach((ind, i) => {
    for (const role of ['numerator', 'denominator'] as const) {
      const ref = ind[role];
      if (!ref) continue;
      const target = byKey.get(ref.indicator);
      const where = { file, ...at(i, role, 'indicator'), value: ref.indicator };
      if (!target) {
        problems.error({
          ...where,
          code: 'unknown-reference',
          reason: `the ${role} of "${ind.key}" refers to the unknown indicator "${ref.indicator}"`,
          hint: 'define that indicator in this file or import it first',
        });
        continue;
      }
      if (target.type !== 'count') {
        problems.error({
          ...where,
          code: 'bad-reference',
          reason: `the ${role} of "${ind.key}" must be a count indicator; "${ref.indicator}" is a ${target.type}`,
          hint: 'ratios are built from counts so that they aggregate exactly',
        });
      }
      for (const [dim, member] of Object.entries(ref.filter ?? {})) {
        if (!target.dimensions.includes(dim)) {
          problems.error({
            ...where,
            ...at(i, role, 'filter', dim),
            code: 'bad-filter',
            reason: `the ${role} of "${ind.key}" filters on "${dim}", which is not a dimension of "${ref.indicator}"`,
            hint: `its dimensions: ${target.dimensions.join(', ') || 'none'}`,
          });
        } else if (declaredMembers.get(dim) && !declaredMembers.get(dim)!.has(member)) {
          problems.error({
            ...where,
            ...at(i, role, 'filter', dim),
            code: 'bad-filter',
            value: member,
            reason: `"${member}" is not a member of the dimension "${dim}"`,
            hint: `members: ${[...declaredMembers.get(dim)!].join(', ')}`,
          });
        }
      }
    }
  });
}

/** Changes that would make stored observations wrong are refused. */
async function checkChanges(
  tx: Queryable,
  cat: Catalogue,
  existing: IndicatorRow[],
  file: string,
  problems: ProblemList,
  at: IndicatorAt,
): Promise<void> {
  const byKey = new Map(existing.map((e) => [e.key, e]));
  const changed = cat.indicators.filter((ind) => {
    const old = byKey.get(ind.key);
    return old && (old.type !== ind.type || old.dimensions.join(',') !== (ind.dimensions ?? []).join(','));
  });
  if (!changed.length) return;
  for (const r of await observationCounts(
    tx,
    changed.map((c) => c.key),
  )) {
    const i = cat.indicators.findIndex((x) => x.key === r.key);
    problems.error({
      code: 'incompatible-change',
      file,
      ...at(i, 'key'),
      value: r.key,
      reason: `"${r.key}" already has ${r.n} observation(s); its type and dimensions cannot change`,
      hint: 'define a new indicator with another key instead',
    });
  }
}

async function storeDimensions(tx: Queryable, cat: Catalogue): Promise<number> {
  const declared = new Map<string, DimensionDefinition>(cat.dimensions.map((d) => [d.key, d]));
  for (const ind of cat.indicators)
    for (const d of ind.dimensions ?? []) if (!declared.has(d)) declared.set(d, { key: d, name: d });
  for (const d of declared.values()) {
    const id = await upsertDimension(
      tx,
      d.key,
      d.name,
      cat.dimensions.some((x) => x.key === d.key),
    );
    let sort = 0;
    for (const m of d.members ?? [])
      await upsertDimensionMember(
        tx,
        id,
        typeof m === 'string' ? m : m.key,
        typeof m === 'string' ? m : m.name,
        sort++,
      );
  }
  return declared.size;
}

/** Publishes a draft indicator: from now on it is visible by its confidentiality. */
export async function publishIndicator(db: Database, who: Principal, key: string): Promise<void> {
  await db.transaction(async (tx) => {
    const row = await indicatorOwnerAndDraft(tx, key);
    if (!row) throw new NotFound(coded('indicator-not-found', { indicator: key }));
    const d = canWrite(who, row.owner);
    if (d === 'unauthenticated') throw new Unauthorized();
    if (d === 'forbidden')
      throw new Forbidden(coded('publish-forbidden', { department: String(row.owner), indicator: key }));
    if (!row.draft) return;
    await clearDraft(tx, key);
    // Publishing changes what readers see: a batch marks the change for caches.
    await startBatch(tx, 'indicators', null, { publish: key }, principalName(who));
    await audit(tx, who, { action: 'indicator.publish', objectType: 'indicator', objectKey: key });
  });
}
