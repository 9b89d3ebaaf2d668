// Issue 11, item 7: throughput of the real HTTP server under load, next to a peer in the same run.
//
// The server runs as `node bin/kommunalmonitor.mjs --data-dir <tmp> serve --port P --host 127.0.0.1`
// in a child process (the demo city is loaded on its first start, as with `npm start`; an admin
// and an API token are created through the CLI before it starts). The peer is a minimal Node
// `http` server in its own child process (bench/load-peer.ts) that serves byte-identical bodies
// with the same Content-Type, fetched once from the server. autocannon runs in this process.
//
//   - GET /api/observations?indicator=anteil_unter6&layer=stadtteil (38 Stadtteile) and
//     GET /api/layers/stadtteil/areas (GeoJSON): server and peer, 64 and 200 connections;
//   - an HTTP import of 200,000 observation rows alone, and again (a second file, new periods)
//     while 64 connections read the observations endpoint.
//
// BENCH_LOAD_SECONDS=N sets the length of each run (default 30; 3 for a quick check). Everything
// listens on 127.0.0.1 only; every wait has a deadline.
import { spliceSection } from './sections.ts';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import autocannon, { type Result as CannonResult } from 'autocannon';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HOST = '127.0.0.1';
const CONNECTIONS = [64, 200] as const;
const IMPORT_ROWS = 200_000;
const IMPORT_INDICATOR = 'arbeitslose'; // a count on blocks, not part of the endpoints measured
const IMPORT_LAYER = 'block';
const REQUEST_TIMEOUT_S = 10; // autocannon's default: a request without an answer after 10 s is a timeout
const HEALTH_DEADLINE_MS = 300_000; // the first start loads the demo city
const IMPORT_DEADLINE_MS = 600_000;

export const ENDPOINTS = [
  {
    key: 'observations',
    path: '/api/observations?indicator=anteil_unter6&layer=stadtteil',
    label: 'observations, 38 Stadtteile',
  },
  { key: 'areas', path: '/api/layers/stadtteil/areas', label: 'Stadtteil areas as GeoJSON' },
  // As browsers and QGIS ask: with Accept-Encoding; the peer serves the same compressed bytes.
  {
    key: 'areas-gzip',
    path: '/api/layers/stadtteil/areas',
    label: 'Stadtteil areas as GeoJSON, `Accept-Encoding: gzip`',
    encoding: 'gzip',
  },
] as const satisfies readonly { key: string; path: string; label: string; encoding?: 'gzip' }[];

type Endpoint = (typeof ENDPOINTS)[number];
const encodingOf = (e: Endpoint): 'gzip' | undefined => ('encoding' in e ? e.encoding : undefined);
/** The peer answers each endpoint on its own path, so one path can be served plain and compressed. */
const peerPathOf = (e: Endpoint): string => (encodingOf(e) ? `/${encodingOf(e)}${e.path}` : e.path);
const requestHeaders = (e: Endpoint): Record<string, string> => ({ 'accept-encoding': encodingOf(e) ?? 'identity' });

export interface RunFigures {
  seconds: number;
  requests: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}

export interface LoadBenchResult {
  date: string;
  code: string;
  nproc: number;
  seconds: number;
  short: boolean;
  loadavg: { start: number; end: number };
  setupSeconds: number;
  endpoints: {
    key: string;
    path: string;
    label: string;
    bytes: number;
    contentType: string;
    encoding?: string;
    areas?: number;
    runs: { connections: number; server: RunFigures; peer: RunFigures }[];
  }[];
  imports: {
    rows: number;
    bytes: number;
    file: string;
    alone: ImportFigures;
    underLoad: ImportFigures & { readers: RunFigures };
  };
  serverPeakRssMb: number | null;
}

export interface ImportFigures {
  seconds: number;
  inserted: number;
  /** CPU seconds of the server process during the import (from /proc; null elsewhere). */
  serverCpuSeconds: number | null;
}

type Log = (msg: string) => void;

// ---------------------------------------------------------------------------------------------
// Processes

