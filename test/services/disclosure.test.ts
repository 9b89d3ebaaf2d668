// Disclosure control on the demo city (issue 14, part 2): the public gets no block count of 1 or
// 2 for the counts of persons with a rule, no withheld block can be recomputed from everything
// published (the attacker audit over the whole linked tables), and owners see the value with why.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { ANONYMOUS, SYSTEM, type Principal } from '../../src/core/access.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { importCatalogue, importCatalogueFile } from '../../src/services/indicators.ts';
import { InputRejected } from '../../src/core/problems.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { reallocate } from '../../src/services/reallocation.ts';
import { tempDir, featureCollection } from '../helpers/files.ts';
import { demoCatalogue } from '../../src/demo/catalogue.ts';
import { getObservations, getTimeSeries } from '../../src/services/query.ts';
import { snapshot } from '../../src/services/snapshot.ts';
import { disclosureReport, withheldFrom } from '../../src/services/disclosure.ts';
import { formatCell } from '../../src/contracts/format.ts';

const PERIOD = '2024-12-31';
const viewer: Principal = { kind: 'user', id: 1, name: 'v', role: 'viewer', department: null };
const otherSteward: Principal = { kind: 'user', id: 2, name: 's', role: 'steward', department: 'soziales' };
const youthSteward: Principal = { kind: 'user', id: 3, name: 'j', role: 'steward', department: 'jugend' };
const sealed: Principal = {
  kind: 'user',
  id: 4,
  name: 'o',
  role: 'analyst',
  department: 'statistik',
  sealedOffice: true,
};

test('who gets protected values', () => {
  assert.equal(withheldFrom(ANONYMOUS, 'jugend', 'public'), true);
  assert.equal(withheldFrom(viewer, 'jugend', 'public'), false);
  assert.equal(withheldFrom(viewer, 'jugend', 'all-but-owner'), true);
  assert.equal(withheldFrom(otherSteward, 'jugend', 'all-but-owner'), true);
  assert.equal(withheldFrom(youthSteward, 'jugend', 'all-but-owner'), false);
  assert.equal(withheldFrom(sealed, 'jugend', 'all-but-owner'), false);
  assert.equal(withheldFrom(SYSTEM, 'jugend', 'all-but-owner'), false);
});

test('the web shows "." for a withheld value and owners the reason in brackets', () => {
  assert.equal(formatCell(null, 'suppressed', 0, 'Kinder', 'de'), '.');
  assert.equal(formatCell(2, 'final', 0, null, 'de', 'primary'), '2\u00a0(primär geheimgehalten)');
  assert.equal(formatCell(7, 'provisional', 0, null, 'de', 'secondary'), '7\u00a0p\u00a0(sekundär geheimgehalten)');
});

