// GENESIS flat files over HTTP: POST /api/imports/observations with a flat file, positioned
// errors as a 400, and GET /api/observations?format=genesis through the disclosure path.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { engines, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { addUser, createToken } from '../../src/services/users.ts';
import { buildServer } from '../../src/http/server.ts';

const FIXTURE = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'genesis', '12411-02-03-5_flat.csv'), 'utf8');

describe('GENESIS flat files over HTTP [pglite]', () => {
  let db: Database;
  let app: FastifyInstance;
  let token = '';
  const tmp = tempDir();
  before(async () => {
    db = await openEngine(engines[0]);
    await importAreas(
      db,
      tmp.file(
        'gemeinden.csv',
        'code;name;ags\n113;Bayerisch Eisenstein;09276113\n130;Lindberg;09276130\n138;Rinchnach;09276138\n',
      ),
      { layer: 'gemeinde' },
    );
    await importCatalogue(db, {
      dimensions: [
        {
          key: 'geschlecht',
          name: 'Geschlecht',
          members: [
            { key: 'm', name: 'männlich' },
            { key: 'w', name: 'weiblich' },
          ],
        },
      ],
      indicators: [
        {
          key: 'einwohner',
          name: 'Einwohner',
          unit: 'Personen',
          type: 'count',
          dimensions: ['geschlecht'],
          source: 'Statistisches Landesamt',
          confidentiality: 'public',
        },
        {
          key: 'faelle',
          name: 'Fälle',
          unit: 'Fälle',
          type: 'count',
          owner: 'statistik',
          confidentiality: 'public',
          disclosure: { minFrequency: 3 },
        },
      ],
    });
    await importObservations(
      db,
      tmp.file(
        'faelle.csv',
        'indicator;area;period;value\nfaelle;113;2023;1\nfaelle;130;2023;40\nfaelle;138;2023;57\n',
      ),
    );
    await addUser(db, SYSTEM, {
      name: 'chefin',
      role: 'admin',
      department: null,
      password: 'correct horse battery staple',
    });
    token = (await createToken(db, SYSTEM, { user: 'chefin', name: 'import' })).token;
    app = await buildServer(db, {});
  });
  after(async () => {
    await app?.close();
    await db?.close();
    tmp.cleanup();
  });

  const post = (query: string, body: string) =>
    app.inject({
      url: `/api/imports/observations?file=12411-02-03-5_flat.csv&layer=gemeinde&${query}`,
      method: 'POST',
      payload: body,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    });

  test('a flat file imports with its options; a bad one is a 400 naming line and column', async () => {
    const bad = await post(
      'indicator=einwohner&areaKeyProperty=ags&skipUnknownAreas=true',
      FIXTURE.replace(';1142;p', ';1142;q'),
    );
    assert.equal(bad.statusCode, 400, bad.body);
    const p = bad.json().problems[0];
    assert.deepEqual(
      [p.code, p.line, p.column, p.value],
      ['bad-value', 32, 'BEVSTD__Bevoelkerungsstand__q', '1142 (quality q)'],
    );
    const ok = await post('indicator=einwohner&areaKeyProperty=ags&skipUnknownAreas=true', FIXTURE);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual([ok.json().format, ok.json().observations], ['genesis', 12]);
  });

  test('format=genesis: the flat file, with what disclosure control withholds as "."', async () => {
    const r = await app.inject({
      url: '/api/observations?indicator=einwohner&layer=gemeinde&period=2022-12-31&geschlecht=w&format=genesis',
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.match(String(r.headers['content-type']), /^text\/csv; charset=utf-8/);
    assert.match(String(r.headers['content-disposition']), /einwohner_gemeinde_2022-12-31_flat\.csv/);
    const lines = r.body.replace(/^\uFEFF/, '').split('\r\n');
    assert.match(lines[0], /;EINWOHNER__Einwohner__Personen;EINWOHNER__Einwohner__q$/);
    assert.match(
      lines[1],
      /;STAG;Stichtag;31\.12\.2022;GEMEINDE;gemeinde;113;Bayerisch Eisenstein;GESCHLECHT;geschlecht;w;w;\.;$/,
    );
    assert.match(lines[2], /;130;Lindberg;GESCHLECHT;geschlecht;w;w;1119;p$/);
    const withheld = await app.inject({
      url: '/api/observations?indicator=faelle&layer=gemeinde&period=2023&format=genesis',
    });
    assert.equal(withheld.statusCode, 200, withheld.body);
    const cells = withheld.body
      .split('\r\n')
      .slice(1, -1)
      .map((l) => l.split(';'));
    assert.deepEqual(
      cells.map((c) => [c[7], c[9], c[10]]).find((c) => c[0] === '113'),
      ['113', '.', ''],
      'the count of 1 is not in the public file',
    );
    assert.ok(!cells.some((c) => c[9] === '1'));
  });
});
