// Pure rules of the youth forum: codes, due dates, overdue, accountability, small counts, text checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  CODE_ALPHABET,
  accountability,
  addMonths,
  checkProposal,
  codeFromBytes,
  isOverdue,
  jargonIn,
  normalizeCode,
  publicCount,
} from '../../src/core/forum.ts';

test('codes: 32 unambiguous symbols, grouped, typed leniently', () => {
  assert.equal(new Set(CODE_ALPHABET).size, 32);
  for (const ch of 'ILOU') assert.ok(!CODE_ALPHABET.includes(ch));
  const c = codeFromBytes(randomBytes(10));
  assert.match(c, /^.{5}-.{5}$/);
  assert.equal(normalizeCode(c), c.replace('-', ''));
  assert.equal(normalizeCode(' 7k3qp x9m2d '), '7K3QPX9M2D');
  assert.equal(normalizeCode('OIL00-11111'), '01100' + '11111');
  assert.equal(normalizeCode('UUUUU-UUUUU'), null, 'U is not a symbol');
  assert.equal(normalizeCode('ABC'), null);
});

test('three months to answer, clamped to the end of the month', () => {
  assert.equal(addMonths('2026-01-12', 3), '2026-04-12');
  assert.equal(addMonths('2025-11-30', 3), '2026-02-28');
  assert.equal(addMonths('2027-11-30', 3), '2028-02-29');
  assert.equal(addMonths('2026-10-31', 3), '2027-01-31');
});

test('overdue: due passed and not decided', () => {
  const t = { moderation: 'published' as const, answerDue: '2026-04-01', decidedOn: null };
  assert.equal(isOverdue(t, '2026-04-01'), false);
  assert.equal(isOverdue(t, '2026-04-02'), true);
  assert.equal(isOverdue({ ...t, decidedOn: '2026-05-01' }, '2026-06-01'), false);
  assert.equal(isOverdue({ ...t, moderation: 'pending' }, '2026-06-01'), false);
});

test('accountability: decided within three months of publication, per department', () => {
  const base = { area: '01', moderation: 'published' as const, answerDue: null };
  const rows = accountability(
    [
      { ...base, department: 'a', publishedOn: '2026-01-01', decidedOn: '2026-03-31' },
      { ...base, department: 'a', publishedOn: '2026-01-01', decidedOn: '2026-04-02' },
      { ...base, department: 'a', publishedOn: '2026-01-01', decidedOn: null },
      // Not yet due and not decided: not in the denominator.
      { ...base, department: 'a', publishedOn: '2026-05-01', decidedOn: null },
      { ...base, department: 'b', publishedOn: '2026-05-01', decidedOn: '2026-05-02' },
    ],
    'department',
    '2026-06-01',
  );
  assert.deepEqual(
    rows.map((r) => [r.key, r.topics, r.due, r.inTime, r.share]),
    [
      ['a', 4, 3, 1, 1 / 3],
      ['b', 1, 1, 1, 1],
    ],
  );
});

test('small counts: below 5 withheld', () => {
  assert.equal(publicCount(4), null);
  assert.equal(publicCount(0), null);
  assert.equal(publicCount(5), 5);
});

test('proposals: contact data refused, jargon found', () => {
  assert.deepEqual(checkProposal({ title: 'Bänke', description: 'bitte' }), []);
  assert.equal(checkProposal({ title: 'Mail an x.y@schule.de', description: '' })[0].code, 'contact-data');
  assert.equal(checkProposal({ title: 'Handy', description: '+49 171 2345678' })[0].code, 'contact-data');
  assert.deepEqual(
    checkProposal({ title: 'Skatepark 2026', description: 'seit 2024 kaputt, 3 Rampen' }),
    [],
    'years and small numbers are not phone numbers',
  );
  assert.deepEqual(jargonIn('Die Indikatoren der Gliederungsebene'), ['Indikator', 'Gliederungsebene']);
});
