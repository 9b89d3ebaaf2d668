// Address register history and population weights from address points, on a tiny city: two
// register versions (one with resident counts, one without), matching against the version valid
// on a date, identical and corrected re-imports, crosswalks and congruence weighted by address
// points (residents, or one per address), the privacy rule for resident counts, and the API.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';
import { ANONYMOUS, SYSTEM } from '../../src/core/access.ts';
import { InputRejected, NotFound, Unauthorized } from '../../src/core/problems.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { addUser, createToken } from '../../src/services/users.ts';
import {
  importAddresses,
  loadRegister,
  registerVersions,
  registerVersionAt,
} from '../../src/services/address-register.ts';
import { matchAddresses } from '../../src/services/address-match.ts';
import { crosswalkFor, congruenceFor, populationBasisText, type CrosswalkAnswer } from '../../src/services/spatial.ts';
import { readAudit } from '../../src/services/audit.ts';
import { buildServer } from '../../src/http/server.ts';

const half = (x: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [x, 50],
      [x + 0.05, 50],
      [x + 0.05, 50.1],
      [x, 50.1],
      [x, 50],
    ],
  ],
});

// Version of 2020: resident counts in "EW" (one empty cell, one address without coordinates, one outside every area).
const REGISTER_2020 = [
  'Straße;Hausnummer;PLZ;x;y;EW',
  'Lindenweg;1;60311;8,02;50,05;30',
  'Lindenweg;3;60311;8,07;50,05;10',
  'Lindenweg;5;60311;8,03;50,02;',
  'Feldweg;2;60311;;;4',
  'Außenweg;1;60311;8,5;50,05;7',
].join('\n');
// Version of 2022: no resident counts (dwelling proxy); Feldweg gone, Bahnhofstraße new.
const REGISTER_2022 = [
  'Straße;Hausnummer;PLZ;x;y',
  'Lindenweg;1;60311;8,02;50,05',
  'Lindenweg;3;60311;8,07;50,05',
  'Lindenweg;5;60311;8,03;50,02',
  'Lindenweg;7;60311;8,04;50,08',
  'Bahnhofstraße;10;60312;8,12;50,05',
].join('\n');

const weightsOf = (a: CrosswalkAnswer) =>
  Object.fromEntries(a.crosswalk.pairs.map((p) => [`${p.from}>${p.to}`, Math.round(p.weight * 1e9) / 1e9]));
const count = async (db: Database, sql: string) => (await db.query<{ n: number }>(sql)).rows[0].n;

