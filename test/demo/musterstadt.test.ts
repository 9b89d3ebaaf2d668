import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  generateMusterstadt,
  NEW_BOUNDARIES_FROM,
  type DemoArea,
  type DemoCity,
  type DemoLayer,
  type DemoLayerVersion,
  type DemoObservation,
} from '../../src/demo/musterstadt.ts';
import { catalogueSchema, isDerivedRatio } from '../../src/core/indicators.ts';
import { parsePeriod } from '../../src/core/periods.ts';
import type { MultiPolygonGeometry, Position } from '../../src/core/geo/types.ts';

const city = generateMusterstadt();
const observations = [...city.observations()];

// --- helpers ---------------------------------------------------------------------------------

function layer(c: DemoCity, key: string): DemoLayer {
  const l = c.layers.find((x) => x.key === key);
  assert.ok(l, `layer ${key} exists`);
  return l;
}

/** The version of a layer valid at an ISO date (null = the open start). */
function versionAt(l: DemoLayer, date: string | null): DemoLayerVersion {
  let best: DemoLayerVersion | undefined;
  for (const v of l.versions) if (v.validFrom === null || (date !== null && v.validFrom <= date)) best = v;
  assert.ok(best, `layer ${l.key} has a version valid at ${date}`);
  return best;
}

function signedArea(ring: Position[]): number {
  let a = 0;
  const [x0, y0] = ring[0];
  for (let i = 0; i + 1 < ring.length; i++)
    a += (ring[i][0] - x0) * (ring[i + 1][1] - y0) - (ring[i + 1][0] - x0) * (ring[i][1] - y0);
  return a / 2;
}

function geometryArea(g: MultiPolygonGeometry): number {
  let a = 0;
  for (const poly of g.coordinates) for (const ring of poly) a += signedArea(ring);
  return a;
}

function pointInGeometry(x: number, y: number, g: MultiPolygonGeometry): boolean {
  let inside = false;
  for (const poly of g.coordinates)
    for (const ring of poly)
      for (let i = 0, j = ring.length - 2; i < ring.length - 1; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
  return inside;
}

function centroid(g: MultiPolygonGeometry): [number, number] {
  const ring = g.coordinates[0][0];
  let a = 0;
  let cx = 0;
  let cy = 0;
  const [x0, y0] = ring[0];
  for (let i = 0; i + 1 < ring.length; i++) {
    const xi = ring[i][0] - x0;
    const yi = ring[i][1] - y0;
    const xj = ring[i + 1][0] - x0;
    const yj = ring[i + 1][1] - y0;
    const c = xi * yj - xj * yi;
    a += c;
    cx += (xi + xj) * c;
    cy += (yi + yj) * c;
  }
  return [cx / (3 * a) + x0, cy / (3 * a) + y0];
}

const vertexKey = (p: Position) => `${p[0]},${p[1]}`;

/** The area of `parents` containing each child's centroid. */
function containing(children: DemoArea[], parents: DemoArea[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of children) {
    const [x, y] = centroid(c.geometry);
    const p = parents.find((q) => pointInGeometry(x, y, q.geometry));
    assert.ok(p, `centroid of ${c.code} lies in some area`);
    out.set(c.code, p.code);
  }
  return out;
}

/** No two boundary segments of the areas cross (shared endpoints allowed). */
function assertNoCrossings(areas: DemoArea[]): void {
  const segs = new Map<string, [number, number, number, number]>();
  for (const a of areas)
    for (const poly of a.geometry.coordinates)
      for (const ring of poly)
        for (let i = 0; i + 1 < ring.length; i++) {
          const p = ring[i];
          const q = ring[i + 1];
          const k1 = vertexKey(p);
          const k2 = vertexKey(q);
          assert.notEqual(k1, k2, `no repeated consecutive vertex in ${a.code}`);
          segs.set(k1 < k2 ? `${k1};${k2}` : `${k2};${k1}`, [p[0], p[1], q[0], q[1]]);
        }
  const list = [...segs.values()];
  const cell = 0.004;
  const grid = new Map<string, number[]>();
  list.forEach((s, i) => {
    for (let gx = Math.floor(Math.min(s[0], s[2]) / cell); gx <= Math.floor(Math.max(s[0], s[2]) / cell); gx++)
      for (let gy = Math.floor(Math.min(s[1], s[3]) / cell); gy <= Math.floor(Math.max(s[1], s[3]) / cell); gy++) {
        const k = `${gx},${gy}`;
        const b = grid.get(k);
        if (b) b.push(i);
        else grid.set(k, [i]);
      }
  });
  const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) =>
    Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
  const checked = new Set<string>();
  for (const bucket of grid.values())
    for (let i = 0; i < bucket.length; i++)
      for (let j = i + 1; j < bucket.length; j++) {
        const a = list[bucket[i]];
        const b = list[bucket[j]];
        const key = `${bucket[i]},${bucket[j]}`;
        if (checked.has(key)) continue;
        checked.add(key);
        const shared =
          (a[0] === b[0] && a[1] === b[1]) ||
          (a[0] === b[2] && a[1] === b[3]) ||
          (a[2] === b[0] && a[3] === b[1]) ||
          (a[2] === b[2] && a[3] === b[3]);
        if (shared) continue;
        const o1 = orient(a[0], a[1], a[2], a[3], b[0], b[1]);
        const o2 = orient(a[0], a[1], a[2], a[3], b[2], b[3]);
        const o3 = orient(b[0], b[1], b[2], b[3], a[0], a[1]);
        const o4 = orient(b[0], b[1], b[2], b[3], a[2], a[3]);
        assert.ok(!(o1 !== o2 && o3 !== o4), `segments ${a} and ${b} cross`);
      }
}

