// Indicator page: definition, unit, source, owner, reference date and methodology; the
// distribution across areas as a histogram or a dot plot (each with a table), and a map.
import { useMemo } from 'preact/hooks';
import { useApp } from '../context.ts';
import { navigate, withParams } from '../router.ts';
import {
  useApi,
  type AreaCollection,
  type IndicatorDetail,
  type IndicatorInfo,
  type LayerInfo,
  type Observations,
  apiPath,
} from '../api.ts';
import {
  formatCell,
  formatDate,
  formatNumber,
  formatPeriod,
  formatTick,
  hasValue,
  versionAt,
} from '../../../src/contracts/format.ts';
import { equalIntervalBreaks, classCounts } from '../../../src/core/stats/classify.ts';
import { SelectField } from '../components/Fields.tsx';
import { ErrorBox, Loading, Notice } from '../components/States.tsx';
import { PlotFigure } from '../components/Plot.tsx';
import { ChoroplethMap } from '../components/Map.tsx';
import { Legend } from '../components/Legend.tsx';
import { Link } from '../components/Link.tsx';
import { BinTable } from '../components/BinTable.tsx';
import { decimalsOf, pickIndicator, pickLayer, pickPeriod, statusText, themedIndicatorOptions } from './common.ts';
import { dimensionLabel, useChoropleth } from './Atlas.tsx';
import type { Shape } from '../../../src/core/geo/draw.ts';

export function IndicatorView() {
  const { t, route } = useApp();
  const inds = useApi(apiPath('GET /api/indicators'));
  const layers = useApi(apiPath('GET /api/layers'));
  const ind = inds.data ? pickIndicator(inds.data.indicators, route.params.indicator) : undefined;
  const detail = useApi(ind ? apiPath('GET /api/indicators/:key', { key: ind.key }) : null);
  return (
    <section class="km-view km-indicator" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {ind ? t('ind.title', { name: ind.name }) : t('view.indikator')}
      </h1>
      {inds.data && (!inds.data.indicators.length || !layers.data?.layers.length) && layers.data ? (
        <Notice>{t('state.noData')}</Notice>
      ) : inds.error ? (
        <ErrorBox error={inds.error} retry={inds.retry} />
      ) : layers.error ? (
        <ErrorBox error={layers.error} retry={layers.retry} />
      ) : detail.error ? (
        <ErrorBox error={detail.error} retry={detail.retry} />
      ) : !inds.data || !layers.data || !detail.data || !ind ? (
        <Loading />
      ) : (
        <IndicatorBody indicators={inds.data.indicators} layers={layers.data.layers} detail={detail.data} />
      )}
    </section>
  );
}

