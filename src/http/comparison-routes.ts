// GET /api/comparison/…: the comparison between municipalities (docs/comparison.md), public like
// everything in the comparison store. Thin routes over services/comparison.ts; the parameters are
// checked there, so that every bad request answers 400 with a code. Without a comparison store
// (the embedded database, or a single schema) every route answers 404 with the code
// comparison-needs-tenants (decision 0037).
import type { FastifyInstance } from 'fastify';
import {
  COMPARISON_NEEDS_TENANTS,
  compareMunicipalities,
  listMunicipalities,
  listStandards,
  rankingOf,
  similarTo,
  type ComparisonContext,
} from '../services/comparison.ts';

const QUERY = { type: 'object', additionalProperties: true } as const;

export function registerComparisonRoutes(app: FastifyInstance, ctx: ComparisonContext | undefined): void {
  const routes: [string, string, string, (c: ComparisonContext, q: Record<string, unknown>) => Promise<unknown>][] = [
    [
      '/api/comparison/standards',
      'The standard indicators of the shared catalogue, with how many municipalities publish each',
      '',
      (c) => listStandards(c.shared),
    ],
    [
      '/api/comparison/municipalities',
      'The municipalities that publish values for the comparison (this one marked own)',
      '',
      (c) => listMunicipalities(c),
    ],
    [
      '/api/comparison/compare',
      'Time series of standard indicators for this municipality and up to ten others',
      'Parameters: with=KEY,KEY… (at most 10 municipalities besides this one), indicators=STANDARD,… (at most 12). Values are the territory values each municipality computed itself; withheld values have value null and status suppressed or below_min_base.',
      (c, q) => compareMunicipalities(c, q),
    ],
    [
      '/api/comparison/similar',
      'Similar municipalities: Euclidean distance of z-standardised values at the latest common reference date',
      'Parameters: indicators=STANDARD,… (default: every standard this municipality publishes), k=1…10 (default 5). Each indicator is z-standardised (population sd) across the municipalities with a value of every chosen indicator at the latest reference date this one and at least one other share; indicators with sd 0 are left out (method.constant).',
      (c, q) => similarTo(c, q),
    ],
    [
      '/api/comparison/ranking',
      'Ranking of one standard indicator at one reference date, highest first, with competition ranks for ties',
      'Parameters: indicator=STANDARD, period=YEAR or DATE (default: this municipality’s latest), level=territory|district.',
      (c, q) => rankingOf(c, q),
    ],
  ];
  for (const [url, summary, description, fn] of routes) {
    app.get<{ Querystring: Record<string, unknown> }>(
      url,
      { schema: { tags: ['comparison'], summary, ...(description ? { description } : {}), querystring: QUERY } },
      async (req, reply) => {
        if (!ctx)
          return reply
            .status(404)
            .send({ error: 'Not Found', code: 'comparison-needs-tenants', message: COMPARISON_NEEDS_TENANTS });
        return fn(ctx, req.query);
      },
    );
  }
}
