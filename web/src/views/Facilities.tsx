// Facilities ("Einrichtungen", issue #6): a facility data set (e.g. day-care centres) as points
// over the areas of a layer, the areas shaded by supply (places per 100 of the need, places) or
// by need (e.g. children under 6), and two tables as the alternative to the map: supply versus
// need per area, and the facilities with provider, capacity and area. Data: GET /api/facilities/sets,
// /api/facilities (points; with layer+area those of one area), /api/observations (supply
// indicators <set>_anzahl / <set>_plaetze and the need indicator on the set's reference date).
import { useMemo, useState } from 'preact/hooks';
import '../styles/facilities.css';
import { useApp } from '../context.ts';
import { errorMessageIn } from '../lib/servertext.ts';
import { navigate, withParams } from '../router.ts';
import { useApi, type AreaCollection, type IndicatorInfo, type LayerInfo, type Observations, apiPath } from '../api.ts';
import { buildScheme, classOf } from '../../../src/core/stats/classify.ts';
import {
  formatCell,
  formatDate,
  formatNumber,
  formatPeriod,
  type Status,
  dativePlural,
} from '../../../src/contracts/format.ts';
import { matchesQuery, parseSort, formatSort } from '../lib/table.ts';
import { usePointRoving } from '../components/point-roving.ts';
import type { Drawing, Shape } from '../../../src/core/geo/draw.ts';
import {
  categoryStyle,
  defaultNeed,
  facilityRows,
  markerPath,
  needChoices,
  needFromParams,
  needToParams,
  supplyRows,
  supplyTotal,
  type FacilityCollection,
  type FacilityRow,
  type FacilitySet,
  type NeedRef,
  type SupplyRow,
} from '../lib/facilities.ts';
import { ChoroplethMap, type MapArea } from '../components/Map.tsx';
import { Legend } from '../components/Legend.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { SelectField, TextField, Button } from '../components/Fields.tsx';
import { WithCatalog } from '../components/Catalog.tsx';
import { ErrorBox, Loading, Notice } from '../components/States.tsx';
import { Link } from '../components/Link.tsx';
import { defaultLayer, spokenValue, statusText } from './common.ts';
import { dimensionLabel } from './Atlas.tsx';

type Shade = 'versorgung' | 'angebot' | 'bedarf';
const SHADES: Shade[] = ['versorgung', 'angebot', 'bedarf'];

export function FacilitiesView() {
  const { t } = useApp();
  const sets = useApi(apiPath('GET /api/facilities/sets'));
  return (
    <section class="km-view km-facilities" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('fac.title')}
      </h1>
      <p class="km-intro">{t('fac.intro')}</p>
      {sets.error ? (
        <ErrorBox error={sets.error} retry={sets.retry} />
      ) : !sets.data ? (
        <Loading />
      ) : !sets.data.sets.length ? (
        <Notice>{t('fac.noSets')}</Notice>
      ) : (
        <WithCatalog>
          {(layers, indicators) => <Body sets={sets.data!.sets} layers={layers} indicators={indicators} />}
        </WithCatalog>
      )}
    </section>
  );
}

/** The need's period: the set's period when the need has data then, else the latest one before it (or the latest). */
function needPeriod(
  ind: IndicatorInfo | undefined,
  period: string | null,
  referenceDate: string | null,
): string | null {
  if (!ind || !ind.periods.length) return null;
  if (period && ind.periods.includes(period)) return period;
  const before = referenceDate ? ind.periods.filter((p) => p <= referenceDate) : [];
  return before[before.length - 1] ?? ind.periods[ind.periods.length - 1];
}

