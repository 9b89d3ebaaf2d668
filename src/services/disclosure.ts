// Disclosure control (Geheimhaltung, issue 14): for one indicator and period, the linked tables
// of everything published for it (every layer version, every breakdown combination, the totals),
// the suppression pattern that protects them (core/disclosure), cached in the read snapshot, and
// the masking every read path applies (query.ts: observations, time series, profiles; and through
// them the exports, the cockpit, the indicator page and the analysis inputs).
//
// One pattern per (indicator, period, data version): the snapshot is the data version — any
// import batch makes a new snapshot, and with it new patterns.
import type { DisclosureReport, IndicatorDisclosureAnswer } from '../contracts/answers/index.ts';
import type { Queryable } from '../store/db.ts';
import { type IndicatorRow, type LayerVersionRow, type PeriodRow } from '../store/catalog.ts';
import { createHash } from 'node:crypto';
import {
  hasDisclosureRules,
  observationsForDisclosure,
  storedPattern,
  storePattern,
  versionGeometries,
  type DisclosureObservationRow,
} from '../store/disclosure.ts';
import { rollUp, type AreaValue, type SourceSums } from '../core/aggregate.ts';
import { areaWeights } from '../core/geo/crosswalk.ts';
import { isDerivedRatio, type DisclosureProtect } from '../core/indicators.ts';
import { isSealedOffice, type Principal } from '../core/access.ts';
import type {
  AuditResult,
  Cell,
  DisclosureRule,
  Equation,
  LinkedTables,
  Pattern,
  Suppression,
} from '../core/disclosure/model.ts';
import { primaryCells } from '../core/disclosure/primary.ts';
import { protectOffThread } from './protect-off-thread.ts';
import { audit as auditTables } from '../core/disclosure/audit.ts';
import type { DisclosureRuleOut } from '../contracts/answers/index.ts';
import type { DisclosureMark } from '../contracts/vocabulary.ts';
import { snapshot, targetMap, type Snapshot } from './snapshot.ts';
import { periodsOf, requireReadable } from './indicator-access.ts';
import type { EffectiveRule, IndicatorPattern, World } from './disclosure-pattern.ts';

export type { EffectiveRule } from './disclosure-pattern.ts';
import { parsePeriod, PERIOD_HINT } from '../core/periods.ts';
import { InputRejected, NotFound, Forbidden, Unauthorized } from '../core/problems.ts';
import { coded } from '../contracts/codes/index.ts';
import { reasonFields, reasonOf } from '../core/reasons.ts';

// ---------------------------------------------------------------------------------------------
// The rule

/** The indicator's own rule, else its department's default; null when none applies. */
export function ruleOf(i: IndicatorRow): EffectiveRule | null {
  const own = i.disclosure ?? null;
  const dep = i.departmentDisclosure ?? null;
  const r = own ?? dep;
  if (!r) return null;
  const rule: DisclosureRule = { minFrequency: r.minFrequency };
  if (r.protectionWidth !== undefined) rule.protectionWidth = r.protectionWidth;
  if (r.dominance) rule.dominance = r.dominance;
  return { rule, protect: r.protect ?? 'public', from: own ? 'indicator' : 'department' };
}

export function ruleOut(i: IndicatorRow): DisclosureRuleOut | null {
  const r = ruleOf(i);
  if (!r) return null;
  return { ...r.rule, protect: r.protect, from: r.from };
}

/**
 * Whether protected values are withheld from this principal: from the public (`protect:
 * "public"`, the default), or from everyone but the owning department and the sealed office.
 * The local operator (CLI) sees everything.
 */
export function withheldFrom(who: Principal, owner: string | null, p: DisclosureProtect): boolean {
  if (who.kind === 'system') return false;
  if (p === 'public') return who.kind === 'anonymous';
  if (isSealedOffice(who)) return false;
  return !(who.kind === 'user' && who.department !== null && who.department === owner);
}

// ---------------------------------------------------------------------------------------------
// The model: linked tables of one indicator and period

interface AreaInfo {
  versionId: number;
  code: string;
  parentId: number | null;
}

interface Structure {
  areas: Map<number, AreaInfo>;
  children: Map<number, number[]>;
  versions: Map<number, LayerVersionRow>;
  layerOfVersion: Map<number, number>;
}