function blockValues(indicator: string, period: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of observations)
    if (o.indicator === indicator && o.period === period && o.layer === 'block')
      out.set(o.area, (out.get(o.area) ?? 0) + (o.value ?? 0));
  return out;
}

// --- tests -----------------------------------------------------------------------------------

test('the same seed gives the same city, another seed another city', () => {
  const again = generateMusterstadt({ seed: 1 });
  assert.equal(JSON.stringify(again.layers), JSON.stringify(city.layers));
  const first = (c: DemoCity) => {
    const out: DemoObservation[] = [];
    for (const o of c.observations()) {
      out.push(o);
      if (out.length === 1000) break;
    }
    return JSON.stringify(out);
  };
  assert.equal(first(again), JSON.stringify(observations.slice(0, 1000)));
  // Iterating twice gives the same sequence, also at its end.
  assert.equal(JSON.stringify([...again.observations()].slice(-500)), JSON.stringify(observations.slice(-500)));
  const other = generateMusterstadt({ seed: 2 });
  assert.notEqual(JSON.stringify(other.layers), JSON.stringify(city.layers));
  assert.notEqual(first(other), first(city));
});

test('layers, versions and sizes', () => {
  assert.equal(city.name, 'Musterstadt');
  assert.deepEqual(
    city.layers.map((l) => [l.key, l.kind, l.parentLayer]),
    [
      ['gesamtstadt', 'hierarchical', null],
      ['stadtbezirk', 'hierarchical', 'gesamtstadt'],
      ['stadtteil', 'hierarchical', 'stadtbezirk'],
      ['block', 'hierarchical', 'stadtteil'],
      ['grundschulbezirk', 'overlay', null],
      ['wahlbezirk', 'overlay', null],
    ],
  );
  const gesamt = layer(city, 'gesamtstadt').versions;
  assert.equal(gesamt.length, 1);
  assert.deepEqual(
    gesamt[0].areas.map((a) => [a.code, a.name, a.parentCode]),
    [['0', 'Musterstadt', null]],
  );
  assert.equal(layer(city, 'stadtbezirk').versions[0].areas.length, 12);
  const st = layer(city, 'stadtteil').versions;
  assert.deepEqual(
    st.map((v) => [v.validFrom, v.areas.length]),
    [
      [null, 24],
      [NEW_BOUNDARIES_FROM, 38],
    ],
  );
  const blocks = layer(city, 'block').versions;
  assert.deepEqual(
    blocks.map((v) => v.validFrom),
    [null, NEW_BOUNDARIES_FROM],
  );
  assert.ok(blocks[0].areas.length >= 250 && blocks[0].areas.length <= 350, `${blocks[0].areas.length} blocks`);
  // Same codes and geometry in both block versions, different parents.
  assert.deepEqual(
    blocks[1].areas.map((a) => a.code),
    blocks[0].areas.map((a) => a.code),
  );
  assert.equal(
    JSON.stringify(blocks[1].areas.map((a) => a.geometry)),
    JSON.stringify(blocks[0].areas.map((a) => a.geometry)),
  );
  assert.ok(blocks[0].areas.some((a, i) => a.parentCode !== blocks[1].areas[i].parentCode));
  const gs = layer(city, 'grundschulbezirk').versions[0].areas.length;
  const wb = layer(city, 'wahlbezirk').versions[0].areas.length;
  assert.ok(gs >= 40 && gs <= 50, `${gs} Grundschulbezirke`);
  assert.ok(wb >= 55 && wb <= 65, `${wb} Wahlbezirke`);
});

