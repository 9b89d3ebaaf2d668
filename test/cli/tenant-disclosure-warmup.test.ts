// With many tenants, `serve` computes each tenant's disclosure patterns in the background and
// stores them in the tenant's schema; a tenant whose indicators have no rule costs one query.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Tenants } from '../../src/store/tenants.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importCatalogue } from '../../src/services/indicators.ts';
import { importObservations } from '../../src/services/observations-import.ts';
import { warmTenantPatterns } from '../../src/cli/tenant-serve.ts';
import { tempDir } from '../helpers/files.ts';
import { dropTenants, openTenants, tenantGate, uniqueKey } from '../helpers/tenants.ts';

describe('disclosure patterns warmed per tenant', tenantGate(), () => {
  let tenants: Tenants;
  const tmp = tempDir();
  const protectedKey = uniqueKey('wp');
  const plainKey = uniqueKey('wq');
  before(async () => {
    tenants = await openTenants();
    for (const [key, rule] of [
      [protectedKey, { minFrequency: 3 }],
      [plainKey, undefined],
    ] as const) {
      const t = await tenants.add({ key, name: key });
      const db = tenants.database(t);
      await importAreas(db, tmp.file(`${key}-a.csv`, 'code;name\n01;Nord\n02;Süd\n03;Ost\n'), { layer: 'stadtteil' });
      await importCatalogue(db, [
        {
          key: 'faelle',
          name: 'Fälle',
          unit: 'Personen',
          type: 'count',
          confidentiality: 'public',
          ...(rule ? { disclosure: rule } : {}),
        },
      ]);
      await importObservations(
        db,
        tmp.file(
          `${key}-o.csv`,
          'indicator;area;period;value\nfaelle;01;2024;1\nfaelle;02;2024;40\nfaelle;03;2024;25\n',
        ),
      );
    }
  });
  after(async () => {
    await dropTenants(tenants, [protectedKey, plainKey]);
    await tenants.close();
    tmp.cleanup();
  });

  test('the protected tenant gets its pattern stored, the other none; the summary names both', async () => {
    const said: string[] = [];
    const n = await warmTenantPatterns(
      tenants,
      (m) => said.push(m),
      () => false,
      [protectedKey, plainKey],
    );
    assert.equal(n, 1, 'one indicator × one period with a rule');
    const stored = async (key: string) => {
      const row = (await tenants.get(key))!;
      const { rows } = await tenants
        .database(row)
        .query<{ n: number }>('SELECT count(*)::int AS n FROM disclosure_pattern');
      return rows[0].n;
    };
    assert.equal(await stored(protectedKey), 1);
    assert.equal(await stored(plainKey), 0);
    assert.match(said.join(''), /1 pattern\(s\) ready for 2 tenant\(s\)/);
    assert.equal(
      await warmTenantPatterns(
        tenants,
        () => undefined,
        () => true,
        [protectedKey],
      ),
      0,
      'stops when the server stops',
    );
  });
});
