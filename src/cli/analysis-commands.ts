// Composite indices and typologies: `index compute|template|save|sensitivity`, `typology compute|save|compare`.
import { Option, type Command } from 'commander';
import { basename } from 'node:path';
import { SYSTEM } from '../core/access.ts';
import { InputRejected } from '../core/problems.ts';
import { table } from './table-output.ts';
import { UsageError } from './errors.ts';
import type { CliContext } from './context.ts';

export function registerAnalysisCommands(program: Command, ctx: CliContext): void {
  const { withDb, out, err, print, globals } = ctx;

  const readDefinition = async (path: string) => {
    const { readStructuredFile } = await import('../formats/catalogue.ts');
    const file = basename(path);
    const raw = await readStructuredFile(path, file);
    if (raw.problems.length) throw new InputRejected(raw.problems, `${file} cannot be read.`);
    return { data: raw.data, file };
  };
  const index = program
    .command('index')
    .description('composite indices (e.g. a status index in the manner of Berlin’s social monitoring)');
  index
    .command('compute')
    .requiredOption('--definition <file>', 'index definition (JSON or YAML)')
    .option('--period <period>', 'period of the inputs (default: the definition’s)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .addOption(
      new Option('--delimiter <char>', 'CSV delimiter (";" with decimal comma, "," with decimal point)')
        .choices([';', ','])
        .default(';'),
    )
    .description('compute an index: one row per area with area, score, class, label, excluded')
    .action(async (opts: { definition: string; period?: string; format: 'csv' | 'json'; delimiter: ';' | ',' }) => {
      const { computeIndexFor, indexRowsToCsv } = await import('../services/analysis.ts');
      const d = await readDefinition(opts.definition);
      await withDb(async (db) => {
        const a = await computeIndexFor(db, SYSTEM, d.data, { period: opts.period, file: d.file });
        for (const w of a.result.warnings) err(`WARNING: ${w}\n`);
        if (opts.format === 'json' || globals().json) out(JSON.stringify(a, null, 2) + '\n');
        else out(indexRowsToCsv(a, opts.delimiter));
      });
    });
  index
    .command('template')
    .argument('[name]', 'the template (without: list them)')
    .option('--layer <key>', 'layer of the areas')
    .option('--period <period>', 'period of the inputs')
    .description(
      'print a ready-to-use index definition (status and dynamics in the manner of Berlin’s social monitoring, education participation)',
    )
    .action(async (name: string | undefined, opts: { layer?: string; period?: string }) => {
      // Loaded here, not at start: the templates bring the definition schema (zod) along.
      const { INDEX_TEMPLATES } = await import('../core/stats/templates.ts');
      if (!name) {
        print(
          table(
            ['template', 'name', 'layer', 'components'],
            Object.entries(INDEX_TEMPLATES).map(([k, t]) => [
              k,
              t.name,
              t.layer,
              t.components.map((c) => c.indicator).join(', '),
            ]),
          ),
          INDEX_TEMPLATES,
        );
        return;
      }
      if (!(name in INDEX_TEMPLATES))
        throw new UsageError(`unknown template "${name}"; templates: ${Object.keys(INDEX_TEMPLATES).join(', ')}`);
      out(
        JSON.stringify(
          {
            ...INDEX_TEMPLATES[name],
            ...(opts.layer ? { layer: opts.layer } : {}),
            ...(opts.period ? { period: opts.period } : {}),
          },
          null,
          2,
        ) + '\n',
      );
    });
  index
    .command('save')
    .requiredOption('--definition <file>', 'index definition (JSON or YAML)')
    .option('--period <period>', 'period of the inputs (default: the definition’s)')
    .description('store the definition (versioned) and its results as derived indicators <key>_wert and <key>_klasse')
    .action(async (opts: { definition: string; period?: string }) => {
      const { saveIndex } = await import('../services/analysis.ts');
      const d = await readDefinition(opts.definition);
      await withDb(async (db) => {
        const r = await saveIndex(db, SYSTEM, d.data, { period: opts.period, file: d.file });
        print(
          `Saved index "${r.key}" version ${r.version}${r.newVersion ? ' (new)' : ''} for ${r.period}: ${r.scored} of ${r.areas} areas scored; indicators ${r.indicators.score}${r.indicators.class ? ` and ${r.indicators.class}` : ''} (${r.confidentiality}).`,
          r,
        );
      });
    });
  index
    .command('sensitivity')
    .requiredOption('--definition <file>', 'index definition (JSON or YAML)')
    .option('--period <period>', 'period of the inputs (default: the definition’s)')
    .option('--runs <n>', 'Monte-Carlo runs', '1000')
    .option('--epsilon <e>', 'weights vary by ± this share', '0.2')
    .option('--seed <n>', 'random seed (same seed, same runs)', '1')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .description('how robust the classes are: per area the share of runs keeping its class and its rank range')
    .action(
      async (opts: {
        definition: string;
        period?: string;
        runs: string;
        epsilon: string;
        seed: string;
        format: 'csv' | 'json';
      }) => {
        const { indexSensitivity } = await import('../services/analysis.ts');
        const d = await readDefinition(opts.definition);
        const runs = Number(opts.runs);
        const epsilon = Number(opts.epsilon);
        const seed = Number(opts.seed);
        if (!Number.isInteger(runs) || runs < 1 || !(epsilon >= 0 && epsilon < 1) || !Number.isInteger(seed))
          throw new UsageError('--runs must be a positive whole number, --epsilon in [0, 1), --seed a whole number');
        await withDb(async (db) => {
          const r = await indexSensitivity(db, SYSTEM, d.data, {
            period: opts.period,
            file: d.file,
            runs,
            epsilon,
            seed,
          });
          if (opts.format === 'json' || globals().json) return out(JSON.stringify(r, null, 2) + '\n');
          const pct = (x: number | null | undefined) =>
            x === null || x === undefined ? '' : (Math.round(x * 1000) / 10).toString().replace('.', ',');
          const lines = [
            'area;class;keep_share_weights;rank_min;rank_max;keep_share_leave_one_out;changes_when_dropping;excluded',
          ];
          for (const a of r.areas)
            lines.push(
              [
                a.area,
                a.class ?? '',
                pct(a.weights?.keepShare),
                a.weights?.minRank ?? '',
                a.weights?.maxRank ?? '',
                pct(a.leaveOneOut?.keepShare),
                a.leaveOneOut?.changesWhenDropping.join(' ') ?? '',
                a.excluded ?? '',
              ].join(';'),
            );
          out(lines.join('\n') + '\n');
          err(
            `${r.summary.stableUnderWeights ?? '–'} of ${r.summary.nValid} areas keep their class in all ${r.runs} runs (weights ± ${Math.round(r.epsilon * 100)} %); ${r.summary.stableUnderLeaveOneOut ?? '–'} whichever indicator is left out.\n`,
          );
        });
      },
    );
  const typology = program.command('typology').description('typologies: areas grouped into types (Ward, k-means)');
  typology
    .command('compute')
    .requiredOption('--definition <file>', 'typology definition (JSON or YAML)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .description('compute a typology: one row per area with area and type')
    .action(async (opts: { definition: string; format: 'csv' | 'json' }) => {
      const { computeTypologyFor } = await import('../services/analysis.ts');
      const d = await readDefinition(opts.definition);
      await withDb(async (db) => {
        const a = await computeTypologyFor(db, SYSTEM, d.data, { file: d.file });
        if (opts.format === 'json' || globals().json) out(JSON.stringify(a, null, 2) + '\n');
        else {
          out(
            ['area;type;excluded', ...a.rows.map((r) => `${r.area};${r.type ?? ''};${r.excluded ?? ''}`)].join('\n') +
              '\n',
          );
          for (const t of a.types) err(`Typ ${t.type} (${t.n} Gebiete): ${t.description}\n`);
        }
      });
    });

  typology
    .command('save')
    .requiredOption('--definition <file>', 'typology definition (JSON or YAML)')
    .description('store the types as a derived categorical indicator <key>_typ (a map of types in the atlas)')
    .action(async (opts: { definition: string }) => {
      const { saveTypology } = await import('../services/analysis.ts');
      const d = await readDefinition(opts.definition);
      await withDb(async (db) => {
        const r = await saveTypology(db, SYSTEM, d.data, { file: d.file });
        print(
          `Saved typology "${r.key}" as indicator ${r.indicator} for ${r.period}: ${r.types} types over ${r.areas} areas.`,
          r,
        );
      });
    });
  typology
    .command('compare')
    .requiredOption('--a <file>', 'first typology definition')
    .requiredOption('--b <file>', 'second typology definition (same layer)')
    .option('--min-size <n>', 'combinations with fewer areas join the nearest type when merging')
    .description('cross table and adjusted Rand index of two typologies, and their integration into one')
    .action(async (opts: { a: string; b: string; minSize?: string }) => {
      const { compareTypologies } = await import('../services/analysis.ts');
      const [da, dbf] = [await readDefinition(opts.a), await readDefinition(opts.b)];
      await withDb(async (db) => {
        const r = await compareTypologies(db, SYSTEM, da.data, dbf.data, {
          minSize: opts.minSize ? Number(opts.minSize) : undefined,
        });
        if (globals().json) return out(JSON.stringify(r, null, 2) + '\n');
        const ct = r.crossTable;
        out(
          table(
            [`${r.a.key} \\ ${r.b.key}`, ...ct.cols.map(String), 'Σ'],
            ct.rows.map((row, i) => [String(row), ...ct.counts[i].map(String), String(ct.rowTotals[i])]),
          ),
        );
        out(
          `Adjusted Rand index: ${r.adjustedRandIndex.toFixed(3).replace('.', ',')} (1 = identical, 0 = as by chance) over ${r.areas} areas.\n`,
        );
        out(
          `Integrated typology: ${r.merged.types.length} types — ${r.merged.types.map((t) => `${t.type}: ${t.combinations.join(' + ')} (${t.n})`).join('; ')}\n`,
        );
      });
    });
}
