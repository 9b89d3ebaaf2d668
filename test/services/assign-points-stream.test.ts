// assign points streams plain CSV lines as bytes (formats/points.ts, plainLines) and every other
// line through the table reader. The two must be indistinguishable: for every kind of file, the
// output with the byte path equals the output without it, byte for byte, and so do the errors.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { openPoints, type PointReadOptions } from '../../src/formats/points.ts';
import { assignPointStream, type LayerPointIndex } from '../../src/services/assign-points.ts';
import { PointIndex } from '../../src/core/geo/point-index.ts';
import { InputRejected } from '../../src/core/problems.ts';
import { tempDir, square } from '../helpers/files.ts';

const tmp = tempDir();
after(() => tmp.cleanup());

// Two areas side by side in WGS84, and two in EPSG:25833 metres.
const WGS = [
  {
    layer: 'bezirk',
    validFrom: null,
    codes: ['01', '0;2'],
    index: PointIndex.build([square(13.3, 52.4, 0.1), square(13.4, 52.4, 0.1)]),
  },
];
const UTM = [
  {
    layer: 'bezirk',
    validFrom: null,
    codes: ['01', '02'],
    index: PointIndex.build([square(13.3, 52.4, 0.1), square(13.4, 52.4, 0.1)]),
  },
];

async function assign(
  path: string,
  o: Partial<PointReadOptions>,
  raw: boolean,
  indexes: LayerPointIndex[] = WGS,
): Promise<{ text?: string; error?: string; rawBatches: number; points?: number }> {
  const chunks: Buffer[] = [];
  let rawBatches = 0;
  try {
    const points = await openPoints(path, { file: 'punkte.csv', ...o, rawLines: raw });
    const counted = {
      ...points,
      batches: {
        async *[Symbol.asyncIterator]() {
          for await (const b of points.batches) {
            if (b.raw) rawBatches++;
            yield b;
          }
        },
      },
    };
    const r = await assignPointStream(counted, indexes, {
      prefixOption: '--column-prefix',
      columnPrefix: 'km_',
      write: (c) => chunks.push(Buffer.from(c)),
    });
    return { text: Buffer.concat(chunks).toString('utf8') + JSON.stringify(r), rawBatches, points: r.points };
  } catch (e) {
    if (!(e instanceof InputRejected)) throw e;
    return { error: JSON.stringify(e.problems), rawBatches };
  }
}

/** The same file with and without the byte path: equal results; returns how many byte batches there were. */
async function same(
  name: string,
  content: string | Buffer,
  o: Partial<PointReadOptions> = {},
  indexes?: LayerPointIndex[],
) {
  const path = tmp.file(name, content);
  const general = await assign(path, o, false, indexes);
  const bytes = await assign(path, o, true, indexes);
  assert.equal(general.rawBatches, 0);
  assert.equal(bytes.error, general.error, `${name}: errors`);
  assert.equal(bytes.text, general.text, `${name}: output`);
  return bytes;
}

function lines(n: number, f: (i: number) => string): string {
  let s = '';
  for (let i = 0; i < n; i++) s += f(i) + '\n';
  return s;
}
const lon = (i: number) => (13.3 + ((i * 7919) % 2000) / 10_000).toFixed(7);
const lat = (i: number) => (52.4 + ((i * 104_729) % 1000) / 10_000).toFixed(7);

test('plain lines over several chunks: read as bytes, written as the table reader would', async () => {
  const r = await same('gross.csv', 'nr;lon;lat\n' + lines(90_000, (i) => `${i};${lon(i)};${lat(i)}`));
  assert.equal(r.points, 90_000);
  assert.ok(r.rawBatches >= 2, `${r.rawBatches} byte batches`);
});

test('BOM, CRLF, empty lines, umlauts, a last line without line break, decimal commas', async () => {
  const body = lines(3000, (i) => `${i};Schule Nr. ${i} in Neukölln;${lon(i).replace('.', ',')};${lat(i)}`).replace(
    /\n/g,
    '\r\n',
  );
  const r = await same('crlf.csv', '\uFEFF\r\n\r\nnr;name;x;y\r\n' + body + '\r\n\r\n7;Straße;13,35;52,45');
  assert.ok(r.rawBatches >= 1);
  assert.equal(r.points, 3001);
});

