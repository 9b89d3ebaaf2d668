// JSON-stat answers (issue 19): `format=json-stat` next to the JSON answer of the same query, on
// the demo city, through the HTTP layer in process (Fastify inject: routing, validation, the
// service, serialisation). Signed in with an API token, so that the answer cache (which keeps
// anonymous answers) does not answer instead: every request computes its answer. Requests of
// both formats alternate; median of RUNS each after WARMUP untimed pairs.
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { spliceSection } from './sections.ts';
import { openDatabase } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { loadDemo } from '../src/services/demo.ts';
import { addUser, createToken } from '../src/services/users.ts';
import { SYSTEM } from '../src/core/access.ts';
import { buildServer } from '../src/http/server.ts';

export const JSON_STAT_SECTION_START = '<!-- json-stat-bench:start -->';
export const JSON_STAT_SECTION_END = '<!-- json-stat-bench:end -->';
const RUNS = 30;
const WARMUP = 5;

const QUERIES = [
  {
    label: 'observations, 301 blocks',
    path: '/api/observations?indicator=transferbezug_unter15&layer=block&period=2024-12-31',
  },
  {
    label: 'observations, Stadtteile, women',
    path: '/api/observations?indicator=einwohner&layer=stadtteil&geschlecht=w',
  },
  { label: 'time series, one Stadtteil', path: '/api/timeseries?indicator=einwohner&layer=stadtteil&area=0101' },
];

export interface JsonStatBenchRow {
  label: string;
  path: string;
  jsonMs: number;
  jsonStatMs: number;
  jsonBytes: number;
  jsonStatBytes: number;
}

export interface JsonStatBenchResult {
  at: string;
  loadBefore: number;
  loadAfter: number;
  rows: JsonStatBenchRow[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function runJsonStatBench(o: { log: (m: string) => void }): Promise<JsonStatBenchResult> {
  const loadBefore = loadavg()[0];
  const db = await openDatabase({ memory: true });
  try {
    await migrate(db);
    o.log('loading the demo city');
    await loadDemo(db);
    await addUser(db, SYSTEM, { name: 'analyst', role: 'viewer', password: 'correct horse battery staple 19' });
    const { token } = await createToken(db, SYSTEM, { user: 'analyst', name: 'json-stat bench' });
    const app = await buildServer(db);
    const headers = { authorization: `Bearer ${token}` };
    const rows: JsonStatBenchRow[] = [];
    try {
      for (const q of QUERIES) {
        const times: Record<'json' | 'stat', number[]> = { json: [], stat: [] };
        const bytes = { json: 0, stat: 0 };
        for (let i = 0; i < WARMUP + RUNS; i++) {
          for (const f of ['json', 'stat'] as const) {
            const url = f === 'json' ? q.path : `${q.path}&format=json-stat`;
            const t0 = performance.now();
            const r = await app.inject({ url, headers });
            const ms = performance.now() - t0;
            if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
            bytes[f] = r.rawPayload.length;
            if (i >= WARMUP) times[f].push(ms);
          }
        }
        rows.push({
          label: q.label,
          path: q.path,
          jsonMs: median(times.json),
          jsonStatMs: median(times.stat),
          jsonBytes: bytes.json,
          jsonStatBytes: bytes.stat,
        });
        o.log(`${q.label}: JSON ${median(times.json).toFixed(1)} ms, JSON-stat ${median(times.stat).toFixed(1)} ms`);
      }
    } finally {
      await app.close();
    }
    return { at: new Date().toISOString(), loadBefore, loadAfter: loadavg()[0], rows };
  } finally {
    await db.close();
  }
}

export function jsonStatBenchMarkdown(r: JsonStatBenchResult | { error: string }, commit: string): string {
  const head = [JSON_STAT_SECTION_START, '## Issue #19 — JSON-stat answers', ''];
  if ('error' in r) return [...head, `Not measured: ${r.error}`, JSON_STAT_SECTION_END].join('\n');
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  return [
    ...head,
    `Measured ${r.at.slice(0, 16).replace('T', ' ')} UTC on ${commit}; load average (1 min) ${r.loadBefore.toFixed(1)} before, ${r.loadAfter.toFixed(1)} after. The demo city in an in-memory embedded database; requests through the HTTP layer in process (Fastify inject), signed in with an API token so that every request computes its answer (the answer cache keeps anonymous answers only); the two formats alternate, median of ${RUNS} requests each after ${WARMUP} untimed pairs (bench/json-stat.ts). Target: a JSON-stat answer within 1.5× the JSON answer's time.`,
    '',
    '| query | JSON | JSON-stat | ratio | sizes (JSON / JSON-stat) | met |',
    '|---|---|---|---|---|---|',
    ...r.rows.map(
      (x) =>
        `| ${x.label} (\`${x.path}\`) | ${ms(x.jsonMs)} | ${ms(x.jsonStatMs)} | ${(x.jsonStatMs / x.jsonMs).toFixed(2)}× | ${(x.jsonBytes / 1024).toFixed(0)} / ${(x.jsonStatBytes / 1024).toFixed(0)} KiB | ${x.jsonStatMs <= 1.5 * x.jsonMs ? 'met' : '**missed**'} |`,
    ),
    JSON_STAT_SECTION_END,
  ].join('\n');
}

export function spliceJsonStatSection(doc: string, section: string): string {
  return spliceSection(doc, section, JSON_STAT_SECTION_START, JSON_STAT_SECTION_END);
}
