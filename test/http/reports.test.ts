// The report endpoints (issue 16) on the demo city: templates, the public's list, a Stadtteil
// profile as HTML and DOCX over HTTP, the workflow closed to the public, OpenAPI schemas.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { buildServer } from '../../src/http/server.ts';

describe('report API', () => {
  let db: Database;
  let app: FastifyInstance;
  before(async () => {
    db = await openDatabase({ memory: true });
    await migrate(db);
    await loadDemo(db, { dailyUntil: '2024-12-31' });
    app = await buildServer(db, { logger: false });
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  it('lists the templates and the reports the public may see', async () => {
    const t = await app.inject({ url: '/api/reports/templates' });
    assert.equal(t.statusCode, 200);
    assert.ok(t.json().some((x: { key: string }) => x.key === 'stadtteilprofil'));
    const r = await app.inject({ url: '/api/reports' });
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json().map((x: { key: string }) => x.key).sort(), ['bildungsbericht-fruehe-bildung', 'sozialatlas', 'stadtteilprofil']);
  });

  it('renders a Stadtteilprofil as HTML and DOCX', async () => {
    const h = await app.inject({ url: '/api/reports/stadtteilprofil/render?area=0101&format=html' });
    assert.equal(h.statusCode, 200, h.body);
    assert.match(h.headers['content-type'] as string, /text\/html/);
    assert.match(h.body, /Stadtteilprofil – Altstadt/);
    // Shown in the reader view on the same origin; its embedded fonts allowed, nothing else loaded.
    assert.equal(h.headers['x-frame-options'], 'SAMEORIGIN');
    assert.match(h.headers['content-security-policy'] as string, /frame-ancestors 'self'/);
    assert.match(h.headers['content-security-policy'] as string, /font-src data:/);
    const d = await app.inject({ url: '/api/reports/stadtteilprofil/render?area=0101&format=docx' });
    assert.equal(d.statusCode, 200);
    assert.match(d.headers['content-disposition'] as string, /stadtteilprofil-0101\.docx/);
    assert.equal(d.rawPayload.subarray(0, 2).toString(), 'PK');
  });

  it('answers 404 for an unknown area or release and 401 for the workflow without sign-in', async () => {
    assert.equal((await app.inject({ url: '/api/reports/stadtteilprofil/render?area=9999' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/api/reports/stadtteilprofil/render?area=0101&release=7' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/api/reports/unbekannt' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/api/reports/stadtteilprofil/plan?area=0101' })).statusCode, 401);
  });

  it('refuses to save a report without sign-in', async () => {
    const r = await app.inject({ method: 'PUT', url: '/api/reports/sozialatlas', payload: { title: 'X', sections: [] } });
    assert.ok([401, 403].includes(r.statusCode), String(r.statusCode));
  });

  it('describes the endpoints in the OpenAPI document', async () => {
    const o = (await app.inject({ url: '/api/openapi.json' })).json();
    assert.ok(o.paths['/api/reports/{key}/render']);
    assert.ok(o.paths['/api/reports/{key}/releases']);
  });
});
