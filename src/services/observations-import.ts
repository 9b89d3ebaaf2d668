// Use case: import observations from a long or wide CSV/XLSX file. The file streams through:
// every row is validated in memory against the catalogue and the spatial structure, valid rows
// are staged with COPY inside one transaction, and the merge into the observation table keeps
// the history of changed values. Any error rejects the whole file; all errors are reported.
import { detectLayout, type LongLayout, type WideLayout } from '../formats/observations-layout.ts';
import { genesisLayout, isGenesisHeader, type GenesisLayout } from '../formats/genesis-ffcsv.ts';
import { basename } from 'node:path';
import type { Database } from '../store/db.ts';
import { loadIndicators, loadDimensions, loadLayers, type IndicatorRow } from '../store/catalog.ts';
import { openTable, type Cell } from '../formats/table.ts';
import { PERIOD_HINT } from '../core/periods.ts';
import { parseComponentRef } from '../formats/catalogue.ts';
import { ProblemList, type Problem } from '../core/problems.ts';
import { AreaResolver } from './area-resolver.ts';
import { inTransaction } from './transaction.ts';
import { importSlotsFrom } from './import-slots.ts';
import { refreshForumAtlas, restsOnPopulation } from './forum-atlas.ts';
import { takeImportSlot, startBatch, finishBatch, discardBatch } from '../store/batches.ts';
import { SYSTEM, canWrite, principalName } from '../core/access.ts';
import { Forbidden, Unauthorized, codedList, indicatorOfOwner } from '../core/problems.ts';
import { coded } from '../contracts/codes/index.ts';
import { audit } from './audit.ts';
import {
  mergeStaged,
  createObservationStage,
  insertStagedFresh,
  analyzeObservations,
} from '../store/observations-write.ts';
import { loadMemberCombinations } from '../store/members.ts';
import {
  FLUSH_ROWS,
  DirectDuplicate,
  type ImportObservationsOptions,
  RowBuffer,
  checkMembers,
  combinationOf,
  flush,
  periodOf,
  registerMembers,
  reportDuplicates,
  stage,
  storedPairs,
  text,
  written,
  type CombinationEntry,
  type Context,
  type MemberTrie,
  type PeriodEntry,
  type Target,
} from './observations-staging.ts';
import { genesisRow, genesisWarnings, setupGenesis } from './observations-genesis.ts';

export type { ImportObservationsOptions };

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

export async function importObservations(
  db: Database,
  path: string,
  o: ImportObservationsOptions = {},
): Promise<ImportObservationsResult> {
  try {
    return await importOnce(db, path, o, false);
  } catch (e) {
    // A repeated observation among rows written straight into the table: read the file again
    // through the staging table, which names the lines (the first attempt was rolled back).
    if (e instanceof DirectDuplicate) return importOnce(db, path, o, true);
    throw e;
  }
}

