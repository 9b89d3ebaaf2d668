// Measures against need: per area, gaps, overlaps and coverage over time; and the priority areas.
import type { Database, Queryable } from '../store/db.ts';
import { principalName, type Principal } from '../core/access.ts';
import { Conflict, Forbidden, InputRejected, NotFound, Unauthorized } from '../core/problems.ts';
import {
  coverageOf,
  measuresPerArea,
  overlapsOf,
  rankByNeed,
  resolveClasses,
  euroText,
  type Coverage,
  type MeasureFilter,
  type NeedArea,
} from '../core/measures.ts';
import { csvLine, type Delimiter } from '../formats/csv-write.ts';
import { areaNames, currentAreaCodes, versionValidAt } from '../store/catalog.ts';
import { startBatch, finishBatch } from '../store/batches.ts';
import {
  insertPriorityVersion,
  loadVocabulary,
  selectPriorityVersions,
  type PriorityVersion,
} from '../store/measures.ts';
import { audit } from './audit.ts';
import { snapshot } from './snapshot.ts';
import { getObservations, periodsOf, requireLayer, requireReadable } from './query.ts';
import { coded } from '../contracts/codes/index.ts';
import { isoDate, measuresInLayer, readableForAnalysis } from './measures-common.ts';
import type { NeedAnswer } from '../contracts/answers/index.ts';
export type { NeedAnswer };

export interface NeedOptions extends MeasureFilter {
  layer: string;
  /** An indicator whose values are need classes (e.g. status_klasse of a saved index), or a priority-area key "priority:KEY". */
  need?: string;
  /** Class labels or numbers counting as high need (with `need`). */
  classes?: string[];
  at: string;
}

/** The latest period of an indicator ending on or before `date` (else its earliest). */
function periodFor(s: Awaited<ReturnType<typeof snapshot>>, key: string, date: string): string | undefined {
  const i = s.indicatorByKey.get(key);
  if (!i) return undefined;
  const list = periodsOf(s, i);
  const before = list.filter((p) => p.end <= date);
  return (before[before.length - 1] ?? list[0])?.key;
}

