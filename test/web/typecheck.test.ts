// The web app is type-checked (strict) as part of the test suite: `tsc -p web`.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

it('web/ passes the strict TypeScript check', () => {
  const bin = join('node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc');
  const r = spawnSync(bin, ['--noEmit', '-p', 'web'], { encoding: 'utf8' });
  assert.equal(r.status, 0, (r.error?.message ?? '') + r.stdout + r.stderr);
});
