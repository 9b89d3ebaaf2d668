// Account administration on the command line: the password comes from standard input (never
// an argument), tokens are shown once, and the audit trail exports as CSV.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { run } from '../helpers/cli.ts';
import { tempDir } from '../helpers/files.ts';

describe('kommunalmonitor users, departments, tokens, audit', () => {
  const tmp = tempDir();
  const g = ['--data-dir', join(tmp.dir, 'data')];
  after(() => tmp.cleanup());

  test('the first admin is created with the password from standard input', () => {
    const r = spawnSync(
      process.execPath,
      ['bin/kommunalmonitor.mjs', ...g, 'users', 'add', 'chefin', '--role', 'admin'],
      { input: 'ein sehr geheimes Passwort\n', encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Created admin "chefin"/);
    const short = spawnSync(
      process.execPath,
      ['bin/kommunalmonitor.mjs', ...g, 'users', 'add', 'kurz', '--role', 'viewer'],
      { input: 'kurz\n', encoding: 'utf8' },
    );
    assert.equal(short.status, 1);
    assert.match(short.stderr, /at least 12 characters/);
  });

  test('departments, stewards, tokens and the audit trail', async () => {
    assert.equal((await run([...g, 'departments', 'add', 'jugend', 'Jugendamt'])).code, 0);
    const dup = await run([...g, 'departments', 'add', 'jugend', 'Jugendamt']);
    assert.equal(dup.code, 1);
    assert.match(dup.err, /exists already/);
    const list = await run([...g, '--json', 'departments', 'list']);
    assert.deepEqual(
      JSON.parse(list.out).map((d: { key: string }) => d.key),
      ['jugend'],
    );
    const users = await run([...g, '--json', 'users', 'list']);
    assert.deepEqual(
      JSON.parse(users.out).map((u: { name: string; role: string }) => [u.name, u.role]),
      [['chefin', 'admin']],
    );
    const tok = await run([
      ...g,
      '--json',
      'tokens',
      'create',
      '--user',
      'chefin',
      '--name',
      'nächtlicher Import',
      '--days',
      '30',
    ]);
    assert.equal(tok.code, 0, tok.err);
    const created = JSON.parse(tok.out);
    assert.match(created.token, /^km_/);
    const tokens = await run([...g, '--json', 'tokens', 'list']);
    assert.ok(!tokens.out.includes(created.token), 'secrets are never listed');
    assert.equal((await run([...g, 'tokens', 'revoke', String(created.id)])).code, 0);
    assert.equal((await run([...g, 'users', 'grant', 'chefin', 'sealed-office'])).code, 0);
    assert.equal(JSON.parse((await run([...g, '--json', 'users', 'list'])).out)[0].sealedOffice, true);
    const unknown = await run([...g, 'users', 'grant', 'chefin', 'alles']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /unknown permission "alles"/);
    assert.equal((await run([...g, 'users', 'revoke', 'chefin', 'sealed-office'])).code, 0);
    assert.equal(JSON.parse((await run([...g, '--json', 'users', 'list'])).out)[0].sealedOffice, false);
    assert.equal((await run([...g, 'users', 'disable', 'chefin'])).code, 0);
    const audit = await run([...g, 'audit', '--format', 'csv']);
    assert.match(audit.out, /user\.add;user;chefin/);
    assert.match(audit.out, /token\.create/);
    assert.match(audit.out, /token\.revoke/);
    assert.match(audit.out, /user\.grant;user;chefin/);
    assert.match(audit.out, /user\.revoke;user;chefin/);
    assert.match(audit.out, /user\.disable;user;chefin/);
  });

  test('a coded error in English by default, in German with KOMMUNALMONITOR_LANG=de', async () => {
    const en = await run([...g, 'users', 'disable', 'niemand']);
    assert.equal(en.code, 1);
    assert.equal(en.err, 'error: The user "niemand" does not exist.\n');
    process.env.KOMMUNALMONITOR_LANG = 'de';
    try {
      const de = await run([...g, 'users', 'disable', 'niemand']);
      assert.equal(de.code, 1);
      assert.equal(de.err, 'error: Das Benutzerkonto „niemand“ gibt es nicht.\n');
      const problem = await run([...g, 'users', 'grant', 'chefin', 'alles']);
      assert.equal(problem.code, 1);
      assert.match(
        problem.err,
        /^FEHLER: Die Eingabe ist ungültig\. \(unknown permission "alles"\) \(Wert „alles“\)$/m,
      );
    } finally {
      delete process.env.KOMMUNALMONITOR_LANG;
    }
  });
});
