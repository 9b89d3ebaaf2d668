// HTTP routes of the measure registry (issue #17): list, one measure with its history, export
// (360Giving JSON / flat CSV / template CSV), import of a 360Giving package, the per-area table
// against need (gaps, overlaps, coverage) as JSON or CSV, vocabularies and priority areas. Thin
// adapters over src/services/measures.ts, which decides what the caller may read and change.
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../store/db.ts';
import type { MeasureStatus } from '../core/measures.ts';
import {
  coverageOverTime,
  coverageToCsv,
  exportMeasures,
  gapsToCsv,
  gapsToXlsx,
  getMeasure,
  importMeasures,
  listMeasures,
  measureVocabulary,
  measuresAgainstNeed,
  priorityAreas,
} from '../services/measures.ts';
import { ERROR_ANSWER } from './schemas.ts';
import type { Answering, AnsweringOr } from './contract.ts';

const ERROR = ERROR_ANSWER;
const ANY = { type: 'object', additionalProperties: true } as const;
const TEXT = { type: 'string', maxLength: 200 } as const;
const TAGS = ['measures'];

interface ListQuery {
  field?: string;
  targetGroup?: string;
  department?: string;
  status?: MeasureStatus;
  at?: string;
  layer?: string;
  area?: string;
}

interface NeedQuery {
  layer: string;
  need?: string;
  classes?: string;
  field?: string;
  targetGroup?: string;
  department?: string;
  status?: 'geplant' | 'laufend' | 'abgeschlossen' | 'abgebrochen';
  at: string;
  format?: 'json' | 'csv' | 'xlsx';
}

