// The open-data catalogue as RDF in DCAT-AP.de 2.0 (decision 0026; docs/open-data.md): the
// municipality as publisher, every public indicator as a dcat:Dataset with its distributions
// (CSV, XLSX, JSON-stat, GeoJSON per layer) and the OGC API as a dcat:DataService, paged with
// Hydra as CKAN's DCAT harvester reads it. Pure: the service gathers the input.
import type { Quad, Quad_Object, NamedNode } from '@rdfjs/types';
import { LICENCES, politicalGeocoding, type PublisherSettings } from './publisher.ts';
import { terms } from './rdf-terms.ts';

const { namedNode, literal, quad } = terms;

export const NS = {
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  dcat: 'http://www.w3.org/ns/dcat#',
  dct: 'http://purl.org/dc/terms/',
  dcatde: 'http://dcat-ap.de/def/dcatde/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  hydra: 'http://www.w3.org/ns/hydra/core#',
} as const;

const EU = 'http://publications.europa.eu/resource/authority/';
const IANA = 'https://www.iana.org/assignments/media-types/';
const GERMAN = `${EU}language/DEU`;

/** One public indicator as the catalogue describes it. */
export interface CatalogDataset {
  key: string;
  name: string;
  description: string | null;
  unit: string;
  source: string | null;
  methodology: string | null;
  themes: string[];
  periodicity: string | null;
  /** First day of the oldest and last day of the newest period with data (ISO dates). */
  temporal: { start: string; end: string } | null;
  /** The layers it has values on, coarsest first. */
  layers: { key: string; name: string }[];
  /** When its observations were first and last imported (ISO date-times), if ever. */
  issued: string | null;
  modified: string | null;
}

export interface CatalogPage {
  /** The public address of the installation, without a trailing slash. */
  base: string;
  publisher: PublisherSettings;
  /** The datasets of this page. */
  datasets: CatalogDataset[];
  /** All datasets of the catalogue (Hydra totalItems). */
  total: number;
  page: number;
  pageSize: number;
  /** The newest import of any dataset (the catalogue's dct:modified). */
  modified: string | null;
  /** The address of a page in the serialisation asked for (the harvester follows it). */
  pageUrl: (page: number) => string;
}

/** The EU data themes (http://publications.europa.eu/resource/authority/data-theme) for German theme names. */
const THEME_WORDS: [RegExp, string][] = [
  [/bildung|schule|kita|kultur|sport/i, 'EDUC'],
  [/gesundheit|pflege/i, 'HEAL'],
  [/bevölkerung|bevoelkerung|demograf|demograph|soziales|sozial|jugend|familie|armut|integration|migration/i, 'SOCI'],
  [/wirtschaft|arbeit|beschäftigung|tourismus/i, 'ECON'],
  [/umwelt|klima|natur|grün/i, 'ENVI'],
  [/verkehr|mobilität|mobilitaet/i, 'TRAN'],
  [/energie/i, 'ENER'],
  [/wohnen|bauen|stadtentwicklung|stadtplanung|raum|gebiet/i, 'REGI'],
  [/finanzen|haushalt|verwaltung|wahlen|politik/i, 'GOVE'],
  [/sicherheit|justiz|kriminal|ordnung/i, 'JUST'],
  [/landwirtschaft|forst/i, 'AGRI'],
  [/wissenschaft|digital|technik/i, 'TECH'],
];

/** EU data themes of an indicator's themes; "Regions and cities" when none fits (small-area statistics are). */
export function euThemes(themes: string[]): string[] {
  const out = new Set<string>();
  for (const t of themes) for (const [re, code] of THEME_WORDS) if (re.test(t)) out.add(code);
  if (!out.size) out.add('REGI');
  return [...out].map((c) => `${EU}data-theme/${c}`);
}

const FREQUENCY: Record<string, string> = {
  daily: 'DAILY',
  monthly: 'MONTHLY',
  quarterly: 'QUARTERLY',
  yearly: 'ANNUAL',
  school_year: 'ANNUAL',
  irregular: 'IRREG',
};

