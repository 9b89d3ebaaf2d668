// Writers of RDF: Turtle, JSON-LD and RDF/XML, written here for graphs of named nodes, blank
// nodes and literals, as the catalogue has them: a flat list of subjects needs no framing, and
// the tests read every output back with a full parser (n3, jsonld, rdfxml-streaming-parser) to
// the same graph.
import type { Quad, Term } from '@rdfjs/types';

export type Prefixes = Record<string, string>;

const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_NS = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

/**
 * A serialisation written in parts: `subjects` writes the statements of some quads (grouped by
 * subject), `document` puts such parts into one document. Parts written by serialisers of the
 * same format, prefixes and base may be kept and joined later: the catalogue keeps each
 * dataset's part, so that a page after an import re-renders only what changed.
 */
export interface RdfSerialiser {
  subjects(quads: Iterable<Quad>): string;
  document(parts: string[]): string;
}

export type RdfFormat = 'ttl' | 'jsonld' | 'rdf';

export function serialiser(format: RdfFormat, prefixes: Prefixes, base?: string): RdfSerialiser {
  if (format === 'ttl') return turtle(prefixes, base);
  if (format === 'jsonld') return jsonLd(prefixes);
  return rdfXml(prefixes);
}

/** Turtle; with `base`, IRIs under it are written relative to an `@base`. */
export function toTurtle(quads: Iterable<Quad>, prefixes: Prefixes, base?: string): string {
  const t = turtle(prefixes, base);
  return t.document([t.subjects(quads)]);
}

/**
 * Turtle, written here rather than with n3's writer (faster on a catalogue of 30,000 triples,
 * which the first request after an import pays for): one block per run of a subject, objects of
 * a repeated predicate joined with commas; relative IRIs make a catalogue a tenth smaller.
 */
function turtle(prefixes: Prefixes, base: string | undefined): RdfSerialiser {
  const baseIri = base === undefined ? undefined : base.endsWith('/') ? base : `${base}/`;
  const head = Object.entries(prefixes).map(([p, ns]) => `@prefix ${p}: ${iriRef(ns)} .`);
  if (baseIri !== undefined) head.unshift(`@base ${iriRef(baseIri)} .`);
  const names = new Map<string, string>();
  const name = (iri: string): string => {
    let n = names.get(iri);
    if (n === undefined) names.set(iri, (n = turtleName(iri, prefixes, baseIri)));
    return n;
  };
  const term = (t: Term): string => {
    if (t.termType === 'NamedNode') return name(t.value);
    // Labels are the quads' own: parts written apart must not rename a node they share.
    if (t.termType === 'BlankNode') {
      if (!/^[A-Za-z0-9_]+$/.test(t.value))
        throw new Error(`The blank node label ${JSON.stringify(t.value)} cannot be written in Turtle.`);
      return `_:${t.value}`;
    }
    if (t.termType === 'Literal') {
      const text = `"${escapeTurtleString(t.value)}"`;
      if (t.language) return `${text}@${t.language}`;
      return t.datatype.value === XSD_STRING ? text : `${text}^^${name(t.datatype.value)}`;
    }
    throw new Error(`A ${t.termType} cannot be written in a Turtle triple.`);
  };
  return {
    subjects(quads) {
      // Appending to one string: V8 keeps it as a rope, cheaper than an array of pieces to join.
      let out = '';
      let subject: Term | undefined;
      let predicate = '';
      for (const q of quads) {
        const p = q.predicate.value === RDF_TYPE ? 'a' : name(q.predicate.value);
        if (subject && subject.value === q.subject.value && subject.termType === q.subject.termType) {
          out += p === predicate ? `,\n        ${term(q.object)}` : ` ;\n    ${p} ${term(q.object)}`;
        } else {
          out += `${subject ? ' .\n' : ''}\n${term((subject = q.subject))} ${p} ${term(q.object)}`;
        }
        predicate = p;
      }
      return subject ? `${out} .\n` : out;
    },
    document: (parts) => `${head.join('\n')}\n${parts.join('')}`,
  };
}

