// A small history router: the view is the path (/atlas, /profil, …) and every piece of view state
// lives in the query string, so each screen is a permalink and the back button works.
// The pure parts (parse, format, list parameters) are unit-tested in test/web/router.test.ts.
// Routes are paths relative to the app's mount point (base.ts): formatRoute gives "/atlas?…",
// the browser shows "/t/{key}/atlas?…" under the path prefix.
import { BASE, stripBase, withBase } from './base.ts';

export type View =
  | 'start'
  | 'atlas'
  | 'profil'
  | 'zeitreihe'
  | 'vergleich'
  | 'kommunalvergleich'
  | 'indikator'
  | 'cockpit'
  | 'index'
  | 'typologie'
  | 'kongruenz'
  | 'einrichtungen'
  | 'verwaltung'
  | 'konto'
  | 'hilfe'
  | 'anmelden'
  | 'einrichten'
  | 'nichtgefunden'
  | 'leichte-sprache'
  | 'gebaerdensprache'
  | 'statistikstelle'
  | 'berichte'
  | 'massnahmen'
  | 'jugend'
  | 'jugendforum';
const VIEWS: View[] = [
  'start',
  'atlas',
  'profil',
  'zeitreihe',
  'vergleich',
  'kommunalvergleich',
  'indikator',
  'cockpit',
  'index',
  'typologie',
  'kongruenz',
  'einrichtungen',
  'verwaltung',
  'konto',
  'hilfe',
  'anmelden',
  'einrichten',
  'leichte-sprache',
  'gebaerdensprache',
  'statistikstelle',
  'berichte',
  'massnahmen',
  'jugend',
  'jugendforum',
];

export interface Route {
  view: View;
  /** Query parameters (single values; lists are comma-separated). */
  params: Record<string, string>;
}

/** Parameter order in generated URLs (stable permalinks); others follow alphabetically. */
const ORDER = [
  'lang',
  'report',
  'release',
  'next',
  'bereich',
  'theme',
  'indicator',
  'period',
  'layer',
  'area',
  'areas',
  'indicators',
  'a',
  'b',
  'weights',
  'richtung',
  'method',
  'k',
  'breaks',
  'chart',
  'from',
  'to',
  'actor',
  'action',
  'sens',
  'with',
  'rank',
  'ebene',
  'q',
  'sort',
  'zoom',
  'edit',
  'def',
];

export function parseRoute(pathname: string, search: string): Route {
  const seg = pathname.replace(/^\/+|\/+$/g, '').split('/')[0] ?? '';
  const params: Record<string, string> = {};
  const u = new URLSearchParams(search);
  for (const [k, v] of u) if (v !== '' && !(k in params)) params[k] = v;
  // The root is the start page (issue 15, item 11); old links to the atlas at the root (with an
  // indicator, layer … in the query) still open the atlas (the app then rewrites the address to
  // /atlas). An address that is no view is "Seite nicht gefunden", not the atlas.
  const root = !seg || seg === 'index.html';
  const view = root
    ? isAtlasState(params)
      ? 'atlas'
      : 'start'
    : (VIEWS as string[]).includes(seg)
      ? (seg as View)
      : 'nichtgefunden';
  return { view, params };
}

