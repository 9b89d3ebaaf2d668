// Use case of the sealed statistics office (Statistikstelle): personal records (Einzeldaten)
// become area counts at once. The records file is read (from memory for an upload), every
// address is matched against the register version valid at the reference date, the breakdown
// members are derived (age bands, mapped categories), and the records are counted per (finest
// area, member combination) and dropped. Only the counts are stored — in one import batch with
// its lineage, all or nothing — and the records that could not be assigned are counted by reason
// in `<indicator>_nicht_zuordenbar` (decision 0019). Nothing of a record is written anywhere: not
// to a table, a temporary table, a file, a log, the audit trail or a stored error. The answer
// (ephemeral, to the sealed office only) lists the unmatched addresses so that the register or
// the forms can be fixed. Rules and the canary proof: docs/sealed-office.md.
import type { UnassignedAddress, SealedCount, SealedRunResult } from '../core/sealed/answer.ts';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Database, Queryable } from '../store/db.ts';
import { sourceName, type FileSource } from '../formats/source.ts';
import { openTable, rowWidthProblem, type OpenTable } from '../formats/table.ts';
import { readStructuredFile } from '../formats/catalogue.ts';
import { parseJsonDocument } from '../formats/document.ts';
import { versionValidAt, type LayerRow } from '../store/catalog.ts';
import { areaIdsInOrder, firstTwoAreas } from '../store/areas-read.ts';
import { CopyBuffer } from '../store/copy-buffer.ts';
import { mergeStaged, createObservationStage, copyStaged, analyzeObservations } from '../store/observations-write.ts';
import { membersKey, storeMemberCombinations, NO_MEMBERS_ID } from '../store/members.ts';
import {
  ensureDimensionMembers,
  indicatorState,
  listSealedDefinitions,
  loadSealedDefinition,
  storeSealedDefinition,
} from '../store/sealed.ts';
import {
  parseSealedDefinition,
  UNASSIGNABLE_DIMENSION,
  UNASSIGNABLE_SUFFIX,
  type Locate,
  type SealedDefinition,
} from '../core/sealed/definition.ts';
import {
  compileBreakdown,
  REASON_NAMES,
  SealedCounter,
  UNASSIGNABLE_REASONS,
  unassignableTotal,
  type CountResult,
} from '../core/sealed/count.ts';
import { summarizeMatches, type MatchInput, type MatchMethod, type MatchResult } from '../core/address/matcher.ts';
import { makeTransform, parseCrs, supportedCrsList } from '../core/geo/crs.ts';
import { Conflict, InputRejected, NotFound, ProblemList, type Problem } from '../core/problems.ts';
import { SYSTEM, principalName, requireSealedOffice, type Principal } from '../core/access.ts';
import type { IndicatorDefinition } from '../core/indicators.ts';
import { loadRegister } from './address-register.ts';
import { cellText, coordinateOf, findColumn } from '../formats/columns.ts';
import { assignPointsToLayers } from './assign-points.ts';
import { snapshot } from './snapshot.ts';
import { inTransaction } from './transaction.ts';
import { startBatch, finishBatch } from '../store/batches.ts';
import { upsertIndicator, indicatorIds, setIndicatorLineage } from '../store/catalog-write.ts';
import { storePeriod } from '../store/periods.ts';
import { ensureDepartments } from './users.ts';
import { audit } from './audit.ts';
import { auditIndicator } from './disclosure.ts';
import { coded } from '../contracts/codes/index.ts';
import type { SavedSealedDefinition } from '../contracts/answers/index.ts';

export interface SealedRunOptions {
  /** Overrides the definition's maxUnassignedShare. */
  maxUnassignedShare?: number;
  dryRun?: boolean;
  principal?: Principal;
  /** The records file's name in problems and the lineage (default its base name). */
  displayName?: string;
  /** The definition file's name (for positioned problems). */
  definitionFile?: string;
  delimiter?: string;
  encoding?: 'utf-8' | 'windows-1252' | 'auto';
  sheet?: string | number;
  onProgress?: (p: { rows: number; bytesRead: number; totalBytes: number }) => void;
  /**
   * Dry run: also compute the disclosure pattern the counts would get, with every withheld cell
   * (primary and secondary) — stored in a transaction that is rolled back. Default true.
   */
  pattern?: boolean;
}

