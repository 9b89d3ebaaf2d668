// The youth pages' texts (youth.* in the i18n files) in simple German: none of the planners'
// words (Indikator, Gliederungsebene …), short sentences, and every text also in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { de } from '../../web/src/i18n/de.ts';
import { en } from '../../web/src/i18n/en.ts';
import { jargonIn } from '../../src/core/forum.ts';

const youth = Object.entries(de).filter(([k]) => k.startsWith('youth.') || k === 'view.jugend');

test('no jargon on the youth pages', () => {
  assert.ok(youth.length > 30);
  for (const [k, v] of youth) assert.deepEqual(jargonIn(v), [], `${k}: "${v}"`);
});

test('short sentences: at most 20 words each', () => {
  for (const [k, v] of youth)
    for (const sentence of v.split(/(?<=[.!?])\s+/))
      assert.ok(sentence.split(/\s+/).length <= 20, `${k}: "${sentence}"`);
});

test('every youth text is in English too', () => {
  for (const [k] of youth) assert.ok((en as Record<string, string>)[k], k);
});
