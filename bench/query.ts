// The observations request for one indicator over 500 areas, through the service and through HTTP.
// Set-up (not timed): stadt (1) → stadtbezirk (12) → gebiet (500 areas), einwohner by
// altersgruppe (10) × geschlecht (2) for 10 monthly Stichtage (100,000 observations), and the
// derived ratio anteil_unter6 (both public, read anonymously, as the HTTP request does).
// Warm cases: 20 warm-up calls, then 200 timed calls one after another (the service's read
// snapshot and its cached sums stay valid, as between two imports in production).
// Cold cases: the first request after an import — before each call a row is added to
// import_batch (outside the timer), which invalidates the snapshot exactly as an import does.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import type { Database, Queryable } from '../src/store/db.ts';
import { importObservations } from '../src/services/observations-import.ts';
import { getObservations, type ObservationsQuery } from '../src/services/query.ts';
import { buildServer } from '../src/http/server.ts';
import { ANONYMOUS } from '../src/core/access.ts';
import { buildCity, writeObservationsCsv, stichtage } from './setup.ts';

export const QUERY_AREAS = 500;
export const QUERY_PERIODS = 10;
const WARMUP = 20;
const TIMED = 200;
const COLD_WARMUP = 3;
const COLD_TIMED = 30;

export interface QueryCase {
  key: string;
  name: string;
  medianMs: number;
  p95Ms: number;
  minMs: number;
  /** Median CPU time of this process per call (user + system, all its threads), ms. */
  cpuMedianMs: number;
  calls: number;
  cold?: boolean;
}

export interface QueryBenchResult {
  engine: string;
  observations: number;
  setupSeconds: number;
  cases: QueryCase[];
  /** Peer per case key: one hand-written SQL statement returning the same numbers, warm, same repetitions. */
  peers: (QueryCase & { what: string })[];
  /** Case key → median ms per statement class within one call (timers around each query); the rest is JS. */
  breakdown: Record<string, Record<string, number>>;
}

function percentile(sorted: number[], q: number): number {
  // Nearest rank.
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[k];
}

