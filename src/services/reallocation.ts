// Use case: carry the observations of a count indicator from one layer version onto another
// (24 → 38 Stadtteile) or onto another layer (school catchments) by a crosswalk, and store them
// as estimates — so that a time series runs across a boundary change.
//
// - Counts are split by the crosswalk's weights, per breakdown member. With largest-remainder
//   rounding (the default) each source area's count is split into whole numbers that add up to
//   it exactly, so every source total — and every total of a layer both versions nest in — is
//   preserved exactly.
// - Ratios are never reallocated: only counts are stored, and a derived ratio is computed from
//   its reallocated numerator and denominator like from any other counts.
// - Results are observations with status 'estimated' and a reason naming the method, written
//   through a new import batch (kind 'reallocation') and the audit trail. Real observations are
//   never overwritten; earlier reallocations are (their values go to the history).
// - Nothing is stored that would change a value of a coarser layer the target nests in: such a
//   value would count the estimates twice (or in place of real data). See docs/spatial-integration.md.
import type { Database, Queryable } from '../store/db.ts';
import { copyField } from '../store/db.ts';
import { memberCombinationsById } from '../store/members.ts';
import {
  versionValidAt,
  areaIdsByCode,
  type IndicatorRow,
  type LayerRow,
  type LayerVersionRow,
  type PeriodRow,
} from '../store/catalog.ts';
import { isDerivedRatio } from '../core/indicators.ts';
import { parsePeriod, PERIOD_HINT } from '../core/periods.ts';
import { largestRemainder } from '../core/geo/reallocate.ts';
import type { ValueStatus } from '../core/aggregate.ts';
import { Conflict, Forbidden, InputRejected, NotFound, Unauthorized, layerWithoutVersion } from '../core/problems.ts';
import { SYSTEM, canWrite, principalName, type Principal } from '../core/access.ts';
import { inTransaction } from './transaction.ts';
import { startBatch, finishBatch, discardBatch } from '../store/batches.ts';
import { snapshot, type Snapshot } from './snapshot.ts';
import { requireIndicator, requireLayer, requireReadable, periodsOf, getTimeSeries } from './query.ts';
import { crosswalkFor, type CrosswalkAnswer, type LayerRef } from './spatial.ts';
import { audit } from './audit.ts';
import { mergeStaged, analyzeObservations } from '../store/observations-write.ts';
import {
  ancestorTotalRows,
  ancestorsOfVersion,
  copyEstimates,
  createEstimateStage,
  estimateClashes,
  finerObservations,
  sourceValueRows,
} from '../store/reallocation.ts';
import { ruleOf, withheldSource } from './disclosure.ts';
import { coded, englishText, type Coded } from '../contracts/codes/index.ts';
import type { ReallocatedPeriod, ReallocateResult } from '../contracts/answers/index.ts';
export type { ReallocateResult };

export interface ReallocateOptions {
  indicator: string;
  from: LayerRef;
  to: LayerRef;
  /** Crosswalk basis (default area). */
  weights?: 'area' | 'population';
  /** Count indicator for population weights (default einwohner), taken at each reallocated period when it has data then. */
  populationIndicator?: string;
  /** Periods to carry (default: every period with data whose boundary version is the from-version, and — for another version of the same layer — not the to-version). */
  periods?: string[];
  /** 'largest-remainder' (default): whole numbers, every source count split exactly; 'none': fractions. */
  rounding?: 'largest-remainder' | 'none';
  dryRun?: boolean;
  /** Who reallocates (default the local operator): admins and the stewards of the indicator's owner. */
  principal?: Principal;
}

interface VersionRef {
  layer: LayerRow;
  version: LayerVersionRow;
}

function bad(code: string, reason: string, hint?: string, value?: string): InputRejected {
  return new InputRejected([{ severity: 'error', code, reason, hint, value }], reason + (hint ? ` ${hint}` : ''));
}

