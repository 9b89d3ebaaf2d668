// Reading facility sets (issue #6): the demo city's Kitas as a list of sets and as GeoJSON points,
// filtered by category, area and bounding box; the points agree with the supply indicators; a set
// is exactly as confidential as its supply indicators; bad filters are refused with a clear
// message.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { ANONYMOUS, SYSTEM, type Principal } from '../../src/core/access.ts';
import { InputRejected, NotFound, Unauthorized } from '../../src/core/problems.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { getObservations } from '../../src/services/query.ts';
import { importFacilities } from '../../src/services/facilities.ts';
import { facilitiesGeoJson, listFacilitySets, parseBBox } from '../../src/services/facilities-read.ts';
import { DEMO_FACILITY_SET, demoDaycareCentres } from '../../src/demo/facilities.ts';

const PERIOD = '2024-12-31';
const SET = DEMO_FACILITY_SET.key;
const user = (
  name: string,
  role: 'admin' | 'steward' | 'analyst' | 'viewer',
  department: string | null,
): Principal => ({ kind: 'user', id: 1000 + name.length, name, role, department });
const WHO: Record<string, Principal> = {
  anonymous: ANONYMOUS,
  admin: user('admin', 'admin', null),
  steward_jugend: user('steward_jugend', 'steward', 'jugend'),
  steward_soziales: user('steward_soziales', 'steward', 'soziales'),
  viewer: user('viewer', 'viewer', null),
};

