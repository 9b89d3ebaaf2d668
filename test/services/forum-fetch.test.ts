// Imports fetched from the platforms themselves: a real local HTTP server (node:http) serves the
// fixtures of Decidim's and CONSUL's GraphQL APIs and adhocracy+'s REST API one item per page.
// Paging through GraphQL connections (first/after, pageInfo) and REST `next` links; a failing,
// slow, oversized or invalid page stores nothing; a re-import adds no duplicates; the same ids
// from two installations (hosts) are two topics; https only (http to this machine only).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { square } from '../helpers/files.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { InputRejected } from '../../src/core/problems.ts';
import { importAreaRecords } from '../../src/services/areas.ts';
import { insertDepartment } from '../../src/store/accounts.ts';
import { createForum, staffTopics } from '../../src/services/forum.ts';
import { importForumFile, importForumFromUrl, mapSourceArea } from '../../src/services/forum-import.ts';
import { FETCH_USER_AGENT, checkFetchUrl } from '../../src/services/forum-fetch.ts';
import { loadMigrations, migrate } from '../../src/store/migrate.ts';
import { openDatabase } from '../../src/store/db.ts';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/forum/${name}`, import.meta.url), 'utf8'));
const decidim = fixture('decidim-graphql.json');
const consul = fixture('consul-graphql.json');
const adhocracy = fixture('adhocracy-ideas.json');

/** What the platform server does; the tests change it. */
interface Behaviour {
  failPage?: number;
  badPage?: number;
  slowMs?: number;
  bigPage?: boolean;
  foreignNext?: boolean;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c) => (s += c));
    req.on('end', () => resolve(s));
  });
}

/** One edge per page: cursor "cN" means "after the N-th". */
function page<T>(list: T[], after: string | null): { items: T[]; hasNextPage: boolean; endCursor: string } {
  const from = after ? Number(after.slice(1)) : 0;
  return { items: list.slice(from, from + 1), hasNextPage: from + 1 < list.length, endCursor: `c${from + 1}` };
}

for (const engine of engines) {
  describe(`youth forum imports fetched from the platforms [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let server: Server;
    let port = 0;
    let b: Behaviour = {};
    const seen: { path: string; ua: string | undefined; page: number }[] = [];
    const url = (path: string, host = '127.0.0.1') => `http://${host}:${port}${path}`;

    before(async () => {
      server = createServer(async (req, res) => {
        const body = req.method === 'POST' ? await readBody(req) : '';
        const u = new URL(req.url!, 'http://x');
        const n = seen.filter((s) => s.path === u.pathname).length + 1;
        seen.push({ path: u.pathname, ua: req.headers['user-agent'], page: n });
        const send = (doc: unknown) => {
          if (b.slowMs) return void setTimeout(() => res.end(JSON.stringify(doc)), b.slowMs);
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(doc));
        };
        const pageNo = (after: string | null) => (after ? Number(after.slice(1)) + 1 : 1);
        if (u.pathname === '/decidim/api') {
          const { query, variables } = JSON.parse(body) as { query: string; variables: { after?: string | null } };
          if (query.includes('participatoryProcess'))
            return send({
              data: {
                participatoryProcess: {
                  id: '2',
                  components: [
                    { id: '12', __typename: 'Proposals' },
                    { id: '13', __typename: 'Meetings' },
                  ],
                },
              },
            });
          const after = variables.after ?? null;
          if (b.failPage === pageNo(after)) return void res.writeHead(502).end('bad gateway');
          const edges = decidim.data.participatoryProcess.components[0].proposals.edges;
          const p = page(edges, after);
          const items = b.badPage === pageNo(after) ? [{ node: { id: '999', title: { translation: '' } } }] : p.items;
          return send({
            data: {
              component: {
                id: '12',
                __typename: 'Proposals',
                proposals: { pageInfo: { hasNextPage: p.hasNextPage, endCursor: p.endCursor }, edges: items },
              },
            },
          });
        }
        if (u.pathname === '/consul/graphql') {
          const { variables } = JSON.parse(body) as { variables: { after?: string | null; first: number } };
          assert.ok(variables.first > 0);
          const p = page(consul.data.proposals.edges, variables.after ?? null);
          return send({
            data: { proposals: { edges: p.items, pageInfo: { hasNextPage: p.hasNextPage, endCursor: p.endCursor } } },
          });
        }
        if (u.pathname === '/api/modules/5/ideas/') {
          const no = Number(u.searchParams.get('page') ?? 1);
          if (b.failPage === no) return void res.writeHead(500).end();
          if (b.bigPage) return send({ results: [], padding: 'x'.repeat(200_000) });
          const next =
            no < adhocracy.results.length
              ? b.foreignNext
                ? `https://evil.example.org/api/modules/5/ideas/?page=${no + 1}`
                : `http://${req.headers.host}/api/modules/5/ideas/?page=${no + 1}`
              : null;
          return send({
            count: adhocracy.results.length,
            next,
            previous: null,
            results: adhocracy.results.slice(no - 1, no),
          });
        }
        res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;

      db = await openEngine(engine);
      await insertDepartment(db, 'jugend', 'Jugendamt');
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
      await mapSourceArea(db, SYSTEM, { platform: 'decidim', sourceArea: '7', forum: 'nord' });
      await mapSourceArea(db, SYSTEM, { platform: 'decidim', sourceArea: 'Südstadt', forum: 'sued' });
      await mapSourceArea(db, SYSTEM, { platform: 'consul', sourceArea: 'Distrito Norte', forum: 'nord' });
      await mapSourceArea(db, SYSTEM, { platform: 'adhocracy', sourceArea: 'Friedrichshain-Kreuzberg', forum: 'sued' });
    });
    after(async () => {
      await db?.close();
      await new Promise((resolve) => server?.close(resolve));
    });

    const imported = async (platform: string) =>
      (await staffTopics(db, SYSTEM, {})).filter((t) => t.sourcePlatform === platform);
    const rejected = async (p: Promise<unknown>, reason: RegExp) => {
      await assert.rejects(p, (e: unknown) => {
        assert.ok(e instanceof InputRejected, String(e));
        assert.match(JSON.stringify(e.problems), reason);
        return true;
      });
    };

    test('Decidim: a failing page or an invalid one stores nothing; then every page of every proposals component of the space', async () => {
      b = { failPage: 2 };
      await rejected(
        importForumFromUrl(db, SYSTEM, { platform: 'decidim', url: url('/decidim/api'), space: '2' }),
        /HTTP 502/,
      );
      b = { badPage: 2 };
      await rejected(
        importForumFromUrl(db, SYSTEM, { platform: 'decidim', url: url('/decidim/api'), space: '2' }),
        /without id or title/,
      );
      assert.equal((await imported('decidim')).length, 0, 'nothing stored: page 1 came and was valid, page 2 was not');

      b = {};
      seen.length = 0;
      const r = await importForumFromUrl(db, SYSTEM, {
        platform: 'decidim',
        url: url('/decidim/api'),
        space: '2',
        pageSize: 1,
      });
      assert.deepEqual(
        [r.items, r.inserted, r.pages, r.instance],
        [2, 2, 3, '127.0.0.1'],
        'the space, then two pages of component 12 (13 is no proposals component)',
      );
      assert.ok(
        seen.every((s) => s.ua === FETCH_USER_AGENT),
        'our User-Agent on every request',
      );
      const topics = await imported('decidim');
      assert.deepEqual(topics.map((t) => [t.sourceId, t.forumKey, t.sourceInstance]).sort(), [
        ['101', 'nord', '127.0.0.1'],
        ['104', 'sued', '127.0.0.1'],
      ]);
      assert.equal(topics.find((t) => t.sourceId === '101')!.sourceUrl, `http://127.0.0.1:${port}/proposals/101`);

      // Again: refreshed, no duplicates.
      const again = await importForumFromUrl(db, SYSTEM, {
        platform: 'decidim',
        url: url('/decidim/api'),
        component: '12',
      });
      assert.deepEqual([again.inserted, again.unchanged], [0, 2]);
      assert.equal((await imported('decidim')).length, 2);

      // Another installation (another host) with the same ids: topics of their own.
      const other = await importForumFromUrl(db, SYSTEM, {
        platform: 'decidim',
        url: url('/decidim/api', 'localhost'),
        component: '12',
      });
      assert.deepEqual([other.inserted, other.instance], [2, 'localhost']);
      assert.equal((await imported('decidim')).length, 4);
      assert.deepEqual((await imported('decidim')).map((t) => t.sourceInstance).sort(), [
        '127.0.0.1',
        '127.0.0.1',
        'localhost',
        'localhost',
      ]);
      // A file without the installation's address cannot say which of the two it refreshes.
      await rejected(
        importForumFile(db, SYSTEM, new URL('../fixtures/forum/decidim-graphql.json', import.meta.url).pathname, {
          platform: 'decidim',
        }),
        /several installations/,
      );
      assert.equal((await imported('decidim')).length, 4);
    });

    test('CONSUL: pages through the connection by its cursor; a retired proposal is left out', async () => {
      b = {};
      const r = await importForumFromUrl(db, SYSTEM, { platform: 'consul', url: url('/consul/graphql'), pageSize: 1 });
      assert.deepEqual([r.pages, r.items, r.inserted], [2, 1, 1]);
      const again = await importForumFromUrl(db, SYSTEM, { platform: 'consul', url: url('/consul/graphql') });
      assert.deepEqual([again.inserted, again.unchanged], [0, 1]);
      assert.equal((await imported('consul')).length, 1);
    });

    test('adhocracy+: follows `next`; a failing page, a too large answer, a timeout or a `next` to another host store nothing', async () => {
      const o = {
        platform: 'adhocracy',
        url: url('/api/modules/5/ideas/'),
        district: 'Friedrichshain-Kreuzberg',
        baseUrl: 'https://mein.berlin.de/projekte/kiez',
      };
      b = { failPage: 2 };
      await rejected(importForumFromUrl(db, SYSTEM, o), /HTTP 500/);
      b = { foreignNext: true };
      await rejected(importForumFromUrl(db, SYSTEM, o), /another host/);
      b = { bigPage: true };
      await rejected(importForumFromUrl(db, SYSTEM, { ...o, maxBytes: 100_000 }), /exceed 100000 bytes/);
      b = { slowMs: 1500 };
      await rejected(importForumFromUrl(db, SYSTEM, { ...o, timeoutMs: 300 }), /no answer within 0.3 s/);
      assert.equal((await imported('adhocracy')).length, 0);

      b = {};
      const r = await importForumFromUrl(db, SYSTEM, o);
      assert.deepEqual([r.pages, r.items, r.inserted, r.instance], [2, 2, 2, '127.0.0.1']);
      const again = await importForumFromUrl(db, SYSTEM, o);
      assert.deepEqual([again.inserted, again.unchanged], [0, 2]);
      const topics = await imported('adhocracy');
      assert.equal(topics.length, 2);
      assert.ok(
        topics.every(
          (t) => t.forumKey === 'sued' && t.sourceUrl?.startsWith('https://mein.berlin.de/projekte/kiez/ideas/'),
        ),
      );
    });

    test('https only: plain http only to this machine; no user name in the address', () => {
      assert.throws(() => checkFetchUrl('http://beteiligung.example.org/api'), /only https/);
      assert.throws(() => checkFetchUrl('ftp://example.org/x'), /only https/);
      assert.throws(() => checkFetchUrl('https://user:pw@example.org/api'), /user name/);
      assert.throws(() => checkFetchUrl('not a url'), /not an address/);
      assert.equal(checkFetchUrl('https://beteiligung.example.org/api').hostname, 'beteiligung.example.org');
      assert.equal(checkFetchUrl('http://localhost:8080/api').hostname, 'localhost');
    });
  });
}

