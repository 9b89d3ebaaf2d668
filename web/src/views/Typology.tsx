// Typologies ("Typologien", issue #5): areas grouped into types of alike areas. A definition in a
// form — layer, period, indicators, Ward (ward.D2) or k-means, number of types, standardisation,
// k-means seed and starts, excluded areas — computed live by POST /api/analysis/typology: a map of
// the types (categorical colours plus the type number on every area), the mean profile and the
// generated plain-German description of every type, the diagnostics for choosing the number of
// types (within-type spread / elbow, silhouette, Ward merge heights) as a chart and a table, and a
// table of the areas. Saving stores the types as the derived indicator `<key>_typ`; a comparison
// with a saved typology or a second computation shows the cross table and the adjusted Rand index.
// The whole definition lives in readable URL parameters, so every state is a permalink.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { navigate, withParams } from '../router.ts';
import {
  ApiError,
  useApi,
  usePost,
  type AreaCollection,
  type IndicatorInfo,
  type LayerInfo,
  type Problem,
  apiPath,
} from '../api.ts';
import {
  ariVerdict,
  bestMatches,
  checkTypology,
  compactTypology,
  DEFAULTS,
  defaultIndicators,
  definitionFromParams,
  definitionParams,
  isClusterable,
  K_MAX,
  K_MIN,
  matchedShare,
  normalizeTypology,
  pickTypologyPeriod,
  suggestK,
  textOn,
  typeColor,
  type DiagnosticRow,
  type TypologyDefinition,
  type TypologyProblem,
} from '../lib/typology.ts';
import { commonPeriods } from '../lib/indexdef.ts';
import {
  formatNumber,
  formatPeriod,
  formatShare,
  formatSigned,
  formatTick,
  versionAt,
  type Lang,
} from '../../../src/contracts/format.ts';
import { matchesQuery, parseSort } from '../lib/table.ts';
import { ChoroplethMap, type MapArea } from '../components/Map.tsx';
import { TypeBadge, TypeLegend } from '../components/TypeLegend.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Button, SelectField, TextCommitField, TextField, useSyncedText } from '../components/Fields.tsx';
import { AnalysisError, FixFirst, problemPeriod } from '../components/AnalysisError.tsx';
import { serverText } from '../lib/servertext.ts';
import { AreaTableSection, ExcludeAreaAdd, SavePanel } from '../components/AnalysisForm.tsx';
import { WithCatalog } from '../components/Catalog.tsx';
import { ErrorBox, Loading, Notice } from '../components/States.tsx';
import { Link } from '../components/Link.tsx';
import { PlotFigure } from '../components/Plot.tsx';
import { defaultLayer, useDebounced } from './common.ts';
import type { Shape } from '../../../src/core/geo/draw.ts';
import type { Key } from '../i18n/de.ts';
import type { Translate } from '../i18n/index.ts';
import { TableScroll } from '../components/TableScroll.tsx';

/** `missing`: the indicators an area has no value for, when that is why it has no type. */
import type { TypologyAnswer, TypologyComparison as CompareAnswer } from '../../../src/contracts/answers/index.ts';
type TypologyRow = TypologyAnswer['rows'][number];
/** A saved typology (indicator `<key>_typ`) that can be compared with. */
interface SavedTypology {
  indicator: string;
  name: string;
  def: TypologyDefinition;
}

type Names = (key: string) => string;

export function TypologyView() {
  const { t } = useApp();
  return (
    <section class="km-view km-typology" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('typ.title')}
      </h1>
      <p class="km-intro">{t('typ.intro')}</p>
      <WithCatalog>{(layers, indicators) => <Body layers={layers} indicators={indicators} />}</WithCatalog>
    </section>
  );
}

