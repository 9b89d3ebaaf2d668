// Reasons given with values, in the interface's language (web/src/lib/reasons.ts), from their
// registered codes (src/contracts/codes/reasons.ts). The reasons are produced here by the server's
// own aggregation code, so a new server reason without a code and a German text fails this test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { reasonText } from '../../web/src/lib/reasons.ts';
import { translator } from '../../web/src/i18n/index.ts';
import { topicRate } from '../../src/core/forum.ts';
import {
  emptySums,
  ratioOf,
  rollUp,
  sumAll,
  valueOf,
  type AreaValue,
  type ComponentSums,
} from '../../src/core/aggregate.ts';
import { coded } from '../../src/contracts/codes/index.ts';
import { reasonFields, type ReasonFields } from '../../src/core/reasons.ts';

const de = translator('de');
const en = translator('en');
const sums = (o: Partial<ComponentSums>): ComponentSums => ({ ...emptySums(), ...o });
const METHOD = 'umgeschlüsselt von block (Gebietsstand ab 2021) nach Flächenanteilen';
/** A value with a reason stored with the data (no code). */
const stored = (reason: string): ReasonFields => ({ reason });

/** Every reason the server's aggregation writes itself, made by calling it. */
function serverReasons(): AreaValue[] {
  const one = sums({ sum: 5, rows: 1 });
  const estimated = (n: number, method: string | null, rows = n) =>
    sums({ sum: 10, rows, estimated: n, estimateMethod: method, depth: 1 });
  const row = (areaId: number, estimatedRows: number, method: string | null, max = method) => ({
    areaId,
    sum: 1,
    weightedSum: 0,
    baseSum: 0,
    rows: 1,
    rowsWithoutBase: 0,
    suppressed: 0,
    missing: 0,
    provisional: 0,
    estimated: estimatedRows,
    memberRows: 1,
    reason: method,
    estimateMethod: method,
    estimateMethodMax: max,
  });
  const several = rollUp([row(1, 1, 'a'), row(2, 1, 'b')], () => ({ code: 'A', depth: 1 })).get('A')!;
  const made = [
    valueOf('count', sums({ suppressed: 1 })),
    valueOf('count', sums({ missing: 1 })),
    valueOf('count', sums({ rows: 1, suppressed: 2 })),
    ratioOf(one, sums({ rows: 2, suppressed: 1 }), 100),
    ratioOf(sums({ rows: 1, suppressed: 1 }), one, 100),
    valueOf('count', sums({ rows: 1, missing: 3 })),
    ratioOf(one, sums({ rows: 2, missing: 1 }), 100),
    ratioOf(sums({ rows: 1, missing: 2 }), one, 100),
    valueOf('count', emptySums()),
    valueOf('value', sums({ sum: 3, rows: 2 })),
    valueOf('mean', sums({ sum: 3, rows: 2, rowsWithoutBase: 1, baseSum: 4 })),
    valueOf('ratio', sums({ sum: 3, rows: 2, rowsWithoutBase: 1, baseSum: 4 })),
    valueOf('mean', sums({ sum: 3, rows: 2, baseSum: 0 })),
    ratioOf(one, sums({ sum: 0, rows: 1 }), 100),
    ratioOf(emptySums(), sums({ sum: 500, rows: 1 }), 100),
    ratioOf(one, sums({ sum: 1234.5, rows: 1 }), 100, 3000),
    valueOf('count', estimated(3, null, 12)),
    valueOf('count', estimated(3, METHOD, 12)),
    valueOf('count', several),
    ratioOf(estimated(1, METHOD), one, 100),
    ratioOf(one, estimated(2, METHOD, 4), 100),
    ratioOf(estimated(1, METHOD), estimated(1, 'fortgeschrieben'), 100),
    valueOf('count', sumAll([estimated(1, METHOD), one])),
  ];
  // Written by the services (src/services/query.ts).
  const service = (c: Parameters<typeof reasonFields>[0]): AreaValue => ({
    value: null,
    base: null,
    status: 'missing',
    ...reasonFields(c),
    computed: false,
  });
  made.push(service(coded('reason-plain-no-total')), service(coded('reason-not-in-version')));
  // Stored with the youth forum's rate (src/core/forum.ts) and read back as a single missing row.
  made.push(
    valueOf('ratio', sums({ missing: 1, reason: topicRate(1, null).reason })),
    valueOf('ratio', sums({ missing: 1, reason: topicRate(1, 0).reason })),
  );
  return made.filter((v) => typeof v.reason === 'string');
}

