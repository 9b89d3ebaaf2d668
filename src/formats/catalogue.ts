// Reads an indicator catalogue from JSON, YAML or CSV into the shape of catalogueSchema, with
// positioned problems. Validation of the content happens in the service.
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { openTable } from './table.ts';
import type { Problem } from '../core/problems.ts';

export interface RawCatalogue {
  data: unknown;
  /** For CSV: the line of each indicator record (index = position in the indicators array). */
  lines?: number[];
  problems: Problem[];
}

/** Reads a JSON or YAML document (indicator catalogues, index and typology definitions). */
export async function readStructuredFile(path: string, file: string): Promise<RawCatalogue> {
  const ext = extname(path).toLowerCase();
  const text = await readFile(path, 'utf8');
  if (ext === '.yaml' || ext === '.yml') {
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc });
    if (doc.errors.length) {
      return {
        data: null,
        problems: doc.errors.map((err) => ({ severity: 'error' as const, code: 'bad-yaml', file, line: lc.linePos(err.pos[0]).line, reason: err.message.split('\n')[0], hint: 'check the indentation' })),
      };
    }
    return { data: doc.toJS(), problems: [] };
  }
  try {
    return { data: JSON.parse(text.replace(/^\uFEFF/, '')), problems: [] };
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const pos = m ? Number(m[1]) : undefined;
    const line = pos !== undefined ? text.slice(0, pos).split('\n').length : undefined;
    return { data: null, problems: [{ severity: 'error', code: 'bad-json', file, line, reason: `invalid JSON: ${(e as Error).message}`, hint: 'check commas, quotes and brackets' }] };
  }
}

export async function readCatalogueFile(path: string, file: string): Promise<RawCatalogue> {
  const ext = extname(path).toLowerCase();
  if (['.json', '.yaml', '.yml'].includes(ext)) return readStructuredFile(path, file);
  if (['.csv', '.txt', '.tsv', '.xlsx'].includes(ext)) return readCatalogueTable(path, file);
  return { data: null, problems: [{ severity: 'error', code: 'unknown-format', file, reason: `unknown catalogue format "${ext}"`, hint: 'use .json, .yaml/.yml or .csv' }] };
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
      if (LIST_FIELDS.has(col)) rec[col] = text.split(/[|,]/).map((s) => s.trim()).filter(Boolean);
      else if (NUMBER_FIELDS.has(col)) {
        const n = typeof cell === 'number' ? cell : Number(text.replace(',', '.'));
        if (Number.isNaN(n)) problems.push({ severity: 'error', code: 'bad-number', file, line: row.line, column: col, value: text, reason: `${col} must be a number` });
        else rec[col] = n;
      } else if (col === 'numerator' || col === 'denominator') {
        const ref = parseComponentRef(text);
        if (!ref) problems.push({ severity: 'error', code: 'bad-reference', file, line: row.line, column: col, value: text, reason: `cannot read the ${col}`, hint: 'write it as indicator or indicator[dimension=member,…], e.g. einwohner[altersgruppe=unter6]' });
        else rec[col] = ref;
      } else rec[col] = text;
    });
    indicators.push(rec);
    lines.push(row.line);
  }
  return { data: indicators, lines, problems };
}