export function registerMeasureRoutes(app: FastifyInstance, db: Database): void {
  app.get<{ Querystring: ListQuery } & Answering<'GET /api/measures'>>(
    '/api/measures',
    {
      schema: {
        tags: TAGS,
        summary:
          'Measures and projects the caller may read, filtered by field of action, target group, department, status, running date and area',
        querystring: {
          type: 'object',
          properties: {
            field: TEXT,
            targetGroup: TEXT,
            department: TEXT,
            status: { type: 'string', enum: ['geplant', 'laufend', 'abgeschlossen', 'abgebrochen'] },
            at: TEXT,
            layer: TEXT,
            area: TEXT,
          },
          additionalProperties: false,
        },
        response: { 200: { type: 'object', properties: { measures: { type: 'array', items: ANY } } }, 400: ERROR },
      },
    },
    async (req) => ({ measures: await listMeasures(db, req.principal, req.query) }),
  );

  app.get<Answering<'GET /api/measures/vocabulary'>>(
    '/api/measures/vocabulary',
    {
      schema: {
        tags: TAGS,
        summary: 'The managed vocabularies: fields of action (handlungsfeld) and target groups (zielgruppe)',
        response: { 200: { type: 'object', properties: { entries: { type: 'array', items: ANY } } } },
      },
    },
    async () => ({
      entries: await measureVocabulary(db),
    }),
  );

  app.get(
    '/api/measures/priority-areas',
    {
      schema: {
        tags: TAGS,
        summary: 'Priority areas (Interventionsgebiete), every version by date',
        response: { 200: { type: 'object', properties: { versions: { type: 'array', items: ANY } } } },
      },
    },
    async () => ({
      versions: await priorityAreas(db),
    }),
  );

  app.get<{ Querystring: { format?: '360giving' | '360giving-csv' | 'csv' } }>(
    '/api/measures/export',
    {
      schema: {
        tags: TAGS,
        summary: 'The readable measures as a 360Giving package (JSON), its flat CSV, or the department template (CSV)',
        querystring: {
          type: 'object',
          properties: { format: { type: 'string', enum: ['360giving', '360giving-csv', 'csv'] } },
          additionalProperties: false,
        },
      },
    },
    async (req, reply) => {
      const format = req.query.format ?? '360giving';
      const body = await exportMeasures(db, req.principal, format);
      reply.header(
        'content-type',
        format === '360giving' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
      );
      reply.header(
        'content-disposition',
        `attachment; filename="massnahmen.${format === '360giving' ? 'json' : 'csv'}"`,
      );
      return body;
    },
  );

  app.get<{ Querystring: NeedQuery } & AnsweringOr<'GET /api/measures/gaps', string | Buffer>>(
    '/api/measures/gaps',
    {
      schema: {
        tags: TAGS,
        summary:
          'Areas of high need with their running measures, budget and budget per head, ranked by need; coverage and overlaps',
        description:
          'need: an indicator of classes (e.g. status_klasse) or priority:KEY; classes: labels or numbers, comma-separated. format=csv gives area;name;need_class;running_measures;budget; format=xlsx the same table with a metadata sheet.',
        querystring: {
          type: 'object',
          required: ['layer', 'at'],
          properties: {
            layer: TEXT,
            need: TEXT,
            classes: TEXT,
            field: TEXT,
            targetGroup: TEXT,
            department: TEXT,
            status: { type: 'string', enum: ['geplant', 'laufend', 'abgeschlossen', 'abgebrochen'] },
            at: TEXT,
            format: { type: 'string', enum: ['json', 'csv', 'xlsx'] },
          },
          additionalProperties: false,
        },
        response: { 200: ANY, 400: ERROR, 404: ERROR },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const a = await measuresAgainstNeed(db, req.principal, {
        ...q,
        classes: q.classes
          ?.split(',')
          .map((c) => c.trim())
          .filter(Boolean),
      });
      if (q.format === 'csv') {
        reply.header('content-type', 'text/csv; charset=utf-8');
        return gapsToCsv(a);
      }
      if (q.format === 'xlsx') {
        reply
          .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', 'attachment; filename="massnahmen-luecken.xlsx"');
        return gapsToXlsx(a, q);
      }
      return a;
    },
  );

  app.get<{ Querystring: Omit<NeedQuery, 'format'> & { format?: 'json' | 'csv' } }>(
    '/api/measures/coverage',
    {
      schema: {
        tags: TAGS,
        summary:
          'The coverage over time: the share of the target group in high-need areas reached by at least one running measure, at each date',
        description:
          'at: one or more dates, comma-separated. Other parameters as for /api/measures/gaps. format=csv gives date;population;reached;share;areas;areas_reached.',
        querystring: {
          type: 'object',
          required: ['layer', 'at'],
          properties: {
            layer: TEXT,
            need: TEXT,
            classes: TEXT,
            field: TEXT,
            targetGroup: TEXT,
            department: TEXT,
            status: { type: 'string', enum: ['geplant', 'laufend', 'abgeschlossen', 'abgebrochen'] },
            at: TEXT,
            format: { type: 'string', enum: ['json', 'csv'] },
          },
          additionalProperties: false,
        },
        response: { 200: ANY, 400: ERROR, 404: ERROR },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const dates = q.at
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean)
        .slice(0, 50);
      const rows = await coverageOverTime(
        db,
        req.principal,
        {
          ...q,
          classes: q.classes
            ?.split(',')
            .map((c) => c.trim())
            .filter(Boolean),
        },
        dates,
      );
      if (q.format === 'csv') {
        reply.header('content-type', 'text/csv; charset=utf-8');
        return coverageToCsv(rows);
      }
      return { coverage: rows };
    },
  );

  app.get<{ Params: { key: string } }>(
    '/api/measures/:key',
    {
      schema: {
        tags: TAGS,
        summary: 'One measure with its history',
        params: { type: 'object', properties: { key: TEXT } },
        response: { 200: ANY, 401: ERROR, 404: ERROR },
      },
    },
    async (req) => getMeasure(db, req.principal, req.params.key),
  );

  app.post<{ Body: unknown; Querystring: { dryRun?: boolean } }>(
    '/api/measures/import',
    {
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        tags: TAGS,
        summary:
          'Import a 360Giving data package (JSON body): all or nothing, positioned errors; stewards for their department, admins for all',
        querystring: { type: 'object', properties: { dryRun: { type: 'boolean' } }, additionalProperties: false },
        response: { 200: ANY, 400: ERROR, 401: ERROR, 403: ERROR },
      },
    },
    async (req) => {
      const dir = mkdtempSync(join(tmpdir(), 'kommunalmonitor-measures-'));
      try {
        const path = join(dir, 'massnahmen.json');
        writeFileSync(path, JSON.stringify(req.body));
        return await importMeasures(db, path, {
          principal: req.principal,
          dryRun: req.query.dryRun,
          displayName: 'request body',
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
}
