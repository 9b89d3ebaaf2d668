// Disclosure control (issue 14, part 2): suppression pattern plus attacker audit for one indicator
// and period on synthetic linked tables of the demo city's size (≈300 blocks → 38 Stadtteile →
// 12 Stadtbezirke → city, overlays of 45 and 60 areas over the blocks) and of Berlin's
// (542 → 138 → 58 → 12 → 1; with ../shared/data/berlin present, its real hierarchy and
// populations, read at run time), each with 20 member combinations (4 age bands and their total ×
// 3 groups of 50, 30 and 20 % and their total) and every total over members. Areas are
// contiguous runs (see syntheticStructure); Berlin's overlays are runs of its planning areas in code order. Counts are drawn (seeded) as a rate of
// each area's population, so many block cells are small: the hard case.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { spliceSection } from './sections.ts';
import { SeededRandom } from '../src/core/stats/random.ts';
import type { Cell, Equation, LinkedTables } from '../src/core/disclosure/model.ts';
import { protect } from '../src/core/disclosure/secondary.ts';
import { audit } from '../src/core/disclosure/audit.ts';
import { highs } from '../src/core/disclosure/lp.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DISCLOSURE_SECTION_START = '<!-- disclosure-bench:start -->';
export const DISCLOSURE_SECTION_END = '<!-- disclosure-bench:end -->';

export interface Structure {
  name: string;
  /** Finest areas with their population and their parent chain (one code per coarser level, coarsest last). */
  blocks: { code: string; population: number; parents: string[] }[];
  /** Number of areas of each overlay layer (blocks are assigned to them at random, seeded). */
  overlays: number[];
}

const AGES = ['a0', 'a1', 'a2', 'a3'];
const SEXES = ['g1', 'g2', 'g3'];
const AGE_SHARE = [0.3, 0.25, 0.25, 0.2];
const SEX_SHARE = [0.5, 0.3, 0.2];

/** Synthetic hierarchy: `levels` areas per level, finest first, each area's parent drawn among the next level's. */
export function syntheticStructure(
  name: string,
  levels: number[],
  overlays: number[],
  seed: number,
  population: [number, number],
): Structure {
  // Spatially coherent, as real structures are: the areas of each level are contiguous runs of
  // the level below (blocks in a line), of uneven length; overlay areas are runs of blocks with
  // their own boundaries, so they cut across the hierarchy's areas only at their edges.
  const r = new SeededRandom(seed);
  const parentOf: number[][] = [];
  for (let l = 0; l + 1 < levels.length; l++) parentOf.push(runs(levels[l], levels[l + 1], r));
  const blocks = Array.from({ length: levels[0] }, (_, b) => {
    const parents: string[] = [];
    let i = b;
    for (let l = 0; l + 1 < levels.length; l++) parents.push(`L${l + 1}-${(i = parentOf[l][i])}`);
    return { code: `B${b}`, population: Math.round(r.uniform(population[0], population[1])), parents };
  });
  return { name, blocks, overlays };
}

/** Assigns n items in order to k contiguous runs of uneven length (every run non-empty). */
export function runs(n: number, k: number, r: SeededRandom): number[] {
  const cuts = new Set<number>();
  while (cuts.size < k - 1) cuts.add(1 + r.int(n - 1));
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: number[] = [];
  let run = 0;
  for (let i = 0; i < n; i++) {
    while (run < sorted.length && i >= sorted[run]) run++;
    out.push(run);
  }
  return out;
}

