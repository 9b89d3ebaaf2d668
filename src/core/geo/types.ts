// GeoJSON geometry types used throughout (RFC 7946). Coordinates are [x, y] = [lon, lat] in WGS84
// once stored; readers may hold projected coordinates before transformation.

export type Position = [number, number] | number[];
export type Ring = Position[];
interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Ring[];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Ring[][];
}
export type AreaGeometry = PolygonGeometry | MultiPolygonGeometry;

/** [minX, minY, maxX, maxY] */
export type BBox = [number, number, number, number];
