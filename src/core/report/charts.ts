// Charts of report blocks as SVG documents (pure functions of the resolved block): bar, line,
// spine chart and choropleth map. The same SVG goes into the HTML (and so the PDF) and, as a
// picture, into the DOCX; every chart has a title for screen readers, and the block's data
// table is always shown beside it.
import type { ReportDesign } from './design.ts';
import type { ResolvedBlock } from './model.ts';
import { dativePlural, formatTick } from '../../contracts/format.ts';

type DataBlock = Extract<ResolvedBlock, { type: 'data' }>;
type SpineBlock = Extract<ResolvedBlock, { type: 'spine' }>;
type MapBlock = Extract<ResolvedBlock, { type: 'map' }>;
type IndexBlock = Extract<ResolvedBlock, { type: 'index' }>;

export interface Svg {
  svg: string;
  width: number;
  height: number;
  /** Alternative text: what the chart shows, in one sentence. */
  alt: string;
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const r1 = (x: number) => Math.round(x * 10) / 10;

function frame(width: number, height: number, title: string, body: string, font: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" font-family="${esc(font)}, DejaVu Sans, sans-serif" font-size="11"><title>${esc(title)}</title>${body}</svg>`;
}

function niceExtent(values: number[]): [number, number] {
  let lo = Math.min(0, ...values);
  let hi = Math.max(...values, 0);
  if (hi === lo) hi = lo + 1;
  const step = 10 ** Math.floor(Math.log10(hi - lo));
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  return [lo, hi];
}

/** Horizontal bars of the first indicator over the rows; the city as a dashed line. */
export function barChart(b: DataBlock, d: ReportDesign): Svg {
  const rows = b.rows;
  const labelW = 150;
  const width = 640;
  const barH = 16;
  const gap = 6;
  const top = 10;
  const height = top + rows.length * (barH + gap) + 30;
  const vals = rows.map((r) => r.cells[0]?.value).filter((v): v is number => v !== null && v !== undefined);
  const city = b.city?.cells[0]?.value ?? null;
  const [lo, hi] = niceExtent(city === null ? vals : [...vals, city]);
  const x = (v: number) => labelW + ((v - lo) / (hi - lo)) * (width - labelW - 60);
  let body = '';
  rows.forEach((r, i) => {
    const y = top + i * (barH + gap);
    const v = r.cells[0]?.value;
    body += `<text x="${labelW - 6}" y="${y + barH - 4}" text-anchor="end" fill="${d.colors.text}">${esc(r.name)}</text>`;
    if (v !== null && v !== undefined)
      body += `<rect x="${r1(x(Math.min(0, v)))}" y="${y}" width="${r1(Math.abs(x(v) - x(0)))}" height="${barH}" fill="${d.colors.primary}"/>`;
    body += `<text x="${r1((v !== null && v !== undefined ? x(Math.max(0, v)) : x(0)) + 4)}" y="${y + barH - 4}" fill="${d.colors.text}">${esc(r.cells[0]?.text ?? '')}</text>`;
  });
  const axisY = top + rows.length * (barH + gap);
  body += `<line x1="${labelW}" x2="${width - 60}" y1="${axisY}" y2="${axisY}" stroke="${d.colors.muted}"/>`;
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    body += `<text x="${r1(x(v))}" y="${axisY + 14}" text-anchor="middle" fill="${d.colors.muted}">${esc(formatTick(v))}</text>`;
  }
  if (city !== null)
    body += `<line x1="${r1(x(city))}" x2="${r1(x(city))}" y1="${top - 4}" y2="${axisY}" stroke="${d.colors.text}" stroke-dasharray="4 3"/>`;
  const ind = b.indicators[0];
  return {
    svg: frame(width, height, b.title, body, d.font),
    width,
    height,
    alt: `Balkendiagramm: ${ind?.name ?? ''} für ${rows.length} Gebiete${city !== null ? ', gestrichelt die Gesamtstadt' : ''}; die Werte stehen in der Tabelle.`,
  };
}

