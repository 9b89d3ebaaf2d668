// "Why is this area red?": an area's index value broken down into the contributions of its
// components (weight × direction × standardised value; they add up to the raw score), as a small
// diverging bar chart with a table of the same numbers. Used by the index builder and the profile.
import { useApp } from '../context.ts';
import { contributionRows, mainDriver, type IndexDefinition } from '../lib/indexdef.ts';
import { listItems, renderKnown, type ParamValue } from '../../../src/contracts/codes/index.ts';
import { formatNumber, formatSigned, formatTick } from '../../../src/contracts/format.ts';
import { PlotFigure } from './Plot.tsx';
import type { Translate } from '../i18n/index.ts';
import type { Lang } from '../../../src/contracts/format.ts';
import { TableScroll } from './TableScroll.tsx';
import type { IndexRow } from '../../../src/core/stats/composite.ts';
export type { IndexRow };

const UP = '#b2182b';
const DOWN = '#2166ac';

/**
 * Why an area has no score, in the page's language: from the reason's code when the index
 * computed it (the base rule, missing inputs — indicators by their names), else the reason the
 * definition gives for excluding the area, as written.
 */
export function exclusionText(
  t: Translate,
  lang: Lang,
  row: Pick<IndexRow, 'excluded' | 'excludedCode' | 'excludedParams'>,
  names: (k: string) => string | undefined,
): string {
  const p = row.excludedParams ?? {};
  const name = (k: ParamValue | undefined) => (typeof k === 'string' ? (names(k) ?? k) : '');
  switch (row.excludedCode) {
    case 'reason-base-below':
      return t('idx.excl.base', {
        indicator: name(p.indicator),
        value: formatNumber(Number(p.value), null, lang),
        min: formatNumber(Number(p.min), null, lang),
      });
    case 'reason-missing-base':
      return t('idx.excl.missingBase', { indicator: name(p.indicator) });
    case 'reason-missing-value-for':
    case 'reason-missing-values-for':
      return t('idx.excl.missingValues', { indicators: listItems(p.indicators).map(name).join(', ') });
  }
  return (
    (row.excludedCode ? renderKnown({ code: row.excludedCode, params: p }, lang) : undefined) ?? row.excluded ?? ''
  );
}

function transformLabel(t: Translate, def: IndexDefinition): string {
  const m = def.transform?.method ?? 'zscore';
  return t(m === 'zscore' ? 'idx.std.zscore' : m === 'minmax' ? 'idx.std.minmax' : 'idx.std.percentile');
}

