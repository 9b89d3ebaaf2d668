// Reports as DOCX (the `docx` library): real heading styles (Heading 1–4, so Word's navigation
// and table of contents work), real tables with a repeated header row, charts and maps as
// pictures with alternative text followed by their data table, and editable text. Opens in
// Word and LibreOffice. The same resolved document as HTML and PDF, so the same numbers.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import type { ReportDesign } from '../core/report/design.ts';
import {
  SYMBOL_LEGEND,
  footnoteMark,
  type Cell,
  type DocIndicator,
  type ResolvedBlock,
  type ResolvedReport,
} from '../core/report/model.ts';
import type { Inline, MdBlock } from '../core/report/markdown.ts';
import { chartOf } from '../core/report/charts.ts';
import { formatPeriod } from '../contracts/format.ts';
import { documentDate, documentTitle, measuresSummary } from './report-html.ts';

/**
 * The charts' pictures, by their SVG (rasterised beforehand, all of a run at once: see
 * chartsOfDocuments); a chart without a picture is left out and its table stays.
 */
export type Pictures = ReadonlyMap<string, Buffer>;

export interface ChartPicture {
  svg: string;
  width: number;
  height: number;
}

/** Every chart the documents draw, each SVG once (the combined file repeats the documents'). */
export function chartsOfDocuments(docs: ResolvedReport[], d: ReportDesign): ChartPicture[] {
  const seen = new Map<string, ChartPicture>();
  for (const doc of docs)
    for (const s of doc.sections)
      for (const b of s.blocks) {
        const c = chartOf(b, d);
        if (c && !seen.has(c.svg)) seen.set(c.svg, { svg: c.svg, width: c.width, height: c.height });
      }
  return [...seen.values()];
}

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
];

function heading(text: string, level: number): Paragraph {
  return new Paragraph({ text, heading: HEADINGS[Math.max(0, Math.min(5, level - 1))] });
}

function runs(xs: Inline[]): TextRun[] {
  return xs.map((x) => new TextRun({ text: x.text, bold: x.bold, italics: x.italic }));
}

function markdown(blocks: MdBlock[], h: number): Paragraph[] {
  const out: Paragraph[] = [];
  for (const b of blocks) {
    if (b.kind === 'heading')
      out.push(new Paragraph({ children: runs(b.inlines), heading: HEADINGS[Math.min(5, h + b.level - 4)] }));
    else if (b.kind === 'paragraph') out.push(new Paragraph({ children: runs(b.inlines) }));
    else
      b.items.forEach((item, i) =>
        out.push(
          new Paragraph({
            children: b.ordered ? [new TextRun(`${i + 1}. `), ...runs(item)] : runs(item),
            bullet: b.ordered ? undefined : { level: 0 },
          }),
        ),
      );
  }
  return out;
}

function cellPara(text: string, o: { bold?: boolean; right?: boolean } = {}): Paragraph {
  return new Paragraph({
    children: [new TextRun({ text, bold: o.bold })],
    alignment: o.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
  });
}

function table(d: ReportDesign, head: string[], rows: { name: string; cells: string[]; city?: boolean }[]): Table {
  const fill = d.colors.tableHead.slice(1);
  const border = { style: BorderStyle.SINGLE, size: 4, color: d.colors.rule.slice(1) };
  const borders = { top: border, bottom: border, left: border, right: border };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({
        tableHeader: true,
        children: head.map(
          (x, i) =>
            new TableCell({
              borders,
              shading: { type: ShadingType.CLEAR, fill, color: 'auto' },
              children: [cellPara(x, { bold: true, right: i > 0 })],
            }),
        ),
      }),
      ...rows.map(
        (r) =>
          new TableRow({
            cantSplit: true,
            children: [
              new TableCell({ borders, children: [cellPara(r.name, { bold: r.city })] }),
              ...r.cells.map((c) => new TableCell({ borders, children: [cellPara(c, { bold: r.city, right: true })] })),
            ],
          }),
      ),
    ],
  });
}

function caption(text: string): Paragraph {
  return new Paragraph({ children: [new TextRun({ text, bold: true })], keepNext: true, spacing: { before: 160 } });
}