/** Lines over the periods, one per row; the city dashed. */
function lineChart(b: DataBlock, d: ReportDesign): Svg {
  const width = 640;
  const height = 260;
  const left = 56;
  const right = 16;
  const top = 12;
  const bottom = 40;
  const series = [
    ...b.rows.map((r) => ({ name: r.name, cells: r.cells, dashed: false })),
    ...(b.city ? [{ name: b.city.name, cells: b.city.cells, dashed: true }] : []),
  ];
  const vals = series.flatMap((s) => s.cells.map((c) => c.value)).filter((v): v is number => v !== null);
  const min = vals.length ? Math.min(...vals) : 0;
  const max = vals.length ? Math.max(...vals) : 1;
  const pad = (max - min || Math.abs(max) || 1) * 0.1;
  const lo = min - pad;
  const hi = max + pad;
  const n = b.columns.length;
  const x = (i: number) => left + (n <= 1 ? 0 : (i / (n - 1)) * (width - left - right));
  const y = (v: number) => top + (1 - (v - lo) / (hi - lo)) * (height - top - bottom);
  let body = `<line x1="${left}" x2="${width - right}" y1="${height - bottom}" y2="${height - bottom}" stroke="${d.colors.muted}"/>`;
  for (let k = 0; k <= 4; k++) {
    const v = lo + ((hi - lo) * k) / 4;
    body += `<line x1="${left}" x2="${width - right}" y1="${r1(y(v))}" y2="${r1(y(v))}" stroke="${d.colors.rule}" stroke-width="0.5"/><text x="${left - 6}" y="${r1(y(v) + 4)}" text-anchor="end" fill="${d.colors.muted}">${esc(formatTick(v))}</text>`;
  }
  // At most about five labels, always the last (the latest period).
  const every = Math.max(1, Math.ceil(n / 5));
  b.columns.forEach((c, i) => {
    if (i !== n - 1 && (i % every !== 0 || n - 1 - i < every)) return;
    body += `<text x="${r1(x(i))}" y="${height - bottom + 16}" text-anchor="middle" fill="${d.colors.muted}">${esc(c)}</text>`;
  });
  const colors = [d.colors.primary, '#b2182b', '#2e7d32', '#6a1b9a'];
  series.forEach((s, k) => {
    const pts = s.cells.map((c, i) => (c.value === null ? null : `${r1(x(i))},${r1(y(c.value))}`));
    const segs: string[][] = [[]];
    for (const p of pts) {
      if (p === null) segs.push([]);
      else segs[segs.length - 1].push(p);
    }
    const color = s.dashed ? d.colors.text : colors[k % colors.length];
    for (const seg of segs)
      if (seg.length > 1)
        body += `<polyline fill="none" stroke="${color}" stroke-width="2" ${s.dashed ? 'stroke-dasharray="5 4"' : ''} points="${seg.join(' ')}"/>`;
    for (const p of pts)
      if (p) body += `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="2.5" fill="${color}"/>`;
  });
  let lx = left;
  series.forEach((s, k) => {
    const color = s.dashed ? d.colors.text : colors[k % colors.length];
    body += `<line x1="${lx}" x2="${lx + 18}" y1="${height - 8}" y2="${height - 8}" stroke="${color}" stroke-width="2" ${s.dashed ? 'stroke-dasharray="5 4"' : ''}/><text x="${lx + 22}" y="${height - 4}" fill="${d.colors.text}">${esc(s.name)}</text>`;
    lx += 40 + s.name.length * 6;
  });
  const ind = b.indicators[0];
  return {
    svg: frame(width, height, b.title, body, d.font),
    width,
    height,
    alt: `Liniendiagramm: ${ind?.name ?? ''} von ${b.columns[0] ?? ''} bis ${b.columns[n - 1] ?? ''} für ${series.map((s) => s.name).join(', ')}; die Werte stehen in der Tabelle.`,
  };
}

/**
 * Spine chart: per indicator the range over all areas (light: minimum to maximum, darker: the
 * middle half), centred on the city value (the vertical line); the dot is the area.
 */
function spineChart(b: SpineBlock, d: ReportDesign): Svg {
  const width = 640;
  const labelW = 230;
  const rowH = 22;
  const top = 8;
  const height = top + b.rows.length * rowH + 26;
  const cx = labelW + (width - labelW - 20) / 2;
  const half = (width - labelW - 20) / 2;
  let body = '';
  b.rows.forEach((r, i) => {
    const y = top + i * rowH;
    const c = r.city.value;
    body += `<text x="${labelW - 8}" y="${y + 14}" text-anchor="end" fill="${d.colors.text}">${esc(r.indicator.name.length > 38 ? r.indicator.name.slice(0, 37) + '…' : r.indicator.name)}</text>`;
    if (c === null || r.min === null || r.max === null) return;
    const span = Math.max(c - r.min, r.max - c) || 1;
    const x = (v: number) => cx + ((v - c) / span) * half;
    body += `<rect x="${r1(x(r.min))}" y="${y + 4}" width="${r1(x(r.max) - x(r.min))}" height="12" fill="${d.colors.accent}"/>`;
    body += `<rect x="${r1(x(r.q1!))}" y="${y + 4}" width="${r1(x(r.q3!) - x(r.q1!))}" height="12" fill="#9fb6d6"/>`;
    if (r.value.value !== null)
      body += `<circle cx="${r1(x(r.value.value))}" cy="${y + 10}" r="5" fill="${d.colors.primary}" stroke="#fff"/>`;
  });
  body += `<line x1="${cx}" x2="${cx}" y1="${top}" y2="${top + b.rows.length * rowH}" stroke="${d.colors.text}" stroke-width="1.5"/>`;
  const ly = height - 8;
  body +=
    `<rect x="${labelW}" y="${ly - 9}" width="14" height="10" fill="${d.colors.accent}"/><text x="${labelW + 18}" y="${ly}" fill="${d.colors.text}">Spannweite</text>` +
    `<rect x="${labelW + 90}" y="${ly - 9}" width="14" height="10" fill="#9fb6d6"/><text x="${labelW + 108}" y="${ly}" fill="${d.colors.text}">mittlere Hälfte</text>` +
    `<circle cx="${labelW + 205}" cy="${ly - 4}" r="5" fill="${d.colors.primary}"/><text x="${labelW + 214}" y="${ly}" fill="${d.colors.text}">${esc(b.areaName)}</text>` +
    `<line x1="${labelW + 300}" x2="${labelW + 300}" y1="${ly - 10}" y2="${ly + 1}" stroke="${d.colors.text}" stroke-width="1.5"/><text x="${labelW + 305}" y="${ly}" fill="${d.colors.text}">Gesamtstadt</text>`;
  return {
    svg: frame(width, height, b.title, body, d.font),
    width,
    height,
    alt: `Spine-Chart: ${b.rows.length} Kennzahlen von ${b.areaName} im Vergleich zur Spannweite aller Gebiete, zentriert auf den Wert der Gesamtstadt; die Werte stehen in der Tabelle.`,
  };
}

