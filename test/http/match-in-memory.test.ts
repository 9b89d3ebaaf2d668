// Address matching over HTTP holds the upload in memory: no byte of the personal records reaches
// a file, not even a temporary one. Canary values in the upload are searched for afterwards in
// every file written to the temporary directory and the data directory during the request.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';
import { xlsx } from '../helpers/damaged-files.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importAddresses } from '../../src/services/address-register.ts';
import { addUser, createToken, setPermission } from '../../src/services/users.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { buildServer } from '../../src/http/server.ts';

/** Files below dir modified since t, whose bytes contain the needle. */
function filesContaining(dir: string, since: number, needle: string, found: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return found;
  }
  for (const name of names) {
    const p = join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) filesContaining(p, since, needle, found);
    else if (st.mtimeMs >= since && st.size < 256 * 1024 * 1024 && readFileSync(p).includes(needle)) found.push(p);
  }
  return found;
}

describe('address matching from memory [pglite, data directory]', () => {
  const tmp = tempDir();
  let db: Database;
  let app: FastifyInstance;
  let auth: Record<string, string>;
  before(async () => {
    db = await openDatabase({ dataDir: join(tmp.dir, 'data') });
    await migrate(db);
    await importAreas(
      db,
      tmp.file('b.geojson', featureCollection([{ code: '01', name: 'West', geometry: square(8, 50, 0.1) }])),
      { layer: 'bezirk' },
    );
    await importAddresses(
      db,
      tmp.file('reg.csv', 'Straße;Hausnummer;PLZ;x;y\nLindenweg;1;60311;8,02;50,05\nLindenweg;3;60311;8,07;50,05\n'),
      { x: 'x', y: 'y' },
    );
    await addUser(db, SYSTEM, { name: 'statistik', role: 'analyst', password: 'correct horse battery staple' });
    await setPermission(db, SYSTEM, 'statistik', 'sealed-office', true);
    auth = { authorization: `Bearer ${(await createToken(db, SYSTEM, { user: 'statistik', name: 'test' })).token}` };
    app = await buildServer(db);
  });
  after(async () => {
    await app?.close();
    await db?.close();
    tmp.cleanup();
  });

  test('CSV and XLSX uploads are matched, and their canaries are in no file afterwards', async () => {
    const canary = `Kanarienvogel${Date.now()}`;
    const since = Date.now() - 1000;
    // A file written and deleted again within the request would leave no trace to search: watch.
    const created: string[] = [];
    const watcher = watch(tmpdir(), (_event, name) => name && created.push(String(name)));
    const csv = await app.inject({
      method: 'POST',
      url: '/api/match/addresses?file=antraege.csv&address=Anschrift',
      headers: { ...auth, 'content-type': 'text/csv' },
      payload: `Name;Anschrift\n${canary};Lindenweg 1\n${canary}2;Nirgendwo 3\n`,
    });
    assert.equal(csv.statusCode, 200, csv.body);
    assert.deepEqual(
      csv.json().rows.map((r: { status: string }) => r.status),
      ['matched', 'unmatched'],
    );
    const book = await app.inject({
      method: 'POST',
      url: '/api/match/addresses?file=antraege.xlsx&address=Anschrift',
      headers: { ...auth, 'content-type': 'application/octet-stream' },
      payload: Buffer.from(
        xlsx(
          [
            ['Name', 'Anschrift'],
            [`${canary}3`, 'Lindenweg 3'],
          ],
          true,
        ),
      ),
    });
    assert.equal(book.statusCode, 200, book.body);
    assert.equal(book.json().rows[0].status, 'matched');
    await new Promise((r) => setTimeout(r, 100));
    watcher.close();
    assert.deepEqual(
      created.filter((n) => n.startsWith('km-upload-')),
      [],
      'no upload directory was made',
    );
    await db.query('CHECKPOINT');
    assert.deepEqual(filesContaining(tmpdir(), since, canary), [], 'no temporary file holds the records');
    assert.deepEqual(
      filesContaining(join(tmp.dir, 'data'), 0, canary),
      [],
      'the data directory (including pg_wal) holds none of them',
    );
  });
});
