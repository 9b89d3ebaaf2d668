// English UI text, one file per feature in en/ (each must have every key of its German twin).
// Data (indicator, area and theme names) stays as the database has it.
import type { Key } from './de.ts';
import { common } from './en/common.ts';
import { atlas } from './en/atlas.ts';
import { cockpit } from './en/cockpit.ts';
import { analysis } from './en/analysis.ts';
import { spatial } from './en/spatial.ts';
import { reports } from './en/reports.ts';
import { measures } from './en/measures.ts';
import { youth } from './en/youth.ts';
import { sealedOffice } from './en/sealed-office.ts';
import { comparison } from './en/comparison.ts';
import { accounts } from './en/accounts.ts';
import { admin } from './en/admin.ts';

export const en: Record<Key, string> = {
  ...common,
  ...atlas,
  ...cockpit,
  ...analysis,
  ...spatial,
  ...reports,
  ...measures,
  ...youth,
  ...sealedOffice,
  ...comparison,
  ...accounts,
  ...admin,
};
