// The load bench's section of docs/benchmarks.md: rendered between markers, replaced alone by
// `npm run bench -- load`, and verdicts computed from the figures (no timing is asserted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  loadBenchMarkdown,
  spliceLoadSection,
  LOAD_SECTION_START,
  LOAD_SECTION_END,
  type LoadBenchResult,
  type RunFigures,
} from '../../bench/load.ts';

const run = (reqPerSec: number, p99: number, failures = 0): RunFigures => ({
  seconds: 30,
  requests: reqPerSec * 30,
  reqPerSec,
  p50: p99 / 3,
  p99,
  max: p99 * 2,
  errors: failures,
  timeouts: 0,
  non2xx: 0,
});

const result: LoadBenchResult = {
  date: '2026-12-01 12:00 UTC',
  code: 'abc1234',
  nproc: 2,
  seconds: 30,
  short: false,
  loadavg: { start: 0.5, end: 0.9 },
  setupSeconds: 20,
  endpoints: [
    {
      key: 'observations',
      path: '/api/observations?indicator=anteil_unter6&layer=stadtteil',
      label: 'observations',
      bytes: 5600,
      contentType: 'application/json; charset=utf-8',
      areas: 38,
      runs: [
        { connections: 64, server: run(6000, 20), peer: run(10000, 10) },
        { connections: 200, server: run(4000, 90, 3), peer: run(10000, 30) },
      ],
    },
    {
      key: 'areas',
      path: '/api/layers/stadtteil/areas',
      label: 'areas',
      bytes: 88000,
      contentType: 'application/geo+json',
      areas: 38,
      runs: [{ connections: 64, server: run(1000, 80), peer: run(4000, 20) }],
    },
  ],
  imports: {
    rows: 200000,
    bytes: 7_000_000,
    file: 'x',
    alone: { seconds: 2, inserted: 200000, serverCpuSeconds: 2 },
    underLoad: { seconds: 5, inserted: 200000, serverCpuSeconds: 3, readers: run(3000, 100) },
  },
  serverPeakRssMb: 400,
};

test('the section states each target with its verdict', () => {
  const md = loadBenchMarkdown(result);
  assert.ok(md.startsWith(LOAD_SECTION_START) && md.endsWith(LOAD_SECTION_END));
  const rows = md.split('\n').filter((l) => l.startsWith('| `GET'));
  assert.equal(rows.length, 3);
  assert.match(rows[0], /60\.0 % \| throughput ≥ 50 % of peer: met; p99 ≤ 50 ms: met/);
  assert.match(rows[1], /3 \/ 0 \/ 0/);
  assert.match(rows[1], /no failures: \*\*missed\*\*; throughput ≥ 50 % of peer: \*\*missed\*\*/);
  assert.match(rows[2], /25\.0 % \| throughput ≥ 50 % of peer: \*\*missed\*\*; p99 ≤ 50 ms: \*\*missed\*\*/);
  assert.match(md, /\| 2\.50× \| \*\*missed\*\* \|/);
  assert.match(md, /50 % of the 6,000 req\/s without an import/);
  assert.doesNotMatch(md, /Short mode|Note:/);
  assert.match(
    loadBenchMarkdown({ ...result, short: true, seconds: 3, loadavg: { start: 3, end: 2 } }),
    /Short mode.*\n[\s\S]*\*\*Note:\*\* the load average reached 3\.0 on 2 CPUs/,
  );
});

test('the section replaces its old self and nothing else, or goes before the method notes', () => {
  const doc = '# Benchmarks\n\nintro\n\n## Method notes\n\n- notes\n';
  const first = spliceLoadSection(doc, `${LOAD_SECTION_START}\nold\n${LOAD_SECTION_END}`);
  assert.equal(
    first,
    `# Benchmarks\n\nintro\n\n${LOAD_SECTION_START}\nold\n${LOAD_SECTION_END}\n\n## Method notes\n\n- notes\n`,
  );
  const second = spliceLoadSection(first, `${LOAD_SECTION_START}\nnew\n${LOAD_SECTION_END}`);
  assert.equal(second, first.replace('old', 'new'));
  assert.equal(spliceLoadSection('# B\n', 'S'), '# B\n\nS\n');
  assert.match(loadBenchMarkdown({ error: 'the server exited (1)' }), /Not measured: the server exited \(1\)/);
});
