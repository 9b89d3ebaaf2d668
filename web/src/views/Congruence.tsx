// Congruence ("Deckungsgleichheit", issue #6): how well two layers (or two boundary versions)
// match. For every area its best counterpart in the other layer with the shared share of
// population (or surface), both direction scores and an overall score, a map of the areas
// coloured by their shared share, and a sortable table. GET /api/congruence?a=…&b=…&weights=….
import { useMemo } from 'preact/hooks';
import { useApp } from '../context.ts';
import { navigate, withParams } from '../router.ts';
import { useApi, type AreaCollection, type LayerInfo, apiPath } from '../api.ts';
import {
  congruenceRows,
  countAtLeast,
  layerRef,
  NEARLY,
  parseRef,
  SHARE_BREAKS,
  SHARE_COLORS,
  shareClass,
  verdict,
  versionChoices,
  type CongruenceAnswer,
  type CongruenceRow,
} from '../lib/congruence.ts';
import { formatDate, formatNumber, formatPeriod, formatShare } from '../../../src/contracts/format.ts';
import { matchesQuery, parseSort, formatSort } from '../lib/table.ts';
import { ChoroplethMap, type MapArea } from '../components/Map.tsx';
import { Legend } from '../components/Legend.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { SelectField, TextField, Button } from '../components/Fields.tsx';
import { ErrorBox, Loading, Notice } from '../components/States.tsx';
import { Link } from '../components/Link.tsx';
import { ReallocateForm } from '../components/ReallocateForm.tsx';
import { defaultLayer } from './common.ts';
import type { Shape } from '../../../src/core/geo/draw.ts';
import type { Translate } from '../i18n/index.ts';
import type { Lang } from '../../../src/contracts/format.ts';

export function CongruenceView() {
  const { t } = useApp();
  const layers = useApi(apiPath('GET /api/layers'));
  return (
    <section class="km-view km-congruence" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('cong.title')}
      </h1>
      <p class="km-intro">{t('cong.intro')}</p>
      {layers.error ? (
        <ErrorBox error={layers.error} retry={layers.retry} />
      ) : !layers.data ? (
        <Loading />
      ) : layers.data.layers.length < 2 ? (
        <Notice>{layers.data.layers.length ? t('cong.needTwo') : t('state.noData')}</Notice>
      ) : (
        <Body layers={layers.data.layers} />
      )}
    </section>
  );
}

