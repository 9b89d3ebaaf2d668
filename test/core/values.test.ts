import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatNumberGerman,
  isValueCellError,
  parseNumber,
  parseStatus,
  parseValueCell,
} from '../../src/core/values.ts';

test('parseNumber with decimal comma', () => {
  const cases: [string, number | null][] = [
    ['169,0', 169],
    ['1.234,5', 1234.5],
    ['1.234.567', 1234567],
    ['-3,5', -3.5],
    ['1234', 1234],
    [' 12 ', 12],
    ['0', 0],
    ['-0', 0],
    [',5', 0.5],
    ['+7', 7],
    ['1 234,5', 1234.5],
    ['1\u00A0234,5', 1234.5],
    ['1\u202F234\u202F567', 1234567],
    ['\u22122,5', -2.5],
    ['1.23,4', null],
    ['1.2345', null],
    ['12,', null],
    ['1,2,3', null],
    ['1.234 567', null],
    ['abc', null],
    ['', null],
    ['-', null],
    [',', null],
    ['1e3', null],
    ['12 Personen', null],
  ];
  for (const [text, expected] of cases) assert.equal(parseNumber(text, ','), expected, JSON.stringify(text));
  assert.ok(Object.is(parseNumber('-0', ','), 0), 'no negative zero');
});

test('parseNumber with decimal point', () => {
  const cases: [string, number | null][] = [
    ['1234.5', 1234.5],
    ['1,234.5', 1234.5],
    ['1,234,567', 1234567],
    ['-0.5', -0.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['2.5E-1', 0.25],
    ['1 234.5', 1234.5],
    ['1,23.4', null],
    ['1.234,5', null],
    ['e5', null],
    ['1e', null],
    ['Infinity', null],
    ['NaN', null],
    ['0x10', null],
  ];
  for (const [text, expected] of cases) assert.equal(parseNumber(text, '.'), expected, JSON.stringify(text));
});

test('parseValueCell: numbers and the symbols of the Zeichenerklärung', () => {
  const d = ',';
  assert.deepEqual(parseValueCell('169,0', d), { value: 169, status: 'final' });
  assert.deepEqual(parseValueCell('', d), { value: null, status: 'missing', reason: 'empty' });
  assert.deepEqual(parseValueCell('   ', d), { value: null, status: 'missing', reason: 'empty' });
  assert.deepEqual(parseValueCell('.', d), { value: null, status: 'suppressed', reason: 'secret or unknown' });
  assert.deepEqual(parseValueCell('x', d), { value: null, status: 'missing', reason: 'not applicable' });
  assert.deepEqual(parseValueCell('X', d), { value: null, status: 'missing', reason: 'not applicable' });
  assert.deepEqual(parseValueCell('...', d), { value: null, status: 'missing', reason: 'not yet available' });
  assert.deepEqual(parseValueCell('\u2026', d), { value: null, status: 'missing', reason: 'not yet available' });
  assert.deepEqual(parseValueCell('/', d), { value: null, status: 'missing', reason: 'not reliable enough' });
  assert.deepEqual(parseValueCell('-', d), { value: 0, status: 'final' });
  assert.deepEqual(parseValueCell('\u2013', d), { value: 0, status: 'final' });
  assert.deepEqual(parseValueCell(' - ', d), { value: 0, status: 'final' });
});

test('parseValueCell: flags and parentheses', () => {
  const d = ',';
  assert.deepEqual(parseValueCell('123p', d), { value: 123, status: 'provisional' });
  assert.deepEqual(parseValueCell('1.234,5 p', d), { value: 1234.5, status: 'provisional' });
  assert.deepEqual(parseValueCell('123 r', d), { value: 123, status: 'final', reason: 'revised' });
  assert.deepEqual(parseValueCell('123s', d), { value: 123, status: 'estimated' });
  assert.deepEqual(parseValueCell('123e', d), { value: 123, status: 'estimated' });
  assert.deepEqual(parseValueCell('-4,5e', d), { value: -4.5, status: 'estimated' });
  assert.deepEqual(parseValueCell('(12,5)', d), { value: 12.5, status: 'final', reason: 'limited reliability' });
  assert.deepEqual(parseValueCell('123e', '.'), { value: 123, status: 'estimated' });
  assert.deepEqual(parseValueCell('1e3', '.'), { value: 1000, status: 'final' });
});

test('parseValueCell: errors carry a hint', () => {
  for (const text of ['abc', 'p', '12 pp', '()', '(x)', '1.23,4', '12 Personen', '--']) {
    const r = parseValueCell(text, ',');
    assert.ok(isValueCellError(r), JSON.stringify(text));
    assert.match(r.hint, /1\.234,5/);
    assert.match(r.hint, /"x"/);
  }
  const wrongDecimal = parseValueCell('1234.56', ',');
  assert.ok(isValueCellError(wrongDecimal));
  assert.match(wrongDecimal.hint, /"\." as decimal separator/);
  const english = parseValueCell('12,34', '.');
  assert.ok(isValueCellError(english));
  assert.match(english.hint, /1,234\.5/);
});

test('parseStatus accepts English and German words', () => {
  assert.equal(parseStatus(''), 'final');
  assert.equal(parseStatus('final'), 'final');
  assert.equal(parseStatus('Endgültig'), 'final');
  assert.equal(parseStatus('provisional'), 'provisional');
  assert.equal(parseStatus('vorläufig'), 'provisional');
  assert.equal(parseStatus(' p '), 'provisional');
  assert.equal(parseStatus('estimated'), 'estimated');
  assert.equal(parseStatus('geschätzt'), 'estimated');
  assert.equal(parseStatus('s'), 'estimated');
  assert.equal(parseStatus('E'), 'estimated');
  assert.equal(parseStatus('suppressed'), 'suppressed');
  assert.equal(parseStatus('geheim'), 'suppressed');
  assert.equal(parseStatus('gesperrt'), 'suppressed');
  assert.equal(parseStatus('.'), 'suppressed');
  assert.equal(parseStatus('missing'), 'missing');
  assert.equal(parseStatus('fehlend'), 'missing');
  assert.equal(parseStatus('maybe'), null);
  assert.equal(parseStatus('toString'), null);
});

test('formatNumberGerman', () => {
  assert.equal(formatNumberGerman(1234.5), '1.234,5');
  assert.equal(formatNumberGerman(1234567), '1.234.567');
  assert.equal(formatNumberGerman(-0.25), '-0,25');
  assert.equal(formatNumberGerman(1234.5, 2), '1.234,50');
  assert.equal(formatNumberGerman(2.345, 0), '2');
  assert.equal(formatNumberGerman(169, 1), '169,0');
});
