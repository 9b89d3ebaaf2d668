// Atlas: theme → indicator → period → layer (→ breakdown member); a choropleth with legend and
// class breaks, tooltip, zoom; a sortable, filterable table of the same values with CSV/XLSX export.
import { layerWithData } from '../lib/layers.ts';
import { useMemo, useRef, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { reasonText } from '../lib/reasons.ts';
import { navigate, withParams, filterFromParams, dropFilters } from '../router.ts';
import {
  apiUrl,
  qs,
  useApi,
  type AreaCollection,
  type IndicatorInfo,
  type LayerInfo,
  type Observations,
  type AreaValue,
  apiPath,
} from '../api.ts';
import {
  buildScheme,
  classOf,
  METHODS,
  parseManualBreaks,
  formatBreaksParam,
  type Method,
  type Scheme,
} from '../../../src/core/stats/classify.ts';
import {
  formatCell,
  formatDate,
  formatPeriod,
  formatValue,
  hasValue,
  periodSlug,
  versionAt,
  inlineUnit,
  dativePlural,
} from '../../../src/contracts/format.ts';
import { matchesQuery, parseSort, formatSort } from '../lib/table.ts';
import { ChoroplethMap, type MapArea } from '../components/Map.tsx';
import { Legend } from '../components/Legend.tsx';
import { TypeLegend } from '../components/TypeLegend.tsx';
import { textOn, typeColor, typesOfLineage } from '../../../src/core/stats/typology-types.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { SelectField, TextField, Button } from '../components/Fields.tsx';
import { WithCatalog } from '../components/Catalog.tsx';
import { ErrorBox, Loading, Notice } from '../components/States.tsx';
import { Link } from '../components/Link.tsx';
import { EstimateNote } from '../components/EstimateNote.tsx';
import {
  baseText,
  decimalsOf,
  pickIndicator,
  pickLayer,
  pickPeriod,
  sortByTheme,
  spokenValue,
  statusText,
  themesOf,
} from './common.ts';
import type { Shape } from '../../../src/core/geo/draw.ts';
import { TopicList, TopicMarkers } from '../components/TopicPoints.tsx';

export function Atlas() {
  const { t } = useApp();
  return (
    <section class="km-view km-atlas" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('atlas.title')}
      </h1>
      <WithCatalog>{(layers, indicators) => <AtlasBody layers={layers} indicators={indicators} />}</WithCatalog>
    </section>
  );
}

/** Which marks have been set for which request, to measure "data arrived → map drawn" once per map. */
const perf = { dataKey: '', drawnKey: '' };

interface AtlasSelection {
  indicator: IndicatorInfo;
  layer: LayerInfo;
  period: string;
  filter: Record<string, string>;
}

function useAtlasSelection(layers: LayerInfo[], indicators: IndicatorInfo[]): AtlasSelection & { theme: string } {
  const { route } = useApp();
  const P = route.params;
  const theme = P.theme && themesOf(indicators).includes(P.theme) ? P.theme : '';
  const indicator = pickIndicator(indicators, P.indicator, theme)!;
  const layer = pickLayer(layers, P.layer)!;
  const period = pickPeriod(indicator.periods, P.period) ?? '';
  const filter = filterFromParams(P, indicator.dimensions);
  return { theme, indicator, layer, period, filter };
}

