// Where a tenant's app is mounted (decision 0035): / under its own host name, /t/{key}/ under the
// path prefix. Set by the tenant front on the raw request; read where an answer must name it, such
// as the session cookie's Path (so that signing in to one tenant does not replace the cookie of
// another on the same host).
import type { IncomingMessage } from 'node:http';

const bases = new WeakMap<IncomingMessage, string>();

export function setBasePath(req: IncomingMessage, base: string): void {
  bases.set(req, base);
}

/** The mount point of the app serving this request, ending in a slash ("/" without tenants). */
export function basePath(req: IncomingMessage): string {
  return bases.get(req) ?? '/';
}
