// Use cases of the municipal address register: import it (a version valid from a date; older
// versions are kept; all or nothing, with positioned problems), list its versions, and match
// addresses from forms against the version valid on a date.
//
// Matching is for personal data (registration forms, applications): the input is read, matched
// in memory and returned — it is never written to the database, a log or a cache. Only an audit
// entry with the counts (no address) records that a match was run. Rules: docs/methods-spatial.md.
import { sourceName, type FileSource } from '../formats/source.ts';
import { csvLine, csvNumber } from '../formats/csv-write.ts';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../store/db.ts';
import { copyField } from '../store/db.ts';
import { loadLayers } from '../store/catalog.ts';
import { openTable, rowWidthProblem, type Cell, type OpenTable } from '../formats/table.ts';
import { addedColumnNames, type AddedColumn } from '../core/columns.ts';
import { assessCoordinates, makeTransform, parseCrs, supportedCrsList } from '../core/geo/crs.ts';
import type { BBox } from '../core/geo/types.ts';
import { parseNumber } from '../core/values.ts';
import { parsePeriod } from '../core/periods.ts';
import { formatHouseNumber, normalizePostcode, normalizeStreet, parseHouseNumber } from '../core/address/normalize.ts';
import { AddressRegister, summarizeMatches, type MatchInput, type MatchMethod, type MatchResult, type MatchSummary, type RegisterEntryInput } from '../core/address/matcher.ts';
import { NotFound, ProblemList, Forbidden, Unauthorized, InputRejected, type Problem } from '../core/problems.ts';
import { SYSTEM, canWrite, principalName, requireSealedOffice, type Principal } from '../core/access.ts';
import { inTransaction, startBatch, finishBatch } from './transaction.ts';
import { spatialStructureOwner } from './areas.ts';
import { assignPointsToLayers } from './spatial.ts';
import { snapshot } from './snapshot.ts';
import { audit } from './audit.ts';

// ---------------------------------------------------------------------------------------------
// Small helpers shared with the facility import

export function cellText(c: Cell | undefined): string {
  return c === null || c === undefined ? '' : typeof c === 'string' ? c.trim() : String(c);
}

/** A coordinate cell: a number, or text with either decimal separator ("8.70" and "8,70"). */
export function coordinateOf(c: Cell | undefined): number | null {
  if (typeof c === 'number') return Number.isFinite(c) ? c : null;
  const t = cellText(c);
  if (!t) return null;
  return parseNumber(t, t.includes(',') && !t.includes('.') ? ',' : '.');
}

/**
 * The index of a column: the one named by an option (exact or case-insensitive), else the first
 * header matching one of the aliases; -1 if none. A named column that does not exist is an error.
 */
export function findColumn(table: Pick<OpenTable, 'file' | 'columns'>, problems: ProblemList, wanted: string | undefined, aliases: string[], option: string): number {
  const lower = table.columns.map((c) => c.trim().toLowerCase());
  if (wanted !== undefined) {
    const i = table.columns.findIndex((c) => c === wanted || c.trim().toLowerCase() === wanted.trim().toLowerCase());
    if (i < 0) problems.error({ code: 'missing-column', file: table.file, line: 1, value: wanted, reason: `the column "${wanted}" given with ${option} does not exist`, hint: `the file has the columns: ${table.columns.join(', ')}` });
    return i;
  }
  for (const a of aliases) {
    const i = lower.indexOf(a);
    if (i >= 0) return i;
  }
  return -1;
}

/** "LAYER=COLUMN" options. */
export function parseAreaOptions(list: string[] | undefined, problems: ProblemList, file: string): { layer: string; column: string }[] {
  const out: { layer: string; column: string }[] = [];
  for (const spec of list ?? []) {
    const eq = spec.indexOf('=');
    const layer = eq > 0 ? spec.slice(0, eq).trim() : '';
    const column = eq > 0 ? spec.slice(eq + 1).trim() : '';
    if (!/^[a-z][a-z0-9_]*$/.test(layer) || !column) {
      problems.error({ code: 'bad-option', file, value: spec, reason: `cannot read --area "${spec}"`, hint: 'write --area LAYER=COLUMN, e.g. --area planungsraum=PLR_ID' });
      continue;
    }
    out.push({ layer, column });
  }
  return out;
}

const STREET_ALIASES = ['strasse', 'straße', 'street', 'strassenname', 'straßenname', 'str', 'str.'];
const NUMBER_ALIASES = ['hausnummer', 'hausnr', 'hausnr.', 'hnr', 'number', 'house_number', 'nr', 'nr.'];
const SUFFIX_ALIASES = ['zusatz', 'hausnummernzusatz', 'hausnummer_zusatz', 'hnr_zusatz', 'suffix', 'adresszusatz'];
const POSTCODE_ALIASES = ['plz', 'postleitzahl', 'postcode', 'zip', 'postal_code'];
const X_ALIASES = ['x', 'lon', 'lng', 'longitude', 'rechtswert', 'easting'];
const Y_ALIASES = ['y', 'lat', 'latitude', 'hochwert', 'northing'];
const ADDRESS_ALIASES = ['adresse', 'anschrift', 'address', 'wohnadresse'];

// ---------------------------------------------------------------------------------------------
// Import

