// Links of a topic to one block of a report (by the block's stable key), checked against the
// report's newest version and shown publicly only for reports with a public release; and the
// point of a topic, set and moved by staff, checked to lie inside the topic's area.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { square } from '../helpers/files.ts';
import { SYSTEM, type Principal } from '../../src/core/access.ts';
import { Forbidden, InputRejected } from '../../src/core/problems.ts';
import { importAreaRecords } from '../../src/services/areas.ts';
import { insertDepartment } from '../../src/store/accounts.ts';
import {
  createForum,
  linkTopic,
  placeTopic,
  publicTopic,
  publicTopics,
  recordTopic,
  staffTopic,
} from '../../src/services/forum.ts';
import { saveReport } from '../../src/services/reports.ts';

const jugend: Principal = { kind: 'user', id: 21, name: 'j', role: 'steward', department: 'jugend' };
const gruen: Principal = { kind: 'user', id: 22, name: 'g', role: 'steward', department: 'gruen' };

const problemsOf = (e: unknown) =>
  e instanceof InputRejected ? e.problems.map((p) => `${p.code}: ${p.reason}`).join('; ') : String(e);

for (const engine of engines) {
  describe(`youth forum: links to report blocks, points on the map [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let topic = 0;
    before(async () => {
      db = await openEngine(engine);
      await insertDepartment(db, 'jugend', 'Jugendamt');
      await insertDepartment(db, 'gruen', 'Grün');
      await importAreaRecords(
        db,
        {
          crs: 'EPSG:4326',
          problems: [],
          records: [
            { code: '011', name: 'Nordstadt', parentCode: null, geometry: square(8, 50, 0.01), properties: {} },
            { code: '012', name: 'Südstadt', parentCode: null, geometry: square(8, 50.01, 0.01), properties: {} },
          ],
        },
        { layer: 'stadtteil' },
      );
      await createForum(db, SYSTEM, {
        key: 'nord',
        name: 'Forum Nord',
        layer: 'stadtteil',
        area: '011',
        department: 'jugend',
      });
      topic = (
        await recordTopic(db, jugend, { forum: 'nord', title: 'Skatepark', raisedBy: 'forum', raisedOn: '2026-02-01' })
      ).id;
      await db.query(
        "INSERT INTO report (key, title, owner) VALUES ('jugendbericht', 'Jugendbericht Nordstadt', 'jugend')",
      );
      await saveReport(db, SYSTEM, 'jugendbericht', {
        key: 'jugendbericht',
        title: 'Jugendbericht Nordstadt',
        owner: 'jugend',
        parameters: [],
        sections: [
          {
            title: 'Beteiligung',
            blocks: [
              {
                key: 'themen',
                spec: { type: 'topics', title: 'Themen des Jugendforums', layer: 'stadtteil', area: '011' },
              },
            ],
          },
          {
            title: 'Freizeit',
            blocks: [
              { key: 'freizeit', spec: { type: 'topics', title: 'Freizeitorte', layer: 'stadtteil', area: '012' } },
            ],
          },
        ],
      });
    });
    after(async () => {
      await db.close();
    });

    test('a report link may name one block by its key; an unknown block or a block on another kind is refused', async () => {
      const t = await linkTopic(db, jugend, topic, [
        { kind: 'report', ref: 'jugendbericht', block: 'themen' },
        { kind: 'report', ref: 'jugendbericht' },
      ]);
      assert.deepEqual(
        t.links,
        [
          { kind: 'report', ref: 'jugendbericht', block: 'themen' },
          { kind: 'report', ref: 'jugendbericht' },
        ],
        'a block link and a whole-report link side by side',
      );
      await assert.rejects(
        linkTopic(db, jugend, topic, [{ kind: 'report', ref: 'jugendbericht', block: 'gibtsnicht' }]),
        (e) => /no block "gibtsnicht".*themen, freizeit/.test(problemsOf(e)),
      );
      await assert.rejects(linkTopic(db, jugend, topic, [{ kind: 'report', ref: 'fehlt', block: 'themen' }]), (e) =>
        /no report "fehlt"/.test(problemsOf(e)),
      );
      await assert.rejects(linkTopic(db, jugend, topic, [{ kind: 'indicator', ref: 'x', block: 'themen' }]), (e) =>
        /only a report link names a block/.test(problemsOf(e)),
      );
      assert.equal(
        (await staffTopic(db, jugend, topic)).links.length,
        2,
        'a refused change leaves the links as they were',
      );
    });

    test('publicly a report link shows only once the report has a public release, with its and the block’s title', async () => {
      assert.deepEqual((await publicTopic(db, topic)).links, [], 'a draft report is not linked publicly');
      const { rows } = await db.query<{ id: number; vid: number }>(
        `SELECT r.id, v.id AS vid FROM report r JOIN report_version v ON v.report_id = r.id WHERE r.key = 'jugendbericht' ORDER BY v.version DESC LIMIT 1`,
      );
      await db.query(
        `INSERT INTO report_release (report_id, number, version_id, params, document, data_versions, content_hash, confidentiality) VALUES ($1, 1, $2, '{}', '{}', '{}', 'x', 'public')`,
        [rows[0].id, rows[0].vid],
      );
      const links = (await publicTopic(db, topic)).links;
      assert.deepEqual(links, [
        {
          kind: 'report',
          ref: 'jugendbericht',
          block: 'themen',
          title: 'Jugendbericht Nordstadt',
          blockTitle: 'Themen des Jugendforums',
        },
        { kind: 'report', ref: 'jugendbericht', title: 'Jugendbericht Nordstadt' },
      ]);
      assert.deepEqual((await publicTopics(db, { forum: 'nord' }))[0].links, links);
    });

    test('staff set, move and remove a topic’s point; it must lie inside the topic’s area', async () => {
      let t = await placeTopic(db, jugend, topic, { x: 8.005, y: 50.005 });
      assert.deepEqual([t.x, t.y], [8.005, 50.005]);
      t = await placeTopic(db, jugend, topic, { x: 8.002, y: 50.008 });
      assert.deepEqual([t.x, t.y], [8.002, 50.008], 'moved');
      assert.deepEqual((await publicTopic(db, topic)).point, { x: 8.002, y: 50.008 });
      await assert.rejects(
        placeTopic(db, jugend, topic, { x: 8.005, y: 50.015 }),
        (e) => /point-outside-area/.test(problemsOf(e)),
        'a point in the Südstadt is not the Nordstadt’s',
      );
      await assert.rejects(placeTopic(db, jugend, topic, { x: 500, y: 50 }), (e) => /bad-point/.test(problemsOf(e)));
      await assert.rejects(placeTopic(db, gruen, topic, { x: 8.005, y: 50.005 }), Forbidden);
      assert.deepEqual([(await staffTopic(db, jugend, topic)).x], [8.002], 'a refused move changes nothing');
      t = await placeTopic(db, jugend, topic, null);
      assert.deepEqual([t.x, t.y], [null, null]);
      await assert.rejects(
        recordTopic(db, jugend, {
          forum: 'nord',
          title: 'Anderswo',
          raisedBy: 'forum',
          raisedOn: '2026-02-01',
          point: { x: 9, y: 51 },
        }),
        (e) => /point-outside-area/.test(problemsOf(e)),
        'recording checks the point too',
      );
    });
  });
}
