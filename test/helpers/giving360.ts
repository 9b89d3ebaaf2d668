// The 360Giving 1.4 JSON schema, read from ../shared/data/standards/360giving-1.4 (never copied
// into the repository); tests that validate against it skip, naming it, when it is absent.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SCHEMA_DIR = resolve(
  fileURLToPath(new URL('../..', import.meta.url)),
  '..',
  'shared',
  'data',
  'standards',
  '360giving-1.4',
);
export const SCHEMA_MISSING = existsSync(SCHEMA_DIR)
  ? undefined
  : `needs the 360Giving schema at ${SCHEMA_DIR} (../shared/data/standards/360giving-1.4)`;
