// The HTTP API of the statistics database, as the web app uses it (same origin, under /api of
// the app's mount point: callers name "/api/…", the request goes to withBase of it).
import { useEffect, useState } from 'preact/hooks';
import { csrfHeader } from './auth.ts';
import { withBase } from './base.ts';
import type { ParamValue } from '../../src/contracts/codes/index.ts';
import type { Problem as CoreProblem } from '../../src/core/problems.ts';

// The answers of the read API: the same types the server's services build (src/contracts/answers).
import type {
  AreaValueOut,
  ObservationsAnswer,
  ProfileAnswer,
  TimeSeriesAnswer,
} from '../../src/contracts/answers/index.ts';
import type {
  ApiRoute,
  QueryValue,
  RouteAnswer,
  RouteBody,
  RouteParams,
  RouteQuery,
  RoutesOf,
} from '../../src/contracts/routes.ts';
import type { AreaCollection } from '../../src/contracts/routes.ts';
export type { AreaCollection };
export type {
  AreaRef,
  IndicatorDetail,
  IndicatorInfo,
  LayerInfo,
  ProfileEntry,
} from '../../src/contracts/answers/index.ts';
export type AreaValue = AreaValueOut;
export type Observations = ObservationsAnswer;
export type TimeSeries = TimeSeriesAnswer;
export type Profile = ProfileAnswer;
export type { IndicatorTile, MeasuresTile, Tile } from '../../src/core/cockpit.ts';
export type { VocabularyEntry } from '../../src/core/measures.ts';

/** An input problem of a 400 answer: the server's `Problem` (src/core/problems.ts), as JSON. */
export type Problem = Partial<CoreProblem>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly url: string,
    /** Input problems of a 400 answer, each naming its field. */
    readonly problems: Problem[] = [],
    /** The error's registered code and its parameters (src/contracts/codes), when the answer has one. */
    readonly code?: string,
    readonly params?: Record<string, ParamValue>,
  ) {
    super(message);
  }
}

/** An API address ("/api/…") for a link, a download or a frame: under the app's mount point. */
export const apiUrl = (path: string): string => withBase(path);

/** Query string from parameters, skipping empty ones. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

declare const routeOf: unique symbol;
/**
 * An API address built from a route of the contract (src/contracts/routes.ts). It carries its
 * route, so the helpers below know the answer's type (and a POST's body) from the address.
 */
export type ApiPath<R extends ApiRoute> = string & { readonly [routeOf]: R };

type PathValues<R extends ApiRoute> = RouteParams<R> & RouteQuery<R>;

/**
 * The address of a route: its path parameters filled in (encoded) from `values`, the other
 * values as the query (empty ones left out, as `qs`).
 * `apiPath('GET /api/layers/:layer/areas', { layer: 'stadtteil', geometry: false })`
 */
export function apiPath<R extends ApiRoute>(
  route: R,
  ...[values]: Record<never, never> extends PathValues<R> ? [values?: PathValues<R>] : [values: PathValues<R>]
): ApiPath<R> {
  const rest: Record<string, QueryValue> = { ...(values as Record<string, QueryValue> | undefined) };
  const path = route.slice(route.indexOf(' ') + 1).replace(/:(\w+)/g, (_, name: string) => {
    const v = rest[name];
    delete rest[name];
    return encodeURIComponent(String(v));
  });
  return (path + qs(rest)) as ApiPath<R>;
}

// Each helper takes the address of a contract route (`apiPath`), whose answer and body types follow
// from the route. Its `…Unchecked` twin takes a plain URL and the answer's type from the caller
// (a cast nothing checks): for the routes not yet in the contract.
type Gets = RoutesOf<'GET'>;
type Posts = RoutesOf<'POST'>;
type Puts = RoutesOf<'PUT'>;
type Deletes = RoutesOf<'DELETE'>;

