// Use cases of analysis: compute a composite index or a typology over the areas of a layer from
// the statistics database. Every input is read with the caller's rights, so a result is never
// more visible than its most restricted input.
import type { Queryable } from '../store/db.ts';
import { ANONYMOUS, type Principal } from '../core/access.ts';
import { disclosureComponents, ruleOf } from './disclosure.ts';
import { parseIndexDefinition, COMPONENT_PERIOD_WITHIN, type IndexDefinition } from '../core/stats/index-definition.ts';
import { computeIndex, changesAll, type IndexData } from '../core/stats/composite.ts';
import { sensitivity, type SensitivityResult } from '../core/stats/sensitivity.ts';
import { parseTypologyDefinition } from '../core/stats/typology-definition.ts';
import { standardize, wardD2, cutree, kmeans, clusterDiagnostics } from '../core/stats/cluster.ts';
import { describeTypes, crossTable, adjustedRandIndex, mergeTypologies } from '../core/stats/typology.ts';
import { InputRejected, codedList } from '../core/problems.ts';
import { getObservations, guardOf, periodsOf, requireReadable } from './query.ts';
import { csvLine, csvNumber, decimalFor } from '../formats/csv-write.ts';
import type { Database } from '../store/db.ts';
import { snapshot, type Snapshot } from './snapshot.ts';
import { combineGuards, principalName } from '../core/access.ts';
import { Forbidden, Unauthorized, Conflict, NotFound } from '../core/problems.ts';
import { startBatch, finishBatch } from '../store/batches.ts';
import { audit } from './audit.ts';
import { versionValidAt, areaIdsByCode } from '../store/catalog.ts';
import { storePeriod } from '../store/periods.ts';
import { indicatorLineage, upsertDerivedIndicator, replaceDerivedValues, type DerivedValue } from '../store/derived.ts';
import { latestIndexVersion, insertIndexDefinition, latestIndexDefinition } from '../store/index-definitions.ts';
import { parsePeriod } from '../core/periods.ts';
import { coded, englishText, type Coded } from '../contracts/codes/index.ts';
import type {
  IndexAnswer,
  SavedIndex,
  SavedTypologyAnswer,
  TypologyAnswer,
  TypologyComparison,
} from '../contracts/answers/index.ts';
export type { IndexAnswer, SavedIndex, SavedTypologyAnswer, TypologyAnswer, TypologyComparison };

/**
 * The least privileged reader of a stored result of this confidentiality, for disclosure
 * control: the public for public results, a signed-in reader of no department for internal
 * ones; restricted results are read only by named departments (the caller's view is kept).
 */
function leastReader(who: Principal, level: string): Principal {
  if (level === 'public') return ANONYMOUS;
  if (level === 'internal') return { kind: 'user', id: 0, name: 'reader', role: 'viewer', department: null };
  return who;
}

/** Whether an indicator's values (or a derived ratio's components) fall under a disclosure rule. */
function protectedInputs(s: Snapshot, key: string): boolean {
  const i = s.indicatorByKey.get(key);
  return !!i && disclosureComponents(s, i).some((c) => ruleOf(c) !== null);
}

/** Values of several indicators for every area of a layer at one period (null where not shown). */
async function valuesByArea(
  db: Queryable,
  who: Principal,
  indicators: string[],
  layer: string,
  period: string,
  field: (i: number) => string = (i) => `indicators.${i}`,
): Promise<{ areas: string[]; names: Record<string, string>; values: Record<string, (number | null)[]> }> {
  let areas: string[] | undefined;
  const values: Record<string, (number | null)[]> = {};
  const names: Record<string, string> = {};
  for (const [n, key] of indicators.entries()) {
    const a = await getObservations(db, { indicator: key, layer, period }, who);
    if (!areas) areas = a.values.map((v) => v.area);
    const byArea = new Map(a.values.map((v) => [v.area, v.value]));
    values[key] = areas.map((c) => byArea.get(c) ?? null);
    names[key] = a.indicator.name;
    if (values[key].every((v) => v === null)) {
      const reason = `"${key}" has no values on layer "${layer}" for the period ${a.period.key}`;
      throw new InputRejected(
        [
          {
            severity: 'error',
            code: 'no-data',
            column: field(n),
            value: key,
            reason,
            params: { indicator: key, layer, period: a.period.key },
            hint: 'check the period (a Stichtag such as 2024-12-31 is not the year 2024) and the layer',
          },
        ],
        `${reason}; check the period and the layer.`,
      );
    }
  }
  return { areas: areas ?? [], names, values };
}

