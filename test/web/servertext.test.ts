// Server messages in German (web/src/lib/servertext.ts; issue 15, item 12): from the error's
// registered code (issue 13), or by HTTP status for an answer without one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { errorMessageIn, problemText, refusalText, serverText } from '../../web/src/lib/servertext.ts';

describe('server texts', () => {
  it('translates the messages users meet, from their codes', () => {
    assert.equal(
      serverText({ message: 'Wrong user name or password.', code: 'wrong-credentials', params: {} }, 401, 'de'),
      'Benutzername oder Passwort ist falsch.',
    );
    assert.equal(
      serverText(
        {
          message: 'The area 9999 does not exist in layer "stadtteil".',
          code: 'area-not-found',
          params: { area: '9999', layer: 'stadtteil' },
        },
        404,
        'de',
      ),
      'Das Gebiet 9999 gibt es in der Gliederungsebene „stadtteil“ nicht.',
    );
    assert.equal(
      serverText(
        {
          message: 'The indicator "x" is internal: please sign in.',
          code: 'indicator-internal',
          params: { indicator: 'x' },
        },
        401,
        'de',
      ),
      'Der Indikator „x“ ist intern: bitte melden Sie sich an.',
    );
    assert.equal(
      serverText(
        { message: '…', code: 'layer-without-version-on', params: { layer: 'stadtteil', date: '2019-12-31' } },
        404,
        'de',
      ),
      'Die Gliederungsebene „stadtteil“ hat keinen Gebietsstand am 31.12.2019.',
    );
    assert.equal(
      serverText({ message: '…', code: 'csrf-token' }, 403, 'de'),
      'Die Sitzung ist abgelaufen. Bitte laden Sie die Seite neu und melden Sie sich erneut an.',
    );
    assert.equal(serverText('Not Found', 404, 'de'), 'Nicht gefunden.');
  });
  it('words a code in English on English pages; the English message of an unknown code', () => {
    assert.equal(
      serverText({ message: 'x', code: 'layer-not-found', params: { layer: 'a' } }, 404, 'en'),
      'The layer "a" does not exist.',
    );
    assert.equal(
      serverText({ message: 'The thing went away.', code: 'code-of-a-newer-server', params: {} }, 404, 'en'),
      'The thing went away.',
    );
    assert.equal(
      serverText({ message: 'The thing went away.', code: 'code-of-a-newer-server', params: {} }, 404, 'de'),
      'Nicht gefunden (Meldung des Servers: The thing went away.)',
    );
  });
  it('no longer reads meaning out of an English message without a code', () => {
    assert.equal(
      serverText('Wrong user name or password.', 401, 'de'),
      'Anmeldung erforderlich (Meldung des Servers: Wrong user name or password.)',
    );
  });
  it('names unknown ones by status, keeps German ones and English pages as they are', () => {
    assert.equal(
      serverText('Something odd happened', 500, 'de'),
      'Fehler des Servers (Meldung des Servers: Something odd happened)',
    );
    assert.equal(serverText('Datenbank nicht erreichbar', 500, 'de'), 'Datenbank nicht erreichbar');
    assert.equal(serverText('Wrong user name or password.', 401, 'en'), 'Wrong user name or password.');
  });
  it('words a failed request from its code, any other error as it is', () => {
    const e = Object.assign(new Error('The report "x" does not exist.'), {
      status: 404,
      code: 'report-not-found',
      params: { report: 'x' },
    });
    assert.equal(errorMessageIn(e, 'de'), 'Den Bericht „x“ gibt es nicht.');
    assert.equal(errorMessageIn(e, 'en'), 'The report "x" does not exist.');
    assert.equal(errorMessageIn(new Error('kaputt'), 'de'), 'kaputt');
  });
  it('words a problem in German from its code, keeping the particulars of its reason', () => {
    assert.equal(
      problemText({ code: 'bad-date', reason: 'not a date', value: '2024-13-45' }, 'de'),
      'Kein Datum. (not a date)',
    );
    assert.equal(problemText({ code: 'bad-date', reason: 'not a date' }, 'en'), 'not a date');
  });
  it('words a refused action: input problems from their codes, else the error from its code', () => {
    const forbidden = Object.assign(new Error('…'), {
      status: 403,
      code: 'forum-change-forbidden',
      params: { department: 'jugend', action: { code: 'forum-action-moderate', params: {} } },
    });
    assert.equal(
      refusalText(forbidden, 'de'),
      'Nur die Administration und die Datenverantwortlichen des Fachbereichs „jugend“ dürfen Themen dieses Forums moderieren.',
    );
    assert.equal(
      refusalText(forbidden, 'en'),
      'Only administrators and the stewards of the department "jugend" may moderate topics of this forum.',
    );
    const rejected = Object.assign(new Error('1 error(s) found'), {
      status: 400,
      problems: [
        { severity: 'error', code: 'missing-field', reason: 'title: missing' },
        { severity: 'warning', code: 'encoding-guessed', reason: 'x' },
      ],
    });
    assert.equal(refusalText(rejected, 'de'), 'Ein erforderliches Feld fehlt. (title: missing)');
    assert.equal(refusalText(new Error('offline'), 'de'), 'offline');
    // A sign-in error carries its code without a status (web/src/auth.ts).
    assert.equal(
      refusalText(
        Object.assign(new Error('Wrong user name or password.'), { code: 'wrong-credentials', params: {} }),
        'de',
      ),
      'Benutzername oder Passwort ist falsch.',
    );
  });
});
