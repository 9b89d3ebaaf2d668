// The GENESIS flat file layout of the observations import (decision 0025): the options, the
// mapping of official area keys, value variables and breakdown variables, and one row of the file
// staged through the shared machinery of observations-staging.ts.
import {
  genesisPeriod,
  isRegionalVariable,
  isTimeVariable,
  parseGenesisValueStored,
  type GenesisLayout,
  type GenesisVariable,
} from '../formats/genesis-ffcsv.ts';
import { columnIndex } from '../formats/columns.ts';
import { areaCodesByProperty } from '../store/area-keys.ts';
import type { LayerRow } from '../store/catalog.ts';
import { loadDimensions, type IndicatorRow } from '../store/catalog.ts';
import type { Cell } from '../formats/table.ts';
import { PERIOD_HINT } from '../core/periods.ts';
import type { Problem } from '../core/problems.ts';
import {
  checkMembers,
  combinationOf,
  periodOf,
  stage,
  text,
  type CombinationEntry,
  type Context,
  type ImportObservationsOptions,
  type PeriodEntry,
} from './observations-staging.ts';

export interface GenesisState {
  layout: GenesisLayout;
  columns: string[];
  /** The area key column when named by --area-column; else -1 (the regional variable of each row). */
  areaIndex: number;
  /** --area-column naming a variable code (e.g. KREISE) rather than a column. */
  areaVariable: string | null;
  layer: LayerRow | undefined;
  keyProperty: string | undefined;
  /** Official key → area codes of the layer (with --area-key-property). */
  keyToCode: Map<string, string[]> | null;
  /** Value variable code (upper case) → indicator, from --map (or --indicator for a single value column). */
  targets: Map<string, IndicatorRow>;
  /** --indicator for a 2024 file: its value variable is the first one met. */
  single: IndicatorRow | null;
  singleCode: string | null;
  dims: Map<string, string>;
  members: Map<string, string>;
  dimensionInfo: Map<string, { name: string; members: { key: string; name: string }[] }>;
  /** Checked (dimension, member) pairs. */
  checked: Set<string>;
  reported: Set<string>;
  skipUnknownAreas: boolean;
  skippedTotals: number;
  skippedAreas: number;
  skippedValues: number;
}

function reportOnce(ctx: Context, g: GenesisState, key: string, p: Omit<Problem, 'severity' | 'file'>): void {
  if (g.reported.has(key)) {
    // Still an error: the file is rejected, only the message is not repeated for every row.
    ctx.problems.errorCount++;
    return;
  }
  g.reported.add(key);
  ctx.problems.error({ file: ctx.file, ...p });
}

