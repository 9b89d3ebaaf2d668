// 360Giving (https://standard.threesixtygiving.org, schema 1.4): measures as grants, in JSON (a
// data package) and in its flat CSV (flatten-tool's path headers: plannedDates/0/startDate).
//
// The conventions of issue #17, accepted as written: the field of action and the target group are
// `classifications` with the vocabularies kommunalmonitor:handlungsfeld and
// kommunalmonitor:zielgruppe (code and title); locations are `beneficiaryLocation` entries whose
// geoCodeType is a layer key and whose geoCode the area code; plannedDates / actualDates give the
// period; the responsible department is fundingOrganization, the provider recipientOrganization.
// Beyond them (docs/measures.md): status, confidentiality and funding source are classifications
// too; the budget per year is one commitmentTransaction (planned) and one
// disbursementTransaction (spent) per year; links are relatedDocument entries; goals and
// milestones travel in the extension object `kommunalmonitor`; anything else a record carries is
// kept and given back on export.
import {
  VOCABULARY,
  centsOfNumber,
  euroNumber,
  plannedTotal,
  spentTotal,
  MEASURE_STATUSES,
  type BudgetYear,
  type Measure,
  type MeasureLocation,
  type MeasureStatus,
  type RecordProblem,
} from '../core/measures.ts';
import type { Confidentiality } from '../core/indicators.ts';
import { csvLine } from './csv-write.ts';

const ADDRESS_LOCATION = 'kommunalmonitor:adresse';
const EXTENSION_KEY = 'kommunalmonitor';

type Obj = Record<string, unknown>;

const MAPPED = new Set([
  'id',
  'title',
  'description',
  'currency',
  'amountAwarded',
  'amountDisbursed',
  'awardDate',
  'plannedDates',
  'actualDates',
  'recipientOrganization',
  'fundingOrganization',
  'grantProgramme',
  'beneficiaryLocation',
  'classifications',
  'commitmentTransaction',
  'disbursementTransaction',
  'relatedDocument',
  EXTENSION_KEY,
]);

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/** The title of a vocabulary code (the managed vocabulary's). */
export type VocabularyTitle = (kind: 'handlungsfeld' | 'zielgruppe', code: string) => string;

/** One measure as a 360Giving grant. `departmentName` names the fundingOrganization. */
function measureToGrant(m: Measure, title: VocabularyTitle = (_k, code) => code): Obj {
  const g: Obj = {
    id: m.key,
    title: m.title,
    description: m.description,
    currency: 'EUR',
    amountAwarded: euroNumber(plannedTotal(m)),
  };
  if (m.budget.some((b) => b.spentCents !== null)) g.amountDisbursed = euroNumber(spentTotal(m));
  g.awardDate = m.awardDate ?? m.planned.start ?? m.actual.start ?? '1970-01-01';
  const dates = (p: { start: string | null; end: string | null }) => [
    { ...(p.start ? { startDate: p.start } : {}), ...(p.end ? { endDate: p.end } : {}) },
  ];
  if (m.planned.start || m.planned.end) g.plannedDates = dates(m.planned);
  if (m.actual.start || m.actual.end) g.actualDates = dates(m.actual);
  const funder: Obj = { id: m.department, name: m.departmentName ?? m.department, department: m.department };
  if (m.contact.role) funder.contactName = m.contact.role;
  if (m.contact.email) funder.email = m.contact.email;
  g.recipientOrganization = [
    m.provider
      ? { id: m.provider.id, name: m.provider.name }
      : { id: m.department, name: m.departmentName ?? m.department },
  ];
  g.fundingOrganization = [funder];
  if (m.programme)
    g.grantProgramme = [
      { code: m.programme.code, ...(m.programme.title !== null ? { title: m.programme.title } : {}) },
    ];
  if (m.locations.length) g.beneficiaryLocation = m.locations.map(locationOut);
  const cls: Obj[] = [
    ...m.fields.map((code) => ({ vocabulary: VOCABULARY.handlungsfeld, code, title: title('handlungsfeld', code) })),
    ...m.targetGroups.map((code) => ({ vocabulary: VOCABULARY.zielgruppe, code, title: title('zielgruppe', code) })),
    { vocabulary: VOCABULARY.status, code: m.status, title: m.status },
    { vocabulary: VOCABULARY.vertraulichkeit, code: m.confidentiality, title: m.confidentiality },
    ...(m.fundingSource !== null
      ? [{ vocabulary: VOCABULARY.finanzierungsquelle, code: m.fundingSource, title: m.fundingSource }]
      : []),
  ];
  const extra = { ...m.extra };
  const foreign = Array.isArray(extra.classifications) ? (extra.classifications as Obj[]) : [];
  delete extra.classifications;
  g.classifications = [...cls, ...foreign];
  const planned = m.budget.filter((b) => b.plannedCents !== null);
  const spent = m.budget.filter((b) => b.spentCents !== null);
  if (planned.length)
    g.commitmentTransaction = planned.map((b) => ({
      id: `${m.key}-plan-${b.year}`,
      transactionDate: `${b.year}-01-01`,
      currency: 'EUR',
      value: euroNumber(b.plannedCents!),
    }));
  if (spent.length)
    g.disbursementTransaction = spent.map((b) => ({
      id: `${m.key}-ist-${b.year}`,
      transactionDate: `${b.year}-12-31`,
      currency: 'EUR',
      value: euroNumber(b.spentCents!),
    }));
  if (m.links.length)
    g.relatedDocument = m.links.map((l, i) => ({
      id: `${m.key}-link-${i + 1}`,
      ...(l.title !== null ? { title: l.title } : {}),
      url: l.url,
    }));
  if (m.goals.length || m.milestones.length) g[EXTENSION_KEY] = { goals: m.goals, milestones: m.milestones };
  return { ...g, ...extra };
}

