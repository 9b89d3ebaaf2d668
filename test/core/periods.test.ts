import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePeriod, formatPeriodGerman } from '../../src/core/periods.ts';

test('periods in German and international notation', () => {
  const cases: [string, string, string, string, string][] = [
    ['2020-12-31', '2020-12-31', 'date', '2020-12-31', '2020-12-31'],
    ['31.12.2020', '2020-12-31', 'date', '2020-12-31', '2020-12-31'],
    ['1.7.2021', '2021-07-01', 'date', '2021-07-01', '2021-07-01'],
    ['2020', '2020', 'year', '2020-01-01', '2020-12-31'],
    ['2023/24', '2023/24', 'school_year', '2023-08-01', '2024-07-31'],
    ['2023/2024', '2023/24', 'school_year', '2023-08-01', '2024-07-31'],
    ['SJ 1999/00', '1999/00', 'school_year', '1999-08-01', '2000-07-31'],
    ['2020-02', '2020-02', 'month', '2020-02-01', '2020-02-29'],
    ['03/2021', '2021-03', 'month', '2021-03-01', '2021-03-31'],
    ['2020-Q1', '2020-Q1', 'quarter', '2020-01-01', '2020-03-31'],
    ['Q4/2020', '2020-Q4', 'quarter', '2020-10-01', '2020-12-31'],
    ['2. Quartal 2022', '2022-Q2', 'quarter', '2022-04-01', '2022-06-30'],
  ];
  for (const [text, key, type, start, end] of cases) {
    const p = parsePeriod(text);
    assert.ok(p, text);
    assert.deepEqual([p.key, p.type, p.start, p.end], [key, type, start, end], text);
  }
});

test('non-periods are rejected', () => {
  for (const text of ['', 'gestern', '31.02.2020', '2020-13', '2023/25', '31.12.20', '2020-Q5', '12345'])
    assert.equal(parsePeriod(text), null, text);
});

test('German display forms', () => {
  assert.equal(formatPeriodGerman(parsePeriod('2020-12-31')!), '31.12.2020');
  assert.equal(formatPeriodGerman(parsePeriod('2020-03')!), '03/2020');
  assert.equal(formatPeriodGerman(parsePeriod('2020-Q1')!), '1. Quartal 2020');
  assert.equal(formatPeriodGerman(parsePeriod('2023/24')!), '2023/24');
});
