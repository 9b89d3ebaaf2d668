// Fetching topics from the participation platforms themselves (decision 0041): Decidim's and
// CONSUL's GraphQL APIs, paged through their connections (first/after, pageInfo { hasNextPage
// endCursor }), and adhocracy+ / mein.berlin's REST API, paged by its `next` links. Every page
// is fetched and read before anything is stored (the import is all-or-nothing): a page that
// fails, times out, is too large or does not read changes nothing.
//
// Safety: https only (plain http only to this machine, for tests and a local mirror); no
// redirects (a redirect could lead to another host or to http); `next` links must stay on the
// first page's origin; a timeout per request, a size cap over all pages and a page cap.
import { InputRejected } from '../core/problems.ts';
import {
  readAdhocracy,
  readConsulGraphql,
  readDecidimGraphql,
  type Platform,
  type ReadResult,
} from '../formats/participation.ts';

export const FETCH_USER_AGENT = 'Kommunalmonitor/0.1 (youth forum import; +https://github.com/kommunalmonitor)';

export interface FetchOptions {
  platform: Platform;
  /** Decidim: the API endpoint (…/api); CONSUL: …/graphql; adhocracy+: a module's ideas (…/api/modules/PK/ideas/). */
  url: string;
  /** Decidim: the participatory process (space) whose proposal components are read. */
  space?: string;
  /** Decidim: one proposals component (instead of every one of the space). */
  component?: string;
  /** adhocracy+: the project's district (ideas carry none). */
  district?: string;
  /** For the links back (default: the origin of `url`). */
  baseUrl?: string;
  /** Per request (default 20 s). */
  timeoutMs?: number;
  /** Over all pages (default 20 MB). */
  maxBytes?: number;
  /** Default 500. */
  maxPages?: number;
  /** Items asked per GraphQL page (default 50). */
  pageSize?: number;
}

export interface FetchResult extends ReadResult {
  /** The host of the installation: what tells its ids from another installation's. */
  instance: string;
  pages: number;
  bytes: number;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function fail(reason: string, at = ''): never {
  throw new InputRejected([{ severity: 'error', code: 'fetch-failed', file: at || undefined, reason }]);
}

/** The address, checked: https, or http to this machine only. */
export function checkFetchUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    fail(`"${raw}" is not an address (expected https://…)`);
  }
  if (u.username || u.password) fail('an address with a user name or password is not fetched');
  if (u.protocol === 'https:') return u;
  if (u.protocol === 'http:' && LOOPBACK.has(u.hostname)) return u;
  fail(`only https addresses are fetched (plain http only from this machine): ${u.origin}`);
}

/** Makes an item's id unique across installations of one platform: the host of its address. */
export function instanceOf(raw: string | null | undefined): string {
  if (!raw) return '';
  try {
    return new URL(raw).hostname.toLowerCase();
  } catch {
    return '';
  }
}

class Fetcher {
  pages = 0;
  bytes = 0;
  constructor(private readonly o: Required<Pick<FetchOptions, 'timeoutMs' | 'maxBytes' | 'maxPages'>>) {}

  async json(url: URL, init: { method: 'GET' | 'POST'; body?: string }): Promise<Json> {
    if (++this.pages > this.o.maxPages)
      fail(`more than ${this.o.maxPages} pages; stopped (is the platform paging in a circle?)`);
    const at = `${url.origin}${url.pathname} (page ${this.pages})`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: init.method,
        body: init.body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.o.timeoutMs),
        headers: {
          'User-Agent': FETCH_USER_AGENT,
          Accept: 'application/json',
          ...(init.body ? { 'Content-Type': 'application/json' } : {}),
        },
      });
    } catch (e) {
      const err = e as Error & { cause?: Error };
      const why =
        err.name === 'TimeoutError'
          ? `no answer within ${this.o.timeoutMs / 1000} s`
          : (err.cause?.message ?? err.message);
      fail(`could not fetch: ${why}`, at);
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      fail(`the platform answered HTTP ${res.status}`, at);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && this.bytes + declared > this.o.maxBytes) {
      await res.body?.cancel().catch(() => undefined);
      fail(`the answers exceed ${this.o.maxBytes} bytes`, at);
    }
    const chunks: Uint8Array[] = [];
    if (res.body) {
      const reader = res.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          this.bytes += value.length;
          if (this.bytes > this.o.maxBytes) {
            await reader.cancel().catch(() => undefined);
            fail(`the answers exceed ${this.o.maxBytes} bytes`, at);
          }
          chunks.push(value);
        }
      } catch (e) {
        if (e instanceof InputRejected) throw e;
        const err = e as Error;
        fail(
          `the answer broke off: ${err.name === 'TimeoutError' ? `no answer within ${this.o.timeoutMs / 1000} s` : err.message}`,
          at,
        );
      }
    }
    let doc: Json;
    try {
      doc = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
    } catch (e) {
      fail(`not JSON: ${(e as Error).message}`, at);
    }
    if (isObj(doc) && Array.isArray(doc.errors) && doc.errors.length)
      fail(`the answer carries GraphQL errors: ${JSON.stringify(doc.errors).slice(0, 300)}`, at);
    return doc;
  }

  graphql(url: URL, query: string, variables: Record<string, Json>): Promise<Json> {
    return this.json(url, { method: 'POST', body: JSON.stringify({ query, variables }) });
  }
}