function notes(d: ReportDesign, inds: DocIndicator[]): Paragraph[] {
  const seen = new Set<string>();
  const out: Paragraph[] = [];
  for (const i of inds) {
    const line = `${i.name}: ${i.unit ? `${i.unit}, ` : ''}Stand ${formatPeriod(i.period)}${i.source ? `; Quelle: ${i.source}` : ''}`;
    if (seen.has(line)) continue;
    seen.add(line);
    out.push(new Paragraph({ children: [new TextRun({ text: line, size: 16, color: d.colors.muted.slice(1) })] }));
  }
  return out;
}

const t = (c: Cell) => c.text;

function picture(b: ResolvedBlock, d: ReportDesign, pictures: Pictures | undefined): Paragraph[] {
  const c = chartOf(b, d);
  const png = c && pictures?.get(c.svg);
  if (!c || !png) return [];
  // About 16 cm wide at most.
  const w = Math.min(600, c.width);
  const h = Math.round((c.height * w) / c.width);
  return [
    new Paragraph({
      children: [
        new ImageRun({
          type: 'png',
          data: png,
          transformation: { width: w, height: h },
          altText: { title: ('title' in b ? b.title : null) ?? '', description: c.alt, name: b.key },
        }),
      ],
    }),
  ];
}

function block(b: ResolvedBlock, d: ReportDesign, h: number, pictures: Pictures | undefined): (Paragraph | Table)[] {
  switch (b.type) {
    case 'text':
      return markdown(b.content, h);
    case 'key-figure': {
      const out: (Paragraph | Table)[] = b.title ? [heading(b.title, h)] : [];
      out.push(
        table(
          d,
          ['Kennzahl', b.areaName, 'Veränderung', 'Gesamtstadt'],
          b.tiles.map((x) => ({
            name: `${x.indicator.name} (Stand ${formatPeriod(x.indicator.period)})`,
            cells: [
              x.value.text,
              x.earlier ? `gegenüber ${x.earlier.period}: ${x.earlier.change ?? x.earlier.value.text}` : '',
              x.city ? `${x.city.text}${x.againstCity ? ` (Abstand ${x.againstCity})` : ''}` : '',
            ],
          })),
        ),
      );
      return [
        ...out,
        ...notes(
          d,
          b.tiles.map((x) => x.indicator),
        ),
      ];
    }
    case 'data': {
      const rows = [
        ...b.rows.map((r) => ({ name: r.name, cells: r.cells.map(t) })),
        ...(b.city ? [{ name: b.city.name, cells: b.city.cells.map(t), city: true }] : []),
      ];
      return [
        heading(b.title, h),
        ...picture(b, d, pictures),
        caption(b.view === 'line' ? `${b.title} (${b.indicators[0]?.unit ?? ''})` : b.title),
        table(d, ['Gebiet', ...b.columns], rows),
        ...notes(d, b.indicators),
      ];
    }
    case 'spine': {
      const f = (x: number | null, dec: number | null) =>
        x === null
          ? '…'
          : new Intl.NumberFormat('de-DE', { minimumFractionDigits: dec ?? 1, maximumFractionDigits: dec ?? 1 }).format(
              x,
            );
      return [
        heading(b.title, h),
        ...picture(b, d, pictures),
        caption(`${b.title}: Werte`),
        table(
          d,
          ['Kennzahl', b.areaName, 'Gesamtstadt', 'Spannweite der Gebiete'],
          b.rows.map((r) => ({
            name: r.indicator.name,
            cells: [r.value.text, r.city.text, `${f(r.min, r.indicator.decimals)} – ${f(r.max, r.indicator.decimals)}`],
          })),
        ),
        ...notes(
          d,
          b.rows.map((r) => r.indicator),
        ),
      ];
    }
    case 'map': {
      const legend = b.legend.map((l) => l.label).join(' · ');
      return [
        heading(b.title, h),
        ...picture(b, d, pictures),
        new Paragraph({
          children: [
            new TextRun({
              text: `Legende: ${legend}${b.areas.some((a) => a.klass === null) ? ' · schraffiert: kein Wert' : ''}`,
              size: 18,
            }),
          ],
        }),
        caption(`${b.title}: Werte`),
        table(
          d,
          ['Gebiet', b.indicator.name],
          [
            ...b.areas.map((a) => ({ name: a.name, cells: [a.cell.text] })),
            ...(b.city ? [{ name: 'Gesamtstadt', cells: [b.city.text], city: true }] : []),
          ],
        ),
        ...notes(d, [b.indicator]),
      ];
    }
    case 'profile': {
      const out: (Paragraph | Table)[] = [heading(b.title, h)];
      for (const th of b.themes) {
        out.push(caption(th.theme));
        out.push(
          table(
            d,
            ['Kennzahl', b.areaName, 'Gesamtstadt', 'Rang', 'Stand'],
            th.rows.map((r) => ({
              name: `${r.indicator.name}${r.indicator.unit && r.indicator.unit.length > 3 ? ` (${r.indicator.unit})` : ''}`,
              cells: [r.value.text, r.city.text, r.rank, formatPeriod(r.indicator.period)],
            })),
          ),
        );
      }
      return out;
    }
    case 'index': {
      const intro = new Paragraph(
        `${b.name}: ${b.layerName}, Stand ${formatPeriod(b.period)}.${b.classes.length ? ` Klassen: ${b.classes.join(', ')}.` : ''}`,
      );
      if (b.area) {
        const a = b.area;
        return [
          heading(b.title, h),
          intro,
          new Paragraph({
            children: [
              new TextRun({
                text: `${a.name}: ${a.excluded ? `kein Indexwert (${a.excluded})` : `Indexwert ${a.score}${a.label ? `, Klasse „${a.label}“` : ''}, Rang ${a.rank}`}`,
                bold: true,
              }),
            ],
          }),
          ...picture(b, d, pictures),
          caption(`${b.title}: Kennzahlen und ihr Beitrag`),
          table(
            d,
            ['Kennzahl', 'Gewicht', 'Richtung', a.name, 'Beitrag'],
            b.components.map((x) => ({
              name: x.indicator.name,
              cells: [
                x.weightText,
                x.direction === 1 ? 'höher = mehr Bedarf' : 'höher = weniger Bedarf',
                x.value.text,
                x.contributionText,
              ],
            })),
          ),
          ...notes(
            d,
            b.components.map((x) => x.indicator),
          ),
        ];
      }
      return [
        heading(b.title, h),
        intro,
        caption(`${b.title}: alle Gebiete nach Rang`),
        table(
          d,
          ['Gebiet', 'Rang', 'Indexwert', 'Klasse'],
          b.ranking.map((r) => ({
            name: r.name,
            cells: [r.rank === null ? '–' : String(r.rank), r.excluded ? `– (${r.excluded})` : r.score, r.label ?? '–'],
          })),
        ),
      ];
    }
    case 'facilities': {
      const from = b.sets.map((x) => `${x.name}${x.period ? `, Stand ${formatPeriod(x.period)}` : ''}`).join('; ');
      const out: (Paragraph | Table)[] = [heading(b.title, h)];
      if (b.rows.length) {
        out.push(
          new Paragraph(
            `${b.rows.length} Einrichtung${b.rows.length === 1 ? '' : 'en'} in ${b.areaName}${b.capacity !== null ? ` mit zusammen ${b.capacity} Plätzen${b.withoutCapacity ? ` (${b.withoutCapacity} ohne Angabe)` : ''}` : ''}.`,
          ),
        );
        out.push(
          caption(b.title),
          table(
            d,
            ['Einrichtung', 'Art', 'Plätze'],
            b.rows.map((r) => ({ name: r.name, cells: [r.category ?? '–', r.capacity ?? '–'] })),
          ),
        );
      } else out.push(new Paragraph(`Keine Einrichtungen in ${b.areaName}.`));
      if (from)
        out.push(
          new Paragraph({
            children: [new TextRun({ text: `Quelle: ${from}`, size: 16, color: d.colors.muted.slice(1) })],
          }),
        );
      return out;
    }
    case 'topics': {
      if (!b.topics.length)
        return [heading(b.title, h), new Paragraph(`Im Jugendforum gibt es für ${b.areaName} noch keine Themen.`)];
      return [
        heading(b.title, h),
        caption(b.title),
        table(
          d,
          ['Thema', 'Unterstützungen', 'Stand der Antwort', 'Antwort'],
          b.topics.map((x) => ({
            name: x.title,
            cells: [
              x.supports,
              `${x.department}: ${x.status}${x.due ? `, bis ${x.due}${x.overdue ? ' (überfällig)' : ''}` : ''}`,
              [x.answer, x.reasons ? `Gründe: ${x.reasons}` : null].filter(Boolean).join(' '),
            ],
          })),
        ),
      ];
    }
    case 'measures': {
      const out: (Paragraph | Table)[] = [heading(b.title, h), new Paragraph(measuresSummary(b))];
      if (b.rows.length)
        out.push(
          caption(b.title),
          table(
            d,
            ['Maßnahme', 'Fachbereich', 'Stand', 'Laufzeit', 'Handlungsfelder', 'Mittel (geplant)'],
            b.rows.map((r) => ({
              name: r.title,
              cells: [r.department, r.status, r.period, r.fields || '–', r.budget ?? '–'],
            })),
          ),
        );
      return out;
    }
  }
}