export async function setupGenesis(
  ctx: Context,
  layout: GenesisLayout,
  columns: string[],
  o: ImportObservationsOptions,
  layer: LayerRow | undefined,
): Promise<GenesisState> {
  const file = ctx.file;
  const g: GenesisState = {
    layout,
    columns,
    areaIndex: -1,
    areaVariable: null,
    layer,
    keyProperty: o.areaKeyProperty,
    keyToCode: null,
    targets: new Map(),
    single: null,
    singleCode: null,
    dims: new Map(),
    members: new Map(),
    dimensionInfo: new Map(),
    checked: new Set(),
    reported: new Set(),
    skipUnknownAreas: !!o.skipUnknownAreas,
    skippedTotals: 0,
    skippedAreas: 0,
    skippedValues: 0,
  };
  if (o.areaColumn !== undefined) {
    const i = columnIndex(columns, o.areaColumn, []);
    if (i >= 0) g.areaIndex = i;
    else g.areaVariable = o.areaColumn.trim().toUpperCase();
  }
  for (const d of await loadDimensions(ctx.tx)) g.dimensionInfo.set(d.key, { name: d.name, members: d.members });
  const indicatorOf = (key: string, option: string): IndicatorRow | null => {
    const ind = ctx.indicators.get(key);
    if (!ind)
      ctx.problems.error({
        code: 'unknown-indicator',
        file,
        value: key,
        reason: `the indicator "${key}" given with ${option} does not exist`,
        hint: 'import the indicator catalogue first, or check the key (list them with `kommunalmonitor indicators`)',
      });
    return ind ?? null;
  };
  for (const m of o.map ?? []) {
    const eq = m.indexOf('=');
    const code = eq > 0 ? m.slice(0, eq).trim() : '';
    const key = eq > 0 ? m.slice(eq + 1).trim() : '';
    if (!code || !key) {
      ctx.problems.error({
        code: 'bad-mapping',
        file,
        value: m,
        reason: `cannot read the mapping "${m}"`,
        hint: 'write --map VALUECODE=indicator, e.g. --map BEVSTD=einwohner (the code before "__" in a column such as BEVSTD__Bevoelkerungsstand__Anzahl)',
      });
      continue;
    }
    // The whole column name works too: BEVSTD__Bevoelkerungsstand__Anzahl=einwohner.
    const valueCode = (layout.values.find((v) => v.column === code)?.code ?? code).toUpperCase();
    if (layout.variant === 'classic' && !layout.values.some((v) => v.code.toUpperCase() === valueCode)) {
      ctx.problems.error({
        code: 'missing-column',
        file,
        line: 1,
        value: code,
        reason: `the file has no value column for "${code}"`,
        hint: `the value columns are: ${layout.values.map((v) => v.column).join(', ')}`,
      });
      continue;
    }
    const ind = indicatorOf(key, '--map');
    if (ind) g.targets.set(valueCode, ind);
  }
  if (o.indicator !== undefined && (o.map?.length ?? 0) > 0) {
    ctx.problems.error({
      code: 'bad-option',
      file,
      reason: '--indicator and --map exclude each other',
      hint: 'give --indicator KEY for a file with one value column, --map CODE=indicator (repeatable) to choose value columns',
    });
  } else if (o.indicator !== undefined) {
    const ind = indicatorOf(o.indicator, '--indicator');
    if (ind && layout.variant === '2024') g.single = ind;
    else if (ind && layout.values.length === 1) g.targets.set(layout.values[0].code.toUpperCase(), ind);
    else if (ind) {
      ctx.problems.error({
        code: 'several-value-columns',
        file,
        line: 1,
        reason: `the file has ${layout.values.length} value columns; --indicator names the indicator of a file with one`,
        hint: `choose with --map CODE=indicator (repeatable); the value columns are: ${layout.values.map((v) => v.column).join(', ')}`,
      });
    }
  } else if (!g.targets.size) {
    ctx.problems.error({
      code: 'missing-option',
      file,
      reason: 'a GENESIS flat file needs the indicator its values belong to',
      hint: `give --indicator KEY (one value column) or --map CODE=indicator; the value column${layout.values.length === 1 ? ' is' : 's are'}: ${layout.values.map((v) => v.column).join(', ')}`,
    });
  }
  for (const d of o.dimension ?? []) {
    const m = /^\s*([^=\s]+)\s*=\s*([a-z][a-z0-9_]*)\s*$/.exec(d);
    if (!m)
      ctx.problems.error({
        code: 'bad-mapping',
        file,
        value: d,
        reason: `cannot read the dimension mapping "${d}"`,
        hint: 'write --dimension VARIABLE=dimension, e.g. --dimension GES=geschlecht',
      });
    else if (!g.dimensionInfo.has(m[2]))
      ctx.problems.error({
        code: 'unknown-dimension',
        file,
        value: m[2],
        reason: `"${m[2]}" is not a known dimension`,
        hint: `the dimensions are: ${[...g.dimensionInfo.keys()].join(', ') || 'none'}`,
      });
    else g.dims.set(m[1].toUpperCase(), m[2]);
  }
  for (const d of o.member ?? []) {
    const m = /^\s*([^:=\s]+)\s*:\s*([^=]*?)\s*=\s*(\S+)\s*$/.exec(d);
    if (!m)
      ctx.problems.error({
        code: 'bad-mapping',
        file,
        value: d,
        reason: `cannot read the member mapping "${d}"`,
        hint: 'write --member VARIABLE:ATTRIBUTE=member, e.g. --member GES:GESM=m',
      });
    else g.members.set(`${m[1].toUpperCase()}:${m[2]}`, m[3]);
  }
  if (o.areaKeyProperty !== undefined) {
    if (!layer) {
      ctx.problems.error({
        code: 'missing-option',
        file,
        reason: '--area-key-property needs the layer whose areas carry the key',
        hint: 'give --layer KEY',
      });
    } else {
      g.keyToCode = new Map();
      for (const r of await areaCodesByProperty(ctx.tx, layer.id, o.areaKeyProperty)) {
        const list = g.keyToCode.get(r.key);
        if (list) list.push(r.code);
        else g.keyToCode.set(r.key, [r.code]);
      }
      if (!g.keyToCode.size) {
        ctx.problems.error({
          code: 'unknown-property',
          file,
          value: o.areaKeyProperty,
          reason: `no area of layer "${layer.key}" has the property "${o.areaKeyProperty}"`,
          hint: 'import the areas with a column holding the official key (e.g. ags), or leave --area-key-property out if the area codes are the official keys',
        });
      }
    }
  }
  return g;
}

