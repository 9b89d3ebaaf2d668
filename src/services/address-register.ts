// Use cases of the municipal address register: import it (a version valid from a date; older
// versions are kept; all or nothing, with positioned problems), list its versions, and load the
// version valid on a date as a matcher or as address points. Matching: address-match.ts.
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import { sourceName } from '../formats/source.ts';
import { openTable, rowWidthProblem } from '../formats/table.ts';
import { cellText, coordinateOf, findColumn } from '../formats/columns.ts';
import type { Database, Queryable } from '../store/db.ts';
import { loadLayers, currentAreaCodes } from '../store/catalog.ts';
import {
  listRegisterVersions,
  registerVersionOn,
  oldestRegisterDate,
  countRegisterVersions,
  lockRegister,
  registerVersionOfDate,
  storedAddresses,
  deleteRegisterVersion,
  insertRegisterVersion,
  insertAddresses,
  registerRows,
  type NewAddress,
  type RegisterVersionRow,
  type StoredAddress,
} from '../store/addresses.ts';
import { assessCoordinates, makeTransform, parseCrs, supportedCrsList } from '../core/geo/crs.ts';
import type { BBox } from '../core/geo/types.ts';
import { parsePeriod } from '../core/periods.ts';
import { formatHouseNumber, normalizePostcode, normalizeStreet, parseHouseNumber } from '../core/address/normalize.ts';
import { AddressRegister, type RegisterEntryInput } from '../core/address/matcher.ts';
import { NotFound, ProblemList, Forbidden, Unauthorized, InputRejected, type Problem } from '../core/problems.ts';
import { SYSTEM, canWrite, principalName, type Principal } from '../core/access.ts';
import { inTransaction } from './transaction.ts';
import { startBatch, finishBatch } from '../store/batches.ts';
import { spatialStructureOwner } from './areas.ts';
import { assignPointsToLayers } from './assign-points.ts';
import { snapshot } from './snapshot.ts';
import { audit } from './audit.ts';
import { coded } from '../contracts/codes/index.ts';

/** "LAYER=COLUMN" options. */
function parseAreaOptions(
  list: string[] | undefined,
  problems: ProblemList,
  file: string,
): { layer: string; column: string }[] {
  const out: { layer: string; column: string }[] = [];
  for (const spec of list ?? []) {
    const eq = spec.indexOf('=');
    const layer = eq > 0 ? spec.slice(0, eq).trim() : '';
    const column = eq > 0 ? spec.slice(eq + 1).trim() : '';
    if (!/^[a-z][a-z0-9_]*$/.test(layer) || !column) {
      problems.error({
        code: 'bad-option',
        file,
        value: spec,
        reason: `cannot read --area "${spec}"`,
        hint: 'write --area LAYER=COLUMN, e.g. --area planungsraum=PLR_ID',
      });
      continue;
    }
    out.push({ layer, column });
  }
  return out;
}

export const STREET_ALIASES = ['strasse', 'straße', 'street', 'strassenname', 'straßenname', 'str', 'str.'];
export const NUMBER_ALIASES = ['hausnummer', 'hausnr', 'hausnr.', 'hnr', 'number', 'house_number', 'nr', 'nr.'];
const SUFFIX_ALIASES = ['zusatz', 'hausnummernzusatz', 'hausnummer_zusatz', 'hnr_zusatz', 'suffix', 'adresszusatz'];
export const POSTCODE_ALIASES = ['plz', 'postleitzahl', 'postcode', 'zip', 'postal_code'];
const X_ALIASES = ['x', 'lon', 'lng', 'longitude', 'rechtswert', 'easting'];
const Y_ALIASES = ['y', 'lat', 'latitude', 'hochwert', 'northing'];
export const ADDRESS_ALIASES = ['adresse', 'anschrift', 'address', 'wohnadresse'];

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

