// `match addresses` adds columns to a user's file (status, method …, one per layer): they never
// take the name of an input column (src/core/columns.ts) — in the CLI and in the HTTP CSV answer.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { engines, openEngine } from '../helpers/db.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importAddresses } from '../../src/services/address-register.ts';
import { addDepartment, addUser, createToken, setPermission } from '../../src/services/users.ts';
import { buildServer } from '../../src/http/server.ts';
import { registerSpatialCommands } from '../../src/cli/spatial-commands.ts';

describe('match addresses: added columns never collide with the input', () => {
  let db: Database;
  let app: FastifyInstance;
  let token = '';
  const tmp = tempDir();
  // A form export as an office keeps it: its own "Bezirk" and "Status" columns.
  const form = [
    'Antragsnummer;Anschrift;Bezirk;Status',
    '2024-001;"Lindenweg 1, 60311";West;offen',
    '2024-002;"Bahnhofstr. 10";Ost;erledigt',
  ].join('\n');

  before(async () => {
    db = await openEngine(engines[0]);
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
    await importAddresses(
      db,
      tmp.file(
        'reg.csv',
        ['Straße;Hausnummer;PLZ;x;y', 'Lindenweg;1;60311;8,02;50,05', 'Bahnhofstraße;10;60312;8,12;50,05'].join('\n'),
      ),
      { x: 'x', y: 'y' },
    );
    await addDepartment(db, SYSTEM, 'statistik', 'Statistikstelle');
    await addUser(db, SYSTEM, {
      name: 'chefin',
      role: 'admin',
      department: null,
      password: 'correct horse battery staple',
    });
    await setPermission(db, SYSTEM, 'chefin', 'sealed-office', true);
    token = (await createToken(db, SYSTEM, { user: 'chefin', name: 'test' })).token;
    app = await buildServer(db);
  });
  after(async () => {
    await app?.close();
    await db?.close();
    tmp.cleanup();
  });

  async function cli(...argv: string[]): Promise<{ out: string; err: string; error?: Error }> {
    let out = '',
      err = '';
    const program = new Command('kommunalmonitor').option('--json').exitOverride();
    registerSpatialCommands(program, {
      withDb: (fn) => fn(db),
      out: (s) => (out += s),
      err: (s) => (err += s),
      json: () => !!program.opts().json,
    });
    try {
      await program.parseAsync(argv, { from: 'user' });
    } catch (e) {
      return { out, err, error: e as Error };
    }
    return { out, err };
  }

  test('CLI: the collisions (case-insensitive) are named; --column-prefix resolves them', async () => {
    const file = tmp.file('antraege.csv', form);
    const r = await cli('match', 'addresses', file, '--address', 'Anschrift');
    assert.ok(r.error, 'refused');
    assert.equal(r.out, '');
    const problems = (r.error as unknown as { problems: { code: string; column: string; reason: string }[] }).problems;
    assert.deepEqual(
      problems.map((p) => [p.code, p.column]),
      [
        ['column-collision', 'Status'],
        ['column-collision', 'Bezirk'],
      ],
    );
    assert.match(
      problems[0].reason,
      /the added column "status" \(the match status\) would have the name of the input column "Status"/,
    );
    const ok = await cli('match', 'addresses', file, '--address', 'Anschrift', '--column-prefix', 'adr_');
    assert.equal(ok.error, undefined, String(ok.error));
    const lines = ok.out.trim().split('\n');
    assert.equal(
      lines[0],
      'Antragsnummer;Anschrift;Bezirk;Status;adr_status;adr_method;adr_confidence;adr_matched_street;adr_matched_house_number;adr_matched_postcode;adr_bezirk;adr_reason;adr_message;adr_suggestion',
    );
    assert.match(lines[1], /^2024-001;Lindenweg 1, 60311;West;offen;matched;exact;1;Lindenweg;1;60311;01;/);
  });

  test('HTTP CSV: 400 naming the collision; columnPrefix resolves it; JSON needs none', async () => {
    const headers = { 'content-type': 'text/csv', authorization: `Bearer ${token}` };
    const bad = await app.inject({
      method: 'POST',
      url: '/api/match/addresses?file=antraege.csv&address=Anschrift&format=csv',
      headers,
      payload: form,
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.match(
      bad.json().message,
      /the added column "bezirk" \(the area code of layer "bezirk"\) would have the name of the input column "Bezirk"/,
    );
    assert.match(bad.json().message, /columnPrefix= km_/);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/match/addresses?file=antraege.csv&address=Anschrift&format=csv&columnPrefix=km_',
      headers,
      payload: form,
    });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.match(ok.body, /^Antragsnummer;Anschrift;Bezirk;Status;km_status;/);
    const json = await app.inject({
      method: 'POST',
      url: '/api/match/addresses?file=antraege.csv&address=Anschrift',
      headers,
      payload: form,
    });
    assert.equal(json.statusCode, 200, json.body);
    assert.equal(json.json().rows[1].codes.bezirk, '02');
  });
});
