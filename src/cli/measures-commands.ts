// `kommunalmonitor measures import|export|list|show|gaps|coverage|priority`: the measure registry
// (issue #17). Thin: services/measures.ts works.
import type { Command } from 'commander';
import type { Database } from '../store/db.ts';
import { SYSTEM } from '../core/access.ts';
import { InputRejected } from '../core/problems.ts';
import { euroGerman, type MeasureStatus } from '../core/measures.ts';
import { table } from './table-output.ts';

export interface MeasuresCommandContext {
  withDb: <T>(fn: (db: Database) => Promise<T>) => Promise<T>;
  out: (s: string) => void;
  err: (s: string) => void;
  json: () => boolean;
}

const list = (v: string, prev: string[] = []) => [
  ...prev,
  ...v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
];

export function registerMeasuresCommands(program: Command, ctx: MeasuresCommandContext): void {
  const { withDb, out, err, json } = ctx;
  const group = program
    .command('measures')
    .description('neighbourhood measures and projects (Maßnahmen): import, export, list, gaps against need');

  group
    .command('import')
    .argument(
      '<file>',
      'a 360Giving package (.json) or its flat CSV, the department template (.csv/.xlsx), or a Decidim accountability CSV',
    )
    .option('--format <format>', '360giving, 360giving-csv, template or decidim (default: from the file)')
    .option('--schema <dir>', 'validate a 360Giving package against the JSON schema in this folder first')
    .option(
      '--department <key>',
      'the responsible department for Decidim results (and template rows without Fachbereich)',
    )
    .option('--scope-layer <layer>', 'Decidim: the layer whose area names the scopes are', 'stadtteil')
    .option('--dry-run', 'check everything, change nothing')
    .description(
      'import measures (all or nothing; an unchanged measure stays as it is, a changed one gets a new version in its history)',
    )
    .action(
      async (
        file: string,
        opts: {
          format?: '360giving' | '360giving-csv' | 'template' | 'decidim';
          schema?: string;
          department?: string;
          scopeLayer?: string;
          dryRun?: boolean;
        },
      ) => {
        const { importMeasures } = await import('../services/measures.ts');
        const r = await withDb((db) =>
          importMeasures(db, file, {
            format: opts.format,
            schemaDir: opts.schema,
            department: opts.department,
            scopeLayer: opts.scopeLayer,
            dryRun: opts.dryRun,
            principal: SYSTEM,
          }),
        );
        if (json()) out(JSON.stringify(r, null, 2) + '\n');
        else
          out(
            `${r.dryRun ? 'Dry run: ' : ''}${r.file} (${r.format}): ${r.measures} measure(s) — ${r.inserted} new, ${r.updated} changed, ${r.unchanged} unchanged\n`,
          );
      },
    );

  group
    .command('export')
    .option(
      '--format <format>',
      '360giving (JSON package), 360giving-csv (flat CSV) or csv (the department template)',
      '360giving',
    )
    .description('print the measures to standard output')
    .action(async (opts: { format: '360giving' | '360giving-csv' | 'csv' }) => {
      const { exportMeasures } = await import('../services/measures.ts');
      out(await withDb((db) => exportMeasures(db, SYSTEM, opts.format)));
    });

  group
    .command('list')
    .option('--field <code>', 'field of action (Handlungsfeld), e.g. jugend')
    .option('--target-group <code>', 'target group (Zielgruppe), e.g. kinder_6_10')
    .option('--department <key>', 'responsible department')
    .option('--status <status>', 'geplant, laufend, abgeschlossen or abgebrochen')
    .option('--at <date>', 'only measures running on this date')
    .option('--layer <layer>', 'with --area: only measures working in this area')
    .option('--area <code>', 'area code of --layer')
    .description('list the measures')
    .action(
      async (opts: {
        field?: string;
        targetGroup?: string;
        department?: string;
        status?: MeasureStatus;
        at?: string;
        layer?: string;
        area?: string;
      }) => {
        const { listMeasures } = await import('../services/measures.ts');
        const { plannedTotal } = await import('../core/measures.ts');
        const rows = await withDb((db) => listMeasures(db, SYSTEM, opts));
        if (json()) out(JSON.stringify(rows, null, 2) + '\n');
        else
          out(
            table(
              ['key', 'title', 'department', 'status', 'start', 'end', 'fields', 'target groups', 'budget'],
              rows.map((m) => [
                m.key,
                m.title,
                m.department,
                m.status,
                m.actual.start ?? m.planned.start ?? '',
                m.actual.end ?? m.planned.end ?? '',
                m.fields.join(', '),
                m.targetGroups.join(', '),
                euroGerman(plannedTotal(m)),
              ]),
            ),
          );
      },
    );

  group
    .command('show')
    .argument('<key>', 'the measure')
    .description('one measure with its history (JSON)')
    .action(async (key: string) => {
      const { getMeasure } = await import('../services/measures.ts');
      out(JSON.stringify(await withDb((db) => getMeasure(db, SYSTEM, key)), null, 2) + '\n');
    });

  const needOptions = (c: Command) =>
    c
      .requiredOption('--layer <layer>', 'the layer of the areas, e.g. planungsraum')
      .option(
        '--need <indicator>',
        'the need: an indicator of classes (e.g. status_klasse of a saved index) or priority:KEY (priority areas)',
      )
      .option(
        '--classes <list>',
        'class labels or numbers counting as high need, comma-separated (e.g. "sehr niedrig,niedrig")',
        list,
      )
      .option('--field <code>', 'field of action')
      .option('--target-group <code>', 'target group')
      .option('--department <key>', 'only measures of this department');

  needOptions(group.command('gaps'))
    .requiredOption('--at <date>', 'the date (running measures on it)')
    .option('--format <format>', 'table, csv, json or xlsx (with --output)', 'table')
    .option('--output <file>', 'write the table to this file (needed for xlsx)')
    .option('--delimiter <d>', 'CSV delimiter: ";" (decimal comma) or ","', ';')
    .description(
      'areas of high need with their running measures and budget, ranked by need; running_measures 0 are the gaps',
    )
    .action(
      async (opts: {
        layer: string;
        need?: string;
        classes?: string[];
        field?: string;
        targetGroup?: string;
        department?: string;
        at: string;
        format: string;
        output?: string;
        delimiter: ';' | ',';
      }) => {
        const { measuresAgainstNeed, gapsToCsv, gapsToXlsx } = await import('../services/measures.ts');
        if (opts.format === 'xlsx' && !opts.output)
          throw new InputRejected(
            [
              {
                severity: 'error',
                code: 'usage',
                column: '--output',
                reason: '--format xlsx writes a workbook',
                hint: 'give --output FILE.xlsx',
              },
            ],
            '--format xlsx writes a workbook: give --output FILE.xlsx.',
          );
        const a = await withDb((db) => measuresAgainstNeed(db, SYSTEM, opts));
        if (opts.output) {
          const { writeFileSync } = await import('node:fs');
          writeFileSync(
            opts.output,
            opts.format === 'xlsx'
              ? await gapsToXlsx(a, opts)
              : opts.format === 'json'
                ? JSON.stringify(a, null, 2) + '\n'
                : gapsToCsv(a, opts.delimiter),
          );
          err(`wrote ${opts.output}\n`);
        } else if (opts.format === 'csv') out(gapsToCsv(a, opts.delimiter));
        else if (opts.format === 'json' || json()) out(JSON.stringify(a, null, 2) + '\n');
        else {
          out(
            table(
              ['area', 'name', 'need_class', 'running_measures', 'budget', 'target group', 'EUR per head'],
              a.rows.map((r) => [
                r.code,
                r.name,
                r.needLabel ?? '',
                String(r.runningMeasures),
                euroGerman(r.budgetCents),
                r.targetPopulation === null ? '' : String(r.targetPopulation),
                r.budgetPerHead === null ? '' : euroGerman(Math.round(r.budgetPerHead * 100)),
              ]),
            ),
          );
          const c = a.coverage;
          err(
            `${a.rows.filter((r) => r.runningMeasures === 0).length} gap(s) among ${a.rows.length} area(s); coverage ${c.share === null ? '–' : (c.share * 100).toFixed(1).replace('.', ',') + ' %'} (${c.reached} of ${c.population})\n`,
          );
        }
      },
    );

  needOptions(group.command('coverage'))
    .requiredOption('--at <dates>', 'one or more dates, comma-separated (a time series)', list)
    .option('--format <format>', 'table, csv or json', 'table')
    .option('--delimiter <d>', 'CSV delimiter: ";" (decimal comma) or ","', ';')
    .description('the share of the target group living in high-need areas reached by at least one running measure')
    .action(
      async (opts: {
        layer: string;
        need?: string;
        classes?: string[];
        field?: string;
        targetGroup?: string;
        department?: string;
        at: string[];
        format: string;
        delimiter: ';' | ',';
      }) => {
        const { coverageOverTime, coverageToCsv } = await import('../services/measures.ts');
        const rows = await withDb((db) => coverageOverTime(db, SYSTEM, opts, opts.at));
        if (opts.format === 'csv') out(coverageToCsv(rows, opts.delimiter));
        else if (opts.format === 'json' || json()) out(JSON.stringify(rows, null, 2) + '\n');
        else
          out(
            table(
              ['date', 'population', 'reached', 'share', 'areas', 'areas reached'],
              rows.map((c) => [
                c.date,
                String(c.population),
                String(c.reached),
                c.share === null ? '' : (c.share * 100).toFixed(1).replace('.', ',') + ' %',
                String(c.areas),
                String(c.areasReached),
              ]),
            ),
          );
      },
    );

  const priority = group
    .command('priority')
    .description('priority areas (Interventionsgebiete / Fördergebiete), versioned by date');
  priority
    .command('set')
    .argument('<key>', 'key of the priority areas, e.g. interventionsgebiete')
    .requiredOption('--layer <layer>', 'the layer')
    .requiredOption('--valid-from <date>', 'valid from this date')
    .option('--name <name>', 'display name')
    .option('--indicator <key>', 'by rule: areas whose class of this indicator is among --classes on --valid-from')
    .option('--classes <list>', 'class labels or numbers', list)
    .option('--areas <codes>', 'by hand: the area codes, comma-separated', list)
    .action(
      async (
        key: string,
        opts: {
          layer: string;
          validFrom: string;
          name?: string;
          indicator?: string;
          classes?: string[];
          areas?: string[];
        },
      ) => {
        const { setPriorityAreas } = await import('../services/measures.ts');
        const v = await withDb((db) =>
          setPriorityAreas(db, SYSTEM, {
            key,
            name: opts.name ?? key,
            layer: opts.layer,
            validFrom: opts.validFrom,
            indicator: opts.indicator,
            classes: opts.classes,
            codes: opts.areas,
          }),
        );
        if (json()) out(JSON.stringify(v, null, 2) + '\n');
        else out(`${key} from ${v.validFrom}: ${v.codes.length} area(s) of ${v.layer}: ${v.codes.join(', ')}\n`);
      },
    );
  priority.command('list').action(async () => {
    const { priorityAreas } = await import('../services/measures.ts');
    const rows = await withDb((db) => priorityAreas(db));
    if (json()) out(JSON.stringify(rows, null, 2) + '\n');
    else
      out(
        table(
          ['key', 'valid from', 'layer', 'areas', 'rule'],
          rows.map((v) => [
            v.key,
            v.validFrom,
            v.layer,
            v.codes.join(', '),
            v.rule ? JSON.stringify(v.rule) : 'by hand',
          ]),
        ),
      );
  });
}
