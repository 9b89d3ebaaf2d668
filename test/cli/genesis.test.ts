// The command line with GENESIS flat files: import a Regionaldatenbank table by the AGS attribute
// of the areas, a rejected file with its line and column, and the export as a flat file.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { run } from '../helpers/cli.ts';
import { tempDir } from '../helpers/files.ts';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'genesis', '12411-02-03-5_flat.csv');

describe('kommunalmonitor CLI: GENESIS flat files', () => {
  const tmp = tempDir();
  const g = ['--data-dir', join(tmp.dir, 'data')];
  after(() => tmp.cleanup());

  test('import by the AGS attribute, a bad file rejected with line and column, export --format genesis', async () => {
    tmp.file(
      'gemeinden.csv',
      'code;name;ags\n113;Bayerisch Eisenstein;09276113\n130;Lindberg;09276130\n138;Rinchnach;09276138\n',
    );
    tmp.file(
      'katalog.json',
      JSON.stringify({
        dimensions: [
          {
            key: 'geschlecht',
            name: 'Geschlecht',
            members: [
              { key: 'm', name: 'männlich' },
              { key: 'w', name: 'weiblich' },
            ],
          },
        ],
        indicators: [
          {
            key: 'einwohner',
            name: 'Einwohner',
            unit: 'Personen',
            type: 'count',
            dimensions: ['geschlecht'],
            source: 'Statistisches Landesamt',
            confidentiality: 'public',
            themes: ['Bevölkerung'],
          },
        ],
      }),
    );
    let r = await run([...g, 'import', 'areas', join(tmp.dir, 'gemeinden.csv'), '--layer', 'gemeinde']);
    assert.equal(r.code, 0, r.err);
    r = await run([...g, 'import', 'indicators', join(tmp.dir, 'katalog.json')]);
    assert.equal(r.code, 0, r.err);

    const bad = tmp.file('bad_flat.csv', readFileSync(FIXTURE, 'utf8').replace(';1129;e', ';1.12;e'));
    r = await run([
      ...g,
      'import',
      'observations',
      bad,
      '--layer',
      'gemeinde',
      '--indicator',
      'einwohner',
      '--area-key-property',
      'ags',
      '--skip-unknown-areas',
    ]);
    assert.equal(r.code, 1, r.err);
    assert.match(
      r.err,
      /bad_flat\.csv, line 14, column BEVSTD__Bevoelkerungsstand__Anzahl: not a number with "," as decimal separator \(value "1\.12"\)/,
    );
    assert.match(r.err, /Nothing was changed/);

    r = await run([
      ...g,
      'import',
      'observations',
      FIXTURE,
      '--format',
      'genesis',
      '--layer',
      'gemeinde',
      '--indicator',
      'einwohner',
      '--area-key-property',
      'ags',
      '--skip-unknown-areas',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /36 rows, 12 observations \(genesis format\) — 12 new/);

    const out = join(tmp.dir, 'export_flat.csv');
    r = await run([
      ...g,
      'export',
      'observations',
      '--indicator',
      'einwohner',
      '--layer',
      'gemeinde',
      '--period',
      '2021-12-31',
      '--filter',
      'geschlecht=w',
      '--format',
      'genesis',
      '--output',
      out,
    ]);
    assert.equal(r.code, 0, r.err);
    const lines = readFileSync(out, 'utf8').split('\r\n');
    assert.equal(
      lines[0],
      '\uFEFFStatistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;1_Auspraegung_Code;1_Auspraegung_Label;2_Merkmal_Code;2_Merkmal_Label;2_Auspraegung_Code;2_Auspraegung_Label;EINWOHNER__Einwohner__Personen;EINWOHNER__Einwohner__q',
    );
    assert.equal(
      lines[1],
      'einwohner;Einwohner (Statistisches Landesamt);STAG;Stichtag;31.12.2021;GEMEINDE;gemeinde;113;Bayerisch Eisenstein;GESCHLECHT;geschlecht;w;w;531;e',
    );
    assert.equal(
      lines[3],
      'einwohner;Einwohner (Statistisches Landesamt);STAG;Stichtag;31.12.2021;GEMEINDE;gemeinde;138;Rinchnach;GESCHLECHT;geschlecht;w;w;.;',
      'suppressed: the symbol, no number',
    );
  });
});
