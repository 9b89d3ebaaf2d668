// Read scale-out on a real primary and hot standby (Debian's PostgreSQL binaries, started for
// this test): reads of GET requests hit the standby, writes the primary; the importer reads their
// import at once even while the standby has not replayed it; tenants read their own schema on the
// standby; a stopped standby leaves the reads to the primary.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { clusterGate, startCluster, type Cluster } from '../helpers/pg-cluster.ts';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { inReadScope, lsnValue } from '../../src/store/replicas.ts';
import { Tenants } from '../../src/store/tenants.ts';
import { buildServer } from '../../src/http/server.ts';
import { buildTenantServer } from '../../src/http/tenant-server.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { INDEX_TEMPLATES } from '../../src/core/stats/templates.ts';
import { addUser } from '../../src/services/users.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';

const PASSWORD = 'correct horse battery staple';

async function sql<T>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}

/** Waits until the standby has replayed everything the primary has written so far. */
async function caughtUp(cluster: Cluster): Promise<void> {
  const [{ lsn }] = await sql<{ lsn: string }>(cluster.primaryUrl, 'SELECT pg_current_wal_lsn()::text AS lsn');
  const deadline = Date.now() + 20_000;
  for (;;) {
    const [{ replayed }] = await sql<{ replayed: string }>(
      cluster.standbyUrl,
      'SELECT pg_last_wal_replay_lsn()::text AS replayed',
    );
    if (lsnValue(replayed) >= lsnValue(lsn)) return;
    if (Date.now() > deadline) throw new Error(`the standby did not replay ${lsn} (at ${replayed})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('read replicas [PostgreSQL primary and hot standby]', clusterGate(), () => {
  let cluster: Cluster;
  let db: Database;
  let app: FastifyInstance;
  const tmp = tempDir();
  const OBS = '/api/observations?indicator=einwohner&layer=bezirk&period=2023';

  before(async () => {
    cluster = await startCluster();
    db = await openDatabase({
      databaseUrl: cluster.primaryUrl,
      replicaUrls: [cluster.standbyUrl],
      schema: 'km',
      replicas: { waitMs: 200, maxLagMs: 60_000 },
    });
    await migrate(db);
    await importAreas(
      db,
      tmp.file(
        'b.geojson',
        featureCollection([
          { code: '01', name: 'Nord', geometry: square(8, 50, 0.1) },
          { code: '02', name: 'Süd', geometry: square(8.1, 50, 0.1) },
        ]),
      ),
      { layer: 'bezirk' },
    );
    await importCatalogue(db, [
      {
        key: 'einwohner',
        name: 'Einwohner',
        unit: 'Personen',
        type: 'count',
        source: 'Melderegister',
        confidentiality: 'public',
      },
    ]);
    await importObservations(
      db,
      tmp.file('ew22.csv', 'indicator;area;period;value\neinwohner;01;2022;100\neinwohner;02;2022;200\n'),
    );
    await addUser(db, SYSTEM, { name: 'anna', role: 'admin', password: PASSWORD });
    await caughtUp(cluster);
    await db.readRouting!.monitor.check();
    app = await buildServer(db);
  });
  after(async () => {
    await app?.close();
    await db?.close();
    cluster?.stop();
    tmp.cleanup();
  });

  test('in a read scope, reads run on the standby; writes and everything outside a scope on the primary', async () => {
    const onStandby = await inReadScope({ replica: true }, () =>
      db.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r'),
    );
    assert.equal(onStandby.rows[0].r, true);
    assert.equal((await db.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0].r, false);
    // A transaction that writes fails on the standby (read-only) and runs again on the primary.
    const seen: boolean[] = [];
    await inReadScope({ replica: true }, () =>
      db.transaction(async (tx) => {
        seen.push((await tx.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0].r);
        await tx.query("INSERT INTO login_attempt (address) VALUES ('replica-test')");
      }),
    );
    assert.deepEqual(seen, [true, false]);
    // Also when the function catches the refused write and goes on (COMMIT would roll it back).
    const tried: boolean[] = [];
    await inReadScope({ replica: true }, () =>
      db.transaction(async (tx) => {
        tried.push((await tx.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')).rows[0].r);
        await tx.query("INSERT INTO login_attempt (address) VALUES ('replica-test')").catch(() => undefined);
      }),
    );
    assert.deepEqual(tried, [true, false]);
    assert.equal(
      (
        await sql<{ n: number }>(
          cluster.primaryUrl,
          "SELECT count(*)::int AS n FROM km.login_attempt WHERE address = 'replica-test'",
        )
      )[0].n,
      2,
    );
    // A statement that writes never goes to the standby.
    const w = await inReadScope({ replica: true }, () =>
      db.query<{ r: boolean }>(
        "WITH x AS (DELETE FROM login_attempt WHERE address = 'replica-test' RETURNING 1) SELECT pg_is_in_recovery() AS r",
      ),
    );
    assert.equal(w.rows[0].r, false);
  });

  test('a table that the standby has not replayed yet (a migration just applied) is read from the primary', async () => {
    await caughtUp(cluster);
    await sql(cluster.standbyUrl, 'SELECT pg_wal_replay_pause()');
    try {
      await db.exec('CREATE TABLE just_migrated (x int); INSERT INTO just_migrated VALUES (1)');
      const r = await inReadScope({ replica: true }, () =>
        db.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r FROM just_migrated'),
      );
      assert.equal(r.rows[0].r, false);
    } finally {
      await sql(cluster.standbyUrl, 'SELECT pg_wal_replay_resume()');
    }
    await db.exec('DROP TABLE just_migrated');
  });

  test('GET requests are read from the standby, other requests from the primary', async () => {
    const r = await app.inject({ url: '/api/indicators' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['x-read-from'], 'replica');
    const login = await app.inject({
      url: '/api/auth/login',
      method: 'POST',
      payload: { user: 'anna', password: PASSWORD },
    });
    assert.equal(login.statusCode, 200);
    assert.notEqual(login.headers['x-read-from'], 'replica');
    // A computation posted as a body stores nothing: it reads from the standby, and sets no fence.
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const computed = await app.inject({
      url: '/api/analysis/index',
      method: 'POST',
      payload: { ...INDEX_TEMPLATES.status, layer: 'bezirk', period: '2022' },
      headers: { cookie, 'x-csrf-token': login.json().csrfToken },
    });
    assert.ok(computed.statusCode < 500, computed.body);
    assert.equal(computed.headers['x-read-from'], 'replica');
    assert.equal(
      (
        await sql<{ n: number }>(
          cluster.primaryUrl,
          "SELECT count(*)::int AS n FROM km.read_fence f JOIN km.app_user u ON u.id = f.user_id WHERE u.name = 'anna'",
        )
      )[0].n,
      0,
    );
  });

  test('after an import over the HTTP API the importer reads it at once, also while the standby has not replayed it', async () => {
    const login = await app.inject({
      url: '/api/auth/login',
      method: 'POST',
      payload: { user: 'anna', password: PASSWORD },
    });
    const anna = { cookie: String(login.headers['set-cookie']).split(';')[0] };
    const csrf = login.json().csrfToken as string;
    await caughtUp(cluster);
    // Before the import, anna reads from the standby like everybody.
    const before = await app.inject({ url: '/api/indicators', headers: anna });
    assert.equal(before.headers['x-read-from'], 'replica');
    await sql(cluster.standbyUrl, 'SELECT pg_wal_replay_pause()');
    try {
      const imported = await app.inject({
        url: '/api/imports/observations?file=ew23.csv',
        method: 'POST',
        payload: 'indicator;area;period;value\neinwohner;01;2023;110\neinwohner;02;2023;220\n',
        headers: { ...anna, 'x-csrf-token': csrf, 'content-type': 'text/csv' },
      });
      assert.equal(imported.statusCode, 200, imported.body);
      const own = await app.inject({ url: OBS, headers: anna });
      assert.equal(own.statusCode, 200, own.body);
      assert.equal(
        own.headers['x-read-from'],
        'primary',
        'the standby has not replayed the import: the importer reads from the primary',
      );
      assert.deepEqual(
        own.json().values.map((x: { value: number }) => x.value),
        [110, 220],
      );
      // Everybody else still reads the standby's state.
      const others = await app.inject({ url: OBS });
      assert.equal(others.headers['x-read-from'], 'replica');
      assert.notEqual(others.statusCode, 200, 'the standby does not know 2023 yet');
    } finally {
      await sql(cluster.standbyUrl, 'SELECT pg_wal_replay_resume()');
    }
    await caughtUp(cluster);
    const later = await app.inject({ url: OBS, headers: anna });
    assert.equal(later.headers['x-read-from'], 'replica', 'replayed: the importer is back on the standby');
    assert.equal(later.statusCode, 200);
    const others = await app.inject({ url: OBS });
    assert.equal(others.statusCode, 200, 'and the public answer follows the replayed import');
    assert.equal(others.headers['x-read-from'], 'replica');
    assert.deepEqual(
      others.json().values.map((x: { value: number }) => x.value),
      [110, 220],
    );
  });

  test('tenants: a tenant facade reads its own schema on the standby', async () => {
    const tenants = await Tenants.open(cluster.primaryUrl, { replicaUrls: [cluster.standbyUrl] });
    try {
      const row = await tenants.add({ key: 'replica-town', name: 'Replikstadt' });
      await caughtUp(cluster);
      const tdb = tenants.database(row);
      await tdb.readRouting!.monitor.check();
      const read = await inReadScope({ replica: true }, () =>
        tdb.query<{ s: string; r: boolean }>('SELECT current_schema() AS s, pg_is_in_recovery() AS r'),
      );
      assert.deepEqual(read.rows[0], { s: 't_replica_town', r: true });
      const outside = await tdb.query<{ s: string; r: boolean }>(
        'SELECT current_schema() AS s, pg_is_in_recovery() AS r',
      );
      assert.deepEqual(outside.rows[0], { s: 't_replica_town', r: false });
      // The tenant's tables are there on the standby (migrations replayed).
      const n = await inReadScope({ replica: true }, () =>
        tdb.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations'),
      );
      assert.ok(n.rows[0].n > 0);
      // Through the front: the tenant's GET is read from the standby.
      const front = await buildTenantServer(tenants, { mode: 'path' }, { recheckMs: 0 });
      try {
        const r = await front.inject({ url: '/t/replica-town/api/indicators' });
        assert.equal(r.statusCode, 200, r.body);
        assert.equal(r.headers['x-read-from'], 'replica');
        assert.deepEqual(r.json().indicators, []);
      } finally {
        await front.close();
      }
    } finally {
      await tenants.close();
    }
  });

  test('a replica further behind than the bound is skipped, and used again once it has caught up', async () => {
    const strict = await openDatabase({
      databaseUrl: cluster.primaryUrl,
      replicaUrls: [cluster.standbyUrl],
      schema: 'km',
      replicas: { maxLagMs: 300, checkEveryMs: 50 },
    });
    const where = async () =>
      (await inReadScope({ replica: true }, () => strict.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r')))
        .rows[0].r;
    try {
      await caughtUp(cluster);
      await strict.readRouting!.monitor.check();
      assert.equal(await where(), true);
      await sql(cluster.standbyUrl, 'SELECT pg_wal_replay_pause()');
      try {
        await strict.query("INSERT INTO login_attempt (address) VALUES ('lag-test')");
        await strict.readRouting!.monitor.check();
        await new Promise((r) => setTimeout(r, 400));
        await strict.readRouting!.monitor.check();
        assert.ok(strict.readRouting!.monitor.lagMs(0) > 300);
        assert.equal(await where(), false, 'behind by more than 300 ms: the primary reads');
      } finally {
        await sql(cluster.standbyUrl, 'SELECT pg_wal_replay_resume()');
      }
      await caughtUp(cluster);
      await strict.readRouting!.monitor.check();
      assert.equal(await where(), true);
      await strict.query("DELETE FROM login_attempt WHERE address = 'lag-test'");
    } finally {
      await strict.close();
    }
  });

  test('with the standby stopped, reads fall back to the primary', async () => {
    cluster.stopStandby();
    for (let i = 0; i < 3; i++) {
      const r = await app.inject({ url: '/api/indicators?theme=x' + i });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.headers['x-read-from'], 'primary');
    }
    const obs = await app.inject({ url: OBS });
    assert.equal(obs.statusCode, 200);
  });
});