function Body({ layers, indicators }: { layers: LayerInfo[]; indicators: IndicatorInfo[] }) {
  const { route } = useApp();
  const P = route.params;
  const def = definitionFromParams(P);
  const periodsOf = (k: string) => indicators.find((i) => i.key === k)?.periods;
  const layerOk = layers.some((l) => l.key === def.layer);
  const needsDefaults = !layerOk || P.indicators === undefined;
  // Without a definition in the address, start with sensible defaults and write them into the
  // address at once, so that the address is a permalink from the start.
  const tried = useRef(false);
  useEffect(() => {
    if (!needsDefaults || tried.current) return;
    tried.current = true;
    const layer = layerOk ? def.layer : (defaultLayer(layers) ?? layers[0]).key;
    const inds = P.indicators !== undefined && layerOk ? def.indicators : defaultIndicators(indicators, layer);
    const period = pickTypologyPeriod(inds, periodsOf, def.period || undefined);
    navigate(withParams(route, definitionParams({ ...def, layer, indicators: inds, period })), { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [needsDefaults]);
  const [savedHere, setSavedHere] = useState<SavedTypology[]>([]);
  if (needsDefaults && !tried.current) return <Loading />;
  const names: Names = (k) => indicators.find((i) => i.key === k)?.name ?? k;
  const saved = savedTypologies(indicators, savedHere, def.layer);
  return (
    <Builder
      def={def}
      layers={layers}
      indicators={indicators}
      names={names}
      saved={saved}
      onSaved={(s) => setSavedHere((xs) => [...xs.filter((x) => x.indicator !== s.indicator), s])}
    />
  );
}

/** Saved typologies of a layer: from the catalogue (lineage kind "typology") and those saved in this session. */
function savedTypologies(indicators: IndicatorInfo[], here: SavedTypology[], layer: string): SavedTypology[] {
  const out: SavedTypology[] = [];
  for (const i of indicators) {
    if (i.lineage?.kind !== 'typology') continue;
    const def = normalizeTypology(i.lineage.definition);
    if (def) out.push({ indicator: i.key, name: i.name, def });
  }
  for (const s of here) if (!out.some((x) => x.indicator === s.indicator)) out.push(s);
  return out.filter((s) => s.def.layer === layer);
}

function Builder(p: {
  def: TypologyDefinition;
  layers: LayerInfo[];
  indicators: IndicatorInfo[];
  names: Names;
  saved: SavedTypology[];
  onSaved: (s: SavedTypology) => void;
}) {
  const { t, route } = useApp();
  const { def, layers } = p;
  const layer = layers.find((l) => l.key === def.layer);
  const areasUrl =
    layer && def.period
      ? apiPath('GET /api/layers/:layer/areas', { layer: layer.key, at: versionAt(layer.versions, def.period) })
      : null;
  const areas = useApi(areasUrl);
  const problems = checkTypology(def, { areas: areas.data?.features.length });
  const body = problems.length ? null : JSON.stringify(compactTypology(def));
  const debounced = useDebounced(body, 300);
  const result = usePost(
    debounced ? apiPath('POST /api/analysis/typology') : null,
    debounced ? JSON.parse(debounced) : null,
  );
  /** Changes the definition; `push` adds a history entry (selects, buttons), otherwise the entry is replaced (typing). */
  const update = (patch: Partial<TypologyDefinition>, push = true) =>
    navigate(withParams(route, definitionParams({ ...def, ...patch })), { replace: !push });
  const suggested = result.data && !result.error ? suggestK(result.data.diagnostics) : null;
  return (
    <div class="km-index__layout">
      <DefinitionForm
        def={def}
        update={update}
        layers={layers}
        indicators={p.indicators}
        problems={problems}
        serverProblems={result.error?.problems ?? []}
        areas={areas.data}
        suggested={suggested}
      />
      <div class="km-index__main" id="typ-result" tabIndex={-1}>
        {problems.length > 0 ? (
          <ProblemList problems={problems} />
        ) : result.error ? (
          <ResultError error={result.error} retry={result.retry} names={p.names} layer={layer?.name ?? def.layer} />
        ) : areas.error ? (
          <ErrorBox error={areas.error} retry={areas.retry} />
        ) : !result.data || !areas.data ? (
          <Loading label={t('typ.computing')} />
        ) : (
          <Result
            answer={result.data}
            def={def}
            stale={result.loading || debounced !== body}
            areas={areas.data}
            layer={layer}
            names={p.names}
            indicators={p.indicators}
            saved={p.saved}
            onSaved={p.onSaved}
          />
        )}
      </div>
    </div>
  );
}

function problemText(t: Translate, lang: Lang, p: TypologyProblem): string {
  return t(`typ.problem.${p.code}` as Key, { n: formatNumber(p.n ?? 0, 0, lang), min: K_MIN });
}

const FIELD_ID: Record<string, string> = {
  key: 'typ-key',
  name: 'typ-name',
  indicators: 'typ-indicators',
  period: 'typ-period',
  k: 'typ-k',
};

function ProblemList({ problems }: { problems: TypologyProblem[] }) {
  const { t, lang } = useApp();
  return (
    <FixFirst
      title={t('typ.fixFirst')}
      problems={problems.map((pr) => ({ field: FIELD_ID[pr.field] ?? 'typ-key', text: problemText(t, lang, pr) }))}
    />
  );
}

/** Why the server could not compute the typology, in words. */
function ResultError({
  error,
  retry,
  names,
  layer,
}: {
  error: ApiError;
  retry: () => void;
  names: Names;
  layer: string;
}) {
  const { t, lang } = useApp();
  const word = (x: Problem) => {
    if (x.code === 'no-data' && x.value)
      return t('typ.noData', { indicator: names(x.value), layer, period: formatPeriod(problemPeriod(x), lang) });
    if (x.code === 'too-few-areas') return t('typ.tooFewAreas');
    return undefined;
  };
  return (
    <AnalysisError
      error={error}
      retry={retry}
      title={t('typ.failed')}
      needsSignIn={t('typ.needsSignIn')}
      notFound={t('typ.notFound', { message: serverText(error, error.status, lang) })}
      word={word}
    />
  );
}

// ---------------------------------------------------------------------------------------------
// The form

function IntField(p: {
  id: string;
  label: string;
  hint?: string;
  value: number;
  min: number;
  max: number;
  onCommit: (v: number) => void;
}) {
  const { t } = useApp();
  const ok = (s: string) => /^-?\d+$/.test(s.trim()) && Number(s) >= p.min && Number(s) <= p.max;
  const [text, setText] = useSyncedText(String(p.value), (s) => (ok(s) ? s.trim() : null));
  return (
    <TextField
      id={p.id}
      label={p.label}
      hint={p.hint}
      value={text}
      inputMode="numeric"
      autoComplete="off"
      class="km-field--narrow"
      error={ok(text) ? undefined : t('typ.intRange', { min: p.min, max: p.max })}
      onInput={(v) => {
        setText(v);
        if (ok(v)) p.onCommit(Number(v));
      }}
    />
  );
}

/** The indicators as checkboxes, grouped by theme: those with values on the layer (and any chosen one). */
function IndicatorChecks(p: {
  id: string;
  legend: string;
  hint: string;
  layer: string;
  chosen: string[];
  indicators: IndicatorInfo[];
  onChange: (keys: string[]) => void;
  error?: string;
}) {
  const { t } = useApp();
  const shown = p.indicators.filter(
    (i) =>
      isClusterable(i) && i.periods.length && (!i.layers || i.layers.includes(p.layer) || p.chosen.includes(i.key)),
  );
  const themes: string[] = [];
  for (const i of shown) {
    const th = i.themes[0] ?? '';
    if (!themes.includes(th)) themes.push(th);
  }
  const toggle = (key: string, on: boolean) => p.onChange(on ? [...p.chosen, key] : p.chosen.filter((k) => k !== key));
  return (
    <fieldset
      class={`kern-fieldset km-fieldset ${p.error ? 'kern-fieldset--error' : ''}`}
      id={p.id}
      aria-describedby={`${p.id}-hint${p.error ? ` ${p.id}-error` : ''}`}
    >
      <legend class="kern-label">{p.legend}</legend>
      <p class="kern-hint km-hint" id={`${p.id}-hint`}>
        {p.hint} {t('typ.chosenCount', { n: p.chosen.length })}
      </p>
      {p.error && (
        <p class="kern-error" id={`${p.id}-error`}>
          <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
          <span class="kern-body">{p.error}</span>
        </p>
      )}
      <div class="km-typ-checks">
        {themes.map((th, n) => (
          <div key={th} role="group" aria-labelledby={`${p.id}-th${n}`} class="km-typ-checks__group">
            <p class="km-typ-checks__theme" id={`${p.id}-th${n}`}>
              {th || t('typ.otherTheme')}
            </p>
            {shown
              .filter((i) => (i.themes[0] ?? '') === th)
              .map((i) => {
                const id = `${p.id}-${i.key}`;
                const off = i.layers && !i.layers.includes(p.layer);
                return (
                  <div class="km-check" key={i.key}>
                    <input
                      type="checkbox"
                      id={id}
                      checked={p.chosen.includes(i.key)}
                      onChange={(e) => toggle(i.key, (e.currentTarget as HTMLInputElement).checked)}
                    />
                    <label for={id}>
                      {i.name}
                      {i.type === 'count' && <span class="km-muted"> ({t('typ.countIndicator')})</span>}
                      {off && <span class="km-muted"> {t('idx.notOnLayer')}</span>}
                    </label>
                  </div>
                );
              })}
          </div>
        ))}
      </div>
    </fieldset>
  );
}

function kOptions(t: Translate, suggested: number | null, current: number) {
  const ks = Array.from({ length: K_MAX - K_MIN + 1 }, (_, i) => K_MIN + i);
  if (!ks.includes(current)) ks.push(current);
  return ks.map((k) => ({ value: String(k), label: k === suggested ? t('typ.kSuggested', { k }) : String(k) }));
}

function DefinitionForm(p: {
  def: TypologyDefinition;
  update: (patch: Partial<TypologyDefinition>, push?: boolean) => void;
  layers: LayerInfo[];
  indicators: IndicatorInfo[];
  problems: TypologyProblem[];
  serverProblems: { column?: string | number; reason?: string }[];
  areas?: AreaCollection;
  suggested: number | null;
}) {
  const { t, lang } = useApp();
  const { def, update, indicators } = p;
  const periodsOf = (k: string) => indicators.find((i) => i.key === k)?.periods;
  const err = (field: string) => {
    const c = p.problems.find((x) => x.field === field);
    return c ? problemText(t, lang, c) : undefined;
  };
  const periods = commonPeriods(def.indicators, periodsOf);
  const periodOptions = [...new Set([...periods, ...(def.period ? [def.period] : [])])].sort().reverse();
  const layerInfo = p.layers.find((l) => l.key === def.layer);
  const areaName = (code: string) => p.areas?.features.find((f) => f.properties.code === code)?.properties.name ?? code;
  const setIndicators = (keys: string[]) =>
    update({ indicators: keys, period: pickTypologyPeriod(keys, periodsOf, def.period) });
  return (
    <form
      class="km-panel km-controls km-index__form no-print"
      aria-labelledby="typ-form-h"
      onSubmit={(e) => e.preventDefault()}
    >
      <h2 class="kern-heading-small" id="typ-form-h">
        {t('typ.definition')}
      </h2>
      <a class="kern-link km-jump" href="#typ-result">
        {t('typ.toResult')}
      </a>
      <fieldset class="kern-fieldset km-fieldset">
        <legend class="kern-label">{t('idx.basics')}</legend>
        <TextCommitField
          id="typ-name"
          label={t('typ.name')}
          value={def.name}
          onCommit={(v) => update({ name: v }, false)}
          error={err('name')}
        />
        <TextCommitField
          id="typ-key"
          label={t('typ.key')}
          hint={t('typ.keyHint', { key: `${def.key || DEFAULTS.key}_typ` })}
          value={def.key}
          onCommit={(v) => update({ key: v }, false)}
          error={err('key')}
        />
        <SelectField
          id="typ-layer"
          label={t('field.layer')}
          value={def.layer}
          options={p.layers.map((l) => ({ value: l.key, label: l.name }))}
          onChange={(v) => {
            const on = def.indicators.filter((k) => {
              const l = indicators.find((i) => i.key === k)?.layers;
              return !l || l.includes(v);
            });
            const keys = on.length >= 2 ? on : defaultIndicators(indicators, v);
            update({
              layer: v,
              indicators: keys,
              period: pickTypologyPeriod(keys, periodsOf, def.period),
              exclude: [],
            });
          }}
        />
        <SelectField
          id="typ-period"
          label={t('field.period')}
          value={def.period}
          options={periodOptions.map((x) => ({ value: x, label: formatPeriod(x, lang) }))}
          onChange={(v) => update({ period: v })}
          hint={layerInfo && layerInfo.versions.length > 1 ? t('idx.versionHint') : t('typ.periodHint')}
        />
        {err('period') && <p class="kern-error">{err('period')}</p>}
      </fieldset>

      <IndicatorChecks
        id="typ-indicators"
        legend={t('typ.indicators')}
        hint={t('typ.indicatorsHint')}
        layer={def.layer}
        chosen={def.indicators}
        indicators={indicators}
        onChange={setIndicators}
        error={err('indicators')}
      />

      <fieldset class="kern-fieldset km-fieldset">
        <legend class="kern-label">{t('typ.procedure')}</legend>
        <SelectField
          id="typ-method"
          label={t('typ.method')}
          value={def.method}
          options={(['ward', 'kmeans'] as const).map((m) => ({ value: m, label: t(`typ.method.${m}` as Key) }))}
          onChange={(v) => update({ method: v === 'kmeans' ? 'kmeans' : 'ward' })}
          hint={t(def.method === 'ward' ? 'typ.methodHint.ward' : 'typ.methodHint.kmeans')}
        />
        <SelectField
          id="typ-k"
          label={t('typ.k')}
          value={String(def.k)}
          options={kOptions(t, p.suggested, def.k)}
          onChange={(v) => update({ k: Number(v) })}
          hint={t('typ.kHint')}
        />
        {err('k') && <p class="kern-error">{err('k')}</p>}
        <SelectField
          id="typ-sd"
          label={t('typ.sd')}
          value={def.sd}
          options={(['population', 'sample'] as const).map((x) => ({ value: x, label: t(`typ.sd.${x}` as Key) }))}
          onChange={(v) => update({ sd: v === 'sample' ? 'sample' : 'population' })}
          hint={t('typ.sdHint')}
        />
        {def.method === 'kmeans' && (
          <div class="km-component__row">
            <IntField
              id="typ-seed"
              label={t('typ.seed')}
              hint={t('typ.seedHint')}
              value={def.seed}
              min={-2147483648}
              max={2147483647}
              onCommit={(v) => update({ seed: v }, false)}
            />
            <IntField
              id="typ-nstart"
              label={t('typ.nstart')}
              hint={t('typ.nstartHint')}
              value={def.nstart}
              min={1}
              max={1000}
              onCommit={(v) => update({ nstart: v }, false)}
            />
          </div>
        )}
      </fieldset>

      <fieldset class="kern-fieldset km-fieldset">
        <legend class="kern-label">{t('typ.exclusions')}</legend>
        <p class="kern-hint km-hint">{t('typ.exclusionsHint')}</p>
        {def.exclude.length === 0 ? (
          <p class="km-muted">{t('idx.noExcludedAreas')}</p>
        ) : (
          <ul class="km-excluded">
            {def.exclude.map((a, i) => (
              <li key={a.code}>
                <TextCommitField
                  id={`typ-ex${i}-reason`}
                  label={t('idx.excludedReasonFor', { name: areaName(a.code), code: a.code })}
                  value={a.reason}
                  onCommit={(v) =>
                    v && update({ exclude: def.exclude.map((x, j) => (j === i ? { ...x, reason: v } : x)) }, false)
                  }
                />
                <Button
                  small
                  kind="tertiary"
                  icon="delete"
                  onClick={() => update({ exclude: def.exclude.filter((_, j) => j !== i) })}
                  label={t('idx.includeAgain', { name: areaName(a.code) })}
                >
                  {t('idx.remove')}
                </Button>
              </li>
            ))}
          </ul>
        )}
        <ExcludeAreaAdd
          idPrefix="typ"
          areas={p.areas}
          excluded={def.exclude}
          onAdd={(x) => update({ exclude: [...def.exclude, x] })}
        />
      </fieldset>
      {p.serverProblems.length > 0 && <p class="km-muted">{t('typ.seeResult')}</p>}
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// The result

/** The reason why an area has no type, in the UI language: the indicators it lacks, or the reason given with its exclusion. */
function reasonText(t: Translate, row: TypologyRow, names: Names): string {
  if (row.missing?.length) return t('typ.noValueFor', { list: row.missing.map(names).join(', ') });
  return row.excluded || t('typ.noType');
}

function Result(p: {
  answer: TypologyAnswer;
  def: TypologyDefinition;
  stale: boolean;
  areas: AreaCollection;
  layer?: LayerInfo;
  names: Names;
  indicators: IndicatorInfo[];
  saved: SavedTypology[];
  onSaved: (s: SavedTypology) => void;
}) {
  const { t, lang, route, href } = useApp();
  const { answer, def } = p;
  const rows = answer.rows;
  const used = answer.definition ?? def;
  const nameOf = useMemo(() => new Map(p.areas.features.map((f) => [f.properties.code, f.properties.name])), [p.areas]);
  const areaName = (code: string) => nameOf.get(code) ?? code;
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
  const rowByArea = useMemo(() => new Map(rows.map((r) => [r.area, r])), [rows]);
  const typeInfo = useMemo(() => new Map(answer.types.map((x) => [x.type, x])), [answer]);
  const typed = rows.filter((r) => r.type !== null).length;
  const untyped = rows.length - typed;
  const selected = route.params.area && rowByArea.has(route.params.area) ? route.params.area : null;
  const select = (code: string) => {
    navigate(withParams(route, { area: code }), { replace: true });
    requestAnimationFrame(() =>
      document.getElementById('typ-selected')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }),
    );
  };
  const mapAreas = useMemo(() => {
    const m = new Map<string, MapArea>();
    for (const r of rows) {
      const name = areaName(r.area);
      const color = r.type === null ? null : typeColor(r.type);
      const label =
        r.type === null
          ? t('typ.mapLabelNone', { name, reason: reasonText(t, r, p.names) })
          : t('typ.mapLabel', { name, type: r.type, description: typeInfo.get(r.type)?.description ?? '' });
      m.set(r.area, {
        code: r.area,
        name,
        color,
        status: r.type === null ? 'missing' : 'final',
        label,
        mark: r.type === null ? undefined : String(r.type),
        markColor: color ? textOn(color) : undefined,
      });
    }
    return m;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, typeInfo, lang, nameOf]);
  const tooltip = (code: string) => {
    const r = rowByArea.get(code);
    if (!r) return null;
    return (
      <>
        <strong>{areaName(code)}</strong> <span class="km-muted">({code})</span>
        <dl class="km-tooltip__dl">
          <dt>{t('typ.type')}</dt>
          <dd>{r.type === null ? reasonText(t, r, p.names) : <strong>{t('typ.typeN', { n: r.type })}</strong>}</dd>
          {r.type !== null && (
            <>
              <dt>{t('typ.description')}</dt>
              <dd>{typeInfo.get(r.type)?.description}</dd>
            </>
          )}
        </dl>
      </>
    );
  };
  const layerName = p.layer?.name ?? def.layer;
  const sel = selected ? rowByArea.get(selected) : undefined;
  return (
    <div class={p.stale ? 'km-stale' : undefined} aria-busy={p.stale ? 'true' : undefined}>
      <header class="km-result-head">
        <h2 class="kern-heading-medium km-result-head__title">{used.name}</h2>
        <p class="km-result-head__meta">
          <span>{layerName}</span>
          <span>{t('atlas.reference', { date: formatPeriod(used.period, lang) })}</span>
          <span>{t(`typ.method.${used.method}` as Key)}</span>
          <span id="typ-counts">
            {t('typ.counts', {
              k: answer.types.length,
              typed: formatNumber(typed, 0, lang),
              all: formatNumber(rows.length, 0, lang),
              untyped: formatNumber(untyped, 0, lang),
            })}
          </span>
        </p>
      </header>

      <section class="km-section" aria-labelledby="typ-map-h">
        <h2 class="kern-heading-small" id="typ-map-h">
          {t('typ.mapHeading')}
        </h2>
        <div class="km-mapbox">
          <ChoroplethMap
            shapes={shapes}
            areas={mapAreas}
            label={t('typ.mapTitle', { name: used.name, layer: layerName, period: formatPeriod(used.period, lang) })}
            selected={selected}
            tooltip={tooltip}
            onOpen={select}
            keyboardHelp={t('typ.mapKeyboard')}
            zoom={route.params.zoom}
            onZoom={(z) => navigate(withParams(route, { zoom: z }), { replace: true })}
          />
          <TypeLegend types={answer.types} untyped={untyped} />
        </div>
        <div id="typ-selected" role="status" aria-live="polite">
          {sel && (
            <p class="km-typ-selected">
              <strong>{areaName(sel.area)}</strong> ({sel.area}):{' '}
              {sel.type === null
                ? reasonText(t, sel, p.names)
                : `${t('typ.typeN', { n: sel.type })} – ${typeInfo.get(sel.type)?.description ?? ''}`}{' '}
              <Link href={href('profil', { layer: def.layer, area: sel.area })}>
                {t('idx.openProfile', { name: areaName(sel.area) })}
              </Link>
            </p>
          )}
        </div>
      </section>

      <Profiles answer={answer} names={p.names} />
      <Diagnostics rows={answer.diagnostics} k={used.k} method={used.method} />
      <AreaTable answer={answer} areaName={areaName} names={p.names} layer={def.layer} selected={selected} />
      <TypologySave def={def} onSaved={p.onSaved} />
      <ComparePanel def={def} indicators={p.indicators} saved={p.saved} />
      <details class="km-details">
        <summary>{t('typ.json')}</summary>
        <p class="km-muted">{t('typ.jsonHint')}</p>
        <pre class="km-json" tabIndex={0}>
          {JSON.stringify(compactTypology(def), null, 2)}
        </pre>
      </details>
    </div>
  );
}

function Profiles({ answer, names }: { answer: TypologyAnswer; names: Names }) {
  const { t, lang } = useApp();
  const keys = answer.definition.indicators;
  const total = answer.types.reduce((s, x) => s + x.n, 0);
  const points = answer.types.flatMap((x) =>
    keys.map((k) => ({ type: x.type, indicator: names(k), mean: x.means[k] ?? 0 })),
  );
  const label = t('typ.profileChartLabel', { k: answer.types.length, n: keys.length });
  const rows = keys.map((k) => ({ key: k, name: names(k) }));
  const columns: Column<{ key: string; name: string }>[] = [
    { key: 'name', label: t('typ.indicator'), rowHeader: true, render: (r) => r.name },
    ...answer.types.map((x) => ({
      key: `t${x.type}`,
      label: t('typ.typeN', { n: x.type }),
      numeric: true,
      render: (r: { key: string }) => formatSigned(x.means[r.key], 2, lang),
    })),
  ];
  return (
    <section class="km-section" aria-labelledby="typ-prof-h">
      <h2 class="kern-heading-small" id="typ-prof-h">
        {t('typ.profiles')}
      </h2>
      <p class="km-muted">{t('typ.profilesIntro')}</p>
      <ol class="km-typecards">
        {answer.types.map((x) => (
          <li key={x.type} class="km-typecard" style={{ borderLeftColor: typeColor(x.type) }}>
            <h3 class="kern-title kern-title--small km-typecard__title">
              <TypeBadge type={x.type} /> {t('typ.typeN', { n: x.type })}
            </h3>
            <p class="km-typecard__size">
              {t('typ.size', { n: formatNumber(x.n, 0, lang), share: formatShare(total ? x.n / total : 0, lang, 0) })}
            </p>
            <p class="km-typecard__desc">{x.description}</p>
          </li>
        ))}
      </ol>
      <div role="img" aria-label={label} id="typ-profile-chart">
        <PlotFigure
          deps={[answer, lang]}
          build={(Plot, width) => {
            // One row per indicator (its name above), one line per type: a lollipop from 0 to the
            // mean, the type number on its coloured dot. The full width is left for the values.
            const ext = Math.max(1, ...points.map((d) => Math.abs(d.mean))) * 1.1;
            const types = answer.types.map((x) => x.type);
            const rowH = 18 + types.length * 17;
            return Plot.plot({
              width,
              height: 48 + keys.length * rowH,
              marginLeft: 14,
              marginRight: 14,
              marginTop: 4,
              marginBottom: 40,
              style: { fontSize: '13px', fontFamily: 'inherit' },
              fy: { axis: null, domain: rows.map((r) => r.name), padding: 0.08 },
              y: { axis: null, domain: types, insetTop: 18 },
              x: {
                domain: [-ext, ext],
                label: t('typ.meanAxis'),
                labelAnchor: 'center',
                labelOffset: 34,
                tickFormat: (v: number) => formatTick(v, lang),
                grid: true,
              },
              marks: [
                Plot.ruleX([0], { stroke: '#131525', strokeWidth: 1.5 }),
                Plot.text(rows, {
                  fy: 'name',
                  text: 'name',
                  frameAnchor: 'top-left',
                  dy: 2,
                  fontWeight: 600,
                  fill: '#131525',
                  stroke: '#ffffff',
                  strokeWidth: 4,
                  paintOrder: 'stroke',
                }),
                Plot.ruleY(points, {
                  fy: 'indicator',
                  y: 'type',
                  x1: 0,
                  x2: 'mean',
                  stroke: (d: { type: number }) => typeColor(d.type),
                  strokeWidth: 3,
                }),
                Plot.dot(points, {
                  fy: 'indicator',
                  y: 'type',
                  x: 'mean',
                  r: 7.5,
                  fill: (d: { type: number }) => typeColor(d.type),
                  stroke: '#131525',
                  strokeWidth: 0.75,
                }),
                Plot.text(points, {
                  fy: 'indicator',
                  y: 'type',
                  x: 'mean',
                  text: (d: { type: number }) => String(d.type),
                  fill: (d: { type: number }) => textOn(typeColor(d.type)),
                  fontWeight: 700,
                  fontSize: 10,
                }),
              ],
            }) as unknown as Element;
          }}
        />
      </div>
      <DataTable
        id="typ-profile-table"
        caption={t('typ.profileCaption')}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.key}
      />
    </section>
  );
}

type DiagMeasure = 'withinss' | 'silhouette' | 'height';

function Diagnostics({ rows, k, method }: { rows: DiagnosticRow[]; k: number; method: 'ward' | 'kmeans' }) {
  const { t, lang, route } = useApp();
  const measures: DiagMeasure[] = method === 'ward' ? ['withinss', 'silhouette', 'height'] : ['withinss', 'silhouette'];
  const m: DiagMeasure = measures.includes(route.params.diag as DiagMeasure)
    ? (route.params.diag as DiagMeasure)
    : 'withinss';
  const suggested = suggestK(rows);
  const best = rows.find((r) => r.k === suggested);
  const data = rows.filter((r) => r[m] !== null && Number.isFinite(r[m] as number));
  const label = t('typ.diagChartLabel', {
    measure: t(`typ.diag.${m}` as Key),
    from: rows[0]?.k ?? K_MIN,
    to: rows[rows.length - 1]?.k ?? K_MIN,
  });
  const setK = (x: number) => navigate(withParams(route, { k: x }));
  const columns: Column<DiagnosticRow>[] = [
    {
      key: 'k',
      label: t('typ.col.k'),
      rowHeader: true,
      render: (r) => (r.k === k ? t('typ.kCurrent', { k: r.k }) : String(r.k)),
    },
    { key: 'withinss', label: t('typ.diag.withinss'), numeric: true, render: (r) => formatNumber(r.withinss, 1, lang) },
    {
      key: 'explained',
      label: t('typ.col.explained'),
      numeric: true,
      render: (r) => formatShare(r.explained, lang, 1),
    },
    {
      key: 'silhouette',
      label: t('typ.diag.silhouette'),
      numeric: true,
      render: (r) => formatNumber(r.silhouette, 3, lang),
    },
    ...(method === 'ward'
      ? [
          {
            key: 'height',
            label: t('typ.diag.height'),
            numeric: true,
            render: (r: DiagnosticRow) => formatNumber(r.height, 2, lang),
          },
        ]
      : []),
    {
      key: 'use',
      label: t('typ.col.use'),
      render: (r) =>
        r.k === k ? (
          <span class="km-muted">{t('typ.chosen')}</span>
        ) : (
          <button type="button" class="km-linkbutton" onClick={() => setK(r.k)}>
            {t('typ.useK', { k: r.k })}
          </button>
        ),
    },
  ];
  return (
    <section class="km-section" aria-labelledby="typ-diag-h">
      <div class="km-section__head">
        <h2 class="kern-heading-small" id="typ-diag-h">
          {t('typ.diagnostics')}
        </h2>
        <div class="km-toggle" role="group" aria-label={t('typ.diagMeasure')}>
          {measures.map((x) => (
            <button
              key={x}
              type="button"
              aria-pressed={m === x}
              onClick={() => navigate(withParams(route, { diag: x === 'withinss' ? null : x }), { replace: true })}
            >
              {t(`typ.diagShort.${x}` as Key)}
            </button>
          ))}
        </div>
      </div>
      <p id="typ-diag-explain">{t(`typ.diagExplain.${m}` as Key)}</p>
      {best && (
        <p id="typ-suggestion">
          <strong>{t('typ.suggestion', { k: best.k, s: formatNumber(best.silhouette, 2, lang) })}</strong>{' '}
          {t('typ.suggestionNote')}
        </p>
      )}
      <div role="img" aria-label={label} id="typ-diag-chart">
        <PlotFigure
          deps={[rows, m, k, lang]}
          build={(Plot, width) =>
            Plot.plot({
              width,
              height: 240,
              marginLeft: 56,
              marginBottom: 42,
              style: { fontSize: '13px', fontFamily: 'inherit' },
              x: {
                label: t('typ.col.k'),
                labelAnchor: 'center',
                labelOffset: 36,
                ticks: data.map((r) => r.k),
                tickFormat: (v: number) => String(v),
              },
              y: { label: t(`typ.diag.${m}` as Key), grid: true, tickFormat: (v: number) => formatTick(v, lang) },
              marks: [
                Plot.ruleX([k], { stroke: '#131525', strokeDasharray: '5,3' }),
                Plot.line(data, { x: 'k', y: m, stroke: '#0b5ea8', strokeWidth: 2 }),
                Plot.dot(data, {
                  x: 'k',
                  y: m,
                  r: (d: DiagnosticRow) => (d.k === k ? 7 : 4),
                  fill: (d: DiagnosticRow) => (d.k === k ? '#131525' : '#ffffff'),
                  stroke: '#0b5ea8',
                  strokeWidth: 2,
                  symbol: (d: DiagnosticRow) => (d.k === suggested ? 'diamond' : 'circle'),
                }),
              ],
            }) as unknown as Element
          }
        />
      </div>
      <DataTable
        id="typ-diag-table"
        caption={t('typ.diagCaption')}
        columns={columns}
        rows={rows}
        rowKey={(r) => String(r.k)}
        rowClass={(r) => (r.k === k ? 'km-row--selected' : undefined)}
      />
    </section>
  );
}

interface AreaRow {
  area: string;
  name: string;
  type: number | null;
  excluded: string | null;
}

function AreaTable(p: {
  answer: TypologyAnswer;
  areaName: (c: string) => string;
  names: Names;
  layer: string;
  selected: string | null;
}) {
  const { t, lang, route, href } = useApp();
  const q = route.params.q ?? '';
  const sort = parseSort(route.params.sort, ['name', 'area', 'type'], { key: 'type', dir: 'asc' });
  const all: AreaRow[] = p.answer.rows.map((r) => ({ ...r, name: p.areaName(r.area) }));
  const rows = all.filter((r) =>
    matchesQuery(q, [r.name, r.area, r.type === null ? '' : t('typ.typeN', { n: r.type })]),
  );
  const columns: Column<AreaRow>[] = [
    {
      key: 'name',
      label: t('col.area'),
      rowHeader: true,
      sortValue: (r) => r.name,
      render: (r) => <Link href={href('profil', { layer: p.layer, area: r.area })}>{r.name}</Link>,
    },
    { key: 'area', label: t('col.code'), sortValue: (r) => r.area, render: (r) => r.area },
    {
      key: 'type',
      label: t('typ.type'),
      sortValue: (r) => r.type,
      render: (r) =>
        r.type === null ? (
          <span class="km-muted">{reasonText(t, r, p.names)}</span>
        ) : (
          <span class="km-areacell">
            <TypeBadge type={r.type} />
            {t('typ.typeN', { n: r.type })}
          </span>
        ),
    },
  ];
  void lang;
  return (
    <AreaTableSection
      idPrefix="typ"
      heading={t('typ.table')}
      filterHint={t('typ.filterHint')}
      caption={t('typ.tableCaption')}
      columns={columns}
      rows={rows}
      total={all.length}
      sort={sort}
      defaultSort="type"
      selected={p.selected}
    />
  );
}

function TypologySave({ def, onSaved }: { def: TypologyDefinition; onSaved: (s: SavedTypology) => void }) {
  const { t, href, lang } = useApp();
  const indicator = `${def.key}_typ`;
  return (
    <SavePanel
      idPrefix="typ"
      texts={{
        heading: t('typ.save'),
        intro: t('typ.saveIntro', { indicator }),
        signIn: t('typ.saveSignIn'),
        forbidden: t('typ.saveForbidden'),
        button: t('typ.saveButton', { indicator }),
        failed: t('typ.saveFailed'),
      }}
      signInNext="/typologie"
      path={apiPath('POST /api/analysis/typology/save')}
      body={compactTypology(def)}
      current={JSON.stringify(compactTypology(def))}
      onSaved={(r) => onSaved({ indicator: r.indicator, name: def.name, def })}
      savedNotice={(a) => (
        <Notice kind="success" title={t('typ.saved', { indicator: a.indicator })}>
          <p>
            {t('typ.savedText', {
              types: a.types,
              areas: formatNumber(a.areas, 0, lang),
              period: formatPeriod(a.period, lang),
            })}
          </p>
          <p class="km-links">
            <Link href={href('atlas', { indicator: a.indicator, layer: def.layer, period: a.period })}>
              {t('typ.openInAtlas', { indicator: a.indicator })}
            </Link>
          </p>
        </Notice>
      )}
    />
  );
}

// ---------------------------------------------------------------------------------------------
// Comparing with a second typology

function ComparePanel({
  def,
  indicators,
  saved,
}: {
  def: TypologyDefinition;
  indicators: IndicatorInfo[];
  saved: SavedTypology[];
}) {
  const { t, lang, route } = useApp();
  const P = route.params;
  const mode = P.vgl ?? '';
  const savedSel = saved.find((s) => s.indicator === mode);
  const second =
    mode === 'neu' ? definitionFromParams(P, { ...def, name: t('typ.secondName'), key: `${def.key}_b` }, 'v') : null;
  const b = savedSel?.def ?? second;
  const problems = second ? checkTypology(second) : [];
  const body = b && !problems.length ? { a: compactTypology(def), b: compactTypology(b) } : null;
  const cmp = usePost(body && apiPath('POST /api/analysis/typology/compare'), body);
  const options = [
    { value: '', label: t('typ.compareNone') },
    { value: 'neu', label: t('typ.compareSecond') },
    ...saved.map((s) => ({
      value: s.indicator,
      label: t('typ.compareSaved', { name: s.name, indicator: s.indicator, period: formatPeriod(s.def.period, lang) }),
    })),
    ...(mode && mode !== 'neu' && !savedSel
      ? [{ value: mode, label: t('typ.compareUnknown', { indicator: mode }) }]
      : []),
  ];
  const setMode = (v: string) => {
    if (v === 'neu')
      navigate(
        withParams(route, { vgl: v, vmethod: def.method === 'ward' ? 'kmeans' : 'ward', vk: null, vindicators: null }),
      );
    else navigate(withParams(route, { vgl: v || null, vmethod: null, vk: null, vindicators: null }));
  };
  return (
    <section class="km-section km-panel" aria-labelledby="typ-cmp-h" id="typ-compare">
      <h2 class="kern-heading-small" id="typ-cmp-h">
        {t('typ.compare')}
      </h2>
      <p>{t('typ.compareIntro')}</p>
      <div class="km-typ-compare__form no-print">
        <SelectField
          id="typ-vgl"
          label={t('typ.compareWith')}
          value={mode}
          options={options}
          onChange={setMode}
          hint={saved.length ? undefined : t('typ.compareNoSaved')}
        />
        {second && (
          <div class="km-typ-compare__second">
            <SelectField
              id="typ-vmethod"
              label={t('typ.method')}
              value={second.method}
              options={(['ward', 'kmeans'] as const).map((x) => ({ value: x, label: t(`typ.method.${x}` as Key) }))}
              onChange={(v) => navigate(withParams(route, { vmethod: v }))}
            />
            <SelectField
              id="typ-vk"
              label={t('typ.k')}
              value={String(second.k)}
              options={kOptions(t, null, second.k)}
              onChange={(v) => navigate(withParams(route, { vk: v === String(def.k) ? null : v }))}
            />
            <IndicatorChecks
              id="typ-vindicators"
              legend={t('typ.indicators')}
              hint={t('typ.secondIndicatorsHint')}
              layer={def.layer}
              chosen={second.indicators}
              indicators={indicators}
              onChange={(keys) =>
                navigate(
                  withParams(route, {
                    vindicators: keys.join(',') === def.indicators.join(',') ? null : keys.join(',') || ',',
                  }),
                )
              }
              error={
                problems.some((x) => x.code === 'indicators') ? t('typ.problem.indicators', { min: K_MIN }) : undefined
              }
            />
          </div>
        )}
      </div>
      {!b ? null : problems.length ? null : cmp.error ? (
        <ErrorBox error={cmp.error} retry={cmp.retry} title={t('typ.compareFailed')} />
      ) : !cmp.data ? (
        <Loading label={t('typ.comparing')} />
      ) : (
        <CompareResult
          answer={cmp.data}
          nameA={def.name}
          nameB={savedSel ? savedSel.name : (second?.name ?? '')}
          stale={cmp.loading}
        />
      )}
    </section>
  );
}

function CompareResult({
  answer,
  nameA,
  nameB,
  stale,
}: {
  answer: CompareAnswer;
  nameA: string;
  nameB: string;
  stale: boolean;
}) {
  const { t, lang } = useApp();
  const ari = answer.adjustedRandIndex;
  const v = ariVerdict(ari);
  const ct = answer.crossTable;
  const matches = bestMatches(ct);
  const same = nameA === nameB;
  const A = same ? `A (${nameA})` : nameA;
  const B = same ? `B (${nameB})` : nameB;
  const typeLabel = (x: number | string) => (typeof x === 'number' ? t('typ.typeN', { n: x }) : String(x));
  return (
    <div class={stale ? 'km-stale' : undefined} aria-busy={stale ? 'true' : undefined}>
      <ul class="km-scores" aria-label={t('typ.compareScores')}>
        <li class="km-score km-score--main">
          <span class="km-score__label">{t('typ.ari')}</span>
          <span class="km-score__value" id="typ-ari" data-ari={ari.toFixed(6)}>
            {formatNumber(ari, 2, lang)}
          </span>
          <span class="km-score__note">{t('typ.ariScale')}</span>
        </li>
        <li class="km-score">
          <span class="km-score__label">{t('typ.matched')}</span>
          <span class="km-score__value">{formatShare(matchedShare(ct), lang, 0)}</span>
          <span class="km-score__note">{t('typ.matchedNote', { n: formatNumber(ct.n, 0, lang) })}</span>
        </li>
      </ul>
      <p class="km-verdict" id="typ-verdict">
        <strong>{t(`typ.verdict.${v}` as Key, { a: A, b: B })}</strong> {t('typ.ariExplain')}
      </p>
      <h3 class="kern-title kern-title--small">{t('typ.bestMatches')}</h3>
      <ul class="km-typ-matches">
        {matches.map((m) => (
          <li key={String(m.a)}>
            {t('typ.matchLine', {
              a: A,
              ta: typeLabel(m.a),
              share: formatShare(m.share, lang, 0),
              b: B,
              tb: typeLabel(m.b),
            })}
          </li>
        ))}
      </ul>
      <TableScroll labelledBy="typ-cross-caption">
        <table class="kern-table kern-table--small km-table km-crosstab" id="typ-cross">
          <caption class="kern-title km-table__caption" id="typ-cross-caption">
            {t('typ.crossCaption', { a: A, b: B })}
          </caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th scope="col" class="kern-table__header">
                {A} ↓ · {B} →
              </th>
              {ct.cols.map((c) => (
                <th key={String(c)} scope="col" class="kern-table__header kern-table__header--numeric">
                  {typeLabel(c)}
                </th>
              ))}
              <th scope="col" class="kern-table__header kern-table__header--numeric">
                {t('typ.total')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {ct.rows.map((r, i) => (
              <tr key={String(r)} class="kern-table__row">
                <th scope="row" class="kern-table__header km-rowheader">
                  {typeLabel(r)}
                </th>
                {ct.counts[i].map((n, j) => (
                  <td
                    key={j}
                    class={`kern-table__cell kern-table__cell--numeric ${matches[i].b === ct.cols[j] && n > 0 ? 'km-crosstab__best' : ''}`}
                  >
                    {n === 0 ? '–' : formatNumber(n, 0, lang)}
                  </td>
                ))}
                <td class="kern-table__cell kern-table__cell--numeric">{formatNumber(ct.rowTotals[i], 0, lang)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot class="kern-table__footer">
            <tr class="kern-table__row">
              <th scope="row" class="kern-table__header km-rowheader">
                {t('typ.total')}
              </th>
              {ct.colTotals.map((n, j) => (
                <td key={j} class="kern-table__cell kern-table__cell--numeric">
                  {formatNumber(n, 0, lang)}
                </td>
              ))}
              <td class="kern-table__cell kern-table__cell--numeric">{formatNumber(ct.n, 0, lang)}</td>
            </tr>
          </tfoot>
        </table>
      </TableScroll>
      <p class="km-muted">{t('typ.crossNote', { skipped: formatNumber(ct.skipped, 0, lang) })}</p>
      <details class="km-details">
        <summary>{t('typ.merged', { k: answer.merged.types.length })}</summary>
        <p>{t('typ.mergedIntro')}</p>
        <ul>
          {answer.merged.types.map((x) => (
            <li key={x.type}>
              {t('typ.mergedLine', {
                n: x.type,
                areas: formatNumber(x.n, 0, lang),
                combos: x.combinations
                  .map((c) =>
                    c
                      .split('|')
                      .map((s, i) => `${i === 0 ? 'A' : 'B'}${s}`)
                      .join('×'),
                  )
                  .join(', '),
              })}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
