// The youth forum in the atlas (decision 0040): the published topics per area and year of raising
// (`jugendforum_themen`, a count) and per 1,000 young residents (`jugendforum_themen_je_1000`, a
// ratio stored with its base), written as observations of two computed indicators in the same
// transaction as the topic change — so the map, legend, table, profile, time series and exports
// show them like any other indicator, and coarser layers add them up.
import type { Database, Queryable } from '../store/db.ts';
import { principalName, requireAdmin, type Principal } from '../core/access.ts';
import { InputRejected } from '../core/problems.ts';
import { parsePeriod } from '../core/periods.ts';
import {
  ATLAS_COUNT_KEY,
  ATLAS_RATE_KEY,
  ATLAS_RATE_SCALE,
  DEFAULT_YOUNG_POPULATION,
  topicCounts,
  topicRate,
  type YoungPopulation,
} from '../core/forum.ts';
import type { IndicatorDefinition } from '../core/indicators.ts';
import { upsertIndicator, indicatorIds } from '../store/catalog-write.ts';
import { areaIdsByCode, loadLayers, loadLayerVersions, versionValidAt } from '../store/catalog.ts';
import { replaceDerivedValues, type DerivedValue } from '../store/derived.ts';
import { startBatch, finishBatch } from '../store/batches.ts';
import { storePeriod } from '../store/periods.ts';
import { readSetting, writeSetting } from '../store/settings.ts';
import {
  latestYearWithData,
  lockForumAtlas,
  selectForums,
  selectTopics,
  setIndicatorLineage,
  storedValues,
  sumsPerArea,
} from '../store/forum.ts';
import { inTransaction } from './transaction.ts';
import { audit } from './audit.ts';

/** The setting naming the population that counts as "young" for the rate. */
const YOUNG_POPULATION_SETTING = 'forum.youngPopulation';

export async function youngPopulation(db: Queryable): Promise<YoungPopulation> {
  return (await readSetting<YoungPopulation>(db, YOUNG_POPULATION_SETTING)) ?? DEFAULT_YOUNG_POPULATION;
}

/** Does the forum's rate exist and rest on one of these (just imported) indicators? */
export async function restsOnPopulation(db: Queryable, imported: Iterable<string>): Promise<boolean> {
  const young = await youngPopulation(db);
  if (![...imported].includes(young.indicator)) return false;
  return (await indicatorIds(db, [ATLAS_RATE_KEY])).size > 0;
}

function definitions(young: YoungPopulation, owner: string | null): IndicatorDefinition[] {
  const youngText =
    young.indicator +
    (young.filter && Object.keys(young.filter).length
      ? ` (${Object.entries(young.filter)
          .map(([d, m]) => `${d}=${m}`)
          .join(', ')})`
      : '');
  const common = {
    polarity: 'neutral' as const,
    source: 'Kommunalmonitor (berechnet aus dem Forum junges Stadtteilleben)',
    owner,
    confidentiality: 'public' as const,
    periodicity: 'yearly',
    themes: ['Jugend', 'Beteiligung'],
    dimensions: [],
  };
  return [
    {
      ...common,
      key: ATLAS_COUNT_KEY,
      name: 'Themen im Jugendforum',
      description:
        'Veröffentlichte Themen des Forums junges Stadtteilleben nach Gebiet und Jahr, in dem sie eingebracht wurden.',
      unit: 'Themen',
      type: 'count',
      decimals: 0,
      methodology:
        'Gezählt werden veröffentlichte Themen (nicht: wartende, abgelehnte, zusammengeführte oder gelöschte) in dem Gebiet, dem sie zugeordnet sind, im Kalenderjahr, in dem sie eingebracht wurden. Wird bei jeder Änderung eines Themas neu berechnet.',
    } as IndicatorDefinition,
    {
      ...common,
      key: ATLAS_RATE_KEY,
      name: 'Themen im Jugendforum je 1.000 junge Einwohner',
      description:
        'Veröffentlichte Themen des Forums junges Stadtteilleben je 1.000 junge Einwohnerinnen und Einwohner.',
      unit: 'je 1.000',
      type: 'ratio',
      scale: ATLAS_RATE_SCALE,
      decimals: 1,
      methodology: `Themen im Jugendforum ÷ junge Einwohner (${youngText}) × 1.000. Die Einwohnerzahl ist die des Jahres der Themen oder, wenn es sie noch nicht gibt, die jüngste davor (die Zuordnung steht in der Herkunft der Werte). Gröbere Gebiete: Summe der Themen ÷ Summe der jungen Einwohner.`,
    } as IndicatorDefinition,
  ];
}

export interface AtlasRefresh {
  /** Periods (years) whose values were replaced. */
  periods: string[];
  batch: number | null;
}

/**
 * Recomputes the forum's indicators for every year with published topics or stored values and
 * replaces the years whose values changed (one import batch of kind "forum"; none when nothing
 * changed). Runs inside the caller's transaction.
 */
