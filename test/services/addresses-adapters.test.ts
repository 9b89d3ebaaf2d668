// The adapters of spatial integration on a tiny city: the CLI commands (import addresses, match
// addresses, import facilities, reallocate) and the HTTP routes (rights: 401 / 403 / 200).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { addDepartment, addUser, createToken, setPermission } from '../../src/services/users.ts';
import { getObservations } from '../../src/services/query.ts';
import { buildServer } from '../../src/http/server.ts';
import { registerSpatialCommands } from '../../src/cli/spatial-commands.ts';

const PASSWORD = 'correct horse battery staple';

for (const engine of engines) {
  describe(`spatial integration: CLI and HTTP [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let app: FastifyInstance;
    const tmp = tempDir();
    const token: Record<string, string> = {};

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
      const teil = (features: { code: string; name: string; parent: string; geometry: unknown }[]) =>
        tmp.file(`t${features.length}.geojson`, featureCollection(features));
      await importAreas(
        db,
        teil([
          { code: '0101', name: 'West', parent: '01', geometry: square(8, 50, 0.1) },
          { code: '0201', name: 'Ost', parent: '02', geometry: square(8.1, 50, 0.1) },
        ]),
        { layer: 'teil', parentLayer: 'bezirk', parentProp: 'parent' },
      );
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
      await importAreas(
        db,
        teil([
          { code: '0101', name: 'Westwest', parent: '01', geometry: half(8) },
          { code: '0102', name: 'Westost', parent: '01', geometry: half(8.05) },
          { code: '0201', name: 'Ost', parent: '02', geometry: square(8.1, 50, 0.1) },
        ]),
        { layer: 'teil', parentLayer: 'bezirk', parentProp: 'parent', validFrom: '2021-01-01' },
      );
      const s1 = {
        type: 'Polygon' as const,
        coordinates: [
          [
            [8, 50],
            [8.15, 50],
            [8.15, 50.1],
            [8, 50.1],
            [8, 50],
          ],
        ],
      };
      const s2 = {
        type: 'Polygon' as const,
        coordinates: [
          [
            [8.15, 50],
            [8.2, 50],
            [8.2, 50.1],
            [8.15, 50.1],
            [8.15, 50],
          ],
        ],
      };
      await importAreas(
        db,
        tmp.file(
          's.geojson',
          featureCollection([
            { code: 'S1', name: 'Schule 1', geometry: s1 },
            { code: 'S2', name: 'Schule 2', geometry: s2 },
          ]),
        ),
        { layer: 'schule', overlay: true },
      );
      for (const [k, n] of [
        ['statistik', 'Statistikstelle'],
        ['jugend', 'Jugendamt'],
        ['soziales', 'Soziales'],
      ])
        await addDepartment(db, SYSTEM, k, n);
      await importCatalogue(db, [
        { key: 'faelle', name: 'Fälle', unit: 'Fälle', type: 'count', owner: 'jugend', confidentiality: 'internal' },
      ]);
      await importObservations(
        db,
        tmp.file(
          'o.csv',
          ['indicator;area;period;value', 'faelle;0101;2019-12-31;100', 'faelle;0201;2019-12-31;50'].join('\n'),
        ),
        { layer: 'teil' },
      );
      for (const [name, role, department] of [
        ['chefin', 'admin', null],
        ['j.meier', 'steward', 'jugend'],
        ['s.kurz', 'steward', 'soziales'],
      ] as const) {
        await addUser(db, SYSTEM, { name, role, department, password: PASSWORD });
        token[name] = (await createToken(db, SYSTEM, { user: name, name: 'test' })).token;
      }
      // The sealed statistics office matches addresses (personal records).
      await setPermission(db, SYSTEM, 's.kurz', 'sealed-office', true);
      app = await buildServer(db);
    });
    after(async () => {
      await app?.close();
      await db?.close();
      tmp.cleanup();
    });

    async function cli(...argv: string[]): Promise<{ out: string; err: string }> {
      let out = '',
        err = '';
      const program = new Command('kommunalmonitor').option('--json').exitOverride();
      program.command('import').description('import');
      registerSpatialCommands(program, {
        withDb: (fn) => fn(db),
        out: (s) => (out += s),
        err: (s) => (err += s),
        json: () => !!program.opts().json,
      });
      await program.parseAsync(argv, { from: 'user' });
      return { out, err };
    }
    const auth = (who: string) => ({ authorization: `Bearer ${token[who]}` });

    const register = [
      'Straße;Hausnummer;PLZ;x;y',
      'Lindenweg;1;60311;8,02;50,05',
      'Lindenweg;3;60311;8,07;50,05',
      'Bahnhofstraße;10;60312;8,12;50,05',
      'Bahnhofstraße;12;60312;8,17;50,05',
    ].join('\n');

    test('CLI: import addresses, match addresses', async () => {
      const r = await cli('import', 'addresses', tmp.file('reg.csv', register), '--x', 'x', '--y', 'y');
      assert.match(r.out, /Imported 4 addresses \(2 streets, 4 with coordinates in EPSG:4326\)/);
      assert.match(r.out, /teil\s+0\s+4\s+0/);
      const m = await cli(
        'match',
        'addresses',
        tmp.file(
          'form.csv',
          ['Anschrift', '"Lindenweg 3, 60311"', '"Bahnhofstr. 12"', '"Lindnweg 1"', '"Gibtsnichtweg 2"'].join('\n'),
        ),
        '--address',
        'Anschrift',
      );
      const lines = m.out.trim().split('\n');
      assert.equal(
        lines[0],
        'Anschrift;status;method;confidence;matched_street;matched_house_number;matched_postcode;bezirk;teil;schule;reason;message;suggestion',
      );
      assert.match(lines[1], /^Lindenweg 3, 60311;matched;exact;1;Lindenweg;3;60311;01;0102;S1;;;$/);
      assert.match(lines[2], /;matched;normalised;0,98;Bahnhofstraße;12;60312;02;0201;S2;/);
      assert.match(lines[3], /;matched;fuzzy;/);
      assert.match(lines[4], /;unmatched;;;;;;;;;street-not-found;/);
      assert.match(m.err, /4 addresses: 3 matched .* 0 ambiguous, 1 unmatched/);
      assert.match(m.err, /Gibtsnichtweg/);
      const j = await cli(
        '--json',
        'match',
        'addresses',
        tmp.file('form2.csv', ['Straße;Nr', 'Lindenweg;1'].join('\n')),
        '--street',
        'Straße',
        '--number',
        'Nr',
      );
      assert.equal(JSON.parse(j.out).rows[0].codes.teil, '0101');
    });

    test('CLI: import facilities and reallocate', async () => {
      const f = await cli(
        'import',
        'facilities',
        tmp.file('clubs.csv', ['Name;Plätze;lon;lat', 'Club A;20;8,02;50,05', 'Club B;30;8,17;50,05'].join('\n')),
        '--set',
        'clubs',
        '--name',
        'Jugendclubs',
        '--capacity',
        'Plätze',
        '--period',
        '2019-12-31',
      );
      assert.match(f.out, /Imported 2 facilities into "clubs" \(Jugendclubs\) for 2019-12-31, 50 places/);
      assert.match(f.out, /on teil \(2 areas\), schule \(2 areas\)/);
      const r = await cli(
        'reallocate',
        '--indicator',
        'faelle',
        '--from',
        'teil@2020-12-31',
        '--to',
        'schule',
        '--dry-run',
      );
      assert.match(r.out, /2019-12-31\s+2\s+2\s+2\s+150\s+150\s+0/);
      assert.match(r.out, /Dry run — nothing was changed/);
      assert.match(r.out, /umgeschlüsselt von teil \(Gebietsstand bis 2020\) nach Flächenanteilen/);
    });

    test('HTTP: anonymous callers get 401, other departments 403', async () => {
      const csv = { 'content-type': 'text/csv' };
      assert.equal(
        (
          await app.inject({
            method: 'POST',
            url: '/api/match/addresses?file=f.csv',
            headers: csv,
            payload: 'Anschrift\nLindenweg 1\n',
          })
        ).statusCode,
        401,
      );
      assert.equal(
        (
          await app.inject({
            method: 'POST',
            url: '/api/imports/addresses?file=r.csv',
            headers: csv,
            payload: register,
          })
        ).statusCode,
        401,
      );
      assert.equal(
        (
          await app.inject({
            method: 'POST',
            url: '/api/reallocate',
            payload: { indicator: 'faelle', from: 'teil@2020-12-31', to: 'schule' },
          })
        ).statusCode,
        401,
      );
      assert.equal(
        (
          await app.inject({
            method: 'POST',
            url: '/api/imports/facilities?file=c.csv&set=clubs&name=Clubs',
            headers: csv,
            payload: 'Name;lon;lat\nA;8,02;50,05\n',
          })
        ).statusCode,
        401,
      );
      const r = await app.inject({
        method: 'POST',
        url: '/api/imports/addresses?file=r.csv',
        headers: { ...csv, ...auth('j.meier') },
        payload: register,
      });
      assert.equal(r.statusCode, 403, 'the register belongs to the spatial structure (statistik)');
      const re = await app.inject({
        method: 'POST',
        url: '/api/reallocate',
        headers: auth('s.kurz'),
        payload: { indicator: 'faelle', from: 'teil@2020-12-31', to: 'schule' },
      });
      assert.equal(re.statusCode, 403, re.body);
      // Only the sealed statistics office matches personal records; an admin is not it by role.
      for (const who of ['chefin', 'j.meier']) {
        const m = await app.inject({
          method: 'POST',
          url: '/api/match/addresses?file=f.csv',
          headers: { ...csv, ...auth(who) },
          payload: 'Anschrift\nLindenweg 1\n',
        });
        assert.equal(m.statusCode, 403, `${who}: ${m.body}`);
        assert.match(m.json().message, /sealed statistics office/);
      }
    });

    test('HTTP: import the register, match (JSON and CSV), reallocate, import facilities', async () => {
      const csv = { 'content-type': 'text/csv' };
      const imp = await app.inject({
        method: 'POST',
        url: '/api/imports/addresses?file=r.csv&x=x&y=y',
        headers: { ...csv, ...auth('chefin') },
        payload: register,
      });
      assert.equal(imp.statusCode, 200, imp.body);
      assert.equal(imp.json().addresses, 4);
      const m = await app.inject({
        method: 'POST',
        url: '/api/match/addresses?file=f.csv&address=Anschrift',
        headers: { ...csv, ...auth('s.kurz') },
        payload: 'Anschrift\n"Lindenweg 1, 60311"\nNirgendwo 3\n',
      });
      assert.equal(m.statusCode, 200, m.body);
      assert.deepEqual(
        m.json().rows.map((x: { status: string }) => x.status),
        ['matched', 'unmatched'],
      );
      assert.equal(m.json().summary.unmatchedStreets[0].street, 'Nirgendwo');
      const mc = await app.inject({
        method: 'POST',
        url: '/api/match/addresses?file=f.csv&format=csv',
        headers: { ...csv, ...auth('s.kurz') },
        payload: 'Straße;Hausnummer\nBahnhofstraße;10\n',
      });
      assert.equal(mc.statusCode, 200, mc.body);
      assert.match(mc.body, /^Straße;Hausnummer;status;/);
      assert.equal(JSON.parse(String(mc.headers['x-match-summary'])).matched, 1);
      const re = await app.inject({
        method: 'POST',
        url: '/api/reallocate',
        headers: auth('j.meier'),
        payload: { indicator: 'faelle', from: 'teil@2020-12-31', to: 'schule', periods: ['2019-12-31'] },
      });
      assert.equal(re.statusCode, 200, re.body);
      assert.equal(re.json().inserted, 2);
      const gs = await getObservations(db, { indicator: 'faelle', layer: 'schule', period: '2019-12-31' }, SYSTEM);
      assert.deepEqual(
        gs.values.map((v) => [v.area, v.value, v.status]),
        [
          ['S1', 125, 'estimated'],
          ['S2', 25, 'estimated'],
        ],
      );
      const fac = await app.inject({
        method: 'POST',
        url: '/api/imports/facilities?file=c.geojson&set=treffs&name=Treffs&period=2019-12-31',
        headers: { 'content-type': 'application/geo+json', ...auth('j.meier') },
        payload: JSON.stringify({
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', properties: { name: 'T' }, geometry: { type: 'Point', coordinates: [8.12, 50.05] } },
          ],
        }),
      });
      assert.equal(fac.statusCode, 200, fac.body);
      assert.equal(
        (await db.query<{ owner: string }>(`SELECT owner FROM indicator WHERE key = 'treffs_anzahl'`)).rows[0].owner,
        'jugend',
        'a steward’s supply indicators belong to the steward’s department',
      );
    });
  });
}
