// HTTP routes of spatial integration: address register import, address matching, reallocation,
// facility import. The upload routes follow src/http/uploads.ts: the body is the file, streamed
// to a temporary file that is removed when the request ends; `file=` names it (its extension
// tells the format); the caller is checked before the body is read.
//
// Address matching handles personal data: the upload is held in memory for the duration of the
// request (never written to disk, zeroed afterwards); the matched rows are returned and nothing
// of them is stored (the audit trail records the counts only).
import type { FastifyInstance } from 'fastify';
import type { Database } from '../store/db.ts';
import { Unauthorized } from '../core/problems.ts';
import { importAddresses, registerVersions } from '../services/address-register.ts';
import { matchAddresses, matchesToCsv } from '../services/address-match.ts';
import { importFacilities } from '../services/facilities.ts';
import { reallocate } from '../services/reallocation.ts';
import { parseLayerRef } from '../services/spatial.ts';
import { GiB, MiB, asArray, uploadScope, withUploadedBytes, withUploadedFile } from './uploads.ts';
import { KEY, LAYER_REF, ERROR_ANSWER } from './schemas.ts';
import { coded } from '../contracts/codes/index.ts';
import type { Taking } from './contract.ts';

const FILE = {
  type: 'string',
  minLength: 3,
  maxLength: 200,
  pattern: '^[^/\\\\]+\\.[A-Za-z0-9]+$',
  description: 'Original file name; its extension tells the format (.csv, .xlsx, .geojson)',
} as const;
const IMPORT_UPLOAD = { gate: 'writer', maxBytes: 2 * GiB } as const;
// Matching reads personal records: the sealed statistics office only, refused before the body is
// read; the body is held in memory (at most 512 MiB, a form file of millions of rows), never on disk.
const MATCH_UPLOAD = { gate: 'sealed-office', maxBytes: 512 * MiB } as const;
const COLUMN = { type: 'string', minLength: 1, maxLength: 200 } as const;
const TABLES = ['.csv', '.txt', '.tsv', '.xlsx'];
const ERROR = ERROR_ANSWER;

export async function registerSpatialRoutes(app: FastifyInstance, db: Database): Promise<void> {
  await uploadScope(app, (scope) => spatialUploadRoutes(scope, db));

  app.get(
    '/api/addresses/versions',
    {
      schema: {
        tags: ['spatial structure'],
        summary:
          'Versions of the address register: valid from / until, counts of addresses, streets, coordinates, Σ residents (no address)',
        response: { 401: ERROR },
      },
    },
    async (req) => {
      if (req.principal.kind === 'anonymous') throw new Unauthorized(coded('address-register-sign-in'));
      return registerVersions(db);
    },
  );

  app.post<Taking<'POST /api/reallocate'>>(
    '/api/reallocate',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'Carry the observations of a count indicator onto another boundary version or layer by a crosswalk; stored as estimates with their method',
        description:
          'Admins and stewards of the indicator’s owner. Real observations are never overwritten (409); estimates that coarser layers would count twice are refused (409). Ratios are not reallocated: they follow from their counts.',
        body: {
          type: 'object',
          required: ['indicator', 'from', 'to'],
          properties: {
            indicator: KEY,
            from: LAYER_REF,
            to: LAYER_REF,
            weights: { type: 'string', enum: ['area', 'population'] },
            periods: { type: 'array', items: { type: 'string', maxLength: 40 }, maxItems: 200 },
            rounding: { type: 'string', enum: ['largest-remainder', 'none'] },
            populationIndicator: KEY,
            dryRun: { type: 'boolean' },
          },
          additionalProperties: false,
        },
        response: { 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR },
      },
    },
    async (req) => {
      if (req.principal.kind === 'anonymous') throw new Unauthorized(coded('reallocation-sign-in'));
      const b = req.body;
      return reallocate(db, {
        indicator: b.indicator,
        from: parseLayerRef(b.from),
        to: parseLayerRef(b.to),
        weights: b.weights,
        periods: b.periods,
        rounding: b.rounding,
        populationIndicator: b.populationIndicator,
        dryRun: !!b.dryRun,
        principal: req.principal,
      });
    },
  );
}

