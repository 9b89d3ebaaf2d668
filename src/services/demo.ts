// Use case: load the demo city "Musterstadt" through the same import paths real data takes.
import { writeSetting } from '../store/settings.ts';
import { insertDepartment } from '../store/accounts.ts';
import { loadLayers } from '../store/catalog.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../store/db.ts';
import { generateMusterstadt, type DemoObservation } from '../demo/musterstadt.ts';
import { importCatalogue } from './indicators.ts';
import { importAreaRecords } from './areas.ts';
import { importObservations } from './observations-import.ts';
import { saveCockpit, DEMO_COCKPIT } from './cockpit.ts';
import { DEMO_PUBLISHER, PUBLISHER_SETTING } from './dcat.ts';
import { SYSTEM } from '../core/access.ts';
import { FIRST_YEAR, YEARS } from '../demo/model.ts';
import { DEMO_FACILITY_SET, demoDaycareCentres, demoFacilitiesCsv } from '../demo/facilities.ts';
import { reallocate } from './reallocation.ts';
import { importFacilities } from './facilities.ts';
import { importAddresses } from './address-register.ts';
import { demoAddresses, demoAddressesCsv } from '../demo/addresses.ts';
import { getObservations } from './query.ts';
import { demoMeasures } from '../demo/measures.ts';
import { measuresPackage } from '../formats/giving360.ts';
import { importMeasures } from './measures.ts';
import { pointInRing } from '../core/geo/geometry.ts';
import {
  answerTopic,
  createForum,
  generateCodes,
  linkTopic,
  proposeTopic,
  recordMeeting,
  recordTopic,
  supportTopic,
  todayInGermany,
} from './forum.ts';

const DEMO_DEPARTMENTS: [string, string][] = [
  ['statistik', 'Kommunale Statistikstelle'],
  ['bildung', 'Bildung'],
  ['soziales', 'Arbeit und Soziales'],
  ['kita', 'Tageseinrichtungen für Kinder'],
  ['jugend', 'Jugendamt'],
  ['gesundheit', 'Gesundheitsamt'],
];

export interface DemoResult {
  city: string;
  layers: number;
  areas: number;
  indicators: number;
  observations: number;
  seconds: number;
}

/** Yesterday (UTC), the last day of a live demo's daily series: a daily report arrives the morning after. */
export function yesterday(now = new Date()): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/**
 * `addresses: false` leaves out the address register (for tests that bring their own);
 * `measures: false` the registry of neighbourhood measures; `forum: false` the youth forum.
 */