/** Berlin's planning areas → district regions → forecast areas → districts → city, with 2022 residents. */
export function berlinStructure(dir: string): Structure | undefined {
  const lor = join(dir, 'lor-2021.csv');
  const ew = join(dir, 'einwohner-plr-2022-06.csv');
  if (!existsSync(lor) || !existsSync(ew)) return undefined;
  const pop = new Map<string, number>();
  const ewLines = readFileSync(ew, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter(Boolean);
  const head = ewLines[0].split(';');
  for (const line of ewLines.slice(1)) {
    const f = line.split(';');
    pop.set(f[head.indexOf('PLR-ID')].trim(), Number(f[head.indexOf('Gesamt')]));
  }
  const blocks: Structure['blocks'] = [];
  for (const line of readFileSync(lor, 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .slice(1)
    .filter(Boolean)) {
    const code = line.split(',')[1];
    blocks.push({
      code,
      population: pop.get(code) ?? 0,
      parents: [code.slice(0, 6), code.slice(0, 4), code.slice(0, 2), 'city'].map((c, l) => `L${l + 1}-${c}`),
    });
  }
  return { name: 'Berlin (real LOR 2021 hierarchy and residents 2022)', blocks, overlays: [78, 140] };
}

/** The linked tables of one count indicator over the structure: every area × 20 member combinations, with all equations. */
export function linkedTables(s: Structure, rate: number, seed: number): LinkedTables {
  const r = new SeededRandom(seed);
  const combos: string[] = [];
  for (const a of [...AGES, 'T']) for (const x of [...SEXES, 'T']) combos.push(`${a}.${x}`);
  const value = new Map<string, number>();
  const add = (area: string, combo: string, v: number) =>
    value.set(`${area}|${combo}`, (value.get(`${area}|${combo}`) ?? 0) + v);
  const draw = (mean: number) => {
    // Poisson by inversion for small means, normal approximation above.
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * (r.next() + r.next() + r.next() - 1.5) * 2));
    let k = 0;
    let p = Math.exp(-mean);
    let c = p;
    const u = r.next();
    while (u > c && k < 200) ((k += 1), (p *= mean / k), (c += p));
    return k;
  };
  const children = new Map<string, Set<string>>();
  const link = (parent: string, child: string) =>
    (children.get(parent) ?? children.set(parent, new Set()).get(parent)!).add(child);
  const overlayAreas = s.overlays.map((count, o) => Array.from({ length: count }, (_, i) => `O${o}-${i}`));
  const overlayRuns = s.overlays.map((count) => runs(s.blocks.length, count, r));
  for (const [bi, b] of s.blocks.entries()) {
    AGES.forEach((a, ai) =>
      SEXES.forEach((x, xi) => {
        const v = draw(b.population * rate * AGE_SHARE[ai] * SEX_SHARE[xi]);
        for (const area of [b.code, ...b.parents]) add(area, `${a}.${x}`, v);
      }),
    );
    for (let l = 0; l < b.parents.length; l++) link(b.parents[l], l === 0 ? b.code : b.parents[l - 1]);
    s.overlays.forEach((_, o) => link(overlayAreas[o][overlayRuns[o][bi]], b.code));
  }
  // Overlay values from their blocks.
  for (const areas of overlayAreas)
    for (const o of areas)
      for (const b of children.get(o) ?? [])
        AGES.forEach((a) => SEXES.forEach((x) => add(o, `${a}.${x}`, value.get(`${b}|${a}.${x}`) ?? 0)));
  const areas = [
    ...new Set([...s.blocks.map((b) => b.code), ...s.blocks.flatMap((b) => b.parents), ...overlayAreas.flat()]),
  ];
  // Totals over members.
  for (const area of areas) {
    for (const a of AGES)
      add(
        area,
        `${a}.T`,
        SEXES.reduce((t, x) => t + (value.get(`${area}|${a}.${x}`) ?? 0), 0),
      );
    for (const x of [...SEXES, 'T'])
      add(
        area,
        `T.${x}`,
        AGES.reduce((t, a) => t + (value.get(`${area}|${a}.${x}`) ?? 0), 0),
      );
  }
  const city = s.blocks[0].parents.at(-1)!;
  const cells: Cell[] = [];
  for (const area of areas)
    for (const c of combos) {
      const v = value.get(`${area}|${c}`) ?? 0;
      cells.push({ id: `${area}|${c}`, value: v, frequency: v, keep: area === city && c === 'T.T' ? true : undefined });
    }
  const equations: Equation[] = [];
  for (const [parent, kids] of children)
    for (const c of combos) equations.push({ total: `${parent}|${c}`, parts: [...kids].map((k) => `${k}|${c}`) });
  for (const o of overlayAreas)
    for (const c of combos) equations.push({ total: `${city}|${c}`, parts: o.map((a) => `${a}|${c}`) });
  for (const area of areas) {
    for (const x of [...SEXES, 'T'])
      equations.push({ total: `${area}|T.${x}`, parts: AGES.map((a) => `${area}|${a}.${x}`) });
    for (const a of [...AGES, 'T'])
      equations.push({ total: `${area}|${a}.T`, parts: SEXES.map((x) => `${area}|${a}.${x}`) });
  }
  return { cells, equations };
}

export interface DisclosureBenchRow {
  name: string;
  cells: number;
  equations: number;
  primary: number;
  secondary: number;
  /** Pattern and audit of the table computed a second time in the process (as the server's worker computes one after another). */
  patternSeconds: number;
  auditSeconds: number;
  /** Pattern + audit the first time in the process (V8 has not compiled the JavaScript yet). */
  firstSeconds: number;
  exactAuditSeconds: number | null;
  components: number;
  safe: boolean;
  target: number;
}