function IndicatorBody({
  indicators,
  layers,
  detail,
}: {
  indicators: IndicatorInfo[];
  layers: LayerInfo[];
  detail: IndicatorDetail;
}) {
  const { t, lang, route, href } = useApp();
  const P = route.params;
  const layer = pickLayer(layers, P.layer)!;
  const period = pickPeriod(detail.periods, P.period) ?? '';
  const chart = P.chart === 'punkte' ? 'punkte' : 'histogramm';
  const obs = useApi(
    period ? apiPath('GET /api/observations', { indicator: detail.key, layer: layer.key, period }) : null,
  );
  const areas = useApi(
    apiPath('GET /api/layers/:layer/areas', {
      layer: layer.key,
      at: period ? versionAt(layer.versions, period) : undefined,
    }),
  );
  const set = (patch: Record<string, string | null>) => navigate(withParams(route, patch));
  const dims = Object.entries(detail.dimensionMembers);
  const periods = detail.periods;
  return (
    <>
      <form class="km-panel no-print" onSubmit={(e) => e.preventDefault()}>
        <div class="km-editor__grid">
          <SelectField
            id="ind-key"
            label={t('field.indicator')}
            value={detail.key}
            options={themedIndicatorOptions(indicators)}
            onChange={(v) => set({ indicator: v, period: null })}
          />
          <SelectField
            id="ind-layer"
            label={t('field.layer')}
            value={layer.key}
            options={layers.map((l) => ({ value: l.key, label: l.name }))}
            onChange={(v) => set({ layer: v })}
          />
          <SelectField
            id="ind-period"
            label={t('field.period')}
            value={period}
            options={[...periods].reverse().map((p) => ({ value: p, label: formatPeriod(p, lang) }))}
            onChange={(v) => set({ period: v })}
          />
        </div>
      </form>
      <div class="km-two km-section">
        <section aria-labelledby="ind-def">
          <h2 class="kern-heading-medium" id="ind-def">
            {t('ind.definition')}
          </h2>
          {detail.description && <p>{detail.description}</p>}
          <dl class="km-dl">
            <dt>{t('ind.key')}</dt>
            <dd>
              <code>{detail.key}</code>
            </dd>
            <dt>{t('ind.unit')}</dt>
            <dd>{detail.unit || t('ind.none')}</dd>
            <dt>{t('ind.type')}</dt>
            <dd>{t(`ind.type.${detail.type}` as 'ind.type.count') ?? detail.type}</dd>
            <dt>{t('ind.source')}</dt>
            <dd>{detail.source ?? t('ind.none')}</dd>
            <dt>{t('ind.owner')}</dt>
            <dd>{detail.owner ? ownerText(detail.owner, detail.ownerName) : t('ind.none')}</dd>
            <dt>{t('ind.reference')}</dt>
            <dd>{obs.data ? formatDate(obs.data.referenceDate, lang) : formatPeriod(period, lang)}</dd>
            <dt>{t('ind.periods')}</dt>
            <dd>
              {periods.length
                ? `${formatPeriod(periods[0], lang)} – ${formatPeriod(periods[periods.length - 1], lang)} (${periods.length})`
                : t('ind.none')}
            </dd>
            <dt>{t('ind.methodology')}</dt>
            <dd>{detail.methodology ?? t('ind.none')}</dd>
            <dt>{t('ind.polarity')}</dt>
            <dd>{t(`polarity.${detail.polarity}` as 'polarity.neutral')}</dd>
            <dt>{t('ind.minBase')}</dt>
            <dd>{detail.minBase !== null ? formatNumber(detail.minBase, 0, lang) : t('ind.none')}</dd>
            <dt>{t('ind.confidentiality')}</dt>
            <dd>{t(`confidentiality.${detail.confidentiality}` as 'confidentiality.public')}</dd>
            <dt>{t('ind.themes')}</dt>
            <dd>{detail.themes.join(', ')}</dd>
            {dims.length > 0 && (
              <>
                <dt>{t('ind.dimensions')}</dt>
                <dd>{dims.map(([d, ms]) => `${dimensionLabel(d)}: ${ms.map((m) => m.name).join(', ')}`).join('; ')}</dd>
              </>
            )}
          </dl>
          <p class="km-links">
            <Link href={href('atlas', { indicator: detail.key, layer: layer.key, period })}>{t('ind.openAtlas')}</Link>
            <Link href={href('zeitreihe', { indicator: detail.key, layer: layer.key })}>
              {t('atlas.openTimeSeries')}
            </Link>
          </p>
        </section>
        <section aria-labelledby="ind-map">
          <h2 class="kern-heading-medium" id="ind-map">
            {t('ind.map')}
          </h2>
          {obs.data && obs.data.values.every((v) => v.value === null) && (
            <Notice kind="warning">
              <p>{t('atlas.noValues', { layer: obs.data.layer.name })}</p>
              <ul class="km-inline-list">
                {layers
                  .filter((l) => l.key !== layer.key)
                  .map((l) => (
                    <li key={l.key}>
                      <button
                        type="button"
                        class="kern-btn kern-btn--tertiary kern-btn--x-small"
                        onClick={() => set({ layer: l.key })}
                      >
                        <span class="kern-label">{l.name}</span>
                      </button>
                    </li>
                  ))}
              </ul>
            </Notice>
          )}
          {obs.error ? (
            <ErrorBox error={obs.error} retry={obs.retry} />
          ) : areas.error ? (
            <ErrorBox error={areas.error} retry={areas.retry} />
          ) : !obs.data || !areas.data ? (
            <Loading />
          ) : (
            <IndicatorMap obs={obs.data} areas={areas.data} />
          )}
        </section>
      </div>
      <section class="km-section" aria-labelledby="ind-dist">
        <div class="km-section__head">
          <h2 class="kern-heading-medium" id="ind-dist">
            {t('ind.distribution')}
          </h2>
          <div class="km-toggle" role="group" aria-label={t('field.chart')}>
            <button type="button" aria-pressed={chart === 'histogramm'} onClick={() => set({ chart: null })}>
              {t('ind.histogram')}
            </button>
            <button type="button" aria-pressed={chart === 'punkte'} onClick={() => set({ chart: 'punkte' })}>
              {t('ind.dots')}
            </button>
          </div>
        </div>
        {obs.error ? null : !obs.data ? (
          <Loading />
        ) : chart === 'histogramm' ? (
          <Histogram obs={obs.data} />
        ) : (
          <DotPlot obs={obs.data} />
        )}
      </section>
    </>
  );
}