/** The boundary version a reference means (the version valid on its date; the current one without date). */
function resolveVersion(s: Snapshot, ref: LayerRef): VersionRef {
  const layer = requireLayer(s, ref.layer);
  const date = ref.at ? parsePeriod(ref.at)?.end : undefined;
  if (ref.at && !date) throw bad('bad-date', `"${ref.at}" is not a date.`, 'write LAYER@2021-01-01', ref.at);
  const version = versionValidAt(s.versionsByLayer.get(layer.id) ?? [], date ?? null);
  if (!version) throw new NotFound(layerWithoutVersion(layer.key, date));
  return { layer, version };
}

/** A reference that resolves to exactly this version (a date inside its validity). */
function refOf(r: VersionRef): LayerRef {
  const at = r.version.validFrom ?? (r.version.validTo ? dayBefore(r.version.validTo) : undefined);
  return at ? { layer: r.layer.key, at } : { layer: r.layer.key };
}

const dayBefore = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const german = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

/** "Gebietsstand bis 2020", "Gebietsstand ab 2021", "Gebietsstand 2015–2020", or null for a layer with one version. */
export function gebietsstand(v: { validFrom: string | null; validTo: string | null }): string | null {
  const from = v.validFrom ? (v.validFrom.endsWith('-01-01') ? v.validFrom.slice(0, 4) : german(v.validFrom)) : null;
  const last = v.validTo ? dayBefore(v.validTo) : null;
  const to = last ? (last.endsWith('-12-31') ? last.slice(0, 4) : german(last)) : null;
  if (from && to) return `Gebietsstand ${from}–${to}`;
  if (to) return `Gebietsstand bis ${to}`;
  if (from) return `Gebietsstand ab ${from}`;
  return null;
}

function reasonText(from: VersionRef, cw: CrosswalkAnswer): string {
  const stand = gebietsstand(from.version);
  const fallback = cw.crosswalk.from.some((a) => a.basis === 'area') && cw.basis === 'population';
  const how =
    cw.basis === 'area'
      ? 'nach Flächenanteilen'
      : `nach Einwohneranteilen (${cw.population?.indicator} ${cw.population?.layer} ${cw.population?.period}${fallback ? '; unbewohnte Gebiete nach Flächenanteilen' : ''})`;
  return `umgeschlüsselt von ${from.layer.key}${stand ? ` (${stand})` : ''} ${how}`;
}

interface SourceValue {
  /** null: suppressed or missing. */
  value: number | null;
  suppressed: boolean;
}

/** Values of an indicator for one period on the areas of one layer version, per breakdown member combination id (nearest level with data per area). */
async function sourceValues(
  tx: Queryable,
  indicatorId: number,
  periodId: number,
  versionId: number,
): Promise<Map<number, Map<string, SourceValue>>> {
  const rows = await sourceValueRows(tx, indicatorId, periodId, versionId);
  const nearest = new Map<string, number>();
  for (const r of rows) nearest.set(r.code, Math.min(nearest.get(r.code) ?? Infinity, r.depth));
  const out = new Map<number, Map<string, SourceValue>>();
  for (const r of rows) {
    if (r.depth !== nearest.get(r.code)) continue;
    const mk = r.members_id;
    let byCode = out.get(mk);
    if (!byCode) out.set(mk, (byCode = new Map()));
    byCode.set(
      r.code,
      r.nulls > 0 ? { value: null, suppressed: r.suppressed > 0 } : { value: Number(r.value), suppressed: false },
    );
  }
  return out;
}

interface Split {
  /** to-code → value (null: withheld) and whether a source was suppressed. */
  values: Map<string, { value: number | null; suppressed: boolean }>;
  input: number;
  lost: number;
  lostAreas: Set<string>;
}

/**
 * Splits the values of one series (one breakdown member) by the crosswalk. With rounding, each
 * source value is split into whole numbers adding up to it (largest remainder per source area).
 */
