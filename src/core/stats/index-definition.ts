// The definition of a composite index (issue #5), validated with zod. The JSON example of the issue is
// accepted exactly as written; everything the issue names beyond it has a documented default.
// Method choices are explained in docs/methods-indices.md.
import { z } from 'zod';
import { parsePeriod } from '../periods.ts';
import { InputRejected, type Problem } from '../problems.ts';

const KEY_PATTERN = /^[a-z][a-z0-9_]*$/;
const key = z.string().regex(KEY_PATTERN, 'must be lower case letters, digits and "_", starting with a letter');

const SD_KINDS = ['population', 'sample'] as const;
const CLOSED_SIDES = ['left', 'right', 'centre'] as const;
export type ClosedSide = (typeof CLOSED_SIDES)[number];

/** Default tolerance when comparing a score with a break (absorbs floating-point noise, see docs). */
const DEFAULT_BREAK_TOLERANCE = 1e-9;

const componentSchema = z
  .object({
    /** Indicator key of the input. */
    indicator: key,
    /** Positive weight; default 1. */
    weight: z.number().positive('must be greater than 0').default(1),
    /** 1: a higher value means more need (enters as is); −1: a higher value means less need (sign flipped). */
    direction: z.union([z.literal(1), z.literal(-1)], { error: 'must be 1 or -1' }),
    /** Display name (optional; the catalogue name is used otherwise). */
    name: z.string().min(1).optional(),
    /**
     * Period of this input when it differs from the index's: "within" takes the indicator's latest
     * period that ends within the index's period (the Stichtag 2023-12-31 for the school year
     * 2023/24); a period key fixes it. Default: the index's period.
     */
    period: z
      .string()
      .min(1, 'must not be empty')
      .refine((p) => p === COMPONENT_PERIOD_WITHIN || parsePeriod(p) !== null, {
        message: 'must be "within" or a period such as 2023-12-31, 2023 or 2023/24',
      })
      .optional(),
  })
  .strict();

/** Component period keyword: the latest period of the input that ends within the index's period. */
export const COMPONENT_PERIOD_WITHIN = 'within';

const sdKind = z.enum(SD_KINDS, { error: 'must be "population" or "sample"' });

const transformSchema = z.discriminatedUnion(
  'method',
  [
    /** (x − mean) / sd across the valid areas. */
    z.object({ method: z.literal('zscore'), sd: sdKind.default('population') }).strict(),
    /** (x − min) / (max − min) across the valid areas, in [0, 1]. */
    z.object({ method: z.literal('minmax') }).strict(),
    /** (average rank − 1) / (n − 1) across the valid areas, in [0, 1]. */
    z.object({ method: z.literal('percentile') }).strict(),
  ],
  { error: 'must be "zscore", "minmax" or "percentile"' },
);

/** "center" is accepted as a spelling of "centre". */
const closed = z.preprocess(
  (v) => (v === 'center' ? 'centre' : v),
  z.enum(CLOSED_SIDES, { error: 'must be "left", "right" or "centre"' }),
);

const tolerance = z.number().min(0, 'must be 0 or more').default(DEFAULT_BREAK_TOLERANCE);

function increasing(breaks: number[]): boolean {
  for (let i = 1; i < breaks.length; i++) if (!(breaks[i] > breaks[i - 1])) return false;
  return true;
}

const breaks = z.array(z.number()).min(1, 'needs at least one break').refine(increasing, 'must be strictly increasing');
const labels = z.array(z.string().min(1, 'must not be empty'));

const breakClasses = (method: 'thresholds' | 'manual', defaultClosed: ClosedSide) =>
  z
    .object({
      method: z.literal(method),
      breaks,
      labels,
      /**
       * Which class a score equal to a break falls into: "right" — intervals (a, b], the class below
       * the break (R's cut(right = TRUE)); "left" — intervals [a, b), the class above; "centre" — the
       * class on the side of `centre` (breaks below the centre belong to the class above them, breaks
       * at or above it to the class below), which reproduces the MSS wording (−1 and +1 are "mittel").
       */
      closed: closed.default(defaultClosed),
      /** Reference point of closed = "centre"; 0 for standardised scores. */
      centre: z.number().default(0),
      tolerance,
    })
    .strict();

const classesSchema = z
  .discriminatedUnion(
    'method',
    [
      /** Breaks on the score, typically in standard deviations (MSS: −1, 1, 1.5). Default closed: "centre". */
      breakClasses('thresholds', 'centre'),
      /** Breaks chosen by hand on any scale. Default closed: "right" (as R's cut). */
      breakClasses('manual', 'right'),
      /** n classes of (about) equal size: breaks are R's type-7 quantiles of the valid scores at i/n. */
      z
        .object({
          method: z.literal('quantiles'),
          n: z.number().int('must be a whole number').min(2, 'must be at least 2').max(100, 'must be at most 100'),
          labels: labels.optional(),
          closed: closed.default('right'),
          centre: z.number().default(0),
          tolerance,
        })
        .strict(),
    ],
    { error: 'must be "thresholds", "quantiles" or "manual"' },
  )
  .superRefine((c, ctx) => {
    const expected = c.method === 'quantiles' ? c.n : c.breaks.length + 1;
    if (c.labels && c.labels.length !== expected) {
      const why = c.method === 'quantiles' ? `n = ${c.n}` : `${c.breaks.length} break(s)`;
      ctx.addIssue({
        code: 'custom',
        path: ['labels'],
        message: `needs ${expected} labels for ${why}, got ${c.labels.length}`,
      });
    }
  });

