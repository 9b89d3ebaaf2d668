import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit } from '../../../src/core/disclosure/audit.ts';
import { protect } from '../../../src/core/disclosure/secondary.ts';
import { optimalSecondary } from '../../../src/core/disclosure/optimal.ts';
import type { LinkedTables } from '../../../src/core/disclosure/model.ts';
import { SeededRandom } from '../../../src/core/stats/random.ts';
import { grid, areasByMembers } from './fixtures.ts';

const rule = { minFrequency: 3 };

test('the exact model finds the known optimum of a 2×3 table and its pattern passes the audit', async () => {
  const t = grid([
    [1, 8, 9],
    [7, 6, 4],
  ]);
  const o = await optimalSecondary(t, rule);
  assert.equal(o.optimal, true);
  assert.equal(o.secondary, 3);
  assert.equal(o.objective, 23);
  assert.equal((await audit(t, o.pattern, rule)).safe, true);
});

function tables(): { name: string; t: LinkedTables }[] {
  const out: { name: string; t: LinkedTables }[] = [
    {
      name: '3×4 grid',
      t: grid([
        [1, 8, 9, 4],
        [7, 2, 5, 11],
        [6, 12, 0, 3],
      ]),
    },
    {
      name: '4×4 grid',
      t: grid([
        [2, 10, 7, 5],
        [9, 1, 14, 6],
        [3, 8, 20, 2],
        [11, 4, 6, 9],
      ]),
    },
  ];
  for (let seed = 1; seed <= 8; seed++) {
    const rand = new SeededRandom(100 + seed);
    const cols = 3 + rand.int(2);
    out.push(
      seed % 2
        ? {
            name: `random grid ${seed}`,
            t: grid(
              Array.from({ length: 3 + rand.int(2) }, () =>
                Array.from({ length: cols }, () => (rand.next() < 0.2 ? 1 + rand.int(2) : rand.int(25))),
              ),
            ),
          }
        : {
            name: `random areas × members ${seed}`,
            t: areasByMembers(rand, 5 + rand.int(3), 2, rand.int(2) ? 2 : 0, 2, 0.2),
          },
    );
  }
  return out;
}

test('information loss: protect() stays within 1.25× of the optimum in number and total value of secondary suppressions', async () => {
  const rows: string[] = [];
  let sumH = 0;
  let sumO = 0;
  for (const { name, t } of tables()) {
    const heur = await protect(t, rule);
    assert.equal((await audit(t, heur.pattern, rule)).safe, true, name);
    const byCost = await optimalSecondary(t, rule, { timeLimitSeconds: 20 });
    const byCount = await optimalSecondary(t, rule, { objective: 'count', timeLimitSeconds: 20 });
    const byValue = await optimalSecondary(t, rule, { objective: 'value', timeLimitSeconds: 20 });
    rows.push(
      `${name}: protect ${heur.secondary} cells / ${heur.secondaryValue}; optimum ${byCount.secondary} cells, ${byValue.secondaryValue} value, cost ${byCost.objective}`,
    );
    assert.ok(
      heur.secondary <= 1.25 * byCount.secondary + 1e-9,
      `${name}: ${heur.secondary} secondary cells against at least ${byCount.secondary}`,
    );
    assert.ok(
      heur.secondaryValue <= 1.25 * byValue.secondaryValue + 1e-9,
      `${name}: secondary value ${heur.secondaryValue} against at least ${byValue.secondaryValue}`,
    );
    sumH += heur.secondary;
    sumO += byCount.secondary;
  }
  console.log(rows.join('\n'));
  assert.ok(sumO > 0, 'the tables need secondary suppression at all');
  assert.ok(sumH <= 1.25 * sumO);
});
