// What the commands of every group share: the database for one command, the output, the global
// options; and option helpers used by several groups.
import { Option } from 'commander';
import type { Config } from '../config.ts';
import type { Database } from '../store/db.ts';
import type { Problem } from '../core/problems.ts';
import { parsePeriod } from '../core/periods.ts';
import { UsageError } from './errors.ts';

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
  tenant?: string;
}

export interface CliContext {
  /** Opens the database for one command; `light` for commands that only run a few queries. */
  withDb: <T>(fn: (db: Database) => Promise<T>, o?: { light?: boolean }) => Promise<T>;
  out: (s: string) => void;
  err: (s: string) => void;
  /** The human text, or the data as JSON with --json. */
  print: (human: string, data: unknown) => void;
  /** Up to 20 warnings on standard error. */
  warnings: (ws: Problem[]) => void;
  globals: () => GlobalOptions;
  config: (flags?: { port?: string; host?: string }) => Config;
}

/** --population-source of crosswalk and congruence. */
export function populationSourceOption(): Option {
  return new Option(
    '--population-source <source>',
    'population weights from: finer-layer (a count indicator on a finer layer), addresses (address points of the register: residents, else 1 per address), auto (finer-layer when the indicator has data, else addresses)',
  )
    .choices(['auto', 'finer-layer', 'addresses'])
    .default('auto');
}

export function toIsoDate(text: string): string {
  const p = parsePeriod(text);
  if (!p || p.type !== 'date') throw new UsageError(`"${text}" is not a date; write 2021-01-01 or 01.01.2021`);
  return p.key;
}
