// Importing measures (all or nothing, positioned errors) and deleting one; every change is in
// the audit trail and in the measure's history.
import { basename, extname } from 'node:path';
import type { Database, Queryable } from '../store/db.ts';
import { canRead, canWrite, principalName, SYSTEM, type Principal } from '../core/access.ts';
import { Forbidden, NotFound, ProblemList, Unauthorized, type Problem } from '../core/problems.ts';
import { validateMeasure, type Measure, type MeasureLocation } from '../core/measures.ts';
import { openTable } from '../formats/table.ts';
import { normalizeStreet, parseAddressLine } from '../core/address/normalize.ts';
import { selectDepartments } from '../store/accounts.ts';
import { currentAreaCodes } from '../store/catalog.ts';
import { startBatch, finishBatch, discardBatch } from '../store/batches.ts';
import {
  addressCodes,
  deleteMeasures,
  insertHistory,
  insertMeasures,
  loadVocabulary,
  measureOwners,
  selectMeasures,
} from '../store/measures.ts';
import { assignPointsToLayers } from './assign-points.ts';
import { inTransaction } from './transaction.ts';
import { audit } from './audit.ts';
import { snapshot } from './snapshot.ts';
import { coded } from '../contracts/codes/index.ts';
import {
  detectFormat,
  read360Csv,
  read360Json,
  readDecidim,
  readTemplate,
  TEMPLATE_FIELD,
  type ImportMeasuresOptions,
  type MeasureFormat,
  type ReadMeasure,
} from './measures-files.ts';
import { guardOfMeasure } from './measures-common.ts';