/** Every area of the layer with its need class, target population and running measures. */
export async function measuresAgainstNeed(db: Queryable, who: Principal, o: NeedOptions): Promise<NeedAnswer> {
  const at = isoDate(o.at, '--at');
  const s = await snapshot(db);
  requireLayer(s, o.layer);
  const vocab = await loadVocabulary(db);
  if (o.field && !vocab.some((v) => v.kind === 'handlungsfeld' && v.code === o.field))
    throw new InputRejected([
      {
        severity: 'error',
        code: 'unknown-field',
        column: '--field',
        value: o.field,
        reason: 'unknown field of action',
        hint: vocab
          .filter((v) => v.kind === 'handlungsfeld')
          .map((v) => v.code)
          .join(', '),
      },
    ]);
  const group = o.targetGroup ? vocab.find((v) => v.kind === 'zielgruppe' && v.code === o.targetGroup) : undefined;
  if (o.targetGroup && !group)
    throw new InputRejected([
      {
        severity: 'error',
        code: 'unknown-target-group',
        column: '--target-group',
        value: o.targetGroup,
        reason: 'unknown target group',
        hint: vocab
          .filter((v) => v.kind === 'zielgruppe')
          .map((v) => v.code)
          .join(', '),
      },
    ]);

  // Need: classes of an indicator, or a priority-area version.
  let needClass = new Map<string, number | null>();
  let labels: string[] | null = null;
  let order: number[] = [];
  let needPeriod: string | null = null;
  let priority: string | null = null;
  let high: (code: string) => boolean = () => true;
  if (o.need?.startsWith('priority:')) {
    priority = o.need.slice('priority:'.length);
    const v = priorityAt(await selectPriorityVersions(db, priority), at);
    if (!v) throw new NotFound(coded('priority-areas-no-version', { priority: priority, date: at }));
    if (v.layer !== o.layer)
      throw new Conflict(
        coded('priority-areas-other-layer', { priority: priority, layer: v.layer, requested: o.layer }),
      );
    const set = new Set(v.codes);
    high = (c) => set.has(c);
    order = [1];
    for (const c of v.codes) needClass.set(c, 1);
  } else if (o.need) {
    const ind = await requireReadable(db, s, who, o.need);
    const lineage = ind.lineage as { labels?: string[] | null; types?: { type: number; description: string }[] } | null;
    labels = lineage?.labels ?? null;
    needPeriod = periodFor(s, o.need, at) ?? null;
    if (!needPeriod)
      throw new InputRejected([
        { severity: 'error', code: 'no-data', column: '--need', value: o.need, reason: `"${o.need}" has no values` },
      ]);
    const obs = await getObservations(db, { indicator: o.need, layer: o.layer, period: needPeriod, at }, who);
    needClass = new Map(obs.values.map((v) => [v.area, v.value === null ? null : Math.round(v.value)]));
    const classes = o.classes?.length ? o.classes : [];
    const r = resolveClasses(classes, labels);
    if (r.unknown.length)
      throw new InputRejected([
        {
          severity: 'error',
          code: 'unknown-class',
          column: '--classes',
          value: r.unknown.join(', '),
          reason: `not a class of "${o.need}"`,
          params: { indicator: o.need },
          hint: labels
            ? `the classes are: ${labels.join(', ')} (or their numbers 1–${labels.length})`
            : 'give class numbers',
        },
      ]);
    order = [...r.numbers];
    if (order.length) high = (c) => order.includes(needClass.get(c) ?? NaN);
  }

  // Target population per area.
  let popPeriod: string | null = null;
  const population = new Map<string, number | null>();
  if (group?.population) {
    popPeriod = periodFor(s, group.population.indicator, at) ?? null;
    if (popPeriod) {
      try {
        const p = await getObservations(
          db,
          {
            indicator: group.population.indicator,
            layer: o.layer,
            period: popPeriod,
            filter: group.population.filter,
            at,
          },
          who,
        );
        for (const v of p.values) population.set(v.area, v.value);
      } catch (e) {
        if (!(e instanceof NotFound || e instanceof Unauthorized || e instanceof InputRejected)) throw e;
      }
    }
  }

  const lv = versionValidAt(s.versionsByLayer.get(s.layerByKey.get(o.layer)!.id) ?? [], at)!;
  const areaRows = await areaNames(db, lv.id);
  const areas: NeedArea[] = areaRows.map((a) => ({
    code: a.code,
    name: a.name,
    needClass: needClass.get(a.code) ?? null,
    targetPopulation: population.get(a.code) ?? null,
  }));
  const pre = { field: o.field, targetGroup: o.targetGroup, department: o.department, status: o.status, runningOn: at };
  const measures = await measuresInLayer(
    db,
    await readableForAnalysis(db, who, Number(at.slice(0, 4)), pre),
    o.layer,
    at,
  );
  const all = measuresPerArea(areas, measures, at, {
    field: o.field,
    targetGroup: o.targetGroup,
    department: o.department,
    status: o.status,
  });
  const label = (c: number | null) => (c === null ? null : priority ? priority : (labels?.[c - 1] ?? String(c)));
  const rows = rankByNeed(
    all.filter((r) => high(r.code)),
    order,
  ).map((r) => ({ ...r, needLabel: label(r.needClass) }));
  return {
    layer: o.layer,
    at,
    need: { indicator: priority ? null : (o.need ?? null), period: needPeriod, classes: o.classes ?? [], priority },
    targetGroup: group
      ? {
          code: group.code,
          population: group.population
            ? `${group.population.indicator}${
                Object.keys(group.population.filter).length
                  ? `[${Object.entries(group.population.filter)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(',')}]`
                  : ''
              }`
            : null,
          period: popPeriod,
        }
      : null,
    rows,
    coverage: coverageOf(rows, at),
    overlaps: overlapsOf(rows).map((r) => ({ ...r, needLabel: label(r.needClass) })),
  };
}

