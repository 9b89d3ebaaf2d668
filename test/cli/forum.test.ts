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
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SYSTEM } from '../../src/core/access.ts';
import { saveReport } from '../../src/services/reports.ts';

const FIXTURES = resolve(fileURLToPath(new URL('../fixtures/forum', import.meta.url)));

describe('forum commands', () => {
  const tmp = tempDir();
  before(async () => {
    const db = await openDatabase({ dataDir: tmp.dir });
    await migrate(db);
    await insertDepartment(db, 'jugend', 'Jugendamt');
    await importAreaRecords(
      db,
      {
        crs: 'EPSG:4326',
        problems: [],
        records: ['011', '012'].map((c, i) => ({
          code: c,
          name: `Stadtteil ${c}`,
          parentCode: null,
          geometry: square(i * 0.01, 0, 0.01),
          properties: {},
        })),
      },
      { layer: 'stadtteil' },
    );
    await db.close();
  });
  after(() => tmp.cleanup());

  test('create, codes, record, answer, accountability, import', async () => {
    const d = ['--data-dir', tmp.dir];
    assert.equal(
      (
        await run([
          ...d,
          'forum',
          'create',
          'nord',
          '--name',
          'Forum Nord',
          '--layer',
          'stadtteil',
          '--area',
          '011',
          '--department',
          'jugend',
        ])
      ).code,
      0,
    );
    const codes = await run([
      ...d,
      'forum',
      'codes',
      'generate',
      '--forum',
      'nord',
      '--count',
      '5',
      '--label',
      'Schule',
    ]);
    assert.equal(codes.code, 0, codes.err);
    const lines = codes.out.trim().split('\n');
    assert.equal(lines.length, 5);
    for (const l of lines) assert.match(l, /^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    assert.match(codes.err, /cannot be shown again/);
    const rec = await run([
      ...d,
      'forum',
      'record',
      '--forum',
      'nord',
      '--title',
      'Licht im Park',
      '--raised-by',
      'school_class',
      '--label',
      'Klasse 7b',
      '--raised-on',
      '2026-01-10',
      '--department',
      'jugend',
    ]);
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

  test('import --from --url fetches every page from the platform; link --report KEY#BLOCK names a report block', async () => {
    const d = ['--data-dir', tmp.dir];
    const consul = JSON.parse(readFileSync(`${FIXTURES}/consul-graphql.json`, 'utf8'));
    const edges = consul.data.proposals.edges as unknown[];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const after = (JSON.parse(body).variables.after as string | null) ?? null;
        const from = after ? Number(after) : 0;
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            data: {
              proposals: {
                edges: edges.slice(from, from + 1),
                pageInfo: { hasNextPage: from + 1 < edges.length, endCursor: String(from + 1) },
              },
            },
          }),
        );
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
      const both = await run([
        ...d,
        'forum',
        'import',
        `${FIXTURES}/consul-graphql.json`,
        '--from',
        'consul',
        '--url',
        url,
      ]);
      assert.equal(both.code, 1);
      assert.match(both.err, /either a file or --url/);
      const imp = await run([...d, 'forum', 'import', '--from', 'consul', '--url', url]);
      assert.equal(imp.code, 0, imp.err);
      // The proposal came from a file before, without an address: this installation takes it over.
      assert.match(imp.out, /1 item\(s\) from consul \(2 page\(s\) fetched from 127\.0\.0\.1\): 0 new, 1 refreshed/);
      const plain = await run([
        ...d,
        'forum',
        'import',
        '--from',
        'consul',
        '--url',
        'http://consul.example.org/graphql',
      ]);
      assert.equal(plain.code, 1);
      assert.match(plain.err, /only https/);
    } finally {
      await new Promise((r) => server.close(r));
    }

    const db = await openDatabase({ dataDir: tmp.dir });
    try {
      await db.query("INSERT INTO report (key, title) VALUES ('jb', 'Jugendbericht')");
      await saveReport(db, SYSTEM, 'jb', {
        key: 'jb',
        title: 'Jugendbericht',
        owner: null,
        parameters: [],
        sections: [
          {
            title: 'Beteiligung',
            blocks: [{ key: 'themen', spec: { type: 'topics', title: 'Themen', layer: 'stadtteil', area: '011' } }],
          },
        ],
      });
    } finally {
      await db.close();
    }
    const rec = await run([
      ...d,
      'forum',
      'record',
      '--forum',
      'nord',
      '--title',
      'Skatepark',
      '--raised-by',
      'forum',
      '--raised-on',
      '2026-01-10',
    ]);
    const id = /topic (\d+)/.exec(rec.out)![1];
    const link = await run([...d, 'forum', 'link', id, '--report', 'jb#themen', '--report', 'jb']);
    assert.equal(link.code, 0, link.err);
    assert.match(link.out, /report jb#themen, report jb/);
    const bad = await run([...d, 'forum', 'link', id, '--report', 'jb#fehlt']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /no block "fehlt"/);
  });
});
