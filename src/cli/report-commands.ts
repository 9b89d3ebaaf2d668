// `kommunalmonitor report …`: the shipped templates, rendering a report (HTML, PDF, DOCX; one
// area, every area, or a frozen release) and the workflow draft → review → published release.
// An empty database gets the demo city first, as `serve` does, so the commands work at once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { Database } from '../store/db.ts';
import { ANONYMOUS, SYSTEM } from '../core/access.ts';
import { table } from './table-output.ts';

export interface ReportCommandContext {
  withDb: <T>(fn: (db: Database) => Promise<T>) => Promise<T>;
  out: (s: string) => void;
  err: (s: string) => void;
  json: () => boolean;
}

export function registerReportCommands(program: Command, ctx: ReportCommandContext): void {
  const { out, err, json } = ctx;
  const print = (human: string, data: unknown) =>
    out(json() ? JSON.stringify(data, null, 2) + '\n' : human.endsWith('\n') ? human : human + '\n');
  /** The database, with the demo city loaded into an empty one (once). */
  const withData = <T>(demo: boolean, fn: (db: Database) => Promise<T>) =>
    ctx.withDb(async (db) => {
      const { isEmpty, loadDemo } = await import('../services/demo.ts');
      if (demo && (await isEmpty(db))) {
        err('Empty database: loading the demo city "Musterstadt" (once) …\n');
        await loadDemo(db, { dailyUntil: '2024-12-31' });
      }
      return fn(db);
    });

  const group = program
    .command('report')
    .description('reports from standard blocks: templates, rendering (HTML, PDF, DOCX), review and releases');

  group
    .command('templates')
    .description('list the shipped report templates')
    .action(async () => {
      const { listTemplates } = await import('../services/reports.ts');
      const list = listTemplates();
      print(
        table(
          ['key', 'title', 'parameters', 'description'],
          list.map((t) => [
            t.key,
            t.title,
            t.parameters.map((p) => `--${p.name} (${p.layer})`).join(' ') || '–',
            t.description,
          ]),
        ),
        list,
      );
    });

  group
    .command('list')
    .description('list the reports of this installation with their status and releases')
    .option('--no-demo', 'do not load the demo city into an empty database')
    .action(async (o: { demo: boolean }) => {
      const { listReports } = await import('../services/reports.ts');
      const list = await withData(o.demo, (db) => listReports(db, SYSTEM));
      print(
        table(
          ['key', 'title', 'owner', 'status', 'releases'],
          list.map((r) => [
            r.key,
            r.title,
            r.owner ?? '',
            r.status,
            r.releases.map((x) => String(x.number)).join(', ') || '–',
          ]),
        ),
        list,
      );
    });

  group
    .command('render')
    .argument('<key>', 'report or template key, e.g. stadtteilprofil')
    .description('render a report to files: the draft on current data, or a published release (--release N)')
    .option('--area <code>', 'the area for a report with an area parameter, e.g. 0101')
    .option(
      '--all-areas',
      'one file per area of the parameter’s layer, plus one combined file with a table of contents',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['html', 'pdf', 'docx']).default('html'))
    .option('--release <n>', 'render the frozen release N instead of the draft')
    .option('--output <dir>', 'directory for the files (created if needed)', '.')
    .option(
      '--internal',
      'render as the installation sees the data (internal indicators, values protected from the public); default: as the public sees them',
    )
    .option('--no-demo', 'do not load the demo city into an empty database')
    .action(
      async (
        key: string,
        o: {
          area?: string;
          allAreas?: boolean;
          format: 'html' | 'pdf' | 'docx';
          release?: string;
          output: string;
          internal?: boolean;
          demo: boolean;
        },
      ) => {
        if (o.area && o.allAreas) throw new Error('use either --area or --all-areas');
        if (o.release !== undefined && !/^\d+$/.test(o.release))
          throw new Error('--release is a release number, e.g. 1');
        const { renderReport } = await import('../services/report-render.ts');
        const t0 = performance.now();
        const files = await withData(o.demo, (db) =>
          renderReport(db, o.internal ? SYSTEM : ANONYMOUS, key, {
            area: o.area,
            allAreas: o.allAreas,
            format: o.format,
            release: o.release === undefined ? undefined : Number(o.release),
          }),
        );
        const dir = resolve(o.output);
        mkdirSync(dir, { recursive: true });
        for (const f of files) writeFileSync(join(dir, f.name), f.bytes);
        const seconds = (performance.now() - t0) / 1000;
        const data = {
          files: files.map((f) => ({
            path: join(dir, f.name),
            format: f.format,
            bytes: f.bytes.length,
            title: f.title,
            combined: f.combined,
          })),
          seconds,
        };
        print(
          `${files.length} file(s) in ${dir} (${seconds.toFixed(1)} s):\n${files.map((f) => `  ${f.name}  ${(f.bytes.length / 1024).toFixed(0)} KB${f.combined ? '  (combined, with table of contents)' : ''}`).join('\n')}`,
          data,
        );
      },
    );

  group
    .command('validate')
    .argument('<key>')
    .description('check every block’s query (indicators, layers, areas) against the current data')
    .action(async (key: string) => {
      const { validateReport } = await import('../services/reports.ts');
      const problems = await withData(true, (db) => validateReport(db, SYSTEM, key));
      print(
        problems.length
          ? table(
              ['section', 'block', 'problem'],
              problems.map((p) => [p.section, p.block, p.reason]),
            )
          : `The report "${key}" is valid.`,
        { problems },
      );
      if (problems.length) process.exitCode = 1;
    });

  group
    .command('review')
    .argument('<key>')
    .description('submit the draft for review (the step before publishing)')
    .action(async (key: string) => {
      const { submitForReview } = await import('../services/reports.ts');
      const r = await withData(true, (db) => submitForReview(db, SYSTEM, key));
      print(`The report "${key}" is in review.`, r);
    });

  group
    .command('publish')
    .argument('<key>')
    .description(
      'publish a release: values frozen with their data versions and a content hash (an amendment needs --note)',
    )
    .option('--note <text>', 'public change note (required from the second release on)')
    .action(async (key: string, o: { note?: string }) => {
      const { publishRelease } = await import('../services/reports.ts');
      const r = await withData(true, (db) => publishRelease(db, SYSTEM, key, { changeNote: o.note }));
      print(`Published release ${r.number} of "${key}": ${r.documents.length} document(s).`, r);
    });

  group
    .command('releases')
    .argument('<key>')
    .description('list the releases of a report with their content hashes')
    .action(async (key: string) => {
      const { listReleases } = await import('../services/reports.ts');
      const list = await withData(true, (db) => listReleases(db, SYSTEM, key));
      print(
        list.length
          ? table(
              ['release', 'parameters', 'published', 'hash', 'intact', 'note'],
              list.map((r) => [
                String(r.number),
                Object.values(r.params).join(',') || '–',
                r.publishedAt.slice(0, 16),
                r.contentHash.slice(0, 12),
                r.intact ? 'yes' : 'NO',
                r.changeNote ?? '',
              ]),
            )
          : 'No releases.',
        list,
      );
    });

  group
    .command('plan')
    .argument('<key>')
    .description(
      'replacement plan: what a new release would change against the latest one (values, broken queries, newer data)',
    )
    .option('--area <code>', 'the area for a report with an area parameter')
    .action(async (key: string, o: { area?: string }) => {
      const { replacementPlan } = await import('../services/reports.ts');
      const p = await withData(true, (db) => replacementPlan(db, SYSTEM, key, o.area ? { area: o.area } : {}));
      const lines = [
        `Against release ${p.release ?? '– (none yet)'}: ${p.blocks.length} block(s) would change${p.publishable ? '' : '; NOT publishable until the invalid blocks are fixed'}.`,
        ...p.blocks.map(
          (b) =>
            `  ${b.kind.padEnd(8)} ${b.block}${b.reason ? `: ${b.reason}` : ''}${
              b.values.length
                ? `\n${b.values
                    .slice(0, 8)
                    .map((v) => `             ${v.label}: ${v.before} → ${v.after}`)
                    .join('\n')}${b.values.length > 8 ? `\n             … ${b.values.length - 8} more` : ''}`
                : ''
            }`,
        ),
        ...(p.changedDataVersions.length
          ? [`Newer data: ${p.changedDataVersions.map((d) => d.indicator).join(', ')}`]
          : []),
      ];
      print(lines.join('\n'), p);
    });
}
