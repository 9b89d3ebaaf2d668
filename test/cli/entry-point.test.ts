// The entry point answers at once: it runs a bundle of the sources (built on first use and
// whenever a source changes), and the sources themselves when asked to or when bundling fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/files.ts';

const BUNDLES = join('node_modules', '.cache', 'kommunalmonitor', 'cli');

test('the bundle serves --help and is built once for the current sources', () => {
  const r = spawnSync(process.execPath, ['bin/kommunalmonitor.mjs', '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Usage: kommunalmonitor/);
  const built = readdirSync(BUNDLES).filter((d) => existsSync(join(BUNDLES, d, 'main.js')));
  assert.ok(built.length >= 1, 'a bundle exists');
  // Services are separate chunks, loaded by the commands that need them.
  const dir = join(BUNDLES, built[0]);
  assert.ok(
    readdirSync(dir).some((f) => /^observations-import-.*\.js$/.test(f)),
    'the import service is its own chunk',
  );
});

test('the bundled commands find the migrations beside their sources, and so do the sources', () => {
  const tmp = tempDir();
  try {
    for (const env of [{}, { KOMMUNALMONITOR_NO_BUNDLE: '1' }]) {
      const dir = join(tmp.dir, `data-${Object.keys(env).length}`);
      const r = spawnSync(process.execPath, ['bin/kommunalmonitor.mjs', '--data-dir', dir, '--json', 'layers'], {
        encoding: 'utf8',
        env: { ...process.env, ...env },
      });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), []);
    }
  } finally {
    tmp.cleanup();
  }
});