/** A distribution's format: EU file type, IANA media type, and the query value of the API. */
const FORMATS = [
  {
    id: 'csv',
    label: 'CSV',
    fileType: 'CSV',
    mediaType: 'text/csv',
    note: 'Tabelle (CSV, Semikolon, deutsche Zahlformate) mit Wert, Einheit, Stichtag, Quelle und Status je Gebiet',
  },
  {
    id: 'xlsx',
    label: 'XLSX',
    fileType: 'XLSX',
    mediaType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    note: 'Excel-Arbeitsmappe mit einem Blatt der Werte und einem Blatt der Metadaten',
  },
  {
    id: 'json-stat',
    label: 'JSON-stat',
    fileType: 'JSON',
    mediaType: 'application/json',
    note: 'Würfel im Format JSON-stat 2.0',
  },
  {
    id: 'geojson',
    label: 'GeoJSON',
    fileType: 'GEOJSON',
    mediaType: 'application/geo+json',
    note: 'Gebiete mit Geometrie und Wert als GeoJSON über die OGC API – Features',
  },
] as const;

/** IRIs of the catalogue's resources: stable as long as the base address is. */
const iri = {
  catalog: (base: string) => `${base}/catalog`,
  publisher: (base: string) => `${base}/catalog#publisher`,
  contact: (base: string) => `${base}/catalog#contact`,
  service: (base: string) => `${base}/ogc#service`,
  landingPage: (base: string, key: string) => `${base}/indikator?indicator=${encodeURIComponent(key)}`,
  dataset: (base: string, key: string) => `${base}/indikator?indicator=${encodeURIComponent(key)}#dataset`,
  distribution: (base: string, key: string, format: string, layer: string) =>
    `${base}/indikator?indicator=${encodeURIComponent(key)}#${format}-${layer}`,
};

/** Where a distribution is downloaded. */
function downloadUrl(base: string, key: string, layer: string, format: (typeof FORMATS)[number]['id']): string {
  if (format === 'geojson') return `${base}/ogc/collections/${key}.${layer}/items?f=json&limit=10000`;
  return `${base}/api/observations?indicator=${encodeURIComponent(key)}&layer=${encodeURIComponent(layer)}&format=${format}`;
}

/** The quads of one page of the catalogue, as an array. */
export function catalogQuads(p: CatalogPage): Quad[] {
  return [...catalogTriples(p)];
}

/**
 * The quads of one page of the catalogue, made as the writers take them: each subject's quads
 * together, one subject after another, so that a page of thousands of distributions never
 * holds all its quads at once (short-lived objects are what the garbage collector does fast).
 */
function* catalogTriples(p: CatalogPage): Generator<Quad> {
  yield* catalogHeadTriples(p);
  for (const d of p.datasets) yield* datasetTriples(p.base, p.publisher, d);
}

/** Terms and helpers shared by the parts of a page. */
function context(base: string, pub: PublisherSettings) {
  const predicates = new Map<string, NamedNode>();
  let run: Quad[] = [];
  const add = (s: NamedNode, pred: string, o: Quad_Object) => {
    let p = predicates.get(pred);
    if (!p) predicates.set(pred, (p = namedNode(pred)));
    run.push(quad(s, p, o));
  };
  const de = (s: string) => literal(s, 'de');
  return {
    add,
    /** The quads added since the last call, to be yielded. */
    flush: () => {
      const out = run;
      run = [];
      return out;
    },
    a: (s: NamedNode, ...types: string[]) => types.forEach((t) => add(s, `${NS.rdf}type`, namedNode(t))),
    de,
    dateTime: (s: string) => literal(s, namedNode(`${NS.xsd}dateTime`)),
    date: (s: string) => literal(s, namedNode(`${NS.xsd}date`)),
    integer: (n: number) => literal(String(n), namedNode(`${NS.xsd}integer`)),
    licence: namedNode(LICENCES[pub.licence].uri),
    geo: politicalGeocoding(pub.officialKey),
    german: namedNode(GERMAN),
    publisher: namedNode(iri.publisher(base)),
    contact: namedNode(iri.contact(base)),
    service: namedNode(iri.service(base)),
  };
}

/**
 * The catalogue, its publisher, contact and data service, and the page's Hydra view: everything
 * of a page but its datasets.
 */
