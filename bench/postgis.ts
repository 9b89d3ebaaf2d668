// The PostGIS peer of the point-in-polygon benchmark (issue #6): the same 1,000,000 points and
// 138 district regions as bench/geo.ts, an ST_Contains join with a GiST index on the polygons,
// timed on the PostgreSQL server; assignments compared with our index for every point not on a
// border (ST_Contains leaves border points out).
import { openDatabase } from '../src/store/db.ts';
import { PointIndex } from '../src/core/geo/point-index.ts';
import { pipBenchData } from './geo.ts';

export interface PostgisResult {
  available: boolean;
  note: string;
  seconds?: number;
  pointsPerSecond?: number;
  oursPointsPerSecond?: number;
  ratio?: number;
  compared?: number;
  differing?: number;
  version?: string;
}

export async function benchPostgis(url: string | undefined): Promise<PostgisResult> {
  if (!url) return { available: false, note: 'not measured (no PostgreSQL server)' };
  const data = pipBenchData();
  if (!data) return { available: false, note: 'not measured (Berlin data missing)' };
  const schema = `bench_postgis_${Date.now()}`;
  const db = await openDatabase({ databaseUrl: url, schema });
  try {
    try {
      await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
    } catch (e) {
      return {
        available: false,
        note: `not measured: PostGIS is not installed on the server (${(e as Error).message}); Debian: postgresql-15-postgis-3`,
      };
    }
    const version = (await db.query<{ v: string }>('SELECT postgis_lib_version() AS v')).rows[0].v;
    await db.exec(
      'CREATE TABLE region (id int PRIMARY KEY, code text, geom geometry(MultiPolygon, 4326)); CREATE TABLE pt (id int PRIMARY KEY, geom geometry(Point, 4326))',
    );
    for (let i = 0; i < data.geometries.length; i++) {
      await db.query('INSERT INTO region VALUES ($1, $2, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($3), 4326)))', [
        i,
        data.codes[i],
        JSON.stringify(data.geometries[i]),
      ]);
    }
    await db.exec('CREATE INDEX region_geom ON region USING gist (geom); ANALYZE region');
    const lines: string[] = [];
    for (let i = 0; i < data.xs.length; i++) lines.push(`${i}\tSRID=4326;POINT(${data.xs[i]} ${data.ys[i]})`);
    await db.transaction(async (tx) => {
      for (let k = 0; k < lines.length; k += 200_000)
        await tx.copyText('pt', ['id', 'geom'], lines.slice(k, k + 200_000).join('\n') + '\n');
    });
    await db.exec('ANALYZE pt');
    // Timed: the join itself, results returned to the client (as our index returns them).
    const t0 = performance.now();
    const { rows } = await db.query<{ p: number; r: number }>(
      'SELECT pt.id AS p, region.id AS r FROM pt JOIN region ON ST_Contains(region.geom, pt.geom)',
    );
    const seconds = (performance.now() - t0) / 1000;
    const index = PointIndex.build(data.geometries);
    const out = new Int32Array(data.xs.length);
    const t1 = performance.now();
    index.assignMany(data.xs, data.ys, out);
    const ours = (performance.now() - t1) / 1000;
    const theirs = new Int32Array(data.xs.length).fill(-1);
    for (const r of rows) theirs[r.p] = r.r;
    let differing = 0;
    let compared = 0;
    for (let i = 0; i < out.length; i++) {
      if (theirs[i] === -1 && out[i] !== -1) continue; // on a border or outside for PostGIS: not compared
      compared++;
      if (theirs[i] !== out[i]) differing++;
    }
    return {
      available: true,
      version,
      seconds,
      pointsPerSecond: data.xs.length / seconds,
      oursPointsPerSecond: data.xs.length / ours,
      ratio: seconds / ours,
      compared,
      differing,
      note: 'ST_Contains join with a GiST index on the polygons, rows returned to the client; ours: PointIndex.assignMany on one thread',
    };
  } finally {
    await db.exec(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchPostgis(process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL));
}
