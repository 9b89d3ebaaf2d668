// Reports (issue 16): a report is sections of blocks. A block stores a *query* (indicators,
// layer, areas, periods, breakdown members), never copied values; resolving a report against the
// database gives a ResolvedReport — plain data with every value, status and its metadata — which
// the renderers (HTML, PDF, DOCX) turn into documents and which a release freezes. Types and
// pure checks only: no I/O.
import type { ValueStatus } from '../answers.ts';
import type { MdBlock } from './markdown.ts';

/** A parameter of a report: `area` (an area code of `layer`). Values are written `$area` in specs. */
export interface ReportParameter {
  name: 'area';
  layer: string;
  label?: string;
}

export type DataView = 'table' | 'bar' | 'line';

export type BlockSpec =
  /** Markdown with placeholders: `{{ value anteil_unter6 area=0101 }}`, `{{ name area=$area }}`, `{{ period anteil_unter6 }}`. */
  | { type: 'text'; markdown: string }
  /** Headline tiles: each indicator for an area (default: the city) in its latest period, against an earlier period and the city. */
  | { type: 'key-figure'; title?: string; indicators: string[]; layer: string; area?: string; compare?: 'previous' | string }
  /** A stored query over areas: a table, a bar chart (one indicator over the areas) or a line chart (time series). */
  | { type: 'data'; title: string; indicators: string[]; layer: string; areas: 'all' | string[]; period?: string; filter?: Record<string, string>; view: DataView; withCity?: boolean }
  /** An area's indicators against the range over all areas of its layer, centred on the city value. */
  | { type: 'spine'; title: string; layer: string; area: string; indicators: string[] }
  /** A choropleth map of one indicator over a layer, with a legend (and the same values as a table). */
  | { type: 'map'; title: string; indicator: string; layer: string; period?: string; highlight?: string; classes?: number }
  /** The area profile: every readable indicator of the area with city value and rank, by theme. */
  | { type: 'profile'; title: string; layer: string; area: string; themes?: string[] }
  /** The youth forum's published topics in an area, with their support (below 5 withheld) and the departments' answers. */
  | { type: 'topics'; title: string; layer: string; area: string };

export type BlockType = BlockSpec['type'];
export const BLOCK_TYPES: readonly BlockType[] = ['text', 'key-figure', 'data', 'spine', 'map', 'profile', 'topics'];

export interface BlockDef {
  /** Stable key of the block within the report (the replacement plan and change notes name it). */
  key: string;
  spec: BlockSpec;
}

export interface SectionDef {
  title: string;
  blocks: BlockDef[];
}

export interface ReportDefinition {
  key: string;
  title: string;
  /** May hold parameters: "Stadtteilprofil {{ name area=$area }}". */
  subtitle?: string;
  owner: string | null;
  parameters: ReportParameter[];
  sections: SectionDef[];
}

// ---------------------------------------------------------------------------------------------
// The resolved document

/** One shown value: the number (or null), its status and how it is written (German). */
export interface Cell {
  value: number | null;
  status: ValueStatus;
  /** "12,3 %", "1.234 p", "." — never "0" for a missing value. */
  text: string;
}

/** What a reader needs to know about an indicator wherever its numbers appear. */
export interface DocIndicator {
  key: string;
  name: string;
  unit: string;
  decimals: number | null;
  polarity: string;
  source: string | null;
  period: string;
  /** ISO date. */
  referenceDate: string;
  methodology: string | null;
}

