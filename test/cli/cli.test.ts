// The command-line interface on an embedded data directory: imports, export, listings, exit
// codes, and refusal while another process holds the data directory.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../helpers/cli.ts';
import { tempDir, square, featureCollection } from '../helpers/files.ts';

describe('kommunalmonitor CLI (embedded database)', () => {
  const tmp = tempDir();
  const dataDir = join(tmp.dir, 'data');
  const g = ['--data-dir', dataDir];
  before(() => {
    tmp.file('bezirke.geojson', featureCollection([{ code: '01', name: 'Mitte', geometry: square(13.3, 52.5, 0.1) }]));
    tmp.file(
      'plr.geojson',
      featureCollection([
        { code: '01100101', name: 'Stülerstraße', parent: '01', geometry: square(13.31, 52.51, 0.01) },
        { code: '01100102', name: 'Großer Tiergarten', parent: '01', geometry: square(13.33, 52.51, 0.01) },
      ]),
    );
    tmp.file(
      'katalog.json',
      JSON.stringify([
        {
          key: 'einwohner',
          name: 'Einwohnerinnen und Einwohner',
          unit: 'Personen',
          type: 'count',
          dimensions: ['altersgruppe'],
          source: 'Melderegister',
          owner: 'statistik',
          confidentiality: 'public',
          themes: ['Bevölkerung'],
        },
        {
          key: 'anteil_unter6',
          name: 'Anteil der Kinder unter 6 Jahren',
          unit: '%',
          type: 'ratio',
          numerator: { indicator: 'einwohner', filter: { altersgruppe: 'unter6' } },
          denominator: { indicator: 'einwohner' },
          scale: 100,
          polarity: 'neutral',
          minBase: 300,
          owner: 'statistik',
          confidentiality: 'public',
          themes: ['Bevölkerung'],
        },
      ]),
    );
    tmp.file(
      'ew.csv',
      '\uFEFFindicator;area;period;altersgruppe;value\r\neinwohner;01100101;30.06.2022;unter6;169,0\r\neinwohner;01100101;30.06.2022;uebrige;3334\r\n',
    );
  });
  after(() => tmp.cleanup());

  test('import areas, indicators and observations, then export', async () => {
    let r = await run([...g, 'import', 'areas', join(tmp.dir, 'bezirke.geojson'), '--layer', 'bezirk']);
    assert.equal(r.code, 0, r.err);
    r = await run([
      ...g,
      'import',
      'areas',
      join(tmp.dir, 'plr.geojson'),
      '--layer',
      'planungsraum',
      '--parent-layer',
      'bezirk',
      '--parent',
      'parent',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Imported 2 areas into layer "planungsraum"/);
    r = await run([...g, 'import', 'indicators', join(tmp.dir, 'katalog.json')]);
    assert.equal(r.code, 0, r.err);
    r = await run([...g, 'import', 'observations', join(tmp.dir, 'ew.csv'), '--dry-run']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Dry run/);
    r = await run([...g, '--json', 'import', 'observations', join(tmp.dir, 'ew.csv')]);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out)[0].inserted, 2);
    r = await run([
      ...g,
      'export',
      'observations',
      '--indicator',
      'einwohner',
      '--layer',
      'bezirk',
      '--format',
      'json',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).values[0].value, 3503);
    r = await run([...g, 'export', 'observations', '--indicator', 'anteil_unter6', '--layer', 'planungsraum']);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.out,
      /anteil_unter6;01100101;Stülerstraße;2022-06-30;4,8;%;/,
      'rounded to the indicator’s decimals (issue 15, item 7)',
    );
    r = await run([...g, '--json', 'layers']);
    assert.deepEqual(
      JSON.parse(r.out).map((l: { key: string }) => l.key),
      ['bezirk', 'planungsraum'],
    );
    r = await run([...g, 'indicators']);
    assert.match(r.out, /anteil_unter6/);
  });

  test('errors exit non-zero with file, line, column and hint', async () => {
    tmp.file('bad.csv', 'indicator;area;period;altersgruppe;value\neinwohner;1100101;2022;unter6;5\n');
    const r = await run([...g, 'import', 'observations', join(tmp.dir, 'bad.csv')]);
    assert.equal(r.code, 1);
    assert.match(r.err, /bad\.csv, line 2, column area: the area code 1100101 does not exist/);
    assert.match(r.err, /HINT: .*leading zeros/);
    assert.match(r.err, /Nothing was changed/);
    const u = await run([...g, 'import', 'areas', join(tmp.dir, 'plr.geojson')]);
    assert.equal(u.code, 2, 'a missing required option is a usage error');
    const nf = await run([...g, 'import', 'observations', join(tmp.dir, 'missing.csv')]);
    assert.equal(nf.code, 1);
  });

  test('a second process on the same data directory is refused with a clear message', async () => {
    // A live process holds the lock, as a running server would.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      writeFileSync(
        join(dataDir, 'kommunalmonitor.lock'),
        JSON.stringify({
          pid: holder.pid,
          kind: 'server',
          url: 'http://127.0.0.1:8080',
          since: new Date().toISOString(),
        }),
      );
      const r = await run([...g, 'layers']);
      assert.equal(r.code, 1);
      assert.match(r.err, /in use by a running Kommunalmonitor server \(pid \d+, http:\/\/127\.0\.0\.1:8080\)/);
    } finally {
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill();
      await exited;
    }
    // A stale lock of a dead process is taken over.
    const r = await run([...g, 'layers']);
    assert.equal(r.code, 0, r.err);
  });
});
