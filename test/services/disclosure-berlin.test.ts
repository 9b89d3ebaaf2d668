// Disclosure control on a real Berlin structure (../shared/data/berlin, read at test time):
// 542 planning areas → 58 forecast areas → 12 districts, with a count of cases by sex whose
// values (derived from the planning-area codes) are small in many planning areas, under a rule
// k = 3; the real population file has no counts of 1 or 2 (the source publishes none). The public
// gets no count of 1 or 2 on any layer or breakdown, and the attacker audit over every layer and
// every combination finds no withheld cell recomputable.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { tempDir } from '../helpers/files.ts';
import type { Database } from '../../src/store/db.ts';
import { ANONYMOUS, SYSTEM } from '../../src/core/access.ts';
import { engines, openEngine, BERLIN, berlinGate } from '../helpers/db.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { getObservations } from '../../src/services/query.ts';
import { auditIndicator } from '../../src/services/disclosure.ts';

const AGE = ['unter6', '6-15', '15-18', '18-27', '27-45', '45-55', '55-65', '65undmehr'];

const IND = 'faelle';
const SEX = ['w', 'm'];

describe('disclosure control on real Berlin structures [pglite]', berlinGate(), () => {
  let db: Database;
  const tmp = tempDir();
  before(async () => {
    db = await openEngine(engines[0]);
    await importAreas(db, join(BERLIN, 'bezirke.geojson'), { layer: 'bezirk', layerName: 'Bezirke' });
    await importAreas(db, join(BERLIN, 'prognoseraeume-2021-epsg25833.geojson'), {
      layer: 'prognoseraum',
      parentLayer: 'bezirk',
      parentPrefix: 2,
      validFrom: '2021-01-01',
    });
    await importAreas(db, join(BERLIN, 'lor-2021.csv'), {
      layer: 'planungsraum',
      codeProp: 'Planungsraum (Nummer)',
      nameProp: 'Planungsraum (Name)',
      parentLayer: 'prognoseraum',
      parentProp: 'Prognoseraum (Nummer)',
      validFrom: '2021-01-01',
    });
    await importCatalogue(db, {
      dimensions: [{ key: 'altersgruppe', name: 'Altersgruppe', members: AGE }],
      indicators: [
        {
          key: 'einwohner',
          name: 'Einwohner',
          unit: 'Personen',
          type: 'count',
          dimensions: ['altersgruppe'],
          confidentiality: 'public',
          owner: 'statistik',
          disclosure: { minFrequency: 3 },
        },
        {
          key: IND,
          name: 'Fälle',
          unit: 'Personen',
          type: 'count',
          dimensions: ['geschlecht'],
          confidentiality: 'public',
          owner: 'jugend',
          disclosure: { minFrequency: 3 },
        },
      ],
    });
    // Cases per planning area and sex: small numbers in many areas, from the real codes.
    const codes = readFileSync(join(BERLIN, 'einwohner-plr-2022-06.csv'), 'utf8')
      .split(/\r?\n/)
      .slice(1)
      .filter(Boolean)
      .map((l) => l.trim().split(';').pop()!);
    const lines = [
      'indicator;area;period;geschlecht;value',
      ...codes.flatMap((c, k) => SEX.map((g, j) => `${IND};${c};2022-06-30;${g};${(k * 7 + j * 3) % 9}`)),
    ];
    await importObservations(db, tmp.file('faelle.csv', lines.join('\n') + '\n'), { layer: 'planungsraum' });
    await importObservations(db, join(BERLIN, 'einwohner-plr-2022-06.csv'), {
      layer: 'planungsraum',
      areaColumn: 'PLR-ID',
      period: '30.06.2022',
      map: AGE.map((a) => `${a}=einwohner[altersgruppe=${a}]`),
    });
  });
  after(async () => {
    await db?.close();
    tmp.cleanup();
  });

  test('the public gets no count of 1 or 2 on any layer and age group', async () => {
    let protectedCells = 0;
    for (const layer of ['planungsraum', 'prognoseraum', 'bezirk']) {
      for (const a of [undefined, ...SEX]) {
        const filter = a ? { geschlecht: a } : undefined;
        const pub = await getObservations(db, { indicator: IND, layer, period: '2022-06-30', filter }, ANONYMOUS);
        assert.deepEqual(
          pub.values.filter((v) => v.value !== null && v.value > 0 && v.value < 3).map((v) => v.area),
          [],
          `${layer} ${a ?? 'total'}`,
        );
        const all = await getObservations(db, { indicator: IND, layer, period: '2022-06-30', filter }, SYSTEM);
        protectedCells += all.values.filter((v) => v.disclosure).length;
      }
    }
    assert.ok(protectedCells > 0, 'real small planning areas have counts to protect');
  });

  test('the attacker audit over every layer and combination finds no recomputable cell', async () => {
    const r = await auditIndicator(db, SYSTEM, IND, '2022-06-30', { audit: true });
    const rep = r.reports[0];
    assert.ok(rep.cells > 542 * 3, `cells ${rep.cells}`);
    assert.ok(rep.primary > 100, `primary ${rep.primary}`);
    assert.deepEqual(
      rep.audit!.intervals.filter((x) => !x.safe).map((x) => x.cell),
      [],
    );
    // The real population by age group under the same rule: audited as a whole, too.
    const ew = (await auditIndicator(db, SYSTEM, 'einwohner', '2022-06-30', { audit: true })).reports[0];
    assert.ok(ew.cells > 542 * 9, `cells ${ew.cells}`);
    assert.equal(ew.audit!.safe, true);
  });
});
