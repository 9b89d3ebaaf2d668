// Synthetic test city for the benchmarks: a layer hierarchy (city → 12 districts → N areas),
// the catalogue (einwohner by altersgruppe × geschlecht, and the derived ratio anteil_unter6), and
// a generator of long observation CSVs in German conventions that streams to a file, so that
// millions of rows never sit in memory.
import { createWriteStream, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Database } from '../src/store/db.ts';
import { importAreas } from '../src/services/areas.ts';
import { importCatalogue } from '../src/services/indicators.ts';

export const AGE_GROUPS = ['unter6', '6_10', '10_15', '15_18', '18_25', '25_30', '30_45', '45_65', '65_80', '80plus'];
export const SEXES = ['m', 'w'];
/** Member combinations per area and period (10 × 2). */
export const COMBINATIONS = AGE_GROUPS.length * SEXES.length;
export const DISTRICTS = 12;

export const CATALOGUE = {
  dimensions: [
    { key: 'altersgruppe', name: 'Altersgruppe', members: AGE_GROUPS },
    { key: 'geschlecht', name: 'Geschlecht', members: SEXES },
  ],
  indicators: [
    {
      key: 'einwohner',
      name: 'Einwohnerinnen und Einwohner',
      unit: 'Personen',
      type: 'count',
      dimensions: ['altersgruppe', 'geschlecht'],
      source: 'Melderegister',
      confidentiality: 'public',
      themes: ['Bevölkerung'],
    },
    {
      key: 'anteil_unter6',
      name: 'Anteil der Kinder unter 6 Jahren',
      unit: '%',
      type: 'ratio',
      numerator: { indicator: 'einwohner', filter: { altersgruppe: 'unter6' } },
      denominator: { indicator: 'einwohner' },
      scale: 100,
      minBase: 300,
      confidentiality: 'public',
      themes: ['Bevölkerung'],
    },
  ],
};

export function districtCode(d: number): string {
  return String(d + 1).padStart(2, '0');
}

/** 8-character zero-padded area codes spread over the districts: "01000001", "02000002", … */
export function areaCodes(n: number): string[] {
  const codes: string[] = [];
  for (let i = 0; i < n; i++) codes.push(districtCode(i % DISTRICTS) + String(i + 1).padStart(6, '0'));
  return codes;
}

/** Monthly reference dates (last day of the month) as German Stichtage: 31.01.2020, 29.02.2020, … */
export function stichtage(n: number, startYear = 2020): string[] {
  const out: string[] = [];
  for (let k = 0; k < n; k++) {
    const y = startYear + Math.floor(k / 12);
    const m = (k % 12) + 1;
    const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
    out.push(`${String(d).padStart(2, '0')}.${String(m).padStart(2, '0')}.${y}`);
  }
  return out;
}

const BOM = '\uFEFF';

/**
 * Imports the hierarchy stadt (1) → stadtbezirk (12) → `layer` (n areas with 8-char codes)
 * with importAreas from semicolon CSVs, and the catalogue. Returns the area codes of the finest layer.
 */
export async function buildCity(db: Database, dir: string, o: { layer: string; areas: number }): Promise<string[]> {
  const csv = (name: string, lines: string[]) => {
    const p = join(dir, name);
    writeFileSync(p, BOM + lines.join('\r\n') + '\r\n');
    return p;
  };
  await importAreas(db, csv('stadt.csv', ['code;name', '0;Benchstadt']), { layer: 'stadt', layerName: 'Gesamtstadt' });
  const districts = Array.from({ length: DISTRICTS }, (_, d) => `${districtCode(d)};Bezirk ${d + 1};0`);
  await importAreas(db, csv('bezirke.csv', ['code;name;parent', ...districts]), {
    layer: 'stadtbezirk',
    layerName: 'Stadtbezirke',
    parentLayer: 'stadt',
  });
  const codes = areaCodes(o.areas);
  const rows = codes.map((c, i) => `${c};Gebiet ${i + 1};${c.slice(0, 2)}`);
  await importAreas(db, csv(`${o.layer}.csv`, ['code;name;parent', ...rows]), {
    layer: o.layer,
    layerName: o.layer,
    parentLayer: 'stadtbezirk',
  });
  await importCatalogue(db, CATALOGUE, { displayName: 'bench-katalog' });
  return codes;
}