function locationOut(l: MeasureLocation): Obj {
  if (l.kind === 'area') return { geoCode: l.code, geoCodeType: l.layer, ...(l.name !== null ? { name: l.name } : {}) };
  if (l.kind === 'point') return { ...(l.name !== null ? { name: l.name } : {}), latitude: l.y, longitude: l.x };
  return { name: l.address, description: ADDRESS_LOCATION, ...(l.x !== null ? { latitude: l.y, longitude: l.x } : {}) };
}

export interface GrantRead {
  measure: Measure;
  problems: RecordProblem[];
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const arr = (v: unknown): Obj[] =>
  Array.isArray(v) ? v.filter((x): x is Obj => !!x && typeof x === 'object' && !Array.isArray(x)) : [];

/** A date of a 360Giving date field (date or date-time) as YYYY-MM-DD; a year-month start as its first day. */
function dateOf(v: unknown, end = false): string | null {
  const s = str(v);
  if (!s) return null;
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) return s.slice(0, 10);
  if (/^\d{4}-\d{2}$/.test(s)) {
    if (!end) return s + '-01';
    const [y, mo] = s.split('-').map(Number);
    return `${s}-${String(new Date(Date.UTC(y, mo, 0)).getUTCDate()).padStart(2, '0')}`;
  }
  if (/^\d{4}$/.test(s)) return end ? `${s}-12-31` : `${s}-01-01`;
  return s;
}

/**
 * A 360Giving grant as a measure. Problems name the field (a JSON path from the grant). What the
 * grant carries beyond the mapped fields is kept in `extra`.
 */
