// Administration (`/verwaltung`, administrators) and one's own account (`/konto`, every signed-in
// user): the audit trail with filters and CSV export, users (create, disable), departments, one's
// own API tokens (a new token is shown once, with a copy button) and the password change.
// The server enforces every rule; the forms check the same rules first so that they can name the field.
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { navigate, withParams } from '../router.ts';
import { ApiError, apiUrl, clearCache, deleteJSON, postJSON, useApi, apiPath } from '../api.ts';
import {
  AUDIT_ACTIONS,
  ROLES,
  auditFilterProblem,
  auditParams,
  auditQuery,
  departmentKeyProblem,
  detailsText,
  formatDateTime,
  newUserBody,
  newUserProblems,
  passwordProblem,
  type AuditFilter,
  type NewUser,
  type Role,
} from '../lib/admin.ts';
import { formatNumber, type Lang } from '../../../src/contracts/format.ts';
import { requestErrorText } from '../lib/servertext.ts';
import { parseSort, formatSort } from '../lib/table.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Button, SelectField, TextField } from '../components/Fields.tsx';
import { ActionError, ErrorBox, Loading, Notice } from '../components/States.tsx';
import { PublisherPart } from './AdminPublisher.tsx';
import { Link } from '../components/Link.tsx';
import { AccessGate } from '../components/AccessGate.tsx';
import type { Translate } from '../i18n/index.ts';
import type { Key } from '../i18n/de.ts';
import type { AuditRow, DepartmentInfo, TokenInfo, UserInfo } from '../../../src/contracts/answers/index.ts';

type AdminPart = 'protokoll' | 'benutzer' | 'fachbereiche' | 'offene-daten' | 'tokens' | 'passwort';
const ADMIN_PARTS: AdminPart[] = ['protokoll', 'benutzer', 'fachbereiche', 'offene-daten', 'tokens', 'passwort'];
const ACCOUNT_PARTS: AdminPart[] = ['tokens', 'passwort'];

function errorMessage(t: Translate, e: unknown, lang: Lang): string {
  return requestErrorText(t, lang, e);
}

/** Anonymous: a sign-in link; signed in without the right: a clear 403 message. */
function Gate({ admin, children }: { admin: boolean; children: ComponentChildren }) {
  const { t, href } = useApp();
  return (
    <AccessGate
      signInText={t(admin ? 'admin.signInNeeded' : 'account.signInNeeded')}
      allowed={(user) => !admin || user.role === 'admin'}
      forbidden={(user) => ({
        className: 'km-forbidden',
        kind: 'danger',
        title: t('admin.forbiddenTitle'),
        text: t('admin.forbidden', { role: t(`role.${user.role ?? 'viewer'}` as Key) }),
        link: { href: href('konto'), label: t('admin.toAccount') },
      })}
    >
      {children}
    </AccessGate>
  );
}

