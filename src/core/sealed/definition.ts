// The definition of a sealed run (Statistikstelle): which records file columns give the address
// and the breakdowns, which count indicator receives the counts, for which period, and the
// disclosure rule. Pure: validated with zod, problems positioned through a locate function, and
// no problem ever carries a value of a record (a definition holds column names, bands and
// mappings, never records). Format: docs/sealed-office.md.
import { z } from 'zod';
import {
  indicatorSchema,
  disclosureSchema,
  isValidKey,
  KEY_MAX_LENGTH,
  type DisclosureSetting,
  type IndicatorDefinition,
} from '../indicators.ts';
import { parsePeriod, type Period } from '../periods.ts';
import type { Problem } from '../problems.ts';

const key = z
  .string()
  .max(KEY_MAX_LENGTH)
  .regex(/^[a-z][a-z0-9_]*$/, 'must be lower case letters, digits and "_", starting with a letter');
const column = z.string().trim().min(1, 'must name a column of the records file').max(200);
const member = z.string().trim().min(1, 'must not be empty').max(100);

/** One age band: [from, to) in completed years at the reference date, and its member key. */
const band = z.tuple([z.number().int().min(0).max(150), z.number().int().min(1).max(200), member]);

const breakdownSchema = z
  .object({
    /** The column the members are derived from. */
    from: column,
    /** Age bands from a date of birth: [[0, 6, "unter6"], [6, 10, "6-10"], …]. */
    bands: z.array(band).min(1).max(200).optional(),
    /** Cell text → member ({"w": "weiblich", …}); matched exactly, then ignoring case. */
    map: z.record(z.string(), member).optional(),
    /** Name of the dimension when it is new (default: its key). */
    name: z.string().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if ((b.bands === undefined) === (b.map === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'a breakdown derives its members either from "bands" (age from a date of birth) or from "map" (a categorical column), exactly one of them',
      });
      return;
    }
    if (b.bands) {
      const sorted = b.bands.map((x, i) => ({ x, i })).sort((a, c) => a.x[0] - c.x[0]);
      b.bands.forEach(([from, to], i) => {
        if (to <= from)
          ctx.addIssue({
            code: 'custom',
            path: ['bands', i],
            message: `the band [${from}, ${to}) is empty: "to" must be greater than "from"`,
          });
      });
      for (let k = 1; k < sorted.length; k++) {
        if (sorted[k].x[0] < sorted[k - 1].x[1])
          ctx.addIssue({
            code: 'custom',
            path: ['bands', sorted[k].i],
            message: `the band [${sorted[k].x[0]}, ${sorted[k].x[1]}) overlaps [${sorted[k - 1].x[0]}, ${sorted[k - 1].x[1]})`,
          });
      }
      const seen = new Set<string>();
      b.bands.forEach(([, , m], i) => {
        if (seen.has(m))
          ctx.addIssue({ code: 'custom', path: ['bands', i, 2], message: `the member "${m}" is named by two bands` });
        seen.add(m);
      });
    }
    if (b.map && Object.keys(b.map).length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['map'],
        message: 'the map is empty: give at least one "cell text": "member" pair',
      });
  });

const addressSchema = z
  .object({
    /** One free-text column ("Ackerstr. 12a, 10115 Berlin"). */
    column: column.optional(),
    /** Or separate columns (the street column may hold the number too). */
    street: column.optional(),
    number: column.optional(),
    postcode: column.optional(),
    /** Or coordinates, in any supported CRS (default EPSG:4326). */
    x: column.optional(),
    y: column.optional(),
    crs: z.string().min(1).max(40).optional(),
    /** A given postcode must match (default: a unique address in another postcode matches with lower confidence). */
    strictPostcode: z.boolean().optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    const kinds = [a.column !== undefined, a.street !== undefined, a.x !== undefined || a.y !== undefined].filter(
      Boolean,
    ).length;
    if (kinds !== 1)
      ctx.addIssue({
        code: 'custom',
        message:
          'name the address by exactly one of: "column" (one free-text column), "street" (with "number" and "postcode"), or "x" and "y" (coordinates)',
      });
    if ((a.x === undefined) !== (a.y === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [a.x === undefined ? 'x' : 'y'],
        message: 'coordinates need both "x" and "y"',
      });
    if ((a.number !== undefined || a.postcode !== undefined) && a.street === undefined)
      ctx.addIssue({
        code: 'custom',
        path: [a.number !== undefined ? 'number' : 'postcode'],
        message: '"number" and "postcode" go with "street"',
      });
    if (a.crs !== undefined && a.x === undefined)
      ctx.addIssue({ code: 'custom', path: ['crs'], message: '"crs" goes with "x" and "y"' });
  });

