// Measures against need (issue #17): per area of a layer, the running measures of a field of
// action and target group on a date, their budget and budget per head, next to the need class;
// the gaps (high-need areas without a running measure) first, and the coverage as one figure.
// GET /api/measures/gaps?… (the same table as `kommunalmonitor measures gaps`), CSV download.
// The map shows the need (gaps, one, several measures) or, with `map=<indicator>`, any indicator
// as a choropleth with the number of running measures written on each area.
import { useMemo } from 'preact/hooks';
import { useApp } from '../context.ts';
import { navigate, withParams } from '../router.ts';
import { apiUrl, useApi, type IndicatorInfo, type LayerInfo, type VocabularyEntry, apiPath } from '../api.ts';
import { ChoroplethMap, type MapArea } from '../components/Map.tsx';
import type { Shape } from '../../../src/core/geo/draw.ts';
import { formatDate, formatNumber, formatPeriod, formatShare } from '../../../src/contracts/format.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { SelectField, TextField } from '../components/Fields.tsx';
import { ErrorBox, Loading, Notice } from '../components/States.tsx';
import { Legend } from '../components/Legend.tsx';
import { defaultLayer, spokenValue, themedIndicatorOptions, useToday } from './common.ts';
import { useChoropleth } from './Atlas.tsx';
import type { GapRow } from '../../../src/contracts/answers/index.ts';

/** Gap (high need, no running measure), one measure, several, and areas outside the high need. */
const MAP_COLORS = { gap: '#c0392b', one: '#9ecae1', more: '#2171b5', other: '#eeeeee' } as const;

export function MeasuresView() {
  const { t } = useApp();
  const layers = useApi(apiPath('GET /api/layers'));
  const vocab = useApi(apiPath('GET /api/measures/vocabulary'));
  const indicators = useApi(apiPath('GET /api/indicators'));
  return (
    <section class="km-view km-measures" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('meas.title')}
      </h1>
      <p class="km-intro">{t('meas.intro')}</p>
      {layers.error || vocab.error ? (
        <ErrorBox error={(layers.error ?? vocab.error)!} retry={layers.error ? layers.retry : vocab.retry} />
      ) : !layers.data || !vocab.data ? (
        <Loading />
      ) : !layers.data.layers.length ? (
        <Notice>{t('state.noData')}</Notice>
      ) : (
        <Body layers={layers.data.layers} vocab={vocab.data.entries} indicators={indicators.data?.indicators ?? []} />
      )}
    </section>
  );
}

/** The indicator's latest period on or before the date (else its latest): the map's stand. */
function periodOn(periods: string[], at: string): string | undefined {
  const before = periods.filter((p) => p <= at);
  return before[before.length - 1] ?? periods[periods.length - 1];
}

