// "Musterstadt": a seeded, plausible demo city of about 300,000 inhabitants with its spatial
// structure (city, 12 districts, 24 → 38 neighbourhoods, ~300 statistical blocks, primary-school
// catchments and election districts), an indicator catalogue, and ten years of observations.
// Pure: no I/O, no clock, no Math.random — the same seed always gives the same city.
//
// How it is built (details in lattice.ts, regions.ts, model.ts):
// 1. a jittered lattice of block cells in projected metres (ETRS89 / UTM 32N around
//    E 480,000 N 5,700,000), with organic edges shared exactly between neighbours and an
//    irregular outline;
// 2. districts, neighbourhoods (two boundary versions), catchments and election districts are
//    contiguous groups of blocks grown from seeds; their geometry is traced from the block edges,
//    so every child nests exactly in its parent with identical coordinates;
// 3. smooth latent fields (poverty, villas, new housing, centrality) drive a yearly model of every
//    block; observations are generated lazily from it, at the level where such data really arrive.

import proj4 from 'proj4';
import type { Catalogue } from '../core/indicators.ts';
import type { ObservationRecord, ObservationStatus } from '../core/observations.ts';
import type { MultiPolygonGeometry } from '../core/geo/types.ts';
import { AGE_GROUPS, NATIONALITIES, SCHOOL_TYPES, SEXES, demoCatalogue } from './catalogue.ts';
import { geometryBuilder } from './geometry.ts';
import { buildLattice, type Lattice } from './lattice.ts';
import {
  FIRST_YEAR,
  YEARS,
  blockProfiles,
  buildModel,
  type BlockProfiles,
  type Model,
  type ModelBlock,
} from './model.ts';
import {
  CENTRE_NEIGHBOURHOODS,
  DISTRICT_CARDINAL,
  DISTRICT_CENTRE,
  DISTRICT_INDUSTRIAL,
  DISTRICT_NEW_HOUSING,
  DISTRICT_POOL,
  DISTRICT_VILLA,
  NEIGHBOURHOOD_POOL,
  SCHOOL_POOL,
  STREET_PREFIX,
  STREET_SUFFIX,
} from './names.ts';
import { Rng, hash32 } from './random.ts';
import { allocate, growRegions, isConnected, members, pickSeeds } from './regions.ts';

export interface DemoArea {
  code: string;
  name: string;
  parentCode: string | null;
  /** WGS84 lon/lat, 7 decimals; outer rings counter-clockwise, holes clockwise (RFC 7946). */
  geometry: MultiPolygonGeometry;
}
export interface DemoLayerVersion {
  /** ISO date from which this version is valid; null = open start. */
  validFrom: string | null;
  areas: DemoArea[];
}
export interface DemoLayer {
  key: string;
  name: string;
  kind: 'hierarchical' | 'overlay';
  parentLayer: string | null;
  versions: DemoLayerVersion[];
}
export interface DemoObservation extends ObservationRecord {
  /** Key of the layer the area code belongs to. */
  layer: string;
}
export interface DemoCity {
  name: string;
  /** Parents before children; overlays last. */
  layers: DemoLayer[];
  catalogue: Catalogue;
  /** Lazily generated and deterministic: every call yields the same sequence. */
  observations(): Iterable<DemoObservation>;
}
export interface MusterstadtOptions {
  /** Any integer; default 1. */
  seed?: number;
  /** Multiplies the number of blocks and the population (default 1; 10 → ~3,000 blocks, ~3 million people). */
  scale?: number;
  /**
   * The last day of the daily shelter series (ISO date). Default 2024-12-31, the last Stichtag of
   * the yearly data, so that the same seed gives the same city; a live demo passes yesterday, so
   * that its daily gauge is current.
   */
  dailyUntil?: string;
}

/** The date from which the 38 new neighbourhoods are valid. */
export const NEW_BOUNDARIES_FROM = '2021-01-01';
const UTM32 = '+proj=utm +zone=32 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';
const ORIGIN_E = 480_000;
const ORIGIN_N = 5_700_000;

interface Group {
  cells: number[];
  code: string;
  name: string;
  /** Index of the parent group (district for neighbourhoods), -1 if none. */
  parent: number;
  seed: number;
}