export interface ImportMeasuresResult {
  file: string;
  format: MeasureFormat;
  measures: number;
  inserted: number;
  updated: number;
  unchanged: number;
  dryRun: boolean;
  batchId: number | null;
  warnings: Problem[];
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

/** A measure without what the store adds, in a stable form for comparing versions. */
function canonical(m: Measure): string {
  const {
    key,
    title,
    description,
    department,
    provider,
    programme,
    fundingSource,
    status,
    awardDate,
    planned,
    actual,
    confidentiality,
    contact,
    budget,
    locations,
    fields,
    targetGroups,
    goals,
    milestones,
    links,
    extra,
  } = m;
  return stableJson({
    key,
    title,
    description,
    department,
    provider,
    programme,
    fundingSource,
    status,
    awardDate,
    planned,
    actual,
    confidentiality,
    contact,
    budget,
    locations,
    fields: [...fields].sort(),
    targetGroups: [...targetGroups].sort(),
    goals,
    milestones,
    links,
    extra,
  });
}

function writeDecision(who: Principal, department: string): void {
  const may = canWrite(who, department);
  if (may === 'unauthenticated') throw new Unauthorized();
  if (may === 'forbidden') throw new Forbidden(coded('measures-change-forbidden', { department: department }));
}

/** Places points and addresses: area codes per layer (point-in-polygon; addresses from the register). */
async function locate(tx: Queryable, list: ReadMeasure[], problems: ProblemList, file: string): Promise<void> {
  const points: { l: Extract<MeasureLocation, { kind: 'point' } | { kind: 'address' }>; x: number; y: number }[] = [];
  for (const r of list)
    for (const [i, l] of r.measure.locations.entries()) {
      if (l.kind === 'area') continue;
      if (l.kind === 'address' && l.x === null) {
        const p = parseAddressLine(l.address);
        const hit = p.houseNumber
          ? await addressCodes(tx, normalizeStreet(p.street), p.houseNumber.number, p.houseNumber.suffix)
          : undefined;
        if (!hit) {
          problems.error({
            code: 'unknown-address',
            file,
            line: r.line,
            column: r.path ? `${r.path}/beneficiaryLocation/${i}` : 'Adressen',
            value: l.address,
            reason: 'the address is not in the address register',
            hint: 'check street and house number, or give the area (layer:code)',
          });
          continue;
        }
        l.codes = hit.codes;
        if (hit.x !== null && hit.y !== null) {
          l.x = hit.x;
          l.y = hit.y;
        }
        continue;
      }
      if (l.x !== null && l.y !== null) points.push({ l, x: l.x, y: l.y! });
    }
  if (!points.length) return;
  const assigned = await assignPointsToLayers(
    tx,
    Float64Array.from(points.map((p) => p.x)),
    Float64Array.from(points.map((p) => p.y)),
  );
  points.forEach((p, k) => {
    const codes: Record<string, string> = {};
    for (const [layer, list] of Object.entries(assigned.codes)) if (list[k] !== null) codes[layer] = list[k]!;
    if (p.l.kind === 'point' || !Object.keys(p.l.codes).length) p.l.codes = codes;
  });
}

export async function importMeasures(
  db: Database,
  path: string,
  o: ImportMeasuresOptions = {},
): Promise<ImportMeasuresResult> {
  const who = o.principal ?? SYSTEM;
  if (who.kind === 'anonymous') throw new Unauthorized();
  const file = o.displayName ?? basename(path);
  const problems = new ProblemList();
  const fail = () => coded('measures-not-imported', { file, n: problems.errorCount });
  const vocab = await loadVocabulary(db);
  let format = o.format;
  let read: ReadMeasure[];
  if (!format && extname(path).toLowerCase() !== '.json' && extname(path).toLowerCase() !== '.xlsx') {
    const t = await openTable(path, { displayName: file });
    format = detectFormat(path, t.columns);
    await t.close();
  }
  format ??= detectFormat(path);
  if (format === '360giving') read = await read360Json(path, file, problems, o.schemaDir);
  else if (format === '360giving-csv') read = await read360Csv(path, file, problems);
  else if (format === 'decidim') read = await readDecidim(path, file, problems, o, db, vocab);
  else read = await readTemplate(path, file, problems, o, vocab);
  if (!read.length && !problems.hasErrors) problems.error({ code: 'empty', file, reason: 'the file has no measures' });

  // Domain rules.
  const departments = new Set((await selectDepartments(db)).map((d) => d.key));
  const codes = new Map<string, Set<string> | undefined>();
  const s = await snapshot(db);
  for (const r of read)
    for (const l of r.measure.locations)
      if (l.kind === 'area' && !codes.has(l.layer))
        codes.set(l.layer, s.layerByKey.has(l.layer) ? await currentAreaCodes(db, l.layer) : undefined);
  const ctx = {
    departments,
    fields: new Set(vocab.filter((v) => v.kind === 'handlungsfeld').map((v) => v.code)),
    targetGroups: new Set(vocab.filter((v) => v.kind === 'zielgruppe').map((v) => v.code)),
    areaCodes: (layer: string) => codes.get(layer),
  };
  const seen = new Map<string, string>();
  for (const r of read) {
    const where = { file, line: r.line };
    for (const p of validateMeasure(r.measure, ctx))
      problems.error({
        code: 'bad-record',
        ...where,
        column: r.path
          ? `${r.path}/${p.field}`
          : format === 'template'
            ? (TEMPLATE_FIELD[p.field] ?? p.field)
            : p.field,
        value: p.value,
        reason: p.reason,
        hint: p.hint,
      });
    const before = seen.get(r.measure.key);
    if (before !== undefined)
      problems.error({
        code: 'duplicate-key',
        ...where,
        column: r.path ? `${r.path}/id` : 'Kennung',
        value: r.measure.key,
        reason: `the key is given twice (first at ${before})`,
      });
    seen.set(r.measure.key, r.line !== undefined ? `line ${r.line}` : r.path!);
  }
  problems.throwIfErrors(fail());

  return inTransaction(db, !!o.dryRun, async (tx) => {
    await locate(tx, read, problems, file);
    problems.throwIfErrors(fail());
    const keys = read.map((r) => r.measure.key);
    const owners = await measureOwners(tx, keys);
    for (const dep of new Set([
      ...read.map((r) => r.measure.department),
      ...[...owners.values()].map((x) => x.department),
    ]))
      writeDecision(who, dep);
    const stored = new Map((await selectMeasures(tx, [...owners.keys()])).map((m) => [m.key, m]));
    const batch = await startBatch(tx, 'measures', file, { format }, principalName(who));
    const changed: { measure: Measure; version: number }[] = [];
    const history: { key: string; version: number; action: 'create' | 'update'; record: Measure }[] = [];
    let unchanged = 0;
    for (const r of read) {
      const old = stored.get(r.measure.key);
      if (old && canonical(old) === canonical(r.measure)) {
        unchanged++;
        continue;
      }
      const version = old ? old.version + 1 : 1;
      changed.push({ measure: r.measure, version });
      history.push({
        key: r.measure.key,
        version,
        action: old ? 'update' : 'create',
        record: { ...r.measure, departmentName: null },
      });
    }
    if (!changed.length) {
      await discardBatch(tx, batch);
      return {
        file,
        format: format!,
        measures: read.length,
        inserted: 0,
        updated: 0,
        unchanged,
        dryRun: !!o.dryRun,
        batchId: null,
        warnings: problems.items.filter((p) => p.severity === 'warning'),
      };
    }
    await deleteMeasures(
      tx,
      changed.filter((c) => c.version > 1).map((c) => c.measure.key),
    );
    await insertMeasures(tx, changed, batch, principalName(who));
    await insertHistory(tx, history, principalName(who), batch);
    const inserted = history.filter((h) => h.action === 'create').length;
    const updated = history.length - inserted;
    await finishBatch(tx, batch, { rowsRead: read.length, inserted, updated, unchanged });
    await audit(tx, who, {
      action: 'measures.import',
      objectType: 'measures',
      objectKey: file,
      batchId: batch,
      details: {
        format,
        measures: read.length,
        inserted,
        updated,
        unchanged,
        keys: history.slice(0, 50).map((h) => h.key),
      },
    });
    return {
      file,
      format: format!,
      measures: read.length,
      inserted,
      updated,
      unchanged,
      dryRun: !!o.dryRun,
      batchId: o.dryRun ? null : batch,
      warnings: problems.items.filter((p) => p.severity === 'warning'),
    };
  });
}

/** Deletes a measure (its history stays, with a last entry "delete"). */
export async function deleteMeasure(db: Database, who: Principal, key: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [m] = await selectMeasures(tx, [key]);
    if (!m || canRead(who, guardOfMeasure(m)) === 'hidden')
      throw new NotFound(coded('measure-not-found', { measure: key }));
    writeDecision(who, m.department);
    const batch = await startBatch(tx, 'measures', null, { delete: key }, principalName(who));
    await deleteMeasures(tx, [key]);
    await insertHistory(tx, [{ key, version: m.version + 1, action: 'delete', record: m }], principalName(who), batch);
    await finishBatch(tx, batch, { rowsRead: 1, inserted: 0, updated: 1, unchanged: 0 });
    await audit(tx, who, { action: 'measures.delete', objectType: 'measure', objectKey: key, batchId: batch });
  });
}
