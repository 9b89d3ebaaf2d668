// `kommunalmonitor settings publisher …`: the publisher of the open-data catalogue (/catalog).
// Without options it prints the settings; options change them (validated as a whole, all or nothing).
import type { Command } from 'commander';
import type { Database } from '../store/db.ts';
import { SYSTEM } from '../core/access.ts';
import { LICENCE_IDS } from '../core/publisher.ts';

export interface SettingsCommandContext {
  withDb: <T>(fn: (db: Database) => Promise<T>) => Promise<T>;
  out: (s: string) => void;
  json: () => boolean;
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
    .description('the publisher of the open-data catalogue (DCAT-AP.de at /catalog): print it, or change it with the options')
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
        const defined = <T extends object>(x: T) => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined));
        const before = await getPublisher(db, SYSTEM);
        const contact = { ...before?.contact, ...defined({ name: o.contactName, email: o.contactEmail, url: o.contactUrl }) };
        return setPublisher(db, SYSTEM, { ...before, ...defined({ name: o.name, officialKey: o.key, licence: o.licence, contributorId: o.contributorId, baseUrl: o.baseUrl }), contact });
      });
      if (json()) return out(JSON.stringify({ publisher: p }, null, 2) + '\n');
      if (!p) return out('No publisher is set: the catalogue at /catalog answers 409 until one is (see kommunalmonitor settings publisher --help).\n');
      out(`${setting ? 'Saved: ' : ''}${p.name} (official key ${p.officialKey}), licence ${p.licence}, contact ${p.contact.name}${p.contact.email ? ` <${p.contact.email}>` : ''}${p.contact.url ? ` ${p.contact.url}` : ''}\n`);
      if (p.contributorId) out(`contributor ID ${p.contributorId}\n`);
      out(p.baseUrl ? `catalogue: ${p.baseUrl}/catalog\n` : 'catalogue: /catalog under the address the request reaches (set --base-url for stable IRIs)\n');
    });
}
