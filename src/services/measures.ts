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
export { deleteMeasure, importMeasures } from './measures-import.ts';
export { exportMeasures, getMeasure, listMeasures, measureVocabulary, vocabularyTitle } from './measures-read.ts';
export {
  coverageOverTime,
  coverageToCsv,
  gapsToCsv,
  gapsToXlsx,
  measuresAgainstNeed,
  priorityAreas,
  setPriorityAreas,
} from './measures-need.ts';