const structures = new WeakMap<Snapshot, Structure>();

function structureOf(s: Snapshot): Structure {
  let st = structures.get(s);
  if (st) return st;
  const areas = new Map<number, AreaInfo>();
  const versions = new Map<number, LayerVersionRow>();
  const layerOfVersion = new Map<number, number>();
  for (const [layerId, list] of s.versionsByLayer)
    for (const v of list) (versions.set(v.id, v), layerOfVersion.set(v.id, layerId));
  // area_ancestor holds every area at depth 0 (itself) and its parent at depth 1.
  const parentCode = new Map<number, { versionId: number; code: string }>();
  for (const [areaId, list] of s.ancestors) {
    let own: { versionId: number; code: string } | undefined;
    for (const a of list) {
      if (a.depth === 0) own = a;
      else if (a.depth === 1) parentCode.set(areaId, a);
    }
    if (own) areas.set(areaId, { versionId: own.versionId, code: own.code, parentId: null });
  }
  const idOf = new Map<string, number>();
  for (const [id, a] of areas) idOf.set(`${a.versionId}|${a.code}`, id);
  const children = new Map<number, number[]>();
  for (const [id, p] of parentCode) {
    const pid = idOf.get(`${p.versionId}|${p.code}`);
    const a = areas.get(id);
    if (pid === undefined || !a) continue;
    a.parentId = pid;
    (children.get(pid) ?? children.set(pid, []).get(pid)!).push(id);
  }
  st = { areas, children, versions, layerOfVersion };
  structures.set(s, st);
  return st;
}

function validOn(v: { validFrom: string | null; validTo: string | null }, date: string): boolean {
  return (v.validFrom === null || v.validFrom <= date) && (v.validTo === null || date < v.validTo);
}

function signatureOf(dataVersions: LayerVersionRow[], date: string): string {
  return dataVersions
    .filter((v) => validOn(v, date))
    .map((v) => v.id)
    .sort((a, b) => a - b)
    .join(',');
}

const dayBefore = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The breakdown combinations the API serves: each dimension a member or its total ("*"). */
function combinations(s: Snapshot, i: IndicatorRow, rows: DisclosureObservationRow[]): Record<string, string>[] {
  let out: Record<string, string>[] = [{}];
  for (const d of i.dimensions) {
    const declared = s.dimensions.find((x) => x.key === d)?.members.map((m) => m.key) ?? [];
    const seen = new Set(declared);
    for (const r of rows) if (r.members[d] !== undefined) seen.add(r.members[d]);
    const next: Record<string, string>[] = [];
    for (const c of out) {
      next.push(c);
      for (const m of seen) next.push({ ...c, [d]: m });
    }
    out = next;
  }
  return out;
}

const matches = (members: Record<string, string>, filter: Record<string, string>) => {
  for (const d in filter) if (members[d] !== filter[d]) return false;
  return true;
};

/** A breakdown combination as text: "altersgruppe=unter6&geschlecht=w" (sorted), "" for the total. */
function membersKey(members: Record<string, string>): string {
  return Object.keys(members)
    .sort()
    .map((d) => `${d}=${members[d]}`)
    .join('&');
}

/** Cell id: world, layer version, area code ("*": the layer total), breakdown combination. */
function cellId(world: number, versionId: number, code: string, mk: string): string {
  return `${world}|${versionId}|${code}|${mk}`;
}

