// "Mein Stadtteil" search (issue 15): areas by name, and streets of the address register with the
// areas they touch — street names and area codes only — through the service and GET /api/places.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { layerAreas } from '../../src/services/spatial.ts';
import { assignPointsToLayers } from '../../src/services/assign-points.ts';
import { representativePoint } from '../../src/core/geo/representative-point.ts';
import { importAddresses } from '../../src/services/address-register.ts';
import { searchPlaces, PLACE_RESULTS_MAX } from '../../src/services/place-search.ts';
import { InputRejected } from '../../src/core/problems.ts';
import { buildServer } from '../../src/http/server.ts';

for (const engine of engines) {
  describe(`place search [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    const tmp = tempDir();
    before(async () => {
      db = await openEngine(engine);
      // Without the demo's register first; the tests import one (the demo's own: demo-city.test.ts).
      await loadDemo(db, { addresses: false });
    });
    after(async () => {
      await db?.close();
      tmp.cleanup();
    });

    test('without an address register: areas by name only, accent- and case-insensitive', async () => {
      const r = await searchPlaces(db, 'grunhof');
      assert.equal(r.register, null);
      assert.deepEqual(r.streets, []);
      assert.ok(
        r.areas.some((a) => a.name === 'Grünhof' && a.layer === 'stadtteil' && a.layerName),
        JSON.stringify(r.areas),
      );
      assert.ok(
        r.areas.every((a) => a.layer !== 'block'),
        'blocks (more than 100 areas) are not searched',
      );
      // Names that start with the text come first.
      const alt = await searchPlaces(db, 'Alt');
      assert.equal(alt.areas[0].name.toLowerCase().startsWith('alt'), true);
    });

    test('limits: 3 to 100 characters; wildcards are matched literally', async () => {
      await assert.rejects(searchPlaces(db, ' Gr '), InputRejected);
      await assert.rejects(searchPlaces(db, 'x'.repeat(101)), InputRejected);
      const wild = await searchPlaces(db, '%_%');
      assert.deepEqual([wild.areas.length, wild.streets.length], [0, 0]);
    });

    test('with a register: a street gives the Stadtteile it touches; at most 20 streets; nothing personal', async () => {
      // Two blocks in different Stadtteile carry "Ackerweg"; 25 streets "Teststraße …" test the cap.
      const la = await layerAreas(db, { layer: 'block' });
      const points = la.areas.map((a) => ({ code: a.code, p: representativePoint(a.geometry!)! }));
      const st = await assignPointsToLayers(
        db,
        Float64Array.from(points, (x) => x.p[0]),
        Float64Array.from(points, (x) => x.p[1]),
        ['stadtteil'],
      );
      const first = 0;
      const second = st.codes.stadtteil.findIndex((c) => c !== null && c !== st.codes.stadtteil[first]);
      assert.ok(second > 0);
      const lines = ['Straße;Hausnummer;Lon;Lat;EW'];
      for (const [i, nr] of [
        [first, '1'],
        [first, '3'],
        [second, '2'],
      ] as const)
        lines.push(['Ackerweg', nr, points[i].p[0], points[i].p[1], '7'].join(';'));
      for (let k = 0; k < 25; k++)
        lines.push([`Teststraße ${String.fromCharCode(65 + k)}`, '1', points[k].p[0], points[k].p[1], '2'].join(';'));
      await importAddresses(db, tmp.file('register.csv', lines.join('\n') + '\n'), {
        x: 'Lon',
        y: 'Lat',
        residents: 'EW',
        validFrom: '2024-12-31',
      });

      const r = await searchPlaces(db, 'Acker');
      assert.deepEqual(r.register, { validFrom: '2024-12-31' });
      assert.equal(r.streets.length, 1);
      assert.equal(r.streets[0].street, 'Ackerweg');
      const stadtteile = r.streets[0].areas
        .filter((a) => a.layer === 'stadtteil')
        .map((a) => a.code)
        .sort();
      assert.deepEqual(stadtteile, [st.codes.stadtteil[first], st.codes.stadtteil[second]].sort());
      assert.ok(r.streets[0].areas.every((a) => a.name && a.layerName && a.layer !== 'block'));
      const text = JSON.stringify(r);
      assert.doesNotMatch(text, /"(x|y|houseNumber|number|residents|postcode)"/, 'street names and area codes only');

      const many = await searchPlaces(db, 'Teststr');
      assert.equal(many.streets.length, PLACE_RESULTS_MAX);
      assert.equal(many.more.streets, true);
      assert.equal(many.streets[0].street, 'Teststraße A');
    });

    test('GET /api/places: public, 400 for a short text', async () => {
      const app = await buildServer(db);
      try {
        const ok = await app.inject({ url: '/api/places?q=Ackerweg' });
        assert.equal(ok.statusCode, 200);
        assert.equal(ok.json().streets[0].street, 'Ackerweg');
        const short = await app.inject({ url: '/api/places?q=Ac' });
        assert.equal(short.statusCode, 400);
        assert.match(short.json().message, /3 to 100 characters/);
        assert.equal((await app.inject({ url: '/api/places' })).statusCode, 400);
      } finally {
        await app.close();
      }
    });
  });
}
