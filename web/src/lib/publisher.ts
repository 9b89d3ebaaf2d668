// The publisher settings form of the open-data catalogue: the form's text fields to the body of
// PUT /api/settings/publisher, and the checks the server applies, named by field, so that the
// form can point at the field before sending. Pure functions, unit-tested in test/web/publisher.test.ts.
import { CONTRIBUTORS, LICENCE_IDS, OFFICIAL_KEY } from '../../../src/core/publisher-vocabulary.ts';
import type { PublisherSettings } from '../../../src/core/publisher.ts';

export { LICENCE_IDS, LICENCES } from '../../../src/core/publisher-vocabulary.ts';

/** The form's fields, all as typed (empty = not given). */
export interface PublisherForm {
  name: string;
  officialKey: string;
  licence: string;
  contactName: string;
  contactEmail: string;
  contactUrl: string;
  contributorId: string;
  baseUrl: string;
}

export type PublisherField = keyof PublisherForm;

/** What is wrong with a field; the form renders it in the user's language. */
export type PublisherProblem =
  'required' | 'tooShort' | 'officialKey' | 'licence' | 'email' | 'url' | 'contactNeeded' | 'contributorId' | 'baseUrl';

export const EMPTY_PUBLISHER_FORM: PublisherForm = {
  name: '',
  officialKey: '',
  licence: 'dl-by-de/2.0',
  contactName: '',
  contactEmail: '',
  contactUrl: '',
  contributorId: '',
  baseUrl: '',
};

/** The stored settings as the form shows them. */
export function formOf(p: PublisherSettings | null): PublisherForm {
  if (!p) return { ...EMPTY_PUBLISHER_FORM };
  return {
    name: p.name,
    officialKey: p.officialKey,
    licence: p.licence,
    contactName: p.contact.name,
    contactEmail: p.contact.email ?? '',
    contactUrl: p.contact.url ?? '',
    contributorId: p.contributorId ?? '',
    baseUrl: p.baseUrl ?? '',
  };
}

/** The body of PUT /api/settings/publisher: trimmed, empty optional fields left out. */
export function publisherBody(f: PublisherForm): Record<string, unknown> {
  const opt = (s: string) => (s.trim() ? s.trim() : undefined);
  return {
    name: f.name.trim(),
    officialKey: f.officialKey.trim(),
    licence: f.licence,
    contact: { name: f.contactName.trim(), email: opt(f.contactEmail), url: opt(f.contactUrl) },
    contributorId: opt(f.contributorId),
    baseUrl: opt(f.baseUrl),
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function httpUrl(s: string): URL | null {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : null;
  } catch {
    return null;
  }
}

/** The problems of the form, by field (the same rules as the server's schema). */
export function publisherProblems(f: PublisherForm): Partial<Record<PublisherField, PublisherProblem>> {
  const out: Partial<Record<PublisherField, PublisherProblem>> = {};
  const name = f.name.trim();
  if (!name) out.name = 'required';
  else if (name.length < 2) out.name = 'tooShort';
  if (!OFFICIAL_KEY.test(f.officialKey.trim())) out.officialKey = f.officialKey.trim() ? 'officialKey' : 'required';
  if (!(LICENCE_IDS as string[]).includes(f.licence)) out.licence = 'licence';
  const contact = f.contactName.trim();
  if (!contact) out.contactName = 'required';
  else if (contact.length < 2) out.contactName = 'tooShort';
  const email = f.contactEmail.trim();
  const url = f.contactUrl.trim();
  if (email && !EMAIL.test(email)) out.contactEmail = 'email';
  if (url && !httpUrl(url)) out.contactUrl = 'url';
  if (!email && !url) out.contactEmail = 'contactNeeded';
  const contributor = f.contributorId.trim();
  if (
    contributor &&
    !(contributor.startsWith(CONTRIBUTORS) && contributor.length > CONTRIBUTORS.length && !/\s/.test(contributor))
  )
    out.contributorId = 'contributorId';
  const base = f.baseUrl.trim();
  if (base) {
    const u = httpUrl(base);
    if (!u || u.search || u.hash || /[?#]/.test(base)) out.baseUrl = 'baseUrl';
  }
  return out;
}

/** The form field a server problem names (its `column`, e.g. "contact.email"). */
export function fieldOfColumn(column: string | number | undefined): PublisherField | null {
  const map: Record<string, PublisherField> = {
    name: 'name',
    officialKey: 'officialKey',
    licence: 'licence',
    'contact.name': 'contactName',
    'contact.email': 'contactEmail',
    'contact.url': 'contactUrl',
    contact: 'contactEmail',
    contributorId: 'contributorId',
    baseUrl: 'baseUrl',
  };
  return typeof column === 'string' ? (map[column] ?? null) : null;
}