/** The first connection named `proposals` in an answer, with its page info. */
function proposalsConnection(v: Json): { pageInfo: { hasNextPage: boolean; endCursor: string | null } | null } | null {
  if (Array.isArray(v)) {
    for (const x of v) {
      const c = proposalsConnection(x);
      if (c) return c;
    }
    return null;
  }
  if (!isObj(v)) return null;
  for (const [k, x] of Object.entries(v)) {
    if (k === 'proposals' && isObj(x)) {
      const pi = isObj(x.pageInfo) ? x.pageInfo : null;
      return {
        pageInfo: pi
          ? { hasNextPage: pi.hasNextPage === true, endCursor: typeof pi.endCursor === 'string' ? pi.endCursor : null }
          : null,
      };
    }
    const c = proposalsConnection(x);
    if (c) return c;
  }
  return null;
}

/** Pages through one GraphQL connection; `query` takes $first and $after. */
async function pageGraphql(
  f: Fetcher,
  url: URL,
  query: string,
  pageSize: number,
  read: (doc: Json) => ReadResult,
  out: ReadResult,
): Promise<void> {
  let after: string | null = null;
  const seen = new Set<string>();
  for (;;) {
    const doc = await f.graphql(url, query, { first: pageSize, after });
    const r = read(doc);
    const page = `page ${f.pages}`;
    const conn = proposalsConnection(doc);
    out.items.push(...r.items);
    // An empty connection (a component without proposals) is no error; an answer without one is.
    out.problems.push(
      ...r.problems.filter((p) => !(conn && p.at === '')).map((p) => ({ at: `${page}${p.at}`, reason: p.reason })),
    );
    if (!conn?.pageInfo?.hasNextPage) return;
    const cursor = conn.pageInfo.endCursor;
    if (!cursor) fail(`${page} says there is a next page but gives no endCursor`);
    if (seen.has(cursor)) fail(`${page} repeats the cursor "${cursor}"`);
    seen.add(cursor);
    after = cursor;
  }
}

const DECIDIM_PROPOSAL = `id title { translation(locale: "de") } body { translation(locale: "de") } publishedAt
  scope { id name { translation(locale: "de") } } coordinates { latitude longitude }`;

const DECIDIM_COMPONENT = `query ($first: Int, $after: String) { component(id: "%ID%") { id __typename
  ... on Proposals { proposals(first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { ${DECIDIM_PROPOSAL} } } } } } }`;

const DECIDIM_SPACE = `query { participatoryProcess(id: "%ID%") { id components { id __typename } } }`;

const CONSUL_PROPOSALS = `query ($first: Int, $after: String) { proposals(first: $first, after: $after) { pageInfo { hasNextPage endCursor }
  edges { node { id title summary description public_created_at retired_at geozone { id name } } } } }`;

const graphqlId = (v: string, what: string): string => {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(v)) fail(`${what} "${v}" is not an id (letters, digits, - or _)`);
  return v;
};

/** Fetches every page; nothing is returned (and so nothing stored) unless all of them came and read. */
export async function fetchParticipation(o: FetchOptions): Promise<FetchResult> {
  const url = checkFetchUrl(o.url);
  const f = new Fetcher({
    timeoutMs: o.timeoutMs ?? 20_000,
    maxBytes: o.maxBytes ?? 20 * 1024 * 1024,
    maxPages: o.maxPages ?? 500,
  });
  const pageSize = o.pageSize ?? 50;
  const baseUrl = o.baseUrl ?? url.origin;
  const out: ReadResult = { items: [], problems: [] };
  if (o.platform === 'decidim') {
    let components: string[];
    if (o.component) components = [graphqlId(o.component, 'component')];
    else if (o.space) {
      const doc = await f.graphql(url, DECIDIM_SPACE.replace('%ID%', graphqlId(o.space, 'space')), {});
      const space = isObj(doc) && isObj(doc.data) ? doc.data.participatoryProcess : null;
      if (!isObj(space)) fail(`Decidim has no participatory process "${o.space}"`);
      components = (Array.isArray(space.components) ? space.components : [])
        .filter(
          (c): c is Obj =>
            isObj(c) && c.__typename === 'Proposals' && (typeof c.id === 'string' || typeof c.id === 'number'),
        )
        .map((c) => String(c.id));
      if (!components.length) fail(`the participatory process "${o.space}" has no proposals component`);
    } else fail('Decidim: name the participatory process (--space ID) or the proposals component (--component ID)');
    for (const c of components)
      await pageGraphql(
        f,
        url,
        DECIDIM_COMPONENT.replace('%ID%', c),
        pageSize,
        (d) => readDecidimGraphql(d, baseUrl),
        out,
      );
  } else if (o.platform === 'consul') {
    await pageGraphql(f, url, CONSUL_PROPOSALS, pageSize, (d) => readConsulGraphql(d, baseUrl), out);
  } else {
    // adhocracy+ (Django REST framework): { count, next, previous, results }, or one plain list.
    let next: URL | null = url;
    const seen = new Set<string>();
    while (next) {
      if (seen.has(next.href)) fail(`the next page ${next.href} was fetched before`);
      seen.add(next.href);
      const doc = await f.json(next, { method: 'GET' });
      const r = readAdhocracy(doc, { baseUrl: o.baseUrl, district: o.district });
      const page = `page ${f.pages}`;
      out.items.push(...r.items);
      out.problems.push(...r.problems.map((p) => ({ at: `${page}${p.at}`, reason: p.reason })));
      const link = isObj(doc) && typeof doc.next === 'string' && doc.next ? doc.next : null;
      if (!link) break;
      let n: URL;
      try {
        n = new URL(link, next);
      } catch {
        fail(`${page}: the next page "${link}" is not an address`);
      }
      if (n.origin !== url.origin)
        fail(`${page}: the next page ${n.origin} is on another host than ${url.origin}; not followed`);
      next = n;
    }
  }
  return { ...out, instance: instanceOf(url.href), pages: f.pages, bytes: f.bytes };
}