test('codes are strings with leading zeros, unique, names German and present', () => {
  const patterns: Record<string, RegExp> = {
    gesamtstadt: /^0$/,
    stadtbezirk: /^\d{2}$/,
    stadtteil: /^\d{4}$/,
    block: /^\d{8}$/,
    grundschulbezirk: /^\d{2}$/,
    wahlbezirk: /^\d{3}$/,
  };
  for (const l of city.layers)
    for (const v of l.versions) {
      const codes = v.areas.map((a) => a.code);
      assert.equal(new Set(codes).size, codes.length, `unique codes in ${l.key} ${v.validFrom}`);
      assert.deepEqual([...codes].sort(), codes, `${l.key} areas are sorted by code`);
      for (const a of v.areas) {
        assert.equal(typeof a.code, 'string');
        assert.match(a.code, patterns[l.key], `${l.key} code ${a.code}`);
        assert.ok(a.name.length > 0);
      }
      const names = v.areas.map((a) => a.name);
      if (l.key !== 'block') assert.equal(new Set(names).size, names.length, `unique names in ${l.key}`);
    }
  assert.ok(layer(city, 'stadtbezirk').versions[0].areas.some((a) => a.code === '01' && a.name === 'Altstadt'));
  assert.ok(layer(city, 'block').versions[0].areas.some((a) => a.code.startsWith('0101000')));
});

test('every parentCode exists in the parent layer version valid at the same date', () => {
  for (const l of city.layers) {
    for (const v of l.versions) {
      if (l.parentLayer === null) {
        for (const a of v.areas) assert.equal(a.parentCode, null);
        continue;
      }
      const parents = versionAt(layer(city, l.parentLayer), v.validFrom);
      const codes = new Set(parents.areas.map((a) => a.code));
      for (const a of v.areas)
        assert.ok(
          a.parentCode !== null && codes.has(a.parentCode),
          `${l.key} ${a.code} (${v.validFrom}) → ${a.parentCode}`,
        );
    }
  }
  // Neighbourhood codes start with their district's code; block codes with their district's code.
  for (const v of layer(city, 'stadtteil').versions)
    for (const a of v.areas) assert.equal(a.code.slice(0, 2), a.parentCode);
  for (const v of layer(city, 'block').versions)
    for (const a of v.areas) assert.equal(a.code.slice(0, 2), a.parentCode!.slice(0, 2));
  // Codes of the old version are the block's old neighbourhood.
  for (const a of layer(city, 'block').versions[0].areas) assert.equal(a.code.slice(0, 4), a.parentCode);
});