export async function runDisclosureBench(o: {
  log: (m: string) => void;
}): Promise<{ at: string; loadBefore: number; loadAfter: number; rows: DisclosureBenchRow[] }> {
  const loadBefore = loadavg()[0];
  const rule = { minFrequency: 3 };
  const cases: { s: Structure; rate: number; target: number }[] = [
    {
      s: syntheticStructure(
        'demo-sized (synthetic: 300 → 38 → 12 → 1, overlays 45 and 60)',
        [300, 38, 12, 1],
        [45, 60],
        1,
        [150, 1500],
      ),
      rate: 0.08,
      target: 2,
    },
  ];
  const berlin = berlinStructure(join(ROOT, '..', 'shared', 'data', 'berlin'));
  cases.push({
    s:
      berlin ??
      syntheticStructure(
        'Berlin-sized (synthetic: 542 → 138 → 58 → 12 → 1, overlays 78 and 140)',
        [542, 138, 58, 12, 1],
        [78, 140],
        2,
        [500, 12000],
      ),
    rate: 0.01,
    target: 10,
  });
  const rows: DisclosureBenchRow[] = [];
  // The WebAssembly solver is loaded once per process (the server's worker keeps it); not timed.
  await highs();
  for (const c of cases) {
    const t = linkedTables(c.s, c.rate, 7);
    o.log(`disclosure: ${c.s.name}: ${t.cells.length} cells, ${t.equations.length} equations …`);
    let first = 0;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let p: Awaited<ReturnType<typeof protect>> | undefined;
    let a: Awaited<ReturnType<typeof audit>> | undefined;
    // Twice: the first run in a new process also pays for compiling the JavaScript; the server's
    // worker is long-lived and computes pattern after pattern, so the second is the judged one.
    for (let run = 0; run < 2; run++) {
      t0 = performance.now();
      p = await protect(t, rule);
      t1 = performance.now();
      a = await audit(t, p.pattern, rule, { exact: false, certificates: p.certificates });
      t2 = performance.now();
      if (run === 0) first = (t2 - t0) / 1000;
    }
    if (!p || !a) throw new Error('unreachable');
    const exact = process.env.BENCH_DISCLOSURE_EXACT === '1' ? await audit(t, p.pattern, rule) : null;
    const t3 = performance.now();
    rows.push({
      name: c.s.name,
      cells: t.cells.length,
      equations: t.equations.length,
      primary: p.primary,
      secondary: p.secondary,
      patternSeconds: (t1 - t0) / 1000,
      auditSeconds: (t2 - t1) / 1000,
      firstSeconds: first,
      exactAuditSeconds: exact ? (t3 - t2) / 1000 : null,
      components: a.components,
      safe: a.safe && (exact?.safe ?? true),
      target: c.target,
    });
    o.log(
      `disclosure: pattern ${((t1 - t0) / 1000).toFixed(2)} s, audit ${((t2 - t1) / 1000).toFixed(2)} s, exact audit ${exact ? ((t3 - t2) / 1000).toFixed(2) + ' s' : '—'}; ${p.primary} primary, ${p.secondary} secondary`,
    );
  }
  return { at: new Date().toISOString(), loadBefore, loadAfter: loadavg()[0], rows };
}

export function disclosureMarkdown(r: Awaited<ReturnType<typeof runDisclosureBench>> | { error: string }): string {
  const head = '## Issue #14 — disclosure control: suppression pattern and attacker audit';
  if ('error' in r)
    return [DISCLOSURE_SECTION_START, head, '', `Not measured: ${r.error}`, DISCLOSURE_SECTION_END].join('\n');
  const s = (x: number) => `${x.toFixed(2)} s`;
  return [
    DISCLOSURE_SECTION_START,
    head,
    '',
    `Measured ${r.at.slice(0, 16).replace('T', ' ')} UTC; load average (1 min) ${r.loadBefore.toFixed(1)} before, ${r.loadAfter.toFixed(1)} after. One count indicator and period: every area of every layer × 20 member combinations (4 age bands and their total × 3 groups with shares of 50, 30 and 20 % and their total), with every hierarchy, overlay and member-total equation; counts drawn (seeded) as a rate of each area's population, minimum frequency 3. Pattern = \`protect()\` (primary + secondary; its own final audit only where a primary lacks a checked proof; HiGHS already loaded, as in the server's worker); audit = \`audit(…, { exact: false, certificates })\` (the attacker's verdict for every primary, checking the pattern's certificates — deviations found while protecting, verified exactly — and solving programs only for primaries they leave open: what \`protectChecked()\` runs before the server uses a pattern), exact audit = min and max of every withheld cell (only with BENCH_DISCLOSURE_EXACT=1). Each table is protected and audited twice in the process: the first run also pays for V8 compiling the JavaScript ("first in a new process", shown); the server's disclosure worker is long-lived and computes one pattern after another, so the second run is judged. Target: pattern + audit.`,
    '',
    '| structure | cells | equations | primary | secondary | pattern | audit | pattern + audit | target | met | first in a new process | exact audit | components | safe |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...r.rows.map(
      (x) =>
        `| ${x.name} | ${x.cells} | ${x.equations} | ${x.primary} | ${x.secondary} | ${s(x.patternSeconds)} | ${s(x.auditSeconds)} | ${s(x.patternSeconds + x.auditSeconds)} | ≤ ${x.target} s | ${x.patternSeconds + x.auditSeconds <= x.target ? 'met' : '**missed**'} | ${s(x.firstSeconds)} | ${x.exactAuditSeconds === null ? '—' : s(x.exactAuditSeconds)} | ${x.components} | ${x.safe ? 'yes' : '**no**'} |`,
    ),
    DISCLOSURE_SECTION_END,
  ].join('\n');
}

export function spliceDisclosureSection(doc: string, section: string): string {
  return spliceSection(doc, section, DISCLOSURE_SECTION_START, DISCLOSURE_SECTION_END);
}