function statementClass(sql: string): string {
  if (/pg_current_snapshot/.test(sql)) return 'snapshot validity check';
  if (/FROM observation\b/.test(sql) && /sum\(/.test(sql)) return 'aggregation query';
  if (/FROM area WHERE layer_version_id/.test(sql)) return 'areas of the layer';
  return 'snapshot reload (catalogue, periods, closure)';
}

const JS = 'JS (service code, answer building)';

async function measure(
  key: string,
  name: string,
  call: () => Promise<void>,
  invalidate?: () => Promise<void>,
): Promise<QueryCase> {
  const warm = invalidate ? COLD_WARMUP : WARMUP;
  const timed = invalidate ? COLD_TIMED : TIMED;
  for (let i = 0; i < warm; i++) {
    await invalidate?.();
    await call();
  }
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < timed; i++) {
    await invalidate?.();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await call();
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return {
    key,
    name,
    medianMs: percentile(times, 0.5),
    p95Ms: percentile(times, 0.95),
    minMs: times[0],
    cpuMedianMs: percentile(cpu, 0.5),
    calls: timed,
    cold: !!invalidate,
  };
}

/** Medians per statement class over calls of getObservations with timers around each query. */
async function breakdown(
  db: Database,
  q: ObservationsQuery,
  invalidate?: () => Promise<void>,
): Promise<Record<string, number>> {
  let current: Record<string, number> = {};
  // A separate object: the service caches its snapshot per database object, so this one has its own.
  const timed = {
    async query(sql: string, params?: unknown[]) {
      const t0 = performance.now();
      try {
        return await db.query(sql, params);
      } finally {
        const k = statementClass(sql);
        current[k] = (current[k] ?? 0) + performance.now() - t0;
      }
    },
    exec: (sql: string) => db.exec(sql),
    copyText: (t: string, c: string[], x: string) => db.copyText(t, c, x),
  } as Queryable;
  const samples: Record<string, number>[] = [];
  const [warm, n] = invalidate ? [COLD_WARMUP, COLD_TIMED] : [WARMUP, 100];
  for (let i = 0; i < warm + n; i++) {
    await invalidate?.();
    current = {};
    const t0 = performance.now();
    await getObservations(timed, q, ANONYMOUS);
    const total = performance.now() - t0;
    current[JS] = total - Object.values(current).reduce((a, b) => a + b, 0);
    current['total'] = total;
    if (i >= warm) samples.push(current);
  }
  const keys = [...new Set(samples.flatMap((s) => Object.keys(s)))];
  const out: Record<string, number> = {};
  for (const k of keys)
    out[k] = percentile(
      samples.map((s) => s[k] ?? 0).sort((a, b) => a - b),
      0.5,
    );
  return out;
}

/** Sets up the 500-area city in db (freshly migrated) and measures the cases. */
export async function runQueryBench(db: Database, work: string): Promise<QueryBenchResult> {
  const t0 = performance.now();
  await buildCity(db, work, { layer: 'gebiet', areas: QUERY_AREAS });
  const file = await writeObservationsCsv(join(work, 'query-einwohner.csv'), {
    areas: QUERY_AREAS,
    periods: QUERY_PERIODS,
  });
  const imported = await importObservations(db, file.path, { layer: 'gebiet' });
  const setupSeconds = (performance.now() - t0) / 1000;

  const service = (q: ObservationsQuery, expectAreas: number) => async () => {
    const a = await getObservations(db, q, ANONYMOUS);
    // A sanity check of the answer (not of the timing): every area is there.
    if (a.values.length !== expectAreas) throw new Error(`expected ${expectAreas} areas, got ${a.values.length}`);
  };
  // What every import does to readers: a new import batch (here an empty one).
  const invalidate = async () => {
    await db.query(
      `INSERT INTO import_batch (kind, file_name) VALUES ('observations', 'bench: invalidate read snapshot')`,
    );
  };
  const lastPeriod = stichtage(QUERY_PERIODS).at(-1)!;
  const qa: ObservationsQuery = { indicator: 'einwohner', layer: 'gebiet' };
  const qb: ObservationsQuery = { indicator: 'anteil_unter6', layer: 'gebiet' };
  const qc: ObservationsQuery = { indicator: 'einwohner', layer: 'stadtbezirk' };
  const cases: QueryCase[] = [];
  cases.push(await measure('a', '(a) count `einwohner`, 500-area layer', service(qa, QUERY_AREAS)));
  cases.push(await measure('b', '(b) ratio `anteil_unter6`, 500-area layer', service(qb, QUERY_AREAS)));
  cases.push(await measure('c', '(c) count `einwohner` aggregated to the 12 districts', service(qc, 12)));
  cases.push(
    await measure(
      'b-period',
      `(b) with period=${lastPeriod} given`,
      service({ ...qb, period: lastPeriod }, QUERY_AREAS),
    ),
  );

  const app = await buildServer(db);
  try {
    await app.ready();
    const http = async () => {
      const r = await app.inject({ url: '/api/observations?indicator=anteil_unter6&layer=gebiet' });
      if (r.statusCode !== 200) throw new Error(`HTTP ${r.statusCode}: ${r.body.slice(0, 200)}`);
    };
    cases.push(
      await measure(
        'b-http',
        '(b) through HTTP: `GET /api/observations?indicator=anteil_unter6&layer=gebiet` (app.inject)',
        http,
      ),
    );
    cases.push(
      await measure(
        'a-cold',
        '(a) first request after an import (snapshot invalidated)',
        service(qa, QUERY_AREAS),
        invalidate,
      ),
    );
    cases.push(
      await measure(
        'b-cold',
        '(b) first request after an import (snapshot invalidated)',
        service(qb, QUERY_AREAS),
        invalidate,
      ),
    );
    cases.push(
      await measure('c-cold', '(c) first request after an import (snapshot invalidated)', service(qc, 12), invalidate),
    );
    cases.push(await measure('b-http-cold', '(b) through HTTP, first request after an import', http, invalidate));
  } finally {
    await app.close();
  }
  const peers = await peerQueries(db);
  const bd: Record<string, Record<string, number>> = {
    a: await breakdown(db, qa),
    b: await breakdown(db, qb),
    c: await breakdown(db, qc),
    'b-cold': await breakdown(db, qb, invalidate),
  };
  return { engine: db.kind, observations: imported.observations, setupSeconds, cases, peers, breakdown: bd };
}

/**
 * The peers: what the engine needs for the same numbers with one plain SQL statement (latest
 * period, per area of the layer, ordered by code), without any caching in between.
 */
async function peerQueries(db: Database): Promise<(QueryCase & { what: string })[]> {
  const one = async (sql: string, params: unknown[] = []) => (await db.query<{ id: number }>(sql, params)).rows[0].id;
  const indicator = await one(`SELECT id FROM indicator WHERE key = 'einwohner'`);
  const period = await one(
    `SELECT p.id FROM period p WHERE EXISTS (SELECT 1 FROM observation o WHERE o.indicator_id = $1 AND o.period_id = p.id) ORDER BY p.end_date DESC LIMIT 1`,
    [indicator],
  );
  const version = async (layer: string) =>
    one(`SELECT v.id FROM layer_version v JOIN layer l ON l.id = v.layer_id WHERE l.key = $1`, [layer]);
  const gebiet = await version('gebiet');
  const bezirk = await version('stadtbezirk');
  const count = `SELECT a.code, a.name, sum(o.value) AS value
       FROM area a LEFT JOIN observation o ON o.area_id = a.id AND o.indicator_id = $1 AND o.period_id = $2
      WHERE a.layer_version_id = $3 GROUP BY a.code, a.name ORDER BY a.code`;
  const ratio = `SELECT a.code, a.name, sum(o.value) AS base,
            CASE WHEN sum(o.value) >= 300 THEN 100 * sum(o.value) FILTER (WHERE mc.members @> '{"altersgruppe":"unter6"}') / sum(o.value) END AS value
       FROM area a LEFT JOIN observation o ON o.area_id = a.id AND o.indicator_id = $1 AND o.period_id = $2
       LEFT JOIN member_combination mc ON mc.id = o.members_id
      WHERE a.layer_version_id = $3 GROUP BY a.code, a.name ORDER BY a.code`;
  const rolled = `SELECT d.code, d.name, sum(o.value) AS value
       FROM area d JOIN area_ancestor aa ON aa.ancestor_id = d.id
       JOIN observation o ON o.area_id = aa.area_id AND o.indicator_id = $1 AND o.period_id = $2
      WHERE d.layer_version_id = $3 GROUP BY d.code, d.name ORDER BY d.code`;
  const run = (sql: string, params: unknown[], expect: number) => async () => {
    const { rows } = await db.query(sql, params);
    if (rows.length !== expect) throw new Error(`peer query returned ${rows.length} rows, expected ${expect}`);
  };
  const out: (QueryCase & { what: string })[] = [];
  out.push({
    ...(await measure('a', 'peer (a)', run(count, [indicator, period, gebiet], QUERY_AREAS))),
    what: 'SUM … GROUP BY area',
  });
  out.push({
    ...(await measure('b', 'peer (b)', run(ratio, [indicator, period, gebiet], QUERY_AREAS))),
    what: 'SUM FILTER / SUM per area',
  });
  out.push({
    ...(await measure('c', 'peer (c)', run(rolled, [indicator, period, bezirk], 12))),
    what: 'SUM via area_ancestor',
  });
  return out;
}