export function* catalogHeadTriples(p: CatalogPage): Generator<Quad> {
  const { base, publisher: pub } = p;
  const { add, flush, a, de, dateTime, integer, licence, geo, german, publisher, contact, service } = context(
    base,
    pub,
  );
  const catalog = namedNode(iri.catalog(base));

  a(catalog, `${NS.dcat}Catalog`);
  add(catalog, `${NS.dct}title`, de(`Offene Daten des Kommunalmonitors – ${pub.name}`));
  add(
    catalog,
    `${NS.dct}description`,
    de(
      `Die öffentlichen Indikatoren der integrierten kommunalen Statistik von ${pub.name}: Werte je Gebiet der räumlichen Gliederungen, mit Einheit, Stichtag, Quelle und Status; geheim zu haltende Werte sind unterdrückt.`,
    ),
  );
  add(catalog, `${NS.dct}publisher`, publisher);
  add(catalog, `${NS.dct}language`, german);
  add(catalog, `${NS.dct}license`, licence);
  add(catalog, `${NS.dct}spatial`, namedNode(geo.uri));
  add(catalog, `${NS.foaf}homepage`, namedNode(`${base}/`));
  add(catalog, `${NS.dcat}themeTaxonomy`, namedNode(`${EU}data-theme`));
  if (p.modified) add(catalog, `${NS.dct}modified`, dateTime(p.modified));
  add(catalog, `${NS.dcat}service`, service);
  for (const d of p.datasets) add(catalog, `${NS.dcat}dataset`, namedNode(iri.dataset(base, d.key)));
  yield* flush();

  a(publisher, `${NS.foaf}Organization`, `${NS.foaf}Agent`);
  add(publisher, `${NS.foaf}name`, literal(pub.name));
  yield* flush();

  a(contact, `${NS.vcard}Organization`, `${NS.vcard}Kind`);
  add(contact, `${NS.vcard}fn`, literal(pub.contact.name));
  if (pub.contact.email) add(contact, `${NS.vcard}hasEmail`, namedNode(`mailto:${pub.contact.email}`));
  if (pub.contact.url) add(contact, `${NS.vcard}hasURL`, namedNode(pub.contact.url));
  yield* flush();

  a(service, `${NS.dcat}DataService`);
  add(service, `${NS.dct}title`, de(`OGC API – Features des Kommunalmonitors – ${pub.name}`));
  add(
    service,
    `${NS.dct}description`,
    de(
      'Gebiete der räumlichen Gliederungen mit ihren Grenzständen und die Werte der öffentlichen Indikatoren darauf als OGC API – Features (GeoJSON, WGS 84 und ETRS89/UTM), z. B. für QGIS.',
    ),
  );
  add(service, `${NS.dcat}endpointURL`, namedNode(`${base}/ogc`));
  add(service, `${NS.dcat}endpointDescription`, namedNode(`${base}/ogc/api`));
  add(service, `${NS.dct}conformsTo`, namedNode('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core'));
  add(service, `${NS.dct}license`, licence);
  add(service, `${NS.dct}publisher`, publisher);
  add(service, `${NS.dcat}contactPoint`, contact);
  for (const d of p.datasets) add(service, `${NS.dcat}servesDataset`, namedNode(iri.dataset(base, d.key)));
  yield* flush();

  // Paging as ckanext-dcat reads it (hydra:next, else hydra:nextPage, on a hydra:PagedCollection),
  // with the current Hydra terms beside the deprecated ones.
  const last = Math.max(1, Math.ceil(p.total / p.pageSize));
  const view = namedNode(p.pageUrl(p.page));
  a(view, `${NS.hydra}PagedCollection`, `${NS.hydra}PartialCollectionView`);
  add(view, `${NS.hydra}totalItems`, integer(p.total));
  add(view, `${NS.hydra}itemsPerPage`, integer(p.pageSize));
  const link = (terms: string[], page: number) =>
    terms.forEach((t) => add(view, `${NS.hydra}${t}`, namedNode(p.pageUrl(page))));
  link(['first', 'firstPage'], 1);
  link(['last', 'lastPage'], last);
  if (p.page < last) link(['next', 'nextPage'], p.page + 1);
  if (p.page > 1) link(['previous', 'previousPage'], Math.min(p.page - 1, last));
  yield* flush();
}

