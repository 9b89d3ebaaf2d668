// Plain RDF/JS terms and quads (https://rdf.js.org/data-model-spec/): fields, not getters, so
// that writers read them cheaply. n3's own terms parse their value, language and datatype out of
// one id string at each access and make a new datatype node each time — costly for the tens of
// thousands of triples of a catalogue.
import type {
  BlankNode,
  DefaultGraph,
  Literal,
  NamedNode,
  Quad,
  Quad_Object,
  Quad_Predicate,
  Quad_Subject,
  Term,
} from '@rdfjs/types';

const sameTerm = (a: Term, b: Term | null | undefined): boolean => {
  if (!b || a.termType !== b.termType || a.value !== b.value) return false;
  if (a.termType === 'Literal')
    return a.language === (b as Literal).language && a.datatype.value === (b as Literal).datatype.value;
  return true;
};

class Named implements NamedNode {
  readonly termType = 'NamedNode' as const;
  constructor(readonly value: string) {}
  equals(other: Term | null | undefined): boolean {
    return sameTerm(this, other);
  }
}

class Blank implements BlankNode {
  readonly termType = 'BlankNode' as const;
  constructor(readonly value: string) {}
  equals(other: Term | null | undefined): boolean {
    return sameTerm(this, other);
  }
}

const XSD_STRING = new Named('http://www.w3.org/2001/XMLSchema#string');
const LANG_STRING = new Named('http://www.w3.org/1999/02/22-rdf-syntax-ns#langString');

class Lit implements Literal {
  readonly termType = 'Literal' as const;
  constructor(
    readonly value: string,
    readonly language: string,
    readonly datatype: NamedNode,
  ) {}
  readonly direction = undefined;
  equals(other: Term | null | undefined): boolean {
    return sameTerm(this, other);
  }
}

const DEFAULT_GRAPH: DefaultGraph = {
  termType: 'DefaultGraph',
  value: '',
  equals: (o) => !!o && o.termType === 'DefaultGraph',
};

class Triple implements Quad {
  readonly termType = 'Quad' as const;
  readonly value = '';
  readonly graph = DEFAULT_GRAPH;
  constructor(
    readonly subject: Quad_Subject,
    readonly predicate: Quad_Predicate,
    readonly object: Quad_Object,
  ) {}
  equals(other: Term | null | undefined): boolean {
    if (!other || other.termType !== 'Quad') return false;
    const q = other as Quad;
    return (
      sameTerm(this.subject, q.subject) &&
      sameTerm(this.predicate, q.predicate) &&
      sameTerm(this.object, q.object) &&
      q.graph.termType === 'DefaultGraph'
    );
  }
}

export const terms = {
  namedNode: (iri: string): NamedNode => new Named(iri),
  blankNode: (id: string): BlankNode => new Blank(id),
  /** A literal: with a language tag (a string) or a datatype (a named node); plain strings otherwise. */
  literal: (value: string, langOrType?: string | NamedNode): Literal =>
    typeof langOrType === 'string'
      ? new Lit(value, langOrType.toLowerCase(), LANG_STRING)
      : new Lit(value, '', langOrType ?? XSD_STRING),
  quad: (s: Quad_Subject, p: Quad_Predicate, o: Quad_Object): Quad => new Triple(s, p, o),
};
