// Read replicas in the HTTP adapter (decision 0036): a GET or HEAD request reads from a replica,
// every other request from the primary; a signed-in user's reads wait for the replica to replay
// their last write (the read fence in the database, shared by all servers), else go to the
// primary. Without replicas nothing is registered: the embedded and single-server paths are as
// before.
import type { FastifyInstance } from 'fastify';
import type { Database } from '../store/db.ts';
import { inReadScope, type ReadScope } from '../store/replicas.ts';
import { lastWrite, recordWrite } from '../store/read-fence.ts';

declare module 'fastify' {
  interface FastifyRequest {
    readScope?: ReadScope;
  }
  interface FastifyContextConfig {
    /** A POST that only reads (a computation sent as a body): with replicas it reads from one. */
    readsOnly?: boolean;
  }
}

const WRITING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** How long after a write the fence is honoured: beyond any lag a usable replica may have. */
const fenceMinutes = (maxLagMs: number) => Math.max(10, Math.ceil(maxLagMs / 60_000) + 1);

/** Opens each request's read scope; register before anything that reads (authentication). */
export function openReadScopes(app: FastifyInstance, db: Database): void {
  if (!db.readRouting) return;
  app.addHook('onRequest', (req, _reply, done) => {
    const scope: ReadScope = {
      replica: req.method === 'GET' || req.method === 'HEAD' || req.routeOptions.config?.readsOnly === true,
    };
    req.readScope = scope;
    inReadScope(scope, done);
  });
  // A body is read outside the request's asynchronous context: enter the scope again for the handler.
  app.addHook('preHandler', (req, _reply, done) => (req.readScope ? inReadScope(req.readScope, done) : done()));
}

/** Read-your-writes for signed-in users; register after authentication. */
export function registerReadFence(app: FastifyInstance, db: Database): void {
  const routing = db.readRouting;
  if (!routing) return;
  const minutes = fenceMinutes(routing.monitor.maxLagMs);
  app.addHook('onRequest', (req, _reply, done) => {
    const scope = req.readScope;
    if (!scope?.replica || req.principal.kind !== 'user') return done();
    lastWrite(routing.primary, req.principal.id, minutes).then((lsn) => {
      scope.minLsn = lsn;
      done();
    }, done);
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    const scope = req.readScope;
    if (scope?.servedBy) reply.header('X-Read-From', scope.servedBy === 'primary' ? 'primary' : 'replica');
    // Recorded before the answer leaves, so that the user's next request already knows it.
    if (!scope || scope.replica || !WRITING.has(req.method) || req.principal.kind !== 'user' || reply.statusCode >= 400)
      return done(null, payload);
    recordWrite(routing.primary, req.principal.id).then(
      () => done(null, payload),
      (e: Error) => done(e),
    );
  });
}
