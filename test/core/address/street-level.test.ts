// Street-level addresses (issue 12, item 3; decision 0014): register entries without a house
// number are places (squares, gates, bridges). An input naming the place without a number finds
// it; an input with a number never does — not exactly, not by a base-number fallback, not fuzzily.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AddressRegister, summarizeMatches, type MatchResult } from '../../../src/core/address/matcher.ts';

const register = AddressRegister.build([
  { street: 'Pappelplatz', number: '', postcode: '10115', codes: { plr: '01100101' } },
  { street: 'Pappelplatz', number: '2', postcode: '10115', codes: { plr: '01100101' } },
  { street: 'Pappelplatz', number: '3', suffix: 'a', postcode: '10115', codes: { plr: '01100101' } },
  { street: 'Oranienburger Tor', number: null, postcode: '10117', x: 13.388, y: 52.527, codes: { plr: '01100205' } },
  { street: 'Oranienburger Straße', number: '1', postcode: '10117', codes: { plr: '01100205' } },
  // A bridge between two districts: one entry per side.
  { street: 'Oberbaumbrücke', number: '', postcode: '10243', codes: { plr: '02400520' } },
  { street: 'Oberbaumbrücke', number: '', postcode: '10997', codes: { plr: '02100102' } },
  { street: 'Schloßplatz', number: '', postcode: '10178', codes: { plr: '01100101' } },
  { street: 'Ackerstraße', number: '1', postcode: '10115', codes: { plr: '01100101' } },
  { street: 'Ackerstraße', number: '2', postcode: '10115', codes: { plr: '01100101' } },
  // A place whose name ends in a number.
  { street: 'Platz 645', number: '', postcode: '12559' },
  // Still problems: no street, an unreadable number, a suffix without a number.
  { street: '', number: '' },
  { street: 'Irgendwo', number: '12-/' },
]);

const matched = (r: MatchResult) => {
  assert.equal(r.status, 'matched', JSON.stringify(r));
  return r as Extract<MatchResult, { status: 'matched' }>;
};
const reason = (r: MatchResult) => (r.status === 'unmatched' ? r.reason : r.status);

test('entries without a number are street-level addresses; unreadable numbers stay problems', () => {
  assert.equal(register.size, 11);
  assert.deepEqual(
    register.problems.map((p) => p.index),
    [11, 12],
  );
  const place = register.entries.find((e) => e.street === 'Oranienburger Tor')!;
  assert.deepEqual([place.number, place.suffix, place.houseNumber, place.x], [null, '', '', 13.388]);
});

test('an input naming the place without a number finds it', () => {
  const cases: [Parameters<AddressRegister['match']>[0], 'exact' | 'normalised', string, string | null][] = [
    ['Pappelplatz', 'exact', 'Pappelplatz', '10115'],
    ['Pappelplatz, 10115 Berlin', 'exact', 'Pappelplatz', '10115'],
    [{ street: 'Oranienburger Tor', number: '' }, 'exact', 'Oranienburger Tor', '10117'],
    [{ street: 'Oranienburger Tor', number: null, postcode: '10117' }, 'exact', 'Oranienburger Tor', '10117'],
    ['oranienburger-tor', 'normalised', 'Oranienburger Tor', '10117'],
    ['Schlossplatz', 'normalised', 'Schloßplatz', '10178'],
    ['Oberbaumbrücke, 10243 Berlin', 'exact', 'Oberbaumbrücke', '10243'],
    ['Platz 645', 'exact', 'Platz 645', '12559'],
  ];
  for (const [input, method, street, postcode] of cases) {
    const r = matched(register.match(input));
    assert.equal(r.method, method, JSON.stringify(input));
    assert.equal(r.entry.street, street);
    assert.equal(r.entry.houseNumber, '');
    assert.equal(r.entry.number, null);
    assert.equal(r.entry.postcode, postcode);
    assert.match(r.notes.join(), /street-level address/);
  }
  assert.deepEqual(matched(register.match('Oranienburger Tor')).entry.codes, { plr: '01100205' });
});

