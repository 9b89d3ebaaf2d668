// The DCAT-AP.de catalogue builder and its three serialisations: each read back with a full
// parser to the same graph, and the graph valid against the DCAT-AP.de 2.0 SHACL shapes
// ("Spezifikation" and "Spezifikation + Konventionen") with zero violations.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import jsonld from 'jsonld';
import { DataFactory } from 'n3';
import type { Quad, Term } from '@rdfjs/types';
import { catalogQuads, euThemes, type CatalogDataset, type CatalogPage } from '../../src/core/dcat.ts';
import { parsePublisher, politicalGeocoding, type PublisherSettings } from '../../src/core/publisher.ts';
import { toJsonLd, toRdfXml, toTurtle } from '../../src/formats/rdf.ts';
import { PREFIXES } from '../../src/services/dcat.ts';
import {
  SHAPES_MISSING,
  TEST_CONTRIBUTOR,
  TEST_KEY,
  describeFindings,
  fromRdfXml,
  parseTurtle,
  validate,
} from '../helpers/dcat-shacl.ts';

const BASE = 'https://monitor.example.de';
const PUBLISHER: PublisherSettings = {
  name: 'Stadt Köln',
  officialKey: TEST_KEY,
  licence: 'dl-by-de/2.0',
  contact: {
    name: 'Amt für Stadtentwicklung und Statistik',
    email: 'statistik@example.de',
    url: 'https://example.de/kontakt',
  },
  contributorId: TEST_CONTRIBUTOR,
  baseUrl: BASE,
};

const dataset = (key: string, extra: Partial<CatalogDataset> = {}): CatalogDataset => ({
  key,
  name: `Indikator ${key} „Ä & <b>“`,
  description: 'Eine Beschreibung mit "Anführungszeichen" & Sonderzeichen <x>.\nZweite Zeile.',
  unit: '%',
  source: 'Melderegister',
  methodology: null,
  themes: ['Bevölkerung', 'Bildung'],
  periodicity: 'yearly',
  temporal: { start: '2020-01-01', end: '2024-12-31' },
  layers: [
    { key: 'gesamtstadt', name: 'Gesamtstadt' },
    { key: 'stadtteil', name: 'Stadtteile' },
  ],
  issued: '2025-01-02T03:04:05Z',
  modified: '2025-06-07T08:09:10Z',
  ...extra,
});

const page = (over: Partial<CatalogPage> = {}): CatalogPage => ({
  base: BASE,
  publisher: PUBLISHER,
  datasets: [
    dataset('arbeitslose_anteil'),
    dataset('einwohner', { description: null, themes: [], periodicity: 'daily', source: null }),
  ],
  total: 2,
  page: 1,
  pageSize: 100,
  modified: '2025-06-07T08:09:10Z',
  pageUrl: (n) => `${BASE}/catalog?page=${n}`,
  ...over,
});

function key(t: Term): string {
  if (t.termType === 'Literal') return `"${t.value}"@${t.language}^^${t.datatype.value}`;
  return `${t.termType}:${t.value}`;
}
const graphOf = (qs: Quad[]) =>
  [...new Set(qs.map((q) => `${key(q.subject)} ${key(q.predicate)} ${key(q.object)}`))].sort();

async function fromJsonLd(text: string): Promise<Quad[]> {
  const nquads = (await jsonld.toRDF(JSON.parse(text), { format: 'application/n-quads' })) as unknown as string;
  return parseTurtle(nquads);
}

