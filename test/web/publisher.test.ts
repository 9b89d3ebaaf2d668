// The publisher settings form (web/src/lib/publisher.ts): its checks agree with the server's
// schema on every case, and the body it sends is what the server stores.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  EMPTY_PUBLISHER_FORM,
  fieldOfColumn,
  formOf,
  publisherBody,
  publisherProblems,
  type PublisherForm,
} from '../../web/src/lib/publisher.ts';
import { parsePublisher } from '../../src/core/publisher.ts';

const GOOD: PublisherForm = {
  name: ' Stadt Musterstadt ',
  officialKey: '05315000',
  licence: 'dl-by-de/2.0',
  contactName: 'Statistikstelle',
  contactEmail: 'statistik@musterstadt.de',
  contactUrl: '',
  contributorId: '',
  baseUrl: '',
};

describe('publisher settings form', () => {
  it('a complete form has no problems, and the server stores what it sends (trimmed, empty fields left out)', () => {
    assert.deepEqual(publisherProblems(GOOD), {});
    const sent = JSON.parse(JSON.stringify(publisherBody(GOOD)));
    const r = parsePublisher(sent);
    assert.ok(r.ok);
    assert.deepEqual(r.value, {
      name: 'Stadt Musterstadt',
      officialKey: '05315000',
      licence: 'dl-by-de/2.0',
      contact: { name: 'Statistikstelle', email: 'statistik@musterstadt.de' },
    });
    assert.deepEqual(
      formOf(r.value),
      { ...GOOD, name: 'Stadt Musterstadt' },
      'the stored settings fill the form again',
    );
  });

  it('names the field of each problem', () => {
    assert.deepEqual(publisherProblems(EMPTY_PUBLISHER_FORM), {
      name: 'required',
      officialKey: 'required',
      contactName: 'required',
      contactEmail: 'contactNeeded',
    });
    assert.equal(
      publisherProblems({ ...GOOD, officialKey: '5315000' }).officialKey,
      'officialKey',
      'a key without its leading zero',
    );
    assert.equal(publisherProblems({ ...GOOD, officialKey: '053150000000' }).officialKey, undefined, 'an ARS');
    assert.equal(publisherProblems({ ...GOOD, contactEmail: 'statistik@' }).contactEmail, 'email');
    assert.equal(
      publisherProblems({ ...GOOD, contactEmail: '', contactUrl: 'https://musterstadt.de/kontakt' }).contactEmail,
      undefined,
      'a contact form instead of an e-mail',
    );
    assert.equal(publisherProblems({ ...GOOD, contactUrl: 'ftp://x.de' }).contactUrl, 'url');
    assert.equal(publisherProblems({ ...GOOD, contributorId: 'https://govdata.de/x' }).contributorId, 'contributorId');
    assert.equal(publisherProblems({ ...GOOD, baseUrl: 'https://monitor.musterstadt.de/?x=1' }).baseUrl, 'baseUrl');
    assert.equal(publisherProblems({ ...GOOD, licence: 'mit' }).licence, 'licence');
  });

  it('agrees with the server: a form passes its own checks exactly when the server accepts its body', () => {
    const variants: Partial<PublisherForm>[] = [
      {},
      { name: 'S' },
      { name: '' },
      { officialKey: '0531500' },
      { officialKey: '05315000x' },
      { officialKey: '053150000000' },
      { licence: 'cc-zero' },
      { licence: 'gpl' },
      { contactName: 'X' },
      { contactEmail: 'no-at-sign' },
      { contactEmail: '', contactUrl: '' },
      { contactEmail: '', contactUrl: 'https://musterstadt.de/kontakt' },
      { contactUrl: 'javascript:alert(1)' },
      { contributorId: 'http://dcat-ap.de/def/contributors/stadtMusterstadt' },
      { contributorId: 'http://dcat-ap.de/def/contributors/' },
      { baseUrl: 'https://monitor.musterstadt.de/' },
      { baseUrl: 'https://monitor.musterstadt.de/#top' },
      { baseUrl: 'monitor.musterstadt.de' },
    ];
    for (const v of variants) {
      const form = { ...GOOD, ...v };
      const client = Object.keys(publisherProblems(form)).length === 0;
      const server = parsePublisher(JSON.parse(JSON.stringify(publisherBody(form))));
      assert.equal(
        client,
        server.ok,
        `${JSON.stringify(v)}: form ${client ? 'accepts' : 'refuses'}, server ${server.ok ? 'accepts' : 'refuses'}`,
      );
      if (!server.ok) {
        for (const p of server.problems)
          assert.ok(fieldOfColumn(p.column), `the server's problem at ${p.column} maps to a field`);
      }
    }
  });
});