function body(doc: ResolvedReport, d: ReportDesign, h: number, pictures: Pictures | undefined): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  if (h === 1)
    out.push(
      new Paragraph({ children: [new TextRun({ text: doc.publisher, bold: true, color: d.colors.primary.slice(1) })] }),
    );
  out.push(heading(h === 1 ? doc.title : documentTitle(doc), h));
  if (h === 1 && doc.subtitle) out.push(new Paragraph({ text: doc.subtitle, heading: HeadingLevel.TITLE }));
  out.push(
    new Paragraph({
      children: [
        new TextRun({
          text: `${documentDate(doc)}${doc.release?.changeNote ? ` · Änderung: ${doc.release.changeNote}` : ''}`,
          color: d.colors.muted.slice(1),
        }),
      ],
    }),
  );
  for (const s of doc.sections) {
    out.push(heading(s.title, h + 1));
    for (const b of s.blocks) {
      out.push(...block(b, d, h + 2, pictures));
      for (const [i, f] of (b.footnotes ?? []).entries())
        out.push(
          new Paragraph({
            children: [new TextRun({ text: `${footnoteMark(i + 1)} ${f}`, size: 16, color: d.colors.muted.slice(1) })],
          }),
        );
    }
  }
  out.push(heading('Zeichenerklärung und Quellen', h + 1));
  for (const s of doc.symbols.length ? doc.symbols : (['suppressed', 'provisional', 'estimated'] as const))
    out.push(
      new Paragraph({
        children: [
          new TextRun({ text: SYMBOL_LEGEND[s].symbol, bold: true }),
          new TextRun(` = ${SYMBOL_LEGEND[s].de}`),
        ],
        bullet: { level: 0 },
      }),
    );
  out.push(new Paragraph('Quellen:'));
  for (const s of doc.sources) out.push(new Paragraph({ text: s, bullet: { level: 0 } }));
  return out;
}