function split(cw: CrosswalkAnswer['crosswalk'], values: Map<string, SourceValue>, rounding: boolean): Split {
  const pairsOf = new Map<string, { to: string; weight: number }[]>();
  for (const p of cw.pairs)
    if (p.weight > 0)
      (pairsOf.get(p.from) ?? pairsOf.set(p.from, []).get(p.from)!).push({ to: p.to, weight: p.weight });
  const out = new Map<string, { value: number | null; suppressed: boolean }>();
  let input = 0,
    lost = 0;
  const lostAreas = new Set<string>();
  for (const [code, v] of values) {
    const pairs = pairsOf.get(code);
    if (!pairs) {
      if (v.value !== null) lost += v.value;
      lostAreas.add(code);
      continue;
    }
    if (v.value === null) {
      for (const p of pairs) {
        const cur = out.get(p.to);
        out.set(p.to, { value: null, suppressed: v.suppressed || !!cur?.suppressed });
      }
      continue;
    }
    input += v.value;
    const pieces = pairs.map((p) => ({ code: p.to, value: p.weight * v.value! }));
    if (rounding) largestRemainder(pieces);
    for (const piece of pieces) {
      const cur = out.get(piece.code);
      if (cur && cur.value === null) continue;
      out.set(piece.code, { value: (cur?.value ?? 0) + (piece.value ?? 0), suppressed: false });
    }
  }
  return { values: out, input, lost, lostAreas };
}

/** Per ancestor area of a layer version: the value the aggregation uses (nearest level with data) and its level. */
async function ancestorTotals(
  tx: Queryable,
  indicatorId: number,
  periodId: number,
  ancestorIds: number[],
): Promise<Map<number, { depth: number; sum: number }>> {
  if (!ancestorIds.length) return new Map();
  const rows = await ancestorTotalRows(tx, indicatorId, periodId, ancestorIds);
  return new Map(rows.map((r) => [r.id, { depth: r.depth, sum: Number(r.s ?? 0) }]));
}

/**
 * Disclosure control: a source value the indicator's pattern withholds, split by weights onto
 * several to-areas, would let an attacker narrow it from the estimates; it is withheld with them
 * (the estimates it feeds are stored suppressed). A source lying wholly in one to-area is left:
 * that to-area is an exact sum the pattern of the linked tables protects.
 */
async function withholdProtectedSplits(
  tx: Queryable,
  s: Snapshot,
  ind: IndicatorRow,
  p: PeriodRow,
  versionId: number,
  cw: CrosswalkAnswer['crosswalk'],
  series: Map<number, Map<string, SourceValue>>,
): Promise<void> {
  const split = new Set<string>();
  for (const pair of cw.pairs) if (pair.weight > 0.001 && pair.weight < 0.999) split.add(pair.from);
  if (!split.size || !ruleOf(ind)) return;
  const withheld = await withheldSource(tx, s, ind, p, versionId);
  if (!withheld) return;
  const membersOf = await memberCombinationsById(tx, [...series.keys()]);
  for (const [mk, values] of series) {
    for (const [code, v] of values) {
      if (v.value !== null && split.has(code) && withheld(code, membersOf.get(mk) ?? {}))
        values.set(code, { value: null, suppressed: true });
    }
  }
}

