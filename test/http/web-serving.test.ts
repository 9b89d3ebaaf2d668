// Serving the built web app: files, client-side routes fall back to index.html, the API keeps
// its JSON 404s.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../src/store/db.ts';
import { engines, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { buildServer } from '../../src/http/server.ts';

describe('web app serving', () => {
  let db: Database;
  let app: FastifyInstance;
  const tmp = tempDir();
  before(async () => {
    db = await openEngine(engines[0]);
    mkdirSync(join(tmp.dir, 'assets'));
    tmp.file(
      'index.html',
      '<!doctype html><title>Kommunalmonitor</title><script type="module" src="/assets/app-abc.js"></script>',
    );
    tmp.file('assets/app-abc.js', 'console.log(1)');
    app = await buildServer(db, { webRoot: tmp.dir });
  });
  after(async () => {
    await app?.close();
    await db?.close();
    tmp.cleanup();
  });

  test('index, assets with long caching, and client routes', async () => {
    const index = await app.inject({ url: '/' });
    assert.equal(index.statusCode, 200);
    assert.match(index.body, /<title>Kommunalmonitor<\/title>/);
    const asset = await app.inject({ url: '/assets/app-abc.js' });
    assert.equal(asset.statusCode, 200);
    assert.match(String(asset.headers['cache-control']), /immutable/);
    const route = await app.inject({ url: '/atlas?indicator=einwohner&layer=stadtteil' });
    assert.equal(route.statusCode, 200);
    assert.match(route.body, /Kommunalmonitor/);
    const api = await app.inject({ url: '/api/nothing' });
    assert.equal(api.statusCode, 404);
    assert.equal(api.json().error, 'Not Found');
    const post = await app.inject({ url: '/atlas', method: 'POST' });
    assert.equal(post.statusCode, 404);
  });
});
