// Which indicators and layers a principal may read, and the periods an indicator has data for:
// the access checks every read use case starts with (query.ts, disclosure.ts, catalogue-read.ts …).
import type { Queryable } from '../store/db.ts';
import type { IndicatorRow, LayerRow, PeriodRow } from '../store/catalog.ts';
import { isDerivedRatio } from '../core/indicators.ts';
import { NotFound, Unauthorized } from '../core/problems.ts';
import { canRead, combineGuards, type Guarded, type Principal } from '../core/access.ts';
import { audit } from './audit.ts';
import type { Snapshot } from './snapshot.ts';
import { coded } from '../contracts/codes/index.ts';

export function requireIndicator(s: Snapshot, key: string): IndicatorRow {
  const i = s.indicatorByKey.get(key);
  if (!i) throw new NotFound(coded('indicator-not-found', { indicator: key }));
  return i;
}

function guardOfRow(i: IndicatorRow): Guarded {
  return { key: i.key, confidentiality: i.confidentiality, owner: i.owner, departments: i.departments, draft: i.draft };
}

/** An indicator's access guard; a derived ratio is as restricted as its most restricted input. */
export function guardOf(s: Snapshot, i: IndicatorRow): Guarded {
  if (!isDerivedRatio(i)) return guardOfRow(i);
  const parts = [
    i,
    s.indicatorByKey.get(i.numerator!.indicator),
    s.indicatorByKey.get(i.denominator!.indicator),
  ].filter((x): x is IndicatorRow => !!x);
  const combined = combineGuards(i.key, parts.map(guardOfRow));
  return {
    ...combined,
    owner: i.confidentiality === 'restricted' || combined.confidentiality !== 'restricted' ? i.owner : combined.owner,
  };
}

export function readable(s: Snapshot, who: Principal, i: IndicatorRow): boolean {
  return canRead(who, guardOf(s, i)) === 'ok';
}

/**
 * The indicator, if the principal may read it: 401 for internal data without sign-in, and
 * "does not exist" for restricted data and drafts (their existence is secret). Reads of
 * restricted data are written to the audit trail.
 */
export async function requireReadable(
  db: Queryable,
  s: Snapshot,
  who: Principal,
  key: string,
  details?: Record<string, unknown>,
): Promise<IndicatorRow> {
  const i = requireIndicator(s, key);
  const g = guardOf(s, i);
  const d = canRead(who, g);
  if (d === 'unauthenticated') throw new Unauthorized(coded('indicator-internal', { indicator: key }));
  if (d === 'hidden') throw new NotFound(coded('indicator-not-found', { indicator: key }));
  if (g.confidentiality === 'restricted' && who.kind === 'user')
    await audit(db, who, { action: 'read', objectType: 'indicator', objectKey: key, details });
  return i;
}

export function requireLayer(s: Snapshot, key: string): LayerRow {
  const l = s.layerByKey.get(key);
  if (!l) throw new NotFound(coded('layer-not-found', { layer: key }));
  return l;
}

/** The indicator whose observations decide which periods exist (the numerator for a ratio). */
export function dataIndicator(s: Snapshot, i: IndicatorRow): IndicatorRow {
  return isDerivedRatio(i) ? requireIndicator(s, i.numerator!.indicator) : i;
}

/** Periods with data for an indicator, oldest first. */
export function periodsOf(s: Snapshot, i: IndicatorRow): PeriodRow[] {
  return s.periodsByIndicator.get(dataIndicator(s, i).id) ?? [];
}
