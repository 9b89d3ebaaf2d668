// Writers of RDF: Turtle (n3's writer), JSON-LD and RDF/XML. The two latter are written here for
// graphs of named nodes, blank nodes and literals, as the catalogue has them: a flat list of
// subjects needs no framing, and the tests read every output back with a full parser
// (jsonld, rdfxml-streaming-parser) to the same graph.
import { Writer } from 'n3';
import type { Quad, Term } from '@rdfjs/types';

export type Prefixes = Record<string, string>;

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

export function toTurtle(quads: Quad[], prefixes: Prefixes): Promise<string> {
  const w = new Writer({ prefixes });
  w.addQuads(quads);
  return new Promise((resolve, reject) => w.end((err, out: string) => (err ? reject(err) : resolve(out))));
}

/**
 * Runs of quads with the same subject. A subject in two runs is written twice, which both formats
 * allow (the statements merge); the catalogue's quads come grouped, so each subject is one run.
 */
function bySubject(quads: Quad[]): { subject: Term; quads: Quad[] }[] {
  const out: { subject: Term; quads: Quad[] }[] = [];
  let run: { subject: Term; quads: Quad[] } | undefined;
  for (const q of quads) {
    if (!run || run.subject.value !== q.subject.value || run.subject.termType !== q.subject.termType) out.push((run = { subject: q.subject, quads: [] }));
    run.quads.push(q);
  }
  return out;
}

function compact(iri: string, prefixes: Prefixes, seen: Map<string, string>): string {
  const known = seen.get(iri);
  if (known !== undefined) return known;
  const c = compactOnce(iri, prefixes);
  seen.set(iri, c);
  return c;
}

function compactOnce(iri: string, prefixes: Prefixes): string {
  for (const [p, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && iri.length > ns.length && /^[A-Za-z_][\w.-]*$/.test(iri.slice(ns.length))) return `${p}:${iri.slice(ns.length)}`;
  }
  return iri;
}

/** JSON-LD: one node object per subject in @graph; property names and types compacted by the prefixes. */
export function toJsonLd(quads: Quad[], prefixes: Prefixes): string {
  const graph: Record<string, unknown>[] = [];
  const seen = new Map<string, string>();
  for (const { subject, quads: qs } of bySubject(quads)) {
    const node: Record<string, unknown> = { '@id': subject.termType === 'BlankNode' ? `_:${subject.value}` : subject.value };
    for (const q of qs) {
      if (q.predicate.value === RDF_TYPE && q.object.termType === 'NamedNode') {
        ((node['@type'] ??= []) as string[]).push(compact(q.object.value, prefixes, seen));
        continue;
      }
      const key = compact(q.predicate.value, prefixes, seen);
      const o = q.object;
      let v: unknown;
      if (o.termType === 'NamedNode') v = { '@id': o.value };
      else if (o.termType === 'BlankNode') v = { '@id': `_:${o.value}` };
      else if (o.termType === 'Literal') v = o.language ? { '@value': o.value, '@language': o.language } : o.datatype.value === XSD_STRING ? { '@value': o.value } : { '@value': o.value, '@type': o.datatype.value };
      else continue;
      ((node[key] ??= []) as unknown[]).push(v);
    }
    graph.push(node);
  }
  return JSON.stringify({ '@context': prefixes, '@graph': graph });
}

const XML_SPECIAL = /[&<>"\r\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
// Control characters other than tab and line breaks cannot be written in XML 1.0 at all: dropped.
const escapeXml = (s: string) => (!XML_SPECIAL.test(s) ? s : s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r/g, '&#13;'));

/** RDF/XML: one rdf:Description per subject; namespaces for predicates not covered by the prefixes are added. */
export function toRdfXml(quads: Quad[], prefixes: Prefixes): string {
  const ns = new Map<string, string>(Object.entries({ rdf: RDF_NS, ...prefixes }).map(([p, n]) => [n, p]));
  const names = new Map<string, string>();
  const qname = (iri: string): string => {
    let n = names.get(iri);
    if (n === undefined) names.set(iri, (n = qnameOnce(iri)));
    return n;
  };
  const qnameOnce = (iri: string): string => {
    for (const [n, p] of ns) if (iri.startsWith(n) && /^[A-Za-z_][\w.-]*$/.test(iri.slice(n.length))) return `${p}:${iri.slice(n.length)}`;
    const m = /^(.*[#/])([A-Za-z_][\w.-]*)$/.exec(iri);
    if (!m) throw new Error(`The predicate <${iri}> cannot be written as an XML name.`);
    const p = `ns${ns.size}`;
    ns.set(m[1], p);
    return `${p}:${m[2]}`;
  };
  const body: string[] = [];
  for (const { subject, quads: qs } of bySubject(quads)) {
    body.push(subject.termType === 'BlankNode' ? `  <rdf:Description rdf:nodeID="${escapeXml(subject.value)}">` : `  <rdf:Description rdf:about="${escapeXml(subject.value)}">`);
    for (const q of qs) {
      const name = qname(q.predicate.value);
      const o = q.object;
      if (o.termType === 'NamedNode') body.push(`    <${name} rdf:resource="${escapeXml(o.value)}"/>`);
      else if (o.termType === 'BlankNode') body.push(`    <${name} rdf:nodeID="${escapeXml(o.value)}"/>`);
      else if (o.termType === 'Literal') {
        const attr = o.language ? ` xml:lang="${escapeXml(o.language)}"` : o.datatype.value === XSD_STRING ? '' : ` rdf:datatype="${escapeXml(o.datatype.value)}"`;
        body.push(`    <${name}${attr}>${escapeXml(o.value)}</${name}>`);
      }
    }
    body.push('  </rdf:Description>');
  }
  const decl = [...ns].map(([n, p]) => `\n    xmlns:${p}="${escapeXml(n)}"`).join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF${decl}>\n${body.join('\n')}\n</rdf:RDF>\n`;
}
