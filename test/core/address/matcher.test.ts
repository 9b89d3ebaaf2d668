import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AddressRegister,
  editDistance,
  maxEdits,
  summarizeMatches,
  trigrams,
  type MatchResult,
} from '../../../src/core/address/matcher.ts';

const register = AddressRegister.build([
  {
    street: 'Ackerstraße',
    number: '1a',
    postcode: '10115',
    x: 13.39,
    y: 52.53,
    codes: { plr: '01100101', bzr: '011001' },
  },
  { street: 'Ackerstraße', number: '1b', postcode: '10115', codes: { plr: '01100101', bzr: '011001' } },
  { street: 'Ackerstraße', number: '2', postcode: '10115', codes: { plr: '01100101', bzr: '011001' } },
  { street: 'Ackerstraße', number: '3', suffix: 'A', postcode: '10115', codes: { plr: '01100102', bzr: '011001' } },
  { street: 'Ackerstraße', number: 12, postcode: '10115', codes: { plr: '01100102', bzr: '011001' } },
  { street: 'Ackerstraße', number: '12a', postcode: '10115', codes: { plr: '01100102', bzr: '011001' } },
  { street: 'Ackerstraße', number: '12b', postcode: '10115', codes: { plr: '01100103', bzr: '011001' } },
  { street: 'Hauptstraße', number: 5, postcode: '10827', codes: { plr: '07010101' } },
  { street: 'Hauptstraße', number: 5, postcode: '13055', codes: { plr: '11010101' } },
  { street: 'Hauptstraße', number: 7, postcode: '10827', codes: { plr: '07010101' } },
  { street: 'Karl-Marx-Allee', number: '12', postcode: '10243', codes: { plr: '02010101' } },
  { street: 'Karl-Marx-Allee', number: '90-92', postcode: '10243', codes: { plr: '02010102' } },
  { street: 'Straße des 17. Juni', number: '135', postcode: '10623', codes: { plr: '04010101' } },
  { street: 'Müllerstraße', number: '20', postcode: '13353', codes: { plr: '01300101' } },
  { street: 'Alexanderplatz', number: '1', postcode: '10178', codes: { plr: '01100201' } },
  { street: 'Lindenstraße', number: '4', postcode: '10969' },
  { street: 'Lindenstraße', number: '4', postcode: '10969' }, // duplicate entry
  { street: 'Lindnerstraße', number: '4', postcode: '10969' },
  { street: 'Bergstraße', number: '8', postcode: '12169' },
  { street: 'Burgstraße', number: '8', postcode: '12169' },
  { street: 'Straße 645', number: '3', postcode: '12559' },
  { street: 'Schlossstraße', number: '1/1', postcode: '70174' },
  { street: '', number: '1' },
  { street: 'Irgendwo', number: 'x' },
]);

const matched = (r: MatchResult) => {
  assert.equal(r.status, 'matched', JSON.stringify(r));
  return r as Extract<MatchResult, { status: 'matched' }>;
};

test('register: entries, problems, streets', () => {
  assert.equal(register.size, 22);
  assert.deepEqual(
    register.problems.map((p) => p.index),
    [22, 23],
  );
  assert.equal(register.spellingOf('ackerstrasse'), 'Ackerstraße');
});

test('exact and normalised matches, from lines and from fields', () => {
  const cases: [Parameters<AddressRegister['match']>[0], 'exact' | 'normalised', string, string][] = [
    ['Ackerstraße 2, 10115 Berlin', 'exact', 'Ackerstraße', '2'],
    [{ street: 'Ackerstraße', number: '2', postcode: '10115' }, 'exact', 'Ackerstraße', '2'],
    [{ street: 'Ackerstraße 2' }, 'exact', 'Ackerstraße', '2'],
    ['Ackerstr. 2', 'normalised', 'Ackerstraße', '2'],
    ['ACKERSTRASSE 3 a', 'normalised', 'Ackerstraße', '3a'],
    [{ street: 'acker-str.', number: '12 B', postcode: 10115 }, 'normalised', 'Ackerstraße', '12b'],
    ['Karl Marx Allee 12, 10243', 'normalised', 'Karl-Marx-Allee', '12'],
    ['Karl-Marx-Allee 90–92', 'exact', 'Karl-Marx-Allee', '90-92'],
    ['Str. des 17. Juni 135', 'normalised', 'Straße des 17. Juni', '135'],
    ['Muellerstr. 20', 'normalised', 'Müllerstraße', '20'],
    ['Alexanderpl. 1, 10178 Berlin', 'normalised', 'Alexanderplatz', '1'],
    ['Schlossstr. 1/1', 'normalised', 'Schlossstraße', '1/1'],
    ['Straße 645 3', 'exact', 'Straße 645', '3'],
  ];
  for (const [input, method, street, hn] of cases) {
    const r = matched(register.match(input));
    assert.equal(r.method, method, JSON.stringify(input));
    assert.equal(r.entry.street, street);
    assert.equal(r.entry.houseNumber, hn);
    assert.equal(r.confidence, method === 'exact' ? 1 : 0.98);
  }
  const r = matched(register.match('Ackerstraße 1a'));
  assert.deepEqual(r.entry.codes, { plr: '01100101', bzr: '011001' });
  assert.equal(r.entry.x, 13.39);
  const dup = matched(register.match('Lindenstraße 4'));
  assert.match(dup.notes.join(), /identical register entries/);
});

