// Bounded slots for expensive work (the browser that prints reports): at most `size` at once, a
// bounded queue in order, and a clear 429 beyond it; a failing task frees its slot.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Slots } from '../../src/services/slots.ts';
import { TooManyRequests } from '../../src/core/problems.ts';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

describe('slots', () => {
  it('runs at most `size` tasks at once, queues `queue` more in order and refuses the next', async () => {
    const slots = new Slots(2, 2, 7);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) => slots.run(async () => (started.push(i), await g.opened, i)));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(started, [0, 1]);
    assert.deepEqual(slots.busy, { running: 2, waiting: 2 });
    await assert.rejects(
      slots.run(async () => 5),
      (e: unknown) => e instanceof TooManyRequests && e.retryAfterSeconds === 7,
    );
    gates[1].open();
    await runs[1];
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(started, [0, 1, 2], 'the first waiter gets the freed slot');
    gates[0].open();
    gates[2].open();
    gates[3].open();
    assert.deepEqual(await Promise.all(runs), [0, 1, 2, 3]);
    assert.deepEqual(slots.busy, { running: 0, waiting: 0 });
  });

  it('a failing task frees its slot', async () => {
    const slots = new Slots(1, 0);
    await assert.rejects(
      slots.run(async () => Promise.reject(new Error('printer crashed'))),
      /printer crashed/,
    );
    assert.equal(await slots.run(async () => 'next'), 'next');
    assert.deepEqual(slots.busy, { running: 0, waiting: 0 });
  });
});
