// Imports over HTTP, for automation with an API token (e.g. a nightly import job) and for the
// CLI when a server holds the data directory. The request body is the file itself; it streams
// to a temporary file and goes through the same services as the CLI.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../store/db.ts';
import { importObservations } from '../services/observations-import.ts';
import { importCatalogueFile } from '../services/indicators.ts';
import { importAreas } from '../services/areas.ts';
import { GiB, MiB, asArray, uploadScope, withUploadedFile } from './uploads.ts';
import { LAYER_OPTION } from './schemas.ts';

const FILE = {
  type: 'string',
  minLength: 3,
  maxLength: 200,
  pattern: '^[^/\\\\]+\\.[A-Za-z0-9]+$',
  description: 'Original file name; its extension tells the format (.csv, .xlsx, .json, .yaml, .geojson, .zip)',
} as const;
const DATA_UPLOAD = { gate: 'writer', maxBytes: 2 * GiB } as const;
// A catalogue is metadata: a few hundred indicators fit in well under a megabyte.
const CATALOGUE_UPLOAD = { gate: 'writer', maxBytes: 64 * MiB } as const;

/** The file name a catalogue body without `file=` is read as, from its Content-Type. */
function catalogueName(req: FastifyRequest): string {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('yaml')) return 'catalogue.yaml';
  if (type.includes('csv')) return 'catalogue.csv';
  return 'catalogue.json';
}

export async function registerImportRoutes(app: FastifyInstance, db: Database): Promise<void> {
  await uploadScope(app, (scope) => importRoutes(scope, db));
}

function importRoutes(app: FastifyInstance, db: Database): void {
  app.post<{ Querystring: Record<string, string | string[] | boolean | undefined> }>(
    '/api/imports/observations',
    {
      config: { upload: DATA_UPLOAD },
      schema: {
        tags: ['imports'],
        summary: 'Import an observation file (CSV or XLSX in the body); all or nothing',
        description:
          'The same options as `kommunalmonitor import observations`. Stewards import only their department’s indicators.',
        querystring: {
          type: 'object',
          required: ['file'],
          properties: {
            file: FILE,
            layer: LAYER_OPTION,
            dryRun: { type: 'boolean' },
            areaColumn: { type: 'string', maxLength: 200 },
            period: { type: 'string', maxLength: 40 },
            periodColumn: { type: 'string', maxLength: 200 },
            map: { type: 'array', items: { type: 'string', maxLength: 400 } },
            delimiter: { type: 'string', maxLength: 1 },
            encoding: { type: 'string', enum: ['utf-8', 'windows-1252', 'auto'] },
            decimal: { type: 'string', enum: [',', '.'] },
            sheet: { type: 'string', maxLength: 100 },
            format: {
              type: 'string',
              enum: ['auto', 'genesis'],
              description: 'genesis: a GENESIS flat file (ffcsv); auto recognises one by its header',
            },
            indicator: { type: 'string', maxLength: 100 },
            areaKeyProperty: { type: 'string', maxLength: 200 },
            dimension: { type: 'array', items: { type: 'string', maxLength: 200 } },
            member: { type: 'array', items: { type: 'string', maxLength: 400 } },
            skipUnknownAreas: { type: 'boolean' },
          },
          additionalProperties: false,
        },
      },
    },
    async (req) => {
      const q = req.query as Record<string, string | undefined> & {
        dryRun?: boolean;
        skipUnknownAreas?: boolean;
        map?: string | string[];
        dimension?: string | string[];
        member?: string | string[];
      };
      return withUploadedFile(req, q.file!, ['.csv', '.txt', '.tsv', '.xlsx'], (path) =>
        importObservations(db, path, {
          principal: req.principal,
          displayName: q.file,
          layer: q.layer,
          dryRun: !!q.dryRun,
          areaColumn: q.areaColumn,
          period: q.period,
          periodColumn: q.periodColumn,
          map: asArray(q.map),
          delimiter: q.delimiter,
          encoding: q.encoding as 'utf-8' | 'windows-1252' | 'auto' | undefined,
          decimal: q.decimal as ',' | '.' | undefined,
          sheet: q.sheet,
          format: q.format as 'auto' | 'genesis' | undefined,
          indicator: q.indicator,
          areaKeyProperty: q.areaKeyProperty,
          dimension: asArray(q.dimension),
          member: asArray(q.member),
          skipUnknownAreas: !!q.skipUnknownAreas,
        }),
      );
    },
  );

  app.post<{ Querystring: { file?: string; dryRun?: boolean }; Body: unknown }>(
    '/api/imports/indicators',
    {
      config: { upload: CATALOGUE_UPLOAD },
      schema: {
        tags: ['imports'],
        summary: 'Import an indicator catalogue (JSON body, or a JSON/YAML/CSV file with ?file=)',
        description: 'Without `file=` the body is read as JSON (or YAML/CSV by its Content-Type). At most 64 MiB.',
        querystring: {
          type: 'object',
          properties: { file: FILE, dryRun: { type: 'boolean' } },
          additionalProperties: false,
        },
      },
    },
    async (req) => {
      const name = req.query.file ?? catalogueName(req);
      return withUploadedFile(req, name, ['.json', '.yaml', '.yml', '.csv', '.xlsx'], (path) =>
        importCatalogueFile(db, path, {
          principal: req.principal,
          dryRun: !!req.query.dryRun,
          displayName: req.query.file ?? 'catalogue (HTTP)',
        }),
      );
    },
  );

  app.post<{ Querystring: Record<string, string | boolean | number | undefined> }>(
    '/api/imports/areas',
    {
      config: { upload: DATA_UPLOAD },
      schema: {
        tags: ['imports'],
        summary: 'Import the areas of a layer version (GeoJSON, zipped Shapefile, CSV/XLSX in the body)',
        querystring: {
          type: 'object',
          required: ['file', 'layer'],
          properties: {
            file: FILE,
            layer: LAYER_OPTION,
            layerName: { type: 'string', maxLength: 200 },
            code: { type: 'string', maxLength: 200 },
            name: { type: 'string', maxLength: 200 },
            parentLayer: LAYER_OPTION,
            parent: { type: 'string', maxLength: 200 },
            parentPrefix: { type: 'integer', minimum: 1, maximum: 64 },
            overlay: { type: 'boolean' },
            validFrom: { type: 'string', format: 'date' },
            crs: { type: 'string', maxLength: 100 },
            encoding: { type: 'string', maxLength: 40 },
            dryRun: { type: 'boolean' },
          },
          additionalProperties: false,
        },
      },
    },
    async (req) => {
      const q = req.query as Record<string, string | undefined> & {
        parentPrefix?: number;
        overlay?: boolean;
        dryRun?: boolean;
      };
      return withUploadedFile(req, q.file!, ['.geojson', '.json', '.zip', '.csv', '.txt', '.xlsx'], (path) =>
        importAreas(db, path, {
          principal: req.principal,
          displayName: q.file,
          layer: q.layer!,
          layerName: q.layerName,
          codeProp: q.code,
          nameProp: q.name,
          parentLayer: q.parentLayer,
          parentProp: q.parent,
          parentPrefix: q.parentPrefix,
          overlay: !!q.overlay,
          validFrom: q.validFrom ?? null,
          crs: q.crs,
          encoding: q.encoding,
          dryRun: !!q.dryRun,
        }),
      );
    },
  );
}
