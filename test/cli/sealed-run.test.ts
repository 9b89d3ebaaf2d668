// `kommunalmonitor sealed run`: the command line as written, options before or after the
// file, refusal, positioned problems; and the canary proof for the CLI: a full run and a run
// killed with SIGKILL half-way leave no canary in the data directory (pg_wal included) or the
// child's private temporary directory, and the killed run stored nothing.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../helpers/cli.ts';
import { openDatabase } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { tempDir } from '../helpers/files.ts';
import { sealedCity, DEFINITION, recordsCsv, canaries, filesContaining } from '../helpers/sealed-fixture.ts';

describe('sealed run (CLI)', () => {
  const tmp = tempDir();
  const dataDir = join(tmp.dir, 'data');
  let definition: string;
  before(async () => {
    const db = await openDatabase({ dataDir });
    await migrate(db);
    await sealedCity(db, tmp);
    await db.close();
    definition = tmp.file('ferienprogramm.json', JSON.stringify(DEFINITION, null, 2));
  });
  after(() => tmp.cleanup());

  test('the issue’s command and file as written', async () => {
    const file = tmp.file(
      'anmeldungen.csv',
      'Anmeldenummer;Name;Vorname;Geburtsdatum;Geschlecht;Anschrift;Woche\nA-0001;Muster;Lena;14.03.2015;w;Ackerstr. 12a, 10115 Berlin;2\n',
    );
    const dry = await run(['--data-dir', dataDir, 'sealed', 'run', file, '--definition', definition, '--dry-run']);
    assert.equal(dry.code, 0, dry.err);
    assert.match(dry.out, /Dry run — nothing was stored/);
    assert.match(dry.out, /1 records read, 1 counted in areas of planungsraum, 0 nicht zuordenbar/);
    // Options before the file; --json gives the whole answer.
    const real = await run(['--data-dir', dataDir, '--json', 'sealed', 'run', '--definition', definition, file]);
    assert.equal(real.code, 0, real.err);
    const r = JSON.parse(real.out);
    assert.ok(r.batchId);
    assert.equal(
      r.counts.find(
        (c: { code: string; members: Record<string, string> }) =>
          c.code === '0101' && c.members.altersgruppe === '6-10' && c.members.geschlecht === 'weiblich',
      ).value,
      1,
    );
  });

  test('the summary and the unmatched addresses go to the terminal; refusal exits 1 and stores nothing', async () => {
    const c = canaries();
    const file = tmp.file('viele.csv', recordsCsv(c));
    const ok = await run(['--data-dir', dataDir, 'sealed', 'run', file, '--definition', definition, '--dry-run']);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /13 records read, 5 counted/);
    assert.match(ok.out, /address_unmatched 2/);
    assert.ok(ok.out.includes(c.street), 'the sealed office sees the unknown street on the terminal');
    const refused = await run([
      '--data-dir',
      dataDir,
      'sealed',
      'run',
      file,
      '--definition',
      definition,
      '--max-unassigned-share',
      '10%',
    ]);
    assert.equal(refused.code, 1);
    assert.match(refused.out, /Refused — nothing was stored/);
    const db = await openDatabase({ dataDir });
    try {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM import_batch WHERE kind = 'sealed'`,
      );
      assert.equal(rows[0].n, 1, 'only the run of the first test');
    } finally {
      await db.close();
    }
  });

  test('a bad definition: positioned problems', async () => {
    const bad = tmp.file(
      'bad.json',
      JSON.stringify(
        { ...DEFINITION, breakdowns: { ...DEFINITION.breakdowns, geschlecht: { from: 'Geschlecht', mapping: {} } } },
        null,
        2,
      ),
    );
    const r = await run(['--data-dir', dataDir, 'sealed', 'run', tmp.file('x.csv', 'a\n1\n'), '--definition', bad]);
    assert.equal(r.code, 1);
    assert.match(r.err, /bad\.json, line \d+, column \d+: "breakdowns\.geschlecht/);
  });
});

describe('canary proof: a CLI run, and a run killed with SIGKILL half-way', () => {
  const tmp = tempDir();
  const dataDir = join(tmp.dir, 'data');
  const privateTmp = join(tmp.dir, 'tmp');
  const c = canaries();
  const needles = [c.name, c.firstName, c.note, c.street, c.houseNumber, c.number];
  let definition: string;
  let big: string;
  let fullMs = 0;
  before(async () => {
    mkdirSync(privateTmp);
    const db = await openDatabase({ dataDir });
    await migrate(db);
    await sealedCity(db, tmp);
    await db.close();
    definition = tmp.file('ferienprogramm.json', JSON.stringify(DEFINITION));
    // 300,000 records; canaries at the start, the middle and the end.
    const head = recordsCsv(c).split('\n');
    const lines = [head[0]];
    const addresses = [
      'Ackerstr. 12a, 10115 Berlin',
      'Ackerstr. 14, 10115 Berlin',
      'Lindenweg 1',
      'Lindenweg 3, 10117',
      'Gibtsnichtweg 4',
    ];
    for (let i = 0; i < 300_000; i++) {
      // The canary records once in the middle (a street typed by k or more records would be kept as an unknown street name);
      // names and notes also at the start and the end.
      if (i === 150_000) lines.push(...head.slice(1, -1));
      else if (i === 0 || i === 299_999)
        lines.push(`A-${i};${c.name};${c.firstName};01.02.2015;w;Ackerstr. 14, 10115 Berlin;1;${c.note}`);
      else
        lines.push(
          `A-${i};Name${i % 977};Vorname${i % 313};${String(1 + (i % 28)).padStart(2, '0')}.${String(1 + (i % 12)).padStart(2, '0')}.${2008 + (i % 16)};${'wmd'[i % 3]};${addresses[i % 5]};${i % 6};`,
        );
    }
    big = join(tmp.dir, 'gross.csv');
    writeFileSync(big, lines.join('\n') + '\n');
  });
  after(() => tmp.cleanup());

  const child = (args: string[]) => {
    const p = spawn(
      process.execPath,
      [
        'bin/kommunalmonitor.mjs',
        '--data-dir',
        dataDir,
        'sealed',
        'run',
        big,
        '--definition',
        definition,
        '--show-unmatched',
        '0',
        ...args,
      ],
      {
        env: { ...process.env, TMPDIR: privateTmp, TMP: privateTmp, TEMP: privateTmp },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    p.stdout!.setEncoding('utf8').on('data', (s: string) => (output += s));
    p.stderr!.setEncoding('utf8').on('data', (s: string) => (output += s));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
      p.once('exit', (code, signal) => r({ code, signal })),
    );
    return { p, exit, output: () => output };
  };

  test('a full run stores the counts and no canary', async () => {
    const r = child([]);
    const e = await r.exit;
    assert.equal(e.code, 0, r.output());
    assert.match(r.output(), /Stored as import batch/);
    assert.deepEqual(filesContaining(dataDir, needles), [], 'the data directory (pg_wal included)');
    assert.deepEqual(filesContaining(privateTmp, needles), [], 'the temporary directory');
  });

  test('a run killed with SIGKILL half-way stores nothing and leaves no canary', async () => {
    // The time a run takes to its answer, measured on a dry run (the first run also built the CLI's bundle).
    const t0 = Date.now();
    const dry = child(['--dry-run']);
    assert.equal((await dry.exit).code, 0, dry.output());
    fullMs = Date.now() - t0;
    // Half-way through the time a run takes (start, register, reading and matching). A run that
    // ended before the kill (the machine was faster this time) stored its counts: the next try
    // kills earlier, into a data directory that then holds one more batch.
    let r = child([]);
    let e: { code: number | null; signal: NodeJS.Signals | null } = { code: null, signal: null };
    let batchesBefore = 0;
    for (let attempt = 0, share = 0.6; attempt < 4; attempt++, share /= 2) {
      if (attempt) {
        batchesBefore++;
        r = child([]);
      }
      await new Promise((res) => setTimeout(res, Math.max(300, Math.round(fullMs * share))));
      r.p.kill('SIGKILL');
      e = await r.exit;
      if (e.signal === 'SIGKILL') break;
    }
    assert.equal(e.signal, 'SIGKILL', `the run had ended before it was killed: ${r.output()}`);
    assert.deepEqual(filesContaining(dataDir, needles), [], 'the data directory (pg_wal included)');
    assert.deepEqual(filesContaining(privateTmp, needles), [], 'the temporary directory');
    assert.doesNotMatch(r.output(), /records read/, 'killed before its answer');
    const db = await openDatabase({ dataDir });
    try {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM import_batch WHERE kind = 'sealed'`,
      );
      assert.equal(rows[0].n, 1 + batchesBefore, 'only the full runs are stored');
      await db.query('CHECKPOINT');
    } finally {
      await db.close();
    }
    assert.deepEqual(filesContaining(dataDir, needles), [], 'after recovery, too');
  });
});
