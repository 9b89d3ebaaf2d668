// Reallocation on the demo city: einwohner of 2019 carried from the 24 Stadtteile of then onto
// the 38 of 2021 — totals preserved, every value an estimate with its method, the Stadtteil
// series on the new boundaries now reaching back before 2021 (derived ratios included); real data
// are never overwritten, and nothing is stored that coarser layers would count twice.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { SYSTEM, type Principal } from '../../src/core/access.ts';
import { Conflict, Forbidden, InputRejected, Unauthorized } from '../../src/core/problems.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { getObservations } from '../../src/services/query.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { readAudit } from '../../src/services/audit.ts';
import { layerAreas } from '../../src/services/spatial.ts';
import { reallocate, seriesOnVersion, gebietsstand } from '../../src/services/reallocation.ts';

const OLD = { layer: 'stadtteil', at: '2020-12-31' };
const NEW = { layer: 'stadtteil', at: '2021-01-01' };
const steward = (department: string): Principal => ({
  kind: 'user',
  id: 9999,
  name: `steward_${department}`,
  role: 'steward',
  department,
});

for (const engine of engines) {
  describe(`reallocation [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    const tmp = tempDir();
    before(async () => {
      db = await openEngine(engine);
      await loadDemo(db);
    });
    after(async () => {
      await db?.close();
      tmp.cleanup();
    });
    const count = async (sql: string, params: unknown[] = []) => (await db.query<{ n: number }>(sql, params)).rows[0].n;

    test('the Gebietsstand of a version in words', () => {
      assert.equal(gebietsstand({ validFrom: null, validTo: '2021-01-01' }), 'Gebietsstand bis 2020');
      assert.equal(gebietsstand({ validFrom: '2021-01-01', validTo: null }), 'Gebietsstand ab 2021');
      assert.equal(gebietsstand({ validFrom: '2015-01-01', validTo: '2021-07-01' }), 'Gebietsstand 2015–30.06.2021');
      assert.equal(gebietsstand({ validFrom: null, validTo: null }), null);
    });

    test('only counts are reallocated; only the owner’s stewards and admins may', async () => {
      await assert.rejects(
        reallocate(db, { indicator: 'anteil_unter6', from: OLD, to: NEW }),
        (e: unknown) =>
          e instanceof InputRejected && /ratios are never reallocated/.test(e.message) && /einwohner/.test(e.message),
      );
      await assert.rejects(
        reallocate(db, {
          indicator: 'einwohner',
          from: OLD,
          to: NEW,
          periods: ['2019-12-31'],
          principal: { kind: 'anonymous' },
        }),
        Unauthorized,
      );
      await assert.rejects(
        reallocate(db, {
          indicator: 'einwohner',
          from: OLD,
          to: NEW,
          periods: ['2019-12-31'],
          principal: steward('jugend'),
        }),
        Forbidden,
      );
      await assert.rejects(
        reallocate(db, { indicator: 'einwohner', from: OLD, to: NEW, periods: ['2022-12-31'] }),
        (e: unknown) => e instanceof InputRejected && /stadtteil@2022-12-31/.test(e.message),
      );
      // The demo loader itself reallocates onto the school catchments; a dry run adds nothing to that.
      const batches = await count(`SELECT count(*)::int AS n FROM import_batch WHERE kind = 'reallocation'`);
      const dry = await reallocate(db, {
        indicator: 'einwohner',
        from: OLD,
        to: NEW,
        periods: ['2019-12-31'],
        principal: steward('statistik'),
        dryRun: true,
      });
      assert.equal(dry.inserted, 684);
      assert.equal(
        await count(`SELECT count(*)::int AS n FROM import_batch WHERE kind = 'reallocation'`),
        batches,
        'a dry run leaves nothing behind',
      );
    });

    test('einwohner 2019 onto the 38 Stadtteile of 2021: totals preserved, estimates with their method', async () => {
      const city = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'gesamtstadt', period: '2019-12-31' },
        SYSTEM,
      );
      const kids = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'gesamtstadt', period: '2019-12-31', filter: { altersgruppe: 'unter6' } },
        SYSTEM,
      );
      const districts = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'stadtbezirk', period: '2019-12-31' },
        SYSTEM,
      );
      const r = await reallocate(db, { indicator: 'einwohner', from: OLD, to: NEW, periods: ['2019-12-31'] });
      assert.equal(r.reason, 'umgeschlüsselt von stadtteil (Gebietsstand bis 2020) nach Flächenanteilen');
      assert.deepEqual(
        [r.periods[0].sourceAreas, r.periods[0].targetAreas, r.periods[0].observations],
        [24, 38, 38 * 18],
      );
      assert.equal(r.periods[0].input, city.values[0].value);
      assert.equal(r.periods[0].output, city.values[0].value);
      assert.equal(r.periods[0].lost, 0);
      assert.equal(r.inserted, 684);
      const stored = await db.query<{ value: number; status: string; reason: string; members: Record<string, string> }>(
        'SELECT o.value, o.status, o.reason, mc.members FROM observation o JOIN member_combination mc ON mc.id = o.members_id WHERE o.import_batch_id = $1',
        [r.batchId],
      );
      assert.equal(stored.rows.length, 684);
      assert.ok(
        stored.rows.every((x) => x.status === 'estimated' && x.reason === r.reason && Number.isInteger(x.value)),
        'whole numbers, estimated, with the method',
      );
      assert.equal(
        stored.rows.reduce((t, x) => t + x.value, 0),
        city.values[0].value,
        'the total is preserved exactly',
      );
      assert.equal(
        stored.rows.filter((x) => x.members.altersgruppe === 'unter6').reduce((t, x) => t + x.value, 0),
        kids.values[0].value,
        'per breakdown member too',
      );
      // Both versions nest in the Stadtbezirke: their values stay the same (now computed from the estimates).
      const after = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'stadtbezirk', period: '2019-12-31' },
        SYSTEM,
      );
      assert.deepEqual(
        after.values.map((v) => v.value),
        districts.values.map((v) => v.value),
      );
      assert.ok(r.warnings.some((w) => w.startsWith('stadtbezirk: ')));
      // The 24 Stadtteile of 2019 are untouched.
      const old = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'stadtteil', period: '2019-12-31' },
        SYSTEM,
      );
      assert.equal(old.values.length, 24);
      assert.ok(old.values.every((v) => v.status === 'final'));
      // Batch and audit trail.
      assert.equal(
        await count(
          `SELECT count(*)::int AS n FROM import_batch WHERE id = $1 AND kind = 'reallocation' AND inserted = 684`,
          [r.batchId],
        ),
        1,
      );
      const a = await readAudit(db, { action: 'observations.reallocate' });
      assert.equal(a[0].objectKey, 'einwohner');
      assert.equal(a[0].importBatchId, r.batchId);
    });

    test('the Stadtteil time series on the 2021 boundaries now has values before 2021', async () => {
      // 0103 is a new Stadtteil of 2021 (there were two in district 01 before).
      const s = await seriesOnVersion(db, SYSTEM, { indicator: 'einwohner', layer: NEW, area: '0103' });
      const p2019 = s.points.find((p) => p.period === '2019-12-31')!;
      assert.equal(p2019.status, 'estimated');
      assert.equal(
        p2019.reason,
        'umgeschlüsselt von stadtteil (Gebietsstand bis 2020) nach Flächenanteilen',
        'the estimate names its method',
      );
      assert.ok(p2019.value! > 0);
      assert.equal(s.points.find((p) => p.period === '2018-12-31')!.value, null, 'only the reallocated period');
      assert.ok(s.points.filter((p) => p.period >= '2021').every((p) => p.status !== 'missing' && p.value! > 0));
      // A ratio follows from its reallocated counts.
      const share = await seriesOnVersion(db, SYSTEM, { indicator: 'anteil_unter6', layer: NEW, area: '0103' });
      const r2019 = share.points.find((p) => p.period === '2019-12-31')!;
      assert.equal(r2019.status, 'estimated');
      assert.equal(r2019.reason, 'umgeschlüsselt von stadtteil (Gebietsstand bis 2020) nach Flächenanteilen');
      assert.ok(r2019.value! > 0 && r2019.value! < 20);
    });

    test('running it again changes nothing; other weights update the estimates with history', async () => {
      const again = await reallocate(db, { indicator: 'einwohner', from: OLD, to: NEW, periods: ['2019-12-31'] });
      assert.deepEqual([again.inserted, again.updated, again.unchanged, again.batchId], [0, 0, 684, null]);
      const pop = await reallocate(db, {
        indicator: 'einwohner',
        from: OLD,
        to: NEW,
        periods: ['2019-12-31'],
        weights: 'population',
      });
      assert.match(pop.reason, /nach Einwohneranteilen \(einwohner block 2019-12-31/);
      assert.ok(pop.updated > 0);
      assert.equal(pop.periods[0].output, pop.periods[0].input);
      assert.equal(
        await count('SELECT count(*)::int AS n FROM observation_history WHERE replaced_by_batch_id = $1', [
          pop.batchId,
        ]),
        pop.updated,
      );
    });

    test('estimates that coarser layers would count twice are refused', async () => {
      // hze_faelle is stored on the Stadtteile themselves: estimates on the new ones would be added to the old ones in every district.
      const n = await count('SELECT count(*)::int AS n FROM observation');
      await assert.rejects(
        reallocate(db, { indicator: 'hze_faelle', from: OLD, to: NEW }),
        (e: unknown) => e instanceof Conflict && /counted in addition/.test(e.message),
      );
      assert.equal(await count('SELECT count(*)::int AS n FROM observation'), n);
      // Onto an overlay (school catchments), where nothing aggregates into, it works.
      const g = await reallocate(db, {
        indicator: 'hze_faelle',
        from: { layer: 'stadtteil' },
        to: { layer: 'grundschulbezirk' },
        weights: 'population',
        periods: ['2023-12-31'],
        rounding: 'none',
      });
      assert.equal(g.periods[0].targetAreas, 45);
      assert.ok(Math.abs(g.periods[0].output - g.periods[0].input) < 1e-6);
      const gs = await getObservations(
        db,
        { indicator: 'hze_faelle', layer: 'grundschulbezirk', period: '2023-12-31' },
        SYSTEM,
      );
      assert.ok(
        gs.values.every((v) => v.status === 'estimated' || v.status === 'suppressed' || v.status === 'missing'),
      );
    });

    test('real observations are never overwritten', async () => {
      await importCatalogue(db, [
        { key: 'faelle_test', name: 'Testfälle', unit: 'Fälle', type: 'count', owner: 'jugend' },
      ]);
      const rows = ['indicator;area;period;value', 'faelle_test;0101;2023-12-31;10', 'faelle_test;0102;2023-12-31;20'];
      await importObservations(db, tmp.file('st.csv', rows.join('\n')), { layer: 'stadtteil' });
      const catchments = (await layerAreas(db, { layer: 'grundschulbezirk' })).areas.map((a) => a.code);
      await importObservations(
        db,
        tmp.file(
          'gs.csv',
          ['indicator;area;period;value', ...catchments.map((c) => `faelle_test;${c};2023-12-31;5`)].join('\n'),
        ),
        { layer: 'grundschulbezirk' },
      );
      const n = await count('SELECT count(*)::int AS n FROM observation');
      await assert.rejects(
        reallocate(db, {
          indicator: 'faelle_test',
          from: { layer: 'stadtteil' },
          to: { layer: 'grundschulbezirk' },
          periods: ['2023-12-31'],
          principal: steward('jugend'),
        }),
        (e: unknown) =>
          e instanceof Conflict &&
          /real data are never overwritten/.test(e.message) &&
          /\d+ 2023-12-31: final/.test(e.message),
      );
      assert.equal(await count('SELECT count(*)::int AS n FROM observation'), n);
    });
  });
}
