// The command-line interface: thin commands over the same services as the HTTP API.
import { Command } from 'commander';
import { configFrom, type Config } from '../config.ts';
import { openDatabase, type Database } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { formatProblem, type Problem } from '../core/problems.ts';
import { readPassword } from './password-prompt.ts';
import type { CliContext, GlobalOptions } from './context.ts';
import { reportError } from './report-error.ts';
import { registerSetupCommands } from './setup-commands.ts';
import { registerDataCommands, registerPublishCommand } from './data-commands.ts';
import { registerAnalysisCommands } from './analysis-commands.ts';
import { registerCrosswalkCommands } from './crosswalk-commands.ts';
import { registerAccountCommands } from './account-commands.ts';
import { registerSpatialCommands } from './spatial-commands.ts';
import { registerSealedCommands } from './sealed-commands.ts';
import { registerDisclosureCommands } from './disclosure-commands.ts';
import { registerMeasuresCommands } from './measures-commands.ts';
import { registerForumCommands } from './forum-commands.ts';
import { registerTenantCommands } from './tenant-commands.ts';
import { registerProviderAccessCommands } from './provider-access-commands.ts';

export async function main(
  argv: string[],
  io: { out?: (s: string) => void; err?: (s: string) => void } = {},
): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const err = io.err ?? ((s: string) => process.stderr.write(s));
  const program = new Command('kommunalmonitor');
  program
    .description('Kommunalmonitor: integrated municipal statistics — spatial structure, indicators, observations.')
    .option(
      '--data-dir <dir>',
      'data directory of the embedded database (default ./data; ignored when DATABASE_URL is set)',
    )
    .option('--json', 'machine-readable output')
    .option(
      '--tenant <key>',
      'work on this tenant of a multi-tenant installation (PostgreSQL server only; docs/tenants.md)',
    )
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err })
    .showHelpAfterError();

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const config = (flags: { port?: string; host?: string } = {}): Config =>
    configFrom(process.env, { dataDir: globals().dataDir, ...flags });
  const print = (human: string, data: unknown) =>
    out(globals().json ? JSON.stringify(data, null, 2) + '\n' : human.endsWith('\n') ? human : human + '\n');
  /** Opens the database for one command; `light` for commands that only run a few queries. */
  const withDb = async <T>(fn: (db: Database) => Promise<T>, o: { light?: boolean } = {}): Promise<T> => {
    const c = config();
    const tenant = globals().tenant;
    if (tenant !== undefined) {
      const { openTenantDatabase } = await import('./tenant-db.ts');
      const db = await openTenantDatabase(c, tenant);
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    }
    const db = await openDatabase({
      databaseUrl: c.databaseUrl,
      dataDir: c.dataDir,
      owner: { kind: 'cli' },
      sharedBuffersMb: o.light ? 8 : undefined,
    });
    try {
      await migrate(db);
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  const withTenants = async <T>(fn: (t: import('../store/tenants.ts').Tenants) => Promise<T>): Promise<T> => {
    const { openTenantDirectory } = await import('./tenant-db.ts');
    const t = await openTenantDirectory(config());
    try {
      return await fn(t);
    } finally {
      await t.close();
    }
  };
  const warnings = (ws: Problem[]) => {
    for (const w of ws.slice(0, 20)) err(formatProblem(w) + '\n');
    if (ws.length > 20) err(`… and ${ws.length - 20} more warning(s)\n`);
  };

  const ctx: CliContext = { withDb, out, err, print, warnings, globals, config };
  registerSetupCommands(program, ctx);
  registerDataCommands(program, ctx);
  registerAnalysisCommands(program, ctx);
  registerCrosswalkCommands(program, ctx);

  registerSpatialCommands(program, { withDb, out, err, json: () => !!globals().json });
  registerSealedCommands(program, { withDb, out, err, json: () => !!globals().json });
  registerDisclosureCommands(program, { withDb, out, err, json: () => !!globals().json });
  registerMeasuresCommands(program, { withDb, out, err, json: () => !!globals().json });
  registerForumCommands(program, { withDb, out, err, json: () => !!globals().json });
  registerProviderAccessCommands(program, { withDb, out, json: () => !!globals().json });
  registerTenantCommands(program, {
    withTenants,
    print,
    err,
    // The embedded database of the data directory, also when DATABASE_URL is set (to move it into a tenant).
    withEmbeddedDb: async (fn) => {
      const db = await openDatabase({ dataDir: config().dataDir, owner: { kind: 'cli' } });
      try {
        await migrate(db);
        return await fn(db);
      } finally {
        await db.close();
      }
    },
  });
  (await import('./comparison-commands.ts')).registerComparisonCommands(program, {
    withTenants,
    tenant: () => globals().tenant,
    print,
    err,
  });
  (await import('./settings-commands.ts')).registerSettingsCommands(program, {
    withDb,
    out,
    json: () => !!globals().json,
    readSecret: (prompt) => readPassword(prompt, err),
  });
  (await import('./report-commands.ts')).registerReportCommands(program, {
    withDb,
    out,
    err,
    json: () => !!globals().json,
  });

  registerPublishCommand(program, ctx);
  registerAccountCommands(program, ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    return reportError(e, err, globals().json ?? false);
  }
}
