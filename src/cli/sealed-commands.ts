// Commands of the sealed statistics office (issue 14): `sealed run` turns a records file into
// area counts (src/services/sealed-run.ts). The unmatched addresses are printed to the terminal
// only — never to a file, a log or the database.
import type { Command } from 'commander';
import type { Database } from '../store/db.ts';
import { formatProblem, InputRejected, type Problem } from '../core/problems.ts';
import { SYSTEM } from '../core/access.ts';
import { progressReporter } from './progress.ts';
import { table } from './table-output.ts';
import type { SealedRunResult } from '../services/sealed-run.ts';

export interface SealedCommandContext {
  withDb: <T>(fn: (db: Database) => Promise<T>) => Promise<T>;
  out: (s: string) => void;
  err: (s: string) => void;
  json: () => boolean;
}

const pct = (x: number) => `${(100 * x).toFixed(1).replace('.', ',')} %`;

/** The run in a few lines: records, assigned, unassignable by reason, match methods, layers. */
function sealedSummary(r: SealedRunResult, limit = 20): string {
  const lines: string[] = [];
  const head = r.refused
    ? `Refused — nothing was stored: ${pct(r.refused.share)} of the records cannot be assigned, more than the allowed ${pct(r.refused.max)}.`
    : r.dryRun
      ? 'Dry run — nothing was stored.'
      : `Stored as import batch ${r.batchId}: definition ${r.definition.key} version ${r.definition.version}${r.definition.newVersion ? ' (new)' : ''}.`;
  lines.push(head);
  lines.push(
    `${r.file} (SHA-256 ${r.sha256.slice(0, 16)}…): ${r.records} records read, ${r.assigned} counted in areas of ${r.layers[0]?.layer ?? '–'}, ${r.records - r.assigned} nicht zuordenbar (${pct(r.unassignedShare)}).`,
  );
  lines.push(
    `Indicator ${r.indicator}, period ${r.period}, reference date ${r.referenceDate}${r.register ? `, address register valid from ${r.register.validFrom} (${r.register.addresses} addresses)` : ''}.`,
  );
  if (r.match) {
    const m = r.match;
    lines.push(
      `Addresses: ${m.matched} matched (exact ${m.byMethod.exact}, normalised ${m.byMethod.normalised}, fuzzy ${m.byMethod.fuzzy}, base number ${m.byMethod['base-number']}), ${m.ambiguous} ambiguous (${m.ambiguousSameArea} of them in one area), ${m.unmatched} unmatched${
        Object.keys(m.byReason).length
          ? ` (${Object.entries(m.byReason)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ')})`
          : ''
      }.`,
    );
  }
  const reasons = Object.entries(r.unassignable).filter(([, n]) => n > 0);
  if (reasons.length)
    lines.push(
      `Nicht zuordenbar by reason: ${reasons.map(([k, n]) => `${k} ${n}`).join(', ')}${r.unassignableIndicator ? ` (published as ${r.unassignableIndicator} on ${r.unassignableLayer!.layer})` : ''}.`,
    );
  for (const rep of r.disclosure?.reports ?? []) {
    lines.push(
      `Disclosure (minimum frequency ${rep.rule.minFrequency}): ${rep.primary} cells withheld as primary, ${rep.secondary} as secondary of ${rep.cells} published cells${rep.audit ? (rep.audit.safe ? '; the attacker audit finds every primary cell protected' : '; the attacker audit finds UNPROTECTED cells') : ''}.`,
    );
  }
  lines.push(
    table(
      ['layer', 'areas', 'counted', 'no area'],
      r.layers.map((l) => [
        `${l.layer}${l.primary ? ' (primary)' : ''}`,
        String(l.areas),
        String(l.counted),
        String(l.outside),
      ]),
    ).trimEnd(),
  );
  if (r.unknownStreets.length) {
    lines.push('Streets not in the register (most frequent first):');
    for (const u of r.unknownStreets.slice(0, limit))
      lines.push(`  ${String(u.count).padStart(6)}  ${u.street}${u.suggestion ? `  (nearest: ${u.suggestion})` : ''}`);
    if (r.unknownStreets.length > limit) lines.push(`  … and ${r.unknownStreets.length - limit} more`);
  }
  return lines.join('\n') + '\n';
}

/** The unassigned addresses, for the terminal only. */
function unmatchedList(r: SealedRunResult, limit: number): string {
  if (!r.unmatchedTotal) return '';
  const shown = r.unmatched.slice(0, limit);
  const rows = shown.map((u) => [String(u.line), u.address, u.reason, u.suggestion ?? '']);
  const more =
    r.unmatchedTotal > shown.length
      ? `… and ${r.unmatchedTotal - shown.length} more (--show-unmatched N lists more)\n`
      : '';
  return `Addresses not assigned (shown here only, not stored):\n${table(['line', 'address', 'reason', 'suggestion'], rows)}${more}`;
}

export function registerSealedCommands(program: Command, ctx: SealedCommandContext): void {
  const { withDb, out, err, json } = ctx;
  const warnings = (ws: Problem[]) => {
    for (const w of ws.slice(0, 20)) err(formatProblem(w) + '\n');
  };
  const sealed =
    program.commands.find((c) => c.name() === 'sealed') ??
    program
      .command('sealed')
      .description('the sealed statistics office (Statistikstelle): personal records → area counts');
  sealed
    .command('run')
    .argument('<records>', 'the records file (CSV or XLSX): one person or case per row, with an address')
    .requiredOption(
      '--definition <file>',
      'the sealed definition (JSON or YAML): indicator, period, address columns, breakdowns',
    )
    .option('--dry-run', 'match and count, show everything, store nothing')
    .option(
      '--max-unassigned-share <share>',
      'refuse the run when more than this share (0 … 1) of the records cannot be assigned',
    )
    .option('--show-unmatched <n>', 'how many unassigned addresses to list on the terminal (default 50; 0: none)', '50')
    .option('--delimiter <char>', 'CSV delimiter (default: detected)')
    .option('--sheet <name>', 'XLSX: the worksheet (name or number)')
    .description(
      'count personal records per area and breakdown in memory; only the counts are stored (one import batch with lineage), the records never',
    )
    .action(
      async (
        records: string,
        opts: {
          definition: string;
          dryRun?: boolean;
          maxUnassignedShare?: string;
          showUnmatched: string;
          delimiter?: string;
          sheet?: string;
        },
      ) => {
        const { readSealedDefinitionFile, runSealed } = await import('../services/sealed-run.ts');
        const def = await readSealedDefinitionFile(opts.definition);
        let max: number | undefined;
        if (opts.maxUnassignedShare !== undefined) {
          const t = opts.maxUnassignedShare.trim().replace(',', '.');
          max = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
          if (!Number.isFinite(max) || max < 0 || max > 1)
            throw new InputRejected(
              [
                {
                  severity: 'error',
                  code: 'usage',
                  reason: `--max-unassigned-share "${opts.maxUnassignedShare}" is not a share from 0 to 1`,
                  hint: 'e.g. 0.05 or 5%',
                },
              ],
              `--max-unassigned-share "${opts.maxUnassignedShare}" is not a share from 0 to 1 (e.g. 0.05 or 5%).`,
            );
        }
        const show = Math.max(0, Number(opts.showUnmatched) || 0);
        const progress = progressReporter('Zählen', err);
        const r = await withDb((db) =>
          runSealed(db, records, def, {
            principal: SYSTEM,
            dryRun: !!opts.dryRun,
            maxUnassignedShare: max,
            definitionFile: opts.definition,
            delimiter: opts.delimiter,
            sheet: opts.sheet,
            onProgress: progress.update,
          }),
        );
        progress.done();
        warnings(r.warnings);
        if (json()) {
          // The unmatched list goes to the terminal in JSON as well (the caller asked for the whole answer).
          const { counts: _counts, ...rest } = r;
          out(JSON.stringify({ ...rest, counts: r.counts.length <= 5000 ? r.counts : undefined }, null, 2) + '\n');
        } else {
          out(sealedSummary(r));
          if (show) out(unmatchedList(r, show));
        }
        if (r.refused) throw new RefusedRun();
      },
    );
}

/** A refused run has printed its summary; the command ends with exit code 1. */
class RefusedRun extends Error {
  constructor() {
    super('The run was refused: too many records cannot be assigned. Nothing was stored.');
    this.name = 'RefusedRun';
  }
}