export function grantToMeasure(g: Obj): GrantRead {
  const problems: RecordProblem[] = [];
  const key = str(g.id) ?? '';
  if (!key) problems.push({ field: 'id', reason: 'the grant has no id' });
  if (g.currency !== undefined && g.currency !== 'EUR')
    problems.push({
      field: 'currency',
      value: String(g.currency),
      reason: 'only EUR amounts are taken',
      hint: 'convert the amounts to EUR',
    });
  const funders = arr(g.fundingOrganization);
  const funder = funders[0];
  if (!funder)
    problems.push({
      field: 'fundingOrganization',
      reason: 'the grant names no fundingOrganization (the responsible department)',
    });
  const department = str(funder?.department) ?? str(funder?.id) ?? '';
  const recipient = arr(g.recipientOrganization)[0];
  const provider =
    recipient && !(str(recipient.id) === department || str(recipient.id) === str(funder?.id))
      ? { id: str(recipient.id) ?? '', name: str(recipient.name) ?? '' }
      : null;
  const programme = arr(g.grantProgramme)[0];
  const fields: string[] = [],
    targetGroups: string[] = [],
    foreign: Obj[] = [];
  let status: string | null = null,
    confidentiality: string | null = null,
    fundingSource: string | null = null;
  arr(g.classifications).forEach((c, i) => {
    const code = str(c.code) ?? '';
    switch (c.vocabulary) {
      case VOCABULARY.handlungsfeld:
        fields.push(code);
        break;
      case VOCABULARY.zielgruppe:
        targetGroups.push(code);
        break;
      case VOCABULARY.status:
        status = code;
        break;
      case VOCABULARY.vertraulichkeit:
        if (!['public', 'internal', 'restricted'].includes(code))
          problems.push({
            field: `classifications/${i}/code`,
            value: code,
            reason: 'unknown confidentiality',
            hint: 'public, internal or restricted',
          });
        confidentiality = code;
        break;
      case VOCABULARY.finanzierungsquelle:
        fundingSource = code;
        break;
      default:
        foreign.push(c);
    }
  });
  const planned = arr(g.plannedDates)[0] ?? {};
  const actual = arr(g.actualDates)[0] ?? {};
  const p = {
    start: dateOf(planned.startDate),
    end: dateOf(planned.endDate, true) ?? durationEnd(dateOf(planned.startDate), planned.duration),
  };
  const a = {
    start: dateOf(actual.startDate),
    end: dateOf(actual.endDate, true) ?? durationEnd(dateOf(actual.startDate), actual.duration),
  };
  if (status === null) status = a.end ? 'abgeschlossen' : a.start ? 'laufend' : 'geplant';
  if (!(MEASURE_STATUSES as readonly string[]).includes(status))
    problems.push({
      field: 'classifications',
      value: status,
      reason: `unknown status "${status}"`,
      hint: `one of ${MEASURE_STATUSES.join(', ')}`,
    });

  // Budget per year: transactions, else the totals on the year of the start.
  const budget = new Map<number, BudgetYear>();
  const yearOf = (d: string | null) => (d && /^\d{4}/.test(d) ? Number(d.slice(0, 4)) : null);
  const take = (list: Obj[], which: 'plannedCents' | 'spentCents', path: string) =>
    list.forEach((t, i) => {
      const year = yearOf(str(t.transactionDate));
      const cents = typeof t.value === 'number' ? centsOfNumber(t.value) : null;
      if (year === null)
        return problems.push({
          field: `${path}/${i}/transactionDate`,
          value: String(t.transactionDate ?? ''),
          reason: 'a transaction needs its date',
        });
      if (cents === null || cents < 0)
        return problems.push({
          field: `${path}/${i}/value`,
          value: String(t.value ?? ''),
          reason: 'the value must be a non-negative amount in EUR with at most two decimals',
        });
      if (t.currency !== undefined && t.currency !== 'EUR')
        return problems.push({
          field: `${path}/${i}/currency`,
          value: String(t.currency),
          reason: 'only EUR amounts are taken',
        });
      const b = budget.get(year) ?? budget.set(year, { year, plannedCents: null, spentCents: null }).get(year)!;
      b[which] = (b[which] ?? 0) + cents;
    });
  const commitments = arr(g.commitmentTransaction),
    disbursements = arr(g.disbursementTransaction);
  take(commitments, 'plannedCents', 'commitmentTransaction');
  take(disbursements, 'spentCents', 'disbursementTransaction');
  const total = (v: unknown, path: string): number | null => {
    if (v === undefined) return null;
    const c = typeof v === 'number' ? centsOfNumber(v) : null;
    if (c === null || c < 0)
      problems.push({
        field: path,
        value: String(v),
        reason: 'the amount must be a non-negative number in EUR with at most two decimals',
      });
    return c;
  };
  const awarded = total(g.amountAwarded, 'amountAwarded');
  const disbursed = total(g.amountDisbursed, 'amountDisbursed');
  const awardDate = dateOf(g.awardDate);
  const fallbackYear = yearOf(p.start) ?? yearOf(a.start) ?? yearOf(awardDate);
  if (!commitments.length && awarded && fallbackYear !== null) {
    const b =
      budget.get(fallbackYear) ??
      budget.set(fallbackYear, { year: fallbackYear, plannedCents: null, spentCents: null }).get(fallbackYear)!;
    b.plannedCents = awarded;
  }
  if (!disbursements.length && disbursed && fallbackYear !== null) {
    const y = yearOf(a.end) ?? fallbackYear;
    const b = budget.get(y) ?? budget.set(y, { year: y, plannedCents: null, spentCents: null }).get(y)!;
    b.spentCents = disbursed;
  }

  const locations: MeasureLocation[] = [];
  arr(g.beneficiaryLocation).forEach((l, i) => {
    const name = orNull(str(l.name) ?? undefined);
    const lat = typeof l.latitude === 'number' ? l.latitude : null;
    const lon = typeof l.longitude === 'number' ? l.longitude : null;
    if (l.description === ADDRESS_LOCATION) {
      if (!name)
        problems.push({
          field: `beneficiaryLocation/${i}/name`,
          reason: 'an address location needs the address as its name',
        });
      else locations.push({ kind: 'address', address: name, x: lon, y: lat, name: null, codes: {} });
    } else if (str(l.geoCode) !== null || str(l.geoCodeType) !== null) {
      const layer = str(l.geoCodeType),
        code = str(l.geoCode);
      if (!layer || !code)
        problems.push({
          field: `beneficiaryLocation/${i}`,
          reason: 'an area location needs both geoCode (the area code) and geoCodeType (the layer key)',
        });
      else locations.push({ kind: 'area', layer, code, name });
    } else if (lat !== null && lon !== null) locations.push({ kind: 'point', x: lon, y: lat, name, codes: {} });
    else
      problems.push({
        field: `beneficiaryLocation/${i}`,
        value: name ?? undefined,
        reason: 'the location has neither an area (geoCode, geoCodeType) nor a point (latitude, longitude)',
        hint: `for an address write it as the name with description "${ADDRESS_LOCATION}"`,
      });
  });

  const ext = g[EXTENSION_KEY] && typeof g[EXTENSION_KEY] === 'object' ? (g[EXTENSION_KEY] as Obj) : {};
  const extra: Obj = {};
  for (const [k, v] of Object.entries(g)) if (!MAPPED.has(k)) extra[k] = v;
  if (foreign.length) extra.classifications = foreign;
  const measure: Measure = {
    key,
    title: str(g.title) ?? '',
    description: str(g.description) ?? '',
    department,
    departmentName: str(funder?.name),
    provider,
    programme: programme && str(programme.code) ? { code: str(programme.code)!, title: str(programme.title) } : null,
    fundingSource,
    status: status as MeasureStatus,
    awardDate,
    planned: p,
    actual: a,
    confidentiality: (confidentiality ?? 'internal') as Confidentiality,
    contact: { role: str(funder?.contactName), email: str(funder?.email) },
    budget: [...budget.values()].sort((x, y) => x.year - y.year),
    locations,
    fields,
    targetGroups,
    goals: arr(ext.goals).map((x) => ({
      title: str(x.title) ?? '',
      indicator: str(x.indicator),
      unit: str(x.unit),
      baseline: typeof x.baseline === 'number' ? x.baseline : null,
      target: typeof x.target === 'number' ? x.target : null,
      actuals: arr(x.actuals).map((y) => ({ period: String(y.period ?? ''), value: Number(y.value) })),
    })),
    milestones: arr(ext.milestones).map((x) => ({ title: str(x.title) ?? '', due: str(x.due), done: str(x.done) })),
    links: arr(g.relatedDocument)
      .filter((d) => str(d.url))
      .map((d) => ({ title: str(d.title), url: str(d.url)! })),
    extra,
  };
  return { measure, problems };
}

