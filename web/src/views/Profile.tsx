// Area profile (Stadtteilprofil): every indicator for one area grouped by theme — value, city
// value, parent value, rank, a small trend line and status flags; the area on a small map;
// links to the parent, child and neighbouring areas.
import { useEffect, useLayoutEffect, useMemo } from 'preact/hooks';
import { useApp } from '../context.ts';
import { errorMessageIn } from '../lib/servertext.ts';
import { reasonText } from '../lib/reasons.ts';
import { navigate, withParams } from '../router.ts';
import {
  useApi,
  usePost,
  type AreaCollection,
  type AreaRef,
  type LayerInfo,
  type Profile as ProfileAnswer,
  type ProfileEntry,
  apiPath,
} from '../api.ts';
import { formatCell, formatDate, formatPeriod, hasValue, inlineUnit } from '../../../src/contracts/format.ts';
import { bboxOf, growBBox, neighboursOf, type Shape } from '../../../src/core/geo/draw.ts';
import { ChoroplethMap, type MapArea } from '../components/Map.tsx';
import { SelectField } from '../components/Fields.tsx';
import { ErrorBox, Loading, Notice } from '../components/States.tsx';
import { TableScroll } from '../components/TableScroll.tsx';
import { AreaSearch } from '../components/AreaSearch.tsx';
import { KeyFacts } from '../components/KeyFacts.tsx';
import { Link } from '../components/Link.tsx';
import { PlotFigure } from '../components/Plot.tsx';
import { Value } from '../components/Value.tsx';
import { decimalsOf, pickLayer, statusText, versionText, useMedia, useToday, PHONE } from './common.ts';
import { IndexBreakdown } from '../components/IndexBreakdown.tsx';
import { encodeDefinition } from '../lib/indexdef.ts';
import type { StoredMeasure } from '../../../src/core/measures.ts';

export function Profile() {
  const { t, route } = useApp();
  const layers = useApi(apiPath('GET /api/layers'));
  const layer = layers.data ? pickLayer(layers.data.layers, route.params.layer) : undefined;
  // With layer and area in the URL, shapes and profile load at once (not after the layer list).
  const layerKey = route.params.layer && route.params.area ? route.params.layer : layer?.key;
  const areas = useApi(layerKey ? apiPath('GET /api/layers/:layer/areas', { layer: layerKey }) : null);
  const code = route.params.area ?? areas.data?.features[0]?.properties.code;
  const profile = useApi(
    layerKey && code
      ? apiPath('GET /api/layers/:layer/areas/:area/profile', { layer: layerKey, area: code, at: route.params.at })
      : null,
  );
  const name = profile.data?.area.name ?? '';
  // A profile opened without an area shows the first one: its address goes into the URL, so that
  // what is on screen has a permalink.
  useEffect(() => {
    if (layer && code && (!route.params.area || !route.params.layer) && areas.data)
      navigate(withParams(route, { layer: layerKey, area: code }), { replace: true });
  }, [layer, code, areas.data]);
  return (
    <section class="km-view km-profile" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {name ? t('profile.title', { name }) : t('view.profil')}
      </h1>
      {layers.error ? (
        <ErrorBox error={layers.error} retry={layers.retry} />
      ) : layers.data && !layers.data.layers.length ? (
        <Notice>{t('state.noData')}</Notice>
      ) : !layers.data || !layer ? (
        <Loading />
      ) : (
        <>
          <AreaSearch id="profile-search" />
          <AreaChooser layers={layers.data.layers} layer={layer} areas={areas.data} code={code} />
          {areas.error ? (
            <ErrorBox error={areas.error} retry={areas.retry} />
          ) : profile.error ? (
            <ErrorBox
              error={profile.error}
              retry={profile.retry}
              title={profile.error.status === 404 ? t('state.notFound') : undefined}
            />
          ) : !profile.data ? (
            <Loading />
          ) : (
            <ProfileBody
              profile={profile.data}
              areas={areas.data}
              stale={profile.loading}
              layers={layers.data.layers}
            />
          )}
        </>
      )}
    </section>
  );
}

