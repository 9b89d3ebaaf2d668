// Parts shared by the analysis views (index builder, typologies): form parts, the table of areas, saving.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { navigate, withParams } from '../router.ts';
import { formatSort, type SortSpec } from '../lib/table.ts';
import { ApiError, clearCache, type AreaCollection, postJSON, type ApiPath } from '../api.ts';
import { maySaveIndex } from '../auth.ts';
import { Button, SelectField, TextField } from './Fields.tsx';
import { ErrorBox } from './States.tsx';
import { DataTable, type Column } from './DataTable.tsx';
import { Link } from './Link.tsx';
import type { RouteAnswer, RouteBody, RoutesOf } from '../../../src/contracts/routes.ts';

/** Choosing an area and a reason to exclude it; `onAdd` gets both once both are given. */
export function ExcludeAreaAdd(p: {
  idPrefix: string;
  areas?: AreaCollection;
  excluded: { code: string }[];
  onAdd: (area: { code: string; reason: string }) => void;
}) {
  const { t } = useApp();
  const [newArea, setNewArea] = useState('');
  const [newReason, setNewReason] = useState('');
  const [areaError, setAreaError] = useState<string | undefined>();
  return (
    <div class="km-exclude-add">
      <SelectField
        id={`${p.idPrefix}-ex-area`}
        label={t('idx.excludeArea')}
        value={newArea}
        options={[
          { value: '', label: t('idx.chooseArea') },
          ...(p.areas?.features ?? [])
            .filter((f) => !p.excluded.some((x) => x.code === f.properties.code))
            .map((f) => ({ value: f.properties.code, label: `${f.properties.name} (${f.properties.code})` })),
        ]}
        onChange={setNewArea}
        disabled={!p.areas}
      />
      <TextField
        id={`${p.idPrefix}-ex-reason`}
        label={t('idx.reason')}
        value={newReason}
        onInput={setNewReason}
        autoComplete="off"
        error={areaError}
      />
      <Button
        small
        icon="add"
        onClick={() => {
          if (!newArea) return setAreaError(t('idx.chooseAreaFirst'));
          if (!newReason.trim()) return setAreaError(t('idx.problem.reason'));
          setAreaError(undefined);
          p.onAdd({ code: newArea, reason: newReason.trim() });
          setNewArea('');
          setNewReason('');
        }}
      >
        {t('idx.excludeAdd')}
      </Button>
    </div>
  );
}

/**
 * Saving a definition as derived indicators: sign-in and permission first, then a button that posts
 * `body` to `path` (a contract route, whose answer the notice gets). The success notice
 * (`savedNotice`) shows only while the definition is still the one saved (`current`, e.g. the
 * definition as in the address).
 */
export function SavePanel<R extends RoutesOf<'POST'>>(p: {
  idPrefix: string;
  texts: { heading: string; intro: string; signIn: string; forbidden: string; button: string; failed: string };
  /** The page to come back to after signing in, e.g. "/index". */
  signInNext: string;
  path: ApiPath<R>;
  body: RouteBody<R>;
  current: string;
  onSaved?: (answer: RouteAnswer<R>) => void;
  savedNotice: (answer: RouteAnswer<R>) => ComponentChildren;
}) {
  const { t, me, href } = useApp();
  const [busy, setBusy] = useState(false);
  // The answer of the last save and the definition it was for.
  const [saved, setSaved] = useState<{ answer: RouteAnswer<R>; current: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const may = maySaveIndex(me);
  return (
    <section class="km-section km-panel km-save no-print" aria-labelledby={`${p.idPrefix}-save-h`}>
      <h2 class="kern-heading-small" id={`${p.idPrefix}-save-h`}>
        {p.texts.heading}
      </h2>
      <p>{p.texts.intro}</p>
      {!me?.user ? (
        <p>
          {p.texts.signIn}{' '}
          <Link href={href('anmelden', { next: `${p.signInNext}${location.search}` })}>{t('auth.signInTitle')}</Link>
        </p>
      ) : !may ? (
        <p>{p.texts.forbidden}</p>
      ) : (
        <Button
          kind="primary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            setError(null);
            try {
              const r = await postJSON(p.path, p.body);
              clearCache();
              setSaved({ answer: r, current: p.current });
              p.onSaved?.(r);
            } catch (e) {
              setError(e instanceof ApiError ? e : new ApiError(0, String(e), ''));
            } finally {
              setBusy(false);
            }
          }}
        >
          {p.texts.button}
        </Button>
      )}
      {error && <ErrorBox error={error} title={p.texts.failed} />}
      {saved && saved.current === p.current && p.savedNotice(saved.answer)}
    </section>
  );
}

/**
 * The table of areas of a result: a filter (the view filters by `q` of the address), the number
 * shown, and the sort kept in the address (left out while it is `defaultSort` ascending).
 */
export function AreaTableSection<R extends { area: string }>(p: {
  idPrefix: string;
  heading: string;
  filterHint: string;
  caption: string;
  columns: Column<R>[];
  rows: R[];
  total: number;
  sort: SortSpec;
  defaultSort: string;
  selected: string | null;
}) {
  const { t, route } = useApp();
  return (
    <section class="km-section" aria-labelledby={`${p.idPrefix}-table-h`}>
      <h2 class="kern-heading-small" id={`${p.idPrefix}-table-h`}>
        {p.heading}
      </h2>
      <TextField
        id={`${p.idPrefix}-q`}
        class="km-filter"
        label={t('field.filter')}
        hint={p.filterHint}
        type="search"
        value={route.params.q ?? ''}
        onInput={(v) => navigate(withParams(route, { q: v }), { replace: true })}
      />
      <p class="km-muted" role="status" aria-live="polite">
        {t('atlas.shown', { n: p.rows.length, total: p.total })}
      </p>
      <DataTable
        id={`${p.idPrefix}-table`}
        caption={p.caption}
        columns={p.columns}
        rows={p.rows}
        rowKey={(r) => r.area}
        sort={p.sort}
        onSort={(s) =>
          navigate(withParams(route, { sort: s.key === p.defaultSort && s.dir === 'asc' ? null : formatSort(s) }), {
            replace: true,
          })
        }
        rowClass={(r) => (r.area === p.selected ? 'km-row--selected' : undefined)}
      />
    </section>
  );
}