function durationEnd(start: string | null, months: unknown): string | null {
  if (!start || typeof months !== 'number' || !(months > 0)) return null;
  const d = new Date(start + 'T00:00:00Z');
  d.setUTCMonth(d.getUTCMonth() + Math.round(months));
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export interface PackageMeta {
  title: string;
  publisher: { name: string; identifier?: string; website?: string };
  license?: string;
  issued?: string;
}

/** A 360Giving data package of the measures. */
export function measuresPackage(measures: Measure[], meta: PackageMeta, title?: VocabularyTitle): Obj {
  return {
    version: '1.4',
    extensions: [],
    title: meta.title,
    ...(meta.issued ? { issued: meta.issued } : {}),
    publisher: meta.publisher,
    ...(meta.license ? { license: meta.license } : {}),
    grants: measures.map((m) => measureToGrant(m, title)),
  };
}

/** The grants of a package (or of a bare array / single grant). */
export function grantsOf(doc: unknown): { grants: Obj[]; problem: string | null } {
  if (Array.isArray(doc)) return { grants: arr(doc), problem: null };
  if (doc && typeof doc === 'object') {
    const o = doc as Obj;
    if (Array.isArray(o.grants)) return { grants: arr(o.grants), problem: null };
    if (typeof o.id === 'string') return { grants: [o], problem: null };
  }
  return {
    grants: [],
    problem: 'not a 360Giving data package: an object with "grants" (an array of grants) was expected',
  };
}

// ---------------------------------------------------------------------------------------------
// Flat CSV (flatten-tool's path headers; "," and decimal point, as 360Giving files are written).

const NUMERIC_LEAVES = new Set([
  'amountAwarded',
  'amountAppliedFor',
  'amountDisbursed',
  'value',
  'latitude',
  'longitude',
  'duration',
  'baseline',
  'target',
]);

function flatten(v: unknown, path: string, out: Map<string, string>): void {
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) v.forEach((x, i) => flatten(x, `${path}/${i}`, out));
  else if (typeof v === 'object') for (const [k, x] of Object.entries(v)) flatten(x, path ? `${path}/${k}` : k, out);
  else out.set(path, String(v));
}

