// Facilities on the demo city: 40 Kitas with capacities at block points become supply indicators
// (counts and places per area, by category), stored on the blocks and on every overlay; they add
// up on every layer, and a ratio defined in the catalogue compares places with children.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { SYSTEM, type Principal } from '../../src/core/access.ts';
import { Forbidden, InputRejected } from '../../src/core/problems.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { layerAreas } from '../../src/services/spatial.ts';
import { getObservations } from '../../src/services/query.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { representativePoint } from '../../src/core/geo/representative-point.ts';
import { importFacilities, categoryKey } from '../../src/services/facilities.ts';

const PERIOD = '2024-12-31';

/** A small deterministic generator (the same Kitas in every run). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

for (const engine of engines) {
  describe(`facilities as supply indicators [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    const tmp = tempDir();
    let kitas: { name: string; art: string; plaetze: number; lon: number; lat: number; block: string }[] = [];
    const sum = (a: { values: { value: number | null }[] }) => a.values.reduce((t, v) => t + (v.value ?? 0), 0);

    before(async () => {
      db = await openEngine(engine);
      await loadDemo(db);
      const blocks = (await layerAreas(db, { layer: 'block' })).areas;
      const r = rng(42);
      kitas = Array.from({ length: 40 }, (_, i) => {
        const b = blocks[Math.floor(r() * blocks.length)];
        const [lon, lat] = representativePoint(b.geometry!)!;
        return {
          name: `Kita ${i + 1}`,
          art: r() < 0.5 ? 'Kita (städtisch)' : 'Kita (freier Träger)',
          plaetze: 40 + Math.floor(r() * 80),
          lon,
          lat,
          block: b.code,
        };
      });
    });
    after(async () => {
      await db?.close();
      tmp.cleanup();
    });

    const csv = (list: typeof kitas, capacity = (k: (typeof kitas)[number]) => String(k.plaetze)) =>
      [
        'Name;Art;Plätze;Lon;Lat',
        ...list.map((k) =>
          [k.name, k.art, capacity(k), String(k.lon).replace('.', ','), String(k.lat).replace('.', ',')].join(';'),
        ),
      ].join('\n');

    test('a bad coordinate or capacity rejects the file with its line', async () => {
      const path = tmp.file(
        'kitas-bad.csv',
        csv(kitas.slice(0, 3), (k) => (k.name === 'Kita 2' ? 'viele' : String(k.plaetze))) +
          '\nKita X;Kita (städtisch);10;;51,1',
      );
      await assert.rejects(
        importFacilities(db, path, {
          set: 'kitas',
          name: 'Kindertageseinrichtungen',
          category: 'Art',
          capacity: 'Plätze',
          x: 'Lon',
          y: 'Lat',
          period: PERIOD,
        }),
        (e: unknown) => {
          assert.ok(e instanceof InputRejected);
          assert.deepEqual(e.problems.map((p) => [p.code, p.line]).sort(), [
            ['bad-capacity', 3],
            ['bad-coordinate', 5],
          ]);
          return true;
        },
      );
      assert.equal(
        (
          await db.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM facility f JOIN facility_set s ON s.id = f.facility_set_id WHERE s.key = 'kitas'",
          )
        ).rows[0].n,
        0,
        'nothing of the set was stored (the demo city has its own Kitas)',
      );
    });

    test('40 Kitas: counts and places per area add up on every layer, by category', async () => {
      const path = tmp.file('kitas.csv', csv(kitas));
      await assert.rejects(
        importFacilities(db, path, {
          set: 'kitas',
          name: 'Kindertageseinrichtungen',
          x: 'Lon',
          y: 'Lat',
          period: PERIOD,
          owner: 'kita',
          principal: steward('jugend'),
        }),
        Forbidden,
      );
      const r = await importFacilities(db, path, {
        set: 'kitas',
        name: 'Kindertageseinrichtungen',
        category: 'Art',
        capacity: 'Plätze',
        x: 'Lon',
        y: 'Lat',
        period: PERIOD,
        owner: 'kita',
      });
      assert.equal(r.facilities, 40);
      assert.equal(
        r.capacity,
        kitas.reduce((t, k) => t + k.plaetze, 0),
      );
      assert.deepEqual(r.indicators, ['kitas_anzahl', 'kitas_plaetze']);
      assert.deepEqual(
        r.categories.map((c) => c.key),
        ['kita_freier_traeger', 'kita_staedtisch'],
      );
      assert.deepEqual(
        r.layers.map((l) => l.layer).sort(),
        ['block', 'grundschulbezirk', 'wahlbezirk'],
        'the finest hierarchical layer and the overlays',
      );
      assert.ok(r.layers.every((l) => l.outside === 0));
      for (const layer of ['gesamtstadt', 'stadtbezirk', 'stadtteil', 'block', 'grundschulbezirk', 'wahlbezirk']) {
        const n = await getObservations(db, { indicator: 'kitas_anzahl', layer, period: PERIOD }, SYSTEM);
        assert.equal(sum(n), 40, layer);
        const p = await getObservations(db, { indicator: 'kitas_plaetze', layer, period: PERIOD }, SYSTEM);
        assert.equal(sum(p), r.capacity, layer);
      }
      const st = await getObservations(db, { indicator: 'kitas_anzahl', layer: 'stadtteil', period: PERIOD }, SYSTEM);
      assert.equal(st.values.length, 38);
      assert.ok(
        st.values.some((v) => v.value === 0),
        'a Stadtteil without a Kita shows 0, not a gap',
      );
      const byBlock = await getObservations(db, { indicator: 'kitas_anzahl', layer: 'block', period: PERIOD }, SYSTEM);
      const expected = new Map<string, number>();
      for (const k of kitas) expected.set(k.block, (expected.get(k.block) ?? 0) + 1);
      for (const v of byBlock.values) assert.equal(v.value, expected.get(v.area) ?? 0, v.area);
      const municipal = await getObservations(
        db,
        {
          indicator: 'kitas_anzahl',
          layer: 'gesamtstadt',
          period: PERIOD,
          filter: { kitas_kategorie: categoryKey('Kita (städtisch)') },
        },
        SYSTEM,
      );
      assert.equal(municipal.values[0].value, kitas.filter((k) => k.art === 'Kita (städtisch)').length);
      const { rows } = await db.query<{ n: number; codes: Record<string, string> }>(
        `SELECT count(*) OVER ()::int AS n, codes FROM facility f JOIN facility_set s ON s.id = f.facility_set_id WHERE s.key = 'kitas' LIMIT 1`,
      );
      assert.equal(rows[0].n, 40);
      assert.ok(
        rows[0].codes.block && rows[0].codes.stadtteil && rows[0].codes.wahlbezirk,
        'every facility keeps its codes of every layer',
      );
    });

    test('places per 100 children: a ratio defined in the catalogue', async () => {
      await importCatalogue(db, [
        {
          key: 'kita_plaetze_je_100_u6',
          name: 'Kitaplätze je 100 Kinder unter 6 Jahren',
          unit: 'Plätze je 100 Kinder',
          type: 'ratio',
          numerator: { indicator: 'kitas_plaetze' },
          denominator: { indicator: 'einwohner', filter: { altersgruppe: 'unter6' } },
          scale: 100,
          owner: 'kita',
          confidentiality: 'internal',
        },
      ]);
      const ratio = await getObservations(
        db,
        { indicator: 'kita_plaetze_je_100_u6', layer: 'stadtteil', period: PERIOD },
        SYSTEM,
      );
      const places = await getObservations(
        db,
        { indicator: 'kitas_plaetze', layer: 'gesamtstadt', period: PERIOD },
        SYSTEM,
      );
      const kids = await getObservations(
        db,
        { indicator: 'einwohner', layer: 'gesamtstadt', period: PERIOD, filter: { altersgruppe: 'unter6' } },
        SYSTEM,
      );
      assert.ok(Math.abs(ratio.city.value! - (places.values[0].value! / kids.values[0].value!) * 100) < 1e-9);
      assert.ok(ratio.values.filter((v) => v.value !== null).length >= 30);
    });

    test('re-importing replaces the set; a missing capacity makes the area’s places missing', async () => {
      const fewer = kitas.slice(0, 30);
      const path = tmp.file(
        'kitas2.csv',
        csv(fewer, (k) => (k.name === 'Kita 1' ? '' : String(k.plaetze))),
      );
      const r = await importFacilities(db, path, {
        set: 'kitas',
        name: 'Kindertageseinrichtungen',
        category: 'Art',
        capacity: 'Plätze',
        x: 'Lon',
        y: 'Lat',
        period: PERIOD,
      });
      assert.equal(r.replaced, 40);
      assert.ok(r.updated > 0);
      assert.ok(r.warnings.some((w) => w.code === 'missing-capacity'));
      const n = await getObservations(db, { indicator: 'kitas_anzahl', layer: 'stadtteil', period: PERIOD }, SYSTEM);
      assert.equal(sum(n), 30);
      const block = await getObservations(db, { indicator: 'kitas_plaetze', layer: 'block', period: PERIOD }, SYSTEM);
      assert.equal(block.values.find((v) => v.area === kitas[0].block)!.status, 'missing');
      assert.ok(
        (
          await db.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM observation_history WHERE replaced_by_batch_id = $1',
            [r.batchId],
          )
        ).rows[0].n > 0,
      );
      await assert.rejects(
        importFacilities(db, path, {
          set: 'kitas',
          name: 'Kindertageseinrichtungen',
          capacity: 'Plätze',
          x: 'Lon',
          y: 'Lat',
          period: PERIOD,
        }),
        (e: unknown) => e instanceof Error && /breakdown/.test(e.message),
        'the breakdown of existing supply indicators does not change silently',
      );
    });

    test('GeoJSON points without category or capacity', async () => {
      const fc = {
        type: 'FeatureCollection',
        features: kitas.slice(0, 7).map((k, i) => ({
          type: 'Feature',
          properties: { bezeichnung: `Jugendclub ${i + 1}` },
          geometry: { type: 'Point', coordinates: [k.lon, k.lat] },
        })),
      };
      const r = await importFacilities(db, tmp.file('jugendclubs.geojson', JSON.stringify(fc)), {
        set: 'jugendclubs',
        name: 'Jugendfreizeiteinrichtungen',
        period: PERIOD,
      });
      assert.deepEqual(r.indicators, ['jugendclubs_anzahl']);
      const city = await getObservations(
        db,
        { indicator: 'jugendclubs_anzahl', layer: 'gesamtstadt', period: PERIOD },
        SYSTEM,
      );
      assert.equal(city.values[0].value, 7);
      const { rows } = await db.query<{ name: string }>(
        `SELECT f.name FROM facility f JOIN facility_set s ON s.id = f.facility_set_id WHERE s.key = 'jugendclubs' ORDER BY f.id LIMIT 1`,
      );
      assert.equal(rows[0].name, 'Jugendclub 1');
    });
  });
}

function steward(department: string): Principal {
  return { kind: 'user', id: 9999, name: `steward_${department}`, role: 'steward', department };
}
