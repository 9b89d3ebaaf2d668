// Kommunalvergleich (/kommunalvergleich): this municipality beside up to ten others on standard
// indicators over time, similar municipalities by the standardised distance, and a ranking with
// this municipality marked (by a text and a mark, not by colour alone). Every value is shown with
// its unit and status symbol, in German number formats by default.
import { useApp } from '../../context.ts';
import { navigate, withParams, listParam, joinList } from '../../router.ts';
import { useApi, type ApiError, apiPath } from '../../api.ts';
import { formatCell, formatDate, formatNumber, inlineUnit, hasValue } from '../../../../src/contracts/format.ts';
import { ErrorBox, Loading, Notice } from '../../components/States.tsx';
import { SelectField, Button } from '../../components/Fields.tsx';
import { PlotFigure } from '../../components/Plot.tsx';
import { TableScroll } from '../../components/TableScroll.tsx';
import { SERIES_COLORS } from '../TimeSeries.tsx';
import { statusText } from '../common.ts';
import { MAX_OTHERS, tableOf, toggle } from './logic.ts';
import type {
  CompareAnswer,
  MunicipalitiesAnswer,
  StandardIndicator,
  StandardsAnswer,
} from '../../../../src/contracts/answers/index.ts';

const SYMBOLS = ['circle', 'square', 'triangle', 'diamond', 'star', 'cross', 'wye', 'times'];

export function ComparisonView() {
  const { t } = useApp();
  const standards = useApi(apiPath('GET /api/comparison/standards'));
  const municipalities = useApi(apiPath('GET /api/comparison/municipalities'));
  const error = standards.error ?? municipalities.error;
  return (
    <section class="km-view km-kv" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('kv.title')}
      </h1>
      <p>{t('kv.intro')}</p>
      {error ? (
        <Unavailable error={error} retry={() => (standards.retry(), municipalities.retry())} />
      ) : !standards.data || !municipalities.data ? (
        <Loading />
      ) : (
        <Body standards={standards.data.standards} municipalities={municipalities.data} />
      )}
    </section>
  );
}

function Unavailable({ error, retry }: { error: ApiError; retry: () => void }) {
  const { t } = useApp();
  if (error.status === 404) return <Notice title={t('kv.unavailableTitle')}>{t('kv.unavailable')}</Notice>;
  return <ErrorBox error={error} retry={retry} />;
}

function nameOf(s: StandardIndicator, lang: string): string {
  return lang === 'en' ? s.nameEn : s.nameDe;
}

