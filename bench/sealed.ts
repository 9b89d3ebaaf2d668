// The sealed pipeline (issue 14, part 1): 200,000 records against a 400,000-address register to
// stored counts, in a child process (peak memory is the child's maxRSS). Target: ≤ 10 s and
// < 1 GB. The peer in the same run: matching the same file alone (`matchAddresses`, which returns
// every row and stores nothing; run after the measurement with the register already loaded).
//
// `npm run bench -- sealed` (bench/run.ts) writes its section into docs/benchmarks.md;
// `node --import tsx bench/sealed.ts child DIR` is the measured child.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spliceSection } from './sections.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SEALED_SECTION_START = '<!-- sealed-bench:start -->';
export const SEALED_SECTION_END = '<!-- sealed-bench:end -->';

// Smaller sizes for a smoke run only (SEALED_BENCH_RECORDS, SEALED_BENCH_ADDRESSES); the report uses the defaults.
const RECORDS = Number(process.env.SEALED_BENCH_RECORDS ?? 200_000);
const ADDRESSES = Number(process.env.SEALED_BENCH_ADDRESSES ?? 400_000);
const STREETS = ADDRESSES / 100;
const AREAS = 542;

export interface SealedBenchResult {
  records: number;
  addresses: number;
  areas: number;
  seconds: number;
  matchOnlySeconds: number;
  setupSeconds: number;
  maxRssMb: number;
  assigned: number;
  unassignable: number;
  storedObservations: number;
  load: { before: number; after: number };
  cpus: number;
}

/** Inputs: planning areas (12 districts → 542 areas, no geometry), the register, the records. */
function writeInputs(dir: string): {
  city: string;
  districts: string;
  areas: string;
  register: string;
  records: string;
  definition: string;
} {
  mkdirSync(dir, { recursive: true });
  const city = join(dir, 'stadt.csv');
  writeFileSync(city, 'code;name\n0;Musterstadt\n');
  const districts = join(dir, 'bezirke.csv');
  writeFileSync(
    districts,
    [
      'code;name;parent',
      ...Array.from({ length: 12 }, (_, b) => `${String(b + 1).padStart(2, '0')};Bezirk ${b + 1};0`),
    ].join('\n') + '\n',
  );
  const code = (a: number) => `${String((a % 12) + 1).padStart(2, '0')}${String(a).padStart(6, '0')}`;
  const areas = join(dir, 'plr.csv');
  writeFileSync(
    areas,
    [
      'code;name;parent',
      ...Array.from({ length: AREAS }, (_, a) => `${code(a)};Planungsraum ${a};${code(a).slice(0, 2)}`),
    ].join('\n') + '\n',
  );
  const street = (s: number) =>
    `${['Linden', 'Eichen', 'Birken', 'Ahorn', 'Kastanien', 'Buchen', 'Ulmen', 'Pappel'][s % 8]}${['straße', 'weg', 'allee', 'ring', 'damm'][Math.floor(s / 8) % 5]} ${Math.floor(s / 40) + 1}`;
  const perStreet = ADDRESSES / STREETS;
  const reg: string[] = ['Straße;Hausnummer;PLZ;PLR'];
  for (let s = 0; s < STREETS; s++)
    for (let n = 1; n <= perStreet; n++)
      reg.push(`${street(s)};${n};${10_000 + (s % 900)};${code((s * 7 + Math.floor(n / 25)) % AREAS)}`);
  const register = join(dir, 'register.csv');
  writeFileSync(register, reg.join('\n') + '\n');
  const rec: string[] = ['Nummer;Name;Geburtsdatum;Geschlecht;Anschrift'];
  for (let i = 0; i < RECORDS; i++) {
    const s = (i * 7919) % STREETS;
    const n = 1 + ((i * 104_729) % perStreet);
    // 2 % unknown streets, 1 % typos (fuzzy), the rest exact.
    const st =
      i % 50 === 0 ? `Unbekanntgasse ${i % 97}` : i % 100 === 1 ? street(s).replace('straße', 'strase') : street(s);
    rec.push(
      `R${i};Person ${i};${String(1 + (i % 28)).padStart(2, '0')}.${String(1 + (i % 12)).padStart(2, '0')}.${2006 + (i % 18)};${'wmd'[i % 3]};${st} ${n}, ${10_000 + (s % 900)} Musterstadt`,
    );
  }
  const records = join(dir, 'anmeldungen.csv');
  writeFileSync(records, rec.join('\n') + '\n');
  const definition = join(dir, 'definition.json');
  writeFileSync(
    definition,
    JSON.stringify({
      key: 'bench',
      indicator: {
        key: 'bench_teilnehmende',
        name: 'Teilnehmende',
        unit: 'Personen',
        type: 'count',
        owner: 'jugendamt',
        confidentiality: 'internal',
        dimensions: ['altersgruppe', 'geschlecht'],
      },
      period: '2024',
      referenceDate: '2024-07-31',
      address: { column: 'Anschrift' },
      breakdowns: {
        altersgruppe: {
          from: 'Geburtsdatum',
          bands: [
            [0, 6, 'unter6'],
            [6, 10, '6-10'],
            [10, 15, '10-15'],
            [15, 99, '15+'],
          ],
        },
        geschlecht: { from: 'Geschlecht', map: { w: 'weiblich', m: 'maennlich', d: 'divers' } },
      },
    }),
  );
  return { city, districts, areas, register, records, definition };
}

