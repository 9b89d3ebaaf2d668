// The HTTP API of the statistics database, as the web app uses it (same origin, under /api).
import { useEffect, useState } from 'preact/hooks';
import type { Status } from './lib/format.ts';
import { csrfHeader } from './auth.ts';

export interface IndicatorMeta {
  key: string;
  name: string;
  description: string | null;
  unit: string;
  type: string;
  dimensions: string[];
  scale: number;
  polarity: string;
  source: string | null;
  owner: string | null;
  confidentiality: string;
  periodicity: string | null;
  minBase: number | null;
  methodology: string | null;
  themes: string[];
  decimals: number | null;
  numerator?: { indicator: string; filter?: Record<string, string> } | null;
  denominator?: { indicator: string; filter?: Record<string, string> } | null;
  /** Where a derived indicator comes from; `kind: 'index'` for the results of a saved composite index. */
  lineage?: Lineage | null;
}
export interface Lineage {
  kind: string;
  /** Key of the index definition (kind 'index'). */
  definition?: string;
  version?: number;
  inputs?: string[];
  period?: string;
  layer?: string;
  labels?: string[] | null;
}
export interface IndicatorInfo extends IndicatorMeta {
  periods: string[];
  /** Layers with values (stored there or aggregated up). */
  layers?: string[];
}
export interface IndicatorDetail extends IndicatorInfo {
  dimensionMembers: Record<string, { key: string; name: string }[]>;
}
export interface LayerInfo {
  key: string;
  name: string;
  kind: string;
  parentLayer: string | null;
  versions: { validFrom: string | null; validTo: string | null; areas: number }[];
}
export interface AreaFeature {
  type: 'Feature';
  id: string;
  bbox?: [number, number, number, number];
  properties: { code: string; name: string; parent: string | null };
  geometry: GeoJSON.Geometry | null;
}
export interface AreaCollection {
  type: 'FeatureCollection';
  layer: { key: string; name: string; kind: string; version: { validFrom: string | null; validTo: string | null } };
  features: AreaFeature[];
}
export interface AreaValue {
  area: string;
  name: string;
  value: number | null;
  base: number | null;
  status: Status;
  reason?: string;
  computed: boolean;
  rank: number | null;
}
export interface Observations {
  indicator: IndicatorMeta;
  layer: { key: string; name: string; kind: string; version: { validFrom: string | null; validTo: string | null } };
  period: { key: string; type: string; start: string; end: string };
  referenceDate: string;
  unit: string;
  source: string | null;
  filter: Record<string, string>;
  values: AreaValue[];
  city: { value: number | null; base: number | null; status: Status; reason?: string };
}
export interface TimeSeriesPoint {
  period: string;
  periodType: string;
  referenceDate: string;
  value: number | null;
  base: number | null;
  status: Status;
  reason?: string;
  versionValidFrom: string | null;
  boundaryChange: boolean;
  areaName: string | null;
}
export interface TimeSeries {
  indicator: IndicatorMeta;
  layer: { key: string; name: string };
  area: string;
  filter: Record<string, string>;
  unit: string;
  source: string | null;
  points: TimeSeriesPoint[];
}
export interface AreaRef {
  layer: string;
  code: string;
  name: string;
}
export interface ProfileEntry {
  indicator: IndicatorMeta;
  period: string | null;
  referenceDate: string | null;
  value: number | null;
  base: number | null;
  status: Status;
  reason?: string;
  cityValue: number | null;
  parentValue: number | null;
  rank: number | null;
  rankOf: number;
  trend: { period: string; value: number | null; status: Status }[];
}
export interface Profile {
  layer: { key: string; name: string; version: { validFrom: string | null; validTo: string | null } };
  area: { code: string; name: string; parent: AreaRef | null; children: AreaRef[]; neighbours?: AreaRef[] };
  themes: { theme: string; entries: ProfileEntry[] }[];
}
export interface Tile {
  id: string;
  type: 'figure' | 'map' | 'gauge';
  title?: string;
  indicator: string;
  layer: string;
  area?: string;
  period?: string;
  filter?: Record<string, string>;
  thresholds?: { amber: number; red: number };
}

export interface Problem {
  severity?: string;
  code?: string;
  reason?: string;
  /** The field a problem is about, e.g. "classes.labels" or "components.1.weight". */
  column?: string;
  hint?: string;
  /** The offending value, e.g. an indicator key. */
  value?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly url: string,
    /** Input problems of a 400 answer, each naming its field. */
    readonly problems: Problem[] = [],
  ) {
    super(message);
  }
}

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
    res = await fetch(url, { ...init, headers: { Accept: 'application/json', ...(init?.headers ?? {}) } });
  } catch {
    throw new ApiError(0, 'network', url);
  }
  if (!res.ok) {
    let message = res.statusText;
    let problems: Problem[] = [];
    try {
      const body = (await res.json()) as { message?: string; problems?: Problem[] };
      if (body?.message) message = body.message;
      if (Array.isArray(body?.problems)) problems = body.problems;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, message, url, problems);
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