describe('DCAT-AP.de catalogue', () => {
  test('Turtle, JSON-LD and RDF/XML read back to the same graph', async () => {
    const quads = catalogQuads(page());
    const expected = graphOf(quads);
    assert.ok(expected.length > 100);
    const ttl = await toTurtle(quads, PREFIXES);
    assert.deepEqual(graphOf(parseTurtle(ttl)), expected, 'Turtle');
    assert.deepEqual(graphOf(await fromJsonLd(toJsonLd(quads, PREFIXES))), expected, 'JSON-LD');
    const xml = toRdfXml(quads, PREFIXES);
    assert.match(xml, /^<\?xml version="1.0" encoding="utf-8"\?>/);
    assert.deepEqual(graphOf(await fromRdfXml(xml)), expected, 'RDF/XML');
  });

  test('the mapping: publisher, contributor, geocoding, licence, themes, periods, distributions', async () => {
    const ttl = await toTurtle(catalogQuads(page()), PREFIXES);
    const g = graphOf(parseTurtle(ttl));
    const has = (s: string, p: string, o: string) => assert.ok(g.includes(`${s} ${p} ${o}`), `${s} ${p} ${o}`);
    const ds = `NamedNode:${BASE}/indikator?indicator=arbeitslose_anteil#dataset`;
    const iri = (s: string) => `NamedNode:${s}`;
    has(ds, iri('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'), iri('http://www.w3.org/ns/dcat#Dataset'));
    has(ds, iri('http://purl.org/dc/terms/publisher'), iri(`${BASE}/catalog#publisher`));
    has(ds, iri('http://dcat-ap.de/def/dcatde/contributorID'), iri(TEST_CONTRIBUTOR));
    has(
      ds,
      iri('http://dcat-ap.de/def/dcatde/politicalGeocodingURI'),
      iri(`http://dcat-ap.de/def/politicalGeocoding/municipalityKey/${TEST_KEY}`),
    );
    has(
      ds,
      iri('http://dcat-ap.de/def/dcatde/politicalGeocodingLevelURI'),
      iri('http://dcat-ap.de/def/politicalGeocoding/Level/municipality'),
    );
    has(
      ds,
      iri('http://www.w3.org/ns/dcat#theme'),
      iri('http://publications.europa.eu/resource/authority/data-theme/SOCI'),
    );
    has(
      ds,
      iri('http://www.w3.org/ns/dcat#theme'),
      iri('http://publications.europa.eu/resource/authority/data-theme/EDUC'),
    );
    has(
      ds,
      iri('http://www.w3.org/ns/dcat#keyword'),
      '"Bevölkerung"@de^^http://www.w3.org/1999/02/22-rdf-syntax-ns#langString',
    );
    has(
      ds,
      iri('http://purl.org/dc/terms/modified'),
      '"2025-06-07T08:09:10Z"@^^http://www.w3.org/2001/XMLSchema#dateTime',
    );
    has(
      ds,
      iri('http://purl.org/dc/terms/accrualPeriodicity'),
      iri('http://publications.europa.eu/resource/authority/frequency/ANNUAL'),
    );
    has(ds, iri('http://www.w3.org/ns/dcat#landingPage'), iri(`${BASE}/indikator?indicator=arbeitslose_anteil`));
    const temporal = iri(`${BASE}/indikator?indicator=arbeitslose_anteil#temporal`);
    has(temporal, iri('http://www.w3.org/ns/dcat#startDate'), '"2020-01-01"@^^http://www.w3.org/2001/XMLSchema#date');
    has(temporal, iri('http://www.w3.org/ns/dcat#endDate'), '"2024-12-31"@^^http://www.w3.org/2001/XMLSchema#date');
    const csv = iri(`${BASE}/indikator?indicator=arbeitslose_anteil#csv-stadtteil`);
    has(
      csv,
      iri('http://www.w3.org/ns/dcat#downloadURL'),
      iri(`${BASE}/api/observations?indicator=arbeitslose_anteil&layer=stadtteil&format=csv`),
    );
    has(
      csv,
      iri('http://purl.org/dc/terms/format'),
      iri('http://publications.europa.eu/resource/authority/file-type/CSV'),
    );
    has(csv, iri('http://purl.org/dc/terms/license'), iri('http://dcat-ap.de/def/licenses/dl-by-de/2.0'));
    has(csv, iri('http://www.w3.org/ns/dcat#mediaType'), iri('https://www.iana.org/assignments/media-types/text/csv'));
    has(
      iri(`${BASE}/indikator?indicator=arbeitslose_anteil#json-stat-stadtteil`),
      iri('http://www.w3.org/ns/dcat#downloadURL'),
      iri(`${BASE}/api/observations?indicator=arbeitslose_anteil&layer=stadtteil&format=json-stat`),
    );
    const geo = iri(`${BASE}/indikator?indicator=arbeitslose_anteil#geojson-gesamtstadt`);
    has(geo, iri('http://www.w3.org/ns/dcat#accessService'), iri(`${BASE}/ogc#service`));
    has(geo, iri('http://www.w3.org/ns/dcat#accessURL'), iri(`${BASE}/ogc/collections/arbeitslose_anteil.gesamtstadt`));
    has(iri(`${BASE}/ogc#service`), iri('http://www.w3.org/ns/dcat#endpointURL'), iri(`${BASE}/ogc`));
    has(iri(`${BASE}/ogc#service`), iri('http://www.w3.org/ns/dcat#servesDataset'), ds);
    has(
      iri(`${BASE}/catalog#contact`),
      iri('http://www.w3.org/2006/vcard/ns#hasEmail'),
      iri('mailto:statistik@example.de'),
    );
    // 2 layers × 4 formats per dataset.
    assert.equal(g.filter((t) => t.startsWith(`${ds} NamedNode:http://www.w3.org/ns/dcat#distribution `)).length, 8);
    // No themes: "Regions and cities"; a daily indicator is harvested as daily.
    assert.deepEqual(euThemes([]), ['http://publications.europa.eu/resource/authority/data-theme/REGI']);
    assert.deepEqual(politicalGeocoding('053150000000'), {
      uri: 'http://dcat-ap.de/def/politicalGeocoding/regionalKey/053150000000',
      level: 'http://dcat-ap.de/def/politicalGeocoding/Level/municipality',
    });
  });

  test('paging: Hydra links as ckanext-dcat reads them', async () => {
    const g = graphOf(catalogQuads(page({ total: 250, page: 2, pageSize: 100 })));
    const view = `NamedNode:${BASE}/catalog?page=2`;
    for (const [p, o] of [
      ['next', 3],
      ['nextPage', 3],
      ['previous', 1],
      ['first', 1],
      ['last', 3],
      ['lastPage', 3],
    ] as const) {
      assert.ok(
        g.includes(`${view} NamedNode:http://www.w3.org/ns/hydra/core#${p} NamedNode:${BASE}/catalog?page=${o}`),
        p,
      );
    }
    assert.ok(
      g.includes(
        `${view} NamedNode:http://www.w3.org/1999/02/22-rdf-syntax-ns#type NamedNode:http://www.w3.org/ns/hydra/core#PagedCollection`,
      ),
    );
    assert.ok(
      g.includes(
        `${view} NamedNode:http://www.w3.org/ns/hydra/core#totalItems "250"@^^http://www.w3.org/2001/XMLSchema#integer`,
      ),
    );
    assert.ok(
      g.includes(
        `${view} NamedNode:http://www.w3.org/ns/hydra/core#itemsPerPage "100"@^^http://www.w3.org/2001/XMLSchema#integer`,
      ),
    );
    const lastPage = graphOf(catalogQuads(page({ total: 250, page: 3, pageSize: 100 })));
    assert.ok(!lastPage.some((t) => t.includes('hydra/core#next')), 'the last page has no next link');
  });

  for (const profile of ['spezifikation', 'konventionen'] as const) {
    test(
      `valid against DCAT-AP.de 2.0 "${profile}": zero violations, zero warnings`,
      { skip: SHAPES_MISSING },
      async () => {
        // With an AGS and with an ARS (regionalKey), and with the zero licence (no attribution text).
        for (const publisher of [
          PUBLISHER,
          { ...PUBLISHER, officialKey: '053150000000' },
          { ...PUBLISHER, licence: 'dl-zero-de/2.0' as const },
        ]) {
          const r = await validate(catalogQuads(page({ publisher })), profile);
          assert.equal(
            r.violations.length,
            0,
            `${publisher.officialKey} violations:\n${describeFindings(r.violations)}`,
          );
          assert.equal(r.warnings.length, 0, `${publisher.officialKey} warnings:\n${describeFindings(r.warnings)}`);
        }
      },
    );
  }

  test(
    'negative: a distribution without licence, a format outside the EU file types violate',
    { skip: SHAPES_MISSING },
    async () => {
      const quads = catalogQuads(page());
      const withoutLicence = quads.filter(
        (q) =>
          !(q.predicate.value === 'http://purl.org/dc/terms/license' && q.subject.value.endsWith('#csv-stadtteil')),
      );
      const r = await validate(withoutLicence, 'konventionen');
      assert.ok(
        r.violations.some((v) => v.focus.endsWith('arbeitslose_anteil#csv-stadtteil') && /K31/.test(v.message)),
        describeFindings(r.violations),
      );
      const badFormat = quads.map((q) =>
        q.predicate.value === 'http://purl.org/dc/terms/format' && q.subject.value.endsWith('#csv-stadtteil')
          ? DataFactory.quad(q.subject, q.predicate, DataFactory.namedNode('https://example.org/formats/CSV'))
          : q,
      );
      const r2 = await validate(badFormat, 'spezifikation');
      assert.ok(
        r2.violations.some((v) => v.focus === 'https://example.org/formats/CSV' && /dct:format/.test(v.message)),
        describeFindings(r2.violations),
      );
      // Without a contributor ID the GovData conventions are not met (K12), the specification is.
      const noContributor = catalogQuads(page({ publisher: { ...PUBLISHER, contributorId: undefined } }));
      assert.equal((await validate(noContributor, 'spezifikation')).violations.length, 0);
      assert.ok((await validate(noContributor, 'konventionen')).violations.some((v) => /K12/.test(v.message)));
    },
  );

  test('publisher settings: the official key, licence and contact are checked field by field', () => {
    assert.ok(parsePublisher(PUBLISHER).ok);
    assert.ok(parsePublisher({ ...PUBLISHER, officialKey: '053150000000' }).ok);
    const bad = parsePublisher({
      ...PUBLISHER,
      officialKey: '5315000',
      licence: 'gpl',
      contact: { name: 'Amt' },
      contributorId: 'https://example.org/x',
      baseUrl: 'ftp://x',
    });
    assert.ok(!bad.ok);
    if (!bad.ok)
      assert.deepEqual(bad.problems.map((p) => p.column).sort(), [
        'baseUrl',
        'contact.email',
        'contributorId',
        'licence',
        'officialKey',
      ]);
    const trimmed = parsePublisher({ ...PUBLISHER, baseUrl: 'https://monitor.example.de/' });
    assert.ok(trimmed.ok && trimmed.value.baseUrl === 'https://monitor.example.de');
  });
});