export type { SealedRunResult } from '../core/sealed/answer.ts';

/** The most unassigned addresses listed in an answer. */
const UNMATCHED_SHOWN = 10_000;
/** The most unknown street names stored in the lineage. */
const STREETS_STORED = 100;

// ---------------------------------------------------------------------------------------------
// Definitions

/** Reads and validates a definition file (JSON or YAML); problems carry line and column. */
export async function readSealedDefinitionFile(path: string, displayName?: string): Promise<SealedDefinition> {
  const file = displayName ?? basename(path);
  const raw = await readStructuredFile(path, file);
  if (raw.problems.length) throw new InputRejected(raw.problems, `The sealed definition ${file} cannot be read.`);
  return validated(raw.data, file, raw.locate);
}

/** Validates a definition given as JSON text (HTTP); problems carry line and column. */
export function parseSealedDefinitionText(text: string, file = 'definition.json'): SealedDefinition {
  const doc = parseJsonDocument(text, file);
  if (doc.problems.length) throw new InputRejected(doc.problems, `The sealed definition ${file} cannot be read.`);
  return validated(doc.data, file, doc.locate);
}

/** Validates a definition given as parsed data (an HTTP JSON body: problems name the field, without line numbers). */
export function validated(data: unknown, file: string, locate?: Locate): SealedDefinition {
  const { definition, problems } = parseSealedDefinition(data, file, locate);
  if (!definition)
    throw new InputRejected(
      problems,
      `The sealed definition ${file} is not valid: ${problems.length} error(s). Nothing was changed.`,
    );
  return definition;
}

/** Stores a definition as a new version (unless it equals the latest); the sealed office only. */
export async function saveSealedDefinition(
  db: Database,
  who: Principal,
  def: SealedDefinition,
): Promise<SavedSealedDefinition> {
  requireSealedOffice(who);
  return db.transaction(async (tx) => {
    const r = await storeSealedDefinition(tx, def.key, def.source, principalName(who));
    if (r.newVersion)
      await audit(tx, who, {
        action: 'sealed.definition',
        objectType: 'sealed_definition',
        objectKey: def.key,
        details: { version: r.version },
      });
    return { key: def.key, ...r };
  });
}

