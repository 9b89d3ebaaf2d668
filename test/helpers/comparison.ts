// Small municipalities for the comparison tests: districts 01 and 02 (layer bezirk); a count with
// disclosure control (k = 3), its rate per 100 inhabitants, and an internal count.
import type { Database } from '../../src/store/db.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { addDistrictsAndDepartments } from './roles.ts';
import type { tempDir } from './files.ts';

/** One row per year from 2022: inhabitants and cases of districts 01 and 02. */
export async function fillComparisonCity(
  db: Database,
  tmp: ReturnType<typeof tempDir>,
  marker: string,
  rows: { ew: [number, number]; cases: [number, number] }[],
): Promise<void> {
  await addDistrictsAndDepartments(db, tmp);
  await importCatalogue(db, [
    {
      key: 'einwohner',
      name: 'Einwohner',
      unit: 'Personen',
      type: 'count',
      owner: 'statistik',
      confidentiality: 'public',
    },
    {
      key: 'faelle',
      name: 'Fälle',
      unit: 'Personen',
      type: 'count',
      owner: 'soziales',
      confidentiality: 'public',
      disclosure: { minFrequency: 3 },
    },
    {
      key: 'quote',
      name: 'Quote',
      unit: '%',
      type: 'ratio',
      numerator: { indicator: 'faelle' },
      denominator: { indicator: 'einwohner' },
      scale: 100,
      owner: 'soziales',
      confidentiality: 'public',
    },
    { key: 'intern', name: 'Intern', unit: 'Fälle', type: 'count', owner: 'soziales', confidentiality: 'internal' },
  ]);
  const lines = ['indicator;area;period;value'];
  rows.forEach((r, k) => {
    const year = 2022 + k;
    lines.push(
      `einwohner;01;${year};${r.ew[0]}`,
      `einwohner;02;${year};${r.ew[1]}`,
      `faelle;01;${year};${r.cases[0]}`,
      `faelle;02;${year};${r.cases[1]}`,
      `intern;01;${year};7`,
    );
  });
  await importObservations(db, tmp.file(`o_${marker}.csv`, lines.join('\n')), { principal: SYSTEM });
}