const sealedDefinitionSchema = z
  .object({
    key,
    name: z.string().min(1).max(200).optional(),
    description: z.string().max(4000).optional(),
    /** The target count indicator (created, or updated when it exists), owned by the department that delivered the records. */
    indicator: z.unknown(),
    period: z.string().min(1).max(40),
    /** Date at which ages are taken and against which the address register and the boundaries are chosen (default: the period's end). */
    referenceDate: z.string().min(1).max(40).optional(),
    address: addressSchema,
    breakdowns: z.record(key, breakdownSchema).optional(),
    /** Layers to store counts on (default: the finest layer of each hierarchy and every overlay layer the register assigns). */
    layers: z.array(key).min(1).optional(),
    /** Refuse the run when more than this share (0 … 1) of the records cannot be assigned. */
    maxUnassignedShare: z.number().min(0).max(1).optional(),
    /** The disclosure rule of the indicator (applied by disclosure control to everything published). */
    disclosure: disclosureSchema.optional(),
  })
  .strict();

export type Breakdown = { dimension: string; name?: string; from: string } & (
  { kind: 'bands'; bands: [number, number, string][] } | { kind: 'map'; map: Record<string, string> }
);

export interface SealedDefinition {
  key: string;
  name?: string;
  description?: string;
  indicator: IndicatorDefinition;
  period: Period;
  /** ISO date. */
  referenceDate: string;
  address: z.output<typeof addressSchema>;
  breakdowns: Breakdown[];
  layers?: string[];
  maxUnassignedShare?: number;
  disclosure?: DisclosureSetting;
  /** The definition as given (stored as the definition's version). */
  source: Record<string, unknown>;
}

/** Where a path of the definition stands in its file (JSON/YAML: line and column). */
export type Locate = (path: readonly (string | number)[]) => { line: number; column?: number | string } | undefined;

/** The nearest located position of a path or of its enclosing entries. */
function nearest(
  locate: Locate | undefined,
  path: readonly (string | number)[],
): { line?: number; column?: number | string } {
  if (!locate) return {};
  for (let n = path.length; n >= 0; n--) {
    const at = locate(path.slice(0, n));
    if (at) return at;
  }
  return {};
}

function problemsOf(
  issues: z.ZodError['issues'],
  file: string,
  locate: Locate | undefined,
  prefix: (string | number)[] = [],
): Problem[] {
  return issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? ((issue as { keys?: string[] }).keys ?? []) : [];
    const path = [...prefix, ...(issue.path as (string | number)[]), ...keys.slice(0, 1)];
    const field = path
      .map((p) => (typeof p === 'number' ? `[${p}]` : p))
      .join('.')
      .replace(/\.\[/g, '[');
    const at = nearest(locate, path);
    return {
      severity: 'error' as const,
      code: 'invalid-definition',
      file,
      line: at.line,
      column: at.column ?? (field || undefined),
      reason: `${field ? `"${field}": ` : ''}${issue.message}`,
      hint: 'see docs/sealed-office.md for the fields of a sealed definition',
    };
  });
}

/** A date of birth or a reference date: dd.mm.yyyy, d.m.yyyy, yyyy-mm-dd (a time after the date is ignored). ISO date or null. */
export function parseCalendarDate(text: string): string | null {
  const t = text.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(t);
  const p = parsePeriod(iso ? iso[1] : t);
  return p && p.type === 'date' ? p.key : null;
}

/**
 * Validates a parsed definition (JSON or YAML data). Every problem has the position of its field
 * in the file when `locate` is given, and names fields, never values of records.
 */
