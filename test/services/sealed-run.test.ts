// The sealed pipeline (issue 14, part 1): records → counts per area and breakdown, stored as one
// import batch with lineage; nothing of a record is persisted (the canary proof on both engines).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openDatabase, type Database } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { tempDir } from '../helpers/files.ts';
import { engines, engineGate, openEngine } from '../helpers/db.ts';
import { sealedCity, DEFINITION, recordsCsv, canaries, filesContaining } from '../helpers/sealed-fixture.ts';
import {
  parseSealedDefinitionText,
  readSealedDefinitionFile,
  runSealed,
  type SealedRunResult,
} from '../../src/services/sealed-run.ts';
import { parseSealedDefinition } from '../../src/core/sealed/definition.ts';
import { InputRejected, type Problem } from '../../src/core/problems.ts';
import { SYSTEM, type Principal } from '../../src/core/access.ts';
import { getObservations } from '../../src/services/query.ts';
import { readAuditTrail, auditToCsv } from '../../src/services/audit.ts';

const def = () => parseSealedDefinitionText(JSON.stringify(DEFINITION, null, 2), 'ferienprogramm.json');
const records = (text: string, name = 'anmeldungen.csv') => ({ name, bytes: Buffer.from(text) });

async function rejected(p: Promise<unknown>): Promise<Problem[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InputRejected) return e.problems;
    throw e;
  }
  assert.fail('expected the input to be rejected');
}

describe('sealed definition (pure)', () => {
  test('the issue’s definition is accepted as written', () => {
    const d = def();
    assert.equal(d.indicator.key, 'ferienprogramm_teilnehmende');
    assert.deepEqual(d.indicator.dimensions, ['altersgruppe', 'geschlecht']);
    assert.equal(d.referenceDate, '2024-07-31');
    assert.equal(d.period.key, '2024');
    assert.deepEqual(d.indicator.disclosure, { minFrequency: 3 });
    assert.deepEqual(
      d.breakdowns.map((b) => b.kind),
      ['bands', 'map'],
    );
  });

  test('bad definitions get positioned problems', () => {
    const bad = {
      ...DEFINITION,
      indicator: { ...DEFINITION.indicator, type: 'ratio' },
      breakdowns: {
        altersgruppe: {
          from: 'Geburtsdatum',
          bands: [
            [0, 6, 'a'],
            [5, 10, 'b'],
          ],
        },
        geschlecht: { from: 'Geschlecht' },
      },
      referenceDate: '31.02.2024',
    };
    const text = JSON.stringify(bad, null, 2);
    const problems = (() => {
      try {
        parseSealedDefinitionText(text, 'bad.json');
      } catch (e) {
        return (e as InputRejected).problems;
      }
      return [];
    })();
    assert.ok(problems.length >= 2, JSON.stringify(problems));
    for (const p of problems) {
      assert.equal(p.file, 'bad.json');
      assert.ok(typeof p.line === 'number' && p.line > 1, `line of ${p.reason}`);
    }
    assert.ok(problems.some((p) => /overlaps/.test(p.reason)));
    assert.ok(problems.some((p) => /exactly one/.test(p.reason)));
    // Type and date are checked after the shape is right.
    const second = parseSealedDefinition(
      { ...DEFINITION, indicator: { ...DEFINITION.indicator, type: 'ratio' }, referenceDate: '31.02.2024' },
      'x.json',
    );
    assert.ok(second.problems.some((p) => /type "count"/.test(p.reason)));
    assert.ok(second.problems.some((p) => /not a calendar date/.test(p.reason)));
    const dims = parseSealedDefinition(
      { ...DEFINITION, indicator: { ...DEFINITION.indicator, dimensions: ['altersgruppe'] } },
      'x.json',
    );
    assert.ok(dims.problems.some((p) => /must be the breakdowns/.test(p.reason)));
  });
});

