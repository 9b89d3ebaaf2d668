// Worker thread of disclosure control: runs protect() (core/disclosure/secondary.ts) on linked
// tables posted to it, so that the linear programs (seconds of CPU for a large table) never block
// the server's event loop. Plain JavaScript, so that it starts the same from the sources and from
// the CLI bundle; it loads the TypeScript core through tsx.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { protect } = await import('../core/disclosure/secondary.ts');

parentPort.on('message', async ({ id, tables, rule }) => {
  try {
    const r = await protect(tables, rule);
    parentPort.postMessage({ id, result: { ...r, pattern: [...r.pattern] } });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e?.stack ?? e) });
  }
});