function AtlasBody({ layers, indicators }: { layers: LayerInfo[]; indicators: IndicatorInfo[] }) {
  const { t, lang, route, href } = useApp();
  const P = route.params;
  const { theme, indicator, layer, period, filter } = useAtlasSelection(layers, indicators);
  const allDims = [...new Set(indicators.flatMap((i) => i.dimensions))];
  const detail = useApi(
    indicator.dimensions.length ? apiPath('GET /api/indicators/:key', { key: indicator.key }) : null,
  );
  const obsUrl = period
    ? apiPath('GET /api/observations', { indicator: indicator.key, layer: layer.key, period, ...filter })
    : null;
  const areasUrl = apiPath('GET /api/layers/:layer/areas', {
    layer: layer.key,
    at: period ? versionAt(layer.versions, period) : undefined,
  });
  const obs = useApi(obsUrl);
  const areas = useApi(areasUrl);

  const set = (patch: Record<string, string | number | null | undefined>, replace = false) =>
    navigate(withParams(route, patch), { replace });

  const themeOptions = [
    { value: '', label: t('field.allThemes') },
    ...themesOf(indicators).map((x) => ({ value: x, label: x })),
  ];
  // Sorted by theme and name (issue 15, item 11), not in the order of the catalogue file.
  const visible = sortByTheme(theme ? indicators.filter((i) => i.themes.includes(theme)) : indicators);
  const indicatorOptions = (visible.includes(indicator) ? visible : [indicator, ...visible]).map((i) => ({
    value: i.key,
    label: theme || !i.themes[0] ? i.name : `${i.themes[0]}: ${i.name}`,
  }));
  const periodOptions = [...indicator.periods].reverse().map((p) => ({ value: p, label: formatPeriod(p, lang) }));
  const layerOptions = layers.map((l) => ({ value: l.key, label: l.name }));

  const changeIndicator = (key: string) => {
    const next = indicators.find((i) => i.key === key);
    if (!next) return;
    const params = dropFilters(route.params, allDims, next.dimensions);
    const layerKey = layerWithData(layers, next, layer.key);
    navigate({
      view: 'atlas',
      params: {
        ...params,
        indicator: key,
        ...(layerKey !== layer.key ? { layer: layerKey } : {}),
        ...(next.periods.includes(period) ? {} : { period: '' }),
      },
    });
  };
  const changeTheme = (th: string) => {
    const keep = !th || indicator.themes.includes(th);
    const next = keep ? indicator : pickIndicator(indicators, undefined, th);
    const params = dropFilters(route.params, allDims, next?.dimensions ?? []);
    navigate(
      withParams(
        { view: 'atlas', params },
        { theme: th, indicator: next?.key, period: next && next.periods.includes(period) ? period : null },
      ),
    );
  };

  const method: Method = (METHODS as string[]).includes(P.method) ? (P.method as Method) : 'jenks';
  const k = Math.max(2, Math.min(9, Number(P.k) || 5));
  const manual = P.breaks ? parseManualBreaks(P.breaks.replace(/;/g, ' ')) : { breaks: [] as number[] };
  const [breaksText, setBreaksText] = useState<string | null>(null);
  const [breaksError, setBreaksError] = useState<string | undefined>();

  return (
    <div class="km-atlas__layout">
      <form class="km-panel km-controls" aria-labelledby="atlas-controls" onSubmit={(e) => e.preventDefault()}>
        <h2 class="kern-heading-small" id="atlas-controls">
          {t('atlas.controls')}
        </h2>
        <SelectField
          id="atlas-theme"
          label={t('field.theme')}
          value={theme}
          options={themeOptions}
          onChange={changeTheme}
        />
        <SelectField
          id="atlas-indicator"
          label={t('field.indicator')}
          value={indicator.key}
          options={indicatorOptions}
          onChange={changeIndicator}
        />
        <SelectField
          id="atlas-period"
          label={t('field.period')}
          value={period}
          options={periodOptions}
          onChange={(v) => set({ period: v })}
        />
        <SelectField
          id="atlas-layer"
          label={t('field.layer')}
          value={layer.key}
          options={layerOptions}
          onChange={(v) => set({ layer: v, area: null, zoom: null })}
        />
        {indicator.dimensions.map((d) => {
          const members = detail.data?.dimensionMembers[d] ?? [];
          return (
            <SelectField
              key={d}
              id={`atlas-dim-${d}`}
              label={dimensionLabel(d)}
              value={filter[d] ?? ''}
              options={[{ value: '', label: t('field.all') }, ...members.map((m) => ({ value: m.key, label: m.name }))]}
              onChange={(v) => set({ [d]: v })}
              disabled={!detail.data}
            />
          );
        })}
        <details class="km-details km-classes" open={method !== 'jenks' || !!P.k}>
          <summary>{t('atlas.classification')}</summary>
          <fieldset class="kern-fieldset km-fieldset">
            <legend class="kern-sr-only">{t('atlas.classification')}</legend>
            <SelectField
              id="atlas-method"
              label={t('field.method')}
              value={method}
              options={METHODS.map((m) => ({ value: m, label: t(`method.${m}`) }))}
              onChange={(v) => set({ method: v === 'jenks' ? null : v })}
            />
            {method !== 'manual' ? (
              <SelectField
                id="atlas-k"
                label={t('field.classes')}
                value={String(k)}
                options={[3, 4, 5, 6, 7].map((n) => ({ value: String(n), label: String(n) }))}
                onChange={(v) => set({ k: v === '5' ? null : v })}
              />
            ) : (
              <div class="km-manual">
                <TextField
                  id="atlas-breaks"
                  label={t('field.breaks')}
                  hint={t('field.breaksHint')}
                  value={
                    breaksText ??
                    (P.breaks ?? '')
                      .split(';')
                      .map((x) => x.replace('.', lang === 'de' ? ',' : '.'))
                      .join('; ')
                  }
                  onInput={setBreaksText}
                  error={breaksError}
                  inputMode="decimal"
                />
                <Button
                  type="submit"
                  onClick={() => {
                    const r = parseManualBreaks((breaksText ?? '').trim() || (P.breaks ?? ''));
                    if ('error' in r)
                      setBreaksError(t(r.error === 'empty' ? 'breaks.errorEmpty' : 'breaks.errorNumber'));
                    else {
                      setBreaksError(undefined);
                      setBreaksText(null);
                      set({ breaks: formatBreaksParam(r.breaks) });
                    }
                  }}
                >
                  {t('field.apply')}
                </Button>
              </div>
            )}
          </fieldset>
        </details>
      </form>
      <div class="km-atlas__main">
        {!obsUrl ? (
          <Notice>{t('state.empty')}</Notice>
        ) : obs.error ? (
          <ErrorBox error={obs.error} retry={obs.retry} />
        ) : areas.error ? (
          <ErrorBox error={areas.error} retry={areas.retry} />
        ) : !obs.data || !areas.data ? (
          <Loading />
        ) : (
          <AtlasResult
            obs={obs.data}
            areas={areas.data}
            stale={obs.loading || areas.loading}
            dataKey={`${obsUrl}|${areasUrl}`}
            method={method}
            k={k}
            manual={'breaks' in manual ? manual.breaks : []}
            layers={layers}
            onLayer={(l) => set({ layer: l, area: null, zoom: null })}
          />
        )}
        {obs.data && !obs.loading && (
          <p class="km-links">
            <Link href={href('zeitreihe', { indicator: indicator.key, layer: layer.key, ...filter })}>
              {t('atlas.openTimeSeries')}
            </Link>
            <Link href={href('indikator', { indicator: indicator.key, layer: layer.key, period })}>
              {t('atlas.openIndicator')}
            </Link>
          </p>
        )}
      </div>
    </div>
  );
}

