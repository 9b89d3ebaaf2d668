// Map legend: one entry per class (colour, range, number of areas), the city value for a
// diverging scheme, and the patterns for areas without a value with their official symbols.
import { useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { formatNumber, formatValue, STATUS_SYMBOL, type Status } from '../../../src/contracts/format.ts';
import type { Scheme } from '../../../src/core/stats/classify.ts';
import { classCounts } from '../../../src/core/stats/classify.ts';
import { NO_VALUE_STATUSES, PatternDefs, statusFill } from './Map.tsx';

let legendCounter = 0;

export function Legend(p: {
  scheme: Scheme;
  values: number[];
  statuses: Status[];
  unit: string;
  decimals: number | null;
  city?: number | null;
  polarity?: string;
  title?: string;
  compact?: boolean;
}) {
  const { t, lang } = useApp();
  const [prefix] = useState(() => `km-legend-${++legendCounter}`);
  const { breaks, colors } = p.scheme;
  const sorted = [...p.values].sort((a, b) => a - b);
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const counts = classCounts(p.values, breaks);
  // One more decimal than the indicator's when two class limits would otherwise read the same.
  const limits = [min, ...breaks, max].filter((v) => v !== undefined);
  const same = (dd: number) => new Set(limits.map((v) => formatNumber(v, dd, lang))).size < new Set(limits).size;
  const d = same(p.decimals ?? 1) ? (p.decimals ?? 1) + 1 : (p.decimals ?? 1);
  const fmt = (v: number) => formatNumber(v, d, lang);
  const nAreas = (n: number) => (n === 1 ? t('legend.area') : t('legend.areas', { n }));
  const noValue = NO_VALUE_STATUSES.map((s) => ({ s, n: p.statuses.filter((x) => x === s).length })).filter(
    (x) => x.n > 0,
  );
  return (
    <div class={`km-legend ${p.compact ? 'km-legend--compact' : ''}`}>
      <svg width="0" height="0" class="km-defs" aria-hidden="true" focusable="false">
        <PatternDefs prefix={prefix} />
      </svg>
      <h3 class="kern-title kern-title--small km-legend__title">
        {p.title ?? t('legend.title')}
        {p.unit ? ` (${p.unit})` : ''}
      </h3>
      {sorted.length > 0 && (
        <ul class="km-legend__list">
          {colors.map((c, i) => {
            const from = i === 0 ? min : breaks[i - 1];
            const to = i === colors.length - 1 ? max : breaks[i];
            if (counts[i] === 0 && (from === undefined || to === undefined || from > max || to < min)) return null;
            const label =
              i === colors.length - 1
                ? t('legend.rangeLast', { from: fmt(from), to: fmt(to) })
                : t('legend.range', { from: fmt(from), to: fmt(to) });
            return (
              <li key={i} class="km-legend__item">
                <span class="km-swatch" style={{ background: c }} aria-hidden="true" />
                <span class="km-legend__label">{label}</span>
                {!p.compact && <span class="km-legend__count">{nAreas(counts[i])}</span>}
              </li>
            );
          })}
        </ul>
      )}
      {p.scheme.diverging && p.city !== null && p.city !== undefined && (
        <p class="km-legend__note">
          <span class="km-legend__city-mark" aria-hidden="true" />
          {t('legend.city', { value: formatValue(p.city, p.decimals, p.unit, lang) })}
          {!p.compact && (
            <> · {t('legend.diverging', { polarity: t(`polarity.${p.polarity}` as 'polarity.neutral') })}</>
          )}
        </p>
      )}
      {noValue.length > 0 && (
        <ul class="km-legend__list km-legend__list--status" aria-label={t('status.noValue')}>
          {noValue.map(({ s, n }) => (
            <li key={s} class="km-legend__item">
              <svg class="km-swatch" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                <rect width="16" height="16" fill={statusFill(prefix, s)} stroke="#6e7597" />
              </svg>
              <span class="km-legend__label">
                <strong class="km-symbol">{STATUS_SYMBOL[s]}</strong> {t(`status.${s}`)}
              </span>
              {!p.compact && <span class="km-legend__count">{nAreas(n)}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
