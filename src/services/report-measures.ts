// The report block of the measures in an area: read from the registry with the reader's rights
// (the public sees public measures only), by default those running on the report's date.
import type { Queryable } from '../store/db.ts';
import type { Principal } from '../core/access.ts';
import type { BlockSpec, ResolvedBlock } from '../core/report/model.ts';
import { euroGerman, plannedTotal } from '../core/measures.ts';
import { listMeasures, vocabularyTitle } from './measures.ts';

const de = (iso: string | null) => (iso ? `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` : '…');

export async function resolveMeasuresBlock(
  db: Queryable,
  who: Principal,
  key: string,
  spec: Extract<BlockSpec, { type: 'measures' }>,
  areaName: string,
  date: string,
): Promise<Extract<ResolvedBlock, { type: 'measures' }>> {
  const title = await vocabularyTitle(db);
  // Located in the area on the date; without `all` only those running then.
  const list = await listMeasures(db, who, {
    layer: spec.layer,
    area: spec.area,
    ...(spec.field ? { field: spec.field } : {}),
    ...(spec.all ? {} : { at: date }),
  });
  const rows = [...list]
    .sort(
      (a, b) =>
        (a.actual.start ?? a.planned.start ?? '').localeCompare(b.actual.start ?? b.planned.start ?? '') ||
        a.title.localeCompare(b.title, 'de'),
    )
    .map((m) => {
      const used = m.actual.start !== null || m.actual.end !== null ? m.actual : m.planned;
      const planned = m.budget.some((b) => b.plannedCents !== null) ? plannedTotal(m) : null;
      return {
        title: m.title,
        department: m.departmentName ?? m.department,
        status: m.status,
        period: `${de(used.start)} – ${de(used.end)}`,
        fields: m.fields.map((c) => title('handlungsfeld', c)).join(', '),
        budget: planned === null ? null : euroGerman(planned),
        cents: planned,
      };
    });
  const stated = rows.filter((r) => r.cents !== null);
  return {
    key,
    type: 'measures',
    title: spec.title,
    areaName,
    scope: spec.all ? 'alle' : `am ${de(date)} laufend`,
    field: spec.field ? title('handlungsfeld', spec.field) : null,
    rows: rows.map(({ cents: _, ...r }) => r),
    budget: stated.length ? euroGerman(stated.reduce((t, r) => t + r.cents!, 0)) : null,
    withoutBudget: rows.length - stated.length,
  };
}
