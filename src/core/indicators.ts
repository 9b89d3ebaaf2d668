// The indicator catalogue: metadata of every indicator, validated with zod.
// The JSON form in issue #2 is accepted as written; YAML and CSV map onto the same shape.
import { z } from 'zod';
import { CONFIDENTIALITY, INDICATOR_TYPES, PERIODICITIES, type Polarity } from '../contracts/vocabulary.ts';

export const KEY_PATTERN = /^[a-z][a-z0-9_]*$/;
/**
 * Longest key of an indicator, dimension, department or layer. The HTTP API's path and query
 * schemas accept keys up to this length: a longer key could be imported but never be asked for.
 */
export const KEY_MAX_LENGTH = 100;
const key = z
  .string()
  .max(KEY_MAX_LENGTH, `must be at most ${KEY_MAX_LENGTH} characters long`)
  .regex(KEY_PATTERN, 'must be lower case letters, digits and "_", starting with a letter');

/** Whether a text is a valid key (pattern and length). */
export function isValidKey(s: string): boolean {
  return s.length <= KEY_MAX_LENGTH && KEY_PATTERN.test(s);
}

// The closed word lists are the API's vocabulary (src/contracts): the catalogue validates against them.
export { type Confidentiality, type IndicatorType, type Polarity } from '../contracts/vocabulary.ts';

const POLARITY_ALIASES: Record<string, Polarity> = {
  higher_is_better: 'higher_is_better',
  'higher-is-better': 'higher_is_better',
  better: 'higher_is_better',
  positive: 'higher_is_better',
  higher_is_worse: 'higher_is_worse',
  'higher-is-worse': 'higher_is_worse',
  worse: 'higher_is_worse',
  negative: 'higher_is_worse',
  neutral: 'neutral',
};

/** Who gets protected values: the public only (default), or everyone except the owning department and the sealed office. */
const DISCLOSURE_PROTECT = ['public', 'all-but-owner'] as const;
export type DisclosureProtect = (typeof DISCLOSURE_PROTECT)[number];

/**
 * The disclosure rule (Geheimhaltung) of an indicator or a department's default: cells with
 * 1 … minFrequency−1 cases are withheld (zeros are shown), plus the cells that would let them be
 * recomputed. See docs/disclosure-control.md.
 */
export const disclosureSchema = z
  .object({
    minFrequency: z.number().int().min(1).max(1000),
    /** Width an attacker's interval must keep for each primary cell (default minFrequency). */
    protectionWidth: z.number().positive().optional(),
    /** Magnitude data: (n,k) rule or p % rule. */
    dominance: z
      .object({
        n: z.number().int().min(1).optional(),
        k: z.number().gt(0).max(100).optional(),
        p: z.number().gt(0).max(100).optional(),
      })
      .strict()
      .optional(),
    protect: z.enum(DISCLOSURE_PROTECT).optional(),
  })
  .strict();
export type DisclosureSetting = z.infer<typeof disclosureSchema>;

const componentRefSchema = z
  .object({
    indicator: key,
    /** Restricts the referenced indicator to breakdown members, e.g. { altersgruppe: "unter6" }. */
    filter: z.record(z.string(), z.string()).optional(),
  })
  .strict();
export type ComponentRef = z.infer<typeof componentRefSchema>;

export const indicatorSchema = z
  .object({
    key,
    name: z.string().min(1),
    description: z.string().optional(),
    unit: z.string().min(1),
    type: z.enum(INDICATOR_TYPES),
    dimensions: z.array(key).optional(),
    numerator: componentRefSchema.optional(),
    denominator: componentRefSchema.optional(),
    /** Factor applied to numerator/denominator, e.g. 100 for percent, 1000 for per mille. */
    scale: z.number().positive().optional(),
    polarity: z
      .string()
      .transform((s, ctx) => {
        const p = POLARITY_ALIASES[s.trim().toLowerCase()];
        if (!p) {
          ctx.addIssue({
            code: 'custom',
            message: `unknown polarity "${s}"; use higher_is_better, higher_is_worse or neutral`,
          });
          return z.NEVER;
        }
        return p;
      })
      .optional(),
    source: z.string().optional(),
    /** Key of the owning department (Fachbereich). */
    owner: z.string().optional(),
    confidentiality: z.enum(CONFIDENTIALITY).optional(),
    periodicity: z.enum(PERIODICITIES).optional(),
    /** A value whose base (the denominator for ratios, the value for counts) is below this is not shown. */
    minBase: z.number().nonnegative().optional(),
    methodology: z.string().optional(),
    themes: z.array(z.string().min(1)).optional(),
    /** Number of decimals for display. */
    decimals: z.number().int().min(0).max(6).optional(),
    /** A draft is visible only to the owner's stewards (and admins) until it is published. */
    draft: z.boolean().optional(),
    /** For restricted indicators: departments besides the owner that may read it. */
    departments: z.array(key).optional(),
    /** Disclosure control (Geheimhaltung): e.g. { "minFrequency": 3 }; default: the owning department's rule. */
    disclosure: disclosureSchema.optional(),
  })
  .strict()
  .superRefine((ind, ctx) => {
    if (ind.type === 'ratio' && (ind.numerator === undefined) !== (ind.denominator === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'a ratio needs both numerator and denominator, or neither (then values are imported directly with their base)',
      });
    }
    if (ind.type !== 'ratio' && (ind.numerator || ind.denominator)) {
      ctx.addIssue({ code: 'custom', message: `numerator/denominator only apply to type "ratio", not "${ind.type}"` });
    }
    const dims = ind.dimensions ?? [];
    if (new Set(dims).size !== dims.length) ctx.addIssue({ code: 'custom', message: 'dimensions are listed twice' });
  });

export type IndicatorDefinition = z.output<typeof indicatorSchema>;

/** A dimension (breakdown) with optional member labels, in catalogue order. */
const dimensionSchema = z
  .object({
    key,
    name: z.string().min(1),
    members: z
      .array(z.union([z.string(), z.object({ key: z.string().min(1), name: z.string().min(1) }).strict()]))
      .optional(),
  })
  .strict();
export type DimensionDefinition = z.output<typeof dimensionSchema>;

/** A catalogue file is an array of indicators, or an object with dimensions and indicators. */
export const catalogueListSchema = z.array(indicatorSchema);
export const catalogueObjectSchema = z
  .object({ dimensions: z.array(dimensionSchema).optional(), indicators: z.array(indicatorSchema) })
  .strict();
export const catalogueSchema = z.union([catalogueListSchema, catalogueObjectSchema]);

export interface Catalogue {
  dimensions: DimensionDefinition[];
  indicators: IndicatorDefinition[];
}

/** Whether a ratio is computed from other indicators (true) or stored directly with a base. */
export function isDerivedRatio(ind: { type: string; numerator?: ComponentRef | null }): boolean {
  return ind.type === 'ratio' && ind.numerator != null;
}
