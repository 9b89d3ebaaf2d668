// Street-level addresses (issue 12, item 3; decision 0014) on both engines, with a register shaped
// like Berlin's: ';'-separated UTF-8 with a BOM and CRLF, coordinates in EPSG:25833 with decimal
// commas, house number and suffix in their own columns, resident counts — and a few places
// without a number (a square, a gate, a bridge on both sides of a district border) among the
// numbered addresses. The import stores them and counts them, a real error elsewhere still
// rejects the whole file, numberless input finds the places, numbered input never does, and the
// version counts and address-point weights add up.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import proj4 from 'proj4';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir, featureCollection } from '../helpers/files.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { InputRejected } from '../../src/core/problems.ts';
import { importAreas } from '../../src/services/areas.ts';
import { addressPoints, importAddresses, loadRegister, registerVersions } from '../../src/services/address-register.ts';
import { matchAddresses, summaryText } from '../../src/services/address-match.ts';
import { crosswalkFor } from '../../src/services/spatial.ts';
import { readAudit } from '../../src/services/audit.ts';
import { addUser, createToken, setPermission } from '../../src/services/users.ts';
import { buildServer } from '../../src/http/server.ts';

const UTM33 = '+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';
const toUtm = proj4('WGS84', UTM33);
const rect = (x0: number, y0: number, x1: number, y1: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ],
  ],
});

// Two districts side by side (Mitte west of 13.42°, Friedrichshain-Kreuzberg east of it) and a
// finer layer that splits Mitte at 13.39°.
const BEZIRKE = featureCollection([
  { code: '01', name: 'Mitte', geometry: rect(13.36, 52.49, 13.42, 52.56) },
  { code: '02', name: 'Friedrichshain-Kreuzberg', geometry: rect(13.42, 52.49, 13.48, 52.56) },
]);
const ORTSTEILE = featureCollection([
  { code: '0101', name: 'Mitte West', geometry: rect(13.36, 52.49, 13.39, 52.56) },
  { code: '0102', name: 'Mitte Ost', geometry: rect(13.39, 52.49, 13.42, 52.56) },
  { code: '0201', name: 'Friedrichshain', geometry: rect(13.42, 52.49, 13.48, 52.56) },
]);

type Row = [
  street: string,
  number: string,
  suffix: string,
  postcode: string,
  lon: number,
  lat: number,
  residents: string,
];
const HEADER = 'Straße;Hausnummer;Zusatz;PLZ;Bezirk;Rechtswert;Hochwert;EW';
function line([street, number, suffix, postcode, lon, lat, residents]: Row): string {
  const [e, n] = toUtm.forward([lon, lat]);
  const bezirk = lon < 13.42 ? 'Mitte' : 'Friedrichshain-Kreuzberg';
  return [
    street,
    number,
    suffix,
    postcode,
    bezirk,
    e.toFixed(2).replace('.', ','),
    n.toFixed(2).replace('.', ','),
    residents,
  ].join(';');
}
function registerFile(rows: Row[]): string {
  return '\ufeff' + [HEADER, ...rows.map(line)].join('\r\n') + '\r\n';
}

