// The report block of an area's measures: the registry's measures located in the area, read with
// the reader's rights (the public sees public ones only), by default those running on the
// report's date, with `all` every one; the same rows in HTML and DOCX.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync, strFromU8 } from 'fflate';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { ANONYMOUS, SYSTEM } from '../../src/core/access.ts';
import { resolveReports, saveReport } from '../../src/services/reports.ts';
import { renderReport } from '../../src/services/report-render.ts';
import { listMeasures } from '../../src/services/measures.ts';
import { todayInGermany } from '../../src/services/forum.ts';
import type { ReportDefinition, ResolvedBlock } from '../../src/core/report/model.ts';

const DEF: ReportDefinition = {
  key: 'massnahmen-bericht',
  title: 'Maßnahmen im Stadtteil',
  owner: null,
  parameters: [{ name: 'area', layer: 'stadtteil' }],
  sections: [
    {
      title: 'Maßnahmen',
      blocks: [
        { key: 'laufend', spec: { type: 'measures', title: 'Laufende Maßnahmen', layer: 'stadtteil', area: '$area' } },
        {
          key: 'alle',
          spec: { type: 'measures', title: 'Alle Maßnahmen', layer: 'stadtteil', area: '$area', all: true },
        },
        {
          key: 'jugend',
          spec: {
            type: 'measures',
            title: 'Maßnahmen der Jugendarbeit',
            layer: 'stadtteil',
            area: '$area',
            field: 'jugend',
            all: true,
          },
        },
      ],
    },
    {
      title: 'Übergänge nach Blöcken',
      blocks: [
        {
          key: 'bloecke',
          spec: {
            type: 'data',
            title: 'Übergänge auf das Gymnasium nach Blöcken',
            indicators: ['uebergang_gymnasium_anteil'],
            layer: 'block',
            areas: 'all',
            view: 'table',
          },
        },
      ],
    },
  ],
};

const block = (blocks: ResolvedBlock[], key: string) => {
  const b = blocks.find((x) => x.key === key);
  assert.ok(b && b.type === 'measures', key);
  return b as Extract<ResolvedBlock, { type: 'measures' }>;
};

describe('report block: measures of an area', () => {
  let db: Database;
  before(async () => {
    db = await openDatabase({ memory: true });
    await migrate(db);
    await loadDemo(db, { dailyUntil: '2024-12-31', addresses: false });
    await db.query("INSERT INTO report (key, title) VALUES ('massnahmen-bericht', 'Maßnahmen im Stadtteil')");
    await saveReport(db, SYSTEM, 'massnahmen-bericht', DEF);
  });
  after(() => db.close());

  it('lists the measures running today, all of them, or those of one field of action, as the reader may see them', async () => {
    const area = '0402';
    for (const who of [ANONYMOUS, SYSTEM]) {
      const [doc] = await resolveReports(db, who, 'massnahmen-bericht', [{ area }]);
      const blocks = doc.sections[0].blocks;
      const running = await listMeasures(db, who, { layer: 'stadtteil', area, at: todayInGermany() });
      const all = await listMeasures(db, who, { layer: 'stadtteil', area });
      const jugend = await listMeasures(db, who, { layer: 'stadtteil', area, field: 'jugend' });
      assert.deepEqual(
        block(blocks, 'laufend')
          .rows.map((r) => r.title)
          .sort(),
        running.map((m) => m.title).sort(),
      );
      assert.deepEqual(
        block(blocks, 'alle')
          .rows.map((r) => r.title)
          .sort(),
        all.map((m) => m.title).sort(),
      );
      assert.deepEqual(
        block(blocks, 'jugend')
          .rows.map((r) => r.title)
          .sort(),
        jugend.map((m) => m.title).sort(),
      );
      assert.ok(all.length > running.length, 'the demo area has finished or planned measures too');
      assert.match(block(blocks, 'laufend').scope, /^am \d\d\.\d\d\.\d{4} laufend$/);
      assert.equal(block(blocks, 'jugend').field, 'Jugend');
    }
    const pub = block(
      (await resolveReports(db, ANONYMOUS, 'massnahmen-bericht', [{ area }]))[0].sections[0].blocks,
      'alle',
    );
    const sys = block(
      (await resolveReports(db, SYSTEM, 'massnahmen-bericht', [{ area }]))[0].sections[0].blocks,
      'alle',
    );
    assert.ok(pub.rows.length <= sys.rows.length);
    for (const r of pub.rows) assert.match(r.period, /^(\d\d\.\d\d\.\d{4}|…) – (\d\d\.\d\d\.\d{4}|…)$/);
  });

  it('shows the same rows in HTML and DOCX', async () => {
    const [doc] = await resolveReports(db, ANONYMOUS, 'massnahmen-bericht', [{ area: '0402' }]);
    const rows = block(doc.sections[0].blocks, 'alle').rows;
    const [html] = await renderReport(db, ANONYMOUS, 'massnahmen-bericht', { area: '0402', format: 'html' });
    const [docx] = await renderReport(db, ANONYMOUS, 'massnahmen-bericht', { area: '0402', format: 'docx' });
    const xml = strFromU8(unzipSync(new Uint8Array(docx.bytes))['word/document.xml']);
    const text = html.bytes.toString();
    for (const r of rows) {
      assert.ok(text.includes(r.title.replace(/&/g, '&amp;')), r.title);
      assert.ok(xml.includes(r.title.replace(/&/g, '&amp;')), r.title);
      if (r.budget) assert.ok(text.includes(r.budget) && xml.includes(r.budget), r.budget);
    }
  });

  it('numbers the footnotes of a block: each reason once, its mark at every value it explains, the same in HTML and DOCX', async () => {
    const [doc] = await resolveReports(db, ANONYMOUS, 'massnahmen-bericht', [{ area: '0402' }]);
    const b = doc.sections[1].blocks[0];
    assert.ok(b.type === 'data');
    const notes = b.footnotes ?? [];
    assert.ok(notes.length > 1, 'bases below the minimum explained');
    assert.equal(new Set(notes).size, notes.length, 'each reason once');
    for (const n of notes) assert.match(n, /^Basis \d+ liegt unter der Mindestbasis 20$/);
    const marks = '⁰¹²³⁴⁵⁶⁷⁸⁹';
    const markOf = (text: string) =>
      [...text]
        .filter((ch) => marks.includes(ch))
        .map((ch) => marks.indexOf(ch))
        .join('');
    for (const r of b.rows)
      for (const cell of r.cells) {
        if (cell.status === 'below_min_base')
          assert.ok(Number(markOf(cell.text)) >= 1 && Number(markOf(cell.text)) <= notes.length, cell.text);
        else assert.equal(markOf(cell.text), '', cell.text);
      }
    // No footnote for a reason the symbol already says, and none in the measures blocks.
    assert.equal(
      doc.sections[0].blocks.some((x) => x.footnotes),
      false,
    );
    const [html] = await renderReport(db, ANONYMOUS, 'massnahmen-bericht', { area: '0402', format: 'html' });
    const [docx] = await renderReport(db, ANONYMOUS, 'massnahmen-bericht', { area: '0402', format: 'docx' });
    const xml = strFromU8(unzipSync(new Uint8Array(docx.bytes))['word/document.xml']);
    for (const [i, n] of notes.entries()) {
      const line = `${[...String(i + 1)].map((d) => marks[Number(d)]).join('')} ${n}`;
      assert.ok(html.bytes.toString().includes(line), line);
      assert.ok(xml.includes(line), line);
    }
  });
});