const cache = new Map<string, Promise<unknown>>();

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(withBase(url), { ...init, headers: { Accept: 'application/json', ...(init?.headers ?? {}) } });
  } catch {
    throw new ApiError(0, 'network', url);
  }
  if (!res.ok) {
    let message = res.statusText;
    let problems: Problem[] = [];
    let code: string | undefined;
    let params: Record<string, ParamValue> | undefined;
    try {
      const body = (await res.json()) as { message?: string; problems?: Problem[]; code?: unknown; params?: unknown };
      if (body?.message) message = body.message;
      if (Array.isArray(body?.problems)) problems = body.problems;
      if (typeof body?.code === 'string') code = body.code;
      if (body?.params && typeof body.params === 'object') params = body.params as Record<string, ParamValue>;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, message, url, problems, code, params);
  }
  // A deletion's 204 has no body to read.
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** GET with an in-memory cache (answers are immutable for a data snapshot; reload to refresh). */
export function getJSON<R extends Gets>(path: ApiPath<R>, o?: { fresh?: boolean }): Promise<RouteAnswer<R>> {
  return getJSONUnchecked<RouteAnswer<R>>(path, o);
}

/** Unchecked: `T` is the caller's word for the answer (a route not yet in the contract). */
function getJSONUnchecked<T>(url: string, o: { fresh?: boolean } = {}): Promise<T> {
  if (!o.fresh) {
    const hit = cache.get(url);
    if (hit) return hit as Promise<T>;
  }
  const p = request<T>(url);
  cache.set(url, p);
  p.catch(() => cache.delete(url));
  return p;
}

export function putJSON<R extends Puts>(path: ApiPath<R>, body: RouteBody<R>): Promise<RouteAnswer<R>> {
  return putJSONUnchecked<RouteAnswer<R>>(path, body);
}

async function putJSONUnchecked<T>(url: string, body: unknown): Promise<T> {
  const csrf = await csrfHeader();
  return request<T>(url, {
    method: 'PUT',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...csrf },
  });
}

/** POST with a JSON body and the session's CSRF token (none is needed without a session). */
export function postJSON<R extends Posts>(path: ApiPath<R>, body: RouteBody<R>): Promise<RouteAnswer<R>> {
  return postJSONUnchecked<RouteAnswer<R>>(path, body);
}

export async function postJSONUnchecked<T>(url: string, body: unknown): Promise<T> {
  const csrf = await csrfHeader();
  return request<T>(url, {
    method: 'POST',
    body: JSON.stringify(body ?? {}),
    headers: { 'Content-Type': 'application/json', ...csrf },
  });
}

/** POST with raw bytes as the body (a photo upload) and the session's CSRF token. */
export async function postBytes<T>(url: string, body: Blob, contentType: string): Promise<T> {
  const csrf = await csrfHeader();
  return request<T>(url, { method: 'POST', body, headers: { 'Content-Type': contentType, ...csrf } });
}

export function deleteJSON<R extends Deletes>(path: ApiPath<R>): Promise<RouteAnswer<R>> {
  return deleteJSONUnchecked<RouteAnswer<R>>(path);
}

export async function deleteJSONUnchecked<T>(url: string): Promise<T> {
  const csrf = await csrfHeader();
  return request<T>(url, { method: 'DELETE', headers: { ...csrf } });
}

function postCachedUnchecked<T>(url: string, body: unknown, o: { fresh?: boolean } = {}): Promise<T> {
  const text = JSON.stringify(body);
  const key = `POST ${url}\n${text}`;
  if (!o.fresh) {
    const hit = cache.get(key);
    if (hit) return hit as Promise<T>;
  }
  const p = csrfHeader().then((csrf) =>
    request<T>(url, { method: 'POST', body: text, headers: { 'Content-Type': 'application/json', ...csrf } }),
  );
  cache.set(key, p);
  p.catch(() => cache.delete(key));
  // Keep the cache small: previews of many edited definitions are not worth keeping.
  const posts = [...cache.keys()].filter((k) => k.startsWith('POST '));
  if (posts.length > 40) cache.delete(posts[0]);
  return p;
}

