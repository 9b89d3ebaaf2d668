// The report editor for signed-in users: the report's sections and blocks edited block by block
// (each block's fields with pickers from the catalogue), or as JSON for those who prefer it, with
// a live preview of the unsaved draft beside it — the server resolves the draft on current data
// with the editor's rights and renders the reader view's HTML; nothing is stored until "Speichern"
// makes a new version (the report becomes a draft again). Review and publish follow.
import { useEffect, useState } from 'preact/hooks';
import { refusalText } from '../../lib/servertext.ts';
import { useApp } from '../../context.ts';
import { getJSON, apiPath, postJSON, putJSON } from '../../api.ts';
import { Button, SelectField, TextField } from '../../components/Fields.tsx';
import { BLOCK_TYPES, type BlockType } from '../../../../src/core/report/model.ts';
import type { Key } from '../../i18n/index.ts';
import { renderKnown } from '../../../../src/contracts/codes/index.ts';
import type { Lang } from '../../../../src/contracts/format.ts';
import { BlockFields, type EditorCatalogue } from './BlockFields.tsx';
import { draftBody, draftOf, draftSteps as step, type Draft } from './draft.ts';
import type { BlockProblem, ReportPreview as Preview } from '../../../../src/contracts/answers/index.ts';

/** A problem in the interface's language: from its code, else (a code this app does not know) the server's text. */
const problemText = (x: BlockProblem, lang: Lang): string =>
  (x.code ? renderKnown({ code: x.code, params: x.params }, lang) : undefined) ?? x.reason;

/** Waits this long after the last change before asking for a new preview. */
const PREVIEW_DELAY_MS = 600;

