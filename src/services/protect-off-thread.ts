// protectChecked() (the pattern and the attacker's verdict on it) in a worker thread
// (protect-worker.mjs): one worker, started on first use, taking the
// computations one after another; unref'd so it never keeps a process alive. Should the worker
// not start (or die), the computation runs here instead, correct but on this thread.
import { Worker } from 'node:worker_threads';
import type { DisclosureRule, LinkedTables } from '../core/disclosure/model.ts';
import { protectChecked as protect, type ProtectResult } from '../core/disclosure/secondary.ts';

interface Pending {
  resolve: (r: ProtectResult) => void;
  reject: (e: Error) => void;
  tables: LinkedTables;
  rule: DisclosureRule;
}

let worker: Worker | null | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();

function failOver(reason: unknown): void {
  worker = null;
  // The computations the worker had are done here instead.
  for (const [id, p] of pending) {
    pending.delete(id);
    protect(p.tables, p.rule).then(p.resolve, p.reject);
  }
  if (process.env.KOMMUNALMONITOR_DEBUG) process.stderr.write(`disclosure worker not used: ${String(reason)}\n`);
}

function theWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    const w = new Worker(new URL('./protect-worker.mjs', import.meta.url));
    w.unref();
    w.on(
      'message',
      (m: {
        id: number;
        result?: Omit<ProtectResult, 'pattern'> & { pattern: [string, 'primary' | 'secondary'][] };
        error?: string;
      }) => {
        const p = pending.get(m.id);
        if (!p) return;
        pending.delete(m.id);
        if (m.result) p.resolve({ ...m.result, pattern: new Map(m.result.pattern) });
        else p.reject(new Error(m.error ?? 'disclosure worker failed'));
        if (!pending.size) w.unref();
      },
    );
    w.on('error', failOver);
    w.on('exit', (code) => {
      if (worker === w) failOver(`exit ${code}`);
    });
    worker = w;
  } catch (e) {
    failOver(e);
  }
  return worker ?? null;
}

/** protectChecked() off the calling thread; the same answer as protectChecked(tables, rule). */
export function protectOffThread(tables: LinkedTables, rule: DisclosureRule): Promise<ProtectResult> {
  const w = theWorker();
  if (!w) return protect(tables, rule);
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject, tables, rule });
    w.ref(); // a computation under way keeps a short-lived process (the CLI) alive until it ends
    w.postMessage({ id, tables, rule });
  });
}
