import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIndexDefinition, restandardizeSd } from '../../../src/core/stats/index-definition.ts';
import { INDEX_TEMPLATES, indexTemplate } from '../../../src/core/stats/templates.ts';
import { InputRejected } from '../../../src/core/problems.ts';
import { ISSUE_EXAMPLE } from './fixtures.ts';

test('the example of the issue is accepted as written, with documented defaults', () => {
  const d = parseIndexDefinition(ISSUE_EXAMPLE);
  assert.equal(d.key, 'status');
  assert.deepEqual(d.transform, { method: 'zscore', sd: 'population' });
  assert.equal(d.missing, 'exclude');
  assert.equal(restandardizeSd(d), 'population');
  assert.ok(d.classes?.method === 'thresholds');
  if (d.classes?.method === 'thresholds') {
    assert.equal(d.classes.closed, 'centre'); // −1 and +1 belong to "mittel", 1.5 to "niedrig"
    assert.equal(d.classes.centre, 0);
  }
  assert.deepEqual(d.exclude.areas, [{ code: '10100205', reason: 'Ausreißer' }]);
});

test('defaults: weight 1, z-score with population sd, sum, no second standardisation, manual breaks closed right', () => {
  const d = parseIndexDefinition({
    key: 'x',
    name: 'X',
    layer: 'block',
    period: '2024',
    components: [{ indicator: 'a', direction: -1 }],
    classes: { method: 'manual', breaks: [10], labels: ['niedrig', 'hoch'] },
  });
  assert.equal(d.components[0].weight, 1);
  assert.deepEqual(d.transform, { method: 'zscore', sd: 'population' });
  assert.equal(d.combine, 'sum');
  assert.equal(d.restandardize, false);
  assert.equal(restandardizeSd(d), null);
  assert.equal(d.classes?.method === 'manual' && d.classes.closed, 'right');
  assert.deepEqual(d.exclude, { areas: [] });
  const q = parseIndexDefinition({
    ...d,
    classes: { method: 'quantiles', n: 5 },
    transform: { method: 'zscore', sd: 'sample' },
    restandardize: true,
  });
  assert.equal(restandardizeSd(q), 'sample');
  assert.equal(
    restandardizeSd(parseIndexDefinition({ ...d, transform: { method: 'minmax' }, restandardize: true })),
    'population',
  );
  assert.equal(restandardizeSd(parseIndexDefinition({ ...d, restandardize: { sd: 'sample' } })), 'sample');
  const c = parseIndexDefinition({
    ...d,
    classes: { method: 'thresholds', breaks: [0], labels: ['a', 'b'], closed: 'center' },
  });
  assert.equal(c.classes?.method === 'thresholds' && c.classes.closed, 'centre');
});

function problemsOf(input: unknown): { column?: string | number; reason: string }[] {
  try {
    parseIndexDefinition(input);
  } catch (e) {
    assert.ok(e instanceof InputRejected);
    return e.problems.map((p) => ({ column: p.column, reason: p.reason }));
  }
  assert.fail('accepted');
}

