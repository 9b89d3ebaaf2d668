// The address register on the demo city: a synthetic register (a street per block, addresses at a
// point inside the block) imported with codes by point-in-polygon, then free-text and column
// addresses matched — exact, with a typo, ambiguous, unmatched — without storing the input.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import proj4 from 'proj4';
import type { Database } from '../../src/store/db.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { tempDir } from '../helpers/files.ts';
import { InputRejected } from '../../src/core/problems.ts';
import { loadDemo } from '../../src/services/demo.ts';
import { layerAreas } from '../../src/services/spatial.ts';
import { assignPointsToLayers } from '../../src/services/assign-points.ts';
import { representativePoint } from '../../src/core/geo/representative-point.ts';
import { importAddresses, loadRegister } from '../../src/services/address-register.ts';
import { matchAddresses, matchesToCsv, summaryText } from '../../src/services/address-match.ts';
import { readAudit } from '../../src/services/audit.ts';

const UTM32 = '+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';

interface Block {
  code: string;
  street: string;
  postcode: string;
  x: number;
  y: number;
}

for (const engine of engines) {
  describe(`address register and matching [${engine.name}]`, engineGate(engine), () => {
    let db: Database;
    const tmp = tempDir();
    let blocks: Block[] = [];
    let registerCsv = '';

    before(async () => {
      db = await openEngine(engine);
      // Without the demo's own register: these tests bring theirs.
      await loadDemo(db, { addresses: false });
      const la = await layerAreas(db, { layer: 'block' });
      const { rows } = await db.query<{ code: string; name: string }>(
        `SELECT a.code, a.name FROM area a JOIN layer_version v ON v.id = a.layer_version_id JOIN layer l ON l.id = v.layer_id
          WHERE l.key = 'block' AND v.valid_from = '2021-01-01' ORDER BY a.code`,
      );
      const nameOf = new Map(rows.map((r) => [r.code, r.name]));
      const toUtm = proj4('WGS84', UTM32);
      blocks = la.areas.map((a) => {
        const [x, y] = representativePoint(a.geometry!)!;
        const [e, n] = toUtm.forward([x, y]);
        // A street per block (the block's name), a postcode per Stadtbezirk, coordinates in UTM 32N.
        return {
          code: a.code,
          street: nameOf.get(a.code)!,
          postcode: `4${a.code.slice(0, 2)}00`,
          x: Math.round(e * 100) / 100,
          y: Math.round(n * 100) / 100,
        };
      });
      const lines = ['Straße;Hausnummer;Zusatz;PLZ;Rechtswert;Hochwert;WBZ'];
      for (const b of blocks) {
        for (const nr of ['1', '2', '3'])
          lines.push(
            [b.street, nr, '', b.postcode, String(b.x).replace('.', ','), String(b.y).replace('.', ','), ''].join(';'),
          );
        // House 5 exists only as 5a and 5b (one number without suffix is ambiguous).
        lines.push(
          [b.street, '5', 'a', b.postcode, String(b.x).replace('.', ','), String(b.y).replace('.', ','), ''].join(';'),
        );
        lines.push(
          [b.street, '5', 'b', b.postcode, String(b.x).replace('.', ','), String(b.y).replace('.', ','), ''].join(';'),
        );
      }
      // An address without coordinates but with its election district from the register.
      lines.push(['Rathausplatz', '1', '', '40100', '', '', '001'].join(';'));
      registerCsv = lines.join('\n') + '\n';
    });
    after(async () => {
      await db?.close();
      tmp.cleanup();
    });

    test('a file with errors changes nothing and names every problem', async () => {
      const bad = tmp.file(
        'register-bad.csv',
        [
          'Straße;Hausnummer;PLZ;x;y',
          'Lindenweg;12;40100;8,7;51,4',
          ';3;40100;8,7;51,4',
          'Lindenweg;zwölf;40100;8,7;51,4',
          'Lindenweg;14;401000;8,7;51,4',
          'Lindenweg;16;40100;8,7;',
        ].join('\n'),
      );
      await assert.rejects(importAddresses(db, bad), (e: unknown) => {
        assert.ok(e instanceof InputRejected);
        const byLine = Object.fromEntries(e.problems.filter((p) => p.line).map((p) => [p.line, p.code]));
        assert.deepEqual(byLine, { 3: 'empty-street', 4: 'bad-house-number', 5: 'bad-postcode', 6: 'bad-coordinate' });
        assert.match(e.message, /Nothing was changed/);
        return true;
      });
      assert.equal((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM address')).rows[0].n, 0);
    });

    test('import: projected coordinates, codes by point-in-polygon, the register’s own codes win', async () => {
      const path = tmp.file('register.csv', registerCsv);
      const dry = await importAddresses(db, path, { crs: 'EPSG:25832', areas: ['wahlbezirk=WBZ'], dryRun: true });
      assert.equal(dry.dryRun, true);
      assert.equal(
        (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM address')).rows[0].n,
        0,
        'a dry run stores nothing',
      );
      const r = await importAddresses(db, path, { crs: 'EPSG:25832', areas: ['wahlbezirk=WBZ'] });
      assert.equal(r.addresses, blocks.length * 5 + 1);
      assert.equal(r.withCoordinates, blocks.length * 5);
      assert.equal(r.crs, 'EPSG:25832');
      assert.equal(r.codes.block.point, blocks.length * 5, 'every address point lies in its block');
      assert.equal(r.codes.block.none, 1, 'the address without coordinates has no block');
      assert.equal(r.codes.wahlbezirk.register, 1);
      assert.equal(r.codes.wahlbezirk.point, blocks.length * 5);
      assert.ok(r.codes.stadtteil.point > 0 && r.codes.grundschulbezirk.point > 0);
      // The stored codes agree with the blocks the points were made in, and with the blocks' Stadtteile.
      const { rows } = await db.query<{ street: string; codes: Record<string, string>; x: number; y: number }>(
        `SELECT street, codes, x, y FROM address WHERE house_number = '1' AND x IS NOT NULL ORDER BY id`,
      );
      const byStreet = new Map(rows.map((x) => [x.street, x]));
      for (const b of blocks) assert.equal(byStreet.get(b.street)?.codes.block, b.code, b.street);
      const st = await assignPointsToLayers(
        db,
        Float64Array.from(rows.map((x) => x.x)),
        Float64Array.from(rows.map((x) => x.y)),
        ['stadtteil'],
      );
      rows.forEach((x, i) => assert.equal(x.codes.stadtteil, st.codes.stadtteil[i]));
      const audit = await readAudit(db, { action: 'addresses.import' });
      assert.equal(audit[0].details.addresses, r.addresses);
    });

    test('matching free text and columns: exact, typo, ambiguous, unmatched; summary; nothing stored', async () => {
      const b = blocks[10];
      const long = blocks.find((x) => x.street.length >= 12 && !x.street.includes(' '))!;
      const typo = long.street.slice(0, 4) + long.street.slice(5); // one letter dropped
      const before = (
        await db.query<{ n: number }>('SELECT (SELECT count(*) FROM address) + (SELECT count(*) FROM observation) AS n')
      ).rows[0].n;
      const text = tmp.file(
        'formular.csv',
        [
          'Nr;Anschrift',
          `1;"${b.street} 2, ${b.postcode} Musterstadt"`,
          `2;"${b.street.replace(/straße$/, 'str.')} 3"`,
          `3;"${typo} 1, ${long.postcode}"`,
          `4;"${b.street} 5, ${b.postcode}"`,
          `5;"${b.street} 5 A"`,
          `6;"Nirgendwoweg 7, ${b.postcode}"`,
          `7;"Nirgendwoweg 9"`,
          `8;"${b.street} 99"`,
        ].join('\n'),
      );
      const r = await matchAddresses(db, text, { address: 'Anschrift' });
      const st = r.rows.map((x) => x.status);
      assert.deepEqual(st, [
        'matched',
        'matched',
        'matched',
        'ambiguous',
        'matched',
        'unmatched',
        'unmatched',
        'unmatched',
      ]);
      assert.equal(r.rows[0].method, 'exact');
      assert.equal(r.rows[0].confidence, 1);
      assert.equal(r.rows[0].codes.block, b.code);
      assert.ok(
        r.rows[0].codes.stadtteil &&
          r.rows[0].codes.stadtbezirk &&
          r.rows[0].codes.grundschulbezirk &&
          r.rows[0].codes.wahlbezirk,
        'codes of every layer',
      );
      assert.equal(r.rows[2].method, 'fuzzy');
      assert.equal(r.rows[2].street, long.street);
      assert.ok(r.rows[2].confidence! < 0.98);
      assert.match(r.rows[3].message!, /5a.*5b|candidates/);
      assert.equal(r.rows[3].codes.block, b.code, 'the candidates share their block');
      assert.equal(r.rows[4].houseNumber, '5a');
      assert.equal(r.rows[5].reason, 'street-not-found');
      assert.equal(r.rows[7].reason, 'house-number-not-found');
      assert.deepEqual([r.summary.matched, r.summary.ambiguous, r.summary.unmatched], [4, 1, 3]);
      assert.deepEqual(
        r.summary.unmatchedStreets.map((u) => [u.street, u.count]),
        [['Nirgendwoweg', 2]],
      );
      assert.match(summaryText(r.summary), /Nirgendwoweg/);
      const csv = matchesToCsv(r);
      assert.match(
        csv.split('\n')[0],
        /^Nr;Anschrift;status;method;confidence;matched_street;matched_house_number;matched_postcode;.*block.*;reason;message;suggestion$/,
      );
      assert.equal(csv.trim().split('\n').length, 9);

      // Separate columns; the street column may hold the number.
      const cols = tmp.file(
        'formular2.csv',
        [
          'Straße;Hausnummer;PLZ',
          `${b.street};1;${b.postcode}`,
          `${b.street.toUpperCase()};2;`,
          `${b.street} 3;;${b.postcode}`,
          `${b.street};1;${long.postcode === b.postcode ? '49999' : long.postcode}`,
        ].join('\n'),
      );
      const c = await matchAddresses(db, cols, { street: 'Straße', number: 'Hausnummer', postcode: 'PLZ' });
      assert.deepEqual(
        c.rows.map((x) => [x.status, x.method]),
        [
          ['matched', 'exact'],
          ['matched', 'normalised'],
          ['matched', 'exact'],
          ['matched', 'normalised'],
        ],
      );
      assert.match(c.rows[3].message!, /postcode/);
      const strict = await matchAddresses(db, cols, {
        street: 'Straße',
        number: 'Hausnummer',
        postcode: 'PLZ',
        strictPostcode: true,
      });
      assert.equal(strict.rows[3].reason, 'postcode-mismatch');

      const after = (
        await db.query<{ n: number }>('SELECT (SELECT count(*) FROM address) + (SELECT count(*) FROM observation) AS n')
      ).rows[0].n;
      assert.equal(after, before, 'matching stores nothing');
      const audit = await readAudit(db, { action: 'addresses.match' });
      assert.equal(audit.length, 3);
      assert.doesNotMatch(JSON.stringify(audit), new RegExp(b.street), 'the audit trail holds counts, never addresses');
    });

    test('re-importing replaces the register', async () => {
      const first = await loadRegister(db);
      const small = tmp.file(
        'register-small.csv',
        ['Straße;Hausnummer;PLZ', 'Lindenweg;12;40100', 'Lindenweg;14;40100'].join('\n'),
      );
      const r = await importAddresses(db, small);
      assert.equal(r.replaced, blocks.length * 5 + 1);
      assert.equal(r.addresses, 2);
      const second = await loadRegister(db);
      assert.notEqual(second, first, 'the cached register is rebuilt after an import');
      assert.equal(second.register.size, 2);
      assert.deepEqual(second.layers, []);
    });
  });
}