const NUMBERED: Row[] = [
  // Mitte West: 10 houses × 2 residents.
  ...Array.from({ length: 10 }, (_, i): Row => [
    'Ackerstraße',
    String(i + 1),
    i === 4 ? 'a' : '',
    '10115',
    13.37 + 0.001 * i,
    52.53,
    '2',
  ]),
  // Mitte Ost: 10 houses × 3 residents.
  ...Array.from({ length: 10 }, (_, i): Row => [
    'Torstraße',
    String(100 + i),
    '',
    '10119',
    13.4 + 0.001 * i,
    52.529,
    '3',
  ]),
  // Friedrichshain: 5 houses × 4 residents; Pappelplatz has houses and is a place too.
  ...Array.from({ length: 3 }, (_, i): Row => [
    'Pappelplatz',
    String(i + 1),
    '',
    '10245',
    13.45 + 0.001 * i,
    52.51,
    '4',
  ]),
  ['Warschauer Straße', '33', '', '10243', 13.449, 52.506, '4'],
  ['Warschauer Straße', '34', '', '10243', 13.4495, 52.506, '4'],
];
// Places without a house number; no residents.
const PLACES: Row[] = [
  ['Pappelplatz', '', '', '10245', 13.4515, 52.5105, ''],
  ['Oranienburger Tor', '', '', '10117', 13.3877, 52.5276, ''],
  ['Schloßplatz', '', '', '10178', 13.4005, 52.5165, ''],
  ['Oberbaumbrücke', '', '', '10243', 13.4455, 52.502, ''],
  ['Oberbaumbrücke', '', '', '10997', 13.446, 52.5015, ''],
];
// Places among the numbered addresses, as in the real file (sorted by street).
const REGISTER: Row[] = [
  ...NUMBERED.slice(0, 12),
  PLACES[1],
  ...NUMBERED.slice(12, 20),
  PLACES[2],
  ...NUMBERED.slice(20, 23),
  PLACES[0],
  PLACES[3],
  PLACES[4],
  ...NUMBERED.slice(23),
];
const RESIDENTS = NUMBERED.reduce((t, r) => t + Number(r[6]), 0);

const count = async (db: Database, sql: string, params: unknown[] = []) =>
  (await db.query<{ n: number }>(sql, params)).rows[0].n;