/**
 * The period each component is read for: its own fixed period, the latest period of the indicator
 * ending within the index's period ("within"), or the index's period.
 */
async function componentPeriods(
  db: Queryable,
  def: IndexDefinition,
  period: string,
  overridden: boolean,
): Promise<string[]> {
  const target = parsePeriod(period);
  const s = await snapshot(db);
  return def.components.map((c, n) => {
    if (c.period === undefined) return period;
    const field = `components.${n}.period`;
    if (c.period !== COMPONENT_PERIOD_WITHIN) {
      if (overridden) {
        const reason = `component "${c.indicator}" has its own period ${c.period}, so the index cannot be moved to the period ${period} as a whole`;
        throw new InputRejected(
          [
            {
              severity: 'error',
              code: 'fixed-component-period',
              column: field,
              value: c.period,
              reason,
              hint: 'change the periods in the definition, or use "within" for inputs that follow the index period',
            },
          ],
          reason,
        );
      }
      return parsePeriod(c.period)!.key;
    }
    const i = s.indicatorByKey.get(c.indicator);
    const candidates = target && i ? periodsOf(s, i).filter((p) => p.end >= target.start && p.end <= target.end) : [];
    if (!candidates.length) {
      const reason = `"${c.indicator}" has no period that ends within ${period}`;
      throw new InputRejected(
        [
          {
            severity: 'error',
            code: 'no-data',
            column: field,
            value: c.indicator,
            reason,
            params: { indicator: c.indicator, within: period },
            hint: 'check the index period, or give the component a fixed period',
          },
        ],
        reason,
      );
    }
    return candidates.reduce((a, b) => (b.end > a.end ? b : a)).key;
  });
}

/** Values of the components, each read for its own period, aligned on the areas of the index period. */
async function componentValues(
  db: Queryable,
  who: Principal,
  def: IndexDefinition,
  layer: string,
  periods: string[],
  field: (i: number) => string,
): Promise<{ areas: string[]; values: Record<string, (number | null)[]> }> {
  const groups = new Map<string, number[]>();
  periods.forEach((p, n) => groups.set(p, [...(groups.get(p) ?? []), n]));
  let areas: string[] | undefined;
  const values: Record<string, (number | null)[]> = {};
  for (const [p, members] of groups) {
    const got = await valuesByArea(
      db,
      who,
      members.map((n) => def.components[n].indicator),
      layer,
      p,
      (i) => field(members[i]),
    );
    areas ??= got.areas;
    const pos = new Map(got.areas.map((c, i) => [c, i]));
    for (const n of members) {
      const key = def.components[n].indicator;
      values[key] = areas.map((c) => (pos.has(c) ? got.values[key][pos.get(c)!] : null));
    }
  }
  return { areas: areas ?? [], values };
}

/** The inputs of an index for its layer and period (changes for a dynamics index), read with the caller's rights. */
async function loadIndexData(
  db: Queryable,
  who: Principal,
  def: IndexDefinition,
  period: string,
  overridden: boolean,
): Promise<IndexData & { periods: string[] }> {
  const keys = def.components.map((c) => c.indicator);
  const componentField = (i: number) => `components.${i}.indicator`;
  const periods = await componentPeriods(db, def, period, overridden);
  const now = await componentValues(db, who, def, def.layer, periods, componentField);
  let values = now.values;
  if (def.change) {
    // Dynamics: the change of each input from `change.from` to the period.
    const before = await componentValues(
      db,
      who,
      def,
      def.layer,
      await componentPeriods(db, def, def.change.from, false),
      componentField,
    );
    const aligned: Record<string, (number | null)[]> = {};
    const pos = new Map(before.areas.map((c, i) => [c, i]));
    for (const k of keys) aligned[k] = now.areas.map((c) => (pos.has(c) ? before.values[k][pos.get(c)!] : null));
    values = changesAll(now.values, aligned);
  }
  let base: (number | null)[] | undefined;
  const minBase = def.exclude.minBase;
  if (minBase) {
    const got = await valuesByArea(db, who, [minBase.indicator], def.layer, period, () => 'exclude.minBase.indicator');
    const pos = new Map(got.areas.map((c, i) => [c, i]));
    base = now.areas.map((c) => (pos.has(c) ? got.values[minBase.indicator][pos.get(c)!] : null));
  }
  return { areas: now.areas, values, base, periods };
}

