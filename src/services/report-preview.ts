// The editor's live preview: an unsaved definition resolved on current data with the editor's
// own rights and rendered as the reader view's HTML. Nothing is stored. Blocks whose shape or
// query is wrong are left out of the document and named in the problems, so that the rest of
// the report stays visible while one block is being written.
import type { Database } from '../store/db.ts';
import type { Principal } from '../core/access.ts';
import { definitionProblems, type ReportDefinition } from '../core/report/model.ts';
import { renderHtml } from '../formats/report-html.ts';
import {
  designOf,
  parameterSets,
  requireReport,
  requireWrite,
  resolveDefinition,
  ReportReader,
  type BlockProblem,
} from './reports.ts';
import type { DraftDefinition, ReportPreview } from '../contracts/answers/index.ts';
export type { DraftDefinition, ReportPreview };

export async function previewReport(
  db: Database,
  who: Principal,
  key: string,
  draft: DraftDefinition,
  o: { area?: string } = {},
): Promise<ReportPreview> {
  const r = await requireReport(db, key);
  requireWrite(who, r);
  const d: ReportDefinition = { ...draft, key, owner: r.owner, parameters: draft.parameters ?? r.parameters };
  const shape = definitionProblems(d);
  const sectionOf = new Map(d.sections.flatMap((s) => s.blocks.map((b) => [b.key, s.title] as const)));
  const problems: BlockProblem[] = shape.map((p) => ({
    block: p.block,
    section: sectionOf.get(p.block) ?? '',
    reason: p.reason,
    code: p.code,
    params: p.params,
  }));
  const broken = new Set(shape.map((p) => p.block).filter(Boolean));
  const usable: ReportDefinition = {
    ...d,
    title: d.title.trim() || key,
    sections: d.sections.map((s) => ({ ...s, blocks: s.blocks.filter((b) => !broken.has(b.key)) })),
  };
  const [params] = r.parameters.length
    ? await parameterSets(db, key, o.area ? { area: o.area } : { allAreas: true })
    : [{}];
  const resolved: BlockProblem[] = [];
  const { doc } = await resolveDefinition(new ReportReader(db, who), usable, params ?? {}, resolved);
  problems.push(...resolved);
  const order = d.sections.flatMap((s) => s.blocks.map((b) => b.key));
  problems.sort((a, b) => order.indexOf(a.block) - order.indexOf(b.block));
  return { html: renderHtml(doc, await designOf(db)), problems, params: params ?? {} };
}
