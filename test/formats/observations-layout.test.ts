// Which layout an observations file has, from its header and the options.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { detectLayout } from '../../src/formats/observations-layout.ts';
import { ProblemList } from '../../src/core/problems.ts';

const table = (columns: string[]) => ({ file: 'f.csv', columns });

describe('observations file layout', () => {
  test('long: German or English column names, case and spaces ignored; other columns are dimensions', () => {
    const p = new ProblemList();
    const l = detectLayout(table(['Indikator', ' Gebiet', 'Stichtag', 'Wert', 'Status', 'geschlecht']), {}, p);
    assert.equal(p.errorCount, 0);
    assert.equal(l.kind, 'long');
    if (l.kind !== 'long') return;
    assert.deepEqual([l.indicator, l.area, l.period, l.value, l.status, l.base], [0, 1, 2, 3, 4, -1]);
    assert.deepEqual(l.dims, [{ index: 5, key: 'geschlecht', column: 'geschlecht' }]);
  });

  test('neither long nor wide: one error naming the missing columns and how to read a wide file', () => {
    const p = new ProblemList();
    detectLayout(table(['Gebiet', 'Einwohner']), {}, p);
    assert.equal(p.errorCount, 1);
    const e = p.items[0];
    assert.equal(e.code, 'unknown-layout');
    assert.match(e.reason, /indicator, period, value/);
    assert.match(e.hint ?? '', /--area-column/);
  });

  test('wide: options name the columns; a missing column or an unreadable mapping is positioned', () => {
    const p = new ProblemList();
    const l = detectLayout(
      table(['Gebiet', 'Einwohner', 'Kinder']),
      { areaColumn: 'gebiet', period: '2024-12-31', map: ['Einwohner=einwohner', 'Fehlt=kinder', 'Kinder'] },
      p,
    );
    assert.equal(l.kind, 'wide');
    if (l.kind !== 'wide') return;
    assert.equal(l.area, 0);
    assert.deepEqual(l.columns, [{ index: 1, column: 'Einwohner', spec: 'einwohner' }]);
    assert.deepEqual(
      p.items.map((x) => [x.code, x.value]),
      [
        ['missing-column', 'Fehlt'],
        ['bad-mapping', 'Kinder'],
      ],
    );
  });
});