/** Choropleth map: each area in its class colour, areas without a value hatched, the highlighted area outlined. */
export function mapChart(b: MapBlock, d: ReportDesign): Svg {
  const width = 600;
  const height = 450;
  let body = `<defs><pattern id="hatch-${esc(b.key)}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#888" stroke-width="1.5"/></pattern></defs>`;
  for (const a of b.areas) {
    const fill = a.klass === null ? `url(#hatch-${esc(b.key)})` : (b.legend[a.klass]?.color ?? '#ccc');
    body += `<path d="${a.path}" fill="${fill}" stroke="#fff" stroke-width="0.8"><title>${esc(`${a.name}: ${a.cell.text}`)}</title></path>`;
  }
  const h = b.highlight ? b.areas.find((a) => a.code === b.highlight) : undefined;
  if (h) body += `<path d="${h.path}" fill="none" stroke="${d.colors.text}" stroke-width="3"/>`;
  return {
    svg: frame(width, height, b.title, body, d.font),
    width,
    height,
    alt: `Karte: ${b.indicator.name} nach ${dativePlural(b.layerName)}, ${b.legend.length} Klasse${b.legend.length === 1 ? '' : 'n'}${h ? `, hervorgehoben ${h.name}` : ''}; Legende und Werte stehen darunter.`,
  };
}

/**
 * The components of an area's index score: one bar per component from zero, towards higher need
 * (positive, primary colour) or lower need (negative, grey); together they make the score.
 */
function indexChart(b: IndexBlock, d: ReportDesign): Svg | null {
  const rows = b.components.filter((x) => x.contribution !== null);
  if (!b.area || !rows.length) return null;
  const labelW = 210;
  const width = 640;
  const barH = 16;
  const gap = 6;
  const top = 10;
  const height = top + rows.length * (barH + gap) + 30;
  const vals = rows.map((r) => r.contribution!);
  const m = Math.max(0.5, ...vals.map(Math.abs));
  const x = (v: number) => labelW + ((v + m) / (2 * m)) * (width - labelW - 50);
  let body = '';
  rows.forEach((r, i) => {
    const y = top + i * (barH + gap);
    const v = r.contribution!;
    body += `<text x="${labelW - 6}" y="${y + barH - 4}" text-anchor="end" fill="${d.colors.text}">${esc(r.indicator.name.length > 34 ? `${r.indicator.name.slice(0, 33)}…` : r.indicator.name)}</text>`;
    body += `<rect x="${r1(x(Math.min(0, v)))}" y="${y}" width="${r1(Math.abs(x(v) - x(0)))}" height="${barH}" fill="${v >= 0 ? d.colors.primary : d.colors.muted}"/>`;
    body += `<text x="${r1(v >= 0 ? x(v) + 4 : x(v) - 4)}" y="${y + barH - 4}" text-anchor="${v >= 0 ? 'start' : 'end'}" fill="${d.colors.text}">${esc(r.contributionText)}</text>`;
  });
  const axisY = top + rows.length * (barH + gap);
  body += `<line x1="${r1(x(0))}" x2="${r1(x(0))}" y1="${top - 4}" y2="${axisY}" stroke="${d.colors.text}"/>`;
  body += `<text x="${r1(x(0))}" y="${axisY + 14}" text-anchor="middle" fill="${d.colors.muted}">0</text>`;
  return {
    svg: frame(width, height, b.title, body, d.font),
    width,
    height,
    alt: `Balkendiagramm: Beiträge der ${rows.length} Kennzahlen zum Indexwert ${b.area.score} von ${b.area.name}, nach rechts zu höherem, nach links zu niedrigerem Bedarf; die Werte stehen in der Tabelle.`,
  };
}

/** The chart of a block, if it has one. */
export function chartOf(b: ResolvedBlock, d: ReportDesign): Svg | null {
  if (b.type === 'data' && b.view === 'bar') return barChart(b, d);
  if (b.type === 'data' && b.view === 'line') return lineChart(b, d);
  if (b.type === 'spine') return spineChart(b, d);
  if (b.type === 'map') return mapChart(b, d);
  if (b.type === 'index') return indexChart(b, d);
  return null;
}
