// OGC API – Features (issue 19): items of a 500-area layer with geometry, the first page (the
// default limit) and the whole layer in one page, over HTTP from a real server process, next to
// the platform's own GeoJSON endpoint for the same areas (GET /api/layers/{key}/areas: the peer).
// The layer is synthetic but shaped like a real one: 25 × 20 areas over Berlin's extent, each a
// polygon of 120 vertices (wavy edges), about 1.7 MB of GeoJSON in WGS84.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';
import { spliceSection } from './sections.ts';
import { openDatabase } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { importAreas } from '../src/services/areas.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const OGC_SECTION_START = '<!-- ogc-bench:start -->';
export const OGC_SECTION_END = '<!-- ogc-bench:end -->';
const RUNS = 40;

export interface OgcBenchRow {
  label: string;
  path: string;
  gzip: boolean;
  features: number;
  bytes: number;
  /** The first request after the start (prepares geometries for the snapshot and CRS). */
  firstMs: number;
  medianMs: number;
  p95Ms: number;
  target?: number;
}

export interface OgcBenchResult {
  at: string;
  loadBefore: number;
  loadAfter: number;
  areas: number;
  rows: OgcBenchRow[];
}

/** A polygon of 4 × 30 vertices over the cell [x, x + w] × [y, y + h], its edges slightly wavy. */
function cellPolygon(x: number, y: number, w: number, h: number): number[][][] {
  const per = 30;
  const ring: number[][] = [];
  const wave = (t: number) => Math.sin(t * Math.PI * 4) * 0.02;
  for (let i = 0; i < per; i++) ring.push([x + (w * i) / per, y + h * wave(i / per)]);
  for (let i = 0; i < per; i++) ring.push([x + w + w * wave(i / per), y + (h * i) / per]);
  for (let i = 0; i < per; i++) ring.push([x + w - (w * i) / per, y + h + h * wave(i / per)]);
  for (let i = 0; i < per; i++) ring.push([x + w * wave(i / per), y + h - (h * i) / per]);
  ring.push(ring[0]);
  return [ring.map(([a, b]) => [Math.round(a * 1e7) / 1e7, Math.round(b * 1e7) / 1e7])];
}

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

async function timed(url: string, gzip: boolean): Promise<{ ms: number; bytes: number; body: Buffer }> {
  const t0 = performance.now();
  // Raw bytes as sent: fetch would decompress, so the gzip rows ask with a plain header and read the buffer.
  const r = await fetch(url, { headers: gzip ? { 'Accept-Encoding': 'gzip' } : { 'Accept-Encoding': 'identity' } });
  const body = Buffer.from(await r.arrayBuffer());
  const ms = performance.now() - t0;
  if (!r.ok) throw new Error(`${url}: ${r.status} ${body.toString('utf8').slice(0, 200)}`);
  return { ms, bytes: Number(r.headers.get('content-length') ?? body.length), body };
}

