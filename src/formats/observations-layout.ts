// The layout of an observations file: long (one row per value: indicator, area, period, value,
// breakdown columns) or wide (one column per indicator, mapped with --map). Reads the header
// only; positioned problems for what cannot be read.
import type { OpenTable } from './table.ts';
import type { ProblemList } from '../core/problems.ts';
import { columnIndex, findColumn } from './columns.ts';

/** Recognised names of the long format's columns (lower case). */
const LONG_ALIASES: Record<string, string[]> = {
  indicator: ['indicator', 'indikator', 'merkmal', 'kennzahl'],
  area: ['area', 'gebiet', 'raum', 'area_code', 'gebietsschluessel', 'gebietsschlüssel'],
  period: ['period', 'periode', 'zeitraum', 'stichtag', 'zeit'],
  value: ['value', 'wert'],
  status: ['status', 'kennzeichen'],
  base: ['base', 'basis'],
  reason: ['reason', 'grund', 'anmerkung'],
};

export interface LongLayout {
  kind: 'long';
  indicator: number;
  area: number;
  period: number;
  value: number;
  status: number;
  base: number;
  reason: number;
  /** Breakdown columns: index → dimension key. */
  dims: { index: number; key: string; column: string }[];
}

export interface WideLayout {
  kind: 'wide';
  area: number;
  period: number;
  fixedPeriod?: string;
  columns: { index: number; column: string; spec: string }[];
}

/** The options that make a file wide (any of them given) and say how to read it. */
export interface WideOptions {
  areaColumn?: string;
  period?: string;
  periodColumn?: string;
  /** "COLUMN=indicator" or "COLUMN=indicator[dimension=member,…]". */
  map?: string[];
}

/** Long (indicator, area, period, value and breakdown columns) or wide (one column per indicator, mapped by options). */
export function detectLayout(
  table: Pick<OpenTable, 'file' | 'columns'>,
  o: WideOptions,
  problems: ProblemList,
): LongLayout | WideLayout {
  const cols = table.columns;
  const find = (k: string) => columnIndex(cols, undefined, LONG_ALIASES[k]);
  const idx = {
    indicator: find('indicator'),
    area: find('area'),
    period: find('period'),
    value: find('value'),
    status: find('status'),
    base: find('base'),
    reason: find('reason'),
  };
  const wideAsked =
    o.areaColumn !== undefined || o.period !== undefined || o.periodColumn !== undefined || (o.map?.length ?? 0) > 0;
  if (!wideAsked && idx.indicator >= 0 && idx.area >= 0 && idx.period >= 0 && idx.value >= 0) {
    const used = new Set([idx.indicator, idx.area, idx.period, idx.value, idx.status, idx.base, idx.reason]);
    const dims = cols
      .map((c, i) => ({ index: i, key: c.trim().toLowerCase(), column: c }))
      .filter((d) => !used.has(d.index));
    for (const d of dims) {
      if (!/^[a-z][a-z0-9_]*$/.test(d.key)) {
        problems.error({
          code: 'bad-dimension-column',
          file: table.file,
          line: 1,
          column: d.column,
          value: d.column,
          reason: `the column "${d.column}" is not a dimension key`,
          hint: 'in a long file every column besides indicator, area, period, value, status, base and reason names a breakdown dimension (e.g. altersgruppe)',
        });
      }
    }
    return { kind: 'long', ...idx, dims };
  }
  if (!wideAsked) {
    const missing = ['indicator', 'area', 'period', 'value'].filter((k) => idx[k as keyof typeof idx] < 0);
    problems.error({
      code: 'unknown-layout',
      file: table.file,
      line: 1,
      reason: `the file is not in long format: the column(s) ${missing.join(', ')} are missing`,
      hint: 'a long file has the columns indicator, area, period, value (and breakdown columns); for a wide file (one column per indicator) pass --area-column COLUMN, --period P or --period-column COLUMN, and --map COLUMN=indicator[dimension=member]',
    });
    return { kind: 'long', ...idx, dims: [] };
  }
  // Wide format
  const colIndex = (name: string | undefined, opt: string): number => findColumn(table, problems, name, [], opt);
  const area = colIndex(o.areaColumn, '--area-column');
  if (o.areaColumn === undefined)
    problems.error({
      code: 'missing-option',
      file: table.file,
      reason: 'a wide file needs the area column',
      hint: '--area-column COLUMN',
    });
  const period = colIndex(o.periodColumn, '--period-column');
  if (o.period === undefined && o.periodColumn === undefined)
    problems.error({
      code: 'missing-option',
      file: table.file,
      reason: 'a wide file needs the period',
      hint: '--period 2022-06-30 (for every row) or --period-column COLUMN',
    });
  const columns: WideLayout['columns'] = [];
  for (const m of o.map ?? []) {
    const eq = m.lastIndexOf('=', m.indexOf('[') >= 0 ? m.indexOf('[') : m.length);
    const column = eq > 0 ? m.slice(0, eq) : '';
    const spec = eq > 0 ? m.slice(eq + 1) : '';
    if (!column || !spec) {
      problems.error({
        code: 'bad-mapping',
        file: table.file,
        value: m,
        reason: `cannot read the mapping "${m}"`,
        hint: 'write --map "COLUMN=indicator" or --map "COLUMN=indicator[dimension=member]"',
      });
      continue;
    }
    const i = colIndex(column, '--map');
    if (i >= 0) columns.push({ index: i, column: cols[i], spec });
  }
  return { kind: 'wide', area, period, fixedPeriod: o.period, columns };
}
