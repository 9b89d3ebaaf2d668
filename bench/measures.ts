// The measure registry's figures (issue #17): 10,000 measures over 500 areas —
//   1. 360Giving import of the 10,000 records (target ≤ 5 s), next to a plain COPY-free peer:
//      one INSERT … SELECT FROM jsonb_to_recordset of the same rows into a bare table;
//   2. gap and coverage analysis (target ≤ 200 ms), next to one hand-written SQL statement
//      counting the running measures per area (the peer);
//   3. the map request GET /api/measures/gaps?… as JSON over HTTP (in process; target ≤ 50 ms).
// Not a test: nothing asserts a timing. Run:
//   npm run bench -- measures                            # 10,000 measures, 500 areas, into docs/benchmarks.md
//   BENCH_MEASURES=500 BENCH_AREAS=50 node --import tsx bench/measures.ts   # a quick small run to stdout
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { SYSTEM } from '../src/core/access.ts';
import { insertDepartment } from '../src/store/accounts.ts';
import { importAreaRecords } from '../src/services/areas.ts';
import { importCatalogue } from '../src/services/indicators.ts';
import { importObservations } from '../src/services/observations-import.ts';
import { importMeasures, measuresAgainstNeed } from '../src/services/measures.ts';
import { buildServer } from '../src/http/server.ts';
import { Rng } from '../src/demo/random.ts';

import { loadavg } from 'node:os';
import { spliceSection } from './sections.ts';

const RUNS = 7;
export const MEASURES_SECTION_START = '<!-- measures-bench:start -->';
export const MEASURES_SECTION_END = '<!-- measures-bench:end -->';

