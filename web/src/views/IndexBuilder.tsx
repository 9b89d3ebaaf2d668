// Index builder ("Indizes", issue #5): a composite index defined in a form — layer, period,
// components (indicator, weight, direction), transformation, combination, second standardisation,
// classes and exclusions — with a live preview from POST /api/analysis/index: a map of the classes,
// the distribution of the scores, a table, and the breakdown of one area's score into the
// contributions of its components. The sensitivity analysis (1 000 Monte-Carlo runs and
// leave-one-indicator-out) hatches shaky areas. The whole definition lives in the URL (`def`,
// compact JSON), so the address is a permalink; saving stores it as derived indicators.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { navigate, withParams } from '../router.ts';
import {
  ApiError,
  useApi,
  usePost,
  type Loadable,
  type AreaCollection,
  type IndicatorInfo,
  type LayerInfo,
  type Problem,
  apiPath,
} from '../api.ts';
import {
  applyTemplate,
  checkDefinition,
  classColors,
  commonPeriods,
  compactDefinition,
  decodeDefinition,
  earlierPeriod,
  encodeDefinition,
  formatNumberList,
  formatPlain,
  isShaky,
  parseDecimal,
  parseLabels,
  parseNumberList,
  scoreBins,
  SHAKY_BELOW,
  type Classes,
  type DefinitionProblem,
  type IndexDefinition,
  type Transform,
  templateDefinitions,
} from '../lib/indexdef.ts';
import { quantileBreaks, classOf } from '../../../src/core/stats/classify.ts';
import {
  formatNumber,
  formatPeriod,
  formatShare,
  formatSigned,
  formatTick,
  versionAt,
} from '../../../src/contracts/format.ts';
import { matchesQuery, parseSort } from '../lib/table.ts';
import { ChoroplethMap, PatternDefs, type MapArea } from '../components/Map.tsx';
import type { Column } from '../components/DataTable.tsx';
import { Button, SelectField, TextCommitField, TextField, useSyncedText } from '../components/Fields.tsx';
import { AnalysisError, FixFirst, problemPeriod } from '../components/AnalysisError.tsx';
import { serverText, problemText as serverProblemText, type ProblemLike } from '../lib/servertext.ts';
import { renderKnown } from '../../../src/contracts/codes/index.ts';
import { AreaTableSection, ExcludeAreaAdd, SavePanel } from '../components/AnalysisForm.tsx';
import { WithCatalog } from '../components/Catalog.tsx';
import { ErrorBox, Loading, Notice } from '../components/States.tsx';
import { BinTable } from '../components/BinTable.tsx';
import { Link } from '../components/Link.tsx';
import { PlotFigure } from '../components/Plot.tsx';
import { IndexBreakdown, exclusionText, type IndexRow } from '../components/IndexBreakdown.tsx';
import { defaultLayer, useDebounced } from './common.ts';
import type { Shape } from '../../../src/core/geo/draw.ts';
import type { Key } from '../i18n/de.ts';
import type { Translate } from '../i18n/index.ts';

import type { IndexAnswer } from '../../../src/contracts/answers/index.ts';
import type { SensitivityArea, SensitivityResult as SensitivityAnswer } from '../../../src/core/stats/sensitivity.ts';
const RUNS = 1000;

export function IndexBuilder() {
  const { t } = useApp();
  // The shipped templates come from the server (GET /api/analysis/templates), the one source.
  const tpl = useApi(apiPath('GET /api/analysis/templates'));
  const templates = useMemo(() => tpl.data && templateDefinitions(tpl.data.templates), [tpl.data]);
  return (
    <section class="km-view km-index" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('idx.title')}
      </h1>
      <p class="km-intro">{t('idx.intro')}</p>
      {tpl.error ? (
        <ErrorBox error={tpl.error} retry={tpl.retry} />
      ) : (
        <WithCatalog ready={!!templates}>
          {(layers, indicators) => <Builder layers={layers} indicators={indicators} templates={templates!} />}
        </WithCatalog>
      )}
    </section>
  );
}

