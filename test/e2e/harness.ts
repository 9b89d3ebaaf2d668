// Test harness for the browser tests and the web benchmark: builds the web app when needed, starts
// the API with the in-memory demo city and the built web app, and launches Debian's Chromium.
import { existsSync, statSync, readdirSync, renameSync, rmSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { REQUIRE_COMPONENTS } from '../helpers/db.ts';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { warmPatterns } from '../../src/services/disclosure.ts';
import { buildServer } from '../../src/http/server.ts';

/** Debian's Chromium; KOMMUNALMONITOR_CHROMIUM points elsewhere (e.g. to check the skip). */
export const CHROMIUM = process.env.KOMMUNALMONITOR_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
/** Why the browser tests cannot run here, or undefined. */
export const MISSING = existsSync(CHROMIUM) ? undefined : `needs Chromium at ${CHROMIUM} (apt-get install chromium)`;
/** Options for describe(): skip with the missing component named, or, under CI, run and fail. */
export const chromiumGate: { skip?: string } = MISSING && !REQUIRE_COMPONENTS ? { skip: MISSING } : {};

const ROOT = resolve('.');
export const WEB_ROOT = join(ROOT, 'web', 'dist');
export const USER = 'leitung';
export const PASSWORD = 'Kommunal-Monitor-2024!';

/** Newest modification time under a directory. */
function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** Builds web/dist when it is missing or older than web/src. */
export function ensureWebBuild(): void {
  const index = join(WEB_ROOT, 'index.html');
  if (
    existsSync(index) &&
    statSync(index).mtimeMs >=
      Math.max(newest(join(ROOT, 'web', 'src')), statSync(join(ROOT, 'web', 'index.html')).mtimeMs)
  )
    return;
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // Built beside web/dist and swapped in: two test files that build at once (the runner starts
  // two) must not empty the folder another one's browser is loading from.
  const tmp = `${WEB_ROOT}.tmp-${process.pid}`;
  const r = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join('web', 'vite.config.ts'), '--logLevel', 'warn', '--outDir', tmp, '--emptyOutDir'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (r.status !== 0) throw new Error('Building the web app failed (npm run build).');
  const old = `${WEB_ROOT}.old-${process.pid}`;
  if (existsSync(WEB_ROOT)) renameSync(WEB_ROOT, old);
  renameSync(tmp, WEB_ROOT);
  rmSync(old, { recursive: true, force: true });
}

export interface Harness {
  db: Database;
  app: FastifyInstance;
  base: string;
  browser: Browser;
  signedIn: boolean;
  close(): Promise<void>;
}

export interface Server {
  db: Database;
  app: FastifyInstance;
  base: string;
  signedIn: boolean;
  close(): Promise<void>;
}

/**
 * Computes the demo's disclosure patterns before the browser asks (a served request would wait
 * for them: a minute of linear programs on a fresh demo). The seeded demo is the same in every
 * test file, so are its patterns: they are kept in a cache file and read back into each new
 * database, where a pattern whose tables differ (another demo) is simply computed anew.
 */
async function readyPatterns(db: Database, scale: number): Promise<void> {
  const dir = join(ROOT, 'node_modules', '.cache', 'kommunalmonitor');
  const file = join(dir, `e2e-demo-patterns-${scale}.json`);
  type Row = {
    indicator_id: number;
    period_id: number;
    fingerprint: string;
    pattern: unknown;
    secondary_value: number;
  };
  if (existsSync(file)) {
    for (const r of JSON.parse(readFileSync(file, 'utf8')) as Row[]) {
      await db.query(
        'INSERT INTO disclosure_pattern (indicator_id, period_id, fingerprint, pattern, secondary_value) VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT DO NOTHING',
        [r.indicator_id, r.period_id, r.fingerprint, JSON.stringify(r.pattern), r.secondary_value],
      );
    }
  }
  await warmPatterns(db);
  const { rows } = await db.query<Row>(
    'SELECT indicator_id, period_id, fingerprint, pattern, secondary_value FROM disclosure_pattern ORDER BY 1, 2',
  );
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify(rows));
  renameSync(tmp, file);
}

/** The API with the built web app on an in-memory database (the demo city unless `demo: false`). */
export async function startServer(o: { scale?: number; user?: boolean; demo?: boolean } = {}): Promise<Server> {
  ensureWebBuild();
  const db = await openDatabase({ memory: true });
  await migrate(db);
  if (o.demo !== false) {
    await loadDemo(db, { scale: o.scale ?? 1 });
    await readyPatterns(db, o.scale ?? 1);
  }
  let signedIn = false;
  if (o.user !== false && o.demo !== false) {
    // Access control (issue #4): internal indicators (the daily gauge) need a signed-in user.
    const usersModule = '../../src/services/users.ts';
    const accessModule = '../../src/core/access.ts';
    try {
      const users = (await import(usersModule)) as {
        addUser: (db: Database, who: unknown, u: Record<string, string>) => Promise<unknown>;
      };
      const access = (await import(accessModule)) as { SYSTEM: unknown };
      await users.addUser(db, access.SYSTEM, {
        name: USER,
        role: 'analyst',
        password: PASSWORD,
        displayName: 'Leitung',
      });
      signedIn = true;
    } catch {
      signedIn = false; // a server without accounts: everything is readable anonymously
    }
  }
  const app = await buildServer(db, { webRoot: WEB_ROOT } as Parameters<typeof buildServer>[1]);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    db,
    app,
    base,
    signedIn,
    async close() {
      await app.close().catch(() => undefined);
      await db.close().catch(() => undefined);
    },
  };
}

export interface Harness extends Server {
  browser: Browser;
}

/** Starts the in-memory demo server with the built web app and a Chromium. */
export async function startHarness(o: { scale?: number; user?: boolean } = {}): Promise<Harness> {
  if (MISSING) throw new Error(`Missing component: ${MISSING}`);
  const server = await startServer(o);
  const { chromium } = await import('playwright-core');
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    ...server,
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
}