describe('migration 025 gives imported topics the host of their link back as instance', () => {
  test('rows imported before keep their ids and get their instance; the unique key is per instance', async () => {
    const db = await openDatabase({ memory: true });
    try {
      const all = loadMigrations();
      await migrate(
        db,
        all.filter((m) => m.version < 25),
      );
      await db.exec(`INSERT INTO department (key, name) VALUES ('jugend', 'Jugendamt');
        INSERT INTO forum (key, name, layer, area_code, department) VALUES ('nord', 'Nord', 'stadtteil', '011', 'jugend');`);
      const ins = (id: string, url: string | null) =>
        db.query(
          `INSERT INTO forum_topic (forum_id, title, layer, area_code, raised_by, raised_on, origin, moderation, source_platform, source_id, source_url)
                  VALUES (1, 'T', 'stadtteil', '011', 'online', '2026-01-01', 'import', 'published', 'decidim', $1, $2)`,
          [id, url],
        );
      await ins('7', 'https://Beteiligung.Example.org:8443/processes/x/f/1/proposals/7');
      await ins('8', null);
      await migrate(db, all);
      const { rows } = await db.query<{ id: string; inst: string }>(
        `SELECT source_id AS id, source_instance AS inst FROM forum_topic ORDER BY source_id`,
      );
      assert.deepEqual(
        rows.map((r) => [r.id, r.inst]),
        [
          ['7', 'beteiligung.example.org'],
          ['8', ''],
        ],
      );
      // Proposal 7 of another installation is no conflict any more.
      await db.query(`INSERT INTO forum_topic (forum_id, title, layer, area_code, raised_by, raised_on, origin, moderation, source_platform, source_id, source_instance)
                      VALUES (1, 'T', 'stadtteil', '011', 'online', '2026-01-01', 'import', 'published', 'decidim', '7', 'other.example.org')`);
      await assert.rejects(
        db.query(`INSERT INTO forum_topic (forum_id, title, layer, area_code, raised_by, raised_on, origin, moderation, source_platform, source_id, source_instance)
                      VALUES (1, 'T', 'stadtteil', '011', 'online', '2026-01-01', 'import', 'published', 'decidim', '7', 'other.example.org')`),
        /unique|duplicate/i,
      );
    } finally {
      await db.close();
    }
  });
});
