// Use case: import observations from a long or wide CSV/XLSX file. The file streams through:
// every row is validated in memory against the catalogue and the spatial structure, valid rows
// are staged with COPY inside one transaction, and the merge into the observation table keeps
// the history of changed values. Any error rejects the whole file; all errors are reported.
import { detectLayout, type LongLayout, type WideLayout } from '../formats/observations-layout.ts';
import { basename } from 'node:path';
import type { Database, Queryable } from '../store/db.ts';
import { CopyBuffer } from '../store/copy-buffer.ts';
import { loadIndicators, loadDimensions, loadLayers, type IndicatorRow } from '../store/catalog.ts';
import { openTable, type Cell } from '../formats/table.ts';
import { parseValueCell, parseStatus, parseNumber } from '../core/values.ts';
import { parsePeriod, PERIOD_HINT, type Period } from '../core/periods.ts';
import { isDerivedRatio } from '../core/indicators.ts';
import { parseComponentRef } from '../formats/catalogue.ts';
import type { ObservationStatus } from '../core/observations.ts';
import { ProblemList, type Problem } from '../core/problems.ts';
import { AreaResolver, type Resolution } from './area-resolver.ts';
import { inTransaction } from './transaction.ts';
import { startBatch, finishBatch, discardBatch } from '../store/batches.ts';
import { SYSTEM, canWrite, principalName, type Principal } from '../core/access.ts';
import { Forbidden, Unauthorized } from '../core/problems.ts';
import { audit } from './audit.ts';
import { mergeStaged, createObservationStage, pairsWithObservations, duplicateStagedObservations, insertStagedFresh, addObservedMember, analyzeObservations, copyObservations, copyStaged } from '../store/observations-write.ts';
import { storePeriods } from '../store/periods.ts';
import { loadMemberCombinations, membersKey, storeMemberCombinations } from '../store/members.ts';

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


/** The same fields written straight into observation, the line replaced by the import batch. */
const FLUSH_ROWS = 50_000;
const PLAIN_INTEGER = /^\d{1,15}$/;

interface Target {
  indicator: IndicatorRow;
  members: Record<string, string>;
  /** The combination of members, once checked. */
  combination?: CombinationEntry;
}

/** A period of the file; its id is known once stored (at the next flush). */
interface PeriodEntry {
  period: Period;
  /** 0 until stored. */
  id: number;
  /** Area codes found on this period's date (shared with periods on the same boundary versions). */
  areas: Map<string, Resolution>;
  /** The (indicator, period) pairs of this period, by indicator id. */
  pairs: Map<number, PairEntry>;
}

/** A breakdown member combination of the file; its id is known once stored (at the next flush). */
interface CombinationEntry {
  members: Record<string, string>;
  key: string;
  /** -1 until stored. */
  id: number;
}

interface PairEntry {
  indicatorId: number;
  period: PeriodEntry;
  /**
   * True when the pair had no stored observations before this import: its rows go straight into
   * observation (no staging, no merge); false: staged and merged. Undefined until looked up.
   */
  direct: boolean | undefined;
  /** The start of its COPY lines ("indicator id\tperiod id\t"), once the period id is known. */
  prefix: string;
}

/** A node of the cache of validated breakdown cells: indicator id → member of each dimension column → combination. */
type MemberTrie = Map<string, MemberTrie | CombinationEntry>;

const STATUS: ObservationStatus[] = ['final', 'provisional', 'estimated', 'suppressed', 'missing'];
const STATUS_CODE = new Map(STATUS.map((s, i) => [s, i]));

/** The validated rows of one flush, column by column (no object per row). */
class RowBuffer {
  length = 0;
  pair: PairEntry[] = [];
  combination: CombinationEntry[] = [];
  area = new Int32Array(FLUSH_ROWS);
  value = new Float64Array(FLUSH_ROWS);
  /** NaN: no base. */
  base = new Float64Array(FLUSH_ROWS);
  status = new Uint8Array(FLUSH_ROWS);
  line = new Int32Array(FLUSH_ROWS);
  reason = new Map<number, string>();