async function importOnce(
  db: Database,
  path: string,
  o: ImportObservationsOptions,
  stagingOnly: boolean,
): Promise<ImportObservationsResult> {
  const file = o.displayName ?? basename(path);
  const table = await openTable(path, {
    displayName: file,
    delimiter: o.delimiter,
    encoding: o.encoding,
    decimal: o.decimal,
    sheet: o.sheet,
  });
  const problems = new ProblemList();
  // A GENESIS header is recognised unless wide-format period options say the file is something else.
  const genesis =
    o.format === 'genesis' ||
    ((o.format ?? 'auto') === 'auto' &&
      isGenesisHeader(table.columns) &&
      o.period === undefined &&
      o.periodColumn === undefined);
  const layout: LongLayout | WideLayout | { kind: 'genesis'; g: GenesisLayout } = genesis
    ? { kind: 'genesis', g: genesisLayout(table, problems) }
    : detectLayout(table, o, problems);
  problems.throwIfErrors(
    `The observations in ${file} were not imported: ${problems.errorCount} error(s). Nothing was changed.`,
  );

  const slots = importSlotsFrom();
  return inTransaction(db, !!o.dryRun, async (tx) => {
    if (slots) await takeImportSlot(tx, slots);
    const indicators = new Map((await loadIndicators(tx)).map((i) => [i.key, i]));
    const declaredMembers = new Map<string, Set<string> | null>();
    for (const d of await loadDimensions(tx))
      declaredMembers.set(d.key, d.members.length ? new Set(d.members.map((m) => m.key)) : null);
    let resolverLayer;
    if (o.layer) {
      resolverLayer = (await loadLayers(tx)).find((l) => l.key === o.layer);
      if (!resolverLayer) {
        problems.error({
          code: 'unknown-layer',
          file,
          value: o.layer,
          reason: `the layer "${o.layer}" does not exist`,
          params: { layer: o.layer },
          hint: 'list the layers with `kommunalmonitor layers`',
        });
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
      startBatch: async () =>
        (ctx.batch ??= await startBatch(
          tx,
          'observations',
          file,
          {
            layer: o.layer,
            areaColumn: o.areaColumn,
            period: o.period,
            periodColumn: o.periodColumn,
            map: o.map,
            ...(layout.kind === 'genesis'
              ? {
                  format: 'genesis',
                  indicator: o.indicator,
                  areaKeyProperty: o.areaKeyProperty,
                  dimension: o.dimension,
                  member: o.member,
                  skipUnknownAreas: o.skipUnknownAreas,
                }
              : {}),
          },
          principalName(o.principal ?? SYSTEM),
        )),
    };
    const wideTargets = layout.kind === 'wide' ? resolveWideTargets(layout, ctx) : [];
    const gs = layout.kind === 'genesis' ? await setupGenesis(ctx, layout.g, table.columns, o, resolverLayer) : null;
    problems.throwIfErrors(
      `The observations in ${file} were not imported: ${problems.errorCount} error(s). Nothing was changed.`,
    );

    let rows = 0;
    const width = table.columns.length;
    for await (const batch of table.batches) {
      for (const row of batch) {
        rows++;
        if (row.cells.length !== width) {
          problems.error({
            code: 'column-count',
            file,
            line: row.line,
            reason: `the row has ${row.cells.length} columns, the header has ${width}`,
            params: { columns: row.cells.length, header: width },
            hint: 'check the delimiter and quotes in this line',
          });
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
    problems.throwIfErrors(
      `The observations in ${file} were not imported: ${problems.errorCount} error(s) in ${rows} rows. Nothing was changed.`,
    );

    const who = o.principal ?? SYSTEM;
    const foreign = [...ctx.seenIndicators]
      .map((k) => indicators.get(k)!)
      .filter((i) => canWrite(who, i.owner) !== 'ok');
    if (foreign.length) {
      if (who.kind === 'anonymous') throw new Unauthorized();
      throw new Forbidden(
        coded('own-indicators-only-import', {
          file,
          refused: codedList(foreign.map((i) => indicatorOfOwner(i.key, i.owner))),
        }),
      );
    }
    const rejected = coded('observations-not-imported', { file, n: problems.errorCount, rows });
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
      await audit(tx, who, {
        action: 'observations.import',
        objectType: 'file',
        objectKey: file,
        batchId: batch,
        details: {
          inserted: merged.inserted,
          updated: merged.updated,
          unchanged,
          indicators: [...ctx.seenIndicators].sort(),
        },
      });
      await analyzeObservations(tx);
      // The youth forum's rate per 1,000 young residents rests on this population: recompute it.
      if (await restsOnPopulation(tx, ctx.seenIndicators)) await refreshForumAtlas(tx, principalName(who));
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
      ctx.problems.error({
        code: 'bad-mapping',
        file: ctx.file,
        column: c.column,
        value: c.spec,
        reason: `cannot read the mapping target "${c.spec}"`,
        hint: 'write indicator or indicator[dimension=member,…]',
      });
      continue;
    }
    const ind = ctx.indicators.get(ref.indicator);
    if (!ind) {
      ctx.problems.error({
        code: 'unknown-indicator',
        file: ctx.file,
        column: c.column,
        value: ref.indicator,
        reason: `the indicator "${ref.indicator}" does not exist`,
        params: { indicator: ref.indicator },
        hint: 'import the indicator catalogue first (kommunalmonitor import indicators FILE)',
      });
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
        reason: missing.length
          ? `the column must name a member of ${missing.join(', ')} for "${ind.key}"`
          : `"${ind.key}" has no dimension ${extra.join(', ')}`,
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
// Rows of the long and wide layouts

/**
 * The combination named by the breakdown cells of a long row, or null after reporting what is
 * wrong. Cells seen before with the same indicator are found in a trie without checking again.
 */
function longRowMembers(
  ctx: Context,
  l: LongLayout,
  indicator: IndicatorRow,
  cells: Cell[],
  line: number,
): CombinationEntry | null {
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

function longRowMembersChecked(
  ctx: Context,
  l: LongLayout,
  indicator: IndicatorRow,
  cells: Cell[],
  line: number,
): CombinationEntry | null {
  const members: Record<string, string> = {};
  let ok = true;
  for (const d of l.dims) {
    const member = text(cells[d.index]);
    const isDim = indicator.dimensions.includes(d.key);
    if (isDim && !member) {
      ctx.problems.error({
        code: 'missing-member',
        file: ctx.file,
        line,
        column: d.column,
        reason: `"${indicator.key}" is broken down by ${d.key}; the member is empty`,
        params: { indicator: indicator.key, dimension: d.key },
        hint: 'every observation names a member of each dimension of its indicator; totals are computed by summing the members',
      });
      ok = false;
    } else if (!isDim && member) {
      ctx.problems.error({
        code: 'not-a-dimension',
        file: ctx.file,
        line,
        column: d.column,
        value: member,
        reason: `"${indicator.key}" has no dimension ${d.key}; leave this cell empty`,
        params: { indicator: indicator.key, dimension: d.key },
        hint: `"${indicator.key}" has the dimensions: ${indicator.dimensions.join(', ') || 'none'}`,
      });
      ok = false;
    } else if (isDim) {
      ok = checkMembers(ctx, line, d.key, d.column, member) && ok;
      members[d.key] = member;
    }
  }
  for (const dim of indicator.dimensions) {
    if (!l.dims.some((d) => d.key === dim)) {
      ctx.problems.error({
        code: 'missing-dimension',
        file: ctx.file,
        line,
        reason: `"${indicator.key}" is broken down by ${dim}, but the file has no column ${dim}`,
        params: { indicator: indicator.key, dimension: dim },
        hint: `add a column ${dim}`,
      });
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
  if (!rawPeriod)
    ctx.problems.error({
      code: 'empty-period',
      file: ctx.file,
      line,
      column: 'period',
      reason: 'the period is empty',
      hint: PERIOD_HINT,
    });
  else period = periodOf(ctx, rawPeriod, line, 'period');
  if (!indicator) {
    ctx.problems.error({
      code: 'unknown-indicator',
      file: ctx.file,
      line,
      column: 'indicator',
      value: key,
      reason: key ? `the indicator "${key}" does not exist` : 'the indicator is empty',
      ...(key ? { params: { indicator: key } } : {}),
      hint: 'import the indicator catalogue first, or check the key (list them with `kommunalmonitor indicators`)',
    });
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

function wideRow(
  ctx: Context,
  l: WideLayout,
  targets: (Target & { index: number; column: string })[],
  cells: Cell[],
  line: number,
): void {
  const raw = l.fixedPeriod ?? text(cells[l.period]);
  const period = periodOf(ctx, raw, line, l.fixedPeriod ? '--period' : 'period');
  const area = text(cells[l.area]);
  for (const t of targets) {
    let combination = t.combination;
    if (!combination) {
      for (const [dim, member] of Object.entries(t.members))
        if (!checkMembers(ctx, line, dim, t.column, member)) return;
      combination = t.combination = combinationOf(ctx, t.members);
    }
    stage(
      ctx,
      line,
      t.indicator,
      combination,
      area,
      'area',
      period,
      cells[t.index],
      undefined,
      undefined,
      undefined,
      t.column,
    );
  }
}
