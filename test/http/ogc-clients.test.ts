// The OGC API – Features read by the real clients from Debian's packages, against a real server
// process: GDAL (gdal-bin: ogrinfo lists every public collection with its feature count, ogr2ogr
// pages through the next links, a token in a header opens the internal ones) and QGIS
// (python3-qgis, headless: the OAPIF provider opens layers as valid with the right feature count,
// fields and extent, and the items in EPSG:25832 open as an EPSG:25832 layer with the extent
// QGIS's own transform gives). Skipped with the missing component named; under CI
// (KOMMUNALMONITOR_REQUIRE_COMPONENTS=1) a missing client is a failure.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startOgcServer, BLOCKS, type OgcServer } from '../helpers/ogc-server.ts';
import { REQUIRE_COMPONENTS } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';

/** Debian's Python (the QGIS bindings are installed for it, not for other Pythons on the PATH); KOMMUNALMONITOR_QGIS_PYTHON points elsewhere. */
const PYTHON =
  process.env.KOMMUNALMONITOR_QGIS_PYTHON || (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');

function missing(command: string, args: string[], what: string): string | undefined {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? undefined : `skipped: ${what} is not installed`;
}
const GDAL_MISSING = missing('ogrinfo', ['--version'], 'ogrinfo (gdal-bin)');
const QGIS_MISSING = missing(PYTHON, ['-c', 'import qgis.core'], 'python3-qgis (the QGIS Python bindings)');
const gate = (why: string | undefined): { skip?: string } => (why && !REQUIRE_COMPONENTS ? { skip: why } : {});

/** The public collections and their feature counts (test/helpers/ogc-server.ts). */
const PUBLIC: Record<string, number> = {
  bezirk: 3,
  'bezirk-initial': 2,
  'bezirk-2022-01-01': 3,
  block: BLOCKS,
  'block-initial': BLOCKS,
  'einwohner.block': BLOCKS,
};

function run(command: string, args: string[], env: Record<string, string> = {}): { out: string; err: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 300_000, env: { ...process.env, ...env } });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `${command} ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
  return { out: r.stdout, err: r.stderr };
}

/** Layer name → feature count from `ogrinfo -so -al`. */
function counts(ogrinfo: string): Record<string, number> {
  const out: Record<string, number> = {};
  let layer = '';
  for (const line of ogrinfo.split('\n')) {
    const name = /^Layer name: (.+)$/.exec(line);
    if (name) layer = name[1].trim();
    const count = /^Feature Count: (\d+)$/.exec(line);
    if (count) out[layer] = Number(count[1]);
  }
  return out;
}

describe('OGC API – Features with the real clients', () => {
  let server: OgcServer | undefined;
  let url: string;
  const needed = !GDAL_MISSING || !QGIS_MISSING || REQUIRE_COMPONENTS;
  before(async () => {
    if (!needed) return;
    server = await startOgcServer();
    url = `${server.base}/ogc`;
  });
  after(async () => {
    await server?.stop();
  });

  describe('GDAL', gate(GDAL_MISSING), () => {
    test('ogrinfo lists every public collection with its feature count, and no other', () => {
      if (GDAL_MISSING) assert.fail(GDAL_MISSING);
      const { out } = run('ogrinfo', ['-ro', '-so', '-al', `OAPIF:${url}`]);
      assert.deepEqual(counts(out), PUBLIC);
    });

    test('ogrinfo with an API token in a header lists the internal collection too', () => {
      if (GDAL_MISSING) assert.fail(GDAL_MISSING);
      const { out } = run('ogrinfo', [
        '-ro',
        '-so',
        '-al',
        '--config',
        'GDAL_HTTP_HEADERS',
        `Authorization: Bearer ${server!.tokens.viewer}`,
        `OAPIF:${url}`,
      ]);
      assert.deepEqual(counts(out), { ...PUBLIC, 'intern_faelle.bezirk': 3 });
    });

    test('ogr2ogr pages through the next links (page size 5) and copies every feature with its values', () => {
      if (GDAL_MISSING) assert.fail(GDAL_MISSING);
      const tmp = tempDir();
      try {
        for (const layer of ['block', 'einwohner.block']) {
          const file = join(tmp.dir, `${layer}.geojson`);
          const { err } = run('ogr2ogr', ['-f', 'GeoJSON', file, `OAPIF:${url}`, layer, '-oo', 'PAGE_SIZE=5'], {
            CPL_DEBUG: 'ON',
          });
          const fetches = err
            .split('\n')
            .filter((l) => l.includes(`Fetch(${url}/collections/${layer}/items`) && /offset=\d+/.test(l));
          assert.ok(fetches.length >= 3, `${layer}: followed ${fetches.length} next links:\n${err}`);
          const copied = JSON.parse(readFileSync(file, 'utf8'));
          assert.equal(copied.features.length, BLOCKS, layer);
          assert.equal(
            new Set(copied.features.map((f: { properties: { code: string } }) => f.properties.code)).size,
            BLOCKS,
          );
          if (layer === 'einwohner.block') {
            const b01 = copied.features.find(
              (f: { properties: { code: string } }) => f.properties.code === 'B01',
            ).properties;
            assert.equal(b01.value, null, 'the suppressed value stays withheld');
            assert.equal(b01.symbol, '.');
            const b25 = copied.features.find(
              (f: { properties: { code: string } }) => f.properties.code === 'B25',
            ).properties;
            assert.equal(b25.value, 35);
          }
        }
        // A query on the dataset URL is sent with every request: here it picks the period.
        const file = join(tmp.dir, 'einwohner-2023.geojson');
        run('ogr2ogr', ['-f', 'GeoJSON', file, `OAPIF:${url}?period=2023`, 'einwohner.block']);
        const b01 = JSON.parse(readFileSync(file, 'utf8')).features.find(
          (f: { properties: { code: string } }) => f.properties.code === 'B01',
        ).properties;
        assert.deepEqual([b01.period, b01.value], ['2023', 101]);
      } finally {
        tmp.cleanup();
      }
    });
  });

  describe('QGIS', gate(QGIS_MISSING), () => {
    test('the OAPIF provider opens layers as valid with feature count and extent; EPSG:25832 as well', (t) => {
      if (QGIS_MISSING) assert.fail(QGIS_MISSING);
      const { out } = run(PYTHON, [resolve('test/helpers/qgis-oapif.py'), url], { QT_QPA_PLATFORM: 'offscreen' });
      const r = JSON.parse(out.trim().split('\n').pop()!);
      t.diagnostic(`QGIS ${r.qgis}`);
      const near = (a: number[], b: number[], tol: number, what: string) =>
        a.forEach((v, k) => assert.ok(Math.abs(v - b[k]) <= tol, `${what}: ${a} vs ${b}`));
      for (const [name, count, extent] of [
        ['block', BLOCKS, [15, 52, 15.1, 52.1]],
        ['einwohner.block', BLOCKS, [15, 52, 15.1, 52.1]],
        ['bezirk', 3, [15, 52, 15.3, 52.1]],
      ] as const) {
        const l = r.layers[name];
        assert.equal(l.valid, true, `${name}: ${l.error}`);
        assert.equal(l.featureCount, count, name);
        assert.equal(l.fetched, count, name);
        assert.equal(l.crs, 'EPSG:4326', name);
        near(l.extent, [...extent], 1e-9, name);
      }
      assert.equal(r.layers['einwohner.block'].fields.value, 'Real');
      assert.equal(r.layers['einwohner.block'].fields.status, 'String');
      // The items in EPSG:25832: a layer in EPSG:25832 whose extent is what QGIS's own transform
      // (PROJ) makes of the CRS84 layer, to the centimetre.
      const utm = r.layers['block@25832'];
      assert.equal(utm.valid, true, utm.error);
      assert.equal(utm.crs, 'EPSG:25832');
      assert.equal(utm.featureCount, BLOCKS);
      near(utm.extent, r.layers.block.extent25832, 0.02, 'EPSG:25832 extent');
      const srs = r.layers['block@oapif-srsname'];
      assert.equal(srs.valid, true);
      assert.equal(srs.featureCount, BLOCKS);
      if (srs.crs === 'EPSG:25832') near(srs.extent, r.layers.block.extent25832, 0.02, 'OAPIF srsname extent');
      else
        t.diagnostic(
          `QGIS ${r.qgis}: the OAPIF provider does not ask for other CRSs (srsname gave ${srs.crs}); EPSG:25832 checked through the OGR provider`,
        );
    });
  });
});
