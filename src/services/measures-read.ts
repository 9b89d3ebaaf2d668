// Reading measures as data of their confidentiality (canRead): list, one with its history and
// goal progress, exports (360Giving, template CSV) and the vocabulary.
import type { Queryable } from '../store/db.ts';
import { canRead, type Principal } from '../core/access.ts';
import { InputRejected, NotFound, Unauthorized } from '../core/problems.ts';
import {
  MEASURE_STATUSES,
  isRunningOn,
  euroText,
  type Measure,
  type MeasureFilter,
  type StoredMeasure,
  type VocabularyEntry,
} from '../core/measures.ts';
import { grantsToFlatCsv, measuresPackage, type VocabularyTitle } from '../formats/giving360.ts';
import { csvLine } from '../formats/csv-write.ts';
import { loadVocabulary, selectHistory, selectMeasures, type HistoryRow } from '../store/measures.ts';
import { readSetting } from '../store/settings.ts';
import { getTimeSeries } from './query.ts';
import { coded } from '../contracts/codes/index.ts';
import { guardOfMeasure, isoDate, measuresInLayer, readableForAnalysis } from './measures-common.ts';
import { TEMPLATE_COLUMNS } from './measures-files.ts';

export interface MeasureListFilter extends MeasureFilter {
  /** Only measures running on this date. */
  at?: string;
  /** Only measures with a location in this area (layer + code, also through the hierarchy and points). */
  layer?: string;
  area?: string;
}

/** The measures the principal may read (restricted ones of other departments are left out). */
async function readableMeasures(db: Queryable, who: Principal): Promise<StoredMeasure[]> {
  return (await selectMeasures(db)).filter((m) => canRead(who, guardOfMeasure(m)) === 'ok');
}

export async function listMeasures(db: Queryable, who: Principal, f: MeasureListFilter = {}): Promise<StoredMeasure[]> {
  let list = await readableMeasures(db, who);
  if (f.status && !(MEASURE_STATUSES as readonly string[]).includes(f.status))
    throw new InputRejected([
      {
        severity: 'error',
        code: 'bad-status',
        value: f.status,
        reason: `unknown status`,
        hint: MEASURE_STATUSES.join(', '),
      },
    ]);
  list = list.filter(
    (m) =>
      (!f.field || m.fields.includes(f.field)) &&
      (!f.targetGroup || m.targetGroups.includes(f.targetGroup)) &&
      (!f.department || m.department === f.department) &&
      (!f.status || m.status === f.status),
  );
  if (f.at) {
    const d = isoDate(f.at, '--at');
    list = list.filter((m) => isRunningOn(m, d));
  }
  if (f.layer && f.area) {
    const date = f.at ? isoDate(f.at, '--at') : undefined;
    const inAreas = await measuresInLayer(
      db,
      await readableForAnalysis(db, who, Number((date ?? new Date().toISOString()).slice(0, 4)), { runningOn: date }),
      f.layer,
      date,
    );
    const keys = new Set(inAreas.filter((m) => m.areas.includes(f.area!)).map((m) => m.key));
    list = list.filter((m) => keys.has(m.key));
  }
  return list;
}

/** The progress of a goal linked to a catalogue indicator, read from the data for each area of the measure. */
export interface GoalProgress {
  goal: number;
  indicator: string;
  layer: string;
  area: string;
  points: { period: string; value: number | null; status: string }[];
}

export async function getMeasure(
  db: Queryable,
  who: Principal,
  key: string,
): Promise<StoredMeasure & { history: HistoryRow[]; progress: GoalProgress[] }> {
  const [m] = await selectMeasures(db, [key]);
  if (!m) throw new NotFound(coded('measure-not-found', { measure: key }));
  const d = canRead(who, guardOfMeasure(m));
  if (d === 'unauthenticated') throw new Unauthorized();
  if (d === 'hidden') throw new NotFound(coded('measure-not-found', { measure: key }));
  // Goals linked to catalogue indicators: their values in the measure's areas, with the caller's
  // rights (an indicator the caller may not read, or without data there, gives no progress).
  const progress: GoalProgress[] = [];
  for (const [g, goal] of m.goals.entries()) {
    if (!goal.indicator) continue;
    for (const l of m.locations) {
      if (l.kind !== 'area') continue;
      try {
        const ts = await getTimeSeries(db, { indicator: goal.indicator, layer: l.layer, area: l.code }, who);
        progress.push({
          goal: g,
          indicator: goal.indicator,
          layer: l.layer,
          area: l.code,
          points: ts.points.map((p) => ({ period: p.period, value: p.value, status: p.status })),
        });
      } catch (e) {
        if (!(e instanceof NotFound || e instanceof Unauthorized || e instanceof InputRejected)) throw e;
      }
    }
  }
  return { ...m, history: await selectHistory(db, key), progress };
}