/** The children: `setup` builds the database; `run` times the run, takes its peak memory, then times the peer. */
async function child(dir: string, phase: string): Promise<void> {
  const { openDatabase } = await import('../src/store/db.ts');
  const { migrate } = await import('../src/store/migrate.ts');
  const { importAreas } = await import('../src/services/areas.ts');
  const { importAddresses } = await import('../src/services/address-register.ts');
  const { matchAddresses } = await import('../src/services/address-match.ts');
  const { readSealedDefinitionFile, runSealed } = await import('../src/services/sealed-run.ts');
  const dataDir = join(dir, 'data');
  if (phase === 'setup') {
    const t0 = performance.now();
    const inputs = writeInputs(dir);
    const db = await openDatabase({ dataDir });
    await migrate(db);
    await importAreas(db, inputs.city, { layer: 'stadt' });
    await importAreas(db, inputs.districts, { layer: 'bezirk', parentLayer: 'stadt', parentProp: 'parent' });
    await importAreas(db, inputs.areas, { layer: 'planungsraum', parentLayer: 'bezirk', parentProp: 'parent' });
    await importAddresses(db, inputs.register, { areas: ['planungsraum=PLR'], validFrom: '2024-01-01' });
    await db.close();
    process.stdout.write(`@@RESULT ${JSON.stringify({ setupSeconds: (performance.now() - t0) / 1000 })}\n`);
    return;
  }
  const records = join(dir, 'anmeldungen.csv');
  const def = await readSealedDefinitionFile(join(dir, 'definition.json'));
  const db = await openDatabase({ dataDir });
  const r0 = performance.now();
  const r = await runSealed(db, records, def);
  const seconds = (performance.now() - r0) / 1000;
  const maxRssMb = process.resourceUsage().maxRSS / 1024;
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM observation WHERE import_batch_id = $1',
    [r.batchId],
  );
  // The peer, after the measurement (the register is cached by then, so the peer is matching only).
  const m0 = performance.now();
  await matchAddresses(db, records, { address: 'Anschrift', at: '2024-07-31' });
  const matchOnlySeconds = (performance.now() - m0) / 1000;
  await db.close();
  process.stdout.write(
    `@@RESULT ${JSON.stringify({ seconds, matchOnlySeconds, assigned: r.assigned, unassignable: r.records - r.assigned, storedObservations: rows[0].n, maxRssMb })}\n`,
  );
}

