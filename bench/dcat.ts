// The DCAT-AP.de catalogue (decision 0026): 200 public indicators on three layers (Gesamtstadt,
// 10 Stadtbezirke, 100 Stadtteile; two years of values each), GET /catalog with all 200 on one
// page in each serialisation, over HTTP from the same process: the first request of the new
// process, the first request after an import (the catalogue's tables read and the page rendered
// anew) and the median of the repeats (served from memory). Target: ≤ 200 ms.
// Standalone: `node --import tsx bench/dcat.ts [datasets] [runs]` prints a Markdown table.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { importAreas } from '../src/services/areas.ts';
import { importCatalogue } from '../src/services/indicators.ts';
import { importObservations } from '../src/services/observations-import.ts';
import { setPublisher } from '../src/services/dcat.ts';
import { SYSTEM } from '../src/core/access.ts';
import { buildServer } from '../src/http/server.ts';

export interface DcatBenchRow {
  path: string;
  bytes: number;
  /** The first request of the new server process (code not yet compiled by V8's optimising tiers). */
  coldMs: number;
  /** The first request after an import (a new read snapshot: the catalogue is read and rendered again). */
  firstMs: number;
  medianMs: number;
}

const square = (x: number, y: number, s: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + s, y],
      [x + s, y + s],
      [x, y + s],
      [x, y],
    ],
  ],
});
const fc = (features: { code: string; name: string; parent?: string; geometry: unknown }[]) =>
  JSON.stringify({
    type: 'FeatureCollection',
    features: features.map((f) => ({
      type: 'Feature',
      properties: { code: f.code, name: f.name, ...(f.parent ? { parent: f.parent } : {}) },
      geometry: f.geometry,
    })),
  });

export async function runDcatBench(
  o: { datasets?: number; runs?: number; log?: (m: string) => void } = {},
): Promise<{ loadBefore: number; loadAfter: number; datasets: number; rows: DcatBenchRow[] }> {
  const n = o.datasets ?? 200;
  const runs = o.runs ?? 20;
  const log = o.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'km-bench-dcat-'));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const db = await openDatabase({ memory: true });
  try {
    await migrate(db);
    log(`importing ${n} indicators on 3 layers …`);
    await importAreas(db, file('g.geojson', fc([{ code: '0', name: 'Gesamtstadt', geometry: square(7, 51, 1) }])), {
      layer: 'gesamtstadt',
      layerName: 'Gesamtstadt',
    });
    const bezirke = Array.from({ length: 10 }, (_, b) => ({
      code: String(b + 1).padStart(2, '0'),
      name: `Bezirk ${b + 1}`,
      parent: '0',
      geometry: square(7 + b * 0.1, 51, 0.1),
    }));
    await importAreas(db, file('b.geojson', fc(bezirke)), {
      layer: 'stadtbezirk',
      layerName: 'Stadtbezirke',
      parentLayer: 'gesamtstadt',
      parentProp: 'parent',
    });
    const teile = bezirke.flatMap((b, i) =>
      Array.from({ length: 10 }, (_, t) => ({
        code: `${b.code}${t}`,
        name: `Stadtteil ${b.code}${t}`,
        parent: b.code,
        geometry: square(7 + i * 0.1, 51 + t * 0.01, 0.01),
      })),
    );
    await importAreas(db, file('t.geojson', fc(teile)), {
      layer: 'stadtteil',
      layerName: 'Stadtteile',
      parentLayer: 'stadtbezirk',
      parentProp: 'parent',
    });
    const themes = ['Bevölkerung', 'Soziales', 'Bildung', 'Gesundheit', 'Jugend', 'Wohnen'];
    const keys = Array.from({ length: n }, (_, k) => `indikator_${String(k).padStart(3, '0')}`);
    await importCatalogue(
      db,
      keys.map((key, k) => ({
        key,
        name: `Indikator ${k}`,
        description: `Beschreibung des Indikators ${k}.`,
        unit: 'Personen',
        type: 'count',
        confidentiality: 'public',
        source: 'Melderegister',
        periodicity: 'yearly',
        themes: [themes[k % themes.length], themes[(k + 1) % themes.length]],
      })),
    );
    const rows = ['indicator;area;period;value'];
    for (const key of keys)
      for (const t of teile)
        for (const year of [2023, 2024]) rows.push(`${key};${t.code};${year};${(t.code.length * 7 + year) % 50}`);
    await importObservations(db, file('o.csv', rows.join('\n')), { layer: 'stadtteil' });
    await setPublisher(db, SYSTEM, {
      name: 'Stadt Musterstadt',
      officialKey: '05315000',
      licence: 'dl-by-de/2.0',
      contact: { name: 'Statistikstelle', email: 'statistik@example.de' },
      baseUrl: 'https://monitor.example.de',
    });
    const app = await buildServer(db);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    // The server's own first request (route compilation, lazy modules) is not the catalogue's.
    await fetch(`${address}/api/health`);
    const loadBefore = loadavg()[0];
    const out: DcatBenchRow[] = [];
    const paths = [`/catalog.ttl?pageSize=${n}`, `/catalog.rdf?pageSize=${n}`, `/catalog.jsonld?pageSize=${n}`];
    const timed = async (path: string) => {
      const t0 = performance.now();
      const res = await fetch(`${address}${path}`, { headers: { 'accept-encoding': 'identity' } });
      const body = Buffer.from(await res.arrayBuffer());
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.toString('utf8').slice(0, 200)}`);
      return { ms, bytes: body.length };
    };
    let round = 0;
    try {
      // The first request of each serialisation in the new process.
      const cold = new Map<string, number>();
      for (const path of paths) cold.set(path, (await timed(path)).ms);
      for (const path of paths) {
        // An import of new values of one indicator: a new read snapshot, so the next request reads
        // the catalogue's tables again and renders the page anew.
        round++;
        await importObservations(
          db,
          file(
            `u${round}.csv`,
            ['indicator;area;period;value', ...teile.map((t) => `${keys[round]};${t.code};2025;${round}`)].join('\n'),
          ),
          { layer: 'stadtteil' },
        );
        const first = await timed(path);
        const times: number[] = [];
        for (let r = 0; r < runs; r++) times.push((await timed(path)).ms);
        times.sort((a, b) => a - b);
        out.push({
          path,
          bytes: first.bytes,
          coldMs: cold.get(path)!,
          firstMs: first.ms,
          medianMs: times[Math.floor(times.length / 2)] ?? first.ms,
        });
        log(
          `${path}: new process ${cold.get(path)!.toFixed(0)} ms, first after an import ${first.ms.toFixed(0)} ms, median ${out[out.length - 1].medianMs.toFixed(1)} ms`,
        );
      }
    } finally {
      await app.close();
    }
    return { loadBefore, loadAfter: loadavg()[0], datasets: n, rows: out };
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const DCAT_SECTION_START = '<!-- catalog-bench:start -->';
export const DCAT_SECTION_END = '<!-- catalog-bench:end -->';

export function dcatBenchMarkdown(r: Awaited<ReturnType<typeof runDcatBench>>): string {
  const lines = [
    `DCAT-AP.de catalogue, ${r.datasets} datasets on one page (load ${r.loadBefore.toFixed(1)} → ${r.loadAfter.toFixed(1)}); target ≤ 200 ms`,
    '',
    '| request | bytes | first after an import | median of repeats | first of a new process |',
    '|---|---:|---:|---:|---:|',
  ];
  for (const x of r.rows)
    lines.push(
      `| \`${x.path}\` | ${x.bytes} | ${x.firstMs.toFixed(0)} ms | ${x.medianMs.toFixed(1)} ms | ${x.coldMs.toFixed(0)} ms |`,
    );
  return lines.join('\n') + '\n';
}

