// GET /api/indicators/{key}/disclosure?period=P: the suppression pattern of an indicator and
// period (counts of cells, equations, primary and secondary suppressions) and the attacker's
// audit, for the owning department and the sealed statistics office. Thin adapter over
// src/services/disclosure.ts.
import type { FastifyInstance } from 'fastify';
import type { Database } from '../store/db.ts';
import { auditIndicator } from '../services/disclosure.ts';
import { KEY, ERROR_ANSWER } from './schemas.ts';
import type { Answering } from './contract.ts';

const ERROR = ERROR_ANSWER;

export function registerDisclosureRoutes(app: FastifyInstance, db: Database): void {
  app.get<
    {
      Params: { key: string };
      Querystring: { period?: string; cells?: 'none' | 'unsafe' | 'all' };
    } & Answering<'GET /api/indicators/:key/disclosure'>
  >(
    '/api/indicators/:key/disclosure',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'Disclosure control: the suppression pattern of an indicator and period with the attacker audit (owning department and sealed office)',
        description:
          'One report per component the values follow (a derived ratio: its numerator and denominator). `audit.intervals` lists the withheld cells (`cells=all`; default only unsafe and primary ones, `none` for none) with the interval an attacker can derive from everything published; `max: null` means unbounded. 401 without sign-in, 403 for other departments.',
        params: { type: 'object', properties: { key: KEY }, required: ['key'] },
        querystring: {
          type: 'object',
          properties: {
            period: { type: 'string', maxLength: 40 },
            cells: { type: 'string', enum: ['none', 'unsafe', 'all'] },
          },
          additionalProperties: false,
        },
        response: { 400: ERROR, 401: ERROR, 403: ERROR, 404: ERROR },
      },
    },
    async (req) => {
      const r = await auditIndicator(db, req.principal, req.params.key, req.query.period, { audit: true });
      const which = req.query.cells ?? 'unsafe';
      for (const rep of r.reports) {
        if (!rep.audit) continue;
        rep.audit.intervals =
          which === 'all'
            ? rep.audit.intervals
            : which === 'none'
              ? []
              : rep.audit.intervals.filter((i) => !i.safe || i.suppression === 'primary');
      }
      return r;
    },
  );
}
