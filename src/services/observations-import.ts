// Use case: import observations from a long or wide CSV/XLSX file. The file streams through:
// every row is validated in memory against the catalogue and the spatial structure, valid rows
// are staged with COPY inside one transaction, and the merge into the observation table keeps
// the history of changed values. Any error rejects the whole file; all errors are reported.
import { detectLayout, type LongLayout, type WideLayout } from '../formats/observations-layout.ts';
import { genesisLayout, genesisPeriod, isGenesisHeader, isRegionalVariable, isTimeVariable, parseGenesisValue, type GenesisLayout, type GenesisVariable } from '../formats/genesis-ffcsv.ts';
import { columnIndex } from '../formats/columns.ts';
import { areaCodesByProperty } from '../store/area-keys.ts';
import type { LayerRow } from '../store/catalog.ts';
import { basename } from 'node:path';
import type { Database, Queryable } from '../store/db.ts';
import { CopyBuffer } from '../store/copy-buffer.ts';
import { loadIndicators, loadDimensions, loadLayers, type IndicatorRow } from '../store/catalog.ts';
import { openTable, type Cell } from '../formats/table.ts';
import { parseValueCell, parseStatus, parseNumber } from '../core/values.ts';
import { parsePeriod, PERIOD_HINT, type Period } from '../core/periods.ts';
import { isDerivedRatio } from '../core/indicators.ts';
import { parseComponentRef } from '../formats/catalogue.ts';
import type { ObservationStatus, ParsedValue } from '../core/observations.ts';
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
  /** Wide format: "COLUMN=indicator[dimension=member,…]" mappings. GENESIS: "VALUECODE=indicator". */
  map?: string[];
  /** "genesis" reads a GENESIS flat file (ffcsv); "auto" (default) recognises one by its header. */
  format?: 'auto' | 'genesis';
  /** GENESIS: the indicator of the file's only value variable. */
  indicator?: string;
  /** GENESIS: the area property (attribute of the area file) holding the official key; default: the key is the area code. */
  areaKeyProperty?: string;
  /** GENESIS: "VARIABLE=dimension", e.g. "GES=geschlecht" (default: by code or label). */
  dimension?: string[];
  /** GENESIS: "VARIABLE:ATTRIBUTE=member", e.g. "GES:GESM=m" (default: by member key or name). */
  member?: string[];
  /** GENESIS: skip rows of areas that are not in the layer (a table of all Kreise for one city) instead of rejecting the file. */
  skipUnknownAreas?: boolean;
  onProgress?: (p: { rows: number; bytesRead: number; totalBytes: number }) => void;
}

