// The report endpoints (issue 16) on the demo city: templates, the public's list, a Stadtteil
// profile as HTML and DOCX over HTTP, the workflow closed to the public, OpenAPI schemas.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { buildServer } from '../../src/http/server.ts';
import { addUser } from '../../src/services/users.ts';
import { SYSTEM } from '../../src/core/access.ts';

const PASSWORD = 'correct horse battery staple';

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
    assert.deepEqual(
      r
        .json()
        .map((x: { key: string }) => x.key)
        .sort(),
      ['bildungsbericht-fruehe-bildung', 'sozialatlas', 'stadtteilprofil'],
    );
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
    assert.equal(
      (await app.inject({ url: '/api/reports/stadtteilprofil/render?area=0101&release=7' })).statusCode,
      404,
    );
    assert.equal((await app.inject({ url: '/api/reports/unbekannt' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/api/reports/stadtteilprofil/plan?area=0101' })).statusCode, 401);
  });

  it('refuses to save a report without sign-in', async () => {
    const r = await app.inject({
      method: 'PUT',
      url: '/api/reports/sozialatlas',
      payload: { title: 'X', sections: [] },
    });
    assert.ok([401, 403].includes(r.statusCode), String(r.statusCode));
  });

  it('previews an unsaved definition for its editors: broken blocks named and left out, nothing stored', async () => {
    await addUser(db, SYSTEM, { name: 'chefin', role: 'admin', department: null, password: PASSWORD });
    await addUser(db, SYSTEM, { name: 'leser', role: 'viewer', department: null, password: PASSWORD });
    const signIn = async (user: string) => {
      const r = await app.inject({ url: '/api/auth/login', method: 'POST', payload: { user, password: PASSWORD } });
      assert.equal(r.statusCode, 200, r.body);
      return { cookie: String(r.headers['set-cookie']).split(';')[0], 'x-csrf-token': r.json().csrfToken as string };
    };
    const admin = await signIn('chefin');
    const before = (await app.inject({ url: '/api/reports/stadtteilprofil', headers: admin })).json() as {
      version: number;
      definition: { sections: { blocks: { key: string }[] }[] };
    };
    const definition = {
      title: 'Entwurf Profil',
      sections: [
        {
          title: 'Kennzahlen',
          blocks: [
            { key: 'kz', spec: { type: 'key-figure', indicators: ['einwohner'], layer: 'stadtteil', area: '$area' } },
            { key: 'weg', spec: { type: 'map', title: 'Karte', indicator: 'gibt_es_nicht', layer: 'stadtteil' } },
            {
              key: 'halb',
              spec: { type: 'data', title: 'Tabelle', indicators: [], layer: 'stadtteil', areas: 'all', view: 'table' },
            },
          ],
        },
      ],
    };
    const r = await app.inject({
      method: 'POST',
      url: '/api/reports/stadtteilprofil/preview',
      headers: admin,
      payload: { definition, area: '0102' },
    });
    assert.equal(r.statusCode, 200, r.body);
    const p = r.json() as {
      html: string;
      problems: { block: string; reason: string }[];
      params: Record<string, string>;
    };
    assert.deepEqual(p.params, { area: '0102' });
    assert.match(p.html, /Entwurf Profil/);
    assert.match(p.html, /Einwohner/);
    assert.deepEqual(
      p.problems.map((x) => x.block),
      ['weg', 'halb'],
    );
    assert.match(p.problems[1].reason, /"indicators" must be a non-empty list/);
    assert.doesNotMatch(p.html, />Karte</);
    const after = (await app.inject({ url: '/api/reports/stadtteilprofil', headers: admin })).json() as typeof before;
    assert.equal(after.version, before.version, 'a preview stores no version');
    assert.deepEqual(after.definition, before.definition);
    // Only the report's editors preview; a viewer is refused, the public must sign in; bad bodies are 400.
    const viewer = await signIn('leser');
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/api/reports/stadtteilprofil/preview',
          headers: viewer,
          payload: { definition },
        })
      ).statusCode,
      403,
    );
    assert.equal(
      (await app.inject({ method: 'POST', url: '/api/reports/stadtteilprofil/preview', payload: { definition } }))
        .statusCode,
      401,
    );
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/api/reports/stadtteilprofil/preview',
          headers: admin,
          payload: { definition: { title: 'x' } },
        })
      ).statusCode,
      400,
    );
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/api/reports/stadtteilprofil/preview',
          headers: admin,
          payload: { definition, area: '9999' },
        })
      ).statusCode,
      404,
    );
  });

  it('describes the endpoints in the OpenAPI document', async () => {
    const o = (await app.inject({ url: '/api/openapi.json' })).json();
    assert.ok(o.paths['/api/reports/{key}/render']);
    assert.ok(o.paths['/api/reports/{key}/releases']);
  });
});