interface LayerCodeCounts {
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

type AddressRow = NewAddress;

/** "2024-12-31" or "31.12.2024" → ISO date; null if not a calendar date. */
function calendarDate(text: string): string | null {
  const p = parsePeriod(text);
  return p && p.type === 'date' ? p.key : null;
}

/** A JSON object with its keys in sorted order (jsonb reorders keys; the digest must not depend on it). */
function sortedJson(o: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}

/**
 * SHA-256 over the stored content of a register version in a canonical form (file order, every
 * stored field): two imports giving the same rows give the same digest.
 */
function registerDigest(rows: Iterable<StoredAddress>): string {
  const h = createHash('sha256');
  for (const r of rows) {
    h.update(
      [
        r.line,
        r.street,
        r.key,
        r.houseNumber ?? '',
        r.postcode ?? '',
        r.x ?? '',
        r.y ?? '',
        sortedJson(r.codes),
        sortedJson(r.sources),
        r.residents ?? '',
      ].join('\u001f'),
    );
    h.update('\u001e');
  }
  return h.digest('hex');
}

/** The digest of a stored version (for the version converted by migration 006, which has none). */
async function storedDigest(db: Queryable, versionId: number): Promise<string> {
  return registerDigest(await storedAddresses(db, versionId));
}

/**
 * Imports the address register (CSV/XLSX) as the version valid from `validFrom`. All or
 * nothing: every problem is reported with file, line, column and value, and a file with any
 * error changes nothing. Versions of other dates are kept; a version of the same date is
 * replaced, unless the content is identical (then nothing changes).
 */
export async function importAddresses(
  db: Database,
  path: string,
  o: ImportAddressesOptions = {},
): Promise<ImportAddressesResult> {
  const file = o.displayName ?? basename(sourceName(path));
  const table = await openTable(path, {
    displayName: file,
    delimiter: o.delimiter,
    encoding: o.encoding,
    sheet: o.sheet,
  });
  const problems = new ProblemList();
  const fail = (rows?: number) =>
    rows !== undefined
      ? coded('addresses-not-imported-rows', { file, n: problems.errorCount, rows })
      : coded('addresses-not-imported', { file, n: problems.errorCount });
  const crsText = o.crs ?? 'EPSG:4326';
  const crs = parseCrs(crsText);
  if (!crs)
    problems.error({
      code: 'bad-crs',
      file,
      value: crsText,
      reason: 'unknown CRS',
      hint: `supported: ${supportedCrsList()}`,
    });
  const col = {
    street: findColumn(table, problems, o.street, STREET_ALIASES, '--street'),
    number: findColumn(table, problems, o.number, NUMBER_ALIASES, '--number'),
    suffix: findColumn(table, problems, o.suffix, SUFFIX_ALIASES, '--suffix'),
    postcode: findColumn(table, problems, o.postcode, POSTCODE_ALIASES, '--postcode'),
    x: findColumn(table, problems, o.x, X_ALIASES, '--x'),
    y: findColumn(table, problems, o.y, Y_ALIASES, '--y'),
  };
  if (col.street < 0 && o.street === undefined)
    problems.error({
      code: 'missing-column',
      file,
      line: 1,
      reason: 'no street column found',
      hint: `name it with --street COLUMN; the file has the columns: ${table.columns.join(', ')}`,
    });
  if (col.number < 0 && o.number === undefined)
    problems.error({
      code: 'missing-column',
      file,
      line: 1,
      reason: 'no house-number column found',
      hint: `name it with --number COLUMN; the file has the columns: ${table.columns.join(', ')}`,
    });
  if (col.x < 0 !== col.y < 0 && o.x === undefined && o.y === undefined) {
    problems.error({
      code: 'missing-column',
      file,
      line: 1,
      reason: `only a ${col.x < 0 ? 'y' : 'x'} coordinate column was found`,
      hint: 'name both with --x COLUMN --y COLUMN',
    });
  }
  const areaOpts = parseAreaOptions(o.areas, problems, file).map((a) => ({
    ...a,
    index: findColumn(table, problems, a.column, [], `--area ${a.layer}=`),
  }));
  const residentsCol = o.residents !== undefined ? findColumn(table, problems, o.residents, [], '--residents') : -1;
  const validFromText = o.validFrom ?? new Date().toISOString().slice(0, 10);
  const validFrom = calendarDate(validFromText);
  if (!validFrom)
    problems.error({
      code: 'bad-date',
      file,
      value: validFromText,
      reason: '--valid-from is not a calendar date',
      hint: 'write the date from which this register is valid, e.g. 2024-01-01 or 01.01.2024',
    });
  problems.throwIfErrors(fail());
  const transform = makeTransform(crs!);

  return inTransaction(db, !!o.dryRun, async (tx) => {
    const who = o.principal ?? SYSTEM;
    const owner = await spatialStructureOwner(tx);
    const may = canWrite(who, owner);
    if (may === 'unauthenticated') throw new Unauthorized();
    if (may === 'forbidden') throw new Forbidden(coded('address-register-forbidden', { department: owner }));

    // Codes of the current version of every layer named with --area.
    const layers = await loadLayers(tx);
    const validCodes = new Map<string, Set<string>>();
    for (const a of areaOpts) {
      if (!layers.some((l) => l.key === a.layer)) {
        problems.error({
          code: 'unknown-layer',
          file,
          value: a.layer,
          reason: `the layer "${a.layer}" does not exist`,
          params: { layer: a.layer },
          hint: `layers: ${layers.map((l) => l.key).join(', ') || 'none'}`,
        });
        continue;
      }
      validCodes.set(a.layer, await currentAreaCodes(tx, a.layer));
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
          problems.error({
            code: 'empty-street',
            file,
            line,
            column: table.columns[col.street],
            value: street,
            reason: street ? 'the street name has no letters or digits' : 'the street is empty',
          });
          continue;
        }
        const numberText = cellText(cells[col.number]);
        const suffixText = col.suffix >= 0 ? cellText(cells[col.suffix]) : '';
        // No number and no suffix: a place without house number (a square, a gate, a bridge),
        // stored as a street-level address. A suffix without a number stays an error.
        const streetLevel = !numberText && !suffixText;
        const h = streetLevel
          ? null
          : parseHouseNumber(
              suffixText ? `${numberText}${/^\d/.test(suffixText) ? '/' : ''}${suffixText}` : numberText,
            );
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
              problems.error({
                code: 'bad-postcode',
                file,
                line,
                column: table.columns[col.postcode],
                value: raw,
                reason: 'not a German postcode',
                hint: 'five digits, e.g. 10115 (a leading zero may be missing: 1067)',
              });
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
              problems.error({
                code: 'bad-coordinate',
                file,
                line,
                column: table.columns[bad],
                value: cellText(cells[bad]),
                reason: cellText(cells[bad]) ? 'not a number' : 'one coordinate is missing',
                hint: 'give both coordinates or neither',
              });
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
            problems.error({
              code: 'unknown-area',
              file,
              line,
              column: table.columns[a.index],
              value: code,
              reason: `no area with this code in the current version of layer "${a.layer}"`,
              params: { area: code, layer: a.layer },
              hint: `list the areas with GET /api/layers/${a.layer}/areas`,
            });
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
              problems.error({
                code: 'bad-residents',
                file,
                line,
                column: table.columns[residentsCol],
                value: raw,
                reason: 'not a number of residents',
                hint: 'a whole number ≥ 0 per address (an empty cell counts as 0)',
              });
              continue;
            }
            residents = n;
          }
        }
        rows.push({
          line,
          street,
          key,
          houseNumber: h ? formatHouseNumber(h) : null,
          number: h ? h.number : null,
          suffix: h ? h.suffix : '',
          postcode,
          x,
          y,
          codes,
          sources,
          residents,
        });
      }
    }
    if (read === 0) problems.error({ code: 'empty', file, reason: 'the file has a header but no rows' });
    const withoutNumber = rows.reduce((n, r) => n + (r.number === null ? 1 : 0), 0);
    // A register of places only is a house-number column that is empty or not the right one.
    if (rows.length && withoutNumber === rows.length) {
      problems.error({
        code: 'no-house-numbers',
        file,
        column: table.columns[col.number],
        reason: `none of the ${rows.length} addresses has a house number`,
        params: { n: rows.length },
        hint: `name the house-number column with --number COLUMN; the file has the columns: ${table.columns.join(', ')}`,
      });
    }
    if (rows.some((r) => r.x !== null)) {
      const issue = assessCoordinates(crs!, nativeBox);
      if (issue)
        problems.add({
          severity: issue.severity,
          code: 'coordinates-crs',
          file,
          value: crs!,
          reason: issue.reason,
          hint: issue.hint,
        });
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
        problems.error({
          code: 'coordinates-outside',
          file,
          value: crs!,
          reason: `none of the ${located.length} address points lies in any area of any layer`,
          params: { n: located.length },
          hint: `check the CRS of the coordinates (--crs, now ${crs}) and the x/y columns`,
        });
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
        problems.warning({
          code: 'register-differs',
          file,
          reason: `${c.disagreeing} address(es) carry a ${layer} code in the register that differs from the area containing their point; the register's code is kept`,
          params: { n: c.disagreeing, layer },
          hint: 'check the register or the coordinates of these addresses',
        });
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
      problems.warning({
        code: 'duplicate-address',
        file,
        reason: `${duplicates.length} address(es) appear more than once: ${duplicates.slice(0, 5).join('; ')}${duplicates.length > 5 ? ' …' : ''}`,
        hint: 'identical entries count as one address when matching',
      });
    }

    if (emptyResidents) {
      problems.warning({
        code: 'empty-residents',
        file,
        column: table.columns[residentsCol],
        reason: `${emptyResidents} address(es) have an empty resident count; they count as 0 residents`,
        params: { n: emptyResidents },
        hint: 'an address without residents gets no weight in population crosswalks',
      });
    }
    const streets = new Set(rows.map((r) => r.key)).size;
    const residents =
      residentsCol >= 0
        ? {
            column: table.columns[residentsCol],
            total: rows.reduce((t, r) => t + (r.residents ?? 0), 0),
            empty: emptyResidents,
          }
        : null;
    const result = (
      replaced: number,
      unchanged: boolean,
      versions: number,
      batchId: number | null,
    ): ImportAddressesResult => ({
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
    await lockRegister(tx);
    const same = await registerVersionOfDate(tx, validFrom!);
    const count = await countRegisterVersions(tx);
    if (same && (same.digest ?? (await storedDigest(tx, same.id))) === digest) return result(0, true, count, null);

    const batch = await startBatch(
      tx,
      'addresses',
      file,
      {
        street: o.street,
        number: o.number,
        suffix: o.suffix,
        postcode: o.postcode,
        x: o.x,
        y: o.y,
        crs,
        areas: o.areas,
        residents: o.residents,
        validFrom,
      },
      principalName(who),
    );
    const replaced = same ? same.addresses : 0;
    if (same) await deleteRegisterVersion(tx, same.id);
    const versionId = await insertRegisterVersion(tx, {
      validFrom: validFrom!,
      batch,
      fileName: file,
      addresses: rows.length,
      withCoordinates: located.length,
      streets,
      residentsColumn: residents?.column ?? null,
      residentsTotal: residents?.total ?? null,
      digest,
      withoutNumber,
    });
    await insertAddresses(tx, versionId, batch, rows);
    await finishBatch(tx, batch, { rowsRead: read, inserted: rows.length, updated: 0, unchanged: 0 });
    // The audit trail records counts only — never an address or a resident count of one.
    await audit(tx, who, {
      action: 'addresses.import',
      objectType: 'file',
      objectKey: file,
      batchId: batch,
      details: {
        addresses: rows.length,
        withoutNumber,
        validFrom,
        replaced,
        streets,
        residents: residents ? residents.total : null,
      },
    });
    return result(replaced, false, count + (same ? 0 : 1), batch);
  });
}

