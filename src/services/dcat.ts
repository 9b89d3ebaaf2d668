// Use cases of the open-data catalogue (decision 0026): the publisher settings (read by everyone
// who may read them, changed by administrators) and the DCAT-AP.de catalogue of the public
// indicators, one page in one serialisation, kept per read snapshot and settings.
import type { Database, Queryable } from '../store/db.ts';
import { readSetting, writeSetting } from '../store/settings.ts';
import { ANONYMOUS, requireAdmin, type Principal } from '../core/access.ts';
import { InputRejected } from '../core/problems.ts';
import { parsePublisher, type PublisherSettings } from '../core/publisher.ts';
import { catalogHeadTriples, datasetTriples, NS, type CatalogDataset } from '../core/dcat.ts';
import { serialiser, type RdfFormat, type RdfSerialiser } from '../formats/rdf.ts';
import { isDerivedRatio } from '../core/indicators.ts';
import { snapshot, layersWithData, importDates, type Snapshot } from './snapshot.ts';
import { dataIndicator, periodsOf, readable } from './query.ts';
import { audit } from './audit.ts';

export const PUBLISHER_SETTING = 'publisher';

export async function getPublisher(db: Queryable, who: Principal): Promise<PublisherSettings | null> {
  requireAdmin(who);
  return (await readSetting<PublisherSettings>(db, PUBLISHER_SETTING)) ?? null;
}

/** Validates and saves the publisher settings; bad input changes nothing (400 with one problem per field). */
export async function setPublisher(db: Database, who: Principal, input: unknown): Promise<PublisherSettings> {
  requireAdmin(who);
  const r = parsePublisher(input);
  if (!r.ok)
    throw new InputRejected(
      r.problems,
      `The publisher settings were not saved: ${r.problems.map((p) => p.reason).join('; ')}`,
    );
  const value = r.value;
  return db.transaction(async (tx) => {
    await writeSetting(tx, PUBLISHER_SETTING, value);
    await audit(tx, who, {
      action: 'settings.publisher',
      objectType: 'setting',
      objectKey: PUBLISHER_SETTING,
      details: { officialKey: value.officialKey, licence: value.licence },
    });
    return value;
  });
}

export type CatalogFormat = RdfFormat;
export const CATALOG_MEDIA_TYPES: Record<CatalogFormat, string> = {
  ttl: 'text/turtle',
  rdf: 'application/rdf+xml',
  jsonld: 'application/ld+json',
};
export const PAGE_SIZE_DEFAULT = 100;
export const PAGE_SIZE_MAX = 1000;

export const PREFIXES: Record<string, string> = { ...NS };

export interface CatalogRequest {
  format: CatalogFormat;
  page: number;
  pageSize: number;
  /** The installation's address as the request reached it: used when the settings name none. */
  requestBase: string;
  /** The path of the catalogue in this serialisation (/catalog, /catalog.ttl …). */
  path: string;
}

/**
 * body null: no such page. `until` lives as long as the read snapshot the page was made from and
 * `key` names the page in it: the route keeps compressed copies by them.
 */
export type CatalogAnswer =
  { configured: false } | { configured: true; body: Buffer | null; mediaType: string; until: object; key: string };

interface Kept {
  bodies: Map<string, Promise<Buffer | null>>;
}
/** Per read snapshot (every data change is an import batch and a new snapshot). */
const kept = new WeakMap<Snapshot, Kept>();
const MAX_BODIES = 16;

function keptFor(s: Snapshot): Kept {
  let k = kept.get(s);
  if (!k) kept.set(s, (k = { bodies: new Map() }));
  return k;
}