for (const engine of engines) {
  describe(`disclosure control on the demo city [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    before(async () => {
      db = await openEngine(engine);
      await loadDemo(db);
    });
    after(async () => db?.close());

    for (const indicator of ['transferbezug_unter15', 'arbeitslose']) {
      test(`${indicator}: the public gets no block count of 1 or 2; authorised readers see them marked`, async () => {
        const pub = await getObservations(db, { indicator, layer: 'block', period: PERIOD }, ANONYMOUS);
        const small = pub.values.filter((v) => v.value !== null && v.value > 0 && v.value < 3);
        assert.deepEqual(
          small.map((v) => `${v.area}=${v.value}`),
          [],
        );
        const all = await getObservations(db, { indicator, layer: 'block', period: PERIOD }, SYSTEM);
        const primaries = all.values.filter((v) => v.value !== null && v.value > 0 && v.value < 3);
        assert.ok(primaries.length > 0, 'the demo has small counts to protect');
        for (const v of primaries) assert.equal(v.disclosure, 'primary', v.area);
        const withheld = pub.values.filter((v) => v.status === 'suppressed');
        assert.ok(withheld.length >= primaries.length);
        for (const v of withheld) assert.equal(v.value, null);
        // Zeros are shown.
        assert.ok(pub.values.every((v, k) => all.values[k].value !== 0 || pub.values[k].value === 0));
        // The time series of a primary block says the same.
        const ts = await getTimeSeries(
          db,
          { indicator, layer: 'block', area: primaries[0].area, from: PERIOD },
          ANONYMOUS,
        );
        const point = ts.points.find((p) => p.period === PERIOD)!;
        assert.equal(point.value, null);
        assert.equal(point.status, 'suppressed');
      });

      test(`${indicator}: no withheld cell can be recomputed from everything published (attacker audit)`, async () => {
        const s = await snapshot(db);
        const i = s.indicatorByKey.get(indicator)!;
        const r = await disclosureReport(db, s, i, s.periodByKey.get(PERIOD)!, { audit: true });
        assert.ok(r);
        assert.ok(r.primary > 0);
        assert.ok(r.equations > 0);
        const unsafe = r.audit!.intervals.filter((x) => !x.safe);
        assert.deepEqual(
          unsafe.map((x) => `${x.cell}: [${x.min}, ${x.max}] < ${x.required}`),
          [],
        );
        assert.equal(r.audit!.safe, true);
      });
    }

    test('a ratio is withheld with its numerator; the owner-only rule protects even from signed-in readers', async () => {
      const num = await getObservations(
        db,
        { indicator: 'transferbezug_unter15', layer: 'block', period: PERIOD },
        ANONYMOUS,
      );
      const ratio = await getObservations(
        db,
        { indicator: 'kinderarmut_anteil', layer: 'block', period: PERIOD },
        ANONYMOUS,
      );
      for (const [k, v] of num.values.entries())
        if (v.status === 'suppressed') assert.equal(ratio.values[k].value, null, v.area);
      // The rule changed to "everyone but the owner" (soziales) and the sealed office.
      const def = demoCatalogue().indicators.find((x) => x.key === 'transferbezug_unter15')!;
      await importCatalogue(db, [{ ...def, disclosure: { minFrequency: 3, protect: 'all-but-owner' } }]);
      const forViewer = await getObservations(
        db,
        { indicator: 'transferbezug_unter15', layer: 'block', period: PERIOD },
        viewer,
      );
      const forOwner = await getObservations(
        db,
        { indicator: 'transferbezug_unter15', layer: 'block', period: PERIOD },
        otherSteward,
      );
      const forSealed = await getObservations(
        db,
        { indicator: 'transferbezug_unter15', layer: 'block', period: PERIOD },
        sealed,
      );
      assert.equal(forViewer.indicator.disclosure?.protect, 'all-but-owner');
      assert.ok(forOwner.values.some((v) => v.disclosure === 'primary'));
      for (const [k, v] of forOwner.values.entries()) {
        assert.equal(forSealed.values[k].value, v.value);
        if (v.disclosure) assert.equal(forViewer.values[k].value, null, v.area);
        else assert.equal(forViewer.values[k].value, v.value, v.area);
      }
    });
  });
}

describe('reallocation: a withheld source split by weights withholds its estimates [pglite]', () => {
  const rect = (x0: number, x1: number) => ({
    type: 'Polygon',
    coordinates: [
      [
        [x0, 50],
        [x1, 50],
        [x1, 50.1],
        [x0, 50.1],
        [x0, 50],
      ],
    ],
  });
  test('B is withheld secondarily (it would reveal A through the total); its halves on the zones are withheld, A lying wholly in Z1 is left to the pattern', async () => {
    const db = await openEngine(engines[0]);
    const tmp = tempDir();
    try {
      await importAreas(
        db,
        tmp.file(
          't.geojson',
          featureCollection([
            { code: 'A', name: 'A', geometry: rect(8, 8.1) },
            { code: 'B', name: 'B', geometry: rect(8.1, 8.2) },
          ]),
        ),
        { layer: 'teil' },
      );
      await importAreas(
        db,
        tmp.file(
          'z.geojson',
          featureCollection([
            { code: 'Z1', name: 'Z1', geometry: rect(8, 8.15) },
            { code: 'Z2', name: 'Z2', geometry: rect(8.15, 8.2) },
          ]),
        ),
        { layer: 'zone', overlay: true },
      );
      await importCatalogue(db, [
        {
          key: 'faelle',
          name: 'Fälle',
          unit: 'Personen',
          type: 'count',
          confidentiality: 'public',
          disclosure: { minFrequency: 3 },
        },
      ]);
      await importObservations(
        db,
        tmp.file('o.csv', 'indicator;area;period;value\nfaelle;A;2024;1\nfaelle;B;2024;50\n'),
        { layer: 'teil' },
      );
      const before = await getObservations(db, { indicator: 'faelle', layer: 'teil', period: '2024' }, SYSTEM);
      assert.deepEqual(
        before.values.map((v) => v.disclosure),
        ['primary', 'secondary'],
      );
      const r = await reallocate(db, { indicator: 'faelle', from: { layer: 'teil' }, to: { layer: 'zone' } });
      assert.equal(r.periods[0].withheld, 2);
      const zones = await getObservations(db, { indicator: 'faelle', layer: 'zone', period: '2024' }, SYSTEM);
      assert.deepEqual(
        zones.values.map((v) => [v.area, v.value, v.status]),
        [
          ['Z1', null, 'suppressed'],
          ['Z2', null, 'suppressed'],
        ],
      );
    } finally {
      await db.close();
      tmp.cleanup();
    }
  });
});

test('a bad disclosure rule in the catalogue is refused with its position [pglite]', async () => {
  const db = await openEngine(engines[0]);
  const tmp = tempDir();
  try {
    const file = tmp.file(
      'k.json',
      '[\n  { "key": "faelle", "name": "Fälle", "unit": "Personen", "type": "count",\n    "disclosure": { "minFrequency": 0, "protect": "everyone" } }\n]\n',
    );
    await assert.rejects(importCatalogueFile(db, file), (e: unknown) => {
      assert.ok(e instanceof InputRejected);
      const fields = e.problems.map((p) => p.reason);
      assert.ok(
        fields.some((r) => r.includes('disclosure.minFrequency')),
        fields.join('; '),
      );
      assert.ok(
        fields.some((r) => r.includes('disclosure.protect')),
        fields.join('; '),
      );
      assert.ok(
        e.problems.every((p) => p.line === 3),
        JSON.stringify(e.problems.map((p) => [p.line, p.column])),
      );
      return true;
    });
  } finally {
    await db.close();
    tmp.cleanup();
  }
});
