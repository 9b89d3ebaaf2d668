import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit } from '../../../src/core/disclosure/audit.ts';
import { primaryCells } from '../../../src/core/disclosure/primary.ts';
import type { LinkedTables, Pattern } from '../../../src/core/disclosure/model.ts';
import { grid } from './fixtures.ts';

const rule = { minFrequency: 3 };

test('primary cells: 1 … k−1 cases, zeros shown, delivered, dominance', () => {
  const t: LinkedTables = {
    cells: [
      { id: 'zero', value: 0, frequency: 0 },
      { id: 'one', value: 1, frequency: 1 },
      { id: 'two', value: 2, frequency: 2 },
      { id: 'three', value: 3, frequency: 3 },
      { id: 'dot', value: 40, frequency: 40, delivered: true },
      { id: 'dominated', value: 100, frequency: 10, largest: [80, 10] },
      { id: 'pp', value: 100, frequency: 10, largest: [50, 46] },
      { id: 'spread', value: 100, frequency: 10, largest: [20, 15] },
    ],
    equations: [],
  };
  const p = primaryCells(t, { minFrequency: 3, dominance: { n: 1, k: 75, p: 10 } });
  assert.deepEqual([...p.entries()].sort(), [
    ['dominated', 'dominance'],
    ['dot', 'delivered'],
    ['one', 'frequency'],
    ['pp', 'dominance'],
    ['two', 'frequency'],
  ]);
});

test('audit: a lone suppressed cell in a 2×3 table is recomputed exactly from its margins', async () => {
  const t = grid([
    [1, 8, 9],
    [7, 6, 5],
  ]);
  const pattern: Pattern = new Map([['r0c0', 'primary']]);
  const a = await audit(t, pattern, rule);
  assert.equal(a.safe, false);
  assert.equal(a.components, 1);
  assert.deepEqual(
    a.intervals.map((x) => [x.id, x.min, x.max, x.safe]),
    [['r0c0', 1, 1, false]],
  );
});

test('audit: a rectangle of four suppressions gives the primary an interval', async () => {
  const t = grid([
    [1, 8, 9],
    [7, 6, 5],
  ]);
  const pattern: Pattern = new Map([
    ['r0c0', 'primary'],
    ['r0c1', 'secondary'],
    ['r1c0', 'secondary'],
    ['r1c1', 'secondary'],
  ]);
  const a = await audit(t, pattern, rule);
  const p = a.intervals.find((x) => x.id === 'r0c0')!;
  // r0c0 + r0c1 = 9, r0c0 + r1c0 = 8, r1c0 + r1c1 = 13: r0c0 in [0, 8].
  assert.deepEqual([p.min, p.max, p.required, p.safe], [0, 8, 3, true]);
  assert.equal(a.safe, true);
  const fast = await audit(t, pattern, rule, { exact: false });
  assert.equal(fast.safe, true);
});

test('audit: unbounded cells are safe; inconsistent tables throw with the cells named', async () => {
  const t: LinkedTables = {
    cells: [
      { id: 'a', value: 1, frequency: 1 },
      { id: 'b', value: 5, frequency: 5 },
      { id: 'lonely', value: 2, frequency: 2 },
      { id: 'T', value: 6, frequency: 6 },
    ],
    equations: [{ total: 'T', parts: ['a', 'b'] }],
  };
  const ok = await audit(
    t,
    new Map([
      ['lonely', 'primary'],
      ['a', 'primary'],
      ['b', 'secondary'],
      ['T', 'secondary'],
    ]),
    rule,
  );
  assert.equal(ok.safe, true);
  assert.equal(ok.intervals.find((x) => x.id === 'lonely')!.max, Infinity);
  assert.equal(ok.intervals.find((x) => x.id === 'a')!.max, Infinity);
  const bad: LinkedTables = { ...t, cells: t.cells.map((c) => (c.id === 'T' ? { ...c, value: 2 } : c)) };
  await assert.rejects(audit(bad, new Map([['a', 'primary']]), rule), /infeasible .*"?a"?.*inconsistent/s);
  await assert.rejects(audit(t, new Map([['nope', 'primary']]), rule), /"nope"/);
});

