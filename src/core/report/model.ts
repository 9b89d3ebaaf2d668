// Reports (issue 16): a report is sections of blocks. A block stores a *query* (indicators,
// layer, areas, periods, breakdown members), never copied values; resolving a report against the
// database gives a ResolvedReport — plain data with every value, status and its metadata — which
// the renderers (HTML, PDF, DOCX) turn into documents and which a release freezes. Types and
// pure checks only: no I/O.
import type { ValueStatus } from '../../contracts/vocabulary.ts';
import type { MdBlock } from './markdown.ts';
import { coded, englishText, type Code, type Coded, type ParamValue } from '../../contracts/codes/index.ts';

/** A parameter of a report: `area` (an area code of `layer`). Values are written `$area` in specs. */
export interface ReportParameter {
  name: 'area';
  layer: string;
  label?: string;
}

type DataView = 'table' | 'bar' | 'line';

export type BlockSpec =
  /** Markdown with placeholders: `{{ value anteil_unter6 area=0101 }}`, `{{ name area=$area }}`, `{{ period anteil_unter6 }}`. */
  | { type: 'text'; markdown: string }
  /** Headline tiles: each indicator for an area (default: the city) in its latest period, against an earlier period and the city. */
  | {
      type: 'key-figure';
      title?: string;
      indicators: string[];
      layer: string;
      area?: string;
      compare?: 'previous' | string;
    }
  /** A stored query over areas: a table, a bar chart (one indicator over the areas) or a line chart (time series). */
  | {
      type: 'data';
      title: string;
      indicators: string[];
      layer: string;
      areas: 'all' | string[];
      period?: string;
      filter?: Record<string, string>;
      view: DataView;
      withCity?: boolean;
    }
  /** An area's indicators against the range over all areas of its layer, centred on the city value. */
  | { type: 'spine'; title: string; layer: string; area: string; indicators: string[] }
  /** A choropleth map of one indicator over a layer, with a legend (and the same values as a table). */
  | {
      type: 'map';
      title: string;
      indicator: string;
      layer: string;
      period?: string;
      highlight?: string;
      classes?: number;
    }
  /** The area profile: every readable indicator of the area with city value and rank, by theme. */
  | { type: 'profile'; title: string; layer: string; area: string; themes?: string[] }
  /**
   * A saved index (its latest stored definition, computed on current data): for an area its score,
   * class and rank with the contribution of each component; without an area every area ranked.
   */
  | { type: 'index'; title: string; index: string; area?: string }
  /** A saved typology (the categorical indicator `<key>_typ`) as a map with its types as legend. */
  | { type: 'typology'; title: string; typology: string; layer?: string; highlight?: string }
  /** The facilities of a set (default: every readable set) lying in an area, with category and capacity. */
  | { type: 'facilities'; title: string; layer: string; area: string; set?: string }
  /** The youth forum's published topics in an area, with their support (below 5 withheld) and the departments' answers. */
  | { type: 'topics'; title: string; layer: string; area: string }
  /** The measures registry's measures located in an area: by default those running on the report's date; `all` also planned and finished ones. */
  | { type: 'measures'; title: string; layer: string; area: string; field?: string; all?: boolean };

export type BlockType = BlockSpec['type'];
export const BLOCK_TYPES: readonly BlockType[] = [
  'text',
  'key-figure',
  'data',
  'spine',
  'map',
  'profile',
  'index',
  'typology',
  'facilities',
  'topics',
  'measures',
];

interface BlockDef {
  /** Stable key of the block within the report (the replacement plan and change notes name it). */
  key: string;
  spec: BlockSpec;
}

