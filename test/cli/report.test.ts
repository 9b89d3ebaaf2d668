// The report commands exactly as issue 16 writes them, on a fresh data directory (the demo city
// is loaded on first use, as `serve` does). PDF needs Chromium: skipped naming it, and a failure
// under KOMMUNALMONITOR_REQUIRE_COMPONENTS=1 (CI).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { run } from '../helpers/cli.ts';
import { tempDir } from '../helpers/files.ts';
import { REQUIRE_COMPONENTS } from '../helpers/db.ts';
import { CHROMIUM_PATH } from '../../src/formats/report-pdf.ts';

const pdfGate: { skip?: string } =
  !existsSync(CHROMIUM_PATH) && !REQUIRE_COMPONENTS
    ? { skip: `needs Chromium at ${CHROMIUM_PATH} (apt-get install chromium)` }
    : {};

describe('kommunalmonitor report', () => {
  const tmp = tempDir();
  const data = join(tmp.dir, 'data');
  const out = join(tmp.dir, 'out');
  const cli = (...args: string[]) => run(['--data-dir', data, ...args]);

  before(async () => {
    // The first command on an empty data directory loads the demo city.
    const r = await cli('report', 'render', 'stadtteilprofil', '--area', '0101', '--format', 'html', '--output', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /demo city/);
  });
  after(() => tmp.cleanup());

  it('report templates lists the shipped templates, among them stadtteilprofil', async () => {
    const r = await cli('report', 'templates');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^stadtteilprofil\s/m);
    assert.match(r.out, /sozialatlas/);
    const j = await run(['--json', '--data-dir', data, 'report', 'templates']);
    assert.ok((JSON.parse(j.out) as { key: string }[]).some((t) => t.key === 'stadtteilprofil'));
  });

  it('report render … --format html writes one page', () => {
    const html = readFileSync(join(out, 'stadtteilprofil-0101.html'), 'utf8');
    assert.match(html, /<title>Stadtteilprofil – Altstadt<\/title>/);
  });

  it('report render … --format docx writes a Word document', async () => {
    const r = await cli('report', 'render', 'stadtteilprofil', '--area', '0101', '--format', 'docx', '--output', out);
    assert.equal(r.code, 0, r.err);
    const b = readFileSync(join(out, 'stadtteilprofil-0101.docx'));
    assert.equal(b.subarray(0, 2).toString(), 'PK');
  });

  it('refuses an unknown area and a missing one with a message', async () => {
    const r = await cli('report', 'render', 'stadtteilprofil', '--area', '9999', '--format', 'html', '--output', out);
    assert.equal(r.code, 1);
    assert.match(r.err, /9999/);
    const m = await cli('report', 'render', 'stadtteilprofil', '--format', 'html', '--output', out);
    assert.equal(m.code, 1);
    assert.match(m.err, /--area/);
  });

  describe('PDF', pdfGate, () => {
    it('report render … --area 0101 --format pdf writes a PDF', async () => {
      const r = await cli('report', 'render', 'stadtteilprofil', '--area', '0101', '--format', 'pdf', '--output', out);
      assert.equal(r.code, 0, r.err);
      assert.equal(readFileSync(join(out, 'stadtteilprofil-0101.pdf')).subarray(0, 5).toString(), '%PDF-');
    });

    it('report render … --all-areas --format pdf writes one PDF per Stadtteil and one combined', async () => {
      const dir = join(tmp.dir, 'all');
      const r = await cli('report', 'render', 'stadtteilprofil', '--all-areas', '--format', 'pdf', '--output', dir);
      assert.equal(r.code, 0, r.err);
      const files = readdirSync(dir).filter((f) => f.endsWith('.pdf'));
      assert.equal(files.length, 39);
      assert.ok(files.includes('stadtteilprofil-alle.pdf'));
      assert.match(r.out, /combined, with table of contents/);
      // The contents' page numbers point at the documents (pdftotext from poppler-utils).
      if (existsSync('/usr/bin/pdftotext') || REQUIRE_COMPONENTS) {
        const file = join(dir, 'stadtteilprofil-alle.pdf');
        const toc = execFileSync('pdftotext', ['-f', '1', '-l', '2', file, '-'], { encoding: 'utf8' });
        const pages = [...toc.matchAll(/Seite (\d+)\n/g)].map((m) => Number(m[1]));
        assert.equal(pages.length, 38);
        const second = execFileSync('pdftotext', ['-f', String(pages[1]), '-l', String(pages[1]), file, '-'], {
          encoding: 'utf8',
        });
        assert.match(second, /^Stadtteilprofil – Schlossviertel/);
      }
    });
  });
});
