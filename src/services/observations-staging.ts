// The staging machinery of the observations import, shared by every file layout (long, wide,
// GENESIS): the validated rows of a flush in columns, the periods, member combinations and
// (indicator, period) pairs of the file, staging one value, and writing a flush — straight into
// observation for pairs without stored values, through the staging table and the merge otherwise.
import type { Queryable } from '../store/db.ts';
import { CopyBuffer } from '../store/copy-buffer.ts';
import type { IndicatorRow } from '../store/catalog.ts';
import type { Cell } from '../formats/table.ts';
import { parseValueCellStored, parseStatus, parseNumber } from '../core/values.ts';
import { parsePeriod, PERIOD_HINT, type Period } from '../core/periods.ts';
import { isDerivedRatio } from '../core/indicators.ts';
import type { ObservationStatus, ParsedValue } from '../core/observations.ts';
import { ProblemList } from '../core/problems.ts';
import { AreaResolver, type Resolution } from './area-resolver.ts';
import {
  pairsWithObservations,
  duplicateStagedObservations,
  addObservedMember,
  copyObservations,
  copyStaged,
} from '../store/observations-write.ts';
import { storePeriods } from '../store/periods.ts';
import { membersKey, storeMemberCombinations } from '../store/members.ts';
import type { Principal } from '../core/access.ts';

/** The options of an import of observations (services/observations-import.ts). */
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

export const FLUSH_ROWS = 50_000;
const PLAIN_INTEGER = /^\d{1,15}$/;

export interface Target {
  indicator: IndicatorRow;
  members: Record<string, string>;
  /** The combination of members, once checked. */
  combination?: CombinationEntry;
}

/** A period of the file; its id is known once stored (at the next flush). */
export interface PeriodEntry {
  period: Period;
  /** 0 until stored. */
  id: number;
  /** Area codes found on this period's date (shared with periods on the same boundary versions). */
  areas: Map<string, Resolution>;
  /** The (indicator, period) pairs of this period, by indicator id. */
  pairs: Map<number, PairEntry>;
}

/** A breakdown member combination of the file; its id is known once stored (at the next flush). */
export interface CombinationEntry {
  members: Record<string, string>;
  key: string;
  /** -1 until stored. */
  id: number;
}

export interface PairEntry {
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
export type MemberTrie = Map<string, MemberTrie | CombinationEntry>;

const STATUS: ObservationStatus[] = ['final', 'provisional', 'estimated', 'suppressed', 'missing'];
const STATUS_CODE = new Map(STATUS.map((s, i) => [s, i]));

/** The validated rows of one flush, column by column (no object per row). */
export class RowBuffer {
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

