// Readers of participation platforms' proposals, as their public APIs and exports give them:
// - Decidim: the GraphQL API (proposals with title/body as translated fields, scope, publishedAt,
//   coordinates) and the CSV export of a proposals component (columns flattened with "/",
//   e.g. title/de, scope/id, scope/name/de, published_at, url);
// - CONSUL: the GraphQL API (proposals { edges { node { id title description summary
//   public_created_at geozone { id name } } } });
// - adhocracy+ / mein.berlin: the REST API of a module's ideas (pk, name, description, created,
//   reference_number), a plain list or a paginated { results }.
// Authors (public_author, creator, user_endorsements) are never read: we keep no names.

export type Platform = 'decidim' | 'consul' | 'adhocracy';
export const PLATFORMS: Platform[] = ['decidim', 'consul', 'adhocracy'];

export interface ParticipationItem {
  platform: Platform;
  sourceId: string;
  title: string;
  description: string;
  /** The platform's area keys of the item, most specific first (id, then name). */
  sourceAreas: string[];
  publishedOn: string | null;
  point: { x: number; y: number } | null;
  url: string | null;
  /** Where in the input the item was (JSON path or CSV line), for messages. */
  at: string;
}

export interface ReadResult {
  items: ParticipationItem[];
  problems: { at: string; reason: string }[];
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Text of HTML as a young person reads it: tags out, entities of the common kind decoded. */
function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/[ \t]+/g, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A Decidim translated field: a string, { translation }, { translations: [{ locale, text }] } or { de: … }. */
function translated(v: Json | undefined, locale = 'de'): string {
  if (typeof v === 'string') return v;
  if (!isObj(v)) return '';
  if (typeof v.translation === 'string') return v.translation;
  if (Array.isArray(v.translations)) {
    const list = v.translations.filter(isObj);
    const pick = list.find((t) => t.locale === locale) ?? list.find((t) => typeof t.text === 'string' && t.text);
    return pick && typeof pick.text === 'string' ? pick.text : '';
  }
  if (typeof v[locale] === 'string') return v[locale] as string;
  const first = Object.values(v).find((x) => typeof x === 'string' && x);
  return typeof first === 'string' ? first : '';
}

const dateOf = (v: Json | undefined): string | null => {
  if (typeof v !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(v) ?? /^(\d{2})\.(\d{2})\.(\d{4})/.exec(v);
  if (!m) return null;
  return m.length === 4 ? `${m[3]}-${m[2]}-${m[1]}` : m[1];
};

const idOf = (v: Json | undefined): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** Every object listed under a key `key` (as a list, { nodes }, { edges: [{ node }] } or { results }). */
function collect(v: Json, key: string, path: string, out: { node: Obj; at: string }[]): void {
  if (Array.isArray(v)) v.forEach((x, i) => collect(x, key, `${path}/${i}`, out));
  else if (isObj(v))
    for (const [k, x] of Object.entries(v)) {
      if (k === key) {
        const list = Array.isArray(x)
          ? x
          : isObj(x)
            ? Array.isArray(x.nodes)
              ? x.nodes
              : Array.isArray(x.edges)
                ? x.edges.map((e) => (isObj(e) ? (e.node ?? null) : null))
                : Array.isArray(x.results)
                  ? x.results
                  : []
            : [];
        list.forEach((n, i) => {
          if (isObj(n)) out.push({ node: n, at: `${path}/${k}/${i}` });
        });
      } else collect(x, key, `${path}/${k}`, out);
    }
}

export function readDecidimGraphql(doc: Json, baseUrl?: string): ReadResult {
  const found: { node: Obj; at: string }[] = [];
  collect(doc, 'proposals', '', found);
  const problems: ReadResult['problems'] = [];
  const items: ParticipationItem[] = [];
  for (const { node, at } of found) {
    const id = idOf(node.id);
    const title = plainText(translated(node.title));
    if (!id || !title) {
      problems.push({ at, reason: 'a proposal without id or title' });
      continue;
    }
    const scope = isObj(node.scope) ? node.scope : null;
    const coords = isObj(node.coordinates) ? node.coordinates : null;
    const lat = coords && typeof coords.latitude === 'number' ? coords.latitude : null,
      lon = coords && typeof coords.longitude === 'number' ? coords.longitude : null;
    items.push({
      platform: 'decidim',
      sourceId: id,
      title,
      description: plainText(translated(node.body)),
      sourceAreas: scope ? [idOf(scope.id), translated(scope.name)].filter(Boolean) : [],
      publishedOn: dateOf(node.publishedAt ?? node.published_at),
      point: lat !== null && lon !== null ? { x: lon, y: lat } : null,
      url: typeof node.url === 'string' ? node.url : baseUrl ? `${baseUrl.replace(/\/$/, '')}/proposals/${id}` : null,
      at,
    });
  }
  if (!found.length)
    problems.push({
      at: '',
      reason: 'no proposals in this answer (expected data … proposals { nodes | edges { node } })',
    });
  return { items, problems };
}

/** Decidim's CSV export of proposals: a row as column → text. */
export function readDecidimCsv(
  rows: { line: number; cells: Record<string, string> }[],
  columns: string[],
  baseUrl?: string,
): ReadResult {
  const pick = (base: string) =>
    [`${base}/de`, `${base}/en`, base].find((c) => columns.includes(c)) ??
    columns.find((c) => c.startsWith(`${base}/`));
  const col = {
    id: 'id',
    title: pick('title'),
    body: pick('body'),
    scopeId: columns.includes('scope/id') ? 'scope/id' : undefined,
    scopeName: pick('scope/name'),
    published: columns.includes('published_at') ? 'published_at' : undefined,
    url: columns.includes('url') ? 'url' : undefined,
  };
  const problems: ReadResult['problems'] = [];
  if (!columns.includes('id') || !col.title)
    return {
      items: [],
      problems: [
        {
          at: 'line 1',
          reason: `a Decidim proposals CSV has the columns id and title/<locale>; this one has ${columns.join(', ')}`,
        },
      ],
    };
  const items: ParticipationItem[] = [];
  for (const r of rows) {
    const get = (c: string | undefined) => (c ? (r.cells[c] ?? '').trim() : '');
    const id = get(col.id);
    const title = plainText(get(col.title));
    if (!id || !title) {
      problems.push({ at: `line ${r.line}`, reason: 'a proposal without id or title' });
      continue;
    }
    const lat = Number(get('latitude')),
      lon = Number(get('longitude'));
    items.push({
      platform: 'decidim',
      sourceId: id,
      title,
      description: plainText(get(col.body)),
      sourceAreas: [get(col.scopeId), get(col.scopeName)].filter(Boolean),
      publishedOn: dateOf(get(col.published)),
      point:
        get('latitude') && get('longitude') && Number.isFinite(lat) && Number.isFinite(lon) ? { x: lon, y: lat } : null,
      url: get(col.url) || (baseUrl ? `${baseUrl.replace(/\/$/, '')}/proposals/${id}` : null),
      at: `line ${r.line}`,
    });
  }
  return { items, problems };
}

export function readConsulGraphql(doc: Json, baseUrl?: string): ReadResult {
  const found: { node: Obj; at: string }[] = [];
  collect(doc, 'proposals', '', found);
  const problems: ReadResult['problems'] = [];
  const items: ParticipationItem[] = [];
  for (const { node, at } of found) {
    const id = idOf(node.id);
    const title = typeof node.title === 'string' ? plainText(node.title) : '';
    if (!id || !title) {
      problems.push({ at, reason: 'a proposal without id or title' });
      continue;
    }
    // A withdrawn (retired) proposal is no topic any more.
    if (node.retired_at) continue;
    const geozone = isObj(node.geozone) ? node.geozone : null;
    const description = [node.summary, node.description]
      .filter((x): x is string => typeof x === 'string' && !!x)
      .map(plainText);
    items.push({
      platform: 'consul',
      sourceId: id,
      title,
      description: [...new Set(description)].join('\n\n'),
      sourceAreas: geozone
        ? [idOf(geozone.id), typeof geozone.name === 'string' ? geozone.name : ''].filter(Boolean)
        : idOf(node.geozone_id)
          ? [idOf(node.geozone_id)]
          : [],
      publishedOn: dateOf(node.public_created_at),
      point: null,
      url: baseUrl ? `${baseUrl.replace(/\/$/, '')}/proposals/${id}` : null,
      at,
    });
  }
  if (!found.length)
    problems.push({ at: '', reason: 'no proposals in this answer (expected data.proposals.edges[].node)' });
  return { items, problems };
}

/**
 * adhocracy+ ideas of one module. Ideas carry no district: it is the project's (mein.berlin's
 * administrative district), given as `district`; an idea's own `district` or category wins.
 */
export function readAdhocracy(doc: Json, o: { baseUrl?: string; district?: string } = {}): ReadResult {
  const list = Array.isArray(doc) ? doc : isObj(doc) && Array.isArray(doc.results) ? doc.results : null;
  if (!list)
    return {
      items: [],
      problems: [{ at: '', reason: 'an adhocracy+ answer is a list of ideas or { results: [...] }' }],
    };
  const problems: ReadResult['problems'] = [];
  const items: ParticipationItem[] = [];
  list.forEach((n, i) => {
    const at = `/${i}`;
    if (!isObj(n)) return problems.push({ at, reason: 'not an idea' });
    const id = idOf(n.pk ?? n.id);
    const title = typeof n.name === 'string' ? plainText(n.name) : '';
    if (!id || !title) return problems.push({ at, reason: 'an idea without pk or name' });
    const ref = typeof n.reference_number === 'string' ? n.reference_number : '';
    const district =
      typeof n.district === 'string'
        ? n.district
        : typeof n.administrative_district === 'string'
          ? n.administrative_district
          : '';
    items.push({
      platform: 'adhocracy',
      sourceId: id,
      title,
      description: typeof n.description === 'string' ? plainText(n.description) : '',
      sourceAreas: [district, typeof n.category === 'string' ? n.category : '', o.district ?? ''].filter(Boolean),
      publishedOn: dateOf(n.created),
      point: null,
      url: typeof n.url === 'string' ? n.url : o.baseUrl ? `${o.baseUrl.replace(/\/$/, '')}/ideas/${ref || id}/` : null,
      at,
    });
  });
  return { items, problems };
}
