// Matching addresses from forms against the address register version valid on a date.
//
// Matching is for personal data (registration forms, applications): the input is read, matched
// in memory and returned — it is never written to the database, a log or a cache. Only an audit
// entry with the counts (no address) records that a match was run. Rules: docs/methods-spatial.md.
import { basename } from 'node:path';
import { sourceName, type FileSource } from '../formats/source.ts';
import { csvLine, csvNumber } from '../formats/csv-write.ts';
import { openTable } from '../formats/table.ts';
import { cellText, findColumn } from '../formats/columns.ts';
import type { Database } from '../store/db.ts';
import { addedColumnNames, type AddedColumn } from '../core/columns.ts';
import {
  summarizeMatches,
  type MatchInput,
  type MatchMethod,
  type MatchResult,
  type MatchSummary,
} from '../core/address/matcher.ts';
import { ProblemList } from '../core/problems.ts';
import { SYSTEM, requireSealedOffice, type Principal } from '../core/access.ts';
import { loadRegister, STREET_ALIASES, NUMBER_ALIASES, POSTCODE_ALIASES, ADDRESS_ALIASES } from './address-register.ts';
import { audit } from './audit.ts';

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

interface MatchedRow {
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
 * the rows are returned to the caller only (see the comment at the top of this file); the
 * input may be a file or an upload held in memory (personal records never touch the disk).
 */
export async function matchAddresses(
  db: Database,
  path: FileSource,
  o: MatchAddressesOptions = {},
): Promise<MatchAddressesResult> {
  const t0 = performance.now();
  const who = o.principal ?? SYSTEM;
  requireSealedOffice(who);
  const file = o.displayName ?? basename(sourceName(path));
  const table = await openTable(path, {
    displayName: file,
    delimiter: o.delimiter,
    encoding: o.encoding,
    sheet: o.sheet,
  });
  const problems = new ProblemList();
  let col: { address: number; street: number; number: number; postcode: number };
  if (o.address !== undefined && (o.street !== undefined || o.number !== undefined)) {
    problems.error({
      code: 'bad-option',
      file,
      reason: 'give either --address (one free-text column) or --street/--number/--postcode, not both',
    });
  }
  if (o.address !== undefined)
    col = { address: findColumn(table, problems, o.address, [], '--address'), street: -1, number: -1, postcode: -1 };
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
      problems.error({
        code: 'missing-column',
        file,
        line: 1,
        reason: 'no address column found',
        hint: `name it with --address COLUMN (free text), or --street COLUMN [--number COLUMN] [--postcode COLUMN]; the file has the columns: ${table.columns.join(', ')}`,
      });
    }
  }
  problems.throwIfErrors(`${file} cannot be matched.`);
  const { register, layers, version } = await loadRegister(db, { at: o.at });
  const results: MatchResult[] = [];
  const rows: MatchedRow[] = [];
  for await (const batch of table.batches) {
    for (const row of batch) {
      const cells = table.columns.map((_, i) => cellText(row.cells[i]));
      const input: MatchInput =
        col.address >= 0
          ? cells[col.address]
          : {
              street: cells[col.street],
              number: col.number >= 0 ? cells[col.number] : null,
              postcode: col.postcode >= 0 ? cells[col.postcode] : null,
            };
      const r = register.match(input, { strictPostcode: o.strictPostcode });
      results.push(r);
      rows.push(toRow(row.line, cells, r));
    }
  }
  const summary = summarizeMatches(results);
  await audit(db, who, {
    action: 'addresses.match',
    objectType: 'file',
    details: {
      rows: summary.total,
      matched: summary.matched,
      ambiguous: summary.ambiguous,
      unmatched: summary.unmatched,
    },
  });
  return {
    file,
    columns: table.columns,
    layers,
    register: {
      addresses: register.size,
      streets: register.streetCount,
      validFrom: version.validFrom,
      validUntil: version.validUntil,
    },
    rows,
    summary,
    seconds: (performance.now() - t0) / 1000,
  };
}

function toRow(line: number, cells: string[], r: MatchResult): MatchedRow {
  const base = {
    line,
    cells,
    method: null,
    confidence: null,
    street: null,
    houseNumber: null,
    postcode: null,
    suggestion: null,
  };
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
    const list = r.candidates
      .map((c) => `${c.street}${c.houseNumber ? ` ${c.houseNumber}` : ''}${c.postcode ? `, ${c.postcode}` : ''}`)
      .join(' | ');
    return {
      ...base,
      status: 'ambiguous',
      codes: r.commonCodes,
      reason: 'ambiguous',
      message: `${r.reason}; candidates: ${list}`,
    };
  }
  return {
    ...base,
    status: 'unmatched',
    codes: {},
    reason: r.reason,
    message: r.message,
    suggestion: r.suggestion ?? null,
  };
}

/** The columns the match adds to the input columns, in output order. */
function matchColumns(layers: readonly string[]): AddedColumn[] {
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
export function matchesToCsv(
  a: MatchAddressesResult,
  o: { columnPrefix?: string; prefixOption?: string } = {},
): string {
  const head = [
    ...a.columns,
    ...addedColumnNames(a.columns, matchColumns(a.layers), {
      prefix: o.columnPrefix,
      file: a.file,
      option: o.prefixOption ?? '--column-prefix',
    }),
  ];
  const lines = [csvLine(head)];
  for (const r of a.rows) {
    lines.push(
      csvLine([
        ...r.cells,
        r.status,
        r.method,
        r.confidence === null ? null : csvNumber(r.confidence),
        r.street,
        r.houseNumber,
        r.postcode,
        ...a.layers.map((l) => r.codes[l] ?? null),
        r.reason,
        r.message,
        r.suggestion,
      ]),
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
    for (const u of s.unmatchedStreets.slice(0, limit))
      lines.push(`  ${String(u.count).padStart(6)}  ${u.street}${u.suggestion ? `  (nearest: ${u.suggestion})` : ''}`);
    if (s.unmatchedStreets.length > limit) lines.push(`  … and ${s.unmatchedStreets.length - limit} more`);
  }
  if (s.missingHouseNumbers.length) {
    lines.push('House numbers missing from known streets (most frequent first):');
    for (const m of s.missingHouseNumbers.slice(0, limit))
      lines.push(
        `  ${String(m.count).padStart(6)}  ${m.street} ${m.houseNumber}${m.suggestion ? `  (exists: ${m.suggestion})` : ''}`,
      );
    if (s.missingHouseNumbers.length > limit) lines.push(`  … and ${s.missingHouseNumbers.length - limit} more`);
  }
  return lines.join('\n') + '\n';
}
