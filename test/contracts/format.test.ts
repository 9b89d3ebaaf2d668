// German number, date and period formats; official status symbols (src/contracts/format.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatNumber,
  formatValue,
  formatDate,
  formatPeriod,
  formatCell,
  formatTick,
  STATUS_SYMBOL,
  hasValue,
  periodSlug,
  formatShare,
  formatSigned,
} from '../../src/contracts/format.ts';

describe('numbers', () => {
  it('German: thousands with a dot, decimals with a comma', () => {
    assert.equal(formatNumber(1234.5, 1), '1.234,5');
    assert.equal(formatNumber(1234567, 0), '1.234.567');
    assert.equal(formatNumber(5.671283, 1), '5,7');
    assert.equal(formatNumber(0.05, 2), '0,05');
    assert.equal(formatNumber(-1234.56, 1), '-1.234,6');
  });
  it('English on request', () => {
    assert.equal(formatNumber(1234.5, 1, 'en'), '1,234.5');
  });
  it('default decimals: integers without, others with one', () => {
    assert.equal(formatNumber(299985, null), '299.985');
    assert.equal(formatNumber(12.345, null), '12,3');
  });
  it('never "-0" and never a number for a missing value', () => {
    assert.equal(formatNumber(-0.01, 1), '0,0');
    assert.equal(formatNumber(null, 1), '');
    assert.equal(formatNumber(undefined, 1), '');
    assert.equal(formatNumber(Number.NaN, 1), '');
  });
  it('values with units use a non-breaking space', () => {
    assert.equal(formatValue(12.34, 1, '%'), '12,3\u00a0%');
    assert.equal(formatValue(1841, 0, 'Personen'), '1.841\u00a0Personen');
    assert.equal(formatValue(null, 1, '%'), '');
  });
  it('axis ticks', () => {
    assert.equal(formatTick(1500), '1.500');
    assert.equal(formatTick(7.25), '7,25');
    assert.equal(formatTick(12.5), '12,5');
  });
});

describe('dates and periods', () => {
  it('ISO dates as 31.12.2020', () => {
    assert.equal(formatDate('2020-12-31'), '31.12.2020');
    assert.equal(formatDate('2024-09-03'), '03.09.2024');
    assert.equal(formatDate('2020-12-31', 'en'), '31/12/2020');
    assert.equal(formatDate(null), '');
    assert.equal(formatDate('gestern'), 'gestern');
  });
  it('periods: school years stay, months 03/2020, quarters "1. Quartal 2020"', () => {
    assert.equal(formatPeriod('2023/24'), '2023/24');
    assert.equal(formatPeriod('2020'), '2020');
    assert.equal(formatPeriod('2020-03'), '03/2020');
    assert.equal(formatPeriod('2020-Q1'), '1. Quartal 2020');
    assert.equal(formatPeriod('2020-Q4', 'en'), 'Q4 2020');
    assert.equal(formatPeriod('2020-12-31'), '31.12.2020');
  });
  it('period slugs for file names', () => {
    assert.equal(periodSlug('2023/24'), '2023-24');
  });
});

describe('status symbols', () => {
  it('official symbols, never zero for values that may not be shown', () => {
    assert.equal(formatCell(null, 'suppressed', 1, '%'), '.');
    assert.equal(formatCell(null, 'below_min_base', 1, '%'), '/');
    assert.equal(formatCell(null, 'missing', 1, '%'), '…');
    assert.equal(
      formatCell(0, 'suppressed', 1, '%'),
      '.',
      'a suppressed value is never shown, even if a number came along',
    );
  });
  it('flags p (vorläufig) and s (geschätzt) follow the number', () => {
    assert.equal(formatCell(7.7, 'provisional', 1, null), '7,7\u00a0p');
    assert.equal(formatCell(7.7, 'estimated', 1, '%'), '7,7\u00a0%\u00a0s');
    assert.equal(formatCell(0, 'final', 0, null), '0', 'a real zero is shown as 0');
  });
  it('which statuses carry a value', () => {
    assert.deepEqual((Object.keys(STATUS_SYMBOL) as (keyof typeof STATUS_SYMBOL)[]).filter(hasValue), [
      'final',
      'provisional',
      'estimated',
    ]);
  });
});

import { periodEnd, versionAt } from '../../src/contracts/format.ts';

describe('reference dates and boundary versions', () => {
  it('period end dates', () => {
    assert.equal(periodEnd('2020-12-31'), '2020-12-31');
    assert.equal(periodEnd('2020'), '2020-12-31');
    assert.equal(periodEnd('2023/24'), '2024-07-31');
    assert.equal(periodEnd('2024-02'), '2024-02-29');
    assert.equal(periodEnd('2020-Q1'), '2020-03-31');
    assert.equal(periodEnd('irgendwann'), null);
  });
  it('one `at` per boundary version, none for the current one', () => {
    const versions = [
      { validFrom: null, validTo: '2021-01-01' },
      { validFrom: '2021-01-01', validTo: null },
    ];
    assert.equal(versionAt(versions, '2020-12-31'), '1900-01-01');
    assert.equal(versionAt(versions, '2019-12-31'), '1900-01-01');
    assert.equal(versionAt(versions, '2021-12-31'), undefined);
    assert.equal(versionAt(versions, '2020/21'), undefined, 'the school year 2020/21 ends on 31.07.2021');
    assert.equal(
      versionAt(
        [
          { validFrom: '2000-01-01', validTo: '2010-01-01' },
          { validFrom: '2010-01-01', validTo: null },
        ],
        '2005',
      ),
      '2000-01-01',
    );
  });
});

describe('shares and signed numbers', () => {
  it('shares as percentages', () => {
    assert.equal(formatShare(0.9756, 'de'), '97,6\u00a0%');
    assert.equal(formatShare(1, 'en', 0), '100\u00a0%');
    assert.equal(formatShare(null), '');
  });
  it('signed contributions with a real minus sign, no "−0,00"', () => {
    assert.equal(formatSigned(2.456), '+2,46');
    assert.equal(formatSigned(-0.5, 1, 'en'), '\u22120.5');
    assert.equal(formatSigned(-0.0001), '0,00');
    assert.equal(formatSigned(1234.5, 1), '+1.234,5');
    assert.equal(formatSigned(NaN), '');
  });
});
