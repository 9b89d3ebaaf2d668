// Use cases: read and save the cockpit configuration (stored as a setting).
import type { Queryable } from '../store/db.ts';
import { readSetting, writeSetting } from '../store/settings.ts';
import { cockpitSchema, type Cockpit } from '../core/cockpit.ts';
import { Forbidden, InputRejected, Unauthorized, type Problem } from '../core/problems.ts';
import type { Principal } from '../core/access.ts';
import { readable } from './query.ts';
import { audit } from './audit.ts';
import { snapshot } from './snapshot.ts';

/** The cockpit, without the tiles whose indicator the principal may not read. */
export async function getCockpit(db: Queryable, who: Principal): Promise<Cockpit> {
  const cockpit = (await readSetting<Cockpit>(db, 'cockpit')) ?? { tiles: [] };
  const s = await snapshot(db);
  return { tiles: cockpit.tiles.filter((t) => who.kind === 'system' || (s.indicatorByKey.has(t.indicator) && readable(s, who, s.indicatorByKey.get(t.indicator)!))) };
}

/** Saves the cockpit: administrators and analysts configure it for leadership. */
export async function saveCockpit(db: Queryable, input: unknown, who: Principal): Promise<Cockpit> {
  if (who.kind === 'anonymous') throw new Unauthorized();
  if (who.kind === 'user' && who.role !== 'admin' && who.role !== 'analyst') throw new Forbidden('Only administrators and analysts may change the cockpit.');
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
  const unreadable = parsed.data.tiles.filter((t) => !readable(s, who, s.indicatorByKey.get(t.indicator)!));
  if (unreadable.length) throw new InputRejected(unreadable.map((t) => ({ severity: 'error' as const, code: 'unknown-indicator', reason: `the indicator "${t.indicator}" does not exist` })));
  await writeSetting(db, 'cockpit', parsed.data);
  await audit(db, who, { action: 'cockpit.save', objectType: 'setting', objectKey: 'cockpit', details: { tiles: parsed.data.tiles.length } });
  return parsed.data;
}

/**
 * The cockpit the demo city ships with: key figures, a map and warning gauges. Two gauges read
 * public yearly data (the demo's data end on 31.12.2024; at that date Arbeitslosenanteil 5,7 % and
 * 60 Kitaplätze je 100 Kinder stand at "Warnung"), so that the public sees the gauges the cockpit
 * advertises; the daily shelter gauge is internal (after sign-in) and its thresholds are those its
 * methodology names (yellow from 90 %, red from 97 %).
 */
export const DEMO_COCKPIT: Cockpit = {
  tiles: [
    { id: 'einwohner', type: 'figure', title: 'Einwohnerinnen und Einwohner', indicator: 'einwohner', layer: 'gesamtstadt', area: '0' },
    { id: 'notunterkuenfte', type: 'gauge', title: 'Auslastung der Notunterkünfte (täglich)', indicator: 'auslastung_notunterkuenfte', layer: 'gesamtstadt', area: '0', thresholds: { amber: 90, red: 97 } },
    { id: 'arbeitslose', type: 'map', title: 'Arbeitslosenanteil nach Stadtteilen', indicator: 'arbeitslose_anteil', layer: 'stadtteil' },
    { id: 'kinderarmut', type: 'figure', title: 'Kinderarmut', indicator: 'kinderarmut_anteil', layer: 'gesamtstadt', area: '0' },
    { id: 'arbeitslose_warnung', type: 'gauge', title: 'Arbeitslosenanteil (Gesamtstadt)', indicator: 'arbeitslose_anteil', layer: 'gesamtstadt', area: '0', thresholds: { amber: 5.5, red: 7 } },
    { id: 'kita_warnung', type: 'gauge', title: 'Kitaplätze je 100 Kinder unter 6 Jahren', indicator: 'kita_versorgung_u6', layer: 'gesamtstadt', area: '0', thresholds: { amber: 65, red: 55 } },
  ],
};