interface SectionDef {
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

/**
 * Footnotes of a block: what the data say about single values beyond their symbol (an estimate's
 * method, a base below the minimum, suppressed parts of a sum). A cell's text ends in the
 * superscript number of its footnote ("12,3 %¹").
 */
interface Footnotes {
  footnotes?: string[];
}

/** Superscript digits for footnote marks, the same in HTML, PDF and DOCX text. */
export function footnoteMark(n: number): string {
  return String(n).replace(/\d/g, (x) => '⁰¹²³⁴⁵⁶⁷⁸⁹'[Number(x)]);
}

export type ResolvedBlock = Footnotes &
  (
    | { key: string; type: 'text'; content: MdBlock[] }
    | {
        key: string;
        type: 'key-figure';
        title: string | null;
        areaName: string;
        tiles: {
          indicator: DocIndicator;
          value: Cell;
          earlier: { period: string; value: Cell; change: string | null } | null;
          city: Cell | null;
          againstCity: string | null;
        }[];
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
        rows: {
          indicator: DocIndicator;
          value: Cell;
          city: Cell;
          min: number | null;
          q1: number | null;
          q3: number | null;
          max: number | null;
          areas: number;
        }[];
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
        type: 'index';
        title: string;
        /** The index's name and what it is computed on. */
        name: string;
        layerName: string;
        period: string;
        /** Class labels, lowest class first (empty without classes). */
        classes: string[];
        /** The area shown (with `components`), or null: every area in `ranking`. */
        area: {
          code: string;
          name: string;
          score: string;
          label: string | null;
          rank: string;
          excluded: string | null;
        } | null;
        /** Per component: its indicator, weight and direction, the area's value and its contribution to the score. */
        components: {
          indicator: DocIndicator;
          weight: number;
          weightText: string;
          direction: 1 | -1;
          value: Cell;
          contribution: number | null;
          contributionText: string;
        }[];
        ranking: {
          code: string;
          name: string;
          score: string;
          label: string | null;
          rank: number | null;
          excluded: string | null;
        }[];
      }
    | {
        key: string;
        type: 'facilities';
        title: string;
        areaName: string;
        /** The sets the facilities come from, with their reference date. */
        sets: { key: string; name: string; period: string | null }[];
        rows: { name: string; category: string | null; capacity: string | null }[];
        /** Σ capacity of the facilities that state one, and how many do not. */
        capacity: string | null;
        withoutCapacity: number;
      }
    | {
        key: string;
        type: 'topics';
        title: string;
        areaName: string;
        /** Texts as shown: "7 Unterstützungen" / "weniger als 5", "wird umgesetzt", "bis 12.04.2026 (überfällig)". */
        topics: {
          title: string;
          raised: string;
          supports: string;
          department: string;
          status: string;
          answer: string | null;
          reasons: string | null;
          due: string | null;
          overdue: boolean;
        }[];
      }
    | {
        key: string;
        type: 'measures';
        title: string;
        areaName: string;
        /** What the list holds: "am 03.12.2026 laufend" or "alle"; and the field of action's name, if one was chosen. */
        scope: string;
        field: string | null;
        /** Texts as shown: "01.02.2024 – 31.12.2025", "120.000 €" (planned over all years), fields of action by name. */
        rows: {
          title: string;
          department: string;
          status: string;
          period: string;
          fields: string;
          budget: string | null;
        }[];
        /** Σ planned budget of the rows that state one, and how many do not. */
        budget: string | null;
        withoutBudget: number;
      }
  );

interface ResolvedSection {
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
    case 'typology':
      return [`${spec.typology}_typ`];
    case 'profile':
    case 'index':
    case 'facilities':
    case 'topics':
    case 'measures':
      return [];
  }
}

/**
 * What a field of a block's spec holds, so that an editor can offer the right widget: an
 * indicator key (or a list of them), a layer, an area code (or `$area`), a list of areas or
 * "all", one of a few choices, a number, a yes/no, a saved index or typology, a facility set, or
 * free text (Markdown for text blocks).
 */
type BlockFieldKind =
  | 'text'
  | 'markdown'
  | 'indicator'
  | 'indicators'
  | 'layer'
  | 'area'
  | 'areas'
  | 'view'
  | 'number'
  | 'boolean'
  | 'index'
  | 'typology'
  | 'facility-set'
  | 'field-of-action'
  | 'period';

export interface BlockField {
  name: string;
  kind: BlockFieldKind;
  required: boolean;
}

const f = (name: string, kind: BlockFieldKind, required = false): BlockField => ({ name, kind, required });

/** The fields of each block type in the order an editor shows them; the required ones are checked on save. */
export const BLOCK_FIELDS: Record<BlockType, readonly BlockField[]> = {
  text: [f('markdown', 'markdown', true)],
  'key-figure': [
    f('title', 'text'),
    f('indicators', 'indicators', true),
    f('layer', 'layer', true),
    f('area', 'area'),
    f('compare', 'period'),
  ],
  data: [
    f('title', 'text', true),
    f('indicators', 'indicators', true),
    f('layer', 'layer', true),
    f('areas', 'areas', true),
    f('period', 'period'),
    f('view', 'view', true),
    f('withCity', 'boolean'),
  ],
  spine: [
    f('title', 'text', true),
    f('layer', 'layer', true),
    f('area', 'area', true),
    f('indicators', 'indicators', true),
  ],
  map: [
    f('title', 'text', true),
    f('indicator', 'indicator', true),
    f('layer', 'layer', true),
    f('period', 'period'),
    f('highlight', 'area'),
    f('classes', 'number'),
  ],
  profile: [f('title', 'text', true), f('layer', 'layer', true), f('area', 'area', true)],
  index: [f('title', 'text', true), f('index', 'index', true), f('area', 'area')],
  typology: [f('title', 'text', true), f('typology', 'typology', true), f('layer', 'layer'), f('highlight', 'area')],
  facilities: [f('title', 'text', true), f('layer', 'layer', true), f('area', 'area', true), f('set', 'facility-set')],
  topics: [f('title', 'text', true), f('layer', 'layer', true), f('area', 'area', true)],
  measures: [
    f('title', 'text', true),
    f('layer', 'layer', true),
    f('area', 'area', true),
    f('field', 'field-of-action'),
    f('all', 'boolean'),
  ],
};