test('a quoted line, an empty first cell, a blank-led line and spaces late in the file: the table reader goes on from there', async () => {
  const head = 'nr;name;lon;lat\n' + lines(40_000, (i) => `${i};a;${lon(i)};${lat(i)}`);
  for (const odd of [
    '5;"Schule; am Park";13.35;52.45',
    ';leer;13.35;52.45',
    ' 6;b;13.35;52.45',
    '7;b; 13.35;52.45',
    '8;b;+13.35;52.45',
    '9;b;13.35e0;52.45',
    '10;b;13.35 ;52.45',
    '11;b;13,35;52.45',
    '12;b;-0;52.45',
  ]) {
    const r = await same('spaet.csv', head + odd + '\n' + lines(10, (i) => `${i};c;${lon(i)};${lat(i)}`));
    assert.ok(r.rawBatches >= 1, odd);
    assert.equal(r.points, 40_011, `${odd}: ${r.error}`);
  }
});

test('other delimiters: "," with a ";" in a cell, and tabs', async () => {
  await same(
    'komma.csv',
    'nr,name,lon,lat\n' + lines(2000, (i) => `${i},Kita ${i}; Haus ${i % 3},${lon(i)},${lat(i)}`),
  );
  await same('tab.tsv', 'nr\tname\tlon\tlat\n' + lines(2000, (i) => `${i}\tKita ${i}\t${lon(i)}\t${lat(i)}`));
});

test('errors late in the file are the table reader’s: wrong number of cells, a bad coordinate, NUL, a point outside the CRS', async () => {
  const head = 'nr;lon;lat\n' + lines(50_000, (i) => `${i};${lon(i)};${lat(i)}`);
  for (const bad of ['1;13.3', '2;13.3;52.4;x', '3;abc;52.4', '4;13.3;', '5;13.3;52\u00004', '6;392060;5820110']) {
    const r = await same('fehler.csv', head + bad + '\n' + lines(5, (i) => `${i};${lon(i)};${lat(i)}`));
    assert.ok(r.error, bad);
  }
});

test('projected coordinates, Windows-1252 and an encoding switch after plain ASCII', async () => {
  await same(
    'utm.csv',
    'nr;rechtswert;hochwert\n' + lines(2000, (i) => `${i};${(385_000 + i * 7).toFixed(1)};${5_810_000 + i * 3}`),
    { crs: 'EPSG:25833' },
    UTM,
  );
  // Windows-1252 from the first line: no byte path.
  await same(
    'ansi.csv',
    iconv.encode('nr;name;lon;lat\n' + lines(2000, (i) => `${i};Straße ${i};${lon(i)};${lat(i)}`), 'windows-1252'),
  );
  // ASCII for more than the 64 KiB the encoding is detected from, then a Windows-1252 "ß".
  const ascii = 'nr;name;lon;lat\n' + lines(5000, (i) => `${i};Strasse;${lon(i)};${lat(i)}`);
  const r = await same(
    'spaet-ansi.csv',
    Buffer.concat([
      Buffer.from(ascii),
      iconv.encode('9;Straße;13.35;52.45\n', 'windows-1252'),
      Buffer.from(lines(3, (i) => `${i};x;${lon(i)};${lat(i)}`)),
    ]),
  );
  assert.ok(r.rawBatches >= 1);
  assert.equal(r.points, 5004);
});

test('a header only, a header with quotes, a file without line break after the header', async () => {
  await same('leer.csv', 'nr;lon;lat\n');
  await same('leer2.csv', 'nr;lon;lat');
  const r = await same('kopf.csv', '"nr";"lon";"lat"\n' + lines(100, (i) => `${i};${lon(i)};${lat(i)}`));
  assert.equal(r.rawBatches, 0);
});