  push(pair: PairEntry, combination: CombinationEntry, area: number, value: number | null, status: ObservationStatus, base: number | null, line: number, reason: string | undefined): void {
    const i = this.length++;
    if (i === this.area.length) this.grow();
    this.pair[i] = pair;
    this.combination[i] = combination;
    this.area[i] = area;
    this.value[i] = value ?? 0;
    this.base[i] = base ?? NaN;
    this.status[i] = STATUS_CODE.get(status)!;
    this.line[i] = line;
    if (reason) this.reason.set(i, reason);
  }

  clear(): void {
    this.length = 0;
    this.pair.length = 0;
    this.combination.length = 0;
    this.reason.clear();
  }

  private grow(): void {
    const n = this.area.length * 2;
    const widen = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.area = widen(this.area, (k) => new Int32Array(k));
    this.value = widen(this.value, (k) => new Float64Array(k));
    this.base = widen(this.base, (k) => new Float64Array(k));
    this.status = widen(this.status, (k) => new Uint8Array(k));
    this.line = widen(this.line, (k) => new Int32Array(k));
  }
}

interface Context {
  file: string;
  problems: ProblemList;
  indicators: Map<string, IndicatorRow>;
  declaredMembers: Map<string, Set<string> | null>;
  newMembers: Map<string, Set<string>>;
  /** Periods by their spelling in the file (null: not a period). */
  periods: Map<string, PeriodEntry | null>;
  /** The same entries by canonical key (one entry for two spellings of a period). */
  periodsByKey: Map<string, PeriodEntry>;
  resolver: AreaResolver;
  tx: Queryable;
  rows: RowBuffer;
  /** Rows validated so far (all flushes). */
  staged: number;
  seenIndicators: Set<string>;
  decimal: ',' | '.';
  /** Stored combinations by canonical key, and those of this file. */
  combinations: Map<string, CombinationEntry>;
  memberTrie: Map<number, MemberTrie>;
  /** Every (indicator, period) pair of the file. */
  pairs: PairEntry[];
  /** Periods, combinations and pairs new since the last flush (ids or state to look up). */
  pending: { periods: PeriodEntry[]; combinations: CombinationEntry[]; pairs: PairEntry[] };
  /** The pair of the previous row (files are mostly sorted: one look-up saved per row). */
  lastPair: PairEntry | null;
  /** False in staging-only mode: every row is staged and merged. */
  directAllowed: boolean;
  /** Rows written straight into observation. */
  directRows: number;
  /** The import batch, started at the first direct write. */
  batch: number | null;
  /** The write of the previous flush, still running while the next rows are read (an error, or null). */
  writing: Promise<unknown> | null;
  /** Whether a write runs while the next rows are read (a server), or is finished at once (embedded). */
  overlapWrites: boolean;
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
    const combinations = new Map<string, CombinationEntry>();
    for (const [key, id] of await loadMemberCombinations(tx)) combinations.set(key, { members: {}, key, id });
    await createObservationStage(tx, 'stage_obs');
    const ctx: Context = {
      file,
      problems,
      indicators,
      declaredMembers,
      newMembers: new Map(),
      periods: new Map(),
      periodsByKey: new Map(),
      resolver,
      tx,
      rows: new RowBuffer(),
      staged: 0,
      seenIndicators: new Set(),
      decimal: table.decimal,
      combinations,
      memberTrie: new Map(),
      pairs: [],
      pending: { periods: [], combinations: [], pairs: [] },
      lastPair: null,
      directAllowed: !stagingOnly,
      directRows: 0,
      batch: null,
      writing: null,
      overlapWrites: db.kind === 'server',
      startBatch: async () => (ctx.batch ??= await startBatch(tx, 'observations', file, { layer: o.layer, areaColumn: o.areaColumn, period: o.period, periodColumn: o.periodColumn, map: o.map }, principalName(o.principal ?? SYSTEM))),
    };
    const wideTargets = layout.kind === 'wide' ? resolveWideTargets(layout, ctx) : [];
    problems.throwIfErrors(`The observations in ${file} were not imported: ${problems.errorCount} error(s). Nothing was changed.`);