/** The public indicators with data, in key order: the datasets of the catalogue. */
async function datasets(db: Queryable, s: Snapshot): Promise<CatalogDataset[]> {
  const withData = await layersWithData(db, s);
  const dates = await importDates(db, s);
  const out: CatalogDataset[] = [];
  for (const i of s.indicators) {
    // Anonymous reading decides: internal, restricted and draft indicators never appear, nor a
    // ratio of public name over a restricted input.
    if (!readable(s, ANONYMOUS, i)) continue;
    const periods = periodsOf(s, i);
    const layers = withData.get(dataIndicator(s, i).id) ?? [];
    if (!periods.length || !layers.length) continue;
    const parts = isDerivedRatio(i)
      ? [i.numerator!.indicator, i.denominator!.indicator].map((k) => s.indicatorByKey.get(k)?.id)
      : [i.id];
    const ds = parts
      .map((id) => (id === undefined ? undefined : dates.get(id)))
      .filter((d): d is { first: string; last: string } => !!d);
    out.push({
      key: i.key,
      name: i.name,
      description: i.description,
      unit: i.unit,
      source: i.source,
      methodology: i.methodology,
      themes: i.themes,
      periodicity: i.periodicity,
      temporal: { start: periods[0].start, end: periods[periods.length - 1].end },
      layers: layers.map((key) => ({ key, name: s.layerByKey.get(key)?.name ?? key })),
      issued: ds.length ? ds.map((d) => d.first).sort()[0] : null,
      modified: ds.length ? ds.map((d) => d.last).sort()[ds.length - 1] : null,
    });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** One page of the catalogue, or "not configured" while the publisher settings are missing. */
export async function getCatalog(db: Queryable, q: CatalogRequest): Promise<CatalogAnswer> {
  // Checked again as stored: settings saved by an older version that the rules no longer accept
  // make the catalogue "not configured", not a failing request.
  const stored = await readSetting<unknown>(db, PUBLISHER_SETTING);
  const parsed = stored === undefined ? undefined : parsePublisher(stored);
  if (!parsed?.ok) return { configured: false };
  const publisher = parsed.value;
  const s = await snapshot(db);
  const base = publisher.baseUrl ?? q.requestBase;
  const key = JSON.stringify([q.format, q.path, q.page, q.pageSize, base, publisher]);
  const k = keptFor(s);
  let body = k.bodies.get(key);
  if (!body) {
    body = render(db, s, publisher, base, q);
    k.bodies.set(key, body);
    body.catch(() => k.bodies.delete(key));
    for (const old of k.bodies.keys()) {
      if (k.bodies.size <= MAX_BODIES) break;
      k.bodies.delete(old);
    }
  }
  return { configured: true, body: await body, mediaType: CATALOG_MEDIA_TYPES[q.format], until: k, key };
}

/**
 * Each dataset's part of a page as written, by format, base, publisher and the dataset's own
 * description (its layers, periods and import dates included): an import changes the parts of
 * the indicators it touched, and the next page re-renders only those. Bounded by size.
 */
const parts = new Map<string, string>();
let partsChars = 0;
const MAX_PARTS_CHARS = 32 * 1024 * 1024;

function datasetPart(
  w: RdfSerialiser,
  format: CatalogFormat,
  base: string,
  publisher: PublisherSettings,
  d: CatalogDataset,
): string {
  const key = JSON.stringify([format, base, publisher, d]);
  let part = parts.get(key);
  if (part !== undefined) {
    // Most recently used last: the oldest go first.
    parts.delete(key);
    parts.set(key, part);
    return part;
  }
  part = w.subjects(datasetTriples(base, publisher, d));
  parts.set(key, part);
  partsChars += part.length;
  for (const [k, old] of parts) {
    if (partsChars <= MAX_PARTS_CHARS) break;
    parts.delete(k);
    partsChars -= old.length;
  }
  return part;
}

/** The page as UTF-8 bytes: kept so, it is sent as it is, without encoding it again per request. */
async function render(
  db: Queryable,
  s: Snapshot,
  publisher: PublisherSettings,
  base: string,
  q: CatalogRequest,
): Promise<Buffer | null> {
  const all = await datasets(db, s);
  if (q.page > 1 && (q.page - 1) * q.pageSize >= all.length) return null;
  const from = (q.page - 1) * q.pageSize;
  const page = all.slice(from, from + q.pageSize);
  const modified = all.reduce<string | null>((m, d) => (d.modified && (!m || d.modified > m) ? d.modified : m), null);
  const pageUrl = (n: number) =>
    `${base}${q.path}?page=${n}${q.pageSize !== PAGE_SIZE_DEFAULT ? `&pageSize=${q.pageSize}` : ''}`;
  const w = serialiser(q.format, PREFIXES, q.format === 'ttl' ? base : undefined);
  const head = w.subjects(
    catalogHeadTriples({
      base,
      publisher,
      datasets: page,
      total: all.length,
      page: q.page,
      pageSize: q.pageSize,
      modified,
      pageUrl,
    }),
  );
  return Buffer.from(w.document([head, ...page.map((d) => datasetPart(w, q.format, base, publisher, d))]));
}

/**
 * The demo city's publisher: Musterstadt is fictional, so its official key is the placeholder
 * 00000000, which no vocabulary lists; a real installation sets its own.
 */
export const DEMO_PUBLISHER: PublisherSettings = {
  name: 'Stadt Musterstadt',
  officialKey: '00000000',
  licence: 'dl-by-de/2.0',
  contact: { name: 'Statistikstelle der Stadt Musterstadt', email: 'statistik@musterstadt.example' },
};