export function IndexBreakdown(p: {
  def: IndexDefinition;
  row: IndexRow;
  areaName: string;
  names: (k: string) => string | undefined;
  nValid?: number;
  idPrefix: string;
  headingLevel?: 2 | 3;
}) {
  const { t, lang } = useApp();
  const { def, row } = p;
  const H = p.headingLevel === 2 ? 'h2' : 'h3';
  if (row.excluded || !row.contributions || row.score === null) {
    return (
      <div class="km-breakdown">
        <H class="kern-heading-small" id={`${p.idPrefix}-h`}>
          {t('idx.whyTitle', { name: p.areaName })}
        </H>
        <p>
          {t('idx.noScore', {
            name: p.areaName,
            reason: row.excluded ? exclusionText(t, lang, row, p.names) : t('idx.noScoreUnknown'),
          })}
        </p>
      </div>
    );
  }
  const { rows, sum } = contributionRows(def, row.contributions, p.names);
  const driver = mainDriver(rows);
  const restd = def.restandardize !== undefined && def.restandardize !== false;
  const std = transformLabel(t, def);
  const summary = t('idx.whySummary', {
    name: p.areaName,
    score: formatSigned(row.score, 2, lang),
    label: row.label ?? '–',
    rank: row.rank ?? '–',
    n: p.nValid ?? '–',
  });
  const driverText = driver
    ? t('idx.mainDriver', { indicator: driver.name, value: formatSigned(driver.contribution, 2, lang) })
    : t('idx.noDriver');
  const chartLabel = `${t('idx.whyChart', { name: p.areaName })}: ${rows.map((r) => `${r.name} ${formatSigned(r.contribution, 2, lang)}`).join(', ')}`;
  const ext = Math.max(0.5, ...rows.map((r) => Math.abs(r.contribution)));
  return (
    <div class="km-breakdown">
      <H class="kern-heading-small" id={`${p.idPrefix}-h`}>
        {t('idx.whyTitle', { name: p.areaName })}
      </H>
      <p>
        {summary} {driverText}
      </p>
      <div role="img" aria-label={chartLabel}>
        <PlotFigure
          deps={[row, def, lang]}
          build={(Plot, width) =>
            Plot.plot({
              width,
              height: Math.max(110, rows.length * 34 + 50),
              marginLeft: Math.min(width * 0.45, 12 + 6.8 * Math.max(...rows.map((r) => r.name.length))),
              marginRight: 16,
              marginBottom: 42,
              style: { fontSize: '13px', fontFamily: 'inherit' },
              x: {
                domain: [-ext * 1.4, ext * 1.4],
                grid: true,
                label: t('idx.contribution'),
                labelAnchor: 'center',
                labelOffset: 36,
                tickFormat: (v: number) => formatTick(v, lang),
              },
              y: {
                domain: rows.map((r) => r.name),
                label: null,
                tickFormat: (s: string) => (width < 520 && s.length > 26 ? `${s.slice(0, 24)}…` : s),
              },
              marks: [
                Plot.barX(rows, {
                  x: 'contribution',
                  y: 'name',
                  fill: (d: { contribution: number }) => (d.contribution >= 0 ? UP : DOWN),
                }),
                Plot.ruleX([0], { stroke: '#131525' }),
                Plot.text(
                  rows.filter((r) => r.contribution >= 0),
                  {
                    x: 'contribution',
                    y: 'name',
                    text: (d: { contribution: number }) => formatSigned(d.contribution, 2, lang),
                    dx: 4,
                    textAnchor: 'start',
                    fill: '#131525',
                  },
                ),
                Plot.text(
                  rows.filter((r) => r.contribution < 0),
                  {
                    x: 'contribution',
                    y: 'name',
                    text: (d: { contribution: number }) => formatSigned(d.contribution, 2, lang),
                    dx: -4,
                    textAnchor: 'end',
                    fill: '#131525',
                  },
                ),
              ],
            }) as unknown as Element
          }
        />
      </div>
      <p class="km-muted km-breakdown__legend">
        <span class="km-swatch km-swatch--small" style={{ background: UP }} aria-hidden="true" /> {t('idx.up')}{' '}
        <span class="km-swatch km-swatch--small" style={{ background: DOWN }} aria-hidden="true" /> {t('idx.down')}
      </p>
      <TableScroll labelledBy={`${p.idPrefix}-caption`}>
        <table class="kern-table kern-table--small kern-table--striped km-table" id={`${p.idPrefix}-table`}>
          <caption class="kern-title km-table__caption" id={`${p.idPrefix}-caption`}>
            {t('idx.whyTable', { name: p.areaName })}
          </caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th scope="col" class="kern-table__header">
                {t('idx.component')}
              </th>
              <th scope="col" class="kern-table__header kern-table__header--numeric">
                {t('idx.weight')}
              </th>
              <th scope="col" class="kern-table__header">
                {t('idx.direction')}
              </th>
              <th scope="col" class="kern-table__header kern-table__header--numeric">
                {std}
              </th>
              <th scope="col" class="kern-table__header kern-table__header--numeric">
                {t('idx.contribution')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {rows.map((r) => (
              <tr key={r.indicator} class="kern-table__row">
                <th scope="row" class="kern-table__header km-rowheader">
                  {r.name}
                  {row.imputed?.includes(r.indicator) && <span class="km-muted"> ({t('idx.imputed')})</span>}
                </th>
                <td class="kern-table__cell kern-table__cell--numeric">{formatNumber(r.weight, null, lang)}</td>
                <td class="kern-table__cell">{t(r.direction === 1 ? 'idx.dir.up' : 'idx.dir.down')}</td>
                <td class="kern-table__cell kern-table__cell--numeric">
                  {r.standardized === null ? '' : formatSigned(r.standardized, 2, lang)}
                </td>
                <td class="kern-table__cell kern-table__cell--numeric">
                  <strong>{formatSigned(r.contribution, 2, lang)}</strong>
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot class="kern-table__footer">
            <tr class="kern-table__row">
              <th scope="row" class="kern-table__header" colSpan={4}>
                {t((def.combine ?? 'sum') === 'mean' ? 'idx.sumMean' : 'idx.sum')}
              </th>
              <td class="kern-table__cell kern-table__cell--numeric">
                <strong>{formatSigned(sum, 2, lang)}</strong>
              </td>
            </tr>
            {restd && (
              <tr class="kern-table__row">
                <th scope="row" class="kern-table__header" colSpan={4}>
                  {t('idx.afterRestandardize')}
                </th>
                <td class="kern-table__cell kern-table__cell--numeric">
                  <strong>{formatSigned(row.score, 2, lang)}</strong>
                </td>
              </tr>
            )}
          </tfoot>
        </table>
      </TableScroll>
    </div>
  );
}