/** One dataset with its period of time and its distributions. */
export function* datasetTriples(base: string, pub: PublisherSettings, d: CatalogDataset): Generator<Quad> {
  const { add, flush, a, de, dateTime, date, licence, geo, german, publisher, contact, service } = context(base, pub);
  // Terms every distribution shares, made once.
  const formats = FORMATS.map((f) => ({
    ...f,
    description: de(`${f.note}; neuester Zeitraum, ältere über den Parameter period.`),
    format: namedNode(`${EU}file-type/${f.fileType}`),
    mediaType: namedNode(`${IANA}${f.mediaType}`),
  }));
  const distributionClass = namedNode(`${NS.dcat}Distribution`);
  const jsonStat = namedNode('https://json-stat.org/format/');
  const attribution = pub.licence !== 'dl-zero-de/2.0' && pub.licence !== 'cc-zero' ? literal(pub.name) : null;

  const ds = namedNode(iri.dataset(base, d.key));
  a(ds, `${NS.dcat}Dataset`);
  add(ds, `${NS.dct}title`, de(d.name));
  add(ds, `${NS.dct}description`, de(describe(d, pub.name)));
  add(ds, `${NS.dct}identifier`, literal(iri.dataset(base, d.key)));
  for (const t of d.themes.length ? new Set(d.themes) : ['Kommunalstatistik']) add(ds, `${NS.dcat}keyword`, de(t));
  for (const t of euThemes(d.themes)) add(ds, `${NS.dcat}theme`, namedNode(t));
  add(ds, `${NS.dct}publisher`, publisher);
  if (pub.contributorId) add(ds, `${NS.dcatde}contributorID`, namedNode(pub.contributorId));
  add(ds, `${NS.dcat}contactPoint`, contact);
  add(ds, `${NS.dct}spatial`, namedNode(geo.uri));
  add(ds, `${NS.dcatde}politicalGeocodingURI`, namedNode(geo.uri));
  add(ds, `${NS.dcatde}politicalGeocodingLevelURI`, namedNode(geo.level));
  add(
    ds,
    `${NS.dcatde}geocodingDescription`,
    de(`${pub.name}, gegliedert nach ${d.layers.map((l) => l.name).join(', ')}`),
  );
  add(ds, `${NS.dct}language`, german);
  add(ds, `${NS.dcat}landingPage`, namedNode(iri.landingPage(base, d.key)));
  if (d.periodicity && FREQUENCY[d.periodicity])
    add(ds, `${NS.dct}accrualPeriodicity`, namedNode(`${EU}frequency/${FREQUENCY[d.periodicity]}`));
  if (d.issued) add(ds, `${NS.dct}issued`, dateTime(d.issued));
  if (d.modified) add(ds, `${NS.dct}modified`, dateTime(d.modified));
  const temporal = d.temporal ? namedNode(`${iri.dataset(base, d.key).replace(/#dataset$/, '')}#temporal`) : null;
  if (temporal) add(ds, `${NS.dct}temporal`, temporal);
  const distributions = d.layers.flatMap((layer) =>
    formats.map((f) => ({ layer, f, node: namedNode(iri.distribution(base, d.key, f.id, layer.key)) })),
  );
  for (const x of distributions) add(ds, `${NS.dcat}distribution`, x.node);
  yield* flush();
  if (temporal && d.temporal) {
    a(temporal, `${NS.dct}PeriodOfTime`);
    add(temporal, `${NS.dcat}startDate`, date(d.temporal.start));
    add(temporal, `${NS.dcat}endDate`, date(d.temporal.end));
    yield* flush();
  }
  // Per distribution only what differs from the dataset (language and dates are the dataset's).
  for (const { layer, f, node: dist } of distributions) {
    add(dist, `${NS.rdf}type`, distributionClass);
    add(dist, `${NS.dct}title`, de(`${d.name} nach ${layer.name} (${f.label})`));
    add(dist, `${NS.dct}description`, f.description);
    const url = namedNode(downloadUrl(base, d.key, layer.key, f.id));
    if (f.id === 'geojson') {
      add(dist, `${NS.dcat}accessURL`, namedNode(`${base}/ogc/collections/${d.key}.${layer.key}`));
      add(dist, `${NS.dcat}accessService`, service);
    } else {
      add(dist, `${NS.dcat}accessURL`, url);
    }
    add(dist, `${NS.dcat}downloadURL`, url);
    add(dist, `${NS.dct}format`, f.format);
    add(dist, `${NS.dcat}mediaType`, f.mediaType);
    if (f.id === 'json-stat') add(dist, `${NS.dct}conformsTo`, jsonStat);
    add(dist, `${NS.dct}license`, licence);
    if (attribution) add(dist, `${NS.dcatde}licenseAttributionByText`, attribution);
    yield* flush();
  }
}

/** The German description: the indicator's own, with unit, source and the layers it exists on. */
function describe(d: CatalogDataset, municipality: string): string {
  const parts = [d.description?.trim() || `${d.name} in ${municipality}.`];
  parts.push(`Einheit: ${d.unit}.`);
  if (d.source) parts.push(`Quelle: ${d.source}.`);
  if (d.layers.length) parts.push(`Räumliche Gliederungen: ${d.layers.map((l) => l.name).join(', ')}.`);
  if (d.methodology) parts.push(`Methodik: ${d.methodology}`);
  parts.push(
    'Werte unter der Mindestfallzahl sind zum Schutz der Geheimhaltung unterdrückt (leer mit Status), nicht null.',
  );
  return parts.join(' ');
}
