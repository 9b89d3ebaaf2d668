// `kommunalmonitor settings publisher …`: the publisher of the open-data catalogue (/catalog);
// `settings oidc …`: the municipality's identity provider (with --tenant KEY: that tenant's).
// Without options they print the settings; options change them (validated as a whole, all or nothing).
import type { Command } from 'commander';
import type { Database } from '../store/db.ts';
import { SYSTEM } from '../core/access.ts';
import { LICENCE_IDS } from '../core/publisher.ts';

export interface SettingsCommandContext {
  withDb: <T>(fn: (db: Database) => Promise<T>) => Promise<T>;
  out: (s: string) => void;
  json: () => boolean;
  /** Reads a secret from a prompt or the first line of standard input. */
  readSecret?: (prompt: string) => Promise<string>;
}

interface OidcCliOptions {
  issuer?: string;
  clientId?: string;
  clientSecretStdin?: boolean;
  redirectUrl?: string;
  usernameClaim?: string;
  provisionRole?: string;
  allowHttp?: boolean;
  remove?: boolean;
}

interface PublisherOptions {
  name?: string;
  key?: string;
  licence?: string;
  contactName?: string;
  contactEmail?: string;
  contactUrl?: string;
  contributorId?: string;
  baseUrl?: string;
}

export function registerSettingsCommands(program: Command, ctx: SettingsCommandContext): void {
  const { withDb, out, json } = ctx;
  const group = program.command('settings').description('installation settings');
  group
    .command('publisher')
    .description(
      'the publisher of the open-data catalogue (DCAT-AP.de at /catalog): print it, or change it with the options',
    )
    .option('--name <name>', 'the municipality, e.g. "Stadt Musterstadt"')
    .option('--key <key>', 'official key: AGS (8 digits) or ARS (12 digits)')
    .option('--licence <licence>', `licence of the data: ${LICENCE_IDS.join(', ')}`)
    .option('--contact-name <name>', 'the office that answers questions about the data')
    .option('--contact-email <email>', 'its (role) e-mail address')
    .option('--contact-url <url>', 'its contact form')
    .option('--contributor-id <uri>', 'dcatde:contributorID assigned by GovData (http://dcat-ap.de/def/contributors/…)')
    .option('--base-url <url>', 'public address of the installation (the catalogue’s IRIs start with it)')
    .action(async (o: PublisherOptions) => {
      const { getPublisher, setPublisher } = await import('../services/dcat.ts');
      const setting = Object.values(o).some((v) => v !== undefined);
      const p = await withDb(async (db) => {
        if (!setting) return getPublisher(db, SYSTEM);
        // The options given change the settings saved so far; the result is validated as a whole.
        const defined = <T extends object>(x: T) =>
          Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined));
        const before = await getPublisher(db, SYSTEM);
        const contact = {
          ...before?.contact,
          ...defined({ name: o.contactName, email: o.contactEmail, url: o.contactUrl }),
        };
        return setPublisher(db, SYSTEM, {
          ...before,
          ...defined({
            name: o.name,
            officialKey: o.key,
            licence: o.licence,
            contributorId: o.contributorId,
            baseUrl: o.baseUrl,
          }),
          contact,
        });
      });
      if (json()) return out(JSON.stringify({ publisher: p }, null, 2) + '\n');
      if (!p)
        return out(
          'No publisher is set: the catalogue at /catalog answers 409 until one is (see kommunalmonitor settings publisher --help).\n',
        );
      out(
        `${setting ? 'Saved: ' : ''}${p.name} (official key ${p.officialKey}), licence ${p.licence}, contact ${p.contact.name}${p.contact.email ? ` <${p.contact.email}>` : ''}${p.contact.url ? ` ${p.contact.url}` : ''}\n`,
      );
      if (p.contributorId) out(`contributor ID ${p.contributorId}\n`);
      out(
        p.baseUrl
          ? `catalogue: ${p.baseUrl}/catalog\n`
          : 'catalogue: /catalog under the address the request reaches (set --base-url for stable IRIs)\n',
      );
    });

  group
    .command('oidc')
    .description(
      'sign-in through the municipality’s identity provider (OpenID Connect): print it, change it with the options, or --remove it; with --tenant KEY the tenant’s own',
    )
    .option('--issuer <url>', 'the provider’s issuer, e.g. https://login.example.org/realms/musterstadt')
    .option('--client-id <id>', 'this installation’s client at the provider')
    .option(
      '--client-secret-stdin',
      'read the client secret from a prompt or the first line of standard input (kept when not given)',
    )
    .option(
      '--redirect-url <url>',
      'the callback registered at the provider: https://HOST/api/auth/oidc/callback, with path routing https://HOST/t/KEY/api/auth/oidc/callback',
    )
    .option('--username-claim <claim>', 'claim holding the user name (default preferred_username)')
    .option(
      '--provision-role <role>',
      'create unknown users with this role on their first sign-in (default: refuse them)',
    )
    .option('--allow-http', 'allow http:// (development and tests only)')
    .option('--remove', 'sign in with passwords only')
    .action(async (o: OidcCliOptions) => {
      const { readOidcSettings, saveOidcSettings, removeOidcSettings } = await import('../services/oidc-settings.ts');
      const setting = [
        o.issuer,
        o.clientId,
        o.clientSecretStdin,
        o.redirectUrl,
        o.usernameClaim,
        o.provisionRole,
        o.allowHttp,
      ].some((v) => v !== undefined);
      if (o.remove && setting) throw new Error('--remove takes no other option');
      const secret = o.clientSecretStdin
        ? await (ctx.readSecret ?? (() => Promise.reject(new Error('no secret input'))))('Client secret: ')
        : undefined;
      const p = await withDb(async (db) => {
        if (o.remove) {
          await removeOidcSettings(db);
          return undefined;
        }
        if (!setting) return readOidcSettings(db);
        const before = await readOidcSettings(db);
        const defined = <T extends object>(x: T) =>
          Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined));
        return saveOidcSettings(db, {
          ...before,
          ...defined({
            issuer: o.issuer,
            clientId: o.clientId,
            clientSecret: secret || undefined,
            redirectUrl: o.redirectUrl,
            usernameClaim: o.usernameClaim,
            provisionRole: o.provisionRole as never,
            allowHttp: o.allowHttp,
          }),
        });
      });
      // The secret is never printed.
      const shown = p ? { ...p, clientSecret: p.clientSecret ? '(set)' : undefined } : null;
      if (json()) return out(JSON.stringify({ oidc: shown }, null, 2) + '\n');
      if (!shown)
        return out(
          o.remove
            ? 'Removed: users sign in with their passwords.\n'
            : 'No identity provider is set: users sign in with their passwords (see kommunalmonitor settings oidc --help).\n',
        );
      out(
        `${setting ? 'Saved: ' : ''}issuer ${shown.issuer}, client ${shown.clientId}${p!.clientSecret ? ' with a secret' : ' without a secret'}, callback ${shown.redirectUrl}${shown.provisionRole ? `, new users as ${shown.provisionRole}` : ''}${shown.usernameClaim ? `, user name from "${shown.usernameClaim}"` : ''}\n`,
      );
      out('Servers read it within 5 seconds.\n');
    });
}