/** Reallocates the observations of a count indicator from one layer version onto another. */
export async function reallocate(db: Database, o: ReallocateOptions): Promise<ReallocateResult> {
  const who = o.principal ?? SYSTEM;
  if (who.kind === 'anonymous') throw new Unauthorized(coded('reallocation-sign-in'));
  const weights = o.weights ?? 'area';
  const rounding = o.rounding ?? 'largest-remainder';
  return inTransaction(db, !!o.dryRun, async (tx) => {
    const s = await snapshot(tx);
    const ind = await requireReadable(tx, s, who, o.indicator);
    if (isDerivedRatio(ind)) {
      throw bad(
        'derived-indicator',
        `"${ind.key}" is a ratio (${ind.numerator!.indicator} / ${ind.denominator!.indicator}); ratios are never reallocated.`,
        `Reallocate its counts (${[...new Set([ind.numerator!.indicator, ind.denominator!.indicator])].join(' and ')}); the ratio is computed from them.`,
        ind.key,
      );
    }
    if (ind.type !== 'count')
      throw bad(
        'not-a-count',
        `"${ind.key}" is of type ${ind.type}; only counts can be reallocated.`,
        'A mean or a directly imported ratio would need its base reallocated with it; a plain value cannot be split.',
        ind.key,
      );
    const may = canWrite(who, ind.owner);
    if (may === 'unauthenticated') throw new Unauthorized();
    if (may === 'forbidden')
      throw new Forbidden(coded('estimates-forbidden', { indicator: ind.key, department: ind.owner ?? 'none' }));
    const from = resolveVersion(s, o.from);
    const to = resolveVersion(s, o.to);
    if (from.version.id === to.version.id)
      throw bad(
        'same-version',
        `--from and --to name the same boundary version of "${from.layer.key}".`,
        'name two versions (stadtteil@2020-12-31 → stadtteil@2021-01-01) or two layers.',
      );
    const periods = choosePeriods(s, ind, from, to, o.periods);

    const toId = await areaIdsByCode(tx, to.version.id);
    const anc = await ancestorsOfVersion(tx, to.version.id);
    const ancestorIds = anc.map((a) => a.id);
    const ancestorName = new Map(anc.map((a) => [a.id, `${a.layer} ${a.code}`]));

    // Crosswalks: area weights once; population weights per period (the population of that date).
    const crosswalks = new Map<string, CrosswalkAnswer>();
    const popIndicator = o.populationIndicator ?? 'einwohner';
    const popPeriods =
      weights === 'population'
        ? new Set(periodsOf(s, requireIndicator(s, popIndicator)).map((p) => p.key))
        : new Set<string>();
    const crosswalkAt = async (p: PeriodRow) => {
      const popPeriod = weights === 'population' && popPeriods.has(p.key) ? p.key : undefined;
      const k = popPeriod ?? '';
      let cw = crosswalks.get(k);
      if (!cw) {
        cw = await crosswalkFor(tx, who, {
          from: refOf(from),
          to: refOf(to),
          weights,
          populationSource: 'finer-layer',
          populationIndicator: popIndicator,
          populationPeriod: popPeriod,
        });
        crosswalks.set(k, cw);
      }
      return cw;
    };

    await createEstimateStage(tx);
    const results: ReallocatedPeriod[] = [];
    const before = new Map<number, Map<number, { depth: number; sum: number }>>();
    let firstReason = '';
    let fractional = false;
    for (const p of periods) {
      const cw = await crosswalkAt(p);
      const reason = reasonText(from, cw);
      firstReason ||= reason;
      const series = await sourceValues(tx, ind.id, p.id, from.version.id);
      await withholdProtectedSplits(tx, s, ind, p, from.version.id, cw.crosswalk, series);
      const integral = [...series.values()].every((m) =>
        [...m.values()].every((v) => v.value === null || Number.isInteger(v.value)),
      );
      if (rounding === 'largest-remainder' && !integral) fractional = true;
      const lines: string[] = [];
      const sources = new Set<string>();
      const targets = new Set<string>();
      let input = 0,
        output = 0,
        lost = 0,
        withheld = 0;
      const lostAreas = new Set<string>();
      for (const [mk, values] of series) {
        for (const c of values.keys()) sources.add(c);
        const r = split(cw.crosswalk, values, rounding === 'largest-remainder' && integral);
        input += r.input;
        lost += r.lost;
        for (const c of r.lostAreas) lostAreas.add(c);
        for (const [code, v] of r.values) {
          const areaId = toId.get(code);
          if (areaId === undefined) continue;
          targets.add(code);
          if (v.value === null) {
            withheld++;
            const why = v.suppressed ? 'ein Quellwert ist geheim' : 'ein Quellwert fehlt';
            lines.push(
              [ind.id, areaId, p.id, mk, null, v.suppressed ? 'suppressed' : 'missing', `${reason}; ${why}`]
                .map(copyField)
                .join('\t'),
            );
          } else {
            output += v.value;
            lines.push([ind.id, areaId, p.id, mk, v.value, 'estimated', reason].map(copyField).join('\t'));
          }
        }
      }
      if (lines.length) await copyEstimates(tx, lines.join('\n') + '\n');
      before.set(p.id, await ancestorTotals(tx, ind.id, p.id, ancestorIds));
      results.push({
        period: p.key,
        sourceAreas: sources.size,
        targetAreas: targets.size,
        observations: lines.length,
        input,
        output,
        lost,
        lostAreas: [...lostAreas].sort(),
        withheld,
        basis: cw.basis,
      });
    }
    if (results.every((r) => r.observations === 0))
      throw new NotFound(
        coded('reallocation-no-values', {
          indicator: ind.key,
          from: `${from.layer.key}${from.version.validFrom ? `@${from.version.validFrom}` : ''}`,
          periods: periods.map((p) => p.key).join(', '),
        }),
      );

    // Real data are never overwritten; earlier reallocations are.
    const clash = await estimateClashes(tx);
    if (clash.length) {
      const clashed = {
        layer: to.layer.key,
        n: clash[0].n,
        indicator: ind.key,
        examples: clash.map((c) => `${c.code} ${c.period}: ${c.status}`).join(', '),
      };
      throw new Conflict(
        to.version.validFrom
          ? coded('reallocation-clash-from', { ...clashed, date: to.version.validFrom })
          : coded('reallocation-clash', clashed),
      );
    }
    const finer = await finerObservations(
      tx,
      ind.id,
      periods.map((p) => p.id),
      to.version.id,
    );
    if (finer.length) {
      const hidden = {
        layer: to.layer.key,
        indicator: ind.key,
        periods: finer.map((f) => f.period).join(', '),
        layers: [...new Set(finer.map((f) => f.layer))].join(', '),
      };
      throw new Conflict(
        to.version.validFrom
          ? coded('reallocation-finer-values-from', { ...hidden, date: to.version.validFrom })
          : coded('reallocation-finer-values', hidden),
      );
    }

    const batch = await startBatch(
      tx,
      'reallocation',
      null,
      {
        indicator: ind.key,
        from: o.from,
        to: o.to,
        weights,
        rounding,
        periods: periods.map((p) => p.key),
        populationIndicator: weights === 'population' ? popIndicator : undefined,
      },
      principalName(who),
    );
    const merged = await mergeStaged(tx, 'stage_estimates', batch);
    const staged = results.reduce((n, r) => n + r.observations, 0);

    // No value of a coarser area may change: that would mean the estimates are counted twice.
    const warningCodes: Coded[] = [];
    const changed: string[] = [];
    const shadowed = new Map<string, Set<string>>();
    for (const p of periods) {
      const after = await ancestorTotals(tx, ind.id, p.id, ancestorIds);
      const prev = before.get(p.id)!;
      for (const [id, b] of prev) {
        const a = after.get(id) ?? { depth: b.depth, sum: 0 };
        if (Math.abs(a.sum - b.sum) > 1e-6 * Math.max(1, Math.abs(b.sum)))
          changed.push(`${ancestorName.get(id)} ${p.key}: ${fmt(b.sum)} → ${fmt(a.sum)}`);
        else if (a.depth < b.depth) {
          const layer = ancestorName.get(id)!.split(' ')[0];
          (shadowed.get(layer) ?? shadowed.set(layer, new Set()).get(layer)!).add(p.key);
        }
      }
    }
    if (changed.length) {
      const values = `${changed.slice(0, 3).join('; ')}${changed.length > 3 ? ' …' : ''}`;
      throw new Conflict(
        coded('reallocation-changes-coarser', {
          n: changed.length,
          values,
          from: `${from.layer.key}${from.version.validFrom ? `@${from.version.validFrom}` : ''}`,
        }),
      );
    }
    for (const [layer, ps] of shadowed)
      warningCodes.push(coded('note-computed-from-estimates', { layer, periods: [...ps].sort().join(', ') }));
    if (fractional) warningCodes.push(coded('note-split-without-rounding', { indicator: ind.key }));
    const warnings = warningCodes.map(englishText);

    let batchId: number | null = batch;
    if (merged.inserted + merged.updated === 0) {
      await discardBatch(tx, batch);
      batchId = null;
    } else {
      await finishBatch(tx, batch, {
        rowsRead: staged,
        inserted: merged.inserted,
        updated: merged.updated,
        unchanged: staged - merged.inserted - merged.updated,
      });
      await audit(tx, who, {
        action: 'observations.reallocate',
        objectType: 'indicator',
        objectKey: ind.key,
        batchId: batch,
        details: {
          from: o.from,
          to: o.to,
          weights,
          rounding,
          periods: periods.map((p) => p.key),
          inserted: merged.inserted,
          updated: merged.updated,
        },
      });
      await analyzeObservations(tx);
    }
    // Each note once (the same note of several crosswalks), with its code.
    const byText = new Map<string, Coded>();
    for (const c of crosswalks.values())
      c.crosswalk.noteCodes.forEach((n, i) => byText.has(c.crosswalk.notes[i]) || byText.set(c.crosswalk.notes[i], n));
    const notes = [...byText.keys()];
    const noteCodes = [...byText.values()];
    return {
      indicator: ind.key,
      from: { layer: from.layer.key, validFrom: from.version.validFrom, validTo: from.version.validTo },
      to: { layer: to.layer.key, validFrom: to.version.validFrom, validTo: to.version.validTo },
      weights,
      rounding,
      reason: firstReason,
      periods: results,
      inserted: merged.inserted,
      updated: merged.updated,
      unchanged: staged - merged.inserted - merged.updated,
      warnings,
      warningCodes,
      notes,
      noteCodes,
      dryRun: !!o.dryRun,
      batchId: o.dryRun ? null : batchId,
    };
  });
}

