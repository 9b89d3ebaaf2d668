// An address register (Adressregister) for the demo city: streets with house numbers and
// coordinates, so that "Mein Stadtteil" finds streets and the sealed office can match addresses
// on the demo. Pure and seeded: the same blocks and seed always give the same addresses.
//
// How: each Stadtteil gets three to five streets; a street runs through a run of the
// Stadtteil's blocks (in code order), and about one in five continues into the first block of the
// next Stadtteil, so that some streets touch two Stadtteile as real ones do. Houses are numbered
// along the street, a few with a letter suffix ("12a"), and lie inside their block. Street names
// are unique in the city; postcodes follow the Stadtbezirke.
import type { AreaGeometry } from '../core/geo/types.ts';
import { naiveAssign } from '../core/geo/point-index.ts';
import { bboxOf } from '../core/geo/geometry.ts';
import { Rng } from './random.ts';

export interface DemoAddressBlock {
  code: string;
  /** The Stadtteil it belongs to (newest boundaries). */
  stadtteil: string;
  /** The Stadtbezirk of that Stadtteil. */
  stadtbezirk: string;
  geometry: AreaGeometry;
}

export interface DemoAddress {
  street: string;
  number: string;
  postcode: string;
  lon: number;
  lat: number;
  /** The block it lies in (for tests). */
  block: string;
}

const STEMS = [
  'Linden',
  'Eichen',
  'Birken',
  'Ahorn',
  'Kastanien',
  'Buchen',
  'Erlen',
  'Ulmen',
  'Weiden',
  'Tannen',
  'Rosen',
  'Tulpen',
  'Nelken',
  'Flieder',
  'Goethe',
  'Schiller',
  'Lessing',
  'Heine',
  'Mozart',
  'Beethoven',
  'Bach',
  'Händel',
  'Schubert',
  'Brahms',
  'Kant',
  'Humboldt',
  'Gauß',
  'Leibniz',
  'Röntgen',
  'Bahnhof',
  'Kirch',
  'Schul',
  'Markt',
  'Mühlen',
  'Garten',
  'Wiesen',
  'Feld',
  'Wald',
  'Berg',
  'Brunnen',
  'Post',
  'Rathaus',
  'Hafen',
  'Sonnen',
  'Lerchen',
  'Amsel',
  'Falken',
  'Schwalben',
];
const KINDS = ['straße', 'weg', 'allee', 'ring', 'gasse', 'pfad'];

/** The demo's street names in a seeded order, all distinct. */
function streetNames(rng: Rng): string[] {
  const names = STEMS.flatMap((s) => KINDS.map((k) => `${s}${k}`));
  for (let i = names.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [names[i], names[j]] = [names[j], names[i]];
  }
  return names;
}

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/** A point inside the geometry (as written, to 7 decimals), drawn in its bounding box; null when none is found. */
function pointIn(g: AreaGeometry, rng: Rng): [number, number] | null {
  const [minX, minY, maxX, maxY] = bboxOf(g);
  for (let attempt = 0; attempt < 50; attempt++) {
    const p: [number, number] = [round7(rng.range(minX, maxX)), round7(rng.range(minY, maxY))];
    if (naiveAssign([g], p[0], p[1]) === 0) return p;
  }
  return null;
}

export function demoAddresses(blocks: readonly DemoAddressBlock[], seed = 1): DemoAddress[] {
  const rng = new Rng(seed * 104729 + 3);
  const names = streetNames(rng);
  const byStadtteil = new Map<string, DemoAddressBlock[]>();
  for (const b of [...blocks].sort((a, c) => (a.code < c.code ? -1 : a.code > c.code ? 1 : 0))) {
    if (!byStadtteil.has(b.stadtteil)) byStadtteil.set(b.stadtteil, []);
    byStadtteil.get(b.stadtteil)!.push(b);
  }
  const stadtteile = [...byStadtteil.keys()].sort();
  const postcodes = new Map(
    [...new Set(blocks.map((b) => b.stadtbezirk))].sort().map((d, i) => [d, String(40110 + 10 * i)]),
  );
  const out: DemoAddress[] = [];
  let nextName = 0;
  stadtteile.forEach((st, si) => {
    const own = byStadtteil.get(st)!;
    const streets = Math.min(own.length + 2, 3 + rng.int(3));
    for (let s = 0; s < streets && nextName < names.length; s++) {
      const street = names[nextName++];
      // A run of the Stadtteil's blocks, and now and then the first block of the next Stadtteil.
      const start = rng.int(own.length);
      const run = own.slice(start, start + 1 + rng.int(Math.min(4, own.length)));
      const next = byStadtteil.get(stadtteile[(si + 1) % stadtteile.length])!;
      if (stadtteile.length > 1 && rng.next() < 0.2) run.push(next[0]);
      let number = 1;
      for (const b of run) {
        const houses = 6 + rng.int(15);
        for (let h = 0; h < houses; h++) {
          const p = pointIn(b.geometry, rng);
          if (!p) continue;
          const suffix = rng.next() < 0.06 ? 'a' : '';
          out.push({
            street,
            number: `${number}${suffix}`,
            postcode: postcodes.get(b.stadtbezirk)!,
            lon: p[0],
            lat: p[1],
            block: b.code,
          });
          number += 1 + (rng.next() < 0.15 ? 1 : 0);
        }
      }
    }
  });
  return out;
}

/** The register as a CSV file for `import addresses` (";" separated, decimal comma, as German files have it). */
export function demoAddressesCsv(list: readonly DemoAddress[]): string {
  const rows = [
    'Straße;Hausnummer;PLZ;Lon;Lat',
    ...list.map((a) =>
      [a.street, a.number, a.postcode, String(a.lon).replace('.', ','), String(a.lat).replace('.', ',')].join(';'),
    ),
  ];
  return rows.join('\n') + '\n';
}
