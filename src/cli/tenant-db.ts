// Opening the tenant directory or one tenant's database for a CLI command (--tenant KEY).
import type { Config } from '../config.ts';
import type { Database } from '../store/db.ts';
import { Tenants } from '../store/tenants.ts';

/**
 * Tenants live in schemas of a PostgreSQL server. The embedded engine serves exactly one
 * municipality (its data directory is the tenant), so tenant commands refuse it with this message
 * instead of emulating schemas there (decision 0035).
 */
export const TENANTS_NEED_SERVER =
  'tenants need a PostgreSQL server: set DATABASE_URL (the embedded database in the data directory holds exactly one municipality; see docs/tenants.md)';

export async function openTenantDirectory(
  c: Config,
  o: { max?: number; withReplicas?: boolean } = {},
): Promise<Tenants> {
  if (!c.databaseUrl) throw new Error(TENANTS_NEED_SERVER);
  // Commands work on the primary; only the server reads from replicas.
  return Tenants.open(c.databaseUrl, {
    max: o.max ?? 2,
    ...(o.withReplicas ? { replicaUrls: c.replicaUrls, replicas: c.replicas } : {}),
  });
}

/**
 * One tenant's database for one command: pending migrations of the tenant are applied first (as
 * every command does for the single database), and a tenant that is being set up is refused.
 */
export async function openTenantDatabase(
  c: Config,
  key: string,
  o: { withReplicas?: boolean } = {},
): Promise<Database> {
  const t = await openTenantDirectory(c, o);
  try {
    const row = await t.require(key);
    if (row.status === 'creating')
      throw new Error(`the tenant "${row.key}" is being set up; try again when tenants list shows it active`);
    await t.migrateTenant(row);
    return t.database(row, { ownsPool: true });
  } catch (e) {
    await t.close();
    throw e;
  }
}
