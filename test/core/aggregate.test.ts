import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  valueOf,
  ratioOf,
  emptySums,
  addSums,
  sumAll,
  rollUp,
  rankDescending,
  type ComponentSums,
} from '../../src/core/aggregate.ts';

const sums = (o: Partial<ComponentSums>): ComponentSums => ({ ...emptySums(), ...o });

test('counts add; a single stored value is not computed', () => {
  assert.deepEqual(valueOf('count', sums({ sum: 12, rows: 1, parts: 1 })), {
    value: 12,
    base: 12,
    status: 'final',
    computed: false,
  });
  assert.equal(valueOf('count', sums({ sum: 30, rows: 3, parts: 3, depth: 1 })).computed, true);
});

test('ratios are Σnumerator/Σdenominator × scale; below the minimum base the value is withheld', () => {
  const num = addSums(sums({ sum: 100, rows: 1 }), sums({ sum: 10, rows: 1 }));
  const den = addSums(sums({ sum: 1000, rows: 1 }), sums({ sum: 200, rows: 1 }));
  assert.equal(ratioOf(num, den, 100, 300).value, (110 / 1200) * 100);
  const small = ratioOf(sums({ sum: 10, rows: 1 }), sums({ sum: 200, rows: 1 }), 100, 300);
  assert.deepEqual([small.value, small.status, small.base], [null, 'below_min_base', 200]);
  assert.equal(ratioOf(sums({ sum: 0, rows: 1 }), sums({ sum: 0, rows: 1 }), 100).status, 'missing');
});

test('sumAll equals repeated addSums, statuses and depth included; nothing summed is no data', () => {
  const parts = [
    sums({ sum: 100, rows: 1, parts: 1, provisional: 1 }),
    sums({ sum: 10, rows: 2, parts: 2, depth: 2, memberRows: 4, suppressed: 1 }),
    sums({ sum: 7.5, weightedSum: 15, baseSum: 2, rows: 1, estimated: 1, missing: 1, rowsWithoutBase: 1 }),
  ];
  assert.deepEqual(sumAll(parts), parts.reduce(addSums, emptySums()));
  assert.deepEqual(sumAll([]), emptySums());
  assert.equal(valueOf('count', sumAll([])).reason, 'no data');
  // The inputs are left as they were.
  assert.equal(parts[0].sum, 100);
});

test('rollUp keeps the nearest level with data and the first stored reason', () => {
  const row = (areaId: number, sum: number, reason: string | null = null) => ({
    areaId,
    sum,
    weightedSum: 0,
    baseSum: 0,
    rows: 1,
    rowsWithoutBase: 0,
    suppressed: 0,
    missing: 0,
    provisional: 0,
    estimated: 0,
    memberRows: 1,
    reason,
    estimateMethod: null,
    estimateMethodMax: null,
  });
  const target = new Map([
    [1, { code: 'A', depth: 1 }],
    [2, { code: 'A', depth: 1 }],
    [3, { code: 'A', depth: 0 }],
    [4, { code: 'B', depth: 1 }],
  ]);
  const m = rollUp([row(1, 5), row(2, 6), row(3, 20, 'stored for A'), row(4, 1), row(5, 99)], (id) => target.get(id));
  assert.deepEqual(
    [m.get('A')!.sum, m.get('A')!.depth, m.get('A')!.parts, m.get('A')!.reason],
    [20, 0, 1, 'stored for A'],
  );
  assert.deepEqual([m.get('B')!.sum, m.get('B')!.depth, m.get('B')!.parts], [1, 1, 1]);
  assert.equal(m.size, 2);
});

