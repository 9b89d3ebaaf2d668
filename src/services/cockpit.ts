// Use cases: read and save the cockpit configuration (stored as a setting).
import type { Queryable } from '../store/db.ts';
import { readSetting, writeSetting } from '../store/settings.ts';
import { cockpitSchema, type Cockpit, type Tile } from '../core/cockpit.ts';
import { loadVocabulary, selectPriorityVersions } from '../store/measures.ts';
import { Forbidden, InputRejected, Unauthorized, type Problem } from '../core/problems.ts';
import type { Principal } from '../core/access.ts';
import { readable } from './query.ts';
import { audit } from './audit.ts';
import { snapshot } from './snapshot.ts';
import { coded } from '../contracts/codes/index.ts';

/** The indicator a tile reads, if any: its own, or a measures tile's need (not priority:KEY). */
function indicatorOfTile(t: Tile): string | undefined {
  if (t.type !== 'measures') return t.indicator;
  return t.need && !t.need.startsWith('priority:') ? t.need : undefined;
}

/** The cockpit, without the tiles whose indicator the principal may not read. */
export async function getCockpit(db: Queryable, who: Principal): Promise<Cockpit> {
  const cockpit = (await readSetting<Cockpit>(db, 'cockpit')) ?? { tiles: [] };
  const s = await snapshot(db);
  const may = (t: Tile) => {
    const key = indicatorOfTile(t);
    return key === undefined || (s.indicatorByKey.has(key) && readable(s, who, s.indicatorByKey.get(key)!));
  };
  return { tiles: cockpit.tiles.filter((t) => who.kind === 'system' || may(t)) };
}

/** Saves the cockpit: administrators and analysts configure it for leadership. */
export async function saveCockpit(db: Queryable, input: unknown, who: Principal): Promise<Cockpit> {
  if (who.kind === 'anonymous') throw new Unauthorized();
  if (who.kind === 'user' && who.role !== 'admin' && who.role !== 'analyst')
    throw new Forbidden(coded('cockpit-change-forbidden'));
  const parsed = cockpitSchema.safeParse(input);
  if (!parsed.success) {
    const problems: Problem[] = parsed.error.issues.map((i) => ({
      severity: 'error',
      code: 'invalid-cockpit',
      column: i.path.join('.'),
      reason: `${i.path.join('.') || 'cockpit'}: ${i.message}`,
    }));
    throw new InputRejected(problems, `The cockpit was not saved: ${problems.map((p) => p.reason).join('; ')}`);
  }
  const s = await snapshot(db);
  const problems: Problem[] = [];
  const vocab = parsed.data.tiles.some((t) => t.type === 'measures') ? await loadVocabulary(db) : [];
  for (const [i, t] of parsed.data.tiles.entries()) {
    const indicator = indicatorOfTile(t);
    const column = t.type === 'measures' ? 'need' : 'indicator';
    if (
      indicator !== undefined &&
      !(s.indicatorByKey.has(indicator) && readable(s, who, s.indicatorByKey.get(indicator)!))
    )
      problems.push({
        severity: 'error',
        code: 'unknown-indicator',
        column: `tiles.${i}.${column}`,
        value: indicator,
        reason: `tiles.${i}: the indicator "${indicator}" does not exist`,
      });
    if (t.layer !== undefined && !s.layerByKey.has(t.layer))
      problems.push({
        severity: 'error',
        code: 'unknown-layer',
        column: `tiles.${i}.layer`,
        value: t.layer,
        reason: `tiles.${i}: the layer "${t.layer}" does not exist`,
      });
    if (t.type !== 'measures') continue;
    if (t.field && !vocab.some((v) => v.kind === 'handlungsfeld' && v.code === t.field))
      problems.push({
        severity: 'error',
        code: 'unknown-field',
        column: `tiles.${i}.field`,
        value: t.field,
        reason: `tiles.${i}: "${t.field}" is not a field of action`,
        hint: vocab
          .filter((v) => v.kind === 'handlungsfeld')
          .map((v) => v.code)
          .join(', '),
      });
    if (t.targetGroup && !vocab.some((v) => v.kind === 'zielgruppe' && v.code === t.targetGroup))
      problems.push({
        severity: 'error',
        code: 'unknown-target-group',
        column: `tiles.${i}.targetGroup`,
        value: t.targetGroup,
        reason: `tiles.${i}: "${t.targetGroup}" is not a target group`,
        hint: vocab
          .filter((v) => v.kind === 'zielgruppe')
          .map((v) => v.code)
          .join(', '),
      });
    if (t.need?.startsWith('priority:') && !(await selectPriorityVersions(db, t.need.slice('priority:'.length))).length)
      problems.push({
        severity: 'error',
        code: 'unknown-priority-areas',
        column: `tiles.${i}.need`,
        value: t.need,
        reason: `tiles.${i}: there are no priority areas "${t.need.slice('priority:'.length)}"`,
      });
  }
  if (problems.length)
    throw new InputRejected(problems, `The cockpit was not saved: ${problems.map((p) => p.reason).join('; ')}`);
  await writeSetting(db, 'cockpit', parsed.data);
  await audit(db, who, {
    action: 'cockpit.save',
    objectType: 'setting',
    objectKey: 'cockpit',
    details: { tiles: parsed.data.tiles.length },
  });
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
    {
      id: 'einwohner',
      type: 'figure',
      title: 'Einwohnerinnen und Einwohner',
      indicator: 'einwohner',
      layer: 'gesamtstadt',
      area: '0',
    },
    {
      id: 'notunterkuenfte',
      type: 'gauge',
      title: 'Auslastung der Notunterkünfte (täglich)',
      indicator: 'auslastung_notunterkuenfte',
      layer: 'gesamtstadt',
      area: '0',
      thresholds: { amber: 90, red: 97 },
    },
    {
      id: 'arbeitslose',
      type: 'map',
      title: 'Arbeitslosenanteil nach Stadtteilen',
      indicator: 'arbeitslose_anteil',
      layer: 'stadtteil',
    },
    {
      id: 'kinderarmut',
      type: 'figure',
      title: 'Kinderarmut',
      indicator: 'kinderarmut_anteil',
      layer: 'gesamtstadt',
      area: '0',
    },
    {
      id: 'arbeitslose_warnung',
      type: 'gauge',
      title: 'Arbeitslosenanteil (Gesamtstadt)',
      indicator: 'arbeitslose_anteil',
      layer: 'gesamtstadt',
      area: '0',
      thresholds: { amber: 5.5, red: 7 },
    },
    { id: 'massnahmen', type: 'measures', title: 'Laufende Maßnahmen und Projekte' },
    {
      id: 'kita_warnung',
      type: 'gauge',
      title: 'Kitaplätze je 100 Kinder unter 6 Jahren',
      indicator: 'kita_versorgung_u6',
      layer: 'gesamtstadt',
      area: '0',
      thresholds: { amber: 65, red: 55 },
    },
  ],
};
