// Benchmarks of the statistics core (issue #5): composite index over 15,000 areas × 30 indicators,
// Ward (ward.D2) clustering of 5,000 areas with its memory, and the sensitivity analysis with 1,000
// Monte-Carlo runs over 500 areas. Random but seeded data; nothing here asserts a timing.
// Run alone: node --import tsx bench/stats.ts
import { performance } from 'node:perf_hooks';
import { computeIndex } from '../src/core/stats/composite.ts';
import { sensitivity } from '../src/core/stats/sensitivity.ts';
import { wardD2, cutree } from '../src/core/stats/cluster.ts';
import { SeededRandom } from '../src/core/stats/random.ts';
import type { IndexDefinitionInput } from '../src/core/stats/index-definition.ts';

export interface StatsBenchRow {
  name: string;
  target: string;
  measured: string;
  note: string;
  /** Whether the target was met. */
  met: boolean;
}

/** Synthetic areas: a latent "need" factor plus noise per indicator (shares 0–60 %), inhabitants 50–20,000. */
function syntheticIndexData(nAreas: number, nIndicators: number, seed: number) {
  const rng = new SeededRandom(seed);
  const areas = Array.from({ length: nAreas }, (_, i) => String(10000000 + i));
  const latent = Float64Array.from({ length: nAreas }, () => rng.next() + rng.next() + rng.next() - 1.5);
  const values: Record<string, (number | null)[]> = {};
  for (let j = 0; j < nIndicators; j++) {
    const col: (number | null)[] = new Array(nAreas);
    for (let i = 0; i < nAreas; i++)
      col[i] = rng.next() < 0.002 ? null : Math.max(0, Math.min(60, 20 + 12 * latent[i] + 6 * (rng.next() - 0.5)));
    values[`ind_${j + 1}`] = col;
  }
  values.einwohner = Array.from({ length: nAreas }, () => Math.round(50 + rng.next() * 19950));
  return { areas, values };
}