for (const engine of engines) {
  describe(`sealed run [${engine.name}]`, engineGate(engine), () => {
    const tmp = tempDir();
    let db: Database;
    before(async () => {
      db = await openEngine(engine);
      await sealedCity(db, tmp);
    });
    after(async () => {
      await db?.close();
      tmp.cleanup();
    });

    test('a dry run counts everything and writes nothing', async () => {
      const { rows: before } = await db.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM observation)::int + (SELECT count(*) FROM import_batch)::int + (SELECT count(*) FROM sealed_definition)::int AS n',
      );
      const r = await runSealed(db, records(recordsCsv()), def(), { dryRun: true });
      assert.equal(r.records, 13);
      assert.equal(r.assigned, 5);
      assert.equal(r.batchId, null);
      const { rows: afterRun } = await db.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM observation)::int + (SELECT count(*) FROM import_batch)::int + (SELECT count(*) FROM sealed_definition)::int AS n',
      );
      assert.equal(afterRun[0].n, before[0].n);
      const { rows: ind } = await db.query('SELECT 1 FROM indicator WHERE key = $1', ['ferienprogramm_teilnehmende']);
      assert.equal(ind.length, 0);
      const { rows: patterns } = await db.query('SELECT count(*)::int AS n FROM disclosure_pattern');
      assert.equal((patterns[0] as { n: number }).n, 0, 'the pattern of a dry run is not kept either');
      // The pattern the counts would get, with every withheld cell: small counts are primary,
      // and each needs a partner in its totals, so secondary cells exist too.
      assert.ok(r.disclosure, 'a dry run carries the disclosure pattern');
      const rep = r.disclosure.reports[0];
      assert.equal(rep.rule.minFrequency, 3);
      assert.ok(rep.primary > 0 && rep.secondary > 0, `primary ${rep.primary}, secondary ${rep.secondary}`);
      assert.ok(rep.audit?.safe, 'the attacker finds every primary cell protected');
      const kinds = new Set(rep.audit!.intervals.map((i) => i.suppression));
      assert.deepEqual([...kinds].sort(), ['primary', 'secondary']);
      // The same run without the pattern, when a caller does not need it.
      const plain = await runSealed(db, records(recordsCsv()), def(), { dryRun: true, pattern: false });
      assert.equal(plain.disclosure, null);
    });

    test('the issue’s example: counts per planning area and breakdown, unassignable by reason, area counts + unassignable = records', async () => {
      const r = await runSealed(db, records(recordsCsv()), def());
      assert.ok(r.batchId);
      assert.deepEqual(r.unassignable, {
        address_missing: 1,
        address_unmatched: 2,
        address_ambiguous: 1,
        outside_areas: 1,
        birthdate_invalid: 1,
        age_outside_bands: 1,
        category_unmapped: 1,
      });
      assert.equal(r.assigned + Object.values(r.unassignable).reduce((a, b) => a + b, 0), r.records);
      assert.deepEqual(
        r.layers.map((l) => [l.layer, l.primary, l.counted]),
        [
          ['planungsraum', true, 5],
          ['einzugsgebiet', false, 5],
        ],
      );
      const cell = (code: string, a: string, g: string) =>
        r.counts.find(
          (c) =>
            c.layer === 'planungsraum' && c.code === code && c.members.altersgruppe === a && c.members.geschlecht === g,
        )!.value;
      assert.equal(cell('0101', '6-10', 'weiblich'), 2, 'A-0001 and A-0013 ("W" maps ignoring case)');
      assert.equal(cell('0102', 'unter6', 'maennlich'), 1);
      assert.equal(cell('0102', '10-15', 'divers'), 1, 'ten on the reference date');
      assert.equal(cell('0201', '6-10', 'weiblich'), 1, 'nine: the tenth birthday is the day after');
      assert.equal(cell('0201', '15+', 'divers'), 0, 'zeros are stored');
      assert.equal(r.counts.filter((c) => c.layer === 'planungsraum').length, 3 * 4 * 3);

      // Stored: the counts roll up through the hierarchy like any count.
      const { rows } = await db.query<{ n: number; s: number }>(
        `SELECT count(*)::int AS n, sum(value)::float8 AS s FROM observation o JOIN indicator i ON i.id = o.indicator_id WHERE i.key = 'ferienprogramm_teilnehmende' AND o.import_batch_id = $1`,
        [r.batchId],
      );
      assert.deepEqual(rows[0], { n: 3 * 12 + 2 * 12, s: 10 });
      const bezirk = await getObservations(
        db,
        { indicator: 'ferienprogramm_teilnehmende', layer: 'bezirk', period: '2024' },
        SYSTEM,
      );
      assert.deepEqual(Object.fromEntries(bezirk.values.map((v) => [v.area, v.value])), { '01': 4, '02': 1 });
      assert.equal(bezirk.city.value, 5);
      const nz = await getObservations(
        db,
        { indicator: 'ferienprogramm_teilnehmende_nicht_zuordenbar', layer: 'stadt', period: '2024' },
        SYSTEM,
      );
      assert.equal(nz.values[0].value, 8);
      const reason = await getObservations(
        db,
        {
          indicator: 'ferienprogramm_teilnehmende_nicht_zuordenbar',
          layer: 'stadt',
          period: '2024',
          filter: { zuordnungsgrund: 'address_unmatched' },
        },
        SYSTEM,
      );
      assert.equal(reason.values[0].value, 2);

      // Lineage on the batch and the indicator.
      const { rows: batch } = await db.query<{
        kind: string;
        options: Record<string, unknown>;
        sha: string;
        rows: number;
      }>('SELECT kind, options, file_sha256 AS sha, rows_read AS rows FROM import_batch WHERE id = $1', [r.batchId]);
      assert.equal(batch[0].kind, 'sealed');
      assert.equal(batch[0].sha, r.sha256);
      assert.equal(batch[0].rows, 13);
      const lin = batch[0].options as {
        definition: string;
        version: number;
        records: number;
        register: { validFrom: string };
        match: { byMethod: Record<string, number> };
        unassignable: Record<string, number>;
        user: string;
        unknownStreets: unknown[];
      };
      assert.equal(lin.definition, 'ferienprogramm_2024');
      assert.equal(lin.version, 1);
      assert.equal(lin.records, 13);
      assert.equal(lin.register.validFrom, '2024-01-01');
      assert.equal(lin.user, 'cli');
      assert.deepEqual(lin.unknownStreets, [], 'a street typed by fewer than k records is not stored');
      const { rows: ind } = await db.query<{ owner: string; lineage: { kind: string; batch: number } }>(
        'SELECT owner, lineage FROM indicator WHERE key = $1',
        ['ferienprogramm_teilnehmende'],
      );
      assert.equal(ind[0].owner, 'jugendamt');
      assert.equal(ind[0].lineage.kind, 'sealed');
      assert.equal(ind[0].lineage.batch, r.batchId);
      // The ephemeral answer shows the unmatched addresses to the sealed office.
      assert.ok(r.unmatched.some((u) => u.reason === 'street-not-found'));
    });

    test('the same run again changes nothing but the batch; a changed definition is a new version', async () => {
      const again = await runSealed(db, records(recordsCsv()), def());
      assert.equal(again.definition.version, 1);
      assert.equal(again.definition.newVersion, false);
      const changed = parseSealedDefinitionText(
        JSON.stringify({ ...DEFINITION, referenceDate: '2024-08-01' }),
        'f.json',
      );
      const v2 = await runSealed(db, records(recordsCsv()), changed);
      assert.equal(v2.definition.version, 2);
      const cell = v2.counts.find(
        (c) =>
          c.layer === 'planungsraum' &&
          c.code === '0201' &&
          c.members.altersgruppe === '10-15' &&
          c.members.geschlecht === 'weiblich',
      )!;
      assert.equal(cell.value, 1, 'on 1 August she is ten');
    });

    test('refused above the threshold: nothing stored, the answer says why', async () => {
      const { rows: before } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM import_batch');
      const r = await runSealed(db, records(recordsCsv()), def(), { maxUnassignedShare: 0.5 });
      assert.ok(r.refused);
      assert.ok(Math.abs(r.refused!.share - 8 / 13) < 1e-9);
      assert.equal(r.batchId, null);
      const { rows: afterRun } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM import_batch');
      assert.equal(afterRun[0].n, before[0].n);
    });

    test('bad records give positioned problems without the personal values; missing columns are named', async () => {
      const c = canaries();
      const broken = `Name;Geburtsdatum;Geschlecht;Anschrift\n${c.name};01.01.2015;w;Ackerstr. 12a\n${c.name}2;01.01.2015;w\n`;
      const problems = await rejected(runSealed(db, records(broken), def()));
      assert.ok(problems.some((p) => p.code === 'column-count' && p.line === 3));
      assert.ok(!JSON.stringify(problems).includes(c.name), 'no problem carries a record value');
      const missing = await rejected(runSealed(db, records(`Name;Anschrift\n${c.name};Ackerstr. 12a\n`), def()));
      assert.ok(missing.some((p) => p.code === 'missing-column' && /Geburtsdatum/.test(p.reason)));
      assert.ok(!JSON.stringify(missing).includes(c.name));
    });

    test('only the sealed office may run it', async () => {
      const analyst: Principal = {
        kind: 'user',
        id: 1,
        name: 'analyst',
        role: 'analyst',
        department: null,
        sealedOffice: false,
      } as Principal;
      await assert.rejects(runSealed(db, records(recordsCsv()), def(), { principal: analyst }), { name: 'Forbidden' });
      await assert.rejects(runSealed(db, records(recordsCsv()), def(), { principal: { kind: 'anonymous' } }), {
        name: 'Unauthorized',
      });
    });

    test('canary proof on the engine: no canary in the WAL or the data files', async () => {
      const c = canaries();
      const r = await runSealed(
        db,
        records(recordsCsv(c)),
        parseSealedDefinitionText(
          JSON.stringify({
            ...DEFINITION,
            key: 'kanarien',
            indicator: { ...DEFINITION.indicator, key: 'kanarien_teilnehmende' },
          }),
          'k.json',
        ),
      );
      assert.ok(r.batchId);
      const needles = [c.name, c.firstName, c.note, c.street, c.houseNumber, c.number];
      if (engine.name === 'pglite') return; // the in-memory engine has no files: see the data-directory proof below
      // A PostgreSQL server: its data directory when this process can read it (CI runs the server
      // locally), else every WAL segment through pg_read_binary_file (superuser or pg_read_server_files).
      await db.query('CHECKPOINT').catch(() => undefined);
      const { rows } = await db
        .query<{ dir: string }>("SELECT current_setting('data_directory') AS dir")
        .catch(() => ({ rows: [] as { dir: string }[] }));
      const dir = rows[0]?.dir;
      let readable = false;
      try {
        if (dir) readable = statSync(join(dir, 'pg_wal')).isDirectory();
      } catch {
        readable = false;
      }
      if (readable) {
        assert.deepEqual(filesContaining(dir!, needles), [], `the server's data directory ${dir} (pg_wal included)`);
        const log = join(dirname(dir!), 'log');
        if (existsSync(log)) assert.deepEqual(filesContaining(log, needles), [], `the server's log ${log}`);
        return;
      }
      const { rows: wal } = await db.query<{ name: string }>('SELECT name FROM pg_ls_waldir() ORDER BY name');
      assert.ok(wal.length > 0, 'the WAL can be listed');
      for (const w of wal) {
        const { rows: hit } = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM unnest($1::text[]) AS t(needle) WHERE position(convert_to(needle, 'UTF8') IN pg_read_binary_file('pg_wal/' || $2)) > 0`,
          [needles, w.name],
        );
        assert.equal(hit[0].n, 0, `the WAL segment ${w.name} holds a canary`);
      }
    });

    test('coordinates instead of addresses', async () => {
      const d = parseSealedDefinitionText(
        JSON.stringify({
          ...DEFINITION,
          key: 'punkte',
          indicator: { ...DEFINITION.indicator, key: 'punkte_teilnehmende' },
          address: { x: 'x', y: 'y' },
        }),
        'p.json',
      );
      const r = await runSealed(
        db,
        records(
          'x;y;Geburtsdatum;Geschlecht\n8,02;50,05;14.03.2015;w\n8,15;50,05;14.03.2015;m\n9,9;50,05;14.03.2015;m\n;;14.03.2015;m\n',
        ),
        d,
        { dryRun: true },
      );
      assert.equal(r.assigned, 2);
      assert.equal(r.unassignable.outside_areas, 1);
      assert.equal(r.unassignable.address_missing, 1);
    });
  });
}

describe('canary proof [pglite, data directory]', () => {
  const tmp = tempDir();
  let db: Database;
  const dataDir = join(tmp.dir, 'data');
  before(async () => {
    db = await openDatabase({ dataDir });
    await migrate(db);
    await sealedCity(db, tmp);
  });
  after(async () => {
    await db?.close();
    tmp.cleanup();
  });

  test('after a run, no canary is in any byte of the data directory (pg_wal included) or the audit export', async () => {
    const c = canaries();
    const r: SealedRunResult = await runSealed(db, records(recordsCsv(c)), def(), {
      definitionFile: 'ferienprogramm.json',
    });
    assert.ok(r.batchId);
    await db.query('CHECKPOINT');
    const needles = [c.name, c.firstName, c.note, c.street, c.houseNumber, c.number];
    assert.deepEqual(filesContaining(dataDir, needles), []);
    const audit = auditToCsv(await readAuditTrail(db, SYSTEM, { limit: 10_000 }));
    for (const n of [...needles, c.birthDate]) assert.ok(!audit.includes(n), `the audit export holds ${n}`);
    await db.close();
    // After closing, everything is flushed.
    assert.deepEqual(filesContaining(dataDir, needles), []);
    db = await openDatabase({ dataDir });
  });
});

describe('definition files', () => {
  test('YAML definitions are read with positions', async () => {
    const tmp = tempDir();
    try {
      const p = tmp.file(
        'f.yaml',
        'key: x\nindicator:\n  key: y\n  name: Y\n  unit: Kinder\n  type: count\n  owner: jugendamt\nperiod: "2024"\naddress:\n  column: Anschrift\n  street: Strasse\n',
      );
      await assert.rejects(
        readSealedDefinitionFile(p),
        (e: unknown) =>
          e instanceof InputRejected && e.problems.some((q) => q.line === 9 && /exactly one/.test(q.reason)),
      );
    } finally {
      tmp.cleanup();
    }
  });
});
