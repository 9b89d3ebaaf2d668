// The open-data catalogue over HTTP: /catalog before and after the publisher settings, the
// settings route (administrators only, CSRF for sessions, bad input → 400 with problems and no
// change), content negotiation, the three serialisations read back to one graph, SHACL
// validation of the answer, paging the way a CKAN harvester follows it, the links of the
// distributions, and that no internal, restricted or draft indicator ever appears.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import jsonld from 'jsonld';
import type { Quad, Term } from '@rdfjs/types';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { addDistrictsAndDepartments, addUsers, signInAll } from '../helpers/roles.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { buildServer } from '../../src/http/server.ts';
import { writeSetting } from '../../src/store/settings.ts';
import { negotiate } from '../../src/http/catalog-routes.ts';
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
const PUBLIC = ['pub_a', 'pub_b', 'pub_c', 'pub_d', 'pub_e'];
const NEVER = ['int_x', 'res_y', 'draft_p', 'ratio_res', 'pub_empty'];
const SETTINGS = {
  name: 'Stadt Köln',
  officialKey: TEST_KEY,
  licence: 'dl-by-de/2.0',
  contact: { name: 'Statistikstelle', email: 'statistik@example.de' },
  contributorId: TEST_CONTRIBUTOR,
  baseUrl: BASE,
};
const DCAT_DATASET = 'http://www.w3.org/ns/dcat#Dataset';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

const termKey = (t: Term) =>
  t.termType === 'Literal' ? `"${t.value}"@${t.language}^^${t.datatype.value}` : `${t.termType}:${t.value}`;
const graphOf = (qs: Quad[]) =>
  [...new Set(qs.map((q) => `${termKey(q.subject)} ${termKey(q.predicate)} ${termKey(q.object)}`))].sort();
const datasetKeys = (qs: Quad[]) =>
  qs
    .filter((q) => q.predicate.value === RDF_TYPE && q.object.value === DCAT_DATASET)
    .map((q) => new URL(q.subject.value).searchParams.get('indicator')!);

async function fromJsonLd(text: string): Promise<Quad[]> {
  return parseTurtle((await jsonld.toRDF(JSON.parse(text), { format: 'application/n-quads' })) as unknown as string);
}