export async function computeIndexFor(
  db: Queryable,
  who: Principal,
  input: unknown,
  o: { period?: string; file?: string } = {},
): Promise<IndexAnswer> {
  const def = parseIndexDefinition(input, o.file);
  const period = o.period ?? def.period;
  const data = await loadIndexData(db, who, def, period, o.period !== undefined && o.period !== def.period);
  return {
    definition: def,
    period,
    componentPeriods: Object.fromEntries(def.components.map((c, n) => [c.indicator, data.periods[n]])),
    result: computeIndex(def, data),
  };
}

/** How robust the classes are: Monte-Carlo weight perturbation and leave-one-indicator-out. */
export async function indexSensitivity(
  db: Queryable,
  who: Principal,
  input: unknown,
  o: { period?: string; file?: string; runs?: number; epsilon?: number; seed?: number } = {},
): Promise<SensitivityResult & { period: string }> {
  const def = parseIndexDefinition(input, o.file);
  const period = o.period ?? def.period;
  const data = await loadIndexData(db, who, def, period, o.period !== undefined && o.period !== def.period);
  return { ...sensitivity(def, data, { runs: o.runs, epsilon: o.epsilon, seed: o.seed }), period };
}

export function indexRowsToCsv(a: IndexAnswer, delimiter: ';' | ',' = ';'): string {
  const dec = decimalFor(delimiter);
  const lines = [csvLine(['area', 'score', 'class', 'label', 'excluded'], delimiter)];
  for (const r of a.result.rows)
    lines.push(csvLine([r.area, csvNumber(r.score, dec), r.class, r.label, r.excluded], delimiter));
  return lines.join('\n') + '\n';
}

/** Why an area has no type: the indicators it has no value for (a coded reason, its list of keys a parameter). */
function noValueFor(missing: string[]): Coded {
  return coded('reason-no-value-for', { indicators: codedList(missing) });
}

export async function computeTypologyFor(
  db: Queryable,
  who: Principal,
  input: unknown,
  o: { file?: string } = {},
): Promise<TypologyAnswer> {
  const def = parseTypologyDefinition(input, o.file);
  const { areas, names, values } = await valuesByArea(db, who, def.indicators, def.layer, def.period);
  const excluded = new Map(def.exclude.map((e) => [e.code, e.reason]));
  const use: number[] = [];
  const missingOf: (string[] | undefined)[] = [];
  const reason: (string | null)[] = areas.map((c, i) => {
    if (excluded.has(c)) return excluded.get(c)!;
    const missing = def.indicators.filter((k) => values[k][i] === null);
    if (missing.length) {
      missingOf[i] = missing;
      return englishText(noValueFor(missing));
    }
    use.push(i);
    return null;
  });
  if (use.length <= def.k) {
    throw new InputRejected(
      [
        {
          severity: 'error',
          code: 'too-few-areas',
          reason: `only ${use.length} areas have every indicator; ${def.k} types need more`,
        },
      ],
      `Only ${use.length} areas have values for every indicator; ${def.k} types need more.`,
    );
  }
  const rows = use.map((i) => def.indicators.map((k) => values[k][i] as number));
  const z = standardize(rows, def.sd, def.indicators);
  const tree = def.method === 'ward' ? wardD2(z.data) : undefined;
  const clusters = tree ? cutree(tree, def.k) : kmeans(z.data, def.k, { seed: def.seed, nstart: def.nstart }).cluster;
  const typeOf = new Map(use.map((i, j) => [i, clusters[j]]));
  const labels = def.indicators.map((k) => names[k]);
  const profiles = describeTypes(z.data, clusters, labels);
  return {
    definition: def,
    rows: areas.map((c, i) => {
      const missing = missingOf[i];
      if (!missing) return { area: c, type: typeOf.get(i) ?? null, excluded: reason[i] };
      const why = noValueFor(missing);
      return {
        area: c,
        type: typeOf.get(i) ?? null,
        excluded: reason[i],
        missing,
        excludedCode: why.code,
        excludedParams: why.params,
      };
    }),
    types: profiles.map((p) => ({
      type: Number(p.type),
      n: p.n,
      description: p.description,
      means: Object.fromEntries(def.indicators.map((k, j) => [k, p.means[j]])),
    })),
    diagnostics: clusterDiagnostics(z.data, {
      method: def.method,
      kMin: 2,
      kMax: Math.min(10, use.length - 1),
      tree,
      seed: def.seed,
      nstart: def.nstart,
    }),
  };
}

