// The sealed statistics office's page (/statistikstelle): the definition form ↔ the definition
// document, the server's problems ↔ the form's fields, the run's address, and the disclosure
// marks of the counts. Pure functions (no DOM, no storage): unit-tested in test/web/sealed.test.ts.
// Nothing here keeps a record, an address or a run's answer: the view holds them in memory only.

import type { SealedRunResult } from '../../../src/core/sealed/answer.ts';

/** A sealed definition as JSON data (the format of docs/sealed-office.md). */
export type SealedDoc = Record<string, unknown>;

export type AddressMode = 'column' | 'street' | 'xy';

export interface BreakdownForm {
  dimension: string;
  from: string;
  kind: 'bands' | 'map';
  /** Bands as "0-6:unter6; 6-10:6-10", or a map as "w=weiblich; m=maennlich". */
  rules: string;
}

/** The main fields of a definition as the form edits them (texts, as typed). */
export interface DefinitionForm {
  key: string;
  indicatorKey: string;
  indicatorName: string;
  unit: string;
  owner: string;
  period: string;
  referenceDate: string;
  addressMode: AddressMode;
  addressColumn: string;
  street: string;
  number: string;
  postcode: string;
  x: string;
  y: string;
  crs: string;
  breakdowns: BreakdownForm[];
  minFrequency: string;
}

/** The form's field ids (also the ids of the inputs, prefixed with "sealed-"). */
export type FormField =
  | 'key'
  | 'indicatorKey'
  | 'indicatorName'
  | 'unit'
  | 'owner'
  | 'period'
  | 'referenceDate'
  | 'address'
  | 'breakdowns'
  | 'minFrequency'
  | 'raw';

const obj = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

/** A new definition: the issue's example shape with empty texts. */
export function emptyForm(): DefinitionForm {
  return {
    key: '',
    indicatorKey: '',
    indicatorName: '',
    unit: '',
    owner: '',
    period: '',
    referenceDate: '',
    addressMode: 'column',
    addressColumn: 'Anschrift',
    street: '',
    number: '',
    postcode: '',
    x: '',
    y: '',
    crs: '',
    breakdowns: [],
    minFrequency: '3',
  };
}

/** "0-6:unter6; 6-10:6-10" ← [[0, 6, "unter6"], [6, 10, "6-10"]]. */
export function formatBands(bands: unknown): string {
  if (!Array.isArray(bands)) return '';
  return bands
    .map((b) => (Array.isArray(b) ? `${str(b[0])}-${str(b[1])}:${str(b[2])}` : ''))
    .filter(Boolean)
    .join('; ');
}

/** [[0, 6, "unter6"], …] from "0-6:unter6; 6-10:6-10"; null when a part is not "from-to:member". */
export function parseBands(text: string): [number, number, string][] | null {
  const parts = text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
  const out: [number, number, string][] = [];
  for (const p of parts) {
    const m = /^(\d+(?:[.,]\d+)?)\s*[-–]\s*(\d+(?:[.,]\d+)?)\s*:\s*(\S.*)$/.exec(p);
    if (!m) return null;
    out.push([Number(m[1].replace(',', '.')), Number(m[2].replace(',', '.')), m[3].trim()]);
  }
  return out;
}

/** "w=weiblich; m=maennlich" ← { w: "weiblich", m: "maennlich" }. */
export function formatMap(map: unknown): string {
  return Object.entries(obj(map))
    .map(([k, v]) => `${k}=${str(v)}`)
    .join('; ');
}

/** { w: "weiblich", … } from "w=weiblich; m=maennlich"; null when a part has no "=". */
export function parseMap(text: string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const p of text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = p.indexOf('=');
    if (i <= 0 || i === p.length - 1) return null;
    out[p.slice(0, i).trim()] = p.slice(i + 1).trim();
  }
  return out;
}

