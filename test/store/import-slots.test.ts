// Imports take turns when KOMMUNALMONITOR_IMPORT_SLOTS bounds them: a second import waits for a
// slot inside its transaction until the first one's transaction ends; with two slots both run.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { takeImportSlot } from '../../src/store/batches.ts';
import { importSlotsFrom } from '../../src/services/import-slots.ts';

test('KOMMUNALMONITOR_IMPORT_SLOTS: unset is no limit, a positive whole number a limit, anything else an error', () => {
  assert.equal(importSlotsFrom({}), undefined);
  assert.equal(importSlotsFrom({ KOMMUNALMONITOR_IMPORT_SLOTS: ' ' }), undefined);
  assert.equal(importSlotsFrom({ KOMMUNALMONITOR_IMPORT_SLOTS: '2' }), 2);
  for (const bad of ['0', '-1', '1.5', 'two'])
    assert.throws(() => importSlotsFrom({ KOMMUNALMONITOR_IMPORT_SLOTS: bad }), /must be a positive whole number/);
});

const postgres = engines.find((e) => e.name === 'postgres')!;

describe('import slots [postgres]', engineGate(postgres), () => {
  let a: Database;
  let b: Database;
  before(async () => {
    a = await openEngine(postgres);
    b = await openEngine(postgres);
  });
  after(async () => {
    await a?.close();
    await b?.close();
  });

  async function twoImports(slots: number): Promise<string[]> {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let taken!: () => void;
    const firstHasSlot = new Promise<void>((r) => (taken = r));
    const first = a.transaction(async (tx) => {
      await takeImportSlot(tx, slots);
      order.push('first has a slot');
      taken();
      await held;
      order.push('first ends');
    });
    await firstHasSlot;
    const second = b.transaction(async (tx) => {
      await takeImportSlot(tx, slots);
      order.push('second has a slot');
    });
    // Give the second import every chance to get a slot it must not get (one slot).
    await b.query('SELECT pg_sleep(0.3)').catch(() => undefined);
    await a.query('SELECT pg_sleep(0.3)');
    release();
    await Promise.all([first, second]);
    return order;
  }

  test('one slot: the second waits until the first transaction ends', async () => {
    assert.deepEqual(await twoImports(1), ['first has a slot', 'first ends', 'second has a slot']);
  });

  test('two slots: both run at once', async () => {
    assert.deepEqual(await twoImports(2), ['first has a slot', 'second has a slot', 'first ends']);
  });
});
