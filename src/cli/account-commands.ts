// Accounts and the audit trail: `users`, `departments`, `tokens`, `audit`.
import { Option, type Command } from 'commander';
import { SYSTEM } from '../core/access.ts';
import { table } from './table-output.ts';
import { readPassword } from './password-prompt.ts';
import { UsageError } from './errors.ts';
import type { CliContext } from './context.ts';

export function registerAccountCommands(program: Command, ctx: CliContext): void {
  const { withDb, out, err, print } = ctx;

  const users = program.command('users').description('user accounts (roles: admin, steward, analyst, viewer)');
  users
    .command('add')
    .argument('<name>', 'user name (lower case)')
    .requiredOption('--role <role>', 'admin | steward | analyst | viewer')
    .option('--department <key>', 'department (required for stewards)')
    .option('--display-name <name>', 'full name')
    .description('create a user; the password is read from a prompt, or from the first line of standard input')
    .action(async (name: string, opts: { role: string; department?: string; displayName?: string }) => {
      const { addUser } = await import('../services/users.ts');
      const password = await readPassword(`Password for ${name}: `, err);
      await withDb(async (db) => {
        const u = await addUser(db, SYSTEM, {
          name,
          role: opts.role,
          department: opts.department,
          displayName: opts.displayName,
          password,
        });
        print(`Created ${u.role} "${u.name}"${u.department ? ` (${u.department})` : ''}.`, u);
      });
    });
  users
    .command('list')
    .description('list users')
    .action(async () => {
      const { listUsers } = await import('../services/users.ts');
      await withDb(
        async (db) => {
          const list = await listUsers(db, SYSTEM);
          print(
            list.length
              ? table(
                  ['name', 'role', 'department', 'sealed office', 'disabled', 'display name'],
                  list.map((u) => [
                    u.name,
                    u.role,
                    u.department ?? '',
                    u.sealedOffice ? 'yes' : '',
                    u.disabled ? 'yes' : '',
                    u.displayName ?? '',
                  ]),
                )
              : 'No users yet.',
            list,
          );
        },
        { light: true },
      );
    });
  for (const [verb, granted] of [
    ['grant', true],
    ['revoke', false],
  ] as const) {
    users
      .command(verb)
      .argument('<name>', 'user name')
      .argument('<permission>', 'sealed-office: may process personal records (address matching, the sealed pipeline)')
      .description(`${verb} a permission beside the role`)
      .action(async (name: string, permission: string) => {
        const { setPermission } = await import('../services/users.ts');
        await withDb(async (db) => {
          const u = await setPermission(db, SYSTEM, name, permission, granted);
          print(`${granted ? 'Granted' : 'Revoked'} "${permission}" ${granted ? 'to' : 'from'} "${u.name}".`, u);
        });
      });
  }
  users
    .command('disable')
    .argument('<name>', 'user name')
    .description('disable a user: sessions end, tokens stop working')
    .action(async (name: string) => {
      const { disableUser } = await import('../services/users.ts');
      await withDb(async (db) => {
        await disableUser(db, SYSTEM, name);
        print(`Disabled "${name}".`, { disabled: name });
      });
    });

  const departments = program.command('departments').description('departments (Fachbereiche) that own indicators');
  departments
    .command('add')
    .argument('<key>', 'key, e.g. jugend')
    .argument('<name>', 'name, e.g. "Jugendamt"')
    .description('create a department')
    .action(async (key: string, name: string) => {
      const { addDepartment } = await import('../services/users.ts');
      await withDb(async (db) => {
        const d = await addDepartment(db, SYSTEM, key, name);
        print(`Created department "${d.key}" (${d.name}).`, d);
      });
    });
  departments
    .command('list')
    .description('list departments')
    .action(async () => {
      const { listDepartments } = await import('../services/users.ts');
      await withDb(
        async (db) => {
          const list = await listDepartments(db);
          print(
            list.length
              ? table(
                  ['key', 'name', 'users', 'indicators'],
                  list.map((d) => [d.key, d.name, String(d.users), String(d.indicators)]),
                )
              : 'No departments yet.',
            list,
          );
        },
        { light: true },
      );
    });

  const tokens = program.command('tokens').description('API tokens for automation (stored hashed; shown once)');
  tokens
    .command('create')
    .requiredOption('--user <name>', 'the user the token acts as')
    .requiredOption('--name <text>', 'what the token is for, e.g. "nightly import"')
    .option('--days <n>', 'expires after N days')
    .description('create an API token')
    .action(async (opts: { user: string; name: string; days?: string }) => {
      const { createToken } = await import('../services/users.ts');
      const days = opts.days === undefined ? undefined : Number(opts.days);
      if (days !== undefined && !(Number.isInteger(days) && days > 0))
        throw new UsageError('--days must be a positive whole number');
      await withDb(async (db) => {
        const t = await createToken(db, SYSTEM, { user: opts.user, name: opts.name, days });
        print(`Token ${t.id} for "${t.user}" (${t.name}). Keep it secret — it is shown only now:\n${t.token}`, t);
      });
    });
  tokens
    .command('list')
    .option('--user <name>', 'only this user’s tokens')
    .description('list API tokens (without their secrets)')
    .action(async (opts: { user?: string }) => {
      const { listTokens } = await import('../services/users.ts');
      await withDb(
        async (db) => {
          const list = await listTokens(db, SYSTEM, opts.user);
          print(
            list.length
              ? table(
                  ['id', 'user', 'name', 'prefix', 'created', 'last used', 'expires', 'revoked'],
                  list.map((t) => [
                    String(t.id),
                    t.user,
                    t.name,
                    t.prefix + '…',
                    t.createdAt.slice(0, 16),
                    t.lastUsedAt?.slice(0, 16) ?? '',
                    t.expiresAt?.slice(0, 10) ?? '',
                    t.revoked ? 'yes' : '',
                  ]),
                )
              : 'No tokens.',
            list,
          );
        },
        { light: true },
      );
    });
  tokens
    .command('revoke')
    .argument('<id>', 'token id (see tokens list)')
    .description('revoke an API token')
    .action(async (id: string) => {
      const { revokeToken } = await import('../services/users.ts');
      if (!/^\d+$/.test(id)) throw new UsageError('the token id is a number (see `kommunalmonitor tokens list`)');
      await withDb(async (db) => {
        await revokeToken(db, SYSTEM, Number(id));
        print(`Revoked token ${id}.`, { revoked: Number(id) });
      });
    });

  program
    .command('audit')
    .option('--from <date>', 'from this date (YYYY-MM-DD)')
    .option('--to <date>', 'before this date')
    .option('--actor <name>', 'only this user')
    .option('--action <action>', 'only this action, e.g. observations.import, read, login.failed')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .description('show or export the audit trail')
    .action(async (opts: { from?: string; to?: string; actor?: string; action?: string; format: string }) => {
      const { readAuditTrail, auditToCsv } = await import('../services/audit.ts');
      await withDb(async (db) => {
        const rows = await readAuditTrail(db, SYSTEM, {
          from: opts.from,
          to: opts.to,
          actor: opts.actor,
          action: opts.action,
          limit: 100_000,
        });
        if (opts.format === 'csv') out(auditToCsv(rows));
        else
          print(
            table(
              ['at', 'actor', 'action', 'object', 'batch'],
              rows.map((r) => [
                r.at.slice(0, 19),
                r.actor,
                r.action,
                [r.objectType, r.objectKey].filter(Boolean).join(' '),
                r.importBatchId ? String(r.importBatchId) : '',
              ]),
            ),
            rows,
          );
      });
    });
}
