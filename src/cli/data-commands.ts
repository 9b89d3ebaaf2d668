// Getting data in and out: `import areas|indicators|observations`, `export observations`, the
// `layers` and `indicators` lists, and `publish` of a draft indicator.
import { Option, type Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { SYSTEM } from '../core/access.ts';
import { progressReporter } from './progress.ts';
import { table } from './table-output.ts';
import { UsageError } from './errors.ts';
import { toIsoDate, type CliContext } from './context.ts';

export function registerDataCommands(program: Command, ctx: CliContext): void {
  const { withDb, out, err, print, warnings, globals } = ctx;

  const imp = program.command('import').description('import areas, indicators or observations (all or nothing)');
  imp
    .command('areas')
    .argument('<file>', 'GeoJSON, zipped Shapefile (.zip) or CSV/XLSX (code, name, parent code)')
    .requiredOption('--layer <key>', 'layer key, e.g. stadtteil')
    .option('--layer-name <name>', 'display name of a new layer, e.g. "Stadtteile"')
    .option('--code <prop>', 'property/column holding the area code')
    .option('--name <prop>', 'property/column holding the area name')
    .option('--parent-layer <key>', 'the layer the areas nest in (hierarchical layers)')
    .option('--parent <prop>', 'property/column holding the parent area code')
    .option(
      '--parent-prefix <n>',
      'derive the parent code from the first N characters of the code (e.g. Berlin LOR codes)',
    )
    .option(
      '--overlay',
      'create the layer as an overlay that cuts across the hierarchy (school catchments, election districts)',
    )
    .option(
      '--valid-from <date>',
      'date from which this boundary version is valid (a new version; earlier versions stay)',
    )
    .option('--crs <crs>', 'CRS of the coordinates, e.g. EPSG:25832 (overrides the file)')
    .option('--encoding <enc>', 'attribute encoding of a Shapefile (default from .cpg, else Windows-1252)')
    .option('--dry-run', 'check and report what would change, change nothing')
    .description('import the areas of a layer version')
    .action(async (file: string, opts: Record<string, string | boolean | undefined>) => {
      const { importAreas } = await import('../services/areas.ts');
      const validFrom = opts.validFrom ? toIsoDate(String(opts.validFrom)) : null;
      await withDb(async (db) => {
        const r = await importAreas(db, file, {
          layer: String(opts.layer),
          layerName: opts.layerName as string | undefined,
          codeProp: opts.code as string | undefined,
          nameProp: opts.name as string | undefined,
          parentLayer: opts.parentLayer as string | undefined,
          parentProp: opts.parent as string | undefined,
          parentPrefix: opts.parentPrefix !== undefined ? Number(opts.parentPrefix) : undefined,
          overlay: !!opts.overlay,
          validFrom,
          crs: opts.crs as string | undefined,
          encoding: opts.encoding as string | undefined,
          dryRun: !!opts.dryRun,
        });
        warnings(r.warnings);
        print(
          `${r.dryRun ? 'Dry run — nothing was changed. Would import' : 'Imported'} ${r.areas} areas into layer "${r.layer}"${r.newLayer ? ' (new layer)' : ''}, version ${r.validFrom ? `from ${r.validFrom}` : 'without start date'}${r.newVersion ? ' (new version)' : ''}, CRS ${r.crs}: ${r.inserted} new, ${r.updated} changed, ${r.unchanged} unchanged, ${r.removed} removed.`,
          r,
        );
      });
    });
  imp
    .command('indicators')
    .argument('<file>', 'indicator catalogue: JSON, YAML or CSV')
    .option('--dry-run', 'check and report what would change, change nothing')
    .description('import (create or update) indicator definitions')
    .action(async (file: string, opts: { dryRun?: boolean }) => {
      const { importCatalogueFile } = await import('../services/indicators.ts');
      await withDb(async (db) => {
        const r = await importCatalogueFile(db, file, { dryRun: !!opts.dryRun });
        warnings(r.warnings);
        print(
          `${r.dryRun ? 'Dry run — nothing was changed. Would import' : 'Imported'} ${r.indicators} indicators: ${r.inserted} new, ${r.updated} changed, ${r.unchanged} unchanged.`,
          r,
        );
      });
    });
  imp
    .command('observations')
    .argument(
      '<files...>',
      'CSV or XLSX files, long format (indicator, area, period, value, breakdown columns) or wide format (see --area-column)',
    )
    .option('--layer <key>', 'layer of the area codes (default: looked up in every layer)')
    .option(
      '--area-column <col>',
      'wide format: the column with the area code; genesis: the column or variable (e.g. KREISE) with the official key',
    )
    .option('--period <period>', 'wide format: the period of all rows, e.g. 30.06.2022')
    .option('--period-column <col>', 'wide format: the column with the period')
    .addOption(
      new Option(
        '--map <mapping...>',
        'wide format: COLUMN=indicator[dimension=member,…]; genesis: VALUECODE=indicator (repeatable)',
      ),
    )
    .option('--delimiter <char>', 'CSV delimiter (default: detected)')
    .addOption(
      new Option('--encoding <enc>', 'text encoding (default: detected)').choices(['utf-8', 'windows-1252', 'auto']),
    )
    .addOption(
      new Option('--decimal <sep>', 'decimal separator (default: "," for ";"-files, "." otherwise)').choices([
        ',',
        '.',
      ]),
    )
    .option('--sheet <name>', 'XLSX: the worksheet (name or number, default the first)')
    .addOption(
      new Option(
        '--format <format>',
        'file layout: genesis = GENESIS flat file (ffcsv); auto recognises one by its header',
      )
        .choices(['auto', 'genesis'])
        .default('auto'),
    )
    .option('--indicator <key>', 'genesis: the indicator of the only value column (else --map CODE=indicator)')
    .option(
      '--area-key-property <prop>',
      'genesis: the area attribute holding the official key (AGS/ARS); default: the key is the area code',
    )
    .addOption(
      new Option(
        '--dimension <variable=dimension...>',
        'genesis: a variable (Merkmal) as a dimension, e.g. GES=geschlecht',
      ),
    )
    .addOption(
      new Option(
        '--member <variable:attribute=member...>',
        'genesis: an attribute (Ausprägung) as a member, e.g. GES:GESM=m',
      ),
    )
    .option(
      '--skip-unknown-areas',
      'genesis: skip rows of areas the layer does not have (Land, Kreis, other municipalities)',
    )
    .option('--dry-run', 'check and report what would change, change nothing')
    .description('import observations; a file with any error changes nothing')
    .action(async (files: string[], opts: Record<string, unknown>) => {
      const { importObservations } = await import('../services/observations-import.ts');
      await withDb(async (db) => {
        const results = [];
        for (const file of files) {
          const progress = progressReporter(file, err);
          try {
            const r = await importObservations(db, file, {
              layer: opts.layer as string | undefined,
              areaColumn: opts.areaColumn as string | undefined,
              period: opts.period as string | undefined,
              periodColumn: opts.periodColumn as string | undefined,
              map: opts.map as string[] | undefined,
              delimiter: opts.delimiter as string | undefined,
              encoding: opts.encoding as 'utf-8' | 'windows-1252' | 'auto' | undefined,
              decimal: opts.decimal as ',' | '.' | undefined,
              sheet: opts.sheet as string | undefined,
              format: opts.format as 'auto' | 'genesis' | undefined,
              indicator: opts.indicator as string | undefined,
              areaKeyProperty: opts.areaKeyProperty as string | undefined,
              dimension: opts.dimension as string[] | undefined,
              member: opts.member as string[] | undefined,
              skipUnknownAreas: !!opts.skipUnknownAreas,
              dryRun: !!opts.dryRun,
              onProgress: progress.update,
            });
            progress.done();
            warnings(r.warnings);
            results.push(r);
            if (!globals().json) {
              out(
                `${r.dryRun ? 'Dry run — nothing was changed. ' : ''}${file}: ${r.rows} rows, ${r.observations} observations (${r.format} format) — ${r.inserted} new, ${r.updated} changed (old values kept in the history), ${r.unchanged} unchanged. Indicators: ${r.indicators.join(', ')}; periods: ${r.periods.join(', ')}.\n`,
              );
            }
          } catch (e) {
            progress.done();
            throw e;
          }
        }
        if (globals().json) out(JSON.stringify(results, null, 2) + '\n');
      });
    });

  const exp = program.command('export').description('export data');
  exp
    .command('observations')
    .requiredOption('--indicator <key>', 'indicator key')
    .requiredOption('--layer <key>', 'layer key')
    .option('--period <period>', 'period (default: the latest with data)')
    .option('--at <date>', 'evaluate on the boundary version valid on this date (e.g. reallocated estimates)')
    .addOption(
      new Option(
        '--format <format>',
        'output format (xlsx needs --output; json-stat: a JSON-stat 2.0 dataset; genesis: a GENESIS flat file)',
      )
        .choices(['csv', 'json', 'xlsx', 'json-stat', 'genesis'])
        .default('csv'),
    )
    .addOption(new Option('--filter <dim=member...>', 'breakdown filter, e.g. altersgruppe=unter6'))
    .option('--output <file>', 'write to a file instead of standard output')
    .description('values of an indicator for every area of a layer (aggregated where needed)')
    .action(
      async (opts: {
        indicator: string;
        layer: string;
        period?: string;
        at?: string;
        format: 'csv' | 'json' | 'xlsx' | 'json-stat' | 'genesis';
        filter?: string[];
        output?: string;
      }) => {
        const { exportObservations } = await import('../services/export.ts');
        if (opts.format === 'xlsx' && !opts.output)
          throw new UsageError('--format xlsx writes a binary file: name it with --output FILE.xlsx');
        const filter: Record<string, string> = {};
        for (const f of opts.filter ?? []) {
          const m = /^([a-z][a-z0-9_]*)=(.+)$/.exec(f);
          if (!m) throw new UsageError(`--filter "${f}" must be written as dimension=member`);
          filter[m[1]] = m[2];
        }
        await withDb(async (db) => {
          const text = await exportObservations(
            db,
            { indicator: opts.indicator, layer: opts.layer, period: opts.period, at: opts.at, filter },
            SYSTEM,
            globals().json && opts.format !== 'json-stat' ? 'json' : opts.format,
          );
          if (opts.output) writeFileSync(opts.output, text);
          else out(String(text));
        });
      },
    );

  program
    .command('layers')
    .description('list the layers and their boundary versions')
    .action(async () => {
      const { listLayers } = await import('../services/layer-list.ts');
      await withDb(
        async (db) => {
          const layers = await listLayers(db);
          const rows = layers.flatMap((l) =>
            l.versions.map((v) => [
              l.key,
              l.name,
              l.kind,
              l.parentLayer ?? '',
              v.validFrom ?? '—',
              v.validTo ?? '—',
              String(v.areas),
            ]),
          );
          print(
            layers.length
              ? table(['layer', 'name', 'kind', 'parent', 'valid from', 'valid until', 'areas'], rows)
              : 'No layers yet. Import areas with `kommunalmonitor import areas FILE --layer KEY`, or load the demo city with `kommunalmonitor demo`.',
            layers,
          );
        },
        { light: true },
      );
    });

  program
    .command('indicators')
    .description('list the indicator catalogue')
    .option('--theme <theme>', 'only indicators of this theme')
    .action(async (opts: { theme?: string }) => {
      const { listIndicators } = await import('../services/catalogue-read.ts');
      await withDb(
        async (db) => {
          const list = await listIndicators(db, SYSTEM, opts.theme);
          const rows = list.map((i) => [
            i.key,
            i.name,
            i.type,
            i.unit,
            i.themes.join(', '),
            i.confidentiality,
            i.periods.length ? `${i.periods[0]} … ${i.periods[i.periods.length - 1]} (${i.periods.length})` : '—',
          ]);
          print(
            list.length
              ? table(['key', 'name', 'type', 'unit', 'themes', 'confidentiality', 'periods'], rows)
              : 'No indicators yet. Import a catalogue with `kommunalmonitor import indicators FILE`.',
            list,
          );
        },
        { light: true },
      );
    });
}

/** `publish`: registered after the other command groups (its place in the help). */
export function registerPublishCommand(program: Command, ctx: CliContext): void {
  const { withDb, print } = ctx;

  program
    .command('publish')
    .argument('<indicator>', 'indicator key')
    .description('publish a draft indicator (visible by its confidentiality from now on)')
    .action(async (key: string) => {
      const { publishIndicator } = await import('../services/indicators.ts');
      await withDb(async (db) => {
        await publishIndicator(db, SYSTEM, key);
        print(`Published "${key}".`, { published: key });
      });
    });
}
