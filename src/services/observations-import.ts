// Use case: import observations from a long or wide CSV/XLSX file. The file streams through:
// every row is validated in memory against the catalogue and the spatial structure, valid rows
// are staged with COPY inside one transaction, and the merge into the observation table keeps
// the history of changed values. Any error rejects the whole file; all errors are reported.
import { basename } from 'node:path';
import type { Database, Queryable } from '../store/db.ts';
import { copyField } from '../store/db.ts';
import { loadIndicators, loadDimensions, loadLayers, type IndicatorRow } from '../store/catalog.ts';
import { openTable, type Cell, type OpenTable } from '../formats/table.ts';
import { parseValueCell, parseStatus, parseNumber } from '../core/values.ts';
import { parsePeriod, PERIOD_HINT, type Period } from '../core/periods.ts';
import { isDerivedRatio } from '../core/indicators.ts';
import { parseComponentRef } from '../formats/catalogue.ts';
import type { ObservationStatus } from '../core/observations.ts';
import { ProblemList, type Problem } from '../core/problems.ts';
import { AreaResolver } from './area-resolver.ts';
import { inTransaction, startBatch, finishBatch } from './transaction.ts';
import { SYSTEM, canWrite, principalName, type Principal } from '../core/access.ts';
import { Forbidden, Unauthorized } from '../core/problems.ts';
import { audit } from './audit.ts';

export interface ImportObservationsOptions {
  /** Layer of the area codes; without it a code is looked up in every layer. */
  layer?: string;
  dryRun?: boolean;
  /** Who imports (default: the local operator). Stewards import only their department's data. */
  principal?: Principal;
  displayName?: string;
  delimiter?: string;
  encoding?: 'utf-8' | 'windows-1252' | 'auto';
  decimal?: ',' | '.';
  sheet?: string | number;
  /** Wide format: the column holding the area code. */
  areaColumn?: string;
  /** Wide format: the period of every row, or the column holding it. */
  period?: string;
  periodColumn?: string;
  /** Wide format: "COLUMN=indicator[dimension=member,…]" mappings. */
  map?: string[];
  onProgress?: (p: { rows: number; bytesRead: number; totalBytes: number }) => void;
}

export interface ImportObservationsResult {
  file: string;
  format: 'long' | 'wide';
  rows: number;
  observations: number;
  inserted: number;
  updated: number;
  unchanged: number;
  indicators: string[];
  periods: string[];
  warnings: Problem[];
  dryRun: boolean;
  batchId: number | null;
}

const LONG_ALIASES: Record<string, string[]> = {
  indicator: ['indicator', 'indikator', 'merkmal', 'kennzahl'],
  area: ['area', 'gebiet', 'raum', 'area_code', 'gebietsschluessel', 'gebietsschlüssel'],
  period: ['period', 'periode', 'zeitraum', 'stichtag', 'zeit'],
  value: ['value', 'wert'],
  status: ['status', 'kennzeichen'],
  base: ['base', 'basis'],
  reason: ['reason', 'grund', 'anmerkung'],
};

const STAGE_COLUMNS = ['indicator_id', 'area_id', 'period_id', 'members', 'value', 'status', 'reason', 'base', 'line'];
/** The same fields written straight into observation, the line replaced by the import batch. */
const OBSERVATION_COLUMNS = ['indicator_id', 'area_id', 'period_id', 'members', 'value', 'status', 'reason', 'base', 'import_batch_id'];
const FLUSH_ROWS = 50_000;
const PLAIN_INTEGER = /^\d{1,15}$/;

interface Target {
  indicator: IndicatorRow;
  members: Record<string, string>;
}

interface Context {
  file: string;
  problems: ProblemList;
  indicators: Map<string, IndicatorRow>;
  declaredMembers: Map<string, Set<string> | null>;
  newMembers: Map<string, Set<string>>;
  periods: Map<string, { period: Period; id: number } | null>;
  resolver: AreaResolver;
  tx: Queryable;
  buffer: string[];
  staged: number;
  seenIndicators: Set<string>;
  decimal: ',' | '.';
  membersCache: Map<string, string>;
  /** The (indicator id, period id) pairs staged. */
  pairs: Set<string>;
  /** The pair of each buffered row (same order as buffer). */
  bufferPairs: string[];
  /**
   * Per pair: true when it had no stored observations before this import — its rows go straight
   * into observation (no staging, no merge); false: staged and merged. Empty in staging-only mode.
   */
  direct: Map<string, boolean> | null;
  /** Rows written straight into observation. */
  directRows: number;
  /** The import batch, started at the first direct write. */
  batch: number | null;
  /** The write of the previous flush, still running while the next rows are read (an error, or null). */
  writing: Promise<unknown> | null;
  /**
   * Periods first seen while a write was running, with a provisional (negative) id: looking them
   * up would wait for the write, so they are stored at the next flush and their rows rewritten.
   */
  provisional: Map<number, { period: Period; id: number }>;
  /** The same entries as `periods`, by canonical key (one entry for two spellings of a period). */
  periodsByKey: Map<string, { period: Period; id: number }>;
  startBatch: () => Promise<number>;
}