export async function runOgcBench(o: { log: (m: string) => void }): Promise<OgcBenchResult> {
  const loadBefore = loadavg()[0];
  const dir = mkdtempSync(join(tmpdir(), 'km-ogc-bench-'));
  let child: ChildProcess | undefined;
  try {
    const dataDir = join(dir, 'data');
    const features: unknown[] = [];
    const [x0, y0, x1, y1] = [13.08, 52.33, 13.76, 52.68];
    const cols = 25,
      rows = 20;
    const w = (x1 - x0) / cols,
      h = (y1 - y0) / rows;
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const code = String(r * cols + c + 1).padStart(3, '0');
        features.push({
          type: 'Feature',
          properties: { code, name: `Gebiet ${code}` },
          geometry: { type: 'Polygon', coordinates: cellPolygon(x0 + c * w, y0 + r * h, w, h) },
        });
      }
    const file = join(dir, 'gebiete.geojson');
    writeFileSync(file, JSON.stringify({ type: 'FeatureCollection', features }));
    o.log('ogc: importing 500 areas …');
    const db = await openDatabase({ dataDir, owner: { kind: 'cli' } });
    try {
      await migrate(db);
      await importAreas(db, file, { layer: 'gebiet', codeProp: 'code', nameProp: 'name' });
    } finally {
      await db.close();
    }
    const port = await freePort();
    child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin', 'kommunalmonitor.mjs'),
        '--data-dir',
        dataDir,
        'serve',
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--no-demo',
      ],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/api/health`)).ok) break;
      } catch {
        // not listening yet
      }
      if (i > 600) throw new Error(`the server did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const cases: Omit<OgcBenchRow, 'features' | 'bytes' | 'firstMs' | 'medianMs' | 'p95Ms'>[] = [
      {
        label: 'OGC items, first page (default limit 100)',
        path: '/ogc/collections/gebiet/items',
        gzip: false,
        target: 20,
      },
      {
        label: 'OGC items, the whole layer (limit=500)',
        path: '/ogc/collections/gebiet/items?limit=500',
        gzip: false,
        target: 200,
      },
      {
        label: 'OGC items, the whole layer, gzip',
        path: '/ogc/collections/gebiet/items?limit=500',
        gzip: true,
        target: 200,
      },
      {
        label: 'OGC items, the whole layer in EPSG:25833',
        path: '/ogc/collections/gebiet/items?limit=500&crs=http://www.opengis.net/def/crs/EPSG/0/25833',
        gzip: false,
      },
      { label: 'peer: the platform’s GeoJSON of the same areas', path: '/api/layers/gebiet/areas', gzip: false },
      { label: 'peer: the same, gzip', path: '/api/layers/gebiet/areas', gzip: true },
    ];
    const out: OgcBenchRow[] = [];
    for (const c of cases) {
      o.log(`ogc: ${c.label} …`);
      const first = await timed(base + c.path, c.gzip);
      const text = (c.gzip && first.body[0] === 0x1f ? gunzipSync(first.body) : first.body).toString('utf8');
      const n = (JSON.parse(text) as { features: unknown[] }).features.length;
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) ms.push((await timed(base + c.path, c.gzip)).ms);
      ms.sort((a, b) => a - b);
      out.push({
        ...c,
        features: n,
        bytes: first.bytes,
        firstMs: first.ms,
        medianMs: ms[Math.floor(RUNS / 2)],
        p95Ms: ms[Math.floor(RUNS * 0.95)],
      });
    }
    return { at: new Date().toISOString(), loadBefore, loadAfter: loadavg()[0], areas: features.length, rows: out };
  } finally {
    if (child && child.exitCode === null) {
      const done = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await done;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

export function ogcBenchMarkdown(r: OgcBenchResult | { error: string }, commit: string): string {
  const head = [OGC_SECTION_START, '## Issue #19 — OGC API – Features', ''];
  if ('error' in r) return [...head, `Not measured: ${r.error}`, OGC_SECTION_END].join('\n');
  const ms = (x: number) => `${x < 10 ? x.toFixed(1) : x.toFixed(0)} ms`;
  const kb = (b: number) => `${(b / 1024).toFixed(0)} KiB`;
  return [
    ...head,
    `Measured ${r.at.slice(0, 16).replace('T', ' ')} UTC on ${commit}; load average (1 min) ${r.loadBefore.toFixed(1)} before, ${r.loadAfter.toFixed(1)} after. A layer of ${r.areas} areas with geometry (polygons of 120 vertices, bench/ogc.ts) in an embedded data directory; \`serve\` in a child process; requests one after another from the bench process (keep-alive), time from the request to the last byte of the answer. "first" is the first request after the start, which prepares the geometries for the read snapshot and the CRS; median and 95th percentile of ${RUNS} requests after it. Peer: the platform's own GeoJSON endpoint for the same areas.`,
    '',
    '| request | features | size | first | median | p95 | target | met |',
    '|---|---|---|---|---|---|---|---|',
    ...r.rows.map(
      (x) =>
        `| ${x.label} (\`${x.path}\`${x.gzip ? ', `Accept-Encoding: gzip`' : ''}) | ${x.features} | ${kb(x.bytes)} | ${ms(x.firstMs)} | ${ms(x.medianMs)} | ${ms(x.p95Ms)} | ${x.target ? `≤ ${x.target} ms` : '—'} | ${x.target === undefined ? '—' : x.medianMs <= x.target ? 'met' : '**missed**'} |`,
    ),
    '',
    'The peer answers from bytes it keeps per read snapshot; the OGC items are serialised per request (their geometries are prepared once per snapshot and CRS), which is where the gap comes from. Not measured yet: the DCAT-AP.de catalogue and JSON-stat targets of the issue (not built).',
    OGC_SECTION_END,
  ].join('\n');
}

export function spliceOgcSection(doc: string, section: string): string {
  return spliceSection(doc, section, OGC_SECTION_START, OGC_SECTION_END);
}
