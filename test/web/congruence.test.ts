// Congruence of two layers in the browser (web/src/lib/congruence.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  layerRef,
  parseRef,
  versionChoices,
  dayBefore,
  verdict,
  shareClass,
  congruenceRows,
  countAtLeast,
  SHARE_COLORS,
} from '../../web/src/lib/congruence.ts';

describe('layer references', () => {
  it('LAYER or LAYER@DATE', () => {
    assert.equal(layerRef('stadtteil'), 'stadtteil');
    assert.equal(layerRef('stadtteil', '2020-12-31'), 'stadtteil@2020-12-31');
    assert.deepEqual(parseRef('stadtteil@2020-12-31'), { layer: 'stadtteil', date: '2020-12-31' });
    assert.deepEqual(parseRef('stadtteil@gestern'), { layer: 'stadtteil', date: null });
    assert.deepEqual(parseRef(undefined), { layer: '', date: null });
  });
  it('boundary versions to choose: the current one first, older ones by their last day', () => {
    const v = versionChoices([
      { validFrom: null, validTo: '2021-01-01', areas: 24 },
      { validFrom: '2021-01-01', validTo: null, areas: 38 },
    ]);
    assert.deepEqual(v, [
      { date: null, validFrom: '2021-01-01', validTo: null, areas: 38 },
      { date: '2020-12-31', validFrom: null, validTo: '2021-01-01', areas: 24 },
    ]);
    assert.equal(versionChoices([{ validFrom: null, validTo: null, areas: 60 }]).length, 1);
    assert.equal(dayBefore('2024-03-01'), '2024-02-29');
  });
});

describe('what the scores say', () => {
  it('verdicts', () => {
    assert.equal(verdict(0.99, 0.97, 0.98), 'identical');
    assert.equal(verdict(0.976, 0.701, 0.838), 'aInB', 'the demo’s election districts nest in the new neighbourhoods');
    assert.equal(verdict(0.7, 0.95, 0.8), 'bInA');
    assert.equal(verdict(0.7, 0.6, 0.65), 'partial');
    assert.equal(verdict(0.5, 0.4, 0.45), 'different');
  });
  it('share classes and colours', () => {
    assert.equal(shareClass(0.2), 0);
    assert.equal(shareClass(0.5), 1);
    assert.equal(shareClass(0.899), 2);
    assert.equal(shareClass(0.9), 3);
    assert.equal(shareClass(1), 4);
    assert.equal(SHARE_COLORS.length, 5);
  });
  it('rows with names, and counts', () => {
    const dir = {
      score: 0.9,
      areas: [
        { code: '001', best: '0101', share: 1, reverseShare: 0.47 },
        { code: '002', best: null, share: 0, reverseShare: 0 },
      ],
    };
    const rows = congruenceRows(dir, new Map([['001', 'Altstadt 1']]), new Map([['0101', 'Altstadt']]));
    assert.deepEqual(rows[0], {
      code: '001',
      name: 'Altstadt 1',
      best: '0101',
      bestName: 'Altstadt',
      share: 1,
      reverseShare: 0.47,
    });
    assert.deepEqual(rows[1], { code: '002', name: '002', best: null, bestName: '', share: 0, reverseShare: 0 });
    assert.equal(countAtLeast(dir, 0.9), 1);
  });
});
