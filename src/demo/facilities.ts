// Day-care centres (Kindertageseinrichtungen) for the demo city: a small, plausible facility set so
// that the "Einrichtungen" view and the supply indicators have something to show. Pure and seeded:
// the same blocks and seed always give the same Kitas.
//
// How: every block "needs" places for its children under 6 at a supply rate that varies smoothly
// by district (about 45 to 80 places per 100 children, so that some areas are well supplied and
// others not). Walking the blocks in code order, a Kita is opened in a block whenever the places
// needed since the last one reach its capacity; each Kita gets a provider (municipal, non-profit,
// church, parents' initiative) and a capacity typical of it. Points lie inside their block.
import type { AreaGeometry } from '../core/geo/types.ts';
import { representativePoint } from '../core/geo/representative-point.ts';
import { naiveAssign } from '../core/geo/point-index.ts';
import { Rng, unitHash } from './random.ts';

export interface DemoBlock {
  code: string;
  name: string;
  geometry: AreaGeometry;
  /** Children under 6 living in the block. */
  children: number;
}

export interface DemoFacility {
  name: string;
  /** Provider type (Trägerart), the category of the set. */
  provider: string;
  /** Places (Plätze). */
  places: number;
  lon: number;
  lat: number;
  /** The block it lies in (for tests). */
  block: string;
}

/** The set's key, name and the providers with their share, capacity range and name prefix. */
export const DEMO_FACILITY_SET = { key: 'kita_einrichtungen', name: 'Kindertageseinrichtungen' } as const;
const PROVIDERS: { name: string; share: number; min: number; max: number; prefix: string[] }[] = [
  { name: 'städtisch', share: 0.4, min: 60, max: 140, prefix: ['Städtische Kita'] },
  { name: 'freier Träger', share: 0.33, min: 40, max: 110, prefix: ['Kita', 'AWO-Kita', 'DRK-Kita'] },
  { name: 'kirchlicher Träger', share: 0.19, min: 40, max: 90, prefix: ['Ev. Kita', 'Kath. Kita'] },
  { name: 'Elterninitiative', share: 0.08, min: 15, max: 30, prefix: ['Kinderladen'] },
];

function pickProvider(u: number): (typeof PROVIDERS)[number] {
  let acc = 0;
  for (const p of PROVIDERS) if (u < (acc += p.share)) return p;
  return PROVIDERS[PROVIDERS.length - 1];
}

/** A point inside the geometry near its representative point (offset for the k-th Kita of a block). */
function pointIn(g: AreaGeometry, k: number, rng: Rng): [number, number] | null {
  const p = representativePoint(g);
  if (!p || k === 0) return p;
  for (let attempt = 0; attempt < 12; attempt++) {
    const angle = rng.range(0, 2 * Math.PI);
    const r = 0.0008 * (1 + attempt / 4);
    const q: [number, number] = [p[0] + Math.cos(angle) * r * 1.6, p[1] + Math.sin(angle) * r];
    if (naiveAssign([g], q[0], q[1]) === 0) return q;
  }
  return p;
}

/**
 * The Kitas of the demo city. `districtOf` maps a block code to its district (for the smooth
 * variation of supply); by default the first two digits of the code.
 */
export function demoDaycareCentres(
  blocks: readonly DemoBlock[],
  seed = 1,
  districtOf: (code: string) => string = (c) => c.slice(0, 2),
): DemoFacility[] {
  const rng = new Rng(seed * 7919 + 17);
  const sorted = [...blocks].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const out: DemoFacility[] = [];
  const names = new Set<string>();
  let need = 0;
  let next = PROVIDERS[0];
  let capacity = 0;
  const draw = () => {
    next = pickProvider(rng.next());
    capacity = Math.round(rng.range(next.min, next.max) / 5) * 5;
  };
  draw();
  for (const b of sorted) {
    const district = districtOf(b.code);
    const rate = 0.45 + 0.35 * unitHash(seed, ...[...district].map((c) => c.charCodeAt(0)));
    need += b.children * rate;
    let k = 0;
    while (need >= capacity) {
      const p = pointIn(b.geometry, k, rng);
      if (!p) break;
      const prefix = next.prefix[rng.int(next.prefix.length)];
      let name = `${prefix} ${b.name}`;
      for (let n = 2; names.has(name); n++) name = `${prefix} ${b.name} ${n}`;
      names.add(name);
      out.push({
        name,
        provider: next.name,
        places: capacity,
        lon: Math.round(p[0] * 1e7) / 1e7,
        lat: Math.round(p[1] * 1e7) / 1e7,
        block: b.code,
      });
      need -= capacity;
      k++;
      draw();
    }
  }
  return out;
}

/** The set as a CSV file for `import facilities` (";" separated, decimal comma as German files have it). */
export function demoFacilitiesCsv(list: readonly DemoFacility[]): string {
  const rows = [
    'Name;Traeger;Plaetze;Lon;Lat',
    ...list.map((f) =>
      [f.name, f.provider, String(f.places), String(f.lon).replace('.', ','), String(f.lat).replace('.', ',')].join(
        ';',
      ),
    ),
  ];
  return rows.join('\n') + '\n';
}