export interface ImportObservationsResult {
  file: string;
  format: 'long' | 'wide' | 'genesis';
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
  // A GENESIS header is recognised unless wide-format period options say the file is something else.
  const genesis = o.format === 'genesis' || ((o.format ?? 'auto') === 'auto' && isGenesisHeader(table.columns) && o.period === undefined && o.periodColumn === undefined);
  const layout: LongLayout | WideLayout | { kind: 'genesis'; g: GenesisLayout } = genesis ? { kind: 'genesis', g: genesisLayout(table, problems) } : detectLayout(table, o, problems);
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
      startBatch: async () => (ctx.batch ??= await startBatch(tx, 'observations', file, { layer: o.layer, areaColumn: o.areaColumn, period: o.period, periodColumn: o.periodColumn, map: o.map, ...(layout.kind === 'genesis' ? { format: 'genesis', indicator: o.indicator, areaKeyProperty: o.areaKeyProperty, dimension: o.dimension, member: o.member, skipUnknownAreas: o.skipUnknownAreas } : {}) }, principalName(o.principal ?? SYSTEM))),
    };
    const wideTargets = layout.kind === 'wide' ? resolveWideTargets(layout, ctx) : [];
    const gs = layout.kind === 'genesis' ? await setupGenesis(ctx, layout.g, table.columns, o, resolverLayer) : null;
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
        else if (layout.kind === 'genesis') genesisRow(ctx, gs!, row.cells, row.line);
        else wideRow(ctx, layout, wideTargets, row.cells, row.line);
      }
      if (ctx.rows.length >= FLUSH_ROWS) await flush(ctx);
      o.onProgress?.({ rows, bytesRead: table.bytesRead(), totalBytes: table.totalBytes });
    }
    if (rows === 0) problems.error({ code: 'empty', file, reason: 'the file has a header but no rows' });
    if (gs) genesisWarnings(ctx, gs);
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
  parsedValue?: ParsedValue,
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
  if (parsedValue) {
    // Parsed by the reader of the file's format (GENESIS flat files: value and quality flag).
    value = parsedValue.value;
    status = parsedValue.status;
    reason = reason ?? parsedValue.reason;
  } else if (typeof rawValue === 'number') {
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

// ---------------------------------------------------------------------------------------------
// GENESIS flat files (decision 0025)

interface GenesisState {
  layout: GenesisLayout;
  columns: string[];
  /** The area key column when named by --area-column; else -1 (the regional variable of each row). */
  areaIndex: number;
  /** --area-column naming a variable code (e.g. KREISE) rather than a column. */
  areaVariable: string | null;
  layer: LayerRow | undefined;
  keyProperty: string | undefined;
  /** Official key → area codes of the layer (with --area-key-property). */
  keyToCode: Map<string, string[]> | null;
  /** Value variable code (upper case) → indicator, from --map (or --indicator for a single value column). */
  targets: Map<string, IndicatorRow>;
  /** --indicator for a 2024 file: its value variable is the first one met. */
  single: IndicatorRow | null;
  singleCode: string | null;
  dims: Map<string, string>;
  members: Map<string, string>;
  dimensionInfo: Map<string, { name: string; members: { key: string; name: string }[] }>;
  /** Checked (dimension, member) pairs. */
  checked: Set<string>;
  reported: Set<string>;
  skipUnknownAreas: boolean;
  skippedTotals: number;
  skippedAreas: number;
  skippedValues: number;
}

function reportOnce(ctx: Context, g: GenesisState, key: string, p: Omit<Problem, 'severity' | 'file'>): void {
  if (g.reported.has(key)) {
    // Still an error: the file is rejected, only the message is not repeated for every row.
    ctx.problems.errorCount++;
    return;
  }
  g.reported.add(key);
  ctx.problems.error({ file: ctx.file, ...p });
}

async function setupGenesis(ctx: Context, layout: GenesisLayout, columns: string[], o: ImportObservationsOptions, layer: LayerRow | undefined): Promise<GenesisState> {
  const file = ctx.file;
  const g: GenesisState = {
    layout,
    columns,
    areaIndex: -1,
    areaVariable: null,
    layer,
    keyProperty: o.areaKeyProperty,
    keyToCode: null,
    targets: new Map(),
    single: null,
    singleCode: null,
    dims: new Map(),
    members: new Map(),
    dimensionInfo: new Map(),
    checked: new Set(),
    reported: new Set(),
    skipUnknownAreas: !!o.skipUnknownAreas,
    skippedTotals: 0,
    skippedAreas: 0,
    skippedValues: 0,
  };
  if (o.areaColumn !== undefined) {
    const i = columnIndex(columns, o.areaColumn, []);
    if (i >= 0) g.areaIndex = i;
    else g.areaVariable = o.areaColumn.trim().toUpperCase();
  }
  for (const d of await loadDimensions(ctx.tx)) g.dimensionInfo.set(d.key, { name: d.name, members: d.members });
  const indicatorOf = (key: string, option: string): IndicatorRow | null => {
    const ind = ctx.indicators.get(key);
    if (!ind) ctx.problems.error({ code: 'unknown-indicator', file, value: key, reason: `the indicator "${key}" given with ${option} does not exist`, hint: 'import the indicator catalogue first, or check the key (list them with `kommunalmonitor indicators`)' });
    return ind ?? null;
  };
  for (const m of o.map ?? []) {
    const eq = m.indexOf('=');
    const code = eq > 0 ? m.slice(0, eq).trim() : '';
    const key = eq > 0 ? m.slice(eq + 1).trim() : '';
    if (!code || !key) {
      ctx.problems.error({ code: 'bad-mapping', file, value: m, reason: `cannot read the mapping "${m}"`, hint: 'write --map VALUECODE=indicator, e.g. --map BEVSTD=einwohner (the code before "__" in a column such as BEVSTD__Bevoelkerungsstand__Anzahl)' });
      continue;
    }
    // The whole column name works too: BEVSTD__Bevoelkerungsstand__Anzahl=einwohner.
    const valueCode = (layout.values.find((v) => v.column === code)?.code ?? code).toUpperCase();
    if (layout.variant === 'classic' && !layout.values.some((v) => v.code.toUpperCase() === valueCode)) {
      ctx.problems.error({ code: 'missing-column', file, line: 1, value: code, reason: `the file has no value column for "${code}"`, hint: `the value columns are: ${layout.values.map((v) => v.column).join(', ')}` });
      continue;
    }
    const ind = indicatorOf(key, '--map');
    if (ind) g.targets.set(valueCode, ind);
  }
  if (o.indicator !== undefined && (o.map?.length ?? 0) > 0) {
    ctx.problems.error({ code: 'bad-option', file, reason: '--indicator and --map exclude each other', hint: 'give --indicator KEY for a file with one value column, --map CODE=indicator (repeatable) to choose value columns' });
  } else if (o.indicator !== undefined) {
    const ind = indicatorOf(o.indicator, '--indicator');
    if (ind && layout.variant === '2024') g.single = ind;
    else if (ind && layout.values.length === 1) g.targets.set(layout.values[0].code.toUpperCase(), ind);
    else if (ind) {
      ctx.problems.error({ code: 'several-value-columns', file, line: 1, reason: `the file has ${layout.values.length} value columns; --indicator names the indicator of a file with one`, hint: `choose with --map CODE=indicator (repeatable); the value columns are: ${layout.values.map((v) => v.column).join(', ')}` });
    }
  } else if (!g.targets.size) {
    ctx.problems.error({ code: 'missing-option', file, reason: 'a GENESIS flat file needs the indicator its values belong to', hint: `give --indicator KEY (one value column) or --map CODE=indicator; the value column${layout.values.length === 1 ? ' is' : 's are'}: ${layout.values.map((v) => v.column).join(', ')}` });
  }
  for (const d of o.dimension ?? []) {
    const m = /^\s*([^=\s]+)\s*=\s*([a-z][a-z0-9_]*)\s*$/.exec(d);
    if (!m) ctx.problems.error({ code: 'bad-mapping', file, value: d, reason: `cannot read the dimension mapping "${d}"`, hint: 'write --dimension VARIABLE=dimension, e.g. --dimension GES=geschlecht' });
    else if (!g.dimensionInfo.has(m[2])) ctx.problems.error({ code: 'unknown-dimension', file, value: m[2], reason: `"${m[2]}" is not a known dimension`, hint: `the dimensions are: ${[...g.dimensionInfo.keys()].join(', ') || 'none'}` });
    else g.dims.set(m[1].toUpperCase(), m[2]);
  }
  for (const d of o.member ?? []) {
    const m = /^\s*([^:=\s]+)\s*:\s*([^=]*?)\s*=\s*(\S+)\s*$/.exec(d);
    if (!m) ctx.problems.error({ code: 'bad-mapping', file, value: d, reason: `cannot read the member mapping "${d}"`, hint: 'write --member VARIABLE:ATTRIBUTE=member, e.g. --member GES:GESM=m' });
    else g.members.set(`${m[1].toUpperCase()}:${m[2]}`, m[3]);
  }
  if (o.areaKeyProperty !== undefined) {
    if (!layer) {
      ctx.problems.error({ code: 'missing-option', file, reason: '--area-key-property needs the layer whose areas carry the key', hint: 'give --layer KEY' });
    } else {
      g.keyToCode = new Map();
      for (const r of await areaCodesByProperty(ctx.tx, layer.id, o.areaKeyProperty)) {
        const list = g.keyToCode.get(r.key);
        if (list) list.push(r.code);
        else g.keyToCode.set(r.key, [r.code]);
      }
      if (!g.keyToCode.size) {
        ctx.problems.error({ code: 'unknown-property', file, value: o.areaKeyProperty, reason: `no area of layer "${layer.key}" has the property "${o.areaKeyProperty}"`, hint: 'import the areas with a column holding the official key (e.g. ags), or leave --area-key-property out if the area codes are the official keys' });
      }
    }
  }
  return g;
}

interface RowVariable {
  v: GenesisVariable;
  code: string;
  label: string;
  attribute: string;
  attributeLabel: string;
}

function genesisRow(ctx: Context, g: GenesisState, cells: Cell[], line: number): void {
  const L = g.layout;
  const vars: RowVariable[] = L.variables.map((v) => ({
    v,
    code: text(cells[v.code]).toUpperCase(),
    label: v.label >= 0 ? text(cells[v.label]) : '',
    attribute: text(cells[v.attributeCode]),
    attributeLabel: v.attributeLabel >= 0 ? text(cells[v.attributeLabel]) : '',
  }));
  let areaIndex = g.areaIndex;
  let areaVar = -1;
  if (areaIndex < 0) {
    areaVar = vars.findIndex((x) => (g.areaVariable ? x.code === g.areaVariable : isRegionalVariable(x.code)));
    // Without a known regional variable, the first variable: GENESIS puts the regional one first (and our export does).
    if (areaVar < 0 && !g.areaVariable && vars.length) areaVar = 0;
    if (areaVar < 0) {
      reportOnce(ctx, g, 'no-area-variable', {
        code: 'no-area-variable',
        line,
        value: g.areaVariable ?? undefined,
        reason: g.areaVariable ? `no variable of this row has the code ${g.areaVariable}` : 'no variable of this row is a regional variable (such as GEMEIN, KREISE, DLAND or GEO…)',
        hint: `name the column or the variable holding the official key with --area-column (the variables are: ${vars.map((x) => x.code || '?').join(', ')})`,
      });
      return;
    }
    areaIndex = vars[areaVar].v.attributeCode;
  } else areaVar = vars.findIndex((x) => x.v.attributeCode === areaIndex);
  const areaColumn = g.columns[areaIndex];
  const key = text(cells[areaIndex]);

  const timeColumn = g.columns[L.time];
  const rawTime = text(cells[L.time]);
  const periodKey = genesisPeriod(rawTime, vars);
  let period: PeriodEntry | null = null;
  if (!periodKey) ctx.problems.error({ code: rawTime ? 'bad-period' : 'empty-period', file: ctx.file, line, column: timeColumn, value: rawTime || undefined, reason: rawTime ? 'not a period' : 'the time is empty', hint: PERIOD_HINT });
  else period = periodOf(ctx, periodKey, line, timeColumn);

  let code = key;
  if (key && g.keyToCode) {
    const codes = g.keyToCode.get(key);
    if (!codes) {
      if (g.skipUnknownAreas) {
        g.skippedAreas++;
        return;
      }
      ctx.problems.error({ code: 'unknown-area', file: ctx.file, line, column: areaColumn, value: key, reason: `no area of layer "${g.layer!.key}" has ${g.keyProperty} = ${key}`, hint: 'check the key (leading zeros count), or pass --skip-unknown-areas to import only the rows of areas the layer has' });
      return;
    }
    if (codes.length > 1) {
      ctx.problems.error({ code: 'ambiguous-area', file: ctx.file, line, column: areaColumn, value: key, reason: `several areas of layer "${g.layer!.key}" have ${g.keyProperty} = ${key}: ${codes.join(', ')}`, hint: 'the key property must name one area per key' });
      return;
    }
    code = codes[0];
  } else if (key && g.skipUnknownAreas && period) {
    let r = period.areas.get(key);
    if (r === undefined) r = ctx.resolver.resolve(key, period.period.end);
    if (!r.ok) {
      g.skippedAreas++;
      return;
    }
  }

  for (const vc of L.values) {
    const valueCode = (L.variant === '2024' ? text(cells[L.valueCode]) : vc.code).toUpperCase();
    const indicator = genesisTarget(ctx, g, valueCode, line);
    if (!indicator) continue;
    const combination = genesisMembers(ctx, g, indicator, vars, areaVar, line);
    if (combination === 'total') {
      g.skippedTotals++;
      continue;
    }
    if (!combination) continue;
    const parsed = parseGenesisValue(cells[vc.index], vc.quality >= 0 ? cells[vc.quality] : undefined, ctx.decimal);
    if ('error' in parsed) {
      ctx.problems.error({ code: 'bad-value', file: ctx.file, line, value: `${text(cells[vc.index])}${/quality flag/.test(parsed.error) ? ` (quality ${text(cells[vc.quality])})` : ''}`, column: /quality flag/.test(parsed.error) ? g.columns[vc.quality] : vc.column, reason: parsed.error, hint: parsed.hint });
      continue;
    }
    stage(ctx, line, indicator, combination, code, areaColumn, period, cells[vc.index], undefined, undefined, undefined, vc.column, parsed);
  }
}

function genesisTarget(ctx: Context, g: GenesisState, valueCode: string, line: number): IndicatorRow | null {
  if (g.targets.size) {
    const t = g.targets.get(valueCode);
    if (!t) g.skippedValues++;
    return t ?? null;
  }
  if (!g.single) return null;
  g.singleCode ??= valueCode;
  if (valueCode !== g.singleCode) {
    reportOnce(ctx, g, 'several-value-variables', { code: 'several-value-columns', line, column: g.columns[g.layout.valueCode], value: valueCode, reason: `the file has the value variables ${g.singleCode} and ${valueCode}; --indicator names the indicator of a file with one`, hint: `choose with --map ${g.singleCode}=indicator (repeatable)` });
    return null;
  }
  return g.single;
}

/** The member combination of a row for the indicator; 'total' for a row of a total (empty attribute code, "Insgesamt"). */
function genesisMembers(ctx: Context, g: GenesisState, indicator: IndicatorRow, vars: RowVariable[], areaVar: number, line: number): CombinationEntry | 'total' | null {
  const members: Record<string, string> = {};
  for (let k = 0; k < vars.length; k++) {
    const x = vars[k];
    if (k === areaVar || isTimeVariable(x.code)) continue;
    const explicit = g.dims.get(x.code);
    const dim = explicit && indicator.dimensions.includes(explicit)
      ? explicit
      : explicit
        ? undefined
        : indicator.dimensions.find((d) => d === x.code.toLowerCase() || g.dimensionInfo.get(d)?.name.trim().toLowerCase() === x.label.toLowerCase());
    if (!dim) {
      if (x.attribute === '') continue;
      reportOnce(ctx, g, `unmapped:${indicator.key}:${x.code}`, {
        code: 'unmapped-variable',
        line,
        column: x.v.attributeColumn,
        value: x.code,
        reason: `the variable ${x.code} (${x.label}) is not a dimension of "${indicator.key}"${explicit ? `: --dimension maps it to ${explicit}` : ''}`,
        hint: `map it with --dimension ${x.code}=DIMENSION ("${indicator.key}" has the dimensions: ${indicator.dimensions.join(', ') || 'none'}), or download the table with the total ("Insgesamt") of ${x.code} only`,
      });
      return null;
    }
    if (x.attribute === '') return 'total';
    const info = g.dimensionInfo.get(dim);
    let member = g.members.get(`${x.code}:${x.attribute}`);
    if (member === undefined && info && info.members.length) {
      const a = x.attribute.toLowerCase();
      const label = x.attributeLabel.toLowerCase();
      member = info.members.find((m) => m.key.toLowerCase() === a)?.key ?? info.members.find((m) => m.name.trim().toLowerCase() === label)?.key;
    }
    // An open dimension (no declared members) takes the attribute code as the member.
    if (member === undefined && info && !info.members.length) member = x.attribute;
    if (member === undefined) {
      reportOnce(ctx, g, `member:${dim}:${x.code}:${x.attribute}`, {
        code: 'unknown-member',
        line,
        column: x.v.attributeColumn,
        value: `${x.attribute} (${x.attributeLabel})`,
        reason: `the attribute ${x.attribute} "${x.attributeLabel}" of ${x.code} matches no member of the dimension "${dim}"`,
        hint: `map it with --member ${x.code}:${x.attribute}=MEMBER; the members are: ${(info?.members ?? []).map((m) => `${m.key} (${m.name})`).join(', ')}`,
      });
      return null;
    }
    const pair = `${dim}\u0000${member}`;
    if (!g.checked.has(pair)) {
      if (!checkMembers(ctx, line, dim, x.v.attributeColumn, member)) return null;
      g.checked.add(pair);
    }
    members[dim] = member;
  }
  for (const d of indicator.dimensions) {
    if (!(d in members)) {
      reportOnce(ctx, g, `missing-dimension:${indicator.key}:${d}`, { code: 'missing-dimension', line, reason: `"${indicator.key}" is broken down by ${d}, but no variable of the file maps to it`, hint: `name the variable with --dimension VARIABLE=${d} (the variables are: ${vars.map((x) => x.code).join(', ')})` });
      return null;
    }
  }
  return combinationOf(ctx, members);
}

function genesisWarnings(ctx: Context, g: GenesisState): void {
  if (g.skippedTotals) ctx.problems.warning({ code: 'totals-skipped', file: ctx.file, reason: `${g.skippedTotals} row(s) of totals ("Insgesamt", empty attribute code) were not imported`, hint: 'totals are computed by summing the members' });
  if (g.skippedAreas) ctx.problems.warning({ code: 'areas-skipped', file: ctx.file, reason: `${g.skippedAreas} row(s) of areas that the layer does not have were skipped (--skip-unknown-areas)` });
  if (g.skippedValues) ctx.problems.warning({ code: 'values-skipped', file: ctx.file, reason: `${g.skippedValues} value(s) of value variables without --map were not imported` });
}
