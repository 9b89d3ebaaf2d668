// A real server process over a small city for the OGC API tests (test/http/ogc-*.test.ts): the
// data directory is filled in-process before `serve` starts on it.
//
// - bezirk: the version valid since ever with 01, 02; the version valid from 2022-01-01 with
//   01, 02, 03 (squares of 0.1° from lon 15, lat 52: the corner of 01 is the known point
//   E 500000, N 5761038.21 in EPSG:25833).
// - block: 25 squares of 0.02° (5 × 5) from lon 15, lat 52, codes B01..B25.
// - einwohner (public, k = 3) on block for 2023 and 2024: blocks B01 and B02 have 1 and 2
//   inhabitants in 2024 (primary suppressions), the rest 10 + n.
// - intern_faelle (internal) and geheim_faelle (restricted to jugend) on bezirk.
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { addDepartment, addUser, createToken } from '../../src/services/users.ts';
import { featureCollection, square, tempDir } from './files.ts';
import { serveDataDir } from './server-process.ts';

export interface OgcServer {
  base: string;
  /** API tokens: a viewer (no department), a steward of jugend (may read the restricted indicator), an admin (reads the audit trail). */
  tokens: { viewer: string; jugend: string; admin: string };
  /** The true 2024 values of the blocks protected by disclosure control (B01, B02). */
  protectedValues: Record<string, number>;
  stderr(): string;
  stop(): Promise<void>;
}

export const BLOCKS = 25;

export async function startOgcServer(): Promise<OgcServer> {
  const tmp = tempDir();
  const dataDir = join(tmp.dir, 'data');
  const db = await openDatabase({ dataDir });
  let tokens: OgcServer['tokens'];
  try {
    await migrate(db);
    const bezirke = (n: number) =>
      Array.from({ length: n }, (_, k) => ({
        code: `0${k + 1}`,
        name: `Bezirk ${k + 1}`,
        geometry: square(15 + k * 0.1, 52, 0.1),
      }));
    await importAreas(db, tmp.file('b1.geojson', featureCollection(bezirke(2))), {
      layer: 'bezirk',
      layerName: 'Bezirke',
    });
    await importAreas(db, tmp.file('b2.geojson', featureCollection(bezirke(3))), {
      layer: 'bezirk',
      validFrom: '2022-01-01',
    });
    const blocks = Array.from({ length: BLOCKS }, (_, k) => ({
      code: `B${String(k + 1).padStart(2, '0')}`,
      name: `Block ${k + 1}`,
      geometry: square(15 + (k % 5) * 0.02, 52 + Math.floor(k / 5) * 0.02, 0.02),
    }));
    await importAreas(db, tmp.file('bl.geojson', featureCollection(blocks)), { layer: 'block', layerName: 'Blöcke' });
    for (const [k, n] of [
      ['statistik', 'Statistikstelle'],
      ['jugend', 'Jugendamt'],
    ])
      await addDepartment(db, SYSTEM, k, n);
    await importCatalogue(db, [
      {
        key: 'einwohner',
        name: 'Einwohner',
        unit: 'Personen',
        type: 'count',
        owner: 'statistik',
        confidentiality: 'public',
        source: 'Melderegister',
        disclosure: { minFrequency: 3 },
      },
      {
        key: 'intern_faelle',
        name: 'Interne Fälle',
        unit: 'Fälle',
        type: 'count',
        owner: 'statistik',
        confidentiality: 'internal',
      },
      {
        key: 'geheim_faelle',
        name: 'Geheime Fälle',
        unit: 'Fälle',
        type: 'count',
        owner: 'jugend',
        confidentiality: 'restricted',
      },
    ]);
    const rows = ['indicator;area;period;value'];
    for (const b of blocks) {
      const n = Number(b.code.slice(1));
      rows.push(`einwohner;${b.code};2023;${100 + n}`);
      rows.push(`einwohner;${b.code};2024;${n <= 2 ? n : 10 + n}`);
    }
    await importObservations(db, tmp.file('e.csv', rows.join('\n')), { layer: 'block' });
    await importObservations(
      db,
      tmp.file(
        'f.csv',
        [
          'indicator;area;period;value',
          'intern_faelle;01;2024;5',
          'intern_faelle;02;2024;7',
          'intern_faelle;03;2024;9',
          'geheim_faelle;01;2024;4',
          'geheim_faelle;02;2024;6',
          'geheim_faelle;03;2024;8',
        ].join('\n'),
      ),
      { layer: 'bezirk' },
    );
    await addUser(db, SYSTEM, { name: 'viewer', role: 'viewer', password: 'ein sehr geheimes Passwort' });
    await addUser(db, SYSTEM, {
      name: 'jugend',
      role: 'steward',
      department: 'jugend',
      password: 'ein sehr geheimes Passwort',
    });
    await addUser(db, SYSTEM, { name: 'chefin', role: 'admin', password: 'ein sehr geheimes Passwort' });
    const token = async (user: string) => (await createToken(db, SYSTEM, { user, name: 'qgis' })).token;
    tokens = { viewer: await token('viewer'), jugend: await token('jugend'), admin: await token('chefin') };
  } finally {
    await db.close();
  }
  const served = await serveDataDir(dataDir);
  return {
    base: served.base,
    tokens,
    protectedValues: { B01: 1, B02: 2 },
    stderr: served.stderr,
    async stop() {
      await served.stop();
      tmp.cleanup();
    },
  };
}
