// GET /api/facilities and /api/facilities/sets (issue #6) against the real server and database:
// the authorisation matrix (every role × public / internal / restricted set, sessions and API
// tokens), GeoJSON answers with their filters, and bad query parameters answered with 400 and a
// clear message — never 500.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { addDistrictsAndDepartments, addUsers, EXPECTED_BY_LEVEL, signInAll, WHO, type Who } from '../helpers/roles.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { importFacilities } from '../../src/services/facilities.ts';
import { createToken } from '../../src/services/users.ts';
import { buildServer } from '../../src/http/server.ts';

// Expected answer for reading a set of each confidentiality.
const EXPECTED: Record<string, Record<Who, number>> = EXPECTED_BY_LEVEL;

for (const engine of engines) {
  describe(`facility endpoints [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let app: FastifyInstance;
    const tmp = tempDir();
    const headers: Record<string, Record<string, string>> = { anonymous: {} };

    before(async () => {
      db = await openEngine(engine);
      await addDistrictsAndDepartments(db, tmp);
      // Three Kitas in Nord (two municipal), one in Süd; each set in its own confidentiality.
      const csv = [
        'Name;Art;Plätze;x;y',
        'Kita Am Bach;städtisch;60;8,02;50,05',
        'Kita Lindenhof;städtisch;45;8,05;50,02',
        'Kinderladen Spatz;Elterninitiative;20;8,08;50,08',
        'Kita Südpark;freier Träger;80;8,15;50,05',
      ].join('\n');
      const levels = { pub: 'public', int: 'internal', res: 'restricted' } as const;
      for (const [set, confidentiality] of Object.entries(levels)) {
        await importFacilities(db, tmp.file(`${set}.csv`, csv), {
          set,
          name: `Kitas ${set}`,
          category: 'Art',
          capacity: 'Plätze',
          period: '2024-12-31',
          owner: 'jugend',
          confidentiality,
        });
      }
      await addUsers(db);
      app = await buildServer(db, { loginAttemptsPerAddress: 1000 });
      Object.assign(headers, (await signInAll(app)).headers);
    });
    after(async () => {
      await app?.close();
      await db?.close();
      tmp.cleanup();
    });

    test('every role × every confidentiality: 200, 401 or 404, and lists leave out what the caller may not read', async () => {
      const failures: string[] = [];
      for (const [set, byWho] of Object.entries(EXPECTED)) {
        for (const who of WHO) {
          const expect = byWho[who];
          for (const url of [
            `/api/facilities?set=${set}`,
            `/api/facilities?set=${set}&layer=bezirk&area=01`,
            `/api/facilities?set=${set}&category=staedtisch`,
          ]) {
            const r = await app.inject({ url, headers: headers[who] });
            if (r.statusCode !== expect) failures.push(`${who} ${url}: ${r.statusCode}, expected ${expect}`);
            if (r.statusCode === 404 && r.json().message !== `The facility set "${set}" does not exist.`)
              failures.push(`${who} ${url}: the 404 must look like a missing set`);
          }
          const visible = expect === 200;
          const sets = (await app.inject({ url: '/api/facilities/sets', headers: headers[who] }))
            .json()
            .sets.map((s: { key: string }) => s.key);
          if (sets.includes(set) !== visible)
            failures.push(`${who} /api/facilities/sets lists ${set}: ${sets.includes(set)}`);
          const all = (await app.inject({ url: '/api/facilities', headers: headers[who] }))
            .json()
            .features.map((f: { properties: { set: string } }) => f.properties.set);
          if (all.includes(set) !== visible) failures.push(`${who} /api/facilities shows ${set}: ${all.includes(set)}`);
        }
      }
      assert.deepEqual(failures, []);
    });

    test('an API token acts with its user’s rights', async () => {
      const token = (await createToken(db, SYSTEM, { user: 'steward_jugend', name: 'Karte' })).token;
      const other = (await createToken(db, SYSTEM, { user: 'steward_soziales', name: 'Karte' })).token;
      assert.equal(
        (await app.inject({ url: '/api/facilities?set=res', headers: { authorization: `Bearer ${token}` } }))
          .statusCode,
        200,
      );
      assert.equal(
        (await app.inject({ url: '/api/facilities?set=res', headers: { authorization: `Bearer ${other}` } }))
          .statusCode,
        404,
      );
      assert.equal(
        (await app.inject({ url: '/api/facilities?set=pub', headers: { authorization: 'Bearer km_forged' } }))
          .statusCode,
        401,
      );
    });

    test('GeoJSON with WGS84 points, attributes and area codes; filters by category, area and bounding box', async () => {
      const r = await app.inject({ url: '/api/facilities?set=pub' });
      assert.equal(r.statusCode, 200);
      assert.match(String(r.headers['cache-control']), /no-store/);
      const fc = r.json();
      assert.equal(fc.type, 'FeatureCollection');
      assert.equal(fc.count, 4);
      const bach = fc.features.find((f: { properties: { name: string } }) => f.properties.name === 'Kita Am Bach');
      assert.deepEqual(bach.geometry, { type: 'Point', coordinates: [8.02, 50.05] });
      assert.deepEqual(
        {
          set: bach.properties.set,
          category: bach.properties.category,
          categoryKey: bach.properties.categoryKey,
          capacity: bach.properties.capacity,
          codes: bach.properties.codes,
        },
        { set: 'pub', category: 'städtisch', categoryKey: 'staedtisch', capacity: 60, codes: { bezirk: '01' } },
      );
      assert.equal(bach.properties.attributes['Plätze'], '60');
      const names = async (q: string) =>
        (await app.inject({ url: `/api/facilities?set=pub&${q}` }))
          .json()
          .features.map((f: { properties: { name: string } }) => f.properties.name);
      assert.deepEqual(await names('layer=bezirk&area=01'), ['Kinderladen Spatz', 'Kita Am Bach', 'Kita Lindenhof']);
      assert.deepEqual(await names('category=staedtisch'), ['Kita Am Bach', 'Kita Lindenhof']);
      assert.deepEqual(await names('bbox=8.1,50,8.2,50.1'), ['Kita Südpark']);
      assert.deepEqual(await names('category=staedtisch&layer=bezirk&area=02'), []);

      const sets = (await app.inject({ url: '/api/facilities/sets' })).json().sets;
      assert.deepEqual(
        sets.map((s: { key: string }) => s.key),
        ['pub'],
      );
      const [pub] = sets;
      assert.deepEqual(
        {
          facilities: pub.facilities,
          capacity: pub.capacity,
          period: pub.period,
          confidentiality: pub.confidentiality,
          indicators: pub.indicators,
          layers: pub.layers,
        },
        {
          facilities: 4,
          capacity: 205,
          period: '2024-12-31',
          confidentiality: 'public',
          indicators: { count: 'pub_anzahl', places: 'pub_plaetze', dimension: 'pub_kategorie' },
          layers: ['bezirk'],
        },
      );
      assert.deepEqual(pub.categories, [
        { key: 'elterninitiative', name: 'Elterninitiative', facilities: 1, capacity: 20 },
        { key: 'freier_traeger', name: 'freier Träger', facilities: 1, capacity: 80 },
        { key: 'staedtisch', name: 'städtisch', facilities: 2, capacity: 105 },
      ]);
    });

    test('bad query parameters: 400 with a clear message, never 500; unknown sets, layers and areas: 404', async () => {
      const cases: [string, number, RegExp][] = [
        ['set=Kitas!', 400, /not a facility set key/],
        [
          'set=pub&category=gibtsnicht',
          400,
          /has no category "gibtsnicht".*Categories: elterninitiative, freier_traeger, staedtisch/s,
        ],
        ['category=a%20b', 400, /not a category key/],
        ['layer=bezirk', 400, /layer and area go together/i],
        ['area=01', 400, /layer and area go together/i],
        ['bbox=8,50', 400, /not a bounding box/],
        ['bbox=8,50,x,51', 400, /not a bounding box/],
        ['bbox=8,50,7,51', 400, /west > east/],
        ['bbox=8,-95,9,51', 400, /outside longitude/],
        ['set=pub&set=int', 400, /set/],
        ['colour=red', 400, /additional properties/],
        [`set=${'a'.repeat(101)}`, 400, /set/],
        ['set=gibtsnicht', 404, /The facility set "gibtsnicht" does not exist/],
        ['layer=gibtsnicht&area=01', 404, /layer "gibtsnicht" does not exist/],
        ['layer=bezirk&area=99', 404, /The area 99 does not exist in layer "bezirk"/],
      ];
      const failures: string[] = [];
      for (const [q, status, re] of cases) {
        const r = await app.inject({ url: `/api/facilities?${q}` });
        if (r.statusCode !== status || !re.test(r.json().message ?? ''))
          failures.push(`${q}: ${r.statusCode} ${r.body}`);
      }
      assert.deepEqual(failures, []);
    });

    test('the OpenAPI document describes both endpoints', async () => {
      const doc = (await app.inject({ url: '/api/openapi.json' })).json();
      const params = doc.paths['/api/facilities'].get.parameters.map((p: { name: string }) => p.name).sort();
      assert.deepEqual(params, ['area', 'bbox', 'category', 'layer', 'set']);
      assert.ok(doc.paths['/api/facilities/sets'].get.summary);
    });
  });
}
