// Use case: "Mein Stadtteil" — find the areas for a place name the public types (issue 15, items
// 2 and 11): areas by name (Stadtbezirke, Stadtteile, school catchments …) and streets of the
// address register with the areas they touch. Public: the answer holds street names and area
// codes/names only — never a house number, a coordinate or a resident count.
//
// Limits (docs/api.md): the query is 3 to 100 characters (after trimming); each list holds at
// most 20 entries (`more` says when there were more); only layers whose current boundary version
// has 2 to 100 areas are searched and reported (the layers people know; blocks are too fine);
// streets come from the newest register version; all SQL is parameterised.
import type { Queryable } from '../store/db.ts';
import { InputRejected } from '../core/problems.ts';
import { normalizeStreet } from '../core/address/normalize.ts';
import { listLayers } from './layer-list.ts';
import { areasOfStreets, currentAreas, newestRegisterVersion, streetsLike } from '../store/places.ts';
import type { PlaceSearchAnswer, PlaceStreet } from '../contracts/answers/index.ts';

const PLACE_QUERY_MIN = 3;
export const PLACE_QUERY_MAX = 100;
export const PLACE_RESULTS_MAX = 20;
/** Layers with more areas than this are not searched (statistical blocks, election districts of big cities). */
const PLACE_LAYER_MAX_AREAS = 100;

export type { PlaceSearchAnswer } from '../contracts/answers/index.ts';

/** Accent- and case-insensitive comparison form of an area name ("Grünhof" → "grunhof"). */
function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** Escapes LIKE wildcards so the user's text is matched literally. */
function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function searchPlaces(db: Queryable, query: string): Promise<PlaceSearchAnswer> {
  const q = query.trim().replace(/\s+/g, ' ');
  if (q.length < PLACE_QUERY_MIN || q.length > PLACE_QUERY_MAX) {
    throw new InputRejected(
      [
        {
          severity: 'error',
          code: 'bad-request',
          value: q,
          reason: `the search text has ${q.length} characters`,
          hint: `write ${PLACE_QUERY_MIN} to ${PLACE_QUERY_MAX} characters of a place or street name`,
        },
      ],
      `Write ${PLACE_QUERY_MIN} to ${PLACE_QUERY_MAX} characters of a place or street name (q has ${q.length}).`,
    );
  }
  // The layers people know: current version with 2 to 100 areas.
  const layers = (await listLayers(db)).filter((l) => {
    const n = l.versions[l.versions.length - 1]?.areas ?? 0;
    return n > 1 && n <= PLACE_LAYER_MAX_AREAS;
  });
  const layerName = new Map(layers.map((l) => [l.key, l.name]));
  const order = new Map(layers.map((l, i) => [l.key, i]));
  const keys = layers.map((l) => l.key);
  // The areas of the current version of those layers (at most 100 each): name matching in code,
  // with the same folding as the web app's search.
  const current = await currentAreas(db, keys);
  const nq = fold(q);
  const matched = current
    .filter((a) => fold(a.name).includes(nq) || a.code === q)
    .map((a) => ({ ...a, starts: fold(a.name).startsWith(nq) }))
    .sort(
      (a, b) =>
        Number(b.starts) - Number(a.starts) ||
        a.name.localeCompare(b.name, 'de') ||
        order.get(a.layer)! - order.get(b.layer)!,
    );
  const areas = matched
    .slice(0, PLACE_RESULTS_MAX)
    .map((a) => ({ layer: a.layer, layerName: layerName.get(a.layer)!, code: a.code, name: a.name }));

  // Streets of the newest register version whose comparison key contains the query's.
  const version = await newestRegisterVersion(db);
  const key = normalizeStreet(q);
  let streets: PlaceStreet[] = [];
  let moreStreets = false;
  if (version && key.length >= PLACE_QUERY_MIN && keys.length) {
    const names = await streetsLike(
      db,
      version.id,
      `%${likeLiteral(key)}%`,
      `${likeLiteral(key)}%`,
      PLACE_RESULTS_MAX + 1,
    );
    moreStreets = names.length > PLACE_RESULTS_MAX;
    const shown = names.slice(0, PLACE_RESULTS_MAX);
    const touched = await areasOfStreets(
      db,
      version.id,
      shown.map((s) => s.key),
      keys,
    );
    // Codes of an older boundary version than the current one are left out (no name to show).
    const nameOf = new Map(current.map((a) => [`${a.layer}|${a.code}`, a.name]));
    streets = shown.map((s) => ({
      street: s.street,
      areas: touched
        .filter((t) => t.key === s.key && nameOf.has(`${t.layer}|${t.code}`))
        .map((t) => ({
          layer: t.layer,
          layerName: layerName.get(t.layer)!,
          code: t.code,
          name: nameOf.get(`${t.layer}|${t.code}`)!,
        }))
        .sort((a, b) => order.get(a.layer)! - order.get(b.layer)! || a.name.localeCompare(b.name, 'de')),
    }));
  }
  return {
    q,
    areas,
    streets,
    more: { areas: matched.length > PLACE_RESULTS_MAX, streets: moreStreets },
    register: version ? { validFrom: version.validFrom } : null,
  };
}