function Body({ sets, layers, indicators }: { sets: FacilitySet[]; layers: LayerInfo[]; indicators: IndicatorInfo[] }) {
  const { t, lang, route, href } = useApp();
  const P = route.params;
  const set = sets.find((s) => s.key === P.set) ?? sets[0];
  const category = set.categories.some((c) => c.key === P.category) ? P.category : '';
  const countInd = indicators.find((i) => i.key === set.indicators.count);
  const placesInd = set.indicators.places ? indicators.find((i) => i.key === set.indicators.places) : undefined;
  const withData = countInd?.layers?.length ? countInd.layers : set.layers;
  const layerChoices = layers.filter((l) => withData.includes(l.key));
  const layer =
    layerChoices.find((l) => l.key === P.layer) ?? defaultLayer(layerChoices) ?? layerChoices[0] ?? layers[0];
  const choices = needChoices(indicators, sets);
  const fromUrl = needFromParams(P);
  const need: NeedRef | null =
    fromUrl && choices.some((i) => i.key === fromUrl.indicator) ? fromUrl : defaultNeed(choices);
  const needInd = need ? indicators.find((i) => i.key === need.indicator) : undefined;
  const needDetail = useApi(
    needInd?.dimensions.length ? apiPath('GET /api/indicators/:key', { key: needInd.key }) : null,
  );
  const shade: Shade = SHADES.includes(P.karte as Shade) ? (P.karte as Shade) : 'versorgung';
  const period = set.period;
  const nPeriod = needPeriod(needInd, period, set.referenceDate);
  const supplyFilter = category && set.indicators.dimension ? { [set.indicators.dimension]: category } : {};
  const obsUrl = (indicator: string | null | undefined, per: string | null, filter: Record<string, string>) =>
    indicator && per ? apiPath('GET /api/observations', { indicator, layer: layer.key, period: per, ...filter }) : null;
  const counts = useApi(obsUrl(set.indicators.count, period, supplyFilter));
  const places = useApi(placesInd ? obsUrl(set.indicators.places, period, supplyFilter) : null);
  const needObs = useApi(need ? obsUrl(need.indicator, nPeriod, need.filter) : null);
  const areas = useApi(
    apiPath('GET /api/layers/:layer/areas', { layer: layer.key, at: set.referenceDate ?? undefined }),
  );
  const points = useApi(apiPath('GET /api/facilities', { set: set.key, category: category || undefined }));
  const areaCode = P.area && areas.data?.features.some((f) => f.properties.code === P.area) ? P.area : '';
  const inArea = useApi(
    areaCode
      ? apiPath('GET /api/facilities', {
          set: set.key,
          category: category || undefined,
          layer: layer.key,
          area: areaCode,
        })
      : null,
  );

  const set_ = (patch: Record<string, string | null>) => navigate(withParams(route, patch));
  const reset = { area: null, zoom: null, q: null };
  const needLabel = needInd
    ? `${needInd.name}${
        need && Object.keys(need.filter).length
          ? ` (${Object.entries(need.filter)
              .map(([d, m]) => needDetail.data?.dimensionMembers[d]?.find((x) => x.key === m)?.name ?? m)
              .join(', ')})`
          : ''
      }`
    : t('fac.noNeed');

  return (
    <div class="km-atlas__layout">
      <form class="km-panel km-controls no-print" aria-labelledby="fac-controls" onSubmit={(e) => e.preventDefault()}>
        <h2 class="kern-heading-small" id="fac-controls">
          {t('atlas.controls')}
        </h2>
        <SelectField
          id="fac-set"
          label={t('fac.set')}
          value={set.key}
          options={sets.map((s) => ({ value: s.key, label: `${s.name} (${formatNumber(s.facilities, 0, lang)})` }))}
          onChange={(v) => set_({ set: v, category: null, ...reset })}
        />
        {set.categories.length > 0 && (
          <SelectField
            id="fac-category"
            label={t('fac.category')}
            value={category}
            options={[
              { value: '', label: t('fac.allCategories') },
              ...set.categories.map((c) => ({
                value: c.key,
                label: `${c.name} (${formatNumber(c.facilities, 0, lang)})`,
              })),
            ]}
            onChange={(v) => set_({ category: v, q: null })}
          />
        )}
        <SelectField
          id="fac-layer"
          label={t('field.layer')}
          value={layer.key}
          options={layerChoices.map((l) => ({ value: l.key, label: l.name }))}
          onChange={(v) => set_({ layer: v, ...reset })}
        />
        <SelectField
          id="fac-need"
          label={t('fac.need')}
          hint={t('fac.needHint')}
          value={need?.indicator ?? ''}
          options={choices.map((i) => ({ value: i.key, label: i.name }))}
          onChange={(v) => {
            const next = indicators.find((i) => i.key === v);
            set_(
              needToParams(
                {
                  indicator: v,
                  filter:
                    next?.dimensions.includes('altersgruppe') && v === 'einwohner' ? { altersgruppe: 'unter6' } : {},
                },
                P,
              ),
            );
          }}
        />
        {needInd?.dimensions.map((d) => (
          <SelectField
            key={d}
            id={`fac-need-${d}`}
            label={dimensionLabel(d)}
            value={need?.filter[d] ?? ''}
            options={[
              { value: '', label: t('field.all') },
              ...(needDetail.data?.dimensionMembers[d] ?? []).map((m) => ({ value: m.key, label: m.name })),
            ]}
            onChange={(v) => set_({ [`need_${d}`]: v || null })}
            disabled={!needDetail.data}
          />
        ))}
        {areas.data && (
          <SelectField
            id="fac-area"
            label={t('fac.area')}
            value={areaCode}
            options={[
              { value: '', label: t('fac.allAreas') },
              ...areas.data.features.map((f) => ({
                value: f.properties.code,
                label: `${f.properties.name} (${f.properties.code})`,
              })),
            ]}
            onChange={(v) => set_({ area: v || null, q: null })}
          />
        )}
        <p class="km-muted">
          {t('fac.setMeta', { date: formatDate(set.referenceDate, lang), n: formatNumber(set.facilities, 0, lang) })}
          {set.capacity !== null && ` · ${t('fac.setPlaces', { n: formatNumber(set.capacity, 0, lang) })}`}
        </p>
      </form>
      <div class="km-atlas__main">
        {counts.error ? (
          <ErrorBox error={counts.error} retry={counts.retry} />
        ) : places.error ? (
          <ErrorBox error={places.error} retry={places.retry} />
        ) : areas.error ? (
          <ErrorBox error={areas.error} retry={areas.retry} />
        ) : points.error ? (
          <ErrorBox error={points.error} retry={points.retry} />
        ) : !counts.data ||
          (placesInd && !places.data) ||
          !areas.data ||
          !points.data ||
          (need && nPeriod && !needObs.data && !needObs.error) ? (
          <Loading />
        ) : (
          <Result
            set={set}
            layer={layer}
            areas={areas.data}
            counts={counts.data}
            places={placesInd ? (places.data ?? null) : null}
            need={needObs.error ? null : (needObs.data ?? null)}
            needError={needObs.error ? errorMessageIn(needObs.error, lang) : undefined}
            needLabel={needLabel}
            needPeriod={nPeriod}
            points={points.data}
            inArea={areaCode ? (inArea.data ?? null) : null}
            areaCode={areaCode}
            shade={shade}
            stale={counts.loading || places.loading || needObs.loading || points.loading || areas.loading}
            onArea={(code) => set_({ area: code === areaCode ? null : code, q: null })}
            profileHref={(code) => href('profil', { layer: layer.key, area: code })}
          />
        )}
      </div>
    </div>
  );
}

