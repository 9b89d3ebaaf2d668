// The vocabularies of the publisher settings (open-data licences, official municipality keys, GovData's
// contributor identifiers), free of a validation library so that the web app's settings form checks the
// same rules as the server.

/**
 * Licences a municipality publishes open data under, by their short name, with the URI of the
 * DCAT-AP.de licence vocabulary (http://dcat-ap.de/def/licenses/) that dct:license must use.
 */
export const LICENCES = {
  'dl-by-de/2.0': {
    uri: 'http://dcat-ap.de/def/licenses/dl-by-de/2.0',
    name: 'Datenlizenz Deutschland – Namensnennung – Version 2.0',
  },
  'dl-zero-de/2.0': {
    uri: 'http://dcat-ap.de/def/licenses/dl-zero-de/2.0',
    name: 'Datenlizenz Deutschland – Zero – Version 2.0',
  },
  'cc-by/4.0': {
    uri: 'http://dcat-ap.de/def/licenses/cc-by/4.0',
    name: 'Creative Commons Namensnennung – 4.0 International (CC BY 4.0)',
  },
  'cc-zero': { uri: 'http://dcat-ap.de/def/licenses/cc-zero', name: 'Creative Commons CC Zero License (cc-zero)' },
} as const;
export type LicenceId = keyof typeof LICENCES;
export const LICENCE_IDS = Object.keys(LICENCES) as LicenceId[];

/** AGS or ARS. */
export const OFFICIAL_KEY = /^(\d{8}|\d{12})$/;
/** GovData's contributor identifiers (dcatde:contributorID) start with this. */
export const CONTRIBUTORS = 'http://dcat-ap.de/def/contributors/';
