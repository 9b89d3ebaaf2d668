// Disclosure control on the demo city (issue 14, part 2): the public gets no block count of 1 or
// 2 for the counts of persons with a rule, no withheld block can be recomputed from everything
// published (the attacker audit over the whole linked tables), and owners see the value with why.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { ANONYMOUS, SYSTEM, type Principal } from '../../src/core/access.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { demoCatalogue } from '../../src/core/demo/catalogue.ts';
import { getObservations, getTimeSeries } from '../../src/services/query.ts';
import { snapshot } from '../../src/services/snapshot.ts';
import { disclosureReport, withheldFrom } from '../../src/services/disclosure.ts';
import { formatCell } from '../../web/src/lib/format.ts';

const PERIOD = '2024-12-31';
const viewer: Principal = { kind: 'user', id: 1, name: 'v', role: 'viewer', department: null };
const otherSteward: Principal = { kind: 'user', id: 2, name: 's', role: 'steward', department: 'soziales' };
const youthSteward: Principal = { kind: 'user', id: 3, name: 'j', role: 'steward', department: 'jugend' };
const sealed: Principal = { kind: 'user', id: 4, name: 'o', role: 'analyst', department: 'statistik', sealedOffice: true };

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
        assert.deepEqual(small.map((v) => `${v.area}=${v.value}`), []);
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
        const ts = await getTimeSeries(db, { indicator, layer: 'block', area: primaries[0].area, from: PERIOD }, ANONYMOUS);
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
        assert.deepEqual(unsafe.map((x) => `${x.cell}: [${x.min}, ${x.max}] < ${x.required}`), []);
        assert.equal(r.audit!.safe, true);
      });
    }

    test('a ratio is withheld with its numerator; the owner-only rule protects even from signed-in readers', async () => {
      const num = await getObservations(db, { indicator: 'transferbezug_unter15', layer: 'block', period: PERIOD }, ANONYMOUS);
      const ratio = await getObservations(db, { indicator: 'kinderarmut_anteil', layer: 'block', period: PERIOD }, ANONYMOUS);
      for (const [k, v] of num.values.entries()) if (v.status === 'suppressed') assert.equal(ratio.values[k].value, null, v.area);
      // The rule changed to "everyone but the owner" (soziales) and the sealed office.
      const def = demoCatalogue().indicators.find((x) => x.key === 'transferbezug_unter15')!;
      await importCatalogue(db, [{ ...def, disclosure: { minFrequency: 3, protect: 'all-but-owner' } }]);
      const forViewer = await getObservations(db, { indicator: 'transferbezug_unter15', layer: 'block', period: PERIOD }, viewer);
      const forOwner = await getObservations(db, { indicator: 'transferbezug_unter15', layer: 'block', period: PERIOD }, otherSteward);
      const forSealed = await getObservations(db, { indicator: 'transferbezug_unter15', layer: 'block', period: PERIOD }, sealed);
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
