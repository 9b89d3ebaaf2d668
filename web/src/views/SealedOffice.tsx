// The sealed statistics office (`/statistikstelle`, issue 14): stored definitions (a form for the
// main fields and a JSON/YAML editor, the server's problems next to their fields), a records file
// run first as a dry run (records read, assigned, not assignable by reason, match rates, counts
// per area with the disclosure marks, the unmatched addresses), then committed ("Übernehmen").
// The records and the run's answer live in this component's memory only: nothing goes to
// localStorage, sessionStorage, IndexedDB, the API cache or the address bar. Other users see a
// "no permission" state; the server refuses them anyway (403).
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { parse as parseYaml } from 'yaml';
import { useApp } from '../context.ts';
import { ApiError, clearCache, type Problem, apiPath, useApiAll, getJSON, useApi, putJSON } from '../api.ts';
import { csrfHeader } from '../auth.ts';
import {
  formatNumber,
  formatDate,
  formatPeriod,
  disclosureNote,
  STATUS_SYMBOL,
  type Lang,
} from '../../../src/contracts/format.ts';
import { problemText, requestErrorText } from '../lib/servertext.ts';
import { formatDateTime } from '../lib/admin.ts';
import {
  MATCH_METHODS,
  UNASSIGNABLE_REASONS,
  areaTotals,
  disclosureMarks,
  docFromForm,
  emptyForm,
  formFromDoc,
  formProblems,
  markedCounts,
  membersText,
  minFrequencyOf,
  percent,
  problemField,
  problemsByField,
  runFileName,
  runUrl,
  type AddressMode,
  type BreakdownForm,
  type DefinitionForm,
  type FormField,
  type Mark,
  type SealedDoc,
  type SealedRunAnswer,
} from '../lib/sealed.ts';
import { Button, SelectField, TextField } from '../components/Fields.tsx';
import { ErrorBox, Loading, Notice } from '../components/States.tsx';
import { Link } from '../components/Link.tsx';
import { AccessGate } from '../components/AccessGate.tsx';
import { TableScroll } from '../components/TableScroll.tsx';
import type { Key } from '../i18n/de.ts';
import type { Translate } from '../i18n/index.ts';
import { withBase } from '../base.ts';
import type { SealedDefinitionInfo } from '../../../src/contracts/answers/index.ts';

/** Fieldsets are as wide as their widest word by default: on a phone they must shrink. */
const FIELDSET = { minWidth: 0, maxWidth: '100%', marginTop: '1rem' };

/** The cell tables are long for a city: at most this many rows are drawn at once. */
const CELLS_SHOWN = 500;

export function SealedOfficeView() {
  const { t } = useApp();
  return (
    <section class="km-view km-sealed" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('sealed.title')}
      </h1>
      <SealedGate>
        <SealedOffice />
      </SealedGate>
    </section>
  );
}

/** Anonymous: a sign-in link; signed in without the permission: a clear "no permission" state. */
function SealedGate({ children }: { children: ComponentChildren }) {
  const { t, href } = useApp();
  return (
    <AccessGate
      signInText={t('sealed.signInNeeded')}
      allowed={(user) => !!user.sealedOffice}
      forbidden={() => ({
        className: 'km-sealed-forbidden',
        kind: 'warning',
        title: t('sealed.forbiddenTitle'),
        text: t('sealed.forbidden'),
        link: { href: href('start'), label: t('sealed.toStart') },
      })}
    >
      {children}
    </AccessGate>
  );
}

function errorText(t: Translate, e: unknown, lang: Lang): string {
  return requestErrorText(t, lang, e);
}

