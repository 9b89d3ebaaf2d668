// The disclosure matrix (issue 14, part 2): read path × role. On the demo city, no primary value
// of transferbezug_unter15 (children in SGB II households, k = 3) reaches the public on any path —
// observations, time series, profile, comparison, cockpit, CSV, XLSX, JSON, indicator page — while
// signed-in readers (the rule protects from the public) see the value marked primary, and the
// pattern's audit is for the owning department and the sealed office only. Through HTTP.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import type { Database } from '../../src/store/db.ts';
import { ANONYMOUS, SYSTEM } from '../../src/core/access.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { getObservations } from '../../src/services/query.ts';
import { exportObservations } from '../../src/services/export.ts';
import { saveCockpit, DEMO_COCKPIT } from '../../src/services/cockpit.ts';
import { addUser, setPermission } from '../../src/services/users.ts';
import { buildServer } from '../../src/http/server.ts';

const PASSWORD = 'correct horse battery staple';
const IND = 'transferbezug_unter15';
const PERIOD = '2024-12-31';
const ROLES = {
  viewer: { role: 'viewer', department: null },
  analyst: { role: 'analyst', department: 'statistik' },
  owner: { role: 'steward', department: 'soziales' },
  sealed: { role: 'analyst', department: 'statistik' },
} as const;
type Role = 'public' | keyof typeof ROLES;
const ALL: Role[] = ['public', 'viewer', 'analyst', 'owner', 'sealed'];