function Body({
  layers,
  vocab,
  indicators,
}: {
  layers: LayerInfo[];
  vocab: VocabularyEntry[];
  indicators: IndicatorInfo[];
}) {
  const { t, lang, route, href } = useApp();
  const P = route.params;
  const layer = layers.some((l) => l.key === P.layer) ? P.layer : (defaultLayer(layers)?.key ?? layers[0].key);
  const today = useToday();
  const at = /^\d{4}-\d{2}-\d{2}$/.test(P.at ?? '') ? P.at : today;
  const field = P.field ?? '';
  const group = P.group ?? '';
  const need = P.need ?? '';
  const classes = P.classes ?? '';
  const department = P.department ?? '';
  const status = P.status ?? '';
  const set = (patch: Record<string, string>) => navigate(withParams(route, patch), { replace: true });
  const title = (v: VocabularyEntry) => (lang === 'en' && v.titleEn ? v.titleEn : v.title);
  const query = { layer, at, field, targetGroup: group, need, classes, department, status };
  // The departments of the measures the reader may see (the department list itself needs sign-in).
  const listed = useApi(apiPath('GET /api/measures'));
  const departments = [
    ...new Map((listed.data?.measures ?? []).map((m) => [m.department, m.departmentName ?? m.department])).entries(),
  ].sort((a, b) => a[1].localeCompare(b[1], 'de'));
  const answer = useApi(apiPath('GET /api/measures/gaps', query));
  const geo = useApi(apiPath('GET /api/layers/:layer/areas', { layer, at }));
  const shapes: Shape[] = useMemo(
    () =>
      geo.data
        ? geo.data.features
            .filter((f) => f.geometry)
            .map((f) => ({ code: f.properties.code, name: f.properties.name, geometry: f.geometry, bbox: f.bbox }))
        : [],
    [geo.data],
  );
  const background = indicators.find((i) => i.key === P.map && i.periods.length);
  const bgPeriod = background ? periodOn(background.periods, at) : undefined;
  const bgObs = useApi(
    background ? apiPath('GET /api/observations', { indicator: background.key, layer, period: bgPeriod, at }) : null,
  );
  // Over an indicator, every area shows its running measures (not only the high-need ones).
  const allAreas = useApi(
    background ? apiPath('GET /api/measures/gaps', { layer, at, field, targetGroup: group, department, status }) : null,
  );
  const ch = useChoropleth(bgObs.data, { method: 'jenks', k: 5 });
  const mapAreas = useMemo(() => {
    const m = new Map<string, MapArea>();
    if (background) {
      if (!ch || !allAreas.data || !bgObs.data) return m;
      const running = new Map(allAreas.data.rows.map((r) => [r.code, r.runningMeasures]));
      for (const sh of shapes) {
        const a = ch.mapAreas.get(sh.code);
        const v = ch.byCode.get(sh.code);
        const n = running.get(sh.code) ?? 0;
        const value = v ? spokenValue(t, lang, v.value, v.status, ch.dec, bgObs.data.unit) : t('status.missing');
        m.set(sh.code, {
          code: sh.code,
          name: sh.name,
          color: a?.color ?? null,
          status: a?.status ?? 'missing',
          label: t('meas.mapOver.area', { name: sh.name, value, n }),
          mark: String(n),
        });
      }
      return m;
    }
    const rows = new Map((answer.data?.rows ?? []).map((r) => [r.code, r]));
    for (const sh of shapes) {
      const r = rows.get(sh.code);
      const cls = !r ? 'other' : r.runningMeasures === 0 ? 'gap' : r.runningMeasures === 1 ? 'one' : 'more';
      m.set(sh.code, {
        code: sh.code,
        name: sh.name,
        color: MAP_COLORS[cls],
        status: 'final',
        label: t(`meas.map.${cls}` as 'meas.map.gap', { name: sh.name, n: r?.runningMeasures ?? 0 }),
      });
    }
    return m;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shapes, answer.data, lang, background, ch, allAreas.data]);
  const euro = (cents: number) => `${formatNumber(cents / 100, 2, lang)}\u00a0€`;
  const columns: Column<GapRow>[] = [
    { key: 'code', label: t('meas.area'), render: (r) => r.code, sortValue: (r) => r.code },
    { key: 'name', label: t('meas.name'), rowHeader: true, render: (r) => r.name, sortValue: (r) => r.name },
    { key: 'need', label: t('meas.needClass'), render: (r) => r.needLabel ?? '–' },
    {
      key: 'running',
      label: t('meas.running'),
      numeric: true,
      render: (r) =>
        r.runningMeasures === 0 ? <strong>{t('meas.gap')}</strong> : formatNumber(r.runningMeasures, 0, lang),
      sortValue: (r) => r.runningMeasures,
    },
    {
      key: 'budget',
      label: t('meas.budget'),
      numeric: true,
      render: (r) => euro(r.budgetCents),
      sortValue: (r) => r.budgetCents,
    },
    {
      key: 'population',
      label: t('meas.population'),
      numeric: true,
      render: (r) => (r.targetPopulation === null ? '–' : formatNumber(r.targetPopulation, 0, lang)),
    },
    {
      key: 'perHead',
      label: t('meas.perHead'),
      numeric: true,
      render: (r) => (r.budgetPerHead === null ? '–' : `${formatNumber(r.budgetPerHead, 2, lang)}\u00a0€`),
    },
  ];
  return (
    <>
      <form class="km-form km-measures__filters" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="meas-layer"
          label={t('meas.layer')}
          value={layer}
          options={layers.map((l) => ({ value: l.key, label: l.name }))}
          onChange={(v) => set({ layer: v })}
        />
        <SelectField
          id="meas-field"
          label={t('meas.field')}
          value={field}
          options={[
            { value: '', label: t('meas.all') },
            ...vocab.filter((v) => v.kind === 'handlungsfeld').map((v) => ({ value: v.code, label: title(v) })),
          ]}
          onChange={(v) => set({ field: v })}
        />
        <SelectField
          id="meas-group"
          label={t('meas.group')}
          value={group}
          options={[
            { value: '', label: t('meas.all') },
            ...vocab.filter((v) => v.kind === 'zielgruppe').map((v) => ({ value: v.code, label: title(v) })),
          ]}
          onChange={(v) => set({ group: v })}
        />
        <SelectField
          id="meas-department"
          label={t('meas.department')}
          value={department}
          options={[{ value: '', label: t('meas.all') }, ...departments.map(([value, label]) => ({ value, label }))]}
          onChange={(v) => set({ department: v })}
        />
        <SelectField
          id="meas-status"
          label={t('meas.statusFilter')}
          value={status}
          options={[
            { value: '', label: t('meas.all') },
            ...(['geplant', 'laufend', 'abgeschlossen', 'abgebrochen'] as const).map((v) => ({
              value: v,
              label: t(`meas.status.${v}`),
            })),
          ]}
          onChange={(v) => set({ status: v })}
        />
        <TextField id="meas-at" label={t('meas.at')} type="date" value={at} onInput={(v) => set({ at: v })} />
        <TextField
          id="meas-need"
          label={t('meas.need')}
          hint={t('meas.needHint')}
          value={need}
          onInput={(v) => set({ need: v })}
        />
        <TextField
          id="meas-classes"
          label={t('meas.classes')}
          hint={t('meas.classesHint')}
          value={classes}
          onInput={(v) => set({ classes: v })}
        />
        <SelectField
          id="meas-map"
          label={t('meas.mapOver')}
          value={background?.key ?? ''}
          options={[
            { value: '', label: t('meas.mapOver.need') },
            ...themedIndicatorOptions(indicators.filter((i) => i.periods.length)),
          ]}
          onChange={(v) => set({ map: v })}
        />
      </form>
      {answer.error ? (
        <ErrorBox error={answer.error} retry={answer.retry} />
      ) : !answer.data ? (
        <Loading />
      ) : (
        <>
          <p class="km-measures__coverage" id="meas-coverage">
            {answer.data.coverage.share === null
              ? t('meas.coverageNone')
              : t('meas.coverage', {
                  share: formatShare(answer.data.coverage.share, lang),
                  reached: formatNumber(answer.data.coverage.reached, 0, lang),
                  population: formatNumber(answer.data.coverage.population, 0, lang),
                })}{' '}
            {t('meas.gaps', {
              n: answer.data.rows.filter((r) => r.runningMeasures === 0).length,
              areas: answer.data.rows.length,
            })}
          </p>
          {shapes.length > 0 && background ? (
            bgObs.error || allAreas.error ? (
              <ErrorBox error={(bgObs.error ?? allAreas.error)!} retry={bgObs.error ? bgObs.retry : allAreas.retry} />
            ) : !bgObs.data || !allAreas.data || !ch ? (
              <Loading />
            ) : (
              <div class="km-mapbox">
                <ChoroplethMap
                  shapes={shapes}
                  areas={mapAreas}
                  label={t('meas.mapOver.label', {
                    indicator: bgObs.data.indicator.name,
                    period: formatPeriod(bgObs.data.period.key, lang),
                    date: formatDate(at, lang),
                  })}
                  onOpen={(code) => navigate(href('profil', { layer, area: code }))}
                />
                <Legend
                  scheme={ch.scheme}
                  values={ch.values}
                  statuses={bgObs.data.values.map((v) => v.status)}
                  unit={bgObs.data.unit}
                  decimals={ch.dec}
                  city={bgObs.data.city.value}
                  polarity={bgObs.data.indicator.polarity}
                />
                <p class="km-muted" id="meas-map-note">
                  {t('meas.mapOver.note', {
                    indicator: bgObs.data.indicator.name,
                    source: bgObs.data.source ?? background.source ?? t('facts.noSource'),
                  })}
                </p>
              </div>
            )
          ) : shapes.length > 0 ? (
            <div class="km-mapbox">
              <ChoroplethMap
                shapes={shapes}
                areas={mapAreas}
                label={t('meas.mapLabel', { date: at })}
                onOpen={(code) => navigate(href('profil', { layer, area: code }))}
                symbols={false}
              />
              <ul class="km-measures__legend" aria-label={t('meas.legend')}>
                {(['gap', 'one', 'more', 'other'] as const).map((c) => (
                  <li key={c}>
                    <span
                      class="km-measures__swatch"
                      style={{
                        background: MAP_COLORS[c],
                        display: 'inline-block',
                        width: '1em',
                        height: '1em',
                        border: '1px solid #555',
                        marginRight: '0.4em',
                        verticalAlign: 'middle',
                      }}
                      aria-hidden="true"
                    />
                    {t(`meas.legend.${c}` as 'meas.legend.gap')}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <DataTable
            id="meas-table"
            caption={t('meas.caption', { date: at })}
            columns={columns}
            rows={answer.data.rows}
            rowKey={(r) => r.code}
            stack
          />
          <p>
            <a
              class="kern-link"
              href={apiUrl(`/api/measures/gaps${query}&format=csv`)}
              download="massnahmen-luecken.csv"
            >
              {t('meas.csv')}
            </a>
            {' · '}
            <a
              class="kern-link"
              href={apiUrl(`/api/measures/gaps${query}&format=xlsx`)}
              download="massnahmen-luecken.xlsx"
            >
              {t('meas.xlsx')}
            </a>
          </p>
        </>
      )}
    </>
  );
}
