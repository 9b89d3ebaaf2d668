// Issue 12, item 5: `assign points` end to end through the CLI — CSV in, CSV out — next to the
// PostGIS ST_Contains join alone (bench/postgis.ts) on the same 1,000,000 points and 138 Berlin
// district regions, in the same run.
//
//   - A data directory with the layer `bezirksregion` imported by the CLI from
//     ../shared/data/berlin/bezirksregionen-bis-2020.geojson (not timed).
//   - CSV files of the seeded points of pipBenchData() (bench/geo.ts): `nr;lon;lat`, decimal
//     point, 7 decimals — 1,000,000 points, and 3,000,000 for the memory figure.
//   - Timed: `node bin/kommunalmonitor.mjs --data-dir D assign points pts.csv --layer
//     bezirksregion --output out.csv` as a child process under /usr/bin/time -v: wall time from
//     spawn to exit (process start, bundle load, opening the embedded database, reading the
//     polygons, reading, assigning and writing every point); peak RSS from time's "Maximum
//     resident set size". One untimed run first (builds the CLI bundle if the sources changed),
//     then three timed runs; the median is reported.
//   - Checked: the output has a line per point, and its codes equal PointIndex.assignMany's on
//     the same points.
//   - The peer: benchPostgis() — the ST_Contains join with a GiST index, rows returned to the
//     client, timed on the server; loading the points into PostGIS is not timed there.
//
// `npm run bench -- assign` (or BENCH_ONLY=assign) runs only this section and replaces it in
// docs/benchmarks.md. The server comes from BENCH_DATABASE_URL (or TEST_DATABASE_URL).
import { spliceSection } from './sections.ts';
import { spawn, execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { PointIndex } from '../src/core/geo/point-index.ts';
import { pipBenchData } from './geo.ts';
import { benchPostgis, type PostgisResult } from './postgis.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REGIONS = resolve(ROOT, '..', 'shared', 'data', 'berlin', 'bezirksregionen-bis-2020.geojson');
const CLI = join(ROOT, 'bin', 'kommunalmonitor.mjs');
const TIMED_RUNS = 3;

export interface CliRun {
  seconds: number;
  peakRssMb: number;
  userSeconds: number;
  systemSeconds: number;
}

export interface AssignBenchResult {
  date: string;
  code: string;
  nproc: number;
  loadavg: { start: number; end: number };
  points: number;
  fileMb: number;
  runs: CliRun[];
  median: CliRun;
  /** The same command on 3,000,000 points (memory must not grow with the number of points). */
  large: { points: number; fileMb: number; run: CliRun } | null;
  checked: { lines: number; differing: number; inside: number };
  postgis: PostgisResult | { error: string };
}

function log(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

/** Runs the CLI under /usr/bin/time -v; wall time measured here, the rest from time's report. */
function runCli(args: string[]): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-v', process.execPath, CLI, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0)
        return reject(new Error(`the CLI failed (exit ${code}): ${err.trim().split('\n').slice(0, 5).join(' / ')}`));
      const num = (re: RegExp) => Number(re.exec(err)?.[1] ?? NaN);
      resolvePromise({
        seconds,
        peakRssMb: num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024,
        userSeconds: num(/User time \(seconds\): ([\d.]+)/),
        systemSeconds: num(/System time \(seconds\): ([\d.]+)/),
      });
    });
  });
}

async function writePoints(path: string, xs: Float64Array, ys: Float64Array, times = 1): Promise<number> {
  const out = createWriteStream(path);
  out.write('nr;lon;lat\n');
  let nr = 0;
  for (let t = 0; t < times; t++) {
    for (let i = 0; i < xs.length; i += 10_000) {
      let chunk = '';
      for (let k = i; k < Math.min(i + 10_000, xs.length); k++)
        chunk += `${++nr};${xs[k].toFixed(7)};${ys[k].toFixed(7)}\n`;
      if (!out.write(chunk)) await once(out, 'drain');
    }
  }
  out.end();
  await once(out, 'finish');
  return out.bytesWritten / 2 ** 20;
}

