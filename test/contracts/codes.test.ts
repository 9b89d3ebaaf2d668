// The code registry (src/contracts/codes, decision 0042): every code has its German and English
// text with the same parameters, renders, and every code literal in src/ is registered.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CODES, CODE_GROUPS, codeParams, coded, isCode, renderCode, renderKnown, templateParams, type Code } from '../../src/contracts/codes/index.ts';
import { ERROR_CODES } from '../../src/contracts/codes/errors.ts';

const codes = Object.keys(CODES) as Code[];

describe('code registry', () => {
  it('gives every code a German and an English text with the same parameters', () => {
    assert.ok(codes.length > 20);
    for (const c of codes) {
      const { de, en } = CODES[c];
      assert.ok(de.trim() && en.trim(), c);
      assert.notEqual(de, '', c);
      assert.deepEqual([...templateParams(de)].sort(), [...templateParams(en)].sort(), `${c}: parameters of de and en differ`);
      // Placeholders are well-formed: no brace is left once every parameter is filled.
      const params = Object.fromEntries(codeParams(c).map((p) => [p, '1']));
      for (const lang of ['de', 'en'] as const) assert.doesNotMatch(renderCode({ code: c, params } as never, lang), /[{}]/, `${c} (${lang})`);
    }
  });
  it('has no code in two groups', () => {
    const seen = new Map<string, string>();
    for (const [group, texts] of Object.entries(CODE_GROUPS)) {
      for (const c of Object.keys(texts)) {
        assert.equal(seen.get(c), undefined, `${c} is in ${seen.get(c)} and ${group}`);
        seen.set(c, group);
      }
    }
    assert.equal(seen.size, codes.length);
  });
  it('writes codes in kebab case', () => {
    for (const c of codes) assert.match(c, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });
  it('renders parameters, dates and numbers in the reader’s format', () => {
    assert.equal(renderCode(coded('area-not-found', { area: '0101', layer: 'stadtteil' }), 'en'), 'The area 0101 does not exist in layer "stadtteil".');
    assert.equal(renderCode(coded('area-not-found', { area: '0101', layer: 'stadtteil' }), 'de'), 'Das Gebiet 0101 gibt es in der Gliederungsebene „stadtteil“ nicht.');
    assert.equal(renderCode(coded('layer-without-version-on', { layer: 'a', date: '2024-12-31' }), 'en'), 'The layer "a" has no boundary version valid on 2024-12-31.');
    assert.equal(renderCode(coded('layer-without-version-on', { layer: 'a', date: '2024-12-31' }), 'de'), 'Die Gliederungsebene „a“ hat keinen Gebietsstand am 31.12.2024.');
    assert.equal(renderCode(coded('sign-ins-locked', { minutes: 1500 }), 'de'), 'Zu viele fehlgeschlagene Anmeldungen: Das Benutzerkonto ist noch 1.500 Minute(n) gesperrt.');
    assert.equal(renderCode(coded('sign-in-required'), 'en'), 'Please sign in to see this.');
  });
  it('knows what it does not know', () => {
    assert.equal(isCode('area-not-found'), true);
    assert.equal(isCode('toString'), false);
    assert.equal(renderKnown({ code: 'no-such-code' }, 'de'), undefined);
    assert.equal(renderKnown(undefined, 'de'), undefined);
    assert.throws(() => renderCode({ code: 'no-such-code' }, 'de'), /Unregistered code "no-such-code"/);
  });
  it('keeps the English texts of the error codes as the messages they replaced', () => {
    // The API's `message` is the English text: answers stay what they were before codes.
    assert.equal(ERROR_CODES['wrong-credentials'].en, 'Wrong user name or password.');
    assert.equal(ERROR_CODES['csrf-token'].en, 'Missing or wrong CSRF token (header X-CSRF-Token).');
  });
});
