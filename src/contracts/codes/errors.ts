// Codes of the API's error answers (HTTP 401, 403, 404, 409, 429, 500 and a few 400s): the
// English text is the answer's `message`, as it was before codes existed.
import type { CodeText } from './define.ts';

export const ERROR_CODES = {
  // Signing in, sessions, tokens
  'sign-in-required': { en: 'Please sign in to see this.', de: 'Bitte melden Sie sich an.' },
  'wrong-credentials': { en: 'Wrong user name or password.', de: 'Benutzername oder Passwort ist falsch.' },
  'wrong-current-password': { en: 'The current password is wrong.', de: 'Das aktuelle Passwort ist falsch.' },
  'csrf-token': {
    en: 'Missing or wrong CSRF token (header X-CSRF-Token).',
    de: 'Die Sitzung ist abgelaufen. Bitte laden Sie die Seite neu und melden Sie sich erneut an.',
  },
  'api-token-invalid': {
    en: 'The API token is invalid, expired or revoked.',
    de: 'Der API-Token ist ungültig, abgelaufen oder widerrufen.',
  },
  'user-no-access': {
    en: 'The user "{user}" has no access to Kommunalmonitor. Ask an administrator to create the account.',
    de: 'Das Benutzerkonto „{user}“ hat keinen Zugang zum Kommunalmonitor. Bitte wenden Sie sich an die Administration.',
  },
  'user-not-found': { en: 'The user "{user}" does not exist.', de: 'Das Benutzerkonto „{user}“ gibt es nicht.' },
  'user-exists': { en: 'The user "{user}" exists already.', de: 'Das Benutzerkonto „{user}“ gibt es bereits.' },
  'user-disabled': { en: 'The user "{user}" is disabled.', de: 'Das Benutzerkonto „{user}“ ist gesperrt.' },
  'provider-sign-in-required': {
    en: 'Please sign in as a provider administrator.',
    de: 'Bitte melden Sie sich als Administration des Betreibers an.',
  },
  'sign-ins-locked': {
    en: 'Too many failed sign-ins: the account is locked for {minutes:number} more minute(s).',
    de: 'Zu viele fehlgeschlagene Anmeldungen: Das Benutzerkonto ist noch {minutes:number} Minute(n) gesperrt.',
  },
  'sign-ins-from-address': {
    en: 'Too many sign-in attempts from this address; try again in {minutes:number} minute(s).',
    de: 'Zu viele Anmeldeversuche von dieser Adresse; bitte versuchen Sie es in {minutes:number} Minute(n) erneut.',
  },
  'admins-only': {
    en: 'Only administrators may do this.',
    de: 'Das dürfen nur Administratorinnen und Administratoren.',
  },
  'own-tokens-only': {
    en: 'You may create tokens only for yourself.',
    de: 'Sie dürfen API-Token nur für sich selbst anlegen.',
  },
  // What a request names
  'layer-not-found': { en: 'The layer "{layer}" does not exist.', de: 'Die Gliederungsebene „{layer}“ gibt es nicht.' },
  'layer-without-version': {
    en: 'The layer "{layer}" has no boundary version.',
    de: 'Die Gliederungsebene „{layer}“ hat keinen Gebietsstand.',
  },
  'layer-without-version-on': {
    en: 'The layer "{layer}" has no boundary version valid on {date:date}.',
    de: 'Die Gliederungsebene „{layer}“ hat keinen Gebietsstand am {date:date}.',
  },
  'area-not-found': {
    en: 'The area {area} does not exist in layer "{layer}".',
    de: 'Das Gebiet {area} gibt es in der Gliederungsebene „{layer}“ nicht.',
  },
  'indicator-not-found': {
    en: 'The indicator "{indicator}" does not exist.',
    de: 'Den Indikator „{indicator}“ gibt es nicht.',
  },
  'indicator-internal': {
    en: 'The indicator "{indicator}" is internal: please sign in.',
    de: 'Der Indikator „{indicator}“ ist intern: bitte melden Sie sich an.',
  },
  'indicator-without-data': {
    en: 'The indicator "{indicator}" has no data yet.',
    de: 'Für den Indikator „{indicator}“ liegen noch keine Daten vor.',
  },
  'period-without-data': {
    en: 'There is no data for the period {period}.',
    de: 'Für den Zeitraum {period} liegen keine Daten vor.',
  },
  'report-internal': {
    en: 'The report "{report}" is internal: please sign in.',
    de: 'Der Bericht „{report}“ ist intern: bitte melden Sie sich an.',
  },
  'facility-set-internal': {
    en: 'The facility set "{set}" is internal: please sign in.',
    de: 'Der Einrichtungsbestand „{set}“ ist intern: bitte melden Sie sich an.',
  },
  'report-not-found': { en: 'The report "{report}" does not exist.', de: 'Den Bericht „{report}“ gibt es nicht.' },
  'report-without-content': {
    en: 'The report "{report}" has no content yet.',
    de: 'Der Bericht „{report}“ hat noch keinen Inhalt.',
  },
  'report-change-forbidden': {
    en: 'Only administrators and the stewards of the department "{department}" may change the report "{report}".',
    de: 'Nur die Administration und die Datenverantwortlichen des Fachbereichs „{department}“ dürfen den Bericht „{report}“ ändern.',
  },
  'measure-not-found': { en: 'The measure "{measure}" does not exist.', de: 'Die Maßnahme „{measure}“ gibt es nicht.' },
  'measures-change-forbidden': {
    en: 'Measures of the department "{department}" may only be changed by its stewards and administrators. Nothing was changed.',
    de: 'Maßnahmen des Fachbereichs „{department}“ dürfen nur dessen Datenverantwortliche und die Administration ändern. Nichts wurde geändert.',
  },
  'priority-areas-forbidden': {
    en: 'Only stewards and administrators may designate priority areas.',
    de: 'Nur Datenverantwortliche und die Administration dürfen Schwerpunktgebiete festlegen.',
  },
  'department-exists': {
    en: 'The department "{department}" exists already.',
    de: 'Den Fachbereich „{department}“ gibt es bereits.',
  },
  'token-not-found': { en: 'The token {id} does not exist.', de: 'Den API-Token {id} gibt es nicht.' },
  'setup-link-invalid': {
    en: 'This setup link is not valid (any more).',
    de: 'Dieser Einrichtungslink ist nicht (mehr) gültig.',
  },
  'viewers-cannot-save-indices': { en: 'Viewers cannot save indices.', de: 'Lesende können keine Indizes speichern.' },
  'viewers-cannot-save-typologies': {
    en: 'Viewers cannot save typologies.',
    de: 'Lesende können keine Typologien speichern.',
  },
  'index-not-found': { en: 'The index "{index}" does not exist.', de: 'Den Index „{index}“ gibt es nicht.' },
  'cockpit-change-forbidden': {
    en: 'Only administrators and analysts may change the cockpit.',
    de: 'Nur die Administration und Analysierende dürfen das Cockpit ändern.',
  },
  'facility-set-not-found': {
    en: 'The facility set "{set}" does not exist.',
    de: 'Den Einrichtungsbestand „{set}“ gibt es nicht.',
  },
  'server-busy-rendering': {
    en: 'The server is busy rendering other documents; try again in {seconds:number} seconds.',
    de: 'Der Server erstellt gerade andere Dokumente; bitte versuchen Sie es in {seconds:number} Sekunden erneut.',
  },
  'oidc-not-configured': {
    en: 'Sign-in through OpenID Connect is not configured here.',
    de: 'Die Anmeldung über OpenID Connect ist hier nicht eingerichtet.',
  },
  'address-register-sign-in': {
    en: 'The address register needs a signed-in user or an API token.',
    de: 'Das Adressregister braucht eine Anmeldung oder einen API-Token.',
  },
  'reallocation-sign-in': {
    en: 'Reallocating needs a signed-in user or an API token.',
    de: 'Das Umschlüsseln braucht eine Anmeldung oder einen API-Token.',
  },
  'collection-not-found': {
    en: 'The collection "{collection}" does not exist.',
    de: 'Die Sammlung „{collection}“ gibt es nicht.',
  },
  'no-such-resource': { en: 'No such resource: {method} {path}', de: 'Diese Adresse gibt es nicht: {method} {path}' },
  'comparison-needs-tenants': {
    en: 'The comparison between municipalities needs a PostgreSQL server with tenants (DATABASE_URL and kommunalmonitor tenants …): the embedded database holds one municipality only (docs/comparison.md).',
    de: 'Der Kommunalvergleich braucht einen PostgreSQL-Server mit Mandanten (DATABASE_URL und kommunalmonitor tenants …): Die eingebettete Datenbank enthält nur eine Kommune (docs/comparison.md).',
  },
  // Uploads, refused before the body is read (src/http/uploads.ts)
  'upload-sign-in': {
    en: 'This needs a signed-in user or an API token.',
    de: 'Dafür ist eine Anmeldung oder ein API-Token nötig.',
  },
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
  'area-not-in-index': {
    en: 'The area {area} is not in the index "{index}" (layer "{layer}").',
    de: 'Das Gebiet {area} ist nicht im Index „{index}“ (Gliederungsebene „{layer}“).',
  },
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
  'address-register-version-empty': {
    en: 'The address register version valid from {date:date} has no addresses.',
    de: 'Der Stand des Adressregisters ab {date:date} enthält keine Adressen.',
  },
  'report-not-in-review': {
    en: 'The report "{report}" is a {status}: submit it for review first (report review {report}).',
    de: 'Der Bericht „{report}“ ist im Status {status}: Legen Sie ihn zuerst zur Prüfung vor (report review {report}).',
  },
  'catalogue-no-page': { en: 'The catalogue has no page {page}.', de: 'Der Katalog hat keine Seite {page}.' },
  'priority-areas-no-version': {
    en: 'The priority areas "{priority}" have no version valid on {date:date}.',
    de: 'Die Schwerpunktgebiete „{priority}“ haben keinen Stand am {date:date}.',
  },
  'priority-areas-other-layer': {
    en: 'The priority areas "{priority}" are areas of "{layer}", not of "{requested}".',
    de: 'Die Schwerpunktgebiete „{priority}“ sind Gebiete von „{layer}“, nicht von „{requested}“.',
  },
  // Comparison between municipalities
  'standard-not-found': {
    en: 'There is no standard indicator "{standard}" (kommunalmonitor comparison standards list shows them).',
    de: 'Den Standardindikator „{standard}“ gibt es nicht (kommunalmonitor comparison standards list zeigt sie).',
  },
  'indicator-not-in-catalogue': {
    en: `The indicator "{indicator}" does not exist in this municipality's catalogue.`,
    de: 'Den Indikator „{indicator}“ gibt es im Katalog dieser Kommune nicht.',
  },
  'standard-not-mapped': {
    en: '"{standard}" is not mapped in this municipality.',
    de: '„{standard}“ ist in dieser Kommune keinem Indikator zugeordnet.',
  },
  'no-territory-layer': {
    en: 'This municipality has no hierarchical layer without a parent (its whole territory); load the spatial structure first.',
    de: 'Diese Kommune hat keine hierarchische Gliederungsebene ohne übergeordnete Ebene (ihr ganzes Gebiet); laden Sie zuerst die Raumgliederung.',
  },
  'no-areas-yet': { en: 'This municipality has no areas yet.', de: 'Diese Kommune hat noch keine Gebiete.' },
  'layer-not-in-municipality': {
    en: 'There is no layer "{layer}" in this municipality.',
    de: 'Die Gliederungsebene „{layer}“ gibt es in dieser Kommune nicht.',
  },
  'comparison-not-opted-in': {
    en: 'The municipality "{tenant}" has not opted in: kommunalmonitor --tenant {tenant} comparison opt-in',
    de: 'Die Kommune „{tenant}“ nimmt nicht teil: kommunalmonitor --tenant {tenant} comparison opt-in',
  },
  'comparison-no-mappings': {
    en: 'The municipality "{tenant}" maps no indicator to a standard yet: kommunalmonitor --tenant {tenant} comparison map STANDARD INDICATOR',
    de: 'Die Kommune „{tenant}“ hat noch keinen Indikator einem Standard zugeordnet: kommunalmonitor --tenant {tenant} comparison map STANDARD INDICATOR',
  },
  // Tenants and the provider
  'tenant-not-found': {
    en: 'There is no tenant "{tenant}" (kommunalmonitor tenants list shows them).',
    de: 'Den Mandanten „{tenant}“ gibt es nicht (kommunalmonitor tenants list zeigt sie).',
  },
  'tenant-exists': { en: 'A tenant "{tenant}" exists already.', de: 'Einen Mandanten „{tenant}“ gibt es bereits.' },
  'provider-admin-exists': {
    en: 'A provider administrator "{name}" exists already.',
    de: 'Eine Administration des Betreibers „{name}“ gibt es bereits.',
  },
  // Rights of departments and of the sealed office
  'spatial-structure-forbidden': {
    en: 'The spatial structure is kept by the department "{department}"; only its stewards and administrators may import areas.',
    de: 'Die Raumgliederung pflegt der Fachbereich „{department}“; nur dessen Datenverantwortliche und die Administration dürfen Gebiete importieren.',
  },
  'address-register-forbidden': {
    en: 'The address register belongs to the spatial structure, kept by the department "{department}"; only its stewards and administrators may import it.',
    de: 'Das Adressregister gehört zur Raumgliederung, die der Fachbereich „{department}“ pflegt; nur dessen Datenverantwortliche und die Administration dürfen es importieren.',
  },
  'publish-forbidden': {
    en: 'Only stewards of "{department}" may publish "{indicator}".',
    de: 'Nur Datenverantwortliche von „{department}“ dürfen „{indicator}“ veröffentlichen.',
  },
  'sealed-office-only': {
    en: 'Only the sealed statistics office (Statistikstelle) may process personal records; an administrator can grant the permission (kommunalmonitor users grant NAME sealed-office).',
    de: 'Personenbezogene Einzeldaten darf nur die abgeschottete Statistikstelle verarbeiten; die Administration kann das Recht vergeben (kommunalmonitor users grant NAME sealed-office).',
  },
  'sealed-definition-not-found': {
    en: 'No sealed definition "{definition}" is stored: store it with PUT /api/sealed/definitions/{definition}, or run it once from the CLI.',
    de: 'Eine Definition „{definition}“ ist nicht gespeichert: Speichern Sie sie mit PUT /api/sealed/definitions/{definition} oder führen Sie sie einmal über die Kommandozeile aus.',
  },
  'no-layer-with-geometry': {
    en: 'No layer has geometry: import areas from GeoJSON or a Shapefile first. Nothing was changed.',
    de: 'Keine Gliederungsebene hat Geometrie: Importieren Sie zuerst Gebiete aus GeoJSON oder einem Shapefile. Nichts wurde geändert.',
  },
  'population-without-observations': {
    en: 'The population indicator has no stored observations.',
    de: 'Der Einwohnerindikator hat keine gespeicherten Beobachtungen.',
  },
  'indicator-without-population-data': {
    en: 'The indicator "{indicator}" has no data for population weights.',
    de: 'Der Indikator „{indicator}“ hat keine Daten für Einwohnergewichte.',
  },
  // The youth forum (src/services/forum.ts, forum-import.ts, src/http/forum-routes.ts)
  'forum-change-forbidden': {
    en: 'Only administrators and the stewards of the department "{department}" may {action}.',
    de: 'Nur die Administration und die Datenverantwortlichen des Fachbereichs „{department}“ dürfen {action}.',
  },
  // What a forum's staff may do: the {action} of forum-change-forbidden.
  'forum-action-create': { en: 'create a forum for it', de: 'dafür ein Forum anlegen' },
  'forum-action-meetings': { en: 'record meetings of this forum', de: 'Sitzungen dieses Forums erfassen' },
  'forum-action-topics': { en: 'record topics of this forum', de: 'Themen dieses Forums erfassen' },
  'forum-action-queue': {
    en: 'see the moderation queue of this forum',
    de: 'die Moderationsliste dieses Forums sehen',
  },
  'forum-action-moderate': { en: 'moderate topics of this forum', de: 'Themen dieses Forums moderieren' },
  'forum-action-merge': { en: 'merge topics of this forum', de: 'Themen dieses Forums zusammenführen' },
  'forum-action-merge-into': { en: 'merge topics into this forum', de: 'Themen in dieses Forum zusammenführen' },
  'forum-action-assign': { en: 'assign topics of this forum', de: 'Themen dieses Forums zuweisen' },
  'forum-action-answer': { en: 'answer for this department', de: 'für diesen Fachbereich antworten' },
  'forum-action-link': { en: 'link this topic', de: 'dieses Thema verknüpfen' },
  'forum-action-place': { en: 'place topics of this forum', de: 'Themen dieses Forums verorten' },
  'forum-action-delete': { en: 'delete topics of this forum', de: 'Themen dieses Forums löschen' },
  'forum-action-make-codes': {
    en: 'make support codes for this forum',
    de: 'Unterstützungscodes für dieses Forum erzeugen',
  },
  'forum-action-see-batches': { en: 'see the code batches of this forum', de: 'die Code-Serien dieses Forums sehen' },
  'forum-action-revoke-batches': {
    en: 'revoke code batches of this forum',
    de: 'Code-Serien dieses Forums widerrufen',
  },
  'forum-action-add-photos': {
    en: 'add photos to topics of this forum',
    de: 'Fotos zu Themen dieses Forums hinzufügen',
  },
  'forum-action-moderate-photos': { en: 'moderate photos of this forum', de: 'Fotos dieses Forums moderieren' },
  'forum-action-delete-photos': { en: 'delete photos of this forum', de: 'Fotos dieses Forums löschen' },
  'forum-import-forbidden': {
    en: 'Only administrators and the stewards of "{department}" may import into forum "{forum}".',
    de: 'Nur die Administration und die Datenverantwortlichen von „{department}“ dürfen in das Forum „{forum}“ importieren.',
  },
  'forum-not-found': { en: 'No forum "{forum}".', de: 'Ein Forum „{forum}“ gibt es nicht.' },
  'forum-exists': { en: 'A forum "{forum}" exists already.', de: 'Ein Forum „{forum}“ gibt es bereits.' },
  'topic-not-found': { en: 'No topic {id}.', de: 'Ein Thema {id} gibt es nicht.' },
  'photo-not-found': { en: 'No photo {id}.', de: 'Ein Foto {id} gibt es nicht.' },
  'code-batch-not-found': {
    en: 'No code batch {batch} in forum "{forum}".',
    de: 'Eine Code-Serie {batch} gibt es im Forum „{forum}“ nicht.',
  },
  'topic-not-pending': {
    en: 'Topic {id} is not waiting for moderation (it is {moderation}).',
    de: 'Das Thema {id} wartet nicht auf Moderation (Status: {moderation}).',
  },
  'topic-not-published': {
    en: 'Topic {id} is not published (it is {moderation}).',
    de: 'Das Thema {id} ist nicht veröffentlicht (Status: {moderation}).',
  },
  'merge-target-not-published': {
    en: 'Topic {id} is not published; merge into a published topic.',
    de: 'Das Thema {id} ist nicht veröffentlicht; führen Sie in ein veröffentlichtes Thema zusammen.',
  },
  'topic-merged-already': { en: 'Topic {id} is merged already.', de: 'Das Thema {id} ist bereits zusammengeführt.' },
  'topic-rejected-already': { en: 'Topic {id} is rejected already.', de: 'Das Thema {id} ist bereits abgelehnt.' },
  'topic-without-department': {
    en: 'Topic {id} has no responsible department yet; assign it first.',
    de: 'Das Thema {id} hat noch keinen zuständigen Fachbereich; weisen Sie es zuerst zu.',
  },
  'topic-merged-support-other': {
    en: 'Topic {id} was merged into topic {into}; support that one.',
    de: 'Das Thema {id} wurde in das Thema {into} zusammengeführt; unterstützen Sie jenes.',
  },
  'support-code-used': {
    en: 'This code has supported this topic already.',
    de: 'Mit diesem Code wurde dieses Thema bereits unterstützt.',
  },
  'too-many-proposals': {
    en: 'Too many proposals from here; please try again later.',
    de: 'Zu viele Vorschläge von hier; bitte versuchen Sie es später erneut.',
  },
  'too-many-supports': {
    en: 'Too many supports from here; please try again later.',
    de: 'Zu viele Unterstützungen von hier; bitte versuchen Sie es später erneut.',
  },
  // Provider access (src/services/provider-access.ts) and tenants (src/store/tenants.ts)
  'provider-access-not-in-force': {
    en: 'The provider administrator "{admin}" has no access in force.',
    de: 'Die Administration des Betreibers „{admin}“ hat keinen geltenden Zugang.',
  },
  'provider-access-not-granted': {
    en: 'This municipality has not granted "{admin}" access to its data (or the grant has ended). Its administrators grant it: kommunalmonitor --tenant KEY provider-access grant {admin} --role viewer --until YYYY-MM-DD.',
    de: 'Diese Kommune hat „{admin}“ keinen Zugang zu ihren Daten eingeräumt (oder er ist abgelaufen). Ihre Administration räumt ihn ein: kommunalmonitor --tenant KEY provider-access grant {admin} --role viewer --until YYYY-MM-DD.',
  },
  'provider-account-taken': {
    en: 'This municipality has its own account "{name}"; rename it before granting "{admin}" access.',
    de: 'Diese Kommune hat ein eigenes Benutzerkonto „{name}“; benennen Sie es um, bevor Sie „{admin}“ Zugang einräumen.',
  },
  'tenant-schema-exists': {
    en: 'The schema {schema} exists already without a directory entry; remove or rename it first.',
    de: 'Das Schema {schema} gibt es bereits ohne Eintrag im Mandantenverzeichnis; entfernen oder benennen Sie es zuerst um.',
  },
  'tenant-export-too-new': {
    en: 'The export has schema version {version} (migrations {migrations}), which this installation (version {own}) cannot restore; import it with the release that wrote it or a newer one.',
    de: 'Der Export hat die Schemaversion {version} (Migrationen {migrations}), die diese Installation (Version {own}) nicht wiederherstellen kann; importieren Sie ihn mit der Version, die ihn geschrieben hat, oder einer neueren.',
  },
  'tenant-never-exported': {
    en: 'The tenant "{tenant}" has never been exported; export it first: kommunalmonitor tenants export {tenant} --output FILE',
    de: 'Der Mandant „{tenant}“ wurde nie exportiert; exportieren Sie ihn zuerst: kommunalmonitor tenants export {tenant} --output FILE',
  },
  'tenant-changed-since-export': {
    en: 'The tenant "{tenant}" has changed since its last export ({file}); export it again first (suspend it before, so that it cannot change: kommunalmonitor tenants suspend {tenant}).',
    de: 'Der Mandant „{tenant}“ hat sich seit seinem letzten Export ({file}) geändert; exportieren Sie ihn zuerst erneut (und setzen Sie ihn vorher aus, damit er sich nicht ändert: kommunalmonitor tenants suspend {tenant}).',
  },
  // {placeholder} is the text "{key}" (a template cannot write braces itself).
  'tenant-address-needed': {
    en: 'This installation serves several municipalities: address one as /t/{placeholder}/… (e.g. /t/musterstadt/api/indicators).',
    de: 'Diese Installation bedient mehrere Kommunen: Sprechen Sie eine als /t/{placeholder}/… an (z. B. /t/musterstadt/api/indicators).',
  },
  'no-such-tenant': { en: 'There is no such tenant.', de: 'Diesen Mandanten gibt es nicht.' },
  'tenant-cannot-be-served': {
    en: 'The tenant cannot be served right now ({cause}).',
    de: 'Der Mandant lässt sich gerade nicht bedienen ({cause}).',
  },
  'tenant-being-set-up': {
    en: 'The tenant "{tenant}" is being set up.',
    de: 'Der Mandant „{tenant}“ wird gerade eingerichtet.',
  },
  'tenant-suspended': { en: 'The tenant "{tenant}" is suspended.', de: 'Der Mandant „{tenant}“ ist ausgesetzt.' },
  'tenant-migration-failed': {
    en: 'The tenant "{tenant}" could not be migrated to schema version {version}; the provider has been told (kommunalmonitor tenants list).',
    de: 'Der Mandant „{tenant}“ ließ sich nicht auf die Schemaversion {version} migrieren; der Betreiber ist benachrichtigt (kommunalmonitor tenants list).',
  },
  'tenant-migrating': {
    en: 'The tenant "{tenant}" is being migrated to schema version {version} (now {now}); try again shortly.',
    de: 'Der Mandant „{tenant}“ wird gerade auf die Schemaversion {version} migriert (jetzt {now}); bitte versuchen Sie es gleich erneut.',
  },
  'tenant-schema-newer': {
    en: `The tenant "{tenant}" has schema version {version}, newer than this server's {own}; this server must be upgraded.`,
    de: 'Der Mandant „{tenant}“ hat die Schemaversion {version}, neuer als die dieses Servers ({own}); dieser Server muss aktualisiert werden.',
  },
  // The data directory of the embedded database (src/store/lock.ts)
  'data-dir-in-use-by-server': {
    en: "The data directory {dir} is in use by a running Kommunalmonitor server (pid {pid}{at}). Opening it a second time could corrupt it, so this command was refused. Use the running server's API ({url}/api), or stop the server and run the command again.",
    de: 'Das Datenverzeichnis {dir} wird von einem laufenden Kommunalmonitor-Server benutzt (pid {pid}{at}). Ein zweites Öffnen könnte es beschädigen, daher wurde dieser Befehl abgelehnt. Nutzen Sie die API des laufenden Servers ({url}/api), oder beenden Sie den Server und führen Sie den Befehl erneut aus.',
  },
  'data-dir-in-use-by-command': {
    en: 'The data directory {dir} is in use by another kommunalmonitor command (pid {pid}). Opening it a second time could corrupt it, so this command was refused. Wait until that command has finished and try again.',
    de: 'Das Datenverzeichnis {dir} wird von einem anderen kommunalmonitor-Befehl benutzt (pid {pid}). Ein zweites Öffnen könnte es beschädigen, daher wurde dieser Befehl abgelehnt. Warten Sie, bis jener Befehl beendet ist, und versuchen Sie es erneut.',
  },
  'data-dir-lock-failed': {
    en: 'Could not lock the data directory {dir}; try again.',
    de: 'Das Datenverzeichnis {dir} ließ sich nicht sperren; bitte versuchen Sie es erneut.',
  },
  // Sign-in through OpenID Connect (src/http/oidc.ts)
  'oidc-redirect-mismatch': {
    en: 'The OpenID Connect redirect address of this tenant must end with {expected}, not {actual}',
    de: 'Die OpenID-Connect-Rückleitungsadresse dieses Mandanten muss auf {expected} enden, nicht auf {actual}',
  },
  // The OGC API (src/http/ogc-routes.ts, src/services/ogc.ts)
  'ogc-no-such-resource': {
    en: 'No such resource: {path}. The OGC API starts at {prefix}.',
    de: 'Diese Adresse gibt es nicht: {path}. Die OGC-API beginnt bei {prefix}.',
  },
  'ogc-id-too-long': {
    en: 'No such resource: an id of {length} characters (at most {max}).',
    de: 'Diese Adresse gibt es nicht: eine Kennung mit {length} Zeichen (höchstens {max}).',
  },
  'feature-not-found': {
    en: 'The feature "{feature}" does not exist in the collection "{collection}".',
    de: 'Das Objekt „{feature}“ gibt es in der Sammlung „{collection}“ nicht.',
  },
  'feature-not-found-on': {
    en: 'The feature "{feature}" does not exist in the collection "{collection}" on {date}.',
    de: 'Das Objekt „{feature}“ gibt es in der Sammlung „{collection}“ am {date:date} nicht.',
  },
  // Reports (src/services/reports.ts)
  'report-release-not-found': {
    en: 'The report "{report}" has no release {release}.',
    de: 'Der Bericht „{report}“ hat keine Veröffentlichung {release}.',
  },
  'report-release-not-found-for': {
    en: 'The report "{report}" has no release {release} for {params}.',
    de: 'Der Bericht „{report}“ hat keine Veröffentlichung {release} für {params}.',
  },
  // Rights over indicators, listed by key with their owner
  'own-indicators-only': {
    en: "You may change only your own department's indicators; refused: {refused}. Nothing was changed.",
    de: 'Sie dürfen nur die Indikatoren Ihres eigenen Fachbereichs ändern; abgelehnt: {refused}. Nichts wurde geändert.',
  },
  'own-indicators-only-import': {
    en: "{file}: you may import data only for your own department's indicators; refused: {refused}. Nothing was changed.",
    de: '{file}: Sie dürfen Daten nur für die Indikatoren Ihres eigenen Fachbereichs importieren; abgelehnt: {refused}. Nichts wurde geändert.',
  },
  // An indicator's key with its owning department, an item of {refused}; "none" without one.
  'indicator-of-owner': { en: '{indicator} (owner {owner})', de: '{indicator} (Fachbereich {owner})' },
  'indicator-of-no-owner': { en: '{indicator} (owner none)', de: '{indicator} (ohne Fachbereich)' },
  // A list as one parameter: its first item and the rest (src/core/problems.ts codedList).
  'list-items': { en: '{first}, {rest}', de: '{first}, {rest}' },
  // Type and dimensions of indicators that cannot change
  'sealed-indicator-shape-fixed': {
    en: 'The indicator "{indicator}" already has observations as a {type} by {dimensions}; its type and dimensions cannot change (the definition gives a count by {wanted}). Nothing was changed.',
    de: 'Der Indikator „{indicator}“ hat bereits Beobachtungen vom Typ {type} nach {dimensions}; Typ und Merkmale lassen sich nicht mehr ändern (die Definition ergibt eine Anzahl nach {wanted}). Nichts wurde geändert.',
  },
  'phrase-no-dimension': { en: 'no dimension', de: 'keinem Merkmal' },
  'facility-indicator-shape-fixed': {
    en: 'The indicator "{indicator}" exists with {existing}; this import would give it [{dimensions}]. {advice}, or use another --set key. Nothing was changed.',
    de: 'Den Indikator „{indicator}“ gibt es bereits mit {existing}; dieser Import gäbe ihm [{dimensions}]. {advice}, oder nutzen Sie einen anderen Schlüssel mit --set. Nichts wurde geändert.',
  },
  'phrase-breakdown': { en: 'the breakdown [{dimensions}]', de: 'der Gliederung [{dimensions}]' },
  'phrase-type': { en: 'type {type}', de: 'dem Typ {type}' },
  'phrase-none': { en: 'none', de: 'keine' },
  'phrase-leave-out-category': { en: 'Leave out --category', de: 'Lassen Sie --category weg' },
  'phrase-give-category-again': { en: 'Give --category again', de: 'Geben Sie --category wieder an' },
  // Reallocation (src/services/reallocation.ts); {from} and {to} name a boundary version as layer@date
  'reallocation-no-values': {
    en: '"{indicator}" has no values on {from} for {periods}: nothing to reallocate.',
    de: '„{indicator}“ hat auf {from} keine Werte für {periods}: Es gibt nichts umzuschlüsseln.',
  },
  'reallocation-no-data-for-period': {
    en: '"{indicator}" has no data for {period}.',
    de: '„{indicator}“ hat keine Daten für {period}.',
  },
  'reallocation-no-periods': {
    en: '"{indicator}" has no periods whose boundary version is {from}: nothing to reallocate.',
    de: '„{indicator}“ hat keine Zeiträume mit dem Gebietsstand {from}: Es gibt nichts umzuschlüsseln.',
  },
  'reallocation-no-periods-not': {
    en: '"{indicator}" has no periods whose boundary version is {from} and not {to}: nothing to reallocate.',
    de: '„{indicator}“ hat keine Zeiträume mit dem Gebietsstand {from} und nicht {to}: Es gibt nichts umzuschlüsseln.',
  },
  'reallocation-clash': {
    en: '{layer} already has {n} imported observation(s) of "{indicator}" where estimates would go (e.g. {examples}); real data are never overwritten by estimates. Nothing was changed.',
    de: '{layer} hat bereits {n} importierte Beobachtung(en) von „{indicator}“, wo Schätzungen hinkämen (z. B. {examples}); echte Daten werden nie durch Schätzungen überschrieben. Nichts wurde geändert.',
  },
  'reallocation-clash-from': {
    en: '{layer} (from {date}) already has {n} imported observation(s) of "{indicator}" where estimates would go (e.g. {examples}); real data are never overwritten by estimates. Nothing was changed.',
    de: '{layer} (ab {date:date}) hat bereits {n} importierte Beobachtung(en) von „{indicator}“, wo Schätzungen hinkämen (z. B. {examples}); echte Daten werden nie durch Schätzungen überschrieben. Nichts wurde geändert.',
  },
  'reallocation-finer-values': {
    en: '{layer} already gets values of "{indicator}" for {periods} from finer areas ({layers}); estimates stored on it would hide them. Nothing was changed.',
    de: '{layer} erhält bereits Werte von „{indicator}“ für {periods} aus feineren Gebieten ({layers}); dort gespeicherte Schätzungen würden sie verdecken. Nichts wurde geändert.',
  },
  'reallocation-finer-values-from': {
    en: '{layer} (from {date}) already gets values of "{indicator}" for {periods} from finer areas ({layers}); estimates stored on it would hide them. Nothing was changed.',
    de: '{layer} (ab {date:date}) erhält bereits Werte von „{indicator}“ für {periods} aus feineren Gebieten ({layers}); dort gespeicherte Schätzungen würden sie verdecken. Nichts wurde geändert.',
  },
  'reallocation-changes-coarser': {
    en: 'Storing the estimates would change {n} value(s) of coarser layers ({values}): they would be counted in addition to (or instead of) the data stored on {from}. Nothing was changed. Estimates for a boundary version can be stored where the data come from a finer layer both versions nest in (e.g. blocks), or on a layer nothing aggregates into (an overlay).',
    de: 'Das Speichern der Schätzungen würde {n} Wert(e) gröberer Gliederungsebenen ändern ({values}): Sie würden zusätzlich zu (oder statt) den auf {from} gespeicherten Daten gezählt. Nichts wurde geändert. Schätzungen für einen Gebietsstand lassen sich dort speichern, wo die Daten aus einer feineren Ebene kommen, in die sich beide Stände schachteln (z. B. Blöcke), oder auf einer Ebene, aus der nichts zusammengefasst wird (eine Überlagerungsebene).',
  },
  // Population weights (src/services/spatial.ts)
  'population-weights-need-source': {
    en: 'Population weights need either the indicator "{indicator}" with data on a finer layer, or the address register: {cause}',
    de: 'Einwohnergewichte brauchen entweder den Indikator „{indicator}“ mit Daten auf einer feineren Gliederungsebene oder das Adressregister: {cause}',
  },
  'address-register-no-coordinates': {
    en: 'The address register version valid from {date:date} has no address with coordinates; population weights from address points need them.',
    de: 'Der Stand des Adressregisters ab {date:date} hat keine Adresse mit Koordinaten; Einwohnergewichte aus Adresspunkten brauchen sie.',
  },
  // The summary line of rejected input (InputRejected, src/core/problems.ts), before its list of problems
  'input-rejected': {
    en: '{n} error(s) found; nothing was changed.',
    de: '{n:number} Fehler gefunden; nichts wurde geändert.',
  },
  'observations-not-imported': {
    en: 'The observations in {file} were not imported: {n} error(s) in {rows} rows. Nothing was changed.',
    de: 'Die Beobachtungen in {file} wurden nicht importiert: {n:number} Fehler in {rows:number} Zeilen. Nichts wurde geändert.',
  },
  'measures-not-imported': {
    en: 'The measures in {file} were not imported: {n} error(s). Nothing was changed.',
    de: 'Die Maßnahmen in {file} wurden nicht importiert: {n:number} Fehler. Nichts wurde geändert.',
  },
  'facilities-not-imported': {
    en: 'The facilities in {file} were not imported: {n} error(s). Nothing was changed.',
    de: 'Die Einrichtungen in {file} wurden nicht importiert: {n:number} Fehler. Nichts wurde geändert.',
  },
  'addresses-not-imported': {
    en: 'The addresses in {file} were not imported: {n} error(s). Nothing was changed.',
    de: 'Die Adressen in {file} wurden nicht importiert: {n:number} Fehler. Nichts wurde geändert.',
  },
  'addresses-not-imported-rows': {
    en: 'The addresses in {file} were not imported: {n} error(s) in {rows} rows. Nothing was changed.',
    de: 'Die Adressen in {file} wurden nicht importiert: {n:number} Fehler in {rows:number} Zeilen. Nichts wurde geändert.',
  },
  'points-not-read': {
    en: 'The points in {file} were not read: {n} error(s).',
    de: 'Die Punkte in {file} wurden nicht gelesen: {n:number} Fehler.',
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
