// The tenants benchmark's pure parts: sizes skewed like real municipalities that add up to the
// total asked for, shapes that give each tenant about its share, and the section it writes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  shapeOf,
  tenantSizes,
  tenantsBenchSection,
  TENANTS_SECTION_START,
  TENANTS_SECTION_END,
} from '../../bench/tenants.ts';

describe('tenants bench', () => {
  it('skews 500 tenants like municipalities: a few millions, many small towns, about 50 M in all', () => {
    const s = tenantSizes(500, 50_000_000);
    const total = s.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 50_000_000) / 50_000_000 < 0.02, String(total));
    assert.ok(s[0] > 5_000_000 && s[2] > 1_000_000, 'a few cities with millions');
    assert.ok(s.filter((x) => x < 100_000).length > 250, 'many small towns');
    for (let i = 1; i < s.length; i++) assert.ok(s[i] <= s[i - 1]);
  });

  it('gives each tenant areas × periods × 8 age groups close to its size', () => {
    for (const n of [2_000, 40_000, 600_000, 7_000_000]) {
      const { areas, periods } = shapeOf(n);
      const got = areas * periods * 8;
      assert.ok(Math.abs(got - n) / n < 0.5, `${n}: ${got}`);
    }
  });

  it('writes its section between its markers, naming a reduced run and the unmet figures', () => {
    const lat = { requests: 1000, errors: 0, p50: 4, p99: 30, max: 80, smallP99: 20, smallRequests: 500 };
    const text = tenantsBenchSection(
      {
        tenants: 40,
        observations: 2_000_000,
        largest: 400_000,
        smallest: 2_000,
        loadSeconds: 60,
        addMedianMs: 300,
        addP95Ms: 500,
        addMaxMs: 2500,
        rate: 200,
        seconds: 30,
        quiet: lat,
        importing: { ...lat, smallP99: 30, importedRows: 3_000_000, importSeconds: 20 },
        generatorCpu: 0.1,
        migrateSeconds: 10,
        migrateFailed: 0,
        workers: 1,
        reused: false,
        loadBefore: 0.5,
        cpus: '2 × test',
      },
      'abc',
    );
    assert.ok(text.startsWith(TENANTS_SECTION_START) && text.endsWith(TENANTS_SECTION_END));
    assert.match(text, /A reduced run/);
    assert.match(text, /max 2,500 ms \| \*\*missed\*\*/);
    assert.match(text, /1\.50 × \| met/);
    assert.match(text, /≈ 125 s for 500/);
    assert.match(text, /its own process \(`serve` with path routing/);
  });

  it('names what a run on a kept database did not measure, and the workers', () => {
    const lat = { requests: 1000, errors: 0, p50: 4, p99: 30, max: 80, smallP99: 20, smallRequests: 500 };
    const text = tenantsBenchSection(
      {
        tenants: 500,
        observations: 50_000_000,
        largest: 7_000_000,
        smallest: 2_000,
        loadSeconds: 0,
        addMedianMs: NaN,
        addP95Ms: NaN,
        addMaxMs: NaN,
        rate: 200,
        seconds: 60,
        quiet: lat,
        importing: { ...lat, importedRows: 3_000_000, importSeconds: 20 },
        generatorCpu: 0.1,
        migrateSeconds: NaN,
        migrateFailed: 0,
        workers: 2,
        reused: true,
        loadBefore: 0.5,
        cpus: '2 × test',
      },
      'abc',
    );
    assert.doesNotMatch(text, /A reduced run|NaN/);
    assert.match(text, /adding a tenant \| ≤ 2 s \| not measured: a kept database was reused/);
    assert.match(text, /migrating every tenant \| ≤ 5 min for 500 \| not measured/);
    assert.match(text, /2 processes \(`serve --workers 2`/);
  });
});