for (const engine of engines) {
  describe(`address register versions and address-point weights [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let app: FastifyInstance;
    let token = '';
    const tmp = tempDir();
    const teil = { from: { layer: 'teil', at: '2020-12-31' }, to: { layer: 'teil', at: '2021-01-01' } };

    before(async () => {
      db = await openEngine(engine);
      await importAreas(
        db,
        tmp.file(
          'b.geojson',
          featureCollection([
            { code: '01', name: 'West', geometry: square(8, 50, 0.1) },
            { code: '02', name: 'Ost', geometry: square(8.1, 50, 0.1) },
          ]),
        ),
        { layer: 'bezirk' },
      );
      await importAreas(
        db,
        tmp.file(
          't2.geojson',
          featureCollection([
            { code: '0101', name: 'West', parent: '01', geometry: square(8, 50, 0.1) },
            { code: '0201', name: 'Ost', parent: '02', geometry: square(8.1, 50, 0.1) },
          ]),
        ),
        { layer: 'teil', parentLayer: 'bezirk', parentProp: 'parent' },
      );
      await importAreas(
        db,
        tmp.file(
          't3.geojson',
          featureCollection([
            { code: '0101', name: 'Westwest', parent: '01', geometry: half(8) },
            { code: '0102', name: 'Westost', parent: '01', geometry: half(8.05) },
            { code: '0201', name: 'Ost', parent: '02', geometry: square(8.1, 50, 0.1) },
          ]),
        ),
        { layer: 'teil', parentLayer: 'bezirk', parentProp: 'parent', validFrom: '2021-01-01' },
      );
      await addUser(db, SYSTEM, { name: 'chefin', role: 'admin', password: 'correct horse battery staple' });
      token = (await createToken(db, SYSTEM, { user: 'chefin', name: 'test' })).token;
      app = await buildServer(db);
    });
    after(async () => {
      await app?.close();
      await db?.close();
      tmp.cleanup();
    });

    test('bad resident counts and dates are errors with line, column and value; nothing changes', async () => {
      const bad = tmp.file(
        'bad.csv',
        ['Straße;Hausnummer;EW', 'Lindenweg;1;viele', 'Lindenweg;2;-3', 'Lindenweg;3;2,5', 'Lindenweg;4;2'].join('\n'),
      );
      await assert.rejects(importAddresses(db, bad, { residents: 'EW', validFrom: '2020-01-01' }), (e: unknown) => {
        assert.ok(e instanceof InputRejected);
        assert.deepEqual(
          e.problems.map((p) => [p.code, p.line, p.column, p.value]),
          [
            ['bad-residents', 2, 'EW', 'viele'],
            ['bad-residents', 3, 'EW', '-3'],
            ['bad-residents', 4, 'EW', '2,5'],
          ],
        );
        assert.match(e.message, /Nothing was changed/);
        return true;
      });
      await assert.rejects(
        importAddresses(db, bad, { validFrom: '2020' }),
        (e: unknown) =>
          e instanceof InputRejected && e.problems[0].code === 'bad-date' && /calendar date/.test(e.problems[0].reason),
      );
      await assert.rejects(
        importAddresses(db, bad, { residents: 'Einwohner' }),
        (e: unknown) => e instanceof InputRejected && e.problems[0].code === 'missing-column',
      );
      assert.equal(await count(db, 'SELECT count(*)::int AS n FROM address_register_version'), 0);
      await assert.rejects(loadRegister(db), NotFound);
    });

    test('versions: a new date adds a version, matching uses the version valid on a date', async () => {
      const a = await importAddresses(db, tmp.file('reg2020.csv', REGISTER_2020), {
        residents: 'EW',
        validFrom: '01.01.2020',
      });
      assert.equal(a.validFrom, '2020-01-01');
      assert.deepEqual(a.residents, { column: 'EW', total: 51, empty: 1 });
      assert.ok(a.warnings.some((w) => w.code === 'empty-residents'));
      assert.deepEqual([a.addresses, a.replaced, a.unchanged, a.versions], [5, 0, false, 1]);
      const dry = await importAddresses(db, tmp.file('reg2022.csv', REGISTER_2022), {
        validFrom: '2022-01-01',
        dryRun: true,
      });
      assert.equal(dry.versions, 2);
      assert.equal(
        await count(db, 'SELECT count(*)::int AS n FROM address_register_version'),
        1,
        'a dry run stores nothing',
      );
      const b = await importAddresses(db, tmp.file('reg2022.csv', REGISTER_2022), { validFrom: '2022-01-01' });
      assert.deepEqual([b.addresses, b.replaced, b.unchanged, b.versions, b.residents], [5, 0, false, 2, null]);

      const vs = await registerVersions(db);
      assert.deepEqual(
        vs.map((v) => [
          v.validFrom,
          v.validUntil,
          v.addresses,
          v.withCoordinates,
          v.streets,
          v.residentsColumn,
          v.residentsTotal,
          v.fileName,
        ]),
        [
          ['2020-01-01', '2021-12-31', 5, 4, 3, 'EW', 51, 'reg2020.csv'],
          ['2022-01-01', null, 5, 5, 2, null, null, 'reg2022.csv'],
        ],
      );
      assert.equal((await registerVersionAt(db, '2021-12-31')).validFrom, '2020-01-01');
      assert.equal((await registerVersionAt(db, '2022')).validFrom, '2022-01-01', 'a year means its last day');
      await assert.rejects(
        registerVersionAt(db, '2019-06-30'),
        (e: unknown) => e instanceof NotFound && /oldest is valid from 2020-01-01/.test(e.message),
      );
      await assert.rejects(registerVersionAt(db, 'gestern'), InputRejected);

      const newest = await loadRegister(db);
      assert.equal(newest.version.validFrom, '2022-01-01');
      assert.equal(newest.register.size, 5);
      assert.equal((await loadRegister(db)).register, newest.register, 'cached per version');
      const old = await loadRegister(db, { at: '2021-06-30' });
      assert.equal(old.version.validFrom, '2020-01-01');
      assert.equal((await loadRegister(db)).register, newest.register, 'both versions stay cached');

      const form = tmp.file('form.csv', ['Anschrift', '"Bahnhofstraße 10"', '"Feldweg 2"', '"Lindenweg 3"'].join('\n'));
      const now = await matchAddresses(db, form, { address: 'Anschrift' });
      assert.deepEqual(
        now.rows.map((r) => r.status),
        ['matched', 'unmatched', 'matched'],
      );
      assert.deepEqual([now.register.validFrom, now.register.validUntil], ['2022-01-01', null]);
      const then = await matchAddresses(db, form, { address: 'Anschrift', at: '2021-06-30' });
      assert.deepEqual(
        then.rows.map((r) => r.status),
        ['unmatched', 'matched', 'matched'],
      );
      assert.deepEqual([then.register.validFrom, then.register.validUntil], ['2020-01-01', '2021-12-31']);
      assert.equal(then.rows[2].codes.teil, '0102', 'codes of the layer versions current at import');
      assert.doesNotMatch(JSON.stringify(then), /residents/, 'no resident count per address leaves the service');
    });

    test('re-import: identical content for the same date changes nothing; other content corrects that version only', async () => {
      const batches = await count(db, 'SELECT count(*)::int AS n FROM import_batch');
      const audits = (await readAudit(db, { action: 'addresses.import' })).length;
      const same = await importAddresses(db, tmp.file('reg2022-again.csv', REGISTER_2022), { validFrom: '2022-01-01' });
      assert.deepEqual([same.unchanged, same.replaced, same.batchId, same.versions], [true, 0, null, 2]);
      assert.equal(await count(db, 'SELECT count(*)::int AS n FROM import_batch'), batches, 'no import batch');
      assert.equal(
        (await readAudit(db, { action: 'addresses.import' })).length,
        audits,
        'no audit entry: nothing changed',
      );
      // The same file with other options is other content: a correction of that version.
      const corrected = tmp.file('reg2022-fixed.csv', REGISTER_2022.split('\n').slice(0, 5).join('\n'));
      const before2020 = await count(
        db,
        `SELECT count(*)::int AS n FROM address a JOIN address_register_version v ON v.id = a.version_id WHERE v.valid_from = '2020-01-01'`,
      );
      const fix = await importAddresses(db, corrected, { validFrom: '2022-01-01' });
      assert.deepEqual([fix.unchanged, fix.replaced, fix.addresses, fix.versions], [false, 5, 4, 2]);
      assert.equal(
        await count(
          db,
          `SELECT count(*)::int AS n FROM address a JOIN address_register_version v ON v.id = a.version_id WHERE v.valid_from = '2020-01-01'`,
        ),
        before2020,
        'the other version is kept',
      );
      assert.equal((await loadRegister(db)).register.size, 4, 'the cache follows the corrected version');
      const audit = await readAudit(db, { action: 'addresses.import' });
      assert.equal(audit[0].details.replaced, 5);
      assert.equal(audit[0].details.validFrom, '2022-01-01');
      // Back to the original content, for the tests below.
      assert.equal(
        (await importAddresses(db, tmp.file('reg2022.csv', REGISTER_2022), { validFrom: '2022-01-01' })).replaced,
        4,
      );
    });

    test('crosswalk by address points: residents, or one per address; outside points get nothing; empty from-areas fall back to area', async () => {
      // 2020 version: residents — 0101 has 30 west and 10 east (Lindenweg 5 has 0); 0201 has no point.
      const r = await crosswalkFor(db, SYSTEM, {
        ...teil,
        weights: 'population',
        populationSource: 'addresses',
        registerAt: '2021-06-30',
      });
      assert.equal(r.basis, 'population');
      assert.equal(r.crosswalk.unit, 'persons');
      assert.deepEqual(r.population, {
        source: 'address-points',
        register: { validFrom: '2020-01-01', validUntil: '2021-12-31' },
        counted: 'residents',
        points: 2,
        residents: 40,
        outsideFrom: 1,
        withoutCoordinates: 1,
        fallbackAreas: ['0201'],
      });
      assert.deepEqual(weightsOf(r), { '0101>0101': 0.75, '0101>0102': 0.25, '0201>0201': 1 });
      assert.deepEqual(
        r.crosswalk.from.map((a) => [a.code, a.basis]),
        [
          ['0101', 'population'],
          ['0201', 'area'],
        ],
      );
      assert.ok(r.crosswalk.notes.some((n) => /outside every from-area/.test(n)));
      assert.match(
        populationBasisText(r)!,
        /2 address points of the register valid from 2020-01-01, weighted by their residents \(40\); 1 outside every from-area .*1 address\(es\) without coordinates.*use area weights: 0201/,
      );

      // Newest version (2022): no resident counts — one per address; 0201 has Bahnhofstraße 10.
      const d = await crosswalkFor(db, SYSTEM, { ...teil, weights: 'population', populationSource: 'addresses' });
      assert.equal(d.population!.counted, 'addresses');
      assert.equal(d.population!.points, 5);
      assert.deepEqual(d.population!.fallbackAreas, []);
      assert.equal(d.crosswalk.unit, 'addresses');
      assert.deepEqual(weightsOf(d), { '0101>0101': 0.75, '0101>0102': 0.25, '0201>0201': 1 });
      assert.match(populationBasisText(d)!, /5 address points .* each counted once \(dwelling proxy/);

      // Congruence on the same basis.
      const c = await congruenceFor(db, SYSTEM, teil.from, teil.to, 'population', { populationSource: 'addresses' });
      assert.equal(c.population!.source, 'address-points');
      assert.equal(c.congruence.forward.areas.find((x) => x.code === '0101')!.share, 0.75);

      // auto: no population indicator here → the address points; with one that has data → the finer layer.
      assert.equal(
        (await crosswalkFor(db, SYSTEM, { ...teil, weights: 'population' })).population!.source,
        'address-points',
      );
      await importCatalogue(db, [
        {
          key: 'einwohner',
          name: 'Einwohner',
          unit: 'Personen',
          type: 'count',
          owner: 'statistik',
          confidentiality: 'public',
        },
      ]);
      await importObservations(
        db,
        tmp.file(
          'ew.csv',
          ['indicator;area;period;value', 'einwohner;0101;2019-12-31;100', 'einwohner;0201;2019-12-31;50'].join('\n'),
        ),
        { layer: 'teil' },
      );
      const auto = await crosswalkFor(db, SYSTEM, { ...teil, weights: 'population' });
      assert.deepEqual(
        [auto.population!.source, auto.population!.indicator, auto.population!.layer, auto.population!.period],
        ['finer-layer', 'einwohner', 'teil', '2019-12-31'],
      );
      assert.equal(
        (await crosswalkFor(db, SYSTEM, { ...teil, weights: 'population', populationSource: 'addresses' })).population!
          .source,
        'address-points',
        'an explicit choice wins',
      );
      await assert.rejects(
        crosswalkFor(db, SYSTEM, {
          ...teil,
          weights: 'population',
          populationSource: 'addresses',
          registerAt: '2019-01-01',
        }),
        (e: unknown) => e instanceof NotFound && /no version .* valid on 2019-01-01/i.test(e.message),
      );
    });

    test('resident counts are internal: anonymous callers get no weights from them', async () => {
      await assert.rejects(
        crosswalkFor(db, ANONYMOUS, {
          ...teil,
          weights: 'population',
          populationSource: 'addresses',
          registerAt: '2021-06-30',
        }),
        Unauthorized,
      );
      const proxy = await crosswalkFor(db, ANONYMOUS, {
        ...teil,
        weights: 'population',
        populationSource: 'addresses',
      });
      assert.equal(proxy.population!.counted, 'addresses', 'one per address is no secret');
    });

    test('HTTP: import with validFrom and residents, versions, crosswalk and congruence by address points', async () => {
      const auth = { authorization: `Bearer ${token}` };
      const imp = await app.inject({
        method: 'POST',
        url: '/api/imports/addresses?file=r.csv&validFrom=2024-01-01&residents=EW',
        headers: { 'content-type': 'text/csv', ...auth },
        payload: REGISTER_2020,
      });
      assert.equal(imp.statusCode, 200, imp.body);
      assert.deepEqual([imp.json().validFrom, imp.json().versions, imp.json().residents.total], ['2024-01-01', 3, 51]);
      assert.equal((await app.inject({ method: 'GET', url: '/api/addresses/versions' })).statusCode, 401);
      const vs = await app.inject({ method: 'GET', url: '/api/addresses/versions', headers: auth });
      assert.equal(vs.statusCode, 200, vs.body);
      assert.deepEqual(
        vs.json().map((v: { validFrom: string }) => v.validFrom),
        ['2020-01-01', '2022-01-01', '2024-01-01'],
      );
      const url =
        '/api/crosswalk?from=teil@2020-12-31&to=teil@2021-01-01&weights=population&populationSource=addresses';
      assert.equal(
        (await app.inject({ method: 'GET', url })).statusCode,
        401,
        'the newest version has resident counts',
      );
      const cw = await app.inject({ method: 'GET', url, headers: auth });
      assert.equal(cw.statusCode, 200, cw.body);
      assert.deepEqual(
        [cw.json().population.source, cw.json().population.counted, cw.json().population.register.validFrom],
        ['address-points', 'residents', '2024-01-01'],
      );
      const older = await app.inject({ method: 'GET', url: `${url}&registerAt=2023-12-31&format=csv` });
      assert.equal(older.statusCode, 200, older.body);
      assert.match(older.body, /^from;to;weight\n0101;0101;0,75\n0101;0102;0,25\n0201;0201;1\n$/);
      const cg = await app.inject({
        method: 'GET',
        url: '/api/congruence?a=teil@2020-12-31&b=teil@2021-01-01&populationSource=addresses&registerAt=2022-06-30',
      });
      assert.equal(cg.statusCode, 200, cg.body);
      assert.equal(cg.json().population.counted, 'addresses');
      assert.equal(
        (
          await app.inject({
            method: 'GET',
            url: '/api/crosswalk?from=teil&to=teil@2020-12-31&weights=population&populationSource=everything',
          })
        ).statusCode,
        400,
      );
    });
  });
}
