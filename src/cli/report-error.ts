// How a failed command reports: the message (German with KOMMUNALMONITOR_LANG=de), the problems
// of rejected input, and the exit code (2 for usage errors, 1 otherwise).
import { CommanderError } from 'commander';
import {
  InputRejected,
  NotFound,
  Conflict,
  Forbidden,
  Unauthorized,
  formatProblem,
  formatProblemGerman,
} from '../core/problems.ts';
import { renderCode, type Lang } from '../contracts/codes/index.ts';
import { UsageError } from './errors.ts';

/** The language of the CLI's messages: English, German with KOMMUNALMONITOR_LANG=de. */
function cliLang(): Lang {
  return process.env.KOMMUNALMONITOR_LANG === 'de' ? 'de' : 'en';
}

export function reportError(e: unknown, err: (s: string) => void, json: boolean): number {
  if (e instanceof CommanderError) {
    // Help and version exit with 0; usage errors were printed by commander.
    return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.help' ? 0 : 2;
  }
  if (e instanceof InputRejected) {
    if (json) err(JSON.stringify({ error: e.message.split('\n')[0], problems: e.problems }, null, 2) + '\n');
    else {
      const de = cliLang() === 'de';
      err((de && e.summary ? renderCode(e.summary, 'de') : e.message.split('\n')[0]) + '\n');
      for (const p of e.problems) err((de ? formatProblemGerman(p) : formatProblem(p)) + '\n');
    }
    return 1;
  }
  if (e instanceof UsageError) {
    err(`error: ${e.message}\n`);
    return 2;
  }
  if (e instanceof NotFound || e instanceof Conflict || e instanceof Forbidden || e instanceof Unauthorized) {
    // English by default; KOMMUNALMONITOR_LANG=de words a coded error in German (decision 0042).
    err(`error: ${e.coded && cliLang() === 'de' ? renderCode(e.coded, 'de') : e.message}\n`);
    return 1;
  }
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    err(`error: file not found: ${(e as NodeJS.ErrnoException).path ?? ''}\n`);
    return 1;
  }
  if (code === 'ECONNREFUSED' || code === '28P01' || code === '3D000') {
    err(`error: cannot reach the PostgreSQL server named in DATABASE_URL (${(e as Error).message})\n`);
    return 1;
  }
  err(`error: ${(e as Error).message ?? String(e)}\n`);
  if (process.env.KOMMUNALMONITOR_DEBUG) err(String((e as Error).stack) + '\n');
  return 1;
}