test('children nest exactly in their parents (areas add up, vertices on the border or inside)', () => {
  for (const l of city.layers) {
    if (l.parentLayer === null) continue;
    for (const v of l.versions) {
      const parents = versionAt(layer(city, l.parentLayer), v.validFrom);
      for (const p of parents.areas) {
        const children = v.areas.filter((a) => a.parentCode === p.code);
        assert.ok(children.length > 0, `${p.code} has children in ${l.key}`);
        const sum = children.reduce((s, c) => s + geometryArea(c.geometry), 0);
        const area = geometryArea(p.geometry);
        assert.ok(Math.abs(sum - area) <= 1e-9 * area, `${l.key} children of ${p.code}: ${sum} vs ${area}`);
        const border = new Set<string>();
        for (const poly of p.geometry.coordinates)
          for (const ring of poly) for (const pt of ring) border.add(vertexKey(pt));
        const childVertices = new Set<string>();
        for (const c of children)
          for (const poly of c.geometry.coordinates)
            for (const ring of poly)
              for (const pt of ring) {
                childVertices.add(vertexKey(pt));
                if (!border.has(vertexKey(pt)))
                  assert.ok(pointInGeometry(pt[0], pt[1], p.geometry), `vertex ${pt} of ${c.code} inside ${p.code}`);
              }
        for (const k of border) assert.ok(childVertices.has(k), `parent vertex ${k} of ${p.code} is a child vertex`);
      }
    }
  }
});

test('geometries are valid GeoJSON: closed rings, RFC 7946 orientation, plausible location, no crossings', () => {
  for (const l of city.layers)
    for (const v of l.versions)
      for (const a of v.areas) {
        assert.equal(a.geometry.type, 'MultiPolygon');
        assert.ok(a.geometry.coordinates.length >= 1);
        for (const poly of a.geometry.coordinates)
          poly.forEach((ring, i) => {
            assert.ok(ring.length >= 4);
            assert.deepEqual(ring[0], ring[ring.length - 1]);
            if (i === 0) assert.ok(signedArea(ring) > 0, `outer ring of ${l.key} ${a.code} is counter-clockwise`);
            else assert.ok(signedArea(ring) < 0, `hole of ${l.key} ${a.code} is clockwise`);
            for (const [x, y] of ring) {
              assert.ok(x > 8 && x < 10 && y > 51 && y < 52, `${x},${y} in Germany near 8.7°E 51.45°N`);
              assert.equal(Math.round(x * 1e7) / 1e7, x);
            }
          });
      }
  // Contiguous groups: one polygon each.
  for (const key of ['gesamtstadt', 'stadtbezirk', 'stadtteil', 'block', 'grundschulbezirk', 'wahlbezirk'])
    for (const v of layer(city, key).versions)
      for (const a of v.areas) assert.equal(a.geometry.coordinates.length, 1, `${key} ${a.code} is one polygon`);
  assertNoCrossings(layer(city, 'block').versions[0].areas);
  for (const seed of [2, 3]) assertNoCrossings(layer(generateMusterstadt({ seed }), 'block').versions[0].areas);
});

test('overlays: school catchments cut across neighbourhoods, election districts almost follow the new ones', () => {
  const blocks = layer(city, 'block').versions[1].areas;
  const stOf = new Map(blocks.map((b) => [b.code, b.parentCode!]));
  const gsOf = containing(blocks, layer(city, 'grundschulbezirk').versions[0].areas);
  const wbOf = containing(blocks, layer(city, 'wahlbezirk').versions[0].areas);
  const spread = (overlayOf: Map<string, string>) => {
    const m = new Map<string, Map<string, number>>();
    for (const [block, o] of overlayOf) {
      const inner = m.get(o) ?? new Map<string, number>();
      inner.set(stOf.get(block)!, (inner.get(stOf.get(block)!) ?? 0) + 1);
      m.set(o, inner);
    }
    return [...m.values()];
  };
  const gsSpread = spread(gsOf);
  assert.ok(gsSpread.filter((s) => s.size > 1).length >= 15, 'many catchments span several neighbourhoods');
  const wbSpread = spread(wbOf);
  const crossing = wbSpread.filter((s) => s.size > 1);
  assert.ok(
    crossing.length >= 2 && crossing.length <= 15,
    `${crossing.length} election districts cross a neighbourhood border`,
  );
  for (const s of crossing) {
    const counts = [...s.values()].sort((a, b) => b - a);
    assert.ok(counts.slice(1).reduce((a, b) => a + b, 0) <= 1, 'only a single block is swapped per election district');
  }
  // Every new neighbourhood is covered by election districts lying (almost) inside it.
  const stCount = new Set(wbSpread.map((s) => [...s.entries()].sort((a, b) => b[1] - a[1])[0][0]));
  assert.equal(stCount.size, 38);
});

