// Point files (src/formats/points.ts): the CRS a GeoJSON file declares, --crs checked against
// it, and coordinates that cannot be in the CRS (issue 12, item 1) — with files shaped like a
// city's open-data export of schools.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { openPoints, readPoints } from '../../src/formats/points.ts';
import { InputRejected } from '../../src/core/problems.ts';
import { tempDir } from '../helpers/files.ts';

const tmp = tempDir();
after(() => tmp.cleanup());

/** Schools as Berlin's open-data portal exports them: UTM zone 33 metres, a "crs" member, a "bezirk" attribute. */
function schools(
  crs: unknown,
  coordinates: [number, number][] = [
    [392_060, 5_820_110],
    [385_640, 5_818_460],
    [400_930, 5_808_480],
  ],
): string {
  const names = ['Gymnasium am Rathaus', 'Grundschule am Tiergarten', 'Sekundarschule Neukölln'];
  return JSON.stringify({
    type: 'FeatureCollection',
    name: 'schulen',
    ...(crs === undefined ? {} : { crs }),
    features: coordinates.map((c, i) => ({
      type: 'Feature',
      properties: {
        bsn: `0${i + 1}Y0${i}`,
        schulname: names[i % 3],
        schulart: 'Gymnasium',
        bezirk: ['Mitte', 'Mitte', 'Neukölln'][i % 3],
        ortsteil: 'Mitte',
      },
      geometry: { type: 'Point', coordinates: c },
    })),
  });
}
const named = (name: string) => ({ type: 'name', properties: { name } });

async function rejected(p: Promise<unknown>): Promise<InputRejected> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputRejected) return e;
    throw e;
  }
  assert.fail('expected the file to be rejected');
}

describe('GeoJSON points: the declared CRS', () => {
  for (const spelling of ['EPSG:25833', 'urn:ogc:def:crs:EPSG::25833', 'http://www.opengis.net/def/crs/EPSG/0/25833']) {
    test(`"crs": ${spelling} is taken from the file`, async () => {
      const p = await readPoints(tmp.file('schulen.geojson', schools(named(spelling))), { file: 'schulen.geojson' });
      assert.equal(p.crs, 'EPSG:25833');
      assert.deepEqual(p.columns, ['bsn', 'schulname', 'schulart', 'bezirk', 'ortsteil']);
      // Near the Rotes Rathaus: lon 13.41, lat 52.52.
      assert.ok(Math.abs(p.xs[0] - 13.41) < 0.01 && Math.abs(p.ys[0] - 52.52) < 0.01, `${p.xs[0]}, ${p.ys[0]}`);
    });
  }

  test('the old {"type": "EPSG"} form, and --crs agreeing in another spelling', async () => {
    const s = await openPoints(tmp.file('alt.geojson', schools({ type: 'EPSG', properties: { code: 25833 } })), {
      file: 'alt.geojson',
      crs: '25833',
    });
    assert.equal(s.crs, 'EPSG:25833');
    assert.equal(s.crsSource, 'option');
  });

  test('--crs contradicting the file is an error naming both', async () => {
    const e = await rejected(
      openPoints(tmp.file('schulen.geojson', schools(named('urn:ogc:def:crs:EPSG::25833'))), {
        file: 'schulen.geojson',
        crs: 'EPSG:25832',
      }),
    );
    const p = e.problems.find((x) => x.code === 'crs-conflict')!;
    assert.ok(p, JSON.stringify(e.problems));
    assert.match(
      p.reason,
      /--crs EPSG:25832 \(EPSG:25832\) contradicts the CRS the file declares, urn:ogc:def:crs:EPSG::25833 \(EPSG:25833\)/,
    );
    assert.equal(p.line, 1);
  });

  test('metres in a file without a crs member (read as WGS84 degrees) name the first point and the likely CRS', async () => {
    const e = await rejected(readPoints(tmp.file('ohne.geojson', schools(undefined)), { file: 'ohne.geojson' }));
    assert.equal(e.problems.length, 1, 'one error: the first point that cannot be degrees');
    const p = e.problems[0];
    assert.equal(p.code, 'crs-mismatch');
    assert.match(p.reason, /^feature 1: coordinates \(392060, 5820110\) are outside ±180\/±90 degrees/);
    assert.match(p.reason, /WGS84 longitude\/latitude/);
    assert.match(p.hint!, /EPSG:25832 or EPSG:25833/);
  });

  test('degrees declared as metres, and one stray point among good ones, name that point', async () => {
    let e = await rejected(
      readPoints(tmp.file('grad.geojson', schools(named('EPSG:25833'), [[13.41, 52.52]])), { file: 'grad.geojson' }),
    );
    assert.match(
      e.problems[0].reason,
      /^feature 1: coordinates \(13.41, 52.52\) look like degrees, not metres of EPSG:25833/,
    );
    assert.match(e.problems[0].reason, /declared in the file/);
    e = await rejected(
      readPoints(
        tmp.file(
          'stray.geojson',
          schools(named('EPSG:25833'), [
            [392_060, 5_820_110],
            [385_640, 5_818_460],
            [13.38, 52.51],
          ]),
        ),
        { file: 'stray.geojson' },
      ),
    );
    assert.match(e.problems[0].reason, /^feature 3: /);
  });

  test('an unsupported or unreadable crs member is an error', async () => {
    let e = await rejected(openPoints(tmp.file('fr.geojson', schools(named('EPSG:2154'))), { file: 'fr.geojson' }));
    assert.equal(e.problems[0].code, 'unsupported-crs');
    e = await rejected(
      openPoints(tmp.file('bad.geojson', schools({ type: 'link', properties: { href: 'x' } })), {
        file: 'bad.geojson',
      }),
    );
    assert.equal(e.problems[0].code, 'bad-crs');
  });
});