export function generateMusterstadt(options: MusterstadtOptions = {}): DemoCity {
  const seedOpt = options.seed ?? 1;
  const scale = options.scale ?? 1;
  if (!Number.isSafeInteger(seedOpt)) throw new RangeError(`seed must be an integer, got ${seedOpt}`);
  if (!(Number.isFinite(scale) && scale >= 0.05 && scale <= 100))
    throw new RangeError(`scale must be a number from 0.05 to 100, got ${scale}`);
  const dailyUntil = options.dailyUntil;
  const untilMs = dailyUntil === undefined ? 0 : Date.parse(`${dailyUntil}T00:00:00Z`);
  // The round trip refuses days that do not exist (2024-02-31), which Date.parse rolls over.
  if (
    dailyUntil !== undefined &&
    !(
      /^\d{4}-\d{2}-\d{2}$/.test(dailyUntil) &&
      Number.isFinite(untilMs) &&
      new Date(untilMs).toISOString().startsWith(dailyUntil)
    )
  ) {
    throw new RangeError(`dailyUntil must be a date (YYYY-MM-DD), got ${dailyUntil}`);
  }
  const seed = hash32(seedOpt >>> 0, Math.floor(seedOpt / 4294967296));

  const counts = {
    blocks: Math.round(300 * scale),
    districts: Math.min(99, Math.max(2, Math.round(12 * scale ** 0.25))),
    oldStadtteile: Math.max(2, Math.round(24 * Math.sqrt(scale))),
    newStadtteile: Math.max(3, Math.round(38 * Math.sqrt(scale))),
    schoolDistricts: Math.max(2, Math.round(45 * Math.sqrt(scale))),
    electionDistricts: Math.max(3, Math.round(60 * Math.sqrt(scale))),
  };

  const lattice = buildLattice({
    seed,
    cells: counts.blocks,
    cellWidth: 700,
    warpLength: 4000 * Math.sqrt(scale),
    subdivisions: 3,
  });
  const n = lattice.cellCount;
  const profiles = blockProfiles(lattice, seed, scale);
  const pos = { x: lattice.centroidX, y: lattice.centroidY };
  const all = Array.from({ length: n }, (_, k) => k);
  const rng = new Rng(hash32(seed, 1));

  // --- Districts (Stadtbezirke) ----------------------------------------------------------------
  let centreCell = 0;
  for (let k = 1; k < n; k++)
    if (Math.hypot(pos.x[k], pos.y[k]) < Math.hypot(pos.x[centreCell], pos.y[centreCell])) centreCell = k;
  const nd = Math.min(counts.districts, n);
  const districtSeeds = pickSeeds(all, nd, pos, rng, centreCell);
  const districtOf = growRegions(n, all, districtSeeds, lattice.neighbours, profiles.pop2024, pos, hash32(seed, 2));
  const districts = nameDistricts(members(districtOf, nd), districtSeeds, centreCell, lattice, profiles, rng);

  // --- Neighbourhoods (Stadtteile), two boundary versions within each district ------------------
  const districtPop = districts.map((d) => sum(d.cells, profiles.pop2024));
  const districtSize = districts.map((d) => d.cells.length);
  const oldPerDistrict = allocate(counts.oldStadtteile, districtPop, districtSize);
  const newPerDistrict = allocate(counts.newStadtteile, districtPop, districtSize);
  const namePool = rng.shuffle([...NEIGHBOURHOOD_POOL]);
  const usedNames = new Set<string>(districts.map((d) => d.name));
  const takeName = (pool: string[]): string => {
    for (const name of pool) {
      if (!usedNames.has(name)) {
        usedNames.add(name);
        return name;
      }
    }
    for (let i = 2; ; i++) {
      for (const name of pool) {
        const candidate = `${name} ${roman(i)}`;
        if (!usedNames.has(candidate)) {
          usedNames.add(candidate);
          return candidate;
        }
      }
    }
  };
  const centrePool = rng.shuffle([...CENTRE_NEIGHBOURHOODS]);

  const oldSt: Group[] = [];
  const newSt: Group[] = [];
  districts.forEach((d, di) => {
    // Old version: the neighbourhood around the district's seed carries the district's name.
    const oldSeeds = pickSeeds(d.cells, oldPerDistrict[di], pos, rng, d.seed);
    const oldAssign = growRegions(n, d.cells, oldSeeds, lattice.neighbours, profiles.pop2024, pos, hash32(seed, 3, di));
    const oldGroups = members(oldAssign, oldSeeds.length);
    const order = orderAround(oldGroups, 0, pos);
    const first = oldSt.length;
    order.forEach((g, rank) => {
      oldSt.push({
        cells: oldGroups[g],
        code: d.code + pad(rank + 1, 2),
        name: rank === 0 ? d.name : takeName(di === 0 ? [...centrePool, ...namePool] : namePool),
        parent: di,
        seed: oldSeeds[g],
      });
    });
    // New version: grown independently, then matched to the old neighbourhoods so that a successor
    // keeps its predecessor's code and name; the others get new codes and names.
    const newSeeds = pickSeeds(d.cells, newPerDistrict[di], pos, rng);
    const newAssign = growRegions(n, d.cells, newSeeds, lattice.neighbours, profiles.pop2024, pos, hash32(seed, 4, di));
    const newGroups = members(newAssign, newSeeds.length);
    const olds = oldSt.slice(first);
    const oldOfCell = new Map<number, number>();
    olds.forEach((o, i) => o.cells.forEach((c) => oldOfCell.set(c, i)));
    const pairs: [number, number, number][] = [];
    newGroups.forEach((cells, g) => {
      const overlap = new Map<number, number>();
      for (const c of cells) {
        const o = oldOfCell.get(c)!;
        overlap.set(o, (overlap.get(o) ?? 0) + profiles.pop2024[c]);
      }
      for (const [o, w] of overlap) pairs.push([w, g, o]);
    });
    pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
    const newToOld = new Map<number, number>();
    const oldTaken = new Set<number>();
    for (const [, g, o] of pairs) {
      if (newToOld.has(g) || oldTaken.has(o)) continue;
      newToOld.set(g, o);
      oldTaken.add(o);
    }
    let nextNumber = olds.length + 1;
    const newOrder = orderAround(newGroups, -1, pos);
    const created: Group[] = [];
    for (const g of newOrder) {
      const o = newToOld.get(g);
      created.push({
        cells: newGroups[g],
        code: o !== undefined ? olds[o].code : d.code + pad(nextNumber++, 2),
        name: o !== undefined ? olds[o].name : takeName(di === 0 ? [...centrePool, ...namePool] : namePool),
        parent: di,
        seed: newSeeds[g],
      });
    }
    created.sort((a, b) => (a.code < b.code ? -1 : 1));
    newSt.push(...created);
  });
  const oldStOf = groupOfCell(oldSt, n);
  const newStOf = groupOfCell(newSt, n);

  // --- Statistical blocks: codes carry the old neighbourhood (codes never change) ---------------
  const blockCells: number[] = [];
  const blockCodes: string[] = [];
  for (const st of oldSt) {
    const cells = [...st.cells].sort((a, b) => pos.y[b] - pos.y[a] || pos.x[a] - pos.x[b]);
    cells.forEach((c, i) => {
      blockCells.push(c);
      blockCodes.push(st.code + pad(i + 1, 4));
    });
  }
  const blockNames = streetNames(blockCells.length, seed);

  // --- Primary-school catchments (Grundschulbezirke), balanced by children -----------------------
  const ng = Math.min(counts.schoolDistricts, n);
  const schoolSeeds = pickSeeds(all, ng, pos, rng);
  const schoolOf = growRegions(n, all, schoolSeeds, lattice.neighbours, profiles.children, pos, hash32(seed, 5));
  const schoolGroups = members(schoolOf, ng);
  const schoolOrder = schoolGroups
    .map((_, g) => g)
    .sort((a, b) => readingOrder(schoolGroups[a], schoolGroups[b], lattice));
  // About two thirds of the schools have a proper name; the others are named after their street.
  const schoolPool = rng.shuffle([...SCHOOL_POOL]);
  const named = new Set(
    rng.shuffle(schoolOrder.map((_, i) => i)).slice(0, Math.min(schoolPool.length, Math.round(ng * 0.65))),
  );
  const blockOfCell = new Int32Array(n);
  blockCells.forEach((c, b) => (blockOfCell[c] = b));
  let nextSchoolName = 0;
  const schools: Group[] = schoolOrder.map((g, i) => ({
    cells: schoolGroups[g],
    code: pad(i + 1, Math.max(2, String(ng).length)),
    name: named.has(i) ? schoolPool[nextSchoolName++] : `Grundschule ${blockNames[blockOfCell[schoolSeeds[g]]]}`,
    parent: -1,
    seed: schoolSeeds[g],
  }));
  const schoolIndex = groupOfCell(schools, n);

  // --- Election districts (Wahlbezirke): nested in the new neighbourhoods, but a few blocks -----
  // were swapped across neighbourhood borders (the "almost congruent" layer).
  const stPop = newSt.map((s) => sum(s.cells, profiles.pop2024));
  const perSt = allocate(
    Math.max(counts.electionDistricts, newSt.length),
    stPop,
    newSt.map((s) => s.cells.length),
  );
  const elections: Group[] = [];
  const width = Math.max(3, String(counts.electionDistricts).length);
  newSt.forEach((st, si) => {
    const seeds = pickSeeds(st.cells, perSt[si], pos, rng);
    const assign = growRegions(n, st.cells, seeds, lattice.neighbours, profiles.pop2024, pos, hash32(seed, 6, si));
    const groups = members(assign, seeds.length);
    const order = groups.map((_, g) => g).sort((a, b) => readingOrder(groups[a], groups[b], lattice));
    order.forEach((g, rank) => {
      elections.push({
        cells: groups[g],
        code: pad(elections.length + 1, width),
        name: order.length === 1 ? st.name : `${st.name} ${rank + 1}`,
        parent: si,
        seed: seeds[g],
      });
    });
  });
  swapElectionBlocks(elections, newStOf, lattice, Math.max(2, Math.round(6 * Math.sqrt(scale))), rng);

  // --- Geometry -------------------------------------------------------------------------------
  const toWgs84 = proj4(UTM32, 'WGS84');
  const geo = geometryBuilder(lattice, (x, y) => toWgs84.forward([ORIGIN_E + x, ORIGIN_N + y]) as [number, number]);
  const area = (code: string, name: string, parentCode: string | null, cells: number[]): DemoArea => ({
    code,
    name,
    parentCode,
    geometry: geo(cells),
  });
  const layers: DemoLayer[] = [
    {
      key: 'gesamtstadt',
      name: 'Gesamtstadt',
      kind: 'hierarchical',
      parentLayer: null,
      versions: [{ validFrom: null, areas: [area('0', 'Musterstadt', null, all)] }],
    },
    {
      key: 'stadtbezirk',
      name: 'Stadtbezirke',
      kind: 'hierarchical',
      parentLayer: 'gesamtstadt',
      versions: [{ validFrom: null, areas: districts.map((d) => area(d.code, d.name, '0', d.cells)) }],
    },
    {
      key: 'stadtteil',
      name: 'Stadtteile',
      kind: 'hierarchical',
      parentLayer: 'stadtbezirk',
      versions: [
        { validFrom: null, areas: oldSt.map((s) => area(s.code, s.name, districts[s.parent].code, s.cells)) },
        {
          validFrom: NEW_BOUNDARIES_FROM,
          areas: newSt.map((s) => area(s.code, s.name, districts[s.parent].code, s.cells)),
        },
      ],
    },
    {
      key: 'block',
      name: 'Statistische Bezirke',
      kind: 'hierarchical',
      parentLayer: 'stadtteil',
      versions: [
        {
          validFrom: null,
          areas: blockCells.map((c, b) => area(blockCodes[b], blockNames[b], oldSt[oldStOf[c]].code, [c])),
        },
        {
          validFrom: NEW_BOUNDARIES_FROM,
          areas: blockCells.map((c, b) => area(blockCodes[b], blockNames[b], newSt[newStOf[c]].code, [c])),
        },
      ],
    },
    {
      key: 'grundschulbezirk',
      name: 'Grundschulbezirke',
      kind: 'overlay',
      parentLayer: null,
      versions: [{ validFrom: null, areas: schools.map((s) => area(s.code, s.name, null, s.cells)) }],
    },
    {
      key: 'wahlbezirk',
      name: 'Kommunalwahlbezirke',
      kind: 'overlay',
      parentLayer: null,
      versions: [{ validFrom: null, areas: elections.map((e) => area(e.code, e.name, null, e.cells)) }],
    },
  ];

  // --- Observations (model built on first use) -------------------------------------------------
  const modelBlocks: ModelBlock[] = blockCells.map((c) => ({
    cell: c,
    oldStadtteil: oldStOf[c],
    newStadtteil: newStOf[c],
    schoolDistrict: schoolIndex[c],
  }));
  let model: Model | null = null;
  const getModel = () =>
    (model ??= buildModel({
      seed,
      scale,
      dailyUntil,
      profiles,
      blocks: modelBlocks,
      oldStadtteile: oldSt.length,
      newStadtteile: newSt.length,
      schoolDistricts: schools.length,
    }));
  const codes: ObservationCodes = {
    blocks: blockCodes,
    oldStadtteile: oldSt.map((s) => s.code),
    newStadtteile: newSt.map((s) => s.code),
    schools: schools.map((s) => s.code),
  };

  return {
    name: 'Musterstadt',
    layers,
    catalogue: demoCatalogue(),
    observations: () => ({ [Symbol.iterator]: () => generateObservations(getModel(), codes) }),
  };
}

