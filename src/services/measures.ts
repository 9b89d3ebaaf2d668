// Use cases of the measure registry (issue #17): import (360Giving JSON or flat CSV, the
// department template as CSV/XLSX, Decidim accountability CSV — all or nothing, positioned
// errors), export, list, history, and the analyses against need (per area, gaps, overlaps,
// coverage) and priority areas. Departments own their measures (canWrite as for data); a
// measure is read as data of its confidentiality (canRead); every change is in the audit trail
// and in the measure's history.
//
// The use cases live in files by concern; this module gathers them: measures-files.ts (reading
// the file formats), measures-import.ts, measures-read.ts, measures-need.ts (need, coverage and
// priority areas) and measures-common.ts (what they share).
export type { ImportMeasuresOptions, MeasureFormat } from './measures-files.ts';
export { TEMPLATE_COLUMNS } from './measures-files.ts';
export type { ImportMeasuresResult } from './measures-import.ts';
export { deleteMeasure, importMeasures } from './measures-import.ts';
export { guardOfMeasure } from './measures-common.ts';
export type { GoalProgress, MeasureListFilter } from './measures-read.ts';
export { exportMeasures, getMeasure, listMeasures, measuresTemplateCsv, measureVocabulary, readableMeasures, vocabularyTitle } from './measures-read.ts';
export type { GapRow, NeedAnswer, NeedOptions } from './measures-need.ts';
export { coverageOverTime, coverageToCsv, gapsToCsv, gapsToXlsx, measuresAgainstNeed, priorityAreas, setPriorityAreas } from './measures-need.ts';