for (const engine of engines) {
  describe(`reading facility sets [${engine.name}]`, engineGate(engine), () => {
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

    test('the demo city has public Kitas with providers and places; the set lists its categories and counts', async () => {
      const { sets } = await listFacilitySets(db, ANONYMOUS);
      const kitas = sets.find((s) => s.key === SET)!;
      assert.ok(kitas, 'the demo Kitas are public');
      assert.equal(kitas.confidentiality, 'public');
      assert.equal(kitas.owner, 'kita');
      assert.equal(kitas.period, PERIOD);
      assert.ok(
        kitas.facilities >= 80 && kitas.facilities <= 250,
        `${kitas.facilities} Kitas for ~300,000 inhabitants`,
      );
      assert.deepEqual(
        kitas.categories.map((c) => c.key),
        ['elterninitiative', 'freier_traeger', 'kirchlicher_traeger', 'staedtisch'],
      );
      assert.equal(
        kitas.categories.reduce((t, c) => t + c.facilities, 0),
        kitas.facilities,
      );
      assert.equal(
        kitas.categories.reduce((t, c) => t + c.capacity!, 0),
        kitas.capacity,
      );
      assert.deepEqual(kitas.indicators, {
        count: `${SET}_anzahl`,
        places: `${SET}_plaetze`,
        dimension: `${SET}_kategorie`,
      });
      assert.ok(['block', 'stadtteil', 'grundschulbezirk'].every((l) => kitas.layers.includes(l)));
      const places = await getObservations(
        db,
        { indicator: `${SET}_plaetze`, layer: 'gesamtstadt', period: PERIOD },
        ANONYMOUS,
      );
      assert.equal(places.values[0].value, kitas.capacity, 'the points add up to the supply indicator');
      const ratio = await getObservations(
        db,
        { indicator: 'kita_versorgung_u6', layer: 'stadtteil', period: PERIOD },
        ANONYMOUS,
      );
      assert.ok(ratio.city.value! > 40 && ratio.city.value! < 90, `places per 100 children: ${ratio.city.value}`);
      assert.ok(ratio.values.filter((v) => v.value !== null).length >= 30);
    });

    test('the demo generator is deterministic and keeps every Kita inside its block', async () => {
      const blocks = [
        {
          code: '01010001',
          name: 'Lindenstraße',
          children: 400,
          geometry: {
            type: 'Polygon' as const,
            coordinates: [
              [
                [8.7, 51.4],
                [8.71, 51.4],
                [8.71, 51.41],
                [8.7, 51.41],
                [8.7, 51.4],
              ],
            ],
          },
        },
      ];
      const a = demoDaycareCentres(blocks, 3);
      assert.deepEqual(a, demoDaycareCentres(blocks, 3));
      assert.ok(a.length >= 1);
      assert.ok(a.every((k) => k.lon > 8.7 && k.lon < 8.71 && k.lat > 51.4 && k.lat < 51.41));
      assert.equal(new Set(a.map((k) => k.name)).size, a.length, 'names are unique');
    });

    test('GeoJSON points: every facility, or those of a category, an area or a bounding box', async () => {
      const all = await facilitiesGeoJson(db, ANONYMOUS, { set: SET });
      assert.equal(all.type, 'FeatureCollection');
      assert.equal(all.count, all.features.length);
      const f = all.features[0];
      assert.equal(f.geometry.type, 'Point');
      const [lon, lat] = f.geometry.coordinates;
      assert.ok(lon > 8 && lon < 10 && lat > 51 && lat < 52, 'WGS84 longitude/latitude');
      assert.ok(f.properties.name && f.properties.category && f.properties.capacity! > 0);
      assert.ok(
        f.properties.codes.stadtteil && f.properties.codes.block && f.properties.codes.wahlbezirk,
        'the area code of every layer',
      );
      assert.equal(f.properties.attributes.Traeger, f.properties.category, 'the columns of the file are kept');

      // Inside an area: the points agree with the count indicator of the area.
      const counts = await getObservations(
        db,
        { indicator: `${SET}_anzahl`, layer: 'stadtteil', period: PERIOD },
        ANONYMOUS,
      );
      for (const v of counts.values.slice(0, 8)) {
        const inside = await facilitiesGeoJson(db, ANONYMOUS, { set: SET, layer: 'stadtteil', area: v.area });
        assert.equal(inside.count, v.value, v.area);
        assert.ok(inside.features.every((x) => x.properties.codes.stadtteil === v.area));
      }
      const church = await facilitiesGeoJson(db, ANONYMOUS, { set: SET, category: 'kirchlicher_traeger' });
      assert.ok(church.count > 0 && church.features.every((x) => x.properties.categoryKey === 'kirchlicher_traeger'));
      const xs = all.features.map((x) => x.geometry.coordinates[0]).sort((a, b) => a - b);
      const mid = xs[Math.floor(xs.length / 2)];
      const west = await facilitiesGeoJson(db, ANONYMOUS, { bbox: `0,0,${mid},89` });
      assert.equal(west.count, xs.filter((x) => x <= mid).length);
      assert.deepEqual(west.filter.bbox, [0, 0, mid, 89]);
      const none = await facilitiesGeoJson(db, ANONYMOUS, { set: SET, bbox: '10,50,10.1,50.1' });
      assert.equal(none.count, 0);
    });

    test('a set is as confidential as its supply indicators', async () => {
      const pts = (await facilitiesGeoJson(db, SYSTEM, { set: SET })).features.slice(0, 3);
      const fc = JSON.stringify({
        type: 'FeatureCollection',
        features: pts.map((p, i) => ({
          type: 'Feature',
          properties: { name: `Jugendclub ${i + 1}` },
          geometry: p.geometry,
        })),
      });
      await importFacilities(db, tmp.file('intern.geojson', fc), {
        set: 'jugendclubs',
        name: 'Jugendclubs',
        period: PERIOD,
        owner: 'jugend',
        confidentiality: 'internal',
      });
      await importFacilities(db, tmp.file('geheim.geojson', fc), {
        set: 'schutzstellen',
        name: 'Schutzstellen',
        period: PERIOD,
        owner: 'jugend',
        confidentiality: 'restricted',
      });
      const expected: Record<string, Record<string, 'ok' | 401 | 404>> = {
        [SET]: { anonymous: 'ok', admin: 'ok', steward_jugend: 'ok', steward_soziales: 'ok', viewer: 'ok' },
        jugendclubs: { anonymous: 401, admin: 'ok', steward_jugend: 'ok', steward_soziales: 'ok', viewer: 'ok' },
        schutzstellen: { anonymous: 404, admin: 404, steward_jugend: 'ok', steward_soziales: 404, viewer: 404 },
      };
      const failures: string[] = [];
      for (const [set, byWho] of Object.entries(expected)) {
        for (const [who, want] of Object.entries(byWho)) {
          const p = WHO[who];
          const listed = (await listFacilitySets(db, p)).sets.some((s) => s.key === set);
          if (listed !== (want === 'ok')) failures.push(`${who} lists ${set}: ${listed}`);
          const inAll = (await facilitiesGeoJson(db, p)).features.some((f) => f.properties.set === set);
          if (inAll !== (want === 'ok')) failures.push(`${who} sees points of ${set} without a set filter: ${inAll}`);
          const got = await facilitiesGeoJson(db, p, { set }).then(
            (r) => (r.count === 3 || set === SET ? 'ok' : `count ${r.count}`),
            (e: unknown) => (e instanceof Unauthorized ? 401 : e instanceof NotFound ? 404 : String(e)),
          );
          if (got !== want) failures.push(`${who} reads ${set}: ${got}, expected ${want}`);
        }
      }
      assert.deepEqual(failures, []);
      // A restricted set outside its departments looks exactly like a missing one.
      const msg = (e: unknown) => (e as Error).message;
      const hidden = await facilitiesGeoJson(db, WHO.admin, { set: 'schutzstellen' }).catch(msg);
      const missing = await facilitiesGeoJson(db, WHO.admin, { set: 'gibtsnicht' }).catch(msg);
      assert.equal(hidden, 'The facility set "schutzstellen" does not exist.');
      assert.equal(missing, 'The facility set "gibtsnicht" does not exist.');
      const { rows } = await db.query<{ actor: string }>(
        `SELECT actor FROM audit_log WHERE action = 'read' AND object_type = 'facility_set' AND object_key = 'schutzstellen'`,
      );
      assert.ok(
        rows.length > 0 && rows.every((r) => r.actor === 'steward_jugend'),
        'reads of a restricted set are audited',
      );
    });

    test('bad filters are refused with a clear message; unknown layers and areas are not found', async () => {
      const cases: [Parameters<typeof facilitiesGeoJson>[2], RegExp][] = [
        [{ set: 'Kitas!' }, /not a facility set key/],
        [
          { set: SET, category: 'gibtsnicht' },
          /has no category "gibtsnicht".*Categories: elterninitiative, freier_traeger/s,
        ],
        [{ category: 'Kita Städtisch' }, /not a category key/],
        [{ layer: 'stadtteil' }, /layer and area go together/i],
        [{ area: '0101' }, /layer and area go together/i],
        [{ layer: 'stadtteil', area: ' ' }, /not an area code/],
        [{ bbox: '8,51,9' }, /not a bounding box/],
        [{ bbox: '8,51,nine,52' }, /not a bounding box/],
        [{ bbox: '8,51,190,52' }, /outside longitude/],
        [{ bbox: '9,51,8,52' }, /west > east/],
      ];
      for (const [q, re] of cases) {
        await assert.rejects(
          facilitiesGeoJson(db, ANONYMOUS, q),
          (e: unknown) => e instanceof InputRejected && re.test(e.message),
          JSON.stringify(q),
        );
      }
      await assert.rejects(facilitiesGeoJson(db, ANONYMOUS, { layer: 'gibtsnicht', area: '01' }), NotFound);
      await assert.rejects(
        facilitiesGeoJson(db, ANONYMOUS, { layer: 'stadtteil', area: '9999' }),
        /The area 9999 does not exist in layer "stadtteil"/,
      );
      assert.deepEqual(parseBBox('8.6, 51.4 ,8.9,51.6'), [8.6, 51.4, 8.9, 51.6]);
    });
  });
}