test('the catalogue passes the schema and has the required indicators', () => {
  assert.doesNotThrow(() => catalogueSchema.parse(city.catalogue));
  const byKey = new Map(city.catalogue.indicators.map((i) => [i.key, i]));
  assert.ok(city.catalogue.indicators.length >= 28);
  const u6 = byKey.get('anteil_unter6')!;
  assert.deepEqual(
    {
      key: u6.key,
      type: u6.type,
      numerator: u6.numerator,
      denominator: u6.denominator,
      scale: u6.scale,
      minBase: u6.minBase,
    },
    {
      key: 'anteil_unter6',
      type: 'ratio',
      numerator: { indicator: 'einwohner', filter: { altersgruppe: 'unter6' } },
      denominator: { indicator: 'einwohner' },
      scale: 100,
      minBase: 300,
    },
  );
  assert.deepEqual(byKey.get('einwohner')!.dimensions, ['altersgruppe', 'geschlecht']);
  for (const key of [
    'arbeitslose',
    'arbeitslose_anteil',
    'transferbezug',
    'transferbezug_anteil',
    'kinderarmut_anteil',
    'uebergang_gymnasium_anteil',
    'kita_quote_3_6',
    'sprachfoerderbedarf_anteil',
    'uebergewicht_anteil',
    'impfquote_masern',
    'hze_quote',
    'seu_kita_dauer',
    'belegung_notunterkuenfte',
    'einwohner_15_64',
    'anteil_65plus',
  ])
    assert.ok(byKey.has(key), key);
  assert.equal(byKey.get('seu_kita_dauer')!.type, 'mean');
  assert.equal(byKey.get('hze_faelle')!.confidentiality, 'restricted');
  assert.ok(city.catalogue.indicators.some((i) => i.confidentiality === 'internal'));
  const dims = new Map(
    city.catalogue.dimensions.map((d) => [
      d.key,
      new Set((d.members ?? []).map((m) => (typeof m === 'string' ? m : m.key))),
    ]),
  );
  for (const d of ['altersgruppe', 'geschlecht', 'staatsangehoerigkeit']) assert.ok(dims.has(d), d);
  for (const ind of city.catalogue.indicators) {
    assert.ok(
      ind.name &&
        ind.description &&
        ind.unit &&
        ind.source &&
        ind.owner &&
        ind.confidentiality &&
        ind.periodicity &&
        ind.methodology &&
        ind.themes?.length,
      `metadata of ${ind.key}`,
    );
    assert.ok(['statistik', 'bildung', 'soziales', 'jugend', 'gesundheit', 'kita'].includes(ind.owner!));
    for (const d of ind.dimensions ?? []) assert.ok(dims.has(d), `${ind.key}: dimension ${d}`);
    for (const ref of [ind.numerator, ind.denominator]) {
      if (!ref) continue;
      const target = byKey.get(ref.indicator);
      assert.ok(target && target.type === 'count', `${ind.key} refers to count ${ref.indicator}`);
      for (const [d, m] of Object.entries(ref.filter ?? {})) {
        assert.ok(target.dimensions?.includes(d), `${ind.key}: ${ref.indicator} has dimension ${d}`);
        assert.ok(dims.get(d)!.has(m), `${ind.key}: member ${m} of ${d}`);
      }
    }
    if (ind.type === 'ratio' && ind.key !== 'auslastung_notunterkuenfte')
      assert.ok(ind.minBase !== undefined, `${ind.key} has a minBase`);
  }
});