/** A readable form of a cell id for reports: "stadtteil@2021-01-01 0101 [altersgruppe=unter6]". */
function describeCell(s: Snapshot, id: string): string {
  const [w, v, code, mk] = id.split('|');
  const st = structureOf(s);
  const version = st.versions.get(Number(v));
  const layer = s.layers.find((l) => l.id === st.layerOfVersion.get(Number(v)));
  const members = mk ? mk.split('&').join(',') : '';
  return `${layer?.key ?? v}${version?.validFrom ? `@${version.validFrom}` : ''} ${code === '*' ? 'Gesamt' : code}${members ? ` [${members}]` : ''}${w !== '0' ? ` (Gebietsstand-Welt ${w})` : ''}`;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

/** Overlay areas that are an exact union of areas of a finer version: overlay code → contained codes. */
const unionCache = new WeakMap<Snapshot, Map<string, Promise<Map<string, string[]>>>>();

async function exactUnions(
  db: Queryable,
  s: Snapshot,
  fineVersion: number,
  overlayVersion: number,
): Promise<Map<string, string[]>> {
  let m = unionCache.get(s);
  if (!m) unionCache.set(s, (m = new Map()));
  const key = `${fineVersion}|${overlayVersion}`;
  let p = m.get(key);
  if (!p) {
    p = (async () => {
      const [fine, over] = [await versionGeometries(db, fineVersion), await versionGeometries(db, overlayVersion)];
      const out = new Map<string, string[]>();
      if (!fine.some((a) => a.geometry) || !over.some((a) => a.geometry)) return out;
      const cw = areaWeights(
        fine.filter((a) => a.geometry),
        over.filter((a) => a.geometry),
      );
      const fineMeasure = new Map(cw.from.map((a) => [a.code, a.measure]));
      const contained = new Map<string, { codes: string[]; measure: number }>();
      const partial = new Set<string>();
      for (const pair of cw.pairs) {
        if (pair.weight >= 0.999) {
          const c = contained.get(pair.to) ?? { codes: [], measure: 0 };
          c.codes.push(pair.from);
          c.measure += fineMeasure.get(pair.from) ?? 0;
          contained.set(pair.to, c);
        } else if (pair.weight > 0.001) partial.add(pair.to);
      }
      for (const t of cw.to) {
        const c = contained.get(t.code);
        if (!c || partial.has(t.code)) continue;
        if (c.measure >= t.measure * 0.999) out.set(t.code, c.codes);
      }
      return out;
    })();
    m.set(key, p);
  }
  return p;
}

/**
 * The linked tables of a count indicator for one period: per world (set of boundary versions
 * valid together) and breakdown combination, a cell for every area of every layer version with a
 * value, a total cell per layer version, and the equations an attacker knows: each parent is the
 * sum of its children, each layer total the sum of its areas, layer totals equal one another,
 * each combination with a total dimension the sum over that dimension's members, and each overlay
 * area that is an exact union of finer areas the sum of them. Equations are kept only where they
 * hold for the stored values (so estimates split by weights, which are not exact unions, state no
 * false relation) and where no cell of them is unknown (delivered suppressed or missing).
 */
async function buildTables(
  db: Queryable,
  s: Snapshot,
  i: IndicatorRow,
  period: PeriodRow,
): Promise<{
  tables: LinkedTables;
  worlds: World[];
  dataVersions: LayerVersionRow[];
  notes: string[];
  keep: Set<string>;
}> {
  const st = structureOf(s);
  const rows = await observationsForDisclosure(db, i.id, period.id);
  const notes: string[] = [];
  const dataVersionIds = new Set<number>();
  for (const r of rows) {
    const a = st.areas.get(r.areaId);
    if (a) dataVersionIds.add(a.versionId);
  }
  const dataVersions = [...dataVersionIds].map((id) => st.versions.get(id)!).filter(Boolean);
  // Worlds: the period's own date, and a date inside every stretch where another set of the
  // stored versions is valid together (reallocated estimates on another boundary version).
  const candidates = [period.end];
  for (const v of dataVersions) {
    if (v.validFrom) candidates.push(v.validFrom);
    if (v.validTo) candidates.push(v.validTo, dayBefore(v.validTo));
  }
  const worlds: World[] = [];
  for (const d of candidates) {
    const sig = signatureOf(dataVersions, d);
    if (!sig || worlds.some((w) => w.signature === sig)) continue;
    worlds.push({ date: d, signature: sig });
  }
  const combos = combinations(s, i, rows);
  const allVersions = [...st.versions.values()];
  const cells = new Map<string, Cell>();
  const unknown = new Set<string>();
  const equations: Equation[] = [];
  const keep = new Set<string>();
  const valueOfCell = (id: string) => (unknown.has(id) ? null : (cells.get(id)?.value ?? null));
  const addEquation = (total: string, parts: string[]) => {
    if (!parts.length || !cells.has(total) || parts.some((p) => !cells.has(p))) return;
    if (unknown.has(total) || parts.some((p) => unknown.has(p))) return;
    let sum = 0;
    for (const p of parts) sum += valueOfCell(p)!;
    if (!close(sum, valueOfCell(total)!)) return;
    if (parts.length === 1 && parts[0] === total) return;
    equations.push({ total, parts });
  };
  for (let w = 0; w < worlds.length; w++) {
    const date = worlds[w].date;
    for (const combo of combos) {
      const mk = membersKey(combo);
      const sums = sourceSums(rows.filter((r) => matches(r.members, combo)));
      const byVersion = new Map<number, Map<string, { value: number; unknown: boolean }>>();
      for (const v of allVersions) {
        const targets = targetMap(s, v.id, date);
        if (!targets.size) continue;
        const rolled = rollUp(sums, (id) => targets.get(id));
        if (!rolled.size) continue;
        const list = new Map<string, { value: number; unknown: boolean }>();
        for (const [code, c] of rolled) {
          if (c.rows === 0 && c.suppressed === 0 && c.missing === 0) continue;
          list.set(code, { value: c.sum, unknown: c.suppressed > 0 || c.missing > 0 });
        }
        if (list.size) byVersion.set(v.id, list);
      }
      for (const [vid, list] of byVersion) {
        let total = 0;
        let anyUnknown = false;
        for (const [code, c] of list) {
          const id = cellId(w, vid, code, mk);
          const delivered = c.unknown;
          cells.set(id, {
            id,
            value: delivered ? 0 : c.value,
            frequency: delivered ? 0 : c.value,
            ...(delivered ? { delivered: true } : {}),
          });
          if (delivered) unknown.add(id);
          total += c.value;
          anyUnknown ||= c.unknown;
        }
        const tid = cellId(w, vid, '*', mk);
        cells.set(tid, {
          id: tid,
          value: anyUnknown ? 0 : total,
          frequency: anyUnknown ? 0 : total,
          keep: true,
          ...(anyUnknown ? { delivered: true } : {}),
        });
        keep.add(tid);
        if (anyUnknown) unknown.add(tid);
        addEquation(
          tid,
          [...list.keys()].map((code) => cellId(w, vid, code, mk)),
        );
      }
      // Parent = Σ children (the hierarchy).
      for (const [vid, list] of byVersion) {
        for (const code of list.keys()) {
          const areaId = findArea(st, vid, code);
          if (areaId === undefined) continue;
          const kids = (st.children.get(areaId) ?? [])
            .map((k) => st.areas.get(k)!)
            .filter((k) => byVersion.get(k.versionId)?.has(k.code));
          if (kids.length)
            addEquation(
              cellId(w, vid, code, mk),
              kids.map((k) => cellId(w, k.versionId, k.code, mk)),
            );
        }
      }
      // Layer totals equal one another (the same city total, published on every layer).
      const totals = [...byVersion.keys()].map((vid) => cellId(w, vid, '*', mk));
      for (let k = 1; k < totals.length; k++) addEquation(totals[k], [totals[0]]);
      // Overlay areas that are exact unions of areas of a finest hierarchical version.
      const overlayVersions = [...byVersion.keys()].filter(
        (vid) => s.layers.find((l) => l.id === st.layerOfVersion.get(vid))?.kind === 'overlay',
      );
      if (overlayVersions.length) {
        const finest = [...byVersion.keys()].filter((vid) => {
          const layer = s.layers.find((l) => l.id === st.layerOfVersion.get(vid));
          return (
            layer?.kind === 'hierarchical' &&
            !s.layers.some(
              (c) =>
                c.parentLayerId === layer.id && [...byVersion.keys()].some((x) => st.layerOfVersion.get(x) === c.id),
            )
          );
        });
        for (const ov of overlayVersions) {
          for (const fv of finest) {
            const unions = await exactUnions(db, s, fv, ov);
            const list = byVersion.get(ov)!;
            let exact = 0;
            for (const code of list.keys()) {
              const parts = unions.get(code);
              if (!parts) continue;
              const before = equations.length;
              addEquation(
                cellId(w, ov, code, mk),
                parts.filter((p) => byVersion.get(fv)!.has(p)).map((p) => cellId(w, fv, p, mk)),
              );
              if (equations.length > before) exact++;
            }
            if (mk === '' && w === 0 && exact < list.size) {
              const layer = s.layers.find((l) => l.id === st.layerOfVersion.get(ov))!;
              const fine = s.layers.find((l) => l.id === st.layerOfVersion.get(fv))!;
              notes.push(
                `${list.size - exact} of ${list.size} areas of ${layer.key} are no exact union of ${fine.key} areas with matching values: their relation to the ${fine.key} cells is not in the model (residual risk; see docs/disclosure-control.md)`,
              );
            }
          }
        }
      }
    }
    // Σ over a dimension's members = the combination with that dimension's total.
    for (const combo of combos) {
      for (const d of i.dimensions) {
        if (combo[d] !== undefined) continue;
        const members = combos.filter(
          (c) => c[d] !== undefined && Object.keys(c).length === Object.keys(combo).length + 1 && matches(c, combo),
        );
        if (!members.length) continue;
        const mk = membersKey(combo);
        for (const cid of [...cells.keys()]) {
          if (!cid.startsWith(`${w}|`) || !cid.endsWith(`|${mk}`) || cid.split('|')[3] !== mk) continue;
          const [, vid, code] = cid.split('|');
          addEquation(
            cid,
            members.map((c) => cellId(w, Number(vid), code, membersKey(c))).filter((p) => cells.has(p)),
          );
        }
      }
    }
  }
  return { tables: { cells: [...cells.values()], equations }, worlds, dataVersions, notes, keep };
}

function findArea(st: Structure, versionId: number, code: string): number | undefined {
  let idx = areaIndex.get(st);
  if (!idx) {
    idx = new Map();
    for (const [id, a] of st.areas) idx.set(`${a.versionId}|${a.code}`, id);
    areaIndex.set(st, idx);
  }
  return idx.get(`${versionId}|${code}`);
}
const areaIndex = new WeakMap<Structure, Map<string, number>>();

/** Source sums per stored area of the rows of one combination (the shape rollUp reads). */
function sourceSums(rows: DisclosureObservationRow[]): SourceSums[] {
  const byArea = new Map<number, SourceSums>();
  for (const r of rows) {
    let acc = byArea.get(r.areaId);
    if (!acc) {
      acc = {
        areaId: r.areaId,
        sum: 0,
        weightedSum: 0,
        baseSum: 0,
        rows: 0,
        rowsWithoutBase: 0,
        suppressed: 0,
        missing: 0,
        provisional: 0,
        estimated: 0,
        memberRows: 0,
        reason: null,
        estimateMethod: null,
        estimateMethodMax: null,
      };
      byArea.set(r.areaId, acc);
    }
    acc.memberRows++;
    if (r.value !== null) {
      acc.sum += Number(r.value);
      acc.rows++;
    } else if (r.status === 'suppressed') acc.suppressed++;
    else acc.missing++;
  }
  return [...byArea.values()];
}

// ---------------------------------------------------------------------------------------------
// The pattern, cached per snapshot

function cacheOf(s: Snapshot): Map<string, Promise<IndicatorPattern | null>> {
  return s.disclosure;
}

/**
 * The suppression pattern of a count indicator for a period (null: no rule applies, or the
 * indicator is not a count). Computed once per snapshot (data version) and shared by every read.
 */
function patternFor(db: Queryable, s: Snapshot, i: IndicatorRow, period: PeriodRow): Promise<IndicatorPattern | null> {
  const rule = ruleOf(i);
  if (!rule || i.type !== 'count') return Promise.resolve(null);
  const key = `${i.id}|${period.id}`;
  const cache = cacheOf(s);
  let p = cache.get(key);
  if (!p) {
    p = computePattern(db, s, i, period, rule);
    cache.set(key, p);
    // A failed computation is not cached: the next read tries again.
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function computePattern(
  db: Queryable,
  s: Snapshot,
  i: IndicatorRow,
  period: PeriodRow,
  rule: EffectiveRule,
): Promise<IndicatorPattern> {
  const t0 = performance.now();
  const { tables, worlds, dataVersions, notes } = await buildTables(db, s, i, period);
  const primary = primaryCells(tables, rule.rule);
  // A pattern computed before for exactly these tables (also before a restart) is reused.
  const fingerprint = fingerprintOf(tables, rule.rule);
  const stored = await storedPattern(db, i.id, period.id, fingerprint);
  let pattern: Pattern;
  let secondaryValue: number;
  if (stored) {
    pattern = new Map(Object.entries(stored.pattern));
    secondaryValue = stored.secondaryValue;
  } else {
    // Off this thread: the linear programs take seconds, and a server must go on answering meanwhile.
    const result = await protectOffThread(tables, rule.rule);
    pattern = result.pattern;
    secondaryValue = result.secondaryValue;
    await storePattern(db, i.id, period.id, fingerprint, Object.fromEntries(pattern), secondaryValue);
  }
  return {
    indicator: i.key,
    period: period.key,
    rule,
    tables,
    pattern,
    primary,
    worlds,
    dataVersions,
    secondaryValue,
    notes,
    seconds: (performance.now() - t0) / 1000,
  };
}

/** SHA-256 of the linked tables (cells with their values, equations; sorted) and the rule. */
function fingerprintOf(t: LinkedTables, rule: DisclosureRule): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(rule));
  for (const c of [...t.cells].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)))
    h.update(`\n${c.id}=${c.value}/${c.frequency}/${c.delivered ? 'd' : ''}${c.keep ? 'k' : ''}`);
  const eqs = t.equations.map((e) => `${e.total}:${[...e.parts].sort().join('+')}`).sort();
  for (const e of eqs) h.update(`\n${e}`);
  return h.digest('hex');
}