function footer(d: ReportDesign, date: string): Footer {
  const children: ParagraphChild[] = [
    new TextRun(`${d.footer} · ${date} · Seite `),
    new TextRun({ children: [PageNumber.CURRENT] }),
    new TextRun(' von '),
    new TextRun({ children: [PageNumber.TOTAL_PAGES] }),
  ];
  return new Footer({ children: [new Paragraph({ children, alignment: AlignmentType.LEFT })] });
}

function wordDocument(title: string, d: ReportDesign, date: string, children: (Paragraph | Table)[]): Document {
  return new Document({
    title,
    creator: d.organisation,
    description: title,
    styles: {
      default: {
        document: { run: { font: d.font, size: 21, language: { value: 'de-DE' } } },
        heading1: { run: { color: d.colors.primary.slice(1), bold: true, size: 36 } },
        heading2: { run: { color: d.colors.primary.slice(1), bold: true, size: 30 } },
        heading3: { run: { bold: true, size: 25 } },
        heading4: { run: { bold: true, size: 22 } },
      },
    },
    sections: [{ footers: { default: footer(d, date) }, children }],
  });
}

/** One report document as a DOCX file. */
export async function renderDocx(doc: ResolvedReport, d: ReportDesign, pictures?: Pictures): Promise<Buffer> {
  return Packer.toBuffer(wordDocument(documentTitle(doc), d, documentDate(doc), body(doc, d, 1, pictures)));
}

/** Several documents in one DOCX, each starting on a new page, with a list of contents. */
export async function renderCombinedDocx(
  title: string,
  docs: ResolvedReport[],
  d: ReportDesign,
  pictures?: Pictures,
): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    heading(title, 1),
    heading('Inhalt', 2),
    ...docs.map((x) => new Paragraph({ text: x.subtitle ?? x.title, bullet: { level: 0 } })),
  ];
  for (const x of docs) {
    children.push(new Paragraph({ children: [new PageBreak()] }));
    children.push(...body(x, d, 2, pictures));
  }
  return Packer.toBuffer(wordDocument(title, d, docs[0] ? documentDate(docs[0]) : '', children));
}
