// Neighbourhood measures (Maßnahmen / Projekte, issue #17): the record, its vocabularies, exact
// money, the running-on-date rule, and the analyses against need (gaps, overlaps, coverage,
// budget per head). Pure: data in, data out.
import type { Confidentiality } from './indicators.ts';

export const MEASURE_STATUSES = ['geplant', 'laufend', 'abgeschlossen', 'abgebrochen'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

const VOCABULARY_KINDS = ['handlungsfeld', 'zielgruppe'] as const;
export type VocabularyKind = (typeof VOCABULARY_KINDS)[number];

/** The 360Giving classification vocabularies (the contract of issue #17, and a few more of ours). */
export const VOCABULARY = {
  handlungsfeld: 'kommunalmonitor:handlungsfeld',
  zielgruppe: 'kommunalmonitor:zielgruppe',
  status: 'kommunalmonitor:status',
  vertraulichkeit: 'kommunalmonitor:vertraulichkeit',
  finanzierungsquelle: 'kommunalmonitor:finanzierungsquelle',
} as const;

export interface VocabularyEntry {
  kind: VocabularyKind;
  code: string;
  title: string;
  titleEn: string | null;
  /** The population indicator (and breakdown filter) counting a target group, if any. */
  population: { indicator: string; filter: Record<string, string> } | null;
}

/** Budget of one year in integer cents (exact); null: not known. */
export interface BudgetYear {
  year: number;
  plannedCents: number | null;
  spentCents: number | null;
}

export type MeasureLocation =
  | { kind: 'area'; layer: string; code: string; name: string | null }
  | { kind: 'point'; x: number; y: number; name: string | null; codes: Record<string, string> }
  | {
      kind: 'address';
      address: string;
      x: number | null;
      y: number | null;
      name: string | null;
      codes: Record<string, string>;
    };

interface GoalActual {
  period: string;
  value: number;
}

interface MeasureGoal {
  title: string;
  /** A catalogue indicator the progress is read from, optionally. */
  indicator: string | null;
  unit: string | null;
  baseline: number | null;
  target: number | null;
  actuals: GoalActual[];
}

interface Milestone {
  title: string;
  due: string | null;
  done: string | null;
}

interface MeasureLink {
  title: string | null;
  url: string;
}

export interface Measure {
  key: string;
  title: string;
  description: string;
  department: string;
  departmentName: string | null;
  provider: { id: string; name: string } | null;
  programme: { code: string; title: string | null } | null;
  fundingSource: string | null;
  status: MeasureStatus;
  awardDate: string | null;
  planned: { start: string | null; end: string | null };
  actual: { start: string | null; end: string | null };
  confidentiality: Confidentiality;
  contact: { role: string | null; email: string | null };
  budget: BudgetYear[];
  locations: MeasureLocation[];
  fields: string[];
  targetGroups: string[];
  goals: MeasureGoal[];
  milestones: Milestone[];
  links: MeasureLink[];
  /** What a 360Giving record carried beyond the mapped fields (kept for a lossless round trip). */
  extra: Record<string, unknown>;
}

/** A stored measure with its version. */
export interface StoredMeasure extends Measure {
  version: number;
  updatedAt: string;
  updatedBy: string;
}

// ---------------------------------------------------------------------------------------------
// Money: EUR amounts as integer cents, parsed from text without floating point.

/**
 * Cents from an amount as written: "1234,56", "1.234,56", "1234.56", "1,234.56", "1 234,5", "12 €".
 * With both separators the last is the decimal one; with one kind only, `decimal` (the file's
 * convention) decides, except that "1.234" / "1,234,567" read as thousands when the other
 * convention is used and "1234.56" as decimals when nothing else fits. Null for text that is not
 * an amount (or more than two decimals).
 */
export function parseEuroCents(text: string, decimal: ',' | '.' = ','): number | null {
  let t = text.replace(/[\s\u00a0€]|EUR/g, '');
  if (!t) return null;
  const neg = t.startsWith('-');
  if (neg) t = t.slice(1);
  const lastDot = t.lastIndexOf('.'),
    lastComma = t.lastIndexOf(',');
  let dec: string | null = null;
  if (lastDot >= 0 && lastComma >= 0) dec = lastDot > lastComma ? '.' : ',';
  else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? '.' : ',';
    const grouped = new RegExp(`^\\d{1,3}(\\${sep}\\d{3})+$`).test(t);
    if (sep === decimal) dec = grouped && t.split(sep).length > 2 ? null : sep;
    else dec = grouped ? null : sep;
  }
  const group = dec === '.' ? ',' : '.';
  const [int, frac, more] = t.split(dec ?? '\u0000');
  if (more !== undefined) return null;
  if (int.includes(group) && !new RegExp(`^\\d{1,3}(\\${group}\\d{3})+$`).test(int)) return null;
  const digits = int.split(group).join('');
  if (!/^\d+$/.test(digits) || (frac !== undefined && !/^\d{1,2}$/.test(frac))) return null;
  const v = Number(digits) * 100 + Number(((frac ?? '') + '00').slice(0, 2));
  if (!Number.isSafeInteger(v)) return null;
  return neg ? -v : v;
}

