// Use case: load the demo city "Musterstadt" through the same import paths real data takes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../store/db.ts';
import { generateMusterstadt, type DemoObservation } from '../core/demo/musterstadt.ts';
import { importCatalogue } from './indicators.ts';
import { importAreaRecords } from './areas.ts';
import { importObservations } from './observations-import.ts';
import { saveCockpit, DEMO_COCKPIT } from './cockpit.ts';
import { SYSTEM } from '../core/access.ts';

const DEMO_DEPARTMENTS: [string, string][] = [
  ['statistik', 'Kommunale Statistikstelle'],
  ['bildung', 'Bildung'],
  ['soziales', 'Arbeit und Soziales'],
  ['kita', 'Tageseinrichtungen für Kinder'],
  ['jugend', 'Jugendamt'],
  ['gesundheit', 'Gesundheitsamt'],
];

export interface DemoResult {
  city: string;
  layers: number;
  areas: number;
  indicators: number;
  observations: number;
  seconds: number;
}

export async function loadDemo(db: Database, o: { seed?: number; scale?: number; log?: (msg: string) => void } = {}): Promise<DemoResult> {
  const t0 = performance.now();
  const log = o.log ?? (() => undefined);
  const city = generateMusterstadt({ seed: o.seed ?? 1, scale: o.scale ?? 1 });
  log(`Generating ${city.name} (seed ${o.seed ?? 1}, scale ${o.scale ?? 1}) …`);
  // The departments that own the demo's indicators (Fachbereiche).
  for (const [key, name] of DEMO_DEPARTMENTS) await db.query('INSERT INTO department (key, name) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, name]);
  await importCatalogue(db, { dimensions: city.catalogue.dimensions, indicators: city.catalogue.indicators }, { displayName: `${city.name} (demo catalogue)` });
  let areas = 0;
  for (const layer of city.layers) {
    for (const v of layer.versions) {
      await importAreaRecords(
        db,
        { crs: 'EPSG:4326', problems: [], records: v.areas.map((a) => ({ code: a.code, name: a.name, parentCode: a.parentCode, geometry: a.geometry, properties: {} })) },
        {
          layer: layer.key,
          layerName: layer.name,
          overlay: layer.kind === 'overlay',
          parentLayer: layer.parentLayer ?? undefined,
          validFrom: v.validFrom,
          displayName: `${city.name} (demo ${layer.key}${v.validFrom ? ` from ${v.validFrom}` : ''})`,
          // The generator nests areas exactly by construction (tested there).
          containmentTolerance: 0,
        },
      );
      areas += v.areas.length;
    }
  }
  log(`  ${city.layers.length} layers, ${areas} areas`);
  // Observations go through the file import, one long CSV per layer.
  const dir = mkdtempSync(join(tmpdir(), 'kommunalmonitor-demo-'));
  let observations = 0;
  try {
    const byLayer = new Map<string, DemoObservation[]>();
    for (const obs of city.observations()) {
      if (!byLayer.has(obs.layer)) byLayer.set(obs.layer, []);
      byLayer.get(obs.layer)!.push(obs);
    }
    for (const [layer, list] of byLayer) {
      const dims = [...new Set(list.flatMap((x) => Object.keys(x.members)))].sort();
      const lines = [['indicator', 'area', 'period', ...dims, 'value', 'status', 'base'].join(';')];
      for (const x of list) {
        const value = x.value === null ? (x.status === 'suppressed' ? '.' : '') : String(x.value).replace('.', ',');
        const status = x.status === 'suppressed' || x.status === 'missing' ? '' : x.status;
        lines.push([x.indicator, x.area, x.period, ...dims.map((d) => x.members[d] ?? ''), value, status, x.base == null ? '' : String(x.base).replace('.', ',')].join(';'));
      }
      const path = join(dir, `${layer}.csv`);
      writeFileSync(path, lines.join('\n') + '\n');
      const r = await importObservations(db, path, { layer, displayName: `${city.name} (demo ${layer})` });
      observations += r.observations;
      log(`  ${layer}: ${r.observations} observations`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await saveCockpit(db, DEMO_COCKPIT, SYSTEM);
  await db.query(`INSERT INTO setting (key, value) VALUES ('demo', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [JSON.stringify({ city: city.name, seed: o.seed ?? 1, scale: o.scale ?? 1, loadedAt: new Date().toISOString() })]);
  const seconds = (performance.now() - t0) / 1000;
  return { city: city.name, layers: city.layers.length, areas, indicators: city.catalogue.indicators.length, observations, seconds };
}

/** Whether the database holds no spatial structure yet (a fresh start). */
export async function isEmpty(db: Database): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM layer');
  return rows[0].n === 0;
}
