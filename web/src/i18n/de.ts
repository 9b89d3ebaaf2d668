// German UI text (the default), one file per feature in de/. Keys are shared with en.ts; {name} marks a placeholder.
import { common } from './de/common.ts';
import { atlas } from './de/atlas.ts';
import { cockpit } from './de/cockpit.ts';
import { analysis } from './de/analysis.ts';
import { spatial } from './de/spatial.ts';
import { reports } from './de/reports.ts';
import { measures } from './de/measures.ts';
import { youth } from './de/youth.ts';
import { sealedOffice } from './de/sealed-office.ts';
import { comparison } from './de/comparison.ts';
import { accounts } from './de/accounts.ts';
import { admin } from './de/admin.ts';

export const de = {
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
} as const;

export type Key = keyof typeof de;
