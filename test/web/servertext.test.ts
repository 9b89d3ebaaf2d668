// Server messages in German (web/src/lib/servertext.ts; issue 15, item 12).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serverText } from '../../web/src/lib/servertext.ts';

describe('server texts', () => {
  it('translates the messages users meet', () => {
    assert.equal(serverText('Wrong user name or password.', 401, 'de'), 'Benutzername oder Passwort ist falsch.');
    assert.equal(serverText('The area 9999 does not exist in layer "stadtteil".', 404, 'de'), 'Das Gebiet 9999 gibt es in der Gliederungsebene „stadtteil“ nicht.');
    assert.equal(serverText('The indicator "x" is internal: please sign in.', 401, 'de'), 'Der Indikator „x“ ist intern: bitte melden Sie sich an.');
    assert.equal(serverText('Not Found', 404, 'de'), 'Nicht gefunden.');
  });
  it('names unknown ones by status, keeps German ones and English pages as they are', () => {
    assert.equal(serverText('Something odd happened', 500, 'de'), 'Fehler des Servers (Meldung des Servers: Something odd happened)');
    assert.equal(serverText('Datenbank nicht erreichbar', 500, 'de'), 'Datenbank nicht erreichbar');
    assert.equal(serverText('Wrong user name or password.', 401, 'en'), 'Wrong user name or password.');
  });
});
