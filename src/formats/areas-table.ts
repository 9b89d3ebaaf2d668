// Areas from a table (CSV or XLSX): code, name and parent code per row, no geometry.
import { openTable } from './table.ts';
import { cellText, columnIndex } from './columns.ts';
import type { AreaReadOptions, AreaReadResult, AreaRecord } from './areas.ts';
import type { Problem } from '../core/problems.ts';

const CODE_COLUMNS = ['code', 'schluessel', 'schlüssel', 'id', 'nummer', 'kennziffer'];
const NAME_COLUMNS = ['name', 'bezeichnung', 'gebiet'];
const PARENT_COLUMNS = [
  'parent',
  'parent_code',
  'parentcode',
  'parent code',
  'übergeordnet',
  'uebergeordnet',
  'eltern',
];

export async function readAreasTable(path: string, o: AreaReadOptions): Promise<AreaReadResult> {
  const table = await openTable(path, { displayName: o.file });
  const problems: Problem[] = [];
  const cols = table.columns;
  const codeIdx = columnIndex(cols, o.codeProp || undefined, CODE_COLUMNS);
  const nameIdx = columnIndex(cols, o.nameProp || undefined, NAME_COLUMNS);
  const parentIdx =
    o.parentProp !== undefined
      ? columnIndex(cols, o.parentProp || undefined, [])
      : columnIndex(cols, undefined, PARENT_COLUMNS);
  const missing = (what: string, opt: string, wanted?: string) =>
    problems.push({
      severity: 'error',
      code: 'missing-column',
      file: o.file,
      line: 1,
      reason: wanted
        ? `the column "${wanted}" given for the ${what} does not exist`
        : `no column for the ${what} found`,
      hint: `name it with ${opt}; the file has the columns: ${cols.join(', ')}`,
    });
  if (codeIdx < 0) missing('area code', '--code COLUMN', o.codeProp);
  if (nameIdx < 0) missing('area name', '--name COLUMN', o.nameProp);
  if (o.parentProp !== undefined && parentIdx < 0) missing('parent code', '--parent COLUMN', o.parentProp);
  if (problems.length) return { records: [], crs: 'none', problems };
  const records: AreaRecord[] = [];
  for await (const row of table.rows) {
    if (row.cells.length !== cols.length) {
      problems.push({
        severity: 'error',
        code: 'column-count',
        file: o.file,
        line: row.line,
        reason: `the row has ${row.cells.length} columns, the header has ${cols.length}`,
        hint: 'check the delimiter and quoting',
      });
      continue;
    }
    const properties: Record<string, unknown> = {};
    cols.forEach((c, i) => {
      if (i !== codeIdx && i !== nameIdx && i !== parentIdx) properties[c] = row.cells[i];
    });
    records.push({
      code: cellText(row.cells[codeIdx]),
      name: cellText(row.cells[nameIdx]),
      parentCode: parentIdx >= 0 ? cellText(row.cells[parentIdx]) || null : null,
      geometry: null,
      properties,
      line: row.line,
    });
  }
  return { records, crs: 'none', problems };
}
