// Time series: one indicator for several areas and the whole city over time, with the boundary
// versions marked where the layer changed. The chart has a table alternative.
import { useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { reasonText } from '../lib/reasons.ts';
import { navigate, withParams, listParam, joinList, filterFromParams, dropFilters } from '../router.ts';
import { useApi, type IndicatorInfo, type LayerInfo, type TimeSeries, apiPath, useApiAll } from '../api.ts';
import {
  axisTicks,
  inlineUnit,
  formatCell,
  formatDate,
  formatNumber,
  formatPeriod,
  hasValue,
  type DisclosureMark,
  type Lang,
  type Status,
} from '../../../src/contracts/format.ts';
import { SelectField, Button } from '../components/Fields.tsx';
import { WithCatalog } from '../components/Catalog.tsx';
import { ErrorBox, Loading, Notice } from '../components/States.tsx';
import { PlotFigure } from '../components/Plot.tsx';
import { Link } from '../components/Link.tsx';
import { EstimateNote } from '../components/EstimateNote.tsx';
import { cityLayer, decimalsOf, pickIndicator, pickLayer, themedIndicatorOptions } from './common.ts';
import { dimensionLabel } from './Atlas.tsx';
import { versionChoices } from '../lib/congruence.ts';
import { TableScroll } from '../components/TableScroll.tsx';
import { periodShort } from '../lib/facts.ts';

export const SERIES_COLORS = ['#1f5fa8', '#c4501b', '#2f8a4c', '#8a3fa0', '#a06a00', '#0f8a8a', '#b8336a', '#5d6b00'];
const SYMBOLS = ['circle', 'square', 'triangle', 'diamond', 'star', 'cross', 'wye', 'times'];

export function TimeSeriesView() {
  const { t } = useApp();
  return (
    <section class="km-view km-ts" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('ts.title')}
      </h1>
      <WithCatalog>{(layers, indicators) => <TsBody layers={layers} indicators={indicators} />}</WithCatalog>
    </section>
  );
}

