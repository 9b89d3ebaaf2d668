// `kommunalmonitor settings publisher`: print, set, change one field; a bad official key is
// rejected with the field named and changes nothing.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { run } from '../helpers/cli.ts';
import { tempDir } from '../helpers/files.ts';

describe('kommunalmonitor settings publisher', () => {
  const tmp = tempDir();
  const g = ['--data-dir', join(tmp.dir, 'data')];
  after(() => tmp.cleanup());

  test('print, set, change one field, reject a bad key', async () => {
    const none = await run([...g, 'settings', 'publisher']);
    assert.equal(none.code, 0, none.err);
    assert.match(none.out, /No publisher is set/);
    const set = await run([
      ...g,
      'settings',
      'publisher',
      '--name',
      'Stadt Köln',
      '--key',
      '05315000',
      '--licence',
      'dl-by-de/2.0',
      '--contact-name',
      'Statistikstelle',
      '--contact-email',
      'statistik@example.de',
    ]);
    assert.equal(set.code, 0, set.err);
    assert.match(set.out, /Saved: Stadt Köln \(official key 05315000\), licence dl-by-de\/2.0/);
    const bad = await run([...g, 'settings', 'publisher', '--key', '5315']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /officialKey: must be an official municipality key/);
    const changed = await run([...g, '--json', 'settings', 'publisher', '--base-url', 'https://monitor.example.de/']);
    assert.equal(changed.code, 0, changed.err);
    const p = JSON.parse(changed.out).publisher;
    assert.deepEqual(
      [p.officialKey, p.baseUrl, p.contact.email],
      ['05315000', 'https://monitor.example.de', 'statistik@example.de'],
    );
  });
});
