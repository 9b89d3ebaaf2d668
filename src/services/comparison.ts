// Comparison between municipalities (decision 0037): the provider's catalogue of standard
// indicators, a tenant's mapping, opt-in, publication and withdrawal, and the public reads of the
// comparison store. Publication reads the tenant's values exactly as the public sees them (the
// query service with the anonymous principal: confidentiality, minimum bases and disclosure
// control apply) and replaces the tenant's rows of the store in one transaction of the shared
// schema. Rates are the tenant's own Σnumerator/Σdenominator, never averages of finer values.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { Database, Queryable } from '../store/db.ts';
import { ANONYMOUS } from '../core/access.ts';
import { Conflict, InputRejected, NotFound, type Problem } from '../core/problems.ts';
import { openTable } from '../formats/table.ts';
import { snapshot } from './snapshot.ts';
import { getObservations, periodsOf, readable } from './query.ts';
import { areaCountOfVersion, versionValidAt } from '../store/catalog.ts';
import * as store from '../store/comparison.ts';
import {
  badRequest,
  checkStandards,
  competitionRanks,
  keyList,
  MAX_COMPARED,
  MAX_INDICATORS,
  similarMunicipalities,
} from '../core/comparison/model.ts';
import type {
  CompareAnswer,
  ComparisonLevel,
  MunicipalitiesAnswer,
  PublishedStatus,
  RankingAnswer,
  SimilarAnswer,
  StandardIndicator,
  StandardsAnswer,
} from '../contracts/answers/index.ts';
import { coded } from '../contracts/codes/index.ts';

/** Where the comparison store is: the shared schema of the installation, and who asks. */
export interface ComparisonContext {
  /** A handle on the shared schema (Tenants.shared). */
  shared: Database;
  /** The tenant (municipality) whose app or command this is. */
  tenant: { key: string; name: string; officialKey: string | null };
}

/** The comparison needs a server with tenants (decision 0037): this is what embedded mode answers. */
export const COMPARISON_NEEDS_TENANTS =
  'The comparison between municipalities needs a PostgreSQL server with tenants (DATABASE_URL and kommunalmonitor tenants …): the embedded database holds one municipality only (docs/comparison.md).';

// ---------------------------------------------------------------------------------------------
// Provider: the standard catalogue.

/** Reads standard indicators from a JSON file (an array, or {"standards": [...]}) or a CSV file with the same column names. */
export async function readStandardsFile(path: string): Promise<StandardIndicator[]> {
  const file = basename(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.json') {
    let data: unknown;
    try {
      data = JSON.parse(await readFile(path, 'utf8'));
    } catch (e) {
      throw new InputRejected([
        { severity: 'error', code: 'bad-json', reason: `not valid JSON: ${(e as Error).message}`, file },
      ]);
    }
    const list = Array.isArray(data) ? data : (data as { standards?: unknown })?.standards;
    if (!Array.isArray(list) || list.some((x) => typeof x !== 'object' || x === null)) {
      throw new InputRejected([
        {
          severity: 'error',
          code: 'bad-shape',
          reason: 'expected an array of standard indicators, or {"standards": [...]}',
          file,
        },
      ]);
    }
    return checkStandards(list as Record<string, unknown>[], file);
  }
  if (ext !== '.csv')
    throw new InputRejected([
      { severity: 'error', code: 'bad-format', reason: `"${file}" is neither .json nor .csv`, file },
    ]);
  const table = await openTable(path, { displayName: file });
  const records: Record<string, unknown>[] = [];
  try {
    for await (const row of table.rows) {
      const r: Record<string, unknown> = { __line: row.line };
      table.columns.forEach((c, k) => (r[c] = row.cells[k] ?? ''));
      records.push(r);
    }
  } finally {
    await table.close();
  }
  return checkStandards(records, file);
}

/** Adds or updates standard indicators (by key) in one transaction. */
export async function importStandards(shared: Database, list: StandardIndicator[]): Promise<{ imported: number }> {
  await shared.transaction((tx) => store.upsertStandards(tx, list));
  return { imported: list.length };
}

export async function listStandards(shared: Queryable): Promise<StandardsAnswer> {
  const [list, counts] = [await store.loadStandards(shared), await store.publishedCounts(shared)];
  return { standards: list.map((s) => ({ ...s, municipalities: counts.get(s.key) ?? 0 })) };
}

async function requireStandard(shared: Queryable, key: string): Promise<StandardIndicator> {
  const s = (await store.loadStandards(shared)).find((x) => x.key === key);
  if (!s) throw new NotFound(coded('standard-not-found', { standard: key }));
  return s;
}

