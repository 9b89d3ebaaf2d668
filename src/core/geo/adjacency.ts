// Neighbouring areas: two areas are neighbours when their boundaries share a vertex (after
// rounding to about 10 cm). Boundaries digitised from one topology — as municipal spatial
// structures are — share their vertices exactly; one pass over all vertices suffices.
import type { AreaGeometry } from './types.ts';

const PRECISION = 1e6;

export function neighbours(areas: { code: string; geometry: AreaGeometry | null }[]): Map<string, Set<string>> {
  const byVertex = new Map<string, string[]>();
  for (const a of areas) {
    if (!a.geometry) continue;
    const polys = a.geometry.type === 'Polygon' ? [a.geometry.coordinates] : a.geometry.coordinates;
    const seen = new Set<string>();
    for (const poly of polys) {
      for (const ring of poly) {
        for (const p of ring) {
          const k = `${Math.round(p[0] * PRECISION)},${Math.round(p[1] * PRECISION)}`;
          if (seen.has(k)) continue;
          seen.add(k);
          const list = byVertex.get(k);
          if (list) list.push(a.code);
          else byVertex.set(k, [a.code]);
        }
      }
    }
  }
  const out = new Map<string, Set<string>>(areas.map((a) => [a.code, new Set<string>()]));
  for (const codes of byVertex.values()) {
    if (codes.length < 2) continue;
    for (const a of codes) for (const b of codes) if (a !== b) out.get(a)!.add(b);
  }
  return out;
}