const CLASS_SUFFIX = '_klasse';
const SCORE_SUFFIX = '_wert';

/**
 * Stores an index definition (a new version when it changed) and its results for the period as
 * derived indicators `<key>_wert` (score) and `<key>_klasse` (class number), which the monitor,
 * profiles, time series and exports show like any other indicator, with their lineage. The
 * derived indicators are as restricted as the most restricted input.
 */
export async function saveIndex(
  db: Database,
  who: Principal,
  input: unknown,
  o: { period?: string; file?: string } = {},
): Promise<SavedIndex> {
  if (who.kind === 'anonymous') throw new Unauthorized();
  if (who.kind === 'user' && who.role === 'viewer') throw new Forbidden(coded('viewers-cannot-save-indices'));
  let answer = await computeIndexFor(db, who, input, o);
  const def = answer.definition;
  const s = await snapshot(db);
  const inputs = [
    ...def.components.map((c) => c.indicator),
    ...(def.exclude.minBase ? [def.exclude.minBase.indicator] : []),
  ];
  const guard = combineGuards(
    def.key,
    inputs.map((k) => guardOf(s, s.indicatorByKey.get(k)!)),
  );
  // A stored index is read by everyone its guard admits: it rests on the inputs as the least
  // privileged of them sees them, so no withheld (disclosure-controlled) value enters it.
  const reader = leastReader(who, guard.confidentiality);
  if (reader !== who && inputs.some((k) => protectedInputs(s, k))) answer = await computeIndexFor(db, reader, input, o);
  const layer = s.layerByKey.get(def.layer)!;
  const periodKey = parsePeriod(answer.period)!.key;
  const stored = { ...def, version: undefined };
  return db.transaction(async (tx) => {
    const latest = await latestIndexVersion(tx, def.key, stored);
    const same = !!latest?.same;
    let version = latest?.version ?? 0;
    if (!same) {
      version += 1;
      await insertIndexDefinition(tx, def.key, version, stored, principalName(who));
    }
    const lineage = {
      kind: 'index',
      definition: def.key,
      version,
      inputs,
      period: periodKey,
      inputPeriods: answer.componentPeriods,
      layer: def.layer,
      labels: def.classes && 'labels' in def.classes ? def.classes.labels : null,
    };
    const scoreKey = def.key + SCORE_SUFFIX;
    const classKey = def.classes ? def.key + CLASS_SUFFIX : null;
    for (const k of [scoreKey, classKey].filter((x): x is string => !!x)) {
      const existing = await indicatorLineage<{ definition?: string }>(tx, k);
      if (existing !== undefined && existing?.definition !== def.key)
        throw new Conflict(coded('indicator-not-from-index', { indicator: k, index: def.key }));
    }
    const methodology = `Zusammengesetzter Index „${def.name}“ (Definition ${def.key}, Version ${version}) aus ${def.components.map((c) => `${c.indicator} (Gewicht ${c.weight}, Richtung ${c.direction})`).join(', ')}; Transformation ${def.transform.method}${def.restandardize ? ', erneut standardisiert' : ''}. Ausgeschlossene Gebiete erhalten keinen Wert.`;
    const derived = {
      description: def.description ?? null,
      owner: guard.owner ?? (who.kind === 'user' ? who.department : null),
      confidentiality: guard.confidentiality,
      methodology,
      themes: ['Indizes'],
      departments: guard.departments,
      lineage,
    };
    const scoreId = await upsertDerivedIndicator(tx, {
      ...derived,
      key: scoreKey,
      name: `${def.name} (Indexwert)`,
      unit: 'Indexwert',
      decimals: 2,
    });
    const classId = classKey
      ? await upsertDerivedIndicator(tx, {
          ...derived,
          key: classKey,
          name: `${def.name} (Klasse)`,
          unit: 'Klasse',
          decimals: 0,
        })
      : null;
    const period = parsePeriod(periodKey)!;
    const periodId = await storePeriod(tx, period);
    const lv = versionValidAt(s.versionsByLayer.get(layer.id) ?? [], period.end)!;
    const areaId = await areaIdsByCode(tx, lv.id);
    const batch = await startBatch(tx, 'index', def.key, { version, period: periodKey }, principalName(who));
    const values: DerivedValue[] = [];
    for (const r of answer.result.rows) {
      const a = areaId.get(r.area);
      if (a === undefined) continue;
      const reason = (v: number | null) => (v === null ? (r.excluded ?? 'reason-no-score') : null);
      values.push({ indicatorId: scoreId, areaId: a, value: r.score, reason: reason(r.score) });
      if (classId !== null) values.push({ indicatorId: classId, areaId: a, value: r.class, reason: reason(r.class) });
    }
    await replaceDerivedValues(tx, classId !== null ? [scoreId, classId] : [scoreId], periodId, batch, values);
    await finishBatch(tx, batch, {
      rowsRead: answer.result.rows.length,
      inserted: values.length,
      updated: 0,
      unchanged: 0,
    });
    await audit(tx, who, {
      action: 'index.save',
      objectType: 'index',
      objectKey: def.key,
      batchId: batch,
      details: { version, period: periodKey },
    });
    return {
      key: def.key,
      version,
      newVersion: !same,
      period: periodKey,
      indicators: { score: scoreKey, class: classKey },
      areas: answer.result.rows.length,
      scored: answer.result.rows.filter((r) => r.score !== null).length,
      confidentiality: guard.confidentiality,
    };
  });
}

