// Facilities (GET /api/facilities/sets, GET /api/facilities).
import type { ConfidentialityLevel } from '../vocabulary.ts';

interface FacilityCategory {
  key: string;
  name: string;
  facilities: number;
  /** Σ capacity of the category; null when no facility of it has a capacity. */
  capacity: number | null;
}

export interface FacilitySetInfo {
  key: string;
  name: string;
  /** Owning department. */
  owner: string | null;
  /** Confidentiality (that of its supply indicators). */
  confidentiality: ConfidentialityLevel;
  /** Reference date of the list (period key) and its last day. */
  period: string | null;
  referenceDate: string | null;
  facilities: number;
  /** Σ capacity; null when the set has no capacity column. */
  capacity: number | null;
  /** Facilities without a capacity (with a capacity column). */
  withoutCapacity: number;
  /** Categories (empty without a category column). */
  categories: FacilityCategory[];
  /** The supply indicators: number of facilities, Σ places (null without capacity), category breakdown dimension. */
  indicators: { count: string | null; places: string | null; dimension: string | null };
  /** Layers for which the facilities carry an area code. */
  layers: string[];
  file: string | null;
  updatedAt: string;
}

export interface FacilityFeature {
  type: 'Feature';
  id: number;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: {
    id: number;
    set: string;
    name: string | null;
    category: string | null;
    categoryKey: string | null;
    capacity: number | null;
    /** Area code per layer key (boundary version valid on the set's reference date). */
    codes: Record<string, string>;
    /** Every column of the imported file (raw values). */
    attributes: Record<string, string | number | null>;
  };
}

export interface FacilityCollection {
  type: 'FeatureCollection';
  /** The sets the features come from. */
  sets: { key: string; name: string; period: string | null; confidentiality: ConfidentialityLevel }[];
  filter: {
    set: string | null;
    category: string | null;
    layer: string | null;
    area: string | null;
    bbox: [number, number, number, number] | null;
  };
  count: number;
  features: FacilityFeature[];
}