/** Characters an IRIREF cannot hold as they are (Turtle 1.1, [18]). */
const IRI_SPECIAL = /[\u0000-\u0020<>"{}|^`\\]/g;
const IRI_SPECIAL_ONE = /[\u0000-\u0020<>"{}|^`\\]/;
const iriRef = (iri: string) =>
  IRI_SPECIAL_ONE.test(iri)
    ? `<${iri.replace(IRI_SPECIAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}>`
    : `<${iri}>`;

/** A local name that needs no escapes (a conservative subset of PN_LOCAL: no trailing dot). */
const PLAIN_LOCAL = /^[A-Za-z_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;

function turtleName(iri: string, prefixes: Prefixes, base: string | undefined): string {
  for (const [p, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && PLAIN_LOCAL.test(iri.slice(ns.length))) return `${p}:${iri.slice(ns.length)}`;
  }
  if (base !== undefined && iri.startsWith(base)) {
    const rest = iri.slice(base.length);
    if (resolvesBack(rest)) return iriRef(rest);
  }
  return iriRef(iri);
}

/**
 * Whether a reference, resolved against a base ending in "/" (RFC 3986, 5.2), gives the base
 * followed by it again: not when its first segment looks like a scheme, it starts with "/", or
 * its path has dot segments (which resolution removes).
 */
function resolvesBack(rest: string): boolean {
  if (rest.startsWith('/') || /^[^/?#]*:/.test(rest)) return false;
  const path = rest.split(/[?#]/, 1)[0];
  return !path.split('/').some((seg) => seg === '.' || seg === '..');
}

/** STRING_LITERAL_QUOTE: quote, backslash and line breaks escaped, other control characters as \u. */
const TURTLE_STRING_SPECIAL = /["\\\u0000-\u001F\u007F]/;
function escapeTurtleString(s: string): string {
  if (!TURTLE_STRING_SPECIAL.test(s)) return s;
  return s.replace(/["\\\u0000-\u001F\u007F]/g, (c) => {
    if (c === '"') return '\\"';
    if (c === '\\') return '\\\\';
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * Runs of quads with the same subject, as they come. A subject in two runs is written twice,
 * which every format allows (the statements merge); the catalogue's quads come grouped, so each
 * subject is one run.
 */
function* bySubject(quads: Iterable<Quad>): Generator<{ subject: Term; quads: Quad[] }> {
  let run: { subject: Term; quads: Quad[] } | undefined;
  for (const q of quads) {
    if (!run || run.subject.value !== q.subject.value || run.subject.termType !== q.subject.termType) {
      if (run) yield run;
      run = { subject: q.subject, quads: [] };
    }
    run.quads.push(q);
  }
  if (run) yield run;
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
    if (iri.startsWith(ns) && iri.length > ns.length && /^[A-Za-z_][\w.-]*$/.test(iri.slice(ns.length)))
      return `${p}:${iri.slice(ns.length)}`;
  }
  return iri;
}

/** JSON-LD: one node object per subject in @graph; property names and types compacted by the prefixes. */
export function toJsonLd(quads: Iterable<Quad>, prefixes: Prefixes): string {
  const j = jsonLd(prefixes);
  return j.document([j.subjects(quads)]);
}

function jsonLd(prefixes: Prefixes): RdfSerialiser {
  const seen = new Map<string, string>();
  const context = JSON.stringify(prefixes);
  return {
    subjects(quads) {
      const nodes: string[] = [];
      for (const { subject, quads: qs } of bySubject(quads)) {
        const node: Record<string, unknown> = {
          '@id': subject.termType === 'BlankNode' ? `_:${subject.value}` : subject.value,
        };
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
          else if (o.termType === 'Literal')
            v = o.language
              ? { '@value': o.value, '@language': o.language }
              : o.datatype.value === XSD_STRING
                ? { '@value': o.value }
                : { '@value': o.value, '@type': o.datatype.value };
          else continue;
          ((node[key] ??= []) as unknown[]).push(v);
        }
        nodes.push(JSON.stringify(node));
      }
      return nodes.join(',');
    },
    document: (parts) => `{"@context":${context},"@graph":[${parts.filter((x) => x !== '').join(',')}]}`,
  };
}

const XML_SPECIAL = /[&<>"\r\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
// Control characters other than tab and line breaks cannot be written in XML 1.0 at all: dropped.
const escapeXml = (s: string) =>
  !XML_SPECIAL.test(s)
    ? s
    : s
        .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/\r/g, '&#13;');

/** RDF/XML: one rdf:Description per subject. */
export function toRdfXml(quads: Iterable<Quad>, prefixes: Prefixes): string {
  const x = rdfXml(prefixes);
  return x.document([x.subjects(quads)]);
}

/**
 * The root declares rdf and the prefixes; a predicate outside them declares its namespace on
 * its own element, so that every part stands alone.
 */
function rdfXml(prefixes: Prefixes): RdfSerialiser {
  const ns = new Map<string, string>(Object.entries({ rdf: RDF_NS, ...prefixes }).map(([p, n]) => [n, p]));
  const names = new Map<string, { open: string; close: string }>();
  const element = (iri: string): { open: string; close: string } => {
    let n = names.get(iri);
    if (n === undefined) names.set(iri, (n = elementOnce(iri)));
    return n;
  };
  const elementOnce = (iri: string): { open: string; close: string } => {
    for (const [n, p] of ns)
      if (iri.startsWith(n) && /^[A-Za-z_][\w.-]*$/.test(iri.slice(n.length)))
        return { open: `${p}:${iri.slice(n.length)}`, close: `${p}:${iri.slice(n.length)}` };
    const m = /^(.*[#/])([A-Za-z_][\w.-]*)$/.exec(iri);
    if (!m) throw new Error(`The predicate <${iri}> cannot be written as an XML name.`);
    return { open: `ns:${m[2]} xmlns:ns="${escapeXml(m[1])}"`, close: `ns:${m[2]}` };
  };
  const decl = [...ns].map(([n, p]) => `\n    xmlns:${p}="${escapeXml(n)}"`).join('');
  return {
    subjects(quads) {
      const body: string[] = [];
      for (const { subject, quads: qs } of bySubject(quads)) {
        body.push(
          subject.termType === 'BlankNode'
            ? `  <rdf:Description rdf:nodeID="${escapeXml(subject.value)}">`
            : `  <rdf:Description rdf:about="${escapeXml(subject.value)}">`,
        );
        for (const q of qs) {
          const { open, close } = element(q.predicate.value);
          const o = q.object;
          if (o.termType === 'NamedNode') body.push(`    <${open} rdf:resource="${escapeXml(o.value)}"/>`);
          else if (o.termType === 'BlankNode') body.push(`    <${open} rdf:nodeID="${escapeXml(o.value)}"/>`);
          else if (o.termType === 'Literal') {
            const attr = o.language
              ? ` xml:lang="${escapeXml(o.language)}"`
              : o.datatype.value === XSD_STRING
                ? ''
                : ` rdf:datatype="${escapeXml(o.datatype.value)}"`;
            body.push(`    <${open}${attr}>${escapeXml(o.value)}</${close}>`);
          }
        }
        body.push('  </rdf:Description>');
      }
      return body.length ? `${body.join('\n')}\n` : '';
    },
    document: (parts) => `<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF${decl}>\n${parts.join('')}</rdf:RDF>\n`,
  };
}
