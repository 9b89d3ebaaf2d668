// What the measure use cases share: the access guard of a measure (read as data of its
// confidentiality), and the readable measures located in the areas of a layer, kept per read snapshot.
import type { Queryable } from '../store/db.ts';
import { canRead, type Principal } from '../core/access.ts';
import { InputRejected, NotFound, layerWithoutVersion } from '../core/problems.ts';
import type { Measure, MeasureInAreas } from '../core/measures.ts';
import { parsePeriod } from '../core/periods.ts';
import { versionValidAt } from '../store/catalog.ts';
import {
  relatedAreaCodes,
  selectMeasuresForAnalysis,
  type AnalysisPrefilter,
  type MeasureForAnalysis,
} from '../store/measures.ts';
import { snapshot, type Snapshot } from './snapshot.ts';
import { requireLayer } from './query.ts';

export function guardOfMeasure(m: Pick<Measure, 'key' | 'confidentiality' | 'department'>) {
  return { key: m.key, confidentiality: m.confidentiality, owner: m.department, departments: [], draft: false };
}

export function isoDate(text: string, option: string): string {
  const p = parsePeriod(text);
  if (!p || p.type !== 'date')
    throw new InputRejected(
      [
        {
          severity: 'error',
          code: 'bad-date',
          column: option,
          value: text,
          reason: 'not a date',
          hint: 'write 2024-06-30 or 30.06.2024',
        },
      ],
      `${option}: "${text}" is not a date; write 2024-06-30.`,
    );
  return p.key;
}

/** Each measure with the area codes of a layer it works in (boundary version valid on `at`). */
export async function measuresInLayer(
  db: Queryable,
  list: MeasureForAnalysis[],
  layer: string,
  at?: string,
): Promise<MeasureInAreas[]> {
  const s = await snapshot(db);
  const target = requireLayer(s, layer);
  const tv = versionValidAt(s.versionsByLayer.get(target.id) ?? [], at ?? null);
  if (!tv) throw new NotFound(layerWithoutVersion(layer, at));
  const related = new Map<string, Map<string, string[]>>();
  const relatedOf = async (from: string) => {
    if (related.has(from)) return related.get(from)!;
    const l = s.layerByKey.get(from);
    const fv = l ? versionValidAt(s.versionsByLayer.get(l.id) ?? [], at ?? null) : undefined;
    const map = new Map<string, string[]>();
    if (fv)
      for (const p of await perSnapshot(db, `related|${fv.id}|${tv.id}`, () => relatedAreaCodes(db, fv.id, tv.id)))
        (map.get(p.from) ?? map.set(p.from, []).get(p.from)!).push(p.to);
    related.set(from, map);
    return map;
  };
  const out: MeasureInAreas[] = [];
  for (const m of list) {
    const areas = new Set<string>();
    for (const l of m.locations) {
      if (l.kind === 'area') {
        if (l.layer === layer) areas.add(l.code!);
        else for (const c of (await relatedOf(l.layer!)).get(l.code!) ?? []) areas.add(c);
      } else if (l.codes[layer]) areas.add(l.codes[layer]);
    }
    out.push({
      key: m.key,
      status: m.status,
      planned: m.planned,
      actual: m.actual,
      fields: m.fields,
      targetGroups: m.targetGroups,
      department: m.department,
      areas: [...areas],
      budgetCents: m.budgetCents,
    });
  }
  return out;
}

// The analysis rows and hierarchy relations are kept per read snapshot: every change of measures
// writes an import batch, which gives the next request a new snapshot (services/snapshot.ts).
const analysisCache = new WeakMap<Snapshot, Map<string, unknown>>();

async function perSnapshot<T>(db: Queryable, key: string, load: () => Promise<T>): Promise<T> {
  const s = await snapshot(db);
  const m = analysisCache.get(s) ?? analysisCache.set(s, new Map()).get(s)!;
  if (!m.has(key)) {
    // Keys carry a request's filters and date; a caller cycling them must not grow this without bound.
    if (m.size >= 256) m.clear();
    m.set(key, await load());
  }
  return m.get(key) as T;
}

/** The measures the principal may read, reduced to what the analyses need (budget of `year`). */
export async function readableForAnalysis(
  db: Queryable,
  who: Principal,
  year: number,
  pre: AnalysisPrefilter = {},
): Promise<MeasureForAnalysis[]> {
  const rows = await perSnapshot(db, `rows|${year}|${JSON.stringify(pre)}`, () =>
    selectMeasuresForAnalysis(db, year, pre),
  );
  return rows.filter((m) => canRead(who, guardOfMeasure(m)) === 'ok');
}
