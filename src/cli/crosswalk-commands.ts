// Areas across layers and boundary versions: `crosswalk`, `congruence`, and `assign points`.
import { Option, type Command } from 'commander';
import { basename } from 'node:path';
import { SYSTEM } from '../core/access.ts';
import type { PopulationSourceChoice } from '../services/spatial.ts';
import { table } from './table-output.ts';
import { UsageError } from './errors.ts';
import { populationSourceOption, type CliContext } from './context.ts';

export function registerCrosswalkCommands(program: Command, ctx: CliContext): void {
  const { withDb, out, err, warnings, globals } = ctx;

  program
    .command('crosswalk')
    .requiredOption('--from <layer>', 'LAYER or LAYER@DATE (boundary version valid on that date)')
    .requiredOption('--to <layer>', 'LAYER or LAYER@DATE')
    .addOption(
      new Option(
        '--weights <basis>',
        'area (polygon overlay) or population (residents of a finer layer, or address points)',
      )
        .choices(['area', 'population'])
        .default('area'),
    )
    .addOption(populationSourceOption())
    .option('--population-indicator <key>', 'count indicator for population weights from a finer layer', 'einwohner')
    .option(
      '--register-at <date>',
      'population weights from address points: the register version valid on this date (default: the newest)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .addOption(new Option('--delimiter <char>', 'CSV delimiter').choices([';', ',']).default(';'))
    .description('weights from → to: the share of each from-area lying in each to-area (summing to 1 per from-area)')
    .action(
      async (opts: {
        from: string;
        to: string;
        weights: 'area' | 'population';
        populationSource: PopulationSourceChoice;
        populationIndicator: string;
        registerAt?: string;
        format: 'csv' | 'json';
        delimiter: ';' | ',';
      }) => {
        const { crosswalkFor, crosswalkToCsv, parseLayerRef, populationBasisText } =
          await import('../services/spatial.ts');
        await withDb(async (db) => {
          const a = await crosswalkFor(db, SYSTEM, {
            from: parseLayerRef(opts.from),
            to: parseLayerRef(opts.to),
            weights: opts.weights,
            populationSource: opts.populationSource,
            populationIndicator: opts.populationIndicator,
            registerAt: opts.registerAt,
          });
          const basis = populationBasisText(a);
          if (basis) err(`NOTE: ${basis}\n`);
          for (const n of a.crosswalk.notes) err(`NOTE: ${n}\n`);
          if (opts.format === 'json' || globals().json) out(JSON.stringify(a, null, 2) + '\n');
          else out(crosswalkToCsv(a, opts.delimiter));
        });
      },
    );
  program
    .command('congruence')
    .argument('<layerA>', 'LAYER or LAYER@DATE')
    .argument('<layerB>', 'LAYER or LAYER@DATE')
    .addOption(
      new Option('--weights <basis>', 'area or population').choices(['area', 'population']).default('population'),
    )
    .addOption(populationSourceOption())
    .option('--population-indicator <key>', 'count indicator for population weights from a finer layer', 'einwohner')
    .option(
      '--register-at <date>',
      'population weights from address points: the register version valid on this date (default: the newest)',
    )
    .description('how well two layers match: each area’s best counterpart with the shared share, and an overall score')
    .action(
      async (
        a: string,
        b: string,
        opts: {
          weights: 'area' | 'population';
          populationSource: PopulationSourceChoice;
          populationIndicator: string;
          registerAt?: string;
        },
      ) => {
        const { congruenceFor, parseLayerRef, populationBasisText } = await import('../services/spatial.ts');
        await withDb(async (db) => {
          const r = await congruenceFor(db, SYSTEM, parseLayerRef(a), parseLayerRef(b), opts.weights, {
            populationSource: opts.populationSource,
            populationIndicator: opts.populationIndicator,
            registerAt: opts.registerAt,
          });
          const basis = populationBasisText(r);
          if (basis) err(`NOTE: ${basis}\n`);
          if (globals().json) return out(JSON.stringify(r.congruence, null, 2) + '\n');
          const pct = (x: number) => (Math.round(x * 1000) / 10).toString().replace('.', ',') + ' %';
          const rows = r.congruence.forward.areas.map((x) => [
            x.code,
            x.best ?? '—',
            pct(x.share),
            pct(x.reverseShare),
          ]);
          out(table([`${r.from.layer}`, `best ${r.to.layer}`, 'shared', 'of counterpart'], rows));
          out(
            `Congruence (${r.basis} basis): ${pct(r.congruence.score)} overall; ${pct(r.congruence.forward.score)} of ${r.from.layer} lies in its best ${r.to.layer}, ${pct(r.congruence.backward.score)} the other way round.\n`,
          );
        });
      },
    );
  const assign = program.command('assign').description('assign data to areas');
  assign
    .command('points')
    .argument('<file>', 'CSV/XLSX with x/y columns, or GeoJSON points')
    .option('--layer <key...>', 'only these layers (default: every layer with geometry)')
    .option('--x <column>', 'x / longitude / Rechtswert column')
    .option('--y <column>', 'y / latitude / Hochwert column')
    .option(
      '--crs <crs>',
      'CRS of the coordinates (default: the CRS a GeoJSON file declares, else EPSG:4326); must agree with the file’s declaration',
    )
    .option('--at <date>', 'boundary versions valid on this date (default: current)')
    .option(
      '--column-prefix <prefix>',
      'put this in front of every added column (needed when a layer key equals an input column, e.g. --column-prefix gebiet_)',
    )
    .option('--output <file>', 'write the CSV to a file (written only when every point could be read)')
    .option('--delimiter <char>', 'CSV delimiter of the input (default: detected)')
    .addOption(
      new Option('--encoding <enc>', 'text encoding of a CSV (default: detected)').choices([
        'utf-8',
        'windows-1252',
        'auto',
      ]),
    )
    .option('--sheet <name>', 'XLSX: the worksheet (name or number)')
    .description(
      'give every point the code of the area containing it, per layer (a point on a shared border gets exactly one area); streams CSV in to CSV out',
    )
    .action(
      async (
        file: string,
        opts: {
          layer?: string[];
          x?: string;
          y?: string;
          crs?: string;
          at?: string;
          columnPrefix?: string;
          output?: string;
          delimiter?: string;
          encoding?: 'utf-8' | 'windows-1252' | 'auto';
          sheet?: string;
        },
      ) => {
        const { layerPointIndexes, assignPointStream } = await import('../services/assign-points.ts');
        const { openPoints } = await import('../formats/points.ts');
        const { openSync, writeSync, closeSync, renameSync, rmSync } = await import('node:fs');
        // Header and CRS first: a wrong option fails before the database is opened.
        const points = await openPoints(file, {
          file: basename(file),
          x: opts.x,
          y: opts.y,
          crs: opts.crs,
          delimiter: opts.delimiter,
          encoding: opts.encoding,
          sheet: opts.sheet,
          rawLines: true,
        });
        // The polygons are all the command needs from the database: it is closed before the file streams.
        const indexes = await withDb((db) => layerPointIndexes(db, opts.layer, opts.at, { cache: true }), {
          light: true,
        });
        if (!indexes.length)
          throw new UsageError('no layer has geometry: import areas from GeoJSON or a Shapefile first');
        // A file is written under a temporary name and renamed when complete: an error leaves no half file.
        const tmp = opts.output ? `${opts.output}.part-${process.pid}` : null;
        const fd = tmp ? openSync(tmp, 'w') : null;
        let closed = false;
        const write =
          fd === null
            ? (chunk: string | Uint8Array) =>
                out(
                  typeof chunk === 'string'
                    ? chunk
                    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8'),
                )
            : (chunk: string | Uint8Array) =>
                void (typeof chunk === 'string' ? writeSync(fd, chunk) : writeSync(fd, chunk));
        try {
          const r = await assignPointStream(points, indexes, {
            columnPrefix: opts.columnPrefix,
            prefixOption: '--column-prefix',
            write,
          });
          if (fd !== null) {
            closeSync(fd);
            closed = true;
            renameSync(tmp!, opts.output!);
          }
          warnings(r.warnings);
          for (const l of r.layers)
            if (l.outside) err(`${l.outside} of ${r.points} points lie outside every area of "${l.layer}".\n`);
          if (opts.output)
            err(
              `Wrote ${r.points} points with the area codes of ${r.layers.map((l) => l.column).join(', ')} (coordinates in ${r.crs}) to ${opts.output}.\n`,
            );
        } catch (e) {
          if (fd !== null) {
            if (!closed) closeSync(fd);
            rmSync(tmp!, { force: true });
          }
          throw e;
        }
      },
    );
}
