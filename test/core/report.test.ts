// The pure parts of reports (issue 16): the Markdown subset, placeholders, parameters, the
// definition check, the corporate design and the charts' SVG.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseMarkdown,
  placeholderIndicators,
  placeholdersIn,
  replacePlaceholders,
} from '../../src/core/report/markdown.ts';
import { bindParams, checkDefinition, type ReportDefinition, type ResolvedBlock } from '../../src/core/report/model.ts';
import { DEFAULT_DESIGN, designFrom } from '../../src/core/report/design.ts';
import { barChart, mapChart } from '../../src/core/report/charts.ts';
import { SHIPPED_TEMPLATES } from '../../src/core/report/templates.ts';

describe('report core', () => {
  it('parses the Markdown subset: headings, paragraphs, lists, bold and italic; no raw HTML', () => {
    const md = parseMarkdown(
      '### Titel\n\nEin **fetter** und *kursiver* Satz\nüber zwei Zeilen.\n\n- eins\n- zwei\n\n1. erstens\n\n<script>x</script>',
    );
    assert.deepEqual(md[0], { kind: 'heading', level: 3, inlines: [{ text: 'Titel' }] });
    assert.deepEqual(md[1], {
      kind: 'paragraph',
      inlines: [
        { text: 'Ein ' },
        { text: 'fetter', bold: true },
        { text: ' und ' },
        { text: 'kursiver', italic: true },
        { text: ' Satz über zwei Zeilen.' },
      ],
    });
    assert.deepEqual(md[2], { kind: 'list', ordered: false, items: [[{ text: 'eins' }], [{ text: 'zwei' }]] });
    assert.deepEqual(md[3], { kind: 'list', ordered: true, items: [[{ text: 'erstens' }]] });
    // Raw HTML is text: the renderers escape it.
    assert.deepEqual(md[4], { kind: 'paragraph', inlines: [{ text: '<script>x</script>' }] });
  });

  it('finds and replaces placeholders', () => {
    const text = 'A {{ value anteil_unter6 area=0101 }} B {{name area=$area}} C {{ period einwohner }}';
    assert.deepEqual(placeholdersIn(text), [
      { fn: 'value', arg: 'anteil_unter6', options: { area: '0101' } },
      { fn: 'name', arg: null, options: { area: '$area' } },
      { fn: 'period', arg: 'einwohner', options: {} },
    ]);
    assert.deepEqual(placeholderIndicators(text), ['anteil_unter6', 'einwohner']);
    assert.equal(
      replacePlaceholders(text, (p, i) => `${p.fn}${i}`),
      'A value0 B name1 C period2',
    );
  });

  it('binds parameters in every string of a spec', () => {
    assert.deepEqual(
      bindParams(
        { area: '$area', areas: ['$area', '0102'], markdown: '{{ value x area=$area }}', n: 3, other: '$unknown' },
        { area: '0101' },
      ),
      {
        area: '0101',
        areas: ['0101', '0102'],
        markdown: '{{ value x area=0101 }}',
        n: 3,
        other: '$unknown',
      },
    );
  });

  it('checks definitions: the shipped templates are fine, duplicate block keys are not', () => {
    for (const t of SHIPPED_TEMPLATES) assert.deepEqual(checkDefinition(t.definition), [], t.key);
    const d: ReportDefinition = {
      key: 'Bad Key',
      title: ' ',
      owner: null,
      parameters: [],
      sections: [
        {
          title: 'A',
          blocks: [
            { key: 'x', spec: { type: 'text', markdown: '' } },
            { key: 'x', spec: { type: 'text', markdown: '' } },
          ],
        },
      ],
    };
    const problems = checkDefinition(d);
    assert.equal(problems.length, 3);
    assert.ok(problems.some((p) => p.includes('"x" is used twice')));
  });

  it('takes the corporate design from a setting, keeping the KERN-like default for what is missing or malformed', () => {
    assert.deepEqual(designFrom(null), DEFAULT_DESIGN);
    const d = designFrom({
      organisation: 'Stadt Beispiel',
      colors: { primary: '#112233', accent: 'red' },
      logoSvg: '<img src=x>',
    });
    assert.equal(d.organisation, 'Stadt Beispiel');
    assert.equal(d.colors.primary, '#112233');
    assert.equal(d.colors.accent, DEFAULT_DESIGN.colors.accent);
    assert.equal(d.logoSvg, null);
    assert.equal(d.font, 'Fira Sans');
  });

  it('draws charts as SVG with a title and alternative text, escaping names; areas without a value hatched', () => {
    const ind = {
      key: 'q',
      name: 'Quote',
      unit: '%',
      decimals: 1,
      polarity: 'neutral',
      source: null,
      period: '2024-12-31',
      referenceDate: '2024-12-31',
      methodology: null,
    };
    const bar: Extract<ResolvedBlock, { type: 'data' }> = {
      key: 'b',
      type: 'data',
      title: 'Quote <nach> Gebiet',
      view: 'bar',
      indicators: [ind],
      columns: ['Quote'],
      rows: [
        { code: '1', name: 'A & B', cells: [{ value: 12.5, status: 'final', text: '12,5 %' }] },
        { code: '2', name: 'C', cells: [{ value: null, status: 'suppressed', text: '.' }] },
      ],
      city: { name: 'Gesamtstadt', cells: [{ value: 10, status: 'final', text: '10,0 %' }] },
    };
    const s = barChart(bar, DEFAULT_DESIGN);
    assert.match(s.svg, /^<svg [^>]*role="img"/);
    assert.match(s.svg, /<title>Quote &lt;nach&gt; Gebiet<\/title>/);
    assert.match(s.svg, /A &amp; B/);
    assert.match(s.svg, /stroke-dasharray/); // the city line
    assert.match(s.alt, /Balkendiagramm: Quote für 2 Gebiete/);
    const map = mapChart(
      {
        key: 'm',
        type: 'map',
        title: 'Karte',
        indicator: ind,
        layerName: 'Stadtteile',
        areas: [
          {
            code: '1',
            name: 'A',
            path: 'M0,0L10,0L10,10Z',
            cell: { value: 1, status: 'final', text: '1,0 %' },
            klass: 0,
          },
          {
            code: '2',
            name: 'B',
            path: 'M10,0L20,0L20,10Z',
            cell: { value: null, status: 'suppressed', text: '.' },
            klass: null,
          },
        ],
        legend: [{ label: 'alle Werte', color: '#4292c6' }],
        highlight: '1',
        city: null,
      },
      DEFAULT_DESIGN,
    );
    assert.match(map.svg, /fill="#4292c6"/);
    assert.match(map.svg, /fill="url\(#hatch-m\)"/);
    assert.match(map.alt, /nach Stadtteilen, 1 Klasse, hervorgehoben A/);
  });
});