export function ReportEditor(p: { reportKey: string; area?: string; onSaved: () => void }) {
  const { t, lang } = useApp();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [catalogue, setCatalogue] = useState<EditorCatalogue | null>(null);
  // A failed request (`failure`) is worded from its code where it is shown.
  const [message, setMessage] = useState<{ ok: boolean; text: string; failure?: unknown } | null>(null);
  const [json, setJson] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    setDraft(null);
    getJSON(apiPath('GET /api/reports/:key', { key: p.reportKey }), { fresh: true }).then(
      (r) => setDraft(draftOf(r.definition)),
      (e: unknown) => setMessage({ ok: false, text: '', failure: e }),
    );
  }, [p.reportKey]);
  useEffect(() => {
    if (!open || catalogue || !draft) return;
    Promise.all([
      getJSON(apiPath('GET /api/indicators')),
      getJSON(apiPath('GET /api/layers')),
      getJSON(apiPath('GET /api/facilities/sets')).catch(() => ({ sets: [] })),
      getJSON(apiPath('GET /api/measures/vocabulary')).catch(() => ({ entries: [] })),
    ]).then(
      ([i, l, f, v]) =>
        setCatalogue({
          indicators: i.indicators,
          layers: l.layers,
          facilitySets: f.sets,
          fieldsOfAction: v.entries.filter((e) => e.kind === 'handlungsfeld'),
          areaParameter: draft.parameters.find((x) => x.name === 'area')?.layer ?? null,
        }),
      (e: unknown) => setMessage({ ok: false, text: '', failure: e }),
    );
  }, [open, catalogue, draft]);
  const preview = usePreview(open ? p.reportKey : null, draft, p.area);

  /** The JSON being typed, applied to the draft; null when it cannot be read (the message says why). */
  const applyJson = (): Draft | null => {
    if (json === null) return draft;
    try {
      const d = draftOf(JSON.parse(json));
      setDraft(d);
      setJson(null);
      return d;
    } catch (e) {
      setMessage({ ok: false, text: `${t('reports.badJson')}: ${(e as Error).message}` });
      return null;
    }
  };
  const act = async (what: 'save' | 'review' | 'publish') => {
    setMessage(null);
    try {
      if (what === 'save') {
        const d = applyJson();
        if (!d) return;
        await putJSON(apiPath('PUT /api/reports/:key', { key: p.reportKey }), draftBody(d));
        setMessage({ ok: true, text: t('reports.saved') });
        p.onSaved();
      } else if (what === 'review') {
        await postJSON(apiPath('POST /api/reports/:key/review', { key: p.reportKey }), {});
        setMessage({ ok: true, text: t('reports.inReview') });
      } else {
        const r = await postJSON(apiPath('POST /api/reports/:key/releases', { key: p.reportKey }), {});
        setMessage({ ok: true, text: t('reports.published', { n: String(r.number) }) });
      }
    } catch (e) {
      // The server's English message: test/e2e/reports.test.ts asserts it.
      setMessage({ ok: false, text: (e as Error).message });
    }
  };
  const change = (d: Draft) => {
    setDraft(d);
    setJson(null);
  };
  return (
    <details
      class="km-reports__editor"
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary>{t('reports.edit')}</summary>
      {draft && (
        <div class="km-reports__workbench">
          <div class="km-reports__blocks">
            <fieldset class="kern-fieldset km-fieldset">
              <legend class="kern-label">{t('reports.head')}</legend>
              <TextField
                id="report-title"
                label={t('reports.field.title')}
                value={draft.title}
                onInput={(v) => change(step.setTitle(draft, v))}
              />
              <TextField
                id="report-subtitle"
                label={`${t('reports.subtitle')} ${t('reports.optional')}`}
                hint={t('reports.subtitleHint')}
                value={draft.subtitle ?? ''}
                onInput={(v) => change(step.setSubtitle(draft, v))}
              />
            </fieldset>
            {catalogue ? (
              <Sections draft={draft} catalogue={catalogue} problems={preview.data?.problems ?? []} onChange={change} />
            ) : (
              <p role="status">{t('reports.loading')}</p>
            )}
            <details class="km-reports__json">
              <summary>{t('reports.asJson')}</summary>
              <div class="kern-form-input km-field">
                <label class="kern-label" for="report-json">
                  {t('reports.definition')}
                </label>
                <div class="kern-hint" id="report-json-hint">
                  {t('reports.definitionHint')}
                </div>
                <textarea
                  class="kern-form-input__input km-reports__code"
                  id="report-json"
                  aria-describedby="report-json-hint"
                  rows={16}
                  spellcheck={false}
                  value={json ?? JSON.stringify(draftBody(draft), null, 2)}
                  onInput={(e) => setJson((e.currentTarget as HTMLTextAreaElement).value)}
                />
              </div>
              <Button kind="secondary" disabled={json === null} onClick={() => void applyJson()}>
                {t('reports.applyJson')}
              </Button>
            </details>
            <div class="km-reports__actions">
              <Button onClick={() => void act('save')}>{t('reports.save')}</Button>
              <Button kind="secondary" onClick={() => void act('review')}>
                {t('reports.review')}
              </Button>
              <Button kind="secondary" onClick={() => void act('publish')}>
                {t('reports.publish')}
              </Button>
            </div>
            {message && (
              <p role={message.ok ? 'status' : 'alert'} class={message.ok ? '' : 'kern-error'}>
                {message.failure !== undefined ? refusalText(message.failure, lang) : message.text}
              </p>
            )}
          </div>
          <div class="km-reports__preview">
            <h2 class="kern-heading-small" id="report-preview-title">
              {t('reports.preview')}
            </h2>
            <p class="kern-hint" role="status" aria-live="polite">
              {preview.loading
                ? t('reports.previewLoading')
                : preview.error
                  ? ''
                  : preview.data
                    ? t('reports.previewReady', { n: String(preview.data.problems.length) })
                    : ''}
            </p>
            {preview.error && (
              <p role="alert" class="kern-error">
                {preview.error}
              </p>
            )}
            {preview.data && (
              <iframe
                class="km-reports__preview-frame"
                sandbox=""
                srcdoc={preview.data.html}
                title={t('reports.previewFrame', { title: draft.title })}
                aria-describedby="report-preview-title"
              />
            )}
          </div>
        </div>
      )}
      {!draft && message && (
        <p role="alert" class="kern-error">
          {message.failure !== undefined ? refusalText(message.failure, lang) : message.text}
        </p>
      )}
    </details>
  );
}

