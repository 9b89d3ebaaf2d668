// HTTP routes that read facility data sets (issue #6): the sets with their categories and counts,
// and the facilities as GeoJSON points. Thin adapters over src/services/facilities-read.ts, which
// decides what the caller may read (a set is as confidential as its supply indicators).
import type { FastifyInstance } from 'fastify';
import type { Database } from '../store/db.ts';
import { facilitiesGeoJson, listFacilitySets } from '../services/facilities-read.ts';
import { ERROR_ANSWER } from './schemas.ts';
import type { Answering } from './contract.ts';

const ERROR = ERROR_ANSWER;
const KEY = { type: 'string', maxLength: 100 } as const;

const FEATURE = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: ['Feature'] },
    id: { type: 'integer' },
    geometry: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['Point'] },
        coordinates: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
      },
    },
    properties: {
      type: 'object',
      properties: {
        id: { type: 'integer' },
        set: { type: 'string' },
        name: { type: 'string', nullable: true },
        category: { type: 'string', nullable: true, description: 'The category as in the file' },
        categoryKey: {
          type: 'string',
          nullable: true,
          description: 'Its key (the member of the dimension <set>_kategorie)',
        },
        capacity: { type: 'number', nullable: true },
        codes: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: 'Area code per layer key (boundary version valid on the set’s reference date)',
        },
        attributes: {
          type: 'object',
          additionalProperties: true,
          description: 'Every column or property of the imported file',
        },
      },
    },
  },
} as const;

export function registerFacilityRoutes(app: FastifyInstance, db: Database): void {
  app.get<Answering<'GET /api/facilities/sets'>>(
    '/api/facilities/sets',
    {
      schema: {
        tags: ['spatial structure'],
        summary:
          'Facility data sets the caller may read, with categories, counts, capacities and their supply indicators',
        description:
          'A set is as confidential as its supply indicators `<set>_anzahl` / `<set>_plaetze` (public: everyone; internal: signed-in users; restricted: the named departments). Sets the caller may not read are left out.',
        response: {
          200: {
            type: 'object',
            properties: {
              sets: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    key: { type: 'string' },
                    name: { type: 'string' },
                    owner: { type: 'string', nullable: true },
                    confidentiality: { type: 'string', enum: ['public', 'internal', 'restricted'] },
                    period: { type: 'string', nullable: true },
                    referenceDate: { type: 'string', nullable: true },
                    facilities: { type: 'integer' },
                    capacity: { type: 'number', nullable: true },
                    withoutCapacity: { type: 'integer' },
                    categories: {
                      type: 'array',
                      items: {
                        type: 'object',
                        properties: {
                          key: { type: 'string' },
                          name: { type: 'string' },
                          facilities: { type: 'integer' },
                          capacity: { type: 'number', nullable: true },
                        },
                      },
                    },
                    indicators: {
                      type: 'object',
                      properties: {
                        count: { type: 'string', nullable: true },
                        places: { type: 'string', nullable: true },
                        dimension: { type: 'string', nullable: true },
                      },
                    },
                    layers: { type: 'array', items: { type: 'string' } },
                    file: { type: 'string', nullable: true },
                    updatedAt: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (req) => listFacilitySets(db, req.principal),
  );

  app.get<
    {
      Querystring: { set?: string; category?: string; layer?: string; area?: string; bbox?: string };
    } & Answering<'GET /api/facilities'>
  >(
    '/api/facilities',
    {
      schema: {
        tags: ['spatial structure'],
        summary:
          'Facilities as a GeoJSON FeatureCollection of WGS84 points, filtered by set, category, the area of a layer, or a bounding box',
        description:
          'Without `set`: the facilities of every set the caller may read. `layer` and `area` go together: the facilities whose stored code for that layer is the area (assigned by point-in-polygon on the set’s reference date). `bbox=west,south,east,north` in WGS84 degrees. Access as for the set’s supply indicators: 401 for an internal set without sign-in, 404 for a restricted set outside its departments.',
        querystring: {
          type: 'object',
          properties: {
            set: { ...KEY, description: 'Key of the facility set, e.g. kitas' },
            category: { ...KEY, description: 'Key of a category of the set, e.g. kita_staedtisch' },
            layer: { ...KEY, description: 'Layer key (with area)' },
            area: { type: 'string', maxLength: 100, description: 'Area code in that layer (with layer)' },
            bbox: { type: 'string', maxLength: 200, description: 'west,south,east,north (WGS84 degrees)' },
          },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              type: { type: 'string', enum: ['FeatureCollection'] },
              sets: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    key: { type: 'string' },
                    name: { type: 'string' },
                    period: { type: 'string', nullable: true },
                    confidentiality: { type: 'string' },
                  },
                },
              },
              filter: { type: 'object', additionalProperties: true },
              count: { type: 'integer' },
              features: { type: 'array', items: FEATURE },
            },
          },
          400: ERROR,
          401: ERROR,
          404: ERROR,
        },
      },
    },
    async (req) => facilitiesGeoJson(db, req.principal, req.query),
  );
}