test('typos: fuzzy matches with lower confidence; ties are ambiguous', () => {
  for (const [input, street] of [
    ['Akerstraße 2', 'Ackerstraße'],
    ['Ackerstarße 2, 10115', 'Ackerstraße'],
    ['Ackestr. 2', 'Ackerstraße'],
    ['Mullerstrasse 20', 'Müllerstraße'],
    ['Karl-Marks-Allee 12', 'Karl-Marx-Allee'],
    ['Alexanderplaz 1', 'Alexanderplatz'],
  ] as const) {
    const r = matched(register.match(input));
    assert.equal(r.method, 'fuzzy', input);
    assert.equal(r.entry.street, street);
    assert.ok(r.confidence < 0.95 && r.confidence >= 0.5, `${input}: ${r.confidence}`);
    assert.match(r.notes[0], /edit distance/);
  }
  // "Bxrgstraße" is one edit from Bergstraße and from Burgstraße: no guess.
  const tie = register.match('Bxrgstraße 8');
  assert.equal(tie.status, 'ambiguous');
  if (tie.status === 'ambiguous')
    assert.deepEqual(tie.candidates.map((c) => c.street).sort(), ['Bergstraße', 'Burgstraße']);
  // "Lindestraße 4": Lindenstraße (1 edit) wins over Lindnerstraße (2 edits).
  assert.equal(matched(register.match('Lindestraße 4')).entry.street, 'Lindenstraße');
  assert.equal(register.match('Ackerstraße 2', { fuzzy: false }).status, 'matched');
  assert.equal(register.match('Akerstraße 2', { fuzzy: false }).status, 'unmatched');
  // A fuzzy street without the house number is not forced onto it.
  const far = register.match('Akerstraße 77');
  assert.equal(far.status, 'unmatched');
  if (far.status === 'unmatched') assert.equal(far.suggestion, 'Ackerstraße');
});

test('ambiguous: the same street in two postcodes; 12 vs 12a/12b', () => {
  const two = register.match('Hauptstr. 5');
  assert.equal(two.status, 'ambiguous');
  if (two.status === 'ambiguous') {
    assert.deepEqual(two.candidates.map((c) => c.postcode).sort(), ['10827', '13055']);
    assert.match(two.reason, /several postcodes/);
    assert.deepEqual(two.commonCodes, {});
  }
  assert.equal(matched(register.match('Hauptstr. 5, 13055 Berlin')).entry.codes.plr, '11010101');
  // Only 10827 has a number 7: unique without a postcode.
  assert.equal(matched(register.match('Hauptstr. 7')).entry.postcode, '10827');
  // 12 exists as such: no fallback to 12a/12b.
  assert.equal(matched(register.match('Ackerstr. 12')).entry.houseNumber, '12');
  // 1 exists only as 1a and 1b: ambiguous, but both lie in the same planning area.
  const one = register.match('Ackerstr. 1');
  assert.equal(one.status, 'ambiguous');
  if (one.status === 'ambiguous') {
    assert.deepEqual(
      one.candidates.map((c) => c.houseNumber),
      ['1a', '1b'],
    );
    assert.deepEqual(one.commonCodes, { plr: '01100101', bzr: '011001' });
  }
});

test('suffix and range fall back to the base number when that is unambiguous', () => {
  const missing = matched(register.match('Ackerstraße 3'));
  assert.equal(missing.method, 'base-number');
  assert.equal(missing.entry.houseNumber, '3a');
  assert.equal(missing.confidence, 0.9);
  const unknown = matched(register.match('Ackerstraße 2 c'));
  assert.equal(unknown.method, 'base-number');
  assert.equal(unknown.entry.houseNumber, '2');
  const range = matched(register.match('Karl-Marx-Allee 12-14'));
  assert.equal(range.method, 'base-number');
  assert.equal(range.entry.houseNumber, '12');
  assert.match(range.notes.join(), /first number/);
  // 12c: 12 exists (and 12a, 12b): matched to 12 with lower confidence.
  assert.equal(matched(register.match('Ackerstr. 12c')).entry.houseNumber, '12');
  // The postcode comes first: 18a in the given postcode, not 18 of the namesake street elsewhere.
  const twoStreets = AddressRegister.build([
    { street: 'Hauptstraße', number: '18', postcode: '12740' },
    { street: 'Hauptstraße', number: '18a', postcode: '10493' },
  ]);
  const pcFirst = matched(twoStreets.match('Hauptstr. 18, 10493'));
  assert.equal(pcFirst.entry.houseNumber, '18a');
  assert.equal(pcFirst.method, 'base-number');
  assert.equal(matched(twoStreets.match('Hauptstr. 18, 12740')).entry.houseNumber, '18');
  assert.equal(twoStreets.match('Hauptstr. 18').status, 'matched', 'without postcode: 18 exists as such');
});

