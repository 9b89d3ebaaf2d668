// [postgres] The comparison between municipalities (docs/comparison.md): three tenants map their
// indicators to standard indicators, opt in and publish their public values; a value withheld by
// disclosure control stays withheld in the store; the read API compares, finds similar
// municipalities and ranks (ties share a rank); bad requests answer 400 with a code; withdrawal
// removes the values. The embedded mode answers that the comparison needs tenants.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildTenantServer } from '../../src/http/tenant-server.ts';
import { buildServer } from '../../src/http/server.ts';
import { openDatabase } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import type { Tenant, Tenants } from '../../src/store/tenants.ts';
import { ANONYMOUS } from '../../src/core/access.ts';
import { getObservations } from '../../src/services/query.ts';
import {
  importStandards,
  mapStandard,
  optIn,
  publishComparison,
  withdrawComparison,
  type ComparisonContext,
} from '../../src/services/comparison.ts';
import { loadValues } from '../../src/store/comparison.ts';
import { InputRejected, Conflict } from '../../src/core/problems.ts';
import { tempDir } from '../helpers/files.ts';
import { fillComparisonCity } from '../helpers/comparison.ts';
import { tenantGate, openTenants, uniqueKey, dropTenants } from '../helpers/tenants.ts';
import { run } from '../helpers/cli.ts';

describe('comparison in embedded mode', () => {
  test('the commands say that the comparison needs a PostgreSQL server', async () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      for (const args of [
        ['comparison', 'standards', 'list'],
        ['--tenant', 'musterstadt', 'comparison', 'publish'],
      ]) {
        const r = await run(args);
        assert.equal(r.code, 1, args.join(' '));
        assert.match(r.err, /need a PostgreSQL server: set DATABASE_URL/);
      }
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
  });

  test('the routes answer 404 with the code comparison-needs-tenants', async () => {
    const db = await openDatabase({ memory: true });
    await migrate(db);
    const app = await buildServer(db);
    try {
      for (const url of [
        '/api/comparison/standards',
        '/api/comparison/compare?indicators=x',
        '/api/comparison/ranking?indicator=x',
      ]) {
        const r = await app.inject({ url });
        assert.equal(r.statusCode, 404, url);
        assert.equal(r.json().code, 'comparison-needs-tenants');
        assert.match(r.json().message, /PostgreSQL server with tenants/);
      }
    } finally {
      await app.close();
      await db.close();
    }
  });
});

