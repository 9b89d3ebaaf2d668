// The command-line interface: thin commands over the same services as the HTTP API.
import { Command, CommanderError, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { configFrom, type Config } from '../config.ts';
import { openDatabase, type Database } from '../store/db.ts';
import { migrate } from '../store/migrate.ts';
import { InputRejected, NotFound, Conflict, Forbidden, Unauthorized, formatProblem, formatProblemGerman, type Problem } from '../core/problems.ts';
import { renderCode, type Lang } from '../contracts/codes/index.ts';
import { parsePeriod } from '../core/periods.ts';
import { progressReporter } from './progress.ts';
import { table } from './table-output.ts';
import { readPassword } from './password-prompt.ts';
import { SYSTEM } from '../core/access.ts';
import type { PopulationSourceChoice } from '../services/spatial.ts';
import { registerSpatialCommands } from './spatial-commands.ts';
import { registerSealedCommands } from './sealed-commands.ts';
import { registerDisclosureCommands } from './disclosure-commands.ts';
import { registerMeasuresCommands } from './measures-commands.ts';
import { registerForumCommands } from './forum-commands.ts';
import { registerTenantCommands } from './tenant-commands.ts';
import { registerProviderAccessCommands } from './provider-access-commands.ts';
import { basename } from 'node:path';
import { UsageError } from './errors.ts';

interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
  tenant?: string;
}