export interface ImportAddressesOptions {
  /** Columns (default: recognised by name, e.g. Straße, Hausnummer, Zusatz, PLZ, x, y). */
  street?: string;
  number?: string;
  suffix?: string;
  postcode?: string;
  x?: string;
  y?: string;
  /** CRS of x/y (default EPSG:4326). */
  crs?: string;
  /** Area codes from the register: "LAYER=COLUMN" (repeatable). */
  areas?: string[];
  /**
   * Column with the number of residents per address (Melderegister). Only read when named: the
   * counts are sensitive and are used only summed into crosswalk weights (decision 0008).
   */
  residents?: string;
  /** The date from which this register version is valid (default today). */
  validFrom?: string;
  dryRun?: boolean;
  principal?: Principal;
  displayName?: string;
  delimiter?: string;
  encoding?: 'utf-8' | 'windows-1252' | 'auto';
  sheet?: string | number;
}

export interface LayerCodeCounts {
  /** Codes given by the register. */
  register: number;
  /** Codes found by point-in-polygon (address with coordinates, no code in the register). */
  point: number;
  /** Addresses without a code for this layer (no coordinates, or outside every area). */
  none: number;
  /** Register codes that differ from the area containing the address point (the register wins). */
  disagreeing: number;
}

export interface ImportAddressesResult {
  file: string;
  rows: number;
  /** Addresses stored, street-level ones included. */
  addresses: number;
  /**
   * Of them, entries without a house number (places: squares, gates, bridges), stored as
   * street-level addresses: matched only by input without a number (decision 0014).
   */
  withoutNumber: number;
  withCoordinates: number;
  streets: number;
  crs: string;
  /** Per layer: where the codes came from. */
  codes: Record<string, LayerCodeCounts>;
  /** The version this import makes (or found identical): valid from this date. */
  validFrom: string;
  /**
   * Addresses of a version with the same valid-from date that this import replaced (a correction
   * of that state); 0 when the date is new — older and newer versions are always kept.
   */
  replaced: number;
  /** The file gave the same register as the stored version of that date: nothing was changed. */
  unchanged: boolean;
  /** Resident counts (with --residents): total, and addresses whose cell was empty (counted 0). */
  residents: { column: string; total: number; empty: number } | null;
  /** Register versions stored after the import. */
  versions: number;
  warnings: Problem[];
  dryRun: boolean;
  batchId: number | null;
}

interface AddressRow {
  line: number;
  street: string;
  key: string;
  /** Canonical house number; null for a street-level address (no number in the register). */
  houseNumber: string | null;
  number: number | null;
  suffix: string;
  postcode: string | null;
  x: number | null;
  y: number | null;
  codes: Record<string, string>;
  sources: Record<string, 'register' | 'point'>;
  residents: number | null;
}

const COPY_COLUMNS = ['street', 'street_normalized', 'house_number', 'number', 'suffix', 'postcode', 'x', 'y', 'codes', 'code_sources', 'residents', 'version_id', 'import_batch_id', 'line'];

/** "2024-12-31" or "31.12.2024" → ISO date; null if not a calendar date. */
function calendarDate(text: string): string | null {
  const p = parsePeriod(text);
  return p && p.type === 'date' ? p.key : null;
}