function Body({
  standards,
  municipalities,
}: {
  standards: StandardsAnswer['standards'];
  municipalities: MunicipalitiesAnswer;
}) {
  const { t, lang, route } = useApp();
  const P = route.params;
  const own = municipalities.municipalities.find((m) => m.own);
  const others = municipalities.municipalities.filter((m) => !m.own);
  const published = standards.filter((s) => s.municipalities > 0);
  const chosen = listParam(P.with)
    .filter((k) => others.some((m) => m.key === k))
    .slice(0, MAX_OTHERS);
  const fallback = published
    .filter((s) => own?.standards.includes(s.key))
    .slice(0, 2)
    .map((s) => s.key);
  const indicators = (P.indicators ? listParam(P.indicators) : fallback)
    .filter((k) => published.some((s) => s.key === k))
    .slice(0, 12);
  const set = (patch: Record<string, string | null>) => navigate(withParams(route, patch));
  if (!published.length) return <Notice>{t('kv.nothingPublished')}</Notice>;
  return (
    <>
      {!own && <Notice kind="warning">{t('kv.ownNotPublished')}</Notice>}
      <form class="km-panel" onSubmit={(e) => e.preventDefault()}>
        <fieldset class="kern-fieldset km-fieldset">
          <legend class="kern-label">{t('kv.chooseMunicipalities', { n: MAX_OTHERS })}</legend>
          <p class="km-muted" id="kv-with-hint">
            {t('kv.chosen', { n: chosen.length, max: MAX_OTHERS })}
          </p>
          <div class="km-checkgrid">
            {others.map((m) => {
              const on = chosen.includes(m.key);
              return (
                <label key={m.key} class="km-check">
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={!on && chosen.length >= MAX_OTHERS}
                    aria-describedby="kv-with-hint"
                    onChange={() => set({ with: joinList(toggle(chosen, m.key, MAX_OTHERS)) || null })}
                  />
                  <span>{m.name}</span>
                </label>
              );
            })}
            {!others.length && <p>{t('kv.noOthers')}</p>}
          </div>
        </fieldset>
        <fieldset class="kern-fieldset km-fieldset">
          <legend class="kern-label">{t('kv.chooseIndicators')}</legend>
          <div class="km-checkgrid">
            {published.map((s) => (
              <label key={s.key} class="km-check">
                <input
                  type="checkbox"
                  checked={indicators.includes(s.key)}
                  onChange={() => set({ indicators: joinList(toggle(indicators, s.key, 12)) || '-' })}
                />
                <span>
                  {nameOf(s, lang)} ({s.unit})
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      </form>
      {indicators.length === 0 ? (
        <Notice>{t('kv.noIndicators')}</Notice>
      ) : (
        <Series with={chosen} indicators={indicators} />
      )}
      {own && indicators.length > 0 && (
        <Similar
          indicators={indicators}
          chosen={chosen}
          onAdd={(k) => set({ with: joinList(toggle(chosen, k, MAX_OTHERS)) })}
        />
      )}
      <Ranking standards={published} initial={indicators[0]} />
    </>
  );
}

function Series({ with: others, indicators }: { with: string[]; indicators: string[] }) {
  const { t } = useApp();
  const r = useApi(
    apiPath('GET /api/comparison/compare', { with: others.join(',') || undefined, indicators: indicators.join(',') }),
  );
  if (r.error) return <ErrorBox error={r.error} retry={r.retry} />;
  if (!r.data) return <Loading />;
  const data = r.data;
  return (
    <div class={r.loading ? 'km-stale' : undefined}>
      <h2 class="kern-heading-medium">{t('kv.seriesTitle')}</h2>
      {data.standards.map((s) => (
        <SeriesChart key={s.key} answer={data} standard={s} />
      ))}
    </div>
  );
}

function SeriesChart({ answer, standard }: { answer: CompareAnswer; standard: StandardIndicator }) {
  const { t, lang } = useApp();
  const { dates, rows } = tableOf(answer, standard.key);
  const label = (m: { name: string; own: boolean }) => (m.own ? `${m.name} (${t('kv.own')})` : m.name);
  const names = answer.municipalities.map(label);
  const points = rows.flatMap((m, i) =>
    m.points.flatMap((p) =>
      p && p.value !== null && hasValue(p.status)
        ? [
            {
              series: names[i],
              own: m.own,
              date: new Date(`${p.referenceDate}T00:00:00Z`),
              value: p.value,
              status: p.status,
            },
          ]
        : [],
    ),
  );
  const title = `${nameOf(standard, lang)} (${standard.unit})`;
  const yearEnds = dates.every((d) => d.endsWith('-12-31'));
  const id = `kv-${standard.key}`;
  return (
    <section aria-labelledby={id} class="km-kv__series">
      <h3 class="kern-heading-small" id={id}>
        {title}
      </h3>
      <p class="km-muted">
        {standard.definition} {t('kv.basis', { basis: standard.basis })}
      </p>
      {points.length > 0 && (
        <div role="img" aria-label={t('kv.chartLabel', { indicator: title, names: names.join(', ') })}>
          <PlotFigure
            deps={[answer, lang, standard.key]}
            build={(Plot, width) =>
              Plot.plot({
                width,
                height: width < 600 ? 300 : 380,
                marginLeft: 64,
                style: { fontSize: '13px', fontFamily: 'inherit' },
                // Ticks at the reference dates themselves: year-end dates read as years.
                x: {
                  type: 'utc',
                  label: null,
                  ticks: tickDates(dates, width),
                  tickFormat: (d: Date) =>
                    yearEnds ? String(d.getUTCFullYear()) : formatDate(d.toISOString().slice(0, 10), lang),
                },
                y: {
                  grid: true,
                  label: standard.unit,
                  zero: standard.type !== 'value',
                  tickFormat: (v: number) => formatNumber(v, null, lang),
                },
                color: { domain: names, range: names.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]) },
                symbol: { domain: names, range: names.map((_, i) => SYMBOLS[i % SYMBOLS.length]), legend: true },
                marks: [
                  Plot.lineY(points, {
                    x: 'date',
                    y: 'value',
                    z: 'series',
                    stroke: 'series',
                    strokeWidth: (d: { own: boolean }) => (d.own ? 4 : 2),
                  }),
                  Plot.dot(points, {
                    x: 'date',
                    y: 'value',
                    stroke: 'series',
                    fill: 'series',
                    symbol: 'series',
                    r: 3.5,
                  }),
                  Plot.tip(
                    points,
                    Plot.pointer({
                      x: 'date',
                      y: 'value',
                      title: (d: (typeof points)[number]) =>
                        `${d.series}\n${formatDate(d.date.toISOString().slice(0, 10), lang)}: ${formatCell(d.value, d.status, standard.decimals, standard.unit, lang)}`,
                    }),
                  ),
                ],
              }) as unknown as Element
            }
          />
        </div>
      )}
      <details class="km-details">
        <summary>{t('kv.table')}</summary>
        <TableScroll label={title}>
          <table class="kern-table kern-table--small kern-table--striped km-table">
            <caption class="kern-sr-only">{title}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">
                  {t('kv.municipality')}
                </th>
                {dates.map((d) => (
                  <th scope="col" key={d} class="kern-table__header kern-table__header--numeric">
                    {formatDate(d, lang)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {rows.map((m) => (
                <tr key={m.key} class={`kern-table__row${m.own ? ' km-kv__own' : ''}`}>
                  <th scope="row" class="kern-table__header km-rowheader">
                    {label(m)}
                  </th>
                  {m.points.map((p, k) => (
                    <td
                      key={k}
                      class="kern-table__cell kern-table__cell--numeric"
                      title={p && !hasValue(p.status) ? statusText(t, p.status) : undefined}
                    >
                      {p ? formatCell(p.value, p.status, standard.decimals, inlineUnit(standard.unit), lang) : '–'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
    </section>
  );
}

/** At most one tick per 70 pixels, the last date always. */
function tickDates(dates: string[], width: number): Date[] {
  const every = Math.max(1, Math.ceil(dates.length / Math.max(2, Math.floor((width - 80) / 70))));
  return dates.filter((_, i) => i % every === 0 || i === dates.length - 1).map((d) => new Date(`${d}T00:00:00Z`));
}

function Similar({
  indicators,
  chosen,
  onAdd,
}: {
  indicators: string[];
  chosen: string[];
  onAdd: (key: string) => void;
}) {
  const { t, lang } = useApp();
  const r = useApi(apiPath('GET /api/comparison/similar', { indicators: indicators.join(','), k: 5 }));
  return (
    <section aria-labelledby="kv-similar" class="km-panel">
      <h2 class="kern-heading-medium" id="kv-similar">
        {t('kv.similarTitle')}
      </h2>
      {r.error ? (
        <ErrorBox error={r.error} retry={r.retry} />
      ) : !r.data ? (
        <Loading />
      ) : (
        <>
          <p class="km-muted">
            {r.data.method.referenceDate
              ? t('kv.similarMethod', {
                  date: formatDate(r.data.method.referenceDate, lang),
                  n: r.data.method.compared,
                })
              : t(r.data.reason?.code === 'no-common-period' ? 'kv.similarNoCommon' : 'kv.similarNoOwn')}
            {r.data.method.constant.length > 0 && ` ${t('kv.similarConstant', { n: r.data.method.constant.length })}`}
          </p>
          {r.data.similar.length > 0 && (
            <ol class="km-kv__similar">
              {r.data.similar.map((m) => (
                <li key={m.key}>
                  <strong>{m.name}</strong> — {t('kv.distance', { d: formatNumber(m.distance, 2, lang) })}{' '}
                  {!chosen.includes(m.key) && chosen.length < MAX_OTHERS && (
                    <Button
                      kind="tertiary"
                      small
                      onClick={() => onAdd(m.key)}
                      label={t('kv.addNamed', { name: m.name })}
                    >
                      {t('kv.add')}
                    </Button>
                  )}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </section>
  );
}

function Ranking({ standards, initial }: { standards: StandardIndicator[]; initial?: string }) {
  const { t, lang, route } = useApp();
  const P = route.params;
  const key = standards.some((s) => s.key === P.rank) ? P.rank : (initial ?? standards[0].key);
  const level = P.ebene === 'district' ? 'district' : 'territory';
  const r = useApi(apiPath('GET /api/comparison/ranking', { indicator: key, period: P.period || undefined, level }));
  const set = (patch: Record<string, string | null>) => navigate(withParams(route, patch));
  const s = standards.find((x) => x.key === key)!;
  return (
    <section aria-labelledby="kv-ranking" class="km-panel">
      <h2 class="kern-heading-medium" id="kv-ranking">
        {t('kv.rankingTitle')}
      </h2>
      <div class="km-editor__grid">
        <SelectField
          id="kv-rank-indicator"
          label={t('field.indicator')}
          value={key}
          options={standards.map((x) => ({ value: x.key, label: nameOf(x, lang) }))}
          onChange={(v) => set({ rank: v, period: null })}
        />
        <SelectField
          id="kv-rank-level"
          label={t('kv.level')}
          value={level}
          options={[
            { value: 'territory', label: t('kv.levelTerritory') },
            { value: 'district', label: t('kv.levelDistrict') },
          ]}
          onChange={(v) => set({ ebene: v === 'district' ? v : null, period: null })}
        />
        {r.data && r.data.referenceDates.length > 0 && (
          <SelectField
            id="kv-rank-period"
            label={t('kv.referenceDate')}
            value={r.data.referenceDate ?? ''}
            options={[...r.data.referenceDates].reverse().map((d) => ({ value: d, label: formatDate(d, lang) }))}
            onChange={(v) => set({ period: v })}
          />
        )}
      </div>
      {r.error ? (
        <ErrorBox error={r.error} retry={r.retry} />
      ) : !r.data ? (
        <Loading />
      ) : !r.data.rows.length ? (
        <Notice>{t('kv.rankingEmpty')}</Notice>
      ) : (
        <TableScroll label={t('kv.rankingTitle')}>
          <table class="kern-table kern-table--small km-table">
            <caption class="kern-sr-only">
              {t('kv.rankingCaption', {
                indicator: nameOf(s, lang),
                date: r.data.referenceDate ? formatDate(r.data.referenceDate, lang) : '',
              })}
            </caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header kern-table__header--numeric">
                  {t('kv.rank')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('kv.municipality')}
                </th>
                <th scope="col" class="kern-table__header kern-table__header--numeric">
                  {nameOf(s, lang)} ({s.unit})
                </th>
                <th scope="col" class="kern-table__header">
                  {t('kv.status')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {r.data.rows.map((row) => (
                <tr
                  key={`${row.key}|${row.areaCode}`}
                  class={`kern-table__row${row.own ? ' km-kv__own' : ''}`}
                  aria-current={row.own ? 'true' : undefined}
                >
                  <td class="kern-table__cell kern-table__cell--numeric">
                    {row.rank === null ? '–' : row.tied ? t('kv.rankTied', { rank: row.rank }) : String(row.rank)}
                  </td>
                  <th scope="row" class="kern-table__header km-rowheader">
                    {row.own && <span aria-hidden="true">▶ </span>}
                    {level === 'district' ? `${row.areaName} (${row.name})` : row.name}
                    {row.own && <strong> ({t('kv.own')})</strong>}
                  </th>
                  <td class="kern-table__cell kern-table__cell--numeric">
                    {formatCell(row.value, row.status, s.decimals, inlineUnit(s.unit), lang)}
                  </td>
                  <td class="kern-table__cell">{statusText(t, row.status)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <p class="km-muted">{t('kv.rankingNote', { polarity: t(`kv.polarity.${s.polarity}`) })}</p>
    </section>
  );
}
