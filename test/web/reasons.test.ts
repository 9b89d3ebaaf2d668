// Reasons given with values, in the interface's language (web/src/lib/reasons.ts). The reasons are
// produced here by the server's own aggregation code, so a new server reason without a German
// text fails this test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reasonText } from '../../web/src/lib/reasons.ts';
import { translator } from '../../web/src/i18n/index.ts';
import { topicRate } from '../../src/core/forum.ts';
import { emptySums, ratioOf, rollUp, sumAll, valueOf, type ComponentSums } from '../../src/core/aggregate.ts';

const de = translator('de');
const en = translator('en');
const sums = (o: Partial<ComponentSums>): ComponentSums => ({ ...emptySums(), ...o });
const METHOD = 'umgeschlüsselt von block (Gebietsstand ab 2021) nach Flächenanteilen';

/** Every reason the server's aggregation writes itself, made by calling it. */
function serverReasons(): string[] {
  const one = sums({ sum: 5, rows: 1 });
  const estimated = (n: number, method: string | null, rows = n) => sums({ sum: 10, rows, estimated: n, estimateMethod: method, depth: 1 });
  const row = (areaId: number, estimatedRows: number, method: string | null, max = method) => ({ areaId, sum: 1, weightedSum: 0, baseSum: 0, rows: 1, rowsWithoutBase: 0, suppressed: 0, missing: 0, provisional: 0, estimated: estimatedRows, memberRows: 1, reason: method, estimateMethod: method, estimateMethodMax: max });
  const several = rollUp([row(1, 1, 'a'), row(2, 1, 'b')], () => ({ code: 'A', depth: 1 })).get('A')!;
  const made = [
    valueOf('count', sums({ suppressed: 1 })).reason,
    valueOf('count', sums({ missing: 1 })).reason,
    valueOf('count', sums({ rows: 1, suppressed: 2 })).reason,
    ratioOf(one, sums({ rows: 2, suppressed: 1 }), 100).reason,
    ratioOf(sums({ rows: 1, suppressed: 1 }), one, 100).reason,
    valueOf('count', sums({ rows: 1, missing: 3 })).reason,
    ratioOf(one, sums({ rows: 2, missing: 1 }), 100).reason,
    ratioOf(sums({ rows: 1, missing: 2 }), one, 100).reason,
    valueOf('count', emptySums()).reason,
    valueOf('value', sums({ sum: 3, rows: 2 })).reason,
    valueOf('mean', sums({ sum: 3, rows: 2, rowsWithoutBase: 1, baseSum: 4 })).reason,
    valueOf('ratio', sums({ sum: 3, rows: 2, rowsWithoutBase: 1, baseSum: 4 })).reason,
    valueOf('mean', sums({ sum: 3, rows: 2, baseSum: 0 })).reason,
    ratioOf(one, sums({ sum: 0, rows: 1 }), 100).reason,
    ratioOf(emptySums(), sums({ sum: 500, rows: 1 }), 100).reason,
    ratioOf(one, sums({ sum: 1234.5, rows: 1 }), 100, 3000).reason,
    valueOf('count', estimated(3, null, 12)).reason,
    valueOf('count', estimated(3, METHOD, 12)).reason,
    valueOf('count', several).reason,
    ratioOf(estimated(1, METHOD), one, 100).reason,
    ratioOf(one, estimated(2, METHOD, 4), 100).reason,
    ratioOf(estimated(1, METHOD), estimated(1, 'fortgeschrieben'), 100).reason,
    valueOf('count', sumAll([estimated(1, METHOD), one])).reason,
  ];
  // Written by the services (src/services/query.ts).
  made.push('plain values have no city total', 'the area does not exist in this boundary version');
  // Stored with the youth forum's rate (src/core/forum.ts).
  made.push(topicRate(1, null).reason!, topicRate(1, 0).reason!);
  return made.filter((r): r is string => typeof r === 'string');
}

describe('reasons in the interface language', () => {
  it('every reason the server writes has a German text', () => {
    const reasons = serverReasons();
    assert.equal(reasons.length, 27, 'each case gives a reason');
    for (const r of reasons) {
      const german = reasonText(de, 'de', r)!;
      assert.notEqual(german, r, `no German text for "${r}"`);
      assert.doesNotMatch(german, /\b(the|value|values|of|is|are|no|data|numerator|denominator|base|estimates)\b/, `English left in "${german}" (from "${r}")`);
    }
  });

  it('English stays as the server wrote it, numbers in the language’s format', () => {
    for (const r of serverReasons()) assert.equal(reasonText(en, 'en', r), r.replace('1234.5', '1,234.5').replace('base 3000', 'base 3,000'));
  });

  it('reads examples as a German user should', () => {
    assert.equal(reasonText(de, 'de', 'base 1234.5 is below the minimum base 3000'), 'Basis 1.234,5 liegt unter der Mindestbasis 3.000');
    assert.equal(reasonText(de, 'de', `3 of 12 values are estimates: ${METHOD}`), `3 von 12 Werten geschätzt: ${METHOD}`);
    assert.equal(reasonText(de, 'de', `numerator: 1 of 2 values are estimates: ${METHOD}; denominator: estimates by several methods`), `Zähler: 1 von 2 Werten geschätzt: ${METHOD}; Nenner: geschätzt nach mehreren Methoden`);
    assert.equal(reasonText(de, 'de', 'the denominator includes 2 suppressed value(s)'), 'Der Nenner enthält 2 geheim gehaltene(n) Wert(e)');
    assert.equal(reasonText(de, 'de', 'the numerator lacks 1 value(s)'), 'Dem Zähler fehlen 1 Wert(e)');
  });

  it('texts stored with the data come through unchanged', () => {
    assert.equal(reasonText(de, 'de', METHOD), METHOD);
    assert.equal(reasonText(de, 'de', 'Fallzahl < 3, Geheimhaltung'), 'Fallzahl < 3, Geheimhaltung');
    assert.equal(reasonText(de, 'de', undefined), undefined);
    assert.equal(reasonText(de, 'de', ''), undefined);
  });
});

describe('reason codes', () => {
  it('names the code of a server reason, the outer one of a nested reason, and none for a stored text', async () => {
    const { reasonKey } = await import('../../src/core/reasons.ts');
    assert.equal(reasonKey('suppressed (secret)'), 'reason.suppressed');
    assert.equal(reasonKey('base 12 is below the minimum base 20'), 'reason.belowMinBase');
    assert.equal(reasonKey('numerator: the value includes 2 suppressed value(s)'), 'reason.numeratorIs');
    assert.equal(reasonKey('Schätzung nach Einwohnerschlüssel'), undefined);
  });
});