/** A JSON object with its keys in sorted order (jsonb reorders keys; the digest must not depend on it). */
function sortedJson(o: Record<string, string>): string {
  return JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/**
 * SHA-256 over the stored content of a register version in a canonical form (file order, every
 * stored field): two imports giving the same rows give the same digest.
 */
function registerDigest(rows: Iterable<Omit<AddressRow, 'number' | 'suffix'> & { number?: number | null; suffix?: string }>): string {
  const h = createHash('sha256');
  for (const r of rows) {
    h.update([r.line, r.street, r.key, r.houseNumber ?? '', r.postcode ?? '', r.x ?? '', r.y ?? '', sortedJson(r.codes), sortedJson(r.sources), r.residents ?? ''].join('\u001f'));
    h.update('\u001e');
  }
  return h.digest('hex');
}

/** The digest of a stored version (for the version converted by migration 006, which has none). */
async function storedDigest(db: Queryable, versionId: number): Promise<string> {
  const { rows } = await db.query<{ line: number; street: string; key: string; houseNumber: string | null; postcode: string | null; x: number | null; y: number | null; codes: Record<string, string>; sources: Record<string, 'register' | 'point'>; residents: number | null }>(
    `SELECT line, street, street_normalized AS key, house_number AS "houseNumber", postcode, x, y, codes, code_sources AS sources, residents
       FROM address WHERE version_id = $1 ORDER BY id`,
    [versionId],
  );
  return registerDigest(rows);
}

/**
 * Imports the address register (CSV/XLSX) as the version valid from `validFrom`. All or
 * nothing: every problem is reported with file, line, column and value, and a file with any
 * error changes nothing. Versions of other dates are kept; a version of the same date is
 * replaced, unless the content is identical (then nothing changes).
 */
export async function importAddresses(db: Database, path: string, o: ImportAddressesOptions = {}): Promise<ImportAddressesResult> {
  const file = o.displayName ?? basename(sourceName(path));
  const table = await openTable(path, { displayName: file, delimiter: o.delimiter, encoding: o.encoding, sheet: o.sheet });
  const problems = new ProblemList();
  const fail = (rows?: number) => `The addresses in ${file} were not imported: ${problems.errorCount} error(s)${rows !== undefined ? ` in ${rows} rows` : ''}. Nothing was changed.`;
  const crsText = o.crs ?? 'EPSG:4326';
  const crs = parseCrs(crsText);
  if (!crs) problems.error({ code: 'bad-crs', file, value: crsText, reason: 'unknown CRS', hint: `supported: ${supportedCrsList()}` });
  const col = {
    street: findColumn(table, problems, o.street, STREET_ALIASES, '--street'),
    number: findColumn(table, problems, o.number, NUMBER_ALIASES, '--number'),
    suffix: findColumn(table, problems, o.suffix, SUFFIX_ALIASES, '--suffix'),
    postcode: findColumn(table, problems, o.postcode, POSTCODE_ALIASES, '--postcode'),
    x: findColumn(table, problems, o.x, X_ALIASES, '--x'),
    y: findColumn(table, problems, o.y, Y_ALIASES, '--y'),
  };
  if (col.street < 0 && o.street === undefined) problems.error({ code: 'missing-column', file, line: 1, reason: 'no street column found', hint: `name it with --street COLUMN; the file has the columns: ${table.columns.join(', ')}` });
  if (col.number < 0 && o.number === undefined) problems.error({ code: 'missing-column', file, line: 1, reason: 'no house-number column found', hint: `name it with --number COLUMN; the file has the columns: ${table.columns.join(', ')}` });
  if ((col.x < 0) !== (col.y < 0) && o.x === undefined && o.y === undefined) {
    problems.error({ code: 'missing-column', file, line: 1, reason: `only a ${col.x < 0 ? 'y' : 'x'} coordinate column was found`, hint: 'name both with --x COLUMN --y COLUMN' });
  }
  const areaOpts = parseAreaOptions(o.areas, problems, file).map((a) => ({ ...a, index: findColumn(table, problems, a.column, [], `--area ${a.layer}=`) }));
  const residentsCol = o.residents !== undefined ? findColumn(table, problems, o.residents, [], '--residents') : -1;
  const validFromText = o.validFrom ?? new Date().toISOString().slice(0, 10);
  const validFrom = calendarDate(validFromText);
  if (!validFrom) problems.error({ code: 'bad-date', file, value: validFromText, reason: '--valid-from is not a calendar date', hint: 'write the date from which this register is valid, e.g. 2024-01-01 or 01.01.2024' });
  problems.throwIfErrors(fail());
  const transform = makeTransform(crs!);

  return inTransaction(db, !!o.dryRun, async (tx) => {
    const who = o.principal ?? SYSTEM;
    const owner = await spatialStructureOwner(tx);
    const may = canWrite(who, owner);
    if (may === 'unauthenticated') throw new Unauthorized();
    if (may === 'forbidden') throw new Forbidden(`The address register belongs to the spatial structure, kept by the department "${owner}"; only its stewards and administrators may import it.`);

    // Codes of the current version of every layer named with --area.
    const layers = await loadLayers(tx);
    const validCodes = new Map<string, Set<string>>();
    for (const a of areaOpts) {
      if (!layers.some((l) => l.key === a.layer)) {
        problems.error({ code: 'unknown-layer', file, value: a.layer, reason: `the layer "${a.layer}" does not exist`, hint: `layers: ${layers.map((l) => l.key).join(', ') || 'none'}` });
        continue;
      }
      validCodes.set(a.layer, await currentCodes(tx, a.layer));
    }
    problems.throwIfErrors(fail());

    const rows: AddressRow[] = [];
    const nativeBox: BBox = [Infinity, Infinity, -Infinity, -Infinity];
    let read = 0;
    let emptyResidents = 0;
    for await (const batch of table.batches) {
      for (const row of batch) {
        read++;
        const width = rowWidthProblem(table, row);
        if (width) {
          problems.add(width);
          continue;
        }
        const cells = row.cells;
        const line = row.line;
        const street = cellText(cells[col.street]).replace(/\s+/g, ' ');
        const key = normalizeStreet(street);
        if (!street || !key) {
          problems.error({ code: 'empty-street', file, line, column: table.columns[col.street], value: street, reason: street ? 'the street name has no letters or digits' : 'the street is empty' });
          continue;
        }
        const numberText = cellText(cells[col.number]);
        const suffixText = col.suffix >= 0 ? cellText(cells[col.suffix]) : '';
        // No number and no suffix: a place without house number (a square, a gate, a bridge),
        // stored as a street-level address. A suffix without a number stays an error.
        const streetLevel = !numberText && !suffixText;
        const h = streetLevel ? null : parseHouseNumber(suffixText ? `${numberText}${/^\d/.test(suffixText) ? '/' : ''}${suffixText}` : numberText);
        if (!h && !streetLevel) {
          problems.error({
            code: 'bad-house-number',
            file,
            line,
            column: table.columns[col.number],
            value: suffixText ? `${numberText} ${suffixText}` : numberText,
            reason: numberText ? 'not a house number' : 'a suffix without a house number',
            hint: 'a house number is a number with an optional letter or sub-number (12, 12a, 12 A, 12/1) or a range (12-14); leave both cells empty for a place without house number',
          });
          continue;
        }
        let postcode: string | null = null;
        if (col.postcode >= 0) {
          const raw = cellText(cells[col.postcode]);
          if (raw) {
            postcode = normalizePostcode(raw);
            if (!postcode) {
              problems.error({ code: 'bad-postcode', file, line, column: table.columns[col.postcode], value: raw, reason: 'not a German postcode', hint: 'five digits, e.g. 10115 (a leading zero may be missing: 1067)' });
              continue;
            }
          }
        }
        let x: number | null = null,
          y: number | null = null;
        if (col.x >= 0 && col.y >= 0) {
          const rx = cellText(cells[col.x]),
            ry = cellText(cells[col.y]);
          if (rx || ry) {
            const nx = coordinateOf(cells[col.x]),
              ny = coordinateOf(cells[col.y]);
            if (nx === null || ny === null) {
              const bad = nx === null ? col.x : col.y;
              problems.error({ code: 'bad-coordinate', file, line, column: table.columns[bad], value: cellText(cells[bad]), reason: cellText(cells[bad]) ? 'not a number' : 'one coordinate is missing', hint: 'give both coordinates or neither' });
              continue;
            }
            nativeBox[0] = Math.min(nativeBox[0], nx);
            nativeBox[1] = Math.min(nativeBox[1], ny);
            nativeBox[2] = Math.max(nativeBox[2], nx);
            nativeBox[3] = Math.max(nativeBox[3], ny);
            [x, y] = transform(nx, ny);
          }
        }
        const codes: Record<string, string> = {};
        const sources: Record<string, 'register' | 'point'> = {};
        let bad = false;
        for (const a of areaOpts) {
          const code = cellText(cells[a.index]);
          if (!code) continue;
          if (!validCodes.get(a.layer)!.has(code)) {
            problems.error({ code: 'unknown-area', file, line, column: table.columns[a.index], value: code, reason: `no area with this code in the current version of layer "${a.layer}"`, hint: `list the areas with GET /api/layers/${a.layer}/areas` });
            bad = true;
            continue;
          }
          codes[a.layer] = code;
          sources[a.layer] = 'register';
        }
        if (bad) continue;
        let residents: number | null = null;
        if (residentsCol >= 0) {
          const raw = cellText(cells[residentsCol]);
          if (!raw) {
            residents = 0;
            emptyResidents++;
          } else {
            const n = coordinateOf(raw);
            if (n === null || !Number.isInteger(n) || n < 0 || n > 100_000) {
              problems.error({ code: 'bad-residents', file, line, column: table.columns[residentsCol], value: raw, reason: 'not a number of residents', hint: 'a whole number ≥ 0 per address (an empty cell counts as 0)' });
              continue;
            }
            residents = n;
          }
        }
        rows.push({ line, street, key, houseNumber: h ? formatHouseNumber(h) : null, number: h ? h.number : null, suffix: h ? h.suffix : '', postcode, x, y, codes, sources, residents });
      }
    }
    if (read === 0) problems.error({ code: 'empty', file, reason: 'the file has a header but no rows' });
    const withoutNumber = rows.reduce((n, r) => n + (r.number === null ? 1 : 0), 0);
    // A register of places only is a house-number column that is empty or not the right one.
    if (rows.length && withoutNumber === rows.length) {
      problems.error({ code: 'no-house-numbers', file, column: table.columns[col.number], reason: `none of the ${rows.length} addresses has a house number`, hint: `name the house-number column with --number COLUMN; the file has the columns: ${table.columns.join(', ')}` });
    }
    if (rows.some((r) => r.x !== null)) {
      const issue = assessCoordinates(crs!, nativeBox);
      if (issue) problems.add({ severity: issue.severity, code: 'coordinates-crs', file, value: crs!, reason: issue.reason, hint: issue.hint });
    }
    problems.throwIfErrors(fail(read));

    // Point-in-polygon for every layer with geometry, where the register has no code.
    const located = rows.filter((r) => r.x !== null);
    const counts: Record<string, LayerCodeCounts> = {};
    const zero = (): LayerCodeCounts => ({ register: 0, point: 0, none: 0, disagreeing: 0 });
    if (located.length) {
      const xs = Float64Array.from(located, (r) => r.x!);
      const ys = Float64Array.from(located, (r) => r.y!);
      const assigned = await assignPointsToLayers(tx, xs, ys);
      const layerKeys = Object.keys(assigned.codes);
      if (layerKeys.length && layerKeys.every((l) => assigned.outside[l] === located.length)) {
        problems.error({ code: 'coordinates-outside', file, value: crs!, reason: `none of the ${located.length} address points lies in any area of any layer`, hint: `check the CRS of the coordinates (--crs, now ${crs}) and the x/y columns` });
        problems.throwIfErrors(fail(read));
      }
      for (const layer of layerKeys) {
        const list = assigned.codes[layer];
        const c = (counts[layer] = zero());
        located.forEach((r, k) => {
          const code = list[k];
          if (r.codes[layer] !== undefined) {
            if (code !== null && code !== r.codes[layer]) c.disagreeing++;
          } else if (code !== null) {
            r.codes[layer] = code;
            r.sources[layer] = 'point';
          }
        });
      }
    }
    for (const r of rows)
      for (const [layer, source] of Object.entries(r.sources)) {
        const c = (counts[layer] ??= zero());
        c[source]++;
      }
    for (const [layer, c] of Object.entries(counts)) {
      c.none = rows.length - c.register - c.point;
      if (c.disagreeing) {
        problems.warning({ code: 'register-differs', file, reason: `${c.disagreeing} address(es) carry a ${layer} code in the register that differs from the area containing their point; the register's code is kept`, hint: 'check the register or the coordinates of these addresses' });
      }
    }
    // The same address twice is allowed (the matcher counts it once) but worth knowing.
    const seen = new Map<string, number>();
    const duplicates: string[] = [];
    for (const r of rows) {
      const k = `${r.key}|${r.houseNumber ?? ''}|${r.postcode ?? ''}`;
      const first = seen.get(k);
      if (first === undefined) seen.set(k, r.line);
      else duplicates.push(`${r.street}${r.houseNumber ? ` ${r.houseNumber}` : ''} (lines ${first} and ${r.line})`);
    }
    if (duplicates.length) {
      problems.warning({ code: 'duplicate-address', file, reason: `${duplicates.length} address(es) appear more than once: ${duplicates.slice(0, 5).join('; ')}${duplicates.length > 5 ? ' …' : ''}`, hint: 'identical entries count as one address when matching' });
    }

    if (emptyResidents) {
      problems.warning({ code: 'empty-residents', file, column: table.columns[residentsCol], reason: `${emptyResidents} address(es) have an empty resident count; they count as 0 residents`, hint: 'an address without residents gets no weight in population crosswalks' });
    }
    const streets = new Set(rows.map((r) => r.key)).size;
    const residents = residentsCol >= 0 ? { column: table.columns[residentsCol], total: rows.reduce((t, r) => t + (r.residents ?? 0), 0), empty: emptyResidents } : null;
    const result = (replaced: number, unchanged: boolean, versions: number, batchId: number | null): ImportAddressesResult => ({
      file,
      rows: read,
      addresses: rows.length,
      withoutNumber,
      withCoordinates: located.length,
      streets,
      crs: crs!,
      codes: counts,
      validFrom: validFrom!,
      replaced,
      unchanged,
      residents,
      versions,
      warnings: problems.items.filter((p) => p.severity === 'warning'),
      dryRun: !!o.dryRun,
      batchId: o.dryRun ? null : batchId,
    });

    // History: a version per valid-from date. The same date again is a correction of that state:
    // identical content changes nothing, other content replaces that version; other dates are kept.
    const digest = registerDigest(rows);
    // Serialises concurrent imports of the register (two versions of one date must not race).
    await tx.query('SELECT pg_advisory_xact_lock(4712)');
    const { rows: same } = await tx.query<{ id: number; addresses: number; digest: string | null }>(
      'SELECT id, addresses, content_sha256 AS digest FROM address_register_version WHERE valid_from = $1',
      [validFrom],
    );
    const { rows: countRows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM address_register_version');
    if (same.length && (same[0].digest ?? (await storedDigest(tx, same[0].id))) === digest) return result(0, true, countRows[0].n, null);

    const batch = await startBatch(tx, 'addresses', file, { street: o.street, number: o.number, suffix: o.suffix, postcode: o.postcode, x: o.x, y: o.y, crs, areas: o.areas, residents: o.residents, validFrom }, principalName(who));
    const replaced = same.length ? same[0].addresses : 0;
    if (same.length) {
      await tx.query('DELETE FROM address WHERE version_id = $1', [same[0].id]);
      await tx.query('DELETE FROM address_register_version WHERE id = $1', [same[0].id]);
    }
    const { rows: created } = await tx.query<{ id: number }>(
      `INSERT INTO address_register_version (valid_from, import_batch_id, file_name, addresses, with_coordinates, streets, residents_column, residents_total, content_sha256, without_number)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [validFrom, batch, file, rows.length, located.length, streets, residents?.column ?? null, residents?.total ?? null, digest, withoutNumber],
    );
    const versionId = created[0].id;
    // A large load into a small table: drop the indexes and rebuild them in bulk afterwards; a
    // version added to a large history keeps them (rebuilding would cost more than it saves).
    const { rows: kept } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM address');
    const rebuild = rows.length >= kept[0].n;
    const { rows: indexes } = rebuild
      ? await tx.query<{ name: string; def: string }>(`SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'address' AND schemaname = current_schema() AND indexname <> 'address_pkey'`)
      : { rows: [] };
    for (const i of indexes) await tx.exec(`DROP INDEX ${i.name}`);
    const CHUNK = 50_000;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const text = rows
        .slice(i, i + CHUNK)
        .map((r) =>
          [r.street, r.key, r.houseNumber, r.number, r.suffix, r.postcode, r.x, r.y, JSON.stringify(r.codes), JSON.stringify(r.sources), r.residents, versionId, batch, r.line].map(copyField).join('\t'),
        )
        .join('\n');
      await tx.copyText('address', COPY_COLUMNS, text + '\n');
    }
    for (const i of indexes) await tx.exec(i.def);
    await finishBatch(tx, batch, { rowsRead: read, inserted: rows.length, updated: 0, unchanged: 0 });
    // The audit trail records counts only — never an address or a resident count of one.
    await audit(tx, who, { action: 'addresses.import', objectType: 'file', objectKey: file, batchId: batch, details: { addresses: rows.length, withoutNumber, validFrom, replaced, streets, residents: residents ? residents.total : null } });
    await tx.exec('ANALYZE address');
    return result(replaced, false, countRows[0].n + (same.length ? 0 : 1), batch);
  });
}

async function currentCodes(db: Queryable, layer: string): Promise<Set<string>> {
  const { rows } = await db.query<{ code: string }>(
    `SELECT a.code FROM area a WHERE a.layer_version_id = (
       SELECT v.id FROM layer_version v JOIN layer l ON l.id = v.layer_id WHERE l.key = $1 ORDER BY v.valid_from DESC NULLS LAST LIMIT 1)`,
    [layer],
  );
  return new Set(rows.map((r) => r.code));
}

// ---------------------------------------------------------------------------------------------
// Register versions

export interface RegisterVersion {
  id: number;
  /** Valid from this date … */
  validFrom: string;
  /** … until the day before the next version's valid-from date (null: the newest). */
  validUntil: string | null;
  addresses: number;
  /** Of them, street-level addresses (entries without a house number). */
  withoutNumber: number;
  withCoordinates: number;
  streets: number;
  /** Column the resident counts came from; null when the version has none. */
  residentsColumn: string | null;
  /** Σ residents of the version (null without counts). */
  residentsTotal: number | null;
  fileName: string | null;
  importedAt: string;
  importedBy: string | null;
  batchId: number;
}

const VERSION_COLUMNS = `v.id, v.valid_from::text AS "validFrom", v.addresses, v.without_number AS "withoutNumber", v.with_coordinates AS "withCoordinates", v.streets,
  v.residents_column AS "residentsColumn", v.residents_total::float8 AS "residentsTotal", v.file_name AS "fileName",
  to_char(v.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS "importedAt", b.user_name AS "importedBy", v.import_batch_id AS "batchId",
  (SELECT (min(n.valid_from) - 1)::text FROM address_register_version n WHERE n.valid_from > v.valid_from) AS "validUntil"`;

/** Every version of the register, oldest first. */
export async function registerVersions(db: Queryable): Promise<RegisterVersion[]> {
  const { rows } = await db.query<RegisterVersion>(`SELECT ${VERSION_COLUMNS} FROM address_register_version v JOIN import_batch b ON b.id = v.import_batch_id ORDER BY v.valid_from`);
  return rows;
}

/**
 * The register version valid on a date (the newest valid-from on or before it); without a date
 * the newest version. A date before every version, or an empty register, is NotFound.
 */
export async function registerVersionAt(db: Queryable, at?: string | null): Promise<RegisterVersion> {
  let date: string | null = null;
  if (at) {
    date = parsePeriod(at)?.end ?? null;
    if (!date) throw new InputRejected([{ severity: 'error', code: 'bad-date', value: at, reason: `"${at}" is not a date` }], `"${at}" is not a date; write e.g. 2024-12-31.`);
  }
  const { rows } = await db.query<RegisterVersion>(
    `SELECT ${VERSION_COLUMNS} FROM address_register_version v JOIN import_batch b ON b.id = v.import_batch_id
      WHERE $1::date IS NULL OR v.valid_from <= $1::date ORDER BY v.valid_from DESC LIMIT 1`,
    [date],
  );
  if (rows.length) return rows[0];
  const { rows: first } = await db.query<{ d: string | null }>('SELECT min(valid_from)::text AS d FROM address_register_version');
  if (!first[0].d) throw new NotFound('The address register is empty: import it first with `kommunalmonitor import addresses FILE`.');
  throw new NotFound(`No version of the address register is valid on ${date}: the oldest is valid from ${first[0].d}. List them with \`kommunalmonitor addresses versions\`.`);
}

// ---------------------------------------------------------------------------------------------
// The register from the database

export interface LoadedRegister {
  register: AddressRegister;
  /** Layers with codes in the register, in the order of the layer list. */
  layers: string[];
  /** The version matched against. */
  version: RegisterVersion;
  batchId: number;
}

/** Loaded registers per database: the last two versions asked for (a version id is never reused). */
const registers = new WeakMap<object, Map<number, LoadedRegister>>();

/**
 * Reads the rows of one register version in id order, in chunks of one text each: far faster
 * than a row object per address (400,000 addresses load in about 2 s on the embedded engine
 * instead of 8 s). Fields are separated by U+001F, rows by U+001E. The version is filtered in
 * SQL (index address_version), so older versions cost nothing.
 */
async function* versionRows(db: Queryable, versionId: number, fields: string, where = 'TRUE'): AsyncGenerator<string[]> {
  for (let last = 0; ; ) {
    const { rows } = await db.query<{ t: string | null; last: number | null }>(
      `SELECT string_agg(concat_ws(chr(31), ${fields}), chr(30) ORDER BY id) AS t, max(id) AS last
         FROM (SELECT * FROM address WHERE version_id = $2 AND id > $1 AND ${where} ORDER BY id LIMIT 100000) chunk`,
      [last, versionId],
    );
    if (!rows[0].t) return;
    for (const rec of rows[0].t.split('\u001e')) yield rec.split('\u001f');
    last = rows[0].last!;
  }
}

/**
 * The address register as a matcher: the version valid on `at` (default the newest); cached per
 * database and version.
 */
export async function loadRegister(db: Queryable, o: { at?: string | null } = {}): Promise<LoadedRegister> {
  const version = await registerVersionAt(db, o.at);
  let cache = registers.get(db);
  if (!cache) registers.set(db, (cache = new Map()));
  const cached = cache.get(version.id);
  if (cached) return cached;
  // Codes repeat (a block's addresses share them) and are parsed once each.
  const inputs: RegisterEntryInput[] = [];
  const parsedCodes = new Map<string, Record<string, string>>();
  const used = new Set<string>();
  for await (const [id, street, number, postcode, x, y, codesText] of versionRows(db, version.id, `id, street, COALESCE(house_number, ''), COALESCE(postcode, ''), COALESCE(x::text, ''), COALESCE(y::text, ''), codes::text`)) {
    let codes = parsedCodes.get(codesText);
    if (!codes) {
      parsedCodes.set(codesText, (codes = JSON.parse(codesText) as Record<string, string>));
      for (const k of Object.keys(codes)) used.add(k);
    }
    // An empty house number is a street-level address (concat_ws would drop a NULL field).
    inputs.push({ street, number, postcode: postcode || null, x: x ? Number(x) : null, y: y ? Number(y) : null, codes, id });
  }
  if (!inputs.length) throw new NotFound(`The address register version valid from ${version.validFrom} has no addresses.`);
  const register = AddressRegister.build(inputs);
  const s = await snapshot(db);
  const layers = s.layers.map((l) => l.key).filter((k) => used.has(k));
  for (const k of used) if (!layers.includes(k)) layers.push(k);
  const loaded = { register, layers, version, batchId: version.batchId };
  if (cache.size >= 2) cache.delete(cache.keys().next().value!);
  cache.set(version.id, loaded);
  return loaded;
}

export interface AddressPoints {
  version: RegisterVersion;
  xs: Float64Array;
  ys: Float64Array;
  /** Residents per point, when the version has resident counts; else null (each address counts 1). */
  counts: Float64Array | null;
  /** Addresses of the version without coordinates (not usable as points). */
  withoutCoordinates: number;
}

/**
 * The address points of the register version valid on `at` (default the newest), with their
 * resident counts when the version has them. For crosswalk weights only: the counts leave this
 * function as arrays to be summed, never per address to a caller outside the services.
 */
export async function addressPoints(db: Queryable, at?: string | null): Promise<AddressPoints> {
  const version = await registerVersionAt(db, at);
  const xs: number[] = [],
    ys: number[] = [],
    cs: number[] = [];
  for await (const [x, y, r] of versionRows(db, version.id, `x::text, y::text, COALESCE(residents, 0)::text`, 'x IS NOT NULL')) {
    xs.push(Number(x));
    ys.push(Number(y));
    cs.push(Number(r));
  }
  return {
    version,
    xs: Float64Array.from(xs),
    ys: Float64Array.from(ys),
    counts: version.residentsColumn !== null ? Float64Array.from(cs) : null,
    withoutCoordinates: version.addresses - xs.length,
  };
}

// ---------------------------------------------------------------------------------------------
// Matching

export interface MatchAddressesOptions {
  /** One free-text column ("Ackerstr. 1a, 10115 Berlin"). */
  address?: string;
  /** Or separate columns; the street column may hold the number too. */
  street?: string;
  number?: string;
  postcode?: string;
  /** A given postcode must match (default: a unique address in another postcode matches with lower confidence). */
  strictPostcode?: boolean;
  /** Match against the register version valid on this date (default the newest). */
  at?: string;
  principal?: Principal;
  displayName?: string;
  delimiter?: string;
  encoding?: 'utf-8' | 'windows-1252' | 'auto';
  sheet?: string | number;
}

export interface MatchedRow {
  /** Line in the input file. */
  line: number;
  /** The input row as read, in the order of `columns`. */
  cells: string[];
  status: 'matched' | 'ambiguous' | 'unmatched';
  method: MatchMethod | null;
  confidence: number | null;
  /** The register address (matched). */
  street: string | null;
  houseNumber: string | null;
  postcode: string | null;
  /** Area code per layer: the matched address's; for an ambiguous one the codes all candidates share. */
  codes: Record<string, string>;
  /** Unmatched: the reason code (street-not-found …); ambiguous: "ambiguous". */
  reason: string | null;
  /** Explanation, notes or the candidates. */
  message: string | null;
  suggestion: string | null;
}

export interface MatchAddressesResult {
  file: string;
  columns: string[];
  /** Layers whose codes the rows carry. */
  layers: string[];
  register: { addresses: number; streets: number; validFrom: string; validUntil: string | null };
  rows: MatchedRow[];
  summary: MatchSummary;
  seconds: number;
}

/**
 * Matches every row of a file against the address register. Nothing of the input is stored:
 * the rows are returned to the caller only (see the comment at the top of this file).
 */
/** Matches the addresses of a file, or of an upload held in memory (personal records never touch the disk). */
export async function matchAddresses(db: Database, path: FileSource, o: MatchAddressesOptions = {}): Promise<MatchAddressesResult> {
  const t0 = performance.now();
  const who = o.principal ?? SYSTEM;
  requireSealedOffice(who);
  const file = o.displayName ?? basename(sourceName(path));
  const table = await openTable(path, { displayName: file, delimiter: o.delimiter, encoding: o.encoding, sheet: o.sheet });
  const problems = new ProblemList();
  let col: { address: number; street: number; number: number; postcode: number };
  if (o.address !== undefined && (o.street !== undefined || o.number !== undefined)) {
    problems.error({ code: 'bad-option', file, reason: 'give either --address (one free-text column) or --street/--number/--postcode, not both' });
  }
  if (o.address !== undefined) col = { address: findColumn(table, problems, o.address, [], '--address'), street: -1, number: -1, postcode: -1 };
  else if (o.street !== undefined) {
    col = {
      address: -1,
      street: findColumn(table, problems, o.street, [], '--street'),
      number: o.number !== undefined ? findColumn(table, problems, o.number, [], '--number') : -1,
      postcode: o.postcode !== undefined ? findColumn(table, problems, o.postcode, [], '--postcode') : -1,
    };
  } else {
    // Recognised by name: a street column (with number and postcode columns, if any), else one address column.
    const street = findColumn(table, problems, undefined, STREET_ALIASES, '--street');
    const address = street < 0 ? findColumn(table, problems, undefined, ADDRESS_ALIASES, '--address') : -1;
    col = {
      address,
      street,
      number: street >= 0 ? findColumn(table, problems, undefined, NUMBER_ALIASES, '--number') : -1,
      postcode: street >= 0 ? findColumn(table, problems, undefined, POSTCODE_ALIASES, '--postcode') : -1,
    };
    if (street < 0 && address < 0 && table.columns.length === 1) col.address = 0;
    if (col.street < 0 && col.address < 0) {
      problems.error({ code: 'missing-column', file, line: 1, reason: 'no address column found', hint: `name it with --address COLUMN (free text), or --street COLUMN [--number COLUMN] [--postcode COLUMN]; the file has the columns: ${table.columns.join(', ')}` });
    }
  }
  problems.throwIfErrors(`${file} cannot be matched.`);
  const { register, layers, version } = await loadRegister(db, { at: o.at });
  const results: MatchResult[] = [];
  const rows: MatchedRow[] = [];
  for await (const batch of table.batches) {
    for (const row of batch) {
      const cells = table.columns.map((_, i) => cellText(row.cells[i]));
      const input: MatchInput = col.address >= 0 ? cells[col.address] : { street: cells[col.street], number: col.number >= 0 ? cells[col.number] : null, postcode: col.postcode >= 0 ? cells[col.postcode] : null };
      const r = register.match(input, { strictPostcode: o.strictPostcode });
      results.push(r);
      rows.push(toRow(row.line, cells, r));
    }
  }
  const summary = summarizeMatches(results);
  await audit(db, who, { action: 'addresses.match', objectType: 'file', details: { rows: summary.total, matched: summary.matched, ambiguous: summary.ambiguous, unmatched: summary.unmatched } });
  return {
    file,
    columns: table.columns,
    layers,
    register: { addresses: register.size, streets: register.streetCount, validFrom: version.validFrom, validUntil: version.validUntil },
    rows,
    summary,
    seconds: (performance.now() - t0) / 1000,
  };
}

function toRow(line: number, cells: string[], r: MatchResult): MatchedRow {
  const base = { line, cells, method: null, confidence: null, street: null, houseNumber: null, postcode: null, suggestion: null };
  if (r.status === 'matched') {
    return {
      ...base,
      status: 'matched',
      method: r.method,
      confidence: r.confidence,
      street: r.entry.street,
      houseNumber: r.entry.houseNumber,
      postcode: r.entry.postcode,
      codes: r.entry.codes,
      reason: null,
      message: r.notes.length ? r.notes.join('; ') : null,
    };
  }
  if (r.status === 'ambiguous') {
    const list = r.candidates.map((c) => `${c.street}${c.houseNumber ? ` ${c.houseNumber}` : ''}${c.postcode ? `, ${c.postcode}` : ''}`).join(' | ');
    return { ...base, status: 'ambiguous', codes: r.commonCodes, reason: 'ambiguous', message: `${r.reason}; candidates: ${list}` };
  }
  return { ...base, status: 'unmatched', codes: {}, reason: r.reason, message: r.message, suggestion: r.suggestion ?? null };
}

/** The columns the match adds to the input columns, in output order. */
export function matchColumns(layers: readonly string[]): AddedColumn[] {
  const fixed = (name: string, what: string): AddedColumn => ({ name, what });
  return [
    fixed('status', 'the match status'),
    fixed('method', 'the match method'),
    fixed('confidence', 'the match confidence'),
    fixed('matched_street', 'the street of the register'),
    fixed('matched_house_number', 'the house number of the register'),
    fixed('matched_postcode', 'the postcode of the register'),
    ...layers.map((l) => fixed(l, `the area code of layer "${l}"`)),
    fixed('reason', 'the reason of an unmatched row'),
    fixed('message', 'notes on the match'),
    fixed('suggestion', 'the nearest register street'),
  ];
}

/**
 * The matched rows as CSV (";" and decimal comma): the input columns, then the match. The added
 * columns never take the name of an input column (core/columns.ts): a collision is refused, and
 * `columnPrefix` names them all differently.
 */
export function matchesToCsv(a: MatchAddressesResult, o: { columnPrefix?: string; prefixOption?: string } = {}): string {
  const head = [...a.columns, ...addedColumnNames(a.columns, matchColumns(a.layers), { prefix: o.columnPrefix, file: a.file, option: o.prefixOption ?? '--column-prefix' })];
  const lines = [csvLine(head)];
  for (const r of a.rows) {
    lines.push(
      csvLine([...r.cells, r.status, r.method, r.confidence === null ? null : csvNumber(r.confidence), r.street, r.houseNumber, r.postcode, ...a.layers.map((l) => r.codes[l] ?? null), r.reason, r.message, r.suggestion]),
    );
  }
  return lines.join('\n') + '\n';
}

/** The summary in a few lines of text. */
export function summaryText(s: MatchSummary, limit = 20): string {
  const pct = (n: number) => (s.total ? `${((100 * n) / s.total).toFixed(1).replace('.', ',')} %` : '–');
  const lines = [
    `${s.total} addresses: ${s.matched} matched (${pct(s.matched)}; exact ${s.byMethod.exact}, normalised ${s.byMethod.normalised}, fuzzy ${s.byMethod.fuzzy}, base number ${s.byMethod['base-number']}${s.streetLevel ? `; ${s.streetLevel} of them places without house number` : ''}), ${s.ambiguous} ambiguous, ${s.unmatched} unmatched (${pct(s.unmatched)}).`,
  ];
  const reasons = Object.entries(s.byReason);
  if (reasons.length) lines.push(`Unmatched by reason: ${reasons.map(([k, n]) => `${k} ${n}`).join(', ')}.`);
  if (s.unmatchedStreets.length) {
    lines.push('Streets not in the register (most frequent first):');
    for (const u of s.unmatchedStreets.slice(0, limit)) lines.push(`  ${String(u.count).padStart(6)}  ${u.street}${u.suggestion ? `  (nearest: ${u.suggestion})` : ''}`);
    if (s.unmatchedStreets.length > limit) lines.push(`  … and ${s.unmatchedStreets.length - limit} more`);
  }
  if (s.missingHouseNumbers.length) {
    lines.push('House numbers missing from known streets (most frequent first):');
    for (const m of s.missingHouseNumbers.slice(0, limit)) lines.push(`  ${String(m.count).padStart(6)}  ${m.street} ${m.houseNumber}${m.suggestion ? `  (exists: ${m.suggestion})` : ''}`);
    if (s.missingHouseNumbers.length > limit) lines.push(`  … and ${s.missingHouseNumbers.length - limit} more`);
  }
  return lines.join('\n') + '\n';
}
