// The place search (GET /api/places).

/** An area found by the place search (GET /api/places, src/services/place-search.ts). */
interface PlaceArea {
  layer: string;
  layerName: string;
  code: string;
  name: string;
}

/** A street of the address register with the areas its addresses lie in. */
export interface PlaceStreet {
  street: string;
  areas: PlaceArea[];
}

export interface PlaceSearchAnswer {
  q: string;
  areas: PlaceArea[];
  streets: PlaceStreet[];
  /** Whether either list was cut at 20 entries. */
  more: { areas: boolean; streets: boolean };
  /** The register version the streets come from; null when there is no address register (search by area name only). */
  register: { validFrom: string } | null;
}