function definition(nIndicators: number, extra: Partial<IndexDefinitionInput> = {}): IndexDefinitionInput {
  return {
    key: 'bench',
    name: 'Benchmark index',
    layer: 'block',
    period: '2024-12-31',
    components: Array.from({ length: nIndicators }, (_, j) => ({
      indicator: `ind_${j + 1}`,
      weight: 1 + (j % 3),
      direction: j % 5 === 4 ? -1 : 1,
    })),
    transform: { method: 'zscore', sd: 'population' },
    combine: 'sum',
    restandardize: true,
    classes: { method: 'thresholds', breaks: [-1, 1, 1.5], labels: ['hoch', 'mittel', 'niedrig', 'sehr niedrig'] },
    exclude: { minBase: { indicator: 'einwohner', min: 300 }, areas: [{ code: '10000007', reason: 'Ausreißer' }] },
    ...extra,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall time (median, min, max) and CPU time (user + system, median) of `runs` calls after a warm-up. */
function timeRuns(f: () => void, runs: number): { median: number; min: number; max: number; cpu: number } {
  f(); // warm-up (JIT)
  const t: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    t.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { median: median(t), min: Math.min(...t), max: Math.max(...t), cpu: median(cpu) };
}

const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;

export async function benchStats(): Promise<StatsBenchRow[]> {
  const rows: StatsBenchRow[] = [];

  // 1. Ward first, so that its memory is measured on a fresh heap.
  {
    const n = 5000;
    const p = 8;
    const rng = new SeededRandom(5);
    // Eight overlapping groups in 8 dimensions, standardised scale.
    const data = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      const g = i % 8;
      for (let c = 0; c < p; c++)
        data[i * p + c] = (c === g ? 2 : 0) + (rng.next() + rng.next() + rng.next() - 1.5) * 1.2;
    }
    (globalThis as { gc?: () => void }).gc?.();
    const rss0 = process.memoryUsage().rss;
    const peak0 = process.resourceUsage().maxRSS * 1024;
    const t0 = performance.now();
    const tree = wardD2({ n, p, data });
    const ms = performance.now() - t0;
    const rss1 = process.memoryUsage().rss;
    const peak1 = process.resourceUsage().maxRSS * 1024;
    const k8 = cutree(tree, 8);
    const sizes = new Array(8).fill(0);
    for (const c of k8) sizes[c - 1]++;
    rows.push({
      name: `Ward clustering (ward.D2, NN-chain) of ${n.toLocaleString('en')} areas × ${p} indicators`,
      target: '≤ 5 s',
      measured: `${(ms / 1000).toFixed(2)} s`,
      note: `one run, distances included; condensed Float64Array of ${((n * (n - 1)) / 2).toLocaleString('en')} squared distances (${mb(n * (n - 1) * 4)}); cutree(8) sizes ${sizes.join('/')}`,
      met: ms <= 5000,
    });
    rows.push({
      name: `Ward clustering of ${n.toLocaleString('en')} areas: memory`,
      target: '< 1 GB',
      measured: `RSS +${mb(rss1 - rss0)} (peak RSS ${mb(peak1)})`,
      note: `the clustering's own memory: process.memoryUsage().rss right after wardD2 returns minus before (the process's peak RSS includes whatever ran before in the same process, e.g. the database benchmarks of npm run bench; it rose by ${mb(Math.max(0, peak1 - peak0))})`,
      met: rss1 - rss0 < 1024 ** 3,
    });
  }

  // 2. Composite index over 15,000 areas × 30 indicators.
  {
    const nAreas = 15000;
    const m = 30;
    const data = syntheticIndexData(nAreas, m, 1);
    const def = definition(m);
    let result = computeIndex(def, data);
    const t = timeRuns(() => {
      result = computeIndex(def, data);
    }, 7);
    rows.push({
      name: `Composite index over ${nAreas.toLocaleString('en')} areas × ${m} indicators`,
      target: '≤ 200 ms',
      measured: `${t.median.toFixed(0)} ms`,
      note: `median wall time of 7 runs after a warm-up (min ${t.min.toFixed(0)}, max ${t.max.toFixed(0)} ms; CPU time ${t.cpu.toFixed(0)} ms incl. GC threads): validation, exclusions (min. base 300, 1 named area, missing values), z-scores (population sd), weighted sum, restandardisation, thresholds, ranks and per-area contributions; ${result.stats.nValid.toLocaleString('en')} valid, ${result.stats.nExcluded.toLocaleString('en')} excluded`,
      met: t.median <= 200,
    });
  }

  // 3. Sensitivity: 1,000 Monte-Carlo runs over 500 areas (10 indicators) plus leave-one-out.
  {
    const nAreas = 500;
    const m = 10;
    const data = syntheticIndexData(nAreas, m, 2);
    const def = definition(m);
    let res = sensitivity(def, data, { runs: 1000, seed: 42 });
    const t = timeRuns(() => {
      res = sensitivity(def, data, { runs: 1000, seed: 42 });
    }, 5);
    rows.push({
      name: `Sensitivity analysis: 1,000 weight-perturbation runs (ε = 0.2) + leave-one-out over ${nAreas} areas × ${m} indicators`,
      target: '≤ 2 s',
      measured: `${t.median.toFixed(0)} ms`,
      note: `median wall time of 5 runs after a warm-up (min ${t.min.toFixed(0)}, max ${t.max.toFixed(0)} ms; CPU time ${t.cpu.toFixed(0)} ms); each run recombines, restandardises, reclassifies and ranks; ${res.summary.stableUnderWeights} of ${res.summary.nValid} valid areas keep their class in every run`,
      met: t.median <= 2000,
    });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchStats())
    console.log(`${r.met ? 'met   ' : 'MISSED'} ${r.name}: ${r.measured} (target ${r.target}) — ${r.note}`);
}