const fmt = (v: number) => String(Math.round(v * 1000) / 1000);

function choosePeriods(
  s: Snapshot,
  ind: IndicatorRow,
  from: VersionRef,
  to: VersionRef,
  wanted?: string[],
): PeriodRow[] {
  const withData = periodsOf(s, ind);
  const versionAt = (layer: LayerRow, date: string) => versionValidAt(s.versionsByLayer.get(layer.id) ?? [], date);
  const describe = (r: VersionRef) => `${r.layer.key}${r.version.validFrom ? `@${r.version.validFrom}` : ''}`;
  if (wanted?.length) {
    return wanted.map((text) => {
      const parsed = parsePeriod(text);
      if (!parsed) throw bad('bad-period', `"${text}" is not a period.`, PERIOD_HINT, text);
      const p = withData.find((x) => x.key === parsed.key);
      if (!p) throw new NotFound(coded('reallocation-no-data-for-period', { indicator: ind.key, period: parsed.key }));
      const v = versionAt(from.layer, p.end);
      if (v?.id !== from.version.id) {
        throw bad(
          'wrong-version',
          `The data of ${p.key} lie on the boundary version of ${from.layer.key} valid on ${p.end}, not on ${describe(from)}.`,
          `Use --from ${from.layer.key}@${p.end}, or leave out --period ${text}.`,
          text,
        );
      }
      return p;
    });
  }
  const list = withData.filter(
    (p) =>
      versionAt(from.layer, p.end)?.id === from.version.id &&
      !(to.layer.id === from.layer.id && versionAt(to.layer, p.end)?.id === to.version.id),
  );
  if (!list.length)
    throw new NotFound(
      to.layer.id === from.layer.id
        ? coded('reallocation-no-periods-not', { indicator: ind.key, from: describe(from), to: describe(to) })
        : coded('reallocation-no-periods', { indicator: ind.key, from: describe(from) }),
    );
  return list;
}

