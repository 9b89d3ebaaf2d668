// Real open data of Berlin (../shared/data/berlin): a three-level hierarchy from GeoJSON (one
// file in EPSG:25833) and CSV, and the real wide population file with its quirks (BOM, CRLF,
// ";", one column per age group).
import { SYSTEM } from '../../src/core/access.ts';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Database } from '../../src/store/db.ts';
import { engines, openEngine, BERLIN, berlinGate } from '../helpers/db.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { getObservations } from '../../src/services/query.ts';
import { areasGeoJson } from '../../src/services/catalogue-read.ts';

const AGE = ['unter6', '6-15', '15-18', '18-27', '27-45', '45-55', '55-65', '65undmehr'];

describe('real Berlin data [pglite]', berlinGate(), () => {
  let db: Database;
  before(async () => {
    db = await openEngine(engines[0]);
  });
  after(async () => db?.close());

  test('districts, forecast areas (EPSG:25833) and planning areas nest', async () => {
    const b = await importAreas(db, join(BERLIN, 'bezirke.geojson'), { layer: 'bezirk', layerName: 'Bezirke' });
    assert.equal(b.areas, 12);
    const p = await importAreas(db, join(BERLIN, 'prognoseraeume-2021-epsg25833.geojson'), {
      layer: 'prognoseraum',
      parentLayer: 'bezirk',
      parentPrefix: 2,
      validFrom: '2021-01-01',
    });
    assert.equal(p.areas, 58);
    assert.equal(p.crs, 'EPSG:25833');
    const fc = await areasGeoJson(db, 'prognoseraum');
    const bbox = fc.features[0].bbox!;
    assert.ok(bbox[0] > 13 && bbox[2] < 14 && bbox[1] > 52 && bbox[3] < 53, `stored in WGS84: ${bbox}`);
    const plr = await importAreas(db, join(BERLIN, 'lor-2021.csv'), {
      layer: 'planungsraum',
      codeProp: 'Planungsraum (Nummer)',
      nameProp: 'Planungsraum (Name)',
      parentLayer: 'prognoseraum',
      parentProp: 'Prognoseraum (Nummer)',
      validFrom: '2021-01-01',
    });
    assert.equal(plr.areas, 542);
  });

  test('the real wide population file: age groups as one indicator with a dimension, summed up to districts', async () => {
    await importCatalogue(db, {
      dimensions: [{ key: 'altersgruppe', name: 'Altersgruppe', members: AGE }],
      indicators: [
        {
          key: 'einwohner',
          name: 'Einwohner',
          unit: 'Personen',
          type: 'count',
          dimensions: ['altersgruppe'],
          source: 'Amt für Statistik Berlin-Brandenburg',
          confidentiality: 'public',
        },
        {
          key: 'einwohner_gesamt',
          name: 'Einwohner insgesamt (Quelle)',
          unit: 'Personen',
          type: 'count',
          confidentiality: 'public',
        },
        {
          key: 'auslaender',
          name: 'Ausländerinnen und Ausländer',
          unit: 'Personen',
          type: 'count',
          confidentiality: 'public',
        },
        {
          key: 'anteil_unter6',
          name: 'Anteil unter 6',
          unit: '%',
          type: 'ratio',
          numerator: { indicator: 'einwohner', filter: { altersgruppe: 'unter6' } },
          denominator: { indicator: 'einwohner' },
          scale: 100,
          minBase: 300,
          confidentiality: 'public',
        },
      ],
    });
    const r = await importObservations(db, join(BERLIN, 'einwohner-plr-2022-06.csv'), {
      layer: 'planungsraum',
      areaColumn: 'PLR-ID',
      period: '30.06.2022',
      map: [...AGE.map((a) => `${a}=einwohner[altersgruppe=${a}]`), 'Gesamt=einwohner_gesamt', 'ausländer=auslaender'],
    });
    assert.equal(r.format, 'wide');
    assert.ok(r.rows >= 540, `${r.rows} rows`);
    const sumOfGroups = await getObservations(
      db,
      { indicator: 'einwohner', layer: 'bezirk', period: '2022-06-30' },
      SYSTEM,
    );
    const totals = await getObservations(
      db,
      { indicator: 'einwohner_gesamt', layer: 'bezirk', period: '2022-06-30' },
      SYSTEM,
    );
    // The age groups add up to the source's own total in every district.
    assert.deepEqual(
      sumOfGroups.values.map((v) => v.value),
      totals.values.map((v) => v.value),
    );
    assert.ok(
      sumOfGroups.city.value! > 3_500_000 && sumOfGroups.city.value! < 4_000_000,
      `Berlin: ${sumOfGroups.city.value}`,
    );
    const share = await getObservations(
      db,
      { indicator: 'anteil_unter6', layer: 'planungsraum', period: '2022-06-30' },
      SYSTEM,
    );
    const stueler = share.values.find((v) => v.area === '01100101')!;
    assert.equal(stueler.base, 3503);
    assert.equal(stueler.value, (169 / 3503) * 100);
    assert.ok(
      share.values.some((v) => v.status === 'below_min_base'),
      'small planning areas are withheld',
    );
    // Re-importing the same real file changes nothing.
    const again = await importObservations(db, join(BERLIN, 'einwohner-plr-2022-06.csv'), {
      layer: 'planungsraum',
      areaColumn: 'PLR-ID',
      period: '30.06.2022',
      map: [...AGE.map((a) => `${a}=einwohner[altersgruppe=${a}]`), 'Gesamt=einwohner_gesamt', 'ausländer=auslaender'],
    });
    assert.equal(again.inserted + again.updated, 0);
  });
});
