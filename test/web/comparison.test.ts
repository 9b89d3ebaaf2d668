// The municipal comparison view's pure parts: choosing at most ten, the value table by date.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableOf, toggle } from '../../web/src/views/Comparison/logic.ts';
import type { CompareAnswer } from '../../src/contracts/answers/index.ts';

test('toggle adds up to the limit and removes', () => {
  assert.deepEqual(toggle(['a'], 'b', 2), ['a', 'b']);
  assert.deepEqual(toggle(['a', 'b'], 'c', 2), ['a', 'b']);
  assert.deepEqual(toggle(['a', 'b'], 'a', 2), ['b']);
});

test('tableOf: every reference date of the standard, a gap where a municipality has none', () => {
  const answer: CompareAnswer = {
    own: 'a',
    level: 'territory',
    standards: [],
    municipalities: [
      { key: 'a', name: 'A', own: true },
      { key: 'b', name: 'B', own: false },
    ],
    series: [
      {
        standard: 's',
        municipality: 'a',
        points: [{ referenceDate: '2023-12-31', period: '2023', value: 1, status: 'final', source: null }],
      },
      {
        standard: 's',
        municipality: 'b',
        points: [{ referenceDate: '2022-12-31', period: '2022', value: null, status: 'suppressed', source: null }],
      },
      {
        standard: 'x',
        municipality: 'b',
        points: [{ referenceDate: '2021-12-31', period: '2021', value: 3, status: 'final', source: null }],
      },
    ],
  };
  const t = tableOf(answer, 's');
  assert.deepEqual(t.dates, ['2022-12-31', '2023-12-31']);
  assert.equal(t.rows[0].points[0], undefined);
  assert.equal(t.rows[0].points[1]?.value, 1);
  assert.equal(t.rows[1].points[0]?.status, 'suppressed');
});