/** The form's view of a definition document (fields the form does not know stay in the document). */
export function formFromDoc(doc: SealedDoc): DefinitionForm {
  const ind = obj(doc.indicator);
  const a = obj(doc.address);
  const mode: AddressMode =
    a.street !== undefined ? 'street' : a.x !== undefined || a.y !== undefined ? 'xy' : 'column';
  const breakdowns = Object.entries(obj(doc.breakdowns)).map(([dimension, b]) => {
    const o = obj(b);
    const kind: 'bands' | 'map' = o.map !== undefined ? 'map' : 'bands';
    return { dimension, from: str(o.from), kind, rules: kind === 'map' ? formatMap(o.map) : formatBands(o.bands) };
  });
  const disclosure = obj(doc.disclosure);
  return {
    key: str(doc.key),
    indicatorKey: str(ind.key),
    indicatorName: str(ind.name),
    unit: str(ind.unit),
    owner: str(ind.owner),
    period: str(doc.period),
    referenceDate: str(doc.referenceDate),
    addressMode: mode,
    addressColumn: mode === 'column' ? str(a.column) : '',
    street: str(a.street),
    number: str(a.number),
    postcode: str(a.postcode),
    x: str(a.x),
    y: str(a.y),
    crs: str(a.crs),
    breakdowns,
    minFrequency: str(disclosure.minFrequency),
  };
}

/** Sets a key when the text is not empty, removes it otherwise. */
function put(o: Record<string, unknown>, k: string, v: string): void {
  const t = v.trim();
  if (t) o[k] = t;
  else delete o[k];
}

/**
 * The definition document with the form's fields written into `base` (the document the form was
 * opened from): what the form does not edit (description, themes, layers, strictPostcode, …) is
 * kept. Rules that cannot be read ("0-6 unter6") are kept as text, so that the server names them.
 */
export function docFromForm(form: DefinitionForm, base: SealedDoc = {}): SealedDoc {
  const doc: SealedDoc = { ...base };
  put(doc, 'key', form.key);
  const ind: Record<string, unknown> = { type: 'count', ...obj(base.indicator) };
  put(ind, 'key', form.indicatorKey);
  put(ind, 'name', form.indicatorName);
  put(ind, 'unit', form.unit);
  put(ind, 'owner', form.owner);
  const dims = form.breakdowns.map((b) => b.dimension.trim()).filter(Boolean);
  // The indicator's dimensions are the breakdowns (the form's order).
  if (dims.length) ind.dimensions = dims;
  else delete ind.dimensions;
  doc.indicator = ind;
  put(doc, 'period', form.period);
  put(doc, 'referenceDate', form.referenceDate);
  const oldAddress = obj(base.address);
  const address: Record<string, unknown> = {};
  if (oldAddress.strictPostcode !== undefined) address.strictPostcode = oldAddress.strictPostcode;
  if (form.addressMode === 'column') put(address, 'column', form.addressColumn);
  else if (form.addressMode === 'street') {
    put(address, 'street', form.street);
    put(address, 'number', form.number);
    put(address, 'postcode', form.postcode);
  } else {
    put(address, 'x', form.x);
    put(address, 'y', form.y);
    put(address, 'crs', form.crs);
  }
  doc.address = address;
  const oldBreakdowns = obj(base.breakdowns);
  const breakdowns: Record<string, unknown> = {};
  for (const b of form.breakdowns) {
    const dim = b.dimension.trim();
    if (!dim) continue;
    const old = obj(oldBreakdowns[dim]);
    const out: Record<string, unknown> = {};
    if (old.name !== undefined) out.name = old.name;
    out.from = b.from.trim();
    if (b.kind === 'bands') out.bands = parseBands(b.rules) ?? b.rules;
    else out.map = parseMap(b.rules) ?? b.rules;
    breakdowns[dim] = out;
  }
  if (Object.keys(breakdowns).length) doc.breakdowns = breakdowns;
  else delete doc.breakdowns;
  const disclosure: Record<string, unknown> = { ...obj(base.disclosure) };
  const mf = form.minFrequency.trim();
  if (mf) disclosure.minFrequency = /^\d+$/.test(mf) ? Number(mf) : mf;
  else delete disclosure.minFrequency;
  if (Object.keys(disclosure).length) doc.disclosure = disclosure;
  else delete doc.disclosure;
  return doc;
}

