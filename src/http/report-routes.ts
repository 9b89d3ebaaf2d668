// HTTP routes of reports (issue 16): the shipped templates, the reports the caller may see, a
// report rendered as HTML, PDF or DOCX (the draft on current data or a frozen release: the
// permalink of a release is /api/reports/{key}/render?release=N&area=…), the releases, and the
// workflow (review, publish, replacement plan) for the owning department's stewards and admins.
// Rights as for the data: a report with a block the caller may not read does not exist for them.
import type { FastifyInstance } from 'fastify';
import type { Database } from '../store/db.ts';
import {
  listTemplates,
  listReports,
  getReport,
  listReleases,
  submitForReview,
  publishRelease,
  replacementPlan,
  saveReport,
} from '../services/reports.ts';
import { BLOCK_TYPES } from '../core/report/model.ts';
import { renderReport, type ReportFormat } from '../services/report-render.ts';
import { previewReport } from '../services/report-preview.ts';
import { ERROR_ANSWER } from './schemas.ts';
import type { Answering, Taking } from './contract.ts';

const ERROR = ERROR_ANSWER;
const KEY = {
  type: 'object',
  required: ['key'],
  properties: { key: { type: 'string', pattern: '^[a-z][a-z0-9_-]*$', maxLength: 80 } },
} as const;
const ANY = { type: 'object', additionalProperties: true } as const;
/** A report's content as the editor sends it (saving, previewing). */
const DEFINITION_PROPERTIES = {
  title: { type: 'string', minLength: 1, maxLength: 300 },
  subtitle: { type: 'string', maxLength: 300 },
  parameters: {
    type: 'array',
    maxItems: 4,
    items: {
      type: 'object',
      required: ['name', 'layer'],
      properties: { name: { type: 'string', enum: ['area'] }, layer: { type: 'string' }, label: { type: 'string' } },
    },
  },
  sections: {
    type: 'array',
    maxItems: 100,
    items: {
      type: 'object',
      required: ['title', 'blocks'],
      properties: {
        title: { type: 'string' },
        blocks: {
          type: 'array',
          maxItems: 100,
          items: {
            type: 'object',
            required: ['key', 'spec'],
            properties: {
              key: { type: 'string', maxLength: 80 },
              spec: {
                type: 'object',
                required: ['type'],
                additionalProperties: true,
                properties: { type: { type: 'string', enum: [...BLOCK_TYPES] } },
              },
            },
          },
        },
      },
    },
  },
} as const;
const DEFINITION = {
  type: 'object',
  required: ['title', 'sections'],
  additionalProperties: false,
  properties: DEFINITION_PROPERTIES,
} as const;
const PREVIEW = {
  type: 'object',
  required: ['definition'],
  additionalProperties: false,
  properties: { definition: DEFINITION, area: { type: 'string', maxLength: 40 } },
} as const;
const TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function registerReportRoutes(app: FastifyInstance, db: Database): void {
  app.get<Answering<'GET /api/reports/templates'>>(
    '/api/reports/templates',
    {
      schema: {
        tags: ['reports'],
        summary: 'The shipped report templates',
        response: { 200: { type: 'array', items: ANY } },
      },
    },
    async () => listTemplates(),
  );

  app.get<Answering<'GET /api/reports'>>(
    '/api/reports',
    {
      schema: {
        tags: ['reports'],
        summary: 'The reports the caller may see, with status and releases',
        response: { 200: { type: 'array', items: ANY } },
      },
    },
    async (req) => listReports(db, req.principal),
  );

  app.get<{ Params: { key: string } } & Answering<'GET /api/reports/:key'>>(
    '/api/reports/:key',
    {
      schema: {
        tags: ['reports'],
        summary: 'A report: its sections and blocks (the stored queries), status and releases',
        params: KEY,
        response: { 200: ANY, 401: ERROR, 404: ERROR },
      },
    },
    async (req) => getReport(db, req.principal, req.params.key),
  );

  app.put<{ Params: { key: string } } & Taking<'PUT /api/reports/:key'>>(
    '/api/reports/:key',
    {
      schema: {
        tags: ['reports'],
        summary: 'Save a new version of the report (sections and blocks); the report is a draft again',
        params: KEY,
        body: DEFINITION,
        response: { 200: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req) => {
      const current = await getReport(db, req.principal, req.params.key);
      return saveReport(db, req.principal, req.params.key, {
        ...req.body,
        key: req.params.key,
        owner: current.owner,
        parameters: req.body.parameters ?? current.definition.parameters,
      });
    },
  );

  app.post<{ Params: { key: string } } & Taking<'POST /api/reports/:key/preview'>>(
    '/api/reports/:key/preview',
    {
      schema: {
        tags: ['reports'],
        summary:
          "The editor's live preview: an unsaved definition rendered as HTML on current data (nothing is stored)",
        description:
          "For the owning department's stewards and admins. Blocks whose shape or query is wrong are left out of the HTML and named in problems (block key, section, reason).",
        params: KEY,
        body: PREVIEW,
        response: {
          200: {
            type: 'object',
            properties: { html: { type: 'string' }, problems: { type: 'array', items: ANY }, params: ANY },
          },
          400: ERROR,
          401: ERROR,
          403: ERROR,
          404: ERROR,
        },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return previewReport(db, req.principal, req.params.key, req.body.definition, { area: req.body.area });
    },
  );

  app.get<{ Params: { key: string }; Querystring: { area?: string; format?: ReportFormat; release?: number } }>(
    '/api/reports/:key/render',
    {
      schema: {
        tags: ['reports'],
        summary: 'A report as HTML, PDF or DOCX: the draft on current data, or the frozen release N',
        description:
          'area: the area for a report with an area parameter (e.g. 0101). The public gets the values disclosure control allows them; a report with a block they may not read is 404.',
        params: KEY,
        querystring: {
          type: 'object',
          properties: {
            area: { type: 'string', maxLength: 40 },
            format: { type: 'string', enum: ['html', 'pdf', 'docx'], default: 'html' },
            release: { type: 'integer', minimum: 1 },
          },
          additionalProperties: false,
        },
        response: { 400: ERROR, 401: ERROR, 404: ERROR },
      },
    },
    async (req, reply) => {
      const format = req.query.format ?? 'html';
      const [file] = await renderReport(db, req.principal, req.params.key, {
        area: req.query.area,
        format,
        release: req.query.release,
      });
      reply.header('content-type', TYPES[format]);
      if (format !== 'html') reply.header('content-disposition', `attachment; filename="${file.name}"`);
      return reply.send(file.bytes);
    },
  );

  app.get<{ Params: { key: string } } & Answering<'GET /api/reports/:key/releases'>>(
    '/api/reports/:key/releases',
    {
      schema: {
        tags: ['reports'],
        summary: 'The releases of a report (number, parameters, content hash, data versions, change note)',
        params: KEY,
        response: { 200: { type: 'array', items: ANY }, 404: ERROR },
      },
    },
    async (req) => listReleases(db, req.principal, req.params.key),
  );

  app.post<{ Params: { key: string } } & Answering<'POST /api/reports/:key/review'>>(
    '/api/reports/:key/review',
    {
      schema: {
        tags: ['reports'],
        summary: 'Submit the draft for review',
        params: KEY,
        response: { 200: ANY, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req) => submitForReview(db, req.principal, req.params.key),
  );

  app.post<{ Params: { key: string } } & Taking<'POST /api/reports/:key/releases'>>(
    '/api/reports/:key/releases',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Publish a release (the report must be in review and every block valid; an amendment needs a change note)',
        params: KEY,
        body: {
          type: 'object',
          properties: { changeNote: { type: 'string', maxLength: 2000 } },
          additionalProperties: false,
          nullable: true,
        },
        response: { 200: ANY, 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR, 409: ERROR },
      },
    },
    async (req) => publishRelease(db, req.principal, req.params.key, { changeNote: req.body?.changeNote }),
  );

  app.get<{ Params: { key: string }; Querystring: { area?: string } }>(
    '/api/reports/:key/plan',
    {
      schema: {
        tags: ['reports'],
        summary: 'Replacement plan: which blocks a new release would change and how, and which queries are broken',
        params: KEY,
        querystring: {
          type: 'object',
          properties: { area: { type: 'string', maxLength: 40 } },
          additionalProperties: false,
        },
        response: { 200: ANY, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req) => replacementPlan(db, req.principal, req.params.key, req.query.area ? { area: req.query.area } : {}),
  );
}
