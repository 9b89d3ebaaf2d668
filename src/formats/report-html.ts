// Reports as HTML: one self-contained page per document (fonts embedded, charts inline SVG, no
// network), in the installation's corporate design; phone-first, with print styles. The PDF is
// this same page printed by Chromium, so the two cannot differ.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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
import { chartOf, esc } from '../core/report/charts.ts';
import { formatDate, formatPeriod } from '../contracts/format.ts';

let fontCss: string | null = null;

/** @font-face rules with Fira Sans (from @kern-ux/native) as data URLs: the page needs no network. */
function embeddedFontCss(): string {
  if (fontCss !== null) return fontCss;
  let css = '';
  try {
    const dir = join(
      dirname(createRequire(import.meta.url).resolve('@kern-ux/native/package.json')),
      'dist',
      'fonts',
      'fira-sans',
    );
    for (const [file, weight, style] of [
      ['FiraSans-Regular.woff2', 400, 'normal'],
      ['FiraSans-Italic.woff2', 400, 'italic'],
      ['FiraSans-SemiBold.woff2', 600, 'normal'],
    ] as const) {
      const b64 = readFileSync(join(dir, file)).toString('base64');
      css += `@font-face{font-family:'Fira Sans';src:url(data:font/woff2;base64,${b64}) format('woff2');font-weight:${weight};font-style:${style};}\n`;
    }
  } catch {
    // Without the package the system's sans-serif font is used (DejaVu Sans on Debian).
  }
  fontCss = css;
  return css;
}

function styles(d: ReportDesign): string {
  const c = d.colors;
  return `
:root{--primary:${c.primary};--accent:${c.accent};--text:${c.text};--muted:${c.muted};--rule:${c.rule};--head:${c.tableHead}}
*{box-sizing:border-box}
html{font-family:'${d.font}','DejaVu Sans',sans-serif;color:var(--text);font-size:16px;line-height:1.45}
body{margin:0 auto;max-width:60rem;padding:1rem}
header.cover{border-top:.5rem solid var(--primary);padding:1rem 0 1.5rem;margin-bottom:1rem;border-bottom:1px solid var(--rule)}
.org{font-weight:600;color:var(--primary);margin:0 0 .5rem}
h1{font-size:2rem;margin:.25rem 0;color:var(--primary);font-weight:600}
h2{font-size:1.5rem;color:var(--primary);border-bottom:2px solid var(--primary);padding-bottom:.2rem;margin:2rem 0 1rem;font-weight:600}
h3{font-size:1.2rem;margin:1.5rem 0 .5rem;font-weight:600}
h4{font-size:1.05rem;margin:1rem 0 .5rem;font-weight:600}
.subtitle{font-size:1.3rem;margin:.25rem 0}
.meta,.note{color:var(--muted);font-size:.875rem}
.footnotes{list-style:none;padding:0;margin:.25rem 0 1rem;color:var(--muted);font-size:.875rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(13rem,1fr));gap:.75rem;margin:1rem 0}
.tile{border:1px solid var(--rule);border-left:.35rem solid var(--primary);padding:.6rem .8rem;break-inside:avoid}
.tile p{margin:.1rem 0}.tile .name{font-weight:600}.tile .value{font-size:1.75rem;font-weight:600;color:var(--primary)}
figure{margin:1rem 0;break-inside:avoid}figure svg{max-width:100%;height:auto}
figcaption{font-weight:600;margin-bottom:.4rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.875rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border-bottom:1px solid var(--rule);padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--head);border-bottom:2px solid var(--primary)}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.city td,tr.city th{font-weight:600;border-top:2px solid var(--primary)}
ul.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.875rem}
ul.legend li{display:flex;align-items:center;gap:.35rem}
.swatch{display:inline-block;width:1.1rem;height:.8rem;border:1px solid #999}
.swatch.hatch{background:repeating-linear-gradient(45deg,#f2f2f2 0 2px,#888 2px 3px)}
nav.toc ol{padding-left:1.2rem}nav.toc a{color:var(--primary)}nav.toc .page{float:right}
article.report+article.report{break-before:page}
@media (max-width:40rem){html{font-size:15px}h1{font-size:1.6rem}.tile .value{font-size:1.5rem}}
@media print{html{font-size:10.5pt}body{max-width:none;padding:0}h2{break-after:avoid}h3,h4,caption,figcaption{break-after:avoid}tr{break-inside:avoid}.table-wrap{overflow:visible}a{color:inherit;text-decoration:none}}
@page{size:A4;margin:18mm 16mm 20mm}
`;
}

