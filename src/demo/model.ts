// The statistical model behind the demo city: smooth latent fields over the map (poverty,
// villas, new housing, centrality), a block profile derived from them, and the yearly state of
// every block (population by age and sex, nationality, unemployment, benefits, day care, school
// transitions), aggregated where the real data would arrive at a coarser level (school-entry
// examinations per primary-school catchment, youth-welfare cases per neighbourhood).
//
// Everything is integer and consistent by construction: parts are drawn from their whole
// (binomial draws), so numerators never exceed denominators and sums of members are the totals.

import type { Lattice } from './lattice.ts';
import { AGE_GROUPS } from './catalogue.ts';
import { Rng, binomial, clamp, hash32, poisson, splitInteger, unitHash } from './random.ts';

export const FIRST_YEAR = 2015;
export const YEARS = 10;

/** Latent fields and the 2024 population of each lattice cell. */
export interface BlockProfiles {
  /** Poverty (0 ≈ none, ~1.3 = the poorest quarter). */
  poverty: Float64Array;
  /** Old villa district (0..1). */
  villa: Float64Array;
  /** New housing development (0..1). */
  newHousing: Float64Array;
  /** Centrality (1 in the very centre). */
  centre: Float64Array;
  /** New housing built during the decade (population grows from almost nothing). */
  development: Uint8Array;
  /** Year index (0 = 2015) when moving in started in a development block. */
  devStart: Float64Array;
  /** Industrial, commercial or green block with few residents. */
  sparse: Uint8Array;
  /** Expected population at 31.12.2024 (not yet an integer). */
  pop2024: Float64Array;
  /** Rough number of children aged 6 to 10 (for balancing school catchments). */
  children: Float64Array;
}

function gauss(dx: number, dy: number, sigma: number): number {
  return Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
}

