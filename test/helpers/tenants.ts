// Tenants on the test PostgreSQL server: each test file works on tenants of its own random keys
// and removes their schemas afterwards; the shared directory schema is shared by all.
import { randomBytes } from 'node:crypto';
import { REQUIRE_COMPONENTS } from './db.ts';
import { Tenants } from '../../src/store/tenants.ts';
import type { Migration } from '../../src/store/migrate.ts';
import type { Database } from '../../src/store/db.ts';
import { SYSTEM } from '../../src/core/access.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { addDistrictsAndDepartments, addUsers } from './roles.ts';
import type { tempDir } from './files.ts';

export const TENANT_MISSING = process.env.TEST_DATABASE_URL
  ? undefined
  : 'needs a PostgreSQL server: set TEST_DATABASE_URL (CI does)';

/** Options for describe(): skip naming the missing server, or under CI run and fail. */
export function tenantGate(): { skip?: string } {
  if (!TENANT_MISSING) return {};
  return REQUIRE_COMPONENTS ? {} : { skip: TENANT_MISSING };
}

export async function openTenants(o: { migrations?: Migration[] } = {}): Promise<Tenants> {
  if (TENANT_MISSING) throw new Error(`Missing component: ${TENANT_MISSING}`);
  return Tenants.open(process.env.TEST_DATABASE_URL!, o);
}

/** A tenant key no other test run uses: prefix and random letters. */
export function uniqueKey(prefix: string): string {
  return `${prefix}${randomBytes(4)
    .toString('hex')
    .replace(/^[0-9]/, 'x')}`;
}

/** Removes the given tenants (schema and directory entry) without the export rule: test clean-up. */
export async function dropTenants(t: Tenants, keys: string[]): Promise<void> {
  for (const key of keys) {
    const row = await t.get(key);
    if (!row) continue;
    await t.shared.exec(`DROP SCHEMA IF EXISTS ${row.schema} CASCADE`);
    await t.shared.query('DELETE FROM tenant WHERE key = $1', [key]);
  }
}

/**
 * A small city: districts 01 and 02, departments, the role users, a public indicator and an
 * internal one whose name and values carry the marker (text only this tenant has).
 */
export async function fillSmallCity(
  db: Database,
  tmp: ReturnType<typeof tempDir>,
  marker: string,
  value: number,
): Promise<void> {
  await addDistrictsAndDepartments(db, tmp);
  await importCatalogue(db, [
    {
      key: 'einwohner',
      name: 'Einwohner',
      unit: 'Personen',
      type: 'count',
      owner: 'statistik',
      confidentiality: 'public',
    },
    {
      key: `intern_${marker.toLowerCase()}`,
      name: `Intern ${marker}`,
      unit: 'Fälle',
      type: 'count',
      owner: 'soziales',
      confidentiality: 'internal',
      description: `Nur für ${marker}`,
    },
  ]);
  const rows = [
    'indicator;area;period;value',
    `einwohner;01;2023;${value}`,
    `einwohner;02;2023;${value + 1}`,
    `intern_${marker.toLowerCase()};01;2023;${value + 2}`,
  ];
  await importObservations(db, tmp.file(`o_${marker}.csv`, rows.join('\n')), { principal: SYSTEM });
  await addUsers(db);
}