/** The latest stored version of a definition, validated; the sealed office only. */
export async function storedSealedDefinition(
  db: Queryable,
  who: Principal,
  key: string,
): Promise<{ definition: SealedDefinition; version: number; createdBy: string; createdAt: string }> {
  requireSealedOffice(who);
  const row = await loadSealedDefinition(db, key);
  if (!row) throw new NotFound(coded('sealed-definition-not-found', { definition: key }));
  return {
    definition: validated(row.definition, `${key} (version ${row.version})`),
    version: row.version,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}

export async function sealedDefinitionList(db: Queryable, who: Principal) {
  requireSealedOffice(who);
  return listSealedDefinitions(db);
}

// ---------------------------------------------------------------------------------------------
// The run

/** SHA-256 of the records as given (a file is streamed, an upload hashed in memory). */
async function sha256Of(source: FileSource): Promise<string> {
  const h = createHash('sha256');
  if (typeof source !== 'string') return h.update(source.bytes).digest('hex');
  for await (const chunk of createReadStream(source)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Problems about a records file lose their value: it may be personal (a name, a date of birth, an address). */
function withoutValues(problems: readonly Problem[]): Problem[] {
  return problems.map(({ value: _value, ...p }) => p);
}

function rethrowWithoutValues(e: unknown, file: string): never {
  if (e instanceof InputRejected)
    throw new InputRejected(
      withoutValues(e.problems),
      `The records file ${file} cannot be read: ${e.problems.filter((p) => p.severity === 'error').length} error(s). Nothing was changed.`,
    );
  throw e;
}

interface Columns {
  address: number;
  street: number;
  number: number;
  postcode: number;
  x: number;
  y: number;
  breakdowns: number[];
}

function columnsOf(table: OpenTable, def: SealedDefinition, problems: ProblemList): Columns {
  const a = def.address;
  const col = (name: string | undefined, what: string) =>
    name === undefined ? -1 : findColumn(table, problems, name, [], what);
  return {
    address: col(a.column, 'address.column'),
    street: col(a.street, 'address.street'),
    number: col(a.number, 'address.number'),
    postcode: col(a.postcode, 'address.postcode'),
    x: col(a.x, 'address.x'),
    y: col(a.y, 'address.y'),
    breakdowns: def.breakdowns.map((b) => col(b.from, `breakdowns.${b.dimension}.from`)),
  };
}

/** Storage layers: the definition's, else the finest layer of each hierarchy and every overlay among the candidates. */
function storageLayers(candidates: LayerRow[], def: SealedDefinition, file: string, problems: ProblemList): LayerRow[] {
  if (def.layers) {
    const out: LayerRow[] = [];
    for (const k of def.layers) {
      const l = candidates.find((c) => c.key === k);
      if (!l)
        problems.error({
          code: 'unknown-layer',
          file,
          column: 'layers',
          value: k,
          reason: `the layer "${k}" is not assigned by the ${def.address.x ? 'boundaries' : 'address register'}`,
          hint: `layers available: ${candidates.map((c) => c.key).join(', ') || 'none'}`,
        });
      else out.push(l);
    }
    return out;
  }
  const finest = candidates.filter((l) => l.kind === 'overlay' || !candidates.some((c) => c.parentLayerId === l.id));
  // The primary layer first: the finest hierarchical one.
  return [...finest.filter((l) => l.kind === 'hierarchical'), ...finest.filter((l) => l.kind === 'overlay')];
}

/**
 * Runs a sealed definition over a records file (a path, or an upload held in memory). Without
 * dryRun the counts are stored in one transaction; a run whose unassignable share exceeds the
 * threshold stores nothing and says so in `refused`.
 */
export async function runSealed(
  db: Database,
  records: FileSource,
  def: SealedDefinition,
  o: SealedRunOptions = {},
): Promise<SealedRunResult> {
  const t0 = performance.now();
  const who = o.principal ?? SYSTEM;
  requireSealedOffice(who);
  const file = o.displayName ?? basename(sourceName(records));
  const problems = new ProblemList();
  const maxShare = o.maxUnassignedShare ?? def.maxUnassignedShare ?? null;
  if (maxShare !== null && !(maxShare >= 0 && maxShare <= 1)) {
    throw new InputRejected([
      {
        severity: 'error',
        code: 'bad-option',
        reason: 'the maximum unassigned share must be a number from 0 to 1',
        hint: 'e.g. --max-unassigned-share 0.05 for 5 %',
      },
    ]);
  }
  const crs = def.address.x ? parseCrs(def.address.crs ?? 'EPSG:4326') : null;
  if (def.address.x && !crs)
    problems.error({
      code: 'bad-crs',
      file: o.definitionFile,
      column: 'address.crs',
      reason: `unknown CRS "${def.address.crs}"`,
      hint: `supported: ${supportedCrsList()}`,
    });
  problems.throwIfErrors(`${file} cannot be run.`);

  let table: OpenTable;
  try {
    table = await openTable(records, {
      displayName: file,
      delimiter: o.delimiter,
      encoding: o.encoding,
      sheet: o.sheet,
    });
  } catch (e) {
    rethrowWithoutValues(e, file);
  }
  const col = columnsOf(table, def, problems);
  problems.throwIfErrors(`${file} cannot be run: ${problems.errorCount} error(s). Nothing was changed.`);

  const s = await snapshot(db);
  const at = def.referenceDate;
  const register = def.address.x ? null : await loadRegister(db, { at });
  const candidates = register
    ? register.layers.map((k) => s.layerByKey.get(k)).filter((l): l is LayerRow => !!l)
    : s.layers;
  const storage = storageLayers(candidates, def, o.definitionFile ?? file, problems);
  if (!storage.length && !problems.hasErrors)
    problems.error({
      code: 'no-layer',
      file,
      reason: register
        ? 'the address register assigns no area codes of any layer'
        : 'no layer has areas to assign coordinates to',
      hint: register
        ? 'import the register with --area LAYER=COLUMN or with coordinates and boundaries'
        : 'import boundaries (GeoJSON or Shapefile) first',
    });
  // Area ids of each storage layer in the boundary version valid at the reference date.
  const areaIds = new Map<string, Map<string, number>>();
  for (const l of storage) {
    const v = versionValidAt(s.versionsByLayer.get(l.id) ?? [], at);
    if (!v) {
      problems.error({
        code: 'no-boundary-version',
        file,
        value: l.key,
        reason: `the layer "${l.key}" has no boundary version valid on ${at}`,
        hint: 'import boundaries valid on the reference date, or check referenceDate',
      });
      continue;
    }
    const rows = await areaIdsInOrder(db, v.id);
    areaIds.set(l.key, new Map(rows.map((r) => [r.code, r.id])));
  }
  problems.throwIfErrors(`${file} cannot be run: ${problems.errorCount} error(s). Nothing was changed.`);
  const layerKeys = storage.map((l) => l.key);
  const breakdowns = def.breakdowns.map((b) => compileBreakdown(b, at));
  const counter = new SealedCounter(
    layerKeys,
    breakdowns,
    new Map([...areaIds].map(([k, m]) => [k, new Set(m.keys())])),
  );

  // Read, match, count; the records are not kept (coordinates are kept as numbers until the
  // point-in-polygon step, with the members' texts of that row).
  const results: MatchResult[] = [];
  const unmatched: UnassignedAddress[] = [];
  let unmatchedTotal = 0;
  let ambiguousSameArea = 0;
  const matchedByMethod: Record<MatchMethod, number> = { exact: 0, normalised: 0, fuzzy: 0, 'base-number': 0 };
  let matchedStreetLevel = 0;
  const note = (u: UnassignedAddress) => {
    unmatchedTotal++;
    if (unmatched.length < UNMATCHED_SHOWN) unmatched.push(u);
  };
  const points: { xs: number[]; ys: number[]; members: string[][]; lines: number[] } = {
    xs: [],
    ys: [],
    members: [],
    lines: [],
  };
  const transform = crs ? makeTransform(crs) : null;
  let rows = 0;
  try {
    for await (const batch of table.batches) {
      for (const row of batch) {
        rows++;
        const width = rowWidthProblem(table, row);
        if (width) {
          problems.add(width);
          continue;
        }
        const cells = row.cells;
        const memberTexts = col.breakdowns.map((i) => cellText(cells[i]));
        if (transform) {
          const x = coordinateOf(cells[col.x]);
          const y = coordinateOf(cells[col.y]);
          if (x === null || y === null) {
            counter.add(null, 'address_missing', memberTexts);
            note({ line: row.line, address: '', reason: 'empty', message: 'no coordinates', suggestion: null });
            continue;
          }
          const [px, py] = transform(x, y);
          points.xs.push(px);
          points.ys.push(py);
          points.members.push(memberTexts);
          points.lines.push(row.line);
          continue;
        }
        const input: MatchInput =
          col.address >= 0
            ? cellText(cells[col.address])
            : {
                street: cellText(cells[col.street]),
                number: col.number >= 0 ? cellText(cells[col.number]) : null,
                postcode: col.postcode >= 0 ? cellText(cells[col.postcode]) : null,
              };
        const shown =
          typeof input === 'string' ? input : [input.street, input.number, input.postcode].filter(Boolean).join(' ');
        if (!shown.trim()) {
          counter.add(null, 'address_missing', memberTexts);
          note({ line: row.line, address: '', reason: 'empty', message: 'the address is empty', suggestion: null });
          continue;
        }
        const r = register!.register.match(input, { strictPostcode: def.address.strictPostcode });
        // Matched results are counted here and not kept (200,000 live result objects cost more in
        // garbage collection than the matching); the rest go to the summary's ranked lists.
        if (r.status === 'matched') {
          matchedByMethod[r.method]++;
          if (r.entry.number === null) matchedStreetLevel++;
        } else results.push(r);
        if (r.status === 'matched') {
          if (counter.add(r.entry.codes, null, memberTexts) === 'outside_areas')
            note({
              line: row.line,
              address: shown,
              reason: 'outside-areas',
              message: `the register gives no area of ${layerKeys[0]} valid on ${at}`,
              suggestion: null,
            });
        } else if (r.status === 'ambiguous') {
          // Candidates that share the primary area are still counted there: the area is certain.
          if (r.commonCodes[layerKeys[0]]) {
            ambiguousSameArea++;
            counter.add(r.commonCodes, null, memberTexts);
          } else {
            counter.add(null, 'address_ambiguous', memberTexts);
            note({ line: row.line, address: shown, reason: 'ambiguous', message: r.reason, suggestion: null });
          }
        } else {
          counter.add(null, 'address_unmatched', memberTexts);
          note({
            line: row.line,
            address: shown,
            reason: r.reason,
            message: r.message,
            suggestion: r.suggestion ?? null,
          });
        }
      }
      o.onProgress?.({ rows, bytesRead: table.bytesRead(), totalBytes: table.totalBytes });
    }
  } catch (e) {
    rethrowWithoutValues(e, file);
  }
  if (rows === 0) problems.error({ code: 'empty', file, reason: 'the records file has a header but no rows' });
  problems.throwIfErrors(
    `The records in ${file} were not counted: ${problems.errorCount} error(s) in ${rows} rows. Nothing was changed.`,
  );

  if (transform && points.xs.length) {
    const assigned = await assignPointsToLayers(
      db,
      Float64Array.from(points.xs),
      Float64Array.from(points.ys),
      layerKeys,
      at,
    );
    for (let i = 0; i < points.xs.length; i++) {
      const codes: Record<string, string | null> = {};
      for (const k of layerKeys) codes[k] = assigned.codes[k][i];
      if (counter.add(codes, null, points.members[i]) === 'outside_areas')
        note({
          line: points.lines[i],
          address: '',
          reason: 'outside-areas',
          message: `the point lies in no area of ${layerKeys[0]}`,
          suggestion: null,
        });
    }
    points.members.length = 0;
  }
  o.onProgress?.({ rows, bytesRead: table.totalBytes, totalBytes: table.totalBytes });
  const counted = counter.result();
  // The summary of the results kept (ambiguous and unmatched); the matched ones were counted on the way.
  const rest = register ? summarizeMatches(results) : null;
  const matchedTotal = Object.values(matchedByMethod).reduce((a, b) => a + b, 0);
  const summary = rest
    ? {
        ...rest,
        total: rest.total + matchedTotal,
        matched: matchedTotal,
        byMethod: matchedByMethod,
        streetLevel: matchedStreetLevel,
      }
    : null;
  results.length = 0;
  const sha256 = await sha256Of(records);
  const unassigned = unassignableTotal(counted);
  const share = counted.records ? unassigned / counted.records : 0;
  const refused = maxShare !== null && share > maxShare ? { share, max: maxShare } : null;
  const minFrequency = def.disclosure?.minFrequency ?? 3;
  const unknownStreets = (summary?.unmatchedStreets ?? []).map((u) => ({
    street: u.street,
    count: u.count,
    ...(u.suggestion ? { suggestion: u.suggestion } : {}),
  }));

  // Where the unassignable records are published: the one area of the top layer of the primary layer's hierarchy.
  const primary = storage[0];
  let top: LayerRow | undefined =
    primary.kind === 'hierarchical'
      ? primary
      : s.layers.find((l) => l.kind === 'hierarchical' && l.parentLayerId === null);
  while (top && top.parentLayerId !== null) top = s.layers.find((l) => l.id === top!.parentLayerId);
  let unassignableArea: { layer: string; code: string; id: number } | null = null;
  if (top) {
    const v = versionValidAt(s.versionsByLayer.get(top.id) ?? [], at);
    if (v) {
      const areas = await firstTwoAreas(db, v.id);
      if (areas.length === 1) unassignableArea = { layer: top.key, code: areas[0].code, id: areas[0].id };
    }
  }
  if (!unassignableArea) {
    problems.warning({
      code: 'no-city-layer',
      file,
      reason:
        'no layer has exactly one area (the whole city) on the reference date: the unassignable records are kept in the lineage only, not published as an indicator',
      hint: 'import the city as the top layer of the hierarchy (one area)',
    });
  }

  const counts: SealedCount[] = [];
  for (const lc of counted.layers) {
    for (const code of [...areaIds.get(lc.layer)!.keys()]) {
      const row = lc.byArea.get(code);
      counted.combinations.forEach((members, k) =>
        counts.push({ layer: lc.layer, code, members, value: row ? row[k] : 0 }),
      );
    }
  }
  const nzKey = `${def.indicator.key}${UNASSIGNABLE_SUFFIX}`;
  const base: SealedRunResult = {
    file,
    sha256,
    definition: { key: def.key, version: null, newVersion: false },
    indicator: def.indicator.key,
    unassignableIndicator: unassignableArea ? nzKey : null,
    unassignableLayer: unassignableArea ? { layer: unassignableArea.layer, code: unassignableArea.code } : null,
    period: def.period.key,
    referenceDate: at,
    register: register
      ? { versionId: register.version.id, validFrom: register.version.validFrom, addresses: register.register.size }
      : null,
    records: counted.records,
    assigned: counted.assigned,
    unassignable: counted.unassignable,
    unassignedShare: share,
    maxUnassignedShare: maxShare,
    refused,
    match: summary
      ? {
          matched: summary.matched,
          byMethod: summary.byMethod,
          ambiguous: summary.ambiguous,
          ambiguousSameArea,
          unmatched: summary.unmatched,
          byReason: summary.byReason,
        }
      : null,
    layers: counted.layers.map((lc, i) => ({
      layer: lc.layer,
      primary: i === 0,
      areas: areaIds.get(lc.layer)!.size,
      counted: lc.counted,
      outside: lc.outside,
    })),
    combinations: counted.combinations,
    counts,
    unknownStreets,
    unmatched,
    unmatchedTotal,
    warnings: problems.items.filter((p) => p.severity === 'warning'),
    dryRun: !!o.dryRun,
    batchId: null,
    disclosure: null,
    seconds: 0,
  };
  const done = (r: SealedRunResult) => ({ ...r, seconds: (performance.now() - t0) / 1000 });
  if (refused || (o.dryRun && o.pattern === false)) return done(base);
  const facts = {
    file,
    sha256,
    register: base.register,
    match: base.match,
    layers: base.layers,
    // Street names only (no house numbers), and only those typed by at least k records.
    unknownStreets: unknownStreets
      .filter((u) => u.count >= minFrequency)
      .slice(0, STREETS_STORED)
      .map((u) => ({ street: u.street, count: u.count })),
  };
  if (o.dryRun) {
    // The pattern depends on everything published with these counts (every level, overlay and
    // total): it is computed from the stored data, so the counts are stored in a transaction
    // that is then rolled back. Counts only: no record is in it.
    const disclosure = await inTransaction(db, true, async (tx) => {
      await writeCounts(tx, who, def, counted, areaIds, unassignableArea, nzKey, facts);
      const r = await auditIndicator(tx, who, def.indicator.key, def.period.key, { audit: true });
      return r.reports.length ? r : null;
    });
    return done({ ...base, disclosure });
  }

  return done(
    await inTransaction(db, false, async (tx) => {
      const stored = await writeCounts(tx, who, def, counted, areaIds, unassignableArea, nzKey, facts);
      return {
        ...base,
        definition: { key: def.key, version: stored.version, newVersion: stored.newVersion },
        batchId: stored.batchId,
      };
    }),
  );
}

/** Methodology text of the target indicator (German, shown with every value). */
function methodology(def: SealedDefinition): string {
  const bds = def.breakdowns.map((b) =>
    b.kind === 'bands'
      ? `${b.dimension} (Alter am ${def.referenceDate} aus „${b.from}“)`
      : `${b.dimension} (aus „${b.from}“)`,
  );
  return `Gezählt in der abgeschotteten Statistikstelle aus Einzeldaten (Definition ${def.key}): jede Anschrift dem Adressregister zum ${def.referenceDate} zugeordnet, gezählt je Gebiet${bds.length ? ` und ${bds.join(', ')}` : ''}; die Einzeldaten wurden nicht gespeichert. Nicht zuordenbare Datensätze: ${def.indicator.key}${UNASSIGNABLE_SUFFIX}.`;
}

async function writeCounts(
  tx: Queryable,
  who: Principal,
  def: SealedDefinition,
  counted: CountResult,
  areaIds: Map<string, Map<string, number>>,
  unassignableArea: { layer: string; code: string; id: number } | null,
  nzKey: string,
  facts: {
    file: string;
    sha256: string;
    register: SealedRunResult['register'];
    match: SealedRunResult['match'];
    layers: SealedRunResult['layers'];
    unknownStreets: { street: string; count: number }[];
  },
): Promise<{ version: number; newVersion: boolean; batchId: number }> {
  const ind = def.indicator;
  const owner = ind.owner!;
  // The target indicator may exist: then it must be this definition's (same owner; type and dimensions unchanged once it has data).
  for (const [k, dims] of [
    [ind.key, ind.dimensions ?? []],
    [nzKey, [UNASSIGNABLE_DIMENSION]],
  ] as const) {
    const st = await indicatorState(tx, k);
    if (!st) continue;
    if (st.owner !== owner)
      throw new Conflict(
        coded('sealed-indicator-other-owner', {
          indicator: k,
          owner: st.owner ?? 'no department',
          department: String(owner),
        }),
      );
    if (st.observations && (st.type !== 'count' || st.dimensions.join(',') !== dims.join(','))) {
      const listed = (d: readonly string[]) => d.join(', ') || coded('phrase-no-dimension');
      throw new Conflict(
        coded('sealed-indicator-shape-fixed', {
          indicator: k,
          type: st.type,
          dimensions: listed(st.dimensions),
          wanted: listed(dims),
        }),
      );
    }
    if (st.lineage && st.lineage.kind !== 'sealed')
      throw new Conflict(coded('sealed-indicator-not-sealed', { indicator: k }));
  }
  await ensureDepartments(tx, [owner, ...(ind.departments ?? [])]);
  for (const b of def.breakdowns) {
    const members = b.kind === 'bands' ? b.bands.map((x) => x[2]) : [...new Set(Object.values(b.map))];
    await ensureDimensionMembers(
      tx,
      b.dimension,
      b.name ?? b.dimension,
      members.map((m) => ({ key: m, name: m })),
    );
  }
  const target: IndicatorDefinition = {
    ...ind,
    source: ind.source ?? `Einzeldaten, Statistikstelle (${def.name ?? def.key})`,
    methodology: ind.methodology ?? methodology(def),
    decimals: ind.decimals ?? 0,
  };
  await upsertIndicator(tx, target);
  if (unassignableArea) {
    await ensureDimensionMembers(
      tx,
      UNASSIGNABLE_DIMENSION,
      'Grund (nicht zuordenbar)',
      UNASSIGNABLE_REASONS.map((r) => ({ key: r, name: REASON_NAMES[r] })),
    );
    await upsertIndicator(tx, {
      key: nzKey,
      name: `${ind.name}: nicht zuordenbar`,
      description: `Datensätze von „${ind.name}“, die keinem Gebiet zugeordnet werden konnten, nach Grund; zusammen mit den Gebietszahlen ergeben sie alle gelesenen Datensätze.`,
      unit: ind.unit,
      type: 'count',
      dimensions: [UNASSIGNABLE_DIMENSION],
      source: target.source,
      owner,
      confidentiality: ind.confidentiality,
      departments: ind.departments,
      themes: ind.themes,
      decimals: 0,
      draft: ind.draft,
      disclosure: ind.disclosure,
      methodology: `Nicht zuordenbare Datensätze der Definition ${def.key}, gezählt auf ${unassignableArea.layer} (Gesamtstadt).`,
    });
  }
  const definition = await storeSealedDefinition(tx, def.key, def.source, principalName(who));
  const periodId = await storePeriod(tx, def.period);
  const comboIds = def.breakdowns.length
    ? await storeMemberCombinations(tx, counted.combinations)
    : new Map([['', NO_MEMBERS_ID]]);
  const nzIds = unassignableArea
    ? await storeMemberCombinations(
        tx,
        UNASSIGNABLE_REASONS.map((r) => ({ [UNASSIGNABLE_DIMENSION]: r })),
      )
    : new Map<string, number>();
  const indId = await indicatorIds(tx, [ind.key, nzKey]);

  const lineage = {
    kind: 'sealed',
    definition: def.key,
    version: definition.version,
    indicator: ind.key,
    period: def.period.key,
    referenceDate: def.referenceDate,
    register: facts.register,
    records: counted.records,
    assigned: counted.assigned,
    match: facts.match,
    unassignable: counted.unassignable,
    unassignableIndicator: unassignableArea ? nzKey : null,
    layers: facts.layers,
    sha256: facts.sha256,
    user: principalName(who),
    at: new Date().toISOString(),
    unknownStreets: facts.unknownStreets,
  };
  const batch = await startBatch(tx, 'sealed', facts.file, lineage, principalName(who), facts.sha256);
  await createObservationStage(tx, 'stage_sealed');
  const buf = new CopyBuffer(1 << 16);
  const line = (indicatorId: number, areaId: number, membersId: number, value: number) =>
    buf
      .int(indicatorId)
      .tab()
      .int(periodId)
      .tab()
      .int(areaId)
      .tab()
      .int(membersId)
      .tab()
      .number(value)
      .tab()
      .ascii('final')
      .tab()
      .null()
      .tab()
      .null()
      .newline();
  const mids = counted.combinations.map((c) => comboIds.get(membersKey(c))!);
  const targetId = indId.get(ind.key)!;
  let n = 0;
  for (const lc of counted.layers) {
    for (const [code, areaId] of areaIds.get(lc.layer)!) {
      const row = lc.byArea.get(code);
      for (let k = 0; k < mids.length; k++, n++) line(targetId, areaId, mids[k], row ? row[k] : 0);
    }
  }
  if (unassignableArea) {
    for (const r of UNASSIGNABLE_REASONS) {
      line(
        indId.get(nzKey)!,
        unassignableArea.id,
        nzIds.get(membersKey({ [UNASSIGNABLE_DIMENSION]: r }))!,
        counted.unassignable[r],
      );
      n++;
    }
  }
  await copyStaged(tx, 'stage_sealed', buf.bytes(), [
    'indicator_id',
    'period_id',
    'area_id',
    'members_id',
    'value',
    'status',
    'reason',
    'base',
  ]);
  const merged = await mergeStaged(tx, 'stage_sealed', batch);
  await finishBatch(tx, batch, {
    rowsRead: counted.records,
    inserted: merged.inserted,
    updated: merged.updated,
    unchanged: n - merged.inserted - merged.updated,
  });
  const indicatorLineage = {
    kind: 'sealed',
    definition: def.key,
    version: definition.version,
    batch,
    period: def.period.key,
    records: counted.records,
    assigned: counted.assigned,
    unassignable: counted.unassignable,
    register: facts.register?.validFrom ?? null,
    sha256: facts.sha256,
  };
  await setIndicatorLineage(tx, [ind.key, nzKey], indicatorLineage);
  // Counts only: never an address, a street, a name or a date.
  await audit(tx, who, {
    action: 'sealed.run',
    objectType: 'indicator',
    objectKey: ind.key,
    batchId: batch,
    details: {
      definition: def.key,
      version: definition.version,
      period: def.period.key,
      records: counted.records,
      assigned: counted.assigned,
      unassignable: unassignableTotal(counted),
      inserted: merged.inserted,
      updated: merged.updated,
    },
  });
  await analyzeObservations(tx);
  return { version: definition.version, newVersion: definition.newVersion, batchId: batch };
}