// ---------------------------------------------------------------------------------------------
// A tenant: mapping, opt-in, publication, withdrawal.

/** The tenant's own indicator for a standard: it must exist, be public and of the standard's type. */
export async function mapStandard(
  ctx: ComparisonContext,
  db: Database,
  standard: string,
  indicator: string,
): Promise<{ standard: string; indicator: string; warnings: Problem[] }> {
  const std = await requireStandard(ctx.shared, standard);
  const s = await snapshot(db);
  const i = s.indicatorByKey.get(indicator);
  if (!i) throw new NotFound(coded('indicator-not-in-catalogue', { indicator: indicator }));
  if (!readable(s, ANONYMOUS, i))
    throw new InputRejected([
      {
        severity: 'error',
        code: 'not-public',
        reason: `the indicator "${indicator}" is not public (or a draft); only what the public may read can be compared`,
      },
    ]);
  const ownType = i.type === 'ratio' || i.type === 'count' ? i.type : 'value';
  if (ownType !== std.type)
    throw new InputRejected([
      {
        severity: 'error',
        code: 'type-mismatch',
        reason: `the standard "${standard}" is a ${std.type}, the indicator "${indicator}" a ${i.type}`,
      },
    ]);
  const warnings: Problem[] = [];
  if (i.unit !== std.unit)
    warnings.push({
      severity: 'warning',
      code: 'unit-differs',
      reason: `the standard's unit is "${std.unit}", the indicator's "${i.unit}": check that they mean the same`,
      params: { standard: std.unit, indicator: i.unit },
    });
  await store.saveMapping(ctx.shared, ctx.tenant.key, standard, indicator);
  return { standard, indicator, warnings };
}

export async function unmapStandard(ctx: ComparisonContext, standard: string): Promise<void> {
  if (!(await store.deleteMapping(ctx.shared, ctx.tenant.key, standard)))
    throw new NotFound(coded('standard-not-mapped', { standard: standard }));
}

export async function listMappings(
  ctx: ComparisonContext,
): Promise<{ mappings: store.MappingRow[]; participation: store.ParticipationRow | null }> {
  return {
    mappings: await store.loadMappings(ctx.shared, ctx.tenant.key),
    participation: (await store.loadParticipation(ctx.shared, ctx.tenant.key)) ?? null,
  };
}

/** The layer of the whole territory: a hierarchical layer without parent (the one with fewest areas). */
async function territoryLayerOf(db: Queryable, s: Awaited<ReturnType<typeof snapshot>>): Promise<string> {
  const roots = s.layers.filter((l) => l.kind === 'hierarchical' && l.parentLayerId === null);
  if (!roots.length) throw new Conflict(coded('no-territory-layer'));
  let best: { key: string; n: number } | undefined;
  for (const l of roots) {
    const v = versionValidAt(s.versionsByLayer.get(l.id) ?? []);
    if (!v) continue;
    const n = await areaCountOfVersion(db, v.id);
    if (!best || n < best.n) best = { key: l.key, n };
  }
  if (!best) throw new Conflict(coded('no-areas-yet'));
  return best.key;
}

/** Opts in: the territory's values are published; with `districts`, one layer of districts too. */
export async function optIn(
  ctx: ComparisonContext,
  db: Database,
  o: { districts?: string; territory?: string } = {},
): Promise<store.ParticipationRow> {
  const s = await snapshot(db);
  for (const layer of [o.districts, o.territory])
    if (layer !== undefined && !s.layerByKey.has(layer))
      throw new NotFound(coded('layer-not-in-municipality', { layer: layer }));
  const territory = o.territory ?? (await territoryLayerOf(db, s));
  await store.saveParticipation(ctx.shared, ctx.tenant.key, territory, o.districts ?? null);
  return (await store.loadParticipation(ctx.shared, ctx.tenant.key))!;
}

export interface PublishReport {
  tenant: string;
  publishedAt: string;
  values: number;
  byStatus: Record<string, number>;
  /** Periods whose value is missing on the published layer (nothing to publish there). */
  missing: number;
  standards: string[];
}

/**
 * Publishes the mapped indicators' public values (every period; the territory and, when opted in,
 * the districts layer) and replaces the tenant's rows in the comparison store in one transaction.
 * A withheld value is published withheld (value null, status suppressed or below_min_base); a
 * mapped indicator that is not public (any more) stops the publication: nothing changes.
 */