interface RowVariable {
  v: GenesisVariable;
  code: string;
  label: string;
  attribute: string;
  attributeLabel: string;
}

export function genesisRow(ctx: Context, g: GenesisState, cells: Cell[], line: number): void {
  const L = g.layout;
  const vars: RowVariable[] = L.variables.map((v) => ({
    v,
    code: text(cells[v.code]).toUpperCase(),
    label: v.label >= 0 ? text(cells[v.label]) : '',
    attribute: text(cells[v.attributeCode]),
    attributeLabel: v.attributeLabel >= 0 ? text(cells[v.attributeLabel]) : '',
  }));
  let areaIndex = g.areaIndex;
  let areaVar = -1;
  if (areaIndex < 0) {
    areaVar = vars.findIndex((x) => (g.areaVariable ? x.code === g.areaVariable : isRegionalVariable(x.code)));
    // Without a known regional variable, the first variable: GENESIS puts the regional one first (and our export does).
    if (areaVar < 0 && !g.areaVariable && vars.length) areaVar = 0;
    if (areaVar < 0) {
      reportOnce(ctx, g, 'no-area-variable', {
        code: 'no-area-variable',
        line,
        value: g.areaVariable ?? undefined,
        reason: g.areaVariable
          ? `no variable of this row has the code ${g.areaVariable}`
          : 'no variable of this row is a regional variable (such as GEMEIN, KREISE, DLAND or GEO…)',
        hint: `name the column or the variable holding the official key with --area-column (the variables are: ${vars.map((x) => x.code || '?').join(', ')})`,
      });
      return;
    }
    areaIndex = vars[areaVar].v.attributeCode;
  } else areaVar = vars.findIndex((x) => x.v.attributeCode === areaIndex);
  const areaColumn = g.columns[areaIndex];
  const key = text(cells[areaIndex]);

  const timeColumn = g.columns[L.time];
  const rawTime = text(cells[L.time]);
  const periodKey = genesisPeriod(rawTime, vars);
  let period: PeriodEntry | null = null;
  if (!periodKey)
    ctx.problems.error({
      code: rawTime ? 'bad-period' : 'empty-period',
      file: ctx.file,
      line,
      column: timeColumn,
      value: rawTime || undefined,
      reason: rawTime ? 'not a period' : 'the time is empty',
      hint: PERIOD_HINT,
    });
  else period = periodOf(ctx, periodKey, line, timeColumn);

  let code = key;
  if (key && g.keyToCode) {
    const codes = g.keyToCode.get(key);
    if (!codes) {
      if (g.skipUnknownAreas) {
        g.skippedAreas++;
        return;
      }
      ctx.problems.error({
        code: 'unknown-area',
        file: ctx.file,
        line,
        column: areaColumn,
        value: key,
        reason: `no area of layer "${g.layer!.key}" has ${g.keyProperty} = ${key}`,
        hint: 'check the key (leading zeros count), or pass --skip-unknown-areas to import only the rows of areas the layer has',
      });
      return;
    }
    if (codes.length > 1) {
      ctx.problems.error({
        code: 'ambiguous-area',
        file: ctx.file,
        line,
        column: areaColumn,
        value: key,
        reason: `several areas of layer "${g.layer!.key}" have ${g.keyProperty} = ${key}: ${codes.join(', ')}`,
        hint: 'the key property must name one area per key',
      });
      return;
    }
    code = codes[0];
  } else if (key && g.skipUnknownAreas && period) {
    let r = period.areas.get(key);
    if (r === undefined) r = ctx.resolver.resolve(key, period.period.end);
    if (!r.ok) {
      g.skippedAreas++;
      return;
    }
  }

  for (const vc of L.values) {
    const valueCode = (L.variant === '2024' ? text(cells[L.valueCode]) : vc.code).toUpperCase();
    const indicator = genesisTarget(ctx, g, valueCode, line);
    if (!indicator) continue;
    const combination = genesisMembers(ctx, g, indicator, vars, areaVar, line);
    if (combination === 'total') {
      g.skippedTotals++;
      continue;
    }
    if (!combination) continue;
    const parsed = parseGenesisValueStored(
      cells[vc.index],
      vc.quality >= 0 ? cells[vc.quality] : undefined,
      ctx.decimal,
    );
    if ('error' in parsed) {
      ctx.problems.error({
        code: 'bad-value',
        file: ctx.file,
        line,
        value: `${text(cells[vc.index])}${parsed.inQuality ? ` (quality ${text(cells[vc.quality])})` : ''}`,
        column: parsed.inQuality ? g.columns[vc.quality] : vc.column,
        reason: parsed.error,
        hint: parsed.hint,
      });
      continue;
    }
    stage(
      ctx,
      line,
      indicator,
      combination,
      code,
      areaColumn,
      period,
      cells[vc.index],
      undefined,
      undefined,
      undefined,
      vc.column,
      parsed,
    );
  }
}