export async function loadDemo(
  db: Database,
  o: {
    seed?: number;
    scale?: number;
    dailyUntil?: string;
    addresses?: boolean;
    measures?: boolean;
    forum?: boolean;
    log?: (msg: string) => void;
  } = {},
): Promise<DemoResult> {
  const t0 = performance.now();
  const log = o.log ?? (() => undefined);
  const city = generateMusterstadt({ seed: o.seed ?? 1, scale: o.scale ?? 1, dailyUntil: o.dailyUntil });
  log(`Generating ${city.name} (seed ${o.seed ?? 1}, scale ${o.scale ?? 1}) …`);
  // The departments that own the demo's indicators (Fachbereiche).
  for (const [key, name] of DEMO_DEPARTMENTS) await insertDepartment(db, key, name);
  await importCatalogue(
    db,
    { dimensions: city.catalogue.dimensions, indicators: city.catalogue.indicators },
    { displayName: `${city.name} (demo catalogue)` },
  );
  let areas = 0;
  for (const layer of city.layers) {
    for (const v of layer.versions) {
      await importAreaRecords(
        db,
        {
          crs: 'EPSG:4326',
          problems: [],
          records: v.areas.map((a) => ({
            code: a.code,
            name: a.name,
            parentCode: a.parentCode,
            geometry: a.geometry,
            properties: {},
          })),
        },
        {
          layer: layer.key,
          layerName: layer.name,
          overlay: layer.kind === 'overlay',
          parentLayer: layer.parentLayer ?? undefined,
          validFrom: v.validFrom,
          displayName: `${city.name} (demo ${layer.key}${v.validFrom ? ` from ${v.validFrom}` : ''})`,
          // The generator nests areas exactly by construction (tested there).
          containmentTolerance: 0,
        },
      );
      areas += v.areas.length;
    }
  }
  log(`  ${city.layers.length} layers, ${areas} areas`);
  // Observations go through the file import, one long CSV per layer.
  const dir = mkdtempSync(join(tmpdir(), 'kommunalmonitor-demo-'));
  let observations = 0;
  try {
    const byLayer = new Map<string, DemoObservation[]>();
    for (const obs of city.observations()) {
      if (!byLayer.has(obs.layer)) byLayer.set(obs.layer, []);
      byLayer.get(obs.layer)!.push(obs);
    }
    for (const [layer, list] of byLayer) {
      const dims = [...new Set(list.flatMap((x) => Object.keys(x.members)))].sort();
      const lines = [['indicator', 'area', 'period', ...dims, 'value', 'status', 'base'].join(';')];
      for (const x of list) {
        const value = x.value === null ? (x.status === 'suppressed' ? '.' : '') : String(x.value).replace('.', ',');
        const status = x.status === 'suppressed' || x.status === 'missing' ? '' : x.status;
        lines.push(
          [
            x.indicator,
            x.area,
            x.period,
            ...dims.map((d) => x.members[d] ?? ''),
            value,
            status,
            x.base == null ? '' : String(x.base).replace('.', ','),
          ].join(';'),
        );
      }
      const path = join(dir, `${layer}.csv`);
      writeFileSync(path, lines.join('\n') + '\n');
      const r = await importObservations(db, path, { layer, displayName: `${city.name} (demo ${layer})` });
      observations += r.observations;
      log(`  ${layer}: ${r.observations} observations`);
    }
    // Day-care centres (issue #6): a facility set through the facility import, and the ratio of
    // places per 100 children under 6 that compares supply with need.
    const facilities = await loadDemoFacilities(db, city, dir, o.seed ?? 1);
    log(`  ${facilities} day-care centres`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const carried = await reallocateCatchmentInputs(db);
  log(`  school catchments: ${carried} estimated values reallocated from blocks and Stadtteile`);
  // After the reallocation, whose weights stay the areas' as they were without a register.
  if (o.addresses !== false) log(`  address register: ${await loadDemoAddresses(db, city, o.seed ?? 1)} addresses`);
  if (o.measures !== false) log(`  measures: ${await loadDemoMeasures(db, city, o.seed ?? 1)}`);
  if (o.forum !== false) log(`  youth forum: ${await loadDemoForum(db, city)} topics`);
  await saveCockpit(db, DEMO_COCKPIT, SYSTEM);
  await writeSetting(db, PUBLISHER_SETTING, DEMO_PUBLISHER);
  await writeSetting(db, 'demo', {
    city: city.name,
    seed: o.seed ?? 1,
    scale: o.scale ?? 1,
    loadedAt: new Date().toISOString(),
  });
  const seconds = (performance.now() - t0) / 1000;
  return {
    city: city.name,
    layers: city.layers.length,
    areas,
    indicators: city.catalogue.indicators.length,
    observations,
    seconds,
  };
}

/** The demo's address register (streets with house numbers and coordinates), imported like any register. */
async function loadDemoAddresses(
  db: Database,
  city: ReturnType<typeof generateMusterstadt>,
  seed: number,
): Promise<number> {
  const newest = (key: string) => {
    const l = city.layers.find((x) => x.key === key);
    return l ? l.versions[l.versions.length - 1].areas : [];
  };
  const districtOf = new Map(newest('stadtteil').map((s) => [s.code, s.parentCode ?? '']));
  const list = demoAddresses(
    newest('block').map((b) => ({
      code: b.code,
      stadtteil: b.parentCode ?? '',
      stadtbezirk: districtOf.get(b.parentCode ?? '') ?? '',
      geometry: b.geometry,
    })),
    seed,
  );
  if (!list.length) return 0;
  const dir = mkdtempSync(join(tmpdir(), 'kommunalmonitor-demo-addresses-'));
  try {
    const path = join(dir, 'adressen.csv');
    writeFileSync(path, demoAddressesCsv(list));
    const r = await importAddresses(db, path, {
      validFrom: `${FIRST_YEAR}-01-01`,
      displayName: `${city.name} (demo Adressregister)`,
    });
    return r.addresses;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The demo's Kitas at the latest population date, imported like any facility list. */
async function loadDemoFacilities(
  db: Database,
  city: ReturnType<typeof generateMusterstadt>,
  dir: string,
  seed: number,
): Promise<number> {
  const period = `${FIRST_YEAR + YEARS - 1}-12-31`;
  const blockLayer = city.layers.find((l) => l.key === 'block');
  if (!blockLayer) return 0;
  const blocks = blockLayer.versions[blockLayer.versions.length - 1].areas;
  const kids = await getObservations(
    db,
    { indicator: 'einwohner', layer: 'block', period, filter: { altersgruppe: 'unter6' } },
    SYSTEM,
  );
  const children = new Map(kids.values.map((v) => [v.area, v.value ?? 0]));
  const list = demoDaycareCentres(
    blocks.map((b) => ({ code: b.code, name: b.name, geometry: b.geometry, children: children.get(b.code) ?? 0 })),
    seed,
  );
  const path = join(dir, 'kitas.csv');
  writeFileSync(path, demoFacilitiesCsv(list));
  const { key, name } = DEMO_FACILITY_SET;
  await importFacilities(db, path, {
    set: key,
    name,
    category: 'Traeger',
    capacity: 'Plaetze',
    label: 'Name',
    x: 'Lon',
    y: 'Lat',
    period,
    owner: 'kita',
    confidentiality: 'public',
    displayName: `${city.name} (demo Kitas)`,
  });
  await importCatalogue(
    db,
    [
      {
        key: 'kita_versorgung_u6',
        name: 'Kitaplätze je 100 Kinder unter 6 Jahren',
        description: 'Plätze in Kindertageseinrichtungen je 100 Kinder unter 6 Jahren (Versorgungsquote).',
        unit: 'Plätze je 100 Kinder',
        type: 'ratio',
        numerator: { indicator: `${key}_plaetze` },
        denominator: { indicator: 'einwohner', filter: { altersgruppe: 'unter6' } },
        scale: 100,
        minBase: 50,
        polarity: 'higher_is_better',
        source: 'Jugendamt – Einrichtungsliste Kindertageseinrichtungen; Melderegister',
        owner: 'kita',
        confidentiality: 'public',
        methodology:
          'Plätze der Kindertageseinrichtungen (Standorte per Punkt-in-Polygon den Gebieten zugeordnet) / Kinder unter 6 Jahren × 100, je Gebiet zum selben Stichtag.',
        themes: ['Infrastruktur', 'Jugend'],
        decimals: 1,
      },
    ],
    { displayName: `${city.name} (demo Kita-Versorgung)` },
  );
  return list.length;
}

/**
 * The demo's neighbourhood measures (issue #17): about 150 measures of five departments over the
 * Stadtteile, mostly where child poverty is high, some elsewhere — imported as a 360Giving
 * package like any registry.
 */
async function loadDemoMeasures(
  db: Database,
  city: ReturnType<typeof generateMusterstadt>,
  seed: number,
): Promise<number> {
  const period = `${FIRST_YEAR + YEARS - 1}-12-31`;
  const need = await getObservations(db, { indicator: 'kinderarmut_anteil', layer: 'stadtteil', period }, SYSTEM);
  const list = demoMeasures(
    need.values.map((v) => ({ code: v.area, name: v.name, need: v.value ?? 0 })),
    seed,
  );
  if (!list.length) return 0;
  const dir = mkdtempSync(join(tmpdir(), 'kommunalmonitor-demo-measures-'));
  try {
    const path = join(dir, 'massnahmen.json');
    writeFileSync(
      path,
      JSON.stringify(
        measuresPackage(list, {
          title: `${city.name}: Maßnahmen und Projekte (Demo)`,
          publisher: { name: `Stadt ${city.name}` },
        }),
      ),
    );
    const r = await importMeasures(db, path, { displayName: `${city.name} (demo Maßnahmen)` });
    return r.measures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A small youth forum in the first two Stadtteile: topics in every state (waiting for
 * moderation, open, overdue, answered, refused with reasons), a few supports by code (one topic
 * above the public threshold of 5, one below) and a meeting. Dates are relative to today, so the
 * overdue flags show whenever the demo is loaded.
 */
async function loadDemoForum(db: Database, city: ReturnType<typeof generateMusterstadt>): Promise<number> {
  const layer = city.layers.find((l) => l.key === 'stadtteil');
  const areas = layer ? layer.versions[layer.versions.length - 1].areas.slice(0, 2) : [];
  if (areas.length < 2) return 0;
  const today = todayInGermany();
  const daysAgo = (n: number) => new Date(Date.parse(today) - n * 86_400_000).toISOString().slice(0, 10);
  const [a, b] = areas;
  // A point inside the area for some topics (the markers on the maps), when the ring's mean is inside.
  const pointIn = (area: (typeof areas)[number], dx: number, dy: number) => {
    const ring = area.geometry.coordinates[0][0];
    const n = ring.length - 1;
    const x = ring.slice(0, n).reduce((s, q) => s + q[0], 0) / n,
      y = ring.slice(0, n).reduce((s, q) => s + q[1], 0) / n;
    const [minX, maxX] = [Math.min(...ring.map((q) => q[0])), Math.max(...ring.map((q) => q[0]))];
    const [minY, maxY] = [Math.min(...ring.map((q) => q[1])), Math.max(...ring.map((q) => q[1]))];
    const p: [number, number] = [x + dx * (maxX - minX), y + dy * (maxY - minY)];
    return pointInRing(p, ring) > 0
      ? { x: Math.round(p[0] * 1e6) / 1e6, y: Math.round(p[1] * 1e6) / 1e6 }
      : pointInRing([x, y], ring) > 0
        ? { x, y }
        : null;
  };
  await createForum(db, SYSTEM, {
    key: 'forum-' + a.code.toLowerCase().replace(/[^a-z0-9]/g, ''),
    name: `Forum junges Stadtteilleben ${a.name}`,
    layer: 'stadtteil',
    area: a.code,
    department: 'jugend',
  });
  await createForum(db, SYSTEM, {
    key: 'forum-' + b.code.toLowerCase().replace(/[^a-z0-9]/g, ''),
    name: `Forum junges Stadtteilleben ${b.name}`,
    layer: 'stadtteil',
    area: b.code,
    department: 'jugend',
  });
  const fa = 'forum-' + a.code.toLowerCase().replace(/[^a-z0-9]/g, ''),
    fb = 'forum-' + b.code.toLowerCase().replace(/[^a-z0-9]/g, '');
  await recordMeeting(db, SYSTEM, fa, {
    heldOn: daysAgo(120),
    place: 'Jugendzentrum',
    participants: 23,
    ageBands: { '12_14': 9, '15_17': 11, '18_27': 3 },
  });
  const skate = (
    await recordTopic(
      db,
      SYSTEM,
      {
        forum: fa,
        title: 'Ein überdachter Treffpunkt am Skatepark',
        description: 'Wenn es regnet, können wir uns nirgends treffen. Ein Dach und Bänke wären gut.',
        raisedBy: 'forum',
        raisedByLabel: 'Forumstreffen',
        raisedOn: daysAgo(120),
        department: 'jugend',
        field: 'jugend',
        point: pointIn(a, 0.1, 0.05),
      },
      daysAgo(118),
    )
  ).id;
  const light = (
    await recordTopic(
      db,
      SYSTEM,
      {
        forum: fa,
        title: 'Mehr Licht auf dem Weg zur Schule',
        description: 'Im Winter ist der Weg am Park morgens ganz dunkel.',
        raisedBy: 'school_class',
        raisedByLabel: 'Klasse 7b',
        raisedOn: daysAgo(110),
        department: 'soziales',
        field: 'wohnumfeld',
        point: pointIn(a, -0.1, -0.1),
      },
      daysAgo(108),
    )
  ).id;
  const wifi = (
    await recordTopic(
      db,
      SYSTEM,
      {
        forum: fa,
        title: 'WLAN im Jugendtreff',
        description: 'Für Hausaufgaben brauchen wir Internet.',
        raisedBy: 'youth_centre',
        raisedByLabel: 'Jugendtreff',
        raisedOn: daysAgo(40),
        department: 'jugend',
      },
      daysAgo(39),
    )
  ).id;
  const pool = (
    await recordTopic(
      db,
      SYSTEM,
      {
        forum: fb,
        title: 'Längere Öffnungszeiten im Schwimmbad',
        description: 'Nach dem Training ist das Bad schon zu.',
        raisedBy: 'forum',
        raisedByLabel: 'Forumstreffen',
        raisedOn: daysAgo(100),
        department: 'bildung',
        field: 'gesundheit',
        point: pointIn(b, 0, 0),
      },
      daysAgo(98),
    )
  ).id;
  await recordTopic(
    db,
    SYSTEM,
    {
      forum: fb,
      title: 'Eine Wand für Graffiti',
      description: 'Wir wollen legal sprühen dürfen.',
      raisedBy: 'youth_centre',
      raisedByLabel: 'Jugendclub',
      raisedOn: daysAgo(20),
    },
    daysAgo(19),
  );
  await proposeTopic(
    db,
    { forum: fb, title: 'Tischtennisplatten im Park', description: 'Es gibt nur eine, und die ist kaputt.' },
    daysAgo(2),
  );
  await answerTopic(
    db,
    SYSTEM,
    skate,
    { status: 'wird_umgesetzt', text: 'Das Dach kommt im nächsten Frühjahr. Die Bänke stellen wir schon vorher auf.' },
    daysAgo(60),
  );
  await answerTopic(
    db,
    SYSTEM,
    light,
    { status: 'in_pruefung', text: 'Wir prüfen mit den Stadtwerken, wo Laternen fehlen.' },
    daysAgo(70),
  );
  await answerTopic(
    db,
    SYSTEM,
    pool,
    {
      status: 'abgelehnt',
      text: 'Längere Öffnungszeiten gehen im Moment nicht.',
      reasons: 'Es fehlen Schwimmmeisterinnen und Schwimmmeister. Wir fragen nächstes Jahr wieder nach.',
    },
    daysAgo(50),
  );
  await linkTopic(db, SYSTEM, skate, [{ kind: 'indicator', ref: 'kinderarmut_anteil' }]).catch(() => undefined);
  const codes = (await generateCodes(db, SYSTEM, fa, 12, 'Demo')).codes;
  for (const c of codes.slice(0, 7)) await supportTopic(db, { topic: skate, code: c, ageBand: '15_17' });
  for (const c of codes.slice(0, 3)) await supportTopic(db, { topic: wifi, code: c });
  return 6;
}

/** Whether the database holds no spatial structure yet (a fresh start). */
export async function isEmpty(db: Database): Promise<boolean> {
  return (await loadLayers(db)).length === 0;
}

/**
 * The counts behind the Bildungsteilhabe index's Kinderarmut and HzE-Quote exist on blocks and
 * Stadtteile only; school catchments cut across those. As a municipality would, the demo carries
 * them onto the catchments by crosswalk and stores them as estimates (issue #6). Blocks lie
 * wholly in one catchment, so their area crosswalk is exact; Stadtteile are split by the
 * population of their blocks. Only the current boundary versions (from 2021) are carried.
 */
async function reallocateCatchmentInputs(db: Database): Promise<number> {
  const inputs: [string, string, 'area' | 'population'][] = [
    ['transferbezug_unter15', 'block', 'area'],
    ['einwohner_unter15', 'block', 'area'],
    ['einwohner_unter21', 'block', 'area'],
    ['hze_faelle', 'stadtteil', 'population'],
  ];
  let n = 0;
  for (const [indicator, from, weights] of inputs) {
    const r = await reallocate(db, { indicator, from: { layer: from }, to: { layer: 'grundschulbezirk' }, weights });
    n += r.inserted + r.updated;
  }
  return n;
}
