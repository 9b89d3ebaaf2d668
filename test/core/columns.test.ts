// The rule for columns a command adds to a user's file (src/core/columns.ts, decision 0015).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addedColumnNames } from '../../src/core/columns.ts';
import { InputRejected } from '../../src/core/problems.ts';

const layer = (k: string) => ({ name: k, what: `the area code of layer "${k}"` });

test('added columns keep their names when nothing collides', () => {
  assert.deepEqual(
    addedColumnNames(['Name', 'Schulart'], [layer('bezirk'), layer('planungsraum')], { option: '--column-prefix' }),
    ['bezirk', 'planungsraum'],
  );
});

test('a collision with an input column is refused, naming it, whatever the case and spaces', () => {
  const run = () =>
    addedColumnNames(['Schulnummer', 'Bezirk ', 'Name'], [layer('bezirk'), layer('planungsraum')], {
      file: 'schulen.geojson',
      option: '--column-prefix',
    });
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof InputRejected);
    assert.equal(e.problems.length, 1);
    const p = e.problems[0];
    assert.equal(p.code, 'column-collision');
    assert.equal(p.column, 'Bezirk ');
    assert.match(
      p.reason,
      /the added column "bezirk" \(the area code of layer "bezirk"\) would have the name of the input column "Bezirk "/,
    );
    assert.match(p.hint!, /--column-prefix km_ \(→ km_bezirk\)/);
    assert.match(e.message, /nothing was written/);
    return true;
  });
});

test('a prefix names every added column; it must itself avoid collisions', () => {
  assert.deepEqual(
    addedColumnNames(['bezirk'], [layer('bezirk'), layer('planungsraum')], {
      prefix: 'gebiet_',
      option: '--column-prefix',
    }),
    ['gebiet_bezirk', 'gebiet_planungsraum'],
  );
  assert.throws(
    () => addedColumnNames(['bezirk', 'km_bezirk'], [layer('bezirk')], { prefix: 'km_', option: '--column-prefix' }),
    /km_bezirk/,
  );
  // The suggested prefix resolves the collisions with the input.
  assert.throws(
    () => addedColumnNames(['bezirk', 'km_bezirk'], [layer('bezirk')], { option: 'columnPrefix=' }),
    (e: unknown) => /columnPrefix= gebiet_ /.test((e as InputRejected).problems[0].hint!),
  );
});

test('two added columns of the same name are refused; a bad prefix too', () => {
  assert.throws(
    () =>
      addedColumnNames([], [{ name: 'status', what: 'the match status' }, layer('status')], {
        option: '--column-prefix',
      }),
    /two added columns would be named "status"/,
  );
  assert.throws(
    () => addedColumnNames([], [layer('x')], { prefix: 'a\nb', option: '--column-prefix' }),
    (e: unknown) => (e as InputRejected).problems[0].code === 'bad-column-prefix',
  );
  assert.throws(
    () => addedColumnNames([], [layer('x')], { prefix: 'p'.repeat(41), option: '--column-prefix' }),
    (e: unknown) => (e as InputRejected).problems[0].code === 'bad-column-prefix',
  );
});
