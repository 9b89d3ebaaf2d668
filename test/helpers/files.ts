// Temporary files for tests.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(): { dir: string; file(name: string, content: string | Uint8Array): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'km-test-'));
  return {
    dir,
    file(name, content) {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A square polygon as GeoJSON geometry. */
export function square(x: number, y: number, size: number) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [x, y],
        [x + size, y],
        [x + size, y + size],
        [x, y + size],
        [x, y],
      ],
    ],
  };
}

export function featureCollection(
  features: { code: string; name: string; parent?: string; geometry: unknown }[],
  crs?: string,
): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    ...(crs ? { crs: { type: 'name', properties: { name: crs } } } : {}),
    features: features.map((f) => ({
      type: 'Feature',
      properties: { code: f.code, name: f.name, ...(f.parent ? { parent: f.parent } : {}) },
      geometry: f.geometry,
    })),
  });
}