function versionLabel(
  t: Translate,
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

function Body({ layers }: { layers: LayerInfo[] }) {
  const { t, lang, route } = useApp();
  const P = route.params;
  const has = (k: string) => layers.some((l) => l.key === k);
  // Defaults: an overlay layer (the election districts, if there are any) against the default hierarchical layer.
  const overlays = layers.filter((l) => l.kind === 'overlay');
  const fallbackA = (overlays.find((l) => l.key === 'wahlbezirk') ?? overlays[0] ?? layers[layers.length - 1]).key;
  const fallbackB = defaultLayer(layers)?.key ?? layers[0].key;
  const ra = parseRef(P.a);
  const rb = parseRef(P.b);
  const a = { layer: has(ra.layer) ? ra.layer : fallbackA, date: has(ra.layer) ? ra.date : null };
  const b = {
    layer: has(rb.layer) ? rb.layer : fallbackB === a.layer ? layers.find((l) => l.key !== a.layer)!.key : fallbackB,
    date: has(rb.layer) ? rb.date : null,
  };
  const weights = P.weights === 'area' ? 'area' : 'population';
  const dir = P.richtung === 'ba' ? 'ba' : 'ab';
  const la = layers.find((l) => l.key === a.layer)!;
  const lb = layers.find((l) => l.key === b.layer)!;
  const set = (patch: Record<string, string | null>) =>
    navigate(withParams(route, { ...patch, area: null, zoom: null }));
  const same = a.layer === b.layer && a.date === b.date;
  const url = same
    ? null
    : apiPath('GET /api/congruence', { a: layerRef(a.layer, a.date), b: layerRef(b.layer, b.date), weights });
  const cong = useApi(url);
  const areasA = useApi(
    apiPath('GET /api/layers/:layer/areas', {
      layer: a.layer,
      at: a.date ?? undefined,
      geometry: dir === 'ab' ? undefined : 'false',
    }),
  );
  const areasB = useApi(
    apiPath('GET /api/layers/:layer/areas', {
      layer: b.layer,
      at: b.date ?? undefined,
      geometry: dir === 'ba' ? undefined : 'false',
    }),
  );
  const va = versionChoices(la.versions);
  const vb = versionChoices(lb.versions);
  return (
    <div class="km-atlas__layout">
      <form class="km-panel km-controls no-print" aria-labelledby="cong-controls" onSubmit={(e) => e.preventDefault()}>
        <h2 class="kern-heading-small" id="cong-controls">
          {t('atlas.controls')}
        </h2>
        <SelectField
          id="cong-a"
          label={t('cong.layerA')}
          value={a.layer}
          options={layers.map((l) => ({ value: l.key, label: l.name }))}
          onChange={(v) => set({ a: v })}
        />
        {va.length > 1 && (
          <SelectField
            id="cong-a-date"
            label={t('cong.version')}
            value={a.date ?? ''}
            options={va.map((v) => ({ value: v.date ?? '', label: versionLabel(t, lang, v) }))}
            onChange={(v) => set({ a: layerRef(a.layer, v || null) })}
          />
        )}
        <SelectField
          id="cong-b"
          label={t('cong.layerB')}
          value={b.layer}
          options={layers.map((l) => ({ value: l.key, label: l.name }))}
          onChange={(v) => set({ b: v })}
        />
        {vb.length > 1 && (
          <SelectField
            id="cong-b-date"
            label={t('cong.version')}
            value={b.date ?? ''}
            options={vb.map((v) => ({ value: v.date ?? '', label: versionLabel(t, lang, v) }))}
            onChange={(v) => set({ b: layerRef(b.layer, v || null) })}
          />
        )}
        <Button
          small
          kind="secondary"
          icon="autorenew"
          onClick={() => set({ a: layerRef(b.layer, b.date), b: layerRef(a.layer, a.date) })}
        >
          {t('cong.swap')}
        </Button>
        <SelectField
          id="cong-weights"
          label={t('cong.basis')}
          value={weights}
          options={[
            { value: 'population', label: t('cong.basis.population') },
            { value: 'area', label: t('cong.basis.area') },
          ]}
          onChange={(v) => set({ weights: v === 'population' ? null : v })}
          hint={t('cong.basisHint')}
        />
      </form>
      <div class="km-atlas__main">
        {same ? (
          <Notice kind="warning">{t('cong.same')}</Notice>
        ) : cong.error ? (
          <ErrorBox error={cong.error} retry={cong.retry} />
        ) : areasA.error ? (
          <ErrorBox error={areasA.error} retry={areasA.retry} />
        ) : areasB.error ? (
          <ErrorBox error={areasB.error} retry={areasB.retry} />
        ) : !cong.data || !areasA.data || !areasB.data ? (
          <Loading label={t('cong.computing')} />
        ) : (
          <Result
            answer={cong.data}
            layers={layers}
            la={la}
            lb={lb}
            areasA={areasA.data}
            areasB={areasB.data}
            dir={dir}
            stale={cong.loading || areasA.loading || areasB.loading}
          />
        )}
        <ReallocateForm
          a={{ layer: a.layer, ref: layerRef(a.layer, a.date) }}
          b={{ layer: b.layer, ref: layerRef(b.layer, b.date), date: b.date }}
          aLabel={
            va.length > 1 ? `${la.name}, ${versionLabel(t, lang, va.find((v) => v.date === a.date) ?? va[0])}` : la.name
          }
          bLabel={
            vb.length > 1 ? `${lb.name}, ${versionLabel(t, lang, vb.find((v) => v.date === b.date) ?? vb[0])}` : lb.name
          }
        />
      </div>
    </div>
  );
}

function Result(p: {
  answer: CongruenceAnswer;
  layers: LayerInfo[];
  la: LayerInfo;
  lb: LayerInfo;
  areasA: AreaCollection;
  areasB: AreaCollection;
  dir: 'ab' | 'ba';
  stale: boolean;
}) {
  const { t, lang, route, href } = useApp();
  const { answer, la, lb } = p;
  const c = answer.congruence;
  const fw = c.forward.score;
  const bw = c.backward.score;
  const v = verdict(fw, bw, c.score);
  const nameA = la.name;
  const nameB = lb.name;
  const namesA = useMemo(
    () => new Map(p.areasA.features.map((f) => [f.properties.code, f.properties.name])),
    [p.areasA],
  );
  const namesB = useMemo(
    () => new Map(p.areasB.features.map((f) => [f.properties.code, f.properties.name])),
    [p.areasB],
  );
  const ab = p.dir === 'ab';
  const own = ab ? la : lb;
  const other = ab ? lb : la;
  const direction = ab ? c.forward : c.backward;
  const rows = useMemo(
    () => (ab ? congruenceRows(c.forward, namesA, namesB) : congruenceRows(c.backward, namesB, namesA)),
    [answer, ab, namesA, namesB],
  );
  const shapesOf = ab ? p.areasA : p.areasB;
  const shapes: Shape[] = useMemo(
    () =>
      shapesOf.features.map((f) => ({
        code: f.properties.code,
        name: f.properties.name,
        geometry: f.geometry,
        bbox: f.bbox,
      })),
    [shapesOf],
  );
  const pct = (x: number) => formatShare(x, lang, 1);
  const popLayer = p.layers.find((l) => l.key === answer.population?.layer)?.name ?? answer.population?.layer ?? '';
  const basis =
    answer.basis === 'area'
      ? t('cong.basisArea')
      : t('cong.basisPopulation', {
          indicator: answer.population?.indicator ?? 'einwohner',
          layer: popLayer,
          period: formatPeriod(answer.population?.period ?? '', lang),
        });
  const mapAreas = useMemo(() => {
    const m = new Map<string, MapArea>();
    for (const r of rows) {
      m.set(r.code, {
        code: r.code,
        name: r.name,
        color: SHARE_COLORS[shareClass(r.share)],
        status: 'final',
        label: r.best
          ? t('cong.areaLabel', { name: r.name, share: pct(r.share), best: r.bestName })
          : t('cong.areaLabelNone', { name: r.name }),
      });
    }
    return m;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, lang]);
  const byCode = useMemo(() => new Map(rows.map((r) => [r.code, r])), [rows]);
  const tooltip = (code: string) => {
    const r = byCode.get(code);
    if (!r) return null;
    return (
      <>
        <strong>{r.name}</strong> <span class="km-muted">({r.code})</span>
        <dl class="km-tooltip__dl">
          <dt>{t('cong.col.best')}</dt>
          <dd>{r.bestName || '–'}</dd>
          <dt>{t('cong.col.share')}</dt>
          <dd>
            <strong>{pct(r.share)}</strong>
          </dd>
          <dt>{t('cong.col.reverse')}</dt>
          <dd>{pct(r.reverseShare)}</dd>
        </dl>
      </>
    );
  };
  const q = route.params.q ?? '';
  const sort = parseSort(route.params.sort, ['name', 'code', 'best', 'share', 'reverse'], { key: 'share', dir: 'asc' });
  const shown = rows.filter((r) => matchesQuery(q, [r.name, r.code, r.bestName, r.best]));
  const columns: Column<CongruenceRow>[] = [
    {
      key: 'name',
      label: own.name,
      rowHeader: true,
      sortValue: (r) => r.name,
      render: (r) => <Link href={href('profil', { layer: own.key, area: r.code })}>{r.name}</Link>,
    },
    { key: 'code', label: t('col.code'), sortValue: (r) => r.code, render: (r) => r.code },
    {
      key: 'best',
      label: t('cong.col.bestIn', { layer: other.name }),
      sortValue: (r) => r.bestName,
      render: (r) => (r.best ? `${r.bestName} (${r.best})` : '–'),
    },
    {
      key: 'share',
      label: t('cong.col.share'),
      numeric: true,
      sortValue: (r) => r.share,
      render: (r) => (
        <span class="km-areacell">
          <span
            class="km-swatch km-swatch--small"
            style={{ background: SHARE_COLORS[shareClass(r.share)] }}
            aria-hidden="true"
          />
          {pct(r.share)}
        </span>
      ),
    },
    {
      key: 'reverse',
      label: t('cong.col.reverse'),
      numeric: true,
      sortValue: (r) => r.reverseShare,
      render: (r) => pct(r.reverseShare),
    },
  ];
  const vText = {
    identical: t('cong.verdict.identical', { a: nameA, b: nameB }),
    aInB: t('cong.verdict.aInB', { a: nameA, b: nameB, fw: pct(fw), bw: pct(bw) }),
    bInA: t('cong.verdict.bInA', { a: nameA, b: nameB, fw: pct(fw), bw: pct(bw) }),
    partial: t('cong.verdict.partial', { a: nameA, b: nameB }),
    different: t('cong.verdict.different', { a: nameA, b: nameB }),
  }[v];
  const dateNote = (x: { validFrom: string | null }) =>
    x.validFrom ? ` (${t('profile.version', { date: formatDate(x.validFrom, lang) })})` : '';
  return (
    <div class={p.stale ? 'km-stale' : undefined} aria-busy={p.stale ? 'true' : undefined}>
      <header class="km-result-head">
        <h2 class="kern-heading-medium km-result-head__title">
          {nameA}
          {dateNote(answer.a)} ↔ {nameB}
          {dateNote(answer.b)}
        </h2>
        <p class="km-result-head__meta">
          <span>{basis}</span>
        </p>
      </header>
      <ul class="km-scores" aria-label={t('cong.scores')}>
        <li class="km-score km-score--main">
          <span class="km-score__label">{t('cong.overall')}</span>
          <span class="km-score__value" data-score={c.score.toFixed(4)}>
            {pct(c.score)}
          </span>
          <span class="km-score__note">{t('cong.overallNote')}</span>
        </li>
        <li class="km-score">
          <span class="km-score__label">{t('cong.forward', { a: nameA, b: nameB })}</span>
          <span class="km-score__value" data-score={fw.toFixed(4)} id="cong-forward">
            {pct(fw)}
          </span>
          <span class="km-score__note">
            {t('cong.directionNote', {
              a: nameA,
              b: nameB,
              n: countAtLeast(c.forward, NEARLY),
              of: c.forward.areas.length,
            })}
          </span>
        </li>
        <li class="km-score">
          <span class="km-score__label">{t('cong.backward', { a: nameA, b: nameB })}</span>
          <span class="km-score__value" data-score={bw.toFixed(4)} id="cong-backward">
            {pct(bw)}
          </span>
          <span class="km-score__note">
            {t('cong.directionNote', {
              a: nameB,
              b: nameA,
              n: countAtLeast(c.backward, NEARLY),
              of: c.backward.areas.length,
            })}
          </span>
        </li>
      </ul>
      <p class="km-verdict">
        <strong>{vText}</strong>{' '}
        {t('cong.meaning', { basis: answer.basis === 'area' ? t('cong.ofArea') : t('cong.ofPopulation') })}
      </p>
      <div class="km-section__head">
        <h3 class="kern-heading-small">{t('cong.mapTitle', { layer: own.name, other: other.name })}</h3>
        <div class="km-toggle" role="group" aria-label={t('cong.direction')}>
          <button
            type="button"
            aria-pressed={ab}
            onClick={() => navigate(withParams(route, { richtung: null, area: null, zoom: null, sort: null }))}
          >
            {t('cong.dirAreasOf', { layer: nameA })}
          </button>
          <button
            type="button"
            aria-pressed={!ab}
            onClick={() => navigate(withParams(route, { richtung: 'ba', area: null, zoom: null, sort: null }))}
          >
            {t('cong.dirAreasOf', { layer: nameB })}
          </button>
        </div>
      </div>
      <div class="km-mapbox">
        <ChoroplethMap
          shapes={shapes}
          areas={mapAreas}
          label={t('cong.mapLabel', { layer: own.name, other: other.name })}
          tooltip={tooltip}
          onOpen={(code) => navigate(href('profil', { layer: own.key, area: code }))}
          zoom={route.params.zoom}
          onZoom={(z) => navigate(withParams(route, { zoom: z }), { replace: true })}
          symbols={false}
        />
        <Legend
          scheme={{ breaks: SHARE_BREAKS.map((x) => x * 100), colors: SHARE_COLORS, diverging: false }}
          values={rows.map((r) => r.share * 100)}
          statuses={[]}
          unit="%"
          decimals={0}
          title={t('cong.col.share')}
        />
      </div>
      <section class="km-section" aria-labelledby="cong-table-h">
        <div class="km-section__head">
          <h3 class="kern-heading-small" id="cong-table-h">
            {t('cong.table', { layer: own.name })}
          </h3>
        </div>
        <TextField
          id="cong-q"
          class="km-filter"
          label={t('field.filter')}
          hint={t('field.filterHint')}
          type="search"
          value={q}
          onInput={(x) => navigate(withParams(route, { q: x }), { replace: true })}
        />
        <p class="km-muted" role="status" aria-live="polite">
          {t('atlas.shown', { n: shown.length, total: rows.length })} ·{' '}
          {t('cong.fully', { n: formatNumber(countAtLeast(direction, 0.99), 0, lang) })}
        </p>
        <DataTable
          id="cong-table"
          caption={t('cong.tableCaption', { layer: own.name, other: other.name })}
          columns={columns}
          rows={shown}
          rowKey={(r) => r.code}
          sort={sort}
          onSort={(s) =>
            navigate(withParams(route, { sort: s.key === 'share' && s.dir === 'asc' ? null : formatSort(s) }), {
              replace: true,
            })
          }
        />
      </section>
    </div>
  );
}
