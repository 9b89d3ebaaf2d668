// protect() in the worker thread gives the same pattern as on this thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { protect } from '../../src/core/disclosure/secondary.ts';
import { protectOffThread } from '../../src/services/protect-off-thread.ts';
import type { LinkedTables } from '../../src/core/disclosure/model.ts';

// A 2×3 table with margins; one cell of 1 case.
function table(): LinkedTables {
  const v = [
    [1, 7, 9],
    [6, 8, 12],
  ];
  const cells = [];
  const equations = [];
  for (let r = 0; r < 2; r++)
    for (let c = 0; c < 3; c++) cells.push({ id: `r${r}c${c}`, value: v[r][c], frequency: v[r][c] });
  for (let r = 0; r < 2; r++) {
    const total = v[r].reduce((a, b) => a + b, 0);
    cells.push({ id: `r${r}`, value: total, frequency: total });
    equations.push({ total: `r${r}`, parts: [0, 1, 2].map((c) => `r${r}c${c}`) });
  }
  for (let c = 0; c < 3; c++) {
    cells.push({ id: `c${c}`, value: v[0][c] + v[1][c], frequency: v[0][c] + v[1][c] });
    equations.push({ total: `c${c}`, parts: [`r0c${c}`, `r1c${c}`] });
  }
  return { cells, equations };
}

test('protect() off the thread gives the pattern protect() gives here', async () => {
  const rule = { minFrequency: 3 };
  const here = await protect(table(), rule);
  const there = await protectOffThread(table(), rule);
  assert.deepEqual([...there.pattern].sort(), [...here.pattern].sort());
  assert.equal(there.secondary, here.secondary);
  assert.ok(here.pattern.get('r0c0') === 'primary');
  assert.ok(here.secondary >= 3, 'a rectangle of partners');
});
