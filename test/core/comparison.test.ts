// The pure parts of the comparison between municipalities: competition ranks, similar
// municipalities by z-standardised distance, checking standard definitions (and the starter set).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  competitionRanks,
  similarMunicipalities,
  checkStandards,
  STARTER_STANDARDS_FILE,
} from '../../src/core/comparison/model.ts';
import { readStandardsFile } from '../../src/services/comparison.ts';
import type { InputRejected } from '../../src/core/problems.ts';

describe('comparison: pure parts', () => {
  test('competition ranks: equal values share a rank, the next rank skips', () => {
    assert.deepEqual(
      competitionRanks([5, 7, 7, null, 1]).map((r) => r.rank),
      [3, 1, 1, null, 4],
    );
    assert.deepEqual(
      competitionRanks([7, 7]).map((r) => r.tied),
      [1, 1],
    );
  });

  test('similar municipalities: z-scores over the municipalities complete at the latest common date', () => {
    const v = (rows: Record<string, Record<string, number | null>>) =>
      new Map(Object.entries(rows).map(([ind, byDate]) => [ind, new Map(Object.entries(byDate))]));
    const values = new Map([
      ['a', v({ x: { '2022-12-31': 1, '2023-12-31': 10 }, y: { '2022-12-31': 1, '2023-12-31': 5 } })],
      ['b', v({ x: { '2022-12-31': 2, '2023-12-31': 11 }, y: { '2022-12-31': 2, '2023-12-31': 5 } })],
      ['c', v({ x: { '2022-12-31': 3, '2023-12-31': 20 }, y: { '2022-12-31': 3, '2023-12-31': 5 } })],
      // Withheld in 2023: not compared at that date.
      ['d', v({ x: { '2023-12-31': null }, y: { '2023-12-31': 5 } })],
    ]);
    const r = similarMunicipalities({ own: 'a', indicators: ['x', 'y'], values });
    assert.equal(r.referenceDate, '2023-12-31');
    assert.equal(r.compared, 3);
    assert.deepEqual(r.constant, ['y']);
    assert.deepEqual(
      r.ranked.map((x) => x.key),
      ['b', 'c'],
    );
    // mean 41/3, population sd of 10, 11, 20: distance b = |11-10|/sd.
    const m = 41 / 3;
    const sd = Math.sqrt(((10 - m) ** 2 + (11 - m) ** 2 + (20 - m) ** 2) / 3);
    assert.ok(Math.abs(r.ranked[0].distance - 1 / sd) < 1e-12);
    assert.equal(similarMunicipalities({ own: 'zz', indicators: ['x'], values }).reason, 'own-not-published');
  });

  test('standard definitions: every problem with its record; the starter set is valid', async () => {
    assert.throws(
      () =>
        checkStandards([
          {
            key: 'Bad',
            nameDe: 'x',
            nameEn: 'x',
            unit: '%',
            type: 'rate',
            definition: 'd',
            basis: 'KOSIS',
            polarity: 'up',
            decimals: 9,
          },
        ]),
      (e: InputRejected) =>
        ['bad-standard-key', 'bad-type', 'bad-polarity', 'bad-decimals'].every((c) =>
          e.problems.some((p) => p.code === c),
        ),
    );
    const starter = await readStandardsFile(fileURLToPath(STARTER_STANDARDS_FILE));
    assert.ok(starter.length >= 5);
    assert.ok(starter.some((s) => s.key === 'sgb2_quote' && s.type === 'ratio'));
  });
});
