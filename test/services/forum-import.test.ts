// Imports into the youth forum from the three platforms' fixtures (written from their public
// documentation and serializers): Decidim CSV export and GraphQL, CONSUL GraphQL, adhocracy+
// REST. Their scopes/geozones/districts are mapped to our areas; re-import refreshes without
// duplicates; authors and contact data are not stored.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { square, tempDir } from '../helpers/files.ts';
import { SYSTEM, type Principal } from '../../src/core/access.ts';
import { Forbidden, InputRejected } from '../../src/core/problems.ts';
import { importAreaRecords } from '../../src/services/areas.ts';
import { insertDepartment } from '../../src/store/accounts.ts';
import { answerTopic, assignTopic, createForum, publicTopics, staffTopics } from '../../src/services/forum.ts';
import { importForumFile, mapSourceArea } from '../../src/services/forum-import.ts';

const FIXTURES = resolve(fileURLToPath(new URL('../fixtures/forum', import.meta.url)));
const gruen: Principal = { kind: 'user', id: 31, name: 'g', role: 'steward', department: 'gruen' };

for (const engine of engines) {
  describe(`youth forum imports [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    const tmp = tempDir();
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
            { code: '011', name: 'Nordstadt', parentCode: null, geometry: square(0, 0, 0.01), properties: {} },
            { code: '012', name: 'Südstadt', parentCode: null, geometry: square(0, 0.01, 0.01), properties: {} },
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
      await createForum(db, SYSTEM, {
        key: 'sued',
        name: 'Forum Süd',
        layer: 'stadtteil',
        area: '012',
        department: 'jugend',
      });
      // The mapping table: Decidim scopes by id and by name, a CONSUL geozone, a mein.berlin district.
      await mapSourceArea(db, SYSTEM, { platform: 'decidim', sourceArea: '7', forum: 'nord' });
      await mapSourceArea(db, SYSTEM, { platform: 'decidim', sourceArea: 'Südstadt', forum: 'sued' });
      await mapSourceArea(db, SYSTEM, { platform: 'consul', sourceArea: 'Distrito Norte', forum: 'nord' });
      await mapSourceArea(db, SYSTEM, {
        platform: 'adhocracy',
        sourceArea: 'Friedrichshain-Kreuzberg',
        forum: 'sued',
        area: '012',
      });
    });
    after(async () => {
      await db.close();
      tmp.cleanup();
    });

    const imported = async (platform: string) =>
      (await staffTopics(db, SYSTEM, {})).filter((t) => t.sourcePlatform === platform);

    test('Decidim CSV export: mapped scopes, unmapped listed, link back, no author, no e-mail; re-import refreshes', async () => {
      const r = await importForumFile(db, SYSTEM, `${FIXTURES}/decidim-proposals.csv`, { platform: 'decidim' });
      assert.deepEqual([r.items, r.inserted, r.skipped, r.unmapped], [3, 2, 1, ['Altstadt']]);
      const topics = await imported('decidim');
      const skate = topics.find((t) => t.sourceId === '101')!;
      assert.equal(skate.forumKey, 'nord');
      assert.equal(skate.areaCode, '011');
      assert.equal(skate.sourceUrl, 'https://beteiligung.example.org/processes/jugend/f/12/proposals/101');
      assert.equal(skate.raisedOn, '2026-03-02');
      assert.ok(!skate.description.includes('<p>'), 'HTML taken out');
      assert.ok(
        !skate.description.includes('max.muster@example.org') && skate.description.includes('[entfernt]'),
        'e-mail taken out',
      );
      assert.equal(topics.find((t) => t.sourceId === '102')!.areaCode, '012', 'mapped by scope name');
      const all = JSON.stringify((await db.query('SELECT * FROM forum_topic')).rows);
      assert.ok(!all.includes('Mustermann'), 'no endorser name is stored');

      // Answer one, then re-import a changed file: refreshed, not duplicated; the answer stays.
      await assignTopic(db, SYSTEM, skate.id, 'gruen');
      await answerTopic(db, gruen, skate.id, { status: 'wird_umgesetzt', text: 'Kommt 2027.' });
      const again = await importForumFile(db, SYSTEM, `${FIXTURES}/decidim-proposals.csv`, { platform: 'decidim' });
      assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 2]);
      const changed = tmp.file(
        'changed.csv',
        (await import('node:fs'))
          .readFileSync(`${FIXTURES}/decidim-proposals.csv`, 'utf8')
          .replace('Skatepark an der Mühle', 'Skatepark an der alten Mühle'),
      );
      const third = await importForumFile(db, SYSTEM, changed, { platform: 'decidim' });
      assert.deepEqual([third.inserted, third.updated, third.unchanged], [0, 1, 1]);
      const after = await imported('decidim');
      assert.equal(after.length, 2, 'no duplicates');
      const s2 = after.find((t) => t.sourceId === '101')!;
      assert.equal(s2.title, 'Skatepark an der alten Mühle');
      assert.equal(s2.answerStatus, 'wird_umgesetzt', 'our answer survives the refresh');
    });

    test('Decidim GraphQL: translated fields, scope, coordinates; same ids as the CSV are the same topics', async () => {
      const r = await importForumFile(db, SYSTEM, `${FIXTURES}/decidim-graphql.json`, {
        platform: 'decidim',
        baseUrl: 'https://beteiligung.example.org',
      });
      assert.equal(r.inserted, 1, 'only 104 is new');
      const wifi = (await imported('decidim')).find((t) => t.sourceId === '104')!;
      assert.equal(wifi.title, 'Freies WLAN im Jugendtreff', 'the German translation');
      assert.equal(wifi.forumKey, 'sued');
      const skate = (await imported('decidim')).find((t) => t.sourceId === '101')!;
      assert.deepEqual([skate.x, skate.y], [0.005, 0.004]);
    });

    test('CONSUL GraphQL: geozones mapped, withdrawn proposals left out, phone number taken out', async () => {
      const r = await importForumFile(db, SYSTEM, `${FIXTURES}/consul-graphql.json`, {
        platform: 'consul',
        baseUrl: 'https://consul.example.org/',
      });
      assert.deepEqual([r.items, r.inserted], [1, 1]);
      const [t] = await imported('consul');
      assert.equal(t.areaCode, '011');
      assert.equal(t.sourceUrl, 'https://consul.example.org/proposals/55');
      assert.ok(t.description.startsWith('Die Tore sind kaputt.'));
      assert.ok(!t.description.includes('2345678'));
      assert.ok(!JSON.stringify(t).includes('lenam'), 'no author');
    });

    test('adhocracy+ REST: the project district maps the ideas; without a mapping they are skipped', async () => {
      const none = await importForumFile(db, SYSTEM, `${FIXTURES}/adhocracy-ideas.json`, {
        platform: 'adhocracy',
        dryRun: true,
      });
      assert.deepEqual([none.inserted, none.skipped], [0, 2]);
      await assert.rejects(
        importForumFile(db, gruen, `${FIXTURES}/adhocracy-ideas.json`, {
          platform: 'adhocracy',
          district: 'Friedrichshain-Kreuzberg',
        }),
        Forbidden,
      );
      const r = await importForumFile(db, SYSTEM, `${FIXTURES}/adhocracy-ideas.json`, {
        platform: 'adhocracy',
        district: 'Friedrichshain-Kreuzberg',
        baseUrl: 'https://mein.berlin.example/org',
      });
      assert.equal(r.inserted, 2);
      const t = (await imported('adhocracy')).find((x) => x.sourceId === '301')!;
      assert.equal(t.areaCode, '012');
      assert.equal(t.sourceUrl, 'https://mein.berlin.example/org/ideas/2026-00301/');
      assert.equal(t.raisedOn, '2026-01-20');
      assert.ok(!JSON.stringify(await imported('adhocracy')).includes('kiezkind'), 'no creator');
      assert.ok(
        (await publicTopics(db, { forum: 'sued' })).some((x) => x.source?.platform === 'adhocracy'),
        'imported topics are public with their source',
      );
    });

    test('bad files change nothing', async () => {
      await assert.rejects(
        importForumFile(db, SYSTEM, tmp.file('x.json', '{ nope'), { platform: 'consul' }),
        InputRejected,
      );
      await assert.rejects(
        importForumFile(db, SYSTEM, tmp.file('e.json', '{"errors":[{"message":"Field x does not exist"}]}'), {
          platform: 'consul',
        }),
        InputRejected,
      );
      await assert.rejects(
        importForumFile(db, SYSTEM, tmp.file('p.json', '[]'), { platform: 'mastodon' }),
        InputRejected,
      );
      await assert.rejects(
        importForumFile(db, SYSTEM, tmp.file('a.json', '[{"pk": 1}]'), { platform: 'adhocracy', forum: 'nord' }),
        InputRejected,
      );
    });
  });
}
