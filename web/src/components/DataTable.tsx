// A sortable table (buttons in the column headers, aria-sort) in the KERN table style. On phones
// (≤ 640 px) it is shown as one card per row with every value labelled by its column, and the
// sorting moves into a select above the cards (issue #15, item 1); `stack={false}` keeps the grid.
import type { ComponentChildren } from 'preact';
import { useApp } from '../context.ts';
import { sortRows, type SortSpec } from '../lib/table.ts';
import { TableScroll } from './TableScroll.tsx';

export interface Column<T> {
  key: string;
  label: string;
  numeric?: boolean;
  /** Value used for sorting (default: none — not sortable). */
  sortValue?: (row: T) => unknown;
  render: (row: T) => ComponentChildren;
  /** Render this column as the row header (<th scope="row">). */
  rowHeader?: boolean;
  class?: string;
}

export function DataTable<T>(p: {
  caption: ComponentChildren;
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  sort?: SortSpec;
  onSort?: (s: SortSpec) => void;
  rowClass?: (row: T) => string | undefined;
  footer?: ComponentChildren;
  id?: string;
  small?: boolean;
  stack?: boolean;
}) {
  const { t } = useApp();
  const col = p.sort ? p.columns.find((c) => c.key === p.sort!.key && c.sortValue) : undefined;
  const rows = p.sort && col ? sortRows(p.rows, p.sort, (r) => col.sortValue!(r)) : p.rows;
  const stack = p.stack !== false;
  const sortable = p.onSort ? p.columns.filter((c) => c.sortValue) : [];
  const sortId = `${p.id ?? 'table'}-stack-sort`;
  return (
    <>
      {stack && sortable.length > 0 && (
        <div class="km-stack-sort kern-form-input">
          <label class="kern-label" for={sortId}>
            {t('table.sortBy')}
          </label>
          <div class="kern-form-input__select-wrapper">
            <select
              id={sortId}
              class="kern-form-input__select"
              value={p.sort ? `${p.sort.key}:${p.sort.dir}` : ''}
              onChange={(e) => {
                const [key, dir] = (e.currentTarget as HTMLSelectElement).value.split(':');
                if (key) p.onSort!({ key, dir: dir === 'desc' ? 'desc' : 'asc' });
              }}
            >
              {!p.sort && <option value="">–</option>}
              {sortable.flatMap((c) => [
                <option key={`${c.key}:asc`} value={`${c.key}:asc`}>
                  {t('table.sortOption', { col: c.label, dir: t(c.numeric ? 'table.ascNumber' : 'table.ascText') })}
                </option>,
                <option key={`${c.key}:desc`} value={`${c.key}:desc`}>
                  {t('table.sortOption', { col: c.label, dir: t(c.numeric ? 'table.descNumber' : 'table.descText') })}
                </option>,
              ])}
            </select>
          </div>
        </div>
      )}
      <TableScroll labelledBy={p.id ? `${p.id}-caption` : undefined}>
        <table
          class={`kern-table ${p.small !== false ? 'kern-table--small' : ''} kern-table--striped km-table ${stack ? 'km-table--stack km-table--cards' : ''}`}
          id={p.id}
          role={stack ? 'table' : undefined}
        >
          <caption class="kern-title km-table__caption" id={p.id ? `${p.id}-caption` : undefined}>
            {p.caption}
          </caption>
          <thead class="kern-table__head" role={stack ? 'rowgroup' : undefined}>
            <tr class="kern-table__row" role={stack ? 'row' : undefined}>
              {p.columns.map((c) => {
                const active = p.sort?.key === c.key;
                const ariaSort = active
                  ? p.sort!.dir === 'asc'
                    ? 'ascending'
                    : 'descending'
                  : c.sortValue && p.onSort
                    ? 'none'
                    : undefined;
                return (
                  <th
                    key={c.key}
                    scope="col"
                    role={stack ? 'columnheader' : undefined}
                    class={`kern-table__header ${c.numeric ? 'kern-table__header--numeric' : ''} ${c.class ?? ''}`}
                    aria-sort={ariaSort}
                  >
                    {c.sortValue && p.onSort ? (
                      <button
                        type="button"
                        class="km-sort"
                        onClick={() => p.onSort!({ key: c.key, dir: active && p.sort!.dir === 'asc' ? 'desc' : 'asc' })}
                        title={t('sort.by', { col: c.label })}
                      >
                        {c.label}
                        <span class="km-sort__icon" aria-hidden="true">
                          {active ? (p.sort!.dir === 'asc' ? '▲' : '▼') : '⇅'}
                        </span>
                        {active && (
                          <span class="kern-sr-only">, {t(p.sort!.dir === 'asc' ? 'sort.asc' : 'sort.desc')}</span>
                        )}
                      </button>
                    ) : (
                      c.label
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody class="kern-table__body" role={stack ? 'rowgroup' : undefined}>
            {rows.map((r) => (
              <tr key={p.rowKey(r)} class={`kern-table__row ${p.rowClass?.(r) ?? ''}`} role={stack ? 'row' : undefined}>
                {p.columns.map((c) =>
                  c.rowHeader ? (
                    <th
                      key={c.key}
                      scope="row"
                      role={stack ? 'rowheader' : undefined}
                      class={`kern-table__header km-rowheader ${c.class ?? ''}`}
                    >
                      {c.render(r)}
                    </th>
                  ) : (
                    <td
                      key={c.key}
                      role={stack ? 'cell' : undefined}
                      class={`kern-table__cell ${c.numeric ? 'kern-table__cell--numeric' : ''} ${c.class ?? ''}`}
                      data-label={c.label}
                    >
                      <span class="km-cell">{c.render(r)}</span>
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
          {p.footer && <tfoot class="kern-table__footer">{p.footer}</tfoot>}
        </table>
      </TableScroll>
    </>
  );
}