function SealedOffice() {
  const { t, lang } = useApp();
  // The list is fresh whenever the page is opened (definitions change by other members of the office).
  useState(() => clearCache('/api/sealed/'));
  const list = useApi(apiPath('GET /api/sealed/definitions'));
  const latest = useMemo(() => {
    const m = new Map<string, SealedDefinitionInfo>();
    for (const r of list.data ?? []) if (!m.has(r.key) || m.get(r.key)!.version < r.version) m.set(r.key, r);
    return [...m.values()];
  }, [list.data]);
  const [editing, setEditing] = useState<{ key: string | null; nonce: number } | null>(null);
  const [runKey, setRunKey] = useState('');
  // Bumped when a definition is saved: a dry run of the old version must not be committed.
  const [saved, setSaved] = useState(0);
  useEffect(() => {
    if (!runKey && latest.length) setRunKey(latest[0].key);
  }, [latest, runKey]);
  return (
    <>
      <p class="km-lead">{t('sealed.intro')}</p>
      <Notice kind="info" title={t('sealed.privacyTitle')}>
        <p>{t('sealed.privacy')}</p>
      </Notice>
      <section class="km-section" aria-labelledby="sealed-defs-h">
        <h2 class="kern-heading-medium" id="sealed-defs-h">
          {t('sealed.definitions')}
        </h2>
        {list.error ? (
          <ErrorBox error={list.error} retry={list.retry} />
        ) : !list.data ? (
          <Loading />
        ) : latest.length === 0 ? (
          <p>{t('sealed.noDefinitions')}</p>
        ) : (
          <TableScroll labelledBy="sealed-defs-caption">
            <table class="kern-table kern-table--small kern-table--striped km-table" id="sealed-defs">
              <caption class="kern-title km-table__caption" id="sealed-defs-caption">
                {t('sealed.definitionsCaption', { n: latest.length })}
              </caption>
              <thead class="kern-table__head">
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="col">
                    {t('sealed.col.key')}
                  </th>
                  <th class="kern-table__header kern-table__header--numeric" scope="col">
                    {t('sealed.col.version')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('sealed.col.by')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('sealed.col.at')}
                  </th>
                  <th class="kern-table__header" scope="col">
                    {t('admin.col.actions')}
                  </th>
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {latest.map((d) => (
                  <tr class="kern-table__row" key={d.key}>
                    <th class="kern-table__header" scope="row">
                      {d.key}
                    </th>
                    <td class="kern-table__cell kern-table__cell--numeric">{d.version}</td>
                    <td class="kern-table__cell">{d.createdBy}</td>
                    <td class="kern-table__cell">{formatDateTime(d.createdAt, lang)}</td>
                    <td class="kern-table__cell">
                      <Button
                        small
                        kind="secondary"
                        label={t('sealed.editKey', { key: d.key })}
                        onClick={() => setEditing({ key: d.key, nonce: Date.now() })}
                      >
                        {t('sealed.edit')}
                      </Button>{' '}
                      <Button
                        small
                        kind="tertiary"
                        label={t('sealed.runKey', { key: d.key })}
                        onClick={() => {
                          setRunKey(d.key);
                          document.getElementById('sealed-file')?.focus();
                        }}
                      >
                        {t('sealed.useForRun')}
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        <div class="km-toolbar">
          <Button kind="primary" icon="add" onClick={() => setEditing({ key: null, nonce: Date.now() })}>
            {t('sealed.newDefinition')}
          </Button>
        </div>
      </section>
      {editing && (
        <DefinitionEditor
          key={`${editing.key ?? ''}-${editing.nonce}`}
          defKey={editing.key}
          onSaved={(key) => {
            clearCache('/api/sealed/');
            list.retry();
            setRunKey(key);
            setSaved((n) => n + 1);
          }}
          onClose={() => setEditing(null)}
        />
      )}
      <RunPart keys={latest.map((d) => d.key)} runKey={runKey} setRunKey={setRunKey} saved={saved} />
    </>
  );
}

// ---------------------------------------------------------------------------------------------
// The definition: a form for the main fields and the whole document as JSON or YAML

function FieldErrors({ id, problems }: { id: string; problems?: Problem[] }) {
  const { lang } = useApp();
  if (!problems?.length) return null;
  return (
    <div class="kern-error km-sealed__server-error" id={`${id}-server-error`}>
      <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
      <ul class="kern-body">
        {problems.map((p, i) => (
          <li key={i}>
            {problemText(p, lang)}
            {p.hint ? ` – ${p.hint}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

const FIELD_IDS: Record<FormField, string> = {
  key: 'sealed-key',
  indicatorKey: 'sealed-indicatorKey',
  indicatorName: 'sealed-indicatorName',
  unit: 'sealed-unit',
  owner: 'sealed-owner',
  period: 'sealed-period',
  referenceDate: 'sealed-referenceDate',
  address: 'sealed-address-mode',
  breakdowns: 'sealed-breakdowns',
  minFrequency: 'sealed-minFrequency',
  raw: 'sealed-raw',
};

function DefinitionEditor({
  defKey,
  onSaved,
  onClose,
}: {
  defKey: string | null;
  onSaved: (key: string) => void;
  onClose: () => void;
}) {
  const { t, lang } = useApp();
  const [base, setBase] = useState<SealedDoc | null>(defKey ? null : {});
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [form, setForm] = useState<DefinitionForm>(emptyForm);
  const [raw, setRaw] = useState('');
  const [rawDirty, setRawDirty] = useState(false);
  const [rawError, setRawError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverProblems, setServerProblems] = useState<Problem[]>([]);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // The editor's heading takes the focus once it is there (after loading a stored definition).
  const ready = base !== null;
  useEffect(() => {
    if (ready) headingRef.current?.focus();
  }, [ready]);
  useEffect(() => {
    if (!defKey) return;
    getJSON(apiPath('GET /api/sealed/definitions/:key', { key: defKey }), { fresh: true }).then(
      (r) => {
        setBase(r.definition);
        setForm(formFromDoc(r.definition));
      },
      (e: unknown) => setLoadError(e instanceof ApiError ? e : new ApiError(0, String(e), '')),
    );
  }, [defKey]);

  const doc = useMemo(() => (base ? docFromForm(form, base) : null), [form, base]);

  if (loadError) return <ErrorBox error={loadError} />;
  if (!base || !doc) return <Loading />;
  // The text editor follows the form until it is typed in.
  const rawText = rawDirty ? raw : JSON.stringify(doc, null, 2);

  const local = formProblems(form);
  const server = problemsByField(serverProblems);
  const localText = (f: FormField): string | undefined => {
    const p = tried ? local[f] : undefined;
    return p ? t(`sealed.problem.${p}` as Key) : undefined;
  };
  const set = (patch: Partial<DefinitionForm>) => {
    setForm({ ...form, ...patch });
    setRawDirty(false);
  };
  const setBreakdown = (i: number, patch: Partial<BreakdownForm>) =>
    set({ breakdowns: form.breakdowns.map((b, j) => (j === i ? { ...b, ...patch } : b)) });

  /** The raw text as a document (JSON or YAML); null with the position of the error. */
  const rawDoc = (): SealedDoc | null => {
    try {
      const v = parseYaml(rawText, { prettyErrors: true }) as unknown;
      if (!v || typeof v !== 'object' || Array.isArray(v)) {
        setRawError(t('sealed.rawNotObject'));
        return null;
      }
      setRawError(null);
      return v as SealedDoc;
    } catch (e) {
      const pos = (e as { linePos?: { line: number; col: number }[] }).linePos?.[0];
      setRawError(
        pos
          ? t('sealed.rawErrorAt', {
              line: pos.line,
              col: pos.col,
              message: String((e as Error).message).split('\n')[0],
            })
          : String((e as Error).message),
      );
      return null;
    }
  };
  const applyRaw = () => {
    const d = rawDoc();
    if (!d) {
      document.getElementById('sealed-raw')?.focus();
      return;
    }
    setBase(d);
    setForm(formFromDoc(d));
    setRawDirty(false);
    setMessage({ kind: 'success', text: t('sealed.rawApplied') });
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    setMessage(null);
    let body: SealedDoc | null = doc;
    if (rawDirty) {
      body = rawDoc();
      if (!body) {
        document.getElementById('sealed-raw')?.focus();
        return;
      }
    } else if (Object.keys(local).length) {
      const first = Object.keys(local)[0] as FormField;
      document.getElementById(FIELD_IDS[first])?.focus();
      return;
    }
    const key = String(body.key ?? '').trim();
    if (!key) {
      setServerProblems([{ column: 'key', reason: t('sealed.problem.required') }]);
      setTimeout(() => summaryRef.current?.focus(), 0);
      return;
    }
    setBusy(true);
    try {
      const r = await putJSON(apiPath('PUT /api/sealed/definitions/:key', { key }), body);
      setServerProblems([]);
      setBase(body);
      setForm(formFromDoc(body));
      setRawDirty(false);
      setMessage({
        kind: 'success',
        text: r.newVersion
          ? t('sealed.saved', { key: r.key, version: r.version })
          : t('sealed.unchanged', { key: r.key, version: r.version }),
      });
      onSaved(r.key);
    } catch (err) {
      if (err instanceof ApiError && err.problems.length) {
        setServerProblems(err.problems);
        setTimeout(() => summaryRef.current?.focus(), 0);
      } else {
        setServerProblems([]);
        setMessage({ kind: 'error', text: errorText(t, err, lang) });
      }
    } finally {
      setBusy(false);
    }
  };

  const text = (
    f: Exclude<FormField, 'address' | 'breakdowns' | 'raw'>,
    label: string,
    hint?: string,
    extra: { inputMode?: string } = {},
  ) => (
    <TextField
      id={FIELD_IDS[f]}
      label={label}
      hint={hint}
      value={form[f]}
      onInput={(v) => set({ [f]: v } as Partial<DefinitionForm>)}
      autoComplete="off"
      error={localText(f) ?? (server[f] ? server[f]!.map((p) => problemText(p, lang)).join(' ') : undefined)}
      inputMode={extra.inputMode}
    />
  );

  return (
    <section class="km-section km-panel" aria-labelledby="sealed-editor-h">
      <h2 class="kern-heading-medium" id="sealed-editor-h" tabIndex={-1} ref={headingRef}>
        {defKey ? t('sealed.editTitle', { key: defKey }) : t('sealed.newTitle')}
      </h2>
      {serverProblems.length > 0 && (
        <div
          class="kern-alert kern-alert--danger km-alert km-sealed__summary"
          role="alert"
          tabIndex={-1}
          ref={summaryRef}
          aria-labelledby="sealed-summary-h"
        >
          <div class="kern-alert__header">
            <span class="kern-icon kern-icon--danger" aria-hidden="true" />
            <h3 class="kern-title" id="sealed-summary-h">
              {t('sealed.problemsTitle', { n: serverProblems.length })}
            </h3>
          </div>
          <div class="kern-alert__body">
            <ul class="kern-body">
              {serverProblems.map((p, i) => (
                <li key={i}>
                  <a class="kern-link" href={`#${FIELD_IDS[problemField(p.column)]}`}>
                    {p.column ? `${p.column}: ` : ''}
                    {problemText(p, lang)}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
      {message &&
        (message.kind === 'success' ? (
          <Notice kind="success">{message.text}</Notice>
        ) : (
          <div class="kern-alert kern-alert--danger km-alert" role="alert">
            <div class="kern-alert__body">
              <p class="kern-body">{message.text}</p>
            </div>
          </div>
        ))}
      <form
        class="km-form"
        onSubmit={save}
        noValidate
        aria-labelledby="sealed-editor-h"
        style={{ overflowWrap: 'anywhere' }}
      >
        <fieldset class="kern-fieldset km-fieldset km-sealed__fieldset" style={FIELDSET}>
          <legend class="kern-heading-small">{t('sealed.fsIndicator')}</legend>
          <div class="km-form__grid">
            {text('key', t('sealed.f.key'), t('sealed.f.keyHint'))}
            {text('indicatorKey', t('sealed.f.indicatorKey'), t('sealed.f.keyHint'))}
            {text('indicatorName', t('sealed.f.indicatorName'))}
            {text('unit', t('sealed.f.unit'), t('sealed.f.unitHint'))}
            {text('owner', t('sealed.f.owner'), t('sealed.f.ownerHint'))}
            {text('period', t('sealed.f.period'), t('sealed.f.periodHint'))}
            {text('referenceDate', t('sealed.f.referenceDate'), t('sealed.f.referenceDateHint'))}
            {text('minFrequency', t('sealed.f.minFrequency'), t('sealed.f.minFrequencyHint'), { inputMode: 'numeric' })}
          </div>
        </fieldset>
        <fieldset
          class="kern-fieldset km-fieldset km-sealed__fieldset"
          style={FIELDSET}
          aria-describedby={
            server.address || localText('address') ? 'sealed-address-error sealed-address-server-error' : undefined
          }
        >
          <legend class="kern-heading-small">{t('sealed.fsAddress')}</legend>
          <div class="km-form__grid">
            <SelectField
              id={FIELD_IDS.address}
              label={t('sealed.f.addressMode')}
              value={form.addressMode}
              options={(['column', 'street', 'xy'] as AddressMode[]).map((m) => ({
                value: m,
                label: t(`sealed.address.${m}` as Key),
              }))}
              onChange={(v) => set({ addressMode: v as AddressMode })}
            />
            {form.addressMode === 'column' && (
              <TextField
                id="sealed-addressColumn"
                label={t('sealed.f.addressColumn')}
                hint={t('sealed.f.addressColumnHint')}
                value={form.addressColumn}
                onInput={(v) => set({ addressColumn: v })}
                autoComplete="off"
              />
            )}
            {form.addressMode === 'street' && (
              <>
                <TextField
                  id="sealed-street"
                  label={t('sealed.f.street')}
                  value={form.street}
                  onInput={(v) => set({ street: v })}
                  autoComplete="off"
                />
                <TextField
                  id="sealed-number"
                  label={t('sealed.f.number')}
                  hint={t('sealed.optional')}
                  value={form.number}
                  onInput={(v) => set({ number: v })}
                  autoComplete="off"
                />
                <TextField
                  id="sealed-postcode"
                  label={t('sealed.f.postcode')}
                  hint={t('sealed.optional')}
                  value={form.postcode}
                  onInput={(v) => set({ postcode: v })}
                  autoComplete="off"
                />
              </>
            )}
            {form.addressMode === 'xy' && (
              <>
                <TextField
                  id="sealed-x"
                  label={t('sealed.f.x')}
                  value={form.x}
                  onInput={(v) => set({ x: v })}
                  autoComplete="off"
                />
                <TextField
                  id="sealed-y"
                  label={t('sealed.f.y')}
                  value={form.y}
                  onInput={(v) => set({ y: v })}
                  autoComplete="off"
                />
                <TextField
                  id="sealed-crs"
                  label={t('sealed.f.crs')}
                  hint={t('sealed.f.crsHint')}
                  value={form.crs}
                  onInput={(v) => set({ crs: v })}
                  autoComplete="off"
                />
              </>
            )}
          </div>
          {localText('address') && (
            <p class="kern-error" id="sealed-address-error" role="alert">
              <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
              <span class="kern-body">{localText('address')}</span>
            </p>
          )}
          <FieldErrors id="sealed-address" problems={server.address} />
        </fieldset>
        <fieldset
          class="kern-fieldset km-fieldset km-sealed__fieldset"
          style={FIELDSET}
          id={FIELD_IDS.breakdowns}
          tabIndex={-1}
          aria-describedby="sealed-breakdowns-hint"
        >
          <legend class="kern-heading-small">{t('sealed.fsBreakdowns')}</legend>
          <p class="kern-hint" id="sealed-breakdowns-hint">
            {t('sealed.breakdownsHint')}
          </p>
          {form.breakdowns.map((b, i) => (
            <div
              class="km-form__grid km-sealed__breakdown"
              key={i}
              role="group"
              aria-label={t('sealed.breakdownN', { n: i + 1 })}
            >
              <TextField
                id={`sealed-bd-${i}-dimension`}
                label={t('sealed.f.dimension')}
                value={b.dimension}
                onInput={(v) => setBreakdown(i, { dimension: v })}
                autoComplete="off"
              />
              <TextField
                id={`sealed-bd-${i}-from`}
                label={t('sealed.f.from')}
                value={b.from}
                onInput={(v) => setBreakdown(i, { from: v })}
                autoComplete="off"
              />
              <SelectField
                id={`sealed-bd-${i}-kind`}
                label={t('sealed.f.kind')}
                value={b.kind}
                options={[
                  { value: 'bands', label: t('sealed.kind.bands') },
                  { value: 'map', label: t('sealed.kind.map') },
                ]}
                onChange={(v) => setBreakdown(i, { kind: v as 'bands' | 'map' })}
              />
              <TextField
                id={`sealed-bd-${i}-rules`}
                label={t(b.kind === 'bands' ? 'sealed.f.bands' : 'sealed.f.map')}
                hint={t(b.kind === 'bands' ? 'sealed.f.bandsHint' : 'sealed.f.mapHint')}
                value={b.rules}
                onInput={(v) => setBreakdown(i, { rules: v })}
                autoComplete="off"
              />
              <div class="km-field">
                <Button
                  small
                  kind="tertiary"
                  label={t('sealed.removeBreakdown', { n: i + 1 })}
                  onClick={() => set({ breakdowns: form.breakdowns.filter((_, j) => j !== i) })}
                >
                  {t('sealed.remove')}
                </Button>
              </div>
            </div>
          ))}
          {localText('breakdowns') && (
            <p class="kern-error" id="sealed-breakdowns-error" role="alert">
              <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
              <span class="kern-body">{localText('breakdowns')}</span>
            </p>
          )}
          <FieldErrors id="sealed-breakdowns" problems={server.breakdowns} />
          <Button
            small
            kind="secondary"
            icon="add"
            onClick={() =>
              set({ breakdowns: [...form.breakdowns, { dimension: '', from: '', kind: 'bands', rules: '' }] })
            }
          >
            {t('sealed.addBreakdown')}
          </Button>
        </fieldset>
        <details class="km-sealed__raw" open={rawDirty || !!server.raw || !!rawError}>
          <summary>{t('sealed.rawSummary')}</summary>
          <div class={`kern-form-input km-field ${rawError ? 'kern-form-input--error' : ''}`}>
            <label class="kern-label" for="sealed-raw">
              {t('sealed.raw')}
            </label>
            <div class="kern-hint" id="sealed-raw-hint">
              {t('sealed.rawHint')}
            </div>
            <textarea
              class="kern-form-input__input km-sealed__rawtext"
              id="sealed-raw"
              rows={18}
              spellcheck={false}
              value={rawText}
              aria-invalid={rawError ? 'true' : undefined}
              aria-describedby={[
                'sealed-raw-hint',
                rawError ? 'sealed-raw-error' : '',
                server.raw ? 'sealed-raw-server-error' : '',
              ]
                .filter(Boolean)
                .join(' ')}
              onInput={(e) => {
                setRaw((e.currentTarget as HTMLTextAreaElement).value);
                setRawDirty(true);
              }}
              style={{ fontFamily: 'monospace', width: '100%' }}
            />
            {rawError && (
              <p class="kern-error" id="sealed-raw-error" role="alert">
                <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
                <span class="kern-body">{rawError}</span>
              </p>
            )}
            <FieldErrors id="sealed-raw" problems={server.raw} />
          </div>
          <Button kind="secondary" onClick={applyRaw}>
            {t('sealed.rawApply')}
          </Button>
        </details>
        <div class="km-toolbar km-toolbar--form">
          <Button type="submit" kind="primary" disabled={busy}>
            {t('sealed.save')}
          </Button>
          <Button kind="tertiary" onClick={onClose}>
            {t('sealed.close')}
          </Button>
        </div>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// The run: upload with progress, the dry run, the commit

interface Progress {
  /** upload: the browser sends the file; counting: the server reads, matches and counts (rows so far); processing: the rest (storing). */
  phase: 'upload' | 'counting' | 'processing';
  loaded: number;
  total: number;
  rows?: number;
}

/**
 * POSTs the file with XMLHttpRequest (fetch cannot report upload progress) and asks for the
 * server's progress stream (NDJSON: counts of rows and bytes, then the answer as the last line;
 * src/http/sealed-routes.ts). A server answering plain JSON works too. The answer is parsed into
 * memory; nothing is cached or stored.
 */
function postRecords(
  url: string,
  file: File,
  csrf: Record<string, string>,
  onProgress: (p: Progress) => void,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', withBase(url));
    x.setRequestHeader('Accept', 'application/x-ndjson, application/json;q=0.9');
    x.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    for (const [k, v] of Object.entries(csrf)) x.setRequestHeader(k, v);
    x.upload.onprogress = (e) =>
      onProgress({ phase: 'upload', loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    x.upload.onload = () => onProgress({ phase: 'processing', loaded: file.size, total: file.size });
    const streamed = () => /ndjson/.test(x.getResponseHeader('Content-Type') ?? '');
    let seen = 0;
    let last: Record<string, unknown> | null = null;
    const handle = (line: string) => {
      if (!line.trim()) return;
      try {
        const e = JSON.parse(line) as Record<string, unknown>;
        if (e.type !== 'progress') {
          last = e;
          return;
        }
        const total = Number(e.totalBytes) || 0;
        const loaded = Number(e.bytesRead) || 0;
        onProgress({
          phase: total > 0 && loaded >= total ? 'processing' : 'counting',
          loaded,
          total,
          rows: Number(e.rows) || 0,
        });
      } catch {
        /* a broken line: the answer is missing then, and that is reported */
      }
    };
    const readLines = (final: boolean) => {
      const text = x.responseText;
      for (;;) {
        const nl = text.indexOf('\n', seen);
        if (nl < 0) {
          if (final && seen < text.length) handle(text.slice(seen));
          if (final) seen = text.length;
          return;
        }
        handle(text.slice(seen, nl));
        seen = nl + 1;
      }
    };
    x.onprogress = () => {
      if (streamed()) readLines(false);
    };
    x.onload = () => {
      if (streamed()) {
        readLines(true);
        const e = last as { type?: string; status?: number; result?: unknown } | null;
        if (e?.type === 'result') resolve({ status: e.status ?? 200, body: e.result });
        else if (e?.type === 'error') resolve({ status: e.status ?? 500, body: e });
        else resolve({ status: 0, body: null });
        return;
      }
      let body: unknown = null;
      try {
        body = JSON.parse(x.responseText);
      } catch {
        body = null;
      }
      resolve({ status: x.status, body });
    };
    x.onerror = () => reject(new ApiError(0, 'network', url));
    x.send(file);
  });
}

function RunPart({
  keys,
  runKey,
  setRunKey,
  saved,
}: {
  keys: string[];
  runKey: string;
  setRunKey: (k: string) => void;
  saved: number;
}) {
  const { t, lang } = useApp();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [dry, setDry] = useState<SealedRunAnswer | null>(null);
  const [done, setDone] = useState<SealedRunAnswer | null>(null);
  const [error, setError] = useState<{ text: string; problems: Problem[] } | null>(null);
  const [doc, setDoc] = useState<SealedDoc | null>(null);
  const [pattern, setPattern] = useState<Map<string, Mark> | null>(null);
  const [patternState, setPatternState] = useState<'idle' | 'loading' | 'error'>('idle');
  const fileRef = useRef<HTMLInputElement>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);

  // A new file or definition: the previous answers are dropped (they belong to another run).
  const reset = () => {
    setDry(null);
    setDone(null);
    setError(null);
    setPattern(null);
    setPatternState('idle');
  };
  useEffect(() => {
    if (saved > 0) reset();
  }, [saved]);
  // Leaving the page drops everything; the file input is emptied too.
  useEffect(
    () => () => {
      if (fileRef.current) fileRef.current.value = '';
    },
    [],
  );

  const run = async (dryRun: boolean) => {
    setError(null);
    if (!file) {
      setError({ text: t('sealed.noFile'), problems: [] });
      fileRef.current?.focus();
      return;
    }
    const name = runFileName(file.name);
    if (!name) {
      setError({ text: t('sealed.badFile'), problems: [] });
      fileRef.current?.focus();
      return;
    }
    if (!runKey) {
      setError({ text: t('sealed.noDefinition'), problems: [] });
      return;
    }
    setProgress({ phase: 'upload', loaded: 0, total: file.size });
    try {
      const def = await getJSON(apiPath('GET /api/sealed/definitions/:key', { key: runKey }), { fresh: true });
      setDoc(def.definition);
      const r = await postRecords(runUrl(runKey, name, dryRun), file, await csrfHeader(), setProgress);
      const body = r.body as (SealedRunAnswer & { message?: string; problems?: Problem[] }) | null;
      if ((r.status === 200 || r.status === 422) && body && typeof body.records === 'number') {
        if (dryRun) {
          setDry(body);
          setDone(null);
        } else {
          setDone(body);
          if (body.batchId) loadPattern(body.indicator, body.period);
        }
        setTimeout(() => resultRef.current?.focus(), 0);
      } else {
        setError({
          text: body?.message
            ? t('state.errorStatus', { message: body.message, status: r.status })
            : t('state.errorStatus', { message: '', status: r.status }),
          problems: body?.problems ?? [],
        });
      }
    } catch (e) {
      setError({ text: errorText(t, e, lang), problems: [] });
    } finally {
      setProgress(null);
    }
  };

  const loadPattern = (indicator: string, period: string) => {
    setPatternState('loading');
    clearCache('/api/');
    getJSON(apiPath('GET /api/indicators/:key/disclosure', { key: indicator, period, cells: 'all' }), {
      fresh: true,
    }).then(
      (r) => {
        setPattern(disclosureMarks(r));
        setPatternState('idle');
      },
      () => setPatternState('error'),
    );
  };

  const shown = done ?? dry;
  // A dry run's answer carries the whole pattern (primary and secondary) the counts would get.
  const dryPattern = useMemo(() => (dry?.disclosure ? disclosureMarks(dry.disclosure) : null), [dry]);
  const pct = progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;
  return (
    <section class="km-section" aria-labelledby="sealed-run-h">
      <h2 class="kern-heading-medium" id="sealed-run-h">
        {t('sealed.run')}
      </h2>
      <p>{t('sealed.runIntro')}</p>
      <div class="km-panel km-form">
        <div class="km-form__grid">
          <SelectField
            id="sealed-run-definition"
            label={t('sealed.runDefinition')}
            value={runKey}
            options={
              keys.length
                ? keys.map((k) => ({ value: k, label: k }))
                : [{ value: '', label: t('sealed.noDefinitions') }]
            }
            onChange={(v) => {
              setRunKey(v);
              reset();
            }}
          />
          <div class="kern-form-input km-field">
            <label class="kern-label" for="sealed-file">
              {t('sealed.file')}
            </label>
            <div class="kern-hint" id="sealed-file-hint">
              {t('sealed.fileHint')}
            </div>
            <input
              class="kern-form-input__input"
              type="file"
              id="sealed-file"
              ref={fileRef}
              accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-describedby="sealed-file-hint"
              onChange={(e) => {
                setFile((e.currentTarget as HTMLInputElement).files?.[0] ?? null);
                reset();
              }}
            />
          </div>
        </div>
        <div class="km-toolbar km-toolbar--form">
          <Button kind="primary" disabled={!!progress} onClick={() => run(true)}>
            {t('sealed.dryRun')}
          </Button>
          {dry && !done && (
            <Button
              kind="primary"
              class="km-sealed__commit"
              disabled={!!progress || !!dry.refused}
              onClick={() => run(false)}
            >
              {t('sealed.commit')}
            </Button>
          )}
        </div>
        {dry && !done && dry.refused && (
          <Notice kind="warning">
            {t('sealed.refusedDry', {
              share: formatNumber(dry.refused.share * 100, 1, lang),
              max: formatNumber(dry.refused.max * 100, 1, lang),
            })}
          </Notice>
        )}
        {/* Screen readers hear the phase once; the numbers are on screen (and in the bar). */}
        <div class="kern-sr-only" role="status" aria-live="polite">
          {progress
            ? t(
                progress.phase === 'upload'
                  ? 'sealed.phase.upload'
                  : progress.phase === 'counting'
                    ? 'sealed.phase.counting'
                    : 'sealed.processing',
              )
            : ''}
        </div>
        {progress && (
          <div class="km-sealed__progress">
            <label for="sealed-progress">
              {progress.phase === 'upload'
                ? t('sealed.uploading', {
                    pct: formatNumber(pct, 0, lang),
                    mb: formatNumber(progress.total / 1048576, 1, lang),
                  })
                : progress.phase === 'counting'
                  ? t('sealed.counting', {
                      pct: formatNumber(pct, 0, lang),
                      rows: formatNumber(progress.rows ?? 0, 0, lang),
                    })
                  : t('sealed.processing')}
            </label>{' '}
            {progress.phase === 'processing' ? (
              <progress id="sealed-progress" />
            ) : (
              <progress id="sealed-progress" max={100} value={pct} />
            )}
          </div>
        )}
        {error && (
          <div class="kern-alert kern-alert--danger km-alert" role="alert">
            <div class="kern-alert__body">
              <p class="kern-body">{error.text}</p>
              {error.problems.length > 0 && (
                <ul class="kern-body">
                  {error.problems.slice(0, 20).map((p, i) => (
                    <li key={i}>
                      {p.column !== undefined ? `${String(p.column)}: ` : ''}
                      {problemText(p, lang)}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        )}
      </div>
      {shown && (
        <RunResult
          r={shown}
          committed={!!done}
          minFrequency={minFrequencyOf(doc)}
          pattern={done ? pattern : dryPattern}
          patternState={patternState}
          headingRef={resultRef}
        />
      )}
    </section>
  );
}

function Num({ n, d = 0 }: { n: number; d?: number }) {
  const { lang } = useApp();
  return <>{formatNumber(n, d, lang)}</>;
}

function RunResult({
  r,
  committed,
  minFrequency,
  pattern,
  patternState,
  headingRef,
}: {
  r: SealedRunAnswer;
  committed: boolean;
  minFrequency?: number;
  pattern: Map<string, Mark> | null;
  patternState: 'idle' | 'loading' | 'error';
  headingRef: { current: HTMLHeadingElement | null };
}) {
  const { t, lang, href } = useApp();
  const [onlyCases, setOnlyCases] = useState(true);
  const rows = useMemo(() => markedCounts(r.counts, minFrequency, pattern), [r, minFrequency, pattern]);
  const totals = useMemo(() => areaTotals(rows), [rows]);
  const cells = onlyCases ? rows.filter((c) => c.value > 0 || c.mark) : rows;
  // Area names (codes are what the run answers): the layers' areas at the reference date.
  const layerKeys = useMemo(() => [...new Set(r.counts.map((c) => c.layer))], [r]);
  const areaLists = useApiAll(
    layerKeys.map((l) => apiPath('GET /api/layers/:layer/areas', { layer: l, at: r.referenceDate, geometry: false })),
  );
  const names = useMemo(() => {
    const m = new Map<string, string>();
    (areaLists.data ?? []).forEach((fc, i) => {
      for (const f of fc.features)
        m.set(`${layerKeys[i]}|${String(f.properties.code)}`, String(f.properties.name ?? ''));
    });
    return m;
  }, [areaLists.data, layerKeys]);
  const areaText = (layer: string, code: string) => {
    const n = names.get(`${layer}|${code}`);
    return n ? `${code} ${n}` : code;
  };
  const unassignableTotal = r.records - r.assigned;
  const byMethod = r.match?.byMethod;
  const matchedTotal = r.match ? r.match.matched : 0;
  const addressed = r.match ? r.match.matched + r.match.unmatched + r.match.ambiguous : 0;
  const cell = (value: number, mark?: Mark) =>
    mark ? `${STATUS_SYMBOL.suppressed} ${disclosureNote(mark, lang)}` : formatNumber(value, 0, lang);
  const th = (s: string, numeric = false) => (
    <th class={`kern-table__header ${numeric ? 'kern-table__header--numeric' : ''}`} scope="col">
      {s}
    </th>
  );
  return (
    <section class="km-section km-sealed__result" aria-labelledby="sealed-result-h">
      <h3 class="kern-heading-medium" id="sealed-result-h" tabIndex={-1} ref={headingRef}>
        {committed ? t('sealed.resultCommitted') : t('sealed.resultDry')}
      </h3>
      {committed ? (
        r.batchId ? (
          <Notice kind="success">
            {t('sealed.committed', { indicator: r.indicator, batch: r.batchId, period: formatPeriod(r.period, lang) })}{' '}
            <Link href={href('indikator', { indicator: r.indicator })}>
              {t('sealed.toIndicator', { indicator: r.indicator })}
            </Link>
          </Notice>
        ) : (
          <Notice kind="warning">
            {r.refused
              ? t('sealed.refused', {
                  share: formatNumber(r.refused.share * 100, 1, lang),
                  max: formatNumber(r.refused.max * 100, 1, lang),
                })
              : t('sealed.notStored')}
          </Notice>
        )
      ) : (
        <Notice kind="info">{t('sealed.dryNote')}</Notice>
      )}
      <dl class="km-sealed__facts km-result-head__meta">
        <div>
          <dt>{t('sealed.records')}</dt>
          <dd id="sealed-records">
            <Num n={r.records} />
          </dd>
        </div>
        <div>
          <dt>{t('sealed.assigned')}</dt>
          <dd id="sealed-assigned">
            <Num n={r.assigned} /> ({formatNumber(percent(r.assigned, r.records), 1, lang)} %)
          </dd>
        </div>
        <div>
          <dt>{t('sealed.unassignable')}</dt>
          <dd id="sealed-unassignable">
            <Num n={unassignableTotal} /> ({formatNumber(r.unassignedShare * 100, 1, lang)} %)
          </dd>
        </div>
        <div>
          <dt>{t('sealed.periodRef')}</dt>
          <dd>
            {formatPeriod(r.period, lang)} · {formatDate(r.referenceDate, lang)}
          </dd>
        </div>
        {r.register && (
          <div>
            <dt>{t('sealed.register')}</dt>
            <dd>
              {t('sealed.registerText', {
                from: formatDate(r.register.validFrom, lang),
                n: formatNumber(r.register.addresses, 0, lang),
              })}
            </dd>
          </div>
        )}
      </dl>
      {r.warnings.length > 0 && (
        <Notice kind="warning">
          <ul>
            {r.warnings.map((w, i) => (
              <li key={i}>{w.reason}</li>
            ))}
          </ul>
        </Notice>
      )}
      <div class="km-sealed__tables">
        <TableScroll labelledBy="sealed-reasons-caption">
          <table class="kern-table kern-table--small kern-table--striped km-table" id="sealed-reasons">
            <caption class="kern-title km-table__caption" id="sealed-reasons-caption">
              {t('sealed.reasonsCaption')}
            </caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                {th(t('sealed.col.reason'))}
                {th(t('sealed.col.records'), true)}
                {th(t('sealed.col.share'), true)}
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {UNASSIGNABLE_REASONS.map((k) => (
                <tr class="kern-table__row" key={k} data-reason={k}>
                  <th class="kern-table__header" scope="row">
                    {t(`sealed.reason.${k}` as Key)}
                  </th>
                  <td class="kern-table__cell kern-table__cell--numeric">
                    <Num n={r.unassignable[k] ?? 0} />
                  </td>
                  <td class="kern-table__cell kern-table__cell--numeric">
                    {formatNumber(percent(r.unassignable[k] ?? 0, r.records), 1, lang)} %
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        {r.match && byMethod && (
          <TableScroll labelledBy="sealed-match-caption">
            <table class="kern-table kern-table--small kern-table--striped km-table" id="sealed-match">
              <caption class="kern-title km-table__caption" id="sealed-match-caption">
                {t('sealed.matchCaption', { n: formatNumber(addressed, 0, lang) })}
              </caption>
              <thead class="kern-table__head">
                <tr class="kern-table__row">
                  {th(t('sealed.col.method'))}
                  {th(t('sealed.col.records'), true)}
                  {th(t('sealed.col.rate'), true)}
                </tr>
              </thead>
              <tbody class="kern-table__body">
                {MATCH_METHODS.map((m) => (
                  <tr class="kern-table__row" key={m} data-method={m}>
                    <th class="kern-table__header" scope="row">
                      {t(`sealed.method.${m}` as Key)}
                    </th>
                    <td class="kern-table__cell kern-table__cell--numeric">
                      <Num n={byMethod[m] ?? 0} />
                    </td>
                    <td class="kern-table__cell kern-table__cell--numeric">
                      {formatNumber(percent(byMethod[m] ?? 0, addressed), 1, lang)} %
                    </td>
                  </tr>
                ))}
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="row">
                    {t('sealed.method.matched')}
                  </th>
                  <td class="kern-table__cell kern-table__cell--numeric">
                    <Num n={matchedTotal} />
                  </td>
                  <td class="kern-table__cell kern-table__cell--numeric">
                    {formatNumber(percent(matchedTotal, addressed), 1, lang)} %
                  </td>
                </tr>
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="row">
                    {t('sealed.method.ambiguous', { same: formatNumber(r.match.ambiguousSameArea, 0, lang) })}
                  </th>
                  <td class="kern-table__cell kern-table__cell--numeric">
                    <Num n={r.match.ambiguous} />
                  </td>
                  <td class="kern-table__cell kern-table__cell--numeric">
                    {formatNumber(percent(r.match.ambiguous, addressed), 1, lang)} %
                  </td>
                </tr>
                <tr class="kern-table__row">
                  <th class="kern-table__header" scope="row">
                    {t('sealed.method.unmatched')}
                  </th>
                  <td class="kern-table__cell kern-table__cell--numeric">
                    <Num n={r.match.unmatched} />
                  </td>
                  <td class="kern-table__cell kern-table__cell--numeric">
                    {formatNumber(percent(r.match.unmatched, addressed), 1, lang)} %
                  </td>
                </tr>
              </tbody>
            </table>
          </TableScroll>
        )}
      </div>

      <h4 class="kern-heading-small">{t('sealed.areas')}</h4>
      <p>
        {committed && pattern
          ? t('sealed.patternStored')
          : !committed && pattern
            ? t('sealed.patternDry')
            : committed && patternState === 'loading'
              ? t('sealed.patternLoading')
              : committed && patternState === 'error'
                ? t('sealed.patternError')
                : minFrequency
                  ? t('sealed.patternPrimary', { k: minFrequency })
                  : t('sealed.patternNone')}
      </p>
      <TableScroll labelledBy="sealed-areas-caption">
        <table class="kern-table kern-table--small kern-table--striped km-table" id="sealed-areas">
          <caption class="kern-title km-table__caption" id="sealed-areas-caption">
            {t('sealed.areasCaption', { n: formatNumber(totals.length, 0, lang) })}
          </caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              {th(t('sealed.col.layer'))}
              {th(t('sealed.col.area'))}
              {th(t('sealed.col.count'), true)}
              {th(t('sealed.col.cells'), true)}
              {th(t('sealed.col.primary'), true)}
              {th(t('sealed.col.secondary'), true)}
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {totals.map((a) => (
              <tr class="kern-table__row" key={`${a.layer}|${a.code}`} data-area={`${a.layer}|${a.code}`}>
                <td class="kern-table__cell">{a.layer}</td>
                <th class="kern-table__header" scope="row">
                  {areaText(a.layer, a.code)}
                </th>
                <td class="kern-table__cell kern-table__cell--numeric">
                  <Num n={a.total} />
                </td>
                <td class="kern-table__cell kern-table__cell--numeric">
                  <Num n={a.cells} />
                </td>
                <td class="kern-table__cell kern-table__cell--numeric">
                  <Num n={a.primary} />
                </td>
                <td class="kern-table__cell kern-table__cell--numeric">{pattern ? <Num n={a.secondary} /> : '…'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>

      <div class="kern-form-check km-sealed__only">
        <input
          class="kern-form-check__checkbox"
          type="checkbox"
          id="sealed-only-cases"
          checked={onlyCases}
          onChange={(e) => setOnlyCases((e.currentTarget as HTMLInputElement).checked)}
        />
        <label class="kern-label" for="sealed-only-cases">
          {t('sealed.onlyCases')}
        </label>
      </div>
      <TableScroll labelledBy="sealed-cells-caption">
        <table class="kern-table kern-table--small kern-table--striped km-table" id="sealed-cells">
          <caption class="kern-title km-table__caption" id="sealed-cells-caption">
            {t('sealed.cellsCaption', { n: formatNumber(cells.length, 0, lang) })}
            {cells.length > CELLS_SHOWN ? ` ${t('sealed.cellsFirst', { n: formatNumber(CELLS_SHOWN, 0, lang) })}` : ''}
          </caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              {th(t('sealed.col.layer'))}
              {th(t('sealed.col.area'))}
              {th(t('sealed.col.members'))}
              {th(t('sealed.col.count'), true)}
              {th(t('sealed.col.published'), true)}
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {cells.slice(0, CELLS_SHOWN).map((c, i) => (
              <tr class="kern-table__row" key={i} data-mark={c.mark ?? ''}>
                <td class="kern-table__cell">{c.layer}</td>
                <th class="kern-table__header" scope="row">
                  {areaText(c.layer, c.code)}
                </th>
                <td class="kern-table__cell">{membersText(c.members)}</td>
                <td class="kern-table__cell kern-table__cell--numeric">
                  <Num n={c.value} />
                </td>
                <td class="kern-table__cell kern-table__cell--numeric km-sealed__published">{cell(c.value, c.mark)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>

      {r.unknownStreets.length > 0 && (
        <TableScroll labelledBy="sealed-streets-caption">
          <table class="kern-table kern-table--small kern-table--striped km-table" id="sealed-streets">
            <caption class="kern-title km-table__caption" id="sealed-streets-caption">
              {t('sealed.streetsCaption', { n: formatNumber(r.unknownStreets.length, 0, lang) })}
            </caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                {th(t('sealed.col.street'))}
                {th(t('sealed.col.records'), true)}
                {th(t('sealed.col.suggestion'))}
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {r.unknownStreets.map((s, i) => (
                <tr class="kern-table__row" key={i}>
                  <th class="kern-table__header" scope="row">
                    {s.street}
                  </th>
                  <td class="kern-table__cell kern-table__cell--numeric">
                    <Num n={s.count} />
                  </td>
                  <td class="kern-table__cell">{s.suggestion ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}

      <h4 class="kern-heading-small">{t('sealed.unmatched')}</h4>
      <p>{t('sealed.unmatchedNote')}</p>
      {r.unmatched.length === 0 ? (
        <p>{t('sealed.unmatchedNone')}</p>
      ) : (
        <TableScroll labelledBy="sealed-unmatched-caption">
          <table class="kern-table kern-table--small kern-table--striped km-table" id="sealed-unmatched">
            <caption class="kern-title km-table__caption" id="sealed-unmatched-caption">
              {r.unmatchedTotal > r.unmatched.length
                ? t('sealed.unmatchedCaptionOf', {
                    n: formatNumber(r.unmatched.length, 0, lang),
                    total: formatNumber(r.unmatchedTotal, 0, lang),
                  })
                : t('sealed.unmatchedCaption', { n: formatNumber(r.unmatched.length, 0, lang) })}
            </caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                {th(t('sealed.col.line'), true)}
                {th(t('sealed.col.address'))}
                {th(t('sealed.col.reason'))}
                {th(t('sealed.col.suggestion'))}
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {r.unmatched.map((u, i) => (
                <tr class="kern-table__row" key={i}>
                  <td class="kern-table__cell kern-table__cell--numeric">
                    <Num n={u.line} />
                  </td>
                  <th class="kern-table__header" scope="row">
                    {u.address || '–'}
                  </th>
                  <td class="kern-table__cell">{unmatchedReason(t, u.reason)}</td>
                  <td class="kern-table__cell">{u.suggestion ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <p class="km-muted">{t('sealed.sha', { sha: r.sha256.slice(0, 16), s: formatNumber(r.seconds, 1, lang) })}</p>
    </section>
  );
}

function unmatchedReason(t: Translate, reason: string): string {
  const k = `sealed.unmatchedReason.${reason}` as Key;
  const s = t(k);
  return s === k ? reason : s;
}
