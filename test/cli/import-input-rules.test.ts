// The command line rejects hostile import files with a positioned message and exit code 1, where
// it used to end in an unpositioned stack overflow (issue 11): deeply nested GeoJSON, a YAML alias
// bomb, a NUL character in a JSON catalogue.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { run } from '../helpers/cli.ts';
import { tempDir } from '../helpers/files.ts';

describe('kommunalmonitor CLI: hostile import files', () => {
  const tmp = tempDir();
  const g = ['--data-dir', join(tmp.dir, 'data')];
  after(() => tmp.cleanup());

  test('GeoJSON nested 5,000 levels deep: exit 1, the feature and the line named', async () => {
    let deep = '[13.3,52.5]';
    for (let i = 0; i < 5000; i++) deep = `[${deep}]`;
    tmp.file(
      'deep.geojson',
      `{"type":"FeatureCollection","features":[\n{"type":"Feature","properties":{"code":"01","name":"Mitte"},"geometry":{"type":"Polygon","coordinates":${deep}}}]}`,
    );
    const r = await run([...g, 'import', 'areas', join(tmp.dir, 'deep.geojson'), '--layer', 'bezirk']);
    assert.equal(r.code, 1, r.err);
    assert.match(
      r.err,
      /deep\.geojson, line 2, column \d+: feature 1, geometry\.coordinates\[0\].*nested more than 64 levels deep/,
    );
    assert.doesNotMatch(r.err, /call stack/);
  });

  test('a YAML alias bomb: exit 1 with line and a clear reason', async () => {
    const lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
    for (let i = 1; i < 9; i++)
      lines.push(
        `${'abcdefghi'[i]}: &${'abcdefghi'[i]} [${Array(9)
          .fill(`*${'abcdefghi'[i - 1]}`)
          .join(', ')}]`,
      );
    tmp.file('bomb.yaml', lines.join('\n') + '\nindicators: [*i]\n');
    const r = await run([...g, 'import', 'indicators', join(tmp.dir, 'bomb.yaml')]);
    assert.equal(r.code, 1, r.err);
    assert.match(
      r.err,
      /bomb\.yaml, line 2, column \d+: the aliases \(\*name\) of this document expand to too many values/,
    );
  });

  test('a NUL character in a JSON catalogue: exit 1 naming the field, line and column', async () => {
    tmp.file('nul.json', '[\n  {"key": "a", "name": "Ki\\u0000ta", "unit": "x", "type": "count"}\n]\n');
    const r = await run([...g, 'import', 'indicators', join(tmp.dir, 'nul.json')]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.err, /nul\.json, line 2, column 16: \[0\]\.name: the text contains a NUL character/);
  });
});
