// HTTP route of the "Mein Stadtteil" search (issue 15): GET /api/places?q=… — areas by name and
// streets of the address register with the areas they touch. Public and a thin adapter over
// src/services/place-search.ts, which holds the limits.
import type { FastifyInstance } from 'fastify';
import type { Database } from '../store/db.ts';
import { searchPlaces, PLACE_QUERY_MAX, PLACE_RESULTS_MAX } from '../services/place-search.ts';
import { ERROR_ANSWER } from './schemas.ts';
import type { Answering } from './contract.ts';

const ERROR = ERROR_ANSWER;
const AREA = {
  type: 'object',
  properties: {
    layer: { type: 'string' },
    layerName: { type: 'string' },
    code: { type: 'string' },
    name: { type: 'string' },
  },
} as const;

export function registerPlaceRoutes(app: FastifyInstance, db: Database): void {
  app.get<{ Querystring: { q: string } } & Answering<'GET /api/places'>>(
    '/api/places',
    {
      schema: {
        tags: ['spatial structure'],
        summary: 'Find areas by name and streets of the address register with the areas they touch ("Mein Stadtteil")',
        description: `q: 3 to ${PLACE_QUERY_MAX} characters of a place or street name (no house number). At most ${PLACE_RESULTS_MAX} areas and ${PLACE_RESULTS_MAX} streets (more.* says when there were more). Only layers with 2 to 100 areas are searched. Streets come from the newest version of the address register (register: null when there is none); the answer holds street names and area codes only.`,
        querystring: {
          type: 'object',
          required: ['q'],
          properties: { q: { type: 'string', maxLength: 200 } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              q: { type: 'string' },
              areas: { type: 'array', items: AREA },
              streets: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { street: { type: 'string' }, areas: { type: 'array', items: AREA } },
                },
              },
              more: { type: 'object', properties: { areas: { type: 'boolean' }, streets: { type: 'boolean' } } },
              register: { type: 'object', nullable: true, properties: { validFrom: { type: 'string' } } },
            },
          },
          400: ERROR,
        },
      },
    },
    async (req) => searchPlaces(db, req.query.q),
  );
}
