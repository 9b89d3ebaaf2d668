// Reads an indicator catalogue from JSON, YAML or CSV into the shape of catalogueSchema, with
// positioned problems. Validation of the content happens in the service.
import { extname } from 'node:path';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type Document,
  type Node as YamlNode,
} from 'yaml';
import { openTable } from './table.ts';
import {
  inspectionProblem,
  inspectValue,
  parseJsonDocument,
  readDocumentText,
  type JsonPath,
  type Locate,
} from './document.ts';
import type { Problem } from '../core/problems.ts';
import { parseNumber, parsePlainNumber } from '../core/values.ts';

export type { Locate } from './document.ts';

export interface RawCatalogue {
  data: unknown;
  /** For CSV: the line of each indicator record (index = position in the indicators array). */
  lines?: number[];
  /** Line (and column) of a path into data, e.g. [3, "scale"] or ["indicators", 3, "scale"]. */
  locate: Locate;
  problems: Problem[];
}

const nowhere: Locate = () => undefined;

/** Most aliases (*name) a YAML document may resolve: the yaml package's guard against "billion laughs" documents. */
const YAML_MAX_ALIAS_COUNT = 100;

/** Reads a JSON or YAML document (indicator catalogues, index and typology definitions). */
export async function readStructuredFile(path: string, file: string): Promise<RawCatalogue> {
  const ext = extname(path).toLowerCase();
  const read = await readDocumentText(path, file);
  if (read.text === null) return { data: null, locate: nowhere, problems: read.problems };
  const text = read.text;
  if (ext === '.yaml' || ext === '.yml') return readYaml(text, file);
  const doc = parseJsonDocument(text, file);
  return { data: doc.data, locate: doc.locate, problems: doc.problems };
}

function readYaml(text: string, file: string): RawCatalogue {
  const lc = new LineCounter();
  const at = (offset: number) => {
    const p = lc.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const fail = (problems: Problem[]): RawCatalogue => ({ data: null, locate: nowhere, problems });
  if (doc.errors.length) {
    return fail(
      doc.errors.map((err) => ({
        severity: 'error' as const,
        code: 'bad-yaml',
        file,
        ...at(err.pos[0]),
        reason: err.message.split('\n')[0],
        hint: 'check the indentation and quoting here or just before',
      })),
    );
  }
  const locate: Locate = (path) => {
    const offset = yamlOffset(doc, path);
    return offset === null ? undefined : at(offset);
  };
  // Numbers must be plain decimals: YAML would read 0x10 as 16, 0o17 as 15, .inf as Infinity.
  const problems: Problem[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' && typeof node.source === 'string' && parsePlainNumber(node.source) === null) {
        problems.push({
          severity: 'error',
          code: 'bad-number',
          file,
          ...(node.range ? at(node.range[0]) : {}),
          value: node.source,
          reason: `"${node.source}" is not a decimal number`,
          hint: 'write numbers as plain decimals such as 16, 0.5 or 1000 (no hexadecimal, octal, .inf or .nan); quote the value if it is meant as text',
        });
      }
    },
  });
  if (problems.length) return fail(problems);
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  } catch (e) {
    // The yaml package throws a ReferenceError without a position when aliases expand too far.
    let first: number | null = null;
    visit(doc, {
      Alias(_key, node) {
        if (node.range) first = node.range[0];
        return visit.BREAK;
      },
    });
    // Every alias error of the yaml package is a ReferenceError (its kind, not its message, tells).
    const alias = e instanceof ReferenceError && first !== null;
    return fail([
      {
        severity: 'error',
        code: alias ? 'yaml-alias-limit' : 'bad-yaml',
        file,
        ...(first !== null ? at(first) : {}),
        reason: alias
          ? `the aliases (*name) of this document expand to too many values (more than ${YAML_MAX_ALIAS_COUNT} alias resolutions); the first alias is here`
          : `the YAML cannot be read: ${(e as Error).message}`,
        hint: alias
          ? 'a catalogue needs few aliases, if any: write the values out instead of nesting aliases of aliases'
          : 'check the YAML here',
      },
    ]);
  }
  const issue = inspectValue(data);
  if (issue) return fail([inspectionProblem(issue, file, locate)]);
  return { data, locate, problems: [] };
}

