import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  foldText,
  formatHouseNumber,
  normalizePostcode,
  normalizeStreet,
  parseAddressLine,
  parseHouseNumber,
} from '../../../src/core/address/normalize.ts';

test('street names: every spelling of one street gives one key', () => {
  const groups: [string, string[]][] = [
    [
      'ackerstrasse',
      [
        'Ackerstraße',
        'Ackerstr.',
        'Ackerstr',
        'ackerstr.',
        'Ackerstrasse',
        'ACKERSTRASSE',
        'ackerstraße',
        'Acker-Straße',
        'Acker Str.',
        'Acker-Str',
        ' Ackerstraße ',
        '"Ackerstraße",',
        'Ackerstrase',
      ],
    ],
    [
      'karlmarxallee',
      [
        'Karl-Marx-Allee',
        'Karl Marx Allee',
        'Karl-Marx Allee',
        'karl-marx-allee',
        'KARL MARX ALLEE',
        'Karl - Marx - Allee',
      ],
    ],
    ['alexanderplatz', ['Alexanderplatz', 'Alexanderpl.', 'Alexander-Platz', 'Alexander Pl.', 'alexanderpl']],
    ['muellerstrasse', ['Müllerstraße', 'Muellerstrasse', 'MÜLLERSTR.', 'Mu\u0308llerstraße', 'müller-str']],
    ['grosserstern', ['Großer Stern', 'Grosser Stern', 'GROSSER STERN', 'Großer-Stern']],
    [
      'strassedes17juni',
      ['Straße des 17. Juni', 'Str. des 17. Juni', 'Strasse des 17.Juni', 'str. d. 17. juni'.replace('d.', 'des')],
    ],
    ['sanktmarienstrasse', ['St.-Marien-Str.', 'St. Marien-Straße', 'Sankt-Marien-Straße']],
    ['oeschelbronnerweg', ['Öschelbronner Weg', 'Oeschelbronner Weg']],
    ['strausbergerplatz', ['Strausberger Platz', 'Strausberger Pl.']],
    ['chausseestrasse', ['Chausseestraße', 'Chausseestr.']],
    [
      'rue de la paix'.replace(/ /g, ''),
      ['Rue de la Paix', 'Rüe de la Paix'.replace('ü', 'u'), 'Rué de la Paix'.replace('é', 'e')],
    ],
  ];
  for (const [key, spellings] of groups) for (const s of spellings) assert.equal(normalizeStreet(s), key, s);
  assert.equal(normalizeStreet('Straßburger Straße'), 'strassburgerstrasse', '"Str" inside a word is no abbreviation');
  assert.equal(normalizeStreet('Plönzeile'), 'ploenzeile');
  assert.equal(normalizeStreet(''), '');
  assert.equal(foldText('Ärger Öl Übel ß é'), 'aerger oel uebel ss e');
});

test('house numbers', () => {
  const cases: [string | number, ReturnType<typeof parseHouseNumber>][] = [
    ['12', { number: 12, suffix: '' }],
    [12, { number: 12, suffix: '' }],
    ['12a', { number: 12, suffix: 'a' }],
    ['12 A', { number: 12, suffix: 'a' }],
    ['12 a', { number: 12, suffix: 'a' }],
    ['12A', { number: 12, suffix: 'a' }],
    [' 12a. ', { number: 12, suffix: 'a' }],
    ['Nr. 12', { number: 12, suffix: '' }],
    ['12-14', { number: 12, suffix: '', rangeEnd: 14 }],
    ['12–14', { number: 12, suffix: '', rangeEnd: 14 }],
    ['12 - 14', { number: 12, suffix: '', rangeEnd: 14 }],
    ['12/14', { number: 12, suffix: '', rangeEnd: 14 }],
    ['12 bis 14', { number: 12, suffix: '', rangeEnd: 14 }],
    ['12a-14b', { number: 12, suffix: 'a', rangeEnd: 14, rangeSuffix: 'b' }],
    ['12/1', { number: 12, suffix: '/1' }],
    ['12a-c', { number: 12, suffix: 'a', rangeEnd: 12, rangeSuffix: 'c' }],
    ['', null],
    ['abc', null],
    ['14-12a', null],
  ];
  for (const [input, expected] of cases) assert.deepEqual(parseHouseNumber(input), expected, String(input));
  assert.equal(formatHouseNumber({ number: 12, suffix: 'a' }), '12a');
  assert.equal(formatHouseNumber({ number: 12, suffix: '', rangeEnd: 14 }), '12-14');
  assert.equal(formatHouseNumber({ number: 12, suffix: '/1' }), '12/1');
});

