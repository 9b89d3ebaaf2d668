// The publisher settings of an installation (the municipality that publishes its open data), as
// the DCAT-AP.de catalogue needs them: validated with zod, stored as the setting "publisher".
import { z } from 'zod';
import type { Problem } from './problems.ts';
import { CONTRIBUTORS, LICENCE_IDS, OFFICIAL_KEY, type LicenceId } from './publisher-vocabulary.ts';

export { LICENCES, LICENCE_IDS } from './publisher-vocabulary.ts';

const publisherSchema = z
  .object({
    /** The municipality as it names itself, e.g. "Stadt Musterstadt". */
    name: z.string().trim().min(2).max(200),
    /** AGS (8 digits) or ARS (12 digits) of the municipality. */
    officialKey: z
      .string()
      .trim()
      .regex(
        OFFICIAL_KEY,
        'must be an official municipality key: AGS with 8 digits (e.g. 05315000) or ARS with 12 digits (e.g. 053150000000)',
      ),
    licence: z.enum(LICENCE_IDS as [LicenceId, ...LicenceId[]], {
      message: `must be one of ${LICENCE_IDS.join(', ')}`,
    }),
    contact: z
      .object({
        /** The office that answers questions about the data (a team, not a person). */
        name: z.string().trim().min(2).max(200),
        email: z.email('must be an e-mail address').max(254).optional(),
        url: z
          .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
          .max(2000)
          .optional(),
      })
      .strict()
      .refine((c) => c.email !== undefined || c.url !== undefined, {
        message: 'needs an e-mail address or a URL (of a contact form)',
        path: ['email'],
      }),
    /** The identifier GovData assigns to the delivering portal (dcatde:contributorID). */
    contributorId: z
      .string()
      .trim()
      .refine((s) => s.startsWith(CONTRIBUTORS) && s.length > CONTRIBUTORS.length && !/\s/.test(s), {
        message: `must be a URI from ${CONTRIBUTORS} (GovData assigns it)`,
      })
      .optional(),
    /** The public address of the installation (e.g. https://monitor.musterstadt.de); IRIs in the catalogue start with it. */
    baseUrl: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .max(500)
      .transform((s) => s.replace(/\/+$/, ''))
      .refine((s) => !/[?#]/.test(s), { message: 'must not have a query or fragment' })
      .optional(),
  })
  .strict();

export type PublisherSettings = z.output<typeof publisherSchema>;

/** The settings, or the problems that say why not (one per field). */
export function parsePublisher(
  input: unknown,
): { ok: true; value: PublisherSettings } | { ok: false; problems: Problem[] } {
  const r = publisherSchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    problems: r.error.issues.map((i) => {
      const field = i.path.join('.') || 'publisher';
      return { severity: 'error', code: 'invalid-publisher', column: field, reason: `${field}: ${i.message}` };
    }),
  };
}

/** The political geocoding of DCAT-AP.de from the official key: the municipality's URI and its level. */
export function politicalGeocoding(officialKey: string): { uri: string; level: string } {
  const scheme = officialKey.length === 12 ? 'regionalKey' : 'municipalityKey';
  return {
    uri: `http://dcat-ap.de/def/politicalGeocoding/${scheme}/${officialKey}`,
    level: 'http://dcat-ap.de/def/politicalGeocoding/Level/municipality',
  };
}
