// Answers about area layers (GET /api/layers, /api/layers/{key}/areas).

export interface LayerInfo {
  key: string;
  name: string;
  kind: string;
  parentLayer: string | null;
  versions: { validFrom: string | null; validTo: string | null; areas: number; sourceCrs: string | null }[];
}

export interface LayerVersionRef {
  validFrom: string | null;
  validTo: string | null;
}

/** The areas of a layer version as GeoJSON; `G` is the geometry type the reader works with. */
export interface AreaFeatureCollection<G = unknown> {
  type: 'FeatureCollection';
  layer: { key: string; name: string; kind: string; version: LayerVersionRef };
  features: {
    type: 'Feature';
    id: string;
    bbox?: [number, number, number, number];
    properties: { code: string; name: string; parent: string | null };
    geometry: G | null;
  }[];
}

export interface AreaRef {
  layer: string;
  code: string;
  name: string;
}
