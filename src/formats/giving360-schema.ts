// Validation of a 360Giving data package against the standard's JSON schema (draft 2020-12), with
// Ajv. The schema files are not part of this code base: the caller names the folder that holds
// 360-giving-package-schema.json and 360-giving-schema.json (the tests use the copy in
// ../shared/data/standards/360giving-1.4; `measures import --schema DIR` any other).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Problem } from '../core/problems.ts';

export interface SchemaCheck {
  valid: boolean;
  problems: Problem[];
}

type Validate = ((doc: unknown) => boolean) & {
  errors?: { instancePath: string; message?: string; params?: unknown }[] | null;
};
const cache = new Map<string, Validate>();

/** A validator for 360Giving packages from the schema folder (compiled once per folder). */
function giving360Validator(dir: string): Validate {
  const hit = cache.get(dir);
  if (hit) return hit;
  const pkg = JSON.parse(readFileSync(join(dir, '360-giving-package-schema.json'), 'utf8')) as {
    $id?: string;
    properties: { grants: { items: { $ref: string } } };
  };
  const grant = JSON.parse(readFileSync(join(dir, '360-giving-schema.json'), 'utf8')) as { $id?: string };
  // The files name the meta-schema as http://json-schema.org/draft/2020-12/schema (not the
  // https id Ajv knows); they are draft 2020-12 all the same, so the meta reference is dropped.
  delete (pkg as { $schema?: string }).$schema;
  delete (grant as { $schema?: string }).$schema;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const addFormats = addFormatsModule as unknown as (a: Ajv2020) => void;
  addFormats(ajv);
  ajv.addSchema(grant);
  // The package refers to the grant schema by the URL of an earlier patch release.
  const ref = pkg.properties.grants.items.$ref;
  if (ref !== grant.$id) ajv.addSchema({ ...grant, $id: ref });
  const v = ajv.compile(pkg) as Validate;
  cache.set(dir, v);
  return v;
}

/** Checks a package; every schema error becomes a problem naming its JSON path. */
export function checkGiving360(doc: unknown, dir: string, file?: string): SchemaCheck {
  const v = giving360Validator(dir);
  const valid = v(doc);
  const problems: Problem[] = (v.errors ?? []).slice(0, 200).map((e) => ({
    severity: 'error',
    code: 'schema',
    file,
    column: e.instancePath || '/',
    reason: `360Giving schema: ${e.message ?? 'invalid'}`,
    value: e.params ? JSON.stringify(e.params).slice(0, 120) : undefined,
  }));
  return { valid, problems };
}
