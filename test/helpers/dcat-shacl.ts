// Validation of the DCAT-AP.de catalogue against the published SHACL shapes of DCAT-AP.de 2.0,
// offline: the shapes are read from the shared standards folder beside the repository (never
// copied into it); the remote vocabularies the shapes import are stood in for by the few entries
// the catalogue uses (VOCABULARY below), added to the data graph as an owl:imports would.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser, Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import type { Quad } from '@rdfjs/types';
import { RdfXmlParser } from 'rdfxml-streaming-parser';

/** The shapes folder: ../shared/data/standards/dcat-ap-de-2.0 from the repository root. */
export const SHAPES_DIR = resolve(
  fileURLToPath(new URL('../..', import.meta.url)),
  '..',
  'shared',
  'data',
  'standards',
  'dcat-ap-de-2.0',
);
export const SHAPES_MISSING = existsSync(SHAPES_DIR)
  ? undefined
  : `needs the DCAT-AP.de 2.0 SHACL shapes at ${SHAPES_DIR} (../shared/data/standards/dcat-ap-de-2.0)`;

/** The profiles of the shapes' README: which files make up each. */
export const PROFILES = {
  spezifikation: [
    'dcat-ap-de-imports.ttl',
    'dcat-ap-spec-german-messages.ttl',
    'dcat-ap-spec-german-additions.ttl',
    'dcat-ap-de-deprecated.ttl',
    'dcat-ap_2.1.1_shacl_shapes.ttl',
  ],
  konventionen: [
    'dcat-ap-de-imports.ttl',
    'dcat-ap-spec-german-messages.ttl',
    'dcat-ap-spec-german-additions.ttl',
    'dcat-ap-de-deprecated.ttl',
    'dcat-ap-konventionen.ttl',
    'dcat-ap_2.1.1_shacl_shapes.ttl',
  ],
} as const;
export type Profile = keyof typeof PROFILES;

/** The test's municipality (Köln, AGS 05315000) and a contributor ID standing in for the one GovData assigns. */
export const TEST_KEY = '05315000';
export const TEST_CONTRIBUTOR = 'http://dcat-ap.de/def/contributors/kommunalmonitorTest';

const concepts = (scheme: string, ids: string[]) =>
  ids.map((id) => `<${scheme}/${id}> a skos:Concept ; skos:prefLabel "${id}" ; skos:inScheme <${scheme}> .`).join('\n');
const EU = 'http://publications.europa.eu/resource/authority';

/** Entries of the controlled vocabularies (public URIs) that the catalogue uses. */
export const VOCABULARY = `@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
${concepts('http://dcat-ap.de/def/licenses', ['dl-by-de/2.0', 'dl-zero-de/2.0', 'cc-by/4.0', 'cc-zero'])}
${concepts(`${EU}/file-type`, ['CSV', 'XLSX', 'JSON', 'GEOJSON'])}
${concepts(`${EU}/language`, ['DEU'])}
${concepts(`${EU}/data-theme`, ['AGRI', 'ECON', 'EDUC', 'ENER', 'ENVI', 'GOVE', 'HEAL', 'INTR', 'JUST', 'REGI', 'SOCI', 'TECH', 'TRAN'])}
${concepts(`${EU}/frequency`, ['DAILY', 'MONTHLY', 'QUARTERLY', 'ANNUAL', 'IRREG'])}
${concepts('http://dcat-ap.de/def/politicalGeocoding/municipalityKey', [TEST_KEY])}
${concepts('http://dcat-ap.de/def/politicalGeocoding/regionalKey', ['053150000000'])}
${concepts('http://dcat-ap.de/def/politicalGeocoding/Level', ['municipality'])}
${concepts('http://dcat-ap.de/def/contributors', [TEST_CONTRIBUTOR.split('/').pop()!])}
`;

export function parseTurtle(text: string, baseIRI?: string): Quad[] {
  return new Parser({ baseIRI }).parse(text) as Quad[];
}

const shapes = new Map<Profile, Quad[]>();
function shapesOf(profile: Profile): Quad[] {
  let s = shapes.get(profile);
  if (!s)
    shapes.set(profile, (s = PROFILES[profile].flatMap((f) => parseTurtle(readFileSync(join(SHAPES_DIR, f), 'utf8')))));
  return s;
}

export interface Finding {
  severity: string;
  focus: string;
  path: string;
  message: string;
  shape: string;
}

/** The validation results of the data with the vocabulary fixture, by severity (Violation, Warning, Info). */
export async function validate(
  data: Quad[],
  profile: Profile,
): Promise<{ violations: Finding[]; warnings: Finding[]; infos: Finding[] }> {
  const validator = new SHACLValidator(new Store(shapesOf(profile)), { importGraph: () => new Store() });
  const report = await validator.validate(new Store([...data, ...parseTurtle(VOCABULARY)]));
  const all: Finding[] = report.results.map((r) => ({
    severity: r.severity?.value.split('#').pop() ?? '?',
    focus: r.focusNode?.value ?? '?',
    path: r.path?.value ?? '',
    message: r.message.map((m) => m.value).join(' / '),
    shape: r.sourceShape?.value ?? '',
  }));
  return {
    violations: all.filter((f) => f.severity === 'Violation'),
    warnings: all.filter((f) => f.severity === 'Warning'),
    infos: all.filter((f) => f.severity === 'Info'),
  };
}

export function describeFindings(fs: Finding[]): string {
  return fs.map((f) => `- [${f.severity}] ${f.focus} ${f.path}: ${f.message} (${f.shape})`).join('\n');
}

/** The quads of an RDF/XML document, read by a parser that is not the writer's. */
export function fromRdfXml(text: string): Promise<Quad[]> {
  const parser = new RdfXmlParser();
  const out: Quad[] = [];
  return new Promise((resolve, reject) => {
    parser.on('data', (q: Quad) => out.push(q));
    parser.on('error', reject);
    parser.on('end', () => resolve(out));
    parser.end(text);
  });
}