export function parseSealedDefinition(
  data: unknown,
  file: string,
  locate?: Locate,
): { definition: SealedDefinition | null; problems: Problem[] } {
  const parsed = sealedDefinitionSchema.safeParse(data);
  if (!parsed.success) return { definition: null, problems: problemsOf(parsed.error.issues, file, locate) };
  const d = parsed.data;
  const problems: Problem[] = [];
  const error = (path: (string | number)[], reason: string, hint?: string) => {
    const at = nearest(locate, path);
    problems.push({
      severity: 'error',
      code: 'invalid-definition',
      file,
      line: at.line,
      column: at.column ?? path.join('.'),
      reason,
      hint: hint ?? 'see docs/sealed-office.md',
    });
  };
  const ind = indicatorSchema.safeParse(d.indicator);
  if (!ind.success) problems.push(...problemsOf(ind.error.issues, file, locate, ['indicator']));
  const breakdowns: Breakdown[] = Object.entries(d.breakdowns ?? {}).map(([dimension, b]) =>
    b.bands
      ? { dimension, name: b.name, from: b.from, kind: 'bands', bands: b.bands }
      : { dimension, name: b.name, from: b.from, kind: 'map', map: b.map! },
  );
  let indicator: IndicatorDefinition | null = null;
  if (ind.success) {
    indicator = { ...ind.data };
    if (indicator.type !== 'count')
      error(
        ['indicator', 'type'],
        `the indicator must be of type "count", not "${indicator.type}": the sealed pipeline counts records`,
      );
    if (!indicator.owner)
      error(
        ['indicator'],
        'the indicator needs an "owner": the department that delivered the records',
        'e.g. "owner": "jugendamt"',
      );
    const dims = indicator.dimensions ?? breakdowns.map((b) => b.dimension);
    const named = new Set(breakdowns.map((b) => b.dimension));
    if (dims.length !== named.size || dims.some((x) => !named.has(x))) {
      error(
        ['indicator', 'dimensions'],
        `the indicator's dimensions (${dims.join(', ') || 'none'}) must be the breakdowns of the definition (${[...named].join(', ') || 'none'})`,
        'every breakdown is a dimension of the indicator, and every dimension needs a breakdown',
      );
    }
    indicator.dimensions = dims;
    if (d.disclosure && indicator.disclosure && JSON.stringify(d.disclosure) !== JSON.stringify(indicator.disclosure)) {
      error(
        ['disclosure'],
        'the disclosure rule is given twice, differently (at the top and in "indicator")',
        'give it once',
      );
    }
    indicator.disclosure = d.disclosure ?? indicator.disclosure;
    const nz = `${indicator.key}${UNASSIGNABLE_SUFFIX}`;
    if (!isValidKey(nz))
      error(
        ['indicator', 'key'],
        `the indicator key is too long: "${nz}" (its count of unassignable records) must be at most ${KEY_MAX_LENGTH} characters`,
      );
  }
  const period = parsePeriod(d.period);
  if (!period) error(['period'], `"${d.period}" is not a period`, 'e.g. 2024, 2024-07-31, 2023/24, 2024-Q2');
  let referenceDate: string | null = period ? period.end : null;
  if (d.referenceDate !== undefined) {
    referenceDate = parseCalendarDate(d.referenceDate);
    if (!referenceDate)
      error(['referenceDate'], `"${d.referenceDate}" is not a calendar date`, 'write e.g. 2024-07-31 or 31.07.2024');
  }
  const columns = new Map<string, (string | number)[]>();
  for (const b of breakdowns) {
    const prior = columns.get(b.from);
    if (prior) error(['breakdowns', b.dimension, 'from'], `the column "${b.from}" is used by two breakdowns`);
    columns.set(b.from, ['breakdowns', b.dimension, 'from']);
  }
  if (problems.length || !indicator || !period || !referenceDate) return { definition: null, problems };
  return {
    definition: {
      key: d.key,
      name: d.name,
      description: d.description,
      indicator,
      period,
      referenceDate,
      address: d.address,
      breakdowns,
      layers: d.layers,
      maxUnassignedShare: d.maxUnassignedShare,
      disclosure: indicator.disclosure,
      source: data as Record<string, unknown>,
    },
    problems: [],
  };
}

/** The count indicator of the records that could not be assigned, by reason: `<indicator>_nicht_zuordenbar`. */
export const UNASSIGNABLE_SUFFIX = '_nicht_zuordenbar';
/** Its dimension: the reason. */
export const UNASSIGNABLE_DIMENSION = 'zuordnungsgrund';
