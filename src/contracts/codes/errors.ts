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
  // Uploads, refused before the body is read (src/http/uploads.ts)
  'upload-sign-in': { en: 'This needs a signed-in user or an API token.', de: 'Dafür ist eine Anmeldung oder ein API-Token nötig.' },
  'imports-forbidden-for-role': {
    en: 'Imports are for administrators and data stewards; the role "{role}" cannot import.',
    de: 'Importe sind der Administration und den Datenverantwortlichen vorbehalten; die Rolle „{role}“ kann nicht importieren.',
  },
  'upload-sealed-office-only': {
    en: 'Only the sealed statistics office (Statistikstelle) may process personal records; an administrator can grant the permission.',
    de: 'Personenbezogene Einzeldaten darf nur die abgeschottete Statistikstelle verarbeiten; die Administration kann das Recht vergeben.',
  },
  // Further requests that name something or may not change it
  'department-not-found': {
    en: 'The department "{department}" does not exist. Create it with `kommunalmonitor departments add {department} NAME`.',
    de: 'Den Fachbereich „{department}“ gibt es nicht. Legen Sie ihn mit `kommunalmonitor departments add {department} NAME` an.',
  },
  'indicator-not-from-index': {
    en: 'The indicator "{indicator}" exists and is not derived from the index "{index}"; rename the index.',
    de: 'Den Indikator „{indicator}“ gibt es bereits, und er stammt nicht aus dem Index „{index}“; benennen Sie den Index um.',
  },
  'indicator-not-this-typology': {
    en: 'The indicator "{indicator}" exists and is not this typology; rename the typology.',
    de: 'Den Indikator „{indicator}“ gibt es bereits, und er ist nicht diese Typologie; benennen Sie die Typologie um.',
  },
  'typology-not-saved': {
    en: 'The typology "{typology}" is not saved (no indicator "{indicator}"); save it with typology save.',
    de: 'Die Typologie „{typology}“ ist nicht gespeichert (kein Indikator „{indicator}“); speichern Sie sie mit typology save.',
  },
  'area-not-in-index': { en: 'The area {area} is not in the index "{index}" (layer "{layer}").', de: 'Das Gebiet {area} ist nicht im Index „{index}“ (Gliederungsebene „{layer}“).' },
  'estimates-forbidden': {
    en: '"{indicator}" belongs to the department "{department}"; only its stewards and administrators may store estimates for it.',
    de: '„{indicator}“ gehört zum Fachbereich „{department}“; nur dessen Datenverantwortliche und die Administration dürfen Schätzungen dafür speichern.',
  },
  'collection-internal': {
    en: 'The collection "{collection}" is internal: send an API token (Authorization: Bearer …).',
    de: 'Die Sammlung „{collection}“ ist intern: Senden Sie einen API-Token (Authorization: Bearer …).',
  },
  'population-weights-internal': {
    en: 'Population weights from the resident counts of the address register are internal: please sign in (or use weights=area, or populationSource=finer-layer).',
    de: 'Einwohnergewichte aus den Einwohnerzahlen des Adressregisters sind intern: Bitte melden Sie sich an (oder nutzen Sie weights=area oder populationSource=finer-layer).',
  },
  'facility-set-forbidden': {
    en: 'The facility set "{set}" and its indicators belong to the department "{department}"; only its stewards and administrators may import it.',
    de: 'Der Einrichtungsbestand „{set}“ und seine Indikatoren gehören zum Fachbereich „{department}“; nur dessen Datenverantwortliche und die Administration dürfen ihn importieren.',
  },
  'sealed-indicator-other-owner': {
    en: 'The indicator "{indicator}" exists and belongs to "{owner}", not to "{department}" named by the definition; name another indicator key. Nothing was changed.',
    de: 'Den Indikator „{indicator}“ gibt es bereits; er gehört zu „{owner}“, nicht zu dem in der Definition genannten „{department}“; wählen Sie einen anderen Indikatorschlüssel. Nichts wurde geändert.',
  },
  'sealed-indicator-not-sealed': {
    en: 'The indicator "{indicator}" exists and is not filled by the sealed pipeline; name another indicator key. Nothing was changed.',
    de: 'Den Indikator „{indicator}“ gibt es bereits, und er wird nicht von der abgeschotteten Statistikstelle gefüllt; wählen Sie einen anderen Indikatorschlüssel. Nichts wurde geändert.',
  },
  'disclosure-pattern-forbidden': {
    en: 'Only the department owning "{indicator}" ({department}) and the sealed statistics office may see its disclosure pattern.',
    de: 'Nur der Fachbereich, dem „{indicator}“ gehört ({department}), und die abgeschottete Statistikstelle dürfen das Geheimhaltungsmuster sehen.',
  },
  'address-register-empty': {
    en: 'The address register is empty: import it first with `kommunalmonitor import addresses FILE`.',
    de: 'Das Adressregister ist leer: Importieren Sie es zuerst mit `kommunalmonitor import addresses FILE`.',
  },
  'address-register-no-version-on': {
    en: 'No version of the address register is valid on {date:date}: the oldest is valid from {oldest:date}. List them with `kommunalmonitor addresses versions`.',
    de: 'Kein Stand des Adressregisters gilt am {date:date}: Der älteste gilt ab {oldest:date}. Die Stände zeigt `kommunalmonitor addresses versions`.',
  },
  'address-register-version-empty': { en: 'The address register version valid from {date:date} has no addresses.', de: 'Der Stand des Adressregisters ab {date:date} enthält keine Adressen.' },
  'report-not-in-review': {
    en: 'The report "{report}" is a {status}: submit it for review first (report review {report}).',
    de: 'Der Bericht „{report}“ ist im Status {status}: Legen Sie ihn zuerst zur Prüfung vor (report review {report}).',
  },
  'catalogue-no-page': { en: 'The catalogue has no page {page}.', de: 'Der Katalog hat keine Seite {page}.' },
  'priority-areas-no-version': { en: 'The priority areas "{priority}" have no version valid on {date:date}.', de: 'Die Schwerpunktgebiete „{priority}“ haben keinen Stand am {date:date}.' },
  'priority-areas-other-layer': {
    en: 'The priority areas "{priority}" are areas of "{layer}", not of "{requested}".',
    de: 'Die Schwerpunktgebiete „{priority}“ sind Gebiete von „{layer}“, nicht von „{requested}“.',
  },
  // Comparison between municipalities
  'standard-not-found': { en: 'There is no standard indicator "{standard}" (kommunalmonitor comparison standards list shows them).', de: 'Den Standardindikator „{standard}“ gibt es nicht (kommunalmonitor comparison standards list zeigt sie).' },
  'indicator-not-in-catalogue': { en: `The indicator "{indicator}" does not exist in this municipality's catalogue.`, de: 'Den Indikator „{indicator}“ gibt es im Katalog dieser Kommune nicht.' },
  'standard-not-mapped': { en: '"{standard}" is not mapped in this municipality.', de: '„{standard}“ ist in dieser Kommune keinem Indikator zugeordnet.' },
  'no-territory-layer': {
    en: 'This municipality has no hierarchical layer without a parent (its whole territory); load the spatial structure first.',
    de: 'Diese Kommune hat keine hierarchische Gliederungsebene ohne übergeordnete Ebene (ihr ganzes Gebiet); laden Sie zuerst die Raumgliederung.',
  },
  'no-areas-yet': { en: 'This municipality has no areas yet.', de: 'Diese Kommune hat noch keine Gebiete.' },
  'layer-not-in-municipality': { en: 'There is no layer "{layer}" in this municipality.', de: 'Die Gliederungsebene „{layer}“ gibt es in dieser Kommune nicht.' },
  'comparison-not-opted-in': {
    en: 'The municipality "{tenant}" has not opted in: kommunalmonitor --tenant {tenant} comparison opt-in',
    de: 'Die Kommune „{tenant}“ nimmt nicht teil: kommunalmonitor --tenant {tenant} comparison opt-in',
  },
  'comparison-no-mappings': {
    en: 'The municipality "{tenant}" maps no indicator to a standard yet: kommunalmonitor --tenant {tenant} comparison map STANDARD INDICATOR',
    de: 'Die Kommune „{tenant}“ hat noch keinen Indikator einem Standard zugeordnet: kommunalmonitor --tenant {tenant} comparison map STANDARD INDICATOR',
  },
  // Tenants and the provider
  'tenant-not-found': { en: 'There is no tenant "{tenant}" (kommunalmonitor tenants list shows them).', de: 'Den Mandanten „{tenant}“ gibt es nicht (kommunalmonitor tenants list zeigt sie).' },
  'tenant-exists': { en: 'A tenant "{tenant}" exists already.', de: 'Einen Mandanten „{tenant}“ gibt es bereits.' },
  'provider-admin-exists': { en: 'A provider administrator "{name}" exists already.', de: 'Eine Administration des Betreibers „{name}“ gibt es bereits.' },
  // Rights of departments and of the sealed office
  'spatial-structure-forbidden': {
    en: 'The spatial structure is kept by the department "{department}"; only its stewards and administrators may import areas.',
    de: 'Die Raumgliederung pflegt der Fachbereich „{department}“; nur dessen Datenverantwortliche und die Administration dürfen Gebiete importieren.',
  },
  'address-register-forbidden': {
    en: 'The address register belongs to the spatial structure, kept by the department "{department}"; only its stewards and administrators may import it.',
    de: 'Das Adressregister gehört zur Raumgliederung, die der Fachbereich „{department}“ pflegt; nur dessen Datenverantwortliche und die Administration dürfen es importieren.',
  },
  'publish-forbidden': { en: 'Only stewards of "{department}" may publish "{indicator}".', de: 'Nur Datenverantwortliche von „{department}“ dürfen „{indicator}“ veröffentlichen.' },
  'sealed-office-only': {
    en: 'Only the sealed statistics office (Statistikstelle) may process personal records; an administrator can grant the permission (kommunalmonitor users grant NAME sealed-office).',
    de: 'Personenbezogene Einzeldaten darf nur die abgeschottete Statistikstelle verarbeiten; die Administration kann das Recht vergeben (kommunalmonitor users grant NAME sealed-office).',
  },
  'sealed-definition-not-found': {
    en: 'No sealed definition "{definition}" is stored: store it with PUT /api/sealed/definitions/{definition}, or run it once from the CLI.',
    de: 'Eine Definition „{definition}“ ist nicht gespeichert: Speichern Sie sie mit PUT /api/sealed/definitions/{definition} oder führen Sie sie einmal über die Kommandozeile aus.',
  },
  'no-layer-with-geometry': { en: 'No layer has geometry: import areas from GeoJSON or a Shapefile first. Nothing was changed.', de: 'Keine Gliederungsebene hat Geometrie: Importieren Sie zuerst Gebiete aus GeoJSON oder einem Shapefile. Nichts wurde geändert.' },
  'population-without-observations': { en: 'The population indicator has no stored observations.', de: 'Der Einwohnerindikator hat keine gespeicherten Beobachtungen.' },
  'indicator-without-population-data': { en: 'The indicator "{indicator}" has no data for population weights.', de: 'Der Indikator „{indicator}“ hat keine Daten für Einwohnergewichte.' },
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
