// `kommunalmonitor disclosure audit --indicator K --period P`: the suppression pattern of an
// indicator and period and the attacker's audit (every withheld cell's interval against its
// required width); exit 1 when a primary cell is not safe. Thin: services/disclosure.ts works.
import type { Command } from 'commander';
import type { Database } from '../store/db.ts';
import { SYSTEM } from '../core/access.ts';
import { table } from './table-output.ts';

export interface DisclosureCommandContext {
  withDb: <T>(fn: (db: Database) => Promise<T>) => Promise<T>;
  out: (s: string) => void;
  err: (s: string) => void;
  json: () => boolean;
}

/** An audit that found a primary cell too narrowly protected (exit 1). */
class UnsafePattern extends Error {}

const num = (v: number) => (Number.isFinite(v) ? String(Math.round(v * 1000) / 1000) : v > 0 ? '∞' : '−∞');

export function registerDisclosureCommands(program: Command, ctx: DisclosureCommandContext): void {
  const { withDb, out, json } = ctx;
  const group = program
    .command('disclosure')
    .description('disclosure control (Geheimhaltung): suppression patterns and their audit');
  group
    .command('audit')
    .requiredOption('--indicator <key>', 'the indicator (a derived ratio: its numerator and denominator)')
    .option('--period <period>', 'the period (default: the latest with data)')
    .option('--all', 'list every withheld cell, not only the unsafe ones and a sample')
    .description(
      'print the cells, primary and secondary suppressions and the attacker audit (each withheld cell’s interval vs its required width); exit 1 if unsafe',
    )
    .action(async (opts: { indicator: string; period?: string; all?: boolean }) => {
      const { auditIndicator } = await import('../services/disclosure.ts');
      const r = await withDb((db) => auditIndicator(db, SYSTEM, opts.indicator, opts.period, { audit: true }));
      const unsafe = r.reports.flatMap((x) => x.audit?.intervals.filter((i) => !i.safe) ?? []);
      if (json()) out(JSON.stringify(r, null, 2) + '\n');
      else {
        if (!r.reports.length) out(`${r.indicator} ${r.period}: no disclosure rule applies (nothing is withheld).\n`);
        for (const rep of r.reports) {
          out(
            `${rep.indicator} ${rep.period}: rule minFrequency ${rep.rule.minFrequency}${rep.rule.protectionWidth ? `, width ${rep.rule.protectionWidth}` : ''}, protect ${rep.rule.protect} (from the ${rep.rule.from})\n`,
          );
          out(
            `  cells ${rep.cells}, equations ${rep.equations}, primary ${rep.primary}, secondary ${rep.secondary} (Σ value ${num(rep.secondaryValue)}), ${rep.seconds} s\n`,
          );
          for (const n of rep.notes) out(`  note: ${n}\n`);
          const a = rep.audit!;
          out(
            `  audit: ${a.safe ? 'safe' : 'NOT SAFE'} — ${a.intervals.length} withheld cell(s), ${a.programs} linear program(s) in ${a.components} component(s)\n`,
          );
          const rows = a.intervals
            .filter((i) => opts.all || !i.safe || i.suppression === 'primary')
            .slice(0, opts.all ? Infinity : 40);
          if (rows.length)
            out(
              table(
                ['cell', 'kind', 'min', 'max', 'width', 'required', 'safe'],
                rows.map((i) => [
                  i.cell,
                  i.suppression,
                  num(i.min),
                  num(i.max),
                  num(i.max - i.min),
                  num(i.required),
                  i.safe ? 'yes' : 'NO',
                ]),
              ),
            );
        }
      }
      if (unsafe.length)
        throw new UnsafePattern(
          `the pattern is not safe: ${unsafe.length} withheld cell(s) can be narrowed below their protection width`,
        );
    });
}
