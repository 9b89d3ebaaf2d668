// Cockpit: a configurable dashboard of tiles for leadership — key figures with trend, small maps
// and warning gauges (also for daily data). Tiles come from GET /api/cockpit; in edit mode
// (`edit=1`) tiles can be added, removed, reordered and configured, then saved with PUT.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { errorMessageIn, refusalText } from '../lib/servertext.ts';
import { formatRoute, navigate, withParams } from '../router.ts';
import {
  ApiError,
  clearCache,
  putJSON,
  useApi,
  type IndicatorInfo,
  type IndicatorTile,
  type LayerInfo,
  type MeasuresTile,
  type Observations,
  type Tile,
  type VocabularyEntry,
  apiPath,
} from '../api.ts';
import {
  formatCell,
  formatChange,
  formatDate,
  formatNumber,
  formatPeriod,
  formatShare,
  formatValue,
  hasValue,
  versionAt,
} from '../../../src/contracts/format.ts';
import { changeJudgement } from '../lib/facts.ts';
import { gaugeLevel, isStale, thresholdsValid } from '../lib/gauge.ts';
import { ChoroplethMap } from '../components/Map.tsx';
import { Legend } from '../components/Legend.tsx';
import { Gauge } from '../components/Gauge.tsx';
import { PlotFigure } from '../components/Plot.tsx';
import { SelectField, TextField, Button } from '../components/Fields.tsx';
import { ErrorBox, Loading, Notice } from '../components/States.tsx';
import { Link } from '../components/Link.tsx';
import { signIn } from '../auth.ts';
import { decimalsOf, spokenValue, themedIndicatorOptions, useToday } from './common.ts';
import { useChoropleth } from './Atlas.tsx';
import type { Shape } from '../../../src/core/geo/draw.ts';

export function Cockpit() {
  const { t, route } = useApp();
  const cockpit = useApi(apiPath('GET /api/cockpit'));
  const inds = useApi(apiPath('GET /api/indicators'));
  const layers = useApi(apiPath('GET /api/layers'));
  const editing = route.params.edit === '1';
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (editing) setSaved(false);
  }, [editing]);
  return (
    <section class="km-view km-cockpit" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('cockpit.title')}
      </h1>
      <p>{t('cockpit.intro')}</p>
      {saved && !editing && <Notice kind="success">{t('cockpit.saved')}</Notice>}
      {cockpit.error && cockpit.error.status !== 404 ? (
        <ErrorBox error={cockpit.error} retry={cockpit.retry} />
      ) : inds.error ? (
        <ErrorBox error={inds.error} retry={inds.retry} />
      ) : layers.error ? (
        <ErrorBox error={layers.error} retry={layers.retry} />
      ) : (!cockpit.data && !cockpit.error) || !inds.data || !layers.data ? (
        <Loading />
      ) : (
        <CockpitBody
          key={editing ? 'edit' : 'view'}
          tiles={cockpit.data?.tiles ?? []}
          missingApi={cockpit.error?.status === 404}
          indicators={inds.data.indicators}
          layers={layers.data.layers}
          editing={editing}
          reload={cockpit.retry}
          onSaved={() => setSaved(true)}
        />
      )}
    </section>
  );
}

let tileCounter = 0;
function newId(tiles: Tile[]): string {
  let id = '';
  do id = `kachel-${Date.now().toString(36)}-${++tileCounter}`;
  while (tiles.some((x) => x.id === id));
  return id;
}

