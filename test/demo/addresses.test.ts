// The demo's address register: seeded, every house inside its block, numbers unique per street,
// street names unique in the city, postcodes by Stadtbezirk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateMusterstadt } from '../../src/demo/musterstadt.ts';
import { demoAddresses, demoAddressesCsv } from '../../src/demo/addresses.ts';
import { naiveAssign } from '../../src/core/geo/point-index.ts';

test('demo addresses: seeded, inside their blocks, unique numbers per street, some streets through two Stadtteile', () => {
  const city = generateMusterstadt({ seed: 1 });
  const newest = (key: string) => {
    const l = city.layers.find((x) => x.key === key)!;
    return l.versions[l.versions.length - 1].areas;
  };
  const districtOf = new Map(newest('stadtteil').map((s) => [s.code, s.parentCode ?? '']));
  const blocks = newest('block').map((b) => ({
    code: b.code,
    stadtteil: b.parentCode ?? '',
    stadtbezirk: districtOf.get(b.parentCode ?? '') ?? '',
    geometry: b.geometry,
  }));
  const list = demoAddresses(blocks, 1);
  assert.deepEqual(demoAddresses(blocks, 1), list, 'the same seed gives the same register');
  assert.notDeepEqual(demoAddresses(blocks, 2), list);
  assert.ok(list.length > 1000);
  const byCode = new Map(blocks.map((b) => [b.code, b]));
  for (const a of list)
    assert.equal(
      naiveAssign([byCode.get(a.block)!.geometry], a.lon, a.lat),
      0,
      `${a.street} ${a.number} lies in ${a.block}`,
    );
  const keys = list.map((a) => `${a.street}|${a.number}`);
  assert.equal(new Set(keys).size, keys.length, 'house numbers are unique per street');
  const stadtteile = new Map<string, Set<string>>();
  for (const a of list)
    (stadtteile.get(a.street) ?? stadtteile.set(a.street, new Set()).get(a.street)!).add(
      byCode.get(a.block)!.stadtteil,
    );
  assert.ok([...stadtteile.values()].some((s) => s.size > 1));
  assert.ok(list.every((a) => /^\d{5}$/.test(a.postcode)));
  const csv = demoAddressesCsv(list.slice(0, 2)).split('\n');
  assert.equal(csv[0], 'Straße;Hausnummer;PLZ;Lon;Lat');
  assert.match(csv[1], /^[^;]+;\d+a?;\d{5};\d+,\d+;\d+,\d+$/);
});