const DEFAULT_PUBLISHER = { name: 'Kommunalmonitor' };

export async function vocabularyTitle(db: Queryable): Promise<VocabularyTitle> {
  const vocab = await loadVocabulary(db);
  const t = new Map(vocab.map((v) => [`${v.kind}:${v.code}`, v.title]));
  return (kind, code) => t.get(`${kind}:${code}`) ?? code;
}

/** The readable measures as a 360Giving package (JSON), its flat CSV, or the template CSV. */
export async function exportMeasures(
  db: Queryable,
  who: Principal,
  format: '360giving' | '360giving-csv' | 'csv',
): Promise<string> {
  const list = await readableMeasures(db, who);
  const title = await vocabularyTitle(db);
  if (format === 'csv') return measuresTemplateCsv(list, title);
  const pub =
    (await readSetting<{ name?: string; website?: string }>(db, 'publisher').catch(() => undefined)) ?? undefined;
  const pkg = measuresPackage(
    list,
    {
      title: 'Maßnahmen und Projekte',
      publisher: { name: pub?.name ?? DEFAULT_PUBLISHER.name, ...(pub?.website ? { website: pub.website } : {}) },
      issued: new Date().toISOString().slice(0, 10),
    },
    title,
  );
  if (format === '360giving') return JSON.stringify(pkg, null, 2) + '\n';
  return grantsToFlatCsv(pkg.grants as Record<string, unknown>[]);
}

/** The department template (";" and decimal comma), one row per measure, a budget column pair per year. */
function measuresTemplateCsv(list: Measure[], title: VocabularyTitle = (_k, c) => c): string {
  const years = [...new Set(list.flatMap((m) => m.budget.map((b) => b.year)))].sort();
  const head = [...TEMPLATE_COLUMNS, ...years.flatMap((y) => [`Budget ${y} geplant`, `Budget ${y} ausgegeben`])];
  const confText = { public: 'öffentlich', internal: 'intern', restricted: 'vertraulich' } as const;
  const lines = [csvLine(head)];
  for (const m of list) {
    const areas = m.locations.filter((l) => l.kind === 'area').map((l) => `${l.layer}:${l.code}`);
    const addresses = m.locations.filter((l) => l.kind === 'address').map((l) => l.address);
    lines.push(
      csvLine([
        m.key,
        m.title,
        m.description,
        m.department,
        m.provider?.id ?? '',
        m.provider?.name ?? '',
        m.programme?.title ?? m.programme?.code ?? '',
        m.fundingSource ?? '',
        m.status,
        m.planned.start ?? '',
        m.planned.end ?? '',
        m.actual.start ?? '',
        m.actual.end ?? '',
        m.fields.map((c) => title('handlungsfeld', c)).join(', '),
        m.targetGroups.map((c) => title('zielgruppe', c)).join(', '),
        areas.join(', '),
        addresses.join(' | '),
        confText[m.confidentiality],
        m.contact.role ?? '',
        m.contact.email ?? '',
        m.links.map((l) => l.url).join(' '),
        ...years.flatMap((y) => {
          const b = m.budget.find((x) => x.year === y);
          return [
            b?.plannedCents != null ? euroText(b.plannedCents, ',') : '',
            b?.spentCents != null ? euroText(b.spentCents, ',') : '',
          ];
        }),
      ]),
    );
  }
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export async function measureVocabulary(db: Queryable): Promise<VocabularyEntry[]> {
  return loadVocabulary(db);
}