export async function publishComparison(ctx: ComparisonContext, db: Database): Promise<PublishReport> {
  const part = await store.loadParticipation(ctx.shared, ctx.tenant.key);
  if (!part) throw new Conflict(coded('comparison-not-opted-in', { tenant: ctx.tenant.key }));
  const mappings = await store.loadMappings(ctx.shared, ctx.tenant.key);
  if (!mappings.length) throw new Conflict(coded('comparison-no-mappings', { tenant: ctx.tenant.key }));
  // The values are read in one snapshot of the tenant's data (an import committed meanwhile is
  // either wholly in the publication or not at all), then written in one transaction of the store.
  const standards = new Map((await store.loadStandards(ctx.shared)).map((x) => [x.key, x]));
  const { rows, missing } = await db.transaction(async (tx) => {
    await store.repeatableRead(tx);
    return readPublicValues(ctx, tx, part, mappings, standards);
  });
  const publishedAt = new Date().toISOString();
  await ctx.shared.transaction(async (tx) => {
    await store.deleteValues(tx, ctx.tenant.key);
    await store.insertValues(tx, rows, publishedAt);
    await store.markPublished(tx, ctx.tenant.key, publishedAt);
  });
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return {
    tenant: ctx.tenant.key,
    publishedAt,
    values: rows.length,
    byStatus,
    missing,
    standards: mappings.map((m) => m.standard),
  };
}

/** The public values of the mapped indicators, read on one connection (see publishComparison). */
async function readPublicValues(
  ctx: ComparisonContext,
  db: Queryable,
  part: store.ParticipationRow,
  mappings: store.MappingRow[],
  standards: Map<string, StandardIndicator>,
): Promise<{ rows: store.ValueRow[]; missing: number }> {
  const s = await snapshot(db);
  const problems: Problem[] = [];
  for (const m of mappings) {
    const i = s.indicatorByKey.get(m.indicator);
    if (!i)
      problems.push({
        severity: 'error',
        code: 'unknown-indicator',
        reason: `"${m.standard}" is mapped to "${m.indicator}", which no longer exists`,
      });
    else if (!readable(s, ANONYMOUS, i))
      problems.push({
        severity: 'error',
        code: 'not-public',
        reason: `"${m.standard}" is mapped to "${m.indicator}", which is not public`,
      });
    else if (!standards.has(m.standard))
      problems.push({
        severity: 'error',
        code: 'unknown-standard',
        reason: `the standard "${m.standard}" no longer exists`,
      });
    else if (standards.get(m.standard)!.type !== (i.type === 'ratio' || i.type === 'count' ? i.type : 'value'))
      problems.push({
        severity: 'error',
        code: 'type-mismatch',
        reason: `the standard "${m.standard}" is a ${standards.get(m.standard)!.type}, its indicator "${m.indicator}" a ${i.type}`,
      });
  }
  for (const layer of [part.territoryLayer, part.districtsLayer])
    if (layer && !s.layerByKey.has(layer))
      problems.push({
        severity: 'error',
        code: 'unknown-layer',
        reason: `the layer "${layer}" of the opt-in no longer exists`,
      });
  if (problems.length)
    throw new InputRejected(problems, `Nothing was published:\n${problems.map((p) => p.reason).join('\n')}`);
  const territory = part.territoryLayer ?? (await territoryLayerOf(db, s));
  const rows: store.ValueRow[] = [];
  let missing = 0;
  const push = (
    standard: string,
    level: ComparisonLevel,
    code: string,
    name: string,
    date: string,
    period: string,
    v: { value: number | null; status: string },
    source: string | null,
  ) => {
    if (v.status === 'missing') {
      missing++;
      return;
    }
    const withheld = v.status === 'suppressed' || v.status === 'below_min_base';
    rows.push({
      tenant: ctx.tenant.key,
      standard,
      level,
      areaCode: code,
      areaName: name,
      referenceDate: date,
      period,
      value: withheld ? null : v.value,
      status: v.status as PublishedStatus,
      source,
    });
  };
  for (const m of mappings) {
    const i = s.indicatorByKey.get(m.indicator)!;
    for (const p of periodsOf(s, i)) {
      const a = await getObservations(db, { indicator: i.key, layer: territory, period: p.key }, ANONYMOUS);
      const one = a.values.length === 1 ? a.values[0] : undefined;
      push(
        m.standard,
        'territory',
        ctx.tenant.officialKey ?? ctx.tenant.key,
        ctx.tenant.name,
        a.referenceDate,
        p.key,
        one ?? a.city,
        a.source,
      );
      if (part.districtsLayer) {
        const d = await getObservations(db, { indicator: i.key, layer: part.districtsLayer, period: p.key }, ANONYMOUS);
        for (const v of d.values) push(m.standard, 'district', v.area, v.name, d.referenceDate, p.key, v, d.source);
      }
    }
  }
  return { rows, missing };
}

