// The RDF writers: whatever the literals and IRIs hold, a full parser reads the same graph back
// (n3 for Turtle, jsonld, rdfxml-streaming-parser), and parts written apart and joined into one
// document read as the whole.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import jsonld from 'jsonld';
import type { Quad, Term } from '@rdfjs/types';
import { terms } from '../../src/core/rdf-terms.ts';
import { serialiser, toJsonLd, toRdfXml, toTurtle, type RdfFormat } from '../../src/formats/rdf.ts';
import { fromRdfXml, parseTurtle } from '../helpers/dcat-shacl.ts';

const { namedNode, literal, quad, blankNode } = terms;
const BASE = 'https://monitor.example.de/stadt';
const PREFIXES = {
  dct: 'http://purl.org/dc/terms/',
  ex: 'http://example.org/ns#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

// Parsers relabel blank nodes: the test graph has one, so its label is left out.
const key = (t: Term): string =>
  t.termType === 'Literal'
    ? `"${t.value}"@${t.language}^^${t.datatype.value}`
    : t.termType === 'BlankNode'
      ? 'BlankNode'
      : `${t.termType}:${t.value}`;
const graphOf = (qs: Quad[]) =>
  [...new Set(qs.map((q) => `${key(q.subject)} ${key(q.predicate)} ${key(q.object)}`))].sort();

async function read(format: RdfFormat, text: string): Promise<Quad[]> {
  if (format === 'ttl') return parseTurtle(text);
  if (format === 'rdf') return fromRdfXml(text);
  return parseTurtle((await jsonld.toRDF(JSON.parse(text), { format: 'application/n-quads' })) as unknown as string);
}

const s1 = namedNode(`${BASE}/indikator?indicator=a%20b#dataset`);
const s2 = namedNode(`${BASE}/catalog#publisher`);
const hard: Quad[] = [
  quad(
    s1,
    namedNode('http://purl.org/dc/terms/title'),
    literal('Anteil "Kinder" \\ Jugendliche\nzweite Zeile\r\tTab \u0001 Steuerzeichen', 'de'),
  ),
  quad(s1, namedNode('http://purl.org/dc/terms/title'), literal('Second title', 'en')),
  quad(s1, namedNode('http://purl.org/dc/terms/identifier'), literal('id with ümlauts & <markup>')),
  quad(
    s1,
    namedNode('http://purl.org/dc/terms/modified'),
    literal('2025-01-02T03:04:05Z', namedNode('http://www.w3.org/2001/XMLSchema#dateTime')),
  ),
  // Local names a prefixed name cannot hold (trailing dot, leading digit, query characters).
  quad(s1, namedNode('http://example.org/ns#name.'), namedNode('http://example.org/ns#1st')),
  quad(s1, namedNode('http://example.org/ns#p'), namedNode('http://example.org/ns#a?b=c')),
  // Under the base, but not resolvable back from a relative reference: dot segments, a colon in
  // the first segment, a double slash; and the base itself, and a reference with only a query.
  quad(s1, namedNode('http://purl.org/dc/terms/relation'), namedNode(`${BASE}/./x`)),
  quad(s1, namedNode('http://purl.org/dc/terms/relation'), namedNode(`${BASE}/../y`)),
  quad(s1, namedNode('http://purl.org/dc/terms/relation'), namedNode(`${BASE}/a:b`)),
  quad(s1, namedNode('http://purl.org/dc/terms/relation'), namedNode(`${BASE}//host`)),
  quad(s1, namedNode('http://purl.org/dc/terms/relation'), namedNode(`${BASE}/`)),
  quad(s1, namedNode('http://purl.org/dc/terms/relation'), namedNode(`${BASE}/?page=2`)),
  quad(s1, namedNode('http://purl.org/dc/terms/relation'), namedNode(`${BASE}-other/x`)),
  quad(s1, namedNode('http://purl.org/dc/terms/relation'), namedNode('mailto:statistik@example.de')),
  quad(s1, namedNode('http://purl.org/dc/terms/relation'), blankNode('b1')),
  // A predicate outside the prefixes (RDF/XML declares its namespace where it is used).
  quad(s2, namedNode('http://xmlns.com/foaf/0.1/name'), literal('Stadt Musterstadt')),
  quad(
    s2,
    namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type'),
    namedNode('http://xmlns.com/foaf/0.1/Organization'),
  ),
  quad(blankNode('b1'), namedNode('http://purl.org/dc/terms/title'), literal('blank')),
];

// RDF/XML cannot hold control characters (XML 1.0): the writer drops them; and its parser
// resolves even absolute IRIs, removing dot segments (RFC 3986, 5.2): those are left out.
const forXml = (qs: Quad[]) =>
  qs
    .filter((q) => !/\/\.\.?\//.test(q.object.value))
    .map((q) =>
      q.object.termType === 'Literal'
        ? quad(
            q.subject,
            q.predicate,
            literal(q.object.value.replace(/\u0001/g, ''), q.object.language || q.object.datatype),
          )
        : q,
    );

describe('RDF writers', () => {
  test('read back to the same graph, with hard literals, IRIs and a base', async () => {
    const expected = graphOf(hard);
    assert.deepEqual(graphOf(await read('ttl', toTurtle(hard, PREFIXES, BASE))), expected, 'Turtle with a base');
    assert.deepEqual(graphOf(await read('ttl', toTurtle(hard, PREFIXES))), expected, 'Turtle');
    assert.deepEqual(graphOf(await read('jsonld', toJsonLd(hard, PREFIXES))), expected, 'JSON-LD');
    assert.deepEqual(graphOf(await read('rdf', toRdfXml(forXml(hard), PREFIXES))), graphOf(forXml(hard)), 'RDF/XML');
    const ttl = toTurtle(hard, PREFIXES, BASE);
    assert.match(ttl, /^@base <https:\/\/monitor\.example\.de\/stadt\/> \./);
    assert.ok(ttl.includes('<indikator?indicator=a%20b#dataset>'), 'IRIs under the base are relative');
    assert.ok(ttl.includes(`<${BASE}/./x>`) && ttl.includes(`<${BASE}/a:b>`), 'not those that would resolve elsewhere');
  });

  for (const format of ['ttl', 'jsonld', 'rdf'] as const) {
    test(`${format}: parts written apart join into the whole`, async () => {
      const w = serialiser(format, PREFIXES, format === 'ttl' ? BASE : undefined);
      const input = format === 'rdf' ? forXml(hard) : hard;
      // Cut between subjects: the first part ends with one, the second begins with the next.
      const doc = w.document([
        w.subjects(input.slice(0, -3)),
        '',
        serialiser(format, PREFIXES, format === 'ttl' ? BASE : undefined).subjects(input.slice(-3)),
      ]);
      assert.deepEqual(graphOf(await read(format, doc)), graphOf(input));
      assert.deepEqual(graphOf(await read(format, w.document([]))), [], 'an empty document');
    });
  }
});