function inline(xs: Inline[]): string {
  return xs
    .map((x) => (x.bold ? `<strong>${esc(x.text)}</strong>` : x.italic ? `<em>${esc(x.text)}</em>` : esc(x.text)))
    .join('');
}

function markdown(blocks: MdBlock[], h: number): string {
  return blocks
    .map((b) => {
      if (b.kind === 'heading')
        return `<h${Math.min(6, h + b.level - 3)}>${inline(b.inlines)}</h${Math.min(6, h + b.level - 3)}>`;
      if (b.kind === 'paragraph') return `<p>${inline(b.inlines)}</p>`;
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>${b.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${tag}>`;
    })
    .join('\n');
}

function td(c: Cell): string {
  return `<td class="num">${esc(c.text)}</td>`;
}

function notes(inds: DocIndicator[]): string {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const i of inds) {
    const line = `${i.name}: ${i.unit ? `${i.unit}, ` : ''}Stand ${formatPeriod(i.period)}${i.source ? `; Quelle: ${i.source}` : ''}`;
    if (!seen.has(line)) parts.push(esc(line));
    seen.add(line);
  }
  return parts.length ? `<p class="note">${parts.join('<br>')}</p>` : '';
}

function table(caption: string, head: string[], rows: { name: string; cells: Cell[]; city?: boolean }[]): string {
  return (
    `<div class="table-wrap" tabindex="0" role="region" aria-label="${esc(caption)}"><table><caption>${esc(caption)}</caption><thead><tr>${head.map((x, i) => `<th scope="col"${i ? ' class="num"' : ''}>${esc(x)}</th>`).join('')}</tr></thead><tbody>` +
    rows
      .map(
        (r) =>
          `<tr${r.city ? ' class="city"' : ''}><th scope="row">${esc(r.name)}</th>${r.cells.map(td).join('')}</tr>`,
      )
      .join('') +
    `</tbody></table></div>`
  );
}

function figure(b: ResolvedBlock, d: ReportDesign, title: string): string {
  const c = chartOf(b, d);
  if (!c) return '';
  // The SVG's own <title> names the chart; the alternative text describes it for screen readers.
  const svg = c.svg.replace('role="img"', `role="img" aria-label="${esc(c.alt)}"`);
  return `<figure><figcaption>${esc(title)}</figcaption>${svg}</figure>`;
}

/** A block's footnotes under it, each with its superscript number. */
function footnotesHtml(b: ResolvedBlock): string {
  if (!b.footnotes?.length) return '';
  return `<ol class="footnotes" aria-label="Fußnoten">${b.footnotes.map((f, i) => `<li>${esc(`${footnoteMark(i + 1)} ${f}`)}</li>`).join('')}</ol>`;
}

function blockHtml(b: ResolvedBlock, d: ReportDesign, h: number): string {
  switch (b.type) {
    case 'text':
      return markdown(b.content, h);
    case 'key-figure':
      return (
        (b.title ? `<h${h}>${esc(b.title)}</h${h}>` : '') +
        `<div class="tiles">` +
        b.tiles
          .map(
            (t) =>
              `<div class="tile"><p class="name">${esc(t.indicator.name)}</p><p class="value">${esc(t.value.text)}</p>` +
              `<p class="meta">${esc(b.areaName)}, Stand ${esc(formatPeriod(t.indicator.period))}</p>` +
              (t.earlier
                ? `<p>${esc(`gegenüber ${t.earlier.period}: ${t.earlier.change ?? t.earlier.value.text}`)}</p>`
                : '') +
              (t.city
                ? `<p>${esc(`Gesamtstadt: ${t.city.text}${t.againstCity ? ` (Abstand ${t.againstCity})` : ''}`)}</p>`
                : '') +
              `</div>`,
          )
          .join('') +
        `</div>` +
        notes(b.tiles.map((t) => t.indicator))
      );
    case 'data': {
      const head = [b.view === 'line' ? 'Gebiet' : 'Gebiet', ...b.columns];
      const rows = [...b.rows, ...(b.city ? [{ ...b.city, city: true }] : [])];
      return (
        `<h${h}>${esc(b.title)}</h${h}>` +
        figure(b, d, b.title) +
        table(b.view === 'line' ? `${b.title} (${b.indicators[0]?.unit ?? ''})` : b.title, head, rows) +
        notes(b.indicators)
      );
    }
    case 'spine':
      return (
        `<h${h}>${esc(b.title)}</h${h}>` +
        figure(b, d, b.title) +
        `<div class="table-wrap" tabindex="0" role="region" aria-label="${esc(`${b.title}: Werte`)}"><table><caption>${esc(`${b.title}: Werte`)}</caption><thead><tr><th scope="col">Kennzahl</th><th scope="col" class="num">${esc(b.areaName)}</th><th scope="col" class="num">Gesamtstadt</th><th scope="col" class="num">Spannweite der Gebiete</th></tr></thead><tbody>` +
        b.rows
          .map((r) => {
            const f = (x: number | null) =>
              x === null
                ? '…'
                : new Intl.NumberFormat('de-DE', {
                    minimumFractionDigits: r.indicator.decimals ?? 1,
                    maximumFractionDigits: r.indicator.decimals ?? 1,
                  }).format(x);
            return `<tr><th scope="row">${esc(r.indicator.name)}</th>${td(r.value)}${td(r.city)}<td class="num">${esc(`${f(r.min)} – ${f(r.max)}`)}</td></tr>`;
          })
          .join('') +
        `</tbody></table></div>` +
        notes(b.rows.map((r) => r.indicator))
      );
    case 'map': {
      const missing = b.areas.some((a) => a.klass === null);
      return (
        `<h${h}>${esc(b.title)}</h${h}>` +
        figure(b, d, b.title) +
        `<ul class="legend" aria-label="Legende">${b.legend.map((l) => `<li><span class="swatch" style="background:${l.color}"></span>${esc(l.label)}</li>`).join('')}${missing ? '<li><span class="swatch hatch"></span>kein Wert (siehe Zeichen in der Tabelle)</li>' : ''}</ul>` +
        table(
          `${b.title}: Werte`,
          ['Gebiet', b.indicator.name],
          [
            ...b.areas.map((a) => ({ name: a.name, cells: [a.cell] })),
            ...(b.city ? [{ name: 'Gesamtstadt', cells: [b.city], city: true }] : []),
          ],
        ) +
        notes([b.indicator])
      );
    }
    case 'profile':
      return (
        `<h${h}>${esc(b.title)}</h${h}>` +
        b.themes
          .map(
            (t) =>
              `<div class="table-wrap" tabindex="0" role="region" aria-label="${esc(t.theme)}"><table><caption>${esc(t.theme)}</caption><thead><tr><th scope="col">Kennzahl</th><th scope="col" class="num">${esc(b.areaName)}</th><th scope="col" class="num">Gesamtstadt</th><th scope="col" class="num">Rang</th><th scope="col" class="num">Stand</th></tr></thead><tbody>` +
              t.rows
                .map(
                  (r) =>
                    `<tr><th scope="row">${esc(`${r.indicator.name}${r.indicator.unit && r.indicator.unit.length > 3 ? ` (${r.indicator.unit})` : ''}`)}</th>${td(r.value)}${td(r.city)}<td class="num">${esc(r.rank)}</td><td class="num">${esc(formatPeriod(r.indicator.period))}</td></tr>`,
                )
                .join('') +
              `</tbody></table></div>`,
          )
          .join('')
      );
    case 'index': {
      const text = (t: string): Cell => ({ value: null, status: 'final', text: t });
      const intro = `<p>${esc(`${b.name}: ${b.layerName}, Stand ${formatPeriod(b.period)}.`)}${b.classes.length ? esc(` Klassen: ${b.classes.join(', ')}.`) : ''}</p>`;
      if (b.area) {
        const a = b.area;
        return (
          `<h${h}>${esc(b.title)}</h${h}>` +
          intro +
          `<p class="index-score"><strong>${esc(a.name)}: ${esc(a.excluded ? `kein Indexwert (${a.excluded})` : `Indexwert ${a.score}${a.label ? `, Klasse „${a.label}“` : ''}, Rang ${a.rank}`)}</strong></p>` +
          figure(b, d, `${b.title}: Beiträge der Kennzahlen`) +
          table(
            `${b.title}: Kennzahlen und ihr Beitrag`,
            ['Kennzahl', 'Gewicht', 'Richtung', a.name, 'Beitrag'],
            b.components.map((x) => ({
              name: x.indicator.name,
              cells: [
                text(x.weightText),
                text(x.direction === 1 ? 'höher = mehr Bedarf' : 'höher = weniger Bedarf'),
                x.value,
                text(x.contributionText),
              ],
            })),
          ) +
          notes(b.components.map((x) => x.indicator))
        );
      }
      return (
        `<h${h}>${esc(b.title)}</h${h}>` +
        intro +
        table(
          `${b.title}: alle Gebiete nach Rang`,
          ['Gebiet', 'Rang', 'Indexwert', 'Klasse'],
          b.ranking.map((r) => ({
            name: r.name,
            cells: [
              text(r.rank === null ? '–' : String(r.rank)),
              text(r.excluded ? `– (${r.excluded})` : r.score),
              text(r.label ?? '–'),
            ],
          })),
        )
      );
    }
    case 'facilities': {
      const text = (t: string | null): Cell => ({ value: null, status: 'final', text: t ?? '–' });
      const from = b.sets.map((x) => `${x.name}${x.period ? `, Stand ${formatPeriod(x.period)}` : ''}`).join('; ');
      return (
        `<h${h}>${esc(b.title)}</h${h}>` +
        (b.rows.length
          ? `<p>${esc(`${b.rows.length} Einrichtung${b.rows.length === 1 ? '' : 'en'} in ${b.areaName}${b.capacity !== null ? ` mit zusammen ${b.capacity} Plätzen${b.withoutCapacity ? ` (${b.withoutCapacity} ohne Angabe)` : ''}` : ''}.`)}</p>` +
            table(
              b.title,
              ['Einrichtung', 'Art', 'Plätze'],
              b.rows.map((r) => ({ name: r.name, cells: [text(r.category), text(r.capacity)] })),
            )
          : `<p>${esc(`Keine Einrichtungen in ${b.areaName}.`)}</p>`) +
        (from ? `<p class="note">${esc(`Quelle: ${from}`)}</p>` : '')
      );
    }
    case 'topics':
      return (
        `<h${h}>${esc(b.title)}</h${h}>` +
        (b.topics.length
          ? `<ul class="topics">${b.topics
              .map(
                (x) =>
                  `<li><p><strong>${esc(x.title)}</strong> (eingebracht ${esc(x.raised)}; Unterstützungen: ${esc(x.supports)})</p>` +
                  `<p>${esc(`${x.department}: ${x.status}`)}${x.due ? esc(`, Antwort bis ${x.due}${x.overdue ? ' (überfällig)' : ''}`) : ''}</p>` +
                  (x.answer ? `<p>${esc(x.answer)}</p>` : '') +
                  (x.reasons ? `<p>${esc(`Gründe: ${x.reasons}`)}</p>` : '') +
                  `</li>`,
              )
              .join('')}</ul>`
          : `<p>${esc(`Im Jugendforum gibt es für ${b.areaName} noch keine Themen.`)}</p>`)
      );
    case 'measures': {
      const text = (t: string | null): Cell => ({ value: null, status: 'final', text: t ?? '–' });
      return (
        `<h${h}>${esc(b.title)}</h${h}>` +
        `<p>${esc(measuresSummary(b))}</p>` +
        (b.rows.length
          ? table(
              b.title,
              ['Maßnahme', 'Fachbereich', 'Stand', 'Laufzeit', 'Handlungsfelder', 'Mittel (geplant)'],
              b.rows.map((r) => ({
                name: r.title,
                cells: [text(r.department), text(r.status), text(r.period), text(r.fields || null), text(r.budget)],
              })),
            )
          : '')
      );
    }
  }
}

/** The document's title line: "Stadtteilprofil – Altstadt". */
export function documentTitle(doc: ResolvedReport): string {
  return doc.subtitle ? `${doc.title} – ${doc.subtitle}` : doc.title;
}

/** The date on the document: the release date, or the day the values were read. */
/** The sentence above a measures block: how many, where, when, which field, and the planned budget. */
export function measuresSummary(b: Extract<ResolvedBlock, { type: 'measures' }>): string {
  const field = b.field ? ` im Handlungsfeld „${b.field}“` : '';
  if (!b.rows.length) return `Keine Maßnahmen (${b.scope})${field} in ${b.areaName}.`;
  const n = b.rows.length === 1 ? '1 Maßnahme' : `${b.rows.length} Maßnahmen`;
  const money = b.budget
    ? ` mit zusammen ${b.budget} geplanten Mitteln${b.withoutBudget ? ` (${b.withoutBudget} ohne Angabe)` : ''}`
    : '';
  return `${n} (${b.scope})${field} in ${b.areaName}${money}.`;
}

export function documentDate(doc: ResolvedReport): string {
  return doc.release
    ? `Veröffentlichung ${doc.release.number} vom ${formatDate(doc.release.date)}`
    : `Entwurf, Datenstand ${formatDate(doc.asOf)}`;
}

function articleHtml(doc: ResolvedReport, d: ReportDesign, h: number, id?: string): string {
  const head =
    `<header class="cover"${id ? ` id="${esc(id)}"` : ''}>` +
    (h === 1
      ? `${d.logoSvg ? `<div class="logo" aria-hidden="true">${d.logoSvg}</div>` : ''}<p class="org">${esc(doc.publisher)}</p>`
      : '') +
    `<h${h}>${esc(h === 1 ? doc.title : documentTitle(doc))}</h${h}>` +
    (h === 1 && doc.subtitle ? `<p class="subtitle">${esc(doc.subtitle)}</p>` : '') +
    `<p class="meta">${esc(documentDate(doc))}${doc.release?.changeNote ? ` · Änderung: ${esc(doc.release.changeNote)}` : ''}</p></header>`;
  const body = doc.sections
    .map(
      (s) =>
        `<section><h${h + 1}>${esc(s.title)}</h${h + 1}>${s.blocks.map((b) => blockHtml(b, d, h + 2) + footnotesHtml(b)).join('\n')}</section>`,
    )
    .join('\n');
  const legend =
    `<section class="symbols"><h${h + 1}>Zeichenerklärung und Quellen</h${h + 1}>` +
    `<ul>${(doc.symbols.length ? doc.symbols : (['suppressed', 'provisional', 'estimated'] as const)).map((s) => `<li><strong>${esc(SYMBOL_LEGEND[s].symbol)}</strong> = ${esc(SYMBOL_LEGEND[s].de)}</li>`).join('')}</ul>` +
    `<p>Quellen:</p><ul>${doc.sources.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>` +
    `<p class="note">${esc(`${d.footer} · ${documentDate(doc)}`)}</p></section>`;
  return `<article class="report" lang="${doc.lang}">${head}<main>${body}${legend}</main></article>`;
}

function page(title: string, d: ReportDesign, body: string): string {
  return `<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${embeddedFontCss()}${styles(d)}</style></head><body>${body}</body></html>\n`;
}

/** One report document as a complete HTML page. */
export function renderHtml(doc: ResolvedReport, d: ReportDesign): string {
  return page(documentTitle(doc), d, articleHtml(doc, d, 1));
}

/**
 * Several documents (one per area) in one page with a table of contents; `pages` gives each
 * document's first page number for the printed contents (omitted on screen).
 */
export function renderCombinedHtml(title: string, docs: ResolvedReport[], d: ReportDesign, pages?: number[]): string {
  const first = docs[0];
  const toc =
    `<header class="cover"><p class="org">${esc(first?.publisher ?? d.organisation)}</p><h1>${esc(title)}</h1><p class="meta">${esc(first ? documentDate(first) : '')}</p></header>` +
    `<nav class="toc" aria-label="Inhaltsverzeichnis"><h2>Inhalt</h2><ol>${docs.map((x, i) => `<li><a href="#doc-${i + 1}">${esc(x.subtitle ?? x.title)}</a>${pages ? `<span class="page">Seite ${pages[i]}</span>` : ''}</li>`).join('')}</ol></nav>`;
  const articles = docs.map((x, i) => articleHtml(x, d, 2, `doc-${i + 1}`)).join('\n');
  return page(title, d, `${toc}<div style="break-before:page"></div>${articles}`);
}