// ---------------------------------------------------------------------------------------------
// Reading on a fixed boundary version

export interface VersionSeriesPoint {
  period: string;
  referenceDate: string;
  value: number | null;
  base: number | null;
  status: ValueStatus;
  reason?: string;
}

/**
 * The time series of one area of a fixed boundary version (e.g. a Stadtteil of 2021) over every
 * period with data — also periods before the version was valid, where reallocated estimates are
 * stored on it. (The general time series takes for each period the version valid then.)
 */
export async function seriesOnVersion(
  db: Queryable,
  who: Principal,
  q: { indicator: string; layer: LayerRef; area: string; filter?: Record<string, string> },
): Promise<{ indicator: string; layer: string; validFrom: string | null; area: string; points: VersionSeriesPoint[] }> {
  const s = await snapshot(db);
  const { layer, version } = resolveVersion(s, q.layer);
  // The general time series evaluated on this one version (a date inside it).
  const ts = await getTimeSeries(
    db,
    { indicator: q.indicator, layer: layer.key, area: q.area, filter: q.filter, at: version.validFrom ?? '1800-01-01' },
    who,
  );
  return {
    indicator: ts.indicator.key,
    layer: layer.key,
    validFrom: version.validFrom,
    area: q.area,
    points: ts.points,
  };
}
