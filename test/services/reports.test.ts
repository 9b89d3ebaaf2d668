// Reports (issue 16) on the demo city: every shipped template in every format, the same
// numbers in HTML, PDF (pdftotext) and DOCX, the PDF's structure (pdfinfo: tagged, title;
// language in the catalogue; fonts embedded), access (a report with a restricted block is
// invisible to the public; the public never sees a suppressed value), releases frozen byte for
// byte after a new import, and the replacement plan after an indicator is gone.
// Chromium and poppler-utils are needed for the PDF parts: skipped naming what is missing, and a
// failure under KOMMUNALMONITOR_REQUIRE_COMPONENTS=1 (CI).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { ANONYMOUS, SYSTEM, type Principal } from '../../src/core/access.ts';
import {
  listTemplates,
  listReports,
  getReport,
  resolveReports,
  saveReport,
  submitForReview,
  publishRelease,
  replacementPlan,
  listReleases,
  contentHashOf,
} from '../../src/services/reports.ts';
import { renderReport } from '../../src/services/report-render.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { renderHtml } from '../../src/formats/report-html.ts';
import { designOf } from '../../src/services/reports.ts';
import type { ResolvedReport, ReportDefinition } from '../../src/core/report/model.ts';
import { NotFound, Unauthorized } from '../../src/core/problems.ts';
import { REQUIRE_COMPONENTS } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { CHROMIUM_PATH, chromiumMissing } from '../../src/formats/report-pdf.ts';
import { SHIPPED_TEMPLATES } from '../../src/core/report/templates.ts';

const POPPLER = existsSync('/usr/bin/pdfinfo') && existsSync('/usr/bin/pdftotext');
const MISSING = [
  !existsSync(CHROMIUM_PATH) ? `Chromium at ${CHROMIUM_PATH} (apt-get install chromium)` : null,
  !POPPLER ? 'pdfinfo and pdftotext (apt-get install poppler-utils)' : null,
]
  .filter(Boolean)
  .join(' and ');
const pdfGate: { skip?: string } = MISSING && !REQUIRE_COMPONENTS ? { skip: `needs ${MISSING}` } : {};

/** How many charts (bar, line, spine, map) a template has. */
function doc0Charts(key: string): number {
  const t = SHIPPED_TEMPLATES.find((x) => x.key === key)!;
  return t.definition.sections
    .flatMap((s) => s.blocks)
    .filter(
      (b) => b.spec.type === 'spine' || b.spec.type === 'map' || (b.spec.type === 'data' && b.spec.view !== 'table'),
    ).length;
}

const PARAMS: Record<string, { area?: string }> = {
  stadtteilprofil: { area: '0101' },
  sozialatlas: {},
  'bildungsbericht-fruehe-bildung': {},
};

/** Every figure the document shows (cell texts, changes), whitespace normalised. */
function figures(doc: ResolvedReport): string[] {
  const out: string[] = [];
  for (const s of doc.sections)
    for (const b of s.blocks) {
      if (b.type === 'key-figure') for (const t of b.tiles) out.push(t.value.text, ...(t.city ? [t.city.text] : []));
      if (b.type === 'data')
        for (const r of [...b.rows, ...(b.city ? [b.city] : [])]) out.push(...r.cells.map((c) => c.text));
      if (b.type === 'spine') for (const r of b.rows) out.push(r.value.text, r.city.text);
      if (b.type === 'map') out.push(...b.areas.map((a) => a.cell.text));
      if (b.type === 'profile') for (const t of b.themes) for (const r of t.rows) out.push(r.value.text);
    }
  return out;
}

/** The numbers of a text as tokens ("10.276", "3,8"). */
function numbers(text: string): Set<string> {
  return new Set(text.match(/\d[\d.]*(?:,\d+)?/g) ?? []);
}

