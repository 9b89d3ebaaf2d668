// Codes of the API's error answers (HTTP 401, 403, 404, 409, 429, 500 and a few 400s): the
// English text is the answer's `message`, as it was before codes existed.
import type { CodeText } from './define.ts';

export const ERROR_CODES = {
  // Signing in, sessions, tokens
  'sign-in-required': { en: 'Please sign in to see this.', de: 'Bitte melden Sie sich an.' },
  'wrong-credentials': { en: 'Wrong user name or password.', de: 'Benutzername oder Passwort ist falsch.' },
  'wrong-current-password': { en: 'The current password is wrong.', de: 'Das aktuelle Passwort ist falsch.' },
  'csrf-token': { en: 'Missing or wrong CSRF token (header X-CSRF-Token).', de: 'Die Sitzung ist abgelaufen. Bitte laden Sie die Seite neu und melden Sie sich erneut an.' },
  'api-token-invalid': { en: 'The API token is invalid, expired or revoked.', de: 'Der API-Token ist ungültig, abgelaufen oder widerrufen.' },
  'user-no-access': {
    en: 'The user "{user}" has no access to Kommunalmonitor. Ask an administrator to create the account.',
    de: 'Das Benutzerkonto „{user}“ hat keinen Zugang zum Kommunalmonitor. Bitte wenden Sie sich an die Administration.',
  },
  'user-not-found': { en: 'The user "{user}" does not exist.', de: 'Das Benutzerkonto „{user}“ gibt es nicht.' },
  'user-exists': { en: 'The user "{user}" exists already.', de: 'Das Benutzerkonto „{user}“ gibt es bereits.' },
  'user-disabled': { en: 'The user "{user}" is disabled.', de: 'Das Benutzerkonto „{user}“ ist gesperrt.' },
  'provider-sign-in-required': { en: 'Please sign in as a provider administrator.', de: 'Bitte melden Sie sich als Administration des Betreibers an.' },
  'sign-ins-locked': {
    en: 'Too many failed sign-ins: the account is locked for {minutes:number} more minute(s).',
    de: 'Zu viele fehlgeschlagene Anmeldungen: Das Benutzerkonto ist noch {minutes:number} Minute(n) gesperrt.',
  },
  'sign-ins-from-address': {
    en: 'Too many sign-in attempts from this address; try again in {minutes:number} minute(s).',
    de: 'Zu viele Anmeldeversuche von dieser Adresse; bitte versuchen Sie es in {minutes:number} Minute(n) erneut.',
  },
  'admins-only': { en: 'Only administrators may do this.', de: 'Das dürfen nur Administratorinnen und Administratoren.' },
  'own-tokens-only': { en: 'You may create tokens only for yourself.', de: 'Sie dürfen API-Token nur für sich selbst anlegen.' },
  // What a request names
  'layer-not-found': { en: 'The layer "{layer}" does not exist.', de: 'Die Gliederungsebene „{layer}“ gibt es nicht.' },
  'layer-without-version': { en: 'The layer "{layer}" has no boundary version.', de: 'Die Gliederungsebene „{layer}“ hat keinen Gebietsstand.' },
  'layer-without-version-on': { en: 'The layer "{layer}" has no boundary version valid on {date:date}.', de: 'Die Gliederungsebene „{layer}“ hat keinen Gebietsstand am {date:date}.' },
  'area-not-found': { en: 'The area {area} does not exist in layer "{layer}".', de: 'Das Gebiet {area} gibt es in der Gliederungsebene „{layer}“ nicht.' },
  'indicator-not-found': { en: 'The indicator "{indicator}" does not exist.', de: 'Den Indikator „{indicator}“ gibt es nicht.' },
  'indicator-internal': { en: 'The indicator "{indicator}" is internal: please sign in.', de: 'Der Indikator „{indicator}“ ist intern: bitte melden Sie sich an.' },
  'indicator-without-data': { en: 'The indicator "{indicator}" has no data yet.', de: 'Für den Indikator „{indicator}“ liegen noch keine Daten vor.' },
  'period-without-data': { en: 'There is no data for the period {period}.', de: 'Für den Zeitraum {period} liegen keine Daten vor.' },
  'report-internal': { en: 'The report "{report}" is internal: please sign in.', de: 'Der Bericht „{report}“ ist intern: bitte melden Sie sich an.' },
  'facility-set-internal': { en: 'The facility set "{set}" is internal: please sign in.', de: 'Der Einrichtungsbestand „{set}“ ist intern: bitte melden Sie sich an.' },
  'report-not-found': { en: 'The report "{report}" does not exist.', de: 'Den Bericht „{report}“ gibt es nicht.' },
  'report-without-content': { en: 'The report "{report}" has no content yet.', de: 'Der Bericht „{report}“ hat noch keinen Inhalt.' },
  'report-change-forbidden': {
    en: 'Only administrators and the stewards of the department "{department}" may change the report "{report}".',
    de: 'Nur die Administration und die Datenverantwortlichen des Fachbereichs „{department}“ dürfen den Bericht „{report}“ ändern.',
  },
  'measure-not-found': { en: 'The measure "{measure}" does not exist.', de: 'Die Maßnahme „{measure}“ gibt es nicht.' },
  'measures-change-forbidden': {
    en: 'Measures of the department "{department}" may only be changed by its stewards and administrators. Nothing was changed.',
    de: 'Maßnahmen des Fachbereichs „{department}“ dürfen nur dessen Datenverantwortliche und die Administration ändern. Nichts wurde geändert.',
  },
  'priority-areas-forbidden': { en: 'Only stewards and administrators may designate priority areas.', de: 'Nur Datenverantwortliche und die Administration dürfen Schwerpunktgebiete festlegen.' },
  'department-exists': { en: 'The department "{department}" exists already.', de: 'Den Fachbereich „{department}“ gibt es bereits.' },
  'token-not-found': { en: 'The token {id} does not exist.', de: 'Den API-Token {id} gibt es nicht.' },
  'setup-link-invalid': { en: 'This setup link is not valid (any more).', de: 'Dieser Einrichtungslink ist nicht (mehr) gültig.' },
  'viewers-cannot-save-indices': { en: 'Viewers cannot save indices.', de: 'Lesende können keine Indizes speichern.' },
  'viewers-cannot-save-typologies': { en: 'Viewers cannot save typologies.', de: 'Lesende können keine Typologien speichern.' },
  'index-not-found': { en: 'The index "{index}" does not exist.', de: 'Den Index „{index}“ gibt es nicht.' },
  'cockpit-change-forbidden': { en: 'Only administrators and analysts may change the cockpit.', de: 'Nur die Administration und Analysierende dürfen das Cockpit ändern.' },
  'facility-set-not-found': { en: 'The facility set "{set}" does not exist.', de: 'Den Einrichtungsbestand „{set}“ gibt es nicht.' },
  'server-busy-rendering': {
    en: 'The server is busy rendering other documents; try again in {seconds:number} seconds.',
    de: 'Der Server erstellt gerade andere Dokumente; bitte versuchen Sie es in {seconds:number} Sekunden erneut.',
  },
  'oidc-not-configured': { en: 'Sign-in through OpenID Connect is not configured here.', de: 'Die Anmeldung über OpenID Connect ist hier nicht eingerichtet.' },
  'address-register-sign-in': { en: 'The address register needs a signed-in user or an API token.', de: 'Das Adressregister braucht eine Anmeldung oder einen API-Token.' },
  'reallocation-sign-in': { en: 'Reallocating needs a signed-in user or an API token.', de: 'Das Umschlüsseln braucht eine Anmeldung oder einen API-Token.' },
  'collection-not-found': { en: 'The collection "{collection}" does not exist.', de: 'Die Sammlung „{collection}“ gibt es nicht.' },
  'no-such-resource': { en: 'No such resource: {method} {path}', de: 'Diese Adresse gibt es nicht: {method} {path}' },
  'comparison-needs-tenants': {
    en: 'The comparison between municipalities needs a PostgreSQL server with tenants (DATABASE_URL and kommunalmonitor tenants …): the embedded database holds one municipality only (docs/comparison.md).',
    de: 'Der Kommunalvergleich braucht einen PostgreSQL-Server mit Mandanten (DATABASE_URL und kommunalmonitor tenants …): Die eingebettete Datenbank enthält nur eine Kommune (docs/comparison.md).',
  },
  // The server itself
  'nul-in-request': {
    en: 'The request contains a NUL character (%00); no path or parameter may contain one.',
    de: 'Die Anfrage enthält ein NUL-Zeichen (%00); kein Pfad und kein Parameter darf eines enthalten.',
  },
  'internal-error': {
    en: 'An unexpected error occurred; it has been logged with the id {id}.',
    de: 'Ein unerwarteter Fehler ist aufgetreten; er wurde unter der Kennung {id} protokolliert.',
  },
} as const satisfies Record<string, CodeText>;