export function dimensionLabel(d: string): string {
  const known: Record<string, string> = {
    altersgruppe: 'Altersgruppe',
    geschlecht: 'Geschlecht',
    staatsangehoerigkeit: 'Staatsangehörigkeit',
    schulform: 'Schulform',
  };
  return known[d] ?? d.charAt(0).toUpperCase() + d.slice(1).replace(/_/g, ' ');
}

/** Scheme, per-area map entries and tooltip for a set of observations (also used by the indicator page and cockpit). */
export function useChoropleth(obs: Observations | undefined, o: { method: Method; k: number; manual?: number[] }) {
  const { t, lang } = useApp();
  return useMemo(() => {
    if (!obs) return null;
    const dec = decimalsOf(obs.indicator);
    const values = obs.values.filter((v) => v.value !== null && hasValue(v.status)).map((v) => v.value as number);
    const scheme: Scheme = buildScheme(values, {
      method: o.method,
      k: o.k,
      manual: o.manual,
      polarity: obs.indicator.polarity,
      center: obs.city.value,
    });
    const byCode = new Map<string, AreaValue>(obs.values.map((v) => [v.area, v]));
    const mapAreas = new Map<string, MapArea>();
    // A saved typology (`<key>_typ`) is categorical: one colour and the number per type, not classes of numbers.
    const lineageTypes = typesOfLineage(obs.indicator.lineage);
    const types = lineageTypes && lineageTypes.map((x) => ({ ...x, n: values.filter((v) => v === x.type).length }));
    for (const v of obs.values) {
      const has = v.value !== null && hasValue(v.status);
      if (types) {
        const c = has ? typeColor(v.value as number) : null;
        const description = types.find((x) => x.type === v.value)?.description ?? '';
        mapAreas.set(v.area, {
          code: v.area,
          name: v.name,
          color: c,
          status: v.status,
          label: has
            ? t('typ.mapLabel', { name: v.name, type: v.value as number, description })
            : t('map.areaLabel', { name: v.name, value: spokenValue(t, lang, v.value, v.status, dec, obs.unit) }),
          mark: has ? String(v.value) : undefined,
          markColor: c ? textOn(c) : undefined,
        });
        continue;
      }
      mapAreas.set(v.area, {
        code: v.area,
        name: v.name,
        color: has ? scheme.colors[classOf(v.value as number, scheme.breaks)] : null,
        status: v.status,
        label: t('map.areaLabel', { name: v.name, value: spokenValue(t, lang, v.value, v.status, dec, obs.unit) }),
      });
    }
    return { scheme, values, byCode, mapAreas, dec, types };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [obs, o.method, o.k, (o.manual ?? []).join(';'), lang]);
}

function AtlasResult(p: {
  obs: Observations;
  areas: AreaCollection;
  stale: boolean;
  dataKey: string;
  method: Method;
  k: number;
  manual: number[];
  layers: LayerInfo[];
  onLayer: (l: string) => void;
}) {
  const { t, lang, route, href } = useApp();
  const { obs, areas } = p;
  if (perf.dataKey !== p.dataKey && !p.stale) {
    perf.dataKey = p.dataKey;
    performance.mark('km:atlas-data');
  }
  const ch = useChoropleth(obs, { method: p.method, k: p.k, manual: p.manual })!;
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
  const unit = obs.unit;
  const dec = ch.dec;
  const indicator = obs.indicator;
  const periodLabel = formatPeriod(obs.period.key, lang);
  const allMissing = ch.values.length === 0;
  const filterText = Object.entries(obs.filter)
    .map(([d, m]) => `${dimensionLabel(d)} ${m}`)
    .join(', ');
  const openProfile = (code: string) => navigate(href('profil', { layer: obs.layer.key, area: code }));
  const onDrawn = () => {
    if (perf.drawnKey !== p.dataKey && perf.dataKey === p.dataKey && !p.stale) {
      perf.drawnKey = p.dataKey;
      performance.mark('km:atlas-drawn');
      try {
        performance.measure('km:atlas-draw', 'km:atlas-data', 'km:atlas-drawn');
      } catch {
        /* marks cleared */
      }
    }
  };
  const tooltip = (code: string) => {
    const v = ch.byCode.get(code);
    if (!v) return null;
    return (
      <>
        <strong>{v.name}</strong> <span class="km-muted">({v.area})</span>
        <dl class="km-tooltip__dl">
          <dt>{indicator.name}</dt>
          <dd>
            <strong>{formatCell(v.value, v.status, dec, unit, lang, v.disclosure)}</strong>
          </dd>
          {v.base !== null && (
            <>
              <dt>{t('tip.base')}</dt>
              <dd>{baseText(v.base, lang)}</dd>
            </>
          )}
          <dt>{t('tip.date')}</dt>
          <dd>{formatDate(obs.referenceDate, lang)}</dd>
          <dt>{t('tip.status')}</dt>
          <dd>{statusText(t, v.status)}</dd>
          {v.rank !== null && (
            <>
              <dt>{t('tip.rank')}</dt>
              <dd>{t('profile.rankOfDir', { rank: v.rank, of: ch.values.length })}</dd>
            </>
          )}
        </dl>
      </>
    );
  };
  const label = t('map.label', { indicator: indicator.name, layer: obs.layer.name, period: periodLabel });
  const zoomRef = useRef(route.params.zoom);
  zoomRef.current = route.params.zoom;
  // The youth forum's topics with a place, as an optional overlay (?themen=1) with a text list.
  const showTopics = route.params.themen === '1';
  const topics = useApi(showTopics ? apiPath('GET /api/forum/topics') : null);
  const [topicSel, setTopicSel] = useState<number | null>(null);
  return (
    <div class={p.stale ? 'km-stale' : undefined} aria-busy={p.stale ? 'true' : undefined}>
      <header class="km-result-head">
        <h2 class="kern-heading-medium km-result-head__title">{indicator.name}</h2>
        <p class="km-result-head__meta">
          <span>{obs.layer.name}</span>
          <span>{t('atlas.reference', { date: formatDate(obs.referenceDate, lang) })}</span>
          {filterText && <span>{t('atlas.filterActive', { filter: filterText })}</span>}
          <span>
            {t('atlas.city')}: <strong>{formatCell(obs.city.value, obs.city.status, dec, unit, lang)}</strong>
          </span>
          {obs.source && <span data-source={obs.source}>{t('atlas.source', { source: obs.source })}</span>}
        </p>
      </header>
      {allMissing && (
        <Notice kind="warning">
          <p>{t('atlas.noValues', { layer: obs.layer.name })}</p>
          <ul class="km-inline-list">
            {p.layers
              .filter((l) => l.key !== obs.layer.key)
              .map((l) => (
                <li key={l.key}>
                  <button
                    type="button"
                    class="kern-btn kern-btn--tertiary kern-btn--x-small"
                    onClick={() => p.onLayer(l.key)}
                  >
                    <span class="kern-label">{l.name}</span>
                  </button>
                </li>
              ))}
          </ul>
        </Notice>
      )}
      <div class="km-mapbox">
        <ChoroplethMap
          shapes={shapes}
          areas={ch.mapAreas}
          label={label}
          selected={route.params.area}
          tooltip={tooltip}
          onOpen={openProfile}
          zoom={zoomRef.current}
          onZoom={(z) => navigate(withParams(route, { zoom: z }), { replace: true })}
          onDrawn={onDrawn}
          overlay={
            showTopics && topics.data
              ? (d) => (
                  <TopicMarkers drawing={d} topics={topics.data!.topics} selected={topicSel} onSelect={setTopicSel} />
                )
              : undefined
          }
        />
        {ch.types ? (
          <TypeLegend types={ch.types} untyped={obs.values.length - ch.values.length} title={indicator.name} />
        ) : (
          <Legend
            scheme={ch.scheme}
            values={ch.values}
            statuses={obs.values.map((v) => v.status)}
            unit={unit}
            decimals={dec}
            city={obs.city.value}
            polarity={indicator.polarity}
          />
        )}
      </div>
      <div class="kern-form-check km-atlas__topics no-print">
        <input
          class="kern-form-check__checkbox"
          type="checkbox"
          id="atlas-topics"
          checked={showTopics}
          onChange={(e) =>
            navigate(withParams(route, { themen: (e.currentTarget as HTMLInputElement).checked ? '1' : null }), {
              replace: true,
            })
          }
        />
        <label class="kern-label" for="atlas-topics">
          {t('topics.overlay')}
        </label>
      </div>
      {showTopics && topics.data && (
        <TopicList
          topics={topics.data.topics}
          selected={topicSel}
          onSelect={setTopicSel}
          headingId="atlas-topics-list"
        />
      )}
      <AtlasTable obs={obs} scheme={ch.scheme} dec={dec} categorical={!!ch.types} />
    </div>
  );
}

function AtlasTable({
  obs,
  scheme,
  dec,
  categorical,
}: {
  obs: Observations;
  scheme: Scheme;
  dec: number | null;
  categorical?: boolean;
}) {
  const { t, lang, route, href } = useApp();
  const q = route.params.q ?? '';
  const sort = parseSort(route.params.sort, ['name', 'area', 'value', 'base', 'rank', 'status'], {
    key: 'area',
    dir: 'asc',
  });
  const rows = obs.values.filter((v) => matchesQuery(q, [v.name, v.area]));
  const unit = obs.unit;
  const colorOf = (v: AreaValue) =>
    v.value !== null && hasValue(v.status)
      ? categorical
        ? typeColor(v.value)
        : scheme.colors[classOf(v.value, scheme.breaks)]
      : null;
  const columns: Column<AreaValue>[] = [
    {
      key: 'name',
      label: t('col.area'),
      rowHeader: true,
      sortValue: (r) => r.name,
      render: (r) => {
        const c = colorOf(r);
        return (
          <span class="km-areacell">
            <span
              class={`km-swatch km-swatch--small ${c ? '' : 'km-swatch--none'}`}
              style={c ? { background: c } : undefined}
              aria-hidden="true"
            />
            <Link href={href('profil', { layer: obs.layer.key, area: r.area })}>{r.name}</Link>
          </span>
        );
      },
    },
    { key: 'area', label: t('col.code'), sortValue: (r) => r.area, render: (r) => r.area },
    {
      key: 'value',
      label: unit ? `${t('col.value')} (${unit})` : t('col.value'),
      numeric: true,
      sortValue: (r) => (hasValue(r.status) ? r.value : null),
      render: (r) => formatCell(r.value, r.status, dec, inlineUnit(unit), lang, r.disclosure),
    },
    {
      key: 'base',
      label: t('col.base'),
      numeric: true,
      sortValue: (r) => r.base,
      render: (r) => baseText(r.base, lang),
    },
    {
      key: 'rank',
      label: t('col.rankDir'),
      numeric: true,
      sortValue: (r) => r.rank,
      render: (r) => (r.rank === null ? '' : String(r.rank)),
    },
    {
      key: 'status',
      label: t('col.status'),
      sortValue: (r) => statusText(t, r.status),
      render: (r) => <span title={reasonText(t, lang, r)}>{statusText(t, r.status)}</span>,
    },
  ];
  // The downloads speak the page's language (headings, statuses, notes; German by default).
  const base = `/api/observations${qs({ indicator: obs.indicator.key, layer: obs.layer.key, period: obs.period.key, ...obs.filter, lang: lang === 'en' ? 'en' : undefined })}`;
  const file = `${obs.indicator.key}_${obs.layer.key}_${periodSlug(obs.period.key)}`;
  return (
    <section class="km-section" aria-labelledby="atlas-table-title">
      <div class="km-section__head">
        <h2 class="kern-heading-small" id="atlas-table-title">
          {t('atlas.table')}
        </h2>
        <div class="km-downloads" role="group" aria-label={t('atlas.download')}>
          <a
            class="kern-btn kern-btn--secondary kern-btn--x-small km-download"
            href={apiUrl(`${base}&format=csv`)}
            download={`${file}.csv`}
          >
            <span class="kern-icon kern-icon--download" aria-hidden="true" />
            <span class="kern-label">{t('atlas.csv')}</span>
          </a>
          <a
            class="kern-btn kern-btn--secondary kern-btn--x-small km-download"
            href={apiUrl(`${base}&format=xlsx`)}
            download={`${file}.xlsx`}
          >
            <span class="kern-icon kern-icon--download" aria-hidden="true" />
            <span class="kern-label">{t('atlas.xlsx')}</span>
          </a>
        </div>
      </div>
      <TextField
        id="atlas-q"
        class="km-filter"
        label={t('field.filter')}
        hint={t('field.filterHint')}
        type="search"
        value={q}
        onInput={(v) => navigate(withParams(route, { q: v }), { replace: true })}
      />
      <p class="km-muted no-print" role="status" aria-live="polite">
        {t('atlas.shown', { n: rows.length, total: obs.values.length })}
      </p>
      <DataTable
        id="atlas-table"
        caption={t('atlas.tableCaption', {
          indicator: obs.indicator.name,
          layer: dativePlural(obs.layer.name, lang),
          period: formatPeriod(obs.period.key, lang),
        })}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.area}
        sort={sort}
        onSort={(s) =>
          navigate(withParams(route, { sort: s.key === 'area' && s.dir === 'asc' ? null : formatSort(s) }), {
            replace: true,
          })
        }
        rowClass={(r) => (r.area === route.params.area ? 'km-row--selected' : undefined)}
        footer={
          <tr class="kern-table__row">
            <th scope="row" class="kern-table__header">
              {t('col.city')}
            </th>
            <td class="kern-table__cell km-cell--empty" />
            <td class="kern-table__cell kern-table__cell--numeric" data-label={columns[2].label}>
              <span class="km-cell">{formatCell(obs.city.value, obs.city.status, dec, inlineUnit(unit), lang)}</span>
            </td>
            <td class="kern-table__cell kern-table__cell--numeric" data-label={t('col.base')}>
              <span class="km-cell">{baseText(obs.city.base, lang)}</span>
            </td>
            <td class="kern-table__cell km-cell--empty" />
            <td class="kern-table__cell" data-label={t('col.status')}>
              <span class="km-cell">{statusText(t, obs.city.status)}</span>
            </td>
          </tr>
        }
      />
      <p class="km-muted km-unit-note">{formatValue(1, 0, unit, lang) && t('atlas.unit', { unit })}</p>
      <EstimateNote id="atlas-estimates" values={[...obs.values, obs.city]} />
    </section>
  );
}