/** Cents from a JSON number of EUR (360Giving amounts), exact for up to two decimals. */
export function centsOfNumber(n: number): number | null {
  if (!Number.isFinite(n)) return null;
  const c = Math.round(n * 100);
  // Reject more than two decimals (12.345): the number must be the cents exactly.
  if (Math.abs(c / 100 - n) > 1e-9 * Math.max(1, Math.abs(n))) return null;
  return Number.isSafeInteger(c) ? c : null;
}

/** EUR as a JSON number from cents (two decimals at most; exact as written in text). */
export function euroNumber(cents: number): number {
  return Number(euroText(cents, '.').replace(/\.00$/, ''));
}

/** "1234.56" / "1234,56" from cents, no thousands separators (for CSV). */
export function euroText(cents: number, decimal: ',' | '.' = ','): string {
  const neg = cents < 0;
  const a = Math.abs(cents);
  const s = `${Math.floor(a / 100)}${decimal}${String(a % 100).padStart(2, '0')}`;
  return neg ? '-' + s : s;
}

/** German display: "1.234,56 €". */
export function euroGerman(cents: number): string {
  const [int, dec] = euroText(Math.abs(cents), ',').split(',');
  return `${cents < 0 ? '−' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${dec} €`;
}

export function plannedTotal(m: Pick<Measure, 'budget'>): number {
  return m.budget.reduce((t, b) => t + (b.plannedCents ?? 0), 0);
}

export function spentTotal(m: Pick<Measure, 'budget'>): number {
  return m.budget.reduce((t, b) => t + (b.spentCents ?? 0), 0);
}

// ---------------------------------------------------------------------------------------------
// The running-on-date rule (issue #17, accepted as written): a measure is running on a date when
// the date lies in its actual (or else planned) period and it is not stopped.

export interface Period {
  start: string | null;
  end: string | null;
}

