// `assign points` through the CLI (issue 12, items 1, 2 and 5): a GeoJSON file of schools that
// declares EPSG:25833 and has a "bezirk" attribute while the layer key is "bezirk"; the output
// columns never collide; tables stream in batches and an error leaves no half-written file.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../helpers/cli.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';

const SCHOOLS = JSON.stringify({
  type: 'FeatureCollection',
  name: 'schulen',
  crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::25833' } },
  features: [
    {
      type: 'Feature',
      properties: { bsn: '01Y01', schulname: 'Gymnasium am Rathaus', schulart: 'Gymnasium', bezirk: 'Mitte' },
      geometry: { type: 'Point', coordinates: [392_060.4, 5_820_110.2] },
    },
    {
      type: 'Feature',
      properties: { bsn: '01G02', schulname: 'Grundschule; am Tiergarten', schulart: 'Grundschule', bezirk: 'Mitte' },
      geometry: { type: 'Point', coordinates: [385_640, 5_818_460] },
    },
    {
      type: 'Feature',
      properties: { bsn: '08K03', schulname: 'Sekundarschule Neukölln', schulart: 'ISS', bezirk: 'Neukölln' },
      geometry: { type: 'Point', coordinates: [400_930, 5_808_480] },
    },
  ],
});

describe('assign points (CLI, embedded database)', () => {
  const tmp = tempDir();
  const dataDir = join(tmp.dir, 'data');
  const g = ['--data-dir', dataDir];
  before(async () => {
    // Two Bezirke in WGS84: Mitte (13.30–13.50, 52.48–52.68), Neukölln (13.50–13.70, 52.30–52.50).
    tmp.file(
      'bezirke.geojson',
      featureCollection([
        { code: '01', name: 'Mitte', geometry: square(13.3, 52.48, 0.2) },
        { code: '08', name: 'Neukölln', geometry: square(13.5, 52.3, 0.2) },
      ]),
    );
    const r = await run([...g, 'import', 'areas', join(tmp.dir, 'bezirke.geojson'), '--layer', 'bezirk']);
    assert.equal(r.code, 0, r.err);
  });
  after(() => tmp.cleanup());

  test('the layer key equals an input column: refused with the collision named, nothing written', async () => {
    const file = tmp.file('schulen.geojson', SCHOOLS);
    const output = join(tmp.dir, 'zugeordnet.csv');
    const r = await run([...g, 'assign', 'points', file, '--output', output]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /schulen\.geojson, line 1, column bezirk: the added column "bezirk" \(the area code of layer "bezirk"\) would have the name of the input column "bezirk"/,
    );
    assert.match(r.err, /HINT: give the added columns a prefix, e.g. --column-prefix km_/);
    assert.equal(existsSync(output), false);
    assert.deepEqual(
      readdirSync(tmp.dir).filter((f) => f.includes('.part-')),
      [],
      'no temporary file left',
    );
  });

  test('the declared EPSG:25833 is used; with a prefix the added column is distinct', async () => {
    const file = tmp.file('schulen.geojson', SCHOOLS);
    const r = await run([...g, 'assign', 'points', file, '--column-prefix', 'gebiet_']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n');
    assert.equal(lines[0], 'bsn;schulname;schulart;bezirk;gebiet_bezirk');
    assert.deepEqual(lines.slice(1), [
      '01Y01;Gymnasium am Rathaus;Gymnasium;Mitte;01',
      '01G02;"Grundschule; am Tiergarten";Grundschule;Mitte;01',
      '08K03;Sekundarschule Neukölln;ISS;Neukölln;08',
    ]);
    assert.doesNotMatch(r.err, /outside every area/);
  });

  test('--crs contradicting the file, and metres given as degrees, are errors', async () => {
    const file = tmp.file('schulen.geojson', SCHOOLS);
    let r = await run([...g, 'assign', 'points', file, '--crs', 'EPSG:25832', '--column-prefix', 'gebiet_']);
    assert.equal(r.code, 1);
    assert.match(r.err, /contradicts the CRS the file declares, urn:ogc:def:crs:EPSG::25833 \(EPSG:25833\)/);
    const csv = tmp.file('schulen.csv', 'BSN;Rechtswert;Hochwert\n01Y01;392060,4;5820110,2\n');
    r = await run([...g, 'assign', 'points', csv, '--x', 'Rechtswert', '--y', 'Hochwert']);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /schulen\.csv, line 2, column Rechtswert: the point in line 2: coordinates \(392060.4, 5820110.2\) are outside ±180\/±90 degrees/,
    );
    assert.equal(r.out, '', 'nothing written before the first point was checked');
    r = await run([...g, 'assign', 'points', csv, '--x', 'Rechtswert', '--y', 'Hochwert', '--crs', 'EPSG:25833']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'BSN;Rechtswert;Hochwert;bezirk\n01Y01;392060,4;5820110,2;01\n');
  });

  test('a large table streams through in batches, in order, with the codes of every point', async () => {
    const n = 30_000;
    const rows = ['nr;lon;lat'];
    for (let i = 0; i < n; i++)
      rows.push(i % 3 === 0 ? `${i};13.40;52.50` : i % 3 === 1 ? `${i};13.60;52.40` : `${i};12.00;52.00`);
    const output = join(tmp.dir, 'gross-out.csv');
    const r = await run([...g, 'assign', 'points', tmp.file('gross.csv', rows.join('\n') + '\n'), '--output', output]);
    assert.equal(r.code, 0, r.err);
    const lines = readFileSync(output, 'utf8').trim().split('\n');
    assert.equal(lines.length, n + 1);
    assert.equal(lines[0], 'nr;lon;lat;bezirk');
    for (let i = 0; i < n; i += 997) assert.equal(lines[i + 1], `${rows[i + 1]};${['01', '08', ''][i % 3]}`);
    assert.match(r.err, /10000 of 30000 points lie outside every area of "bezirk"/);
    assert.match(r.err, /Wrote 30000 points with the area codes of bezirk/);
  });

  test('an error late in the file leaves no output file', async () => {
    const rows = ['nr;lon;lat'];
    for (let i = 0; i < 20_000; i++) rows.push(`${i};13.40;52.50`);
    rows.push('20000;13,40;nördlich');
    const output = join(tmp.dir, 'spaet-out.csv');
    const r = await run([...g, 'assign', 'points', tmp.file('spaet.csv', rows.join('\n') + '\n'), '--output', output]);
    assert.equal(r.code, 1);
    assert.match(r.err, /spaet\.csv, line 20002, column lat: not a number \(value "nördlich"\)/);
    assert.equal(existsSync(output), false);
    assert.deepEqual(
      readdirSync(tmp.dir).filter((f) => f.includes('.part-')),
      [],
    );
  });
});