function PartNav({ parts, current, view }: { parts: AdminPart[]; current: AdminPart; view: 'verwaltung' | 'konto' }) {
  const { t, href } = useApp();
  return (
    <nav class="km-subnav no-print" aria-label={t(view === 'verwaltung' ? 'admin.parts' : 'account.parts')}>
      <ul>
        {parts.map((p) => (
          <li key={p}>
            <Link
              href={href(view, { bereich: p === parts[0] ? null : p })}
              class={`km-subnav__link ${p === current ? 'km-subnav__link--current' : ''}`}
              current={p === current}
            >
              {t(`admin.part.${p}` as Key)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function AdminView() {
  const { t, route } = useApp();
  const part = (ADMIN_PARTS as string[]).includes(route.params.bereich)
    ? (route.params.bereich as AdminPart)
    : 'protokoll';
  return (
    <section class="km-view km-admin" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('admin.title')}
      </h1>
      <Gate admin>
        <PartNav parts={ADMIN_PARTS} current={part} view="verwaltung" />
        {part === 'protokoll' ? (
          <AuditPart />
        ) : part === 'benutzer' ? (
          <UsersPart />
        ) : part === 'fachbereiche' ? (
          <DepartmentsPart />
        ) : part === 'offene-daten' ? (
          <PublisherPart />
        ) : part === 'tokens' ? (
          <TokensPart />
        ) : (
          <PasswordPart />
        )}
      </Gate>
    </section>
  );
}

export function AccountView() {
  const { t, route, me } = useApp();
  const part = (ACCOUNT_PARTS as string[]).includes(route.params.bereich)
    ? (route.params.bereich as AdminPart)
    : 'tokens';
  const u = me?.user;
  return (
    <section class="km-view km-account" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('account.title')}
      </h1>
      <Gate admin={false}>
        {u && (
          <p class="km-result-head__meta">
            <span>
              {t('auth.user')}: <strong>{u.name}</strong>
            </span>
            <span>
              {t('admin.col.role')}: <strong>{t(`role.${u.role ?? 'viewer'}` as Key)}</strong>
            </span>
            {u.department && (
              <span>
                {t('admin.col.department')}: <strong>{u.department}</strong>
              </span>
            )}
          </p>
        )}
        <PartNav parts={ACCOUNT_PARTS} current={part} view="konto" />
        {part === 'tokens' ? <TokensPart /> : <PasswordPart />}
      </Gate>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Audit trail

function AuditPart() {
  const { t, lang, route } = useApp();
  const P = route.params;
  const filter: AuditFilter = { from: P.from, to: P.to, actor: P.actor, action: P.action };
  const [draft, setDraft] = useState<AuditFilter>(filter);
  useEffect(
    () => setDraft({ from: P.from, to: P.to, actor: P.actor, action: P.action }),
    [P.from, P.to, P.actor, P.action],
  );
  // The trail grows with every request: never show a cached answer when the part is opened.
  useState(() => clearCache('/api/audit'));
  const problem = auditFilterProblem(filter);
  const audit = useApi(problem ? null : apiPath('GET /api/audit', auditParams(filter)));
  const users = useApi(apiPath('GET /api/users'));
  const csv = apiUrl(`/api/audit${auditQuery(filter, { format: 'csv', limit: 100000 })}`);
  const sort = parseSort(P.sort, ['at', 'actor', 'action', 'object'], { key: 'at', dir: 'desc' });
  const actions = useMemo(
    () => [
      ...new Set([
        ...AUDIT_ACTIONS,
        ...(audit.data?.entries.map((e) => e.action) ?? []),
        ...(filter.action ? [filter.action] : []),
      ]),
    ],
    [audit.data, filter.action],
  );
  const actionLabel = (a: string) => {
    const k = `audit.action.${a}` as Key;
    const s = t(k);
    return s === k ? a : `${s} (${a})`;
  };
  const columns: Column<AuditRow>[] = [
    {
      key: 'at',
      label: t('admin.col.at'),
      rowHeader: true,
      sortValue: (r) => r.id,
      render: (r) => <time dateTime={r.at}>{formatDateTime(r.at, lang)}</time>,
    },
    { key: 'actor', label: t('admin.col.actor'), sortValue: (r) => r.actor, render: (r) => r.actor },
    { key: 'action', label: t('admin.col.action'), sortValue: (r) => r.action, render: (r) => actionLabel(r.action) },
    {
      key: 'object',
      label: t('admin.col.object'),
      sortValue: (r) => `${r.objectType ?? ''}:${r.objectKey ?? ''}`,
      render: (r) =>
        r.objectType || r.objectKey ? `${r.objectType ?? ''}${r.objectKey ? ` ${r.objectKey}` : ''}` : '',
    },
    {
      key: 'batch',
      label: t('admin.col.batch'),
      numeric: true,
      render: (r) => (r.importBatchId === null ? '' : String(r.importBatchId)),
    },
    {
      key: 'details',
      label: t('admin.col.details'),
      class: 'km-audit__details',
      render: (r) => detailsText(r.details),
    },
    { key: 'ip', label: t('admin.col.ip'), render: (r) => r.ip ?? '' },
  ];
  const apply = (e: Event) => {
    e.preventDefault();
    navigate(withParams(route, { from: draft.from, to: draft.to, actor: draft.actor?.trim(), action: draft.action }));
  };
  const n = audit.data?.entries.length ?? 0;
  return (
    <section class="km-section" aria-labelledby="audit-h">
      <h2 class="kern-heading-medium" id="audit-h">
        {t('admin.audit')}
      </h2>
      <p>{t('admin.auditIntro')}</p>
      <form class="km-panel km-filters no-print" onSubmit={apply} aria-labelledby="audit-filter-h">
        <h3 class="kern-heading-small" id="audit-filter-h">
          {t('admin.filter')}
        </h3>
        <div class="km-form__grid">
          <TextField
            id="audit-from"
            type="date"
            label={t('admin.from')}
            value={draft.from ?? ''}
            onInput={(v) => setDraft({ ...draft, from: v })}
          />
          <TextField
            id="audit-to"
            type="date"
            label={t('admin.to')}
            hint={t('admin.toHint')}
            value={draft.to ?? ''}
            onInput={(v) => setDraft({ ...draft, to: v })}
            error={auditFilterProblem(draft) ? t('admin.rangeError') : undefined}
          />
          <TextField
            id="audit-actor"
            label={t('admin.col.actor')}
            hint={t('admin.actorHint')}
            value={draft.actor ?? ''}
            onInput={(v) => setDraft({ ...draft, actor: v })}
            list="audit-actors"
            autoComplete="off"
          />
          <datalist id="audit-actors">
            {(users.data?.users ?? []).map((u) => (
              <option key={u.name} value={u.name} />
            ))}
            <option value="cli" />
          </datalist>
          <SelectField
            id="audit-action"
            label={t('admin.col.action')}
            value={draft.action ?? ''}
            options={[
              { value: '', label: t('admin.allActions') },
              ...actions.map((a) => ({ value: a, label: actionLabel(a) })),
            ]}
            onChange={(v) => setDraft({ ...draft, action: v })}
          />
        </div>
        <div class="km-toolbar km-toolbar--form">
          <Button type="submit" kind="primary">
            {t('admin.applyFilter')}
          </Button>
          <Button
            kind="tertiary"
            onClick={() => {
              setDraft({});
              navigate(withParams(route, { from: null, to: null, actor: null, action: null }));
            }}
          >
            {t('admin.resetFilter')}
          </Button>
        </div>
      </form>
      {problem ? (
        <Notice kind="warning">{t('admin.rangeError')}</Notice>
      ) : audit.error ? (
        <ErrorBox error={audit.error} retry={audit.retry} />
      ) : !audit.data ? (
        <Loading />
      ) : (
        <div class={audit.loading ? 'km-stale' : undefined} aria-busy={audit.loading ? 'true' : undefined}>
          <div class="km-section__head">
            <p class="km-muted" role="status" aria-live="polite">
              {n === 0 ? t('admin.auditEmpty') : t('admin.auditCount', { n: formatNumber(n, 0, lang) })}
              {n >= 1000 && ` ${t('admin.auditLimit')}`}
            </p>
            <div class="km-downloads" role="group" aria-label={t('atlas.download')}>
              <a class="kern-btn kern-btn--secondary kern-btn--x-small km-download" href={csv} download="audit.csv">
                <span class="kern-icon kern-icon--download" aria-hidden="true" />
                <span class="kern-label">{t('admin.csv')}</span>
              </a>
              <Button small kind="tertiary" onClick={audit.retry} icon="autorenew">
                {t('admin.refresh')}
              </Button>
            </div>
          </div>
          {n > 0 && (
            <DataTable
              id="audit-table"
              caption={t('admin.auditCaption')}
              columns={columns}
              rows={audit.data.entries}
              rowKey={(r) => String(r.id)}
              sort={sort}
              onSort={(s) =>
                navigate(withParams(route, { sort: s.key === 'at' && s.dir === 'desc' ? null : formatSort(s) }), {
                  replace: true,
                })
              }
            />
          )}
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Users

const EMPTY_USER: NewUser = { name: '', displayName: '', role: 'viewer', department: '', password: '' };

function UsersPart() {
  const { t, lang, me } = useApp();
  useState(() => clearCache('/api/users'));
  const users = useApi(apiPath('GET /api/users'));
  const deps = useApi(apiPath('GET /api/departments'));
  const [confirm, setConfirm] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [form, setForm] = useState<NewUser>(EMPTY_USER);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const problems = newUserProblems(form);
  const disable = async (name: string) => {
    setBusy(true);
    try {
      await postJSON(apiPath('POST /api/users/:name/disable', { name }), {});
      setMessage({ kind: 'success', text: t('admin.disabled', { name }) });
      setConfirm(null);
      users.retry();
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(t, e, lang) });
    } finally {
      setBusy(false);
    }
  };
  // Grants or revokes the sealed-office permission (POST /api/users/{name}/grant|revoke; audited by the server).
  // The box shows the change at once (and keeps the focus: it is not disabled meanwhile); the
  // server's answer confirms it, or the box goes back and the error is shown.
  const [sealedPending, setSealedPending] = useState<Record<string, boolean>>({});
  useEffect(() => setSealedPending({}), [users.data]);
  const setSealed = async (name: string, granted: boolean) => {
    setSealedPending((p) => ({ ...p, [name]: granted }));
    try {
      await postJSON(
        granted ? apiPath('POST /api/users/:name/grant', { name }) : apiPath('POST /api/users/:name/revoke', { name }),
        { permission: 'sealed-office' },
      );
      setMessage({ kind: 'success', text: t(granted ? 'admin.granted' : 'admin.revoked', { name }) });
      users.retry();
    } catch (e) {
      setSealedPending((p) => {
        const { [name]: _, ...rest } = p;
        return rest;
      });
      setMessage({ kind: 'error', text: errorMessage(t, e, lang) });
    }
  };
  const create = async (e: Event) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(problems).length) {
      const first = Object.keys(problems)[0];
      document.getElementById(`user-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const body = newUserBody(form);
      await postJSON(apiPath('POST /api/users'), body);
      setMessage({ kind: 'success', text: t('admin.userCreated', { name: body.name }) });
      setForm(EMPTY_USER);
      setTried(false);
      users.retry();
    } catch (err) {
      setMessage({ kind: 'error', text: errorMessage(t, err, lang) });
    } finally {
      setBusy(false);
    }
  };
  const depName = (k: string | null) => (k ? (deps.data?.departments.find((d) => d.key === k)?.name ?? k) : '');
  const columns: Column<UserInfo>[] = [
    { key: 'name', label: t('auth.user'), rowHeader: true, sortValue: (r) => r.name, render: (r) => r.name },
    { key: 'displayName', label: t('admin.col.displayName'), render: (r) => r.displayName ?? '' },
    { key: 'role', label: t('admin.col.role'), render: (r) => t(`role.${r.role}` as Key) },
    { key: 'department', label: t('admin.col.department'), render: (r) => depName(r.department) },
    {
      key: 'status',
      label: t('col.status'),
      render: (r) =>
        r.disabled ? (
          <span class="km-badge km-badge--off">{t('admin.status.disabled')}</span>
        ) : r.lockedUntil && new Date(r.lockedUntil) > new Date() ? (
          <span class="km-badge km-badge--warn">
            {t('admin.status.locked', { until: formatDateTime(r.lockedUntil, lang) })}
          </span>
        ) : (
          <span class="km-badge km-badge--on">{t('admin.status.active')}</span>
        ),
    },
    { key: 'createdAt', label: t('admin.col.created'), render: (r) => formatDateTime(r.createdAt, lang) },
    {
      key: 'sealedOffice',
      label: t('admin.col.sealedOffice'),
      render: (r) => (
        <span class="kern-form-check km-sealed-grant">
          <input
            class="kern-form-check__checkbox"
            type="checkbox"
            id={`user-sealed-${r.name}`}
            checked={sealedPending[r.name] ?? r.sealedOffice === true}
            disabled={r.disabled}
            onChange={(e) => setSealed(r.name, (e.currentTarget as HTMLInputElement).checked)}
          />
          <label class="kern-label" for={`user-sealed-${r.name}`}>
            <span class="kern-sr-only">{t('admin.sealedGrant', { name: r.name })}</span>
          </label>
        </span>
      ),
    },
    {
      key: 'actions',
      label: t('admin.col.actions'),
      class: 'no-print',
      render: (r) =>
        r.disabled || r.name === me?.user?.name ? (
          r.name === me?.user?.name ? (
            <span class="km-muted">{t('admin.you')}</span>
          ) : null
        ) : confirm === r.name ? (
          <span class="km-confirm" role="group" aria-label={t('admin.confirmDisable', { name: r.name })}>
            <span>{t('admin.confirmDisable', { name: r.name })}</span>
            <Button small kind="primary" disabled={busy} onClick={() => disable(r.name)}>
              {t('admin.disableYes')}
            </Button>
            <Button small kind="tertiary" onClick={() => setConfirm(null)}>
              {t('admin.cancel')}
            </Button>
          </span>
        ) : (
          <Button
            small
            kind="secondary"
            onClick={() => setConfirm(r.name)}
            label={t('admin.disableUser', { name: r.name })}
          >
            {t('admin.disable')}
          </Button>
        ),
    },
  ];
  return (
    <section class="km-section" aria-labelledby="users-h">
      <h2 class="kern-heading-medium" id="users-h">
        {t('admin.users')}
      </h2>
      {message &&
        (message.kind === 'success' ? (
          <Notice kind="success">{message.text}</Notice>
        ) : (
          <ActionError text={message.text} />
        ))}
      {users.error ? (
        <ErrorBox error={users.error} retry={users.retry} />
      ) : !users.data ? (
        <Loading />
      ) : (
        <DataTable
          id="users-table"
          caption={t('admin.usersCaption', { n: users.data.users.length })}
          columns={columns}
          rows={users.data.users}
          rowKey={(r) => r.name}
        />
      )}
      <form class="km-panel km-form no-print" onSubmit={create} aria-labelledby="user-new-h" noValidate>
        <h3 class="kern-heading-small" id="user-new-h">
          {t('admin.newUser')}
        </h3>
        <div class="km-form__grid">
          <TextField
            id="user-name"
            label={t('auth.user')}
            hint={t('admin.userNameHint')}
            value={form.name}
            onInput={(v) => setForm({ ...form, name: v })}
            autoComplete="off"
            error={tried && problems.name ? t('admin.userNameInvalid') : undefined}
          />
          <TextField
            id="user-displayName"
            label={t('admin.col.displayName')}
            value={form.displayName}
            onInput={(v) => setForm({ ...form, displayName: v })}
            autoComplete="off"
          />
          <SelectField
            id="user-role"
            label={t('admin.col.role')}
            value={form.role}
            options={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as Key) }))}
            onChange={(v) => setForm({ ...form, role: v as Role })}
            hint={t(`role.${form.role}.hint` as Key)}
          />
          <div>
            <SelectField
              id="user-department"
              label={t('admin.col.department')}
              value={form.department}
              options={[
                { value: '', label: t('admin.noDepartment') },
                ...(deps.data?.departments ?? []).map((d) => ({ value: d.key, label: d.name })),
              ]}
              onChange={(v) => setForm({ ...form, department: v })}
            />
            {tried && problems.department && (
              <p class="kern-error" id="user-department-error" role="alert">
                <span class="kern-icon kern-icon--danger kern-icon--small" aria-hidden="true" />
                <span class="kern-body">{t('admin.departmentRequired')}</span>
              </p>
            )}
          </div>
          <TextField
            id="user-password"
            type="password"
            label={t('account.initialPassword')}
            hint={t('account.passwordHint')}
            value={form.password}
            onInput={(v) => setForm({ ...form, password: v })}
            autoComplete="new-password"
            error={tried && problems.password ? t(`account.pw.${problems.password}` as Key) : undefined}
          />
        </div>
        <div class="km-toolbar km-toolbar--form">
          <Button type="submit" kind="primary" disabled={busy}>
            {t('admin.createUser')}
          </Button>
        </div>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Departments

function DepartmentsPart() {
  const { t, lang } = useApp();
  useState(() => clearCache('/api/departments'));
  const deps = useApi(apiPath('GET /api/departments'));
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const keyProblem = departmentKeyProblem(key.trim());
  const nameProblem = !name.trim();
  const columns: Column<DepartmentInfo>[] = [
    { key: 'name', label: t('admin.col.name'), rowHeader: true, sortValue: (r) => r.name, render: (r) => r.name },
    { key: 'key', label: t('col.code'), render: (r) => <code>{r.key}</code> },
    { key: 'users', label: t('admin.col.users'), numeric: true, render: (r) => formatNumber(r.users, 0, lang) },
    {
      key: 'indicators',
      label: t('admin.col.indicators'),
      numeric: true,
      render: (r) => formatNumber(r.indicators, 0, lang),
    },
  ];
  return (
    <section class="km-section" aria-labelledby="deps-h">
      <h2 class="kern-heading-medium" id="deps-h">
        {t('admin.departments')}
      </h2>
      <p>{t('admin.departmentsIntro')}</p>
      {message &&
        (message.kind === 'success' ? (
          <Notice kind="success">{message.text}</Notice>
        ) : (
          <ActionError text={message.text} />
        ))}
      {deps.error ? (
        <ErrorBox error={deps.error} retry={deps.retry} />
      ) : !deps.data ? (
        <Loading />
      ) : (
        <DataTable
          id="deps-table"
          caption={t('admin.departments')}
          columns={columns}
          rows={deps.data.departments}
          rowKey={(r) => r.key}
        />
      )}
      <form
        class="km-panel km-form no-print"
        aria-labelledby="dep-new-h"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setTried(true);
          if (keyProblem || nameProblem) {
            document.getElementById(keyProblem ? 'dep-key' : 'dep-name')?.focus();
            return;
          }
          setBusy(true);
          try {
            await postJSON(apiPath('POST /api/departments'), { key: key.trim(), name: name.trim() });
            setMessage({ kind: 'success', text: t('admin.departmentCreated', { name: name.trim() }) });
            setKey('');
            setName('');
            setTried(false);
            deps.retry();
          } catch (err) {
            setMessage({ kind: 'error', text: errorMessage(t, err, lang) });
          } finally {
            setBusy(false);
          }
        }}
      >
        <h3 class="kern-heading-small" id="dep-new-h">
          {t('admin.newDepartment')}
        </h3>
        <div class="km-form__grid">
          <TextField
            id="dep-key"
            label={t('col.code')}
            hint={t('admin.departmentKeyHint')}
            value={key}
            onInput={setKey}
            autoComplete="off"
            error={tried && keyProblem ? t('admin.departmentKeyInvalid') : undefined}
          />
          <TextField
            id="dep-name"
            label={t('admin.col.name')}
            value={name}
            onInput={setName}
            autoComplete="off"
            error={tried && nameProblem ? t('admin.nameRequired') : undefined}
          />
        </div>
        <div class="km-toolbar km-toolbar--form">
          <Button type="submit" kind="primary" disabled={busy}>
            {t('admin.createDepartment')}
          </Button>
        </div>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// One's own API tokens

function TokensPart() {
  const { t, lang, me } = useApp();
  const user = me?.user?.name ?? '';
  useState(() => clearCache('/api/tokens'));
  const tokens = useApi(user ? apiPath('GET /api/tokens', { user }) : null);
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [fresh, setFresh] = useState<(TokenInfo & { token: string }) | null>(null);
  const [confirm, setConfirm] = useState<number | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const daysNum = days.trim() ? Number(days.trim()) : null;
  const daysProblem = daysNum !== null && !(Number.isInteger(daysNum) && daysNum >= 1 && daysNum <= 3650);
  const nameProblem = !name.trim();
  const now = new Date();
  const statusOf = (r: TokenInfo) =>
    r.revoked
      ? 'revoked'
      : r.expiresAt && new Date(r.expiresAt.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00')) < now
        ? 'expired'
        : 'active';
  const revoke = async (id: number) => {
    setBusy(true);
    try {
      await deleteJSON(apiPath('DELETE /api/tokens/:id', { id }));
      setConfirm(null);
      setMessage({ kind: 'success', text: t('account.tokenRevoked') });
      tokens.retry();
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(t, e, lang) });
    } finally {
      setBusy(false);
    }
  };
  const columns: Column<TokenInfo>[] = [
    { key: 'name', label: t('admin.col.name'), rowHeader: true, sortValue: (r) => r.name, render: (r) => r.name },
    { key: 'prefix', label: t('account.col.prefix'), render: (r) => <code>{r.prefix}…</code> },
    { key: 'createdAt', label: t('admin.col.created'), render: (r) => formatDateTime(r.createdAt, lang) },
    {
      key: 'lastUsedAt',
      label: t('account.col.lastUsed'),
      render: (r) => (r.lastUsedAt ? formatDateTime(r.lastUsedAt, lang) : t('account.never')),
    },
    {
      key: 'expiresAt',
      label: t('account.col.expires'),
      render: (r) => (r.expiresAt ? formatDateTime(r.expiresAt, lang) : t('account.noExpiry')),
    },
    {
      key: 'status',
      label: t('col.status'),
      render: (r) => (
        <span class={`km-badge km-badge--${statusOf(r) === 'active' ? 'on' : 'off'}`}>
          {t(`account.token.${statusOf(r)}` as Key)}
        </span>
      ),
    },
    {
      key: 'actions',
      label: t('admin.col.actions'),
      class: 'no-print',
      render: (r) =>
        r.revoked ? null : confirm === r.id ? (
          <span class="km-confirm" role="group" aria-label={t('account.confirmRevoke', { name: r.name })}>
            <span>{t('account.confirmRevoke', { name: r.name })}</span>
            <Button small kind="primary" disabled={busy} onClick={() => revoke(r.id)}>
              {t('account.revokeYes')}
            </Button>
            <Button small kind="tertiary" onClick={() => setConfirm(null)}>
              {t('admin.cancel')}
            </Button>
          </span>
        ) : (
          <Button
            small
            kind="secondary"
            onClick={() => setConfirm(r.id)}
            label={t('account.revokeToken', { name: r.name })}
          >
            {t('account.revoke')}
          </Button>
        ),
    },
  ];
  return (
    <section class="km-section" aria-labelledby="tokens-h">
      <h2 class="kern-heading-medium" id="tokens-h">
        {t('account.tokens')}
      </h2>
      <p>{t('account.tokensIntro')}</p>
      {fresh && <NewToken token={fresh} onDone={() => setFresh(null)} />}
      {message &&
        (message.kind === 'success' ? (
          <Notice kind="success">{message.text}</Notice>
        ) : (
          <ActionError text={message.text} />
        ))}
      {tokens.error ? (
        <ErrorBox error={tokens.error} retry={tokens.retry} />
      ) : !tokens.data ? (
        <Loading />
      ) : tokens.data.tokens.length === 0 ? (
        <p class="km-muted">{t('account.noTokens')}</p>
      ) : (
        <DataTable
          id="tokens-table"
          caption={t('account.tokensCaption', { name: user })}
          columns={columns}
          rows={tokens.data.tokens}
          rowKey={(r) => String(r.id)}
        />
      )}
      <form
        class="km-panel km-form no-print"
        aria-labelledby="token-new-h"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setTried(true);
          if (nameProblem || daysProblem) {
            document.getElementById(nameProblem ? 'token-name' : 'token-days')?.focus();
            return;
          }
          setBusy(true);
          try {
            const created = await postJSON(apiPath('POST /api/tokens'), {
              name: name.trim(),
              ...(daysNum ? { days: daysNum } : {}),
            });
            setFresh(created);
            setMessage(null);
            setName('');
            setDays('');
            setTried(false);
            tokens.retry();
          } catch (err) {
            setMessage({ kind: 'error', text: errorMessage(t, err, lang) });
          } finally {
            setBusy(false);
          }
        }}
      >
        <h3 class="kern-heading-small" id="token-new-h">
          {t('account.newToken')}
        </h3>
        <div class="km-form__grid">
          <TextField
            id="token-name"
            label={t('account.tokenName')}
            hint={t('account.tokenNameHint')}
            value={name}
            onInput={setName}
            autoComplete="off"
            maxLength={200}
            error={tried && nameProblem ? t('admin.nameRequired') : undefined}
          />
          <TextField
            id="token-days"
            label={t('account.tokenDays')}
            hint={t('account.tokenDaysHint')}
            value={days}
            onInput={setDays}
            inputMode="numeric"
            autoComplete="off"
            error={tried && daysProblem ? t('account.tokenDaysInvalid') : undefined}
          />
        </div>
        <div class="km-toolbar km-toolbar--form">
          <Button type="submit" kind="primary" disabled={busy}>
            {t('account.createToken')}
          </Button>
        </div>
      </form>
    </section>
  );
}

/** The secret of a new token: shown once, with a copy button and a clear warning. */
function NewToken({ token, onDone }: { token: TokenInfo & { token: string }; onDone: () => void }) {
  const { t } = useApp();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [token.token]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied('yes');
    } catch {
      // Without clipboard access (e.g. an insecure origin): select the text for Ctrl+C.
      const input = document.getElementById('token-secret') as HTMLInputElement | null;
      input?.focus();
      input?.select();
      setCopied('no');
    }
  };
  return (
    <div
      class="kern-alert kern-alert--warning km-alert km-newtoken"
      ref={ref}
      tabIndex={-1}
      aria-labelledby="token-secret-h"
    >
      <div class="kern-alert__header">
        <span class="kern-icon kern-icon--warning" aria-hidden="true" />
        <span class="kern-title" id="token-secret-h">
          {t('account.newTokenTitle', { name: token.name })}
        </span>
      </div>
      <div class="kern-alert__body">
        <p class="kern-body">
          <strong>{t('account.newTokenOnce')}</strong> {t('account.newTokenWarning')}
        </p>
        <div class="km-secret">
          <TextField
            id="token-secret"
            label={t('account.secret')}
            value={token.token}
            onInput={() => undefined}
            readOnly
            autoComplete="off"
          />
          <Button kind="primary" onClick={copy} icon="content-copy">
            {t('account.copy')}
          </Button>
        </div>
        <p class="kern-body km-muted" role="status" aria-live="polite">
          {copied === 'yes' ? t('account.copied') : copied === 'no' ? t('account.copyManually') : ''}
        </p>
        <p class="kern-body">
          {t('account.tokenUse')} <code>Authorization: Bearer {token.prefix}…</code>
        </p>
        <Button kind="secondary" onClick={onDone}>
          {t('account.tokenSaved')}
        </Button>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Password change

function PasswordPart() {
  const { t, lang, me } = useApp();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [currentError, setCurrentError] = useState<string | undefined>();
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const problem = passwordProblem(next, repeat, me?.user?.name);
  return (
    <section class="km-section" aria-labelledby="pw-h">
      <h2 class="kern-heading-medium" id="pw-h">
        {t('account.password')}
      </h2>
      <p>{t('account.passwordIntro')}</p>
      {message &&
        (message.kind === 'success' ? (
          <Notice kind="success">{message.text}</Notice>
        ) : (
          <ActionError text={message.text} />
        ))}
      <form
        class="km-panel km-form km-form--narrow"
        aria-labelledby="pw-h"
        noValidate
        onSubmit={async (e) => {
          e.preventDefault();
          setTried(true);
          setCurrentError(undefined);
          if (!current) {
            setCurrentError(t('account.currentRequired'));
            document.getElementById('pw-current')?.focus();
            return;
          }
          if (problem) {
            document.getElementById(problem === 'mismatch' ? 'pw-repeat' : 'pw-new')?.focus();
            return;
          }
          setBusy(true);
          try {
            await postJSON(apiPath('POST /api/auth/password'), { current, password: next });
            setMessage({ kind: 'success', text: t('account.passwordChanged') });
            setCurrent('');
            setNext('');
            setRepeat('');
            setTried(false);
          } catch (err) {
            if (err instanceof ApiError && err.status === 403) {
              setCurrentError(t('account.currentWrong'));
              document.getElementById('pw-current')?.focus();
            } else setMessage({ kind: 'error', text: errorMessage(t, err, lang) });
          } finally {
            setBusy(false);
          }
        }}
      >
        {/* A hidden user name helps password managers to store the new password for the right account. */}
        <input type="text" name="username" autoComplete="username" value={me?.user?.name ?? ''} readOnly hidden />
        <TextField
          id="pw-current"
          type="password"
          label={t('account.currentPassword')}
          value={current}
          onInput={setCurrent}
          autoComplete="current-password"
          error={currentError}
        />
        <TextField
          id="pw-new"
          type="password"
          label={t('account.newPassword')}
          hint={t('account.passwordHint')}
          value={next}
          onInput={setNext}
          autoComplete="new-password"
          error={tried && problem && problem !== 'mismatch' ? t(`account.pw.${problem}` as Key) : undefined}
        />
        <TextField
          id="pw-repeat"
          type="password"
          label={t('account.repeatPassword')}
          value={repeat}
          onInput={setRepeat}
          autoComplete="new-password"
          error={tried && problem === 'mismatch' ? t('account.pw.mismatch') : undefined}
        />
        <div class="km-toolbar km-toolbar--form">
          <Button type="submit" kind="primary" disabled={busy}>
            {t('account.changePassword')}
          </Button>
        </div>
      </form>
    </section>
  );
}
