#!/usr/bin/env node
// Entry point. The checkout needs no build step, yet a command must answer at once: the
// TypeScript sources are bundled (esbuild, a fraction of a second) into
// node_modules/.cache/kommunalmonitor/cli/<stamp of the sources> the first time and again
// whenever a source file changes, and later starts load that bundle. A bundle in use is never
// replaced under a running process: a new one gets its own folder. Should bundling fail, the sources run through tsx
// as before. KOMMUNALMONITOR_NO_BUNDLE=1 always runs the sources.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sources = join(root, 'src');
const bundles = join(root, 'node_modules', '.cache', 'kommunalmonitor', 'cli');

/** Names, sizes and modification times of every source file: any change gives a new stamp. */
function sourceStamp() {
  const h = createHash('sha1');
  const walk = (dir) => {
    for (const d of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else if (d.name.endsWith('.ts')) {
        const s = statSync(p);
        h.update(`${p}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(sources);
  h.update(readFileSync(join(root, 'package.json')));
  h.update(readFileSync(fileURLToPath(import.meta.url))); // how the bundle is built

  return h.digest('hex');
}

async function bundle(dir) {
  const { build } = await import('esbuild');
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  await build({
    entryPoints: [join(sources, 'cli', 'main.ts')],
    outdir: tmp,
    bundle: true,
    splitting: true, // commands load their services when they run: `--help` loads none
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [
      {
        // A module that finds files beside itself (the migrations) keeps its own location.
        name: 'source-location',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, (a) => {
            const text = readFileSync(a.path, 'utf8');
            return {
              contents: text.includes('import.meta.url')
                ? text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(a.path).href))
                : text,
              loader: 'ts',
            };
          });
        },
      },
    ],
  });
  // Without a "type", Node would parse every chunk twice to find out that it is an ES module.
  writeFileSync(join(tmp, 'package.json'), '{"type":"module"}\n');
  try {
    renameSync(tmp, dir);
  } catch (e) {
    // A concurrent start built the same sources first: use its bundle.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, 'main.js'))) throw e;
  }
  // Bundles a day unused go (every start touches its bundle); a clean-up never spoils a start.
  for (const name of readdirSync(bundles)) {
    const p = join(bundles, name);
    try {
      if (p !== dir && Date.now() - statSync(p).mtimeMs > 86_400_000) rmSync(p, { recursive: true, force: true });
    } catch {
      // removed by a concurrent start
    }
  }
}

async function loadMain() {
  if (process.env.KOMMUNALMONITOR_NO_BUNDLE !== '1') {
    try {
      const dir = join(bundles, sourceStamp());
      if (!existsSync(join(dir, 'main.js'))) {
        mkdirSync(bundles, { recursive: true });
        await bundle(dir);
      } else {
        const now = new Date();
        utimesSync(dir, now, now);
      }
      return await import(pathToFileURL(join(dir, 'main.js')).href);
    } catch (e) {
      if (process.env.KOMMUNALMONITOR_DEBUG) process.stderr.write(`bundle not used: ${e?.stack ?? e}\n`);
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../src/cli/main.ts');
}

/** The command word: the first argument that is not a global option. */
function commandOf(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--data-dir' || args[i] === '--tenant') i++;
    else if (!args[i].startsWith('-')) return args[i];
  }
  return undefined;
}
const command = commandOf(process.argv.slice(2));
// A server's errors should name source lines; a short command should not pay for reading maps.
if (command === 'serve') process.setSourceMapsEnabled(true);
// Commands that run a few queries: V8's baseline WebAssembly compiler suffices for the embedded
// engine; its optimising tier costs about 0.5 s of CPU and 70 MB at start (decision 0015). A
// process-wide flag, so it is set here, before anything loads the engine.
if (
  ['layers', 'indicators', 'users', 'departments', 'tokens', 'assign', 'addresses'].includes(command) &&
  !process.env.DATABASE_URL
) {
  (await import('node:v8')).setFlagsFromString('--liftoff-only');
}
const { main } = await loadMain();
process.exitCode = await main(process.argv.slice(2));
