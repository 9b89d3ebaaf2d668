// A lock file in the embedded data directory. PGlite must never be opened by two processes at
// once (that corrupts the data directory), so a second process is refused with a clear message.
import { readFileSync, writeFileSync, unlinkSync, openSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Conflict } from '../core/problems.ts';
import { coded } from '../contracts/codes/index.ts';

interface LockInfo {
  pid: number;
  kind: 'server' | 'cli';
  url?: string;
  since: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataDirLock {
  private constructor(private readonly path: string) {}

  static acquire(dataDir: string, owner: { kind: 'server' | 'cli'; url?: string }): DataDirLock {
    const path = join(dataDir, 'kommunalmonitor.lock');
    const info: LockInfo = { pid: process.pid, ...owner, since: new Date().toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeFileSync(fd, JSON.stringify(info));
        closeSync(fd);
        return new DataDirLock(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        let held: LockInfo | undefined;
        try {
          held = JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
        } catch {
          held = undefined;
        }
        if (held && held.pid !== process.pid && alive(held.pid)) {
          const dir = resolve(dataDir);
          throw new Conflict(
            held.kind === 'server'
              ? coded('data-dir-in-use-by-server', {
                  dir,
                  pid: held.pid,
                  at: held.url ? `, ${held.url}` : '',
                  url: held.url ?? 'http://localhost:8080',
                })
              : coded('data-dir-in-use-by-command', { dir, pid: held.pid }),
          );
        }
        // Stale lock of a process that no longer exists: take it over.
        try {
          unlinkSync(path);
        } catch {
          /* raced with another process; retry */
        }
      }
    }
    throw new Conflict(coded('data-dir-lock-failed', { dir: resolve(dataDir) }));
  }

  release(): void {
    try {
      unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }
}
