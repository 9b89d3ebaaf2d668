// `kommunalmonitor comparison …`: the comparison between municipalities (docs/comparison.md). The
// standard catalogue is the provider's (no --tenant); map, opt-in, publish and withdraw work on
// one tenant (--tenant KEY). Like the tenants, the comparison needs a PostgreSQL server.
import type { Command } from 'commander';
import { table } from './table-output.ts';
import type { Tenants } from '../store/tenants.ts';
import type { Database } from '../store/db.ts';
import type { ComparisonContext } from '../services/comparison.ts';
import { formatProblem } from '../core/problems.ts';

export interface ComparisonCommandContext {
  withTenants: <T>(fn: (t: Tenants) => Promise<T>) => Promise<T>;
  /** The global --tenant option. */
  tenant: () => string | undefined;
  print: (human: string, data: unknown) => void;
  err: (s: string) => void;
}

export function registerComparisonCommands(program: Command, ctx: ComparisonCommandContext): void {
  const { withTenants, print, err } = ctx;
  /** The tenant of --tenant (migrated first, as every command does), its database and its place in the comparison store. */
  const withTenant = <T>(verb: string, fn: (c: ComparisonContext, db: Database) => Promise<T>): Promise<T> => {
    const key = ctx.tenant();
    if (key === undefined)
      throw new Error(
        `comparison ${verb} works on one municipality: give it with --tenant KEY (e.g. kommunalmonitor --tenant musterstadt comparison ${verb})`,
      );
    return withTenants(async (t) => {
      const row = await t.require(key);
      if (row.status === 'creating')
        throw new Error(`the tenant "${row.key}" is being set up; try again when tenants list shows it active`);
      await t.migrateTenant(row);
      return fn(
        { shared: t.shared, tenant: { key: row.key, name: row.name, officialKey: row.officialKey } },
        t.database(row),
      );
    });
  };
  const group = program
    .command('comparison')
    .description(
      'comparison between municipalities (PostgreSQL server with tenants): standard indicators, mapping, opt-in, publish, withdraw',
    );
  const standards = group.command('standards').description('the shared catalogue of standard indicators (provider)');
  standards
    .command('import')
    .argument(
      '[file]',
      'JSON (an array of standard indicators) or CSV with the columns key, nameDe, nameEn, unit, type, definition, basis, polarity, decimals (default: the shipped starter set)',
    )
    .description('add or update standard indicators (all or nothing)')
    .action(async (given: string | undefined) => {
      const { readStandardsFile, importStandards } = await import('../services/comparison.ts');
      const { STARTER_STANDARDS_FILE } = await import('../core/comparison/model.ts');
      const { fileURLToPath } = await import('node:url');
      const file = given ?? fileURLToPath(STARTER_STANDARDS_FILE);
      const list = await readStandardsFile(file);
      await withTenants(async (t) => {
        const r = await importStandards(t.shared, list);
        print(`Imported ${r.imported} standard indicator(s) from ${file}.`, r);
      });
    });
  standards
    .command('list')
    .description('the standard indicators, with how many municipalities publish each')
    .action(async () => {
      const { listStandards } = await import('../services/comparison.ts');
      await withTenants(async (t) => {
        const { standards: list } = await listStandards(t.shared);
        print(
          list.length
            ? table(
                ['key', 'name', 'unit', 'type', 'basis', 'municipalities'],
                list.map((s) => [s.key, s.nameDe, s.unit, s.type, s.basis, String(s.municipalities)]),
              )
            : 'No standard indicators yet (kommunalmonitor comparison standards import FILE).',
          list,
        );
      });
    });
  group
    .command('map')
    .argument('[standard]', 'standard indicator key')
    .argument('[indicator]', 'the municipality’s own indicator (public, of the same type)')
    .option('--remove', 'remove the mapping of the standard')
    .option('--demo', 'map the starter set’s standards to the demo city’s indicators (tenants add --demo)')
    .description('use one of the municipality’s indicators for a standard indicator (--tenant KEY)')
    .action(
      async (standard: string | undefined, indicator: string | undefined, o: { remove?: boolean; demo?: boolean }) => {
        const { mapStandard, unmapStandard } = await import('../services/comparison.ts');
        await withTenant('map', async (c, db) => {
          if (o.demo) {
            const { DEMO_MAPPINGS } = await import('../core/comparison/model.ts');
            const done: { standard: string; indicator: string }[] = [];
            for (const [std, ind] of Object.entries(DEMO_MAPPINGS)) done.push(await mapStandard(c, db, std, ind));
            return print(
              `${c.tenant.key}: mapped ${done.length} standard indicator(s) to the demo city’s indicators.`,
              { tenant: c.tenant.key, mappings: done },
            );
          }
          if (!standard) throw new Error('comparison map STANDARD INDICATOR: the standard is missing (or use --demo)');
          if (o.remove) {
            await unmapStandard(c, standard);
            return print(`"${standard}" is no longer mapped in ${c.tenant.key}.`, {
              tenant: c.tenant.key,
              standard,
              removed: true,
            });
          }
          if (!indicator)
            throw new Error('comparison map STANDARD INDICATOR: the indicator is missing (or use --remove)');
          const r = await mapStandard(c, db, standard, indicator);
          for (const w of r.warnings) err(formatProblem(w) + '\n');
          print(`${c.tenant.key}: "${standard}" is "${indicator}".`, { tenant: c.tenant.key, ...r });
        });
      },
    );
  group
    .command('mappings')
    .description('the municipality’s mappings and opt-in (--tenant KEY)')
    .action(async () => {
      const { listMappings } = await import('../services/comparison.ts');
      await withTenant('mappings', async (c) => {
        const r = await listMappings(c);
        const opt = r.participation
          ? `Opted in (territory layer ${r.participation.territoryLayer}${r.participation.districtsLayer ? `, districts layer ${r.participation.districtsLayer}` : ''}); last published ${r.participation.lastPublishedAt ?? 'never'}.`
          : 'Not opted in.';
        print(
          `${
            r.mappings.length
              ? table(
                  ['standard', 'indicator'],
                  r.mappings.map((m) => [m.standard, m.indicator]),
                )
              : 'No mappings yet.'
          }\n${opt}`,
          r,
        );
      });
    });
  group
    .command('opt-in')
    .option(
      '--districts <layer>',
      'publish the values of this layer’s areas (e.g. stadtbezirk) besides the whole territory',
    )
    .option(
      '--territory-layer <layer>',
      'the layer of the whole territory (default: the hierarchical layer without parent with the fewest areas)',
    )
    .description(
      'agree to publish the municipality’s public values into the comparison store (--tenant KEY); then comparison publish',
    )
    .action(async (o: { districts?: string; territoryLayer?: string }) => {
      const { optIn } = await import('../services/comparison.ts');
      await withTenant('opt-in', async (c, db) => {
        const r = await optIn(c, db, { districts: o.districts, territory: o.territoryLayer });
        print(
          `${c.tenant.key} takes part in the comparison (territory layer ${r.territoryLayer}${r.districtsLayer ? `, districts layer ${r.districtsLayer}` : ''}); publish with: kommunalmonitor --tenant ${c.tenant.key} comparison publish`,
          r,
        );
      });
    });
  group
    .command('publish')
    .description(
      'replace the municipality’s values in the comparison store by its current public values (--tenant KEY)',
    )
    .action(async () => {
      const { publishComparison } = await import('../services/comparison.ts');
      await withTenant('publish', async (c, db) => {
        const r = await publishComparison(c, db);
        const statuses = Object.entries(r.byStatus)
          .map(([s, n]) => `${n} ${s}`)
          .join(', ');
        print(
          `Published ${r.values} value(s) of ${r.standards.length} standard indicator(s) for ${r.tenant}${statuses ? ` (${statuses})` : ''}${r.missing ? `; ${r.missing} period(s) without a value were left out` : ''}.`,
          r,
        );
      });
    });
  group
    .command('withdraw')
    .description('remove the municipality’s values from the comparison store and end its opt-in (--tenant KEY)')
    .action(async () => {
      const { withdrawComparison } = await import('../services/comparison.ts');
      await withTenant('withdraw', async (c) => {
        const r = await withdrawComparison(c);
        print(`Withdrew ${r.tenant} from the comparison: ${r.removed} value(s) removed.`, r);
      });
    });
}
