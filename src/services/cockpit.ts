// Use cases: read and save the cockpit configuration (stored as a setting).
import type { Queryable } from '../store/db.ts';
import { cockpitSchema, type Cockpit } from '../core/cockpit.ts';
import { InputRejected, type Problem } from '../core/problems.ts';
import { snapshot } from './snapshot.ts';

export async function getCockpit(db: Queryable): Promise<Cockpit> {
  const { rows } = await db.query<{ value: Cockpit }>(`SELECT value FROM setting WHERE key = 'cockpit'`);
  return rows[0]?.value ?? { tiles: [] };
}

export async function saveCockpit(db: Queryable, input: unknown): Promise<Cockpit> {
  const parsed = cockpitSchema.safeParse(input);
  if (!parsed.success) {
    const problems: Problem[] = parsed.error.issues.map((i) => ({ severity: 'error', code: 'invalid-cockpit', column: i.path.join('.'), reason: `${i.path.join('.') || 'cockpit'}: ${i.message}` }));
    throw new InputRejected(problems, `The cockpit was not saved: ${problems.map((p) => p.reason).join('; ')}`);
  }
  const s = await snapshot(db);
  const problems: Problem[] = [];
  parsed.data.tiles.forEach((t, i) => {
    if (!s.indicatorByKey.has(t.indicator)) problems.push({ severity: 'error', code: 'unknown-indicator', column: `tiles.${i}.indicator`, value: t.indicator, reason: `tiles.${i}: the indicator "${t.indicator}" does not exist` });
    if (!s.layerByKey.has(t.layer)) problems.push({ severity: 'error', code: 'unknown-layer', column: `tiles.${i}.layer`, value: t.layer, reason: `tiles.${i}: the layer "${t.layer}" does not exist` });
  });
  if (problems.length) throw new InputRejected(problems, `The cockpit was not saved: ${problems.map((p) => p.reason).join('; ')}`);
  await db.query(`INSERT INTO setting (key, value) VALUES ('cockpit', $1) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`, [JSON.stringify(parsed.data)]);
  return parsed.data;
}

/** The cockpit the demo city ships with. */
export const DEMO_COCKPIT: Cockpit = {
  tiles: [
    { id: 'einwohner', type: 'figure', title: 'Einwohnerinnen und Einwohner', indicator: 'einwohner', layer: 'gesamtstadt', area: '0' },
    { id: 'notunterkuenfte', type: 'gauge', title: 'Auslastung der Notunterkünfte (täglich)', indicator: 'auslastung_notunterkuenfte', layer: 'gesamtstadt', area: '0', thresholds: { amber: 85, red: 95 } },
    { id: 'arbeitslose', type: 'map', title: 'Arbeitslosenanteil nach Stadtteilen', indicator: 'arbeitslose_anteil', layer: 'stadtteil' },
    { id: 'kinderarmut', type: 'figure', title: 'Kinderarmut', indicator: 'kinderarmut_anteil', layer: 'gesamtstadt', area: '0' },
  ],
};