/** The section of docs/benchmarks.md (`npm run bench -- catalog`). */
export function dcatBenchSection(
  r: Awaited<ReturnType<typeof runDcatBench>> | { error: string },
  commit: string,
): string {
  const head = [DCAT_SECTION_START, '## Issue #19 — DCAT-AP.de catalogue', ''];
  if ('error' in r) return [...head, `Not measured: ${r.error}`, DCAT_SECTION_END].join('\n');
  const met = r.rows.every((x) => x.firstMs <= 200 && x.medianMs <= 200);
  return [
    ...head,
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${commit}. ${r.datasets} public indicators on three layers (1 → 10 → 100 areas, two years each) in an in-memory embedded database, publisher settings set; \`buildServer\` listening on loopback in the bench process, \`fetch\` one request after another without compression. The server first answers each serialisation once ("first of a new process": V8 has not compiled the catalogue's code yet); then, per serialisation, new values of one indicator are imported and the next request timed ("first after an import": a new read snapshot, so the catalogue's tables are read and the page rendered anew), then the repeats, served from the page kept for the read snapshot (bench/dcat.ts). Target: the catalogue of 200 datasets ≤ 200 ms — ${met ? 'met' : '**missed**'} (first after an import and repeats; the first request of a new process is shown, not judged).`,
    '',
    dcatBenchMarkdown(r).split('\n').slice(2).join('\n').trimEnd(),
    DCAT_SECTION_END,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [datasets, runs] = process.argv.slice(2).map(Number);
  const r = await runDcatBench({
    datasets: datasets || undefined,
    runs: runs || undefined,
    log: (m) => process.stderr.write(m + '\n'),
  });
  process.stdout.write(dcatBenchMarkdown(r));
}