function TsBody({ layers, indicators }: { layers: LayerInfo[]; indicators: IndicatorInfo[] }) {
  const { t, lang, route, href } = useApp();
  const P = route.params;
  const indicator = pickIndicator(indicators, P.indicator)!;
  const layer = pickLayer(layers, P.layer)!;
  const filter = filterFromParams(P, indicator.dimensions);
  const codes = listParam(P.areas);
  // "Show on boundary version …": every period on one version (reallocated values are estimates).
  const versions =
    layer.versions.length > 1
      ? versionChoices(layer.versions)
          .map((v) => ({ ...v, at: v.date ?? v.validFrom ?? '' }))
          .filter((v) => v.at)
      : [];
  const at = P.at && versions.some((v) => v.at === P.at) ? P.at : '';
  const showCity = P.city !== '0';
  const allDims = [...new Set(indicators.flatMap((i) => i.dimensions))];
  const detail = useApi(
    indicator.dimensions.length ? apiPath('GET /api/indicators/:key', { key: indicator.key }) : null,
  );
  const areaList = useApi(
    apiPath('GET /api/layers/:layer/areas', { layer: layer.key, geometry: 'false', at: at || undefined }),
  );
  const city = cityLayer(layers);
  const cityAreas = useApi(
    city && showCity ? apiPath('GET /api/layers/:layer/areas', { layer: city.key, geometry: false }) : null,
  );
  const cityCode = cityAreas.data?.features[0]?.properties.code;
  const urls = codes.map((c) =>
    apiPath('GET /api/timeseries', {
      indicator: indicator.key,
      layer: layer.key,
      area: c,
      at: at || undefined,
      ...filter,
    }),
  );
  const cityUrl =
    city && cityCode && showCity && city.key !== layer.key
      ? apiPath('GET /api/timeseries', { indicator: indicator.key, layer: city.key, area: cityCode, ...filter })
      : null;
  const all = useApiAll(cityUrl ? [...urls, cityUrl] : urls);
  const [adding, setAdding] = useState('');

  const set = (patch: Record<string, string | null>) => navigate(withParams(route, patch));
  const areaName = (c: string) => areaList.data?.features.find((f) => f.properties.code === c)?.properties.name ?? c;
  const available = (areaList.data?.features ?? []).filter((f) => !codes.includes(f.properties.code));
  const addValue =
    adding && available.some((f) => f.properties.code === adding) ? adding : (available[0]?.properties.code ?? '');

  return (
    <>
      <form class="km-panel km-ts-controls" onSubmit={(e) => e.preventDefault()}>
        <div class="km-editor__grid">
          <SelectField
            id="ts-indicator"
            label={t('field.indicator')}
            value={indicator.key}
            options={themedIndicatorOptions(indicators)}
            onChange={(v) => {
              const next = indicators.find((i) => i.key === v);
              navigate({
                view: 'zeitreihe',
                params: { ...dropFilters(route.params, allDims, next?.dimensions ?? []), indicator: v },
              });
            }}
          />
          <SelectField
            id="ts-layer"
            label={t('field.layer')}
            value={layer.key}
            options={layers.map((l) => ({ value: l.key, label: l.name }))}
            onChange={(v) => set({ layer: v, areas: null, at: null })}
          />
          {versions.length > 0 && (
            <SelectField
              id="ts-at"
              label={t('ts.version')}
              hint={t('ts.versionHint')}
              value={at}
              options={[
                { value: '', label: t('ts.versionEach') },
                ...versions.map((v) => ({ value: v.at, label: versionLabel(t, lang, v) })),
              ]}
              onChange={(v) => set({ at: v || null, areas: null })}
            />
          )}
          {indicator.dimensions.map((d) => (
            <SelectField
              key={d}
              id={`ts-dim-${d}`}
              label={dimensionLabel(d)}
              value={filter[d] ?? ''}
              options={[
                { value: '', label: t('field.all') },
                ...(detail.data?.dimensionMembers[d] ?? []).map((m) => ({ value: m.key, label: m.name })),
              ]}
              onChange={(v) => set({ [d]: v })}
              disabled={!detail.data}
            />
          ))}
        </div>
        <div class="km-addrow">
          <SelectField
            id="ts-add"
            label={t('ts.addArea')}
            value={addValue}
            options={available.map((f) => ({
              value: f.properties.code,
              label: `${f.properties.name} (${f.properties.code})`,
            }))}
            onChange={setAdding}
            disabled={!available.length}
          />
          <Button
            onClick={() => addValue && set({ areas: joinList([...codes, addValue]) })}
            disabled={!addValue}
            icon="add"
          >
            {t('field.add')}
          </Button>
        </div>
        <label class="km-check">
          <input
            type="checkbox"
            checked={showCity}
            onChange={(e) => set({ city: (e.currentTarget as HTMLInputElement).checked ? null : '0' })}
          />
          <span>{t('ts.city')}</span>
        </label>
        {codes.length > 0 && (
          <ul class="km-chips" aria-label={t('field.areas')}>
            {codes.map((c, i) => (
              <li key={c} class="km-chip">
                <span
                  class="km-chip__dot"
                  style={{ background: SERIES_COLORS[i % SERIES_COLORS.length] }}
                  aria-hidden="true"
                />
                <Link href={href('profil', { layer: layer.key, area: c })}>{areaName(c)}</Link>
                <button
                  type="button"
                  aria-label={t('field.remove', { name: areaName(c) })}
                  title={t('field.remove', { name: areaName(c) })}
                  onClick={() => set({ areas: joinList(codes.filter((x) => x !== c)) || null })}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </form>
      {codes.length === 0 && !cityUrl && <Notice>{t('ts.noAreas')}</Notice>}
      {all.error ? (
        <ErrorBox error={all.error} retry={all.retry} />
      ) : !all.data ? (
        <Loading />
      ) : (
        <TsChart
          series={all.data}
          names={[...codes.map(areaName), ...(cityUrl ? [t('ts.city')] : [])]}
          cityIndex={cityUrl ? codes.length : -1}
          stale={all.loading}
          indicator={indicator}
          onVersion={
            at
              ? versionLabel(
                  t,
                  lang,
                  versions.find((v) => v.at === at)!,
                )
              : null
          }
        />
      )}
    </>
  );
}

interface Row {
  series: string;
  index: number;
  date: Date;
  period: string;
  value: number;
  status: Status;
  disclosure?: DisclosureMark;
  estimated: boolean;
}

/** "ab 01.01.2021 (38 Gebiete)" / "bis 31.12.2020 (24 Gebiete)": a boundary version for the selector. */
function versionLabel(
  t: ReturnType<typeof useApp>['t'],
  lang: Lang,
  v: { date: string | null; validFrom: string | null; validTo: string | null; areas: number },
): string {
  if (v.date === null)
    return v.validFrom
      ? t('cong.versionCurrentFrom', { from: formatDate(v.validFrom, lang), n: v.areas })
      : t('cong.versionCurrent', { n: v.areas });
  return v.validFrom
    ? t('cong.versionRange', { from: formatDate(v.validFrom, lang), to: formatDate(v.date, lang), n: v.areas })
    : t('cong.versionUntil', { to: formatDate(v.date, lang), n: v.areas });
}

function dateAxisFormat(spanDays: number, lang: Lang): (d: Date) => string {
  return (d: Date) => {
    const y = d.getUTCFullYear();
    const m = String(d.getUTCMonth() + 1).padStart(2, '0');
    const day = String(d.getUTCDate()).padStart(2, '0');
    if (spanDays > 3 * 365) return String(y);
    if (spanDays > 200) return lang === 'de' ? `${m}/${y}` : `${m}/${y}`;
    return lang === 'de' ? `${day}.${m}.` : `${day}/${m}`;
  };
}

function TsChart({
  series,
  names,
  cityIndex,
  stale,
  indicator,
  onVersion,
}: {
  series: TimeSeries[];
  names: string[];
  cityIndex: number;
  stale: boolean;
  indicator: IndicatorInfo;
  onVersion?: string | null;
}) {
  const { t, lang } = useApp();
  if (!series.length) return null;
  const dec = decimalsOf(indicator);
  const unit = series[0].unit;
  const rows: Row[] = [];
  series.forEach((s, i) => {
    for (const p of s.points)
      if (p.value !== null && hasValue(p.status))
        rows.push({
          series: names[i],
          index: i,
          date: new Date(`${p.referenceDate}T00:00:00Z`),
          period: p.period,
          value: p.value,
          status: p.status,
          disclosure: p.disclosure,
          estimated: p.status === 'estimated',
        });
  });
  // Boundary changes of the chosen layer (not of the city layer).
  const main = series.filter((_, i) => i !== cityIndex);
  const changes = [
    ...new Map((main[0]?.points ?? []).filter((p) => p.boundaryChange).map((p) => [p.period, p])).values(),
  ];
  const periods = [...new Set(series.flatMap((s) => s.points.map((p) => p.period)))].sort();
  const dates = rows.map((r) => +r.date);
  const spanDays = dates.length ? (Math.max(...dates) - Math.min(...dates)) / 864e5 : 0;
  const colorOf = (i: number) => (i === cityIndex ? '#131525' : SERIES_COLORS[i % SERIES_COLORS.length]);
  const label = `${t('ts.chart', { indicator: indicator.name })}${unit ? ` (${unit})` : ''}`;
  const daily = periods.length > 40;
  const nEstimated = series.reduce((n, s) => n + s.points.filter((p) => p.status === 'estimated').length, 0);
  // The y axis starts at 0 for counts and rates (a share of 5 % against 6 % is not "double");
  // means and indices keep their range and the chart says that the axis does not start at 0.
  const values = rows.map((r) => r.value);
  const vmin = values.length ? Math.min(...values) : 0;
  const vmax = values.length ? Math.max(...values) : 1;
  const fromZero = (indicator.type === 'count' || indicator.type === 'ratio') && vmin >= 0;
  const decimals = dec ?? 1;
  // Where the layer's boundary version changes the line breaks (values before and after are not
  // the same areas), and the marker stands between the last period before and the first after.
  const versionOf = new Map<string, string>();
  series.forEach((s, i) => {
    for (const p of s.points) versionOf.set(`${i}|${p.period}`, p.versionValidFrom ?? '');
  });
  const latest = series
    .flatMap((s) => s.points)
    .reduce<string | null>((m, p) => (p.value !== null && (!m || p.referenceDate > m) ? p.referenceDate : m), null);
  const source = series.find((s) => s.source)?.source ?? indicator.source;
  return (
    <div class={stale ? 'km-stale' : undefined}>
      <h2 class="kern-heading-medium">{label}</h2>
      {changes.length > 0 && <p class="km-muted">{t('ts.boundaryNote')}</p>}
      {onVersion && (
        <p class="km-muted" id="ts-on-version">
          {t('ts.onVersion', { version: onVersion })}
        </p>
      )}
      <div role="img" aria-label={`${label}: ${names.join(', ')}`}>
        <PlotFigure
          deps={[series, lang]}
          build={(Plot, width) => {
            const narrow = width < 600;
            const ticks = axisTicks(fromZero ? 0 : vmin, vmax, narrow ? 4 : 6, decimals);
            const idx = (p: string) => periods.indexOf(p);
            // x ticks: every period where they fit, else every n-th (the last always)
            const every = Math.max(
              1,
              Math.ceil(periods.length / Math.max(2, Math.floor((width - 80) / (narrow ? 56 : 80)))),
            );
            const xTicks = periods.map((_, i) => i).filter((i) => i % every === 0 || i === periods.length - 1);
            const tickText = (p: string) => periodShort(p, lang);
            const longest = Math.max(...xTicks.map((i) => tickText(periods[i]).length), 4);
            const rotate = !daily && narrow && xTicks.length * longest * 7 > width - 80;
            const seg = (r: Row) => `${r.series}|${versionOf.get(`${r.index}|${r.period}`) ?? ''}`;
            const changeX = (c: (typeof changes)[number]) =>
              daily ? new Date(`${c.versionValidFrom ?? c.referenceDate}T00:00:00Z`) : idx(c.period) - 0.5;
            // A boundary label right of the middle is written leftwards, so that it is not cut off.
            const anchorOf = (c: (typeof changes)[number]) =>
              daily ? 'start' : idx(c.period) - 0.5 > (periods.length - 1) / 2 ? 'end' : 'start';
            return Plot.plot({
              width,
              height: narrow ? 320 : 420,
              marginLeft: Math.max(
                44,
                10 + 7.5 * Math.max(...ticks.map((v) => formatNumber(v, decimals, lang).length), 1),
              ),
              // half of the last tick label lies right of the last period: keep room for it
              marginRight: daily ? 20 : rotate ? 12 : Math.max(16, longest * 3.6),
              marginTop: 28,
              marginBottom: rotate ? 56 : 32,
              style: { fontSize: narrow ? '12px' : '13px', fontFamily: 'inherit', overflow: 'visible' },
              x: daily
                ? {
                    type: 'utc',
                    tickFormat: dateAxisFormat(spanDays, lang),
                    label: null,
                    ticks: narrow ? 4 : undefined,
                  }
                : {
                    type: 'linear',
                    domain: [-0.4, periods.length - 0.6],
                    ticks: xTicks,
                    tickFormat: (i: number) => tickText(periods[Math.round(i)] ?? ''),
                    label: null,
                    tickRotate: rotate ? -45 : 0,
                  },
              y: {
                grid: true,
                label: unit ? `${unit}` : null,
                domain: [ticks[0], ticks[ticks.length - 1]],
                ticks,
                tickFormat: (v: number) => formatNumber(v, decimals, lang),
              },
              color: { domain: names, range: names.map((_, i) => colorOf(i)) },
              symbol: { domain: names, range: names.map((_, i) => SYMBOLS[i % SYMBOLS.length]), legend: true },
              marks: [
                ...(fromZero ? [Plot.ruleY([0], { stroke: '#131525' })] : []),
                ...changes.map((c) => Plot.ruleX([changeX(c)], { stroke: '#6e7597', strokeDasharray: '4,3' })),
                ...changes.map((c) =>
                  Plot.text([changeX(c)], {
                    x: (d: unknown) => d,
                    frameAnchor: 'top',
                    dy: -18,
                    dx: anchorOf(c) === 'end' ? -4 : 4,
                    textAnchor: anchorOf(c),
                    text: () => t('ts.boundary', { date: formatDate(c.versionValidFrom, lang) }),
                    fill: '#3d4256',
                  }),
                ),
                Plot.lineY(
                  rows.filter((r) => r.index !== cityIndex),
                  {
                    x: daily ? 'date' : (r: Row) => idx(r.period),
                    y: 'value',
                    z: seg,
                    stroke: 'series',
                    strokeWidth: 2,
                  },
                ),
                Plot.lineY(
                  rows.filter((r) => r.index === cityIndex),
                  {
                    x: daily ? 'date' : (r: Row) => idx(r.period),
                    y: 'value',
                    z: seg,
                    stroke: 'series',
                    strokeWidth: 2,
                    strokeDasharray: '6,3',
                  },
                ),
                ...(daily
                  ? []
                  : [
                      Plot.dot(
                        rows.filter((r) => !r.estimated),
                        {
                          x: (r: Row) => idx(r.period),
                          y: 'value',
                          stroke: 'series',
                          fill: 'series',
                          symbol: 'series',
                          r: 3.5,
                        },
                      ),
                    ]),
                // Estimates (reallocated from other boundaries) are hollow markers.
                ...(daily
                  ? []
                  : [
                      Plot.dot(
                        rows.filter((r) => r.estimated),
                        {
                          x: (r: Row) => idx(r.period),
                          y: 'value',
                          stroke: 'series',
                          fill: 'white',
                          symbol: 'series',
                          r: 3.5,
                          strokeWidth: 1.5,
                        },
                      ),
                    ]),
                Plot.tip(
                  rows,
                  Plot.pointer({
                    x: daily ? 'date' : (r: Row) => idx(r.period),
                    y: 'value',
                    title: (r: Row) =>
                      `${r.series}\n${formatPeriod(r.period, lang)}: ${formatCell(r.value, r.status, dec, unit, lang, r.disclosure)}${r.estimated ? ` (${t('ts.estimatedPoint')})` : ''}`,
                  }),
                ),
              ],
            }) as unknown as Element;
          }}
        />
      </div>
      {!fromZero && vmin > 0 && <p class="km-muted km-ts__axis-note">{t('ts.axisNotZero')}</p>}
      <p class="km-ts__source km-muted" data-source={source ?? undefined}>
        {t('facts.sourceOnly', { source: source || t('facts.noSource') })}
        {latest && <> · {t('ts.latest', { date: formatDate(latest, lang) })}</>}
      </p>
      <EstimateNote
        id="ts-estimates"
        values={series.flatMap((s) => s.points)}
        lead={t('ts.estimates', { n: nEstimated })}
        generic={t('ts.estimateMethodGeneric')}
      />
      <details class="km-details" open={!daily}>
        <summary>{t('ts.table')}</summary>
        <TableScroll label={t('ts.table')}>
          <table class="kern-table kern-table--small kern-table--striped km-table">
            <caption class="kern-sr-only">{label}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">
                  {t('col.period')}
                </th>
                {names.map((n) => (
                  <th scope="col" key={n} class="kern-table__header kern-table__header--numeric">
                    {n}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {periods.map((per) => {
                const change = changes.find((c) => c.period === per);
                return (
                  <tr key={per} class="kern-table__row">
                    <th scope="row" class="kern-table__header km-rowheader">
                      {formatPeriod(per, lang)}
                      {change && (
                        <span class="km-muted">
                          {' '}
                          — {t('ts.boundary', { date: formatDate(change.versionValidFrom, lang) })}
                        </span>
                      )}
                    </th>
                    {series.map((s, i) => {
                      const p = s.points.find((x) => x.period === per);
                      return (
                        <td key={i} class="kern-table__cell kern-table__cell--numeric" title={reasonText(t, lang, p)}>
                          {p ? formatCell(p.value, p.status, dec, inlineUnit(unit), lang, p.disclosure) : ''}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </div>
  );
}