/** Centre of a latent bump: the cell nearest to a point given in normalised polar coordinates. */
function anchor(lattice: Lattice, rng: Rng, bearingDeg: number, r: number): [number, number] {
  const b = ((bearingDeg + rng.range(-12, 12)) * Math.PI) / 180;
  const rr = r * rng.range(0.9, 1.1);
  const tx = Math.sin(b) * rr * lattice.radius;
  const ty = Math.cos(b) * rr * lattice.radius;
  let best = 0;
  let bestD = Infinity;
  for (let k = 0; k < lattice.cellCount; k++) {
    const d = (lattice.centroidX[k] - tx) ** 2 + (lattice.centroidY[k] - ty) ** 2;
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return [lattice.centroidX[best] / lattice.radius, lattice.centroidY[best] / lattice.radius];
}

export function blockProfiles(lattice: Lattice, seed: number, scale: number): BlockProfiles {
  const n = lattice.cellCount;
  const rng = new Rng(hash32(seed, 101));
  // Bearings are clockwise from north: the old industrial poverty cluster in the north-east, a
  // 1970s high-rise estate on the western edge, the villa district south-south-west, the new
  // housing development on the south-eastern edge.
  const ne = anchor(lattice, rng, 45, 0.5);
  const estate = anchor(lattice, rng, 275, 0.72);
  const villa = anchor(lattice, rng, 205, 0.45);
  const fresh = anchor(lattice, rng, 130, 0.74);
  const waves = Array.from({ length: 6 }, () => ({
    f: rng.range(2, 6),
    a: rng.range(0, 2 * Math.PI),
    p: rng.range(0, 2 * Math.PI),
  }));

  const p: BlockProfiles = {
    poverty: new Float64Array(n),
    villa: new Float64Array(n),
    newHousing: new Float64Array(n),
    centre: new Float64Array(n),
    development: new Uint8Array(n),
    devStart: new Float64Array(n),
    sparse: new Uint8Array(n),
    pop2024: new Float64Array(n),
    children: new Float64Array(n),
  };
  let meanArea = 0;
  for (let k = 0; k < n; k++) meanArea += lattice.area[k] / n;

  let total = 0;
  for (let k = 0; k < n; k++) {
    const u = lattice.centroidX[k] / lattice.radius;
    const v = lattice.centroidY[k] / lattice.radius;
    const r = Math.hypot(u, v);
    let noise = 0;
    for (const w of waves) noise += Math.cos(w.f * (u * Math.cos(w.a) + v * Math.sin(w.a)) + w.p);
    noise /= Math.sqrt(3);
    const C = Math.exp(-((r / 0.28) ** 2));
    const V = gauss(u - villa[0], v - villa[1], 0.26);
    const N = gauss(u - fresh[0], v - fresh[1], 0.13);
    const P = clamp(
      1.05 * gauss(u - ne[0], v - ne[1], 0.36) +
        0.85 * gauss(u - estate[0], v - estate[1], 0.14) +
        0.12 * noise +
        0.12 * C -
        0.55 * V -
        0.3 * N,
      0,
      1.6,
    );
    p.poverty[k] = P;
    p.villa[k] = V;
    p.newHousing[k] = N;
    p.centre[k] = C;
    const z = new Rng(hash32(seed, 102, k)).normal();
    const dev = N > 0.5;
    p.development[k] = dev ? 1 : 0;
    p.devStart[k] = 1 + 3 * unitHash(seed, 103, k);
    const sparse = !dev && ((r > 0.72 && unitHash(seed, 104, k) < 0.07) || (P > 0.7 && unitHash(seed, 105, k) < 0.06));
    p.sparse[k] = sparse ? 1 : 0;
    let w =
      (lattice.area[k] / meanArea) ** 0.35 *
      (1 + 0.8 * C) *
      (1 + 0.35 * P) *
      (1 - 0.35 * V) *
      (dev ? 1.5 : 1) *
      Math.exp(0.33 * z);
    if (sparse) w *= 0.1 + 0.2 * unitHash(seed, 106, k);
    p.pop2024[k] = w;
    total += w;
  }
  // Scale to ~300,000 inhabitants per unit of scale, keep ordinary blocks within 250..2,700.
  const target = 300_000 * scale;
  for (let iter = 0; iter < 3; iter++) {
    const f = target / total;
    total = 0;
    for (let k = 0; k < n; k++) {
      let x = p.pop2024[k] * f;
      if (!p.sparse[k]) x = clamp(x, 250, 2700);
      p.pop2024[k] = x;
      total += x;
    }
  }
  for (let k = 0; k < n; k++) {
    const kids = 0.036 * Math.exp(0.35 * p.poverty[k] + 0.8 * p.newHousing[k] - 0.5 * p.centre[k] - 0.2 * p.villa[k]);
    p.children[k] = p.pop2024[k] * kids;
  }
  return p;
}

// --- Yearly state ------------------------------------------------------------------------------

/** Age structure of an average German city (shares in %, AGE_GROUPS order). */
const BASE_AGE = [5.6, 3.6, 4.4, 2.7, 8.5, 27, 26.5, 14.7, 7];
/** Share of men per age group. */
const MALE_SHARE = [0.513, 0.513, 0.513, 0.515, 0.52, 0.51, 0.5, 0.47, 0.37];

/** City-wide trends, index 0 = 2015. */
const POP_TREND = [0.952, 0.963, 0.966, 0.969, 0.972, 0.971, 0.973, 0.987, 0.994, 1];
const FOREIGN_TREND = [0.78, 0.84, 0.86, 0.88, 0.9, 0.91, 0.93, 0.98, 0.99, 1];
const UNEMPLOYMENT_TREND = [1, 0.96, 0.9, 0.85, 0.82, 0.95, 0.92, 0.86, 0.9, 0.94];
const SGB2_TREND = [1, 1.02, 1.03, 1, 0.95, 0.97, 0.94, 1.01, 1.04, 1.05];

export interface ModelBlock {
  /** Lattice cell of the block. */
  cell: number;
  /** Index of the parent Stadtteil in the old (24) and new (38) version, and of the school catchment. */
  oldStadtteil: number;
  newStadtteil: number;
  schoolDistrict: number;
}

export interface ModelInput {
  seed: number;
  scale: number;
  /** The last day of the daily series (ISO date; default 2024-12-31, the demo's last Stichtag). */
  dailyUntil?: string;
  profiles: BlockProfiles;
  blocks: ModelBlock[];
  oldStadtteile: number;
  newStadtteile: number;
  schoolDistricts: number;
}

export interface Model {
  years: number;
  blocks: number;
  /** Population by block, year, age group, sex: ((b * YEARS + t) * 9 + a) * 2 + s. */
  pop: Int32Array;
  /** Per block and year (b * YEARS + t). */
  foreign: Int32Array;
  under3: Int32Array;
  age18to20: Int32Array;
  births: Int32Array;
  /** Unemployed by block, year, sex ((b * YEARS + t) * 2 + s). */
  unemployed: Int32Array;
  sgb2: Int32Array;
  sgb2Children: Int32Array;
  oldAgeSupport: Int32Array;
  daycareUnder3: Int32Array;
  daycare3to6: Int32Array;
  /** School transitions by block, year, school type ((b * YEARS + t) * 5 + k). */
  transitions: Int32Array;
  /** School-entry examinations per catchment and year (g * YEARS + t). */
  seuExamined: Int32Array;
  seuLanguage: Int32Array;
  seuOverweight: Int32Array;
  seuMeasles: Int32Array;
  seuDaycareYears: Float64Array;
  holidayProgramme: Int32Array;
  /** Youth-welfare cases per neighbourhood of the version valid in year t (index into that version). */
  educationalSupport: Int32Array[];
  childProtection: Int32Array[];
  /** Daily emergency accommodation, 120 days ending 2024-12-31. */
  dailyDates: string[];
  dailyOccupied: Int32Array;
  dailyPlaces: Int32Array;
}

const A = AGE_GROUPS.length;

export function buildModel(input: ModelInput): Model {
  const { seed, profiles: pr, blocks } = input;
  const B = blocks.length;
  const T = YEARS;
  const m: Model = {
    years: T,
    blocks: B,
    pop: new Int32Array(B * T * A * 2),
    foreign: new Int32Array(B * T),
    under3: new Int32Array(B * T),
    age18to20: new Int32Array(B * T),
    births: new Int32Array(B * T),
    unemployed: new Int32Array(B * T * 2),
    sgb2: new Int32Array(B * T),
    sgb2Children: new Int32Array(B * T),
    oldAgeSupport: new Int32Array(B * T),
    daycareUnder3: new Int32Array(B * T),
    daycare3to6: new Int32Array(B * T),
    transitions: new Int32Array(B * T * 5),
    seuExamined: new Int32Array(input.schoolDistricts * T),
    seuLanguage: new Int32Array(input.schoolDistricts * T),
    seuOverweight: new Int32Array(input.schoolDistricts * T),
    seuMeasles: new Int32Array(input.schoolDistricts * T),
    seuDaycareYears: new Float64Array(input.schoolDistricts * T),
    holidayProgramme: new Int32Array(input.schoolDistricts * T),
    educationalSupport: [],
    childProtection: [],
    dailyDates: [],
    dailyOccupied: new Int32Array(0),
    dailyPlaces: new Int32Array(0),
  };

  // Per-catchment accumulators for school entry and the holiday programme.
  const G = input.schoolDistricts;
  const seuProb = new Float64Array(G * T * 4); // weighted sums: language, overweight, measles, daycare years
  const seuWeight = new Float64Array(G * T);
  const holidayBase = new Float64Array(G * T * 2); // children, children × rate
  // Per-neighbourhood accumulators: under-21 and under-18 population and expected cases.
  const stAcc = (count: number) => Array.from({ length: T }, () => new Float64Array(count * 2));
  const hzeOld = stAcc(input.oldStadtteile);
  const hzeNew = stAcc(input.newStadtteile);
  const kwsOld = stAcc(input.oldStadtteile);
  const kwsNew = stAcc(input.newStadtteile);

  const shares = new Float64Array(A);
  const ages = new Int32Array(A);
  for (let b = 0; b < B; b++) {
    const blk = blocks[b];
    const k = blk.cell;
    const P = pr.poverty[k];
    const V = pr.villa[k];
    const N = pr.newHousing[k];
    const C = pr.centre[k];
    const br = new Rng(hash32(seed, 201, k));
    // Persistent block character.
    const ageNoise = Array.from({ length: A }, () => 0.1 * br.normal());
    const popTrend = 0.005 * br.normal();
    const zForeign = br.normal();
    const zUnemp = br.normal();
    const zSgb = br.normal();
    const zOld = br.normal();
    const zKita = br.normal();
    const zU3 = br.normal();
    const zGym = br.normal();
    const zHze = br.normal();
    const ageMod = [
      0.35 * P + 0.8 * N - 0.5 * C - 0.2 * V,
      0.35 * P + 0.8 * N - 0.5 * C - 0.2 * V,
      0.35 * P + 0.7 * N - 0.45 * C - 0.1 * V,
      0.25 * P + 0.5 * N - 0.3 * C,
      0.9 * C + 0.15 * P - 0.3 * V - 0.2 * N,
      0.45 * C + 0.4 * N - 0.15 * V,
      0.15 * V - 0.2 * C - 0.1 * N,
      0.55 * V - 0.35 * N - 0.2 * C - 0.1 * P,
      0.75 * V - 0.5 * N - 0.1 * C - 0.1 * P,
    ];
    const sgbRate0 = 0.085 * Math.exp(1.25 * P - 0.7 * V + 0.15 * zSgb);
    const gymShare0 = 0.44 - 0.22 * P + 0.18 * V + 0.06 * C + 0.04 * zGym;

    for (let t = 0; t < T; t++) {
      const rng = new Rng(hash32(seed, 202, k, t));
      // Total population.
      let growth = (POP_TREND[t] / POP_TREND[T - 1]) * (1 + popTrend * (t - (T - 1)));
      if (pr.development[k]) {
        const x = clamp((t - pr.devStart[k]) / 5, 0, 1);
        growth *= 0.05 + 0.95 * x * x * (3 - 2 * x);
      }
      const total = Math.max(0, Math.round(pr.pop2024[k] * growth * (1 + 0.004 * rng.normal())));
      // Age structure.
      for (let a = 0; a < A; a++) {
        let s = BASE_AGE[a] * Math.exp(ageMod[a] + ageNoise[a]);
        if (a === 0) s *= 1 + 0.008 * (t - 9);
        if (a >= 7) s *= 1 + (0.012 + 0.02 * V) * (t - 9);
        shares[a] = s;
      }
      splitInteger(total, shares, ages);
      const base = (b * T + t) * A * 2;
      for (let a = 0; a < A; a++) {
        const men = binomial(ages[a], MALE_SHARE[a], rng);
        m.pop[base + a * 2] = men;
        m.pop[base + a * 2 + 1] = ages[a] - men;
      }
      const bt = b * T + t;
      const u6 = ages[0];
      const under15 = ages[0] + ages[1] + ages[2];
      const under18 = under15 + ages[3];
      const work = ages[3] + ages[4] + ages[5] + ages[6];
      const under65 = under15 + work;
      const old = ages[7] + ages[8];
      m.under3[bt] = binomial(u6, 0.49, rng);
      const a18to20 = binomial(ages[4], 0.4, rng);
      m.age18to20[bt] = a18to20;
      const under21 = under18 + a18to20;
      m.births[bt] = poisson(u6 * 0.168 * (1 + 0.2 * N), rng);
      // Nationality.
      const foreignShare = clamp(0.05 + 0.25 * P + 0.12 * C - 0.04 * V + 0.03 * zForeign, 0.02, 0.5) * FOREIGN_TREND[t];
      m.foreign[bt] = binomial(total, foreignShare, rng);
      // Labour market and benefits.
      const unempRate = clamp(
        0.045 * Math.exp(1.05 * P - 0.5 * V + 0.15 * zUnemp) * UNEMPLOYMENT_TREND[t],
        0.004,
        0.25,
      );
      const unemployed = binomial(work, unempRate, rng);
      const unempMen = binomial(unemployed, 0.55, rng);
      m.unemployed[bt * 2] = unempMen;
      m.unemployed[bt * 2 + 1] = unemployed - unempMen;
      const sgbRate = clamp(sgbRate0 * SGB2_TREND[t], 0.005, 0.5);
      const sgbChildren = binomial(under15, Math.min(0.85, sgbRate * 1.55), rng);
      const sgbOthers = binomial(under65 - under15, sgbRate * 0.9, rng);
      m.sgb2Children[bt] = sgbChildren;
      m.sgb2[bt] = sgbChildren + sgbOthers;
      m.oldAgeSupport[bt] = binomial(
        old,
        clamp(0.03 * Math.exp(1.1 * P - 0.8 * V + 0.2 * zOld) * (1 + 0.04 * t), 0.002, 0.3),
        rng,
      );
      // Day care.
      m.daycareUnder3[bt] = binomial(
        m.under3[bt],
        clamp((0.22 + 0.018 * t) * Math.exp(-0.45 * P + 0.25 * V + 0.1 * C + 0.1 * zU3), 0.03, 0.75),
        rng,
      );
      m.daycare3to6[bt] = binomial(
        u6 - m.under3[bt],
        clamp(0.93 - 0.09 * P + 0.02 * zKita + 0.004 * t, 0.65, 0.995),
        rng,
      );
      // School transitions after year 4 (about a quarter of the 6-to-10-year-olds each year).
      const leavers = binomial(ages[1], 0.25, rng);
      const gym = clamp(gymShare0 + 0.006 * t, 0.1, 0.85);
      const rest = [0.22 + 0.08 * P, 0.2 - 0.02 * P, 0.03 + 0.06 * P, 0.04];
      const restSum = rest.reduce((x, y) => x + y, 0);
      let left = leavers;
      let mass = 1;
      const probs = [gym, ...rest.map((x) => (x / restSum) * (1 - gym))];
      for (let s = 0; s < 5; s++) {
        const c = s === 4 ? left : binomial(left, probs[s] / mass, rng);
        m.transitions[bt * 5 + s] = c;
        left -= c;
        mass -= probs[s];
      }
      // School entry: roughly one sixth of the under-6-year-olds, examined per catchment.
      const g = blk.schoolDistrict;
      const gt = g * T + t;
      const cohort = u6 / 6;
      seuWeight[gt] += cohort;
      seuProb[gt * 4] += cohort * clamp(0.08 + 0.55 * foreignShare + 0.12 * P + 0.005 * t, 0.03, 0.8);
      seuProb[gt * 4 + 1] += cohort * clamp(0.075 + 0.07 * P - 0.03 * V, 0.02, 0.3);
      seuProb[gt * 4 + 2] += cohort * clamp(0.9 - 0.04 * P + 0.02 * V + (t >= 5 ? 0.03 : 0) + 0.003 * t, 0.7, 0.99);
      seuProb[gt * 4 + 3] += cohort * clamp(3.3 - 0.7 * P - 1.2 * foreignShare + 0.3 * V + 0.03 * t, 1, 4.8);
      // Holiday programme (children of 6 to about 12): until 2021 it mostly reached the better-off
      // areas; from 2022 activities moved into the neighbourhoods and onto school yards.
      const kids = ages[1] + 0.4 * ages[2];
      let rate = t >= 7 ? 0.16 * Math.exp(-0.25 * P) : 0.14 * Math.exp(-1.1 * P + 0.25 * V);
      if (t === 5) rate *= 0.35;
      if (t === 6) rate *= 0.7;
      holidayBase[gt * 2] += kids;
      holidayBase[gt * 2 + 1] += kids * rate;
      // Youth welfare, accumulated per neighbourhood of the boundary version valid in that year.
      const hzeRate = (14 * Math.exp(1.0 * P - 0.6 * V + 0.15 * zHze) * (1 + 0.02 * t)) / 1000;
      const kwsRate = (3.5 * Math.exp(0.9 * P) * (1 + 0.05 * t)) / 1000;
      const st = t <= 5 ? blk.oldStadtteil : blk.newStadtteil;
      const hz = t <= 5 ? hzeOld[t] : hzeNew[t];
      const kw = t <= 5 ? kwsOld[t] : kwsNew[t];
      hz[st * 2] += under21;
      hz[st * 2 + 1] += under21 * hzeRate;
      kw[st * 2] += under18;
      kw[st * 2 + 1] += under18 * kwsRate;
    }
  }

  for (let g = 0; g < G; g++) {
    for (let t = 0; t < T; t++) {
      const gt = g * T + t;
      const rng = new Rng(hash32(seed, 301, g, t));
      const n = poisson(seuWeight[gt] * 0.97, rng);
      const w = seuWeight[gt] || 1;
      m.seuExamined[gt] = n;
      m.seuLanguage[gt] = binomial(n, seuProb[gt * 4] / w, rng);
      m.seuOverweight[gt] = binomial(n, seuProb[gt * 4 + 1] / w, rng);
      m.seuMeasles[gt] = binomial(n, seuProb[gt * 4 + 2] / w, rng);
      m.seuDaycareYears[gt] =
        n > 0 ? Math.round(clamp(seuProb[gt * 4 + 3] / w + 0.06 * rng.normal(), 0.5, 5.5) * 100) / 100 : 0;
      const kids = Math.round(holidayBase[gt * 2]);
      m.holidayProgramme[gt] = binomial(kids, holidayBase[gt * 2 + 1] / (holidayBase[gt * 2] || 1), rng);
    }
  }

  const cases = (acc: Float64Array[], t: number, salt: number): Int32Array => {
    const a = acc[t];
    const out = new Int32Array(a.length / 2);
    const rng = new Rng(hash32(seed, salt, t));
    for (let s = 0; s < out.length; s++) out[s] = Math.min(Math.round(a[s * 2]), poisson(a[s * 2 + 1], rng));
    return out;
  };
  for (let t = 0; t < T; t++) {
    m.educationalSupport.push(cases(t <= 5 ? hzeOld : hzeNew, t, 401));
    m.childProtection.push(cases(t <= 5 ? kwsOld : kwsNew, t, 402));
  }

  dailyAccommodation(m, seed, input.scale, input.dailyUntil ?? DAILY_UNTIL);
  return m;
}

/** The default last day of the daily series: the demo's last Stichtag. */
const DAILY_UNTIL = '2024-12-31';

/** 120 daily values (by default 2024-09-03 .. 2024-12-31) of emergency accommodation: occupancy and places. */
function dailyAccommodation(m: Model, seed: number, scale: number, until: string): void {
  const days = 120;
  const rng = new Rng(hash32(seed, 501));
  const start = Date.parse(`${until}T00:00:00Z`) - (days - 1) * 86_400_000;
  let places = Math.round(900 * scale);
  let occupied = Math.round(765 * scale);
  let opening = -1; // day index when additional places open
  const occ = new Int32Array(days);
  const cap = new Int32Array(days);
  for (let d = 0; d < days; d++) {
    const date = new Date(start + d * 86_400_000);
    m.dailyDates.push(date.toISOString().slice(0, 10));
    if (d === opening) {
      places += Math.round(120 * scale);
      opening = -1;
    }
    const weekday = date.getUTCDay();
    const surge = d >= 55 && d < 72 ? 9 : 0;
    const arrivals = poisson(
      (weekday >= 1 && weekday <= 3 ? 12 : weekday === 0 || weekday === 6 ? 4 : 8) * scale + surge * scale,
      rng,
    );
    const departures = binomial(occupied, 0.0075, rng);
    occupied = Math.min(Math.round(places * 1.03), Math.max(0, occupied + arrivals - departures));
    occ[d] = occupied;
    cap[d] = places;
    // A new accommodation is opened about ten days after the warning light turns yellow.
    if (opening < 0 && occupied / places > 0.93) opening = d + 10 + rng.int(5);
  }
  m.dailyOccupied = occ;
  m.dailyPlaces = cap;
}
