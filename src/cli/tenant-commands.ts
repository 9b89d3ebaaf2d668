// `kommunalmonitor tenants …`: the provider's administration of many municipalities in one
// installation (docs/tenants.md). Tenants need a PostgreSQL server; the embedded engine holds one
// municipality, and these commands say so instead of creating anything.
import type { Command } from 'commander';
import { table } from './table-output.ts';
import type { Tenants } from '../store/tenants.ts';
import type { Database } from '../store/db.ts';
import { readPassword } from './password-prompt.ts';

export interface TenantCommandContext {
  /** Opens the tenant directory on DATABASE_URL for one command (refuses without a server). */
  withTenants: <T>(fn: (t: Tenants) => Promise<T>) => Promise<T>;
  print: (human: string, data: unknown) => void;
  err: (s: string) => void;
  /** Opens the embedded database of --data-dir (whatever DATABASE_URL says). */
  withEmbeddedDb: <T>(fn: (db: Database) => Promise<T>) => Promise<T>;
}

export function registerTenantCommands(program: Command, ctx: TenantCommandContext): void {
  const { withTenants, withEmbeddedDb, print, err } = ctx;
  const group = program
    .command('tenants')
    .description('many municipalities in one installation (PostgreSQL server only): add, list, export, import, remove');

  group
    .command('add')
    .argument(
      '<key>',
      'tenant key: lower-case letters and digits, single hyphens inside (e.g. musterstadt); used in host names and /t/KEY/',
    )
    .requiredOption('--name <name>', 'name, e.g. "Stadt Musterstadt"')
    .option('--ags <key>', 'official key: AGS (8 digits) or ARS (12 digits)')
    .option('--demo', 'fill the new tenant with the demo city "Musterstadt"')
    .description('create a tenant: its schema with every migration (and the demo city with --demo)')
    .action(async (key: string, o: { name: string; ags?: string; demo?: boolean }) => {
      await withTenants(async (t) => {
        const started = Date.now();
        const fill = o.demo
          ? async (db: Parameters<NonNullable<Parameters<Tenants['add']>[1]>>[0]) => {
              const { loadDemo } = await import('../services/demo.ts');
              await loadDemo(db, { dailyUntil: '2024-12-31', log: (m) => err(m + '\n') });
            }
          : undefined;
        const row = await t.add({ key, name: o.name, officialKey: o.ags }, fill);
        print(
          `Added tenant "${row.key}" (${row.name}) in schema ${row.schema}, schema version ${row.schemaVersion}, in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
          row,
        );
      });
    });

  group
    .command('list')
    .description('the tenants with status and schema version')
    .action(async () => {
      await withTenants(async (t) => {
        const rows = await t.list();
        const shown = rows.map((r) => ({ ...r, served: t.unavailable(r) === undefined }));
        print(
          rows.length
            ? table(
                ['key', 'name', 'official key', 'status', 'schema', 'served', 'last export', 'problem'],
                shown.map((r) => [
                  r.key,
                  r.name,
                  r.officialKey ?? '',
                  r.status,
                  `${r.schemaVersion}/${t.schemaVersion}`,
                  r.served ? 'yes' : 'no',
                  r.lastExportAt ? r.lastExportAt.slice(0, 19) : '',
                  r.migrationError ?? '',
                ]),
              )
            : 'No tenants yet (kommunalmonitor tenants add KEY --name NAME).',
          shown,
        );
      });
    });

  group
    .command('export')
    .argument('<key>', 'tenant key')
    .requiredOption('--output <file>', 'the export file (gzip-compressed when it ends in .gz)')
    .description('write a complete, restorable dump of one tenant (every table of its schema and the schema version)')
    .action(async (key: string, o: { output: string }) => {
      await withTenants(async (t) => {
        const r = await t.export(key, o.output);
        print(`Exported tenant "${key}": ${r.tables} tables, ${r.rows} rows to ${o.output}.`, {
          key,
          file: o.output,
          ...r,
        });
      });
    });

  group
    .command('export-embedded')
    .requiredOption('--key <key>', 'the key the municipality gets as a tenant')
    .requiredOption('--name <name>', 'its name, e.g. "Stadt Musterstadt"')
    .option('--ags <key>', 'official key: AGS (8 digits) or ARS (12 digits)')
    .requiredOption('--output <file>', 'the export file (gzip-compressed when it ends in .gz)')
    .description(
      'write the embedded database of --data-dir as a tenant export, for tenants import on a server (needs no server)',
    )
    .action(async (o: { key: string; name: string; ags?: string; output: string }) => {
      const { exportEmbedded } = await import('../store/tenants.ts');
      await withEmbeddedDb(async (db) => {
        const r = await exportEmbedded(db, o.output, { key: o.key, name: o.name, officialKey: o.ags });
        print(
          `Exported the embedded database as tenant "${o.key}": ${r.tables} tables, ${r.rows} rows to ${o.output}; on the server: kommunalmonitor tenants import ${o.output}`,
          { key: o.key, file: o.output, ...r },
        );
      });
    });

  group
    .command('import')
    .argument('<file>', 'an export written by tenants export')
    .option('--key <key>', 'the new tenant’s key (default: the exported tenant’s)')
    .option('--name <name>', 'the new tenant’s name (default: the exported tenant’s)')
    .description('restore an export as a new tenant (migrated to this release)')
    .action(async (file: string, o: { key?: string; name?: string }) => {
      await withTenants(async (t) => {
        const row = await t.import(file, o);
        print(
          `Imported tenant "${row.key}" (${row.name}) into schema ${row.schema}, schema version ${row.schemaVersion}.`,
          row,
        );
      });
    });

  group
    .command('remove')
    .argument('<key>', 'tenant key')
    .description('drop a tenant and all its data; refused unless its current state has been exported (tenants export)')
    .action(async (key: string) => {
      await withTenants(async (t) => {
        const r = await t.remove(key);
        print(`Removed tenant "${key}"; its last export is ${r.exportFile}.`, { removed: key, ...r });
      });
    });

  for (const [verb, status, what] of [
    ['suspend', 'suspended', 'stop serving a tenant (requests answer 503), e.g. before its final export'],
    ['resume', 'active', 'serve a suspended tenant again'],
  ] as const) {
    group
      .command(verb)
      .argument('<key>', 'tenant key')
      .description(what)
      .action(async (key: string) => {
        await withTenants(async (t) => {
          await t.setStatus(key, status);
          print(`Tenant "${key}" is ${status}.`, { key, status });
        });
      });
  }

  group
    .command('migrate')
    .argument('[keys...]', 'only these tenants (default: every tenant)')
    .description(
      'apply pending migrations to every tenant (resumable; a failing tenant is reported and the others go on)',
    )
    .action(async (keys: string[]) => {
      await withTenants(async (t) => {
        const report = await t.migrateAll({ log: (m) => err(m + '\n'), keys: keys.length ? keys : undefined });
        const failed = report.filter((r) => r.error);
        print(
          `Migrated ${report.length} tenant(s) to schema version ${t.schemaVersion}${failed.length ? `; ${failed.length} failed: ${failed.map((f) => f.key).join(', ')}` : ''}.`,
          report,
        );
        if (failed.length)
          throw new Error(`migration failed for ${failed.map((f) => `${f.key} (${f.error})`).join('; ')}`);
      });
    });

  const admins = group
    .command('admins')
    .description('provider administrators: manage the tenants over HTTP (/provider/api/), see no tenant data');
  admins
    .command('add')
    .argument('<name>', 'name (lower case)')
    .description(
      'create a provider administrator; the password is read from a prompt, or from the first line of standard input',
    )
    .action(async (name: string) => {
      const { addProviderAdmin } = await import('../services/provider.ts');
      const password = await readPassword(`Password for ${name}: `, err);
      await withTenants(async (t) => {
        const a = await addProviderAdmin(t, name, password);
        print(`Created provider administrator "${a.name}".`, a);
      });
    });
  admins
    .command('list')
    .description('list provider administrators')
    .action(async () => {
      const { listProviderAdmins } = await import('../services/provider.ts');
      await withTenants(async (t) => {
        const list = await listProviderAdmins(t);
        print(
          list.length
            ? table(
                ['name', 'disabled', 'created'],
                list.map((a) => [a.name, a.disabled ? 'yes' : '', a.createdAt.slice(0, 19)]),
              )
            : 'No provider administrators yet.',
          list,
        );
      });
    });
  admins
    .command('disable')
    .argument('<name>', 'name')
    .description('disable a provider administrator (sessions end)')
    .action(async (name: string) => {
      const { disableProviderAdmin } = await import('../services/provider.ts');
      await withTenants(async (t) => {
        await disableProviderAdmin(t, name);
        print(`Disabled provider administrator "${name}".`, { disabled: name });
      });
    });
}
