// Compiled request validators and response serializers, shared by every app this process builds.
// A tenant's app is the whole server (tenant-server.ts), and compiling its ~250 route schemas with
// Ajv and fast-json-stringify took about 140 ms of CPU per app, so a server with more tenants than
// open apps spent its time recompiling identical schemas. A compiled function depends only on the
// schema and the compiler's options, which are the same for every app; the cache key is the
// schema's JSON (route schemas are written inline, so each app has its own objects).
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type RouteCompiler = (route: {
  schema: unknown;
  httpPart?: string;
  httpStatus?: string;
  contentType?: string;
}) => unknown;
type CompilerFactory = (externalSchemas: unknown, options: unknown) => RouteCompiler;

function memoised(factory: CompilerFactory): CompilerFactory {
  // Keyed by the factory's answer: it pools one compiler per distinct option set.
  const caches = new WeakMap<RouteCompiler, Map<string, unknown>>();
  return (externalSchemas, options) => {
    const compile = factory(externalSchemas, options);
    let cache = caches.get(compile);
    if (!cache) caches.set(compile, (cache = new Map()));
    const known = cache;
    return (route) => {
      const key = `${route.httpPart ?? ''}\u0000${route.httpStatus ?? ''}\u0000${route.contentType ?? ''}\u0000${JSON.stringify(route.schema)}`;
      let fn = known.get(key);
      if (fn === undefined) known.set(key, (fn = compile(route)));
      return fn;
    };
  };
}

const buildValidator = memoised(AjvCompiler() as unknown as CompilerFactory);
const buildSerializer = memoised(SerializerSelector() as unknown as CompilerFactory);

/** Fastify's schemaController option: the default compilers, with one cache for the process. */
export const sharedSchemaController = {
  compilersFactory: { buildValidator, buildSerializer },
} as unknown as NonNullable<FastifyServerOptions['schemaController']>;
