// The cockpit (leadership dashboard): a list of tiles, validated with zod.
import { z } from 'zod';
import { KEY_PATTERN } from './indicators.ts';

const key = z.string().regex(KEY_PATTERN, 'must be a key (lower case letters, digits, "_")');

export const tileSchema = z
  .object({
    id: z.string().min(1).max(64),
    type: z.enum(['figure', 'map', 'gauge']),
    title: z.string().max(200).optional(),
    indicator: key,
    layer: key,
    /** figure/gauge: the area shown (default: the single area of the layer). */
    area: z.string().min(1).max(100).optional(),
    /** Default: the latest period with data. */
    period: z.string().max(40).optional(),
    filter: z.record(key, z.string().min(1).max(100)).optional(),
    /** gauge: green below amber, amber from amber, red from red (reversed when higher is better). */
    thresholds: z.object({ amber: z.number(), red: z.number() }).strict().optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.type === 'gauge' && !t.thresholds) ctx.addIssue({ code: 'custom', path: ['thresholds'], message: 'a gauge needs thresholds { amber, red }' });
  });

export const cockpitSchema = z
  .object({ tiles: z.array(tileSchema).max(100) })
  .strict()
  .superRefine((c, ctx) => {
    const ids = new Set<string>();
    c.tiles.forEach((t, i) => {
      if (ids.has(t.id)) ctx.addIssue({ code: 'custom', path: ['tiles', i, 'id'], message: `the tile id "${t.id}" is used twice` });
      ids.add(t.id);
    });
  });

export type Tile = z.infer<typeof tileSchema>;
export type Cockpit = z.infer<typeof cockpitSchema>;

export type GaugeLevel = 'green' | 'amber' | 'red';

/** The warning level of a value against a tile's thresholds, by the indicator's polarity. */
export function gaugeLevel(value: number, t: { amber: number; red: number }, polarity: string): GaugeLevel {
  if (polarity === 'higher_is_better') return value < t.red ? 'red' : value < t.amber ? 'amber' : 'green';
  return value >= t.red ? 'red' : value >= t.amber ? 'amber' : 'green';
}