function AreaChooser({
  layers,
  layer,
  areas,
  code,
}: {
  layers: LayerInfo[];
  layer: LayerInfo;
  areas?: AreaCollection;
  code?: string;
}) {
  const { t, route } = useApp();
  const phone = useMedia(PHONE);
  const options = (areas?.features ?? []).map((f) => ({
    value: f.properties.code,
    label: `${f.properties.name} (${f.properties.code})`,
  }));
  const form = (
    <form
      class="km-addrow km-chooser no-print"
      onSubmit={(e) => e.preventDefault()}
      aria-label={t('profile.chooseArea')}
    >
      <SelectField
        id="profile-layer"
        label={t('field.layer')}
        value={layer.key}
        options={layers.map((l) => ({ value: l.key, label: l.name }))}
        onChange={(v) => navigate(withParams(route, { layer: v, area: null }))}
      />
      <SelectField
        id="profile-area"
        label={t('field.area')}
        value={code ?? ''}
        options={options}
        onChange={(v) => navigate(withParams(route, { area: v }))}
        disabled={!areas}
      />
    </form>
  );
  // On a phone the search comes first and the two selects fold away, so the key facts are in view.
  return phone ? (
    <details class="km-details km-chooser-details no-print">
      <summary>{t('profile.fromList')}</summary>
      {form}
    </details>
  ) : (
    form
  );
}

let readyKey = '';

function ProfileBody({
  profile,
  areas,
  stale,
  layers,
}: {
  profile: ProfileAnswer;
  areas?: AreaCollection;
  stale: boolean;
  layers: LayerInfo[];
}) {
  const { t, lang, href } = useApp();
  const { area, layer } = profile;
  const key = `${layer.key}/${area.code}`;
  useLayoutEffect(() => {
    if (stale || readyKey === key) return;
    readyKey = key;
    performance.mark('km:profile-ready');
    try {
      const nav = performance.getEntriesByName('km:navigate', 'mark');
      if (nav.length) performance.measure('km:profile-tti', 'km:navigate', 'km:profile-ready');
      else performance.measure('km:profile-tti', { start: 0, end: 'km:profile-ready' });
    } catch {
      /* ignore */
    }
  });
  const themes = profile.themes;
  const count = themes.reduce((n, th) => n + th.entries.length, 0);
  // Saved composite indices computed on this layer: one breakdown per index definition.
  const indices = useMemo(() => {
    const seen = new Map<string, { key: string; period: string; name: string }>();
    for (const th of themes)
      for (const e of th.entries) {
        const l = e.indicator.lineage;
        if (
          l?.kind !== 'index' ||
          typeof l.definition !== 'string' ||
          !l.definition ||
          (l.layer && l.layer !== layer.key) ||
          !e.period
        )
          continue;
        const prev = seen.get(l.definition);
        if (!prev || e.indicator.key.endsWith('_wert'))
          seen.set(l.definition, {
            key: l.definition,
            period: e.period,
            name: e.indicator.name.replace(/\s*\((Indexwert|Klasse)\)$/, ''),
          });
      }
    return [...seen.values()];
  }, [profile]);
  return (
    <div class={stale ? 'km-stale' : undefined} aria-busy={stale ? 'true' : undefined}>
      <p class="km-result-head__meta">
        <span>{layer.name}</span>
        <span>
          {t('col.code')} {area.code}
        </span>
        {layer.version.validFrom && <span>{versionText(t, lang, layer.version.validFrom)}</span>}
        <span class="no-print">
          <Link
            href={href('vergleich', {
              layer: layer.key,
              areas: [area.code, ...(area.neighbours ?? []).slice(0, 1).map((n) => n.code)].join(','),
            })}
          >
            {t('profile.compare')}
          </Link>
        </span>
      </p>
      <div class="km-two">
        <div>
          {count === 0 ? (
            <Notice>{t('profile.empty')}</Notice>
          ) : (
            <>
              <KeyFacts profile={profile} />
              <nav aria-label={t('profile.themes')} class="km-links no-print">
                {indices.length > 0 && (
                  <a class="kern-link" href="#indexzerlegung">
                    {t('profile.indexWhy')}
                  </a>
                )}
                {themes.map((th) => (
                  <a key={th.theme} class="kern-link" href={`#thema-${slug(th.theme)}`}>
                    {th.theme} ({th.entries.length})
                  </a>
                ))}
              </nav>
              {indices.length > 0 && (
                <section class="km-theme km-index-why" aria-labelledby="index-why-h" id="indexzerlegung">
                  <h2 class="kern-heading-medium" id="index-why-h">
                    {t('profile.indexWhy')}
                  </h2>
                  <p class="km-muted">{t('profile.indexWhyIntro')}</p>
                  {indices.map((x) => (
                    <IndexWhy key={x.key} index={x} profile={profile} />
                  ))}
                </section>
              )}
              {themes.map((th) => (
                <ThemeTable
                  key={th.theme}
                  theme={th.theme}
                  entries={th.entries}
                  profile={profile}
                  parentLayer={layers.find((l) => l.key === profile.area.parent?.layer)?.name ?? ''}
                />
              ))}
              <AreaMeasures layer={profile.layer.key} area={profile.area.code} />
              <AreaTopics layer={profile.layer.key} area={profile.area.code} />
            </>
          )}
        </div>
        <aside class="km-nearby" aria-label={t('profile.navigation')}>
          {areas && <SmallMap profile={profile} areas={areas} />}
          <Nearby profile={profile} areas={areas} />
        </aside>
      </div>
    </div>
  );
}