function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // The bench measures the embedded engine on a fresh data dir, on loopback, whatever the shell says.
  for (const k of [
    'DATABASE_URL',
    'PORT',
    'HOST',
    'KOMMUNALMONITOR_DATA_DIR',
    'TRUST_PROXY',
    'KOMMUNALMONITOR_FAULT_ROUTES',
  ])
    delete env[k];
  // The endpoints measured carry no disclosure rule; the background computation of the demo's
  // suppression patterns (a minute of one core after the first start) would only share the CPUs.
  env.KOMMUNALMONITOR_DISCLOSURE_WARMUP = '0';
  return env;
}

function cli(dataDir: string, args: string[], input?: string): string {
  return execFileSync(process.execPath, [join(ROOT, 'bin', 'kommunalmonitor.mjs'), '--data-dir', dataDir, ...args], {
    cwd: ROOT,
    env: childEnv(),
    input: input ?? '',
    timeout: 180_000,
    stdio: ['pipe', 'pipe', 'pipe'],
  }).toString();
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, HOST, () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(port));
    });
  });
}

function tail(s: string, n = 5): string {
  return s.trim().split('\n').slice(-n).join(' | ').slice(0, 500);
}

async function waitForHealth(base: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + HEALTH_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}): ${tail(stderr())}`);
    try {
      const r = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no answer from ${base}/api/health within ${HEALTH_DEADLINE_MS / 1000} s: ${tail(stderr())}`);
}

