// The cockpit (leadership dashboard): a list of tiles, validated with zod.
import { z } from 'zod';
import { KEY_PATTERN } from './indicators.ts';

const key = z.string().regex(KEY_PATTERN, 'must be a key (lower case letters, digits, "_")');

const indicatorTileSchema = z
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
  .strict();

/**
 * The measures registry as a figure for leadership: the measures running today (of a field of
 * action and target group), and with a need (an indicator of classes, or priority:KEY) on a layer
 * the coverage of the target group in the high-need areas and the number of gaps.
 */
const measuresTileSchema = z
  .object({
    id: z.string().min(1).max(64),
    type: z.literal('measures'),
    title: z.string().max(200).optional(),
    field: z.string().min(1).max(100).optional(),
    targetGroup: z.string().min(1).max(100).optional(),
    layer: key.optional(),
    need: z.string().min(1).max(120).optional(),
    classes: z.array(z.string().min(1).max(100)).max(20).optional(),
  })
  .strict();

const tileSchema = z.discriminatedUnion('type', [indicatorTileSchema, measuresTileSchema]).superRefine((t, ctx) => {
  if (t.type === 'gauge' && !t.thresholds)
    ctx.addIssue({ code: 'custom', path: ['thresholds'], message: 'a gauge needs thresholds { amber, red }' });
  if (t.type === 'measures' && t.need && !t.layer)
    ctx.addIssue({ code: 'custom', path: ['layer'], message: 'a need is read on a layer: give "layer"' });
  if (t.type === 'measures' && t.classes?.length && !t.need)
    ctx.addIssue({ code: 'custom', path: ['classes'], message: 'classes belong to a need: give "need"' });
});

export const cockpitSchema = z
  .object({ tiles: z.array(tileSchema).max(100) })
  .strict()
  .superRefine((c, ctx) => {
    const ids = new Set<string>();
    c.tiles.forEach((t, i) => {
      if (ids.has(t.id))
        ctx.addIssue({ code: 'custom', path: ['tiles', i, 'id'], message: `the tile id "${t.id}" is used twice` });
      ids.add(t.id);
    });
  });

export type Tile = z.infer<typeof tileSchema>;
export type IndicatorTile = z.infer<typeof indicatorTileSchema>;
export type MeasuresTile = z.infer<typeof measuresTileSchema>;
export type Cockpit = z.infer<typeof cockpitSchema>;

export type GaugeLevel = 'green' | 'amber' | 'red';

/** The warning level of a value against a tile's thresholds, by the indicator's polarity. */
export function gaugeLevel(value: number, t: { amber: number; red: number }, polarity: string): GaugeLevel {
  if (polarity === 'higher_is_better') return value < t.red ? 'red' : value < t.amber ? 'amber' : 'green';
  return value >= t.red ? 'red' : value >= t.amber ? 'amber' : 'green';
}
