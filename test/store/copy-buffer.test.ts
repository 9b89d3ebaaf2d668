// CopyBuffer writes COPY text bytes; PostgreSQL must read back exactly the values written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CopyBuffer } from '../../src/store/copy-buffer.ts';
import { openDatabase } from '../../src/store/db.ts';

test('CopyBuffer: integers, numbers, text with escapes and nulls round-trip through COPY', async () => {
  const ints = [0, 7, 10, 99, 100, 123456789, -1, -40, 2 ** 53 - 1, -(2 ** 53) + 1];
  const numbers = [37.5, -0.125, 1e-7, 1234567.891, 0.1 + 0.2, 1e21, 5e-324, 2 ** 60];
  const texts = ['Straße', 'tab\there', 'line\nbreak', 'back\\slash', 'cr\rend', ''];
  const b = new CopyBuffer(8); // grows as needed
  let n = 0;
  for (const i of ints) (b.int(i).tab().number(i).tab().null().newline(), n++);
  for (const x of numbers) b.int(n++).tab().number(x).tab().null().newline();
  for (const t of texts) b.int(n++).tab().null().tab().text(t).newline();
  const db = await openDatabase({ memory: true });
  try {
    await db.exec('CREATE TABLE t (a float8, b float8, c text)');
    await db.transaction((tx) => tx.copyText('t', ['a', 'b', 'c'], b.bytes()));
    const { rows } = await db.query<{ a: number; b: number | null; c: string | null }>('SELECT a, b, c FROM t');
    assert.equal(rows.length, ints.length + numbers.length + texts.length);
    assert.deepEqual(
      rows.slice(0, ints.length).map((r) => [r.a, r.b, r.c]),
      ints.map((i) => [i, i, null]),
    );
    assert.deepEqual(
      rows.slice(ints.length, ints.length + numbers.length).map((r) => r.b),
      numbers,
    );
    assert.deepEqual(
      rows.slice(ints.length + numbers.length).map((r) => [r.b, r.c]),
      texts.map((t) => [null, t]),
    );
  } finally {
    await db.close();
  }
});