/** Offset of the node at path (for a map entry: its key) in a YAML document; null if absent. */
function yamlOffset(doc: Document, path: JsonPath): number | null {
  let node: unknown = doc.contents;
  let offset: number | null = (node as YamlNode | null)?.range?.[0] ?? null;
  for (const comp of path) {
    if (isAlias(node)) return offset; // values reached through an alias: the alias is the place
    if (isMap(node)) {
      const pair = node.items.find(
        (p) =>
          (isScalar(p.key) ? p.key.value : p.key) === comp || (isScalar(p.key) && String(p.key.value) === String(comp)),
      );
      if (!pair) return null;
      offset = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof comp === 'number') {
      node = node.items[comp];
      if (!node) return null;
      offset = (node as YamlNode).range?.[0] ?? offset;
    } else return null;
  }
  return offset;
}

export async function readCatalogueFile(path: string, file: string): Promise<RawCatalogue> {
  const ext = extname(path).toLowerCase();
  if (['.json', '.yaml', '.yml'].includes(ext)) return readStructuredFile(path, file);
  if (['.csv', '.txt', '.tsv', '.xlsx'].includes(ext)) return readCatalogueTable(path, file);
  return {
    data: null,
    locate: nowhere,
    problems: [
      {
        severity: 'error',
        code: 'unknown-format',
        file,
        reason: `unknown catalogue format "${ext}"`,
        hint: 'use .json, .yaml/.yml or .csv',
      },
    ],
  };
}

const LIST_FIELDS = new Set(['dimensions', 'themes']);
const NUMBER_FIELDS = new Set(['scale', 'minBase', 'decimals']);
const FIELD_ALIASES: Record<string, string> = { minbase: 'minBase', min_base: 'minBase' };

/** "einwohner[altersgruppe=unter6,geschlecht=w]" → { indicator, filter }. */
export function parseComponentRef(text: string): { indicator: string; filter?: Record<string, string> } | null {
  const m = /^\s*([a-z][a-z0-9_]*)\s*(?:\[([^\]]*)\])?\s*$/.exec(text);
  if (!m) return null;
  if (!m[2]) return { indicator: m[1] };
  const filter: Record<string, string> = {};
  for (const part of m[2].split(',')) {
    const kv = /^\s*([a-z][a-z0-9_]*)\s*=\s*(.+?)\s*$/.exec(part);
    if (!kv) return null;
    filter[kv[1]] = kv[2];
  }
  return { indicator: m[1], filter };
}

async function readCatalogueTable(path: string, file: string): Promise<RawCatalogue> {
  const table = await openTable(path, { displayName: file });
  const problems: Problem[] = [];
  const indicators: Record<string, unknown>[] = [];
  const lines: number[] = [];
  const cols = table.columns.map((c) => FIELD_ALIASES[c.trim().toLowerCase()] ?? c.trim());
  for await (const row of table.rows) {
    const rec: Record<string, unknown> = {};
    cols.forEach((col, i) => {
      const cell = row.cells[i];
      if (cell === null || cell === undefined || String(cell).trim() === '') return;
      const text = String(cell).trim();
      if (LIST_FIELDS.has(col))
        rec[col] = text
          .split(/[|,]/)
          .map((s) => s.trim())
          .filter(Boolean);
      else if (NUMBER_FIELDS.has(col)) {
        // The same number parser as observation values: German notation in ";" files, no hexadecimal.
        const n = typeof cell === 'number' ? cell : parseNumber(text, table.decimal);
        if (n === null) {
          const example = table.decimal === ',' ? '1.000 or 0,5' : '1,000 or 0.5';
          problems.push({
            severity: 'error',
            code: 'bad-number',
            file,
            line: row.line,
            column: col,
            value: text,
            reason: `${col} must be a number`,
            hint: `write a decimal number such as ${example}`,
          });
        } else rec[col] = n;
      } else if (col === 'numerator' || col === 'denominator') {
        const ref = parseComponentRef(text);
        if (!ref)
          problems.push({
            severity: 'error',
            code: 'bad-reference',
            file,
            line: row.line,
            column: col,
            value: text,
            reason: `cannot read the ${col}`,
            hint: 'write it as indicator or indicator[dimension=member,…], e.g. einwohner[altersgruppe=unter6]',
          });
        else rec[col] = ref;
      } else rec[col] = text;
    });
    indicators.push(rec);
    lines.push(row.line);
  }
  return {
    data: indicators,
    lines,
    locate: (path) =>
      typeof path[0] === 'number' && lines[path[0]] !== undefined
        ? { line: lines[path[0]], column: typeof path[1] === 'string' ? path[1] : undefined }
        : undefined,
    problems,
  };
}