function Builder({
  layers,
  indicators,
  templates,
}: {
  layers: LayerInfo[];
  indicators: IndicatorInfo[];
  templates: Record<string, IndexDefinition>;
}) {
  const { t, route, lang } = useApp();
  const P = route.params;
  const periodsOf = (k: string) => indicators.find((i) => i.key === k)?.periods;
  const fromTemplate = (name: string, layer?: string) =>
    applyTemplate(templates[name], {
      layers: layers.map((l) => l.key),
      fallbackLayer: defaultLayer(layers)?.key ?? layers[0].key,
      periodsOf,
      layer,
    });
  const decoded = useMemo(() => decodeDefinition(P.def), [P.def]);
  // Without a definition in the address, start with the status template and write it into the
  // address at once, so that the address is a permalink from the start.
  useEffect(() => {
    if (!P.def) navigate(withParams(route, { def: encodeDefinition(fromTemplate('status')) }), { replace: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [P.def]);
  if (!P.def) return <Loading />;
  if ('error' in decoded) {
    return (
      <Notice kind="warning" title={t('idx.badLink')}>
        <p>{t('idx.badLinkText')}</p>
        <Button
          kind="primary"
          onClick={() =>
            navigate(withParams(route, { def: encodeDefinition(fromTemplate('status')), area: null, sens: null }))
          }
        >
          {t('idx.startWithTemplate', { name: templates.status?.name ?? 'Statusindex' })}
        </Button>
      </Notice>
    );
  }
  const def = decoded.def;
  /** Changes the definition; `push` adds a history entry (selects, buttons), otherwise the entry is replaced (typing). */
  const update = (next: IndexDefinition, push = false) =>
    navigate(withParams(route, { def: encodeDefinition(next) }), { replace: !push });
  void lang;
  return (
    <BuilderBody
      def={def}
      update={update}
      layers={layers}
      indicators={indicators}
      templates={templates}
      fromTemplate={fromTemplate}
    />
  );
}

function BuilderBody(p: {
  def: IndexDefinition;
  update: (d: IndexDefinition, push?: boolean) => void;
  layers: LayerInfo[];
  indicators: IndicatorInfo[];
  templates: Record<string, IndexDefinition>;
  fromTemplate: (name: string, layer?: string) => IndexDefinition;
}) {
  const { t, route } = useApp();
  const { def, layers, indicators } = p;
  const problems = checkDefinition(def);
  const body = useMemo(() => compactDefinition(def), [route.params.def]);
  const debounced = useDebounced(problems.length ? null : JSON.stringify(body), 300);
  const preview = usePost(
    debounced ? apiPath('POST /api/analysis/index') : null,
    debounced ? JSON.parse(debounced) : null,
  );
  const sensOn = route.params.sens === '1';
  const sens = usePost(
    sensOn && debounced ? apiPath('POST /api/analysis/index/sensitivity', { runs: RUNS }) : null,
    debounced ? JSON.parse(debounced) : null,
  );
  const layer = layers.find((l) => l.key === def.layer);
  const areasUrl = layer
    ? apiPath('GET /api/layers/:layer/areas', { layer: layer.key, at: versionAt(layer.versions, def.period) })
    : null;
  const areas = useApi(areasUrl);
  const names = useMemo(() => {
    const m = new Map(indicators.map((i) => [i.key, i.name]));
    return (k: string) => m.get(k);
  }, [indicators]);
  return (
    <div class="km-index__layout">
      <DefinitionForm
        def={def}
        update={p.update}
        layers={layers}
        indicators={indicators}
        templates={p.templates}
        fromTemplate={p.fromTemplate}
        problems={problems}
        serverProblems={preview.error?.problems ?? []}
        areas={areas.data}
      />
      <div class="km-index__main" id="idx-preview" tabIndex={-1}>
        {problems.length > 0 ? (
          <ProblemList problems={problems} />
        ) : preview.error ? (
          <PreviewError error={preview.error} retry={preview.retry} names={names} layer={layer?.name ?? def.layer} />
        ) : !preview.data ? (
          <Loading label={t('idx.computing')} />
        ) : areas.error ? (
          <ErrorBox error={areas.error} retry={areas.retry} />
        ) : !areas.data ? (
          <Loading />
        ) : (
          <Preview
            answer={preview.data}
            def={def}
            stale={preview.loading || debounced !== JSON.stringify(body)}
            areas={areas.data}
            layer={layer}
            names={names}
            sens={sensOn ? sens : null}
          />
        )}
      </div>
    </div>
  );
}

/** Why the server could not compute the preview, in words (with the server's hints). */
function PreviewError({
  error,
  retry,
  names,
  layer,
}: {
  error: ApiError;
  retry: () => void;
  names: (k: string) => string | undefined;
  layer: string;
}) {
  const { t, lang } = useApp();
  const word = (p: Problem) =>
    p.code === 'no-data' && p.value
      ? t('idx.noData', { indicator: names(p.value) ?? p.value, layer, period: formatPeriod(problemPeriod(p), lang) })
      : undefined;
  return (
    <AnalysisError
      error={error}
      retry={retry}
      title={t('idx.previewFailed')}
      needsSignIn={t('idx.needsSignIn')}
      notFound={t('idx.notFound', { message: serverText(error, error.status, lang) })}
      word={word}
      hints
    />
  );
}

function problemText(t: Translate, p: DefinitionProblem): string {
  return t(`idx.problem.${p.code}` as Key, { expected: p.expected ?? '', got: p.got ?? '' });
}

function ProblemList({ problems }: { problems: DefinitionProblem[] }) {
  const { t } = useApp();
  return (
    <FixFirst
      title={t('idx.fixFirst')}
      problems={problems.map((pr) => ({ field: fieldId(pr.field), text: problemText(t, pr) }))}
    />
  );
}

/** The id of the form field a problem's path names. */
function fieldId(path: string): string {
  const m = /^components\.(\d+)\.(indicator|weight)$/.exec(path);
  if (m) return `idx-c${m[1]}-${m[2]}`;
  const a = /^exclude\.areas\.(\d+)\./.exec(path);
  if (a) return `idx-ex${a[1]}-reason`;
  const map: Record<string, string> = {
    key: 'idx-key',
    name: 'idx-name',
    components: 'idx-add-component',
    'classes.breaks': 'idx-breaks',
    'classes.labels': 'idx-labels',
    'classes.n': 'idx-n',
    'exclude.minBase': 'idx-minbase-value',
    'change.from': 'idx-change-from',
  };
  return map[path] ?? 'idx-key';
}

// ---------------------------------------------------------------------------------------------
// The form

function NumberField(p: {
  id: string;
  label: string;
  value: number;
  onCommit: (v: number) => void;
  hint?: string;
  error?: string;
  class?: string;
}) {
  const { t, lang } = useApp();
  const canon = formatPlain(p.value, lang);
  const [text, setText] = useSyncedText(canon, (s) => {
    const n = parseDecimal(s);
    return n === null ? null : formatPlain(n, lang);
  });
  const parsed = parseDecimal(text);
  return (
    <TextField
      id={p.id}
      label={p.label}
      hint={p.hint}
      class={p.class}
      value={text}
      inputMode="decimal"
      autoComplete="off"
      error={parsed === null ? t('idx.notANumber') : p.error}
      onInput={(v) => {
        setText(v);
        const n = parseDecimal(v);
        if (n !== null) p.onCommit(n);
      }}
    />
  );
}

function ListField(p: {
  id: string;
  label: string;
  hint?: string;
  canonical: string;
  parse: (s: string) => string | null;
  onCommit: (text: string) => void;
  error?: string;
  parseError?: string;
}) {
  const [text, setText] = useSyncedText(p.canonical, p.parse);
  const bad = p.parse(text) === null;
  return (
    <TextField
      id={p.id}
      label={p.label}
      hint={p.hint}
      value={text}
      autoComplete="off"
      error={bad ? p.parseError : p.error}
      onInput={(v) => {
        setText(v);
        if (p.parse(v) !== null) p.onCommit(v);
      }}
    />
  );
}

function DefinitionForm(p: {
  def: IndexDefinition;
  update: (d: IndexDefinition, push?: boolean) => void;
  layers: LayerInfo[];
  indicators: IndicatorInfo[];
  templates: Record<string, IndexDefinition>;
  fromTemplate: (name: string, layer?: string) => IndexDefinition;
  problems: DefinitionProblem[];
  serverProblems: ({ column?: string | number } & ProblemLike)[];
  areas?: AreaCollection;
}) {
  const { t, lang, route } = useApp();
  const { def, update, indicators } = p;
  const set = (patch: Partial<IndexDefinition>, push = false) => update({ ...def, ...patch }, push);
  const err = (field: string) => {
    const c = p.problems.find((x) => x.field === field);
    if (c) return problemText(t, c);
    const s = p.serverProblems.find((x) => x.column === field);
    return s ? serverProblemText(s, lang) : undefined;
  };
  const layerInfo = p.layers.find((l) => l.key === def.layer);
  // Inputs with their own period ("within" or fixed) do not limit the index's periods.
  const keys = def.components.filter((c) => !c.period).map((c) => c.indicator);
  const periods = commonPeriods(keys, (k) => indicators.find((i) => i.key === k)?.periods);
  const periodOptions = [...new Set([...periods, def.period])].sort().reverse();
  const indicatorOptions = (current: string) => {
    const sorted = [...indicators].sort(
      (a, b) => (a.themes[0] ?? '').localeCompare(b.themes[0] ?? '', 'de') || a.name.localeCompare(b.name, 'de'),
    );
    const opts = sorted.map((i) => ({
      value: i.key,
      label: `${i.themes[0] ? `${i.themes[0]}: ` : ''}${i.name}${i.layers && !i.layers.includes(def.layer) ? ` ${t('idx.notOnLayer')}` : ''}`,
    }));
    if (current && !indicators.some((i) => i.key === current))
      opts.unshift({ value: current, label: `${current} ${t('idx.unknownIndicator')}` });
    return opts;
  };
  const nextFree = () =>
    indicators.find((i) => !keys.includes(i.key) && (!i.layers || i.layers.includes(def.layer)) && i.type !== 'count')
      ?.key ?? indicators[0].key;
  const classes = def.classes;
  const classMethod = classes?.method ?? 'none';
  const setClasses = (c: Classes | undefined, push = false) => {
    const next = { ...def };
    if (c) next.classes = c;
    else delete next.classes;
    update(next, push);
  };
  const transformValue =
    def.transform?.method === 'zscore'
      ? `zscore-${def.transform.sd ?? 'population'}`
      : (def.transform?.method ?? 'zscore-population');
  const excluded = def.exclude?.areas ?? [];
  const areaName = (code: string) => p.areas?.features.find((f) => f.properties.code === code)?.properties.name ?? code;
  const closedOptions = (['right', 'left', 'centre'] as const).map((c) => ({
    value: c,
    label: t(`idx.closed.${c}` as Key),
  }));
  return (
    <form
      class="km-panel km-controls km-index__form no-print"
      aria-labelledby="idx-form-h"
      onSubmit={(e) => e.preventDefault()}
    >
      <h2 class="kern-heading-small" id="idx-form-h">
        {t('idx.definition')}
      </h2>
      <a class="kern-link km-jump" href="#idx-preview">
        {t('idx.toPreview')}
      </a>
      <fieldset class="kern-fieldset km-fieldset">
        <legend class="kern-label">{t('idx.templates')}</legend>
        <p class="kern-hint km-hint">{t('idx.templatesHint')}</p>
        <div class="km-template-buttons">
          {Object.entries(p.templates).map(([k, tp]) => (
            <Button
              key={k}
              small
              kind={def.key === tp.key ? 'primary' : 'secondary'}
              onClick={() =>
                navigate(
                  withParams(route, {
                    def: encodeDefinition(p.fromTemplate(k, k === 'bildungsteilhabe' ? undefined : def.layer)),
                    area: null,
                  }),
                )
              }
            >
              {tp.name}
            </Button>
          ))}
        </div>
      </fieldset>

      <fieldset class="kern-fieldset km-fieldset">
        <legend class="kern-label">{t('idx.basics')}</legend>
        <TextCommitField
          id="idx-name"
          label={t('idx.name')}
          value={def.name}
          onCommit={(v) => set({ name: v })}
          error={err('name')}
        />
        <TextCommitField
          id="idx-key"
          label={t('idx.key')}
          hint={t('idx.keyHint', { key: def.key || 'status' })}
          value={def.key}
          onCommit={(v) => set({ key: v })}
          error={err('key')}
        />
        <SelectField
          id="idx-layer"
          label={t('field.layer')}
          value={def.layer}
          options={p.layers.map((l) => ({ value: l.key, label: l.name }))}
          onChange={(v) => set({ layer: v, exclude: { ...def.exclude, areas: [] } }, true)}
        />
        <SelectField
          id="idx-period"
          label={t('field.period')}
          value={def.period}
          options={periodOptions.map((x) => ({ value: x, label: formatPeriod(x, lang) }))}
          onChange={(v) =>
            set(
              {
                period: v,
                ...(def.change && def.change.from >= v ? { change: { from: earlierPeriod(periods, v, 2) } } : {}),
              },
              true,
            )
          }
          hint={layerInfo && layerInfo.versions.length > 1 ? t('idx.versionHint') : undefined}
        />
        <div class="km-check">
          <input
            type="checkbox"
            id="idx-change"
            checked={!!def.change}
            onChange={(e) => {
              const on = (e.currentTarget as HTMLInputElement).checked;
              const next = { ...def };
              if (on) next.change = { from: earlierPeriod(periods, def.period, 2) };
              else delete next.change;
              update(next, true);
            }}
          />
          <label for="idx-change">{t('idx.change')}</label>
        </div>
        {def.change && (
          <SelectField
            id="idx-change-from"
            label={t('idx.changeFrom')}
            value={def.change.from}
            options={[...new Set([...periods.filter((x) => x < def.period), def.change.from])]
              .sort()
              .reverse()
              .map((x) => ({ value: x, label: formatPeriod(x, lang) }))}
            onChange={(v) => set({ change: { from: v } }, true)}
          />
        )}
        {def.change && err('change.from') && <p class="kern-error">{err('change.from')}</p>}
      </fieldset>

      <fieldset class="kern-fieldset km-fieldset">
        <legend class="kern-label">{t('idx.components')}</legend>
        <p class="kern-hint km-hint">{t('idx.componentsHint')}</p>
        <ol class="km-components">
          {def.components.map((c, i) => (
            <li key={`${i}-${c.indicator}`} class="km-component">
              <SelectField
                id={`idx-c${i}-indicator`}
                label={t('idx.componentN', { n: i + 1 })}
                value={c.indicator}
                options={indicatorOptions(c.indicator)}
                onChange={(v) =>
                  set(
                    {
                      components: def.components.map((x, j) => (j === i ? { ...x, indicator: v, name: undefined } : x)),
                    },
                    true,
                  )
                }
              />
              {err(`components.${i}.indicator`) && <p class="kern-error">{err(`components.${i}.indicator`)}</p>}
              <div class="km-component__row">
                <NumberField
                  id={`idx-c${i}-weight`}
                  label={t('idx.weight')}
                  value={c.weight}
                  onCommit={(v) =>
                    set({ components: def.components.map((x, j) => (j === i ? { ...x, weight: v } : x)) })
                  }
                  error={err(`components.${i}.weight`)}
                  class="km-field--narrow"
                />
                <SelectField
                  id={`idx-c${i}-direction`}
                  label={t('idx.direction')}
                  value={String(c.direction)}
                  options={[
                    { value: '1', label: t('idx.dir.up') },
                    { value: '-1', label: t('idx.dir.down') },
                  ]}
                  onChange={(v) =>
                    set(
                      {
                        components: def.components.map((x, j) =>
                          j === i ? { ...x, direction: v === '-1' ? -1 : 1 } : x,
                        ),
                      },
                      true,
                    )
                  }
                />
              </div>
              <Button
                small
                kind="tertiary"
                icon="delete"
                onClick={() => set({ components: def.components.filter((_, j) => j !== i) }, true)}
                label={t('idx.removeComponent', {
                  name: indicators.find((x) => x.key === c.indicator)?.name ?? c.indicator,
                })}
                disabled={def.components.length <= 1}
              >
                {t('idx.remove')}
              </Button>
            </li>
          ))}
        </ol>
        <Button
          small
          icon="add"
          onClick={() =>
            set({ components: [...def.components, { indicator: nextFree(), weight: 1, direction: 1 }] }, true)
          }
          class="km-add"
          label={t('idx.addComponent')}
        >
          <span id="idx-add-component">{t('idx.addComponent')}</span>
        </Button>
      </fieldset>

      <fieldset class="kern-fieldset km-fieldset">
        <legend class="kern-label">{t('idx.computation')}</legend>
        <SelectField
          id="idx-transform"
          label={t('idx.transform')}
          value={transformValue}
          options={(['zscore-population', 'zscore-sample', 'minmax', 'percentile'] as const).map((x) => ({
            value: x,
            label: t(`idx.transform.${x}` as Key),
          }))}
          onChange={(v) =>
            set(
              {
                transform: (v.startsWith('zscore')
                  ? { method: 'zscore', sd: v === 'zscore-sample' ? 'sample' : 'population' }
                  : { method: v }) as Transform,
              },
              true,
            )
          }
        />
        <SelectField
          id="idx-combine"
          label={t('idx.combine')}
          value={def.combine ?? 'sum'}
          options={(['sum', 'mean'] as const).map((x) => ({ value: x, label: t(`idx.combine.${x}` as Key) }))}
          onChange={(v) => set({ combine: v as 'sum' | 'mean' }, true)}
        />
        <div class="km-check">
          <input
            type="checkbox"
            id="idx-restandardize"
            checked={def.restandardize !== false && def.restandardize !== undefined}
            onChange={(e) => set({ restandardize: (e.currentTarget as HTMLInputElement).checked }, true)}
          />
          <label for="idx-restandardize">{t('idx.restandardize')}</label>
        </div>
        <SelectField
          id="idx-missing"
          label={t('idx.missing')}
          value={def.missing ?? 'exclude'}
          options={(['exclude', 'mean'] as const).map((x) => ({ value: x, label: t(`idx.missing.${x}` as Key) }))}
          onChange={(v) => set({ missing: v as 'exclude' | 'mean' }, true)}
        />
      </fieldset>

      <fieldset class="kern-fieldset km-fieldset">
        <legend class="kern-label">{t('idx.classes')}</legend>
        <SelectField
          id="idx-class-method"
          label={t('idx.classMethod')}
          value={classMethod}
          options={(['thresholds', 'quantiles', 'manual', 'none'] as const).map((x) => ({
            value: x,
            label: t(`idx.classMethod.${x}` as Key),
          }))}
          onChange={(v) => {
            if (v === 'none') return setClasses(undefined, true);
            if (v === 'quantiles')
              return setClasses(
                { method: 'quantiles', n: 5, labels: ['sehr gering', 'gering', 'mittel', 'hoch', 'sehr hoch'] },
                true,
              );
            const breaks = classes && classes.method !== 'quantiles' ? classes.breaks : [-1, 1, 1.5];
            const labels =
              classes && classes.method !== 'quantiles'
                ? classes.labels
                : ['hoch', 'mittel', 'niedrig', 'sehr niedrig'];
            setClasses({ method: v as 'thresholds' | 'manual', breaks, labels }, true);
          }}
        />
        {classes && classes.method !== 'quantiles' && (
          <ListField
            id="idx-breaks"
            label={t('idx.breaks')}
            hint={t('idx.breaksHint')}
            canonical={formatNumberList(classes.breaks, lang)}
            parse={(s) => {
              const xs = parseNumberList(s);
              return xs && xs.length ? formatNumberList(xs, lang) : null;
            }}
            onCommit={(s) => setClasses({ ...classes, breaks: parseNumberList(s) ?? [] })}
            error={err('classes.breaks')}
            parseError={t('idx.problem.breaks')}
          />
        )}
        {classes?.method === 'quantiles' && (
          <SelectField
            id="idx-n"
            label={t('idx.quantileN')}
            value={String(classes.n)}
            options={[2, 3, 4, 5, 6, 7, 8, 10].map((n) => ({ value: String(n), label: String(n) }))}
            onChange={(v) =>
              setClasses(
                {
                  ...classes,
                  n: Number(v),
                  labels: classes.labels && classes.labels.length === Number(v) ? classes.labels : undefined,
                },
                true,
              )
            }
          />
        )}
        {classes && (
          <ListField
            id="idx-labels"
            label={t('idx.labels')}
            hint={t('idx.labelsHint')}
            canonical={(classes.labels ?? []).join('; ')}
            parse={(s) => parseLabels(s).join('; ')}
            onCommit={(s) => {
              const labels = parseLabels(s);
              if (classes.method === 'quantiles') {
                const next = { ...classes } as Classes & { labels?: string[] };
                if (labels.length) next.labels = labels;
                else delete next.labels;
                setClasses(next);
              } else setClasses({ ...classes, labels });
            }}
            error={err('classes.labels')}
          />
        )}
        {classes && (
          <SelectField
            id="idx-closed"
            label={t('idx.closed')}
            value={classes.closed ?? (classes.method === 'thresholds' ? 'centre' : 'right')}
            options={closedOptions}
            onChange={(v) => setClasses({ ...classes, closed: v as 'left' | 'right' | 'centre' }, true)}
          />
        )}
      </fieldset>

      <fieldset class="kern-fieldset km-fieldset">
        <legend class="kern-label">{t('idx.exclusions')}</legend>
        <SelectField
          id="idx-minbase"
          label={t('idx.minBase')}
          value={def.exclude?.minBase?.indicator ?? ''}
          options={[
            { value: '', label: t('idx.minBaseNone') },
            ...indicators.filter((i) => i.type === 'count').map((i) => ({ value: i.key, label: i.name })),
          ]}
          onChange={(v) =>
            set(
              {
                exclude: {
                  ...def.exclude,
                  minBase: v ? { indicator: v, min: def.exclude?.minBase?.min ?? 300 } : undefined,
                },
              },
              true,
            )
          }
        />
        {def.exclude?.minBase && (
          <NumberField
            id="idx-minbase-value"
            label={t('idx.minBaseValue', {
              indicator:
                indicators.find((i) => i.key === def.exclude!.minBase!.indicator)?.name ??
                def.exclude.minBase.indicator,
            })}
            value={def.exclude.minBase.min}
            onCommit={(v) =>
              set({ exclude: { ...def.exclude, minBase: { indicator: def.exclude!.minBase!.indicator, min: v } } })
            }
            error={err('exclude.minBase')}
          />
        )}
        <p class="kern-label km-sublabel" id="idx-ex-h">
          {t('idx.excludedAreas')}
        </p>
        {excluded.length === 0 ? (
          <p class="km-muted">{t('idx.noExcludedAreas')}</p>
        ) : (
          <ul class="km-excluded" aria-labelledby="idx-ex-h">
            {excluded.map((a, i) => (
              <li key={a.code}>
                <TextCommitField
                  id={`idx-ex${i}-reason`}
                  label={t('idx.excludedReasonFor', { name: areaName(a.code), code: a.code })}
                  value={a.reason}
                  onCommit={(v) =>
                    set({
                      exclude: { ...def.exclude, areas: excluded.map((x, j) => (j === i ? { ...x, reason: v } : x)) },
                    })
                  }
                  error={err(`exclude.areas.${i}.reason`)}
                />
                <Button
                  small
                  kind="tertiary"
                  icon="delete"
                  onClick={() => set({ exclude: { ...def.exclude, areas: excluded.filter((_, j) => j !== i) } }, true)}
                  label={t('idx.includeAgain', { name: areaName(a.code) })}
                >
                  {t('idx.remove')}
                </Button>
              </li>
            ))}
          </ul>
        )}
        <ExcludeAreaAdd
          idPrefix="idx"
          areas={p.areas}
          excluded={excluded}
          onAdd={(x) => set({ exclude: { ...def.exclude, areas: [...excluded, x] } }, true)}
        />
      </fieldset>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// The preview

interface ClassInfo {
  k: number;
  breaks: number[];
  labels: string[];
  colors: string[];
  /** 0-based class of a row, null without a score. */
  of: (r: IndexRow) => number | null;
  fromDefinition: boolean;
}

function classInfo(def: IndexDefinition, ans: IndexAnswer, t: Translate, lang: 'de' | 'en'): ClassInfo {
  const c = def.classes;
  const centre = c?.centre ?? 0;
  if (c && ans.result.stats.breaks) {
    const breaks = ans.result.stats.breaks;
    const k = breaks.length + 1;
    const labels = Array.from({ length: k }, (_, i) => c.labels?.[i] ?? t('idx.classN', { n: i + 1 }));
    return {
      k,
      breaks,
      labels,
      colors: classColors(k, breaks, centre),
      of: (r) => (r.class === null ? null : r.class - 1),
      fromDefinition: true,
    };
  }
  // Without classes: quintiles of the scores, for the map only.
  const scores = ans.result.rows.filter((r) => r.score !== null).map((r) => r.score as number);
  const breaks = quantileBreaks(scores, 5);
  const k = breaks.length + 1;
  const labels = Array.from({ length: k }, (_, i) => rangeText(t, lang, breaks, i));
  return {
    k,
    breaks,
    labels,
    colors: classColors(k, breaks, 0),
    of: (r) => (r.score === null ? null : classOf(r.score, breaks)),
    fromDefinition: false,
  };
}

function rangeText(t: Translate, lang: 'de' | 'en', breaks: number[], i: number): string {
  const f = (x: number) => formatSigned(x, 2, lang);
  if (!breaks.length) return t('idx.allScores');
  if (i === 0) return t('idx.range.below', { to: f(breaks[0]) });
  if (i === breaks.length) return t('idx.range.above', { from: f(breaks[i - 1]) });
  return t('idx.range.between', { from: f(breaks[i - 1]), to: f(breaks[i]) });
}

function Preview(p: {
  answer: IndexAnswer;
  def: IndexDefinition;
  stale: boolean;
  areas: AreaCollection;
  layer?: LayerInfo;
  names: (k: string) => string | undefined;
  sens: Loadable<SensitivityAnswer> | null;
}) {
  const { t, lang, route, href } = useApp();
  const { answer, def } = p;
  const rows = answer.result.rows;
  const stats = answer.result.stats;
  const cls = useMemo(() => classInfo(answer.definition ?? def, answer, t, lang), [answer, lang]);
  const nameOf = useMemo(() => new Map(p.areas.features.map((f) => [f.properties.code, f.properties.name])), [p.areas]);
  const areaName = (code: string) => nameOf.get(code) ?? code;
  const sensByArea = useMemo(() => new Map((p.sens?.data?.areas ?? []).map((a) => [a.area, a])), [p.sens?.data]);
  const sensReady = !!p.sens?.data && !p.sens.loading;
  const shaky = (code: string) => sensReady && isShaky(sensByArea.get(code)?.weights?.keepShare);
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
  const scored = rows.filter((r) => r.score !== null).sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9));
  const selected =
    route.params.area && rowByArea.has(route.params.area) ? route.params.area : (scored[0]?.area ?? null);
  const select = (code: string) => {
    navigate(withParams(route, { area: code }), { replace: true });
    requestAnimationFrame(() =>
      document.getElementById('idx-why')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }),
    );
  };
  const mapAreas = useMemo(() => {
    const m = new Map<string, MapArea>();
    for (const r of rows) {
      const c = cls.of(r);
      const name = areaName(r.area);
      const unsure = shaky(r.area);
      const keep = sensByArea.get(r.area)?.weights?.keepShare;
      const label =
        r.score === null
          ? t('idx.mapLabelExcluded', {
              name,
              reason: r.excluded ? exclusionText(t, lang, r, p.names) : t('idx.noScoreUnknown'),
            })
          : t('idx.mapLabel', { name, score: formatSigned(r.score, 2, lang), label: c === null ? '' : cls.labels[c] }) +
            (unsure ? `, ${t('idx.unsureLabel', { share: formatShare(keep ?? 0, lang, 0) })}` : '');
      m.set(r.area, {
        code: r.area,
        name,
        color: c === null ? null : cls.colors[c],
        status: r.score === null ? 'missing' : 'final',
        label,
        hatch: unsure,
      });
    }
    return m;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [rows, cls, sensByArea, sensReady, lang]);
  const tooltip = (code: string) => {
    const r = rowByArea.get(code);
    if (!r) return null;
    const c = cls.of(r);
    const s = sensByArea.get(code);
    return (
      <>
        <strong>{areaName(code)}</strong> <span class="km-muted">({code})</span>
        <dl class="km-tooltip__dl">
          {r.score === null ? (
            <>
              <dt>{t('idx.excluded')}</dt>
              <dd>{r.excluded ? exclusionText(t, lang, r, p.names) : ''}</dd>
            </>
          ) : (
            <>
              <dt>{t('idx.score')}</dt>
              <dd>
                <strong>{formatSigned(r.score, 2, lang)}</strong>
              </dd>
              <dt>{t('col.class')}</dt>
              <dd>{c === null ? '' : cls.labels[c]}</dd>
              <dt>{t('col.rank')}</dt>
              <dd>{t('profile.rankOf', { rank: r.rank ?? '', of: stats.nValid })}</dd>
              {s?.weights && sensReady && (
                <>
                  <dt>{t('idx.keepShare')}</dt>
                  <dd>{formatShare(s.weights.keepShare ?? 0, lang, 0)}</dd>
                  <dt>{t('idx.rankRange')}</dt>
                  <dd>
                    {s.weights.minRank}–{s.weights.maxRank}
                  </dd>
                </>
              )}
            </>
          )}
        </dl>
      </>
    );
  };
  const selRow = selected ? rowByArea.get(selected) : undefined;
  const layerName = p.layer?.name ?? def.layer;
  const counts = Array.from({ length: cls.k }, (_, i) => rows.filter((r) => cls.of(r) === i).length);
  const nShaky = sensReady ? rows.filter((r) => shaky(r.area)).length : 0;
  const [prefix] = useState(() => `idx-legend-${Math.random().toString(36).slice(2, 8)}`);
  return (
    <div class={p.stale ? 'km-stale' : undefined} aria-busy={p.stale ? 'true' : undefined}>
      <header class="km-result-head">
        <h2 class="kern-heading-medium km-result-head__title">{answer.definition?.name ?? def.name}</h2>
        <p class="km-result-head__meta">
          <span>{layerName}</span>
          <span>{t('atlas.reference', { date: formatPeriod(answer.period, lang) })}</span>
          {Object.entries(answer.componentPeriods ?? {})
            .filter(([, period]) => period !== answer.period)
            .map(([key, period]) => (
              <span key={key}>
                {t('idx.inputPeriod', { indicator: p.names(key) ?? key, date: formatPeriod(period, lang) })}
              </span>
            ))}
          {def.change && <span>{t('idx.changeSince', { date: formatPeriod(def.change.from, lang) })}</span>}
          <span>
            {t('idx.counts', {
              valid: formatNumber(stats.nValid, 0, lang),
              all: formatNumber(stats.nAreas, 0, lang),
              excluded: formatNumber(stats.nExcluded, 0, lang),
            })}
          </span>
        </p>
      </header>
      {answer.result.warnings.length > 0 && (
        <Notice kind="warning" title={t('idx.warnings')}>
          <ul>
            {answer.result.warnings.map((w, i) => (
              <li key={i}>
                {(answer.result.warningCodes?.length === answer.result.warnings.length
                  ? renderKnown(answer.result.warningCodes[i], lang)
                  : undefined) ?? w}
              </li>
            ))}
          </ul>
        </Notice>
      )}
      <div class="km-mapbox">
        <ChoroplethMap
          shapes={shapes}
          areas={mapAreas}
          label={t('idx.mapTitle', {
            name: answer.definition?.name ?? def.name,
            layer: layerName,
            period: formatPeriod(answer.period, lang),
          })}
          selected={selected}
          tooltip={tooltip}
          onOpen={select}
          keyboardHelp={t('idx.mapKeyboard')}
          zoom={route.params.zoom}
          onZoom={(z) => navigate(withParams(route, { zoom: z }), { replace: true })}
        />
        <div class="km-legend">
          <svg width="0" height="0" class="km-defs" aria-hidden="true" focusable="false">
            <PatternDefs prefix={prefix} />
          </svg>
          <h3 class="kern-title kern-title--small km-legend__title">
            {cls.fromDefinition ? t('idx.legendClasses') : t('idx.legendQuintiles')}
          </h3>
          <ul class="km-legend__list">
            {cls.colors.map((c, i) => (
              <li key={i} class="km-legend__item">
                <span class="km-swatch" style={{ background: c }} aria-hidden="true" />
                <span class="km-legend__label">
                  {cls.labels[i]}
                  {cls.fromDefinition && (
                    <span class="km-muted km-legend__range"> ({rangeText(t, lang, cls.breaks, i)})</span>
                  )}
                </span>
                <span class="km-legend__count">
                  {counts[i] === 1 ? t('legend.area') : t('legend.areas', { n: counts[i] })}
                </span>
              </li>
            ))}
          </ul>
          <ul class="km-legend__list km-legend__list--status">
            {stats.nExcluded > 0 && (
              <li class="km-legend__item">
                <svg class="km-swatch" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                  <rect width="16" height="16" fill={`url(#${prefix}-missing)`} stroke="#6e7597" />
                </svg>
                <span class="km-legend__label">{t('idx.excludedLegend')}</span>
                <span class="km-legend__count">
                  {stats.nExcluded === 1 ? t('legend.area') : t('legend.areas', { n: stats.nExcluded })}
                </span>
              </li>
            )}
            {sensReady && (
              <li class="km-legend__item">
                <svg class="km-swatch" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                  <rect width="16" height="16" fill="#fff" stroke="#6e7597" />
                  <rect width="16" height="16" fill={`url(#${prefix}-hatch)`} />
                </svg>
                <span class="km-legend__label">
                  {t('idx.shakyLegend', { share: formatShare(SHAKY_BELOW, lang, 0) })}
                </span>
                <span class="km-legend__count">
                  {nShaky === 1 ? t('legend.area') : t('legend.areas', { n: nShaky })}
                </span>
              </li>
            )}
          </ul>
          <p class="km-legend__note">{t('idx.legendNote')}</p>
        </div>
      </div>

      <SensitivityPanel sens={p.sens} nShaky={nShaky} />

      <section class="km-section" aria-labelledby="idx-why-h" id="idx-why">
        {selRow ? (
          <>
            <IndexBreakdown
              def={answer.definition ?? def}
              row={selRow}
              areaName={areaName(selRow.area)}
              names={p.names}
              nValid={stats.nValid}
              idPrefix="idx-why"
              headingLevel={2}
            />
            <p class="km-links">
              <Link href={href('profil', { layer: def.layer, area: selRow.area })}>
                {t('idx.openProfile', { name: areaName(selRow.area) })}
              </Link>
            </p>
          </>
        ) : (
          <h2 class="kern-heading-small" id="idx-why-h">
            {t('idx.whyChoose')}
          </h2>
        )}
      </section>

      <ScoreHistogram rows={rows} cls={cls} />
      <ResultTable
        rows={rows}
        cls={cls}
        areaName={areaName}
        names={p.names}
        sens={sensReady ? sensByArea : null}
        selected={selected}
        onSelect={select}
        nValid={stats.nValid}
      />
      <IndexSave def={def} />
      <details class="km-details">
        <summary>{t('idx.json')}</summary>
        <p class="km-muted">{t('idx.jsonHint')}</p>
        <pre class="km-json" tabIndex={0}>
          {JSON.stringify(compactDefinition(def), null, 2)}
        </pre>
      </details>
    </div>
  );
}

function SensitivityPanel({ sens, nShaky }: { sens: Loadable<SensitivityAnswer> | null; nShaky: number }) {
  const { t, lang, route } = useApp();
  const on = !!sens;
  return (
    <section class="km-section km-panel km-sens" aria-labelledby="idx-sens-h">
      <div class="km-section__head">
        <h2 class="kern-heading-small" id="idx-sens-h">
          {t('idx.sensitivity')}
        </h2>
        <Button
          kind={on ? 'tertiary' : 'primary'}
          small
          onClick={() => navigate(withParams(route, { sens: on ? null : '1' }))}
          class="km-sens__toggle"
        >
          {on ? t('idx.sensHide') : t('idx.sensRun', { runs: formatNumber(RUNS, 0, lang) })}
        </Button>
      </div>
      {!on ? (
        <p class="km-muted">{t('idx.sensIntro', { share: formatShare(SHAKY_BELOW, lang, 0) })}</p>
      ) : sens.error ? (
        <ErrorBox error={sens.error} retry={sens.retry} />
      ) : !sens.data ? (
        <Loading label={t('idx.sensComputing', { runs: formatNumber(RUNS, 0, lang) })} />
      ) : (
        <div class={sens.loading ? 'km-stale' : undefined} role="status" aria-live="polite">
          <p>
            {sens.data.summary.stableUnderWeights !== null
              ? t('idx.sensSummary', {
                  stable: formatNumber(sens.data.summary.stableUnderWeights, 0, lang),
                  n: formatNumber(sens.data.summary.nValid, 0, lang),
                  runs: formatNumber(sens.data.runs, 0, lang),
                  eps: formatShare(sens.data.epsilon, lang, 0),
                })
              : t('idx.sensNoClasses')}{' '}
            {sens.data.summary.stableUnderLeaveOneOut !== null &&
              t('idx.sensLoo', { stable: formatNumber(sens.data.summary.stableUnderLeaveOneOut, 0, lang) })}
          </p>
          <p>
            <strong>
              {t(nShaky === 1 ? 'idx.sensShakyOne' : 'idx.sensShaky', {
                n: formatNumber(nShaky, 0, lang),
                share: formatShare(SHAKY_BELOW, lang, 0),
              })}
            </strong>
          </p>
        </div>
      )}
    </section>
  );
}

function ScoreHistogram({ rows, cls }: { rows: IndexRow[]; cls: ClassInfo }) {
  const { t, lang } = useApp();
  const scores = rows.filter((r) => r.score !== null).map((r) => r.score as number);
  const bins = scoreBins(scores, 14);
  const label = t('idx.histogramLabel', { n: scores.length });
  if (!scores.length) return null;
  const data = bins.map((b) => {
    const mid = (b.x0 + b.x1) / 2;
    return { ...b, fill: cls.colors[classOf(mid, cls.breaks)] ?? '#4292c6' };
  });
  return (
    <section class="km-section" aria-labelledby="idx-hist-h">
      <h2 class="kern-heading-small" id="idx-hist-h">
        {t('idx.distribution')}
      </h2>
      <div role="img" aria-label={label}>
        <PlotFigure
          deps={[rows, cls, lang]}
          build={(Plot, width) =>
            Plot.plot({
              width,
              height: 270,
              marginLeft: 46,
              marginBottom: 42,
              style: { fontSize: '13px', fontFamily: 'inherit' },
              x: {
                label: t('idx.score'),
                labelAnchor: 'center',
                labelOffset: 36,
                tickFormat: (v: number) => formatTick(v, lang),
              },
              y: { grid: true, label: t('col.count') },
              marks: [
                Plot.rectY(data, {
                  x1: 'x0',
                  x2: 'x1',
                  y: 'n',
                  fill: 'fill',
                  stroke: '#6e7597',
                  strokeWidth: 0.5,
                  inset: 0.5,
                }),
                Plot.ruleX(cls.breaks, { stroke: '#131525', strokeWidth: 1.5, strokeDasharray: '5,3' }),
                Plot.ruleY([0]),
              ],
            }) as unknown as Element
          }
        />
      </div>
      <p class="km-muted">{cls.breaks.length ? t('idx.histogramNote') : ''}</p>
      <BinTable
        id="idx-bins"
        label={label}
        bins={bins.map((b) => ({ from: b.x0, to: b.x1, n: b.n }))}
        format={(x) => formatSigned(x, 2, lang)}
      />
    </section>
  );
}

interface TableRow extends IndexRow {
  name: string;
  cls: number | null;
  s: SensitivityArea | undefined;
}

function ResultTable(p: {
  rows: IndexRow[];
  cls: ClassInfo;
  areaName: (c: string) => string;
  names: (k: string) => string | undefined;
  sens: Map<string, SensitivityArea> | null;
  selected: string | null;
  onSelect: (c: string) => void;
  nValid: number;
}) {
  const { t, lang, route } = useApp();
  const q = route.params.q ?? '';
  const sortKeys = ['name', 'area', 'score', 'class', 'rank', 'keep', 'loo'];
  const sort = parseSort(route.params.sort, sortKeys, { key: 'rank', dir: 'asc' });
  const all: TableRow[] = p.rows.map((r) => ({
    ...r,
    name: p.areaName(r.area),
    cls: p.cls.of(r),
    s: p.sens?.get(r.area),
  }));
  const rows = all.filter((r) => matchesQuery(q, [r.name, r.area]));
  const columns: Column<TableRow>[] = [
    {
      key: 'name',
      label: t('col.area'),
      rowHeader: true,
      sortValue: (r) => r.name,
      render: (r) => (
        <button
          type="button"
          class="km-linkbutton"
          aria-pressed={r.area === p.selected ? 'true' : 'false'}
          onClick={() => p.onSelect(r.area)}
          title={t('idx.showWhy', { name: r.name })}
        >
          {r.name}
        </button>
      ),
    },
    { key: 'area', label: t('col.code'), sortValue: (r) => r.area, render: (r) => r.area },
    {
      key: 'score',
      label: t('idx.score'),
      numeric: true,
      sortValue: (r) => r.score,
      render: (r) => (r.score === null ? '…' : formatSigned(r.score, 2, lang)),
    },
    {
      key: 'class',
      label: t('col.class'),
      sortValue: (r) => r.cls,
      render: (r) =>
        r.cls === null ? (
          ''
        ) : (
          <span class="km-areacell">
            <span class="km-swatch km-swatch--small" style={{ background: p.cls.colors[r.cls] }} aria-hidden="true" />
            {p.cls.fromDefinition ? `${r.cls + 1} ${p.cls.labels[r.cls]}` : p.cls.labels[r.cls]}
          </span>
        ),
    },
    {
      key: 'rank',
      label: t('col.rank'),
      numeric: true,
      sortValue: (r) => r.rank,
      render: (r) => (r.rank === null ? '' : String(r.rank)),
    },
    ...(p.sens
      ? ([
          {
            key: 'keep',
            label: t('idx.keepShare'),
            numeric: true,
            sortValue: (r) => r.s?.weights?.keepShare ?? null,
            render: (r) => {
              const k = r.s?.weights?.keepShare;
              if (k === null || k === undefined) return '';
              return (
                <span class={isShaky(k) ? 'km-shaky' : undefined}>
                  {formatShare(k, lang, 0)}
                  {isShaky(k) && <span class="km-shaky__mark"> ({t('idx.shaky')})</span>}
                </span>
              );
            },
          },
          {
            key: 'range',
            label: t('idx.rankRange'),
            numeric: true,
            render: (r) => (r.s?.weights ? `${r.s.weights.minRank}–${r.s.weights.maxRank}` : ''),
          },
          {
            key: 'loo',
            label: t('idx.looKeep'),
            numeric: true,
            sortValue: (r) => r.s?.leaveOneOut?.keepShare ?? null,
            render: (r) =>
              r.s?.leaveOneOut?.keepShare === null || r.s?.leaveOneOut?.keepShare === undefined
                ? ''
                : formatShare(r.s.leaveOneOut.keepShare, lang, 0),
          },
          {
            key: 'changes',
            label: t('idx.looChanges'),
            render: (r) => (r.s?.leaveOneOut?.changesWhenDropping ?? []).map((k) => p.names(k) ?? k).join(', '),
          },
        ] as Column<TableRow>[])
      : []),
    {
      key: 'excluded',
      label: t('idx.excluded'),
      render: (r) => (r.excluded ? exclusionText(t, lang, r, p.names) : ''),
    },
  ];
  return (
    <AreaTableSection
      idPrefix="idx"
      heading={t('idx.table')}
      filterHint={t('field.filterHint')}
      caption={t('idx.tableCaption', { n: p.nValid })}
      columns={columns}
      rows={rows}
      total={all.length}
      sort={sort}
      defaultSort="rank"
      selected={p.selected}
    />
  );
}

function IndexSave({ def }: { def: IndexDefinition }) {
  const { t, href, route, lang } = useApp();
  return (
    <SavePanel
      idPrefix="idx"
      texts={{
        heading: t('idx.save'),
        intro: t('idx.saveIntro', { score: `${def.key}_wert`, cls: `${def.key}_klasse` }),
        signIn: t('idx.saveSignIn'),
        forbidden: t('idx.saveForbidden'),
        button: t('idx.saveButton', { key: def.key }),
        failed: t('idx.saveFailed'),
      }}
      signInNext="/index"
      path={apiPath('POST /api/analysis/index/save')}
      body={compactDefinition(def)}
      current={route.params.def ?? ''}
      savedNotice={(a) => (
        <Notice kind="success" title={t('idx.saved', { key: a.key, version: a.version })}>
          <p>
            {t('idx.savedText', {
              scored: formatNumber(a.scored, 0, lang),
              areas: formatNumber(a.areas, 0, lang),
              period: formatPeriod(a.period, lang),
              conf: t(`confidentiality.${a.confidentiality}` as Key),
            })}
          </p>
          <p class="km-links">
            <Link href={href('atlas', { indicator: a.indicators.score, layer: def.layer, period: a.period })}>
              {t('idx.openInAtlas', { key: a.indicators.score })}
            </Link>
            {a.indicators.class && (
              <Link href={href('atlas', { indicator: a.indicators.class, layer: def.layer, period: a.period })}>
                {t('idx.openInAtlas', { key: a.indicators.class })}
              </Link>
            )}
          </p>
        </Notice>
      )}
    />
  );
}