export type ResolvedBlock =
  | { key: string; type: 'text'; content: MdBlock[] }
  | {
      key: string;
      type: 'key-figure';
      title: string | null;
      areaName: string;
      tiles: { indicator: DocIndicator; value: Cell; earlier: { period: string; value: Cell; change: string | null } | null; city: Cell | null; againstCity: string | null }[];
    }
  | {
      key: string;
      type: 'data';
      title: string;
      view: DataView;
      indicators: DocIndicator[];
      /** Column heads after the area column: indicator names (table, bar) or periods (line). */
      columns: string[];
      rows: { code: string; name: string; cells: Cell[] }[];
      city: { name: string; cells: Cell[] } | null;
      /** For a line chart the period keys of the columns. */
      periods?: string[];
    }
  | {
      key: string;
      type: 'spine';
      title: string;
      areaName: string;
      rows: { indicator: DocIndicator; value: Cell; city: Cell; min: number | null; q1: number | null; q3: number | null; max: number | null; areas: number }[];
    }
  | {
      key: string;
      type: 'map';
      title: string;
      indicator: DocIndicator;
      layerName: string;
      /** Areas with their projected outline (SVG path in a 600 × 450 frame) and value. */
      areas: { code: string; name: string; path: string; cell: Cell; klass: number | null }[];
      legend: { label: string; color: string }[];
      highlight: string | null;
      city: Cell | null;
    }
  | {
      key: string;
      type: 'profile';
      title: string;
      areaName: string;
      themes: { theme: string; rows: { indicator: DocIndicator; value: Cell; city: Cell; rank: string }[] }[];
    }
  | {
      key: string;
      type: 'topics';
      title: string;
      areaName: string;
      /** Texts as shown: "7 Unterstützungen" / "weniger als 5", "wird umgesetzt", "bis 12.04.2026 (überfällig)". */
      topics: { title: string; raised: string; supports: string; department: string; status: string; answer: string | null; reasons: string | null; due: string | null; overdue: boolean }[];
    };

export interface ResolvedSection {
  title: string;
  blocks: ResolvedBlock[];
}

export interface ResolvedReport {
  key: string;
  title: string;
  subtitle: string | null;
  lang: 'de';
  params: Record<string, string>;
  /** The organisation, from the publisher settings or the corporate design. */
  publisher: string;
  /** Most confidential data in the report. */
  confidentiality: 'public' | 'internal' | 'restricted';
  /** Release number and date (ISO), or null for a draft rendered from current data. */
  release: { number: number; date: string; changeNote: string | null } | null;
  /** The date the values were read (ISO), for drafts. */
  asOf: string;
  sections: ResolvedSection[];
  /** Every source named by a figure, once. */
  sources: string[];
  /** The data symbols that occur, for the legend (Zeichenerklärung). */
  symbols: ValueStatus[];
}

/** The Zeichenerklärung of the report (symbols of the Statistische Ämter). */
export const SYMBOL_LEGEND: Record<ValueStatus, { symbol: string; de: string }> = {
  final: { symbol: '', de: 'endgültiger Wert' },
  provisional: { symbol: 'p', de: 'vorläufig' },
  estimated: { symbol: 's', de: 'geschätzt' },
  suppressed: { symbol: '.', de: 'Zahlenwert unbekannt oder geheim zu halten' },
  below_min_base: { symbol: '/', de: 'keine Angabe, da Zahlenwert nicht sicher genug (zu kleine Bezugsgröße)' },
  missing: { symbol: '…', de: 'Angabe fällt später an oder liegt nicht vor' },
};

// ---------------------------------------------------------------------------------------------
// Parameters

/** Replaces `$name` in a spec's strings by the parameter values. */
export function bindParams<T>(spec: T, params: Record<string, string>): T {
  const sub = (s: string) => s.replace(/\$([a-z]+)/g, (m, name: string) => (name in params ? params[name] : m));
  const walk = (x: unknown): unknown => {
    if (typeof x === 'string') return sub(x);
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, walk(v)]));
    return x;
  };
  return walk(spec) as T;
}

/** The indicator keys a block's query names (text blocks: those of their placeholders). */
export function indicatorsOf(spec: BlockSpec, placeholders: (markdown: string) => string[]): string[] {
  switch (spec.type) {
    case 'text':
      return placeholders(spec.markdown);
    case 'key-figure':
    case 'data':
    case 'spine':
      return spec.indicators;
    case 'map':
      return [spec.indicator];
    case 'profile':
    case 'topics':
      return [];
  }
}

/** Problems of a definition's shape (not of its queries against the data): empty when fine. */
export function checkDefinition(d: ReportDefinition): string[] {
  const out: string[] = [];
  if (!/^[a-z][a-z0-9_-]*$/.test(d.key)) out.push(`the report key "${d.key}" must be lower-case letters, digits, - or _`);
  if (!d.title.trim()) out.push('the report needs a title');
  const keys = new Set<string>();
  d.sections.forEach((s, i) => {
    if (!s.title.trim()) out.push(`section ${i + 1} needs a title`);
    for (const b of s.blocks) {
      if (keys.has(b.key)) out.push(`the block key "${b.key}" is used twice`);
      keys.add(b.key);
      if (!BLOCK_TYPES.includes(b.spec.type)) out.push(`block "${b.key}": unknown type "${(b.spec as { type: string }).type}"`);
    }
  });
  return out;
}
