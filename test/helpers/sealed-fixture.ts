// A small city for the sealed pipeline's tests: a city (one area) → 2 Bezirke → 3 planning areas,
// an overlay of 2 school catchments, and an address register with coordinates (codes by
// point-in-polygon). The records and the definition are the example (issue 14), with one
// record for each reason a record cannot be assigned.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../../src/store/db.ts';
import { importAreas } from '../../src/services/areas.ts';
import { importAddresses } from '../../src/services/address-register.ts';
import { featureCollection, type tempDir } from './files.ts';

const rect = (x0: number, x1: number) => ({
  type: 'Polygon',
  coordinates: [
    [
      [x0, 50],
      [x1, 50],
      [x1, 50.1],
      [x0, 50.1],
      [x0, 50],
    ],
  ],
});

export async function sealedCity(db: Database, tmp: ReturnType<typeof tempDir>): Promise<void> {
  await importAreas(
    db,
    tmp.file('stadt.geojson', featureCollection([{ code: '0', name: 'Musterstadt', geometry: rect(8, 8.2) }])),
    { layer: 'stadt' },
  );
  await importAreas(
    db,
    tmp.file(
      'bezirk.geojson',
      featureCollection([
        { code: '01', name: 'West', parent: '0', geometry: rect(8, 8.1) },
        { code: '02', name: 'Ost', parent: '0', geometry: rect(8.1, 8.2) },
      ]),
    ),
    { layer: 'bezirk', parentLayer: 'stadt', parentProp: 'parent' },
  );
  await importAreas(
    db,
    tmp.file(
      'plr.geojson',
      featureCollection([
        { code: '0101', name: 'Westwest', parent: '01', geometry: rect(8, 8.05) },
        { code: '0102', name: 'Westost', parent: '01', geometry: rect(8.05, 8.1) },
        { code: '0201', name: 'Ost', parent: '02', geometry: rect(8.1, 8.2) },
      ]),
    ),
    { layer: 'planungsraum', parentLayer: 'bezirk', parentProp: 'parent' },
  );
  await importAreas(
    db,
    tmp.file(
      'schule.geojson',
      featureCollection([
        { code: 'E1', name: 'Grundschule West', geometry: rect(8, 8.075) },
        { code: 'E2', name: 'Grundschule Ost', geometry: rect(8.075, 8.2) },
      ]),
    ),
    { layer: 'einzugsgebiet', overlay: true },
  );
  await importAddresses(
    db,
    tmp.file(
      'register.csv',
      [
        'Straße;Hausnummer;PLZ;x;y',
        'Ackerstr.;12a;10115;8,02;50,05',
        'Ackerstr.;14;10115;8,06;50,05',
        'Lindenweg;1;10115;8,08;50,05',
        'Lindenweg;3;10117;8,15;50,05',
        'Hauptstraße;5;10115;8,12;50,05',
        'Hauptstraße;5;10117;8,03;50,05',
        'Feldweg;1;10115;9,5;50,05',
      ].join('\n') + '\n',
    ),
    { x: 'x', y: 'y', validFrom: '2024-01-01' },
  );
}

export const DEFINITION = {
  key: 'ferienprogramm_2024',
  indicator: {
    key: 'ferienprogramm_teilnehmende',
    name: 'Teilnehmende am Ferienprogramm',
    unit: 'Kinder',
    type: 'count',
    owner: 'jugendamt',
    confidentiality: 'public',
    dimensions: ['altersgruppe', 'geschlecht'],
    themes: ['Jugend', 'Bildung'],
  },
  period: '2024',
  referenceDate: '2024-07-31',
  address: { column: 'Anschrift' },
  breakdowns: {
    altersgruppe: {
      from: 'Geburtsdatum',
      bands: [
        [0, 6, 'unter6'],
        [6, 10, '6-10'],
        [10, 15, '10-15'],
        [15, 99, '15+'],
      ],
    },
    geschlecht: { from: 'Geschlecht', map: { w: 'weiblich', m: 'maennlich', d: 'divers' } },
  },
  disclosure: { minFrequency: 3 },
};

/** Unique strings that must never reach a byte on disk, a log or an answer to others. */
export function canaries() {
  const tag = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  return {
    name: `Kanarienname${tag}`,
    firstName: `Kanarienvorname${tag}`,
    note: `Kanarienbemerkung${tag}`,
    street: `Kanarienstr${tag}`,
    houseNumber: `${4_000_000 + Math.floor(Math.random() * 999_999)}`,
    birthDate: '17.11.2013',
    number: `K-${tag}`,
  };
}

/**
 * The records file (with a free-text column): 13 records, 5 assignable (3 planning
 * areas) and 8 that are not: unmatched (2: an unknown street, an unknown house number),
 * ambiguous, birth date invalid, category unmapped, outside, age outside the bands, address
 * missing. The canaries are in the name, number and note columns, one unknown street and
 * one unknown house number.
 */
export function recordsCsv(c = canaries()): string {
  return (
    [
      'Anmeldenummer;Name;Vorname;Geburtsdatum;Geschlecht;Anschrift;Woche;Bemerkung',
      `A-0001;Muster;Lena;14.03.2015;w;Ackerstr. 12a, 10115 Berlin;2;`,
      `A-0002;${c.name};${c.firstName};2019-01-02;m;Ackerstr. 14, 10115 Berlin;1;${c.note}`,
      `A-0003;Beispiel;Tom;31.07.2014;d;Lindenweg 1, 10115 Berlin;3;`,
      `${c.number};Probe;Mia;01.08.2014;w;Lindenweg 3, 10117 Berlin;1;`,
      `A-0005;Test;Ali;12.12.2012;w;${c.street} 9, 10115 Berlin;2;`,
      `A-0006;Test;Eva;12.12.2012;w;Hauptstraße 5;2;`,
      `A-0007;Test;Ole;32.01.2015;w;Ackerstr. 12a, 10115 Berlin;2;`,
      `A-0008;Test;Kim;01.01.2015;x;Ackerstr. 12a, 10115 Berlin;2;`,
      `A-0009;Test;Pia;01.01.2015;w;Feldweg 1, 10115 Berlin;2;`,
      `A-0010;Test;Uwe;01.01.1900;w;Ackerstr. 12a, 10115 Berlin;2;`,
      `A-0011;Test;Leo;01.01.2015;w;;2;`,
      `A-0012;Test;Ida;${c.birthDate};w;Ackerstr. ${c.houseNumber}, 10115 Berlin;2;`,
      `A-0013;Test;Ina;14.03.2015;W;Ackerstr. 12a, 10115 Berlin;2;`,
    ].join('\n') + '\n'
  );
}

/** Every file below dir whose bytes contain one of the needles (the needle found, per file). */
export function filesContaining(dir: string, needles: string[], found: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return found;
  }
  const bufs = needles.map((n) => Buffer.from(n));
  for (const name of names) {
    const p = join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) filesContaining(p, needles, found);
    else if (st.isFile() && st.size < 1024 * 1024 * 1024) {
      const bytes = readFileSync(p);
      bufs.forEach((b, i) => {
        if (bytes.includes(b)) found.push(`${p}: ${needles[i]}`);
      });
    }
  }
  return found;
}