/** Like useApi, for a cached POST computation (null: nothing to compute). */
export function usePost<R extends Posts>(path: ApiPath<R> | null, body: RouteBody<R> | null): Loadable<RouteAnswer<R>> {
  return usePostUnchecked<RouteAnswer<R>>(path, body);
}

function usePostUnchecked<T>(url: string | null, body: unknown): Loadable<T> {
  const key = url ? `${url}\n${JSON.stringify(body)}` : null;
  const [state, setState] = useState<{ key: string | null; data?: T; error?: ApiError; loading: boolean }>({
    key: null,
    loading: !!url,
  });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (!url) {
      setState({ key, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ key, data: s.data, loading: true }));
    postCachedUnchecked<T>(url, body, { fresh: nonce > 0 }).then(
      (data) => live && setState({ key, data, loading: false }),
      (error: unknown) =>
        live &&
        setState({
          key,
          error: error instanceof ApiError ? error : new ApiError(0, String(error), url),
          loading: false,
        }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, nonce]);
  const current = state.key === key;
  return {
    data: current || state.loading ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: !current || state.loading,
    retry: () => setNonce((n) => n + 1),
  };
}

export function clearCache(prefix = ''): void {
  for (const k of [...cache.keys()]) if (k.startsWith(prefix)) cache.delete(k);
}

export interface Loadable<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
  /** Load again, bypassing the cache. */
  retry: () => void;
}

/** Loads a URL (null: nothing to load); keeps the previous answer while the next one loads. */
export function useApi<R extends Gets>(path: ApiPath<R> | null): Loadable<RouteAnswer<R>> {
  return useApiUnchecked<RouteAnswer<R>>(path);
}

/** Unchecked: `T` is the caller's word for the answer (a route not yet in the contract). */
function useApiUnchecked<T>(url: string | null): Loadable<T> {
  const [state, setState] = useState<{ url: string | null; data?: T; error?: ApiError; loading: boolean }>({
    url: null,
    loading: !!url,
  });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (!url) {
      setState({ url, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ url, data: s.data, loading: true }));
    getJSONUnchecked<T>(url, { fresh: nonce > 0 }).then(
      (data) => live && setState({ url, data, loading: false }),
      (error: unknown) =>
        live &&
        setState({
          url,
          error: error instanceof ApiError ? error : new ApiError(0, String(error), url),
          loading: false,
        }),
    );
    return () => {
      live = false;
    };
  }, [url, nonce]);
  const current = state.url === url;
  return {
    data: current || state.loading ? state.data : undefined,
    error: current ? state.error : undefined,
    loading: !current || state.loading,
    retry: () => setNonce((n) => n + 1),
  };
}

/** Several URLs at once (e.g. one profile per compared area). */
export function useApiAll<R extends Gets>(
  paths: ApiPath<R>[],
): { data?: RouteAnswer<R>[]; error?: ApiError; loading: boolean; retry: () => void } {
  return useApiAllUnchecked<RouteAnswer<R>>(paths);
}

function useApiAllUnchecked<T>(urls: string[]): { data?: T[]; error?: ApiError; loading: boolean; retry: () => void } {
  const key = urls.join('\n');
  const [state, setState] = useState<{ key: string; data?: T[]; error?: ApiError; loading: boolean }>({
    key: '',
    loading: true,
  });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ key, data: s.data, loading: true }));
    Promise.all(urls.map((u) => getJSONUnchecked<T>(u, { fresh: nonce > 0 }))).then(
      (data) => live && setState({ key, data, loading: false }),
      (error: unknown) =>
        live &&
        setState({
          key,
          error: error instanceof ApiError ? error : new ApiError(0, String(error), ''),
          loading: false,
        }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, nonce]);
  const current = state.key === key;
  return {
    data: state.data,
    error: current ? state.error : undefined,
    loading: !current || state.loading,
    retry: () => setNonce((n) => n + 1),
  };
}
