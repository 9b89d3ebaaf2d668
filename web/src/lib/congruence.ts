// Congruence of two layers (issue #6) in the browser: layer references with a boundary version,
// the plain-language verdict on the scores, the colour classes of the shared share, and the
// table rows with names. Pure functions, unit-tested in test/web/congruence.test.ts.

import type { CongruenceAnswer } from '../../../src/contracts/answers/index.ts';
import type { CongruenceDirection } from '../../../src/core/geo/congruence.ts';
export type { CongruenceAnswer, CongruenceDirection };

/** "stadtteil" or "stadtteil@2020-12-31" (the boundary version valid on that date). */
export function layerRef(layer: string, date?: string | null): string {
  return date ? `${layer}@${date}` : layer;
}

/** Splits a reference from the URL; anything malformed gives the bare layer. */
export function parseRef(ref: string | undefined): { layer: string; date: string | null } {
  if (!ref) return { layer: '', date: null };
  const [layer, date] = ref.split('@');
  return { layer, date: date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : null };
}

export interface Version {
  validFrom: string | null;
  validTo: string | null;
  areas: number;
}

/**
 * The choices of boundary version for a layer: the current one (no date), and for every older
 * version the last day it was valid (a date inside it), with its validity for the label.
 */
export function versionChoices(
  versions: readonly Version[],
): { date: string | null; validFrom: string | null; validTo: string | null; areas: number }[] {
  const out: { date: string | null; validFrom: string | null; validTo: string | null; areas: number }[] = [];
  const current = versions.find((v) => !v.validTo) ?? versions[versions.length - 1];
  if (current) out.push({ date: null, validFrom: current.validFrom, validTo: current.validTo, areas: current.areas });
  for (const v of [...versions].reverse()) {
    if (v === current || !v.validTo) continue;
    out.push({ date: dayBefore(v.validTo), validFrom: v.validFrom, validTo: v.validTo, areas: v.areas });
  }
  return out;
}

export function dayBefore(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

export type Verdict = 'identical' | 'aInB' | 'bInA' | 'partial' | 'different';

/** Scores from this share up count as "(almost) fully". */
export const NEARLY = 0.9;

/**
 * What the scores say in words: identical layers (both directions ≥ 90 %), A nested in B (A's
 * areas lie almost wholly in one B area each, but not the other way round), B nested in A, a
 * partial match (overall ≥ 60 %), or different layers.
 */
export function verdict(forward: number, backward: number, overall: number): Verdict {
  if (forward >= NEARLY && backward >= NEARLY) return 'identical';
  if (forward >= NEARLY) return 'aInB';
  if (backward >= NEARLY) return 'bInA';
  if (overall >= 0.6) return 'partial';
  return 'different';
}

/** Class limits of the shared share on the map: below 50 %, 50–75 %, 75–90 %, 90–99 %, from 99 %. */
export const SHARE_BREAKS = [0.5, 0.75, 0.9, 0.99];
/** Sequential greens, light (little shared) → dark (fully shared). */
export const SHARE_COLORS = ['#f7fcf5', '#c7e9c0', '#74c476', '#31a354', '#006d2c'];

export function shareClass(share: number): number {
  let i = 0;
  while (i < SHARE_BREAKS.length && share >= SHARE_BREAKS[i]) i++;
  return i;
}

export interface CongruenceRow {
  code: string;
  name: string;
  best: string | null;
  bestName: string;
  share: number;
  reverseShare: number;
}

/** The rows of one direction with the names of the areas and of their best counterparts. */
export function congruenceRows(
  dir: CongruenceDirection,
  names: ReadonlyMap<string, string>,
  otherNames: ReadonlyMap<string, string>,
): CongruenceRow[] {
  return dir.areas.map((a) => ({
    code: a.code,
    name: names.get(a.code) ?? a.code,
    best: a.best,
    bestName: a.best ? (otherNames.get(a.best) ?? a.best) : '',
    share: a.share,
    reverseShare: a.reverseShare,
  }));
}

/** How many areas of a direction share at least `min` with their best counterpart. */
export function countAtLeast(dir: CongruenceDirection, min: number): number {
  return dir.areas.filter((a) => a.share >= min).length;
}