/** The latest stored version of an index definition (for the "why is this area red?" breakdown). */
export async function storedIndex(
  db: Queryable,
  who: Principal,
  key: string,
): Promise<{ key: string; version: number; definition: IndexDefinition; createdBy: string; createdAt: string }> {
  const row = await latestIndexDefinition<IndexDefinition>(db, key);
  if (!row) throw new NotFound(coded('index-not-found', { index: key }));
  // Whoever may not read every input may not learn the definition either (same 401/404 rules).
  const s = await snapshot(db);
  for (const c of row.definition.components) await requireReadable(db, s, who, c.indicator);
  return { key, ...row };
}

/**
 * Compares two typologies of the same layer (cross table, adjusted Rand index) and integrates
 * them into one: cross-classified, sparse combinations joining the nearest type by profile.
 */
export async function compareTypologies(
  db: Queryable,
  who: Principal,
  inputA: unknown,
  inputB: unknown,
  o: { minSize?: number } = {},
): Promise<TypologyComparison> {
  const [ta, tb] = [await computeTypologyFor(db, who, inputA), await computeTypologyFor(db, who, inputB)];
  if (ta.definition.layer !== tb.definition.layer) {
    throw new InputRejected(
      [
        {
          severity: 'error',
          code: 'different-layers',
          reason: `the typologies classify different layers (${ta.definition.layer}, ${tb.definition.layer})`,
        },
      ],
      'Both typologies must classify the areas of the same layer.',
    );
  }
  const bType = new Map(tb.rows.map((r) => [r.area, r.type]));
  const areas = ta.rows.filter((r) => r.type !== null && bType.get(r.area) != null).map((r) => r.area);
  const a = areas.map((c) => ta.rows.find((r) => r.area === c)!.type);
  const b = areas.map((c) => bType.get(c)!);
  // Profiles for placing sparse combinations: the indicators of both typologies, standardised.
  const keys = [...new Set([...ta.definition.indicators, ...tb.definition.indicators])];
  const { areas: all, values } = await valuesByArea(db, who, keys, ta.definition.layer, ta.definition.period);
  const pos = new Map(all.map((c, i) => [c, i]));
  const complete = areas.every((c) => keys.every((k) => values[k][pos.get(c)!] !== null));
  const data = complete
    ? standardize(
        areas.map((c) => keys.map((k) => values[k][pos.get(c)!] as number)),
        'population',
        keys,
      ).data
    : undefined;
  return {
    a: { key: ta.definition.key, layer: ta.definition.layer, period: ta.definition.period },
    b: { key: tb.definition.key, layer: tb.definition.layer, period: tb.definition.period },
    areas: areas.length,
    adjustedRandIndex: adjustedRandIndex(a, b),
    crossTable: crossTable(a, b),
    merged: mergeTypologies(a, b, { data, minSize: o.minSize }),
  };
}

