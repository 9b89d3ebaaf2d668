// A sortable table (buttons in the column headers, aria-sort) in the KERN table style.
import type { ComponentChildren } from 'preact';
import { useApp } from '../context.ts';
import { sortRows, type SortSpec } from '../lib/table.ts';

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

export function DataTable<T>(p: { caption: ComponentChildren; columns: Column<T>[]; rows: T[]; rowKey: (row: T) => string; sort?: SortSpec; onSort?: (s: SortSpec) => void; rowClass?: (row: T) => string | undefined; footer?: ComponentChildren; id?: string; small?: boolean }) {
  const { t } = useApp();
  const col = p.sort ? p.columns.find((c) => c.key === p.sort!.key && c.sortValue) : undefined;
  const rows = p.sort && col ? sortRows(p.rows, p.sort, (r) => col.sortValue!(r)) : p.rows;
  return (
    <div class="kern-table-responsive km-table-wrap" tabIndex={0} role="region" aria-labelledby={p.id ? `${p.id}-caption` : undefined}>
      <table class={`kern-table ${p.small !== false ? 'kern-table--small' : ''} kern-table--striped km-table`} id={p.id}>
        <caption class="kern-title km-table__caption" id={p.id ? `${p.id}-caption` : undefined}>
          {p.caption}
        </caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            {p.columns.map((c) => {
              const active = p.sort?.key === c.key;
              const ariaSort = active ? (p.sort!.dir === 'asc' ? 'ascending' : 'descending') : c.sortValue && p.onSort ? 'none' : undefined;
              return (
                <th key={c.key} scope="col" class={`kern-table__header ${c.numeric ? 'kern-table__header--numeric' : ''} ${c.class ?? ''}`} aria-sort={ariaSort}>
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
                      {active && <span class="kern-sr-only">, {t(p.sort!.dir === 'asc' ? 'sort.asc' : 'sort.desc')}</span>}
                    </button>
                  ) : (
                    c.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {rows.map((r) => (
            <tr key={p.rowKey(r)} class={`kern-table__row ${p.rowClass?.(r) ?? ''}`}>
              {p.columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.key} scope="row" class={`kern-table__header km-rowheader ${c.class ?? ''}`}>
                    {c.render(r)}
                  </th>
                ) : (
                  <td key={c.key} class={`kern-table__cell ${c.numeric ? 'kern-table__cell--numeric' : ''} ${c.class ?? ''}`}>
                    {c.render(r)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
        {p.footer && <tfoot class="kern-table__footer">{p.footer}</tfoot>}
      </table>
    </div>
  );
}