function CockpitBody(p: {
  tiles: Tile[];
  missingApi: boolean;
  indicators: IndicatorInfo[];
  layers: LayerInfo[];
  editing: boolean;
  reload: () => void;
  onSaved: () => void;
}) {
  const { t, lang, route, me, href } = useApp();
  // Only those who may save are offered the editor (the server refuses others anyway); a server
  // without accounts lets everybody edit (issue #15, item 11).
  const mayEdit = me?.available === false || me?.user?.role === 'admin' || me?.user?.role === 'analyst';
  const askedToEdit = p.editing && !mayEdit && me !== undefined;
  const [draft, setDraft] = useState<Tile[]>(p.tiles);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error' | 'auth'; text: string } | null>(null);
  useEffect(() => setDraft(p.tiles), [p.tiles]);
  const editing = p.editing && mayEdit;
  const tiles = editing ? draft : p.tiles;
  const indicatorOf = (k: string) => p.indicators.find((i) => i.key === k);

  const fallback = {
    indicator: (p.indicators.find((i) => i.periods.length) ?? p.indicators[0])?.key ?? '',
    layer: (p.layers.find((l) => l.kind === 'hierarchical' && !l.parentLayer) ?? p.layers[0])?.key ?? '',
  };
  const update = (i: number, patch: TilePatch) =>
    setDraft((d) => d.map((x, j) => (j === i ? cleanTile({ ...x, ...patch } as TileDraft, fallback) : x)));
  const move = (i: number, by: number) =>
    setDraft((d) => {
      const j = i + by;
      if (j < 0 || j >= d.length) return d;
      const n = [...d];
      [n[i], n[j]] = [n[j], n[i]];
      return n;
    });
  const remove = (i: number) => setDraft((d) => d.filter((_, j) => j !== i));
  const add = () => {
    const ind = p.indicators.find((i) => i.periods.length) ?? p.indicators[0];
    const layer = p.layers.find((l) => l.kind === 'hierarchical' && !l.parentLayer) ?? p.layers[0];
    setDraft((d) => [...d, { id: newId(d), type: 'figure', indicator: ind.key, layer: layer.key }]);
    setTimeout(() => document.getElementById(`tile-${draft.length}-type`)?.focus(), 50);
  };
  const invalid = draft.some(
    (x) =>
      (x.type === 'gauge' &&
        (!x.thresholds || !thresholdsValid(x.thresholds, indicatorOf(x.indicator)?.polarity ?? 'neutral'))) ||
      (x.type === 'measures' && x.need !== undefined && !x.layer),
  );
  const save = async () => {
    setSaving(true);
    setMessage(null);
    try {
      await putJSON(apiPath('PUT /api/cockpit'), { tiles: draft });
      clearCache('/api/cockpit');
      p.onSaved();
      navigate(withParams(route, { edit: null }));
      p.reload();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, String(e), '');
      setMessage({
        kind: err.status === 401 ? 'auth' : 'error',
        text: t('cockpit.saveError', {
          message: err.status === 0 ? t('state.errorNetwork') : errorMessageIn(err, lang),
        }),
      });
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <div class="km-toolbar">
        {p.editing && mayEdit ? (
          <>
            <Button kind="primary" onClick={save} disabled={saving || invalid || p.missingApi} icon="check">
              {t('cockpit.save')}
            </Button>
            <Button onClick={add} icon="add">
              {t('cockpit.addTile')}
            </Button>
            <Button kind="tertiary" onClick={() => navigate(withParams(route, { edit: null }))} icon="close">
              {t('cockpit.cancel')}
            </Button>
          </>
        ) : mayEdit ? (
          <Button onClick={() => navigate(withParams(route, { edit: '1' }))} icon="edit">
            {t('cockpit.edit')}
          </Button>
        ) : null}
      </div>
      {askedToEdit && (
        <Notice kind="info">
          {t('cockpit.editNeedsRole')}{' '}
          {me?.user ? null : <Link href={href('anmelden', { next: formatRoute(route) })}>{t('auth.signInTitle')}</Link>}
        </Notice>
      )}
      {p.missingApi && <Notice kind="warning">{t('cockpit.localOnly')}</Notice>}
      {!p.editing && me && me.user === null && me.available !== false && (
        <p class="km-muted km-cockpit__signin">
          {t('cockpit.gaugesSignIn')}{' '}
          <Link href={href('anmelden', { next: formatRoute(route) })}>{t('auth.signInTitle')}</Link>
        </p>
      )}
      {message && message.kind === 'success' && <Notice kind="success">{message.text}</Notice>}
      {message && message.kind !== 'success' && (
        <div class="kern-alert kern-alert--danger km-alert" role="alert">
          <div class="kern-alert__body">
            <p class="kern-body">{message.text}</p>
            {message.kind === 'auth' && <SignIn onDone={save} />}
          </div>
        </div>
      )}
      {tiles.length === 0 ? (
        <Notice>{t('cockpit.empty')}</Notice>
      ) : (
        <ul class="km-tiles">
          {tiles.map((tile, i) => {
            const ind = tile.type === 'measures' ? undefined : indicatorOf(tile.indicator);
            const title =
              tile.title || (tile.type === 'measures' ? t('cockpit.measures') : ind?.name || tile.indicator);
            return (
              <li
                key={tile.id}
                class={`km-tile km-tile--${tile.type}`}
                data-tile={tile.id}
                aria-labelledby={`tile-${i}-h`}
              >
                <h2 class="kern-heading-small" id={`tile-${i}-h`}>
                  {title}
                </h2>
                {tile.type === 'measures' ? (
                  <MeasuresTileBody tile={tile} />
                ) : !ind ? (
                  <p class="km-muted">{t('state.notFound')}</p>
                ) : tile.type === 'map' ? (
                  <MapTile tile={tile} indicator={ind} layers={p.layers} />
                ) : tile.type === 'gauge' ? (
                  <GaugeTile tile={tile} indicator={ind} title={title} />
                ) : (
                  <FigureTile tile={tile} indicator={ind} />
                )}
                {editing && (
                  <TileEditor
                    tile={tile}
                    index={i}
                    count={tiles.length}
                    title={title}
                    indicators={p.indicators}
                    layers={p.layers}
                    onChange={(patch) => update(i, patch)}
                    onMove={(by) => move(i, by)}
                    onRemove={() => remove(i)}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
      {!tiles.some((x) => x.type === 'measures') && <MeasuresCard />}
      <ForumCard />
    </>
  );
}

/**
 * The measures as a figure for leadership (issue #17): how many run today, by field of action,
 * with a link to the measures against need. Shown when the registry has measures the reader may see.
 */
function MeasuresCard() {
  const { t, lang, href } = useApp();
  const today = useToday();
  const running = useApi(apiPath('GET /api/measures', { at: today }));
  const vocab = useApi(apiPath('GET /api/measures/vocabulary'));
  const list = running.data?.measures ?? [];
  if (!list.length || !vocab.data) return null;
  const counts = new Map<string, number>();
  for (const m of list) for (const f of m.fields) counts.set(f, (counts.get(f) ?? 0) + 1);
  const fields = vocab.data.entries.filter((v) => v.kind === 'handlungsfeld' && counts.has(v.code));
  return (
    <section class="km-measures-card km-section" aria-labelledby="measures-card-h">
      <h2 class="kern-heading-small" id="measures-card-h">
        {t('cockpit.measures')}
      </h2>
      <p class="km-figure">
        {t('cockpit.measuresRunning', { n: formatNumber(list.length, 0, lang), date: formatDate(today, lang) })}
      </p>
      <ul>
        {fields.map((f) => (
          <li key={f.code}>
            {lang === 'en' && f.titleEn ? f.titleEn : f.title}: {formatNumber(counts.get(f.code)!, 0, lang)}
          </li>
        ))}
      </ul>
      <p class="no-print">
        <Link href={href('massnahmen', { at: today })}>{t('cockpit.measuresLink')}</Link>
      </p>
    </section>
  );
}

/** The youth forum's open and overdue topics; shown when there are published topics. */
function ForumCard() {
  const { t, lang, href } = useApp();
  const tile = useApi(apiPath('GET /api/forum/tile'));
  if (!tile.data?.published) return null;
  return (
    <section class="km-forum-card km-section" aria-labelledby="forum-card-h">
      <h2 class="kern-heading-small" id="forum-card-h">
        {t('cockpit.forum')}
      </h2>
      <p class="km-figure">
        {t('cockpit.forumOpen', {
          open: formatNumber(tile.data.open, 0, lang),
          overdue: formatNumber(tile.data.overdue, 0, lang),
        })}
      </p>
      <p class="no-print">
        <Link href={href('jugendforum')}>{t('cockpit.forumLink')}</Link>
      </p>
    </section>
  );
}

/** A tile while it is edited: the fields of every tile type, so that its type can change. */
type TileDraft = { id: string; type: Tile['type'] } & Partial<Omit<IndicatorTile, 'id' | 'type'>> &
  Partial<Omit<MeasuresTile, 'id' | 'type'>>;
type TilePatch = Partial<TileDraft>;

/** A valid tile of the draft's type: drops the fields the type does not use, fills what it needs. */
function cleanTile(x: TileDraft, fallback: { indicator: string; layer: string }): Tile {
  if (x.type === 'measures') {
    const m: MeasuresTile = { id: x.id, type: 'measures' };
    if (x.title) m.title = x.title;
    if (x.field) m.field = x.field;
    if (x.targetGroup) m.targetGroup = x.targetGroup;
    if (x.need) {
      m.need = x.need;
      m.layer = x.layer ?? fallback.layer;
      if (x.classes?.length) m.classes = x.classes;
    }
    return m;
  }
  const out: IndicatorTile = {
    id: x.id,
    type: x.type,
    indicator: x.indicator ?? fallback.indicator,
    layer: x.layer ?? fallback.layer,
  };
  if (x.title) out.title = x.title;
  if (x.area && x.type !== 'map') out.area = x.area;
  if (x.period) out.period = x.period;
  if (x.filter && Object.keys(x.filter).length) out.filter = x.filter;
  if (x.type === 'gauge') out.thresholds = x.thresholds ?? { amber: 0, red: 0 };
  return out;
}

function SignIn({ onDone }: { onDone: () => void }) {
  const { t, lang } = useApp();
  const [user, setUser] = useState('');
  const [pw, setPw] = useState('');
  const [error, setError] = useState<string | undefined>();
  return (
    <form
      class="km-addrow"
      onSubmit={async (e) => {
        e.preventDefault();
        try {
          await signIn(user, pw);
          setError(undefined);
          onDone();
        } catch (err) {
          setError(refusalText(err, lang));
        }
      }}
    >
      <TextField id="signin-user" label={t('auth.user')} value={user} onInput={setUser} />
      <TextField id="signin-pw" label={t('auth.password')} type="password" value={pw} onInput={setPw} error={error} />
      <Button type="submit" kind="primary">
        {t('auth.signIn')}
      </Button>
    </form>
  );
}

/** The value of a tile: its area, or the single area of the layer, or the city value. */
function tileValue(
  obs: Observations,
  tile: IndicatorTile,
): { value: number | null; status: Observations['city']['status']; name: string | null; area: string | null } {
  const v = tile.area
    ? obs.values.find((x) => x.area === tile.area)
    : obs.values.length === 1
      ? obs.values[0]
      : undefined;
  if (v) return { value: v.value, status: v.status, name: v.name, area: v.area };
  return { value: obs.city.value, status: obs.city.status, name: null, area: null };
}

function useTileData(tile: IndicatorTile, withSeries: boolean) {
  const obs = useApi(
    apiPath('GET /api/observations', {
      indicator: tile.indicator,
      layer: tile.layer,
      period: tile.period,
      ...(tile.filter ?? {}),
    }),
  );
  const tv = obs.data ? tileValue(obs.data, tile) : null;
  const series = useApi(
    withSeries && tv?.area
      ? apiPath('GET /api/timeseries', {
          indicator: tile.indicator,
          layer: tile.layer,
          area: tv.area,
          ...(tile.filter ?? {}),
        })
      : null,
  );
  return { obs, tv, series };
}

/** A key figure with its change and source; also the start page's key figures (views/Start.tsx). */
export function FigureTile({ tile, indicator }: { tile: IndicatorTile; indicator: IndicatorInfo }) {
  const { t, lang, href } = useApp();
  const { obs, tv, series } = useTileData(tile, true);
  if (obs.error) return <ErrorBox error={obs.error} retry={obs.retry} />;
  if (!obs.data || !tv) return <Loading />;
  const dec = decimalsOf(indicator);
  const pts = (series.data?.points ?? []).filter(
    (x) => x.value !== null && hasValue(x.status) && x.period <= obs.data!.period.key,
  );
  const last = pts[pts.length - 1];
  const prev = pts[pts.length - 2];
  const change = last && prev ? (last.value as number) - (prev.value as number) : null;
  return (
    <>
      <p class="km-tile__sub">
        {tv.name ?? t('cockpit.areaDefault')} · {t('cockpit.stand', { date: formatDate(obs.data.referenceDate, lang) })}
      </p>
      <p class="km-figure">
        {tv.value !== null && hasValue(tv.status)
          ? formatNumber(tv.value, dec, lang)
          : formatCell(tv.value, tv.status, dec, null, lang)}{' '}
        <span class="km-figure__unit">{obs.data.unit}</span>
        {tv.status !== 'final' && <span class="km-figure__unit"> ({t(`status.${tv.status}` as 'status.final')})</span>}
      </p>
      {change !== null && prev && (
        <ChangeLine change={change} dec={dec} unit={obs.data.unit} polarity={indicator.polarity} since={prev.period} />
      )}
      {pts.length > 1 && (
        <MiniTrend
          points={pts.map((x) => ({ date: x.referenceDate, value: x.value as number }))}
          label={`${indicator.name}: ${t('cockpit.history')}`}
        />
      )}
      <TileSource source={obs.data.source ?? indicator.source} />
      <p class="km-tile__links">
        <Link
          href={href('zeitreihe', {
            indicator: tile.indicator,
            layer: tile.layer,
            areas: tv.area ?? undefined,
            ...(tile.filter ?? {}),
          })}
        >
          {t('cockpit.history')}
        </Link>
      </p>
    </>
  );
}

/**
 * The change against the previous period: a rate in percent changes by percentage points
 * ("+0,6 Prozentpunkte"), other values in their unit; the arrow is coloured by polarity (red when
 * the change is unfavourable, blue when favourable) and the judgement is also said in words.
 */
function ChangeLine({
  change,
  dec,
  unit,
  polarity,
  since,
}: {
  change: number;
  dec: number | null;
  unit: string;
  polarity: string;
  since: string;
}) {
  const { t, lang } = useApp();
  const rounded = Number(change.toFixed(dec ?? 1));
  const judgement = changeJudgement(rounded, polarity);
  return (
    <p class="km-change" data-judgement={judgement}>
      <span aria-hidden="true" class={`km-change__arrow km-judge--${judgement}`}>
        {rounded > 0 ? '▲ ' : rounded < 0 ? '▼ ' : '► '}
      </span>
      {rounded === 0
        ? t('cockpit.noChange', { period: formatPeriod(since, lang) })
        : t('cockpit.change', {
            sign: rounded > 0 ? '+' : '−',
            change: formatChange(Math.abs(change), dec, unit, lang),
            period: formatPeriod(since, lang),
          })}
      {(judgement === 'worse' || judgement === 'better') && (
        <span class={`km-judge--${judgement}`}>
          {' '}
          ({t(judgement === 'worse' ? 'cockpit.changeWorse' : 'cockpit.changeBetter')})
        </span>
      )}
    </p>
  );
}

function TileSource({ source }: { source: string | null }) {
  const { t } = useApp();
  return (
    <p class="km-tile__source" data-source={source || undefined}>
      {t('facts.sourceOnly', { source: source || t('facts.noSource') })}
    </p>
  );
}

function MiniTrend({ points, label }: { points: { date: string; value: number }[]; label: string }) {
  const data = points.map((p) => ({ d: new Date(`${p.date}T00:00:00Z`), v: p.value }));
  return (
    <PlotFigure
      class="km-chart km-minitrend"
      label={label}
      deps={[points]}
      build={(Plot, width) => {
        const el = Plot.plot({
          width,
          height: 60,
          margin: 6,
          axis: null,
          y: { nice: true, zero: false },
          marks: [
            Plot.lineY(data, { x: 'd', y: 'v', stroke: '#0b3c7c', strokeWidth: 2 }),
            Plot.dot(data.slice(-1), { x: 'd', y: 'v', fill: '#0b3c7c', r: 3 }),
          ],
        });
        el.setAttribute('aria-hidden', 'true');
        return el;
      }}
    />
  );
}

function GaugeTile({ tile, indicator, title }: { tile: IndicatorTile; indicator: IndicatorInfo; title: string }) {
  const { t, lang, href } = useApp();
  const { obs, tv, series } = useTileData(tile, true);
  if (obs.error) return <ErrorBox error={obs.error} retry={obs.retry} />;
  if (!obs.data || !tv) return <Loading />;
  const th = tile.thresholds ?? { amber: 0, red: 0 };
  const dec = decimalsOf(indicator);
  const unit = obs.data.unit;
  const value = tv.value !== null && hasValue(tv.status) ? tv.value : null;
  const level = value === null ? null : gaugeLevel(value, th, indicator.polarity);
  const better = indicator.polarity === 'higher_is_better';
  const fa = formatValue(th.amber, dec, unit, lang);
  const fr = formatValue(th.red, dec, unit, lang);
  const valueText = formatCell(tv.value, tv.status, dec, unit, lang);
  const levelText = level ? t(`cockpit.level.${level}`) : t('status.missing');
  const label = t(better ? 'cockpit.gaugeLabelBetter' : 'cockpit.gaugeLabel', {
    title,
    value: spokenValue(t, lang, tv.value, tv.status, dec, unit),
    level: levelText,
    amber: fa,
    red: fr,
  });
  const recent = (series.data?.points ?? []).filter((x) => x.value !== null && hasValue(x.status)).slice(-30);
  // A gauge of daily (weekly) data whose latest value is older than a day (a week) says so.
  const stale = isStale(obs.data.referenceDate, indicator.periodicity, new Date());
  return (
    <>
      <p class="km-tile__sub">
        {tv.name ?? t('cockpit.areaDefault')} · {t('cockpit.stand', { date: formatDate(obs.data.referenceDate, lang) })}
      </p>
      {stale && (
        <p class="km-stale-note" role="note">
          <strong>{t('cockpit.staleTitle')}</strong>{' '}
          {t('cockpit.stale', {
            date: formatDate(obs.data.referenceDate, lang),
            periodicity: t(indicator.periodicity === 'weekly' ? 'cockpit.weekly' : 'cockpit.daily'),
          })}
        </p>
      )}
      <Gauge
        value={value}
        thresholds={th}
        polarity={indicator.polarity}
        unit={unit}
        valueText={valueText}
        label={label}
      />
      <p class={`km-level km-level--${level ?? 'none'}`} data-level={level ?? 'none'}>
        {levelText}
      </p>
      <p class="km-tile__sub">
        {t(better ? 'cockpit.thresholdsBetter' : 'cockpit.thresholds', { amber: fa, red: fr })}
      </p>
      {recent.length > 1 && (
        <MiniTrend
          points={recent.map((x) => ({ date: x.referenceDate, value: x.value as number }))}
          label={t('cockpit.history')}
        />
      )}
      <TileSource source={obs.data.source ?? indicator.source} />
      <p class="km-tile__links">
        <Link href={href('zeitreihe', { indicator: tile.indicator, layer: tile.layer, areas: tv.area ?? undefined })}>
          {t('cockpit.history')}
        </Link>
      </p>
    </>
  );
}

function MapTile({
  tile,
  indicator,
  layers: p_layers,
}: {
  tile: IndicatorTile;
  indicator: IndicatorInfo;
  layers: LayerInfo[];
}) {
  const { t, lang, href } = useApp();
  const obs = useApi(
    apiPath('GET /api/observations', {
      indicator: tile.indicator,
      layer: tile.layer,
      period: tile.period,
      ...(tile.filter ?? {}),
    }),
  );
  const period = obs.data?.period.key;
  const layerInfo = p_layers.find((l) => l.key === tile.layer);
  const areas = useApi(
    period
      ? apiPath('GET /api/layers/:layer/areas', {
          layer: tile.layer,
          at: layerInfo ? versionAt(layerInfo.versions, period) : period,
        })
      : null,
  );
  const ch = useChoropleth(obs.data, { method: 'jenks', k: 5 });
  const shapes: Shape[] = useMemo(
    () =>
      (areas.data?.features ?? []).map((f) => ({
        code: f.properties.code,
        name: f.properties.name,
        geometry: f.geometry,
        bbox: f.bbox,
      })),
    [areas.data],
  );
  if (obs.error) return <ErrorBox error={obs.error} retry={obs.retry} />;
  if (areas.error) return <ErrorBox error={areas.error} retry={areas.retry} />;
  if (!obs.data || !areas.data || !ch) return <Loading />;
  void indicator;
  return (
    <>
      <p class="km-tile__sub">
        {obs.data.layer.name} · {t('cockpit.stand', { date: formatDate(obs.data.referenceDate, lang) })} ·{' '}
        {t('col.city')}: {formatCell(obs.data.city.value, obs.data.city.status, ch.dec, obs.data.unit, lang)}
      </p>
      <ChoroplethMap
        shapes={shapes}
        areas={ch.mapAreas}
        label={t('map.label', {
          indicator: obs.data.indicator.name,
          layer: obs.data.layer.name,
          period: formatPeriod(obs.data.period.key, lang),
        })}
        onOpen={(code) => navigate(href('profil', { layer: tile.layer, area: code }))}
        width={360}
        class="km-map--small"
        symbols={false}
      />
      <Legend
        compact
        scheme={ch.scheme}
        values={ch.values}
        statuses={obs.data.values.map((v) => v.status)}
        unit={obs.data.unit}
        decimals={ch.dec}
        city={obs.data.city.value}
        polarity={obs.data.indicator.polarity}
      />
      <TileSource source={obs.data.source ?? indicator.source} />
      <p class="km-tile__links">
        <Link
          href={href('atlas', {
            indicator: tile.indicator,
            layer: tile.layer,
            period: tile.period,
            ...(tile.filter ?? {}),
          })}
        >
          {t('ind.openAtlas')}
        </Link>
      </p>
    </>
  );
}

function TileEditor(p: {
  tile: Tile;
  index: number;
  count: number;
  title: string;
  indicators: IndicatorInfo[];
  layers: LayerInfo[];
  onChange: (patch: TilePatch) => void;
  onMove: (by: number) => void;
  onRemove: () => void;
}) {
  const { t, lang } = useApp();
  const { index: i } = p;
  const tile = p.tile as TileDraft;
  const vocab = useApi(tile.type === 'measures' ? apiPath('GET /api/measures/vocabulary') : null);
  const ind = p.indicators.find((x) => x.key === tile.indicator);
  const areaList = useApi(
    tile.type !== 'map' && tile.type !== 'measures' && tile.layer
      ? apiPath('GET /api/layers/:layer/areas', { layer: tile.layer, geometry: false })
      : null,
  );
  const polarity = ind?.polarity ?? 'neutral';
  const th = tile.thresholds ?? { amber: 0, red: 0 };
  const [amberText, setAmberText] = useState(formatNumber(th.amber, null, lang));
  const [redText, setRedText] = useState(formatNumber(th.red, null, lang));
  const parse = (s: string) => Number(s.replace(/\./g, '').replace(',', '.'));
  const invalid = tile.type === 'gauge' && !thresholdsValid(th, polarity);
  return (
    <fieldset class="kern-fieldset km-fieldset km-editor">
      <legend class="kern-label">{p.title}</legend>
      <div class="km-editor__grid">
        <SelectField
          id={`tile-${i}-type`}
          label={t('cockpit.type')}
          value={tile.type}
          options={(['figure', 'map', 'gauge', 'measures'] as const).map((x) => ({
            value: x,
            label: t(`cockpit.type.${x}`),
          }))}
          onChange={(v) =>
            p.onChange({
              type: v as Tile['type'],
              ...(v === 'gauge' && !tile.thresholds
                ? { thresholds: polarity === 'higher_is_better' ? { amber: 50, red: 25 } : { amber: 85, red: 95 } }
                : {}),
            })
          }
        />
        <TextField
          id={`tile-${i}-title`}
          label={t('cockpit.tileTitle')}
          value={tile.title ?? ''}
          onInput={(v) => p.onChange({ title: v || undefined })}
        />
        {tile.type === 'measures' ? (
          <MeasuresTileFields
            tile={tile}
            index={i}
            vocab={vocab.data?.entries ?? []}
            indicators={p.indicators}
            layers={p.layers}
            onChange={p.onChange}
          />
        ) : (
          <>
            <SelectField
              id={`tile-${i}-indicator`}
              label={t('field.indicator')}
              value={tile.indicator ?? ''}
              options={themedIndicatorOptions(p.indicators)}
              onChange={(v) => p.onChange({ indicator: v, period: undefined, filter: undefined })}
            />
            <SelectField
              id={`tile-${i}-layer`}
              label={t('field.layer')}
              value={tile.layer ?? ''}
              options={p.layers.map((l) => ({ value: l.key, label: l.name }))}
              onChange={(v) => p.onChange({ layer: v, area: undefined })}
            />
          </>
        )}
        {tile.type !== 'map' && tile.type !== 'measures' && (
          <SelectField
            id={`tile-${i}-area`}
            label={t('field.area')}
            value={tile.area ?? ''}
            options={[
              { value: '', label: t('cockpit.areaDefault') },
              ...(areaList.data?.features ?? []).map((f) => ({
                value: f.properties.code,
                label: `${f.properties.name} (${f.properties.code})`,
              })),
            ]}
            onChange={(v) => p.onChange({ area: v || undefined })}
          />
        )}
        {tile.type === 'gauge' && (
          <>
            <TextField
              id={`tile-${i}-amber`}
              label={`${t('cockpit.amber')}${ind?.unit ? ` (${ind.unit})` : ''}`}
              value={amberText}
              inputMode="decimal"
              onInput={(v) => {
                setAmberText(v);
                if (Number.isFinite(parse(v))) p.onChange({ thresholds: { ...th, amber: parse(v) } });
              }}
              error={
                invalid
                  ? t('cockpit.thresholdsInvalid', {
                      polarity: t(`polarity.${polarity}` as 'polarity.neutral'),
                      order: polarity === 'higher_is_better' ? t('cockpit.above') : t('cockpit.below'),
                    })
                  : undefined
              }
            />
            <TextField
              id={`tile-${i}-red`}
              label={`${t('cockpit.red')}${ind?.unit ? ` (${ind.unit})` : ''}`}
              value={redText}
              inputMode="decimal"
              onInput={(v) => {
                setRedText(v);
                if (Number.isFinite(parse(v))) p.onChange({ thresholds: { ...th, red: parse(v) } });
              }}
            />
          </>
        )}
      </div>
      <div class="km-tile__tools">
        <Button
          small
          onClick={() => p.onMove(-1)}
          disabled={i === 0}
          label={t('cockpit.moveUp', { name: p.title })}
          icon="arrow-up"
        >
          <span class="kern-sr-only">{t('cockpit.moveUp', { name: p.title })}</span>
        </Button>
        <Button
          small
          onClick={() => p.onMove(1)}
          disabled={i === p.count - 1}
          label={t('cockpit.moveDown', { name: p.title })}
          icon="arrow-down"
        >
          <span class="kern-sr-only">{t('cockpit.moveDown', { name: p.title })}</span>
        </Button>
        <Button
          small
          kind="tertiary"
          onClick={p.onRemove}
          label={t('cockpit.removeTile', { name: p.title })}
          icon="delete"
        >
          {t('field.remove', { name: '' }).trim() || '×'}
        </Button>
      </div>
    </fieldset>
  );
}

/** The fields of a measures tile: field of action, target group, and optionally a need on a layer. */
function MeasuresTileFields(p: {
  tile: TileDraft;
  index: number;
  vocab: VocabularyEntry[];
  indicators: IndicatorInfo[];
  layers: LayerInfo[];
  onChange: (patch: TilePatch) => void;
}) {
  const { t, lang } = useApp();
  const { tile, index: i } = p;
  const title = (v: VocabularyEntry) => (lang === 'en' && v.titleEn ? v.titleEn : v.title);
  const [classesText, setClassesText] = useState((tile.classes ?? []).join(', '));
  return (
    <>
      <SelectField
        id={`tile-${i}-field`}
        label={t('meas.field')}
        value={tile.field ?? ''}
        options={[
          { value: '', label: t('meas.all') },
          ...p.vocab.filter((v) => v.kind === 'handlungsfeld').map((v) => ({ value: v.code, label: title(v) })),
        ]}
        onChange={(v) => p.onChange({ field: v || undefined })}
      />
      <SelectField
        id={`tile-${i}-group`}
        label={t('meas.group')}
        value={tile.targetGroup ?? ''}
        options={[
          { value: '', label: t('meas.all') },
          ...p.vocab.filter((v) => v.kind === 'zielgruppe').map((v) => ({ value: v.code, label: title(v) })),
        ]}
        onChange={(v) => p.onChange({ targetGroup: v || undefined })}
      />
      <SelectField
        id={`tile-${i}-need`}
        label={t('cockpit.measuresNeed')}
        value={tile.need ?? ''}
        options={[{ value: '', label: t('cockpit.measuresNoNeed') }, ...themedIndicatorOptions(p.indicators)]}
        onChange={(v) => p.onChange({ need: v || undefined, classes: v ? tile.classes : undefined })}
      />
      {tile.need && (
        <>
          <SelectField
            id={`tile-${i}-layer`}
            label={t('field.layer')}
            value={tile.layer ?? ''}
            options={p.layers.map((l) => ({ value: l.key, label: l.name }))}
            onChange={(v) => p.onChange({ layer: v })}
          />
          <TextField
            id={`tile-${i}-classes`}
            label={t('meas.classes')}
            hint={t('meas.classesHint')}
            value={classesText}
            onInput={(v) => {
              setClassesText(v);
              const list = v
                .split(',')
                .map((x) => x.trim())
                .filter(Boolean);
              p.onChange({ classes: list.length ? list : undefined });
            }}
          />
        </>
      )}
    </>
  );
}

/**
 * A measures tile: how many measures (of the field and target group) run today; with a need, the
 * share of the target group in the high-need areas that a running measure reaches, and the gaps.
 */
function MeasuresTileBody({ tile }: { tile: MeasuresTile }) {
  const { t, lang, href } = useApp();
  const today = useToday();
  const running = useApi(apiPath('GET /api/measures', { at: today, field: tile.field, targetGroup: tile.targetGroup }));
  const need = useApi(
    tile.need && tile.layer
      ? apiPath('GET /api/measures/gaps', {
          layer: tile.layer,
          at: today,
          field: tile.field,
          targetGroup: tile.targetGroup,
          need: tile.need,
          classes: tile.classes?.join(','),
        })
      : null,
  );
  const vocab = useApi(tile.field || tile.targetGroup ? apiPath('GET /api/measures/vocabulary') : null);
  if (running.error) return <ErrorBox error={running.error} retry={running.retry} />;
  if (need.error) return <ErrorBox error={need.error} retry={need.retry} />;
  if (!running.data || (tile.need && !need.data)) return <Loading />;
  const name = (kind: VocabularyEntry['kind'], code: string | undefined) => {
    const v = code ? vocab.data?.entries.find((e) => e.kind === kind && e.code === code) : undefined;
    return v ? (lang === 'en' && v.titleEn ? v.titleEn : v.title) : code;
  };
  const scope = [
    tile.field && name('handlungsfeld', tile.field),
    tile.targetGroup && name('zielgruppe', tile.targetGroup),
  ]
    .filter(Boolean)
    .join(' · ');
  const n = running.data.measures.length;
  const gaps = need.data ? need.data.rows.filter((r) => r.runningMeasures === 0).length : null;
  return (
    <>
      <p class="km-tile__sub">
        {scope || t('cockpit.measuresAll')} · {t('cockpit.stand', { date: formatDate(today, lang) })}
      </p>
      <p class="km-figure" data-measures-running={n}>
        {formatNumber(n, 0, lang)} <span class="km-figure__unit">{t('cockpit.measuresUnit')}</span>
      </p>
      {need.data && (
        <p class="km-measures-tile__coverage" data-coverage={need.data.coverage.share ?? ''}>
          {need.data.coverage.share === null
            ? t('meas.coverageNone')
            : t('meas.coverage', {
                share: formatShare(need.data.coverage.share, lang),
                reached: formatNumber(need.data.coverage.reached, 0, lang),
                population: formatNumber(need.data.coverage.population, 0, lang),
              })}{' '}
          {t('meas.gaps', { n: gaps ?? 0, areas: need.data.rows.length })}
        </p>
      )}
      <TileSource source={t('cockpit.measuresSource')} />
      <p class="km-tile__links">
        <Link
          href={href('massnahmen', {
            at: today,
            field: tile.field,
            group: tile.targetGroup,
            layer: tile.layer,
            need: tile.need,
            classes: tile.classes?.join(','),
          })}
        >
          {t('cockpit.measuresLink')}
        </Link>
      </p>
    </>
  );
}
