// Worker thread of disclosure control: runs protectChecked() (core/disclosure/secondary.ts: the
// pattern and the attacker's verdict on it) on linked tables posted to it, so that the linear programs (seconds of CPU for a large table) never block
// the server's event loop. Plain JavaScript, so that it starts the same from the sources and from
// the CLI bundle; it loads the TypeScript core through tsx.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { protectChecked } = await import('../core/disclosure/secondary.ts');

parentPort.on('message', async ({ id, tables, rule }) => {
  try {
    const r = await protectChecked(tables, rule);
    parentPort.postMessage({ id, result: { ...r, pattern: [...r.pattern] } });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e?.stack ?? e) });
  }
});
