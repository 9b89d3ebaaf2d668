// The cache of prepared point indexes (migration 015): used only for exactly the area rows it was
// built from — emptied by any change of areas, and an entry of other rows is never read.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';
import { importAreas } from '../../src/services/areas.ts';
import { layerPointIndexes } from '../../src/services/assign-points.ts';
import { PointIndex, POINT_INDEX_BYTES_FORMAT } from '../../src/core/geo/point-index.ts';
import { readPointIndexCache, writePointIndexCache } from '../../src/store/point-index-cache.ts';
import type { Database } from '../../src/store/db.ts';

const WEST = square(8, 50, 0.1);
const EAST = square(8.1, 50, 0.1);
const xs = new Float64Array([8.05, 8.15, 9]);
const ys = new Float64Array([50.05, 50.05, 50.05]);

async function codesOf(db: Database, cache: boolean): Promise<(string | null)[]> {
  const [l] = await layerPointIndexes(db, ['bezirk'], undefined, { cache });
  return Array.from(l.index.assignMany(xs, ys, new Int32Array(3)), (a) => (a >= 0 ? l.codes[a] : null));
}

const versionOf = async (db: Database) =>
  (
    await db.query<{ id: number }>(
      "SELECT v.id FROM layer_version v JOIN layer l ON l.id = v.layer_id WHERE l.key = 'bezirk'",
    )
  ).rows[0].id;

for (const engine of engines) {
  describe(`point index cache (${engine.name})`, engineGate(engine), () => {
    test('kept after a build, read back, emptied when the areas change, and never read for other rows', async () => {
      const tmp = tempDir();
      const db = await openEngine(engine);
      try {
        const file = (west: string, east: string) =>
          tmp.file(
            'bezirke.geojson',
            featureCollection([
              { code: west, name: 'West', geometry: WEST },
              { code: east, name: 'Ost', geometry: EAST },
            ]),
          );
        await importAreas(db, file('01', '02'), { layer: 'bezirk' });
        const version = await versionOf(db);
        assert.equal(await readPointIndexCache(db, version, POINT_INDEX_BYTES_FORMAT), undefined);
        assert.deepEqual(await codesOf(db, true), ['01', '02', null]);
        const kept = await readPointIndexCache(db, version, POINT_INDEX_BYTES_FORMAT);
        assert.ok(kept, 'the built index is kept');
        assert.deepEqual(kept.codes, ['01', '02']);
        // Read from the cache: the same answers.
        assert.deepEqual(await codesOf(db, true), ['01', '02', null]);

        // The same version re-imported with the codes swapped: the entry is gone, the answer new.
        await importAreas(db, file('02', '01'), { layer: 'bezirk' });
        assert.equal(await versionOf(db), version);
        assert.equal(await readPointIndexCache(db, version, POINT_INDEX_BYTES_FORMAT), undefined);
        assert.deepEqual(await codesOf(db, true), ['02', '01', null]);

        // An entry built from other rows (here: written with the old layout and a made-up stamp)
        // is not read, whatever it holds; another format is not read either.
        const wrong = PointIndex.build([EAST, WEST]).toBytes()!;
        await writePointIndexCache(db, version, POINT_INDEX_BYTES_FORMAT, '2:1', { codes: ['01', '02'], data: wrong });
        assert.equal(await readPointIndexCache(db, version, POINT_INDEX_BYTES_FORMAT), undefined);
        assert.deepEqual(await codesOf(db, true), ['02', '01', null]);
        assert.equal(await readPointIndexCache(db, version, POINT_INDEX_BYTES_FORMAT + 1), undefined);
        // Without the option nothing is read or written.
        await db.query('DELETE FROM point_index_cache');
        assert.deepEqual(await codesOf(db, false), ['02', '01', null]);
        assert.equal((await db.query('SELECT 1 FROM point_index_cache')).rows.length, 0);
      } finally {
        await db.close();
        tmp.cleanup();
      }
    });
  });
}