/** Withdraws: the tenant's values leave the store and its opt-in ends (its mappings stay). */
export async function withdrawComparison(ctx: ComparisonContext): Promise<{ tenant: string; removed: number }> {
  return ctx.shared.transaction(async (tx) => {
    const removed = await store.deleteValues(tx, ctx.tenant.key);
    await store.deleteParticipation(tx, ctx.tenant.key);
    return { tenant: ctx.tenant.key, removed };
  });
}

// ---------------------------------------------------------------------------------------------
// Public reads (everything in the store is public).

type Query = Record<string, unknown>;

function checkParams(q: Query, known: string[]): void {
  for (const k of Object.keys(q))
    if (!known.includes(k))
      throw badRequest(
        'unknown-parameter',
        `unknown query parameter "${k.slice(0, 40)}"`,
        `known: ${known.join(', ')}`,
      );
}

async function standardsFor(shared: Queryable, keys: string[]): Promise<StandardIndicator[]> {
  const all = await store.loadStandards(shared);
  return keys.map((k) => {
    const s = all.find((x) => x.key === k);
    if (!s)
      throw badRequest(
        'unknown-standard',
        `there is no standard indicator "${k}"`,
        'GET /api/comparison/standards lists them',
      );
    return s;
  });
}

export async function listMunicipalities(ctx: ComparisonContext): Promise<MunicipalitiesAnswer> {
  const rows = await store.loadMunicipalities(ctx.shared);
  return { own: ctx.tenant.key, municipalities: rows.map((r) => ({ ...r, own: r.key === ctx.tenant.key })) };
}

/** Time series of the chosen standard indicators for the own municipality and up to ten others. */
export async function compareMunicipalities(ctx: ComparisonContext, q: Query): Promise<CompareAnswer> {
  checkParams(q, ['with', 'indicators']);
  const others = keyList('with', q.with, { max: MAX_COMPARED, required: false }).filter((k) => k !== ctx.tenant.key);
  const standards = await standardsFor(
    ctx.shared,
    keyList('indicators', q.indicators, { max: MAX_INDICATORS, required: true }),
  );
  const known = await store.loadMunicipalities(ctx.shared);
  for (const k of others)
    if (!known.some((m) => m.key === k))
      throw badRequest(
        'unknown-municipality',
        `"${k}" has published no values for the comparison`,
        'GET /api/comparison/municipalities lists those that have',
      );
  const keys = [ctx.tenant.key, ...others];
  const values = await store.loadValues(ctx.shared, {
    standards: standards.map((s) => s.key),
    level: 'territory',
    tenants: keys,
  });
  const series: CompareAnswer['series'] = [];
  for (const k of keys) {
    for (const s of standards) {
      const points = values
        .filter((v) => v.tenant === k && v.standard === s.key)
        .map((v) => ({
          referenceDate: v.referenceDate,
          period: v.period,
          value: v.value,
          status: v.status,
          source: v.source,
        }));
      if (points.length) series.push({ standard: s.key, municipality: k, points });
    }
  }
  const nameOf = (k: string) => known.find((m) => m.key === k)?.name ?? (k === ctx.tenant.key ? ctx.tenant.name : k);
  return {
    own: ctx.tenant.key,
    level: 'territory',
    standards,
    municipalities: keys.map((k) => ({ key: k, name: nameOf(k), own: k === ctx.tenant.key })),
    series,
  };
}