test('observations match the catalogue and the layers', () => {
  const byKey = new Map(city.catalogue.indicators.map((i) => [i.key, i]));
  const dims = new Map(
    city.catalogue.dimensions.map((d) => [
      d.key,
      new Set((d.members ?? []).map((m) => (typeof m === 'string' ? m : m.key))),
    ]),
  );
  const areaCodes = new Map<string, Set<string>>();
  const codesAt = (layerKey: string, date: string) => {
    const l = layer(city, layerKey);
    const v = versionAt(l, date);
    const k = `${layerKey}|${v.validFrom}`;
    if (!areaCodes.has(k)) areaCodes.set(k, new Set(v.areas.map((a) => a.code)));
    return areaCodes.get(k)!;
  };
  const seen = new Set<string>();
  const observed = new Set<string>();
  for (const o of observations) {
    const ind = byKey.get(o.indicator);
    assert.ok(ind, `indicator ${o.indicator} exists`);
    assert.ok(!isDerivedRatio(ind), `derived ratio ${o.indicator} is not emitted`);
    observed.add(o.indicator);
    assert.deepEqual(Object.keys(o.members).sort(), [...(ind.dimensions ?? [])].sort(), `members of ${o.indicator}`);
    for (const [d, m] of Object.entries(o.members)) assert.ok(dims.get(d)!.has(m), `${o.indicator}: ${d}=${m}`);
    const p = parsePeriod(o.period);
    assert.ok(p && p.key === o.period, `canonical period ${o.period}`);
    assert.ok(codesAt(o.layer, p.end).has(o.area), `${o.layer} ${o.area} exists at ${p.end}`);
    const key = `${o.indicator}|${o.layer}|${o.area}|${o.period}|${JSON.stringify(o.members)}`;
    assert.ok(!seen.has(key), `no duplicate ${key}`);
    seen.add(key);
    if (o.status === 'suppressed') {
      assert.equal(o.value, null);
      assert.equal(ind.confidentiality, 'restricted');
    } else if (o.status === 'missing') {
      assert.equal(o.value, null);
    } else {
      assert.ok(o.status === 'final' || o.status === 'provisional');
      assert.equal(typeof o.value, 'number');
      assert.ok(o.value! >= 0);
      if (ind.type === 'count') assert.ok(Number.isInteger(o.value), `${o.indicator} is an integer`);
    }
    if (ind.type === 'mean') assert.ok(typeof o.base === 'number', 'means carry their base');
  }
  // Every non-derived indicator has observations.
  for (const ind of city.catalogue.indicators)
    if (!isDerivedRatio(ind)) assert.ok(observed.has(ind.key), `${ind.key} observed`);
  const levels = (key: string) => new Set(observations.filter((o) => o.indicator === key).map((o) => o.layer));
  assert.deepEqual(levels('einwohner'), new Set(['block']));
  assert.deepEqual(levels('seu_untersuchte'), new Set(['grundschulbezirk']));
  assert.deepEqual(levels('hze_faelle'), new Set(['stadtteil']));
  assert.deepEqual(levels('belegung_notunterkuenfte'), new Set(['gesamtstadt']));
  // Ten Stichtage / school years.
  const periods = (key: string) => [...new Set(observations.filter((o) => o.indicator === key).map((o) => o.period))];
  assert.deepEqual(
    periods('einwohner'),
    Array.from({ length: 10 }, (_, i) => `${2015 + i}-12-31`),
  );
  assert.deepEqual(periods('uebergaenge'), [
    '2015/16',
    '2016/17',
    '2017/18',
    '2018/19',
    '2019/20',
    '2020/21',
    '2021/22',
    '2022/23',
    '2023/24',
    '2024/25',
  ]);
  const daily = periods('belegung_notunterkuenfte');
  assert.equal(daily.length, 120);
  assert.equal(daily[0], '2024-09-03');
  assert.equal(daily[119], '2024-12-31');
  // Neighbourhood data use the 24 old codes until 2020 and the 38 new ones from 2021.
  const hze2020 = observations.filter((o) => o.indicator === 'hze_faelle' && o.period === '2020-12-31');
  const hze2021 = observations.filter((o) => o.indicator === 'hze_faelle' && o.period === '2021-12-31');
  assert.equal(hze2020.length, 24);
  assert.equal(hze2021.length, 38);
  // Statuses: some provisional, a few suppressed (never population), nothing else.
  const suppressed = observations.filter((o) => o.status === 'suppressed');
  assert.ok(suppressed.length >= 1 && suppressed.length <= 40, `${suppressed.length} suppressed`);
  assert.ok(observations.some((o) => o.status === 'provisional' && o.period === '2024-12-31'));
  assert.ok(observations.filter((o) => o.indicator.startsWith('einwohner')).every((o) => o.status === 'final'));
});