export async function refreshForumAtlas(tx: Queryable, by: string): Promise<AtlasRefresh> {
  // Before reading anything: under READ COMMITTED every statement after the lock sees what the
  // transaction that held it committed.
  await lockForumAtlas(tx);
  const forums = await selectForums(tx);
  const topics = await selectTopics(tx, { moderation: ['published'] });
  const existing = await indicatorIds(tx, [ATLAS_COUNT_KEY, ATLAS_RATE_KEY]);
  // Nothing to show and nothing shown: the catalogue stays without the two indicators.
  if (!topics.length && existing.size === 0) return { periods: [], batch: null };
  const young = await youngPopulation(tx);
  const owner = forums[0]?.department ?? null;
  const changedDefs: string[] = [];
  for (const d of definitions(young, owner))
    if ((await upsertIndicator(tx, d)) !== 'unchanged') changedDefs.push(d.key);
  const ids = await indicatorIds(tx, [ATLAS_COUNT_KEY, ATLAS_RATE_KEY]);
  const countId = ids.get(ATLAS_COUNT_KEY)!,
    rateId = ids.get(ATLAS_RATE_KEY)!;
  const popId = (await indicatorIds(tx, [young.indicator])).get(young.indicator);

  const counts = topicCounts(topics);
  const stored = await storedValues(tx, [countId, rateId]);
  const years = new Set([...counts.keys(), ...stored.map((r) => r.periodKey)]);
  // Every layer that has a forum or a topic gets a value (0 where no topic) for each year.
  const layerKeys = new Set([...forums.map((f) => f.layer), ...topics.map((t) => t.layer)]);
  const layers = (await loadLayers(tx)).filter((l) => layerKeys.has(l.key));
  const versions = await loadLayerVersions(tx);

  let batch: number | null = null;
  const replaced: string[] = [];
  const populationYears: Record<string, string | null> = {};
  for (const year of [...years].sort()) {
    const period = parsePeriod(year);
    if (!period || period.type !== 'year') continue;
    const popPeriod = popId !== undefined ? await latestYearWithData(tx, popId, period.end) : undefined;
    populationYears[year] = popPeriod?.key ?? null;
    const values: DerivedValue[] = [];
    for (const layer of layers) {
      const v = versionValidAt(
        versions.filter((x) => x.layerId === layer.id),
        period.end,
      );
      if (!v) continue;
      const areas = await areaIdsByCode(tx, v.id);
      const byArea = counts.get(year)?.get(layer.key) ?? new Map<string, number>();
      const pop = popPeriod
        ? await sumsPerArea(tx, popId!, young.filter ?? {}, popPeriod.id, v.id)
        : new Map<string, number>();
      for (const [code, areaId] of areas) {
        const n = byArea.get(code) ?? 0;
        values.push({ indicatorId: countId, areaId, value: n, reason: null, base: null });
        const r = topicRate(n, popPeriod ? (pop.get(code) ?? null) : null);
        values.push({ indicatorId: rateId, areaId, value: r.value, reason: r.reason, base: r.base });
      }
    }
    const before = stored.filter((r) => r.periodKey === year);
    if (!changedDefs.length && sameValues(before, values)) continue;
    if (batch === null)
      batch = await startBatch(tx, 'forum', null, { indicators: [ATLAS_COUNT_KEY, ATLAS_RATE_KEY] }, by);
    await replaceDerivedValues(tx, [countId, rateId], await storePeriod(tx, period), batch, values);
    replaced.push(year);
  }
  const lineage = { kind: 'forum', inputs: ['forum_topic'], young, populationYears };
  await setIndicatorLineage(tx, ATLAS_COUNT_KEY, { kind: 'forum', inputs: ['forum_topic'] });
  await setIndicatorLineage(tx, ATLAS_RATE_KEY, { ...lineage, inputs: [ATLAS_COUNT_KEY, young.indicator] });
  if (batch === null && changedDefs.length)
    batch = await startBatch(tx, 'forum', null, { indicators: changedDefs }, by);
  if (batch !== null)
    await finishBatch(tx, batch, { rowsRead: topics.length, inserted: replaced.length, updated: 0, unchanged: 0 });
  return { periods: replaced, batch };
}

function sameValues(
  before: { indicatorId: number; areaId: number; value: number | null; base: number | null; reason: string | null }[],
  after: DerivedValue[],
): boolean {
  if (before.length !== after.length) return false;
  const key = (i: number, a: number) => `${i}|${a}`;
  const old = new Map(before.map((r) => [key(r.indicatorId, r.areaId), r]));
  for (const v of after) {
    const o = old.get(key(v.indicatorId, v.areaId));
    if (!o || o.value !== v.value || (o.base ?? null) !== (v.base ?? null) || (o.reason ?? null) !== (v.reason ?? null))
      return false;
  }
  return true;
}

/** Chooses the population that counts as "young" (admins) and recomputes the rate. */
export async function setYoungPopulation(db: Database, who: Principal, young: YoungPopulation): Promise<AtlasRefresh> {
  requireAdmin(who);
  return inTransaction(db, false, async (tx) => {
    if (!(await indicatorIds(tx, [young.indicator])).has(young.indicator))
      throw new InputRejected([
        {
          severity: 'error',
          code: 'unknown-indicator',
          column: 'indicator',
          reason: `no indicator "${young.indicator}"`,
        },
      ]);
    await writeSetting(tx, YOUNG_POPULATION_SETTING, {
      indicator: young.indicator,
      ...(young.filter && Object.keys(young.filter).length ? { filter: young.filter } : {}),
    });
    const r = await refreshForumAtlas(tx, principalName(who));
    await audit(tx, who, {
      action: 'forum.atlas.population',
      objectType: 'setting',
      objectKey: YOUNG_POPULATION_SETTING,
      details: { ...young },
    });
    return r;
  });
}

/** Recomputes the forum's indicators (after a population import, say). */
export async function refreshForumAtlasNow(db: Database, who: Principal): Promise<AtlasRefresh> {
  requireAdmin(who);
  return inTransaction(db, false, (tx) => refreshForumAtlas(tx, principalName(who)));
}