export function isRunningOn(m: { status: MeasureStatus; planned: Period; actual: Period }, date: string): boolean {
  if (m.status === 'abgebrochen') return false;
  const usesActual = m.actual.start !== null || m.actual.end !== null;
  const p = usesActual ? m.actual : m.planned;
  if (p.start === null && p.end === null) return false;
  if (p.start !== null && date < p.start) return false;
  if (p.end !== null && date > p.end) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Validation of a measure's record (after a reader has turned a file row into one).

export interface RecordProblem {
  /** The field (360Giving path or template column). */
  field: string;
  value?: string;
  reason: string;
  hint?: string;
}

const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(s + 'T00:00:00Z');
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export interface ValidationContext {
  departments: Set<string>;
  fields: Set<string>;
  targetGroups: Set<string>;
  /** Area codes per layer key (current versions). */
  areaCodes: (layer: string) => Set<string> | undefined;
}

export function validateMeasure(m: Measure, ctx: ValidationContext): RecordProblem[] {
  const out: RecordProblem[] = [];
  if (!/^\S{1,200}$/.test(m.key))
    out.push({
      field: 'id',
      value: m.key,
      reason: 'the key must be 1 to 200 characters without spaces',
      hint: 'e.g. 360G-musterstadt-jugend-0001',
    });
  if (!m.title.trim()) out.push({ field: 'title', reason: 'the measure needs a title' });
  if (!ctx.departments.has(m.department))
    out.push({
      field: 'fundingOrganization',
      value: m.department,
      reason: `"${m.department}" is not a department`,
      hint: `known departments: ${[...ctx.departments].join(', ')} (kommunalmonitor departments add KEY NAME)`,
    });
  if (!(MEASURE_STATUSES as readonly string[]).includes(m.status))
    out.push({
      field: 'status',
      value: m.status,
      reason: `unknown status "${m.status}"`,
      hint: `one of ${MEASURE_STATUSES.join(', ')}`,
    });
  for (const [name, p] of [
    ['plannedDates', m.planned],
    ['actualDates', m.actual],
  ] as const) {
    for (const d of [p.start, p.end])
      if (d !== null && !isIsoDate(d))
        out.push({
          field: name,
          value: d,
          reason: 'not a date',
          hint: 'write YYYY-MM-DD (or 31.12.2024 in the template)',
        });
    if (p.start && p.end && isIsoDate(p.start) && isIsoDate(p.end) && p.end < p.start)
      out.push({ field: name, value: `${p.start} – ${p.end}`, reason: 'the end lies before the start' });
  }
  if (m.awardDate !== null && !isIsoDate(m.awardDate))
    out.push({ field: 'awardDate', value: m.awardDate, reason: 'not a date', hint: 'YYYY-MM-DD' });
  if (m.status === 'laufend' && !m.actual.start && !m.planned.start)
    out.push({ field: 'plannedDates', reason: 'a running measure needs a start (actual or planned)' });
  for (const f of m.fields)
    if (!ctx.fields.has(f))
      out.push({
        field: 'handlungsfeld',
        value: f,
        reason: `unknown field of action "${f}"`,
        hint: `known: ${[...ctx.fields].join(', ')}`,
      });
  for (const g of m.targetGroups)
    if (!ctx.targetGroups.has(g))
      out.push({
        field: 'zielgruppe',
        value: g,
        reason: `unknown target group "${g}"`,
        hint: `known: ${[...ctx.targetGroups].join(', ')}`,
      });
  const years = new Set<number>();
  for (const b of m.budget) {
    if (years.has(b.year))
      out.push({ field: 'budget', value: String(b.year), reason: `the year ${b.year} is given twice` });
    years.add(b.year);
    for (const c of [b.plannedCents, b.spentCents])
      if (c !== null && c < 0)
        out.push({ field: 'budget', value: String(c / 100), reason: 'a budget cannot be negative' });
  }
  for (const l of m.locations) {
    if (l.kind === 'area') {
      const codes = ctx.areaCodes(l.layer);
      if (!codes)
        out.push({
          field: 'beneficiaryLocation',
          value: l.layer,
          reason: `"${l.layer}" is not a layer`,
          hint: 'geoCodeType is the key of a layer, e.g. stadtteil',
        });
      else if (!codes.has(l.code))
        out.push({
          field: 'beneficiaryLocation',
          value: `${l.layer} ${l.code}`,
          reason: `the layer "${l.layer}" has no area "${l.code}"`,
          hint: 'area codes are strings; leading zeros matter',
        });
    } else if (l.kind === 'point') {
      if (!(l.x >= -180 && l.x <= 180 && l.y >= -90 && l.y <= 90))
        out.push({ field: 'beneficiaryLocation', value: `${l.y}, ${l.x}`, reason: 'not a WGS84 latitude/longitude' });
    }
  }
  if (m.contact.email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(m.contact.email))
    out.push({ field: 'contact', value: m.contact.email, reason: 'not an e-mail address' });
  for (const link of m.links)
    if (!/^https?:\/\/\S+$/.test(link.url))
      out.push({ field: 'links', value: link.url, reason: 'not a web address', hint: 'https://…' });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Analysis against need.

/** A measure reduced to what the analyses need: the areas of one layer it works in. */
export interface MeasureInAreas {
  key: string;
  status: MeasureStatus;
  planned: Period;
  actual: Period;
  fields: string[];
  targetGroups: string[];
  department: string;
  /** Area codes of the analysed layer. */
  areas: string[];
  /** Budget of the analysed year in cents. */
  budgetCents: number;
}

export interface NeedArea {
  code: string;
  name: string;
  /** The need class (number) or null. */
  needClass: number | null;
  /** The size of the target group in the area, or null when unknown. */
  targetPopulation: number | null;
}

export interface AreaMeasures {
  code: string;
  name: string;
  needClass: number | null;
  targetPopulation: number | null;
  runningMeasures: number;
  measures: string[];
  /** Σ budget of the running measures, each split evenly over its areas of the layer (cents). */
  budgetCents: number;
  /** Budget per head of the target group (EUR, rounded to cents), null without population. */
  budgetPerHead: number | null;
}

export interface MeasureFilter {
  field?: string;
  targetGroup?: string;
  department?: string;
  status?: MeasureStatus;
}

function matchesFilter(m: MeasureInAreas, f: MeasureFilter): boolean {
  if (f.field && !m.fields.includes(f.field)) return false;
  if (f.targetGroup && !m.targetGroups.includes(f.targetGroup)) return false;
  if (f.department && m.department !== f.department) return false;
  if (f.status && m.status !== f.status) return false;
  return true;
}

/**
 * Per area: the running measures (of the filter) on the date and their budget. A measure working
 * in n areas of the layer counts fully in each for the number, and with 1/n of its budget (in
 * whole cents, the remainder to the first areas in code order) so that the budgets add up.
 */
export function measuresPerArea(
  areas: NeedArea[],
  measures: MeasureInAreas[],
  date: string,
  f: MeasureFilter = {},
): AreaMeasures[] {
  const byArea = new Map<string, { keys: string[]; cents: number }>();
  for (const a of areas) byArea.set(a.code, { keys: [], cents: 0 });
  for (const m of measures) {
    if (!matchesFilter(m, f) || !isRunningOn(m, date)) continue;
    const inLayer = [...new Set(m.areas)].filter((c) => byArea.has(c)).sort();
    if (!inLayer.length) continue;
    const share = Math.floor(m.budgetCents / inLayer.length);
    let rest = m.budgetCents - share * inLayer.length;
    for (const c of inLayer) {
      const e = byArea.get(c)!;
      e.keys.push(m.key);
      e.cents += share + (rest > 0 ? 1 : 0);
      if (rest > 0) rest--;
    }
  }
  return areas.map((a) => {
    const e = byArea.get(a.code)!;
    return {
      code: a.code,
      name: a.name,
      needClass: a.needClass,
      targetPopulation: a.targetPopulation,
      runningMeasures: e.keys.length,
      measures: e.keys.sort(),
      budgetCents: e.cents,
      budgetPerHead:
        a.targetPopulation && a.targetPopulation > 0 ? Math.round(e.cents / a.targetPopulation) / 100 : null,
    };
  });
}

/**
 * Which class numbers count as high need: `classes` are class labels (of a saved index or
 * typology) or numbers. Throws a message naming the labels when one is unknown.
 */
export function resolveClasses(
  classes: string[],
  labels: string[] | null,
): { numbers: Set<number>; unknown: string[] } {
  const numbers = new Set<number>();
  const unknown: string[] = [];
  for (const c of classes) {
    const t = c.trim();
    if (/^\d+$/.test(t)) {
      numbers.add(Number(t));
      continue;
    }
    const i = labels ? labels.findIndex((l) => l.toLocaleLowerCase('de') === t.toLocaleLowerCase('de')) : -1;
    if (i >= 0) numbers.add(i + 1);
    else unknown.push(t);
  }
  return { numbers, unknown };
}

/**
 * The order of need: classes ranked so that the class of the first label given comes first
 * (e.g. "sehr niedrig" before "niedrig"), then by the size of the target group (larger first),
 * then by code.
 */
export function rankByNeed<T extends { code: string; needClass: number | null; targetPopulation: number | null }>(
  rows: T[],
  classOrder: number[],
): T[] {
  const pos = new Map(classOrder.map((c, i) => [c, i]));
  return [...rows].sort((a, b) => {
    const pa = a.needClass === null ? Infinity : (pos.get(a.needClass) ?? Infinity);
    const pb = b.needClass === null ? Infinity : (pos.get(b.needClass) ?? Infinity);
    if (pa !== pb) return pa - pb;
    const na = a.targetPopulation ?? -1,
      nb = b.targetPopulation ?? -1;
    if (na !== nb) return nb - na;
    return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
  });
}

export interface Coverage {
  date: string;
  /** Target group living in high-need areas. */
  population: number;
  /** Of them, living in an area with at least one running measure. */
  reached: number;
  /** reached / population, null when the population is 0. */
  share: number | null;
  areas: number;
  areasReached: number;
}

/** The share of the target group in high-need areas reached by at least one running measure. */
export function coverageOf(rows: AreaMeasures[], date: string): Coverage {
  let population = 0,
    reached = 0,
    areasReached = 0;
  for (const r of rows) {
    const n = r.targetPopulation ?? 0;
    population += n;
    if (r.runningMeasures > 0) {
      reached += n;
      areasReached++;
    }
  }
  return {
    date,
    population,
    reached,
    share: population > 0 ? reached / population : null,
    areas: rows.length,
    areasReached,
  };
}

/** Areas where at least `min` measures of the same filter run at once (default 2). */
export function overlapsOf(rows: AreaMeasures[], min = 2): AreaMeasures[] {
  return rows
    .filter((r) => r.runningMeasures >= min)
    .sort((a, b) => b.runningMeasures - a.runningMeasures || (a.code < b.code ? -1 : 1));
}