for (const engine of engines) {
  describe(`street-level addresses in the register [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    const tmp = tempDir();
    const options = { x: 'Rechtswert', y: 'Hochwert', crs: 'EPSG:25833', residents: 'EW' };

    before(async () => {
      db = await openEngine(engine);
      await importAreas(db, tmp.file('bezirke.geojson', BEZIRKE), { layer: 'bezirk' });
      await importAreas(db, tmp.file('ortsteile.geojson', ORTSTEILE), { layer: 'ortsteil' });
    });
    after(async () => {
      await db?.close();
      tmp.cleanup();
    });

    test('a real error elsewhere still rejects the whole file; the places are no errors', async () => {
      const broken: Row[] = [...REGISTER];
      broken.splice(3, 0, ['Ackerstraße', '12-/', '', '10115', 13.373, 52.53, '2']);
      broken.splice(8, 0, ['', '7', '', '10115', 13.373, 52.53, '2']);
      broken.splice(15, 0, ['Torstraße', '', 'b', '10119', 13.401, 52.529, '3']);
      await assert.rejects(
        importAddresses(db, tmp.file('adressen-fehler.csv', registerFile(broken)), {
          ...options,
          validFrom: '2024-12-31',
        }),
        (e: unknown) => {
          assert.ok(e instanceof InputRejected);
          assert.deepEqual(
            e.problems.filter((p) => p.severity === 'error').map((p) => [p.code, p.line, p.column, p.value]),
            [
              ['bad-house-number', 5, 'Hausnummer', '12-/'],
              ['empty-street', 10, 'Straße', ''],
              ['bad-house-number', 17, 'Hausnummer', ' b'],
            ],
          );
          assert.match(e.message, /3 error\(s\).*Nothing was changed/);
          return true;
        },
      );
      assert.equal(await count(db, 'SELECT count(*)::int AS n FROM address'), 0);
      assert.deepEqual(await registerVersions(db), []);
    });

    test('a register of places only is an error (the house-number column is empty or the wrong one)', async () => {
      await assert.rejects(
        importAddresses(db, tmp.file('nur-plaetze.csv', registerFile(PLACES)), { ...options, validFrom: '2024-12-31' }),
        (e: unknown) => {
          assert.ok(e instanceof InputRejected);
          const errors = e.problems.filter((p) => p.severity === 'error');
          assert.deepEqual(
            errors.map((p) => [p.code, p.column]),
            [['no-house-numbers', 'Hausnummer']],
          );
          assert.match(errors[0].hint!, /--number/);
          return true;
        },
      );
      assert.equal(await count(db, 'SELECT count(*)::int AS n FROM address'), 0);
    });

    test('the import stores the places as street-level addresses and reports how many', async () => {
      const path = tmp.file('adressen-berlin.csv', registerFile(REGISTER));
      const dry = await importAddresses(db, path, { ...options, validFrom: '2024-12-31', dryRun: true });
      assert.deepEqual([dry.addresses, dry.withoutNumber, dry.dryRun], [REGISTER.length, PLACES.length, true]);
      const r = await importAddresses(db, path, { ...options, validFrom: '2024-12-31' });
      assert.equal(r.rows, REGISTER.length);
      assert.equal(r.addresses, REGISTER.length);
      assert.equal(r.withoutNumber, PLACES.length);
      assert.equal(r.withCoordinates, REGISTER.length, 'the places have coordinates');
      assert.equal(r.streets, 7);
      assert.equal(r.crs, 'EPSG:25833');
      assert.deepEqual(r.residents, { column: 'EW', total: RESIDENTS, empty: PLACES.length });
      assert.equal(r.codes.bezirk.point, REGISTER.length, 'every address point, places included, lies in its district');
      assert.deepEqual(
        r.warnings.map((w) => w.code),
        ['empty-residents'],
      );
      // Stored with house number and number NULL, on the lines of the file.
      const { rows } = await db.query<{ street: string; line: number; codes: Record<string, string> }>(
        'SELECT street, line, codes FROM address WHERE house_number IS NULL AND number IS NULL ORDER BY line',
      );
      assert.deepEqual(
        rows.map((x) => [x.street, x.line, x.codes.bezirk, x.codes.ortsteil]),
        [
          ['Oranienburger Tor', 14, '01', '0101'],
          ['Schloßplatz', 23, '01', '0102'],
          ['Pappelplatz', 27, '02', '0201'],
          ['Oberbaumbrücke', 28, '02', '0201'],
          ['Oberbaumbrücke', 29, '02', '0201'],
        ],
      );
      const v = await registerVersions(db);
      assert.deepEqual(
        v.map((x) => [x.validFrom, x.addresses, x.withoutNumber, x.withCoordinates, x.streets, x.residentsTotal]),
        [['2024-12-31', REGISTER.length, PLACES.length, REGISTER.length, 7, RESIDENTS]],
      );
      const audit = await readAudit(db, { action: 'addresses.import' });
      assert.equal(audit[0].details.withoutNumber, PLACES.length);
      // The same file again: nothing changes — also when the digest is computed from the stored rows.
      assert.equal((await importAddresses(db, path, { ...options, validFrom: '2024-12-31' })).unchanged, true);
      await db.query('UPDATE address_register_version SET content_sha256 = NULL');
      assert.equal(
        (await importAddresses(db, path, { ...options, validFrom: '2024-12-31' })).unchanged,
        true,
        'the stored NULL house numbers give the same digest',
      );
    });

    test('matching: a numberless input finds the place; a numbered input never matches a numberless entry', async () => {
      const loaded = await loadRegister(db);
      assert.equal(loaded.register.size, REGISTER.length);
      assert.deepEqual(loaded.register.problems, []);
      const form = tmp.file(
        'antraege.csv',
        [
          'Nr;Anschrift',
          '1;"Pappelplatz, 10245 Berlin"',
          '2;Oranienburger Tor',
          '3;Schlossplatz',
          '4;"Oberbaumbrücke, 10997 Berlin"',
          '5;Oberbaumbrücke',
          '6;"Pappelplatz 2, 10245 Berlin"',
          '7;"Pappelplatz 9, 10245 Berlin"',
          '8;Oranienburger Tor 1',
          '9;Schloßplatz 1',
          '10;Oranienburgr Tor 3',
          '11;Ackerstraße',
          '12;Oranienburgr Tor',
        ].join('\n'),
      );
      const r = await matchAddresses(db, form, { address: 'Anschrift' });
      assert.deepEqual(
        r.rows.map((x) => [x.status, x.method, x.street, x.houseNumber, x.postcode, x.reason]),
        [
          ['matched', 'exact', 'Pappelplatz', '', '10245', null],
          ['matched', 'exact', 'Oranienburger Tor', '', '10117', null],
          ['matched', 'normalised', 'Schloßplatz', '', '10178', null],
          ['matched', 'exact', 'Oberbaumbrücke', '', '10997', null],
          ['ambiguous', null, null, null, null, 'ambiguous'],
          ['matched', 'exact', 'Pappelplatz', '2', '10245', null],
          ['unmatched', null, null, null, null, 'house-number-not-found'],
          ['unmatched', null, null, null, null, 'house-number-not-found'],
          ['unmatched', null, null, null, null, 'house-number-not-found'],
          ['unmatched', null, null, null, null, 'street-not-found'],
          ['unmatched', null, null, null, null, 'no-house-number'],
          ['matched', 'fuzzy', 'Oranienburger Tor', '', '10117', null],
        ],
      );
      assert.deepEqual(r.rows[0].codes, { bezirk: '02', ortsteil: '0201' });
      assert.deepEqual(r.rows[1].codes, { bezirk: '01', ortsteil: '0101' });
      assert.match(r.rows[1].message!, /street-level address/);
      assert.match(r.rows[4].message!, /candidates: Oberbaumbrücke, 10243 \| Oberbaumbrücke, 10997/);
      assert.deepEqual(
        r.rows[4].codes,
        { bezirk: '02', ortsteil: '0201' },
        'both sides of the bridge share their codes here',
      );
      assert.equal(r.summary.streetLevel, 5);
      assert.match(summaryText(r.summary), /5 of them places without house number/);
    });

    test('address-point weights use the places: they have coordinates and no residents', async () => {
      const points = await addressPoints(db);
      assert.equal(points.xs.length, REGISTER.length);
      assert.equal(points.withoutCoordinates, 0);
      assert.equal(
        points.counts!.reduce((t, c) => t + c, 0),
        RESIDENTS,
      );
      const w = await crosswalkFor(db, SYSTEM, {
        from: { layer: 'bezirk' },
        to: { layer: 'ortsteil' },
        weights: 'population',
        populationSource: 'addresses',
      });
      const weights = Object.fromEntries(
        w.crosswalk.pairs.map((p) => [`${p.from}>${p.to}`, Math.round(p.weight * 1e9) / 1e9]),
      );
      assert.deepEqual(weights, { '01>0101': 0.4, '01>0102': 0.6, '02>0201': 1 });
      assert.equal(w.population?.source, 'address-points');
      // Points with residents are used; the places (0 residents) weigh nothing.
      if (w.population?.source === 'address-points')
        assert.deepEqual(
          [w.population.points, w.population.residents, w.population.withoutCoordinates],
          [NUMBERED.length, RESIDENTS, 0],
        );
    });

    test('versions: a second version without places; the counts add up per version', async () => {
      const r = await importAddresses(db, tmp.file('adressen-2025.csv', registerFile(NUMBERED)), {
        ...options,
        validFrom: '2025-06-30',
      });
      assert.deepEqual([r.addresses, r.withoutNumber, r.replaced, r.versions], [NUMBERED.length, 0, 0, 2]);
      const vs = await registerVersions(db);
      assert.deepEqual(
        vs.map((v) => [v.validFrom, v.validUntil, v.addresses, v.withoutNumber]),
        [
          ['2024-12-31', '2025-06-29', REGISTER.length, PLACES.length],
          ['2025-06-30', null, NUMBERED.length, 0],
        ],
      );
      for (const v of vs) {
        assert.equal(
          await count(db, 'SELECT count(*)::int AS n FROM address WHERE version_id = $1', [v.id]),
          v.addresses,
        );
        assert.equal(
          await count(db, 'SELECT count(*)::int AS n FROM address WHERE version_id = $1 AND house_number IS NULL', [
            v.id,
          ]),
          v.withoutNumber,
        );
        assert.equal(
          await count(db, 'SELECT count(x)::int AS n FROM address WHERE version_id = $1', [v.id]),
          v.withCoordinates,
        );
        assert.equal(
          await count(db, 'SELECT count(DISTINCT street_normalized)::int AS n FROM address WHERE version_id = $1', [
            v.id,
          ]),
          v.streets,
        );
      }
      // The newest version has no places; the old one still has them.
      const form = tmp.file('antrag.csv', ['Anschrift', 'Pappelplatz', 'Pappelplatz 2'].join('\n'));
      const now = await matchAddresses(db, form, { address: 'Anschrift' });
      assert.deepEqual(
        now.rows.map((x) => x.reason ?? x.status),
        ['no-house-number', 'matched'],
      );
      const then = await matchAddresses(db, form, { address: 'Anschrift', at: '2025-01-01' });
      assert.deepEqual(
        then.rows.map((x) => [x.status, x.houseNumber]),
        [
          ['matched', ''],
          ['matched', '2'],
        ],
      );
      // Replacing the first version by itself keeps the counts.
      const again = await importAddresses(
        db,
        tmp.file('adressen-berlin-2.csv', registerFile([...REGISTER].reverse())),
        { ...options, validFrom: '2024-12-31' },
      );
      assert.deepEqual([again.replaced, again.withoutNumber, again.versions], [REGISTER.length, PLACES.length, 2]);
      assert.equal(await count(db, 'SELECT count(*)::int AS n FROM address'), REGISTER.length + NUMBERED.length);
    });

    test('HTTP: the import answer counts the places; the match summary header counts street-level matches', async () => {
      await addUser(db, SYSTEM, { name: 'chefin', role: 'admin', password: 'correct horse battery staple' });
      await setPermission(db, SYSTEM, 'chefin', 'sealed-office', true);
      const auth = {
        authorization: `Bearer ${(await createToken(db, SYSTEM, { user: 'chefin', name: 'test' })).token}`,
        'content-type': 'text/csv',
      };
      const app = await buildServer(db);
      try {
        const imp = await app.inject({
          method: 'POST',
          url: '/api/imports/addresses?file=adressen.csv&x=Rechtswert&y=Hochwert&crs=EPSG:25833&residents=EW&validFrom=2024-12-31&dryRun=true',
          headers: auth,
          payload: registerFile(REGISTER),
        });
        assert.equal(imp.statusCode, 200, imp.body);
        assert.deepEqual(
          [imp.json().addresses, imp.json().withoutNumber, imp.json().dryRun],
          [REGISTER.length, PLACES.length, true],
        );
        const vs = await app.inject({
          method: 'GET',
          url: '/api/addresses/versions',
          headers: { authorization: auth.authorization },
        });
        assert.deepEqual(
          vs.json().map((v: { withoutNumber: number }) => v.withoutNumber),
          [PLACES.length, 0],
        );
        const m = await app.inject({
          method: 'POST',
          url: '/api/match/addresses?file=f.csv&format=csv&at=2025-01-01',
          headers: auth,
          payload: 'Anschrift\nPappelplatz\nPappelplatz 9\n',
        });
        assert.equal(m.statusCode, 200, m.body);
        const summary = JSON.parse(String(m.headers['x-match-summary']));
        assert.deepEqual([summary.matched, summary.streetLevel, summary.unmatched], [1, 1, 1]);
      } finally {
        await app.close();
      }
    });
  });
}