test('population: total, trend, block sizes, consistency of parts and wholes', () => {
  const pop = (period: string) => [...blockValues('einwohner', period).values()].reduce((a, b) => a + b, 0);
  const p2024 = pop('2024-12-31');
  const p2015 = pop('2015-12-31');
  assert.ok(p2024 >= 270_000 && p2024 <= 330_000, `${p2024} inhabitants in 2024`);
  assert.ok(p2015 < p2024, 'the city grows');
  const perBlock = [...blockValues('einwohner', '2024-12-31').values()];
  assert.ok(perBlock.filter((x) => x < 300).length >= 3, 'a few blocks are below minBase 300');
  assert.ok(perBlock.filter((x) => x < 300).length <= perBlock.length * 0.15);
  assert.ok(Math.max(...perBlock) <= 3000 && Math.max(...perBlock) >= 1800);
  for (const t of [2015, 2020, 2024]) {
    const date = `${t}-12-31`;
    const total = blockValues('einwohner', date);
    const nat = blockValues('einwohner_staatsangehoerigkeit', date);
    const le = (a: string, b: Map<string, number> | string, label = `${a} ≤ ${b}`) => {
      const x = blockValues(a, date);
      const y = typeof b === 'string' ? blockValues(b, date) : b;
      for (const [k, v] of x) assert.ok(v <= y.get(k)!, `${label} in ${k} ${date}: ${v} > ${y.get(k)}`);
    };
    for (const [k, v] of total) assert.equal(nat.get(k), v, 'nationalities add up to the population');
    le('einwohner_unter3', 'einwohner_unter15');
    le('einwohner_3_6', 'einwohner_unter15');
    le('einwohner_unter15', 'einwohner_unter21');
    le('einwohner_unter21', 'einwohner_unter65');
    le('einwohner_15_64', 'einwohner_unter65');
    le('einwohner_unter65', total, 'unter65 ≤ total');
    le('einwohner_65plus', total, '65plus ≤ total');
    le('arbeitslose', 'einwohner_15_64');
    le('transferbezug', 'einwohner_unter65');
    le('transferbezug_unter15', 'einwohner_unter15');
    le('transferbezug_unter15', 'transferbezug');
    le('grundsicherung_alter', 'einwohner_65plus');
    le('kita_kinder_unter3', 'einwohner_unter3');
    le('kita_kinder_3_6', 'einwohner_3_6');
    const u65 = blockValues('einwohner_unter65', date);
    const o65 = blockValues('einwohner_65plus', date);
    for (const [k, v] of total) assert.equal(u65.get(k)! + o65.get(k)!, v);
  }
  // School-entry counts never exceed the examined children.
  const examined = new Map(
    observations.filter((o) => o.indicator === 'seu_untersuchte').map((o) => [`${o.area}|${o.period}`, o.value!]),
  );
  for (const o of observations)
    if (['seu_sprachfoerderbedarf', 'seu_uebergewicht', 'seu_masern_geimpft'].includes(o.indicator))
      assert.ok(o.value! <= examined.get(`${o.area}|${o.period}`)!);
});