    let rows = 0;
    const width = table.columns.length;
    for await (const batch of table.batches) {
      for (const row of batch) {
        rows++;
        if (row.cells.length !== width) {
          problems.error({ code: 'column-count', file, line: row.line, reason: `the row has ${row.cells.length} columns, the header has ${width}`, hint: 'check the delimiter and quotes in this line' });
          continue;
        }
        if (layout.kind === 'long') longRow(ctx, layout, row.cells, row.line);
        else wideRow(ctx, layout, wideTargets, row.cells, row.line);
      }
      if (ctx.rows.length >= FLUSH_ROWS) await flush(ctx);
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
    const fresh = stagedRows > 0 && !ctx.directAllowed && (await storedPairs(tx, ctx.pairs)).size === 0;
    if (stagedRows > 0 && !fresh) {
      await reportDuplicates(ctx);
      problems.throwIfErrors(rejected);
    }
    await registerMembers(ctx);
    const batch = await ctx.startBatch();
    let merged: { inserted: number; updated: number } = { inserted: 0, updated: 0 };
    if (fresh) {
      const inserted = await insertStagedFresh(tx, 'stage_obs', batch, async (e) => {
        await reportDuplicates(ctx);
        problems.throwIfErrors(rejected);
        throw e;
      });
      merged = { inserted, updated: 0 };
    } else if (stagedRows > 0) {
      merged = await mergeStaged(tx, 'stage_obs', batch);
    }
    merged.inserted += ctx.directRows;
    const unchanged = ctx.staged - merged.inserted - merged.updated;
    let batchId: number | null = batch;
    if (merged.inserted + merged.updated === 0) {
      // Re-importing the same file changes nothing, not even the batch log.
      await discardBatch(tx, batch);
      batchId = null;
    } else {
      await finishBatch(tx, batch, { rowsRead: rows, inserted: merged.inserted, updated: merged.updated, unchanged });
      await audit(tx, who, { action: 'observations.import', objectType: 'file', objectKey: file, batchId: batch, details: { inserted: merged.inserted, updated: merged.updated, unchanged, indicators: [...ctx.seenIndicators].sort() } });
      await analyzeObservations(tx);
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
      periods: [...ctx.periodsByKey.keys()].sort(),
      warnings: problems.items.filter((p) => p.severity === 'warning'),
      dryRun: !!o.dryRun,
      batchId,
    };
  });
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

/** The period entry of a cell (parsed once per spelling); reports a cell that is not a period. */
function periodOf(ctx: Context, raw: string, line: number, column: string): PeriodEntry | null {
  let entry = ctx.periods.get(raw);
  if (entry === undefined) {
    const parsed = parsePeriod(raw);
    entry = null;
    if (parsed) {
      entry = ctx.periodsByKey.get(parsed.key) ?? null;
      if (!entry) {
        entry = { period: parsed, id: 0, areas: ctx.resolver.cacheAt(parsed.end), pairs: new Map() };
        ctx.periodsByKey.set(parsed.key, entry);
        ctx.pending.periods.push(entry);
      }
    }
    ctx.periods.set(raw, entry);
  }
  if (!entry) ctx.problems.error({ code: 'bad-period', file: ctx.file, line, column, value: raw, reason: 'not a period', hint: PERIOD_HINT });
  return entry;
}

function pairOf(ctx: Context, indicatorId: number, period: PeriodEntry): PairEntry {
  const last = ctx.lastPair;
  if (last !== null && last.indicatorId === indicatorId && last.period === period) return last;
  let pair = period.pairs.get(indicatorId);
  if (!pair) {
    pair = { indicatorId, period, direct: undefined, prefix: '' };
    period.pairs.set(indicatorId, pair);
    ctx.pairs.push(pair);
    ctx.pending.pairs.push(pair);
  }
  ctx.lastPair = pair;
  return pair;
}