// --- Naming and ordering -------------------------------------------------------------------------

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function roman(n: number): string {
  return ['', 'I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'][n] ?? String(n);
}

function sum(cells: number[], values: ArrayLike<number>): number {
  let s = 0;
  for (const c of cells) s += values[c];
  return s;
}

function centroidOf(cells: number[], lattice: Lattice): [number, number] {
  let a = 0;
  let x = 0;
  let y = 0;
  for (const c of cells) {
    a += lattice.area[c];
    x += lattice.centroidX[c] * lattice.area[c];
    y += lattice.centroidY[c] * lattice.area[c];
  }
  return [x / a, y / a];
}

/** Bearing (0..2π, clockwise from north) of a point seen from another. */
function bearing(fromX: number, fromY: number, toX: number, toY: number): number {
  const b = Math.atan2(toX - fromX, toY - fromY);
  return b < 0 ? b + 2 * Math.PI : b;
}

/** Orders groups clockwise from north around their common centre; `firstGroup` (if ≥ 0) comes first. */
function orderAround(
  groups: number[][],
  firstGroup: number,
  pos: { x: ArrayLike<number>; y: ArrayLike<number> },
): number[] {
  let cx = 0;
  let cy = 0;
  let count = 0;
  const centres = groups.map((cells) => {
    let x = 0;
    let y = 0;
    for (const c of cells) {
      x += pos.x[c];
      y += pos.y[c];
    }
    cx += x;
    cy += y;
    count += cells.length;
    return [x / cells.length, y / cells.length];
  });
  cx /= count;
  cy /= count;
  const order = groups.map((_, g) => g).filter((g) => g !== firstGroup);
  const key = order.map((g) => bearing(cx, cy, centres[g][0], centres[g][1]));
  const sorted = order
    .map((g, i) => [g, key[i]] as const)
    .sort((a, b) => a[1] - b[1] || a[0] - b[0])
    .map((p) => p[0]);
  return firstGroup >= 0 ? [firstGroup, ...sorted] : sorted;
}

