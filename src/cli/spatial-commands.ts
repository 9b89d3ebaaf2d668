// Commands of spatial integration (issue #6): the address register (import, versions, match), facility
// data sets, and reallocation of observations across layers and boundary versions. Thin: the
// work is done by src/services/addresses.ts, facilities.ts and reallocation.ts.
import { Option, type Command } from 'commander';
import { writeFileSync } from 'node:fs';
import type { Database } from '../store/db.ts';
import { formatProblem, InputRejected, type Problem } from '../core/problems.ts';
import { SYSTEM } from '../core/access.ts';
import { table } from './table-output.ts';

export interface SpatialCommandContext {
  withDb: <T>(fn: (db: Database) => Promise<T>) => Promise<T>;
  out: (s: string) => void;
  err: (s: string) => void;
  json: () => boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function usage(reason: string, hint?: string): InputRejected {
  return new InputRejected(
    [{ severity: 'error', code: 'usage', reason, hint }],
    `${reason}${hint ? ` (${hint})` : ''}`,
  );
}

/** The subcommand group `name` of the program, created when it does not exist yet. */
function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

export function registerSpatialCommands(program: Command, ctx: SpatialCommandContext): void {
  const { withDb, out, err, json } = ctx;
  const print = (human: string, data: unknown) =>
    out(json() ? JSON.stringify(data, null, 2) + '\n' : human.endsWith('\n') ? human : human + '\n');
  const warnings = (ws: Problem[]) => {
    for (const w of ws.slice(0, 20)) err(formatProblem(w) + '\n');
    if (ws.length > 20) err(`… and ${ws.length - 20} more warning(s)\n`);
  };
  const encoding = () =>
    new Option('--encoding <enc>', 'text encoding of a CSV (default: detected)').choices([
      'utf-8',
      'windows-1252',
      'auto',
    ]);

  const imp = group(program, 'import', 'import areas, indicators or observations (all or nothing)');
  imp
    .command('addresses')
    .argument('<file>', 'the address register: CSV or XLSX, one address per row')
    .option('--street <col>', 'street column (default: recognised, e.g. Straße)')
    .option('--number <col>', 'house-number column (default: recognised, e.g. Hausnummer)')
    .option('--suffix <col>', 'house-number suffix column (default: recognised, e.g. Zusatz)')
    .option('--postcode <col>', 'postcode column (default: recognised, e.g. PLZ)')
    .option('--x <col>', 'x / longitude / Rechtswert column')
    .option('--y <col>', 'y / latitude / Hochwert column')
    .option('--crs <crs>', 'CRS of the coordinates, e.g. EPSG:25832 (default EPSG:4326)')
    .option('--area <LAYER=COLUMN>', 'area codes given by the register, e.g. planungsraum=PLR_ID (repeatable)', collect)
    .option(
      '--residents <col>',
      'number of residents per address (only used summed into population weights; stored per address, never shown)',
    )
    .option(
      '--valid-from <date>',
      'the date from which this register is valid (default today); versions of other dates are kept',
    )
    .option('--delimiter <char>', 'CSV delimiter (default: detected)')
    .addOption(encoding())
    .option('--sheet <name>', 'XLSX: the worksheet (name or number)')
    .option('--dry-run', 'check and report, change nothing')
    .description(
      'import the address register as a version valid from a date (older versions are kept); codes of layers the register lacks come from point-in-polygon',
    )
    .action(
      async (
        file: string,
        opts: {
          street?: string;
          number?: string;
          suffix?: string;
          postcode?: string;
          x?: string;
          y?: string;
          crs?: string;
          area?: string[];
          residents?: string;
          validFrom?: string;
          delimiter?: string;
          encoding?: 'utf-8' | 'windows-1252' | 'auto';
          sheet?: string;
          dryRun?: boolean;
        },
      ) => {
        const { importAddresses } = await import('../services/address-register.ts');
        await withDb(async (db) => {
          const r = await importAddresses(db, file, { ...opts, areas: opts.area, dryRun: !!opts.dryRun });
          warnings(r.warnings);
          if (r.unchanged) {
            print(
              `The register version valid from ${r.validFrom} already holds these ${r.addresses} addresses: nothing was changed.`,
              r,
            );
            return;
          }
          const rows = Object.entries(r.codes).map(([layer, c]) => [
            layer,
            String(c.register),
            String(c.point),
            String(c.none),
            c.disagreeing ? String(c.disagreeing) : '',
          ]);
          const residents = r.residents ? `, ${r.residents.total} residents from the column ${r.residents.column}` : '';
          const replaced = r.replaced ? ` It replaces the version of the same date (${r.replaced} addresses).` : '';
          const withoutNumber = r.withoutNumber
            ? ` ${r.withoutNumber} of them have no house number (places such as squares, gates or bridges) and are stored as street-level addresses.`
            : '';
          print(
            `${r.dryRun ? 'Dry run — nothing was changed. Would import' : 'Imported'} ${r.addresses} addresses (${r.streets} streets, ${r.withCoordinates} with coordinates in ${r.crs}${residents}) as the register version valid from ${r.validFrom}.${withoutNumber}${replaced} ${r.versions} version(s) stored.\n` +
              (rows.length
                ? `Area codes per layer:\n${table(['layer', 'from register', 'point-in-polygon', 'none', 'register ≠ point'], rows)}`
                : ''),
            r,
          );
        });
      },
    );

  const addresses = group(program, 'addresses', 'the address register');
  addresses
    .command('versions')
    .description(
      'list the versions of the address register: valid from / until, addresses (and of them without house number), streets, coordinates, residents, file',
    )
    .action(async () => {
      const { registerVersions } = await import('../services/address-register.ts');
      await withDb(async (db) => {
        const vs = await registerVersions(db);
        if (!vs.length && !json())
          return out('The address register is empty: import it with `kommunalmonitor import addresses FILE`.\n');
        const rows = vs.map((v) => [
          v.validFrom,
          v.validUntil ?? '',
          v.withoutNumber ? `${v.addresses} (${v.withoutNumber} without number)` : String(v.addresses),
          String(v.streets),
          String(v.withCoordinates),
          v.residentsTotal === null ? '—' : `${v.residentsTotal} (${v.residentsColumn})`,
          v.fileName ?? '',
          v.importedAt.slice(0, 10),
          v.importedBy ?? '',
        ]);
        print(
          table(
            ['valid from', 'until', 'addresses', 'streets', 'with coordinates', 'residents', 'file', 'imported', 'by'],
            rows,
          ),
          vs,
        );
      });
    });

  imp
    .command('facilities')
    .argument('<file>', 'facilities: CSV/XLSX with coordinates, or GeoJSON points')
    .requiredOption('--set <key>', 'key of the data set, e.g. kitas (indicators kitas_anzahl, kitas_plaetze)')
    .requiredOption('--name <name>', 'name of the data set, e.g. "Kindertageseinrichtungen"')
    .option('--category <col>', 'category column (a breakdown of the supply indicators)')
    .option('--capacity <col>', 'capacity column (places); gives <set>_plaetze')
    .option('--label <col>', 'column with the facility name (default: recognised, e.g. Name)')
    .option('--x <col>', 'x / longitude / Rechtswert column')
    .option('--y <col>', 'y / latitude / Hochwert column')
    .option('--crs <crs>', 'CRS of the coordinates (default EPSG:4326)')
    .option(
      '--period <date>',
      'reference date of the list (default today); use the population’s Stichtag to compare with need',
    )
    .option('--owner <department>', 'department owning the supply indicators')
    .addOption(
      new Option('--confidentiality <level>', 'of new supply indicators')
        .choices(['public', 'internal', 'restricted'])
        .default('internal'),
    )
    .option('--dry-run', 'check and report, change nothing')
    .description('import a facility data set; counts and capacities per area become supply indicators')
    .action(
      async (
        file: string,
        opts: {
          set: string;
          name: string;
          category?: string;
          capacity?: string;
          label?: string;
          x?: string;
          y?: string;
          crs?: string;
          period?: string;
          owner?: string;
          confidentiality: 'public' | 'internal' | 'restricted';
          dryRun?: boolean;
        },
      ) => {
        const { importFacilities } = await import('../services/facilities.ts');
        await withDb(async (db) => {
          const r = await importFacilities(db, file, { ...opts, dryRun: !!opts.dryRun });
          warnings(r.warnings);
          print(
            `${r.dryRun ? 'Dry run — nothing was changed. Would import' : 'Imported'} ${r.facilities} facilities into "${r.set}" (${r.name}) for ${r.period}${r.capacity !== null ? `, ${r.capacity} places` : ''}` +
              `${r.categories.length ? `; categories: ${r.categories.map((c) => `${c.name} (${c.facilities})`).join(', ')}` : ''}.\n` +
              `Supply indicators ${r.indicators.join(', ')} on ${r.layers.map((l) => `${l.layer} (${l.areas} areas)`).join(', ')}: ${r.inserted} new, ${r.updated} changed, ${r.unchanged} unchanged values.`,
            r,
          );
        });
      },
    );

  const match = group(program, 'match', 'match data to the spatial structure');
  match
    .command('addresses')
    .argument('<file>', 'CSV/XLSX with addresses (e.g. from forms)')
    .option('--address <col>', 'one free-text column, e.g. "Ackerstr. 1a, 10115 Berlin"')
    .option('--street <col>', 'street column (may hold the number too)')
    .option('--number <col>', 'house-number column')
    .option('--postcode <col>', 'postcode column')
    .option(
      '--strict-postcode',
      'a given postcode must match (default: a unique address in another postcode matches with lower confidence)',
    )
    .option('--at <date>', 'match against the register version valid on this date (default: the newest)')
    .option('--output <file>', 'write the CSV to a file instead of standard output')
    .option(
      '--column-prefix <prefix>',
      'put this in front of every added column (needed when an input column is named like one, e.g. status or a layer key)',
    )
    .option('--delimiter <char>', 'CSV delimiter (default: detected)')
    .addOption(encoding())
    .option('--sheet <name>', 'XLSX: the worksheet (name or number)')
    .description(
      'match addresses against the register: every row with the matched address, the area code of every layer, method and confidence — or why not; the summary goes to standard error. Nothing of the input is stored.',
    )
    .action(
      async (
        file: string,
        opts: {
          address?: string;
          street?: string;
          number?: string;
          postcode?: string;
          strictPostcode?: boolean;
          at?: string;
          output?: string;
          columnPrefix?: string;
          delimiter?: string;
          encoding?: 'utf-8' | 'windows-1252' | 'auto';
          sheet?: string;
        },
      ) => {
        const { matchAddresses, matchesToCsv, summaryText } = await import('../services/address-match.ts');
        if ((opts.number !== undefined || opts.postcode !== undefined) && opts.street === undefined)
          throw usage('--number and --postcode need --street', 'or give one free-text column with --address');
        await withDb(async (db) => {
          const r = await matchAddresses(db, file, { ...opts, principal: SYSTEM });
          if (json()) {
            const text = JSON.stringify(r, null, 2) + '\n';
            if (opts.output) writeFileSync(opts.output, text);
            else out(text);
          } else {
            const text = matchesToCsv(r, { columnPrefix: opts.columnPrefix, prefixOption: '--column-prefix' });
            if (opts.output) writeFileSync(opts.output, text);
            else out(text);
          }
          err(summaryText(r.summary));
          err(
            `Register: version valid from ${r.register.validFrom}${r.register.validUntil ? ` until ${r.register.validUntil}` : ''}, ${r.register.addresses} addresses in ${r.register.streets} streets; ${(r.summary.total / Math.max(r.seconds, 1e-3)).toFixed(0)} addresses/s.\n`,
          );
        });
      },
    );

  program
    .command('reallocate')
    .requiredOption('--indicator <key>', 'a count indicator (ratios follow from their counts)')
    .requiredOption('--from <layer>', 'LAYER@DATE: the boundary version the data lie on, e.g. stadtteil@2020-12-31')
    .requiredOption('--to <layer>', 'LAYER@DATE: the version or layer to carry them onto, e.g. stadtteil@2021-01-01')
    .addOption(
      new Option(
        '--weights <basis>',
        'area (polygon overlay) or population (residents of a finer layer, taken at each period)',
      )
        .choices(['area', 'population'])
        .default('area'),
    )
    .option(
      '--period <period>',
      'a period to carry (repeatable; default every period of the from-version not covered by the to-version)',
      collect,
    )
    .addOption(
      new Option(
        '--rounding <mode>',
        'largest-remainder: whole numbers, each source count split exactly; none: fractions',
      )
        .choices(['largest-remainder', 'none'])
        .default('largest-remainder'),
    )
    .option('--population-indicator <key>', 'count indicator for population weights', 'einwohner')
    .option('--dry-run', 'compute and check, change nothing')
    .description(
      'carry the observations of a count indicator onto another boundary version or layer by a crosswalk; stored as estimates with their method',
    )
    .action(
      async (opts: {
        indicator: string;
        from: string;
        to: string;
        weights: 'area' | 'population';
        period?: string[];
        rounding: 'largest-remainder' | 'none';
        populationIndicator: string;
        dryRun?: boolean;
      }) => {
        const { reallocate } = await import('../services/reallocation.ts');
        const { parseLayerRef } = await import('../services/spatial.ts');
        await withDb(async (db) => {
          const r = await reallocate(db, {
            indicator: opts.indicator,
            from: parseLayerRef(opts.from),
            to: parseLayerRef(opts.to),
            weights: opts.weights,
            periods: opts.period,
            rounding: opts.rounding,
            populationIndicator: opts.populationIndicator,
            dryRun: !!opts.dryRun,
          });
          for (const n of r.notes) err(`NOTE: ${n}\n`);
          for (const w of r.warnings) err(`WARNING: ${w}\n`);
          const num = (v: number) => new Intl.NumberFormat('de-DE', { maximumFractionDigits: 2 }).format(v);
          const rows = r.periods.map((p) => [
            p.period,
            String(p.sourceAreas),
            String(p.targetAreas),
            String(p.observations),
            num(p.input),
            num(p.output),
            p.lost ? `${num(p.lost)} (${p.lostAreas.join(', ')})` : '0',
            p.withheld ? String(p.withheld) : '',
          ]);
          print(
            table(['period', 'from areas', 'to areas', 'values', 'total in', 'total out', 'lost', 'withheld'], rows) +
              `${r.dryRun ? 'Dry run — nothing was changed. Would store' : 'Stored'} "${r.indicator}" on ${r.to.layer}${r.to.validFrom ? ` (from ${r.to.validFrom})` : ''} as estimates: ${r.inserted} new, ${r.updated} changed, ${r.unchanged} unchanged.\n` +
              `Reason stored with every value: ${r.reason}`,
            r,
          );
        });
      },
    );
}