/** A GET whose body is returned as sent (no decompression), with the response headers. */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((res, rej) => {
    const req = httpGet(url, { headers, timeout: 60_000 }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => res({ status: r.statusCode ?? 0, headers: r.headers, body: Buffer.concat(chunks) }));
      r.on('error', rej);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within 60 s`)));
    req.on('error', rej);
  });
}

function startPeer(
  routes: { path: string; file: string; contentType: string; encoding?: string }[],
): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((res, rej) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'bench', 'load-peer.ts'), JSON.stringify({ routes })],
      { cwd: ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`the peer did not start within 60 s: ${tail(err)}`));
    }, 60_000);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res({ child, port: Number(m[1]) });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`the peer exited (${code}): ${tail(err)}`));
    });
  });
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

let clockTicks: number | undefined;
/** CPU seconds (user + system) of a process so far, from /proc; null where there is none. */
function cpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return null;
  }
}

function peakRssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Load

function figures(r: CannonResult): RunFigures {
  const seconds = r.duration > 0 ? r.duration : 1;
  return {
    seconds,
    requests: r.requests.total,
    reqPerSec: r.requests.total / seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
}

/** One autocannon run, stopped at the latest a minute after its planned end. */
async function cannon(
  url: string,
  connections: number,
  seconds: number,
  headers?: Record<string, string>,
): Promise<RunFigures> {
  const inst = autocannon({ url, connections, duration: seconds, timeout: REQUEST_TIMEOUT_S, headers });
  const guard = setTimeout(() => inst.stop(), (seconds + 60) * 1000);
  try {
    return figures(await inst);
  } finally {
    clearTimeout(guard);
  }
}

// ---------------------------------------------------------------------------------------------
// Import files

function importCsv(codes: string[], members: string[], firstDay: string, rows: number): string {
  const lines = [`indicator;area;period;geschlecht;value`];
  const day = new Date(`${firstDay}T00:00:00Z`);
  let n = 0;
  let v = 0;
  while (n < rows) {
    const p = `${String(day.getUTCDate()).padStart(2, '0')}.${String(day.getUTCMonth() + 1).padStart(2, '0')}.${day.getUTCFullYear()}`;
    for (const code of codes) {
      for (const m of members) {
        if (n >= rows) break;
        lines.push(`${IMPORT_INDICATOR};${code};${p};${m};${10 + (v++ % 190)}`);
        n++;
      }
    }
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return lines.join('\n') + '\n';
}

// The importing client runs in its own process, as a nightly job would: in the bench process it
// would share an event loop (and a core) with autocannon, and measure autocannon's load instead.
const UPLOAD_CLIENT = `
const [url, token, path, deadline] = process.argv.slice(1);
const { readFileSync } = await import('node:fs');
const r = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer ' + token, 'content-type': 'text/csv' }, body: readFileSync(path), signal: AbortSignal.timeout(Number(deadline)) });
process.stdout.write(JSON.stringify({ status: r.status, text: await r.text() }));
`;

async function importOver(
  base: string,
  token: string,
  name: string,
  path: string,
  pid: number | undefined,
): Promise<ImportFigures> {
  const url = `${base}/api/imports/observations?file=${name}&layer=${IMPORT_LAYER}`;
  // Started before the clock: the client process's own start-up is not the server's time.
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `await new Promise((r) => process.stdin.once('data', r)); ${UPLOAD_CLIENT}`,
      url,
      token,
      path,
      String(IMPORT_DEADLINE_MS),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  await new Promise((r) => setTimeout(r, 300));
  const cpu0 = cpuSeconds(pid);
  const t0 = performance.now();
  child.stdin!.end('go');
  const code = await exited;
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = cpuSeconds(pid);
  if (code !== 0 || !out) throw new Error(`the upload client for ${name} ended with ${code}`);
  const { status, text } = JSON.parse(out) as { status: number; text: string };
  if (status !== 200) throw new Error(`the import of ${name} answered ${status}: ${text.slice(0, 300)}`);
  const answer = JSON.parse(text) as { inserted: number };
  if (answer.inserted !== IMPORT_ROWS)
    throw new Error(`the import of ${name} inserted ${answer.inserted} rows, not ${IMPORT_ROWS}`);
  return { seconds, inserted: answer.inserted, serverCpuSeconds: cpu0 !== null && cpu1 !== null ? cpu1 - cpu0 : null };
}

// ---------------------------------------------------------------------------------------------

export async function runLoadBench(opts: { work: string; log: Log; seconds?: number }): Promise<LoadBenchResult> {
  const { log } = opts;
  const seconds =
    opts.seconds ?? (Number(process.env.BENCH_LOAD_SECONDS) > 0 ? Number(process.env.BENCH_LOAD_SECONDS) : 30);
  const warmup = Math.min(2, seconds);
  const dir = join(opts.work, 'load');
  const dataDir = join(dir, 'data');
  mkdirSync(dir, { recursive: true });
  const load0 = loadavg()[0];
  let code = '?';
  try {
    code = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    if (execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT }).toString().trim())
      code += ' (with uncommitted changes)';
  } catch {
    // not a checkout
  }
  const t0 = performance.now();

  log('load: admin and API token through the CLI …');
  cli(dataDir, ['users', 'add', 'bench', '--role', 'admin'], `${randomBytes(18).toString('base64url')}\n`);
  const token = (
    JSON.parse(cli(dataDir, ['--json', 'tokens', 'create', '--user', 'bench', '--name', 'bench'])) as { token: string }
  ).token;

  const port = await freePort();
  const base = `http://${HOST}:${port}`;
  log(`load: starting the server on ${base} (first start loads the demo city) …`);
  const server = spawn(
    process.execPath,
    [join(ROOT, 'bin', 'kommunalmonitor.mjs'), '--data-dir', dataDir, 'serve', '--port', String(port), '--host', HOST],
    {
      cwd: ROOT,
      env: childEnv(),
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let serverErr = '';
  server.stderr!.on('data', (d: Buffer) => {
    serverErr += d.toString();
    if (serverErr.length > 100_000) serverErr = serverErr.slice(-50_000);
  });
  let peer: ChildProcess | undefined;
  try {
    await waitForHealth(base, server, () => serverErr);
    const setupSeconds = (performance.now() - t0) / 1000;

    // The answers, fetched once; the peer serves exactly these bytes.
    const answers = [];
    for (const e of ENDPOINTS) {
      // Raw bytes as autocannon receives them (fetch would ask for gzip itself and unpack it).
      const r = await rawGet(base + e.path, requestHeaders(e));
      const body = r.body;
      const got = r.headers['content-encoding'] ?? 'identity';
      if (got !== (encodingOf(e) ?? 'identity'))
        throw new Error(`${e.path} came ${got}-encoded although ${encodingOf(e) ?? 'identity'} was asked for`);
      if (r.status !== 200) throw new Error(`${e.path} answered ${r.status}: ${body.toString().slice(0, 200)}`);
      const contentType = String(r.headers['content-type'] ?? 'application/octet-stream');
      const file = join(dir, `${e.key}.body`);
      writeFileSync(file, body);
      let areas: number | undefined;
      try {
        const j = JSON.parse((encodingOf(e) === 'gzip' ? gunzipSync(body) : body).toString('utf8')) as {
          values?: { value: number | null }[];
          features?: unknown[];
        };
        areas = j.values?.length ?? j.features?.length;
      } catch {
        // not JSON
      }
      answers.push({ ...e, body, contentType, file, areas });
    }
    const started = await startPeer(
      answers.map((a) => ({ path: peerPathOf(a), file: a.file, contentType: a.contentType, encoding: encodingOf(a) })),
    );
    peer = started.child;
    const peerBase = `http://${HOST}:${started.port}`;
    for (const a of answers) {
      const r = await rawGet(peerBase + peerPathOf(a), requestHeaders(a));
      const body = r.body;
      if (
        !body.equals(a.body) ||
        r.headers['content-type'] !== a.contentType ||
        (r.headers['content-encoding'] ?? 'identity') !== (encodingOf(a) ?? 'identity')
      )
        throw new Error(`the peer's answer to ${a.path} differs from the server's`);
    }

    const endpoints: LoadBenchResult['endpoints'] = answers.map((a) => ({
      key: a.key,
      path: a.path,
      label: a.label,
      bytes: a.body.length,
      contentType: a.contentType,
      encoding: encodingOf(a),
      areas: a.areas,
      runs: [],
    }));
    for (const connections of CONNECTIONS) {
      for (const [k, a] of answers.entries()) {
        const headers = encodingOf(a) ? requestHeaders(a) : undefined;
        const run = async (who: string, url: string) => {
          log(`load: ${a.key}, ${connections} connections, ${who}: ${warmup} s warm-up + ${seconds} s …`);
          await cannon(url, connections, warmup, headers);
          return cannon(url, connections, seconds, headers);
        };
        const s = await run('server', base + a.path);
        const p = await run('peer', peerBase + peerPathOf(a));
        log(
          `load: ${a.key} @${connections}: server ${s.reqPerSec.toFixed(0)} req/s p99 ${s.p99} ms, peer ${p.reqPerSec.toFixed(0)} req/s p99 ${p.p99} ms`,
        );
        endpoints[k].runs.push({ connections, server: s, peer: p });
      }
    }
    await stopChild(peer);
    peer = undefined;

    // The import: block codes of the current version and the members of the indicator's dimension.
    const obs = (await (
      await fetch(`${base}/api/observations?indicator=${IMPORT_INDICATOR}&layer=${IMPORT_LAYER}`, {
        signal: AbortSignal.timeout(60_000),
      })
    ).json()) as { values: { area: string }[] };
    const ind = (await (
      await fetch(`${base}/api/indicators/${IMPORT_INDICATOR}`, { signal: AbortSignal.timeout(60_000) })
    ).json()) as { dimensionMembers: Record<string, { key: string }[]> };
    const codes = obs.values.map((v) => v.area);
    const members = (ind.dimensionMembers.geschlecht ?? []).map((m) => m.key);
    if (!codes.length || !members.length)
      throw new Error(`no ${IMPORT_LAYER} areas or no members of geschlecht for ${IMPORT_INDICATOR}`);
    // Two files with the same shape and new (daily) periods: each import inserts every row.
    const fileA = Buffer.from(importCsv(codes, members, '2031-01-01', IMPORT_ROWS));
    const fileB = Buffer.from(importCsv(codes, members, '2033-01-01', IMPORT_ROWS));
    const pathA = join(dir, 'arbeitslose-a.csv');
    const pathB = join(dir, 'arbeitslose-b.csv');
    writeFileSync(pathA, fileA);
    writeFileSync(pathB, fileB);
    log(`load: import of ${IMPORT_ROWS.toLocaleString('en-US')} rows alone …`);
    const alone = await importOver(base, token, 'arbeitslose-a.csv', pathA, server.pid);
    log(`load: import alone ${alone.seconds.toFixed(2)} s; again under a 64-connection read load …`);
    await new Promise((r) => setTimeout(r, 1000));
    const readers = autocannon({
      url: base + ENDPOINTS[0].path,
      connections: 64,
      duration: IMPORT_DEADLINE_MS / 1000,
      timeout: REQUEST_TIMEOUT_S,
    });
    await new Promise((r) => setTimeout(r, 1000)); // the load runs before the import starts
    let underLoad: ImportFigures;
    try {
      underLoad = await importOver(base, token, 'arbeitslose-b.csv', pathB, server.pid);
    } finally {
      readers.stop();
    }
    const readFigures = figures(await readers);
    log(
      `load: import under load ${underLoad.seconds.toFixed(2)} s (readers ${readFigures.reqPerSec.toFixed(0)} req/s, p99 ${readFigures.p99} ms)`,
    );

    return {
      date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
      code,
      nproc: availableParallelism(),
      seconds,
      short: seconds < 30,
      loadavg: { start: load0, end: loadavg()[0] },
      setupSeconds,
      endpoints,
      imports: {
        rows: IMPORT_ROWS,
        bytes: fileA.length,
        file: `\`${fileA.toString('utf8', 0, fileA.indexOf('\n'))}\`, ${codes.length} ${IMPORT_LAYER} areas × ${members.length} members (geschlecht) × daily Stichtage from 01.01.2031 (second file: from 01.01.2033)`,
        alone,
        underLoad: { ...underLoad, readers: readFigures },
      },
      serverPeakRssMb: peakRssMb(server.pid),
    };
  } finally {
    await stopChild(peer);
    await stopChild(server);
  }
}

// ---------------------------------------------------------------------------------------------
// Report

export const LOAD_SECTION_START = '<!-- load-bench:start -->';
export const LOAD_SECTION_END = '<!-- load-bench:end -->';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const msText = (x: number) => (x < 10 ? x.toFixed(1) : x.toFixed(0));
const met = (ok: boolean) => (ok ? 'met' : '**missed**');

function failures(f: RunFigures): string {
  return `${int(f.errors)} / ${int(f.timeouts)} / ${int(f.non2xx)}`;
}

/** The section of docs/benchmarks.md (between markers, so `npm run bench -- load` can replace it alone). */
export function loadBenchMarkdown(r: LoadBenchResult | { error: string }): string {
  const L: string[] = [LOAD_SECTION_START, '## Issue #11 — throughput under load', ''];
  if ('error' in r) {
    L.push(`Not measured: ${r.error}`, '', LOAD_SECTION_END);
    return L.join('\n');
  }
  if (r.short)
    L.push(
      `**Short mode** (BENCH_LOAD_SECONDS=${r.seconds}): ${r.seconds} s per run instead of 30 — a check that the harness works, not figures of record.`,
      '',
    );
  L.push(
    `Measured ${r.date} on commit ${r.code}; load average (1 min) ${r.loadavg.start.toFixed(1)} at the start, ${r.loadavg.end.toFixed(1)} at the end. ` +
      `Server: \`node bin/kommunalmonitor.mjs --data-dir <tmp> serve --host 127.0.0.1\` in a child process, embedded database, demo city loaded on its first start (start to first \`/api/health\` answer: ${r.setupSeconds.toFixed(0)} s, not timed below), \`KOMMUNALMONITOR_DISCLOSURE_WARMUP=0\` (the endpoints measured carry no disclosure rule). ` +
      'Peer: a minimal Node `http` server in its own child process (bench/load-peer.ts) answering the same paths with the bytes the server gave once, with the same Content-Type. ' +
      `Load: autocannon ${r.seconds} s per run (after ${Math.min(2, r.seconds)} s of warm-up), in the bench process, keep-alive, no pipelining, request timeout ${REQUEST_TIMEOUT_S} s, no \`Accept-Encoding\` unless the row says so (then the peer serves the server's compressed bytes with the same Content-Encoding); server and peer alternate. ` +
      'req/s = completed requests / run time. Failures = errors / timeouts / non-2xx answers.',
    '',
  );
  const maxLoad = Math.max(r.loadavg.start, r.loadavg.end);
  if (maxLoad > 0.75 * r.nproc)
    L.push(
      `**Note:** the load average reached ${maxLoad.toFixed(1)} on ${r.nproc} CPUs: other processes shared the machine, so these figures are noisy (server, peer and autocannon need a core each).`,
      '',
    );
  L.push(
    '| endpoint | connections | server req/s | server p50 / p99 | server failures | peer req/s | peer p50 / p99 | server / peer | targets |',
  );
  L.push('|---|---|---|---|---|---|---|---|---|');
  for (const e of r.endpoints) {
    const name = `\`GET ${e.path}\` (${e.label}${e.areas !== undefined ? `: ${e.areas} areas` : ''}, ${(e.bytes / 1024).toFixed(1)} KB${e.encoding ? ` ${e.encoding}-compressed` : ''}, \`${e.contentType}\`)`;
    for (const run of e.runs) {
      const ratio = run.peer.reqPerSec > 0 ? run.server.reqPerSec / run.peer.reqPerSec : 0;
      const t: string[] = [];
      if (run.connections === 64) {
        t.push(`throughput ≥ 50 % of peer: ${met(ratio >= 0.5)}`);
        t.push(`p99 ≤ 50 ms: ${met(run.server.p99 <= 50)}`);
      } else {
        t.push(`no failures: ${met(run.server.errors + run.server.timeouts + run.server.non2xx === 0)}`);
        t.push(`throughput ≥ 50 % of peer: ${met(ratio >= 0.5)}`);
      }
      L.push(
        `| ${name} | ${run.connections} | ${int(run.server.reqPerSec)} | ${msText(run.server.p50)} / ${msText(run.server.p99)} ms | ${failures(run.server)} | ${int(run.peer.reqPerSec)} | ${msText(run.peer.p50)} / ${msText(run.peer.p99)} ms | ${(100 * ratio).toFixed(1)} % | ${t.join('; ')} |`,
      );
    }
  }
  L.push('');
  const im = r.imports;
  const ratio = im.underLoad.seconds / im.alone.seconds;
  const cpu = (f: ImportFigures) =>
    f.serverCpuSeconds !== null ? `, server CPU ${f.serverCpuSeconds.toFixed(1)} s` : '';
  const rd = im.underLoad.readers;
  const quiet = r.endpoints[0]?.runs.find((x) => x.connections === 64)?.server;
  const readersVs =
    quiet && quiet.reqPerSec > 0
      ? ` (${((100 * rd.reqPerSec) / quiet.reqPerSec).toFixed(0)} % of the ${int(quiet.reqPerSec)} req/s without an import)`
      : '';
  L.push(
    `HTTP import: \`POST /api/imports/observations?file=….csv&layer=${IMPORT_LAYER}\` with an API token (admin), ${int(im.rows)} rows of \`${IMPORT_INDICATOR}\` (${im.file}), ${(im.bytes / 2 ** 20).toFixed(1)} MiB; time from the start of the request to the answer; every row inserted (checked). Under load: 64 connections read the observations endpoint from 1 s before the import until its answer.`,
    '',
  );
  L.push(
    '| figure | target | alone | under a 64-connection read load | under load / alone | met | readers during the import |',
  );
  L.push('|---|---|---|---|---|---|---|');
  L.push(
    `| import of ${int(im.rows)} rows over HTTP | under load ≤ 2× alone | ${im.alone.seconds.toFixed(2)} s (${int(im.rows / im.alone.seconds)} rows/s${cpu(im.alone)}) | ${im.underLoad.seconds.toFixed(2)} s (${int(im.rows / im.underLoad.seconds)} rows/s${cpu(im.underLoad)}) | ${ratio.toFixed(2)}× | ${met(ratio <= 2)} | ${int(rd.reqPerSec)} req/s${readersVs}, p50 / p99 ${msText(rd.p50)} / ${msText(rd.p99)} ms, max ${msText(rd.max)} ms, failures ${failures(rd)} |`,
  );
  L.push('');
  if (r.serverPeakRssMb !== null)
    L.push(`Peak RSS of the server process over the whole load bench: ${int(r.serverPeakRssMb)} MB.`, '');
  L.push(LOAD_SECTION_END);
  return L.join('\n');
}

/** Replaces the load section of an existing report (or appends it). */
export function spliceLoadSection(doc: string, section: string): string {
  return spliceSection(doc, section, LOAD_SECTION_START, LOAD_SECTION_END);
}