export interface MeasuresBenchResult {
  measures: number;
  areas: number;
  loadBefore: number;
  importMs: number;
  peerImportMs: number;
  coldMs: number;
  gapsMs: number;
  peerGapsMs: number;
  mapMs: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function time(fn: () => Promise<unknown>, runs = RUNS): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

export async function runMeasuresBench(
  o: { measures?: number; areas?: number; log?: (m: string) => void } = {},
): Promise<MeasuresBenchResult> {
  const N = o.measures ?? 10_000;
  const AREAS = o.areas ?? 500;
  const log = o.log ?? (() => {});
  const loadBefore = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'km-bench-measures-'));
  const db = await openDatabase({ dataDir: join(dir, 'data') });
  try {
    await migrate(db);
    for (const d of ['statistik', 'jugend', 'bildung', 'soziales']) await insertDepartment(db, d, d);
    const side = Math.ceil(Math.sqrt(AREAS));
    const code = (i: number) => String(i + 1).padStart(4, '0');
    const records = Array.from({ length: AREAS }, (_, i) => {
      const x = (i % side) * 0.01,
        y = Math.floor(i / side) * 0.01;
      return {
        code: code(i),
        name: `Gebiet ${i + 1}`,
        parentCode: null,
        geometry: {
          type: 'Polygon' as const,
          coordinates: [
            [
              [x, y],
              [x + 0.01, y],
              [x + 0.01, y + 0.01],
              [x, y + 0.01],
              [x, y],
            ],
          ],
        },
        properties: {},
      };
    });
    await importAreaRecords(db, { crs: 'EPSG:4326', problems: [], records }, { layer: 'planungsraum' });
    await importCatalogue(db, {
      dimensions: [{ key: 'altersgruppe', name: 'Altersgruppe', members: [{ key: '6_10', name: '6 bis unter 10' }] }],
      indicators: [
        {
          key: 'einwohner',
          name: 'Einwohner',
          unit: 'Personen',
          type: 'count',
          dimensions: ['altersgruppe'],
          owner: 'statistik',
          confidentiality: 'public',
        },
        {
          key: 'status_klasse',
          name: 'Status (Klasse)',
          unit: 'Klasse',
          type: 'value',
          owner: 'statistik',
          confidentiality: 'public',
        },
      ],
    });
    const rng = new Rng(42);
    const obs = ['indicator;area;period;altersgruppe;value'];
    for (let i = 0; i < AREAS; i++)
      obs.push(
        `einwohner;${code(i)};2023-12-31;6_10;${50 + rng.int(400)}`,
        `status_klasse;${code(i)};2023-12-31;;${1 + rng.int(4)}`,
      );
    const obsPath = join(dir, 'obs.csv');
    writeFileSync(obsPath, obs.join('\n') + '\n');
    await importObservations(db, obsPath, { layer: 'planungsraum' });
    await db.query(`UPDATE indicator SET lineage = $1 WHERE key = 'status_klasse'`, [
      JSON.stringify({ kind: 'index', labels: ['sehr niedrig', 'niedrig', 'mittel', 'hoch'] }),
    ]);

    const fields = ['jugend', 'schule', 'gesundheit', 'familie'];
    const groups = ['kinder_6_10', 'kinder_10_15', 'familien'];
    const grants = Array.from({ length: N }, (_, k) => {
      const start = 2020 + rng.int(5);
      const dept = ['jugend', 'bildung', 'soziales'][k % 3];
      return {
        id: `360G-bench-${k}`,
        title: `Maßnahme ${k}`,
        description: 'Bench',
        currency: 'EUR',
        amountAwarded: 10000 + rng.int(90000),
        awardDate: `${start}-01-01`,
        plannedDates: [{ startDate: `${start}-01-01`, endDate: `${start + 1 + rng.int(3)}-12-31` }],
        recipientOrganization: [{ id: 'DE-BENCH-1', name: 'Träger' }],
        fundingOrganization: [{ id: dept, name: dept, department: dept }],
        beneficiaryLocation: [{ geoCode: code(rng.int(AREAS)), geoCodeType: 'planungsraum' }],
        classifications: [
          { vocabulary: 'kommunalmonitor:handlungsfeld', code: fields[rng.int(fields.length)], title: '' },
          { vocabulary: 'kommunalmonitor:zielgruppe', code: groups[rng.int(groups.length)], title: '' },
          { vocabulary: 'kommunalmonitor:vertraulichkeit', code: 'public', title: 'public' },
        ],
      };
    });
    const file = join(dir, 'massnahmen.json');
    writeFileSync(file, JSON.stringify({ grants }));

    const t0 = performance.now();
    const r = await importMeasures(db, file, { principal: SYSTEM });
    const importMs = performance.now() - t0;
    // Peer: the same rows into a bare table in one statement.
    await db.exec(
      'CREATE TABLE bench_peer (key text, title text, department text, layer text, code text, start date, finish date, field text, grp text)',
    );
    const peerRows = grants.map((g) => ({
      key: g.id,
      title: g.title,
      department: g.fundingOrganization[0].id,
      layer: 'planungsraum',
      code: g.beneficiaryLocation[0].geoCode,
      start: g.plannedDates[0].startDate,
      finish: g.plannedDates[0].endDate,
      field: g.classifications[0].code,
      grp: g.classifications[1].code,
    }));
    const p0 = performance.now();
    await db.query(
      `INSERT INTO bench_peer SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(key text, title text, department text, layer text, code text, start date, finish date, field text, grp text)`,
      [JSON.stringify(peerRows)],
    );
    const peerImportMs = performance.now() - p0;

    const q = {
      layer: 'planungsraum',
      need: 'status_klasse',
      classes: ['sehr niedrig', 'niedrig'],
      field: 'jugend',
      targetGroup: 'kinder_6_10',
      at: '2023-06-30',
    };
    const c0 = performance.now();
    await measuresAgainstNeed(db, SYSTEM, q);
    const coldMs = performance.now() - c0;
    const gapsMs = await time(() => measuresAgainstNeed(db, SYSTEM, q));
    const peerGapsMs = await time(() =>
      db.query(
        `SELECT code, count(*) FROM bench_peer WHERE field = 'jugend' AND grp = 'kinder_6_10' AND start <= '2023-06-30' AND finish >= '2023-06-30' GROUP BY code`,
      ),
    );
    const app = await buildServer(db, {});
    const url = `/api/measures/gaps?layer=planungsraum&need=status_klasse&classes=sehr%20niedrig,niedrig&field=jugend&targetGroup=kinder_6_10&at=2023-06-30`;
    const first = await app.inject({ method: 'GET', url });
    if (first.statusCode !== 200) throw new Error(first.body);
    const mapMs = await time(() => app.inject({ method: 'GET', url }));
    await app.close();

    log(`measures: import ${importMs.toFixed(0)} ms, first gaps ${coldMs.toFixed(0)} ms`);
    return {
      measures: r.inserted,
      areas: AREAS,
      loadBefore,
      importMs,
      peerImportMs,
      coldMs,
      gapsMs,
      peerGapsMs,
      mapMs,
    };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function measuresBenchSection(r: MeasuresBenchResult | { error: string }, commit: string): string {
  const head = [MEASURES_SECTION_START, '## Issue #17 — measures against need', ''];
  if ('error' in r) return [...head, `Not measured: ${r.error}`, MEASURES_SECTION_END].join('\n');
  const f = (ms: number) => `${ms.toFixed(1)} ms`;
  const judge = (ms: number, target: number) => (ms <= target ? 'met' : 'missed');
  return [
    ...head,
    `\`npm run bench -- measures\`, ${commit}: ${r.measures} measures (360Giving grants, one Planungsraum each, a field of action and a target group) over ${r.areas} areas with a status class and the children 6–10 per area, embedded PGlite in a data directory; load average before ${r.loadBefore.toFixed(2)}.`,
    '',
    '| figure | measured | peer | target |',
    '|---|---|---|---|',
    `| 360Giving import (${r.measures} records) | ${f(r.importMs)} | ${f(r.peerImportMs)} (one INSERT of the same rows into a bare table) | ≤ 5 s (${judge(r.importMs, 5000)}) |`,
    `| gaps + coverage, first request after the import (reads the measures) | ${f(r.coldMs)} | – | ≤ 200 ms (${judge(r.coldMs, 200)}) |`,
    `| gaps + coverage (service, median of ${RUNS}, measures kept per read snapshot) | ${f(r.gapsMs)} | ${f(r.peerGapsMs)} (one SQL count per area) | ≤ 200 ms (${judge(r.gapsMs, 200)}) |`,
    `| map request GET /api/measures/gaps (in process, median of ${RUNS}) | ${f(r.mapMs)} | – | ≤ 50 ms (${judge(r.mapMs, 50)}) |`,
    '',
    "The first analysis after an import reads only the measures its filters can keep (field of action, target group, department, status and running on the date, applied in SQL and again in core); later ones take them from the read snapshot's cache until the next change.",
    MEASURES_SECTION_END,
  ].join('\n');
}

export function spliceMeasuresSection(doc: string, section: string): string {
  return spliceSection(doc, section, MEASURES_SECTION_START, MEASURES_SECTION_END);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runMeasuresBench({
    measures: Number(process.env.BENCH_MEASURES ?? 10_000),
    areas: Number(process.env.BENCH_AREAS ?? 500),
    log: (m) => process.stderr.write(m + '\n'),
  });
  process.stdout.write(measuresBenchSection(r, 'local') + '\n');
}