/** `measures gaps --format csv`: area, name, need_class, running_measures, budget (ranked by need). */
export function gapsToCsv(a: NeedAnswer, delimiter: Delimiter = ';'): string {
  const dec = delimiter === ';' ? ',' : '.';
  const lines = [csvLine(['area', 'name', 'need_class', 'running_measures', 'budget'], delimiter)];
  for (const r of a.rows)
    lines.push(
      csvLine([r.code, r.name, r.needLabel ?? '', r.runningMeasures, euroText(r.budgetCents, dec)], delimiter),
    );
  return lines.join('\n') + '\n';
}

/**
 * The same table as an Excel workbook: codes as text, euros as numbers with two decimals, and a
 * sheet saying what was asked (layer, date, need, filters), the coverage and the source.
 */
export async function gapsToXlsx(a: NeedAnswer, filter: MeasureFilter = {}): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Kommunalmonitor';
  const ws = wb.addWorksheet('Lücken');
  ws.columns = [
    { header: 'area', key: 'area', width: 12 },
    { header: 'name', key: 'name', width: 28 },
    { header: 'need_class', key: 'need', width: 16 },
    { header: 'running_measures', key: 'running', width: 16 },
    { header: 'budget (EUR)', key: 'budget', width: 16 },
    { header: 'target_population', key: 'population', width: 16 },
    { header: 'budget_per_head (EUR)', key: 'perHead', width: 18 },
    { header: 'measures', key: 'measures', width: 60 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const r of a.rows) {
    const row = ws.addRow({
      area: r.code,
      name: r.name,
      need: r.needLabel ?? '',
      running: r.runningMeasures,
      budget: r.budgetCents / 100,
      population: r.targetPopulation,
      perHead: r.budgetPerHead,
      measures: r.measures.join(', '),
    });
    row.getCell('area').numFmt = '@';
    row.getCell('budget').numFmt = '#,##0.00';
    row.getCell('perHead').numFmt = '#,##0.00';
  }
  const meta = wb.addWorksheet('Metadaten');
  meta.columns = [{ width: 28 }, { width: 80 }];
  const c = a.coverage;
  const rows: [string, string][] = [
    ['Ebene (layer)', a.layer],
    ['Stichtag (at)', a.at],
    ['Bedarf (need)', a.need.priority ? `priority:${a.need.priority}` : (a.need.indicator ?? '—')],
    ['Zeitraum des Bedarfs', a.need.period ?? '—'],
    ['Klassen hohen Bedarfs', a.need.classes.join(', ') || '—'],
    ['Handlungsfeld', filter.field ?? 'alle'],
    [
      'Zielgruppe',
      a.targetGroup
        ? `${a.targetGroup.code}${a.targetGroup.population ? ` (${a.targetGroup.population}, ${a.targetGroup.period ?? '—'})` : ''}`
        : 'alle',
    ],
    ['Fachbereich', filter.department ?? 'alle'],
    ['Stand der Maßnahme', filter.status ?? 'alle'],
    [
      'Erreichungsquote',
      c.share === null ? '—' : `${(c.share * 100).toFixed(1).replace('.', ',')} % (${c.reached} von ${c.population})`,
    ],
    ['Lücken', `${a.rows.filter((r) => r.runningMeasures === 0).length} von ${a.rows.length} Gebieten`],
    ['Quelle', 'Maßnahmenregister (Kommunalmonitor); Budget: Planwert des Jahres des Stichtags, je Gebiet anteilig'],
  ];
  for (const r of rows) meta.addRow(r).getCell(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The coverage over time as CSV: date;population;reached;share;areas;areas_reached (share in percent). */
export function coverageToCsv(rows: Coverage[], delimiter: Delimiter = ';'): string {
  const dec = delimiter === ';' ? ',' : '.';
  const lines = [csvLine(['date', 'population', 'reached', 'share', 'areas', 'areas_reached'], delimiter)];
  for (const c of rows)
    lines.push(
      csvLine(
        [
          c.date,
          c.population,
          c.reached,
          c.share === null ? '' : (c.share * 100).toFixed(1).replace('.', dec),
          c.areas,
          c.areasReached,
        ],
        delimiter,
      ),
    );
  return lines.join('\n') + '\n';
}

/** Coverage at several dates (a time series for leadership). */
export async function coverageOverTime(
  db: Queryable,
  who: Principal,
  o: Omit<NeedOptions, 'at'>,
  dates: string[],
): Promise<Coverage[]> {
  const out: Coverage[] = [];
  for (const d of dates) out.push((await measuresAgainstNeed(db, who, { ...o, at: d })).coverage);
  return out;
}

function priorityAt(versions: PriorityVersion[], date: string): PriorityVersion | undefined {
  let found: PriorityVersion | undefined;
  for (const v of versions) if (v.validFrom <= date) found = v;
  return found;
}

/**
 * Designates priority areas from a date on: by rule (areas of the layer whose class of
 * `indicator` is among `classes`, read on `validFrom`) or by hand (`codes`).
 */
export async function setPriorityAreas(
  db: Database,
  who: Principal,
  o: {
    key: string;
    name: string;
    layer: string;
    validFrom: string;
    indicator?: string;
    classes?: string[];
    codes?: string[];
  },
): Promise<PriorityVersion> {
  if (who.kind === 'anonymous') throw new Unauthorized();
  if (who.kind === 'user' && who.role !== 'admin' && who.role !== 'steward')
    throw new Forbidden(coded('priority-areas-forbidden'));
  if (!/^[a-z][a-z0-9_]*$/.test(o.key))
    throw new InputRejected([
      { severity: 'error', code: 'bad-key', value: o.key, reason: 'not a key', hint: 'lower case letters, digits, _' },
    ]);
  const validFrom = isoDate(o.validFrom, '--valid-from');
  let codes: string[];
  let rule: Record<string, unknown> | null = null;
  if (o.indicator) {
    const a = await measuresAgainstNeed(db, who, {
      layer: o.layer,
      need: o.indicator,
      classes: o.classes,
      at: validFrom,
    });
    codes = a.rows.map((r) => r.code).sort();
    rule = { indicator: o.indicator, classes: o.classes ?? [], period: a.need.period };
  } else {
    const known = await currentAreaCodes(db, o.layer);
    const bad = (o.codes ?? []).filter((c) => !known.has(c));
    if (bad.length)
      throw new InputRejected([
        {
          severity: 'error',
          code: 'unknown-area',
          column: '--areas',
          value: bad.join(', '),
          reason: `not an area of "${o.layer}"`,
        },
      ]);
    codes = [...new Set(o.codes ?? [])].sort();
  }
  const v: PriorityVersion = {
    key: o.key,
    name: o.name,
    layer: o.layer,
    validFrom,
    rule,
    codes,
    createdBy: principalName(who),
  };
  await db.transaction(async (tx) => {
    const batch = await startBatch(tx, 'measures', null, { priority: o.key, validFrom }, principalName(who));
    await insertPriorityVersion(tx, v);
    await finishBatch(tx, batch, { rowsRead: codes.length, inserted: 1, updated: 0, unchanged: 0 });
    await audit(tx, who, {
      action: 'priority-areas.set',
      objectType: 'priority_areas',
      objectKey: o.key,
      batchId: batch,
      details: { validFrom, layer: o.layer, areas: codes.length, rule },
    });
  });
  return v;
}

export async function priorityAreas(db: Queryable, key?: string): Promise<PriorityVersion[]> {
  return selectPriorityVersions(db, key);
}
