// How soon a command answers: `kommunalmonitor --help` and `kommunalmonitor layers` on the demo
// city, each started as a new process as a user or a script would, next to Node's own start
// (`node -e ""`, the floor) and to the same commands run from the TypeScript sources through tsx
// (KOMMUNALMONITOR_NO_BUNDLE=1, the way every start went before). Wall-clock time per start,
// median and minimum of several runs, after one untimed start that builds the bundle.
import { spliceSection } from './sections.ts';
import { spawnSync } from 'node:child_process';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'kommunalmonitor.mjs');
export const CLI_SECTION_START = '<!-- cli-start-bench:start -->';
export const CLI_SECTION_END = '<!-- cli-start-bench:end -->';

export interface StartFigures {
  label: string;
  command: string;
  target?: number;
  runs: number;
  medianSeconds: number;
  minSeconds: number;
}

export interface CliStartResult {
  at: string;
  loadBefore: number;
  loadAfter: number;
  rows: StartFigures[];
}

function time(args: string[], env: Record<string, string> = {}): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return s;
}

function measure(
  label: string,
  command: string,
  args: string[],
  runs: number,
  env: Record<string, string> = {},
  target?: number,
): StartFigures {
  time(args, env); // untimed: builds the bundle, fills the page cache
  const xs = Array.from({ length: runs }, () => time(args, env)).sort((a, b) => a - b);
  return { label, command, target, runs, medianSeconds: xs[Math.floor(xs.length / 2)], minSeconds: xs[0] };
}

export async function runCliStartBench(o: { work: string; log: (m: string) => void }): Promise<CliStartResult> {
  const data = join(o.work, 'cli-start-data');
  o.log('cli start: loading the demo city into a data directory …');
  const demo = spawnSync(process.execPath, [BIN, '--data-dir', data, 'demo'], { cwd: ROOT, encoding: 'utf8' });
  if (demo.status !== 0) throw new Error(`demo failed: ${demo.stderr}`);
  const loadBefore = loadavg()[0];
  const rows = [
    measure('Node.js itself (floor)', 'node -e ""', ['-e', ''], 7),
    measure('`--help`', 'kommunalmonitor --help', [BIN, '--help'], 7, {}, 0.3),
    measure('`layers`, demo city', 'kommunalmonitor layers', [BIN, '--data-dir', data, 'layers'], 7, {}, 1.0),
    measure(
      '`--help` from the sources (tsx, as before)',
      'KOMMUNALMONITOR_NO_BUNDLE=1 kommunalmonitor --help',
      [BIN, '--help'],
      3,
      { KOMMUNALMONITOR_NO_BUNDLE: '1' },
    ),
    measure(
      '`layers` from the sources (tsx, as before)',
      'KOMMUNALMONITOR_NO_BUNDLE=1 kommunalmonitor layers',
      [BIN, '--data-dir', data, 'layers'],
      3,
      { KOMMUNALMONITOR_NO_BUNDLE: '1' },
    ),
  ];
  for (const r of rows) o.log(`cli start: ${r.command}: median ${r.medianSeconds.toFixed(2)} s`);
  return { at: new Date().toISOString(), loadBefore, loadAfter: loadavg()[0], rows };
}

export function cliStartMarkdown(r: CliStartResult | { error: string }, commit: string): string {
  if ('error' in r)
    return [
      CLI_SECTION_START,
      '## Issue #12 — how soon a command answers',
      '',
      `Not measured: ${r.error}`,
      CLI_SECTION_END,
    ].join('\n');
  const s = (x: number) => `${x.toFixed(2)} s`;
  const L = [
    CLI_SECTION_START,
    '## Issue #12 — how soon a command answers',
    '',
    `Measured ${r.at.slice(0, 16).replace('T', ' ')} UTC on ${commit}; load average (1 min) ${r.loadBefore.toFixed(1)} before, ${r.loadAfter.toFixed(1)} after. Each figure: wall-clock time of a new process from spawn to exit, median and minimum of the runs, after one untimed start (which builds the bundle when the sources changed). The demo city is in an embedded data directory.`,
    '',
    '| start | command | target | median | minimum | runs | met |',
    '|---|---|---|---|---|---|---|',
    ...r.rows.map(
      (x) =>
        `| ${x.label} | \`${x.command}\` | ${x.target !== undefined ? `≤ ${x.target.toFixed(1)} s` : '—'} | ${s(x.medianSeconds)} | ${s(x.minSeconds)} | ${x.runs} | ${x.target === undefined ? '—' : x.medianSeconds <= x.target ? 'met' : '**missed**'} |`,
    ),
    '',
    "What a start costs: Node.js itself; loading the bundle of the command (each command loads only its own services); for `layers`, starting the embedded PostgreSQL engine (WebAssembly: about 0.6 s of the total, most of it the engine's own initialisation) and two small queries.",
    CLI_SECTION_END,
  ];
  return L.join('\n');
}

export function spliceCliStartSection(doc: string, section: string): string {
  return spliceSection(doc, section, CLI_SECTION_START, CLI_SECTION_END);
}
