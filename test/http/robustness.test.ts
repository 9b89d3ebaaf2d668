// One request never takes the server down, and bad input is a 4xx with a clear message. Every
// case runs against a real server process, which must still answer /api/health afterwards.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { xlsx, flip, shapefile, shapefileZip, THREE } from '../helpers/damaged-files.ts';
import { square, featureCollection } from '../helpers/files.ts';

/** Sends raw bytes and returns what came back until the server closed or `ms` passed. */
function raw(base: string, head: string, body: Buffer, ms = 10_000): Promise<{ text: string; closed: boolean }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname);
    let text = '';
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ text, closed: false });
    }, ms);
    s.setEncoding('utf8');
    s.on('data', (d: string) => (text += d));
    s.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'ECONNRESET' || e.code === 'EPIPE' ? undefined : reject(e),
    );
    s.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
    s.write(head + '\r\n\r\n');
    s.write(body);
  });
}

describe('the server survives every single request', () => {
  let srv: ServerProcess;
  const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
  before(async () => {
    srv = await startServerProcess({ env: { KOMMUNALMONITOR_FAULT_ROUTES: '1' } });
  });
  after(async () => srv?.stop());

  async function healthy(): Promise<void> {
    assert.ok(srv.alive(), `the server process ended:\n${srv.stderr()}`);
    const r = await fetch(`${srv.base}/api/health`);
    assert.equal(r.status, 200);
  }

  test('an anonymous upload is refused before its body is read, whatever it declares', async () => {
    for (const path of [
      '/api/imports/observations?file=x.csv',
      '/api/imports/areas?file=x.geojson&layer=x',
      '/api/imports/indicators',
      '/api/imports/addresses?file=a.csv',
      '/api/match/addresses?file=a.csv',
      '/api/imports/facilities?file=a.csv&set=s&name=S',
    ]) {
      for (const type of ['application/json', 'text/csv']) {
        // 600 MB declared, 64 KiB sent: the answer comes without the rest of the body.
        const r = await raw(
          srv.base,
          `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: 600000000`,
          Buffer.alloc(65536, 0x20),
        );
        assert.match(r.text, /^HTTP\/1\.1 401 /, `${path} (${type})`);
        assert.ok(r.closed, 'the connection is closed instead of reading the rest');
      }
    }
    await healthy();
  });

  test('a viewer may not import: 403 before the body is read', async () => {
    const r = await raw(
      srv.base,
      `POST /api/imports/observations?file=x.csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${srv.tokens.viewer}\r\nContent-Type: text/csv\r\nContent-Length: 600000000`,
      Buffer.alloc(1024, 0x20),
    );
    assert.match(r.text, /^HTTP\/1\.1 403 /);
    await healthy();
  });

  test('a body over the route limit is 413 at once when declared, and when streamed', async () => {
    const declared = await raw(
      srv.base,
      `POST /api/imports/indicators HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${srv.tokens.admin}\r\nContent-Type: application/json\r\nContent-Length: 100000000`,
      Buffer.alloc(1024, 0x20),
    );
    assert.match(declared.text, /^HTTP\/1\.1 413 /);
    assert.match(declared.text, /64 MiB/);
    // Chunked, without a declared length: counted as it arrives.
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const res = await fetch(`${srv.base}/api/imports/indicators`, {
      method: 'POST',
      headers: { ...bearer(srv.tokens.admin), 'Content-Type': 'application/json' },
      duplex: 'half',
      body: new ReadableStream({
        pull(c) {
          c.enqueue(chunk);
        },
      }),
    } as RequestInit).catch((e: Error) => e);
    if (res instanceof Response) assert.equal(res.status, 413);
    else
      assert.match(
        String(res.cause ?? res),
        /other side closed|reset|socket|EPIPE/i,
        'the server may close while the client still sends',
      );
    // Small JSON bodies on ordinary routes: over 1 MiB is 413.
    const big = await fetch(`${srv.base}/api/analysis/index`, {
      method: 'POST',
      headers: { ...bearer(srv.tokens.admin), 'Content-Type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    assert.equal(big.status, 413);
    assert.equal((await big.json()).error, 'Payload Too Large');
    await healthy();
  });

  test('a JSON body on a file upload route is a file like any other, not a crash', async () => {
    for (const path of [
      '/api/imports/areas?file=x.geojson&layer=neu',
      '/api/imports/observations?file=x.csv',
      '/api/imports/addresses?file=x.csv',
      '/api/imports/facilities?file=x.geojson&set=s&name=S',
    ]) {
      const r = await fetch(`${srv.base}${path}`, {
        method: 'POST',
        headers: { ...bearer(srv.tokens.admin), 'Content-Type': 'application/json' },
        body: '{"type":"FeatureCollection","features":[]}',
      });
      assert.ok(r.status >= 400 && r.status < 500, `${path}: ${r.status} ${await r.text()}`);
      await healthy();
    }
    // The JSON catalogue body still imports as before.
    const cat = await fetch(`${srv.base}/api/imports/indicators?dryRun=true`, {
      method: 'POST',
      headers: { ...bearer(srv.tokens.admin), 'Content-Type': 'application/json' },
      body: JSON.stringify({ indicators: [{ key: 'probe', name: 'Probe', unit: 'Personen', type: 'count' }] }),
    });
    assert.equal(cat.status, 200, await cat.clone().text());
  });

  /** Posts a file as an import and returns status and answer. */
  async function post(
    path: string,
    body: string | Uint8Array,
    type = 'application/octet-stream',
  ): Promise<{
    status: number;
    body: { message?: string; problems?: { code: string; line?: number; column?: string | number }[] } & Record<
      string,
      unknown
    >;
  }> {
    const r = await fetch(`${srv.base}${path}`, {
      method: 'POST',
      headers: { ...bearer(srv.tokens.admin), 'Content-Type': type },
      body: typeof body === 'string' ? body : Buffer.from(body),
    });
    return { status: r.status, body: await r.json() };
  }

  test('damaged and hostile files over HTTP: 400 with the problem code and position, nothing stored', async () => {
    const cases: { what: string; path: string; body: string | Uint8Array; code: string; line?: boolean }[] = [
      {
        what: 'XLSX with a bad CRC',
        path: '/api/imports/observations?file=ew.xlsx',
        body: flip(
          xlsx(
            [
              ['indicator', 'area', 'period', 'value'],
              ['einwohner', '0101', '2022-12-31', 81614],
            ],
            true,
          ),
          '81614',
          '87614',
        ),
        code: 'zip-crc-mismatch',
      },
      {
        what: 'Shapefile zip with a bad CRC',
        path: '/api/imports/areas?file=b.zip&layer=ortsteil&code=CODE&name=NAME',
        body: flip(shapefileZip(shapefile(THREE), true), 'Moabit', 'Moabix'),
        code: 'zip-crc-mismatch',
      },
      {
        what: 'Shapefile with an impossible first record',
        path: '/api/imports/areas?file=b.zip&layer=ortsteil&code=CODE&name=NAME',
        body: (() => {
          const p = shapefile(THREE);
          const shp = Buffer.from(p.shp);
          shp.writeInt32BE(1_000_000, 104);
          return shapefileZip({ ...p, shp });
        })(),
        code: 'shp-record-length',
      },
      {
        what: 'hexadecimal scale in a CSV catalogue',
        path: '/api/imports/indicators?file=k.csv',
        body: 'key;name;unit;type;scale\nquote;Quote;%;ratio;0x10\n',
        code: 'bad-number',
        line: true,
      },
      {
        what: 'a 101-character key',
        path: '/api/imports/indicators?file=k.json',
        body: JSON.stringify({ indicators: [{ key: 'k'.repeat(101), name: 'Lang', unit: 'Personen', type: 'count' }] }),
        code: 'invalid-indicator',
        line: true,
      },
      {
        what: 'a lone surrogate in an area name',
        path: '/api/imports/areas?file=a.geojson&layer=ortsteil',
        body: featureCollection([{ code: '1', name: 'Mitte', geometry: square(13.3, 52.5, 0.01) }]).replace(
          'Mitte',
          'Mi\\ud800tte',
        ),
        code: 'lone-surrogate',
        line: true,
      },
      {
        what: 'an unclosed ring',
        path: '/api/imports/areas?file=a.geojson&layer=ortsteil',
        body: featureCollection([
          {
            code: '1',
            name: 'Mitte',
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [13.3, 52.5],
                  [13.31, 52.5],
                  [13.31, 52.51],
                  [13.3, 52.51],
                ],
              ],
            },
          },
        ]),
        code: 'ring-not-closed',
      },
      {
        what: 'invalid JSON',
        path: '/api/imports/indicators?file=k.json',
        body: '{"indicators": [\n  {"key": "a",\n  "name": }\n]}',
        code: 'bad-json',
        line: true,
      },
    ];
    for (const c of cases) {
      const r = await post(c.path, c.body);
      assert.equal(r.status, 400, `${c.what}: ${JSON.stringify(r.body).slice(0, 300)}`);
      const p = r.body.problems?.find((x) => x.code === c.code);
      assert.ok(p, `${c.what}: expected ${c.code} in ${JSON.stringify(r.body.problems?.map((x) => x.code))}`);
      if (c.line) assert.ok(typeof p.line === 'number', `${c.what}: the problem names its line`);
      await healthy();
    }
    const layers = await (await fetch(`${srv.base}/api/layers`)).json();
    assert.deepEqual(layers.layers, [], 'no layer was created');
  });

  test('an import for another layer with a later period leaves a layer’s default period alone', async () => {
    const ok = (r: { status: number; body: unknown }) =>
      assert.equal(r.status, 200, JSON.stringify(r.body).slice(0, 300));
    ok(
      await post(
        '/api/imports/areas?file=t.geojson&layer=teil',
        featureCollection([
          { code: '01', name: 'Nord', geometry: square(13.3, 52.5, 0.01) },
          { code: '02', name: 'Süd', geometry: square(13.3, 52.49, 0.01) },
        ]),
      ),
    );
    ok(
      await post(
        '/api/imports/areas?file=s.geojson&layer=schulbezirk&overlay=true',
        featureCollection([{ code: 'S1', name: 'Schule', geometry: square(13.3, 52.49, 0.02) }]),
      ),
    );
    ok(
      await post(
        '/api/imports/indicators',
        JSON.stringify({
          indicators: [{ key: 'kinder', name: 'Kinder', unit: 'Personen', type: 'count', confidentiality: 'public' }],
        }),
        'application/json',
      ),
    );
    ok(
      await post(
        '/api/imports/observations?file=t.csv&layer=teil',
        'indicator;area;period;value\nkinder;01;31.12.2022;10\nkinder;02;31.12.2022;20\n',
        'text/csv',
      ),
    );
    ok(
      await post(
        '/api/imports/observations?file=s.csv&layer=schulbezirk',
        'indicator;area;period;value\nkinder;S1;31.12.2024;30\n',
        'text/csv',
      ),
    );
    const r = await (await fetch(`${srv.base}/api/observations?indicator=kinder&layer=teil`)).json();
    assert.equal(r.period.key, '2022-12-31');
    assert.deepEqual(
      r.values.map((v: { value: number }) => v.value),
      [10, 20],
    );
    await healthy();
  });

  test('bad session cookies count as no session', async () => {
    for (const cookie of ['km_session=%', 'km_session=%ff%fe', 'km_session=%E0%A4%A', 'km_session=%00']) {
      const r = await fetch(`${srv.base}/api/layers`, { headers: { Cookie: cookie } });
      assert.equal(r.status, 200, cookie);
    }
    await healthy();
  });

  test('NUL in a path or parameter is 400 with a message', async () => {
    for (const path of [
      '/api/layers/X/areas/%00/profile',
      '/api/audit?actor=%00',
      '/api/tokens?user=%00',
      '/api/facilities?area=%00',
      '/api/timeseries?indicator=a&layer=b&area=%00',
      '/api/layers/stadt%00teil/areas',
    ]) {
      const r = await fetch(`${srv.base}${path}`, { headers: bearer(srv.tokens.admin) });
      assert.equal(r.status, 400, path);
      assert.match((await r.json()).message, /NUL/);
    }
    await healthy();
  });

  test('NUL, alias bombs and deep nesting in uploaded files are 4xx', async () => {
    const nul = await fetch(`${srv.base}/api/imports/indicators`, {
      method: 'POST',
      headers: { ...bearer(srv.tokens.admin), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        indicators: [{ key: 'nul_probe', name: 'Probe\u0000', unit: 'Personen', type: 'count' }],
      }),
    });
    assert.equal(nul.status, 400, await nul.clone().text());
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghi'.split('').map(
        (c, i) =>
          `${c}: &${c} [${Array(9)
            .fill('*' + 'abcdefghi'[i])
            .join(',')}]`,
      ),
      'indicators: [*i]',
    ].join('\n');
    const yaml = await fetch(`${srv.base}/api/imports/indicators?file=k.yaml`, {
      method: 'POST',
      headers: { ...bearer(srv.tokens.admin), 'Content-Type': 'application/yaml' },
      body: bomb,
    });
    assert.ok(yaml.status >= 400 && yaml.status < 500, `alias bomb: ${yaml.status}`);
    let deep = '0';
    for (let i = 0; i < 5000; i++) deep = `[${deep}]`;
    const geo = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"1","name":"a"},"geometry":{"type":"Polygon","coordinates":${deep}}}]}`;
    const g = await fetch(`${srv.base}/api/imports/areas?file=x.geojson&layer=tief`, {
      method: 'POST',
      headers: { ...bearer(srv.tokens.admin), 'Content-Type': 'application/geo+json' },
      body: geo,
    });
    assert.ok(g.status >= 400 && g.status < 500, `deep GeoJSON: ${g.status}`);
    await healthy();
  });

  test('a handler that throws is a logged 500 for its own request; escaped errors are logged and the server goes on', async () => {
    for (const kind of ['throw', 'reject']) {
      const r = await fetch(`${srv.base}/api/_faults/${kind}?secret=geheim`);
      assert.equal(r.status, 500);
      const body = await r.json();
      assert.match(body.message, /logged with the id [0-9a-f]{12}/);
      await healthy();
      const line = srv
        .stderr()
        .split('\n')
        .find((l) => l.includes(body.id));
      assert.ok(line, 'the error is in the log under the id the client was told');
      assert.equal(JSON.parse(line).route, `/api/_faults/${kind}`);
      assert.ok(!line.includes('geheim'), 'the query string stays out of the log');
    }
    assert.equal((await fetch(`${srv.base}/api/_faults/escape`)).status, 200);
    await new Promise((r) => setTimeout(r, 200));
    await healthy();
    assert.match(srv.stderr(), /"origin":"uncaughtException"/);
    assert.match(srv.stderr(), /"origin":"unhandledRejection"/);
  });
});