/** Output lines and codes compared with PointIndex on the same (7-decimal) points. */
async function checkOutput(
  path: string,
  index: PointIndex,
  codes: string[],
  xs: Float64Array,
  ys: Float64Array,
): Promise<AssignBenchResult['checked']> {
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let lines = 0,
    differing = 0,
    inside = 0;
  for await (const line of rl) {
    if (lines++ === 0) {
      if (line !== 'nr;lon;lat;bezirksregion') throw new Error(`unexpected header: ${line}`);
      continue;
    }
    const k = lines - 2;
    const got = line.slice(line.lastIndexOf(';') + 1);
    const a = index.assign(Number(xs[k].toFixed(7)), Number(ys[k].toFixed(7)));
    if (a >= 0) inside++;
    if ((a >= 0 ? codes[a] : '') !== got) differing++;
  }
  return { lines: lines - 1, differing, inside };
}

const median = (runs: CliRun[]) => [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];

/** `postgis`: a result of benchPostgis() already measured in this run (the full bench), used instead of measuring again. */
export async function runAssignBench(o: {
  work: string;
  serverUrl: string | undefined;
  log?: (m: string) => void;
  postgis?: PostgisResult | { error: string };
}): Promise<AssignBenchResult> {
  const say = o.log ?? log;
  const data = pipBenchData();
  if (!data || !existsSync(REGIONS)) throw new Error(`the Berlin data (${REGIONS}) are missing`);
  const dir = join(o.work, 'assign');
  mkdirSync(dir, { recursive: true });
  const load0 = loadavg()[0];
  let code = '?';
  try {
    code = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT }).toString().trim();
    if (
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src'], { cwd: ROOT })
        .toString()
        .trim()
    )
      code += ' (with uncommitted changes in src/)';
  } catch {
    // not a checkout
  }
  try {
    const dataDir = join(dir, 'data');
    say('assign: importing the 138 district regions through the CLI …');
    await new Promise<void>((res, rej) => {
      const c = spawn(
        process.execPath,
        [
          CLI,
          '--data-dir',
          dataDir,
          'import',
          'areas',
          REGIONS,
          '--layer',
          'bezirksregion',
          '--code',
          'id',
          '--name',
          'name',
        ],
        { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let err = '';
      c.stderr.on('data', (d: Buffer) => (err += d.toString()));
      c.on('close', (code) =>
        code === 0 ? res() : rej(new Error(`import areas failed: ${err.trim().slice(0, 300)}`)),
      );
    });
    const csv = join(dir, 'points-1m.csv');
    const fileMb = await writePoints(csv, data.xs, data.ys);
    const output = join(dir, 'out.csv');
    const args = (file: string) => [
      '--data-dir',
      dataDir,
      'assign',
      'points',
      file,
      '--layer',
      'bezirksregion',
      '--output',
      output,
    ];
    say('assign: one untimed run (bundle) …');
    await runCli(args(csv));
    const runs: CliRun[] = [];
    for (let r = 0; r < TIMED_RUNS; r++) {
      say(`assign: timed run ${r + 1} of ${TIMED_RUNS} …`);
      runs.push(await runCli(args(csv)));
    }
    say('assign: checking the output …');
    const index = PointIndex.build(data.geometries);
    const checked = await checkOutput(output, index, data.codes, data.xs, data.ys);
    rmSync(output, { force: true });

    let large: AssignBenchResult['large'] = null;
    if (process.env.BENCH_ASSIGN_LARGE !== '0') {
      const csv3 = join(dir, 'points-3m.csv');
      const mb3 = await writePoints(csv3, data.xs, data.ys, 3);
      say('assign: 3,000,000 points (memory) …');
      large = { points: 3 * data.xs.length, fileMb: mb3, run: await runCli(args(csv3)) };
      rmSync(csv3, { force: true });
      rmSync(output, { force: true });
    }

    let postgis: AssignBenchResult['postgis'];
    if (o.postgis) postgis = o.postgis;
    else {
      say('assign: the PostGIS join on the same points …');
      try {
        postgis = await benchPostgis(o.serverUrl);
      } catch (e) {
        postgis = { error: e instanceof Error ? e.message : String(e) };
      }
    }
    return {
      date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
      code,
      nproc: availableParallelism(),
      loadavg: { start: load0, end: loadavg()[0] },
      points: data.xs.length,
      fileMb,
      runs,
      median: median(runs),
      large,
      checked,
      postgis,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Report

export const ASSIGN_SECTION_START = '<!-- assign-bench:start -->';
export const ASSIGN_SECTION_END = '<!-- assign-bench:end -->';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const s2 = (x: number) => `${x.toFixed(2)} s`;
const met = (ok: boolean) => (ok ? 'met' : '**missed**');

/** The section of docs/benchmarks.md (between markers, so `npm run bench -- assign` can replace it alone). */
export function assignBenchMarkdown(r: AssignBenchResult | { error: string }): string {
  const L: string[] = [ASSIGN_SECTION_START, '## Issue #12 — `assign points` end to end', ''];
  if ('error' in r) {
    L.push(`Not measured: ${r.error}`, '', ASSIGN_SECTION_END);
    return L.join('\n');
  }
  const m = r.median;
  L.push(
    `Measured ${r.date} on commit ${r.code}; load average (1 min) ${r.loadavg.start.toFixed(1)} at the start, ${r.loadavg.end.toFixed(1)} at the end, ${r.nproc} CPUs. ` +
      `Command: \`node bin/kommunalmonitor.mjs --data-dir D assign points points.csv --layer bezirksregion --output out.csv\` in a child process under \`/usr/bin/time -v\`, embedded database holding the 138 Berlin district regions (imported through the CLI, not timed). ` +
      `Input: the ${int(r.points)} seeded points of the point-in-polygon bench (bench/geo.ts), \`nr;lon;lat\` with 7 decimals, ${r.fileMb.toFixed(1)} MiB. ` +
      'Wall time from spawn to exit — process start, loading the CLI bundle, opening the embedded database, reading the polygons, reading, assigning and writing every point; ' +
      `median of ${r.runs.length} runs after an untimed one. Peak RSS: "Maximum resident set size" of \`time -v\`. ` +
      'Peer: the PostGIS `ST_Contains` join alone (bench/postgis.ts: GiST index on the polygons, rows returned to the client; loading the points into PostGIS not timed), in the same run.',
    '',
  );
  const maxLoad = Math.max(r.loadavg.start, r.loadavg.end);
  if (maxLoad > 0.75 * r.nproc)
    L.push(
      `**Note:** the load average reached ${maxLoad.toFixed(1)} on ${r.nproc} CPUs: other processes shared the machine, so these figures are noisy.`,
      '',
    );
  L.push('| figure | target | measured | peer | met | notes |', '|---|---|---|---|---|---|');
  const pg = r.postgis;
  const pgOk = !('error' in pg) && pg.available;
  const ratio = pgOk ? pg.seconds! / m.seconds : null;
  L.push(
    `| \`assign points\`, ${int(r.points)} points, CSV in → CSV out, through the CLI | ≥ 4× faster than the PostGIS join alone | ${s2(m.seconds)} (${int(r.points / m.seconds)} points/s; CPU user ${s2(m.userSeconds)}, system ${s2(m.systemSeconds)}) | ` +
      `${pgOk ? `PostGIS ${pg.version} join ${s2(pg.seconds!)}` : `PostGIS: ${'error' in pg ? pg.error : pg.note}`} | ${ratio === null ? '—' : `${met(ratio >= 4)} (${ratio.toFixed(1)}×)`} | runs: ${r.runs.map((x) => s2(x.seconds)).join(', ')}; output checked: ${int(r.checked.lines)} lines, ${int(r.checked.inside)} points inside, ${r.checked.differing} codes differing from PointIndex.assignMany |`,
  );
  L.push(
    `| peak RSS of that command, ${int(r.points)} points | < 300 MB | ${int(m.peakRssMb)} MB | — | ${met(m.peakRssMb < 300)} | runs: ${r.runs.map((x) => `${int(x.peakRssMb)} MB`).join(', ')} |`,
  );
  if (r.large) {
    L.push(
      `| the same, ${int(r.large.points)} points (${r.large.fileMb.toFixed(0)} MiB) | < 300 MB whatever the number of points | ${int(r.large.run.peakRssMb)} MB, ${s2(r.large.run.seconds)} (${int(r.large.points / r.large.run.seconds)} points/s) | — | ${met(r.large.run.peakRssMb < 300)} | one run; the points of the 1M file three times |`,
    );
  }
  L.push('');
  L.push(ASSIGN_SECTION_END);
  return L.join('\n');
}

/** Replaces the assign section of an existing report (or puts it before the method notes). */
export function spliceAssignSection(doc: string, section: string): string {
  return spliceSection(doc, section, ASSIGN_SECTION_START, ASSIGN_SECTION_END);
}