function slug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-');
}

function ThemeTable({
  theme,
  entries,
  profile,
  parentLayer,
}: {
  theme: string;
  entries: ProfileEntry[];
  profile: ProfileAnswer;
  parentLayer: string;
}) {
  const { t, lang, href } = useApp();
  // The sources of the theme's indicators as numbered notes under the table.
  const sources = [...new Set(entries.map((e) => e.indicator.source).filter((x): x is string => !!x))];
  const parent = profile.area.parent;
  const id = `thema-${slug(theme)}`;
  return (
    <section class="km-theme" aria-labelledby={`${id}-h`} id={id}>
      <h2 class="kern-heading-medium" id={`${id}-h`}>
        {theme}
      </h2>
      <TableScroll labelledBy={`${id}-h`}>
        <table class="kern-table kern-table--small kern-table--striped km-table km-table--stack" role="table">
          <caption class="kern-sr-only">
            {theme}: {profile.area.name}
          </caption>
          <thead class="kern-table__head" role="rowgroup">
            <tr class="kern-table__row" role="row">
              <th scope="col" role="columnheader" class="kern-table__header">
                {t('col.indicator')}
              </th>
              <th scope="col" role="columnheader" class="kern-table__header kern-table__header--numeric">
                {profile.area.name}
                <br />
                <span class="km-muted">{profile.layer.name}</span>
              </th>
              <th scope="col" role="columnheader" class="kern-table__header kern-table__header--numeric">
                {t('col.city')}
              </th>
              {parent && (
                <th scope="col" role="columnheader" class="kern-table__header kern-table__header--numeric">
                  {parent.name}
                  <br />
                  <span class="km-muted">{parentLayer || t('col.parent')}</span>
                </th>
              )}
              <th scope="col" role="columnheader" class="kern-table__header kern-table__header--numeric">
                {t('col.rankDir')}
              </th>
              <th scope="col" role="columnheader" class="kern-table__header km-trend-cell">
                {t('col.trend')}
              </th>
              <th scope="col" role="columnheader" class="kern-table__header">
                {t('col.date')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body" role="rowgroup">
            {entries.map((e) => {
              const dec = decimalsOf(e.indicator);
              const unit = e.indicator.unit;
              // Short units (%, ‰, €) stand with every number; long ones ("Personen") once after the name.
              const cellUnit = inlineUnit(unit);
              return (
                <tr key={e.indicator.key} class="kern-table__row" role="row" data-indicator={e.indicator.key}>
                  <th scope="row" role="rowheader" class="kern-table__header km-rowheader">
                    <Link
                      href={href('atlas', {
                        indicator: e.indicator.key,
                        layer: profile.layer.key,
                        period: e.period,
                        area: profile.area.code,
                      })}
                    >
                      {e.indicator.name}
                    </Link>
                    {unit && !cellUnit && <span class="km-muted"> ({unit})</span>}
                    {e.indicator.source && (
                      <a
                        class="km-srcref"
                        href={`#${id}-q${sources.indexOf(e.indicator.source) + 1}`}
                        aria-label={t('profile.sourceRef', {
                          n: sources.indexOf(e.indicator.source) + 1,
                          source: e.indicator.source,
                        })}
                      >
                        <sup>{sources.indexOf(e.indicator.source) + 1}</sup>
                      </a>
                    )}
                  </th>
                  <td role="cell" class="kern-table__cell kern-table__cell--numeric" data-label={profile.area.name}>
                    <span class="km-cell">
                      <strong>{formatCell(e.value, e.status, dec, cellUnit, lang, e.disclosure)}</strong>
                      {e.status !== 'final' && (
                        <>
                          <br />
                          <span class="km-muted" title={reasonText(t, lang, e)}>
                            {statusText(t, e.status)}
                          </span>
                        </>
                      )}
                    </span>
                  </td>
                  <td role="cell" class="kern-table__cell kern-table__cell--numeric" data-label={t('col.city')}>
                    <Value v={{ value: e.cityValue, status: e.cityStatus }} of={{ unit: cellUnit, decimals: dec }} />
                  </td>
                  {parent && (
                    <td
                      role="cell"
                      class="kern-table__cell kern-table__cell--numeric"
                      data-label={t('profile.parentCell', { name: parent.name })}
                    >
                      <Value
                        v={{ value: e.parentValue, status: e.parentStatus ?? 'missing' }}
                        of={{ unit: cellUnit, decimals: dec }}
                      />
                    </td>
                  )}
                  <td role="cell" class="kern-table__cell kern-table__cell--numeric" data-label={t('col.rankDir')}>
                    <span class="km-cell">
                      {e.rank === null ? '' : t('profile.rankOf', { rank: e.rank, of: e.rankOf })}
                    </span>
                  </td>
                  <td role="cell" class="kern-table__cell km-trend-cell" data-label={t('col.trend')}>
                    <span class="km-cell">
                      <Sparkline
                        entry={e}
                        href={href('zeitreihe', {
                          indicator: e.indicator.key,
                          layer: profile.layer.key,
                          areas: profile.area.code,
                        })}
                      />
                    </span>
                  </td>
                  <td role="cell" class="kern-table__cell km-nowrap" data-label={t('col.date')}>
                    <span class="km-cell">{formatPeriod(e.period, lang)}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      {sources.length > 0 && (
        <ol class="km-sources" aria-label={t('profile.sources', { theme })}>
          {sources.map((src, k) => (
            <li key={src} id={`${id}-q${k + 1}`} data-source={src}>
              {t('facts.sourceOnly', { source: src })}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Sparkline({ entry, href }: { entry: ProfileEntry; href: string }) {
  const { t, lang } = useApp();
  const dec = decimalsOf(entry.indicator);
  const pts = entry.trend.filter((p) => p.value !== null && hasValue(p.status));
  if (pts.length < 2) return <span class="km-muted">{t('profile.noTrend')}</span>;
  const first = pts[0];
  const last = pts[pts.length - 1];
  const label = t('profile.trendLabel', {
    from: formatPeriod(first.period, lang),
    to: formatPeriod(last.period, lang),
    first: formatCell(first.value, first.status, dec, entry.indicator.unit, lang),
    last: formatCell(last.value, last.status, dec, entry.indicator.unit, lang),
  });
  const data = entry.trend.map((p, i) => ({ i, v: p.value !== null && hasValue(p.status) ? p.value : NaN }));
  return (
    <Link href={href} class="km-spark-link" label={label}>
      <PlotFigure
        class="km-spark"
        responsive={false}
        label={label}
        deps={[entry]}
        build={(Plot) => {
          const el = Plot.plot({
            width: 120,
            height: 32,
            margin: 3,
            axis: null,
            x: { domain: [0, data.length - 1] },
            marks: [
              Plot.lineY(data, { x: 'i', y: 'v', stroke: '#0b3c7c', strokeWidth: 1.5 }),
              Plot.dot(data.slice(-1), { x: 'i', y: 'v', fill: '#0b3c7c', r: 2.5 }),
            ],
          });
          el.setAttribute('aria-hidden', 'true');
          return el;
        }}
      />
    </Link>
  );
}

function SmallMap({ profile, areas }: { profile: ProfileAnswer; areas: AreaCollection }) {
  const { t, lang, href } = useApp();
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
  const me = shapes.find((s) => s.code === profile.area.code);
  const neighbours = useMemo(
    () => new Set(profile.area.neighbours?.map((n) => n.code) ?? (me ? neighboursOf(me.code, shapes) : [])),
    [profile, shapes],
  );
  const extent = useMemo(() => {
    const all = bboxOf(shapes);
    const b = me ? bboxOf([me]) : null;
    if (!b || !all) return all;
    const share = (b[2] - b[0]) / Math.max(1e-9, all[2] - all[0]);
    return share > 0.35 ? all : growBBox(b, share < 0.08 ? 5 : 3);
  }, [shapes, me]);
  const mapAreas = useMemo(() => {
    const m = new Map<string, MapArea>();
    for (const s of shapes) {
      const isMe = s.code === profile.area.code;
      m.set(s.code, {
        code: s.code,
        name: s.name,
        status: 'final',
        color: isMe ? '#0b3c7c' : neighbours.has(s.code) ? '#9ecae1' : '#e4e6ee',
        label: s.name,
      });
    }
    return m;
  }, [shapes, neighbours, profile]);
  void lang;
  return (
    <figure class="km-figure-map">
      <ChoroplethMap
        shapes={shapes}
        areas={mapAreas}
        label={t('profile.map', { name: profile.area.name })}
        selected={profile.area.code}
        extent={extent}
        symbols={false}
        onOpen={(code) => navigate(href('profil', { layer: profile.layer.key, area: code }))}
        class="km-map--small"
        width={400}
      />
      <figcaption class="km-muted">{t('profile.map', { name: profile.area.name })}</figcaption>
    </figure>
  );
}

function Nearby({ profile, areas }: { profile: ProfileAnswer; areas?: AreaCollection }) {
  const { t, href } = useApp();
  const { area } = profile;
  const neighbours: AreaRef[] = useMemo(() => {
    if (area.neighbours) return area.neighbours;
    if (!areas) return [];
    const shapes = areas.features.map((f) => ({
      code: f.properties.code,
      name: f.properties.name,
      geometry: f.geometry,
      bbox: f.bbox,
    }));
    const codes = neighboursOf(area.code, shapes);
    return shapes
      .filter((s) => codes.includes(s.code))
      .map((s) => ({ layer: profile.layer.key, code: s.code, name: s.name }));
  }, [profile, areas]);
  const link = (a: AreaRef) => <Link href={href('profil', { layer: a.layer, area: a.code })}>{a.name}</Link>;
  const children = area.children;
  return (
    <div class="km-panel">
      <h2 class="kern-heading-small">{t('profile.parent')}</h2>
      <p>{area.parent ? link(area.parent) : t('profile.none')}</p>
      <h2 class="kern-heading-small">{t('profile.neighbours')}</h2>
      {neighbours.length ? (
        <ul>
          {neighbours.map((n) => (
            <li key={n.code}>{link(n)}</li>
          ))}
        </ul>
      ) : (
        <p>{t('profile.none')}</p>
      )}
      <h2 class="kern-heading-small">
        {t('profile.children')} ({children.length})
      </h2>
      {children.length ? (
        <details class="km-details" open={children.length <= 12}>
          <summary>{t('profile.showAll', { n: children.length })}</summary>
          <ul>
            {children.map((c) => (
              <li key={c.code}>{link(c)}</li>
            ))}
          </ul>
        </details>
      ) : (
        <p>{t('profile.none')}</p>
      )}
    </div>
  );
}

/**
 * "Why is this area red?" for one saved index: its stored definition (GET /api/analysis/indices/{key})
 * is computed again for the period shown (POST /api/analysis/index); the area's row carries the
 * contributions of the components.
 */
function IndexWhy({
  index,
  profile,
}: {
  index: { key: string; period: string; name: string };
  profile: ProfileAnswer;
}) {
  const { t, href, lang } = useApp();
  const stored = useApi(apiPath('GET /api/analysis/indices/:key', { key: index.key }));
  const def = stored.data?.definition;
  const result = usePost(def ? apiPath('POST /api/analysis/index', { period: index.period }) : null, def ?? null);
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const th of profile.themes) for (const e of th.entries) m.set(e.indicator.key, e.indicator.name);
    return (k: string) => m.get(k);
  }, [profile]);
  const idPrefix = `why-${index.key}`;
  if (stored.error) {
    return (
      <div class="km-breakdown">
        <h3 class="kern-heading-small">{index.name}</h3>
        <p>{stored.error.status === 404 ? t('profile.indexNoDefinition') : errorMessageIn(stored.error, lang)}</p>
        <p>
          <Link href={href('index')}>{t('profile.openIndexBuilder')}</Link>
        </p>
      </div>
    );
  }
  if (!def || (!result.data && !result.error))
    return <Loading label={t('profile.indexComputing', { name: index.name })} />;
  if (result.error) return <ErrorBox error={result.error} retry={result.retry} />;
  const row = result.data!.result.rows.find((r) => r.area === profile.area.code);
  const full = { ...def, layer: profile.layer.key, period: index.period };
  return (
    <div class="km-breakdown-wrap">
      <h3 class="kern-heading-small km-breakdown__index">
        {index.name}{' '}
        <span class="km-muted">
          ({t('profile.indexVersion', { version: stored.data!.version, period: formatPeriod(index.period, lang) })})
        </span>
      </h3>
      {row ? (
        <IndexBreakdown
          def={result.data!.definition ?? def}
          row={row}
          areaName={profile.area.name}
          names={names}
          nValid={result.data!.result.stats.nValid}
          idPrefix={idPrefix}
        />
      ) : (
        <p>{t('profile.indexNoRow')}</p>
      )}
      <p class="km-links">
        <Link href={href('index', { area: profile.area.code, def: encodeDefinition(full) })}>
          {t('profile.indexInBuilder')}
        </Link>
      </p>
    </div>
  );
}

/** The measures working in the area (issue #17), with their period; none: nothing is shown. */
function AreaMeasures({ layer, area }: { layer: string; area: string }) {
  const { t, lang, href } = useApp();
  const list = useApi(apiPath('GET /api/measures', { layer, area }));
  const measures = list.data?.measures ?? [];
  if (!measures.length) return null;
  const period = (m: StoredMeasure) => {
    const p = m.actual.start || m.actual.end ? m.actual : m.planned;
    return [p.start ? formatDate(p.start, lang) : '…', p.end ? formatDate(p.end, lang) : '…'].join(' – ');
  };
  return (
    <section class="km-area-measures" aria-labelledby="area-measures-h" id="massnahmen">
      <h2 class="kern-heading-medium" id="area-measures-h">
        {t('profile.measures', { n: measures.length })}
      </h2>
      <MeasuresTimeline measures={measures} />
      <ul class="km-area-measures__list">
        {measures.map((m) => (
          <li key={m.key}>
            <strong>{m.title}</strong> — {t(`meas.status.${m.status}` as 'meas.status.laufend')}, {period(m)};{' '}
            {m.departmentName ?? m.department}
            {m.provider ? `, ${m.provider.name}` : ''}
          </li>
        ))}
      </ul>
      <p class="no-print">
        <Link href={href('massnahmen', { layer })}>{t('profile.measuresLink')}</Link>
      </p>
    </section>
  );
}

/**
 * The measures of the area on a time axis: one bar per measure over its actual (else planned)
 * period, an open end drawn to the edge, and today as a line. The list below says the same in text.
 */
function MeasuresTimeline({ measures }: { measures: StoredMeasure[] }) {
  const { t, lang } = useApp();
  const today = useToday();
  const rows = measures
    .map((m) => {
      const p = m.actual.start || m.actual.end ? m.actual : m.planned;
      return { key: m.key, title: m.title, status: m.status, start: p.start, end: p.end };
    })
    .filter((r) => r.start || r.end);
  if (!rows.length) return null;
  const dates = rows.flatMap((r) => [r.start, r.end]).filter((d): d is string => !!d);
  const lo = [...dates, today].sort()[0];
  const hi = [...dates, today].sort().slice(-1)[0];
  const d = (x: string) => new Date(`${x}T00:00:00Z`);
  const short = (s: string) => (s.length > 38 ? `${s.slice(0, 37)}…` : s);
  const data = rows.map((r) => ({
    ...r,
    x1: d(r.start ?? lo),
    x2: d(r.end ?? hi),
    label: t(`meas.status.${r.status}` as 'meas.status.laufend'),
  }));
  return (
    <figure class="km-area-measures__timeline">
      <PlotFigure
        class="km-chart"
        label={t('profile.measuresTimeline', { n: rows.length })}
        deps={[measures, lang]}
        build={(Plot, width) =>
          Plot.plot({
            width,
            height: 28 * data.length + 40,
            marginLeft: Math.min(260, width / 3),
            x: { type: 'utc', label: null, grid: true },
            // One row per measure (by key: two measures may share a title).
            y: {
              label: null,
              domain: data.map((r) => r.key),
              tickFormat: (k: string) => short(data.find((r) => r.key === k)?.title ?? k),
            },
            color: {
              domain: ['geplant', 'laufend', 'abgeschlossen', 'abgebrochen'],
              range: ['#9ecae1', '#0b3c7c', '#6b7280', '#b91c1c'],
            },
            marks: [
              Plot.barX(data, {
                x1: 'x1',
                x2: 'x2',
                y: 'key',
                fill: 'status',
                title: (r: (typeof data)[number]) => `${r.title}: ${r.label}`,
              }),
              Plot.ruleX([d(today)], { stroke: '#111', strokeDasharray: '3,3' }),
            ],
          })
        }
      />
      <figcaption class="km-muted">{t('profile.measuresTimeline', { n: rows.length })}</figcaption>
    </figure>
  );
}

/** The youth forum's topics in the area with their supports and answers; none: nothing is shown. */
function AreaTopics({ layer, area }: { layer: string; area: string }) {
  const { t, href } = useApp();
  const list = useApi(apiPath('GET /api/forum/topics', { layer, area }));
  const topics = list.data?.topics ?? [];
  if (!topics.length) return null;
  return (
    <section class="km-area-topics" aria-labelledby="area-topics-h" id="jugendforum">
      <h2 class="kern-heading-medium" id="area-topics-h">
        {t('profile.topics', { n: topics.length })}
      </h2>
      <ul class="km-area-topics__list">
        {topics.map((x) => (
          <li key={x.id}>
            <strong>{x.title}</strong> —{' '}
            {x.supports === null ? t('youth.supportsFew') : t('youth.supports', { n: x.supports })};{' '}
            {x.answer ? t(`youth.status.${x.answer.status}` as 'youth.status.umgesetzt') : t('forum.open')}
            {x.overdue ? `, ${t('forum.overdue')}` : ''}
            {x.departmentName ? ` (${x.departmentName})` : ''}
          </li>
        ))}
      </ul>
      <p class="no-print">
        <Link href={href('jugend')}>{t('profile.topicsLink')}</Link>
      </p>
    </section>
  );
}