function genesisTarget(ctx: Context, g: GenesisState, valueCode: string, line: number): IndicatorRow | null {
  if (g.targets.size) {
    const t = g.targets.get(valueCode);
    if (!t) g.skippedValues++;
    return t ?? null;
  }
  if (!g.single) return null;
  g.singleCode ??= valueCode;
  if (valueCode !== g.singleCode) {
    reportOnce(ctx, g, 'several-value-variables', {
      code: 'several-value-columns',
      line,
      column: g.columns[g.layout.valueCode],
      value: valueCode,
      reason: `the file has the value variables ${g.singleCode} and ${valueCode}; --indicator names the indicator of a file with one`,
      hint: `choose with --map ${g.singleCode}=indicator (repeatable)`,
    });
    return null;
  }
  return g.single;
}

/** The member combination of a row for the indicator; 'total' for a row of a total (empty attribute code, "Insgesamt"). */
function genesisMembers(
  ctx: Context,
  g: GenesisState,
  indicator: IndicatorRow,
  vars: RowVariable[],
  areaVar: number,
  line: number,
): CombinationEntry | 'total' | null {
  const members: Record<string, string> = {};
  for (let k = 0; k < vars.length; k++) {
    const x = vars[k];
    if (k === areaVar || isTimeVariable(x.code)) continue;
    const explicit = g.dims.get(x.code);
    const dim =
      explicit && indicator.dimensions.includes(explicit)
        ? explicit
        : explicit
          ? undefined
          : indicator.dimensions.find(
              (d) =>
                d === x.code.toLowerCase() ||
                g.dimensionInfo.get(d)?.name.trim().toLowerCase() === x.label.toLowerCase(),
            );
    if (!dim) {
      if (x.attribute === '') continue;
      reportOnce(ctx, g, `unmapped:${indicator.key}:${x.code}`, {
        code: 'unmapped-variable',
        line,
        column: x.v.attributeColumn,
        value: x.code,
        reason: `the variable ${x.code} (${x.label}) is not a dimension of "${indicator.key}"${explicit ? `: --dimension maps it to ${explicit}` : ''}`,
        hint: `map it with --dimension ${x.code}=DIMENSION ("${indicator.key}" has the dimensions: ${indicator.dimensions.join(', ') || 'none'}), or download the table with the total ("Insgesamt") of ${x.code} only`,
      });
      return null;
    }
    if (x.attribute === '') return 'total';
    const info = g.dimensionInfo.get(dim);
    let member = g.members.get(`${x.code}:${x.attribute}`);
    if (member === undefined && info && info.members.length) {
      const a = x.attribute.toLowerCase();
      const label = x.attributeLabel.toLowerCase();
      member =
        info.members.find((m) => m.key.toLowerCase() === a)?.key ??
        info.members.find((m) => m.name.trim().toLowerCase() === label)?.key;
    }
    // An open dimension (no declared members) takes the attribute code as the member.
    if (member === undefined && info && !info.members.length) member = x.attribute;
    if (member === undefined) {
      reportOnce(ctx, g, `member:${dim}:${x.code}:${x.attribute}`, {
        code: 'unknown-member',
        line,
        column: x.v.attributeColumn,
        value: `${x.attribute} (${x.attributeLabel})`,
        reason: `the attribute ${x.attribute} "${x.attributeLabel}" of ${x.code} matches no member of the dimension "${dim}"`,
        hint: `map it with --member ${x.code}:${x.attribute}=MEMBER; the members are: ${(info?.members ?? []).map((m) => `${m.key} (${m.name})`).join(', ')}`,
      });
      return null;
    }
    const pair = `${dim}\u0000${member}`;
    if (!g.checked.has(pair)) {
      if (!checkMembers(ctx, line, dim, x.v.attributeColumn, member)) return null;
      g.checked.add(pair);
    }
    members[dim] = member;
  }
  for (const d of indicator.dimensions) {
    if (!(d in members)) {
      reportOnce(ctx, g, `missing-dimension:${indicator.key}:${d}`, {
        code: 'missing-dimension',
        line,
        reason: `"${indicator.key}" is broken down by ${d}, but no variable of the file maps to it`,
        hint: `name the variable with --dimension VARIABLE=${d} (the variables are: ${vars.map((x) => x.code).join(', ')})`,
      });
      return null;
    }
  }
  return combinationOf(ctx, members);
}

export function genesisWarnings(ctx: Context, g: GenesisState): void {
  if (g.skippedTotals)
    ctx.problems.warning({
      code: 'totals-skipped',
      file: ctx.file,
      reason: `${g.skippedTotals} row(s) of totals ("Insgesamt", empty attribute code) were not imported`,
      hint: 'totals are computed by summing the members',
    });
  if (g.skippedAreas)
    ctx.problems.warning({
      code: 'areas-skipped',
      file: ctx.file,
      reason: `${g.skippedAreas} row(s) of areas that the layer does not have were skipped (--skip-unknown-areas)`,
    });
  if (g.skippedValues)
    ctx.problems.warning({
      code: 'values-skipped',
      file: ctx.file,
      reason: `${g.skippedValues} value(s) of value variables without --map were not imported`,
    });
}