/**
 * Saves a typology as a derived categorical indicator `<key>_typ` (the type number per area;
 * the descriptions of the types are in its lineage), so the atlas shows a map of the types.
 */
export async function saveTypology(
  db: Database,
  who: Principal,
  input: unknown,
  o: { file?: string } = {},
): Promise<SavedTypologyAnswer> {
  if (who.kind === 'anonymous') throw new Unauthorized();
  if (who.kind === 'user' && who.role === 'viewer') throw new Forbidden(coded('viewers-cannot-save-typologies'));
  let t = await computeTypologyFor(db, who, input, o);
  const def = t.definition;
  const s = await snapshot(db);
  const guard = combineGuards(
    def.key,
    def.indicators.map((k) => guardOf(s, s.indicatorByKey.get(k)!)),
  );
  const reader = leastReader(who, guard.confidentiality);
  if (reader !== who && def.indicators.some((k) => protectedInputs(s, k)))
    t = await computeTypologyFor(db, reader, input, o);
  const key = `${def.key}_typ`;
  const periodKey = parsePeriod(def.period)!.key;
  const lineage = {
    kind: 'typology',
    definition: def,
    types: t.types.map((x) => ({ type: x.type, n: x.n, description: x.description })),
    period: periodKey,
    layer: def.layer,
    inputs: def.indicators,
  };
  return db.transaction(async (tx) => {
    const existing = await indicatorLineage<{ kind?: string; definition?: { key?: string } }>(tx, key);
    if (existing !== undefined && existing?.definition?.key !== def.key)
      throw new Conflict(coded('indicator-not-this-typology', { indicator: key }));
    const methodology = `Typisierung „${def.name}“ (${def.method === 'ward' ? 'Ward, ward.D2' : 'k-means'}, ${def.k} Typen) aus ${def.indicators.join(', ')} (z-standardisiert). ${t.types.map((x) => `Typ ${x.type}: ${x.description}`).join(' ')}`;
    const indicatorId = await upsertDerivedIndicator(tx, {
      key,
      name: def.name,
      description: def.description ?? null,
      unit: 'Typ',
      owner: guard.owner ?? (who.kind === 'user' ? who.department : null),
      confidentiality: guard.confidentiality,
      methodology,
      themes: ['Typisierungen'],
      decimals: 0,
      departments: guard.departments,
      lineage,
    });
    const p = parsePeriod(periodKey)!;
    const periodId = await storePeriod(tx, p);
    const lv = versionValidAt(s.versionsByLayer.get(s.layerByKey.get(def.layer)!.id) ?? [], p.end)!;
    const areaId = await areaIdsByCode(tx, lv.id);
    const batch = await startBatch(tx, 'index', key, { typology: def.key, period: periodKey }, principalName(who));
    const kept = t.rows.filter((r) => areaId.has(r.area));
    await replaceDerivedValues(
      tx,
      [indicatorId],
      periodId,
      batch,
      kept.map((r) => ({
        indicatorId,
        areaId: areaId.get(r.area)!,
        value: r.type,
        reason: r.type === null ? (r.excluded ?? 'reason-no-type') : null,
      })),
    );
    await finishBatch(tx, batch, { rowsRead: t.rows.length, inserted: kept.length, updated: 0, unchanged: 0 });
    await audit(tx, who, {
      action: 'typology.save',
      objectType: 'typology',
      objectKey: def.key,
      batchId: batch,
      details: { period: periodKey, k: def.k },
    });
    return { key: def.key, indicator: key, period: periodKey, areas: kept.length, types: t.types.length };
  });
}
