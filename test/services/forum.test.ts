// The neighbourhood youth forum on a hand-made city of two Stadtteile: support with one-time
// codes (once per code and topic, replay refused, counts reproducible from the stored supports),
// the moderation flow, merging, binding answers with overdue flags, the accountability view,
// small counts withheld, links, deletion on request and the rights of who may do what.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { square } from '../helpers/files.ts';
import { ANONYMOUS, SYSTEM, type Principal } from '../../src/core/access.ts';
import { Conflict, Forbidden, InputRejected, NotFound, Unauthorized } from '../../src/core/problems.ts';
import { importAreaRecords } from '../../src/services/areas.ts';
import { insertDepartment } from '../../src/store/accounts.ts';
import { readAudit } from '../../src/services/audit.ts';
import { designOf, resolveReports, saveReport } from '../../src/services/reports.ts';
import { renderHtml } from '../../src/formats/report-html.ts';
import { renderDocx } from '../../src/formats/report-docx.ts';
import {
  accountabilityView,
  answerTopic,
  assignTopic,
  codeBatches,
  createForum,
  deleteTopic,
  forumMeetings,
  generateCodes,
  linkTopic,
  mergeTopics,
  moderateTopic,
  moderationQueue,
  proposeTopic,
  publicTopic,
  publicTopics,
  recordMeeting,
  recordTopic,
  revokeCodes,
  staffTopic,
  supportTopic,
} from '../../src/services/forum.ts';

const jugend: Principal = { kind: 'user', id: 20, name: 'j.steward', role: 'steward', department: 'jugend' };
const gruen: Principal = { kind: 'user', id: 21, name: 'g.steward', role: 'steward', department: 'gruen' };
const viewer: Principal = { kind: 'user', id: 22, name: 'v.viewer', role: 'viewer', department: 'jugend' };

