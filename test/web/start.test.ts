// The start page's indicator list and the atlas's indicator select are grouped and sorted by
// theme (issue 15, item 11): pure helpers of web/src/views/common.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { indicatorsByTheme, sortByTheme } from '../../web/src/views/common.ts';
import type { IndicatorInfo } from '../../web/src/api.ts';

const ind = (key: string, name: string, themes: string[]) => ({ key, name, themes }) as unknown as IndicatorInfo;
const list = [
  ind('u6', 'Kinder unter 6', ['Bevölkerung']),
  ind('arm', 'Kinderarmut', ['Soziales', 'Bildung']),
  ind('alq', 'Arbeitslose', ['Soziales']),
  ind('ew', 'Einwohner', ['Bevölkerung']),
  ind('ue', 'Übergänge', ['Bildung']),
];

describe('indicators by theme', () => {
  it('themes alphabetically, indicators by name, an indicator under each of its themes', () => {
    assert.deepEqual(
      indicatorsByTheme(list).map((g) => [g.theme, g.indicators.map((i) => i.key)]),
      [
        ['Bevölkerung', ['ew', 'u6']],
        ['Bildung', ['arm', 'ue']],
        ['Soziales', ['alq', 'arm']],
      ],
    );
  });
  it('the atlas select: by first theme, then by name (German collation: Ü after U)', () => {
    assert.deepEqual(
      sortByTheme(list).map((i) => i.key),
      ['ew', 'u6', 'ue', 'alq', 'arm'],
    );
    assert.deepEqual(
      list.map((i) => i.key),
      ['u6', 'arm', 'alq', 'ew', 'ue'],
      'the input is not changed',
    );
  });
});