/**
 * Computes the patterns of every protected indicator and period in the background (the server
 * starts it), newest periods first, so that first requests find them ready; stored patterns of
 * unchanged data are only looked up. Requests that need a pattern meanwhile share its computation.
 */
export async function warmPatterns(
  db: Queryable,
  o: { stopped?: () => boolean; log?: (msg: string) => void } = {},
): Promise<number> {
  // Most municipalities of a provider protect nothing: one query instead of a read snapshot.
  if (!(await hasDisclosureRules(db))) {
    o.log?.('Disclosure control: no indicator has a rule, no pattern to compute');
    return 0;
  }
  const s = await snapshot(db);
  const work: { i: IndicatorRow; p: PeriodRow }[] = [];
  for (const i of s.indicators) {
    if (!ruleOf(i) || i.type !== 'count') continue;
    for (const p of s.periodsByIndicator.get(i.id) ?? []) work.push({ i, p });
  }
  work.sort((a, b) => (a.p.end > b.p.end ? -1 : a.p.end < b.p.end ? 1 : 0));
  const t0 = performance.now();
  let n = 0;
  for (const w of work) {
    if (o.stopped?.()) break;
    await patternFor(db, s, w.i, w.p);
    n++;
  }
  o.log?.(`Disclosure control: ${n} pattern(s) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return n;
}

/** The components whose patterns an indicator's values follow: itself, or a derived ratio's numerator and denominator. */
export function disclosureComponents(s: Snapshot, i: IndicatorRow): IndicatorRow[] {
  if (!isDerivedRatio(i)) return [i];
  return [s.indicatorByKey.get(i.numerator!.indicator), s.indicatorByKey.get(i.denominator!.indicator)].filter(
    (x): x is IndicatorRow => !!x,
  );
}

/**
 * Computes (or finds) the patterns the values of these indicators need for these periods, and
 * keeps the finished ones where the synchronous read paths look them up.
 */
export async function preparePatterns(
  db: Queryable,
  s: Snapshot,
  items: { indicator: IndicatorRow; periodIds: number[] }[],
): Promise<void> {
  for (const it of items) {
    for (const c of disclosureComponents(s, it.indicator)) {
      if (!ruleOf(c) || c.type !== 'count') continue;
      for (const pid of it.periodIds) {
        const key = `${c.id}|${pid}`;
        if (s.disclosureReady.has(key)) continue;
        const p = s.periodById.get(pid);
        if (p) s.disclosureReady.set(key, await patternFor(db, s, c, p));
      }
    }
  }
}

/** The finished pattern in the cache (after preparePatterns), or undefined. */
function cachedPattern(s: Snapshot, i: IndicatorRow, periodId: number): IndicatorPattern | null | undefined {
  return s.disclosureReady.get(`${i.id}|${periodId}`);
}

/** What the pattern says of one cell: 'unknown' when the cell is in no world of the model. */
function markOf(
  s: Snapshot,
  p: IndicatorPattern,
  versionId: number,
  date: string,
  code: string | null,
  filter: Record<string, string>,
): Suppression | undefined | 'unknown' {
  const sig = signatureOf(p.dataVersions, date);
  const w = p.worlds.findIndex((x) => x.signature === sig);
  if (w < 0) return 'unknown';
  const id = cellId(w, versionId, code ?? '*', membersKey(filter));
  return p.pattern.get(id);
}

export interface Masker {
  /** The value as this principal may see it; `code` null: the total over the layer version. */
  (value: AreaValue, code: string | null): AreaValue & { disclosure?: DisclosureMark };
}

const WITHHELD = reasonFields(coded('reason-disclosure-withheld'));
const SHOWN = { primary: coded('reason-disclosure-primary'), secondary: coded('reason-disclosure-secondary') } as const;
const SHOWN_AFTER = {
  primary: 'reason-with-disclosure-primary',
  secondary: 'reason-with-disclosure-secondary',
} as const;

/**
 * The masking of one indicator's values for one period on one layer version (patterns prepared):
 * a withheld value becomes null with status 'suppressed' (the symbol "."); for a principal the
 * rule lets see it, the value stays and carries `disclosure` (primary/secondary). A derived ratio
 * is withheld with its numerator or denominator cell. Indicators of other types with a rule are
 * withheld where their base (cases) is below the minimum frequency (no secondary suppression:
 * they do not add up).
 */
export function masker(
  s: Snapshot,
  who: Principal,
  i: IndicatorRow,
  filter: Record<string, string>,
  periodId: number,
  versionId: number,
  date: string,
): Masker | null {
  const parts: { c: IndicatorRow; filter: Record<string, string>; rule: EffectiveRule }[] = [];
  if (isDerivedRatio(i)) {
    for (const [ref, c] of [
      [i.numerator!, s.indicatorByKey.get(i.numerator!.indicator)],
      [i.denominator!, s.indicatorByKey.get(i.denominator!.indicator)],
    ] as const) {
      const rule = c ? ruleOf(c) : null;
      if (!c || !rule || c.type !== 'count') continue;
      const f: Record<string, string> = { ...(ref.filter ?? {}) };
      for (const [d, m] of Object.entries(filter)) if (c.dimensions.includes(d)) f[d] = m;
      parts.push({ c, filter: f, rule });
    }
  } else {
    const rule = ruleOf(i);
    if (rule) parts.push({ c: i, filter, rule });
  }
  if (!parts.length) return null;
  return (v, code) => {
    let mark: Suppression | undefined;
    let hidden = false;
    for (const part of parts) {
      let m: Suppression | undefined | 'unknown';
      if (part.c.type !== 'count') {
        const k = part.rule.rule.minFrequency;
        m = v.base !== null && v.base > 0 && v.base < k ? 'primary' : undefined;
      } else {
        const p = cachedPattern(s, part.c, periodId);
        if (p === undefined) m = 'unknown';
        else if (p === null) m = undefined;
        else m = markOf(s, p, versionId, date, code, part.filter);
      }
      if (m === undefined) continue;
      // A cell the model does not know is withheld (never published unprotected).
      const sup: Suppression = m === 'unknown' ? 'secondary' : m;
      if (m === 'unknown' && v.value === null) continue;
      if (!mark || sup === 'primary') mark = sup;
      if (withheldFrom(who, part.c.owner, part.rule.protect)) hidden = true;
    }
    if (!mark) return v;
    if (v.value === null && v.status !== 'below_min_base') return v;
    if (hidden) return { value: null, base: null, status: 'suppressed', ...WITHHELD, computed: v.computed };
    const own = reasonOf(v);
    const { reasonCode: _code, reasonParams: _params, ...rest } = v;
    return {
      ...rest,
      disclosure: mark,
      ...reasonFields(own ? coded(SHOWN_AFTER[mark], { reason: own }) : SHOWN[mark]),
    };
  };
}

// ---------------------------------------------------------------------------------------------
// The audit (CLI and HTTP)

/** The pattern of an indicator and period, with the attacker's audit when asked (patterns must be prepared). */
export async function disclosureReport(
  db: Queryable,
  s: Snapshot,
  i: IndicatorRow,
  period: PeriodRow,
  o: { audit?: boolean } = {},
): Promise<DisclosureReport | null> {
  const p = await patternFor(db, s, i, period);
  if (!p) return null;
  let secondary = 0;
  for (const v of p.pattern.values()) if (v === 'secondary') secondary++;
  const report: DisclosureReport = {
    indicator: i.key,
    period: period.key,
    rule: ruleOut(i)!,
    cells: p.tables.cells.length,
    equations: p.tables.equations.length,
    primary: p.pattern.size - secondary,
    secondary,
    secondaryValue: p.secondaryValue,
    worlds: p.worlds.map((w) => ({ date: w.date })),
    notes: p.notes,
    seconds: Math.round(p.seconds * 1000) / 1000,
  };
  if (o.audit) {
    const r: AuditResult = await auditTables(p.tables, p.pattern, p.rule.rule);
    const value = new Map(p.tables.cells.map((c) => [c.id, c.value]));
    report.audit = {
      safe: r.safe,
      programs: r.programs,
      components: r.components,
      intervals: r.intervals.map((x) => ({
        cell: describeCell(s, x.id),
        id: x.id,
        suppression: x.suppression,
        value: value.get(x.id) ?? 0,
        min: x.min,
        max: x.max,
        required: x.required,
        safe: x.safe,
      })),
    };
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// The use case behind `disclosure audit` and GET /api/indicators/{key}/disclosure

/** Who may see a pattern and its audit: the owning department, the sealed office, the local operator. */
function maySeePattern(who: Principal, owner: string | null): boolean {
  return isSealedOffice(who) || (who.kind === 'user' && who.department !== null && who.department === owner);
}

/**
 * The disclosure pattern of an indicator for a period (default: its latest), with the attacker's
 * audit. For a derived ratio, the reports of its numerator and denominator (it follows them).
 */
export async function auditIndicator(
  db: Queryable,
  who: Principal,
  key: string,
  periodText?: string,
  o: { audit?: boolean } = {},
): Promise<IndicatorDisclosureAnswer> {
  const s = await snapshot(db);
  const i = await requireReadable(db, s, who, key);
  if (!maySeePattern(who, i.owner)) {
    if (who.kind === 'anonymous') throw new Unauthorized();
    throw new Forbidden(coded('disclosure-pattern-forbidden', { indicator: key, department: i.owner ?? 'none' }));
  }
  let period: PeriodRow | undefined;
  if (periodText) {
    const parsed = parsePeriod(periodText);
    if (!parsed)
      throw new InputRejected(
        [
          {
            severity: 'error',
            code: 'bad-request',
            reason: `"${periodText}" is not a period.`,
            hint: PERIOD_HINT,
            value: periodText,
          },
        ],
        `"${periodText}" is not a period. ${PERIOD_HINT}`,
      );
    period = s.periodByKey.get(parsed.key);
    if (!period) throw new NotFound(coded('period-without-data', { period: parsed.key }));
  } else {
    const all = periodsOf(s, i);
    period = all[all.length - 1];
    if (!period) throw new NotFound(coded('indicator-without-data', { indicator: key }));
  }
  const reports: DisclosureReport[] = [];
  for (const c of disclosureComponents(s, i)) {
    const r = await disclosureReport(db, s, c, period, o);
    if (r) reports.push(r);
  }
  return { indicator: i.key, period: period.key, reports };
}

/**
 * For reallocation: whether a stored source value (an area of a layer version, with its breakdown
 * members) is withheld by the indicator's pattern for the period. An estimate split from it by
 * weights would let it be narrowed, so it is withheld with it. Null when no rule applies.
 */
export async function withheldSource(
  db: Queryable,
  s: Snapshot,
  i: IndicatorRow,
  period: PeriodRow,
  versionId: number,
): Promise<((code: string, members: Record<string, string>) => boolean) | null> {
  const p = await patternFor(db, s, i, period);
  if (!p) return null;
  const version = structureOf(s).versions.get(versionId);
  const date = version
    ? version.validFrom !== null && !validOn(version, period.end)
      ? version.validFrom
      : period.end
    : period.end;
  return (code, members) => {
    const m = markOf(s, p, versionId, date, code, members);
    return m !== undefined && m !== 'unknown';
  };
}

export type { DisclosureReport, IndicatorDisclosureAnswer };
