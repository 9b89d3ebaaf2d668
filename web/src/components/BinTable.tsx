// The table alternative of a histogram: one row per bin (from, to, count), folded away.
import { useApp } from '../context.ts';

export function BinTable({
  id,
  label,
  bins,
  format,
}: {
  id?: string;
  label: string;
  bins: { from: number; to: number; n: number }[];
  format: (x: number) => string;
}) {
  const { t } = useApp();
  return (
    <details class="km-details">
      <summary>{t('ind.binTable')}</summary>
      <table class="kern-table kern-table--small km-table" id={id}>
        <caption class="kern-sr-only">{label}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th scope="col" class="kern-table__header kern-table__header--numeric">
              {t('col.from')}
            </th>
            <th scope="col" class="kern-table__header kern-table__header--numeric">
              {t('col.to')}
            </th>
            <th scope="col" class="kern-table__header kern-table__header--numeric">
              {t('col.count')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {bins.map((b, i) => (
            <tr key={i} class="kern-table__row">
              <td class="kern-table__cell kern-table__cell--numeric">{format(b.from)}</td>
              <td class="kern-table__cell kern-table__cell--numeric">{format(b.to)}</td>
              <td class="kern-table__cell kern-table__cell--numeric">{b.n}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