/** A new block of a type with its required fields empty (an editor fills them in). */
export function emptySpec(type: BlockType, defaults: { layer?: string; area?: string } = {}): BlockSpec {
  const spec: Record<string, unknown> = { type };
  for (const x of BLOCK_FIELDS[type]) {
    if (!x.required) continue;
    if (x.kind === 'indicators') spec[x.name] = [];
    else if (x.kind === 'areas') spec[x.name] = 'all';
    else if (x.kind === 'view') spec[x.name] = 'table';
    else if (x.kind === 'layer') spec[x.name] = defaults.layer ?? '';
    else if (x.kind === 'area') spec[x.name] = defaults.area ?? '';
    else spec[x.name] = '';
  }
  return spec as unknown as BlockSpec;
}

/** Problems of one block's spec: a missing or mistyped field is named before any query runs. */
function checkSpec(key: string, spec: BlockSpec): Coded[] {
  const out: Coded[] = [];
  const x = spec as unknown as Record<string, unknown>;
  for (const { name, kind, required } of BLOCK_FIELDS[spec.type]) {
    const v = x[name];
    const at = { block: key, field: name };
    if (!required && (v === undefined || v === '')) continue;
    if (kind === 'indicators') {
      if (!Array.isArray(v) || !v.length || !v.every((i) => typeof i === 'string' && i))
        out.push(coded('block-needs-indicators', at));
    } else if (kind === 'areas') {
      if (v !== 'all' && !(Array.isArray(v) && v.length && v.every((i) => typeof i === 'string' && i)))
        out.push(coded('block-needs-areas', at));
    } else if (kind === 'markdown') {
      if (typeof v !== 'string') out.push(coded('block-needs-text', at));
    } else if (kind === 'number') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 2 || v > 9) out.push(coded('block-needs-classes', at));
    } else if (kind === 'boolean') {
      if (typeof v !== 'boolean') out.push(coded('block-needs-boolean', at));
    } else if (typeof v !== 'string' || !v.trim()) out.push(coded('block-field-missing', at));
  }
  if (spec.type === 'data' && !['table', 'bar', 'line'].includes(spec.view))
    out.push(coded('block-bad-view', { block: key }));
  return out;
}

/** A problem of a definition's shape; `block` is empty for the report itself or a section. `reason` is English, `code` and `params` word it in other languages. */
export interface ShapeProblem {
  block: string;
  reason: string;
  code: Code;
  params: Record<string, ParamValue>;
}

const shape = (block: string, c: Coded): ShapeProblem => ({
  block,
  reason: englishText(c),
  code: c.code,
  params: c.params,
});

/** Problems of a definition's shape, each with its block (empty when fine). */
export function definitionProblems(d: ReportDefinition): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  if (!/^[a-z][a-z0-9_-]*$/.test(d.key)) out.push(shape('', coded('report-key-invalid', { key: d.key })));
  if (!d.title.trim()) out.push(shape('', coded('report-needs-title')));
  const keys = new Set<string>();
  d.sections.forEach((s, i) => {
    if (!s.title.trim()) out.push(shape('', coded('section-needs-title', { n: i + 1 })));
    for (const b of s.blocks) {
      if (!/^[\p{L}\p{N}_-]+$/u.test(b.key)) out.push(shape(b.key, coded('block-key-invalid', { block: b.key })));
      if (keys.has(b.key)) out.push(shape(b.key, coded('block-key-twice', { block: b.key })));
      keys.add(b.key);
      if (!BLOCK_TYPES.includes(b.spec.type))
        out.push(shape(b.key, coded('block-unknown-type', { block: b.key, type: (b.spec as { type: string }).type })));
      else for (const c of checkSpec(b.key, b.spec)) out.push(shape(b.key, c));
    }
  });
  return out;
}

/** Problems of a definition's shape (not of its queries against the data): empty when fine. */
export function checkDefinition(d: ReportDefinition): string[] {
  return definitionProblems(d).map((p) => p.reason);
}
