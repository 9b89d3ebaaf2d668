// A lock file in the embedded data directory. PGlite must never be opened by two processes at
// once (that corrupts the data directory), so a second process is refused with a clear message.
import { readFileSync, writeFileSync, unlinkSync, openSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Conflict } from '../core/problems.ts';

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
          const who = held.kind === 'server' ? `a running Kommunalmonitor server (pid ${held.pid}${held.url ? `, ${held.url}` : ''})` : `another kommunalmonitor command (pid ${held.pid})`;
          throw new Conflict(
            `The data directory ${resolve(dataDir)} is in use by ${who}. ` +
              `Opening it a second time could corrupt it, so this command was refused. ` +
              (held.kind === 'server'
                ? `Use the running server's API (${held.url ?? 'http://localhost:8080'}/api), or stop the server and run the command again.`
                : 'Wait until that command has finished and try again.'),
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
    throw new Conflict(`Could not lock the data directory ${resolve(dataDir)}; try again.`);
  }

  release(): void {
    try {
      unlinkSync(this.path);
    } catch {
      /* already gone */
    }
  }
}
