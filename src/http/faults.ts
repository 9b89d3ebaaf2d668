// Routes that fail on purpose, registered only with `faultRoutes` (the serve command sets it when
// KOMMUNALMONITOR_FAULT_ROUTES=1). The tests use them to prove that a failing handler answers 500
// for its own request and the process serves the next one — also when an error escapes every
// handler (an emitter without a listener, a rejected promise nobody awaits).
import type { FastifyInstance } from 'fastify';
import { EventEmitter } from 'node:events';

export function registerFaultRoutes(app: FastifyInstance): void {
  const hidden = { schema: { hide: true } };
  app.get('/api/_faults/throw', hidden, () => {
    throw new Error('fault route: synchronous throw');
  });
  app.get('/api/_faults/reject', hidden, async () => {
    await Promise.resolve();
    throw new Error('fault route: rejected promise');
  });
  app.get('/api/_faults/escape', hidden, async () => {
    // Errors outside the request's promise chain: they reach the process handlers.
    setImmediate(() => new EventEmitter().emit('error', new Error('fault route: emitter error without a listener')));
    void Promise.reject(new Error('fault route: unhandled rejection'));
    return { scheduled: true };
  });
}
