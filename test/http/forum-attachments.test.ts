// Photos of posters over HTTP: staff upload the bytes, the type is decided by magic bytes, the
// metadata (EXIF GPS, author, XMP, IPTC, PNG text) is gone before anything is stored, the public
// sees a photo only after approval, and it goes with its topic. Canary: an author name and a GPS
// position go in; no table holds them afterwards.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { square } from '../helpers/files.ts';
import { AUTHOR, GPS_LATITUDE_BYTES, GPS_TEXT, jpegWithMetadata, pngWithMetadata } from '../helpers/images.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { ATTACHMENT_MAX_BYTES } from '../../src/core/forum.ts';
import { insertDepartment } from '../../src/store/accounts.ts';
import { importAreaRecords } from '../../src/services/areas.ts';
import { addUser, createToken } from '../../src/services/users.ts';
import { createForum } from '../../src/services/forum.ts';
import { buildServer } from '../../src/http/server.ts';

for (const engine of engines) {
  describe(`youth forum photos [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let app: FastifyInstance;
    let token = '';
    let other = '';
    const staff = (t = token) => ({ authorization: `Bearer ${t}` });
    before(async () => {
      db = await openEngine(engine);
      await insertDepartment(db, 'jugend', 'Jugendamt');
      await insertDepartment(db, 'gruen', 'Grünflächenamt');
      await importAreaRecords(
        db,
        {
          crs: 'EPSG:4326',
          problems: [],
          records: ['01', '02'].map((c, i) => ({
            code: c,
            name: `Stadtteil ${c}`,
            parentCode: null,
            geometry: square(i * 0.01, 0, 0.01),
            properties: {},
          })),
        },
        { layer: 'stadtteil' },
      );
      await createForum(db, SYSTEM, {
        key: 'nord',
        name: 'Forum Nord',
        layer: 'stadtteil',
        area: '01',
        department: 'jugend',
      });
      await addUser(db, SYSTEM, {
        name: 'jana',
        role: 'steward',
        department: 'jugend',
        password: 'ein langes Passwort 123',
      });
      await addUser(db, SYSTEM, {
        name: 'gero',
        role: 'steward',
        department: 'gruen',
        password: 'ein langes Passwort 456',
      });
      token = (await createToken(db, SYSTEM, { user: 'jana', name: 'test' })).token;
      other = (await createToken(db, SYSTEM, { user: 'gero', name: 'test' })).token;
      app = await buildServer(db, { logger: false });
    });
    after(async () => {
      await app.close();
      await db.close();
    });

    const record = async (title: string, point?: { x: number; y: number }) => {
      const r = await app.inject({
        method: 'POST',
        url: '/api/forum/staff/topics',
        headers: staff(),
        payload: { forum: 'nord', title, raisedBy: 'forum', raisedOn: '2026-03-01', ...(point ? { point } : {}) },
      });
      assert.equal(r.statusCode, 201, r.body);
      return r.json().id as number;
    };
    const upload = (
      id: number,
      body: Buffer,
      o: { type?: string; title?: string; headers?: Record<string, string> } = {},
    ) =>
      app.inject({
        method: 'POST',
        url: `/api/forum/staff/topics/${id}/attachments${o.title ? `?title=${encodeURIComponent(o.title)}` : ''}`,
        headers: { 'content-type': o.type ?? 'image/jpeg', ...(o.headers ?? staff()) },
        payload: body,
      });

    test('canary: a JPEG with EXIF GPS and an author goes in; the stored bytes hold neither, and no table does', async () => {
      const id = await record('Plakat vom Forumstreffen', { x: 0.005, y: 0.005 });
      const { original, tagged } = jpegWithMetadata();
      const r = await upload(id, tagged, { title: 'Plakat' });
      assert.equal(r.statusCode, 201, r.body);
      const photo = r.json();
      assert.equal(photo.contentType, 'image/jpeg');
      assert.equal(photo.approved, false);
      const stored = (
        await db.query<{ bytes: Uint8Array }>('SELECT bytes FROM forum_attachment WHERE id = $1', [photo.id])
      ).rows[0].bytes;
      const b = Buffer.from(stored);
      assert.ok(!b.includes(Buffer.from(AUTHOR, 'latin1')), 'no author name in the stored bytes');
      assert.ok(!b.includes(GPS_LATITUDE_BYTES), 'no GPS position in the stored bytes');
      assert.ok(!b.includes(Buffer.from(GPS_TEXT, 'latin1')));
      assert.deepEqual(b, original, 'the image itself is kept byte for byte');
      const { rows: tables } = await db.query<{ t: string }>(
        `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
      );
      for (const { t } of tables) {
        const rows = (await db.query<Record<string, unknown>>(`SELECT * FROM "${t.replace(/"/g, '')}"`)).rows;
        const text = JSON.stringify(rows, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
        assert.ok(!text.includes(AUTHOR), `table ${t} holds the author`);
      }
    });

    test('the public sees a photo only after approval, on a published topic; the forum’s staff see it before', async () => {
      const id = await record('Wunschbaum');
      const photo = (await upload(id, pngWithMetadata().tagged, { type: 'image/png' })).json();
      assert.equal(photo.contentType, 'image/png');
      assert.equal(
        (await app.inject({ url: `/api/forum/attachments/${photo.id}` })).statusCode,
        404,
        'not public before approval',
      );
      assert.deepEqual((await app.inject({ url: `/api/forum/topics/${id}` })).json().photos, []);
      const mine = await app.inject({ url: `/api/forum/attachments/${photo.id}`, headers: staff() });
      assert.equal(mine.statusCode, 200);
      assert.equal(mine.headers['cache-control'], 'private, no-store');
      assert.equal(
        (
          await app.inject({
            method: 'POST',
            url: `/api/forum/attachments/${photo.id}/approve`,
            headers: staff(other),
            payload: { approved: true },
          })
        ).statusCode,
        403,
        'another department may not approve',
      );
      assert.equal(
        (
          await app.inject({
            method: 'POST',
            url: `/api/forum/attachments/${photo.id}/approve`,
            payload: { approved: true },
          })
        ).statusCode,
        401,
      );
      const ok = await app.inject({
        method: 'POST',
        url: `/api/forum/attachments/${photo.id}/approve`,
        headers: staff(),
        payload: { approved: true },
      });
      assert.equal(ok.statusCode, 200, ok.body);
      const pub = await app.inject({ url: `/api/forum/attachments/${photo.id}` });
      assert.equal(pub.statusCode, 200);
      assert.equal(pub.headers['content-type'], 'image/png');
      assert.equal(pub.headers['x-content-type-options'], 'nosniff');
      assert.ok(!pub.rawPayload.includes(Buffer.from(AUTHOR, 'latin1')));
      assert.deepEqual((await app.inject({ url: `/api/forum/topics/${id}` })).json().photos, [
        { id: photo.id, title: '', contentType: 'image/png' },
      ]);
      const list = (await app.inject({ url: '/api/forum/topics?forum=nord' })).json().topics as {
        id: number;
        photos: unknown[];
      }[];
      assert.equal(list.find((t) => t.id === id)!.photos.length, 1);
    });

    test('only JPEG and PNG by their bytes, at most 5 MB, only the forum’s staff', async () => {
      const id = await record('Graffiti');
      const svg = await upload(
        id,
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      );
      assert.equal(svg.statusCode, 400, 'an SVG declared as JPEG is refused');
      assert.ok(svg.json().problems.some((p: { code: string }) => p.code === 'bad-image'));
      assert.equal(
        (await upload(id, Buffer.from('GIF89a......'), { type: 'application/octet-stream' })).statusCode,
        400,
      );
      assert.equal(
        (await upload(id, Buffer.concat([jpegWithMetadata().tagged, Buffer.alloc(ATTACHMENT_MAX_BYTES)]))).statusCode,
        413,
      );
      assert.equal((await upload(id, jpegWithMetadata().tagged, { headers: {} })).statusCode, 401);
      assert.equal((await upload(id, jpegWithMetadata().tagged, { headers: staff(other) })).statusCode, 403);
      assert.equal((await upload(99999, jpegWithMetadata().tagged)).statusCode, 404);
      assert.equal(
        (await upload(id, jpegWithMetadata().tagged, { title: 'Ruf an: 0171 234 56 78' })).statusCode,
        400,
        'no contact data in a title',
      );
    });

    test('a photo goes with its topic, and can be deleted on its own', async () => {
      const id = await record('Bänke');
      const a = (await upload(id, jpegWithMetadata().tagged)).json();
      const b = (await upload(id, jpegWithMetadata().tagged)).json();
      assert.equal(
        (await app.inject({ method: 'DELETE', url: `/api/forum/attachments/${a.id}`, headers: staff() })).statusCode,
        204,
      );
      assert.equal((await app.inject({ url: `/api/forum/attachments/${a.id}`, headers: staff() })).statusCode, 404);
      assert.equal(
        (await app.inject({ method: 'DELETE', url: `/api/forum/topics/${id}`, headers: staff() })).statusCode,
        204,
      );
      const left = (
        await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM forum_attachment WHERE id = $1 OR topic_id = $2',
          [b.id, id],
        )
      ).rows[0].n;
      assert.equal(left, 0, 'deleted with the topic');
    });

    test('who counts as young: readable by all, chosen by administrators only', async () => {
      assert.deepEqual((await app.inject({ url: '/api/forum/atlas/population' })).json(), {
        indicator: 'einwohner_unter21',
      });
      assert.equal(
        (
          await app.inject({
            method: 'PUT',
            url: '/api/forum/atlas/population',
            headers: staff(),
            payload: { indicator: 'einwohner' },
          })
        ).statusCode,
        403,
      );
      assert.equal(
        (await app.inject({ method: 'PUT', url: '/api/forum/atlas/population', payload: { indicator: 'einwohner' } }))
          .statusCode,
        401,
      );
      assert.equal(
        (await app.inject({ method: 'POST', url: '/api/forum/atlas/refresh', headers: staff() })).statusCode,
        403,
      );
    });

    test('a topic’s point is public (for the map)', async () => {
      const id = await record('Treffpunkt', { x: 0.004, y: 0.006 });
      assert.deepEqual((await app.inject({ url: `/api/forum/topics/${id}` })).json().point, { x: 0.004, y: 0.006 });
    });
  });
}
