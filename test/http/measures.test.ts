// The measure routes (issue #17) on a small city: list and detail with the read rules, the
// gaps table as JSON and CSV, export and import over HTTP with the write rules.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir, square } from '../helpers/files.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { insertDepartment } from '../../src/store/accounts.ts';
import { importAreaRecords } from '../../src/services/areas.ts';
import { importMeasures } from '../../src/services/measures.ts';
import { buildServer } from '../../src/http/server.ts';

const grant = (id: string, conf: string, area: string) => ({
  id,
  title: `Maßnahme ${id}`,
  description: '',
  currency: 'EUR',
  amountAwarded: 1000,
  awardDate: '2024-01-01',
  plannedDates: [{ startDate: '2024-01-01', endDate: '2024-12-31' }],
  recipientOrganization: [{ id: 'jugend', name: 'Jugendamt' }],
  fundingOrganization: [{ id: 'jugend', name: 'Jugendamt', department: 'jugend' }],
  beneficiaryLocation: [{ geoCode: area, geoCodeType: 'stadtteil' }],
  classifications: [
    { vocabulary: 'kommunalmonitor:handlungsfeld', code: 'jugend', title: 'Jugend' },
    { vocabulary: 'kommunalmonitor:vertraulichkeit', code: conf, title: conf },
  ],
});

for (const engine of engines) {
  describe(`measure routes [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let app: FastifyInstance;
    const tmp = tempDir();
    before(async () => {
      db = await openEngine(engine);
      await insertDepartment(db, 'jugend', 'Jugendamt');
      await importAreaRecords(
        db,
        {
          crs: 'EPSG:4326',
          problems: [],
          records: ['01', '02'].map((c, i) => ({
            code: c,
            name: `Stadtteil ${c}`,
            parentCode: null,
            geometry: square(i * 0.01, 0, 0.01),
            properties: {},
          })),
        },
        { layer: 'stadtteil' },
      );
      await importMeasures(
        db,
        tmp.file('m.json', JSON.stringify({ grants: [grant('M-1', 'public', '01'), grant('M-2', 'internal', '01')] })),
        { principal: SYSTEM },
      );
      app = await buildServer(db, { loginAttemptsPerAddress: 1000 });
    });
    after(async () => {
      await app.close();
      await db.close();
      tmp.cleanup();
    });

    test('the public sees public measures; internal ones need a sign-in', async () => {
      const r = await app.inject({ method: 'GET', url: '/api/measures' });
      assert.equal(r.statusCode, 200, r.body);
      assert.deepEqual(
        r.json().measures.map((m: { key: string }) => m.key),
        ['M-1'],
      );
      assert.equal((await app.inject({ method: 'GET', url: '/api/measures/M-2' })).statusCode, 401);
      const one = await app.inject({ method: 'GET', url: '/api/measures/M-1' });
      assert.equal(one.statusCode, 200);
      assert.equal(one.json().history.length, 1);
      assert.equal((await app.inject({ method: 'GET', url: '/api/measures/NOPE' })).statusCode, 404);
    });

    test('gaps as JSON and CSV; bad dates are 400', async () => {
      const j = await app.inject({
        method: 'GET',
        url: '/api/measures/gaps?layer=stadtteil&field=jugend&at=2024-06-30',
      });
      assert.equal(j.statusCode, 200, j.body);
      assert.deepEqual(
        j.json().rows.map((r: { code: string; runningMeasures: number }) => [r.code, r.runningMeasures]),
        [
          ['01', 1],
          ['02', 0],
        ],
      );
      const c = await app.inject({
        method: 'GET',
        url: '/api/measures/gaps?layer=stadtteil&field=jugend&at=2024-06-30&format=csv',
      });
      assert.equal(c.body.split('\n')[0], 'area;name;need_class;running_measures;budget');
      assert.equal(
        (await app.inject({ method: 'GET', url: '/api/measures/gaps?layer=stadtteil&at=gestern' })).statusCode,
        400,
      );
      const x = await app.inject({
        method: 'GET',
        url: '/api/measures/gaps?layer=stadtteil&field=jugend&at=2024-06-30&format=xlsx',
      });
      assert.equal(x.statusCode, 200);
      assert.match(String(x.headers['content-type']), /spreadsheetml/);
      assert.deepEqual([...x.rawPayload.subarray(0, 2)], [0x50, 0x4b], 'a zip (XLSX) file');
    });

    test('coverage over time as JSON and CSV, the same figures as the gaps at each date', async () => {
      const j = await app.inject({
        method: 'GET',
        url: '/api/measures/coverage?layer=stadtteil&field=jugend&at=2023-06-30,2024-06-30',
      });
      assert.equal(j.statusCode, 200, j.body);
      const rows = j.json().coverage as {
        date: string;
        population: number;
        reached: number;
        areas: number;
        areasReached: number;
      }[];
      assert.deepEqual(
        rows.map((r) => r.date),
        ['2023-06-30', '2024-06-30'],
      );
      const gaps = (
        await app.inject({ method: 'GET', url: '/api/measures/gaps?layer=stadtteil&field=jugend&at=2024-06-30' })
      ).json();
      assert.deepEqual(rows[1], gaps.coverage);
      const c = await app.inject({
        method: 'GET',
        url: '/api/measures/coverage?layer=stadtteil&field=jugend&at=2024-06-30&format=csv',
      });
      assert.deepEqual(c.body.trim().split('\n')[0], 'date;population;reached;share;areas;areas_reached');
      assert.equal(c.body.trim().split('\n')[1].split(';')[0], '2024-06-30');
      assert.equal(
        (await app.inject({ method: 'GET', url: '/api/measures/coverage?layer=stadtteil&at=gestern' })).statusCode,
        400,
      );
    });

    test('export as 360Giving; import over HTTP needs a signed-in steward', async () => {
      const e = await app.inject({ method: 'GET', url: '/api/measures/export?format=360giving' });
      assert.equal(e.statusCode, 200);
      assert.equal(JSON.parse(e.body).grants.length, 1);
      const i = await app.inject({
        method: 'POST',
        url: '/api/measures/import',
        payload: { grants: [grant('M-3', 'public', '02')] },
      });
      assert.equal(i.statusCode, 401);
      const v = await app.inject({ method: 'GET', url: '/api/measures/vocabulary' });
      assert.ok(v.json().entries.some((x: { code: string }) => x.code === 'kinder_6_10'));
    });
  });
}
