// [postgres] `kommunalmonitor --tenant KEY settings oidc …`: a tenant's own identity provider,
// the client secret from standard input (never printed), checked as a whole, other tenants untouched.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Tenants } from '../../src/store/tenants.ts';
import { readOidcSettings } from '../../src/services/oidc-settings.ts';
import { tenantGate, uniqueKey, openTenants, dropTenants } from '../helpers/tenants.ts';

describe('settings oidc per tenant [postgres]', tenantGate(), () => {
  let t: Tenants;
  const a = uniqueKey('sa');
  const b = uniqueKey('sb');
  const cli = (args: string[], input = '') =>
    spawnSync(process.execPath, ['bin/kommunalmonitor.mjs', ...args], {
      input,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL },
    });
  const settings = async (key: string) => readOidcSettings(t.database((await t.require(key))!));
  before(async () => {
    t = await openTenants();
    await t.add({ key: a, name: 'Stadt A' });
    await t.add({ key: b, name: 'Gemeinde B' });
  });
  after(async () => {
    if (t) {
      await dropTenants(t, [a, b]);
      await t.close();
    }
  });

  test('set, print without the secret, refuse bad settings, remove', async () => {
    const redirect = `https://km.example.org/t/${a}/api/auth/oidc/callback`;
    let r = cli(
      [
        '--tenant',
        a,
        'settings',
        'oidc',
        '--issuer',
        'https://login.example.org/realms/a',
        '--client-id',
        'km-a',
        '--redirect-url',
        redirect,
        '--provision-role',
        'viewer',
        '--client-secret-stdin',
      ],
      'sehr-geheim\n',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Saved: issuer https:\/\/login\.example\.org\/realms\/a, client km-a with a secret/);
    assert.doesNotMatch(r.stdout + r.stderr, /sehr-geheim/);
    assert.deepEqual(await settings(a), {
      issuer: 'https://login.example.org/realms/a',
      clientId: 'km-a',
      clientSecret: 'sehr-geheim',
      redirectUrl: redirect,
      provisionRole: 'viewer',
    });
    assert.equal(await settings(b), undefined, 'B is untouched');
    r = cli(['--json', '--tenant', a, 'settings', 'oidc']);
    assert.equal(JSON.parse(r.stdout).oidc.clientSecret, '(set)');
    // A change keeps the rest (and the secret); a bad one changes nothing.
    r = cli(['--tenant', a, 'settings', 'oidc', '--client-id', 'km-a2']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await settings(a))?.clientSecret, 'sehr-geheim');
    r = cli(['--tenant', a, 'settings', 'oidc', '--redirect-url', `https://km.example.org/t/${a}/anmelden`]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /redirectUrl: must end with \/api\/auth\/oidc\/callback/);
    assert.equal((await settings(a))?.redirectUrl, redirect);
    r = cli(['--tenant', a, 'settings', 'oidc', '--remove']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(await settings(a), undefined);
  });
});
