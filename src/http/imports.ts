// Imports over HTTP, for automation with an API token (e.g. a nightly import job) and for the
// CLI when a server holds the data directory. The request body is the file itself; it streams
// to a temporary file and goes through the same services as the CLI.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Database } from '../store/db.ts';
import { InputRejected, Unauthorized } from '../core/problems.ts';
import { importObservations } from '../services/observations-import.ts';
import { importCatalogueFile, importCatalogue } from '../services/indicators.ts';
import { importAreas } from '../services/areas.ts';

const MAX_IMPORT_BYTES = 2 * 1024 * 1024 * 1024;
const FILE = { type: 'string', minLength: 3, maxLength: 200, pattern: '^[^/\\\\]+\\.[A-Za-z0-9]+$', description: 'Original file name; its extension tells the format (.csv, .xlsx, .json, .yaml, .geojson, .zip)' } as const;

async function withUploadedFile<T>(req: FastifyRequest, fileName: string, allowed: string[], fn: (path: string) => Promise<T>): Promise<T> {
  if (req.principal.kind === 'anonymous') throw new Unauthorized('Imports need a signed-in user or an API token.');
  const ext = extname(fileName).toLowerCase();
  if (!allowed.includes(ext)) {
    throw new InputRejected([{ severity: 'error', code: 'unknown-format', value: fileName, reason: `unsupported file type "${ext}"`, hint: `use one of ${allowed.join(', ')}` }], `Unsupported file type "${ext}"; use one of ${allowed.join(', ')}.`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'km-upload-'));
  try {
    const path = join(dir, basename(fileName));
    const body = req.body;
    if (body === undefined || body === null) throw new InputRejected([{ severity: 'error', code: 'empty-body', reason: 'the request has no file in its body' }], 'The request has no file in its body.');
    await pipeline(body as Readable, createWriteStream(path));
    return await fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const asArray = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

export function registerImportRoutes(app: FastifyInstance, db: Database): void {
  // Any non-JSON body streams through untouched; the routes write it to a file.
  app.addContentTypeParser('*', { bodyLimit: MAX_IMPORT_BYTES }, (_req, payload, done) => done(null, payload));

  app.post<{ Querystring: Record<string, string | string[] | boolean | undefined> }>(
    '/api/imports/observations',
    {
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        tags: ['imports'],
        summary: 'Import an observation file (CSV or XLSX in the body); all or nothing',
        description: 'The same options as `kommunalmonitor import observations`. Stewards import only their department’s indicators.',
        querystring: {
          type: 'object',
          required: ['file'],
          properties: {
            file: FILE,
            layer: { type: 'string', maxLength: 63 },
            dryRun: { type: 'boolean' },
            areaColumn: { type: 'string', maxLength: 200 },
            period: { type: 'string', maxLength: 40 },
            periodColumn: { type: 'string', maxLength: 200 },
            map: { type: 'array', items: { type: 'string', maxLength: 400 } },
            delimiter: { type: 'string', maxLength: 1 },
            encoding: { type: 'string', enum: ['utf-8', 'windows-1252', 'auto'] },
            decimal: { type: 'string', enum: [',', '.'] },
            sheet: { type: 'string', maxLength: 100 },
          },
          additionalProperties: false,
        },
      },
    },
    async (req) => {
      const q = req.query as Record<string, string | undefined> & { dryRun?: boolean; map?: string | string[] };
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
        }),
      );
    },
  );

  app.post<{ Querystring: { file?: string; dryRun?: boolean }; Body: unknown }>(
    '/api/imports/indicators',
    {
      schema: {
        tags: ['imports'],
        summary: 'Import an indicator catalogue (JSON body, or a JSON/YAML/CSV file with ?file=)',
        querystring: { type: 'object', properties: { file: FILE, dryRun: { type: 'boolean' } }, additionalProperties: false },
      },
    },
    async (req) => {
      if (req.principal.kind === 'anonymous') throw new Unauthorized('Imports need a signed-in user or an API token.');
      const isStream = typeof (req.body as Readable | undefined)?.pipe === 'function';
      if (!isStream) return importCatalogue(db, req.body, { principal: req.principal, dryRun: !!req.query.dryRun, displayName: req.query.file ?? 'catalogue (HTTP)' });
      return withUploadedFile(req, req.query.file ?? 'catalogue.json', ['.json', '.yaml', '.yml', '.csv', '.xlsx'], (path) =>
        importCatalogueFile(db, path, { principal: req.principal, dryRun: !!req.query.dryRun, displayName: req.query.file }),
      );
    },
  );

  app.post<{ Querystring: Record<string, string | boolean | number | undefined> }>(
    '/api/imports/areas',
    {
      bodyLimit: MAX_IMPORT_BYTES,
      schema: {
        tags: ['imports'],
        summary: 'Import the areas of a layer version (GeoJSON, zipped Shapefile, CSV/XLSX in the body)',
        querystring: {
          type: 'object',
          required: ['file', 'layer'],
          properties: {
            file: FILE,
            layer: { type: 'string', maxLength: 63 },
            layerName: { type: 'string', maxLength: 200 },
            code: { type: 'string', maxLength: 200 },
            name: { type: 'string', maxLength: 200 },
            parentLayer: { type: 'string', maxLength: 63 },
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
      const q = req.query as Record<string, string | undefined> & { parentPrefix?: number; overlay?: boolean; dryRun?: boolean };
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