function IndicatorMap({ obs, areas }: { obs: Observations; areas: AreaCollection }) {
  const { t, lang, href } = useApp();
  const ch = useChoropleth(obs, { method: 'jenks', k: 5 })!;
  const shapes: Shape[] = useMemo(
    () =>
      areas.features.map((f) => ({
        code: f.properties.code,
        name: f.properties.name,
        geometry: f.geometry,
        bbox: f.bbox,
      })),
    [areas],
  );
  return (
    <>
      <ChoroplethMap
        shapes={shapes}
        areas={ch.mapAreas}
        label={t('map.label', {
          indicator: obs.indicator.name,
          layer: obs.layer.name,
          period: formatPeriod(obs.period.key, lang),
        })}
        onOpen={(code) => navigate(href('profil', { layer: obs.layer.key, area: code }))}
        width={500}
        class="km-map--small"
      />
      <Legend
        compact
        scheme={ch.scheme}
        values={ch.values}
        statuses={obs.values.map((v) => v.status)}
        unit={obs.unit}
        decimals={ch.dec}
        city={obs.city.value}
        polarity={obs.indicator.polarity}
      />
    </>
  );
}

function valuesOf(obs: Observations) {
  return obs.values.filter((v) => v.value !== null && hasValue(v.status)) as (Observations['values'][number] & {
    value: number;
  })[];
}

function Histogram({ obs }: { obs: Observations }) {
  const { t, lang } = useApp();
  const vals = valuesOf(obs);
  const dec = decimalsOf(obs.indicator);
  const x = vals.map((v) => v.value);
  const bins = Math.min(12, Math.max(4, Math.round(Math.sqrt(x.length))));
  const breaks = equalIntervalBreaks(x, bins);
  const counts = classCounts(x, breaks);
  const min = Math.min(...x);
  const max = Math.max(...x);
  const edges = [min, ...breaks, max];
  const data = counts.map((n, i) => ({ x1: edges[i], x2: edges[i + 1], n }));
  const missing = obs.values.length - vals.length;
  const label = `${t('ind.histogram')}: ${obs.indicator.name}, ${obs.layer.name}`;
  if (!x.length) return <p>{t('state.empty')}</p>;
  return (
    <>
      <div role="img" aria-label={label}>
        <PlotFigure
          deps={[obs, lang]}
          build={(Plot, width) =>
            Plot.plot({
              width,
              height: 320,
              marginLeft: 50,
              style: { fontSize: '13px', fontFamily: 'inherit' },
              x: { label: obs.unit || null, tickFormat: (v: number) => formatTick(v, lang) },
              y: { grid: true, label: t('col.count') },
              marks: [
                Plot.rectY(data, { x1: 'x1', x2: 'x2', y: 'n', fill: '#4292c6', inset: 1 }),
                ...(obs.city.value !== null
                  ? [
                      Plot.ruleX([obs.city.value], { stroke: '#131525', strokeWidth: 2, strokeDasharray: '5,3' }),
                      Plot.text([obs.city.value], {
                        x: (d: number) => d,
                        frameAnchor: 'top',
                        dy: -2,
                        dx: 4,
                        textAnchor: 'start',
                        text: () =>
                          t('legend.city', { value: formatCell(obs.city.value, obs.city.status, dec, obs.unit, lang) }),
                      }),
                    ]
                  : []),
                Plot.ruleY([0]),
              ],
            }) as unknown as Element
          }
        />
      </div>
      {missing > 0 && <p class="km-muted">{`${missing} × ${t('status.noValue')}`}</p>}
      <BinTable
        label={label}
        bins={data.map((b) => ({ from: b.x1, to: b.x2, n: b.n }))}
        format={(x) => formatNumber(x, (dec ?? 1) + 1, lang)}
      />
    </>
  );
}

