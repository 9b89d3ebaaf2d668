// "Mein Stadtteil": find an area by name — Stadtbezirke, Stadtteile, school catchments — or by a
// street of the address register (where the installation has one), and open its profile with one
// tap (issue #15, items 2 and 11). The server searches (GET /api/places, at least 3 characters);
// a street lists the areas it touches.
import { useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { useApi, apiPath } from '../api.ts';
import { TextField } from './Fields.tsx';
import { Link } from './Link.tsx';

const MIN_CHARS = 3;
const MAX_SHOWN = 8;

export function AreaSearch({ id = 'area-search' }: { id?: string }) {
  const { t, href } = useApp();
  const [q, setQ] = useState('');
  const query = q.trim();
  const found = useApi(query.length >= MIN_CHARS ? apiPath('GET /api/places', { q: query }) : null);
  const data = found.data;
  const areas = data?.areas.slice(0, MAX_SHOWN) ?? [];
  const streets = data?.streets.slice(0, MAX_SHOWN) ?? [];
  const total = (data?.areas.length ?? 0) + (data?.streets.length ?? 0);
  const more =
    !!data &&
    (data.more.areas || data.more.streets || data.areas.length > MAX_SHOWN || data.streets.length > MAX_SHOWN);
  const status =
    query.length < MIN_CHARS
      ? t('search.minChars', { n: MIN_CHARS })
      : found.error
        ? t('state.error')
        : !data
          ? t('state.loading')
          : total === 0
            ? t('search.none', { q: query })
            : more
              ? t('search.more', { n: total, shown: areas.length + streets.length })
              : t('search.found', { n: total });
  return (
    <div class="km-areasearch" role="search">
      <TextField
        id={id}
        label={t('search.label')}
        hint={t('search.hint')}
        type="search"
        value={q}
        onInput={setQ}
        autoComplete="off"
      />
      {query && (
        <div class="km-areasearch__results">
          <p class="km-muted" role="status" aria-live="polite">
            {status}
          </p>
          {areas.length > 0 && (
            <ul class="km-areasearch__list">
              {areas.map((r) => (
                <li key={`${r.layer}/${r.code}`}>
                  <Link href={href('profil', { layer: r.layer, area: r.code })} class="kern-link km-areasearch__link">
                    <span class="km-areasearch__name">{r.name}</span> <span class="km-muted">{r.layerName}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {streets.length > 0 && (
            <ul class="km-areasearch__list km-areasearch__streets" aria-label={t('search.streets')}>
              {streets.map((s) => (
                <li key={s.street}>
                  <span class="km-areasearch__name">{s.street}</span>{' '}
                  <span class="km-muted">{t('search.streetIn')}</span>{' '}
                  {s.areas.map((a, i) => (
                    <span key={`${a.layer}/${a.code}`}>
                      {i > 0 && ', '}
                      <Link
                        href={href('profil', { layer: a.layer, area: a.code })}
                        class="kern-link km-areasearch__link"
                      >
                        {a.name}
                      </Link>{' '}
                      <span class="km-muted">({a.layerName})</span>
                    </span>
                  ))}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
