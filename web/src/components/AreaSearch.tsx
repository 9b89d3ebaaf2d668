// "Mein Stadtteil": find an area by name across the layers people know (Stadtbezirke, Stadtteile,
// school catchments — every layer with 2 to 100 areas) and open its profile with one tap
// (issue #15, item 2). The areas load when the first letter is typed.
import { useMemo, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { useApiAll, type AreaCollection, type LayerInfo } from '../api.ts';
import { matchesQuery } from '../lib/table.ts';
import { TextField } from './Fields.tsx';
import { Link } from './Link.tsx';

const MAX_RESULTS = 8;

export function AreaSearch({ layers, id = 'area-search' }: { layers: LayerInfo[]; id?: string }) {
  const { t, href } = useApp();
  const [q, setQ] = useState('');
  const searchable = useMemo(() => layers.filter((l) => {
    const n = l.versions[l.versions.length - 1]?.areas ?? 0;
    return n > 1 && n <= 100;
  }), [layers]);
  const all = useApiAll<AreaCollection>(q.trim() ? searchable.map((l) => `/api/layers/${encodeURIComponent(l.key)}/areas`) : []);
  const results = useMemo(() => {
    const query = q.trim();
    if (!query || !all.data) return [];
    const norm = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
    const nq = norm(query);
    const out: { layer: LayerInfo; code: string; name: string; starts: boolean }[] = [];
    all.data.forEach((fc, k) => {
      const layer = searchable[k];
      if (!layer) return;
      for (const f of fc.features) if (matchesQuery(query, [f.properties.name, f.properties.code])) out.push({ layer, code: f.properties.code, name: f.properties.name, starts: norm(f.properties.name).startsWith(nq) });
    });
    out.sort((a, b) => Number(b.starts) - Number(a.starts) || a.name.localeCompare(b.name, 'de'));
    return out;
  }, [q, all.data, searchable]);
  const shown = results.slice(0, MAX_RESULTS);
  return (
    <div class="km-areasearch" role="search">
      <TextField id={id} label={t('search.label')} hint={t('search.hint')} type="search" value={q} onInput={setQ} autoComplete="off" />
      {q.trim() && (
        <div class="km-areasearch__results">
          <p class="km-muted" role="status" aria-live="polite">
            {all.loading && !all.data ? t('state.loading') : results.length === 0 ? t('search.none', { q: q.trim() }) : results.length > MAX_RESULTS ? t('search.more', { n: results.length, shown: MAX_RESULTS }) : t('search.found', { n: results.length })}
          </p>
          {shown.length > 0 && (
            <ul class="km-areasearch__list">
              {shown.map((r) => (
                <li key={`${r.layer.key}/${r.code}`}>
                  <Link href={href('profil', { layer: r.layer.key, area: r.code })} class="kern-link km-areasearch__link">
                    <span class="km-areasearch__name">{r.name}</span> <span class="km-muted">{r.layer.name}</span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