test('a place on both sides of a border is ambiguous without a postcode, and never guessed', () => {
  const r = register.match('Oberbaumbrücke');
  assert.equal(r.status, 'ambiguous');
  if (r.status === 'ambiguous') {
    assert.deepEqual(
      r.candidates.map((c) => c.postcode),
      ['10243', '10997'],
    );
    assert.match(r.reason, /"Oberbaumbrücke" exists in several postcodes/);
  }
  const elsewhere = register.match('Oberbaumbrücke, 12345 Berlin');
  assert.equal(reason(elsewhere), 'postcode-mismatch');
  // One place in another postcode: matched with a note and lower confidence, as for houses.
  const moved = matched(register.match('Oranienburger Tor, 10115 Berlin'));
  assert.equal(moved.method, 'normalised');
  assert.equal(moved.confidence, 0.8);
  assert.equal(
    reason(register.match('Oranienburger Tor, 10115 Berlin', { strictPostcode: true })),
    'postcode-mismatch',
  );
});

test('an input with a number never matches a street-level address', () => {
  // The numbered houses of a street that is also a place.
  assert.equal(matched(register.match('Pappelplatz 2')).entry.houseNumber, '2');
  assert.equal(matched(register.match('Pappelplatz 3')).entry.houseNumber, '3a', 'the only house 3 (suffix missing)');
  assert.equal(matched(register.match('Pappelplatz 2b')).entry.houseNumber, '2', 'unknown suffix: the plain number');
  // No such house: unmatched, not the place.
  assert.equal(reason(register.match('Pappelplatz 9')), 'house-number-not-found');
  assert.equal(reason(register.match('Pappelplatz 9-11')), 'house-number-not-found');
  assert.equal(reason(register.match('Oranienburger Tor 1')), 'house-number-not-found');
  assert.equal(reason(register.match({ street: 'Oranienburger Tor', number: '4' })), 'house-number-not-found');
  assert.equal(reason(register.match('Schloßplatz 1, 10178')), 'house-number-not-found');
  // Fuzzy streets: only houses count.
  assert.equal(reason(register.match('Oranienburgr Tor 1')), 'street-not-found');
  assert.equal(matched(register.match('Papelplatz 2')).method, 'fuzzy');
  assert.equal(reason(register.match('Papelplatz 9')), 'street-not-found');
  // A number that cannot be read is no place either.
  assert.equal(reason(register.match({ street: 'Pappelplatz', number: 'x' })), 'no-house-number');
  assert.equal(reason(register.match('Platz 645 3')), 'house-number-not-found');
});

test('without a number: a misspelt place matches fuzzily only when the nearest streets are places', () => {
  const r = matched(register.match('Oranienburgr Tor'));
  assert.equal(r.method, 'fuzzy');
  assert.equal(r.entry.street, 'Oranienburger Tor');
  assert.ok(r.confidence < 0.94);
  // A street of houses named without a number stays "no house number", also when misspelt.
  assert.equal(reason(register.match('Ackerstraße')), 'no-house-number');
  assert.equal(reason(register.match('Akerstraße')), 'no-house-number');
  assert.equal(reason(register.match('Oranienburgr Tor', { fuzzy: false })), 'no-house-number');
  assert.equal(reason(register.match('Nirgendwoplatz')), 'no-house-number');
});

test('summary: matched street-level addresses are counted', () => {
  const s = summarizeMatches(
    register.matchMany(['Pappelplatz', 'Pappelplatz 2', 'Oranienburger Tor', 'Oberbaumbrücke', 'Ackerstraße']),
  );
  assert.deepEqual([s.matched, s.streetLevel, s.ambiguous, s.unmatched], [3, 2, 1, 1]);
  assert.deepEqual(s.byReason, { 'no-house-number': 1 });
});