/** Similar municipalities by the distance of z-standardised values (core/comparison/model.ts). */
export async function similarTo(ctx: ComparisonContext, q: Query): Promise<SimilarAnswer> {
  checkParams(q, ['indicators', 'k']);
  let k = 5;
  if (q.k !== undefined) {
    k = typeof q.k === 'string' && /^[0-9]{1,3}$/.test(q.k) ? Number(q.k) : NaN;
    if (!(k >= 1 && k <= MAX_COMPARED)) throw badRequest('bad-k', `k must be a whole number from 1 to ${MAX_COMPARED}`);
  }
  let keys = keyList('indicators', q.indicators, { max: MAX_INDICATORS, required: false });
  const all = await store.loadStandards(ctx.shared);
  if (!keys.length) {
    const own = await store.loadValues(ctx.shared, {
      standards: all.map((s) => s.key),
      level: 'territory',
      tenants: [ctx.tenant.key],
    });
    keys = [...new Set(own.map((v) => v.standard))].sort();
  }
  const standards = await standardsFor(ctx.shared, keys);
  const rows = await store.loadValues(ctx.shared, { standards: keys, level: 'territory' });
  const values = new Map<string, Map<string, Map<string, number | null>>>();
  for (const r of rows) {
    if (!values.has(r.tenant)) values.set(r.tenant, new Map());
    const m = values.get(r.tenant)!;
    if (!m.has(r.standard)) m.set(r.standard, new Map());
    m.get(r.standard)!.set(r.referenceDate, r.value);
  }
  const r = keys.length
    ? similarMunicipalities({ own: ctx.tenant.key, indicators: keys, values })
    : { referenceDate: null, constant: [], compared: 0, reason: 'own-not-published' as const, ranked: [] };
  const names = new Map((await store.loadMunicipalities(ctx.shared)).map((m) => [m.key, m.name]));
  return {
    own: ctx.tenant.key,
    ...(r.reason ? { reason: { code: r.reason } } : {}),
    method: {
      code: 'z-euclidean',
      referenceDate: r.referenceDate,
      indicators: standards.map((s) => s.key),
      constant: r.constant,
      compared: r.compared,
      sd: 'population',
    },
    ...(r.ownValues ? { ownValues: r.ownValues } : {}),
    similar: r.ranked.slice(0, k).map((x) => ({ ...x, name: names.get(x.key) ?? x.key })),
  };
}

/** Accepts 2023 (the latest reference date in 2023) or 2023-12-31 / 31.12.2023. */
function dateOf(text: string, dates: string[]): string | undefined {
  const iso = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text)
    ? text
    : /^([0-9]{2})\.([0-9]{2})\.([0-9]{4})$/.test(text)
      ? text.replace(/^([0-9]{2})\.([0-9]{2})\.([0-9]{4})$/, '$3-$2-$1')
      : undefined;
  if (iso) return dates.includes(iso) ? iso : undefined;
  if (/^[0-9]{4}$/.test(text))
    return dates
      .filter((d) => d.startsWith(text + '-'))
      .sort()
      .pop();
  return undefined;
}

/** The ranking of one standard indicator at one reference date, the own municipality marked. */
export async function rankingOf(ctx: ComparisonContext, q: Query): Promise<RankingAnswer> {
  checkParams(q, ['indicator', 'period', 'level']);
  const [key] = keyList('indicator', q.indicator, { max: 1, required: true });
  const [standard] = await standardsFor(ctx.shared, [key]);
  if (q.level !== undefined && q.level !== 'territory' && q.level !== 'district')
    throw badRequest('bad-level', 'level must be territory or district');
  const level: ComparisonLevel = (q.level as ComparisonLevel | undefined) ?? 'territory';
  const rows = await store.loadValues(ctx.shared, { standards: [key], level });
  const dates = [...new Set(rows.map((r) => r.referenceDate))].sort();
  let date: string | undefined;
  if (q.period !== undefined) {
    if (typeof q.period !== 'string' || q.period.length > 20)
      throw badRequest('bad-period', 'period must be given once, as a year or a date');
    date = dateOf(q.period, dates);
    if (!date)
      throw badRequest(
        'unknown-period',
        `no values of "${key}" are published for "${q.period}"`,
        dates.length ? `published reference dates: ${dates.join(', ')}` : undefined,
      );
  } else {
    date =
      rows
        .filter((r) => r.tenant === ctx.tenant.key)
        .map((r) => r.referenceDate)
        .sort()
        .pop() ?? dates[dates.length - 1];
  }
  const at = rows.filter((r) => r.referenceDate === date);
  const names = new Map((await store.loadMunicipalities(ctx.shared)).map((m) => [m.key, m.name]));
  const ranks = competitionRanks(at.map((r) => r.value));
  const out = at
    .map((r, i) => ({
      key: r.tenant,
      name: names.get(r.tenant) ?? r.tenant,
      own: r.tenant === ctx.tenant.key,
      areaCode: r.areaCode,
      areaName: r.areaName,
      value: r.value,
      status: r.status,
      rank: ranks[i].rank,
      tied: ranks[i].tied,
      period: r.period,
      source: r.source,
    }))
    .sort(
      (a, b) =>
        (a.rank ?? Infinity) - (b.rank ?? Infinity) ||
        a.name.localeCompare(b.name, 'de') ||
        a.areaCode.localeCompare(b.areaCode),
    );
  return {
    own: ctx.tenant.key,
    standard,
    level,
    referenceDate: date ?? null,
    order: 'descending',
    referenceDates: dates,
    rows: out,
  };
}
