// Comparison: two or more areas side by side over chosen indicators — a table and a chart of
// each value relative to the whole city (index, city = 100).
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { navigate, withParams, listParam, joinList } from '../router.ts';
import { useApi, type LayerInfo, type Profile, type ProfileEntry, apiPath, useApiAll } from '../api.ts';
import { formatCell, formatNumber, formatTick, hasValue } from '../../../src/contracts/format.ts';
import { SelectField, Button } from '../components/Fields.tsx';
import { ErrorBox, Loading, Notice } from '../components/States.tsx';
import { PlotFigure } from '../components/Plot.tsx';
import { Link } from '../components/Link.tsx';
import { decimalsOf, pickLayer, statusText } from './common.ts';
import { SERIES_COLORS } from './TimeSeries.tsx';
import { TableScroll } from '../components/TableScroll.tsx';

export function Compare() {
  const { t } = useApp();
  const layers = useApi(apiPath('GET /api/layers'));
  return (
    <section class="km-view km-compare" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('cmp.title')}
      </h1>
      <p>{t('cmp.intro')}</p>
      {layers.error ? (
        <ErrorBox error={layers.error} retry={layers.retry} />
      ) : !layers.data ? (
        <Loading />
      ) : (
        <CompareBody layers={layers.data.layers} />
      )}
    </section>
  );
}

function CompareBody({ layers }: { layers: LayerInfo[] }) {
  const { t, route, href } = useApp();
  const P = route.params;
  const layer = pickLayer(layers, P.layer)!;
  const codes = listParam(P.areas).filter((c) => c !== '-');
  const areaList = useApi(apiPath('GET /api/layers/:layer/areas', { layer: layer.key, geometry: false }));
  const profiles = useApiAll(
    codes.map((c) => apiPath('GET /api/layers/:layer/areas/:area/profile', { layer: layer.key, area: c })),
  );
  const [adding, setAdding] = useState('');
  const set = (patch: Record<string, string | null>) => navigate(withParams(route, patch));
  const areaName = (c: string) => areaList.data?.features.find((f) => f.properties.code === c)?.properties.name ?? c;
  const available = (areaList.data?.features ?? []).filter((f) => !codes.includes(f.properties.code));
  const addValue =
    adding && available.some((f) => f.properties.code === adding) ? adding : (available[0]?.properties.code ?? '');
  // Without areas the view starts with a sensible pair instead of empty: the area of the URL
  // (`area`, e.g. from the atlas) or the first area, and its first neighbour (issue #15, item 10).
  const first = P.area ?? areaList.data?.features[0]?.properties.code;
  const firstProfile = useApi(
    P.areas === undefined && first
      ? apiPath('GET /api/layers/:layer/areas/:area/profile', { layer: layer.key, area: first })
      : null,
  );
  useEffect(() => {
    if (P.areas !== undefined || !firstProfile.data) return;
    const other =
      firstProfile.data.area.neighbours[0]?.code ??
      areaList.data?.features.find((f) => f.properties.code !== first)?.properties.code;
    if (other)
      navigate(
        withParams(route, { layer: layer.key, areas: joinList([firstProfile.data.area.code, other]), area: null }),
        { replace: true },
      );
  }, [firstProfile.data, P.areas]);
  return (
    <>
      <form class="km-panel" onSubmit={(e) => e.preventDefault()}>
        <div class="km-addrow">
          <SelectField
            id="cmp-layer"
            label={t('field.layer')}
            value={layer.key}
            options={layers.map((l) => ({ value: l.key, label: l.name }))}
            onChange={(v) => set({ layer: v, areas: null })}
          />
          <SelectField
            id="cmp-add"
            label={t('field.area')}
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
                  onClick={() => set({ areas: joinList(codes.filter((x) => x !== c)) || '-' })}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </form>
      {codes.length < 2 ? (
        <Notice>{t('cmp.needTwo')}</Notice>
      ) : profiles.error ? (
        <ErrorBox error={profiles.error} retry={profiles.retry} />
      ) : !profiles.data || profiles.data.length !== codes.length ? (
        <Loading />
      ) : (
        <CompareResult profiles={profiles.data} stale={profiles.loading} />
      )}
    </>
  );
}

interface IndRow {
  key: string;
  theme: string;
  entries: (ProfileEntry | undefined)[];
  first: ProfileEntry;
}