describe('reasons in the interface language', () => {
  it('every reason the server writes has a German text', () => {
    const reasons = serverReasons();
    assert.equal(reasons.length, 27, 'each case gives a reason');
    for (const r of reasons) {
      assert.ok(r.reasonCode, `"${r.reason}" has a code`);
      const german = reasonText(de, 'de', r)!;
      assert.notEqual(german, r.reason, `no German text for "${r.reason}"`);
      assert.doesNotMatch(
        german,
        /\b(the|value|values|of|is|are|no|data|numerator|denominator|base|estimates)\b/,
        `English left in "${german}" (from "${r.reason}")`,
      );
    }
  });

  it('English stays as the server wrote it, numbers in the language’s format', () => {
    for (const r of serverReasons())
      assert.equal(reasonText(en, 'en', r), r.reason!.replace('1234.5', '1,234.5').replace('base 3000', 'base 3,000'));
  });

  it('reads examples as a German user should', () => {
    const one = sums({ sum: 5, rows: 1 });
    const belowMin = ratioOf(one, sums({ sum: 1234.5, rows: 1 }), 100, 3000);
    assert.equal(belowMin.reason, 'base 1234.5 is below the minimum base 3000');
    assert.equal(reasonText(de, 'de', belowMin), 'Basis 1.234,5 liegt unter der Mindestbasis 3.000');
    const some = valueOf('count', sums({ sum: 10, rows: 12, estimated: 3, estimateMethod: METHOD, depth: 1 }));
    assert.equal(some.reason, `3 of 12 values are estimates: ${METHOD}`);
    assert.equal(reasonText(de, 'de', some), `3 von 12 Werten geschätzt: ${METHOD}`);
    const nested = reasonFields(
      coded('reason-numerator-denominator', {
        numerator: coded('reason-some-estimated-by', { n: 1, total: 2, method: METHOD }),
        denominator: coded('reason-several-methods'),
      }),
    );
    assert.equal(
      nested.reason,
      `numerator: 1 of 2 values are estimates: ${METHOD}; denominator: estimates by several methods`,
    );
    assert.equal(
      reasonText(de, 'de', nested),
      `Zähler: 1 von 2 Werten geschätzt: ${METHOD}; Nenner: geschätzt nach mehreren Methoden`,
    );
    const denSuppressed = ratioOf(one, sums({ rows: 2, suppressed: 2 }), 100);
    assert.equal(denSuppressed.reason, 'the denominator includes 2 suppressed value(s)');
    assert.equal(reasonText(de, 'de', denSuppressed), 'Der Nenner enthält 2 geheim gehaltene(n) Wert(e)');
    const numLacks = ratioOf(sums({ rows: 1, missing: 1 }), one, 100);
    assert.equal(numLacks.reason, 'the numerator lacks 1 value(s)');
    assert.equal(reasonText(de, 'de', numLacks), 'Dem Zähler fehlen 1 Wert(e)');
    assert.equal(
      reasonText(de, 'de', reasonFields(coded('reason-disclosure-withheld'))),
      'geheim gehalten (Geheimhaltung)',
    );
    assert.equal(
      reasonText(
        de,
        'de',
        reasonFields(
          coded('reason-with-disclosure-primary', { reason: coded('reason-some-estimated', { n: 1, total: 2 }) }),
        ),
      ),
      '1 von 2 Werten geschätzt; primär geheimgehalten: für Berechtigte sichtbar, nicht weitergeben',
    );
  });

  it('texts stored with the data come through unchanged', () => {
    assert.equal(reasonText(de, 'de', stored(METHOD)), METHOD);
    assert.equal(reasonText(de, 'de', stored('Fallzahl < 3, Geheimhaltung')), 'Fallzahl < 3, Geheimhaltung');
    assert.equal(
      reasonText(de, 'de', valueOf('count', sums({ suppressed: 1, reason: 'Fallzahl < 3, Geheimhaltung' }))),
      'Fallzahl < 3, Geheimhaltung',
    );
    // An English text without a code is not read: it stays as it is.
    assert.equal(
      reasonText(de, 'de', stored('base 12 is below the minimum base 20')),
      'base 12 is below the minimum base 20',
    );
    assert.equal(reasonText(de, 'de', undefined), undefined);
    assert.equal(reasonText(de, 'de', stored('')), undefined);
  });
});

describe('reason codes', () => {
  it('names the code of a server reason, the outer one of a nested reason, and none for a stored text', async () => {
    const { reasonKey } = await import('../../src/core/reasons.ts');
    assert.equal(reasonKey(valueOf('count', sums({ suppressed: 1 }))), 'reason-suppressed');
    assert.equal(
      reasonKey(ratioOf(sums({ sum: 5, rows: 1 }), sums({ sum: 12, rows: 1 }), 100, 20)),
      'reason-below-min-base',
    );
    assert.equal(
      reasonKey(
        reasonFields(coded('reason-numerator-is', { text: coded('reason-value-includes-suppressed', { n: 2 }) })),
      ),
      'reason-numerator-is',
    );
    assert.equal(reasonKey(stored('Schätzung nach Einwohnerschlüssel')), undefined);
  });
});