describe('comparison between tenants [postgres]', tenantGate(), () => {
  let t: Tenants;
  let app: FastifyInstance;
  const tmp = tempDir();
  const [a, b, c] = [uniqueKey('ca'), uniqueKey('cb'), uniqueKey('cc')];
  // Standard keys of this run only: the store is shared by every run on this database.
  const run_ = `x${randomBytes(3).toString('hex')}`;
  const POP = `${run_}_pop`;
  const CASES = `${run_}_cases`;
  const RATE = `${run_}_rate`;
  const rows: Record<string, Tenant> = {};
  const ctx = (key: string): ComparisonContext => ({
    shared: t.shared,
    tenant: { key, name: rows[key].name, officialKey: rows[key].officialKey },
  });
  const get = (key: string, url: string) => app.inject({ url: `/t/${key}${url}` });
  const std = (key: string, type: 'count' | 'ratio', unit: string) => ({
    key,
    nameDe: key,
    nameEn: key,
    unit,
    type,
    definition: 'test',
    basis: 'KOSIS',
    polarity: 'neutral' as const,
    decimals: 1,
  });

  before(async () => {
    t = await openTenants();
    rows[a] = await t.add({ key: a, name: 'Stadt A', officialKey: '01001000' }, (db) =>
      fillComparisonCity(db, tmp, 'A', [
        { ew: [1000, 1001], cases: [2, 50] },
        { ew: [1010, 1000], cases: [2, 55] },
      ]),
    );
    rows[b] = await t.add({ key: b, name: 'Gemeinde B' }, (db) =>
      fillComparisonCity(db, tmp, 'B', [
        { ew: [5000, 5001], cases: [100, 120] },
        { ew: [5000, 5001], cases: [110, 130] },
      ]),
    );
    // C has as many inhabitants as B in 2023: a tie in the ranking.
    rows[c] = await t.add({ key: c, name: 'Gemeinde C' }, (db) =>
      fillComparisonCity(db, tmp, 'C', [
        { ew: [3000, 3000], cases: [60, 60] },
        { ew: [5000, 5001], cases: [400, 400] },
      ]),
    );
    await importStandards(t.shared, [
      std(POP, 'count', 'Personen'),
      std(CASES, 'count', 'Personen'),
      std(RATE, 'ratio', '%'),
    ]);
    app = await buildTenantServer(t, { mode: 'path' }, { recheckMs: 0 });
  });
  after(async () => {
    await app?.close();
    if (t) {
      for (const k of [a, b, c])
        await withdrawComparison({ shared: t.shared, tenant: { key: k, name: k, officialKey: null } }).catch(
          () => undefined,
        );
      await t.shared.query('DELETE FROM comparison_mapping WHERE tenant = ANY($1::text[])', [[a, b, c]]);
      await t.shared.query('DELETE FROM comparison_standard WHERE key = ANY($1::text[])', [[POP, CASES, RATE]]);
      await dropTenants(t, [a, b, c]);
      await t.close();
    }
    tmp.cleanup();
  });

  test('mapping: only public indicators of the standard’s type', async () => {
    const db = t.database(rows[a]);
    await assert.rejects(
      mapStandard(ctx(a), db, POP, 'intern'),
      (e: InputRejected) => e.problems[0].code === 'not-public',
    );
    await assert.rejects(
      mapStandard(ctx(a), db, RATE, 'einwohner'),
      (e: InputRejected) => e.problems[0].code === 'type-mismatch',
    );
    await assert.rejects(mapStandard(ctx(a), db, POP, 'gibtsnicht'), /does not exist/);
    for (const k of [a, b, c]) {
      const d = t.database(rows[k]);
      await mapStandard(ctx(k), d, POP, 'einwohner');
      await mapStandard(ctx(k), d, CASES, 'faelle');
      await mapStandard(ctx(k), d, RATE, 'quote');
    }
  });

  test('publishing needs an opt-in; then the store holds what the public sees, withheld values withheld', async () => {
    await assert.rejects(publishComparison(ctx(a), t.database(rows[a])), Conflict);
    await optIn(ctx(a), t.database(rows[a]), { districts: 'bezirk' });
    await optIn(ctx(b), t.database(rows[b]));
    await optIn(ctx(c), t.database(rows[c]));
    const ra = await publishComparison(ctx(a), t.database(rows[a]));
    assert.ok((ra.byStatus.suppressed ?? 0) > 0, JSON.stringify(ra));
    await publishComparison(ctx(b), t.database(rows[b]));
    await publishComparison(ctx(c), t.database(rows[c]));
    // Publishing again replaces the rows: the same number, no duplicates.
    const again = await publishComparison(ctx(a), t.database(rows[a]));
    assert.equal(again.values, ra.values);

    const stored = await loadValues(t.shared, { standards: [CASES, RATE, POP], level: 'district', tenants: [a] });
    assert.equal(stored.length, 3 * 2 * 2);
    const db = t.database(rows[a]);
    for (const [std, ind] of [
      [POP, 'einwohner'],
      [CASES, 'faelle'],
      [RATE, 'quote'],
    ]) {
      for (const period of ['2022', '2023']) {
        const pub = await getObservations(db, { indicator: ind, layer: 'bezirk', period }, ANONYMOUS);
        for (const v of pub.values) {
          const s = stored.find((x) => x.standard === std && x.areaCode === v.area && x.period === period)!;
          assert.equal(s.status, v.status, `${std} ${v.area} ${period}`);
          assert.equal(s.value, v.value, `${std} ${v.area} ${period}`);
        }
        const territory = (await loadValues(t.shared, { standards: [std], level: 'territory', tenants: [a] })).find(
          (x) => x.period === period,
        )!;
        assert.equal(territory.status, pub.city.status);
        assert.equal(territory.value, pub.city.value);
        assert.equal(territory.areaCode, '01001000');
        assert.equal(territory.areaName, 'Stadt A');
      }
    }
    // District 01 has 2 cases: withheld (primary suppression), stored as null with status suppressed — never 0.
    const small = stored.find((x) => x.standard === CASES && x.areaCode === '01' && x.period === '2023')!;
    assert.equal(small.status, 'suppressed');
    assert.equal(small.value, null);
    // The internal indicator is not in the store at all; B and C published no districts.
    assert.equal((await loadValues(t.shared, { standards: [POP], level: 'district', tenants: [b, c] })).length, 0);
    // Rates are each tenant's own Σnumerator/Σdenominator: B's 2023 rate is 240/10001.
    const rb = (
      await loadValues(t.shared, { standards: [RATE], level: 'territory', tenants: [b], referenceDate: '2023-12-31' })
    )[0];
    assert.ok(Math.abs(rb.value! - (240 / 10001) * 100) < 1e-9, String(rb.value));
  });

  test('GET /api/comparison/standards and /municipalities', async () => {
    const s = await get(a, '/api/comparison/standards');
    assert.equal(s.statusCode, 200, s.body);
    const pop = s.json().standards.find((x: { key: string }) => x.key === POP);
    assert.equal(pop.municipalities, 3);
    const m = await get(b, '/api/comparison/municipalities');
    assert.equal(m.statusCode, 200);
    const ours = m.json().municipalities.filter((x: { key: string }) => [a, b, c].includes(x.key));
    assert.deepEqual(
      ours.map((x: { key: string; own: boolean }) => [x.key, x.own]).sort(),
      [
        [a, false],
        [b, true],
        [c, false],
      ].sort(),
    );
    assert.equal(ours.find((x: { key: string }) => x.key === a).districtsLayer, 'bezirk');
  });

  test('GET /api/comparison/compare: time series of the own municipality and the chosen others', async () => {
    const r = await get(a, `/api/comparison/compare?with=${b},${c}&indicators=${POP},${RATE}`);
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    assert.deepEqual(
      body.municipalities.map((x: { key: string }) => x.key),
      [a, b, c],
    );
    assert.equal(body.series.length, 6);
    const popA = body.series.find(
      (x: { standard: string; municipality: string }) => x.standard === POP && x.municipality === a,
    );
    assert.deepEqual(
      popA.points.map((p: { referenceDate: string; value: number }) => [p.referenceDate, p.value]),
      [
        ['2022-12-31', 2001],
        ['2023-12-31', 2010],
      ],
    );
  });

  test('GET /api/comparison/similar: by z-standardised distance at the latest common date, explained', async () => {
    const r = await get(a, `/api/comparison/similar?indicators=${POP},${RATE}&k=2`);
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    assert.equal(body.method.code, 'z-euclidean');
    assert.equal(body.method.referenceDate, '2023-12-31');
    assert.ok(body.method.compared >= 3);
    assert.equal(body.similar.length, 2);
    assert.ok(body.similar[0].distance <= body.similar[1].distance);
  });

  test('GET /api/comparison/ranking: ties share a rank, the own municipality marked', async () => {
    const r = await get(a, `/api/comparison/ranking?indicator=${POP}&period=2023`);
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    assert.equal(body.referenceDate, '2023-12-31');
    const ours = body.rows.filter((x: { key: string }) => [a, b, c].includes(x.key));
    assert.deepEqual(
      ours.map((x: { key: string; rank: number; own: boolean; tied: number }) => [x.key, x.rank, x.own, x.tied]),
      [
        [b, 1, false, 1],
        [c, 1, false, 1],
        [a, 3, true, 0],
      ],
    );
    const d = await get(b, `/api/comparison/ranking?indicator=${CASES}&level=district&period=2023-12-31`);
    assert.equal(d.statusCode, 200, d.body);
    const rowsD = d.json().rows;
    assert.ok(rowsD.every((x: { key: string }) => x.key === a));
    const withheld = rowsD.find((x: { areaCode: string }) => x.areaCode === '01');
    assert.equal(withheld.value, null);
    assert.equal(withheld.rank, null);
    assert.equal(withheld.status, 'suppressed');
  });

  test('bad requests answer 400 with a code, never 500', async () => {
    const eleven = Array.from({ length: 11 }, (_, k) => `m${k}`).join(',');
    const cases: [string, string][] = [
      ['/api/comparison/compare', 'missing-parameter'],
      [`/api/comparison/compare?indicators=${POP}&with=${eleven}`, 'too-many'],
      ['/api/comparison/compare?indicators=gibtsnicht', 'unknown-standard'],
      [`/api/comparison/compare?indicators=${POP}&with=nobody`, 'unknown-municipality'],
      [`/api/comparison/compare?indicators=${POP}&indicators=${RATE}`, 'repeated-parameter'],
      [`/api/comparison/compare?indicators=${POP}&colour=red`, 'unknown-parameter'],
      ['/api/comparison/compare?indicators=%27;drop', 'bad-key'],
      [`/api/comparison/similar?indicators=${POP}&k=0`, 'bad-k'],
      [`/api/comparison/similar?indicators=${POP}&k=eleven`, 'bad-k'],
      ['/api/comparison/ranking', 'missing-parameter'],
      [`/api/comparison/ranking?indicator=${POP}&period=1999`, 'unknown-period'],
      [`/api/comparison/ranking?indicator=${POP}&period=gestern`, 'unknown-period'],
      [`/api/comparison/ranking?indicator=${POP}&level=block`, 'bad-level'],
      [`/api/comparison/ranking?indicator=${POP},${RATE}`, 'too-many'],
    ];
    for (const [url, code] of cases) {
      const r = await get(a, url);
      assert.equal(r.statusCode, 400, `${url}: ${r.body}`);
      assert.equal(r.json().problems?.[0]?.code, code, url);
    }
  });

  test('a publication that no longer fits its standards changes nothing', async () => {
    const before = await loadValues(t.shared, { standards: [POP, CASES, RATE], level: 'territory', tenants: [a] });
    await importStandards(t.shared, [std(RATE, 'count', '%')]);
    try {
      await assert.rejects(publishComparison(ctx(a), t.database(rows[a])), (e: InputRejected) =>
        e.problems.some((p) => p.code === 'type-mismatch'),
      );
    } finally {
      await importStandards(t.shared, [std(RATE, 'ratio', '%')]);
    }
    assert.deepEqual(
      await loadValues(t.shared, { standards: [POP, CASES, RATE], level: 'territory', tenants: [a] }),
      before,
    );
  });

  test('withdrawal removes the values and ends the opt-in', async () => {
    const r = await withdrawComparison(ctx(c));
    assert.ok(r.removed > 0);
    assert.equal(
      (await loadValues(t.shared, { standards: [POP, CASES, RATE], level: 'territory', tenants: [c] })).length,
      0,
    );
    const m = await get(a, '/api/comparison/municipalities');
    assert.ok(!m.json().municipalities.some((x: { key: string }) => x.key === c));
    const bad = await get(a, `/api/comparison/compare?indicators=${POP}&with=${c}`);
    assert.equal(bad.statusCode, 400);
    await assert.rejects(publishComparison(ctx(c), t.database(rows[c])), Conflict);
  });

  test('the CLI: standards, map, opt-in, publish, withdraw on --tenant', async () => {
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
    try {
      const list = await run(['--json', 'comparison', 'standards', 'list']);
      assert.equal(list.code, 0, list.err);
      assert.ok(JSON.parse(list.out).some((s: { key: string }) => s.key === POP));
      const file = tmp.file(
        'std.csv',
        `key;nameDe;nameEn;unit;type;definition;basis;polarity;decimals\n${run_}_csv;Test;Test;%;ratio;Eine Definition;KOSIS;neutral;1\n`,
      );
      const imp = await run(['comparison', 'standards', 'import', file]);
      assert.equal(imp.code, 0, imp.err);
      const badFile = tmp.file('bad.csv', `key;nameDe\n${run_}_bad;Test\n`);
      const bad = await run(['comparison', 'standards', 'import', badFile]);
      assert.notEqual(bad.code, 0);
      assert.match(bad.err, /missing/);
      assert.equal((await run(['--tenant', c, 'comparison', 'map', POP, 'einwohner'])).code, 0);
      assert.equal((await run(['--tenant', c, 'comparison', 'opt-in'])).code, 0);
      const pub = await run(['--tenant', c, 'comparison', 'publish']);
      assert.equal(pub.code, 0, pub.err);
      assert.match(pub.out, /Published \d+ value/);
      const noTenant = await run(['comparison', 'withdraw']);
      assert.notEqual(noTenant.code, 0);
      assert.match(noTenant.err, /--tenant KEY/);
      const w = await run(['--tenant', c, 'comparison', 'withdraw']);
      assert.equal(w.code, 0, w.err);
      await t.shared.query('DELETE FROM comparison_standard WHERE key = $1', [`${run_}_csv`]);
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  });

  test('removing a tenant removes its place in the comparison', async () => {
    await optIn(ctx(b), t.database(rows[b]));
    await publishComparison(ctx(b), t.database(rows[b]));
    const file = tmp.file('b.jsonl.gz', '');
    await t.export(b, file);
    await t.remove(b);
    assert.equal(
      (await loadValues(t.shared, { standards: [POP, CASES, RATE], level: 'territory', tenants: [b] })).length,
      0,
    );
    const left = await t.shared.query(
      'SELECT 1 FROM comparison_mapping WHERE tenant = $1 UNION ALL SELECT 1 FROM comparison_participation WHERE tenant = $1',
      [b],
    );
    assert.equal(left.rows.length, 0);
  });
});