  push(
    pair: PairEntry,
    combination: CombinationEntry,
    area: number,
    value: number | null,
    status: ObservationStatus,
    base: number | null,
    line: number,
    reason: string | undefined,
  ): void {
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

export interface Context {
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
export class DirectDuplicate extends Error {}

// ---------------------------------------------------------------------------------------------
// Rows

export function text(c: Cell | undefined): string {
  return c === null || c === undefined ? '' : typeof c === 'string' ? c.trim() : String(c);
}

/** The period entry of a cell (parsed once per spelling); reports a cell that is not a period. */
export function periodOf(ctx: Context, raw: string, line: number, column: string): PeriodEntry | null {
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
  if (!entry)
    ctx.problems.error({
      code: 'bad-period',
      file: ctx.file,
      line,
      column,
      value: raw,
      reason: 'not a period',
      hint: PERIOD_HINT,
    });
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
export function combinationOf(ctx: Context, members: Record<string, string>): CombinationEntry {
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
export function stage(
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
    ctx.problems.error({
      code: 'derived-indicator',
      file,
      line,
      column: valueColumn,
      value: indicator.key,
      reason: `"${indicator.key}" is computed from ${indicator.numerator!.indicator} / ${indicator.denominator!.indicator}; its values cannot be imported`,
      params: {
        indicator: indicator.key,
        numerator: indicator.numerator!.indicator,
        denominator: indicator.denominator!.indicator,
      },
      hint: 'import the numerator and denominator counts instead',
    });
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
    else
      ctx.problems.error({
        code: 'unknown-area',
        file,
        line,
        column: areaColumn,
        value: areaCode,
        reason: r.reason,
        hint: r.hint,
      });
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
    const parsed = parseValueCellStored(text(rawValue), ctx.decimal);
    if ('error' in parsed) {
      ctx.problems.error({
        code: 'bad-value',
        file,
        line,
        column: valueColumn,
        value: text(rawValue),
        reason: parsed.error,
        hint: parsed.hint,
      });
      return;
    }
    value = parsed.value;
    status = parsed.status;
    reason = reason ?? parsed.reason;
  }
  if (rawStatus !== undefined && rawStatus !== '') {
    const s = parseStatus(rawStatus);
    if (!s) {
      ctx.problems.error({
        code: 'bad-status',
        file,
        line,
        column: 'status',
        value: rawStatus,
        reason: 'unknown status',
        hint: 'use final, provisional, estimated, suppressed or missing (or vorläufig, geschätzt, geheim, fehlend)',
      });
      return;
    }
    if ((s === 'suppressed' || s === 'missing') && value !== null) {
      ctx.problems.error({
        code: 'value-with-status',
        file,
        line,
        column: valueColumn,
        value: text(rawValue),
        reason: `a ${s} observation carries no value`,
        params: { status: s },
        hint: 'leave the value empty (or write "." for suppressed)',
      });
      return;
    }
    if (s !== 'suppressed' && s !== 'missing' && value === null) {
      ctx.problems.error({
        code: 'status-without-value',
        file,
        line,
        column: valueColumn,
        reason: `a ${s} observation needs a value`,
        params: { status: s },
        hint: 'give the value, or mark the row as suppressed or missing',
      });
      return;
    }
    if (s !== 'final' || status === 'final') status = s === 'final' ? status : s;
  }
  if (value !== null && !Number.isFinite(value)) {
    ctx.problems.error({
      code: 'bad-value',
      file,
      line,
      column: valueColumn,
      value: String(value),
      reason: 'the value is not a finite number',
    });
    return;
  }
  if (indicator.type === 'count' && value !== null && value < 0) {
    ctx.problems.error({
      code: 'negative-count',
      file,
      line,
      column: valueColumn,
      value: String(value),
      reason: `"${indicator.key}" is a count and cannot be negative`,
      params: { indicator: indicator.key },
      hint: 'a balance such as net migration is an indicator of type value',
    });
    return;
  }
  let base: number | null = null;
  if (rawBase !== undefined && rawBase !== null && text(rawBase) !== '') {
    base = typeof rawBase === 'number' ? rawBase : parseNumber(text(rawBase), ctx.decimal);
    if (base === null || base < 0) {
      ctx.problems.error({
        code: 'bad-base',
        file,
        line,
        column: 'base',
        value: text(rawBase),
        reason: 'the base must be a non-negative number',
      });
      return;
    }
  }
  if (areaId === undefined || !period || ctx.problems.hasErrors) return;
  ctx.rows.push(pairOf(ctx, indicator.id, period), combination, areaId, value, status, base, line, reason);
}

export function checkMembers(ctx: Context, line: number, dim: string, column: string, member: string): boolean {
  const declared = ctx.declaredMembers.get(dim);
  if (declared === undefined) {
    ctx.problems.error({
      code: 'unknown-dimension',
      file: ctx.file,
      line,
      column,
      value: dim,
      reason: `"${dim}" is not a known dimension`,
      params: { dimension: dim },
      hint: 'declare it in the indicator catalogue',
    });
    return false;
  }
  if (declared && !declared.has(member)) {
    ctx.problems.error({
      code: 'unknown-member',
      file: ctx.file,
      line,
      column,
      value: member,
      reason: `"${member}" is not a member of the dimension "${dim}"`,
      params: { member, dimension: dim },
      hint: `members: ${[...declared].join(', ')}`,
    });
    return false;
  }
  if (!declared) {
    if (!ctx.newMembers.has(dim)) ctx.newMembers.set(dim, new Set());
    ctx.newMembers.get(dim)!.add(member);
  }
  return true;
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
export async function flush(ctx: Context): Promise<void> {
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
    const ids = await storePeriods(
      ctx.tx,
      periods.map((e) => e.period),
    );
    for (const e of periods) e.id = ids.get(e.period.key)!;
  }
  if (combinations.length) {
    const ids = await storeMemberCombinations(
      ctx.tx,
      combinations.map((c) => c.members),
    );
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
export async function written(ctx: Context): Promise<void> {
  const pending = ctx.writing;
  ctx.writing = null;
  const error = pending ? await pending : null;
  if (error) throw error;
}

/** Those of the (indicator, period) pairs (periods stored) that have stored observations. */
export async function storedPairs(tx: Queryable, pairs: PairEntry[]): Promise<Set<PairEntry>> {
  const stored = await pairsWithObservations(
    tx,
    pairs.map((p) => ({ indicatorId: p.indicatorId, periodId: p.period.id })),
  );
  return new Set([...stored].map((i) => pairs[i]));
}

export async function reportDuplicates(ctx: Context): Promise<void> {
  for (const r of await duplicateStagedObservations(ctx.tx, 'stage_obs')) {
    ctx.problems.error({
      code: 'duplicate-observation',
      file: ctx.file,
      line: r.lines[r.lines.length - 1],
      reason: `the same observation (indicator, area, period, breakdown) appears ${r.n} times, on lines ${r.lines.join(', ')}`,
      params: { n: r.n, lines: r.lines.join(', ') },
      hint: 'each observation may appear once per file; remove the duplicate rows (a period may be written in two forms, e.g. 31.12.2020 and 2020-12-31)',
    });
  }
}

export async function registerMembers(ctx: Context): Promise<void> {
  for (const [dim, members] of ctx.newMembers) {
    for (const m of members) await addObservedMember(ctx.tx, dim, m);
  }
}
