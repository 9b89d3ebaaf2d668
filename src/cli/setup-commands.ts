// `serve` and `demo`: start the server, load the demo city.
import type { Command } from 'commander';
import { UsageError } from './errors.ts';
import type { CliContext } from './context.ts';

export function registerSetupCommands(program: Command, ctx: CliContext): void {
  const { withDb, err, print, globals, config } = ctx;

  program
    .command('serve')
    .description('start the API server (loads the demo city on the first start of an empty database)')
    .option('--port <port>', 'port (default 8080 or $PORT)')
    .option('--host <host>', 'interface to listen on (default localhost: loopback only)')
    .option(
      '--workers <n>',
      'server processes sharing the port (PostgreSQL server only; default $KOMMUNALMONITOR_WORKERS or 1)',
    )
    .option('--no-demo', 'do not load the demo city into an empty database')
    .action(async (opts: { port?: string; host?: string; workers?: string; demo: boolean }) => {
      const { serve } = await import('./serve.ts');
      await serve(
        config({ port: opts.port, host: opts.host }),
        { demo: opts.demo, workers: opts.workers, tenant: globals().tenant },
        err,
      );
    });

  program
    .command('demo')
    .description('load the demo city "Musterstadt" into the database')
    .option('--seed <n>', 'random seed (same seed, same city)', '1')
    .option('--scale <n>', 'size factor (bigger cities for benchmarks)', '1')
    .option(
      '--daily-until <date>',
      'last day of the daily series (YYYY-MM-DD; default yesterday, 2024-12-31 gives the same city every time)',
    )
    .action(async (opts: { seed: string; scale: string; dailyUntil?: string }) => {
      const { loadDemo, yesterday } = await import('../services/demo.ts');
      const seed = Number(opts.seed);
      const scale = Number(opts.scale);
      if (!Number.isInteger(seed) || !(scale > 0))
        throw new UsageError('--seed must be an integer and --scale a positive number');
      if (opts.dailyUntil !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.dailyUntil))
        throw new UsageError('--daily-until must be a date YYYY-MM-DD, e.g. 2024-12-31');
      await withDb(async (db) => {
        const r = await loadDemo(db, {
          seed,
          scale,
          dailyUntil: opts.dailyUntil ?? yesterday(),
          log: (m) => err(m + '\n'),
        });
        print(
          `Loaded ${r.city}: ${r.layers} layers, ${r.areas} areas, ${r.indicators} indicators, ${r.observations} observations in ${r.seconds.toFixed(1)} s`,
          r,
        );
      });
    });
}
