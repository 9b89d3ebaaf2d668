// The command line on an embedded data directory: register versions (import with --valid-from and
// --residents, `addresses versions`, `match addresses --at`) and crosswalk / congruence with
// --population-source addresses.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { run } from '../helpers/cli.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';

const half = (x: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [x, 50],
      [x + 0.05, 50],
      [x + 0.05, 50.1],
      [x, 50.1],
      [x, 50],
    ],
  ],
});

describe('kommunalmonitor CLI: address register versions and address-point weights', () => {
  const tmp = tempDir();
  const g = ['--data-dir', join(tmp.dir, 'data')];
  before(() => {
    tmp.file(
      'alt.geojson',
      featureCollection([
        { code: '01', name: 'West', geometry: square(8, 50, 0.1) },
        { code: '02', name: 'Ost', geometry: square(8.1, 50, 0.1) },
      ]),
    );
    tmp.file(
      'neu.geojson',
      featureCollection([
        { code: '01', name: 'Westwest', geometry: half(8) },
        { code: '03', name: 'Westost', geometry: half(8.05) },
        { code: '02', name: 'Ost', geometry: square(8.1, 50, 0.1) },
      ]),
    );
    tmp.file(
      'reg2020.csv',
      [
        'Straße;Hausnummer;lon;lat;EW',
        'Lindenweg;1;8,02;50,05;30',
        'Lindenweg;3;8,07;50,05;10',
        'Bahnhofstraße;10;8,12;50,05;5',
      ].join('\n'),
    );
    tmp.file(
      'reg2022.csv',
      [
        'Straße;Hausnummer;lon;lat',
        'Lindenweg;1;8,02;50,05',
        'Lindenweg;3;8,07;50,05',
        'Lindenweg;5;8,03;50,02',
        'Lindenweg;7;8,04;50,08',
      ].join('\n'),
    );
    tmp.file('form.csv', ['Anschrift', 'Bahnhofstraße 10', 'Lindenweg 7'].join('\n'));
  });
  after(() => tmp.cleanup());

  test('versions, matching at a date, crosswalk and congruence from address points', async () => {
    let r = await run([...g, 'import', 'areas', join(tmp.dir, 'alt.geojson'), '--layer', 'teil']);
    assert.equal(r.code, 0, r.err);
    r = await run([
      ...g,
      'import',
      'areas',
      join(tmp.dir, 'neu.geojson'),
      '--layer',
      'teil',
      '--valid-from',
      '2021-01-01',
    ]);
    assert.equal(r.code, 0, r.err);

    r = await run([...g, 'addresses', 'versions']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /The address register is empty/);

    r = await run([
      ...g,
      'import',
      'addresses',
      join(tmp.dir, 'reg2020.csv'),
      '--residents',
      'EW',
      '--valid-from',
      '2020-01-01',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /Imported 3 addresses \(2 streets, 3 with coordinates in EPSG:4326, 45 residents from the column EW\) as the register version valid from 2020-01-01\. 1 version\(s\) stored\./,
    );
    r = await run([...g, 'import', 'addresses', join(tmp.dir, 'reg2022.csv'), '--valid-from', '2022-01-01']);
    assert.equal(r.code, 0, r.err);
    r = await run([...g, 'import', 'addresses', join(tmp.dir, 'reg2022.csv'), '--valid-from', '2022-01-01']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /already holds these 4 addresses: nothing was changed/);
    r = await run([...g, 'import', 'addresses', join(tmp.dir, 'reg2022.csv'), '--residents', 'EW']);
    assert.equal(r.code, 1);
    assert.match(r.err, /EW/);

    r = await run([...g, 'addresses', 'versions']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.match(lines[0], /valid from\s+until\s+addresses\s+streets\s+with coordinates\s+residents\s+file/);
    assert.match(r.out, /2020-01-01\s+2021-12-31\s+3\s+2\s+3\s+45 \(EW\)\s+reg2020\.csv/);
    assert.match(r.out, /2022-01-01\s+4\s+1\s+4\s+—\s+reg2022\.csv/);
    r = await run([...g, '--json', 'addresses', 'versions']);
    assert.deepEqual(
      JSON.parse(r.out).map((v: { validFrom: string }) => v.validFrom),
      ['2020-01-01', '2022-01-01'],
    );

    r = await run([...g, 'match', 'addresses', join(tmp.dir, 'form.csv'), '--at', '2021-06-30']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Bahnhofstraße 10;matched;/m);
    assert.match(r.out, /^Lindenweg 7;unmatched;/m);
    assert.match(r.err, /version valid from 2020-01-01 until 2021-12-31/);
    r = await run([...g, 'match', 'addresses', join(tmp.dir, 'form.csv')]);
    assert.match(r.out, /^Bahnhofstraße 10;unmatched;/m);
    assert.match(r.out, /^Lindenweg 7;matched;/m);

    r = await run([
      ...g,
      'crosswalk',
      '--from',
      'teil@2020-12-31',
      '--to',
      'teil@2021-01-01',
      '--weights',
      'population',
      '--population-source',
      'addresses',
      '--register-at',
      '2020-06-30',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'from;to;weight\n01;01;0,75\n01;03;0,25\n02;02;1\n');
    assert.match(
      r.err,
      /NOTE: population weights from 3 address points of the register valid from 2020-01-01, weighted by their residents \(45\)/,
    );
    // Newest version: one per address; Ost has no address point and falls back to area weights.
    r = await run([
      ...g,
      'crosswalk',
      '--from',
      'teil@2020-12-31',
      '--to',
      'teil@2021-01-01',
      '--weights',
      'population',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'from;to;weight\n01;01;0,75\n01;03;0,25\n02;02;1\n');
    assert.match(
      r.err,
      /4 address points .* each counted once \(dwelling proxy.*1 from-area\(s\) without population use area weights: 02/,
    );
    r = await run([...g, 'congruence', 'teil@2020-12-31', 'teil@2021-01-01', '--population-source', 'addresses']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /NOTE: population weights from 4 address points/);
    assert.match(r.out, /Congruence \(population basis\)/);
    assert.match(r.out, /^02\s+—\s+0 %/m, 'an area without address points has no population to share');
    r = await run([
      ...g,
      'crosswalk',
      '--from',
      'teil@2020-12-31',
      '--to',
      'teil',
      '--weights',
      'population',
      '--population-source',
      'finer-layer',
    ]);
    assert.equal(r.code, 1);
    assert.match(r.err, /einwohner/);
  });
});