interface ResultProps {
  set: FacilitySet;
  layer: LayerInfo;
  areas: AreaCollection;
  counts: Observations;
  places: Observations | null;
  need: Observations | null;
  needError?: string;
  needLabel: string;
  needPeriod: string | null;
  points: FacilityCollection;
  inArea: FacilityCollection | null;
  areaCode: string;
  shade: Shade;
  stale: boolean;
  onArea: (code: string) => void;
  profileHref: (code: string) => string;
}

function Result(p: ResultProps) {
  const { t, lang, route } = useApp();
  const [selected, setSelected] = useState<number | null>(null);
  const shapes: Shape[] = useMemo(
    () =>
      p.areas.features.map((f) => ({
        code: f.properties.code,
        name: f.properties.name,
        geometry: f.geometry,
        bbox: f.bbox,
      })),
    [p.areas],
  );
  const names = useMemo(() => new Map(p.areas.features.map((f) => [f.properties.code, f.properties.name])), [p.areas]);
  const rows = useMemo(
    () =>
      supplyRows(
        p.areas.features.map((f) => ({ code: f.properties.code, name: f.properties.name })),
        p.counts.values,
        p.places?.values ?? null,
        p.need?.values ?? null,
      ),
    [p.areas, p.counts, p.places, p.need],
  );
  const total = supplyTotal(rows);
  const allFacilities = useMemo(
    () => facilityRows(p.points.features, p.layer.key, names, t('fac.unnamed')),
    [p.points, p.layer.key, names],
  );
  const listed = p.inArea ? facilityRows(p.inArea.features, p.layer.key, names, t('fac.unnamed')) : allFacilities;
  const withPlaces = p.places !== null;
  const ratioUnit = withPlaces ? t('fac.perHundred') : t('fac.facilitiesPerHundred');
  const measure = (r: SupplyRow): { value: number | null; status: Status } =>
    p.shade === 'bedarf'
      ? { value: r.need, status: r.needStatus }
      : p.shade === 'angebot'
        ? withPlaces
          ? { value: r.places, status: r.placesStatus }
          : { value: r.facilities, status: r.facilities === null ? 'missing' : 'final' }
        : { value: r.ratio, status: r.ratioStatus };
  const shadeUnit =
    p.shade === 'bedarf'
      ? (p.need?.unit ?? '')
      : p.shade === 'angebot'
        ? withPlaces
          ? (p.places?.unit ?? '')
          : (p.counts.unit ?? '')
        : ratioUnit;
  const shadeDec = p.shade === 'versorgung' ? 1 : 0;
  const values = rows
    .map((r) => measure(r))
    .filter((m) => m.value !== null)
    .map((m) => m.value as number);
  const scheme = buildScheme(values, {
    method: 'jenks',
    k: Math.min(5, Math.max(1, new Set(values).size)),
    polarity: p.shade === 'versorgung' ? 'higher_is_better' : 'neutral',
    center: p.shade === 'versorgung' ? total.ratio : null,
  });
  const mapAreas = useMemo(() => {
    const m = new Map<string, MapArea>();
    for (const r of rows) {
      const v = measure(r);
      const has = v.value !== null && (v.status === 'final' || v.status === 'provisional' || v.status === 'estimated');
      const facilities = r.facilities === null ? '…' : formatNumber(r.facilities, 0, lang);
      m.set(r.code, {
        code: r.code,
        name: r.name,
        color: has ? scheme.colors[classOf(v.value as number, scheme.breaks)] : null,
        status: has ? v.status : v.status === 'final' ? 'missing' : v.status,
        label: t('fac.areaLabel', {
          name: r.name,
          value: spokenValue(t, lang, v.value, v.status, shadeDec, shadeUnit),
          n: facilities,
        }),
      });
    }
    return m;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, p.shade, lang, scheme]);
  const byCode = useMemo(() => new Map(rows.map((r) => [r.code, r])), [rows]);
  const cell = (v: number | null, s: Status, dec: number) => formatCell(v, s, dec, null, lang);
  const tooltip = (code: string) => {
    const r = byCode.get(code);
    if (!r) return null;
    return (
      <>
        <strong>{r.name}</strong> <span class="km-muted">({r.code})</span>
        <dl class="km-tooltip__dl">
          <dt>{t('fac.col.facilities')}</dt>
          <dd>{r.facilities === null ? '…' : formatNumber(r.facilities, 0, lang)}</dd>
          {withPlaces && (
            <>
              <dt>{t('fac.col.places')}</dt>
              <dd>{cell(r.places, r.placesStatus, 0)}</dd>
            </>
          )}
          <dt>{p.needLabel}</dt>
          <dd>{cell(r.need, r.needStatus, 0)}</dd>
          <dt>{ratioUnit}</dt>
          <dd>
            <strong>{cell(r.ratio, r.ratioStatus, 1)}</strong>
          </dd>
        </dl>
      </>
    );
  };
  const chosen = selected !== null ? allFacilities.find((f) => f.id === selected) : undefined;
  const sort = parseSort(route.params.sort, ['name', 'facilities', 'places', 'need', 'ratio'], {
    key: 'ratio',
    dir: 'asc',
  });
  const supplyColumns: Column<SupplyRow>[] = [
    {
      key: 'name',
      label: p.layer.name,
      rowHeader: true,
      sortValue: (r) => r.name,
      render: (r) => <Link href={p.profileHref(r.code)}>{r.name}</Link>,
    },
    {
      key: 'facilities',
      label: t('fac.col.facilities'),
      numeric: true,
      sortValue: (r) => r.facilities,
      render: (r) => (r.facilities === null ? '…' : formatNumber(r.facilities, 0, lang)),
    },
    ...(withPlaces
      ? [
          {
            key: 'places',
            label: t('fac.col.places'),
            numeric: true,
            sortValue: (r: SupplyRow) => r.places,
            render: (r: SupplyRow) => (
              <span title={r.placesStatus !== 'final' ? statusText(t, r.placesStatus) : undefined}>
                {cell(r.places, r.placesStatus, 0)}
              </span>
            ),
          },
        ]
      : []),
    {
      key: 'need',
      label: p.needLabel,
      numeric: true,
      sortValue: (r) => r.need,
      render: (r) => cell(r.need, r.needStatus, 0),
    },
    {
      key: 'ratio',
      label: ratioUnit,
      numeric: true,
      sortValue: (r) => r.ratio,
      render: (r) => {
        const c = mapAreas.get(r.code)?.color;
        return (
          <span class="km-areacell" title={r.ratioStatus !== 'final' ? statusText(t, r.ratioStatus) : undefined}>
            {p.shade === 'versorgung' && c && (
              <span class="km-swatch km-swatch--small" style={{ background: c }} aria-hidden="true" />
            )}
            {cell(r.ratio, r.ratioStatus, 1)}
          </span>
        );
      },
    },
  ];
  const q = route.params.q ?? '';
  const fsort = parseSort(route.params.fsort, ['name', 'category', 'capacity', 'area'], { key: 'name', dir: 'asc' });
  const shown = listed.filter((f) => matchesQuery(q, [f.name, f.category, f.areaName, f.area ?? '']));
  const facilityColumns: Column<FacilityRow>[] = [
    {
      key: 'name',
      label: t('fac.col.name'),
      rowHeader: true,
      sortValue: (f) => f.name,
      render: (f) => (
        <button
          type="button"
          class="km-linkbutton"
          aria-pressed={selected === f.id}
          onClick={() => setSelected(selected === f.id ? null : f.id)}
        >
          {f.name}
        </button>
      ),
    },
    {
      key: 'category',
      label: t('fac.col.category'),
      sortValue: (f) => f.category,
      render: (f) => (
        <span class="km-areacell">
          <Marker set={p.set} category={f.categoryKey} />
          {f.category || '–'}
        </span>
      ),
    },
    {
      key: 'capacity',
      label: t('fac.col.capacity'),
      numeric: true,
      sortValue: (f) => f.capacity,
      render: (f) => (f.capacity === null ? '…' : formatNumber(f.capacity, 0, lang)),
    },
    {
      key: 'area',
      label: p.layer.name,
      sortValue: (f) => f.areaName,
      render: (f) => (f.area ? `${f.areaName} (${f.area})` : '–'),
    },
  ];
  const areaName = p.areaCode ? (names.get(p.areaCode) ?? p.areaCode) : '';
  const shadeLabel = {
    versorgung: ratioUnit,
    angebot: withPlaces ? t('fac.col.places') : t('fac.col.facilities'),
    bedarf: p.needLabel,
  }[p.shade];
  return (
    <div class={p.stale ? 'km-stale' : undefined} aria-busy={p.stale ? 'true' : undefined}>
      <header class="km-result-head">
        <h2 class="kern-heading-medium km-result-head__title">
          {p.set.name} · {p.layer.name}
        </h2>
        <p class="km-result-head__meta">
          <span>{t('fac.referenceDate', { date: formatPeriod(p.set.period, lang) })}</span>
          {p.needPeriod && p.needPeriod !== p.set.period && (
            <span> · {t('fac.needOtherPeriod', { period: formatPeriod(p.needPeriod, lang) })}</span>
          )}
        </p>
      </header>
      {p.needError && <Notice kind="warning">{t('fac.needUnavailable', { message: p.needError })}</Notice>}
      <ul class="km-supply-summary" aria-label={t('fac.summary')}>
        <li>
          {t('fac.col.facilities')}
          <span class="km-supply-summary__value">{formatNumber(total.facilities, 0, lang)}</span>
        </li>
        {withPlaces && (
          <li>
            {t('fac.col.places')}
            <span class="km-supply-summary__value">
              {total.places === null ? '…' : formatNumber(total.places, 0, lang)}
            </span>
          </li>
        )}
        <li>
          {p.needLabel}
          <span class="km-supply-summary__value">{total.need === null ? '…' : formatNumber(total.need, 0, lang)}</span>
        </li>
        <li>
          {ratioUnit}
          <span class="km-supply-summary__value" id="fac-total-ratio">
            {total.ratio === null ? '…' : formatNumber(total.ratio, 1, lang)}
          </span>
        </li>
      </ul>
      <div class="km-section__head">
        <h3 class="kern-heading-small">{t('fac.mapTitle', { shade: shadeLabel })}</h3>
        <div class="km-toggle" role="group" aria-label={t('fac.shade')}>
          {SHADES.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={p.shade === s}
              onClick={() => navigate(withParams(route, { karte: s === 'versorgung' ? null : s }), { replace: true })}
            >
              {t(`fac.shade.${s}` as 'fac.shade.versorgung')}
            </button>
          ))}
        </div>
      </div>
      <div class="km-mapbox">
        <div>
          <ChoroplethMap
            shapes={shapes}
            areas={mapAreas}
            selected={p.areaCode || null}
            label={t('fac.mapLabel', { set: p.set.name, layer: dativePlural(p.layer.name, lang), shade: shadeLabel })}
            tooltip={tooltip}
            onOpen={p.onArea}
            keyboardHelp={t('fac.mapKeyboard')}
            zoom={route.params.zoom}
            onZoom={(z) => navigate(withParams(route, { zoom: z }), { replace: true })}
            overlay={(d) => (
              <FacilityPoints drawing={d} set={p.set} rows={allFacilities} selected={selected} onSelect={setSelected} />
            )}
          />
          <div class="km-facility-detail" role="status" aria-live="polite" id="fac-detail">
            {chosen ? (
              <>
                <strong>{chosen.name}</strong>
                <dl>
                  <dt>{t('fac.col.category')}</dt>
                  <dd>{chosen.category || '–'}</dd>
                  <dt>{t('fac.col.capacity')}</dt>
                  <dd>{chosen.capacity === null ? '…' : formatNumber(chosen.capacity, 0, lang)}</dd>
                  <dt>{p.layer.name}</dt>
                  <dd>{chosen.area ? `${chosen.areaName} (${chosen.area})` : '–'}</dd>
                </dl>
              </>
            ) : (
              <span class="km-muted">{t('fac.pointHelp')}</span>
            )}
          </div>
        </div>
        <div>
          <Legend
            scheme={scheme}
            values={values}
            statuses={rows.map((r) => measure(r).status)}
            unit={shadeUnit}
            decimals={shadeDec}
            city={p.shade === 'versorgung' ? total.ratio : null}
            polarity={p.shade === 'versorgung' ? 'higher_is_better' : 'neutral'}
            title={shadeLabel}
          />
          <h3 class="kern-title kern-title--small">{t('fac.pointsLegend')}</h3>
          <ul class="km-facility-legend">
            {(p.set.categories.length
              ? p.set.categories
              : [{ key: '', name: p.set.name, facilities: p.set.facilities, capacity: null }]
            ).map((c) => (
              <li key={c.key}>
                <Marker set={p.set} category={c.key} />
                {c.name}
              </li>
            ))}
          </ul>
        </div>
      </div>
      <section class="km-section" aria-labelledby="fac-supply-h">
        <div class="km-section__head">
          <h3 class="kern-heading-small" id="fac-supply-h">
            {t('fac.supplyTable', { layer: p.layer.name })}
          </h3>
        </div>
        <p class="km-muted">{t('fac.supplyNote', { need: p.needLabel })}</p>
        <DataTable
          id="fac-supply"
          caption={t('fac.supplyCaption', { set: p.set.name, layer: p.layer.name, need: p.needLabel })}
          columns={supplyColumns}
          rows={rows}
          rowKey={(r) => r.code}
          rowClass={(r) => (r.code === p.areaCode ? 'km-row--selected' : undefined)}
          sort={sort}
          onSort={(s) =>
            navigate(withParams(route, { sort: s.key === 'ratio' && s.dir === 'asc' ? null : formatSort(s) }), {
              replace: true,
            })
          }
          footer={
            <tr class="kern-table__row km-total">
              <th scope="row" class="kern-table__header">
                {t('fac.total')}
              </th>
              <td class="kern-table__cell kern-table__cell--numeric">{formatNumber(total.facilities, 0, lang)}</td>
              {withPlaces && (
                <td class="kern-table__cell kern-table__cell--numeric">
                  {total.places === null ? '…' : formatNumber(total.places, 0, lang)}
                </td>
              )}
              <td class="kern-table__cell kern-table__cell--numeric">
                {total.need === null ? '…' : formatNumber(total.need, 0, lang)}
              </td>
              <td class="kern-table__cell kern-table__cell--numeric">
                {total.ratio === null ? '…' : formatNumber(total.ratio, 1, lang)}
              </td>
            </tr>
          }
        />
      </section>
      <section class="km-section" aria-labelledby="fac-list-h">
        <div class="km-section__head">
          <h3 class="kern-heading-small" id="fac-list-h">
            {p.areaCode ? t('fac.listIn', { area: areaName }) : t('fac.list')}
          </h3>
          {p.areaCode && (
            <Button small kind="secondary" onClick={() => p.onArea(p.areaCode)}>
              {t('fac.allAreas')}
            </Button>
          )}
        </div>
        <TextField
          id="fac-q"
          class="km-filter"
          label={t('field.filter')}
          hint={t('fac.filterHint')}
          type="search"
          value={q}
          onInput={(x) => navigate(withParams(route, { q: x }), { replace: true })}
        />
        <p class="km-muted" role="status" aria-live="polite">
          {p.areaCode && !p.inArea
            ? t('state.loading')
            : t('fac.shown', { n: formatNumber(shown.length, 0, lang), total: formatNumber(listed.length, 0, lang) })}
        </p>
        <DataTable
          id="fac-table"
          caption={t('fac.listCaption', { set: p.set.name })}
          columns={facilityColumns}
          rows={shown}
          rowKey={(f) => String(f.id)}
          rowClass={(f) => (f.id === selected ? 'km-facility-row--selected' : undefined)}
          sort={fsort}
          onSort={(s) =>
            navigate(withParams(route, { fsort: s.key === 'name' && s.dir === 'asc' ? null : formatSort(s) }), {
              replace: true,
            })
          }
        />
      </section>
    </div>
  );
}