/** Thrown when rows written straight into observation repeat one another (primary key). */
class DirectDuplicate extends Error {}

export async function importObservations(db: Database, path: string, o: ImportObservationsOptions = {}): Promise<ImportObservationsResult> {
  try {
    return await importOnce(db, path, o, false);
  } catch (e) {
    // A repeated observation among rows written straight into the table: read the file again
    // through the staging table, which names the lines (the first attempt was rolled back).
    if (e instanceof DirectDuplicate) return importOnce(db, path, o, true);
    throw e;
  }
}

async function importOnce(db: Database, path: string, o: ImportObservationsOptions, stagingOnly: boolean): Promise<ImportObservationsResult> {
  const file = o.displayName ?? basename(path);
  const table = await openTable(path, { displayName: file, delimiter: o.delimiter, encoding: o.encoding, decimal: o.decimal, sheet: o.sheet });
  const problems = new ProblemList();
  const layout = detectLayout(table, o, problems);
  problems.throwIfErrors(`The observations in ${file} were not imported: ${problems.errorCount} error(s). Nothing was changed.`);

  return inTransaction(db, !!o.dryRun, async (tx) => {
    const indicators = new Map((await loadIndicators(tx)).map((i) => [i.key, i]));
    const declaredMembers = new Map<string, Set<string> | null>();
    for (const d of await loadDimensions(tx)) declaredMembers.set(d.key, d.members.length ? new Set(d.members.map((m) => m.key)) : null);
    let resolverLayer;
    if (o.layer) {
      resolverLayer = (await loadLayers(tx)).find((l) => l.key === o.layer);
      if (!resolverLayer) {
        problems.error({ code: 'unknown-layer', file, value: o.layer, reason: `the layer "${o.layer}" does not exist`, hint: 'list the layers with `kommunalmonitor layers`' });
        problems.throwIfErrors();
      }
    }
    const resolver = await AreaResolver.load(tx, resolverLayer);
    await tx.exec(`CREATE TEMP TABLE stage_obs (indicator_id int, area_id int, period_id int, members jsonb, value float8, status text, reason text, base float8, line int) ON COMMIT DROP`);
    const ctx: Context = {
      file,
      problems,
      indicators,
      declaredMembers,
      newMembers: new Map(),
      periods: new Map(),
      resolver,
      tx,
      buffer: [],
      staged: 0,
      seenIndicators: new Set(),
      decimal: table.decimal,
      membersCache: new Map(),
      pairs: new Set(),
      bufferPairs: [],
      direct: stagingOnly ? null : new Map(),
      directRows: 0,
      batch: null,
      writing: null,
      provisional: new Map(),
      periodsByKey: new Map(),
      startBatch: async () => (ctx.batch ??= await startBatch(tx, 'observations', file, { layer: o.layer, areaColumn: o.areaColumn, period: o.period, periodColumn: o.periodColumn, map: o.map }, principalName(o.principal ?? SYSTEM))),
    };
    const wideTargets = layout.kind === 'wide' ? resolveWideTargets(layout, ctx) : [];
    problems.throwIfErrors(`The observations in ${file} were not imported: ${problems.errorCount} error(s). Nothing was changed.`);

    let rows = 0;
    const periodColumn = layout.kind === 'long' ? layout.period : layout.fixedPeriod !== undefined ? -1 : layout.period;
    for await (const batch of table.batches) {
      // Periods are few: resolve the batch's new ones in one statement, then validate the rows
      // without awaiting anything per row.
      await ensurePeriods(ctx, layout.kind === 'wide' && layout.fixedPeriod !== undefined ? [layout.fixedPeriod] : batch.map((r) => text(r.cells[periodColumn])));
      for (const row of batch) {
        rows++;
        if (row.cells.length !== table.columns.length) {
          problems.error({ code: 'column-count', file, line: row.line, reason: `the row has ${row.cells.length} columns, the header has ${table.columns.length}`, hint: 'check the delimiter and quotes in this line' });
          continue;
        }
        if (layout.kind === 'long') longRow(ctx, layout, row.cells, row.line);
        else wideRow(ctx, layout, wideTargets, row.cells, row.line);
      }
      if (ctx.buffer.length >= FLUSH_ROWS) await flush(ctx);
      o.onProgress?.({ rows, bytesRead: table.bytesRead(), totalBytes: table.totalBytes });
    }
    if (rows === 0) problems.error({ code: 'empty', file, reason: 'the file has a header but no rows' });
    await flush(ctx);
    await written(ctx);
    o.onProgress?.({ rows, bytesRead: table.totalBytes, totalBytes: table.totalBytes });
    problems.throwIfErrors(`The observations in ${file} were not imported: ${problems.errorCount} error(s) in ${rows} rows. Nothing was changed.`);

    const who = o.principal ?? SYSTEM;
    const foreign = [...ctx.seenIndicators].map((k) => indicators.get(k)!).filter((i) => canWrite(who, i.owner) !== 'ok');
    if (foreign.length) {
      if (who.kind === 'anonymous') throw new Unauthorized();
      throw new Forbidden(
        `${file}: you may import data only for your own department's indicators; refused: ${foreign.map((i) => `${i.key} (owner ${i.owner ?? 'none'})`).join(', ')}. Nothing was changed.`,
      );
    }
    const rejected = `The observations in ${file} were not imported: ${problems.errorCount} error(s) in ${rows} rows. Nothing was changed.`;
    // Rows of pairs new to the database are in observation already (see flush). The staged rest:
    // in staging-only mode, new periods still need no comparison with stored values (a plain
    // INSERT, duplicates caught by the primary key); otherwise check for duplicates, then merge
    // keeping the history.
    const stagedRows = ctx.staged - ctx.directRows;
    const fresh = stagedRows > 0 && ctx.direct === null && (await storedPairs(tx, [...ctx.pairs])).size === 0;
    if (stagedRows > 0 && !fresh) {
      await reportDuplicates(ctx);
      problems.throwIfErrors(rejected);
    }
    await registerMembers(ctx);
    const batch = await ctx.startBatch();
    let merged: { inserted: number; updated: number } = { inserted: 0, updated: 0 };
    if (fresh) {
      await tx.exec('SAVEPOINT fresh_insert');
      try {
        merged = await insertFresh(tx, batch);
      } catch (e) {
        if ((e as { code?: string }).code !== '23505') throw e;
        await tx.exec('ROLLBACK TO SAVEPOINT fresh_insert');
        await reportDuplicates(ctx);
        problems.throwIfErrors(rejected);
        throw e;
      }
    } else if (stagedRows > 0) {
      merged = await merge(tx, batch);
    }
    merged.inserted += ctx.directRows;
    const unchanged = ctx.staged - merged.inserted - merged.updated;
    let batchId: number | null = batch;
    if (merged.inserted + merged.updated === 0) {
      // Re-importing the same file changes nothing, not even the batch log.
      await tx.query('DELETE FROM import_batch WHERE id = $1', [batch]);
      batchId = null;
    } else {
      await finishBatch(tx, batch, { rowsRead: rows, inserted: merged.inserted, updated: merged.updated, unchanged });
      await audit(tx, who, { action: 'observations.import', objectType: 'file', objectKey: file, batchId: batch, details: { inserted: merged.inserted, updated: merged.updated, unchanged, indicators: [...ctx.seenIndicators].sort() } });
      // Fresh planner statistics: the embedded engine has no autovacuum to gather them.
      await tx.exec('ANALYZE observation');
    }
    return {
      file,
      format: layout.kind,
      rows,
      observations: ctx.staged,
      inserted: merged.inserted,
      updated: merged.updated,
      unchanged,
      indicators: [...ctx.seenIndicators].sort(),
      periods: [...ctx.periods.values()].filter((p): p is { period: Period; id: number } => !!p).map((p) => p.period.key).sort(),
      warnings: problems.items.filter((p) => p.severity === 'warning'),
      dryRun: !!o.dryRun,
      batchId,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Layout detection

interface LongLayout {
  kind: 'long';
  indicator: number;
  area: number;
  period: number;
  value: number;
  status: number;
  base: number;
  reason: number;
  /** Breakdown columns: index → dimension key. */
  dims: { index: number; key: string; column: string }[];
}

interface WideLayout {
  kind: 'wide';
  area: number;
  period: number;
  fixedPeriod?: string;
  columns: { index: number; column: string; spec: string }[];
}

function findAlias(lower: string[], names: string[]): number {
  for (const n of names) {
    const i = lower.indexOf(n);
    if (i >= 0) return i;
  }
  return -1;
}

function detectLayout(table: OpenTable, o: ImportObservationsOptions, problems: ProblemList): LongLayout | WideLayout {
  const cols = table.columns;
  const lower = cols.map((c) => c.trim().toLowerCase());
  const find = (k: string) => findAlias(lower, LONG_ALIASES[k]);
  const idx = { indicator: find('indicator'), area: find('area'), period: find('period'), value: find('value'), status: find('status'), base: find('base'), reason: find('reason') };
  const wideAsked = o.areaColumn !== undefined || o.period !== undefined || o.periodColumn !== undefined || (o.map?.length ?? 0) > 0;
  if (!wideAsked && idx.indicator >= 0 && idx.area >= 0 && idx.period >= 0 && idx.value >= 0) {
    const used = new Set([idx.indicator, idx.area, idx.period, idx.value, idx.status, idx.base, idx.reason]);
    const dims = cols
      .map((c, i) => ({ index: i, key: c.trim().toLowerCase(), column: c }))
      .filter((d) => !used.has(d.index));
    for (const d of dims) {
      if (!/^[a-z][a-z0-9_]*$/.test(d.key)) {
        problems.error({ code: 'bad-dimension-column', file: table.file, line: 1, column: d.column, value: d.column, reason: `the column "${d.column}" is not a dimension key`, hint: 'in a long file every column besides indicator, area, period, value, status, base and reason names a breakdown dimension (e.g. altersgruppe)' });
      }
    }
    return { kind: 'long', ...idx, dims };
  }
  if (!wideAsked) {
    const missing = ['indicator', 'area', 'period', 'value'].filter((k) => idx[k as keyof typeof idx] < 0);
    problems.error({
      code: 'unknown-layout',
      file: table.file,
      line: 1,
      reason: `the file is not in long format: the column(s) ${missing.join(', ')} are missing`,
      hint: 'a long file has the columns indicator, area, period, value (and breakdown columns); for a wide file (one column per indicator) pass --area-column COLUMN, --period P or --period-column COLUMN, and --map COLUMN=indicator[dimension=member]',
    });
    return { kind: 'long', ...idx, dims: [] };
  }
  // Wide format
  const colIndex = (name: string | undefined, opt: string): number => {
    if (name === undefined) return -1;
    const i = cols.findIndex((c) => c === name || c.trim().toLowerCase() === name.trim().toLowerCase());
    if (i < 0) problems.error({ code: 'missing-column', file: table.file, line: 1, value: name, reason: `the column "${name}" given with ${opt} does not exist`, hint: `the file has the columns: ${cols.join(', ')}` });
    return i;
  };
  const area = colIndex(o.areaColumn, '--area-column');
  if (o.areaColumn === undefined) problems.error({ code: 'missing-option', file: table.file, reason: 'a wide file needs the area column', hint: '--area-column COLUMN' });
  const period = colIndex(o.periodColumn, '--period-column');
  if (o.period === undefined && o.periodColumn === undefined) problems.error({ code: 'missing-option', file: table.file, reason: 'a wide file needs the period', hint: '--period 2022-06-30 (for every row) or --period-column COLUMN' });
  const columns: WideLayout['columns'] = [];
  for (const m of o.map ?? []) {
    const eq = m.lastIndexOf('=', m.indexOf('[') >= 0 ? m.indexOf('[') : m.length);
    const column = eq > 0 ? m.slice(0, eq) : '';
    const spec = eq > 0 ? m.slice(eq + 1) : '';
    if (!column || !spec) {
      problems.error({ code: 'bad-mapping', file: table.file, value: m, reason: `cannot read the mapping "${m}"`, hint: 'write --map "COLUMN=indicator" or --map "COLUMN=indicator[dimension=member]"' });
      continue;
    }
    const i = colIndex(column, '--map');
    if (i >= 0) columns.push({ index: i, column: cols[i], spec });
  }
  return { kind: 'wide', area, period, fixedPeriod: o.period, columns };
}

function resolveWideTargets(layout: WideLayout, ctx: Context): (Target & { index: number; column: string })[] {
  const out: (Target & { index: number; column: string })[] = [];
  const mapped = new Set(layout.columns.map((c) => c.index));
  // Columns named exactly like an indicator without dimensions map themselves.
  // (The header is not available here; the caller passes mappings explicitly or by name.)
  for (const c of layout.columns) {
    const ref = parseComponentRef(c.spec);
    if (!ref) {
      ctx.problems.error({ code: 'bad-mapping', file: ctx.file, column: c.column, value: c.spec, reason: `cannot read the mapping target "${c.spec}"`, hint: 'write indicator or indicator[dimension=member,…]' });
      continue;
    }
    const ind = ctx.indicators.get(ref.indicator);
    if (!ind) {
      ctx.problems.error({ code: 'unknown-indicator', file: ctx.file, column: c.column, value: ref.indicator, reason: `the indicator "${ref.indicator}" does not exist`, hint: 'import the indicator catalogue first (kommunalmonitor import indicators FILE)' });
      continue;
    }
    const members = ref.filter ?? {};
    const missing = ind.dimensions.filter((d) => !members[d]);
    const extra = Object.keys(members).filter((d) => !ind.dimensions.includes(d));
    if (missing.length || extra.length) {
      ctx.problems.error({
        code: 'bad-mapping',
        file: ctx.file,
        column: c.column,
        value: c.spec,
        reason: missing.length ? `the column must name a member of ${missing.join(', ')} for "${ind.key}"` : `"${ind.key}" has no dimension ${extra.join(', ')}`,
        hint: `"${ind.key}" has the dimensions: ${ind.dimensions.join(', ') || 'none'}`,
      });
      continue;
    }
    out.push({ indicator: ind, members, index: c.index, column: c.column });
  }
  void mapped;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rows

function text(c: Cell | undefined): string {
  return c === null || c === undefined ? '' : typeof c === 'string' ? c.trim() : String(c);
}

/** Parses and stores the periods not seen yet (one statement for all of them). */
async function ensurePeriods(ctx: Context, raws: string[]): Promise<void> {
  const fresh = new Map<string, Period>();
  for (const raw of raws) {
    if (!raw || ctx.periods.has(raw) || fresh.has(raw)) continue;
    const parsed = parsePeriod(raw);
    if (!parsed) ctx.periods.set(raw, null);
    else fresh.set(raw, parsed);
  }
  if (!fresh.size) return;
  const known = [...fresh].filter(([, p]) => ctx.periodsByKey.has(p.key));
  for (const [raw, p] of known) {
    ctx.periods.set(raw, ctx.periodsByKey.get(p.key)!);
    fresh.delete(raw);
  }
  if (!fresh.size) return;
  if (ctx.writing) {
    // The connection is busy with a COPY: go on with provisional ids (see Context.provisional).
    for (const [raw, p] of fresh) {
      let entry = ctx.periodsByKey.get(p.key);
      if (!entry) {
        entry = { period: p, id: -(ctx.provisional.size + 1) };
        ctx.provisional.set(entry.id, entry);
        ctx.periodsByKey.set(p.key, entry);
      }
      ctx.periods.set(raw, entry);
    }
    return;
  }
  const ids = await storePeriods(ctx.tx, [...fresh.values()]);
  for (const [raw, p] of fresh) {
    const entry = ctx.periodsByKey.get(p.key) ?? { period: p, id: ids.get(p.key)! };
    ctx.periodsByKey.set(p.key, entry);
    ctx.periods.set(raw, entry);
  }
}

/** Stores periods (two spellings of one period, "31.12.2023" and "2023-12-31", are one row); ids by key. */
async function storePeriods(tx: Queryable, periods: Period[]): Promise<Map<string, number>> {
  const list = [...new Map(periods.map((p) => [p.key, p])).values()];
  const { rows } = await tx.query<{ id: number; key: string }>(
    `INSERT INTO period (key, type, start_date, end_date)
     SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::date[])
     ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING id, key`,
    [list.map((p) => p.key), list.map((p) => p.type), list.map((p) => p.start), list.map((p) => p.end)],
  );
  return new Map(rows.map((r) => [r.key, r.id]));
}

/** Stores the provisional periods and rewrites the buffered rows and pairs that use them. */
async function resolveProvisional(ctx: Context): Promise<void> {
  if (!ctx.provisional.size) return;
  const ids = await storePeriods(ctx.tx, [...ctx.provisional.values()].map((e) => e.period));
  const real = new Map<number, number>();
  for (const [provisionalId, entry] of ctx.provisional) {
    entry.id = ids.get(entry.period.key)!;
    real.set(provisionalId, entry.id);
  }
  ctx.provisional.clear();
  const remapPair = (pair: string): string => {
    const bar = pair.indexOf('|');
    const id = real.get(Number(pair.slice(bar + 1)));
    return id === undefined ? pair : `${pair.slice(0, bar)}|${id}`;
  };
  for (const pair of [...ctx.pairs]) {
    const mapped = remapPair(pair);
    if (mapped !== pair) {
      ctx.pairs.delete(pair);
      ctx.pairs.add(mapped);
    }
  }
  for (let i = 0; i < ctx.buffer.length; i++) {
    const mapped = remapPair(ctx.bufferPairs[i]);
    if (mapped === ctx.bufferPairs[i]) continue;
    ctx.bufferPairs[i] = mapped;
    // The period id is the third field of the COPY line.
    const f = ctx.buffer[i].split('\t');
    f[2] = mapped.slice(mapped.indexOf('|') + 1);
    ctx.buffer[i] = f.join('\t');
  }
}

function periodOf(ctx: Context, raw: string, line: number, column: string): { period: Period; id: number } | null {
  const p = ctx.periods.get(raw) ?? null;
  if (!p) ctx.problems.error({ code: 'bad-period', file: ctx.file, line, column, value: raw, reason: 'not a period', hint: PERIOD_HINT });
  return p;
}

interface CellValues {
  value: Cell | undefined;
  status?: string;
  base?: Cell;
  reason?: string;
}

/** Validates one observation and stages it; problems are collected in ctx. */
function stage(ctx: Context, line: number, target: Target, areaCode: string, areaColumn: string, period: { period: Period; id: number } | null, cells: CellValues, valueColumn: string): void {
  const { indicator, members } = target;
  const file = ctx.file;
  ctx.seenIndicators.add(indicator.key);
  if (isDerivedRatio(indicator)) {
    ctx.problems.error({ code: 'derived-indicator', file, line, column: valueColumn, value: indicator.key, reason: `"${indicator.key}" is computed from ${indicator.numerator!.indicator} / ${indicator.denominator!.indicator}; its values cannot be imported`, hint: 'import the numerator and denominator counts instead' });
    return;
  }
  let areaId: number | undefined;
  if (!areaCode) {
    ctx.problems.error({ code: 'empty-area', file, line, column: areaColumn, reason: 'the area code is empty' });
  } else if (period) {
    const r = ctx.resolver.resolve(areaCode, period.period.end);
    if (r.ok) areaId = r.areaId;
    else ctx.problems.error({ code: 'unknown-area', file, line, column: areaColumn, value: areaCode, reason: r.reason, hint: r.hint });
  }
  // Value and status
  let value: number | null;
  let status: ObservationStatus;
  let reason: string | undefined = cells.reason || undefined;
  if (typeof cells.value === 'number') {
    value = cells.value;
    status = 'final';
  } else if (typeof cells.value === 'string' && PLAIN_INTEGER.test(cells.value)) {
    // The common case, without the general parser: digits only, no separators, no symbols.
    value = Number(cells.value);
    status = 'final';
  } else {
    const parsed = parseValueCell(text(cells.value), ctx.decimal);
    if ('error' in parsed) {
      ctx.problems.error({ code: 'bad-value', file, line, column: valueColumn, value: text(cells.value), reason: parsed.error, hint: parsed.hint });
      return;
    }
    value = parsed.value;
    status = parsed.status;
    reason = reason ?? parsed.reason;
  }
  if (cells.status !== undefined && cells.status !== '') {
    const s = parseStatus(cells.status);
    if (!s) {
      ctx.problems.error({ code: 'bad-status', file, line, column: 'status', value: cells.status, reason: 'unknown status', hint: 'use final, provisional, estimated, suppressed or missing (or vorläufig, geschätzt, geheim, fehlend)' });
      return;
    }
    if ((s === 'suppressed' || s === 'missing') && value !== null) {
      ctx.problems.error({ code: 'value-with-status', file, line, column: valueColumn, value: text(cells.value), reason: `a ${s} observation carries no value`, hint: 'leave the value empty (or write "." for suppressed)' });
      return;
    }
    if ((s !== 'suppressed' && s !== 'missing') && value === null) {
      ctx.problems.error({ code: 'status-without-value', file, line, column: valueColumn, reason: `a ${s} observation needs a value`, hint: 'give the value, or mark the row as suppressed or missing' });
      return;
    }
    if (s !== 'final' || status === 'final') status = s === 'final' ? status : s;
  }
  if (value !== null && !Number.isFinite(value)) {
    ctx.problems.error({ code: 'bad-value', file, line, column: valueColumn, value: String(value), reason: 'the value is not a finite number' });
    return;
  }
  if (indicator.type === 'count' && value !== null && value < 0) {
    ctx.problems.error({ code: 'negative-count', file, line, column: valueColumn, value: String(value), reason: `"${indicator.key}" is a count and cannot be negative`, hint: 'a balance such as net migration is an indicator of type value' });
    return;
  }
  let base: number | null = null;
  if (cells.base !== undefined && cells.base !== null && text(cells.base) !== '') {
    base = typeof cells.base === 'number' ? cells.base : parseNumber(text(cells.base), ctx.decimal);
    if (base === null || base < 0) {
      ctx.problems.error({ code: 'bad-base', file, line, column: 'base', value: text(cells.base), reason: 'the base must be a non-negative number' });
      return;
    }
  }
  if (areaId === undefined || !period || ctx.problems.hasErrors) return;
  const pair = `${indicator.id}|${period.id}`;
  ctx.pairs.add(pair);
  ctx.bufferPairs.push(pair);
  ctx.buffer.push(`${indicator.id}\t${areaId}\t${period.id}\t${membersText(ctx, members)}\t${value === null ? '\\N' : value}\t${status}\t${reason ? copyField(reason) : '\\N'}\t${base === null ? '\\N' : base}\t${line}`);
}

/** COPY text of a members object, cached: a file repeats the same few combinations. */
function membersText(ctx: Context, members: Record<string, string>): string {
  const keys = Object.keys(members);
  if (!keys.length) return '{}';
  let k = '';
  for (const d of keys) k += d + '\u0000' + members[d] + '\u0001';
  let t = ctx.membersCache.get(k);
  if (t === undefined) {
    t = copyField(JSON.stringify(members));
    ctx.membersCache.set(k, t);
  }
  return t;
}

function checkMembers(ctx: Context, line: number, dim: string, column: string, member: string): boolean {
  const declared = ctx.declaredMembers.get(dim);
  if (declared === undefined) {
    ctx.problems.error({ code: 'unknown-dimension', file: ctx.file, line, column, value: dim, reason: `"${dim}" is not a known dimension`, hint: 'declare it in the indicator catalogue' });
    return false;
  }
  if (declared && !declared.has(member)) {
    ctx.problems.error({ code: 'unknown-member', file: ctx.file, line, column, value: member, reason: `"${member}" is not a member of the dimension "${dim}"`, hint: `members: ${[...declared].join(', ')}` });
    return false;
  }
  if (!declared) {
    if (!ctx.newMembers.has(dim)) ctx.newMembers.set(dim, new Set());
    ctx.newMembers.get(dim)!.add(member);
  }
  return true;
}

function longRow(ctx: Context, l: LongLayout, cells: Cell[], line: number): void {
  const key = text(cells[l.indicator]);
  const indicator = ctx.indicators.get(key);
  const rawPeriod = text(cells[l.period]);
  let period: { period: Period; id: number } | null = null;
  if (!rawPeriod) ctx.problems.error({ code: 'empty-period', file: ctx.file, line, column: 'period', reason: 'the period is empty', hint: PERIOD_HINT });
  else period = periodOf(ctx, rawPeriod, line, 'period');
  if (!indicator) {
    ctx.problems.error({ code: 'unknown-indicator', file: ctx.file, line, column: 'indicator', value: key, reason: key ? `the indicator "${key}" does not exist` : 'the indicator is empty', hint: 'import the indicator catalogue first, or check the key (list them with `kommunalmonitor indicators`)' });
    return;
  }
  const members: Record<string, string> = {};
  let ok = true;
  for (const d of l.dims) {
    const member = text(cells[d.index]);
    const isDim = indicator.dimensions.includes(d.key);
    if (isDim && !member) {
      ctx.problems.error({ code: 'missing-member', file: ctx.file, line, column: d.column, reason: `"${indicator.key}" is broken down by ${d.key}; the member is empty`, hint: 'every observation names a member of each dimension of its indicator; totals are computed by summing the members' });
      ok = false;
    } else if (!isDim && member) {
      ctx.problems.error({ code: 'not-a-dimension', file: ctx.file, line, column: d.column, value: member, reason: `"${indicator.key}" has no dimension ${d.key}; leave this cell empty`, hint: `"${indicator.key}" has the dimensions: ${indicator.dimensions.join(', ') || 'none'}` });
      ok = false;
    } else if (isDim) {
      ok = checkMembers(ctx, line, d.key, d.column, member) && ok;
      members[d.key] = member;
    }
  }
  for (const dim of indicator.dimensions) {
    if (!l.dims.some((d) => d.key === dim)) {
      ctx.problems.error({ code: 'missing-dimension', file: ctx.file, line, reason: `"${indicator.key}" is broken down by ${dim}, but the file has no column ${dim}`, hint: `add a column ${dim}` });
      ok = false;
    }
  }
  if (!ok) return;
  stage(
    ctx,
    line,
    { indicator, members },
    text(cells[l.area]),
    'area',
    period,
    {
      value: cells[l.value],
      status: l.status >= 0 ? text(cells[l.status]) : undefined,
      base: l.base >= 0 ? cells[l.base] : undefined,
      reason: l.reason >= 0 ? text(cells[l.reason]) : undefined,
    },
    'value',
  );
}

function wideRow(ctx: Context, l: WideLayout, targets: (Target & { index: number; column: string })[], cells: Cell[], line: number): void {
  const raw = l.fixedPeriod ?? text(cells[l.period]);
  const period = periodOf(ctx, raw, line, l.fixedPeriod ? '--period' : 'period');
  const area = text(cells[l.area]);
  for (const t of targets) {
    for (const [dim, member] of Object.entries(t.members)) if (!checkMembers(ctx, line, dim, t.column, member)) return;
    stage(ctx, line, t, area, 'area', period, { value: cells[t.index] }, t.column);
  }
}

// ---------------------------------------------------------------------------------------------
// Staging and merge

/**
 * Writes the buffered rows. Rows of (indicator, period) pairs that had no stored observations
 * before this import — the usual large import of new periods — are copied straight into
 * observation: nothing to compare or keep, and no staging table to write and read back (about a
 * third of the import time). A repeated row then violates the primary key and the import is
 * read again in staging-only mode for the report. Rows of other pairs are staged for the merge.
 */
async function flush(ctx: Context): Promise<void> {
  if (!ctx.buffer.length) return;
  await written(ctx);
  await resolveProvisional(ctx);
  if (!ctx.problems.hasErrors) {
    if (ctx.direct) {
      const unknown = [...new Set(ctx.bufferPairs)].filter((p) => !ctx.direct!.has(p));
      if (unknown.length) {
        const stored = await storedPairs(ctx.tx, unknown);
        for (const p of unknown) ctx.direct.set(p, !stored.has(p));
      }
      const direct: string[] = [];
      const staged: string[] = [];
      const batch = String(await ctx.startBatch());
      for (let i = 0; i < ctx.buffer.length; i++) {
        const row = ctx.buffer[i];
        if (ctx.direct.get(ctx.bufferPairs[i])) direct.push(row.slice(0, row.lastIndexOf('\t') + 1) + batch);
        else staged.push(row);
      }
      ctx.directRows += direct.length;
      write(ctx, async () => {
        if (direct.length) {
          try {
            await ctx.tx.copyText('observation', OBSERVATION_COLUMNS, direct.join('\n') + '\n');
          } catch (e) {
            if ((e as { code?: string }).code === '23505') throw new DirectDuplicate();
            throw e;
          }
        }
        if (staged.length) await ctx.tx.copyText('stage_obs', STAGE_COLUMNS, staged.join('\n') + '\n');
      });
    } else {
      const text = ctx.buffer.join('\n') + '\n';
      write(ctx, () => ctx.tx.copyText('stage_obs', STAGE_COLUMNS, text));
    }
  }
  ctx.staged += ctx.buffer.length;
  ctx.buffer = [];
  ctx.bufferPairs = [];
}

/**
 * Starts a write without waiting for it: on a PostgreSQL server the next rows are read and
 * checked while the server stores these (on the embedded engine both share the thread anyway).
 * Its failure is kept and thrown by the next written().
 */
function write(ctx: Context, run: () => Promise<void>): void {
  ctx.writing = run().then(
    () => null,
    (e: unknown) => e ?? new Error('write failed'),
  );
}

/** Waits for the running write; throws its error. */
async function written(ctx: Context): Promise<void> {
  const pending = ctx.writing;
  ctx.writing = null;
  const error = pending ? await pending : null;
  if (error) throw error;
}

/** Those of the (indicator id, period id) pairs that have stored observations. */
async function storedPairs(tx: Queryable, pairs: string[]): Promise<Set<string>> {
  const list = pairs.map((p) => p.split('|').map(Number));
  const { rows } = await tx.query<{ pair: string }>(
    `SELECT p.i || '|' || p.t AS pair FROM unnest($1::int[], $2::int[]) AS p(i, t)
      WHERE EXISTS (SELECT 1 FROM observation o WHERE o.indicator_id = p.i AND o.period_id = p.t)`,
    [list.map((p) => p[0]), list.map((p) => p[1])],
  );
  return new Set(rows.map((r) => r.pair));
}

async function reportDuplicates(ctx: Context): Promise<void> {
  const { rows } = await ctx.tx.query<{ lines: number[]; n: number }>(
    `SELECT array_agg(line ORDER BY line) AS lines, count(*)::int AS n FROM stage_obs
      GROUP BY indicator_id, area_id, period_id, members HAVING count(*) > 1 ORDER BY min(line) LIMIT 200`,
  );
  for (const r of rows) {
    ctx.problems.error({
      code: 'duplicate-observation',
      file: ctx.file,
      line: r.lines[r.lines.length - 1],
      reason: `the same observation (indicator, area, period, breakdown) appears ${r.n} times, on lines ${r.lines.join(', ')}`,
      hint: 'each observation may appear once per file; remove the duplicate rows (a period may be written in two forms, e.g. 31.12.2020 and 2020-12-31)',
    });
  }
}

async function registerMembers(ctx: Context): Promise<void> {
  for (const [dim, members] of ctx.newMembers) {
    for (const m of members) {
      await ctx.tx.query(
        `INSERT INTO dimension_member (dimension_id, key, name, sort)
         SELECT id, $2, $2, 1000 FROM dimension WHERE key = $1 ON CONFLICT DO NOTHING`,
        [dim, m],
      );
    }
  }
}


async function insertFresh(tx: Queryable, batch: number): Promise<{ inserted: number; updated: number }> {
  const ins = await tx.query(
    `INSERT INTO observation (indicator_id, period_id, area_id, members, value, status, reason, base, import_batch_id)
     SELECT s.indicator_id, s.period_id, s.area_id, s.members, s.value, s.status, s.reason, s.base, $1 FROM stage_obs s`,
    [batch],
  );
  return { inserted: ins.affectedRows, updated: 0 };
}

async function merge(tx: Queryable, batch: number): Promise<{ inserted: number; updated: number }> {
  const key = 's.indicator_id = o.indicator_id AND s.period_id = o.period_id AND s.area_id = o.area_id AND s.members = o.members';
  const changed = '(o.value, o.status, o.reason, o.base) IS DISTINCT FROM (s.value, s.status, s.reason, s.base)';
  await tx.query(
    `INSERT INTO observation_history (indicator_id, period_id, area_id, members, value, status, reason, base, import_batch_id, valid_until, replaced_by_batch_id)
     SELECT o.indicator_id, o.period_id, o.area_id, o.members, o.value, o.status, o.reason, o.base, o.import_batch_id, now(), $1
       FROM stage_obs s JOIN observation o ON ${key} WHERE ${changed}`,
    [batch],
  );
  const upd = await tx.query(
    `UPDATE observation o SET value = s.value, status = s.status, reason = s.reason, base = s.base, import_batch_id = $1, changed_at = now()
       FROM stage_obs s WHERE ${key} AND ${changed}`,
    [batch],
  );
  const ins = await tx.query(
    `INSERT INTO observation (indicator_id, period_id, area_id, members, value, status, reason, base, import_batch_id)
     SELECT s.indicator_id, s.period_id, s.area_id, s.members, s.value, s.status, s.reason, s.base, $1 FROM stage_obs s
     ON CONFLICT (indicator_id, period_id, area_id, members) DO NOTHING`,
    [batch],
  );
  return { inserted: ins.affectedRows, updated: upd.affectedRows };
}