for (const engine of engines) {
  describe(`disclosure matrix: read path × role [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let app: FastifyInstance;
    const headers: Record<Role, Record<string, string>> = {
      public: {},
      viewer: {},
      analyst: {},
      owner: {},
      sealed: {},
    };
    /** The primary blocks with their true values. */
    let primary: { area: string; value: number }[] = [];
    const get = (who: Role, url: string) => app.inject({ url, headers: headers[who] });

    before(async () => {
      db = await openEngine(engine);
      await loadDemo(db);
      for (const [name, u] of Object.entries(ROLES))
        await addUser(db, SYSTEM, { name, role: u.role, department: u.department, password: PASSWORD });
      await setPermission(db, SYSTEM, 'sealed', 'sealed-office', true);
      await saveCockpit(
        db,
        {
          tiles: [
            ...DEMO_COCKPIT.tiles,
            {
              id: 'kinder',
              type: 'map',
              title: 'Kinder in SGB-II-Bedarfsgemeinschaften',
              indicator: IND,
              layer: 'block',
              period: PERIOD,
            },
          ],
        },
        SYSTEM,
      );
      app = await buildServer(db, { loginAttemptsPerAddress: 1000 });
      for (const name of Object.keys(ROLES) as (keyof typeof ROLES)[]) {
        const r = await app.inject({
          url: '/api/auth/login',
          method: 'POST',
          payload: { user: name, password: PASSWORD },
        });
        assert.equal(r.statusCode, 200, r.body);
        headers[name] = { cookie: String(r.headers['set-cookie']).split(';')[0] };
      }
      const all = await getObservations(db, { indicator: IND, layer: 'block', period: PERIOD }, SYSTEM);
      primary = all.values.filter((v) => v.disclosure === 'primary').map((v) => ({ area: v.area, value: v.value! }));
      assert.ok(primary.length >= 3, `the demo has primary blocks (${primary.length})`);
      assert.ok(primary.every((p) => p.value > 0 && p.value < 3));
    });
    after(async () => {
      await app?.close();
      await db?.close();
    });

    /** What a role must get for a primary value: nothing for the public, the value for everyone signed in (protect: public). */
    const expect = (who: Role, seen: number | null, p: { area: string; value: number }, path: string) => {
      if (who === 'public') assert.equal(seen, null, `${path}: ${p.area} reached the public`);
      else assert.equal(seen, p.value, `${path}: ${who} sees ${p.area}`);
    };

    for (const who of ALL) {
      test(`${who}: observations (atlas, indicator page, cockpit tile) and JSON`, async () => {
        for (const url of [
          `/api/observations?indicator=${IND}&layer=block&period=${PERIOD}`,
          `/api/observations?indicator=${IND}&layer=block&period=${PERIOD}&format=json`,
        ]) {
          const r = await get(who, url);
          assert.equal(r.statusCode, 200, r.body);
          const body = r.json();
          const by = new Map(body.values.map((v: { area: string }) => [v.area, v]));
          for (const p of primary) {
            const v = by.get(p.area) as {
              value: number | null;
              status: string;
              disclosure?: string;
              rank: number | null;
            };
            expect(who, v.value, p, url);
            if (who === 'public') {
              assert.equal(v.status, 'suppressed');
              assert.equal(v.rank, null);
              assert.equal(v.disclosure, undefined, 'the public is not told primary or secondary');
            } else assert.equal(v.disclosure, 'primary');
          }
          if (who === 'public')
            assert.ok(!r.body.includes('"disclosure":"primary"') && !r.body.includes('"disclosure":"secondary"'));
        }
        // The indicator page's detail names the rule.
        const d = await get(who, `/api/indicators/${IND}`);
        assert.equal(d.json().disclosure.minFrequency, 3);
        // The cockpit lists the tile; its values come from the same observations.
        const c = await get(who, '/api/cockpit');
        assert.ok(c.json().tiles.some((t: { indicator: string }) => t.indicator === IND));
        // A ratio with the count as numerator is withheld with it.
        const ratio = (
          await get(who, `/api/observations?indicator=kinderarmut_anteil&layer=block&period=${PERIOD}`)
        ).json();
        for (const p of primary) {
          const v = ratio.values.find((x: { area: string }) => x.area === p.area);
          if (who === 'public') assert.equal(v.value, null, `kinderarmut_anteil ${p.area}`);
        }
        // The JSON export of the service (CLI) is the same answer.
        if (who === 'public') {
          const json = JSON.parse(
            String(await exportObservations(db, { indicator: IND, layer: 'block', period: PERIOD }, ANONYMOUS, 'json')),
          );
          for (const p of primary)
            assert.equal(json.values.find((x: { area: string }) => x.area === p.area).value, null);
        }
      });

      test(`${who}: CSV and XLSX exports`, async () => {
        const csv = await get(who, `/api/observations?indicator=${IND}&layer=block&period=${PERIOD}&format=csv`);
        assert.equal(csv.statusCode, 200);
        const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
        const header = lines[0].split(';');
        // German headings (issue 15): Schlüssel (area code), Wert, Zeichen (the symbol).
        const [ai, vi, si] = [header.indexOf('Schlüssel'), header.indexOf('Wert'), header.indexOf('Zeichen')];
        assert.ok(ai >= 0 && vi >= 0 && si >= 0, lines[0]);
        for (const p of primary) {
          const row = lines.find((l) => l.split(';')[ai] === p.area)!.split(';');
          expect(who, row[vi] === '' ? null : Number(row[vi].replace(',', '.')), p, 'CSV');
          if (who === 'public') assert.equal(row[si], '.');
        }
        const x = await app.inject({
          url: `/api/observations?indicator=${IND}&layer=block&period=${PERIOD}&format=xlsx`,
          headers: headers[who],
        });
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
        const ws = wb.getWorksheet('Daten')!;
        const rows = new Map<string, unknown>();
        ws.eachRow((row) => rows.set(String(row.getCell(1).value), row.getCell(3).value));
        for (const p of primary) expect(who, (rows.get(p.area) as number | null) ?? null, p, 'XLSX');
      });

      test(`${who}: time series, profile and comparison`, async () => {
        for (const p of primary.slice(0, 3)) {
          const ts = (await get(who, `/api/timeseries?indicator=${IND}&layer=block&area=${p.area}`)).json();
          expect(who, ts.points.find((x: { period: string }) => x.period === PERIOD).value, p, 'time series');
          const prof = await get(who, `/api/layers/block/areas/${p.area}/profile`);
          assert.equal(prof.statusCode, 200, prof.body);
          const entries = prof.json().themes.flatMap((t: { entries: unknown[] }) => t.entries) as {
            indicator: { key: string };
            period: string;
            value: number | null;
            trend: { period: string; value: number | null }[];
          }[];
          const e = entries.find((x) => x.indicator.key === IND)!;
          assert.equal(e.period, PERIOD);
          expect(who, e.value, p, 'profile');
          expect(who, e.trend.find((t) => t.period === PERIOD)!.value, p, 'profile trend');
          if (who === 'public')
            assert.equal(entries.find((x) => x.indicator.key === 'kinderarmut_anteil')!.value, null);
        }
      });
    }

    test('the pattern and its audit: the owning department and the sealed office only', async () => {
      const url = `/api/indicators/${IND}/disclosure?period=${PERIOD}`;
      assert.equal((await get('public', url)).statusCode, 401);
      assert.equal((await get('viewer', url)).statusCode, 403);
      assert.equal((await get('analyst', url)).statusCode, 403);
      for (const who of ['owner', 'sealed'] as const) {
        const r = await get(who, url);
        assert.equal(r.statusCode, 200, r.body);
        const rep = r.json().reports[0];
        assert.ok(rep.primary >= primary.length);
        assert.equal(rep.audit.safe, true);
      }
      assert.equal((await get('owner', `/api/indicators/${IND}/disclosure?period=kein`)).statusCode, 400);
    });
  });
}