export async function main(argv: string[], io: { out?: (s: string) => void; err?: (s: string) => void } = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const err = io.err ?? ((s: string) => process.stderr.write(s));
  const program = new Command('kommunalmonitor');
  program
    .description('Kommunalmonitor: integrated municipal statistics — spatial structure, indicators, observations.')
    .option('--data-dir <dir>', 'data directory of the embedded database (default ./data; ignored when DATABASE_URL is set)')
    .option('--json', 'machine-readable output')
    .option('--tenant <key>', 'work on this tenant of a multi-tenant installation (PostgreSQL server only; docs/tenants.md)')
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err })
    .showHelpAfterError();

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  const config = (flags: { port?: string; host?: string } = {}): Config => configFrom(process.env, { dataDir: globals().dataDir, ...flags });
  const print = (human: string, data: unknown) => out(globals().json ? JSON.stringify(data, null, 2) + '\n' : human.endsWith('\n') ? human : human + '\n');
  /** Opens the database for one command; `light` for commands that only run a few queries. */
  const withDb = async <T>(fn: (db: Database) => Promise<T>, o: { light?: boolean } = {}): Promise<T> => {
    const c = config();
    const tenant = globals().tenant;
    if (tenant !== undefined) {
      const { openTenantDatabase } = await import('./tenant-db.ts');
      const db = await openTenantDatabase(c, tenant);
      try {
        return await fn(db);
      } finally {
        await db.close();
      }
    }
    const db = await openDatabase({ databaseUrl: c.databaseUrl, dataDir: c.dataDir, owner: { kind: 'cli' }, sharedBuffersMb: o.light ? 8 : undefined });
    try {
      await migrate(db);
      return await fn(db);
    } finally {
      await db.close();
    }
  };
  const withTenants = async <T>(fn: (t: import('../store/tenants.ts').Tenants) => Promise<T>): Promise<T> => {
    const { openTenantDirectory } = await import('./tenant-db.ts');
    const t = await openTenantDirectory(config());
    try {
      return await fn(t);
    } finally {
      await t.close();
    }
  };
  const warnings = (ws: Problem[]) => {
    for (const w of ws.slice(0, 20)) err(formatProblem(w) + '\n');
    if (ws.length > 20) err(`… and ${ws.length - 20} more warning(s)\n`);
  };

  program
    .command('serve')
    .description('start the API server (loads the demo city on the first start of an empty database)')
    .option('--port <port>', 'port (default 8080 or $PORT)')
    .option('--host <host>', 'interface to listen on (default localhost: loopback only)')
    .option('--workers <n>', 'server processes sharing the port (PostgreSQL server only; default $KOMMUNALMONITOR_WORKERS or 1)')
    .option('--no-demo', 'do not load the demo city into an empty database')
    .action(async (opts: { port?: string; host?: string; workers?: string; demo: boolean }) => {
      const { serve } = await import('./serve.ts');
      await serve(config({ port: opts.port, host: opts.host }), { demo: opts.demo, workers: opts.workers, tenant: globals().tenant }, err);
    });

  program
    .command('demo')
    .description('load the demo city "Musterstadt" into the database')
    .option('--seed <n>', 'random seed (same seed, same city)', '1')
    .option('--scale <n>', 'size factor (bigger cities for benchmarks)', '1')
    .option('--daily-until <date>', 'last day of the daily series (YYYY-MM-DD; default yesterday, 2024-12-31 gives the same city every time)')
    .action(async (opts: { seed: string; scale: string; dailyUntil?: string }) => {
      const { loadDemo, yesterday } = await import('../services/demo.ts');
      const seed = Number(opts.seed);
      const scale = Number(opts.scale);
      if (!Number.isInteger(seed) || !(scale > 0)) throw new UsageError('--seed must be an integer and --scale a positive number');
      if (opts.dailyUntil !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.dailyUntil)) throw new UsageError('--daily-until must be a date YYYY-MM-DD, e.g. 2024-12-31');
      await withDb(async (db) => {
        const r = await loadDemo(db, { seed, scale, dailyUntil: opts.dailyUntil ?? yesterday(), log: (m) => err(m + '\n') });
        print(`Loaded ${r.city}: ${r.layers} layers, ${r.areas} areas, ${r.indicators} indicators, ${r.observations} observations in ${r.seconds.toFixed(1)} s`, r);
      });
    });

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
    .option('--parent-prefix <n>', 'derive the parent code from the first N characters of the code (e.g. Berlin LOR codes)')
    .option('--overlay', 'create the layer as an overlay that cuts across the hierarchy (school catchments, election districts)')
    .option('--valid-from <date>', 'date from which this boundary version is valid (a new version; earlier versions stay)')
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
        print(`${r.dryRun ? 'Dry run — nothing was changed. Would import' : 'Imported'} ${r.indicators} indicators: ${r.inserted} new, ${r.updated} changed, ${r.unchanged} unchanged.`, r);
      });
    });
  imp
    .command('observations')
    .argument('<files...>', 'CSV or XLSX files, long format (indicator, area, period, value, breakdown columns) or wide format (see --area-column)')
    .option('--layer <key>', 'layer of the area codes (default: looked up in every layer)')
    .option('--area-column <col>', 'wide format: the column with the area code; genesis: the column or variable (e.g. KREISE) with the official key')
    .option('--period <period>', 'wide format: the period of all rows, e.g. 30.06.2022')
    .option('--period-column <col>', 'wide format: the column with the period')
    .addOption(new Option('--map <mapping...>', 'wide format: COLUMN=indicator[dimension=member,…]; genesis: VALUECODE=indicator (repeatable)'))
    .option('--delimiter <char>', 'CSV delimiter (default: detected)')
    .addOption(new Option('--encoding <enc>', 'text encoding (default: detected)').choices(['utf-8', 'windows-1252', 'auto']))
    .addOption(new Option('--decimal <sep>', 'decimal separator (default: "," for ";"-files, "." otherwise)').choices([',', '.']))
    .option('--sheet <name>', 'XLSX: the worksheet (name or number, default the first)')
    .addOption(new Option('--format <format>', 'file layout: genesis = GENESIS flat file (ffcsv); auto recognises one by its header').choices(['auto', 'genesis']).default('auto'))
    .option('--indicator <key>', 'genesis: the indicator of the only value column (else --map CODE=indicator)')
    .option('--area-key-property <prop>', 'genesis: the area attribute holding the official key (AGS/ARS); default: the key is the area code')
    .addOption(new Option('--dimension <variable=dimension...>', 'genesis: a variable (Merkmal) as a dimension, e.g. GES=geschlecht'))
    .addOption(new Option('--member <variable:attribute=member...>', 'genesis: an attribute (Ausprägung) as a member, e.g. GES:GESM=m'))
    .option('--skip-unknown-areas', 'genesis: skip rows of areas the layer does not have (Land, Kreis, other municipalities)')
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
              out(`${r.dryRun ? 'Dry run — nothing was changed. ' : ''}${file}: ${r.rows} rows, ${r.observations} observations (${r.format} format) — ${r.inserted} new, ${r.updated} changed (old values kept in the history), ${r.unchanged} unchanged. Indicators: ${r.indicators.join(', ')}; periods: ${r.periods.join(', ')}.\n`);
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
    .addOption(new Option('--format <format>', 'output format (xlsx needs --output; json-stat: a JSON-stat 2.0 dataset; genesis: a GENESIS flat file)').choices(['csv', 'json', 'xlsx', 'json-stat', 'genesis']).default('csv'))
    .addOption(new Option('--filter <dim=member...>', 'breakdown filter, e.g. altersgruppe=unter6'))
    .option('--output <file>', 'write to a file instead of standard output')
    .description('values of an indicator for every area of a layer (aggregated where needed)')
    .action(async (opts: { indicator: string; layer: string; period?: string; at?: string; format: 'csv' | 'json' | 'xlsx' | 'json-stat' | 'genesis'; filter?: string[]; output?: string }) => {
      const { exportObservations } = await import('../services/export.ts');
      if (opts.format === 'xlsx' && !opts.output) throw new UsageError('--format xlsx writes a binary file: name it with --output FILE.xlsx');
      const filter: Record<string, string> = {};
      for (const f of opts.filter ?? []) {
        const m = /^([a-z][a-z0-9_]*)=(.+)$/.exec(f);
        if (!m) throw new UsageError(`--filter "${f}" must be written as dimension=member`);
        filter[m[1]] = m[2];
      }
      await withDb(async (db) => {
        const text = await exportObservations(db, { indicator: opts.indicator, layer: opts.layer, period: opts.period, at: opts.at, filter }, SYSTEM, globals().json && opts.format !== 'json-stat' ? 'json' : opts.format);
        if (opts.output) writeFileSync(opts.output, text);
        else out(String(text));
      });
    });

  program
    .command('layers')
    .description('list the layers and their boundary versions')
    .action(async () => {
      const { listLayers } = await import('../services/layer-list.ts');
      await withDb(async (db) => {
        const layers = await listLayers(db);
        const rows = layers.flatMap((l) => l.versions.map((v) => [l.key, l.name, l.kind, l.parentLayer ?? '', v.validFrom ?? '—', v.validTo ?? '—', String(v.areas)]));
        print(layers.length ? table(['layer', 'name', 'kind', 'parent', 'valid from', 'valid until', 'areas'], rows) : 'No layers yet. Import areas with `kommunalmonitor import areas FILE --layer KEY`, or load the demo city with `kommunalmonitor demo`.', layers);
      }, { light: true });
    });

  program
    .command('indicators')
    .description('list the indicator catalogue')
    .option('--theme <theme>', 'only indicators of this theme')
    .action(async (opts: { theme?: string }) => {
      const { listIndicators } = await import('../services/catalogue-read.ts');
      await withDb(async (db) => {
        const list = await listIndicators(db, SYSTEM, opts.theme);
        const rows = list.map((i) => [i.key, i.name, i.type, i.unit, i.themes.join(', '), i.confidentiality, i.periods.length ? `${i.periods[0]} … ${i.periods[i.periods.length - 1]} (${i.periods.length})` : '—']);
        print(list.length ? table(['key', 'name', 'type', 'unit', 'themes', 'confidentiality', 'periods'], rows) : 'No indicators yet. Import a catalogue with `kommunalmonitor import indicators FILE`.', list);
      }, { light: true });
    });

  const readDefinition = async (path: string) => {
    const { readStructuredFile } = await import('../formats/catalogue.ts');
    const file = basename(path);
    const raw = await readStructuredFile(path, file);
    if (raw.problems.length) throw new InputRejected(raw.problems, `${file} cannot be read.`);
    return { data: raw.data, file };
  };
  const index = program.command('index').description('composite indices (e.g. a status index in the manner of Berlin’s social monitoring)');
  index
    .command('compute')
    .requiredOption('--definition <file>', 'index definition (JSON or YAML)')
    .option('--period <period>', 'period of the inputs (default: the definition’s)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .addOption(new Option('--delimiter <char>', 'CSV delimiter (";" with decimal comma, "," with decimal point)').choices([';', ',']).default(';'))
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
    .description('print a ready-to-use index definition (status and dynamics in the manner of Berlin’s social monitoring, education participation)')
    .action(async (name: string | undefined, opts: { layer?: string; period?: string }) => {
      // Loaded here, not at start: the templates bring the definition schema (zod) along.
      const { INDEX_TEMPLATES } = await import('../core/stats/templates.ts');
      if (!name) {
        print(table(['template', 'name', 'layer', 'components'], Object.entries(INDEX_TEMPLATES).map(([k, t]) => [k, t.name, t.layer, t.components.map((c) => c.indicator).join(', ')])), INDEX_TEMPLATES);
        return;
      }
      if (!(name in INDEX_TEMPLATES)) throw new UsageError(`unknown template "${name}"; templates: ${Object.keys(INDEX_TEMPLATES).join(', ')}`);
      out(JSON.stringify({ ...INDEX_TEMPLATES[name], ...(opts.layer ? { layer: opts.layer } : {}), ...(opts.period ? { period: opts.period } : {}) }, null, 2) + '\n');
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
    .action(async (opts: { definition: string; period?: string; runs: string; epsilon: string; seed: string; format: 'csv' | 'json' }) => {
      const { indexSensitivity } = await import('../services/analysis.ts');
      const d = await readDefinition(opts.definition);
      const runs = Number(opts.runs);
      const epsilon = Number(opts.epsilon);
      const seed = Number(opts.seed);
      if (!Number.isInteger(runs) || runs < 1 || !(epsilon >= 0 && epsilon < 1) || !Number.isInteger(seed)) throw new UsageError('--runs must be a positive whole number, --epsilon in [0, 1), --seed a whole number');
      await withDb(async (db) => {
        const r = await indexSensitivity(db, SYSTEM, d.data, { period: opts.period, file: d.file, runs, epsilon, seed });
        if (opts.format === 'json' || globals().json) return out(JSON.stringify(r, null, 2) + '\n');
        const pct = (x: number | null | undefined) => (x === null || x === undefined ? '' : (Math.round(x * 1000) / 10).toString().replace('.', ','));
        const lines = ['area;class;keep_share_weights;rank_min;rank_max;keep_share_leave_one_out;changes_when_dropping;excluded'];
        for (const a of r.areas) lines.push([a.area, a.class ?? '', pct(a.weights?.keepShare), a.weights?.minRank ?? '', a.weights?.maxRank ?? '', pct(a.leaveOneOut?.keepShare), a.leaveOneOut?.changesWhenDropping.join(' ') ?? '', a.excluded ?? ''].join(';'));
        out(lines.join('\n') + '\n');
        err(`${r.summary.stableUnderWeights ?? '–'} of ${r.summary.nValid} areas keep their class in all ${r.runs} runs (weights ± ${Math.round(r.epsilon * 100)} %); ${r.summary.stableUnderLeaveOneOut ?? '–'} whichever indicator is left out.\n`);
      });
    });
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
          out(['area;type;excluded', ...a.rows.map((r) => `${r.area};${r.type ?? ''};${r.excluded ?? ''}`)].join('\n') + '\n');
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
        print(`Saved typology "${r.key}" as indicator ${r.indicator} for ${r.period}: ${r.types} types over ${r.areas} areas.`, r);
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
        const r = await compareTypologies(db, SYSTEM, da.data, dbf.data, { minSize: opts.minSize ? Number(opts.minSize) : undefined });
        if (globals().json) return out(JSON.stringify(r, null, 2) + '\n');
        const ct = r.crossTable;
        out(table([`${r.a.key} \\ ${r.b.key}`, ...ct.cols.map(String), 'Σ'], ct.rows.map((row, i) => [String(row), ...ct.counts[i].map(String), String(ct.rowTotals[i])])));
        out(`Adjusted Rand index: ${r.adjustedRandIndex.toFixed(3).replace('.', ',')} (1 = identical, 0 = as by chance) over ${r.areas} areas.\n`);
        out(`Integrated typology: ${r.merged.types.length} types — ${r.merged.types.map((t) => `${t.type}: ${t.combinations.join(' + ')} (${t.n})`).join('; ')}\n`);
      });
    });

  program
    .command('crosswalk')
    .requiredOption('--from <layer>', 'LAYER or LAYER@DATE (boundary version valid on that date)')
    .requiredOption('--to <layer>', 'LAYER or LAYER@DATE')
    .addOption(new Option('--weights <basis>', 'area (polygon overlay) or population (residents of a finer layer, or address points)').choices(['area', 'population']).default('area'))
    .addOption(populationSourceOption())
    .option('--population-indicator <key>', 'count indicator for population weights from a finer layer', 'einwohner')
    .option('--register-at <date>', 'population weights from address points: the register version valid on this date (default: the newest)')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .addOption(new Option('--delimiter <char>', 'CSV delimiter').choices([';', ',']).default(';'))
    .description('weights from → to: the share of each from-area lying in each to-area (summing to 1 per from-area)')
    .action(async (opts: { from: string; to: string; weights: 'area' | 'population'; populationSource: PopulationSourceChoice; populationIndicator: string; registerAt?: string; format: 'csv' | 'json'; delimiter: ';' | ',' }) => {
      const { crosswalkFor, crosswalkToCsv, parseLayerRef, populationBasisText } = await import('../services/spatial.ts');
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
    });
  program
    .command('congruence')
    .argument('<layerA>', 'LAYER or LAYER@DATE')
    .argument('<layerB>', 'LAYER or LAYER@DATE')
    .addOption(new Option('--weights <basis>', 'area or population').choices(['area', 'population']).default('population'))
    .addOption(populationSourceOption())
    .option('--population-indicator <key>', 'count indicator for population weights from a finer layer', 'einwohner')
    .option('--register-at <date>', 'population weights from address points: the register version valid on this date (default: the newest)')
    .description('how well two layers match: each area’s best counterpart with the shared share, and an overall score')
    .action(async (a: string, b: string, opts: { weights: 'area' | 'population'; populationSource: PopulationSourceChoice; populationIndicator: string; registerAt?: string }) => {
      const { congruenceFor, parseLayerRef, populationBasisText } = await import('../services/spatial.ts');
      await withDb(async (db) => {
        const r = await congruenceFor(db, SYSTEM, parseLayerRef(a), parseLayerRef(b), opts.weights, { populationSource: opts.populationSource, populationIndicator: opts.populationIndicator, registerAt: opts.registerAt });
        const basis = populationBasisText(r);
        if (basis) err(`NOTE: ${basis}\n`);
        if (globals().json) return out(JSON.stringify(r.congruence, null, 2) + '\n');
        const pct = (x: number) => (Math.round(x * 1000) / 10).toString().replace('.', ',') + ' %';
        const rows = r.congruence.forward.areas.map((x) => [x.code, x.best ?? '—', pct(x.share), pct(x.reverseShare)]);
        out(table([`${r.from.layer}`, `best ${r.to.layer}`, 'shared', 'of counterpart'], rows));
        out(`Congruence (${r.basis} basis): ${pct(r.congruence.score)} overall; ${pct(r.congruence.forward.score)} of ${r.from.layer} lies in its best ${r.to.layer}, ${pct(r.congruence.backward.score)} the other way round.\n`);
      });
    });
  const assign = program.command('assign').description('assign data to areas');
  assign
    .command('points')
    .argument('<file>', 'CSV/XLSX with x/y columns, or GeoJSON points')
    .option('--layer <key...>', 'only these layers (default: every layer with geometry)')
    .option('--x <column>', 'x / longitude / Rechtswert column')
    .option('--y <column>', 'y / latitude / Hochwert column')
    .option('--crs <crs>', 'CRS of the coordinates (default: the CRS a GeoJSON file declares, else EPSG:4326); must agree with the file’s declaration')
    .option('--at <date>', 'boundary versions valid on this date (default: current)')
    .option('--column-prefix <prefix>', 'put this in front of every added column (needed when a layer key equals an input column, e.g. --column-prefix gebiet_)')
    .option('--output <file>', 'write the CSV to a file (written only when every point could be read)')
    .option('--delimiter <char>', 'CSV delimiter of the input (default: detected)')
    .addOption(new Option('--encoding <enc>', 'text encoding of a CSV (default: detected)').choices(['utf-8', 'windows-1252', 'auto']))
    .option('--sheet <name>', 'XLSX: the worksheet (name or number)')
    .description('give every point the code of the area containing it, per layer (a point on a shared border gets exactly one area); streams CSV in to CSV out')
    .action(async (file: string, opts: { layer?: string[]; x?: string; y?: string; crs?: string; at?: string; columnPrefix?: string; output?: string; delimiter?: string; encoding?: 'utf-8' | 'windows-1252' | 'auto'; sheet?: string }) => {
      const { layerPointIndexes, assignPointStream } = await import('../services/assign-points.ts');
      const { openPoints } = await import('../formats/points.ts');
      const { openSync, writeSync, closeSync, renameSync, rmSync } = await import('node:fs');
      // Header and CRS first: a wrong option fails before the database is opened.
      const points = await openPoints(file, { file: basename(file), x: opts.x, y: opts.y, crs: opts.crs, delimiter: opts.delimiter, encoding: opts.encoding, sheet: opts.sheet, rawLines: true });
      // The polygons are all the command needs from the database: it is closed before the file streams.
      const indexes = await withDb((db) => layerPointIndexes(db, opts.layer, opts.at, { cache: true }), { light: true });
      if (!indexes.length) throw new UsageError('no layer has geometry: import areas from GeoJSON or a Shapefile first');
      // A file is written under a temporary name and renamed when complete: an error leaves no half file.
      const tmp = opts.output ? `${opts.output}.part-${process.pid}` : null;
      const fd = tmp ? openSync(tmp, 'w') : null;
      let closed = false;
      const write = fd === null ? (chunk: string | Uint8Array) => out(typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8')) : (chunk: string | Uint8Array) => void (typeof chunk === 'string' ? writeSync(fd, chunk) : writeSync(fd, chunk));
      try {
        const r = await assignPointStream(points, indexes, { columnPrefix: opts.columnPrefix, prefixOption: '--column-prefix', write });
        if (fd !== null) {
          closeSync(fd);
          closed = true;
          renameSync(tmp!, opts.output!);
        }
        warnings(r.warnings);
        for (const l of r.layers) if (l.outside) err(`${l.outside} of ${r.points} points lie outside every area of "${l.layer}".\n`);
        if (opts.output) err(`Wrote ${r.points} points with the area codes of ${r.layers.map((l) => l.column).join(', ')} (coordinates in ${r.crs}) to ${opts.output}.\n`);
      } catch (e) {
        if (fd !== null) {
          if (!closed) closeSync(fd);
          rmSync(tmp!, { force: true });
        }
        throw e;
      }
    });

  registerSpatialCommands(program, { withDb, out, err, json: () => !!globals().json });
  registerSealedCommands(program, { withDb, out, err, json: () => !!globals().json });
  registerDisclosureCommands(program, { withDb, out, err, json: () => !!globals().json });
  registerMeasuresCommands(program, { withDb, out, err, json: () => !!globals().json });
  registerForumCommands(program, { withDb, out, err, json: () => !!globals().json });
  registerProviderAccessCommands(program, { withDb, out, json: () => !!globals().json });
  registerTenantCommands(program, {
    withTenants,
    print,
    err,
    // The embedded database of the data directory, also when DATABASE_URL is set (to move it into a tenant).
    withEmbeddedDb: async (fn) => {
      const db = await openDatabase({ dataDir: config().dataDir, owner: { kind: 'cli' } });
      try {
        await migrate(db);
        return await fn(db);
      } finally {
        await db.close();
      }
    },
  });
  (await import('./comparison-commands.ts')).registerComparisonCommands(program, { withTenants, tenant: () => globals().tenant, print, err });
  (await import('./settings-commands.ts')).registerSettingsCommands(program, { withDb, out, json: () => !!globals().json, readSecret: (prompt) => readPassword(prompt, err) });
  (await import('./report-commands.ts')).registerReportCommands(program, { withDb, out, err, json: () => !!globals().json });

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

  const users = program.command('users').description('user accounts (roles: admin, steward, analyst, viewer)');
  users
    .command('add')
    .argument('<name>', 'user name (lower case)')
    .requiredOption('--role <role>', 'admin | steward | analyst | viewer')
    .option('--department <key>', 'department (required for stewards)')
    .option('--display-name <name>', 'full name')
    .description('create a user; the password is read from a prompt, or from the first line of standard input')
    .action(async (name: string, opts: { role: string; department?: string; displayName?: string }) => {
      const { addUser } = await import('../services/users.ts');
      const password = await readPassword(`Password for ${name}: `, err);
      await withDb(async (db) => {
        const u = await addUser(db, SYSTEM, { name, role: opts.role, department: opts.department, displayName: opts.displayName, password });
        print(`Created ${u.role} "${u.name}"${u.department ? ` (${u.department})` : ''}.`, u);
      });
    });
  users
    .command('list')
    .description('list users')
    .action(async () => {
      const { listUsers } = await import('../services/users.ts');
      await withDb(async (db) => {
        const list = await listUsers(db, SYSTEM);
        print(list.length ? table(['name', 'role', 'department', 'sealed office', 'disabled', 'display name'], list.map((u) => [u.name, u.role, u.department ?? '', u.sealedOffice ? 'yes' : '', u.disabled ? 'yes' : '', u.displayName ?? ''])) : 'No users yet.', list);
      }, { light: true });
    });
  for (const [verb, granted] of [['grant', true], ['revoke', false]] as const) {
    users
      .command(verb)
      .argument('<name>', 'user name')
      .argument('<permission>', 'sealed-office: may process personal records (address matching, the sealed pipeline)')
      .description(`${verb} a permission beside the role`)
      .action(async (name: string, permission: string) => {
        const { setPermission } = await import('../services/users.ts');
        await withDb(async (db) => {
          const u = await setPermission(db, SYSTEM, name, permission, granted);
          print(`${granted ? 'Granted' : 'Revoked'} "${permission}" ${granted ? 'to' : 'from'} "${u.name}".`, u);
        });
      });
  }
  users
    .command('disable')
    .argument('<name>', 'user name')
    .description('disable a user: sessions end, tokens stop working')
    .action(async (name: string) => {
      const { disableUser } = await import('../services/users.ts');
      await withDb(async (db) => {
        await disableUser(db, SYSTEM, name);
        print(`Disabled "${name}".`, { disabled: name });
      });
    });

  const departments = program.command('departments').description('departments (Fachbereiche) that own indicators');
  departments
    .command('add')
    .argument('<key>', 'key, e.g. jugend')
    .argument('<name>', 'name, e.g. "Jugendamt"')
    .description('create a department')
    .action(async (key: string, name: string) => {
      const { addDepartment } = await import('../services/users.ts');
      await withDb(async (db) => {
        const d = await addDepartment(db, SYSTEM, key, name);
        print(`Created department "${d.key}" (${d.name}).`, d);
      });
    });
  departments
    .command('list')
    .description('list departments')
    .action(async () => {
      const { listDepartments } = await import('../services/users.ts');
      await withDb(async (db) => {
        const list = await listDepartments(db);
        print(list.length ? table(['key', 'name', 'users', 'indicators'], list.map((d) => [d.key, d.name, String(d.users), String(d.indicators)])) : 'No departments yet.', list);
      }, { light: true });
    });

  const tokens = program.command('tokens').description('API tokens for automation (stored hashed; shown once)');
  tokens
    .command('create')
    .requiredOption('--user <name>', 'the user the token acts as')
    .requiredOption('--name <text>', 'what the token is for, e.g. "nightly import"')
    .option('--days <n>', 'expires after N days')
    .description('create an API token')
    .action(async (opts: { user: string; name: string; days?: string }) => {
      const { createToken } = await import('../services/users.ts');
      const days = opts.days === undefined ? undefined : Number(opts.days);
      if (days !== undefined && !(Number.isInteger(days) && days > 0)) throw new UsageError('--days must be a positive whole number');
      await withDb(async (db) => {
        const t = await createToken(db, SYSTEM, { user: opts.user, name: opts.name, days });
        print(`Token ${t.id} for "${t.user}" (${t.name}). Keep it secret — it is shown only now:\n${t.token}`, t);
      });
    });
  tokens
    .command('list')
    .option('--user <name>', 'only this user’s tokens')
    .description('list API tokens (without their secrets)')
    .action(async (opts: { user?: string }) => {
      const { listTokens } = await import('../services/users.ts');
      await withDb(async (db) => {
        const list = await listTokens(db, SYSTEM, opts.user);
        print(list.length ? table(['id', 'user', 'name', 'prefix', 'created', 'last used', 'expires', 'revoked'], list.map((t) => [String(t.id), t.user, t.name, t.prefix + '…', t.createdAt.slice(0, 16), t.lastUsedAt?.slice(0, 16) ?? '', t.expiresAt?.slice(0, 10) ?? '', t.revoked ? 'yes' : ''])) : 'No tokens.', list);
      }, { light: true });
    });
  tokens
    .command('revoke')
    .argument('<id>', 'token id (see tokens list)')
    .description('revoke an API token')
    .action(async (id: string) => {
      const { revokeToken } = await import('../services/users.ts');
      if (!/^\d+$/.test(id)) throw new UsageError('the token id is a number (see `kommunalmonitor tokens list`)');
      await withDb(async (db) => {
        await revokeToken(db, SYSTEM, Number(id));
        print(`Revoked token ${id}.`, { revoked: Number(id) });
      });
    });

  program
    .command('audit')
    .option('--from <date>', 'from this date (YYYY-MM-DD)')
    .option('--to <date>', 'before this date')
    .option('--actor <name>', 'only this user')
    .option('--action <action>', 'only this action, e.g. observations.import, read, login.failed')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
    .description('show or export the audit trail')
    .action(async (opts: { from?: string; to?: string; actor?: string; action?: string; format: string }) => {
      const { readAuditTrail, auditToCsv } = await import('../services/audit.ts');
      await withDb(async (db) => {
        const rows = await readAuditTrail(db, SYSTEM, { from: opts.from, to: opts.to, actor: opts.actor, action: opts.action, limit: 100_000 });
        if (opts.format === 'csv') out(auditToCsv(rows));
        else print(table(['at', 'actor', 'action', 'object', 'batch'], rows.map((r) => [r.at.slice(0, 19), r.actor, r.action, [r.objectType, r.objectKey].filter(Boolean).join(' '), r.importBatchId ? String(r.importBatchId) : ''])), rows);
      });
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    return reportError(e, err, globals().json ?? false);
  }
}

/** --population-source of crosswalk and congruence. */
function populationSourceOption(): Option {
  return new Option('--population-source <source>', 'population weights from: finer-layer (a count indicator on a finer layer), addresses (address points of the register: residents, else 1 per address), auto (finer-layer when the indicator has data, else addresses)')
    .choices(['auto', 'finer-layer', 'addresses'])
    .default('auto');
}

function toIsoDate(text: string): string {
  const p = parsePeriod(text);
  if (!p || p.type !== 'date') throw new UsageError(`"${text}" is not a date; write 2021-01-01 or 01.01.2021`);
  return p.key;
}

/** The language of the CLI's messages: English, German with KOMMUNALMONITOR_LANG=de. */
function cliLang(): Lang {
  return process.env.KOMMUNALMONITOR_LANG === 'de' ? 'de' : 'en';
}

function reportError(e: unknown, err: (s: string) => void, json: boolean): number {
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