/** Deterministic value for (area, period, combination): a count, 1 in 5 written with a decimal comma. */
export function valueOf(a: number, p: number, c: number): { text: string; number: number } {
  // Cheap integer hash, stable across runs.
  let h = (a * 73856093) ^ (p * 19349663) ^ (c * 83492791);
  h = Math.imul(h ^ (h >>> 13), 0x5bd1e995);
  h ^= h >>> 15;
  // Area 0 of every 50 stays small (below the minimum base of the ratio), the rest 5…124 per cell.
  const base = a % 50 === 0 ? 1 + ((h >>> 0) % 10) : 5 + ((h >>> 0) % 120);
  if ((a + p + c) % 5 === 0) return { text: `${base},5`, number: base + 0.5 };
  return { text: String(base), number: base };
}

export interface ObservationsFile {
  path: string;
  rows: number;
  bytes: number;
  areas: number;
  periods: number;
}

/**
 * Writes a long observations CSV: `indicator;area;period;altersgruppe;geschlecht;value`, UTF-8 with BOM,
 * CRLF, ";" and decimal comma, ordered period → area → altersgruppe → geschlecht.
 * rows = areas × 20 × periods. Streams in chunks and respects back-pressure.
 */
export async function writeObservationsCsv(
  path: string,
  o: { areas: number; periods: number },
): Promise<ObservationsFile> {
  const codes = areaCodes(o.areas);
  const dates = stichtage(o.periods);
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let bytes = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(BOM + 'indicator;area;period;altersgruppe;geschlecht;value\r\n');
  for (let p = 0; p < dates.length; p++) {
    let chunk = '';
    for (let a = 0; a < codes.length; a++) {
      let c = 0;
      for (const age of AGE_GROUPS) {
        for (const sex of SEXES) {
          chunk += `einwohner;${codes[a]};${dates[p]};${age};${sex};${valueOf(a, p, c++).text}\r\n`;
        }
      }
      if (chunk.length > 256 * 1024) {
        await write(chunk);
        chunk = '';
      }
    }
    if (chunk) await write(chunk);
  }
  out.end();
  await once(out, 'finish');
  return { path, rows: codes.length * COMBINATIONS * dates.length, bytes, areas: o.areas, periods: o.periods };
}

/**
 * The same observations as already-clean COPY text (tab-separated, integer ids) for the peer
 * measurement: the columns of the observation table without changed_at (its default fills it).
 * Ids are synthetic (1…); the peer table has no keys, so they need not exist.
 */
export const PEER_COLUMNS = [
  'indicator_id',
  'period_id',
  'area_id',
  'members_id',
  'value',
  'status',
  'reason',
  'base',
  'import_batch_id',
];

export function peerCopyText(o: { areas: number; periods: number }): string {
  // Member combinations by id, as observation stores them (migration 007).
  const members = AGE_GROUPS.flatMap((age, i) => SEXES.map((_, j) => i * SEXES.length + j + 1));
  const parts: string[] = [];
  for (let p = 0; p < o.periods; p++) {
    let chunk = '';
    for (let a = 0; a < o.areas; a++) {
      for (let c = 0; c < members.length; c++) {
        chunk += `1\t${p + 1}\t${a + 1}\t${members[c]}\t${valueOf(a, p, c).number}\tfinal\t\\N\t\\N\t1\n`;
      }
    }
    parts.push(chunk);
  }
  return parts.join('');
}

export const PEER_TABLE_SQL = `CREATE TABLE peer_obs (
  indicator_id integer, period_id integer, area_id integer, members_id integer, value double precision,
  status text, reason text, base double precision, import_batch_id integer, changed_at timestamptz DEFAULT now())`;
