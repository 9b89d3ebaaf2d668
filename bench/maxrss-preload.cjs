// Preloaded into a measured child process (NODE_OPTIONS=--require …): writes its peak resident
// memory in kB to BENCH_MAXRSS_FILE when it exits, so a bench reads what the command itself used.
'use strict';
process.on('exit', () => {
  const file = process.env.BENCH_MAXRSS_FILE;
  if (!file) return;
  try {
    require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS));
  } catch {
    /* the bench reports the figure as not measured */
  }
});
