// Builds the web app (web/ → web/dist) when the build is missing or older than its sources, so
// that `npm start` always serves the current monitor without a separate build step.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const name of readdirSync(dir)) {
    if (name === 'dist' || name === 'node_modules') continue;
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

const index = join('web', 'dist', 'index.html');
if (!existsSync(join('web', 'index.html'))) process.exit(0); // no web app in this checkout
const built = existsSync(index) ? statSync(index).mtimeMs : 0;
if (built && built >= newest('web')) process.exit(0);
console.error('Building the web app (web/ → web/dist) …');
const r = spawnSync(
  process.execPath,
  [
    join('node_modules', 'vite', 'bin', 'vite.js'),
    'build',
    '--config',
    join('web', 'vite.config.ts'),
    '--logLevel',
    'warn',
  ],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