const norm = (s: string) => s.replace(/[\u00a0\u202f\s]+/g, ' ');
const htmlText = (html: string) =>
  norm(
    html
      .replace(/<style>[\s\S]*?<\/style>/g, ' ')
      .replace(/<svg[\s\S]*?<\/svg>/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"'),
  );
const docxText = (docx: Uint8Array) => {
  const xml = strFromU8(unzipSync(docx)['word/document.xml']);
  return norm(
    xml
      .replace(/<\/w:p>/g, '\n')
      .replace(/<w:tab\/>/g, ' ')
      .replace(/<[^>]+>/g, '')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"'),
  );
};

function numbersIn(fig: string[]): Set<string> {
  const out = new Set<string>();
  for (const f of fig) for (const n of numbers(f)) out.add(n);
  return out;
}

describe('reports on the demo city', () => {
  let db: Database;
  const tmp = tempDir();

  before(async () => {
    db = await openDatabase({ memory: true });
    await migrate(db);
    await loadDemo(db, { dailyUntil: '2024-12-31' });
  });
  after(async () => {
    await db.close();
    tmp.cleanup();
  });

  it('lists the shipped templates, among them stadtteilprofil with an area parameter', () => {
    const t = listTemplates();
    assert.deepEqual(t.map((x) => x.key).sort(), ['bildungsbericht-fruehe-bildung', 'sozialatlas', 'stadtteilprofil']);
    assert.deepEqual(t.find((x) => x.key === 'stadtteilprofil')!.parameters, [{ name: 'area', layer: 'stadtteil' }]);
  });

  it('stores each template as a report of sections and blocks (queries, not values)', async () => {
    const r = await getReport(db, SYSTEM, 'stadtteilprofil');
    assert.equal(r.owner, 'statistik');
    assert.equal(r.status, 'draft');
    assert.ok(r.definition.sections.length >= 4);
    const types = new Set(r.definition.sections.flatMap((s) => s.blocks.map((b) => b.spec.type)));
    for (const t of ['text', 'key-figure', 'data', 'spine', 'map', 'profile']) assert.ok(types.has(t as never), t);
    const { rows } = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM report_block b JOIN report_section s ON s.id = b.section_id JOIN report_version v ON v.id = s.version_id JOIN report r ON r.id = v.report_id WHERE r.key = 'stadtteilprofil'",
    );
    assert.ok(rows[0].n >= 10);
  });

  for (const key of Object.keys(PARAMS)) {
    it(`renders ${key} as HTML and DOCX with the same numbers`, async () => {
      const [doc] = await resolveReports(db, ANONYMOUS, key, [PARAMS[key].area ? { area: PARAMS[key].area! } : {}]);
      const want = numbersIn(figures(doc));
      assert.ok(want.size > 5, 'the report shows numbers');
      const html = await renderReport(db, ANONYMOUS, key, { ...PARAMS[key], format: 'html' });
      assert.equal(html.length, 1);
      const page = html[0].bytes.toString('utf8');
      assert.match(page, /<html lang="de">/);
      assert.match(page, /<h1>/);
      const inHtml = numbers(htmlText(page));
      for (const n of want) assert.ok(inHtml.has(n), `HTML shows ${n}`);
      const docx = await renderReport(db, ANONYMOUS, key, { ...PARAMS[key], format: 'docx' });
      const text = docxText(docx[0].bytes);
      const inDocx = numbers(text);
      for (const n of want) assert.ok(inDocx.has(n), `DOCX shows ${n}`);
      const xml = strFromU8(unzipSync(docx[0].bytes)['word/document.xml']);
      assert.match(xml, /<w:pStyle w:val="Heading1"\/>/);
      assert.match(xml, /<w:tbl>/);
      assert.match(xml, /<w:tblHeader\/>/);
      // Charts and maps as PNG pictures with their alternative text (rasterised by Chromium).
      const parts = unzipSync(docx[0].bytes);
      const media = Object.keys(parts).filter((f) => f.startsWith('word/media/'));
      if (chromiumMissing()) assert.equal(media.length, 0, 'without a browser the tables stand alone');
      else {
        assert.ok(media.length >= 1, `${key} has pictures`);
        for (const f of media)
          assert.deepEqual(
            [...parts[f].subarray(0, 8)],
            [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
            `${f} is a PNG`,
          );
        const described = xml.match(/<wp:docPr [^>]*descr="[^"]{10,}"/g) ?? [];
        assert.equal(
          described.length,
          (xml.match(/<wp:docPr /g) ?? []).length,
          'every picture has its alternative text',
        );
        assert.ok(described.length >= media.length);
      }
      // The symbol legend comes with every report.
      assert.match(text, /Zeichenerklärung/);
      assert.match(htmlText(page), /Zeichenerklärung/);
    });
  }

  describe('PDF', pdfGate, () => {
    for (const key of Object.keys(PARAMS)) {
      it(`renders ${key} as a tagged PDF with title, language, outline and embedded fonts, and the HTML's numbers`, async () => {
        const files = await renderReport(db, ANONYMOUS, key, { ...PARAMS[key], format: 'pdf' });
        assert.equal(files.length, 1);
        const file = tmp.file(`${key}.pdf`, files[0].bytes);
        const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
        assert.match(info, /^Tagged:\s+yes$/m);
        assert.match(info, new RegExp(`^Title:\\s+${files[0].title.split(' ')[0]}`, 'm'));
        assert.ok(Buffer.from(files[0].bytes).toString('latin1').includes('/Lang (de)'), 'document language de');
        assert.ok(Buffer.from(files[0].bytes).toString('latin1').includes('/Outlines'), 'bookmarks');
        const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
        assert.ok(fonts.some((l) => l.includes('FiraSans')));
        for (const l of fonts) assert.match(l, /\s+yes\s+yes\s+yes\s+/, `embedded: ${l}`);
        // The structure tree: headings, tables with header cells, figures (with alternative text), lists.
        const struct = execFileSync('pdfinfo', ['-struct', file], { encoding: 'utf8' });
        for (const tag of ['Document', 'H1', 'H2', 'Table', 'TH', 'TD', 'Caption', 'Figure'])
          assert.match(struct, new RegExp(`^\\s*${tag}\\b`, 'm'), `structure has ${tag}`);
        const charts = doc0Charts(key);
        assert.ok(
          (
            Buffer.from(files[0].bytes)
              .toString('latin1')
              .match(/\/Alt\s*[(<]/g) ?? []
          ).length >= charts,
          'every chart has alternative text',
        );
        const text = norm(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }));
        assert.match(text, /Seite 1 von \d+/);
        const [doc] = await resolveReports(db, ANONYMOUS, key, [PARAMS[key].area ? { area: PARAMS[key].area! } : {}]);
        const inPdf = numbers(text);
        for (const n of numbersIn(figures(doc))) assert.ok(inPdf.has(n), `PDF shows ${n}`);
        // Every number of the HTML's text is in the PDF too.
        const html = renderHtml(doc, await designOf(db));
        for (const n of numbers(htmlText(html))) assert.ok(inPdf.has(n), `PDF has the HTML's ${n}`);
      });
    }
  });

  it('keeps a report with a restricted block from the public (and from other departments)', async () => {
    const base = (await getReport(db, SYSTEM, 'sozialatlas')).definition;
    const def: ReportDefinition = {
      ...base,
      key: 'jugendhilfe',
      title: 'Jugendhilfebericht',
      sections: [
        ...base.sections.slice(0, 1),
        {
          title: 'Hilfen zur Erziehung',
          blocks: [
            {
              key: 'hze',
              spec: {
                type: 'data',
                title: 'HzE-Quote',
                indicators: ['hze_quote'],
                layer: 'stadtbezirk',
                areas: 'all',
                view: 'table',
              },
            },
          ],
        },
      ],
    };
    await db.query("INSERT INTO report (key, title, owner) VALUES ('jugendhilfe', 'Jugendhilfebericht', 'jugend')");
    await saveReport(db, SYSTEM, 'jugendhilfe', def);
    const visible = (who: Principal) => listReports(db, who).then((l) => l.map((r) => r.key));
    assert.ok(!(await visible(ANONYMOUS)).includes('jugendhilfe'));
    assert.ok((await visible(ANONYMOUS)).includes('sozialatlas'));
    const other: Principal = { kind: 'user', id: 1, name: 'x', role: 'analyst', department: 'soziales' };
    assert.ok(!(await visible(other)).includes('jugendhilfe'));
    await assert.rejects(resolveReports(db, ANONYMOUS, 'jugendhilfe', [{}]), NotFound);
    await assert.rejects(renderReport(db, ANONYMOUS, 'jugendhilfe', { format: 'html' }), NotFound);
    const [own] = await resolveReports(db, SYSTEM, 'jugendhilfe', [{}]);
    assert.equal(own.confidentiality, 'restricted');
  });

  it('shows the public no suppressed value: the cell is "." where the owner sees a number', async () => {
    const def: ReportDefinition = {
      key: 'bloecke',
      title: 'Arbeitslose nach Blöcken',
      owner: null,
      parameters: [],
      sections: [
        {
          title: 'Blöcke',
          blocks: [
            {
              key: 'arbeitslose',
              spec: {
                type: 'data',
                title: 'Arbeitslose',
                indicators: ['arbeitslose'],
                layer: 'block',
                areas: 'all',
                view: 'table',
              },
            },
          ],
        },
      ],
    };
    await db.query("INSERT INTO report (key, title) VALUES ('bloecke', 'Arbeitslose nach Blöcken')");
    await saveReport(db, SYSTEM, 'bloecke', def);
    const [pub] = await resolveReports(db, ANONYMOUS, 'bloecke', [{}]);
    const [sys] = await resolveReports(db, SYSTEM, 'bloecke', [{}]);
    const rowsOf = (d: ResolvedReport) => {
      const b = d.sections[0].blocks[0];
      assert.equal(b.type, 'data');
      return b.type === 'data' ? b.rows : [];
    };
    const p = rowsOf(pub);
    const s = new Map(rowsOf(sys).map((r) => [r.code, r.cells[0]]));
    const hidden = p.filter((r) => r.cells[0].status === 'suppressed');
    assert.ok(hidden.length > 0, 'the demo has suppressed block values');
    assert.ok(pub.symbols.includes('suppressed'));
    const html = renderHtml(pub, await designOf(db));
    for (const r of hidden) {
      assert.equal(r.cells[0].text, '.');
      assert.equal(r.cells[0].value, null);
      const secret = s.get(r.code)!;
      assert.notEqual(secret.value, null);
      assert.ok(html.includes(`<th scope="row">${r.name}</th><td class="num">.</td>`));
    }
    assert.match(html, /<strong>\.<\/strong> = Zahlenwert unbekannt oder geheim zu halten/);
  });

  it('publishes a release after review that stays byte for byte the same after a new import; the plan shows what changed', async () => {
    await assert.rejects(publishRelease(db, SYSTEM, 'stadtteilprofil', { sets: [{ area: '0101' }] }), /review/);
    await submitForReview(db, SYSTEM, 'stadtteilprofil');
    const r1 = await publishRelease(db, SYSTEM, 'stadtteilprofil', { sets: [{ area: '0101' }, { area: '0102' }] });
    assert.equal(r1.number, 1);
    assert.equal(r1.documents.length, 2);
    const before = await renderReport(db, ANONYMOUS, 'stadtteilprofil', { area: '0101', release: 1, format: 'html' });
    const beforeDocx = await renderReport(db, ANONYMOUS, 'stadtteilprofil', {
      area: '0101',
      release: 1,
      format: 'docx',
    });
    assert.match(before[0].bytes.toString('utf8'), /Veröffentlichung 1 vom/);
    // A new import changes the births of a block in Altstadt.
    await importObservations(
      db,
      tmp.file('geburten.csv', 'indicator;area;period;value\ngeburten;01010001;2024;999\n'),
      { layer: 'block' },
    );
    const after1 = await renderReport(db, ANONYMOUS, 'stadtteilprofil', { area: '0101', release: 1, format: 'html' });
    assert.ok(after1[0].bytes.equals(before[0].bytes), 'the release HTML is byte-identical');
    const afterDocx = docxText(
      (await renderReport(db, ANONYMOUS, 'stadtteilprofil', { area: '0101', release: 1, format: 'docx' }))[0].bytes,
    );
    assert.equal(afterDocx, docxText(beforeDocx[0].bytes));
    const releases = await listReleases(db, ANONYMOUS, 'stadtteilprofil');
    assert.ok(releases.every((x) => x.intact));
    assert.ok(releases[0].dataVersions.geburten > 0);
    const [rel] = await resolveReports(db, ANONYMOUS, 'stadtteilprofil', [{ area: '0101' }], { release: 1 });
    assert.equal(contentHashOf(rel), releases.find((x) => x.params.area === '0101')!.contentHash);
    // The draft shows the new number; the plan names the block and the newer data.
    const plan = await replacementPlan(db, SYSTEM, 'stadtteilprofil', { area: '0101' });
    assert.equal(plan.release, 1);
    assert.ok(plan.changedDataVersions.some((d) => d.indicator === 'geburten'));
    const profil = plan.blocks.find((b) => b.block === 'profil');
    assert.equal(profil?.kind, 'changed');
    assert.ok(profil!.values.some((v) => v.label.includes('Geburten')));
    assert.ok(plan.publishable);
    // An amendment needs a change note.
    await submitForReview(db, SYSTEM, 'stadtteilprofil');
    await assert.rejects(publishRelease(db, SYSTEM, 'stadtteilprofil', { sets: [{ area: '0101' }] }), /change note/);
    const r2 = await publishRelease(db, SYSTEM, 'stadtteilprofil', {
      sets: [{ area: '0101' }],
      changeNote: 'Geburten 2024 berichtigt',
    });
    assert.equal(r2.number, 2);
    const old = await renderReport(db, ANONYMOUS, 'stadtteilprofil', { area: '0101', release: 1, format: 'html' });
    assert.ok(old[0].bytes.equals(before[0].bytes), 'old releases stay readable and unchanged');
  });

  it('marks a block whose indicator is gone as invalid in the plan and refuses to publish', async () => {
    const d = (await getReport(db, SYSTEM, 'sozialatlas')).definition;
    const broken: ReportDefinition = {
      ...d,
      sections: [
        ...d.sections,
        {
          title: 'Alt',
          blocks: [
            {
              key: 'weg',
              spec: { type: 'map', title: 'Gelöschter Indikator', indicator: 'geloescht_anteil', layer: 'stadtteil' },
            },
          ],
        },
      ],
    };
    await saveReport(db, SYSTEM, 'sozialatlas', broken);
    const plan = await replacementPlan(db, SYSTEM, 'sozialatlas', {});
    assert.equal(plan.publishable, false);
    assert.deepEqual(
      plan.blocks.filter((b) => b.kind === 'invalid').map((b) => b.block),
      ['weg'],
    );
    await submitForReview(db, SYSTEM, 'sozialatlas');
    await assert.rejects(publishRelease(db, SYSTEM, 'sozialatlas'), /weg/);
    // The public may not ask for plans or publish.
    await assert.rejects(replacementPlan(db, ANONYMOUS, 'sozialatlas', {}), Unauthorized);
  });

  it('renders every Stadtteil with --all-areas: one file each and one combined with contents (HTML)', async () => {
    const files = await renderReport(db, ANONYMOUS, 'stadtteilprofil', { allAreas: true, format: 'html' });
    const single = files.filter((f) => !f.combined);
    assert.equal(single.length, 38);
    const combined = files.find((f) => f.combined)!;
    const html = combined.bytes.toString('utf8');
    assert.match(html, /aria-label="Inhaltsverzeichnis"/);
    assert.equal((html.match(/<article class="report"/g) ?? []).length, 38);
    assert.ok(existsSync(join(tmp.dir)));
  });
});