// ---------------------------------------------------------------------------------------------
// Register versions

/** A version of the register as the use cases give it. */
export type RegisterVersion = RegisterVersionRow;

/** Every version of the register, oldest first. */
export async function registerVersions(db: Queryable): Promise<RegisterVersion[]> {
  return listRegisterVersions(db);
}

/**
 * The register version valid on a date (the newest valid-from on or before it); without a date
 * the newest version. A date before every version, or an empty register, is NotFound.
 */
export async function registerVersionAt(db: Queryable, at?: string | null): Promise<RegisterVersion> {
  let date: string | null = null;
  if (at) {
    date = parsePeriod(at)?.end ?? null;
    if (!date)
      throw new InputRejected(
        [{ severity: 'error', code: 'bad-date', value: at, reason: `"${at}" is not a date` }],
        `"${at}" is not a date; write e.g. 2024-12-31.`,
      );
  }
  const found = await registerVersionOn(db, date);
  if (found) return found;
  const oldest = await oldestRegisterDate(db);
  if (!oldest) throw new NotFound(coded('address-register-empty'));
  throw new NotFound(coded('address-register-no-version-on', { date: String(date), oldest }));
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
  for await (const [id, street, number, postcode, x, y, codesText] of registerRows(
    db,
    version.id,
    `id, street, COALESCE(house_number, ''), COALESCE(postcode, ''), COALESCE(x::text, ''), COALESCE(y::text, ''), codes::text`,
  )) {
    let codes = parsedCodes.get(codesText);
    if (!codes) {
      parsedCodes.set(codesText, (codes = JSON.parse(codesText) as Record<string, string>));
      for (const k of Object.keys(codes)) used.add(k);
    }
    // An empty house number is a street-level address (concat_ws would drop a NULL field).
    inputs.push({
      street,
      number,
      postcode: postcode || null,
      x: x ? Number(x) : null,
      y: y ? Number(y) : null,
      codes,
      id,
    });
  }
  if (!inputs.length) throw new NotFound(coded('address-register-version-empty', { date: version.validFrom }));
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
  for await (const [x, y, r] of registerRows(
    db,
    version.id,
    `x::text, y::text, COALESCE(residents, 0)::text`,
    'x IS NOT NULL',
  )) {
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
