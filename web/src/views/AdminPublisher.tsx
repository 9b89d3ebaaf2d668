// Administration → open data: the publisher settings the DCAT-AP.de catalogue needs (municipality,
// official key, licence, contact, GovData's contributor id, public address). Until they are set
// the catalogue answers 409; the form says so and links the catalogue once it is configured.
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { ApiError, clearCache, putJSON, useApi, apiPath } from '../api.ts';
import {
  LICENCES,
  LICENCE_IDS,
  EMPTY_PUBLISHER_FORM,
  fieldOfColumn,
  formOf,
  publisherBody,
  publisherProblems,
  type PublisherField,
  type PublisherForm,
  type PublisherProblem,
} from '../lib/publisher.ts';
import { Button, SelectField, TextField } from '../components/Fields.tsx';
import { ActionError, ErrorBox, Loading, Notice } from '../components/States.tsx';
import type { Key } from '../i18n/de.ts';
import { withBase } from '../base.ts';

const ORDER: PublisherField[] = [
  'name',
  'officialKey',
  'licence',
  'contactName',
  'contactEmail',
  'contactUrl',
  'contributorId',
  'baseUrl',
];

export function PublisherPart() {
  const { t } = useApp();
  useState(() => clearCache('/api/settings/publisher'));
  const stored = useApi(apiPath('GET /api/settings/publisher'));
  const [form, setForm] = useState<PublisherForm>({ ...EMPTY_PUBLISHER_FORM });
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverProblems, setServerProblems] = useState<Partial<Record<PublisherField, PublisherProblem>>>({});
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [configured, setConfigured] = useState(false);
  // The stored settings fill the form once; later answers must not overwrite what is being typed.
  const [filled, setFilled] = useState(false);
  useEffect(() => {
    if (stored.data && !filled) {
      setForm(formOf(stored.data.publisher));
      setConfigured(stored.data.publisher !== null);
      setFilled(true);
    }
  }, [stored.data, filled]);
  const own = publisherProblems(form);
  const problemOf = (f: PublisherField) => serverProblems[f] ?? own[f];
  const set = (field: PublisherField) => (v: string) => {
    setForm((f) => ({ ...f, [field]: v }));
    setServerProblems((p) => ({ ...p, [field]: undefined }));
  };
  const error = (field: PublisherField) => {
    const p = problemOf(field);
    return tried && p ? t(`publisher.problem.${p}` as Key) : undefined;
  };
  const field = (
    f: PublisherField,
    o: { type?: string; autoComplete?: string; inputMode?: string; maxLength?: number } = {},
  ) => (
    <TextField
      id={`pub-${f}`}
      label={t(`publisher.field.${f}` as Key)}
      hint={t(`publisher.hint.${f}` as Key)}
      value={form[f]}
      onInput={set(f)}
      autoComplete={o.autoComplete ?? 'off'}
      type={o.type}
      inputMode={o.inputMode}
      maxLength={o.maxLength}
      error={error(f)}
    />
  );
  return (
    <section class="km-section" aria-labelledby="pub-h">
      <h2 class="kern-heading-medium" id="pub-h">
        {t('publisher.title')}
      </h2>
      <p>{t('publisher.intro')}</p>
      {stored.error ? (
        <ErrorBox error={stored.error} retry={stored.retry} />
      ) : !stored.data ? (
        <Loading />
      ) : (
        <>
          {configured ? (
            <p class="km-publisher__catalog">
              {t('publisher.configured')} <a href={withBase('/catalog.ttl')}>{t('publisher.catalogLink')}</a>
            </p>
          ) : (
            <Notice kind="warning">{t('publisher.notConfigured')}</Notice>
          )}
          {message &&
            (message.kind === 'success' ? (
              <Notice kind="success">{message.text}</Notice>
            ) : (
              <ActionError text={message.text} />
            ))}
          <form
            class="km-panel km-form no-print"
            aria-labelledby="pub-form-h"
            noValidate
            onSubmit={async (e) => {
              e.preventDefault();
              setTried(true);
              setMessage(null);
              const first = ORDER.find((f) => publisherProblems(form)[f]);
              if (first) {
                document.getElementById(`pub-${first}`)?.focus();
                return;
              }
              setBusy(true);
              try {
                const saved = await putJSON(apiPath('PUT /api/settings/publisher'), publisherBody(form));
                setForm(formOf(saved.publisher));
                setConfigured(true);
                setServerProblems({});
                setTried(false);
                setMessage({ kind: 'success', text: t('publisher.saved') });
              } catch (err) {
                // The server names the field of each problem; the form shows its own text for it.
                const byField: Partial<Record<PublisherField, PublisherProblem>> = {};
                if (err instanceof ApiError)
                  for (const p of err.problems) {
                    const f = fieldOfColumn(p.column);
                    if (f) byField[f] = p.column === 'contact' ? 'contactNeeded' : serverProblemOf(f);
                  }
                setServerProblems(byField);
                const first = ORDER.find((f) => byField[f]);
                if (first) document.getElementById(`pub-${first}`)?.focus();
                setMessage({
                  kind: 'error',
                  text: err instanceof ApiError && err.status === 0 ? t('state.errorNetwork') : t('publisher.notSaved'),
                });
              } finally {
                setBusy(false);
              }
            }}
          >
            <h3 class="kern-heading-small" id="pub-form-h">
              {t('publisher.formTitle')}
            </h3>
            <div class="km-form__grid">
              {field('name', { autoComplete: 'organization', maxLength: 200 })}
              {field('officialKey', { inputMode: 'numeric', maxLength: 12 })}
              <SelectField
                id="pub-licence"
                label={t('publisher.field.licence')}
                hint={t('publisher.hint.licence')}
                value={form.licence}
                onChange={set('licence')}
                options={LICENCE_IDS.map((id) => ({ value: id, label: LICENCES[id].name }))}
              />
              {field('contactName', { maxLength: 200 })}
              {field('contactEmail', { type: 'email', autoComplete: 'email', maxLength: 254 })}
              {field('contactUrl', { type: 'url', autoComplete: 'url', maxLength: 2000 })}
              {field('contributorId', { type: 'url', maxLength: 500 })}
              {field('baseUrl', { type: 'url', maxLength: 500 })}
            </div>
            <div class="km-toolbar km-toolbar--form">
              <Button type="submit" kind="primary" disabled={busy}>
                {t('publisher.save')}
              </Button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}

/** The problem to show for a field the server refused although the form's own checks passed. */
function serverProblemOf(f: PublisherField): PublisherProblem {
  switch (f) {
    case 'officialKey':
      return 'officialKey';
    case 'licence':
      return 'licence';
    case 'contactEmail':
      return 'email';
    case 'contactUrl':
      return 'url';
    case 'contributorId':
      return 'contributorId';
    case 'baseUrl':
      return 'baseUrl';
    default:
      return 'tooShort';
  }
}