test('postcodes', () => {
  const cases: [string | number | null, string | null][] = [
    ['10115', '10115'],
    [' 10115 ', '10115'],
    ['D-10115', '10115'],
    ['DE 10115', '10115'],
    ['1067', '01067'],
    [1067, '01067'],
    ['10 115', '10115'],
    ['123456', null],
    ['Berlin', null],
    [null, null],
  ];
  for (const [input, expected] of cases) assert.equal(normalizePostcode(input), expected, String(input));
});

test('free-text address lines', () => {
  const cases: [string, { street: string; number: string; postcode: string | null; city: string | null }][] = [
    ['Ackerstr. 1a, 10115 Berlin', { street: 'Ackerstr.', number: '1a', postcode: '10115', city: 'Berlin' }],
    ['10115 Berlin, Ackerstraße 1 a', { street: 'Ackerstraße', number: '1 a', postcode: '10115', city: 'Berlin' }],
    ['10115 Berlin Ackerstr. 1a', { street: 'Ackerstr.', number: '1a', postcode: '10115', city: 'Berlin' }],
    ['Ackerstr 1a 10115', { street: 'Ackerstr', number: '1a', postcode: '10115', city: null }],
    ['Ackerstr.1a', { street: 'Ackerstr.', number: '1a', postcode: null, city: null }],
    ['Ackerstr., 1a', { street: 'Ackerstr.', number: '1a', postcode: null, city: null }],
    ['Ackerstraße Nr. 5, D-10115 Berlin', { street: 'Ackerstraße', number: '5', postcode: '10115', city: 'Berlin' }],
    [
      'Straße des 17. Juni 135, 10623 Berlin',
      { street: 'Straße des 17. Juni', number: '135', postcode: '10623', city: 'Berlin' },
    ],
    ['Str. des 17. Juni', { street: 'Str. des 17. Juni', number: '', postcode: null, city: null }],
    [
      'Karl-Marx-Allee 12-14, 10243 Berlin',
      { street: 'Karl-Marx-Allee', number: '12-14', postcode: '10243', city: 'Berlin' },
    ],
    ['Karl-Marx-Allee 12–14', { street: 'Karl-Marx-Allee', number: '12–14', postcode: null, city: null }],
    ['Ackerstr. 1a 3. OG', { street: 'Ackerstr.', number: '1a', postcode: null, city: null }],
    ['Ackerstr. 1a, Whg 12', { street: 'Ackerstr.', number: '1a', postcode: null, city: null }],
    ['Ackerstr. 1a Hinterhaus links', { street: 'Ackerstr.', number: '1a', postcode: null, city: null }],
    ['Am Eingang 5', { street: 'Am Eingang', number: '5', postcode: null, city: null }],
    ['Straße 645 12, 12345 Berlin', { street: 'Straße 645', number: '12', postcode: '12345', city: 'Berlin' }],
    ['  "Hauptstr. 12 A"  ', { street: 'Hauptstr.', number: '12 A', postcode: null, city: null }],
    ['Ackerstr. 1a\n10115 Berlin', { street: 'Ackerstr.', number: '1a', postcode: '10115', city: 'Berlin' }],
    ['Ackerstr. 1a, Berlin', { street: 'Ackerstr.', number: '1a', postcode: null, city: 'Berlin' }],
    [
      'Frankfurter Allee 5, 10247 Berlin-Friedrichshain',
      { street: 'Frankfurter Allee', number: '5', postcode: '10247', city: 'Berlin-Friedrichshain' },
    ],
  ];
  for (const [line, e] of cases) {
    const p = parseAddressLine(line);
    assert.deepEqual({ street: p.street, number: p.houseNumberText, postcode: p.postcode, city: p.city }, e, line);
  }
  assert.deepEqual(parseAddressLine('Ackerstr. 1a, 10115 Berlin').houseNumber, { number: 1, suffix: 'a' });
  assert.equal(parseAddressLine('').street, '');
});
