// `kommunalmonitor forum …` on a data directory: a forum, a code batch printed once (one code a
// line), a recorded topic, an answer, the accountability table, an import with its mapping, and a
// bad answer status exiting 1.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { insertDepartment } from '../../src/store/accounts.ts';
import { importAreaRecords } from '../../src/services/areas.ts';
import { tempDir, square } from '../helpers/files.ts';
import { run } from '../helpers/cli.ts';

const FIXTURES = resolve(fileURLToPath(new URL('../fixtures/forum', import.meta.url)));

describe('forum commands', () => {
  const tmp = tempDir();
  before(async () => {
    const db = await openDatabase({ dataDir: tmp.dir });
    await migrate(db);
    await insertDepartment(db, 'jugend', 'Jugendamt');
    await importAreaRecords(db, { crs: 'EPSG:4326', problems: [], records: ['011', '012'].map((c, i) => ({ code: c, name: `Stadtteil ${c}`, parentCode: null, geometry: square(i * 0.01, 0, 0.01), properties: {} })) }, { layer: 'stadtteil' });
    await db.close();
  });
  after(() => tmp.cleanup());

  test('create, codes, record, answer, accountability, import', async () => {
    const d = ['--data-dir', tmp.dir];
    assert.equal((await run([...d, 'forum', 'create', 'nord', '--name', 'Forum Nord', '--layer', 'stadtteil', '--area', '011', '--department', 'jugend'])).code, 0);
    const codes = await run([...d, 'forum', 'codes', 'generate', '--forum', 'nord', '--count', '5', '--label', 'Schule']);
    assert.equal(codes.code, 0, codes.err);
    const lines = codes.out.trim().split('\n');
    assert.equal(lines.length, 5);
    for (const l of lines) assert.match(l, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    assert.match(codes.err, /cannot be shown again/);
    const rec = await run([...d, 'forum', 'record', '--forum', 'nord', '--title', 'Licht im Park', '--raised-by', 'school_class', '--label', 'Klasse 7b', '--raised-on', '2026-01-10', '--department', 'jugend']);
    assert.equal(rec.code, 0, rec.err);
    const id = /topic (\d+)/.exec(rec.out)![1];
    const bad = await run([...d, 'forum', 'answer', id, '--status', 'abgelehnt', '--text', 'Nein']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /reasons/);
    const ok = await run([...d, 'forum', 'answer', id, '--status', 'wird_umgesetzt', '--text', 'Kommt im Frühjahr.']);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /wird umgesetzt/);
    const badLink = await run([...d, 'forum', 'link', id, '--measure', 'gibt-es-nicht']);
    assert.equal(badLink.code, 1);
    assert.match(badLink.err, /no measure "gibt-es-nicht"/);
    const topics = await run([...d, 'forum', 'topics']);
    assert.match(topics.out, /Licht im Park/);
    const acc = await run([...d, 'forum', 'accountability']);
    assert.equal(acc.code, 0, acc.err);
    assert.match(acc.out, /Per department/);
    assert.equal((await run([...d, 'forum', 'map', 'consul', 'Distrito Norte', '--forum', 'nord'])).code, 0);
    const imp = await run([...d, 'forum', 'import', `${FIXTURES}/consul-graphql.json`, '--platform', 'consul']);
    assert.equal(imp.code, 0, imp.err);
    assert.match(imp.out, /1 new/);
  });
});