/** The entry of a validated member combination (stored at the next flush if new). */
function combinationOf(ctx: Context, members: Record<string, string>): CombinationEntry {
  const key = membersKey(members);
  let entry = ctx.combinations.get(key);
  if (!entry) {
    entry = { members, key, id: -1 };
    ctx.combinations.set(key, entry);
    ctx.pending.combinations.push(entry);
  }
  return entry;
}

/** Validates one observation and buffers it; problems are collected in ctx. */
function stage(
  ctx: Context,
  line: number,
  indicator: IndicatorRow,
  combination: CombinationEntry,
  areaCode: string,
  areaColumn: string,
  period: PeriodEntry | null,
  rawValue: Cell | undefined,
  rawStatus: string | undefined,
  rawBase: Cell | undefined,
  rawReason: string | undefined,
  valueColumn: string,
): void {
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
    let r = period.areas.get(areaCode);
    if (r === undefined) {
      r = ctx.resolver.resolve(areaCode, period.period.end);
      if (r.ok) period.areas.set(areaCode, r);
    }
    if (r.ok) areaId = r.areaId;
    else ctx.problems.error({ code: 'unknown-area', file, line, column: areaColumn, value: areaCode, reason: r.reason, hint: r.hint });
  }
  // Value and status
  let value: number | null;
  let status: ObservationStatus;
  let reason: string | undefined = rawReason || undefined;
  if (typeof rawValue === 'number') {
    value = rawValue;
    status = 'final';
  } else if (typeof rawValue === 'string' && PLAIN_INTEGER.test(rawValue)) {
    // The common case, without the general parser: digits only, no separators, no symbols.
    value = Number(rawValue);
    status = 'final';
  } else {
    const parsed = parseValueCell(text(rawValue), ctx.decimal);
    if ('error' in parsed) {
      ctx.problems.error({ code: 'bad-value', file, line, column: valueColumn, value: text(rawValue), reason: parsed.error, hint: parsed.hint });
      return;
    }
    value = parsed.value;
    status = parsed.status;
    reason = reason ?? parsed.reason;
  }
  if (rawStatus !== undefined && rawStatus !== '') {
    const s = parseStatus(rawStatus);
    if (!s) {
      ctx.problems.error({ code: 'bad-status', file, line, column: 'status', value: rawStatus, reason: 'unknown status', hint: 'use final, provisional, estimated, suppressed or missing (or vorläufig, geschätzt, geheim, fehlend)' });
      return;
    }
    if ((s === 'suppressed' || s === 'missing') && value !== null) {
      ctx.problems.error({ code: 'value-with-status', file, line, column: valueColumn, value: text(rawValue), reason: `a ${s} observation carries no value`, hint: 'leave the value empty (or write "." for suppressed)' });
      return;
    }
    if (s !== 'suppressed' && s !== 'missing' && value === null) {
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
  if (rawBase !== undefined && rawBase !== null && text(rawBase) !== '') {
    base = typeof rawBase === 'number' ? rawBase : parseNumber(text(rawBase), ctx.decimal);
    if (base === null || base < 0) {
      ctx.problems.error({ code: 'bad-base', file, line, column: 'base', value: text(rawBase), reason: 'the base must be a non-negative number' });
      return;
    }
  }
  if (areaId === undefined || !period || ctx.problems.hasErrors) return;
  ctx.rows.push(pairOf(ctx, indicator.id, period), combination, areaId, value, status, base, line, reason);
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

/**
 * The combination named by the breakdown cells of a long row, or null after reporting what is
 * wrong. Cells seen before with the same indicator are found in a trie without checking again.
 */
function longRowMembers(ctx: Context, l: LongLayout, indicator: IndicatorRow, cells: Cell[], line: number): CombinationEntry | null {
  let node = ctx.memberTrie.get(indicator.id);
  if (!node) ctx.memberTrie.set(indicator.id, (node = new Map()));
  const dims = l.dims;
  // Without breakdown columns the trie has one leaf, under the empty cell.
  const depth = Math.max(dims.length, 1);
  for (let k = 0; k < depth; k++) {
    const next = node.get(dims.length ? text(cells[dims[k].index]) : '');
    if (next === undefined) return longRowMembersChecked(ctx, l, indicator, cells, line);
    if (k === depth - 1) return next as CombinationEntry;
    node = next as MemberTrie;
  }
  return longRowMembersChecked(ctx, l, indicator, cells, line);
}

function longRowMembersChecked(ctx: Context, l: LongLayout, indicator: IndicatorRow, cells: Cell[], line: number): CombinationEntry | null {
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
  if (!ok) return null;
  const entry = combinationOf(ctx, members);
  // Remember the valid cells, so that the next row with the same cells skips the checks.
  let node = ctx.memberTrie.get(indicator.id)!;
  const depth = Math.max(l.dims.length, 1);
  for (let k = 0; k < depth; k++) {
    const cell = l.dims.length ? text(cells[l.dims[k].index]) : '';
    if (k === depth - 1) node.set(cell, entry);
    else {
      let next = node.get(cell) as MemberTrie | undefined;
      if (!next) node.set(cell, (next = new Map()));
      node = next;
    }
  }
  return entry;
}

function longRow(ctx: Context, l: LongLayout, cells: Cell[], line: number): void {
  const key = text(cells[l.indicator]);
  const indicator = ctx.indicators.get(key);
  const rawPeriod = text(cells[l.period]);
  let period: PeriodEntry | null = null;
  if (!rawPeriod) ctx.problems.error({ code: 'empty-period', file: ctx.file, line, column: 'period', reason: 'the period is empty', hint: PERIOD_HINT });
  else period = periodOf(ctx, rawPeriod, line, 'period');
  if (!indicator) {
    ctx.problems.error({ code: 'unknown-indicator', file: ctx.file, line, column: 'indicator', value: key, reason: key ? `the indicator "${key}" does not exist` : 'the indicator is empty', hint: 'import the indicator catalogue first, or check the key (list them with `kommunalmonitor indicators`)' });
    return;
  }
  const combination = longRowMembers(ctx, l, indicator, cells, line);
  if (!combination) return;
  stage(
    ctx,
    line,
    indicator,
    combination,
    text(cells[l.area]),
    'area',
    period,
    cells[l.value],
    l.status >= 0 ? text(cells[l.status]) : undefined,
    l.base >= 0 ? cells[l.base] : undefined,
    l.reason >= 0 ? text(cells[l.reason]) : undefined,
    'value',
  );
}

function wideRow(ctx: Context, l: WideLayout, targets: (Target & { index: number; column: string })[], cells: Cell[], line: number): void {
  const raw = l.fixedPeriod ?? text(cells[l.period]);
  const period = periodOf(ctx, raw, line, l.fixedPeriod ? '--period' : 'period');
  const area = text(cells[l.area]);
  for (const t of targets) {
    let combination = t.combination;
    if (!combination) {
      for (const [dim, member] of Object.entries(t.members)) if (!checkMembers(ctx, line, dim, t.column, member)) return;
      combination = t.combination = combinationOf(ctx, t.members);
    }
    stage(ctx, line, t.indicator, combination, area, 'area', period, cells[t.index], undefined, undefined, undefined, t.column);
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Writes the buffered rows. Rows of (indicator, period) pairs that had no stored observations
 * before this import — the usual large import of new periods — are copied straight into
 * observation: nothing to compare or keep, and no staging table to write and read back (about a
 * third of the import time). A repeated row then violates the primary key and the import is
 * read again in staging-only mode for the report. Rows of other pairs are staged for the merge.
 */
async function flush(ctx: Context): Promise<void> {
  const rows = ctx.rows;
  if (!rows.length) return;
  await written(ctx);
  if (!ctx.problems.hasErrors) {
    await storePending(ctx);
    const batch = ctx.directAllowed ? String(await ctx.startBatch()) : '';
    const direct = new CopyBuffer(rows.length * 48);
    const staged = new CopyBuffer(ctx.directAllowed ? 1024 : rows.length * 48);
    let directRows = 0;
    for (let i = 0; i < rows.length; i++) {
      const pair = rows.pair[i];
      const out = pair.direct ? direct : staged;
      const st = rows.status[i];
      const reason = rows.reason.get(i);
      const base = rows.base[i];
      out.ascii(pair.prefix).int(rows.area[i]).tab().int(rows.combination[i].id).tab();
      // A value is stored for every status but suppressed (3) and missing (4).
      if (st >= 3) out.null();
      else out.number(rows.value[i]);
      out.tab().ascii(STATUS[st]).tab();
      if (reason === undefined) out.null();
      else out.text(reason);
      out.tab();
      if (base !== base) out.null();
      else out.number(base);
      out.tab();
      if (pair.direct) {
        out.ascii(batch);
        directRows++;
      } else out.int(rows.line[i]);
      out.newline();
    }
    ctx.directRows += directRows;
    await write(ctx, async () => {
      if (direct.length) {
        try {
          await copyObservations(ctx.tx, direct.bytes());
        } catch (e) {
          if ((e as { code?: string }).code === '23505') throw new DirectDuplicate();
          throw e;
        }
      }
      if (staged.length) await copyStaged(ctx.tx, 'stage_obs', staged.bytes());
    });
  }
  ctx.staged += rows.length;
  rows.clear();
}

/** Stores the periods and member combinations first seen since the last flush, and looks up which new pairs have stored data. */
async function storePending(ctx: Context): Promise<void> {
  const { periods, combinations, pairs } = ctx.pending;
  if (periods.length) {
    const ids = await storePeriods(ctx.tx, periods.map((e) => e.period));
    for (const e of periods) e.id = ids.get(e.period.key)!;
  }
  if (combinations.length) {
    const ids = await storeMemberCombinations(ctx.tx, combinations.map((c) => c.members));
    for (const c of combinations) c.id = ids.get(c.key)!;
  }
  if (pairs.length) {
    const stored = ctx.directAllowed ? await storedPairs(ctx.tx, pairs) : new Set<PairEntry>();
    for (const p of pairs) {
      p.prefix = `${p.indicatorId}\t${p.period.id}\t`;
      p.direct = ctx.directAllowed && !stored.has(p);
    }
  }
  ctx.pending = { periods: [], combinations: [], pairs: [] };
}

/**
 * Starts a write. On a PostgreSQL server it is not waited for: the next rows are read and checked
 * while the server stores these; its failure is kept and thrown by the next written(). The
 * embedded engine shares the thread, so nothing would overlap: there the write is finished at
 * once, and its COPY text is garbage before the next rows are read (not kept into old space).
 */
async function write(ctx: Context, run: () => Promise<void>): Promise<void> {
  ctx.writing = run().then(
    () => null,
    (e: unknown) => e ?? new Error('write failed'),
  );
  if (!ctx.overlapWrites) await written(ctx);
}

/** Waits for the running write; throws its error. */
async function written(ctx: Context): Promise<void> {
  const pending = ctx.writing;
  ctx.writing = null;
  const error = pending ? await pending : null;
  if (error) throw error;
}

/** Those of the (indicator, period) pairs (periods stored) that have stored observations. */
async function storedPairs(tx: Queryable, pairs: PairEntry[]): Promise<Set<PairEntry>> {
  const stored = await pairsWithObservations(tx, pairs.map((p) => ({ indicatorId: p.indicatorId, periodId: p.period.id })));
  return new Set([...stored].map((i) => pairs[i]));
}

async function reportDuplicates(ctx: Context): Promise<void> {
  for (const r of await duplicateStagedObservations(ctx.tx, 'stage_obs')) {
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
    for (const m of members) await addObservedMember(ctx.tx, dim, m);
  }
}
