// The HTTP API of the statistics database, as the web app uses it (same origin, under /api of
// the app's mount point: callers name "/api/…", the request goes to withBase of it).
import { useEffect, useState } from 'preact/hooks';
import { csrfHeader } from './auth.ts';
import { withBase } from './base.ts';
import type { ParamValue } from '../../src/contracts/codes/index.ts';

// The answers of the read API: the same types the server's services build (src/contracts/answers).
import type { AreaFeatureCollection, AreaValueOut, ObservationsAnswer, ProfileAnswer, TimeSeriesAnswer } from '../../src/contracts/answers/index.ts';
export type { AreaRef, IndicatorDetail, IndicatorInfo, IndicatorMeta, LayerInfo, Lineage, PlaceSearchAnswer, ProfileEntry, TimeSeriesPoint } from '../../src/contracts/answers/index.ts';
export type AreaCollection = AreaFeatureCollection<GeoJSON.Geometry>;
export type AreaFeature = AreaCollection['features'][number];
export type AreaValue = AreaValueOut;
export type Observations = ObservationsAnswer;
export type TimeSeries = TimeSeriesAnswer;
export type Profile = ProfileAnswer;
export type { IndicatorTile, MeasuresTile, Tile } from '../../src/core/cockpit.ts';
export type { VocabularyEntry } from '../../src/core/measures.ts';

export interface Problem {
  severity?: string;
  code?: string;
  reason?: string;
  /** The field a problem is about, e.g. "classes.labels" or "components.1.weight". */
  column?: string;
  hint?: string;
  /** The offending value, e.g. an indicator key. */
  value?: string;
  /** What the problem's code names (e.g. `period` of no-data), src/contracts/codes. */
  params?: Record<string, ParamValue>;
}

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
  return (await res.json()) as T;
}

/** GET with an in-memory cache (answers are immutable for a data snapshot; reload to refresh). */
export function getJSON<T>(url: string, o: { fresh?: boolean } = {}): Promise<T> {
  if (!o.fresh) {
    const hit = cache.get(url);
    if (hit) return hit as Promise<T>;
  }
  const p = request<T>(url);
  cache.set(url, p);
  p.catch(() => cache.delete(url));
  return p;
}

export async function putJSON<T>(url: string, body: unknown): Promise<T> {
  const csrf = await csrfHeader();
  return request<T>(url, { method: 'PUT', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...csrf } });
}

/** POST with a JSON body and the session's CSRF token (none is needed without a session). */
export async function postJSON<T>(url: string, body: unknown): Promise<T> {
  const csrf = await csrfHeader();
  return request<T>(url, { method: 'POST', body: JSON.stringify(body ?? {}), headers: { 'Content-Type': 'application/json', ...csrf } });
}

/** POST with raw bytes as the body (a photo upload) and the session's CSRF token. */
export async function postBytes<T>(url: string, body: Blob, contentType: string): Promise<T> {
  const csrf = await csrfHeader();
  return request<T>(url, { method: 'POST', body, headers: { 'Content-Type': contentType, ...csrf } });
}

export async function deleteJSON<T>(url: string): Promise<T> {
  const csrf = await csrfHeader();
  return request<T>(url, { method: 'DELETE', headers: { ...csrf } });
}

/**
 * POST of a computation without side effects (an index preview): answers are cached by URL and
 * body like GET answers, so that going back and forth does not compute again.
 */
export function postCached<T>(url: string, body: unknown, o: { fresh?: boolean } = {}): Promise<T> {
  const text = JSON.stringify(body);
  const key = `POST ${url}\n${text}`;
  if (!o.fresh) {
    const hit = cache.get(key);
    if (hit) return hit as Promise<T>;
  }
  const p = csrfHeader().then((csrf) => request<T>(url, { method: 'POST', body: text, headers: { 'Content-Type': 'application/json', ...csrf } }));
  cache.set(key, p);
  p.catch(() => cache.delete(key));
  // Keep the cache small: previews of many edited definitions are not worth keeping.
  const posts = [...cache.keys()].filter((k) => k.startsWith('POST '));
  if (posts.length > 40) cache.delete(posts[0]);
  return p;
}

/** Like useApi, for a cached POST computation (null: nothing to compute). */
export function usePost<T>(url: string | null, body: unknown): Loadable<T> {
  const key = url ? `${url}\n${JSON.stringify(body)}` : null;
  const [state, setState] = useState<{ key: string | null; data?: T; error?: ApiError; loading: boolean }>({ key: null, loading: !!url });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (!url) {
      setState({ key, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ key, data: s.data, loading: true }));
    postCached<T>(url, body, { fresh: nonce > 0 }).then(
      (data) => live && setState({ key, data, loading: false }),
      (error: unknown) => live && setState({ key, error: error instanceof ApiError ? error : new ApiError(0, String(error), url), loading: false }),
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
export function useApi<T>(url: string | null): Loadable<T> {
  const [state, setState] = useState<{ url: string | null; data?: T; error?: ApiError; loading: boolean }>({ url: null, loading: !!url });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    if (!url) {
      setState({ url, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ url, data: s.data, loading: true }));
    getJSON<T>(url, { fresh: nonce > 0 }).then(
      (data) => live && setState({ url, data, loading: false }),
      (error: unknown) => live && setState({ url, error: error instanceof ApiError ? error : new ApiError(0, String(error), url), loading: false }),
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
export function useApiAll<T>(urls: string[]): { data?: T[]; error?: ApiError; loading: boolean; retry: () => void } {
  const key = urls.join('\n');
  const [state, setState] = useState<{ key: string; data?: T[]; error?: ApiError; loading: boolean }>({ key: '', loading: true });
  const [nonce, setNonce] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ key, data: s.data, loading: true }));
    Promise.all(urls.map((u) => getJSON<T>(u, { fresh: nonce > 0 }))).then(
      (data) => live && setState({ key, data, loading: false }),
      (error: unknown) => live && setState({ key, error: error instanceof ApiError ? error : new ApiError(0, String(error), ''), loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, nonce]);
  const current = state.key === key;
  return { data: state.data, error: current ? state.error : undefined, loading: !current || state.loading, retry: () => setNonce((n) => n + 1) };
}
