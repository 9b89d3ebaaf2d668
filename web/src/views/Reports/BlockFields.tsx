// The fields of one block, each with the widget its kind needs (core's BLOCK_FIELDS): indicator
// and layer pickers from the catalogue, areas of the chosen layer (or the report's area
// parameter), saved indices and typologies, facility sets, and text for the rest.
import { useState } from 'preact/hooks';
import { useApp } from '../../context.ts';
import { useApi, type IndicatorInfo, type LayerInfo, apiPath } from '../../api.ts';
import { Button, SelectField, TextField, type Option } from '../../components/Fields.tsx';
import { BLOCK_FIELDS, type BlockField, type BlockSpec } from '../../../../src/core/report/model.ts';
import type { Key } from '../../i18n/index.ts';

/** Fields with an explaining hint under their label. */
const HINTED = new Set(['period', 'compare', 'classes', 'highlight']);

/** What the pickers offer, loaded once for the editor. */
export interface EditorCatalogue {
  indicators: IndicatorInfo[];
  layers: LayerInfo[];
  facilitySets: { key: string; name: string }[];
  /** The measures registry's fields of action (Handlungsfelder). */
  fieldsOfAction: { code: string; title: string }[];
  /** The report's area parameter (its layer), if it has one. */
  areaParameter: string | null;
}

type Spec = Record<string, unknown>;

export function BlockFields(p: {
  id: string;
  spec: BlockSpec;
  catalogue: EditorCatalogue;
  onField: (name: string, value: unknown) => void;
}) {
  const spec = p.spec as unknown as Spec;
  return (
    <>
      {BLOCK_FIELDS[p.spec.type].map((f) => (
        <Field
          key={f.name}
          id={`${p.id}-${f.name}`}
          field={f}
          spec={spec}
          catalogue={p.catalogue}
          onChange={(v) => p.onField(f.name, v)}
        />
      ))}
    </>
  );
}

function Field(p: {
  id: string;
  field: BlockField;
  spec: Spec;
  catalogue: EditorCatalogue;
  onChange: (v: unknown) => void;
}) {
  const { t } = useApp();
  const { field, spec, catalogue } = p;
  const label = `${t(`reports.field.${field.name}` as Key)}${field.required ? '' : ` ${t('reports.optional')}`}`;
  const value = spec[field.name];
  const text = typeof value === 'string' ? value : '';
  const hint = HINTED.has(field.name) ? t(`reports.fieldHint.${field.name}` as Key) : '';
  const choose = (opts: Option[], known: (v: string) => boolean): Option[] => {
    const out = [{ value: '', label: field.required ? t('reports.choosePlease') : t('reports.none.option') }, ...opts];
    // A value the catalogue no longer has stays visible (the preview names the problem).
    if (text && !known(text)) out.push({ value: text, label: t('reports.unknownValue', { value: text }) });
    return out;
  };
  switch (field.kind) {
    case 'markdown':
      return (
        <div class="kern-form-input km-field">
          <label class="kern-label" for={p.id}>
            {label}
          </label>
          <div class="kern-hint" id={`${p.id}-hint`}>
            {t('reports.fieldHint.markdown')}
          </div>
          <textarea
            class="kern-form-input__input km-reports__markdown"
            id={p.id}
            aria-describedby={`${p.id}-hint`}
            rows={6}
            value={text}
            onInput={(e) => p.onChange((e.currentTarget as HTMLTextAreaElement).value)}
          />
        </div>
      );
    case 'indicator': {
      const opts = indicatorOptions(catalogue.indicators);
      return (
        <SelectField
          id={p.id}
          label={label}
          value={text}
          options={choose(opts, (v) => opts.some((o) => o.value === v))}
          onChange={p.onChange}
        />
      );
    }
    case 'indicators':
      return (
        <IndicatorList
          id={p.id}
          label={label}
          value={Array.isArray(value) ? (value as string[]) : []}
          indicators={catalogue.indicators}
          onChange={p.onChange}
        />
      );
    case 'layer': {
      const opts = catalogue.layers.map((l) => ({ value: l.key, label: l.name }));
      return (
        <SelectField
          id={p.id}
          label={label}
          value={text}
          options={choose(opts, (v) => opts.some((o) => o.value === v))}
          onChange={p.onChange}
        />
      );
    }
    case 'area':
      return (
        <AreaField
          id={p.id}
          label={label}
          value={text}
          layer={typeof spec.layer === 'string' && spec.layer ? spec.layer : catalogue.areaParameter}
          parameter={catalogue.areaParameter !== null}
          required={field.required}
          onChange={p.onChange}
        />
      );
    case 'areas': {
      const all = value === 'all';
      const codes = Array.isArray(value) ? (value as string[]).join(', ') : '';
      return (
        <fieldset class="kern-fieldset km-fieldset">
          <legend class="kern-label">{label}</legend>
          <div class="km-check">
            <input
              type="checkbox"
              id={`${p.id}-all`}
              checked={all}
              onChange={(e) => p.onChange((e.currentTarget as HTMLInputElement).checked ? 'all' : [])}
            />
            <label for={`${p.id}-all`}>{t('reports.allAreas')}</label>
          </div>
          {!all && (
            <TextField
              id={p.id}
              label={t('reports.areaCodes')}
              hint={t('reports.areaCodesHint')}
              value={codes}
              onInput={(v) => p.onChange(v.split(/[,;\s]+/).filter(Boolean))}
            />
          )}
        </fieldset>
      );
    }
    case 'view':
      return (
        <SelectField
          id={p.id}
          label={label}
          value={text || 'table'}
          options={(['table', 'bar', 'line'] as const).map((v) => ({ value: v, label: t(`reports.view.${v}` as Key) }))}
          onChange={p.onChange}
        />
      );
    case 'number':
      return (
        <TextField
          id={p.id}
          label={label}
          hint={hint || undefined}
          type="number"
          min="2"
          max="9"
          inputMode="numeric"
          value={typeof value === 'number' ? String(value) : ''}
          onInput={(v) => p.onChange(v === '' ? undefined : Number(v))}
        />
      );
    case 'boolean':
      return (
        <div class="km-check">
          <input
            type="checkbox"
            id={p.id}
            checked={value === true}
            onChange={(e) => p.onChange((e.currentTarget as HTMLInputElement).checked ? true : undefined)}
          />
          <label for={p.id}>{label}</label>
        </div>
      );
    case 'index': {
      const opts = catalogue.indicators
        .filter((i) => i.lineage?.kind === 'index' && typeof i.lineage.definition === 'string')
        .map((i) => ({ value: i.lineage!.definition as string, label: i.name }));
      return (
        <SelectField
          id={p.id}
          label={label}
          value={text}
          options={choose(opts, (v) => opts.some((o) => o.value === v))}
          onChange={p.onChange}
        />
      );
    }
    case 'typology': {
      const opts = catalogue.indicators
        .filter((i) => i.key.endsWith('_typ'))
        .map((i) => ({ value: i.key.slice(0, -4), label: i.name }));
      return (
        <SelectField
          id={p.id}
          label={label}
          value={text}
          options={choose(opts, (v) => opts.some((o) => o.value === v))}
          onChange={p.onChange}
        />
      );
    }
    case 'facility-set': {
      const opts = catalogue.facilitySets.map((s) => ({ value: s.key, label: s.name }));
      return (
        <SelectField
          id={p.id}
          label={label}
          value={text}
          options={choose(opts, (v) => opts.some((o) => o.value === v))}
          onChange={p.onChange}
        />
      );
    }
    case 'field-of-action': {
      const opts = catalogue.fieldsOfAction.map((x) => ({ value: x.code, label: x.title }));
      return (
        <SelectField
          id={p.id}
          label={label}
          value={text}
          options={choose(opts, (v) => opts.some((o) => o.value === v))}
          onChange={p.onChange}
        />
      );
    }
    case 'period':
    case 'text':
      return <TextField id={p.id} label={label} hint={hint || undefined} value={text} onInput={(v) => p.onChange(v)} />;
  }
}