function DotPlot({ obs }: { obs: Observations }) {
  const { t, lang } = useApp();
  const vals = valuesOf(obs);
  const dec = decimalsOf(obs.indicator);
  const label = `${t('ind.dots')}: ${obs.indicator.name}, ${obs.layer.name}`;
  if (!vals.length) return <p>{t('state.empty')}</p>;
  const sorted = [...vals].sort((a, b) => a.value - b.value);
  return (
    <>
      <div role="img" aria-label={label}>
        <PlotFigure
          deps={[obs, lang]}
          build={(Plot, width) =>
            Plot.plot({
              width,
              height: vals.length > 100 ? 320 : 200,
              marginLeft: 20,
              style: { fontSize: '13px', fontFamily: 'inherit' },
              x: { label: obs.unit || null, tickFormat: (v: number) => formatTick(v, lang), grid: true },
              marks: [
                Plot.dotX(
                  vals,
                  Plot.dodgeY({
                    x: 'value',
                    fill: '#1f5fa8',
                    r: vals.length > 100 ? 3 : 5,
                    title: (d: (typeof vals)[number]) =>
                      `${d.name}: ${formatCell(d.value, d.status, dec, obs.unit, lang, d.disclosure)}`,
                  }),
                ),
                ...(obs.city.value !== null
                  ? [Plot.ruleX([obs.city.value], { stroke: '#131525', strokeWidth: 2, strokeDasharray: '5,3' })]
                  : []),
              ],
            }) as unknown as Element
          }
        />
      </div>
      <details class="km-details">
        <summary>{t('ind.valueTable')}</summary>
        <table class="kern-table kern-table--small km-table">
          <caption class="kern-sr-only">{label}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th scope="col" class="kern-table__header">
                {t('col.area')}
              </th>
              <th scope="col" class="kern-table__header kern-table__header--numeric">
                {t('col.value')}
              </th>
              <th scope="col" class="kern-table__header">
                {t('col.status')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {sorted.map((v) => (
              <tr key={v.area} class="kern-table__row">
                <th scope="row" class="kern-table__header km-rowheader">
                  {v.name}
                </th>
                <td class="kern-table__cell kern-table__cell--numeric">
                  {formatCell(v.value, v.status, dec, obs.unit, lang, v.disclosure)}
                </td>
                <td class="kern-table__cell">{statusText(t, v.status)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}

/**
 * The department that owns an indicator by its name (the server's ownerName), not its key
 * ("statistik"); an owner that is no known department is its key written as a name.
 */
function ownerText(owner: string, name: string | null | undefined): string {
  return (
    name ??
    owner.replace(/[_-]+/g, ' ').replace(/(^|\s)(\p{Ll})/gu, (_m, sp: string, c: string) => sp + c.toUpperCase())
  );
}