function spatialUploadRoutes(app: FastifyInstance, db: Database): void {
  app.post<{ Querystring: Record<string, string | string[] | boolean | undefined> }>(
    '/api/imports/addresses',
    {
      config: { upload: IMPORT_UPLOAD },
      schema: {
        tags: ['imports'],
        summary:
          'Import the address register (CSV or XLSX in the body) as a version valid from a date; older versions are kept; all or nothing',
        description:
          'The same options as `kommunalmonitor import addresses`. Codes of layers the register lacks come from point-in-polygon. `validFrom` (default today) dates the version; a version of the same date is replaced, an identical one changes nothing (`unchanged: true`). `residents` names a column with residents per address (stored, never returned; used only summed into population weights). Rows with empty house-number and suffix cells are places (squares, gates, bridges), stored as street-level addresses and counted in `withoutNumber`; they are matched only by input without a number. Admins and stewards of the department keeping the spatial structure.',
        querystring: {
          type: 'object',
          required: ['file'],
          properties: {
            file: FILE,
            street: COLUMN,
            number: COLUMN,
            suffix: COLUMN,
            postcode: COLUMN,
            x: COLUMN,
            y: COLUMN,
            crs: { type: 'string', maxLength: 100 },
            area: { type: 'array', items: { type: 'string', maxLength: 300 }, description: 'LAYER=COLUMN, repeatable' },
            residents: COLUMN,
            validFrom: {
              type: 'string',
              maxLength: 40,
              description: 'the date from which this register version is valid (default today)',
            },
            delimiter: { type: 'string', maxLength: 1 },
            encoding: { type: 'string', enum: ['utf-8', 'windows-1252', 'auto'] },
            sheet: { type: 'string', maxLength: 100 },
            dryRun: { type: 'boolean' },
          },
          additionalProperties: false,
        },
        response: { 400: ERROR, 401: ERROR, 403: ERROR },
      },
    },
    async (req) => {
      const q = req.query as Record<string, string | undefined> & { dryRun?: boolean; area?: string | string[] };
      return withUploadedFile(req, q.file!, TABLES, (path) =>
        importAddresses(db, path, {
          principal: req.principal,
          displayName: q.file,
          street: q.street,
          number: q.number,
          suffix: q.suffix,
          postcode: q.postcode,
          x: q.x,
          y: q.y,
          crs: q.crs,
          areas: asArray(q.area),
          residents: q.residents,
          validFrom: q.validFrom,
          delimiter: q.delimiter,
          encoding: q.encoding as 'utf-8' | 'windows-1252' | 'auto' | undefined,
          sheet: q.sheet,
          dryRun: !!q.dryRun,
        }),
      );
    },
  );

  app.post<{ Querystring: Record<string, string | boolean | undefined> }>(
    '/api/match/addresses',
    {
      config: { upload: MATCH_UPLOAD },
      schema: {
        tags: ['spatial structure'],
        summary:
          'Match addresses (CSV or XLSX in the body) against the register; returns every row with the matched address, area codes, method and confidence, and the summary. Nothing is stored.',
        description:
          'Name one free-text column with `address`, or `street` (and `number`, `postcode`); without them the columns are recognised by name. With `format=csv` the rows come back as CSV (";" and decimal comma) and the counts of the summary in the header X-Match-Summary (JSON); the ranked unmatched streets are in the JSON answer. Send the file as the raw body (e.g. Content-Type: text/csv).',
        querystring: {
          type: 'object',
          required: ['file'],
          properties: {
            file: FILE,
            address: COLUMN,
            street: COLUMN,
            number: COLUMN,
            postcode: COLUMN,
            strictPostcode: { type: 'boolean' },
            at: {
              type: 'string',
              maxLength: 40,
              description: 'match against the register version valid on this date (default the newest)',
            },
            format: { type: 'string', enum: ['json', 'csv'] },
            columnPrefix: {
              type: 'string',
              maxLength: 40,
              description:
                'format=csv: put this in front of every added column; needed when an input column has the name of one (status, a layer key …), which is refused otherwise',
            },
            delimiter: { type: 'string', maxLength: 1 },
            encoding: { type: 'string', enum: ['utf-8', 'windows-1252', 'auto'] },
            sheet: { type: 'string', maxLength: 100 },
          },
          additionalProperties: false,
        },
        response: { 400: ERROR, 401: ERROR, 404: ERROR },
      },
    },
    async (req, reply) => {
      const q = req.query as Record<string, string | undefined> & { strictPostcode?: boolean };
      // Personal records: processed from memory, never written to a temporary file.
      const r = await withUploadedBytes(req, q.file!, TABLES, (upload) =>
        matchAddresses(db, upload, {
          principal: req.principal,
          displayName: q.file,
          address: q.address,
          street: q.street,
          number: q.number,
          postcode: q.postcode,
          strictPostcode: !!q.strictPostcode,
          at: q.at,
          delimiter: q.delimiter,
          encoding: q.encoding as 'utf-8' | 'windows-1252' | 'auto' | undefined,
          sheet: q.sheet,
        }),
      );
      if (q.format === 'csv') {
        const { total, matched, ambiguous, unmatched, byMethod, streetLevel, byReason } = r.summary;
        return reply
          .type('text/csv; charset=utf-8')
          .header('Content-Disposition', `attachment; filename="matched.csv"`)
          .header(
            'X-Match-Summary',
            JSON.stringify({ total, matched, ambiguous, unmatched, byMethod, streetLevel, byReason }),
          )
          .send(matchesToCsv(r, { columnPrefix: q.columnPrefix, prefixOption: 'columnPrefix=' }));
      }
      return r;
    },
  );

  app.post<{ Querystring: Record<string, string | boolean | undefined> }>(
    '/api/imports/facilities',
    {
      config: { upload: IMPORT_UPLOAD },
      schema: {
        tags: ['imports'],
        summary:
          'Import a facility data set (CSV/XLSX with coordinates, or GeoJSON points, in the body); counts and capacities per area become supply indicators',
        description:
          'The same options as `kommunalmonitor import facilities`. A steward’s new supply indicators belong to the steward’s department.',
        querystring: {
          type: 'object',
          required: ['file', 'set', 'name'],
          properties: {
            file: FILE,
            set: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', maxLength: 40 },
            name: { type: 'string', minLength: 1, maxLength: 200 },
            category: COLUMN,
            capacity: COLUMN,
            label: COLUMN,
            x: COLUMN,
            y: COLUMN,
            crs: { type: 'string', maxLength: 100 },
            period: { type: 'string', maxLength: 40 },
            owner: { type: 'string', pattern: '^[a-z][a-z0-9_]*$', maxLength: 100 },
            confidentiality: { type: 'string', enum: ['public', 'internal', 'restricted'] },
            dryRun: { type: 'boolean' },
          },
          additionalProperties: false,
        },
        response: { 400: ERROR, 401: ERROR, 403: ERROR, 409: ERROR },
      },
    },
    async (req) => {
      const q = req.query as Record<string, string | undefined> & { dryRun?: boolean };
      return withUploadedFile(req, q.file!, [...TABLES, '.geojson', '.json'], (path) =>
        importFacilities(db, path, {
          principal: req.principal,
          displayName: q.file,
          set: q.set!,
          name: q.name!,
          category: q.category,
          capacity: q.capacity,
          label: q.label,
          x: q.x,
          y: q.y,
          crs: q.crs,
          period: q.period,
          owner: q.owner,
          confidentiality: q.confidentiality as 'public' | 'internal' | 'restricted' | undefined,
          dryRun: !!q.dryRun,
        }),
      );
    },
  );
}