describe('CSV points: x/y columns with a wrong --crs', () => {
  const csv = [
    'BSN;Schulname;bezirk;Rechtswert;Hochwert',
    '01Y01;Gymnasium am Rathaus;Mitte;392060,4;5820110,2',
    '08K02;Sekundarschule Neukölln;Neukölln;400930;5808480',
  ].join('\n');

  test('the right CRS reads, the default (degrees) names the first line', async () => {
    const p = await readPoints(tmp.file('schulen.csv', csv), { file: 'schulen.csv', crs: 'EPSG:25833' });
    assert.equal(p.rows.length, 2);
    assert.ok(Math.abs(p.xs[0] - 13.41) < 0.01);
    const e = await rejected(readPoints(tmp.file('schulen.csv', csv), { file: 'schulen.csv' }));
    assert.equal(e.problems.length, 1);
    assert.equal(e.problems[0].line, 2);
    assert.equal(e.problems[0].column, 'Rechtswert');
    assert.match(
      e.problems[0].reason,
      /^the point in line 2: coordinates \(392060.4, 5820110.2\) are outside ±180\/±90 degrees/,
    );
  });

  test('Gauss-Krüger zone 4 declared as zone 3, UTM with a zone prefix declared without', async () => {
    const gk = tmp.file('gk.csv', 'x;y\n4595000;5821000\n');
    assert.match(
      (await rejected(readPoints(gk, { file: 'gk.csv', crs: 'EPSG:31467' }))).problems[0].reason,
      /do not fit EPSG:31467/,
    );
    const prefixed = tmp.file('zone.csv', 'x;y\n33392060;5820110\n');
    const e = await rejected(readPoints(prefixed, { file: 'zone.csv', crs: 'EPSG:25833' }));
    assert.match(e.problems[0].hint!, /EPSG:5650/);
  });

  test('coordinates in every plain notation read as Number() reads them', async () => {
    const p = await readPoints(
      tmp.file('n.csv', 'x;y\n13.4495833;52.4409593\n+13.4;5.24e1\n13,4;52,5\n-0.0;0.\n .5 ;1.000000000000000001\n'),
      { file: 'n.csv' },
    );
    assert.deepEqual([...p.xs], [13.4495833, 13.4, 13.4, 0, 0.5]);
    assert.deepEqual([...p.ys], [52.4409593, 52.4, 52.5, 0, 1]);
    assert.ok(Object.is(p.xs[3], 0), 'no negative zero');
    const hex = await rejected(readPoints(tmp.file('h.csv', 'x;y\n0x1A;52\nInfinity;52\n'), { file: 'h.csv' }));
    assert.deepEqual(
      hex.problems.map((x) => x.line),
      [2, 3],
    );
  });

  test('every bad coordinate is reported; a row of the wrong width too', async () => {
    const e = await rejected(
      readPoints(tmp.file('bad.csv', 'name;x;y\nA;13,4;52,5\nB;;52,5\nC;abc;52,5\nD;13,4\n'), { file: 'bad.csv' }),
    );
    assert.deepEqual(
      e.problems.map((p) => [p.code, p.line]),
      [
        ['bad-coordinate', 3],
        ['bad-coordinate', 4],
        ['column-count', 5],
      ],
    );
  });
});