/** North to south in bands of ~1.5 km, west to east within a band. */
function readingOrder(a: number[], b: number[], lattice: Lattice): number {
  const [ax, ay] = centroidOf(a, lattice);
  const [bx, by] = centroidOf(b, lattice);
  const band = (y: number) => Math.floor(-y / 1500);
  return band(ay) - band(by) || ax - bx;
}

/**
 * Names and numbers the districts: the central one is "Altstadt" (code 01); the one with most
 * poverty, villas and new housing get fitting names; the districts nearest to north, east, south
 * and west get the cardinal names; the rest come from the pool. Codes run clockwise from north.
 */
function nameDistricts(
  groups: number[][],
  seeds: number[],
  centreCell: number,
  lattice: Lattice,
  profiles: BlockProfiles,
  rng: Rng,
): Group[] {
  const k = groups.length;
  const centre = groups.findIndex((cells) => cells.includes(centreCell));
  const centroids = groups.map((cells) => centroidOf(cells, lattice));
  const mean = (cells: number[], field: Float64Array) => {
    let s = 0;
    let w = 0;
    for (const c of cells) {
      s += field[c] * profiles.pop2024[c];
      w += profiles.pop2024[c];
    }
    return s / w;
  };
  const names = new Array<string | undefined>(k);
  names[centre] = DISTRICT_CENTRE;
  const pickMax = (field: Float64Array, name: string) => {
    let best = -1;
    let bestV = -Infinity;
    for (let g = 0; g < k; g++) {
      if (names[g] !== undefined) continue;
      const v = mean(groups[g], field);
      if (v > bestV) {
        bestV = v;
        best = g;
      }
    }
    if (best >= 0) names[best] = name;
  };
  pickMax(profiles.poverty, DISTRICT_INDUSTRIAL);
  pickMax(profiles.villa, DISTRICT_VILLA);
  pickMax(profiles.newHousing, DISTRICT_NEW_HOUSING);
  const bearings = centroids.map(([x, y]) => bearing(0, 0, x, y));
  const cardinal: [number, string][] = [
    [0, DISTRICT_CARDINAL.north],
    [Math.PI / 2, DISTRICT_CARDINAL.east],
    [Math.PI, DISTRICT_CARDINAL.south],
    [(3 * Math.PI) / 2, DISTRICT_CARDINAL.west],
  ];
  for (const [dir, name] of cardinal) {
    let best = -1;
    let bestD = Math.PI / 5;
    for (let g = 0; g < k; g++) {
      if (names[g] !== undefined) continue;
      const d = Math.abs(((bearings[g] - dir + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
      if (d < bestD) {
        bestD = d;
        best = g;
      }
    }
    if (best >= 0) names[best] = name;
  }
  const pool = rng.shuffle([...DISTRICT_POOL]);
  let p = 0;
  for (let g = 0; g < k; g++) if (names[g] === undefined) names[g] = pool[p++] ?? `Bezirk ${g + 1}`;
  const order = [
    centre,
    ...groups
      .map((_, g) => g)
      .filter((g) => g !== centre)
      .sort((a, b) => bearings[a] - bearings[b] || a - b),
  ];
  return order.map((g, i) => ({ cells: groups[g], code: pad(i + 1, 2), name: names[g]!, parent: -1, seed: seeds[g] }));
}

/** Group index per cell for a list of groups (-1 for cells in none). */
function groupOfCell(groups: Group[], n: number): Int32Array {
  const out = new Int32Array(n).fill(-1);
  groups.forEach((g, i) => g.cells.forEach((c) => (out[c] = i)));
  return out;
}

/** Street-like names for blocks ("Lindenweg", "Am Schillerplatz" …), unique within the city. */
function streetNames(count: number, seed: number): string[] {
  const rng = new Rng(hash32(seed, 7));
  const used = new Set<string>();
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let name = '';
    for (let attempt = 0; attempt < 20 && (name === '' || used.has(name)); attempt++) {
      const prefix = STREET_PREFIX[rng.int(STREET_PREFIX.length)];
      const suffix = STREET_SUFFIX[rng.int(STREET_SUFFIX.length)];
      name =
        suffix === 'platz' || suffix === 'park' || suffix === 'hof' ? `Am ${prefix}${suffix}` : `${prefix}${suffix}`;
    }
    for (let k = 2; used.has(name); k++) name = `${name.replace(/ [IVX]+$/, '')} ${roman(k)}`;
    used.add(name);
    out.push(name);
  }
  return out;
}

/**
 * Moves a few blocks on neighbourhood borders into an adjacent election district of the other
 * neighbourhood, keeping every election district contiguous and each one touched at most once.
 */
function swapElectionBlocks(elections: Group[], stOf: Int32Array, lattice: Lattice, swaps: number, rng: Rng): void {
  const wbOf = new Int32Array(lattice.cellCount).fill(-1);
  elections.forEach((e, i) => e.cells.forEach((c) => (wbOf[c] = i)));
  const candidates: number[] = [];
  for (let c = 0; c < lattice.cellCount; c++)
    if (lattice.neighbours[c].some((o) => stOf[o] !== stOf[c])) candidates.push(c);
  rng.shuffle(candidates);
  const touched = new Set<number>();
  let done = 0;
  for (const c of candidates) {
    if (done >= swaps) break;
    const donor = wbOf[c];
    if (touched.has(donor) || elections[donor].cells.length < 3) continue;
    const receivers = lattice.neighbours[c]
      .filter((o) => stOf[o] !== stOf[c] && !touched.has(wbOf[o]))
      .map((o) => wbOf[o]);
    if (receivers.length === 0) continue;
    const receiver = Math.min(...receivers);
    const rest = elections[donor].cells.filter((x) => x !== c);
    if (!isConnected(rest, lattice.neighbours)) continue;
    elections[donor].cells = rest;
    elections[receiver].cells = [...elections[receiver].cells, c];
    wbOf[c] = receiver;
    touched.add(donor);
    touched.add(receiver);
    done++;
  }
}

// --- Observations ----------------------------------------------------------------------------------

interface ObservationCodes {
  blocks: string[];
  oldStadtteile: string[];
  newStadtteile: string[];
  schools: string[];
}

const LATEST = YEARS - 1;
const yearOf = (t: number) => FIRST_YEAR + t;
const stichtag = (t: number) => `${yearOf(t)}-12-31`;
const schoolYear = (t: number) => `${yearOf(t)}/${pad((yearOf(t) + 1) % 100, 2)}`;
const SUPPRESSION_REASON = 'Fallzahl kleiner 3 (Geheimhaltung)';
const PROVISIONAL_REASON = 'vorläufiger Wert';

function* generateObservations(m: Model, codes: ObservationCodes): Generator<DemoObservation> {
  const T = m.years;
  const B = m.blocks;
  const A = AGE_GROUPS.length;
  const block = (
    indicator: string,
    t: number,
    b: number,
    members: Record<string, string>,
    value: number,
    provisional = false,
  ): DemoObservation =>
    provisional
      ? {
          indicator,
          layer: 'block',
          area: codes.blocks[b],
          period: stichtag(t),
          members,
          value,
          status: 'provisional',
          reason: PROVISIONAL_REASON,
        }
      : { indicator, layer: 'block', area: codes.blocks[b], period: stichtag(t), members, value, status: 'final' };
  const ages = (b: number, t: number, a: number) =>
    m.pop[((b * T + t) * A + a) * 2] + m.pop[((b * T + t) * A + a) * 2 + 1];
  const total = (b: number, t: number) => {
    let s = 0;
    for (let a = 0; a < A; a++) s += ages(b, t, a);
    return s;
  };

  // Population (Melderegister), per block and Stichtag.
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++)
      for (let a = 0; a < A; a++)
        for (let s = 0; s < SEXES.length; s++)
          yield block(
            'einwohner',
            t,
            b,
            { altersgruppe: AGE_GROUPS[a], geschlecht: SEXES[s] },
            m.pop[((b * T + t) * A + a) * 2 + s],
          );
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++) {
      const foreign = m.foreign[b * T + t];
      yield block(
        'einwohner_staatsangehoerigkeit',
        t,
        b,
        { staatsangehoerigkeit: NATIONALITIES[0] },
        total(b, t) - foreign,
      );
      yield block('einwohner_staatsangehoerigkeit', t, b, { staatsangehoerigkeit: NATIONALITIES[1] }, foreign);
    }
  const helpers: [string, (b: number, t: number) => number][] = [
    ['einwohner_unter3', (b, t) => m.under3[b * T + t]],
    ['einwohner_3_6', (b, t) => ages(b, t, 0) - m.under3[b * T + t]],
    ['einwohner_unter15', (b, t) => ages(b, t, 0) + ages(b, t, 1) + ages(b, t, 2)],
    [
      'einwohner_unter21',
      (b, t) => ages(b, t, 0) + ages(b, t, 1) + ages(b, t, 2) + ages(b, t, 3) + m.age18to20[b * T + t],
    ],
    ['einwohner_15_64', (b, t) => ages(b, t, 3) + ages(b, t, 4) + ages(b, t, 5) + ages(b, t, 6)],
    ['einwohner_unter65', (b, t) => total(b, t) - ages(b, t, 7) - ages(b, t, 8)],
    ['einwohner_65plus', (b, t) => ages(b, t, 7) + ages(b, t, 8)],
  ];
  for (const [indicator, value] of helpers)
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) yield block(indicator, t, b, {}, value(b, t));
  // Births are a flow over the calendar year.
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++)
      yield {
        indicator: 'geburten',
        layer: 'block',
        area: codes.blocks[b],
        period: String(yearOf(t)),
        members: {},
        value: m.births[b * T + t],
        status: 'final',
      };

  // Labour market and benefits; the latest year is provisional.
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++)
      for (let s = 0; s < SEXES.length; s++)
        yield block('arbeitslose', t, b, { geschlecht: SEXES[s] }, m.unemployed[(b * T + t) * 2 + s], t === LATEST);
  for (const [indicator, values] of [
    ['transferbezug', m.sgb2],
    ['transferbezug_unter15', m.sgb2Children],
    ['grundsicherung_alter', m.oldAgeSupport],
  ] as const)
    for (let t = 0; t < T; t++)
      for (let b = 0; b < B; b++) yield block(indicator, t, b, {}, values[b * T + t], t === LATEST);

  // Day care.
  for (const [indicator, values] of [
    ['kita_kinder_unter3', m.daycareUnder3],
    ['kita_kinder_3_6', m.daycare3to6],
  ] as const)
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) yield block(indicator, t, b, {}, values[b * T + t]);

  // School transitions, per block (geocoded home address) and school year.
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++)
      for (let k = 0; k < SCHOOL_TYPES.length; k++)
        yield {
          indicator: 'uebergaenge',
          layer: 'block',
          area: codes.blocks[b],
          period: schoolYear(t),
          members: { schulform: SCHOOL_TYPES[k] },
          value: m.transitions[(b * T + t) * 5 + k],
          status: 'final',
        };

  // School-entry examinations, per primary-school catchment and school year of entry.
  const G = codes.schools.length;
  const school = (indicator: string, values: Int32Array) =>
    function* () {
      for (let t = 0; t < T; t++)
        for (let g = 0; g < G; g++)
          yield {
            indicator,
            layer: 'grundschulbezirk',
            area: codes.schools[g],
            period: schoolYear(t),
            members: {},
            value: values[g * T + t],
            status: 'final' as ObservationStatus,
          };
    };
  yield* school('seu_untersuchte', m.seuExamined)();
  yield* school('seu_sprachfoerderbedarf', m.seuLanguage)();
  yield* school('seu_uebergewicht', m.seuOverweight)();
  yield* school('seu_masern_geimpft', m.seuMeasles)();
  for (let t = 0; t < T; t++)
    for (let g = 0; g < G; g++) {
      const base = m.seuExamined[g * T + t];
      yield base > 0
        ? {
            indicator: 'seu_kita_dauer',
            layer: 'grundschulbezirk',
            area: codes.schools[g],
            period: schoolYear(t),
            members: {},
            value: m.seuDaycareYears[g * T + t],
            base,
            status: 'final',
          }
        : {
            indicator: 'seu_kita_dauer',
            layer: 'grundschulbezirk',
            area: codes.schools[g],
            period: schoolYear(t),
            members: {},
            value: null,
            base: 0,
            status: 'missing',
            reason: 'keine untersuchten Kinder',
          };
    }

  // Youth welfare per neighbourhood, with the codes of the boundary version valid at the period's end.
  const neighbourhood = (indicator: string, perYear: Int32Array[], period: (t: number) => string) =>
    function* () {
      for (let t = 0; t < T; t++) {
        const stCodes =
          t + FIRST_YEAR < Number(NEW_BOUNDARIES_FROM.slice(0, 4)) ? codes.oldStadtteile : codes.newStadtteile;
        const values = perYear[t];
        for (let s = 0; s < stCodes.length; s++) {
          const v = values[s];
          yield v >= 1 && v <= 2
            ? {
                indicator,
                layer: 'stadtteil',
                area: stCodes[s],
                period: period(t),
                members: {},
                value: null,
                status: 'suppressed' as ObservationStatus,
                reason: SUPPRESSION_REASON,
              }
            : {
                indicator,
                layer: 'stadtteil',
                area: stCodes[s],
                period: period(t),
                members: {},
                value: v,
                status: 'final' as ObservationStatus,
              };
        }
      }
    };
  yield* neighbourhood('hze_faelle', m.educationalSupport, stichtag)();
  yield* neighbourhood('kinderschutz_verfahren', m.childProtection, (t) => String(yearOf(t)))();
  for (let t = 0; t < T; t++)
    for (let g = 0; g < G; g++)
      yield {
        indicator: 'ferienprogramm_teilnehmende',
        layer: 'grundschulbezirk',
        area: codes.schools[g],
        period: String(yearOf(t)),
        members: {},
        value: m.holidayProgramme[g * T + t],
        status: 'final',
      };

  // The crisis warning light: daily values for the whole city; the last five days are provisional.
  for (const [indicator, values] of [
    ['belegung_notunterkuenfte', m.dailyOccupied],
    ['plaetze_notunterkuenfte', m.dailyPlaces],
  ] as const)
    for (let d = 0; d < m.dailyDates.length; d++) {
      const provisional = d >= m.dailyDates.length - 5;
      yield provisional
        ? {
            indicator,
            layer: 'gesamtstadt',
            area: '0',
            period: m.dailyDates[d],
            members: {},
            value: values[d],
            status: 'provisional',
            reason: PROVISIONAL_REASON,
          }
        : {
            indicator,
            layer: 'gesamtstadt',
            area: '0',
            period: m.dailyDates[d],
            members: {},
            value: values[d],
            status: 'final',
          };
    }
}