/** What the form can say before the server is asked (the server checks everything again). */
export function formProblems(
  form: DefinitionForm,
): Partial<Record<FormField, 'required' | 'key' | 'bands' | 'map' | 'number' | 'date'>> {
  const p: Partial<Record<FormField, 'required' | 'key' | 'bands' | 'map' | 'number' | 'date'>> = {};
  const key = /^[a-z][a-z0-9_]{0,62}$/;
  if (!form.key.trim()) p.key = 'required';
  else if (!key.test(form.key.trim())) p.key = 'key';
  if (!form.indicatorKey.trim()) p.indicatorKey = 'required';
  else if (!key.test(form.indicatorKey.trim())) p.indicatorKey = 'key';
  if (!form.indicatorName.trim()) p.indicatorName = 'required';
  if (!form.unit.trim()) p.unit = 'required';
  if (!form.owner.trim()) p.owner = 'required';
  if (!form.period.trim()) p.period = 'required';
  if (form.referenceDate.trim() && !/^(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})$/.test(form.referenceDate.trim()))
    p.referenceDate = 'date';
  const addressSet =
    form.addressMode === 'column'
      ? form.addressColumn.trim()
      : form.addressMode === 'street'
        ? form.street.trim()
        : form.x.trim() && form.y.trim();
  if (!addressSet) p.address = 'required';
  for (const b of form.breakdowns) {
    if (!b.dimension.trim() || !b.from.trim()) p.breakdowns = 'required';
    else if (b.kind === 'bands' && !parseBands(b.rules)?.length) p.breakdowns = 'bands';
    else if (b.kind === 'map' && !Object.keys(parseMap(b.rules) ?? {}).length) p.breakdowns = 'map';
    if (p.breakdowns) break;
  }
  if (form.minFrequency.trim() && !/^[1-9]\d*$/.test(form.minFrequency.trim())) p.minFrequency = 'number';
  return p;
}

/** The form field a problem of the server is about ("indicator.owner" → owner); "raw" when the form has none. */
export function problemField(column: string | number | undefined): FormField {
  const c = String(column ?? '');
  if (c === 'key') return 'key';
  if (c === 'indicator.key') return 'indicatorKey';
  if (c === 'indicator.name') return 'indicatorName';
  if (c === 'indicator.unit') return 'unit';
  if (c === 'indicator.owner') return 'owner';
  if (c === 'period') return 'period';
  if (c === 'referenceDate') return 'referenceDate';
  if (c === 'address' || c.startsWith('address.')) return 'address';
  if (c === 'breakdowns' || c.startsWith('breakdowns.') || c.startsWith('breakdowns[') || c === 'indicator.dimensions')
    return 'breakdowns';
  if (c === 'disclosure' || c.startsWith('disclosure.')) return 'minFrequency';
  return 'raw';
}

/** The server's problems grouped by form field. */
export function problemsByField<P extends { column?: string | number; reason?: string }>(
  problems: P[],
): Partial<Record<FormField, P[]>> {
  const out: Partial<Record<FormField, P[]>> = {};
  for (const p of problems) (out[problemField(p.column)] ??= []).push(p);
  return out;
}

/** A file name the run route accepts (its extension tells the format); null when the extension is not a table's. */
export function runFileName(name: string): string | null {
  const base = name.split(/[\\/]/).pop() ?? '';
  const m = /\.(csv|txt|tsv|xlsx)$/i.exec(base);
  if (!m) return null;
  let stem = base
    .slice(0, base.length - m[0].length)
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, 150);
  if (!stem) stem = 'datei';
  return `${stem}.${m[1].toLowerCase()}`;
}

/** The address of a run: POST /api/sealed/run?definition=…&file=…[&dryRun=true]. */
export function runUrl(definition: string, fileName: string, dryRun: boolean, maxUnassignedShare?: number): string {
  const u = new URLSearchParams({ definition, file: fileName });
  if (dryRun) u.set('dryRun', 'true');
  if (maxUnassignedShare !== undefined && Number.isFinite(maxUnassignedShare))
    u.set('maxUnassignedShare', String(maxUnassignedShare));
  return `/api/sealed/run?${u.toString()}`;
}

/** A share 0 … 1 of a whole, rounded to one decimal in percent (0 when the whole is 0). */
export function percent(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
}

// ---------------------------------------------------------------------------------------------
// Disclosure marks

export type Mark = 'primary' | 'secondary';