for (const engine of engines) {
  describe(`open-data catalogue over HTTP [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    let app: FastifyInstance;
    const tmp = tempDir();
    let headers: Record<string, Record<string, string>>;
    let csrf: Record<string, string>;
    const local = (url: string) => (url.startsWith(BASE) ? url.slice(BASE.length) : url);
    const get = (url: string, h: Record<string, string> = {}) =>
      app.inject({ method: 'GET', url: local(url), headers: h });
    const put = (body: unknown, who: string, withCsrf = true) =>
      app.inject({
        method: 'PUT',
        url: '/api/settings/publisher',
        payload: body as object,
        headers: { ...headers[who], ...(withCsrf && csrf[who] ? { 'x-csrf-token': csrf[who] } : {}) },
      });
    const parse = async (format: 'ttl' | 'rdf' | 'jsonld', body: string) =>
      format === 'ttl' ? parseTurtle(body) : format === 'rdf' ? fromRdfXml(body) : fromJsonLd(body);

    before(async () => {
      db = await openEngine(engine);
      await addDistrictsAndDepartments(db, tmp);
      const ind = (key: string, confidentiality: string, owner: string, extra: object = {}) => ({
        key,
        name: `Indikator ${key}`,
        unit: 'Fälle',
        type: 'count',
        owner,
        confidentiality,
        themes: ['Soziales'],
        periodicity: 'yearly',
        ...extra,
      });
      await importCatalogue(db, [
        ...PUBLIC.map((k) =>
          ind(
            k,
            'public',
            'statistik',
            k === 'pub_b' ? { themes: ['Bildung', 'Gesundheit'], description: 'Mit Beschreibung.' } : {},
          ),
        ),
        ind('pub_empty', 'public', 'statistik'),
        ind('int_x', 'internal', 'soziales'),
        ind('res_y', 'restricted', 'jugend'),
        ind('draft_p', 'public', 'jugend', { draft: true }),
        {
          key: 'ratio_res',
          name: 'Quote',
          unit: '%',
          type: 'ratio',
          numerator: { indicator: 'res_y' },
          denominator: { indicator: 'pub_a' },
          scale: 100,
          owner: 'jugend',
          confidentiality: 'public',
        },
      ]);
      const rows = [
        'indicator;area;period;value',
        ...[...PUBLIC, 'int_x', 'res_y', 'draft_p'].flatMap((k) => [
          `${k};01;2022;10`,
          `${k};02;2022;20`,
          `${k};01;2023;11`,
          `${k};02;2023;21`,
        ]),
      ];
      await importObservations(db, tmp.file('o.csv', rows.join('\n')));
      await addUsers(db);
      app = await buildServer(db, { loginAttemptsPerAddress: 1000 });
      ({ headers, csrf } = await signInAll(app));
    });
    after(async () => {
      await app?.close();
      await db?.close();
      tmp.cleanup();
    });

    test('without publisher settings the catalogue answers 409 catalog-not-configured', async () => {
      const r = await get('/catalog');
      assert.equal(r.statusCode, 409, r.body);
      assert.equal(r.json().problems[0].code, 'catalog-not-configured');
    });

    test('settings: administrators only, CSRF for sessions, bad input is a 400 with problems and changes nothing', async () => {
      assert.equal((await put(SETTINGS, 'anonymous')).statusCode, 401);
      assert.equal((await put(SETTINGS, 'viewer')).statusCode, 403);
      assert.equal((await put(SETTINGS, 'steward_jugend')).statusCode, 403);
      assert.equal((await put(SETTINGS, 'admin', false)).statusCode, 403, 'a session without its CSRF token');
      assert.equal((await get('/api/settings/publisher', headers.viewer)).statusCode, 403);
      const bad = await put(
        { ...SETTINGS, officialKey: '0531500', contact: { name: 'Statistikstelle', email: 'keine-adresse' } },
        'admin',
      );
      assert.equal(bad.statusCode, 400, bad.body);
      const problems = bad.json().problems as { code: string; column: string; reason: string }[];
      assert.deepEqual(problems.map((p) => p.column).sort(), ['contact.email', 'officialKey']);
      assert.ok(problems.every((p) => p.code === 'invalid-publisher'));
      assert.match(bad.json().message, /AGS with 8 digits/);
      assert.equal((await get('/api/settings/publisher', headers.admin)).json().publisher, null, 'nothing saved');
      assert.equal((await get('/catalog')).statusCode, 409);
      const ok = await put(SETTINGS, 'admin');
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual((await get('/api/settings/publisher', headers.admin)).json().publisher, SETTINGS);
    });

    test('content negotiation: Accept, format and suffixes give Turtle, RDF/XML and JSON-LD of one graph', async () => {
      const turtle = await get('/catalog');
      assert.equal(turtle.statusCode, 200, turtle.body);
      assert.equal(turtle.headers['content-type'], 'text/turtle; charset=utf-8');
      const expected = graphOf(parseTurtle(turtle.body));
      assert.deepEqual(datasetKeys(parseTurtle(turtle.body)).sort(), PUBLIC);
      const cases: [string, Record<string, string>, 'ttl' | 'rdf' | 'jsonld', string][] = [
        ['/catalog', { accept: 'application/rdf+xml' }, 'rdf', 'application/rdf+xml'],
        ['/catalog', { accept: 'text/html;q=0.9, application/ld+json' }, 'jsonld', 'application/ld+json'],
        ['/catalog', { accept: 'text/turtle' }, 'ttl', 'text/turtle'],
        ['/catalog?format=rdf', { accept: 'text/turtle' }, 'rdf', 'application/rdf+xml'],
        ['/catalog?format=jsonld', {}, 'jsonld', 'application/ld+json'],
        ['/catalog.ttl', {}, 'ttl', 'text/turtle'],
        ['/catalog.rdf', { accept: 'text/turtle' }, 'rdf', 'application/rdf+xml'],
        ['/catalog.jsonld', {}, 'jsonld', 'application/ld+json'],
      ];
      for (const [url, h, format, type] of cases) {
        const r = await get(url, h);
        assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
        assert.equal(r.headers['content-type'], `${type}; charset=utf-8`, url);
        const g = graphOf(await parse(format, r.body));
        // Only the page's own address (in the Hydra links) differs between /catalog and /catalog.ttl.
        const strip = (xs: string[]) =>
          xs.filter(
            (x) =>
              !x.includes('hydra/core#') &&
              !x.startsWith(`NamedNode:${BASE}/catalog?page`) &&
              !x.startsWith(`NamedNode:${BASE}/catalog.`),
          );
        assert.deepEqual(strip(g), strip(expected), url);
      }
      assert.equal((await get('/catalog', { accept: 'image/png' })).statusCode, 406);
      assert.equal((await get('/catalog?format=csv')).statusCode, 400);
      assert.equal(negotiate(undefined), 'ttl');
      assert.equal(negotiate('*/*'), 'ttl');
      assert.equal(negotiate('application/ld+json;q=0.5, application/rdf+xml'), 'rdf');
    });

    for (const profile of ['spezifikation', 'konventionen'] as const) {
      test(
        `the served catalogue is valid DCAT-AP.de 2.0 "${profile}" (zero violations)`,
        { skip: SHAPES_MISSING },
        async () => {
          const r = await validate(parseTurtle((await get('/catalog.ttl')).body), profile);
          assert.equal(r.violations.length, 0, `violations:\n${describeFindings(r.violations)}`);
          assert.equal(r.warnings.length, 0, `warnings:\n${describeFindings(r.warnings)}`);
        },
      );
    }

    test('paging: following hydra:next reaches every dataset exactly once', async () => {
      for (const [start, format] of [
        ['/catalog?pageSize=2', 'ttl'],
        ['/catalog.rdf?pageSize=2', 'rdf'],
        ['/catalog.jsonld?pageSize=3', 'jsonld'],
      ] as const) {
        const seen: string[] = [];
        let url: string | undefined = start;
        let pages = 0;
        while (url) {
          const r = await get(url);
          assert.equal(r.statusCode, 200, `${url}: ${r.body}`);
          const qs = await parse(format, r.body);
          seen.push(...datasetKeys(qs));
          const total = qs.find((q) => q.predicate.value === 'http://www.w3.org/ns/hydra/core#totalItems');
          assert.equal(total?.object.value, String(PUBLIC.length));
          url = qs.find((q) => q.predicate.value === 'http://www.w3.org/ns/hydra/core#next')?.object.value;
          assert.ok(++pages <= 5, 'paging ends');
        }
        assert.deepEqual(seen.sort(), PUBLIC, start);
      }
      assert.equal((await get('/catalog?page=4&pageSize=2')).statusCode, 404);
      assert.equal((await get('/catalog?pageSize=0')).statusCode, 400);
    });

    test('no internal, restricted or draft indicator, nor one without data, appears: also when a reader of restricted data asks', async () => {
      const anonymous = (await get('/catalog.ttl')).body;
      for (const who of ['steward_jugend', 'viewer_jugend', 'admin']) {
        assert.equal((await get('/catalog.ttl', headers[who])).body, anonymous, who);
      }
      for (const k of NEVER) assert.ok(!anonymous.includes(`indicator=${k}`), k);
      // The restricted indicator is there for its department, only not in the catalogue.
      assert.equal((await get('/api/indicators/res_y', headers.steward_jugend)).statusCode, 200);
    });

    test('the distributions link to working downloads and the OGC API collection', async () => {
      const qs = parseTurtle((await get('/catalog.ttl')).body);
      const urls = qs
        .filter(
          (q) =>
            q.predicate.value === 'http://www.w3.org/ns/dcat#downloadURL' &&
            q.subject.value.includes('indicator=pub_b'),
        )
        .map((q) => q.object.value);
      assert.equal(urls.length, 4, urls.join('\n'));
      for (const u of urls) {
        const r = await get(u);
        assert.equal(r.statusCode, 200, `${u}: ${r.body.slice(0, 300)}`);
        if (u.includes('format=json-stat')) assert.equal(JSON.parse(r.body).class, 'dataset');
      }
      const access = qs
        .filter(
          (q) => q.predicate.value === 'http://www.w3.org/ns/dcat#accessURL' && q.subject.value.includes('#geojson-'),
        )
        .map((q) => q.object.value);
      for (const u of access) assert.equal((await get(u)).statusCode, 200, u);
      const endpoint = qs.find((q) => q.predicate.value === 'http://www.w3.org/ns/dcat#endpointURL')!.object.value;
      assert.equal((await get(endpoint)).statusCode, 200);
    });

    test('large pages are sent compressed to clients that accept it', async () => {
      const plain = (await get('/catalog.rdf')).body;
      assert.ok(plain.length > 8 * 1024);
      for (const [encoding, unpack] of [
        ['gzip', gunzipSync],
        ['br', brotliDecompressSync],
      ] as const) {
        const r = await get('/catalog.rdf', { 'accept-encoding': encoding });
        assert.equal(r.headers['content-encoding'], encoding);
        assert.equal(unpack(r.rawPayload).toString('utf8'), plain, encoding);
      }
      assert.equal(
        (await get('/catalog.rdf', { 'accept-encoding': 'identity' })).headers['content-encoding'],
        undefined,
      );
    });

    test('settings stored that the rules no longer accept make the catalogue "not configured", not a 500', async () => {
      await writeSetting(db, 'publisher', { ...SETTINGS, licence: 'gpl-3.0' });
      const r = await get('/catalog');
      assert.equal(r.statusCode, 409, r.body);
      assert.equal(r.json().problems[0].code, 'catalog-not-configured');
      await writeSetting(db, 'publisher', SETTINGS);
      assert.equal((await get('/catalog')).statusCode, 200);
    });

    test('the OpenAPI document describes /catalog and the publisher settings', async () => {
      const doc = (await get('/api/openapi.json')).json();
      assert.ok(doc.paths['/catalog'].get.responses['200'].content['text/turtle']);
      assert.ok(doc.paths['/catalog'].get.parameters.some((p: { name: string }) => p.name === 'page'));
      assert.ok(doc.paths['/api/settings/publisher'].put);
    });

    // Last: it imports. Pages re-use the parts of datasets an import did not touch.
    test('after an import every serialisation shows the new data of the touched indicator and the rest unchanged', async () => {
      const pubA = `NamedNode:${BASE}/indikator?indicator=pub_a`;
      const before = new Map<string, string[]>();
      for (const f of ['ttl', 'rdf', 'jsonld'] as const)
        before.set(f, graphOf(await parse(f, (await get(`/catalog.${f}`)).body)));
      await importObservations(
        db,
        tmp.file('o2.csv', 'indicator;area;period;value\npub_a;01;2024;12\npub_a;02;2024;22\n'),
      );
      const after = new Map<string, string[]>();
      for (const f of ['ttl', 'rdf', 'jsonld'] as const)
        after.set(f, graphOf(await parse(f, (await get(`/catalog.${f}`)).body)));
      // The same graph but for each page's own address (/catalog.ttl?page=1 …).
      const noView = (g: string[]) => g.filter((t) => !t.startsWith(`NamedNode:${BASE}/catalog.`));
      assert.deepEqual(noView(after.get('rdf')!), noView(after.get('ttl')!));
      assert.deepEqual(noView(after.get('jsonld')!), noView(after.get('ttl')!));
      const ttl = after.get('ttl')!;
      assert.ok(
        ttl.includes(
          `${pubA}#temporal NamedNode:http://www.w3.org/ns/dcat#endDate "2024-12-31"@^^http://www.w3.org/2001/XMLSchema#date`,
        ),
        'the new period',
      );
      const modified = (g: string[]) =>
        g.find((t) => t.startsWith(`${pubA}#dataset NamedNode:http://purl.org/dc/terms/modified `));
      assert.notEqual(modified(ttl), modified(before.get('ttl')!), 'a new dct:modified');
      // Apart from pub_a and the catalogue's own dct:modified, nothing changed.
      const rest = (g: string[]) =>
        g.filter((t) => !t.startsWith(pubA) && !t.includes('/catalog NamedNode:http://purl.org/dc/terms/modified'));
      assert.deepEqual(rest(ttl), rest(before.get('ttl')!));
    });
  });
}
