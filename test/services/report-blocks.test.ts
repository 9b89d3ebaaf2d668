// The report blocks over the analyses and facilities: a saved index (an area's score with the
// contribution of every component, or all areas ranked), a saved typology as a map by type, and
// the facilities of an area — resolved with the reader's rights, the same figures in HTML and
// DOCX, and a definition with a missing field refused before any query runs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { unzipSync, strFromU8 } from 'fflate';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { ANONYMOUS, SYSTEM } from '../../src/core/access.ts';
import { saveIndex, saveTypology, computeIndexFor, storedIndex } from '../../src/services/analysis.ts';
import { indexTemplate } from '../../src/core/stats/templates.ts';
import { resolveReports, saveReport, validateReport, designOf } from '../../src/services/reports.ts';
import { renderReport } from '../../src/services/report-render.ts';
import { renderHtml } from '../../src/formats/report-html.ts';
import { facilitiesGeoJson } from '../../src/services/facilities-read.ts';
import { DEMO_FACILITY_SET } from '../../src/demo/facilities.ts';
import { checkDefinition, type ReportDefinition, type ResolvedBlock } from '../../src/core/report/model.ts';
import { InputRejected } from '../../src/core/problems.ts';

const DEF: ReportDefinition = {
  key: 'analysen',
  title: 'Analysen im Bericht',
  owner: null,
  parameters: [{ name: 'area', layer: 'stadtteil' }],
  sections: [
    {
      title: 'Sozialstatus',
      blocks: [
        {
          key: 'index-gebiet',
          spec: { type: 'index', title: 'Statusindex des Stadtteils', index: 'status', area: '$area' },
        },
        { key: 'index-alle', spec: { type: 'index', title: 'Statusindex aller Stadtteile', index: 'status' } },
        {
          key: 'typen',
          spec: { type: 'typology', title: 'Sozialraumtypen', typology: 'sozialraum', highlight: '$area' },
        },
        {
          key: 'kitas',
          spec: {
            type: 'facilities',
            title: 'Kitas im Stadtteil',
            layer: 'stadtteil',
            area: '$area',
            set: DEMO_FACILITY_SET.key,
          },
        },
      ],
    },
  ],
};

function blockOf<T extends ResolvedBlock['type']>(
  blocks: ResolvedBlock[],
  key: string,
  type: T,
): Extract<ResolvedBlock, { type: T }> {
  const b = blocks.find((x) => x.key === key);
  assert.ok(b && b.type === type, `${key} is a ${type} block`);
  return b as Extract<ResolvedBlock, { type: T }>;
}

