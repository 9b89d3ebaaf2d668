// The peer of the load bench (bench/load.ts): a minimal Node `http` server, in its own process,
// answering fixed paths with byte-identical bodies and the same Content-Type (and Content-Encoding,
// for a compressed answer) as the real server.
// Argument: JSON { routes: [{ path, file, contentType }] }. Prints "READY <port>" on stdout.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const { routes } = JSON.parse(process.argv[2]) as {
  routes: { path: string; file: string; contentType: string; encoding?: string }[];
};
const answers = new Map(
  routes.map((r) => [r.path, { body: readFileSync(r.file), type: r.contentType, encoding: r.encoding }]),
);

const server = createServer((req, res) => {
  const a = answers.get(req.url ?? '');
  if (!a) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, {
    'content-type': a.type,
    'content-length': a.body.length,
    ...(a.encoding ? { 'content-encoding': a.encoding, vary: 'accept-encoding' } : {}),
  });
  res.end(a.body);
});
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`READY ${typeof addr === 'object' && addr ? addr.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