/** A small marker of a category (shape and colour) for legends and tables. */
function Marker({ set, category }: { set: FacilitySet; category: string }) {
  const st = categoryStyle(set.categories, category);
  return (
    <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
      <path d={markerPath(st.shape, 7, 7, 5)} fill={st.color} stroke="#fff" stroke-width="1" />
    </svg>
  );
}

/**
 * The facility points on the map: one tab stop for all of them (the arrow keys move to the nearest
 * point in that direction, Home/End to the first/last, Enter or Space selects, Escape clears).
 */
function FacilityPoints({
  drawing,
  set,
  rows,
  selected,
  onSelect,
}: {
  drawing: Drawing;
  set: FacilitySet;
  rows: FacilityRow[];
  selected: number | null;
  onSelect: (id: number | null) => void;
}) {
  const { t, lang } = useApp();
  const pts = useMemo(
    () =>
      rows.map((f) => {
        const [cx, cy] = drawing.point(f.lon, f.lat);
        return { f, code: String(f.id), cx, cy };
      }),
    [rows, drawing],
  );
  const { tabId, onKeyDown, onPointClick } = usePointRoving(pts, 'facility', selected, onSelect);
  if (!pts.length) return null;
  const label = (f: FacilityRow) =>
    t('fac.pointLabel', {
      name: f.name,
      category: f.category || '–',
      capacity: f.capacity === null ? '…' : formatNumber(f.capacity, 0, lang),
      area: f.areaName || '–',
    });
  return (
    <g
      class="km-facilities__points"
      role="group"
      aria-label={t('fac.pointsLabel', { n: formatNumber(pts.length, 0, lang), set: set.name })}
      onKeyDown={onKeyDown}
    >
      {pts.map(({ f, cx, cy }) => {
        const st = categoryStyle(set.categories, f.categoryKey);
        return (
          <g key={f.id} transform={`translate(${Math.round(cx * 10) / 10},${Math.round(cy * 10) / 10})`}>
            {f.id === selected && <circle r="9" class="km-facility-halo" aria-hidden="true" />}
            <path
              d={markerPath(st.shape, 0, 0, 5)}
              fill={st.color}
              class={`km-facility ${f.id === selected ? 'km-facility--selected' : ''}`}
              data-facility={f.id}
              role="button"
              tabindex={f.id === tabId ? 0 : -1}
              aria-label={label(f)}
              aria-pressed={f.id === selected ? 'true' : 'false'}
              onClick={(e) => {
                e.stopPropagation();
                onPointClick(f.id);
              }}
            />
          </g>
        );
      })}
    </g>
  );
}
