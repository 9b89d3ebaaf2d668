// A typology definition: which indicators, standardised how, clustered by which method into how
// many types. JSON in, documented result out — like an index definition.
import { z } from 'zod';
import { InputRejected } from '../problems.ts';

const key = z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be a key (lower case letters, digits, "_")');

const typologyDefinitionSchema = z
  .object({
    key,
    name: z.string().min(1),
    description: z.string().optional(),
    layer: z.string().min(1),
    period: z.string().min(1),
    indicators: z.array(key).min(2, 'needs at least two indicators'),
    method: z.enum(['ward', 'kmeans']).default('ward'),
    /** Number of types. */
    k: z.number().int().min(2).max(50),
    /** Standardisation of each indicator across the areas (z-scores). */
    sd: z.enum(['population', 'sample']).default('population'),
    /** k-means: seed and number of starts (deterministic). */
    seed: z.number().int().default(1),
    nstart: z.number().int().min(1).max(1000).default(10),
    /** Areas left out, with the reason. */
    exclude: z.array(z.object({ code: z.string().min(1), reason: z.string().min(1) }).strict()).default([]),
  })
  .strict();

export type TypologyDefinition = z.output<typeof typologyDefinitionSchema>;

export function parseTypologyDefinition(input: unknown, file?: string): TypologyDefinition {
  const r = typologyDefinitionSchema.safeParse(input);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => ({
    severity: 'error' as const,
    code: 'invalid-definition',
    file,
    column: i.path.join('.'),
    reason: `${i.path.join('.') || 'definition'}: ${i.message}`,
  }));
  throw new InputRejected(
    problems,
    `The typology definition${file ? ` in ${file}` : ''} is not valid: ${problems.map((p) => p.reason).join('; ')}`,
  );
}