/** Grants as one flat CSV: a column per path (first-seen order), one row per grant. */
export function grantsToFlatCsv(grants: Obj[]): string {
  const rows = grants.map((g) => {
    const m = new Map<string, string>();
    flatten(g, '', m);
    return m;
  });
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of r.keys()) if (!seen.has(k)) (seen.add(k), columns.push(k));
  const lines = [csvLine(columns, ',')];
  for (const r of rows)
    lines.push(
      csvLine(
        columns.map((c) => r.get(c) ?? ''),
        ',',
      ),
    );
  return lines.join('\r\n') + '\r\n';
}

/** One flat row (path → text) back as a grant; numeric leaves become numbers. */
export function unflattenGrant(
  columns: string[],
  cells: string[],
): { grant: Obj; problems: { column: string; value: string; reason: string }[] } {
  const root: Obj = {};
  const problems: { column: string; value: string; reason: string }[] = [];
  columns.forEach((col, ci) => {
    const text = cells[ci] ?? '';
    if (text === '' || !col) return;
    const parts = col.split('/');
    let node: Record<string, unknown> = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      if (i === parts.length - 1) {
        let v: unknown = text;
        if (NUMERIC_LEAVES.has(part)) {
          v = Number(text);
          if (!/^-?\d+(\.\d+)?(e-?\d+)?$/i.test(text))
            problems.push({ column: col, value: text, reason: 'not a number (write 1234.56)' });
        }
        node[part] = v;
      } else {
        // Arrays are built as objects keyed by index and turned into arrays below.
        node[part] ??= {};
        node = node[part] as Record<string, unknown>;
      }
    }
  });
  // Arrays written with gaps (an empty column group) are closed up.
  const compact = (v: unknown): unknown => {
    if (!v || typeof v !== 'object') return v;
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length && entries.every(([k]) => /^\d+$/.test(k)))
      return entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, x]) => compact(x));
    return Object.fromEntries(entries.map(([k, x]) => [k, compact(x)]));
  };
  return { grant: compact(root) as Obj, problems };
}
