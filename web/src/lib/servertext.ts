// The server's messages (English, from src/) in the language of the interface (issue #15, item 12):
// known messages by rule, the rest by their HTTP status with the original message kept after it.
// Pure: unit-tested in test/web/servertext.test.ts.
import type { Lang } from './format.ts';

type Rule = [RegExp, (m: RegExpExecArray) => string];

const DE: Rule[] = [
  [/^Wrong user name or password\.?$/, () => 'Benutzername oder Passwort ist falsch.'],
  [/^The current password is wrong\.?$/, () => 'Das aktuelle Passwort ist falsch.'],
  [/^The area (\S+) does not exist in layer "(.+)"\.?$/, (m) => `Das Gebiet ${m[1]} gibt es in der Gliederungsebene „${m[2]}“ nicht.`],
  [/^The layer "(.+)" does not exist\.?$/, (m) => `Die Gliederungsebene „${m[1]}“ gibt es nicht.`],
  [/^The layer "(.+)" has no boundary version(?: valid on (\S+))?\.?$/, (m) => `Die Gliederungsebene „${m[1]}“ hat keinen Gebietsstand${m[2] ? ` am ${m[2].split('-').reverse().join('.')}` : ''}.`],
  [/^The indicator "(.+)" does not exist\.?$/, (m) => `Den Indikator „${m[1]}“ gibt es nicht.`],
  [/^The indicator "(.+)" is internal: please sign in\.?$/, (m) => `Der Indikator „${m[1]}“ ist intern: bitte melden Sie sich an.`],
  [/^The indicator "(.+)" has no data yet\.?$/, (m) => `Für den Indikator „${m[1]}“ liegen noch keine Daten vor.`],
  [/^There is no data for the period (.+?)\.?$/, (m) => `Für den Zeitraum ${m[1]} liegen keine Daten vor.`],
  [/^The user "(.+)" has no access to Kommunalmonitor\..*$/, (m) => `Das Benutzerkonto „${m[1]}“ hat keinen Zugang zum Kommunalmonitor. Bitte wenden Sie sich an die Administration.`],
  [/^The user "(.+)" does not exist\.?$/, (m) => `Das Benutzerkonto „${m[1]}“ gibt es nicht.`],
  [/^Missing or wrong CSRF token.*$/, () => 'Die Sitzung ist abgelaufen. Bitte laden Sie die Seite neu und melden Sie sich erneut an.'],
  [/^The API token is invalid, expired or revoked\.?$/, () => 'Der API-Token ist ungültig, abgelaufen oder widerrufen.'],
  [/^Unauthorized$/, () => 'Bitte melden Sie sich an.'],
  [/^Forbidden$/, () => 'Kein Zugriff.'],
  [/^Not Found$/, () => 'Nicht gefunden.'],
  [/^Internal Server Error$/, () => 'Interner Fehler des Servers.'],
];

const STATUS_DE: Record<number, string> = { 400: 'Ungültige Anfrage', 401: 'Anmeldung erforderlich', 403: 'Kein Zugriff', 404: 'Nicht gefunden', 409: 'Konflikt', 413: 'Zu groß', 429: 'Zu viele Anfragen', 500: 'Fehler des Servers', 503: 'Dienst nicht verfügbar' };

/** A server message for the user: German for German pages (known ones translated, others named by status). */
export function serverText(message: string, status: number, lang: Lang): string {
  if (lang !== 'de') return message;
  const msg = message.trim();
  for (const [re, f] of DE) {
    const m = re.exec(msg);
    if (m) return f(m);
  }
  // Already German (texts stored with the data, the server's German messages): as they are.
  if (/[äöüß]|\b(der|die|das|nicht|bitte|ist)\b/i.test(msg)) return msg;
  const head = STATUS_DE[status];
  return head ? `${head} (Meldung des Servers: ${msg})` : msg;
}