test('validation errors name the field', () => {
  const cases: [unknown, string, RegExp][] = [
    [
      { ...ISSUE_EXAMPLE, classes: { ...ISSUE_EXAMPLE.classes, labels: ['a', 'b', 'c'] } },
      'classes.labels',
      /needs 4 labels for 3 break/,
    ],
    [
      { ...ISSUE_EXAMPLE, classes: { ...ISSUE_EXAMPLE.classes, breaks: [1, -1, 1.5] } },
      'classes.breaks',
      /strictly increasing/,
    ],
    [
      { ...ISSUE_EXAMPLE, classes: { ...ISSUE_EXAMPLE.classes, closed: 'both' } },
      'classes.closed',
      /"left", "right" or "centre"/,
    ],
    [
      { ...ISSUE_EXAMPLE, components: [{ indicator: 'a', weight: 1, direction: 2 }] },
      'components.0.direction',
      /1 or -1/,
    ],
    [
      { ...ISSUE_EXAMPLE, components: [{ indicator: 'a', weight: 0, direction: 1 }] },
      'components.0.weight',
      /greater than 0/,
    ],
    [
      { ...ISSUE_EXAMPLE, components: [{ indicator: 'Arbeitslose', weight: 1, direction: 1 }] },
      'components.0.indicator',
      /lower case/,
    ],
    [
      { ...ISSUE_EXAMPLE, components: [ISSUE_EXAMPLE.components[0], ISSUE_EXAMPLE.components[0]] },
      'components.1.indicator',
      /already component 0/,
    ],
    [{ ...ISSUE_EXAMPLE, transform: { method: 'rank' } }, 'transform.method', /"zscore", "minmax" or "percentile"/],
    [{ ...ISSUE_EXAMPLE, transform: { method: 'zscore', sd: 'pop' } }, 'transform.sd', /"population" or "sample"/],
    [{ ...ISSUE_EXAMPLE, combine: 'product' }, 'combine', /"sum" or "mean"/],
    [{ ...ISSUE_EXAMPLE, missing: 'zero' }, 'missing', /"exclude" or "mean"/],
    [{ ...ISSUE_EXAMPLE, exclude: { areas: [{ code: '1' }] } }, 'exclude.areas.0.reason', /./],
    [{ ...ISSUE_EXAMPLE, classes: { method: 'quantiles', n: 1 } }, 'classes.n', /at least 2/],
    [{ ...ISSUE_EXAMPLE, colour: 'red' }, 'colour', /unknown field/],
    [{ ...ISSUE_EXAMPLE, transform: { method: 'minmax', sd: 'sample' } }, 'transform.sd', /unknown field/],
  ];
  for (const [input, column, reason] of cases) {
    const ps = problemsOf(input);
    const p = ps.find((x) => x.column === column);
    assert.ok(p, `expected a problem at ${column}, got ${JSON.stringify(ps)}`);
    assert.match(p.reason, reason);
    assert.ok(p.reason.startsWith(`${column}: `), p.reason);
  }
});

test('shipped templates are valid definitions', () => {
  for (const name of Object.keys(INDEX_TEMPLATES)) assert.equal(indexTemplate(name).key, INDEX_TEMPLATES[name].key);
  assert.equal(indexTemplate('status', { layer: 'block', period: '2024-12-31' }).layer, 'block');
  assert.deepEqual(indexTemplate('dynamik').change, { from: '2018-12-31' });
  assert.throws(() => indexTemplate('nope'), /unknown index template/);
});

test('a component may have its own period: "within" the index period, or a fixed one (not in a dynamics index)', () => {
  const base = { key: 'x', name: 'X', layer: 'grundschulbezirk', period: '2023/24' };
  const d = parseIndexDefinition({
    ...base,
    components: [
      { indicator: 'a', direction: 1, period: 'within' },
      { indicator: 'b', direction: 1, period: '31.12.2023' },
      { indicator: 'c', direction: -1 },
    ],
  });
  assert.deepEqual(
    d.components.map((c) => c.period),
    ['within', '31.12.2023', undefined],
  );
  const problems = (input: unknown) => {
    try {
      parseIndexDefinition(input);
      return [];
    } catch (e) {
      return (e as InputRejected).problems.map((p) => p.column);
    }
  };
  assert.deepEqual(problems({ ...base, components: [{ indicator: 'a', direction: 1, period: 'letztes Jahr' }] }), [
    'components.0.period',
  ]);
  assert.deepEqual(
    problems({
      ...base,
      change: { from: '2021/22' },
      components: [{ indicator: 'a', direction: 1, period: '2023-12-31' }],
    }),
    ['components.0.period'],
  );
  assert.deepEqual(
    problems({
      ...base,
      change: { from: '2021/22' },
      components: [{ indicator: 'a', direction: 1, period: 'within' }],
    }),
    [],
  );
});