/** A cell's key: layer, area code, members (sorted by dimension). */
export function cellKey(layer: string, code: string, members: Record<string, string>): string {
  return `${layer}|${code}|${Object.keys(members)
    .sort()
    .map((d) => `${d}=${members[d]}`)
    .join('&')}`;
}

/**
 * The marks known without the server's pattern: primary suppression by frequency (1 …
 * minFrequency−1 cases; a zero is shown). The server's pattern (a dry run's `disclosure`, or the
 * stored one after the commit) gives secondary suppression too (disclosureMarks).
 */
export function primaryMark(value: number, minFrequency: number | undefined): Mark | undefined {
  if (!minFrequency || minFrequency < 1) return undefined;
  return value > 0 && value < minFrequency ? 'primary' : undefined;
}

/** The members of a disclosure cell id "world|version|code|mk" (mk: "d\u0000m\u0001…" or "d=m&…"). */
export function cellIdMembers(mk: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of mk.split(/[\u0001&]/)) {
    if (!part) continue;
    const i = part.search(/[\u0000=]/);
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

/**
 * The marks of the stored pattern from GET /api/indicators/{key}/disclosure?cells=all: per cell
 * key (layer from the readable description "layer@date code [...]", code and members from the id).
 */
export function disclosureMarks(report: {
  reports?: { audit?: { intervals?: { cell: string; id: string; suppression: Mark }[] } }[];
}): Map<string, Mark> {
  const out = new Map<string, Mark>();
  for (const r of report.reports ?? []) {
    for (const x of r.audit?.intervals ?? []) {
      const parts = x.id.split('|');
      if (parts.length < 4) continue;
      const [, , code, ...rest] = parts;
      const layer = /^([^@\s]+)/.exec(x.cell)?.[1];
      if (!layer || code === '*') continue;
      out.set(cellKey(layer, code, cellIdMembers(rest.join('|'))), x.suppression);
    }
  }
  return out;
}

export interface CountRow {
  layer: string;
  code: string;
  members: Record<string, string>;
  value: number;
  mark?: Mark;
}

/** The counts with their marks: the stored pattern when known, else the primary marks of the rule. */
export function markedCounts(
  counts: { layer: string; code: string; members: Record<string, string>; value: number }[],
  minFrequency: number | undefined,
  pattern?: Map<string, Mark> | null,
): CountRow[] {
  return counts.map((c) => ({
    ...c,
    mark: pattern ? pattern.get(cellKey(c.layer, c.code, c.members)) : primaryMark(c.value, minFrequency),
  }));
}

/** Per area of a layer: its total and how many of its cells are withheld, by kind. */
export function areaTotals(
  rows: CountRow[],
): { layer: string; code: string; total: number; cells: number; primary: number; secondary: number }[] {
  const by = new Map<
    string,
    { layer: string; code: string; total: number; cells: number; primary: number; secondary: number }
  >();
  for (const r of rows) {
    const k = `${r.layer}|${r.code}`;
    let a = by.get(k);
    if (!a) by.set(k, (a = { layer: r.layer, code: r.code, total: 0, cells: 0, primary: 0, secondary: 0 }));
    a.total += r.value;
    a.cells += 1;
    if (r.mark === 'primary') a.primary += 1;
    if (r.mark === 'secondary') a.secondary += 1;
  }
  return [...by.values()];
}

/** "altersgruppe: 6-10, geschlecht: weiblich". */
export function membersText(members: Record<string, string>): string {
  return Object.entries(members)
    .map(([d, m]) => `${d}: ${m}`)
    .join(', ');
}

// ---------------------------------------------------------------------------------------------
// The answer of POST /api/sealed/run (src/core/sealed/answer.ts) and its word lists (src/contracts).

export { MATCH_METHODS, UNASSIGNABLE_REASONS } from '../../../src/contracts/vocabulary.ts';

/** The answer of POST /api/sealed/run (the server's own type). */
export type SealedRunAnswer = SealedRunResult;

/** The minFrequency of a definition document (undefined when it names none). */
export function minFrequencyOf(doc: SealedDoc | null | undefined): number | undefined {
  const v = obj(doc?.disclosure).minFrequency;
  return typeof v === 'number' && v >= 1 ? v : undefined;
}
