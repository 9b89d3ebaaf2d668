// Import input rules (issue 11, decision 0012): damaged archives, shapefile record counts that do
// not add up, non-German number text, over-long keys, NUL characters and lone surrogates, YAML
// alias bombs, absurdly nested GeoJSON, unclosed rings and null geometries, and positions for
// every rejection. Each file is shaped like the real one; each rejection changes nothing.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Database } from '../../src/store/db.ts';
import { engines, openEngine } from '../helpers/db.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogueFile } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { InputRejected, type Problem } from '../../src/core/problems.ts';
import { KEY_MAX_LENGTH } from '../../src/core/indicators.ts';
import { xlsx, flip, shapefile, shapefileZip, THREE } from '../helpers/damaged-files.ts';

/** The problems of the InputRejected that fn throws (fails the test if it does not throw one). */
async function rejection(fn: () => Promise<unknown>): Promise<Problem[]> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof InputRejected, `expected InputRejected, got ${(e as Error)?.stack ?? e}`);
    return e.problems;
  }
  assert.fail('the import was not rejected');
}

// ---------------------------------------------------------------------------------------------

describe('import input rules [pglite]', () => {
  let db: Database;
  const tmp = tempDir();
  const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0].n;
  const layers = () => count('SELECT count(*)::int AS n FROM layer');
  const observations = () => count('SELECT count(*)::int AS n FROM observation');
  const indicators = () => count('SELECT count(*)::int AS n FROM indicator');

  before(async () => {
    db = await openEngine(engines[0]);
    await importAreas(db, tmp.file('bezirke.csv', 'code;name\n01;Nord\n02;Süd\n'), { layer: 'bezirk' });
    await importCatalogueFile(
      db,
      tmp.file(
        'basis.json',
        JSON.stringify([{ key: 'einwohner', name: 'Einwohner', unit: 'Personen', type: 'count' }]),
      ),
    );
  });
  after(async () => {
    await db?.close();
    tmp.cleanup();
  });

  test('XLSX: a flipped digit in a stored entry is a CRC-32 mismatch naming the entry; the intact file imports', async () => {
    const rows = [
      ['indicator', 'area', 'period', 'value'],
      ['einwohner', '01', '2023', 81614],
    ];
    const good = xlsx(rows, true);
    const problems = await rejection(() =>
      importObservations(db, tmp.file('ew-kaputt.xlsx', flip(good, '81614', '87614'))),
    );
    assert.equal(problems[0].code, 'zip-crc-mismatch');
    assert.equal(problems[0].file, 'ew-kaputt.xlsx');
    assert.equal(problems[0].value, 'xl/worksheets/sheet1.xml');
    assert.match(problems[0].reason, /damaged.*CRC-32/);
    assert.ok(problems[0].hint);
    assert.equal(await observations(), 0, 'nothing was imported');
    const r = await importObservations(db, tmp.file('ew.xlsx', good), { dryRun: true });
    assert.equal(r.observations, 1);
  });

  test('zipped Shapefile: a flipped byte in the .dbf is a CRC-32 mismatch; nothing is imported', async () => {
    const zip = shapefileZip(shapefile(THREE), true);
    const problems = await rejection(() =>
      importAreas(db, tmp.file('bezirke-kaputt.zip', flip(zip, 'Moabit', 'Moabix')), {
        layer: 'ortsteil',
        codeProp: 'CODE',
        nameProp: 'NAME',
      }),
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.value]),
      [['zip-crc-mismatch', 'teile/bezirke.dbf']],
    );
    assert.equal(await layers(), 1);
    const ok = await importAreas(db, tmp.file('bezirke.zip', zip), {
      layer: 'ortsteil',
      codeProp: 'CODE',
      nameProp: 'NAME',
      dryRun: true,
    });
    assert.equal(ok.areas, 3);
  });

  test('Shapefile record counts must add up: an impossible first record, a short .shx, a .dbf with fewer rows', async () => {
    const parts = shapefile(THREE);
    const longFirst = Buffer.from(parts.shp);
    longFirst.writeInt32BE(1_000_000, 104); // record 1 declares 2 MB of content
    let problems = await rejection(() =>
      importAreas(db, tmp.file('lang.zip', shapefileZip({ ...parts, shp: longFirst })), {
        layer: 'ortsteil',
        codeProp: 'CODE',
        nameProp: 'NAME',
      }),
    );
    assert.equal(problems[0].code, 'shp-record-length');
    assert.match(
      problems[0].reason,
      /^record 1 of teile\/bezirke\.shp declares a content length of 2000000 bytes; only \d+ bytes remain/,
    );

    problems = await rejection(() =>
      importAreas(db, tmp.file('shx.zip', shapefileZip({ ...parts, shx: parts.shx.subarray(0, 116) })), {
        layer: 'ortsteil',
        codeProp: 'CODE',
        nameProp: 'NAME',
      }),
    );
    assert.equal(problems[0].code, 'shx-mismatch');
    assert.match(problems[0].reason, /lists 2 record\(s\), teile\/bezirke\.shp has 3/);

    const two = shapefile(THREE.slice(0, 2));
    problems = await rejection(() =>
      importAreas(db, tmp.file('dbf.zip', shapefileZip({ ...parts, dbf: two.dbf })), {
        layer: 'ortsteil',
        codeProp: 'CODE',
        nameProp: 'NAME',
      }),
    );
    assert.equal(problems[0].code, 'dbf-mismatch');
    assert.match(problems[0].reason, /has 2 row\(s\), teile\/bezirke\.shp has 3 shape\(s\)/);
    assert.equal(await layers(), 1, 'no layer was created');
  });

  test('number text: hexadecimal in an XLSX number cell, a CSV or YAML catalogue and a .dbf number field is rejected', async () => {
    let problems = await rejection(() =>
      importObservations(
        db,
        tmp.file(
          'hex.xlsx',
          xlsx([
            ['indicator', 'area', 'period', 'value'],
            ['einwohner', '01', '2023', { raw: '0x1A' }],
          ]),
        ),
      ),
    );
    assert.deepEqual(
      [problems[0].code, problems[0].line, problems[0].column, problems[0].value],
      ['bad-xlsx', 2, 'D', '0x1A'],
    );

    problems = await rejection(() =>
      importCatalogueFile(
        db,
        tmp.file(
          'hex.csv',
          'key;name;unit;type;scale;minBase\nquote;Quote;%;ratio;0x10;1.000\nanteil;Anteil;%;ratio;100;0x10\n',
        ),
      ),
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.line, p.column, p.value]),
      [
        ['bad-number', 2, 'scale', '0x10'],
        ['bad-number', 3, 'minBase', '0x10'],
      ],
    );

    problems = await rejection(() =>
      importCatalogueFile(
        db,
        tmp.file('hex.yaml', '- key: quote\n  name: Quote\n  unit: "%"\n  type: ratio\n  scale: 0x10\n'),
      ),
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.line, p.column, p.value]),
      [['bad-number', 5, 10, '0x10']],
    );

    // German notation in a CSV catalogue: "1.000" is a thousand, "0,5" a half.
    const r = await importCatalogueFile(
      db,
      tmp.file('de.csv', 'key;name;unit;type;scale;minBase\nanteil_de;Anteil;%;ratio;100;1.000\n'),
      { dryRun: true },
    );
    assert.equal(r.inserted, 1);

    problems = await rejection(() =>
      importAreas(db, tmp.file('hex-dbf.zip', shapefileZip(shapefile([{ code: '0101', name: 'Mitte', ew: '0x1A' }]))), {
        layer: 'ortsteil',
        codeProp: 'CODE',
        nameProp: 'NAME',
      }),
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.column, p.value]),
      [['bad-number', 'EW', '0x1A']],
    );
    assert.equal(await indicators(), 1);
  });

  test(`indicator keys are limited to KEY_MAX_LENGTH (${KEY_MAX_LENGTH}) characters, as the API`, async () => {
    const key = (n: number) => 'k'.repeat(n);
    const text = JSON.stringify([{ key: key(101), name: 'Lang', unit: 'x', type: 'count' }], null, 2);
    const problems = await rejection(() => importCatalogueFile(db, tmp.file('lang.json', text)));
    assert.equal(problems[0].code, 'invalid-indicator');
    assert.match(problems[0].reason, /field "key": must be at most 100 characters long/);
    assert.deepEqual([problems[0].line, problems[0].column], [3, 5]);
    const ok = await importCatalogueFile(
      db,
      tmp.file('lang100.json', JSON.stringify([{ key: key(100), name: 'Lang', unit: 'x', type: 'count' }])),
      { dryRun: true },
    );
    assert.equal(ok.inserted, 1);
  });

  test('lone surrogates and NUL characters are rejected with their position, in every format', async () => {
    // JSON catalogue: a \uD800 escape in a name.
    let problems = await rejection(() =>
      importCatalogueFile(
        db,
        tmp.file('surrogate.json', '[\n  {"key": "a", "name": "Kita \\uD800", "unit": "x", "type": "count"}\n]\n'),
      ),
    );
    assert.deepEqual([problems[0].code, problems[0].line, problems[0].column], ['lone-surrogate', 2, 16]);
    assert.match(problems[0].reason, /^\[0\]\.name: the text contains a lone surrogate \(U\+D800\)/);
    // YAML catalogue: "\0" in a double-quoted scalar.
    problems = await rejection(() =>
      importCatalogueFile(db, tmp.file('nul.yaml', '- key: a\n  name: "Kita\\0"\n  unit: x\n  type: count\n')),
    );
    assert.deepEqual([problems[0].code, problems[0].line], ['nul-character', 2]);
    // CSV catalogue and CSV observations: a raw NUL byte.
    problems = await rejection(() =>
      importCatalogueFile(db, tmp.file('nul.csv', 'key;name;unit;type\na;Ki\u0000ta;x;count\n')),
    );
    assert.deepEqual([problems[0].code, problems[0].line, problems[0].column], ['nul-character', 2, 'name']);
    problems = await rejection(() =>
      importObservations(
        db,
        tmp.file(
          'nul-obs.csv',
          'indicator;area;period;value;reason\neinwohner;01;2023;5;ok\neinwohner;02;2023;6;Sch\u0000tzung\n',
        ),
      ),
    );
    assert.deepEqual([problems[0].code, problems[0].line, problems[0].column], ['nul-character', 3, 'reason']);
    // GeoJSON: the feature and the field, and the line.
    const fc = featureCollection([{ code: '01', name: 'Mitte \uD800', geometry: square(13.3, 52.5, 0.1) }]).replace(
      '\\ud800',
      '\\uD800',
    );
    problems = await rejection(() =>
      importAreas(db, tmp.file('surrogate.geojson', fc.replace('"features":', '\n"features":')), { layer: 'gebiet' }),
    );
    assert.equal(problems[0].code, 'lone-surrogate');
    assert.match(problems[0].reason, /^feature 1, properties\.name: /);
    assert.equal(problems[0].line, 2);
    assert.equal(await indicators(), 1);
    assert.equal(await observations(), 0);
    assert.equal(await layers(), 1);
  });

  test('a YAML alias bomb ("billion laughs") is rejected with its position', async () => {
    const bomb = [
      'lol1: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
      ...'bcdefgh'.split('').map(
        (c, i) =>
          `lol${i + 2}: &${c} [${Array(9)
            .fill(`*${i === 0 ? 'a' : 'bcdefgh'[i - 1]}`)
            .join(', ')}]`,
      ),
      'indicators: [*h]',
    ].join('\n');
    const problems = await rejection(() => importCatalogueFile(db, tmp.file('bomb.yaml', bomb)));
    assert.equal(problems[0].code, 'yaml-alias-limit');
    assert.equal(problems[0].line, 2);
    assert.match(problems[0].reason, /aliases .* expand to too many values/);
  });

  test('GeoJSON nested 5,000 levels deep is rejected naming the feature; wrongly nested coordinates too', async () => {
    let deep = '[13.3,52.5]';
    for (let i = 0; i < 5000; i++) deep = `[${deep}]`;
    const text = `{"type":"FeatureCollection","features":[\n{"type":"Feature","properties":{"code":"01","name":"Mitte"},"geometry":{"type":"Polygon","coordinates":${deep}}}]}`;
    let problems = await rejection(() => importAreas(db, tmp.file('deep.geojson', text), { layer: 'gebiet' }));
    assert.equal(problems[0].code, 'too-deeply-nested');
    assert.match(problems[0].reason, /^feature 1, geometry\.coordinates\[0\]/);
    assert.equal(problems[0].line, 2);

    const tooDeep = featureCollection([
      { code: '01', name: 'Mitte', geometry: { type: 'Polygon', coordinates: [square(13.3, 52.5, 0.1).coordinates] } },
    ]);
    problems = await rejection(() => importAreas(db, tmp.file('deeper.geojson', tooDeep), { layer: 'gebiet' }));
    assert.equal(problems[0].code, 'bad-coordinates');
    assert.match(
      problems[0].reason,
      /^feature 1 \(code 01\): coordinates\[0\]\[0\] is nested deeper than a Polygon allows/,
    );
    assert.equal(await layers(), 1);
  });

  test('an unclosed ring and a null geometry are errors; nothing is imported (decision 0012)', async () => {
    const open = { type: 'Polygon', coordinates: [square(13.3, 52.5, 0.1).coordinates[0].slice(0, 4)] };
    const problems = await rejection(() =>
      importAreas(
        db,
        tmp.file(
          'offen.geojson',
          featureCollection([
            { code: '01', name: 'Mitte', geometry: open },
            { code: '02', name: 'Leer', geometry: null },
            { code: '03', name: 'Gut', geometry: square(13.5, 52.5, 0.1) },
          ]),
        ),
        { layer: 'gebiet' },
      ),
    );
    assert.deepEqual(
      problems.filter((p) => p.severity === 'error').map((p) => p.code),
      ['ring-not-closed', 'no-geometry'],
    );
    assert.match(problems[0].reason, /^feature 1 \(code 01\): outer ring is not closed/);
    assert.match(problems[1].reason, /^feature 2 \(code 02\): no geometry/);
    assert.equal(await layers(), 1);
  });

  test('positions: JSON syntax errors and catalogue validation errors in JSON and YAML name line and column', async () => {
    let problems = await rejection(() =>
      importCatalogueFile(db, tmp.file('syntax.json', '[\n  {"key": "a", "name": "A",, "unit": "x"}\n]')),
    );
    assert.deepEqual([problems[0].code, problems[0].line, problems[0].column], ['bad-json', 2, 28]);
    problems = await rejection(() =>
      importAreas(
        db,
        tmp.file(
          'syntax.geojson',
          '{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature" "properties": {}}\n]}',
        ),
        { layer: 'gebiet' },
      ),
    );
    assert.deepEqual([problems[0].code, problems[0].line, problems[0].column], ['bad-json', 3, 22]);
    problems = await rejection(() => importCatalogueFile(db, tmp.file('truncated.json', '[{"key": "a",')));
    assert.deepEqual([problems[0].code, problems[0].line], ['bad-json', 1]);

    const json = JSON.stringify(
      {
        indicators: [
          { key: 'ok', name: 'OK', unit: 'x', type: 'count' },
          { key: 'b', name: 'B', unit: 'x', type: 'rate', scael: 100 },
          { key: 'c', unit: 'x', type: 'count' },
        ],
      },
      null,
      2,
    );
    problems = await rejection(() => importCatalogueFile(db, tmp.file('fields.json', json)));
    const at = (field: string) => problems.find((p) => p.reason.includes(`field "${field}"`));
    assert.deepEqual([at('type')?.line, at('type')?.column], [13, 7]);
    assert.deepEqual([at('scael')?.line, at('scael')?.column], [14, 7], 'an unknown field points at its key');
    assert.equal(at('name')?.line, 16, 'a missing field points at its indicator');

    const yaml =
      'dimensions: []\nindicators:\n  - key: ok\n    name: OK\n    unit: x\n    type: count\n  - key: b\n    name: B\n    unit: x\n    type: rate\n';
    problems = await rejection(() => importCatalogueFile(db, tmp.file('fields.yaml', yaml)));
    assert.deepEqual([problems[0].line, problems[0].column], [10, 5]);

    // References are positioned too.
    problems = await rejection(() =>
      importCatalogueFile(
        db,
        tmp.file(
          'ref.json',
          JSON.stringify(
            [
              {
                key: 'q',
                name: 'Q',
                unit: '%',
                type: 'ratio',
                numerator: { indicator: 'fehlt' },
                denominator: { indicator: 'einwohner' },
              },
            ],
            null,
            2,
          ),
        ),
      ),
    );
    assert.deepEqual([problems[0].code, problems[0].line], ['unknown-reference', 8]);
    assert.equal(await indicators(), 1);
  });
});