for (const engine of engines) {
  describe(`youth forum [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    before(async () => {
      db = await openEngine(engine);
      for (const [k, n] of [
        ['jugend', 'Jugendamt'],
        ['gruen', 'Grünflächenamt'],
      ])
        await insertDepartment(db, k, n);
      await importAreaRecords(
        db,
        {
          crs: 'EPSG:4326',
          problems: [],
          records: [
            { code: '011', name: 'Nordstadt', parentCode: null, geometry: square(0, 0, 0.01), properties: {} },
            { code: '012', name: 'Südstadt', parentCode: null, geometry: square(0, 0.01, 0.01), properties: {} },
          ],
        },
        { layer: 'stadtteil', layerName: 'Stadtteile' },
      );
      await createForum(db, jugend, {
        key: 'nordstadt',
        name: 'Forum junges Stadtteilleben Nordstadt',
        layer: 'stadtteil',
        area: '011',
        department: 'jugend',
      });
      await createForum(db, SYSTEM, {
        key: 'suedstadt',
        name: 'Forum Südstadt',
        layer: 'stadtteil',
        area: '012',
        department: 'jugend',
      });
    });
    after(async () => {
      await db.close();
    });

    test('only the forum department may create forums; bad areas are refused', async () => {
      await assert.rejects(
        createForum(db, gruen, { key: 'x', name: 'X', layer: 'stadtteil', area: '011', department: 'jugend' }),
        Forbidden,
      );
      await assert.rejects(
        createForum(db, ANONYMOUS, { key: 'x', name: 'X', layer: 'stadtteil', area: '011', department: 'jugend' }),
        Unauthorized,
      );
      await assert.rejects(
        createForum(db, jugend, { key: 'x', name: 'X', layer: 'stadtteil', area: '999', department: 'jugend' }),
        InputRejected,
      );
      await assert.rejects(
        createForum(db, jugend, { key: 'nordstadt', name: 'X', layer: 'stadtteil', area: '011', department: 'jugend' }),
        Conflict,
      );
    });

    test('moderation flow: a proposal waits, is not public, then is published or rejected', async () => {
      const a = await proposeTopic(
        db,
        { forum: 'nordstadt', title: 'Mehr Bänke am Skatepark', description: 'Wir wollen sitzen können.' },
        '2026-01-10',
      );
      const b = await proposeTopic(db, { forum: 'nordstadt', title: 'Quatsch', description: '' }, '2026-01-10');
      assert.equal(a.moderation, 'pending');
      assert.ok(
        !(await publicTopics(db, { forum: 'nordstadt' })).some((t) => t.id === a.id),
        'pending topics are not public',
      );
      await assert.rejects(publicTopic(db, a.id), NotFound);
      await assert.rejects(moderationQueue(db, ANONYMOUS, 'nordstadt'), Unauthorized);
      await assert.rejects(moderationQueue(db, gruen, 'nordstadt'), Forbidden);
      assert.deepEqual((await moderationQueue(db, jugend, 'nordstadt')).map((t) => t.id).sort(), [a.id, b.id].sort());
      await assert.rejects(moderateTopic(db, viewer, a.id, { decision: 'publish' }), Forbidden);
      const pub = await moderateTopic(db, jugend, a.id, { decision: 'publish', department: 'gruen' }, '2026-01-12');
      assert.equal(pub.moderation, 'published');
      assert.equal(pub.answerDue, '2026-04-12', 'three months to answer');
      await moderateTopic(db, jugend, b.id, { decision: 'reject', note: 'kein Thema' });
      await assert.rejects(moderateTopic(db, jugend, b.id, { decision: 'publish' }), Conflict);
      const pubs = await publicTopics(db, { forum: 'nordstadt' }, '2026-01-20');
      assert.ok(pubs.some((t) => t.id === a.id));
      assert.ok(!pubs.some((t) => t.id === b.id), 'rejected topics stay hidden');
      const actions = (await readAudit(db)).map((r) => r.action);
      assert.ok(
        actions.includes('forum.topic.propose') &&
          actions.includes('forum.topic.publish') &&
          actions.includes('forum.topic.reject'),
      );
      const propose = (await readAudit(db)).find((r) => r.action === 'forum.topic.propose')!;
      assert.equal(propose.actor, 'anonymous');
      assert.equal(propose.ip, null);
    });

    test('proposals with an e-mail address or phone number are refused, nothing stored', async () => {
      const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM forum_topic')).rows[0].n;
      for (const description of ['Schreibt mir: lena.m@example.org', 'Ruft an unter 0171 234 56 78'])
        await assert.rejects(
          proposeTopic(db, { forum: 'nordstadt', title: 'Kontakt', description }),
          (e: unknown) => e instanceof InputRejected && e.problems.some((p) => p.code === 'contact-data'),
        );
      await assert.rejects(proposeTopic(db, { forum: 'nordstadt', title: '   ' }), InputRejected);
      await assert.rejects(proposeTopic(db, { forum: 'gibtsnicht', title: 'x' }), NotFound);
      assert.equal((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM forum_topic')).rows[0].n, before);
    });

    test('support codes: once per code and topic, replay refused, counts from the stored supports, small counts withheld', async () => {
      const t1 = (
        await recordTopic(
          db,
          jugend,
          {
            forum: 'nordstadt',
            title: 'Längere Öffnungszeiten im Jugendtreff',
            raisedBy: 'youth_centre',
            raisedByLabel: 'Jugendtreff Nord',
            raisedOn: '2026-02-01',
            department: 'jugend',
          },
          '2026-02-02',
        )
      ).id;
      const t2 = (
        await recordTopic(
          db,
          jugend,
          {
            forum: 'nordstadt',
            title: 'WLAN im Park',
            raisedBy: 'school_class',
            raisedByLabel: 'Klasse 8b',
            raisedOn: '2026-02-01',
          },
          '2026-02-02',
        )
      ).id;
      const tSouth = (
        await recordTopic(
          db,
          jugend,
          { forum: 'suedstadt', title: 'Bolzplatz', raisedBy: 'forum', raisedOn: '2026-02-01' },
          '2026-02-02',
        )
      ).id;
      await assert.rejects(generateCodes(db, gruen, 'nordstadt', 5), Forbidden);
      const batch = await generateCodes(db, jugend, 'nordstadt', 6, 'Gesamtschule Nord');
      assert.equal(batch.codes.length, 6);
      assert.match(batch.codes[0], /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
      // Only hashes are stored: no code appears in any column of the code tables.
      const stored =
        JSON.stringify((await db.query('SELECT * FROM forum_code')).rows) +
        JSON.stringify((await db.query('SELECT * FROM forum_code_batch')).rows);
      for (const c of batch.codes)
        assert.ok(!stored.includes(c) && !stored.includes(c.replace('-', '')), 'a code in clear text is stored');

      const r1 = await supportTopic(db, { topic: t1, code: batch.codes[0], ageBand: '12_14' });
      assert.equal(r1.supports, null, 'one support: fewer than 5, not shown');
      await assert.rejects(supportTopic(db, { topic: t1, code: batch.codes[0] }), Conflict, 'replay refused');
      await assert.rejects(
        supportTopic(db, { topic: t1, code: batch.codes[0].toLowerCase().replace('-', ' ') }),
        Conflict,
        'the same code typed differently is the same code',
      );
      await supportTopic(db, { topic: t2, code: batch.codes[0] });
      await assert.rejects(
        supportTopic(db, { topic: tSouth, code: batch.codes[1] }),
        InputRejected,
        'a code counts for its own forum only',
      );
      await assert.rejects(supportTopic(db, { topic: t1, code: 'ABCDE-FGHJK' }), InputRejected, 'an unknown code');
      await assert.rejects(supportTopic(db, { topic: t1, code: 'nope' }), InputRejected);
      for (const c of batch.codes.slice(1, 5)) await supportTopic(db, { topic: t1, code: c, ageBand: '15_17' });
      const pub = (await publicTopics(db, { forum: 'nordstadt' })).find((t) => t.id === t1)!;
      assert.equal(pub.supports, 5, 'five supports are shown');
      assert.equal((await publicTopics(db, { forum: 'nordstadt' })).find((t) => t.id === t2)!.supports, null);
      const rows = (
        await db.query<{ n: number }>('SELECT count(*)::int AS n FROM forum_support WHERE topic_id = $1', [t1])
      ).rows[0].n;
      assert.equal(rows, 5, 'the count is the stored supports');
      const staff = await staffTopic(db, jugend, t1);
      assert.deepEqual(staff.ageBands, { '12_14': 1, '15_17': 4 });
      assert.equal((await codeBatches(db, jugend, 'nordstadt'))[0].used, 5);

      await revokeCodes(db, jugend, 'nordstadt', batch.batchId);
      await assert.rejects(
        supportTopic(db, { topic: t2, code: batch.codes[5] }),
        InputRejected,
        'a revoked batch no longer counts',
      );

      // Merging: t2's support by code 0 is already on t1, so it counts once.
      const m = await mergeTopics(db, jugend, t2, t1);
      assert.equal(m.supports, 5);
      assert.equal(m.moved, 0);
      await assert.rejects(
        supportTopic(db, { topic: t2, code: batch.codes[0] }),
        (e: unknown) => e instanceof Conflict && /merged into/.test(e.message),
      );
      assert.ok(!(await publicTopics(db)).some((t) => t.id === t2), 'a merged duplicate is not listed');
    });

    test('binding answers, overdue flags and the accountability view', async () => {
      const t = (
        await recordTopic(
          db,
          jugend,
          { forum: 'suedstadt', title: 'Licht am Bahnhofsweg', raisedBy: 'forum', raisedOn: '2026-01-05' },
          '2026-01-05',
        )
      ).id;
      const late = (
        await recordTopic(
          db,
          jugend,
          {
            forum: 'suedstadt',
            title: 'Graffiti-Wand',
            raisedBy: 'forum',
            raisedOn: '2026-01-05',
            department: 'jugend',
          },
          '2026-01-05',
        )
      ).id;
      await assert.rejects(
        answerTopic(db, jugend, t, { status: 'wird_umgesetzt', text: 'Ja' }),
        Conflict,
        'no department yet',
      );
      await assignTopic(db, jugend, t, 'gruen');
      await assert.rejects(
        answerTopic(db, jugend, t, { status: 'wird_umgesetzt', text: 'Ja' }),
        Forbidden,
        'only the responsible department answers',
      );
      await assert.rejects(
        answerTopic(db, gruen, t, { status: 'abgelehnt', text: 'Nein' }),
        InputRejected,
        'a refusal needs reasons',
      );
      await answerTopic(
        db,
        gruen,
        t,
        { status: 'in_pruefung', text: 'Wir prüfen die Kosten.', due: '2026-05-31' },
        '2026-02-01',
      );
      let p = await publicTopic(db, t, '2026-04-10');
      assert.equal(p.answer?.status, 'in_pruefung');
      assert.equal(p.due, '2026-05-31', 'an interim answer moves the due date');
      assert.equal(p.overdue, false);
      assert.equal((await publicTopic(db, t, '2026-06-01')).overdue, true, '"in Prüfung" does not stop the clock');
      await answerTopic(
        db,
        gruen,
        t,
        { status: 'wird_umgesetzt', text: 'Zwei Laternen kommen im Sommer.' },
        '2026-03-20',
      );
      p = await publicTopic(db, t, '2026-06-01');
      assert.equal(p.overdue, false);
      assert.equal(p.answers.length, 2);
      assert.ok(!('answeredBy' in p.answers[0]), 'staff names stay internal');
      assert.equal((await publicTopic(db, late, '2026-04-06')).overdue, true, 'due 2026-04-05, no answer');
      await answerTopic(
        db,
        jugend,
        late,
        { status: 'abgelehnt', text: 'Geht leider nicht.', reasons: 'Die Wand gehört der Bahn.' },
        '2026-04-20',
      );

      const v = await accountabilityView(db, '2026-06-01');
      const gr = v.byDepartment.find((r) => r.key === 'gruen')!;
      assert.equal(gr.inTime, 1);
      const south = v.byArea.find((r) => r.key === '012')!;
      assert.equal(south.name, 'Südstadt');
      // Südstadt: t in time; late decided after three months; Bolzplatz (no department) open and due since 2026-05-02.
      assert.equal(south.due, 3);
      assert.equal(south.inTime, 1);
      assert.equal(south.share, 1 / 3);
      assert.equal(south.overdue, 1);
    });

    test('links to measures, indicators and reports are checked', async () => {
      const t = (
        await recordTopic(db, jugend, {
          forum: 'nordstadt',
          title: 'Sportangebote',
          raisedBy: 'forum',
          raisedOn: '2026-01-05',
        })
      ).id;
      await assert.rejects(linkTopic(db, jugend, t, [{ kind: 'measure', ref: 'gibt-es-nicht' }]), InputRejected);
      assert.deepEqual((await linkTopic(db, jugend, t, [])).links, []);
    });

    test('meetings: participants per age band, small counts withheld publicly', async () => {
      await assert.rejects(
        recordMeeting(db, jugend, 'nordstadt', { heldOn: '2026-03-01', participants: 5, ageBands: { '12_14': 6 } }),
        InputRejected,
      );
      await recordMeeting(db, jugend, 'nordstadt', {
        heldOn: '2026-03-01',
        place: 'Jugendtreff Nord',
        participants: 14,
        ageBands: { '12_14': 11, '15_17': 3 },
      });
      const pub = await forumMeetings(db, ANONYMOUS, 'nordstadt');
      assert.equal(pub[0].participants, 14);
      assert.deepEqual(pub[0].ageBands, { '12_14': 11, '15_17': null });
      assert.deepEqual((await forumMeetings(db, jugend, 'nordstadt'))[0].ageBands, { '12_14': 11, '15_17': 3 });
    });

    test('a report block lists an area’s topics with their answers, small counts withheld (HTML and DOCX)', async () => {
      await db.query("INSERT INTO report (key, title, owner) VALUES ('jugendthemen', 'Themen junger Leute', 'jugend')");
      await saveReport(db, SYSTEM, 'jugendthemen', {
        key: 'jugendthemen',
        title: 'Themen junger Leute',
        owner: 'jugend',
        parameters: [{ name: 'area', layer: 'stadtteil' }],
        sections: [
          {
            title: 'Jugendforum',
            blocks: [
              {
                key: 'themen',
                spec: { type: 'topics', title: 'Themen im Jugendforum', layer: 'stadtteil', area: '$area' },
              },
            ],
          },
        ],
      });
      const [doc] = await resolveReports(db, SYSTEM, 'jugendthemen', [{ area: '011' }]);
      const block = doc.sections[0].blocks[0];
      assert.equal(block.type, 'topics');
      if (block.type !== 'topics') return;
      const pub = await publicTopics(db, { layer: 'stadtteil', area: '011' });
      assert.equal(block.topics.length, pub.length);
      const open = block.topics.find((x) => x.title === 'Längere Öffnungszeiten im Jugendtreff')!;
      assert.equal(open.supports, '5');
      assert.ok(block.topics.some((x) => x.supports === 'weniger als 5'));
      const html = renderHtml(doc, await designOf(db));
      assert.match(html, /Themen im Jugendforum/);
      assert.match(html, /Mehr Bänke am Skatepark/);
      assert.ok((await renderDocx(doc, await designOf(db))).length > 1000);
    });

    test('deletion on request removes the topic with its supports and answers', async () => {
      const t = (
        await recordTopic(db, jugend, {
          forum: 'nordstadt',
          title: 'Bitte löschen',
          raisedBy: 'forum',
          raisedOn: '2026-01-05',
          department: 'jugend',
        })
      ).id;
      const batch = await generateCodes(db, jugend, 'nordstadt', 1);
      await supportTopic(db, { topic: t, code: batch.codes[0] });
      await answerTopic(db, jugend, t, { status: 'in_pruefung', text: 'Wir schauen.' });
      await assert.rejects(deleteTopic(db, gruen, t), Forbidden);
      await deleteTopic(db, jugend, t);
      await assert.rejects(publicTopic(db, t), NotFound);
      for (const table of ['forum_support', 'forum_answer'])
        assert.equal(
          (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE topic_id = $1`, [t])).rows[0].n,
          0,
        );
      const text = JSON.stringify((await readAudit(db)).filter((r) => r.objectKey === String(t)));
      assert.ok(!text.includes('Bitte löschen'), 'the trail keeps no topic text');
    });
  });
}