function indicatorOptions(indicators: IndicatorInfo[]): Option[] {
  return indicators
    .filter((i) => !i.draft)
    .map((i) => ({ value: i.key, label: `${i.name} (${i.unit})` }))
    .sort((a, b) => a.label.localeCompare(b.label, 'de'));
}

/** The chosen indicators in order, each removable, and a picker to add one more. */
function IndicatorList(p: {
  id: string;
  label: string;
  value: string[];
  indicators: IndicatorInfo[];
  onChange: (v: string[]) => void;
}) {
  const { t } = useApp();
  const [next, setNext] = useState('');
  const name = new Map(p.indicators.map((i) => [i.key, i.name]));
  const opts = indicatorOptions(p.indicators).filter((o) => !p.value.includes(o.value));
  return (
    <fieldset class="kern-fieldset km-fieldset" aria-describedby={`${p.id}-count`}>
      <legend class="kern-label">{p.label}</legend>
      <p class="kern-hint" id={`${p.id}-count`}>
        {t('reports.indicatorCount', { n: String(p.value.length) })}
      </p>
      {p.value.length > 0 && (
        <ol class="km-reports__list">
          {p.value.map((k, i) => (
            <li key={k}>
              <span>{name.get(k) ?? t('reports.unknownValue', { value: k })}</span>
              <Button
                small
                kind="tertiary"
                label={t('reports.removeIndicator', { name: name.get(k) ?? k })}
                onClick={() => p.onChange(p.value.filter((_, j) => j !== i))}
              >
                {t('reports.remove')}
              </Button>
            </li>
          ))}
        </ol>
      )}
      <div class="km-reports__add">
        <SelectField
          id={`${p.id}-add`}
          label={t('reports.addIndicator')}
          value={next}
          options={[{ value: '', label: t('reports.choosePlease') }, ...opts]}
          onChange={setNext}
        />
        <Button
          small
          disabled={!next}
          onClick={() => {
            p.onChange([...p.value, next]);
            setNext('');
          }}
        >
          {t('reports.add')}
        </Button>
      </div>
    </fieldset>
  );
}

/** An area of the block's layer, or the report's parameter `$area` (the area a reader chooses). */
function AreaField(p: {
  id: string;
  label: string;
  value: string;
  layer: string | null;
  parameter: boolean;
  required: boolean;
  onChange: (v: string) => void;
}) {
  const { t } = useApp();
  const areas = useApi(p.layer ? apiPath('GET /api/layers/:layer/areas', { layer: p.layer }) : null);
  const opts: Option[] = [{ value: '', label: p.required ? t('reports.choosePlease') : t('reports.wholeCity') }];
  if (p.parameter) opts.push({ value: '$area', label: t('reports.areaParameter') });
  const features = areas.data?.features ?? [];
  for (const f of features)
    opts.push({ value: f.properties.code, label: `${f.properties.name} (${f.properties.code})` });
  if (p.value && !opts.some((o) => o.value === p.value))
    opts.push({ value: p.value, label: areas.loading ? p.value : t('reports.unknownValue', { value: p.value }) });
  return <SelectField id={p.id} label={p.label} value={p.value} options={opts} onChange={p.onChange} />;
}
