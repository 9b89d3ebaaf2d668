// `kommunalmonitor [--tenant KEY] provider-access grant|revoke|list`: the municipality lets an
// administrator of its IT provider read its data for a time, and ends that (decision 0044).
import type { Command } from 'commander';
import type { Database } from '../store/db.ts';
import { SYSTEM } from '../core/access.ts';
import { table } from './table-output.ts';

export interface ProviderAccessCommandContext {
  withDb: <T>(fn: (db: Database) => Promise<T>) => Promise<T>;
  out: (s: string) => void;
  json: () => boolean;
}

export function registerProviderAccessCommands(program: Command, ctx: ProviderAccessCommandContext): void {
  const { withDb, out, json } = ctx;
  const group = program
    .command('provider-access')
    .description("provider administrators' access to this municipality's data (with --tenant KEY: that tenant's)");
  const load = () => import('../services/provider-access.ts');

  group
    .command('grant')
    .argument('<admin>', "the provider administrator's name (kommunalmonitor tenants admins list)")
    .requiredOption('--until <date>', 'last day of the grant, YYYY-MM-DD, at most 90 days ahead')
    .option('--role <role>', 'viewer or analyst', 'viewer')
    .description(
      'let a provider administrator read this data until a day (a day’s API token from the provider API, audited)',
    )
    .action(async (admin: string, o: { until: string; role: string }) => {
      const g = await withDb(async (db) =>
        (await load()).grantProviderAccess(db, SYSTEM, { admin, role: o.role, until: o.until }),
      );
      out(
        json()
          ? JSON.stringify(g, null, 2) + '\n'
          : `Granted "${g.admin}" ${g.role} access until ${g.until} (inclusive).\n`,
      );
    });

  group
    .command('revoke')
    .argument('<admin>', "the provider administrator's name")
    .description('end the access at once (its tokens stop working)')
    .action(async (admin: string) => {
      await withDb(async (db) => (await load()).revokeProviderAccess(db, SYSTEM, admin));
      out(json() ? JSON.stringify({ revoked: admin }) + '\n' : `Access of "${admin}" ended.\n`);
    });

  group
    .command('list')
    .description('the grants, current and ended')
    .action(async () => {
      const rows = await withDb(async (db) => (await load()).listProviderAccess(db, SYSTEM));
      if (json()) out(JSON.stringify(rows, null, 2) + '\n');
      else if (!rows.length) out('No provider administrator has access.\n');
      else
        out(
          table(
            ['admin', 'role', 'until', 'in force', 'granted by', 'granted at'],
            rows.map((r) => [r.admin, r.role, r.until, r.current ? 'yes' : 'no', r.grantedBy, r.grantedAt]),
          ),
        );
    });
}