const exclusionSchema = z
  .object({
    /** Areas whose base (e.g. inhabitants) is below `min` are excluded; `min` itself is kept. */
    minBase: z.object({ indicator: key, min: z.number() }).strict().optional(),
    /** Areas excluded by name, each with the reason shown in the result. */
    areas: z
      .array(
        z
          .object({ code: z.string().min(1, 'must not be empty'), reason: z.string().min(1, 'must state a reason') })
          .strict(),
      )
      .default([]),
  })
  .strict();

const indexDefinitionSchema = z
  .object({
    key,
    name: z.string().min(1, 'must not be empty'),
    description: z.string().optional(),
    /** Version of the definition (assigned when stored). */
    version: z.number().int().positive().optional(),
    /** Layer key of the areas, e.g. "planungsraum". */
    layer: z.string().min(1, 'must not be empty'),
    /** Period of the inputs, e.g. "2020-12-31". */
    period: z.string().min(1, 'must not be empty'),
    /**
     * A dynamics index: the inputs are changes from `from` to `period` (value at period minus value at
     * from; percentage points for shares), computed with changes() before the index.
     */
    change: z
      .object({ from: z.string().min(1, 'must not be empty') })
      .strict()
      .optional(),
    components: z.array(componentSchema).min(1, 'needs at least one component'),
    transform: transformSchema.default({ method: 'zscore', sd: 'population' }),
    /** "sum": Σ weight·direction·value; "mean": the same divided by Σ weight. */
    combine: z.enum(['sum', 'mean'], { error: 'must be "sum" or "mean"' }).default('sum'),
    /**
     * Standardise the combined score again across the valid areas. true: with the sd of the transform
     * (population unless the transform is a z-score with sample sd); or name the sd explicitly.
     */
    restandardize: z
      .union([z.boolean(), z.object({ sd: sdKind }).strict()], {
        error: 'must be true, false or { "sd": "population" | "sample" }',
      })
      .default(false),
    classes: classesSchema.optional(),
    exclude: exclusionSchema.default({ areas: [] }),
    /** "exclude": an area with a missing input gets no score; "mean": the mean of the valid areas is imputed and noted. */
    missing: z.enum(['exclude', 'mean'], { error: 'must be "exclude" or "mean"' }).default('exclude'),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Map<string, number>();
    d.components.forEach((c, i) => {
      const first = seen.get(c.indicator);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['components', i, 'indicator'],
          message: `"${c.indicator}" is already component ${first}`,
        });
      else seen.set(c.indicator, i);
    });
    if (d.change)
      d.components.forEach((c, i) => {
        if (c.period !== undefined && c.period !== COMPONENT_PERIOD_WITHIN)
          ctx.addIssue({
            code: 'custom',
            path: ['components', i, 'period'],
            message: `a fixed period cannot be used in a dynamics index (change); use "within" or leave it out`,
          });
      });
    const codes = new Map<string, number>();
    d.exclude.areas.forEach((a, i) => {
      const first = codes.get(a.code);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['exclude', 'areas', i, 'code'],
          message: `"${a.code}" is already excluded at exclude.areas.${first}`,
        });
      else codes.set(a.code, i);
    });
  });

export type IndexDefinitionInput = z.input<typeof indexDefinitionSchema>;
export type IndexDefinition = z.output<typeof indexDefinitionSchema>;
export type IndexClasses = z.output<typeof classesSchema>;
export type IndexClassesInput = z.input<typeof classesSchema>;

/**
 * Validates a definition and fills the defaults. Throws InputRejected whose problems name the field
 * (`column` is the dotted path, e.g. "classes.labels" or "components.1.direction").
 */
export function parseIndexDefinition(input: unknown, file?: string): IndexDefinition {
  const parsed = indexDefinitionSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw rejection(parsed.error.issues, 'index definition', file);
}

/** Validates a classification on its own (for classify()). */
export function parseClasses(input: unknown): IndexClasses {
  const parsed = classesSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw rejection(parsed.error.issues, 'classes');
}

function rejection(issues: z.core.$ZodIssue[], what: string, file?: string): InputRejected {
  const problems: Problem[] = issues.map((i) => {
    let path = i.path.map(String).join('.');
    // An unknown field is named as the field itself, e.g. "classes.colour: unknown field".
    if (i.code === 'unrecognized_keys') {
      path = i.keys.map((k) => (path ? `${path}.${k}` : k)).join(', ');
      return {
        severity: 'error',
        code: 'invalid-index-definition',
        file,
        column: path,
        reason: `${path}: unknown field`,
      };
    }
    return {
      severity: 'error',
      code: 'invalid-index-definition',
      file,
      column: path || undefined,
      reason: `${path || what}: ${i.message}`,
    };
  });
  return new InputRejected(problems, `Invalid ${what}: ${problems.map((p) => p.reason).join('; ')}`);
}

/** Effective sd of the second standardisation, or null when there is none. */
export function restandardizeSd(def: IndexDefinition): 'population' | 'sample' | null {
  if (def.restandardize === false) return null;
  if (def.restandardize === true) return def.transform.method === 'zscore' ? def.transform.sd : 'population';
  return def.restandardize.sd;
}
