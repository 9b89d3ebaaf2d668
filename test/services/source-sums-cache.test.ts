// The source sums a read snapshot keeps are bounded by rows, and a request never loses the sums
// it reads to the bound: evicting them would show an area as having no data.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SYSTEM } from '../../src/core/access.ts';
import type { SourceSums } from '../../src/core/aggregate.ts';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogueFile } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { getObservations } from '../../src/services/query.ts';
import { snapshot, SourceSumsCache } from '../../src/services/snapshot.ts';

const rows = (n: number): SourceSums[] =>
  Array.from({ length: n }, (_, k) => ({
    areaId: k,
    sum: 1,
    weightedSum: 0,
    baseSum: 0,
    rows: 1,
    rowsWithoutBase: 1,
    suppressed: 0,
    missing: 0,
    provisional: 0,
    estimated: 0,
    memberRows: 1,
    reason: null,
    estimateMethod: null,
    estimateMethodMax: null,
  }));

describe('source sums cache', () => {
  test('drops the least recently used entries beyond its bound of rows', () => {
    const c = new SourceSumsCache(4);
    c.put(new Map([['a', rows(2)]]), new Set(['a']));
    c.put(new Map([['b', rows(2)]]), new Set(['b']));
    assert.ok(c.get('a'), 'a read moves a to the back');
    c.put(new Map([['c', rows(2)]]), new Set(['c']));
    assert.deepEqual([c.has('a'), c.has('b'), c.has('c')], [true, false, true]);
    assert.equal(c.rows, 4);
    c.put(new Map([['c', rows(1)]]), new Set(['c']));
    assert.equal(c.rows, 3, 'a replaced entry counts once');
  });

  test('keeps every entry the current request reads, even beyond the bound', () => {
    const c = new SourceSumsCache(1);
    c.put(new Map([['a', rows(3)]]), new Set(['a']));
    c.put(new Map([['b', rows(3)]]), new Set(['a', 'b']));
    assert.deepEqual([c.has('a'), c.has('b'), c.rows], [true, true, 6]);
    c.put(new Map([['c', rows(1)]]), new Set(['c']));
    assert.deepEqual([c.has('a'), c.has('b'), c.has('c'), c.rows], [false, false, true, 1]);
  });
});

const CATALOGUE = [
  {
    key: 'einwohner',
    name: 'Einwohner',
    unit: 'Personen',
    type: 'count',
    dimensions: ['altersgruppe'],
    source: 'Melderegister',
    confidentiality: 'public',
  },
  {
    key: 'anteil_unter6',
    name: 'Anteil unter 6',
    unit: '%',
    type: 'ratio',
    numerator: { indicator: 'einwohner', filter: { altersgruppe: 'unter6' } },
    denominator: { indicator: 'einwohner' },
    scale: 100,
    confidentiality: 'public',
  },
];

for (const engine of engines) {
  describe(`source sums under a tight bound [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    const tmp = tempDir();
    before(async () => {
      db = await openEngine(engine);
      await importAreas(db, tmp.file('st.csv', 'code;name\n01;Nord\n02;Süd\n'), { layer: 'stadtteil' });
      await importCatalogueFile(db, tmp.file('k.json', JSON.stringify(CATALOGUE)));
      await importObservations(
        db,
        tmp.file(
          'o.csv',
          'indicator;area;period;altersgruppe;value\n' +
            ['01;unter6;30', '01;ab6;70', '02;unter6;10', '02;ab6;90']
              .map((r) => `einwohner;${r.split(';')[0]};2024;${r.split(';')[1]};${r.split(';')[2]}`)
              .join('\n') +
            '\n',
        ),
      );
    });
    after(async () => {
      await db?.close();
      tmp.cleanup();
    });

    test('a ratio whose denominator an earlier request loaded keeps it when the bound is reached', async () => {
      const expected = (
        await getObservations(db, { indicator: 'anteil_unter6', layer: 'stadtteil', period: '2024' }, SYSTEM)
      ).values.map((v) => v.value);
      assert.deepEqual(expected, [30, 10]);
      const s = await snapshot(db);
      s.sums = new SourceSumsCache(1);
      await getObservations(db, { indicator: 'einwohner', layer: 'stadtteil', period: '2024' }, SYSTEM);
      const again = await getObservations(
        db,
        { indicator: 'anteil_unter6', layer: 'stadtteil', period: '2024' },
        SYSTEM,
      );
      assert.equal(await snapshot(db), s, 'the same snapshot served both');
      assert.deepEqual(
        again.values.map((v) => v.value),
        expected,
      );
      assert.ok(s.sums.size >= 1 && s.sums.size <= 2);
    });
  });
}
