// Answers about reports (GET /api/reports, /api/reports/{key}, the preview, releases, templates).
// A report's definition is core's type (src/core/report/model.ts): the answer carries it as stored.
import type { ParamValue } from '../codes/index.ts';
import type { ReportStatus } from '../vocabulary.ts';
import type { ReportDefinition } from '../../core/report/model.ts';

export interface TemplateInfo {
  key: string;
  title: string;
  description: string;
  parameters: { name: string; layer: string }[];
}

export interface ReportInfo {
  key: string;
  title: string;
  owner: string | null;
  template: string | null;
  status: ReportStatus;
  parameters: { name: string; layer: string }[];
  releases: { number: number; publishedAt: string; changeNote: string | null; documents: number }[];
}

export interface PublishResult {
  number: number;
  documents: { params: Record<string, string>; contentHash: string }[];
}

export interface ReleaseInfo {
  number: number;
  params: Record<string, string>;
  contentHash: string;
  dataVersions: Record<string, number>;
  changeNote: string | null;
  publishedAt: string;
  /** Whether the stored document still has its hash. */
  intact: boolean;
}

/** A block's problem: `reason` in English; `code` and `params` (src/contracts/codes) word it in the editor's language. */
export interface BlockProblem {
  block: string;
  section: string;
  reason: string;
  code?: string;
  params?: Record<string, ParamValue>;
}

export type DraftDefinition = Omit<ReportDefinition, 'key' | 'owner' | 'parameters'> & {
  parameters?: ReportDefinition['parameters'];
};

export interface ReportPreview {
  html: string;
  /** Per block (empty `block`: the report or a section) what keeps it out of the document. */
  problems: BlockProblem[];
  /** The parameters the preview was resolved with (the first area when none was chosen). */
  params: Record<string, string>;
}

/** GET /api/reports/{key}: the report with its stored definition and that definition's version. */
export type ReportDetail = ReportInfo & { definition: ReportDefinition; version: number };
