// Reports on both engines: every shipped template resolved on the demo city in PGlite and on a
// PostgreSQL server gives the same document (content hash over every value, status and text),
// and publishing a release works on the server as it does embedded. Without TEST_DATABASE_URL
// the server half is skipped naming it (a failure under CI).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { ANONYMOUS, SYSTEM } from '../../src/core/access.ts';
import {
  contentHashOf,
  publishRelease,
  resolveReports,
  submitForReview,
  listReleases,
} from '../../src/services/reports.ts';
import { renderReport } from '../../src/services/report-render.ts';
import { SHIPPED_TEMPLATES } from '../../src/core/report/templates.ts';

const SETS: Record<string, Record<string, string>[]> = {
  stadtteilprofil: [{ area: '0101' }, { area: '0402' }],
  sozialatlas: [{}],
  'bildungsbericht-fruehe-bildung': [{}],
};
const postgres = engines.find((e) => e.name === 'postgres')!;

describe('reports on PGlite and on a PostgreSQL server give the same documents', engineGate(postgres), () => {
  const dbs: Database[] = [];
  before(async () => {
    for (const e of engines) {
      const db = await openEngine(e);
      dbs.push(db);
      await loadDemo(db, { dailyUntil: '2024-12-31', addresses: false });
    }
  });
  after(async () => {
    for (const db of dbs) await db.close();
  });

  it('resolves every shipped template to the same content on both engines, as the public and as the system', async () => {
    for (const t of SHIPPED_TEMPLATES)
      for (const who of [ANONYMOUS, SYSTEM]) {
        const [a, b] = await Promise.all(dbs.map((db) => resolveReports(db, who, t.key, SETS[t.key])));
        assert.equal(a.length, SETS[t.key].length);
        assert.deepEqual(b.map(contentHashOf), a.map(contentHashOf), `${t.key} as ${who.kind}`);
      }
  });

  it('renders and publishes on the server: the release is the draft as the public saw it', async () => {
    const db = dbs[1];
    const [html] = await renderReport(db, ANONYMOUS, 'sozialatlas', { format: 'html' });
    assert.match(html.bytes.toString(), /Sozialatlas/);
    await submitForReview(db, SYSTEM, 'sozialatlas');
    const r = await publishRelease(db, SYSTEM, 'sozialatlas');
    assert.equal(r.number, 1);
    const [draft] = await resolveReports(db, ANONYMOUS, 'sozialatlas', [{}]);
    assert.equal(r.documents.length, 1);
    const rel = await listReleases(db, ANONYMOUS, 'sozialatlas');
    assert.equal(rel.length, 1);
    const [frozen] = await resolveReports(db, ANONYMOUS, 'sozialatlas', [{}], { release: 1 });
    assert.deepEqual(frozen.sections, draft.sections);
  });
});