test('spatial patterns: poverty clusters, young and old quarters, a crisis gauge that moves', () => {
  const districts = layer(city, 'stadtbezirk').versions[0].areas;
  const blocks = layer(city, 'block').versions[1].areas;
  const districtOf = new Map(blocks.map((b) => [b.code, b.parentCode!.slice(0, 2)]));
  const rate = (num: string, den: string, period: string) => {
    const n = blockValues(num, period);
    const d = blockValues(den, period);
    const byDistrict = new Map<string, [number, number]>();
    for (const [k, v] of n) {
      const dd = districtOf.get(k)!;
      const acc = byDistrict.get(dd) ?? [0, 0];
      acc[0] += v;
      acc[1] += d.get(k)!;
      byDistrict.set(dd, acc);
    }
    return new Map([...byDistrict].map(([k, [a, b]]) => [districts.find((x) => x.code === k)!.name, a / b]));
  };
  const sgb = rate('transferbezug', 'einwohner_unter65', '2024-12-31');
  const max = [...sgb.entries()].sort((a, b) => b[1] - a[1])[0];
  assert.ok(max[1] > 1.5 * Math.min(...sgb.values()), 'poverty varies strongly between districts');
  assert.ok(
    sgb.get('Hüttenfeld')! > sgb.get('Sonnenberg')!,
    'the industrial district is poorer than the villa district',
  );
  const old = rate('einwohner_65plus', 'einwohner', '2024-12-31');
  assert.ok(
    old.get('Sonnenberg')! > old.get('Lerchenfeld')!,
    'the villa district is older than the new housing district',
  );
  // Unemployment falls until 2019 and rises in 2020.
  const unemployed = (y: number) => [...blockValues('arbeitslose', `${y}-12-31`).values()].reduce((a, b) => a + b, 0);
  assert.ok(unemployed(2019) < unemployed(2015));
  assert.ok(unemployed(2020) > unemployed(2019));
  // The crisis gauge gets close to capacity at least once.
  const occ = observations.filter((o) => o.indicator === 'belegung_notunterkuenfte').map((o) => o.value!);
  const cap = observations.filter((o) => o.indicator === 'plaetze_notunterkuenfte').map((o) => o.value!);
  const load = occ.map((o, i) => o / cap[i]);
  assert.ok(Math.max(...load) > 0.9 && Math.min(...load) < 0.9);
  assert.ok(cap[119] > cap[0], 'new places were opened');
});

test('scale multiplies blocks and population', () => {
  const big = generateMusterstadt({ scale: 3 });
  const n1 = layer(city, 'block').versions[0].areas.length;
  const n3 = layer(big, 'block').versions[0].areas.length;
  assert.ok(n3 > 2.7 * n1 && n3 < 3.3 * n1, `${n3} blocks at scale 3 vs ${n1}`);
  let pop = 0;
  for (const o of big.observations()) if (o.indicator === 'einwohner' && o.period === '2024-12-31') pop += o.value!;
  assert.ok(pop > 810_000 && pop < 990_000, `${pop} inhabitants at scale 3`);
  assert.ok(layer(big, 'stadtteil').versions[1].areas.length > 38);
  assert.throws(() => generateMusterstadt({ scale: 0 }), RangeError);
  assert.throws(() => generateMusterstadt({ seed: 1.5 }), RangeError);
});

test('a live demo’s daily series ends on the day it is given (issue 15: a current daily gauge); a non-existent day is refused', () => {
  const live = generateMusterstadt({ dailyUntil: '2026-12-01' });
  const daily = [...live.observations()].filter((o) => o.indicator === 'belegung_notunterkuenfte');
  assert.equal(daily.length, 120);
  assert.equal(daily[0].period, '2026-08-04');
  assert.equal(daily[119].period, '2026-12-01');
  // the last five days provisional, as in the default series
  assert.deepEqual(
    daily.slice(-6).map((o) => o.status),
    ['final', 'provisional', 'provisional', 'provisional', 'provisional', 'provisional'],
  );
  // the yearly data stay as they are
  const yearly = (c: DemoCity) =>
    [...c.observations()].filter((o) => o.indicator === 'einwohner' && o.period === '2024-12-31').slice(0, 50);
  assert.deepEqual(yearly(live), yearly(city));
  assert.throws(() => generateMusterstadt({ dailyUntil: '2024-02-31' }), /dailyUntil must be a date/);
});