test('postcodes: a unique address in another postcode matches with a note; several → reported', () => {
  const r = matched(register.match('Ackerstraße 2, 10117 Berlin'));
  assert.equal(r.method, 'normalised');
  assert.equal(r.confidence, 0.8);
  assert.match(r.notes.join(), /postcode 10117 differs/);
  const strict = register.match('Ackerstraße 2, 10117 Berlin', { strictPostcode: true });
  assert.equal(strict.status, 'unmatched');
  if (strict.status === 'unmatched') assert.equal(strict.reason, 'postcode-mismatch');
  const two = register.match('Hauptstraße 5, 99999');
  assert.equal(two.status, 'unmatched');
  if (two.status === 'unmatched') assert.equal(two.reason, 'postcode-mismatch');
});

test('unmatched, with reasons', () => {
  const reasons = (input: string) => {
    const r = register.match(input);
    return r.status === 'unmatched' ? r.reason : r.status;
  };
  assert.equal(reasons('Nirgendwostraße 4'), 'street-not-found');
  assert.equal(reasons('Ackerstraße 99'), 'house-number-not-found');
  // A real street without the house, and a similar street with it: suggested, never matched.
  const burg9 = AddressRegister.build([
    { street: 'Bergstraße', number: '8', postcode: '12169' },
    { street: 'Burgstraße', number: '9', postcode: '12169' },
  ]).match('Bergstraße 9, 12169');
  assert.equal(burg9.status, 'unmatched');
  if (burg9.status === 'unmatched') {
    assert.equal(burg9.reason, 'house-number-not-found');
    assert.equal(burg9.suggestion, 'Burgstraße 9');
  }
  assert.equal(reasons('Ackerstraße'), 'no-house-number');
  assert.equal(reasons('Straße 645'), 'no-house-number');
  assert.equal(reasons('10115 Berlin'), 'no-street');
  assert.equal(reasons(''), 'no-street');
});

test('summary: counts and unmatched streets ranked by frequency', () => {
  const results = register.matchMany([
    'Ackerstraße 2',
    'Ackerstr. 2',
    'Akerstraße 2',
    'Ackerstraße 3',
    'Hauptstr. 5',
    'Nirgendwostr. 1',
    'Nirgendwostraße 2',
    'nirgendwo-str. 3',
    'Foogasse 1',
    'Ackerstraße 99',
    'Ackerstr. 99',
  ]);
  const s = summarizeMatches(results);
  assert.equal(s.total, 11);
  assert.equal(s.matched, 4);
  assert.equal(s.ambiguous, 1);
  assert.equal(s.unmatched, 6);
  assert.deepEqual(s.byMethod, { exact: 1, normalised: 1, fuzzy: 1, 'base-number': 1 });
  assert.deepEqual(s.byReason, { 'street-not-found': 4, 'house-number-not-found': 2 });
  assert.deepEqual(
    s.unmatchedStreets.map((u) => [u.key, u.count]),
    [
      ['nirgendwostrasse', 3],
      ['foogasse', 1],
    ],
  );
  assert.deepEqual(s.missingHouseNumbers, [{ street: 'Ackerstraße', houseNumber: '99', count: 2 }]);
});

test('edit distance, trigrams and bounds', () => {
  assert.equal(editDistance('ackerstrasse', 'akerstrasse'), 1);
  assert.equal(editDistance('ackerstrasse', 'ackerstarsse'), 1, 'transposition counts once');
  assert.equal(editDistance('abc', 'xyz', 1), 2, 'bounded: max + 1');
  assert.equal(editDistance('', 'abc'), 3);
  assert.deepEqual(maxEdits(4), 0);
  assert.deepEqual(maxEdits(12), 2);
  assert.deepEqual(trigrams('ab'), ['$$a', '$ab', 'ab$', 'b$$']);
  assert.deepEqual(
    register.fuzzyStreets('akerstrasse').map((s) => [s.street, s.distance]),
    [['Ackerstraße', 1]],
  );
});
