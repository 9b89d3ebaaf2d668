// Indicator answers name the owning department (ownerName) for the public too, so pages need not
// show its key; a department a catalogue import created has only its key, hence no name.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { insertDepartment } from '../../src/store/accounts.ts';
import { buildServer } from '../../src/http/server.ts';

for (const engine of engines) {
  describe(`indicator owner names (issue 15) [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let app: FastifyInstance;
    before(async () => {
      db = await openEngine(engine);
      await insertDepartment(db, 'statistik', 'Kommunale Statistikstelle');
      await importCatalogue(db, [
        {
          key: 'einwohner',
          name: 'Einwohner',
          unit: 'Personen',
          type: 'count',
          source: 'Melderegister',
          owner: 'statistik',
          confidentiality: 'public',
          themes: ['Bevölkerung'],
        },
        {
          key: 'kitaplaetze',
          name: 'Kitaplätze',
          unit: 'Plätze',
          type: 'count',
          owner: 'kita_amt',
          confidentiality: 'public',
          themes: ['Bildung'],
        },
        {
          key: 'ohne',
          name: 'Ohne Zuständigkeit',
          unit: 'Personen',
          type: 'count',
          confidentiality: 'public',
          themes: ['Bildung'],
        },
      ]);
      app = await buildServer(db);
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    test('the list and the detail answer carry the department name without sign-in', async () => {
      const list = await app.inject({ url: '/api/indicators' });
      assert.equal(list.statusCode, 200);
      const byKey = new Map(
        (list.json().indicators as { key: string; owner: string | null; ownerName: string | null }[]).map((i) => [
          i.key,
          i,
        ]),
      );
      assert.deepEqual(
        [byKey.get('einwohner')!.owner, byKey.get('einwohner')!.ownerName],
        ['statistik', 'Kommunale Statistikstelle'],
      );
      // created by the import with its key as the name: no name to show
      assert.deepEqual([byKey.get('kitaplaetze')!.owner, byKey.get('kitaplaetze')!.ownerName], ['kita_amt', null]);
      assert.deepEqual([byKey.get('ohne')!.owner, byKey.get('ohne')!.ownerName], [null, null]);
      const detail = await app.inject({ url: '/api/indicators/einwohner' });
      assert.equal(detail.statusCode, 200);
      assert.equal(detail.json().ownerName, 'Kommunale Statistikstelle');
    });
  });
}
