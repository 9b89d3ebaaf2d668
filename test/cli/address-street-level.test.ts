// The command line with a register holding places without a house number (issue 12, item 3):
// the import's summary line counts them, `addresses versions` shows them among the addresses,
// and `match addresses` finds a place named without a number but not with one.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { run } from '../helpers/cli.ts';
import { tempDir } from '../helpers/files.ts';

describe('kommunalmonitor CLI: street-level addresses', () => {
  const tmp = tempDir();
  const g = ['--data-dir', join(tmp.dir, 'data')];
  after(() => tmp.cleanup());

  test('import counts the places, versions show them, matching finds them only without a number', async () => {
    const register = tmp.file(
      'adressen.csv',
      [
        'Straße;Hausnummer;Zusatz;PLZ',
        'Ackerstraße;1;;10115',
        'Ackerstraße;2;a;10115',
        'Oranienburger Tor;;;10117',
        'Pappelplatz;3;;10245',
        'Pappelplatz;;;10245',
      ].join('\n'),
    );
    let r = await run([...g, 'import', 'addresses', register, '--valid-from', '2024-12-31']);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /Imported 5 addresses \(3 streets, 0 with coordinates in EPSG:4326\) as the register version valid from 2024-12-31\. 2 of them have no house number \(places such as squares, gates or bridges\) and are stored as street-level addresses\. 1 version\(s\) stored\./,
    );

    r = await run([...g, 'addresses', 'versions']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /2024-12-31\s+5 \(2 without number\)\s+3\s+0\s+—\s+adressen\.csv/);
    r = await run([...g, '--json', 'addresses', 'versions']);
    assert.deepEqual(
      JSON.parse(r.out).map((v: { addresses: number; withoutNumber: number }) => [v.addresses, v.withoutNumber]),
      [[5, 2]],
    );

    const form = tmp.file(
      'antraege.csv',
      ['Anschrift', 'Oranienburger Tor', 'Oranienburger Tor 1', 'Pappelplatz', 'Pappelplatz 3'].join('\n'),
    );
    r = await run([...g, 'match', 'addresses', form]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Oranienburger Tor;matched;exact;1;Oranienburger Tor;;10117;/m);
    assert.match(r.out, /^Oranienburger Tor 1;unmatched;/m);
    assert.match(r.out, /^Pappelplatz;matched;exact;1;Pappelplatz;;10245;/m);
    assert.match(r.out, /^Pappelplatz 3;matched;exact;1;Pappelplatz;3;10245;/m);
    assert.match(r.err, /2 of them places without house number/);

    // A real error still refuses the whole file.
    const bad = tmp.file(
      'adressen-fehler.csv',
      ['Straße;Hausnummer;Zusatz;PLZ', 'Ackerstraße;1;;10115', 'Ackerstraße;12-/;;10115', 'Pappelplatz;;;10245'].join(
        '\n',
      ),
    );
    r = await run([...g, 'import', 'addresses', bad, '--valid-from', '2025-01-01']);
    assert.equal(r.code, 1);
    assert.match(r.err, /adressen-fehler\.csv.*3.*12-\//);
    r = await run([...g, '--json', 'addresses', 'versions']);
    assert.equal(JSON.parse(r.out).length, 1, 'nothing was changed');
  });
});