export function formatRoute(r: Route): string {
  const keys = Object.keys(r.params).filter(
    (k) => r.params[k] !== undefined && r.params[k] !== null && r.params[k] !== '',
  );
  keys.sort((a, b) => {
    const ia = ORDER.indexOf(a);
    const ib = ORDER.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  const u = new URLSearchParams();
  for (const k of keys) u.set(k, r.params[k]);
  // Keep commas, semicolons, slashes, colons and @ (layer@date) readable in permalinks.
  const s = u
    .toString()
    .replace(/%2C/gi, ',')
    .replace(/%3B/gi, ';')
    .replace(/%2F/gi, '/')
    .replace(/%3A/gi, ':')
    .replace(/%40/g, '@');
  return `/${r.view === 'start' ? '' : r.view}${s ? `?${s}` : ''}`;
}

/** Parameters that only the atlas reads: a root address with one of them is an old atlas link. */
const ATLAS_STATE = ['theme', 'indicator', 'period', 'layer', 'method', 'k', 'breaks', 'area', 'q', 'sort', 'zoom'];

function isAtlasState(params: Record<string, string>): boolean {
  return ATLAS_STATE.some((k) => k in params);
}

/** A route with some parameters changed; null/undefined/'' removes a parameter. */
export function withParams(
  r: Route,
  patch: Record<string, string | number | null | undefined>,
  view: View = r.view,
): Route {
  const params = { ...r.params };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined || v === '') delete params[k];
    else params[k] = String(v);
  }
  return { view, params };
}

export function listParam(v: string | undefined): string[] {
  if (!v) return [];
  return [
    ...new Set(
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}
export function joinList(xs: readonly string[]): string {
  return [...new Set(xs)].join(',');
}

/**
 * Dimension filters (breakdown members) are plain parameters, as in the API:
 * `…&altersgruppe=65_80`. Only the indicator's own dimensions count.
 */
export function filterFromParams(
  params: Record<string, string>,
  dimensions: readonly string[],
): Record<string, string> {
  const f: Record<string, string> = {};
  for (const d of dimensions) if (params[d]) f[d] = params[d];
  return f;
}

/** Drops parameters that are dimension filters of no indicator dimension in `keep`. */
export function dropFilters(
  params: Record<string, string>,
  allDimensions: readonly string[],
  keep: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) if (!allDimensions.includes(k) || keep.includes(k)) out[k] = v;
  return out;
}

/** Map zoom as "k,x,y" (scale and translation) ↔ object. */
export function parseZoom(v: string | undefined): { k: number; x: number; y: number } | null {
  if (!v) return null;
  const parts = v.split(',').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n)) || parts[0] <= 0) return null;
  return { k: parts[0], x: parts[1], y: parts[2] };
}
export function formatZoom(t: { k: number; x: number; y: number }): string {
  const r = (n: number, d: number) => String(Math.round(n * 10 ** d) / 10 ** d);
  return `${r(t.k, 3)},${r(t.x, 1)},${r(t.y, 1)}`;
}

// ---------------------------------------------------------------------------------------------
// Browser side

type Listener = (r: Route) => void;
const listeners = new Set<Listener>();

export function currentRoute(): Route {
  return parseRoute(stripBase(location.pathname), location.search);
}

/** The current address relative to the mount point ("/atlas?…"), e.g. for a `next=` parameter. */
export function currentPath(): string {
  return stripBase(location.pathname) + location.search;
}

/** A route or app path as the browser requests it (with the mount point). */
export function hrefOf(to: Route | string): string {
  return withBase(typeof to === 'string' ? to : formatRoute(to), BASE);
}

function emit(): void {
  const r = currentRoute();
  for (const l of listeners) l(r);
}

export function subscribe(l: Listener): () => void {
  if (listeners.size === 0) window.addEventListener('popstate', emit);
  listeners.add(l);
  return () => {
    listeners.delete(l);
    if (listeners.size === 0) window.removeEventListener('popstate', emit);
  };
}

/**
 * Goes to a route. `replace` changes the current history entry instead of adding one (for
 * state that should not fill the back button's history, e.g. map zoom or typing in a filter).
 */
export function navigate(to: Route | string, o: { replace?: boolean } = {}): void {
  const href = hrefOf(to);
  if (href === location.pathname + location.search) return;
  if (!o.replace) performance.mark('km:navigate');
  if (o.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  emit();
}

/** Click handler for internal links: plain left clicks navigate in the app, others do what browsers do. */
export function onLinkClick(e: MouseEvent, href: string): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(href);
}