async function spawnChild(dir: string, phase: string): Promise<Record<string, number>> {
  const p = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'sealed.ts'), 'child', dir, phase], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  p.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
  const code = await new Promise<number | null>((r) => p.once('exit', r));
  const line = out.split('\n').find((l) => l.startsWith('@@RESULT '));
  if (code !== 0 || !line)
    throw new Error(`the sealed bench child (${phase}) failed (exit ${code}): ${out.slice(-500)}`);
  return JSON.parse(line.slice(9));
}

export async function runSealedBench(o: { work: string; log: (s: string) => void }): Promise<SealedBenchResult> {
  const dir = join(o.work, 'sealed');
  o.log('sealed: building 542 areas and a register of 400,000 addresses …');
  const setup = await spawnChild(dir, 'setup');
  const before = loadavg()[0];
  o.log(`sealed: 200,000 records → counts (load ${before.toFixed(2)}) …`);
  const r = await spawnChild(dir, 'run');
  return {
    records: RECORDS,
    addresses: ADDRESSES,
    areas: AREAS,
    ...(r as unknown as Omit<SealedBenchResult, 'records' | 'addresses' | 'areas' | 'load' | 'cpus' | 'setupSeconds'>),
    setupSeconds: setup.setupSeconds,
    load: { before, after: loadavg()[0] },
    cpus: cpus().length,
  };
}

export function sealedBenchMarkdown(r: SealedBenchResult | { error: string }): string {
  const L = [SEALED_SECTION_START, '## Issue #14 — the sealed pipeline (Einzeldaten → Gebietszahlen)', ''];
  if ('error' in r) L.push(`Not measured: ${r.error}`);
  else {
    const f = (n: number) => n.toFixed(2);
    L.push(
      '| figure | target | measured | peer | met | method |',
      '|---|---|---|---|---|---|',
      `| ${r.records.toLocaleString('en-US')} records → stored counts, register of ${r.addresses.toLocaleString('en-US')} addresses | ≤ 10 s | ${f(r.seconds)} s | match only (\`matchAddresses\`, nothing counted or stored): ${f(r.matchOnlySeconds)} s | ${r.seconds <= 10 ? 'met' : '**missed**'} | one \`runSealed\` on the embedded engine, in a fresh process (the register is loaded from the database and indexed inside the run): read CSV, match every address, derive 4 age bands × 3 sexes, count, store ${r.storedObservations.toLocaleString('en-US')} observations (${r.areas} planning areas × 12 combinations + 7 reasons) in one batch; ${r.assigned.toLocaleString('en-US')} assigned, ${r.unassignable.toLocaleString('en-US')} not (2 % unknown streets) |`,
      `| peak memory of that process | < 1 GB | ${Math.round(r.maxRssMb)} MB | — | ${r.maxRssMb < 1024 ? 'met' : '**missed**'} | \`process.resourceUsage().maxRSS\` of the run's own process, taken right after the run (the register was built by another process in ${f(r.setupSeconds)} s, not timed; the peer ran afterwards) |`,
      '',
      `Machine: ${r.cpus} cores; load average ${r.load.before.toFixed(2)} before, ${r.load.after.toFixed(2)} after (other sessions share the machine).`,
      ...(Math.max(r.load.before, r.load.after) > 1.5 * r.cpus
        ? [
            '',
            `**Note:** with a load of ${Math.max(r.load.before, r.load.after).toFixed(1)} on ${r.cpus} cores the run got a fraction of a core; the times say little about the code (the peer, measured in the same process, was slowed alike). Measure again on a quiet machine: \`npm run bench -- sealed\`.`,
          ]
        : []),
    );
  }
  L.push(SEALED_SECTION_END);
  return L.join('\n');
}

export const spliceSealedSection = (doc: string, section: string) =>
  spliceSection(doc, section, SEALED_SECTION_START, SEALED_SECTION_END);

if (process.argv[2] === 'child' && process.argv[3]) {
  child(process.argv[3], process.argv[4] ?? 'run').catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