function Sections(p: {
  draft: Draft;
  catalogue: EditorCatalogue;
  problems: BlockProblem[];
  onChange: (d: Draft) => void;
}) {
  const { t, lang } = useApp();
  const d = p.draft;
  const [adding, setAdding] = useState<Record<number, BlockType>>({});
  const general = p.problems.filter((x) => !x.block);
  return (
    <>
      {general.length > 0 && (
        <ul class="km-reports__problems" aria-label={t('reports.problems')}>
          {general.map((x, i) => (
            <li key={i}>{problemText(x, lang)}</li>
          ))}
        </ul>
      )}
      {d.sections.map((s, i) => (
        <fieldset key={i} class="kern-fieldset km-fieldset km-reports__section">
          <legend class="kern-label">{t('reports.sectionN', { n: String(i + 1), title: s.title })}</legend>
          <TextField
            id={`sec-${i}-title`}
            label={t('reports.sectionTitle')}
            value={s.title}
            onInput={(v) => p.onChange(step.renameSection(d, i, v))}
          />
          <div class="km-reports__tools">
            <Button
              small
              kind="tertiary"
              disabled={i === 0}
              label={t('reports.sectionUp', { title: s.title })}
              onClick={() => p.onChange(step.moveSection(d, i, -1))}
            >
              {t('reports.up')}
            </Button>
            <Button
              small
              kind="tertiary"
              disabled={i === d.sections.length - 1}
              label={t('reports.sectionDown', { title: s.title })}
              onClick={() => p.onChange(step.moveSection(d, i, 1))}
            >
              {t('reports.down')}
            </Button>
            <Button
              small
              kind="tertiary"
              label={t('reports.sectionRemove', { title: s.title })}
              onClick={() => p.onChange(step.removeSection(d, i))}
            >
              {t('reports.remove')}
            </Button>
          </div>
          {s.blocks.map((b, j) => {
            const id = `blk-${i}-${j}`;
            const problems = p.problems.filter((x) => x.block === b.key);
            const typeName = t(`reports.block.${b.spec.type}` as Key);
            return (
              <fieldset
                key={j}
                class={`kern-fieldset km-fieldset km-reports__block ${problems.length ? 'km-reports__block--problem' : ''}`}
                aria-describedby={problems.length ? `${id}-problems` : undefined}
              >
                <legend class="kern-label">{t('reports.blockN', { type: typeName, key: b.key })}</legend>
                {problems.length > 0 && (
                  <ul class="kern-error km-reports__problems" id={`${id}-problems`}>
                    {problems.map((x, k) => (
                      <li key={k}>{problemText(x, lang)}</li>
                    ))}
                  </ul>
                )}
                <TextField
                  id={`${id}-key`}
                  label={t('reports.blockKey')}
                  hint={t('reports.blockKeyHint')}
                  value={b.key}
                  onInput={(v) => p.onChange(step.renameBlock(d, i, j, v))}
                />
                <BlockFields
                  id={id}
                  spec={b.spec}
                  catalogue={p.catalogue}
                  onField={(name, value) => p.onChange(step.setField(d, i, j, name, value))}
                />
                <div class="km-reports__tools">
                  <Button
                    small
                    kind="tertiary"
                    disabled={i === 0 && j === 0}
                    label={t('reports.blockUp', { key: b.key })}
                    onClick={() => p.onChange(step.moveBlock(d, i, j, -1))}
                  >
                    {t('reports.up')}
                  </Button>
                  <Button
                    small
                    kind="tertiary"
                    disabled={i === d.sections.length - 1 && j === s.blocks.length - 1}
                    label={t('reports.blockDown', { key: b.key })}
                    onClick={() => p.onChange(step.moveBlock(d, i, j, 1))}
                  >
                    {t('reports.down')}
                  </Button>
                  <Button
                    small
                    kind="tertiary"
                    label={t('reports.blockRemove', { key: b.key })}
                    onClick={() => p.onChange(step.removeBlock(d, i, j))}
                  >
                    {t('reports.remove')}
                  </Button>
                </div>
              </fieldset>
            );
          })}
          <div class="km-reports__add">
            <SelectField
              id={`sec-${i}-type`}
              label={t('reports.newBlockType')}
              value={adding[i] ?? 'text'}
              options={BLOCK_TYPES.map((x) => ({ value: x, label: t(`reports.block.${x}` as Key) }))}
              onChange={(v) => setAdding({ ...adding, [i]: v as BlockType })}
            />
            <Button small onClick={() => p.onChange(step.addBlock(d, i, adding[i] ?? 'text'))}>
              {t('reports.addBlock')}
            </Button>
          </div>
        </fieldset>
      ))}
      <Button kind="secondary" onClick={() => p.onChange(step.addSection(d, t('reports.newSection')))}>
        {t('reports.addSection')}
      </Button>
    </>
  );
}

/** The server's preview of the draft, asked for a moment after the last change; older answers are dropped. */
function usePreview(
  reportKey: string | null,
  draft: Draft | null,
  area: string | undefined,
): { data: Preview | null; loading: boolean; error: string | null } {
  const [state, setState] = useState<{ data: Preview | null; loading: boolean; error: string | null }>({
    data: null,
    loading: false,
    error: null,
  });
  const body =
    reportKey && draft
      ? JSON.stringify({
          definition: { ...draftBody(draft), title: draft.title || reportKey },
          ...(area ? { area } : {}),
        })
      : null;
  useEffect(() => {
    if (!body || !reportKey) return;
    // Cleared when the draft changes again, so an overtaken answer is dropped.
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      postJSON(apiPath('POST /api/reports/:key/preview', { key: reportKey }), JSON.parse(body)).then(
        (data) => live && setState({ data, loading: false, error: null }),
        (e: Error) => live && setState((s) => ({ data: s.data, loading: false, error: e.message })),
      );
    }, PREVIEW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [body, reportKey]);
  return state;
}