describe('report blocks: index, typology, facilities', () => {
  let db: Database;
  let area = '';
  before(async () => {
    db = await openDatabase({ memory: true });
    await migrate(db);
    await loadDemo(db, { dailyUntil: '2024-12-31', addresses: false, measures: false });
    await saveIndex(db, SYSTEM, indexTemplate('status', { layer: 'stadtteil', period: '2024-12-31' }));
    await saveTypology(db, SYSTEM, {
      key: 'sozialraum',
      name: 'Sozialraumtypen',
      layer: 'stadtteil',
      period: '2024-12-31',
      indicators: ['arbeitslose_anteil', 'kinderarmut_anteil', 'anteil_65plus', 'anteil_unter6'],
      k: 4,
    });
    // A Stadtteil with Kitas.
    const kitas = await facilitiesGeoJson(db, SYSTEM, { set: DEMO_FACILITY_SET.key });
    area = kitas.features.map((f) => f.properties.codes.stadtteil).find(Boolean)!;
    await db.query("INSERT INTO report (key, title) VALUES ('analysen', 'Analysen im Bericht')");
    await saveReport(db, SYSTEM, 'analysen', DEF);
  });
  after(async () => {
    await db?.close();
  });

  it('the index block: the area score, class and rank, and each component with its contribution adding up to the score', async () => {
    const [doc] = await resolveReports(db, ANONYMOUS, 'analysen', [{ area }]);
    const b = blockOf(doc.sections[0].blocks, 'index-gebiet', 'index');
    const answer = await computeIndexFor(db, ANONYMOUS, (await storedIndex(db, ANONYMOUS, 'status')).definition);
    const row = answer.result.rows.find((r) => r.area === area)!;
    assert.ok(b.area);
    assert.equal(b.area.code, area);
    assert.equal(b.area.score, row.score!.toFixed(2).replace('.', ','));
    assert.equal(b.area.label, row.label);
    assert.match(b.area.rank, new RegExp(`^${row.rank} von \\d+$`));
    assert.equal(b.components.length, answer.definition.components.length);
    const sum = b.components.reduce((t, x) => t + (x.contribution ?? 0), 0);
    assert.ok(Math.abs(sum - row.rawScore!) < 1e-9, 'the contributions make the raw score');
    assert.ok(b.components.every((x) => x.indicator.name && x.indicator.period && x.value.text));
    assert.ok(b.classes.length >= 2, 'the class labels');
    const all = blockOf(doc.sections[0].blocks, 'index-alle', 'index');
    assert.equal(all.area, null);
    assert.equal(all.ranking.length, 38);
    assert.equal(all.ranking[0].rank, 1);
  });

  it('the typology block: a map by type with the types as legend and no city value', async () => {
    const [doc] = await resolveReports(db, ANONYMOUS, 'analysen', [{ area }]);
    const b = blockOf(doc.sections[0].blocks, 'typen', 'map');
    assert.equal(b.legend.length, 4);
    assert.ok(b.legend.every((l, i) => l.label.startsWith(`Typ ${i + 1}: `)));
    assert.equal(b.areas.length, 38);
    assert.ok(b.areas.every((a) => a.klass !== null && /^Typ [1-4]$/.test(a.cell.text)));
    assert.equal(b.city, null);
    assert.equal(b.highlight, area);
  });

  it('the facilities block: the facilities of the area with their capacity, as the facility list has them', async () => {
    const [doc] = await resolveReports(db, ANONYMOUS, 'analysen', [{ area }]);
    const b = blockOf(doc.sections[0].blocks, 'kitas', 'facilities');
    const fc = await facilitiesGeoJson(db, ANONYMOUS, { set: DEMO_FACILITY_SET.key, layer: 'stadtteil', area });
    assert.equal(b.rows.length, fc.count);
    assert.ok(b.rows.length > 0);
    const total = fc.features.reduce((t, f) => t + (f.properties.capacity ?? 0), 0);
    assert.equal(b.capacity, new Intl.NumberFormat('de-DE').format(total));
    assert.deepEqual(
      b.sets.map((x) => x.key),
      [DEMO_FACILITY_SET.key],
    );
  });

  it('HTML and DOCX show the same figures, the index with its chart', async () => {
    const [doc] = await resolveReports(db, ANONYMOUS, 'analysen', [{ area }]);
    const html = renderHtml(doc, await designOf(db));
    const b = blockOf(doc.sections[0].blocks, 'index-gebiet', 'index');
    const f = blockOf(doc.sections[0].blocks, 'kitas', 'facilities');
    assert.match(html, /Beiträge der \d+ Kennzahlen zum Indexwert/, 'the chart with its alternative text');
    const [docx] = await renderReport(db, ANONYMOUS, 'analysen', { area, format: 'docx' });
    const xml = strFromU8(unzipSync(docx.bytes)['word/document.xml']);
    for (const text of [
      b.area!.score,
      ...b.components.map((x) => x.contributionText),
      ...b.components.map((x) => x.value.text),
      f.capacity!,
      ...f.rows.map((r) => r.name),
    ]) {
      assert.ok(html.includes(text.replace(/&/g, '&amp;')), `HTML shows ${text}`);
      assert.ok(xml.includes(text.replace(/&/g, '&amp;')), `DOCX shows ${text}`);
    }
  });

  it('a deleted index or typology is a problem of its block, and a missing field is refused on save', async () => {
    assert.deepEqual(await validateReport(db, SYSTEM, 'analysen'), []);
    const broken: ReportDefinition = {
      ...DEF,
      sections: [
        {
          title: 'x',
          blocks: [
            { key: 'i', spec: { type: 'index', title: 'Index', index: 'gibtsnicht' } },
            { key: 't', spec: { type: 'typology', title: 'Typen', typology: 'gibtsnicht' } },
          ],
        },
      ],
    };
    await saveReport(db, SYSTEM, 'analysen', broken);
    const problems = await validateReport(db, SYSTEM, 'analysen');
    assert.deepEqual(
      problems.map((p) => p.block),
      ['i', 't'],
    );
    assert.match(problems[0].reason, /index "gibtsnicht" does not exist/);
    assert.match(problems[1].reason, /gibtsnicht_typ/);
    const missing = {
      ...DEF,
      sections: [
        {
          title: 'x',
          blocks: [
            { key: 'm', spec: { type: 'map', title: 'Karte', layer: 'stadtteil' } },
            { key: 'f', spec: { type: 'facilities', title: 'Kitas', layer: 'stadtteil' } },
          ],
        },
      ],
    } as unknown as ReportDefinition;
    assert.deepEqual(checkDefinition(missing), ['block "m": "indicator" is missing', 'block "f": "area" is missing']);
    await assert.rejects(
      saveReport(db, SYSTEM, 'analysen', missing),
      (e: unknown) => e instanceof InputRejected && /"indicator" is missing/.test(e.message),
    );
    await saveReport(db, SYSTEM, 'analysen', DEF);
  });
});