test('estimated values carry the method of their estimates, also when aggregated', () => {
  const realloc = 'umgeschlüsselt von block nach Flächenanteilen';
  const other = 'fortgeschrieben';
  const row = (areaId: number, sum: number, estimated: number, method: string | null, max = method) => ({
    areaId,
    sum,
    weightedSum: 0,
    baseSum: 0,
    rows: 1,
    rowsWithoutBase: 0,
    suppressed: 0,
    missing: 0,
    provisional: 0,
    estimated,
    memberRows: 1,
    reason: method,
    estimateMethod: method,
    estimateMethodMax: max,
  });
  const to = (code: string) => () => ({ code, depth: 1 });
  // One stored estimate: its method text is the reason.
  const single = rollUp([row(1, 10, 1, realloc)], () => ({ code: 'A', depth: 0 })).get('A')!;
  assert.deepEqual(valueOf('count', single), {
    value: 10,
    base: 10,
    status: 'estimated',
    computed: false,
    reason: realloc,
  });
  // All parts estimated the same way: the method; some parts: how many, and the method.
  assert.equal(
    valueOf('count', rollUp([row(1, 10, 1, realloc), row(2, 5, 1, realloc)], to('A')).get('A')!).reason,
    realloc,
  );
  const mixed = valueOf('count', rollUp([row(1, 10, 1, realloc), row(2, 5, 0, null)], to('A')).get('A')!);
  assert.deepEqual([mixed.status, mixed.reason], ['estimated', `1 of 2 values are estimates: ${realloc}`]);
  // Several methods, across areas or within one area's breakdown members.
  assert.equal(
    valueOf('count', rollUp([row(1, 10, 1, realloc), row(2, 5, 1, other)], to('A')).get('A')!).reason,
    'estimates by several methods',
  );
  assert.equal(
    valueOf('count', rollUp([row(1, 10, 2, other, realloc)], to('A')).get('A')!).reason,
    'estimates by several methods',
  );
  // The city total keeps the method too.
  const a = rollUp([row(1, 10, 1, realloc)], to('A')).get('A')!;
  const b = rollUp([row(2, 5, 0, null)], to('B')).get('B')!;
  assert.equal(valueOf('count', sumAll([a, b])).reason, `1 of 2 values are estimates: ${realloc}`);
  // Ratios say which part is estimated.
  const den = rollUp([row(1, 100, 0, null)], to('A')).get('A')!;
  assert.deepEqual([ratioOf(a, den, 100).status, ratioOf(a, den, 100).reason], ['estimated', `numerator: ${realloc}`]);
  assert.equal(ratioOf(a, a, 100).reason, realloc);
  // Nothing estimated: no reason; an estimate without a recorded method: status only.
  assert.equal(valueOf('count', den).reason, undefined);
  assert.equal(valueOf('count', rollUp([row(1, 10, 1, null)], to('A')).get('A')!).reason, undefined);
  // The minimum base still wins.
  assert.equal(ratioOf(a, den, 100, 300).status, 'below_min_base');
});

test('means are weighted by base and refuse to average without a base', () => {
  const m = valueOf('mean', sums({ sum: 5, weightedSum: 3 * 100 + 2 * 300, baseSum: 400, rows: 2 }));
  assert.equal(m.value, 2.25);
  assert.equal(
    valueOf('mean', sums({ sum: 5, rows: 2, rowsWithoutBase: 1, baseSum: 100, weightedSum: 300 })).status,
    'missing',
  );
});

test('suppressed and missing inputs block the aggregate; suppressed is not zero', () => {
  const s = valueOf('count', sums({ sum: 900, rows: 1, suppressed: 1 }));
  assert.deepEqual([s.value, s.status], [null, 'suppressed']);
  const r = ratioOf(sums({ sum: 5, rows: 1, suppressed: 1 }), sums({ sum: 1000, rows: 2 }), 100);
  assert.deepEqual([r.value, r.status], [null, 'suppressed']);
  assert.equal(valueOf('count', sums({ rows: 0 })).status, 'missing');
});

test('provisional and estimated inputs mark the result', () => {
  assert.equal(valueOf('count', sums({ sum: 5, rows: 2, provisional: 1 })).status, 'provisional');
  assert.equal(valueOf('count', sums({ sum: 5, rows: 2, provisional: 1, estimated: 1 })).status, 'estimated');
});

test('plain values are never aggregated', () => {
  assert.equal(valueOf('value', sums({ sum: 5, rows: 2 })).value, null);
  assert.equal(valueOf('value', sums({ sum: 5, rows: 1 })).value, 5);
});

test('ranking: 1 = highest, ties share the rank, no value no rank', () => {
  assert.deepEqual(rankDescending([3, null, 5, 3, 1]), [2, null, 1, 2, 4]);
});