test('audit: exact intervals equal one independent LP per cell and bound (CPLEX LP text, no shortcuts) on random patterns', async () => {
  const { highs } = await import('../../../src/core/disclosure/lp.ts');
  const { SeededRandom } = await import('../../../src/core/stats/random.ts');
  const { areasByMembers } = await import('./fixtures.ts');
  const h = await highs();
  for (let seed = 1; seed <= 4; seed++) {
    const rand = new SeededRandom(seed);
    const t = areasByMembers(rand, 6, 2, 2, 2);
    const pattern: Pattern = new Map();
    for (const c of t.cells)
      if (rand.next() < 0.35) pattern.set(c.id, c.value > 0 && c.value < 3 ? 'primary' : 'secondary');
    const a = await audit(t, pattern, rule);
    const name = new Map([...pattern.keys()].map((id, i) => [id, `x${i}`]));
    const value = new Map(t.cells.map((c) => [c.id, c.value]));
    const cons: string[] = [];
    t.equations.forEach((e, i) => {
      const terms: string[] = [];
      let rhs = 0;
      const add = (id: string, coef: number) =>
        name.has(id) ? terms.push(`${coef > 0 ? '+' : '-'} ${name.get(id)}`) : (rhs -= coef * value.get(id)!);
      add(e.total, 1);
      for (const p of e.parts) add(p, -1);
      if (terms.length) cons.push(` c${i}: ${terms.join(' ')} = ${rhs}`);
    });
    const vars = [...name.values()];
    for (const iv of a.intervals) {
      const x = name.get(iv.id)!;
      const bound = (sense: string) => {
        const lp = `${sense}\n obj: ${x}\nSubject To\n${cons.join('\n') || ' c: ' + x + ' >= 0'}\nBounds\n${vars.map((v) => ` ${v} >= 0`).join('\n')}\nEnd`;
        const r = h.solve(lp, { output_flag: false } as never);
        if (r.Status === 'Unbounded') return Infinity;
        assert.equal(r.Status, 'Optimal', `${iv.id} ${sense}`);
        return r.ObjectiveValue;
      };
      assert.ok(Math.abs(bound('Minimize') - iv.min) < 1e-6, `seed ${seed} ${iv.id}: min ${iv.min}`);
      const mx = bound('Maximize');
      assert.ok(mx === iv.max || Math.abs(mx - iv.max) < 1e-6, `seed ${seed} ${iv.id}: max ${iv.max} against ${mx}`);
    }
  }
});

test('audit with certificates: checked ones settle primaries without programs; bad ones are ignored, never trusted', async () => {
  const t = grid([
    [1, 8, 9],
    [7, 6, 5],
  ]);
  const rect: Pattern = new Map([
    ['r0c0', 'primary'],
    ['r0c1', 'secondary'],
    ['r1c0', 'secondary'],
    ['r1c1', 'secondary'],
  ]);
  // +3 on r0c0 and r1c1, −3 on r0c1 and r1c0: every margin kept, every cell >= 0.
  const good = { cells: ['r0c0', 'r0c1', 'r1c0', 'r1c1'], deltas: [3, -3, -3, 3] };
  const a = await audit(t, rect, rule, { exact: false, certificates: [good] });
  assert.equal(a.safe, true);
  assert.equal(a.programs, 0, 'settled by the certificate');
  const p = a.intervals.find((x) => x.id === 'r0c0')!;
  assert.equal(p.exact, false);
  assert.ok(p.max - p.min >= 3 && p.min >= 0 && p.max <= 8, `${p.min} … ${p.max} lies within the exact [0, 8]`);

  // A lone primary has no protection whatever a certificate claims: each bad one is ignored.
  const lone: Pattern = new Map([['r0c0', 'primary']]);
  const bad = [
    { cells: ['r0c0'], deltas: [3] }, // breaks r0's and c0's margins
    { cells: ['r0c0', 'r0c1', 'r1c0', 'r1c1'], deltas: [3, -3, -3, 3] }, // moves published cells
    { cells: ['r0c0', 'nope'], deltas: [3, -3] }, // an unknown cell
    { cells: ['r0c0'], deltas: [Number.NaN] },
    { cells: ['r0c0', 'r0c1'], deltas: [3] }, // malformed
  ];
  const b = await audit(t, lone, rule, { exact: false, certificates: bad as never });
  assert.equal(b.safe, false);
  assert.deepEqual(
    b.intervals.map((x) => [x.id, x.min, x.max, x.safe]),
    [['r0c0', 1, 1, false]],
  );
  // Down below zero: rejected too (r1c1 would be 6 − 9 < 0).
  const negative = await audit(t, rect, rule, {
    exact: false,
    certificates: [{ cells: good.cells, deltas: [-9, 9, 9, -9] }],
  });
  assert.ok(negative.programs > 0, 'not settled by an infeasible deviation');
  assert.equal(negative.safe, true);

  // On inconsistent tables the certificates prove nothing: the programs find the contradiction.
  const broken = { ...t, cells: t.cells.map((c) => (c.id === 'r0cT' ? { ...c, value: 19 } : c)) };
  await assert.rejects(audit(broken, rect, rule, { exact: false, certificates: [good] }), /inconsistent/);
});

test('protectChecked: the pattern with the verdict of the attacker, settled by its own certificates', async () => {
  const { protectChecked } = await import('../../../src/core/disclosure/secondary.ts');
  const { areasByMembers } = await import('./fixtures.ts');
  const { SeededRandom } = await import('../../../src/core/stats/random.ts');
  // Over 2,000 cells: no clean-up pass (which publishes cells again and so voids the proofs moving them).
  const t = areasByMembers(new SeededRandom(5), 300, 20, 15, 5);
  const r = await protectChecked(t, rule);
  assert.ok(t.cells.length > 2000 && r.primary > 0 && r.certificates.length > 0);
  assert.equal(r.auditPrograms, 0);
  const full = await audit(t, r.pattern, rule);
  assert.equal(full.safe, true, 'the exact audit agrees');
});