function CompareResult({ profiles, stale }: { profiles: Profile[]; stale: boolean }) {
  const { t, lang, route, href } = useApp();
  const rows: IndRow[] = useMemo(() => {
    const byKey = new Map<string, IndRow>();
    profiles.forEach((p, i) => {
      for (const th of p.themes)
        for (const e of th.entries) {
          let r = byKey.get(e.indicator.key);
          if (!r) {
            r = {
              key: e.indicator.key,
              theme: th.theme,
              entries: new Array(profiles.length).fill(undefined),
              first: e,
            };
            byKey.set(e.indicator.key, r);
          }
          r.entries[i] = e;
        }
    });
    return [...byKey.values()];
  }, [profiles]);
  const themes = [...new Set(rows.map((r) => r.theme))];
  // Default: shares and rates (comparable between areas of different size).
  const chosen =
    route.params.indicators !== undefined
      ? listParam(route.params.indicators)
      : rows
          .filter(
            (r) =>
              (r.first.indicator.type === 'ratio' || r.first.indicator.type === 'mean') &&
              r.entries.some((e) => e && e.value !== null),
          )
          .map((r) => r.key);
  const selected = rows.filter((r) => chosen.includes(r.key));
  const setChosen = (keys: string[]) =>
    navigate(withParams(route, { indicators: keys.length ? joinList(keys) : '-' }), { replace: true });
  const names = profiles.map((p) => p.area.name);
  const index = selected.flatMap((r) =>
    r.entries.flatMap((e, i) =>
      e && e.value !== null && hasValue(e.status) && e.cityValue
        ? [{ indicator: r.first.indicator.name, area: names[i], i, index: (e.value / e.cityValue) * 100 }]
        : [],
    ),
  );
  return (
    <div class={stale ? 'km-stale' : undefined}>
      <details class="km-details km-panel">
        <summary>
          {t('cmp.chooseIndicators')} ({selected.length})
        </summary>
        <div class="km-links">
          <button
            type="button"
            class="kern-btn kern-btn--tertiary kern-btn--x-small"
            onClick={() => setChosen(rows.map((r) => r.key))}
          >
            <span class="kern-label">{t('cmp.selectAll')}</span>
          </button>
          <button type="button" class="kern-btn kern-btn--tertiary kern-btn--x-small" onClick={() => setChosen([])}>
            <span class="kern-label">{t('cmp.selectNone')}</span>
          </button>
        </div>
        {themes.map((th) => (
          <fieldset key={th} class="kern-fieldset km-fieldset">
            <legend class="kern-label">{th}</legend>
            <div class="km-checkgrid">
              {rows
                .filter((r) => r.theme === th)
                .map((r) => (
                  <label key={r.key} class="km-check">
                    <input
                      type="checkbox"
                      checked={chosen.includes(r.key)}
                      onChange={(e) =>
                        setChosen(
                          (e.currentTarget as HTMLInputElement).checked
                            ? [...chosen, r.key]
                            : chosen.filter((k) => k !== r.key),
                        )
                      }
                    />
                    <span>{r.first.indicator.name}</span>
                  </label>
                ))}
            </div>
          </fieldset>
        ))}
      </details>
      {selected.length === 0 ? (
        <Notice>{t('cmp.noIndicators')}</Notice>
      ) : (
        <>
          <section class="km-section" aria-labelledby="cmp-table-h">
            <h2 class="kern-heading-medium" id="cmp-table-h">
              {t('cmp.table')}
            </h2>
            <TableScroll labelledBy="cmp-table-h">
              <table class="kern-table kern-table--small kern-table--striped km-table" id="cmp-table">
                <caption class="kern-sr-only">{`${t('cmp.table')}: ${names.join(', ')}`}</caption>
                <thead class="kern-table__head">
                  <tr class="kern-table__row">
                    <th scope="col" class="kern-table__header">
                      {t('col.indicator')}
                    </th>
                    {profiles.map((p, i) => (
                      <th scope="col" key={p.area.code} class="kern-table__header kern-table__header--numeric">
                        <span
                          class="km-chip__dot"
                          style={{ background: SERIES_COLORS[i % SERIES_COLORS.length] }}
                          aria-hidden="true"
                        />{' '}
                        <Link href={href('profil', { layer: p.layer.key, area: p.area.code })}>{p.area.name}</Link>
                      </th>
                    ))}
                    <th scope="col" class="kern-table__header kern-table__header--numeric">
                      {t('col.city')}
                    </th>
                  </tr>
                </thead>
                <tbody class="kern-table__body">
                  {selected.map((r) => {
                    const dec = decimalsOf(r.first.indicator);
                    return (
                      <tr key={r.key} class="kern-table__row">
                        <th scope="row" class="kern-table__header km-rowheader">
                          <Link href={href('indikator', { indicator: r.key, layer: profiles[0].layer.key })}>
                            {r.first.indicator.name}
                          </Link>
                          {r.first.indicator.unit && <span class="km-muted"> ({r.first.indicator.unit})</span>}
                        </th>
                        {r.entries.map((e, i) => (
                          <td
                            key={i}
                            class="kern-table__cell kern-table__cell--numeric"
                            title={e && e.status !== 'final' ? statusText(t, e.status) : undefined}
                          >
                            {e ? formatCell(e.value, e.status, dec, null, lang, e.disclosure) : '…'}
                            {e && e.rank !== null && <span class="km-muted"> ({e.rank}.)</span>}
                          </td>
                        ))}
                        <td class="kern-table__cell kern-table__cell--numeric">
                          {formatCell(r.first.cityValue, r.first.cityStatus, dec, null, lang)}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableScroll>
          </section>
          {index.length > 0 && (
            <section class="km-section" aria-labelledby="cmp-chart-h">
              <h2 class="kern-heading-medium" id="cmp-chart-h">
                {t('cmp.chart')} <span class="km-muted">(Index, {t('col.city')} = 100)</span>
              </h2>
              <div role="img" aria-label={`${t('cmp.chart')}: ${names.join(', ')}. ${t('cmp.table')}.`}>
                <PlotFigure
                  deps={[index, lang]}
                  build={(Plot, width) => {
                    // On narrow screens the indicator names stand above their row across the whole
                    // width (nothing is cut off); on wide ones they are the y axis, as long as they fit.
                    const narrow = width < 600;
                    const longest = Math.max(...selected.map((r) => r.first.indicator.name.length));
                    const lo = Math.min(100, ...index.map((d) => d.index));
                    const hi = Math.max(100, ...index.map((d) => d.index));
                    const pad = Math.max(5, (hi - lo) * 0.06);
                    const domain = [Math.max(0, lo - pad), hi + pad];
                    const maxChars = Math.floor((width - 16) / 6.6);
                    const fit = (s: string) => (s.length > maxChars ? `${s.slice(0, maxChars - 1)}…` : s);
                    return Plot.plot({
                      width,
                      height: Math.max(160, selected.length * (narrow ? 52 : 34) + 60),
                      marginLeft: narrow ? 12 : Math.min(width * 0.45, 8 + 6.6 * longest),
                      marginRight: narrow ? 16 : 24,
                      marginTop: narrow ? 34 : 20,
                      style: { fontSize: '13px', fontFamily: 'inherit', overflow: 'visible' },
                      x: {
                        grid: true,
                        domain,
                        label: `Index (${t('col.city')} = 100)`,
                        tickFormat: (v: number) => formatTick(v, lang),
                        ticks: narrow ? 4 : undefined,
                      },
                      y: narrow
                        ? { label: null, domain: selected.map((r) => r.first.indicator.name), axis: null, padding: 0.1 }
                        : {
                            label: null,
                            domain: selected.map((r) => r.first.indicator.name),
                            tickFormat: (s: string) =>
                              s.length * 6.6 > width * 0.45
                                ? `${s.slice(0, Math.floor((width * 0.45) / 6.6) - 2)}…`
                                : s,
                          },
                      color: { domain: names, range: names.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]) },
                      symbol: { domain: names, legend: true },
                      marks: [
                        Plot.ruleX([100], { stroke: '#131525' }),
                        ...(narrow
                          ? [
                              Plot.text(
                                selected.map((r) => r.first.indicator.name),
                                {
                                  x: domain[0],
                                  y: (d: string) => d,
                                  text: fit,
                                  textAnchor: 'start',
                                  dy: -16,
                                  fill: '#131525',
                                },
                              ),
                            ]
                          : []),
                        Plot.dot(index, {
                          x: 'index',
                          y: 'indicator',
                          fill: 'area',
                          r: 5,
                          symbol: 'area',
                          dy: narrow ? 4 : 0,
                          title: (d: { area: string; index: number }) => `${d.area}: ${formatNumber(d.index, 0, lang)}`,
                        }),
                      ],
                    }) as unknown as Element;
                  }}
                />
              </div>
            </section>
          )}
        </>
      )}
    </div>
  );
}
